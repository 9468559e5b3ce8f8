//! Recurring tax back-fill, exactly as the reference §3.5 (`VehicleLogic.UpdateRecurringTaxes`)
//! computes it.
//!
//! Pure: `today` is passed in. The caller skips sold vehicles, marks the original record
//! non-recurring and stores the copies (same cost, description, notes and tags).
//!
//! The reference compares `DateTime.Now` (with its time of day) to dates at midnight, as in
//! §3.2. With a date-only `today` that reads: `now > d` ⇔ `today ≥ d` and `now ≤ d` ⇔
//! `today < d`. So a record falls due on its anniversary itself, and a record dated exactly three
//! years ago at a yearly interval becomes four records (copies 2 and 1 years ago and today).

use chrono::{Days, Months, NaiveDate};

use crate::dto::reminders::ReminderIntervalUnit;

/// Most copies one record may need at once; inputs that would need more are refused.
pub const MAX_BACKFILL: usize = 1000;

/// The period of a recurring tax record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxInterval {
    Months(u32),
    Days(u32),
}

impl TaxInterval {
    /// `recurring_interval` months, or with 0 ("Other") `custom` months or days. `None` when
    /// the period is not positive (such a record cannot recur).
    pub fn new(recurring_interval: i32, custom: i32, unit: ReminderIntervalUnit) -> Option<Self> {
        let (count, unit) = if recurring_interval != 0 {
            (recurring_interval, ReminderIntervalUnit::Months)
        } else {
            (custom, unit)
        };
        let count = u32::try_from(count).ok().filter(|c| *c > 0)?;
        Some(match unit {
            ReminderIntervalUnit::Months => TaxInterval::Months(count),
            ReminderIntervalUnit::Days => TaxInterval::Days(count),
        })
    }

    /// `date + k·interval`, counted from the original date each time (so month-end clamping
    /// never accumulates: Jan 31 + 2 months is Mar 31, not Mar 29). `None` on overflow.
    pub fn nth_after(self, date: NaiveDate, k: u32) -> Option<NaiveDate> {
        match self {
            TaxInterval::Months(m) => date.checked_add_months(Months::new(m.checked_mul(k)?)),
            TaxInterval::Days(d) => date.checked_add_days(Days::new(u64::from(d) * u64::from(k))),
        }
    }
}

/// One back-filled copy of a recurring record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxCopy {
    pub date: NaiveDate,
    pub is_recurring: bool,
}

/// Copies for k = 1, 2, … while at most `limit` more are wanted.
fn copies(date: NaiveDate, interval: TaxInterval, today: NaiveDate, limit: usize) -> Vec<TaxCopy> {
    let mut out = Vec::new();
    let mut k: u32 = 1;
    while out.len() < limit {
        let Some(copy_date) = interval.nth_after(date, k) else {
            break;
        };
        // Outdated when now > date + interval, i.e. today ≥ date + interval.
        if k == 1 && today < copy_date {
            break;
        }
        let is_recurring = k
            .checked_add(1)
            .and_then(|next| interval.nth_after(date, next))
            // now ≤ next ⇔ today < next; a date past chrono's range counts as the future.
            .is_none_or(|next| today < next);
        out.push(TaxCopy {
            date: copy_date,
            is_recurring,
        });
        if is_recurring {
            break;
        }
        k += 1;
    }
    out
}

/// Reference §3.5 for one recurring record dated `date`: empty while now ≤ date + interval
/// (today < date + interval); otherwise a copy for every period k = 1, 2, … dated
/// `date + k·interval`, recurring only when now ≤ date + (k+1)·interval
/// (today < date + (k+1)·interval), ending with the first recurring copy.
pub fn backfill(date: NaiveDate, interval: TaxInterval, today: NaiveDate) -> Vec<TaxCopy> {
    copies(date, interval, today, usize::MAX)
}

