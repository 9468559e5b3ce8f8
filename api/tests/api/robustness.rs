//! Malformed input gets a clear problem+json answer, never a 500, and writes nothing.

use awc::http::Method;
use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn malformed_requests_get_problem_answers() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let fuel = format!("/api/v1/vehicles/{vehicle}/fuel-records");
    let json_ct = Some("application/json");

    /// method, path, content type, body, expected status, code, invalid fields
    type Case<'a> = (
        Method,
        String,
        Option<&'a str>,
        Vec<u8>,
        u16,
        &'a str,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            b"{not json".to_vec(),
            400,
            "malformed_request",
            vec![],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            vec![],
            400,
            "malformed_request",
            vec![],
        ),
        (
            Method::POST,
            fuel.clone(),
            Some("text/plain"),
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
            vec![],
        ),
        (
            Method::POST,
            fuel.clone(),
            None,
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
            vec![],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"yesterday","odometer":1,"fuelConsumed":1,"cost":1}"#.to_vec(),
            422,
            "validation_failed",
            vec!["date"],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":"lots","fuelConsumed":1,"cost":1}"#.to_vec(),
            422,
            "validation_failed",
            vec!["odometer"],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":-5,"fuelConsumed":-1,"cost":-2}"#.to_vec(),
            422,
            "validation_failed",
            vec!["odometer", "fuelConsumed", "cost"],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":99999999999999,"fuelConsumed":1e11,"cost":1e10}"#
                .to_vec(),
            422,
            "validation_failed",
            vec!["odometer", "fuelConsumed", "cost"],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1e300}"#.to_vec(),
            422,
            "validation_failed",
            vec!["cost"],
        ),
        (
            Method::POST,
            fuel.clone(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1,"isFillToFull":"yes"}"#
                .to_vec(),
            422,
            "validation_failed",
            vec!["isFillToFull"],
        ),
        (
            Method::POST,
            "/api/v1/vehicles".into(),
            json_ct,
            br#"{"year":"new","make":"A","model":"B"}"#.to_vec(),
            422,
            "validation_failed",
            vec!["year"],
        ),
        (
            Method::POST,
            "/api/v1/vehicles".into(),
            json_ct,
            br#"{"year":2000,"make":"A","model":"B","fuelType":"steam"}"#.to_vec(),
            422,
            "validation_failed",
            vec!["fuelType"],
        ),
        (
            Method::POST,
            "/api/v1/vehicles/999999/fuel-records".into(),
            json_ct,
            br#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1}"#.to_vec(),
            404,
            "not_found",
            vec![],
        ),
        (
            Method::GET,
            "/api/v1/vehicles/abc".into(),
            None,
            vec![],
            404,
            "not_found",
            vec![],
        ),
        (
            Method::GET,
            "/api/v1/vehicles/-1".into(),
            None,
            vec![],
            404,
            "not_found",
            vec![],
        ),
        (
            Method::GET,
            "/api/v1/vehicles/99999999999999999999999".into(),
            None,
            vec![],
            404,
            "not_found",
            vec![],
        ),
        (
            Method::GET,
            format!("{fuel}/xyz"),
            None,
            vec![],
            404,
            "not_found",
            vec![],
        ),
        (
            Method::GET,
            "/api/v1/no-such-thing".into(),
            None,
            vec![],
            404,
            "not_found",
            vec![],
        ),
        (
            Method::PATCH,
            "/api/v1/vehicles".into(),
            json_ct,
            b"{}".to_vec(),
            404,
            "not_found",
            vec![],
        ),
    ];
    for (method, path, ct, body, status, code, fields) in cases {
        let label = format!("{method} {path} {}", String::from_utf8_lossy(&body));
        let reply = app.raw(method, &path, ct, body, &[]).await;
        assert_eq!(reply.status.as_u16(), status, "{label}: {}", reply.text);
        assert_eq!(reply.code(), code, "{label}");
        assert_eq!(reply.content_type(), "application/problem+json", "{label}");
        assert_eq!(reply.body["status"], status, "{label}");
        assert!(reply.body["title"].is_string(), "{label}");
        if !fields.is_empty() {
            assert_eq!(reply.error_fields(), fields, "{label}: {}", reply.text);
        }
    }
    let list = app.get(&fuel).await;
    assert_eq!(list.body["records"], json!([]), "nothing was written");
}

#[actix_web::test]
async fn oversized_bodies_are_refused() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let notes = "x".repeat(300 * 1024);
    let body =
        json!({"date": "2024-01-01", "odometer": 1, "fuelConsumed": 1, "cost": 1, "notes": notes});
    let reply = app
        .post(&format!("/api/v1/vehicles/{vehicle}/fuel-records"), &body)
        .await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.code(), "payload_too_large");
    // Long notes under the body limit are still checked against the notes limit.
    let notes = "y".repeat(20_001);
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2024-01-01", "odometer": 1, "fuelConsumed": 1, "cost": 1, "notes": notes}),
        )
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_fields(), vec!["notes"]);
}

/// Many writers at once on one vehicle (each reads before it writes: the service record's
/// automatic odometer record checks the current reading): every one lands, none answers 500.
/// On SQLite a deferred transaction that read first could not take the write lock after
/// another writer committed ("database is locked"); write transactions begin IMMEDIATE.
#[actix_web::test]
async fn concurrent_writers_all_succeed() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Busy").await;
    let path = format!("/api/v1/vehicles/{vehicle}/service-records");
    const WRITERS: i64 = 24;
    let bodies: Vec<serde_json::Value> = (1..=WRITERS)
        .map(|n| {
            json!({"date": "2024-05-01", "odometer": 1000 + n, "description": format!("Job {n}"), "cost": 10})
        })
        .collect();
    let replies =
        futures_util::future::join_all(bodies.iter().map(|body| app.post(&path, body))).await;
    for reply in &replies {
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let listed = app.get(&path).await;
    assert_eq!(
        listed.body["records"].as_array().unwrap().len(),
        WRITERS as usize
    );
    let odometer = app
        .get(&format!("/api/v1/vehicles/{vehicle}/odometer-records"))
        .await;
    assert_eq!(
        odometer.body["records"].as_array().unwrap().len(),
        WRITERS as usize,
        "one automatic reading per service record"
    );
}
