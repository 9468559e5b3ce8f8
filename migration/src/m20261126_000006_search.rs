//! `search_entries`: one row of searchable text per record, kept by triggers (issue 8).
//!
//! Unlike the other migrations this one is raw SQL per backend: the schema builder has no
//! triggers, views, PostgreSQL extensions, operator classes (`gin_trgm_ops`) or SQLite virtual
//! tables, and those are the whole point here.
//!
//! - `search_source` is a view, one `UNION ALL` arm per record table, computing each record's
//!   entry: its type (`fuel`, `service`, … as in `record_tags`), id, vehicle, date (the creation
//!   day for undated tables; a reminder's due date), title and `body`: the title, description,
//!   notes, part number and supplier columns, then the record's tags, the part numbers of the
//!   supplies it used (`supply_usages`; their description is the record's own) and its
//!   extra-field values. Tags and used parts are in the text itself (not joined at query
//!   time), so one index answers every query.
//! - `search_entries` materialises the view (the backfill reads it whole). Triggers on every
//!   record table and on the three linked tables (`record_tags`, `supply_usages`,
//!   `extra_field_values`) recompute the entry of the record they touch, so every write path
//!   (native API, compat API, CSV and LubeLogger import, restore) keeps it current without code.
//!   SQLite's triggers read the view with `WHERE record_type = … AND record_id = …`, which it
//!   pushes into every arm; PostgreSQL's call `search_refresh`, which runs the record's own arm
//!   only. Shop supplies (no vehicle) are not indexed.
//! - The index: PostgreSQL, a GIN trigram index (`pg_trgm`) on `body`, used by `body ILIKE
//!   '%term%'`; SQLite, an FTS5 table with the `trigram` tokenizer over `body` (external content,
//!   kept by triggers on `search_entries`), queried with `MATCH`. Both fold case themselves, so
//!   `body` keeps its original case (the snippet shows it as written).
//!
//! The tables are derived: backups skip them and a restore refills them through the triggers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_down(),
            _ => sqlite_down(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// A record table: its name, its `record_type` (`None`: the row's `kind` column, for
/// `maintenance_records`) and the search columns of its arm in `search_source`.
struct Source {
    table: &'static str,
    record_type: Option<&'static str>,
    /// The date, per backend: `(PostgreSQL, SQLite)`.
    date: fn(Engine) -> String,
    title: Option<&'static str>,
    /// Text columns (all NOT NULL) joined into the body after the title.
    text: &'static [&'static str],
    /// Extra condition of the arm.
    only: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Postgres,
    Sqlite,
}

fn own_date(_: Engine) -> String {
    "r.date".to_owned()
}

fn created_day(engine: Engine) -> String {
    match engine {
        Engine::Postgres => "CAST((r.created_at AT TIME ZONE 'UTC') AS date)".to_owned(),
        // Timestamps are ISO-8601 text: the first ten characters are the day.
        Engine::Sqlite => "substr(r.created_at, 1, 10)".to_owned(),
    }
}

fn due_or_created(engine: Engine) -> String {
    format!("COALESCE(r.due_date, {})", created_day(engine))
}

const SOURCES: &[Source] = &[
    Source {
        table: "maintenance_records",
        record_type: None,
        date: own_date,
        title: Some("description"),
        text: &["notes"],
        only: None,
    },
    Source {
        table: "fuel_records",
        record_type: Some("fuel"),
        date: own_date,
        title: None,
        text: &["notes"],
        only: None,
    },
    Source {
        table: "odometer_records",
        record_type: Some("odometer"),
        date: own_date,
        title: None,
        text: &["notes"],
        only: None,
    },
    Source {
        table: "tax_records",
        record_type: Some("tax"),
        date: own_date,
        title: Some("description"),
        text: &["notes"],
        only: None,
    },
    Source {
        table: "reminders",
        record_type: Some("reminder"),
        date: due_or_created,
        title: Some("description"),
        text: &["notes"],
        only: None,
    },
    Source {
        table: "notes",
        record_type: Some("note"),
        date: created_day,
        title: Some("title"),
        text: &["body"],
        only: None,
    },
    Source {
        table: "supplies",
        record_type: Some("supply"),
        date: own_date,
        title: Some("description"),
        text: &["part_number", "supplier", "notes"],
        only: Some("r.vehicle_id IS NOT NULL"),
    },
    Source {
        table: "plan_records",
        record_type: Some("plan"),
        date: created_day,
        title: Some("description"),
        text: &["notes"],
        only: None,
    },
    Source {
        table: "equipment",
        record_type: Some("equipment"),
        date: created_day,
        title: Some("description"),
        text: &["notes"],
        only: None,
    },
    Source {
        table: "inspections",
        record_type: Some("inspection"),
        date: own_date,
        title: Some("description"),
        text: &[],
        only: None,
    },
];

