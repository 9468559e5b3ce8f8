//! Reports: the cost table (reference §3.4) and the vehicle history report (issue 8).

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/reports/cost-table"),
    ("get", "/api/v1/vehicles/{vehicleId}/reports/history"),
];

const PASSWORD: &str = "a long password";

async fn post(app: &TestApp, path: &str, body: Value) -> i64 {
    let reply = app.post(path, &body).await;
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

/// Bought 2022-03-01 for 20000, sold 2024-09-01 for 12000. Costs: service 100 + 20, repair
/// 250.50, upgrade 300, fuel 60 + 80 + 170, tax 120 + 130. Readings 9500 … 17800 and one 0
/// (ignored); the earliest record (an odometer reading on 2022-01-15) predates the purchase.
/// Returns the vehicle and the first service record.
async fn sold_vehicle(app: &mut TestApp) -> (i64, i64) {
    let settings = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    let vehicle = post(
        app,
        "/api/v1/vehicles",
        json!({
            "year": 2018, "make": "Honda", "model": "Civic", "licensePlate": "ABC-123",
            "purchaseDate": "2022-03-01", "purchasePrice": 20000,
            "soldDate": "2024-09-01", "soldPrice": 12000
        }),
    )
    .await;
    let v = format!("/api/v1/vehicles/{vehicle}");
    let oil = post(
        app,
        &format!("{v}/service-records"),
        json!({"date": "2022-04-01", "odometer": 10000, "description": "Oil change", "cost": 100, "tags": ["diy"], "notes": "5W-30"}),
    )
    .await;
    let records = [
        (
            "service-records",
            json!({"date": "2023-05-10", "odometer": 0, "description": "Wipers", "cost": 20}),
        ),
        (
            "repair-records",
            json!({"date": "2023-06-15", "odometer": 14000, "description": "Dent", "cost": "250.50", "tags": ["insurance"]}),
        ),
        (
            "upgrade-records",
            json!({"date": "2024-02-01", "odometer": 16000, "description": "Roof rack", "cost": 300}),
        ),
        (
            "fuel-records",
            json!({"date": "2022-03-05", "odometer": 9800, "fuelConsumed": 40, "cost": 60}),
        ),
        (
            "fuel-records",
            json!({"date": "2023-01-10", "odometer": 12000, "fuelConsumed": 50, "cost": 80, "tags": ["trip"]}),
        ),
        (
            "fuel-records",
            json!({"date": "2024-03-01", "odometer": 16800, "fuelConsumed": 100, "cost": 170}),
        ),
        (
            "tax-records",
            json!({"date": "2022-03-01", "description": "Registration", "cost": 120}),
        ),
        (
            "tax-records",
            json!({"date": "2023-03-01", "description": "Registration", "cost": 130}),
        ),
        (
            "odometer-records",
            json!({"date": "2022-01-15", "initialOdometer": 9000, "odometer": 9500}),
        ),
        (
            "odometer-records",
            json!({"date": "2024-08-01", "initialOdometer": 16800, "odometer": 17800}),
        ),
    ];
    for (segment, body) in records {
        post(app, &format!("{v}/{segment}"), body).await;
    }
    (vehicle, oil)
}

/// `(recordType, sum, perDistance, perDay)` of each line.
fn lines(table: &Value) -> Vec<(String, f64, f64, f64)> {
    table["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["recordType"].as_str().unwrap().to_owned(),
                l["sum"].as_f64().unwrap(),
                l["perDistance"].as_f64().unwrap(),
                l["perDay"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn line(kind: &str, sum: f64, per_distance: f64, per_day: f64) -> (String, f64, f64, f64) {
    (kind.to_owned(), sum, per_distance, per_day)
}

#[actix_web::test]
async fn the_cost_table_spreads_each_type_over_distance_and_ownership_days() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let (vehicle, _) = sold_vehicle(&mut app).await;
    let path = format!("/api/v1/vehicles/{vehicle}/reports/cost-table");

    // Every year: 17800 − 9500 = 8300; 2022-01-15 (the earliest record) → 2024-09-01 (sold)
    // = 960 days. Each figure is rounded to 4 decimals; the totals add the rounded lines.
    for query in ["", "?year=0"] {
        let t = app.get(&format!("{path}{query}")).await;
        assert_eq!(t.status, 200, "{}", t.text);
        let b = &t.body;
        assert_eq!(b["vehicleId"], vehicle);
        assert_eq!(b["year"], 0);
        assert_eq!(b["distance"], 8300);
        assert_eq!(b["days"], 960);
        assert_eq!(b["distanceUnit"], "mi");
        assert_eq!(
            lines(b),
            vec![
                line("service", 120.0, 0.0145, 0.125),
                line("repair", 250.5, 0.0302, 0.2609),
                line("upgrade", 300.0, 0.0361, 0.3125),
                line("fuel", 310.0, 0.0373, 0.3229),
                line("tax", 250.0, 0.0301, 0.2604),
            ]
        );
        assert_eq!(
            b["totals"],
            json!({"sum": 1230.5, "perDistance": 0.1482, "perDay": 1.2817})
        );
        assert_eq!(b["years"], json!([2024, 2023, 2022]));
    }

    // 2023: neither bought nor sold that year, so the whole year (365 days); its readings
    // 12000 and 14000 (the 0 is ignored) make 2000.
    let t = app.get(&format!("{path}?year=2023")).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.body["year"], 2023);
    assert_eq!(t.body["distance"], 2000);
    assert_eq!(t.body["days"], 365);
    assert_eq!(
        lines(&t.body),
        vec![
            line("service", 20.0, 0.01, 0.0548),
            line("repair", 250.5, 0.1253, 0.6863),
            line("upgrade", 0.0, 0.0, 0.0),
            line("fuel", 80.0, 0.04, 0.2192),
            line("tax", 130.0, 0.065, 0.3562),
        ]
    );
    assert_eq!(
        t.body["totals"],
        json!({"sum": 480.5, "perDistance": 0.2403, "perDay": 1.3165})
    );
    // The filter list still offers every year.
    assert_eq!(t.body["years"], json!([2024, 2023, 2022]));

    // Bought inside 2022: from 2022-03-01 to the year's end = 306 days. Sold inside 2024:
    // from 2024-01-01 to 2024-09-01 = 244 days. 2021 predates the purchase: no days.
    for (year, days) in [(2022, 306), (2024, 244), (2021, 0)] {
        let t = app.get(&format!("{path}?year={year}")).await;
        assert_eq!(t.status, 200, "{}", t.text);
        assert_eq!(t.body["days"], days, "{year}");
    }
    // 2022: tax 120 + fuel 60 + service 100; readings 9500, 9800, 10000 → 500.
    let t = app.get(&format!("{path}?year=2022")).await;
    assert_eq!(t.body["distance"], 500);
    assert_eq!(t.body["totals"]["sum"], 280.0);
    // 100 / 500 = 0.2 per distance, 100 / 306 = 0.3268 per day.
    assert_eq!(lines(&t.body)[0], line("service", 100.0, 0.2, 0.3268));
    let empty = app.get(&format!("{path}?year=2021")).await;
    assert_eq!(
        empty.body["totals"],
        json!({"sum": 0.0, "perDistance": 0.0, "perDay": 0.0})
    );

    // Metric users see kilometres.
    app.put("/api/v1/me/settings", &json!({"unitSystem": "metric"}))
        .await;
    let t = app.get(&path).await;
    assert_eq!(t.body["distanceUnit"], "km");
}

#[actix_web::test]
async fn an_unsold_vehicle_without_records_counts_from_today() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Mazda").await;
    let t = app
        .get(&format!("/api/v1/vehicles/{vehicle}/reports/cost-table"))
        .await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.body["days"], 0);
    assert_eq!(t.body["distance"], 0);
    assert_eq!(t.body["years"], json!([]));
    assert_eq!(t.body["lines"].as_array().unwrap().len(), 5);
    assert_eq!(
        t.body["totals"],
        json!({"sum": 0.0, "perDistance": 0.0, "perDay": 0.0})
    );
}

