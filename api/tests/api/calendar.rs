//! Calendar of reminders and the per-user ICS feed with a revocable token (issue 8).

use base64::Engine;
use chrono::{Days, NaiveDate, Utc};
use motovault_api::store::entity::calendar_token;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Reply, TestApp};

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/calendar"),
    ("get", "/api/v1/calendar/feed"),
    ("post", "/api/v1/calendar/feed"),
    ("delete", "/api/v1/calendar/feed"),
    ("get", "/api/v1/calendar/feed/{secret}.ics"),
];

const PASSWORD: &str = "correct horse battery";

async fn reminder(app: &TestApp, vehicle: i64, body: Value) -> i64 {
    let reply = app
        .post(&format!("/api/v1/vehicles/{vehicle}/reminders"), &body)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

fn dated(description: &str, due: NaiveDate) -> Value {
    json!({"description": description, "metric": "date", "dueDate": due.to_string()})
}

async fn calendar(app: &TestApp, from: NaiveDate, to: NaiveDate) -> Reply {
    app.get(&format!("/api/v1/calendar?from={from}&to={to}"))
        .await
}

/// `(description, due date, urgency)` of each event, in the answer's order.
fn listed(reply: &Reply) -> Vec<(String, String, String)> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["description"].as_str().unwrap().to_owned(),
                e["dueDate"].as_str().unwrap().to_owned(),
                e["urgency"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn event(description: &str, due: NaiveDate, urgency: &str) -> (String, String, String) {
    (description.to_owned(), due.to_string(), urgency.to_owned())
}

/// A GET with no cookie and no credentials, as a calendar app sends it.
async fn anonymous(app: &TestApp, path: &str) -> (u16, String, String) {
    let mut res = awc::Client::default()
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    let body = res.body().await.unwrap();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        res.status().as_u16(),
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// The ICS text without its DTSTAMP lines (the moment each answer was built).
fn without_stamps(ics: &str) -> String {
    ics.split("\r\n")
        .filter(|l| !l.starts_with("DTSTAMP:"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[actix_web::test]
async fn events_in_range_with_urgency_by_date_and_no_odometer_only_reminders() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let today = Utc::now().date_naive();
    let (in_3, in_20, in_100) = (
        today + Days::new(3),
        today + Days::new(20),
        today + Days::new(100),
    );
    let past = today - Days::new(5);
    let oil = reminder(&app, vehicle, dated("Oil change", in_3)).await;
    // Due by odometer 1 (long passed) or in 20 days: by the date alone it is urgent.
    reminder(
        &app,
        vehicle,
        json!({"description": "Tyres", "metric": "both", "dueDate": in_20.to_string(), "dueOdometer": 1}),
    )
    .await;
    reminder(&app, vehicle, dated("Registration", in_100)).await;
    reminder(&app, vehicle, dated("Inspection", past)).await;
    reminder(
        &app,
        vehicle,
        json!({"description": "Timing belt", "metric": "odometer", "dueOdometer": 90000}),
    )
    .await;

    // Ten days back to thirty ahead: past due (-5), very urgent (3 < 7 days), urgent (20 < 30).
    let month = calendar(&app, today - Days::new(10), today + Days::new(30)).await;
    assert_eq!(
        listed(&month),
        vec![
            event("Inspection", past, "pastDue"),
            event("Oil change", in_3, "veryUrgent"),
            event("Tyres", in_20, "urgent"),
        ]
    );
    let first = &month.body["events"][1];
    assert_eq!(first["reminderId"], oil);
    assert_eq!(first["vehicleId"], vehicle);
    assert_eq!(first["vehicleName"], "2018 Honda Civic #ABC-123");
    assert_eq!(
        first["link"],
        format!("/vehicles/{vehicle}/reminders?record={oil}")
    );
    assert_eq!(month.body["from"], (today - Days::new(10)).to_string());

    // Both ends are included; 100 days ahead is not urgent (≥ 30 days).
    assert_eq!(
        listed(&calendar(&app, in_20, in_100).await),
        vec![
            event("Tyres", in_20, "urgent"),
            event("Registration", in_100, "notUrgent"),
        ]
    );
    // A day with nothing due.
    assert_eq!(
        listed(&calendar(&app, today + Days::new(4), today + Days::new(19)).await),
        vec![]
    );
}

#[actix_web::test]
async fn a_range_is_two_dates_at_most_366_days_apart() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 2024 is a leap year: all of it is 366 days.
    assert_eq!(
        calendar(&app, d("2024-01-01"), d("2024-12-31"))
            .await
            .status,
        200
    );
    let cases: [(&str, &[&str]); 6] = [
        ("from=2025-01-01&to=2026-01-02", &["to"]),
        ("from=2026-03-02&to=2026-03-01", &["to"]),
        ("to=2026-03-01", &["from"]),
        ("from=2026-03-01", &["to"]),
        ("from=2026-13-01&to=2026-03-01", &["from"]),
        ("from=yesterday&to=tomorrow", &["from", "to"]),
    ];
    for (query, fields) in cases {
        let reply = app.get(&format!("/api/v1/calendar?{query}")).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
        assert_eq!(reply.error_fields(), *fields, "{query}");
    }
    app.forget();
    assert_eq!(
        app.get("/api/v1/calendar?from=2026-03-01&to=2026-03-31")
            .await
            .status,
        401
    );
}

#[actix_web::test]
async fn strangers_reminders_are_absent_and_household_members_see_the_heads() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "carol"] {
        app.add_user(name, PASSWORD).await;
    }
    let due = Utc::now().date_naive() + Days::new(10);
    let (from, to) = (due - Days::new(1), due + Days::new(1));

    app.login("ann", PASSWORD).await;
    let family = app.add_vehicle("Family").await;
    reminder(&app, family, dated("Ann's service", due)).await;
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);

    app.login("carol", PASSWORD).await;
    let own = app.add_vehicle("Carol's").await;
    reminder(&app, own, dated("Carol's service", due)).await;
    assert_eq!(
        listed(&calendar(&app, from, to).await),
        vec![event("Carol's service", due, "urgent")]
    );

    // Bob, a viewer in Ann's household, sees her reminder; nobody else's.
    app.login("bob", PASSWORD).await;
    let seen = calendar(&app, from, to).await;
    assert_eq!(listed(&seen), vec![event("Ann's service", due, "urgent")]);
    assert_eq!(seen.body["events"][0]["vehicleId"], family);
}

#[actix_web::test]
async fn the_feed_url_needs_no_session_and_rotating_or_revoking_kills_it() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let today = Utc::now().date_naive();
    reminder(&app, vehicle, dated("Oil change", today + Days::new(3))).await;
    reminder(&app, vehicle, dated("Registration", today + Days::new(100))).await;
    reminder(
        &app,
        vehicle,
        json!({"description": "Timing belt", "metric": "odometer", "dueOdometer": 90000}),
    )
    .await;

    let none = app.get("/api/v1/calendar/feed").await;
    assert_eq!(none.status, 200);
    assert_eq!(none.body, json!({"active": false, "createdAt": null}));

    // Writes need the CSRF token like every session write.
    let csrf = app.csrf.take();
    assert_eq!(
        app.post("/api/v1/calendar/feed", &json!({})).await.status,
        403
    );
    app.csrf = csrf;

    let created = app.post("/api/v1/calendar/feed", &json!({})).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
    let path = created.body["path"].as_str().unwrap().to_owned();
    assert_eq!(path, format!("/api/v1/calendar/feed/{secret}.ics"));

    // The status never shows the secret; the database keeps only its SHA-256.
    let status = app.get("/api/v1/calendar/feed").await;
    assert_eq!(status.body["active"], true);
    assert_eq!(status.body["createdAt"], created.body["createdAt"]);
    assert!(!status.text.contains(&secret));
    let rows = calendar_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].token_hash, hex::encode(Sha256::digest(&secret)));
    assert_ne!(rows[0].token_hash, secret);

    // No cookie, no header: the secret is the credential. Same events as `/api/calendar`.
    let (code, content_type, ics) = anonymous(&app, &path).await;
    assert_eq!(code, 200, "{ics}");
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    assert!(ics.contains("SUMMARY:2018 Honda Civic #ABC-123 - Oil change\r\n"));
    assert!(!ics.contains("Timing belt"));
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("root:{PASSWORD}"))
    );
    let compat = app
        .raw(
            awc::http::Method::GET,
            "/api/calendar",
            None,
            vec![],
            &[("authorization", &basic)],
        )
        .await;
    assert_eq!(compat.status, 200);
    assert_eq!(without_stamps(&ics), without_stamps(&compat.text));

    // Rotating: the old URL is dead at once, the new one works.
    let rotated = app.post("/api/v1/calendar/feed", &json!({})).await;
    assert_eq!(rotated.status, 201);
    let new_path = rotated.body["path"].as_str().unwrap().to_owned();
    assert_ne!(new_path, path);
    assert_eq!(anonymous(&app, &path).await.0, 404);
    assert_eq!(anonymous(&app, &new_path).await.0, 200);
    assert_eq!(
        calendar_token::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // Made-up secrets name nothing.
    for wrong in [
        format!("/api/v1/calendar/feed/{}.ics", "0".repeat(64)),
        format!("/api/v1/calendar/feed/{}.ics", secret.to_uppercase()),
        "/api/v1/calendar/feed/x.ics".to_owned(),
    ] {
        assert_eq!(anonymous(&app, &wrong).await.0, 404, "{wrong}");
    }

    // Revoking: 204, then the URL is 404 and there is nothing left to revoke.
    assert_eq!(app.delete("/api/v1/calendar/feed").await.status, 204);
    assert_eq!(anonymous(&app, &new_path).await.0, 404);
    assert_eq!(app.delete("/api/v1/calendar/feed").await.status, 404);
    assert_eq!(app.get("/api/v1/calendar/feed").await.body["active"], false);
}