/// Tables whose rows add text to a record's entry, named by `record_type` + `record_id`.
const LINKED: &[&str] = &["record_tags", "supply_usages", "extra_field_values"];

/// `search_source`: every record's entry, computed.
fn source_view(engine: Engine) -> String {
    let arms: Vec<String> = SOURCES.iter().map(|s| arm(engine, s)).collect();
    format!("CREATE VIEW search_source AS {}", arms.join(" UNION ALL "))
}

/// One table's `SELECT` of `search_source`.
fn arm(engine: Engine, s: &Source) -> String {
    let agg = |expr: &str| match engine {
        Engine::Postgres => format!("string_agg({expr}, ' ')"),
        Engine::Sqlite => format!("group_concat({expr}, ' ')"),
    };
    let record_type = match s.record_type {
        Some(t) => format!("'{t}'"),
        None => "r.kind".to_owned(),
    };
    let linked = |sql: String| format!("COALESCE(({sql}), '')");
    let mut parts: Vec<String> = s
        .title
        .iter()
        .chain(s.text.iter())
        .map(|c| format!("r.{c}"))
        .collect();
    parts.push(linked(format!(
        "SELECT {} FROM record_tags l WHERE l.record_type = {record_type} \
         AND l.record_id = r.id",
        agg("l.tag")
    )));
    parts.push(linked(format!(
        "SELECT {} FROM supply_usages l WHERE l.record_type = {record_type} \
         AND l.record_id = r.id AND l.quantity > 0",
        agg("l.part_number")
    )));
    parts.push(linked(format!(
        "SELECT {} FROM extra_field_values l WHERE l.record_type = {record_type} \
         AND l.record_id = r.id",
        agg("l.value")
    )));
    let title = s.title.map_or("NULL".to_owned(), |c| format!("r.{c}"));
    let title = match engine {
        // A typed NULL, so every arm of the union agrees on the column type.
        Engine::Postgres if s.title.is_none() => "CAST(NULL AS varchar)".to_owned(),
        _ => title,
    };
    let only = s.only.map(|c| format!(" WHERE {c}")).unwrap_or_default();
    format!(
        "SELECT {record_type} AS record_type, r.id AS record_id, r.vehicle_id AS \
         vehicle_id, {date} AS date, {title} AS title, trim({body}) AS body \
         FROM {table} r{only}",
        date = (s.date)(engine),
        body = parts.join(" || ' ' || "),
        table = s.table,
    )
}

const ENTRY_COLUMNS: &str = "record_type, record_id, vehicle_id, date, title, body";

// ---------------------------------------------------------------------------------- PostgreSQL

/// `search_refresh(kind, rid)`: recomputes one entry from its own table's arm only. PL/pgSQL
/// caches the plans; a SQL function over the whole view was planned anew on every row (2.6–6.7
/// ms per inserted record against 0.09–0.16 ms this way, docs/figures.md).
fn postgres_refresh() -> String {
    let branches: Vec<String> = SOURCES
        .iter()
        .map(|s| {
            let test = match s.record_type {
                Some(t) => format!("kind = '{t}'"),
                None => "kind IN ('service', 'repair', 'upgrade')".to_owned(),
            };
            format!(
                "IF {test} THEN INSERT INTO search_entries ({ENTRY_COLUMNS}) \
                 SELECT {ENTRY_COLUMNS} FROM ({arm}) s \
                 WHERE s.record_id = rid AND s.record_type = kind; RETURN; END IF;",
                arm = arm(Engine::Postgres, s)
            )
        })
        .collect();
    format!(
        "CREATE FUNCTION search_refresh(kind text, rid bigint) RETURNS void \
         LANGUAGE plpgsql AS $$ BEGIN \
         DELETE FROM search_entries WHERE record_type = kind AND record_id = rid; \
         {} END $$",
        branches.join(" ")
    )
}

