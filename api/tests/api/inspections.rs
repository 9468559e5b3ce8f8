//! Inspection templates and inspections: template CRUD and rules, the pass/fail rule per field
//! type, the side effects of creating an inspection (Service record, odometer auto-insert,
//! Backlog plans for failed fields with action items), immutability, bad inputs with nothing
//! half-written, and other users' vehicles.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/inspection-templates"),
    ("post", "/api/v1/vehicles/{vehicleId}/inspection-templates"),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}",
    ),
    ("get", "/api/v1/vehicles/{vehicleId}/inspections"),
    ("post", "/api/v1/vehicles/{vehicleId}/inspections"),
    ("get", "/api/v1/vehicles/{vehicleId}/inspections/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/inspections/{recordId}"),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/inspections/{recordId}",
    ),
];

fn templates(vehicle: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/inspection-templates")
}

fn inspections(vehicle: i64) -> String {
    format!("/api/v1/vehicles/{vehicle}/inspections")
}

/// Tyres (radio: Good / Worn, fail; action item), Lights (check: Front, fail / Rear, fail /
/// Fog; notes; action item), Brakes (radio: OK / Soft, fail; no action item), Remarks (text).
fn annual() -> Value {
    json!({
        "description": "Annual",
        "cost": 50,
        "fields": [
            {"description": "Tyres", "fieldType": "radio",
             "options": [{"description": "Good"}, {"description": "Worn", "isFail": true}],
             "hasActionItem": true, "actionItemType": "repair",
             "actionItemDescription": "Replace tyres", "actionItemPriority": "critical"},
            {"description": "Lights", "fieldType": "check",
             "options": [{"description": "Front", "isFail": true},
                         {"description": "Rear", "isFail": true},
                         {"description": "Fog"}],
             "hasNotes": true, "hasActionItem": true, "actionItemDescription": "Fix lights"},
            {"description": "Brakes", "fieldType": "radio",
             "options": [{"description": "OK"}, {"description": "Soft", "isFail": true}]},
            {"description": "Remarks", "fieldType": "text"}
        ]
    })
}

async fn add_template(app: &TestApp, vehicle: i64, body: &Value) -> i64 {
    let reply = app.post(&templates(vehicle), body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["id"].as_i64().unwrap()
}

async fn rows(app: &TestApp, sql: &str) -> Vec<Vec<String>> {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let found = app
        .db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap();
    found
        .iter()
        .map(|row| {
            (0..)
                .map_while(|i| {
                    row.try_get_by_index::<String>(i)
                        .ok()
                        .or_else(|| row.try_get_by_index::<i64>(i).ok().map(|v| v.to_string()))
                })
                .collect()
        })
        .collect()
}

async fn count(app: &TestApp, table: &str) -> usize {
    rows(app, &format!("SELECT id FROM {table}")).await.len()
}

async fn auto_insert(app: &TestApp, on: bool) {
    let reply = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": on}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

fn failed_flags(inspection: &Value) -> Vec<bool> {
    inspection["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["failed"].as_bool().unwrap())
        .collect()
}

#[actix_web::test]
async fn template_crud_and_rules() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let base = templates(vehicle);

    let created = app.post(&base, &annual()).await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["description"], "Annual");
    assert_eq!(created.body["cost"], json!(50.0));
    let fields = created.body["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 4);
    assert_eq!(fields[0]["actionItemType"], "repair");
    assert_eq!(fields[0]["actionItemPriority"], "critical");
    assert_eq!(fields[0]["options"][1]["isFail"], true);
    // Defaults: service, normal, no notes, no options for text.
    assert_eq!(fields[1]["actionItemType"], "service");
    assert_eq!(fields[1]["actionItemPriority"], "normal");
    assert_eq!(fields[2]["hasActionItem"], false);
    assert_eq!(fields[3]["options"], json!([]));
    let id = created.body["id"].as_i64().unwrap();

    let quick = add_template(
        &app,
        vehicle,
        &json!({"description": "Before trip", "fields": [{"description": "Oil level", "fieldType": "check", "options": [{"description": "OK", "isFail": true}]}]}),
    )
    .await;
    let list = app.get(&base).await;
    assert_eq!(list.status, 200);
    let ids: Vec<i64> = list.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![id, quick], "by description");
    assert_eq!(app.get(&format!("{base}/{id}")).await.body, created.body);

    let mut changed = annual();
    changed["description"] = json!("Annual (2025)");
    changed["fields"].as_array_mut().unwrap().pop();
    let put = app.put(&format!("{base}/{id}"), &changed).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["fields"].as_array().unwrap().len(), 3);
    assert_eq!(put.body["description"], "Annual (2025)");

    let cases = [
        (
            json!({"description": " ", "fields": []}),
            vec!["description", "fields"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "radio"}]}),
            vec!["fields[0].options"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "check", "options": []}]}),
            vec!["fields[0].options"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "text", "options": [{"description": "y"}]}]}),
            vec!["fields[0].options"],
        ),
        (
            json!({"description": "a", "cost": -1, "fields": [{"description": "", "fieldType": "radio", "options": [{"description": ""}], "hasActionItem": true}]}),
            vec![
                "cost",
                "fields[0].description",
                "fields[0].options[0].description",
                "fields[0].actionItemDescription",
            ],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "dropdown"}]}),
            vec!["fields[0].fieldType"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": 2}]}),
            vec!["fields[0].fieldType"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "text", "actionItemPriority": "urgent"}]}),
            vec!["fields[0].actionItemPriority"],
        ),
        (
            json!({"description": "a", "fields": [{"description": "x", "fieldType": "text", "actionItemType": "collision"}]}),
            vec!["fields[0].actionItemType"],
        ),
        (json!({"description": "a"}), vec!["fields"]),
        (
            json!({"description": "a", "fields": [], "date": "2024-01-01"}),
            vec!["date"],
        ),
    ];
    for (body, expected) in &cases {
        let reply = app.post(&base, body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(&reply.error_fields(), expected, "{body}");
        assert_eq!(
            app.put(&format!("{base}/{id}"), body).await.status,
            422,
            "{body}"
        );
    }
    assert_eq!(count(&app, "inspection_templates").await, 2);

    assert_eq!(app.delete(&format!("{base}/{quick}")).await.status, 204);
    assert_eq!(app.get(&format!("{base}/{quick}")).await.status, 404);
    assert_eq!(app.delete(&format!("{base}/{quick}")).await.status, 404);
    assert_eq!(app.get(&format!("{base}/abc")).await.status, 404);
    assert_eq!(
        app.put(&format!("{base}/999999"), &annual()).await.status,
        404
    );
}

