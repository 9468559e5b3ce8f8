//! Backup → restore round trips (docs/backup-format.md): a rich dataset seeded through the HTTP
//! API, backed up, restored into a fresh database of either engine, then every row of every
//! table and every object's bytes compared. Also: refusals (non-empty target, unknown format),
//! interrupted restores leaving the target empty, the real binary, the root download
//! `GET /api/v1/admin/backup` and the compat `GET /api/demo/restore`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use awc::http::Method;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::StreamExt;
use motovault_api::backup::{self, restore};
use motovault_api::infra::objects::{ObjectBody, from_settings};
use motovault_api::store;
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, FromQueryResult, JsonValue, Statement,
};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestEnv, unique};

/// The `/api/v1` routes of this area (checked against the OpenAPI document in `openapi.rs`).
pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/admin/backup")];

const PASSWORD: &str = "correct horse battery";
const BOUNDARY: &str = "----motovault-restore-boundary";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Engine {
    Sqlite,
    Postgres,
}

fn pg_admin_url() -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => "postgres://postgres@127.0.0.1:5432/test".to_owned(),
    }
}

/// A fresh environment on the given engine (PostgreSQL: a new `mvtest_*` database), objects in
/// the data dir.
async fn env_on(engine: Engine) -> TestEnv {
    let dir = std::env::temp_dir().join(unique("motovault-restore"));
    std::fs::create_dir_all(&dir).unwrap();
    let database_url = match engine {
        Engine::Sqlite => None,
        Engine::Postgres => {
            let base = pg_admin_url();
            let name = unique("mvtest");
            let admin: DatabaseConnection = Database::connect(&base).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let (server, _) = base.rsplit_once('/').unwrap();
            Some(format!("{server}/{name}"))
        }
    };
    TestEnv {
        dir,
        database_url,
        s3: None,
        borrowed: false,
    }
}

