//! Attachments of any record and the vehicle image (reference §1 "Attachments", §2.2
//! `UploadedFiles`): files, external links and links to another record of the vehicle, the
//! copies made when one record begets another (tax back-fill, plan → record), and the
//! chronological zip of a vehicle's files.
//!
//! Consistency between the database and the object store: an object is written first and its
//! row second (on failure the object is deleted), so a row never points at a missing object.
//! Deleting goes the other way: rows first, objects after the commit; a failed object delete
//! only leaves an unreferenced file and is logged.

use std::collections::HashMap;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::web::Bytes;
use futures_util::StreamExt;
use motovault_shared::dto::attachments::{
    self as rules, Attachment, AttachmentKind, IMAGE_EXTENSIONS, LinkInput, RecordLinkInput,
    RecordLinkTarget,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::config::AttachmentSettings;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{
    self, ByteStream, ObjectBody, ObjectError, ObjectKey, ObjectStore, Objects, PutError,
};
use crate::store::attachments::{
    self as store, KIND_FILE, KIND_RECORD_LINK, KIND_URL, NewAttachment, RecordTable,
};
use crate::store::entity::attachment;
use crate::store::extra_fields as extra_field_store;

/// A record the caller may attach files to. Only [`target`] makes one, so holding a `Target`
/// proves the access check ran.
pub struct Target {
    vehicle_id: i64,
    table: &'static RecordTable,
    record_id: i64,
}

/// Resolves `/vehicles/{vehicleId}/{recordType}/{recordId}`: 404 for an unknown type, a vehicle
/// the caller may not see, or a record that is not under that vehicle.
pub async fn target(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    segment: &str,
    record_id: i64,
) -> AppResult<Target> {
    let table = store::record_table(segment).ok_or(AppError::NotFound)?;
    let vehicle = visible(db, caller, vehicle_id).await?;
    if !store::record_exists(db, table, vehicle.id, record_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Target {
        vehicle_id: vehicle.id,
        table,
        record_id,
    })
}

/// An uploaded file as the HTTP layer hands it over: the name the client gave and the bytes.
pub struct Upload<'a> {
    pub file_name: String,
    pub body: ByteStream<'a>,
}

pub async fn list(db: &DatabaseConnection, target: &Target) -> AppResult<Vec<Attachment>> {
    let rows = store::list(
        db,
        target.vehicle_id,
        target.table.record_type,
        target.record_id,
    )
    .await?;
    answer_many(db, target.vehicle_id, rows).await
}

/// The answers for these rows, record links with their target's title and date (one query per
/// linked record type).
async fn answer_many(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    rows: Vec<attachment::Model>,
) -> AppResult<Vec<Attachment>> {
    let mut wanted: Vec<(&'static RecordTable, Vec<i64>)> = Vec::new();
    for (table, id) in rows
        .iter()
        .filter(|r| r.kind == KIND_RECORD_LINK)
        .filter_map(|r| store::parse_link(&r.location))
    {
        match wanted
            .iter_mut()
            .find(|(t, _)| t.record_type == table.record_type)
        {
            Some((_, ids)) => ids.push(id),
            None => wanted.push((table, vec![id])),
        }
    }
    let mut found: Vec<(&'static RecordTable, HashMap<i64, store::RecordInfo>)> = Vec::new();
    for (table, ids) in wanted {
        found.push((
            table,
            store::record_info(db, table, vehicle_id, &ids).await?,
        ));
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let link = store::parse_link(&row.location)
                .filter(|_| row.kind == KIND_RECORD_LINK)
                .and_then(|(table, id)| {
                    let (_, infos) = found
                        .iter()
                        .find(|(t, _)| t.record_type == table.record_type)?;
                    Some(link_target(table, id, infos.get(&id)?))
                });
            to_dto(row, link)
        })
        .collect())
}

fn link_target(table: &RecordTable, record_id: i64, info: &store::RecordInfo) -> RecordLinkTarget {
    let title = info
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{} {}", table.label, info.date));
    RecordLinkTarget {
        record_type: table.segment.to_owned(),
        record_id,
        title,
        date: info.date,
    }
}

