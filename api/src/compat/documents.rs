//! Documents as LubeLogger clients handle them (reference §1 "Attachments", §4.3):
//! `POST /api/documents/upload` stores files in the object store and answers where they are
//! (`/documents/{key}`); a record added or updated later with `files[{name,location}]` naming
//! such a location takes the file as its attachment ([`plan`], called by `records`), and record
//! lists show files at `/documents/{key}` again. `GET /documents/{file}` and
//! `GET /images/{file}` serve stored objects to a signed-in caller (cookie, API key or Basic);
//! anyone else is sent to `/login`.
//!
//! Who may fetch what: a file attached to a record, or a vehicle image, only a caller who sees
//! that vehicle; an uploaded file no record took yet, any signed-in caller, as in LubeLogger,
//! since its 128-bit random name is known only to whoever uploaded it.
//!
//! Differences from LubeLogger: a listed file that already belongs to another record is copied
//! rather than shared; entries the caller may not use are skipped silently rather
//! than stored as dangling locations; `/temp/…` locations and new `::RecordType:Id` record
//! links are not taken from `files` (record links are added with the native API, and existing
//! ones are kept when listed).

use actix_files::NamedFile;
use actix_multipart::Multipart;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::StreamExt;
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::attachments::{self as attachment_rules, LinkInput};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::auth::CompatCaller;
use super::error::{CompatError, CompatResult};
use super::input::FileIn;
use super::output::{self, J};
use crate::auth::Caller;
use crate::domain::vehicles::visible;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{self, ObjectBody, ObjectKey, Objects, PutError};
use crate::state::AppState;
use crate::store::attachments::{self as attachment_store, KIND_FILE, KIND_URL, NewAttachment};
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

// ---------------------------------------------------------------- files of records

/// What one accepted `files[]` entry becomes.
enum Source {
    /// An upload no record has taken yet: the record takes the object itself.
    Take(ObjectKey),
    /// A file the caller sees on another record, or a vehicle image: copied, so deleting
    /// either record never removes the other's file.
    Copy(ObjectKey),
    /// An `http(s)://` address: a link attachment.
    Link(String),
}

impl Source {
    fn key(&self) -> Option<&ObjectKey> {
        match self {
            Source::Take(key) | Source::Copy(key) => Some(key),
            Source::Link(_) => None,
        }
    }
}

struct Planned {
    name: String,
    source: Source,
}

/// The file list a record is about to get: what to add and, when replacing, which of its
/// attachments to remove. Made by reading only ([`plan`]); [`FilePlan::stage`] copies objects
/// and [`Staged::write`] writes rows.
pub struct FilePlan {
    add: Vec<Planned>,
    remove: Vec<attachment::Model>,
}

/// Whether the entry's location names this existing attachment.
fn names(row: &attachment::Model, location: &str) -> bool {
    if row.kind == KIND_FILE {
        key_of_location(location).is_some_and(|key| key.as_str() == row.location)
    } else {
        row.location == location
    }
}

/// Reads what a record's `files[{name,location}]` ask for (reference §2.2 `UploadedFiles`):
/// - a location naming one of `existing` keeps it;
/// - `/documents/{key}` (or `/images/{key}`) of an upload no record took yet is taken as it is;
///   one that already belongs to a record or vehicle image the caller can see is copied;
/// - an `http://` or `https://` address becomes a link attachment;
/// - anything else is skipped: someone else's file (never attached, and not told apart from a
///   missing one), a missing object, new `::RecordType:Id` record links (those are added with
///   the native API), `/temp/…` paths, repeats.
///
/// With `replace` (an update), the attachments of `existing` no entry names are removed.
/// Checks that the caller may edit the vehicle (`caller.need`).
pub async fn plan(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    existing: &[attachment::Model],
    files: &[FileIn],
    replace: bool,
) -> AppResult<FilePlan> {
    visible(db, caller, vehicle_id).await?;
    let mut kept: Vec<i64> = Vec::new();
    let mut add: Vec<Planned> = Vec::new();
    for file in files {
        let location = file.location.trim();
        let given = file.name.trim();
        if let Some(row) = existing.iter().find(|row| names(row, location)) {
            kept.push(row.id);
            continue;
        }
        if attachment_rules::is_web_url(location) {
            let link = LinkInput {
                name: if given.is_empty() { location } else { given }.to_owned(),
                url: location.to_owned(),
            };
            let repeated = add
                .iter()
                .any(|p| matches!(&p.source, Source::Link(url) if url == location));
            if !repeated && attachment_rules::validate_link(&link).is_empty() {
                add.push(Planned {
                    name: link.name,
                    source: Source::Link(link.url),
                });
            }
            continue;
        }
        let Some(key) = key_of_location(location) else {
            continue;
        };
        if add.iter().any(|p| p.source.key() == Some(&key)) {
            continue;
        }
        let refs = references(db, &key).await?;
        let source = if refs.is_empty() {
            if !objects.exists(&key).await? {
                continue;
            }
            Source::Take(key.clone())
        } else if refs.seen_by(db, caller).await?.is_some() {
            Source::Copy(key.clone())
        } else {
            continue;
        };
        add.push(Planned {
            name: match given {
                "" => key.to_string(),
                given => given.to_owned(),
            },
            source,
        });
    }
    let remove = if replace {
        existing
            .iter()
            .filter(|row| !kept.contains(&row.id))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    Ok(FilePlan { add, remove })
}

/// An attachment row about to be written.
struct NewRow {
    name: String,
    kind: &'static str,
    location: String,
    content_type: Option<String>,
    size_bytes: Option<i64>,
}

async fn file_row(objects: &Objects, name: String, key: &ObjectKey) -> AppResult<NewRow> {
    let size_bytes = match objects.get(key).await? {
        Some(ObjectBody::File(path)) => tokio::fs::metadata(path)
            .await
            .ok()
            .and_then(|m| i64::try_from(m.len()).ok()),
        Some(ObjectBody::Stream { size, .. }) => size.and_then(|s| i64::try_from(s).ok()),
        None => None,
    };
    Ok(NewRow {
        name,
        kind: KIND_FILE,
        location: key.as_str().to_owned(),
        content_type: Some(
            actix_files::file_extension_to_mime(key.ext().unwrap_or("")).to_string(),
        ),
        size_bytes,
    })
}

/// A copy made for a row not committed yet: deleted again when dropped without `keep` (an
/// error, a rollback, a cancelled request), so no copy outlives a failed write.
struct StagedCopy {
    objects: Objects,
    key: ObjectKey,
    armed: bool,
}

impl StagedCopy {
    fn keep(mut self) {
        self.armed = false;
    }
}

impl Drop for StagedCopy {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let objects = std::sync::Arc::clone(&self.objects);
        let key = self.key.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(e) = objects.delete(&key).await {
                        tracing::warn!(key = %key, error = %e, "could not delete an unused copy");
                    }
                });
            }
            Err(_) => tracing::warn!(key = %key, "unused copy left in the store"),
        }
    }
}

