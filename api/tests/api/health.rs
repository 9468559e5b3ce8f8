use crate::helpers::TestApp;

#[actix_web::test]
async fn live_and_ready_answer_with_request_ids() {
    let app = TestApp::spawn().await;
    let live = app.get("/health/live").await;
    assert_eq!(live.status, 200);
    assert_eq!(live.body["status"], "ok");
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(ready.body["status"], "ready");
    assert_eq!(ready.body["checks"][0]["name"], "database");
    assert_eq!(ready.body["checks"][0]["ok"], true);

    let generated = live
        .headers
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(generated.len(), 24, "{generated}");
    let other = app.get("/health/live").await;
    assert_ne!(
        other.headers.get("x-request-id").unwrap().to_str().unwrap(),
        generated
    );

    let echoed = app
        .raw(
            awc::http::Method::GET,
            "/health/live",
            None,
            vec![],
            &[("x-request-id", "trace-abc_123")],
        )
        .await;
    assert_eq!(echoed.headers.get("x-request-id").unwrap(), "trace-abc_123");
    // A hostile id is replaced, not echoed.
    let replaced = app
        .raw(
            awc::http::Method::GET,
            "/health/live",
            None,
            vec![],
            &[("x-request-id", "bad id with spaces")],
        )
        .await;
    assert_ne!(
        replaced.headers.get("x-request-id").unwrap(),
        "bad id with spaces"
    );
}
