//! CSV import and export per record type (reference §5): LubeLogger's columns, header aliases
//! (which also read Fuelly files) and parsing rules, in the server culture of
//! `compat.locale`.
//!
//! `columns` maps headers to fields, `parse` turns a file into the collections' create bodies
//! with per-line errors, `export` writes records. This module is the domain step between them
//! and the store: access checks, then one transaction for a whole import, writing each row as
//! the JSON create does (tags, the odometer auto-insert of §3.3, extra-field values).
//!
//! Supplies also go to and come from the shop ([`Scope::Shop`], LubeLogger's vehicle 0) through
//! the same code, with the shop supplies' own rules: anyone signed in reads them, only
//! administrators write them, and they carry no tags or extra fields.

pub mod columns;
pub mod export;
pub mod parse;

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use motovault_shared::dto::csv::{CsvImportResult, CsvLineError, CsvRecord, CsvRow};
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::extra_fields::check_value;
use motovault_shared::odometer::AutoInsertSource;
use motovault_shared::problem::FieldError;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection};

use self::export::ExportRow;
use self::parse::ParsedRow;
use crate::auth::Caller;
use crate::compat::culture::Culture;
use crate::domain::odometer::auto_insert;
use crate::domain::supplies::Scope;
use crate::domain::vehicles::visible;
use crate::domain::{equipment, fuel, maintenance, odometer, plans, supplies, tax};
use crate::error::{AppError, AppResult};
use crate::infra::objects::Objects;
use crate::store::entity::plan_record;
use crate::store::extra_fields as extra_store;
use crate::store::odometer::OdometerRow;
use crate::store::plans::PlanRow;
use crate::store::{
    equipment as equipment_store, fuel as fuel_store, maintenance as maintenance_store,
    odometer as odometer_store, plans as plan_store, supplies as supply_store, tags,
    tax as tax_store,
};

/// The largest file an import reads (about 40 000 fill-ups).
pub const MAX_IMPORT_BYTES: usize = 4 * 1024 * 1024;

/// A record collection that has CSV import and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Maintenance(MaintenanceKind),
    Fuel,
    Odometer,
    Tax,
    Supply,
    Plan,
    Equipment,
}

impl Kind {
    /// From the collection's path segment (`fuel-records`, `supplies`, …).
    pub fn from_segment(segment: &str) -> Option<Kind> {
        Some(match segment {
            "service-records" => Kind::Maintenance(MaintenanceKind::Service),
            "repair-records" => Kind::Maintenance(MaintenanceKind::Repair),
            "upgrade-records" => Kind::Maintenance(MaintenanceKind::Upgrade),
            "fuel-records" => Kind::Fuel,
            "odometer-records" => Kind::Odometer,
            "tax-records" => Kind::Tax,
            "supplies" => Kind::Supply,
            "plans" => Kind::Plan,
            "equipment" => Kind::Equipment,
            _ => return None,
        })
    }

    /// `record_type` of its tags and extra-field values.
    pub fn record_type(self) -> &'static str {
        match self {
            Kind::Maintenance(k) => maintenance_store::record_type(k),
            Kind::Fuel => tags::FUEL,
            Kind::Odometer => odometer_store::RECORD_TYPE,
            Kind::Tax => tax_store::RECORD_TYPE,
            Kind::Supply => supply_store::RECORD_TYPE,
            Kind::Plan => plan_store::RECORD_TYPE,
            Kind::Equipment => equipment_store::RECORD_TYPE,
        }
    }

    /// The type name of the default description ("Service Record on …").
    pub fn label(self) -> &'static str {
        match self {
            Kind::Maintenance(k) => k.label(),
            Kind::Fuel => "Fuel",
            Kind::Odometer => "Odometer",
            Kind::Tax => "Tax",
            Kind::Supply => "Supply",
            Kind::Plan => "Plan",
            Kind::Equipment => "Equipment",
        }
    }
}

// ---------------------------------------------------------------- import

