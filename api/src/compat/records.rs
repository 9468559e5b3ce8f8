//! The per-record endpoints of reference §4.3 for every `{rec}`: list across vehicles, list
//! of one vehicle with the `MP` filters, add, update, delete; plus the odometer `latest` and
//! `recalculate`. Every write goes through the same domain functions as `/api/v1`, so the
//! access rules, validation, odometer auto-insert (§3.3), supply restoration and recurring tax
//! back-fill are the native ones.

use std::collections::HashMap;

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};
use motovault_shared::Amount;
use motovault_shared::dto::FuelRecordInput;
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::equipment::EquipmentInput;
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecordInput};
use motovault_shared::dto::notes::NoteInput;
use motovault_shared::dto::odometer::OdometerRecordInput;
use motovault_shared::dto::plans::{PlanInput, PlanPriority, PlanProgress};
use motovault_shared::dto::reminders::{Reminder, ReminderInput, ReminderMetric, ReminderUrgency};
use motovault_shared::dto::supplies::SupplyInput;
use motovault_shared::dto::tax::TaxRecordInput;
use motovault_shared::fuel::{self as fuel_rule, EconomyMode, FuelEntry, LITRES_PER_UK_GALLON};
use sea_orm::{DatabaseConnection, EntityTrait};

use super::auth::CompatCaller;
use super::documents;
use super::error::{CompatError, CompatResult, on_add, on_change, on_read};
use super::input::Bag;
use super::output::{self, Fmt, J};
use super::parts::{self, Parts};
use crate::auth::Caller;
use crate::domain::reminders::UrgencyContext;
use crate::domain::supplies::Scope;
use crate::domain::{
    equipment, fuel, maintenance, notes, odometer, plans, reminders, supplies, tax, vehicles,
};
use crate::error::AppResult;
use crate::events::payload::entity_of_record_type;
use crate::events::{Change, Op};
use crate::state::AppState;
use crate::store::attachments as attachment_store;
use crate::store::entity::{
    equipment as equipment_row, fuel_record, maintenance_record, note, odometer_record,
    plan_record, reminder, supply, tax_record,
};
use crate::store::vehicles as vehicle_store;

/// One `{rec}` of reference §4.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rec {
    Service,
    Repair,
    Upgrade,
    Gas,
    Tax,
    Supply,
    Odometer,
    Plan,
    Reminder,
    Note,
    Equipment,
}

impl Rec {
    pub const ALL: [Rec; 11] = [
        Rec::Service,
        Rec::Repair,
        Rec::Upgrade,
        Rec::Gas,
        Rec::Tax,
        Rec::Supply,
        Rec::Odometer,
        Rec::Plan,
        Rec::Reminder,
        Rec::Note,
        Rec::Equipment,
    ];

    /// The path segment under `/api/vehicle/`.
    pub fn path(self) -> &'static str {
        match self {
            Rec::Service => "servicerecords",
            Rec::Repair => "repairrecords",
            Rec::Upgrade => "upgraderecords",
            Rec::Gas => "gasrecords",
            Rec::Tax => "taxrecords",
            Rec::Supply => "supplyrecords",
            Rec::Odometer => "odometerrecords",
            Rec::Plan => "planrecords",
            Rec::Reminder => "reminders",
            Rec::Note => "notes",
            Rec::Equipment => "equipmentrecords",
        }
    }

    /// Our `record_type` and the native attachment segment.
    fn native(self) -> (&'static str, &'static str) {
        match self {
            Rec::Service => ("service", "service-records"),
            Rec::Repair => ("repair", "repair-records"),
            Rec::Upgrade => ("upgrade", "upgrade-records"),
            Rec::Gas => ("fuel", "fuel-records"),
            Rec::Tax => ("tax", "tax-records"),
            Rec::Supply => ("supply", "supplies"),
            Rec::Odometer => ("odometer", "odometer-records"),
            Rec::Plan => ("plan", "plans"),
            Rec::Reminder => ("reminder", "reminders"),
            Rec::Note => ("note", "notes"),
            Rec::Equipment => ("equipment", "equipment"),
        }
    }

    /// The noun of the success messages ("Service Record Added"; notes say "Note Added").
    fn noun(self) -> &'static str {
        match self {
            Rec::Service => "Service Record",
            Rec::Repair => "Repair Record",
            Rec::Upgrade => "Upgrade Record",
            Rec::Gas => "Gas Record",
            Rec::Tax => "Tax Record",
            Rec::Supply => "Supply Record",
            Rec::Odometer => "Odometer Record",
            Rec::Plan => "Plan Record",
            Rec::Reminder => "Reminder Record",
            Rec::Note => "Note",
            Rec::Equipment => "Equipment Record",
        }
    }

    fn maintenance(self) -> Option<MaintenanceKind> {
        match self {
            Rec::Service => Some(MaintenanceKind::Service),
            Rec::Repair => Some(MaintenanceKind::Repair),
            Rec::Upgrade => Some(MaintenanceKind::Upgrade),
            _ => None,
        }
    }

    /// Which `MP` filters apply (§4.3): dates, tags.
    fn filters(self) -> (bool, bool) {
        match self {
            Rec::Plan => (true, false),
            Rec::Note | Rec::Equipment | Rec::Reminder => (false, true),
            _ => (true, true),
        }
    }

    /// Required fields of add (update adds `Id`, and odometer `InitialOdometer`).
    fn required(self, update: bool) -> Vec<(&'static str, &'static str)> {
        let mut fields: Vec<(&'static str, &'static str)> = match self {
            Rec::Service | Rec::Repair | Rec::Upgrade => vec![
                ("date", "Date"),
                ("description", "Description"),
                ("odometer", "Odometer"),
                ("cost", "Cost"),
            ],
            Rec::Tax => vec![
                ("date", "Date"),
                ("description", "Description"),
                ("cost", "Cost"),
            ],
            Rec::Gas => vec![
                ("date", "Date"),
                ("odometer", "Odometer"),
                ("fuelconsumed", "FuelConsumed"),
                ("isfilltofull", "IsFillToFull"),
                ("missedfuelup", "MissedFuelUp"),
                ("cost", "Cost"),
            ],
            Rec::Odometer if update => vec![
                ("date", "Date"),
                ("initialodometer", "InitialOdometer"),
                ("odometer", "Odometer"),
            ],
            Rec::Odometer => vec![("date", "Date"), ("odometer", "Odometer")],
            Rec::Supply => vec![
                ("date", "Date"),
                ("description", "Description"),
                ("partquantity", "Quantity"),
                ("cost", "Cost"),
            ],
            Rec::Plan => vec![
                ("description", "Description"),
                ("cost", "Cost"),
                ("type", "Type"),
                ("priority", "Priority"),
                ("progress", "Progress"),
            ],
            Rec::Reminder => vec![("description", "Description"), ("metric", "Metric")],
            Rec::Note => vec![("description", "Description"), ("notetext", "NoteText")],
            Rec::Equipment => vec![("description", "Description"), ("isequipped", "IsEquipped")],
        };
        if update {
            fields.insert(0, ("id", "Id"));
        }
        fields
    }
}

