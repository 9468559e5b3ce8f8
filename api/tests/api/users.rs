//! User administration: who may use it, what it changes, and what it ends.

use motovault_api::store::entity::vehicle_collaborator;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::TestApp;
use crate::registration::spawn_with;
use crate::smtp::{Smtp, after};

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("get", "/api/v1/users/{userId}"),
    ("patch", "/api/v1/users/{userId}"),
    ("delete", "/api/v1/users/{userId}"),
    ("post", "/api/v1/users/{userId}/password"),
    ("get", "/api/v1/registration-tokens"),
    ("post", "/api/v1/registration-tokens"),
    ("delete", "/api/v1/registration-tokens/{tokenId}"),
];

async fn patch(app: &TestApp, path: &str, body: &serde_json::Value) -> crate::helpers::Reply {
    app.raw(
        awc::http::Method::PATCH,
        path,
        Some("application/json"),
        body.to_string().into_bytes(),
        &[],
    )
    .await
}

/// Creates a user as the signed-in administrator and answers their id.
async fn create_user(app: &TestApp, username: &str, email: Option<&str>) -> i64 {
    let reply = app
        .post(
            "/api/v1/users",
            &json!({"username": username, "email": email, "password": "user password"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn only_administrators_reach_user_management() {
    let mut app = TestApp::spawn().await;
    assert_eq!(app.get("/api/v1/users").await.status, 401);
    app.setup_root().await;
    app.add_user("gina", "gina password").await;
    app.login("gina", "gina password").await;
    for reply in [
        app.get("/api/v1/users").await,
        app.get("/api/v1/users/1").await,
        app.post("/api/v1/users", &json!({"username": "x"})).await,
        patch(&app, "/api/v1/users/1", &json!({"isAdmin": false})).await,
        app.delete("/api/v1/users/1").await,
        app.post("/api/v1/users/1/password", &json!({})).await,
        app.get("/api/v1/registration-tokens").await,
        app.post(
            "/api/v1/registration-tokens",
            &json!({"email": "a@b.example"}),
        )
        .await,
        app.delete("/api/v1/registration-tokens/1").await,
    ] {
        assert_eq!(reply.status, 403, "{}", reply.text);
        assert_eq!(reply.code(), "forbidden");
    }
}

#[actix_web::test]
async fn administrators_create_list_and_change_users() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let invalid = app
        .post(
            "/api/v1/users",
            &json!({"username": "has space", "email": "nope", "password": "short"}),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(
        invalid.error_fields(),
        vec!["username", "email", "password"]
    );

    let hank = app
        .post(
            "/api/v1/users",
            &json!({"username": "hank", "email": "hank@example.com", "password": "hank password"}),
        )
        .await;
    assert_eq!(hank.status, 201, "{}", hank.text);
    let hank_id = hank.body["id"].as_i64().unwrap();
    assert_eq!(hank.body["username"], "hank");
    assert_eq!(hank.body["isAdmin"], false);
    assert_eq!(hank.body["isDisabled"], false);
    assert_eq!(hank.body["hasPassword"], true);
    let nopass = app
        .post(
            "/api/v1/users",
            &json!({"username": "ivy", "isAdmin": true}),
        )
        .await;
    assert_eq!(nopass.status, 201, "{}", nopass.text);
    assert_eq!(nopass.body["hasPassword"], false);
    assert_eq!(nopass.body["isAdmin"], true);
    assert_eq!(app.login("ivy", "anything at all").await.status, 401);
    app.login("root", "correct horse battery").await;

    let same_name = app
        .post("/api/v1/users", &json!({"username": "HANK"}))
        .await;
    assert_eq!(same_name.status, 409);
    assert!(
        same_name.body["detail"]
            .as_str()
            .unwrap()
            .contains("username")
    );
    let same_email = app
        .post(
            "/api/v1/users",
            &json!({"username": "hank2", "email": "Hank@Example.com"}),
        )
        .await;
    assert_eq!(same_email.status, 409);

    let list = app.get("/api/v1/users").await;
    let names: Vec<&str> = list.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["hank", "ivy", "root"]);
    let one = app.get(&format!("/api/v1/users/{hank_id}")).await;
    assert_eq!(one.body["email"], "hank@example.com");
    assert_eq!(app.get("/api/v1/users/9999").await.status, 404);
    assert_eq!(app.get("/api/v1/users/abc").await.status, 404);

    // Hank signs in; being made an administrator ends that session (rights change).
    assert_eq!(app.login("hank", "hank password").await.status, 200);
    let hank_cookie = app.cookie.clone();
    app.login("root", "correct horse battery").await;
    let root_cookie = app.cookie.clone();
    let promoted = patch(
        &app,
        &format!("/api/v1/users/{hank_id}"),
        &json!({"isAdmin": true, "email": "h@example.com"}),
    )
    .await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    assert_eq!(promoted.body["isAdmin"], true);
    assert_eq!(promoted.body["email"], "h@example.com");
    app.cookie = hank_cookie;
    assert_eq!(app.get("/api/v1/auth/me").await.status, 401);
    app.cookie = root_cookie;
    assert_eq!(
        app.get("/api/v1/auth/me").await.status,
        200,
        "the admin's own session stays"
    );

    let taken = patch(
        &app,
        &format!("/api/v1/users/{hank_id}"),
        &json!({"email": "root@example.com"}),
    )
    .await;
    assert_eq!(taken.status, 409);

    app.login("hank", "hank password").await;
    assert_eq!(
        app.get("/api/v1/users").await.status,
        200,
        "now an administrator"
    );
}

#[actix_web::test]
async fn nobody_changes_the_root_or_themselves_here() {
    let mut app = TestApp::spawn().await;
    let root = app.setup_root().await;
    let root_id = root.body["id"].as_i64().unwrap();
    let admin_id = app
        .post(
            "/api/v1/users",
            &json!({"username": "jo", "password": "jo password", "isAdmin": true}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    let root_self = app.delete(&format!("/api/v1/users/{root_id}")).await;
    assert_eq!(root_self.status, 403, "{}", root_self.text);
    assert!(root_self.body["detail"].as_str().unwrap().contains("root"));

    app.login("jo", "jo password").await;
    for reply in [
        app.delete(&format!("/api/v1/users/{root_id}")).await,
        patch(
            &app,
            &format!("/api/v1/users/{root_id}"),
            &json!({"isDisabled": true}),
        )
        .await,
        app.post(&format!("/api/v1/users/{root_id}/password"), &json!({}))
            .await,
    ] {
        assert_eq!(reply.status, 403, "{}", reply.text);
    }
    let own = patch(
        &app,
        &format!("/api/v1/users/{admin_id}"),
        &json!({"isAdmin": false}),
    )
    .await;
    assert_eq!(own.status, 409, "{}", own.text);
    assert!(
        own.body["detail"]
            .as_str()
            .unwrap()
            .contains("your own account")
    );
    assert_eq!(
        app.delete(&format!("/api/v1/users/{admin_id}"))
            .await
            .status,
        409
    );
    assert_eq!(app.delete("/api/v1/users/9999").await.status, 404);

    app.login("root", "correct horse battery").await;
    assert_eq!(
        app.get(&format!("/api/v1/users/{root_id}")).await.body["isRoot"],
        true
    );
}

#[actix_web::test]
async fn a_disabled_user_cannot_sign_in_and_their_sessions_stop() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let kim = create_user(&app, "kim", None).await;
    app.login("kim", "user password").await;
    let kim_cookie = app.cookie.clone();
    assert_eq!(app.get("/api/v1/vehicles").await.status, 200);

    app.login("root", "correct horse battery").await;
    let disabled = patch(
        &app,
        &format!("/api/v1/users/{kim}"),
        &json!({"isDisabled": true}),
    )
    .await;
    assert_eq!(disabled.status, 200, "{}", disabled.text);
    assert_eq!(disabled.body["isDisabled"], true);
    let root = (app.cookie.clone(), app.csrf.clone());

    app.cookie = kim_cookie;
    assert_eq!(app.get("/api/v1/vehicles").await.status, 401);
    assert_eq!(app.login("kim", "user password").await.status, 401);

    (app.cookie, app.csrf) = root;
    let enabled = patch(
        &app,
        &format!("/api/v1/users/{kim}"),
        &json!({"isDisabled": false}),
    )
    .await;
    assert_eq!(enabled.body["isDisabled"], false);
    assert_eq!(app.login("kim", "user password").await.status, 200);
}

#[actix_web::test]
async fn deleting_a_user_keeps_their_vehicles() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let lee = create_user(&app, "lee", None).await;
    app.login("lee", "user password").await;
    let vehicle = app.add_vehicle("Lee's car").await;
    let rows = vehicle_collaborator::Entity::find()
        .filter(vehicle_collaborator::Column::UserId.eq(lee))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    app.login("root", "correct horse battery").await;
    assert_eq!(
        app.delete(&format!("/api/v1/users/{lee}")).await.status,
        204
    );
    assert_eq!(app.get(&format!("/api/v1/users/{lee}")).await.status, 404);
    let rows = vehicle_collaborator::Entity::find()
        .filter(vehicle_collaborator::Column::UserId.eq(lee))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0, "collaborator rows go with the user");
    let kept = app.get(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.body["make"], "Lee's car");
    assert_eq!(app.login("lee", "user password").await.status, 401);
}

#[actix_web::test]
async fn administrators_set_or_revoke_passwords_and_mail_a_link() {
    let smtp = Smtp::start().await;
    let mut app = spawn_with(&[], Some(&smtp)).await;
    app.setup_root().await;
    let max = create_user(&app, "max", Some("max@example.com")).await;
    let nomail = create_user(&app, "ned", None).await;
    app.login("max", "user password").await;
    let max_cookie = app.cookie.clone();
    app.login("root", "correct horse battery").await;
    let root = (app.cookie.clone(), app.csrf.clone());

    let weak = app
        .post(
            &format!("/api/v1/users/{max}/password"),
            &json!({"newPassword": "short"}),
        )
        .await;
    assert_eq!(weak.error_fields(), vec!["newPassword"]);
    let set = app
        .post(
            &format!("/api/v1/users/{max}/password"),
            &json!({"newPassword": "set by admin"}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body, json!({"emailed": false}));
    app.cookie = max_cookie;
    assert_eq!(app.get("/api/v1/auth/me").await.status, 401, "sessions end");
    assert_eq!(app.login("max", "user password").await.status, 401);
    assert_eq!(app.login("max", "set by admin").await.status, 200);

    (app.cookie, app.csrf) = root.clone();
    let revoked = app
        .post(&format!("/api/v1/users/{max}/password"), &json!({}))
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert_eq!(revoked.body, json!({"emailed": true}));
    assert_eq!(
        app.get(&format!("/api/v1/users/{max}")).await.body["hasPassword"],
        false
    );
    let no_address = app
        .post(&format!("/api/v1/users/{nomail}/password"), &json!({}))
        .await;
    assert_eq!(no_address.body, json!({"emailed": false}));
    assert_eq!(app.login("max", "set by admin").await.status, 401);

    let mails = smtp.wait_for(1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "max@example.com");
    // No public URL configured: the link names the address the request came to.
    let host = app.address.trim_start_matches("http://");
    let token = after(
        &mails[0].body,
        &format!("http://{host}/reset-password?token="),
    );
    app.forget();
    let confirmed = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            &json!({"token": token, "password": "chosen by max"}),
        )
        .await;
    assert_eq!(confirmed.status, 204, "{}", confirmed.text);
    assert_eq!(app.login("max", "chosen by max").await.status, 200);
}
