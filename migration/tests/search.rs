//! Migration `m20261126_000008_search_more` on real databases (a fresh SQLite file and a fresh
//! PostgreSQL database, as in `schema.rs`): from the schema just before it, `up` indexes the
//! existing shop supplies and inspection answers, its triggers keep them and never fail a write
//! over malformed `results`, and `down` restores 000006's definitions exactly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DEFAULT_POSTGRES_URL, exec, postgres_server, unique_suffix};

use motovault_migration::sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use motovault_migration::{Migrator, MigratorTrait};

const MIGRATION: &str = "m20261126_000008_search_more";
const NOW: &str = "'2026-11-26 10:00:00+00:00'";

/// An inspection as the API writes it: a text field, and a radio field with one option ticked.
const ANSWERS: &str = r#"[{"description":"Remarks","fieldType":"text","value":"fine","options":[],"notes":"","failed":false},{"description":"Brakes","fieldType":"radio","value":"","options":[{"description":"Good","isFail":false,"isSelected":true},{"description":"Bad","isFail":true,"isSelected":false}],"notes":"worn pads","failed":false}]"#;

/// `results` values and the text they add to the body: only string labels, answers, ticked
/// options and notes; nothing (and no error) from anything else.
const SHAPES: &[(&str, &str)] = &[
    ("not json", ""),
    ("", ""),
    ("[]", ""),
    (r#"{"description":"an object, not a list"}"#, ""),
    // jsonb rejects NUL; SQLite's JSON takes it, and a string element adds nothing.
    (r#"["\u0000"]"#, ""),
    (
        r#"[1, "loose", null, {"description": 5, "options": "none", "notes": "kept"}]"#,
        "kept",
    ),
    (
        r#"[{"description":"A","options":{"x":{"description":"not a list","isSelected":true}}}]"#,
        "A",
    ),
    (
        r#"[{"description":"A","value":"B","options":[{"description":"one","isSelected":1},"C",{"description":"D","isSelected":true}],"notes":"E"},{"value":"F"}]"#,
        "A B D E F",
    ),
];

/// The first column of every row, as text.
async fn column(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        })
        .collect()
}

async fn id_of(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<i64>(0).unwrap()
}

/// `(vehicle_id, body)` of a record's entry, `None` without one.
async fn entry(db: &DatabaseConnection, kind: &str, id: i64) -> Option<(Option<i64>, String)> {
    let sql = format!(
        "SELECT vehicle_id, body FROM search_entries \
         WHERE record_type = '{kind}' AND record_id = {id}"
    );
    db.query_one_raw(Statement::from_string(db.get_database_backend(), &sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .map(|row| {
            (
                row.try_get_by_index::<Option<i64>>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
            )
        })
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn insert_inspection(
    db: &DatabaseConnection,
    vehicle: i64,
    description: &str,
    results: &str,
) -> i64 {
    exec(
        db,
        &format!(
            "INSERT INTO inspections (vehicle_id, template_id, date, odometer, description, \
             cost, results, failed, created_at, updated_at) VALUES ({vehicle}, NULL, \
             '2026-11-20', 0, {}, 0, {}, FALSE, {NOW}, {NOW})",
            quoted(description),
            quoted(results)
        ),
    )
    .await;
    id_of(
        db,
        &format!(
            "SELECT id FROM inspections WHERE description = {}",
            quoted(description)
        ),
    )
    .await
}

async fn insert_supply(db: &DatabaseConnection, vehicle: Option<i64>, description: &str) -> i64 {
    let vehicle = vehicle.map_or("NULL".to_owned(), |v| v.to_string());
    exec(
        db,
        &format!(
            "INSERT INTO supplies (vehicle_id, date, part_number, supplier, description, \
             quantity, cost, notes, created_at, updated_at) VALUES ({vehicle}, '2026-11-20', \
             'PN-42', 'Ibex', {}, 10000, 10000, '', {NOW}, {NOW})",
            quoted(description)
        ),
    )
    .await;
    id_of(
        db,
        &format!(
            "SELECT id FROM supplies WHERE description = {}",
            quoted(description)
        ),
    )
    .await
}

/// Every definition of the search objects, as the database holds them.
async fn definitions(db: &DatabaseConnection) -> Vec<String> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let mut out = column(
                db,
                "SELECT column_name || ' ' || data_type || ' ' || is_nullable \
                 FROM information_schema.columns WHERE table_name = 'search_entries' \
                 ORDER BY ordinal_position",
            )
            .await;
            for sql in [
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_entries' \
                 ORDER BY indexname",
                "SELECT pg_get_viewdef('search_source'::regclass)",
                "SELECT pg_get_functiondef(p.oid) FROM pg_proc p \
                 JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname = current_schema() AND p.proname LIKE 'search%' \
                 ORDER BY p.proname",
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'search%' \
                 ORDER BY tgname",
            ] {
                out.extend(column(db, sql).await);
            }
            out
        }
        _ => {
            column(
                db,
                "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master \
                 WHERE name LIKE '%search%' OR tbl_name LIKE 'search%' ORDER BY type, name",
            )
            .await
        }
    }
}

