//! Background jobs: the lease, daily jobs run once across replicas, recurring taxes, webhook
//! deliveries to a real HTTP receiver (retries, give-up, 429, Discord), reminder state-change
//! notifications, and the real scheduler on three replicas.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Months, NaiveDate, TimeDelta, Utc};
use motovault_api::jobs::{self, Runner};
use motovault_api::store::jobs as store;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestEnv};
use crate::smtp::Smtp;

const JOBS_OFF: (&str, &str) = ("MOTOVAULT__JOBS__ENABLED", "false");

/// A webhook receiver on loopback: records every request body and answers the requests whose
/// body contains the marker with the scripted statuses (then, and all others, 200).
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    /// `script`: (status, extra header) per request, in order.
    fn start(
        marker: &'static str,
        script: Vec<(u16, Option<(&'static str, &'static str)>)>,
    ) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let seen = bodies.clone();
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        break;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':')
                        && k.eq_ignore_ascii_case("content-length")
                    {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8(body).unwrap();
                let scripted = body.contains(marker);
                seen.lock().unwrap().push(body);
                let (status, header) = scripted
                    .then(|| script.lock().unwrap().pop_front())
                    .flatten()
                    .unwrap_or((200, None));
                let extra = header
                    .map(|(k, v)| format!("{k}: {v}\r\n"))
                    .unwrap_or_default();
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\n{extra}content-length: 2\r\nconnection: close\r\n\r\nno"
                );
            }
        });
        Receiver { url, bodies }
    }

    fn bodies(&self) -> Vec<Value> {
        self.bodies
            .lock()
            .unwrap()
            .iter()
            .map(|b| serde_json::from_str(b).unwrap())
            .collect()
    }

    async fn wait_for(&self, count: usize) -> Vec<Value> {
        for _ in 0..200 {
            if self.bodies().len() >= count {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        self.bodies()
    }
}

/// An app without its own scheduler, set up with root, and a runner driven by the test.
async fn app_and_runner(extra: &[(&str, &str)]) -> (TestApp, Runner) {
    let mut settings: Vec<(&str, &str)> = vec![JOBS_OFF];
    settings.extend_from_slice(extra);
    let mut app = TestApp::spawn_in(TestEnv::new().await, &settings).await;
    app.setup_root().await;
    let runner = Runner::from_settings(app.db.clone(), app.env.settings(&settings))
        .await
        .unwrap();
    (app, runner)
}

async fn run_count(app: &TestApp, job: &str) -> usize {
    store::runs(&app.db, job).await.unwrap().len()
}

fn names(ran: &[jobs::Ran]) -> Vec<&str> {
    ran.iter().map(|r| r.job).collect()
}

#[actix_web::test]
async fn the_lease_goes_to_one_holder_until_it_lapses() {
    let (app, _) = app_and_runner(&[]).await;
    let db = &app.db;
    let now = Utc::now();
    let minute = TimeDelta::seconds(60);
    assert!(
        store::take_lease(db, "j", "a", now, now + minute)
            .await
            .unwrap()
    );
    assert!(
        !store::take_lease(db, "j", "b", now, now + minute)
            .await
            .unwrap()
    );
    // The holder renews.
    assert!(
        store::take_lease(db, "j", "a", now, now + minute)
            .await
            .unwrap()
    );
    // After it lapses, the other takes it and the first is out.
    let later = now + minute + TimeDelta::seconds(1);
    assert!(
        store::take_lease(db, "j", "b", later, later + minute)
            .await
            .unwrap()
    );
    assert!(
        !store::take_lease(db, "j", "a", later, later + minute)
            .await
            .unwrap()
    );
    // Released: taken at once.
    store::release_lease(db, "j", "b", later).await.unwrap();
    assert!(
        store::take_lease(db, "j", "a", later, later + minute)
            .await
            .unwrap()
    );

    // A race on a lease nobody holds yet: exactly one of eight wins.
    let tries = (0..8).map(|i| {
        let db = db.clone();
        async move {
            store::take_lease(&db, "race", &format!("h{i}"), now, now + minute)
                .await
                .unwrap()
        }
    });
    let won = futures_util::future::join_all(tries).await;
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{won:?}");
}

#[actix_web::test]
async fn a_daily_job_runs_once_across_replicas_and_again_the_next_day() {
    let (app, a) = app_and_runner(&[("MOTOVAULT__JOBS__DAILY_AT", "03:00")]).await;
    let b = Runner::from_settings(
        app.db.clone(),
        app.env
            .settings(&[JOBS_OFF, ("MOTOVAULT__JOBS__DAILY_AT", "03:00")]),
    )
    .await
    .unwrap();
    assert_ne!(a.holder(), b.holder());
    let day = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let at = |h, m| -> DateTime<Utc> { day.and_hms_opt(h, m, 0).unwrap().and_utc() };

    // Both tick at once, after 03:00: each daily job runs on one of them.
    let (ran_a, ran_b) = tokio::join!(jobs::run_due(&a, at(9, 0)), jobs::run_due(&b, at(9, 0)));
    let mut all = names(&ran_a);
    all.extend(names(&ran_b));
    all.sort();
    assert_eq!(
        all,
        vec![
            jobs::RECURRING_TAXES,
            jobs::REMINDER_EMAILS,
            jobs::TEMP_CLEANUP
        ]
    );
    assert!(
        ran_a.iter().chain(&ran_b).all(|r| r.ok),
        "{ran_a:?} {ran_b:?}"
    );
    // Without SMTP the digest is skipped, as a successful run.
    let digest = ran_a
        .iter()
        .chain(&ran_b)
        .find(|r| r.job == jobs::REMINDER_EMAILS)
        .unwrap();
    assert_eq!(digest.detail, "skipped: SMTP is not configured");
    for job in [
        jobs::RECURRING_TAXES,
        jobs::REMINDER_EMAILS,
        jobs::TEMP_CLEANUP,
    ] {
        assert_eq!(run_count(&app, job).await, 1, "{job}");
    }
    // The next ticks, on either replica and after the leases lapse: not due again.
    for now in [at(9, 1), at(12, 0), at(23, 59)] {
        assert!(jobs::run_due(&a, now).await.is_empty());
        assert!(jobs::run_due(&b, now).await.is_empty());
    }
    // The next day before 03:00 still counts as today's run; after 03:00 it is due again.
    let next = |h, m| at(h, m) + TimeDelta::days(1);
    assert!(jobs::run_due(&b, next(2, 59)).await.is_empty());
    assert_eq!(jobs::run_due(&b, next(3, 0)).await.len(), 3);
    for job in [
        jobs::RECURRING_TAXES,
        jobs::REMINDER_EMAILS,
        jobs::TEMP_CLEANUP,
    ] {
        let runs = store::runs(&app.db, job).await.unwrap();
        assert_eq!(runs.len(), 2, "{job}");
        assert!(
            runs.iter()
                .all(|r| r.ok == Some(true) && r.finished_at.is_some())
        );
    }
}

#[actix_web::test]
async fn the_recurring_tax_job_back_fills_every_missed_year() {
    let (app, runner) = app_and_runner(&[]).await;
    let vehicle = app.add_vehicle("Honda").await;
    let path = format!("/api/v1/vehicles/{vehicle}/tax-records");
    let today = Utc::now().date_naive();
    // Created while not due (creating back-fills at once), then moved 25 months back by an
    // edit (edits do not back-fill): only the job does.
    let mut body = json!({"date": today.to_string(), "description": "Road tax", "cost": 120.5,
        "isRecurring": true, "recurringInterval": 12});
    let created = app.post(&path, &body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let start = today - Months::new(25);
    body["date"] = json!(start.to_string());
    assert_eq!(app.put(&format!("{path}/{id}"), &body).await.status, 200);
    assert_eq!(tax_rows(&app, vehicle).await.len(), 1);

    let ran = jobs::run_due(&runner, Utc::now()).await;
    let taxes = ran.iter().find(|r| r.job == jobs::RECURRING_TAXES).unwrap();
    assert_eq!(taxes.detail, "recurring taxes of 1 vehicles updated");
    // start +12 months: no longer recurring (today > start + 24 months); start + 24 months:
    // still recurring (today ≤ start + 36 months), so the back-fill stops there.
    let cost = 1_205_000; // 120.5 at 4 decimals
    assert_eq!(
        tax_rows(&app, vehicle).await,
        vec![
            (start.to_string(), false, cost),
            ((start + Months::new(12)).to_string(), false, cost),
            ((start + Months::new(24)).to_string(), true, cost),
        ]
    );
}

/// (date, recurring, cost at 4 decimals) of the vehicle's tax records, oldest first.
async fn tax_rows(app: &TestApp, vehicle: i64) -> Vec<(String, bool, i64)> {
    let mut rows: Vec<(String, bool, i64)> = motovault_api::store::tax::list(&app.db, vehicle)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.date.to_string(), r.is_recurring, r.cost))
        .collect();
    rows.sort();
    rows
}

