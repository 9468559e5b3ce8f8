//! API keys: created over a session, shown once, stored as a SHA-256 digest, unique names per
//! user (case-insensitive), optional expiry, revoked at once.

use motovault_api::store::entity::api_key;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::TestApp;

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/api-keys"),
    ("post", "/api/v1/api-keys"),
    ("delete", "/api/v1/api-keys/{keyId}"),
];

#[actix_web::test]
async fn a_key_is_shown_once_stored_hashed_works_and_stops_when_revoked() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Keyed").await;

    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": " Backup script ", "role": "editor"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 32);
    assert!(
        secret.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        "{secret}"
    );
    assert_eq!(created.body["name"], "Backup script");
    assert_eq!(created.body["role"], "editor");
    assert_eq!(created.body["expiresAt"], json!(null));
    assert_eq!(created.body["lastUsedAt"], json!(null));
    let id = created.body["id"].as_i64().unwrap();

    // Only the digest is kept.
    let row = api_key::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.key_hash,
        motovault_api::auth::token::digest(&secret),
        "SHA-256 hex of the key"
    );
    assert_ne!(row.key_hash, secret);

    let listed = app.get("/api/v1/api-keys").await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["keys"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["keys"][0]["name"], "Backup script");
    assert!(!listed.text.contains(&secret), "never listed again");
    assert!(listed.body["keys"][0].get("secret").is_none());

    // Both ways of sending it work, without a session.
    let cookie = app.cookie.take();
    let path = format!("/api/v1/vehicles/{vehicle}");
    let bearer = format!("Bearer {secret}");
    let by_bearer = app
        .raw(
            awc::http::Method::GET,
            &path,
            None,
            vec![],
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(by_bearer.status, 200, "{}", by_bearer.text);
    assert_eq!(by_bearer.body["make"], "Keyed");
    let by_header = app
        .raw(
            awc::http::Method::GET,
            &path,
            None,
            vec![],
            &[("x-api-key", &secret)],
        )
        .await;
    assert_eq!(by_header.status, 200);
    app.cookie = cookie;
    let listed = app.get("/api/v1/api-keys").await;
    assert!(
        listed.body["keys"][0]["lastUsedAt"].is_string(),
        "{}",
        listed.text
    );

    let revoked = app.delete(&format!("/api/v1/api-keys/{id}")).await;
    assert_eq!(revoked.status, 204, "{}", revoked.text);
    let after = app
        .raw(
            awc::http::Method::GET,
            &path,
            None,
            vec![],
            &[("x-api-key", &secret)],
        )
        .await;
    assert_eq!(after.status, 401, "{}", after.text);
    assert_eq!(app.get("/api/v1/api-keys").await.body["keys"], json!([]));
    assert_eq!(
        app.delete(&format!("/api/v1/api-keys/{id}")).await.status,
        404
    );
}

#[actix_web::test]
async fn a_key_in_the_query_reads_but_never_writes() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Wall").await;
    let mut secrets = Vec::new();
    for (name, role) in [("Wall display", "viewer"), ("Script", "manager")] {
        let created = app
            .post("/api/v1/api-keys", &json!({"name": name, "role": role}))
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        secrets.push(created.body["secret"].as_str().unwrap().to_owned());
    }
    let (viewer, manager) = (&secrets[0], &secrets[1]);
    let _session = app.cookie.take();

    // Reads with a viewer key: the kiosk's one call and the live stream's handshake (an
    // EventSource sends no headers), with other parameters around the key.
    let kiosk = app
        .get(&format!("/api/v1/kiosk?mode=vehicles&apiKey={viewer}"))
        .await;
    assert_eq!(kiosk.status, 200, "{}", kiosk.text);
    assert_eq!(kiosk.body["vehicles"][0]["id"], vehicle);
    let me = app.get(&format!("/api/v1/auth/me?apiKey={viewer}")).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["username"], "root");

    // The parameter's name is exact, and a wrong key is refused like no key.
    let cases = [
        format!("/api/v1/vehicles/{vehicle}?apikey={viewer}"),
        format!("/api/v1/vehicles/{vehicle}?apiKey={}", "0".repeat(32)),
        format!("/api/v1/vehicles/{vehicle}?apiKey="),
    ];
    for path in cases {
        assert_eq!(app.get(&path).await.status, 401, "{path}");
    }

    // A key that could write does not belong in a URL, not even to read: 403, saying why.
    let refused = app
        .get(&format!("/api/v1/vehicles/{vehicle}?apiKey={manager}"))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(refused.text.contains("viewer key"), "{}", refused.text);

    // Writes never take a key from the URL, whatever its role.
    for key in [viewer, manager] {
        let path = format!("/api/v1/vehicles/{vehicle}/notes?apiKey={key}");
        let write = app
            .post(&path, &json!({"title": "From a link", "body": "no"}))
            .await;
        assert_eq!(write.status, 401, "{}", write.text);
        let delete = app
            .delete(&format!("/api/v1/vehicles/{vehicle}?apiKey={key}"))
            .await;
        assert_eq!(delete.status, 401, "{}", delete.text);
    }
    let still = app
        .raw(
            awc::http::Method::GET,
            &format!("/api/v1/vehicles/{vehicle}/notes"),
            None,
            vec![],
            &[("x-api-key", manager)],
        )
        .await;
    assert_eq!(still.status, 200, "{}", still.text);
    assert_eq!(still.body["records"], json!([]), "nothing was written");
}

