//! Reading an imported file into the collection's create bodies (reference §5 "Import
//! parsing"): numbers in the server culture with currency symbols and grouping, dates ISO or in
//! the culture's short format, LubeLogger's defaults and fuel rules. Nothing here touches the
//! database; every problem becomes a [`CsvLineError`] naming the line and the field.

use ::csv::StringRecord;
use chrono::NaiveDate;
use motovault_shared::Amount;
use motovault_shared::dto::FuelRecordInput;
use motovault_shared::dto::csv::{CsvLineError, CsvRecord};
use motovault_shared::dto::equipment::{self as equipment_dto, EquipmentInput};
use motovault_shared::dto::extra_fields::ExtraFieldValueInput;
use motovault_shared::dto::maintenance::{self as maintenance_dto, MaintenanceRecordInput};
use motovault_shared::dto::odometer::{self as odometer_dto, OdometerRecordInput};
use motovault_shared::dto::plans::{self as plan_dto, PlanInput, PlanPriority, PlanProgress};
use motovault_shared::dto::reminders::ReminderIntervalUnit;
use motovault_shared::dto::supplies::{self as supply_dto, SupplyInput};
use motovault_shared::dto::tax::{self as tax_dto, TaxRecordInput};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use super::Kind;
use super::columns::{Columns, Field};
use crate::compat::culture::Culture;
use crate::compat::input::parse_date;
use motovault_shared::dto::maintenance::MaintenanceKind;

/// One row ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub line: u64,
    pub record: CsvRecord,
    pub extra_fields: Vec<ExtraFieldValueInput>,
    /// A plan's `DateCreated` and `DateModified` (the plan body has no dates).
    pub plan_dates: Option<(NaiveDate, NaiveDate)>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub skipped: Vec<u64>,
    pub errors: Vec<CsvLineError>,
}

/// `decimal.Parse(NumberStyles.Any)` in `culture`: surrounding spaces, a currency symbol, group
/// separators, a leading or trailing minus or accounting parentheses. `None` when it is not a
/// number (an empty text included).
pub fn number(culture: Culture, text: &str) -> Option<Amount> {
    let mut t = text.trim();
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        negative = true;
        t = inner;
    }
    let mut cleaned = t.replace(culture.currency_symbol, "");
    cleaned.retain(|c| !c.is_whitespace() && !matches!(c, '$' | '€' | '£' | '¥'));
    if let Some(rest) = cleaned.strip_suffix('-') {
        negative = !negative;
        cleaned = rest.to_owned();
    }
    if cleaned.starts_with('-') && negative {
        return None;
    }
    let value = culture.parse_decimal(&cleaned)?;
    Some(if negative {
        Amount::ZERO - value
    } else {
        value
    })
}

/// `DateTime.Parse` as far as files carry dates: ISO (`2024-03-05`, with a time or `/`), RFC
/// 3339, or the culture's short date with an optional time of day.
pub fn date(culture: Culture, text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if let Some(d) = parse_date(t, culture) {
        return Some(d);
    }
    let first = t.split([' ', 'T']).next().unwrap_or(t);
    NaiveDate::parse_from_str(first, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(first, "%Y/%m/%d"))
        .ok()
}

/// `a × b`, rounded half away from zero to the four decimals an amount keeps.
pub fn multiply(a: Amount, b: Amount) -> Option<Amount> {
    let product = i128::from(a.scaled()) * i128::from(b.scaled());
    let scale = 10_000_i128;
    let rounded = if product >= 0 {
        (product + scale / 2) / scale
    } else {
        (product - scale / 2) / scale
    };
    i64::try_from(rounded).ok().map(Amount::from_scaled)
}

/// The .NET `ToShortDateString` text of the default description.
fn default_description(kind: Kind, culture: Culture, date: NaiveDate) -> String {
    format!("{} Record on {}", kind.label(), culture.short_date(date))
}

fn is_one_of(text: &str, accepted: &[&str]) -> bool {
    let t = text.trim();
    accepted.iter().any(|a| a.eq_ignore_ascii_case(t))
}

/// The cells of one row, with the errors found while reading them.
struct Row<'a> {
    record: &'a StringRecord,
    columns: &'a Columns,
    culture: Culture,
    errors: Vec<FieldError>,
}

