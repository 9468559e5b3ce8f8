//! Registration (open / token / off), registration tokens, password reset by e-mail and the
//! self-service password and e-mail changes, against a real SMTP server.

use chrono::{Duration, Utc};
use motovault_api::store::entity::{password_reset_token, registration_token};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{TestApp, TestEnv};
use crate::smtp::{Smtp, after};

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/auth/options"),
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("put", "/api/v1/me/password"),
    ("put", "/api/v1/me/email"),
];

/// A server with these settings, sending mail through `smtp` when given.
pub async fn spawn_with(extra: &[(&str, &str)], smtp: Option<&Smtp>) -> TestApp {
    let mut env: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if let Some(smtp) = smtp {
        env.extend(smtp.env());
    }
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    TestApp::spawn_in(TestEnv::new().await, &pairs).await
}

fn register_body(username: &str, email: &str, token: Option<&str>) -> serde_json::Value {
    json!({"username": username, "password": "a long passphrase", "email": email, "token": token})
}

#[actix_web::test]
async fn options_follow_the_configuration() {
    let app = TestApp::spawn().await;
    let options = app.get("/api/v1/auth/options").await;
    assert_eq!(options.status, 200, "{}", options.text);
    assert_eq!(
        options.body,
        json!({"registration": "token", "passwordLogin": true, "passwordReset": false, "oidc": null})
    );
    // Without SMTP a reset cannot be mailed: a clear 503, the same for every address.
    let reset = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "root@example.com"}),
        )
        .await;
    assert_eq!(reset.status, 503, "{}", reset.text);
    assert_eq!(reset.code(), "service_unavailable");

    let smtp = Smtp::start().await;
    let app = spawn_with(&[("MOTOVAULT__AUTH__REGISTRATION", "open")], Some(&smtp)).await;
    let options = app.get("/api/v1/auth/options").await;
    assert_eq!(options.body["registration"], "open");
    assert_eq!(options.body["passwordReset"], true);
}

#[actix_web::test]
async fn open_registration_needs_no_token_and_signs_in() {
    let mut app = spawn_with(&[("MOTOVAULT__AUTH__REGISTRATION", "open")], None).await;
    app.setup_root().await;
    app.forget();

    let weak = app
        .post(
            "/api/v1/auth/register",
            &json!({"username": "ann", "password": "short", "email": "not-an-address"}),
        )
        .await;
    assert_eq!(weak.status, 422, "{}", weak.text);
    assert_eq!(weak.error_fields(), vec!["password", "email"]);

    let created = app
        .post(
            "/api/v1/auth/register",
            &register_body("ann", "Ann@Example.com", None),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["username"], "ann");
    assert_eq!(created.body["email"], "Ann@Example.com");
    assert_eq!(created.body["isAdmin"], false);
    assert_eq!(created.body["isRoot"], false);
    app.remember(&created);
    let me = app.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["username"], "ann");

    app.forget();
    let same_name = app
        .post(
            "/api/v1/auth/register",
            &register_body("ANN", "other@example.com", None),
        )
        .await;
    assert_eq!(same_name.status, 409, "{}", same_name.text);
    let same_email = app
        .post(
            "/api/v1/auth/register",
            &register_body("anna", "ann@example.COM", None),
        )
        .await;
    assert_eq!(same_email.status, 409, "{}", same_email.text);
    assert!(
        same_email.body["detail"]
            .as_str()
            .unwrap()
            .contains("e-mail")
    );

    let login = app.login("ann", "a long passphrase").await;
    assert_eq!(login.status, 200);
}

#[actix_web::test]
async fn registration_off_is_forbidden() {
    let app = spawn_with(&[("MOTOVAULT__AUTH__REGISTRATION", "off")], None).await;
    let refused = app
        .post(
            "/api/v1/auth/register",
            &register_body("ann", "ann@example.com", None),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("turned off")
    );
    assert_eq!(
        app.get("/api/v1/auth/options").await.body["registration"],
        "off"
    );
}

