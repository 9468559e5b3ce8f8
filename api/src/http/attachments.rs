//! `/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments` (files, links and record
//! links of any record type in `store::attachments::RECORD_TABLES`),
//! `/api/v1/vehicles/{vehicleId}/attachments/export` and `/api/v1/vehicles/{vehicleId}/image`.

use actix_files::NamedFile;
use actix_multipart::{Field, Multipart};
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
    HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use futures_util::StreamExt;
use motovault_shared::dto::attachments::{Attachment, LinkInput, RecordLinkInput};
use motovault_shared::problem::Problem;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::attachments::{self, Download, Target, Upload};
use crate::error::{AppError, AppResult};
use crate::events::{Change, Op};
use crate::infra::objects::ObjectBody;
use crate::state::AppState;
use crate::store::attachments::RECORD_TABLES;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(upload)
        .service(add_link)
        .service(add_record_link)
        .service(export)
        .service(download)
        .service(remove)
        .service(put_image)
        .service(get_image)
        .service(delete_image);
}

/// The `recordType` path segment; its documented values come from the lookup table, so a new
/// record type appears in the OpenAPI document without touching this file.
pub struct RecordTypeParam;

impl PartialSchema for RecordTypeParam {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(RECORD_TABLES.iter().map(|t| t.segment)))
            .into()
    }
}

impl ToSchema for RecordTypeParam {}

/// A `multipart/form-data` body with one file in the field `file`.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; the handlers stream it instead of deserializing it.
pub struct FileUpload {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Room for the multipart framing around the file when checking `Content-Length` up front.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;
/// Largest accepted form field other than the file (skipped, but read).
const MAX_OTHER_FIELD: usize = 64 * 1024;

fn record_type(req: &HttpRequest) -> AppResult<String> {
    req.match_info()
        .get("recordType")
        .map(str::to_owned)
        .ok_or(AppError::NotFound)
}

/// Files of a record changed: an update of that record, for live pages and webhooks.
async fn publish_files_changed(state: &AppState, caller: &Caller, req: &HttpRequest, id: &Id) {
    if let (Ok((vehicle, record)), Ok(segment)) = (id.vehicle_and_record(), record_type(req)) {
        let change = Change::touched(caller, &segment, vehicle, record);
        state.hub.publish(change).await;
    }
}

fn attachment_id(req: &HttpRequest) -> AppResult<i64> {
    req.match_info()
        .get("attachmentId")
        .and_then(|raw| raw.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

async fn target(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    id: &Id,
) -> AppResult<Target> {
    let (vehicle, record) = id.vehicle_and_record()?;
    attachments::target(&state.db, caller, vehicle, &record_type(req)?, record).await
}

/// Rejects a body that cannot fit before reading any of it.
fn check_length(req: &HttpRequest, max_bytes: u64) -> AppResult<()> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_bytes.saturating_add(MULTIPART_OVERHEAD)) {
        return Err(AppError::PayloadTooLarge(
            usize::try_from(max_bytes).unwrap_or(usize::MAX),
        ));
    }
    Ok(())
}

fn unreadable(e: impl std::fmt::Display) -> AppError {
    AppError::Malformed(format!(
        "send multipart/form-data with the file in the field `file` ({e})"
    ))
}

/// Advances to the `file` field, reading (and discarding) small fields before it.
async fn file_field(multipart: &mut Multipart) -> AppResult<Field> {
    while let Some(item) = multipart.next().await {
        let mut field = item.map_err(unreadable)?;
        if field.name() == Some("file") {
            return Ok(field);
        }
        let mut seen = 0usize;
        while let Some(chunk) = field.next().await {
            seen += chunk.map_err(unreadable)?.len();
            if seen > MAX_OTHER_FIELD {
                return Err(AppError::PayloadTooLarge(MAX_OTHER_FIELD));
            }
        }
    }
    Err(AppError::field("file", "is required"))
}

/// The file the client sent: its name (plain or RFC 5987 `filename*`) and its bytes as a stream.
fn as_upload(field: Field) -> Upload<'static> {
    let disposition = field.content_disposition();
    let file_name = disposition
        .and_then(|cd| cd.get_filename().map(str::to_owned))
        .or_else(|| {
            disposition
                .and_then(ContentDisposition::get_filename_ext)
                .map(|ext| String::from_utf8_lossy(&ext.value).into_owned())
        })
        .unwrap_or_default();
    let body = field.map(|chunk| chunk.map_err(|e| std::io::Error::other(e.to_string())));
    Upload {
        file_name,
        body: Box::pin(body),
    }
}

