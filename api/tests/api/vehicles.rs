use serde_json::json;

use crate::helpers::{TestApp, query_plan};

fn civic() -> serde_json::Value {
    json!({
        "year": 2019, "make": "Honda", "model": "Civic", "licensePlate": "7ABC123",
        "fuelType": "gasoline", "purchaseDate": "2019-03-01", "purchasePrice": 21500.50,
        "tags": ["daily", "commuter"]
    })
}

#[actix_web::test]
async fn vehicle_crud() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let created = app.post("/api/v1/vehicles", &civic()).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["make"], "Honda");
    assert_eq!(created.body["purchasePrice"], 21500.5);
    assert_eq!(created.body["purchaseDate"], "2019-03-01");
    assert_eq!(created.body["tags"], json!(["daily", "commuter"]));
    assert_eq!(created.body["odometerMultiplier"], 1.0);
    assert_eq!(created.body["vehicleIdentifier"], "LicensePlate");
    assert_eq!(created.body["currentOdometer"], 0);

    let ev = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2022, "make": "Tesla", "model": "Model 3", "fuelType": "electric"}),
        )
        .await;
    assert_eq!(ev.body["fuelType"], "electric");

    let list = app.get("/api/v1/vehicles").await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    assert_eq!(list.body[0]["make"], "Honda", "sorted by year");

    let mut changed = civic();
    changed["model"] = json!("Civic Si");
    changed["tags"] = json!(["weekend"]);
    changed["soldDate"] = json!("2024-06-01");
    changed["soldPrice"] = json!(15000);
    let updated = app.put(&format!("/api/v1/vehicles/{id}"), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["model"], "Civic Si");
    assert_eq!(updated.body["tags"], json!(["weekend"]));
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{id}")).await.body["soldPrice"],
        15000.0
    );

    let fill = app
        .post(
            &format!("/api/v1/vehicles/{id}/fuel-records"),
            &json!({"date": "2024-01-01", "odometer": 42000, "fuelConsumed": 10, "cost": 35}),
        )
        .await;
    assert_eq!(fill.status, 201);
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{id}")).await.body["currentOdometer"],
        42000
    );

    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{id}")).await.status,
        204
    );
    assert_eq!(app.get(&format!("/api/v1/vehicles/{id}")).await.status, 404);
    // Its records went with it.
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{id}/fuel-records"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get("/api/v1/vehicles")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[actix_web::test]
async fn vehicle_validation_names_every_field() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let reply = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 1700, "make": "", "model": "M", "purchasePrice": -5,
                     "purchaseDate": "2020-01-01", "soldDate": "2019-01-01", "tags": ["two words"]}),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.error_fields(),
        vec!["year", "make", "soldDate", "purchasePrice", "tags"]
    );
    assert_eq!(
        app.get("/api/v1/vehicles").await.body,
        json!([]),
        "nothing half-written"
    );
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found_and_root_sees_all() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let roots = app.add_vehicle("RootCar").await;
    app.add_user("alice", "alice password").await;
    app.add_user("bob", "bobs password").await;

    app.login("alice", "alice password").await;
    let alices = app.add_vehicle("AliceCar").await;
    app.post(
        &format!("/api/v1/vehicles/{alices}/fuel-records"),
        &json!({"date": "2024-01-01", "odometer": 1000, "fuelConsumed": 10, "cost": 30}),
    )
    .await;
    let alice_list = app.get("/api/v1/vehicles").await;
    assert_eq!(alice_list.body.as_array().unwrap().len(), 1);

    app.login("bob", "bobs password").await;
    assert_eq!(app.get("/api/v1/vehicles").await.body, json!([]));
    for victim in [alices, roots] {
        let base = format!("/api/v1/vehicles/{victim}");
        let attempts = [
            app.get(&base).await,
            app.put(
                &base,
                &json!({"year": 2000, "make": "Stolen", "model": "X"}),
            )
            .await,
            app.get(&format!("{base}/fuel-records")).await,
            app.post(
                &format!("{base}/fuel-records"),
                &json!({"date": "2024-01-02", "odometer": 1, "fuelConsumed": 1, "cost": 1}),
            )
            .await,
            app.delete(&base).await,
        ];
        for reply in attempts {
            assert_eq!(reply.status, 404, "{base}: {}", reply.text);
            assert_eq!(reply.code(), "not_found");
            assert!(!reply.text.contains("AliceCar") && !reply.text.contains("RootCar"));
        }
    }

    app.login("root", "correct horse battery").await;
    let everything = app.get("/api/v1/vehicles").await;
    assert_eq!(everything.body.as_array().unwrap().len(), 2);
    let alices_fuel = app
        .get(&format!("/api/v1/vehicles/{alices}/fuel-records"))
        .await;
    assert_eq!(alices_fuel.body["records"].as_array().unwrap().len(), 1);
}