/// "A and B", "A, B, and C", as LubeLogger's messages list fields.
fn join_fields(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn check_required(rec: Rec, bag: &Bag, update: bool) -> CompatResult<()> {
    let fields = rec.required(update);
    if fields.iter().all(|(key, _)| bag.has(key)) {
        return Ok(());
    }
    let names: Vec<&str> = fields.iter().map(|(_, n)| *n).collect();
    Err(CompatError::BadRequest(format!(
        "Input object invalid, {} cannot be empty.",
        join_fields(&names)
    )))
}

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/vehicle/odometerrecords/latest",
        web::get().to(odometer_latest),
    )
    .route(
        "/api/vehicle/odometerrecords/recalculate",
        web::put().to(odometer_recalculate),
    );
    for rec in Rec::ALL {
        let base = format!("/api/vehicle/{}", rec.path());
        cfg.route(
            &format!("{base}/all"),
            web::get().to(move |req, state, who| list_all(rec, req, state, who)),
        )
        .route(
            &base,
            web::get().to(move |req, state, who| list_one(rec, req, state, who)),
        )
        .route(
            &format!("{base}/add"),
            web::post().to(move |req, body, state, who| add(rec, req, body, state, who)),
        )
        .route(
            &format!("{base}/update"),
            web::put().to(move |req, body, state, who| update(rec, req, body, state, who)),
        )
        .route(
            &format!("{base}/delete"),
            web::delete().to(move |req, body, state, who| delete(rec, req, body, state, who)),
        );
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn context(state: &AppState) -> UrgencyContext {
    UrgencyContext::now(&state.settings.reminders)
}

/// One listed record: what the filters look at, and its export model.
struct Row {
    id: i64,
    date: Option<NaiveDate>,
    tags: Vec<String>,
    urgency: Option<ReminderUrgency>,
    json: J,
}

fn tags_text(tags: &[String]) -> J {
    J::str(tags.join(" "))
}

/// LubeLogger's enum name (also in the §3.10 event payload).
pub(crate) fn urgency_name(u: ReminderUrgency) -> &'static str {
    match u {
        ReminderUrgency::NotUrgent => "NotUrgent",
        ReminderUrgency::Urgent => "Urgent",
        ReminderUrgency::VeryUrgent => "VeryUrgent",
        ReminderUrgency::PastDue => "PastDue",
    }
}

/// LubeLogger's enum name (also in the §3.10 event payload).
pub(crate) fn metric_name(m: ReminderMetric) -> &'static str {
    match m {
        ReminderMetric::Date => "Date",
        ReminderMetric::Odometer => "Odometer",
        ReminderMetric::Both => "Both",
    }
}

fn parse_urgency(text: &str) -> Option<ReminderUrgency> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "0" | "noturgent" => ReminderUrgency::NotUrgent,
        "1" | "urgent" => ReminderUrgency::Urgent,
        "2" | "veryurgent" => ReminderUrgency::VeryUrgent,
        "3" | "pastdue" => ReminderUrgency::PastDue,
        _ => return None,
    })
}

/// The Reminder GET model (also `nextReminder` of `/api/vehicle/info`). A reminder without a
/// due date shows .NET's `DateTime.MinValue`, as LubeLogger's default does.
pub fn reminder_json(fmt: &Fmt, r: &Reminder) -> J {
    let min = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
    J::Obj(vec![
        ("vehicleId", fmt.int(r.vehicle_id)),
        ("id", fmt.int(r.id)),
        ("description", J::str(r.description.clone())),
        ("urgency", J::str(urgency_name(r.urgency))),
        ("metric", J::str(metric_name(r.urgency_metric))),
        ("userMetric", J::str(metric_name(r.metric))),
        ("notes", J::str(r.notes.clone())),
        ("dueDate", fmt.date(r.due_date.unwrap_or(min))),
        ("dueOdometer", fmt.int(r.due_odometer.unwrap_or(0))),
        ("dueDays", fmt.int(r.due_days.unwrap_or(0))),
        ("dueDistance", fmt.int(r.due_distance.unwrap_or(0))),
        ("tags", tags_text(&r.tags)),
    ])
}

/// LubeLogger's enum name (also in the §3.10 event payload).
pub(crate) fn kind_name(k: MaintenanceKind) -> &'static str {
    match k {
        MaintenanceKind::Service => "ServiceRecord",
        MaintenanceKind::Repair => "RepairRecord",
        MaintenanceKind::Upgrade => "UpgradeRecord",
    }
}

/// LubeLogger's enum name (also in the §3.10 event payload).
pub(crate) fn priority_name(p: PlanPriority) -> &'static str {
    match p {
        PlanPriority::Critical => "Critical",
        PlanPriority::Normal => "Normal",
        PlanPriority::Low => "Low",
    }
}

/// LubeLogger's enum name (also in the §3.10 event payload).
pub(crate) fn progress_name(p: PlanProgress) -> &'static str {
    match p {
        PlanProgress::Backlog => "Backlog",
        PlanProgress::InProgress => "InProgress",
        PlanProgress::Testing => "Testing",
        PlanProgress::Done => "Done",
    }
}

async fn load_parts(
    db: &DatabaseConnection,
    rec: Rec,
    ids: impl IntoIterator<Item = i64>,
) -> CompatResult<Parts> {
    let (record_type, segment) = rec.native();
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(parts::load(db, record_type, segment, &ids).await?)
}