fn multipart(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send_file(app: &TestApp, method: Method, path: &str, name: &str, bytes: &[u8]) {
    let reply = app
        .raw(
            method,
            path,
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart(name, bytes),
            &[],
        )
        .await;
    assert!(reply.status.is_success(), "{path}: {}", reply.text);
}

async fn created(app: &TestApp, path: &str, body: Value) -> Value {
    let reply = app.post(path, &body).await;
    assert!(reply.status.is_success(), "{path} {body}: {}", reply.text);
    reply.body
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// Every kind of row the app stores, through the HTTP API: accounts, keys, households, tokens,
/// settings, vehicles with an image, every record kind with tags, extra fields and files
/// (binary bytes), reminders, supplies and their use, plans, templates, inspections.
async fn seed(app: &mut TestApp) {
    app.setup_root().await;
    let ok = |r: &crate::helpers::Reply, what: &str| {
        assert!(r.status.is_success(), "{what}: {}", r.text);
    };
    ok(
        &app.put(
            "/api/v1/me/settings",
            &json!({"unitSystem": "metric", "currency": "EUR"}),
        )
        .await,
        "settings",
    );
    created(
        app,
        "/api/v1/users",
        json!({"username": "Bøb", "email": "bob@example.com", "password": "bob password 1"}),
    )
    .await;
    created(
        app,
        "/api/v1/users",
        json!({"username": "carol", "password": "carol password 1"}),
    )
    .await;
    created(
        app,
        "/api/v1/api-keys",
        json!({"name": "Backup script", "role": "manager"}),
    )
    .await;
    created(app, "/api/v1/calendar/feed", json!({})).await;
    created(
        app,
        "/api/v1/registration-tokens",
        json!({"email": "dave@example.com"}),
    )
    .await;
    // Bob heads a household (the root cannot) and has a key of his own.
    assert_eq!(app.login("Bøb", "bob password 1").await.status, 200);
    created(
        app,
        "/api/v1/household/members",
        json!({"username": "carol", "role": "viewer"}),
    )
    .await;
    created(
        app,
        "/api/v1/api-keys",
        json!({"name": "Bob's phone", "role": "viewer"}),
    )
    .await;
    assert_eq!(app.login("root", PASSWORD).await.status, 200);
    ok(
        &app.put(
            "/api/v1/extra-fields/service",
            &json!({"fields": [
                {"name": "Shop", "fieldType": "text"},
                {"name": "Labour hours", "fieldType": "decimal"},
            ]}),
        )
        .await,
        "extra-field definitions",
    );

    let v = id(&created(
        app,
        "/api/v1/vehicles",
        json!({"year": 2018, "make": "Škoda", "model": "Octavia «RS» 🚗", "licensePlate": "ÄÖ-123",
               "purchaseDate": "2019-02-28", "purchasePrice": "12345.6789", "tags": ["daily", "family"]}),
    )
    .await);
    let ev = id(&created(
        app,
        "/api/v1/vehicles",
        json!({"year": 2022, "make": "Tesla", "model": "Model 3", "licensePlate": "EV-1",
               "fuelType": "electric"}),
    )
    .await);
    created(
        app,
        &format!("/api/v1/vehicles/{v}/collaborators"),
        json!({"username": "Bøb"}),
    )
    .await;
    // A PNG-looking image with every byte value.
    let image: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(3000))
        .collect();
    send_file(
        app,
        Method::PUT,
        &format!("/api/v1/vehicles/{v}/image"),
        "car.png",
        &image,
    )
    .await;

    let base = format!("/api/v1/vehicles/{v}");
    let service = id(&created(
        app,
        &format!("{base}/service-records"),
        json!({"date": "2024-03-01", "odometer": 1000, "description": "Ölwechsel — 5W-30",
               "cost": "0.10", "notes": "line 1\nline 2 \"quoted\" \\ back", "tags": ["oil", "diy"]}),
    )
    .await);
    created(
        app,
        &format!("{base}/repair-records"),
        json!({"date": "2024-04-01", "odometer": 1500, "description": "Brakes", "cost": "12345.6789"}),
    )
    .await;
    created(
        app,
        &format!("{base}/upgrade-records"),
        json!({"date": "2024-05-01", "odometer": 1600, "description": "Mats", "cost": 99}),
    )
    .await;
    ok(
        &app.put(
            &format!("{base}/service-records/{service}/extra-fields"),
            &json!({"fields": [{"name": "Shop", "value": "Café Motors ☕"},
                               {"name": "Labour hours", "value": "1.5"}]}),
        )
        .await,
        "extra-field values",
    );
    send_file(
        app,
        Method::POST,
        &format!("{base}/service-records/{service}/attachments"),
        "receipt.pdf",
        b"%PDF-1.4 \x00\x01\x02\xff\xfe binary receipt",
    )
    .await;
    created(
        app,
        &format!("{base}/service-records/{service}/attachments/links"),
        json!({"name": "manual", "url": "https://example.com/manual.pdf"}),
    )
    .await;
    created(
        app,
        &format!("{base}/fuel-records"),
        json!({"date": "2024-03-02", "odometer": 1100, "fuelConsumed": "40.123", "cost": "61.99",
               "isFillToFull": true, "tags": ["trip"]}),
    )
    .await;
    created(
        app,
        &format!("/api/v1/vehicles/{ev}/fuel-records"),
        json!({"date": "2024-03-02", "odometer": 500, "fuelConsumed": "55", "cost": "9.90"}),
    )
    .await;
    let winter = id(&created(
        app,
        &format!("{base}/equipment"),
        json!({"description": "Winter tyres", "isEquipped": true}),
    )
    .await);
    created(
        app,
        &format!("{base}/odometer-records"),
        json!({"date": "2024-06-01", "initialOdometer": 1600, "odometer": 2000,
               "equipmentIds": [winter]}),
    )
    .await;
    created(
        app,
        &format!("{base}/tax-records"),
        json!({"date": "2024-01-15", "description": "Registration", "cost": "120.10"}),
    )
    .await;
    let reminder = id(&created(
        app,
        &format!("{base}/reminders"),
        json!({"description": "Oil", "dueDate": "2030-01-01", "tags": ["oil"]}),
    )
    .await);
    created(
        app,
        &format!("{base}/notes"),
        json!({"title": "Tyre sizes 🛞", "body": "225/40 R18 — ≈ 2.5 bar", "isPinned": true}),
    )
    .await;
    let filter = id(&created(
        app,
        &format!("{base}/supplies"),
        json!({"date": "2024-01-01", "description": "Oil filter", "partNumber": "OF-1",
               "supplier": "Parts Ltd", "quantity": "10", "cost": "45.50"}),
    )
    .await);
    created(
        app,
        &format!("{base}/service-records"),
        json!({"date": "2024-07-01", "odometer": 2100, "description": "Filter swap", "cost": 5,
               "supplies": [{"supplyId": filter, "quantity": 4}]}),
    )
    .await;
    created(
        app,
        &format!("{base}/plans"),
        json!({"description": "Brakes", "priority": "critical", "recordKind": "repair",
               "progress": "inProgress", "cost": "120.50", "reminderIds": [reminder]}),
    )
    .await;
    created(
        app,
        &format!("{base}/plan-templates"),
        json!({"description": "Pad swap", "recordKind": "upgrade", "priority": "critical",
               "cost": 50}),
    )
    .await;
    let template = id(&created(
        app,
        &format!("{base}/inspection-templates"),
        json!({"description": "Annual", "cost": 50, "fields": [
            {"description": "Tyres", "fieldType": "radio",
             "options": [{"description": "Good"}, {"description": "Worn", "isFail": true}]},
            {"description": "Remarks", "fieldType": "text"}]}),
    )
    .await);
    created(
        app,
        &format!("{base}/inspections"),
        json!({"templateId": template, "date": "2024-06-01", "odometer": 1900, "tags": ["mot"],
               "results": [{"fieldIndex": 0, "selected": [0]},
                           {"fieldIndex": 1, "value": "fine ✓"}]}),
    )
    .await;
}

/// Every row of every data table, as JSON, in id order.
async fn dump(db: &DatabaseConnection) -> BTreeMap<String, Vec<JsonValue>> {
    let backend = db.get_database_backend();
    let mut out = BTreeMap::new();
    for table in backup::database_tables(db).await.unwrap() {
        let rows = JsonValue::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT * FROM \"{table}\" ORDER BY id"),
        ))
        .all(db)
        .await
        .unwrap();
        out.insert(table, rows);
    }
    out
}

