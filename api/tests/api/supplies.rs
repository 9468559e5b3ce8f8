//! Supplies and shop supplies: CRUD, who may write shop supplies, and requisition from
//! service/repair/upgrade records with restoration on delete (reference §3.6).

use chrono::Utc;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/supplies"),
    ("post", "/api/v1/vehicles/{vehicleId}/supplies"),
    ("get", "/api/v1/vehicles/{vehicleId}/supplies/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/supplies/{recordId}"),
    ("delete", "/api/v1/vehicles/{vehicleId}/supplies/{recordId}"),
    ("get", "/api/v1/shop/supplies"),
    ("post", "/api/v1/shop/supplies"),
    ("get", "/api/v1/shop/supplies/{recordId}"),
    ("put", "/api/v1/shop/supplies/{recordId}"),
    ("delete", "/api/v1/shop/supplies/{recordId}"),
];

fn today() -> String {
    Utc::now().date_naive().to_string()
}

fn oil_filter() -> Value {
    json!({
        "date": "2024-05-01",
        "partNumber": "OF-123",
        "supplier": "Parts Co",
        "description": "Oil filter",
        "quantity": 10,
        "cost": "45.00",
        "tags": ["engine"]
    })
}

async fn setup() -> (TestApp, i64) {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    (app, vehicle)
}

