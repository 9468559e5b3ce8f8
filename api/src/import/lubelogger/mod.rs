//! `motovault import lubelogger`: copies everything a running LubeLogger server exposes through
//! its API (reference §4) into MotoVaultPro, owned by one user.
//!
//! Order matters for links: extra-field definitions first, then per vehicle its equipment (odometer
//! records name it), the records, and last the attachments (a `::Type:Id` link needs its target).
//! Every row is written through the store in one transaction together with its `import_sources`
//! row, so a re-run skips what is there and finishes what an interrupted run left. The store is
//! used rather than the domain's create functions because those have side effects an import must
//! not repeat: odometer auto-insert, recurring-tax back-fill, reminder push-back.

pub mod client;
pub mod model;
mod sources;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use actix_web::web::Bytes;
use motovault_shared::Amount;
use motovault_shared::dto::attachments as file_rules;
use motovault_shared::dto::equipment::EquipmentInput;
use motovault_shared::dto::extra_fields::{ExtraFieldDefinition, ExtraFieldType};
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecordInput};
use motovault_shared::dto::notes::NoteInput;
use motovault_shared::dto::plans::{PlanPriority, PlanProgress};
use motovault_shared::dto::reminders::{ReminderInput, ReminderIntervalUnit, ReminderMetric};
use motovault_shared::dto::supplies::SupplyInput;
use motovault_shared::dto::tax::TaxRecordInput;
use motovault_shared::dto::{FuelRecordInput, FuelType, VehicleInput};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use serde_json::Value;

pub use client::{Auth, Client};
use model::{Common, Culture};

use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{self, ByteStream, ObjectKey, ObjectStore};
use crate::store::attachments::{self as attachment_store, KIND_FILE, KIND_RECORD_LINK, KIND_URL};
use crate::store::entity::{user, vehicle};
use crate::store::odometer::OdometerRow;
use crate::store::plans::PlanRow;
use crate::store::{
    equipment, extra_fields, fuel, maintenance, notes, odometer, plans, reminders, supplies, tags,
    tax, users, vehicles,
};

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The LubeLogger server's root URL.
    pub url: String,
    pub auth: Auth,
    /// Username of the MotoVaultPro user who will own the vehicles; `None`: the root.
    pub owner: Option<String>,
}

/// The kinds of rows, in the order of the final table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    ExtraField,
    Vehicle,
    VehicleImage,
    Equipment,
    Service,
    Repair,
    Upgrade,
    Fuel,
    Tax,
    Odometer,
    Supply,
    Plan,
    Reminder,
    Note,
    Attachment,
}

impl Kind {
    /// The `import_sources.kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ExtraField => "extra_field",
            Kind::Vehicle => "vehicle",
            Kind::VehicleImage => "vehicle_image",
            Kind::Equipment => "equipment",
            Kind::Service => "service",
            Kind::Repair => "repair",
            Kind::Upgrade => "upgrade",
            Kind::Fuel => "fuel",
            Kind::Tax => "tax",
            Kind::Odometer => "odometer",
            Kind::Supply => "supply",
            Kind::Plan => "plan",
            Kind::Reminder => "reminder",
            Kind::Note => "note",
            Kind::Attachment => "attachment",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::ExtraField => "extra fields",
            Kind::Vehicle => "vehicles",
            Kind::VehicleImage => "vehicle images",
            Kind::Equipment => "equipment",
            Kind::Service => "service records",
            Kind::Repair => "repair records",
            Kind::Upgrade => "upgrade records",
            Kind::Fuel => "fuel records",
            Kind::Tax => "tax records",
            Kind::Odometer => "odometer records",
            Kind::Supply => "supplies",
            Kind::Plan => "plans",
            Kind::Reminder => "reminders",
            Kind::Note => "notes",
            Kind::Attachment => "attachments",
        }
    }

    /// The source's list endpoint under `/api/vehicle/`.
    fn endpoint(self) -> Option<&'static str> {
        Some(match self {
            Kind::Equipment => "equipmentrecords",
            Kind::Service => "servicerecords",
            Kind::Repair => "repairrecords",
            Kind::Upgrade => "upgraderecords",
            Kind::Fuel => "gasrecords",
            Kind::Tax => "taxrecords",
            Kind::Odometer => "odometerrecords",
            Kind::Supply => "supplyrecords",
            Kind::Plan => "planrecords",
            Kind::Reminder => "reminders",
            Kind::Note => "notes",
            _ => return None,
        })
    }

    /// Our `record_type` (docs/schema.md) for tags, extra fields and attachments.
    fn record_type(self) -> Option<&'static str> {
        match self {
            Kind::ExtraField | Kind::VehicleImage | Kind::Attachment => None,
            // Every other kind's name is its record type.
            other => Some(other.as_str()),
        }
    }

    /// LubeLogger's `ImportMode` (name or number, reference §2.1), as used by extra-field
    /// templates and `::RecordType:Id` links.
    fn of_import_mode(text: &str) -> Option<Kind> {
        Some(match text.trim() {
            "ServiceRecord" | "0" => Kind::Service,
            "RepairRecord" | "1" => Kind::Repair,
            "GasRecord" | "2" => Kind::Fuel,
            "TaxRecord" | "3" => Kind::Tax,
            "UpgradeRecord" | "4" => Kind::Upgrade,
            "ReminderRecord" | "5" => Kind::Reminder,
            "NoteRecord" | "6" => Kind::Note,
            "SupplyRecord" | "7" => Kind::Supply,
            "PlanRecord" | "9" => Kind::Plan,
            "OdometerRecord" | "10" => Kind::Odometer,
            "VehicleRecord" | "11" => Kind::Vehicle,
            "EquipmentRecord" | "13" => Kind::Equipment,
            _ => return None,
        })
    }
}

