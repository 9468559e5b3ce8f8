//! `/api/v1/vehicles/{id}/{collection}/export.csv` and `…/import`: CSV files of a record
//! collection (`fuel-records`, `service-records`, `supplies`, `plans`, `equipment`, …), and
//! `/api/v1/shop/supplies/…` for the shop's supplies (no vehicle).

use motovault_shared::dto::csv::CsvLineError;
use motovault_shared::dto::extra_fields::ExtraFieldValueInput;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::ApiError;
use super::transfer::{self, Body};
use crate::components::progress::Progress;

/// Where a collection lives: under a vehicle, or the shop's (`None`; supplies only).
fn base(vehicle_id: Option<i64>, collection: &str) -> String {
    match vehicle_id {
        Some(id) => format!("/api/v1/vehicles/{id}/{collection}"),
        None => format!("/api/v1/shop/{collection}"),
    }
}

/// The address of the export, for a plain `<a href download>` (the session cookie
/// authenticates).
pub fn export_url(vehicle_id: Option<i64>, collection: &str) -> String {
    format!("{}/export.csv", base(vehicle_id, collection))
}

/// `CsvImportResult` as the preview shows it: each row's record as a JSON object, so one
/// table renders every record type (no per-type decoding in the bundle).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub imported: u64,
    pub rows: Vec<PreviewRow>,
    #[serde(default)]
    pub skipped_lines: Vec<u64>,
    #[serde(default)]
    pub errors: Vec<CsvLineError>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub line: u64,
    pub record: Map<String, Value>,
    #[serde(default)]
    pub extra_fields: Vec<ExtraFieldValueInput>,
}

/// Sends the file (a `File` from a form) as the body: a preview with `dry_run`, else the
/// import itself. `on_progress` follows the upload.
pub async fn import(
    vehicle_id: Option<i64>,
    collection: &str,
    csrf: &str,
    file: web_sys::Blob,
    dry_run: bool,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<Preview, ApiError> {
    let url = format!(
        "{}/import{}",
        base(vehicle_id, collection),
        if dry_run { "?dryRun=true" } else { "" }
    );
    let body = Body::File(file, "text/csv");
    let answer = transfer::send("POST", &url, csrf, Some(body), on_progress)?.await?;
    serde_json::from_str(&answer.text()).map_err(|e| ApiError::Network(e.to_string()))
}
