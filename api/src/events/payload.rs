//! What a [`Change`] says to the outside, in LubeLogger's words (reference §3.10): the `data`
//! map of each record kind, the event `type`, the human `action` line, and the webhook and
//! Discord bodies built from them.

use crate::compat::records::{kind_name, metric_name, priority_name, progress_name};
use std::collections::BTreeMap;

use chrono::{DateTime, Timelike, Utc};
use motovault_shared::Amount;
use motovault_shared::dto::FuelRecord;
use motovault_shared::dto::Vehicle;
use motovault_shared::dto::equipment::Equipment;
use motovault_shared::dto::inspections::Inspection;
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecord};
use motovault_shared::dto::notes::Note;
use motovault_shared::dto::odometer::OdometerRecord;
use motovault_shared::dto::plans::Plan;
use motovault_shared::dto::reminders::Reminder;
use motovault_shared::dto::supplies::Supply;
use motovault_shared::dto::tax::TaxRecord;
use serde_json::{Value, json};

use super::{Change, Op};
use crate::auth::Caller;
use crate::auth::caller::Credential;

/// The picture Discord shows beside the message.
pub const DISCORD_AVATAR: &str = "https://hargata.github.io/hargata/lubelogger_logo_small.png";

/// A vehicle or record a change is about: its §3.10 entity name, ids and `data` keys (besides
/// `user` and `vehicleId`, which every change carries).
pub trait Subject {
    fn entity(&self) -> &'static str;
    fn vehicle_id(&self) -> i64;
    fn record_id(&self) -> Option<i64>;
    fn data(&self) -> Vec<(&'static str, String)>;
}

/// .NET's `decimal.ToString("F2")`: two decimals, midpoint away from zero.
pub fn f2(amount: Amount) -> String {
    let raw = amount.scaled();
    let cents = (raw.unsigned_abs() + 50) / 100;
    let sign = if raw < 0 && cents != 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// The entity name of a maintenance kind.
pub fn maintenance_entity(kind: MaintenanceKind) -> &'static str {
    match kind {
        MaintenanceKind::Service => "servicerecord",
        MaintenanceKind::Repair => "repairrecord",
        MaintenanceKind::Upgrade => "upgraderecord",
    }
}

/// The entity name of one of our record types (`"fuel"`, `"service"`, … as in
/// `store::attachments::RECORD_TABLES`); unknown types keep their own name.
pub fn entity_of_record_type(record_type: &str) -> &str {
    match record_type {
        "fuel" => "gasrecord",
        "service" => "servicerecord",
        "repair" => "repairrecord",
        "upgrade" => "upgraderecord",
        "odometer" => "odometerrecord",
        "tax" => "taxrecord",
        "note" => "note",
        "supply" => "supplyrecord",
        "plan" => "planrecord",
        "reminder" => "reminderrecord",
        "equipment" => "equipmentrecord",
        "inspection" => "inspectionrecord",
        other => other,
    }
}

fn generic(description: &str, odometer: i64, cost: Amount) -> Vec<(&'static str, String)> {
    vec![
        ("description", description.to_owned()),
        ("odometer", odometer.to_string()),
        ("cost", f2(cost)),
    ]
}

/// A record with its own `id` and `vehicle_id`: the §3.10 entity name and `data` map, each
/// given as an expression over the record `r`.
macro_rules! record_subject {
    ($ty:ty, |$r:ident| $entity:expr, $data:block) => {
        impl Subject for $ty {
            fn entity(&self) -> &'static str {
                #[allow(unused_variables)]
                let $r = self;
                $entity
            }
            fn vehicle_id(&self) -> i64 {
                self.vehicle_id
            }
            fn record_id(&self) -> Option<i64> {
                Some(self.id)
            }
            fn data(&self) -> Vec<(&'static str, String)> {
                let $r = self;
                $data
            }
        }
    };
}

record_subject!(MaintenanceRecord, |r| maintenance_entity(r.kind), {
    generic(&r.description, r.odometer, r.cost)
});

record_subject!(FuelRecord, |r| "gasrecord", {
    vec![
        ("odometer", r.odometer.to_string()),
        ("fuelconsumed", r.fuel_consumed.to_string()),
        ("cost", f2(r.cost)),
    ]
});

