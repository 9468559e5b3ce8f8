//! Persistence: the connection, migrations and one thin repository per aggregate.
//! Repositories take `&impl ConnectionTrait` so a caller's transaction passes through.

pub mod api_keys;
pub mod attachments;
pub mod calendar_tokens;
pub mod collaborators;
pub mod dashboard;
pub mod entity;
pub mod equipment;
pub mod extra_fields;
pub mod fuel;
pub mod households;
pub mod inspections;
pub mod jobs;
pub mod maintenance;
pub mod notes;
pub mod odometer;
pub mod oidc;
pub mod plans;
pub mod reminders;
pub mod sessions;
pub mod summary;
pub mod supplies;
pub mod tags;
pub mod tax;
pub mod users;
pub mod vehicles;

use std::time::Duration;

use motovault_migration::{Migrator, sea_orm_migration::MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

/// How long a SQLite writer waits for the lock before failing.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle pooled connections are closed after this, so a quiet replica gives its PostgreSQL
/// connections back.
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// Opens the pool: PostgreSQL when configured, otherwise SQLite in WAL mode with foreign keys on.
/// Every wait is bounded: connecting (`database.connect_timeout_secs`), waiting for a pooled
/// connection (`database.acquire_timeout_secs`) and, on PostgreSQL, each statement
/// (`database.statement_timeout_secs`, set as a startup option of every connection; 0 = none).
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    if !settings.uses_postgres() && settings.database.url.is_none() {
        std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
            DbErr::Custom(format!(
                "cannot create the data directory {}: {e}",
                settings.data_dir.display()
            ))
        })?;
    }
    let mut options = ConnectOptions::new(settings.database_url());
    let statement_timeout = settings.database.statement_timeout_secs;
    options
        .max_connections(settings.database.max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(settings.database.connect_timeout_secs))
        .acquire_timeout(Duration::from_secs(settings.database.acquire_timeout_secs))
        .idle_timeout(IDLE_TIMEOUT)
        .sqlx_logging(false)
        .map_sqlx_postgres_opts(move |o| {
            if statement_timeout == 0 {
                o
            } else {
                o.options([("statement_timeout", format!("{statement_timeout}s"))])
            }
        })
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    Database::connect(options).await
}

/// Begins a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// at the start (waiting up to the busy timeout like any write), so a transaction that reads
/// before it writes cannot fail with "database is locked" when another writer commits in
/// between — a deferred transaction's stale snapshot cannot be upgraded to a writer, and SQLite
/// does not retry that. On PostgreSQL a plain `BEGIN` (the option is SQLite's only).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Readiness: the database answers and no migration is pending.
pub async fn check_ready(db: &DatabaseConnection) -> Result<(), String> {
    db.execute_unprepared("SELECT 1")
        .await
        .map_err(|e| format!("database unreachable: {e}"))?;
    let pending = Migrator::get_pending_migrations(db)
        .await
        .map_err(|e| format!("cannot read migrations: {e}"))?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(format!("{} migration(s) pending", pending.len()))
    }
}