pub async fn upload(
    db: &DatabaseConnection,
    objects: &Objects,
    settings: &AttachmentSettings,
    target: &Target,
    upload: Upload<'_>,
) -> AppResult<Attachment> {
    let name = rules::clean_file_name(&upload.file_name);
    AppError::check(rules::validate_file_name(
        &name,
        &settings.allowed_extensions,
    ))?;
    let (head, body) = peek(upload.body, 1).await?;
    if head.is_empty() {
        return Err(AppError::field("file", "is empty"));
    }
    let content_type = rules::extension(&name)
        .map(|ext| actix_files::file_extension_to_mime(&ext).to_string())
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let pending = PendingObject::new(objects, ObjectKey::random(None)?);
    let size = store_object(objects, pending.key(), body, settings.max_bytes).await;
    let size = match size {
        Ok(size) => size,
        Err(e) => return Err(pending.discard(e).await),
    };
    let row = store::insert(
        db,
        NewAttachment {
            vehicle_id: target.vehicle_id,
            record_type: target.table.record_type,
            record_id: target.record_id,
            name: &name,
            kind: KIND_FILE,
            location: pending.key().as_str(),
            content_type: Some(&content_type),
            size_bytes: Some(i64::try_from(size).unwrap_or(i64::MAX)),
        },
    )
    .await;
    match row {
        Ok(row) => {
            pending.keep();
            Ok(to_dto(row, None))
        }
        Err(e) => Err(pending.discard(e.into()).await),
    }
}

pub async fn add_link(
    db: &DatabaseConnection,
    target: &Target,
    input: LinkInput,
) -> AppResult<Attachment> {
    AppError::check(rules::validate_link(&input))?;
    let row = store::insert(
        db,
        NewAttachment {
            vehicle_id: target.vehicle_id,
            record_type: target.table.record_type,
            record_id: target.record_id,
            name: input.name.trim(),
            kind: KIND_URL,
            location: input.url.trim(),
            content_type: None,
            size_bytes: None,
        },
    )
    .await?;
    Ok(to_dto(row, None))
}

/// Links this record to another record of the same vehicle (reference §1: `::RecordType:Id`).
/// An unknown type, a record that is not this vehicle's, or the record itself → 422.
pub async fn add_record_link(
    db: &DatabaseConnection,
    target: &Target,
    input: RecordLinkInput,
) -> AppResult<Attachment> {
    AppError::check(rules::validate_record_link(&input))?;
    let linked = store::record_table(input.record_type.trim())
        .ok_or_else(|| AppError::field("recordType", "is not a record type"))?;
    if linked.record_type == target.table.record_type && input.record_id == target.record_id {
        return Err(AppError::field(
            "recordId",
            "a record cannot link to itself",
        ));
    }
    let info = store::record_info(db, linked, target.vehicle_id, &[input.record_id])
        .await?
        .remove(&input.record_id)
        .ok_or_else(|| AppError::field("recordId", "is not a record of this vehicle"))?;
    let link = link_target(linked, input.record_id, &info);
    let name = match input.name.trim() {
        "" => link.title.clone(),
        given => given.to_owned(),
    };
    let row = store::insert(
        db,
        NewAttachment {
            vehicle_id: target.vehicle_id,
            record_type: target.table.record_type,
            record_id: target.record_id,
            name: &name,
            kind: KIND_RECORD_LINK,
            location: &store::link_location(linked.record_type, input.record_id),
            content_type: None,
            size_bytes: None,
        },
    )
    .await?;
    Ok(to_dto(row, Some(link)))
}

/// What a download answers with.
pub enum Download {
    File {
        body: ObjectBody,
        name: String,
        content_type: String,
    },
    /// A link attachment: the client is sent on to it.
    Link(String),
    /// A file the client fetches from the object store itself (a short-lived presigned URL).
    Presigned(String),
}

pub async fn download(
    db: &DatabaseConnection,
    objects: &Objects,
    target: &Target,
    attachment_id: i64,
) -> AppResult<Download> {
    let row = find(db, target, attachment_id).await?;
    if row.kind == KIND_URL {
        return Ok(Download::Link(row.location));
    }
    if row.kind == KIND_RECORD_LINK {
        // Nothing to download: the client opens the linked record instead.
        return Err(AppError::NotFound);
    }
    let key = ObjectKey::parse(&row.location).ok_or(AppError::NotFound)?;
    let content_type = row
        .content_type
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    if let Some(url) = objects
        .presigned_url(&key, &row.name, &content_type)
        .await?
    {
        return Ok(Download::Presigned(url));
    }
    let Some(body) = objects.get(&key).await? else {
        tracing::warn!(attachment = row.id, key = %key, "attachment row without its object");
        return Err(AppError::NotFound);
    };
    Ok(Download::File {
        body,
        name: row.name,
        content_type,
    })
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &Objects,
    target: &Target,
    attachment_id: i64,
) -> AppResult<()> {
    let row = find(db, target, attachment_id).await?;
    store::delete(db, row.id).await?;
    if row.kind == KIND_FILE {
        objects::delete_all(objects.as_ref(), &[row.location]).await;
    }
    Ok(())
}

