//! `search_entries`, second version: shop supplies and inspection answers are indexed too
//! (issue 8 gap). The design is `m20261126_000006_search`'s (read its module comment); this
//! migration changes three things:
//!
//! - Shop supplies (`supplies.vehicle_id` NULL) get entries, with a NULL `vehicle_id`: the
//!   column becomes nullable, and a search reads the caller's vehicles' entries plus those.
//! - An inspection's body adds the human text of its `results` (the JSON array of
//!   `InspectionResult`): per field in order, its label (`description`), text answer (`value`),
//!   the labels of the options ticked (`options[].description` where `isSelected`) and its
//!   `notes` — only string values, no keys or punctuation. `results` that is not a JSON array
//!   (old data, imports, hand edits) adds nothing rather than failing the write: SQLite checks
//!   `json_valid()` first; PostgreSQL 15 has no `IS JSON` or `pg_input_is_valid` (both 16), so
//!   `search_inspection_text(text)` casts inside a PL/pgSQL block that turns a data exception
//!   (class 22: malformed JSON, a NUL escape) into no text.
//! - Both happen in the `search_source` view and PostgreSQL's `search_refresh`, which are
//!   generated as in 000006 from [`SOURCES`].
//!
//! Both directions drop every search object and create them anew, then back-fill from the view
//! (as 000006 did): `up` with this version, `down` with exactly 000006's definitions (the same
//! SQL text, checked by `migration/tests/search.rs`). Simple and symmetric; it costs one rebuild
//! of a derived index. SQLite cannot relax `NOT NULL` in place anyway, and an FTS5
//! external-content table must be rebuilt with its content table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, Version::More).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, Version::First).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Replaces every search object with those of `version` and fills the table.
async fn run(manager: &SchemaManager<'_>, version: Version) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let engine = match manager.get_database_backend() {
        DatabaseBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    };
    for sql in drop_all(engine).into_iter().chain(create(engine, version)) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Which definitions to create.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    /// `m20261126_000006_search`, to which `down` returns.
    First,
    /// This migration's.
    More,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Engine {
    Postgres,
    Sqlite,
}

/// A record table: its name, its `record_type` (`None`: the row's `kind` column, for
/// `maintenance_records`) and the search columns of its arm in `search_source`.
#[derive(Clone, Copy)]
struct Source {
    table: &'static str,
    record_type: Option<&'static str>,
    /// The date, per backend.
    date: fn(Engine) -> String,
    title: Option<&'static str>,
    /// Text columns (all NOT NULL) joined into the body after the title.
    text: &'static [&'static str],
    /// Computed text (never NULL) after those columns.
    computed: Option<fn(Engine) -> String>,
    /// Extra condition of the arm.
    only: Option<&'static str>,
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

/// The text of an inspection's answers (module comment), `''` when there is none.
fn inspection_answers(engine: Engine) -> String {
    match engine {
        Engine::Postgres => "search_inspection_text(r.results)".to_owned(),
        Engine::Sqlite => {
            // An element read as an object: NULL unless it is one (a string element's `value`
            // is bare text, which every JSON function would reject).
            let f = "CASE WHEN f.type = 'object' THEN f.value END";
            let o = "CASE WHEN o.type = 'object' THEN o.value END";
            // A string member of an object, else NULL.
            let text = |object: &str, key: &str| {
                format!(
                    "CASE WHEN json_type({object}, '$.{key}') = 'text' \
                     THEN json_extract({object}, '$.{key}') END"
                )
            };
            let fields = "FROM json_each(r.results) f";
            let options = format!(
                "FROM json_each(r.results) f JOIN json_each({f}, '$.options') o \
                 WHERE json_type({f}, '$.options') = 'array' \
                 AND json_type({o}, '$.isSelected') = 'true'"
            );
            // CASE, not AND: only valid JSON reaches `json_type` and `json_each`.
            format!(
                "COALESCE(CASE WHEN json_valid(r.results) THEN \
                 CASE WHEN json_type(r.results) = 'array' THEN \
                 (SELECT group_concat(a.x, ' ' ORDER BY a.k, a.p, a.n) FROM (\
                 SELECT f.key AS k, 0 AS p, 0 AS n, {label} AS x {fields} \
                 UNION ALL SELECT f.key, 1, 0, {value} {fields} \
                 UNION ALL SELECT f.key, 2, o.key, {option} {options} \
                 UNION ALL SELECT f.key, 3, 0, {notes} {fields}\
                 ) a WHERE a.x <> '') END END, '')",
                label = text(f, "description"),
                value = text(f, "value"),
                option = text(o, "description"),
                notes = text(f, "notes"),
            )
        }
    }
}

