//! Documents as LubeLogger clients handle them (reference §1 "Attachments", §4.3):
//! `POST /api/documents/upload` stores files in the object store and answers where they are
//! (`/documents/{key}`); a record sent later with `files[{name,location}]` naming such a
//! location takes the file as its attachment ([`attach`]). `GET /documents/{file}` and
//! `GET /images/{file}` serve stored objects to a signed-in caller (cookie, API key or Basic);
//! anyone else is sent to `/login`.
//!
//! Who may fetch what: a file attached to a record, or a vehicle image, only a caller who sees
//! that vehicle; an uploaded file no record took yet, any signed-in caller, as in LubeLogger,
//! since its 128-bit random name is known only to whoever uploaded it.

use actix_files::NamedFile;
use actix_multipart::Multipart;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::StreamExt;
use motovault_shared::dto::access::Permission;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::auth::CompatCaller;
use super::error::{CompatError, CompatResult};
use super::output::{self, J};
use crate::auth::Caller;
use crate::domain::vehicles::visible;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectBody, ObjectKey, Objects, PutError};
use crate::state::AppState;
use crate::store::attachments::{self as attachment_store, KIND_FILE, NewAttachment};
use crate::store::entity::{attachment, vehicle};

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/documents/upload", web::post().to(upload))
        .route("/documents/{file}", web::get().to(serve))
        .route("/images/{file}", web::get().to(serve));
}

/// The location an upload answers with.
pub fn location(key: &ObjectKey) -> String {
    format!("/documents/{key}")
}

/// The object a `/documents/…` or `/images/…` location (or a bare key) names.
pub fn key_of_location(location: &str) -> Option<ObjectKey> {
    let name = location
        .trim()
        .trim_start_matches('/')
        .trim_start_matches("documents/")
        .trim_start_matches("images/");
    ObjectKey::parse(name)
}

/// The extension an object key keeps: the file's own, lowercased, when it is a short
/// alphanumeric one.
fn extension(file_name: &str) -> Option<String> {
    let (_, ext) = file_name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(ext)
}

async fn upload(
    state: web::Data<AppState>,
    who: CompatCaller,
    mut multipart: Multipart,
) -> CompatResult<HttpResponse> {
    // LubeLogger checks no role here; the caller only needs to be signed in.
    who.caller(Permission::View)?;
    let max_bytes = state.settings.attachments.max_bytes;
    let mut stored: Vec<(String, ObjectKey)> = Vec::new();
    while let Some(item) = multipart.next().await {
        let field = item.map_err(|e| CompatError::BadRequest(format!("{e}")))?;
        let disposition = field.content_disposition().cloned();
        let is_document = field
            .name()
            .is_some_and(|n| n.eq_ignore_ascii_case("documents"));
        let file_name = disposition
            .as_ref()
            .and_then(|cd| cd.get_filename().map(str::to_owned));
        let (true, Some(file_name)) = (is_document, file_name) else {
            // Other fields are read and dropped.
            let mut field = field;
            while let Some(chunk) = field.next().await {
                chunk.map_err(|e| CompatError::BadRequest(format!("{e}")))?;
            }
            continue;
        };
        let key = ObjectKey::random(extension(&file_name).as_deref()).map_err(AppError::from)?;
        let body = field.map(|chunk| chunk.map_err(|e| std::io::Error::other(e.to_string())));
        match state.objects.put(&key, Box::pin(body), max_bytes).await {
            Ok(_) => stored.push((file_name, key)),
            Err(e) => {
                // What this request stored so far is nobody's: remove it.
                discard(&state.objects, &stored).await;
                return Err(match e {
                    PutError::TooLarge(limit) => CompatError::Server(AppError::PayloadTooLarge(
                        usize::try_from(limit).unwrap_or(usize::MAX),
                    )),
                    PutError::Body(e) => CompatError::BadRequest(e.to_string()),
                    PutError::Store(e) => CompatError::Server(AppError::internal(e)),
                });
            }
        }
    }
    if stored.is_empty() {
        return Err(CompatError::BadRequest("No files to upload".to_owned()));
    }
    Ok(output::ok(&J::Arr(
        stored
            .iter()
            .map(|(name, key)| {
                J::Obj(vec![
                    ("name", J::str(name.clone())),
                    ("location", J::str(location(key))),
                    ("isPending", J::Bool(false)),
                ])
            })
            .collect(),
    )))
}

async fn discard(objects: &Objects, stored: &[(String, ObjectKey)]) {
    for (_, key) in stored {
        if let Err(e) = objects.delete(key).await {
            tracing::warn!(key = %key, error = %e, "could not delete an abandoned upload");
        }
    }
}

/// Who references an object: attachment rows (their vehicles) and vehicle images.
struct References {
    attachments: Vec<attachment::Model>,
    vehicles: Vec<i64>,
}

