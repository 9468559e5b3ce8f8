//! Attachments of records and the vehicle image: multipart uploads streamed to the object
//! store under `<data_dir>/objects`, downloads, links, limits and clean-up on delete.

use std::path::Path;

use awc::http::Method;
use serde_json::json;

use crate::helpers::{Reply, TestApp, TestEnv};

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/links",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/record-links",
    ),
    ("get", "/api/v1/vehicles/{vehicleId}/attachments/export"),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}",
    ),
    ("put", "/api/v1/vehicles/{vehicleId}/image"),
    ("get", "/api/v1/vehicles/{vehicleId}/image"),
    ("delete", "/api/v1/vehicles/{vehicleId}/image"),
];

const BOUNDARY: &str = "----motovault-test-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body with one part, built by hand (awc has no form builder).
fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(b"Content-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send_file(app: &TestApp, method: Method, path: &str, name: &str, bytes: &[u8]) -> Reply {
    app.raw(
        method,
        path,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        multipart("file", name, bytes),
        &[],
    )
    .await
}

pub async fn upload(app: &TestApp, path: &str, name: &str, bytes: &[u8]) -> Reply {
    send_file(app, Method::POST, path, name, bytes).await
}

/// A download's exact bytes (`Reply.text` is lossy UTF-8).
pub async fn fetch(app: &TestApp, path: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
    let client = awc::Client::default();
    let mut req = client.get(format!("{}{}", app.address, path));
    if let Some(cookie) = &app.cookie {
        req = req.insert_header(("cookie", cookie.clone()));
    }
    let mut res = req.send().await.unwrap();
    let bytes = res.body().limit(10 * 1024 * 1024).await.unwrap();
    (res.status().as_u16(), res.headers().clone(), bytes.to_vec())
}

