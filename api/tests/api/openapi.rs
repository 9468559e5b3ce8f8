use std::collections::BTreeSet;

use crate::helpers::TestApp;

/// The routes of this first slice; each later resource keeps its own `ROUTES` in its test module.
const CORE_ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/setup"),
    ("post", "/api/v1/setup"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("get", "/api/v1/me/settings"),
    ("put", "/api/v1/me/settings"),
    ("get", "/api/v1/vehicles"),
    ("post", "/api/v1/vehicles"),
    ("get", "/api/v1/vehicles/{vehicleId}"),
    ("put", "/api/v1/vehicles/{vehicleId}"),
    ("delete", "/api/v1/vehicles/{vehicleId}"),
    ("get", "/api/v1/vehicles/{vehicleId}/fuel-records"),
    ("post", "/api/v1/vehicles/{vehicleId}/fuel-records"),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}",
    ),
];

#[actix_web::test]
async fn the_document_lists_every_route_and_each_one_is_served() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(
        doc.body["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc.body["openapi"]
    );

    let mut documented = BTreeSet::new();
    for (path, item) in doc.body["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let every_route = [
        CORE_ROUTES,
        crate::maintenance::ROUTES,
        crate::odometer::ROUTES,
        crate::oidc::ROUTES,
        crate::tax::ROUTES,
        crate::reminders::ROUTES,
        crate::notes::ROUTES,
        crate::attachments::ROUTES,
        crate::supplies::ROUTES,
        crate::plans::ROUTES,
        crate::equipment::ROUTES,
        crate::inspections::ROUTES,
        crate::extra_fields::ROUTES,
        crate::summary::ROUTES,
        crate::api_keys::ROUTES,
        crate::collaborators::ROUTES,
        crate::households::ROUTES,
        crate::users::ROUTES,
        crate::registration::ROUTES,
        crate::csv::ROUTES,
        crate::events::ROUTES,
        crate::csv_shop::ROUTES,
        crate::restore::ROUTES,
        crate::dashboard::ROUTES,
        crate::reports::ROUTES,
        crate::search::ROUTES,
        crate::calendar::ROUTES,
        crate::kiosk::ROUTES,
        crate::stickers::ROUTES,
    ];
    let expected: BTreeSet<(String, String)> = every_route
        .iter()
        .flat_map(|routes| routes.iter())
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(documented, expected);

    // Each documented operation exists: unauthenticated it answers 401/2xx/4xx from the
    // handler, never the router's "no such route".
    for (method, path) in &documented {
        // The calendar feed's path is its only credential, so a made-up secret is 404 by
        // design; `calendar::the_feed_url_needs_no_session…` fetches it with a real one.
        if path.ends_with("/{secret}.ics") {
            continue;
        }
        // Every path parameter is a positive integer id.
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "1" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let method = awc::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let reply = app
            .raw(
                method.clone(),
                &concrete,
                Some("application/json"),
                b"{}".to_vec(),
                &[],
            )
            .await;
        assert_ne!(
            reply.status, 404,
            "{method} {concrete} is documented but not served"
        );
    }

    for schema in [
        "Vehicle",
        "VehicleInput",
        "FuelRecord",
        "FuelRecordInput",
        "FuelRecordList",
        "Problem",
    ] {
        assert!(
            doc.body["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
}

#[actix_web::test]
async fn the_docs_page_works_offline() {
    let app = TestApp::spawn().await;
    let page = app.get("/api/docs/").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("swagger-ui"),
        "{}",
        &page.text[..page.text.len().min(300)]
    );
    assert!(
        !page.text.contains("https://"),
        "no assets from the internet"
    );
    let script = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status, 200);
    assert!(script.text.len() > 100_000);
}
