//! The LubeLogger-compatible API (reference §4), spoken to as a LubeLogger client would:
//! Basic credentials, API keys, the session cookie; JSON, form and query input; all-string and
//! invariant output. Setup (users, keys, templates) goes through `/api/v1`.

use awc::http::Method;
use base64::Engine;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, TestEnv};

/// The compat routes (not in the OpenAPI document, so not part of its route check).
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/whoami"),
    ("get", "/api/info"),
    ("get", "/api/version"),
    ("get", "/api/extrafields"),
    ("get", "/api/vehicles"),
    ("get", "/api/vehicle/info"),
    ("get", "/api/vehicle/adjustedodometer"),
    ("post", "/api/vehicles/add"),
    ("put", "/api/vehicles/update"),
    ("delete", "/api/vehicles/delete"),
    ("get", "/api/vehicle/odometerrecords/latest"),
    ("put", "/api/vehicle/odometerrecords/recalculate"),
    ("get", "/api/vehicle/{rec}/all"),
    ("get", "/api/vehicle/{rec}"),
    ("post", "/api/vehicle/{rec}/add"),
    ("put", "/api/vehicle/{rec}/update"),
    ("delete", "/api/vehicle/{rec}/delete"),
];

const ROOT_PASSWORD: &str = "correct horse battery";

fn basic(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A request with Basic credentials as root and no cookie.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let auth = basic("root", ROOT_PASSWORD);
    let mut all: Vec<(&str, &str)> = vec![("authorization", auth.as_str())];
    all.extend_from_slice(headers);
    anonymous(app, method, path, content_type, body, &all).await
}

/// A request without the test app's cookie.
async fn anonymous(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &str,
    headers: &[(&str, &str)],
) -> Reply {
    // A client sees the 302 itself rather than where it leads.
    let client = awc::Client::builder().disable_redirects().finish();
    let mut req = client.request(method, format!("{}{}", app.address, path));
    if let Some(ct) = content_type {
        req = req.insert_header(("content-type", ct));
    }
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let mut res = req.send_body(body.to_owned()).await.unwrap();
    let bytes = res.body().limit(10 * 1024 * 1024).await.unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Reply {
        status: res.status(),
        headers: res.headers().clone(),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    }
}

async fn get(app: &TestApp, path: &str) -> Reply {
    call(app, Method::GET, path, None, "", &[]).await
}

async fn get_invariant(app: &TestApp, path: &str) -> Reply {
    call(
        app,
        Method::GET,
        path,
        None,
        "",
        &[("culture-invariant", "")],
    )
    .await
}

async fn send_json(app: &TestApp, method: Method, path: &str, body: &Value) -> Reply {
    call(
        app,
        method,
        path,
        Some("application/json"),
        &body.to_string(),
        &[],
    )
    .await
}

async fn send_form(app: &TestApp, method: Method, path: &str, form: &str) -> Reply {
    call(
        app,
        method,
        path,
        Some("application/x-www-form-urlencoded"),
        form,
        &[],
    )
    .await
}

async fn api_key(app: &TestApp, role: &str) -> String {
    let created = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": format!("{role} key"), "role": role}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    created.body["secret"].as_str().unwrap().to_owned()
}

