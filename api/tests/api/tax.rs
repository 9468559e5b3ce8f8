//! Tax records: CRUD, totals and the recurring back-fill (reference §3.5).

use chrono::{Months, NaiveDate, TimeDelta, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/tax-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/tax-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/tax-records/check"),
    ("get", "/api/v1/vehicles/{vehicleId}/tax-records/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/tax-records/{recordId}"),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/tax-records/{recordId}",
    ),
];

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn tax(date: NaiveDate, description: &str, cost: f64) -> Value {
    json!({"date": date.to_string(), "description": description, "cost": cost})
}

fn records(reply: &crate::helpers::Reply) -> &Vec<Value> {
    reply.body["records"].as_array().unwrap()
}

fn dates_and_flags(reply: &crate::helpers::Reply) -> Vec<(String, bool)> {
    records(reply)
        .iter()
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["isRecurring"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn setup() -> (TestApp, i64, String) {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let path = format!("/api/v1/vehicles/{vehicle}/tax-records");
    (app, vehicle, path)
}

#[actix_web::test]
async fn crud_newest_first_with_an_exact_total() {
    let (app, vehicle, path) = setup().await;
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let mut first = tax(d("2024-01-15"), "Registration", 120.1);
    first["notes"] = json!("DMV");
    first["tags"] = json!(["yearly", "dmv"]);
    let created = app.post(&path, &first).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["description"], "Registration");
    assert_eq!(created.body["cost"], 120.1);
    assert_eq!(created.body["tags"], json!(["yearly", "dmv"]));
    assert_eq!(created.body["isRecurring"], false);
    assert_eq!(created.body["recurringInterval"], 12);
    assert_eq!(created.body["customIntervalUnit"], "months");
    assert_eq!(created.body["vehicleId"], vehicle);
    let first_id = created.body["id"].as_i64().unwrap();
    let second = app
        .post(&path, &tax(d("2024-03-01"), "Parking fine", 0.2))
        .await;
    assert_eq!(second.status, 201, "{}", second.text);
    let second_id = second.body["id"].as_i64().unwrap();

    let list = app.get(&path).await;
    assert_eq!(list.status, 200);
    let ids: Vec<i64> = records(&list)
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![second_id, first_id], "newest first");
    // 120.1 + 0.2 in floating point is 120.29999999999998.
    assert_eq!(list.body["totalCost"], 120.3);

    let one = app.get(&format!("{path}/{first_id}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["notes"], "DMV");

    let mut changed = tax(d("2024-01-16"), "Registration 2024", 130.0);
    changed["tags"] = json!(["dmv"]);
    changed["isRecurring"] = json!(true);
    changed["recurringInterval"] = json!(0);
    changed["customInterval"] = json!(400);
    changed["customIntervalUnit"] = json!("days");
    let updated = app.put(&format!("{path}/{first_id}"), &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["description"], "Registration 2024");
    assert_eq!(updated.body["date"], "2024-01-16");
    assert_eq!(updated.body["tags"], json!(["dmv"]));
    assert_eq!(updated.body["recurringInterval"], 0);
    assert_eq!(updated.body["customInterval"], 400);
    assert_eq!(updated.body["customIntervalUnit"], "days");

    assert_eq!(app.delete(&format!("{path}/{second_id}")).await.status, 204);
    assert_eq!(app.get(&format!("{path}/{second_id}")).await.status, 404);
    assert_eq!(app.delete(&format!("{path}/{second_id}")).await.status, 404);
    assert_eq!(app.get(&format!("{path}/nope")).await.status, 404);
    assert_eq!(app.get(&format!("{path}/0")).await.status, 404);
    assert_eq!(app.get(&format!("{path}/check")).await.status, 404);

    // A record under another vehicle's path is not found.
    let other = app.add_vehicle("Other").await;
    let elsewhere = format!("/api/v1/vehicles/{other}/tax-records/{first_id}");
    assert_eq!(app.get(&elsewhere).await.status, 404);
    assert_eq!(app.put(&elsewhere, &changed).await.status, 404);
    assert_eq!(app.delete(&elsewhere).await.status, 404);
    assert_eq!(app.get(&format!("{path}/{first_id}")).await.status, 200);
}

#[actix_web::test]
async fn a_yearly_record_three_years_overdue_becomes_four_on_list() {
    let (app, _, path) = setup().await;
    // Created today (not due), then dated back three years by an edit (edits do not back-fill).
    let mut body = tax(today(), "Registration", 100.0);
    body["isRecurring"] = json!(true);
    body["tags"] = json!(["dmv"]);
    let created = app.post(&path, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["isRecurring"], true);
    let id = created.body["id"].as_i64().unwrap();
    let start = today() - Months::new(36);
    body["date"] = json!(start.to_string());
    let edited = app.put(&format!("{path}/{id}"), &body).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.body["isRecurring"], true);

    // The list back-fills: copies 2 years ago, 1 year ago and today, only the last recurring
    // (the reference's "now" includes the time of day, so today's anniversary is past).
    let list = app.get(&path).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let expected: Vec<(String, bool)> = [
        (start + Months::new(36), true),
        (start + Months::new(24), false),
        (start + Months::new(12), false),
        (start, false),
    ]
    .iter()
    .map(|(d, r)| (d.to_string(), *r))
    .collect();
    assert_eq!(dates_and_flags(&list), expected);
    assert_eq!(list.body["totalCost"], 400.0);
    for record in records(&list) {
        assert_eq!(record["description"], "Registration");
        assert_eq!(record["cost"], 100.0);
        assert_eq!(record["tags"], json!(["dmv"]), "copies keep the tags");
    }
    // Listing again adds nothing.
    assert_eq!(records(&app.get(&path).await).len(), 4);
}

#[actix_web::test]
async fn create_back_fills_in_the_same_transaction() {
    let (app, _, path) = setup().await;
    // Three years and a month ago.
    let start = today() - Months::new(37);
    let mut body = tax(start, "Registration", 100.0);
    body["isRecurring"] = json!(true);
    let created = app.post(&path, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    // The answer is the record as it stands afterwards: no longer recurring.
    assert_eq!(created.body["isRecurring"], false);
    assert_eq!(created.body["date"], start.to_string());
    let rows: Vec<(String, bool)> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT CAST(date AS TEXT), is_recurring FROM tax_records ORDER BY date",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<String>(0).unwrap(),
                row.try_get_by_index::<bool>(1).unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = [0, 12, 24, 36]
        .iter()
        .map(|m| (start + Months::new(*m), *m == 36))
        .map(|(d, r)| (d.to_string(), r))
        .collect();
    assert_eq!(rows, expected, "stored before any list");
}

#[actix_web::test]
async fn the_back_fill_runs_on_list_and_check() {
    let (app, _, path) = setup().await;
    // A yearly record created when it was not yet due, then moved back by an edit (edits do
    // not back-fill): the next list does.
    let mut body = tax(today() - Months::new(6), "Insurance", 50.0);
    body["isRecurring"] = json!(true);
    let created = app.post(&path, &body).await;
    assert_eq!(created.body["isRecurring"], true, "not due yet");
    let id = created.body["id"].as_i64().unwrap();
    body["date"] = json!((today() - Months::new(12) - TimeDelta::days(1)).to_string());
    let edited = app.put(&format!("{path}/{id}"), &body).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.body["isRecurring"], true);

    let checked = app.post(&format!("{path}/check"), &json!({})).await;
    assert_eq!(checked.status, 200, "{}", checked.text);
    let start = today() - Months::new(12) - TimeDelta::days(1);
    assert_eq!(
        dates_and_flags(&checked),
        vec![
            ((start + Months::new(12)).to_string(), true),
            (start.to_string(), false),
        ]
    );

    // One day short of a period: not due yet.
    let mut toll = tax(today() - TimeDelta::days(364), "Toll pass", 10.0);
    toll["isRecurring"] = json!(true);
    toll["recurringInterval"] = json!(0);
    toll["customInterval"] = json!(365);
    toll["customIntervalUnit"] = json!("days");
    let kept = app.post(&path, &toll).await;
    assert_eq!(kept.body["isRecurring"], true);
    assert_eq!(records(&app.get(&path).await).len(), 3);
    // Exactly one period ago: due today, so a copy dated today takes over the recurrence.
    toll["description"] = json!("Ferry pass");
    toll["date"] = json!((today() - TimeDelta::days(365)).to_string());
    let due = app.post(&path, &toll).await;
    assert_eq!(due.body["isRecurring"], false);
    let list = app.get(&path).await;
    assert_eq!(records(&list).len(), 5);
    let ferry: Vec<(String, bool)> = records(&list)
        .iter()
        .filter(|r| r["description"] == "Ferry pass")
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["isRecurring"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ferry,
        vec![
            (today().to_string(), true),
            ((today() - TimeDelta::days(365)).to_string(), false),
        ]
    );

    // Custom days: 10-day period started 25 days ago → copies 15 and 5 days ago.
    let mut tenner = tax(today() - TimeDelta::days(25), "Parking permit", 1.0);
    tenner["isRecurring"] = json!(true);
    tenner["recurringInterval"] = json!(0);
    tenner["customInterval"] = json!(10);
    tenner["customIntervalUnit"] = json!("days");
    assert_eq!(app.post(&path, &tenner).await.status, 201);
    let list = app.get(&path).await;
    let permits: Vec<(String, bool)> = records(&list)
        .iter()
        .filter(|r| r["description"] == "Parking permit")
        .map(|r| {
            (
                r["date"].as_str().unwrap().to_owned(),
                r["isRecurring"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        permits,
        vec![
            ((today() - TimeDelta::days(5)).to_string(), true),
            ((today() - TimeDelta::days(15)).to_string(), false),
            ((today() - TimeDelta::days(25)).to_string(), false),
        ]
    );
}

#[actix_web::test]
async fn sold_vehicles_are_not_back_filled() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let sold = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2010, "make": "Old", "model": "Car", "purchaseDate": "2010-01-01", "soldDate": "2020-01-01"}),
        )
        .await;
    assert_eq!(sold.status, 201, "{}", sold.text);
    let path = format!(
        "/api/v1/vehicles/{}/tax-records",
        sold.body["id"].as_i64().unwrap()
    );
    let mut body = tax(today() - Months::new(40), "Registration", 100.0);
    body["isRecurring"] = json!(true);
    let created = app.post(&path, &body).await;
    assert_eq!(created.body["isRecurring"], true);
    assert_eq!(records(&app.get(&path).await).len(), 1);
    assert_eq!(
        records(&app.post(&format!("{path}/check"), &json!({})).await).len(),
        1
    );
}