/// PostgreSQL's [`inspection_answers`]. IMMUTABLE: the text depends on the argument only.
const POSTGRES_INSPECTION_TEXT: &str = "CREATE FUNCTION search_inspection_text(results text) \
    RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ \
    DECLARE doc jsonb; \
    BEGIN \
      BEGIN \
        doc := results::jsonb; \
      EXCEPTION WHEN data_exception THEN \
        RETURN ''; \
      END; \
      IF jsonb_typeof(doc) IS DISTINCT FROM 'array' THEN \
        RETURN ''; \
      END IF; \
      RETURN COALESCE((SELECT string_agg(a.x, ' ' ORDER BY a.k, a.p, a.n) FROM ( \
        SELECT f.k, 0 AS p, 0 AS n, \
          CASE WHEN jsonb_typeof(f.v -> 'description') = 'string' \
          THEN f.v ->> 'description' END AS x \
        FROM jsonb_array_elements(doc) WITH ORDINALITY f(v, k) \
        UNION ALL SELECT f.k, 1, 0, \
          CASE WHEN jsonb_typeof(f.v -> 'value') = 'string' THEN f.v ->> 'value' END \
        FROM jsonb_array_elements(doc) WITH ORDINALITY f(v, k) \
        UNION ALL SELECT f.k, 2, o.n, \
          CASE WHEN jsonb_typeof(o.v -> 'description') = 'string' \
          THEN o.v ->> 'description' END \
        FROM jsonb_array_elements(doc) WITH ORDINALITY f(v, k) \
        CROSS JOIN LATERAL jsonb_array_elements( \
          CASE WHEN jsonb_typeof(f.v -> 'options') = 'array' \
          THEN f.v -> 'options' ELSE '[]'::jsonb END) WITH ORDINALITY o(v, n) \
        WHERE o.v -> 'isSelected' = 'true'::jsonb \
        UNION ALL SELECT f.k, 3, 0, \
          CASE WHEN jsonb_typeof(f.v -> 'notes') = 'string' THEN f.v ->> 'notes' END \
        FROM jsonb_array_elements(doc) WITH ORDINALITY f(v, k) \
      ) a WHERE a.x <> ''), ''); \
    END $$";

/// The record tables as this migration indexes them; [`sources`] derives 000006's.
const SOURCES: &[Source] = &[
    Source {
        table: "maintenance_records",
        record_type: None,
        date: own_date,
        title: Some("description"),
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "fuel_records",
        record_type: Some("fuel"),
        date: own_date,
        title: None,
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "odometer_records",
        record_type: Some("odometer"),
        date: own_date,
        title: None,
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "tax_records",
        record_type: Some("tax"),
        date: own_date,
        title: Some("description"),
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "reminders",
        record_type: Some("reminder"),
        date: due_or_created,
        title: Some("description"),
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "notes",
        record_type: Some("note"),
        date: created_day,
        title: Some("title"),
        text: &["body"],
        computed: None,
        only: None,
    },
    // Shop supplies included: their entry's `vehicle_id` is NULL.
    Source {
        table: "supplies",
        record_type: Some("supply"),
        date: own_date,
        title: Some("description"),
        text: &["part_number", "supplier", "notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "plan_records",
        record_type: Some("plan"),
        date: created_day,
        title: Some("description"),
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "equipment",
        record_type: Some("equipment"),
        date: created_day,
        title: Some("description"),
        text: &["notes"],
        computed: None,
        only: None,
    },
    Source {
        table: "inspections",
        record_type: Some("inspection"),
        date: own_date,
        title: Some("description"),
        text: &[],
        computed: Some(inspection_answers),
        only: None,
    },
];

/// The arms of `version`: 000006 skipped shop supplies and had no computed text.
fn sources(version: Version) -> Vec<Source> {
    SOURCES
        .iter()
        .map(|s| match version {
            Version::More => *s,
            Version::First => Source {
                computed: None,
                only: (s.table == "supplies").then_some("r.vehicle_id IS NOT NULL"),
                ..*s
            },
        })
        .collect()
}

/// Tables whose rows add text to a record's entry, named by `record_type` + `record_id`.
const LINKED: &[&str] = &["record_tags", "supply_usages", "extra_field_values"];

/// `search_source`: every record's entry, computed.
fn source_view(engine: Engine, sources: &[Source]) -> String {
    let arms: Vec<String> = sources.iter().map(|s| arm(engine, s)).collect();
    format!("CREATE VIEW search_source AS {}", arms.join(" UNION ALL "))
}

/// One table's `SELECT` of `search_source` (000006's, plus the computed text).
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
    parts.extend(s.computed.map(|text| text(engine)));
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

/// `vehicle_id`'s nullability: NULL for shop supplies from this version on.
fn vehicle_null(version: Version) -> &'static str {
    match version {
        Version::First => "NOT NULL",
        Version::More => "NULL",
    }
}

