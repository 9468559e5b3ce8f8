//! `motovault restore`: reads a backup archive (docs/backup-format.md) into an empty database of
//! either engine and its object store, all or nothing.
//!
//! One reader thread walks the zip (tables in the manifest's order, parents first, then the
//! objects) and hands batches of rows and object chunks over bounded channels, so an archive of
//! any size passes through a few hundred rows of memory. Every row goes into ONE transaction,
//! converted to the target column's type (`columns`); objects are written while it is open and
//! deleted again if anything fails, so an interrupted restore leaves the target empty.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use actix_web::web::Bytes;
use motovault_migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, JsonValue,
    Statement, Value,
};
use serde_json::Map;
use tokio::sync::mpsc;

use super::columns::{self, Column};
use super::{
    FORMAT_NAME, FORMAT_VERSION, MANIFEST, Manifest, OBJECTS_DIR, TABLES_DIR, database_tables,
    quoted,
};
use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectKey, ObjectStore, PutError};

/// Rows per message from the reader.
const BATCH: usize = 500;
/// Bound values per INSERT (below SQLite's historic limit of 999).
const MAX_PARAMS: usize = 900;
/// Bytes per object chunk.
const CHUNK: u64 = 256 * 1024;

type Row = Map<String, JsonValue>;

/// Restores `archive` into `db` (migrated, holding no data) and `objects` (empty); all or
/// nothing. Returns the archive's manifest.
pub async fn restore(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    archive: &Path,
) -> AppResult<Manifest> {
    let manifest = manifest_of(archive).await?;
    check_schema(db, &manifest).await?;
    ensure_empty(db, objects).await?;
    load(db, objects, archive, &manifest, None).await?;
    Ok(manifest)
}

/// Replaces ALL data with the archive's, keeping only the root account `root_id` (its user row,
/// settings, sessions and API keys), in one transaction. The archive must hold no rows of those
/// tables. Objects of the old data are deleted once the new data is committed.
pub async fn replace_keeping_root(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    archive: &Path,
    root_id: i64,
) -> AppResult<Manifest> {
    let manifest = manifest_of(archive).await?;
    check_schema(db, &manifest).await?;
    let before = objects.list().await?;
    let written = load(db, objects, archive, &manifest, Some(root_id)).await?;
    for key in before.iter().filter(|k| !written.contains(k)) {
        if let Err(e) = objects.delete(key).await {
            tracing::warn!(key = %key, error = %e, "restore: could not delete an old object");
        }
    }
    Ok(manifest)
}

/// The archive's manifest, refusing anything but a MotoVaultPro backup of a known version.
pub fn read_checked_manifest(archive: &Path) -> AppResult<Manifest> {
    let damaged = |what: String| {
        AppError::Malformed(format!(
            "{} is not a readable backup: {what}",
            archive.display()
        ))
    };
    let file = std::fs::File::open(archive).map_err(|e| damaged(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| damaged(e.to_string()))?;
    let entry = zip
        .by_name(MANIFEST)
        .map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
    let raw: JsonValue =
        serde_json::from_reader(entry).map_err(|e| damaged(format!("{MANIFEST}: {e}")))?;
    if raw.get("format").and_then(JsonValue::as_str) != Some(FORMAT_NAME) {
        return Err(damaged(format!(
            "{MANIFEST} does not name the format {FORMAT_NAME}"
        )));
    }
    match raw.get("formatVersion").and_then(JsonValue::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) => {
            return Err(AppError::Malformed(format!(
                "backup format version {v} is not supported: this MotoVaultPro {} reads version \
                 {FORMAT_VERSION}; restore it with the version that wrote it or a newer one",
                env!("CARGO_PKG_VERSION")
            )));
        }
        None => return Err(damaged(format!("{MANIFEST} has no formatVersion"))),
    }
    serde_json::from_value(raw).map_err(|e| damaged(format!("{MANIFEST}: {e}")))
}

async fn manifest_of(archive: &Path) -> AppResult<Manifest> {
    let path = archive.to_owned();
    tokio::task::spawn_blocking(move || read_checked_manifest(&path))
        .await
        .map_err(AppError::internal)?
}

fn known_migrations() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Refuses an archive whose schema has a migration this binary does not know.
fn check_known(manifest: &Manifest) -> AppResult<()> {
    let known = known_migrations();
    match manifest.migrations.iter().find(|m| !known.contains(m)) {
        Some(unknown) => Err(AppError::Malformed(format!(
            "the backup was written by a newer MotoVaultPro: its schema has the migration \
             {unknown}, which {} does not know; restore it with that version or a newer one",
            env!("CARGO_PKG_VERSION")
        ))),
        None => Ok(()),
    }
}

