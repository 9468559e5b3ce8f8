//! `motovault import lubelogger` against a stand-in LubeLogger built from reference §4: an
//! actix-web server on a free port with Basic and `x-api-key` auth, all-string output in the
//! server culture by default and typed output for the `culture-invariant` header (or, to prove
//! the string parsing, ignoring that header), seeded with every record kind and quirk.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use motovault_api::import::lubelogger::{self, Auth, Kind, Options};
use serde_json::{Value, json};

use crate::helpers::TestApp;

const API_KEY: &str = "0123456789abcdef0123456789abcdef";
const USER: &str = "admin";
const PASSWORD: &str = "lube pass";
const RECEIPT: &[u8] = b"%PDF-1.4 receipt of service 101";
const SPEC: &[u8] = b"%PDF-1.4 oil filter spec sheet";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR civic picture";

// ------------------------------------------------------------------ the stand-in

#[derive(Clone, Copy, PartialEq)]
enum Culture {
    EnUs,
    DeDe,
}

struct Stand {
    culture: Culture,
    /// Answer all-string output even when the client asks for invariant output (old servers).
    ignore_invariant: bool,
    /// `/api/vehicles` answers 503 this many times first.
    failures: AtomicU32,
}

/// How values are written: typed (invariant) or strings in the culture.
struct Fmt {
    culture: Culture,
    typed: bool,
}

impl Fmt {
    fn int(&self, v: i64) -> Value {
        if self.typed {
            json!(v)
        } else {
            json!(v.to_string())
        }
    }

    fn dec(&self, v: &str) -> Value {
        if self.typed {
            json!(v.parse::<f64>().unwrap())
        } else if self.culture == Culture::DeDe {
            json!(v.replace('.', ","))
        } else {
            json!(v)
        }
    }

    fn bool(&self, v: bool) -> Value {
        if self.typed {
            json!(v)
        } else if v {
            json!("True")
        } else {
            json!("False")
        }
    }

    /// The culture's short date (also used for the vehicle's stored string dates).
    fn short(&self, (y, m, d): (i32, u32, u32)) -> String {
        match self.culture {
            Culture::EnUs => format!("{m}/{d}/{y}"),
            Culture::DeDe => format!("{d}.{m}.{y}"),
        }
    }

    fn date(&self, ymd: (i32, u32, u32)) -> Value {
        if self.typed {
            json!(format!("{:04}-{:02}-{:02}", ymd.0, ymd.1, ymd.2))
        } else {
            json!(self.short(ymd))
        }
    }

    /// Supply `date` is `ToString()`: date and time.
    fn date_time(&self, ymd: (i32, u32, u32)) -> Value {
        if self.typed {
            return self.date(ymd);
        }
        match self.culture {
            Culture::EnUs => json!(format!("{} 12:00:00 AM", self.short(ymd))),
            Culture::DeDe => json!(format!("{} 00:00:00", self.short(ymd))),
        }
    }

    fn extra(&self, pairs: &[(&str, &str)]) -> Value {
        Value::Array(
            pairs
                .iter()
                .map(|(n, v)| {
                    json!({"name": n, "value": v, "isRequired": self.bool(false), "fieldType": self.int(0)})
                })
                .collect(),
        )
    }

    fn files(&self, pairs: &[(&str, &str)]) -> Value {
        Value::Array(
            pairs
                .iter()
                .map(|(n, l)| json!({"name": n, "location": l, "isPending": self.bool(false)}))
                .collect(),
        )
    }
}

