//! Sign-in limits, session lifetime and rotation, security headers.

use std::fs;

use awc::http::Method;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{Reply, TestApp, TestEnv};

const ROOT_PASSWORD: &str = "correct horse battery";

/// A login as a browser would send it, from `address` when the server trusts X-Forwarded-For.
async fn login_from(app: &TestApp, username: &str, password: &str, address: Option<&str>) -> Reply {
    let body = json!({"username": username, "password": password}).to_string();
    let headers: Vec<(&str, &str)> = address
        .map(|a| vec![("x-forwarded-for", a)])
        .unwrap_or_default();
    app.raw(
        Method::POST,
        "/api/v1/auth/login",
        Some("application/json"),
        body.into_bytes(),
        &headers,
    )
    .await
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn session_cookie(reply: &Reply) -> String {
    reply
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("motovault_session="))
        .expect("a session cookie")
        .to_owned()
}

fn retry_after(reply: &Reply) -> u64 {
    header(reply, "retry-after").parse().unwrap()
}

#[actix_web::test]
async fn five_failures_lock_the_account_but_not_others() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", "bobs password").await;
    app.forget();

    // Default: 5 failures per account within 900 s.
    for attempt in 1..=5 {
        let wrong = login_from(&app, "root", "not the password", None).await;
        assert_eq!(wrong.status, 401, "attempt {attempt}");
        assert_eq!(wrong.code(), "invalid_credentials");
    }
    // Now even the right password is refused, before it is checked, with the same answer
    // for any spelling of the username.
    for username in ["root", "ROOT", " Root "] {
        let limited = login_from(&app, username, ROOT_PASSWORD, None).await;
        assert_eq!(limited.status, 429, "{username}: {}", limited.text);
        assert_eq!(limited.content_type(), "application/problem+json");
        assert_eq!(limited.code(), "rate_limited");
        let wait = retry_after(&limited);
        assert!((890..=900).contains(&wait), "Retry-After {wait}");
        assert!(limited.headers.get_all("set-cookie").next().is_none());
    }
    // Another account from the same address (5 of its 20 failures used) signs in.
    let bob = login_from(&app, "bob", "bobs password", None).await;
    assert_eq!(bob.status, 200, "{}", bob.text);
}

#[actix_web::test]
async fn parallel_guesses_get_no_more_than_five_tries() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    // 20 wrong passwords at once: attempts are counted when admitted, so only 5 reach the
    // password check however they interleave.
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let url = format!("{}/api/v1/auth/login", app.address);
            actix_web::rt::spawn(async move {
                let body = json!({"username": "root", "password": format!("guess {i}")});
                awc::Client::new()
                    .post(url)
                    .send_json(&body)
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        15,
        "{statuses:?}"
    );
}

#[actix_web::test]
async fn a_successful_sign_in_clears_the_account_count() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.forget();
    for round in 0..2 {
        for _ in 0..4 {
            let wrong = login_from(&app, "root", "not the password", None).await;
            assert_eq!(wrong.status, 401, "round {round}");
        }
        // 4 failures, then success: 8 failures in all, but never 5 in a row.
        let ok = login_from(&app, "root", ROOT_PASSWORD, None).await;
        assert_eq!(ok.status, 200, "round {round}: {}", ok.text);
    }
}

#[actix_web::test]
async fn failures_from_one_address_lock_that_address() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(
        env,
        &[
            ("MOTOVAULT__SERVER__TRUST_FORWARDED_FOR", "true"),
            ("MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ADDRESS", "3"),
        ],
    )
    .await;
    app.setup_root().await;
    app.forget();

    // Three different (unknown) accounts from one address: one failure each.
    for name in ["ann", "ben", "cat"] {
        let wrong = login_from(&app, name, "guess guess", Some("203.0.113.7")).await;
        assert_eq!(wrong.status, 401, "{name}");
    }
    // The address is used up: root with the right password is refused from it, also when a
    // proxy appended itself to the list ...
    for forwarded in ["203.0.113.7", "203.0.113.7, 10.0.0.1"] {
        let limited = login_from(&app, "root", ROOT_PASSWORD, Some(forwarded)).await;
        assert_eq!(limited.status, 429, "{forwarded}");
        assert!((890..=900).contains(&retry_after(&limited)));
    }
    // ... but signs in from another address (root's own count is 0).
    let elsewhere = login_from(&app, "root", ROOT_PASSWORD, Some("198.51.100.2")).await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.text);
}

#[actix_web::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(
        env,
        &[("MOTOVAULT__AUTH__MAX_FAILED_LOGINS_PER_ADDRESS", "3")],
    )
    .await;
    app.setup_root().await;
    app.forget();
    // A client inventing a new X-Forwarded-For per attempt is still counted by its peer address.
    for (i, name) in ["ann", "ben", "cat"].iter().enumerate() {
        let spoofed = format!("198.51.100.{i}");
        let wrong = login_from(&app, name, "guess guess", Some(&spoofed)).await;
        assert_eq!(wrong.status, 401);
    }
    let limited = login_from(&app, "root", ROOT_PASSWORD, Some("192.0.2.99")).await;
    assert_eq!(limited.status, 429, "{}", limited.text);
}

async fn session_days_left(app: &TestApp, cookie: &str) -> f64 {
    use motovault_api::store::entity::session;
    let value = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("motovault_session=");
    let row = session::Entity::find()
        .filter(session::Column::TokenHash.eq(motovault_api::auth::token::digest(value)))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the session is stored");
    (row.expires_at - Utc::now()).num_seconds() as f64 / 86_400.0
}

