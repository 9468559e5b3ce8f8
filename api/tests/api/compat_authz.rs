//! The authorization matrix of the LubeLogger-compatible API (reference §4.1 "Status codes",
//! §4.3): every endpoint × every kind of caller, each answering exactly the §4.1 outcome its
//! access gives, and a refused request changing nothing.
//!
//! The table is data: one [`Row`] per endpoint (method, path, query, body, what the owner
//! creates first, which [`Gate`] guards it) and one [`Actor`] per kind of caller ([`Who`]).
//! [`expected`] is the whole policy in one `match`. For every (row, actor) cell the runner
//! prepares fresh data, takes a fingerprint of everything a write could touch (the root's view
//! of every vehicle, the shared vehicle's eleven record lists and the temp files), sends the
//! request, classifies the answer and compares the fingerprint again: unchanged after a
//! refusal, changed after an allowed write. Every wrong cell is collected, so a failure lists
//! all of them. The rows are checked against the §4.3 table and the server's own `/api` page.

use std::collections::{BTreeSet, HashMap};

use awc::http::Method;
use base64::Engine;
use motovault_shared::dto::access::Role;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp};

/// What the shared vehicle and its records hold that no outsider may ever read back.
const SECRET: &str = "Matrixmobile";
const PASSWORD: &str = "correct horse battery";

// ------------------------------------------------------------------ the policy

/// What guards an endpoint (reference §4.3 "Auth").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Any signed-in caller, no vehicle check.
    Any,
    /// `CollaboratorFilter` on a read: 302 to `/Error/Unauthorized` when denied.
    Read,
    /// `K:E` + `CollaboratorFilter(Edit)` on an add: 200 `success:false` when denied.
    Add,
    /// `K:E` + Edit access on the record's vehicle: 401 "Access Denied, …" when denied.
    Update,
    /// `K:D` + Delete access.
    Delete,
    /// `K:D` + owner of the vehicle (household members may not delete the vehicle itself, as
    /// on the native API).
    VehicleDelete,
    /// `/api/vehicles/add`: any signed-in caller, and no key check (LubeLogger 1.6.8).
    VehicleAdd,
    /// `R`: the root only, 403 with an empty body for everyone else.
    Root,
}

impl Gate {
    /// An allowed request of this gate changes what the fingerprint sees.
    fn writes(self) -> bool {
        matches!(
            self,
            Gate::Add | Gate::Update | Gate::Delete | Gate::VehicleDelete | Gate::VehicleAdd
        )
    }
}

/// Who is calling, and how they reach the shared vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The vehicle's owner (a direct collaborator), Basic.
    Owner,
    /// A member of the owner's household with this role, Basic.
    Household(Role),
    /// Someone who cannot see the vehicle, Basic.
    Stranger,
    /// The owner's API key with this role.
    OwnerKey(Role),
    /// The root, Basic.
    Root,
    /// No credentials at all.
    Nobody,
}

/// The answers of the §4.1 status table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// 2xx, not one of the refusals below.
    Success,
    /// 401, `WWW-Authenticate: Basic`, empty body.
    Challenge,
    /// 401 `{"success":false,"message":"Access Denied"}`: the key lacks the permission.
    KeyDenied,
    /// 302 to `/Error/Unauthorized`.
    Redirect,
    /// 200 `{"success":false,"message":"Access Denied"}`.
    AddDenied,
    /// 401 `{"success":false,"message":"Access Denied, you don't have access to this vehicle."}`.
    NoAccess,
    /// 403, empty body.
    RootOnly,
}

/// The key permission a gate needs (`K:E`, `K:D`); `None`: no key check.
fn key_need(gate: Gate) -> Option<Role> {
    match gate {
        Gate::Add | Gate::Update => Some(Role::Editor),
        Gate::Delete | Gate::VehicleDelete => Some(Role::Manager),
        Gate::Any | Gate::Read | Gate::VehicleAdd | Gate::Root => None,
    }
}

/// How a gate refuses a caller who passed the key check but lacks access to the vehicle.
fn denial(gate: Gate) -> Outcome {
    match gate {
        Gate::Read => Outcome::Redirect,
        Gate::Add => Outcome::AddDenied,
        _ => Outcome::NoAccess,
    }
}

