//! `/api/v1/vehicles/{id}/supplies` and the shop's `/api/v1/shop/supplies` (writes: admins).
//!
//! `vehicle_id: None` addresses the shop's supplies. Writes are [`Write`] values, as for the
//! record tabs.

use gloo_net::http::Method;
use motovault_shared::dto::supplies::{SupplyInput, SupplyList};

use super::{ApiError, Write, client};

fn path(vehicle_id: Option<i64>) -> String {
    match vehicle_id {
        Some(id) => format!("/vehicles/{id}/supplies"),
        None => "/shop/supplies".to_owned(),
    }
}

/// Newest first, with each supply's usage history.
pub async fn list(vehicle_id: Option<i64>) -> Result<SupplyList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub fn create(vehicle_id: Option<i64>, input: &SupplyInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: Option<i64>, record_id: i64, input: &SupplyInput) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: Option<i64>, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::bare(Method::DELETE, path)
}