#[actix_web::test]
async fn a_mailed_token_registers_once_and_only_for_its_email() {
    let smtp = Smtp::start().await;
    let mut app = spawn_with(&[], Some(&smtp)).await;
    app.setup_root().await;

    let created = app
        .post(
            "/api/v1/registration-tokens",
            &json!({"email": "Alice@Example.com", "sendEmail": true}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["emailed"], true);
    assert_eq!(created.body["email"], "Alice@Example.com");
    assert!(created.body["expiresAt"].is_null());
    assert!(created.body["usedAt"].is_null());
    let shown = created.body["token"].as_str().unwrap().to_owned();
    assert_eq!(shown.len(), 8);
    assert!(
        shown
            .chars()
            .all(|c| "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(c)),
        "{shown}"
    );

    let mails = smtp.wait_for(1).await;
    assert_eq!(mails[0].to, "Alice@Example.com");
    assert_eq!(mails[0].subject, "Your MotoVaultPro registration token");
    let mailed = after(&mails[0].body, "Your registration token is: ");
    assert_eq!(mailed, shown);
    // Stored hashed: the table never holds the token itself.
    let row = registration_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.token_hash, shown);
    assert_eq!(row.token_hash.len(), 64);

    app.forget();
    let without = app
        .post(
            "/api/v1/auth/register",
            &register_body("alice", "alice@example.com", None),
        )
        .await;
    assert_eq!(without.status, 422);
    assert_eq!(without.error_fields(), vec!["token"]);
    let wrong_email = app
        .post(
            "/api/v1/auth/register",
            &register_body("alice", "mallory@example.com", Some(&shown)),
        )
        .await;
    assert_eq!(wrong_email.status, 422, "{}", wrong_email.text);
    assert_eq!(wrong_email.error_fields(), vec!["token"]);
    let made_up = app
        .post(
            "/api/v1/auth/register",
            &register_body("alice", "alice@example.com", Some("ABCDEFGH")),
        )
        .await;
    assert_eq!(made_up.status, 422);

    // Typed in lower case with spaces around, and the e-mail in another case: accepted.
    let typed = format!(" {} ", shown.to_lowercase());
    let registered = app
        .post(
            "/api/v1/auth/register",
            &register_body("alice", "alice@example.com", Some(&typed)),
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    assert_eq!(registered.body["username"], "alice");

    let reused = app
        .post(
            "/api/v1/auth/register",
            &register_body("alice2", "alice@example.com", Some(&shown)),
        )
        .await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_eq!(reused.error_fields(), vec!["token"]);

    app.login("root", "correct horse battery").await;
    let list = app.get("/api/v1/registration-tokens").await;
    assert_eq!(list.status, 200);
    let tokens = list.body["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0]["usedAt"].is_string(), "{}", list.text);
    assert!(tokens[0].get("token").is_none(), "never shown again");
}

#[actix_web::test]
async fn expired_and_withdrawn_tokens_are_refused() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let no_mail = app
        .post(
            "/api/v1/registration-tokens",
            &json!({"email": "bob@example.com", "sendEmail": true}),
        )
        .await;
    assert_eq!(no_mail.status, 422, "{}", no_mail.text);
    assert_eq!(no_mail.error_fields(), vec!["sendEmail"]);
    let bad = app
        .post(
            "/api/v1/registration-tokens",
            &json!({"email": "bob", "expiresInDays": 0}),
        )
        .await;
    assert_eq!(bad.error_fields(), vec!["email", "expiresInDays"]);

    let expiring = app
        .post(
            "/api/v1/registration-tokens",
            &json!({"email": "bob@example.com", "expiresInDays": 2}),
        )
        .await;
    assert_eq!(expiring.status, 201, "{}", expiring.text);
    assert_eq!(expiring.body["emailed"], false);
    let expires: chrono::DateTime<Utc> = expiring.body["expiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let in_two_days = Utc::now() + Duration::days(2);
    assert!(
        (expires - in_two_days).num_seconds().abs() < 60,
        "{expires}"
    );
    let expiring_token = expiring.body["token"].as_str().unwrap().to_owned();
    let withdrawn = app
        .post(
            "/api/v1/registration-tokens",
            &json!({"email": "carol@example.com"}),
        )
        .await;
    let withdrawn_token = withdrawn.body["token"].as_str().unwrap().to_owned();
    let withdrawn_id = withdrawn.body["id"].as_i64().unwrap();

    // Let the first token run out.
    registration_token::Entity::update_many()
        .col_expr(
            registration_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(registration_token::Column::Id.eq(expiring.body["id"].as_i64().unwrap()))
        .exec(&app.db)
        .await
        .unwrap();
    let gone = app
        .delete(&format!("/api/v1/registration-tokens/{withdrawn_id}"))
        .await;
    assert_eq!(gone.status, 204);
    let again = app
        .delete(&format!("/api/v1/registration-tokens/{withdrawn_id}"))
        .await;
    assert_eq!(again.status, 404);

    app.forget();
    let expired = app
        .post(
            "/api/v1/auth/register",
            &register_body("bob", "bob@example.com", Some(&expiring_token)),
        )
        .await;
    assert_eq!(expired.status, 422, "{}", expired.text);
    assert_eq!(expired.error_fields(), vec!["token"]);
    let deleted = app
        .post(
            "/api/v1/auth/register",
            &register_body("carol", "carol@example.com", Some(&withdrawn_token)),
        )
        .await;
    assert_eq!(deleted.status, 422);
}

/// Logs `username` in and hands back that session's cookie and CSRF token.
async fn session_of(app: &mut TestApp, username: &str, password: &str) -> (String, String) {
    let reply = app.login(username, password).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    (app.cookie.clone().unwrap(), app.csrf.clone().unwrap())
}

fn use_session(app: &mut TestApp, session: &(String, String)) {
    app.cookie = Some(session.0.clone());
    app.csrf = Some(session.1.clone());
}

#[actix_web::test]
async fn a_reset_link_sets_the_password_once_and_ends_sessions() {
    let smtp = Smtp::start().await;
    let mut app = spawn_with(
        &[(
            "MOTOVAULT__SERVER__PUBLIC_URL",
            "https://garage.example.com/",
        )],
        Some(&smtp),
    )
    .await;
    app.setup_root().await;
    let created = app
        .post(
            "/api/v1/users",
            &json!({"username": "dave", "email": "dave@example.com", "password": "old password 1"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let dave_session = session_of(&mut app, "dave", "old password 1").await;
    app.forget();

    // Unknown address: the same 202, and no mail.
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, 202, "{}", unknown.text);
    let known = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "DAVE@example.com"}),
        )
        .await;
    assert_eq!(known.status, 202, "{}", known.text);
    assert_eq!(known.text, unknown.text);
    let mails = smtp.wait_for(1).await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        smtp.messages().len(),
        1,
        "only the known address gets a mail"
    );
    assert_eq!(mails[0].to, "dave@example.com");
    assert_eq!(mails[0].subject, "Reset your MotoVaultPro password");
    assert!(
        mails[0].body.contains("within 60 minutes"),
        "{}",
        mails[0].body
    );
    let token = after(
        &mails[0].body,
        "https://garage.example.com/reset-password?token=",
    );
    assert_eq!(token.len(), 64, "{token}");
    let row = password_reset_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(row.token_hash, token, "stored hashed");
    let lifetime = row.expires_at - row.created_at;
    assert_eq!(lifetime.num_minutes(), 60);

    let weak = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "short"}),
        )
        .await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.error_fields(), vec!["password"]);
    let done = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "new password 2"}),
        )
        .await;
    assert_eq!(done.status, 204, "{}", done.text);

    use_session(&mut app, &dave_session);
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        401,
        "sessions ended"
    );
    assert_eq!(app.login("dave", "old password 1").await.status, 401);
    assert_eq!(app.login("dave", "new password 2").await.status, 200);

    app.forget();
    let reused = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "third password 3"}),
        )
        .await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_eq!(reused.error_fields(), vec!["token"]);

    // A link past its lifetime is refused too.
    let again = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "dave@example.com"}),
        )
        .await;
    assert_eq!(again.status, 202);
    let mails = smtp.wait_for(2).await;
    let late = after(&mails[1].body, "/reset-password?token=");
    password_reset_token::Entity::update_many()
        .col_expr(
            password_reset_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let expired = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": late, "password": "third password 3"}),
        )
        .await;
    assert_eq!(expired.status, 422);
    assert_eq!(app.login("dave", "new password 2").await.status, 200);
}