fn vehicles(f: &Fmt) -> Value {
    let adjust = |v: &str| {
        if f.typed {
            json!(v.parse::<f64>().unwrap())
        } else {
            json!(v)
        }
    };
    json!([
        {"id": 11, "imageLocation": "/images/civic.png", "mapLocation": "", "year": 2018,
         "make": "Honda", "model": "Civic", "licensePlate": "ABC-123",
         "purchaseDate": f.short((2018, 3, 15)), "soldDate": "", "purchasePrice": 18500.0,
         "soldPrice": 0, "isElectric": false, "isDiesel": false, "useHours": false,
         "odometerOptional": false, "extraFields": f.extra(&[("VIN", "1HGCM82633A004352")]),
         "tags": ["daily", "family"], "hasOdometerAdjustment": false,
         "odometerMultiplier": adjust("1"), "odometerDifference": adjust("0"),
         "dashboardMetrics": [0], "vehicleIdentifier": "LicensePlate"},
        {"id": 12, "imageLocation": "/defaults/noimage.png", "mapLocation": "", "year": 2021,
         "make": "Tesla", "model": "Model 3", "licensePlate": "EV-42",
         "purchaseDate": f.short((2021, 4, 1)), "soldDate": f.short((2025, 6, 30)),
         "purchasePrice": 42000, "soldPrice": 31000.5, "isElectric": true, "isDiesel": false,
         "useHours": false, "odometerOptional": false, "extraFields": [], "tags": [],
         "hasOdometerAdjustment": false, "odometerMultiplier": adjust("1"),
         "odometerDifference": adjust("0"), "dashboardMetrics": [], "vehicleIdentifier": "LicensePlate"}
    ])
}

fn extra_fields() -> Value {
    json!([
        {"recordType": "ServiceRecord", "extraFields": [{"name": "Shop", "isRequired": false, "fieldType": "Text"}]},
        {"recordType": "GasRecord", "extraFields": [{"name": "Octane", "isRequired": false, "fieldType": "Number"}]},
        {"recordType": "VehicleRecord", "extraFields": [{"name": "VIN", "isRequired": true, "fieldType": "Text"}]},
        {"recordType": "RepairRecord", "extraFields": []}
    ])
}

#[allow(clippy::too_many_arguments)]
fn generic(
    f: &Fmt,
    v: i64,
    id: i64,
    date: (i32, u32, u32),
    odo: i64,
    desc: &str,
    cost: &str,
) -> Value {
    json!({"vehicleId": f.int(v), "id": f.int(id), "date": f.date(date), "odometer": f.int(odo),
           "description": desc, "notes": "", "cost": f.dec(cost), "tags": "",
           "extraFields": [], "files": []})
}

const ENDPOINTS: &[&str] = &[
    "servicerecords",
    "repairrecords",
    "upgraderecords",
    "gasrecords",
    "taxrecords",
    "odometerrecords",
    "equipmentrecords",
    "supplyrecords",
    "planrecords",
    "reminders",
    "notes",
];

