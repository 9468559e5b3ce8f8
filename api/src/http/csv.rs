//! `/api/v1/vehicles/{vehicleId}/{recordType}/export.csv` and `…/import` for the record
//! collections of reference §5 (`motovault_shared::dto::csv::CSV_RECORD_TYPES`), and the same
//! two for shop supplies at `/api/v1/shop/supplies/export.csv` and `…/import` (404 while
//! `supplies.shop_enabled` is off; anyone signed in exports, administrators import, as for the
//! shop's other endpoints).
//!
//! Registered before the collections' own routes: `…/fuel-records/export.csv` would otherwise
//! reach `…/fuel-records/{recordId}`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{NaiveDate, Utc};
use futures_util::StreamExt;
use motovault_shared::dto::csv::CsvImportResult;
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use super::supplies::shop_enabled;
use crate::auth::Caller;
use crate::csv::{self, ExportFilter, Kind, MAX_IMPORT_BYTES, TagMode};
use crate::domain::supplies::Scope;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(export)
        .service(import)
        .service(shop_export)
        .service(shop_import);
}

/// The collection named by `{recordType}`; any other segment names nothing.
fn kind_of(req: &HttpRequest) -> AppResult<(Kind, String)> {
    let segment = req.match_info().get("recordType").unwrap_or_default();
    Kind::from_segment(segment)
        .map(|k| (k, segment.to_owned()))
        .ok_or(AppError::NotFound)
}

fn query_pairs(req: &HttpRequest) -> AppResult<Vec<(String, String)>> {
    web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| AppError::Malformed(format!("the query string cannot be read: {e}")))
}

fn query_date(field: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field(field, "must be a date YYYY-MM-DD"))
}

/// `tag` (repeatable, or several separated by spaces or commas), `tagMode`, `from`, `to`.
fn export_filter(req: &HttpRequest) -> AppResult<ExportFilter> {
    let mut filter = ExportFilter::default();
    for (key, value) in query_pairs(req)? {
        match key.as_str() {
            "tag" => filter.tags.extend(
                value
                    .split([' ', ','])
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
            ),
            "tagMode" => {
                filter.mode = match value.as_str() {
                    "exclude" => TagMode::Exclude,
                    "includeOnly" => TagMode::IncludeOnly,
                    _ => {
                        return Err(AppError::field(
                            "tagMode",
                            "must be `exclude` or `includeOnly`",
                        ));
                    }
                }
            }
            "from" => filter.from = Some(query_date("from", &value)?),
            "to" => filter.to = Some(query_date("to", &value)?),
            _ => {}
        }
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(AppError::field("to", "must not be before `from`"));
    }
    Ok(filter)
}

/// The collection's records in LubeLogger's CSV columns (reference §5), oldest first, with
/// `extrafield_{Name}` columns. Dates and amounts are written in the server culture
/// (`compat.locale`), costs in its currency format, so the file imports back unchanged.
#[utoipa::path(
    tag = "csv",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = String, Path, description = "service-records, repair-records, upgrade-records, fuel-records, odometer-records, tax-records, supplies, plans or equipment"),
        ("tag" = Option<String>, Query, description = "Tags to filter on (repeat, or separate with spaces)"),
        ("tagMode" = Option<String>, Query, description = "`exclude` (default: leave out records with any of the tags) or `includeOnly`"),
        ("from" = Option<NaiveDate>, Query, description = "First date, inclusive"),
        ("to" = Option<NaiveDate>, Query, description = "Last date, inclusive"),
    ),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/{recordType}/export.csv")]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    let (kind, segment) = kind_of(&req)?;
    let vehicle = id.vehicle();
    let name = format!("vehicle-{vehicle}-{segment}.csv");
    export_file(&req, &state, &caller, Scope::Vehicle(vehicle), kind, &name).await
}

/// The export of either scope, as a download named `file_name`.
async fn export_file(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    scope: Scope,
    kind: Kind,
    file_name: &str,
) -> AppResult<HttpResponse> {
    let filter = export_filter(req)?;
    let bytes = csv::export(
        &state.db,
        &state.objects,
        caller,
        scope,
        kind,
        crate::compat::culture(state),
        &filter,
        Utc::now().date_naive(),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes))
}