async fn delivery(app: &TestApp, id: i64) -> motovault_api::store::entity::webhook_delivery::Model {
    store::deliveries(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap()
}

/// The queued `reminderrecord.statechanged` bodies, oldest first.
async fn state_changes(app: &TestApp) -> Vec<Value> {
    store::deliveries(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| serde_json::from_str::<Value>(&d.payload).unwrap())
        .filter(|p| p["type"] == "reminderrecord.statechanged")
        .collect()
}

/// Posts a fill-up through the native API; returns its id.
async fn add_fuel(app: &TestApp, vehicle: i64) -> i64 {
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2026-11-20", "odometer": 12345, "fuelConsumed": 30.5, "cost": 45.5, "isFillToFull": true}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn webhooks_post_the_payload_and_retry_until_a_2xx() {
    let receiver = Receiver::start("gasrecord", vec![(500, None), (503, None)]);
    let (app, runner) = app_and_runner(&[
        ("MOTOVAULT__WEBHOOKS__URLS", receiver.url.as_str()),
        ("MOTOVAULT__WEBHOOKS__BACKOFF_BASE_MS", "1000"),
    ])
    .await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = add_fuel(&app, vehicle).await;
    let queued = store::deliveries(&app.db).await.unwrap();
    let gas: Vec<_> = queued
        .iter()
        .filter(|d| d.payload.contains("gasrecord.add"))
        .collect();
    assert_eq!(gas.len(), 1, "{queued:?}");
    let id = gas[0].id;

    // 1st attempt: 500, retried after 1 s (+ up to 0.5 s jitter).
    let t0 = Utc::now();
    jobs::run_due(&runner, t0).await;
    let first = delivery(&app, id).await;
    assert_eq!(first.attempts, 1);
    assert_eq!(first.delivered_at, None);
    assert!(
        first.last_error.as_deref().unwrap().starts_with("HTTP 500"),
        "{first:?}"
    );
    let wait = first.next_attempt_at - t0;
    assert!(
        wait >= TimeDelta::milliseconds(1000) && wait <= TimeDelta::milliseconds(1500),
        "{wait}"
    );
    // Not due yet: nothing posted.
    jobs::run_due(&runner, t0 + TimeDelta::milliseconds(900)).await;
    assert_eq!(delivery(&app, id).await.attempts, 1);
    // 2nd: 503, then 2 s (+ up to 1 s).
    let t1 = t0 + TimeDelta::seconds(2);
    jobs::run_due(&runner, t1).await;
    let second = delivery(&app, id).await;
    assert_eq!(second.attempts, 2);
    let wait = second.next_attempt_at - t1;
    assert!(
        wait >= TimeDelta::seconds(2) && wait <= TimeDelta::seconds(3),
        "{wait}"
    );
    // 3rd: 200, delivered; later ticks post nothing more.
    jobs::run_due(&runner, t1 + TimeDelta::seconds(4)).await;
    let third = delivery(&app, id).await;
    assert_eq!(third.attempts, 3);
    assert!(third.delivered_at.is_some());
    jobs::run_due(&runner, t1 + TimeDelta::seconds(60)).await;

    let bodies: Vec<Value> = receiver
        .bodies()
        .into_iter()
        .filter(|b| b["type"] == "gasrecord.add")
        .collect();
    assert_eq!(bodies.len(), 3, "posted once per attempt");
    assert!(
        bodies.iter().all(|b| *b == bodies[0]),
        "the same body every time"
    );
    // Reference §3.10, exactly.
    let body = &bodies[0];
    let timestamp = body["timestamp"].as_str().unwrap().to_owned();
    assert_eq!(
        timestamp.len(),
        "2026-11-26T11:30:00.1234567Z".len(),
        "{timestamp}"
    );
    assert_eq!(
        *body,
        json!({
            "type": "gasrecord.add",
            "timestamp": timestamp,
            "data": {
                "user": "root",
                "vehicleId": vehicle.to_string(),
                "odometer": "12345",
                "fuelconsumed": "30.5",
                "cost": "45.50",
            },
            "vehicleId": vehicle,
            "username": "root",
            "action": "root Added Gas Record Odometer: 12345",
        }),
        "record {record}"
    );
}

#[actix_web::test]
async fn webhooks_give_up_after_max_attempts_and_honour_retry_after() {
    let receiver = Receiver::start(
        "",
        vec![
            (429, Some(("Retry-After", "30"))),
            (500, None),
            (500, None),
            (500, None),
        ],
    );
    let (app, runner) = app_and_runner(&[
        ("MOTOVAULT__WEBHOOKS__URLS", receiver.url.as_str()),
        ("MOTOVAULT__WEBHOOKS__BACKOFF_BASE_MS", "10"),
        ("MOTOVAULT__WEBHOOKS__MAX_ATTEMPTS", "2"),
    ])
    .await;
    let vehicle = app.add_vehicle("Honda").await;
    let before = receiver.bodies().len();
    let t0 = Utc::now();
    jobs::run_due(&runner, t0).await;
    // The vehicle's own event: 429 with Retry-After 30 → at least 30 s.
    let rows = store::deliveries(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].next_attempt_at - t0 >= TimeDelta::seconds(30),
        "{rows:?}"
    );
    jobs::run_due(&runner, t0 + TimeDelta::seconds(10)).await;
    assert_eq!(
        receiver.bodies().len(),
        before + 1,
        "not before Retry-After"
    );
    jobs::run_due(&runner, t0 + TimeDelta::seconds(40)).await;
    let row = store::deliveries(&app.db).await.unwrap().remove(0);
    assert_eq!(row.attempts, 2);
    assert_eq!(row.delivered_at, None);
    assert!(row.last_error.as_deref().unwrap().starts_with("HTTP 500"));
    // Given up: kept, never posted again.
    jobs::run_due(&runner, t0 + TimeDelta::hours(2)).await;
    assert_eq!(receiver.bodies().len(), before + 2);
    assert_eq!(store::deliveries(&app.db).await.unwrap().len(), 1);
    let _ = vehicle;
}