async fn find(
    db: &DatabaseConnection,
    target: &Target,
    attachment_id: i64,
) -> AppResult<attachment::Model> {
    store::find(
        db,
        target.vehicle_id,
        target.table.record_type,
        target.record_id,
        attachment_id,
    )
    .await?
    .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------- copies

/// Objects copied for rows written in a transaction that has not committed yet. Dropped
/// without [`Copies::keep`] (an error, a rollback, a cancelled request), the copies are deleted
/// again, so no file outlives a failed write.
#[derive(Default)]
#[must_use = "keep the copies once the transaction has committed"]
pub struct Copies(Vec<PendingObject>);

impl Copies {
    pub fn keep(self) {
        for copy in self.0 {
            copy.keep();
        }
    }
}

/// Inside the transaction creating the record `to`: gives it what the record `from` carries
/// besides its row (reference §3.5 copies, §3.7 Done): its attachments, each file under a new
/// object key (a real copy: deleting either record never deletes the other's file), links and
/// record links as they are, and its extra-field values. Tags are the caller's business.
pub async fn copy_record_parts(
    txn: &impl ConnectionTrait,
    objects: &Objects,
    vehicle_id: i64,
    from: (&str, i64),
    to: (&str, i64),
    copies: &mut Copies,
) -> AppResult<()> {
    for row in store::list(txn, vehicle_id, from.0, from.1).await? {
        let location = if row.kind == KIND_FILE {
            let Some(source) = ObjectKey::parse(&row.location) else {
                tracing::warn!(attachment = row.id, "not an object key; not copied");
                continue;
            };
            let key = ObjectKey::random(source.ext())?;
            objects.copy(&source, &key).await?;
            let copy = PendingObject::new(objects, key);
            let location = copy.key().as_str().to_owned();
            copies.0.push(copy);
            location
        } else {
            row.location.clone()
        };
        store::insert(
            txn,
            NewAttachment {
                vehicle_id,
                record_type: to.0,
                record_id: to.1,
                name: &row.name,
                kind: &row.kind,
                location: &location,
                content_type: row.content_type.as_deref(),
                size_bytes: row.size_bytes,
            },
        )
        .await?;
    }
    let values = extra_field_store::values(txn, from.0, from.1).await?;
    if !values.is_empty() {
        extra_field_store::replace_values(txn, vehicle_id, to.0, to.1, &values).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- export

/// A file that is removed when dropped (the export's zip while it is being built).
struct TempPath(PathBuf);

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.0.display(), error = %e, "could not remove a temp file");
        }
    }
}

/// One file of the export, in archive order.
struct ExportEntry {
    name: String,
    key: ObjectKey,
    size: Option<i64>,
}