/// A [`FilePlan`] with its objects in place: only database rows are left to write.
#[must_use = "write the rows, then finish after the commit"]
pub struct Staged {
    rows: Vec<NewRow>,
    copies: Vec<StagedCopy>,
    remove: Vec<attachment::Model>,
}

impl FilePlan {
    /// Copies the objects the plan copies and reads the sizes of those it takes. Nothing is
    /// written to the database; a failure here leaves nothing behind.
    pub async fn stage(self, objects: &Objects) -> AppResult<Staged> {
        let mut staged = Staged {
            rows: Vec::new(),
            copies: Vec::new(),
            remove: self.remove,
        };
        for planned in self.add {
            match planned.source {
                Source::Link(url) => staged.rows.push(NewRow {
                    name: planned.name,
                    kind: KIND_URL,
                    location: url,
                    content_type: None,
                    size_bytes: None,
                }),
                Source::Take(key) => staged
                    .rows
                    .push(file_row(objects, planned.name, &key).await?),
                Source::Copy(from) => {
                    let key = ObjectKey::random(from.ext())?;
                    objects.copy(&from, &key).await?;
                    staged.copies.push(StagedCopy {
                        objects: std::sync::Arc::clone(objects),
                        key: key.clone(),
                        armed: true,
                    });
                    staged
                        .rows
                        .push(file_row(objects, planned.name, &key).await?);
                }
            }
        }
        Ok(staged)
    }
}

impl Staged {
    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.remove.is_empty()
    }

    /// In the caller's transaction: inserts the new rows and deletes the removed ones. Returns
    /// how many were added.
    pub async fn write(
        &self,
        txn: &impl ConnectionTrait,
        vehicle_id: i64,
        record_type: &str,
        record_id: i64,
    ) -> AppResult<usize> {
        for row in &self.remove {
            attachment_store::delete(txn, row.id).await?;
        }
        for row in &self.rows {
            attachment_store::insert(
                txn,
                NewAttachment {
                    vehicle_id,
                    record_type,
                    record_id,
                    name: &row.name,
                    kind: row.kind,
                    location: &row.location,
                    content_type: row.content_type.as_deref(),
                    size_bytes: row.size_bytes,
                },
            )
            .await?;
        }
        Ok(self.rows.len())
    }

    /// After the commit: keeps the copies and deletes the objects of removed files that
    /// nothing references any more (two requests may have taken the same upload).
    pub async fn finish(self, db: &DatabaseConnection, objects: &Objects) {
        for copy in self.copies {
            copy.keep();
        }
        for row in self.remove.iter().filter(|row| row.kind == KIND_FILE) {
            let Some(key) = ObjectKey::parse(&row.location) else {
                continue;
            };
            match references(db, &key).await {
                Ok(refs) if refs.is_empty() => {
                    objects::delete_all(objects.as_ref(), std::slice::from_ref(&row.location))
                        .await;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(key = %key, error = %e, "object kept: references unknown"),
            }
        }
    }
}

/// Adds uploaded documents to a record (the files-only form of [`plan`] without replacing):
/// each `(name, location)` naming an object becomes an attachment, in one transaction; other
/// entries, links included, are skipped. Returns how many were attached.
pub async fn attach(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
    files: &[(String, String)],
) -> AppResult<usize> {
    let files: Vec<FileIn> = files
        .iter()
        .filter(|(_, location)| key_of_location(location).is_some())
        .map(|(name, location)| FileIn {
            name: name.clone(),
            location: location.clone(),
        })
        .collect();
    let existing = attachment_store::list(db, vehicle_id, record_type, record_id).await?;
    let staged = plan(db, objects, caller, vehicle_id, &existing, &files, false)
        .await?
        .stage(objects)
        .await?;
    let txn = crate::store::begin_write(db).await?;
    let added = staged
        .write(&txn, vehicle_id, record_type, record_id)
        .await?;
    txn.commit().await?;
    staged.finish(db, objects).await;
    Ok(added)
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