/// Reads the file and, unless `dry_run`, writes every row in one transaction. A file with any
/// error answers 422 (each error names `lines[N].field`) and writes nothing; a dry run answers
/// the parsed rows and the errors instead.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    kind: Kind,
    text: &str,
    culture: Culture,
    today: NaiveDate,
    dry_run: bool,
) -> AppResult<CsvImportResult> {
    let owner = owner(db, caller, scope, kind, true).await?;
    let mut parsed = parse::parse(kind, text, culture, today);
    if owner.is_none() {
        refuse_vehicle_parts(&mut parsed);
    }
    // Values of fields the template defines must fit their type; others are kept as text
    // (the merge on read shows them once the template has the field).
    let template = extra_store::template(db, kind.record_type()).await?;
    for row in &parsed.rows {
        for value in &row.extra_fields {
            if let Some(def) = template.iter().find(|d| d.name == value.name)
                && let Err(message) = check_value(def.field_type, &value.value)
            {
                parsed.errors.push(CsvLineError {
                    line: row.line,
                    field: columns::extra_field_header(&value.name),
                    message: message.to_owned(),
                });
            }
        }
    }
    parsed.errors.sort_by_key(|e| e.line);
    let rows: Vec<CsvRow> = parsed
        .rows
        .iter()
        .map(|r| CsvRow {
            line: r.line,
            record: r.record.clone(),
            extra_fields: r.extra_fields.clone(),
        })
        .collect();
    let mut result = CsvImportResult {
        dry_run,
        imported: 0,
        rows,
        skipped_lines: parsed.skipped,
        errors: parsed.errors,
    };
    if dry_run {
        return Ok(result);
    }
    if !result.errors.is_empty() {
        return Err(AppError::Validation(
            result
                .errors
                .iter()
                .map(|e| {
                    let field = if e.field.is_empty() {
                        format!("lines[{}]", e.line)
                    } else {
                        format!("lines[{}].{}", e.line, e.field)
                    };
                    FieldError::new(&field, format!("line {}: {}", e.line, e.message))
                })
                .collect(),
        ));
    }
    let txn = crate::store::begin_write(db).await?;
    for row in &parsed.rows {
        match (owner, &row.record) {
            (Some(vehicle_id), _) => write_row(&txn, caller, vehicle_id, kind, row).await?,
            (None, CsvRecord::Supply(input)) => {
                supply_store::insert(&txn, None, input).await?;
            }
            (None, _) => return Err(AppError::internal("a shop row that is not a supply")),
        }
    }
    txn.commit().await?;
    result.imported = result.rows.len() as u64;
    Ok(result)
}

/// The `vehicle_id` the rows belong to (`None`: the shop), once the caller may read or, with
/// `write`, change them there. Only supplies have a shop; any other kind there is not found.
async fn owner(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    kind: Kind,
    write: bool,
) -> AppResult<Option<i64>> {
    match scope {
        Scope::Vehicle(id) => Ok(Some(visible(db, caller, id).await?.id)),
        Scope::Shop if kind == Kind::Supply => supplies::owner(db, caller, scope, write).await,
        Scope::Shop => Err(AppError::NotFound),
    }
}

/// Shop supplies have no tags or extra fields (both belong to a vehicle): a row that brings
/// some is an error of its line, as the JSON create refuses tags, rather than losing them.
fn refuse_vehicle_parts(parsed: &mut parse::Parsed) {
    for row in &parsed.rows {
        if let CsvRecord::Supply(input) = &row.record
            && !input.tags.is_empty()
        {
            parsed.errors.push(CsvLineError {
                line: row.line,
                field: "tags".to_owned(),
                message: "shop supplies have no tags".to_owned(),
            });
        }
        for value in &row.extra_fields {
            parsed.errors.push(CsvLineError {
                line: row.line,
                field: columns::extra_field_header(&value.name),
                message: "shop supplies have no extra fields".to_owned(),
            });
        }
    }
}