impl Row {
    /// A record that carries extra fields and files: its own `fields`, then `extraFields` and
    /// `files` from `p`, in that order.
    fn with_parts(
        p: &Parts,
        id: i64,
        date: Option<NaiveDate>,
        fields: Vec<(&'static str, J)>,
        tags: Vec<String>,
    ) -> Row {
        let mut fields = fields;
        fields.push(("extraFields", p.extra(id)));
        fields.push(("files", p.files(id)));
        Row {
            id,
            date,
            tags,
            urgency: None,
            json: J::Obj(fields),
        }
    }

    /// One more field after the ones already there (after `files`, for odometer).
    fn then(mut self, key: &'static str, value: J) -> Row {
        if let J::Obj(fields) = &mut self.json {
            fields.push((key, value));
        }
        self
    }
}

/// Every record of one vehicle (or the shop, `vehicle_id` 0 for supplies) as export models.
async fn rows_of(
    state: &AppState,
    caller: &Caller,
    fmt: &Fmt,
    rec: Rec,
    vehicle_id: i64,
    bag: &Bag,
) -> CompatResult<Vec<Row>> {
    let db = &state.db;
    let out = match rec {
        Rec::Service | Rec::Repair | Rec::Upgrade => {
            let kind = rec.maintenance().unwrap_or(MaintenanceKind::Service);
            let list = maintenance::list(db, caller, vehicle_id, kind)
                .await?
                .records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("date", fmt.date(r.date)),
                        ("odometer", fmt.int(r.odometer)),
                        ("description", J::str(r.description)),
                        ("notes", J::str(r.notes)),
                        ("cost", fmt.dec(r.cost)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, Some(r.date), fields, r.tags)
                })
                .collect()
        }
        Rec::Tax => {
            let list = tax::list(db, &state.objects, caller, vehicle_id, today())
                .await?
                .records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("date", fmt.date(r.date)),
                        ("description", J::str(r.description)),
                        ("notes", J::str(r.notes)),
                        ("cost", fmt.dec(r.cost)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, Some(r.date), fields, r.tags)
                })
                .collect()
        }
        Rec::Supply => {
            let scope = if vehicle_id == 0 {
                Scope::Shop
            } else {
                Scope::Vehicle(vehicle_id)
            };
            let list = supplies::list(db, caller, scope).await?.records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id.unwrap_or(0))),
                        ("id", fmt.int(r.id)),
                        ("date", fmt.date_time(r.date)),
                        ("partNumber", J::str(r.part_number)),
                        ("partSupplier", J::str(r.supplier)),
                        ("partQuantity", fmt.dec(r.quantity)),
                        ("description", J::str(r.description)),
                        ("cost", fmt.dec(r.cost)),
                        ("notes", J::str(r.notes)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, Some(r.date), fields, r.tags)
                })
                .collect()
        }
        Rec::Odometer => {
            let mut list = odometer::list(db, caller, vehicle_id).await?.records;
            // LubeLogger's GET chains the initial readings, and saves them, when every one is
            // 0 (records imported without them; reference §3.3).
            if !list.is_empty() && list.iter().all(|r| r.initial_odometer == 0) {
                list = odometer::recalculate(db, caller, vehicle_id).await?.records;
            }
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let equipment: Vec<String> =
                        r.equipment_ids.iter().map(i64::to_string).collect();
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("date", fmt.date(r.date)),
                        ("initialOdometer", fmt.int(r.initial_odometer)),
                        ("odometer", fmt.int(r.odometer)),
                        ("notes", J::str(r.notes)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, Some(r.date), fields, r.tags)
                        .then("equipmentRecordId", J::str(equipment.join(" ")))
                })
                .collect()
        }
        Rec::Gas => gas_rows(state, caller, fmt, vehicle_id, bag).await?,
        Rec::Plan => {
            let list = plans::list(db, caller, vehicle_id).await?.records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let created = r.created_at.date_naive();
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("dateCreated", fmt.date(created)),
                        ("dateModified", fmt.date(r.updated_at.date_naive())),
                        ("description", J::str(r.description)),
                        ("notes", J::str(r.notes)),
                        ("type", J::str(kind_name(r.record_kind))),
                        ("priority", J::str(priority_name(r.priority))),
                        ("progress", J::str(progress_name(r.progress))),
                        ("cost", fmt.dec(r.cost)),
                    ];
                    // Plans have no tags.
                    Row::with_parts(&p, r.id, Some(created), fields, Vec::new())
                })
                .collect()
        }
        Rec::Reminder => {
            let list = reminders::list(db, caller, vehicle_id, context(state))
                .await?
                .records;
            list.into_iter()
                .map(|r| Row {
                    id: r.id,
                    date: None,
                    urgency: Some(r.urgency),
                    json: reminder_json(fmt, &r),
                    tags: r.tags,
                })
                .collect()
        }
        Rec::Note => {
            let list = notes::list(db, caller, vehicle_id).await?.records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("description", J::str(r.title)),
                        ("noteText", J::str(r.body)),
                        ("pinned", fmt.boolean(r.is_pinned)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, None, fields, r.tags)
                })
                .collect()
        }
        Rec::Equipment => {
            let list = equipment::list(db, caller, vehicle_id).await?.records;
            let p = load_parts(db, rec, list.iter().map(|r| r.id)).await?;
            list.into_iter()
                .map(|r| {
                    let fields = vec![
                        ("vehicleId", fmt.int(r.vehicle_id)),
                        ("id", fmt.int(r.id)),
                        ("description", J::str(r.description)),
                        ("isEquipped", fmt.boolean(r.is_equipped)),
                        ("distanceTraveled", fmt.int(r.distance_traveled)),
                        ("notes", J::str(r.notes)),
                        ("tags", tags_text(&r.tags)),
                    ];
                    Row::with_parts(&p, r.id, None, fields, r.tags)
                })
                .collect()
        }
    };
    Ok(out)
}