/// The export's name for a file: record date, record type and the file's own name, so the
/// archive lists chronologically (`2024-03-01_service_receipt.pdf`); a repeated name gets
/// ` (2)`, ` (3)`… before its extension.
fn export_name(
    date: chrono::NaiveDate,
    record_type: &str,
    name: &str,
    taken: &mut Vec<String>,
) -> String {
    let base = format!("{date}_{record_type}_{}", name.replace(['/', '\\'], "_"));
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = match base.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
            _ => format!("{base} ({n})"),
        };
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// Reference §1 "Export attachments builds a chronological zip": every file attached to the
/// vehicle's records, ordered by the record's date (then type, record and upload order), built
/// in a temp file under `tmp_dir`. The answer is the open zip, already unlinked, so nothing is
/// left behind however the download ends.
pub async fn export(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    tmp_dir: &Path,
) -> AppResult<std::fs::File> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list_kind_for_vehicle(db, vehicle.id, KIND_FILE).await?;
    let mut dated = Vec::with_capacity(rows.len());
    for table in store::RECORD_TABLES {
        let ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.record_type == table.record_type)
            .map(|r| r.record_id)
            .collect();
        let infos = store::record_info(db, table, vehicle.id, &ids).await?;
        for row in rows.iter().filter(|r| r.record_type == table.record_type) {
            // A row whose record is gone (deleted meanwhile) is not exported.
            if let Some(info) = infos.get(&row.record_id) {
                dated.push((info.date, row));
            }
        }
    }
    dated.sort_by(|(date_a, a), (date_b, b)| {
        (date_a, &a.record_type, a.record_id, a.id).cmp(&(
            date_b,
            &b.record_type,
            b.record_id,
            b.id,
        ))
    });
    let mut taken = Vec::new();
    let entries: Vec<ExportEntry> = dated
        .into_iter()
        .filter_map(|(date, row)| {
            Some(ExportEntry {
                key: ObjectKey::parse(&row.location)?,
                name: export_name(date, &row.record_type, &row.name, &mut taken),
                size: row.size_bytes,
            })
        })
        .collect();

    let dir = tmp_dir.to_owned();
    let path = dir.join(format!("export-{}.zip", ObjectKey::random(None)?));
    let temp = TempPath(path.clone());
    let mut zip = blocking(move || {
        std::fs::create_dir_all(&dir)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(zip::ZipWriter::new(file))
    })
    .await?;
    for entry in entries {
        let Some(body) = objects.get(&entry.key).await? else {
            tracing::warn!(key = %entry.key, "attachment row without its object; not exported");
            continue;
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(entry.size.is_none_or(|s| s >= i64::from(u32::MAX)));
        let name = entry.name;
        zip = blocking(move || {
            zip.start_file(name, options)
                .map_err(std::io::Error::other)?;
            Ok(zip)
        })
        .await?;
        match body {
            ObjectBody::File(path) => {
                zip = blocking(move || {
                    let mut file = std::fs::File::open(path)?;
                    std::io::copy(&mut file, &mut zip)?;
                    Ok(zip)
                })
                .await?;
            }
            ObjectBody::Stream { mut body, .. } => {
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.map_err(ObjectError::from)?;
                    zip = blocking(move || {
                        zip.write_all(&chunk)?;
                        Ok(zip)
                    })
                    .await?;
                }
            }
        }
    }
    let file = blocking(move || {
        let mut file = zip.finish().map_err(std::io::Error::other)?;
        file.rewind()?;
        Ok(file)
    })
    .await?;
    // The path goes now; the open file stays readable until the download drops it.
    drop(temp);
    Ok(file)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

// ---------------------------------------------------------------- deleting records and vehicles

/// Object keys whose rows were deleted in a transaction; purge them once it has committed.
#[must_use = "purge the objects after the transaction commits"]
pub struct Detached(Vec<String>);

impl Detached {
    /// Deletes the objects; failures are logged, never returned (the database is consistent).
    pub async fn purge(self, objects: &dyn ObjectStore) {
        objects::delete_all(objects, &self.0).await;
    }
}