#[actix_web::test]
async fn discord_urls_get_discords_body() {
    let receiver = Receiver::start("", vec![]);
    let urls = format!(
        "discord://discord.invalid/api/webhooks/1/secret,{}",
        receiver.url
    );
    let (app, _) = app_and_runner(&[("MOTOVAULT__WEBHOOKS__URLS", urls.as_str())]).await;
    let vehicle = app.add_vehicle("Honda").await;
    add_fuel(&app, vehicle).await;
    let rows: Vec<_> = store::deliveries(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.payload.contains("Gas Record"))
        .collect();
    assert_eq!(rows.len(), 2, "one per URL");
    let discord = rows
        .iter()
        .find(|r| r.url.starts_with("discord://"))
        .unwrap();
    let plain = rows.iter().find(|r| r.url == receiver.url).unwrap();
    let plain: Value = serde_json::from_str(&plain.payload).unwrap();
    let discord: Value = serde_json::from_str(&discord.payload).unwrap();
    assert_eq!(
        discord,
        json!({
            "username": "MotoVaultPro",
            "avatar_url": motovault_api::events::payload::DISCORD_AVATAR,
            "content": plain["action"],
        })
    );
    assert_eq!(discord["content"], "root Added Gas Record Odometer: 12345");
    assert_eq!(
        jobs::webhooks::post_url("discord://discord.invalid/api/webhooks/1/secret"),
        "https://discord.invalid/api/webhooks/1/secret"
    );
}

