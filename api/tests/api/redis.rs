//! The Redis tier against a real Redis: sessions shared by replicas, login limits counted
//! across replicas, the two-level summary cache and its invalidation, and degradation when
//! Redis is unreachable, frozen or gone (and recovery when it is back).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{self, AsyncCommands};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestEnv, unique};

const REDIS: &str = "redis://127.0.0.1:6379";
const PASSWORD: &str = "correct horse battery";

/// Settings of one test's replicas: the shared Redis, a key prefix of their own.
fn settings(url: &str, prefix: &str) -> Vec<(&'static str, String)> {
    vec![
        ("MOTOVAULT__REDIS__URL", url.to_owned()),
        ("MOTOVAULT__REDIS__KEY_PREFIX", prefix.to_owned()),
        ("MOTOVAULT__REDIS__TIMEOUT_MS", "300".to_owned()),
    ]
}

fn as_refs<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn connection(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

async fn keys(url: &str, pattern: &str) -> Vec<String> {
    let mut conn = connection(url).await;
    let mut found: Vec<String> = conn.keys(pattern).await.unwrap();
    found.sort();
    found
}

fn session_hash(app: &TestApp) -> String {
    let cookie = app.cookie.as_deref().unwrap();
    let value = cookie.strip_prefix("motovault_session=").unwrap();
    motovault_api::auth::token::digest(value)
}

/// Two replicas on one environment and one Redis prefix, signed in as root on the first.
async fn two_replicas(extra: &[(&'static str, String)]) -> (TestApp, TestApp, String) {
    let prefix = format!("{}:", unique("mvredis"));
    let mut owned = settings(REDIS, &prefix);
    owned.extend(extra.iter().cloned());
    let refs = as_refs(&owned);
    let mut a = TestApp::spawn_in(TestEnv::new().await, &refs).await;
    let b = a.replica(&refs).await;
    a.setup_root().await;
    (a, b, prefix)
}

fn share_session(from: &TestApp, to: &mut TestApp) {
    to.cookie = from.cookie.clone();
    to.csrf = from.csrf.clone();
}

#[actix_web::test]
async fn a_session_works_on_every_replica_and_ends_on_every_replica() {
    let (mut a, mut b, prefix) = two_replicas(&[]).await;
    let login = a.login("root", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    let hash = session_hash(&a);
    // Written through at sign-in.
    let entry = format!("{prefix}session:{hash}");
    assert_eq!(keys(REDIS, &entry).await, vec![entry.clone()]);

    share_session(&a, &mut b);
    let me = b.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["username"], "root");
    // A write over the session on the other replica passes the CSRF check.
    let vehicle = b
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2018, "make": "Honda", "model": "Civic"}),
        )
        .await;
    assert_eq!(vehicle.status, 201, "{}", vehicle.text);

    // Served from Redis: the row is gone from the database, the entry still answers.
    a.db.execute_unprepared(&format!("DELETE FROM sessions WHERE token_hash = '{hash}'"))
        .await
        .unwrap();
    assert_eq!(b.get("/api/v1/auth/me").await.status, 200);

    // Sign-out on A ends it on B (and in Redis).
    let again = a.login("root", PASSWORD).await;
    assert_eq!(again.status, 200);
    share_session(&a, &mut b);
    assert_eq!(b.get("/api/v1/auth/me").await.status, 200);
    let out = a.post("/api/v1/auth/logout", &json!({})).await;
    assert_eq!(out.status, 204, "{}", out.text);
    assert_eq!(b.get("/api/v1/auth/me").await.status, 401);
    assert!(
        keys(REDIS, &format!("{prefix}session:{}", session_hash(&b)))
            .await
            .is_empty()
    );

    // "End every session" (a password change) clears the user's entries on every replica.
    a.login("root", PASSWORD).await;
    share_session(&a, &mut b);
    let mut c = a.replica(&as_refs(&settings(REDIS, &prefix))).await;
    assert_eq!(c.login("root", PASSWORD).await.status, 200);
    assert_eq!(b.get("/api/v1/auth/me").await.status, 200, "cached on B");
    let changed = c
        .put(
            "/api/v1/me/password",
            &json!({"currentPassword": PASSWORD, "newPassword": "another good passphrase"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    assert_eq!(b.get("/api/v1/auth/me").await.status, 401);
    assert_eq!(a.get("/api/v1/auth/me").await.status, 401);
}

#[actix_web::test]
async fn failed_logins_are_counted_across_replicas() {
    let limit = [
        (
            "MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ACCOUNT",
            "3".to_owned(),
        ),
        (
            "MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ADDRESS",
            "0".to_owned(),
        ),
    ];
    let (mut a, mut b, prefix) = two_replicas(&limit).await;
    // Three failures, spread over both replicas; each alone has seen at most two.
    for on_a in [true, false, true] {
        let app = if on_a { &mut a } else { &mut b };
        let r = app.login("root", "wrong password!").await;
        assert_eq!(r.status, 401, "on A: {on_a}: {}", r.text);
    }
    for on_a in [false, true] {
        let app = if on_a { &mut a } else { &mut b };
        let r = app.login("root", PASSWORD).await;
        assert_eq!(r.status, 429, "{}", r.text);
        let retry: u64 = r
            .headers
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((800..=900).contains(&retry), "{retry}");
    }
    let mut conn = connection(REDIS).await;
    let key = format!("{prefix}login:account:root");
    let count: i64 = conn.get(&key).await.unwrap();
    assert_eq!(count, 3, "refused attempts count nothing");
    let ttl: i64 = conn.ttl(&key).await.unwrap();
    assert!((800..=900).contains(&ttl), "{ttl}");

    // Twenty parallel guesses for another account, half on each replica: exactly three get
    // as far as the password check.
    a.add_user("bob", PASSWORD).await;
    let guess = json!({"username": "bob", "password": "wrong password!"});
    let attempts = (0..20).map(|i| {
        let app = if i % 2 == 0 { &a } else { &b };
        app.post("/api/v1/auth/login", &guess)
    });
    let mut statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .iter()
        .map(|r| r.status.as_u16())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [[401; 3].as_slice(), &[429; 17]].concat());
}

async fn summary(app: &TestApp, vehicle: i64) -> Value {
    let r = app
        .get(&format!("/api/v1/vehicles/{vehicle}/summary"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

async fn add_fuel(app: &TestApp, vehicle: i64, odometer: i64, cost: &str) {
    let r = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2024-05-01", "odometer": odometer, "fuelConsumed": "10", "cost": cost}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[actix_web::test]
async fn summaries_are_cached_in_both_levels_and_writes_invalidate_them() {
    let (a, mut b, prefix) = two_replicas(&[]).await;
    share_session(&a, &mut b);
    let vehicle = a.add_vehicle("Honda").await;
    add_fuel(&a, vehicle, 1000, "40").await;

    let first = summary(&a, vehicle).await;
    assert_eq!(first["fuelRecords"], json!({"count": 1, "totalCost": 40.0}));
    let stored = keys(REDIS, &format!("{prefix}cache:summary:{vehicle}:*")).await;
    assert_eq!(stored.len(), 1, "{stored:?}");

    // A change behind the application's back is not seen while the entries live: A answers
    // from its level 1, B (which never read it) from Redis.
    a.db.execute_unprepared("UPDATE fuel_records SET cost = cost * 2")
        .await
        .unwrap();
    assert_eq!(summary(&a, vehicle).await, first, "level 1 hit");
    assert_eq!(summary(&b, vehicle).await, first, "level 2 hit");
    assert_eq!(summary(&b, vehicle).await["fuelRecords"]["totalCost"], 40.0);

    // A write through B invalidates both levels on both replicas.
    add_fuel(&b, vehicle, 1400, "30").await;
    let expected = json!({"count": 2, "totalCost": 110.0});
    assert_eq!(summary(&b, vehicle).await["fuelRecords"], expected);
    // A hears of it over pub/sub (the event hub); allow it a moment.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let seen = summary(&a, vehicle).await["fuelRecords"].clone();
        if seen == expected {
            break;
        }
        assert!(Instant::now() < deadline, "A still serves {seen}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    // The garage list goes through the same cache.
    let list = a.get("/api/v1/vehicle-summaries").await;
    assert_eq!(list.body["summaries"][0]["fuelRecords"], expected);
}

#[actix_web::test]
async fn an_invalid_redis_url_stops_start_up_naming_the_setting() {
    let env = TestEnv::new().await;
    let settings = env.settings(&[("MOTOVAULT__REDIS__URL", "http://127.0.0.1:6379")]);
    let error = motovault_api::Application::build(settings)
        .await
        .err()
        .expect("start-up refused");
    assert!(
        error.to_string().contains("MOTOVAULT__REDIS__URL"),
        "{error}"
    );
}

/// Sign-in, session lookups, summaries and a write, each answered in time.
async fn everything_works(app: &mut TestApp, within: Duration) {
    let timed = Instant::now();
    let login = app.login("root", PASSWORD).await;
    assert_eq!(login.status, 200, "{}", login.text);
    assert!(timed.elapsed() < within, "login took {:?}", timed.elapsed());
    let timed = Instant::now();
    let vehicle = app.add_vehicle("Toyota").await;
    assert!(timed.elapsed() < within, "write took {:?}", timed.elapsed());
    for path in [
        "/api/v1/auth/me".to_owned(),
        format!("/api/v1/vehicles/{vehicle}/summary"),
        "/api/v1/vehicle-summaries".to_owned(),
    ] {
        let timed = Instant::now();
        let r = app.get(&path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert!(
            timed.elapsed() < within,
            "{path} took {:?}",
            timed.elapsed()
        );
    }
}

async fn redis_check(app: &TestApp) -> (String, Value) {
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    let check = ready.body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "redis")
        .cloned()
        .expect("a redis check");
    (ready.body["status"].as_str().unwrap().to_owned(), check)
}

#[actix_web::test]
async fn an_unreachable_redis_degrades_but_nothing_fails() {
    let prefix = format!("{}:", unique("mvredis"));
    let owned = settings("redis://127.0.0.1:1", &prefix);
    let mut app = TestApp::spawn_in(TestEnv::new().await, &as_refs(&owned)).await;
    app.setup_root().await;
    everything_works(&mut app, Duration::from_secs(1)).await;
    let (status, check) = redis_check(&app).await;
    assert_eq!(status, "degraded");
    assert_eq!(check["ok"], false);
    assert!(
        check["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{check}"
    );
}

/// A `redis-server` of this test's own, on a free port, without persistence.
pub struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    pub fn free_port() -> u16 {
        TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    pub async fn start(port: u16) -> OwnRedis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs");
        let url = format!("redis://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(client) = redis::Client::open(url.as_str())
                && let Ok(mut conn) = client.get_multiplexed_async_connection().await
                && redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .is_ok()
            {
                break;
            }
            assert!(Instant::now() < deadline, "redis-server did not start");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        OwnRedis { port, child }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_for_redis_check(app: &TestApp, ok: bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, check) = redis_check(app).await;
        if check["ok"] == ok {
            assert_eq!(status, if ok { "ready" } else { "degraded" });
            return;
        }
        assert!(Instant::now() < deadline, "redis check stays {check}");
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}

#[actix_web::test]
async fn a_redis_that_freezes_or_dies_costs_at_most_the_timeout_and_comes_back() {
    let server = OwnRedis::start(OwnRedis::free_port()).await;
    let port = server.port;
    let prefix = format!("{}:", unique("mvredis"));
    let owned = settings(&server.url(), &prefix);
    let mut app = TestApp::spawn_in(TestEnv::new().await, &as_refs(&owned)).await;
    app.setup_root().await;
    everything_works(&mut app, Duration::from_secs(1)).await;
    wait_for_redis_check(&app, true).await;

    // Frozen: connections stay open, nothing answers; every call gives up after 300 ms.
    server.signal("-STOP");
    everything_works(&mut app, Duration::from_millis(1500)).await;
    wait_for_redis_check(&app, false).await;
    server.signal("-CONT");
    wait_for_redis_check(&app, true).await;

    // Gone: connections refused.
    server.kill();
    everything_works(&mut app, Duration::from_millis(1500)).await;
    wait_for_redis_check(&app, false).await;

    // Back (empty): the check recovers and sessions are written to it again.
    let server = OwnRedis::start(port).await;
    wait_for_redis_check(&app, true).await;
    everything_works(&mut app, Duration::from_secs(1)).await;
    let hash = session_hash(&app);
    let entry = format!("{prefix}session:{hash}");
    assert_eq!(keys(&server.url(), &entry).await, vec![entry.clone()]);
}
