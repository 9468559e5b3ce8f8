//! Kiosk: the read-only wall display of vehicles, plans and reminders (issue 8): every vehicle
//! the caller may view minus the excluded and the sold ones, each section most urgent first.

use awc::http::Method;
use chrono::Utc;
use motovault_api::store::entity::plan_record;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp};

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/kiosk")];

const PASSWORD: &str = "correct horse battery";

async fn post(app: &TestApp, path: &str, body: Value) -> i64 {
    let reply = app.post(path, &body).await;
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

async fn vehicle(app: &TestApp, make: &str, plate: &str) -> i64 {
    post(
        app,
        "/api/v1/vehicles",
        json!({"year": 2018, "make": make, "model": "Civic", "licensePlate": plate}),
    )
    .await
}

/// A done plan straight in the table (the planner only reaches done by converting a plan).
async fn done_plan(app: &TestApp, vehicle: i64) {
    plan_record::ActiveModel {
        vehicle_id: Set(vehicle),
        description: Set("Old job".to_owned()),
        notes: Set(String::new()),
        record_kind: Set("service".to_owned()),
        priority: Set("critical".to_owned()),
        progress: Set("done".to_owned()),
        cost: Set(0),
        converted_record_id: Set(None),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

fn texts(reply: &Reply, section: &str, field: &str) -> Vec<String> {
    reply.body[section]
        .as_array()
        .unwrap_or_else(|| panic!("{section} in {}", reply.text))
        .iter()
        .map(|v| v[field].as_str().unwrap().to_owned())
        .collect()
}

struct Garage {
    honda: i64,
    mazda: i64,
    toyota: i64,
}

/// Garage order Honda, Mazda, Toyota (and a sold Ford):
/// - Honda: service 60 at 1000, fuel 35 at 2000; reminders Tyres (due at 2080: 80 away, urgent
///   under 100, not very urgent under 50) and Belt (2099, not urgent); plans Recall (critical,
///   backlog), Mirror (normal, testing), Brakes (normal, backlog), Wax (low, in progress) and a
///   done one.
/// - Mazda: nothing.
/// - Toyota: Inspection due 2020-01-01, past due.
/// - Ford, sold: a past-due reminder and a plan, never shown.
async fn garage(app: &TestApp) -> Garage {
    let honda = vehicle(app, "Honda", "HON-1").await;
    let mazda = vehicle(app, "Mazda", "MAZ-2").await;
    let toyota = vehicle(app, "Toyota", "TOY-3").await;
    let ford = post(
        app,
        "/api/v1/vehicles",
        json!({"year": 2018, "make": "Ford", "model": "Civic", "soldDate": "2024-01-01"}),
    )
    .await;
    let h = format!("/api/v1/vehicles/{honda}");
    post(
        app,
        &format!("{h}/service-records"),
        json!({"date": "2024-01-05", "odometer": 1000, "description": "Oil", "cost": 60}),
    )
    .await;
    post(
        app,
        &format!("{h}/fuel-records"),
        json!({"date": "2024-03-01", "odometer": 2000, "fuelConsumed": 10, "cost": 35}),
    )
    .await;
    post(
        app,
        &format!("{h}/reminders"),
        json!({"description": "Belt", "metric": "date", "dueDate": "2099-01-01"}),
    )
    .await;
    post(
        app,
        &format!("{h}/reminders"),
        json!({"description": "Tyres", "metric": "odometer", "dueOdometer": 2080}),
    )
    .await;
    for (description, priority, progress) in [
        ("Brakes", "normal", "backlog"),
        ("Recall", "critical", "backlog"),
        ("Wax", "low", "inProgress"),
        ("Mirror", "normal", "testing"),
    ] {
        post(
            app,
            &format!("{h}/plans"),
            json!({"description": description, "priority": priority, "progress": progress}),
        )
        .await;
    }
    done_plan(app, honda).await;
    post(
        app,
        &format!("/api/v1/vehicles/{toyota}/reminders"),
        json!({"description": "Inspection", "metric": "date", "dueDate": "2020-01-01"}),
    )
    .await;
    post(
        app,
        &format!("/api/v1/vehicles/{ford}/reminders"),
        json!({"description": "Sold reminder", "metric": "date", "dueDate": "2020-01-01"}),
    )
    .await;
    post(
        app,
        &format!("/api/v1/vehicles/{ford}/plans"),
        json!({"description": "Sold plan"}),
    )
    .await;
    Garage {
        honda,
        mazda,
        toyota,
    }
}

async fn root_with_garage() -> (TestApp, Garage) {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    // Only the records posted here: no auto-inserted odometer records.
    let settings = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    let g = garage(&app).await;
    (app, g)
}

#[actix_web::test]
async fn each_mode_answers_its_section_most_urgent_first() {
    let (app, g) = root_with_garage().await;

    // Default mode: the vehicles, most urgent reminder first, then garage order; no sold Ford.
    let v = app.get("/api/v1/kiosk").await;
    assert_eq!(v.status, 200, "{}", v.text);
    assert_eq!(v.body["mode"], "vehicles");
    assert_eq!(
        texts(&v, "vehicles", "name"),
        ["2018 Toyota Civic", "2018 Honda Civic", "2018 Mazda Civic"]
    );
    assert_eq!(v.body["plans"], json!([]));
    assert_eq!(v.body["reminders"], json!([]));
    let honda = &v.body["vehicles"][1];
    assert_eq!(honda["id"], g.honda);
    assert_eq!(honda["licensePlate"], "HON-1");
    assert_eq!(honda["useHours"], false);
    let s = &honda["summary"];
    assert_eq!(s["vehicleId"], g.honda);
    assert_eq!(s["lastOdometer"], 2000);
    assert_eq!(s["serviceRecords"], json!({"count": 1, "totalCost": 60.0}));
    assert_eq!(s["fuelRecords"], json!({"count": 1, "totalCost": 35.0}));
    // 60 + 35 = 95 over 2000 − 1000.
    assert_eq!(s["totalCost"], 95.0);
    assert_eq!(s["costPerDistance"], 0.095);
    assert_eq!(s["reminders"]["next"]["description"], "Tyres");
    assert_eq!(s["reminders"]["next"]["urgency"], "urgent");
    assert_eq!(s["reminders"]["next"]["dueDistance"], 80);
    assert_eq!(
        s["plans"],
        json!({"count": 5, "backlog": 2, "inProgress": 1, "testing": 1, "done": 1})
    );
    assert_eq!(
        v.body["vehicles"][0]["summary"]["reminders"]["next"]["urgency"],
        "pastDue"
    );
    assert_eq!(
        v.body["vehicles"][2]["summary"]["reminders"]["next"],
        Value::Null
    );

    // Plans: open ones only; critical, then the stage closest to done, then newest.
    let p = app.get("/api/v1/kiosk?mode=plans").await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["mode"], "plans");
    assert_eq!(p.body["vehicles"], json!([]));
    assert_eq!(
        texts(&p, "plans", "description"),
        ["Recall", "Mirror", "Brakes", "Wax"]
    );
    let recall = &p.body["plans"][0];
    assert_eq!(recall["vehicleId"], g.honda);
    assert_eq!(recall["vehicleName"], "2018 Honda Civic");
    assert_eq!(recall["priority"], "critical");
    assert_eq!(recall["progress"], "backlog");
    assert_eq!(recall["recordKind"], "service");
    assert_eq!(texts(&p, "plans", "progress")[1], "testing");

    // Reminders: all of them, flagged by urgency, most urgent first.
    let r = app.get("/api/v1/kiosk?mode=reminders").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        texts(&r, "reminders", "description"),
        ["Inspection", "Tyres", "Belt"]
    );
    assert_eq!(
        texts(&r, "reminders", "urgency"),
        ["pastDue", "urgent", "notUrgent"]
    );
    let tyres = &r.body["reminders"][1];
    assert_eq!(tyres["vehicleId"], g.honda);
    assert_eq!(tyres["vehicleName"], "2018 Honda Civic");
    assert_eq!(tyres["metric"], "odometer");
    assert_eq!(tyres["dueOdometer"], 2080);
    assert_eq!(tyres["dueDistance"], 80);
    assert_eq!(tyres["dueDays"], Value::Null);
    assert_eq!(r.body["reminders"][0]["vehicleId"], g.toyota);
    assert!(r.body["reminders"][0]["dueDays"].as_i64().unwrap() < 0);

    // Cycle: all three at once.
    let c = app.get("/api/v1/kiosk?mode=cycle").await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(c.body["mode"], "cycle");
    assert_eq!(c.body["vehicles"], v.body["vehicles"]);
    assert_eq!(c.body["plans"], p.body["plans"]);
    assert_eq!(c.body["reminders"], r.body["reminders"]);
    // Other parameters of the display are ignored.
    let extra = app.get("/api/v1/kiosk?mode=cycle&interval=5").await;
    assert_eq!(extra.status, 200, "{}", extra.text);
    assert!(!c.text.contains("Sold"), "{}", c.text);
    assert!(!c.text.contains("Ford"), "{}", c.text);
}

#[actix_web::test]
async fn excluded_vehicles_are_left_out_of_every_section() {
    let (app, g) = root_with_garage().await;
    let c = app
        .get(&format!("/api/v1/kiosk?mode=cycle&exclude={}", g.toyota))
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    assert_eq!(
        texts(&c, "vehicles", "name"),
        ["2018 Honda Civic", "2018 Mazda Civic"]
    );
    assert_eq!(texts(&c, "reminders", "description"), ["Tyres", "Belt"]);
    assert_eq!(texts(&c, "plans", "description").len(), 4);

    // Several ids, spaces and repeated parameters; unknown ids change nothing.
    let two = app
        .get(&format!(
            "/api/v1/kiosk?mode=cycle&exclude={},%20{}&exclude=99999",
            g.honda, g.toyota
        ))
        .await;
    assert_eq!(two.status, 200, "{}", two.text);
    assert_eq!(texts(&two, "vehicles", "name"), ["2018 Mazda Civic"]);
    assert_eq!(two.body["vehicles"][0]["id"], g.mazda);
    assert_eq!(two.body["plans"], json!([]));
    assert_eq!(two.body["reminders"], json!([]));
    // An empty list excludes nothing.
    let none = app.get("/api/v1/kiosk?exclude=").await;
    assert_eq!(texts(&none, "vehicles", "name").len(), 3);
}

#[actix_web::test]
async fn a_vehicle_sold_later_leaves_the_display() {
    let (app, g) = root_with_garage().await;
    let sold = app
        .put(
            &format!("/api/v1/vehicles/{}", g.toyota),
            &json!({"year": 2018, "make": "Toyota", "model": "Civic", "soldDate": "2025-05-01"}),
        )
        .await;
    assert_eq!(sold.status, 200, "{}", sold.text);
    let c = app.get("/api/v1/kiosk?mode=cycle").await;
    assert_eq!(
        texts(&c, "vehicles", "name"),
        ["2018 Honda Civic", "2018 Mazda Civic"]
    );
    assert_eq!(texts(&c, "reminders", "description"), ["Tyres", "Belt"]);
    // Still a vehicle of the garage, just not on the wall.
    assert_eq!(
        app.get("/api/v1/vehicles")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        4,
        "Honda, Mazda, Toyota and the sold Ford"
    );
}

#[actix_web::test]
async fn each_user_sees_only_the_vehicles_they_may_view() {
    let (mut app, g) = root_with_garage().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("eve", PASSWORD).await;

    app.login("ann", PASSWORD).await;
    let mine = vehicle(&app, "Subaru", "ANN-1").await;
    post(
        &app,
        &format!("/api/v1/vehicles/{mine}/reminders"),
        json!({"description": "Ann's oil", "metric": "date", "dueDate": "2020-01-01"}),
    )
    .await;
    let ann = app.get("/api/v1/kiosk?mode=cycle").await;
    assert_eq!(ann.status, 200, "{}", ann.text);
    assert_eq!(texts(&ann, "vehicles", "name"), ["2018 Subaru Civic"]);
    assert_eq!(texts(&ann, "reminders", "description"), ["Ann's oil"]);
    assert_eq!(ann.body["plans"], json!([]));
    for hidden in ["Honda", "Toyota", "Inspection", "Recall"] {
        assert!(!ann.text.contains(hidden), "{hidden}: {}", ann.text);
    }
    // Excluding someone else's vehicle is accepted and changes nothing: no existence leak.
    let probe = app
        .get(&format!("/api/v1/kiosk?mode=cycle&exclude={}", g.honda))
        .await;
    assert_eq!(probe.status, 200);
    assert_eq!(probe.body, ann.body);

    // Someone with no vehicles sees an empty wall.
    app.login("eve", PASSWORD).await;
    let eve = app.get("/api/v1/kiosk?mode=cycle").await;
    assert_eq!(eve.status, 200, "{}", eve.text);
    assert_eq!(
        eve.body,
        json!({"mode": "cycle", "vehicles": [], "plans": [], "reminders": []})
    );

    // The root sees every vehicle, Ann's included.
    app.login("root", PASSWORD).await;
    let root = app.get("/api/v1/kiosk").await;
    assert_eq!(texts(&root, "vehicles", "name").len(), 4);

    // Signed out: 401.
    app.forget();
    let anonymous = app.get("/api/v1/kiosk").await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
}

#[actix_web::test]
async fn a_viewer_api_key_keeps_a_wall_display_signed_in() {
    let (mut app, g) = root_with_garage().await;
    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "Garage wall", "role": "viewer"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let by_session = app.get("/api/v1/kiosk?mode=cycle").await;

    app.forget();
    let path = format!("/api/v1/kiosk?mode=cycle&exclude={}", g.mazda);
    let by_key = app
        .raw(Method::GET, &path, None, vec![], &[("x-api-key", &secret)])
        .await;
    assert_eq!(by_key.status, 200, "{}", by_key.text);
    assert_eq!(
        texts(&by_key, "vehicles", "name"),
        ["2018 Toyota Civic", "2018 Honda Civic"]
    );
    assert_eq!(by_key.body["plans"], by_session.body["plans"]);
    assert_eq!(by_key.body["reminders"], by_session.body["reminders"]);
    let bearer = format!("Bearer {secret}");
    let by_bearer = app
        .raw(
            Method::GET,
            &path,
            None,
            vec![],
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(by_bearer.status, 200, "{}", by_bearer.text);
    assert_eq!(by_bearer.body, by_key.body);
    // A wrong key is no login.
    let wrong = app
        .raw(
            Method::GET,
            "/api/v1/kiosk",
            None,
            vec![],
            &[("x-api-key", "00000000000000000000000000000000")],
        )
        .await;
    assert_eq!(wrong.status, 401, "{}", wrong.text);
}

#[actix_web::test]
async fn a_household_viewer_sees_the_heads_vehicles() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.login("ann", PASSWORD).await;
    vehicle(&app, "Family", "FAM-1").await;
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    app.login("bob", PASSWORD).await;
    let bob = app.get("/api/v1/kiosk").await;
    assert_eq!(bob.status, 200, "{}", bob.text);
    assert_eq!(texts(&bob, "vehicles", "name"), ["2018 Family Civic"]);
}

#[actix_web::test]
async fn a_bad_mode_or_exclude_list_is_a_field_error() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_vehicle("Honda").await;
    for (query, fields) in [
        ("mode=Vehicle", vec!["mode"]),
        ("mode=", vec!["mode"]),
        ("mode=all", vec!["mode"]),
        ("exclude=abc", vec!["exclude"]),
        ("exclude=0", vec!["exclude"]),
        ("exclude=-3", vec!["exclude"]),
        ("exclude=1;3", vec!["exclude"]),
        ("exclude=1.5", vec!["exclude"]),
        ("mode=x&exclude=y", vec!["mode", "exclude"]),
    ] {
        let reply = app.get(&format!("/api/v1/kiosk?{query}")).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
        assert_eq!(reply.code(), "validation_failed", "{query}");
        assert_eq!(reply.error_fields(), fields, "{query}");
    }
    let many: Vec<String> = (1..=501).map(|i| i.to_string()).collect();
    let reply = app
        .get(&format!("/api/v1/kiosk?exclude={}", many.join(",")))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.error_fields(), ["exclude"]);
}