/// The record kinds read per vehicle, equipment first (odometer records link to it).
const VEHICLE_KINDS: &[Kind] = &[
    Kind::Equipment,
    Kind::Service,
    Kind::Repair,
    Kind::Upgrade,
    Kind::Fuel,
    Kind::Tax,
    Kind::Odometer,
    Kind::Supply,
    Kind::Plan,
    Kind::Reminder,
    Kind::Note,
];

/// One line of the final table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Count {
    /// Rows the source has.
    pub source: u64,
    /// Rows written by this run.
    pub imported: u64,
    /// Rows imported by an earlier run (or, for extra fields, defined here already).
    pub present: u64,
    /// Rows of this source that MotoVaultPro holds after the run (checked in `import_sources`).
    pub result: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub counts: BTreeMap<Kind, Count>,
    /// Rows that failed, with why.
    pub errors: Vec<String>,
    /// Things the source has that MotoVaultPro cannot hold (not counted as source rows).
    pub skipped: Vec<String>,
}

impl Report {
    /// Whether every source row is in MotoVaultPro and nothing failed.
    pub fn is_complete(&self) -> bool {
        self.errors.is_empty() && self.counts.values().all(|c| c.source == c.result)
    }

    pub fn count(&self, kind: Kind) -> Count {
        self.counts.get(&kind).cloned().unwrap_or_default()
    }

    /// The closing table: per type, the source count, imported now, already present, result.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<18} {:>8} {:>9} {:>9} {:>8}",
            "type", "source", "imported", "present", "result"
        );
        for (kind, c) in &self.counts {
            let flag = if c.source == c.result {
                ""
            } else {
                "  MISMATCH"
            };
            let _ = writeln!(
                out,
                "{:<18} {:>8} {:>9} {:>9} {:>8}{flag}",
                kind.label(),
                c.source,
                c.imported,
                c.present,
                c.result
            );
        }
        for s in &self.skipped {
            let _ = writeln!(out, "skipped: {s}");
        }
        for e in &self.errors {
            let _ = writeln!(out, "error: {e}");
        }
        out
    }
}

/// Runs the import as the binary does: opens the configured database (applying migrations when
/// the configuration says so) and object store.
pub async fn command(settings: &Settings, options: &Options) -> AppResult<Report> {
    let db = crate::store::connect(settings).await?;
    if settings.database.migrate_on_start {
        crate::store::migrate(&db).await?;
    } else {
        crate::store::check_ready(&db)
            .await
            .map_err(|e| AppError::Unavailable(format!("{e}; run `motovault migrate` first")))?;
    }
    let objects = objects::from_settings(settings).map_err(AppError::internal)?;
    run(
        &db,
        objects.as_ref(),
        settings.attachments.max_bytes,
        options,
    )
    .await
}

/// The import itself. Progress goes to stderr, one line per vehicle and per kind.
pub async fn run(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    max_bytes: u64,
    options: &Options,
) -> AppResult<Report> {
    let client = Client::new(&options.url, options.auth.clone())?;
    run_with(db, objects, max_bytes, options, client).await
}

/// [`run`] with a prepared client (tests shorten its retry waits).
pub async fn run_with(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    max_bytes: u64,
    options: &Options,
    client: Client,
) -> AppResult<Report> {
    let owner = owner(db, options.owner.as_deref()).await?;
    let culture = culture_of(&client).await?;
    let mut import = Import {
        db,
        objects,
        max_bytes,
        source_url: client.base().to_owned(),
        client,
        culture,
        owner,
        report: Report::default(),
        seen: BTreeMap::new(),
        pending_files: Vec::new(),
    };
    eprintln!(
        "importing from {} into MotoVaultPro as {}",
        import.source_url, import.owner.username
    );
    import.extra_fields().await?;
    let vehicles = import.client.get_json("/api/vehicles").await?;
    let vehicles = vehicles.as_array().cloned().unwrap_or_default();
    for raw in &vehicles {
        import.vehicle(raw).await;
    }
    import.shop_supplies().await;
    import.finish().await?;
    Ok(import.report)
}

