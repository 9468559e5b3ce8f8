use serde_json::json;

use crate::helpers::TestApp;

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
