//! Writing records in LubeLogger's export columns and formats (reference §5 "Export columns"),
//! with `extrafield_{Name}` columns after them. Values are written in the server culture so a
//! file exported here imports back unchanged on the same server.

use chrono::{DateTime, NaiveDate, Utc};
use motovault_shared::Amount;
use motovault_shared::dto::FuelRecord;
use motovault_shared::dto::equipment::Equipment;
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecord};
use motovault_shared::dto::odometer::OdometerRecord;
use motovault_shared::dto::plans::{Plan, PlanPriority, PlanProgress};
use motovault_shared::dto::supplies::Supply;
use motovault_shared::dto::tax::TaxRecord;

use super::columns::extra_field_header;
use crate::compat::culture::Culture;
use crate::error::{AppError, AppResult};

/// One exported record: its cells in the kind's column order, and its extra-field values.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub cells: Vec<String>,
    pub extra_fields: Vec<(String, String)>,
}

/// The file: the kind's columns, then one `extrafield_{Name}` column per name any exported
/// record has (first seen first), empty where a record has no value.
pub fn to_csv(columns: &[&str], rows: &[ExportRow]) -> AppResult<Vec<u8>> {
    let mut names: Vec<&str> = Vec::new();
    for row in rows {
        for (name, _) in &row.extra_fields {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
    }
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = columns
        .iter()
        .map(|c| (*c).to_owned())
        .chain(names.iter().map(|n| extra_field_header(n)))
        .collect();
    writer.write_record(&header).map_err(AppError::internal)?;
    for row in rows {
        let extra = names.iter().map(|name| {
            row.extra_fields
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str())
        });
        let record: Vec<&str> = row.cells.iter().map(String::as_str).chain(extra).collect();
        writer.write_record(&record).map_err(AppError::internal)?;
    }
    writer.into_inner().map_err(AppError::internal)
}

/// .NET's `"C"` format: two decimals (half away from zero), grouped, with the culture's symbol
/// where the culture puts it (`$1,234.56`, `1.234,56 €`).
pub fn currency(culture: Culture, value: Amount) -> String {
    let cents_raw = value.scaled().unsigned_abs();
    let cents = (cents_raw + 50) / 100;
    let (group, prefix, suffix) = match culture.name {
        "en-US" | "en-GB" => (",", culture.currency_symbol, ""),
        "de-DE" => (".", "", " €"),
        "fr-FR" => ("\u{202f}", "", "\u{a0}€"),
        "sv-SE" => ("\u{a0}", "", "\u{a0}kr"),
        _ => (",", culture.currency_symbol, ""),
    };
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push_str(group);
        }
        grouped.push(digit);
    }
    let sign = if value.is_negative() && cents > 0 {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}{prefix}{grouped}{}{:02}{suffix}",
        culture.decimal_separator,
        cents % 100
    )
}

/// `decimal.ToString()` in the culture (shortest exact digits).
fn plain(culture: Culture, value: Amount) -> String {
    culture.decimal(value)
}

fn short(culture: Culture, date: NaiveDate) -> String {
    culture.short_date(date)
}

/// .NET's `"G"` format: short date and long time (`1/3/2026 2:05:09 PM` in en-US).
pub fn general(culture: Culture, at: DateTime<Utc>) -> String {
    let time = if culture.name == "en-US" {
        at.format("%-I:%M:%S %p").to_string()
    } else {
        at.format("%H:%M:%S").to_string()
    };
    format!("{} {time}", culture.short_date(at.date_naive()))
}

fn boolean(value: bool) -> String {
    if value { "True" } else { "False" }.to_owned()
}

fn tags(tags: &[String]) -> String {
    tags.join(" ")
}

pub const MAINTENANCE_COLUMNS: &[&str] =
    &["Date", "Description", "Cost", "Notes", "Odometer", "Tags"];

pub fn maintenance(c: Culture, r: &MaintenanceRecord) -> Vec<String> {
    vec![
        short(c, r.date),
        r.description.clone(),
        currency(c, r.cost),
        r.notes.clone(),
        r.odometer.to_string(),
        tags(&r.tags),
    ]
}

pub const FUEL_COLUMNS: &[&str] = &[
    "Date",
    "Odometer",
    "FuelConsumed",
    "Cost",
    "FuelEconomy",
    "IsFillToFull",
    "MissedFuelUp",
    "Notes",
    "Tags",
];

/// Economy as the list computes it, in the caller's units; empty where there is none.
pub fn fuel(c: Culture, r: &FuelRecord) -> Vec<String> {
    let economy = r
        .fuel_economy
        .and_then(|e| Amount::from_f64(e).ok())
        .map_or_else(String::new, |e| plain(c, e));
    vec![
        short(c, r.date),
        r.odometer.to_string(),
        plain(c, r.fuel_consumed),
        plain(c, r.cost),
        economy,
        boolean(r.is_fill_to_full),
        boolean(r.missed_fuel_up),
        r.notes.clone(),
        tags(&r.tags),
    ]
}

