//! `/api/v1/vehicles/{id}/equipment`.

use gloo_net::http::Method;
use motovault_shared::dto::equipment::{EquipmentInput, EquipmentList};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/equipment")
}

pub async fn list(vehicle_id: i64) -> Result<EquipmentList, ApiError> {
    client::get(&path(vehicle_id)).await
}

/// A new item (`None`) or a replace.
pub fn save(vehicle_id: i64, id: Option<i64>, input: &EquipmentInput) -> Write {
    match id {
        Some(id) => Write::json(Method::PUT, format!("{}/{id}", path(vehicle_id)), input),
        None => Write::json(Method::POST, path(vehicle_id), input),
    }
}

pub fn delete(vehicle_id: i64, id: i64) -> Write {
    Write::bare(Method::DELETE, format!("{}/{id}", path(vehicle_id)))
}
