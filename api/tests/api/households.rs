//! Households: members inherit their head's vehicles with a role (reference §1 "Households",
//! §3.8): not transitive, no root, no self-membership, no circular pairs.

use serde_json::json;

use crate::helpers::{Reply, TestApp};

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/household"),
    ("post", "/api/v1/household/members"),
    ("put", "/api/v1/household/members/{userId}"),
    ("delete", "/api/v1/household/members/{userId}"),
    ("delete", "/api/v1/household/heads/{userId}"),
];

const PASSWORD: &str = "correct horse battery";

fn people(reply: &Reply, side: &str) -> Vec<(String, String)> {
    reply.body[side]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["username"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(name: &str, role: &str) -> (String, String) {
    (name.to_owned(), role.to_owned())
}

async fn id_of(app: &TestApp, name: &str) -> i64 {
    motovault_api::store::users::find_by_username(&app.db, name)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[actix_web::test]
async fn a_member_inherits_the_heads_vehicles_with_the_role_given() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    let bob_id = id_of(&app, "bob").await;
    let ann_id = id_of(&app, "ann").await;
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Family").await;
    let notes = format!("/api/v1/vehicles/{vehicle}/notes");
    let note = app.post(&notes, &json!({"title": "Pressures"})).await.body["id"]
        .as_i64()
        .unwrap();

    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "Bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    assert_eq!(added.body["userId"], bob_id);
    assert_eq!(added.body["role"], "viewer");
    let mine = app.get("/api/v1/household").await;
    assert_eq!(people(&mine, "members"), vec![pair("bob", "viewer")]);
    assert_eq!(people(&mine, "heads"), vec![]);

    // Viewer: reads, no writes.
    app.login("bob", PASSWORD).await;
    let theirs = app.get("/api/v1/household").await;
    assert_eq!(people(&theirs, "heads"), vec![pair("ann", "viewer")]);
    assert_eq!(people(&theirs, "members"), vec![]);
    let listed = app.get("/api/v1/vehicles").await;
    assert_eq!(listed.body[0]["make"], "Family", "{}", listed.text);
    assert_eq!(app.get(&notes).await.status, 200);
    let write = app.post(&notes, &json!({"title": "Mine"})).await;
    assert_eq!(write.status, 403, "{}", write.text);
    assert_eq!(write.code(), "forbidden");

    // Editor: writes, no deletes.
    app.login("ann", PASSWORD).await;
    let changed = app
        .put(
            &format!("/api/v1/household/members/{bob_id}"),
            &json!({"role": "editor"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    assert_eq!(changed.body["role"], "editor");
    app.login("bob", PASSWORD).await;
    assert_eq!(
        app.post(&notes, &json!({"title": "Mine"})).await.status,
        201
    );
    assert_eq!(app.delete(&format!("{notes}/{note}")).await.status, 403);

    // Manager: deletes records, but never the vehicle.
    app.login("ann", PASSWORD).await;
    app.put(
        &format!("/api/v1/household/members/{bob_id}"),
        &json!({"role": "manager"}),
    )
    .await;
    app.login("bob", PASSWORD).await;
    assert_eq!(app.delete(&format!("{notes}/{note}")).await.status, 204);
    let vehicle_delete = app.delete(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(vehicle_delete.status, 403, "{}", vehicle_delete.text);

    // The member leaves; the vehicle is gone from their view.
    let left = app
        .delete(&format!("/api/v1/household/heads/{ann_id}"))
        .await;
    assert_eq!(left.status, 204, "{}", left.text);
    assert_eq!(app.get(&notes).await.status, 404);
    assert_eq!(
        app.delete(&format!("/api/v1/household/heads/{ann_id}"))
            .await
            .status,
        404
    );

    // Re-added and removed by the head: the same.
    app.login("ann", PASSWORD).await;
    app.post(
        "/api/v1/household/members",
        &json!({"username": "bob", "role": "viewer"}),
    )
    .await;
    let removed = app
        .delete(&format!("/api/v1/household/members/{bob_id}"))
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(
        people(&app.get("/api/v1/household").await, "members"),
        vec![]
    );
    assert_eq!(
        app.put(
            &format!("/api/v1/household/members/{bob_id}"),
            &json!({"role": "editor"})
        )
        .await
        .status,
        404
    );
    app.login("bob", PASSWORD).await;
    assert_eq!(app.get(&notes).await.status, 404);
}

#[actix_web::test]
async fn the_rules_of_households_are_enforced() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "cid"] {
        app.add_user(name, PASSWORD).await;
    }
    // The root heads no household.
    let root_head = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "ann", "role": "viewer"}),
        )
        .await;
    assert_eq!(root_head.status, 409, "{}", root_head.text);

    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Ann's").await;
    let member = |name: &str, role: &str| json!({"username": name, "role": role});
    for (body, field) in [
        (member("ann", "viewer"), "username"),
        (member("root", "viewer"), "username"),
        (member("nobody", "viewer"), "username"),
        (member(" ", "viewer"), "username"),
        (member("bob", "owner"), "role"),
    ] {
        let reply = app.post("/api/v1/household/members", &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field], "{body}");
    }
    assert_eq!(
        app.post("/api/v1/household/members", &member("bob", "manager"))
            .await
            .status,
        201
    );
    let twice = app
        .post("/api/v1/household/members", &member("BOB", "viewer"))
        .await;
    assert_eq!(twice.status, 409, "{}", twice.text);

    // Bob is in Ann's household, so Ann cannot join Bob's.
    app.login("bob", PASSWORD).await;
    let circular = app
        .post("/api/v1/household/members", &member("ann", "viewer"))
        .await;
    assert_eq!(circular.status, 409, "{}", circular.text);
    assert!(
        circular.body["detail"]
            .as_str()
            .unwrap()
            .contains("member of ann's household"),
        "{}",
        circular.text
    );

    // Not transitive: Cid, in Bob's household, does not inherit Ann's vehicle through Bob.
    assert_eq!(
        app.post("/api/v1/household/members", &member("cid", "manager"))
            .await
            .status,
        201
    );
    app.login("cid", PASSWORD).await;
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{vehicle}")).await.status,
        404
    );
    assert_eq!(
        app.get("/api/v1/vehicles")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(0)
    );
}