/// One row, as the collection's JSON create writes it (without supplies or reminders, which a
/// file cannot name).
async fn write_row(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    vehicle_id: i64,
    kind: Kind,
    row: &ParsedRow,
) -> AppResult<()> {
    let record_type = kind.record_type();
    let id = match (&row.record, kind) {
        (CsvRecord::Maintenance(input), Kind::Maintenance(k)) => {
            let saved = maintenance_store::insert(txn, vehicle_id, k, input).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            let source = AutoInsertSource {
                label: k.label(),
                date: saved.date,
                odometer: saved.odometer,
                text: &saved.description,
            };
            auto_insert(txn, caller, vehicle_id, &source).await?;
            saved.id
        }
        (CsvRecord::Fuel(input), Kind::Fuel) => {
            let saved = fuel_store::insert(txn, vehicle_id, input).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            let source = AutoInsertSource {
                label: "Fuel",
                date: saved.date,
                odometer: saved.odometer,
                text: &saved.notes,
            };
            auto_insert(txn, caller, vehicle_id, &source).await?;
            saved.id
        }
        (CsvRecord::Odometer(input), Kind::Odometer) => {
            let stored = OdometerRow {
                date: input.date,
                initial_odometer: input.initial_odometer.unwrap_or(0),
                odometer: input.odometer,
                notes: input.notes.clone(),
            };
            let saved = odometer_store::insert(txn, vehicle_id, &stored).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            saved.id
        }
        (CsvRecord::Tax(input), Kind::Tax) => {
            let saved = tax_store::insert(txn, vehicle_id, input).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            saved.id
        }
        (CsvRecord::Supply(input), Kind::Supply) => {
            let saved = supply_store::insert(txn, Some(vehicle_id), input).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            saved.id
        }
        (CsvRecord::Plan(input), Kind::Plan) => {
            let stored = PlanRow {
                description: &input.description,
                notes: &input.notes,
                record_kind: input.record_kind,
                priority: input.priority,
                progress: input.progress,
                cost: input.cost.scaled(),
            };
            let saved = plan_store::insert(txn, vehicle_id, &stored).await?;
            let id = saved.id;
            if let Some((created, modified)) = row.plan_dates {
                let mut dated: plan_record::ActiveModel = saved.into();
                dated.created_at = Set(created.and_time(NaiveTime::MIN).and_utc());
                dated.updated_at = Set(modified.and_time(NaiveTime::MIN).and_utc());
                dated.update(txn).await?;
            }
            id
        }
        (CsvRecord::Equipment(input), Kind::Equipment) => {
            let saved = equipment_store::insert(txn, vehicle_id, input).await?;
            tags::replace(txn, vehicle_id, record_type, saved.id, &input.tags).await?;
            saved.id
        }
        _ => return Err(AppError::internal("a parsed row of another record type")),
    };
    if !row.extra_fields.is_empty() {
        let values: Vec<(String, String)> = row
            .extra_fields
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect();
        extra_store::replace_values(txn, vehicle_id, record_type, id, &values).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- export

/// LubeLogger's `TagFilter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagMode {
    /// Leave out records that carry any of the tags (LubeLogger's default).
    #[default]
    Exclude,
    /// Keep only records that carry one of the tags.
    IncludeOnly,
}

/// Which records an export writes. Records without a date (equipment) ignore the date range;
/// plans have no tags and ignore the tag filter, and their date is `DateCreated`.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    pub tags: Vec<String>,
    pub mode: TagMode,
    /// Inclusive.
    pub from: Option<NaiveDate>,
    /// Inclusive.
    pub to: Option<NaiveDate>,
}

impl ExportFilter {
    pub fn keeps(&self, date: Option<NaiveDate>, record_tags: Option<&[String]>) -> bool {
        if let Some(d) = date
            && (self.from.is_some_and(|f| d < f) || self.to.is_some_and(|t| d > t))
        {
            return false;
        }
        match record_tags {
            Some(own) if !self.tags.is_empty() => {
                let any = own.iter().any(|t| self.tags.contains(t));
                match self.mode {
                    TagMode::Exclude => !any,
                    TagMode::IncludeOnly => any,
                }
            }
            _ => true,
        }
    }
}

