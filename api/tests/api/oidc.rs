//! OpenID Connect sign-in against a real OpenID provider that lives in this test suite: an
//! actix-web server on a free port with discovery, authorize, token (client secret, code,
//! redirect_uri and PKCE checked), JWKS and userinfo endpoints, signing RS256 id tokens with the
//! test-only RSA keys in `api/tests/fixtures/`. The browser is simulated by following the
//! redirects by hand.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::http::header::AUTHORIZATION;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use motovault_api::store::entity::user;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, TestEnv};

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/auth/oidc/login"),
    ("get", "/api/v1/auth/oidc/callback"),
];

const CLIENT_ID: &str = "motovault-test";
/// Has a space and a colon: Basic credentials must be form-encoded to survive.
const CLIENT_SECRET: &str = "s3cret: with spaces";
const KEY_PEM: &str = include_str!("../fixtures/oidc-test-key.pem");
const OTHER_KEY_PEM: &str = include_str!("../fixtures/oidc-other-key.pem");
const JWKS: &str = include_str!("../fixtures/oidc-test-jwks.json");

// ---------------------------------------------------------------------------------------------
// The test OpenID provider
// ---------------------------------------------------------------------------------------------

/// Ways to make the next id token wrong.
#[derive(Clone, Default)]
struct Tamper {
    /// Sign with the second key while still naming the first key's id: a bad signature.
    other_key: bool,
    audience: Option<String>,
    expired: bool,
    nonce: Option<String>,
    /// Sign with the second key under its own id (a key rotation).
    rotated: bool,
}

/// One authorization code waiting to be exchanged.
struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
}

struct Op {
    issuer: String,
    key: EncodingKey,
    other_key: EncodingKey,
    /// The published key set (the first key only until a rotation publishes both).
    jwks: Mutex<Value>,
    /// Who signs in at the authorize endpoint.
    sub: Mutex<String>,
    email: Mutex<String>,
    /// `false`: the id token carries no e-mail, only userinfo does.
    email_in_id_token: Mutex<bool>,
    tamper: Mutex<Tamper>,
    codes: Mutex<HashMap<String, Grant>>,
    access_tokens: Mutex<HashMap<String, (String, String)>>,
    jwks_fetches: AtomicUsize,
    counter: AtomicUsize,
}

struct Provider {
    op: web::Data<Op>,
    handle: actix_web::dev::ServerHandle,
}

impl Provider {
    async fn start() -> Provider {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let all: Value = serde_json::from_str(JWKS).unwrap();
        let first_only = json!({"keys": [all["keys"][0].clone()]});
        let op = web::Data::new(Op {
            issuer,
            key: EncodingKey::from_rsa_pem(KEY_PEM.as_bytes()).unwrap(),
            other_key: EncodingKey::from_rsa_pem(OTHER_KEY_PEM.as_bytes()).unwrap(),
            jwks: Mutex::new(first_only),
            sub: Mutex::new("subject-1".into()),
            email: Mutex::new("driver@example.com".into()),
            email_in_id_token: Mutex::new(true),
            tamper: Mutex::new(Tamper::default()),
            codes: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(HashMap::new()),
            jwks_fetches: AtomicUsize::new(0),
            counter: AtomicUsize::new(0),
        });
        let data = op.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route(
                    "/.well-known/openid-configuration",
                    web::get().to(discovery),
                )
                .route("/authorize", web::get().to(authorize))
                .route("/token", web::post().to(token))
                .route("/jwks", web::get().to(jwks))
                .route("/userinfo", web::get().to(userinfo))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Provider { op, handle }
    }

    fn issuer(&self) -> &str {
        &self.op.issuer
    }

    fn sign_in_as(&self, sub: &str, email: &str) {
        *self.op.sub.lock().unwrap() = sub.to_owned();
        *self.op.email.lock().unwrap() = email.to_owned();
    }

    fn tamper(&self, tamper: Tamper) {
        *self.op.tamper.lock().unwrap() = tamper;
    }

    fn publish_both_keys(&self) {
        *self.op.jwks.lock().unwrap() = serde_json::from_str(JWKS).unwrap();
    }

    async fn stop(self) {
        self.handle.stop(true).await;
    }
}

fn next_id(op: &Op, prefix: &str) -> String {
    format!("{prefix}-{}", op.counter.fetch_add(1, Ordering::SeqCst))
}

async fn discovery(op: web::Data<Op>) -> HttpResponse {
    let base = &op.issuer;
    HttpResponse::Ok().json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }))
}

