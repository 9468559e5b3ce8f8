//! Extra fields: templates (administrators write, everyone signed in reads) and record values
//! merged with the template (reference §1 "Extra fields", §3.9).

use motovault_api::store::entity::extra_field_value;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/extra-fields"),
    ("get", "/api/v1/extra-fields/{recordType}"),
    ("put", "/api/v1/extra-fields/{recordType}"),
    ("get", "/api/v1/vehicles/{vehicleId}/extra-fields"),
    ("put", "/api/v1/vehicles/{vehicleId}/extra-fields"),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields",
    ),
];

async fn add_user(app: &TestApp, username: &str, is_admin: bool) {
    let hash = motovault_api::auth::password::hash("a long password".to_owned())
        .await
        .unwrap();
    motovault_api::store::users::insert(
        &app.db,
        motovault_api::store::users::NewUser {
            username,
            email: None,
            password_hash: &hash,
            is_admin,
            is_root: false,
        },
    )
    .await
    .unwrap();
}

async fn service_record(app: &TestApp, vehicle: i64) -> i64 {
    let reply = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records"),
            &json!({"date": "2024-03-01", "odometer": 1000, "description": "Oil", "cost": 40}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

fn names(reply: &Value) -> Vec<(String, String, bool, String)> {
    reply["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["value"].as_str().unwrap_or("").to_owned(),
                f["isRequired"].as_bool().unwrap(),
                f["fieldType"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(
    name: &str,
    value: &str,
    required: bool,
    field_type: &str,
) -> (String, String, bool, String) {
    (
        name.to_owned(),
        value.to_owned(),
        required,
        field_type.to_owned(),
    )
}

#[actix_web::test]
async fn templates_are_listed_per_record_type_and_written_by_administrators_only() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;

    let list = app.get("/api/v1/extra-fields").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let templates = list.body["templates"].as_array().unwrap();
    assert_eq!(templates.len(), 13);
    assert_eq!(templates[0]["recordType"], "vehicle");
    assert!(templates.iter().all(|t| t["fields"] == json!([])));

    let template = json!({"fields": [
        {"name": "Warranty until", "fieldType": "date", "isRequired": true},
        {"name": "Shop", "fieldType": "text"},
        {"name": "Labour hours", "fieldType": "decimal"},
    ]});
    let put = app.put("/api/v1/extra-fields/service", &template).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["recordType"], "service");
    assert_eq!(put.body["fields"][0]["name"], "Warranty until");
    assert_eq!(put.body["fields"][1]["isRequired"], false);
    assert_eq!(put.body["fields"][2]["fieldType"], "decimal");

    // Unknown record types do not exist.
    for path in [
        "/api/v1/extra-fields/service-records",
        "/api/v1/extra-fields/car",
    ] {
        assert_eq!(app.get(path).await.status, 404);
        let reply = app.put(path, &template).await;
        assert_eq!(reply.status, 404);
        assert_eq!(reply.code(), "not_found");
    }

    // Invalid templates name the field; nothing is replaced.
    let bad = app
        .put(
            "/api/v1/extra-fields/service",
            &json!({"fields": [{"name": "A"}, {"name": " "}, {"name": "A"}]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(bad.error_fields(), vec!["fields[1].name", "fields[2].name"]);
    let wrong_type = app
        .put(
            "/api/v1/extra-fields/service",
            &json!({"fields": [{"name": "A", "fieldType": "colour"}]}),
        )
        .await;
    assert_eq!(wrong_type.status, 422, "{}", wrong_type.text);
    let unchanged = app.get("/api/v1/extra-fields/service").await;
    assert_eq!(unchanged.body["fields"].as_array().unwrap().len(), 3);

    // An ordinary user reads templates but cannot write them (404, as for anything not theirs).
    add_user(&app, "bob", false).await;
    app.login("bob", "a long password").await;
    let read = app.get("/api/v1/extra-fields/service").await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["fields"].as_array().unwrap().len(), 3);
    let denied = app
        .put("/api/v1/extra-fields/service", &json!({"fields": []}))
        .await;
    assert_eq!(denied.status, 404, "{}", denied.text);
    assert_eq!(denied.code(), "not_found");
    assert_eq!(
        app.get("/api/v1/extra-fields/service").await.body["fields"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // An administrator who is not the root may.
    add_user(&app, "alice", true).await;
    app.login("alice", "a long password").await;
    let cleared = app
        .put("/api/v1/extra-fields/service", &json!({"fields": []}))
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.body["fields"], json!([]));

    // Signed out: 401.
    app.forget();
    assert_eq!(app.get("/api/v1/extra-fields").await.status, 401);
}

#[actix_web::test]
async fn record_values_are_merged_with_the_current_template() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = service_record(&app, vehicle).await;
    let path = format!("/api/v1/vehicles/{vehicle}/service-records/{record}/extra-fields");

    // No template yet: no fields.
    let empty = app.get(&path).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body["recordType"], "service");
    assert_eq!(empty.body["recordId"], record);
    assert_eq!(empty.body["fields"], json!([]));

    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [
            {"name": "A", "fieldType": "text"},
            {"name": "B", "fieldType": "text"},
            {"name": "Old", "fieldType": "text"},
        ]}),
    )
    .await;
    // A record with no values shows the template with empty values.
    assert_eq!(
        names(&app.get(&path).await.body),
        vec![
            row("A", "", false, "text"),
            row("B", "", false, "text"),
            row("Old", "", false, "text"),
        ]
    );
    let saved = app
        .put(
            &path,
            &json!({"fields": [
                {"name": "Old", "value": "gone soon"},
                {"name": "A", "value": " a-value "},
                {"name": "B", "value": "42"},
            ]}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        names(&saved.body),
        vec![
            row("A", "a-value", false, "text"),
            row("B", "42", false, "text"),
            row("Old", "gone soon", false, "text"),
        ]
    );

    // The template changes: Old removed, C added first, B becomes a required number.
    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [
            {"name": "C", "fieldType": "date"},
            {"name": "B", "fieldType": "number", "isRequired": true},
            {"name": "A", "fieldType": "text"},
        ]}),
    )
    .await;
    assert_eq!(
        names(&app.get(&path).await.body),
        vec![
            row("C", "", false, "date"),
            row("B", "42", true, "number"),
            row("A", "a-value", false, "text"),
        ]
    );

    // Other kinds keep their own templates: a repair record has none.
    let repair = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/repair-records"),
            &json!({"date": "2024-03-02", "odometer": 1100, "description": "Dent", "cost": 10}),
        )
        .await;
    let repair_id = repair.body["id"].as_i64().unwrap();
    let repair_values = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/repair-records/{repair_id}/extra-fields"
        ))
        .await;
    assert_eq!(repair_values.status, 200, "{}", repair_values.text);
    assert_eq!(repair_values.body["fields"], json!([]));
}