async fn no_auto_odometer(app: &TestApp) {
    let r = app
        .put(
            "/api/v1/me/settings",
            &json!({"enableAutoOdometerInsert": false}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[actix_web::test]
async fn every_auth_form_and_the_status_code_table() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let vehicle = app.add_vehicle("Honda").await;
    let viewer = api_key(&app, "viewer").await;
    let manager = api_key(&app, "manager").await;

    // No credentials: 401, Basic challenge, empty body.
    let r = anonymous(&app, Method::GET, "/api/vehicles", None, "", &[]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.headers.get("www-authenticate").unwrap(), "Basic");
    assert_eq!(r.text, "");
    // Wrong password, malformed Basic, unknown key: the same.
    let wrong = basic("root", "nope");
    for headers in [
        vec![("authorization", wrong.as_str())],
        vec![("authorization", "Basic !!!")],
        vec![("x-api-key", "0123456789abcdef0123456789abcdef")],
    ] {
        let r = anonymous(&app, Method::GET, "/api/vehicles", None, "", &headers).await;
        assert_eq!(r.status, 401, "{headers:?}");
        assert_eq!(r.text, "");
    }
    // A Basic header suppresses a valid key.
    let r = anonymous(
        &app,
        Method::GET,
        "/api/vehicles",
        None,
        "",
        &[("authorization", wrong.as_str()), ("x-api-key", &manager)],
    )
    .await;
    assert_eq!(r.status, 401);

    // Basic, cookie, x-api-key and apiKey query each see the vehicle.
    let listed = get(&app, "/api/vehicles").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body[0]["id"], vehicle);
    let by_cookie = app.get("/api/vehicles").await;
    assert_eq!(by_cookie.status, 200);
    assert_eq!(by_cookie.body[0]["id"], vehicle);
    let by_header = anonymous(
        &app,
        Method::GET,
        "/api/vehicles",
        None,
        "",
        &[("x-api-key", &viewer)],
    )
    .await;
    assert_eq!(by_header.body[0]["id"], vehicle);
    let by_query = anonymous(
        &app,
        Method::GET,
        &format!("/api/whoami?apiKey={viewer}"),
        None,
        "",
        &[],
    )
    .await;
    assert_eq!(
        by_query.text,
        r#"{"username":"root","emailAddress":"root@example.com","isAdmin":"True","isRoot":"True"}"#
    );

    // A viewer key may not add: 401 with LubeLogger's body; a manager key may.
    let note = json!({"description": "Tyres", "noteText": "Winter set"}).to_string();
    let path = format!("/api/vehicle/notes/add?vehicleId={vehicle}");
    let r = anonymous(
        &app,
        Method::POST,
        &path,
        Some("application/json"),
        &note,
        &[("x-api-key", &viewer)],
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.text, r#"{"success":false,"message":"Access Denied"}"#);
    let r = anonymous(
        &app,
        Method::POST,
        &path,
        Some("application/json"),
        &note,
        &[("x-api-key", &manager)],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["message"], "Note Added");
    let note_id = r.body["additionalData"]["recordId"].as_i64().unwrap();

    // LubeLogger 1.6.8 has no key check on vehicle add: a viewer key may add one.
    let r = anonymous(
        &app,
        Method::POST,
        "/api/vehicles/add",
        Some("application/json"),
        &json!({"year": 2001, "make": "Fiat", "model": "Panda", "licensePlate": "P-1"}).to_string(),
        &[("x-api-key", &viewer)],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["message"], "Vehicle Added");
    // But it may not update one.
    let r = anonymous(
        &app,
        Method::PUT,
        "/api/vehicles/update",
        Some("application/json"),
        &json!({"id": vehicle, "year": 2001, "make": "Fiat", "model": "Panda", "licensePlate": "P-1"}).to_string(),
        &[("x-api-key", &viewer)],
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.text, r#"{"success":false,"message":"Access Denied"}"#);

    // Cookie writes need the CSRF header, as on the native API.
    let r = app
        .raw(
            Method::POST,
            &path,
            Some("application/json"),
            note.clone().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "with the CSRF header: {}", r.text);
    let csrf = app.csrf.take();
    let r = app
        .raw(
            Method::POST,
            &path,
            Some("application/json"),
            note.clone().into_bytes(),
            &[],
        )
        .await;
    assert_eq!(r.status, 403);
    app.csrf = csrf;

    // Another user: reads redirect, adds answer 200 false, changes 401, unknown ids 400.
    app.add_user("bob", "bob password 1").await;
    let bob = basic("bob", "bob password 1");
    let as_bob = |method: Method, path: String, body: String| {
        let bob = bob.clone();
        let app = &app;
        async move {
            anonymous(
                app,
                method,
                &path,
                Some("application/json"),
                &body,
                &[("authorization", bob.as_str())],
            )
            .await
        }
    };
    let r = as_bob(
        Method::GET,
        format!("/api/vehicle/notes?vehicleId={vehicle}"),
        String::new(),
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.headers.get("location").unwrap(), "/Error/Unauthorized");
    let r = as_bob(
        Method::GET,
        format!("/api/vehicle/info?vehicleId={vehicle}"),
        String::new(),
    )
    .await;
    assert_eq!(r.status, 302);
    let r = as_bob(Method::POST, path.clone(), note.clone()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text, r#"{"success":false,"message":"Access Denied"}"#);
    let update = json!({"id": note_id, "description": "Mine", "noteText": "now"}).to_string();
    let r = as_bob(Method::PUT, "/api/vehicle/notes/update".into(), update).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.text,
        r#"{"success":false,"message":"Access Denied, you don't have access to this vehicle."}"#
    );
    let r = as_bob(
        Method::DELETE,
        format!("/api/vehicle/notes/delete?id={note_id}"),
        String::new(),
    )
    .await;
    assert_eq!(r.status, 401);
    let r = as_bob(
        Method::DELETE,
        "/api/vehicle/notes/delete?id=999999".into(),
        String::new(),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.text, r#"{"success":false,"message":"Invalid Record Id"}"#);
    // Bob sees no vehicles at all, and no records across vehicles.
    let r = as_bob(Method::GET, "/api/vehicles".into(), String::new()).await;
    assert_eq!(r.text, "[]");
    let r = as_bob(Method::GET, "/api/vehicle/notes/all".into(), String::new()).await;
    assert_eq!(r.text, "[]");

    // A user without a password or disabled cannot use Basic (tested through a wrong one above);
    // unknown paths under /api are 404, and /api/v1 still wins.
    let r = get(&app, "/api/nothing/here").await;
    assert_eq!(r.status, 404);
    let r = app.get("/api/v1/vehicles").await;
    assert_eq!(r.status, 200);
    // Missing vehicle id.
    let r = get(&app, "/api/vehicle/notes").await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.text,
        r#"{"success":false,"message":"Must provide a valid vehicle id"}"#
    );
}

#[actix_web::test]
async fn vehicles_and_general_endpoints() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;

    let r = send_json(
        &app,
        Method::POST,
        "/api/vehicles/add",
        &json!({"Year": "2019", "make": "Mazda", "model": "MX-5", "licensePlate": "RF-1", "fuelType": "Gasoline", "tags": "fun summer fun"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let id = r.body["additionalData"]["vehicleId"].as_i64().unwrap();
    assert_eq!(
        r.text,
        format!(
            r#"{{"success":true,"message":"Vehicle Added","additionalData":{{"vehicleId":{id}}}}}"#
        )
    );

    let expected = format!(
        r#"[{{"id":{id},"imageLocation":"/defaults/noimage.png","mapLocation":"","year":2019,"make":"Mazda","model":"MX-5","licensePlate":"RF-1","purchaseDate":"","soldDate":"","purchasePrice":0,"soldPrice":0,"isElectric":false,"isDiesel":false,"useHours":false,"odometerOptional":false,"extraFields":[],"tags":["fun","summer"],"hasOdometerAdjustment":false,"odometerMultiplier":"1","odometerDifference":"0","dashboardMetrics":[],"vehicleIdentifier":"LicensePlate"}}]"#
    );
    assert_eq!(get(&app, "/api/vehicles").await.text, expected);
    let typed = expected
        .replace(r#""odometerMultiplier":"1""#, r#""odometerMultiplier":1"#)
        .replace(r#""odometerDifference":"0""#, r#""odometerDifference":0"#);
    assert_eq!(get_invariant(&app, "/api/vehicles").await.text, typed);

    // Validation messages of VehicleImportModel.
    for (body, message) in [
        (
            json!({"make": "A", "model": "B"}),
            "Input object invalid, Year, Make, Model, Identifier, and FuelType cannot be empty.",
        ),
        (
            json!({"year": 2000, "make": "A", "model": "B"}),
            "Input object invalid, LicensePlate cannot be empty.",
        ),
        (
            json!({"year": 2000, "make": "A", "model": "B", "licensePlate": "X", "fuelType": "Steam"}),
            "Input object invalid, Fuel Type must be either Gasoline, Diesel, or Eletric",
        ),
        (
            json!({"year": 2000, "make": "A", "model": "B", "identifier": "VIN"}),
            "Input object invalid, Identifier VIN is specified but the value is not found in extra fields.",
        ),
    ] {
        let r = send_json(&app, Method::POST, "/api/vehicles/add", &body).await;
        assert_eq!(r.status, 400, "{body}");
        assert_eq!(r.body["message"], message);
        assert_eq!(r.body["success"], false);
    }

    // Update from a form: Diesel sets the fuel type, Gasoline later does not clear it.
    let form = format!(
        "id={id}&year=2020&make=Mazda&model=MX-5%20RF&licensePlate=RF-2&fuelType=Diesel&useEngineHours=true"
    );
    let r = send_form(&app, Method::PUT, "/api/vehicles/update", &form).await;
    assert_eq!(r.text, r#"{"success":true,"message":"Vehicle Updated"}"#);
    let form =
        format!("id={id}&year=2020&make=Mazda&model=MX-5%20RF&licensePlate=RF-2&fuelType=Gasoline");
    send_form(&app, Method::PUT, "/api/vehicles/update", &form).await;
    let v = &get_invariant(&app, "/api/vehicles").await.body[0];
    assert_eq!(v["year"], 2020);
    assert_eq!(v["model"], "MX-5 RF");
    assert_eq!(v["isDiesel"], true);
    assert_eq!(v["useHours"], false);
    assert_eq!(v["tags"], json!([]));
    let r = send_form(
        &app,
        Method::PUT,
        "/api/vehicles/update",
        "id=99999&year=1&make=a&model=b&licensePlate=c",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"], "Invalid Vehicle Id");

    // General endpoints.
    let r = get(&app, "/api/info").await;
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        r.text,
        format!(
            r#"{{"currentVersion":"{version}","locale":"en-US","currencySymbol":"$","decimalSeparator":".","dateFormat":"M/d/yyyy"}}"#
        )
    );
    let r = get(&app, "/api/version?checkForUpdate=true").await;
    assert_eq!(
        r.text,
        format!(r#"{{"currentVersion":"{version}","latestVersion":"{version}"}}"#)
    );
    let r = get_invariant(&app, "/api/whoami").await;
    assert_eq!(r.body["isRoot"], true);
    assert_eq!(get(&app, "/api/extrafields").await.text, "[]");
    let r = app
        .put(
            "/api/v1/extra-fields/service",
            &json!({"fields": [{"name": "Shop", "fieldType": "text", "isRequired": true}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        get(&app, "/api/extrafields").await.text,
        r#"[{"recordType":"ServiceRecord","extraFields":[{"name":"Shop","isRequired":"True","fieldType":"Text"}]}]"#
    );

    // Odometer adjustment: (100 + 10) × 1.5, through the native API's settings.
    let mut native = app.get(&format!("/api/v1/vehicles/{id}")).await.body;
    for k in ["id", "currentOdometer", "createdAt", "updatedAt", "access"] {
        native.as_object_mut().unwrap().remove(k);
    }
    native["hasOdometerAdjustment"] = json!(true);
    native["odometerMultiplier"] = json!(1.5);
    native["odometerDifference"] = json!(10);
    let r = app.put(&format!("/api/v1/vehicles/{id}"), &native).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = get(
        &app,
        &format!("/api/vehicle/adjustedodometer?vehicleId={id}&odometer=100"),
    )
    .await;
    assert_eq!(r.text, "165");

    // Vehicle info: counts and costs typed, next reminder in the reminder model.
    send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/servicerecords/add?vehicleId={id}"),
        &json!({"date": "2026-01-03", "odometer": "1200", "description": "Oil", "cost": "49.90"}),
    )
    .await;
    let r = get_invariant(&app, &format!("/api/vehicle/info?vehicleId={id}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let info = &r.body[0];
    assert_eq!(info["vehicleData"]["id"], id);
    assert_eq!(info["serviceRecordCount"], 1);
    assert_eq!(info["serviceRecordCost"], 49.9);
    assert_eq!(info["lastReportedOdometer"], 1200);
    assert_eq!(info["nextReminder"], Value::Null);
    let keys: Vec<&String> = info.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 21);
    assert!(r.text.starts_with(r#"[{"vehicleData":{"id":"#));
    assert!(r.text.contains(r#""veryUrgentReminderCount":0,"urgentReminderCount":0,"notUrgentReminderCount":0,"pastDueReminderCount":0,"nextReminder":null,"serviceRecordCount":1,"serviceRecordCost":49.9,"#), "{}", r.text);
    assert_eq!(
        get(&app, "/api/vehicle/info")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Delete needs a Manager key or a user login.
    let r = call(
        &app,
        Method::DELETE,
        &format!("/api/vehicles/delete?id={id}"),
        None,
        "",
        &[],
    )
    .await;
    assert_eq!(r.text, r#"{"success":true,"message":"Vehicle Deleted"}"#);
    assert_eq!(get(&app, "/api/vehicles").await.text, "[]");
}

#[actix_web::test]
async fn service_records_in_both_modes_with_filters_and_every_input_form() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let v = app.add_vehicle("Honda").await;
    app.put(
        "/api/v1/extra-fields/service",
        &json!({"fields": [{"name": "Shop", "fieldType": "text"}]}),
    )
    .await;

    // JSON body (typed values, vehicleId in the body), form body, query string.
    let r = send_json(
        &app,
        Method::POST,
        "/api/vehicle/servicerecords/add",
        &json!({"vehicleId": v, "date": "2026-01-03", "odometer": 1000, "description": "Oil change", "cost": 49.9, "notes": "5W-30", "tags": "oil engine", "extraFields": [{"name": "Shop", "value": "Joe's"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let first = r.body["additionalData"]["recordId"].as_i64().unwrap();
    assert_eq!(
        r.text,
        format!(
            r#"{{"success":true,"message":"Service Record Added","additionalData":{{"recordId":{first}}}}}"#
        )
    );
    let r = send_form(
        &app,
        Method::POST,
        &format!("/api/vehicle/servicerecords/add?vehicleId={v}"),
        "date=2/1/2026&odometer=2000&description=Brakes&cost=1%2C200.50&tags=brakes",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let second = r.body["additionalData"]["recordId"].as_i64().unwrap();
    let r = call(
        &app,
        Method::POST,
        &format!("/api/vehicle/servicerecords/add?VehicleId={v}&date=2026-03-01T08:00:00Z&odometer=3000&description=Wipers&cost=10&extraFields[0][name]=Shop&extraFields[0][value]=Self"),
        None,
        "",
        &[],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let third = r.body["additionalData"]["recordId"].as_i64().unwrap();

    // Names the template lacks are dropped (LubeLogger would store them, its display drops
    // them); a value the template's type refuses is 400 and creates nothing.
    app.put(
        "/api/v1/extra-fields/tax",
        &json!({"fields": [{"name": "Km", "fieldType": "number", "isRequired": true}]}),
    )
    .await;
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/taxrecords/add?vehicleId={v}"),
        &json!({"date": "2026-01-03", "description": "Fee", "cost": 5, "extraFields": [{"name": "Km", "value": "lots"}]}),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        get(&app, &format!("/api/vehicle/taxrecords?vehicleId={v}"))
            .await
            .text,
        "[]"
    );
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/taxrecords/add?vehicleId={v}"),
        &json!({"date": "2026-01-03", "description": "Fee", "cost": 5, "extraFields": [{"name": "Nope", "value": "x"}]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let tax_id = r.body["additionalData"]["recordId"].as_i64().unwrap();
    // A required field may stay empty through the API (reference §3.9), on update too.
    let r = send_json(
        &app,
        Method::PUT,
        "/api/vehicle/taxrecords/update",
        &json!({"id": tax_id, "date": "2026-01-03", "description": "Fee", "cost": 6}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = get(&app, &format!("/api/vehicle/taxrecords?vehicleId={v}")).await;
    assert!(
        r.text.contains(
            r#""extraFields":[{"name":"Km","value":"","isRequired":true,"fieldType":1}]"#
        ),
        "{}",
        r.text
    );

    // All-string output, keys in order.
    let r = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&id={first}"),
    )
    .await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{first}","date":"1/3/2026","odometer":"1000","description":"Oil change","notes":"5W-30","cost":"49.9","tags":"oil engine","extraFields":[{{"name":"Shop","value":"Joe's","isRequired":false,"fieldType":0}}],"files":[]}}]"#
        )
    );
    // Invariant output.
    let r = get_invariant(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&id={second}"),
    )
    .await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":{v},"id":{second},"date":"2026-02-01","odometer":2000,"description":"Brakes","notes":"","cost":1200.5,"tags":"brakes","extraFields":[{{"name":"Shop","value":"","isRequired":false,"fieldType":0}}],"files":[]}}]"#
        )
    );
    let r = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&id={third}"),
    )
    .await;
    assert_eq!(r.body[0]["date"], "3/1/2026");
    assert_eq!(r.body[0]["extraFields"][0]["value"], "Self");

    // Filters: dates are inclusive, tags match any.
    let ids = |r: &Reply| -> Vec<String> {
        let mut ids: Vec<String> = r
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let s = |ids: &[i64]| -> Vec<String> {
        let mut v: Vec<String> = ids.iter().map(i64::to_string).collect();
        v.sort();
        v
    };
    let r = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&startDate=1/3/2026&endDate=2026-02-01"),
    )
    .await;
    assert_eq!(ids(&r), s(&[first, second]));
    let r = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&tags=brakes%20engine"),
    )
    .await;
    assert_eq!(ids(&r), s(&[first, second]));
    let r = get(&app, "/api/vehicle/servicerecords/all?startDate=2026-02-02").await;
    assert_eq!(ids(&r), s(&[third]));

    // Auto odometer insert: one odometer record per add, the latest reading is bare.
    let r = get(&app, &format!("/api/vehicle/odometerrecords?vehicleId={v}")).await;
    assert_eq!(r.body.as_array().unwrap().len(), 3, "{}", r.text);
    let r = get(
        &app,
        &format!("/api/vehicle/odometerrecords/latest?vehicleId={v}"),
    )
    .await;
    assert_eq!(r.text, "3000");

    // Required fields; update and delete.
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/servicerecords/add?vehicleId={v}"),
        &json!({"date": "2026-01-01"}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body["message"],
        "Input object invalid, Date, Description, Odometer, and Cost cannot be empty."
    );
    let r = send_json(
        &app,
        Method::PUT,
        "/api/vehicle/servicerecords/update",
        &json!({"date": "2026-01-01"}),
    )
    .await;
    assert_eq!(
        r.body["message"],
        "Input object invalid, Id, Date, Description, Odometer, and Cost cannot be empty."
    );
    let r = send_json(
        &app,
        Method::PUT,
        "/api/vehicle/servicerecords/update",
        &json!({"id": first.to_string(), "date": "1/4/2026", "odometer": "1001", "description": "Oil", "cost": "50", "tags": "oil"}),
    )
    .await;
    assert_eq!(
        r.text,
        r#"{"success":true,"message":"Service Record Updated"}"#
    );
    let r = get(
        &app,
        &format!("/api/vehicle/servicerecords?vehicleId={v}&id={first}"),
    )
    .await;
    assert_eq!(r.body[0]["date"], "1/4/2026");
    assert_eq!(r.body[0]["cost"], "50");
    assert_eq!(r.body[0]["tags"], "oil");
    // A service id is not a repair record.
    let r = send_json(
        &app,
        Method::PUT,
        "/api/vehicle/repairrecords/update",
        &json!({"id": first, "date": "2026-01-04", "odometer": 1, "description": "x", "cost": 1}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["message"], "Invalid Record Id");
    let r = call(
        &app,
        Method::DELETE,
        &format!("/api/vehicle/servicerecords/delete?id={first}"),
        None,
        "",
        &[],
    )
    .await;
    assert_eq!(
        r.text,
        r#"{"success":true,"message":"Service Record Deleted"}"#
    );
    let r = get(&app, &format!("/api/vehicle/servicerecords?vehicleId={v}")).await;
    assert_eq!(r.body.as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn every_record_kind_adds_lists_updates_and_deletes() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    no_auto_odometer(&app).await;
    let v = app.add_vehicle("Honda").await;

    // (rec, add body, update body without id, field checked after update, its value, noun)
    let cases: Vec<(&str, Value, Value, &str, &str, &str)> = vec![
        (
            "repairrecords",
            json!({"date": "2026-01-03", "odometer": "10", "description": "Dent", "cost": "100"}),
            json!({"date": "2026-01-03", "odometer": "10", "description": "Dent fixed", "cost": "100"}),
            "description",
            "Dent fixed",
            "Repair Record",
        ),
        (
            "upgraderecords",
            json!({"date": "2026-01-03", "odometer": "10", "description": "Rims", "cost": "100"}),
            json!({"date": "2026-01-03", "odometer": "10", "description": "Rims", "cost": "120"}),
            "cost",
            "120",
            "Upgrade Record",
        ),
        (
            "gasrecords",
            json!({"date": "2026-01-03", "odometer": "1000", "fuelConsumed": "40", "cost": "60", "isFillToFull": "true", "missedFuelUp": "false"}),
            json!({"date": "2026-01-03", "odometer": "1000", "fuelConsumed": "42.5", "cost": "60", "isFillToFull": true, "missedFuelUp": false}),
            "fuelConsumed",
            "42.5",
            "Gas Record",
        ),
        (
            "taxrecords",
            json!({"date": "2026-01-03", "description": "Registration", "cost": "80"}),
            json!({"date": "2026-01-03", "description": "Insurance", "cost": "80"}),
            "description",
            "Insurance",
            "Tax Record",
        ),
        (
            "supplyrecords",
            json!({"date": "2026-01-03", "description": "Oil filter", "partNumber": "OF-1", "partSupplier": "Shop", "partQuantity": "2", "cost": "20"}),
            json!({"date": "2026-01-03", "description": "Oil filter", "partQuantity": "3", "cost": "20"}),
            "partQuantity",
            "3",
            "Supply Record",
        ),
        (
            "odometerrecords",
            json!({"date": "2026-01-03", "odometer": "5000"}),
            json!({"date": "2026-01-03", "initialOdometer": "4000", "odometer": "5100"}),
            "initialOdometer",
            "4000",
            "Odometer Record",
        ),
        (
            "planrecords",
            json!({"description": "Timing belt", "cost": "300", "type": "ServiceRecord", "priority": "Critical", "progress": "Backlog"}),
            json!({"description": "Timing belt", "cost": "300", "type": "RepairRecord", "priority": "Low", "progress": "InProgress"}),
            "progress",
            "InProgress",
            "Plan Record",
        ),
        (
            "reminders",
            json!({"description": "Inspection", "metric": "Odometer", "dueOdometer": "90000"}),
            json!({"description": "Inspection", "metric": "Odometer", "dueOdometer": "95000", "notes": "n"}),
            "dueOdometer",
            "95000",
            "Reminder Record",
        ),
        (
            "notes",
            json!({"description": "Tyres", "noteText": "Winter", "pinned": "true"}),
            json!({"description": "Tyres", "noteText": "Summer"}),
            "noteText",
            "Summer",
            "Note",
        ),
        (
            "equipmentrecords",
            json!({"description": "Roof box", "isEquipped": "false"}),
            json!({"description": "Roof box", "isEquipped": "true"}),
            "isEquipped",
            "True",
            "Equipment Record",
        ),
    ];
    for (rec, add, change, field, value, noun) in cases {
        let r = send_json(
            &app,
            Method::POST,
            &format!("/api/vehicle/{rec}/add?vehicleId={v}"),
            &add,
        )
        .await;
        assert_eq!(r.status, 200, "{rec}: {}", r.text);
        assert_eq!(r.body["message"], format!("{noun} Added"), "{rec}");
        let id = r.body["additionalData"]["recordId"].as_i64().unwrap();
        let listed = get(&app, &format!("/api/vehicle/{rec}?vehicleId={v}")).await;
        assert_eq!(
            listed.body.as_array().unwrap().len(),
            1,
            "{rec}: {}",
            listed.text
        );
        assert_eq!(listed.body[0]["id"], id.to_string(), "{rec}");
        let all = get(&app, &format!("/api/vehicle/{rec}/all")).await;
        assert_eq!(all.body.as_array().unwrap().len(), 1, "{rec}");

        let mut change = change;
        change["id"] = json!(id);
        let r = send_json(
            &app,
            Method::PUT,
            &format!("/api/vehicle/{rec}/update"),
            &change,
        )
        .await;
        assert_eq!(r.status, 200, "{rec}: {}", r.text);
        assert_eq!(r.body["message"], format!("{noun} Updated"), "{rec}");
        let listed = get(&app, &format!("/api/vehicle/{rec}?vehicleId={v}")).await;
        assert_eq!(listed.body[0][field], value, "{rec}: {}", listed.text);

        let r = call(
            &app,
            Method::DELETE,
            &format!("/api/vehicle/{rec}/delete?id={id}"),
            None,
            "",
            &[],
        )
        .await;
        assert_eq!(
            r.body["message"],
            format!("{noun} Deleted"),
            "{rec}: {}",
            r.text
        );
        let listed = get(&app, &format!("/api/vehicle/{rec}?vehicleId={v}")).await;
        assert_eq!(listed.text, "[]", "{rec}");
    }

    // Exact models of the kinds with their own shapes.
    let add = |rec: &str, body: Value| {
        let app = &app;
        let path = format!("/api/vehicle/{rec}/add?vehicleId={v}");
        async move {
            let r = send_json(app, Method::POST, &path, &body).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.body["additionalData"]["recordId"].as_i64().unwrap()
        }
    };
    let g1 = add("gasrecords", json!({"date": "2026-01-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60, "isFillToFull": true, "missedFuelUp": false})).await;
    let g2 = add("gasrecords", json!({"date": "2026-01-10", "odometer": 1500, "fuelConsumed": 40, "cost": 62, "isFillToFull": true, "missedFuelUp": false, "tags": "trip"})).await;
    let r = get(&app, &format!("/api/vehicle/gasrecords?vehicleId={v}")).await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{g1}","date":"1/1/2026","odometer":"1000","fuelConsumed":"40","cost":"60","fuelEconomy":"0","isFillToFull":"True","missedFuelUp":"False","notes":"","tags":"","extraFields":[],"files":[]}},{{"vehicleId":"{v}","id":"{g2}","date":"1/10/2026","odometer":"1500","fuelConsumed":"40","cost":"62","fuelEconomy":"8","isFillToFull":"True","missedFuelUp":"False","notes":"","tags":"trip","extraFields":[],"files":[]}}]"#
        )
    );
    let r = get_invariant(
        &app,
        &format!("/api/vehicle/gasrecords?vehicleId={v}&useMPG=true&id={g2}"),
    )
    .await;
    assert_eq!(r.body[0]["fuelEconomy"], 12.5);

    let s = add("supplyrecords", json!({"date": "2026-01-03", "description": "Oil", "partNumber": "5W30", "partSupplier": "Shop", "partQuantity": 4.5, "cost": 36})).await;
    let r = get(&app, &format!("/api/vehicle/supplyrecords?vehicleId={v}")).await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{s}","date":"1/3/2026 12:00:00 AM","partNumber":"5W30","partSupplier":"Shop","partQuantity":"4.5","description":"Oil","cost":"36","notes":"","tags":"","extraFields":[],"files":[]}}]"#
        )
    );
    // Shop supplies: vehicleId 0.
    let r = send_json(
        &app,
        Method::POST,
        "/api/vehicle/supplyrecords/add?vehicleId=0",
        &json!({"date": "2026-01-03", "description": "Rags", "partQuantity": 10, "cost": 5}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = get(&app, "/api/vehicle/supplyrecords?vehicleId=0").await;
    assert_eq!(r.body[0]["vehicleId"], "0");
    assert_eq!(
        get(&app, "/api/vehicle/supplyrecords/all")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let p = add("planrecords", json!({"description": "Belt", "notes": "n", "cost": "300", "type": "UpgradeRecord", "priority": "Normal", "progress": "Testing"})).await;
    let today = chrono::Utc::now().date_naive();
    let d = today.format("%-m/%-d/%Y");
    let r = get(&app, &format!("/api/vehicle/planrecords?vehicleId={v}")).await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{p}","dateCreated":"{d}","dateModified":"{d}","description":"Belt","notes":"n","type":"UpgradeRecord","priority":"Normal","progress":"Testing","cost":"300","extraFields":[],"files":[]}}]"#
        )
    );
    let r = send_json(&app, Method::POST, &format!("/api/vehicle/planrecords/add?vehicleId={v}"), &json!({"description": "x", "cost": "1", "type": "ServiceRecord", "priority": "Low", "progress": "Done"})).await;
    assert_eq!(r.status, 400);

    // No odometer records yet: the add stores 0 as the initial reading (reference §3.3), and
    // the GET, seeing only zero initial readings, chains and saves them.
    let o = add(
        "odometerrecords",
        json!({"date": "2026-01-05", "odometer": 6000, "notes": "read"}),
    )
    .await;
    let r = get(&app, &format!("/api/vehicle/odometerrecords?vehicleId={v}")).await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{o}","date":"1/5/2026","initialOdometer":"6000","odometer":"6000","notes":"read","tags":"","extraFields":[],"files":[],"equipmentRecordId":""}}]"#
        )
    );
    let r = call(
        &app,
        Method::PUT,
        &format!("/api/vehicle/odometerrecords/recalculate?vehicleId={v}"),
        None,
        "",
        &[],
    )
    .await;
    assert_eq!(
        r.text,
        r#"{"success":true,"message":"Odometer Records Adjusted(1)"}"#
    );

    let far = (today + chrono::Duration::days(400))
        .format("%Y-%m-%d")
        .to_string();
    let rem = add(
        "reminders",
        json!({"description": "Inspect", "metric": "Date", "dueDate": far, "tags": "legal"}),
    )
    .await;
    let r = get(
        &app,
        &format!("/api/vehicle/reminders?vehicleId={v}&urgencies=NotUrgent"),
    )
    .await;
    assert_eq!(r.body[0]["id"], rem.to_string(), "{}", r.text);
    assert_eq!(r.body[0]["urgency"], "NotUrgent");
    assert_eq!(r.body[0]["metric"], "Date");
    // Judged against now with its time of day, so 400 days ahead is 399 whole days (§3.2).
    assert_eq!(r.body[0]["dueDays"], "399");
    let keys: Vec<&String> = r.body[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 12);
    let r = get(
        &app,
        &format!("/api/vehicle/reminders?vehicleId={v}&urgencies=PastDue&urgencies=Urgent"),
    )
    .await;
    assert_eq!(r.text, "[]");
    // A due value its metric needs that does not parse: 200 with success false.
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/reminders/add?vehicleId={v}"),
        &json!({"description": "x", "metric": "Date", "dueDate": "someday"}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["success"], false);

    let n = add(
        "notes",
        json!({"description": "Tyres", "noteText": "Winter", "pinned": true}),
    )
    .await;
    let r = get(&app, &format!("/api/vehicle/notes?vehicleId={v}")).await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":"{v}","id":"{n}","description":"Tyres","noteText":"Winter","pinned":"True","tags":"","extraFields":[],"files":[]}}]"#
        )
    );
    // Files: a link attached through the native API shows with its address.
    let r = app
        .post(
            &format!("/api/v1/vehicles/{v}/notes/{n}/attachments/links"),
            &json!({"name": "Manual", "url": "https://example.com/manual.pdf"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = get(&app, &format!("/api/vehicle/notes?vehicleId={v}")).await;
    assert!(
        r.text.contains(
            r#""files":[{"name":"Manual","location":"https://example.com/manual.pdf","isPending":false}]"#
        ),
        "{}",
        r.text
    );
    // The reminder is the vehicle's next one.
    let r = get_invariant(&app, &format!("/api/vehicle/info?vehicleId={v}")).await;
    assert_eq!(r.body[0]["nextReminder"]["id"], rem, "{}", r.text);
    assert_eq!(r.body[0]["nextReminder"]["dueDate"], far);
    assert_eq!(r.body[0]["notUrgentReminderCount"], 1);
    let e = add(
        "equipmentrecords",
        json!({"description": "Roof box", "isEquipped": true}),
    )
    .await;
    let r = get_invariant(
        &app,
        &format!("/api/vehicle/equipmentrecords?vehicleId={v}"),
    )
    .await;
    assert_eq!(
        r.text,
        format!(
            r#"[{{"vehicleId":{v},"id":{e},"description":"Roof box","isEquipped":true,"distanceTraveled":0,"notes":"","tags":"","extraFields":[],"files":[]}}]"#
        )
    );
    // autoIncludeEquipment links the equipped item.
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/odometerrecords/add?vehicleId={v}&autoIncludeEquipment=true"),
        &json!({"date": "2026-01-06", "odometer": 6100}),
    )
    .await;
    let o2 = r.body["additionalData"]["recordId"].as_i64().unwrap();
    let r = get(
        &app,
        &format!("/api/vehicle/odometerrecords?vehicleId={v}&id={o2}"),
    )
    .await;
    assert_eq!(r.body[0]["equipmentRecordId"], e.to_string());
    assert_eq!(r.body[0]["initialOdometer"], "6000");
}

#[actix_web::test]
async fn german_server_culture_reads_and_writes_its_formats() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(env, &[("MOTOVAULT__COMPAT__LOCALE", "de-DE")]).await;
    app.setup_root().await;
    no_auto_odometer(&app).await;
    let v = app.add_vehicle("Opel").await;

    let r = send_form(
        &app,
        Method::POST,
        &format!("/api/vehicle/gasrecords/add?vehicleId={v}"),
        "date=03.01.2026&odometer=1000&fuelConsumed=40,5&cost=1.234,56&isFillToFull=True&missedFuelUp=False",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // "12.34" is 1234 on a comma-decimal server, as in LubeLogger.
    let r = send_json(
        &app,
        Method::POST,
        &format!("/api/vehicle/taxrecords/add?vehicleId={v}"),
        &json!({"date": "2026-01-04", "description": "Steuer", "cost": "12.34"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let r = get(&app, &format!("/api/vehicle/gasrecords?vehicleId={v}")).await;
    assert_eq!(r.body[0]["date"], "03.01.2026");
    assert_eq!(r.body[0]["fuelConsumed"], "40,5");
    assert_eq!(r.body[0]["cost"], "1234,56");
    let r = get(&app, &format!("/api/vehicle/taxrecords?vehicleId={v}")).await;
    assert_eq!(r.body[0]["cost"], "1234");
    assert_eq!(r.body[0]["date"], "04.01.2026");
    let r = get_invariant(&app, &format!("/api/vehicle/gasrecords?vehicleId={v}")).await;
    assert_eq!(r.body[0]["cost"], 1234.56);
    assert_eq!(r.body[0]["date"], "2026-01-03");
    let r = get(&app, "/api/info").await;
    assert_eq!(r.body["decimalSeparator"], ",");
    assert_eq!(r.body["dateFormat"], "dd.MM.yyyy");
    // Date filters read the culture too.
    let r = get(
        &app,
        &format!("/api/vehicle/gasrecords?vehicleId={v}&startDate=04.01.2026"),
    )
    .await;
    assert_eq!(r.text, "[]");
}

#[actix_web::test]
async fn compat_routes_stay_out_of_the_openapi_document() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let doc = app.get("/api/v1/openapi.json").await;
    let paths = doc.body["paths"].as_object().unwrap();
    for (_, path) in ROUTES {
        assert!(!paths.contains_key(*path), "{path}");
    }
    assert!(paths.keys().all(|p| p.starts_with("/api/v1/")));
}

#[actix_web::test]
async fn an_unknown_server_culture_stops_start_up() {
    let env = TestEnv::new().await;
    let bad = motovault_api::Settings::load_from(
        None,
        vec![("MOTOVAULT__COMPAT__LOCALE".to_owned(), "xx-XX".to_owned())],
    );
    assert!(bad.unwrap_err().to_string().contains("compat.locale"));
    let good = env.settings(&[("MOTOVAULT__COMPAT__LOCALE", "sv_SE")]);
    assert_eq!(good.compat.locale, "sv_SE");
    assert!(!good.compat.invariant);
}

#[actix_web::test]
async fn the_invariant_setting_types_every_answer() {
    let env = TestEnv::new().await;
    let mut app = TestApp::spawn_in(env, &[("MOTOVAULT__COMPAT__INVARIANT", "true")]).await;
    app.setup_root().await;
    let r = get(&app, "/api/whoami").await;
    assert_eq!(
        r.text,
        r#"{"username":"root","emailAddress":"root@example.com","isAdmin":true,"isRoot":true}"#
    );
}

#[actix_web::test]
async fn the_api_page_lists_the_endpoints_for_signed_in_callers() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let page = get(&app, "/api").await;
    assert_eq!(page.status, 200);
    let content_type = page.headers.get("content-type").unwrap().to_str().unwrap();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.text.contains("<code>/api/vehicle/{rec}/add</code>"));
    assert!(page.text.contains("<code>/api/calendar</code>"));
    let stranger = anonymous(&app, Method::GET, "/api", None, "", &[]).await;
    assert_eq!(stranger.status, 401);
    assert_eq!(stranger.headers.get("www-authenticate").unwrap(), "Basic");
}
