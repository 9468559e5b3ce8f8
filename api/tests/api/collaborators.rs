//! Collaborators: co-owners of a vehicle, managed by its owners (reference §1 "Collaborators").

use serde_json::json;

use crate::helpers::TestApp;

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/collaborators"),
    ("post", "/api/v1/vehicles/{vehicleId}/collaborators"),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/collaborators/{userId}",
    ),
];

const PASSWORD: &str = "correct horse battery";

fn names(reply: &crate::helpers::Reply) -> Vec<String> {
    reply.body["collaborators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["username"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn owners_add_and_remove_co_owners_who_then_have_every_right() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "cid"] {
        app.add_user(name, PASSWORD).await;
    }
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Shared").await;
    let base = format!("/api/v1/vehicles/{vehicle}/collaborators");

    let listed = app.get(&base).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(names(&listed), vec!["ann"]);

    let added = app.post(&base, &json!({"username": " BOB "})).await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.body["username"], "bob");
    let bob = added.body["userId"].as_i64().unwrap();
    assert_eq!(names(&app.get(&base).await), vec!["ann", "bob"]);

    // Unknown users and existing collaborators are refused; nothing changes.
    let unknown = app.post(&base, &json!({"username": "nobody"})).await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    assert_eq!(unknown.error_fields(), vec!["username"]);
    let twice = app.post(&base, &json!({"username": "Bob"})).await;
    assert_eq!(twice.status, 409, "{}", twice.text);
    let blank = app.post(&base, &json!({"username": ""})).await;
    assert_eq!(blank.error_fields(), vec!["username"]);
    assert_eq!(names(&app.get(&base).await), vec!["ann", "bob"]);

    // Bob now owns it fully: he edits, adds cid, and removes ann.
    app.login("bob", PASSWORD).await;
    let put = app
        .put(
            &format!("/api/v1/vehicles/{vehicle}"),
            &json!({"year": 2019, "make": "Shared", "model": "Jazz", "licensePlate": "B-1"}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(
        app.post(&base, &json!({"username": "cid"})).await.status,
        201
    );
    let ann = app.get(&base).await.body["collaborators"][0]["userId"]
        .as_i64()
        .unwrap();
    assert_eq!(app.delete(&format!("{base}/{ann}")).await.status, 204);
    assert_eq!(names(&app.get(&base).await), vec!["bob", "cid"]);

    // Ann no longer sees the vehicle at all.
    app.login("ann", PASSWORD).await;
    assert_eq!(app.get(&base).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{vehicle}")).await.status,
        404
    );
    let vehicles = app.get("/api/v1/vehicles").await;
    assert_eq!(
        vehicles.body.as_array().map(Vec::len),
        Some(0),
        "{}",
        vehicles.text
    );

    // Removing someone who is not a collaborator is "not found".
    app.login("bob", PASSWORD).await;
    assert_eq!(app.delete(&format!("{base}/{ann}")).await.status, 404);
    assert_eq!(app.delete(&format!("{base}/{bob}x")).await.status, 404);
}

#[actix_web::test]
async fn the_last_collaborator_cannot_be_removed() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Solo").await;
    let base = format!("/api/v1/vehicles/{vehicle}/collaborators");
    let ann = app.get(&base).await.body["collaborators"][0]["userId"]
        .as_i64()
        .unwrap();
    let last = app.delete(&format!("{base}/{ann}")).await;
    assert_eq!(last.status, 409, "{}", last.text);
    assert!(
        last.body["detail"]
            .as_str()
            .unwrap()
            .contains("last collaborator")
    );

    // Leaving is fine once someone else owns it; then the other is the last one, even for
    // the root.
    app.post(&base, &json!({"username": "bob"})).await;
    assert_eq!(app.delete(&format!("{base}/{ann}")).await.status, 204);
    app.login("root", PASSWORD).await;
    let bob = app.get(&base).await.body["collaborators"][0]["userId"]
        .as_i64()
        .unwrap();
    assert_eq!(app.delete(&format!("{base}/{bob}")).await.status, 409);
    assert_eq!(names(&app.get(&base).await), vec!["bob"]);
}

#[actix_web::test]
async fn household_members_strangers_and_keys_cannot_manage_collaborators() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "eve"] {
        app.add_user(name, PASSWORD).await;
    }
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Guarded").await;
    let base = format!("/api/v1/vehicles/{vehicle}/collaborators");
    let member = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "manager"}),
        )
        .await;
    assert_eq!(member.status, 201, "{}", member.text);
    let key = app
        .post("/api/v1/api-keys", &json!({"name": "k", "role": "manager"}))
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();

    // A household manager sees the list but may not change it.
    app.login("bob", PASSWORD).await;
    assert_eq!(names(&app.get(&base).await), vec!["ann"]);
    let add = app.post(&base, &json!({"username": "eve"})).await;
    assert_eq!(add.status, 403, "{}", add.text);

    // A stranger learns nothing.
    app.login("eve", PASSWORD).await;
    let list = app.get(&base).await;
    assert_eq!(list.status, 404);
    assert!(!list.text.contains("ann"));
    assert_eq!(
        app.post(&base, &json!({"username": "eve"})).await.status,
        404
    );

    // Even an owner's manager key cannot share the vehicle with someone.
    app.forget();
    let reply = app
        .raw(
            awc::http::Method::POST,
            &base,
            Some("application/json"),
            json!({"username": "eve"}).to_string().into_bytes(),
            &[("x-api-key", &key)],
        )
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    app.login("ann", PASSWORD).await;
    assert_eq!(names(&app.get(&base).await), vec!["ann"]);
}