/// `attachment; filename="…"` with a printable-ASCII fallback, plus `filename*` (UTF-8) when
/// the name has other characters.
fn disposition(kind: DispositionType, name: &str) -> ContentDisposition {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(fallback.clone())];
    if fallback != name {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: kind,
        parameters,
    }
}

/// Sends an object; browsers must take the declared type at its word (`nosniff`) and never
/// treat it as a page of this site (`sandbox`).
async fn object_response(
    req: &HttpRequest,
    body: ObjectBody,
    content_type: &str,
    disposition: ContentDisposition,
) -> AppResult<HttpResponse> {
    let mime: actix_web::mime::Mime = content_type
        .parse()
        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM);
    let mut response = match body {
        ObjectBody::File(path) => {
            let file = web::block(move || NamedFile::open(path))
                .await
                .map_err(AppError::internal)?
                .map_err(|e| match e.kind() {
                    // Deleted between the lookup and now.
                    std::io::ErrorKind::NotFound => AppError::NotFound,
                    _ => AppError::internal(e),
                })?;
            file.set_content_type(mime)
                .set_content_disposition(disposition)
                .into_response(req)
        }
        ObjectBody::Stream { body, size } => {
            let mut builder = HttpResponse::Ok();
            builder
                .content_type(mime)
                .insert_header((header::CONTENT_DISPOSITION, disposition));
            if let Some(size) = size {
                builder.no_chunking(size);
            }
            builder.streaming(body)
        }
    };
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Should a browser render it anyway, it runs no script and reaches no same-origin data.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// Files and links of one record, oldest first.
#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    responses((status = 200, body = Vec<Attachment>), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<web::Json<Vec<Attachment>>> {
    let target = target(&state, &caller, &req, &id).await?;
    Ok(web::Json(attachments::list(&state.db, &target).await?))
}

/// Uploads one file (field `file`), streamed to storage. Its extension must be allowed by
/// `attachments.allowed_extensions`; over `attachments.max_bytes` answers 413 and stores nothing.
#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Attachment),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 413, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
    mut multipart: Multipart,
) -> AppResult<HttpResponse> {
    let target = target(&state, &caller, &req, &id).await?;
    let settings = &state.settings.attachments;
    check_length(&req, settings.max_bytes)?;
    let field = file_field(&mut multipart).await?;
    let created = attachments::upload(
        &state.db,
        &state.objects,
        settings,
        &target,
        as_upload(field),
    )
    .await?;
    publish_files_changed(&state, &caller, &req, &id).await;
    Ok(HttpResponse::Created().json(created))
}

