//! `/api/v1/vehicles/{id}/service-records`, `/repair-records` and `/upgrade-records`.
//!
//! Writes are returned as [`Write`] values that [`super::write`] sends: the record tabs reload
//! their list afterwards, so the answer's body is not read, and the request machinery is
//! compiled once for all record types. Same in `odometer`, `tax`, `reminders` and `notes`.

use gloo_net::http::Method;
use motovault_shared::dto::maintenance::{
    BulkEditMaintenance, MaintenanceKind, MaintenanceRecordInput, MaintenanceRecordList,
    MoveMaintenanceRecord,
};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64, kind: MaintenanceKind) -> String {
    format!("/vehicles/{vehicle_id}/{}-records", kind.as_str())
}

pub async fn list(
    vehicle_id: i64,
    kind: MaintenanceKind,
) -> Result<MaintenanceRecordList, ApiError> {
    client::get(&path(vehicle_id, kind)).await
}

pub fn create(vehicle_id: i64, kind: MaintenanceKind, input: &MaintenanceRecordInput) -> Write {
    Write::json(Method::POST, path(vehicle_id, kind), input)
}

pub fn update(
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
    input: &MaintenanceRecordInput,
) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id, kind));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: i64, kind: MaintenanceKind, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id, kind));
    Write::bare(Method::DELETE, path)
}

/// `POST …/{recordId}/move` with `{"to": "repair"}`: the record becomes one of another kind.
pub fn move_to(
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
    to: MaintenanceKind,
) -> Write {
    let path = format!("{}/{record_id}/move", path(vehicle_id, kind));
    Write::json(Method::POST, path, &MoveMaintenanceRecord { to })
}

/// `POST …/bulk-edit`: tags and/or notes of many records at once (`---` clears).
pub fn bulk_edit(vehicle_id: i64, kind: MaintenanceKind, input: &BulkEditMaintenance) -> Write {
    let path = format!("{}/bulk-edit", path(vehicle_id, kind));
    Write::json(Method::POST, path, input)
}