/// Across engines, the same instant is written differently (`…123456Z` on PostgreSQL,
/// `…123456789+00:00` on SQLite) and PostgreSQL keeps microseconds: compare instants to the
/// microsecond. Nothing else is normalised.
fn instants_to_micros(v: &JsonValue) -> JsonValue {
    match v {
        JsonValue::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => {
                let t = t.with_timezone(&Utc);
                let micros = t.timestamp_micros();
                let t = DateTime::<Utc>::from_timestamp_micros(micros).unwrap();
                JsonValue::String(t.to_rfc3339_opts(SecondsFormat::Micros, true))
            }
            Err(_) => v.clone(),
        },
        JsonValue::Array(a) => JsonValue::Array(a.iter().map(instants_to_micros).collect()),
        JsonValue::Object(o) => JsonValue::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), instants_to_micros(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn assert_same_rows(
    from: &BTreeMap<String, Vec<JsonValue>>,
    to: &BTreeMap<String, Vec<JsonValue>>,
    cross_engine: bool,
) {
    assert_eq!(
        from.keys().collect::<Vec<_>>(),
        to.keys().collect::<Vec<_>>()
    );
    for (table, rows) in from {
        let restored = &to[table];
        assert_eq!(rows.len(), restored.len(), "{table}");
        for (a, b) in rows.iter().zip(restored) {
            if cross_engine {
                assert_eq!(instants_to_micros(a), instants_to_micros(b), "{table}");
            } else {
                assert_eq!(a, b, "{table}");
            }
        }
    }
}

/// Every object of an environment's store with its bytes.
async fn objects_of(env: &TestEnv) -> BTreeMap<String, Vec<u8>> {
    let store = from_settings(&env.settings(&[])).unwrap();
    let mut out = BTreeMap::new();
    for key in store.list().await.unwrap() {
        let bytes = match store.get(&key).await.unwrap().unwrap() {
            ObjectBody::File(path) => std::fs::read(path).unwrap(),
            ObjectBody::Stream { mut body, .. } => {
                let mut all = Vec::new();
                while let Some(chunk) = body.next().await {
                    all.extend_from_slice(&chunk.unwrap());
                }
                all
            }
        };
        out.insert(key.as_str().to_owned(), bytes);
    }
    out
}

/// Migrates `env`'s fresh database to the archive's schema, restores, applies the rest.
async fn restore_into(env: &TestEnv, archive: &Path) -> Result<backup::Manifest, String> {
    let settings = env.settings(&[]);
    let db = store::connect(&settings).await.unwrap();
    let manifest = restore::read_checked_manifest(archive).map_err(|e| e.to_string())?;
    restore::migrate_to_archive(&db, &manifest)
        .await
        .map_err(|e| e.to_string())?;
    let objects = from_settings(&settings).unwrap();
    let result = restore::restore(&db, objects.as_ref(), archive)
        .await
        .map_err(|e| e.to_string());
    store::migrate(&db).await.unwrap();
    db.close().await.unwrap();
    result
}

/// The seeded root signs in on the restored data, sees the vehicles, and can add new rows.
async fn use_restored(env: TestEnv) {
    let mut app = TestApp::spawn_in(env, &[]).await;
    let login = app.login("root", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let list = app.get("/api/v1/vehicles").await;
    let makes: Vec<&str> = list.body["vehicles"]
        .as_array()
        .or_else(|| list.body.as_array())
        .unwrap_or_else(|| panic!("{}", list.text))
        .iter()
        .map(|v| v["make"].as_str().unwrap())
        .collect();
    assert!(
        makes.contains(&"Škoda") && makes.contains(&"Tesla"),
        "{makes:?}"
    );
    // Sequences continue after the restored ids.
    let v = app.add_vehicle("Fresh").await;
    assert!(v > 2, "{v}");
    let record = created(
        &app,
        &format!("/api/v1/vehicles/{v}/service-records"),
        json!({"date": "2025-01-01", "odometer": 1, "description": "new", "cost": 1}),
    )
    .await;
    assert!(id(&record) > 2, "{record}");
    // Other users keep their passwords too.
    assert_eq!(app.login("Bøb", "bob password 1").await.status, 200);
}

async fn round_trip(from: Engine, to: Engine) {
    let mut app = TestApp::spawn_in(env_on(from).await, &[]).await;
    seed(&mut app).await;
    let archive = app.env.dir.join("backup.zip");
    let objects = from_settings(&app.env.settings(&[])).unwrap();
    let manifest = backup::write(&app.db, objects.as_ref(), &archive)
        .await
        .unwrap();
    let before = dump(&app.db).await;
    let files = objects_of(&app.env).await;
    // The seed really covers the schema: only these tables may stay empty.
    let may_be_empty = ["password_reset_tokens", "oidc_logins", "import_sources"];
    for (table, rows) in &before {
        assert!(
            !rows.is_empty() || may_be_empty.contains(&table.as_str()),
            "the seed leaves {table} empty"
        );
    }
    assert_eq!(files.len(), 2);
    assert_eq!(manifest.objects, 2);

    let target = env_on(to).await;
    let restored = restore_into(&target, &archive).await.unwrap();
    assert_eq!(restored, manifest);
    let db = store::connect(&target.settings(&[])).await.unwrap();
    assert_same_rows(&before, &dump(&db).await, from != to);
    db.close().await.unwrap();
    assert_eq!(objects_of(&target).await, files);
    use_restored(target).await;
}

#[actix_web::test]
async fn sqlite_to_sqlite_keeps_every_row_and_byte() {
    round_trip(Engine::Sqlite, Engine::Sqlite).await;
}

#[actix_web::test]
async fn sqlite_to_postgres_keeps_every_row_and_byte() {
    round_trip(Engine::Sqlite, Engine::Postgres).await;
}

#[actix_web::test]
async fn postgres_to_sqlite_keeps_every_row_and_byte() {
    round_trip(Engine::Postgres, Engine::Sqlite).await;
}

#[actix_web::test]
async fn postgres_to_postgres_keeps_every_row_and_byte() {
    round_trip(Engine::Postgres, Engine::Postgres).await;
}

/// A backup of the seeded app on the suite's engine (`TEST_DATABASE_URL`, `TEST_S3`).
async fn seeded_backup() -> (TestApp, PathBuf) {
    let mut app = TestApp::spawn().await;
    seed(&mut app).await;
    let archive = app.env.dir.join("backup.zip");
    let objects = from_settings(&app.env.settings(&[])).unwrap();
    backup::write(&app.db, objects.as_ref(), &archive)
        .await
        .unwrap();
    (app, archive)
}

async fn row_counts(db: &DatabaseConnection) -> BTreeMap<String, usize> {
    dump(db)
        .await
        .into_iter()
        .map(|(t, rows)| (t, rows.len()))
        .collect()
}

#[actix_web::test]
async fn a_target_with_data_is_refused_and_left_alone() {
    let (_source, archive) = seeded_backup().await;
    let mut target = TestApp::spawn().await;
    target.setup_root().await;
    let before = row_counts(&target.db).await;
    let objects = from_settings(&target.env.settings(&[])).unwrap();
    let err = restore::restore(&target.db, objects.as_ref(), &archive)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not empty") && err.contains("the table users"),
        "{err}"
    );
    assert_eq!(row_counts(&target.db).await, before);
    assert!(objects_of(&target.env).await.is_empty());

    // An object alone (an orphan file) also makes the target non-empty.
    let empty = TestEnv::new().await;
    let store_of_empty = from_settings(&empty.settings(&[])).unwrap();
    let key = motovault_api::infra::objects::ObjectKey::random(Some("bin")).unwrap();
    let body = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(actix_web::web::Bytes::from_static(b"orphan"))
    });
    store_of_empty.put(&key, Box::pin(body), 100).await.unwrap();
    let err = restore_into(&empty, &archive).await.unwrap_err();
    assert!(err.contains("object store is not empty"), "{err}");
}