fn records(f: &Fmt, endpoint: &str, v: i64) -> Option<Value> {
    let list = match (endpoint, v) {
        ("servicerecords", 11) => {
            let mut r = generic(f, 11, 101, (2026, 1, 3), 45200, "Oil change", "89.95");
            r["notes"] = json!("5W-30");
            r["tags"] = json!("oil engine");
            r["extraFields"] = f.extra(&[("Shop", "Bob's Garage")]);
            r["files"] = f.files(&[
                ("receipt.pdf", "/documents/receipt-101.pdf"),
                ("Brake job", "::RepairRecord:201"),
                ("Manual", "https://example.com/manual"),
            ]);
            vec![r]
        }
        ("servicerecords", 12) => vec![generic(
            f,
            12,
            111,
            (2025, 5, 5),
            15000,
            "Tyre rotation",
            "0",
        )],
        ("repairrecords", 11) => vec![generic(
            f,
            11,
            201,
            (2025, 11, 20),
            44100,
            "Brake pads",
            "240.00",
        )],
        ("upgraderecords", 11) => {
            let mut r = generic(f, 11, 301, (2025, 6, 1), 40000, "Roof box", "399.99");
            r["tags"] = json!("travel");
            vec![r]
        }
        ("gasrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(501), "date": f.date((2025, 12, 1)),
                   "odometer": f.int(44800), "fuelConsumed": f.dec("40.123"), "cost": f.dec("61.50"),
                   "fuelEconomy": f.dec("0"), "isFillToFull": f.bool(true), "missedFuelUp": f.bool(false),
                   "notes": "", "tags": "", "extraFields": f.extra(&[("Octane", "95")]), "files": []}),
            json!({"vehicleId": f.int(11), "id": f.int(502), "date": f.date((2025, 12, 15)),
                   "odometer": f.int(45300), "fuelConsumed": f.dec("35.5"), "cost": f.dec("55.25"),
                   "fuelEconomy": f.dec("0"), "isFillToFull": f.bool(false), "missedFuelUp": f.bool(true),
                   "notes": "partial", "tags": "", "extraFields": [], "files": []}),
        ],
        ("gasrecords", 12) => vec![
            json!({"vehicleId": f.int(12), "id": f.int(511), "date": f.date((2025, 2, 2)),
                   "odometer": f.int(12000), "fuelConsumed": f.dec("55.5"), "cost": f.dec("18.35"),
                   "fuelEconomy": f.dec("0"), "isFillToFull": f.bool(true), "missedFuelUp": f.bool(false),
                   "notes": "", "tags": "home", "extraFields": [], "files": []}),
        ],
        ("taxrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(601), "date": f.date((2025, 3, 1)),
                   "description": "Registration", "notes": "yearly", "cost": f.dec("120.00"),
                   "tags": "", "extraFields": [], "files": []}),
        ],
        ("odometerrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(701), "date": f.date((2025, 12, 20)),
                   "initialOdometer": f.int(45300), "odometer": f.int(45400), "notes": "trip",
                   "tags": "", "extraFields": [], "files": [], "equipmentRecordId": "401 402"}),
            json!({"vehicleId": f.int(11), "id": f.int(702), "date": f.date((2026, 1, 5)),
                   "initialOdometer": f.int(45400), "odometer": f.int(45500), "notes": "",
                   "tags": "", "extraFields": [], "files": [], "equipmentRecordId": ""}),
        ],
        ("equipmentrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(401), "description": "Winter tyres",
                   "isEquipped": f.bool(true), "distanceTraveled": f.int(100), "notes": "",
                   "tags": "tyres", "extraFields": [], "files": []}),
            json!({"vehicleId": f.int(11), "id": f.int(402), "description": "Bike rack",
                   "isEquipped": f.bool(false), "distanceTraveled": f.int(100), "notes": "",
                   "tags": "", "extraFields": [], "files": []}),
        ],
        ("supplyrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(801), "date": f.date_time((2025, 10, 10)),
                   "partNumber": "OF-123", "partSupplier": "ACME", "partQuantity": f.dec("2"),
                   "description": "Oil filter", "cost": f.dec("25.80"), "notes": "",
                   "tags": "", "extraFields": [], "files": f.files(&[("spec.pdf", "/documents/spec-801.pdf")])}),
        ],
        ("supplyrecords", 0) => vec![
            json!({"vehicleId": f.int(0), "id": f.int(851), "date": f.date_time((2025, 9, 9)),
                   "partNumber": "BC-1", "partSupplier": "ACME", "partQuantity": f.dec("6"),
                   "description": "Brake cleaner", "cost": f.dec("35.94"), "notes": "shelf 2",
                   "tags": "", "extraFields": [], "files": []}),
        ],
        ("planrecords", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(901), "dateCreated": f.date((2025, 12, 1)),
                   "dateModified": f.date((2025, 12, 2)), "description": "Replace wipers",
                   "notes": "front", "type": "RepairRecord", "priority": "Critical",
                   "progress": "InProgress", "cost": f.dec("30.00"), "extraFields": [], "files": []}),
        ],
        ("reminders", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(1001), "description": "Annual inspection",
                   "urgency": "NotUrgent", "metric": "Date", "userMetric": "Date", "notes": "",
                   "dueDate": f.date((2026, 9, 1)), "dueOdometer": f.int(0), "dueDays": f.int(200),
                   "dueDistance": f.int(0), "tags": "legal"}),
            // `metric` is the one that matched the urgency; `userMetric` is the configured one.
            json!({"vehicleId": f.int(11), "id": f.int(1002), "description": "Timing belt",
                   "urgency": "NotUrgent", "metric": "Odometer", "userMetric": "Odometer",
                   "notes": "", "dueDate": f.date((2026, 1, 1)), "dueOdometer": f.int(90000),
                   "dueDays": f.int(0), "dueDistance": f.int(44500), "tags": ""}),
            json!({"vehicleId": f.int(11), "id": f.int(1003), "description": "Coolant",
                   "urgency": "Urgent", "metric": "Date", "userMetric": "Both", "notes": "",
                   "dueDate": f.date((2026, 12, 31)), "dueOdometer": f.int(60000),
                   "dueDays": f.int(300), "dueDistance": f.int(14500), "tags": ""}),
        ],
        ("notes", 11) => vec![
            json!({"vehicleId": f.int(11), "id": f.int(1101), "description": "Tyre sizes",
                   "noteText": "205/55 R16", "pinned": f.bool(true), "tags": "", "extraFields": [], "files": []}),
        ],
        (e, 11 | 12) if ENDPOINTS.contains(&e) => vec![],
        _ => return None,
    };
    Some(Value::Array(list))
}