/// Applies the pending migrations the archive's schema has, and no newer ones, so its rows meet
/// the schema they were written for; `store::migrate` applies the rest after the restore.
pub async fn migrate_to_archive(db: &DatabaseConnection, manifest: &Manifest) -> AppResult<()> {
    check_known(manifest)?;
    let pending = Migrator::get_pending_migrations(db).await?;
    let steps = pending
        .iter()
        .take_while(|m| manifest.migrations.iter().any(|a| a == m.name()))
        .count();
    if steps > 0 {
        let steps = u32::try_from(steps).map_err(AppError::internal)?;
        Migrator::up(db, Some(steps)).await?;
    }
    Ok(())
}

/// The target must have every migration of the archive applied (newer ones are fine: their
/// columns take their defaults, as existing rows did when they were added).
async fn check_schema(db: &DatabaseConnection, manifest: &Manifest) -> AppResult<()> {
    check_known(manifest)?;
    let applied = super::migrations(db).await?;
    if let Some(missing) = manifest.migrations.iter().find(|m| !applied.contains(m)) {
        return Err(AppError::Conflict(format!(
            "the target database lacks the migration {missing}; run `motovault migrate` first"
        )));
    }
    Ok(())
}

/// Refuses a target that holds any row (besides the migrations table) or any object.
async fn ensure_empty(db: &DatabaseConnection, objects: &dyn ObjectStore) -> AppResult<()> {
    let backend = db.get_database_backend();
    let present = database_tables(db).await?;
    let ordered = super::TABLES
        .iter()
        .map(|t| (*t).to_owned())
        .filter(|t| present.contains(t))
        .chain(
            present
                .iter()
                .filter(|p| !super::TABLES.contains(&p.as_str()))
                .cloned(),
        );
    for table in ordered {
        let sql = format!("SELECT 1 AS one FROM {} LIMIT 1", quoted(&table)?);
        if db
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(format!(
                "the target database is not empty: the table {table} holds rows; restore needs \
                 a new, empty database"
            )));
        }
    }
    let stored = objects.list().await?;
    if !stored.is_empty() {
        return Err(AppError::Conflict(format!(
            "the target object store is not empty: it holds {} files; restore needs an empty \
             data directory or bucket",
            stored.len()
        )));
    }
    Ok(())
}