async fn owner(db: &DatabaseConnection, name: Option<&str>) -> AppResult<user::Model> {
    if users::count(db).await? == 0 {
        return Err(AppError::Conflict(
            "MotoVaultPro is not set up yet: start it (`motovault serve`), open it in a browser \
             and create the first account, then run the import again"
                .into(),
        ));
    }
    match name {
        Some(name) => users::find_by_username(db, name)
            .await?
            .ok_or_else(|| AppError::Malformed(format!("--owner: no user named {name:?}"))),
        None => users::list(db)
            .await?
            .into_iter()
            .find(|u| u.is_root)
            .ok_or_else(|| AppError::Conflict("there is no root user; pass --owner".into())),
    }
}

/// The source culture from `/api/info`; servers without it are en-US, LubeLogger's default.
async fn culture_of(client: &Client) -> AppResult<Culture> {
    match client.get_json("/api/info").await {
        Ok(info) => {
            let text = |k: &str| info.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let culture = Culture::new(&text("dateFormat"), &text("decimalSeparator"));
            eprintln!(
                "source: LubeLogger {} (locale {}, dates {:?}, decimal {:?})",
                text("currentVersion"),
                text("locale"),
                text("dateFormat"),
                text("decimalSeparator")
            );
            Ok(culture)
        }
        Err(AppError::Unavailable(e)) if e.contains("refused these credentials") => {
            Err(AppError::Unavailable(e))
        }
        Err(e) => {
            eprintln!("source has no /api/info ({e}); assuming en-US");
            Ok(Culture::default())
        }
    }
}

/// A file of a record, imported after all records of its vehicle.
struct PendingFile {
    vehicle_id: i64,
    /// Our record.
    record_type: &'static str,
    record_id: i64,
    /// `import_sources` id: `kind:sourceRecordId:location`.
    source_id: String,
    file: model::SourceFile,
}

struct Import<'a> {
    db: &'a DatabaseConnection,
    objects: &'a dyn ObjectStore,
    max_bytes: u64,
    source_url: String,
    client: Client,
    culture: Culture,
    owner: user::Model,
    report: Report,
    /// Source ids met in this run, per kind, to check the result against `import_sources`.
    seen: BTreeMap<Kind, HashSet<String>>,
    pending_files: Vec<PendingFile>,
}

/// A source row ready to be written, in our store's terms.
enum NewRow {
    Maintenance(MaintenanceKind, MaintenanceRecordInput),
    Fuel(FuelRecordInput),
    Tax(TaxRecordInput),
    Odometer(OdometerRow, Vec<i64>),
    Supply(Option<i64>, SupplyInput),
    Plan {
        description: String,
        notes: String,
        kind: MaintenanceKind,
        priority: PlanPriority,
        progress: PlanProgress,
        cost: Amount,
    },
    Reminder(ReminderInput),
    Note(NoteInput),
    Equipment(EquipmentInput),
}

enum Outcome {
    Imported(i64),
    Present(i64),
}

