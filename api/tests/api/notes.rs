//! Notes: CRUD, pinned-first ordering, markdown bodies kept as entered.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/notes"),
    ("post", "/api/v1/vehicles/{vehicleId}/notes"),
    ("get", "/api/v1/vehicles/{vehicleId}/notes/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/notes/{recordId}"),
    ("delete", "/api/v1/vehicles/{vehicleId}/notes/{recordId}"),
];

async fn setup() -> (TestApp, String) {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    (app, format!("/api/v1/vehicles/{vehicle}/notes"))
}

fn titles(list: &Value) -> Vec<&str> {
    list["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect()
}

#[actix_web::test]
async fn crud_with_pinned_notes_first() {
    let (app, path) = setup().await;
    let mut ids = vec![];
    for (title, pinned) in [("A", false), ("B", true), ("C", false), ("D", true)] {
        let reply = app
            .post(&path, &json!({"title": title, "isPinned": pinned}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        assert_eq!(reply.body["isPinned"], pinned);
        assert_eq!(reply.body["body"], "");
        assert_eq!(reply.body["tags"], json!([]));
        ids.push(reply.body["id"].as_i64().unwrap());
    }
    let list = app.get(&path).await;
    assert_eq!(list.status, 200);
    assert_eq!(titles(&list.body), vec!["D", "B", "C", "A"]);

    // Pin A, unpin D.
    let pinned = app
        .put(
            &format!("{path}/{}", ids[0]),
            &json!({"title": "A", "isPinned": true, "tags": ["tyres"]}),
        )
        .await;
    assert_eq!(pinned.status, 200, "{}", pinned.text);
    assert_eq!(pinned.body["tags"], json!(["tyres"]));
    app.put(&format!("{path}/{}", ids[3]), &json!({"title": "D"}))
        .await;
    assert_eq!(titles(&app.get(&path).await.body), vec!["B", "A", "D", "C"]);

    let one = app.get(&format!("{path}/{}", ids[0])).await;
    assert_eq!(one.body["title"], "A");
    assert_eq!(one.body["isPinned"], true);
    assert_eq!(one.body["tags"], json!(["tyres"]));

    assert_eq!(app.delete(&format!("{path}/{}", ids[1])).await.status, 204);
    assert_eq!(app.get(&format!("{path}/{}", ids[1])).await.status, 404);
    assert_eq!(app.delete(&format!("{path}/{}", ids[1])).await.status, 404);
    assert_eq!(titles(&app.get(&path).await.body), vec!["A", "D", "C"]);

    // A note id under another vehicle's path is not found.
    let other = app.add_vehicle("Other").await;
    let elsewhere = format!("/api/v1/vehicles/{other}/notes/{}", ids[0]);
    assert_eq!(app.get(&elsewhere).await.status, 404);
    assert_eq!(
        app.put(&elsewhere, &json!({"title": "moved"})).await.status,
        404
    );
    assert_eq!(app.delete(&elsewhere).await.status, 404);
}

#[actix_web::test]
async fn the_markdown_body_is_kept_as_entered() {
    let (app, path) = setup().await;
    let body = "# Tyres\n\n* front: 32 psi  \n* rear: 36 psi\n\n<script>alert(1)</script> `code` \u{1F697}\n\n";
    let created = app
        .post(&path, &json!({"title": "  Pressures ", "body": body}))
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["body"], body);
    assert_eq!(created.body["title"], "Pressures");
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("{path}/{id}")).await.body["body"], body);
}

#[actix_web::test]
async fn bad_inputs_name_the_fields() {
    let (app, path) = setup().await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"body": "no title"}), vec!["title"]),
        (json!({"title": "   "}), vec!["title"]),
        (json!({"title": "x".repeat(201)}), vec!["title"]),
        (
            json!({"title": "x", "body": "y".repeat(100_001)}),
            vec!["body"],
        ),
        (json!({"title": "x", "isPinned": "yes"}), vec!["isPinned"]),
        (json!({"title": "x", "tags": ["a b"]}), vec!["tags"]),
        (json!({"title": "x", "tags": "a"}), vec!["tags"]),
        (json!({"title": "x", "pinned": true}), vec!["pinned"]),
    ];
    for (body, fields) in cases {
        let reply = app.post(&path, &body).await;
        assert_eq!(reply.status, 422, "{}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(reply.code(), "validation_failed");
        assert_eq!(reply.error_fields(), fields, "{}", reply.text);
    }
    assert_eq!(app.get(&path).await.body["records"], json!([]));

    let id = app
        .post(&path, &json!({"title": "Keep", "tags": ["a"]}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let reply = app
        .put(
            &format!("{path}/{id}"),
            &json!({"title": "", "tags": ["b"]}),
        )
        .await;
    assert_eq!(reply.error_fields(), vec!["title"]);
    let kept = app.get(&format!("{path}/{id}")).await;
    assert_eq!(kept.body["title"], "Keep");
    assert_eq!(kept.body["tags"], json!(["a"]));
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found() {
    let (mut app, path) = setup().await;
    let id = app.post(&path, &json!({"title": "Root's"})).await.body["id"]
        .as_i64()
        .unwrap();
    app.add_user("bob", "bobs password").await;
    app.login("bob", "bobs password").await;
    let body = json!({"title": "Stolen"});
    let attempts = [
        app.get(&path).await,
        app.post(&path, &body).await,
        app.get(&format!("{path}/{id}")).await,
        app.put(&format!("{path}/{id}"), &body).await,
        app.delete(&format!("{path}/{id}")).await,
    ];
    for reply in attempts {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    assert_eq!(titles(&app.get(&path).await.body), vec!["Root's"]);
}