/// Signs the configured user in at once and sends the browser back with a code.
async fn authorize(op: web::Data<Op>, query: web::Query<HashMap<String, String>>) -> HttpResponse {
    let q = query.into_inner();
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    if get("response_type") != "code"
        || get("client_id") != CLIENT_ID
        || get("code_challenge_method") != "S256"
        || get("code_challenge").len() != 43
        || get("nonce").is_empty()
        || get("state").is_empty()
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return HttpResponse::BadRequest().body(format!("bad authorization request: {q:?}"));
    }
    let code = next_id(&op, "code");
    op.codes.lock().unwrap().insert(
        code.clone(),
        Grant {
            redirect_uri: get("redirect_uri"),
            challenge: get("code_challenge"),
            nonce: get("nonce"),
        },
    );
    let mut back = reqwest::Url::parse(&get("redirect_uri")).unwrap();
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &get("state"));
    HttpResponse::Found()
        .insert_header(("location", back.to_string()))
        .finish()
}

fn token_error(error: &str, why: &str) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({"error": error, "error_description": why}))
}

/// RFC 6749 §4.1.3 plus RFC 7636 §4.6: client authentication, single-use code, the same
/// redirect_uri, and the PKCE verifier against the stored challenge.
async fn token(
    op: web::Data<Op>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let form = form.into_inner();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let (client_id, secret) = match req.headers().get(AUTHORIZATION) {
        Some(value) => {
            let value = value.to_str().unwrap();
            let decoded = STANDARD
                .decode(value.strip_prefix("Basic ").unwrap_or_default())
                .unwrap_or_default();
            let decoded = String::from_utf8(decoded).unwrap_or_default();
            let (id, secret) = decoded.split_once(':').unwrap_or_default();
            (form_decode(id), form_decode(secret))
        }
        None => (get("client_id"), get("client_secret")),
    };
    if client_id != CLIENT_ID || secret != CLIENT_SECRET {
        return HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}));
    }
    if get("grant_type") != "authorization_code" {
        return token_error("unsupported_grant_type", "");
    }
    let Some(grant) = op.codes.lock().unwrap().remove(&get("code")) else {
        return token_error("invalid_grant", "unknown or used code");
    };
    if grant.redirect_uri != get("redirect_uri") {
        return token_error("invalid_grant", "redirect_uri differs");
    }
    let verifier = get("code_verifier");
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != grant.challenge {
        return token_error("invalid_grant", "PKCE verifier does not match");
    }

    let tamper = op.tamper.lock().unwrap().clone();
    let sub = op.sub.lock().unwrap().clone();
    let email = op.email.lock().unwrap().clone();
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": op.issuer,
        "sub": sub,
        "aud": tamper.audience.clone().unwrap_or_else(|| CLIENT_ID.to_owned()),
        "iat": now,
        "exp": if tamper.expired { now - 3600 } else { now + 300 },
        "nonce": tamper.nonce.clone().unwrap_or(grant.nonce),
    });
    if *op.email_in_id_token.lock().unwrap() {
        claims["email"] = json!(email);
        claims["email_verified"] = json!(true);
    }
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(
        if tamper.rotated {
            "test-key-2"
        } else {
            "test-key-1"
        }
        .to_owned(),
    );
    let key = if tamper.other_key || tamper.rotated {
        &op.other_key
    } else {
        &op.key
    };
    let id_token = jsonwebtoken::encode(&header, &claims, key).unwrap();
    let access_token = next_id(&op, "access");
    op.access_tokens
        .lock()
        .unwrap()
        .insert(access_token.clone(), (sub, email));
    HttpResponse::Ok().json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
}

async fn jwks(op: web::Data<Op>) -> HttpResponse {
    op.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().json(op.jwks.lock().unwrap().clone())
}

async fn userinfo(op: web::Data<Op>, req: HttpRequest) -> HttpResponse {
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    match op.access_tokens.lock().unwrap().get(&bearer) {
        Some((sub, email)) => HttpResponse::Ok().json(json!({"sub": sub, "email": email})),
        None => HttpResponse::Unauthorized().finish(),
    }
}

/// `application/x-www-form-urlencoded` decoding of one component.
fn form_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The browser side
// ---------------------------------------------------------------------------------------------

/// One redirect hop: status and `Location`, plus the session cookie when one is set.
struct Hop {
    status: u16,
    location: String,
    cookie: Option<String>,
}

async fn hop(url: &str) -> Hop {
    let client = awc::Client::builder()
        .disable_redirects()
        .timeout(std::time::Duration::from_secs(30))
        .finish();
    let res = client.get(url).send().await.unwrap();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("motovault_session="))
        .map(|v| v.split(';').next().unwrap().to_owned());
    Hop {
        status: res.status().as_u16(),
        location,
        cookie,
    }
}

