use serde_json::{Value, json};

use crate::helpers::TestApp;

fn fill(date: &str, odometer: i64, fuel: f64, cost: f64, full: bool) -> Value {
    json!({"date": date, "odometer": odometer, "fuelConsumed": fuel, "cost": cost, "isFillToFull": full})
}

async fn vehicle_with_history(app: &mut TestApp) -> (i64, Vec<i64>) {
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let path = format!("/api/v1/vehicles/{vehicle}/fuel-records");
    let mut ids = vec![];
    for body in [
        fill("2024-01-01", 1000, 10.0, 35.0, true),
        fill("2024-01-10", 1300, 5.0, 17.5, false),
        fill("2024-01-20", 1600, 10.0, 36.0, true),
    ] {
        let reply = app.post(&path, &body).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    (vehicle, ids)
}

#[actix_web::test]
async fn economy_follows_the_reference_rules() {
    let mut app = TestApp::spawn().await;
    let (vehicle, ids) = vehicle_with_history(&mut app).await;
    let list = app
        .get(&format!("/api/v1/vehicles/{vehicle}/fuel-records"))
        .await;
    assert_eq!(list.status, 200);
    let records = list.body["records"].as_array().unwrap();
    // Newest first.
    let order: Vec<i64> = records.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(order, vec![ids[2], ids[1], ids[0]]);
    // Baseline: no economy; partial: no economy, distance 300; full: (300+300)/(5+10) = 40.
    assert_eq!(records[2]["fuelEconomy"], Value::Null);
    assert_eq!(records[2]["distance"], 0);
    assert_eq!(records[1]["fuelEconomy"], Value::Null);
    assert_eq!(records[1]["distance"], 300);
    assert_eq!(records[0]["fuelEconomy"], 40.0);
    assert_eq!(records[0]["distance"], 300);
    assert_eq!(records[0]["costPerUnit"], 3.6);
    // Average over included rows: (300 + 300) / (5 + 10).
    assert_eq!(list.body["averageFuelEconomy"], 40.0);
    assert_eq!(list.body["economyUnit"], "mpg");
    assert_eq!(list.body["distanceUnit"], "mi");
    assert_eq!(list.body["fuelUnit"], "gal");
    assert_eq!(list.body["totalCost"], 88.5);
    assert_eq!(list.body["totalFuel"], 25.0);

    // Metric: L/100 km = 100 / (600 / 15) = 2.5.
    app.put("/api/v1/me/settings", &json!({"unitSystem": "metric"}))
        .await;
    let metric = app
        .get(&format!("/api/v1/vehicles/{vehicle}/fuel-records"))
        .await;
    assert_eq!(metric.body["records"][0]["fuelEconomy"], 2.5);
    assert_eq!(metric.body["averageFuelEconomy"], 2.5);
    assert_eq!(metric.body["economyUnit"], "L/100km");
    assert_eq!(metric.body["fuelUnit"], "L");

    // UK: litres in, UK mpg out: 600 / (15 / 4.546) = 181.84.
    app.put("/api/v1/me/settings", &json!({"unitSystem": "uk"}))
        .await;
    let uk = app
        .get(&format!("/api/v1/vehicles/{vehicle}/fuel-records"))
        .await;
    assert_eq!(uk.body["records"][0]["fuelEconomy"], 181.84);
    assert_eq!(uk.body["economyUnit"], "mpg");
}

#[actix_web::test]
async fn a_missed_fill_up_resets_and_electric_uses_kwh() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let ev = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2022, "make": "Tesla", "model": "3", "fuelType": "electric"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/vehicles/{ev}/fuel-records");
    app.post(&path, &fill("2024-02-01", 5000, 50.0, 10.0, true))
        .await;
    let mut missed = fill("2024-02-05", 5400, 60.0, 12.0, true);
    missed["missedFuelUp"] = json!(true);
    app.post(&path, &missed).await;
    app.post(&path, &fill("2024-02-09", 5600, 50.0, 10.0, true))
        .await;
    let list = app.get(&path).await;
    let records = list.body["records"].as_array().unwrap();
    assert_eq!(records[1]["fuelEconomy"], Value::Null, "missed fill-up");
    assert_eq!(records[0]["fuelEconomy"], 4.0, "200 mi / 50 kWh");
    // Included: only the last record (200 / 50).
    assert_eq!(list.body["averageFuelEconomy"], 4.0);
    assert_eq!(list.body["economyUnit"], "mi/kWh");
    assert_eq!(list.body["fuelUnit"], "kWh");
}

#[actix_web::test]
async fn edit_and_delete_recompute_the_history() {
    let mut app = TestApp::spawn().await;
    let (vehicle, ids) = vehicle_with_history(&mut app).await;
    let path = format!("/api/v1/vehicles/{vehicle}/fuel-records");

    let one = app.get(&format!("{path}/{}", ids[2])).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["fuelEconomy"], 40.0);

    // The partial fill becomes a full one: 300/5 = 60 and then 300/10 = 30.
    let mut changed = fill("2024-01-10", 1300, 5.0, 17.5, true);
    changed["notes"] = json!("topped up");
    changed["tags"] = json!(["roadtrip"]);
    let updated = app.put(&format!("{path}/{}", ids[1]), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["fuelEconomy"], 60.0);
    assert_eq!(updated.body["notes"], "topped up");
    assert_eq!(updated.body["tags"], json!(["roadtrip"]));
    let list = app.get(&path).await;
    assert_eq!(list.body["records"][0]["fuelEconomy"], 30.0);
    assert_eq!(list.body["averageFuelEconomy"], 40.0);

    assert_eq!(app.delete(&format!("{path}/{}", ids[1])).await.status, 204);
    let after = app.get(&path).await;
    assert_eq!(after.body["records"].as_array().unwrap().len(), 2);
    assert_eq!(
        after.body["records"][0]["fuelEconomy"], 60.0,
        "600 mi / 10 gal after the delete"
    );
    assert_eq!(app.get(&format!("{path}/{}", ids[1])).await.status, 404);
    assert_eq!(app.delete(&format!("{path}/{}", ids[1])).await.status, 404);

    // A record id under another vehicle's path is not found.
    let other = app.add_vehicle("Other").await;
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{other}/fuel-records/{}", ids[0]))
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{other}/fuel-records/{}", ids[0]))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn money_sums_exactly() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Ledger").await;
    let path = format!("/api/v1/vehicles/{vehicle}/fuel-records");
    for i in 0..120 {
        let reply = app
            .post(&path, &fill("2024-03-01", 1000 + i, 0.1, 0.1, true))
            .await;
        assert_eq!(reply.status, 201);
    }
    let float_sum: f64 = (0..120).map(|_| 0.1_f64).sum();
    assert_ne!(float_sum, 12.0, "a float sum would drift");
    let list = app.get(&path).await;
    assert_eq!(list.body["totalCost"], 12.0);
    assert_eq!(list.body["totalFuel"], 12.0);
}
