//! Global search across the records a caller may see, through an indexed search table (issue 8).
//!
//! `search_entries` (migrations `m20261126_000006_search` and `…000008_search_more`) holds one
//! row of text per record, kept by triggers; shop supplies' rows have no vehicle, inspections'
//! text includes their answers. A query is a case-insensitive substring match on that text,
//! answered from the index: PostgreSQL's trigram GIN index serves `body ILIKE '%term%'`,
//! SQLite's FTS5 trigram table serves `MATCH '"term"'` (a phrase of trigrams is a substring).
//! Two-character queries have no trigram, so they filter the caller's entries with `LIKE`
//! instead. Scoping is in the SQL: only entries of the vehicles the caller may see are read,
//! plus the shop supplies' (which every signed-in user may read) while shop supplies are on.

use std::collections::HashMap;

use chrono::NaiveDate;
use motovault_shared::dto::search::{
    DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, MIN_QUERY_CHARS, SearchKind, SearchResult,
    SearchResults, shop_supply_path,
};
use sea_orm::{DatabaseBackend, DatabaseConnection, FromQueryResult, Statement, Value};

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::vehicles;

/// Characters of context the snippet keeps before and after the match.
const SNIPPET_BEFORE: usize = 40;
const SNIPPET_AFTER: usize = 80;

/// The query and limit after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    pub limit: u32,
}

/// 422 for a query shorter than two or longer than 100 characters, or a limit outside 1–200.
pub fn validate(q: Option<&str>, limit: Option<i64>) -> AppResult<SearchQuery> {
    let text = q.unwrap_or("").trim();
    let chars = text.chars().count();
    let mut errors = Vec::new();
    if text.chars().any(char::is_control) {
        errors.push(motovault_shared::problem::FieldError::new(
            "q",
            "must not contain control characters",
        ));
    } else if chars < MIN_QUERY_CHARS {
        errors.push(motovault_shared::problem::FieldError::new(
            "q",
            format!("type at least {MIN_QUERY_CHARS} characters to search"),
        ));
    } else if chars > MAX_QUERY_CHARS {
        errors.push(motovault_shared::problem::FieldError::new(
            "q",
            format!("a search is at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(n) => match u32::try_from(n) {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                errors.push(motovault_shared::problem::FieldError::new(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ));
                DEFAULT_LIMIT
            }
        },
    };
    AppError::check(errors)?;
    Ok(SearchQuery {
        text: text.to_owned(),
        limit,
    })
}

#[derive(Debug, FromQueryResult)]
struct Row {
    record_type: String,
    record_id: i64,
    /// NULL: a shop supply.
    vehicle_id: Option<i64>,
    date: NaiveDate,
    title: Option<String>,
    body: String,
}

/// The newest `limit` records of the caller's vehicles, and shop supplies when `shop` (the
/// `supplies.shop_enabled` setting), whose text contains the query.
pub async fn search(
    db: &DatabaseConnection,
    caller: &Caller,
    query: SearchQuery,
    shop: bool,
) -> AppResult<SearchResults> {
    let names: HashMap<i64, String> = vehicles::list_visible(db, &caller.user)
        .await?
        .into_iter()
        .map(|v| (v.id, format!("{} {} {}", v.year, v.make, v.model)))
        .collect();
    if names.is_empty() && !shop {
        return Ok(SearchResults {
            query: query.text,
            results: Vec::new(),
            truncated: false,
        });
    }
    let mut ids: Vec<i64> = names.keys().copied().collect();
    ids.sort_unstable();
    // Every vehicle's Supplies tab lists the shop's supplies: links open the first one's.
    let shop_tab = ids.first().copied();
    let stmt = statement(db.get_database_backend(), &query, &ids, shop);
    let mut rows = Row::find_by_statement(stmt).all(db).await?;
    let truncated = rows.len() > query.limit as usize;
    rows.truncate(query.limit as usize);
    let results = rows
        .into_iter()
        .filter_map(|row| {
            // Entries are only written for the twelve record types; anything else is skipped.
            let kind = SearchKind::parse(&row.record_type)?;
            let path = match row.vehicle_id {
                Some(vehicle_id) => kind.path(vehicle_id, row.record_id),
                // Only supplies are stored without a vehicle.
                None if kind == SearchKind::Supply => shop_supply_path(shop_tab, row.record_id),
                None => return None,
            };
            Some(SearchResult {
                kind,
                vehicle_id: row.vehicle_id,
                vehicle_name: row.vehicle_id.and_then(|id| names.get(&id).cloned()),
                record_id: row.record_id,
                date: row.date,
                title: row.title.filter(|t| !t.trim().is_empty()),
                snippet: snippet(&row.body, &query.text),
                path,
            })
        })
        .collect();
    Ok(SearchResults {
        query: query.text,
        results,
        truncated,
    })
}

/// The query of one search: `limit + 1` rows, to tell whether more matched. The vehicle ids are
/// integers read from the database, written into the SQL as literals; `shop` adds the shop
/// supplies' entries (no vehicle). Public for the test that checks the plan uses the index.
pub fn statement(
    backend: DatabaseBackend,
    query: &SearchQuery,
    vehicle_ids: &[i64],
    shop: bool,
) -> Statement {
    let scope = scope(vehicle_ids, shop);
    let fetch = i64::from(query.limit) + 1;
    let columns = "e.record_type, e.record_id, e.vehicle_id, e.date, e.title, e.body";
    let order = "ORDER BY e.date DESC, e.id DESC";
    match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT {columns} FROM search_entries e WHERE e.body ILIKE $1 \
                 AND {scope} {order} LIMIT $2"
            ),
            [Value::from(like_pattern(&query.text)), Value::from(fetch)],
        ),
        _ if query.text.chars().count() >= 3 => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT {columns} FROM search_fts f JOIN search_entries e ON e.id = f.rowid \
                 WHERE search_fts MATCH ? AND {scope} {order} LIMIT ?"
            ),
            [Value::from(fts_phrase(&query.text)), Value::from(fetch)],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT {columns} FROM search_entries e WHERE e.body LIKE ? ESCAPE '\\' \
                 AND {scope} {order} LIMIT ?"
            ),
            [Value::from(like_pattern(&query.text)), Value::from(fetch)],
        ),
    }
}

