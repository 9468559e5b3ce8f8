//! Exact decimal amounts (money, fuel quantities) as fixed-point integers.
//!
//! Floats drift when thousands of costs are summed; an `Amount` is an integer count of
//! ten-thousandths, so sums are exact and the database stores a plain BIGINT on every engine.
//! On the wire it is a JSON number (a string holding a number is accepted on input).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Number of decimal places kept.
pub const SCALE_DIGITS: u32 = 4;
/// `10^SCALE_DIGITS`.
pub const SCALE: i64 = 10_000;
/// Largest magnitude accepted from input: a trillion, far above any real cost or quantity,
/// well inside `i64` once scaled.
pub const MAX_UNITS: f64 = 1e12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    NotFinite,
    OutOfRange,
    NotANumber,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::NotFinite => "must be a finite number",
            AmountError::OutOfRange => "is too large",
            AmountError::NotANumber => "must be a number",
        })
    }
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// Builds an amount from its stored representation (ten-thousandths).
    pub const fn from_scaled(raw: i64) -> Self {
        Amount(raw)
    }

    /// The stored representation (ten-thousandths).
    pub const fn scaled(self) -> i64 {
        self.0
    }

    /// Whole units, for tests and constants.
    pub const fn from_units(units: i64) -> Self {
        Amount(units * SCALE)
    }

    /// Rounds to four decimal places, half away from zero.
    pub fn from_f64(value: f64) -> Result<Self, AmountError> {
        if !value.is_finite() {
            return Err(AmountError::NotFinite);
        }
        if value.abs() > MAX_UNITS {
            return Err(AmountError::OutOfRange);
        }
        // Within MAX_UNITS the scaled value fits in i64 exactly enough; `round` is half away from zero.
        #[allow(clippy::cast_possible_truncation)]
        let raw = (value * SCALE as f64).round() as i64;
        Ok(Amount(raw))
    }

    /// Parses a plain decimal string exactly ("12.345", "-3", "0.5"), without going through a float.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !valid(int_part) || !valid(frac_part) {
            // Scientific notation and the like: fall back to the float path.
            return text
                .parse::<f64>()
                .map_err(|_| AmountError::NotANumber)
                .and_then(Self::from_f64);
        }
        let int_value: i64 = if int_part.is_empty() {
            0
        } else if int_part.len() > 13 {
            return Err(AmountError::OutOfRange);
        } else {
            int_part.parse().map_err(|_| AmountError::NotANumber)?
        };
        if int_value as f64 > MAX_UNITS {
            return Err(AmountError::OutOfRange);
        }
        let mut frac_value: i64 = 0;
        let mut scale = SCALE;
        let mut round_up = false;
        for (i, b) in frac_part.bytes().enumerate() {
            let d = i64::from(b - b'0');
            if (i as u32) < SCALE_DIGITS {
                scale /= 10;
                frac_value += d * scale;
            } else {
                round_up = i as u32 == SCALE_DIGITS && d >= 5;
                break;
            }
        }
        let mut raw = int_value * SCALE + frac_value + i64::from(round_up);
        if negative {
            raw = -raw;
        }
        Ok(Amount(raw))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl fmt::Display for Amount {
    /// Shortest exact decimal: `12.5`, `3`, `-0.0125`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let int_part = abs / SCALE as u64;
        let frac = abs % SCALE as u64;
        if frac == 0 {
            write!(f, "{sign}{int_part}")
        } else {
            let frac = format!("{frac:04}");
            write!(f, "{sign}{int_part}.{}", frac.trim_end_matches('0'))
        }
    }
}

impl Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Amount {
    type Output = Amount;
    fn sub(self, rhs: Amount) -> Amount {
        Amount(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, Add::add)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The shortest decimal is also the shortest float that round-trips, so `to_f64`
        // prints exactly what is stored (12.34, never 12.339999).
        serializer.serialize_f64(self.to_f64())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Amount::from_f64(v as f64).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Amount::from_f64(v as f64).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                Amount::from_f64(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Amount {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some("Exact decimal with up to 4 decimal places"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Amount {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_strings_exactly() {
        let cases = [
            ("12.34", 123_400),
            ("0.1", 1_000),
            ("-3", -30_000),
            (".5", 5_000),
            ("1.23456", 12_346),
            ("1.23454", 12_345),
            ("1e2", 1_000_000),
        ];
        for (text, raw) in cases {
            assert_eq!(Amount::parse(text), Ok(Amount::from_scaled(raw)), "{text}");
        }
        assert_eq!(Amount::parse("abc"), Err(AmountError::NotANumber));
        assert_eq!(Amount::parse(""), Err(AmountError::NotANumber));
        assert_eq!(
            Amount::parse("99999999999999"),
            Err(AmountError::OutOfRange)
        );
    }

    #[test]
    fn summing_many_cents_has_no_drift() {
        let total: Amount = (0..10_000).map(|_| Amount::parse("0.1").unwrap()).sum();
        assert_eq!(total, Amount::from_units(1000));
        let float_total: f64 = (0..10_000).map(|_| 0.1_f64).sum();
        assert_ne!(
            float_total, 1000.0,
            "the float sum drifts, which is why Amount exists"
        );
    }

    #[test]
    fn json_round_trip_prints_what_is_stored() {
        let a: Amount = serde_json::from_str("45.67").unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "45.67");
        let b: Amount = serde_json::from_str("\"19.999\"").unwrap();
        assert_eq!(b.to_string(), "19.999");
        assert!(serde_json::from_str::<Amount>("1e300").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
        assert_eq!(Amount::from_scaled(-125).to_string(), "-0.0125");
    }
}
