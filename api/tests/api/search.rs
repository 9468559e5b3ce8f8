//! Global search across the records a caller may see, through an indexed search table (issue 8).

use awc::http::Method;
use base64::Engine as _;
use motovault_api::backup::{self, restore};
use motovault_api::domain::search::{SearchQuery, statement};
use motovault_api::infra::objects::from_settings;
use motovault_api::store;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestEnv, query_plan};

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/search")];

const PASSWORD: &str = "a long password 1";
const ROOT_PASSWORD: &str = "correct horse battery";

async fn created(app: &TestApp, path: &str, body: Value) -> i64 {
    app.create(path, &body).await
}

async fn search(app: &TestApp, q: &str) -> Value {
    let reply = app.get(&format!("/api/v1/search?q={}", urlencode(q))).await;
    assert_eq!(reply.status, 200, "{q}: {}", reply.text);
    reply.body
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `(kind, recordId)` of each result, in answer order.
fn hits(body: &Value) -> Vec<(String, i64)> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["recordId"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn no_auto_odometer(app: &TestApp) {
    let r = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// The ids of one record of every kind, each with its own word in a different field.
struct Seeded {
    vehicle: i64,
    ids: Vec<(&'static str, i64)>,
}

impl Seeded {
    fn id(&self, kind: &str) -> i64 {
        self.ids.iter().find(|(k, _)| *k == kind).unwrap().1
    }
}

async fn seed(app: &TestApp, make: &str) -> Seeded {
    let vehicle = app.add_vehicle(make).await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    let supply = created(
        app,
        &format!("{v}/supplies"),
        json!({"date": "2024-01-01", "description": "Belt", "partNumber": "PN-778",
               "supplier": "Ibex Supplies", "quantity": 5, "cost": 50}),
    )
    .await;
    let fuel = created(
        app,
        &format!("{v}/fuel-records"),
        json!({"date": "2024-02-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60,
               "notes": "Fill-up near the aardvark farm", "tags": ["TagFuel"]}),
    )
    .await;
    let service = created(
        app,
        &format!("{v}/service-records"),
        json!({"date": "2024-02-02", "odometer": 1100, "description": "Bison belt swap",
               "cost": 10, "supplies": [{"supplyId": supply, "quantity": 1}]}),
    )
    .await;
    let repair = created(
        app,
        &format!("{v}/repair-records"),
        json!({"date": "2024-02-03", "odometer": 1200, "description": "Dent", "cost": 5,
               "notes": "A cobra hit it"}),
    )
    .await;
    let upgrade = created(
        app,
        &format!("{v}/upgrade-records"),
        json!({"date": "2024-02-04", "odometer": 1300, "description": "Lights", "cost": 5,
               "tags": ["dingo"]}),
    )
    .await;
    let odometer = created(
        app,
        &format!("{v}/odometer-records"),
        json!({"date": "2024-02-05", "odometer": 1400, "notes": "emu crossing"}),
    )
    .await;
    let tax = created(
        app,
        &format!("{v}/tax-records"),
        json!({"date": "2024-02-06", "description": "Ferret tax", "cost": 100}),
    )
    .await;
    let reminder = created(
        app,
        &format!("{v}/reminders"),
        json!({"description": "Wax", "metric": "date", "dueDate": "2030-01-01",
               "notes": "use the gecko wax"}),
    )
    .await;
    let note = created(
        app,
        &format!("{v}/notes"),
        json!({"title": "Pressures", "body": "Hyena tyres: 2.4 bar"}),
    )
    .await;
    let plan = created(
        app,
        &format!("{v}/plans"),
        json!({"description": "Paint", "notes": "jackal grey", "recordKind": "upgrade",
               "priority": "normal", "cost": 0}),
    )
    .await;
    let equipment = created(
        app,
        &format!("{v}/equipment"),
        json!({"description": "Koala roof rack", "isEquipped": true}),
    )
    .await;
    let template = created(
        app,
        &format!("{v}/inspection-templates"),
        json!({"description": "Annual", "cost": 0,
               "fields": [{"description": "Remarks", "fieldType": "text"}]}),
    )
    .await;
    let inspection = created(
        app,
        &format!("{v}/inspections"),
        json!({"templateId": template, "date": "2024-02-07", "odometer": 1500,
               "description": "Lemur check", "tags": ["mot"],
               "results": [{"fieldIndex": 0, "value": "fine"}]}),
    )
    .await;
    Seeded {
        vehicle,
        ids: vec![
            ("fuel", fuel),
            ("service", service),
            ("repair", repair),
            ("upgrade", upgrade),
            ("odometer", odometer),
            ("tax", tax),
            ("reminder", reminder),
            ("note", note),
            ("supply", supply),
            ("plan", plan),
            ("equipment", equipment),
            ("inspection", inspection),
        ],
    }
}

#[actix_web::test]
async fn every_record_kind_is_found_by_its_text_in_any_case() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    no_auto_odometer(&app).await;
    let s = seed(&app, "Honda").await;
    // (query, what it is in, kinds found)
    let table: &[(&str, &[&str])] = &[
        ("aardvark", &["fuel"]),            // notes
        ("tagfuel", &["fuel"]),             // tag, other case
        ("BISON", &["service"]),            // description, other case
        ("Cobra", &["repair"]),             // notes
        ("dingo", &["upgrade"]),            // tag
        ("emu cross", &["odometer"]),       // notes, across a space
        ("ferret", &["tax"]),               // description
        ("gecko", &["reminder"]),           // notes
        ("hyena TYRES", &["note"]),         // body
        ("ibex", &["supply"]),              // supplier
        ("pn-778", &["service", "supply"]), // part number, and the supply it used
        ("jackal", &["plan"]),              // notes
        ("koala", &["equipment"]),          // description
        ("lemur", &["inspection"]),         // description
        ("pn", &["service", "supply"]),     // two characters: no trigram, still found
        ("no such thing", &[]),
    ];
    for (q, kinds) in table {
        let body = search(&app, q).await;
        let mut found: Vec<String> = hits(&body).into_iter().map(|(k, _)| k).collect();
        found.sort();
        assert_eq!(found, *kinds, "{q}: {body}");
        for r in body["results"].as_array().unwrap() {
            let kind = r["kind"].as_str().unwrap();
            assert_eq!(r["recordId"], s.id(kind), "{q}");
            assert_eq!(r["vehicleId"], s.vehicle);
            assert_eq!(r["vehicleName"], "2018 Honda Civic");
        }
    }

    // Deep links, titles, dates and snippets.
    let tab =
        |kind: &str, slug: &str| format!("/vehicles/{}/{slug}?record={}", s.vehicle, s.id(kind));
    for (q, kind, slug) in [
        ("aardvark", "fuel", "fuel"),
        ("gecko", "reminder", "reminders"),
        ("hyena", "note", "notes"),
        ("ibex", "supply", "supplies"),
        ("jackal", "plan", "planner"),
        ("lemur", "inspection", "inspections"),
    ] {
        let body = search(&app, q).await;
        assert_eq!(body["results"][0]["path"], tab(kind, slug), "{q}");
    }
    let fuel = &search(&app, "aardvark").await["results"][0];
    assert_eq!(fuel["title"], Value::Null);
    assert_eq!(fuel["date"], "2024-02-01");
    assert_eq!(fuel["snippet"], "Fill-up near the aardvark farm TagFuel");
    let reminder = &search(&app, "gecko").await["results"][0];
    assert_eq!(reminder["title"], "Wax");
    assert_eq!(reminder["date"], "2030-01-01");
    let service = &search(&app, "bison").await["results"][0];
    assert_eq!(service["title"], "Bison belt swap");
    assert_eq!(service["snippet"], "Bison belt swap PN-778");

    // Newest first; `limit` caps and says so.
    let all = search(&app, "pn").await;
    assert_eq!(
        hits(&all),
        vec![
            ("service".to_owned(), s.id("service")),
            ("supply".to_owned(), s.id("supply"))
        ]
    );
    assert_eq!(all["truncated"], false);
    let one = app.get("/api/v1/search?q=pn&limit=1").await;
    assert_eq!(
        hits(&one.body),
        vec![("service".to_owned(), s.id("service"))]
    );
    assert_eq!(one.body["truncated"], true);
    // Query syntax is text: quotes, wildcards.
    assert_eq!(hits(&search(&app, "\"pn").await), vec![]);
    assert_eq!(hits(&search(&app, "%%").await), vec![]);
    assert_eq!(hits(&search(&app, "2.4 bar").await).len(), 1);
}

#[actix_web::test]
async fn changes_and_deletes_are_reflected_at_once() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Mazda").await;
    let notes = format!("/api/v1/vehicles/{vehicle}/notes");
    let note = created(&app, &notes, json!({"title": "Quokka", "body": "first"})).await;
    assert_eq!(hits(&search(&app, "quokka").await).len(), 1);

    let put = app
        .put(
            &format!("{notes}/{note}"),
            &json!({"title": "Renamed", "body": "zeppelin", "tags": ["walrus"]}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(hits(&search(&app, "quokka").await), vec![]);
    assert_eq!(
        hits(&search(&app, "zeppelin").await),
        vec![("note".to_owned(), note)]
    );
    assert_eq!(
        hits(&search(&app, "walrus").await),
        vec![("note".to_owned(), note)]
    );

    // Dropping the tag drops it from the text.
    let put = app
        .put(
            &format!("{notes}/{note}"),
            &json!({"title": "Renamed", "body": "zeppelin", "tags": []}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(hits(&search(&app, "walrus").await), vec![]);

    assert_eq!(app.delete(&format!("{notes}/{note}")).await.status, 204);
    assert_eq!(hits(&search(&app, "zeppelin").await), vec![]);

    // A deleted vehicle leaves no entry behind.
    created(&app, &notes, json!({"title": "Okapi"})).await;
    assert_eq!(hits(&search(&app, "okapi").await).len(), 1);
    let gone = app.delete(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let left = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM search_entries",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.try_get::<i64>("", "n").unwrap(), 0);
}

#[actix_web::test]
async fn only_the_callers_vehicles_are_searched() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for user in ["ann", "bob", "carl"] {
        app.add_user(user, PASSWORD).await;
    }
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Family").await;
    let note = created(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/notes"),
        json!({"title": "Narwhal"}),
    )
    .await;
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);

    // A household member finds the head's records.
    app.login("bob", PASSWORD).await;
    assert_eq!(
        hits(&search(&app, "narwhal").await),
        vec![("note".to_owned(), note)]
    );
    // A stranger finds nothing, not even a count.
    app.login("carl", PASSWORD).await;
    let none = search(&app, "narwhal").await;
    assert_eq!(hits(&none), vec![]);
    assert_eq!(none["truncated"], false);
    // The root sees every vehicle.
    app.login("root", ROOT_PASSWORD).await;
    assert_eq!(hits(&search(&app, "narwhal").await).len(), 1);
    // Signed out: 401.
    app.forget();
    assert_eq!(app.get("/api/v1/search?q=narwhal").await.status, 401);
}

#[actix_web::test]
async fn bad_queries_are_422() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for path in [
        "/api/v1/search",
        "/api/v1/search?q=",
        "/api/v1/search?q=a",
        "/api/v1/search?q=%20%20a%20",
        "/api/v1/search?q=%00ab",
        "/api/v1/search?q=oil&limit=0",
        "/api/v1/search?q=oil&limit=201",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 422, "{path}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
    }
    let long = "x".repeat(101);
    assert_eq!(
        app.get(&format!("/api/v1/search?q={long}"))
            .await
            .error_fields(),
        vec!["q"]
    );
    assert_eq!(
        app.get("/api/v1/search?q=oil&limit=0").await.error_fields(),
        vec!["limit"]
    );
    assert_eq!(app.get("/api/v1/search?q=oil&limit=x").await.status, 400);
}

#[actix_web::test]
async fn records_written_through_the_compat_api_are_found() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Opel").await;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("root:{ROOT_PASSWORD}"))
    );
    let saved_cookie = app.cookie.take();
    let reply = app
        .raw(
            Method::POST,
            &format!("/api/vehicle/gasrecords/add?vehicleId={vehicle}"),
            Some("application/x-www-form-urlencoded"),
            b"date=01/03/2026&odometer=1000&fuelConsumed=40&cost=50&isFillToFull=True&missedFuelUp=False&notes=Pelican%20station&tags=roadtrip"
                .to_vec(),
            &[("authorization", auth.as_str())],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    app.cookie = saved_cookie;
    // The fill-up, and the odometer record inserted with it (which copies its notes).
    let body = search(&app, "pelican").await;
    let mut kinds: Vec<String> = hits(&body).into_iter().map(|(k, _)| k).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["fuel", "odometer"], "{body}");
    assert_eq!(body["results"][0]["date"], "2026-01-03");
    assert_eq!(
        hits(&search(&app, "roadtrip").await),
        vec![("fuel".to_owned(), 1)]
    );
}

#[actix_web::test]
async fn the_query_uses_the_index() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Volvo").await;
    created(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/notes"),
        json!({"title": "Quetzal"}),
    )
    .await;
    let db = &app.db;
    let backend = db.get_database_backend();
    // A few thousand entries, so the planner has a reason to prefer the index.
    let filler = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO search_entries (record_type, record_id, vehicle_id, date, title, body) \
             SELECT 'fuel', 1000000 + n, $1, DATE '2024-01-01', NULL, 'filler entry ' || n \
             FROM generate_series(1, 5000) AS n"
        }
        _ => {
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000) \
             INSERT INTO search_entries (record_type, record_id, vehicle_id, date, title, body) \
             SELECT 'fuel', 1000000 + n, ?, '2024-01-01', NULL, 'filler entry ' || n FROM s"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        filler,
        [vehicle.into()],
    ))
    .await
    .unwrap();
    if backend == DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE search_entries")
            .await
            .unwrap();
    }
    let query = SearchQuery {
        text: "quetzal".to_owned(),
        limit: 50,
    };
    // With the shop supplies (the default) and without.
    for shop in [true, false] {
        let plan = query_plan(db, statement(backend, &query, &[vehicle], shop)).await;
        match backend {
            DatabaseBackend::Postgres => assert!(
                plan.contains("Bitmap Index Scan on idx_search_entries_body_trgm"),
                "shop {shop}: {plan}"
            ),
            _ => assert!(plan.contains("VIRTUAL TABLE INDEX"), "shop {shop}: {plan}"),
        }
    }
    // And the answer is right among the filler.
    assert_eq!(hits(&search(&app, "quetzal").await).len(), 1);
    assert_eq!(
        app.get("/api/v1/search?q=filler%20entry%2042&limit=200")
            .await
            .body["results"]
            .as_array()
            .unwrap()
            .len(),
        // 42, 420–429, 4200–4299
        1 + 10 + 100
    );
}