fn query_param(url: &str, name: &str) -> String {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

struct Fixture {
    app: TestApp,
    provider: Provider,
}

impl Fixture {
    async fn start(extra: &[(&str, &str)]) -> Fixture {
        let provider = Provider::start().await;
        let mut settings = vec![
            ("MOTOVAULT__OIDC__ISSUER", provider.issuer()),
            ("MOTOVAULT__OIDC__CLIENT_ID", CLIENT_ID),
            ("MOTOVAULT__OIDC__CLIENT_SECRET", CLIENT_SECRET),
            ("MOTOVAULT__OIDC__NAME", "Test Provider"),
        ];
        settings.extend_from_slice(extra);
        let mut app = TestApp::spawn_in(TestEnv::new().await, &settings).await;
        app.setup_root().await;
        app.forget();
        Fixture { app, provider }
    }

    /// A user with a password and an e-mail, straight in the database.
    async fn add_user_with_email(&self, username: &str, email: &str) -> i64 {
        let hash = motovault_api::auth::password::hash("correct horse battery".to_owned())
            .await
            .unwrap();
        motovault_api::store::users::insert(
            &self.app.db,
            motovault_api::store::users::NewUser {
                username,
                email: Some(email),
                password_hash: &hash,
                is_admin: false,
                is_root: false,
            },
        )
        .await
        .unwrap()
        .id
    }

    /// Login → provider → back at the callback URL (not yet followed).
    async fn to_callback(&self) -> String {
        let start = hop(&format!("{}/api/v1/auth/oidc/login", self.app.address)).await;
        assert_eq!(start.status, 302);
        assert!(
            start
                .location
                .starts_with(&format!("{}/authorize?", self.provider.issuer())),
            "{}",
            start.location
        );
        let at_provider = hop(&start.location).await;
        assert_eq!(at_provider.status, 302, "the provider refused the request");
        assert!(
            at_provider
                .location
                .starts_with(&format!("{}/api/v1/auth/oidc/callback?", self.app.address)),
            "{}",
            at_provider.location
        );
        at_provider.location
    }

    /// The whole flow; returns the final hop.
    async fn sign_in(&self) -> Hop {
        let callback = self.to_callback().await;
        hop(&callback).await
    }

    /// Signs in and keeps the session like a browser; returns `/auth/me`.
    async fn sign_in_ok(&mut self) -> Value {
        let done = self.sign_in().await;
        assert_eq!(done.status, 302);
        assert_eq!(done.location, "/");
        self.app.cookie = Some(done.cookie.expect("a session cookie"));
        let me = self.app.get("/api/v1/auth/me").await;
        assert_eq!(me.status, 200, "{}", me.text);
        me.body
    }

    async fn user_count(&self) -> u64 {
        user::Entity::find().count(&self.app.db).await.unwrap()
    }

    async fn stop(self) {
        self.app.stop().await;
        self.provider.stop().await;
    }
}

fn refused(hop: &Hop, code: &str) {
    assert_eq!(hop.status, 302);
    assert_eq!(hop.location, format!("/login?error={code}"));
    assert!(hop.cookie.is_none(), "no session on a refused sign-in");
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_login_redirect_carries_state_nonce_and_a_pkce_challenge_kept_server_side() {
    let f = Fixture::start(&[]).await;
    let start = hop(&format!("{}/api/v1/auth/oidc/login", f.app.address)).await;
    assert_eq!(start.status, 302);
    let url = &start.location;
    assert_eq!(query_param(url, "response_type"), "code");
    assert_eq!(query_param(url, "client_id"), CLIENT_ID);
    assert_eq!(query_param(url, "scope"), "openid email");
    assert_eq!(query_param(url, "code_challenge_method"), "S256");
    assert_eq!(
        query_param(url, "redirect_uri"),
        format!("{}/api/v1/auth/oidc/callback", f.app.address)
    );
    let state = query_param(url, "state");
    let nonce = query_param(url, "nonce");
    assert_eq!(state.len(), 64);
    assert_eq!(nonce.len(), 64);
    assert_ne!(state, nonce);

    // Only the state's hash is stored, with the verifier whose S256 is the challenge.
    let row = f
        .app
        .db
        .query_one_raw(Statement::from_string(
            f.app.db.get_database_backend(),
            "SELECT state_hash, code_verifier, nonce FROM oidc_logins",
        ))
        .await
        .unwrap()
        .unwrap();
    let state_hash: String = row.try_get("", "state_hash").unwrap();
    let verifier: String = row.try_get("", "code_verifier").unwrap();
    let stored_nonce: String = row.try_get("", "nonce").unwrap();
    assert_eq!(state_hash, hex::encode(Sha256::digest(state.as_bytes())));
    assert_eq!(
        URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
        query_param(url, "code_challenge")
    );
    assert_eq!(stored_nonce, nonce);
    f.stop().await;
}

#[actix_web::test]
async fn a_known_e_mail_signs_in_and_the_session_works() {
    let mut f = Fixture::start(&[]).await;
    let id = f.add_user_with_email("driver", "Driver@Example.com").await;
    // The provider's e-mail differs in case only.
    f.provider.sign_in_as("subject-1", "driver@EXAMPLE.com");
    let before = f.user_count().await;
    let me = f.sign_in_ok().await;
    assert_eq!(me["id"], id);
    assert_eq!(me["username"], "driver");
    assert_eq!(me["isAdmin"], false);
    assert_eq!(f.user_count().await, before);
    // A write with the session and its CSRF token works too.
    f.app.csrf = me["csrfToken"].as_str().map(str::to_owned);
    let created = f
        .app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2020, "make": "Mazda", "model": "3", "licensePlate": "OIDC-1"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    // The flow's row is gone.
    let left = f
        .app
        .db
        .query_one_raw(Statement::from_string(
            f.app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM oidc_logins",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.try_get::<i64>("", "n").unwrap(), 0);
    f.stop().await;
}

#[actix_web::test]
async fn the_e_mail_comes_from_userinfo_when_the_id_token_has_none() {
    let mut f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    *f.provider.op.email_in_id_token.lock().unwrap() = false;
    let me = f.sign_in_ok().await;
    assert_eq!(me["username"], "driver");
    f.stop().await;
}

#[actix_web::test]
async fn a_wrong_state_is_refused() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    let callback = f.to_callback().await;
    let code = query_param(&callback, "code");
    let forged = format!(
        "{}/api/v1/auth/oidc/callback?code={code}&state={}",
        f.app.address,
        "0".repeat(64)
    );
    refused(&hop(&forged).await, "invalid_state");
    let no_state = format!("{}/api/v1/auth/oidc/callback?code={code}", f.app.address);
    refused(&hop(&no_state).await, "invalid_state");
    f.stop().await;
}

#[actix_web::test]
async fn a_state_works_once() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    let callback = f.to_callback().await;
    let first = hop(&callback).await;
    assert_eq!(first.location, "/");
    assert!(first.cookie.is_some());
    refused(&hop(&callback).await, "invalid_state");
    f.stop().await;
}

#[actix_web::test]
async fn a_token_signed_by_another_key_is_refused() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    f.provider.tamper(Tamper {
        other_key: true,
        ..Tamper::default()
    });
    refused(&f.sign_in().await, "invalid_token");
    f.stop().await;
}

#[actix_web::test]
async fn a_rotated_key_is_found_by_refetching_the_jwks_once() {
    let mut f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    f.sign_in_ok().await;
    assert_eq!(f.provider.op.jwks_fetches.load(Ordering::SeqCst), 1);
    // Cached: the second sign-in with the same key fetches nothing.
    f.sign_in_ok().await;
    assert_eq!(f.provider.op.jwks_fetches.load(Ordering::SeqCst), 1);
    f.provider.publish_both_keys();
    f.provider.tamper(Tamper {
        rotated: true,
        ..Tamper::default()
    });
    let me = f.sign_in_ok().await;
    assert_eq!(me["username"], "driver");
    assert_eq!(f.provider.op.jwks_fetches.load(Ordering::SeqCst), 2);
    f.stop().await;
}

#[actix_web::test]
async fn a_token_for_another_audience_is_refused() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    f.provider.tamper(Tamper {
        audience: Some("some-other-client".into()),
        ..Tamper::default()
    });
    refused(&f.sign_in().await, "invalid_token");
    f.stop().await;
}