/// Fuel economy as the API computes it: from the `useMPG`/`useUKMPG` parameters (both default
/// false, so L/100 form), not the user's settings (reference §3.1).
async fn gas_rows(
    state: &AppState,
    caller: &Caller,
    fmt: &Fmt,
    vehicle_id: i64,
    bag: &Bag,
) -> CompatResult<Vec<Row>> {
    let db = &state.db;
    let use_mpg = bag.boolean("usempg")?.unwrap_or(false);
    let use_uk = use_mpg && bag.boolean("useukmpg")?.unwrap_or(false);
    let list = fuel::list(db, caller, vehicle_id).await?.records;
    let entries: Vec<FuelEntry> = list
        .iter()
        .map(|r| FuelEntry {
            id: r.id,
            date: r.date,
            odometer: r.odometer,
            fuel: r.fuel_consumed.to_f64(),
            cost: r.cost.to_f64(),
            is_fill_to_full: r.is_fill_to_full,
            missed_fuel_up: r.missed_fuel_up,
        })
        .collect();
    let economy = fuel_rule::compute(
        &entries,
        EconomyMode {
            use_mpg,
            use_uk_mpg: use_uk,
        },
    );
    let by_id: HashMap<i64, f64> = economy
        .rows
        .iter()
        .map(|r| (r.id, r.economy.unwrap_or(0.0)))
        .collect();
    let p = load_parts(db, Rec::Gas, list.iter().map(|r| r.id)).await?;
    Ok(list
        .into_iter()
        .map(|r| {
            let consumed = if use_uk {
                let uk = r.fuel_consumed.to_f64() / LITRES_PER_UK_GALLON;
                Amount::from_f64((uk * 10_000.0).round() / 10_000.0).unwrap_or(r.fuel_consumed)
            } else {
                r.fuel_consumed
            };
            let fields = vec![
                ("vehicleId", fmt.int(r.vehicle_id)),
                ("id", fmt.int(r.id)),
                ("date", fmt.date(r.date)),
                ("odometer", fmt.int(r.odometer)),
                ("fuelConsumed", fmt.dec(consumed)),
                ("cost", fmt.dec(r.cost)),
                (
                    "fuelEconomy",
                    fmt.float2(by_id.get(&r.id).copied().unwrap_or(0.0)),
                ),
                ("isFillToFull", fmt.boolean(r.is_fill_to_full)),
                ("missedFuelUp", fmt.boolean(r.missed_fuel_up)),
                ("notes", J::str(r.notes)),
                ("tags", tags_text(&r.tags)),
            ];
            Row::with_parts(&p, r.id, Some(r.date), fields, r.tags)
        })
        .collect())
}

/// The `MP` filters: `id`, `startDate`/`endDate` (inclusive), `tags` (any), and for reminders
/// `urgencies`.
fn filter(rec: Rec, bag: &Bag, rows: Vec<Row>) -> CompatResult<Vec<Row>> {
    let (dated, tagged) = rec.filters();
    let id = bag.int("id")?.filter(|id| *id != 0);
    let start = if dated {
        bag.date("startdate").ok().flatten()
    } else {
        None
    };
    let end = if dated {
        bag.date("enddate").ok().flatten()
    } else {
        None
    };
    let tags = if tagged { bag.tags("tags") } else { Vec::new() };
    let urgencies: Vec<ReminderUrgency> = if rec == Rec::Reminder {
        bag.all("urgencies")
            .iter()
            .filter_map(|u| parse_urgency(u))
            .collect()
    } else {
        Vec::new()
    };
    let mut rows = rows;
    // LubeLogger answers in storage order.
    rows.sort_by_key(|r| r.id);
    Ok(rows
        .into_iter()
        .filter(|r| id.is_none_or(|id| r.id == id))
        .filter(|r| match (r.date, start) {
            (Some(d), Some(s)) => d >= s,
            _ => true,
        })
        .filter(|r| match (r.date, end) {
            (Some(d), Some(e)) => d <= e,
            _ => true,
        })
        .filter(|r| tags.is_empty() || r.tags.iter().any(|t| tags.contains(t)))
        .filter(|r| urgencies.is_empty() || r.urgency.is_some_and(|u| urgencies.contains(&u)))
        .collect())
}

async fn list_all(
    rec: Rec,
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let mut all = Vec::new();
    for v in vehicle_store::list_visible(&state.db, &caller.user).await? {
        all.extend(rows_of(&state, &caller, &who.fmt, rec, v.id, &bag).await?);
    }
    if rec == Rec::Supply && state.settings.supplies.shop_enabled {
        all.extend(rows_of(&state, &caller, &who.fmt, rec, 0, &bag).await?);
    }
    let rows = filter(rec, &bag, all)?;
    Ok(output::ok(&J::Arr(
        rows.into_iter().map(|r| r.json).collect(),
    )))
}

/// `vehicleId` 0 means the shop for supplies when shop supplies are on; otherwise it is missing.
fn vehicle_id_of(state: &AppState, rec: Rec, bag: &Bag) -> CompatResult<Option<i64>> {
    let id = bag.query_first_int("vehicleid")?;
    Ok(match id {
        Some(0) if rec == Rec::Supply && state.settings.supplies.shop_enabled => Some(0),
        Some(id) if id > 0 => Some(id),
        _ => None,
    })
}

async fn list_one(
    rec: Rec,
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let Some(vehicle_id) = vehicle_id_of(&state, rec, &bag)? else {
        return Err(CompatError::BadRequest(
            "Must provide a valid vehicle id".into(),
        ));
    };
    let rows = match rows_of(&state, &caller, &who.fmt, rec, vehicle_id, &bag).await {
        Err(CompatError::Server(e)) => return Err(on_read(e)),
        Err(CompatError::NoVehicleAccess) => return Err(CompatError::Redirect),
        other => other?,
    };
    let rows = filter(rec, &bag, rows)?;
    Ok(output::ok(&J::Arr(
        rows.into_iter().map(|r| r.json).collect(),
    )))
}

fn req_date(bag: &Bag, key: &str) -> CompatResult<NaiveDate> {
    bag.date(key)?.ok_or_else(|| {
        CompatError::BadRequest(format!("Input object invalid, {key} cannot be empty."))
    })
}

fn amount(bag: &Bag, key: &str) -> CompatResult<Amount> {
    Ok(bag.decimal(key)?.unwrap_or(Amount::ZERO))
}

