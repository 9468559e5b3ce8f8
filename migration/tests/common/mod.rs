//! Helpers shared by the migration test binaries (each `tests/*.rs` declares `mod common;`).

use std::time::{SystemTime, UNIX_EPOCH};

use motovault_migration::sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseConnection};

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A name part no other run uses at the same time.
pub fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{}", std::process::id(), nanos)
}

pub async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// `scheme://user@host:port/db?query` → (`scheme://user@host:port`, `?query` or "").
pub fn postgres_server(url: &str) -> (String, String) {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    (server.to_owned(), query)
}