#[actix_web::test]
async fn a_passing_inspection_adds_a_service_record_and_an_odometer_record() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let template = add_template(&app, vehicle, &annual()).await;

    // Good tyres; both fail-marked lights ticked (a check field passes only then); brakes OK.
    let reply = app
        .post(
            &inspections(vehicle),
            &json!({
                "templateId": template, "date": "2024-06-01", "odometer": 12000, "tags": ["mot"],
                "results": [
                    {"fieldIndex": 3, "value": "All good"},
                    {"fieldIndex": 0, "selected": [0]},
                    {"fieldIndex": 1, "selected": [0, 1], "notes": "bright"},
                    {"fieldIndex": 2, "selected": [0]}
                ]
            }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = &reply.body;
    assert_eq!(body["failed"], false);
    assert_eq!(failed_flags(body), vec![false, false, false, false]);
    // Omitted description and cost come from the template.
    assert_eq!(body["description"], "Annual");
    assert_eq!(body["cost"], json!(50.0));
    assert_eq!(body["templateId"], template);
    assert_eq!(body["tags"], json!(["mot"]));
    let results = body["results"].as_array().unwrap();
    assert_eq!(results[0]["description"], "Tyres");
    assert_eq!(results[0]["fieldType"], "radio");
    assert_eq!(
        results[1]["options"],
        json!([
            {"description": "Front", "isFail": true, "isSelected": true},
            {"description": "Rear", "isFail": true, "isSelected": true},
            {"description": "Fog", "isFail": false, "isSelected": false}
        ])
    );
    assert_eq!(results[1]["notes"], "bright");
    assert_eq!(results[3]["value"], "All good");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("{}/{id}", inspections(vehicle)))
            .await
            .body,
        reply.body
    );

    let services = app
        .get(&format!("/api/v1/vehicles/{vehicle}/service-records"))
        .await;
    let services = services.body["records"].as_array().unwrap().clone();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["description"], "Inspection: Annual");
    assert_eq!(services[0]["date"], "2024-06-01");
    assert_eq!(services[0]["odometer"], 12000);
    assert_eq!(services[0]["cost"], json!(50.0));
    let readings = app
        .get(&format!("/api/v1/vehicles/{vehicle}/odometer-records"))
        .await;
    let readings = readings.body["records"].as_array().unwrap().clone();
    assert_eq!(readings.len(), 1);
    assert_eq!(readings[0]["odometer"], 12000);
    assert_eq!(
        readings[0]["notes"],
        "Auto Insert From Inspection Record: Annual"
    );
    assert_eq!(count(&app, "plan_records").await, 0);

    let list = app.get(&inspections(vehicle)).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["records"].as_array().unwrap().len(), 1);
    assert_eq!(list.body["totalCost"], json!(50.0));
}