/// In the transaction deleting these records: removes their attachment rows.
pub async fn detach_records(
    txn: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> AppResult<Detached> {
    Ok(Detached(
        store::delete_for(txn, record_type, record_ids).await?,
    ))
}

/// In the transaction deleting a vehicle, before the vehicle row goes: removes the attachment
/// rows of the vehicle and all its records, and remembers its image.
pub async fn detach_vehicle(txn: &impl ConnectionTrait, vehicle_id: i64) -> AppResult<Detached> {
    Ok(Detached(store::delete_for_vehicle(txn, vehicle_id).await?))
}

// ---------------------------------------------------------------- vehicle image

/// Sets or replaces the vehicle's image. Only PNG, JPEG and WebP files, checked by name and by
/// content, so a stored image is always served as what it is.
pub async fn put_image(
    db: &DatabaseConnection,
    objects: &Objects,
    settings: &AttachmentSettings,
    caller: &Caller,
    vehicle_id: i64,
    upload: Upload<'_>,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let name = rules::clean_file_name(&upload.file_name);
    let allowed = IMAGE_EXTENSIONS.join(",");
    AppError::check(rules::validate_file_name(&name, &allowed))?;
    let (head, body) = peek(upload.body, 12).await?;
    if head.is_empty() {
        return Err(AppError::field("file", "is empty"));
    }
    let ext = rules::sniff_image(&head)
        .ok_or_else(|| AppError::field("file", "is not a PNG, JPEG or WebP image"))?;
    let pending = PendingObject::new(objects, ObjectKey::random(Some(ext))?);
    if let Err(e) = store_object(objects, pending.key(), body, settings.max_bytes).await {
        return Err(pending.discard(e).await);
    }
    match store::set_image_key(db, vehicle.id, Some(pending.key().as_str())).await {
        Ok(true) => pending.keep(),
        // The vehicle was deleted meanwhile.
        Ok(false) => return Err(pending.discard(AppError::NotFound).await),
        Err(e) => return Err(pending.discard(e.into()).await),
    }
    objects::delete_all(
        objects.as_ref(),
        &vehicle.image_key.into_iter().collect::<Vec<_>>(),
    )
    .await;
    Ok(())
}

/// The vehicle's image and its content type; 404 when it has none.
pub async fn image(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<(ObjectBody, &'static str)> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let key = vehicle
        .image_key
        .as_deref()
        .and_then(ObjectKey::parse)
        .ok_or(AppError::NotFound)?;
    let content_type = match key.ext() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    };
    let Some(body) = objects.get(&key).await? else {
        tracing::warn!(vehicle = vehicle.id, key = %key, "vehicle image row without its object");
        return Err(AppError::NotFound);
    };
    Ok((body, content_type))
}

/// Removes the vehicle's image; 404 when it has none.
pub async fn delete_image(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let Some(old) = vehicle.image_key else {
        return Err(AppError::NotFound);
    };
    store::set_image_key(db, vehicle.id, None).await?;
    objects::delete_all(objects.as_ref(), &[old]).await;
    Ok(())
}

// ---------------------------------------------------------------- helpers

fn to_dto(row: attachment::Model, record_link: Option<RecordLinkTarget>) -> Attachment {
    let kind = AttachmentKind::parse(&row.kind).unwrap_or(AttachmentKind::File);
    let url = (kind == AttachmentKind::Url).then(|| row.location.clone());
    Attachment {
        id: row.id,
        name: row.name,
        kind,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        url,
        record_link,
        created_at: row.created_at,
    }
}

async fn store_object(
    objects: &Objects,
    key: &ObjectKey,
    body: ByteStream<'_>,
    max_bytes: u64,
) -> AppResult<u64> {
    objects
        .put(key, body, max_bytes)
        .await
        .map_err(|e| match e {
            PutError::TooLarge(limit) => {
                AppError::PayloadTooLarge(usize::try_from(limit).unwrap_or(usize::MAX))
            }
            PutError::Body(e) => AppError::Malformed(format!("could not read the upload: {e}")),
            PutError::Store(e) => e.into(),
        })
}

impl From<ObjectError> for AppError {
    fn from(err: ObjectError) -> Self {
        match err {
            // A remote store that is down or misconfigured: 503, the rest of the app works on.
            ObjectError::Unavailable(_) | ObjectError::Refused(_) => {
                AppError::Unavailable(err.to_string())
            }
            ObjectError::Io(_) => AppError::internal(err),
        }
    }
}

/// Reads at least `n` bytes (fewer only at the end of the body) and gives back a stream that
/// still yields every byte, so a file can be checked before anything is stored.
async fn peek(body: ByteStream<'_>, n: usize) -> AppResult<(Vec<u8>, ByteStream<'_>)> {
    // Fused: a multipart field panics if polled again after its end.
    let mut body = body.fuse();
    let mut head: Vec<u8> = Vec::new();
    let mut chunks: Vec<Bytes> = Vec::new();
    while head.len() < n {
        match body.next().await {
            Some(Ok(chunk)) => {
                head.extend_from_slice(&chunk);
                chunks.push(chunk);
            }
            Some(Err(e)) => {
                return Err(AppError::Malformed(format!(
                    "could not read the upload: {e}"
                )));
            }
            None => break,
        }
    }
    let replay = futures_util::stream::iter(chunks.into_iter().map(Ok));
    Ok((head, Box::pin(replay.chain(body))))
}

/// An object written before its row: deleted again unless [`PendingObject::keep`] is called,
/// also when the request is cancelled half-way (the client went away).
struct PendingObject {
    objects: Objects,
    key: ObjectKey,
    armed: bool,
}

impl PendingObject {
    fn new(objects: &Objects, key: ObjectKey) -> PendingObject {
        PendingObject {
            objects: Arc::clone(objects),
            key,
            armed: true,
        }
    }

    fn key(&self) -> &ObjectKey {
        &self.key
    }

    fn keep(mut self) {
        self.armed = false;
    }

    /// Deletes the object now and hands back the error that made it unwanted.
    async fn discard(mut self, error: AppError) -> AppError {
        self.armed = false;
        if let Err(e) = self.objects.delete(&self.key).await {
            tracing::warn!(key = %self.key, error = %e, "could not delete an unwanted object");
        }
        error
    }
}

impl Drop for PendingObject {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let objects = Arc::clone(&self.objects);
        let key = self.key.clone();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(e) = objects.delete(&key).await {
                        tracing::warn!(key = %key, error = %e, "could not delete an abandoned object");
                    }
                });
            }
            Err(_) => tracing::warn!(key = %key, "abandoned object left in the store"),
        }
    }
}