fn types(history: &Value) -> Vec<(String, String)> {
    history["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["recordType"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(date: &str, kind: &str) -> (String, String) {
    (date.to_owned(), kind.to_owned())
}

#[actix_web::test]
async fn the_history_lists_every_record_with_totals_and_depreciation() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let (vehicle, oil) = sold_vehicle(&mut app).await;
    let template = app
        .put(
            "/api/v1/extra-fields/service",
            &json!({"fields": [{"name": "Shop", "fieldType": "text"}, {"name": "Invoice", "fieldType": "text"}]}),
        )
        .await;
    assert_eq!(template.status, 200, "{}", template.text);
    let saved = app
        .put(
            &format!("/api/v1/vehicles/{vehicle}/service-records/{oil}/extra-fields"),
            &json!({"fields": [{"name": "Shop", "value": "Joe's"}]}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);

    let h = app
        .get(&format!("/api/v1/vehicles/{vehicle}/reports/history"))
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    let b = &h.body;
    assert_eq!(
        b["vehicle"],
        json!({
            "id": vehicle, "year": 2018, "make": "Honda", "model": "Civic",
            "licensePlate": "ABC-123", "purchaseDate": "2022-03-01", "soldDate": "2024-09-01",
            "purchasePrice": 20000.0, "soldPrice": 12000.0,
            // 2022-03-01 → 2024-09-01.
            "daysOwned": 915
        })
    );
    // Service, repair, upgrade, fuel and tax records, oldest first (odometer records are not
    // listed; a tax record reads 0 so it comes first on its day).
    assert_eq!(
        types(b),
        vec![
            row("2022-03-01", "tax"),
            row("2022-03-05", "fuel"),
            row("2022-04-01", "service"),
            row("2023-01-10", "fuel"),
            row("2023-03-01", "tax"),
            row("2023-05-10", "service"),
            row("2023-06-15", "repair"),
            row("2024-02-01", "upgrade"),
            row("2024-03-01", "fuel"),
        ]
    );
    let first_service = &b["records"][2];
    assert_eq!(first_service["id"], oil);
    assert_eq!(first_service["odometer"], 10000);
    assert_eq!(first_service["description"], "Oil change");
    assert_eq!(first_service["cost"], 100.0);
    assert_eq!(first_service["notes"], "5W-30");
    assert_eq!(first_service["tags"], json!(["diy"]));
    assert_eq!(
        first_service["extraFields"],
        json!([{"name": "Shop", "value": "Joe's"}])
    );
    assert_eq!(b["records"][1]["fuelConsumed"], 40.0);
    assert_eq!(b["records"][0]["fuelConsumed"], Value::Null);
    assert_eq!(b["extraFieldNames"], json!(["Shop", "Invoice"]));
    assert_eq!(b["availableTags"], json!(["diy", "insurance", "trip"]));
    assert_eq!(
        b["filter"],
        json!({"from": null, "to": null, "tags": [], "tagMode": "include"})
    );

    let t = &b["totals"];
    // 120 + 250.50 + 300 + 250 (fuel apart: 310).
    assert_eq!(t["totalCost"], 920.5);
    assert_eq!(t["totalFuelCost"], 310.0);
    assert_eq!(t["odometer"], 17800);
    assert_eq!(t["distance"], 8300);
    // The odometer records' own distances: 500 + 1000.
    assert_eq!(t["odometerDistance"], 1500);
    assert_eq!(t["costPerDistance"], 0.1109);
    assert_eq!(t["fuelCostPerDistance"], 0.0373);
    // (2200 + 4800) / (50 + 100); the first fill-up is the baseline.
    assert_eq!(t["averageFuelEconomy"], 46.67);
    assert_eq!(t["economyUnit"], "mpg");
    assert_eq!(t["distanceUnit"], "mi");
    assert_eq!(t["fuelUnit"], "gal");
    // 20000 − 12000 over 915 days and 8300 miles.
    assert_eq!(t["depreciation"], 8000.0);
    assert_eq!(t["depreciationPerDay"], 8.7432);
    assert_eq!(t["depreciationPerDistance"], 0.9639);
}

#[actix_web::test]
async fn the_history_filters_by_tags_and_dates() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let (vehicle, _) = sold_vehicle(&mut app).await;
    let path = format!("/api/v1/vehicles/{vehicle}/reports/history");

    // Include: only the fill-up tagged "trip". Its economy still counts the distance since
    // the fill-up before (12000 − 9800 over 50); one reading is no distance.
    let h = app.get(&format!("{path}?tags=trip&tagMode=include")).await;
    assert_eq!(h.status, 200, "{}", h.text);
    assert_eq!(types(&h.body), vec![row("2023-01-10", "fuel")]);
    let t = &h.body["totals"];
    assert_eq!(t["totalCost"], 0.0);
    assert_eq!(t["totalFuelCost"], 80.0);
    assert_eq!(t["distance"], 0);
    assert_eq!(t["odometerDistance"], 0);
    assert_eq!(t["averageFuelEconomy"], 44.0);
    assert_eq!(t["costPerDistance"], 0.0);
    // The depreciation does not depend on the filter; per distance needs distance.
    assert_eq!(t["depreciation"], 8000.0);
    assert_eq!(t["depreciationPerDistance"], Value::Null);
    assert_eq!(
        h.body["filter"],
        json!({"from": null, "to": null, "tags": ["trip"], "tagMode": "include"})
    );
    // Include is the default mode; LubeLogger's `includeOnly` means the same.
    for query in ["?tags=trip", "?tags=trip&tagMode=includeOnly"] {
        let same = app.get(&format!("{path}{query}")).await;
        assert_eq!(
            types(&same.body),
            vec![row("2023-01-10", "fuel")],
            "{query}"
        );
    }

    // Exclude: everything but the records tagged "diy" or "insurance".
    let h = app
        .get(&format!("{path}?tags=diy,insurance&tagMode=exclude"))
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    assert_eq!(
        types(&h.body),
        vec![
            row("2022-03-01", "tax"),
            row("2022-03-05", "fuel"),
            row("2023-01-10", "fuel"),
            row("2023-03-01", "tax"),
            row("2023-05-10", "service"),
            row("2024-02-01", "upgrade"),
            row("2024-03-01", "fuel"),
        ]
    );
    // 20 + 300 + 120 + 130.
    assert_eq!(h.body["totals"]["totalCost"], 570.0);
    assert_eq!(h.body["totals"]["distance"], 8300);

    // A date range, inclusive: 2023 only. Readings 12000, 0 (ignored), 14000.
    let h = app
        .get(&format!("{path}?from=2023-01-10&to=2023-06-15"))
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    assert_eq!(
        types(&h.body),
        vec![
            row("2023-01-10", "fuel"),
            row("2023-03-01", "tax"),
            row("2023-05-10", "service"),
            row("2023-06-15", "repair"),
        ]
    );
    let t = &h.body["totals"];
    // 130 + 20 + 250.50, over 2000.
    assert_eq!(t["totalCost"], 400.5);
    assert_eq!(t["totalFuelCost"], 80.0);
    assert_eq!(t["distance"], 2000);
    assert_eq!(t["odometer"], 14000);
    assert_eq!(t["costPerDistance"], 0.2003);
    assert_eq!(t["fuelCostPerDistance"], 0.04);
    assert_eq!(t["depreciationPerDistance"], 4.0);

    // Both at once: 2023 without the insurance work.
    let h = app
        .get(&format!(
            "{path}?from=2023-01-01&to=2023-12-31&tags=insurance&tagMode=exclude"
        ))
        .await;
    assert_eq!(h.body["records"].as_array().unwrap().len(), 3);
    assert_eq!(h.body["totals"]["totalCost"], 150.0);
}

