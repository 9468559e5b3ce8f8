//! Supply requisition and restoration (reference §3.6), on exact amounts.
//!
//! A supply's `cost` is the value of what remains, so taking `used` units takes
//! `used × cost ÷ quantity` of the value (rounded to 3 decimal places, as the reference does).

use crate::amount::Amount;

/// What is in stock: a quantity and the value of that quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stock {
    pub quantity: Amount,
    pub cost: Amount,
}

/// The outcome of one requisition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requisitioned {
    /// The supply after the requisition.
    pub remaining: Stock,
    /// What the consuming record took: the quantity used and its value.
    pub taken: Stock,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequisitionError {
    /// Zero or negative quantities cannot be used.
    NotPositive,
    /// More than is in stock.
    Insufficient { available: Amount },
}

/// Value of `used` units at the supply's average unit cost, rounded half-to-even to 3 decimal
/// places (.NET's `Math.Round` default). Exact rational arithmetic, so no float drift.
fn value_of(stock: Stock, used: Amount) -> Amount {
    if stock.quantity.scaled() <= 0 {
        return Amount::ZERO;
    }
    // Scaled result = cost_s × used_s ÷ quantity_s; 3 dp = multiples of 10 scaled units.
    let num = i128::from(stock.cost.scaled()) * i128::from(used.scaled());
    let den = i128::from(stock.quantity.scaled()) * 10;
    let mut q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    if 2 * r > den || (2 * r == den && q % 2 != 0) {
        q += 1;
    }
    let raw = i64::try_from(q * 10).unwrap_or(i64::MAX);
    Amount::from_scaled(raw)
}

/// Takes `used` units out of `stock` (§3.6 requisition): unit = cost ÷ quantity (0 when the
/// quantity is 0), quantity −= used, cost −= used × unit rounded to 3 dp.
///
/// Using the whole stock takes its whole value, and the value taken never exceeds the value
/// held, so the remaining cost is never negative (rounding could otherwise overshoot by 0.0005).
pub fn requisition(stock: Stock, used: Amount) -> Result<Requisitioned, RequisitionError> {
    if used.scaled() <= 0 {
        return Err(RequisitionError::NotPositive);
    }
    if used > stock.quantity {
        return Err(RequisitionError::Insufficient {
            available: stock.quantity,
        });
    }
    let value = if used == stock.quantity {
        stock.cost
    } else {
        value_of(stock, used).min(stock.cost).max(Amount::ZERO)
    };
    Ok(Requisitioned {
        remaining: Stock {
            quantity: stock.quantity - used,
            cost: stock.cost - value,
        },
        taken: Stock {
            quantity: used,
            cost: value,
        },
    })
}

/// Puts a requisition back (§3.6 restore): quantity and value are added back.
pub fn restore(stock: Stock, taken: Stock) -> Stock {
    Stock {
        quantity: stock.quantity + taken.quantity,
        cost: stock.cost + taken.cost,
    }
}

/// The history text of a restoration.
pub fn restored_from(description: &str) -> String {
    format!("Restored from {description}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    fn stock(quantity: &str, cost: &str) -> Stock {
        Stock {
            quantity: a(quantity),
            cost: a(cost),
        }
    }

    #[test]
    fn worked_requisitions() {
        // (in stock, cost, used) → (left, value left, value taken)
        let cases = [
            ("10", "45", "4", "6", "27", "18"),
            ("10", "45", "10", "0", "0", "45"),
            ("3", "10", "1", "2", "6.667", "3.333"),
            ("3", "10", "2", "1", "3.333", "6.667"),
            ("4", "10", "1.5", "2.5", "6.25", "3.75"),
            // Quantity 0 is caught as insufficient below; a zero-cost supply is free.
            ("5", "0", "2", "3", "0", "0"),
            // 0.0005 × 1 rounds half-to-even to 0.000.
            ("2", "0.001", "1", "1", "0.001", "0"),
            // 0.0015 rounds to 0.002.
            ("2", "0.003", "1", "1", "0.001", "0.002"),
        ];
        for (q, c, used, left, left_cost, taken) in cases {
            let out = requisition(stock(q, c), a(used)).unwrap();
            assert_eq!(out.remaining, stock(left, left_cost), "{q} {c} {used}");
            assert_eq!(out.taken, stock(used, taken), "{q} {c} {used}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(
            requisition(stock("6", "27"), a("6.5")),
            Err(RequisitionError::Insufficient { available: a("6") })
        );
        assert_eq!(
            requisition(stock("0", "5"), a("1")),
            Err(RequisitionError::Insufficient {
                available: Amount::ZERO
            })
        );
        assert_eq!(
            requisition(stock("6", "27"), Amount::ZERO),
            Err(RequisitionError::NotPositive)
        );
        assert_eq!(
            requisition(stock("6", "27"), a("-1")),
            Err(RequisitionError::NotPositive)
        );
    }

    #[test]
    fn restore_adds_back() {
        let out = requisition(stock("10", "45"), a("4")).unwrap();
        assert_eq!(restore(out.remaining, out.taken), stock("10", "45"));
        assert_eq!(restored_from("Oil change"), "Restored from Oil change");
    }

    proptest! {
        #[test]
        fn requisition_then_restore_is_identity(
            quantity in 0i64..100_000_000_000,
            cost in 0i64..10_000_000_000_000,
            used in 1i64..100_000_000_000,
        ) {
            let before = Stock {
                quantity: Amount::from_scaled(quantity),
                cost: Amount::from_scaled(cost),
            };
            match requisition(before, Amount::from_scaled(used)) {
                Ok(out) => {
                    prop_assert!(!out.remaining.cost.is_negative());
                    prop_assert!(!out.remaining.quantity.is_negative());
                    prop_assert!(!out.taken.cost.is_negative());
                    prop_assert_eq!(restore(out.remaining, out.taken), before);
                }
                Err(RequisitionError::Insufficient { available }) => {
                    prop_assert!(used > quantity);
                    prop_assert_eq!(available, before.quantity);
                }
                Err(RequisitionError::NotPositive) => prop_assert!(false),
            }
        }

        #[test]
        fn successive_requisitions_never_go_negative(
            quantity in 1i64..1_000_000_000,
            cost in 0i64..1_000_000_000_000,
            uses in proptest::collection::vec(1i64..1_000_000_000, 1..8),
        ) {
            let mut s = Stock {
                quantity: Amount::from_scaled(quantity),
                cost: Amount::from_scaled(cost),
            };
            for used in uses {
                if let Ok(out) = requisition(s, Amount::from_scaled(used)) {
                    s = out.remaining;
                    prop_assert!(!s.cost.is_negative());
                    prop_assert!(!s.quantity.is_negative());
                }
            }
        }
    }
}
