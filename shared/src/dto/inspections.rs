//! Inspection templates and inspections (reference §1 "Inspections + templates", §2.1
//! InspectionFieldType, §2.3 InspectionRecord and Inspection template), with the pass/fail rule
//! as a pure function so the web form can show the verdict before saving.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::dto::maintenance::MaintenanceKind;
use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_ODOMETER, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most fields one template may hold.
pub const MAX_FIELDS: usize = 200;
/// Most options one check or radio field may hold.
pub const MAX_OPTIONS: usize = 50;

/// Reads a lowercase string enum. A non-string is a data error (422 naming the field), not the
/// syntax error serde_json reports for derived enums.
fn string_enum<'de, D, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    names: &'static [&'static str],
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| de::Error::unknown_variant(&text, names))
}

/// Reference `InspectionFieldType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum InspectionFieldType {
    /// Free text; never fails.
    Text,
    /// Several options may be ticked; fails when a fail option is **not** ticked.
    Check,
    /// One option; fails when the chosen option is a fail option.
    Radio,
}

impl InspectionFieldType {
    const NAMES: &'static [&'static str] = &["text", "check", "radio"];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionFieldType::Text => "text",
            InspectionFieldType::Check => "check",
            InspectionFieldType::Radio => "radio",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "text" => Some(InspectionFieldType::Text),
            "check" => Some(InspectionFieldType::Check),
            "radio" => Some(InspectionFieldType::Radio),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for InspectionFieldType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_enum(deserializer, Self::parse, Self::NAMES)
    }
}

/// Priority of the plan an action item becomes (reference `PlanPriority`); stored as
/// `plan_records.priority`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ActionItemPriority {
    Critical,
    #[default]
    Normal,
    Low,
}

impl ActionItemPriority {
    const NAMES: &'static [&'static str] = &["critical", "normal", "low"];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionItemPriority::Critical => "critical",
            ActionItemPriority::Normal => "normal",
            ActionItemPriority::Low => "low",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "critical" => Some(ActionItemPriority::Critical),
            "normal" => Some(ActionItemPriority::Normal),
            "low" => Some(ActionItemPriority::Low),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for ActionItemPriority {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string_enum(deserializer, Self::parse, Self::NAMES)
    }
}

fn default_action_type() -> MaintenanceKind {
    MaintenanceKind::Service
}

/// One choice of a check or radio field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionOption {
    pub description: String,
    #[serde(default)]
    pub is_fail: bool,
}

/// One field of a template. With `hasActionItem`, a failed answer adds a Backlog plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionTemplateField {
    pub description: String,
    pub field_type: InspectionFieldType,
    /// At least one for check and radio fields; none for text fields.
    #[serde(default)]
    pub options: Vec<InspectionOption>,
    #[serde(default)]
    pub has_notes: bool,
    #[serde(default)]
    pub has_action_item: bool,
    #[serde(default = "default_action_type")]
    pub action_item_type: MaintenanceKind,
    /// Required with `hasActionItem`: the description of the plan.
    #[serde(default)]
    pub action_item_description: String,
    #[serde(default)]
    pub action_item_priority: ActionItemPriority,
}

/// Create or replace an inspection template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionTemplateInput {
    pub description: String,
    /// The default cost of inspections made from it.
    #[serde(default)]
    pub cost: Amount,
    pub fields: Vec<InspectionTemplateField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InspectionTemplate {
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    pub cost: Amount,
    pub fields: Vec<InspectionTemplateField>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vehicle's inspection templates, by description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InspectionTemplateList {
    pub records: Vec<InspectionTemplate>,
}

/// The answer to one template field. Fields without an answer count as answered with nothing
/// (no text, no option ticked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionResultInput {
    /// Position of the field in the template's `fields`, from 0.
    pub field_index: usize,
    /// The answer of a text field.
    #[serde(default)]
    pub value: Option<String>,
    /// Positions of the ticked options, from 0 (at most one for a radio field).
    #[serde(default)]
    pub selected: Vec<usize>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// `POST …/inspections`: fills in a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionInput {
    pub template_id: i64,
    pub date: NaiveDate,
    /// 0 when the odometer was not read (no odometer record is then added).
    #[serde(default)]
    pub odometer: i64,
    /// Omitted or null: the template's cost.
    #[serde(default)]
    pub cost: Option<Amount>,
    /// Omitted, null or blank: the template's description.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub results: Vec<InspectionResultInput>,
}