/// The entries a caller may read: their vehicles' and, with `shop`, those of no vehicle.
fn scope(vehicle_ids: &[i64], shop: bool) -> String {
    let ids = vehicle_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    match (vehicle_ids.is_empty(), shop) {
        (false, true) => format!("(e.vehicle_id IN ({ids}) OR e.vehicle_id IS NULL)"),
        (false, false) => format!("e.vehicle_id IN ({ids})"),
        (true, true) => "e.vehicle_id IS NULL".to_owned(),
        (true, false) => "1 = 0".to_owned(),
    }
}

/// `%text%` with `%`, `_` and `\` taken literally (backslash is the escape character).
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// An FTS5 phrase: the text in double quotes, inner quotes doubled, so nothing in it is syntax.
pub fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The body around the first case-insensitive occurrence of `query`, whitespace collapsed,
/// with `…` where it was cut.
pub fn snippet(body: &str, query: &str) -> String {
    let chars: Vec<char> = body
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let needle: Vec<char> = query.chars().collect();
    let at = (0..chars.len())
        .find(|&i| {
            i + needle.len() <= chars.len()
                && chars[i..i + needle.len()]
                    .iter()
                    .zip(&needle)
                    .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
        })
        .unwrap_or(0);
    let start = at.saturating_sub(SNIPPET_BEFORE);
    let end = (at + needle.len() + SNIPPET_AFTER).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_bounded() {
        let ok = validate(Some("  oil "), None).unwrap();
        assert_eq!(ok.text, "oil");
        assert_eq!(ok.limit, 50);
        assert_eq!(validate(Some("ab"), Some(200)).unwrap().limit, 200);
        for (q, limit) in [
            (None, None),
            (Some(" a "), None),
            (Some("oil"), Some(0)),
            (Some("oil"), Some(201)),
        ] {
            assert!(
                matches!(validate(q, limit), Err(AppError::Validation(_))),
                "{q:?} {limit:?}"
            );
        }
        assert!(validate(Some(&"x".repeat(101)), None).is_err());
        // Characters, not bytes: two accented letters are enough.
        assert!(validate(Some("éé"), None).is_ok());
    }

    #[test]
    fn the_scope_is_the_callers_vehicles_and_the_shop() {
        assert_eq!(
            scope(&[3, 7], true),
            "(e.vehicle_id IN (3,7) OR e.vehicle_id IS NULL)"
        );
        assert_eq!(scope(&[3], false), "e.vehicle_id IN (3)");
        assert_eq!(scope(&[], true), "e.vehicle_id IS NULL");
        assert_eq!(scope(&[], false), "1 = 0");
    }

    #[test]
    fn patterns_take_the_query_literally() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(fts_phrase(r#"say "hi""#), r#""say ""hi""""#);
    }

    #[test]
    fn snippets_show_the_match_in_context() {
        assert_eq!(
            snippet("Oil change\n\nwith FILTER", "filter"),
            "Oil change with FILTER"
        );
        let long = format!("{} needle {}", "a".repeat(100), "b".repeat(100));
        let s = snippet(&long, "NEEDLE");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(s.chars().count(), 1 + 40 + 6 + 80 + 1);
        assert!(s.contains("needle"));
        // No match (a query of the title only): the start.
        assert_eq!(snippet("short", "zz"), "short");
    }
}