#[actix_web::test]
async fn failed_fields_with_action_items_become_backlog_plans() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    auto_insert(&app, false).await;
    let vehicle = app.add_vehicle("Honda").await;
    let template = add_template(&app, vehicle, &annual()).await;

    // Worn tyres (radio fail), only the front light ticked (check fail: Rear not ticked),
    // soft brakes (radio fail, no action item), a remark (text never fails).
    let reply = app
        .post(
            &inspections(vehicle),
            &json!({
                "templateId": template, "date": "2024-06-01", "odometer": 12000,
                "cost": 75.5, "description": "Pre-sale check",
                "results": [
                    {"fieldIndex": 0, "selected": [1]},
                    {"fieldIndex": 1, "selected": [0, 2]},
                    {"fieldIndex": 2, "selected": [1]},
                    {"fieldIndex": 3, "value": "Soft pedal"}
                ]
            }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["failed"], true);
    assert_eq!(failed_flags(&reply.body), vec![true, true, true, false]);
    assert_eq!(reply.body["description"], "Pre-sale check");
    assert_eq!(reply.body["cost"], json!(75.5));

    // One plan per failed field with an action item: Tyres and Lights, not Brakes.
    let plans = rows(
        &app,
        "SELECT description, record_kind, priority, progress, CAST(cost AS BIGINT), vehicle_id FROM plan_records ORDER BY id",
    )
    .await;
    let v = vehicle.to_string();
    assert_eq!(
        plans,
        vec![
            vec!["Replace tyres", "repair", "critical", "backlog", "0", &v],
            vec!["Fix lights", "service", "normal", "backlog", "0", &v],
        ]
    );
    let services = rows(
        &app,
        "SELECT description, kind, CAST(cost AS BIGINT) FROM maintenance_records",
    )
    .await;
    assert_eq!(
        services,
        vec![vec!["Inspection: Annual", "service", "755000"]]
    );
    // The user's setting is off: no odometer record.
    assert_eq!(count(&app, "odometer_records").await, 0);

    // Unanswered fields count as nothing ticked: the lights check fails, radios pass.
    let empty = app
        .post(
            &inspections(vehicle),
            &json!({"templateId": template, "date": "2024-07-01"}),
        )
        .await;
    assert_eq!(empty.status, 201, "{}", empty.text);
    assert_eq!(failed_flags(&empty.body), vec![false, true, false, false]);
    assert_eq!(count(&app, "plan_records").await, 3);
    assert_eq!(count(&app, "maintenance_records").await, 2);
}