fn postgres_up() -> Vec<String> {
    let mut out = vec![
        "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
        "CREATE TABLE search_entries (\
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
            record_type varchar NOT NULL, \
            record_id bigint NOT NULL, \
            vehicle_id bigint NOT NULL, \
            date date NOT NULL, \
            title varchar NULL, \
            body text NOT NULL)"
            .to_owned(),
        "CREATE UNIQUE INDEX uq_search_entries_record_type_record_id \
         ON search_entries (record_type, record_id)"
            .to_owned(),
        // No index on `vehicle_id` here: with one, the planner prefers scanning all of a
        // vehicle's entries to the trigram index.
        "CREATE INDEX idx_search_entries_body_trgm ON search_entries \
         USING gin (body gin_trgm_ops)"
            .to_owned(),
        source_view(Engine::Postgres),
        postgres_refresh(),
        // TG_ARGV[0]: the table's record type.
        "CREATE FUNCTION search_record_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP = 'DELETE' THEN \
             DELETE FROM search_entries WHERE record_type = TG_ARGV[0] AND record_id = OLD.id; \
           ELSE \
             PERFORM search_refresh(TG_ARGV[0], NEW.id); \
           END IF; \
           RETURN NULL; \
         END $$"
            .to_owned(),
        // Maintenance records carry their type in `kind`, which an update may change.
        "CREATE FUNCTION search_maintenance_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP <> 'INSERT' THEN \
             DELETE FROM search_entries WHERE record_type = OLD.kind AND record_id = OLD.id; \
           END IF; \
           IF TG_OP <> 'DELETE' THEN \
             PERFORM search_refresh(NEW.kind, NEW.id); \
           END IF; \
           RETURN NULL; \
         END $$"
            .to_owned(),
        "CREATE FUNCTION search_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           IF TG_OP <> 'INSERT' AND OLD.record_id IS NOT NULL THEN \
             PERFORM search_refresh(OLD.record_type, OLD.record_id); \
           END IF; \
           IF TG_OP <> 'DELETE' AND NEW.record_id IS NOT NULL THEN \
             PERFORM search_refresh(NEW.record_type, NEW.record_id); \
           END IF; \
           RETURN NULL; \
         END $$"
            .to_owned(),
    ];
    for s in SOURCES {
        let function = match s.record_type {
            Some(t) => format!("search_record_changed('{t}')"),
            None => "search_maintenance_changed()".to_owned(),
        };
        out.push(format!(
            "CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION {function}",
            table = s.table
        ));
    }
    for table in LINKED {
        out.push(format!(
            "CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
             FOR EACH ROW EXECUTE FUNCTION search_link_changed()"
        ));
    }
    out.push(format!(
        "INSERT INTO search_entries ({ENTRY_COLUMNS}) SELECT {ENTRY_COLUMNS} FROM search_source"
    ));
    out
}

fn postgres_down() -> Vec<String> {
    let mut out: Vec<String> = SOURCES
        .iter()
        .map(|s| s.table)
        .chain(LINKED.iter().copied())
        .map(|table| format!("DROP TRIGGER IF EXISTS search_{table} ON {table}"))
        .collect();
    out.extend(
        [
            "DROP FUNCTION IF EXISTS search_link_changed()",
            "DROP FUNCTION IF EXISTS search_maintenance_changed()",
            "DROP FUNCTION IF EXISTS search_record_changed()",
            "DROP FUNCTION IF EXISTS search_refresh(text, bigint)",
            "DROP VIEW IF EXISTS search_source",
            "DROP TABLE IF EXISTS search_entries",
        ]
        .map(str::to_owned),
    );
    // pg_trgm stays: other objects of the database may use it.
    out
}

// -------------------------------------------------------------------------------------- SQLite

