//! Portable backups: ONE zip archive with every table of the schema as JSON lines, every object
//! of the object store, and a manifest (docs/backup-format.md). The same archive comes out of
//! SQLite and PostgreSQL, so a later restore can read it into either.
//!
//! Rows are read generically (`SELECT * … ORDER BY id`, pages of [`PAGE`] rows) inside one
//! read transaction, so the tables agree with each other. The archive is written under a
//! `.partial` name and renamed when complete: a file with the final name is always whole.

pub mod columns;
pub mod demo;
pub mod restore;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    FromQueryResult, IsolationLevel, JsonValue, Statement, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectBody, ObjectStore};

/// Bumped when the layout or the meaning of an entry changes.
pub const FORMAT_VERSION: u32 = 1;
/// `format` in the manifest: what the archive is.
pub const FORMAT_NAME: &str = "motovault-backup";
pub const MANIFEST: &str = "manifest.json";
pub const TABLES_DIR: &str = "tables";
pub const OBJECTS_DIR: &str = "objects";
/// Rows read per query.
const PAGE: i64 = 1000;
/// sea-orm's migration bookkeeping: recorded in the manifest, not as data.
const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// Every table of the schema (migration/src), parents before children: the order a restore
/// inserts them in. The one list backups use; `tables_match_the_schema` (api/tests) checks it
/// against the migrated database, and a table missing here is still backed up after these.
pub const TABLES: &[&str] = &[
    "users",
    "user_settings",
    "sessions",
    "registration_tokens",
    "password_reset_tokens",
    "api_keys",
    "calendar_tokens",
    "households",
    "oidc_logins",
    "vehicles",
    "vehicle_collaborators",
    "maintenance_records",
    "fuel_records",
    "odometer_records",
    "equipment",
    "odometer_record_equipment",
    "tax_records",
    "reminders",
    "notes",
    "supplies",
    "supply_usages",
    "plan_records",
    "plan_reminders",
    "plan_templates",
    "inspection_templates",
    "inspections",
    "attachments",
    "record_tags",
    "extra_field_definitions",
    "extra_field_values",
    "import_sources",
];

/// Runtime bookkeeping of the running replicas, not data: job leases, job run history and the
/// webhook outbox (docs/backup-format.md). Never archived, never restored, and ignored when a
/// restore checks that its target is empty (a server started on it may have written them).
pub const RUNTIME_TABLES: &[&str] = &["job_leases", "job_runs", "webhook_deliveries"];

/// Derived from the data by database triggers (the search index, migration
/// `m20261126_000006_search`; on SQLite also the FTS5 table and its shadow tables): never
/// archived; a restore refills them as it inserts the records.
pub const DERIVED_TABLES: &[&str] = &[
    "search_entries",
    "search_fts",
    "search_fts_config",
    "search_fts_data",
    "search_fts_docsize",
    "search_fts_idx",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableCount {
    pub name: String,
    pub rows: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub app_version: String,
    pub created_at: DateTime<Utc>,
    /// `sqlite` or `postgres`: where the rows came from (value types differ slightly).
    pub database: String,
    /// Applied migrations, oldest first (`seaql_migrations.version`).
    pub migrations: Vec<String>,
    /// In restore order, with the number of rows in `tables/<name>.jsonl`.
    pub tables: Vec<TableCount>,
    pub objects: u64,
    pub object_bytes: u64,
}

/// The database's data tables (besides sea-orm's and SQLite's bookkeeping,
/// [`RUNTIME_TABLES`] and [`DERIVED_TABLES`]), sorted.
pub async fn database_tables(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Sqlite => {
            "SELECT name AS name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut names = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if name != MIGRATIONS_TABLE
            && !RUNTIME_TABLES.contains(&name.as_str())
            && !DERIVED_TABLES.contains(&name.as_str())
        {
            names.push(name);
        }
    }
    Ok(names)
}

/// The tables to back up: [`TABLES`] in order, then any other table the database has (a
/// migration nobody listed yet), so nothing is silently left out.
async fn tables_to_save(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let present = database_tables(db).await?;
    let mut out = Vec::with_capacity(present.len());
    for t in TABLES {
        if !present.iter().any(|p| p == t) {
            return Err(AppError::internal(format!(
                "backup: the table {t} is missing; is the database migrated?"
            )));
        }
        out.push((*t).to_owned());
    }
    for extra in present
        .into_iter()
        .filter(|p| !TABLES.contains(&p.as_str()))
    {
        tracing::warn!(table = %extra, "backup: table not in backup::TABLES; saved last");
        out.push(extra);
    }
    Ok(out)
}

/// Only plain identifiers ever reach the SQL text.
fn quoted(table: &str) -> AppResult<String> {
    if !table.is_empty()
        && table
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(format!("\"{table}\""))
    } else {
        Err(AppError::internal(format!(
            "backup: unexpected table name {table:?}"
        )))
    }
}