#[actix_web::test]
async fn inspections_are_immutable_except_tags() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let template = add_template(&app, vehicle, &annual()).await;
    let created = app
        .post(
            &inspections(vehicle),
            &json!({"templateId": template, "date": "2024-06-01", "odometer": 100, "results": [{"fieldIndex": 0, "selected": [1]}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    let one = format!("{}/{id}", inspections(vehicle));

    let tagged = app.put(&one, &json!({"tags": ["sold", "mot"]})).await;
    assert_eq!(tagged.status, 200, "{}", tagged.text);
    assert_eq!(tagged.body["tags"], json!(["sold", "mot"]));
    assert_eq!(tagged.body["results"], created.body["results"]);
    for (body, field) in [
        (json!({"tags": [], "description": "changed"}), "description"),
        (json!({"tags": [], "date": "2024-01-01"}), "date"),
        (json!({"tags": [], "results": []}), "results"),
        (json!({}), "tags"),
        (json!({"tags": ["two words"]}), "tags"),
    ] {
        let reply = app.put(&one, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.error_fields(), vec![field.to_owned()], "{body}");
    }
    let now = app.get(&one).await;
    assert_eq!(now.body["tags"], json!(["sold", "mot"]));
    assert_eq!(now.body["description"], "Annual");
    assert_eq!(now.body["date"], "2024-06-01");

    // Template changes and deletion leave the inspection's copy alone.
    let mut changed = annual();
    changed["fields"] = json!([{"description": "Only", "fieldType": "text"}]);
    let put = app
        .put(&format!("{}/{template}", templates(vehicle)), &changed)
        .await;
    assert_eq!(put.status, 200);
    assert_eq!(app.get(&one).await.body["results"], created.body["results"]);
    assert_eq!(
        app.delete(&format!("{}/{template}", templates(vehicle)))
            .await
            .status,
        204
    );
    let orphan = app.get(&one).await;
    assert_eq!(orphan.status, 200);
    assert_eq!(orphan.body["templateId"], Value::Null);
    assert_eq!(orphan.body["failed"], true);

    // Files can still be added; a delete takes tags and attachments, not the service record.
    let link = app
        .post(
            &format!("{one}/attachments/links"),
            &json!({"name": "report", "url": "https://example.com/r.pdf"}),
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    assert_eq!(app.delete(&one).await.status, 204);
    assert_eq!(app.get(&one).await.status, 404);
    assert_eq!(app.delete(&one).await.status, 404);
    assert_eq!(count(&app, "record_tags").await, 0);
    assert_eq!(count(&app, "attachments").await, 0);
    assert_eq!(count(&app, "maintenance_records").await, 1);
}

#[actix_web::test]
async fn bad_inputs_write_nothing() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let other = app.add_vehicle("Other").await;
    let template = add_template(&app, vehicle, &annual()).await;
    let foreign_template = add_template(&app, other, &annual()).await;
    let base = inspections(vehicle);
    let with = |results: Value| json!({"templateId": template, "date": "2024-06-01", "odometer": 100, "tags": ["x"], "results": results});

    let invalid = [
        (
            with(json!([{"fieldIndex": 4}])),
            vec!["results[0].fieldIndex"],
        ),
        (
            with(json!([{"fieldIndex": 0, "selected": [0]}, {"fieldIndex": 0, "selected": [1]}])),
            vec!["results[1].fieldIndex"],
        ),
        (
            with(json!([{"fieldIndex": 0, "selected": [2]}])),
            vec!["results[0].selected"],
        ),
        (
            with(json!([{"fieldIndex": 3, "selected": [0]}])),
            vec!["results[0].selected"],
        ),
        (
            with(json!([{"fieldIndex": 0, "selected": [0, 1]}])),
            vec!["results[0].selected"],
        ),
        (
            with(json!([{"fieldIndex": 1, "value": "text"}])),
            vec!["results[0].value"],
        ),
        (
            with(json!([{"fieldIndex": -1}])),
            vec!["results[0].fieldIndex"],
        ),
        (
            with(json!([{"fieldIndex": 0, "selected": ["a"]}])),
            vec!["results[0].selected[0]"],
        ),
        (
            with(json!([{"fieldIndex": 0, "failed": true}])),
            vec!["results[0].failed"],
        ),
        (
            json!({"templateId": template, "date": "2024-06-01", "odometer": -5, "cost": -1}),
            vec!["odometer", "cost"],
        ),
        (json!({"date": "2024-06-01"}), vec!["templateId"]),
        (
            json!({"templateId": 0, "date": "2024-06-01"}),
            vec!["templateId"],
        ),
        (
            json!({"templateId": template, "date": "2024-02-30"}),
            vec!["date"],
        ),
    ];
    for (body, fields) in &invalid {
        let reply = app.post(&base, body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.content_type(), "application/problem+json");
        assert_eq!(&reply.error_fields(), fields, "{body}");
    }
    // A template that does not exist, or is another vehicle's: 404.
    for missing in [999_999, foreign_template] {
        let reply = app
            .post(
                &base,
                &json!({"templateId": missing, "date": "2024-06-01", "odometer": 100}),
            )
            .await;
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    for table in [
        "inspections",
        "maintenance_records",
        "odometer_records",
        "plan_records",
        "record_tags",
    ] {
        assert_eq!(count(&app, table).await, 0, "{table}");
    }

    // Another user sees none of it.
    let good = with(json!([]));
    let created = app.post(&base, &good).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    app.add_user("bob", "correct horse battery").await;
    app.login("bob", "correct horse battery").await;
    let t = templates(vehicle);
    for reply in [
        app.get(&base).await,
        app.post(&base, &good).await,
        app.get(&format!("{base}/{id}")).await,
        app.put(&format!("{base}/{id}"), &json!({"tags": []})).await,
        app.delete(&format!("{base}/{id}")).await,
        app.get(&t).await,
        app.post(&t, &annual()).await,
        app.get(&format!("{t}/{template}")).await,
        app.put(&format!("{t}/{template}"), &annual()).await,
        app.delete(&format!("{t}/{template}")).await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    app.login("root", "correct horse battery").await;
    assert_eq!(count(&app, "inspections").await, 1);
    assert_eq!(count(&app, "inspection_templates").await, 2);
    assert_eq!(count(&app, "maintenance_records").await, 1);
    assert_eq!(
        app.get(&format!("{base}/{id}")).await.body["tags"],
        json!(["x"])
    );
}