/// Every search object, on either version (all `IF EXISTS`).
fn drop_all(engine: Engine) -> Vec<String> {
    let tables = || {
        SOURCES
            .iter()
            .map(|s| s.table)
            .chain(LINKED.iter().copied())
    };
    match engine {
        Engine::Postgres => {
            let mut out: Vec<String> = tables()
                .map(|table| format!("DROP TRIGGER IF EXISTS search_{table} ON {table}"))
                .collect();
            out.extend(
                [
                    "DROP FUNCTION IF EXISTS search_link_changed()",
                    "DROP FUNCTION IF EXISTS search_maintenance_changed()",
                    "DROP FUNCTION IF EXISTS search_record_changed()",
                    "DROP FUNCTION IF EXISTS search_refresh(text, bigint)",
                    "DROP VIEW IF EXISTS search_source",
                    "DROP FUNCTION IF EXISTS search_inspection_text(text)",
                    "DROP TABLE IF EXISTS search_entries",
                ]
                .map(str::to_owned),
            );
            out
        }
        Engine::Sqlite => {
            let mut out = Vec::new();
            for table in tables() {
                for suffix in ["ai", "au", "ad"] {
                    out.push(format!("DROP TRIGGER IF EXISTS search_{table}_{suffix}"));
                }
            }
            out.extend(
                [
                    "DROP TRIGGER IF EXISTS search_entries_ai",
                    "DROP TRIGGER IF EXISTS search_entries_au",
                    "DROP TRIGGER IF EXISTS search_entries_ad",
                    "DROP VIEW IF EXISTS search_source",
                    "DROP TABLE IF EXISTS search_fts",
                    "DROP TABLE IF EXISTS search_entries",
                ]
                .map(str::to_owned),
            );
            out
        }
    }
}

/// Every search object of `version`, and the back-fill.
fn create(engine: Engine, version: Version) -> Vec<String> {
    match engine {
        Engine::Postgres => postgres_create(version),
        Engine::Sqlite => sqlite_create(version),
    }
}

// ---------------------------------------------------------------------------------- PostgreSQL

/// `search_refresh(kind, rid)`: recomputes one entry from its own table's arm only (000006).
fn postgres_refresh(sources: &[Source]) -> String {
    let branches: Vec<String> = sources
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

fn postgres_create(version: Version) -> Vec<String> {
    let sources = sources(version);
    let mut out = vec![
        "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
        format!(
            "CREATE TABLE search_entries (\
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \
            record_type varchar NOT NULL, \
            record_id bigint NOT NULL, \
            vehicle_id bigint {}, \
            date date NOT NULL, \
            title varchar NULL, \
            body text NOT NULL)",
            vehicle_null(version)
        ),
        "CREATE UNIQUE INDEX uq_search_entries_record_type_record_id \
         ON search_entries (record_type, record_id)"
            .to_owned(),
        // No index on `vehicle_id` here: with one, the planner prefers scanning all of a
        // vehicle's entries to the trigram index.
        "CREATE INDEX idx_search_entries_body_trgm ON search_entries \
         USING gin (body gin_trgm_ops)"
            .to_owned(),
    ];
    if version == Version::More {
        out.push(POSTGRES_INSPECTION_TEXT.to_owned());
    }
    out.extend([
        source_view(Engine::Postgres, &sources),
        postgres_refresh(&sources),
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
    ]);
    for s in &sources {
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

fn sqlite_create(version: Version) -> Vec<String> {
    let sources = sources(version);
    let mut out = vec![
        format!(
            "CREATE TABLE search_entries (\
            id integer NOT NULL PRIMARY KEY, \
            record_type varchar NOT NULL, \
            record_id integer NOT NULL, \
            vehicle_id integer {}, \
            date date_text NOT NULL, \
            title varchar NULL, \
            body text NOT NULL)",
            vehicle_null(version)
        ),
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
        source_view(Engine::Sqlite, &sources),
    ];
    for s in &sources {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_table_has_an_arm_and_a_trigger_on_each_engine() {
        for version in [Version::First, Version::More] {
            let view = source_view(Engine::Sqlite, &sources(version));
            assert_eq!(view.matches(" AS record_type, ").count(), SOURCES.len());
            let sqlite = create(Engine::Sqlite, version).join("\n");
            let postgres = create(Engine::Postgres, version).join("\n");
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

    #[test]
    fn this_version_indexes_shop_supplies_and_answers_the_first_did_not() {
        let supplies = |version| {
            sources(version)
                .into_iter()
                .find(|s| s.table == "supplies")
                .map(|s| arm(Engine::Sqlite, &s))
                .unwrap_or_default()
        };
        assert!(
            supplies(Version::First).ends_with("FROM supplies r WHERE r.vehicle_id IS NOT NULL")
        );
        assert!(supplies(Version::More).ends_with("FROM supplies r"));
        for engine in [Engine::Postgres, Engine::Sqlite] {
            let first = source_view(engine, &sources(Version::First));
            let more = source_view(engine, &sources(Version::More));
            assert!(!first.contains("r.results"));
            assert_eq!(
                more.matches("r.results").count(),
                match engine {
                    Engine::Postgres => 1,
                    // json_valid, json_type and four json_each (label, value, options, notes).
                    Engine::Sqlite => 6,
                }
            );
        }
        // Every object either version creates is dropped first.
        for engine in [Engine::Postgres, Engine::Sqlite] {
            let dropped = drop_all(engine).join("\n");
            for sql in create(engine, Version::More) {
                let Some(name) = sql
                    .strip_prefix("CREATE ")
                    .and_then(|s| s.split_whitespace().find(|w| w.starts_with("search_")))
                else {
                    continue;
                };
                let name = name.split('(').next().unwrap_or(name);
                assert!(dropped.contains(name), "{name} is never dropped");
            }
        }
    }
}