#[actix_web::test]
async fn a_restore_refills_the_index() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Saab").await;
    created(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/tax-records"),
        json!({"date": "2024-03-01", "description": "Platypus levy", "cost": 10,
               "tags": ["wombat"]}),
    )
    .await;
    let archive = app.env.dir.join("backup.zip");
    let objects = from_settings(&app.env.settings(&[])).unwrap();
    let manifest = backup::write(&app.db, objects.as_ref(), &archive)
        .await
        .unwrap();
    assert!(
        manifest
            .tables
            .iter()
            .all(|t| !t.name.starts_with("search_")),
        "{manifest:?}"
    );

    let target = TestEnv::new().await;
    let settings = target.settings(&[]);
    let db = store::connect(&settings).await.unwrap();
    let manifest = restore::read_checked_manifest(&archive).unwrap();
    restore::migrate_to_archive(&db, &manifest).await.unwrap();
    let objects = from_settings(&settings).unwrap();
    restore::restore(&db, objects.as_ref(), &archive)
        .await
        .unwrap();
    store::migrate(&db).await.unwrap();
    db.close().await.unwrap();

    let mut restored = TestApp::spawn_in(target, &[]).await;
    assert_eq!(restored.login("root", ROOT_PASSWORD).await.status, 200);
    let levy = search(&restored, "platypus").await;
    assert_eq!(levy["results"][0]["kind"], "tax", "{levy}");
    assert_eq!(levy["results"][0]["vehicleId"], vehicle);
    assert_eq!(hits(&search(&restored, "wombat").await).len(), 1);
}

