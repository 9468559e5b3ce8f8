//! Vehicle dashboard: expense make-up, cost and distance by month, fuel economy by month, reminders as of a date (issue 8).
//!
//! A fixed handful of queries whatever the history: costs and odometer distances grouped by day
//! (folded into months here), the fill-ups (economy needs the whole history, §3.1), the
//! reminders, the current odometer and the caller's units. Reminder urgency uses the same
//! rules as the reminder list (§3.2), with "now" moved to the day asked for.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use motovault_shared::Amount;
use motovault_shared::dto::FuelType;
use motovault_shared::dto::dashboard::{
    CostsByType, DashboardReminder, MonthCosts, MonthDistance, MonthEconomy, VehicleDashboard,
    months,
};
use motovault_shared::dto::reminders::ReminderMetric;
use motovault_shared::fuel::{self, EconomyMode, FuelEntry};
use motovault_shared::problem::FieldError;
use motovault_shared::validate::MAX_YEAR;
use sea_orm::DatabaseConnection;

use super::reminders::UrgencyContext;
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::entity::{fuel_record, reminder};
use crate::store::{dashboard as store, fuel as fuel_store, reminders, users, vehicles};

/// Earliest year or day accepted (as record dates).
const MIN_YEAR: i32 = 1900;

/// A month as `(year, 1..=12)`.
type Month = (i32, u32);

/// The period and the day of a dashboard, read from the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// `None`: all years.
    pub year: Option<i32>,
    pub as_of: NaiveDate,
}

/// Reads `year` and `asOf` (absent or empty: all years, `today`); every mistake is a 422 naming
/// its parameter.
pub fn period(year: Option<&str>, as_of: Option<&str>, today: NaiveDate) -> AppResult<Period> {
    let mut errors = Vec::new();
    let year = match year.map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(text) => match text.parse::<i32>() {
            Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
            _ => {
                errors.push(FieldError::new(
                    "year",
                    format!("must be a year between {MIN_YEAR} and {MAX_YEAR}"),
                ));
                None
            }
        },
    };
    let as_of = match as_of.map(str::trim).filter(|d| !d.is_empty()) {
        None => today,
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) => d,
            _ => {
                errors.push(FieldError::new(
                    "asOf",
                    format!("must be a date (YYYY-MM-DD) between {MIN_YEAR} and {MAX_YEAR}"),
                ));
                today
            }
        },
    };
    AppError::check(errors)?;
    Ok(Period { year, as_of })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    period: Period,
    ctx: UrgencyContext,
) -> AppResult<VehicleDashboard> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let electric = FuelType::parse(&vehicle.fuel_type).is_some_and(FuelType::is_electric);
    let units = users::settings(db, caller.user.id).await?.unit_system;
    let maintenance = store::maintenance_by_day(db, vehicle.id).await?;
    let tax = store::tax_by_day(db, vehicle.id).await?;
    let distances = store::distance_by_day(db, vehicle.id).await?;
    let fill_ups = fuel_store::list(db, vehicle.id).await?;
    let reminder_rows = reminders::list(db, vehicle.id).await?;
    let current_odometer = vehicles::current_odometer(db, vehicle.id).await?;

    let mut costs = Ledger::default();
    for (date, kind, total) in &maintenance {
        costs.add(*date, kind, total.unwrap_or(0));
    }
    for (date, total) in &tax {
        costs.add(*date, "tax", total.unwrap_or(0));
    }
    for r in &fill_ups {
        costs.add(r.date, "fuel", r.cost);
    }
    let mut distance_by: BTreeMap<Month, i64> = BTreeMap::new();
    for (date, distance) in &distances {
        costs.seen(*date);
        *distance_by.entry(month_of(*date)).or_default() += distance.unwrap_or(0);
    }
    let economy = economy_by_month(&fill_ups, EconomyMode::for_units(units, electric));

    let in_period = |m: &Month| period.year.is_none_or(|y| m.0 == y);
    let active: Vec<Month> = costs.active.iter().copied().filter(in_period).collect();
    let covered = months(period.year, active.first().copied(), active.last().copied());
    let cost_by_month: Vec<MonthCosts> = covered
        .iter()
        .map(|&(year, month)| MonthCosts {
            year,
            month,
            costs: costs
                .by_month
                .get(&(year, month))
                .copied()
                .unwrap_or_default()
                .with_total(),
        })
        .collect();
    let expenses = total(cost_by_month.iter().map(|m| m.costs));
    let distance_by_month = covered
        .iter()
        .map(|&(year, month)| MonthDistance {
            year,
            month,
            distance: distance_by.get(&(year, month)).copied().unwrap_or(0),
        })
        .collect();
    let mut period_figures = Vec::new();
    let economy_by_month = covered
        .iter()
        .map(|&(year, month)| {
            let figures = economy.get(&(year, month)).map_or(&[][..], Vec::as_slice);
            period_figures.extend_from_slice(figures);
            MonthEconomy {
                year,
                month,
                economy: mean(figures).map(fuel::round2),
                fill_ups: figures.len() as i64,
            }
        })
        .collect();

    let now = period.as_of.and_time(ctx.now.time());
    Ok(VehicleDashboard {
        vehicle_id: vehicle.id,
        year: period.year,
        as_of: period.as_of,
        years: costs.years.iter().rev().copied().collect(),
        expenses,
        cost_by_month,
        distance_by_month,
        economy_by_month,
        average_economy: mean(&period_figures).map(fuel::round2),
        unit_system: units,
        economy_unit: units.economy_unit(electric).to_owned(),
        distance_unit: units.distance_unit().to_owned(),
        current_odometer,
        reminders: judge(&reminder_rows, current_odometer, ctx, now),
    })
}

