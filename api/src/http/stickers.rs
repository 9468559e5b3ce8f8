//! Stickers: QR codes (SVG) deep-linking to a record or an add form (issue 8).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use motovault_shared::dto::stickers::QrQuery;
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use super::registration::base_url;
use crate::auth::Caller;
use crate::domain::stickers;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(qr);
}

/// The QR code (SVG) of a web app link of the vehicle: `server.public_url` (else this
/// request's origin) followed by `target`, e.g. `/vehicles/3/service?record=17` or
/// `/vehicles/3?add=1` (the default). A target that is not a page of this vehicle is 422.
#[utoipa::path(
    tag = "stickers",
    params(
        ("vehicleId" = i64, Path),
        ("target" = Option<String>, Query, description = "A path under `/vehicles/{vehicleId}`; default `/vehicles/{vehicleId}?add=1`"),
    ),
    responses(
        (status = 200, description = "The QR code", content_type = "image/svg+xml", body = String),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/stickers/qr.svg")]
pub async fn qr(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    query: web::Query<QrQuery>,
) -> AppResult<HttpResponse> {
    let origin = base_url(&state, &req);
    let svg = stickers::qr_svg(
        &state.db,
        &caller,
        id.vehicle(),
        &origin,
        query.target.as_deref(),
    )
    .await?;
    let mut response = HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .body(svg);
    // The SVG holds no script; should it be opened on its own, it may run none either.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'"),
    );
    Ok(response)
}
