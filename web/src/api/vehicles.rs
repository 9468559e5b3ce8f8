//! `/api/v1/vehicles`.

use gloo_net::http::Method;
use motovault_shared::dto::{Vehicle, VehicleInput};

use super::{ApiError, Write, client};

pub async fn list() -> Result<Vec<Vehicle>, ApiError> {
    client::get("/vehicles").await
}

pub async fn get(id: i64) -> Result<Vehicle, ApiError> {
    client::get(&format!("/vehicles/{id}")).await
}

pub async fn create(csrf: &str, input: &VehicleInput) -> Result<Vehicle, ApiError> {
    client::send(Method::POST, "/vehicles", csrf, input).await
}

pub async fn update(csrf: &str, id: i64, input: &VehicleInput) -> Result<Vehicle, ApiError> {
    client::send(Method::PUT, &format!("/vehicles/{id}"), csrf, input).await
}

pub fn delete(id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/vehicles/{id}"))
}
