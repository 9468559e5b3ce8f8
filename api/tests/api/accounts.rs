use serde_json::json;

use crate::helpers::TestApp;

#[actix_web::test]
async fn first_run_setup_creates_the_root_once() {
    let mut app = TestApp::spawn().await;
    let status = app.get("/api/v1/setup").await;
    assert_eq!(status.body["needsSetup"], true);

    let invalid = app
        .post(
            "/api/v1/setup",
            &json!({"username": "", "password": "short"}),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.content_type(), "application/problem+json");
    assert_eq!(invalid.code(), "validation_failed");
    assert_eq!(invalid.error_fields(), vec!["username", "password"]);

    let created = app.setup_root().await;
    assert_eq!(created.body["username"], "root");
    assert_eq!(created.body["isRoot"], true);
    assert_eq!(created.body["isAdmin"], true);
    let cookie = created
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("motovault_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");

    let again = app
        .post(
            "/api/v1/setup",
            &json!({"username": "mallory", "password": "another password"}),
        )
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.code(), "already_set_up");
    assert_eq!(app.get("/api/v1/setup").await.body["needsSetup"], false);

    // The password is stored as argon2id, never in the clear.
    let user = motovault_api::store::users::find_by_username(&app.db, "ROOT")
        .await
        .unwrap()
        .unwrap();
    let hash = user.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("correct horse"));
}

#[actix_web::test]
async fn everything_but_setup_login_and_health_needs_a_session() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    app.forget();
    for path in [
        "/api/v1/auth/me".to_owned(),
        "/api/v1/me/settings".to_owned(),
        "/api/v1/vehicles".to_owned(),
        format!("/api/v1/vehicles/{vehicle}"),
        format!("/api/v1/vehicles/{vehicle}/fuel-records"),
    ] {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 401, "{path}");
        assert_eq!(reply.code(), "unauthenticated", "{path}");
        assert_eq!(reply.content_type(), "application/problem+json");
    }
    let forged = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2018, "make": "X", "model": "Y"}),
        )
        .await;
    assert_eq!(forged.status, 401);
    app.cookie = Some("motovault_session=not-a-real-session".into());
    assert_eq!(app.get("/api/v1/vehicles").await.status, 401);
}

#[actix_web::test]
async fn login_me_and_logout() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;

    let wrong = app.login("root", "not the password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.code(), "invalid_credentials");
    let unknown = app.login("nobody", "whatever password").await;
    assert_eq!(unknown.status, 401);
    assert_eq!(unknown.code(), "invalid_credentials");
    let empty = app.login("", "").await;
    assert_eq!(empty.status, 422);

    // Usernames are case-insensitive.
    let ok = app.login("Root", "correct horse battery").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let me = app.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["username"], "root");
    assert_eq!(me.body["csrfToken"], ok.body["csrfToken"]);
    assert_eq!(me.body["settings"]["unitSystem"], "imperial");

    let out = app.post("/api/v1/auth/logout", &json!({})).await;
    assert_eq!(out.status, 204);
    let cleared = out.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.starts_with("motovault_session=;"), "{cleared}");
    // The old cookie is dead even if a client keeps sending it.
    assert_eq!(app.get("/api/v1/auth/me").await.status, 401);
}

#[actix_web::test]
async fn cookie_writes_need_the_csrf_token() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let token = app.csrf.take();
    let missing = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2018, "make": "X", "model": "Y"}),
        )
        .await;
    assert_eq!(missing.status, 403);
    assert_eq!(missing.code(), "csrf_token_invalid");
    app.csrf = Some("0".repeat(64));
    let wrong = app
        .post(
            "/api/v1/vehicles",
            &json!({"year": 2018, "make": "X", "model": "Y"}),
        )
        .await;
    assert_eq!(wrong.status, 403);
    app.csrf = None;
    // Reads need no token.
    assert_eq!(app.get("/api/v1/vehicles").await.body, json!([]));
    app.csrf = token;
    assert_eq!(
        app.post(
            "/api/v1/vehicles",
            &json!({"year": 2018, "make": "X", "model": "Y"})
        )
        .await
        .status,
        201
    );
}