/// `(kind, recordId, vehicleId, path)` of each result.
fn linked(body: &Value) -> Vec<(String, i64, Value, String)> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_owned(),
                r["recordId"].as_i64().unwrap(),
                r["vehicleId"].clone(),
                r["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn shop_supplies_are_found_by_everyone_vehicle_supplies_only_by_their_users() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let root_car = app.add_vehicle("Lada").await;
    let shop = created(
        &app,
        "/api/v1/shop/supplies",
        json!({"date": "2024-03-01", "description": "Drain plug washer Q7",
               "partNumber": "PN-SHOP-9", "supplier": "Wombat Parts", "quantity": 20,
               "cost": 4, "notes": "copper"}),
    )
    .await;
    for user in ["ann", "bob", "carl"] {
        app.add_user(user, PASSWORD).await;
    }
    app.login("ann", PASSWORD).await;
    let ann_car = app.add_vehicle("Fiat").await;
    let gasket = created(
        &app,
        &format!("/api/v1/vehicles/{ann_car}/supplies"),
        json!({"date": "2024-03-02", "description": "Marmot gasket", "partNumber": "MG-1",
               "supplier": "Wombat Parts", "quantity": 1, "cost": 9}),
    )
    .await;
    app.login("bob", PASSWORD).await;
    let bob_car = app.add_vehicle("Seat").await;

    let shop_hit = |vehicle: Value, path: String| vec![("supply".to_owned(), shop, vehicle, path)];
    let tab = |car: i64| format!("/vehicles/{car}/supplies?record={shop}");
    // Bob, not an administrator: by description, part number and notes; linked to the
    // Supplies tab of his own vehicle, which lists the shop's supplies.
    for q in ["drain plug", "pn-shop-9", "COPPER"] {
        let body = search(&app, q).await;
        assert_eq!(linked(&body), shop_hit(Value::Null, tab(bob_car)), "{q}");
        assert_eq!(body["results"][0]["vehicleName"], Value::Null, "{q}");
        assert_eq!(body["results"][0]["title"], "Drain plug washer Q7", "{q}");
        assert_eq!(body["results"][0]["date"], "2024-03-01", "{q}");
    }
    // By supplier: the shop's supply, but not Ann's supply from the same supplier.
    assert_eq!(
        linked(&search(&app, "wombat").await),
        shop_hit(Value::Null, tab(bob_car))
    );
    assert_eq!(hits(&search(&app, "marmot").await), vec![]);

    // Ann finds both, her own with her vehicle.
    app.login("ann", PASSWORD).await;
    let mut found = linked(&search(&app, "wombat parts").await);
    found.sort_by_key(|(_, id, _, _)| *id);
    let mut expected = vec![
        ("supply".to_owned(), shop, Value::Null, tab(ann_car)),
        (
            "supply".to_owned(),
            gasket,
            json!(ann_car),
            format!("/vehicles/{ann_car}/supplies?record={gasket}"),
        ),
    ];
    expected.sort_by_key(|(_, id, _, _)| *id);
    assert_eq!(found, expected);

    // Carl has no vehicle: found all the same (two characters too), linked to the garage.
    app.login("carl", PASSWORD).await;
    for q in ["wombat", "washer", "q7"] {
        assert_eq!(
            linked(&search(&app, q).await),
            shop_hit(Value::Null, "/".to_owned()),
            "{q}"
        );
    }
    assert_eq!(hits(&search(&app, "marmot").await), vec![]);

    // The root, an administrator, sees every vehicle: the first one's tab.
    app.login("root", ROOT_PASSWORD).await;
    assert_eq!(
        linked(&search(&app, "washer").await),
        shop_hit(Value::Null, tab(root_car))
    );
    assert_eq!(
        hits(&search(&app, "marmot").await),
        vec![("supply".to_owned(), gasket)]
    );

    // Changes and deletes show at once.
    let changed = app
        .put(
            &format!("/api/v1/shop/supplies/{shop}"),
            &json!({"date": "2024-03-01", "description": "Sump washer", "partNumber": "PN-SHOP-9",
                   "supplier": "Yak Parts", "quantity": 20, "cost": 4}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(
        hits(&search(&app, "wombat").await),
        vec![("supply".to_owned(), gasket)]
    );
    assert_eq!(
        hits(&search(&app, "yak parts").await),
        vec![("supply".to_owned(), shop)]
    );

    // With shop supplies turned off, they are not searched (their rows stay).
    let env = app.stop().await;
    let mut off = TestApp::spawn_in(env, &[("MOTOVAULT__SUPPLIES__SHOP_ENABLED", "false")]).await;
    off.login("bob", PASSWORD).await;
    assert_eq!(hits(&search(&off, "yak parts").await), vec![]);
    off.login("carl", PASSWORD).await;
    let none = search(&off, "yak parts").await;
    assert_eq!(hits(&none), vec![]);
    assert_eq!(none["truncated"], false);
    let env = off.stop().await;
    let mut app = TestApp::spawn_in(env, &[]).await;
    app.login("root", ROOT_PASSWORD).await;
    assert_eq!(
        app.delete(&format!("/api/v1/shop/supplies/{shop}"))
            .await
            .status,
        204
    );
    assert_eq!(hits(&search(&app, "yak parts").await), vec![]);
}

/// The inspection template of [`inspection_answers_are_found_and_kept_current`]: a text field, a
/// radio field with notes.
fn checkup() -> Value {
    json!({
        "description": "Checkup",
        "cost": 0,
        "fields": [
            {"description": "Remarks", "fieldType": "text"},
            {"description": "Caliper state", "fieldType": "radio", "hasNotes": true,
             "options": [{"description": "Gleaming"}, {"description": "Rusty", "isFail": true}]}
        ]
    })
}

#[actix_web::test]
async fn inspection_answers_are_found_and_kept_current() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    no_auto_odometer(&app).await;
    let vehicle = app.add_vehicle("Skoda").await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    let template = created(&app, &format!("{v}/inspection-templates"), checkup()).await;
    let inspection = created(
        &app,
        &format!("{v}/inspections"),
        json!({"templateId": template, "date": "2024-05-01", "description": "Spring check",
               "results": [{"fieldIndex": 0, "value": "squeaky hinge"},
                           {"fieldIndex": 1, "selected": [0], "notes": "pads at forty percent"}]}),
    )
    .await;
    let found = vec![("inspection".to_owned(), inspection)];
    // The text answer, the item's label, the option chosen, the notes; any case.
    for q in ["squeaky", "CALIPER STATE", "gleaming", "forty percent"] {
        assert_eq!(hits(&search(&app, q).await), found, "{q}");
    }
    // Not the option left unticked, nor the JSON's keys and values.
    for q in ["rusty", "fieldType", "isSelected", "radio", "false"] {
        assert_eq!(hits(&search(&app, q).await), vec![], "{q}");
    }
    let body = search(&app, "squeaky").await;
    let hit = &body["results"][0];
    assert_eq!(hit["title"], "Spring check");
    assert_eq!(
        hit["snippet"],
        "Spring check Remarks squeaky hinge Caliper state Gleaming pads at forty percent"
    );
    assert_eq!(
        hit["path"],
        format!("/vehicles/{vehicle}/inspections?record={inspection}")
    );

    // Edited: the tags (all the API changes) join the answers.
    let one = format!("{v}/inspections/{inspection}");
    let put = app.put(&one, &json!({"tags": ["biennial"]})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(hits(&search(&app, "biennial").await), found);
    assert_eq!(hits(&search(&app, "squeaky").await), found);
    // Edited in the database (an import, a fix by hand): the answers follow.
    let db = &app.db;
    let backend = db.get_database_backend();
    let set_results = |results: &str| {
        let sql = match backend {
            DatabaseBackend::Postgres => "UPDATE inspections SET results = $1 WHERE id = $2",
            _ => "UPDATE inspections SET results = ? WHERE id = ?",
        };
        Statement::from_sql_and_values(backend, sql, [results.into(), inspection.into()])
    };
    db.execute_raw(set_results(
        r#"[{"description":"Remarks","fieldType":"text","value":"oiled hinge","options":[],"notes":"","failed":false}]"#,
    ))
    .await
    .unwrap();
    assert_eq!(hits(&search(&app, "oiled").await), found);
    assert_eq!(hits(&search(&app, "squeaky").await), vec![]);
    assert_eq!(hits(&search(&app, "biennial").await), found);

    // Not JSON: the write succeeds, the entry keeps the rest, the search answers.
    db.execute_raw(set_results("{not json")).await.unwrap();
    assert_eq!(hits(&search(&app, "oiled").await), vec![]);
    assert_eq!(hits(&search(&app, "spring check").await), found);
    assert_eq!(hits(&search(&app, "biennial").await), found);
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO inspections (vehicle_id, template_id, date, odometer, description, \
             cost, results, failed, created_at, updated_at) VALUES ($1, NULL, DATE '2024-06-01', \
             0, 'Imported tapir check', 0, 'Remarks: ok', FALSE, NOW(), NOW())"
        }
        _ => {
            "INSERT INTO inspections (vehicle_id, template_id, date, odometer, description, \
             cost, results, failed, created_at, updated_at) VALUES (?, NULL, '2024-06-01', 0, \
             'Imported tapir check', 0, 'Remarks: ok', FALSE, '2024-06-01T00:00:00Z', \
             '2024-06-01T00:00:00Z')"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [vehicle.into()],
    ))
    .await
    .unwrap();
    let tapir = search(&app, "tapir").await;
    assert_eq!(hits(&tapir).len(), 1, "{tapir}");
    assert_eq!(tapir["results"][0]["kind"], "inspection");
    assert_eq!(tapir["results"][0]["snippet"], "Imported tapir check");
    assert_eq!(hits(&search(&app, "remarks: ok").await), vec![]);
    assert_eq!(hits(&search(&app, "spring").await), found);

    // Deleted: gone.
    assert_eq!(app.delete(&one).await.status, 204);
    for q in ["spring check", "biennial"] {
        assert_eq!(hits(&search(&app, q).await), vec![], "{q}");
    }
}

#[actix_web::test]
async fn the_api_description_allows_results_without_a_vehicle() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let result = &doc.body["components"]["schemas"]["SearchResult"];
    for field in ["vehicleId", "vehicleName"] {
        let types = &result["properties"][field]["type"];
        assert!(
            types.as_array().is_some_and(|t| t.contains(&json!("null"))),
            "{field}: {result}"
        );
    }
    assert_eq!(
        result["properties"]["recordId"]["type"], "integer",
        "{result}"
    );
}