#[actix_web::test]
async fn a_reminder_state_change_is_notified_once_per_change() {
    let smtp = Smtp::start().await;
    let receiver = Receiver::start("", vec![]);
    let mut extra: Vec<(String, String)> = smtp.env();
    extra.push(("MOTOVAULT__WEBHOOKS__URLS".into(), receiver.url.clone()));
    let extra: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (app, runner) = app_and_runner(&extra).await;
    let vehicle = app.add_vehicle("Honda").await;
    let now = Utc::now();
    let due = now.date_naive() + TimeDelta::days(20);
    let created = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/reminders"),
            &json!({"description": "Brake fluid", "dueDate": due.to_string()}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);

    // Due in 20 days: Urgent (< 30) — notified once, however often the job runs.
    jobs::run_due(&runner, now).await;
    jobs::run_due(&runner, now + TimeDelta::minutes(1)).await;
    let changes = state_changes(&app).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    let first = &changes[0];
    assert_eq!(first["vehicleId"], vehicle);
    assert_eq!(first["username"], "MotoVaultPro");
    assert_eq!(
        first["data"],
        json!({"vehicleId": vehicle.to_string(), "description": "Brake fluid", "metric": "Date",
            "urgency": "Urgent", "previousUrgency": ""})
    );
    assert_eq!(
        first["action"],
        "Reminder Brake fluid for 2018 Honda Civic #ABC-123 is now Urgent"
    );
    // The daily digest and the state change.
    let mails = smtp.wait_for(2).await;
    let mails: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Reminder Urgency Changed"))
        .collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "root@example.com");
    assert!(
        mails[0].body.contains("Brake fluid [Urgent]"),
        "{}",
        mails[0].body
    );

    // 14 days later it is due in 6: VeryUrgent; 21 days later: PastDue. One each.
    jobs::run_due(&runner, now + TimeDelta::days(14)).await;
    jobs::run_due(&runner, now + TimeDelta::days(14) + TimeDelta::minutes(1)).await;
    jobs::run_due(&runner, now + TimeDelta::days(21)).await;
    let urgencies: Vec<(Value, Value)> = state_changes(&app)
        .await
        .iter()
        .map(|c| {
            (
                c["data"]["previousUrgency"].clone(),
                c["data"]["urgency"].clone(),
            )
        })
        .collect();
    assert_eq!(
        urgencies,
        vec![
            (json!(""), json!("Urgent")),
            (json!("Urgent"), json!("VeryUrgent")),
            (json!("VeryUrgent"), json!("PastDue")),
        ]
    );
    let mails = smtp.wait_for(6).await;
    let notified = mails
        .iter()
        .filter(|m| m.subject.starts_with("Reminder Urgency Changed"))
        .count();
    assert_eq!(notified, 3);
    // Delivered to the receiver by the same runs.
    jobs::run_due(&runner, now + TimeDelta::days(21) + TimeDelta::minutes(1)).await;
    let posted: Vec<Value> = receiver
        .bodies()
        .into_iter()
        .filter(|b| b["type"] == "reminderrecord.statechanged")
        .collect();
    assert_eq!(posted.len(), 3);
}