/// One transaction for every row; objects written meanwhile are deleted again on failure.
/// Returns the keys of the objects written.
async fn load(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    archive: &Path,
    manifest: &Manifest,
    keep_root: Option<i64>,
) -> AppResult<Vec<ObjectKey>> {
    let txn = crate::store::begin_write(db).await?;
    let mut written = Vec::new();
    let filled = async {
        if let Some(root) = keep_root {
            clear_keeping_root(&txn, root).await?;
        }
        fill(&txn, objects, archive, manifest, &mut written).await?;
        reset_sequences(&txn).await?;
        if keep_root.is_none() {
            verify_counts(&txn, manifest).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    let outcome = match filled {
        Ok(()) => txn.commit().await.map_err(AppError::from),
        Err(e) => {
            if let Err(r) = txn.rollback().await {
                tracing::warn!(error = %r, "restore: rollback failed");
            }
            Err(e)
        }
    };
    if let Err(e) = outcome {
        for key in &written {
            if let Err(d) = objects.delete(key).await {
                tracing::warn!(key = %key, error = %d, "restore: could not remove a restored object");
            }
        }
        return Err(e);
    }
    Ok(written)
}

/// What the reader thread hands over, in archive order.
enum Item {
    Rows {
        table: usize,
        rows: Vec<Row>,
    },
    TableEnd {
        table: usize,
        rows: u64,
    },
    Object {
        key: ObjectKey,
        body: mpsc::Receiver<std::io::Result<Bytes>>,
    },
    Failed(String),
}

async fn fill(
    txn: &DatabaseTransaction,
    objects: &dyn ObjectStore,
    archive: &Path,
    manifest: &Manifest,
    written: &mut Vec<ObjectKey>,
) -> AppResult<()> {
    let mut targets = Vec::with_capacity(manifest.tables.len());
    for t in &manifest.tables {
        let cols = columns::columns(txn, &t.name).await?;
        if cols.is_empty() {
            return Err(AppError::Malformed(format!(
                "the backup has the table {}, which this database does not have",
                t.name
            )));
        }
        targets.push(cols);
    }
    let names = manifest.tables.iter().map(|t| t.name.clone()).collect();
    let mut items = spawn_reader(archive.to_owned(), names);
    let mut inserted = vec![0u64; targets.len()];
    let mut ended = vec![false; targets.len()];
    let (mut count, mut bytes) = (0u64, 0u64);
    while let Some(item) = items.recv().await {
        match item {
            Item::Rows { table, rows } => {
                inserted[table] +=
                    insert_rows(txn, &manifest.tables[table].name, &targets[table], rows).await?;
            }
            Item::TableEnd { table, rows } => {
                let t = &manifest.tables[table];
                if rows != t.rows || inserted[table] != t.rows {
                    return Err(AppError::Malformed(format!(
                        "the backup is damaged: {TABLES_DIR}/{}.jsonl holds {rows} rows, its \
                         manifest says {}",
                        t.name, t.rows
                    )));
                }
                ended[table] = true;
            }
            Item::Object { key, body } => {
                let chunks = futures_util::stream::unfold(body, |mut rx| async move {
                    rx.recv().await.map(|chunk| (chunk, rx))
                });
                let size = objects
                    .put(&key, Box::pin(chunks), u64::MAX)
                    .await
                    .map_err(|e| match e {
                        PutError::Body(e) => AppError::Malformed(format!(
                            "the backup is damaged: {OBJECTS_DIR}/{key}: {e}"
                        )),
                        PutError::Store(e) => AppError::from(e),
                        PutError::TooLarge(_) => AppError::internal(e),
                    })?;
                written.push(key);
                count += 1;
                bytes += size;
            }
            Item::Failed(why) => {
                return Err(AppError::Malformed(format!("the backup is damaged: {why}")));
            }
        }
    }
    if let Some(i) = ended.iter().position(|e| !e) {
        return Err(AppError::Malformed(format!(
            "the backup is damaged: {TABLES_DIR}/{}.jsonl was not read to its end",
            manifest.tables[i].name
        )));
    }
    if count != manifest.objects || bytes != manifest.object_bytes {
        return Err(AppError::Malformed(format!(
            "the backup is damaged: it holds {count} files of {bytes} bytes, its manifest says \
             {} files of {} bytes",
            manifest.objects, manifest.object_bytes
        )));
    }
    Ok(())
}

/// Inserts one batch with the rows' own ids; returns the number of rows inserted.
async fn insert_rows(
    txn: &DatabaseTransaction,
    table: &str,
    target: &[Column],
    rows: Vec<Row>,
) -> AppResult<u64> {
    let damaged = |id: Option<&JsonValue>, what: String| {
        let id = id.map_or_else(|| "?".to_owned(), JsonValue::to_string);
        AppError::Malformed(format!(
            "the backup is damaged: {TABLES_DIR}/{table}.jsonl, row id {id}: {what}"
        ))
    };
    for row in &rows {
        if let Some(unknown) = row.keys().find(|k| !target.iter().any(|c| &c.name == *k)) {
            return Err(damaged(
                row.get("id"),
                format!("the column {unknown} does not exist in this database"),
            ));
        }
    }
    // Columns no row names keep their defaults (a column added by a newer migration).
    let cols: Vec<&Column> = target
        .iter()
        .filter(|c| rows.iter().any(|r| r.contains_key(&c.name)))
        .collect();
    if cols.is_empty() || rows.is_empty() {
        return Ok(0);
    }
    let backend = txn.get_database_backend();
    let names = cols
        .iter()
        .map(|c| quoted(&c.name))
        .collect::<AppResult<Vec<_>>>()?
        .join(", ");
    let head = format!("INSERT INTO {} ({names}) VALUES ", quoted(table)?);
    let per_statement = (MAX_PARAMS / cols.len()).max(1);
    let mut done = 0u64;
    for chunk in rows.chunks(per_statement) {
        let mut sql = head.clone();
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * cols.len());
        for (r, row) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for (c, col) in cols.iter().enumerate() {
                let cell = row.get(&col.name).unwrap_or(&JsonValue::Null);
                let value = columns::convert(col.kind, cell)
                    .map_err(|why| damaged(row.get("id"), format!("column {}: {why}", col.name)))?;
                values.push(value);
                if c > 0 {
                    sql.push_str(", ");
                }
                match backend {
                    DatabaseBackend::Postgres => sql.push_str(&format!("${}", values.len())),
                    _ => sql.push('?'),
                }
            }
            sql.push(')');
        }
        let result = txn
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(|e| AppError::internal(format!("restore: inserting into {table}: {e}")))?;
        done += result.rows_affected();
    }
    Ok(done)
}

/// PostgreSQL identities continue after the highest restored id (SQLite's AUTOINCREMENT follows
/// explicit ids by itself).
async fn reset_sequences(txn: &DatabaseTransaction) -> AppResult<()> {
    let backend = txn.get_database_backend();
    if backend != DatabaseBackend::Postgres {
        return Ok(());
    }
    for table in database_tables(txn).await? {
        let has_id = columns::columns(txn, &table)
            .await?
            .iter()
            .any(|c| c.name == "id");
        if !has_id {
            continue;
        }
        let name = quoted(&table)?;
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{name}', 'id'), \
             COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
        );
        txn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    Ok(())
}