impl Row<'_> {
    fn cell(&self, field: Field) -> &str {
        self.columns
            .index(field)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn text(&self, field: Field) -> String {
        self.cell(field).to_owned()
    }

    fn fail(&mut self, json_name: &str, message: String) {
        self.errors.push(FieldError::new(json_name, message));
    }

    /// An amount; an empty cell is `None` (the caller picks the default).
    fn amount(&mut self, field: Field, json_name: &str) -> Option<Amount> {
        let cell = self.cell(field);
        if cell.is_empty() {
            return None;
        }
        let parsed = number(self.culture, cell);
        if parsed.is_none() {
            let message = format!("`{cell}` is not a number");
            self.fail(json_name, message);
        }
        parsed
    }

    /// An odometer, truncated to whole units like LubeLogger's `int` cast; empty is 0.
    fn odometer(&mut self, field: Field, json_name: &str) -> i64 {
        self.amount(field, json_name)
            .map_or(0, |a| a.scaled() / Amount::from_units(1).scaled())
    }

    fn tags(&self) -> Vec<String> {
        self.cell(Field::Tags)
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The row's date: the date column, else day + month + year, else `today`.
    fn date(&mut self, today: NaiveDate) -> NaiveDate {
        if self.columns.has(Field::Date) {
            return self.required_date(Field::Date, "date").unwrap_or(today);
        }
        if self.columns.has(Field::Day) && self.columns.has(Field::Month) {
            let parts =
                [Field::Year, Field::Month, Field::Day].map(|f| self.cell(f).parse::<u32>());
            let built = match parts {
                [Ok(y), Ok(m), Ok(d)] => i32::try_from(y)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
                _ => None,
            };
            if built.is_none() {
                let message = format!(
                    "day `{}`, month `{}`, year `{}` is not a date",
                    self.cell(Field::Day),
                    self.cell(Field::Month),
                    self.cell(Field::Year)
                );
                self.fail("date", message);
            }
            return built.unwrap_or(today);
        }
        today
    }

    fn required_date(&mut self, field: Field, json_name: &str) -> Option<NaiveDate> {
        let cell = self.cell(field).to_owned();
        if cell.is_empty() {
            self.fail(json_name, "is required".to_owned());
            return None;
        }
        let parsed = date(self.culture, &cell);
        if parsed.is_none() {
            let message = format!(
                "`{cell}` is not a date (use YYYY-MM-DD or {})",
                self.culture.date_pattern()
            );
            self.fail(json_name, message);
        }
        parsed
    }

    fn description(&self, kind: Kind, date: NaiveDate) -> String {
        let given = self.text(Field::Description);
        if given.is_empty() {
            default_description(kind, self.culture, date)
        } else {
            given
        }
    }
}

/// The delimiter of the file: `,` (what LubeLogger writes), or `;` when the header has
/// semicolons and no commas (spreadsheets saved in a comma-decimal locale).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if !header.contains(',') && header.contains(';') {
        b';'
    } else {
        b','
    }
}

/// Reads the whole file. Rows are in file order; a file with any error must not be imported.
pub fn parse(kind: Kind, text: &str, culture: Culture, today: NaiveDate) -> Parsed {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut parsed = Parsed::default();
    let columns = match reader.headers() {
        Ok(h) => Columns::from_headers(h.iter()),
        Err(e) => {
            parsed.errors.push(CsvLineError {
                line: 1,
                field: String::new(),
                message: format!("the header row cannot be read: {e}"),
            });
            return parsed;
        }
    };
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, ::csv::Position::line);
                parsed.errors.push(CsvLineError {
                    line,
                    field: String::new(),
                    message: format!("the line cannot be read: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, ::csv::Position::line);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = Row {
            record: &record,
            columns: &columns,
            culture,
            errors: Vec::new(),
        };
        let read = read_row(kind, &mut row, today);
        let errors = std::mem::take(&mut row.errors);
        match read {
            _ if !errors.is_empty() => {
                parsed
                    .errors
                    .extend(errors.into_iter().map(|e| CsvLineError {
                        line,
                        field: e.field,
                        message: e.message,
                    }));
            }
            None => parsed.skipped.push(line),
            Some((record_body, plan_dates)) => {
                let extra_fields = columns
                    .extra_fields
                    .iter()
                    .filter_map(|(name, i)| {
                        let value = record.get(*i).map_or("", str::trim);
                        (!value.is_empty()).then(|| ExtraFieldValueInput {
                            name: name.clone(),
                            value: value.to_owned(),
                        })
                    })
                    .collect();
                parsed.rows.push(ParsedRow {
                    line,
                    record: record_body,
                    extra_fields,
                    plan_dates,
                });
            }
        }
    }
    parsed
}