/// The whole policy.
fn expected(who: Who, gate: Gate) -> Outcome {
    match (who, gate) {
        (Who::Nobody, _) => Outcome::Challenge,
        (Who::Root, _) | (_, Gate::Any | Gate::VehicleAdd) => Outcome::Success,
        (_, Gate::Root) => Outcome::RootOnly,
        (Who::OwnerKey(role), _) => match key_need(gate) {
            Some(need) if role < need => Outcome::KeyDenied,
            _ => Outcome::Success,
        },
        (Who::Owner, _) => Outcome::Success,
        (Who::Stranger, _) => denial(gate),
        (Who::Household(role), _) => {
            let allowed = match gate {
                Gate::Read => true,
                Gate::Add | Gate::Update => role >= Role::Editor,
                Gate::Delete => role == Role::Manager,
                _ => false,
            };
            if allowed {
                Outcome::Success
            } else {
                denial(gate)
            }
        }
    }
}

const ACCESS_DENIED: &str = r#"{"success":false,"message":"Access Denied"}"#;
const NO_ACCESS: &str =
    r#"{"success":false,"message":"Access Denied, you don't have access to this vehicle."}"#;

/// Which row of the status table an answer is; `None` for anything else (a 400, a 500, a
/// challenge with a body, …).
fn classify(reply: &Reply) -> Option<Outcome> {
    let header = |name: &str| reply.headers.get(name).and_then(|v| v.to_str().ok());
    Some(match reply.status.as_u16() {
        401 if reply.text.is_empty() && header("www-authenticate") == Some("Basic") => {
            Outcome::Challenge
        }
        401 if reply.text == ACCESS_DENIED => Outcome::KeyDenied,
        401 if reply.text == NO_ACCESS => Outcome::NoAccess,
        403 if reply.text.is_empty() => Outcome::RootOnly,
        302 if header("location") == Some("/Error/Unauthorized") => Outcome::Redirect,
        200 if reply.text == ACCESS_DENIED => Outcome::AddDenied,
        200..=299 => Outcome::Success,
        _ => return None,
    })
}

// ------------------------------------------------------------------ the endpoints

/// One `{rec}` of §4.3: its path segment, the native collection the owner's records are made
/// in, that record (carrying [`SECRET`]), and the compat bodies of add and update.
#[derive(Debug, Clone, Copy)]
struct Rec {
    path: &'static str,
    native: &'static str,
    record: &'static str,
    add: &'static str,
    update: &'static str,
}

const GENERIC_ADD: &str =
    r#"{"date": "2024-02-01", "odometer": "1100", "description": "Added", "cost": "10"}"#;
const GENERIC_UPDATE: &str = r#"{"id": "{recordId}", "date": "2024-02-01", "odometer": "1100", "description": "Updated", "cost": "10"}"#;
const WORK: &str =
    r#"{"date": "2024-01-01", "odometer": 1000, "description": "Matrixmobile work", "cost": 40}"#;

