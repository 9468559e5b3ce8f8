//! `/api/v1/vehicles/{id}/inspection-templates` and `/inspections`.

use gloo_net::http::Method;
use motovault_shared::dto::inspections::{
    Inspection, InspectionInput, InspectionList, InspectionTemplateInput, InspectionTemplateList,
};

use super::{ApiError, Write, client};

fn templates(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/inspection-templates")
}

fn inspections(vehicle_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/inspections")
}

pub async fn list_templates(vehicle_id: i64) -> Result<InspectionTemplateList, ApiError> {
    client::get(&templates(vehicle_id)).await
}

/// A new template (`None`) or a replace.
pub fn save_template(vehicle_id: i64, id: Option<i64>, input: &InspectionTemplateInput) -> Write {
    match id {
        Some(id) => Write::json(
            Method::PUT,
            format!("{}/{id}", templates(vehicle_id)),
            input,
        ),
        None => Write::json(Method::POST, templates(vehicle_id), input),
    }
}

pub fn delete_template(vehicle_id: i64, id: i64) -> Write {
    Write::bare(Method::DELETE, format!("{}/{id}", templates(vehicle_id)))
}

pub async fn list(vehicle_id: i64) -> Result<InspectionList, ApiError> {
    client::get(&inspections(vehicle_id)).await
}

/// Runs an inspection: answers the stored one (results judged, plans created for failures).
pub async fn create(
    vehicle_id: i64,
    csrf: &str,
    input: &InspectionInput,
) -> Result<Inspection, ApiError> {
    client::send(Method::POST, &inspections(vehicle_id), csrf, input).await
}

pub fn delete(vehicle_id: i64, id: i64) -> Write {
    Write::bare(Method::DELETE, format!("{}/{id}", inspections(vehicle_id)))
}