async fn migrations(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT version FROM {MIGRATIONS_TABLE} ORDER BY version"),
        ))
        .await?;
    rows.into_iter()
        .map(|r| r.try_get::<String>("", "version").map_err(AppError::from))
        .collect()
}

/// The zip while it is written; moved in and out of the blocking pool.
type Zip = zip::ZipWriter<std::fs::File>;

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

fn options(large: bool) -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(large)
}

async fn start(zip: Zip, name: String, large: bool) -> AppResult<Zip> {
    blocking(move || {
        let mut zip = zip;
        zip.start_file(name, options(large))
            .map_err(std::io::Error::other)?;
        Ok(zip)
    })
    .await
}

async fn write_bytes(zip: Zip, bytes: Vec<u8>) -> AppResult<Zip> {
    blocking(move || {
        let mut zip = zip;
        zip.write_all(&bytes)?;
        Ok(zip)
    })
    .await
}

/// Removes the partial archive unless it was completed.
struct Partial {
    path: PathBuf,
    done: bool,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done
            && let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove a partial backup");
        }
    }
}

/// The suffix of an archive being written (clean-up leaves such files alone).
pub const PARTIAL_SUFFIX: &str = ".partial";

/// Writes the whole backup to `out` (replacing a file of that name) and returns its manifest.
pub async fn write(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    out: &Path,
) -> AppResult<Manifest> {
    let partial_path = PathBuf::from(format!("{}{PARTIAL_SUFFIX}", out.display()));
    let mut partial = Partial {
        path: partial_path.clone(),
        done: false,
    };
    let open_path = partial_path.clone();
    let mut zip = blocking(move || {
        if let Some(dir) = open_path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        Ok(zip::ZipWriter::new(std::fs::File::create(&open_path)?))
    })
    .await?;

    // One snapshot for every table: PostgreSQL REPEATABLE READ; SQLite's read transaction
    // (WAL) sees one state too.
    let txn: DatabaseTransaction = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    let database = match db.get_database_backend() {
        DatabaseBackend::Postgres => "postgres",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    };
    let migrations = migrations(&txn).await?;
    let mut tables = Vec::new();
    for table in tables_to_save(&txn).await? {
        zip = start(zip, format!("{TABLES_DIR}/{table}.jsonl"), true).await?;
        let (next, rows) = dump_table(&txn, zip, &table).await?;
        zip = next;
        tables.push(TableCount { name: table, rows });
    }
    txn.commit().await?;

    let mut count = 0u64;
    let mut object_bytes = 0u64;
    for key in objects.list().await? {
        let Some(body) = objects.get(&key).await? else {
            // Deleted since it was listed.
            continue;
        };
        zip = start(zip, format!("{OBJECTS_DIR}/{key}"), true).await?;
        match body {
            ObjectBody::File(path) => {
                let (next, size) = blocking(move || {
                    let mut zip = zip;
                    let mut file = std::fs::File::open(path)?;
                    let size = std::io::copy(&mut file, &mut zip)?;
                    Ok((zip, size))
                })
                .await?;
                zip = next;
                object_bytes += size;
            }
            ObjectBody::Stream { mut body, .. } => {
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.map_err(AppError::internal)?;
                    object_bytes += chunk.len() as u64;
                    zip = write_bytes(zip, chunk.to_vec()).await?;
                }
            }
        }
        count += 1;
    }

    let manifest = Manifest {
        format: FORMAT_NAME.to_owned(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: Utc::now(),
        database: database.to_owned(),
        migrations,
        tables,
        objects: count,
        object_bytes,
    };
    let text = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    zip = start(zip, MANIFEST.to_owned(), false).await?;
    zip = write_bytes(zip, text).await?;
    let final_path = out.to_owned();
    blocking(move || {
        let file = zip.finish().map_err(std::io::Error::other)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial_path, &final_path)
    })
    .await?;
    partial.done = true;
    Ok(manifest)
}