/// `PUT …/inspections/{recordId}`: inspections are immutable except their tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InspectionTagsInput {
    pub tags: Vec<String>,
}

/// An option as it was answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InspectionResultOption {
    pub description: String,
    pub is_fail: bool,
    pub is_selected: bool,
}

/// One field as it was answered; a copy, so later template edits leave the record alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InspectionResult {
    pub description: String,
    pub field_type: InspectionFieldType,
    /// The text answer ("" for check and radio fields).
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub options: Vec<InspectionResultOption>,
    #[serde(default)]
    pub notes: String,
    pub failed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub id: i64,
    pub vehicle_id: i64,
    /// `null` once the template has been deleted.
    pub template_id: Option<i64>,
    pub date: NaiveDate,
    pub odometer: i64,
    pub description: String,
    pub cost: Amount,
    pub results: Vec<InspectionResult>,
    /// Whether any result failed.
    pub failed: bool,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vehicle's inspections, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InspectionList {
    pub records: Vec<Inspection>,
    /// Exact sum of the listed costs.
    pub total_cost: Amount,
}

// ---------------------------------------------------------------- rules

/// Whether one answered field fails (reference §1): a radio field fails when a fail option is
/// selected, a check field when a fail option is **not** selected; a text field never fails.
pub fn field_failed(field_type: InspectionFieldType, options: &[InspectionResultOption]) -> bool {
    match field_type {
        InspectionFieldType::Text => false,
        InspectionFieldType::Radio => options.iter().any(|o| o.is_fail && o.is_selected),
        InspectionFieldType::Check => options.iter().any(|o| o.is_fail && !o.is_selected),
    }
}

/// `Failed` of an inspection: any result failed.
pub fn any_failed(results: &[InspectionResult]) -> bool {
    results.iter().any(|r| r.failed)
}