type Read = Option<(CsvRecord, Option<(NaiveDate, NaiveDate)>)>;

/// One row into its body, checked by the same validation as the JSON create. `None` skips it.
fn read_row(kind: Kind, row: &mut Row<'_>, today: NaiveDate) -> Read {
    let record = match kind {
        Kind::Maintenance(k) => maintenance(k, row, today),
        Kind::Fuel => return fuel(row, today).map(|r| (r, None)),
        Kind::Odometer => odometer(row, today),
        Kind::Tax => tax(row, today),
        Kind::Supply => supply(row, today),
        Kind::Plan => return plan(row, today),
        Kind::Equipment => equipment(row, today),
    };
    Some((record, None))
}

fn maintenance(kind: MaintenanceKind, row: &mut Row<'_>, today: NaiveDate) -> CsvRecord {
    let date = row.date(today);
    let input = MaintenanceRecordInput {
        date,
        odometer: row.odometer(Field::Odometer, "odometer"),
        description: row.description(Kind::Maintenance(kind), date),
        cost: row.amount(Field::Cost, "cost").unwrap_or_default(),
        notes: row.text(Field::Notes),
        tags: row.tags(),
        supplies: Vec::new(),
        reminder_ids: Vec::new(),
    };
    row.errors.extend(maintenance_dto::validate(&input));
    CsvRecord::Maintenance(input)
}

/// Reference §5 "Gas": Fuelly's price × fuel when the cost is empty, the fill-to-full and
/// missed rules, and rows without fuel skipped.
fn fuel(row: &mut Row<'_>, today: NaiveDate) -> Option<CsvRecord> {
    let date = row.date(today);
    let fuel = row.amount(Field::Fuel, "fuelConsumed");
    if row.errors.is_empty() && fuel.is_none_or(|f| f <= Amount::ZERO) {
        return None;
    }
    let fuel = fuel.unwrap_or_default();
    let price = row.amount(Field::Price, "price");
    let cost = match (row.amount(Field::Cost, "cost"), price) {
        (Some(cost), _) => cost,
        (None, Some(price)) => multiply(price, fuel).unwrap_or_else(|| {
            row.fail("cost", "price × fuel is too large".to_owned());
            Amount::ZERO
        }),
        (None, None) => Amount::ZERO,
    };
    let fill_cell = row.cell(Field::FillToFull).to_owned();
    let is_fill_to_full = if fill_cell.is_empty() {
        !is_one_of(row.cell(Field::Partial), &["1", "true"])
    } else {
        is_one_of(&fill_cell, &["1", "true", "full"])
    };
    let input = FuelRecordInput {
        date,
        odometer: row.odometer(Field::Odometer, "odometer"),
        fuel_consumed: fuel,
        cost,
        is_fill_to_full,
        missed_fuel_up: is_one_of(row.cell(Field::Missed), &["1", "true"]),
        notes: row.text(Field::Notes),
        tags: row.tags(),
        starting_soc: None,
        ending_soc: None,
    };
    row.errors.extend(validate::fuel_record(&input));
    Some(CsvRecord::Fuel(input))
}

fn odometer(row: &mut Row<'_>, today: NaiveDate) -> CsvRecord {
    let input = OdometerRecordInput {
        date: row.date(today),
        // "An empty initial odometer becomes 0."
        initial_odometer: Some(row.odometer(Field::InitialOdometer, "initialOdometer")),
        odometer: row.odometer(Field::Odometer, "odometer"),
        notes: row.text(Field::Notes),
        tags: row.tags(),
        equipment_ids: None,
    };
    row.errors.extend(odometer_dto::validate(&input));
    CsvRecord::Odometer(input)
}

