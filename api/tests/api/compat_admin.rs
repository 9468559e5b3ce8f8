//! The LubeLogger-compatible API, part 2 (reference §4.3): documents, the ICS calendar,
//! reminder e-mails, the recurring-tax check, backups, temp files and clean-up — spoken to
//! over HTTP as a LubeLogger client would (Basic credentials, API keys), setup via `/api/v1`.

use std::io::Read;

use awc::http::Method;
use awc::http::header::HeaderMap;
use base64::Engine;
use chrono::{Days, Months, NaiveDate, Utc};
use motovault_api::backup;
use motovault_api::compat::{calendar, documents};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestEnv};
use crate::smtp::Smtp;

/// The compat routes of this module (not in the OpenAPI document).
pub const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/documents/upload"),
    ("get", "/documents/{file}"),
    ("get", "/images/{file}"),
    ("get", "/api/calendar"),
    ("get", "/api/vehicle/reminders/send"),
    ("get", "/api/vehicle/taxrecords/check"),
    ("get", "/api/makebackup"),
    ("get", "/api/tempfiles"),
    ("get", "/api/cleanup"),
    ("get", "/api/demo/restore"),
    ("get", "/temp/{name}"),
];

const ROOT_PASSWORD: &str = "correct horse battery";
const BOUNDARY: &str = "----motovault-compat-3f9a";

fn basic(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn root() -> String {
    basic("root", ROOT_PASSWORD)
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }
}

/// A request without the test app's cookie; redirects are not followed.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let client = awc::Client::builder()
        .disable_redirects()
        .timeout(std::time::Duration::from_secs(60))
        .finish();
    let mut req = client.request(method, format!("{}{}", app.address, path));
    if let Some(auth) = auth {
        req = req.insert_header(("authorization", auth));
    }
    if let Some(ct) = content_type {
        req = req.insert_header(("content-type", ct));
    }
    let mut res = req.send_body(body).await.unwrap();
    let bytes = res.body().limit(64 * 1024 * 1024).await.unwrap().to_vec();
    Answer {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        bytes,
    }
}

async fn get(app: &TestApp, path: &str, auth: Option<&str>) -> Answer {
    send(app, Method::GET, path, auth, None, vec![]).await
}

fn multipart(files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, name, bytes) in files {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        body.extend_from_slice(
            format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, auth: &str, files: &[(&str, &str, &[u8])]) -> Answer {
    send(
        app,
        Method::POST,
        "/api/documents/upload",
        Some(auth),
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        multipart(files),
    )
    .await
}

async fn set_email(app: &TestApp, username: &str, email: &str) {
    use motovault_api::store::entity::user;
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(email.to_owned()))
        .filter(user::Column::Username.eq(username))
        .exec(&app.db)
        .await
        .unwrap();
}

async fn api_key(app: &TestApp, role: &str) -> String {
    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": format!("{role} key"), "role": role}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["secret"].as_str().unwrap().to_owned()
}

