//! `/api/v1/vehicles/{id}/fuel-records`.

use gloo_net::http::Method;
use motovault_shared::dto::{FuelRecord, FuelRecordInput, FuelRecordList};

use super::{ApiError, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/fuel-records")
}

pub async fn list(vehicle_id: i64) -> Result<FuelRecordList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub async fn create(
    csrf: &str,
    vehicle_id: i64,
    input: &FuelRecordInput,
) -> Result<FuelRecord, ApiError> {
    client::send(Method::POST, &path(vehicle_id), csrf, input).await
}

pub async fn update(
    csrf: &str,
    vehicle_id: i64,
    record_id: i64,
    input: &FuelRecordInput,
) -> Result<FuelRecord, ApiError> {
    let path = format!("{}/{record_id}", path(vehicle_id));
    client::send(Method::PUT, &path, csrf, input).await
}

pub async fn delete(csrf: &str, vehicle_id: i64, record_id: i64) -> Result<(), ApiError> {
    let path = format!("{}/{record_id}", path(vehicle_id));
    client::send_empty(Method::DELETE, &path, csrf).await
}