/// How many copies [`backfill`] would add, counting no further than `MAX_BACKFILL + 1`.
pub fn periods_to_backfill(date: NaiveDate, interval: TaxInterval, today: NaiveDate) -> usize {
    copies(date, interval, today, MAX_BACKFILL + 1).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn copy(date: NaiveDate, is_recurring: bool) -> TaxCopy {
        TaxCopy { date, is_recurring }
    }

    #[test]
    fn intervals() {
        let months = ReminderIntervalUnit::Months;
        let days = ReminderIntervalUnit::Days;
        assert_eq!(TaxInterval::new(12, 0, days), Some(TaxInterval::Months(12)));
        assert_eq!(TaxInterval::new(0, 45, days), Some(TaxInterval::Days(45)));
        assert_eq!(TaxInterval::new(0, 2, months), Some(TaxInterval::Months(2)));
        assert_eq!(TaxInterval::new(0, 0, months), None);
        assert_eq!(TaxInterval::new(0, -3, days), None);
        // Month ends clamp, from the original date each time.
        let m = TaxInterval::Months(1);
        assert_eq!(m.nth_after(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(m.nth_after(d(2024, 1, 31), 2), Some(d(2024, 3, 31)));
        assert_eq!(m.nth_after(d(2023, 1, 31), 1), Some(d(2023, 2, 28)));
        assert_eq!(
            TaxInterval::Days(10).nth_after(d(2024, 2, 25), 1),
            Some(d(2024, 3, 6))
        );
    }

    #[test]
    fn three_years_overdue_at_twelve_months() {
        let yearly = TaxInterval::Months(12);
        // Registration paid 2021-06-01, yearly; today 2024-06-01, exactly three years later:
        // copies a year apart up to today, the last one recurring (2025-06-01 is ahead).
        assert_eq!(
            backfill(d(2021, 6, 1), yearly, d(2024, 6, 1)),
            vec![
                copy(d(2022, 6, 1), false),
                copy(d(2023, 6, 1), false),
                copy(d(2024, 6, 1), true),
            ]
        );
        // Paid 2021-03-10: the same three periods have passed.
        assert_eq!(
            backfill(d(2021, 3, 10), yearly, d(2024, 6, 1)),
            vec![
                copy(d(2022, 3, 10), false),
                copy(d(2023, 3, 10), false),
                copy(d(2024, 3, 10), true),
            ]
        );
    }

    #[test]
    fn outdated_from_the_anniversary_on() {
        let yearly = TaxInterval::Months(12);
        let paid = d(2023, 6, 1);
        // The day before the anniversary: not outdated.
        assert_eq!(backfill(paid, yearly, d(2024, 5, 31)), vec![]);
        assert_eq!(backfill(paid, yearly, d(2023, 12, 1)), vec![]);
        // On the anniversary (now, past midnight, is after it): one copy, recurring.
        assert_eq!(
            backfill(paid, yearly, d(2024, 6, 1)),
            vec![copy(d(2024, 6, 1), true)]
        );
        // The day before the second anniversary: the first copy still recurs.
        assert_eq!(
            backfill(paid, yearly, d(2025, 5, 31)),
            vec![copy(d(2024, 6, 1), true)]
        );
        assert_eq!(
            backfill(paid, yearly, d(2025, 6, 1)),
            vec![copy(d(2024, 6, 1), false), copy(d(2025, 6, 1), true)]
        );
    }

    #[test]
    fn monthly_from_a_month_end_and_custom_days() {
        let copies = backfill(d(2024, 1, 31), TaxInterval::Months(1), d(2024, 4, 15));
        assert_eq!(
            copies,
            vec![copy(d(2024, 2, 29), false), copy(d(2024, 3, 31), true),]
        );
        let copies = backfill(d(2024, 1, 1), TaxInterval::Days(30), d(2024, 3, 5));
        assert_eq!(
            copies,
            vec![copy(d(2024, 1, 31), false), copy(d(2024, 3, 1), true)]
        );
    }

    #[test]
    fn the_count_is_capped_for_validation() {
        let daily = TaxInterval::Days(1);
        // Copies dated Jan 2 … Jan 11; the Jan 11 one recurs since Jan 12 is ahead.
        assert_eq!(
            periods_to_backfill(d(2024, 1, 1), daily, d(2024, 1, 11)),
            10
        );
        assert_eq!(
            periods_to_backfill(d(2000, 1, 1), daily, d(2024, 1, 1)),
            MAX_BACKFILL + 1
        );
    }

    proptest! {
        /// Dates strictly increase, none lies after today, exactly the last copy recurs, and it
        /// recurs because its next period is still ahead.
        #[test]
        fn backfill_invariants(
            start in 0i64..20_000,
            ahead in 0i64..4_000,
            count in 1u32..40,
            in_days: bool,
        ) {
            let date = d(1980, 1, 1) + chrono::TimeDelta::days(start);
            let today = date + chrono::TimeDelta::days(ahead);
            let interval = if in_days { TaxInterval::Days(count) } else { TaxInterval::Months(count) };
            let copies = backfill(date, interval, today);
            let first = interval.nth_after(date, 1).unwrap();
            if today < first {
                prop_assert!(copies.is_empty());
            } else {
                prop_assert!(!copies.is_empty());
                prop_assert_eq!(copies.iter().filter(|c| c.is_recurring).count(), 1);
                let last = copies.last().unwrap();
                prop_assert!(last.is_recurring);
                let k = u32::try_from(copies.len()).unwrap();
                prop_assert_eq!(interval.nth_after(date, k), Some(last.date));
                prop_assert!(today < interval.nth_after(date, k + 1).unwrap());
                let mut previous = date;
                for c in &copies {
                    prop_assert!(c.date > previous);
                    prop_assert!(c.date <= today);
                    previous = c.date;
                }
            }
        }
    }
}
