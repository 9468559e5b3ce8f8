//! The authorization matrix (reference §1 "Collaborators", "Households", "API keys", §3.8):
//! every vehicle-scoped endpoint × every kind of caller, each answering exactly what its access
//! allows.
//!
//! The table is data: one [`Case`] per endpoint (method, OpenAPI path, body, what the owner
//! must create first, which access it needs) and one [`Actor`] per kind of caller with how it
//! reaches the vehicle ([`Reach`]). [`expected`] is the whole policy in one `match`; the runner
//! prepares fresh data for every (endpoint, actor) pair, sends the request and collects every
//! mismatch, so a failure lists all wrong cells at once. The list of cases is checked against
//! the OpenAPI document, so a new vehicle-scoped endpoint without a row here fails the test.

use std::collections::{BTreeSet, HashMap};

use awc::http::Method;
use motovault_api::store::entity::{api_key, user};
use motovault_shared::dto::access::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, unique};

/// What the vehicle holds that no outsider may ever read back.
const SECRET_MAKE: &str = "Matrixmobile";
const SECRET_PLATE: &str = "SECRET-4242";
const PASSWORD: &str = "correct horse battery";

// ------------------------------------------------------------------ the policy

/// What an endpoint needs, beyond seeing the vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
    Delete,
    /// Deleting the vehicle: owners only (`StrictCollaboratorFilter`), a Manager key of an
    /// owner included.
    OwnerDelete,
    /// Managing collaborators: owners only, over a signed-in session.
    OwnerSession,
}

/// How an actor reaches the shared vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Root or a direct collaborator, signed in.
    Full,
    /// A member of an owner's household with this role, signed in.
    Household(Role),
    /// An owner's API key with this role.
    OwnerKey(Role),
    /// A household member's API key: the lower of the two roles applies.
    MemberKey { member: Role, key: Role },
    /// Cannot see the vehicle at all.
    Stranger,
    /// Not signed in: expired, revoked or disabled credentials.
    Dead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Unauthorized,
    Forbidden,
    NotFound,
}

fn allow(yes: bool) -> Outcome {
    if yes {
        Outcome::Success
    } else {
        Outcome::Forbidden
    }
}

fn role_allows(role: Role, access: Access) -> bool {
    match access {
        Access::Read => true,
        Access::Write => role >= Role::Editor,
        Access::Delete | Access::OwnerDelete | Access::OwnerSession => role == Role::Manager,
    }
}

/// The whole policy.
fn expected(reach: Reach, access: Access) -> Outcome {
    match reach {
        Reach::Full => Outcome::Success,
        Reach::Stranger => Outcome::NotFound,
        Reach::Dead => Outcome::Unauthorized,
        Reach::Household(role) => match access {
            Access::OwnerDelete | Access::OwnerSession => Outcome::Forbidden,
            _ => allow(role_allows(role, access)),
        },
        Reach::OwnerKey(role) => match access {
            Access::OwnerSession => Outcome::Forbidden,
            _ => allow(role_allows(role, access)),
        },
        Reach::MemberKey { member, key } => match access {
            Access::OwnerDelete | Access::OwnerSession => Outcome::Forbidden,
            _ => allow(role_allows(member.min(key), access)),
        },
    }
}

fn outcome_of(status: u16) -> Option<Outcome> {
    match status {
        200..=299 => Some(Outcome::Success),
        401 => Some(Outcome::Unauthorized),
        403 => Some(Outcome::Forbidden),
        404 => Some(Outcome::NotFound),
        _ => None,
    }
}

// ------------------------------------------------------------------ the endpoints

