//! `/api/v1/vehicles/{id}/{recordType}/{recordId}/attachments`: files and links of a record.
//!
//! `record` is the collection segment (`fuel-records`, `service-records`, `notes`,
//! `equipment`, `inspections`, …). Downloads are plain links (the session cookie
//! authenticates), see [`download_url`].

use chrono::NaiveDate;
use gloo_net::http::Method;
use motovault_shared::dto::attachments::{Attachment, LinkInput, RecordLinkInput};
use serde::Deserialize;

use super::transfer::{self, Body};
use super::{ApiError, Write, client};
use crate::components::progress::Progress;

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
/// `Content-Type` with the boundary. `on_progress` follows the upload.
pub async fn upload(
    vehicle_id: i64,
    record: &str,
    record_id: i64,
    csrf: &str,
    form: web_sys::FormData,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<(), ApiError> {
    let url = format!("/api/v1{}", path(vehicle_id, record, record_id));
    transfer::send("POST", &url, csrf, Some(Body::Form(form)), on_progress)?
        .await
        .map(drop)
}
