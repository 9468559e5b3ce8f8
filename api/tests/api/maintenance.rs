//! Service, repair and upgrade records: CRUD per kind, move, bulk edit, odometer auto-insert.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/service-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/service-records"),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/service-records/bulk-edit",
    ),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/service-records/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/service-records/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/service-records/{recordId}",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/service-records/{recordId}/move",
    ),
    ("get", "/api/v1/vehicles/{vehicleId}/repair-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/repair-records"),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/repair-records/bulk-edit",
    ),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}/move",
    ),
    ("get", "/api/v1/vehicles/{vehicleId}/upgrade-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/upgrade-records"),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/upgrade-records/bulk-edit",
    ),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}/move",
    ),
];

fn record(date: &str, odometer: i64, description: &str, cost: f64) -> Value {
    json!({"date": date, "odometer": odometer, "description": description, "cost": cost})
}

fn path(vehicle: i64, kind: &str) -> String {
    format!("/api/v1/vehicles/{vehicle}/{kind}-records")
}

async fn add(app: &TestApp, vehicle: i64, kind: &str, body: &Value) -> i64 {
    let reply = app.post(&path(vehicle, kind), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn odometer_records(app: &TestApp, vehicle: i64) -> Vec<Value> {
    let list = app
        .get(&format!("/api/v1/vehicles/{vehicle}/odometer-records"))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.body["records"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn crud_per_kind_with_exact_totals() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let services = path(vehicle, "service");

    let mut oil = record("2024-03-01", 12_000, "Oil change", 12.34);
    oil["notes"] = json!("5W-30");
    oil["tags"] = json!(["oil", "diy"]);
    let a = add(&app, vehicle, "service", &oil).await;
    let b = add(
        &app,
        vehicle,
        "service",
        &record("2024-05-01", 15_000, "Brakes", 100.0),
    )
    .await;
    let c = add(
        &app,
        vehicle,
        "service",
        &record("2024-04-01", 13_500, "Wipers", 0.66),
    )
    .await;
    // Other kinds do not show up in the service list.
    add(
        &app,
        vehicle,
        "repair",
        &record("2024-04-02", 13_600, "Dent", 250.0),
    )
    .await;

    let list = app.get(&services).await;
    assert_eq!(list.status, 200);
    assert_eq!(ids(&list.body), vec![b, c, a], "newest first");
    // 12.34 + 100 + 0.66 = 113 exactly.
    assert_eq!(list.body["totalCost"], 113.0);
    let first = &list.body["records"][2];
    assert_eq!(first["kind"], "service");
    assert_eq!(first["odometer"], 12_000);
    assert_eq!(first["description"], "Oil change");
    assert_eq!(first["cost"], 12.34);
    assert_eq!(first["notes"], "5W-30");
    assert_eq!(first["tags"], json!(["oil", "diy"]));
    assert_eq!(
        app.get(&path(vehicle, "repair")).await.body["totalCost"],
        250.0
    );
    assert_eq!(
        app.get(&path(vehicle, "upgrade")).await.body["records"],
        json!([])
    );

    let one = app.get(&format!("{services}/{a}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["description"], "Oil change");

    let mut changed = record("2024-03-02", 12_010, "Oil and filter", 20.0);
    changed["tags"] = json!(["oil"]);
    let updated = app.put(&format!("{services}/{a}"), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["description"], "Oil and filter");
    assert_eq!(
        updated.body["notes"], "",
        "PUT replaces: omitted notes are empty"
    );
    assert_eq!(updated.body["tags"], json!(["oil"]));
    assert_eq!(app.get(&services).await.body["totalCost"], 120.66);

    // The vehicle's current odometer is the highest reading of any record.
    let v = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(v.body["currentOdometer"], 15_000);

    assert_eq!(app.delete(&format!("{services}/{b}")).await.status, 204);
    assert_eq!(app.get(&format!("{services}/{b}")).await.status, 404);
    assert_eq!(app.delete(&format!("{services}/{b}")).await.status, 404);
    assert_eq!(ids(&app.get(&services).await.body), vec![c, a]);
    // Deleting the record did not delete its auto-inserted odometer record.
    let v = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(v.body["currentOdometer"], 15_000);
}

#[actix_web::test]
async fn a_record_exists_only_under_its_own_kind_and_vehicle() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Other").await;
    let id = add(
        &app,
        vehicle,
        "service",
        &record("2024-01-01", 100, "Oil", 1.0),
    )
    .await;
    let body = record("2024-01-01", 100, "Oil", 1.0);
    for wrong in [
        format!("{}/{id}", path(vehicle, "repair")),
        format!("{}/{id}", path(vehicle, "upgrade")),
        format!("{}/{id}", path(other, "service")),
        format!("{}/abc", path(vehicle, "service")),
        format!("{}/0", path(vehicle, "service")),
        format!("{}/999999", path(vehicle, "service")),
    ] {
        for reply in [
            app.get(&wrong).await,
            app.put(&wrong, &body).await,
            app.delete(&wrong).await,
            app.post(&format!("{wrong}/move"), &json!({"to": "upgrade"}))
                .await,
        ] {
            assert_eq!(reply.status, 404, "{wrong}: {}", reply.text);
            assert_eq!(reply.code(), "not_found");
            assert_eq!(reply.content_type(), "application/problem+json");
        }
    }
    // Still there, untouched.
    let still = app.get(&format!("{}/{id}", path(vehicle, "service"))).await;
    assert_eq!(still.status, 200);
    assert_eq!(still.body["kind"], "service");
}

#[actix_web::test]
async fn another_users_vehicle_is_not_found() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Root's").await;
    let id = add(
        &app,
        vehicle,
        "upgrade",
        &record("2024-01-01", 100, "Lift kit", 900.0),
    )
    .await;
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let base = path(vehicle, "upgrade");
    let replies = [
        app.get(&base).await,
        app.post(&base, &record("2024-01-01", 1, "x", 1.0)).await,
        app.get(&format!("{base}/{id}")).await,
        app.put(&format!("{base}/{id}"), &record("2024-01-01", 1, "x", 1.0))
            .await,
        app.delete(&format!("{base}/{id}")).await,
        app.post(&format!("{base}/{id}/move"), &json!({"to": "service"}))
            .await,
        app.post(
            &format!("{base}/bulk-edit"),
            &json!({"ids": [id], "notes": "mine"}),
        )
        .await,
    ];
    for reply in replies {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    let still = app.get(&format!("{base}/{id}")).await;
    assert_eq!(still.body["description"], "Lift kit");
    assert_eq!(still.body["notes"], "");
    assert_eq!(
        app.get(&base).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[actix_web::test]
async fn bad_input_is_rejected_naming_the_field() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = path(vehicle, "repair");
    let cases = [
        (json!({"date": "2024-01-01", "odometer": 1}), "description"),
        (
            json!({"date": "2024-01-01", "odometer": 1, "description": "  "}),
            "description",
        ),
        (json!({"odometer": 1, "description": "x"}), "date"),
        (json!({"date": "2024-02-30", "description": "x"}), "date"),
        (
            json!({"date": "2024-01-01", "odometer": "far", "description": "x"}),
            "odometer",
        ),
        (
            json!({"date": "2024-01-01", "odometer": -1, "description": "x"}),
            "odometer",
        ),
        (
            json!({"date": "2024-01-01", "odometer": 100_000_000, "description": "x"}),
            "odometer",
        ),
        (
            json!({"date": "2024-01-01", "description": "x", "cost": -0.01}),
            "cost",
        ),
        (
            json!({"date": "2024-01-01", "description": "x", "cost": 1e13}),
            "cost",
        ),
        (
            json!({"date": "2024-01-01", "description": "x", "tags": ["two words"]}),
            "tags",
        ),
        (
            json!({"date": "2024-01-01", "description": "x", "mileage": 5}),
            "mileage",
        ),
    ];
    for (body, field) in cases {
        let reply = app.post(&base, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }
    // Only date and description are required: odometer and cost default to 0.
    let minimal = app
        .post(
            &base,
            &json!({"date": "2024-01-01", "description": "Glass"}),
        )
        .await;
    assert_eq!(minimal.status, 201, "{}", minimal.text);
    assert_eq!(minimal.body["odometer"], 0);
    assert_eq!(minimal.body["cost"], 0.0);
    // Nothing half-written: one record, and no odometer record (its reading was 0).
    assert_eq!(
        app.get(&base).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(odometer_records(&app, vehicle).await.is_empty());

    let id = minimal.body["id"].as_i64().unwrap();
    let bad_put = app
        .put(
            &format!("{base}/{id}"),
            &json!({"date": "2024-01-01", "description": "x", "cost": -5}),
        )
        .await;
    assert_eq!(bad_put.status, 422);
    assert_eq!(bad_put.error_fields(), vec!["cost"]);
    assert_eq!(
        app.get(&format!("{base}/{id}")).await.body["description"],
        "Glass"
    );
}

#[actix_web::test]
async fn moving_a_record_takes_its_tags_along() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let mut body = record("2024-06-01", 20_000, "Bumper", 480.5);
    body["tags"] = json!(["body", "insurance"]);
    body["notes"] = json!("rear");
    let id = add(&app, vehicle, "service", &body).await;
    let keep = add(
        &app,
        vehicle,
        "service",
        &record("2024-06-02", 20_010, "Oil", 40.0),
    )
    .await;

    let moved = app
        .post(
            &format!("{}/{id}/move", path(vehicle, "service")),
            &json!({"to": "repair"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["id"], id, "same record, same id");
    assert_eq!(moved.body["kind"], "repair");
    assert_eq!(moved.body["tags"], json!(["body", "insurance"]));
    assert_eq!(moved.body["notes"], "rear");
    assert_eq!(moved.body["cost"], 480.5);

    assert_eq!(
        app.get(&format!("{}/{id}", path(vehicle, "service")))
            .await
            .status,
        404
    );
    let there = app.get(&format!("{}/{id}", path(vehicle, "repair"))).await;
    assert_eq!(there.body["tags"], json!(["body", "insurance"]));
    assert_eq!(
        ids(&app.get(&path(vehicle, "service")).await.body),
        vec![keep]
    );
    let repairs = app.get(&path(vehicle, "repair")).await;
    assert_eq!(ids(&repairs.body), vec![id]);
    assert_eq!(repairs.body["totalCost"], 480.5);
    assert_eq!(
        app.get(&path(vehicle, "service")).await.body["totalCost"],
        40.0
    );

    // On to upgrade, and to its own kind (a no-op).
    let again = app
        .post(
            &format!("{}/{id}/move", path(vehicle, "repair")),
            &json!({"to": "upgrade"}),
        )
        .await;
    assert_eq!(again.body["kind"], "upgrade");
    let same = app
        .post(
            &format!("{}/{id}/move", path(vehicle, "upgrade")),
            &json!({"to": "upgrade"}),
        )
        .await;
    assert_eq!(same.status, 200);
    assert_eq!(same.body["tags"], json!(["body", "insurance"]));

    for (body, field) in [
        (json!({"to": "collision"}), "to"),
        (json!({"to": 1}), "to"),
        (json!({}), "to"),
        (json!({"to": "repair", "extra": true}), "extra"),
    ] {
        let reply = app
            .post(&format!("{}/{id}/move", path(vehicle, "upgrade")), &body)
            .await;
        assert_eq!(reply.status, 422, "{body}");
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }
    assert_eq!(
        app.get(&format!("{}/{id}", path(vehicle, "upgrade")))
            .await
            .body["kind"],
        "upgrade"
    );
}

#[actix_web::test]
async fn bulk_edit_sets_clears_or_keeps_tags_and_notes() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = path(vehicle, "service");
    let mut made = vec![];
    for (i, notes) in ["one", "two", "three"].iter().enumerate() {
        let mut body = record("2024-01-01", 1000 + i as i64, "Oil", 10.0);
        body["notes"] = json!(notes);
        body["tags"] = json!(["old"]);
        made.push(add(&app, vehicle, "service", &body).await);
    }
    let (a, b, c) = (made[0], made[1], made[2]);
    let bulk = format!("{base}/bulk-edit");

    // New tags for a and b (space separated, duplicates dropped); notes omitted: unchanged.
    let reply = app
        .post(
            &bulk,
            &json!({"ids": [b, a], "tags": "summer  tyres summer"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let records = reply.body["records"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["id"], b, "in the order of ids");
    assert_eq!(records[0]["tags"], json!(["summer", "tyres"]));
    assert_eq!(records[0]["notes"], "two");
    assert_eq!(records[1]["notes"], "one");
    assert_eq!(
        app.get(&format!("{base}/{c}")).await.body["tags"],
        json!(["old"]),
        "not named: untouched"
    );

    // "---" clears notes; a blank tags field keeps them.
    let reply = app
        .post(&bulk, &json!({"ids": [a, c], "notes": "---", "tags": " "}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(app.get(&format!("{base}/{a}")).await.body["notes"], "");
    assert_eq!(
        app.get(&format!("{base}/{a}")).await.body["tags"],
        json!(["summer", "tyres"])
    );
    assert_eq!(app.get(&format!("{base}/{c}")).await.body["notes"], "");
    assert_eq!(
        app.get(&format!("{base}/{c}")).await.body["tags"],
        json!(["old"])
    );
    assert_eq!(app.get(&format!("{base}/{b}")).await.body["notes"], "two");

    // "---" clears tags; new notes replace.
    let reply = app
        .post(
            &bulk,
            &json!({"ids": [a, b, c], "tags": "---", "notes": "checked"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    for id in [a, b, c] {
        let r = app.get(&format!("{base}/{id}")).await;
        assert_eq!(r.body["tags"], json!([]));
        assert_eq!(r.body["notes"], "checked");
    }

    // One id of another kind or vehicle, or unknown: 404 and nothing changes.
    let repair = add(
        &app,
        vehicle,
        "repair",
        &record("2024-01-01", 5, "Glass", 1.0),
    )
    .await;
    let other = app.add_vehicle("Other").await;
    let foreign = add(&app, other, "service", &record("2024-01-01", 5, "Oil", 1.0)).await;
    for bad in [repair, foreign, 999_999] {
        let reply = app
            .post(
                &bulk,
                &json!({"ids": [a, bad], "tags": "new", "notes": "changed"}),
            )
            .await;
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    assert_eq!(
        app.get(&format!("{base}/{a}")).await.body["notes"],
        "checked"
    );
    assert_eq!(
        app.get(&format!("{base}/{a}")).await.body["tags"],
        json!([])
    );

    for (body, field) in [
        (json!({"ids": [], "notes": "x"}), "ids"),
        (json!({"ids": [0], "notes": "x"}), "ids"),
        (json!({"notes": "x"}), "ids"),
        (json!({"ids": ["a"]}), "ids[0]"),
        (json!({"ids": [a], "tags": "x".repeat(60)}), "tags"),
        (json!({"ids": [a], "date": "2024-01-01"}), "date"),
    ] {
        let reply = app.post(&bulk, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }
    assert_eq!(
        app.get(&format!("{base}/{a}")).await.body["notes"],
        "checked"
    );
}

#[actix_web::test]
async fn creating_a_record_inserts_an_odometer_record() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;

    // No odometer records yet: the first one starts at its own reading.
    add(
        &app,
        vehicle,
        "service",
        &record("2024-01-15", 12_500, "Oil change", 45.0),
    )
    .await;
    let odo = odometer_records(&app, vehicle).await;
    assert_eq!(odo.len(), 1);
    assert_eq!(odo[0]["date"], "2024-01-15");
    assert_eq!(odo[0]["initialOdometer"], 12_500);
    assert_eq!(odo[0]["odometer"], 12_500);
    assert_eq!(odo[0]["distance"], 0);
    assert_eq!(
        odo[0]["notes"],
        "Auto Insert From Service Record: Oil change"
    );

    // Next: starts at the highest odometer-record reading, 12 500 → 13 100 = 600.
    add(
        &app,
        vehicle,
        "repair",
        &record("2024-02-01", 13_100, "Windscreen", 300.0),
    )
    .await;
    add(
        &app,
        vehicle,
        "upgrade",
        &record("2024-03-01", 13_400, "Roof rack", 150.0),
    )
    .await;
    let odo = odometer_records(&app, vehicle).await;
    assert_eq!(odo.len(), 3);
    assert_eq!(
        odo[0]["notes"],
        "Auto Insert From Upgrade Record: Roof rack"
    );
    assert_eq!(
        (
            odo[0]["initialOdometer"].as_i64(),
            odo[0]["distance"].as_i64()
        ),
        (Some(13_100), Some(300))
    );
    assert_eq!(
        odo[1]["notes"],
        "Auto Insert From Repair Record: Windscreen"
    );
    assert_eq!(
        (
            odo[1]["initialOdometer"].as_i64(),
            odo[1]["distance"].as_i64()
        ),
        (Some(12_500), Some(600))
    );

    // Editing does not insert; a 0 reading does not insert.
    let services = app.get(&path(vehicle, "service")).await;
    let sid = services.body["records"][0]["id"].as_i64().unwrap();
    app.put(
        &format!("{}/{sid}", path(vehicle, "service")),
        &record("2024-01-15", 12_600, "Oil change", 45.0),
    )
    .await;
    add(
        &app,
        vehicle,
        "service",
        &record("2024-03-05", 0, "Wash", 5.0),
    )
    .await;
    assert_eq!(odometer_records(&app, vehicle).await.len(), 3);

    // With the setting off, nothing is inserted.
    let off = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    add(
        &app,
        vehicle,
        "service",
        &record("2024-04-01", 14_000, "Tyres", 400.0),
    )
    .await;
    assert_eq!(odometer_records(&app, vehicle).await.len(), 3);
    let v = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(v.body["currentOdometer"], 14_000);
}

#[actix_web::test]
async fn attachments_follow_a_moved_record_and_go_with_a_deleted_one() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let id = add(
        &app,
        vehicle,
        "service",
        &record("2024-01-01", 100, "Timing belt", 700.0),
    )
    .await;
    let link = app
        .post(
            &format!("{}/{id}/attachments/links", path(vehicle, "service")),
            &json!({"name": "Invoice", "url": "https://example.com/invoice.pdf"}),
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text);

    let moved = app
        .post(
            &format!("{}/{id}/move", path(vehicle, "service")),
            &json!({"to": "repair"}),
        )
        .await;
    assert_eq!(moved.status, 200);
    let listed = app
        .get(&format!("{}/{id}/attachments", path(vehicle, "repair")))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.text.matches("Invoice").count(), 1, "{}", listed.text);

    assert_eq!(
        app.delete(&format!("{}/{id}", path(vehicle, "repair")))
            .await
            .status,
        204
    );
    use motovault_api::store::entity::attachment;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(attachment::Entity::find().count(&app.db).await.unwrap(), 0);
}
