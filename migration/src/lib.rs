//! The portable MotoVaultPro database schema.
//!
//! One set of migrations that runs unchanged on SQLite and PostgreSQL, written with the sea-query
//! schema builder except the search index, which needs raw SQL per backend (`search_sql`). The
//! schema itself is described in `docs/schema.md`.
//!
//! The server applies it at start-up:
//!
//! ```no_run
//! # async fn run(db: &motovault_migration::sea_orm_migration::sea_orm::DatabaseConnection)
//! # -> Result<(), motovault_migration::sea_orm_migration::DbErr> {
//! use motovault_migration::{Migrator, MigratorTrait};
//!
//! let pending = Migrator::get_pending_migrations(db).await?;
//! if !pending.is_empty() {
//!     Migrator::up(db, None).await?;
//! }
//! # Ok(())
//! # }
//! ```

pub use sea_orm_migration;
pub use sea_orm_migration::MigratorTrait;

use sea_orm_migration::MigrationTrait;

mod m20261126_000001_initial;
mod m20261126_000002_accounts;
mod m20261126_000004_import_sources;
mod m20261126_000005_jobs;
mod m20261126_000006_search;
mod m20261126_000007_calendar_tokens;
mod m20261126_000008_search_more;
mod m20261126_000009_odometer_indexes;
mod search_sql;

/// Every migration of the MotoVaultPro schema, oldest first.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_initial::Migration),
            Box::new(m20261126_000002_accounts::Migration),
            Box::new(m20261126_000004_import_sources::Migration),
            Box::new(m20261126_000005_jobs::Migration),
            Box::new(m20261126_000007_calendar_tokens::Migration),
            Box::new(m20261126_000006_search::Migration),
            Box::new(m20261126_000008_search_more::Migration),
            Box::new(m20261126_000009_odometer_indexes::Migration),
        ]
    }
}