#[actix_web::test]
async fn values_are_validated_and_nothing_is_half_written() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let record = service_record(&app, vehicle).await;
    let path = format!("/api/v1/vehicles/{vehicle}/service-records/{record}/extra-fields");
    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [
            {"name": "Warranty", "fieldType": "date", "isRequired": true},
            {"name": "Hours", "fieldType": "number"},
            {"name": "Labour", "fieldType": "decimal"},
            {"name": "At", "fieldType": "time"},
            {"name": "Where", "fieldType": "location"},
        ]}),
    )
    .await;
    let good = app
        .put(
            &path,
            &json!({"fields": [
                {"name": "Warranty", "value": "2026-05-31"},
                {"name": "Hours", "value": "-3"},
                {"name": "Labour", "value": "1.25"},
                {"name": "At", "value": "07:45"},
                {"name": "Where", "value": "Main St 1, Springfield"},
            ]}),
        )
        .await;
    assert_eq!(good.status, 200, "{}", good.text);

    let bad = app
        .put(
            &path,
            &json!({"fields": [
                {"name": "Warranty", "value": ""},
                {"name": "Hours", "value": "4.5"},
                {"name": "Labour", "value": "1,5"},
                {"name": "At", "value": "25:00"},
                {"name": "Colour", "value": "red"},
            ]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(
        bad.error_fields(),
        vec![
            "fields[0].value",
            "fields[1].value",
            "fields[2].value",
            "fields[3].value",
            "fields[4].name",
        ]
    );
    let dates = app
        .put(
            &path,
            &json!({"fields": [{"name": "Warranty", "value": "31/05/2026"}]}),
        )
        .await;
    assert_eq!(dates.error_fields(), vec!["fields[0].value"]);
    // A required field left out.
    let missing = app
        .put(&path, &json!({"fields": [{"name": "Hours", "value": "3"}]}))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.error_fields(), vec!["fields"]);
    // Wrong JSON types and unknown keys.
    let wrong = app
        .put(&path, &json!({"fields": [{"name": "Hours", "value": 3}]}))
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    let unknown = app
        .put(
            &path,
            &json!({"fields": [{"name": "Hours", "value": "3", "colour": "red"}]}),
        )
        .await;
    assert!(
        unknown.status == 400 || unknown.status == 422,
        "{}",
        unknown.text
    );

    // Every refused write left the values as they were.
    let after = app.get(&path).await;
    assert_eq!(
        names(&after.body),
        vec![
            row("Warranty", "2026-05-31", true, "date"),
            row("Hours", "-3", false, "number"),
            row("Labour", "1.25", false, "decimal"),
            row("At", "07:45", false, "time"),
            row("Where", "Main St 1, Springfield", false, "location"),
        ]
    );

    // Leaving an optional field out empties it.
    let fewer = app
        .put(
            &path,
            &json!({"fields": [{"name": "Warranty", "value": "2027-01-01"}]}),
        )
        .await;
    assert_eq!(fewer.status, 200, "{}", fewer.text);
    assert_eq!(fewer.body["fields"][1]["value"], "");
    assert_eq!(fewer.body["fields"][0]["value"], "2027-01-01");
}

#[actix_web::test]
async fn the_vehicle_has_values_too_and_deletes_take_values_along() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    app.put(
        "/api/v1/extra-fields/vehicle",
        &json!({"fields": [{"name": "VIN", "isRequired": true}]}),
    )
    .await;
    app.put(
        "/api/v1/extra-fields/fuel",
        &json!({"fields": [{"name": "Station"}]}),
    )
    .await;
    let own = format!("/api/v1/vehicles/{vehicle}/extra-fields");
    let empty = app.get(&own).await;
    assert_eq!(empty.status, 200, "{}", empty.text);
    assert_eq!(empty.body["recordType"], "vehicle");
    assert_eq!(empty.body["recordId"], vehicle);
    assert_eq!(names(&empty.body), vec![row("VIN", "", true, "text")]);
    let saved = app
        .put(
            &own,
            &json!({"fields": [{"name": "VIN", "value": "1HGCM82633A004352"}]}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["fields"][0]["value"], "1HGCM82633A004352");

    let fuel = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/fuel-records"),
            &json!({"date": "2024-01-01", "odometer": 1000, "fuelConsumed": 10, "cost": 35}),
        )
        .await;
    let fuel_id = fuel.body["id"].as_i64().unwrap();
    let fuel_path = format!("/api/v1/vehicles/{vehicle}/fuel-records/{fuel_id}/extra-fields");
    let put = app
        .put(
            &fuel_path,
            &json!({"fields": [{"name": "Station", "value": "Shell"}]}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);

    let count = |record_type: &'static str, record_id: i64| {
        let db = app.db.clone();
        async move {
            extra_field_value::Entity::find()
                .filter(extra_field_value::Column::RecordType.eq(record_type))
                .filter(extra_field_value::Column::RecordId.eq(record_id))
                .count(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("fuel", fuel_id).await, 1);
    let deleted = app
        .delete(&format!(
            "/api/v1/vehicles/{vehicle}/fuel-records/{fuel_id}"
        ))
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(count("fuel", fuel_id).await, 0);
    assert_eq!(app.get(&fuel_path).await.status, 404);

    // A service record's values go with it too.
    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [{"name": "Shop"}]}),
    )
    .await;
    let service = service_record(&app, vehicle).await;
    let put = app
        .put(
            &format!("/api/v1/vehicles/{vehicle}/service-records/{service}/extra-fields"),
            &json!({"fields": [{"name": "Shop", "value": "Joe's"}]}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(count("service", service).await, 1);
    let deleted = app
        .delete(&format!(
            "/api/v1/vehicles/{vehicle}/service-records/{service}"
        ))
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(count("service", service).await, 0);

    assert_eq!(count("vehicle", vehicle).await, 1);
    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{vehicle}"))
            .await
            .status,
        204
    );
    assert_eq!(count("vehicle", vehicle).await, 0);
    assert_eq!(app.get(&own).await.status, 404);
}

