//! Notes (reference §1 "Notes", §2.3 `Note`) and their input rules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{self, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A note body is a document, longer than a record's notes; it still fits the JSON body limit.
pub const MAX_NOTE_BODY: usize = 100_000;

/// Create or replace a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteInput {
    pub title: String,
    /// Markdown, stored and returned as entered; rendering is the client's job.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub is_pinned: bool,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: i64,
    pub vehicle_id: i64,
    pub title: String,
    pub body: String,
    pub is_pinned: bool,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/vehicles/{vehicleId}/notes`: pinned first, then newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NoteList {
    pub records: Vec<Note>,
}

/// Every problem of a note input, with JSON field names.
pub fn validate(input: &NoteInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::text(&mut errors, "title", &input.title, true, MAX_TEXT);
    validate::text(&mut errors, "body", &input.body, false, MAX_NOTE_BODY);
    validate::tags(&mut errors, "tags", &input.tags);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_rules() {
        let mut n: NoteInput = serde_json::from_str(r#"{"title":"Tyres"}"#).unwrap();
        assert!(validate(&n).is_empty());
        assert!(!n.is_pinned);
        n.title = " ".into();
        n.body = "x".repeat(MAX_NOTE_BODY + 1);
        n.tags = vec!["a b".into()];
        let fields: Vec<String> = validate(&n).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "body", "tags"]);
    }
}