/// Answers a template: one result per template field, in template order, each judged by
/// [`field_failed`]. Every problem at once when an answer names a field or option that does not
/// exist, answers a field twice, ticks two options of a radio field, or gives text to a
/// non-text field.
pub fn evaluate(
    fields: &[InspectionTemplateField],
    answers: &[InspectionResultInput],
) -> Result<Vec<InspectionResult>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut by_field: Vec<Option<&InspectionResultInput>> = vec![None; fields.len()];
    for (i, answer) in answers.iter().enumerate() {
        let Some(field) = fields.get(answer.field_index) else {
            errors.push(FieldError::new(
                &format!("results[{i}].fieldIndex"),
                "the template has no such field",
            ));
            continue;
        };
        if by_field[answer.field_index].is_some() {
            errors.push(FieldError::new(
                &format!("results[{i}].fieldIndex"),
                "this field is answered twice",
            ));
            continue;
        }
        if answer.selected.iter().any(|o| *o >= field.options.len()) {
            errors.push(FieldError::new(
                &format!("results[{i}].selected"),
                "the field has no such option",
            ));
        } else if field.field_type == InspectionFieldType::Radio
            && answer.selected.iter().collect::<HashSet<_>>().len() > 1
        {
            errors.push(FieldError::new(
                &format!("results[{i}].selected"),
                "a radio field takes one option",
            ));
        }
        if field.field_type != InspectionFieldType::Text
            && answer.value.as_deref().is_some_and(|v| !v.is_empty())
        {
            errors.push(FieldError::new(
                &format!("results[{i}].value"),
                "only text fields take a value",
            ));
        }
        by_field[answer.field_index] = Some(answer);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(fields
        .iter()
        .zip(by_field)
        .map(|(field, answer)| {
            let options: Vec<InspectionResultOption> = field
                .options
                .iter()
                .enumerate()
                .map(|(j, o)| InspectionResultOption {
                    description: o.description.clone(),
                    is_fail: o.is_fail,
                    is_selected: answer.is_some_and(|a| a.selected.contains(&j)),
                })
                .collect();
            InspectionResult {
                description: field.description.clone(),
                field_type: field.field_type,
                value: answer.and_then(|a| a.value.clone()).unwrap_or_default(),
                failed: field_failed(field.field_type, &options),
                options,
                notes: answer.and_then(|a| a.notes.clone()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The template fields that become Backlog plans: failed and carrying an action item.
/// `results` is what [`evaluate`] answered for these `fields`.
pub fn failed_action_items<'a>(
    fields: &'a [InspectionTemplateField],
    results: &[InspectionResult],
) -> Vec<&'a InspectionTemplateField> {
    fields
        .iter()
        .zip(results)
        .filter(|(field, result)| result.failed && field.has_action_item)
        .map(|(field, _)| field)
        .collect()
}

// ---------------------------------------------------------------- validation

pub fn validate_template(input: &InspectionTemplateInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::text(
        &mut errors,
        "description",
        &input.description,
        true,
        MAX_TEXT,
    );
    validate::money(&mut errors, "cost", input.cost);
    if input.fields.is_empty() {
        errors.push(FieldError::new("fields", "at least one field is required"));
    } else if input.fields.len() > MAX_FIELDS {
        errors.push(FieldError::new(
            "fields",
            format!("at most {MAX_FIELDS} fields"),
        ));
    }
    for (i, field) in input.fields.iter().enumerate().take(MAX_FIELDS) {
        let at = |name: &str| format!("fields[{i}].{name}");
        validate::text(
            &mut errors,
            &at("description"),
            &field.description,
            true,
            MAX_TEXT,
        );
        match field.field_type {
            InspectionFieldType::Text if !field.options.is_empty() => {
                errors.push(FieldError::new(
                    &at("options"),
                    "text fields have no options",
                ));
            }
            InspectionFieldType::Check | InspectionFieldType::Radio if field.options.is_empty() => {
                errors.push(FieldError::new(
                    &at("options"),
                    "at least one option is required",
                ));
            }
            _ if field.options.len() > MAX_OPTIONS => {
                errors.push(FieldError::new(
                    &at("options"),
                    format!("at most {MAX_OPTIONS} options"),
                ));
            }
            _ => {
                for (j, option) in field.options.iter().enumerate() {
                    validate::text(
                        &mut errors,
                        &format!("fields[{i}].options[{j}].description"),
                        &option.description,
                        true,
                        MAX_TEXT,
                    );
                }
            }
        }
        validate::text(
            &mut errors,
            &at("actionItemDescription"),
            &field.action_item_description,
            field.has_action_item,
            MAX_TEXT,
        );
    }
    errors
}

/// The inspection's own fields; the answers are checked against the template by [`evaluate`].
pub fn validate(input: &InspectionInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.template_id <= 0 {
        errors.push(FieldError::new("templateId", "must be a template id"));
    }
    validate::date(&mut errors, "date", input.date);
    if !(0..=MAX_ODOMETER).contains(&input.odometer) {
        errors.push(FieldError::new(
            "odometer",
            format!("must be between 0 and {MAX_ODOMETER}"),
        ));
    }
    if let Some(cost) = input.cost {
        validate::money(&mut errors, "cost", cost);
    }
    if let Some(description) = &input.description {
        validate::text(&mut errors, "description", description, false, MAX_TEXT);
    }
    validate::tags(&mut errors, "tags", &input.tags);
    if input.results.len() > MAX_FIELDS {
        errors.push(FieldError::new(
            "results",
            format!("at most {MAX_FIELDS} results"),
        ));
        return errors;
    }
    for (i, result) in input.results.iter().enumerate() {
        if let Some(value) = &result.value {
            validate::text(
                &mut errors,
                &format!("results[{i}].value"),
                value,
                false,
                MAX_NOTES,
            );
        }
        if let Some(notes) = &result.notes {
            validate::text(
                &mut errors,
                &format!("results[{i}].notes"),
                notes,
                false,
                MAX_NOTES,
            );
        }
        if result.selected.len() > MAX_OPTIONS {
            errors.push(FieldError::new(
                &format!("results[{i}].selected"),
                format!("at most {MAX_OPTIONS} options"),
            ));
        }
    }
    errors
}

pub fn validate_tags(input: &InspectionTagsInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::tags(&mut errors, "tags", &input.tags);
    errors
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn option(is_fail: bool, is_selected: bool) -> InspectionResultOption {
        InspectionResultOption {
            description: String::new(),
            is_fail,
            is_selected,
        }
    }

    fn field(json: &str) -> InspectionTemplateField {
        serde_json::from_str(json).unwrap()
    }

    /// Tyres (radio: Good / Worn (fail)), Lights (check: Front (fail) / Rear (fail) / Fog),
    /// Remarks (text).
    fn template() -> Vec<InspectionTemplateField> {
        vec![
            field(
                r#"{"description":"Tyres","fieldType":"radio","options":[{"description":"Good"},{"description":"Worn","isFail":true}],"hasActionItem":true,"actionItemType":"repair","actionItemDescription":"Replace tyres","actionItemPriority":"critical"}"#,
            ),
            field(
                r#"{"description":"Lights","fieldType":"check","options":[{"description":"Front","isFail":true},{"description":"Rear","isFail":true},{"description":"Fog"}],"hasNotes":true}"#,
            ),
            field(r#"{"description":"Remarks","fieldType":"text"}"#),
        ]
    }

    fn answer(field_index: usize, selected: &[usize]) -> InspectionResultInput {
        InspectionResultInput {
            field_index,
            value: None,
            selected: selected.to_vec(),
            notes: None,
        }
    }

    #[test]
    fn fail_rule_per_field_type() {
        use InspectionFieldType::{Check, Radio, Text};
        // (type, options as (isFail, isSelected), failed)
        let cases = [
            (Radio, vec![(false, true), (true, false)], false),
            (Radio, vec![(false, false), (true, true)], true),
            (Radio, vec![(false, false), (true, false)], false),
            (
                Check,
                vec![(true, true), (true, true), (false, false)],
                false,
            ),
            (
                Check,
                vec![(true, true), (true, false), (false, true)],
                true,
            ),
            (Check, vec![(false, false)], false),
            (Check, vec![(true, false)], true),
            (Text, vec![], false),
            (Text, vec![(true, false), (true, true)], false),
        ];
        for (kind, opts, expected) in cases {
            let opts: Vec<_> = opts.into_iter().map(|(f, s)| option(f, s)).collect();
            assert_eq!(field_failed(kind, &opts), expected, "{kind:?} {opts:?}");
        }
    }

    #[test]
    fn evaluate_answers_every_field_in_template_order() {
        let fields = template();
        // All pass: Good tyres, both fail-marked lights ticked, a remark.
        let mut remark = answer(2, &[]);
        remark.value = Some("ok".into());
        let mut lights = answer(1, &[0, 1]);
        lights.notes = Some("bright".into());
        let results = evaluate(&fields, &[remark, answer(0, &[0]), lights]).unwrap();
        assert_eq!(
            results.iter().map(|r| r.failed).collect::<Vec<_>>(),
            vec![false, false, false]
        );
        assert_eq!(results[2].value, "ok");
        assert_eq!(results[1].notes, "bright");
        assert!(results[1].options[0].is_selected && !results[1].options[2].is_selected);
        assert!(!any_failed(&results));
        assert!(failed_action_items(&fields, &results).is_empty());

        // Worn tyres and the rear light not ticked: both fail; only Tyres has an action item.
        let results = evaluate(&fields, &[answer(0, &[1]), answer(1, &[0])]).unwrap();
        assert_eq!(
            results.iter().map(|r| r.failed).collect::<Vec<_>>(),
            vec![true, true, false]
        );
        assert!(any_failed(&results));
        let items = failed_action_items(&fields, &results);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].action_item_description, "Replace tyres");
        assert_eq!(items[0].action_item_type, MaintenanceKind::Repair);
        assert_eq!(items[0].action_item_priority, ActionItemPriority::Critical);

        // No answers at all: a check field with fail options fails, the rest pass.
        let results = evaluate(&fields, &[]).unwrap();
        assert_eq!(
            results.iter().map(|r| r.failed).collect::<Vec<_>>(),
            vec![false, true, false]
        );
    }

    #[test]
    fn evaluate_rejects_answers_that_do_not_fit() {
        let fields = template();
        let mut text_on_radio = answer(0, &[0]);
        text_on_radio.value = Some("x".into());
        let cases: Vec<(Vec<InspectionResultInput>, Vec<&str>)> = vec![
            (vec![answer(3, &[])], vec!["results[0].fieldIndex"]),
            (
                vec![answer(0, &[0]), answer(0, &[1])],
                vec!["results[1].fieldIndex"],
            ),
            (vec![answer(0, &[2])], vec!["results[0].selected"]),
            (vec![answer(2, &[0])], vec!["results[0].selected"]),
            (vec![answer(0, &[0, 1])], vec!["results[0].selected"]),
            (vec![text_on_radio], vec!["results[0].value"]),
            (
                vec![answer(1, &[0]), answer(9, &[]), answer(1, &[5])],
                vec!["results[1].fieldIndex", "results[2].fieldIndex"],
            ),
        ];
        for (answers, expected) in cases {
            let errors = evaluate(&fields, &answers).unwrap_err();
            let got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(got, expected, "{answers:?}");
        }
        // Ticking the same radio option twice is still one option.
        assert!(evaluate(&fields, &[answer(0, &[1, 1])]).is_ok());
    }

    fn template_fields(json: &str) -> Vec<String> {
        let input: InspectionTemplateInput = serde_json::from_str(json).unwrap();
        validate_template(&input)
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn template_rules() {
        let ok = r#"{"description":"Annual","cost":50,"fields":[{"description":"Tyres","fieldType":"radio","options":[{"description":"Good"}]},{"description":"Notes","fieldType":"text"}]}"#;
        assert!(template_fields(ok).is_empty());
        let cases = [
            (
                r#"{"description":" ","fields":[]}"#,
                vec!["description", "fields"],
            ),
            (
                r#"{"description":"a","cost":-1,"fields":[{"description":"","fieldType":"check","options":[]}]}"#,
                vec!["cost", "fields[0].description", "fields[0].options"],
            ),
            (
                r#"{"description":"a","fields":[{"description":"x","fieldType":"text","options":[{"description":"y"}]}]}"#,
                vec!["fields[0].options"],
            ),
            (
                r#"{"description":"a","fields":[{"description":"x","fieldType":"radio","options":[{"description":" "}],"hasActionItem":true}]}"#,
                vec![
                    "fields[0].options[0].description",
                    "fields[0].actionItemDescription",
                ],
            ),
        ];
        for (json, expected) in cases {
            assert_eq!(template_fields(json), expected, "{json}");
        }
        // Enums: a wrong name or a number is a data error (422 naming the field).
        for bad in [
            r#"{"description":"x","fieldType":"dropdown"}"#,
            r#"{"description":"x","fieldType":1}"#,
            r#"{"description":"x","fieldType":"text","actionItemPriority":"urgent"}"#,
        ] {
            let err = serde_json::from_str::<InspectionTemplateField>(bad).unwrap_err();
            assert_eq!(err.classify(), serde_json::error::Category::Data, "{bad}");
        }
    }

    #[test]
    fn inspection_rules() {
        let fields = |json: &str| -> Vec<String> {
            let input: InspectionInput = serde_json::from_str(json).unwrap();
            validate(&input).into_iter().map(|e| e.field).collect()
        };
        assert!(fields(r#"{"templateId":1,"date":"2024-05-01","odometer":1000}"#).is_empty());
        assert_eq!(
            fields(
                r#"{"templateId":0,"date":"1800-01-01","odometer":-1,"cost":-2,"tags":["a b"]}"#
            ),
            vec!["templateId", "date", "odometer", "cost", "tags"]
        );
        let tags: InspectionTagsInput = serde_json::from_str(r#"{"tags":["a"]}"#).unwrap();
        assert!(validate_tags(&tags).is_empty());
        assert!(serde_json::from_str::<InspectionTagsInput>(r#"{"tags":[],"notes":"x"}"#).is_err());
    }

    proptest! {
        /// Text never fails; a radio field fails exactly when a selected option is a fail
        /// option; a check field with every option ticked never fails.
        #[test]
        fn fail_rule_invariants(opts in proptest::collection::vec((any::<bool>(), any::<bool>()), 0..8)) {
            let options: Vec<_> = opts.iter().map(|(f, s)| option(*f, *s)).collect();
            prop_assert!(!field_failed(InspectionFieldType::Text, &options));
            prop_assert_eq!(
                field_failed(InspectionFieldType::Radio, &options),
                opts.iter().any(|(f, s)| *f && *s)
            );
            let all_ticked: Vec<_> = opts.iter().map(|(f, _)| option(*f, true)).collect();
            prop_assert!(!field_failed(InspectionFieldType::Check, &all_ticked));
            let none_fail: Vec<_> = opts.iter().map(|(_, s)| option(false, *s)).collect();
            prop_assert!(!field_failed(InspectionFieldType::Check, &none_fail));
            prop_assert!(!field_failed(InspectionFieldType::Radio, &none_fail));
        }
    }
}