#[actix_web::test]
async fn names_are_unique_per_user_ignoring_case() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", "correct horse battery").await;
    let first = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "Backup", "role": "viewer"}),
        )
        .await;
    assert_eq!(first.status, 201);
    let again = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": " BACKUP ", "role": "manager"}),
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert_eq!(again.code(), "conflict");

    // Another user may use the same name; and cannot see or revoke the root's key.
    app.login("ann", "correct horse battery").await;
    let theirs = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "backup", "role": "viewer"}),
        )
        .await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let listed = app.get("/api/v1/api-keys").await;
    assert_eq!(listed.body["keys"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["keys"][0]["name"], "backup");
    let roots = first.body["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/api-keys/{roots}"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn invalid_keys_are_refused_with_the_fields_named() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    for (body, field) in [
        (json!({"name": "  ", "role": "viewer"}), "name"),
        (json!({"name": "x".repeat(101), "role": "viewer"}), "name"),
        (
            json!({"name": "old", "role": "viewer", "expiresAt": past}),
            "expiresAt",
        ),
        (json!({"name": "root", "role": "root"}), "role"),
        (json!({"name": "x"}), "role"),
        (
            json!({"name": "x", "role": "viewer", "scope": "all"}),
            "scope",
        ),
    ] {
        let reply = app.post("/api/v1/api-keys", &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field], "{body}");
    }
    assert_eq!(app.get("/api/v1/api-keys").await.body["keys"], json!([]));

    // A future expiry is kept; once it passes, the key no longer signs in.
    let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "temp", "role": "viewer", "expiresAt": soon}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert!(created.body["expiresAt"].is_string());
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let cookie = app.cookie.take();
    let reply = app
        .raw(
            awc::http::Method::GET,
            "/api/v1/vehicles",
            None,
            vec![],
            &[("x-api-key", &secret)],
        )
        .await;
    assert_eq!(reply.status, 200);
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(api_key::Column::Name.eq("temp"))
        .exec(&app.db)
        .await
        .unwrap();
    let reply = app
        .raw(
            awc::http::Method::GET,
            "/api/v1/vehicles",
            None,
            vec![],
            &[("x-api-key", &secret)],
        )
        .await;
    assert_eq!(reply.status, 401, "{}", reply.text);
    app.cookie = cookie;
}

#[actix_web::test]
async fn keys_cannot_manage_keys() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "all", "role": "manager"}),
        )
        .await;
    let secret = created.body["secret"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_i64().unwrap();
    app.forget();
    let key = [("x-api-key", secret.as_str())];
    for (method, path, body) in [
        (
            awc::http::Method::GET,
            "/api/v1/api-keys".to_owned(),
            vec![],
        ),
        (
            awc::http::Method::POST,
            "/api/v1/api-keys".to_owned(),
            json!({"name": "more", "role": "manager"})
                .to_string()
                .into_bytes(),
        ),
        (
            awc::http::Method::DELETE,
            format!("/api/v1/api-keys/{id}"),
            vec![],
        ),
    ] {
        let reply = app
            .raw(method.clone(), &path, Some("application/json"), body, &key)
            .await;
        assert_eq!(reply.status, 403, "{method} {path}: {}", reply.text);
        assert_eq!(reply.code(), "forbidden");
    }
    // Nothing changed: the key still exists and still works.
    let still = app
        .raw(
            awc::http::Method::GET,
            "/api/v1/vehicles",
            None,
            vec![],
            &key,
        )
        .await;
    assert_eq!(still.status, 200);
    assert_eq!(api_key::Entity::find().all(&app.db).await.unwrap().len(), 1);
}