/// Attaches an external http(s) link.
#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    request_body = LinkInput,
    responses((status = 201, body = Attachment), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/links")]
pub async fn add_link(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
    body: ValidJson<LinkInput>,
) -> AppResult<HttpResponse> {
    let target = target(&state, &caller, &req, &id).await?;
    let created = attachments::add_link(&state.db, &target, body.0).await?;
    publish_files_changed(&state, &caller, &req, &id).await;
    Ok(HttpResponse::Created().json(created))
}

/// Links the record to another record of the same vehicle (`recordType` is the target's
/// collection, e.g. `service-records`). An unknown type or a record that is not this vehicle's
/// answers 422.
#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    request_body = RecordLinkInput,
    responses((status = 201, body = Attachment), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/record-links")]
pub async fn add_record_link(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
    body: ValidJson<RecordLinkInput>,
) -> AppResult<HttpResponse> {
    let target = target(&state, &caller, &req, &id).await?;
    let created = attachments::add_record_link(&state.db, &target, body.0).await?;
    publish_files_changed(&state, &caller, &req, &id).await;
    Ok(HttpResponse::Created().json(created))
}

/// Every file attached to the vehicle's records as one zip, in the records' chronological
/// order; each name starts with the record's date and type (`2024-03-01_service_receipt.pdf`).
#[utoipa::path(
    tag = "attachments",
    params(("vehicleId" = i64, Path)),
    responses(
        (status = 200, description = "`application/zip`", content_type = "application/zip"),
        (status = 404, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/attachments/export")]
pub async fn export(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<HttpResponse> {
    let tmp_dir = state.settings.data_dir.join("tmp");
    let file =
        attachments::export(&state.db, &state.objects, &caller, id.vehicle(), &tmp_dir).await?;
    let name = format!("vehicle-{}-attachments.zip", id.vehicle());
    let file = NamedFile::from_file(file, &name).map_err(AppError::internal)?;
    let mut response = file
        .set_content_type(
            "application/zip"
                .parse()
                .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM),
        )
        .set_content_disposition(disposition(DispositionType::Attachment, &name))
        .use_etag(false)
        .use_last_modified(false)
        .into_response(&req);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// Downloads a file as an attachment; a link answers 302 to its address, and so does a file
/// when `storage.s3.presign_downloads` is on (to a presigned URL valid `storage.s3.presign_secs`).
/// 503 while the object store is unavailable.
#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
        ("attachmentId" = i64, Path),
    ),
    responses(
        (status = 200, description = "The file, with its content type and `Content-Disposition: attachment`"),
        (status = 302, description = "A link attachment: `Location` is its address; with presigned downloads on, a file: `Location` is a short-lived URL of the object store"),
        (status = 404, body = Problem),
        (status = 503, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}")]
pub async fn download(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<HttpResponse> {
    let target = target(&state, &caller, &req, &id).await?;
    let attachment = attachment_id(&req)?;
    match attachments::download(&state.db, &state.objects, &target, attachment).await? {
        Download::Link(url) => Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .finish()),
        // The URL is short-lived: no cache may keep the redirect longer than it works.
        Download::Presigned(url) => Ok(HttpResponse::Found()
            .insert_header((header::LOCATION, url))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .finish()),
        Download::File {
            body,
            name,
            content_type,
        } => {
            let cd = disposition(DispositionType::Attachment, &name);
            object_response(&req, body, &content_type, cd).await
        }
    }
}

#[utoipa::path(
    tag = "attachments",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
        ("attachmentId" = i64, Path),
    ),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<HttpResponse> {
    let target = target(&state, &caller, &req, &id).await?;
    let attachment = attachment_id(&req)?;
    attachments::delete(&state.db, &state.objects, &target, attachment).await?;
    publish_files_changed(&state, &caller, &req, &id).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets or replaces the vehicle's picture: a PNG, JPEG or WebP file in the field `file`.
#[utoipa::path(
    tag = "attachments",
    params(("vehicleId" = i64, Path)),
    request_body(content = FileUpload, content_type = "multipart/form-data"),
    responses(
        (status = 204),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 413, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[put("/api/v1/vehicles/{vehicleId}/image")]
pub async fn put_image(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
    mut multipart: Multipart,
) -> AppResult<HttpResponse> {
    // Access first, so nobody learns anything about a vehicle from how the upload fails.
    crate::domain::vehicles::visible(&state.db, &caller, id.vehicle()).await?;
    let settings = &state.settings.attachments;
    check_length(&req, settings.max_bytes)?;
    let field = file_field(&mut multipart).await?;
    attachments::put_image(
        &state.db,
        &state.objects,
        settings,
        &caller,
        id.vehicle(),
        as_upload(field),
    )
    .await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "vehicle",
            Op::Update,
            id.vehicle(),
            None,
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

/// The vehicle's picture.
#[utoipa::path(
    tag = "attachments",
    params(("vehicleId" = i64, Path)),
    responses(
        (status = 200, description = "The image (PNG, JPEG or WebP)"),
        (status = 404, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/image")]
pub async fn get_image(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<HttpResponse> {
    let (body, content_type) =
        attachments::image(&state.db, &state.objects, &caller, id.vehicle()).await?;
    let cd = disposition(DispositionType::Inline, "image");
    object_response(&req, body, content_type, cd).await
}

#[utoipa::path(
    tag = "attachments",
    params(("vehicleId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/image")]
pub async fn delete_image(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    attachments::delete_image(&state.db, &state.objects, &caller, id.vehicle()).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "vehicle",
            Op::Update,
            id.vehicle(),
            None,
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_the_header() {
        let plain = disposition(DispositionType::Attachment, "receipt 2024.pdf");
        assert_eq!(
            plain.to_string(),
            r#"attachment; filename="receipt 2024.pdf""#
        );
        let tricky = disposition(DispositionType::Attachment, "a\"b\\c;ü.pdf");
        assert_eq!(
            tricky.to_string(),
            r#"attachment; filename="a_b_c;_.pdf"; filename*=UTF-8''a%22b%5Cc%3B%C3%BC.pdf"#
        );
    }
}
