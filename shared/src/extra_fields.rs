//! Extra-field rules shared by server and client: merging a record's values with the current
//! template (reference §1 "Extra fields", `StaticHelper.AddExtraFields`) and checking values
//! against their field types.
//!
//! LubeLogger's API and CSV paths store anything (§3.9); the native API checks required fields
//! and types here, so the web form shows the same messages the server answers with.

use chrono::{NaiveDate, NaiveTime};

use crate::dto::extra_fields::{
    ExtraField, ExtraFieldDefinition, ExtraFieldType, ExtraFieldValueInput, MAX_VALUE,
};
use crate::problem::FieldError;

/// A record's fields as the template says they are now (`AddExtraFields`): fields no longer in
/// the template are dropped, `isRequired`/`fieldType` come from the template, template fields
/// the record lacks are appended with an empty value, and the template's order applies. Names
/// compare exactly; should a record carry a name twice, the first value wins.
pub fn merge(record: &[ExtraField], template: &[ExtraFieldDefinition]) -> Vec<ExtraField> {
    template
        .iter()
        .map(|def| ExtraField {
            name: def.name.clone(),
            value: record
                .iter()
                .find(|f| f.name == def.name)
                .map(|f| f.value.clone())
                .unwrap_or_default(),
            is_required: def.is_required,
            field_type: def.field_type,
        })
        .collect()
}

/// Whether `value` (already trimmed, not empty) is a valid value of `field_type`; the message
/// says what is expected otherwise.
pub fn check_value(field_type: ExtraFieldType, value: &str) -> Result<(), &'static str> {
    let ok = match field_type {
        ExtraFieldType::Text | ExtraFieldType::Location => true,
        ExtraFieldType::Number => is_integer(value),
        ExtraFieldType::Decimal => is_decimal(value),
        ExtraFieldType::Date => is_date(value),
        ExtraFieldType::Time => is_time(value),
    };
    if ok {
        return Ok(());
    }
    Err(match field_type {
        ExtraFieldType::Number => "must be a whole number",
        ExtraFieldType::Decimal => "must be a number",
        ExtraFieldType::Date => "must be a date (YYYY-MM-DD)",
        ExtraFieldType::Time => "must be a time (HH:MM)",
        ExtraFieldType::Text | ExtraFieldType::Location => "is invalid",
    })
}

fn unsigned_digits(text: &str) -> &str {
    text.strip_prefix(['-', '+']).unwrap_or(text)
}

fn is_integer(text: &str) -> bool {
    let digits = unsigned_digits(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_ok()
}

/// Plain decimal notation only ("12", "-0.5", ".5"): no exponent, no `NaN`, no grouping.
fn is_decimal(text: &str) -> bool {
    let digits = unsigned_digits(text);
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(int_part.is_empty() && frac_part.is_empty())
        && all_digits(int_part)
        && all_digits(frac_part)
        && int_part.len() <= 18
}

fn is_date(text: &str) -> bool {
    // chrono also accepts unpadded parts; the wire format is the padded ISO date only.
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

fn is_time(text: &str) -> bool {
    text.len() == 5
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 2 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        })
        && NaiveTime::parse_from_str(text, "%H:%M").is_ok()
}