/// What the owner creates before each request; its ids fill `{recordId}`, `{recordType}`,
/// `{attachmentId}`, `{otherId}`, `{userId}` and `{username}` in the path and body.
#[derive(Debug, Clone, Copy)]
enum Fixture {
    None,
    /// A record in this collection of the shared vehicle, from this body.
    Record(&'static str, &'static str),
    /// An inspection (and its template).
    Inspection,
    /// A note with a file attachment.
    Attachment,
    /// Two notes: `{recordId}` and `{otherId}`, to link one to the other.
    TwoNotes,
    /// The vehicle's picture.
    Image,
    /// A user who is not yet a collaborator.
    NewUser,
    /// A user who is a second collaborator.
    Collaborator,
    /// A vehicle of its own, shared like the main one (for deleting it).
    Vehicle,
}

#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    /// JSON with placeholders.
    Json(&'static str),
    /// A small PNG as `multipart/form-data`, field `file`.
    Png,
}

/// A body as sent, placeholders filled.
enum Payload {
    None,
    Json(String),
    Png,
}

impl Body {
    fn fill(self, fill: impl Fn(&str) -> String) -> Payload {
        match self {
            Body::None => Payload::None,
            Body::Json(text) => Payload::Json(fill(text)),
            Body::Png => Payload::Png,
        }
    }

    fn json(self) -> Payload {
        self.fill(str::to_owned)
    }
}

#[derive(Debug, Clone, Copy)]
struct Case {
    method: &'static str,
    path: &'static str,
    body: Body,
    fixture: Fixture,
    access: Access,
}

const FUEL: &str = r#"{"date": "2024-01-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60, "isFillToFull": true}"#;
const WORK: &str = r#"{"date": "2024-01-01", "odometer": 1000, "description": "Oil", "cost": 40}"#;
const ODOMETER: &str = r#"{"date": "2024-01-01", "odometer": 1000}"#;
const TAX: &str = r#"{"date": "2024-01-15", "description": "Road tax", "cost": 100}"#;
const REMINDER: &str = r#"{"description": "Oil", "dueDate": "2030-01-01"}"#;
const NOTE: &str = r#"{"title": "Tyre pressures"}"#;
const SUPPLY: &str =
    r#"{"date": "2024-05-01", "description": "Grease", "quantity": 5, "cost": 25}"#;
const PLAN: &str = r#"{"description": "Wash"}"#;
const PLAN_TEMPLATE: &str = r#"{"description": "Pad swap"}"#;
const EQUIPMENT: &str = r#"{"description": "Roof box"}"#;
const INSPECTION_TEMPLATE: &str =
    r#"{"description": "Walkaround", "fields": [{"description": "Remarks", "fieldType": "text"}]}"#;
const INSPECTION: &str = r#"{"templateId": {recordId}, "date": "2024-06-01", "odometer": 0, "results": [{"fieldIndex": 0, "value": "fine"}]}"#;
const VEHICLE: &str =
    r#"{"year": 2018, "make": "Matrixmobile", "model": "Civic", "licensePlate": "SECRET-4242"}"#;

const fn case(
    method: &'static str,
    path: &'static str,
    body: Body,
    fixture: Fixture,
    access: Access,
) -> Case {
    Case {
        method,
        path,
        body,
        fixture,
        access,
    }
}

/// The five standard routes of a record collection.
macro_rules! crud {
    ($collection:literal, $body:expr) => {
        [
            case(
                "get",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection),
                Body::None,
                Fixture::None,
                Access::Read,
            ),
            case(
                "post",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection),
                Body::Json($body),
                Fixture::None,
                Access::Write,
            ),
            case(
                "get",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection, "/{recordId}"),
                Body::None,
                Fixture::Record($collection, $body),
                Access::Read,
            ),
            case(
                "put",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection, "/{recordId}"),
                Body::Json($body),
                Fixture::Record($collection, $body),
                Access::Write,
            ),
            case(
                "delete",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection, "/{recordId}"),
                Body::None,
                Fixture::Record($collection, $body),
                Access::Delete,
            ),
        ]
    };
}