const RECS: [Rec; 11] = [
    Rec {
        path: "servicerecords",
        native: "service-records",
        record: WORK,
        add: GENERIC_ADD,
        update: GENERIC_UPDATE,
    },
    Rec {
        path: "repairrecords",
        native: "repair-records",
        record: WORK,
        add: GENERIC_ADD,
        update: GENERIC_UPDATE,
    },
    Rec {
        path: "upgraderecords",
        native: "upgrade-records",
        record: WORK,
        add: GENERIC_ADD,
        update: GENERIC_UPDATE,
    },
    Rec {
        path: "gasrecords",
        native: "fuel-records",
        record: r#"{"date": "2024-01-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60, "isFillToFull": true, "notes": "Matrixmobile fill"}"#,
        add: r#"{"date": "2024-02-01", "odometer": "1100", "fuelConsumed": "30", "cost": "45", "isFillToFull": "true", "missedFuelUp": "false"}"#,
        update: r#"{"id": "{recordId}", "date": "2024-02-01", "odometer": "1100", "fuelConsumed": "31", "cost": "45", "isFillToFull": "true", "missedFuelUp": "false"}"#,
    },
    Rec {
        path: "taxrecords",
        native: "tax-records",
        record: r#"{"date": "2024-01-15", "description": "Matrixmobile tax", "cost": 100}"#,
        add: r#"{"date": "2024-02-01", "description": "Added", "cost": "10"}"#,
        update: r#"{"id": "{recordId}", "date": "2024-02-01", "description": "Updated", "cost": "10"}"#,
    },
    Rec {
        path: "supplyrecords",
        native: "supplies",
        record: r#"{"date": "2024-05-01", "description": "Matrixmobile grease", "quantity": 5, "cost": 25}"#,
        add: r#"{"date": "2024-02-01", "description": "Added", "partQuantity": "1", "cost": "10"}"#,
        update: r#"{"id": "{recordId}", "date": "2024-02-01", "description": "Updated", "partQuantity": "1", "cost": "10"}"#,
    },
    Rec {
        path: "odometerrecords",
        native: "odometer-records",
        record: r#"{"date": "2024-01-01", "odometer": 1000, "notes": "Matrixmobile reading"}"#,
        add: r#"{"date": "2024-02-01", "odometer": "1100"}"#,
        update: r#"{"id": "{recordId}", "date": "2024-02-01", "initialOdometer": "0", "odometer": "1200"}"#,
    },
    Rec {
        path: "planrecords",
        native: "plans",
        record: r#"{"description": "Matrixmobile wash"}"#,
        add: r#"{"description": "Added", "cost": "0", "type": "ServiceRecord", "priority": "Normal", "progress": "Backlog"}"#,
        update: r#"{"id": "{recordId}", "description": "Updated", "cost": "0", "type": "ServiceRecord", "priority": "Normal", "progress": "Backlog"}"#,
    },
    Rec {
        path: "reminders",
        native: "reminders",
        record: r#"{"description": "Matrixmobile oil", "dueDate": "2030-01-01"}"#,
        add: r#"{"description": "Added", "metric": "Date", "dueDate": "2031-01-01"}"#,
        update: r#"{"id": "{recordId}", "description": "Updated", "metric": "Date", "dueDate": "2031-01-01"}"#,
    },
    Rec {
        path: "notes",
        native: "notes",
        record: r#"{"title": "Matrixmobile tyres"}"#,
        add: r#"{"description": "Added", "noteText": "text"}"#,
        update: r#"{"id": "{recordId}", "description": "Updated", "noteText": "text"}"#,
    },
    Rec {
        path: "equipmentrecords",
        native: "equipment",
        record: r#"{"description": "Matrixmobile roof box"}"#,
        add: r#"{"description": "Added", "isEquipped": "true"}"#,
        update: r#"{"id": "{recordId}", "description": "Updated", "isEquipped": "false"}"#,
    },
];

/// What the owner creates before each request; its ids fill `{vehicleId}` and `{recordId}`.
#[derive(Debug, Clone, Copy)]
enum Fixture {
    None,
    /// A record of this `{rec}` on the shared vehicle.
    Record(Rec),
    /// A vehicle of its own, in the same households (for updating or deleting it).
    Vehicle,
    /// Two odometer readings whose initial odometers disagree (for `recalculate`).
    OdometerDrift,
}

#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    /// JSON with placeholders.
    Json(&'static str),
    /// A small file in the multipart field `documents`.
    Documents,
}

#[derive(Debug, Clone)]
struct Row {
    method: &'static str,
    /// The path as §4.3 writes it, `{rec}` filled in.
    path: String,
    /// With placeholders.
    query: &'static str,
    body: Body,
    fixture: Fixture,
    gate: Gate,
}

fn row(
    method: &'static str,
    path: &str,
    query: &'static str,
    body: Body,
    fixture: Fixture,
    gate: Gate,
) -> Row {
    Row {
        method,
        path: path.to_owned(),
        query,
        body,
        fixture,
        gate,
    }
}

