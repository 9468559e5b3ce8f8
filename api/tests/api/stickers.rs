//! Stickers: QR codes (SVG) deep-linking to a record or an add form (issue 8).

use serde_json::json;

use crate::helpers::TestApp;

/// Native routes of this feature, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/vehicles/{vehicleId}/stickers/qr.svg")];

const PASSWORD: &str = "correct horse battery";

fn qr(vehicle: i64, target: &str) -> String {
    motovault_shared::dto::stickers::qr_path(vehicle, target)
}

/// The version of a code from its SVG size: 4 × version + 17 modules plus a 4-module border
/// on each side.
fn version_of(svg: &str) -> i64 {
    let dim: i64 = svg
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    (dim - 8 - 17) / 4
}

#[actix_web::test]
async fn a_qr_code_of_a_link_of_the_vehicle_is_an_svg() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let reply = app
        .get(&qr(
            vehicle,
            &format!("/vehicles/{vehicle}/service?record=12"),
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type(), "image/svg+xml");
    assert_eq!(
        reply.headers.get("cache-control").unwrap(),
        "private, max-age=86400"
    );
    assert!(
        reply
            .text
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    );
    assert!(reply.text.contains("M4,4h7v1h-7z"), "the top-left finder");
    // `http://127.0.0.1:PORT/vehicles/1/service?record=12` is 48–50 bytes: version 4 at
    // level M holds up to 62.
    assert_eq!(version_of(&reply.text), 4);

    // Without a target: the "add fill-up" link, a different code.
    let fill_up = app
        .get(&format!("/api/v1/vehicles/{vehicle}/stickers/qr.svg"))
        .await;
    assert_eq!(fill_up.status, 200, "{}", fill_up.text);
    let explicit = app
        .get(&qr(vehicle, &format!("/vehicles/{vehicle}?add=1")))
        .await;
    assert_eq!(fill_up.text, explicit.text);
    assert_ne!(fill_up.text, reply.text);
}

#[actix_web::test]
async fn the_code_encodes_the_public_url_when_one_is_configured() {
    let env = crate::helpers::TestEnv::new().await;
    let long = "https://garage.example.com/a/very/long/prefix/to/push/the/version";
    let mut app = TestApp::spawn_in(env, &[("MOTOVAULT__SERVER__PUBLIC_URL", long)]).await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let reply = app
        .get(&qr(vehicle, &format!("/vehicles/{vehicle}?add=1")))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // 65 + 17 = 82 bytes need version 5 (63 to 84 at level M; the request's own origin would
    // make 39 bytes, version 3): the configured origin is in the code.
    assert_eq!(version_of(&reply.text), 5);
}

#[actix_web::test]
async fn targets_outside_the_vehicle_are_refused() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Other").await;
    let bad = [
        String::new(),
        "https://evil.example/".to_owned(),
        "//evil.example/x".to_owned(),
        "/settings".to_owned(),
        format!("/vehicles/{other}"),
        format!("/vehicles/{vehicle}0"),
        format!("/vehicles/{vehicle}/../../admin"),
        format!("/vehicles/{vehicle}?next=//evil.example"),
        format!("/vehicles/{vehicle}/service#x"),
        format!("/vehicles/{vehicle}?add={}", "1".repeat(400)),
    ];
    for target in &bad {
        let reply = app.get(&qr(vehicle, target)).await;
        assert_eq!(reply.status, 422, "{target}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec!["target"], "{target}");
    }
}

#[actix_web::test]
async fn strangers_get_404_and_household_viewers_get_the_code() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.add_user("eve", PASSWORD).await;
    app.login("ann", PASSWORD).await;
    let vehicle = app.add_vehicle("Family").await;
    let added = app
        .post(
            "/api/v1/household/members",
            &json!({"username": "bob", "role": "viewer"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    let path = qr(vehicle, &format!("/vehicles/{vehicle}/service?record=1"));
    let owner = app.get(&path).await;
    assert_eq!(owner.status, 200);

    app.login("bob", PASSWORD).await;
    let viewer = app.get(&path).await;
    assert_eq!(viewer.status, 200, "{}", viewer.text);
    assert_eq!(viewer.text, owner.text);

    app.login("eve", PASSWORD).await;
    let stranger = app.get(&path).await;
    assert_eq!(stranger.status, 404, "{}", stranger.text);
    assert_eq!(
        app.get(&format!(
            "/api/v1/vehicles/{}/stickers/qr.svg",
            vehicle + 1000
        ))
        .await
        .status,
        404
    );

    app.forget();
    assert_eq!(app.get(&path).await.status, 401);
}
