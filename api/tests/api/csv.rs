//! CSV import and export per record type (reference §5).

use awc::http::Method;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp};

pub const ROUTES: &[(&str, &str)] = &[
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/{recordType}/export.csv",
    ),
    ("post", "/api/v1/vehicles/{vehicleId}/{recordType}/import"),
];

async fn signed_in() -> TestApp {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app
}

async fn import(app: &TestApp, vehicle: i64, collection: &str, file: &str, dry_run: bool) -> Reply {
    let query = if dry_run { "?dryRun=true" } else { "" };
    app.raw(
        Method::POST,
        &format!("/api/v1/vehicles/{vehicle}/{collection}/import{query}"),
        Some("text/csv"),
        file.as_bytes().to_vec(),
        &[],
    )
    .await
}

async fn export(app: &TestApp, vehicle: i64, collection: &str, query: &str) -> String {
    let reply = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/{collection}/export.csv{query}"
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.content_type(), "text/csv; charset=utf-8");
    reply.text
}

async fn create(app: &TestApp, vehicle: i64, collection: &str, body: Value) -> i64 {
    let reply = app
        .post(&format!("/api/v1/vehicles/{vehicle}/{collection}"), &body)
        .await;
    assert_eq!(reply.status, 201, "{collection}: {}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

async fn records(app: &TestApp, vehicle: i64, collection: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/vehicles/{vehicle}/{collection}"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["records"].as_array().unwrap().clone()
}

/// Every kind: records made through the JSON API, exported, imported into another vehicle and
/// exported again give the same file (plans: their dates keep the day, not the time).
#[actix_web::test]
async fn export_then_import_round_trips_every_record_type() {
    let app = signed_in().await;
    // A typed extra field on fuel records, valued on one fill-up.
    let template = app
        .put(
            "/api/v1/extra-fields/fuel",
            &json!({"fields": [{"name": "Station", "fieldType": "text"}, {"name": "Octane", "fieldType": "number"}]}),
        )
        .await;
    assert_eq!(template.status, 200, "{}", template.text);

    let cases: [(&str, [Value; 2], &str); 9] = [
        (
            "service-records",
            [
                json!({"date": "2024-01-15", "odometer": 45000, "description": "Timing belt", "cost": 1234.56, "notes": "dealer, \"OEM\" parts", "tags": ["major", "belt"]}),
                json!({"date": "2024-03-01", "odometer": 47000, "description": "Oil", "cost": 40}),
            ],
            "1/15/2024,Timing belt,\"$1,234.56\",\"dealer, \"\"OEM\"\" parts\",45000,major belt",
        ),
        (
            "repair-records",
            [
                json!({"date": "2024-02-02", "odometer": 46000, "description": "Bumper", "cost": 300}),
                json!({"date": "2024-02-03", "odometer": 46010, "description": "Mirror", "cost": 80.5}),
            ],
            "2/3/2024,Mirror,$80.50,,46010,",
        ),
        (
            "upgrade-records",
            [
                json!({"date": "2024-04-04", "odometer": 48000, "description": "LED bulbs", "cost": 25}),
                json!({"date": "2024-05-05", "odometer": 49000, "description": "Tow bar", "cost": 450}),
            ],
            "4/4/2024,LED bulbs,$25.00,,48000,",
        ),
        (
            "fuel-records",
            [
                json!({"date": "2024-01-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60, "tags": ["winter"]}),
                json!({"date": "2024-01-10", "odometer": 1400, "fuelConsumed": 20, "cost": 31.5, "isFillToFull": true, "notes": "motorway"}),
            ],
            // 400 miles on 20 gallons.
            "1/10/2024,1400,20,31.5,20,True,False,motorway,,Shell,95",
        ),
        (
            "odometer-records",
            [
                json!({"date": "2024-01-01", "initialOdometer": 900, "odometer": 1000}),
                json!({"date": "2024-02-01", "initialOdometer": 1000, "odometer": 1500, "tags": ["trip"]}),
            ],
            "2/1/2024,1000,1500,,trip",
        ),
        (
            "tax-records",
            [
                json!({"date": "2024-01-15", "description": "Road tax", "cost": 190}),
                json!({"date": "2024-06-15", "description": "Insurance", "cost": 2345.5, "tags": ["yearly"]}),
            ],
            "6/15/2024,Insurance,\"$2,345.50\",,yearly",
        ),
        (
            "supplies",
            [
                json!({"date": "2024-05-01", "partNumber": "OF-1", "supplier": "Parts Co", "description": "Oil filter", "quantity": 3, "cost": 36.75}),
                json!({"date": "2024-05-02", "description": "Grease", "quantity": 0.5, "cost": 5}),
            ],
            "5/1/2024,OF-1,Parts Co,3,Oil filter,,$36.75,",
        ),
        (
            "plans",
            [
                json!({"description": "Brakes", "recordKind": "repair", "priority": "low", "progress": "testing", "cost": 120}),
                json!({"description": "Wipers", "notes": "front only"}),
            ],
            "Brakes,,RepairRecord,Low,Testing,120",
        ),
        (
            "equipment",
            [
                json!({"description": "Roof box", "isEquipped": true, "tags": ["summer"]}),
                json!({"description": "Snow chains"}),
            ],
            "Roof box,,summer,True",
        ),
    ];

    for (collection, bodies, expected_line) in cases {
        let source = app.add_vehicle(&format!("From {collection}")).await;
        let target = app.add_vehicle(&format!("To {collection}")).await;
        let mut ids = Vec::new();
        for body in bodies {
            ids.push(create(&app, source, collection, body).await);
        }
        if collection == "fuel-records" {
            let put = app
                .put(
                    &format!("/api/v1/vehicles/{source}/fuel-records/{}/extra-fields", ids[1]),
                    &json!({"fields": [{"name": "Station", "value": "Shell"}, {"name": "Octane", "value": "95"}]}),
                )
                .await;
            assert_eq!(put.status, 200, "{}", put.text);
        }
        let first = export(&app, source, collection, "").await;
        assert!(
            first.contains(expected_line),
            "{collection}: {expected_line:?} not in\n{first}"
        );
        assert_eq!(first.lines().count(), 3, "{collection}:\n{first}");

        let reply = import(&app, target, collection, &first, false).await;
        assert_eq!(reply.status, 200, "{collection}: {}", reply.text);
        assert_eq!(reply.body["imported"], 2, "{collection}");
        assert_eq!(reply.body["dryRun"], false);
        assert_eq!(reply.body["errors"], json!([]));

        let second = export(&app, target, collection, "").await;
        if collection == "plans" {
            // DateCreated and DateModified come back at midnight of the same day.
            let strip = |text: &str| -> Vec<String> {
                text.lines()
                    .map(|l| {
                        let mut cells: Vec<&str> = l.splitn(3, ',').collect();
                        for c in cells.iter_mut().take(2) {
                            *c = c.split(' ').next().unwrap();
                        }
                        cells.join(",")
                    })
                    .collect()
            };
            assert_eq!(strip(&second), strip(&first), "{collection}");
        } else {
            assert_eq!(second, first, "{collection}");
        }
    }
}

#[actix_web::test]
async fn extra_field_columns_and_the_odometer_auto_insert() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Honda").await;
    app.put(
        "/api/v1/extra-fields/fuel",
        &json!({"fields": [{"name": "Station", "fieldType": "text"}]}),
    )
    .await;
    let file = "Date,Odometer,FuelConsumed,Cost,IsFillToFull,MissedFuelUp,Notes,Tags,extrafield_Station\n\
                2024-01-01,1000,40,60,True,False,,,Shell\n\
                2024-01-10,1400,20,30,True,False,,,\n";
    let reply = import(&app, vehicle, "fuel-records", file, false).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let fills = records(&app, vehicle, "fuel-records").await;
    let first = fills.iter().find(|r| r["odometer"] == 1000).unwrap();
    let values = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/fuel-records/{}/extra-fields",
            first["id"]
        ))
        .await;
    assert_eq!(values.body["fields"][0]["name"], "Station");
    assert_eq!(values.body["fields"][0]["value"], "Shell");

    // One odometer record per imported fill-up, as the JSON create does (§3.3).
    let mut odometers = records(&app, vehicle, "odometer-records").await;
    odometers.sort_by_key(|r| r["odometer"].as_i64());
    let readings: Vec<(i64, i64)> = odometers
        .iter()
        .map(|r| {
            (
                r["initialOdometer"].as_i64().unwrap(),
                r["odometer"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(readings, [(1000, 1000), (1000, 1400)]);
    assert_eq!(odometers[0]["notes"], "Auto Insert From Fuel Record");
}

/// A Fuelly export: `fuelup_date`, `gallons`, a price per gallon and no cost, partial and
/// missed flags as 0/1, a row without fuel.
#[actix_web::test]
async fn a_fuelly_file_imports_with_price_times_fuel() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Fuelly").await;
    let file = "car_name,model,mpg,odometer,miles,gallons,price,city_percentage,fuelup_date,date_added,tags,notes,missed_fuelup,partial_fuelup,latitude,longitude,brand\n\
                Civic,Civic,0,12000,0,10.5,3.299,0,2024-01-05,2024-01-05 10:00,,First fill,0,0,,,Shell\n\
                Civic,Civic,30.1,12316,316,10.5,3.199,50,2024-01-12,2024-01-12 09:00,,,0,1,,,Shell\n\
                Civic,Civic,0,12500,184,0,0,0,2024-01-15,2024-01-15 09:00,,oops,0,0,,,\n\
                Civic,Civic,28,12800,300,11.25,3.40,0,2024-01-20,2024-01-20 09:00,,,1,0,,,BP\n";
    let preview = import(&app, vehicle, "fuel-records", file, true).await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(preview.body["skippedLines"], json!([4]));
    assert_eq!(preview.body["rows"].as_array().unwrap().len(), 3);

    let reply = import(&app, vehicle, "fuel-records", file, false).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["imported"], 3);
    let mut fills = records(&app, vehicle, "fuel-records").await;
    fills.sort_by_key(|r| r["odometer"].as_i64());
    let summary: Vec<(i64, Value, Value, bool, bool, &str)> = fills
        .iter()
        .map(|r| {
            (
                r["odometer"].as_i64().unwrap(),
                r["fuelConsumed"].clone(),
                r["cost"].clone(),
                r["isFillToFull"].as_bool().unwrap(),
                r["missedFuelUp"].as_bool().unwrap(),
                r["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            // 10.5 × 3.299 = 34.6395
            (
                12000,
                json!(10.5),
                json!(34.6395),
                true,
                false,
                "2024-01-05"
            ),
            // partial_fuelup 1: not full; 10.5 × 3.199 = 33.5895
            (
                12316,
                json!(10.5),
                json!(33.5895),
                false,
                false,
                "2024-01-12"
            ),
            // missed_fuelup 1; 11.25 × 3.40 = 38.25
            (12800, json!(11.25), json!(38.25), true, true, "2024-01-20"),
        ]
    );
    assert_eq!(fills[0]["notes"], "First fill");
}

/// LubeLogger's own export of service records, costs in the `"C"` format.
#[actix_web::test]
async fn a_lubelogger_file_with_currency_costs() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Lube").await;
    let file = "Date,Description,Cost,Notes,Odometer,Tags\n\
                1/15/2024,Timing belt,\"$1,234.56\",Dealer,45000,major belt\n\
                3/2/2024,,$40.00,,\"46,100\",\n";
    let reply = import(&app, vehicle, "service-records", file, false).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["imported"], 2);
    let mut rows = records(&app, vehicle, "service-records").await;
    rows.sort_by_key(|r| r["odometer"].as_i64());
    assert_eq!(rows[0]["cost"], json!(1234.56));
    assert_eq!(rows[0]["date"], "2024-01-15");
    assert_eq!(rows[0]["tags"], json!(["major", "belt"]));
    assert_eq!(rows[1]["cost"], json!(40.0));
    assert_eq!(rows[1]["odometer"], 46100);
    // No description: LubeLogger's default, in the server's short date.
    assert_eq!(rows[1]["description"], "Service Record on 3/2/2024");
}

const SEVEN_LINES: &str = "Date,Odometer,FuelConsumed,Cost\n\
                           2024-01-01,1000,40,60\n\
                           2024-01-08,1300,35,52.5\n\
                           2024-01-15,1600,38,57\n\
                           2024-01-22,1900,36,54\n\
                           2024-01-29,2200,37,55.5\n\
                           2024-02-05,2500,forty,60\n\
                           2024-02-12,2800,39,58.5\n";

#[actix_web::test]
async fn a_bad_row_on_line_7_imports_nothing() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Strict").await;
    let reply = import(&app, vehicle, "fuel-records", SEVEN_LINES, false).await;
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.code(), "validation_failed");
    assert_eq!(reply.error_fields(), ["lines[7].fuelConsumed"]);
    assert_eq!(
        reply.body["errors"][0]["message"],
        "line 7: `forty` is not a number"
    );
    assert!(records(&app, vehicle, "fuel-records").await.is_empty());
    assert!(records(&app, vehicle, "odometer-records").await.is_empty());
}

#[actix_web::test]
async fn the_dry_run_previews_rows_and_errors_and_writes_nothing() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Preview").await;
    let reply = import(&app, vehicle, "fuel-records", SEVEN_LINES, true).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["dryRun"], true);
    assert_eq!(reply.body["imported"], 0);
    let rows = reply.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1]["line"], 3);
    assert_eq!(
        rows[1]["record"],
        json!({
            "date": "2024-01-08", "odometer": 1300, "fuelConsumed": 35.0, "cost": 52.5,
            "isFillToFull": true, "missedFuelUp": false, "notes": "", "tags": [],
            "startingSoc": null, "endingSoc": null
        })
    );
    assert_eq!(rows[5]["line"], 8);
    assert_eq!(
        reply.body["errors"],
        json!([{"line": 7, "field": "fuelConsumed", "message": "`forty` is not a number"}])
    );
    assert!(records(&app, vehicle, "fuel-records").await.is_empty());

    // Fixed, the same file imports all seven rows.
    let fixed = SEVEN_LINES.replace("forty", "40");
    let reply = import(&app, vehicle, "fuel-records", &fixed, false).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["imported"], 7);
    assert_eq!(records(&app, vehicle, "fuel-records").await.len(), 7);
}