/// The general, vehicle and admin endpoints of §4.3.
fn general_rows() -> Vec<Row> {
    use Body as B;
    use Fixture as F;
    use Gate::*;
    let reminder = F::Record(RECS[8]);
    vec![
        row("get", "/api", "", B::None, F::None, Any),
        row("get", "/api/whoami", "", B::None, F::None, Any),
        row("get", "/api/info", "", B::None, F::None, Any),
        row(
            "get",
            "/api/version",
            "?checkForUpdate=true",
            B::None,
            F::None,
            Any,
        ),
        row("get", "/api/vehicles", "", B::None, F::None, Any),
        // Without a vehicle id: every vehicle the caller sees (none for a stranger).
        row("get", "/api/vehicle/info", "", B::None, F::None, Any),
        row(
            "get",
            "/api/vehicle/info",
            "?vehicleId={vehicleId}",
            B::None,
            F::None,
            Read,
        ),
        row(
            "get",
            "/api/vehicle/adjustedodometer",
            "?vehicleId={vehicleId}&odometer=100",
            B::None,
            F::None,
            Read,
        ),
        row(
            "post",
            "/api/vehicles/add",
            "",
            B::Json(
                r#"{"year": "2020", "make": "Added", "model": "Car", "licensePlate": "ADD-1"}"#,
            ),
            F::None,
            VehicleAdd,
        ),
        row(
            "put",
            "/api/vehicles/update",
            "",
            B::Json(
                r#"{"id": "{vehicleId}", "year": "2018", "make": "Matrixmobile", "model": "Updated", "licensePlate": "ABC-123"}"#,
            ),
            // A fresh vehicle each time, so every allowed update changes something.
            F::Vehicle,
            Update,
        ),
        row(
            "delete",
            "/api/vehicles/delete",
            "?id={vehicleId}",
            B::None,
            F::Vehicle,
            VehicleDelete,
        ),
        row(
            "post",
            "/api/documents/upload",
            "",
            B::Documents,
            F::None,
            Any,
        ),
        row("get", "/api/extrafields", "", B::None, F::None, Any),
        row("get", "/api/calendar", "", B::None, reminder, Any),
        row(
            "get",
            "/api/vehicle/reminders/send",
            "",
            B::None,
            F::None,
            Root,
        ),
        row(
            "get",
            "/api/vehicle/taxrecords/check",
            "",
            B::None,
            F::None,
            Any,
        ),
        row("get", "/api/makebackup", "", B::None, F::None, Root),
        row("get", "/api/tempfiles", "", B::None, F::None, Root),
        row("get", "/api/cleanup", "", B::None, F::None, Root),
        row(
            "get",
            "/api/vehicle/odometerrecords/latest",
            "?vehicleId={vehicleId}",
            B::None,
            F::None,
            Read,
        ),
        row(
            "put",
            "/api/vehicle/odometerrecords/recalculate",
            "?vehicleId={vehicleId}",
            B::None,
            F::OdometerDrift,
            Add,
        ),
    ]
}

/// all / list / add / update / delete of every `{rec}`.
fn record_rows() -> Vec<Row> {
    use Fixture as F;
    use Gate::*;
    let mut rows = Vec::new();
    for rec in RECS {
        let base = format!("/api/vehicle/{}", rec.path);
        // The records exist, so a list across vehicles that showed them would be caught.
        rows.push(row(
            "get",
            &format!("{base}/all"),
            "",
            Body::None,
            F::Record(rec),
            Any,
        ));
        rows.push(row(
            "get",
            &base,
            "?vehicleId={vehicleId}",
            Body::None,
            F::Record(rec),
            Read,
        ));
        rows.push(row(
            "post",
            &format!("{base}/add"),
            "?vehicleId={vehicleId}",
            Body::Json(rec.add),
            F::None,
            Add,
        ));
        rows.push(row(
            "put",
            &format!("{base}/update"),
            "",
            Body::Json(rec.update),
            F::Record(rec),
            Update,
        ));
        rows.push(row(
            "delete",
            &format!("{base}/delete"),
            "?id={recordId}",
            Body::None,
            F::Record(rec),
            Delete,
        ));
    }
    rows
}

fn all_rows() -> Vec<Row> {
    let mut rows = general_rows();
    rows.extend(record_rows());
    rows
}

