//! Reading form text into typed values, collecting a message per bad field.
//!
//! The pages parse what the user typed with these helpers, then run the shared rules
//! (`motovault_shared::validate`) over the result; [`merge`] keeps one message per field.

use std::str::FromStr;

use chrono::NaiveDate;
use motovault_shared::Amount;
use motovault_shared::problem::FieldError;

use crate::i18n::mark;

/// A required whole number.
pub fn integer<T: FromStr>(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, mark("is required")));
        return None;
    }
    match text.replace(',', "").parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(FieldError::new(field, mark("must be a whole number")));
            None
        }
    }
}

/// A required decimal amount.
pub fn amount(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<Amount> {
    if text.trim().is_empty() {
        errors.push(FieldError::new(field, mark("is required")));
        return None;
    }
    optional_amount(errors, field, text)
}

/// A decimal amount that may be left empty.
pub fn optional_amount(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<Amount> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match Amount::parse(&text.replace(',', "")) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError::new(field, e.to_string()));
            None
        }
    }
}

/// A required `YYYY-MM-DD` date.
pub fn date(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        errors.push(FieldError::new(field, mark("is required")));
        return None;
    }
    optional_date(errors, field, text)
}

/// A `YYYY-MM-DD` date that may be left empty.
pub fn optional_date(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // Read by hand: chrono's `parse_from_str` brings its format-string parser into the bundle.
    let mut parts = text.splitn(3, '-');
    let mut number = || parts.next().and_then(|p| p.parse::<u32>().ok());
    let parsed = match (number(), number(), number()) {
        (Some(y), Some(m), Some(d)) if text.len() == 10 => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    match parsed {
        Some(d) => Some(d),
        None => {
            errors.push(FieldError::new(field, mark("must be a date (YYYY-MM-DD)")));
            None
        }
    }
}

/// Reading errors first, then the rules' messages for fields that read fine.
pub fn merge(mut parsed: Vec<FieldError>, rules: Vec<FieldError>) -> Vec<FieldError> {
    for error in rules {
        if !parsed.iter().any(|e| e.field == error.field) {
            parsed.push(error);
        }
    }
    parsed
}

/// `Some(text)` unless blank.
pub fn non_blank(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Today's date in the browser's time zone.
pub fn today() -> NaiveDate {
    let now = web_sys::js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_amounts_and_dates() {
        let mut errors = Vec::new();
        assert_eq!(
            integer::<i64>(&mut errors, "odometer", " 1,300 "),
            Some(1300)
        );
        assert_eq!(integer::<i64>(&mut errors, "odometer", "-5"), Some(-5));
        assert_eq!(
            amount(&mut errors, "cost", "45.67"),
            Some(Amount::parse("45.67").unwrap())
        );
        assert_eq!(optional_amount(&mut errors, "soldPrice", "  "), None);
        assert_eq!(
            date(&mut errors, "date", "2024-01-10"),
            NaiveDate::from_ymd_opt(2024, 1, 10)
        );
        assert!(errors.is_empty());

        assert_eq!(integer::<i32>(&mut errors, "year", ""), None);
        assert_eq!(integer::<i32>(&mut errors, "year", "20x9"), None);
        assert_eq!(amount(&mut errors, "cost", "abc"), None);
        assert_eq!(optional_date(&mut errors, "soldDate", "10/01/2024"), None);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "year", "cost", "soldDate"]);
        assert_eq!(errors[0].message, "is required");
        assert_eq!(errors[2].message, "must be a number");
    }

    #[test]
    fn merge_keeps_one_message_per_field() {
        let parsed = vec![FieldError::new("year", "is required")];
        let rules = vec![
            FieldError::new("year", "must be between 1886 and 2100"),
            FieldError::new("make", "is required"),
        ];
        let merged = merge(parsed, rules);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].message, "is required");
        assert_eq!(merged[1].field, "make");
    }
}
