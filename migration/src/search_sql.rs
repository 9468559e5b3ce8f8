//! The SQL of the search index, `search_entries`: one row of searchable text per record, kept by
//! triggers (issue 8), in both of its versions. `m20261126_000006_search` created
//! [`Version::First`]; `m20261126_000008_search_more` replaces it with [`Version::More`] and its
//! `down` restores `First`. Databases in the field ran that SQL, so what a version generates
//! never changes (`migration/tests/search.rs` compares the definitions after 000008's `down`
//! with 000006's).
//!
//! Unlike the other migrations this is raw SQL per backend: the schema builder has no
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
//! - `search_entries` materialises the view (the back-fill reads it whole). Triggers on every
//!   record table and on the three linked tables (`record_tags`, `supply_usages`,
//!   `extra_field_values`) recompute the entry of the record they touch, so every write path
//!   (native API, compat API, CSV and LubeLogger import, restore) keeps it current without code.
//!   SQLite's triggers read the view with `WHERE record_type = … AND record_id = …`, which it
//!   pushes into every arm; PostgreSQL's call `search_refresh`, which runs the record's own arm
//!   only.
//! - The index: PostgreSQL, a GIN trigram index (`pg_trgm`) on `body`, used by `body ILIKE
//!   '%term%'`; SQLite, an FTS5 table with the `trigram` tokenizer over `body` (external content,
//!   kept by triggers on `search_entries`), queried with `MATCH`. Both fold case themselves, so
//!   `body` keeps its original case (the snippet shows it as written).
//!
//! The tables are derived: backups skip them and a restore refills them through the triggers.
//!
//! `First` indexes the records of vehicles only. `More` (issue 8 gap) adds:
//!
//! - Shop supplies (`supplies.vehicle_id` NULL), with a NULL `vehicle_id`: the column is
//!   nullable, and a search reads the caller's vehicles' entries plus those.
//! - An inspection's body adds the human text of its `results` (the JSON array of
//!   `InspectionResult`): per field in order, its label (`description`), text answer (`value`),
//!   the labels of the options ticked (`options[].description` where `isSelected`) and its
//!   `notes` — only string values, no keys or punctuation. `results` that is not a JSON array
//!   (old data, imports, hand edits) adds nothing rather than failing the write: SQLite checks
//!   `json_valid()` first; PostgreSQL 15 has no `IS JSON` or `pg_input_is_valid` (both 16), so
//!   `search_inspection_text(text)` casts inside a PL/pgSQL block that turns a data exception
//!   (class 22: malformed JSON, a NUL escape) into no text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// Which definitions of the search objects.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Version {
    /// `m20261126_000006_search`'s: records of vehicles.
    First,
    /// `m20261126_000008_search_more`'s: also shop supplies and inspection answers.
    More,
}

impl Version {
    /// Whether shop supplies (no vehicle) have entries.
    fn indexes_shop_supplies(self) -> bool {
        self == Version::More
    }

    /// Whether an arm's computed text (inspection answers) is in the body.
    fn indexes_computed_text(self) -> bool {
        self == Version::More
    }

