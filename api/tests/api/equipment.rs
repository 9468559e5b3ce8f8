//! Equipment: CRUD, distance through linked odometer records (reference §3.3), explicit links on
//! odometer records, auto-links from the odometer auto-insert, delete unlinking, bad inputs.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/equipment"),
    ("post", "/api/v1/vehicles/{vehicleId}/equipment"),
    ("get", "/api/v1/vehicles/{vehicleId}/equipment/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/equipment/{recordId}"),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/equipment/{recordId}",
    ),
];

fn path(vehicle: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/equipment")
}

fn odometer_path(vehicle: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/odometer-records")
}

async fn add(app: &TestApp, vehicle: i64, body: &Value) -> Value {
    let reply = app.post(&path(vehicle), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn add_reading(app: &TestApp, vehicle: i64, body: &Value) -> Value {
    let reply = app.post(&odometer_path(vehicle), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn auto_insert_off(app: &TestApp) {
    let reply = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

/// (id, distanceTraveled) of each listed item.
async fn distances(app: &TestApp, vehicle: i64) -> Vec<(i64, i64)> {
    let list = app.get(&path(vehicle)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_i64().unwrap(),
                e["distanceTraveled"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[actix_web::test]
async fn crud_with_distance_through_linked_odometer_records() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    auto_insert_off(&app).await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = path(vehicle);

    let winter = add(
        &app,
        vehicle,
        &json!({"description": " Winter tyres ", "isEquipped": true, "notes": "Nokian", "tags": ["tyres"]}),
    )
    .await;
    assert_eq!(winter["description"], "Winter tyres");
    assert_eq!(winter["isEquipped"], true);
    assert_eq!(winter["notes"], "Nokian");
    assert_eq!(winter["tags"], json!(["tyres"]));
    assert_eq!(winter["distanceTraveled"], 0);
    assert_eq!(winter["vehicleId"], vehicle);
    let winter = winter["id"].as_i64().unwrap();
    let trailer = add(&app, vehicle, &json!({"description": "Trailer"})).await;
    assert_eq!(trailer["isEquipped"], false);
    let trailer = trailer["id"].as_i64().unwrap();

    // 1000 → 1300 (300) with the tyres; 1300 → 1550 (250) with both; 1550 → 1600 with neither.
    let first = add_reading(
        &app,
        vehicle,
        &json!({"date": "2024-01-01", "initialOdometer": 1000, "odometer": 1300, "equipmentIds": [winter]}),
    )
    .await;
    assert_eq!(first["equipmentIds"], json!([winter]));
    let second = add_reading(
        &app,
        vehicle,
        &json!({"date": "2024-02-01", "odometer": 1550, "equipmentIds": [trailer, winter, winter]}),
    )
    .await;
    assert_eq!(second["distance"], 250);
    assert_eq!(second["equipmentIds"], json!([winter, trailer]));
    add_reading(
        &app,
        vehicle,
        &json!({"date": "2024-03-01", "odometer": 1600}),
    )
    .await;

    // 300 + 250 = 550 for the tyres, 250 for the trailer.
    assert_eq!(
        distances(&app, vehicle).await,
        vec![(winter, 550), (trailer, 250)]
    );
    let one = app.get(&format!("{base}/{winter}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["distanceTraveled"], 550);
    assert_eq!(one.body["tags"], json!(["tyres"]));

    // Replace: new fields, the distance stays (it comes from the links).
    let put = app
        .put(
            &format!("{base}/{winter}"),
            &json!({"description": "Winter set", "isEquipped": false}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["description"], "Winter set");
    assert_eq!(put.body["isEquipped"], false);
    assert_eq!(put.body["notes"], "");
    assert_eq!(put.body["tags"], json!([]));
    assert_eq!(put.body["distanceTraveled"], 550);

    // Odometer replace: omitted equipmentIds keeps the links, a list replaces them.
    let second_id = second["id"].as_i64().unwrap();
    let kept = app
        .put(
            &format!("{}/{second_id}", odometer_path(vehicle)),
            &json!({"date": "2024-02-01", "odometer": 1600}),
        )
        .await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.body["equipmentIds"], json!([winter, trailer]));
    // 1300 → 1600 now: 300 + 300 = 600, trailer 300.
    assert_eq!(
        distances(&app, vehicle).await,
        vec![(winter, 600), (trailer, 300)]
    );
    let replaced = app
        .put(
            &format!("{}/{second_id}", odometer_path(vehicle)),
            &json!({"date": "2024-02-01", "odometer": 1550, "equipmentIds": [trailer]}),
        )
        .await;
    assert_eq!(replaced.body["equipmentIds"], json!([trailer]));
    assert_eq!(
        distances(&app, vehicle).await,
        vec![(winter, 300), (trailer, 250)]
    );

    // Delete: the item, its tags and its links go; the odometer records stay.
    let tagged = add(
        &app,
        vehicle,
        &json!({"description": "Roof box", "tags": ["summer"]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let link = app
        .post(
            &format!("{base}/{tagged}/attachments/links"),
            &json!({"name": "manual", "url": "https://example.com/box.pdf"}),
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    assert_eq!(app.delete(&format!("{base}/{tagged}")).await.status, 204);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM attachments WHERE record_type = 'equipment'"
        )
        .await,
        0
    );
    assert_eq!(app.delete(&format!("{base}/{winter}")).await.status, 204);
    assert_eq!(app.get(&format!("{base}/{winter}")).await.status, 404);
    assert_eq!(app.delete(&format!("{base}/{winter}")).await.status, 404);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM record_tags WHERE record_type = 'equipment'"
        )
        .await,
        0
    );
    let first_id = first["id"].as_i64().unwrap();
    let reading = app
        .get(&format!("{}/{first_id}", odometer_path(vehicle)))
        .await;
    assert_eq!(reading.status, 200);
    assert_eq!(reading.body["equipmentIds"], json!([]));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM odometer_record_equipment").await,
        1
    );
    assert_eq!(distances(&app, vehicle).await, vec![(trailer, 250)]);
}

#[actix_web::test]
async fn auto_inserted_readings_count_for_equipped_items() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let equipped = add(
        &app,
        vehicle,
        &json!({"description": "Tyres", "isEquipped": true}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let stored = add(&app, vehicle, &json!({"description": "Spare"})).await["id"]
        .as_i64()
        .unwrap();
    // First auto-insert starts at its own reading (distance 0); the next one is 5000 → 5400.
    for (date, odometer) in [("2024-01-01", 5000), ("2024-02-01", 5400)] {
        let reply = app
            .post(
                &format!("/api/v1/vehicles/{vehicle}/service-records"),
                &json!({"date": date, "odometer": odometer, "description": "Oil"}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    assert_eq!(
        distances(&app, vehicle).await,
        vec![(equipped, 400), (stored, 0)]
    );
}

#[actix_web::test]
async fn bad_inputs_and_other_users_vehicles() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    auto_insert_off(&app).await;
    let vehicle = app.add_vehicle("Honda").await;
    let other_vehicle = app.add_vehicle("Other").await;
    let base = path(vehicle);
    let item = add(&app, vehicle, &json!({"description": "Tyres"})).await["id"]
        .as_i64()
        .unwrap();
    let foreign = add(&app, other_vehicle, &json!({"description": "Box"})).await["id"]
        .as_i64()
        .unwrap();

    let cases = [
        (json!({}), "description"),
        (json!({"description": "  "}), "description"),
        (json!({"description": "x".repeat(201)}), "description"),
        (
            json!({"description": "a", "isEquipped": "yes"}),
            "isEquipped",
        ),
        (json!({"description": "a", "tags": ["two words"]}), "tags"),
        (
            json!({"description": "a", "distanceTraveled": 5}),
            "distanceTraveled",
        ),
    ];
    for (body, field) in &cases {
        let reply = app.post(&base, body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.error_fields(), vec![field.to_string()], "{body}");
        let put = app.put(&format!("{base}/{item}"), body).await;
        assert_eq!(put.status, 422, "{body}");
    }
    assert_eq!(distances(&app, vehicle).await, vec![(item, 0)]);

    // Another vehicle's equipment (or none at all) cannot be linked; nothing is written.
    for ids in [json!([foreign]), json!([item, 999_999]), json!([0])] {
        let reply = app
            .post(
                &odometer_path(vehicle),
                &json!({"date": "2024-01-01", "odometer": 100, "equipmentIds": ids}),
            )
            .await;
        assert_eq!(reply.status, 422, "{ids}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec!["equipmentIds"]);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM odometer_records").await,
        0
    );
    let reading = add_reading(
        &app,
        vehicle,
        &json!({"date": "2024-01-01", "odometer": 100, "equipmentIds": [item]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let bad_put = app
        .put(
            &format!("{}/{reading}", odometer_path(vehicle)),
            &json!({"date": "2024-01-01", "odometer": 100, "equipmentIds": [foreign]}),
        )
        .await;
    assert_eq!(bad_put.status, 422);
    assert_eq!(
        app.get(&format!("{}/{reading}", odometer_path(vehicle)))
            .await
            .body["equipmentIds"],
        json!([item])
    );

    // Wrong vehicle, unknown ids and non-numeric ids: 404.
    assert_eq!(app.get(&format!("{base}/{foreign}")).await.status, 404);
    assert_eq!(app.get(&format!("{base}/999999")).await.status, 404);
    assert_eq!(app.get(&format!("{base}/abc")).await.status, 404);
    assert_eq!(
        app.get("/api/v1/vehicles/999999/equipment").await.status,
        404
    );

    app.add_user("bob", "correct horse battery").await;
    app.login("bob", "correct horse battery").await;
    for reply in [
        app.get(&base).await,
        app.get(&format!("{base}/{item}")).await,
        app.post(&base, &json!({"description": "Mine"})).await,
        app.put(&format!("{base}/{item}"), &json!({"description": "Mine"}))
            .await,
        app.delete(&format!("{base}/{item}")).await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    let still = app.get(&format!("{base}/{item}")).await;
    assert_eq!(still.body["description"], "Tyres");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM equipment").await, 2);
}
