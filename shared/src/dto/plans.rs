//! The planner (reference §1 "Planner", §2.1 `PlanPriority`/`PlanProgress`, §2.3 `PlanRecord`
//! and plan templates).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::dto::maintenance::MaintenanceKind;
use crate::dto::supplies::{self, SupplyUsage, SupplyUsageEntry};
use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_ODOMETER, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most reminders one plan may link.
pub const MAX_REMINDERS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PlanPriority {
    Critical,
    #[default]
    Normal,
    Low,
}

impl PlanPriority {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanPriority::Critical => "critical",
            PlanPriority::Normal => "normal",
            PlanPriority::Low => "low",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "critical" => Some(PlanPriority::Critical),
            "normal" => Some(PlanPriority::Normal),
            "low" => Some(PlanPriority::Low),
            _ => None,
        }
    }
}

/// The Kanban column. On the wire camelCase (`inProgress`); stored as `in_progress`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum PlanProgress {
    #[default]
    Backlog,
    InProgress,
    Testing,
    Done,
}

impl PlanProgress {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanProgress::Backlog => "backlog",
            PlanProgress::InProgress => "in_progress",
            PlanProgress::Testing => "testing",
            PlanProgress::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "backlog" => Some(PlanProgress::Backlog),
            "in_progress" => Some(PlanProgress::InProgress),
            "testing" => Some(PlanProgress::Testing),
            "done" => Some(PlanProgress::Done),
            _ => None,
        }
    }
}

/// Create or replace a plan. `progress` may not be `done` here: only
/// `POST …/plans/{recordId}/progress` converts a plan. `supplies` are requisitioned when the
/// plan is created; a replace must send none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanInput {
    pub description: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default = "default_kind")]
    pub record_kind: MaintenanceKind,
    #[serde(default)]
    pub priority: PlanPriority,
    #[serde(default)]
    pub progress: PlanProgress,
    #[serde(default)]
    pub cost: Amount,
    /// Reminders of the same vehicle, pushed forward when the plan is done.
    #[serde(default)]
    pub reminder_ids: Vec<i64>,
    #[serde(default)]
    pub supplies: Vec<SupplyUsage>,
}

fn default_kind() -> MaintenanceKind {
    MaintenanceKind::Service
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    pub notes: String,
    pub record_kind: MaintenanceKind,
    pub priority: PlanPriority,
    pub progress: PlanProgress,
    pub cost: Amount,
    pub reminder_ids: Vec<i64>,
    /// Supplies taken for this plan (moved to the record when the plan is done).
    pub requisition_history: Vec<SupplyUsageEntry>,
    /// The service, repair or upgrade record the plan became when done.
    pub converted_record_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Plans, most urgent priority first, then newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanList {
    pub records: Vec<Plan>,
}

/// `POST …/plans/{recordId}/progress`. `odometer` is required for `done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanProgressInput {
    pub progress: PlanProgress,
    #[serde(default)]
    pub odometer: Option<i64>,
}

/// Create or replace a plan template: a plan's fields plus the supplies to requisition and the
/// reminders to link when it is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanTemplateInput {
    pub description: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default = "default_kind")]
    pub record_kind: MaintenanceKind,
    #[serde(default)]
    pub priority: PlanPriority,
    #[serde(default)]
    pub cost: Amount,
    #[serde(default)]
    pub reminder_ids: Vec<i64>,
    #[serde(default)]
    pub supplies: Vec<SupplyUsage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanTemplate {
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    pub notes: String,
    pub record_kind: MaintenanceKind,
    pub priority: PlanPriority,
    pub cost: Amount,
    pub reminder_ids: Vec<i64>,
    pub supplies: Vec<SupplyUsage>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanTemplateList {
    pub records: Vec<PlanTemplate>,
}

fn reminder_ids(errors: &mut Vec<FieldError>, ids: &[i64]) {
    if ids.len() > MAX_REMINDERS {
        errors.push(FieldError::new(
            "reminderIds",
            format!("at most {MAX_REMINDERS} reminders"),
        ));
    } else if ids.iter().any(|id| *id <= 0) {
        errors.push(FieldError::new("reminderIds", "must be reminder ids"));
    }
}

fn common(
    errors: &mut Vec<FieldError>,
    description: &str,
    notes: &str,
    cost: Amount,
    reminders: &[i64],
    usages: &[SupplyUsage],
) {
    validate::text(errors, "description", description, true, MAX_TEXT);
    validate::text(errors, "notes", notes, false, MAX_NOTES);
    validate::money(errors, "cost", cost);
    reminder_ids(errors, reminders);
    supplies::validate_usages(errors, "supplies", usages);
}

pub fn validate(input: &PlanInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    common(
        &mut errors,
        &input.description,
        &input.notes,
        input.cost,
        &input.reminder_ids,
        &input.supplies,
    );
    if input.progress == PlanProgress::Done {
        errors.push(FieldError::new(
            "progress",
            "a plan is marked done through its progress endpoint",
        ));
    }
    errors
}

pub fn validate_template(input: &PlanTemplateInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    common(
        &mut errors,
        &input.description,
        &input.notes,
        input.cost,
        &input.reminder_ids,
        &input.supplies,
    );
    errors
}

pub fn validate_progress(input: &PlanProgressInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match input.odometer {
        None if input.progress == PlanProgress::Done => {
            errors.push(FieldError::new(
                "odometer",
                "is required to mark a plan done",
            ));
        }
        Some(odometer) if !(0..=MAX_ODOMETER).contains(&odometer) => {
            errors.push(FieldError::new(
                "odometer",
                format!("must be between 0 and {MAX_ODOMETER}"),
            ));
        }
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn enums_round_trip() {
        for p in [
            PlanProgress::Backlog,
            PlanProgress::InProgress,
            PlanProgress::Testing,
            PlanProgress::Done,
        ] {
            assert_eq!(PlanProgress::parse(p.as_str()), Some(p));
        }
        assert_eq!(
            serde_json::to_string(&PlanProgress::InProgress).unwrap(),
            "\"inProgress\""
        );
        for p in [
            PlanPriority::Critical,
            PlanPriority::Normal,
            PlanPriority::Low,
        ] {
            assert_eq!(PlanPriority::parse(p.as_str()), Some(p));
        }
    }

    #[test]
    fn plan_rules() {
        let ok: PlanInput = serde_json::from_str(r#"{"description":"Brakes"}"#).unwrap();
        assert!(validate(&ok).is_empty());
        assert_eq!(ok.record_kind, MaintenanceKind::Service);
        assert_eq!(ok.priority, PlanPriority::Normal);
        assert_eq!(ok.progress, PlanProgress::Backlog);
        let mut bad = ok.clone();
        bad.description = String::new();
        bad.cost = Amount::from_scaled(-1);
        bad.reminder_ids = vec![0];
        bad.progress = PlanProgress::Done;
        assert_eq!(
            fields(&validate(&bad)),
            vec!["description", "cost", "reminderIds", "progress"]
        );
    }

    #[test]
    fn progress_rules() {
        let input = |progress, odometer| PlanProgressInput { progress, odometer };
        assert!(validate_progress(&input(PlanProgress::Testing, None)).is_empty());
        assert!(validate_progress(&input(PlanProgress::Done, Some(1200))).is_empty());
        assert_eq!(
            fields(&validate_progress(&input(PlanProgress::Done, None))),
            vec!["odometer"]
        );
        assert_eq!(
            fields(&validate_progress(&input(PlanProgress::Done, Some(-1)))),
            vec!["odometer"]
        );
    }
}
