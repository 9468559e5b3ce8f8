//! Reminder urgency and recurring push-back, exactly as the reference §3.2
//! (`ReminderHelper`, `GetUpdatedRecurringReminderRecord`) computes them.
//!
//! Pure: time and the vehicle's current odometer are passed in.

use chrono::{Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::dto::reminders::{
    ReminderIntervalUnit, ReminderMetric, ReminderUrgency, ReminderUrgencyConfig,
};

/// A reminder's per-record thresholds as stored (`None` where unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CustomThresholds {
    pub urgent_days: Option<i64>,
    pub very_urgent_days: Option<i64>,
    pub urgent_distance: Option<i64>,
    pub very_urgent_distance: Option<i64>,
}

/// The thresholds that judge one reminder: its own when `use_custom`, else the server's.
///
/// LubeLogger leaks one reminder's custom thresholds into every later reminder of the same
/// evaluation loop (§3.2 "Bug"); nothing depends on that, so this choice is made per reminder.
/// A custom value that is missing falls back to the server's.
pub fn thresholds_for(
    use_custom: bool,
    custom: CustomThresholds,
    server: ReminderUrgencyConfig,
) -> ReminderUrgencyConfig {
    if !use_custom {
        return server;
    }
    ReminderUrgencyConfig {
        urgent_days: custom.urgent_days.unwrap_or(server.urgent_days),
        very_urgent_days: custom.very_urgent_days.unwrap_or(server.very_urgent_days),
        urgent_distance: custom.urgent_distance.unwrap_or(server.urgent_distance),
        very_urgent_distance: custom
            .very_urgent_distance
            .unwrap_or(server.very_urgent_distance),
    }
}

/// The urgency of one reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrgencyResult {
    pub urgency: ReminderUrgency,
    /// Which metric matched: for `Both`, the date or odometer test that decided; `Both` when
    /// neither made the reminder urgent.
    pub metric: ReminderMetric,
    /// `(due date − now).Days`, truncated toward zero; `None` for odometer-only reminders.
    pub due_days: Option<i64>,
    /// Due odometer − current odometer; `None` for date-only reminders.
    pub due_distance: Option<i64>,
}

/// `due < now + days`, written as `due − now < days` so no addition can overflow.
fn date_before(due: NaiveDateTime, now: NaiveDateTime, days: i64) -> bool {
    match TimeDelta::try_days(days) {
        Some(limit) => due.signed_duration_since(now) < limit,
        // Beyond any representable span: every due date is before a huge future, none before
        // a huge past.
        None => days > 0,
    }
}

/// Reference §3.2. Every comparison is strict and the first match wins; the due date counts
/// from midnight, so with any time of day in `now` a reminder due today is already past due.
/// A metric whose due value is missing never matches.
pub fn urgency(
    metric: ReminderMetric,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
    thresholds: ReminderUrgencyConfig,
    now: NaiveDateTime,
    current_odometer: i64,
) -> UrgencyResult {
    let due_at = due_date
        .filter(|_| metric.uses_date())
        .map(|d| d.and_time(NaiveTime::MIN));
    let due_odo = due_odometer.filter(|_| metric.uses_odometer());

    let date_within = |days: i64| due_at.is_some_and(|due| date_before(due, now, days));
    let odo_within =
        |distance: i64| due_odo.is_some_and(|due| due < current_odometer.saturating_add(distance));

    // Both: PastDue(date) → PastDue(odo) → VeryUrgent(date) → VeryUrgent(odo) → Urgent(date)
    // → Urgent(odo). Date and Odometer alone are the same ladder with one side missing.
    let ladder = [
        (ReminderUrgency::PastDue, 0, 0),
        (
            ReminderUrgency::VeryUrgent,
            thresholds.very_urgent_days,
            thresholds.very_urgent_distance,
        ),
        (
            ReminderUrgency::Urgent,
            thresholds.urgent_days,
            thresholds.urgent_distance,
        ),
    ];
    let mut decided = (ReminderUrgency::NotUrgent, metric);
    for (level, days, distance) in ladder {
        if date_within(days) {
            decided = (level, ReminderMetric::Date);
            break;
        }
        if odo_within(distance) {
            decided = (level, ReminderMetric::Odometer);
            break;
        }
    }

    UrgencyResult {
        urgency: decided.0,
        metric: decided.1,
        due_days: due_at.map(|due| due.signed_duration_since(now).num_days()),
        due_distance: due_odo.map(|due| due.saturating_sub(current_odometer)),
    }
}

