//! CSV import and export of shop supplies (reference §5; LubeLogger's vehicle 0): the supply
//! columns and aliases of a vehicle's supplies file, the same all-or-nothing import with errors
//! by line, and the shop's own rules (anyone signed in reads, administrators write, no tags or
//! extra fields, 404 while `supplies.shop_enabled` is off).

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, TestEnv};

pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/shop/supplies/export.csv"),
    ("post", "/api/v1/shop/supplies/import"),
];

const EXPORT: &str = "/api/v1/shop/supplies/export.csv";
const PASSWORD: &str = "correct horse battery";

async fn import(app: &TestApp, file: &str, dry_run: bool, headers: &[(&str, &str)]) -> Reply {
    let query = if dry_run { "?dryRun=true" } else { "" };
    app.raw(
        Method::POST,
        &format!("/api/v1/shop/supplies/import{query}"),
        Some("text/csv"),
        file.as_bytes().to_vec(),
        headers,
    )
    .await
}

async fn shop(app: &TestApp) -> Vec<Value> {
    let reply = app.get("/api/v1/shop/supplies").await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut records = reply.body["records"].as_array().unwrap().clone();
    records.sort_by_key(|r| r["id"].as_i64());
    records
}

async fn add_admin(app: &TestApp, username: &str) {
    let hash = motovault_api::auth::password::hash(PASSWORD.to_owned())
        .await
        .unwrap();
    motovault_api::store::users::insert(
        &app.db,
        motovault_api::store::users::NewUser {
            username,
            email: None,
            password_hash: &hash,
            is_admin: true,
            is_root: false,
        },
    )
    .await
    .unwrap();
}

/// Shop supplies made through the JSON API export in LubeLogger's supply columns, oldest
/// first, costs in the server's currency format; the file imports back into the shop as the
/// same supplies, and none of them lands under a vehicle.
#[actix_web::test]
async fn export_then_import_round_trips_the_shop() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    for body in [
        json!({"date": "2024-05-02", "description": "Grease", "quantity": 0.5, "cost": 5}),
        json!({"date": "2024-05-01", "partNumber": "OF-1", "supplier": "Parts Co", "description": "Oil filter", "quantity": 3, "cost": 1236.75, "notes": "for \"all\" cars"}),
    ] {
        let created = app.post("/api/v1/shop/supplies", &body).await;
        assert_eq!(created.status, 201, "{}", created.text);
    }
    // A vehicle's supply stays out of the shop's file.
    let own = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/supplies"),
            &json!({"date": "2024-05-03", "description": "Vehicle only", "quantity": 1, "cost": 1}),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.text);

    let reply = app.get(EXPORT).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        reply.headers.get("content-disposition").unwrap(),
        "attachment; filename=\"shop-supplies.csv\""
    );
    let file = reply.text;
    assert_eq!(
        file.replace("\r\n", "\n"),
        "Date,PartNumber,PartSupplier,PartQuantity,Description,Notes,Cost,Tags\n\
         5/1/2024,OF-1,Parts Co,3,Oil filter,\"for \"\"all\"\" cars\",\"$1,236.75\",\n\
         5/2/2024,,,0.5,Grease,,$5.00,\n"
    );
    // Filters work as for a vehicle's file: inclusive dates.
    let filtered = app.get(&format!("{EXPORT}?from=2024-05-02")).await;
    assert_eq!(filtered.status, 200);
    assert_eq!(filtered.text.lines().count(), 2, "{}", filtered.text);
    assert!(filtered.text.contains("Grease"));

    // The preview writes nothing.
    let before = shop(&app).await;
    let preview = import(&app, &file, true, &[]).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(preview.body["dryRun"], true);
    assert_eq!(preview.body["imported"], 0);
    assert_eq!(preview.body["errors"], json!([]));
    assert_eq!(preview.body["rows"][0]["line"], 2);
    assert_eq!(preview.body["rows"][0]["record"]["cost"], 1236.75);
    assert_eq!(preview.body["rows"][1]["record"]["quantity"], 0.5);
    assert_eq!(shop(&app).await, before);

    let done = import(&app, &file, false, &[]).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["imported"], 2);
    let after = shop(&app).await;
    assert_eq!(after.len(), 4);
    let copies = &after[2..];
    for (copy, original) in copies.iter().zip(before.iter().rev()) {
        for key in [
            "date",
            "partNumber",
            "supplier",
            "description",
            "quantity",
            "cost",
            "notes",
            "tags",
        ] {
            assert_eq!(copy[key], original[key], "{key} of {copy}");
        }
        assert_eq!(copy["vehicleId"], Value::Null);
    }
    // The vehicle still has its one supply only, and the shop file is twice as long.
    let vehicle_list = app
        .get(&format!("/api/v1/vehicles/{vehicle}/supplies"))
        .await;
    assert_eq!(vehicle_list.body["records"].as_array().unwrap().len(), 1);
    let again = app.get(EXPORT).await;
    assert_eq!(again.text.lines().count(), 5, "{}", again.text);

    // LubeLogger clients see the imported rows as shop supplies (vehicle 0).
    let compat = app.get("/api/vehicle/supplyrecords?vehicleId=0").await;
    assert_eq!(compat.status, 200, "{}", compat.text);
    assert_eq!(compat.body.as_array().unwrap().len(), 4, "{}", compat.text);
}