record_subject!(OdometerRecord, |r| "odometerrecord", {
    vec![
        ("initialodometer", r.initial_odometer.to_string()),
        ("odometer", r.odometer.to_string()),
    ]
});

record_subject!(TaxRecord, |r| "taxrecord", {
    vec![("description", r.description.clone()), ("cost", f2(r.cost))]
});

record_subject!(Plan, |r| "planrecord", {
    vec![
        ("description", r.description.clone()),
        ("progress", progress_name(r.progress).to_owned()),
        ("priority", priority_name(r.priority).to_owned()),
        ("type", kind_name(r.record_kind).to_owned()),
        ("cost", f2(r.cost)),
    ]
});

record_subject!(Reminder, |r| "reminderrecord", {
    vec![
        ("description", r.description.clone()),
        ("metric", metric_name(r.metric).to_owned()),
    ]
});

impl Subject for Supply {
    fn entity(&self) -> &'static str {
        "supplyrecord"
    }
    /// Shop supplies belong to no vehicle: LubeLogger's vehicle id 0.
    fn vehicle_id(&self) -> i64 {
        self.vehicle_id.unwrap_or(0)
    }
    fn record_id(&self) -> Option<i64> {
        Some(self.id)
    }
    fn data(&self) -> Vec<(&'static str, String)> {
        vec![
            ("description", self.description.clone()),
            ("cost", f2(self.cost)),
            ("quantity", self.quantity.to_string()),
        ]
    }
}

record_subject!(Note, |r| "note", { vec![("description", r.title.clone())] });

record_subject!(Equipment, |r| "equipmentrecord", {
    vec![("description", r.description.clone())]
});

record_subject!(Inspection, |r| "inspectionrecord", {
    vec![("description", r.description.clone()), ("cost", f2(r.cost))]
});

impl Subject for Vehicle {
    fn entity(&self) -> &'static str {
        "vehicle"
    }
    fn vehicle_id(&self) -> i64 {
        self.id
    }
    fn record_id(&self) -> Option<i64> {
        None
    }
    fn data(&self) -> Vec<(&'static str, String)> {
        vec![(
            "description",
            format!("{} {} {}", self.year, self.make, self.model),
        )]
    }
}

/// LubeLogger's `.api` suffix: the change came through an API key or the user's own Basic
/// credentials (every LubeLogger-compatible call), not a browser session.
pub fn via_api(caller: &Caller) -> bool {
    !matches!(caller.credential, Credential::Session { .. })
}