async fn references(db: &DatabaseConnection, key: &ObjectKey) -> AppResult<References> {
    let attachments = attachment::Entity::find()
        .filter(attachment::Column::Kind.eq(KIND_FILE))
        .filter(attachment::Column::Location.eq(key.as_str()))
        .all(db)
        .await?;
    let vehicles = vehicle::Entity::find()
        .filter(vehicle::Column::ImageKey.eq(key.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    Ok(References {
        attachments,
        vehicles,
    })
}

impl References {
    fn is_empty(&self) -> bool {
        self.attachments.is_empty() && self.vehicles.is_empty()
    }

    /// Whether the caller sees one of the vehicles that use the object; with the file's name
    /// when it is an attachment.
    async fn seen_by(
        &self,
        db: &DatabaseConnection,
        caller: &Caller,
    ) -> AppResult<Option<Option<attachment::Model>>> {
        for row in &self.attachments {
            if visible(db, caller, row.vehicle_id).await.is_ok() {
                return Ok(Some(Some(row.clone())));
            }
        }
        for id in &self.vehicles {
            if visible(db, caller, *id).await.is_ok() {
                return Ok(Some(None));
            }
        }
        Ok(None)
    }
}

/// Types a browser may render; anything else is sent as a download.
fn served_type(key: &ObjectKey) -> &'static str {
    match key.ext() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> HttpResponse {
    let who = match CompatCaller::extract(&req).await {
        Ok(who) => who,
        Err(CompatError::Unauthenticated) => {
            return HttpResponse::Found()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        Err(e) => return e.error_response(),
    };
    match serve_object(&req, &state, &who, &file).await {
        Ok(response) => response,
        Err(e) => e.error_response(),
    }
}

async fn serve_object(
    req: &HttpRequest,
    state: &AppState,
    who: &CompatCaller,
    file: &str,
) -> AppResult<HttpResponse> {
    let caller = who
        .caller(Permission::View)
        .map_err(|_| AppError::NotFound)?;
    let key = ObjectKey::parse(file).ok_or(AppError::NotFound)?;
    let refs = references(&state.db, &key).await?;
    let name = if refs.is_empty() {
        None
    } else {
        match refs.seen_by(&state.db, &caller).await? {
            Some(row) => row.map(|r| r.name),
            // Someone else's file: as if it did not exist.
            None => return Err(AppError::NotFound),
        }
    };
    let Some(body) = state.objects.get(&key).await? else {
        return Err(AppError::NotFound);
    };
    let mime: actix_web::mime::Mime = served_type(&key)
        .parse()
        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM);
    let name = name.unwrap_or_else(|| key.to_string());
    let disposition = header::ContentDisposition {
        disposition: if mime == actix_web::mime::APPLICATION_OCTET_STREAM {
            header::DispositionType::Attachment
        } else {
            header::DispositionType::Inline
        },
        parameters: vec![header::DispositionParam::Filename(
            name.chars()
                .map(|c| {
                    if (' '..='~').contains(&c) && c != '"' && c != '\\' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect(),
        )],
    };
    let mut response = match body {
        ObjectBody::File(path) => web::block(move || NamedFile::open(path))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => AppError::NotFound,
                _ => AppError::internal(e),
            })?
            .set_content_type(mime)
            .set_content_disposition(disposition)
            .into_response(req),
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
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// The hook for compat record adds and updates: each `files[{name,location}]` entry naming an
/// uploaded document becomes an attachment of the record. A document no record has yet is
/// taken as it is; one that already belongs to a record (or is a vehicle image) the caller can
/// see is copied, so deleting either record never removes the other's file. Entries naming
/// nothing the caller may use, and files the record already has, are skipped. Returns how
/// many were attached.
pub async fn attach(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
    files: &[(String, String)],
) -> AppResult<usize> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = attachment_store::list(db, vehicle.id, record_type, record_id).await?;
    let mut attached = 0;
    for (name, loc) in files {
        let Some(key) = key_of_location(loc) else {
            continue;
        };
        if existing.iter().any(|a| a.location == key.as_str()) {
            continue;
        }
        let refs = references(db, &key).await?;
        let stored_key = if refs.is_empty() {
            if !objects.exists(&key).await? {
                continue;
            }
            key.clone()
        } else if refs.seen_by(db, caller).await?.is_some() {
            let copy = ObjectKey::random(key.ext())?;
            objects.copy(&key, &copy).await?;
            copy
        } else {
            continue;
        };
        let name = match name.trim() {
            "" => key.to_string(),
            given => given.to_owned(),
        };
        let size = match objects.get(&stored_key).await? {
            Some(ObjectBody::File(path)) => std::fs::metadata(path)
                .ok()
                .and_then(|m| i64::try_from(m.len()).ok()),
            Some(ObjectBody::Stream { size, .. }) => size.and_then(|s| i64::try_from(s).ok()),
            None => None,
        };
        let content_type =
            actix_files::file_extension_to_mime(stored_key.ext().unwrap_or("")).to_string();
        attachment_store::insert(
            db,
            NewAttachment {
                vehicle_id: vehicle.id,
                record_type,
                record_id,
                name: &name,
                kind: KIND_FILE,
                location: stored_key.as_str(),
                content_type: Some(&content_type),
                size_bytes: size,
            },
        )
        .await?;
        attached += 1;
    }
    Ok(attached)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_and_extensions() {
        let key = "0123456789abcdef0123456789abcdef.pdf";
        for loc in [
            format!("/documents/{key}"),
            format!("/images/{key}"),
            format!("documents/{key}"),
            key.to_owned(),
        ] {
            assert_eq!(key_of_location(&loc).unwrap().as_str(), key, "{loc}");
        }
        assert!(key_of_location("/documents/../etc/passwd").is_none());
        assert!(key_of_location("https://example.com/a.pdf").is_none());
        assert_eq!(extension("Receipt.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension("archive.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension("noext"), None);
        assert_eq!(extension("bad.p/g"), None);
    }
}
