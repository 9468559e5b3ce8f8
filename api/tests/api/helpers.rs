//! `TestApp`: the real server on a free port, over a fresh database (SQLite by default,
//! PostgreSQL when `TEST_DATABASE_URL` is set), driven over HTTP. With `TEST_S3=1` its objects
//! live in a fresh bucket of a real SeaweedFS (see `s3.rs`) instead of the data dir.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use awc::http::header::{HeaderMap, HeaderName, HeaderValue};
use awc::http::{Method, StatusCode};
use motovault_api::{Application, Settings};
use sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait,
};
use serde_json::{Value, json};

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos % 1_000_000
    )
}

/// Where one test's files and database live.
pub struct TestEnv {
    pub dir: PathBuf,
    pub database_url: Option<String>,
    /// `TEST_S3=1`: the SeaweedFS (shared by the tests running at the time) and this test's bucket.
    pub s3: Option<(Arc<crate::s3::Weed>, String)>,
    /// A replica's view of another app's environment: dropping it removes nothing.
    pub borrowed: bool,
}

impl TestEnv {
    /// A fresh data dir and, on PostgreSQL, a fresh database.
    pub async fn new() -> TestEnv {
        let dir = std::env::temp_dir().join(unique("motovault-test"));
        std::fs::create_dir_all(&dir).unwrap();
        let database_url = match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if base.starts_with("postgres") => Some(fresh_postgres(&base).await),
            _ => None,
        };
        let s3 = match std::env::var("TEST_S3").as_deref() {
            Ok("1") => {
                let weed = crate::s3::Weed::shared();
                let bucket = weed.create_bucket().await;
                Some((weed, bucket))
            }
            _ => None,
        };
        TestEnv {
            dir,
            database_url,
            s3,
            borrowed: false,
        }
    }

    pub fn settings(&self, extra: &[(&str, &str)]) -> Settings {
        let mut env = vec![
            ("MOTOVAULT__SERVER__PORT".to_owned(), "0".to_owned()),
            ("MOTOVAULT__SERVER__WORKERS".to_owned(), "2".to_owned()),
            (
                "MOTOVAULT__SERVER__SHUTDOWN_TIMEOUT_SECS".to_owned(),
                "1".to_owned(),
            ),
            (
                "MOTOVAULT__DATA_DIR".to_owned(),
                self.dir.join("data").display().to_string(),
            ),
            (
                "MOTOVAULT__WEB__DIST_DIR".to_owned(),
                self.dir.join("dist").display().to_string(),
            ),
            // Background jobs only where a test turns them on (jobs.rs): a daily run at start
            // would send e-mails and clear temp files under other tests.
            ("MOTOVAULT__JOBS__ENABLED".to_owned(), "false".to_owned()),
        ];
        if let Some(url) = &self.database_url {
            env.push(("MOTOVAULT__DATABASE__URL".to_owned(), url.clone()));
        }
        if let Some((weed, bucket)) = &self.s3 {
            env.extend(weed.settings_env(bucket));
        }
        for (k, v) in extra {
            env.push(((*k).to_owned(), (*v).to_owned()));
        }
        Settings::load_from(None, env).unwrap()
    }
}

impl TestEnv {
    /// The `MOTOVAULT__STORAGE__S3__*` variables of a `TEST_S3=1` run (none otherwise), for
    /// commands run as child processes.
    pub fn s3_env(&self) -> Vec<(String, String)> {
        self.s3
            .as_ref()
            .map(|(weed, bucket)| weed.settings_env(bucket))
            .unwrap_or_default()
    }
}

/// `TEST_S3=1`: the objects in this test's bucket (for the tests that count stored files);
/// `None` on the local store. Blocking, so synchronous helpers can call it.
pub fn s3_object_count(env: &TestEnv) -> Option<usize> {
    env.s3.as_ref()?;
    let settings = env.settings(&[]);
    let count = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let objects = motovault_api::infra::objects::from_settings(&settings).unwrap();
            objects.list().await.unwrap().len()
        })
    })
    .join()
    .unwrap();
    Some(count)
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        // PostgreSQL test databases are dropped by the test script (`mvtest_*`).
        if !self.borrowed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

async fn fresh_postgres(base: &str) -> String {
    let name = unique("mvtest");
    let admin: DatabaseConnection = Database::connect(base).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.unwrap();
    let (server, _) = base.rsplit_once('/').unwrap();
    format!("{server}/{name}")
}