impl Change {
    fn new(
        caller: &Caller,
        entity: &str,
        op: Op,
        vehicle_id: i64,
        record_id: Option<i64>,
        extra: Vec<(&'static str, String)>,
    ) -> Change {
        let mut data: BTreeMap<String, String> =
            extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        data.insert("user".into(), caller.user.username.clone());
        data.insert("vehicleId".into(), vehicle_id.to_string());
        Change {
            entity: entity.to_owned(),
            op,
            vehicle_id,
            record_id,
            user_id: caller.user.id,
            username: caller.user.username.clone(),
            via_api: via_api(caller),
            data,
            at: Utc::now(),
        }
    }

    /// `caller` added, updated or (with the record read before) deleted `subject`.
    pub fn of(caller: &Caller, op: Op, subject: &impl Subject) -> Change {
        Change::new(
            caller,
            subject.entity(),
            op,
            subject.vehicle_id(),
            subject.record_id(),
            subject.data(),
        )
    }

    /// A change known only by its ids (a delete, an attachment): `data` has `user` and
    /// `vehicleId` only.
    pub fn bare(
        caller: &Caller,
        entity: &str,
        op: Op,
        vehicle_id: i64,
        record_id: Option<i64>,
    ) -> Change {
        Change::new(caller, entity, op, vehicle_id, record_id, Vec::new())
    }

    /// Something hanging off a record changed (files, links, extra-field values): an update
    /// of the record under the path segment `segment` (e.g. `fuel-records`).
    pub fn touched(caller: &Caller, segment: &str, vehicle_id: i64, record_id: i64) -> Change {
        let record_type = crate::store::attachments::record_table(segment)
            .map(|t| t.record_type)
            .unwrap_or(segment);
        let entity = entity_of_record_type(record_type);
        Change::bare(caller, entity, Op::Update, vehicle_id, Some(record_id))
    }

    /// Several records at once (`bulk.{what}` types, e.g. `bulk.servicerecord.update`): the
    /// `op` is part of the entity name and the action.
    pub fn bulk(caller: &Caller, what: &str, op: Op, vehicle_id: i64, count: usize) -> Change {
        Change::new(
            caller,
            &format!("bulk.{what}"),
            op,
            vehicle_id,
            None,
            vec![("count", count.to_string())],
        )
    }

    fn op_word(&self) -> &'static str {
        match self.op {
            Op::Add => "add",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    /// `{entity}.{add|update|delete}`, plus `.api` when made through the API.
    pub fn event_type(&self) -> String {
        let api = if self.via_api { ".api" } else { "" };
        format!("{}.{}{api}", self.entity, self.op_word())
    }

    /// LubeLogger's `GetFriendlyActionType` line plus what identifies the record:
    /// "admin Added Service Record via API Description: Oil change".
    pub fn action(&self) -> String {
        let verb = match self.op {
            Op::Add => "Added",
            Op::Update => "Updated",
            Op::Delete => "Deleted",
        };
        let what = friendly_entity(self.entity.rsplit('.').next().unwrap_or(&self.entity));
        let api = if self.via_api { " via API" } else { "" };
        let mut line = format!("{} {verb} {what}{api}", self.username);
        let odometer_first = matches!(self.entity.as_str(), "gasrecord" | "odometerrecord");
        if odometer_first && let Some(odometer) = self.data.get("odometer") {
            line.push_str(&format!(" Odometer: {odometer}"));
        } else if let Some(description) = self.data.get("description") {
            line.push_str(&format!(" Description: {description}"));
        }
        line
    }

    /// The webhook body: camelCase `{type, timestamp, data, vehicleId, username, action}`.
    pub fn webhook_payload(&self) -> Value {
        json!({
            "type": self.event_type(),
            "timestamp": dotnet_round_trip(self.at),
            "data": self.data,
            "vehicleId": self.vehicle_id,
            "username": self.username,
            "action": self.action(),
        })
    }

    /// The body for a `discord://` webhook URL.
    pub fn discord_payload(&self) -> Value {
        json!({
            "username": "MotoVaultPro",
            "avatar_url": DISCORD_AVATAR,
            "content": self.action(),
        })
    }
}

/// `servicerecord` → "Service Record", `vehicle` → "Vehicle" (LubeLogger capitalises the part
/// before "record").
fn friendly_entity(entity: &str) -> String {
    let lower = entity.to_lowercase();
    let (stem, suffix) = match lower.find("record") {
        Some(_) => (lower.replace("record", ""), " Record"),
        None => (lower, ""),
    };
    let mut chars = stem.chars();
    let capital = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    format!("{capital}{suffix}")
}

/// .NET's round-trip format "O" for UTC: seven fractional digits and `Z`.
pub fn dotnet_round_trip(at: DateTime<Utc>) -> String {
    let ticks = at.nanosecond() % 1_000_000_000 / 100;
    format!("{}.{ticks:07}Z", at.format("%Y-%m-%dT%H:%M:%S"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::entity::user;
    use chrono::TimeZone;
    use motovault_shared::dto::access::{Permission, Role};

    fn caller(credential: Credential) -> Caller {
        let now = Utc::now();
        Caller {
            user: user::Model {
                id: 7,
                username: "admin".into(),
                username_normalized: "admin".into(),
                email: None,
                password_hash: None,
                is_admin: true,
                is_root: false,
                is_disabled: false,
                created_at: now,
                updated_at: now,
            },
            credential,
            need: Permission::Edit,
        }
    }

    fn session() -> Credential {
        Credential::Session {
            csrf_token: String::new(),
            session_hash: String::new(),
        }
    }

    fn key() -> Credential {
        Credential::ApiKey {
            id: 1,
            role: Role::Editor,
        }
    }

    #[test]
    fn f2_rounds_half_away_from_zero() {
        for (scaled, text) in [
            (0, "0.00"),
            (125_000, "12.50"),
            (123_450, "12.35"),
            (123_449, "12.34"),
            (-123_450, "-12.35"),
            (-40, "0.00"),
            (10_000_000, "1000.00"),
            (5, "0.00"),
            (50, "0.01"),
        ] {
            assert_eq!(f2(Amount::from_scaled(scaled)), text, "{scaled}");
        }
    }

    #[test]
    fn friendly_names() {
        for (entity, friendly) in [
            ("servicerecord", "Service Record"),
            ("repairrecord", "Repair Record"),
            ("gasrecord", "Gas Record"),
            ("odometerrecord", "Odometer Record"),
            ("reminderrecord", "Reminder Record"),
            ("note", "Note"),
            ("vehicle", "Vehicle"),
        ] {
            assert_eq!(friendly_entity(entity), friendly);
        }
    }

    fn change(
        credential: Credential,
        entity: &str,
        op: Op,
        data: &[(&'static str, &str)],
    ) -> Change {
        let extra = data.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        Change::new(&caller(credential), entity, op, 3, Some(9), extra)
    }

    /// Worked examples of `type` and `action` (reference §3.10).
    #[test]
    fn type_and_action_table() {
        let cases = [
            (
                change(
                    key(),
                    "servicerecord",
                    Op::Add,
                    &[
                        ("description", "Oil change"),
                        ("odometer", "1000"),
                        ("cost", "45.50"),
                    ],
                ),
                "servicerecord.add.api",
                "admin Added Service Record via API Description: Oil change",
            ),
            (
                change(
                    session(),
                    "gasrecord",
                    Op::Update,
                    &[
                        ("odometer", "12345"),
                        ("fuelconsumed", "40.5"),
                        ("cost", "60.00"),
                    ],
                ),
                "gasrecord.update",
                "admin Updated Gas Record Odometer: 12345",
            ),
            (
                change(
                    Credential::Direct,
                    "odometerrecord",
                    Op::Delete,
                    &[("initialodometer", "100"), ("odometer", "200")],
                ),
                "odometerrecord.delete.api",
                "admin Deleted Odometer Record via API Odometer: 200",
            ),
            (
                change(
                    session(),
                    "note",
                    Op::Add,
                    &[("description", "Winter tyres")],
                ),
                "note.add",
                "admin Added Note Description: Winter tyres",
            ),
            (
                change(session(), "vehicle", Op::Delete, &[]),
                "vehicle.delete",
                "admin Deleted Vehicle",
            ),
        ];
        for (change, kind, action) in cases {
            assert_eq!(change.event_type(), kind);
            assert_eq!(change.action(), action);
        }
    }

    #[test]
    fn data_per_record_kind() {
        let at = Utc::now();
        let c = caller(session());
        let fuel = FuelRecord {
            id: 9,
            vehicle_id: 3,
            date: at.date_naive(),
            odometer: 12345,
            fuel_consumed: Amount::parse("40.5").unwrap(),
            cost: Amount::parse("60.125").unwrap(),
            is_fill_to_full: true,
            missed_fuel_up: false,
            notes: String::new(),
            tags: vec![],
            starting_soc: None,
            ending_soc: None,
            distance: 0,
            fuel_economy: None,
            cost_per_unit: 0.0,
            created_at: at,
            updated_at: at,
        };
        let change = Change::of(&c, Op::Add, &fuel);
        let data: Vec<(&str, &str)> = change
            .data
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            data,
            [
                ("cost", "60.13"),
                ("fuelconsumed", "40.5"),
                ("odometer", "12345"),
                ("user", "admin"),
                ("vehicleId", "3"),
            ]
        );
        assert_eq!(change.record_id, Some(9));
        assert_eq!(change.event_type(), "gasrecord.add");
    }

    #[test]
    fn webhook_and_discord_bodies() {
        let mut change = change(
            key(),
            "taxrecord",
            Op::Add,
            &[("description", "Registration"), ("cost", "120.00")],
        );
        change.at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
            + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(
            change.webhook_payload(),
            json!({
                "type": "taxrecord.add.api",
                "timestamp": "2026-01-02T03:04:05.1234567Z",
                "data": {"cost": "120.00", "description": "Registration", "user": "admin", "vehicleId": "3"},
                "vehicleId": 3,
                "username": "admin",
                "action": "admin Added Tax Record via API Description: Registration",
            })
        );
        assert_eq!(
            change.discord_payload(),
            json!({
                "username": "MotoVaultPro",
                "avatar_url": DISCORD_AVATAR,
                "content": "admin Added Tax Record via API Description: Registration",
            })
        );
    }
}
