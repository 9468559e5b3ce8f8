//! Vehicle summaries: counts and exact totals, reminders by urgency, plan stages, and the
//! garage tile's total cost and cost per distance (reference §3.4).

use chrono::Utc;
use motovault_api::store::entity::plan_record;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/summary"),
    ("get", "/api/v1/vehicle-summaries"),
];

async fn post(app: &TestApp, path: &str, body: Value) -> i64 {
    let reply = app.post(path, &body).await;
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// Plans straight in the table, so this test does not depend on the planner's rules.
async fn add_plan(app: &TestApp, vehicle: i64, progress: &str) {
    plan_record::ActiveModel {
        vehicle_id: Set(vehicle),
        description: Set("plan".to_owned()),
        notes: Set(String::new()),
        record_kind: Set("service".to_owned()),
        priority: Set("normal".to_owned()),
        progress: Set(progress.to_owned()),
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

/// Service 60 + 40, repair 50.50, fuel 35, tax 120; readings 0 (ignored), 1000 … 2000.
async fn vehicle_with_history(app: &TestApp) -> i64 {
    let vehicle = app.add_vehicle("Honda").await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    post(
        app,
        &format!("{v}/service-records"),
        json!({"date": "2024-01-05", "odometer": 1000, "description": "Oil", "cost": 60}),
    )
    .await;
    post(
        app,
        &format!("{v}/service-records"),
        json!({"date": "2024-01-06", "odometer": 0, "description": "Wipers", "cost": 40}),
    )
    .await;
    post(
        app,
        &format!("{v}/repair-records"),
        json!({"date": "2024-02-01", "odometer": 1500, "description": "Dent", "cost": "50.50"}),
    )
    .await;
    post(
        app,
        &format!("{v}/fuel-records"),
        json!({"date": "2024-03-01", "odometer": 2000, "fuelConsumed": 10, "cost": 35}),
    )
    .await;
    post(
        app,
        &format!("{v}/tax-records"),
        json!({"date": "2024-01-01", "description": "Registration", "cost": 120}),
    )
    .await;
    post(
        app,
        &format!("{v}/odometer-records"),
        json!({"date": "2024-01-20", "odometer": 1200}),
    )
    .await;
    post(app, &format!("{v}/notes"), json!({"title": "Spare key"})).await;
    vehicle
}

#[actix_web::test]
async fn totals_counts_and_cost_per_distance_follow_the_garage_tile() {
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
    let vehicle = vehicle_with_history(&app).await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    // Past due by date; urgent by odometer (2080 < 2000 + 100, not < 2000 + 50); not urgent.
    let past = post(
        &app,
        &format!("{v}/reminders"),
        json!({"description": "Inspection", "metric": "date", "dueDate": "2020-01-01"}),
    )
    .await;
    post(
        &app,
        &format!("{v}/reminders"),
        json!({"description": "Tyres", "metric": "odometer", "dueOdometer": 2080}),
    )
    .await;
    post(
        &app,
        &format!("{v}/reminders"),
        json!({"description": "Belt", "metric": "date", "dueDate": "2099-01-01"}),
    )
    .await;
    add_plan(&app, vehicle, "backlog").await;
    add_plan(&app, vehicle, "backlog").await;
    add_plan(&app, vehicle, "done").await;

    let s = app.get(&format!("{v}/summary")).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let b = &s.body;
    assert_eq!(b["vehicleId"], vehicle);
    assert_eq!(b["serviceRecords"], json!({"count": 2, "totalCost": 100.0}));
    assert_eq!(b["repairRecords"], json!({"count": 1, "totalCost": 50.5}));
    assert_eq!(b["upgradeRecords"], json!({"count": 0, "totalCost": 0.0}));
    assert_eq!(b["fuelRecords"], json!({"count": 1, "totalCost": 35.0}));
    assert_eq!(b["taxRecords"], json!({"count": 1, "totalCost": 120.0}));
    assert_eq!(b["odometerRecords"], 1);
    assert_eq!(b["notes"], 1);
    assert_eq!(b["lastOdometer"], 2000);
    // 100 + 50.50 + 35 + 120 = 305.50 over 2000 − 1000 (the 0 reading is ignored).
    assert_eq!(b["totalCost"], 305.5);
    assert_eq!(b["distance"], 1000);
    assert_eq!(b["costPerDistance"], 0.3055);
    assert_eq!(
        b["plans"],
        json!({"count": 3, "backlog": 2, "inProgress": 0, "testing": 0, "done": 1})
    );
    let r = &b["reminders"];
    assert_eq!(r["count"], 3);
    assert_eq!(r["pastDue"], 1);
    assert_eq!(r["veryUrgent"], 0);
    assert_eq!(r["urgent"], 1);
    assert_eq!(r["notUrgent"], 1);
    assert_eq!(r["next"]["id"], past);
    assert_eq!(r["next"]["urgency"], "pastDue");
    assert_eq!(r["next"]["description"], "Inspection");

    // The costs are exact sums: 0.1 three times is 0.3.
    for _ in 0..3 {
        post(
            &app,
            &format!("{v}/tax-records"),
            json!({"date": "2024-01-01", "description": "Fine", "cost": 0.1}),
        )
        .await;
    }
    let s = app.get(&format!("{v}/summary")).await;
    assert_eq!(s.body["taxRecords"]["totalCost"], 120.3);
    assert_eq!(s.body["totalCost"], 305.8);
}

#[actix_web::test]
async fn an_empty_vehicle_and_a_single_reading_cost_nothing_per_distance() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let s = app
        .get(&format!("/api/v1/vehicles/{vehicle}/summary"))
        .await;
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.body["totalCost"], 0.0);
    assert_eq!(s.body["costPerDistance"], 0.0);
    assert_eq!(s.body["lastOdometer"], 0);
    assert_eq!(s.body["reminders"]["next"], Value::Null);
    assert_eq!(s.body["plans"]["count"], 0);

    // One fill-up (and its auto-inserted odometer record): distance 0, so 0 per distance.
    post(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
        json!({"date": "2024-03-01", "odometer": 2000, "fuelConsumed": 10, "cost": 35}),
    )
    .await;
    let s = app
        .get(&format!("/api/v1/vehicles/{vehicle}/summary"))
        .await;
    assert_eq!(s.body["totalCost"], 35.0);
    assert_eq!(s.body["distance"], 0);
    assert_eq!(s.body["costPerDistance"], 0.0);
    assert_eq!(s.body["odometerRecords"], 1);
}

#[actix_web::test]
async fn summaries_cover_exactly_the_visible_vehicles() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.put(
        "/api/v1/me/settings",
        &json!({"enableAutoOdometerInsert": false}),
    )
    .await;
    let first = vehicle_with_history(&app).await;
    let second = app.add_vehicle("Mazda").await;

    let all = app.get("/api/v1/vehicle-summaries").await;
    assert_eq!(all.status, 200, "{}", all.text);
    let summaries = all.body["summaries"].as_array().unwrap();
    let ids: Vec<i64> = summaries
        .iter()
        .map(|s| s["vehicleId"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![first, second]);
    assert_eq!(summaries[0]["costPerDistance"], 0.3055);
    assert_eq!(summaries[1]["totalCost"], 0.0);
    // The garage answer equals the single summary.
    let one = app.get(&format!("/api/v1/vehicles/{first}/summary")).await;
    assert_eq!(summaries[0], one.body);

    // Another user sees none of these.
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    for id in [first, second] {
        let s = app.get(&format!("/api/v1/vehicles/{id}/summary")).await;
        assert_eq!(s.status, 404, "{}", s.text);
        assert_eq!(s.code(), "not_found");
    }
    let mine = app.get("/api/v1/vehicle-summaries").await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body["summaries"], json!([]));
    assert_eq!(app.get("/api/v1/vehicles/abc/summary").await.status, 404);

    app.forget();
    assert_eq!(app.get("/api/v1/vehicle-summaries").await.status, 401);
}
