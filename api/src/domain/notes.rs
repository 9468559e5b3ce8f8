//! Notes: a title, a markdown body stored as entered, a pinned flag (reference §1 "Notes").

use motovault_shared::dto::notes::{self as dto, Note, NoteInput, NoteList};
use sea_orm::DatabaseConnection;

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::entity::note;
use crate::store::notes::{self as store, RECORD_TYPE};
use crate::store::tags;

/// Pinned notes first, then newest first.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<NoteList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list(db, vehicle.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let records = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            to_dto(r, t)
        })
        .collect();
    Ok(NoteList { records })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<Note> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    with_tags(db, row).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: NoteInput,
) -> AppResult<Note> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    Ok(to_dto(saved, input.tags))
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    input: NoteInput,
) -> AppResult<Note> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    Ok(to_dto(saved, input.tags))
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    // Objects go after the commit: a failed rollback must not lose files still referenced.
    files.purge(objects).await;
    Ok(())
}

async fn with_tags(db: &DatabaseConnection, row: note::Model) -> AppResult<Note> {
    let t = tags::for_records(db, RECORD_TYPE, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(to_dto(row, t))
}

fn to_dto(r: note::Model, tags: Vec<String>) -> Note {
    Note {
        id: r.id,
        vehicle_id: r.vehicle_id,
        title: r.title,
        body: r.body,
        is_pinned: r.is_pinned,
        tags,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
