//! The built-in demo dataset of `GET /api/demo/restore`: readable JSON-lines fixtures under
//! `api/assets/demo/` (rows as a backup stores them), zipped at run time into a backup archive
//! and restored with [`super::restore::replace_keeping_root`], so the demo goes through exactly
//! the code path of a real restore. It holds vehicles and their records, no users and no files:
//! the calling root account stays, and sees every vehicle.

use std::io::Write;
use std::path::Path;

use chrono::Utc;
use sea_orm::DatabaseConnection;

use super::{FORMAT_NAME, FORMAT_VERSION, MANIFEST, Manifest, TABLES, TABLES_DIR, TableCount};
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;

/// `(table, rows)`; tables not named here are empty in the demo.
const FIXTURES: &[(&str, &str)] = &[
    ("vehicles", include_str!("../../assets/demo/vehicles.jsonl")),
    (
        "maintenance_records",
        include_str!("../../assets/demo/maintenance_records.jsonl"),
    ),
    (
        "fuel_records",
        include_str!("../../assets/demo/fuel_records.jsonl"),
    ),
    (
        "odometer_records",
        include_str!("../../assets/demo/odometer_records.jsonl"),
    ),
    (
        "equipment",
        include_str!("../../assets/demo/equipment.jsonl"),
    ),
    (
        "tax_records",
        include_str!("../../assets/demo/tax_records.jsonl"),
    ),
    (
        "reminders",
        include_str!("../../assets/demo/reminders.jsonl"),
    ),
    ("notes", include_str!("../../assets/demo/notes.jsonl")),
    ("supplies", include_str!("../../assets/demo/supplies.jsonl")),
    (
        "plan_records",
        include_str!("../../assets/demo/plan_records.jsonl"),
    ),
    (
        "record_tags",
        include_str!("../../assets/demo/record_tags.jsonl"),
    ),
    (
        "extra_field_definitions",
        include_str!("../../assets/demo/extra_field_definitions.jsonl"),
    ),
    (
        "extra_field_values",
        include_str!("../../assets/demo/extra_field_values.jsonl"),
    ),
];

fn rows_of(text: &str) -> u64 {
    text.lines().filter(|l| !l.trim().is_empty()).count() as u64
}

/// Writes the demo archive for a database at `migrations`.
fn write_archive(path: &Path, migrations: Vec<String>) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let text = FIXTURES
            .iter()
            .find(|(t, _)| t == table)
            .map_or("", |(_, text)| *text);
        zip.start_file(format!("{TABLES_DIR}/{table}.jsonl"), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
        tables.push(TableCount {
            name: (*table).to_owned(),
            rows: rows_of(text),
        });
    }
    let manifest = Manifest {
        format: FORMAT_NAME.to_owned(),
        format_version: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: Utc::now(),
        database: "demo".to_owned(),
        migrations,
        tables,
        objects: 0,
        object_bytes: 0,
    };
    zip.start_file(MANIFEST, options)
        .map_err(std::io::Error::other)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?)?;
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// Replaces all data with the demo dataset, keeping the root account `root_id`. The archive is
/// built in `temp_dir` (under a `.partial` name, which temp listings skip) and removed after.
pub async fn restore(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    temp_dir: &Path,
    root_id: i64,
) -> AppResult<Manifest> {
    let migrations = super::migrations(db).await?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(AppError::internal)?;
    let path = temp_dir.join(format!(
        "demo-{}.zip{}",
        hex::encode(nonce),
        super::PARTIAL_SUFFIX
    ));
    let (dir, file) = (temp_dir.to_owned(), path.clone());
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        write_archive(&file, migrations)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let restored = super::restore::replace_keeping_root(db, objects, &path, root_id).await;
    if let Err(e) = std::fs::remove_file(&path) {
        tracing::warn!(path = %path.display(), error = %e, "could not remove the demo archive");
    }
    restored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_rows_of_listed_tables_without_accounts() {
        for (table, text) in FIXTURES {
            assert!(TABLES.contains(table), "{table}");
            assert!(
                !["users", "user_settings", "sessions", "api_keys"].contains(table),
                "{table}: the demo keeps the caller's account"
            );
            assert!(rows_of(text) > 0, "{table}");
            for line in text.lines() {
                let row: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(line).unwrap();
                assert!(row["id"].is_i64(), "{table}: {line}");
            }
        }
    }
}