async fn add_supply(app: &TestApp, vehicle: i64, body: &Value) -> i64 {
    let reply = app
        .post(&format!("/api/v1/vehicles/{vehicle}/supplies"), body)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

async fn supply(app: &TestApp, vehicle: i64, id: i64) -> Value {
    let reply = app
        .get(&format!("/api/v1/vehicles/{vehicle}/supplies/{id}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

#[actix_web::test]
async fn crud() {
    let (app, vehicle) = setup().await;
    let path = format!("/api/v1/vehicles/{vehicle}/supplies");
    let created = app.post(&path, &oil_filter()).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["vehicleId"], vehicle);
    assert_eq!(created.body["quantity"], 10.0);
    assert_eq!(created.body["cost"], 45.0);
    assert_eq!(created.body["partNumber"], "OF-123");
    assert_eq!(created.body["supplier"], "Parts Co");
    assert_eq!(created.body["tags"], json!(["engine"]));
    assert_eq!(created.body["usageHistory"], json!([]));
    let id = created.body["id"].as_i64().unwrap();
    add_supply(
        &app,
        vehicle,
        &json!({"date": "2024-06-01", "description": "Wiper", "quantity": 2, "cost": 10.5}),
    )
    .await;

    let list = app.get(&path).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["records"][0]["description"], "Wiper");
    assert_eq!(list.body["records"][1]["description"], "Oil filter");
    assert_eq!(list.body["totalCost"], 55.5);

    let mut changed = oil_filter();
    changed["quantity"] = json!(12);
    changed["tags"] = json!([]);
    let put = app.put(&format!("{path}/{id}"), &changed).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["quantity"], 12.0);
    assert_eq!(put.body["tags"], json!([]));

    assert_eq!(app.delete(&format!("{path}/{id}")).await.status, 204);
    assert_eq!(app.get(&format!("{path}/{id}")).await.status, 404);
    assert_eq!(app.delete(&format!("{path}/{id}")).await.status, 404);
    assert_eq!(app.get(&format!("{path}/abc")).await.status, 404);
}

#[actix_web::test]
async fn shop_supplies_are_read_by_all_and_written_by_admins() {
    let (mut app, vehicle) = setup().await;
    let shop = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "Shop rags", "quantity": 100, "cost": 20}),
        )
        .await;
    assert_eq!(shop.status, 201, "{}", shop.text);
    assert_eq!(shop.body["vehicleId"], Value::Null);
    let id = shop.body["id"].as_i64().unwrap();
    // Shop supplies are not a vehicle's: they do not appear in its list, nor under it.
    let vehicle_list = app
        .get(&format!("/api/v1/vehicles/{vehicle}/supplies"))
        .await;
    assert_eq!(vehicle_list.body["records"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{vehicle}/supplies/{id}"))
            .await
            .status,
        404
    );
    let tagged = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "x", "tags": ["a"]}),
        )
        .await;
    assert_eq!(tagged.status, 422);
    assert_eq!(tagged.error_fields(), vec!["tags"]);

    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let list = app.get("/api/v1/shop/supplies").await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["records"][0]["description"], "Shop rags");
    assert_eq!(
        app.get(&format!("/api/v1/shop/supplies/{id}")).await.status,
        200
    );
    let body = json!({"date": "2024-05-01", "description": "Mine"});
    for reply in [
        app.post("/api/v1/shop/supplies", &body).await,
        app.put(&format!("/api/v1/shop/supplies/{id}"), &body).await,
        app.delete(&format!("/api/v1/shop/supplies/{id}")).await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }

    app.login("root", "correct horse battery").await;
    let put = app
        .put(
            &format!("/api/v1/shop/supplies/{id}"),
            &json!({"date": "2024-05-01", "description": "Shop rags", "quantity": 90, "cost": 18}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["quantity"], 90.0);
    assert_eq!(
        app.delete(&format!("/api/v1/shop/supplies/{id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        app.get(&format!("/api/v1/shop/supplies/{id}")).await.status,
        404
    );
}

#[actix_web::test]
async fn requisition_and_restore_with_worked_numbers() {
    let (app, vehicle) = setup().await;
    let filter = add_supply(&app, vehicle, &oil_filter()).await;
    let records = format!("/api/v1/vehicles/{vehicle}/service-records");
    let created = app
        .post(
            &records,
            &json!({
                "date": "2024-06-01", "odometer": 5000, "description": "Oil change", "cost": 60,
                "supplies": [{"supplyId": filter, "quantity": 4}]
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let record = created.body["id"].as_i64().unwrap();
    let history = &created.body["requisitionHistory"];
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["supplyId"], filter);
    assert_eq!(history[0]["quantity"], 4.0);
    assert_eq!(history[0]["cost"], 18.0);
    assert_eq!(history[0]["description"], "Oil filter");
    assert_eq!(history[0]["partNumber"], "OF-123");
    // The record's cost is what was entered; supplies do not change it.
    assert_eq!(created.body["cost"], 60.0);

    // 10 units worth 45.00, 4 used → 6 left worth 27.00.
    let s = supply(&app, vehicle, filter).await;
    assert_eq!(s["quantity"], 6.0);
    assert_eq!(s["cost"], 27.0);
    let used = &s["usageHistory"][0];
    assert_eq!(used["description"], "Oil change");
    assert_eq!(used["date"], "2024-06-01");
    assert_eq!(used["recordType"], "service");
    assert_eq!(used["recordId"], record);
    assert_eq!(used["quantity"], 4.0);
    assert_eq!(used["cost"], 18.0);
    assert_eq!(used["restored"], false);

    // GET and list show the history; an update keeps it and cannot requisition more.
    let got = app.get(&format!("{records}/{record}")).await;
    assert_eq!(got.body["requisitionHistory"][0]["cost"], 18.0);
    let list = app.get(&records).await;
    assert_eq!(
        list.body["records"][0]["requisitionHistory"][0]["quantity"],
        4.0
    );
    let again = app
        .put(
            &format!("{records}/{record}"),
            &json!({"date": "2024-06-01", "odometer": 5000, "description": "Oil change",
                    "supplies": [{"supplyId": filter, "quantity": 1}]}),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.text);
    assert_eq!(again.error_fields(), vec!["supplies"]);
    let put = app
        .put(
            &format!("{records}/{record}"),
            &json!({"date": "2024-06-01", "odometer": 5000, "description": "Oil and filter"}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["requisitionHistory"][0]["quantity"], 4.0);

    // Moving the record to another kind takes its history along.
    let moved = app
        .post(
            &format!("{records}/{record}/move"),
            &json!({"to": "repair"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.body["requisitionHistory"][0]["cost"], 18.0);
    let repair = format!("/api/v1/vehicles/{vehicle}/repair-records/{record}");

    // Deleting the record puts 4 units worth 18.00 back: 10 / 45.00.
    assert_eq!(app.delete(&repair).await.status, 204);
    let s = supply(&app, vehicle, filter).await;
    assert_eq!(s["quantity"], 10.0);
    assert_eq!(s["cost"], 45.0);
    let history = s["usageHistory"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["recordId"], Value::Null);
    assert_eq!(history[1]["description"], "Restored from Oil change");
    assert_eq!(history[1]["date"], today());
    assert_eq!(history[1]["quantity"], 4.0);
    assert_eq!(history[1]["cost"], 18.0);
    assert_eq!(history[1]["restored"], true);
}

#[actix_web::test]
async fn uneven_units_and_shop_supplies() {
    let (app, vehicle) = setup().await;
    // 3 units worth 10.00: one unit is 3.333 (3 dp), leaving 6.667.
    let bolts = add_supply(
        &app,
        vehicle,
        &json!({"date": "2024-05-01", "description": "Bolts", "quantity": 3, "cost": 10}),
    )
    .await;
    let shop = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "Grease", "quantity": 5, "cost": 25}),
        )
        .await;
    let grease = shop.body["id"].as_i64().unwrap();
    let created = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/upgrade-records"),
            &json!({"date": "2024-06-01", "description": "Lift kit",
                    "supplies": [{"supplyId": bolts, "quantity": 1}, {"supplyId": grease, "quantity": "0.5"},
                                 {"supplyId": bolts, "quantity": 2}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let h = &created.body["requisitionHistory"];
    assert_eq!(h[0]["cost"], 3.333);
    assert_eq!(h[1]["cost"], 2.5);
    assert_eq!(h[1]["description"], "Grease");
    // The last 2 bolts take the whole remaining value.
    assert_eq!(h[2]["cost"], 6.667);
    let b = supply(&app, vehicle, bolts).await;
    assert_eq!(b["quantity"], 0.0);
    assert_eq!(b["cost"], 0.0);
    let g = app.get(&format!("/api/v1/shop/supplies/{grease}")).await;
    assert_eq!(g.body["quantity"], 4.5);
    assert_eq!(g.body["cost"], 22.5);
    assert_eq!(g.body["usageHistory"][0]["description"], "Lift kit");
    assert_eq!(g.body["usageHistory"][0]["vehicleId"], vehicle);
}

#[actix_web::test]
async fn shop_history_shows_only_visible_vehicles_uses() {
    let (mut app, vehicle) = setup().await;
    let shop = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "Grease", "quantity": 5, "cost": 25}),
        )
        .await;
    let grease = shop.body["id"].as_i64().unwrap();
    let use_one = |text: &'static str| {
        json!({"date": "2024-06-01", "description": text,
               "supplies": [{"supplyId": grease, "quantity": 1}]})
    };
    let roots = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records"),
            &use_one("Root's secret job"),
        )
        .await;
    assert_eq!(roots.status, 201, "{}", roots.text);

    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let mine = app.add_vehicle("Mazda").await;
    let bobs = app
        .post(
            &format!("/api/v1/vehicles/{mine}/service-records"),
            &use_one("Bob's job"),
        )
        .await;
    assert_eq!(bobs.status, 201, "{}", bobs.text);
    let seen = app.get(&format!("/api/v1/shop/supplies/{grease}")).await;
    assert_eq!(seen.body["quantity"], 3.0);
    let history = seen.body["usageHistory"].as_array().unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["description"], "Bob's job");
    let list = app.get("/api/v1/shop/supplies").await;
    assert_eq!(
        list.body["records"][0]["usageHistory"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    app.login("root", "correct horse battery").await;
    let all = app.get(&format!("/api/v1/shop/supplies/{grease}")).await;
    assert_eq!(all.body["usageHistory"].as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn missing_or_short_supplies_write_nothing() {
    let (app, vehicle) = setup().await;
    let other_vehicle = app.add_vehicle("Toyota").await;
    let filter = add_supply(&app, vehicle, &oil_filter()).await;
    let theirs = add_supply(&app, other_vehicle, &oil_filter()).await;
    let records = format!("/api/v1/vehicles/{vehicle}/service-records");
    let body = |supplies: Value| json!({"date": "2024-06-01", "odometer": 5000, "description": "Oil change", "supplies": supplies});

    // The first usage would succeed; the second is short: nothing at all is written.
    let short = app
        .post(
            &records,
            &body(
                json!([{"supplyId": filter, "quantity": 4}, {"supplyId": filter, "quantity": 7}]),
            ),
        )
        .await;
    assert_eq!(short.status, 422, "{}", short.text);
    assert_eq!(short.error_fields(), vec!["supplies[1].quantity"]);
    assert!(
        short.text.contains("Insufficient supplies"),
        "{}",
        short.text
    );

    let missing = app
        .post(
            &records,
            &body(
                json!([{"supplyId": filter, "quantity": 1}, {"supplyId": theirs, "quantity": 1}]),
            ),
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.text);
    assert_eq!(missing.error_fields(), vec!["supplies[1].supplyId"]);
    assert!(
        missing.text.contains("Missing supplies"),
        "{}",
        missing.text
    );

    let shape = app
        .post(&records, &body(json!([{"supplyId": 0, "quantity": -1}])))
        .await;
    assert_eq!(shape.status, 422);
    assert_eq!(
        shape.error_fields(),
        vec!["supplies[0].supplyId", "supplies[0].quantity"]
    );
    let unknown = app
        .post(
            &records,
            &body(json!([{"supplyId": filter, "quantity": 1, "extra": true}])),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);

    assert_eq!(app.get(&records).await.body["records"], json!([]));
    let s = supply(&app, vehicle, filter).await;
    assert_eq!(s["quantity"], 10.0);
    assert_eq!(s["cost"], 45.0);
    assert_eq!(s["usageHistory"], json!([]));
    let odometer = app
        .get(&format!("/api/v1/vehicles/{vehicle}/odometer-records"))
        .await;
    assert_eq!(odometer.body["records"], json!([]));
}

#[actix_web::test]
async fn bad_inputs_name_the_fields() {
    let (app, vehicle) = setup().await;
    let path = format!("/api/v1/vehicles/{vehicle}/supplies");
    let bad = app
        .post(
            &path,
            &json!({"date": "1800-01-01", "description": " ", "quantity": -1, "cost": 1e10,
                    "tags": ["two words"]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(
        bad.error_fields(),
        vec!["date", "description", "quantity", "cost", "tags"]
    );
    let wrong_type = app
        .post(
            &path,
            &json!({"date": "2024-05-01", "description": "x", "quantity": "many"}),
        )
        .await;
    assert!(wrong_type.status.is_client_error(), "{}", wrong_type.text);
    let unknown = app
        .post(
            &path,
            &json!({"date": "2024-05-01", "description": "x", "color": "red"}),
        )
        .await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    assert_eq!(app.get(&path).await.body["records"], json!([]));
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found() {
    let (mut app, vehicle) = setup().await;
    let id = add_supply(&app, vehicle, &oil_filter()).await;
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let path = format!("/api/v1/vehicles/{vehicle}/supplies");
    for reply in [
        app.get(&path).await,
        app.post(&path, &oil_filter()).await,
        app.get(&format!("{path}/{id}")).await,
        app.put(&format!("{path}/{id}"), &oil_filter()).await,
        app.delete(&format!("{path}/{id}")).await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    // Nor can bob requisition it from his own vehicle.
    let mine = app.add_vehicle("Mazda").await;
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{mine}/service-records"),
            &json!({"date": "2024-06-01", "description": "x", "supplies": [{"supplyId": id, "quantity": 1}]}),
        )
        .await;
    assert_eq!(reply.status, 422);
    app.login("root", "correct horse battery").await;
    assert_eq!(supply(&app, vehicle, id).await["quantity"], 10.0);
}

#[actix_web::test]
async fn deleting_a_vehicle_takes_its_supplies_and_plans_along() {
    let (app, vehicle) = setup().await;
    let filter = add_supply(&app, vehicle, &oil_filter()).await;
    let shop = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "Grease", "quantity": 5, "cost": 25}),
        )
        .await;
    let grease = shop.body["id"].as_i64().unwrap();
    let plan = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/plans"),
            &json!({"description": "Service",
                    "supplies": [{"supplyId": filter, "quantity": 1}, {"supplyId": grease, "quantity": 1}]}),
        )
        .await;
    assert_eq!(plan.status, 201, "{}", plan.text);
    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{vehicle}"))
            .await
            .status,
        204
    );
    // The shop supply stays, with what was used; the vehicle's uses are gone with it.
    let g = app.get(&format!("/api/v1/shop/supplies/{grease}")).await;
    assert_eq!(g.status, 200);
    assert_eq!(g.body["quantity"], 4.0);
    assert_eq!(g.body["usageHistory"], json!([]));
}

#[actix_web::test]
async fn shop_supplies_can_be_turned_off() {
    use crate::helpers::TestApp;
    use sea_orm::EntityTrait;
    let (app, vehicle) = setup().await;
    let grease = app
        .post(
            "/api/v1/shop/supplies",
            &json!({"date": "2024-05-01", "description": "Grease", "quantity": 5, "cost": 25}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let bolts = add_supply(
        &app,
        vehicle,
        &json!({"date": "2024-05-01", "description": "Bolts", "quantity": 4, "cost": 10}),
    )
    .await;

    // The same data, restarted with `supplies.shop_enabled = false`.
    let env = app.stop().await;
    let mut app = TestApp::spawn_in(env, &[("MOTOVAULT__SUPPLIES__SHOP_ENABLED", "false")]).await;
    let login = app.login("root", "correct horse battery").await;
    assert_eq!(login.status, 200, "{}", login.text);
    let item = format!("/api/v1/shop/supplies/{grease}");
    let body = json!({"date": "2024-05-01", "description": "Grease", "quantity": 1, "cost": 1});
    for reply in [
        app.get("/api/v1/shop/supplies").await,
        app.post("/api/v1/shop/supplies", &body).await,
        app.get(&item).await,
        app.put(&item, &body).await,
        app.delete(&item).await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }

    // Records cannot take a shop supply (422, nothing written); the vehicle's own still work.
    let records = format!("/api/v1/vehicles/{vehicle}/service-records");
    let refused = app
        .post(
            &records,
            &json!({"date": "2024-06-01", "description": "Grease job",
                    "supplies": [{"supplyId": bolts, "quantity": 1}, {"supplyId": grease, "quantity": 1}]}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.error_fields(), vec!["supplies[1].supplyId"]);
    let plan = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/plans"),
            &json!({"description": "Grease", "recordKind": "service",
                    "supplies": [{"supplyId": grease, "quantity": 1}]}),
        )
        .await;
    assert_eq!(plan.status, 422, "{}", plan.text);
    assert_eq!(plan.error_fields(), vec!["supplies[0].supplyId"]);
    assert_eq!(app.get(&records).await.body["records"], json!([]));
    let b = supply(&app, vehicle, bolts).await;
    assert_eq!(
        (b["quantity"].clone(), b["cost"].clone()),
        (json!(4.0), json!(10.0))
    );
    let stored = motovault_api::store::entity::supply::Entity::find_by_id(grease)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.quantity, stored.cost),
        (50_000, 250_000),
        "untouched"
    );

    let own = app
        .post(
            &records,
            &json!({"date": "2024-06-01", "description": "Bolts",
                    "supplies": [{"supplyId": bolts, "quantity": 1}]}),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text);
    assert_eq!(supply(&app, vehicle, bolts).await["quantity"], 3.0);
}