/// Copies `archive` to `out`, passing each entry through `change` (name, bytes) → bytes; the
/// entry named `stored` is written uncompressed so its raw bytes can be damaged afterwards.
fn rewrite(
    archive: &Path,
    out: &Path,
    stored: Option<&str>,
    change: impl Fn(&str, Vec<u8>) -> Vec<u8>,
) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let method = if stored == Some(name.as_str()) {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        writer
            .start_file(
                name.as_str(),
                zip::write::SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
        writer.write_all(&change(&name, bytes)).unwrap();
    }
    writer.finish().unwrap();
}

/// After a failed restore: no row in any data table, no object.
async fn assert_left_empty(env: &TestEnv) {
    let db = store::connect(&env.settings(&[])).await.unwrap();
    let counts = row_counts(&db).await;
    assert!(counts.values().all(|n| *n == 0), "{counts:?}");
    db.close().await.unwrap();
    assert!(objects_of(env).await.is_empty());
}

#[actix_web::test]
async fn an_interrupted_restore_leaves_the_target_empty() {
    let (_source, archive) = seeded_backup().await;
    let manifest = backup::read_manifest(&archive).unwrap();
    let dir = archive.parent().unwrap().to_owned();

    // The last table with rows is cut off in the middle of its last line.
    let last_table = manifest
        .tables
        .iter()
        .rev()
        .find(|t| t.rows > 0)
        .unwrap()
        .name
        .clone();
    let cut = dir.join("cut-table.zip");
    let table_entry = format!("tables/{last_table}.jsonl");
    rewrite(&archive, &cut, None, |name, mut bytes| {
        if name == table_entry {
            bytes.truncate(bytes.len() - 10);
        }
        bytes
    });
    let target = TestEnv::new().await;
    let err = restore_into(&target, &cut).await.unwrap_err();
    assert!(err.contains(&table_entry), "{err}");
    assert_left_empty(&target).await;

    // The last object's bytes are damaged (its checksum fails at the end): the objects
    // written before it are removed again.
    let last_object = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&archive).unwrap()).unwrap();
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned())
            .filter(|n| n.starts_with("objects/"))
            .collect();
        assert_eq!(names.len(), 2);
        names.last().unwrap().clone()
    };
    let broken = dir.join("broken-object.zip");
    rewrite(&archive, &broken, Some(&last_object), |_, bytes| bytes);
    let start = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&broken).unwrap()).unwrap();
        let entry = zip.by_name(&last_object).unwrap();
        entry.data_start().unwrap() + entry.size() - 1
    };
    let mut raw = std::fs::read(&broken).unwrap();
    raw[usize::try_from(start).unwrap()] ^= 0xff;
    std::fs::write(&broken, raw).unwrap();
    let target = TestEnv::new().await;
    let err = restore_into(&target, &broken).await.unwrap_err();
    assert!(err.contains(&last_object), "{err}");
    assert_left_empty(&target).await;

    // A count that disagrees with the manifest is refused before committing.
    let short = dir.join("short.zip");
    rewrite(&archive, &short, None, |name, bytes| {
        if name == "tables/users.jsonl" {
            let text = String::from_utf8(bytes).unwrap();
            text.lines()
                .take(1)
                .map(|l| format!("{l}\n"))
                .collect::<String>()
                .into_bytes()
        } else {
            bytes
        }
    });
    let target = TestEnv::new().await;
    let err = restore_into(&target, &short).await.unwrap_err();
    assert!(err.contains("tables/users.jsonl holds 1 rows"), "{err}");
    assert_left_empty(&target).await;

    // Unknown format versions and schemas are refused with a clear message.
    let future = dir.join("future.zip");
    rewrite(&archive, &future, None, |name, bytes| {
        if name == backup::MANIFEST {
            let mut m: Value = serde_json::from_slice(&bytes).unwrap();
            m["formatVersion"] = json!(2);
            serde_json::to_vec(&m).unwrap()
        } else {
            bytes
        }
    });
    let err = restore::read_checked_manifest(&future)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("backup format version 2 is not supported"),
        "{err}"
    );
    let newer = dir.join("newer.zip");
    rewrite(&archive, &newer, None, |name, bytes| {
        if name == backup::MANIFEST {
            let mut m: Value = serde_json::from_slice(&bytes).unwrap();
            m["migrations"]
                .as_array_mut()
                .unwrap()
                .push(json!("m20991231_000001_from_the_future"));
            serde_json::to_vec(&m).unwrap()
        } else {
            bytes
        }
    });
    let target = TestEnv::new().await;
    let err = restore_into(&target, &newer).await.unwrap_err();
    assert!(err.contains("m20991231_000001_from_the_future"), "{err}");
    assert_left_empty(&target).await;
    let not_zip = dir.join("not.zip");
    std::fs::write(&not_zip, b"plain text").unwrap();
    let err = restore::read_checked_manifest(&not_zip)
        .unwrap_err()
        .to_string();
    assert!(err.contains("is not a readable backup"), "{err}");
}

