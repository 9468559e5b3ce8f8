//! Vehicle dashboard: expense make-up, cost and distance by month, fuel economy by month, reminders as of a date (issue 8).

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/vehicles/{vehicleId}/dashboard")];

const PASSWORD: &str = "correct horse battery";

async fn post(app: &TestApp, path: &str, body: Value) -> i64 {
    let reply = app.post(path, &body).await;
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// A known history (no auto-inserted odometer records):
///
/// | month   | service       | repair | upgrade | fuel          | tax | odometer distance |
/// |---------|---------------|--------|---------|---------------|-----|-------------------|
/// | 2023-11 | 80            |        |         |               |     |                   |
/// | 2023-12 |               |        |         |               | 30  | 700               |
/// | 2024-01 | 60 + 40.25    |        |         | 35 + 36 + 37  | 120 | 700               |
/// | 2024-02 |               | 150.50 |         | 40            |     | 300               |
/// | 2024-03 |               |        | 99.99   |               |     |                   |
///
/// Fill-ups (all full): 10000 baseline, +300 on 10 → 30 mpg, +400 on 10 → 40 mpg (both
/// January), +300 on 12 → 25 mpg (February).
async fn vehicle_with_history(app: &TestApp) -> i64 {
    let vehicle = app.add_vehicle("Honda").await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    for (kind, date, odometer, cost) in [
        ("service", "2023-11-10", 9000, json!(80)),
        ("service", "2024-01-05", 10000, json!(60)),
        ("service", "2024-01-20", 10300, json!("40.25")),
        ("repair", "2024-02-10", 10800, json!("150.50")),
        ("upgrade", "2024-03-03", 11000, json!(99.99)),
    ] {
        post(
            app,
            &format!("{v}/{kind}-records"),
            json!({"date": date, "odometer": odometer, "description": kind, "cost": cost}),
        )
        .await;
    }
    for (date, cost) in [("2023-12-15", 30), ("2024-01-01", 120)] {
        post(
            app,
            &format!("{v}/tax-records"),
            json!({"date": date, "description": "Registration", "cost": cost}),
        )
        .await;
    }
    for (date, odometer, fuel, cost) in [
        ("2024-01-02", 10000, 10, 35),
        ("2024-01-16", 10300, 10, 36),
        ("2024-01-30", 10700, 10, 37),
        ("2024-02-14", 11000, 12, 40),
    ] {
        post(
            app,
            &format!("{v}/fuel-records"),
            json!({"date": date, "odometer": odometer, "fuelConsumed": fuel, "cost": cost, "isFillToFull": true}),
        )
        .await;
    }
    for (date, initial, odometer) in [
        ("2023-12-20", 8500, 9200),
        ("2024-01-31", 10000, 10700),
        ("2024-02-28", 10700, 11000),
    ] {
        post(
            app,
            &format!("{v}/odometer-records"),
            json!({"date": date, "initialOdometer": initial, "odometer": odometer}),
        )
        .await;
    }
    vehicle
}

async fn signed_in_without_auto_odometer() -> TestApp {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let settings = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    app
}

/// `(year, month, total cost)` of each month.
fn month_totals(body: &Value) -> Vec<(i64, i64, f64)> {
    body["costByMonth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["year"].as_i64().unwrap(),
                m["month"].as_i64().unwrap(),
                m["costs"]["total"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn month(body: &Value, series: &str, year: i64, month: i64) -> Value {
    body[series]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["year"] == year && m["month"] == month)
        .cloned()
        .unwrap_or(Value::Null)
}

#[actix_web::test]
async fn a_year_has_twelve_months_of_exact_sums_distances_and_economy() {
    let app = signed_in_without_auto_odometer().await;
    let vehicle = vehicle_with_history(&app).await;
    let d = app
        .get(&format!("/api/v1/vehicles/{vehicle}/dashboard?year=2024"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    let b = &d.body;
    assert_eq!(b["vehicleId"], vehicle);
    assert_eq!(b["year"], 2024);
    assert_eq!(b["years"], json!([2024, 2023]));
    // 60 + 40.25; 150.50; 99.99; 35 + 36 + 37 + 40; 120 — exact, not float sums.
    assert_eq!(
        b["expenses"],
        json!({"service": 100.25, "repair": 150.5, "upgrade": 99.99, "fuel": 148.0, "tax": 120.0, "total": 618.74})
    );
    let totals = month_totals(b);
    assert_eq!(totals.len(), 12);
    assert_eq!(
        totals.iter().map(|t| t.2).collect::<Vec<_>>(),
        vec![
            328.25, 190.5, 99.99, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
        ]
    );
    assert_eq!(
        month(b, "costByMonth", 2024, 1)["costs"],
        json!({"service": 100.25, "repair": 0.0, "upgrade": 0.0, "fuel": 108.0, "tax": 120.0, "total": 328.25})
    );
    let distances: Vec<i64> = b["distanceByMonth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["distance"].as_i64().unwrap())
        .collect();
    assert_eq!(distances, vec![700, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // January: (30 + 40) / 2; February: 300 / 12; the year: (30 + 40 + 25) / 3 = 31.666….
    assert_eq!(
        month(b, "economyByMonth", 2024, 1),
        json!({"year": 2024, "month": 1, "economy": 35.0, "fillUps": 2})
    );
    assert_eq!(month(b, "economyByMonth", 2024, 2)["economy"], 25.0);
    assert_eq!(month(b, "economyByMonth", 2024, 3)["economy"], Value::Null);
    assert_eq!(month(b, "economyByMonth", 2024, 3)["fillUps"], 0);
    assert_eq!(b["averageEconomy"], 31.67);
    assert_eq!(b["economyUnit"], "mpg");
    assert_eq!(b["distanceUnit"], "mi");
    assert_eq!(b["currentOdometer"], 11000);

    // 2023: only its own months and costs; no fill-ups.
    let d = app
        .get(&format!("/api/v1/vehicles/{vehicle}/dashboard?year=2023"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.body["expenses"]["total"], 110.0);
    assert_eq!(d.body["expenses"]["service"], 80.0);
    assert_eq!(d.body["expenses"]["tax"], 30.0);
    assert_eq!(month(&d.body, "distanceByMonth", 2023, 12)["distance"], 700);
    assert_eq!(d.body["averageEconomy"], Value::Null);
    // A year without records: twelve empty months.
    let d = app
        .get(&format!("/api/v1/vehicles/{vehicle}/dashboard?year=2019"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.body["expenses"]["total"], 0.0);
    assert_eq!(d.body["costByMonth"].as_array().unwrap().len(), 12);
    assert_eq!(d.body["years"], json!([2024, 2023]));
}

#[actix_web::test]
async fn all_years_run_from_the_first_month_to_the_last() {
    let app = signed_in_without_auto_odometer().await;
    let vehicle = vehicle_with_history(&app).await;
    let d = app
        .get(&format!("/api/v1/vehicles/{vehicle}/dashboard"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    let b = &d.body;
    assert_eq!(b["year"], Value::Null);
    assert_eq!(
        month_totals(b),
        vec![
            (2023, 11, 80.0),
            (2023, 12, 30.0),
            (2024, 1, 328.25),
            (2024, 2, 190.5),
            (2024, 3, 99.99)
        ]
    );
    assert_eq!(b["expenses"]["total"], 728.74);
    let distances: Vec<i64> = b["distanceByMonth"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["distance"].as_i64().unwrap())
        .collect();
    assert_eq!(distances, vec![0, 700, 700, 300, 0]);
    assert_eq!(b["economyByMonth"].as_array().unwrap().len(), 5);

    // In the caller's units: metric gives L/100km, 100 / (30 and 40) → (3.333… + 2.5) / 2.
    let settings = app
        .put("/api/v1/me/settings", &json!({"unitSystem": "metric"}))
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    let d = app
        .get(&format!("/api/v1/vehicles/{vehicle}/dashboard"))
        .await;
    assert_eq!(d.body["economyUnit"], "L/100km");
    assert_eq!(d.body["distanceUnit"], "km");
    assert_eq!(month(&d.body, "economyByMonth", 2024, 1)["economy"], 2.92);
    assert_eq!(month(&d.body, "economyByMonth", 2024, 2)["economy"], 4.0);

    // An empty vehicle: no months, no years, nothing owed.
    let empty = app.add_vehicle("Empty").await;
    let d = app
        .get(&format!("/api/v1/vehicles/{empty}/dashboard"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!(d.body["costByMonth"], json!([]));
    assert_eq!(d.body["years"], json!([]));
    assert_eq!(d.body["expenses"]["total"], 0.0);
    assert_eq!(d.body["reminders"], json!([]));
}

#[actix_web::test]
async fn reminders_are_judged_as_of_the_day_asked_for() {
    let app = signed_in_without_auto_odometer().await;
    let vehicle = vehicle_with_history(&app).await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    let inspection = post(
        &app,
        &format!("{v}/reminders"),
        json!({"description": "Inspection", "metric": "date", "dueDate": "2024-03-01"}),
    )
    .await;
    // 11080 < 11000 + 100, not < 11000 + 50: urgent whatever the day.
    let tyres = post(
        &app,
        &format!("{v}/reminders"),
        json!({"description": "Tyres", "metric": "odometer", "dueOdometer": 11080}),
    )
    .await;
    // (asOf, inspection's urgency, first reminder) with the default 30 / 7 days; at equal
    // urgency the one with a due date comes first, as in the reminder list.
    let cases = [
        ("2024-01-01", "notUrgent", tyres),
        ("2024-02-15", "urgent", inspection),
        ("2024-02-25", "veryUrgent", inspection),
        ("2024-03-02", "pastDue", inspection),
    ];
    for (as_of, urgency, first) in cases {
        let d = app.get(&format!("{v}/dashboard?asOf={as_of}")).await;
        assert_eq!(d.status, 200, "{}", d.text);
        assert_eq!(d.body["asOf"], as_of);
        let list = d.body["reminders"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["id"], first, "{as_of}");
        let found = list.iter().find(|r| r["id"] == inspection).unwrap();
        assert_eq!(found["urgency"], urgency, "{as_of}");
        let t = list.iter().find(|r| r["id"] == tyres).unwrap();
        assert_eq!(t["urgency"], "urgent", "{as_of}");
        assert_eq!(t["dueDistance"], 80);
        assert_eq!(t["dueDays"], Value::Null);
    }
    // Days are counted from the day asked for (truncated, so 59 or 60 depending on the hour).
    let d = app.get(&format!("{v}/dashboard?asOf=2024-01-01")).await;
    let found = d.body["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == inspection)
        .cloned()
        .unwrap();
    assert!(
        (59..=60).contains(&found["dueDays"].as_i64().unwrap()),
        "{found}"
    );
    // Without asOf: today, so a due date long past is past due.
    let d = app.get(&format!("{v}/dashboard")).await;
    let today = chrono::Utc::now().date_naive().to_string();
    assert_eq!(d.body["asOf"], today);
    assert_eq!(d.body["reminders"][0]["urgency"], "pastDue");
}

#[actix_web::test]
async fn strangers_get_404_and_household_viewers_may_read() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "vic"] {
        app.add_user(name, PASSWORD).await;
    }
    // The root heads no household: Ann owns the vehicle and shares it with Vic.
    app.login("ann", PASSWORD).await;
    app.put(
        "/api/v1/me/settings",
        &json!({"enableAutoOdometerInsert": false}),
    )
    .await;
    let vehicle = vehicle_with_history(&app).await;
    let path = format!("/api/v1/vehicles/{vehicle}/dashboard?year=2024");
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "vic", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);

    app.login("bob", PASSWORD).await;
    let stranger = app.get(&path).await;
    assert_eq!(stranger.status, 404, "{}", stranger.text);
    assert_eq!(stranger.code(), "not_found");
    assert_eq!(
        app.get("/api/v1/vehicles/999999/dashboard").await.status,
        404
    );
    assert_eq!(app.get("/api/v1/vehicles/abc/dashboard").await.status, 404);

    app.login("vic", PASSWORD).await;
    let viewer = app.get(&path).await;
    assert_eq!(viewer.status, 200, "{}", viewer.text);
    assert_eq!(viewer.body["expenses"]["total"], 618.74);

    app.forget();
    assert_eq!(app.get(&path).await.status, 401);
}

#[actix_web::test]
async fn a_bad_year_or_day_is_refused_with_the_parameter_named() {
    let app = signed_in_without_auto_odometer().await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = format!("/api/v1/vehicles/{vehicle}/dashboard");
    let cases = [
        ("?year=abc", vec!["year"]),
        ("?year=1800", vec!["year"]),
        ("?year=2024.5", vec!["year"]),
        ("?asOf=2024-02-30", vec!["asOf"]),
        ("?asOf=yesterday", vec!["asOf"]),
        ("?year=0&asOf=01/02/2024", vec!["year", "asOf"]),
    ];
    for (query, fields) in cases {
        let reply = app.get(&format!("{base}{query}")).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.error_fields(), fields, "{query}");
    }
    // A repeated parameter cannot be read at all: 400.
    let reply = app.get(&format!("{base}?year=2023&year=2024")).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.content_type(), "application/problem+json");
    // Empty values mean "not given".
    let reply = app.get(&format!("{base}?year=&asOf=")).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["year"], Value::Null);
}