/// Every endpoint of the §4.3 tables, as written there (`{rec}` expanded below).
const SPEC_ENDPOINTS: &[(&str, &str)] = &[
    ("get", "/api"),
    ("get", "/api/whoami"),
    ("get", "/api/info"),
    ("get", "/api/version"),
    ("get", "/api/vehicles"),
    ("get", "/api/vehicle/info"),
    ("get", "/api/vehicle/adjustedodometer"),
    ("post", "/api/vehicles/add"),
    ("put", "/api/vehicles/update"),
    ("delete", "/api/vehicles/delete"),
    ("post", "/api/documents/upload"),
    ("get", "/api/extrafields"),
    ("get", "/api/calendar"),
    ("get", "/api/vehicle/reminders/send"),
    ("get", "/api/vehicle/taxrecords/check"),
    ("get", "/api/makebackup"),
    ("get", "/api/tempfiles"),
    ("get", "/api/cleanup"),
    ("get", "/api/demo/restore"),
    ("ws", "/api/ws"),
    ("get", "/api/vehicle/{rec}/all"),
    ("get", "/api/vehicle/{rec}"),
    ("post", "/api/vehicle/{rec}/add"),
    ("put", "/api/vehicle/{rec}/update"),
    ("delete", "/api/vehicle/{rec}/delete"),
    ("get", "/api/vehicle/odometerrecords/latest"),
    ("put", "/api/vehicle/odometerrecords/recalculate"),
];

/// §4.3 endpoints that are not rows, and why.
const NOT_ROWS: &[(&str, &str, &str)] = &[
    (
        "get",
        "/api/demo/restore",
        "replaces all data, so not run in this matrix: restore.rs tests its root-only rule",
    ),
    (
        "ws",
        "/api/ws",
        "a SignalR socket, not a request with one answer",
    ),
];

fn expand(endpoints: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    endpoints
        .iter()
        .flat_map(|(method, path)| {
            if path.contains("{rec}") {
                RECS.iter()
                    .map(|r| ((*method).to_owned(), path.replace("{rec}", r.path)))
                    .collect::<Vec<_>>()
            } else {
                vec![((*method).to_owned(), (*path).to_owned())]
            }
        })
        .collect()
}

// ------------------------------------------------------------------ the actors

#[derive(Debug, Clone)]
enum Auth {
    Basic(String),
    Header(String),
    /// The `apiKey` query parameter.
    Query(String),
    None,
}

#[derive(Debug, Clone)]
struct Actor {
    name: &'static str,
    auth: Auth,
    who: Who,
}

fn basic(username: &str) -> Auth {
    let raw = format!("{username}:{PASSWORD}");
    Auth::Basic(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    ))
}

/// A signed-in session of the native API: cookie and CSRF token.
#[derive(Debug, Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

struct World {
    app: TestApp,
    /// A client that shows a 302 instead of following it.
    client: awc::Client,
    owner: Session,
    root: Session,
    vehicle: i64,
    actors: Vec<Actor>,
}

const BOUNDARY: &str = "----motovault-compat-authz";

fn documents_upload() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        b"Content-Disposition: form-data; name=\"documents\"; filename=\"receipt.pdf\"\r\n",
    );
    body.extend_from_slice(b"Content-Type: application/pdf\r\n\r\n%PDF-1.4 matrix\r\n");
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