fn motovault(env: &TestEnv, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_motovault"));
    cmd.args(args)
        .env("MOTOVAULT__DATA_DIR", env.dir.join("data"))
        .envs(env.s3_env());
    if let Some(url) = &env.database_url {
        cmd.env("MOTOVAULT__DATABASE__URL", url);
    }
    cmd.output().unwrap()
}

#[actix_web::test]
async fn the_binary_backs_up_and_restores() {
    let mut app = TestApp::spawn().await;
    seed(&mut app).await;
    let archive = app.env.dir.join("cli.zip");
    let out = motovault(&app.env, &["backup", "--output", archive.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = dump(&app.db).await;
    let files = objects_of(&app.env).await;

    let target = TestEnv::new().await;
    let out = motovault(&target, &["restore", "--input", archive.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("restored") && stdout.contains("2 files"),
        "{stdout}"
    );

    // Twice into the same target: refused, exit 1, naming the table.
    let again = motovault(&target, &["restore", "--input", archive.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("motovault restore: the target database is not empty: the table users"),
        "{stderr}"
    );
    assert_eq!(motovault(&target, &["restore"]).status.code(), Some(2));

    let db = store::connect(&target.settings(&[])).await.unwrap();
    assert_same_rows(&before, &dump(&db).await, false);
    db.close().await.unwrap();
    assert_eq!(objects_of(&target).await, files);
    use_restored(target).await;
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[actix_web::test]
async fn root_downloads_a_backup_that_restores() {
    let mut app = TestApp::spawn().await;
    seed(&mut app).await;
    let reply = app.get("/api/v1/admin/backup").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type(), "application/zip");
    let disposition = reply
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment") && disposition.contains("filename=\"db_backup_"),
        "{disposition}"
    );
    // Reply.text is lossy; fetch the exact bytes again with a plain client.
    let client = awc::Client::default();
    let mut res = client
        .get(format!("{}/api/v1/admin/backup", app.address))
        .insert_header(("cookie", app.cookie.clone().unwrap()))
        .insert_header(("accept-encoding", "gzip, br"))
        .send()
        .await
        .unwrap();
    // A browser asking for gzip still gets the zip as it is, with its length (the web app's
    // download progress reads it).
    let encoding = res
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(
        matches!(encoding.as_deref(), None | Some("identity")),
        "{encoding:?}"
    );
    let length: usize = res
        .headers()
        .get("content-length")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let bytes = res.body().limit(50 * 1024 * 1024).await.unwrap();
    assert_eq!(bytes.len(), length);
    let archive = app.env.dir.join("downloaded.zip");
    std::fs::write(&archive, &bytes).unwrap();
    let manifest = restore::read_checked_manifest(&archive).unwrap();
    assert_eq!(manifest.objects, 2);
    // Nothing is left in the temp dir.
    let temp = app.env.dir.join("data").join("tmp");
    let left: Vec<_> = std::fs::read_dir(&temp)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");

    let target = TestEnv::new().await;
    restore_into(&target, &archive).await.unwrap();
    use_restored(target).await;

    // Nobody but the root; not signed in is 401.
    app.login("Bøb", "bob password 1").await;
    let denied = app.get("/api/v1/admin/backup").await;
    assert_eq!(denied.status, 403, "{}", denied.text);
    app.forget();
    assert_eq!(app.get("/api/v1/admin/backup").await.status, 401);
    // The root's Manager key works; a Viewer key does not.
    app.login("root", PASSWORD).await;
    let viewer = created(
        &app,
        "/api/v1/api-keys",
        json!({"name": "viewer", "role": "viewer"}),
    )
    .await;
    let manager = created(
        &app,
        "/api/v1/api-keys",
        json!({"name": "manager 2", "role": "manager"}),
    )
    .await;
    app.forget();
    let with_key = |k: &Value| {
        k["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("{k}"))
            .to_owned()
    };
    let (viewer, manager) = (with_key(&viewer), with_key(&manager));
    let by_viewer = app
        .raw(
            Method::GET,
            "/api/v1/admin/backup",
            None,
            vec![],
            &[("x-api-key", &viewer)],
        )
        .await;
    assert_eq!(by_viewer.status, 403, "{}", by_viewer.text);
    let by_manager = app
        .raw(
            Method::GET,
            "/api/v1/admin/backup",
            None,
            vec![],
            &[("x-api-key", &manager)],
        )
        .await;
    assert_eq!(by_manager.status, 200, "{}", by_manager.text);
}

#[actix_web::test]
async fn demo_restore_replaces_everything_but_the_root() {
    let mut app = TestApp::spawn().await;
    seed(&mut app).await;
    let root = basic("root", PASSWORD);
    let demo = |auth: String| {
        let app = &app;
        async move {
            app.raw(
                Method::GET,
                "/api/demo/restore",
                None,
                vec![],
                &[("authorization", &auth)],
            )
            .await
        }
    };
    // Root only: others get 403 with an empty body.
    let bob = demo(basic("Bøb", "bob password 1")).await;
    assert_eq!(bob.status, 403);
    assert!(bob.text.is_empty());
    let before = row_counts(&app.db).await;
    assert!(before["vehicles"] == 2);

    let done = demo(root.clone()).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(
        done.body,
        json!({"success": true, "message": "Demo Data Restored"})
    );
    let after = dump(&app.db).await;
    let names: Vec<&str> = after["users"]
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["root"]);
    assert_eq!(after["vehicles"].len(), 2);
    assert_eq!(after["vehicles"][0]["make"], "Honda");
    assert_eq!(after["maintenance_records"].len(), 5);
    assert!(after["attachments"].is_empty());
    assert!(after["households"].is_empty());
    assert!(after["api_keys"].len() == 1, "the root's key stays");
    assert!(
        !after["user_settings"].is_empty(),
        "the root's settings stay"
    );
    assert!(objects_of(&app.env).await.is_empty(), "old files are gone");

    // The caller is still signed in (the session cookie of the seed) and sees the demo.
    let vehicles = app.get("/api/v1/vehicles").await;
    assert_eq!(vehicles.status, 200, "{}", vehicles.text);
    assert!(vehicles.text.contains("Model 3"), "{}", vehicles.text);
    // New rows do not collide with the demo's ids.
    let v = app.add_vehicle("After demo").await;
    assert_eq!(v, 3);
    // Again: the same demo, still only the root.
    assert_eq!(demo(root).await.status, 200);
    assert_eq!(row_counts(&app.db).await["vehicles"], 2);
    // Through the cookie, a GET that replaces everything still wants the CSRF header.
    let no_csrf = app.get("/api/demo/restore").await;
    assert_ne!(no_csrf.status, 200, "{}", no_csrf.text);
    // With an API key it needs the Manager role (Delete).
    let viewer = created(
        &app,
        "/api/v1/api-keys",
        json!({"name": "viewer", "role": "viewer"}),
    )
    .await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    app.add_vehicle("Kept").await;
    app.forget();
    let denied = app
        .raw(
            Method::GET,
            "/api/demo/restore",
            None,
            vec![],
            &[("x-api-key", &viewer)],
        )
        .await;
    assert_eq!(denied.status, 401, "{}", denied.text);
    assert_eq!(
        denied.body,
        json!({"success": false, "message": "Access Denied"})
    );
    assert_eq!(row_counts(&app.db).await["vehicles"], 3);
}
