//! Odometer records: CRUD with distances, the add default, recalculation, auto-insert from fuel
//! records, fuel state of charge, and the vehicle's current odometer.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/odometer-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/odometer-records"),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/odometer-records/recalculate",
    ),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}",
    ),
];

fn path(vehicle: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/odometer-records")
}

async fn add(app: &TestApp, vehicle: i64, body: &Value) -> Value {
    let reply = app.post(&path(vehicle), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

/// (initialOdometer, odometer, distance) of each listed record, newest first.
fn figures(list: &Value) -> Vec<(i64, i64, i64)> {
    list["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["initialOdometer"].as_i64().unwrap(),
                r["odometer"].as_i64().unwrap(),
                r["distance"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Auto-insert would add records of its own; these tests create odometer records directly.
async fn auto_insert_off(app: &TestApp) {
    let reply = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[actix_web::test]
async fn crud_with_distances_and_the_initial_reading_default() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = path(vehicle);

    // No records: an omitted initial reading becomes 0, so the distance is the whole reading.
    let first = add(
        &app,
        vehicle,
        &json!({"date": "2024-01-01", "odometer": 1000}),
    )
    .await;
    assert_eq!(first["initialOdometer"], 0);
    assert_eq!(first["distance"], 1000);
    // Omitted, null or 0: the highest odometer-record reading (1000, then 1300).
    let second = add(
        &app,
        vehicle,
        &json!({"date": "2024-01-10", "odometer": 1300, "initialOdometer": null, "notes": "trip", "tags": ["work"]}),
    )
    .await;
    assert_eq!(
        (
            second["initialOdometer"].as_i64(),
            second["distance"].as_i64()
        ),
        (Some(1000), Some(300))
    );
    assert_eq!(second["notes"], "trip");
    assert_eq!(second["tags"], json!(["work"]));
    let third = add(
        &app,
        vehicle,
        &json!({"date": "2024-01-20", "odometer": 1600, "initialOdometer": 0}),
    )
    .await;
    assert_eq!(third["initialOdometer"], 1300);
    // An explicit value is kept.
    let fourth = add(
        &app,
        vehicle,
        &json!({"date": "2024-01-25", "odometer": 1700, "initialOdometer": 1650}),
    )
    .await;
    assert_eq!(fourth["distance"], 50);
    // Back-dated below the highest reading: the default is clamped, distance 0.
    let back = add(
        &app,
        vehicle,
        &json!({"date": "2023-12-01", "odometer": 900}),
    )
    .await;
    assert_eq!(
        (back["initialOdometer"].as_i64(), back["distance"].as_i64()),
        (Some(900), Some(0))
    );

    let list = app.get(&base).await;
    assert_eq!(list.status, 200);
    assert_eq!(
        figures(&list.body),
        vec![
            (1650, 1700, 50),
            (1300, 1600, 300),
            (1000, 1300, 300),
            (0, 1000, 1000),
            (900, 900, 0),
        ]
    );
    // 50 + 300 + 300 + 1000 + 0.
    assert_eq!(list.body["totalDistance"], 1650);

    let id = second["id"].as_i64().unwrap();
    let one = app.get(&format!("{base}/{id}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["tags"], json!(["work"]));

    // PUT without an initial reading keeps the stored one (1000): 1000 → 1400 = 400.
    let put = app
        .put(
            &format!("{base}/{id}"),
            &json!({"date": "2024-01-10", "odometer": 1400}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(
        (
            put.body["initialOdometer"].as_i64(),
            put.body["distance"].as_i64()
        ),
        (Some(1000), Some(400))
    );
    assert_eq!(put.body["tags"], json!([]));
    // …and the kept value must still fit under the new reading.
    let below = app
        .put(
            &format!("{base}/{id}"),
            &json!({"date": "2024-01-10", "odometer": 999}),
        )
        .await;
    assert_eq!(below.status, 422);
    assert_eq!(below.error_fields(), vec!["initialOdometer"]);
    let explicit = app
        .put(
            &format!("{base}/{id}"),
            &json!({"date": "2024-01-10", "odometer": 999, "initialOdometer": 0}),
        )
        .await;
    assert_eq!(explicit.status, 200);
    assert_eq!(explicit.body["distance"], 999);

    let v = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(v.body["currentOdometer"], 1700);

    assert_eq!(app.delete(&format!("{base}/{id}")).await.status, 204);
    assert_eq!(app.get(&format!("{base}/{id}")).await.status, 404);
    assert_eq!(app.delete(&format!("{base}/{id}")).await.status, 404);
    assert_eq!(
        app.get(&base).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[actix_web::test]
async fn recalculate_chains_the_initial_readings() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    // Entered out of order with explicit (wrong) initial readings, as after an import.
    for (date, initial, odometer) in [
        ("2024-01-20", 5, 1600),
        ("2024-01-01", 7, 1000),
        ("2024-01-10", 1, 1350),
        ("2024-01-10", 3, 1300),
    ] {
        add(
            &app,
            vehicle,
            &json!({"date": date, "odometer": odometer, "initialOdometer": initial}),
        )
        .await;
    }
    let reply = app
        .post(&format!("{}/recalculate", path(vehicle)), &json!({}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // Sorted by date then reading: 1000 (starts at itself), 1300, 1350, 1600.
    let expected = vec![
        (1350, 1600, 250),
        (1300, 1350, 50),
        (1000, 1300, 300),
        (1000, 1000, 0),
    ];
    assert_eq!(figures(&reply.body), expected);
    assert_eq!(reply.body["totalDistance"], 600);
    // Saved, and running it again changes nothing.
    assert_eq!(figures(&app.get(&path(vehicle)).await.body), expected);
    let again = app
        .post(&format!("{}/recalculate", path(vehicle)), &json!({}))
        .await;
    assert_eq!(figures(&again.body), expected);

    // An empty vehicle: an empty list.
    let empty = app.add_vehicle("Empty").await;
    let none = app
        .post(&format!("{}/recalculate", path(empty)), &json!({}))
        .await;
    assert_eq!(none.status, 200);
    assert_eq!(none.body["records"], json!([]));
    assert_eq!(none.body["totalDistance"], 0);
}

#[actix_web::test]
async fn bad_input_and_foreign_vehicles() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    auto_insert_off(&app).await;
    let base = path(vehicle);
    let cases = [
        (json!({"date": "2024-01-01"}), "odometer"),
        (json!({"odometer": 5}), "date"),
        (json!({"date": "2024-01-01", "odometer": -1}), "odometer"),
        (json!({"date": "2024-01-01", "odometer": "5"}), "odometer"),
        (
            json!({"date": "2024-01-01", "odometer": 5, "initialOdometer": 6}),
            "initialOdometer",
        ),
        (
            json!({"date": "2024-01-01", "odometer": 5, "initialOdometer": -6}),
            "initialOdometer",
        ),
        (
            json!({"date": "2024-01-01", "odometer": 5, "initialMileage": 1}),
            "initialMileage",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post(&base, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }
    assert_eq!(app.get(&base).await.body["records"], json!([]));

    let id = add(
        &app,
        vehicle,
        &json!({"date": "2024-01-01", "odometer": 10}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let other = app.add_vehicle("Other").await;
    assert_eq!(
        app.get(&format!("{}/{id}", path(other))).await.status,
        404,
        "a record under another vehicle's path"
    );
    assert_eq!(app.get(&format!("{base}/x")).await.status, 404);

    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let replies = [
        app.get(&base).await,
        app.post(&base, &json!({"date": "2024-01-01", "odometer": 1}))
            .await,
        app.post(&format!("{base}/recalculate"), &json!({})).await,
        app.get(&format!("{base}/{id}")).await,
        app.put(
            &format!("{base}/{id}"),
            &json!({"date": "2024-01-01", "odometer": 1}),
        )
        .await,
        app.delete(&format!("{base}/{id}")).await,
    ];
    for reply in replies {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
}

fn fill(date: &str, odometer: i64, notes: &str) -> Value {
    json!({"date": date, "odometer": odometer, "fuelConsumed": 10, "cost": 40, "notes": notes})
}

#[actix_web::test]
async fn a_fuel_record_inserts_an_odometer_record_unless_switched_off() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let fuel = format!("/api/v1/vehicles/{vehicle}/fuel-records");
    // The setting defaults to on.
    assert_eq!(
        app.get("/api/v1/me/settings").await.body["enableAutoOdometerInsert"],
        true
    );

    assert_eq!(
        app.post(&fuel, &fill("2024-01-01", 1000, "first fill"))
            .await
            .status,
        201
    );
    let list = app.get(&path(vehicle)).await;
    assert_eq!(figures(&list.body), vec![(1000, 1000, 0)]);
    assert_eq!(list.body["records"][0]["date"], "2024-01-01");
    assert_eq!(
        list.body["records"][0]["notes"],
        "Auto Insert From Fuel Record: first fill"
    );

    assert_eq!(
        app.post(&fuel, &fill("2024-01-10", 1300, "")).await.status,
        201
    );
    let list = app.get(&path(vehicle)).await;
    assert_eq!(
        figures(&list.body),
        vec![(1000, 1300, 300), (1000, 1000, 0)]
    );
    assert_eq!(
        list.body["records"][0]["notes"],
        "Auto Insert From Fuel Record"
    );

    // A rejected fuel record inserts nothing.
    let mut bad = fill("2024-01-12", 1400, "");
    bad["cost"] = json!(-1);
    assert_eq!(app.post(&fuel, &bad).await.status, 422);
    assert_eq!(
        app.get(&path(vehicle)).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    auto_insert_off(&app).await;
    assert_eq!(
        app.post(&fuel, &fill("2024-01-20", 1600, "")).await.status,
        201
    );
    assert_eq!(
        app.get(&path(vehicle)).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The current odometer still sees the fuel record.
    let v = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(v.body["currentOdometer"], 1600);
}

#[actix_web::test]
async fn fuel_records_keep_the_state_of_charge() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Tesla").await;
    let fuel = format!("/api/v1/vehicles/{vehicle}/fuel-records");

    // Existing clients send neither field: both null.
    let plain = app.post(&fuel, &fill("2024-01-01", 100, "")).await;
    assert_eq!(plain.status, 201, "{}", plain.text);
    assert_eq!(plain.body["startingSoc"], Value::Null);
    assert_eq!(plain.body["endingSoc"], Value::Null);

    let mut charge = fill("2024-01-02", 200, "");
    charge["startingSoc"] = json!(20);
    charge["endingSoc"] = json!(80);
    let made = app.post(&fuel, &charge).await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["startingSoc"], 20);
    assert_eq!(made.body["endingSoc"], 80);
    let id = made.body["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("{fuel}/{id}")).await.body["endingSoc"], 80);

    // Boundaries 0 and 100 are fine; null clears.
    charge["startingSoc"] = json!(0);
    charge["endingSoc"] = json!(100);
    let edge = app.put(&format!("{fuel}/{id}"), &charge).await;
    assert_eq!(edge.status, 200, "{}", edge.text);
    assert_eq!(
        (
            edge.body["startingSoc"].as_i64(),
            edge.body["endingSoc"].as_i64()
        ),
        (Some(0), Some(100))
    );
    charge["startingSoc"] = Value::Null;
    let cleared = app.put(&format!("{fuel}/{id}"), &charge).await;
    assert_eq!(cleared.body["startingSoc"], Value::Null);
    assert_eq!(cleared.body["endingSoc"], 100);

    for (start, end, fields) in [
        (json!(101), json!(50), vec!["startingSoc"]),
        (json!(10), json!(-1), vec!["endingSoc"]),
        (json!(-5), json!(250), vec!["startingSoc", "endingSoc"]),
        (json!("full"), json!(50), vec!["startingSoc"]),
        (json!(50.5), json!(50), vec!["startingSoc"]),
    ] {
        let mut body = fill("2024-01-03", 300, "");
        body["startingSoc"] = start;
        body["endingSoc"] = end;
        let reply = app.post(&fuel, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), fields, "{body}");
    }
    let list = app.get(&fuel).await;
    assert_eq!(list.body["records"].as_array().unwrap().len(), 2);
    assert_eq!(list.body["records"][0]["endingSoc"], 100);
}

#[actix_web::test]
async fn the_current_odometer_is_the_highest_reading_of_any_record() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    auto_insert_off(&app).await;
    let (a, b, c) = (
        app.add_vehicle("A").await,
        app.add_vehicle("B").await,
        app.add_vehicle("C").await,
    );
    // A: fuel 1000, service 1500, odometer 1200 → 1500.
    app.post(
        &format!("/api/v1/vehicles/{a}/fuel-records"),
        &fill("2024-01-01", 1000, ""),
    )
    .await;
    app.post(
        &format!("/api/v1/vehicles/{a}/service-records"),
        &json!({"date": "2024-01-02", "odometer": 1500, "description": "Oil"}),
    )
    .await;
    add(&app, a, &json!({"date": "2024-01-03", "odometer": 1200})).await;
    // B: only an odometer record, 800.
    add(&app, b, &json!({"date": "2024-01-03", "odometer": 800})).await;
    // C: nothing → 0.
    let list = app.get("/api/v1/vehicles").await;
    let current: Vec<(i64, i64)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap(),
                v["currentOdometer"].as_i64().unwrap(),
            )
        })
        .collect();
    for (id, expected) in [(a, 1500), (b, 800), (c, 0)] {
        assert!(current.contains(&(id, expected)), "{id}: {current:?}");
        assert_eq!(
            app.get(&format!("/api/v1/vehicles/{id}")).await.body["currentOdometer"],
            expected
        );
    }
}

/// Equipment rows go straight into the database here, to test the odometer side alone.
async fn equipment(app: &TestApp, vehicle: i64, description: &str, equipped: bool) -> i64 {
    use motovault_api::store::entity::equipment;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let now = chrono::Utc::now();
    equipment::ActiveModel {
        vehicle_id: Set(vehicle),
        description: Set(description.to_owned()),
        is_equipped: Set(equipped),
        notes: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

#[actix_web::test]
async fn auto_inserted_records_link_the_equipped_equipment() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Other").await;
    let winter = equipment(&app, vehicle, "Winter tyres", true).await;
    let trailer = equipment(&app, vehicle, "Trailer", true).await;
    equipment(&app, vehicle, "Summer tyres", false).await;
    equipment(&app, other, "Roof box", true).await;

    app.post(
        &format!("/api/v1/vehicles/{vehicle}/service-records"),
        &json!({"date": "2024-02-01", "odometer": 5000, "description": "Swap"}),
    )
    .await;
    let manual = add(
        &app,
        vehicle,
        &json!({"date": "2024-02-02", "odometer": 5100}),
    )
    .await;
    assert_eq!(manual["equipmentIds"], json!([]), "only auto-inserts link");

    let list = app.get(&path(vehicle)).await;
    let records = list.body["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["equipmentIds"], json!([winter, trailer]));
    let auto_id = records[1]["id"].as_i64().unwrap();
    let one = app.get(&format!("{}/{auto_id}", path(vehicle))).await;
    assert_eq!(one.body["equipmentIds"], json!([winter, trailer]));
    // A replace keeps the links; a delete takes them along (cascade).
    let put = app
        .put(
            &format!("{}/{auto_id}", path(vehicle)),
            &json!({"date": "2024-02-01", "odometer": 5001}),
        )
        .await;
    assert_eq!(put.body["equipmentIds"], json!([winter, trailer]));
    assert_eq!(
        app.delete(&format!("{}/{auto_id}", path(vehicle)))
            .await
            .status,
        204
    );
    use motovault_api::store::entity::odometer_record_equipment;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        odometer_record_equipment::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}
