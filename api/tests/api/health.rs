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

#[actix_web::test]
async fn the_embedded_database_runs_in_wal_mode_with_foreign_keys() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::spawn().await;
    if app.env.database_url.is_some() {
        return; // PostgreSQL run: nothing SQLite-specific to check.
    }
    let pragma = |sql: &str| Statement::from_string(app.db.get_database_backend(), sql.to_owned());
    let journal = app
        .db
        .query_one_raw(pragma("PRAGMA journal_mode"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(journal.try_get_by_index::<String>(0).unwrap(), "wal");
    let fk = app
        .db
        .query_one_raw(pragma("PRAGMA foreign_keys"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fk.try_get_by_index::<i32>(0).unwrap(), 1);
    let busy = app
        .db
        .query_one_raw(pragma("PRAGMA busy_timeout"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(busy.try_get_by_index::<i32>(0).unwrap(), 5000);
    assert!(app.env.dir.join("data").join("motovault.db").is_file());
}