impl Import<'_> {
    fn count(&mut self, kind: Kind) -> &mut Count {
        self.report.counts.entry(kind).or_default()
    }

    fn saw(&mut self, kind: Kind, source_id: &str) {
        self.count(kind).source += 1;
        self.seen
            .entry(kind)
            .or_default()
            .insert(source_id.to_owned());
    }

    fn fail(&mut self, what: String) {
        eprintln!("  error: {what}");
        self.report.errors.push(what);
    }

    async fn known(&self, kind: Kind, source_id: &str) -> AppResult<Option<i64>> {
        Ok(sources::target_of(self.db, &self.source_url, kind.as_str(), source_id).await?)
    }

    // ------------------------------------------------------------------ extra fields

    /// `/api/extrafields`: each definition is appended to our template of that record type
    /// unless a field of that name is there already.
    async fn extra_fields(&mut self) -> AppResult<()> {
        let raw = match self.client.get_json("/api/extrafields").await {
            Ok(raw) => raw,
            Err(e) => {
                self.fail(format!("extra fields: {e}"));
                return Ok(());
            }
        };
        let defs = match model::extra_field_definitions(&raw, &self.culture) {
            Ok(defs) => defs,
            Err(e) => {
                self.fail(format!("extra fields: {e}"));
                return Ok(());
            }
        };
        for def in defs {
            let source_id = format!("{}:{}", def.record_type, def.name);
            self.saw(Kind::ExtraField, &source_id);
            if self.known(Kind::ExtraField, &source_id).await?.is_some() {
                self.count(Kind::ExtraField).present += 1;
                continue;
            }
            let Some(record_type) = Kind::of_import_mode(&def.record_type)
                .and_then(Kind::record_type)
                .or_else(|| (def.record_type.trim() == "InspectionRecord").then_some("inspection"))
            else {
                self.fail(format!(
                    "extra field {:?}: unknown record type {:?}",
                    def.name, def.record_type
                ));
                continue;
            };
            match self.write_extra_field(record_type, &def, &source_id).await {
                Ok(true) => self.count(Kind::ExtraField).imported += 1,
                Ok(false) => self.count(Kind::ExtraField).present += 1,
                Err(e) => self.fail(format!("extra field {source_id}: {e}")),
            }
        }
        let c = self.count(Kind::ExtraField).clone();
        eprintln!(
            "extra fields: {} in source, {} imported, {} already present",
            c.source, c.imported, c.present
        );
        Ok(())
    }

    /// Whether the field was added (false: one of that name existed).
    async fn write_extra_field(
        &self,
        record_type: &str,
        def: &model::ExtraFieldDefinition,
        source_id: &str,
    ) -> AppResult<bool> {
        let txn = crate::store::begin_write(self.db).await?;
        let mut template = extra_fields::template(&txn, record_type).await?;
        let added = !template.iter().any(|f| f.name == def.name);
        if added {
            template.push(ExtraFieldDefinition {
                name: def.name.clone(),
                field_type: field_type(&def.field_type),
                is_required: def.is_required,
            });
            extra_fields::replace_template(&txn, record_type, &template).await?;
        }
        sources::remember(
            &txn,
            &self.source_url,
            Kind::ExtraField.as_str(),
            source_id,
            0,
        )
        .await?;
        txn.commit().await?;
        Ok(added)
    }

    // ------------------------------------------------------------------ vehicles

    async fn vehicle(&mut self, raw: &Value) {
        let v = match model::Vehicle::read(raw, &self.culture) {
            Ok(v) => v,
            Err(e) => {
                self.count(Kind::Vehicle).source += 1;
                self.fail(format!("vehicle {raw}: {e}"));
                return;
            }
        };
        let source_id = v.id.to_string();
        self.saw(Kind::Vehicle, &source_id);
        let name = format!("{} {} {}", v.year, v.make, v.model);
        let target = match self.write_vehicle(&v, &source_id).await {
            Ok(Outcome::Imported(id)) => {
                self.count(Kind::Vehicle).imported += 1;
                eprintln!("vehicle {name} (source #{}): imported as #{id}", v.id);
                id
            }
            Ok(Outcome::Present(id)) => {
                self.count(Kind::Vehicle).present += 1;
                eprintln!(
                    "vehicle {name} (source #{}): already imported as #{id}",
                    v.id
                );
                id
            }
            Err(e) => {
                self.fail(format!("vehicle {name} (source #{}): {e}", v.id));
                return;
            }
        };
        self.vehicle_image(&v, target).await;
        for kind in VEHICLE_KINDS {
            self.records(*kind, v.id, Some(target)).await;
        }
        self.files().await;
    }

    async fn write_vehicle(&self, v: &model::Vehicle, source_id: &str) -> AppResult<Outcome> {
        if let Some(id) = self.known(Kind::Vehicle, source_id).await? {
            if vehicle::Entity::find_by_id(id)
                .one(self.db)
                .await?
                .is_none()
            {
                return Err(AppError::Conflict(format!(
                    "it was imported before as #{id}, which has been deleted since; its records \
                     cannot be imported again"
                )));
            }
            return Ok(Outcome::Present(id));
        }
        let input = VehicleInput {
            year: v.year,
            make: v.make.clone(),
            model: v.model.clone(),
            license_plate: v.license_plate.clone(),
            fuel_type: if v.is_electric {
                FuelType::Electric
            } else if v.is_diesel {
                FuelType::Diesel
            } else {
                FuelType::Gasoline
            },
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
        };
        let txn = crate::store::begin_write(self.db).await?;
        let saved = vehicles::insert(&txn, self.owner.id, &input).await?;
        tags::replace(&txn, saved.id, tags::VEHICLE, saved.id, &input.tags).await?;
        let values: Vec<(String, String)> = v
            .extra_fields
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect();
        extra_fields::replace_values(&txn, saved.id, extra_fields::VEHICLE, saved.id, &values)
            .await?;
        sources::remember(
            &txn,
            &self.source_url,
            Kind::Vehicle.as_str(),
            source_id,
            saved.id,
        )
        .await?;
        txn.commit().await?;
        Ok(Outcome::Imported(saved.id))
    }

    /// The vehicle's own image (`imageLocation`), unless it is LubeLogger's placeholder.
    async fn vehicle_image(&mut self, v: &model::Vehicle, target: i64) {
        let location = v.image_location.trim();
        if location.is_empty() || location.starts_with("/defaults/") {
            return;
        }
        let source_id = v.id.to_string();
        self.saw(Kind::VehicleImage, &source_id);
        match self.write_vehicle_image(location, &source_id, target).await {
            Ok(Outcome::Imported(_)) => self.count(Kind::VehicleImage).imported += 1,
            Ok(Outcome::Present(_)) => self.count(Kind::VehicleImage).present += 1,
            Err(e) => self.fail(format!("image of vehicle source #{}: {e}", v.id)),
        }
    }

    async fn write_vehicle_image(
        &self,
        location: &str,
        source_id: &str,
        target: i64,
    ) -> AppResult<Outcome> {
        if let Some(id) = self.known(Kind::VehicleImage, source_id).await? {
            return Ok(Outcome::Present(id));
        }
        let bytes = self.client.get_bytes(location).await?;
        let ext = file_rules::sniff_image(&bytes[..bytes.len().min(16)]).ok_or_else(|| {
            AppError::Malformed(format!("{location} is not a PNG, JPEG or WebP image"))
        })?;
        let key = ObjectKey::random(Some(ext)).map_err(AppError::internal)?;
        self.put_object(&key, bytes).await?;
        let written = async {
            let txn = crate::store::begin_write(self.db).await?;
            let old = vehicle::Entity::find_by_id(target)
                .one(&txn)
                .await?
                .and_then(|v| v.image_key);
            attachment_store::set_image_key(&txn, target, Some(key.as_str())).await?;
            sources::remember(
                &txn,
                &self.source_url,
                Kind::VehicleImage.as_str(),
                source_id,
                target,
            )
            .await?;
            txn.commit().await?;
            Ok::<_, AppError>(old)
        }
        .await;
        match written {
            Ok(old) => {
                objects::delete_all(self.objects, &old.into_iter().collect::<Vec<_>>()).await;
                Ok(Outcome::Imported(target))
            }
            Err(e) => {
                objects::delete_all(self.objects, &[key.as_str().to_owned()]).await;
                Err(e)
            }
        }
    }

    async fn put_object(&self, key: &ObjectKey, bytes: Bytes) -> AppResult<u64> {
        let body: ByteStream<'_> = Box::pin(futures_util::stream::once(async move {
            Ok::<_, std::io::Error>(bytes)
        }));
        self.objects
            .put(key, body, self.max_bytes)
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))
    }

    // ------------------------------------------------------------------ records

    /// All records of one kind of one source vehicle (`target` `None`: shop supplies).
    async fn records(&mut self, kind: Kind, source_vehicle: i64, target: Option<i64>) {
        let Some(endpoint) = kind.endpoint() else {
            return;
        };
        let path = format!("/api/vehicle/{endpoint}?vehicleId={source_vehicle}");
        let list = match self.client.get_json(&path).await {
            Ok(Value::Array(list)) => list,
            Ok(other) => {
                self.fail(format!("{path}: expected a list, got {other}"));
                return;
            }
            Err(e) => {
                self.fail(format!("{path}: {e}"));
                return;
            }
        };
        let before = self.count(kind).clone();
        for raw in &list {
            self.record(kind, target, raw).await;
        }
        let after = self.count(kind).clone();
        eprintln!(
            "  {}: {} in source, {} imported, {} already present",
            kind.label(),
            after.source - before.source,
            after.imported - before.imported,
            after.present - before.present
        );
    }

    async fn record(&mut self, kind: Kind, vehicle_id: Option<i64>, raw: &Value) {
        let parsed = self.parse(kind, vehicle_id, raw).await;
        let (common, row) = match parsed {
            Ok(p) => p,
            Err(e) => {
                let id = raw
                    .get("id")
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "?".into());
                self.count(kind).source += 1;
                self.seen.entry(kind).or_default();
                self.fail(format!("{} source #{id}: {e}", kind.label()));
                return;
            }
        };
        let source_id = common.id.to_string();
        self.saw(kind, &source_id);
        let outcome = self
            .write_record(kind, vehicle_id, &source_id, &common, row)
            .await;
        let target = match outcome {
            Ok(Outcome::Imported(id)) => {
                self.count(kind).imported += 1;
                id
            }
            Ok(Outcome::Present(id)) => {
                self.count(kind).present += 1;
                id
            }
            Err(e) => {
                self.fail(format!("{} source #{}: {e}", kind.label(), common.id));
                return;
            }
        };
        let Some(record_type) = kind.record_type() else {
            return;
        };
        if common.files.is_empty() {
            return;
        }
        let Some(vehicle_id) = vehicle_id else {
            self.report.skipped.push(format!(
                "{} file(s) of shop supply source #{}: shop supplies have no attachments here",
                common.files.len(),
                common.id
            ));
            return;
        };
        for file in common.files {
            self.pending_files.push(PendingFile {
                vehicle_id,
                record_type,
                record_id: target,
                source_id: format!("{}:{}:{}", kind.as_str(), common.id, file.location),
                file,
            });
        }
    }

    /// Reads one source row of `kind` into what we store.
    async fn parse(
        &self,
        kind: Kind,
        vehicle_id: Option<i64>,
        raw: &Value,
    ) -> AppResult<(Common, NewRow)> {
        let c = &self.culture;
        let bad = |e: model::ModelError| AppError::Malformed(e.0);
        Ok(match kind {
            Kind::Service | Kind::Repair | Kind::Upgrade => {
                let r = model::Generic::read(raw, c).map_err(bad)?;
                let mk = match kind {
                    Kind::Service => MaintenanceKind::Service,
                    Kind::Repair => MaintenanceKind::Repair,
                    _ => MaintenanceKind::Upgrade,
                };
                let input = MaintenanceRecordInput {
                    date: r.date,
                    odometer: r.odometer,
                    description: r.description,
                    cost: r.cost,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                    supplies: Vec::new(),
                    reminder_ids: Vec::new(),
                };
                (r.common, NewRow::Maintenance(mk, input))
            }
            Kind::Fuel => {
                let r = model::Gas::read(raw, c).map_err(bad)?;
                let input = FuelRecordInput {
                    date: r.date,
                    odometer: r.odometer,
                    fuel_consumed: r.fuel_consumed,
                    cost: r.cost,
                    is_fill_to_full: r.is_fill_to_full,
                    missed_fuel_up: r.missed_fuel_up,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                    starting_soc: r.starting_soc,
                    ending_soc: r.ending_soc,
                };
                (r.common, NewRow::Fuel(input))
            }
            Kind::Tax => {
                let r = model::Tax::read(raw, c).map_err(bad)?;
                // Recurrence is not in the export model; imported records are one-off.
                let input = TaxRecordInput {
                    date: r.date,
                    description: r.description,
                    cost: r.cost,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                    is_recurring: false,
                    recurring_interval: 12,
                    custom_interval: 0,
                    custom_interval_unit: ReminderIntervalUnit::Months,
                };
                (r.common, NewRow::Tax(input))
            }
            Kind::Odometer => {
                let r = model::Odometer::read(raw, c).map_err(bad)?;
                let mut equipment_ids = Vec::new();
                for source in &r.equipment_ids {
                    let id = self
                        .known(Kind::Equipment, &source.to_string())
                        .await?
                        .ok_or_else(|| {
                            AppError::Conflict(format!(
                                "linked equipment source #{source} was not imported"
                            ))
                        })?;
                    if !equipment_ids.contains(&id) {
                        equipment_ids.push(id);
                    }
                }
                let row = OdometerRow {
                    date: r.date,
                    initial_odometer: r.initial_odometer,
                    odometer: r.odometer,
                    notes: r.notes,
                };
                (r.common, NewRow::Odometer(row, equipment_ids))
            }
            Kind::Supply => {
                let r = model::Supply::read(raw, c).map_err(bad)?;
                let input = SupplyInput {
                    date: r.date,
                    part_number: r.part_number,
                    supplier: r.part_supplier,
                    description: r.description,
                    quantity: r.quantity,
                    cost: r.cost,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                };
                (r.common, NewRow::Supply(vehicle_id, input))
            }
            Kind::Plan => {
                let r = model::Plan::read(raw, c).map_err(bad)?;
                let kind = match r.record_type.trim() {
                    "ServiceRecord" | "0" | "Service" => MaintenanceKind::Service,
                    "RepairRecord" | "1" | "Repair" => MaintenanceKind::Repair,
                    "UpgradeRecord" | "4" | "Upgrade" => MaintenanceKind::Upgrade,
                    other => {
                        return Err(AppError::Malformed(format!("unknown plan type {other:?}")));
                    }
                };
                let priority = match r.priority.trim() {
                    "Critical" | "0" => PlanPriority::Critical,
                    "Low" | "2" => PlanPriority::Low,
                    _ => PlanPriority::Normal,
                };
                let progress = match r.progress.trim() {
                    "InProgress" | "1" => PlanProgress::InProgress,
                    "Testing" | "2" => PlanProgress::Testing,
                    "Done" | "3" => PlanProgress::Done,
                    _ => PlanProgress::Backlog,
                };
                (
                    r.common,
                    NewRow::Plan {
                        description: r.description,
                        notes: r.notes,
                        kind,
                        priority,
                        progress,
                        cost: r.cost,
                    },
                )
            }
            Kind::Reminder => {
                let r = model::Reminder::read(raw, c).map_err(bad)?;
                let metric = match r.metric.trim() {
                    "Odometer" | "1" => ReminderMetric::Odometer,
                    "Both" | "2" => ReminderMetric::Both,
                    _ => ReminderMetric::Date,
                };
                // Recurrence and thresholds are not in the export model (reference §4.3).
                let input = ReminderInput {
                    description: r.description,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                    metric,
                    due_date: r.due_date.filter(|_| metric != ReminderMetric::Odometer),
                    due_odometer: r.due_odometer.filter(|_| metric != ReminderMetric::Date),
                    is_recurring: false,
                    fixed_intervals: false,
                    month_interval: 12,
                    mileage_interval: 5000,
                    custom_month_interval: 0,
                    custom_interval_unit: ReminderIntervalUnit::Months,
                    custom_mileage_interval: 0,
                    use_custom_thresholds: false,
                    urgent_days: None,
                    very_urgent_days: None,
                    urgent_distance: None,
                    very_urgent_distance: None,
                };
                (r.common, NewRow::Reminder(input))
            }
            Kind::Note => {
                let r = model::Note::read(raw, c).map_err(bad)?;
                let input = NoteInput {
                    title: r.description,
                    body: r.note_text,
                    is_pinned: r.pinned,
                    tags: r.common.tags.clone(),
                };
                (r.common, NewRow::Note(input))
            }
            Kind::Equipment => {
                let r = model::Equipment::read(raw, c).map_err(bad)?;
                let input = EquipmentInput {
                    description: r.description,
                    is_equipped: r.is_equipped,
                    notes: r.notes,
                    tags: r.common.tags.clone(),
                };
                (r.common, NewRow::Equipment(input))
            }
            other => {
                return Err(AppError::internal(format!(
                    "{} is not a record kind",
                    other.as_str()
                )));
            }
        })
    }

    /// Writes the row, its tags and extra-field values and its `import_sources` row in one
    /// transaction, unless it was imported before.
    async fn write_record(
        &self,
        kind: Kind,
        vehicle_id: Option<i64>,
        source_id: &str,
        common: &Common,
        row: NewRow,
    ) -> AppResult<Outcome> {
        if let Some(id) = self.known(kind, source_id).await? {
            return Ok(Outcome::Present(id));
        }
        let record_type = kind
            .record_type()
            .ok_or_else(|| AppError::internal("not a record kind"))?;
        let txn = crate::store::begin_write(self.db).await?;
        let id = insert_row(&txn, vehicle_id, row).await?;
        if let Some(v) = vehicle_id {
            tags::replace(&txn, v, record_type, id, &common.tags).await?;
            let values: Vec<(String, String)> = common
                .extra_fields
                .iter()
                .map(|f| (f.name.clone(), f.value.clone()))
                .collect();
            extra_fields::replace_values(&txn, v, record_type, id, &values).await?;
        }
        sources::remember(&txn, &self.source_url, kind.as_str(), source_id, id).await?;
        txn.commit().await?;
        Ok(Outcome::Imported(id))
    }

    /// Shop supplies (`vehicleId=0`). A source without the shop answers an error; that is no
    /// failure of ours.
    async fn shop_supplies(&mut self) {
        let path = "/api/vehicle/supplyrecords?vehicleId=0";
        let list = match self.client.get_json(path).await {
            Ok(Value::Array(list)) => list,
            Ok(_) | Err(_) => {
                eprintln!("shop supplies: none (not enabled on the source)");
                return;
            }
        };
        let before = self.count(Kind::Supply).clone();
        for raw in &list {
            // Shop supplies carry no tags or extra fields here; say so instead of losing them.
            let tagged = raw
                .get("tags")
                .and_then(Value::as_str)
                .is_some_and(|t| !t.trim().is_empty());
            if tagged {
                let id = raw.get("id").map(|v| v.to_string()).unwrap_or_default();
                self.report.skipped.push(format!(
                    "tags of shop supply source #{id}: shop supplies have no tags here"
                ));
            }
            self.record(Kind::Supply, None, raw).await;
        }
        let after = self.count(Kind::Supply).clone();
        eprintln!(
            "shop supplies: {} in source, {} imported, {} already present",
            after.source - before.source,
            after.imported - before.imported,
            after.present - before.present
        );
    }

    // ------------------------------------------------------------------ attachments

    async fn files(&mut self) {
        let pending = std::mem::take(&mut self.pending_files);
        if pending.is_empty() {
            return;
        }
        let before = self.count(Kind::Attachment).clone();
        for file in pending {
            // A link to a record we cannot hold (an inspection) is reported, not counted.
            let link = match file.file.location.strip_prefix("::") {
                Some(rest) => match self.link_target(rest).await {
                    Ok(Some(link)) => Some(link),
                    Ok(None) => {
                        self.report.skipped.push(format!(
                            "record link {:?} of {} #{}: its record is not imported",
                            file.file.location, file.record_type, file.record_id
                        ));
                        continue;
                    }
                    Err(e) => {
                        self.saw(Kind::Attachment, &file.source_id);
                        self.fail(format!("attachment {}: {e}", file.source_id));
                        continue;
                    }
                },
                None => None,
            };
            self.saw(Kind::Attachment, &file.source_id);
            match self.write_file(&file, link).await {
                Ok(Outcome::Imported(_)) => self.count(Kind::Attachment).imported += 1,
                Ok(Outcome::Present(_)) => self.count(Kind::Attachment).present += 1,
                Err(e) => self.fail(format!("attachment {}: {e}", file.source_id)),
            }
        }
        let after = self.count(Kind::Attachment).clone();
        eprintln!(
            "  attachments: {} in source, {} imported, {} already present",
            after.source - before.source,
            after.imported - before.imported,
            after.present - before.present
        );
    }

    /// Our `::type:id` for a source `RecordType:Id`, if that record was imported.
    async fn link_target(&self, rest: &str) -> AppResult<Option<String>> {
        let (mode, id) = rest
            .rsplit_once(':')
            .ok_or_else(|| AppError::Malformed(format!("malformed record link ::{rest}")))?;
        let Some(kind) = Kind::of_import_mode(mode) else {
            return Ok(None);
        };
        let Some(record_type) = kind.record_type() else {
            return Ok(None);
        };
        if attachment_store::table_of_type(record_type).is_none() {
            return Ok(None);
        }
        Ok(self
            .known(kind, id.trim())
            .await?
            .map(|target| attachment_store::link_location(record_type, target)))
    }

    async fn write_file(&self, f: &PendingFile, link: Option<String>) -> AppResult<Outcome> {
        if let Some(id) = self.known(Kind::Attachment, &f.source_id).await? {
            return Ok(Outcome::Present(id));
        }
        let location = f.file.location.as_str();
        let fallback = location.rsplit('/').next().unwrap_or("file");
        let name = file_rules::clean_file_name(if f.file.name.trim().is_empty() {
            fallback
        } else {
            &f.file.name
        });
        let external = (location.starts_with("http://") || location.starts_with("https://"))
            && !location.starts_with(&format!("{}/", self.source_url));
        if let Some(link) = link {
            return self
                .insert_attachment(f, &name, KIND_RECORD_LINK, &link, None, None)
                .await;
        }
        if external {
            return self
                .insert_attachment(f, &name, KIND_URL, location, None, None)
                .await;
        }
        let bytes = self.client.get_bytes(location).await?;
        let key = ObjectKey::random(None).map_err(AppError::internal)?;
        let size = self.put_object(&key, bytes).await?;
        let content_type = file_rules::extension(&name)
            .or_else(|| file_rules::extension(fallback))
            .map(|ext| actix_files::file_extension_to_mime(&ext).to_string())
            .unwrap_or_else(|| "application/octet-stream".to_owned());
        let row = self
            .insert_attachment(
                f,
                &name,
                KIND_FILE,
                key.as_str(),
                Some(&content_type),
                Some(i64::try_from(size).unwrap_or(i64::MAX)),
            )
            .await;
        if row.is_err() {
            // The row never pointed at it: do not leave the object behind.
            objects::delete_all(self.objects, &[key.as_str().to_owned()]).await;
        }
        row
    }

    async fn insert_attachment(
        &self,
        f: &PendingFile,
        name: &str,
        kind: &str,
        location: &str,
        content_type: Option<&str>,
        size_bytes: Option<i64>,
    ) -> AppResult<Outcome> {
        let txn = crate::store::begin_write(self.db).await?;
        let row = attachment_store::insert(
            &txn,
            attachment_store::NewAttachment {
                vehicle_id: f.vehicle_id,
                record_type: f.record_type,
                record_id: f.record_id,
                name,
                kind,
                location,
                content_type,
                size_bytes,
            },
        )
        .await?;
        sources::remember(
            &txn,
            &self.source_url,
            Kind::Attachment.as_str(),
            &f.source_id,
            row.id,
        )
        .await?;
        txn.commit().await?;
        Ok(Outcome::Imported(row.id))
    }

    // ------------------------------------------------------------------ result

    /// Counts, per kind, the source rows of this run that `import_sources` now holds.
    async fn finish(&mut self) -> AppResult<()> {
        let seen = std::mem::take(&mut self.seen);
        for (kind, ids) in seen {
            let held = sources::source_ids(self.db, &self.source_url, kind.as_str()).await?;
            self.count(kind).result = ids.iter().filter(|id| held.contains(*id)).count() as u64;
        }
        Ok(())
    }
}