#[actix_web::test]
async fn export_filters_by_tag_and_inclusive_dates() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Filters").await;
    for (date, tags) in [
        ("2024-01-01", json!(["winter"])),
        ("2024-02-01", json!([])),
        ("2024-03-01", json!(["winter", "track"])),
        ("2024-04-01", json!(["track"])),
    ] {
        create(
            &app,
            vehicle,
            "tax-records",
            json!({"date": date, "description": format!("Tax {date}"), "cost": 10, "tags": tags}),
        )
        .await;
    }
    let dates = |text: String| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        dates(export(&app, vehicle, "tax-records", "?tag=winter").await),
        ["2/1/2024", "4/1/2024"]
    );
    assert_eq!(
        dates(
            export(
                &app,
                vehicle,
                "tax-records",
                "?tag=winter&tagMode=includeOnly"
            )
            .await
        ),
        ["1/1/2024", "3/1/2024"]
    );
    assert_eq!(
        dates(
            export(
                &app,
                vehicle,
                "tax-records",
                "?from=2024-02-01&to=2024-03-01"
            )
            .await
        ),
        ["2/1/2024", "3/1/2024"]
    );
    assert_eq!(
        dates(
            export(
                &app,
                vehicle,
                "tax-records",
                "?tag=winter%20track&tagMode=includeOnly&from=2024-03-01"
            )
            .await
        ),
        ["3/1/2024", "4/1/2024"]
    );
    let bad = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/tax-records/export.csv?tagMode=some&from=yesterday"
        ))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.error_fields(), ["tagMode"]);
    // An empty collection is a header line.
    assert_eq!(
        export(&app, vehicle, "equipment", "").await,
        "Description,Notes,Tags,IsEquipped\n"
    );
}