impl World {
    async fn raw(
        &self,
        method: &str,
        path: &str,
        content_type: Option<String>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut req = self
            .client
            .request(method, format!("{}{}", self.app.address, path));
        if let Some(ct) = content_type {
            req = req.insert_header(("content-type", ct));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = req.send_body(body).await.expect("request sent");
        let bytes = res.body().limit(50 * 1024 * 1024).await.unwrap();
        Reply {
            status: res.status(),
            headers: res.headers().clone(),
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A native request in this session that must succeed; its JSON answer.
    async fn native(&self, session: &Session, method: &str, path: &str, body: Value) -> Value {
        let headers = [
            ("cookie", session.cookie.as_str()),
            ("x-csrf-token", session.csrf.as_str()),
        ];
        let (ct, bytes) = if body.is_null() {
            (None, vec![])
        } else {
            (
                Some("application/json".to_owned()),
                body.to_string().into_bytes(),
            )
        };
        let reply = self.raw(method, path, ct, bytes, &headers).await;
        assert!(
            reply.status.is_success(),
            "{method} {path}: {} {}",
            reply.status,
            reply.text
        );
        reply.body
    }

    async fn sign_in(app: &TestApp, client: &awc::Client, username: &str) -> Session {
        let mut res = client
            .post(format!("{}/api/v1/auth/login", app.address))
            .send_json(&json!({"username": username, "password": PASSWORD}))
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{username} signs in");
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("motovault_session="))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let body: Value = res.json().await.unwrap();
        Session {
            cookie,
            csrf: body["csrfToken"].as_str().unwrap().to_owned(),
        }
    }

    async fn new_vehicle(&self) -> i64 {
        let created = self
            .native(
                &self.owner,
                "post",
                "/api/v1/vehicles",
                json!({"year": 2018, "make": SECRET, "model": "Civic", "licensePlate": "ABC-123"}),
            )
            .await;
        created["id"].as_i64().unwrap()
    }

    async fn build() -> World {
        let mut app = TestApp::spawn().await;
        app.setup_root().await;
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(60))
            .finish();
        let root = Session {
            cookie: app.cookie.clone().unwrap(),
            csrf: app.csrf.clone().unwrap(),
        };
        app.forget();
        for name in ["owner", "viewer", "editor", "manager", "stranger"] {
            app.add_user(name, PASSWORD).await;
        }
        let owner = Self::sign_in(&app, &client, "owner").await;
        let mut world = World {
            app,
            client,
            owner,
            root,
            vehicle: 0,
            actors: vec![],
        };
        world.vehicle = world.new_vehicle().await;
        // Recalculating and odometer records stay as written: no automatic readings.
        world
            .native(
                &world.owner,
                "put",
                "/api/v1/me/settings",
                json!({"enableAutoOdometerInsert": false}),
            )
            .await;
        for (member, role) in [
            ("viewer", "viewer"),
            ("editor", "editor"),
            ("manager", "manager"),
        ] {
            world
                .native(
                    &world.owner,
                    "post",
                    "/api/v1/household/members",
                    json!({"username": member, "role": role}),
                )
                .await;
        }
        let mut keys = HashMap::new();
        for role in ["viewer", "editor", "manager"] {
            let created = world
                .native(
                    &world.owner,
                    "post",
                    "/api/v1/api-keys",
                    json!({"name": role, "role": role}),
                )
                .await;
            keys.insert(role, created["secret"].as_str().unwrap().to_owned());
        }
        world.actors = vec![
            Actor {
                name: "owner",
                auth: basic("owner"),
                who: Who::Owner,
            },
            Actor {
                name: "household viewer",
                auth: basic("viewer"),
                who: Who::Household(Role::Viewer),
            },
            Actor {
                name: "household editor",
                auth: basic("editor"),
                who: Who::Household(Role::Editor),
            },
            Actor {
                name: "household manager",
                auth: basic("manager"),
                who: Who::Household(Role::Manager),
            },
            Actor {
                name: "stranger",
                auth: basic("stranger"),
                who: Who::Stranger,
            },
            Actor {
                name: "owner's viewer key (apiKey query)",
                auth: Auth::Query(keys["viewer"].clone()),
                who: Who::OwnerKey(Role::Viewer),
            },
            Actor {
                name: "owner's editor key",
                auth: Auth::Header(keys["editor"].clone()),
                who: Who::OwnerKey(Role::Editor),
            },
            Actor {
                name: "owner's manager key",
                auth: Auth::Header(keys["manager"].clone()),
                who: Who::OwnerKey(Role::Manager),
            },
            Actor {
                name: "root",
                auth: basic("root"),
                who: Who::Root,
            },
            Actor {
                name: "no credentials",
                auth: Auth::None,
                who: Who::Nobody,
            },
        ];
        world
    }

    /// Creates what the row needs; the values of its placeholders.
    async fn prepare(&self, fixture: Fixture) -> HashMap<&'static str, String> {
        let v = self.vehicle;
        let mut ids = HashMap::from([("{vehicleId}", v.to_string())]);
        let base = format!("/api/v1/vehicles/{v}");
        match fixture {
            Fixture::None => {}
            Fixture::Record(rec) => {
                let body: Value = serde_json::from_str(rec.record).unwrap();
                let created = self
                    .native(&self.owner, "post", &format!("{base}/{}", rec.native), body)
                    .await;
                ids.insert("{recordId}", created["id"].as_i64().unwrap().to_string());
            }
            Fixture::Vehicle => {
                ids.insert("{vehicleId}", self.new_vehicle().await.to_string());
            }
            Fixture::OdometerDrift => {
                // An explicit initial odometer is kept as given (0 would be derived).
                for (date, initial, odometer) in [("2023-01-01", 1, 10), ("2023-02-01", 2, 20)] {
                    self.native(
                        &self.owner,
                        "post",
                        &format!("{base}/odometer-records"),
                        json!({"date": date, "odometer": odometer, "initialOdometer": initial}),
                    )
                    .await;
                }
            }
        }
        ids
    }