async fn add_record(app: &TestApp, vehicle: i64) -> i64 {
    let r = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records"),
            &json!({"date": "2025-04-01", "odometer": 1000, "description": "Brakes", "cost": 10}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn documents_upload_serve_and_attach() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", "bob password 1").await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = add_record(&app, vehicle).await;
    let key = api_key(&app, "viewer").await;

    // Nothing to upload: 400 with LubeLogger's message.
    let none = upload(&app, &root(), &[("other", "x.txt", b"x")]).await;
    assert_eq!(none.status, 400);
    assert_eq!(
        none.json(),
        json!({"success": false, "message": "No files to upload"})
    );
    let anonymous = send(
        &app,
        Method::POST,
        "/api/documents/upload",
        None,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        multipart(&[("documents", "a.pdf", b"%PDF")]),
    )
    .await;
    assert_eq!(anonymous.status, 401);

    let receipt: &[u8] = b"%PDF-1.4 receipt\r\n\x00\xff";
    let up = upload(
        &app,
        &root(),
        &[
            ("documents", "Receipt.PDF", receipt),
            ("documents", "notes.txt", b"hello"),
        ],
    )
    .await;
    assert_eq!(up.status, 200, "{}", up.text());
    let list = up.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Receipt.PDF");
    assert_eq!(list[0]["isPending"], false);
    assert_eq!(list[1]["name"], "notes.txt");
    let pdf_location = list[0]["location"].as_str().unwrap().to_owned();
    let txt_location = list[1]["location"].as_str().unwrap().to_owned();
    let pdf_name = pdf_location.strip_prefix("/documents/").unwrap().to_owned();
    assert_eq!(pdf_name.len(), 32 + 4, "{pdf_name}");
    assert!(pdf_name.ends_with(".pdf"));
    assert!(txt_location.ends_with(".txt"));

    // Unauthenticated: sent to the login page; an API key (query or header) is accepted.
    let redirected = get(&app, &pdf_location, None).await;
    assert_eq!(redirected.status, 302);
    assert_eq!(redirected.header("location"), "/login");
    let by_key = get(&app, &format!("{pdf_location}?apiKey={key}"), None).await;
    assert_eq!(by_key.status, 200);
    assert_eq!(by_key.bytes, receipt);
    assert_eq!(by_key.header("content-type"), "application/pdf");
    assert_eq!(by_key.header("x-content-type-options"), "nosniff");
    // Not a type a browser should render: a download.
    let txt = get(&app, &txt_location, Some(&root())).await;
    assert_eq!(txt.status, 200);
    assert_eq!(txt.bytes, b"hello");
    assert_eq!(txt.header("content-type"), "application/octet-stream");
    assert!(txt.header("content-disposition").starts_with("attachment"));
    // Unknown and malformed names.
    let missing = get(
        &app,
        "/documents/0123456789abcdef0123456789abcdef.pdf",
        Some(&root()),
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        get(&app, "/documents/..%2Fmotovault.db", Some(&root()))
            .await
            .status,
        404
    );

    // The record takes the document: from then on only those who see the vehicle fetch it.
    let settings = app.env.settings(&[]);
    let objects = motovault_api::infra::objects::from_settings(&settings).unwrap();
    let root_user = motovault_api::store::users::find_by_username(&app.db, "root")
        .await
        .unwrap()
        .unwrap();
    let caller = motovault_api::auth::Caller {
        user: root_user,
        credential: motovault_api::auth::caller::Credential::ApiKey {
            id: 0,
            role: motovault_shared::dto::access::Role::Manager,
        },
        need: motovault_shared::dto::access::Permission::Edit,
    };
    let attached = documents::attach(
        &app.db,
        &objects,
        &caller,
        vehicle,
        "service",
        record,
        &[
            ("Receipt.PDF".to_owned(), pdf_location.clone()),
            ("x".to_owned(), "https://example.com/x.pdf".to_owned()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(attached, 1);
    let native = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/service-records/{record}/attachments"
        ))
        .await;
    assert_eq!(native.body.as_array().unwrap().len(), 1, "{}", native.text);
    assert_eq!(native.body[0]["name"], "Receipt.PDF");
    assert_eq!(native.body[0]["sizeBytes"], receipt.len());
    let as_root = get(&app, &pdf_location, Some(&root())).await;
    assert_eq!(as_root.status, 200);
    assert_eq!(as_root.bytes, receipt);
    assert!(
        as_root
            .header("content-disposition")
            .contains("Receipt.PDF")
    );
    let as_bob = get(&app, &pdf_location, Some(&basic("bob", "bob password 1"))).await;
    assert_eq!(as_bob.status, 404);

    // The vehicle image is served at /images/… to those who see the vehicle.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let put = app
        .raw(
            Method::PUT,
            &format!("/api/v1/vehicles/{vehicle}/image"),
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart(&[("file", "car.png", png)]),
            &[],
        )
        .await;
    assert_eq!(put.status.as_u16() / 100, 2, "{}", put.text);
    let image_key = motovault_api::store::entity::vehicle::Entity::find_by_id(vehicle)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .image_key
        .unwrap();
    let image = get(&app, &format!("/images/{image_key}"), Some(&root())).await;
    assert_eq!(image.status, 200);
    assert_eq!(image.bytes, png);
    assert_eq!(image.header("content-type"), "image/png");
    assert_eq!(
        get(
            &app,
            &format!("/images/{image_key}"),
            Some(&basic("bob", "bob password 1"))
        )
        .await
        .status,
        404
    );
}

#[actix_web::test]
async fn calendar_lists_date_reminders_as_all_day_events() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let today = Utc::now().date_naive();
    let base = format!("/api/v1/vehicles/{vehicle}/reminders");
    let in_3 = today + Days::new(3);
    let in_20 = today + Days::new(20);
    let in_100 = today + Days::new(100);
    for body in [
        json!({"description": "Oil change", "metric": "date", "dueDate": in_3.to_string()}),
        json!({"description": "Tyres, winter", "metric": "both", "dueDate": in_20.to_string(), "dueOdometer": 1}),
        json!({"description": "Registration", "metric": "date", "dueDate": in_100.to_string()}),
        json!({"description": "Timing belt", "metric": "odometer", "dueOdometer": 90000}),
    ] {
        let r = app.post(&base, &body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let ics = get(&app, "/api/calendar", Some(&root())).await;
    assert_eq!(ics.status, 200);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    let text = ics.text();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{text}"
    );
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    // The odometer-only reminder is not in the calendar.
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 3, "{text}");
    assert!(!text.contains("Timing belt"));
    let event = |date: NaiveDate, description: &str, escaped: &str, priority: u8| {
        format!("UID:{}\r\nDTSTAMP:", calendar::uid(date, description))
            + &format!(
                "DTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\n\
             SUMMARY:2018 Honda Civic #ABC-123 - {escaped}\r\n\
             DESCRIPTION:2018 Honda Civic #ABC-123 - {escaped}\r\nPRIORITY:{priority}\r\n",
                date.format("%Y%m%d"),
                (date + Days::new(1)).format("%Y%m%d"),
            )
    };
    for (date, description, escaped, priority) in [
        // 3 days: very urgent (< 7 days) → 1; 20 days: urgent by date (the odometer of 1 is
        // ignored) → 2; 100 days: not urgent → 3.
        (in_3, "Oil change", "Oil change", 1),
        (in_20, "Tyres, winter", "Tyres\\, winter", 2),
        (in_100, "Registration", "Registration", 3),
    ] {
        let expected = event(date, description, escaped, priority);
        let (uid_part, rest) = expected.split_once("DTSTAMP:").unwrap();
        let at = text
            .find(uid_part)
            .unwrap_or_else(|| panic!("{uid_part} in {text}"));
        let after_stamp = &text[at..];
        let rest_at = after_stamp.find("DTSTART").unwrap();
        assert!(after_stamp[rest_at..].starts_with(rest), "{text}");
    }
    // Events come soonest first; another user sees none of them.
    assert!(text.find("Oil change").unwrap() < text.find("Registration").unwrap());
    app.add_user("bob", "bob password 1").await;
    let bobs = get(&app, "/api/calendar", Some(&basic("bob", "bob password 1"))).await;
    assert_eq!(bobs.status, 200);
    assert_eq!(bobs.text().matches("BEGIN:VEVENT").count(), 0);
    assert_eq!(get(&app, "/api/calendar", None).await.status, 401);
}

#[actix_web::test]
async fn reminder_emails_and_backup_by_email() {
    let smtp = Smtp::start().await;
    let env = TestEnv::new().await;
    let extra: Vec<(String, String)> = smtp.env();
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut app = TestApp::spawn_in(env, &extra).await;
    app.setup_root().await;
    app.add_user("bob", "bob password 1").await;
    set_email(&app, "bob", "bob@example.com").await;
    let vehicle = app.add_vehicle("Honda").await;
    let quiet = app.add_vehicle("Mazda").await;
    let added = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/collaborators"),
            &json!({"username": "bob"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let past = Utc::now().date_naive() - Days::new(2);
    let r = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/reminders"),
            &json!({"description": "Oil change", "metric": "date", "dueDate": past.to_string(), "tags": ["engine"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let far = Utc::now().date_naive() + Days::new(300);
    let r = app
        .post(
            &format!("/api/v1/vehicles/{quiet}/reminders"),
            &json!({"description": "Wax", "metric": "date", "dueDate": far.to_string()}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);

    // Root only: 403 with an empty body for anyone else.
    let denied = get(
        &app,
        "/api/vehicle/reminders/send",
        Some(&basic("bob", "bob password 1")),
    )
    .await;
    assert_eq!(denied.status, 403);
    assert!(denied.bytes.is_empty());

    // No reminder matches: nothing is sent.
    let none = get(
        &app,
        "/api/vehicle/reminders/send?urgencies=Urgent&urgencies=VeryUrgent",
        Some(&root()),
    )
    .await;
    assert_eq!(none.status, 200);
    assert_eq!(none.json()["success"], false);
    assert!(
        none.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("No Emails Sent, ")
    );
    assert!(smtp.messages().is_empty());

    // Past-due only, with the tag: one digest (the Honda) to root and bob.
    let sent = get(
        &app,
        "/api/vehicle/reminders/send?urgencies=PastDue&tags=engine",
        Some(&root()),
    )
    .await;
    assert_eq!(
        sent.json(),
        json!({"success": true, "message": "Emails Sent(1)"}),
        "{}",
        sent.text()
    );
    let mails = smtp.wait_for(2).await;
    assert_eq!(mails.len(), 2);
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, vec!["bob@example.com", "root@example.com"]);
    for m in &mails {
        assert_eq!(
            m.subject,
            "Vehicle Reminders From MotoVaultPro - 2018 Honda Civic #ABC-123"
        );
        assert!(m.body.contains("Oil change [Past Due]"), "{}", m.body);
        assert!(!m.body.contains("Wax"));
    }
    // All urgencies (the default): both vehicles; the Mazda only to root.
    let all = get(&app, "/api/vehicle/reminders/send", Some(&root())).await;
    assert_eq!(all.json()["message"], "Emails Sent(2)");
    smtp.wait_for(5).await;

    // The backup by e-mail goes to the root's address with the archive attached.
    let mailed = get(&app, "/api/makebackup?output=email", Some(&root())).await;
    assert_eq!(mailed.status, 200, "{}", mailed.text());
    assert_eq!(mailed.json()["success"], true, "{}", mailed.text());
    let mails = smtp.wait_for(6).await;
    let backup_mail = &mails[5];
    assert_eq!(backup_mail.to, "root@example.com");
    assert!(
        backup_mail
            .subject
            .starts_with("MotoVaultPro backup db_backup_")
    );
    assert!(
        backup_mail.body.contains("application/zip"),
        "{}",
        backup_mail.body
    );
    assert!(backup_mail.body.contains(".zip"));
}

#[actix_web::test]
async fn emails_fail_without_smtp() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let past = Utc::now().date_naive() - Days::new(2);
    let r = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/reminders"),
            &json!({"description": "Oil change", "metric": "date", "dueDate": past.to_string()}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let failed = get(&app, "/api/vehicle/reminders/send", Some(&root())).await;
    assert_eq!(
        failed.json(),
        json!({"success": false, "message": "All Emails Failed(1), Check SMTP Settings"})
    );
    let mailed = get(&app, "/api/makebackup?output=email", Some(&root())).await;
    assert_eq!(mailed.status, 200);
    assert_eq!(mailed.json()["success"], false);
}

#[actix_web::test]
async fn recurring_tax_check_back_fills_missed_periods() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let path = format!("/api/v1/vehicles/{vehicle}/tax-records");
    let first = Utc::now().date_naive() - Months::new(40);
    let created = app
        .post(
            &path,
            &json!({"date": first.to_string(), "description": "Registration", "cost": 100}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    // Made recurring by an update, which does not back-fill by itself.
    let updated = app
        .put(
            &format!("{path}/{id}"),
            &json!({"date": first.to_string(), "description": "Registration", "cost": 100,
                    "isRecurring": true, "recurringInterval": 12}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let count = motovault_api::store::tax::list(&app.db, vehicle)
        .await
        .unwrap()
        .len();
    assert_eq!(count, 1);

    let checked = get(&app, "/api/vehicle/taxrecords/check", Some(&root())).await;
    assert_eq!(
        checked.json(),
        json!({"success": true, "message": "Recurring Taxes for 1 Vehicles Updated!"})
    );
    // 40 months back at 12 months each: copies at +12, +24 and +36; only the last recurs.
    let rows = motovault_api::store::tax::list(&app.db, vehicle)
        .await
        .unwrap();
    let mut dates: Vec<(NaiveDate, bool)> = rows.iter().map(|r| (r.date, r.is_recurring)).collect();
    dates.sort();
    assert_eq!(
        dates,
        vec![
            (first, false),
            (first + Months::new(12), false),
            (first + Months::new(24), false),
            (first + Months::new(36), true),
        ]
    );
    let again = get(&app, "/api/vehicle/taxrecords/check", Some(&root())).await;
    assert_eq!(
        again.json(),
        json!({"success": true, "message": "No Recurring Taxes Updated"})
    );
    // Not root-only: an ordinary user may run it (on their own vehicles: none).
    app.add_user("bob", "bob password 1").await;
    let bob = get(
        &app,
        "/api/vehicle/taxrecords/check",
        Some(&basic("bob", "bob password 1")),
    )
    .await;
    assert_eq!(bob.json()["message"], "No Recurring Taxes Updated");
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap()
}

fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the archive"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[actix_web::test]
async fn backups_temp_files_and_clean_up() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", "bob password 1").await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = add_record(&app, vehicle).await;
    let file: &[u8] = b"receipt bytes \x00\x01\x02";
    let attached = app
        .raw(
            Method::POST,
            &format!("/api/v1/vehicles/{vehicle}/service-records/{record}/attachments"),
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart(&[("file", "receipt.pdf", file)]),
            &[],
        )
        .await;
    assert_eq!(attached.status, 201, "{}", attached.text);
    let attached_key = motovault_api::store::entity::attachment::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .location;

    // The schema's tables are exactly the backup's list.
    let mut listed: Vec<String> = backup::TABLES.iter().map(|t| (*t).to_owned()).collect();
    listed.sort();
    assert_eq!(backup::database_tables(&app.db).await.unwrap(), listed);

    // Root only.
    let bob = basic("bob", "bob password 1");
    for path in ["/api/makebackup", "/api/tempfiles", "/api/cleanup"] {
        let denied = get(&app, path, Some(&bob)).await;
        assert_eq!(denied.status, 403, "{path}");
        assert!(denied.bytes.is_empty());
    }

    let made = get(&app, "/api/makebackup", Some(&root())).await;
    assert_eq!(made.status, 200, "{}", made.text());
    let location = made.json().as_str().unwrap().to_owned();
    let name = location.strip_prefix("/temp/").unwrap().to_owned();
    assert!(
        name.starts_with("db_backup_") && name.ends_with(".zip"),
        "{name}"
    );
    // db_backup_yyyy-MM-dd-HH-mm-ss.zip
    assert_eq!(name.len(), "db_backup_2026-01-02-03-04-05.zip".len());
    assert_eq!(
        get(&app, "/api/tempfiles", Some(&root())).await.json(),
        json!([location])
    );

    let fetched = get(&app, &location, Some(&root())).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.header("content-type"), "application/zip");
    assert_eq!(get(&app, &location, Some(&bob)).await.status, 403);
    assert_eq!(get(&app, &location, None).await.status, 302);
    assert_eq!(
        get(&app, "/temp/..%2Fmotovault.db", Some(&root()))
            .await
            .status,
        404
    );

    let mut archive = unzip(&fetched.bytes);
    let manifest: backup::Manifest =
        serde_json::from_slice(&entry(&mut archive, backup::MANIFEST)).unwrap();
    assert_eq!(manifest.format, "motovault-backup");
    assert_eq!(manifest.format_version, backup::FORMAT_VERSION);
    assert!(!manifest.migrations.is_empty());
    assert_eq!(manifest.objects, 1);
    assert_eq!(manifest.object_bytes, file.len() as u64);
    let order: Vec<&str> = manifest.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(order, backup::TABLES);
    let rows = |t: &str| {
        manifest
            .tables
            .iter()
            .find(|c| c.name == t)
            .map(|c| c.rows)
            .unwrap()
    };
    assert_eq!(rows("users"), 2);
    assert_eq!(rows("vehicles"), 1);
    assert_eq!(rows("maintenance_records"), 1);
    assert_eq!(rows("attachments"), 1);
    let vehicles = String::from_utf8(entry(&mut archive, "tables/vehicles.jsonl")).unwrap();
    let lines: Vec<Value> = vehicles
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["make"], "Honda");
    assert_eq!(lines[0]["id"], vehicle);
    let users = String::from_utf8(entry(&mut archive, "tables/users.jsonl")).unwrap();
    let names: Vec<String> = users
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["username"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, vec!["root", "bob"]);
    assert_eq!(
        entry(&mut archive, &format!("objects/{attached_key}")),
        file
    );

    let download = get(&app, "/api/makebackup?output=download", Some(&root())).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), "application/zip");
    assert!(download.bytes.starts_with(b"PK"));
    let mut second = unzip(&download.bytes);
    assert_eq!(entry(&mut second, &format!("objects/{attached_key}")), file);

    // An uploaded document no record took, then clean-up: temp files first, objects only on
    // a deep clean, and the attached file survives.
    let up = upload(&app, &root(), &[("documents", "stray.pdf", b"stray")]).await;
    let stray = up.json()[0]["location"].as_str().unwrap().to_owned();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let third = get(&app, "/api/makebackup", Some(&root())).await;
    assert_eq!(third.status, 200);
    let temp = get(&app, "/api/tempfiles", Some(&root())).await.json();
    let temp_count = temp.as_array().unwrap().len();
    assert!(temp_count >= 2, "{temp}");
    let light = get(&app, "/api/cleanup", Some(&root())).await;
    assert_eq!(
        light.json(),
        json!({"temp_files_deleted": temp_count.to_string()})
    );
    assert_eq!(
        get(&app, "/api/tempfiles", Some(&root())).await.json(),
        json!([])
    );
    assert_eq!(get(&app, &stray, Some(&root())).await.status, 200);
    let deep = get(&app, "/api/cleanup?deepClean=true", Some(&root())).await;
    assert_eq!(
        deep.json(),
        json!({"temp_files_deleted": "0", "unlinked_thumbnails_deleted": "0", "unlinked_documents_deleted": "1"})
    );
    assert_eq!(get(&app, &stray, Some(&root())).await.status, 404);
    let kept = app
        .raw(
            Method::GET,
            &format!(
                "/api/v1/vehicles/{vehicle}/service-records/{record}/attachments/{}",
                attached.body["id"]
            ),
            None,
            vec![],
            &[],
        )
        .await;
    assert_eq!(kept.status, 200);
    assert_eq!(kept.text.as_bytes(), file);

    // The same archive from the command line.
    let out = app.env.dir.join("cli-backup.zip");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_motovault"));
    cmd.arg("backup")
        .arg("--output")
        .arg(&out)
        .env("MOTOVAULT__DATA_DIR", app.env.dir.join("data"))
        .envs(app.env.s3_env());
    if let Some(url) = &app.env.database_url {
        cmd.env("MOTOVAULT__DATABASE__URL", url);
    }
    let ran = cmd.output().unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(String::from_utf8_lossy(&ran.stdout).contains("backup written to"));
    let manifest = backup::read_manifest(&out).unwrap();
    assert_eq!(manifest.objects, 1);
    assert_eq!(
        manifest
            .tables
            .iter()
            .find(|t| t.name == "vehicles")
            .unwrap()
            .rows,
        1
    );
    let usage = std::process::Command::new(env!("CARGO_BIN_EXE_motovault"))
        .arg("backup")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[actix_web::test]
async fn every_route_wants_credentials() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for (method, path) in ROUTES {
        let path = path
            .replace("{file}", "0123456789abcdef0123456789abcdef.pdf")
            .replace("{name}", "db_backup_2026-01-02-03-04-05.zip");
        let method = if *method == "post" {
            Method::POST
        } else {
            Method::GET
        };
        let answer = send(&app, method, &path, None, None, vec![]).await;
        if path.starts_with("/api/") {
            assert_eq!(answer.status, 401, "{path}");
            assert_eq!(answer.header("www-authenticate"), "Basic", "{path}");
        } else {
            assert_eq!(answer.status, 302, "{path}");
            assert_eq!(answer.header("location"), "/login", "{path}");
        }
    }
}

/// A record of a compat list by id.
fn record_of(list: &Value, id: i64) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str().and_then(|s| s.parse::<i64>().ok()) == Some(id))
        .cloned()
        .unwrap_or(Value::Null)
}

fn object_key(location: &str) -> motovault_api::infra::objects::ObjectKey {
    motovault_api::infra::objects::ObjectKey::parse(location.strip_prefix("/documents/").unwrap())
        .unwrap()
}

#[actix_web::test]
async fn records_take_files_on_add_and_replace_them_on_update() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", "bob password 1").await;
    let bob = basic("bob", "bob password 1");
    let vehicle = app.add_vehicle("Honda").await;
    app.login("bob", "bob password 1").await;
    let bobs_vehicle = app.add_vehicle("Yamaha").await;
    app.login("root", ROOT_PASSWORD).await;
    let objects = motovault_api::infra::objects::from_settings(&app.env.settings(&[])).unwrap();

    let up = upload(
        &app,
        &root(),
        &[
            ("documents", "a.pdf", b"AAA-invoice"),
            ("documents", "b.png", b"BBB-photo"),
        ],
    )
    .await;
    assert_eq!(up.status, 200, "{}", up.text());
    let loc_a = up.json()[0]["location"].as_str().unwrap().to_owned();
    let loc_b = up.json()[1]["location"].as_str().unwrap().to_owned();

    // Service record, JSON: both uploads and a link; a missing object and junk are skipped.
    let json_body = |v: Value| serde_json::to_vec(&v).unwrap();
    let added = send(
        &app,
        Method::POST,
        "/api/vehicle/servicerecords/add",
        Some(&root()),
        Some("application/json"),
        json_body(json!({
            "vehicleId": vehicle, "date": "2026-01-03", "odometer": "1000",
            "description": "Oil", "cost": "49.9",
            "files": [
                {"name": "Invoice.pdf", "location": loc_a, "isPending": false},
                {"name": "", "location": loc_b},
                {"name": "Manual", "location": "https://example.com/manual.pdf"},
                {"name": "Gone", "location": "/documents/0123456789abcdef0123456789abcdef.pdf"},
                {"name": "Temp", "location": "/temp/x.pdf"},
            ]
        })),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text());
    assert_eq!(added.json()["message"], "Service Record Added");
    let service = added.json()["additionalData"]["recordId"].as_i64().unwrap();

    // Gas record, form fields: the invoice again, which now belongs to the service record,
    // so the fuel record gets its own copy.
    let form = format!(
        "vehicleId={vehicle}&date=2026-01-05&odometer=1200&fuelConsumed=40&isFillToFull=true\
         &missedFuelUp=false&cost=60&files%5B0%5D%5Bname%5D=Pump%20receipt\
         &files%5B0%5D%5Blocation%5D={loc_a}"
    );
    let added = send(
        &app,
        Method::POST,
        "/api/vehicle/gasrecords/add",
        Some(&root()),
        Some("application/x-www-form-urlencoded"),
        form.into_bytes(),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text());
    let gas = added.json()["additionalData"]["recordId"].as_i64().unwrap();

    let list = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={vehicle}"),
        Some(&root()),
    )
    .await;
    let files = record_of(&list.json(), service)["files"].clone();
    let b_name = loc_b.strip_prefix("/documents/").unwrap();
    assert_eq!(
        files,
        json!([
            {"name": "Invoice.pdf", "location": loc_a, "isPending": false},
            {"name": b_name, "location": loc_b, "isPending": false},
            {"name": "Manual", "location": "https://example.com/manual.pdf", "isPending": false},
        ])
    );
    let list = get(
        &app,
        &format!("/api/vehicle/gasrecords?vehicleId={vehicle}"),
        Some(&root()),
    )
    .await;
    let gas_files = record_of(&list.json(), gas)["files"].clone();
    assert_eq!(gas_files.as_array().unwrap().len(), 1, "{gas_files}");
    assert_eq!(gas_files[0]["name"], "Pump receipt");
    let loc_copy = gas_files[0]["location"].as_str().unwrap().to_owned();
    assert!(loc_copy.starts_with("/documents/") && loc_copy.ends_with(".pdf"));
    assert_ne!(loc_copy, loc_a);
    for (location, bytes) in [
        (&loc_a, &b"AAA-invoice"[..]),
        (&loc_b, &b"BBB-photo"[..]),
        (&loc_copy, &b"AAA-invoice"[..]),
    ] {
        let got = get(&app, location, Some(&root())).await;
        assert_eq!(got.status, 200, "{location}");
        assert_eq!(got.bytes, bytes, "{location}");
    }
    // The native API sees the same attachments, with sizes.
    let native = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/service-records/{service}/attachments"
        ))
        .await;
    assert_eq!(native.body.as_array().unwrap().len(), 3, "{}", native.text);
    assert_eq!(native.body[0]["sizeBytes"], 11);
    assert_eq!(native.body[2]["kind"], "url", "{}", native.text);
    assert_eq!(native.body[2]["url"], "https://example.com/manual.pdf");
    let ids: Vec<Value> = native
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();

    // An update without `files` keeps them; one that sends the listed files back changes nothing.
    let root_auth = root();
    let update = |files: Option<Value>| {
        let mut body = json!({
            "id": service, "date": "2026-01-03", "odometer": "1000",
            "description": "Oil and filter", "cost": "59.9",
        });
        if let Some(files) = files {
            body["files"] = files;
        }
        send(
            &app,
            Method::PUT,
            "/api/vehicle/servicerecords/update",
            Some(&root_auth),
            Some("application/json"),
            json_body(body),
        )
    };
    let r = update(None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = update(Some(files.clone())).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let native = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/service-records/{service}/attachments"
        ))
        .await;
    let same: Vec<Value> = native
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(same, ids);

    // Without the invoice: its row goes and its bytes are purged; the fuel copy stays.
    let r = update(Some(json!([files[1].clone(), files[2].clone()]))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let list = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={vehicle}"),
        Some(&root()),
    )
    .await;
    let record = record_of(&list.json(), service);
    assert_eq!(record["description"], "Oil and filter");
    assert_eq!(record["files"], json!([files[1].clone(), files[2].clone()]));
    assert!(!objects.exists(&object_key(&loc_a)).await.unwrap());
    assert_eq!(get(&app, &loc_a, Some(&root())).await.status, 404);
    assert!(objects.exists(&object_key(&loc_b)).await.unwrap());
    let copy = get(&app, &loc_copy, Some(&root())).await;
    assert_eq!((copy.status, copy.bytes), (200, b"AAA-invoice".to_vec()));

    // Bob names root's files on his own record: never attached; his own upload is.
    let up = upload(&app, &bob, &[("documents", "mine.pdf", b"bob's")]).await;
    let loc_bob = up.json()[0]["location"].as_str().unwrap().to_owned();
    let added = send(
        &app,
        Method::POST,
        "/api/vehicle/servicerecords/add",
        Some(&bob),
        Some("application/json"),
        json_body(json!({
            "vehicleId": bobs_vehicle, "date": "2026-02-01", "odometer": "10",
            "description": "Chain", "cost": "5",
            "files": [
                {"name": "stolen", "location": loc_b},
                {"name": "stolen copy", "location": loc_copy},
                {"name": "mine", "location": loc_bob},
            ]
        })),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text());
    let bobs = added.json()["additionalData"]["recordId"].as_i64().unwrap();
    let list = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={bobs_vehicle}"),
        Some(&bob),
    )
    .await;
    assert_eq!(
        record_of(&list.json(), bobs)["files"],
        json!([{"name": "mine", "location": loc_bob, "isPending": false}])
    );
    let attachments = motovault_api::store::entity::attachment::Entity::find()
        .filter(motovault_api::store::entity::attachment::Column::VehicleId.eq(bobs_vehicle))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(attachments.len(), 1);
    // …nor through an update of his record.
    let r = send(
        &app,
        Method::PUT,
        "/api/vehicle/servicerecords/update",
        Some(&bob),
        Some("application/x-www-form-urlencoded"),
        format!(
            "id={bobs}&date=2026-02-01&odometer=10&description=Chain&cost=5\
             &files[0][name]=mine&files[0][location]={loc_bob}\
             &files[1][name]=stolen&files[1][location]={loc_b}"
        )
        .into_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let list = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={bobs_vehicle}"),
        Some(&bob),
    )
    .await;
    assert_eq!(
        record_of(&list.json(), bobs)["files"],
        json!([{"name": "mine", "location": loc_bob, "isPending": false}])
    );

    // A record the domain refuses is not written, and the copy staged for it is removed.
    let before = objects.list().await.unwrap().len();
    let refused = send(
        &app,
        Method::POST,
        "/api/vehicle/gasrecords/add",
        Some(&root()),
        Some("application/x-www-form-urlencoded"),
        format!(
            "vehicleId={vehicle}&date=2026-01-06&odometer=1300&fuelConsumed=-4\
             &isFillToFull=true&missedFuelUp=false&cost=6\
             &files[0][name]=again&files[0][location]={loc_b}"
        )
        .into_bytes(),
    )
    .await;
    assert_eq!(refused.status, 400, "{}", refused.text());
    let mut after = 0;
    for _ in 0..50 {
        after = objects.list().await.unwrap().len();
        if after == before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(after, before);
    let list = get(
        &app,
        &format!("/api/vehicle/gasrecords?vehicleId={vehicle}"),
        Some(&root()),
    )
    .await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
}