#[actix_web::test]
async fn keys_cannot_change_households() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.login("ann", PASSWORD).await;
    let key = app
        .post("/api/v1/api-keys", &json!({"name": "k", "role": "manager"}))
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    app.forget();
    let reply = app
        .raw(
            awc::http::Method::POST,
            "/api/v1/household/members",
            Some("application/json"),
            json!({"username": "bob", "role": "manager"})
                .to_string()
                .into_bytes(),
            &[("x-api-key", &key)],
        )
        .await;
    assert_eq!(reply.status, 403, "{}", reply.text);
    let read = app
        .raw(
            awc::http::Method::GET,
            "/api/v1/household",
            None,
            vec![],
            &[("x-api-key", &key)],
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["members"], json!([]));
    // Not signed in at all.
    assert_eq!(app.get("/api/v1/household").await.status, 401);
}

/// Each vehicle tells the caller how they reach it: `owner` (direct collaborator or root), else
/// the highest household role among the heads who collaborate on it.
#[actix_web::test]
async fn vehicles_carry_the_callers_access() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    for name in ["ann", "bob", "cat"] {
        app.add_user(name, PASSWORD).await;
    }
    app.login("ann", PASSWORD).await;
    let anns = app.add_vehicle("Anns").await;
    let shared = app.add_vehicle("Shared").await;
    let member = |role: &str| json!({"username": "bob", "role": role});
    assert_eq!(
        app.post("/api/v1/household/members", &member("viewer"))
            .await
            .status,
        201
    );
    assert_eq!(app.get("/api/v1/vehicles").await.body[0]["access"], "owner");
    app.login("cat", PASSWORD).await;
    let cats = app.add_vehicle("Cats").await;
    let collaborators = format!("/api/v1/vehicles/{shared}/collaborators");
    app.login("ann", PASSWORD).await;
    assert_eq!(
        app.post(&collaborators, &json!({"username": "cat"}))
            .await
            .status,
        201
    );
    app.login("cat", PASSWORD).await;
    assert_eq!(
        app.post("/api/v1/household/members", &member("manager"))
            .await
            .status,
        201
    );

    // Bob: viewer through ann, manager through cat; on the shared vehicle the higher wins.
    app.login("bob", PASSWORD).await;
    let bobs = app.add_vehicle("Bobs").await;
    let access = |reply: &Reply| -> Vec<(i64, String)> {
        let mut all: Vec<(i64, String)> = reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["id"].as_i64().unwrap(),
                    v["access"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        all.sort();
        all
    };
    let listed = app.get("/api/v1/vehicles").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let mut want = vec![
        (anns, "viewer".to_owned()),
        (shared, "manager".to_owned()),
        (cats, "manager".to_owned()),
        (bobs, "owner".to_owned()),
    ];
    want.sort();
    assert_eq!(access(&listed), want);
    let one = app.get(&format!("/api/v1/vehicles/{anns}")).await;
    assert_eq!(one.body["access"], "viewer", "{}", one.text);

    // Ann makes bob an editor, then a direct collaborator of her vehicle: owner beats any role.
    app.login("ann", PASSWORD).await;
    let bob_id = id_of(&app, "bob").await;
    let changed = app
        .put(
            &format!("/api/v1/household/members/{bob_id}"),
            &json!({"role": "editor"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text);
    app.login("bob", PASSWORD).await;
    let one = app.get(&format!("/api/v1/vehicles/{anns}")).await;
    assert_eq!(one.body["access"], "editor");
    app.login("ann", PASSWORD).await;
    let direct = format!("/api/v1/vehicles/{anns}/collaborators");
    assert_eq!(
        app.post(&direct, &json!({"username": "bob"})).await.status,
        201
    );
    app.login("bob", PASSWORD).await;
    let listed = app.get("/api/v1/vehicles").await;
    assert!(access(&listed).contains(&(anns, "owner".to_owned())));
    let one = app.get(&format!("/api/v1/vehicles/{anns}")).await;
    assert_eq!(one.body["access"], "owner");

    // Root owns everything.
    app.login("root", PASSWORD).await;
    let listed = app.get("/api/v1/vehicles").await;
    assert!(access(&listed).iter().all(|(_, a)| a == "owner"));
    assert_eq!(access(&listed).len(), 4);
}