/// Before committing: every table holds exactly the manifest's rows.
async fn verify_counts(txn: &DatabaseTransaction, manifest: &Manifest) -> AppResult<()> {
    let backend = txn.get_database_backend();
    for t in &manifest.tables {
        let sql = format!("SELECT COUNT(*) AS n FROM {}", quoted(&t.name)?);
        let n: i64 = match txn
            .query_one_raw(Statement::from_string(backend, sql))
            .await?
        {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        if u64::try_from(n).ok() != Some(t.rows) {
            return Err(AppError::internal(format!(
                "restore: {} holds {n} rows after the restore, the backup has {}",
                t.name, t.rows
            )));
        }
    }
    Ok(())
}

/// Empties every table, children first, except the root's own account rows.
async fn clear_keeping_root(txn: &DatabaseTransaction, root: i64) -> AppResult<()> {
    let backend = txn.get_database_backend();
    let present = database_tables(txn).await?;
    let extra = present
        .iter()
        .filter(|p| !super::TABLES.contains(&p.as_str()))
        .cloned();
    let listed = super::TABLES
        .iter()
        .rev()
        .map(|t| (*t).to_owned())
        .filter(|t| present.contains(t));
    for table in extra.chain(listed) {
        let name = quoted(&table)?;
        let stmt = match table.as_str() {
            "users" => Some("id"),
            "user_settings" | "sessions" | "api_keys" | "calendar_tokens" => Some("user_id"),
            _ => None,
        }
        .map_or_else(
            || Statement::from_string(backend, format!("DELETE FROM {name}")),
            |column| {
                let p = if backend == DatabaseBackend::Postgres {
                    "$1"
                } else {
                    "?"
                };
                Statement::from_sql_and_values(
                    backend,
                    format!("DELETE FROM {name} WHERE {column} <> {p}"),
                    [root.into()],
                )
            },
        );
        txn.execute_raw(stmt).await?;
    }
    Ok(())
}

fn spawn_reader(archive: PathBuf, tables: Vec<String>) -> mpsc::Receiver<Item> {
    let (tx, rx) = mpsc::channel(2);
    std::thread::spawn(move || {
        if let Err(why) = read_archive(&archive, &tables, &tx) {
            // The receiver may be gone already: then nobody needs the reason.
            let _ = tx.blocking_send(Item::Failed(why));
        }
    });
    rx
}

/// Sends every table's rows, then every object; `Err` names what is broken. Returns early
/// (`Ok`) when the receiver stopped listening.
fn read_archive(path: &Path, tables: &[String], tx: &mpsc::Sender<Item>) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    for (table, name) in tables.iter().enumerate() {
        let entry_name = format!("{TABLES_DIR}/{name}.jsonl");
        let entry = zip
            .by_name(&entry_name)
            .map_err(|e| format!("{entry_name}: {e}"))?;
        let mut lines = BufReader::new(entry);
        let mut line = String::new();
        let (mut number, mut count) = (0u64, 0u64);
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            line.clear();
            let read = lines
                .read_line(&mut line)
                .map_err(|e| format!("{entry_name}: {e}"))?;
            if read == 0 {
                break;
            }
            number += 1;
            if line.trim().is_empty() {
                continue;
            }
            let row: Row = serde_json::from_str(&line)
                .map_err(|e| format!("{entry_name} line {number}: {e}"))?;
            batch.push(row);
            count += 1;
            if batch.len() == BATCH {
                let rows = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if tx.blocking_send(Item::Rows { table, rows }).is_err() {
                    return Ok(());
                }
            }
        }
        if !batch.is_empty() && tx.blocking_send(Item::Rows { table, rows: batch }).is_err() {
            return Ok(());
        }
        if tx
            .blocking_send(Item::TableEnd { table, rows: count })
            .is_err()
        {
            return Ok(());
        }
    }
    let prefix = format!("{OBJECTS_DIR}/");
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|e| e.to_string())?;
        let entry_name = entry.name().map_err(|e| e.to_string())?.into_owned();
        let Some(raw) = entry_name.strip_prefix(&prefix) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let key =
            ObjectKey::parse(raw).ok_or_else(|| format!("{entry_name} is not an object key"))?;
        let (body_tx, body) = mpsc::channel(4);
        if tx.blocking_send(Item::Object { key, body }).is_err() {
            return Ok(());
        }
        loop {
            let mut chunk = Vec::new();
            match (&mut entry).take(CHUNK).read_to_end(&mut chunk) {
                Ok(0) => break,
                Ok(_) => {
                    if body_tx.blocking_send(Ok(Bytes::from(chunk))).is_err() {
                        return Ok(());
                    }
                }
                Err(e) => {
                    let why = format!("{entry_name}: {e}");
                    let _ = body_tx.blocking_send(Err(std::io::Error::other(why.clone())));
                    return Err(why);
                }
            }
        }
    }
    Ok(())
}