/// Appends the table's rows as JSON lines (keyset pages by `id`); returns the row count.
async fn dump_table(txn: &DatabaseTransaction, zip: Zip, table: &str) -> AppResult<(Zip, u64)> {
    let backend = txn.get_database_backend();
    let name = quoted(table)?;
    let mut zip = zip;
    let mut after: Option<i64> = None;
    let mut rows = 0u64;
    loop {
        let sql = match after {
            None => format!("SELECT * FROM {name} ORDER BY id LIMIT {PAGE}"),
            Some(last) => {
                format!("SELECT * FROM {name} WHERE id > {last} ORDER BY id LIMIT {PAGE}")
            }
        };
        let page = JsonValue::find_by_statement(Statement::from_string(backend, sql))
            .all(txn)
            .await?;
        if page.is_empty() {
            break;
        }
        let mut text = Vec::new();
        for row in &page {
            serde_json::to_writer(&mut text, row).map_err(AppError::internal)?;
            text.push(b'\n');
        }
        rows += page.len() as u64;
        let last = page
            .last()
            .and_then(|r| r.get("id"))
            .and_then(JsonValue::as_i64)
            .ok_or_else(|| AppError::internal(format!("backup: {table} has a row without id")))?;
        zip = write_bytes(zip, text).await?;
        if page.len() < PAGE as usize {
            break;
        }
        after = Some(last);
    }
    Ok((zip, rows))
}

/// The archive name LubeLogger clients expect: `db_backup_yyyy-MM-dd-HH-mm-ss.zip` (UTC).
pub fn archive_name(at: DateTime<Utc>) -> String {
    format!("db_backup_{}.zip", at.format("%Y-%m-%d-%H-%M-%S"))
}

/// Reads the manifest of an archive (restore and tests start here).
pub fn read_manifest(path: &Path) -> AppResult<Manifest> {
    let file = std::fs::File::open(path).map_err(AppError::internal)?;
    let mut archive = zip::ZipArchive::new(file).map_err(AppError::internal)?;
    let entry = archive.by_name(MANIFEST).map_err(AppError::internal)?;
    serde_json::from_reader(entry).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_identifiers() {
        let at = DateTime::parse_from_rfc3339("2026-03-05T07:08:09Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(archive_name(at), "db_backup_2026-03-05-07-08-09.zip");
        assert_eq!(quoted("fuel_records").unwrap(), "\"fuel_records\"");
        assert!(quoted("x\"; DROP TABLE users; --").is_err());
        assert!(quoted("").is_err());
        // Parents come before their children.
        let pos = |t: &str| TABLES.iter().position(|x| *x == t).unwrap();
        assert!(pos("users") < pos("vehicles"));
        assert!(pos("vehicles") < pos("maintenance_records"));
        assert!(pos("odometer_records") < pos("odometer_record_equipment"));
        assert!(pos("equipment") < pos("odometer_record_equipment"));
        assert!(pos("inspection_templates") < pos("inspections"));
        assert!(pos("plan_records") < pos("plan_reminders"));
        assert!(pos("reminders") < pos("plan_reminders"));
        assert!(pos("supplies") < pos("supply_usages"));
    }
}