    /// Everything a request of the matrix could change, as the root sees it: every vehicle,
    /// the shared vehicle's records of every kind, the temp files.
    async fn fingerprint(&self) -> String {
        let root = [("cookie", self.root.cookie.as_str())];
        let mut paths = vec![
            "/api/vehicles".to_owned(),
            "/api/tempfiles".to_owned(),
            "/api/v1/shop/supplies".to_owned(),
        ];
        paths.extend(
            RECS.iter()
                .map(|r| format!("/api/vehicle/{}?vehicleId={}", r.path, self.vehicle)),
        );
        let mut out = String::new();
        for path in paths {
            let reply = self.raw("get", &path, None, vec![], &root).await;
            assert_eq!(reply.status, 200, "fingerprint {path}: {}", reply.text);
            out.push_str(&path);
            out.push('\n');
            out.push_str(&reply.text);
            out.push('\n');
        }
        out
    }

    async fn send(&self, actor: &Actor, row: &Row, ids: &HashMap<&'static str, String>) -> Reply {
        let fill = |text: &str| {
            ids.iter()
                .fold(text.to_owned(), |acc, (k, v)| acc.replace(k, v))
        };
        let mut path = format!("{}{}", row.path, fill(row.query));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        match &actor.auth {
            Auth::Basic(value) => headers.push(("authorization", value)),
            Auth::Header(key) => headers.push(("x-api-key", key)),
            Auth::Query(key) => {
                let sep = if path.contains('?') { '&' } else { '?' };
                path = format!("{path}{sep}apiKey={key}");
            }
            Auth::None => {}
        }
        let (content_type, body) = match row.body {
            Body::None => (None, vec![]),
            Body::Json(text) => (Some("application/json".to_owned()), fill(text).into_bytes()),
            Body::Documents => (
                Some(format!("multipart/form-data; boundary={BOUNDARY}")),
                documents_upload(),
            ),
        };
        self.raw(row.method, &path, content_type, body, &headers)
            .await
    }

    /// Runs every row for every actor; one line per cell that differs from `policy`.
    async fn run(&self, rows: &[Row], policy: fn(Who, Gate) -> Outcome) -> Vec<String> {
        let mut wrong = Vec::new();
        for row in rows {
            for actor in &self.actors {
                let ids = self.prepare(row.fixture).await;
                let want = policy(actor.who, row.gate);
                let watch = want != Outcome::Success || row.gate.writes();
                let before = if watch {
                    Some(self.fingerprint().await)
                } else {
                    None
                };
                let reply = self.send(actor, row, &ids).await;
                let cell = format!(
                    "{} {}{} as {}",
                    row.method.to_uppercase(),
                    row.path,
                    row.query,
                    actor.name
                );
                let got = classify(&reply);
                if got != Some(want) {
                    wrong.push(format!(
                        "{cell}: expected {want:?}, got {} {}",
                        reply.status,
                        &reply.text[..reply.text.len().min(200)]
                    ));
                }
                if let Some(before) = before {
                    let changed = self.fingerprint().await != before;
                    if want != Outcome::Success && changed {
                        wrong.push(format!("{cell}: refused, but the data changed"));
                    }
                    if want == Outcome::Success && row.gate.writes() && !changed {
                        wrong.push(format!("{cell}: allowed, but nothing changed"));
                    }
                }
                let outsider = matches!(actor.who, Who::Stranger | Who::Nobody);
                if (outsider || want != Outcome::Success) && reply.text.contains(SECRET) {
                    wrong.push(format!(
                        "{cell}: the answer shows the vehicle's data: {}",
                        &reply.text[..reply.text.len().min(300)]
                    ));
                }
            }
        }
        wrong
    }
}

