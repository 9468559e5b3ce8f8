//! Attachments of any record and the vehicle image (reference §1 "Attachments", §2.2
//! `UploadedFiles`).
//!
//! Consistency between the database and the object store: an object is written first and its
//! row second (on failure the object is deleted), so a row never points at a missing object.
//! Deleting goes the other way: rows first, objects after the commit; a failed object delete
//! only leaves an unreferenced file and is logged.

use std::sync::Arc;

use actix_web::web::Bytes;
use futures_util::StreamExt;
use motovault_shared::dto::attachments::{
    self as rules, Attachment, AttachmentKind, IMAGE_EXTENSIONS, LinkInput,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::config::AttachmentSettings;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{
    self, ByteStream, ObjectBody, ObjectError, ObjectKey, ObjectStore, Objects, PutError,
};
use crate::store::attachments::{self as store, KIND_FILE, KIND_URL, NewAttachment, RecordTable};
use crate::store::entity::attachment;

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
    Ok(rows.into_iter().map(to_dto).collect())
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
            Ok(to_dto(row))
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
    Ok(to_dto(row))
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
    let key = ObjectKey::parse(&row.location).ok_or(AppError::NotFound)?;
    let Some(body) = objects.get(&key).await.map_err(AppError::internal)? else {
        tracing::warn!(attachment = row.id, key = %key, "attachment row without its object");
        return Err(AppError::NotFound);
    };
    Ok(Download::File {
        body,
        name: row.name,
        content_type: row
            .content_type
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
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
    let Some(body) = objects.get(&key).await.map_err(AppError::internal)? else {
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

fn to_dto(row: attachment::Model) -> Attachment {
    let kind = AttachmentKind::parse(&row.kind).unwrap_or(AttachmentKind::File);
    let url = (kind == AttachmentKind::Url).then(|| row.location.clone());
    Attachment {
        id: row.id,
        name: row.name,
        kind,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        url,
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
            PutError::Store(e) => AppError::internal(e),
        })
}

impl From<ObjectError> for AppError {
    fn from(err: ObjectError) -> Self {
        AppError::internal(err)
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