#[actix_web::test]
async fn depreciation_needs_a_sold_price() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let unsold = post(
        &app,
        "/api/v1/vehicles",
        json!({"year": 2020, "make": "Kia", "model": "Rio", "purchaseDate": "2021-01-01", "purchasePrice": 9000}),
    )
    .await;
    let h = app
        .get(&format!("/api/v1/vehicles/{unsold}/reports/history"))
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    let t = &h.body["totals"];
    assert_eq!(t["depreciation"], Value::Null);
    assert_eq!(t["depreciationPerDay"], Value::Null);
    assert_eq!(t["averageFuelEconomy"], Value::Null);
    assert_eq!(h.body["records"], json!([]));
    // Owned until today: at least the days since 2021-01-01.
    assert!(h.body["vehicle"]["daysOwned"].as_i64().unwrap() > 1400);

    // Sold for more than it cost: a negative depreciation, positive rates.
    let gain = post(
        &app,
        "/api/v1/vehicles",
        json!({"year": 1970, "make": "Ford", "model": "Mustang", "purchaseDate": "2020-01-01",
               "purchasePrice": 30000, "soldDate": "2021-01-01", "soldPrice": 33660}),
    )
    .await;
    let h = app
        .get(&format!("/api/v1/vehicles/{gain}/reports/history"))
        .await;
    let t = &h.body["totals"];
    // 30000 − 33660 over 366 days (2020 is a leap year).
    assert_eq!(h.body["vehicle"]["daysOwned"], 366);
    assert_eq!(t["depreciation"], -3660.0);
    assert_eq!(t["depreciationPerDay"], 10.0);
    assert_eq!(t["depreciationPerDistance"], Value::Null);

    // No purchase date: no days owned.
    let bare = app.add_vehicle("Fiat").await;
    let h = app
        .get(&format!("/api/v1/vehicles/{bare}/reports/history"))
        .await;
    assert_eq!(h.body["vehicle"]["daysOwned"], Value::Null);
}