/// The statements that recompute one entry inside a trigger.
fn sqlite_refresh(record_type: &str, record_id: &str) -> String {
    format!(
        "DELETE FROM search_entries WHERE record_type = {record_type} \
         AND record_id = {record_id}; \
         INSERT INTO search_entries ({ENTRY_COLUMNS}) SELECT {ENTRY_COLUMNS} FROM search_source \
         WHERE record_type = {record_type} AND record_id = {record_id};"
    )
}

fn sqlite_up() -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE search_entries (\
            id integer NOT NULL PRIMARY KEY, \
            record_type varchar NOT NULL, \
            record_id integer NOT NULL, \
            vehicle_id integer NOT NULL, \
            date date_text NOT NULL, \
            title varchar NULL, \
            body text NOT NULL)"
            .to_owned(),
        "CREATE UNIQUE INDEX uq_search_entries_record_type_record_id \
         ON search_entries (record_type, record_id)"
            .to_owned(),
        // For two-character queries, which have no trigram: a scan of the caller's vehicles.
        "CREATE INDEX idx_search_entries_vehicle_id ON search_entries (vehicle_id)".to_owned(),
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_entries', \
         content_rowid='id', tokenize='trigram')"
            .to_owned(),
        "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN \
         INSERT INTO search_fts (rowid, body) VALUES (NEW.id, NEW.body); END"
            .to_owned(),
        "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN \
         INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body); \
         END"
        .to_owned(),
        "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN \
         INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', OLD.id, OLD.body); \
         INSERT INTO search_fts (rowid, body) VALUES (NEW.id, NEW.body); END"
            .to_owned(),
        source_view(Engine::Sqlite),
    ];
    for s in SOURCES {
        let (old_type, new_type) = match s.record_type {
            Some(t) => (format!("'{t}'"), format!("'{t}'")),
            None => ("OLD.kind".to_owned(), "NEW.kind".to_owned()),
        };
        let table = s.table;
        out.push(format!(
            "CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {} END",
            sqlite_refresh(&new_type, "NEW.id")
        ));
        out.push(format!(
            "CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN \
             DELETE FROM search_entries WHERE record_type = {old_type} AND record_id = OLD.id; \
             {} END",
            sqlite_refresh(&new_type, "NEW.id")
        ));
        out.push(format!(
            "CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN \
             DELETE FROM search_entries WHERE record_type = {old_type} AND record_id = OLD.id; \
             END"
        ));
    }
    for table in LINKED {
        let old = sqlite_refresh("OLD.record_type", "OLD.record_id");
        let new = sqlite_refresh("NEW.record_type", "NEW.record_id");
        out.push(format!(
            "CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {new} END"
        ));
        out.push(format!(
            "CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {old} {new} END"
        ));
        out.push(format!(
            "CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {old} END"
        ));
    }
    out.push(format!(
        "INSERT INTO search_entries ({ENTRY_COLUMNS}) SELECT {ENTRY_COLUMNS} FROM search_source"
    ));
    out
}

fn sqlite_down() -> Vec<String> {
    let mut out = Vec::new();
    for table in SOURCES
        .iter()
        .map(|s| s.table)
        .chain(LINKED.iter().copied())
    {
        for suffix in ["ai", "au", "ad"] {
            out.push(format!("DROP TRIGGER IF EXISTS search_{table}_{suffix}"));
        }
    }
    out.extend(
        [
            "DROP VIEW IF EXISTS search_source",
            "DROP TABLE IF EXISTS search_fts",
            "DROP TABLE IF EXISTS search_entries",
        ]
        .map(str::to_owned),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_table_has_an_arm_and_a_trigger_on_each_engine() {
        let view = source_view(Engine::Sqlite);
        assert_eq!(view.matches(" UNION ALL ").count(), SOURCES.len() - 1);
        let sqlite = sqlite_up().join("\n");
        let postgres = postgres_up().join("\n");
        for s in SOURCES {
            assert!(
                sqlite.contains(&format!("search_{}_ad", s.table)),
                "{}",
                s.table
            );
            assert!(
                postgres.contains(&format!("ON {} FOR EACH ROW", s.table)),
                "{}",
                s.table
            );
        }
    }
}
