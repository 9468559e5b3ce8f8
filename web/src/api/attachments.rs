//! `/api/v1/vehicles/{id}/{recordType}/{recordId}/attachments`: files and links of a record.
//!
//! `record` is the collection segment (`fuel-records`, `service-records`, `notes`,
//! `equipment`, `inspections`, …). Downloads are plain links (the session cookie
//! authenticates), see [`download_url`].

use chrono::NaiveDate;
use gloo_net::http::{Method, RequestBuilder};
use motovault_shared::dto::attachments::{Attachment, LinkInput, RecordLinkInput};
use motovault_shared::problem::Problem;
use serde::Deserialize;

use super::{ApiError, Write, client};

fn path(vehicle_id: i64, record: &str, record_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/{record}/{record_id}/attachments")
}

pub async fn list(
    vehicle_id: i64,
    record: &str,
    record_id: i64,
) -> Result<Vec<Attachment>, ApiError> {
    client::get(&path(vehicle_id, record, record_id)).await
}

/// The address of a file (or the redirect to a link), for `<a href download>`.
pub fn download_url(vehicle_id: i64, record: &str, record_id: i64, id: i64) -> String {
    format!("/api/v1{}/{id}", path(vehicle_id, record, record_id))
}

pub fn add_link(vehicle_id: i64, record: &str, record_id: i64, input: &LinkInput) -> Write {
    let path = format!("{}/links", path(vehicle_id, record, record_id));
    Write::json(Method::POST, path, input)
}

pub fn add_record_link(
    vehicle_id: i64,
    record: &str,
    record_id: i64,
    input: &RecordLinkInput,
) -> Write {
    let path = format!("{}/record-links", path(vehicle_id, record, record_id));
    Write::json(Method::POST, path, input)
}

/// Enough of any record to pick it from a list (every record list answers `{records: […]}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Brief {
    pub id: i64,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    #[serde(default, alias = "title")]
    pub description: String,
}

#[derive(Deserialize)]
struct Briefs {
    records: Vec<Brief>,
}

/// The records of one collection of the vehicle (`service-records`, `notes`, …).
pub async fn briefs(vehicle_id: i64, record: &str) -> Result<Vec<Brief>, ApiError> {
    let list: Briefs = client::get(&format!("/vehicles/{vehicle_id}/{record}")).await?;
    Ok(list.records)
}

pub fn delete(vehicle_id: i64, record: &str, record_id: i64, id: i64) -> Write {
    Write::bare(
        Method::DELETE,
        format!("{}/{id}", path(vehicle_id, record, record_id)),
    )
}

/// Uploads the multipart `form` (its file in the field `file`); the browser sets the
/// `Content-Type` with the boundary.
pub async fn upload(
    vehicle_id: i64,
    record: &str,
    record_id: i64,
    csrf: &str,
    form: web_sys::FormData,
) -> Result<(), ApiError> {
    let network = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let url = format!("/api/v1{}", path(vehicle_id, record, record_id));
    let response = RequestBuilder::new(&url)
        .method(Method::POST)
        .header("Accept", "application/json")
        .header("X-CSRF-Token", csrf)
        .body(form)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if response.ok() {
        return Ok(());
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(match serde_json::from_str::<Problem>(&text) {
        Ok(mut problem) => {
            problem.status = status;
            ApiError::Problem(problem)
        }
        Err(_) => ApiError::from_status(status, text),
    })
}
