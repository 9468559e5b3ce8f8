//! `/api/v1/vehicles/{id}/{collection}/export.csv` and `…/import`: CSV files of a record
//! collection (`fuel-records`, `service-records`, `supplies`, `plans`, `equipment`, …), and
//! `/api/v1/shop/supplies/…` for the shop's supplies (no vehicle).

use gloo_net::http::{Method, RequestBuilder};
use motovault_shared::dto::csv::CsvLineError;
use motovault_shared::dto::extra_fields::ExtraFieldValueInput;
use motovault_shared::problem::Problem;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::ApiError;

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
/// import itself.
pub async fn import(
    vehicle_id: Option<i64>,
    collection: &str,
    csrf: &str,
    file: wasm_bindgen::JsValue,
    dry_run: bool,
) -> Result<Preview, ApiError> {
    let network = |e: gloo_net::Error| ApiError::Network(e.to_string());
    let url = format!(
        "{}/import{}",
        base(vehicle_id, collection),
        if dry_run { "?dryRun=true" } else { "" }
    );
    let response = RequestBuilder::new(&url)
        .method(Method::POST)
        .header("Accept", "application/json")
        .header("Content-Type", "text/csv")
        .header("X-CSRF-Token", csrf)
        .body(file)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if response.ok() {
        return serde_json::from_str(&text).map_err(|e| ApiError::Network(e.to_string()));
    }
    Err(match serde_json::from_str::<Problem>(&text) {
        Ok(mut problem) => {
            problem.status = status;
            ApiError::Problem(problem)
        }
        Err(_) => ApiError::from_status(status, text),
    })
}