#[actix_web::test]
async fn values_of_what_the_caller_cannot_see_are_not_found() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Mazda").await;
    let record = service_record(&app, vehicle).await;
    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [{"name": "Shop"}]}),
    )
    .await;
    let body = json!({"fields": [{"name": "Shop", "value": "Joe's"}]});

    for path in [
        // A record type without extra fields or that does not exist.
        format!("/api/v1/vehicles/{vehicle}/cars/{record}/extra-fields"),
        format!("/api/v1/vehicles/{vehicle}/service/{record}/extra-fields"),
        // The record exists, but as another kind or under another vehicle.
        format!("/api/v1/vehicles/{vehicle}/repair-records/{record}/extra-fields"),
        format!("/api/v1/vehicles/{other}/service-records/{record}/extra-fields"),
        // Ids that cannot name anything.
        format!("/api/v1/vehicles/{vehicle}/service-records/999999/extra-fields"),
        format!("/api/v1/vehicles/{vehicle}/service-records/abc/extra-fields"),
        "/api/v1/vehicles/0/extra-fields".to_owned(),
        "/api/v1/vehicles/999999/extra-fields".to_owned(),
    ] {
        let got = app.get(&path).await;
        assert_eq!(got.status, 404, "GET {path}: {}", got.text);
        assert_eq!(got.code(), "not_found");
        let put = app.put(&path, &body).await;
        assert_eq!(put.status, 404, "PUT {path}: {}", put.text);
    }

    // Another user sees none of it.
    add_user(&app, "bob", false).await;
    app.login("bob", "a long password").await;
    for path in [
        format!("/api/v1/vehicles/{vehicle}/service-records/{record}/extra-fields"),
        format!("/api/v1/vehicles/{vehicle}/extra-fields"),
    ] {
        let got = app.get(&path).await;
        assert_eq!(got.status, 404, "{}", got.text);
        assert_eq!(got.code(), "not_found");
        let put = app.put(&path, &body).await;
        assert_eq!(put.status, 404);
        assert_eq!(put.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    let untouched = app
        .get(&format!(
            "/api/v1/vehicles/{vehicle}/service-records/{record}/extra-fields"
        ))
        .await;
    assert_eq!(untouched.body["fields"][0]["value"], "");
}