fn month_of(date: NaiveDate) -> Month {
    (date.year(), date.month())
}

/// Costs per month and type, and which months and years have any record at all.
#[derive(Default)]
struct Ledger {
    by_month: BTreeMap<Month, CostsByType>,
    active: BTreeSet<Month>,
    years: BTreeSet<i32>,
}

impl Ledger {
    fn seen(&mut self, date: NaiveDate) {
        self.active.insert(month_of(date));
        self.years.insert(date.year());
    }

    fn add(&mut self, date: NaiveDate, kind: &str, scaled: i64) {
        self.seen(date);
        let costs = self.by_month.entry(month_of(date)).or_default();
        let amount = Amount::from_scaled(scaled);
        let slot = match kind {
            "service" => &mut costs.service,
            "repair" => &mut costs.repair,
            "upgrade" => &mut costs.upgrade,
            "fuel" => &mut costs.fuel,
            "tax" => &mut costs.tax,
            _ => return,
        };
        *slot = *slot + amount;
    }
}

fn total(all: impl Iterator<Item = CostsByType>) -> CostsByType {
    all.fold(CostsByType::default(), |a, b| CostsByType {
        service: a.service + b.service,
        repair: a.repair + b.repair,
        upgrade: a.upgrade + b.upgrade,
        fuel: a.fuel + b.fuel,
        tax: a.tax + b.tax,
        total: Amount::ZERO,
    })
    .with_total()
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The economy of each fill-up that has one (§3.1 over the whole history, since a fill-up's
/// figure depends on the ones before it), grouped by the month of the fill-up.
fn economy_by_month(rows: &[fuel_record::Model], mode: EconomyMode) -> BTreeMap<Month, Vec<f64>> {
    let entries: Vec<FuelEntry> = rows
        .iter()
        .map(|r| FuelEntry {
            id: r.id,
            date: r.date,
            odometer: r.odometer,
            fuel: Amount::from_scaled(r.fuel_consumed).to_f64(),
            cost: Amount::from_scaled(r.cost).to_f64(),
            is_fill_to_full: r.is_fill_to_full,
            missed_fuel_up: r.missed_fuel_up,
        })
        .collect();
    let dates: BTreeMap<i64, NaiveDate> = rows.iter().map(|r| (r.id, r.date)).collect();
    let mut out: BTreeMap<Month, Vec<f64>> = BTreeMap::new();
    for row in fuel::compute(&entries, mode).rows {
        if let (Some(value), Some(date)) = (row.economy, dates.get(&row.id)) {
            out.entry(month_of(*date)).or_default().push(value);
        }
    }
    out
}

/// Each reminder judged at `now` against the current odometer, in the reminder list's order:
/// most urgent, then soonest due date, then lowest due odometer.
fn judge(
    rows: &[reminder::Model],
    current_odometer: i64,
    ctx: UrgencyContext,
    now: NaiveDateTime,
) -> Vec<DashboardReminder> {
    let mut out: Vec<DashboardReminder> = rows
        .iter()
        .map(|r| {
            let metric = ReminderMetric::parse(&r.metric).unwrap_or_default();
            let judged =
                super::reminders::judge(r, current_odometer, UrgencyContext { now, ..ctx });
            DashboardReminder {
                id: r.id,
                description: r.description.clone(),
                metric,
                urgency: judged.urgency,
                due_date: r.due_date,
                due_odometer: r.due_odometer,
                due_days: judged.due_days,
                due_distance: judged.due_distance,
            }
        })
        .collect();
    out.sort_by_key(|r| {
        (
            Reverse(r.urgency),
            r.due_date.is_none(),
            r.due_date,
            r.due_odometer.is_none(),
            r.due_odometer,
            r.id,
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_period_is_read_from_the_query() {
        let today = day("2024-06-15");
        let ok = [
            (None, None, None, "2024-06-15"),
            (Some(""), Some(" "), None, "2024-06-15"),
            (Some("2023"), None, Some(2023), "2024-06-15"),
            (Some(" 1900 "), Some("2100-12-31"), Some(1900), "2100-12-31"),
            (None, Some("2024-02-29"), None, "2024-02-29"),
        ];
        for (year, as_of, want_year, want_day) in ok {
            let p = period(year, as_of, today).unwrap();
            assert_eq!(p.year, want_year, "{year:?}");
            assert_eq!(p.as_of, day(want_day), "{as_of:?}");
        }
        let bad = [
            (Some("abc"), None, vec!["year"]),
            (Some("1899"), None, vec!["year"]),
            (Some("2101"), None, vec!["year"]),
            (Some("2024.5"), None, vec!["year"]),
            (None, Some("2023-02-29"), vec!["asOf"]),
            (None, Some("15/06/2024"), vec!["asOf"]),
            (None, Some("1850-01-01"), vec!["asOf"]),
            (Some("x"), Some("y"), vec!["year", "asOf"]),
        ];
        for (year, as_of, fields) in bad {
            match period(year, as_of, today) {
                Err(AppError::Validation(errors)) => {
                    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                    assert_eq!(named, fields, "{year:?} {as_of:?}");
                }
                other => panic!("{year:?} {as_of:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn costs_fold_into_months_and_types() {
        let mut ledger = Ledger::default();
        ledger.add(day("2024-01-05"), "service", 600_000);
        ledger.add(day("2024-01-20"), "service", 400_000);
        ledger.add(day("2024-01-31"), "fuel", 350_000);
        ledger.add(day("2024-02-01"), "repair", 505_000);
        ledger.add(day("2023-12-31"), "tax", 1_000);
        ledger.add(day("2023-12-31"), "tax", 2_000);
        ledger.add(day("2022-03-01"), "mystery", 9);
        ledger.seen(day("2021-07-04"));
        let jan = ledger.by_month[&(2024, 1)].with_total();
        assert_eq!(jan.service, Amount::from_units(100));
        assert_eq!(jan.fuel, Amount::from_units(35));
        assert_eq!(jan.total, Amount::from_units(135));
        assert_eq!(ledger.by_month[&(2023, 12)].tax, Amount::from_scaled(3_000));
        assert_eq!(
            ledger.years.iter().copied().collect::<Vec<_>>(),
            vec![2021, 2022, 2023, 2024]
        );
        assert_eq!(ledger.active.len(), 5);
        let all = total(ledger.by_month.values().copied());
        assert_eq!(all.total, Amount::parse("185.8").unwrap());
        assert_eq!(all.repair, Amount::parse("50.5").unwrap());
    }

    #[test]
    fn mean_of_nothing_is_none() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[30.0, 20.0]), Some(25.0));
    }
}
