//! The target database's columns, and the conversion of an archive value (portable JSON, from
//! either engine) to a value of the target column's type. Rows are inserted with bound, typed
//! values, so the driver writes them exactly as the application itself would (a timestamp on
//! SQLite becomes the same RFC 3339 text the app stores; on PostgreSQL a `timestamptz`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, JsonValue, Statement, Value};

use crate::error::{AppError, AppResult};

/// What a column holds, as far as converting archive values goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Int,
    BigInt,
    Bool,
    Text,
    Date,
    Time,
    /// Without a zone (read as UTC).
    Timestamp,
    /// With a zone: stored as UTC.
    TimestampTz,
    Double,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// The table's columns in declaration order.
pub async fn columns(db: &impl ConnectionTrait, table: &str) -> AppResult<Vec<Column>> {
    let backend = db.get_database_backend();
    let stmt = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS ty \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            [table.into()],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            "SELECT name AS name, type AS ty FROM pragma_table_info(?) ORDER BY cid",
            [table.into()],
        ),
    };
    let mut out = Vec::new();
    for row in db.query_all_raw(stmt).await? {
        let name: String = row.try_get("", "name")?;
        let ty: String = row.try_get("", "ty")?;
        let kind = kind_of(backend, &ty).ok_or_else(|| {
            AppError::internal(format!(
                "restore: column {table}.{name} has the type {ty:?}, which backups do not handle"
            ))
        })?;
        out.push(Column { name, kind });
    }
    Ok(out)
}

/// The kind of a declared column type: PostgreSQL's `information_schema` names, SQLite's
/// declared types as sea-query writes them (`date_text`, `timestamp_with_timezone_text`, …)
/// read by SQLite's affinity rules.
pub fn kind_of(backend: DatabaseBackend, ty: &str) -> Option<Kind> {
    let ty = ty.trim().to_ascii_lowercase();
    if backend == DatabaseBackend::Postgres {
        return Some(match ty.as_str() {
            "smallint" => Kind::SmallInt,
            "integer" => Kind::Int,
            "bigint" => Kind::BigInt,
            "boolean" => Kind::Bool,
            "text" | "character varying" | "character" => Kind::Text,
            "date" => Kind::Date,
            "time without time zone" => Kind::Time,
            "timestamp without time zone" => Kind::Timestamp,
            "timestamp with time zone" => Kind::TimestampTz,
            "double precision" | "real" | "numeric" => Kind::Double,
            "json" | "jsonb" => Kind::Json,
            _ => return None,
        });
    }
    Some(if ty.contains("int") {
        Kind::BigInt
    } else if ty.contains("bool") {
        Kind::Bool
    } else if ty.starts_with("timestamp_with_timezone") || ty.starts_with("timestamptz") {
        Kind::TimestampTz
    } else if ty.starts_with("timestamp") || ty.starts_with("datetime") {
        Kind::Timestamp
    } else if ty.starts_with("date") {
        Kind::Date
    } else if ty.starts_with("time") {
        Kind::Time
    } else if ty.starts_with("json") {
        Kind::Json
    } else if ty.contains("real") || ty.contains("floa") || ty.contains("doub") {
        Kind::Double
    } else if ty.is_empty() || ty.contains("char") || ty.contains("text") || ty.contains("clob") {
        Kind::Text
    } else {
        return None;
    })
}

/// The typed NULL of a kind (PostgreSQL wants NULLs typed like their column).
fn null(kind: Kind) -> Value {
    match kind {
        Kind::SmallInt => Value::SmallInt(None),
        Kind::Int => Value::Int(None),
        Kind::BigInt => Value::BigInt(None),
        Kind::Bool => Value::Bool(None),
        Kind::Text => Value::String(None),
        Kind::Date => Value::ChronoDate(None),
        Kind::Time => Value::ChronoTime(None),
        Kind::Timestamp => Value::ChronoDateTime(None),
        Kind::TimestampTz => Value::ChronoDateTimeUtc(None),
        Kind::Double => Value::Double(None),
        Kind::Json => Value::Json(None),
    }
}

