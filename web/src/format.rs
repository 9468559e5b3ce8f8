//! Display helpers: numbers, money, dates and economy figures.

use chrono::{Datelike, NaiveDate};
use motovault_shared::Amount;
use motovault_shared::amount::SCALE;
use motovault_shared::fuel::round2;

/// Groups thousands: `1234567` → `1,234,567`.
pub fn grouped(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Money with two decimals, rounded half away from zero, exactly: `1234.5` → `1,234.50`.
pub fn money(amount: Amount) -> String {
    let scaled = amount.scaled();
    let step = SCALE / 100;
    let cents_abs = (scaled.unsigned_abs() + (step as u64) / 2) / step as u64;
    let whole = i64::try_from(cents_abs / 100).unwrap_or(i64::MAX);
    let sign = if scaled < 0 && cents_abs > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", grouped(whole), cents_abs % 100)
}

/// A quantity as entered (exact, shortest form): `10`, `12.345`.
pub fn quantity(amount: Amount) -> String {
    amount.to_string()
}

/// Two decimals, or an em dash where the rules give no figure.
pub fn economy(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{:.2}", round2(v)),
        _ => "—".to_owned(),
    }
}

/// A plain float with two decimals (cost per unit).
pub fn decimal2(value: f64) -> String {
    format!("{:.2}", round2(value))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Jan` for January. Dates are written by hand rather than with chrono's `format`, which
/// would bring its whole format-string machinery into the bundle.
pub fn month(value: NaiveDate) -> &'static str {
    MONTHS[value.month0() as usize % 12]
}

/// `2024-01-20` → `Jan 20, 2024`.
pub fn date(value: NaiveDate) -> String {
    format!("{} {}, {}", month(value), value.day(), value.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(-1234567), "-1,234,567");
    }

    #[test]
    fn money_rounds_exactly() {
        assert_eq!(money(Amount::parse("1234.5").unwrap()), "1,234.50");
        assert_eq!(money(Amount::parse("0.005").unwrap()), "0.01");
        assert_eq!(money(Amount::parse("0.0049").unwrap()), "0.00");
        assert_eq!(money(Amount::parse("-3.456").unwrap()), "-3.46");
        assert_eq!(money(Amount::ZERO), "0.00");
    }

    #[test]
    fn economy_and_dates() {
        assert_eq!(economy(Some(40.0)), "40.00");
        assert_eq!(economy(Some(35.294_117)), "35.29");
        assert_eq!(economy(None), "—");
        let d = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(date(d), "Jan 5, 2024");
        let d = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert_eq!(date(d), "Dec 31, 1999");
    }
}