#[actix_web::test]
async fn sessions_survive_a_restart() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_vehicle("Mazda").await;
    let (cookie, csrf) = (app.cookie.clone(), app.csrf.clone());
    let env = app.stop().await;

    let mut again = TestApp::spawn_in(env, &[]).await;
    again.cookie = cookie;
    again.csrf = csrf;
    let me = again.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    let vehicles = again.get("/api/v1/vehicles").await;
    assert_eq!(vehicles.body.as_array().unwrap().len(), 1);
    assert_eq!(vehicles.body[0]["make"], "Mazda");
}

#[actix_web::test]
async fn settings_are_per_user_and_validated() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let saved = app
        .put("/api/v1/me/settings", &json!({"unitSystem": "metric"}))
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        app.get("/api/v1/me/settings").await.body["unitSystem"],
        "metric"
    );
    let bad = app
        .put("/api/v1/me/settings", &json!({"unitSystem": "furlongs"}))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), vec!["unitSystem"]);

    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    assert_eq!(
        app.get("/api/v1/me/settings").await.body["unitSystem"],
        "imperial"
    );
}

#[actix_web::test]
async fn tab_choice_and_order_are_a_validated_user_setting() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    assert_eq!(app.get("/api/v1/me/settings").await.body["tabs"], json!([]));
    let saved = app
        .put(
            "/api/v1/me/settings",
            &json!({"unitSystem": "metric", "tabs": ["notes", "fuel", "reminders"]}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        app.get("/api/v1/auth/me").await.body["settings"]["tabs"],
        json!(["notes", "fuel", "reminders"])
    );
    let bad = app
        .put(
            "/api/v1/me/settings",
            &json!({"tabs": ["fuel", "garage", "fuel"]}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), vec!["tabs[1]", "tabs[2]"]);
    assert_eq!(
        app.get("/api/v1/me/settings").await.body["tabs"],
        json!(["notes", "fuel", "reminders"]),
        "unchanged"
    );
}

#[actix_web::test]
async fn a_disabled_users_session_stops_working() {
    use sea_orm::ConnectionTrait;
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    assert_eq!(app.get("/api/v1/auth/me").await.status, 200);
    app.db
        .execute_unprepared("UPDATE users SET is_disabled = TRUE")
        .await
        .unwrap();
    let me = app.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 401);
    assert_eq!(me.code(), "unauthenticated");
}

#[actix_web::test]
async fn currency_locale_date_format_and_theme_are_validated_settings() {
    use sea_orm::ConnectionTrait;
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let defaults = app.get("/api/v1/me/settings").await.body;
    assert_eq!(defaults["currency"], "USD");
    assert_eq!(defaults["locale"], "en-US");
    assert_eq!(defaults["dateFormat"], "locale");
    assert_eq!(defaults["theme"], "system");

    let saved = app
        .put(
            "/api/v1/me/settings",
            &json!({"unitSystem": "metric", "currency": "EUR", "locale": "de-DE",
                    "dateFormat": "iso", "theme": "dark"}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let me = app.get("/api/v1/auth/me").await.body;
    assert_eq!(me["settings"]["currency"], "EUR");
    assert_eq!(me["settings"]["locale"], "de-DE");
    assert_eq!(me["settings"]["dateFormat"], "iso");
    assert_eq!(me["settings"]["theme"], "dark");

    let bad = app
        .put(
            "/api/v1/me/settings",
            &json!({"currency": "euro", "locale": "de_DE"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), vec!["currency", "locale"]);
    for (body, field) in [
        (json!({"theme": "sepia"}), "theme"),
        (json!({"dateFormat": "us"}), "dateFormat"),
    ] {
        let bad = app.put("/api/v1/me/settings", &body).await;
        assert_eq!(bad.status, 422, "{body}");
        assert_eq!(bad.error_fields(), vec![field]);
    }
    assert_eq!(
        app.get("/api/v1/me/settings").await.body["currency"],
        "EUR",
        "unchanged"
    );

    // A row saved before these settings existed still loads, with their defaults.
    app.db
        .execute_unprepared(
            r#"UPDATE user_settings SET settings = '{"unitSystem":"metric","tabs":["fuel"]}'"#,
        )
        .await
        .unwrap();
    let old = app.get("/api/v1/me/settings").await.body;
    assert_eq!(old["unitSystem"], "metric");
    assert_eq!(old["tabs"], json!(["fuel"]));
    assert_eq!(old["currency"], "USD");
    assert_eq!(old["locale"], "en-US");
    assert_eq!(old["dateFormat"], "locale");
    assert_eq!(old["theme"], "system");
}