fn tax(row: &mut Row<'_>, today: NaiveDate) -> CsvRecord {
    let date = row.date(today);
    let input = TaxRecordInput {
        date,
        description: row.description(Kind::Tax, date),
        cost: row.amount(Field::Cost, "cost").unwrap_or_default(),
        notes: row.text(Field::Notes),
        tags: row.tags(),
        is_recurring: false,
        recurring_interval: 12,
        custom_interval: 0,
        custom_interval_unit: ReminderIntervalUnit::default(),
    };
    row.errors.extend(tax_dto::validate(&input, today));
    CsvRecord::Tax(input)
}

fn supply(row: &mut Row<'_>, today: NaiveDate) -> CsvRecord {
    let date = row.date(today);
    let input = SupplyInput {
        date,
        part_number: row.text(Field::PartNumber),
        supplier: row.text(Field::PartSupplier),
        description: row.description(Kind::Supply, date),
        quantity: row
            .amount(Field::PartQuantity, "quantity")
            .unwrap_or_default(),
        cost: row.amount(Field::Cost, "cost").unwrap_or_default(),
        notes: row.text(Field::Notes),
        tags: row.tags(),
    };
    row.errors.extend(supply_dto::validate(&input));
    CsvRecord::Supply(input)
}

/// `Enum.TryParse` of LubeLogger's names or numbers, ours too; 0 (the first value) otherwise.
fn plan_kind(text: &str) -> MaintenanceKind {
    match text.trim().to_ascii_lowercase().as_str() {
        "repairrecord" | "repair" | "1" => MaintenanceKind::Repair,
        "upgraderecord" | "upgrade" | "4" => MaintenanceKind::Upgrade,
        _ => MaintenanceKind::Service,
    }
}

fn plan_priority(text: &str) -> PlanPriority {
    match text.trim().to_ascii_lowercase().as_str() {
        "normal" | "1" => PlanPriority::Normal,
        "low" | "2" => PlanPriority::Low,
        _ => PlanPriority::Critical,
    }
}

fn plan_progress(text: &str) -> PlanProgress {
    match text.trim().to_ascii_lowercase().as_str() {
        "inprogress" | "in_progress" | "1" => PlanProgress::InProgress,
        "testing" | "2" => PlanProgress::Testing,
        "done" | "3" => PlanProgress::Done,
        _ => PlanProgress::Backlog,
    }
}

/// Plans need both dates (reference §5 "Plan"). A done plan is imported as done (its record,
/// if any, is imported on its own tab), so the create rule against `done` does not apply.
fn plan(row: &mut Row<'_>, today: NaiveDate) -> Read {
    let created = row.required_date(Field::DateCreated, "dateCreated");
    let modified = row.required_date(Field::DateModified, "dateModified");
    let input = PlanInput {
        description: row.description(Kind::Plan, created.unwrap_or(today)),
        notes: row.text(Field::Notes),
        record_kind: plan_kind(row.cell(Field::Type)),
        priority: plan_priority(row.cell(Field::Priority)),
        progress: plan_progress(row.cell(Field::Progress)),
        cost: row.amount(Field::Cost, "cost").unwrap_or_default(),
        reminder_ids: Vec::new(),
        supplies: Vec::new(),
    };
    row.errors.extend(
        plan_dto::validate(&input)
            .into_iter()
            .filter(|e| e.field != "progress"),
    );
    let dates = created.zip(modified);
    Some((CsvRecord::Plan(input), dates))
}