/// The current odometer (reference §3.2 `GetMaxMileage`): the highest reading over fuel,
/// service/repair/upgrade and odometer records, 0 without any; in the garage list and on the
/// vehicle alike.
#[actix_web::test]
async fn the_current_odometer_is_the_highest_reading_of_three_tables() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let settings = json!({"enableAutoOdometerInsert": false});
    assert_eq!(app.put("/api/v1/me/settings", &settings).await.status, 200);
    // (vehicle, [(table, date, odometer)], expected current odometer)
    let garage = [
        (
            "Service",
            &[
                ("fuel", "01", 1000),
                ("fuel", "02", 1500),
                ("service", "03", 1700),
                ("odometer", "04", 1600),
            ][..],
            1700,
        ),
        (
            "Reading",
            &[("service", "01", 0), ("odometer", "02", 300)][..],
            300,
        ),
        (
            "Fuel",
            &[("fuel", "01", 88000), ("repair", "02", 87000)][..],
            88000,
        ),
        ("Bare", &[][..], 0),
    ];
    let mut expected = Vec::new();
    for (make, records, odometer) in garage {
        let vehicle = app.add_vehicle(make).await;
        for (table, month, reading) in records {
            let date = format!("2024-{month}-01");
            let body = match *table {
                "fuel" => {
                    json!({"date": date, "odometer": reading, "fuelConsumed": 10, "cost": 30})
                }
                "odometer" => json!({"date": date, "odometer": reading}),
                _ => json!({"date": date, "odometer": reading, "description": "Work", "cost": 30}),
            };
            let path = format!("/api/v1/vehicles/{vehicle}/{table}-records");
            app.create(&path, &body).await;
        }
        expected.push((vehicle, odometer));
    }
    let listed = app.get("/api/v1/vehicles").await.body;
    for (vehicle, odometer) in expected {
        let in_list = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == vehicle)
            .unwrap();
        assert_eq!(
            in_list["currentOdometer"], odometer,
            "vehicle {vehicle} in the list"
        );
        let one = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
        assert_eq!(one.body["currentOdometer"], odometer, "vehicle {vehicle}");
    }
}

/// Each table's highest reading is one probe of its `(vehicle_id, odometer)` index, not a scan
/// of the vehicle's records (the garage reads it for every vehicle on each load).
#[actix_web::test]
async fn the_current_odometer_is_read_from_the_indexes() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Indexed").await;
    let sql = motovault_api::store::vehicles::current_odometers_sql(&[vehicle, vehicle + 1]);
    let stmt = sea_orm::Statement::from_string(app.db.get_database_backend(), sql);
    let plan = query_plan(&app.db, stmt).await;
    for index in [
        "idx_fuel_records_vehicle_id_odometer",
        "idx_maintenance_records_vehicle_id_odometer",
        "idx_odometer_records_vehicle_id_odometer",
    ] {
        assert!(plan.contains(index), "{index} not used:\n{plan}");
    }
}