fn parse_plan(bag: &Bag) -> CompatResult<(MaintenanceKind, PlanPriority, PlanProgress)> {
    let kind = match bag.text("type").unwrap_or_default().as_str() {
        "ServiceRecord" => MaintenanceKind::Service,
        "RepairRecord" => MaintenanceKind::Repair,
        "UpgradeRecord" => MaintenanceKind::Upgrade,
        _ => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Type must be ServiceRecord, RepairRecord or UpgradeRecord"
                    .into(),
            ));
        }
    };
    let priority = match bag.text("priority").unwrap_or_default().as_str() {
        "Critical" => PlanPriority::Critical,
        "Normal" => PlanPriority::Normal,
        "Low" => PlanPriority::Low,
        _ => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Priority must be Critical, Normal or Low".into(),
            ));
        }
    };
    let progress = match bag.text("progress").unwrap_or_default().as_str() {
        "Backlog" => PlanProgress::Backlog,
        "InProgress" => PlanProgress::InProgress,
        "Testing" => PlanProgress::Testing,
        "Done" => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Progress cannot be Done through the API".into(),
            ));
        }
        _ => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Progress must be Backlog, InProgress or Testing".into(),
            ));
        }
    };
    Ok((kind, priority, progress))
}

/// Reminder metric and due values; a due value its metric needs that does not parse is a
/// 200 with `success: false` (reference §4.3).
fn parse_reminder(bag: &Bag) -> CompatResult<(ReminderMetric, Option<NaiveDate>, Option<i64>)> {
    let metric = match bag.text("metric").unwrap_or_default().as_str() {
        "Date" | "0" => ReminderMetric::Date,
        "Odometer" | "1" => ReminderMetric::Odometer,
        "Both" | "2" => ReminderMetric::Both,
        _ => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Metric must be Date, Odometer or Both".into(),
            ));
        }
    };
    let date = bag.date("duedate").ok().flatten();
    let odo = bag.int("dueodometer").ok().flatten();
    let needs_date = metric != ReminderMetric::Odometer;
    let needs_odo = metric != ReminderMetric::Date;
    if needs_date && date.is_none() {
        return Err(CompatError::Failed(
            "Input object invalid, DueDate must be a valid date for this Metric".into(),
        ));
    }
    if needs_odo && odo.is_none() {
        return Err(CompatError::Failed(
            "Input object invalid, DueOdometer must be a valid number for this Metric".into(),
        ));
    }
    Ok((
        metric,
        date.filter(|_| needs_date),
        odo.filter(|_| needs_odo),
    ))
}

fn equipment_ids(bag: &Bag) -> CompatResult<Option<Vec<i64>>> {
    let Some(text) = bag.text("equipmentrecordid") else {
        return Ok(None);
    };
    text.split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>().map_err(|_| {
                CompatError::BadRequest(
                    "Input object invalid, EquipmentRecordId must be space-separated ids".into(),
                )
            })
        })
        .collect::<CompatResult<Vec<i64>>>()
        .map(Some)
}