/// Maintenance kinds also move between kinds and bulk-edit.
macro_rules! maintenance {
    ($collection:literal) => {
        [
            case(
                "post",
                concat!("/api/v1/vehicles/{vehicleId}/", $collection, "/bulk-edit"),
                Body::Json(r#"{"ids": [{recordId}], "notes": "checked"}"#),
                Fixture::Record($collection, WORK),
                Access::Write,
            ),
            case(
                "post",
                concat!(
                    "/api/v1/vehicles/{vehicleId}/",
                    $collection,
                    "/{recordId}/move"
                ),
                Body::Json(r#"{"to": "upgrade"}"#),
                Fixture::Record($collection, WORK),
                Access::Write,
            ),
        ]
    };
}

/// Records of the vehicle itself, its collaborators, pictures, attachments and extra fields.
fn vehicle_cases() -> Vec<Case> {
    use Access::*;
    use Fixture as F;
    let note = F::Record("notes", NOTE);
    vec![
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "put",
            "/api/v1/vehicles/{vehicleId}",
            Body::Json(VEHICLE),
            F::None,
            Write,
        ),
        case(
            "delete",
            "/api/v1/vehicles/{vehicleId}",
            Body::None,
            F::Vehicle,
            OwnerDelete,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/summary",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/dashboard",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/reports/cost-table",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/reports/history",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/stickers/qr.svg",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/collaborators",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/collaborators",
            Body::Json(r#"{"username": "{username}"}"#),
            F::NewUser,
            OwnerSession,
        ),
        case(
            "delete",
            "/api/v1/vehicles/{vehicleId}/collaborators/{userId}",
            Body::None,
            F::Collaborator,
            OwnerSession,
        ),
        case(
            "put",
            "/api/v1/vehicles/{vehicleId}/image",
            Body::Png,
            F::None,
            Write,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/image",
            Body::None,
            F::Image,
            Read,
        ),
        case(
            "delete",
            "/api/v1/vehicles/{vehicleId}/image",
            Body::None,
            F::Image,
            Delete,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/attachments/export",
            Body::None,
            F::Attachment,
            Read,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments",
            Body::None,
            F::Attachment,
            Read,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments",
            Body::Png,
            note,
            Write,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/links",
            Body::Json(r#"{"name": "Manual", "url": "https://example.com/manual.pdf"}"#),
            note,
            Write,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/record-links",
            Body::Json(r#"{"recordType": "notes", "recordId": {otherId}}"#),
            F::TwoNotes,
            Write,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}",
            Body::None,
            F::Attachment,
            Read,
        ),
        case(
            "delete",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/attachments/{attachmentId}",
            Body::None,
            F::Attachment,
            Delete,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/extra-fields",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "put",
            "/api/v1/vehicles/{vehicleId}/extra-fields",
            Body::Json(r#"{"fields": []}"#),
            F::None,
            Write,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields",
            Body::None,
            note,
            Read,
        ),
        case(
            "put",
            "/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields",
            Body::Json(r#"{"fields": []}"#),
            note,
            Write,
        ),
    ]
}

/// Every record collection with its extra actions.
fn record_cases() -> Vec<Case> {
    use Access::*;
    use Fixture as F;
    let mut cases = Vec::new();
    cases.extend(crud!("fuel-records", FUEL));
    for collection in [
        crud!("service-records", WORK),
        crud!("repair-records", WORK),
        crud!("upgrade-records", WORK),
    ] {
        cases.extend(collection);
    }
    cases.extend(maintenance!("service-records"));
    cases.extend(maintenance!("repair-records"));
    cases.extend(maintenance!("upgrade-records"));
    cases.extend(crud!("odometer-records", ODOMETER));
    cases.push(case(
        "post",
        "/api/v1/vehicles/{vehicleId}/odometer-records/recalculate",
        Body::Json("{}"),
        F::Record("odometer-records", ODOMETER),
        Write,
    ));
    cases.extend(crud!("tax-records", TAX));
    cases.push(case(
        "post",
        "/api/v1/vehicles/{vehicleId}/tax-records/check",
        Body::Json("{}"),
        F::None,
        Write,
    ));
    cases.extend(crud!("reminders", REMINDER));
    cases.push(case(
        "post",
        "/api/v1/vehicles/{vehicleId}/reminders/{recordId}/done",
        Body::Json("{}"),
        F::Record(
            "reminders",
            r#"{"description": "Wash", "dueDate": "2030-01-01", "isRecurring": true, "monthInterval": 1}"#,
        ),
        Write,
    ));
    cases.extend(crud!("notes", NOTE));
    cases.extend(crud!("supplies", SUPPLY));
    cases.extend(crud!("plans", PLAN));
    cases.push(case(
        "post",
        "/api/v1/vehicles/{vehicleId}/plans/{recordId}/progress",
        Body::Json(r#"{"progress": "testing"}"#),
        F::Record("plans", PLAN),
        Write,
    ));
    cases.extend(crud!("plan-templates", PLAN_TEMPLATE));
    cases.push(case(
        "post",
        "/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}/use",
        Body::Json("{}"),
        F::Record("plan-templates", PLAN_TEMPLATE),
        Write,
    ));
    cases.extend(crud!("equipment", EQUIPMENT));
    cases.extend(crud!("inspection-templates", INSPECTION_TEMPLATE));
    cases.extend([
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/inspections",
            Body::None,
            F::None,
            Read,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/inspections",
            Body::Json(INSPECTION),
            F::Record("inspection-templates", INSPECTION_TEMPLATE),
            Write,
        ),
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/inspections/{recordId}",
            Body::None,
            F::Inspection,
            Read,
        ),
        case(
            "put",
            "/api/v1/vehicles/{vehicleId}/inspections/{recordId}",
            Body::Json(r#"{"tags": ["checked"]}"#),
            F::Inspection,
            Write,
        ),
        case(
            "delete",
            "/api/v1/vehicles/{vehicleId}/inspections/{recordId}",
            Body::None,
            F::Inspection,
            Delete,
        ),
    ]);
    cases.extend([
        case(
            "get",
            "/api/v1/vehicles/{vehicleId}/{recordType}/export.csv",
            Body::None,
            F::Record("tax-records", TAX),
            Read,
        ),
        case(
            "post",
            "/api/v1/vehicles/{vehicleId}/{recordType}/import",
            Body::Json("Date,Description,Cost\n2024-01-15,Road tax,$100.00\n"),
            F::Record("tax-records", TAX),
            Write,
        ),
    ]);
    cases
}

fn all_cases() -> Vec<Case> {
    let mut cases = vehicle_cases();
    cases.extend(record_cases());
    cases
}

// ------------------------------------------------------------------ the actors

#[derive(Debug, Clone)]
enum Auth {
    Session { cookie: String, csrf: String },
    Bearer(String),
    Header(String),
}

#[derive(Debug, Clone)]
struct Actor {
    name: &'static str,
    auth: Auth,
    reach: Reach,
}

impl Actor {
    fn headers(&self) -> Vec<(&str, &str)> {
        match &self.auth {
            Auth::Session { cookie, csrf } => vec![("cookie", cookie), ("x-csrf-token", csrf)],
            Auth::Bearer(key) => vec![("authorization", key)],
            Auth::Header(key) => vec![("x-api-key", key)],
        }
    }
}

/// The shared vehicle, its owner, and one actor per kind of caller.
struct World {
    app: TestApp,
    owner: Actor,
    vehicle: i64,
    /// Users who must be collaborators on every vehicle the owner creates here.
    co_owners: Vec<i64>,
    actors: Vec<Actor>,
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    motovault_api::store::users::find_by_username(&app.db, username)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn sign_in(app: &mut TestApp, name: &'static str, username: &str, reach: Reach) -> Actor {
    let reply = app.login(username, PASSWORD).await;
    assert_eq!(reply.status, 200, "{username}: {}", reply.text);
    let actor = Actor {
        name,
        auth: Auth::Session {
            cookie: app.cookie.clone().unwrap(),
            csrf: app.csrf.clone().unwrap(),
        },
        reach,
    };
    app.forget();
    actor
}

impl World {
    async fn send(&self, actor: &Actor, method: &str, path: &str, body: Payload) -> Reply {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let headers = actor.headers();
        let (content_type, bytes) = match body {
            Payload::None => (None, vec![]),
            Payload::Json(text) => (Some("application/json".to_owned()), text.into_bytes()),
            Payload::Png => (
                Some(format!("multipart/form-data; boundary={BOUNDARY}")),
                png_upload(),
            ),
        };
        self.app
            .raw(method, path, content_type.as_deref(), bytes, &headers)
            .await
    }

    /// A request as the owner that must succeed; its JSON answer.
    async fn owner_ok(&self, method: &str, path: &str, body: Payload) -> Value {
        let reply = self.send(&self.owner, method, path, body).await;
        assert!(
            reply.status.is_success(),
            "owner {method} {path}: {} {}",
            reply.status,
            reply.text
        );
        reply.body
    }

    /// Creates an API key of the actor (a session) and returns its secret.
    async fn key_of(&self, actor: &Actor, name: &str, role: &str) -> (i64, String) {
        let body = json!({"name": name, "role": role}).to_string();
        let reply = self
            .send(actor, "post", "/api/v1/api-keys", Payload::Json(body))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        (
            reply.body["id"].as_i64().unwrap(),
            reply.body["secret"].as_str().unwrap().to_owned(),
        )
    }

    async fn add_user(&self, prefix: &str) -> (i64, String) {
        let name = unique(prefix);
        self.app.add_user(&name, PASSWORD).await;
        (user_id(&self.app, &name).await, name)
    }

    async fn share(&self, vehicle: i64, user: i64) {
        motovault_api::store::collaborators::insert(&self.app.db, vehicle, user)
            .await
            .unwrap();
    }

    async fn new_vehicle(&self) -> i64 {
        let created = self
            .owner_ok("post", "/api/v1/vehicles", Body::Json(VEHICLE).json())
            .await;
        let id = created["id"].as_i64().unwrap();
        for user in &self.co_owners {
            self.share(id, *user).await;
        }
        id
    }

    async fn build() -> World {
        let mut app = TestApp::spawn().await;
        app.setup_root().await;
        let root_cookie = app.cookie.clone().unwrap();
        let root_csrf = app.csrf.clone().unwrap();
        app.forget();
        let root = Actor {
            name: "root",
            auth: Auth::Session {
                cookie: root_cookie,
                csrf: root_csrf,
            },
            reach: Reach::Full,
        };

        for name in [
            "owner",
            "coowner",
            "former",
            "viewer",
            "editor",
            "manager",
            "grandchild",
            "stranger",
        ] {
            app.add_user(name, PASSWORD).await;
        }
        let hash = motovault_api::auth::password::hash(PASSWORD.to_owned())
            .await
            .unwrap();
        motovault_api::store::users::insert(
            &app.db,
            motovault_api::store::users::NewUser {
                username: "admin",
                email: None,
                password_hash: &hash,
                is_admin: true,
                is_root: false,
            },
        )
        .await
        .unwrap();

        let owner = sign_in(&mut app, "owner", "owner", Reach::Full).await;
        let coowner = sign_in(&mut app, "collaborator", "coowner", Reach::Full).await;
        let former = sign_in(&mut app, "disabled collaborator", "former", Reach::Dead).await;
        let viewer = sign_in(
            &mut app,
            "household viewer",
            "viewer",
            Reach::Household(Role::Viewer),
        )
        .await;
        let editor = sign_in(
            &mut app,
            "household editor",
            "editor",
            Reach::Household(Role::Editor),
        )
        .await;
        let manager = sign_in(
            &mut app,
            "household manager",
            "manager",
            Reach::Household(Role::Manager),
        )
        .await;
        let grandchild = sign_in(
            &mut app,
            "member of a member (not transitive)",
            "grandchild",
            Reach::Stranger,
        )
        .await;
        let stranger = sign_in(&mut app, "stranger", "stranger", Reach::Stranger).await;
        let admin = sign_in(&mut app, "administrator", "admin", Reach::Stranger).await;

        let co_owners = vec![
            user_id(&app, "coowner").await,
            user_id(&app, "former").await,
        ];
        let mut world = World {
            app,
            owner: owner.clone(),
            vehicle: 0,
            co_owners,
            actors: vec![],
        };
        world.vehicle = world.new_vehicle().await;

        // Households, built through the API: the owner heads viewer/editor/manager; the
        // manager heads the grandchild, who must not inherit the owner's vehicles.
        for (member, role) in [
            ("viewer", "viewer"),
            ("editor", "editor"),
            ("manager", "manager"),
        ] {
            world
                .owner_ok(
                    "post",
                    "/api/v1/household/members",
                    Payload::Json(json!({"username": member, "role": role}).to_string()),
                )
                .await;
        }
        let reply = world
            .send(
                &manager,
                "post",
                "/api/v1/household/members",
                Body::Json(r#"{"username": "grandchild", "role": "manager"}"#).json(),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);

        // Keys of the owner, of a member, and dead ones.
        let (_, viewer_key) = world.key_of(&owner, "viewer", "viewer").await;
        let (_, editor_key) = world.key_of(&owner, "editor", "editor").await;
        let (_, manager_key) = world.key_of(&owner, "manager", "manager").await;
        let (_, member_key) = world.key_of(&editor, "manager", "manager").await;
        let (expired_id, expired_key) = world.key_of(&owner, "expired", "manager").await;
        let (revoked_id, revoked_key) = world.key_of(&owner, "revoked", "manager").await;
        let (_, former_key) = world.key_of(&former, "manager", "manager").await;
        api_key::Entity::update_many()
            .col_expr(
                api_key::Column::ExpiresAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(api_key::Column::Id.eq(expired_id))
            .exec(&world.app.db)
            .await
            .unwrap();
        let revoked = world
            .send(
                &owner,
                "delete",
                &format!("/api/v1/api-keys/{revoked_id}"),
                Payload::None,
            )
            .await;
        assert_eq!(revoked.status, 204, "{}", revoked.text);
        user::Entity::update_many()
            .col_expr(user::Column::IsDisabled, Expr::value(true))
            .filter(user::Column::Username.eq("former"))
            .exec(&world.app.db)
            .await
            .unwrap();

        let key = |name, auth, reach| Actor { name, auth, reach };
        world.actors = vec![
            owner,
            coowner,
            viewer,
            editor,
            manager,
            grandchild,
            stranger,
            admin,
            root,
            key(
                "owner's viewer key",
                Auth::Bearer(format!("Bearer {viewer_key}")),
                Reach::OwnerKey(Role::Viewer),
            ),
            key(
                "owner's editor key",
                Auth::Header(editor_key),
                Reach::OwnerKey(Role::Editor),
            ),
            key(
                "owner's manager key",
                Auth::Bearer(format!("Bearer {manager_key}")),
                Reach::OwnerKey(Role::Manager),
            ),
            key(
                "household editor's manager key",
                Auth::Header(member_key),
                Reach::MemberKey {
                    member: Role::Editor,
                    key: Role::Manager,
                },
            ),
            key("expired key", Auth::Header(expired_key), Reach::Dead),
            key(
                "revoked key",
                Auth::Bearer(format!("Bearer {revoked_key}")),
                Reach::Dead,
            ),
            key("disabled user's key", Auth::Header(former_key), Reach::Dead),
            former,
        ];
        world
    }

    /// Creates what the case needs; the values that fill its placeholders.
    async fn prepare(&self, fixture: Fixture) -> HashMap<&'static str, String> {
        let v = self.vehicle;
        let mut ids = HashMap::from([("{vehicleId}", v.to_string())]);
        let base = format!("/api/v1/vehicles/{v}");
        match fixture {
            Fixture::None => {}
            Fixture::Record(collection, body) => {
                let created = self
                    .owner_ok(
                        "post",
                        &format!("{base}/{collection}"),
                        Body::Json(body).json(),
                    )
                    .await;
                ids.insert("{recordType}", collection.to_owned());
                ids.insert("{recordId}", created["id"].as_i64().unwrap().to_string());
            }
            Fixture::Inspection => {
                let template = self
                    .owner_ok(
                        "post",
                        &format!("{base}/inspection-templates"),
                        Body::Json(INSPECTION_TEMPLATE).json(),
                    )
                    .await["id"]
                    .as_i64()
                    .unwrap();
                let body = INSPECTION.replace("{recordId}", &template.to_string());
                let created = self
                    .owner_ok("post", &format!("{base}/inspections"), Payload::Json(body))
                    .await;
                ids.insert("{recordId}", created["id"].as_i64().unwrap().to_string());
            }
            Fixture::Attachment => {
                let note = self
                    .owner_ok("post", &format!("{base}/notes"), Body::Json(NOTE).json())
                    .await["id"]
                    .as_i64()
                    .unwrap();
                // A file, not a link: a link answers with a redirect to the outside world.
                let file = self
                    .owner_ok(
                        "post",
                        &format!("{base}/notes/{note}/attachments"),
                        Payload::Png,
                    )
                    .await;
                ids.insert("{recordType}", "notes".to_owned());
                ids.insert("{recordId}", note.to_string());
                ids.insert("{attachmentId}", file["id"].as_i64().unwrap().to_string());
            }
            Fixture::TwoNotes => {
                for key in ["{recordId}", "{otherId}"] {
                    let note = self
                        .owner_ok("post", &format!("{base}/notes"), Body::Json(NOTE).json())
                        .await;
                    ids.insert(key, note["id"].as_i64().unwrap().to_string());
                }
                ids.insert("{recordType}", "notes".to_owned());
            }
            Fixture::Image => {
                self.owner_ok("put", &format!("{base}/image"), Payload::Png)
                    .await;
            }
            Fixture::NewUser => {
                let (id, name) = self.add_user("newcomer").await;
                ids.insert("{userId}", id.to_string());
                ids.insert("{username}", name);
            }
            Fixture::Collaborator => {
                let (id, name) = self.add_user("partner").await;
                self.share(v, id).await;
                ids.insert("{userId}", id.to_string());
                ids.insert("{username}", name);
            }
            Fixture::Vehicle => {
                ids.insert("{vehicleId}", self.new_vehicle().await.to_string());
            }
        }
        ids
    }

    /// Runs every case for every actor; one line per cell that differs from `policy`.
    async fn run(&self, cases: &[Case], policy: fn(Reach, Access) -> Outcome) -> Vec<String> {
        let mut wrong = Vec::new();
        for case in cases {
            for actor in &self.actors {
                let ids = self.prepare(case.fixture).await;
                let fill = |text: &str| {
                    ids.iter()
                        .fold(text.to_owned(), |acc, (k, v)| acc.replace(k, v))
                };
                let path = fill(case.path);
                let body = case.body.fill(fill);
                let reply = self.send(actor, case.method, &path, body).await;
                let want = policy(actor.reach, case.access);
                let got = outcome_of(reply.status.as_u16());
                if got != Some(want) {
                    wrong.push(format!(
                        "{} {} as {}: expected {want:?}, got {} {}",
                        case.method.to_uppercase(),
                        case.path,
                        actor.name,
                        reply.status,
                        &reply.text[..reply.text.len().min(200)]
                    ));
                }
                if want != Outcome::Success
                    && (reply.text.contains(SECRET_MAKE) || reply.text.contains(SECRET_PLATE))
                {
                    wrong.push(format!(
                        "{} {} as {}: the refusal shows the vehicle's data: {}",
                        case.method.to_uppercase(),
                        case.path,
                        actor.name,
                        reply.text
                    ));
                }
            }
        }
        wrong
    }
}

const BOUNDARY: &str = "----motovault-authz-boundary";

fn png_upload() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        b"Content-Disposition: form-data; name=\"file\"; filename=\"car.png\"\r\n",
    );
    body.extend_from_slice(b"Content-Type: image/png\r\n\r\n");
    body.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    body.extend_from_slice(&[0_u8; 64]);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn report(wrong: &[String]) {
    assert!(
        wrong.is_empty(),
        "{} cell(s) of the matrix are wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// ------------------------------------------------------------------ the tests

#[actix_web::test]
async fn the_cases_cover_every_vehicle_scoped_route() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let documented: BTreeSet<(String, String)> = doc.body["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/api/v1/vehicles/{vehicleId}"))
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|m| ["get", "post", "put", "delete", "patch"].contains(&m.as_str()))
                .map(|m| (m.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let cases = all_cases();
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_owned(), c.path.to_owned()))
        .collect();
    assert_eq!(covered.len(), cases.len(), "a route is listed twice");
    assert_eq!(covered, documented);
}

#[actix_web::test]
async fn vehicles_collaborators_images_attachments_and_extra_fields() {
    let world = World::build().await;
    report(&world.run(&vehicle_cases(), expected).await);
}

#[actix_web::test]
async fn every_record_type() {
    let world = World::build().await;
    report(&world.run(&record_cases(), expected).await);
}

/// The runner can fail: a policy that wrongly lets the household viewer write is caught, and
/// so is one that lets the stranger read.
#[actix_web::test]
async fn a_wrong_expectation_is_reported() {
    fn too_generous(reach: Reach, access: Access) -> Outcome {
        match reach {
            Reach::Household(Role::Viewer) | Reach::Stranger => Outcome::Success,
            _ => expected(reach, access),
        }
    }
    let world = World::build().await;
    let notes = crud!("notes", NOTE);
    let wrong = world.run(&notes[..2], too_generous).await;
    let lines = wrong.join("\n");
    assert!(
        lines.contains(
            "POST /api/v1/vehicles/{vehicleId}/notes as household viewer: expected Success, got 403"
        ),
        "{lines}"
    );
    assert!(
        lines.contains(
            "GET /api/v1/vehicles/{vehicleId}/notes as stranger: expected Success, got 404"
        ),
        "{lines}"
    );
    // Exactly those two actors × two routes (the viewer may read: one cell is right), plus
    // the non-transitive member and the administrator, who are strangers too.
    assert_eq!(wrong.len(), 1 + 2 * 3, "{lines}");
}

/// The vehicle list and the summaries follow the same reach: the shared vehicle is listed for
/// everyone who can see it and for no one else.
#[actix_web::test]
async fn lists_show_the_vehicle_to_exactly_those_who_can_see_it() {
    let world = World::build().await;
    let ids_in = |reply: &Reply, list: &str, key: &str| -> Vec<i64> {
        let items = if list.is_empty() {
            &reply.body
        } else {
            &reply.body[list]
        };
        items
            .as_array()
            .map(|a| a.iter().filter_map(|v| v[key].as_i64()).collect())
            .unwrap_or_default()
    };
    let mut wrong = Vec::new();
    for actor in &world.actors {
        for (path, list, key) in [
            ("/api/v1/vehicles", "", "id"),
            ("/api/v1/vehicle-summaries", "summaries", "vehicleId"),
        ] {
            let reply = world.send(actor, "get", path, Payload::None).await;
            let status = reply.status.as_u16();
            let listed = ids_in(&reply, list, key).contains(&world.vehicle);
            let ok = match actor.reach {
                Reach::Dead => status == 401,
                Reach::Stranger => status == 200 && !listed && !reply.text.contains(SECRET_MAKE),
                _ => status == 200 && listed,
            };
            if !ok {
                wrong.push(format!(
                    "GET {path} as {}: {status}, listed: {listed}",
                    actor.name
                ));
            }
        }
    }
    report(&wrong);
}