fn integer(v: &JsonValue) -> Option<i64> {
    match v {
        JsonValue::Number(n) => n.as_i64(),
        JsonValue::String(s) => s.trim().parse().ok(),
        JsonValue::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// A timestamp as either engine gives it: RFC 3339 (`T` or space, any offset), or without an
/// offset (SQLite defaults such as `CURRENT_TIMESTAMP`), which is UTC.
fn timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(s, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    naive_timestamp(s).map(|t| t.and_utc())
}

fn naive_timestamp(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| timestamp_with_offset(s).map(|t| t.naive_utc()))
}

fn timestamp_with_offset(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A calendar date: `YYYY-MM-DD`, or the date part of a timestamp.
fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().or_else(|| {
        let (day, rest) = (s.get(..10)?, s.get(10..)?);
        (rest.starts_with(' ') || rest.starts_with('T'))
            .then(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
            .flatten()
    })
}

/// The value of an archive cell for a column of `kind`; `Err` says what was wrong.
pub fn convert(kind: Kind, v: &JsonValue) -> Result<Value, String> {
    if v.is_null() {
        return Ok(null(kind));
    }
    let bad = || format!("{v} is not a valid {kind:?} value");
    Ok(match kind {
        Kind::BigInt => Value::BigInt(Some(integer(v).ok_or_else(bad)?)),
        Kind::Int => Value::Int(Some(
            integer(v)
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(bad)?,
        )),
        Kind::SmallInt => Value::SmallInt(Some(
            integer(v)
                .and_then(|n| i16::try_from(n).ok())
                .ok_or_else(bad)?,
        )),
        Kind::Bool => Value::Bool(Some(match v {
            JsonValue::Bool(b) => *b,
            JsonValue::Number(n) => match n.as_i64() {
                Some(0) => false,
                Some(1) => true,
                _ => return Err(bad()),
            },
            JsonValue::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "1" => true,
                "false" | "f" | "0" => false,
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        })),
        Kind::Text => Value::String(Some(match v {
            JsonValue::String(s) => s.clone(),
            // A JSON document in a text column (a `json` column of another engine).
            other => other.to_string(),
        })),
        Kind::Date => Value::ChronoDate(Some(v.as_str().and_then(date).ok_or_else(bad)?)),
        Kind::Time => Value::ChronoTime(Some(
            v.as_str()
                .and_then(|s| NaiveTime::parse_from_str(s.trim(), "%H:%M:%S%.f").ok())
                .ok_or_else(bad)?,
        )),
        Kind::Timestamp => {
            Value::ChronoDateTime(Some(v.as_str().and_then(naive_timestamp).ok_or_else(bad)?))
        }
        Kind::TimestampTz => {
            Value::ChronoDateTimeUtc(Some(v.as_str().and_then(timestamp).ok_or_else(bad)?))
        }
        Kind::Double => Value::Double(Some(match v {
            JsonValue::Number(n) => n.as_f64().ok_or_else(bad)?,
            JsonValue::String(s) => s.trim().parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        })),
        Kind::Json => Value::Json(Some(Box::new(v.clone()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn archive_values_become_typed_values() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cases: Vec<(Kind, JsonValue, Value)> = vec![
            // Amounts are ten-thousandths: 0.10 → 1000, 12345.6789 → 123456789.
            (Kind::BigInt, json!(1000), Value::BigInt(Some(1000))),
            (
                Kind::BigInt,
                json!(123456789),
                Value::BigInt(Some(123_456_789)),
            ),
            (Kind::BigInt, json!(-5), Value::BigInt(Some(-5))),
            (Kind::BigInt, json!(i64::MAX), Value::BigInt(Some(i64::MAX))),
            (Kind::BigInt, json!("42"), Value::BigInt(Some(42))),
            (Kind::BigInt, json!(null), Value::BigInt(None)),
            (Kind::Int, json!(2018), Value::Int(Some(2018))),
            (Kind::Int, json!(null), Value::Int(None)),
            // SQLite may hand booleans out as 0/1.
            (Kind::Bool, json!(true), Value::Bool(Some(true))),
            (Kind::Bool, json!(0), Value::Bool(Some(false))),
            (Kind::Bool, json!(1), Value::Bool(Some(true))),
            (Kind::Bool, json!("false"), Value::Bool(Some(false))),
            (Kind::Bool, json!(null), Value::Bool(None)),
            (
                Kind::Text,
                json!("Öl 🛢 \"quoted\" \n ☃"),
                Value::String(Some("Öl 🛢 \"quoted\" \n ☃".into())),
            ),
            (Kind::Text, json!(""), Value::String(Some(String::new()))),
            (Kind::Text, json!(null), Value::String(None)),
            (
                Kind::Date,
                json!("2026-03-05"),
                Value::ChronoDate(Some(d(2026, 3, 5))),
            ),
            (
                Kind::Date,
                json!("2024-02-29 00:00:00"),
                Value::ChronoDate(Some(d(2024, 2, 29))),
            ),
            (Kind::Date, json!(null), Value::ChronoDate(None)),
            // PostgreSQL (micro-, `Z`), SQLite (nanoseconds, `+00:00`), SQLite defaults
            // (space, no offset) and other offsets all become the same instant in UTC.
            (
                Kind::TimestampTz,
                json!("2026-11-26T11:30:03.320049Z"),
                Value::ChronoDateTimeUtc(Some(utc("2026-11-26T11:30:03.320049Z"))),
            ),
            (
                Kind::TimestampTz,
                json!("2026-11-26T11:29:51.934635927+00:00"),
                Value::ChronoDateTimeUtc(Some(utc("2026-11-26T11:29:51.934635927Z"))),
            ),
            (
                Kind::TimestampTz,
                json!("2026-11-26 11:29:51"),
                Value::ChronoDateTimeUtc(Some(utc("2026-11-26T11:29:51Z"))),
            ),
            (
                Kind::TimestampTz,
                json!("2026-11-26T13:29:51+02:00"),
                Value::ChronoDateTimeUtc(Some(utc("2026-11-26T11:29:51Z"))),
            ),
            (
                Kind::TimestampTz,
                json!(null),
                Value::ChronoDateTimeUtc(None),
            ),
            (
                Kind::Timestamp,
                json!("2026-11-26 11:29:51.5"),
                Value::ChronoDateTime(Some(utc("2026-11-26T11:29:51.5Z").naive_utc())),
            ),
            (Kind::Double, json!(0.1), Value::Double(Some(0.1))),
        ];
        for (kind, input, want) in cases {
            assert_eq!(convert(kind, &input), Ok(want), "{kind:?} {input}");
        }
    }

    #[test]
    fn wrong_values_are_refused() {
        let cases = [
            (Kind::BigInt, json!(1.5)),
            (Kind::BigInt, json!("12.3")),
            (Kind::BigInt, json!([1])),
            (Kind::Int, json!(3_000_000_000_i64)),
            (Kind::Bool, json!(2)),
            (Kind::Bool, json!("yes")),
            (Kind::Date, json!("05.03.2026")),
            (Kind::Date, json!("2026-02-30")),
            (Kind::TimestampTz, json!("yesterday")),
            (Kind::TimestampTz, json!(1_700_000_000)),
        ];
        for (kind, input) in cases {
            assert!(convert(kind, &input).is_err(), "{kind:?} {input}");
        }
    }

    #[test]
    fn declared_types() {
        use DatabaseBackend::{Postgres, Sqlite};
        let cases = [
            (Sqlite, "INTEGER", Some(Kind::BigInt)),
            (Sqlite, "bigint", Some(Kind::BigInt)),
            (Sqlite, "boolean", Some(Kind::Bool)),
            (Sqlite, "varchar", Some(Kind::Text)),
            (Sqlite, "TEXT", Some(Kind::Text)),
            (Sqlite, "", Some(Kind::Text)),
            (Sqlite, "date_text", Some(Kind::Date)),
            (
                Sqlite,
                "timestamp_with_timezone_text",
                Some(Kind::TimestampTz),
            ),
            (Sqlite, "timestamp_text", Some(Kind::Timestamp)),
            (Sqlite, "blob", None),
            (Postgres, "bigint", Some(Kind::BigInt)),
            (Postgres, "integer", Some(Kind::Int)),
            (Postgres, "boolean", Some(Kind::Bool)),
            (Postgres, "character varying", Some(Kind::Text)),
            (Postgres, "text", Some(Kind::Text)),
            (Postgres, "date", Some(Kind::Date)),
            (
                Postgres,
                "timestamp with time zone",
                Some(Kind::TimestampTz),
            ),
            (Postgres, "bytea", None),
        ];
        for (backend, ty, want) in cases {
            assert_eq!(kind_of(backend, ty), want, "{backend:?} {ty}");
        }
    }
}