pub const ODOMETER_COLUMNS: &[&str] = &["Date", "InitialOdometer", "Odometer", "Notes", "Tags"];

pub fn odometer(c: Culture, r: &OdometerRecord) -> Vec<String> {
    vec![
        short(c, r.date),
        r.initial_odometer.to_string(),
        r.odometer.to_string(),
        r.notes.clone(),
        tags(&r.tags),
    ]
}

pub const TAX_COLUMNS: &[&str] = &["Date", "Description", "Cost", "Notes", "Tags"];

pub fn tax(c: Culture, r: &TaxRecord) -> Vec<String> {
    vec![
        short(c, r.date),
        r.description.clone(),
        currency(c, r.cost),
        r.notes.clone(),
        tags(&r.tags),
    ]
}

pub const SUPPLY_COLUMNS: &[&str] = &[
    "Date",
    "PartNumber",
    "PartSupplier",
    "PartQuantity",
    "Description",
    "Notes",
    "Cost",
    "Tags",
];

pub fn supply(c: Culture, r: &Supply) -> Vec<String> {
    vec![
        short(c, r.date),
        r.part_number.clone(),
        r.supplier.clone(),
        plain(c, r.quantity),
        r.description.clone(),
        r.notes.clone(),
        currency(c, r.cost),
        tags(&r.tags),
    ]
}

pub const PLAN_COLUMNS: &[&str] = &[
    "DateCreated",
    "DateModified",
    "Description",
    "Notes",
    "Type",
    "Priority",
    "Progress",
    "Cost",
];

/// LubeLogger's enum names: `ImportMode`, `PlanPriority`, `PlanProgress`.
pub fn plan(c: Culture, r: &Plan) -> Vec<String> {
    let kind = match r.record_kind {
        MaintenanceKind::Service => "ServiceRecord",
        MaintenanceKind::Repair => "RepairRecord",
        MaintenanceKind::Upgrade => "UpgradeRecord",
    };
    let priority = match r.priority {
        PlanPriority::Critical => "Critical",
        PlanPriority::Normal => "Normal",
        PlanPriority::Low => "Low",
    };
    let progress = match r.progress {
        PlanProgress::Backlog => "Backlog",
        PlanProgress::InProgress => "InProgress",
        PlanProgress::Testing => "Testing",
        PlanProgress::Done => "Done",
    };
    vec![
        general(c, r.created_at),
        general(c, r.updated_at),
        r.description.clone(),
        r.notes.clone(),
        kind.to_owned(),
        priority.to_owned(),
        progress.to_owned(),
        plain(c, r.cost),
    ]
}

pub const EQUIPMENT_COLUMNS: &[&str] = &["Description", "Notes", "Tags", "IsEquipped"];

pub fn equipment(_: Culture, r: &Equipment) -> Vec<String> {
    vec![
        r.description.clone(),
        r.notes.clone(),
        tags(&r.tags),
        boolean(r.is_equipped),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::parse::number;

    fn culture(name: &str) -> Culture {
        Culture::parse(name).unwrap()
    }

    #[test]
    fn currency_is_dotnet_c_and_reads_back() {
        let table = [
            ("en-US", "1234.5", "$1,234.50"),
            ("en-US", "0.005", "$0.01"),
            ("en-US", "1234567.891", "$1,234,567.89"),
            ("en-US", "-12", "-$12.00"),
            ("en-GB", "99.999", "£100.00"),
            ("de-DE", "1234.56", "1.234,56 €"),
            ("fr-FR", "1234.56", "1\u{202f}234,56\u{a0}€"),
            ("sv-SE", "123", "123,00\u{a0}kr"),
        ];
        for (name, value, written) in table {
            let c = culture(name);
            let value = Amount::parse(value).unwrap();
            assert_eq!(currency(c, value), written, "{name}");
            let cents =
                Amount::from_scaled((value.scaled() + value.scaled().signum() * 50) / 100 * 100);
            assert_eq!(number(c, written), Some(cents), "{name} reads {written}");
        }
    }

    #[test]
    fn general_date_time_is_short_date_and_long_time() {
        let at = DateTime::parse_from_rfc3339("2026-01-03T14:05:09Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(general(culture("en-US"), at), "1/3/2026 2:05:09 PM");
        assert_eq!(general(culture("de-DE"), at), "03.01.2026 14:05:09");
    }

    #[test]
    fn extra_field_columns_are_the_union_in_first_seen_order() {
        let rows = [
            ExportRow {
                cells: vec!["Roof box".into(), "a, b".into()],
                extra_fields: vec![("Brand".into(), "Thule".into())],
            },
            ExportRow {
                cells: vec!["Trailer".into(), String::new()],
                extra_fields: vec![
                    ("Weight".into(), "750".into()),
                    ("Brand".into(), "Böckmann".into()),
                ],
            },
        ];
        let bytes = to_csv(&["Description", "Notes"], &rows).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "Description,Notes,extrafield_Brand,extrafield_Weight\n\
             Roof box,\"a, b\",Thule,\n\
             Trailer,,Böckmann,750\n"
        );
    }
}