#[actix_web::test]
async fn api_keys_cannot_manage_the_feed_and_each_user_has_their_own() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", PASSWORD).await;
    let key = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "script", "role": "manager"}),
        )
        .await;
    let bearer = format!("Bearer {}", key.body["secret"].as_str().unwrap());
    let as_key = app
        .raw(
            awc::http::Method::POST,
            "/api/v1/calendar/feed",
            Some("application/json"),
            b"{}".to_vec(),
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(as_key.status, 403, "{}", as_key.text);

    let vehicle = app.add_vehicle("Honda").await;
    reminder(
        &app,
        vehicle,
        dated("Root's", Utc::now().date_naive() + Days::new(3)),
    )
    .await;
    let root_feed = app.post("/api/v1/calendar/feed", &json!({})).await;
    app.login("bob", PASSWORD).await;
    let bob_feed = app.post("/api/v1/calendar/feed", &json!({})).await;
    let (code, _, ics) = anonymous(&app, bob_feed.body["path"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 0, "{ics}");
    // Bob revoking his feed leaves the root's alone.
    assert_eq!(app.delete("/api/v1/calendar/feed").await.status, 204);
    let (code, _, ics) = anonymous(&app, root_feed.body["path"].as_str().unwrap()).await;
    assert_eq!(code, 200);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
}

#[actix_web::test]
async fn polling_the_feed_never_writes_even_with_auto_refresh_on() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    // Past due and recurring: listing it as its owner with auto-refresh on moves it forward.
    let id = reminder(
        &app,
        vehicle,
        json!({"description": "Inspection", "metric": "date", "dueDate": "2024-01-31", "isRecurring": true}),
    )
    .await;
    let on = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoReminderRefresh": true}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    let created = app.post("/api/v1/calendar/feed", &json!({})).await;
    let path = created.body["path"].as_str().unwrap().to_owned();

    let (status, _, ics) = anonymous(&app, &path).await;
    assert_eq!(status, 200);
    assert!(ics.contains("Inspection"), "{ics}");
    // The feed reads as a viewer: the stored due date is unchanged.
    let stored = app
        .get(&format!("/api/v1/vehicles/{vehicle}/reminders/{id}"))
        .await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    assert_eq!(stored.body["dueDate"], "2024-01-31");
}