/// How a recurring reminder moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub metric: ReminderMetric,
    pub fixed_intervals: bool,
    /// Months, or 0 for the custom interval.
    pub month_interval: i32,
    pub custom_month_interval: i32,
    pub custom_interval_unit: ReminderIntervalUnit,
    /// Distance, or 0 for the custom interval.
    pub mileage_interval: i64,
    pub custom_mileage_interval: i64,
}

/// Adds `count` months (clamped to the month's last day: Jan 31 + 1 month = Feb 29 in 2024) or
/// days. `None` on overflow or a negative count.
pub fn add_interval(date: NaiveDate, count: i64, unit: ReminderIntervalUnit) -> Option<NaiveDate> {
    let count = u32::try_from(count).ok()?;
    match unit {
        ReminderIntervalUnit::Months => date.checked_add_months(Months::new(count)),
        ReminderIntervalUnit::Days => date.checked_add_days(Days::new(u64::from(count))),
    }
}

/// New due values after the reminder is done (§3.2 push-back).
///
/// The base is the stored due values with `fixed_intervals`, otherwise the supplied completion
/// date and odometer (each falling back to the stored value). `Date` moves only the date,
/// `Odometer` only the odometer, `Both` both. `None` when the date would leave chrono's range.
pub fn push_back(
    recurrence: Recurrence,
    stored_date: Option<NaiveDate>,
    stored_odometer: Option<i64>,
    supplied_date: Option<NaiveDate>,
    supplied_odometer: Option<i64>,
) -> Option<(Option<NaiveDate>, Option<i64>)> {
    let (base_date, base_odometer) = if recurrence.fixed_intervals {
        (stored_date, stored_odometer)
    } else {
        (
            supplied_date.or(stored_date),
            supplied_odometer.or(stored_odometer),
        )
    };

    let date = if recurrence.metric.uses_date() {
        match base_date {
            Some(base) => {
                let (count, unit) = if recurrence.month_interval != 0 {
                    (recurrence.month_interval, ReminderIntervalUnit::Months)
                } else {
                    (
                        recurrence.custom_month_interval,
                        recurrence.custom_interval_unit,
                    )
                };
                Some(add_interval(base, i64::from(count), unit)?)
            }
            None => None,
        }
    } else {
        stored_date
    };

    let odometer = if recurrence.metric.uses_odometer() {
        let step = if recurrence.mileage_interval != 0 {
            recurrence.mileage_interval
        } else {
            recurrence.custom_mileage_interval
        };
        base_odometer.map(|base| base.saturating_add(step))
    } else {
        stored_odometer
    };
    Some((date, odometer))
}

/// Pushes beyond this many intervals are not attempted (a fixed schedule years behind).
const MAX_REFRESH_STEPS: usize = 1000;