/// The §5 header aliases of supplies (case and surrounding spaces ignored, `total cost`,
/// `note`), currency and grouping in costs, a missing description defaulted.
#[actix_web::test]
async fn a_file_with_aliases_and_currency_costs() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let file = " date ,PARTNUMBER,partsupplier,PartQuantity,Total Cost,Note\n\
                1/15/2024,WF-9,Acme,12,\"$1,234.50\",washer fluid\n\
                2/1/2024,,,2,$10,\n";
    let reply = import(&app, file, false, &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["imported"], 2);
    let rows = shop(&app).await;
    assert_eq!(rows[0]["date"], "2024-01-15");
    assert_eq!(rows[0]["partNumber"], "WF-9");
    assert_eq!(rows[0]["supplier"], "Acme");
    assert_eq!(rows[0]["quantity"], 12.0);
    assert_eq!(rows[0]["cost"], 1234.5);
    assert_eq!(rows[0]["notes"], "washer fluid");
    assert_eq!(rows[0]["description"], "Supply Record on 1/15/2024");
    assert_eq!(rows[1]["cost"], 10.0);
}

/// One bad line fails the whole file: every error named by line and field, nothing written.
/// Tags and extra-field columns are errors of their lines in the shop (a vehicle's file may
/// carry them).
#[actix_web::test]
async fn a_bad_line_imports_nothing_and_tags_have_no_place_in_the_shop() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let file = "Date,Description,PartQuantity,Cost,Tags,extrafield_Bin\n\
                2024-01-01,Rags,10,5,,\n\
                2024-01-02,Oil,lots,40,,\n\
                2024-01-03,Bulbs,2,8,spare,\n\
                2024-01-04,Fuses,5,3,,B-12\n";
    let reply = import(&app, file, false, &[]).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "validation_failed");
    assert_eq!(
        reply.error_fields(),
        [
            "lines[3].quantity",
            "lines[4].tags",
            "lines[5].extrafield_Bin"
        ],
        "{}",
        reply.text
    );
    assert_eq!(
        reply.body["errors"][1]["message"],
        "line 4: shop supplies have no tags"
    );
    assert!(shop(&app).await.is_empty());

    // The preview lists the same errors, by line.
    let preview = import(&app, file, true, &[]).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    let lines: Vec<(i64, String)> = preview.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (3, "quantity".to_owned()),
            (4, "tags".to_owned()),
            (5, "extrafield_Bin".to_owned())
        ]
    );
    assert!(shop(&app).await.is_empty());

    // The same file is fine for a vehicle once the bad number is fixed: tags and extra fields
    // belong there.
    let fixed = file.replace("lots", "4");
    let to_vehicle = app
        .raw(
            Method::POST,
            &format!("/api/v1/vehicles/{vehicle}/supplies/import"),
            Some("text/csv"),
            fixed.clone().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(to_vehicle.status, 200, "{}", to_vehicle.text);
    assert_eq!(to_vehicle.body["imported"], 4);
    let without = fixed
        .lines()
        .map(|l| l.rsplitn(3, ',').last().unwrap().to_owned() + "\n")
        .collect::<String>();
    let reply = import(&app, &without, false, &[]).await;
    assert_eq!(reply.status, 200, "{without}: {}", reply.text);
    assert_eq!(reply.body["imported"], 4);
    assert_eq!(shop(&app).await.len(), 4);
}