fn authorized(req: &HttpRequest) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(basic) = header("authorization") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim_start_matches("Basic "))
            .unwrap_or_default();
        return String::from_utf8_lossy(&decoded) == format!("{USER}:{PASSWORD}");
    }
    header("x-api-key") == Some(API_KEY)
}

async fn serve(req: HttpRequest, stand: web::Data<Arc<Stand>>) -> HttpResponse {
    if !authorized(&req) {
        return HttpResponse::Unauthorized()
            .insert_header(("WWW-Authenticate", "Basic"))
            .finish();
    }
    let f = Fmt {
        culture: stand.culture,
        typed: req.headers().contains_key("culture-invariant") && !stand.ignore_invariant,
    };
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .map(|q| q.into_inner())
            .unwrap_or_default();
    let path = req.path();
    let body = match path {
        "/api/info" => match stand.culture {
            Culture::EnUs => json!({"currentVersion": "1.6.8", "locale": "en-US",
                "currencySymbol": "$", "decimalSeparator": ".", "dateFormat": "M/d/yyyy"}),
            Culture::DeDe => json!({"currentVersion": "1.6.8", "locale": "de-DE",
                "currencySymbol": "€", "decimalSeparator": ",", "dateFormat": "dd.MM.yyyy"}),
        },
        "/api/vehicles" => {
            if stand
                .failures
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return HttpResponse::ServiceUnavailable().finish();
            }
            vehicles(&f)
        }
        "/api/extrafields" => extra_fields(),
        "/documents/receipt-101.pdf" => return HttpResponse::Ok().body(RECEIPT),
        "/documents/spec-801.pdf" => return HttpResponse::Ok().body(SPEC),
        "/images/civic.png" => return HttpResponse::Ok().body(PNG),
        _ => {
            let Some(endpoint) = path.strip_prefix("/api/vehicle/") else {
                return HttpResponse::NotFound().finish();
            };
            let Some(vehicle) = query.get("vehicleId").and_then(|v| v.parse().ok()) else {
                return HttpResponse::BadRequest()
                    .json(json!({"success": false, "message": "Must provide a valid vehicle id"}));
            };
            match records(&f, endpoint, vehicle) {
                Some(list) => list,
                None => return HttpResponse::NotFound().finish(),
            }
        }
    };
    HttpResponse::Ok().json(body)
}

