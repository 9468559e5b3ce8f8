//! The planner: plans with reminders and supplies, progress and conversion to a record when
//! done (reference §3.7), plan templates (§3.6 "Plan templates").

use chrono::{Months, Utc};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Native routes of this resource, as the OpenAPI document must list them.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/vehicles/{vehicleId}/plans"),
    ("post", "/api/v1/vehicles/{vehicleId}/plans"),
    ("get", "/api/v1/vehicles/{vehicleId}/plans/{recordId}"),
    ("put", "/api/v1/vehicles/{vehicleId}/plans/{recordId}"),
    ("delete", "/api/v1/vehicles/{vehicleId}/plans/{recordId}"),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/plans/{recordId}/progress",
    ),
    ("get", "/api/v1/vehicles/{vehicleId}/plan-templates"),
    ("post", "/api/v1/vehicles/{vehicleId}/plan-templates"),
    (
        "get",
        "/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}",
    ),
    (
        "put",
        "/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}",
    ),
    (
        "delete",
        "/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}",
    ),
    (
        "post",
        "/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}/use",
    ),
];

fn today() -> String {
    Utc::now().date_naive().to_string()
}

struct Env {
    app: TestApp,
    vehicle: i64,
}

impl Env {
    async fn new() -> Env {
        let mut app = TestApp::spawn().await;
        app.setup_root().await;
        let vehicle = app.add_vehicle("Honda").await;
        Env { app, vehicle }
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/vehicles/{}/{rest}", self.vehicle)
    }

    async fn created(&self, rest: &str, body: &Value) -> Value {
        let reply = self.app.post(&self.path(rest), body).await;
        assert_eq!(reply.status, 201, "{body}: {}", reply.text);
        reply.body
    }

    async fn supply(&self, quantity: i64, cost: &str) -> i64 {
        self.created(
            "supplies",
            &json!({"date": "2024-05-01", "description": "Brake pads", "partNumber": "BP-1",
                    "quantity": quantity, "cost": cost}),
        )
        .await["id"]
            .as_i64()
            .unwrap()
    }

    async fn stock(&self, supply: i64) -> (f64, f64) {
        let s = self
            .app
            .get(&self.path(&format!("supplies/{supply}")))
            .await;
        assert_eq!(s.status, 200, "{}", s.text);
        (
            s.body["quantity"].as_f64().unwrap(),
            s.body["cost"].as_f64().unwrap(),
        )
    }
}