/// The full check, from an empty database.
async fn exercise(db: DatabaseConnection) {
    let all = Migrator::migrations();
    let position = all
        .iter()
        .position(|m| m.name() == MIGRATION)
        .expect("the migration is registered");
    let after = u32::try_from(all.len() - position).unwrap();
    Migrator::up(&db, Some(u32::try_from(position).unwrap()))
        .await
        .unwrap();
    let first = definitions(&db).await;
    assert!(
        first.iter().any(|d| d.contains("r.vehicle_id IS NOT NULL")),
        "{first:?}"
    );

    // Records written under 000006: no shop supply entry, inspections by description only.
    exec(
        &db,
        &format!(
            "INSERT INTO vehicles (year, make, model, license_plate, fuel_type, \
             vehicle_identifier, dashboard_metrics, created_at, updated_at) \
             VALUES (2019, 'Honda', 'Civic', 'ABC-123', 'gasoline', 'license_plate', '', \
             {NOW}, {NOW})"
        ),
    )
    .await;
    let vehicle = id_of(&db, "SELECT id FROM vehicles WHERE make = 'Honda'").await;
    let own = insert_supply(&db, Some(vehicle), "Oil filter").await;
    let shop = insert_supply(&db, None, "Drain plug washer").await;
    let answered = insert_inspection(&db, vehicle, "Annual", ANSWERS).await;
    let broken = insert_inspection(&db, vehicle, "Imported", "not json").await;
    assert_eq!(entry(&db, "supply", shop).await, None);
    let body = |text: &str| Some((Some(vehicle), text.to_owned()));
    assert_eq!(entry(&db, "inspection", answered).await, body("Annual"));

    // `up` back-fills them.
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        entry(&db, "supply", shop).await,
        Some((None, "Drain plug washer PN-42 Ibex".to_owned()))
    );
    assert_eq!(
        entry(&db, "supply", own).await,
        body("Oil filter PN-42 Ibex")
    );
    assert_eq!(
        entry(&db, "inspection", answered).await,
        body("Annual Remarks fine Brakes Good worn pads")
    );
    assert_eq!(entry(&db, "inspection", broken).await, body("Imported"));

    // The triggers: every shape saves, and adds only its human text.
    for (i, (results, text)) in SHAPES.iter().enumerate() {
        let description = format!("Shape {i}");
        let id = insert_inspection(&db, vehicle, &description, results).await;
        let expected = format!("{description} {text}").trim().to_owned();
        assert_eq!(
            entry(&db, "inspection", id).await,
            body(&expected),
            "{results}"
        );
    }
    // An update recomputes the entry, both ways.
    exec(
        &db,
        &format!(
            "UPDATE inspections SET results = {} WHERE id = {broken}",
            quoted(ANSWERS)
        ),
    )
    .await;
    assert_eq!(
        entry(&db, "inspection", broken).await,
        body("Imported Remarks fine Brakes Good worn pads")
    );
    exec(
        &db,
        &format!("UPDATE inspections SET results = '[' WHERE id = {broken}"),
    )
    .await;
    assert_eq!(entry(&db, "inspection", broken).await, body("Imported"));
    // A shop supply's entry follows its row.
    exec(
        &db,
        &format!("UPDATE supplies SET supplier = 'Yak' WHERE id = {shop}"),
    )
    .await;
    assert_eq!(
        entry(&db, "supply", shop).await,
        Some((None, "Drain plug washer PN-42 Yak".to_owned()))
    );
    if db.get_database_backend() == DbBackend::Sqlite {
        // The FTS index agrees with its content table, and finds the answers.
        exec(
            &db,
            "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')",
        )
        .await;
        let found = column(
            &db,
            "SELECT e.record_type || ' ' || e.record_id FROM search_fts f \
             JOIN search_entries e ON e.id = f.rowid WHERE search_fts MATCH '\"worn pads\"' \
             ORDER BY e.record_id",
        )
        .await;
        assert_eq!(found, vec![format!("inspection {answered}")]);
    }
    exec(&db, &format!("DELETE FROM supplies WHERE id = {shop}")).await;
    assert_eq!(entry(&db, "supply", shop).await, None);
    let shop = insert_supply(&db, None, "Cable ties").await;

    // `down` restores 000006 exactly, and its entries.
    Migrator::down(&db, Some(after)).await.unwrap();
    assert_eq!(definitions(&db).await, first);
    assert_eq!(entry(&db, "supply", shop).await, None);
    assert_eq!(entry(&db, "inspection", answered).await, body("Annual"));
    assert_eq!(
        entry(&db, "supply", own).await,
        body("Oil filter PN-42 Ibex")
    );
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        entry(&db, "supply", shop).await,
        Some((None, "Cable ties PN-42 Ibex".to_owned()))
    );
}

#[tokio::test]
async fn sqlite_search_more() {
    let dir = std::env::temp_dir().join(format!("motovault-search-{}", unique_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    let db = Database::connect(&url).await.unwrap();
    let outcome = tokio::spawn(exercise(db.clone())).await;
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn postgres_search_more() {
    let admin_url =
        std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    let (server, query) = postgres_server(&admin_url);
    let admin = Database::connect(admin_url.as_str()).await.unwrap();
    let name = format!("motovault_search_{}", unique_suffix());
    exec(&admin, &format!("CREATE DATABASE \"{name}\"")).await;
    let outcome = match Database::connect(format!("{server}/{name}{query}").as_str()).await {
        Ok(db) => {
            let outcome = tokio::spawn(exercise(db.clone())).await;
            db.close().await.unwrap();
            outcome.map_err(|e| e.into_panic())
        }
        Err(e) => Err(Box::new(format!("connect to {name}: {e}")) as Box<dyn std::any::Any + Send>),
    };
    exec(
        &admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await;
    admin.close().await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}