/// The columns of the kind and its records (oldest first), filtered.
#[allow(clippy::too_many_arguments)]
pub async fn export(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    scope: Scope,
    kind: Kind,
    culture: Culture,
    filter: &ExportFilter,
    today: NaiveDate,
) -> AppResult<Vec<u8>> {
    let c = culture;
    // The shop has supplies only; a vehicle's access is checked by each list below.
    let vehicle_id = match scope {
        Scope::Vehicle(id) => id,
        Scope::Shop => {
            owner(db, caller, scope, kind, false).await?;
            0
        }
    };
    // (record id, sort key, cells) of the kept records.
    let mut kept: Vec<(i64, (NaiveDate, i64), Vec<String>)> = Vec::new();
    let columns: &[&str] = match kind {
        Kind::Maintenance(k) => {
            for r in maintenance::list(db, caller, vehicle_id, k).await?.records {
                if filter.keeps(Some(r.date), Some(&r.tags)) {
                    kept.push((r.id, (r.date, r.id), export::maintenance(c, &r)));
                }
            }
            export::MAINTENANCE_COLUMNS
        }
        Kind::Fuel => {
            for r in fuel::list(db, caller, vehicle_id).await?.records {
                if filter.keeps(Some(r.date), Some(&r.tags)) {
                    kept.push((r.id, (r.date, r.odometer), export::fuel(c, &r)));
                }
            }
            export::FUEL_COLUMNS
        }
        Kind::Odometer => {
            for r in odometer::list(db, caller, vehicle_id).await?.records {
                if filter.keeps(Some(r.date), Some(&r.tags)) {
                    kept.push((r.id, (r.date, r.odometer), export::odometer(c, &r)));
                }
            }
            export::ODOMETER_COLUMNS
        }
        Kind::Tax => {
            for r in tax::list(db, objects, caller, vehicle_id, today)
                .await?
                .records
            {
                if filter.keeps(Some(r.date), Some(&r.tags)) {
                    kept.push((r.id, (r.date, r.id), export::tax(c, &r)));
                }
            }
            export::TAX_COLUMNS
        }
        Kind::Supply => {
            let list = supplies::list(db, caller, scope).await?;
            for r in list.records {
                if filter.keeps(Some(r.date), Some(&r.tags)) {
                    kept.push((r.id, (r.date, r.id), export::supply(c, &r)));
                }
            }
            export::SUPPLY_COLUMNS
        }
        Kind::Plan => {
            for r in plans::list(db, caller, vehicle_id).await?.records {
                let created = r.created_at.date_naive();
                if filter.keeps(Some(created), None) {
                    kept.push((r.id, (created, r.id), export::plan(c, &r)));
                }
            }
            export::PLAN_COLUMNS
        }
        Kind::Equipment => {
            for r in equipment::list(db, caller, vehicle_id).await?.records {
                if filter.keeps(None, Some(&r.tags)) {
                    kept.push((r.id, (NaiveDate::MIN, r.id), export::equipment(c, &r)));
                }
            }
            export::EQUIPMENT_COLUMNS
        }
    };
    kept.sort_by_key(|(_, key, _)| *key);
    let ids: Vec<i64> = kept.iter().map(|(id, _, _)| *id).collect();
    let mut values: HashMap<i64, Vec<(String, String)>> =
        extra_store::values_of(db, kind.record_type(), &ids).await?;
    let rows: Vec<ExportRow> = kept
        .into_iter()
        .map(|(id, _, cells)| ExportRow {
            cells,
            extra_fields: values.remove(&id).unwrap_or_default(),
        })
        .collect();
    export::to_csv(columns, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, day).unwrap()
    }

    #[test]
    fn every_collection_segment_has_its_kind() {
        for segment in motovault_shared::dto::csv::CSV_RECORD_TYPES {
            assert!(Kind::from_segment(segment).is_some(), "{segment}");
        }
        assert_eq!(Kind::from_segment("notes"), None);
        assert_eq!(Kind::from_segment("reminders"), None);
        assert_eq!(Kind::Supply.record_type(), "supply");
    }

    #[test]
    fn the_filter_is_inclusive_and_follows_the_tag_mode() {
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let winter = tags(&["winter"]);
        let none = tags(&[]);
        let range = ExportFilter {
            from: Some(d(10)),
            to: Some(d(20)),
            ..ExportFilter::default()
        };
        assert!(range.keeps(Some(d(10)), Some(&none)));
        assert!(range.keeps(Some(d(20)), Some(&none)));
        assert!(!range.keeps(Some(d(9)), Some(&none)));
        assert!(!range.keeps(Some(d(21)), Some(&none)));
        assert!(range.keeps(None, Some(&none)));
        let exclude = ExportFilter {
            tags: tags(&["winter", "track"]),
            ..ExportFilter::default()
        };
        assert!(!exclude.keeps(Some(d(1)), Some(&winter)));
        assert!(exclude.keeps(Some(d(1)), Some(&none)));
        let only = ExportFilter {
            mode: TagMode::IncludeOnly,
            ..exclude.clone()
        };
        assert!(only.keeps(Some(d(1)), Some(&winter)));
        assert!(!only.keeps(Some(d(1)), Some(&none)));
        // Plans carry no tags: the tag filter does not apply.
        assert!(only.keeps(Some(d(1)), None));
    }
}