#[actix_web::test]
async fn crud_reminder_links_and_priority_order() {
    let env = Env::new().await;
    let app = &env.app;
    let reminder = env
        .created(
            "reminders",
            &json!({"description": "Brakes", "dueDate": "2030-01-01"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let low = env
        .created("plans", &json!({"description": "Paint", "priority": "low"}))
        .await;
    assert_eq!(low["progress"], "backlog");
    assert_eq!(low["recordKind"], "service");
    assert_eq!(low["reminderIds"], json!([]));
    assert_eq!(low["convertedRecordId"], Value::Null);
    let critical = env
        .created(
            "plans",
            &json!({"description": "Brakes", "priority": "critical", "recordKind": "repair",
                    "progress": "inProgress", "cost": "120.50", "notes": "front", "reminderIds": [reminder]}),
        )
        .await;
    assert_eq!(critical["progress"], "inProgress");
    assert_eq!(critical["reminderIds"], json!([reminder]));
    assert_eq!(critical["cost"], 120.5);
    env.created("plans", &json!({"description": "Wash"})).await;

    let list = app.get(&env.path("plans")).await;
    assert_eq!(list.status, 200);
    let names: Vec<&str> = list.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["description"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Brakes", "Wash", "Paint"]);

    let id = critical["id"].as_i64().unwrap();
    let put = app
        .put(
            &env.path(&format!("plans/{id}")),
            &json!({"description": "Brakes and discs", "priority": "normal", "progress": "testing"}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["reminderIds"], json!([]));
    assert_eq!(put.body["progress"], "testing");
    let got = app.get(&env.path(&format!("plans/{id}"))).await;
    assert_eq!(got.body["description"], "Brakes and discs");

    // A reminder of another vehicle, or none at all: 422 and nothing written.
    let other = app.add_vehicle("Toyota").await;
    let theirs = app
        .post(
            &format!("/api/v1/vehicles/{other}/reminders"),
            &json!({"description": "x", "dueDate": "2030-01-01"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    for ids in [json!([theirs]), json!([999_999]), json!([0])] {
        let bad = app
            .post(
                &env.path("plans"),
                &json!({"description": "x", "reminderIds": ids}),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert_eq!(bad.error_fields(), vec!["reminderIds"]);
    }
    assert_eq!(
        app.get(&env.path("plans")).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    assert_eq!(
        app.delete(&env.path(&format!("plans/{id}"))).await.status,
        204
    );
    assert_eq!(app.get(&env.path(&format!("plans/{id}"))).await.status, 404);
}

#[actix_web::test]
async fn progress_moves_freely_and_done_converts_once() {
    let env = Env::new().await;
    let app = &env.app;
    // Recurring every 5000 (distance) and every 12 months (date): pushed from (today, 1200).
    let by_odometer = env
        .created(
            "reminders",
            &json!({"description": "Pads", "metric": "odometer", "dueOdometer": 1000, "isRecurring": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let by_date = env
        .created(
            "reminders",
            &json!({"description": "Fluid", "dueDate": "2020-01-01", "isRecurring": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let one_off = env
        .created(
            "reminders",
            &json!({"description": "Once", "dueDate": "2020-01-01"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let plan = env
        .created(
            "plans",
            &json!({"description": "Replace pads", "recordKind": "repair", "cost": 80,
                    "notes": "rear axle", "reminderIds": [by_odometer, by_date, one_off]}),
        )
        .await;
    let id = plan["id"].as_i64().unwrap();
    let progress = env.path(&format!("plans/{id}/progress"));

    for column in ["inProgress", "testing", "backlog", "testing"] {
        let moved = app.post(&progress, &json!({"progress": column})).await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_eq!(moved.body["progress"], column);
        assert_eq!(moved.body["convertedRecordId"], Value::Null);
    }
    let no_odometer = app.post(&progress, &json!({"progress": "done"})).await;
    assert_eq!(no_odometer.status, 422);
    assert_eq!(no_odometer.error_fields(), vec!["odometer"]);
    let negative = app
        .post(&progress, &json!({"progress": "done", "odometer": -5}))
        .await;
    assert_eq!(negative.error_fields(), vec!["odometer"]);
    let bad = app.post(&progress, &json!({"progress": "finished"})).await;
    assert!(bad.status.is_client_error());
    // A plan cannot become done through a create or a replace.
    let sneaky = app
        .put(
            &env.path(&format!("plans/{id}")),
            &json!({"description": "Replace pads", "progress": "done"}),
        )
        .await;
    assert_eq!(sneaky.status, 422);
    assert_eq!(sneaky.error_fields(), vec!["progress"]);

    let done = app
        .post(&progress, &json!({"progress": "done", "odometer": 1200}))
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["progress"], "done");
    let record = done.body["convertedRecordId"].as_i64().unwrap();
    let repair = app
        .get(&env.path(&format!("repair-records/{record}")))
        .await;
    assert_eq!(repair.status, 200, "{}", repair.text);
    assert_eq!(repair.body["date"], today());
    assert_eq!(repair.body["odometer"], 1200);
    assert_eq!(repair.body["description"], "Replace pads");
    assert_eq!(repair.body["cost"], 80.0);
    assert_eq!(repair.body["notes"], "rear axle");
    assert_eq!(repair.body["tags"], json!([]));

    // Recurring reminders move on from (today, 1200); the one-off stays.
    let r = app
        .get(&env.path(&format!("reminders/{by_odometer}")))
        .await;
    assert_eq!(r.body["dueOdometer"], 6200);
    let r = app.get(&env.path(&format!("reminders/{by_date}"))).await;
    let next_year = Utc::now().date_naive() + Months::new(12);
    assert_eq!(r.body["dueDate"], next_year.to_string());
    let r = app.get(&env.path(&format!("reminders/{one_off}"))).await;
    assert_eq!(r.body["dueDate"], "2020-01-01");

    // The odometer auto-insert ran with the record.
    let odometer = app.get(&env.path("odometer-records")).await;
    assert_eq!(odometer.body["records"][0]["odometer"], 1200);

    // Done is final: every change is a conflict; deleting is allowed and keeps the record.
    for reply in [
        app.post(&progress, &json!({"progress": "backlog"})).await,
        app.post(&progress, &json!({"progress": "done", "odometer": 1300}))
            .await,
        app.put(
            &env.path(&format!("plans/{id}")),
            &json!({"description": "Again"}),
        )
        .await,
    ] {
        assert_eq!(reply.status, 409, "{}", reply.text);
        assert_eq!(reply.code(), "conflict");
    }
    assert_eq!(
        app.delete(&env.path(&format!("plans/{id}"))).await.status,
        204
    );
    assert_eq!(
        app.get(&env.path(&format!("repair-records/{record}")))
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn plan_supplies_are_taken_at_creation_and_follow_the_record() {
    let env = Env::new().await;
    let app = &env.app;
    let pads = env.supply(10, "45.00").await;

    let plan = env
        .created(
            "plans",
            &json!({"description": "Pads", "supplies": [{"supplyId": pads, "quantity": 4}]}),
        )
        .await;
    assert_eq!(plan["requisitionHistory"][0]["quantity"], 4.0);
    assert_eq!(plan["requisitionHistory"][0]["cost"], 18.0);
    assert_eq!(plan["requisitionHistory"][0]["description"], "Brake pads");
    assert_eq!(env.stock(pads).await, (6.0, 27.0));
    let id = plan["id"].as_i64().unwrap();
    let put = app
        .put(
            &env.path(&format!("plans/{id}")),
            &json!({"description": "Pads", "supplies": [{"supplyId": pads, "quantity": 1}]}),
        )
        .await;
    assert_eq!(put.status, 422);
    assert_eq!(put.error_fields(), vec!["supplies"]);

    // Done transfers the history without deducting again.
    let done = app
        .post(
            &env.path(&format!("plans/{id}/progress")),
            &json!({"progress": "done", "odometer": 0}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    let record = done.body["convertedRecordId"].as_i64().unwrap();
    assert_eq!(env.stock(pads).await, (6.0, 27.0));
    let service = app
        .get(&env.path(&format!("service-records/{record}")))
        .await;
    assert_eq!(service.body["requisitionHistory"][0]["quantity"], 4.0);
    assert_eq!(service.body["requisitionHistory"][0]["cost"], 18.0);
    // Deleting the done plan restores nothing; deleting its record does.
    assert_eq!(
        app.delete(&env.path(&format!("plans/{id}"))).await.status,
        204
    );
    assert_eq!(env.stock(pads).await, (6.0, 27.0));
    assert_eq!(
        app.delete(&env.path(&format!("service-records/{record}")))
            .await
            .status,
        204
    );
    assert_eq!(env.stock(pads).await, (10.0, 45.0));

    // Deleting an open plan restores its supplies.
    let open = env
        .created(
            "plans",
            &json!({"description": "Pads", "supplies": [{"supplyId": pads, "quantity": 3}]}),
        )
        .await;
    assert_eq!(env.stock(pads).await, (7.0, 31.5));
    let open_id = open["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&env.path(&format!("plans/{open_id}")))
            .await
            .status,
        204
    );
    assert_eq!(env.stock(pads).await, (10.0, 45.0));

    // Too many: 422, and neither the plan nor the stock changes.
    let short = app
        .post(
            &env.path("plans"),
            &json!({"description": "Pads", "supplies": [{"supplyId": pads, "quantity": 2}, {"supplyId": pads, "quantity": 9}]}),
        )
        .await;
    assert_eq!(short.status, 422, "{}", short.text);
    assert_eq!(short.error_fields(), vec!["supplies[1].quantity"]);
    assert_eq!(app.get(&env.path("plans")).await.body["records"], json!([]));
    assert_eq!(env.stock(pads).await, (10.0, 45.0));
}

#[actix_web::test]
async fn templates_create_plans() {
    let env = Env::new().await;
    let app = &env.app;
    let pads = env.supply(10, "45.00").await;
    let recurring = env
        .created(
            "reminders",
            &json!({"description": "Pads", "metric": "odometer", "dueOdometer": 1000, "isRecurring": true}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let template = env
        .created(
            "plan-templates",
            &json!({"description": "Pad swap", "recordKind": "upgrade", "priority": "critical", "cost": 50,
                    "reminderIds": [recurring], "supplies": [{"supplyId": pads, "quantity": 4}]}),
        )
        .await;
    assert_eq!(
        template["supplies"],
        json!([{"supplyId": pads, "quantity": 4.0}])
    );
    assert_eq!(template["reminderIds"], json!([recurring]));
    let id = template["id"].as_i64().unwrap();
    let list = app.get(&env.path("plan-templates")).await;
    assert_eq!(list.body["records"][0]["description"], "Pad swap");

    let used = app
        .post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
        .await;
    assert_eq!(used.status, 201, "{}", used.text);
    assert_eq!(used.body["progress"], "backlog");
    assert_eq!(used.body["recordKind"], "upgrade");
    assert_eq!(used.body["priority"], "critical");
    assert_eq!(used.body["cost"], 50.0);
    assert_eq!(used.body["reminderIds"], json!([recurring]));
    assert_eq!(used.body["requisitionHistory"][0]["cost"], 18.0);
    assert_eq!(env.stock(pads).await, (6.0, 27.0));

    // Twice more: the second use is short (6 − 4 = 2 < 4).
    let second = app
        .post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
        .await;
    assert_eq!(second.status, 201, "{}", second.text);
    let third = app
        .post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
        .await;
    assert_eq!(third.status, 422, "{}", third.text);
    assert!(
        third.text.contains("Insufficient supplies"),
        "{}",
        third.text
    );
    assert_eq!(env.stock(pads).await, (2.0, 9.0));
    assert_eq!(
        app.get(&env.path("plans")).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The reminder stops recurring: the template refuses.
    let reminder = app
        .put(
            &env.path(&format!("reminders/{recurring}")),
            &json!({"description": "Pads", "metric": "odometer", "dueOdometer": 1000}),
        )
        .await;
    assert_eq!(reminder.status, 200, "{}", reminder.text);
    let not_recurring = app
        .post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
        .await;
    assert_eq!(not_recurring.status, 422);
    assert_eq!(not_recurring.error_fields(), vec!["reminderIds"]);

    // Without reminders, but with a deleted supply: "Missing supplies".
    let put = app
        .put(
            &env.path(&format!("plan-templates/{id}")),
            &json!({"description": "Pad swap", "supplies": [{"supplyId": pads, "quantity": 1}]}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.body["reminderIds"], json!([]));
    assert_eq!(put.body["recordKind"], "service");
    assert_eq!(
        app.delete(&env.path(&format!("supplies/{pads}")))
            .await
            .status,
        204
    );
    let missing = app
        .post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.error_fields(), vec!["supplies"]);
    assert!(
        missing.text.contains("Missing supplies"),
        "{}",
        missing.text
    );
    assert_eq!(
        app.get(&env.path("plans")).await.body["records"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let bad = app
        .post(
            &env.path("plan-templates"),
            &json!({"description": "", "cost": -1, "reminderIds": [999_999],
                    "supplies": [{"supplyId": 1, "quantity": 0}]}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.error_fields(),
        vec!["description", "cost", "supplies[0].quantity"]
    );

    assert_eq!(
        app.delete(&env.path(&format!("plan-templates/{id}")))
            .await
            .status,
        204
    );
    assert_eq!(
        app.get(&env.path(&format!("plan-templates/{id}")))
            .await
            .status,
        404
    );
    assert_eq!(
        app.post(&env.path(&format!("plan-templates/{id}/use")), &json!({}))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn bad_inputs_name_the_fields() {
    let env = Env::new().await;
    let app = &env.app;
    let bad = app
        .post(
            &env.path("plans"),
            &json!({"description": " ", "cost": 1e10, "notes": "x".repeat(20_001)}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(bad.error_fields(), vec!["description", "notes", "cost"]);
    for body in [
        json!({"description": "x", "priority": "urgent"}),
        json!({"description": "x", "recordKind": "fuel"}),
        json!({"description": "x", "cost": "lots"}),
        json!({"description": "x", "odometer": 5}),
    ] {
        let reply = app.post(&env.path("plans"), &body).await;
        assert!(reply.status.is_client_error(), "{body}: {}", reply.text);
    }
    assert_eq!(app.get(&env.path("plans")).await.body["records"], json!([]));
    assert_eq!(app.get(&env.path("plans/0")).await.status, 404);
    assert_eq!(app.get(&env.path("plans/xyz")).await.status, 404);
    assert_eq!(
        app.post(
            &env.path("plans/999/progress"),
            &json!({"progress": "testing"})
        )
        .await
        .status,
        404
    );
}

#[actix_web::test]
async fn someone_elses_vehicle_is_not_found() {
    let mut env = Env::new().await;
    let plan = env.created("plans", &json!({"description": "Mine"})).await["id"]
        .as_i64()
        .unwrap();
    let template = env
        .created("plan-templates", &json!({"description": "Mine"}))
        .await["id"]
        .as_i64()
        .unwrap();
    env.app.add_user("bob", "bobs password").await;
    env.app.login("bob", "bobs password").await;
    let app = &env.app;
    let body = json!({"description": "Theirs"});
    for reply in [
        app.get(&env.path("plans")).await,
        app.post(&env.path("plans"), &body).await,
        app.get(&env.path(&format!("plans/{plan}"))).await,
        app.put(&env.path(&format!("plans/{plan}")), &body).await,
        app.delete(&env.path(&format!("plans/{plan}"))).await,
        app.post(
            &env.path(&format!("plans/{plan}/progress")),
            &json!({"progress": "testing"}),
        )
        .await,
        app.get(&env.path("plan-templates")).await,
        app.post(&env.path("plan-templates"), &body).await,
        app.get(&env.path(&format!("plan-templates/{template}")))
            .await,
        app.put(&env.path(&format!("plan-templates/{template}")), &body)
            .await,
        app.delete(&env.path(&format!("plan-templates/{template}")))
            .await,
        app.post(
            &env.path(&format!("plan-templates/{template}/use")),
            &json!({}),
        )
        .await,
    ] {
        assert_eq!(reply.status, 404, "{}", reply.text);
        assert_eq!(reply.code(), "not_found");
    }
    env.app.login("root", "correct horse battery").await;
    let list = env.app.get(&env.path("plans")).await;
    assert_eq!(list.body["records"][0]["description"], "Mine");
    assert_eq!(list.body["records"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn done_copies_the_plans_files_and_extra_fields_to_the_record() {
    use crate::attachments::{fetch, stored_files, upload};
    let env = Env::new().await;
    let app = &env.app;
    for record_type in ["plan", "upgrade"] {
        let template = app
            .put(
                &format!("/api/v1/extra-fields/{record_type}"),
                &json!({"fields": [{"name": "Shop", "fieldType": "text"}]}),
            )
            .await;
        assert_eq!(template.status, 200, "{}", template.text);
    }
    let plan = env
        .created(
            "plans",
            &json!({"description": "Lift kit", "recordKind": "upgrade", "cost": 300}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let photo = b"\x89PNG\r\n\x1a\n lift".to_vec();
    let uploaded = upload(
        app,
        &env.path(&format!("plans/{plan}/attachments")),
        "quote.png",
        &photo,
    )
    .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let values = app
        .put(
            &env.path(&format!("plans/{plan}/extra-fields")),
            &json!({"fields": [{"name": "Shop", "value": "Joe's"}]}),
        )
        .await;
    assert_eq!(values.status, 200, "{}", values.text);

    let done = app
        .post(
            &env.path(&format!("plans/{plan}/progress")),
            &json!({"progress": "done", "odometer": 1500}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    let record = done.body["convertedRecordId"].as_i64().unwrap();
    let files = env.path(&format!("upgrade-records/{record}/attachments"));
    let listed = app.get(&files).await;
    let attachments = listed.body.as_array().unwrap();
    assert_eq!(attachments.len(), 1, "{}", listed.text);
    assert_eq!(attachments[0]["name"], "quote.png");
    let file = attachments[0]["id"].as_i64().unwrap();
    assert_ne!(file, uploaded.body["id"].as_i64().unwrap());
    let extra = app
        .get(&env.path(&format!("upgrade-records/{record}/extra-fields")))
        .await;
    assert_eq!(extra.body["fields"][0]["value"], "Joe's", "{}", extra.text);
    assert_eq!(stored_files(app), 2, "a copy, not a shared object");

    // The plan goes; the record keeps its file.
    assert_eq!(
        app.delete(&env.path(&format!("plans/{plan}"))).await.status,
        204
    );
    assert_eq!(stored_files(app), 1);
    let (status, _, bytes) = fetch(app, &format!("{files}/{file}")).await;
    assert_eq!((status, bytes), (200, photo));
}