fn header<'a>(headers: &'a awc::http::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Files under `<data_dir>/objects`, temp files included (with `TEST_S3=1`: the bucket's objects).
pub fn stored_files(app: &TestApp) -> usize {
    if let Some(objects) = crate::helpers::s3_object_count(&app.env) {
        return objects;
    }
    fn count(dir: &Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.env.dir.join("data").join("objects"))
}

async fn add_fuel_record(app: &TestApp, vehicle: i64) -> i64 {
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2024-05-01", "odometer": 1000, "fuelConsumed": "10", "cost": "40"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

fn attachments_path(vehicle: i64, record: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/fuel-records/{record}/attachments")
}

/// Every byte value, plus CRLF and dashes that look like multipart framing.
fn binary_content() -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    bytes.extend_from_slice(b"\r\n--\r\n--not-the-boundary\r\n\r\n\x00");
    bytes
}

async fn signed_in() -> (TestApp, i64, i64) {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = add_fuel_record(&app, vehicle).await;
    (app, vehicle, record)
}

#[actix_web::test]
async fn upload_list_download_delete_round_trip() {
    let (app, vehicle, record) = signed_in().await;
    let base = attachments_path(vehicle, record);
    let empty = app.get(&base).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body, json!([]));

    let content = binary_content();
    let created = upload(&app, &base, "Receipt.PDF", &content).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["name"], "Receipt.PDF");
    assert_eq!(created.body["kind"], "file");
    assert_eq!(created.body["contentType"], "application/pdf");
    assert_eq!(created.body["sizeBytes"], content.len());
    assert!(created.body["url"].is_null());
    assert!(created.body["createdAt"].is_string());
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(stored_files(&app), 1);

    let second = upload(
        &app,
        &base,
        // As sent on the wire: a quoted-string with escapes, as old browsers sent full paths.
        r#"C:\\scans\\reçu \"été\".png"#,
        b"\x89PNG\r\n",
    )
    .await;
    assert_eq!(second.status, 201, "{}", second.text);
    assert_eq!(second.body["name"], "reçu \"été\".png");
    assert_eq!(second.body["contentType"], "image/png");

    let list = app.get(&base).await;
    assert_eq!(list.status, 200);
    let names: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Receipt.PDF", "reçu \"été\".png"]);

    let (status, headers, bytes) = fetch(&app, &format!("{base}/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, content, "byte-exact download");
    assert_eq!(header(&headers, "content-type"), "application/pdf");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"Receipt.PDF\""
    );
    assert_eq!(header(&headers, "content-security-policy"), "sandbox");

    let second_id = second.body["id"].as_i64().unwrap();
    let (status, headers, bytes) = fetch(&app, &format!("{base}/{second_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, b"\x89PNG\r\n");
    assert_eq!(
        header(&headers, "content-disposition"),
        "attachment; filename=\"re_u __t__.png\"; filename*=UTF-8''re%C3%A7u%20%22%C3%A9t%C3%A9%22.png"
    );

    let gone = app.delete(&format!("{base}/{id}")).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_eq!(stored_files(&app), 1);
    let missing = app.get(&format!("{base}/{id}")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.code(), "not_found");
    assert_eq!(app.delete(&format!("{base}/{id}")).await.status, 404);
    assert_eq!(app.get(&base).await.body.as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn too_large_uploads_store_nothing() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(env, &[("MOTOVAULT__ATTACHMENTS__MAX_BYTES", "1024")]).await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = add_fuel_record(&app, vehicle).await;
    let base = attachments_path(vehicle, record);

    let big = upload(&app, &base, "big.pdf", &vec![7u8; 1025]).await;
    assert_eq!(big.status, 413, "{}", big.text);
    assert_eq!(big.code(), "payload_too_large");
    assert!(big.content_type().starts_with("application/problem+json"));
    // Far over the limit: refused from Content-Length, before reading the body.
    let huge = upload(&app, &base, "huge.pdf", &vec![7u8; 200_000]).await;
    assert_eq!(huge.status, 413, "{}", huge.text);
    assert_eq!(stored_files(&app), 0);
    assert_eq!(app.get(&base).await.body, json!([]));

    let image = send_file(
        &app,
        Method::PUT,
        &format!("/api/v1/vehicles/{vehicle}/image"),
        "car.png",
        &[b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 2000]].concat(),
    )
    .await;
    assert_eq!(image.status, 413, "{}", image.text);
    assert_eq!(stored_files(&app), 0);

    let exact = upload(&app, &base, "exact.pdf", &vec![7u8; 1024]).await;
    assert_eq!(exact.status, 201, "{}", exact.text);
    assert_eq!(exact.body["sizeBytes"], 1024);
    assert_eq!(stored_files(&app), 1);
}

#[actix_web::test]
async fn bad_uploads_are_refused_and_store_nothing() {
    let (app, vehicle, record) = signed_in().await;
    let base = attachments_path(vehicle, record);

    let exe = upload(&app, &base, "virus.exe", b"MZ").await;
    assert_eq!(exe.status, 422, "{}", exe.text);
    assert_eq!(exe.error_fields(), vec!["file"]);
    let no_ext = upload(&app, &base, "README", b"hello").await;
    assert_eq!(no_ext.error_fields(), vec!["file"]);
    let empty = upload(&app, &base, "empty.pdf", b"").await;
    assert_eq!(empty.status, 422, "{}", empty.text);
    assert_eq!(empty.error_fields(), vec!["file"]);

    let wrong_field = app
        .raw(
            Method::POST,
            &base,
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart("document", "a.pdf", b"%PDF"),
            &[],
        )
        .await;
    assert_eq!(wrong_field.status, 422, "{}", wrong_field.text);
    assert_eq!(wrong_field.error_fields(), vec!["file"]);

    let json_body = app.post(&base, &json!({"file": "x"})).await;
    assert_eq!(json_body.status, 400, "{}", json_body.text);
    assert_eq!(json_body.code(), "malformed_request");
    let truncated = app
        .raw(
            Method::POST,
            &base,
            Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
            multipart("file", "a.pdf", b"%PDF-1.7")[..80].to_vec(),
            &[],
        )
        .await;
    assert_eq!(truncated.status, 400, "{}", truncated.text);

    assert_eq!(stored_files(&app), 0);
    assert_eq!(app.get(&base).await.body, json!([]));

    // Unknown record types, records and attachments, and ids that are not ids: 404.
    for path in [
        format!("/api/v1/vehicles/{vehicle}/bogus-records/{record}/attachments"),
        format!("/api/v1/vehicles/{vehicle}/fuel-records/999999/attachments"),
        format!("/api/v1/vehicles/{vehicle}/fuel-records/abc/attachments"),
        format!("/api/v1/vehicles/{vehicle}/service-records/{record}/attachments"),
        format!("{base}/999999"),
        format!("{base}/0"),
    ] {
        let reply = app.get(&path).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
        assert_eq!(reply.code(), "not_found", "{path}");
    }
    let other_vehicle = app.add_vehicle("Mazda").await;
    let misplaced = upload(
        &app,
        &attachments_path(other_vehicle, record),
        "a.pdf",
        b"%PDF",
    )
    .await;
    assert_eq!(misplaced.status, 404, "{}", misplaced.text);
    assert_eq!(stored_files(&app), 0);
}

#[actix_web::test]
async fn another_users_vehicle_is_not_found() {
    let (mut app, vehicle, record) = signed_in().await;
    let base = attachments_path(vehicle, record);
    let file = upload(&app, &base, "a.pdf", b"%PDF").await;
    assert_eq!(file.status, 201);
    let file_id = file.body["id"].as_i64().unwrap();
    let image = send_file(
        &app,
        Method::PUT,
        &format!("/api/v1/vehicles/{vehicle}/image"),
        "car.png",
        b"\x89PNG\r\n\x1a\n1234",
    )
    .await;
    assert_eq!(image.status, 204, "{}", image.text);

    app.add_user("mallory", "correct horse battery").await;
    assert_eq!(
        app.login("mallory", "correct horse battery").await.status,
        200
    );
    let image_path = format!("/api/v1/vehicles/{vehicle}/image");
    let replies = vec![
        app.get(&base).await,
        upload(&app, &base, "b.pdf", b"%PDF").await,
        app.post(
            &format!("{base}/links"),
            &json!({"name": "x", "url": "https://example.com"}),
        )
        .await,
        app.get(&format!("{base}/{file_id}")).await,
        app.delete(&format!("{base}/{file_id}")).await,
        app.get(&image_path).await,
        send_file(
            &app,
            Method::PUT,
            &image_path,
            "car.png",
            b"\x89PNG\r\n\x1a\n",
        )
        .await,
        app.delete(&image_path).await,
    ];
    for reply in replies {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    // Nothing changed: one attachment and one image.
    assert_eq!(stored_files(&app), 2);
}

#[actix_web::test]
async fn deleting_a_record_deletes_its_files() {
    let (app, vehicle, record) = signed_in().await;
    let base = attachments_path(vehicle, record);
    let other = add_fuel_record(&app, vehicle).await;
    for name in ["a.pdf", "b.jpg"] {
        assert_eq!(upload(&app, &base, name, b"data").await.status, 201);
    }
    let link = app
        .post(
            &format!("{base}/links"),
            &json!({"name": "Manual", "url": "https://example.com/m.pdf"}),
        )
        .await;
    assert_eq!(link.status, 201);
    let kept = upload(&app, &attachments_path(vehicle, other), "c.pdf", b"keep").await;
    assert_eq!(kept.status, 201);
    assert_eq!(stored_files(&app), 3);

    let deleted = app
        .delete(&format!("/api/v1/vehicles/{vehicle}/fuel-records/{record}"))
        .await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(
        stored_files(&app),
        1,
        "only the other record's file is left"
    );
    assert_eq!(app.get(&base).await.status, 404);
    let left = app.get(&attachments_path(vehicle, other)).await;
    assert_eq!(left.body.as_array().unwrap().len(), 1);
    let (status, _, bytes) = fetch(
        &app,
        &format!(
            "{}/{}",
            attachments_path(vehicle, other),
            kept.body["id"].as_i64().unwrap()
        ),
    )
    .await;
    assert_eq!((status, bytes.as_slice()), (200, b"keep".as_slice()));
}

#[actix_web::test]
async fn deleting_a_vehicle_deletes_its_files_and_image() {
    let (app, vehicle, record) = signed_in().await;
    let keep_vehicle = app.add_vehicle("Mazda").await;
    let keep_record = add_fuel_record(&app, keep_vehicle).await;
    let base = attachments_path(vehicle, record);
    assert_eq!(upload(&app, &base, "a.pdf", b"data").await.status, 201);
    let image = send_file(
        &app,
        Method::PUT,
        &format!("/api/v1/vehicles/{vehicle}/image"),
        "car.jpg",
        &[0xff, 0xd8, 0xff, 0xe0, 1, 2, 3],
    )
    .await;
    assert_eq!(image.status, 204, "{}", image.text);
    let kept = upload(
        &app,
        &attachments_path(keep_vehicle, keep_record),
        "k.pdf",
        b"k",
    )
    .await;
    assert_eq!(kept.status, 201);
    assert_eq!(stored_files(&app), 3);

    let deleted = app.delete(&format!("/api/v1/vehicles/{vehicle}")).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(stored_files(&app), 1);
    assert_eq!(app.get(&base).await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{vehicle}/image"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn vehicle_image_put_get_replace_delete() {
    let (app, vehicle, _) = signed_in().await;
    let path = format!("/api/v1/vehicles/{vehicle}/image");
    let none = app.get(&path).await;
    assert_eq!(none.status, 404);
    assert_eq!(none.code(), "not_found");
    assert_eq!(app.delete(&path).await.status, 404);

    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &binary_content()].concat();
    let put = send_file(&app, Method::PUT, &path, "car.png", &png).await;
    assert_eq!(put.status, 204, "{}", put.text);
    let (status, headers, bytes) = fetch(&app, &path).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, png);
    assert_eq!(header(&headers, "content-type"), "image/png");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(stored_files(&app), 1);

    // Replacing removes the old object; the type comes from the content.
    let webp = b"RIFF\x10\0\0\0WEBPVP8 data".to_vec();
    let put = send_file(&app, Method::PUT, &path, "car.webp", &webp).await;
    assert_eq!(put.status, 204, "{}", put.text);
    let (_, headers, bytes) = fetch(&app, &path).await;
    assert_eq!(bytes, webp);
    assert_eq!(header(&headers, "content-type"), "image/webp");
    assert_eq!(stored_files(&app), 1);

    // Not images: by name or by content. The current image stays.
    for (name, content) in [
        ("car.gif", b"GIF89a....".as_slice()),
        ("car.pdf", b"%PDF-1.7".as_slice()),
        ("car.png", b"<html><script>alert(1)</script>".as_slice()),
        ("car.png", b"".as_slice()),
    ] {
        let reply = send_file(&app, Method::PUT, &path, name, content).await;
        assert_eq!(reply.status, 422, "{name}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec!["file"]);
    }
    assert_eq!(stored_files(&app), 1);
    assert_eq!(fetch(&app, &path).await.2, webp);

    let gone = app.delete(&path).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_eq!(app.get(&path).await.status, 404);
    assert_eq!(stored_files(&app), 0);
}

#[actix_web::test]
async fn link_attachments() {
    let (app, vehicle, record) = signed_in().await;
    let base = attachments_path(vehicle, record);
    let created = app
        .post(
            &format!("{base}/links"),
            &json!({"name": " Owner's manual ", "url": "https://example.com/manual.pdf"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["kind"], "url");
    assert_eq!(created.body["name"], "Owner's manual");
    assert_eq!(created.body["url"], "https://example.com/manual.pdf");
    assert!(created.body["sizeBytes"].is_null());
    let id = created.body["id"].as_i64().unwrap();

    let list = app.get(&base).await;
    assert_eq!(list.body[0]["url"], "https://example.com/manual.pdf");
    let follow = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(format!("{}{base}/{id}", app.address))
        .insert_header(("cookie", app.cookie.clone().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(follow.status(), 302);
    assert_eq!(
        follow.headers().get("location").unwrap(),
        "https://example.com/manual.pdf"
    );

    for (body, field) in [
        (json!({"name": "x", "url": "javascript:alert(1)"}), "url"),
        (json!({"name": "x", "url": "ftp://example.com/a"}), "url"),
        (json!({"name": "", "url": "https://example.com"}), "name"),
        (json!({"name": "x"}), "url"),
        (json!({"name": "x", "url": 5}), "url"),
        (
            json!({"name": "x", "url": "https://example.com", "kind": "file"}),
            "kind",
        ),
    ] {
        let reply = app.post(&format!("{base}/links"), &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field], "{body}");
    }
    assert_eq!(app.get(&base).await.body.as_array().unwrap().len(), 1);
    let long_url = format!("https://example.com/{}", "a".repeat(1900));
    let long = app
        .post(
            &format!("{base}/links"),
            &json!({"name": "Long", "url": long_url}),
        )
        .await;
    assert_eq!(long.status, 201, "{}", long.text);
    assert_eq!(long.body["url"], long_url.as_str());
    let long_id = long.body["id"].as_i64().unwrap();
    assert_eq!(app.delete(&format!("{base}/{long_id}")).await.status, 204);

    assert_eq!(app.delete(&format!("{base}/{id}")).await.status, 204);
    assert_eq!(app.get(&base).await.body, json!([]));
    assert_eq!(stored_files(&app), 0);
}

#[actix_web::test]
async fn other_record_types_plug_in_through_the_lookup_table() {
    use sea_orm::ConnectionTrait;

    let (app, vehicle, _) = signed_in().await;
    // A service record straight in its table: attachments only need the row to exist.
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO maintenance_records \
             (vehicle_id, kind, date, odometer, description, cost, notes, created_at, updated_at) \
             VALUES ({vehicle}, 'service', '2024-01-01', 100, 'Oil', 0, '', \
             CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        .await
        .unwrap();
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MAX(id) AS id FROM maintenance_records",
        ))
        .await
        .unwrap()
        .unwrap();
    let service: i64 = row.try_get("", "id").unwrap();

    let base = format!("/api/v1/vehicles/{vehicle}/service-records/{service}/attachments");
    let created = upload(&app, &base, "invoice.pdf", b"%PDF").await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(app.get(&base).await.body.as_array().unwrap().len(), 1);
    // The same id as another kind of the shared table is not that record.
    let wrong_kind = format!("/api/v1/vehicles/{vehicle}/repair-records/{service}/attachments");
    assert_eq!(app.get(&wrong_kind).await.status, 404);
}

#[actix_web::test]
async fn an_interrupted_upload_leaves_nothing() {
    use std::io::Write;

    let (app, vehicle, record) = signed_in().await;
    if app.env.s3.is_some() {
        return; // Watches the local store's temp file; S3 sends nothing before 8 MiB or the end.
    }
    let base = attachments_path(vehicle, record);
    let mut part = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n"
    )
    .into_bytes();
    part.extend_from_slice(&[b'x'; 300_000]);
    let head = format!(
        "POST {base} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {}\r\nX-CSRF-Token: {}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: 1000000\r\n\r\n",
        app.cookie.clone().unwrap(),
        app.csrf.clone().unwrap()
    );
    let address = app.address.trim_start_matches("http://").to_owned();
    // The server runs on its own worker threads, so a blocking socket here is fine.
    let mut socket = std::net::TcpStream::connect(address).unwrap();
    socket.write_all(head.as_bytes()).unwrap();
    socket.write_all(&part).unwrap();
    socket.flush().unwrap();
    // The upload is under way: its temp file exists (and only that).
    let mut during = 0;
    for _ in 0..50 {
        during = stored_files(&app);
        if during > 0 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(during, 1);
    drop(socket);

    let mut left = usize::MAX;
    for _ in 0..50 {
        left = stored_files(&app);
        if left == 0 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "no object and no temp file");
    assert_eq!(app.get(&base).await.body, json!([]));
}

#[actix_web::test]
async fn deleting_a_note_or_tax_record_deletes_its_files() {
    let (app, vehicle, _) = signed_in().await;
    let note = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/notes"),
            &json!({"title": "Manual"}),
        )
        .await;
    assert_eq!(note.status, 201, "{}", note.text);
    let tax = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/tax-records"),
            &json!({"date": "2024-05-01", "description": "Registration", "cost": 120}),
        )
        .await;
    assert_eq!(tax.status, 201, "{}", tax.text);
    let targets = [
        ("notes", note.body["id"].as_i64().unwrap()),
        ("tax-records", tax.body["id"].as_i64().unwrap()),
    ];
    for (kind, id) in targets {
        let path = format!("/api/v1/vehicles/{vehicle}/{kind}/{id}/attachments");
        assert_eq!(
            upload(&app, &path, "scan.pdf", b"%PDF").await.status,
            201,
            "{kind}"
        );
    }
    assert_eq!(stored_files(&app), 2);
    for (kind, id) in targets {
        let deleted = app
            .delete(&format!("/api/v1/vehicles/{vehicle}/{kind}/{id}"))
            .await;
        assert_eq!(deleted.status, 204, "{kind}: {}", deleted.text);
    }
    assert_eq!(stored_files(&app), 0, "no orphaned objects");
}

async fn add_record(app: &TestApp, vehicle: i64, collection: &str, body: serde_json::Value) -> i64 {
    let reply = app
        .post(&format!("/api/v1/vehicles/{vehicle}/{collection}"), &body)
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn record_links_point_at_records_of_the_same_vehicle() {
    let (mut app, vehicle, fuel) = signed_in().await;
    let service = add_record(
        &app,
        vehicle,
        "service-records",
        json!({"date": "2024-03-02", "odometer": 900, "description": "Oil change", "cost": "50"}),
    )
    .await;
    let other_fuel = add_fuel_record(&app, vehicle).await;
    let links = format!("{}/record-links", attachments_path(vehicle, fuel));

    // Named after the target unless a name is given.
    let to_service = app
        .post(
            &links,
            &json!({"recordType": "service-records", "recordId": service}),
        )
        .await;
    assert_eq!(to_service.status, 201, "{}", to_service.text);
    assert_eq!(to_service.body["kind"], "recordLink");
    assert_eq!(to_service.body["name"], "Oil change");
    assert_eq!(
        to_service.body["recordLink"],
        json!({"recordType": "service-records", "recordId": service, "title": "Oil change", "date": "2024-03-02"})
    );
    assert_eq!(to_service.body["url"], serde_json::Value::Null);
    // A record without a title is called by its kind and date.
    let to_fuel = app
        .post(
            &links,
            &json!({"recordType": "fuel-records", "recordId": other_fuel, "name": "Previous fill"}),
        )
        .await;
    assert_eq!(to_fuel.status, 201, "{}", to_fuel.text);
    assert_eq!(to_fuel.body["name"], "Previous fill");
    assert_eq!(
        to_fuel.body["recordLink"]["title"],
        "Fuel record 2024-05-01"
    );

    let list = app.get(&attachments_path(vehicle, fuel)).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let kinds: Vec<_> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["recordLink"]["recordId"].as_i64().unwrap())
        .collect();
    assert_eq!(kinds, vec![service, other_fuel]);

    // A record link has nothing to download.
    let link_id = to_service.body["id"].as_i64().unwrap();
    let download = app
        .get(&format!("{}/{link_id}", attachments_path(vehicle, fuel)))
        .await;
    assert_eq!(download.status, 404);

    // Bad targets: 422 naming the field, nothing stored.
    let other_vehicle = app.add_vehicle("Mazda").await;
    let foreign = add_fuel_record(&app, other_vehicle).await;
    for (body, field) in [
        (
            json!({"recordType": "boats", "recordId": service}),
            "recordType",
        ),
        (
            json!({"recordType": "repair-records", "recordId": service}),
            "recordId",
        ),
        (
            json!({"recordType": "fuel-records", "recordId": foreign}),
            "recordId",
        ),
        (
            json!({"recordType": "fuel-records", "recordId": 999_999}),
            "recordId",
        ),
        (
            json!({"recordType": "fuel-records", "recordId": fuel}),
            "recordId",
        ),
        (
            json!({"recordType": "fuel-records", "recordId": 0}),
            "recordId",
        ),
    ] {
        let reply = app.post(&links, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field], "{body}");
    }
    let wrong_type = app
        .post(
            &links,
            &json!({"recordType": "fuel-records", "recordId": "x"}),
        )
        .await;
    assert_eq!(wrong_type.status, 422, "{}", wrong_type.text);
    assert_eq!(wrong_type.error_fields(), vec!["recordId"]);
    assert_eq!(
        app.get(&attachments_path(vehicle, fuel))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Moving the target to another type keeps the link pointing at it.
    let moved = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records/{service}/move"),
            &json!({"to": "repair"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    let list = app.get(&attachments_path(vehicle, fuel)).await;
    assert_eq!(list.body[0]["recordLink"]["recordType"], "repair-records");
    assert_eq!(list.body[0]["recordLink"]["recordId"], service);

    // Deleting the target removes the links to it.
    let deleted = app
        .delete(&format!(
            "/api/v1/vehicles/{vehicle}/fuel-records/{other_fuel}"
        ))
        .await;
    assert_eq!(deleted.status, 204);
    let list = app.get(&attachments_path(vehicle, fuel)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["recordLink"]["title"], "Oil change");

    // Someone else cannot link on this vehicle.
    app.add_user("mallory", "a long password").await;
    app.login("mallory", "a long password").await;
    let denied = app
        .post(
            &links,
            &json!({"recordType": "repair-records", "recordId": service}),
        )
        .await;
    assert_eq!(denied.status, 404);
}

#[actix_web::test]
async fn export_zips_the_files_in_record_order() {
    let (mut app, vehicle, fuel) = signed_in().await;
    // Records on three dates; the fuel record (2024-05-01) is the newest.
    let older = add_record(
        &app,
        vehicle,
        "service-records",
        json!({"date": "2024-03-02", "odometer": 900, "description": "Oil change", "cost": "50"}),
    )
    .await;
    let oldest = add_record(
        &app,
        vehicle,
        "tax-records",
        json!({"date": "2023-12-31", "description": "Registration", "cost": "90"}),
    )
    .await;
    let note = add_record(
        &app,
        vehicle,
        "notes",
        json!({"title": "Manual", "body": "see pdf"}),
    )
    .await;
    let uploads = [
        (
            attachments_path(vehicle, fuel),
            "receipt.pdf",
            b"fuel receipt".as_slice(),
        ),
        (
            format!("/api/v1/vehicles/{vehicle}/service-records/{older}/attachments"),
            "invoice.pdf",
            b"\x00oil\xff".as_slice(),
        ),
        (
            format!("/api/v1/vehicles/{vehicle}/service-records/{older}/attachments"),
            "invoice.pdf",
            b"second page".as_slice(),
        ),
        (
            format!("/api/v1/vehicles/{vehicle}/tax-records/{oldest}/attachments"),
            "dmv.png",
            b"\x89PNG-ish".as_slice(),
        ),
    ];
    for (path, name, bytes) in uploads {
        let reply = upload(&app, &path, name, bytes).await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    // Links are not files and stay out of the zip.
    let link = app
        .post(
            &format!("{}/links", attachments_path(vehicle, fuel)),
            &json!({"name": "Station", "url": "https://example.com"}),
        )
        .await;
    assert_eq!(link.status, 201);
    // A note is dated by its creation day.
    let today = chrono::Utc::now().date_naive();
    let reply = upload(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/notes/{note}/attachments"),
        "manual.pdf",
        b"manual",
    )
    .await;
    assert_eq!(reply.status, 201, "{}", reply.text);

    let (status, headers, bytes) = fetch(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/attachments/export"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "application/zip");
    assert!(
        header(&headers, "content-disposition")
            .contains(&format!("vehicle-{vehicle}-attachments.zip"))
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut content).unwrap();
        entries.push((file.name().unwrap().into_owned(), content));
    }
    assert_eq!(
        entries,
        vec![
            ("2023-12-31_tax_dmv.png".to_owned(), b"\x89PNG-ish".to_vec()),
            (
                "2024-03-02_service_invoice.pdf".to_owned(),
                b"\x00oil\xff".to_vec()
            ),
            (
                "2024-03-02_service_invoice (2).pdf".to_owned(),
                b"second page".to_vec()
            ),
            (
                "2024-05-01_fuel_receipt.pdf".to_owned(),
                b"fuel receipt".to_vec()
            ),
            (format!("{today}_note_manual.pdf"), b"manual".to_vec()),
        ]
    );
    // Nothing is left behind in the temp folder.
    let tmp = app.env.dir.join("data").join("tmp");
    assert_eq!(std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0), 0);

    // A vehicle without files gives an empty zip.
    let empty = app.add_vehicle("Mazda").await;
    let (status, _, bytes) = fetch(
        &app,
        &format!("/api/v1/vehicles/{empty}/attachments/export"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .unwrap()
            .len(),
        0
    );

    // Someone else's vehicle: 404.
    app.add_user("mallory", "a long password").await;
    app.login("mallory", "a long password").await;
    let (status, _, _) = fetch(
        &app,
        &format!("/api/v1/vehicles/{vehicle}/attachments/export"),
    )
    .await;
    assert_eq!(status, 404);
}