/// Every problem of a record's new values against the template: unknown or repeated names name
/// `fields[i].name`; bad values name `fields[i].value`; a required field left out names
/// `fields`.
pub fn validate_values(
    input: &[ExtraFieldValueInput],
    template: &[ExtraFieldDefinition],
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (i, field) in input.iter().enumerate() {
        let name = field.name.trim();
        let Some(def) = template.iter().find(|d| d.name == name) else {
            errors.push(FieldError::new(
                &format!("fields[{i}].name"),
                "is not a field of this record type",
            ));
            continue;
        };
        if input[..i].iter().any(|f| f.name.trim() == name) {
            errors.push(FieldError::new(
                &format!("fields[{i}].name"),
                "is given twice",
            ));
            continue;
        }
        let path = format!("fields[{i}].value");
        let value = field.value.trim();
        if value.is_empty() {
            if def.is_required {
                errors.push(FieldError::new(&path, "is required"));
            }
        } else if value.chars().count() > MAX_VALUE {
            errors.push(FieldError::new(
                &path,
                format!("must be at most {MAX_VALUE} characters"),
            ));
        } else if let Err(message) = check_value(def.field_type, value) {
            errors.push(FieldError::new(&path, message));
        }
    }
    for def in template.iter().filter(|d| d.is_required) {
        if !input.iter().any(|f| f.name.trim() == def.name) {
            errors.push(FieldError::new(
                "fields",
                format!("`{}` is required", def.name),
            ));
        }
    }
    errors
}

