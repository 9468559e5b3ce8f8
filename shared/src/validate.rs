//! Input rules, shared so the web form shows the same messages the server answers with.
//!
//! Each function returns every problem at once (empty when the input is valid), with field
//! names as they appear in JSON.

use chrono::{Datelike, NaiveDate};

use crate::amount::Amount;
use crate::dto::{FuelRecordInput, LoginRequest, SetupRequest, VehicleInput};
use crate::problem::FieldError;

pub const MIN_YEAR: i32 = 1886;
pub const MAX_YEAR: i32 = 2100;
pub const MAX_ODOMETER: i64 = 99_999_999;
pub const MAX_MONEY_UNITS: i64 = 1_000_000_000;
pub const MAX_FUEL_UNITS: i64 = 100_000;
pub const MAX_TEXT: usize = 200;
pub const MAX_NOTES: usize = 20_000;
pub const MAX_TAGS: usize = 50;
pub const MAX_TAG_LEN: usize = 50;
pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 1024;

pub fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, "is required"));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
}

pub fn money(errors: &mut Vec<FieldError>, field: &str, value: Amount) {
    if value.is_negative() {
        errors.push(FieldError::new(field, "must not be negative"));
    } else if value > Amount::from_units(MAX_MONEY_UNITS) {
        errors.push(FieldError::new(
            field,
            format!("must be at most {MAX_MONEY_UNITS}"),
        ));
    }
}

pub fn date(errors: &mut Vec<FieldError>, field: &str, value: NaiveDate) {
    if !(1900..=MAX_YEAR).contains(&value.year()) {
        errors.push(FieldError::new(
            field,
            format!("must be between 1900 and {MAX_YEAR}"),
        ));
    }
}

/// Tags are single words (the reference stores space-separated input as a list).
pub fn tags(errors: &mut Vec<FieldError>, field: &str, tags: &[String]) {
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new(field, format!("at most {MAX_TAGS} tags")));
        return;
    }
    for tag in tags {
        if tag.trim().is_empty() || tag.chars().any(char::is_whitespace) {
            errors.push(FieldError::new(field, "tags must be single words"));
            return;
        }
        if tag.chars().count() > MAX_TAG_LEN {
            errors.push(FieldError::new(
                field,
                format!("tags must be at most {MAX_TAG_LEN} characters"),
            ));
            return;
        }
    }
}

/// Splits "a b  c" into tags, dropping duplicates while keeping order.
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in input.split_whitespace() {
        if !out.iter().any(|t| t == tag) {
            out.push(tag.to_owned());
        }
    }
    out
}

pub fn username(errors: &mut Vec<FieldError>, value: &str) {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.push(FieldError::new("username", "is required"));
    } else if trimmed.chars().count() > 64 {
        errors.push(FieldError::new("username", "must be at most 64 characters"));
    } else if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.push(FieldError::new("username", "must not contain spaces"));
    }
}

pub fn password(errors: &mut Vec<FieldError>, value: &str) {
    let len = value.chars().count();
    if len < MIN_PASSWORD {
        errors.push(FieldError::new(
            "password",
            format!("must be at least {MIN_PASSWORD} characters"),
        ));
    } else if len > MAX_PASSWORD {
        errors.push(FieldError::new(
            "password",
            format!("must be at most {MAX_PASSWORD} characters"),
        ));
    }
}

pub fn setup(input: &SetupRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    username(&mut errors, &input.username);
    password(&mut errors, &input.password);
    if let Some(email) = input.email.as_deref().filter(|e| !e.trim().is_empty()) {
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
            });
        if !valid {
            errors.push(FieldError::new("email", "must be an e-mail address"));
        }
    }
    errors
}

pub fn login(input: &LoginRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.username.trim().is_empty() {
        errors.push(FieldError::new("username", "is required"));
    }
    if input.password.is_empty() {
        errors.push(FieldError::new("password", "is required"));
    } else if input.password.chars().count() > MAX_PASSWORD {
        errors.push(FieldError::new(
            "password",
            format!("must be at most {MAX_PASSWORD} characters"),
        ));
    }
    errors
}

pub fn vehicle(input: &VehicleInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(MIN_YEAR..=MAX_YEAR).contains(&input.year) {
        errors.push(FieldError::new(
            "year",
            format!("must be between {MIN_YEAR} and {MAX_YEAR}"),
        ));
    }
    text(&mut errors, "make", &input.make, true, MAX_TEXT);
    text(&mut errors, "model", &input.model, true, MAX_TEXT);
    text(&mut errors, "licensePlate", &input.license_plate, false, 50);
    text(
        &mut errors,
        "vehicleIdentifier",
        &input.vehicle_identifier,
        true,
        MAX_TEXT,
    );
    if let Some(d) = input.purchase_date {
        date(&mut errors, "purchaseDate", d);
    }
    if let Some(d) = input.sold_date {
        date(&mut errors, "soldDate", d);
    }
    if let (Some(bought), Some(sold)) = (input.purchase_date, input.sold_date)
        && sold < bought
    {
        errors.push(FieldError::new(
            "soldDate",
            "must not be before the purchase date",
        ));
    }
    if let Some(p) = input.purchase_price {
        money(&mut errors, "purchasePrice", p);
    }
    if let Some(p) = input.sold_price {
        money(&mut errors, "soldPrice", p);
    }
    tags(&mut errors, "tags", &input.tags);
    let multiplier = input.odometer_multiplier;
    if multiplier.scaled() <= 0 || multiplier > Amount::from_units(1000) {
        errors.push(FieldError::new(
            "odometerMultiplier",
            "must be greater than 0 and at most 1000",
        ));
    } else if multiplier.scaled() % 10 != 0 {
        errors.push(FieldError::new(
            "odometerMultiplier",
            "must have at most 3 decimals",
        ));
    }
    if input.odometer_difference.abs() > MAX_ODOMETER {
        errors.push(FieldError::new(
            "odometerDifference",
            format!("must be between -{MAX_ODOMETER} and {MAX_ODOMETER}"),
        ));
    }
    errors
}