#[actix_web::test]
async fn an_expired_token_is_refused() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    f.provider.tamper(Tamper {
        expired: true,
        ..Tamper::default()
    });
    refused(&f.sign_in().await, "invalid_token");
    f.stop().await;
}

#[actix_web::test]
async fn a_token_with_another_nonce_is_refused() {
    let f = Fixture::start(&[]).await;
    f.add_user_with_email("driver", "driver@example.com").await;
    f.provider.tamper(Tamper {
        nonce: Some("not-the-nonce-we-sent".into()),
        ..Tamper::default()
    });
    refused(&f.sign_in().await, "invalid_token");
    f.stop().await;
}

#[actix_web::test]
async fn an_unknown_e_mail_is_refused_without_auto_registration() {
    let f = Fixture::start(&[]).await;
    f.provider.sign_in_as("subject-9", "stranger@example.org");
    let before = f.user_count().await;
    refused(&f.sign_in().await, "unknown_user");
    assert_eq!(f.user_count().await, before);
    f.stop().await;
}

#[actix_web::test]
async fn auto_registration_creates_password_less_users_with_unique_names() {
    let mut f = Fixture::start(&[("MOTOVAULT__OIDC__AUTO_REGISTER", "true")]).await;
    let before = f.user_count().await;
    f.provider.sign_in_as("subject-1", "jane.doe@example.org");
    let jane = f.sign_in_ok().await;
    assert_eq!(jane["username"], "jane.doe");
    assert_eq!(jane["email"], "jane.doe@example.org");
    assert_eq!(jane["isAdmin"], false);
    assert_eq!(jane["isRoot"], false);
    assert_eq!(f.user_count().await, before + 1);
    let stored = user::Entity::find_by_id(jane["id"].as_i64().unwrap())
        .one(&f.app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.password_hash, None);
    // No password to log in with.
    assert_eq!(
        f.app
            .login("jane.doe", "correct horse battery")
            .await
            .status,
        401
    );

    // Same local part, other domain: the name gets a number.
    f.provider.sign_in_as("subject-2", "jane.doe@other.org");
    let other = f.sign_in_ok().await;
    assert_eq!(other["username"], "jane.doe2");
    assert_ne!(other["id"], jane["id"]);

    // Back again, the e-mail in other case: the existing account, nothing new.
    f.provider.sign_in_as("subject-1", "JANE.DOE@example.org");
    let again = f.sign_in_ok().await;
    assert_eq!(again["id"], jane["id"]);
    assert_eq!(f.user_count().await, before + 2);
    f.stop().await;
}