#[actix_web::test]
async fn a_password_change_ends_the_other_sessions_and_rotates_this_one() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("erin", "first password").await;
    let phone = session_of(&mut app, "erin", "first password").await;
    let laptop = session_of(&mut app, "erin", "first password").await;

    let wrong = app
        .put(
            "/api/v1/me/password",
            &json!({"currentPassword": "not it at all", "newPassword": "second password"}),
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert_eq!(wrong.error_fields(), vec!["currentPassword"]);
    let weak = app
        .put(
            "/api/v1/me/password",
            &json!({"currentPassword": "first password", "newPassword": "short"}),
        )
        .await;
    assert_eq!(weak.error_fields(), vec!["newPassword"]);

    let changed = app
        .put(
            "/api/v1/me/password",
            &json!({"currentPassword": "first password", "newPassword": "second password"}),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    let fresh = changed
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("motovault_session="))
        .expect("a new session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_ne!(fresh, laptop.0);

    use_session(&mut app, &phone);
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        401,
        "other session ended"
    );
    use_session(&mut app, &laptop);
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        401,
        "old cookie replaced"
    );
    app.cookie = Some(fresh);
    let me = app.get("/api/v1/auth/me").await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["username"], "erin");

    assert_eq!(app.login("erin", "first password").await.status, 401);
    assert_eq!(app.login("erin", "second password").await.status, 200);
}

#[actix_web::test]
async fn the_email_changes_with_the_password_and_stays_unique() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("fred", "fred password").await;
    app.login("fred", "fred password").await;

    let wrong = app
        .put(
            "/api/v1/me/email",
            &json!({"email": "fred@example.com", "currentPassword": "nope nope nope"}),
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.error_fields(), vec!["currentPassword"]);
    let taken = app
        .put(
            "/api/v1/me/email",
            &json!({"email": "ROOT@example.com", "currentPassword": "fred password"}),
        )
        .await;
    assert_eq!(taken.status, 409, "{}", taken.text);
    let changed = app
        .put(
            "/api/v1/me/email",
            &json!({"email": " fred@example.com ", "currentPassword": "fred password"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["email"], "fred@example.com");
    assert_eq!(changed.body["csrfToken"].as_str(), app.csrf.as_deref());
    assert_eq!(
        app.get("/api/v1/auth/me").await.body["email"],
        "fred@example.com"
    );
}
