//! Reports: the cost table (reference §3.4) and the vehicle history report (issue 8). Both read
//! the vehicle's records once and apply the pure rules of [`rules`].

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Utc};
use motovault_shared::Amount;
use motovault_shared::dto::FuelType;
use motovault_shared::dto::extra_fields::{ExtraField, ExtraFieldType};
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::dto::reports::{
    CostTable, HistoryExtraField, HistoryFilter, HistoryRecord, HistoryTotals, HistoryVehicle,
    ReportRecordType, VehicleHistory,
};
use motovault_shared::extra_fields as extra_rules;
use motovault_shared::fuel::{self, EconomyMode, FuelEntry};
use motovault_shared::units::UnitSystem;
use sea_orm::DatabaseConnection;

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::store::entity::{fuel_record, maintenance_record, odometer_record, tax_record, vehicle};
use crate::store::{extra_fields, fuel as fuel_store, maintenance, odometer, tags, tax, users};

mod rules;

/// Every record the reports look at, oldest first is not promised (the rules do not care).
struct Records {
    maintenance: Vec<(ReportRecordType, maintenance_record::Model)>,
    fuel: Vec<fuel_record::Model>,
    tax: Vec<tax_record::Model>,
    odometer: Vec<odometer_record::Model>,
}

fn report_type(kind: MaintenanceKind) -> ReportRecordType {
    match kind {
        MaintenanceKind::Service => ReportRecordType::Service,
        MaintenanceKind::Repair => ReportRecordType::Repair,
        MaintenanceKind::Upgrade => ReportRecordType::Upgrade,
    }
}

async fn records(db: &DatabaseConnection, vehicle_id: i64) -> AppResult<Records> {
    let mut all = Vec::new();
    for kind in MaintenanceKind::ALL {
        let rows = maintenance::list(db, vehicle_id, kind).await?;
        all.extend(rows.into_iter().map(|r| (report_type(kind), r)));
    }
    Ok(Records {
        maintenance: all,
        fuel: fuel_store::list(db, vehicle_id).await?,
        tax: tax::list(db, vehicle_id).await?,
        odometer: odometer::list(db, vehicle_id).await?,
    })
}

impl Records {
    fn dates(&self) -> Vec<NaiveDate> {
        let mut out: Vec<NaiveDate> = self.maintenance.iter().map(|(_, r)| r.date).collect();
        out.extend(self.fuel.iter().map(|r| r.date));
        out.extend(self.tax.iter().map(|r| r.date));
        out.extend(self.odometer.iter().map(|r| r.date));
        out
    }

    /// Readings of the records that have one (tax records have none).
    fn readings(&self) -> impl Iterator<Item = i64> + '_ {
        self.maintenance
            .iter()
            .map(|(_, r)| r.odometer)
            .chain(self.fuel.iter().map(|r| r.odometer))
            .chain(self.odometer.iter().map(|r| r.odometer))
    }

    fn retain_dates(&mut self, keep: impl Fn(NaiveDate) -> bool) {
        self.maintenance.retain(|(_, r)| keep(r.date));
        self.fuel.retain(|r| keep(r.date));
        self.tax.retain(|r| keep(r.date));
        self.odometer.retain(|r| keep(r.date));
    }

    fn sum(&self, record_type: ReportRecordType) -> Amount {
        let scaled = match record_type {
            ReportRecordType::Fuel => self.fuel.iter().map(|r| r.cost).sum(),
            ReportRecordType::Tax => self.tax.iter().map(|r| r.cost).sum(),
            kind => self
                .maintenance
                .iter()
                .filter(|(t, _)| *t == kind)
                .map(|(_, r)| r.cost)
                .sum(),
        };
        Amount::from_scaled(scaled)
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn distance_unit(vehicle: &vehicle::Model, units: UnitSystem) -> String {
    if vehicle.use_hours {
        "h".to_owned()
    } else {
        units.distance_unit().to_owned()
    }
}

/// The cost table of one year (`year` = 0: every year), already validated by the caller.
pub async fn cost_table(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    year: i32,
) -> AppResult<CostTable> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let units = users::settings(db, caller.user.id).await?.unit_system;
    let mut all = records(db, vehicle.id).await?;
    let years = rules::years(all.dates());
    if year != 0 {
        all.retain_dates(|d| d.year() == year);
    }
    let (_, distance) = rules::odometer_span(all.readings());
    let days = rules::ownership_days(
        vehicle.purchase_date,
        vehicle.sold_date,
        year,
        &all.dates(),
        today(),
    );
    let sums: Vec<(ReportRecordType, Amount)> = ReportRecordType::ALL
        .iter()
        .map(|t| (*t, all.sum(*t)))
        .collect();
    let (lines, totals) = rules::cost_lines(&sums, distance, days);
    Ok(CostTable {
        vehicle_id: vehicle.id,
        year,
        distance,
        days,
        distance_unit: distance_unit(&vehicle, units),
        lines,
        totals,
        years,
    })
}