#[actix_web::test]
async fn a_disabled_user_is_refused() {
    let f = Fixture::start(&[("MOTOVAULT__OIDC__AUTO_REGISTER", "true")]).await;
    let id = f.add_user_with_email("driver", "driver@example.com").await;
    user::Entity::update_many()
        .col_expr(user::Column::IsDisabled, Expr::value(true))
        .filter(user::Column::Id.eq(id))
        .exec(&f.app.db)
        .await
        .unwrap();
    let before = f.user_count().await;
    refused(&f.sign_in().await, "account_disabled");
    // Auto-registration does not make a fresh account for a disabled user's e-mail.
    assert_eq!(f.user_count().await, before);
    f.stop().await;
}

#[actix_web::test]
async fn password_login_can_be_turned_off_leaving_oidc() {
    let mut f = Fixture::start(&[("MOTOVAULT__AUTH__DISABLE_PASSWORD_LOGIN", "true")]).await;
    let denied = f.app.login("root", "correct horse battery").await;
    assert_eq!(denied.status, 403, "{}", denied.text);
    assert_eq!(denied.code(), "forbidden");
    assert!(
        denied.body["detail"]
            .as_str()
            .unwrap()
            .contains("password sign-in is turned off"),
        "{}",
        denied.text
    );
    f.provider.sign_in_as("subject-root", "root@example.com");
    let me = f.sign_in_ok().await;
    assert_eq!(me["username"], "root");
    assert_eq!(me["isRoot"], true);
    f.stop().await;
}

#[actix_web::test]
async fn without_a_provider_the_endpoints_send_back_to_the_login_page() {
    let app = TestApp::spawn().await;
    let start = hop(&format!("{}/api/v1/auth/oidc/login", app.address)).await;
    refused(&start, "oidc_not_configured");
    let back = hop(&format!(
        "{}/api/v1/auth/oidc/callback?code=x&state=y",
        app.address
    ))
    .await;
    refused(&back, "oidc_not_configured");
    app.stop().await;
}

#[actix_web::test]
async fn a_provider_that_is_down_sends_back_to_the_login_page() {
    // A port nothing listens on (bound, then released).
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let issuer = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_in(
        TestEnv::new().await,
        &[
            ("MOTOVAULT__OIDC__ISSUER", issuer.as_str()),
            ("MOTOVAULT__OIDC__CLIENT_ID", CLIENT_ID),
        ],
    )
    .await;
    let start = hop(&format!("{}/api/v1/auth/oidc/login", app.address)).await;
    refused(&start, "provider_unavailable");
    app.stop().await;
}
