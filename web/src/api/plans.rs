//! `/api/v1/vehicles/{id}/plans` (the planner's cards) and `/plan-templates`.

use gloo_net::http::Method;
use motovault_shared::dto::plans::{
    Plan, PlanInput, PlanList, PlanProgress, PlanProgressInput, PlanTemplateInput, PlanTemplateList,
};

use super::{ApiError, Write, client};

fn path(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/plans")
}

fn templates(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/plan-templates")
}

/// Most urgent priority first, then newest first.
pub async fn list(vehicle_id: i64) -> Result<PlanList, ApiError> {
    client::get(&path(vehicle_id)).await
}

pub fn create(vehicle_id: i64, input: &PlanInput) -> Write {
    Write::json(Method::POST, path(vehicle_id), input)
}

pub fn update(vehicle_id: i64, record_id: i64, input: &PlanInput) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::json(Method::PUT, path, input)
}

pub fn delete(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", path(vehicle_id));
    Write::bare(Method::DELETE, path)
}

/// Moves a card to another column; `done` (with the odometer) creates the record, whose id is
/// the answer's `converted_record_id`.
pub async fn progress(
    csrf: &str,
    vehicle_id: i64,
    record_id: i64,
    input: &PlanProgressInput,
) -> Result<Plan, ApiError> {
    let path = format!("{}/{record_id}/progress", path(vehicle_id));
    client::send(Method::POST, &path, csrf, input).await
}

/// The same move as a [`Write`] whose answer is not read (the board reloads).
pub fn move_to(vehicle_id: i64, record_id: i64, progress: PlanProgress) -> Write {
    let path = format!("{}/{record_id}/progress", path(vehicle_id));
    let input = PlanProgressInput {
        progress,
        odometer: None,
    };
    Write::json(Method::POST, path, &input)
}

pub async fn list_templates(vehicle_id: i64) -> Result<PlanTemplateList, ApiError> {
    client::get(&templates(vehicle_id)).await
}

pub fn create_template(vehicle_id: i64, input: &PlanTemplateInput) -> Write {
    Write::json(Method::POST, templates(vehicle_id), input)
}

pub fn delete_template(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}", templates(vehicle_id));
    Write::bare(Method::DELETE, path)
}

/// Creates a Backlog plan from the template (422 when its supplies are missing or short).
pub fn use_template(vehicle_id: i64, record_id: i64) -> Write {
    let path = format!("{}/{record_id}/use", templates(vehicle_id));
    Write::bare(Method::POST, path)
}
