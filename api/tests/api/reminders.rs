//! Reminders: CRUD, urgency (reference §3.2) and the "Done" push-back.

use chrono::{NaiveDate, TimeDelta, Utc};
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, TestEnv};

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/reminders"),
    ("post", "/api/v1/vehicles/{vehicleId}/reminders"),
    ("get", "/api/v1/vehicles/{vehicleId}/reminders/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/reminders/{recordId}"),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/reminders/{recordId}",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/reminders/{recordId}/done",
    ),
];

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn in_days(days: i64) -> String {
    (today() + TimeDelta::days(days)).to_string()
}

fn by_date(description: &str, days: i64) -> Value {
    json!({"description": description, "dueDate": in_days(days)})
}

fn by_odometer(description: &str, odometer: i64) -> Value {
    json!({"description": description, "metric": "odometer", "dueOdometer": odometer})
}

/// A vehicle whose current odometer is 10 000 (from a fill-up).
async fn setup(app: &mut TestApp) -> String {
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let fill = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2024-01-01", "odometer": 10000, "fuelConsumed": 10, "cost": 30}),
        )
        .await;
    assert_eq!(fill.status, 201, "{}", fill.text);
    format!("/api/v1/vehicles/{vehicle}/reminders")
}

async fn create(app: &TestApp, path: &str, body: &Value) -> Reply {
    let reply = app.post(path, body).await;
    assert_eq!(reply.status, 201, "{body}: {}", reply.text);
    reply
}

#[actix_web::test]
async fn urgency_by_date_odometer_and_both() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let started = today();

    // (body, urgency, urgencyMetric, dueDays, dueDistance)
    let cases: Vec<(Value, &str, &str, Value, Value)> = vec![
        // Due in 5 days: 4 days and some hours away, within the 7-day band.
        (
            by_date("five", 5),
            "veryUrgent",
            "date",
            json!(4),
            Value::Null,
        ),
        (
            by_date("twenty", 20),
            "urgent",
            "date",
            json!(19),
            Value::Null,
        ),
        (
            by_date("sixty", 60),
            "notUrgent",
            "date",
            json!(59),
            Value::Null,
        ),
        // Due today (midnight) is already past, 0 whole days.
        (
            by_date("today", 0),
            "pastDue",
            "date",
            json!(0),
            Value::Null,
        ),
        (
            by_date("yesterday", -1),
            "pastDue",
            "date",
            json!(-1),
            Value::Null,
        ),
        (
            by_odometer("o40", 10040),
            "veryUrgent",
            "odometer",
            Value::Null,
            json!(40),
        ),
        (
            by_odometer("o50", 10050),
            "urgent",
            "odometer",
            Value::Null,
            json!(50),
        ),
        (
            by_odometer("o100", 10100),
            "notUrgent",
            "odometer",
            Value::Null,
            json!(100),
        ),
        (
            by_odometer("o-10", 9990),
            "pastDue",
            "odometer",
            Value::Null,
            json!(-10),
        ),
        (
            by_odometer("o0", 10000),
            "veryUrgent",
            "odometer",
            Value::Null,
            json!(0),
        ),
        (
            json!({"description": "both-odo", "metric": "both", "dueDate": in_days(60), "dueOdometer": 10040}),
            "veryUrgent",
            "odometer",
            json!(59),
            json!(40),
        ),
        (
            json!({"description": "both-date", "metric": "both", "dueDate": in_days(3), "dueOdometer": 10040}),
            "veryUrgent",
            "date",
            json!(2),
            json!(40),
        ),
        (
            json!({"description": "both-none", "metric": "both", "dueDate": in_days(60), "dueOdometer": 20000}),
            "notUrgent",
            "both",
            json!(59),
            json!(10000),
        ),
    ];
    for (body, urgency, metric, days, distance) in &cases {
        let reply = create(&app, &path, body).await;
        let desc = &body["description"];
        assert_eq!(reply.body["urgency"], *urgency, "{desc}");
        assert_eq!(reply.body["urgencyMetric"], *metric, "{desc}");
        assert_eq!(reply.body["currentOdometer"], 10000, "{desc}");
        assert_eq!(reply.body["dueDistance"], *distance, "{desc}");
        if today() == started {
            assert_eq!(reply.body["dueDays"], *days, "{desc}");
        }
    }

    // The list: most urgent first, then the soonest due date, then the lowest odometer.
    let list = app.get(&path).await;
    assert_eq!(list.status, 200);
    let order: Vec<&str> = list.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![
            "yesterday",
            "today",
            "o-10",
            "both-date",
            "five",
            "both-odo",
            "o0",
            "o40",
            "twenty",
            "o50",
            // Same due date: the one with a due odometer first.
            "both-none",
            "sixty",
            "o100",
        ]
    );
    // The configured metric is returned as entered.
    assert_eq!(list.body["records"][5]["metric"], "both");
}

