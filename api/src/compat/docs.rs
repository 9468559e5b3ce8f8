//! `GET /api`: LubeLogger's human-readable API page (reference §4.3), for signed-in callers.
//! LubeLogger builds it from `wwwroot/defaults/api.json`; ours is a fixed table of the same
//! surface, with a pointer to the native `/api/v1` API and its OpenAPI document.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::auth::CompatCaller;

/// `(method, path, parameters, what it does)`; `{rec}` stands for every record collection.
const ENDPOINTS: &[(&str, &str, &str, &str)] = &[
    ("GET", "/api/whoami", "", "The signed-in user"),
    (
        "GET",
        "/api/info",
        "",
        "Version, locale, currency symbol, decimal separator, date format",
    ),
    (
        "GET",
        "/api/version",
        "checkForUpdate",
        "Current and latest version",
    ),
    ("GET", "/api/vehicles", "", "Vehicles you can see"),
    (
        "GET",
        "/api/vehicle/info",
        "vehicleId",
        "Counts, costs, reminders and plans per vehicle",
    ),
    (
        "GET",
        "/api/vehicle/adjustedodometer",
        "vehicleId, odometer",
        "Odometer after the vehicle's adjustment",
    ),
    (
        "POST",
        "/api/vehicles/add",
        "year, make, model, licensePlate, identifier, fuelType, …",
        "Add a vehicle",
    ),
    ("PUT", "/api/vehicles/update", "id, …", "Update a vehicle"),
    (
        "DELETE",
        "/api/vehicles/delete",
        "id",
        "Delete a vehicle and its records",
    ),
    (
        "GET",
        "/api/vehicle/{rec}/all",
        "id, startDate, endDate, tags",
        "Records of every vehicle you can see",
    ),
    (
        "GET",
        "/api/vehicle/{rec}",
        "vehicleId, id, startDate, endDate, tags",
        "Records of one vehicle",
    ),
    (
        "POST",
        "/api/vehicle/{rec}/add",
        "vehicleId, record fields",
        "Add a record",
    ),
    (
        "PUT",
        "/api/vehicle/{rec}/update",
        "id, record fields",
        "Update a record",
    ),
    (
        "DELETE",
        "/api/vehicle/{rec}/delete",
        "id",
        "Delete a record",
    ),
    (
        "GET",
        "/api/vehicle/odometerrecords/latest",
        "vehicleId",
        "Highest odometer reading",
    ),
    (
        "PUT",
        "/api/vehicle/odometerrecords/recalculate",
        "vehicleId",
        "Recalculate odometer distances",
    ),
    (
        "GET",
        "/api/extrafields",
        "",
        "Extra-field definitions per record type",
    ),
    (
        "POST",
        "/api/documents/upload",
        "documents (multipart)",
        "Upload files to attach to records",
    ),
    (
        "GET",
        "/api/calendar",
        "",
        "Date reminders as an iCalendar feed",
    ),
    (
        "GET",
        "/api/vehicle/reminders/send",
        "id, tags, urgencies",
        "E-mail reminders (root)",
    ),
    (
        "GET",
        "/api/vehicle/taxrecords/check",
        "",
        "Add missed recurring tax records",
    ),
    (
        "GET",
        "/api/makebackup",
        "output (download, email)",
        "Back up everything (root)",
    ),
    ("GET", "/api/tempfiles", "", "Temporary files (root)"),
    (
        "GET",
        "/api/cleanup",
        "deepClean",
        "Delete temporary and unreferenced files (root)",
    ),
];

const RECORD_COLLECTIONS: &str = "servicerecords, repairrecords, upgraderecords, gasrecords, \
taxrecords, supplyrecords, odometerrecords, planrecords, reminders, notes, equipmentrecords";

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api", web::get().to(page));
}

async fn page(_who: CompatCaller) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(render())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn render() -> String {
    let rows: String = ENDPOINTS
        .iter()
        .map(|(method, path, params, what)| {
            format!(
                "<tr><td>{method}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(path),
                escape(params),
                escape(what)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>MotoVaultPro API</title></head>\
<body><h1>LubeLogger-compatible API</h1>\
<p>Authenticate with HTTP Basic, the <code>x-api-key</code> header or the <code>apiKey</code> query \
parameter. Send a <code>culture-invariant</code> header for typed values.</p>\
<p><code>{{rec}}</code> is one of: {RECORD_COLLECTIONS}.</p>\
<table><thead><tr><th>Method</th><th>Path</th><th>Parameters</th><th>Description</th></tr></thead>\
<tbody>{rows}</tbody></table>\
<p>The native API is documented at <a href=\"/api/docs/\">/api/docs</a> \
(<a href=\"/api/v1/openapi.json\">OpenAPI</a>).</p></body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_every_endpoint_escaped() {
        let html = render();
        for (_, path, _, _) in ENDPOINTS {
            assert!(
                html.contains(&format!("<code>{}</code>", escape(path))),
                "{path}"
            );
        }
        assert!(html.contains("<code>{rec}</code> is one of: servicerecords"));
        assert!(!html.contains("<rec>"));
    }
}