#[actix_web::test]
async fn the_scheduler_runs_each_daily_job_once_on_three_replicas_and_delivers_webhooks() {
    let receiver = Receiver::start("", vec![]);
    let settings = [
        ("MOTOVAULT__JOBS__ENABLED", "true"),
        ("MOTOVAULT__JOBS__TICK_SECS", "1"),
        ("MOTOVAULT__JOBS__LEASE_SECS", "3"),
        ("MOTOVAULT__JOBS__DAILY_AT", "00:00"),
        ("MOTOVAULT__WEBHOOKS__URLS", receiver.url.as_str()),
    ];
    let mut app = TestApp::spawn_in(TestEnv::new().await, &settings).await;
    let b = app.replica(&settings).await;
    let c = app.replica(&settings).await;
    app.setup_root().await;
    // Every replica ticks several times (first tick after 0.5 s, then every second), and the
    // leases lapse and change hands in between.
    actix_web::rt::time::sleep(Duration::from_secs(5)).await;
    for job in [
        jobs::RECURRING_TAXES,
        jobs::REMINDER_EMAILS,
        jobs::TEMP_CLEANUP,
    ] {
        assert_eq!(run_count(&app, job).await, 1, "{job}");
    }
    // A change is posted without anyone driving the runner.
    let vehicle = app.add_vehicle("Honda").await;
    let posted = receiver.wait_for(1).await;
    assert_eq!(posted[0]["type"], "vehicle.add", "{posted:?}");
    assert_eq!(posted[0]["vehicleId"], vehicle);
    drop((b, c));
}