fn equipment(row: &mut Row<'_>, today: NaiveDate) -> CsvRecord {
    let equipped = row.cell(Field::IsEquipped).to_owned();
    let is_equipped = match equipped.to_ascii_lowercase().as_str() {
        "true" => true,
        "false" | "" => false,
        _ => {
            row.fail("isEquipped", format!("`{equipped}` is not True or False"));
            false
        }
    };
    let input = EquipmentInput {
        description: row.description(Kind::Equipment, today),
        is_equipped,
        notes: row.text(Field::Notes),
        tags: row.tags(),
    };
    row.errors.extend(equipment_dto::validate(&input));
    CsvRecord::Equipment(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Culture {
        Culture::parse("en-US").unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn amount(s: &str) -> Amount {
        Amount::parse(s).unwrap()
    }

    const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2026, 2, 1) {
        Some(d) => d,
        None => panic!("date"),
    };

    #[test]
    fn numbers_take_currency_symbols_grouping_and_signs() {
        let de = Culture::parse("de-DE").unwrap();
        let fr = Culture::parse("fr-FR").unwrap();
        let sv = Culture::parse("sv-SE").unwrap();
        let table: &[(Culture, &str, Option<&str>)] = &[
            (us(), "$1,234.56", Some("1234.56")),
            (us(), " 1234.5 ", Some("1234.5")),
            (us(), "($12.50)", Some("-12.5")),
            (us(), "12.50-", Some("-12.5")),
            (us(), "-3", Some("-3")),
            (us(), "€7", Some("7")),
            (us(), "abc", None),
            (us(), "", None),
            (us(), "$", None),
            (de, "1.234,56 €", Some("1234.56")),
            (de, "12,5", Some("12.5")),
            (fr, "1\u{202f}234,56\u{a0}€", Some("1234.56")),
            (sv, "1 234,50 kr", Some("1234.5")),
        ];
        for (culture, text, want) in table {
            assert_eq!(
                number(*culture, text),
                want.map(amount),
                "{} {text:?}",
                culture.name
            );
        }
    }

    #[test]
    fn dates_are_iso_or_the_culture_short_date() {
        let gb = Culture::parse("en-GB").unwrap();
        assert_eq!(date(us(), "2024-03-05"), Some(d(2024, 3, 5)));
        assert_eq!(date(us(), "2024-03-05 14:30"), Some(d(2024, 3, 5)));
        assert_eq!(date(us(), "2024/03/05"), Some(d(2024, 3, 5)));
        assert_eq!(date(us(), "3/5/2024"), Some(d(2024, 3, 5)));
        assert_eq!(date(us(), "3/5/2024 12:00:00 AM"), Some(d(2024, 3, 5)));
        assert_eq!(date(gb, "05/03/2024"), Some(d(2024, 3, 5)));
        assert_eq!(date(us(), "13/5/2024"), None);
        assert_eq!(date(us(), "yesterday"), None);
    }

    #[test]
    fn price_times_fuel_rounds_to_four_decimals() {
        // 12.345 gal at $3.459 = 42.701355 → 42.7014.
        assert_eq!(
            multiply(amount("3.459"), amount("12.345")),
            Some(amount("42.7014"))
        );
        assert_eq!(multiply(amount("1.5"), amount("40")), Some(amount("60")));
    }

    fn fuel_rows(text: &str) -> Parsed {
        parse(Kind::Fuel, text, us(), TODAY)
    }

    fn fuel_of(row: &ParsedRow) -> &FuelRecordInput {
        match &row.record {
            CsvRecord::Fuel(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fuel_rules_of_the_reference() {
        let parsed = fuel_rows(
            "Date,Odometer,Gallons,Price,Cost,IsFillToFull,partial_fuelup,missed_fuelup\n\
             2024-01-01,1000.9,10,3.50,,,,\n\
             2024-01-08,1300,12,3.50,$45.00,full,,\n\
             2024-01-15,1600,8,,,,1,true\n\
             2024-01-22,1900,0,3,,,,\n\
             2024-01-29,2200,9,,\"$1,234.56\",no,0,0\n",
        );
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.skipped, vec![5]);
        let rows: Vec<_> = parsed.rows.iter().map(fuel_of).collect();
        assert_eq!(
            parsed.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 4, 6]
        );
        // Price × fuel; the odometer truncated; full by default.
        assert_eq!(rows[0].cost, amount("35"));
        assert_eq!(rows[0].odometer, 1000);
        assert!(rows[0].is_fill_to_full && !rows[0].missed_fuel_up);
        // A given cost wins over price × fuel.
        assert_eq!(rows[1].cost, amount("45"));
        assert!(rows[1].is_fill_to_full);
        // partial = 1 without an IsFillToFull value: not full; missed "true".
        assert!(!rows[2].is_fill_to_full && rows[2].missed_fuel_up);
        assert_eq!(rows[2].cost, Amount::ZERO);
        // An IsFillToFull value outside {1, true, full} means not full.
        assert!(!rows[3].is_fill_to_full);
        assert_eq!(rows[3].cost, amount("1234.56"));
    }

    #[test]
    fn a_bad_value_names_its_line_and_field() {
        let parsed = fuel_rows(
            "Date,Odometer,FuelConsumed,Cost\n\
             2024-01-01,1000,10,30\n\
             2024-02-30,1100,10,30\n\
             2024-03-01,abc,10,thirty\n",
        );
        assert_eq!(parsed.rows.len(), 1);
        let found: Vec<(u64, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(found, [(3, "date"), (4, "cost"), (4, "odometer")]);
        assert!(parsed.errors[2].message.contains("`abc` is not a number"));
    }

    #[test]
    fn day_month_year_columns_or_today_and_the_default_description() {
        let parsed = parse(
            Kind::Maintenance(MaintenanceKind::Service),
            "day,month,year,cost\n5,3,2024,10\n",
            us(),
            TODAY,
        );
        let CsvRecord::Maintenance(m) = &parsed.rows[0].record else {
            panic!()
        };
        assert_eq!(m.date, d(2024, 3, 5));
        assert_eq!(m.description, "Service Record on 3/5/2024");
        let parsed = parse(Kind::Tax, "cost;tags\n12,5;road yearly\n", us(), TODAY);
        let CsvRecord::Tax(t) = &parsed.rows[0].record else {
            panic!()
        };
        // Semicolon file; no date column → today; tags split on single spaces.
        assert_eq!(t.date, TODAY);
        assert_eq!(t.description, "Tax Record on 2/1/2026");
        assert_eq!(t.cost, amount("125"));
        assert_eq!(t.tags, ["road", "yearly"]);
    }

    #[test]
    fn plans_need_both_dates_and_read_enum_names() {
        let parsed = parse(
            Kind::Plan,
            "DateCreated,DateModified,Description,Type,Priority,Progress,Cost\n\
             1/3/2026 12:00:00 AM,1/4/2026 8:15:00 PM,Brakes,RepairRecord,Low,Done,$80.00\n\
             ,1/4/2026,Wipers,UpgradeRecord,Normal,Testing,5\n\
             1/3/2026,1/3/2026,,Whatever,,,\n",
            us(),
            TODAY,
        );
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(
            (parsed.errors[0].line, parsed.errors[0].field.as_str()),
            (3, "dateCreated")
        );
        let CsvRecord::Plan(p) = &parsed.rows[0].record else {
            panic!()
        };
        assert_eq!(
            (p.record_kind, p.priority, p.progress, p.cost),
            (
                MaintenanceKind::Repair,
                PlanPriority::Low,
                PlanProgress::Done,
                amount("80")
            )
        );
        assert_eq!(
            parsed.rows[0].plan_dates,
            Some((d(2026, 1, 3), d(2026, 1, 4)))
        );
        let CsvRecord::Plan(p) = &parsed.rows[1].record else {
            panic!()
        };
        // Unknown or empty names default to the first value of each enum.
        assert_eq!(
            (p.record_kind, p.priority, p.progress),
            (
                MaintenanceKind::Service,
                PlanPriority::Critical,
                PlanProgress::Backlog
            )
        );
        assert_eq!(p.description, "Plan Record on 1/3/2026");
    }

    #[test]
    fn equipment_needs_true_or_false_and_odometer_initial_defaults_to_zero() {
        let parsed = parse(
            Kind::Equipment,
            "Description,IsEquipped\nRoof box,True\nTrailer,yes\n",
            us(),
            TODAY,
        );
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(
            (parsed.errors[0].line, parsed.errors[0].field.as_str()),
            (3, "isEquipped")
        );
        let parsed = parse(
            Kind::Odometer,
            "Date,InitialOdometer,Odometer,extrafield_Driver\n2024-01-01,,\"1,500\",Ann\n",
            us(),
            TODAY,
        );
        let CsvRecord::Odometer(o) = &parsed.rows[0].record else {
            panic!()
        };
        assert_eq!((o.initial_odometer, o.odometer), (Some(0), 1500));
        assert_eq!(parsed.rows[0].extra_fields[0].name, "Driver");
        assert_eq!(parsed.rows[0].extra_fields[0].value, "Ann");
    }
}