async fn insert_row(
    txn: &impl ConnectionTrait,
    vehicle_id: Option<i64>,
    row: NewRow,
) -> AppResult<i64> {
    let vehicle = || vehicle_id.ok_or_else(|| AppError::internal("a record without a vehicle"));
    Ok(match row {
        NewRow::Maintenance(kind, input) => {
            maintenance::insert(txn, vehicle()?, kind, &input).await?.id
        }
        NewRow::Fuel(input) => fuel::insert(txn, vehicle()?, &input).await?.id,
        NewRow::Tax(input) => tax::insert(txn, vehicle()?, &input).await?.id,
        NewRow::Odometer(row, equipment_ids) => {
            let saved = odometer::insert(txn, vehicle()?, &row).await?;
            odometer::link_equipment(txn, saved.id, &equipment_ids).await?;
            saved.id
        }
        NewRow::Supply(v, input) => supplies::insert(txn, v, &input).await?.id,
        NewRow::Plan {
            description,
            notes,
            kind,
            priority,
            progress,
            cost,
        } => {
            plans::insert(
                txn,
                vehicle()?,
                &PlanRow {
                    description: &description,
                    notes: &notes,
                    record_kind: kind,
                    priority,
                    progress,
                    cost: cost.scaled(),
                },
            )
            .await?
            .id
        }
        NewRow::Reminder(input) => reminders::insert(txn, vehicle()?, &input).await?.id,
        NewRow::Note(input) => notes::insert(txn, vehicle()?, &input).await?.id,
        NewRow::Equipment(input) => equipment::insert(txn, vehicle()?, &input).await?.id,
    })
}

/// `fieldType` of `/api/extrafields`: a name (`Decimal`) or its integer (reference §2.1).
fn field_type(text: &str) -> ExtraFieldType {
    match text.trim() {
        "1" => ExtraFieldType::Number,
        "2" => ExtraFieldType::Decimal,
        "3" => ExtraFieldType::Date,
        "4" => ExtraFieldType::Time,
        "5" => ExtraFieldType::Location,
        name => ExtraFieldType::parse(&name.to_ascii_lowercase()).unwrap_or_default(),
    }
}