#[actix_web::test]
async fn other_users_vehicles_and_unknown_collections_are_not_found() {
    let mut app = signed_in().await;
    let vehicle = app.add_vehicle("Private").await;
    create(
        &app,
        vehicle,
        "tax-records",
        json!({"date": "2024-01-01", "description": "Secret tax", "cost": 10}),
    )
    .await;
    for path in [
        format!("/api/v1/vehicles/{vehicle}/notes/export.csv"),
        format!("/api/v1/vehicles/{vehicle}/reminders/export.csv"),
    ] {
        assert_eq!(app.get(&path).await.status, 404, "{path}");
    }
    let reply = import(&app, vehicle, "notes", "Description\nx\n", false).await;
    assert_eq!(reply.status, 404);

    app.add_user("stranger", "correct horse battery").await;
    app.login("stranger", "correct horse battery").await;
    let reply = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/tax-records/export.csv"
        ))
        .await;
    assert_eq!(reply.status, 404);
    assert!(!reply.text.contains("Secret tax"));
    for dry_run in [true, false] {
        let reply = import(
            &app,
            vehicle,
            "tax-records",
            "Date,Description,Cost\n2024-01-01,Mine,1\n",
            dry_run,
        )
        .await;
        assert_eq!(reply.status, 404, "dry run {dry_run}: {}", reply.text);
    }
}

#[actix_web::test]
async fn a_file_over_the_limit_is_refused() {
    let app = signed_in().await;
    let vehicle = app.add_vehicle("Big").await;
    let mut file = String::from("Date,Description,Cost\n");
    let line = "2024-01-01,A description long enough to fill the file quickly,1\n";
    while file.len() <= motovault_api::csv::MAX_IMPORT_BYTES {
        file.push_str(line);
    }
    let reply = import(&app, vehicle, "tax-records", &file, true).await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.code(), "payload_too_large");
}