/// `EnableAutoReminderRefresh` (reference §1 Reminders, §3.2 push-back triggers): a recurring
/// reminder that is past due at `now` moves forward by the "mark done" rule ([`push_back`]),
/// with the current date and odometer as the completion values. With fixed intervals the base
/// is the stored schedule, so it steps interval by interval until it is no longer past due (the
/// reference moves one interval per page visit; this lands where repeated visits would).
/// `None` when nothing changes: not recurring, not past due, or no step makes progress.
pub fn auto_refresh(
    recurrence: Recurrence,
    is_recurring: bool,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
    now: NaiveDateTime,
    current_odometer: i64,
) -> Option<(Option<NaiveDate>, Option<i64>)> {
    // Past due uses no threshold (the first rung of the ladder compares with now itself).
    let zero = ReminderUrgencyConfig {
        urgent_days: 0,
        very_urgent_days: 0,
        urgent_distance: 0,
        very_urgent_distance: 0,
    };
    let past_due = |date: Option<NaiveDate>, odometer: Option<i64>| {
        urgency(
            recurrence.metric,
            date,
            odometer,
            zero,
            now,
            current_odometer,
        )
        .urgency
            == ReminderUrgency::PastDue
    };
    if !is_recurring || !past_due(due_date, due_odometer) {
        return None;
    }
    let mut due = (due_date, due_odometer);
    for _ in 0..MAX_REFRESH_STEPS {
        let next = push_back(
            recurrence,
            due.0,
            due.1,
            Some(now.date()),
            Some(current_odometer),
        )?;
        if next == due {
            break;
        }
        due = next;
        if !past_due(due.0, due.1) {
            break;
        }
    }
    (due != (due_date, due_odometer)).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, min, 0).unwrap()
    }

    const SERVER: ReminderUrgencyConfig = ReminderUrgencyConfig {
        urgent_days: 30,
        very_urgent_days: 7,
        urgent_distance: 100,
        very_urgent_distance: 50,
    };

    use ReminderMetric::{Both, Date, Odometer};
    use ReminderUrgency::{NotUrgent, PastDue, Urgent, VeryUrgent};

    #[test]
    fn date_boundaries() {
        // now = 2024-05-01 00:00 exactly, so due − now is a whole number of days.
        let midnight = at(2024, 5, 1, 0, 0);
        let cases = [
            // (due date, urgency, due days)
            (d(2024, 4, 30), PastDue, -1),
            // Due exactly now: not "< now", but within 7 days.
            (d(2024, 5, 1), VeryUrgent, 0),
            (d(2024, 5, 7), VeryUrgent, 6),
            // now + 7 days exactly is not "< now + 7".
            (d(2024, 5, 8), Urgent, 7),
            (d(2024, 5, 30), Urgent, 29),
            (d(2024, 5, 31), NotUrgent, 30),
            (d(2025, 1, 1), NotUrgent, 245),
        ];
        for (due, expected, days) in cases {
            let r = urgency(Date, Some(due), None, SERVER, midnight, 0);
            assert_eq!((r.urgency, r.due_days), (expected, Some(days)), "{due}");
            assert_eq!(r.due_distance, None);
        }
    }

    #[test]
    fn the_time_of_day_counts() {
        let morning = at(2024, 5, 1, 9, 30);
        let cases = [
            // Due today (midnight) is already past: −9.5 h truncates to 0 days.
            (d(2024, 5, 1), PastDue, 0),
            (d(2024, 4, 30), PastDue, -1),
            // Tomorrow: 14.5 h away, truncated to 0 days.
            (d(2024, 5, 2), VeryUrgent, 0),
            // 5 days ahead: 4 days 14.5 h.
            (d(2024, 5, 6), VeryUrgent, 4),
            // 7 days ahead is 6 d 14.5 h < 7 d.
            (d(2024, 5, 8), VeryUrgent, 6),
            (d(2024, 5, 9), Urgent, 7),
            (d(2024, 5, 21), Urgent, 19),
            (d(2024, 5, 31), Urgent, 29),
            (d(2024, 6, 1), NotUrgent, 30),
        ];
        for (due, expected, days) in cases {
            let r = urgency(Date, Some(due), None, SERVER, morning, 0);
            assert_eq!((r.urgency, r.due_days), (expected, Some(days)), "{due}");
        }
    }

    #[test]
    fn odometer_boundaries() {
        let now = at(2024, 5, 1, 12, 0);
        let cases = [
            (999, PastDue, -1),
            (1000, VeryUrgent, 0),
            (1040, VeryUrgent, 40),
            (1049, VeryUrgent, 49),
            (1050, Urgent, 50),
            (1099, Urgent, 99),
            (1100, NotUrgent, 100),
        ];
        for (due, expected, distance) in cases {
            let r = urgency(Odometer, None, Some(due), SERVER, now, 1000);
            assert_eq!(
                (r.urgency, r.due_distance, r.metric),
                (expected, Some(distance), Odometer),
                "{due}"
            );
            assert_eq!(r.due_days, None);
        }
    }

    #[test]
    fn both_tests_in_the_reference_order() {
        let now = at(2024, 5, 1, 0, 0);
        let current = 1000;
        let cases = [
            // (due date, due odometer, urgency, matched metric)
            // Past due by date wins over everything.
            (d(2024, 4, 1), 5000, PastDue, Date),
            // Past due by odometer beats very urgent by date.
            (d(2024, 5, 3), 900, PastDue, Odometer),
            // Both very urgent: date is tested first.
            (d(2024, 5, 3), 1010, VeryUrgent, Date),
            // Very urgent by odometer beats urgent by date.
            (d(2024, 5, 20), 1010, VeryUrgent, Odometer),
            // Very urgent by date beats urgent by odometer.
            (d(2024, 5, 3), 1080, VeryUrgent, Date),
            (d(2024, 5, 20), 1080, Urgent, Date),
            (d(2025, 1, 1), 1080, Urgent, Odometer),
            (d(2024, 5, 20), 9000, Urgent, Date),
            // Neither: the metric stays Both.
            (d(2025, 1, 1), 9000, NotUrgent, Both),
        ];
        for (due, odo, expected, matched) in cases {
            let r = urgency(Both, Some(due), Some(odo), SERVER, now, current);
            assert_eq!((r.urgency, r.metric), (expected, matched), "{due} {odo}");
            assert_eq!(r.due_distance, Some(odo - current));
            assert!(r.due_days.is_some());
        }
    }

    #[test]
    fn the_unused_due_value_is_ignored() {
        let now = at(2024, 5, 1, 0, 0);
        // An odometer far past due does not matter to a date reminder.
        let r = urgency(Date, Some(d(2025, 1, 1)), Some(1), SERVER, now, 5000);
        assert_eq!((r.urgency, r.due_distance), (NotUrgent, None));
        let r = urgency(Odometer, Some(d(2000, 1, 1)), Some(9000), SERVER, now, 5000);
        assert_eq!((r.urgency, r.due_days), (NotUrgent, None));
        // A missing due value never matches.
        let r = urgency(Both, None, Some(9000), SERVER, now, 5000);
        assert_eq!((r.urgency, r.due_days), (NotUrgent, None));
    }

    #[test]
    fn custom_thresholds_apply_to_their_own_reminder_only() {
        let now = at(2024, 5, 1, 0, 0);
        let custom = CustomThresholds {
            urgent_days: Some(60),
            very_urgent_days: Some(20),
            urgent_distance: Some(1000),
            very_urgent_distance: None,
        };
        let mine = thresholds_for(true, custom, SERVER);
        assert_eq!(
            mine,
            ReminderUrgencyConfig {
                urgent_days: 60,
                very_urgent_days: 20,
                urgent_distance: 1000,
                very_urgent_distance: 50,
            }
        );
        let due = Some(d(2024, 5, 15));
        assert_eq!(urgency(Date, due, None, mine, now, 0).urgency, VeryUrgent);
        // The next reminder without custom thresholds is judged by the server's again.
        let theirs = thresholds_for(false, custom, SERVER);
        assert_eq!(theirs, SERVER);
        assert_eq!(urgency(Date, due, None, theirs, now, 0).urgency, Urgent);
    }

    #[test]
    fn huge_thresholds_do_not_overflow() {
        let now = at(2024, 5, 1, 0, 0);
        let wide = ReminderUrgencyConfig {
            urgent_days: i64::MAX,
            very_urgent_days: i64::MIN,
            urgent_distance: i64::MAX,
            very_urgent_distance: i64::MIN,
        };
        let r = urgency(Both, Some(d(2030, 1, 1)), Some(5000), wide, now, 1000);
        assert_eq!((r.urgency, r.metric), (Urgent, Date));
    }

    fn recurrence(metric: ReminderMetric, fixed: bool) -> Recurrence {
        Recurrence {
            metric,
            fixed_intervals: fixed,
            month_interval: 12,
            custom_month_interval: 0,
            custom_interval_unit: ReminderIntervalUnit::Months,
            mileage_interval: 5000,
            custom_mileage_interval: 0,
        }
    }

    #[test]
    fn push_back_by_metric() {
        let stored = (Some(d(2024, 1, 31)), Some(10_000));
        let done = (Some(d(2024, 3, 15)), Some(12_345));
        let cases = [
            // (metric, fixed, new date, new odometer)
            (Date, false, Some(d(2025, 3, 15)), Some(10_000)),
            (Date, true, Some(d(2025, 1, 31)), Some(10_000)),
            (Odometer, false, Some(d(2024, 1, 31)), Some(17_345)),
            (Odometer, true, Some(d(2024, 1, 31)), Some(15_000)),
            (Both, false, Some(d(2025, 3, 15)), Some(17_345)),
            (Both, true, Some(d(2025, 1, 31)), Some(15_000)),
        ];
        for (metric, fixed, date, odo) in cases {
            let pushed = push_back(
                recurrence(metric, fixed),
                stored.0,
                stored.1,
                done.0,
                done.1,
            );
            assert_eq!(pushed, Some((date, odo)), "{metric:?} fixed={fixed}");
        }
        // Nothing supplied (the manual "Done" button): the stored values are the base.
        assert_eq!(
            push_back(recurrence(Both, false), stored.0, stored.1, None, None),
            Some((Some(d(2025, 1, 31)), Some(15_000)))
        );
    }

    #[test]
    fn push_back_custom_intervals_and_month_ends() {
        let mut r = recurrence(Both, true);
        r.month_interval = 1;
        // Jan 31 + 1 month clamps to Feb 29 in a leap year.
        assert_eq!(
            push_back(r, Some(d(2024, 1, 31)), Some(0), None, None),
            Some((Some(d(2024, 2, 29)), Some(5000)))
        );
        r.month_interval = 0;
        r.custom_month_interval = 45;
        r.custom_interval_unit = ReminderIntervalUnit::Days;
        r.mileage_interval = 0;
        r.custom_mileage_interval = 1234;
        assert_eq!(
            push_back(r, Some(d(2024, 1, 31)), Some(100), None, None),
            Some((Some(d(2024, 3, 16)), Some(1334)))
        );
        r.custom_interval_unit = ReminderIntervalUnit::Months;
        r.custom_month_interval = 18;
        assert_eq!(
            push_back(r, Some(d(2023, 8, 31)), Some(100), None, None),
            Some((Some(d(2025, 2, 28)), Some(1334)))
        );
        // Leaving chrono's range is reported, not wrapped.
        assert_eq!(
            push_back(r, Some(NaiveDate::MAX), Some(0), None, None),
            None
        );
    }

    proptest! {
        /// Urgency never decreases as the due date comes closer (or passes).
        #[test]
        fn urgency_is_monotonic_in_the_due_date(offset in -400i64..400, minutes in 0u32..1440) {
            let now = at(2024, 5, 1, 0, 0) + TimeDelta::minutes(i64::from(minutes));
            let due = d(2024, 5, 1) + TimeDelta::days(offset);
            let earlier = due - TimeDelta::days(1);
            let a = urgency(Date, Some(due), None, SERVER, now, 0).urgency;
            let b = urgency(Date, Some(earlier), None, SERVER, now, 0).urgency;
            prop_assert!(b >= a);
        }

        /// For Both, the result is the more urgent of the two single-metric results.
        #[test]
        fn both_is_the_worse_of_date_and_odometer(
            offset in -60i64..60, due_odo in 0i64..2000, current in 0i64..2000, minutes in 0u32..1440,
        ) {
            let now = at(2024, 5, 1, 0, 0) + TimeDelta::minutes(i64::from(minutes));
            let due = d(2024, 5, 1) + TimeDelta::days(offset);
            let by_date = urgency(Date, Some(due), None, SERVER, now, current);
            let by_odo = urgency(Odometer, None, Some(due_odo), SERVER, now, current);
            let both = urgency(Both, Some(due), Some(due_odo), SERVER, now, current);
            prop_assert_eq!(both.urgency, by_date.urgency.max(by_odo.urgency));
            prop_assert_eq!(both.due_days, by_date.due_days);
            prop_assert_eq!(both.due_distance, by_odo.due_distance);
        }

        /// A push-back always moves the used due values strictly forward.
        #[test]
        fn push_back_moves_forward(
            days in 0i64..40_000, odo in 0i64..1_000_000, months in 1i32..120, step in 1i64..100_000,
            fixed: bool,
        ) {
            let date = d(1950, 1, 1) + TimeDelta::days(days);
            let r = Recurrence {
                metric: Both,
                fixed_intervals: fixed,
                month_interval: 0,
                custom_month_interval: months,
                custom_interval_unit: ReminderIntervalUnit::Months,
                mileage_interval: 0,
                custom_mileage_interval: step,
            };
            let (new_date, new_odo) = push_back(r, Some(date), Some(odo), None, None).unwrap();
            prop_assert!(new_date.unwrap() > date);
            prop_assert_eq!(new_odo, Some(odo + step));
        }
    }

    #[test]
    fn auto_refresh_moves_past_due_recurring_reminders() {
        let yearly = Recurrence {
            metric: Date,
            fixed_intervals: false,
            month_interval: 12,
            custom_month_interval: 0,
            custom_interval_unit: ReminderIntervalUnit::Months,
            mileage_interval: 5000,
            custom_mileage_interval: 0,
        };
        let now = at(2024, 5, 1, 9, 0);
        type Due = (Option<NaiveDate>, Option<i64>);
        // (recurrence, recurring, due date, due odometer, current odometer, expected)
        type Case = (
            Recurrence,
            bool,
            Option<NaiveDate>,
            Option<i64>,
            i64,
            Option<Due>,
        );
        let cases: Vec<Case> = vec![
            // Due Jan 15, past due on May 1: a year from today.
            (
                yearly,
                true,
                Some(d(2024, 1, 15)),
                None,
                0,
                Some((Some(d(2025, 5, 1)), None)),
            ),
            // Due today at midnight is past due at 09:00.
            (
                yearly,
                true,
                Some(d(2024, 5, 1)),
                None,
                0,
                Some((Some(d(2025, 5, 1)), None)),
            ),
            // Due tomorrow: very urgent, not past due, left alone.
            (yearly, true, Some(d(2024, 5, 2)), None, 0, None),
            // One-off reminders are never refreshed.
            (yearly, false, Some(d(2024, 1, 15)), None, 0, None),
            // Odometer 40 000 passed at 42 000: 42 000 + 5 000; the date stays.
            (
                Recurrence {
                    metric: Odometer,
                    ..yearly
                },
                true,
                Some(d(2024, 1, 15)),
                Some(40_000),
                42_000,
                Some((Some(d(2024, 1, 15)), Some(47_000))),
            ),
            // Odometer not reached yet (due 42 000 at 42 000 is not "<").
            (
                Recurrence {
                    metric: Odometer,
                    ..yearly
                },
                true,
                None,
                Some(42_000),
                42_000,
                None,
            ),
            // Both, fixed 6 months / 3 000: Nov 30 → May 30 (clamped), 30 000 → 33 000; one
            // step is enough.
            (
                Recurrence {
                    metric: Both,
                    fixed_intervals: true,
                    month_interval: 6,
                    mileage_interval: 3000,
                    ..yearly
                },
                true,
                Some(d(2023, 11, 30)),
                Some(30_000),
                31_000,
                Some((Some(d(2024, 5, 30)), Some(33_000))),
            ),
            // Fixed monthly from Jan 31: Feb 29, Mar 29, Apr 29 (still past), May 29.
            (
                Recurrence {
                    fixed_intervals: true,
                    month_interval: 1,
                    ..yearly
                },
                true,
                Some(d(2024, 1, 31)),
                None,
                0,
                Some((Some(d(2024, 5, 29)), None)),
            ),
            // Fixed every 10 days from Apr 20: Apr 30 is still past, May 10 is not.
            (
                Recurrence {
                    fixed_intervals: true,
                    month_interval: 0,
                    custom_month_interval: 10,
                    custom_interval_unit: ReminderIntervalUnit::Days,
                    ..yearly
                },
                true,
                Some(d(2024, 4, 20)),
                None,
                0,
                Some((Some(d(2024, 5, 10)), None)),
            ),
            // An interval of 0 makes no progress: nothing is saved.
            (
                Recurrence {
                    fixed_intervals: true,
                    month_interval: 0,
                    custom_month_interval: 0,
                    ..yearly
                },
                true,
                Some(d(2024, 4, 20)),
                None,
                0,
                None,
            ),
        ];
        for (i, (rec, recurring, date, odo, current, expected)) in cases.into_iter().enumerate() {
            assert_eq!(
                auto_refresh(rec, recurring, date, odo, now, current),
                expected,
                "case {i}"
            );
        }
    }
}
