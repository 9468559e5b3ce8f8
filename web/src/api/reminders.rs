//! `/api/v1/vehicles/{id}/reminders`.

use gloo_net::http::Method;
use motovault_shared::dto::reminders::{ReminderInput, ReminderList};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/reminders")
}

/// Every reminder with its urgency, most urgent first.
pub async fn list(vehicle_id: i64) -> Result<ReminderList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub fn create(vehicle_id: i64, input: &ReminderInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: i64, record_id: i64, input: &ReminderInput) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::bare(Method::DELETE, path)
}

/// Marks it done: a recurring reminder moves to its next due values (200 with the reminder),
/// a one-off one is deleted (204). The list is reloaded either way, so the body is not read.
pub fn done(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}/done", path(vehicle_id));
    Write::bare(Method::POST, path)
}