pub fn fuel_record(input: &FuelRecordInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    date(&mut errors, "date", input.date);
    if !(0..=MAX_ODOMETER).contains(&input.odometer) {
        errors.push(FieldError::new(
            "odometer",
            format!("must be between 0 and {MAX_ODOMETER}"),
        ));
    }
    if input.fuel_consumed.is_negative() {
        errors.push(FieldError::new("fuelConsumed", "must not be negative"));
    } else if input.fuel_consumed > Amount::from_units(MAX_FUEL_UNITS) {
        errors.push(FieldError::new(
            "fuelConsumed",
            format!("must be at most {MAX_FUEL_UNITS}"),
        ));
    }
    money(&mut errors, "cost", input.cost);
    text(&mut errors, "notes", &input.notes, false, MAX_NOTES);
    tags(&mut errors, "tags", &input.tags);
    for (field, soc) in [
        ("startingSoc", input.starting_soc),
        ("endingSoc", input.ending_soc),
    ] {
        if soc.is_some_and(|v| !(0..=100).contains(&v)) {
            errors.push(FieldError::new(field, "must be between 0 and 100"));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fuel() -> FuelRecordInput {
        FuelRecordInput {
            date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            odometer: 1000,
            fuel_consumed: Amount::from_units(10),
            cost: Amount::from_units(40),
            is_fill_to_full: true,
            missed_fuel_up: false,
            notes: String::new(),
            tags: vec![],
            starting_soc: None,
            ending_soc: None,
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn fuel_record_rules() {
        assert!(fuel_record(&fuel()).is_empty());
        type Mutation = Box<dyn Fn(&mut FuelRecordInput)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|f| f.odometer = -1), "odometer"),
            (Box::new(|f| f.odometer = MAX_ODOMETER + 1), "odometer"),
            (
                Box::new(|f| f.fuel_consumed = Amount::from_units(-1)),
                "fuelConsumed",
            ),
            (
                Box::new(|f| f.fuel_consumed = Amount::from_units(MAX_FUEL_UNITS + 1)),
                "fuelConsumed",
            ),
            (Box::new(|f| f.cost = Amount::from_scaled(-1)), "cost"),
            (
                Box::new(|f| f.date = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap()),
                "date",
            ),
            (Box::new(|f| f.tags = vec!["two words".into()]), "tags"),
            (Box::new(|f| f.notes = "x".repeat(MAX_NOTES + 1)), "notes"),
            (Box::new(|f| f.starting_soc = Some(-1)), "startingSoc"),
            (Box::new(|f| f.ending_soc = Some(101)), "endingSoc"),
        ];
        for (mutate, field) in cases {
            let mut input = fuel();
            mutate(&mut input);
            assert_eq!(fields(&fuel_record(&input)), vec![field]);
        }
    }

    #[test]
    fn vehicle_rules() {
        let mut v: VehicleInput =
            serde_json::from_str(r#"{"year":2019,"make":"Honda","model":"Civic"}"#).unwrap();
        assert!(vehicle(&v).is_empty(), "{:?}", vehicle(&v));
        assert_eq!(v.odometer_multiplier, Amount::from_units(1));
        v.year = 1700;
        v.make = " ".into();
        v.purchase_date = NaiveDate::from_ymd_opt(2020, 1, 1);
        v.sold_date = NaiveDate::from_ymd_opt(2019, 1, 1);
        v.odometer_multiplier = Amount::parse("1.0005").unwrap();
        assert_eq!(
            fields(&vehicle(&v)),
            vec!["year", "make", "soldDate", "odometerMultiplier"]
        );
    }

    #[test]
    fn account_rules_and_tag_parsing() {
        let ok = SetupRequest {
            username: "ann".into(),
            password: "correct horse".into(),
            email: Some("ann@example.com".into()),
        };
        assert!(setup(&ok).is_empty());
        let bad = SetupRequest {
            username: "a b".into(),
            password: "short".into(),
            email: Some("nope".into()),
        };
        assert_eq!(fields(&setup(&bad)), vec!["username", "password", "email"]);
        assert_eq!(parse_tags("  daily  work daily "), vec!["daily", "work"]);
    }
}