#[actix_web::test]
async fn remember_me_keeps_the_session_for_30_days_else_1() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.forget();

    let remembered = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "root", "password": ROOT_PASSWORD, "rememberMe": true}),
        )
        .await;
    assert_eq!(remembered.status, 200, "{}", remembered.text);
    let cookie = session_cookie(&remembered);
    assert!(cookie.contains("Max-Age=2592000"), "{cookie}"); // 30 × 86400
    let days = session_days_left(&app, &cookie).await;
    assert!((29.99..=30.0).contains(&days), "{days}");

    let plain = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "root", "password": ROOT_PASSWORD}),
        )
        .await;
    assert_eq!(plain.status, 200);
    let cookie = session_cookie(&plain);
    assert!(cookie.contains("Max-Age=86400"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let days = session_days_left(&app, &cookie).await;
    assert!((0.99..=1.0).contains(&days), "{days}");
}

#[actix_web::test]
async fn signing_in_again_replaces_the_session_sent_along() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let first = app.cookie.clone().unwrap();

    // A second device signs in without a cookie: both sessions live.
    let mine = app.cookie.take();
    let other = login_from(&app, "root", ROOT_PASSWORD, None).await;
    app.cookie = mine;
    assert_eq!(other.status, 200);
    let other_cookie = session_cookie(&other).split(';').next().unwrap().to_owned();

    // The first browser signs in again, sending its cookie: a fresh id, the old one ended.
    let again = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "root", "password": ROOT_PASSWORD}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    app.remember(&again);
    let second = app.cookie.clone().unwrap();
    assert_ne!(first, second);
    assert_eq!(app.get("/api/v1/auth/me").await.status, 200);

    app.cookie = Some(first);
    let stale = app.get("/api/v1/auth/me").await;
    assert_eq!(stale.status, 401);
    assert_eq!(stale.code(), "unauthenticated");

    app.cookie = Some(other_cookie);
    assert_eq!(app.get("/api/v1/auth/me").await.status, 200, "other device");

    // A failed sign-in does not end the session it was sent with.
    app.cookie = Some(second.clone());
    let wrong = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "root", "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(app.get("/api/v1/auth/me").await.status, 200);
}

const INDEX: &str = "<!DOCTYPE html><html><head>\
<link rel=\"modulepreload\" href=\"/motovault-web-1a2b.js\" crossorigin=\"anonymous\">\
<script type=\"module\">
import init, * as bindings from '/motovault-web-1a2b.js';
const wasm = await init({ module_or_path: '/motovault-web-1a2b_bg.wasm' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));
</script></head><body></body></html>";
/// `sha256` of the script above, base64 (computed with `openssl dgst -sha256 -binary | base64`).
const INDEX_SCRIPT_HASH: &str = "'sha256-8diwOBAQHs5eC42sD3Z4slnUtbubSjT6BpPQ4/e2ibE='";

fn assert_security_headers(reply: &Reply, what: &str) {
    assert_eq!(header(reply, "x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header(reply, "referrer-policy"), "same-origin", "{what}");
    assert_eq!(header(reply, "x-frame-options"), "DENY", "{what}");
    let csp = header(reply, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.starts_with("default-src 'self'"), "{what}: {csp}");
}

#[actix_web::test]
async fn security_headers_on_pages_api_and_errors() {
    let env = TestEnv::new().await;
    let dist = env.dir.join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(dist.join("index.html"), INDEX).unwrap();
    fs::write(dist.join("motovault-web-1a2b.js"), "export default 1").unwrap();
    let mut app = TestApp::spawn_in(env, &[]).await;

    let page = app.get("/vehicles/3").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("TrunkApplicationStarted"));
    assert_security_headers(&page, "page");
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {INDEX_SCRIPT_HASH};"
        )),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    assert!(csp.contains("img-src 'self' data: blob:"), "{csp}");
    assert!(csp.contains("base-uri 'self'"), "{csp}");
    assert!(csp.contains("form-action 'self'"), "{csp}");
    // Plain HTTP (secure cookies off): no HSTS.
    assert_eq!(header(&page, "strict-transport-security"), "");

    assert_security_headers(&app.get("/motovault-web-1a2b.js").await, "asset");
    assert_security_headers(&app.get("/missing.js").await, "missing asset");
    assert_security_headers(&app.get("/health/live").await, "probe");
    let unauthenticated = app.get("/api/v1/auth/me").await;
    assert_eq!(unauthenticated.status, 401);
    assert_security_headers(&unauthenticated, "401");
    let unknown = app.get("/api/v1/nope").await;
    assert_eq!(unknown.status, 404);
    assert_security_headers(&unknown, "404");
    let malformed = app
        .raw(
            Method::POST,
            "/api/v1/auth/login",
            Some("application/json"),
            b"{not json".to_vec(),
            &[],
        )
        .await;
    assert!(malformed.status.is_client_error());
    assert_security_headers(&malformed, "malformed body");

    app.setup_root().await;
    let api = app.get("/api/v1/vehicles").await;
    assert_eq!(api.status, 200);
    assert_security_headers(&api, "api");

    // Swagger UI alone may run inline code.
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status, 200, "{}", docs.text);
    let docs_csp = header(&docs, "content-security-policy");
    assert!(
        docs_csp.contains("script-src 'self' 'unsafe-inline'"),
        "{docs_csp}"
    );
    assert!(docs_csp.contains("frame-ancestors 'none'"), "{docs_csp}");
    assert_eq!(header(&docs, "x-frame-options"), "DENY");
}

#[actix_web::test]
async fn https_deployments_get_hsts() {
    let env = TestEnv::new().await;
    let app = TestApp::spawn_in(env, &[("MOTOVAULT__AUTH__SECURE_COOKIES", "true")]).await;
    let reply = app.get("/api/v1/setup").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        header(&reply, "strict-transport-security"),
        "max-age=31536000"
    );
    assert_security_headers(&reply, "setup");
}