pub struct TestApp {
    pub address: String,
    pub env: TestEnv,
    pub db: DatabaseConnection,
    handle: actix_web::dev::ServerHandle,
    client: awc::Client,
    /// The session cookie, as a browser would keep it.
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Field names of a 422 problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let env = TestEnv::new().await;
        Self::spawn_in(env, &[]).await
    }

    pub async fn spawn_in(env: TestEnv, extra: &[(&str, &str)]) -> TestApp {
        let settings = env.settings(extra);
        let app = Application::build(settings).await.expect("the app starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        let handle = app.handle();
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp {
            address,
            env,
            db,
            handle,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            cookie: None,
            csrf: None,
        }
    }

    /// A second replica: another server on the same database, data dir and bucket, with
    /// `extra` settings (e.g. the same `MOTOVAULT__REDIS__URL` and key prefix). Keep `self`
    /// alive while the replica runs: it owns the environment.
    pub async fn replica(&self, extra: &[(&str, &str)]) -> TestApp {
        let env = TestEnv {
            dir: self.env.dir.clone(),
            database_url: self.env.database_url.clone(),
            s3: self.env.s3.clone(),
            borrowed: true,
        };
        Self::spawn_in(env, extra).await
    }

    /// Stops the server and hands back its environment, to start it again on the same data.
    pub async fn stop(self) -> TestEnv {
        self.handle.stop(true).await;
        self.env
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{}", self.address, path));
        if let Some(cookie) = &self.cookie {
            req = req.insert_header(("cookie", cookie.clone()));
        }
        if method != Method::GET
            && let Some(csrf) = &self.csrf
        {
            req = req.insert_header(("x-csrf-token", csrf.clone()));
        }
        if let Some(ct) = content_type {
            req = req.insert_header(("content-type", ct));
        }
        for (k, v) in headers {
            req = req.insert_header((
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            ));
        }
        let mut res = req.send_body(body).await.expect("request sent");
        let bytes = res.body().limit(10 * 1024 * 1024).await.unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.raw(Method::GET, path, None, vec![], &[]).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.raw(Method::DELETE, path, None, vec![], &[]).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.raw(
            Method::POST,
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
            &[],
        )
        .await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.raw(
            Method::PUT,
            path,
            Some("application/json"),
            body.to_string().into_bytes(),
            &[],
        )
        .await
    }

    /// Keeps the session cookie and CSRF token of a setup or login answer.
    pub fn remember(&mut self, reply: &Reply) {
        let cookie = reply
            .headers
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("motovault_session="))
            .expect("a session cookie");
        self.cookie = Some(cookie.split(';').next().unwrap().to_owned());
        self.csrf = reply.body["csrfToken"].as_str().map(str::to_owned);
    }

    pub fn forget(&mut self) {
        self.cookie = None;
        self.csrf = None;
    }

    /// Creates the first account and signs in as it.
    pub async fn setup_root(&mut self) -> Reply {
        let reply = self
            .post(
                "/api/v1/setup",
                &json!({"username": "root", "password": "correct horse battery", "email": "root@example.com"}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        self.remember(&reply);
        reply
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Reply {
        self.forget();
        let reply = self
            .post(
                "/api/v1/auth/login",
                &json!({"username": username, "password": password}),
            )
            .await;
        if reply.status == 200 {
            self.remember(&reply);
        }
        reply
    }

    /// A second, ordinary user straight in the database (user management is a later feature).
    pub async fn add_user(&self, username: &str, password: &str) {
        let hash = motovault_api::auth::password::hash(password.to_owned())
            .await
            .unwrap();
        motovault_api::store::users::insert(
            &self.db,
            motovault_api::store::users::NewUser {
                username,
                email: None,
                password_hash: &hash,
                is_admin: false,
                is_root: false,
            },
        )
        .await
        .unwrap();
    }

    pub async fn add_vehicle(&self, make: &str) -> i64 {
        let reply = self
            .post(
                "/api/v1/vehicles",
                &json!({"year": 2018, "make": make, "model": "Civic", "licensePlate": "ABC-123"}),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body["id"].as_i64().unwrap()
    }

    /// `POST`s a new record and answers its id (201 expected).
    pub async fn create(&self, path: &str, body: &Value) -> i64 {
        let reply = self.post(path, body).await;
        assert_eq!(reply.status, 201, "{path}: {}", reply.text);
        reply.body["id"].as_i64().unwrap()
    }
}

/// The plan of `stmt`, one line per step: PostgreSQL's `EXPLAIN` with sequential scans turned
/// off (a test's small tables would rightly be scanned; the question is whether an index can
/// serve the query), SQLite's `EXPLAIN QUERY PLAN`.
pub async fn query_plan(db: &DatabaseConnection, stmt: Statement) -> String {
    let txn = db.begin().await.unwrap();
    let explain = if db.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
        "EXPLAIN "
    } else {
        "EXPLAIN QUERY PLAN "
    };
    let rows = txn
        .query_all_raw(Statement {
            sql: format!("{explain}{}", stmt.sql),
            ..stmt
        })
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|r| {
            r.try_get::<String>("", "QUERY PLAN")
                .or_else(|_| r.try_get::<String>("", "detail"))
                .unwrap()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
