//! `/api/v1/vehicles/{id}/fuel-records`.

use gloo_net::http::Method;
use motovault_shared::dto::{FuelRecordInput, FuelRecordList};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/fuel-records")
}

pub async fn list(vehicle_id: i64) -> Result<FuelRecordList, ApiError> {
    client::get(&path(vehicle_id)).await
}

/// Writes are [`Write`] values for [`super::write`] (the tab reloads its list afterwards).
pub fn create(vehicle_id: i64, input: &FuelRecordInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: i64, record_id: i64, input: &FuelRecordInput) -> Write {
    Write::json(
        Method::PUT,
        format!("{}/{record_id}", path(vehicle_id)),
        input,
    )
}

pub fn delete(vehicle_id: i64, record_id: i64) -> Write {
    Write::bare(Method::DELETE, format!("{}/{record_id}", path(vehicle_id)))
}
