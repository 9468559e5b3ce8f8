//! `search_entries`, second version: shop supplies and inspection answers are indexed too
//! (issue 8 gap). [`crate::search_sql`] generates both versions; its module comment has the
//! design and what [`Version::More`] changes.
//!
//! Both directions drop every search object and create them anew, then back-fill from the view
//! (as 000006 did): `up` with this version, `down` with exactly 000006's definitions (the same
//! SQL text, checked by `migration/tests/search.rs`). Simple and symmetric; it costs one rebuild
//! of a derived index. SQLite cannot relax `NOT NULL` in place anyway, and an FTS5
//! external-content table must be rebuilt with its content table.

use sea_orm_migration::prelude::*;

use crate::search_sql::{self, Engine, Version};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        search_sql::execute(manager, |engine| replace(engine, Version::More)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        search_sql::execute(manager, |engine| replace(engine, Version::First)).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Replaces every search object (of either version) with those of `version` and fills the
/// table.
fn replace(engine: Engine, version: Version) -> Vec<String> {
    let mut out = search_sql::drop_all(engine, Version::More);
    out.extend(search_sql::create(engine, version));
    out.push(search_sql::backfill());
    out
}
