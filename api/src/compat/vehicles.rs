//! Vehicles and the general endpoints of reference §4.3: `/api/vehicles*`, `/api/vehicle/info`,
//! `/api/vehicle/adjustedodometer`, `/api/whoami`, `/api/info`, `/api/version`,
//! `/api/extrafields`.

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use motovault_shared::Amount;
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::extra_fields::ExtraFieldType;
use motovault_shared::dto::summary::VehicleSummary;
use motovault_shared::dto::{FuelType, Vehicle, VehicleInput};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::auth::CompatCaller;
use super::error::{CompatError, CompatResult, on_change, on_read};
use super::input::Bag;
use super::output::{self, Fmt, J};
use super::{parts, records};
use crate::auth::Caller;
use crate::domain::reminders::UrgencyContext;
use crate::domain::{reminders, summary, vehicles};
use crate::events::{Change, Op};
use crate::state::AppState;
use crate::store::entity::vehicle;
use crate::store::extra_fields as extra_store;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/whoami", web::get().to(whoami))
        .route("/api/info", web::get().to(info))
        .route("/api/version", web::get().to(version))
        .route("/api/extrafields", web::get().to(extra_fields))
        .route("/api/vehicles", web::get().to(list))
        .route("/api/vehicle/info", web::get().to(vehicle_info))
        .route(
            "/api/vehicle/adjustedodometer",
            web::get().to(adjusted_odometer),
        )
        .route("/api/vehicles/add", web::post().to(add))
        .route("/api/vehicles/update", web::put().to(update))
        .route("/api/vehicles/delete", web::delete().to(delete));
}

/// The version clients see (`currentVersion`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

async fn whoami(who: CompatCaller) -> HttpResponse {
    let u = &who.user;
    output::ok(&J::Obj(vec![
        ("username", J::str(u.username.clone())),
        ("emailAddress", J::str(u.email.clone().unwrap_or_default())),
        ("isAdmin", who.fmt.boolean(u.is_admin || u.is_root)),
        ("isRoot", who.fmt.boolean(u.is_root)),
    ]))
}

async fn info(who: CompatCaller) -> HttpResponse {
    let c = who.fmt.culture;
    output::ok(&J::Obj(vec![
        ("currentVersion", J::str(VERSION)),
        ("locale", J::str(c.name)),
        ("currencySymbol", J::str(c.currency_symbol)),
        ("decimalSeparator", J::str(c.decimal_separator.to_string())),
        ("dateFormat", J::str(c.date_pattern())),
    ]))
}

/// No network: the latest version is the running one when a client asks for it.
async fn version(req: HttpRequest, who: CompatCaller) -> CompatResult<HttpResponse> {
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let latest = if bag.boolean("checkforupdate")?.unwrap_or(false) {
        VERSION
    } else {
        ""
    };
    Ok(output::ok(&J::Obj(vec![
        ("currentVersion", J::str(VERSION)),
        ("latestVersion", J::str(latest)),
    ])))
}

/// LubeLogger's `ImportMode` name and value of our record types.
pub fn import_mode(record_type: &str) -> Option<(&'static str, i64)> {
    Some(match record_type {
        "service" => ("ServiceRecord", 0),
        "repair" => ("RepairRecord", 1),
        "fuel" => ("GasRecord", 2),
        "tax" => ("TaxRecord", 3),
        "upgrade" => ("UpgradeRecord", 4),
        "reminder" => ("ReminderRecord", 5),
        "note" => ("NoteRecord", 6),
        "supply" => ("SupplyRecord", 7),
        "plan" => ("PlanRecord", 9),
        "odometer" => ("OdometerRecord", 10),
        "vehicle" => ("VehicleRecord", 11),
        "inspection" => ("InspectionRecord", 12),
        "equipment" => ("EquipmentRecord", 13),
        _ => return None,
    })
}