    /// `search_entries.vehicle_id`'s nullability: NULL for shop supplies.
    fn vehicle_null(self) -> &'static str {
        match self {
            Version::First => "NOT NULL",
            Version::More => "NULL",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Engine {
    Postgres,
    Sqlite,
}

/// Runs the statements `sql` gives for the manager's database, in order.
pub(crate) async fn execute(
    manager: &SchemaManager<'_>,
    sql: fn(Engine) -> Vec<String>,
) -> Result<(), DbErr> {
    let engine = match manager.get_database_backend() {
        DatabaseBackend::Postgres => Engine::Postgres,
        _ => Engine::Sqlite,
    };
    let db = manager.get_connection();
    for statement in sql(engine) {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// A record table: its name, its `record_type` (`None`: the row's `kind` column, for
/// `maintenance_records`) and the search columns of its arm in `search_source`.
struct Source {
    table: &'static str,
    record_type: Option<&'static str>,
    /// The date, per backend.
    date: fn(Engine) -> String,
    title: Option<&'static str>,
    /// Text columns (all NOT NULL) joined into the body after the title.
    text: &'static [&'static str],
    /// Computed text (never NULL) after those columns, where the version has it.
    computed: Option<fn(Engine) -> String>,
    /// Rows may have no vehicle (shop supplies): indexed where the version does.
    shop: bool,
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

impl Source {
    /// The usual table: titled by `description`, with `notes`, every row of a vehicle.
    const fn usual(
        table: &'static str,
        record_type: Option<&'static str>,
        date: fn(Engine) -> String,
    ) -> Self {
        Source {
            table,
            record_type,
            date,
            title: Some("description"),
            text: &["notes"],
            computed: None,
            shop: false,
        }
    }
}

const SOURCES: &[Source] = &[
    Source::usual("maintenance_records", None, own_date),
    Source {
        title: None,
        ..Source::usual("fuel_records", Some("fuel"), own_date)
    },
    Source {
        title: None,
        ..Source::usual("odometer_records", Some("odometer"), own_date)
    },
    Source::usual("tax_records", Some("tax"), own_date),
    Source::usual("reminders", Some("reminder"), due_or_created),
    Source {
        title: Some("title"),
        text: &["body"],
        ..Source::usual("notes", Some("note"), created_day)
    },
    Source {
        text: &["part_number", "supplier", "notes"],
        shop: true,
        ..Source::usual("supplies", Some("supply"), own_date)
    },
    Source::usual("plan_records", Some("plan"), created_day),
    Source::usual("equipment", Some("equipment"), created_day),
    Source {
        text: &[],
        computed: Some(inspection_answers),
        ..Source::usual("inspections", Some("inspection"), own_date)
    },
];

/// Tables whose rows add text to a record's entry, named by `record_type` + `record_id`.
const LINKED: &[&str] = &["record_tags", "supply_usages", "extra_field_values"];

/// `search_source`: every record's entry, computed.
fn source_view(engine: Engine, version: Version) -> String {
    let arms: Vec<String> = SOURCES.iter().map(|s| arm(engine, version, s)).collect();
    format!("CREATE VIEW search_source AS {}", arms.join(" UNION ALL "))
}

/// One table's `SELECT` of `search_source`.
fn arm(engine: Engine, version: Version, s: &Source) -> String {
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
    if version.indexes_computed_text() {
        parts.extend(s.computed.map(|text| text(engine)));
    }
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
    let only = if s.shop && !version.indexes_shop_supplies() {
        " WHERE r.vehicle_id IS NOT NULL"
    } else {
        ""
    };
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

/// `search_entries` and its unique index.
fn entries_table(engine: Engine, version: Version) -> [String; 2] {
    let (id, int, date) = match engine {
        Engine::Postgres => (
            "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "bigint",
            "date",
        ),
        Engine::Sqlite => ("integer NOT NULL PRIMARY KEY", "integer", "date_text"),
    };
    [
        format!(
            "CREATE TABLE search_entries (id {id}, record_type varchar NOT NULL, \
             record_id {int} NOT NULL, vehicle_id {int} {null}, date {date} NOT NULL, \
             title varchar NULL, body text NOT NULL)",
            null = version.vehicle_null()
        ),
        "CREATE UNIQUE INDEX uq_search_entries_record_type_record_id \
         ON search_entries (record_type, record_id)"
            .to_owned(),
    ]
}

/// Fills `search_entries` from the view, after [`create`].
pub(crate) fn backfill() -> String {
    format!(
        "INSERT INTO search_entries ({ENTRY_COLUMNS}) SELECT {ENTRY_COLUMNS} FROM search_source"
    )
}

/// Every search object of `version` (the table empty: see [`backfill`]).
pub(crate) fn create(engine: Engine, version: Version) -> Vec<String> {
    match engine {
        Engine::Postgres => postgres_create(version),
        Engine::Sqlite => sqlite_create(version),
    }
}

/// Drops every search object of `version` and of the versions before it (all `IF EXISTS`).
pub(crate) fn drop_all(engine: Engine, version: Version) -> Vec<String> {
    let tables = SOURCES
        .iter()
        .map(|s| s.table)
        .chain(LINKED.iter().copied());
    let more = version == Version::More;
    match engine {
        Engine::Postgres => {
            let mut out: Vec<String> = tables
                .map(|table| format!("DROP TRIGGER IF EXISTS search_{table} ON {table}"))
                .collect();
            out.extend(
                [
                    "DROP FUNCTION IF EXISTS search_link_changed()",
                    "DROP FUNCTION IF EXISTS search_maintenance_changed()",
                    "DROP FUNCTION IF EXISTS search_record_changed()",
                    "DROP FUNCTION IF EXISTS search_refresh(text, bigint)",
                    "DROP VIEW IF EXISTS search_source",
                ]
                .map(str::to_owned),
            );
            // After the view, which calls it.
            if more {
                out.push("DROP FUNCTION IF EXISTS search_inspection_text(text)".to_owned());
            }
            out.push("DROP TABLE IF EXISTS search_entries".to_owned());
            // pg_trgm stays: other objects of the database may use it.
            out
        }
        Engine::Sqlite => {
            let mut out = Vec::new();
            for table in tables {
                for suffix in ["ai", "au", "ad"] {
                    out.push(format!("DROP TRIGGER IF EXISTS search_{table}_{suffix}"));
                }
            }
            // `First` left these to go with their table (as they do); `More` names them.
            if more {
                out.extend(
                    ["ai", "au", "ad"]
                        .map(|s| format!("DROP TRIGGER IF EXISTS search_entries_{s}")),
                );
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
    }
}

// ---------------------------------------------------------------------------------- PostgreSQL

/// `search_refresh(kind, rid)`: recomputes one entry from its own table's arm only. PL/pgSQL
/// caches the plans; a SQL function over the whole view was planned anew on every row (2.6–6.7
/// ms per inserted record against 0.09–0.16 ms this way, docs/figures.md).
fn postgres_refresh(version: Version) -> String {
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
                arm = arm(Engine::Postgres, version, s)
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
    let mut out = vec!["CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned()];
    out.extend(entries_table(Engine::Postgres, version));
    out.extend([
        // No index on `vehicle_id` here: with one, the planner prefers scanning all of a
        // vehicle's entries to the trigram index.
        "CREATE INDEX idx_search_entries_body_trgm ON search_entries \
         USING gin (body gin_trgm_ops)"
            .to_owned(),
    ]);
    if version.indexes_computed_text() {
        out.push(POSTGRES_INSPECTION_TEXT.to_owned());
    }
    out.extend([
        source_view(Engine::Postgres, version),
        postgres_refresh(version),
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
    let mut out = entries_table(Engine::Sqlite, version).to_vec();
    out.extend([
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
        source_view(Engine::Sqlite, version),
    ]);
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINES: [Engine; 2] = [Engine::Postgres, Engine::Sqlite];
    const VERSIONS: [Version; 2] = [Version::First, Version::More];

    #[test]
    fn every_record_table_has_an_arm_and_a_trigger_on_each_engine() {
        for version in VERSIONS {
            let view = source_view(Engine::Sqlite, version);
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
    fn more_indexes_shop_supplies_and_answers_first_does_not() {
        let supplies = |version| {
            SOURCES
                .iter()
                .find(|s| s.table == "supplies")
                .map(|s| arm(Engine::Sqlite, version, s))
                .unwrap_or_default()
        };
        assert!(
            supplies(Version::First).ends_with("FROM supplies r WHERE r.vehicle_id IS NOT NULL")
        );
        assert!(supplies(Version::More).ends_with("FROM supplies r"));
        for engine in ENGINES {
            let first = source_view(engine, Version::First);
            let more = source_view(engine, Version::More);
            assert!(!first.contains("r.results"));
            assert_eq!(
                more.matches("r.results").count(),
                match engine {
                    Engine::Postgres => 1,
                    // json_valid, json_type and four json_each (label, value, options, notes).
                    Engine::Sqlite => 6,
                }
            );
            // The table's `vehicle_id`: NULL for shop supplies from `More` on.
            let column = |version| {
                create(engine, version)
                    .into_iter()
                    .find(|sql| sql.starts_with("CREATE TABLE search_entries "))
                    .and_then(|sql| {
                        sql.split(", ")
                            .find(|c| c.starts_with("vehicle_id "))
                            .map(str::to_owned)
                    })
                    .unwrap_or_default()
            };
            let int = match engine {
                Engine::Postgres => "bigint",
                Engine::Sqlite => "integer",
            };
            assert_eq!(column(Version::First), format!("vehicle_id {int} NOT NULL"));
            assert_eq!(column(Version::More), format!("vehicle_id {int} NULL"));
        }
        let helper = |version| {
            create(Engine::Postgres, version)
                .iter()
                .filter(|sql| sql.starts_with("CREATE FUNCTION search_inspection_text("))
                .count()
        };
        assert_eq!((helper(Version::First), helper(Version::More)), (0, 1));
    }

    /// Every object a version creates is dropped by its `drop_all` (by name, or with its table).
    #[test]
    fn drop_all_removes_every_object_of_its_version() {
        for engine in ENGINES {
            for version in VERSIONS {
                let dropped = drop_all(engine, version).join("\n");
                for sql in create(engine, version) {
                    let Some(name) = sql
                        .strip_prefix("CREATE ")
                        .and_then(|s| s.split_whitespace().find(|w| w.starts_with("search_")))
                    else {
                        continue;
                    };
                    let name = name.split('(').next().unwrap_or(name);
                    let with_table = sql.contains(" ON search_entries ")
                        && dropped.contains("DROP TABLE IF EXISTS search_entries");
                    assert!(
                        dropped.contains(name) || with_table,
                        "{engine:?} {version:?}: {name} is never dropped"
                    );
                }
            }
        }
    }
}