/// The values to store for valid input: trimmed, empty ones left out (an empty value and a
/// missing one read back the same), in template order.
pub fn values_to_store(
    input: &[ExtraFieldValueInput],
    template: &[ExtraFieldDefinition],
) -> Vec<(String, String)> {
    template
        .iter()
        .filter_map(|def| {
            input
                .iter()
                .find(|f| f.name.trim() == def.name)
                .map(|f| f.value.trim())
                .filter(|v| !v.is_empty())
                .map(|v| (def.name.clone(), v.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn def(name: &str, field_type: ExtraFieldType, is_required: bool) -> ExtraFieldDefinition {
        ExtraFieldDefinition {
            name: name.to_owned(),
            field_type,
            is_required,
        }
    }

    fn field(name: &str, value: &str, field_type: ExtraFieldType, req: bool) -> ExtraField {
        ExtraField {
            name: name.to_owned(),
            value: value.to_owned(),
            is_required: req,
            field_type,
        }
    }

    fn input(pairs: &[(&str, &str)]) -> Vec<ExtraFieldValueInput> {
        pairs
            .iter()
            .map(|(n, v)| ExtraFieldValueInput {
                name: (*n).to_owned(),
                value: (*v).to_owned(),
            })
            .collect()
    }

    use ExtraFieldType::{Date, Decimal, Location, Number, Text, Time};

    #[test]
    fn merge_follows_add_extra_fields() {
        // The record was saved under an older template: A (text), B (text), Old.
        let record = vec![
            field("B", "b-value", Text, false),
            field("Old", "gone", Text, false),
            field("A", "a-value", Text, false),
        ];
        // Now: C is new, B became a required number, A keeps its place after B, Old is gone.
        let template = vec![
            def("B", Number, true),
            def("C", Date, false),
            def("A", Text, false),
        ];
        let merged = merge(&record, &template);
        assert_eq!(
            merged,
            vec![
                field("B", "b-value", Number, true),
                field("C", "", Date, false),
                field("A", "a-value", Text, false),
            ]
        );
    }

    #[test]
    fn merge_edge_cases() {
        let template = vec![def("A", Text, true)];
        // No template: nothing to show, whatever the record holds.
        assert!(merge(&[field("A", "x", Text, false)], &[]).is_empty());
        // No values: the template with empty values.
        assert_eq!(merge(&[], &template), vec![field("A", "", Text, true)]);
        // Names compare exactly.
        assert_eq!(
            merge(&[field("a", "x", Text, false)], &template),
            vec![field("A", "", Text, true)]
        );
        // A repeated name: the first value wins.
        assert_eq!(
            merge(
                &[field("A", "1", Text, false), field("A", "2", Text, false)],
                &template
            ),
            vec![field("A", "1", Text, true)]
        );
    }

    #[test]
    fn values_are_checked_against_their_types() {
        let cases: &[(ExtraFieldType, &str, bool)] = &[
            (Text, "anything at all", true),
            (Location, "48.85,2.35 Paris", true),
            (Number, "42", true),
            (Number, "-7", true),
            (Number, "+7", true),
            (Number, "4.5", false),
            (Number, "1e3", false),
            (Number, "99999999999999999999", false),
            (Number, "-", false),
            (Decimal, "12.5", true),
            (Decimal, "-0.25", true),
            (Decimal, ".5", true),
            (Decimal, "7", true),
            (Decimal, "1,5", false),
            (Decimal, "NaN", false),
            (Decimal, "1e5", false),
            (Decimal, ".", false),
            (Date, "2024-02-29", true),
            (Date, "2023-02-29", false),
            (Date, "2024-2-9", false),
            (Date, "29/02/2024", false),
            (Time, "00:00", true),
            (Time, "23:59", true),
            (Time, "24:00", false),
            (Time, "7:30", false),
            (Time, "07:60", false),
        ];
        for (field_type, value, valid) in cases {
            assert_eq!(
                check_value(*field_type, value).is_ok(),
                *valid,
                "{field_type:?} {value:?}"
            );
        }
    }

    #[test]
    fn validation_names_each_bad_field() {
        let template = vec![
            def("Warranty", Date, true),
            def("Shop", Text, false),
            def("Hours", Number, false),
            def("Plate", Text, true),
        ];
        let errors = validate_values(
            &input(&[
                ("Warranty", " "),
                ("Hours", "1.5"),
                ("Colour", "red"),
                ("Shop", "ok"),
                ("Shop", "again"),
            ]),
            &template,
        );
        let got: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("fields[0].value", "is required"),
                ("fields[1].value", "must be a whole number"),
                ("fields[2].name", "is not a field of this record type"),
                ("fields[4].name", "is given twice"),
                ("fields", "`Plate` is required"),
            ]
        );
        let good = input(&[("Plate", "X"), ("Warranty", "2026-01-31"), ("Shop", "")]);
        assert!(validate_values(&good, &template).is_empty());
        assert_eq!(
            values_to_store(&good, &template),
            vec![
                ("Warranty".to_owned(), "2026-01-31".to_owned()),
                ("Plate".to_owned(), "X".to_owned()),
            ]
        );
        let long = "x".repeat(MAX_VALUE + 1);
        let errors = validate_values(
            &input(&[("Plate", &long), ("Warranty", "2026-01-01")]),
            &template,
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "fields[0].value");
    }

    fn kind() -> impl Strategy<Value = ExtraFieldType> {
        prop_oneof![
            Just(Text),
            Just(Number),
            Just(Decimal),
            Just(Date),
            Just(Time),
            Just(Location)
        ]
    }

    fn template() -> impl Strategy<Value = Vec<ExtraFieldDefinition>> {
        prop::collection::vec(("[a-e]{1,2}", kind(), any::<bool>()), 0..8).prop_map(|defs| {
            let mut out: Vec<ExtraFieldDefinition> = Vec::new();
            for (name, field_type, is_required) in defs {
                if !out.iter().any(|d| d.name == name) {
                    out.push(def(&name, field_type, is_required));
                }
            }
            out
        })
    }

    fn record() -> impl Strategy<Value = Vec<ExtraField>> {
        prop::collection::vec(("[a-e]{1,2}", "[a-z0-9]{0,3}", kind(), any::<bool>()), 0..8)
            .prop_map(|fields| {
                fields
                    .into_iter()
                    .map(|(n, v, t, r)| field(&n, &v, t, r))
                    .collect()
            })
    }

    proptest! {
        #[test]
        fn merge_is_idempotent_and_follows_the_template(record in record(), template in template()) {
            let once = merge(&record, &template);
            prop_assert_eq!(&merge(&once, &template), &once);
            let names: Vec<&str> = once.iter().map(|f| f.name.as_str()).collect();
            let wanted: Vec<&str> = template.iter().map(|d| d.name.as_str()).collect();
            prop_assert_eq!(names, wanted);
            for (f, d) in once.iter().zip(&template) {
                prop_assert_eq!(f.field_type, d.field_type);
                prop_assert_eq!(f.is_required, d.is_required);
            }
        }
    }
}
