//! When jobs are due: the daily instant, retry back-off for webhooks. Pure functions of the
//! time they are given.

use std::time::Duration;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};

/// `"HH:MM"` (UTC, 24-hour) → the time of day.
pub fn parse_daily_at(text: &str) -> Option<NaiveTime> {
    let (h, m) = text.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// The latest daily instant at or before `now`: today at `at` once that has passed, else
/// yesterday at `at`. A daily job is due while it has no successful run since this instant.
pub fn last_daily_instant(now: DateTime<Utc>, at: NaiveTime) -> DateTime<Utc> {
    let today = now.date_naive().and_time(at).and_utc();
    if today <= now {
        today
    } else {
        today - TimeDelta::days(1)
    }
}

/// Longest wait between two webhook attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Wait before the next webhook attempt after `attempts` failed ones: `base·2^(attempts−1)`
/// (capped at an hour) plus `jitter` (a fraction in [0, 1) of half that), plus the receiver's
/// `Retry-After` on 429 — the reference's "2^n s + Retry-After + random", with a configurable
/// base.
pub fn backoff(
    base: Duration,
    attempts: u32,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = attempts.saturating_sub(1).min(20);
    let step = base.saturating_mul(1u32 << exp).min(MAX_BACKOFF);
    let spread = step.mul_f64(jitter.clamp(0.0, 1.0) / 2.0);
    step + spread + retry_after.unwrap_or_default().min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn daily_at_is_hh_mm() {
        assert_eq!(parse_daily_at("03:00"), NaiveTime::from_hms_opt(3, 0, 0));
        assert_eq!(parse_daily_at("23:59"), NaiveTime::from_hms_opt(23, 59, 0));
        for bad in ["3:00", "24:00", "12:60", "noon", "", "12:00:00", "1200"] {
            assert_eq!(parse_daily_at(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_last_instant_is_today_once_passed_else_yesterday() {
        let at = NaiveTime::from_hms_opt(3, 0, 0).unwrap();
        let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
        // (now, last instant)
        for (now, expected) in [
            (utc(26, 11, 30), utc(26, 3, 0)),
            (utc(26, 3, 0), utc(26, 3, 0)),
            (utc(26, 2, 59), utc(25, 3, 0)),
            (
                utc(1, 0, 0),
                Utc.with_ymd_and_hms(2026, 10, 31, 3, 0, 0).unwrap(),
            ),
        ] {
            assert_eq!(last_daily_instant(now, at), expected, "{now}");
        }
    }

    #[test]
    fn backoff_doubles_from_the_base_and_adds_retry_after() {
        let base = Duration::from_secs(2);
        // (attempts so far, jitter, Retry-After, wait)
        for (attempts, jitter, retry, secs) in [
            (1, 0.0, None, 2.0),
            (2, 0.0, None, 4.0),
            (3, 0.0, None, 8.0),
            (5, 0.0, None, 32.0),
            (3, 0.5, None, 10.0),
            (2, 0.0, Some(7), 11.0),
            (30, 0.0, None, 3600.0),
        ] {
            let got = backoff(base, attempts, jitter, retry.map(Duration::from_secs));
            assert_eq!(got.as_secs_f64(), secs, "attempt {attempts}");
        }
    }
}