#[actix_web::test]
async fn concurrent_lists_back_fill_once() {
    let (app, _, path) = setup().await;
    let mut body = tax(today(), "Registration", 100.0);
    body["isRecurring"] = json!(true);
    body["recurringInterval"] = json!(1);
    let id = app.post(&path, &body).await.body["id"].as_i64().unwrap();
    // Move it 12 periods back without back-filling (edits do not back-fill).
    body["date"] = json!((today() - Months::new(12) - TimeDelta::days(1)).to_string());
    assert_eq!(app.put(&format!("{path}/{id}"), &body).await.status, 200);

    let (a, b) = futures_util::future::join(app.get(&path), app.get(&path)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(b.status, 200, "{}", b.text);
    let list = app.get(&path).await;
    // The original and 12 monthly copies, the last one recurring.
    assert_eq!(records(&list).len(), 13);
    let recurring = records(&list)
        .iter()
        .filter(|r| r["isRecurring"] == true)
        .count();
    assert_eq!(recurring, 1);
}

#[actix_web::test]
async fn bad_inputs_are_refused_and_nothing_is_written() {
    let (app, _, path) = setup().await;
    let d = "2024-01-15".parse::<NaiveDate>().unwrap();
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"date": "2024-01-15", "description": "  ", "cost": -1, "recurringInterval": 5}),
            vec!["description", "cost", "recurringInterval"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": 1, "isRecurring": true, "recurringInterval": 0}),
            vec!["customInterval"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": 1, "customInterval": 5000, "customIntervalUnit": "months"}),
            vec!["customInterval"],
        ),
        (
            json!({"date": "1800-01-01", "description": "x", "cost": 1e10}),
            vec!["date", "cost"],
        ),
        // Daily for years: more copies than the limit.
        (
            json!({"date": "2001-01-01", "description": "x", "cost": 1, "isRecurring": true, "recurringInterval": 0, "customInterval": 1, "customIntervalUnit": "days"}),
            vec!["date"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": "abc"}),
            vec!["cost"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": 1, "customIntervalUnit": "weeks"}),
            vec!["customIntervalUnit"],
        ),
        (
            json!({"date": "2024-01-15", "cost": 1}),
            vec!["description"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": 1, "surprise": 1}),
            vec!["surprise"],
        ),
        (
            json!({"date": "2024-01-15", "description": "x", "cost": 1, "tags": ["two words"]}),
            vec!["tags"],
        ),
    ];
    for (body, fields) in cases {
        let reply = app.post(&path, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.code(), "validation_failed");
        let got = reply.error_fields();
        for field in &fields {
            assert!(got.iter().any(|g| g == field), "{body}: {got:?}");
        }
    }
    assert_eq!(records(&app.get(&path).await).len(), 0);

    // A failed edit leaves the record as it was.
    let id = app.post(&path, &tax(d, "Registration", 10.0)).await.body["id"]
        .as_i64()
        .unwrap();
    let reply = app
        .put(
            &format!("{path}/{id}"),
            &json!({"date": "2024-01-15", "description": "", "cost": 5}),
        )
        .await;
    assert_eq!(reply.error_fields(), vec!["description"]);
    let kept = app.get(&format!("{path}/{id}")).await;
    assert_eq!(kept.body["description"], "Registration");
    assert_eq!(kept.body["cost"], 10.0);
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let roots = app.add_vehicle("RootCar").await;
    let path = format!("/api/v1/vehicles/{roots}/tax-records");
    let id = app
        .post(&path, &tax(today(), "Registration", 10.0))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let body = tax(today(), "Stolen", 1.0);
    let attempts = [
        app.get(&path).await,
        app.post(&path, &body).await,
        app.post(&format!("{path}/check"), &json!({})).await,
        app.get(&format!("{path}/{id}")).await,
        app.put(&format!("{path}/{id}"), &body).await,
        app.delete(&format!("{path}/{id}")).await,
        app.get("/api/v1/vehicles/999999/tax-records").await,
    ];
    for reply in attempts {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
        assert_eq!(reply.content_type(), "application/problem+json");
    }
    app.login("root", "correct horse battery").await;
    let list = app.get(&path).await;
    assert_eq!(records(&list).len(), 1);
    assert_eq!(list.body["records"][0]["description"], "Registration");
}

#[actix_web::test]
async fn back_filled_copies_get_their_own_files_and_extra_fields() {
    use crate::attachments::{fetch, stored_files, upload};
    let (app, vehicle, path) = setup().await;
    let template = app
        .put(
            "/api/v1/extra-fields/tax",
            &json!({"fields": [{"name": "Policy", "fieldType": "text"}]}),
        )
        .await;
    assert_eq!(template.status, 200, "{}", template.text);
    let mut body = tax(today(), "Insurance", 50.0);
    body["isRecurring"] = json!(true);
    let id = app.post(&path, &body).await.body["id"].as_i64().unwrap();
    let files = |record: i64| format!("{path}/{record}/attachments");
    let fields = |record: i64| format!("{path}/{record}/extra-fields");
    let pdf = b"%PDF-1.7 policy \x00\xff".to_vec();
    assert_eq!(
        upload(&app, &files(id), "policy.pdf", &pdf).await.status,
        201
    );
    let link = app
        .post(
            &format!("{}/links", files(id)),
            &json!({"name": "Insurer", "url": "https://insurer.example"}),
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    let values = app
        .put(
            &fields(id),
            &json!({"fields": [{"name": "Policy", "value": "P-123"}]}),
        )
        .await;
    assert_eq!(values.status, 200, "{}", values.text);
    // Dated back two years: the list back-fills one year ago and today.
    body["date"] = json!((today() - Months::new(24)).to_string());
    assert_eq!(app.put(&format!("{path}/{id}"), &body).await.status, 200);
    let list = app.get(&path).await;
    let ids: Vec<i64> = records(&list)
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{}", list.text);
    assert_eq!(*ids.last().unwrap(), id, "the original is the oldest");

    // Every record has its own file (its own object), the link and the extra-field value.
    let mut file_ids = Vec::new();
    for record in &ids {
        let listed = app.get(&files(*record)).await;
        let attachments = listed.body.as_array().unwrap();
        assert_eq!(attachments.len(), 2, "{}", listed.text);
        assert_eq!(attachments[0]["name"], "policy.pdf");
        assert_eq!(attachments[0]["sizeBytes"], pdf.len());
        assert_eq!(attachments[1]["url"], "https://insurer.example");
        let file = attachments[0]["id"].as_i64().unwrap();
        let (status, _, bytes) = fetch(&app, &format!("{}/{file}", files(*record))).await;
        assert_eq!((status, bytes), (200, pdf.clone()));
        file_ids.push(file);
        let extra = app.get(&fields(*record)).await;
        assert_eq!(extra.body["fields"][0]["value"], "P-123", "{}", extra.text);
    }
    file_ids.dedup();
    assert_eq!(file_ids.len(), 3);
    assert_eq!(stored_files(&app), 3, "one object per record");

    // Deleting the original deletes only its own file.
    assert_eq!(app.delete(&format!("{path}/{id}")).await.status, 204);
    assert_eq!(stored_files(&app), 2);
    for (record, file) in ids.iter().zip(&file_ids).take(2) {
        let (status, _, bytes) = fetch(&app, &format!("{}/{file}", files(*record))).await;
        assert_eq!((status, bytes), (200, pdf.clone()));
    }
    let _ = vehicle;
}