/// Starts the stand-in on a free port; returns its base URL.
fn stand_in(culture: Culture, ignore_invariant: bool, failures: u32) -> String {
    let stand = Arc::new(Stand {
        culture,
        ignore_invariant,
        failures: AtomicU32::new(failures),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(stand.clone()))
            .default_service(web::to(serve))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    format!("http://127.0.0.1:{port}/")
}

// ------------------------------------------------------------------ helpers

async fn import(app: &TestApp, url: &str, auth: Auth) -> lubelogger::Report {
    let settings = app.env.settings(&[]);
    let objects = motovault_api::infra::objects::from_settings(&settings).unwrap();
    let options = Options {
        url: url.to_owned(),
        auth,
        owner: None,
    };
    let client = lubelogger::Client::new(url, options.auth.clone())
        .unwrap()
        .with_backoff(std::time::Duration::from_millis(10));
    lubelogger::run_with(
        &app.db,
        objects.as_ref(),
        settings.attachments.max_bytes,
        &options,
        client,
    )
    .await
    .unwrap()
}

fn by<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    let items = list
        .as_array()
        .unwrap_or_else(|| list["records"].as_array().unwrap());
    items
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// A download's raw bytes (the helpers' `Reply` keeps only text).
async fn bytes(app: &TestApp, path: &str) -> Vec<u8> {
    let mut res = awc::Client::default()
        .get(format!("{}{path}", app.address))
        .insert_header(("cookie", app.cookie.clone().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.body().await.unwrap().to_vec()
}

/// What every run must find in the source.
const SOURCE: &[(Kind, u64)] = &[
    (Kind::ExtraField, 3),
    (Kind::Vehicle, 2),
    (Kind::VehicleImage, 1),
    (Kind::Equipment, 2),
    (Kind::Service, 2),
    (Kind::Repair, 1),
    (Kind::Upgrade, 1),
    (Kind::Fuel, 3),
    (Kind::Tax, 1),
    (Kind::Odometer, 2),
    (Kind::Supply, 2),
    (Kind::Plan, 1),
    (Kind::Reminder, 3),
    (Kind::Note, 1),
    (Kind::Attachment, 4),
];

fn assert_counts(report: &lubelogger::Report, first_run: bool) {
    assert!(report.is_complete(), "{}", report.table());
    for (kind, n) in SOURCE {
        let c = report.count(*kind);
        assert_eq!(c.source, *n, "{kind:?} source\n{}", report.table());
        assert_eq!(c.result, *n, "{kind:?} result");
        if first_run {
            assert_eq!((c.imported, c.present), (*n, 0), "{kind:?}");
        } else {
            assert_eq!((c.imported, c.present), (0, *n), "{kind:?}");
        }
    }
    assert_eq!(report.counts.len(), SOURCE.len(), "{}", report.table());
}

/// Everything of the seed, read back through `/api/v1`.
async fn assert_imported(app: &TestApp) {
    let vehicles = app.get("/api/v1/vehicles").await.body;
    assert_eq!(vehicles.as_array().unwrap().len(), 2, "{vehicles}");
    let civic = by(&vehicles, "make", "Honda");
    assert_eq!(civic["year"], 2018);
    assert_eq!(civic["licensePlate"], "ABC-123");
    assert_eq!(civic["fuelType"], "gasoline");
    assert_eq!(civic["purchaseDate"], "2018-03-15");
    assert_eq!(civic["purchasePrice"], 18500.0);
    assert_eq!(civic["tags"], json!(["daily", "family"]));
    let tesla = by(&vehicles, "make", "Tesla");
    assert_eq!(tesla["fuelType"], "electric");
    assert_eq!(tesla["soldDate"], "2025-06-30");
    assert_eq!(tesla["soldPrice"], 31000.5);
    assert_eq!(tesla["purchasePrice"], 42000.0);
    let c = civic["id"].as_i64().unwrap();
    let t = tesla["id"].as_i64().unwrap();
    let v = format!("/api/v1/vehicles/{c}");

    assert_eq!(bytes(app, &format!("{v}/image")).await, PNG);
    assert_eq!(
        app.get(&format!("/api/v1/vehicles/{t}/image")).await.status,
        404
    );
    let vin = app.get(&format!("{v}/extra-fields")).await.body;
    assert_eq!(
        by(&vin["fields"], "name", "VIN")["value"],
        "1HGCM82633A004352"
    );

    let templates = app.get("/api/v1/extra-fields").await.body;
    let template = |rt: &str| by(&templates["templates"], "recordType", rt)["fields"].clone();
    assert_eq!(template("service")[0]["name"], "Shop");
    assert_eq!(template("fuel")[0]["fieldType"], "number");
    assert_eq!(template("vehicle")[0]["isRequired"], true);

    let service = app.get(&format!("{v}/service-records")).await.body;
    assert_eq!(service["records"].as_array().unwrap().len(), 1);
    assert_eq!(service["totalCost"], 89.95);
    let oil = by(&service, "description", "Oil change");
    assert_eq!(oil["date"], "2026-01-03");
    assert_eq!(oil["odometer"], 45200);
    assert_eq!(oil["cost"], 89.95);
    assert_eq!(oil["notes"], "5W-30");
    assert_eq!(oil["tags"], json!(["oil", "engine"]));
    let oil_path = format!("{v}/service-records/{}", oil["id"]);
    let shop = app.get(&format!("{oil_path}/extra-fields")).await.body;
    assert_eq!(by(&shop["fields"], "name", "Shop")["value"], "Bob's Garage");

    let repair = app.get(&format!("{v}/repair-records")).await.body;
    let brakes = by(&repair, "description", "Brake pads");
    assert_eq!(
        (brakes["cost"].clone(), brakes["date"].clone()),
        (json!(240.0), json!("2025-11-20"))
    );
    let upgrade = app.get(&format!("{v}/upgrade-records")).await.body;
    assert_eq!(by(&upgrade, "description", "Roof box")["cost"], 399.99);
    assert_eq!(
        by(&upgrade, "description", "Roof box")["tags"],
        json!(["travel"])
    );

    // Attachments: the file's bytes, the external link, the link to the imported repair record.
    let files = app.get(&format!("{oil_path}/attachments")).await.body;
    assert_eq!(files.as_array().unwrap().len(), 3, "{files}");
    let receipt = by(&files, "name", "receipt.pdf");
    assert_eq!(receipt["kind"], "file");
    assert_eq!(
        bytes(app, &format!("{oil_path}/attachments/{}", receipt["id"])).await,
        RECEIPT
    );
    assert_eq!(
        by(&files, "name", "Manual")["url"],
        "https://example.com/manual"
    );
    let link = by(&files, "name", "Brake job");
    assert_eq!(link["recordLink"]["recordType"], "repair-records");
    assert_eq!(link["recordLink"]["recordId"], brakes["id"]);

    let fuel = app.get(&format!("{v}/fuel-records")).await.body;
    let full = by(&fuel, "date", "2025-12-01");
    assert_eq!(full["odometer"], 44800);
    assert_eq!(full["fuelConsumed"], 40.123);
    assert_eq!(full["cost"], 61.5);
    assert_eq!(full["isFillToFull"], true);
    let missed = by(&fuel, "date", "2025-12-15");
    assert_eq!(
        (
            missed["isFillToFull"].clone(),
            missed["missedFuelUp"].clone()
        ),
        (json!(false), json!(true))
    );
    assert_eq!(missed["cost"], 55.25);
    let octane = app
        .get(&format!("{v}/fuel-records/{}/extra-fields", full["id"]))
        .await
        .body;
    assert_eq!(by(&octane["fields"], "name", "Octane")["value"], "95");
    let ev = app
        .get(&format!("/api/v1/vehicles/{t}/fuel-records"))
        .await
        .body;
    let charge = by(&ev, "date", "2025-02-02");
    assert_eq!(
        (charge["fuelConsumed"].clone(), charge["cost"].clone()),
        (json!(55.5), json!(18.35))
    );
    assert_eq!(charge["tags"], json!(["home"]));
    let ev_service = app
        .get(&format!("/api/v1/vehicles/{t}/service-records"))
        .await
        .body;
    assert_eq!(by(&ev_service, "description", "Tyre rotation")["cost"], 0.0);

    let tax = app.get(&format!("{v}/tax-records")).await.body;
    let reg = by(&tax, "description", "Registration");
    assert_eq!(
        (reg["cost"].clone(), reg["date"].clone()),
        (json!(120.0), json!("2025-03-01"))
    );
    assert_eq!(reg["isRecurring"], false);

    let equipment = app.get(&format!("{v}/equipment")).await.body;
    let tyres = by(&equipment, "description", "Winter tyres");
    assert_eq!(tyres["isEquipped"], true);
    let rack = by(&equipment, "description", "Bike rack");
    assert_eq!(rack["isEquipped"], false);
    let odometer = app.get(&format!("{v}/odometer-records")).await.body;
    let trip = by(&odometer, "date", "2025-12-20");
    assert_eq!(
        (trip["initialOdometer"].clone(), trip["odometer"].clone()),
        (json!(45300), json!(45400))
    );
    let mut linked: Vec<i64> = trip["equipmentIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect();
    linked.sort_unstable();
    let mut expected = vec![tyres["id"].as_i64().unwrap(), rack["id"].as_i64().unwrap()];
    expected.sort_unstable();
    assert_eq!(linked, expected);
    assert_eq!(
        by(&odometer, "date", "2026-01-05")["equipmentIds"],
        json!([])
    );

    let supplies = app.get(&format!("{v}/supplies")).await.body;
    let filter = by(&supplies, "description", "Oil filter");
    assert_eq!(filter["date"], "2025-10-10");
    assert_eq!(
        (filter["quantity"].clone(), filter["cost"].clone()),
        (json!(2.0), json!(25.8))
    );
    assert_eq!(
        (filter["partNumber"].clone(), filter["supplier"].clone()),
        (json!("OF-123"), json!("ACME"))
    );
    let spec_path = format!("{v}/supplies/{}/attachments", filter["id"]);
    let spec = app.get(&spec_path).await.body;
    let spec_id = by(&spec, "name", "spec.pdf")["id"].clone();
    assert_eq!(bytes(app, &format!("{spec_path}/{spec_id}")).await, SPEC);
    let shop = app.get("/api/v1/shop/supplies").await.body;
    let cleaner = by(&shop, "description", "Brake cleaner");
    assert_eq!(
        (cleaner["quantity"].clone(), cleaner["cost"].clone()),
        (json!(6.0), json!(35.94))
    );
    assert_eq!(cleaner["date"], "2025-09-09");
    assert_eq!(cleaner["vehicleId"], Value::Null);

    let plans = app.get(&format!("{v}/plans")).await.body;
    let wipers = by(&plans, "description", "Replace wipers");
    assert_eq!(wipers["recordKind"], "repair");
    assert_eq!(wipers["priority"], "critical");
    assert_eq!(wipers["progress"], "inProgress");
    assert_eq!(wipers["cost"], 30.0);

    let reminders = app.get(&format!("{v}/reminders")).await.body;
    let annual = by(&reminders, "description", "Annual inspection");
    assert_eq!(
        (annual["metric"].clone(), annual["dueDate"].clone()),
        (json!("date"), json!("2026-09-01"))
    );
    assert_eq!(annual["tags"], json!(["legal"]));
    let belt = by(&reminders, "description", "Timing belt");
    assert_eq!(
        (belt["metric"].clone(), belt["dueOdometer"].clone()),
        (json!("odometer"), json!(90000))
    );
    let coolant = by(&reminders, "description", "Coolant");
    assert_eq!(coolant["metric"], "both");
    assert_eq!(
        (coolant["dueDate"].clone(), coolant["dueOdometer"].clone()),
        (json!("2026-12-31"), json!(60000))
    );

    let notes = app.get(&format!("{v}/notes")).await.body;
    let sizes = by(&notes, "title", "Tyre sizes");
    assert_eq!(
        (sizes["body"].clone(), sizes["isPinned"].clone()),
        (json!("205/55 R16"), json!(true))
    );
}

// ------------------------------------------------------------------ tests

#[actix_web::test]
async fn imports_every_kind_from_a_typed_source_and_a_rerun_adds_nothing() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    // The first answer of /api/vehicles is a 503: the client retries.
    let url = stand_in(Culture::EnUs, false, 1);

    let first = import(&app, &url, Auth::ApiKey(API_KEY.into())).await;
    assert_counts(&first, true);
    assert!(first.skipped.is_empty(), "{:?}", first.skipped);
    assert_imported(&app).await;

    let second = import(&app, &url, Auth::ApiKey(API_KEY.into())).await;
    assert_counts(&second, false);
    assert_imported(&app).await;
    let service = app.get("/api/v1/vehicles").await.body;
    assert_eq!(service.as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn string_output_in_the_german_culture_is_parsed_by_the_binary() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let url = stand_in(Culture::DeDe, true, 0);

    let run = |url: String, dir: std::path::PathBuf, db: Option<String>| {
        actix_web::rt::task::spawn_blocking(move || {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_motovault"));
            cmd.args(["import", "lubelogger", "--url", &url, "--username", USER])
                .arg(format!("--password={PASSWORD}"))
                .env("MOTOVAULT__DATA_DIR", dir);
            if let Some(db) = db {
                cmd.env("MOTOVAULT__DATABASE__URL", db);
            }
            cmd.output().unwrap()
        })
    };
    let data = app.env.dir.join("data");
    let out = run(url.clone(), data.clone(), app.env.database_url.clone())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("vehicle 2018 Honda Civic (source #11): imported as #"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  service records: 1 in source, 1 imported, 0 already present"),
        "{stderr}"
    );
    let row = |kind: &str, n: u64, imported: u64, present: u64| {
        format!("{kind:<18} {n:>8} {imported:>9} {present:>9} {n:>8}\n")
    };
    assert!(stdout.contains(&row("fuel records", 3, 3, 0)), "{stdout}");
    assert!(stdout.contains(&row("attachments", 4, 4, 0)), "{stdout}");
    assert_imported(&app).await;

    let again = run(url, data, app.env.database_url.clone()).await.unwrap();
    let stdout = String::from_utf8_lossy(&again.stdout).into_owned();
    assert!(again.status.success(), "{stdout}");
    for (kind, n) in SOURCE {
        assert!(stdout.contains(&row(kind.label(), *n, 0, *n)), "{stdout}");
    }
    assert_imported(&app).await;
}

#[actix_web::test]
async fn refuses_before_setup_and_with_wrong_credentials() {
    let mut app = TestApp::spawn().await;
    let url = stand_in(Culture::EnUs, false, 0);
    let settings = app.env.settings(&[]);
    let objects = motovault_api::infra::objects::from_settings(&settings).unwrap();
    let options = |auth| Options {
        url: url.clone(),
        auth,
        owner: None,
    };

    let err = lubelogger::run(
        &app.db,
        objects.as_ref(),
        1 << 20,
        &options(Auth::ApiKey(API_KEY.into())),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("not set up yet"), "{err}");

    app.setup_root().await;
    let wrong = Auth::Basic {
        username: USER.into(),
        password: "nope".into(),
    };
    let err = lubelogger::run(&app.db, objects.as_ref(), 1 << 20, &options(wrong))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("refused these credentials"),
        "{err}"
    );
    let mut with_owner = options(Auth::ApiKey(API_KEY.into()));
    with_owner.owner = Some("nobody".into());
    let err = lubelogger::run(&app.db, objects.as_ref(), 1 << 20, &with_owner)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("no user named \"nobody\""),
        "{err}"
    );
    assert_eq!(app.get("/api/v1/vehicles").await.body, json!([]));
}