#[actix_web::test]
async fn bad_filters_are_refused_with_problems() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let table = format!("/api/v1/vehicles/{vehicle}/reports/cost-table");
    let history = format!("/api/v1/vehicles/{vehicle}/reports/history");

    let cases = [
        (format!("{table}?year=1700"), 422, Some("year")),
        (format!("{table}?year=99999"), 422, Some("year")),
        (format!("{table}?year=abc"), 400, None),
        (format!("{history}?from=2024-13-01"), 422, Some("from")),
        (format!("{history}?to=yesterday"), 422, Some("to")),
        (
            format!("{history}?from=2024-05-01&to=2024-04-01"),
            422,
            Some("to"),
        ),
        (
            format!("{history}?tags=a&tagMode=maybe"),
            422,
            Some("tagMode"),
        ),
    ];
    for (path, status, field) in cases {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, status, "{path}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json", "{path}");
        if let Some(field) = field {
            assert_eq!(reply.error_fields(), vec![field.to_owned()], "{path}");
        }
    }
    // The same day on both ends is a valid range; blank values mean no filter.
    let ok = app
        .get(&format!("{history}?from=2024-05-01&to=2024-05-01"))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let blank = app
        .get(&format!("{history}?from=&to=&tags=&tagMode="))
        .await;
    assert_eq!(blank.status, 200, "{}", blank.text);
}

#[actix_web::test]
async fn reports_answer_only_those_who_may_see_the_vehicle() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.add_user("eve", PASSWORD).await;
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Family").await;
    post(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/service-records"),
        json!({"date": "2024-01-05", "odometer": 1000, "description": "Oil", "cost": 60}),
    )
    .await;
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let paths = [
        format!("/api/v1/vehicles/{vehicle}/reports/cost-table"),
        format!("/api/v1/vehicles/{vehicle}/reports/history"),
    ];

    // A household viewer reads both.
    app.login("bob", PASSWORD).await;
    for path in &paths {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    }
    let h = app.get(&paths[1]).await;
    assert_eq!(h.body["totals"]["totalCost"], 60.0);

    // Someone else: not found, as if it did not exist; so is a vehicle that does not.
    app.login("eve", PASSWORD).await;
    for path in &paths {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    assert_eq!(
        app.get("/api/v1/vehicles/999999/reports/history")
            .await
            .status,
        404
    );

    // Signed out.
    app.forget();
    for path in &paths {
        assert_eq!(app.get(path).await.status, 401, "{path}");
    }
}