/// Tags of every record of each type, by record id.
async fn all_tags(
    db: &DatabaseConnection,
    all: &Records,
) -> AppResult<HashMap<(&'static str, i64), Vec<String>>> {
    let mut ids: HashMap<&'static str, Vec<i64>> = HashMap::new();
    for (t, r) in &all.maintenance {
        ids.entry(t.as_str()).or_default().push(r.id);
    }
    ids.insert(tags::FUEL, all.fuel.iter().map(|r| r.id).collect());
    ids.insert(tax::RECORD_TYPE, all.tax.iter().map(|r| r.id).collect());
    ids.insert(
        odometer::RECORD_TYPE,
        all.odometer.iter().map(|r| r.id).collect(),
    );
    let mut out = HashMap::new();
    for (record_type, list) in ids {
        for (id, t) in tags::for_records(db, record_type, &list).await? {
            out.insert((record_type, id), t);
        }
    }
    Ok(out)
}

/// The extra fields of the kept records, merged with their current templates (blank values
/// left out), and the column names in template order.
async fn all_extra_fields(
    db: &DatabaseConnection,
    kept: &[(ReportRecordType, i64)],
) -> AppResult<(
    HashMap<(ReportRecordType, i64), Vec<HistoryExtraField>>,
    Vec<String>,
)> {
    let templates = extra_fields::all_templates(db).await?;
    let mut names: Vec<String> = Vec::new();
    let mut out = HashMap::new();
    for record_type in ReportRecordType::ALL {
        let Some(template) = templates.get(record_type.as_str()) else {
            continue;
        };
        for def in template {
            if !names.contains(&def.name) {
                names.push(def.name.clone());
            }
        }
        let ids: Vec<i64> = kept
            .iter()
            .filter(|(t, _)| *t == record_type)
            .map(|(_, id)| *id)
            .collect();
        for (id, stored) in extra_fields::values_of(db, record_type.as_str(), &ids).await? {
            let stored: Vec<ExtraField> = stored
                .into_iter()
                .map(|(name, value)| ExtraField {
                    name,
                    value,
                    is_required: false,
                    field_type: ExtraFieldType::Text,
                })
                .collect();
            let fields = extra_rules::merge(&stored, template)
                .into_iter()
                .filter(|f| !f.value.trim().is_empty())
                .map(|f| HistoryExtraField {
                    name: f.name,
                    value: f.value,
                })
                .collect();
            out.insert((record_type, id), fields);
        }
    }
    Ok((out, names))
}