#[actix_web::test]
async fn custom_thresholds_apply_to_their_own_reminder_only() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let mut custom = by_date("custom", 45);
    custom["useCustomThresholds"] = json!(true);
    custom["urgentDays"] = json!(90);
    custom["veryUrgentDays"] = json!(60);
    custom["urgentDistance"] = json!(1000);
    custom["veryUrgentDistance"] = json!(500);
    let reply = create(&app, &path, &custom).await;
    assert_eq!(reply.body["urgency"], "veryUrgent");
    assert_eq!(reply.body["urgentDays"], 90);
    // Created after it (and listed after it): the server's 30/7 days apply again.
    let plain = create(&app, &path, &by_date("plain", 45)).await;
    assert_eq!(plain.body["urgency"], "notUrgent");
    let list = app.get(&path).await;
    assert_eq!(list.body["records"][0]["description"], "custom");
    assert_eq!(list.body["records"][0]["urgency"], "veryUrgent");
    assert_eq!(list.body["records"][1]["urgency"], "notUrgent");

    // Custom thresholds stored but switched off are ignored.
    custom["useCustomThresholds"] = json!(false);
    let id = reply.body["id"].as_i64().unwrap();
    let off = app.put(&format!("{path}/{id}"), &custom).await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_eq!(off.body["urgency"], "notUrgent");
    assert_eq!(off.body["urgentDays"], 90);
}

#[actix_web::test]
async fn the_server_thresholds_come_from_the_configuration() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(
        env,
        &[
            ("MOTOVAULT__REMINDERS__URGENT_DAYS", "10"),
            ("MOTOVAULT__REMINDERS__VERY_URGENT_DAYS", "2"),
            ("MOTOVAULT__REMINDERS__URGENT_DISTANCE", "500"),
            ("MOTOVAULT__REMINDERS__VERY_URGENT_DISTANCE", "200"),
        ],
    )
    .await;
    let path = setup(&mut app).await;
    let cases = [
        (by_date("d5", 5), "urgent"),
        (by_date("d20", 20), "notUrgent"),
        (by_odometer("o150", 10150), "veryUrgent"),
        (by_odometer("o400", 10400), "urgent"),
    ];
    for (body, urgency) in cases {
        let reply = create(&app, &path, &body).await;
        assert_eq!(reply.body["urgency"], urgency, "{body}");
    }
}