/// Creates the record; returns the change to announce (it carries the new record's id).
async fn create(
    state: &AppState,
    caller: &Caller,
    rec: Rec,
    vehicle_id: i64,
    bag: &Bag,
) -> CompatResult<Change> {
    let db = &state.db;
    let shop = state.settings.supplies.shop_enabled;
    let notes_text = bag.text("notes").unwrap_or_default();
    let tags = bag.tags("tags");
    let map = on_add;
    let change = match rec {
        Rec::Service | Rec::Repair | Rec::Upgrade => {
            let kind = rec.maintenance().unwrap_or(MaintenanceKind::Service);
            let input = MaintenanceRecordInput {
                date: req_date(bag, "date")?,
                odometer: bag.int("odometer")?.unwrap_or(0),
                description: bag.text("description").unwrap_or_default(),
                cost: amount(bag, "cost")?,
                notes: notes_text,
                tags,
                supplies: Vec::new(),
                reminder_ids: Vec::new(),
            };
            maintenance::create(db, caller, vehicle_id, kind, input, shop)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Gas => {
            let input = FuelRecordInput {
                date: req_date(bag, "date")?,
                odometer: bag.int("odometer")?.unwrap_or(0),
                fuel_consumed: amount(bag, "fuelconsumed")?,
                cost: amount(bag, "cost")?,
                is_fill_to_full: bag.boolean("isfilltofull")?.unwrap_or(true),
                missed_fuel_up: bag.boolean("missedfuelup")?.unwrap_or(false),
                notes: notes_text,
                tags,
                starting_soc: soc(bag, "startingsoc")?,
                ending_soc: soc(bag, "endingsoc")?,
            };
            fuel::create(db, caller, vehicle_id, input)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Tax => {
            let input = TaxRecordInput {
                date: req_date(bag, "date")?,
                description: bag.text("description").unwrap_or_default(),
                cost: amount(bag, "cost")?,
                notes: notes_text,
                tags,
                is_recurring: false,
                recurring_interval: 12,
                custom_interval: 0,
                custom_interval_unit: Default::default(),
            };
            tax::create(db, &state.objects, caller, vehicle_id, input, today())
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Supply => {
            let scope = if vehicle_id == 0 {
                Scope::Shop
            } else {
                Scope::Vehicle(vehicle_id)
            };
            supplies::create(db, caller, scope, supply_input(bag, notes_text, tags)?)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Odometer => {
            let mut ids = equipment_ids(bag)?;
            if bag.query_first_bool("autoincludeequipment")? {
                let equipped: Vec<i64> = equipment::list(db, caller, vehicle_id)
                    .await
                    .map_err(map)?
                    .records
                    .into_iter()
                    .filter(|e| e.is_equipped)
                    .map(|e| e.id)
                    .collect();
                let mut all = ids.unwrap_or_default();
                all.extend(equipped);
                all.sort_unstable();
                all.dedup();
                ids = Some(all);
            }
            let input = OdometerRecordInput {
                date: req_date(bag, "date")?,
                // Empty or 0: the highest odometer record's reading (reference §3.3).
                initial_odometer: bag.int("initialodometer")?.filter(|v| *v != 0),
                odometer: bag.int("odometer")?.unwrap_or(0),
                notes: notes_text,
                tags,
                equipment_ids: ids,
            };
            odometer::create(db, caller, vehicle_id, input)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Plan => {
            let (kind, priority, progress) = parse_plan(bag)?;
            let input = PlanInput {
                description: bag.text("description").unwrap_or_default(),
                notes: notes_text,
                record_kind: kind,
                priority,
                progress,
                cost: amount(bag, "cost")?,
                reminder_ids: Vec::new(),
                supplies: Vec::new(),
            };
            plans::create(db, caller, vehicle_id, input, today(), shop)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Reminder => {
            let (metric, due_date, due_odometer) = parse_reminder(bag)?;
            let input = reminder_input(bag, metric, due_date, due_odometer, notes_text, tags, None);
            reminders::create(db, caller, vehicle_id, input, context(state))
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Note => {
            let input = NoteInput {
                title: bag.text("description").unwrap_or_default(),
                body: bag.text("notetext").unwrap_or_default(),
                is_pinned: bag.boolean("pinned")?.unwrap_or(false),
                tags,
            };
            notes::create(db, caller, vehicle_id, input)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
        Rec::Equipment => {
            let input = EquipmentInput {
                description: bag.text("description").unwrap_or_default(),
                is_equipped: bag.boolean("isequipped")?.unwrap_or(false),
                notes: notes_text,
                tags,
            };
            equipment::create(db, caller, vehicle_id, input)
                .await
                .map(|r| Change::of(caller, Op::Add, &r))
                .map_err(map)?
        }
    };
    Ok(change)
}

fn soc(bag: &Bag, key: &str) -> CompatResult<Option<i32>> {
    bag.int(key)?
        .map(|v| {
            i32::try_from(v)
                .map_err(|_| CompatError::BadRequest(format!("Input object invalid, {key}")))
        })
        .transpose()
}

fn supply_input(bag: &Bag, notes: String, tags: Vec<String>) -> CompatResult<SupplyInput> {
    Ok(SupplyInput {
        date: req_date(bag, "date")?,
        part_number: bag.text("partnumber").unwrap_or_default(),
        supplier: bag.text("partsupplier").unwrap_or_default(),
        description: bag.text("description").unwrap_or_default(),
        quantity: amount(bag, "partquantity")?,
        cost: amount(bag, "cost")?,
        notes,
        tags,
    })
}

/// Recurrence and thresholds cannot be set through the API: an update keeps the stored ones.
fn reminder_input(
    bag: &Bag,
    metric: ReminderMetric,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
    notes: String,
    tags: Vec<String>,
    existing: Option<&Reminder>,
) -> ReminderInput {
    let description = bag.text("description").unwrap_or_default();
    match existing {
        Some(r) => ReminderInput {
            description,
            notes,
            tags,
            metric,
            due_date,
            due_odometer,
            is_recurring: r.is_recurring,
            fixed_intervals: r.fixed_intervals,
            month_interval: r.month_interval,
            mileage_interval: r.mileage_interval,
            custom_month_interval: r.custom_month_interval,
            custom_interval_unit: r.custom_interval_unit,
            custom_mileage_interval: r.custom_mileage_interval,
            use_custom_thresholds: r.use_custom_thresholds,
            urgent_days: r.urgent_days,
            very_urgent_days: r.very_urgent_days,
            urgent_distance: r.urgent_distance,
            very_urgent_distance: r.very_urgent_distance,
        },
        None => ReminderInput {
            description,
            notes,
            tags,
            metric,
            due_date,
            due_odometer,
            is_recurring: false,
            fixed_intervals: false,
            month_interval: 12,
            mileage_interval: 5000,
            custom_month_interval: 0,
            custom_interval_unit: Default::default(),
            custom_mileage_interval: 0,
            use_custom_thresholds: false,
            urgent_days: None,
            very_urgent_days: None,
            urgent_distance: None,
            very_urgent_distance: None,
        },
    }
}

async fn add(
    rec: Rec,
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Edit)?;
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    let Some(vehicle_id) = vehicle_id_of(&state, rec, &bag)? else {
        return Err(CompatError::BadRequest(
            "Must provide a valid vehicle id".into(),
        ));
    };
    // The access check (CollaboratorFilter) runs before the body is looked at.
    if vehicle_id != 0 {
        vehicles::visible(&state.db, &caller, vehicle_id)
            .await
            .map_err(on_add)?;
    }
    check_required(rec, &bag, false)?;
    let (record_type, segment) = rec.native();
    let extra = parts::prepare(&state.db, record_type, bag.extra_fields()).await?;
    let files = match bag.files() {
        Some(files) if takes_files(rec, vehicle_id) => Some(
            documents::plan(
                &state.db,
                &state.objects,
                &caller,
                vehicle_id,
                &[],
                files,
                false,
            )
            .await?
            .stage(&state.objects)
            .await?,
        ),
        _ => None,
    };
    let change = create(&state, &caller, rec, vehicle_id, &bag).await?;
    let id = change.record_id.unwrap_or_default();
    // Shop supplies (vehicle 0) carry no extra fields or files.
    if vehicle_id != 0 {
        let written = parts::write_parts(
            &state.db,
            &state.objects,
            &caller,
            vehicle_id,
            (segment, id),
            &extra,
            false,
            files,
        )
        .await;
        if let Err(e) = written {
            // The domain's create commits on its own, so its transaction cannot also hold the
            // extra fields and files. Everything the client can get wrong (values, locations,
            // copies) was checked or staged before the record was written; what can still fail
            // here is the database. Then the record goes again, so the client never sees a
            // record without the parts it sent (an automatic odometer reading stays, as when a
            // record is deleted by hand).
            undo_add(&state, &caller, rec, vehicle_id, id).await;
            return Err(e.into());
        }
    }
    state.hub.publish(change).await;
    Ok(output::ok(&output::succeed(
        &format!("{} Added", rec.noun()),
        Some(J::Obj(vec![("recordId", J::int(id))])),
    )))
}

/// Whether records of this kind under this vehicle carry files: all but reminders (reference
/// §2.2) and shop supplies.
fn takes_files(rec: Rec, vehicle_id: i64) -> bool {
    rec != Rec::Reminder && vehicle_id != 0
}

/// Removes a record this request created, through the same delete as the API's, so its tags,
/// extra fields and attachments go with it (objects taken from uploads stay untouched, since
/// no row of the failed write committed).
async fn undo_add(state: &AppState, caller: &Caller, rec: Rec, vehicle_id: i64, id: i64) {
    let undo = Caller {
        need: Permission::Delete,
        ..caller.clone()
    };
    if let Err(e) = remove(state, &undo, rec, vehicle_id, id).await {
        tracing::error!(record = id, rec = rec.path(), error = %e, "could not remove a half-written record");
    }
}

/// The vehicle of a record of this kind (0 for shop supplies), whoever owns it.
async fn owner_of(db: &DatabaseConnection, rec: Rec, id: i64) -> CompatResult<Option<i64>> {
    Ok(match rec {
        Rec::Service | Rec::Repair | Rec::Upgrade => {
            let kind = rec.maintenance().map(MaintenanceKind::as_str);
            maintenance_record::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|r| Some(r.kind.as_str()) == kind)
                .map(|r| r.vehicle_id)
        }
        Rec::Gas => fuel_record::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Tax => tax_record::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Supply => supply::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id.unwrap_or(0)),
        Rec::Odometer => odometer_record::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Plan => plan_record::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Reminder => reminder::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Note => note::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
        Rec::Equipment => equipment_row::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|r| r.vehicle_id),
    })
}

fn scope_of(vehicle_id: i64) -> Scope {
    if vehicle_id == 0 {
        Scope::Shop
    } else {
        Scope::Vehicle(vehicle_id)
    }
}

async fn change(
    state: &AppState,
    caller: &Caller,
    rec: Rec,
    vehicle_id: i64,
    id: i64,
    bag: &Bag,
) -> CompatResult<()> {
    let db = &state.db;
    let notes_text = bag.text("notes").unwrap_or_default();
    let tags = bag.tags("tags");
    let map = on_change;
    match rec {
        Rec::Service | Rec::Repair | Rec::Upgrade => {
            let kind = rec.maintenance().unwrap_or(MaintenanceKind::Service);
            let input = MaintenanceRecordInput {
                date: req_date(bag, "date")?,
                odometer: bag.int("odometer")?.unwrap_or(0),
                description: bag.text("description").unwrap_or_default(),
                cost: amount(bag, "cost")?,
                notes: notes_text,
                tags,
                supplies: Vec::new(),
                reminder_ids: Vec::new(),
            };
            maintenance::update(db, caller, vehicle_id, kind, id, input)
                .await
                .map_err(map)?;
        }
        Rec::Gas => {
            let existing = fuel::get(db, caller, vehicle_id, id).await.map_err(map)?;
            let input = FuelRecordInput {
                date: req_date(bag, "date")?,
                odometer: bag.int("odometer")?.unwrap_or(0),
                fuel_consumed: amount(bag, "fuelconsumed")?,
                cost: amount(bag, "cost")?,
                is_fill_to_full: bag.boolean("isfilltofull")?.unwrap_or(true),
                missed_fuel_up: bag.boolean("missedfuelup")?.unwrap_or(false),
                notes: notes_text,
                tags,
                starting_soc: soc(bag, "startingsoc")?.or(existing.starting_soc),
                ending_soc: soc(bag, "endingsoc")?.or(existing.ending_soc),
            };
            fuel::update(db, caller, vehicle_id, id, input)
                .await
                .map_err(map)?;
        }
        Rec::Tax => {
            let existing = tax::get(db, caller, vehicle_id, id).await.map_err(map)?;
            let input = TaxRecordInput {
                date: req_date(bag, "date")?,
                description: bag.text("description").unwrap_or_default(),
                cost: amount(bag, "cost")?,
                notes: notes_text,
                tags,
                is_recurring: existing.is_recurring,
                recurring_interval: existing.recurring_interval,
                custom_interval: existing.custom_interval,
                custom_interval_unit: existing.custom_interval_unit,
            };
            tax::update(db, caller, vehicle_id, id, input, today())
                .await
                .map_err(map)?;
        }
        Rec::Supply => {
            let input = supply_input(bag, notes_text, tags)?;
            supplies::update(db, caller, scope_of(vehicle_id), id, input)
                .await
                .map_err(map)?;
        }
        Rec::Odometer => {
            let existing = odometer::get(db, caller, vehicle_id, id)
                .await
                .map_err(map)?;
            let input = OdometerRecordInput {
                date: req_date(bag, "date")?,
                initial_odometer: bag.int("initialodometer")?,
                odometer: bag.int("odometer")?.unwrap_or(0),
                notes: notes_text,
                tags,
                equipment_ids: Some(equipment_ids(bag)?.unwrap_or(existing.equipment_ids)),
            };
            odometer::update(db, caller, vehicle_id, id, input)
                .await
                .map_err(map)?;
        }
        Rec::Plan => {
            let (kind, priority, progress) = parse_plan(bag)?;
            let existing = plans::get(db, caller, vehicle_id, id).await.map_err(map)?;
            let input = PlanInput {
                description: bag.text("description").unwrap_or_default(),
                notes: notes_text,
                record_kind: kind,
                priority,
                progress,
                cost: amount(bag, "cost")?,
                reminder_ids: existing.reminder_ids,
                supplies: Vec::new(),
            };
            plans::update(db, caller, vehicle_id, id, input)
                .await
                .map_err(map)?;
        }
        Rec::Reminder => {
            let (metric, due_date, due_odometer) = parse_reminder(bag)?;
            let ctx = context(state);
            let existing = reminders::get(db, caller, vehicle_id, id, ctx)
                .await
                .map_err(map)?;
            let input = reminder_input(
                bag,
                metric,
                due_date,
                due_odometer,
                notes_text,
                tags,
                Some(&existing),
            );
            reminders::update(db, caller, vehicle_id, id, input, ctx)
                .await
                .map_err(map)?;
        }
        Rec::Note => {
            let input = NoteInput {
                title: bag.text("description").unwrap_or_default(),
                body: bag.text("notetext").unwrap_or_default(),
                is_pinned: bag.boolean("pinned")?.unwrap_or(false),
                tags,
            };
            notes::update(db, caller, vehicle_id, id, input)
                .await
                .map_err(map)?;
        }
        Rec::Equipment => {
            let input = EquipmentInput {
                description: bag.text("description").unwrap_or_default(),
                is_equipped: bag.boolean("isequipped")?.unwrap_or(false),
                notes: notes_text,
                tags,
            };
            equipment::update(db, caller, vehicle_id, id, input)
                .await
                .map_err(map)?;
        }
    }
    Ok(())
}

async fn update(
    rec: Rec,
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Edit)?;
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    check_required(rec, &bag, true)?;
    let id = bag.int("id")?.unwrap_or(0);
    let vehicle_id = owner_of(&state.db, rec, id)
        .await?
        .ok_or(CompatError::InvalidRecordId)?;
    let (record_type, segment) = rec.native();
    let extra = parts::prepare(&state.db, record_type, bag.extra_fields()).await?;
    // The file list is replaced by the one sent (as LubeLogger does), resolved and staged
    // before anything is written. A request without `files` keeps the record's files: unlike
    // LubeLogger, whose unchanged files stay on disk, a removal here deletes the bytes.
    let files = match bag.files() {
        Some(files) if takes_files(rec, vehicle_id) => {
            vehicles::visible(&state.db, &caller, vehicle_id)
                .await
                .map_err(on_change)?;
            let existing = attachment_store::list(&state.db, vehicle_id, record_type, id).await?;
            Some(
                documents::plan(
                    &state.db,
                    &state.objects,
                    &caller,
                    vehicle_id,
                    &existing,
                    files,
                    true,
                )
                .await?
                .stage(&state.objects)
                .await?,
            )
        }
        _ => None,
    };
    change(&state, &caller, rec, vehicle_id, id, &bag).await?;
    if vehicle_id != 0 {
        // One transaction for extra fields and files. The record's own fields committed in
        // the domain's update just before; only a database failure can come between, and
        // then the answer is that error, with the record's previous extra fields and files.
        parts::write_parts(
            &state.db,
            &state.objects,
            &caller,
            vehicle_id,
            (segment, id),
            &extra,
            true,
            files,
        )
        .await?;
    }
    let entity = entity_of_record_type(record_type);
    let change = Change::bare(&caller, entity, Op::Update, vehicle_id, Some(id));
    state.hub.publish(change).await;
    Ok(output::ok(&output::succeed(
        &format!("{} Updated", rec.noun()),
        None,
    )))
}

async fn delete(
    rec: Rec,
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Delete)?;
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    let id = bag.query_first_int("id")?.unwrap_or(0);
    let vehicle_id = owner_of(&state.db, rec, id)
        .await?
        .ok_or(CompatError::InvalidRecordId)?;
    remove(&state, &caller, rec, vehicle_id, id)
        .await
        .map_err(on_change)?;
    let entity = entity_of_record_type(rec.native().0);
    let change = Change::bare(&caller, entity, Op::Delete, vehicle_id, Some(id));
    state.hub.publish(change).await;
    Ok(output::ok(&output::succeed(
        &format!("{} Deleted", rec.noun()),
        None,
    )))
}

/// Deletes one record through its domain (supplies restored, parts detached, files purged).
async fn remove(
    state: &AppState,
    caller: &Caller,
    rec: Rec,
    vehicle_id: i64,
    id: i64,
) -> AppResult<()> {
    let db = &state.db;
    let objects = state.objects.as_ref();
    match rec {
        Rec::Service | Rec::Repair | Rec::Upgrade => {
            let kind = rec.maintenance().unwrap_or(MaintenanceKind::Service);
            maintenance::delete(db, objects, caller, vehicle_id, kind, id, today()).await
        }
        Rec::Gas => fuel::delete(db, objects, caller, vehicle_id, id).await,
        Rec::Tax => tax::delete(db, objects, caller, vehicle_id, id).await,
        Rec::Supply => supplies::delete(db, objects, caller, scope_of(vehicle_id), id).await,
        Rec::Odometer => odometer::delete(db, objects, caller, vehicle_id, id).await,
        Rec::Plan => plans::delete(db, objects, caller, vehicle_id, id, today()).await,
        Rec::Reminder => reminders::delete(db, caller, vehicle_id, id).await,
        Rec::Note => notes::delete(db, objects, caller, vehicle_id, id).await,
        Rec::Equipment => equipment::delete(db, objects, caller, vehicle_id, id).await,
    }
}

/// The highest reading across service, repair, gas, upgrade and odometer records, bare.
async fn odometer_latest(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let Some(vehicle_id) = vehicle_id_of(&state, Rec::Odometer, &bag)? else {
        return Err(CompatError::BadRequest(
            "Must provide a valid vehicle id".into(),
        ));
    };
    let v = vehicles::get(&state.db, &caller, vehicle_id)
        .await
        .map_err(on_read)?;
    Ok(output::ok(&J::int(v.current_odometer)))
}

async fn odometer_recalculate(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Edit)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let Some(vehicle_id) = vehicle_id_of(&state, Rec::Odometer, &bag)? else {
        return Err(CompatError::BadRequest(
            "Must provide a valid vehicle id".into(),
        ));
    };
    let list = odometer::recalculate(&state.db, &caller, vehicle_id)
        .await
        .map_err(on_add)?;
    if list.records.is_empty() {
        return Err(CompatError::Failed("No Odometer Records Found".into()));
    }
    Ok(output::ok(&output::succeed(
        &format!("Odometer Records Adjusted({})", list.records.len()),
        None,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_lists_read_like_lubelogger() {
        assert_eq!(join_fields(&["A"]), "A");
        assert_eq!(join_fields(&["A", "B"]), "A and B");
        assert_eq!(join_fields(&["A", "B", "C"]), "A, B, and C");
        let names: Vec<&str> = Rec::Service.required(false).iter().map(|f| f.1).collect();
        assert_eq!(
            format!(
                "Input object invalid, {} cannot be empty.",
                join_fields(&names)
            ),
            "Input object invalid, Date, Description, Odometer, and Cost cannot be empty."
        );
        let names: Vec<&str> = Rec::Gas.required(true).iter().map(|f| f.1).collect();
        assert_eq!(
            join_fields(&names),
            "Id, Date, Odometer, FuelConsumed, IsFillToFull, MissedFuelUp, and Cost"
        );
    }
}