fn field_type_name(t: ExtraFieldType) -> &'static str {
    match t {
        ExtraFieldType::Text => "Text",
        ExtraFieldType::Number => "Number",
        ExtraFieldType::Decimal => "Decimal",
        ExtraFieldType::Date => "Date",
        ExtraFieldType::Time => "Time",
        ExtraFieldType::Location => "Location",
    }
}

async fn extra_fields(state: web::Data<AppState>, who: CompatCaller) -> CompatResult<HttpResponse> {
    let mut all: Vec<_> = extra_store::all_templates(&state.db)
        .await?
        .into_iter()
        .filter(|(_, fields)| !fields.is_empty())
        .filter_map(|(t, fields)| import_mode(&t).map(|m| (m, fields)))
        .collect();
    all.sort_by_key(|((_, n), _)| *n);
    let body = J::Arr(
        all.into_iter()
            .map(|((name, _), fields)| {
                J::Obj(vec![
                    ("recordType", J::str(name)),
                    (
                        "extraFields",
                        J::Arr(
                            fields
                                .iter()
                                .map(|f| {
                                    J::Obj(vec![
                                        ("name", J::str(f.name.clone())),
                                        ("isRequired", who.fmt.boolean(f.is_required)),
                                        ("fieldType", J::str(field_type_name(f.field_type))),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                ])
            })
            .collect(),
    );
    Ok(output::ok(&body))
}

/// Dashboard metric names as LubeLogger's enum values (Default 0, TotalCost 1, CostPerMile 2).
fn dashboard_metrics(stored: &str) -> J {
    J::Arr(
        stored
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| match s.to_ascii_lowercase().as_str() {
                "0" | "default" => Some(0),
                "1" | "totalcost" | "total_cost" => Some(1),
                "2" | "costpermile" | "cost_per_mile" | "costperdistance" => Some(2),
                _ => None,
            })
            .map(J::int)
            .collect(),
    )
}

/// The `Vehicle` model: typed in both modes except the odometer adjustment strings.
fn vehicle_json(fmt: &Fmt, v: &Vehicle, row: Option<&vehicle::Model>, extra: J) -> J {
    let image = match row.and_then(|r| r.image_key.as_ref()) {
        Some(_) => format!("/api/v1/vehicles/{}/image", v.id),
        None => "/defaults/noimage.png".to_owned(),
    };
    let map = row.and_then(|r| r.map_location.clone()).unwrap_or_default();
    let metrics = row.map_or_else(
        || J::Arr(vec![]),
        |r| dashboard_metrics(&r.dashboard_metrics),
    );
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| J::str(""), |d| fmt.date(d));
    let adjust = |s: String, n: J| if fmt.invariant { n } else { J::Str(s) };
    J::Obj(vec![
        ("id", J::int(v.id)),
        ("imageLocation", J::str(image)),
        ("mapLocation", J::str(map)),
        ("year", J::int(i64::from(v.year))),
        ("make", J::str(v.make.clone())),
        ("model", J::str(v.model.clone())),
        ("licensePlate", J::str(v.license_plate.clone())),
        ("purchaseDate", date(v.purchase_date)),
        ("soldDate", date(v.sold_date)),
        (
            "purchasePrice",
            J::amount(v.purchase_price.unwrap_or(Amount::ZERO)),
        ),
        ("soldPrice", J::amount(v.sold_price.unwrap_or(Amount::ZERO))),
        ("isElectric", J::Bool(v.fuel_type == FuelType::Electric)),
        ("isDiesel", J::Bool(v.fuel_type == FuelType::Diesel)),
        ("useHours", J::Bool(v.use_hours)),
        ("odometerOptional", J::Bool(v.odometer_optional)),
        ("extraFields", extra),
        (
            "tags",
            J::Arr(v.tags.iter().map(|t| J::str(t.clone())).collect()),
        ),
        ("hasOdometerAdjustment", J::Bool(v.has_odometer_adjustment)),
        (
            "odometerMultiplier",
            adjust(
                fmt.culture.decimal(v.odometer_multiplier),
                J::amount(v.odometer_multiplier),
            ),
        ),
        (
            "odometerDifference",
            adjust(
                v.odometer_difference.to_string(),
                J::int(v.odometer_difference),
            ),
        ),
        ("dashboardMetrics", metrics),
        ("vehicleIdentifier", J::str(v.vehicle_identifier.clone())),
    ])
}

/// The `Vehicle` models of these vehicles, with their stored image, map and metrics.
async fn vehicles_json(state: &AppState, fmt: &Fmt, list: &[Vehicle]) -> CompatResult<Vec<J>> {
    let ids: Vec<i64> = list.iter().map(|v| v.id).collect();
    let rows = vehicle::Entity::find()
        .filter(vehicle::Column::Id.is_in(ids.clone()))
        .all(&state.db)
        .await?;
    let parts = parts::load(&state.db, extra_store::VEHICLE, "vehicle", &ids).await?;
    Ok(list
        .iter()
        .map(|v| {
            let row = rows.iter().find(|r| r.id == v.id);
            vehicle_json(fmt, v, row, parts.extra(v.id))
        })
        .collect())
}

async fn list(state: web::Data<AppState>, who: CompatCaller) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let all = vehicles::list(&state.db, &caller).await?;
    Ok(output::ok(&J::Arr(
        vehicles_json(&state, &who.fmt, &all).await?,
    )))
}

fn context(state: &AppState) -> UrgencyContext {
    UrgencyContext::now(&state.settings.reminders)
}

/// `VehicleInfo` is not an export model: typed in both modes.
fn info_json(vehicle: J, s: &VehicleSummary, next: J) -> J {
    J::Obj(vec![
        ("vehicleData", vehicle),
        ("veryUrgentReminderCount", J::int(s.reminders.very_urgent)),
        ("urgentReminderCount", J::int(s.reminders.urgent)),
        ("notUrgentReminderCount", J::int(s.reminders.not_urgent)),
        ("pastDueReminderCount", J::int(s.reminders.past_due)),
        ("nextReminder", next),
        ("serviceRecordCount", J::int(s.service_records.count)),
        ("serviceRecordCost", J::amount(s.service_records.total_cost)),
        ("repairRecordCount", J::int(s.repair_records.count)),
        ("repairRecordCost", J::amount(s.repair_records.total_cost)),
        ("upgradeRecordCount", J::int(s.upgrade_records.count)),
        ("upgradeRecordCost", J::amount(s.upgrade_records.total_cost)),
        ("taxRecordCount", J::int(s.tax_records.count)),
        ("taxRecordCost", J::amount(s.tax_records.total_cost)),
        ("gasRecordCount", J::int(s.fuel_records.count)),
        ("gasRecordCost", J::amount(s.fuel_records.total_cost)),
        ("lastReportedOdometer", J::int(s.last_odometer)),
        ("planRecordBackLogCount", J::int(s.plans.backlog)),
        ("planRecordInProgressCount", J::int(s.plans.in_progress)),
        ("planRecordTestingCount", J::int(s.plans.testing)),
        ("planRecordDoneCount", J::int(s.plans.done)),
    ])
}

async fn vehicle_info(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let ctx = context(&state);
    let (list, summaries) = match bag.query_first_int("vehicleid")?.filter(|id| *id != 0) {
        Some(id) => {
            let v = vehicles::get(&state.db, &caller, id)
                .await
                .map_err(on_read)?;
            let s = summary::get(&state.db, &state.cache, &caller, id, ctx)
                .await
                .map_err(on_read)?;
            (vec![v], vec![s])
        }
        None => {
            let list = vehicles::list(&state.db, &caller).await?;
            let all = summary::list(&state.db, &state.cache, &caller, ctx)
                .await?
                .summaries;
            (list, all)
        }
    };
    let vehicles_out = vehicles_json(&state, &who.fmt, &list).await?;
    let mut out = Vec::new();
    for (v, json) in list.iter().zip(vehicles_out) {
        let Some(s) = summaries.iter().find(|s| s.vehicle_id == v.id) else {
            continue;
        };
        let next = match &s.reminders.next {
            Some(n) => {
                let r = reminders::get(&state.db, &caller, v.id, n.id, ctx).await?;
                records::reminder_json(&who.fmt, &r)
            }
            None => J::Null,
        };
        out.push(info_json(json, s, next));
    }
    Ok(output::ok(&J::Arr(out)))
}

/// `(odometer + difference) × multiplier`, unrounded, when the vehicle adjusts its odometer.
async fn adjusted_odometer(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let vehicle_id = bag.query_first_int("vehicleid")?.unwrap_or(0);
    let odometer = bag.int("odometer")?.unwrap_or(0);
    let v = vehicles::get(&state.db, &caller, vehicle_id)
        .await
        .map_err(on_read)?;
    if !v.has_odometer_adjustment {
        return Ok(output::ok(&J::int(odometer)));
    }
    let sum = Amount::from_scaled((odometer + v.odometer_difference).saturating_mul(10_000));
    let product = sum.to_f64() * v.odometer_multiplier.to_f64();
    let exact = Amount::from_f64(product).map_err(|e| CompatError::BadRequest(e.to_string()))?;
    Ok(output::ok(&J::amount(exact)))
}

const VEHICLE_REQUIRED: &str = "Year, Make, Model, Identifier, and FuelType";

/// Reads a `VehicleImportModel` onto `base` (the existing vehicle on update).
fn vehicle_input(bag: &Bag, mut base: VehicleInput, update: bool) -> CompatResult<VehicleInput> {
    let identifier = bag
        .text("identifier")
        .unwrap_or_else(|| "LicensePlate".to_owned());
    let fuel = bag
        .text("fueltype")
        .unwrap_or_else(|| "Gasoline".to_owned());
    let missing = !bag.has("year") || !bag.has("make") || !bag.has("model");
    if missing || (update && !bag.has("id")) {
        let id = if update { "Id, " } else { "" };
        return Err(CompatError::BadRequest(format!(
            "Input object invalid, {id}{VEHICLE_REQUIRED} cannot be empty."
        )));
    }
    let plate = bag.text("licenseplate").unwrap_or_default();
    if identifier == "LicensePlate" && plate.trim().is_empty() {
        return Err(CompatError::BadRequest(
            "Input object invalid, LicensePlate cannot be empty.".into(),
        ));
    }
    if identifier != "LicensePlate"
        && !bag
            .extra_fields()
            .iter()
            .any(|f| f.name == identifier && !f.value.trim().is_empty())
    {
        return Err(CompatError::BadRequest(format!(
            "Input object invalid, Identifier {identifier} is specified but the value is not found in extra fields."
        )));
    }
    let fuel_type = match fuel.as_str() {
        "Gasoline" => None,
        "Diesel" => Some(FuelType::Diesel),
        "Electric" => Some(FuelType::Electric),
        _ => {
            return Err(CompatError::BadRequest(
                "Input object invalid, Fuel Type must be either Gasoline, Diesel, or Eletric"
                    .into(),
            ));
        }
    };
    let year = bag.int("year")?.unwrap_or_default();
    base.year =
        i32::try_from(year).map_err(|_| CompatError::BadRequest("Year is out of range".into()))?;
    base.make = bag.text("make").unwrap_or_default();
    base.model = bag.text("model").unwrap_or_default();
    base.license_plate = plate;
    base.vehicle_identifier = identifier;
    // A fuel type only ever sets Diesel or Electric; "Gasoline" changes nothing (§4.3).
    if let Some(t) = fuel_type {
        base.fuel_type = t;
    }
    base.use_hours = bag.boolean("useenginehours")?.unwrap_or(false);
    base.odometer_optional = bag.boolean("odometeroptional")?.unwrap_or(false);
    base.tags = bag.tags("tags");
    Ok(base)
}

fn blank_vehicle() -> VehicleInput {
    VehicleInput {
        year: 0,
        make: String::new(),
        model: String::new(),
        license_plate: String::new(),
        fuel_type: FuelType::Gasoline,
        purchase_date: None,
        sold_date: None,
        purchase_price: None,
        sold_price: None,
        use_hours: false,
        odometer_optional: false,
        tags: Vec::new(),
        has_odometer_adjustment: false,
        odometer_multiplier: Amount::from_scaled(10_000),
        odometer_difference: 0,
        vehicle_identifier: "LicensePlate".to_owned(),
    }
}

fn input_of(v: &Vehicle) -> VehicleInput {
    VehicleInput {
        year: v.year,
        make: v.make.clone(),
        model: v.model.clone(),
        license_plate: v.license_plate.clone(),
        fuel_type: v.fuel_type,
        purchase_date: v.purchase_date,
        sold_date: v.sold_date,
        purchase_price: v.purchase_price,
        sold_price: v.sold_price,
        use_hours: v.use_hours,
        odometer_optional: v.odometer_optional,
        tags: v.tags.clone(),
        has_odometer_adjustment: v.has_odometer_adjustment,
        odometer_multiplier: v.odometer_multiplier,
        odometer_difference: v.odometer_difference,
        vehicle_identifier: v.vehicle_identifier.clone(),
    }
}

/// No API-key permission check here, as in LubeLogger 1.6.8.
async fn add(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller: Caller = match who.caller(Permission::Edit) {
        Err(CompatError::KeyDenied) => who.unchecked(Permission::Edit),
        other => other?,
    };
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    let input = vehicle_input(&bag, blank_vehicle(), false)?;
    let extra = parts::prepare(&state.db, extra_store::VEHICLE, bag.extra_fields()).await?;
    let created = vehicles::create(&state.db, &caller, input).await?;
    parts::write_extra(&state.db, &caller, created.id, None, &extra, false).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(output::ok(&output::succeed(
        "Vehicle Added",
        Some(J::Obj(vec![("vehicleId", J::int(created.id))])),
    )))
}

async fn exists(state: &AppState, id: i64) -> CompatResult<bool> {
    Ok(vehicle::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .is_some())
}

async fn update(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Edit)?;
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    // Validation first, as LubeLogger does, against an empty base.
    vehicle_input(&bag, blank_vehicle(), true)?;
    let id = bag.int("id")?.unwrap_or(0);
    if !exists(&state, id).await? {
        return Err(CompatError::BadRequest("Invalid Vehicle Id".into()));
    }
    let existing = vehicles::get(&state.db, &caller, id)
        .await
        .map_err(on_change)?;
    let input = vehicle_input(&bag, input_of(&existing), true)?;
    let extra = parts::prepare(&state.db, extra_store::VEHICLE, bag.extra_fields()).await?;
    let updated = vehicles::update(&state.db, &caller, id, input)
        .await
        .map_err(on_change)?;
    parts::write_extra(&state.db, &caller, id, None, &extra, true).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(output::ok(&output::succeed("Vehicle Updated", None)))
}

async fn delete(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::Delete)?;
    let bag = Bag::from_request(&req, &body, who.fmt.culture)?;
    let id = bag.query_first_int("id")?.unwrap_or(0);
    if !exists(&state, id).await? {
        return Err(CompatError::BadRequest("Invalid Vehicle Id".into()));
    }
    vehicles::delete(&state.db, state.objects.as_ref(), &caller, id)
        .await
        .map_err(on_change)?;
    state
        .hub
        .publish(Change::bare(&caller, "vehicle", Op::Delete, id, None))
        .await;
    Ok(output::ok(&output::succeed("Vehicle Deleted", None)))
}