#[actix_web::test]
async fn crud_and_tags() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let mut body = by_date("Oil change", 100);
    body["notes"] = json!("5W-30");
    body["tags"] = json!(["engine", "oil"]);
    let created = create(&app, &path, &body).await;
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["metric"], "date");
    assert_eq!(created.body["monthInterval"], 12);
    assert_eq!(created.body["mileageInterval"], 5000);
    assert_eq!(created.body["customIntervalUnit"], "months");
    assert_eq!(created.body["isRecurring"], false);
    assert_eq!(created.body["dueOdometer"], Value::Null);
    assert_eq!(created.body["tags"], json!(["engine", "oil"]));

    let one = app.get(&format!("{path}/{id}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["notes"], "5W-30");
    assert_eq!(one.body["urgency"], "notUrgent");

    let changed = json!({
        "description": "Oil and filter", "metric": "both", "dueDate": in_days(100),
        "dueOdometer": 10030, "tags": ["oil"], "isRecurring": true, "fixedIntervals": true,
        "monthInterval": 6, "mileageInterval": 3000,
    });
    let updated = app.put(&format!("{path}/{id}"), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["description"], "Oil and filter");
    assert_eq!(updated.body["tags"], json!(["oil"]));
    assert_eq!(updated.body["urgency"], "veryUrgent");
    assert_eq!(updated.body["urgencyMetric"], "odometer");
    assert_eq!(updated.body["monthInterval"], 6);
    assert_eq!(updated.body["fixedIntervals"], true);

    assert_eq!(app.delete(&format!("{path}/{id}")).await.status, 204);
    assert_eq!(app.get(&format!("{path}/{id}")).await.status, 404);
    assert_eq!(app.delete(&format!("{path}/{id}")).await.status, 404);
    assert_eq!(app.get(&format!("{path}/x")).await.status, 404);
    assert_eq!(
        app.get(&path).await.body["records"],
        json!([]),
        "nothing left"
    );
}

#[actix_web::test]
async fn done_pushes_recurring_reminders_and_deletes_one_offs() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;

    // Yearly by date from Jan 31: the stored date moves a year on.
    let yearly = create(
        &app,
        &path,
        &json!({"description": "Inspection", "dueDate": "2024-01-31", "isRecurring": true}),
    )
    .await;
    let id = yearly.body["id"].as_i64().unwrap();
    assert_eq!(yearly.body["urgency"], "pastDue");
    let done = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["dueDate"], "2025-01-31");
    assert_eq!(done.body["dueOdometer"], Value::Null);
    let again = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(again.body["dueDate"], "2026-01-31");

    // Monthly from Jan 31 clamps to Feb 29 (2024 is a leap year).
    let monthly = create(
        &app,
        &path,
        &json!({"description": "Wash", "dueDate": "2024-01-31", "isRecurring": true, "monthInterval": 1}),
    )
    .await;
    let id = monthly.body["id"].as_i64().unwrap();
    let done = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(done.body["dueDate"], "2024-02-29");

    // Both, custom 45 days and 1234 distance.
    let both = create(
        &app,
        &path,
        &json!({
            "description": "Tyres", "metric": "both", "dueDate": "2024-03-01", "dueOdometer": 9000,
            "isRecurring": true, "monthInterval": 0, "customMonthInterval": 45,
            "customIntervalUnit": "days", "mileageInterval": 0, "customMileageInterval": 1234,
        }),
    )
    .await;
    let id = both.body["id"].as_i64().unwrap();
    let done = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["dueDate"], "2024-04-15");
    assert_eq!(done.body["dueOdometer"], 10234);
    assert_eq!(done.body["dueDistance"], 234);
    assert_eq!(done.body["urgency"], "pastDue", "still past due by date");
    assert_eq!(done.body["urgencyMetric"], "date");

    // Odometer only: the date is left alone.
    let odo = create(
        &app,
        &path,
        &json!({"description": "Chain", "metric": "odometer", "dueOdometer": 9500, "dueDate": "2024-05-05", "isRecurring": true, "mileageInterval": 1000}),
    )
    .await;
    let id = odo.body["id"].as_i64().unwrap();
    let done = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(done.body["dueOdometer"], 10500);
    assert_eq!(done.body["dueDate"], "2024-05-05");
    assert_eq!(done.body["urgency"], "notUrgent");

    // A one-off reminder is done for good: deleted.
    let once = create(&app, &path, &by_date("Recall", 3)).await;
    let id = once.body["id"].as_i64().unwrap();
    let done = app.post(&format!("{path}/{id}/done"), &json!({})).await;
    assert_eq!(done.status, 204, "{}", done.text);
    assert_eq!(app.get(&format!("{path}/{id}")).await.status, 404);
    assert_eq!(
        app.post(&format!("{path}/{id}/done"), &json!({}))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn bad_inputs_name_the_fields() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"description": "x", "metric": "odometer"}),
            vec!["dueOdometer"],
        ),
        (json!({"description": "x"}), vec!["dueDate"]),
        (
            json!({"description": "x", "metric": "both"}),
            vec!["dueDate", "dueOdometer"],
        ),
        (
            json!({"description": " ", "dueDate": "2024-01-01", "monthInterval": 2, "mileageInterval": 1234}),
            vec!["description", "monthInterval", "mileageInterval"],
        ),
        (
            json!({"description": "x", "metric": "odometer", "dueOdometer": -5}),
            vec!["dueOdometer"],
        ),
        (
            json!({"description": "x", "metric": "odometer", "dueOdometer": 1e12}),
            vec!["dueOdometer"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-01-01", "isRecurring": true, "monthInterval": 0}),
            vec!["customMonthInterval"],
        ),
        (
            json!({"description": "x", "metric": "odometer", "dueOdometer": 5, "isRecurring": true, "mileageInterval": 0}),
            vec!["customMileageInterval"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-01-01", "useCustomThresholds": true, "urgentDays": 5}),
            vec!["veryUrgentDays", "urgentDistance", "veryUrgentDistance"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-01-01", "urgentDays": -1}),
            vec!["urgentDays"],
        ),
        (
            json!({"description": "x", "metric": "weekly", "dueDate": "2024-01-01"}),
            vec!["metric"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-02-30"}),
            vec!["dueDate"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-01-01", "urgentDays": 1e10}),
            vec!["urgentDays"],
        ),
        (
            json!({"description": "x", "dueDate": "2024-01-01", "id": 5}),
            vec!["id"],
        ),
    ];
    for (body, fields) in cases {
        let reply = app.post(&path, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.error_fields(), fields, "{body}");
    }
    assert_eq!(app.get(&path).await.body["records"], json!([]));

    // A failed edit changes nothing.
    let id = create(&app, &path, &by_date("Keep", 100)).await.body["id"]
        .as_i64()
        .unwrap();
    let reply = app
        .put(
            &format!("{path}/{id}"),
            &json!({"description": "Changed", "metric": "odometer"}),
        )
        .await;
    assert_eq!(reply.error_fields(), vec!["dueOdometer"]);
    let kept = app.get(&format!("{path}/{id}")).await;
    assert_eq!(kept.body["description"], "Keep");
    assert_eq!(kept.body["metric"], "date");
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found() {
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let id = create(&app, &path, &by_date("Root's", 10)).await.body["id"]
        .as_i64()
        .unwrap();
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let body = by_date("Stolen", 10);
    let attempts = [
        app.get(&path).await,
        app.post(&path, &body).await,
        app.get(&format!("{path}/{id}")).await,
        app.put(&format!("{path}/{id}"), &body).await,
        app.delete(&format!("{path}/{id}")).await,
        app.post(&format!("{path}/{id}/done"), &json!({})).await,
    ];
    for reply in attempts {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    let list = app.get(&path).await;
    assert_eq!(list.body["records"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["records"][0]["description"], "Root's");
}

#[actix_web::test]
async fn a_service_record_with_linked_reminders_pushes_recurring_ones_forward() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Other").await;
    let base = format!("/api/v1/vehicles/{vehicle}/reminders");
    let recurring = app
        .post(
            &base,
            &json!({"description": "Oil change", "metric": "both", "dueDate": "2025-01-10",
                    "dueOdometer": 15000, "isRecurring": true, "monthInterval": 6, "mileageInterval": 5000}),
        )
        .await;
    assert_eq!(recurring.status, 201, "{}", recurring.text);
    let one_off = app
        .post(
            &base,
            &json!({"description": "Recall", "metric": "date", "dueDate": "2025-03-01"}),
        )
        .await;
    let foreign = app
        .post(
            &format!("/api/v1/vehicles/{other}/reminders"),
            &json!({"description": "Not mine", "metric": "date", "dueDate": "2025-03-01"}),
        )
        .await;
    let (recurring, one_off, foreign) = (
        recurring.body["id"].as_i64().unwrap(),
        one_off.body["id"].as_i64().unwrap(),
        foreign.body["id"].as_i64().unwrap(),
    );
    let services = format!("/api/v1/vehicles/{vehicle}/service-records");

    // A reminder of another vehicle: 422, and neither the record nor any reminder changes.
    let refused = app
        .post(
            &services,
            &json!({"date": "2024-12-20", "odometer": 14200, "description": "Oil", "reminderIds": [foreign]}),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.error_fields(), vec!["reminderIds"]);
    assert_eq!(app.get(&services).await.body["records"], json!([]));

    let done = app
        .post(
            &services,
            &json!({"date": "2024-12-20", "odometer": 14200, "description": "Oil",
                    "reminderIds": [recurring, one_off]}),
        )
        .await;
    assert_eq!(done.status, 201, "{}", done.text);
    // Not fixed intervals: from the record's date and odometer, +6 months and +5000.
    let moved = app.get(&format!("{base}/{recurring}")).await;
    assert_eq!(moved.body["dueDate"], "2025-06-20");
    assert_eq!(moved.body["dueOdometer"], 19200);
    // A one-off reminder is left as it was.
    assert_eq!(
        app.get(&format!("{base}/{one_off}")).await.body["dueDate"],
        "2025-03-01"
    );

    // Links are for new records only.
    let id = done.body["id"].as_i64().unwrap();
    let edit = app
        .put(
            &format!("{services}/{id}"),
            &json!({"date": "2024-12-20", "odometer": 14200, "description": "Oil", "reminderIds": [recurring]}),
        )
        .await;
    assert_eq!(edit.status, 422);
    assert_eq!(edit.error_fields(), vec!["reminderIds"]);
}

#[actix_web::test]
async fn auto_refresh_pushes_past_due_recurring_reminders_on_list() {
    use chrono::{Days, Months};
    let mut app = TestApp::spawn().await;
    let path = setup(&mut app).await;
    let yearly = create(
        &app,
        &path,
        &json!({"description": "Inspection", "dueDate": "2024-01-31", "isRecurring": true}),
    )
    .await;
    // Passed at 10 000: 10 000 + 5 000.
    let mileage = create(
        &app,
        &path,
        &json!({"description": "Oil", "metric": "odometer", "dueOdometer": 9000, "isRecurring": true}),
    )
    .await;
    // Fixed schedule 13 months behind: one year on is still past, two years on is not.
    let stored = today() - Months::new(12) - Days::new(10);
    let fixed = create(
        &app,
        &path,
        &json!({"description": "Registration", "dueDate": stored.to_string(), "isRecurring": true,
                "fixedIntervals": true}),
    )
    .await;
    let one_off = create(&app, &path, &by_date("Recall", -3)).await;
    let soon = create(
        &app,
        &path,
        &json!({"description": "Tyres", "dueDate": in_days(10), "isRecurring": true}),
    )
    .await;
    let due = |reply: &Reply, id: &Reply| {
        let record = reply.body["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id.body["id"])
            .unwrap()
            .clone();
        (
            record["dueDate"].clone(),
            record["dueOdometer"].clone(),
            record["urgency"].clone(),
        )
    };

    // Off by default: listing changes nothing.
    let before = app.get(&path).await;
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(
        due(&before, &yearly),
        (json!("2024-01-31"), Value::Null, json!("pastDue"))
    );
    assert_eq!(due(&before, &mileage).2, json!("pastDue"));

    let on = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoReminderRefresh": true}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(on.body["enableAutoReminderRefresh"], true);

    let after = app.get(&path).await;
    assert_eq!(after.status, 200, "{}", after.text);
    let next_year = (today() + Months::new(12)).to_string();
    assert_eq!(
        due(&after, &yearly),
        (json!(next_year), Value::Null, json!("notUrgent"))
    );
    assert_eq!(
        due(&after, &mileage),
        (Value::Null, json!(15000), json!("notUrgent"))
    );
    assert_eq!(
        due(&after, &fixed).0,
        json!((stored + Months::new(24)).to_string())
    );
    // One-off and not-yet-due reminders are left alone.
    assert_eq!(
        due(&after, &one_off),
        (json!(in_days(-3)), Value::Null, json!("pastDue"))
    );
    assert_eq!(
        due(&after, &soon),
        (json!(in_days(10)), Value::Null, json!("urgent"))
    );
    // Saved: a second list (and a single read) see the same values, nothing moves twice.
    let again = app.get(&path).await;
    assert_eq!(due(&again, &yearly).0, json!(next_year));
    assert_eq!(due(&again, &mileage).1, json!(15000));
    let id = yearly.body["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("{path}/{id}")).await.body["dueDate"],
        json!(next_year)
    );
}
