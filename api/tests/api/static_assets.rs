//! The web bundle as a CDN sees it: precompressed siblings (`.br`, `.gz`, made at image build)
//! chosen by `Accept-Encoding`, and cache headers by name (Trunk's hashed files immutable, the
//! shell revalidated).

use std::fs;

use awc::http::Method;

use crate::helpers::{Reply, TestApp, TestEnv};

const JS: &str = "motovault-web-0123456789abcdef.js";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A dist folder whose siblings hold distinct markers, so the body shows which file was sent.
async fn app_with_bundle() -> TestApp {
    let env = TestEnv::new().await;
    let dist = env.dir.join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(
        dist.join("index.html"),
        "<!doctype html><title>shell</title>",
    )
    .unwrap();
    fs::write(dist.join("index.html.br"), "BROTLI-SHELL").unwrap();
    fs::write(dist.join(JS), "console.log('identity')").unwrap();
    fs::write(dist.join(format!("{JS}.br")), "BROTLI-JS").unwrap();
    fs::write(dist.join(format!("{JS}.gz")), "GZIP-JS").unwrap();
    fs::write(dist.join("robots.txt"), "User-agent: *").unwrap();
    // A compressed sibling without its original is never served.
    fs::write(dist.join("orphan-0123456789abcdef.js.br"), "ORPHAN").unwrap();
    TestApp::spawn_in(env, &[]).await
}

async fn fetch(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Reply {
    app.raw(method, path, None, vec![], headers).await
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[actix_web::test]
async fn hashed_assets_come_precompressed_by_accept_encoding_and_are_immutable() {
    let app = app_with_bundle().await;
    let path = format!("/{JS}");
    // (Accept-Encoding, expected body, expected Content-Encoding)
    let cases = [
        ("gzip, deflate, br, zstd", "BROTLI-JS", "br"),
        ("br;q=0, gzip", "GZIP-JS", "gzip"),
        ("gzip;q=0.5", "GZIP-JS", "gzip"),
        ("identity", "console.log('identity')", ""),
        ("br;q=0, gzip;q=0", "console.log('identity')", ""),
    ];
    for (accept, body, encoding) in cases {
        let reply = fetch(&app, Method::GET, &path, &[("accept-encoding", accept)]).await;
        assert_eq!(reply.status, 200, "{accept}");
        assert_eq!(reply.text, body, "{accept}");
        assert_eq!(header(&reply, "content-encoding"), encoding, "{accept}");
        assert_eq!(header(&reply, "cache-control"), IMMUTABLE, "{accept}");
        assert!(
            header(&reply, "content-type").contains("javascript"),
            "{accept}: {}",
            header(&reply, "content-type")
        );
        assert!(
            header(&reply, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{accept}"
        );
    }

    let head = fetch(&app, Method::HEAD, &path, &[("accept-encoding", "br")]).await;
    assert_eq!(head.status, 200);
    assert_eq!(header(&head, "content-encoding"), "br");
    assert_eq!(header(&head, "content-length"), "9");

    // Revalidation of the compressed representation answers 304.
    let first = fetch(&app, Method::GET, &path, &[("accept-encoding", "br")]).await;
    let etag = header(&first, "etag").to_owned();
    assert!(!etag.is_empty());
    let again = fetch(
        &app,
        Method::GET,
        &path,
        &[("accept-encoding", "br"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, 304);
}

#[actix_web::test]
async fn the_shell_is_revalidated_and_other_files_get_no_long_cache() {
    let app = app_with_bundle().await;

    let root = fetch(&app, Method::GET, "/", &[("accept-encoding", "br")]).await;
    assert_eq!(root.status, 200);
    assert_eq!(root.text, "BROTLI-SHELL");
    assert_eq!(header(&root, "content-encoding"), "br");
    assert!(header(&root, "content-type").starts_with("text/html"));
    assert_eq!(header(&root, "cache-control"), "no-cache");

    let plain = fetch(&app, Method::GET, "/", &[("accept-encoding", "identity")]).await;
    assert!(plain.text.contains("<title>shell</title>"));
    assert_eq!(header(&plain, "cache-control"), "no-cache");

    let deep = fetch(
        &app,
        Method::GET,
        "/vehicles/3",
        &[("accept-encoding", "identity")],
    )
    .await;
    assert_eq!(deep.status, 200);
    assert!(deep.text.contains("<title>shell</title>"));
    assert_eq!(header(&deep, "cache-control"), "no-cache");

    let robots = fetch(
        &app,
        Method::GET,
        "/robots.txt",
        &[("accept-encoding", "identity")],
    )
    .await;
    assert_eq!(robots.status, 200);
    assert_eq!(robots.text, "User-agent: *");
    assert_eq!(header(&robots, "cache-control"), "");

    let orphan = fetch(
        &app,
        Method::GET,
        "/orphan-0123456789abcdef.js",
        &[("accept-encoding", "br")],
    )
    .await;
    assert_eq!(orphan.status, 404);
    let escape = fetch(
        &app,
        Method::GET,
        "/..%2findex.html",
        &[("accept-encoding", "br")],
    )
    .await;
    assert_ne!(escape.text, "BROTLI-SHELL");
}