fn report(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "{} cell(s) of the compat matrix are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// ------------------------------------------------------------------ the tests

/// Every endpoint of the §4.3 tables is a row (or named in [`NOT_ROWS`] with its reason), no
/// row is listed twice, and the server's own `/api` page lists nothing the rows miss.
#[actix_web::test]
async fn the_rows_cover_every_endpoint_of_the_reference() {
    let rows = all_rows();
    let covered: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r.method.to_owned(), r.path.clone()))
        .collect();
    let with_query: BTreeSet<(String, String, &str)> = rows
        .iter()
        .map(|r| (r.method.to_owned(), r.path.clone(), r.query))
        .collect();
    assert_eq!(with_query.len(), rows.len(), "a row is listed twice");

    let spec = expand(SPEC_ENDPOINTS);
    let excluded: BTreeSet<(String, String)> = NOT_ROWS
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = spec
        .difference(&covered)
        .filter(|e| !excluded.contains(e))
        .collect();
    assert!(
        missing.is_empty(),
        "§4.3 endpoints without a row: {missing:?}"
    );
    let extra: Vec<_> = covered.difference(&spec).collect();
    assert!(
        extra.is_empty(),
        "rows that are not §4.3 endpoints: {extra:?}"
    );
    assert!(excluded.is_subset(&spec), "NOT_ROWS names a §4.3 endpoint");
    // 19 general rows (the vehicle info twice), 2 odometer rows, 11 × 5 record rows.
    assert_eq!(rows.len(), 19 + 2 + 55);

    // The endpoints the server itself lists on its API page.
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    let page = app.get("/api").await;
    assert_eq!(page.status, 200, "{}", page.text);
    let listed: Vec<(String, String)> = page
        .text
        .split("<tr><td>")
        .skip(1)
        .filter_map(|cells| {
            let (method, rest) = cells.split_once("</td><td><code>")?;
            let (path, _) = rest.split_once("</code>")?;
            Some((method.to_lowercase(), path.to_owned()))
        })
        .collect();
    assert!(listed.len() > 20, "{}", page.text);
    let listed = expand(
        &listed
            .iter()
            .map(|(m, p)| (m.as_str(), p.as_str()))
            .collect::<Vec<_>>(),
    );
    let unlisted: Vec<_> = listed
        .difference(&covered)
        .filter(|e| !excluded.contains(e))
        .collect();
    assert!(
        unlisted.is_empty(),
        "on the /api page but not rows: {unlisted:?}"
    );
}

#[actix_web::test]
async fn general_vehicle_and_admin_endpoints() {
    let world = World::build().await;
    report(&world.run(&general_rows(), expected).await);
}

#[actix_web::test]
async fn service_repair_upgrade_gas_and_tax_records() {
    let world = World::build().await;
    let rows: Vec<Row> = record_rows().into_iter().take(5 * 5).collect();
    report(&world.run(&rows, expected).await);
}

#[actix_web::test]
async fn supply_odometer_plan_reminder_note_and_equipment_records() {
    let world = World::build().await;
    let rows: Vec<Row> = record_rows().into_iter().skip(5 * 5).collect();
    report(&world.run(&rows, expected).await);
}

/// The runner can fail: a policy that lets the household viewer add and the stranger read is
/// caught on each of those cells, and so is a refusal that was expected to change data.
#[actix_web::test]
async fn a_wrong_expectation_is_reported() {
    fn too_generous(who: Who, gate: Gate) -> Outcome {
        match who {
            Who::Household(Role::Viewer) | Who::Stranger => Outcome::Success,
            _ => expected(who, gate),
        }
    }
    let world = World::build().await;
    let notes: Vec<Row> = record_rows()
        .into_iter()
        .filter(|r| r.path == "/api/vehicle/notes" || r.path == "/api/vehicle/notes/add")
        .collect();
    assert_eq!(notes.len(), 2);
    let wrong = world.run(&notes, too_generous).await;
    let lines = wrong.join("\n");
    let expect = [
        "GET /api/vehicle/notes?vehicleId={vehicleId} as stranger: expected Success, got 302 Found",
        "POST /api/vehicle/notes/add?vehicleId={vehicleId} as household viewer: expected Success, got 200 OK {\"success\":false,\"message\":\"Access Denied\"}",
        "POST /api/vehicle/notes/add?vehicleId={vehicleId} as household viewer: allowed, but nothing changed",
        "POST /api/vehicle/notes/add?vehicleId={vehicleId} as stranger: expected Success, got 200 OK {\"success\":false,\"message\":\"Access Denied\"}",
        "POST /api/vehicle/notes/add?vehicleId={vehicleId} as stranger: allowed, but nothing changed",
    ];
    for line in expect {
        assert!(lines.contains(line), "missing {line:?} in:\n{lines}");
    }
    assert_eq!(wrong.len(), expect.len(), "{lines}");
}