/// As the shop's other endpoints: anyone signed in exports; only administrators import (404
/// for others, the preview included, and nothing written); API keys by their role.
#[actix_web::test]
async fn anyone_exports_and_administrators_import() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let rags = json!({"date": "2024-05-01", "description": "Rags", "quantity": 10, "cost": 5});
    assert_eq!(app.post("/api/v1/shop/supplies", &rags).await.status, 201);
    let key = |role: &'static str| {
        let app = &app;
        async move {
            let created = app
                .post(
                    "/api/v1/api-keys",
                    &json!({"name": format!("{role} key"), "role": role}),
                )
                .await;
            assert_eq!(created.status, 201, "{}", created.text);
            created.body["secret"].as_str().unwrap().to_owned()
        }
    };
    let viewer_key = key("viewer").await;
    let editor_key = key("editor").await;
    let file = "Date,Description,PartQuantity,Cost\n2024-06-01,Gloves,4,12\n";

    // The root's keys: a viewer key reads but may not import (even a preview is a write).
    let as_viewer = [("x-api-key", viewer_key.as_str())];
    app.forget();
    let r = app.raw(Method::GET, EXPORT, None, vec![], &as_viewer).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("Rags"));
    for dry_run in [true, false] {
        let r = import(&app, file, dry_run, &as_viewer).await;
        assert_eq!(r.status, 403, "{}", r.text);
    }
    let r = import(&app, file, false, &[("x-api-key", editor_key.as_str())]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["imported"], 1);
    // No credentials.
    assert_eq!(app.get(EXPORT).await.status, 401);
    assert_eq!(import(&app, file, false, &[]).await.status, 401);

    // An ordinary user reads the shop, but may not import into it.
    app.add_user("bob", PASSWORD).await;
    app.login("bob", PASSWORD).await;
    let r = app.get(EXPORT).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.text.contains("Rags") && r.text.contains("Gloves"),
        "{}",
        r.text
    );
    for dry_run in [true, false] {
        let r = import(&app, file, dry_run, &[]).await;
        assert_eq!(r.status, 404, "{}", r.text);
        assert_eq!(r.code(), "not_found");
    }
    assert_eq!(shop(&app).await.len(), 2);

    // An administrator who is not the root may.
    add_admin(&app, "ada").await;
    app.login("ada", PASSWORD).await;
    let r = import(&app, file, false, &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(shop(&app).await.len(), 3);
}

#[actix_web::test]
async fn turned_off_the_shop_has_no_files() {
    let mut app = TestApp::spawn_in(
        TestEnv::new().await,
        &[("MOTOVAULT__SUPPLIES__SHOP_ENABLED", "false")],
    )
    .await;
    app.setup_root().await;
    let r = app.get(EXPORT).await;
    assert_eq!(r.status, 404, "{}", r.text);
    let file = "Date,Description,PartQuantity,Cost\n2024-06-01,Gloves,4,12\n";
    for dry_run in [true, false] {
        let r = import(&app, file, dry_run, &[]).await;
        assert_eq!(r.status, 404, "{}", r.text);
    }
}