/// Imports a CSV file (the body, any content type, UTF-8 or Latin-1) with LubeLogger's header
/// aliases, which also read Fuelly exports (reference §5). `dryRun=true` answers the parsed
/// rows and every line's errors and writes nothing. Otherwise every row is written in one
/// transaction, with the odometer auto-insert of service, repair, upgrade and fuel rows; a file
/// with any error answers 422 naming `lines[N].field` and writes nothing.
#[utoipa::path(
    tag = "csv",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = String, Path, description = "service-records, repair-records, upgrade-records, fuel-records, odometer-records, tax-records, supplies, plans or equipment"),
        ("dryRun" = Option<bool>, Query, description = "Preview only"),
    ),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = CsvImportResult),
        (status = 404, body = Problem),
        (status = 413, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/vehicles/{vehicleId}/{recordType}/import")]
pub async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    payload: web::Payload,
) -> AppResult<web::Json<CsvImportResult>> {
    let (kind, _) = kind_of(&req)?;
    let result = import_file(
        &req,
        &state,
        &caller,
        Scope::Vehicle(id.vehicle()),
        kind,
        payload,
    )
    .await?;
    if result.imported > 0 {
        let entity = crate::events::payload::entity_of_record_type(kind.record_type());
        let count = usize::try_from(result.imported).unwrap_or(usize::MAX);
        let change = crate::events::Change::bulk(
            &caller,
            entity,
            crate::events::Op::Add,
            id.vehicle(),
            count,
        );
        state.hub.publish(change).await;
    }
    Ok(result)
}

/// The import of either scope: `dryRun`, the body within [`MAX_IMPORT_BYTES`], its encoding.
async fn import_file(
    req: &HttpRequest,
    state: &AppState,
    caller: &Caller,
    scope: Scope,
    kind: Kind,
    mut payload: web::Payload,
) -> AppResult<web::Json<CsvImportResult>> {
    let mut dry_run = false;
    for (key, value) in query_pairs(req)? {
        if key == "dryRun" {
            dry_run = match value.as_str() {
                "true" | "1" => true,
                "false" | "0" | "" => false,
                _ => return Err(AppError::field("dryRun", "must be true or false")),
            };
        }
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_IMPORT_BYTES) {
        return Err(AppError::PayloadTooLarge(MAX_IMPORT_BYTES));
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| AppError::Malformed(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(AppError::PayloadTooLarge(MAX_IMPORT_BYTES));
        }
        body.extend_from_slice(&chunk);
    }
    // Spreadsheets on Windows still save Latin-1; each byte is then its own code point.
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t.to_owned(),
        Err(_) => body.iter().map(|b| char::from(*b)).collect(),
    };
    let result = csv::import(
        &state.db,
        caller,
        scope,
        kind,
        &text,
        crate::compat::culture(state),
        Utc::now().date_naive(),
        dry_run,
    )
    .await?;
    Ok(web::Json(result))
}

/// Shop supplies in LubeLogger's supply columns (reference §5), oldest first, with the same
/// filters and server-culture formats as a vehicle's supplies. Anyone signed in.
#[utoipa::path(
    tag = "csv",
    params(
        ("tag" = Option<String>, Query, description = "Tags to filter on (repeat, or separate with spaces); shop supplies carry none"),
        ("tagMode" = Option<String>, Query, description = "`exclude` (default) or `includeOnly`"),
        ("from" = Option<NaiveDate>, Query, description = "First date, inclusive"),
        ("to" = Option<NaiveDate>, Query, description = "Last date, inclusive"),
    ),
    responses(
        (status = 200, description = "The CSV file", content_type = "text/csv", body = String),
        (status = 404, body = Problem, description = "Shop supplies are turned off"),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/shop/supplies/export.csv")]
pub async fn shop_export(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<HttpResponse> {
    shop_enabled(&state)?;
    export_file(
        &req,
        &state,
        &caller,
        Scope::Shop,
        Kind::Supply,
        "shop-supplies.csv",
    )
    .await
}

/// Imports shop supplies from a supplies CSV file, with the rules of a vehicle's supplies
/// import (aliases, `dryRun=true` preview, one transaction, errors by line). Administrators
/// only (others: 404, as for the shop's other writes); a row with tags or extra-field values
/// is an error of its line, since shop supplies carry neither.
#[utoipa::path(
    tag = "csv",
    params(("dryRun" = Option<bool>, Query, description = "Preview only")),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = CsvImportResult),
        (status = 404, body = Problem, description = "Shop supplies are turned off, or the caller is no administrator"),
        (status = 413, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/shop/supplies/import")]
pub async fn shop_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> AppResult<web::Json<CsvImportResult>> {
    shop_enabled(&state)?;
    let result = import_file(&req, &state, &caller, Scope::Shop, Kind::Supply, payload).await?;
    if result.imported > 0 {
        let count = usize::try_from(result.imported).unwrap_or(usize::MAX);
        let change =
            crate::events::Change::bulk(&caller, "supplyrecord", crate::events::Op::Add, 0, count);
        state.hub.publish(change).await;
    }
    Ok(result)
}
