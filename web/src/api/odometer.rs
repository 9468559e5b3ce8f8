//! `/api/v1/vehicles/{id}/odometer-records`.

use gloo_net::http::Method;
use motovault_shared::dto::odometer::{OdometerRecordInput, OdometerRecordList};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/odometer-records")
}

pub async fn list(vehicle_id: i64) -> Result<OdometerRecordList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub fn create(vehicle_id: i64, input: &OdometerRecordInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: i64, record_id: i64, input: &OdometerRecordInput) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::bare(Method::DELETE, path)
}

/// Re-chains every record's initial reading on the previous one (the server answers the new
/// list; the tab reloads it instead).
pub fn recalculate(vehicle_id: i64) -> Write {
    let path = format!("{}/recalculate", path(vehicle_id));
    Write::bare(Method::POST, path)
}
