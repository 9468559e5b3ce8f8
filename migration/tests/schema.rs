//! Applies the schema to real databases: a fresh SQLite file and a fresh PostgreSQL database.
//!
//! PostgreSQL: the server is taken from `TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); a uniquely named database is created on it for the
//! run and dropped at the end.

// clippy's `allow-unwrap-in-tests` only covers `#[test]` functions, not the async helpers of an
// integration-test crate; panicking on failure is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DEFAULT_POSTGRES_URL, exec, postgres_server, unique_suffix};

use motovault_migration::sea_orm_migration::sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, SqlErr, Statement,
};
use motovault_migration::{Migrator, MigratorTrait};

/// An amount well beyond `i32` (and beyond what an `f64` holds exactly once scaled further).
const BIG_AMOUNT: i64 = 9_000_000_000_000_000;

const NOW: &str = "'2026-11-26 10:00:00+00:00'";

/// A name unique to this test run (process id + nanoseconds).
async fn query_i64(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<i64>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn query_bool(db: &DatabaseConnection, sql: &str) -> bool {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<bool>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn query_opt_i64(db: &DatabaseConnection, sql: &str) -> Option<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or_else(|| panic!("{sql}: no row"));
    row.try_get_by_index::<Option<i64>>(0)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn insert_user(db: &DatabaseConnection, name: &str) -> i64 {
    exec(
        db,
        &format!(
            "INSERT INTO users (username, username_normalized, email, password_hash, \
             is_admin, is_root, is_disabled, created_at, updated_at) \
             VALUES ('{name}', '{lower}', NULL, NULL, FALSE, FALSE, FALSE, {NOW}, {NOW})",
            lower = name.to_lowercase()
        ),
    )
    .await;
    query_i64(
        db,
        &format!(
            "SELECT id FROM users WHERE username_normalized = '{}'",
            name.to_lowercase()
        ),
    )
    .await
}

/// Inserts with the columns that have defaults left out, so the defaults are exercised too.
async fn insert_vehicle(db: &DatabaseConnection, make: &str) -> i64 {
    exec(
        db,
        &format!(
            "INSERT INTO vehicles (year, make, model, license_plate, fuel_type, \
             vehicle_identifier, dashboard_metrics, created_at, updated_at) \
             VALUES (2019, '{make}', 'Civic', 'ABC-123', 'gasoline', 'license_plate', '', \
             {NOW}, {NOW})"
        ),
    )
    .await;
    query_i64(
        db,
        &format!("SELECT id FROM vehicles WHERE make = '{make}'"),
    )
    .await
}

async fn insert_fuel_record(db: &DatabaseConnection, vehicle_id: i64, cost: i64) -> i64 {
    exec(
        db,
        &format!(
            "INSERT INTO fuel_records (vehicle_id, date, odometer, fuel_consumed, cost, notes, \
             created_at, updated_at) \
             VALUES ({vehicle_id}, '2026-11-20', 123456, 452500, {cost}, '', {NOW}, {NOW})"
        ),
    )
    .await;
    query_i64(
        db,
        &format!("SELECT id FROM fuel_records WHERE vehicle_id = {vehicle_id}"),
    )
    .await
}

/// Everything checked on a freshly migrated database (run twice: after `up`, and after
/// `down` + `up`).
async fn check_schema(db: &DatabaseConnection) {
    assert!(
        Migrator::get_pending_migrations(db)
            .await
            .unwrap()
            .is_empty(),
        "no migration may remain pending after up"
    );

    // Ids are generated and read back as i64.
    let alice = insert_user(db, "Alice").await;
    let bob = insert_user(db, "Bob").await;
    assert!(alice > 0);
    assert!(bob > alice);

    // users.username_normalized is unique.
    let duplicate = db
        .execute_unprepared(&format!(
            "INSERT INTO users (username, username_normalized, created_at, updated_at) \
             VALUES ('ALICE', 'alice', {NOW}, {NOW})"
        ))
        .await
        .expect_err("a duplicate username_normalized must be rejected");
    assert!(
        matches!(
            duplicate.sql_err(),
            Some(SqlErr::UniqueConstraintViolation(_))
        ),
        "unexpected error: {duplicate:?}"
    );
    assert_eq!(query_i64(db, "SELECT COUNT(*) FROM users").await, 2);

    // Vehicle defaults.
    let vehicle = insert_vehicle(db, "Honda").await;
    assert_eq!(
        query_i64(
            db,
            &format!("SELECT odometer_multiplier FROM vehicles WHERE id = {vehicle}")
        )
        .await,
        10_000
    );
    assert!(
        !query_bool(
            db,
            &format!("SELECT use_hours FROM vehicles WHERE id = {vehicle}")
        )
        .await
    );

    // A fuel record: BIGINT amounts round-trip exactly, boolean defaults apply.
    let fuel = insert_fuel_record(db, vehicle, BIG_AMOUNT).await;
    assert_eq!(
        query_i64(
            db,
            &format!("SELECT cost FROM fuel_records WHERE id = {fuel}")
        )
        .await,
        BIG_AMOUNT
    );
    assert!(
        query_bool(
            db,
            &format!("SELECT is_fill_to_full FROM fuel_records WHERE id = {fuel}")
        )
        .await
    );
    assert!(
        !query_bool(
            db,
            &format!("SELECT missed_fuel_up FROM fuel_records WHERE id = {fuel}")
        )
        .await
    );

    // Foreign keys are enforced: no fuel record for a missing vehicle.
    let orphan = db
        .execute_unprepared(&format!(
            "INSERT INTO fuel_records (vehicle_id, date, odometer, fuel_consumed, cost, notes, \
             created_at, updated_at) VALUES ({}, '2026-11-20', 1, 1, 1, '', {NOW}, {NOW})",
            vehicle + 1000
        ))
        .await
        .expect_err("a fuel record for a missing vehicle must be rejected");
    assert!(
        matches!(
            orphan.sql_err(),
            Some(SqlErr::ForeignKeyConstraintViolation(_))
        ),
        "unexpected error: {orphan:?}"
    );

    // Deleting the vehicle cascades to its records.
    exec(db, &format!("DELETE FROM vehicles WHERE id = {vehicle}")).await;
    assert_eq!(
        query_i64(db, "SELECT COUNT(*) FROM fuel_records").await,
        0,
        "deleting a vehicle must delete its fuel records"
    );

    // registration_tokens.created_by is SET NULL when its user goes away.
    exec(
        db,
        &format!(
            "INSERT INTO registration_tokens (token_hash, email, created_by, created_at) \
             VALUES ('hash', 'new@example.com', {bob}, {NOW})"
        ),
    )
    .await;
    exec(db, &format!("DELETE FROM users WHERE id = {bob}")).await;
    assert_eq!(
        query_opt_i64(
            db,
            "SELECT created_by FROM registration_tokens WHERE token_hash = 'hash'"
        )
        .await,
        None
    );
}

/// up → checks → down → up → checks.
async fn exercise(db: DatabaseConnection) {
    Migrator::up(&db, None).await.unwrap();
    check_schema(&db).await;

    Migrator::down(&db, None).await.unwrap();
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        Migrator::migrations().len()
    );
    Migrator::up(&db, None).await.unwrap();
    check_schema(&db).await;
}

#[tokio::test]
async fn sqlite_schema() {
    let dir = std::env::temp_dir().join(format!("motovault-migration-{}", unique_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("test.db").display());
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(db.get_database_backend(), DbBackend::Sqlite);

    // Run on a separate task so the temp dir is removed even when a check panics.
    let outcome = tokio::spawn({
        let db = db.clone();
        async move {
            exercise(db.clone()).await;
            // Ids are true rowid aliases with AUTOINCREMENT (no id reuse).
            let sql = db
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'",
                ))
                .await
                .unwrap()
                .unwrap()
                .try_get_by_index::<String>(0)
                .unwrap();
            assert!(
                sql.contains(r#""id" integer NOT NULL PRIMARY KEY AUTOINCREMENT"#),
                "{sql}"
            );
        }
    })
    .await;

    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test]
async fn postgres_schema() {
    let admin_url =
        std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
    let (server, query) = postgres_server(&admin_url);
    // The configured database is only used to create and drop the per-run database.
    let admin = Database::connect(admin_url.as_str()).await.unwrap();
    assert_eq!(admin.get_database_backend(), DbBackend::Postgres);

    let name = format!("motovault_migration_{}", unique_suffix());
    exec(&admin, &format!("CREATE DATABASE \"{name}\"")).await;

    let outcome = match Database::connect(format!("{server}/{name}{query}").as_str()).await {
        Ok(db) => {
            let outcome = tokio::spawn(exercise(db.clone())).await;
            db.close().await.unwrap();
            outcome.map_err(|e| e.into_panic())
        }
        Err(e) => {
            let message: Box<dyn std::any::Any + Send> =
                Box::new(format!("connect to {name}: {e}"));
            Err(message)
        }
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

#[test]
fn postgres_server_part() {
    assert_eq!(
        postgres_server("postgres://postgres@127.0.0.1:5432/test"),
        (
            "postgres://postgres@127.0.0.1:5432".to_owned(),
            String::new()
        )
    );
    assert_eq!(
        postgres_server("postgres://u:p@db:5432/app?sslmode=disable"),
        (
            "postgres://u:p@db:5432".to_owned(),
            "?sslmode=disable".to_owned()
        )
    );
    assert_eq!(
        postgres_server("postgres://u@db"),
        ("postgres://u@db".to_owned(), String::new())
    );
}