/// The vehicle history report over the records the filter keeps (already validated).
pub async fn history(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    filter: HistoryFilter,
) -> AppResult<VehicleHistory> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let units = users::settings(db, caller.user.id).await?.unit_system;
    let electric = FuelType::parse(&vehicle.fuel_type).is_some_and(FuelType::is_electric);
    let mode = EconomyMode::for_units(units, electric);
    let mut all = records(db, vehicle.id).await?;
    let mut record_tags = all_tags(db, &all).await?;
    let available_tags: Vec<String> = record_tags
        .values()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // Economy per fill-up comes from the whole history, before anything is filtered out.
    let entries: Vec<FuelEntry> = all.fuel.iter().map(fuel_entry).collect();
    let economy = fuel::compute(&entries, mode);
    let fuel_amounts: HashMap<i64, f64> = entries.iter().map(|e| (e.id, e.fuel)).collect();

    let no_tags: Vec<String> = Vec::new();
    let tags_of = |t: &'static str, id: i64| -> &[String] {
        record_tags.get(&(t, id)).unwrap_or(&no_tags).as_slice()
    };
    all.maintenance
        .retain(|(t, r)| rules::keeps(&filter, r.date, tags_of(t.as_str(), r.id)));
    all.fuel
        .retain(|r| rules::keeps(&filter, r.date, tags_of(tags::FUEL, r.id)));
    all.tax
        .retain(|r| rules::keeps(&filter, r.date, tags_of(tax::RECORD_TYPE, r.id)));
    all.odometer
        .retain(|r| rules::keeps(&filter, r.date, tags_of(odometer::RECORD_TYPE, r.id)));

    let (max_odometer, distance) = rules::odometer_span(all.readings());
    let odometer_distance = all
        .odometer
        .iter()
        .map(|r| r.odometer.saturating_sub(r.initial_odometer))
        .sum();
    let total_cost = [
        ReportRecordType::Service,
        ReportRecordType::Repair,
        ReportRecordType::Upgrade,
        ReportRecordType::Tax,
    ]
    .iter()
    .map(|t| all.sum(*t))
    .sum();
    let total_fuel_cost = all.sum(ReportRecordType::Fuel);
    let kept_fuel: HashSet<i64> = all.fuel.iter().map(|r| r.id).collect();
    let average = rules::average_economy(&economy.rows, &fuel_amounts, &kept_fuel, mode);
    let days_owned = rules::days_owned(vehicle.purchase_date, vehicle.sold_date, today());
    let depreciation = rules::depreciation(
        vehicle.purchase_price.map(Amount::from_scaled),
        vehicle.sold_price.map(Amount::from_scaled),
        days_owned,
        distance,
    );

    let mut kept: Vec<(ReportRecordType, i64)> =
        all.maintenance.iter().map(|(t, r)| (*t, r.id)).collect();
    kept.extend(all.fuel.iter().map(|r| (ReportRecordType::Fuel, r.id)));
    kept.extend(all.tax.iter().map(|r| (ReportRecordType::Tax, r.id)));
    let (mut extras, extra_field_names) = all_extra_fields(db, &kept).await?;
    let mut take = |t: ReportRecordType, id: i64| {
        (
            record_tags.remove(&(t.as_str(), id)).unwrap_or_default(),
            extras.remove(&(t, id)).unwrap_or_default(),
        )
    };

    let mut rows: Vec<HistoryRecord> = Vec::with_capacity(kept.len());
    for (t, r) in all.maintenance {
        let (tags, extra_fields) = take(t, r.id);
        rows.push(HistoryRecord {
            record_type: t,
            id: r.id,
            date: r.date,
            odometer: r.odometer,
            description: r.description,
            fuel_consumed: None,
            cost: Amount::from_scaled(r.cost),
            notes: r.notes,
            tags,
            extra_fields,
        });
    }
    for r in all.fuel {
        let (tags, extra_fields) = take(ReportRecordType::Fuel, r.id);
        rows.push(HistoryRecord {
            record_type: ReportRecordType::Fuel,
            id: r.id,
            date: r.date,
            odometer: r.odometer,
            description: String::new(),
            fuel_consumed: Some(Amount::from_scaled(r.fuel_consumed)),
            cost: Amount::from_scaled(r.cost),
            notes: r.notes,
            tags,
            extra_fields,
        });
    }
    for r in all.tax {
        let (tags, extra_fields) = take(ReportRecordType::Tax, r.id);
        rows.push(HistoryRecord {
            record_type: ReportRecordType::Tax,
            id: r.id,
            date: r.date,
            odometer: 0,
            description: r.description,
            fuel_consumed: None,
            cost: Amount::from_scaled(r.cost),
            notes: r.notes,
            tags,
            extra_fields,
        });
    }
    // The reference orders by date, then odometer; type and id make ties repeatable.
    rows.sort_by_key(|r| (r.date, r.odometer, r.record_type, r.id));

    Ok(VehicleHistory {
        vehicle: HistoryVehicle {
            id: vehicle.id,
            year: vehicle.year,
            make: vehicle.make.clone(),
            model: vehicle.model.clone(),
            license_plate: vehicle.license_plate.clone(),
            purchase_date: vehicle.purchase_date,
            sold_date: vehicle.sold_date,
            purchase_price: vehicle.purchase_price.map(Amount::from_scaled),
            sold_price: vehicle.sold_price.map(Amount::from_scaled),
            days_owned,
        },
        filter,
        records: rows,
        totals: HistoryTotals {
            total_cost,
            total_fuel_cost,
            odometer: max_odometer,
            distance,
            odometer_distance,
            cost_per_distance: rules::spread(total_cost, distance),
            fuel_cost_per_distance: rules::spread(total_fuel_cost, distance),
            average_fuel_economy: average.map(fuel::round2),
            economy_unit: units.economy_unit(electric).to_owned(),
            distance_unit: distance_unit(&vehicle, units),
            fuel_unit: units.fuel_unit(electric).to_owned(),
            depreciation: depreciation.map(|d| d.total),
            depreciation_per_day: depreciation.and_then(|d| d.per_day),
            depreciation_per_distance: depreciation.and_then(|d| d.per_distance),
        },
        extra_field_names,
        available_tags,
    })
}

fn fuel_entry(r: &fuel_record::Model) -> FuelEntry {
    FuelEntry {
        id: r.id,
        date: r.date,
        odometer: r.odometer,
        fuel: Amount::from_scaled(r.fuel_consumed).to_f64(),
        cost: Amount::from_scaled(r.cost).to_f64(),
        is_fill_to_full: r.is_fill_to_full,
        missed_fuel_up: r.missed_fuel_up,
    }
}
