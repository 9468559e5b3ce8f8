use std::fs;

use crate::helpers::{TestApp, TestEnv};

#[actix_web::test]
async fn deep_links_get_the_app_shell_and_assets_are_served() {
    let env = TestEnv::new().await;
    let dist = env.dir.join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>MotoVaultPro shell</title>",
    )
    .unwrap();
    fs::write(dist.join("app-1a2b.js"), "console.log('app')").unwrap();
    let app = TestApp::spawn_in(env, &[]).await;

    for path in ["/", "/vehicles/12", "/vehicles/12/edit", "/login"] {
        let reply = app.get(path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.text.contains("MotoVaultPro shell"), "{path}");
    }
    let asset = app.get("/app-1a2b.js").await;
    assert_eq!(asset.status, 200);
    assert!(asset.text.contains("console.log"));
    assert_eq!(app.get("/missing-asset.js").await.status, 404);
    let api = app.get("/api/v1/nope").await;
    assert_eq!(api.status, 404);
    assert_eq!(api.code(), "not_found");
}

#[actix_web::test]
async fn without_a_built_web_app_the_api_still_runs() {
    let app = TestApp::spawn().await;
    let root = app.get("/").await;
    assert_eq!(root.status, 200);
    assert!(root.text.contains("web app is not built"));
    assert_eq!(app.get("/health/ready").await.status, 200);
}
