//! `/api/v1/vehicles/{id}/notes`.

use gloo_net::http::Method;
use motovault_shared::dto::notes::{NoteInput, NoteList};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/notes")
}

/// Pinned first, then newest first.
pub async fn list(vehicle_id: i64) -> Result<NoteList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub fn create(vehicle_id: i64, input: &NoteInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: i64, record_id: i64, input: &NoteInput) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::bare(Method::DELETE, path)
}
