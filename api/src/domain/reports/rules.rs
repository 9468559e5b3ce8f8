//! The pure rules of the reports (reference §3.4): ownership days, spreading a cost over the
//! distance or the days, the history's days owned and depreciation, the tag and date filter, and
//! the average fuel economy of a filtered set of fill-ups (§3.1 step 8).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use motovault_shared::Amount;
use motovault_shared::dto::reports::{
    CostLine, CostTotals, HistoryFilter, ReportRecordType, TagMode,
};
use motovault_shared::dto::summary;
use motovault_shared::fuel::{EconomyMode, FuelEconomyRow, LITRES_PER_UK_GALLON};

/// `sum ÷ by`, exact to the stored 4 decimals (half away from zero); 0 when `by` ≤ 0.
pub fn spread(sum: Amount, by: i64) -> Amount {
    summary::cost_per_distance(sum, by)
}

/// Highest reading, and highest minus lowest non-zero reading (0 without readings).
pub fn odometer_span(readings: impl IntoIterator<Item = i64>) -> (i64, i64) {
    let mut max = 0_i64;
    let mut min_nonzero: Option<i64> = None;
    for r in readings {
        max = max.max(r);
        if r != 0 {
            min_nonzero = Some(min_nonzero.map_or(r, |m| m.min(r)));
        }
    }
    (max, summary::distance(max, min_nonzero))
}

fn year_start(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// Ownership days of the cost table (`VehicleLogic.GetOwnershipDays`).
///
/// Every year (`year` = 0): from the earliest of the purchase date (today when unset) and every
/// record date, to the sold date or today. One year: that calendar year, clamped at the purchase
/// date and the sold date (or today) where they fall inside it. LubeLogger answers a negative
/// count for a year outside the ownership; that is 0 here.
pub fn ownership_days(
    purchase: Option<NaiveDate>,
    sold: Option<NaiveDate>,
    year: i32,
    record_dates: &[NaiveDate],
    today: NaiveDate,
) -> i64 {
    let end = sold.unwrap_or(today);
    if year == 0 {
        let start = record_dates
            .iter()
            .copied()
            .fold(purchase.unwrap_or(today), NaiveDate::min);
        return (end - start).num_days().max(0);
    }
    let (Some(first), Some(next)) = (year_start(year), year_start(year.saturating_add(1))) else {
        return 0;
    };
    let start = purchase.map_or(first, |p| p.max(first));
    let end = end.min(next);
    (end - start).num_days().max(0)
}

/// The cost table's lines and totals: each sum spread over the distance and the days; the
/// totals add up the (rounded) per-type figures, as the reference's table does.
pub fn cost_lines(
    sums: &[(ReportRecordType, Amount)],
    distance: i64,
    days: i64,
) -> (Vec<CostLine>, CostTotals) {
    let lines: Vec<CostLine> = sums
        .iter()
        .map(|(record_type, sum)| CostLine {
            record_type: *record_type,
            sum: *sum,
            per_distance: spread(*sum, distance),
            per_day: spread(*sum, days),
        })
        .collect();
    let totals = CostTotals {
        sum: lines.iter().map(|l| l.sum).sum(),
        per_distance: lines.iter().map(|l| l.per_distance).sum(),
        per_day: lines.iter().map(|l| l.per_day).sum(),
    };
    (lines, totals)
}

/// `(sold date or today) − purchase date`, never negative; `None` without a purchase date.
pub fn days_owned(
    purchase: Option<NaiveDate>,
    sold: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<i64> {
    purchase.map(|p| (sold.unwrap_or(today) - p).num_days().max(0))
}

/// The history's depreciation figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depreciation {
    /// Purchase − sold price (negative when sold for more).
    pub total: Amount,
    /// `|total| ÷ days owned`, when there are days.
    pub per_day: Option<Amount>,
    /// `|total| ÷ distance`, when there is distance.
    pub per_distance: Option<Amount>,
}

/// Purchase − sold price, only when a non-zero sold price is set; the per-day and per-distance
/// figures are absolute values (reference §3.4).
pub fn depreciation(
    purchase_price: Option<Amount>,
    sold_price: Option<Amount>,
    days_owned: Option<i64>,
    distance: i64,
) -> Option<Depreciation> {
    let sold = sold_price.filter(|s| !s.is_zero())?;
    let total = purchase_price.unwrap_or(Amount::ZERO) - sold;
    let magnitude = Amount::from_scaled(total.scaled().saturating_abs());
    Some(Depreciation {
        total,
        per_day: days_owned.filter(|d| *d > 0).map(|d| spread(magnitude, d)),
        per_distance: (distance > 0).then(|| spread(magnitude, distance)),
    })
}

/// Whether a record stays in the history: its date within `from`…`to` (inclusive), and with
/// tags asked for, carrying one of them (include) or none of them (exclude).
pub fn keeps(filter: &HistoryFilter, date: NaiveDate, tags: &[String]) -> bool {
    if filter.from.is_some_and(|f| date < f) || filter.to.is_some_and(|t| date > t) {
        return false;
    }
    if filter.tags.is_empty() {
        return true;
    }
    let any = tags.iter().any(|t| filter.tags.contains(t));
    match filter.tag_mode {
        TagMode::Include => any,
        TagMode::Exclude => !any,
    }
}

/// §3.1 step 8 over the kept fill-ups only: each row's distance and economy come from the
/// whole history (so the first kept fill-up still counts the distance since the one before),
/// and the average is Σ distance ÷ Σ fuel of the kept rows that count towards it. `fuel` holds
/// each fill-up's amount as entered.
pub fn average_economy(
    rows: &[FuelEconomyRow],
    fuel: &HashMap<i64, f64>,
    kept: &HashSet<i64>,
    mode: EconomyMode,
) -> Option<f64> {
    let mut sum_distance = 0_i64;
    let mut sum_fuel = 0.0_f64;
    for row in rows
        .iter()
        .filter(|r| r.include_in_average && kept.contains(&r.id))
    {
        let raw = fuel.get(&row.id).copied().unwrap_or(0.0);
        sum_fuel += if mode.use_mpg && mode.use_uk_mpg {
            raw / LITRES_PER_UK_GALLON
        } else {
            raw
        };
        sum_distance += row.distance;
    }
    if sum_fuel <= 0.0 {
        return None;
    }
    let per_fuel = sum_distance as f64 / sum_fuel;
    let average = if mode.use_mpg {
        per_fuel
    } else if per_fuel > 0.0 {
        100.0 / per_fuel
    } else {
        return None;
    };
    (average > 0.0 && average.is_finite()).then_some(average)
}

/// The years of these dates, newest first, each once.
pub fn years(dates: impl IntoIterator<Item = NaiveDate>) -> Vec<i32> {
    let mut out: Vec<i32> = dates.into_iter().map(|d| d.year()).collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use motovault_shared::fuel::{self, FuelEntry};

    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn a(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    #[test]
    fn spreading_rounds_to_four_decimals_and_is_zero_without_a_divisor() {
        let cases = [
            ("100", 1000, "0.1"),
            ("305.5", 1000, "0.3055"),
            ("1", 3, "0.3333"),
            ("2", 3, "0.6667"),
            ("365", 366, "0.9973"),
            ("120", 0, "0"),
            ("120", -5, "0"),
        ];
        for (sum, by, want) in cases {
            assert_eq!(spread(a(sum), by), a(want), "{sum} / {by}");
        }
    }

    #[test]
    fn the_span_ignores_zero_readings_for_the_minimum() {
        let cases: [(&[i64], (i64, i64)); 5] = [
            (&[], (0, 0)),
            (&[0, 0], (0, 0)),
            (&[1500], (1500, 0)),
            (&[0, 1000, 2000, 1200], (2000, 1000)),
            (&[5000, 0, 4200], (5000, 800)),
        ];
        for (readings, want) in cases {
            assert_eq!(
                odometer_span(readings.iter().copied()),
                want,
                "{readings:?}"
            );
        }
    }

    #[test]
    fn ownership_days_over_every_year() {
        let today = d("2024-07-01");
        let records = [d("2023-03-10"), d("2024-01-15")];
        #[allow(clippy::type_complexity)]
        let cases: [(Option<&str>, Option<&str>, &[NaiveDate], i64); 6] = [
            // Purchase 2023-01-01 → today: 365 + 182 (2024 is a leap year).
            (Some("2023-01-01"), None, &records, 547),
            // A record before the purchase moves the start back: 2023-03-10 → 2024-07-01.
            (Some("2023-06-01"), None, &records, 479),
            // Sold: ends at the sold date. 2023-01-01 → 2023-12-31.
            (Some("2023-01-01"), Some("2023-12-31"), &records, 364),
            // No purchase date: today is the candidate, the earliest record wins.
            (None, None, &records, 479),
            // Nothing at all: today − today.
            (None, None, &[], 0),
            // Sold before the earliest date: never negative.
            (Some("2024-06-01"), Some("2024-01-01"), &[], 0),
        ];
        for (purchase, sold, dates, want) in cases {
            assert_eq!(
                ownership_days(purchase.map(d), sold.map(d), 0, dates, today),
                want,
                "{purchase:?} {sold:?}"
            );
        }
    }

    #[test]
    fn ownership_days_of_one_year_are_clamped_to_it() {
        let today = d("2024-07-01");
        // Record dates play no part in a given year.
        let records = [d("2019-05-05")];
        #[allow(clippy::type_complexity)]
        let cases: [(Option<&str>, Option<&str>, i32, i64); 9] = [
            // A whole past year: 2022-01-01 → 2023-01-01.
            (Some("2020-01-01"), None, 2022, 365),
            // A leap year.
            (Some("2020-01-01"), None, 2020, 366),
            // Bought inside the year: from the purchase date. 2022-03-01 → 2023-01-01.
            (Some("2022-03-01"), None, 2022, 306),
            // Sold inside the year: to the sold date. 2022-01-01 → 2022-10-01.
            (Some("2020-01-01"), Some("2022-10-01"), 2022, 273),
            // Both inside: 2022-03-01 → 2022-10-01.
            (Some("2022-03-01"), Some("2022-10-01"), 2022, 214),
            // The current year ends today: 2024-01-01 → 2024-07-01.
            (None, None, 2024, 182),
            // Sold after the year: the year is whole.
            (Some("2020-01-01"), Some("2023-05-01"), 2022, 365),
            // A year before the purchase or after the sale: none.
            (Some("2023-01-01"), None, 2022, 0),
            (Some("2020-01-01"), Some("2021-06-01"), 2022, 0),
        ];
        for (purchase, sold, year, want) in cases {
            assert_eq!(
                ownership_days(purchase.map(d), sold.map(d), year, &records, today),
                want,
                "{purchase:?} {sold:?} {year}"
            );
        }
        // A future year has no days yet.
        assert_eq!(ownership_days(None, None, 2030, &[], today), 0);
    }

    #[test]
    fn cost_lines_spread_each_sum_and_the_totals_add_the_lines() {
        let sums = [
            (ReportRecordType::Service, a("100")),
            (ReportRecordType::Repair, a("50.5")),
            (ReportRecordType::Upgrade, a("0")),
            (ReportRecordType::Fuel, a("35")),
            (ReportRecordType::Tax, a("1")),
        ];
        // 1000 distance, 3 days.
        let (lines, totals) = cost_lines(&sums, 1000, 3);
        let per_distance: Vec<Amount> = lines.iter().map(|l| l.per_distance).collect();
        let per_day: Vec<Amount> = lines.iter().map(|l| l.per_day).collect();
        assert_eq!(
            per_distance,
            vec![a("0.1"), a("0.0505"), a("0"), a("0.035"), a("0.001")]
        );
        assert_eq!(
            per_day,
            vec![
                a("33.3333"),
                a("16.8333"),
                a("0"),
                a("11.6667"),
                a("0.3333")
            ]
        );
        assert_eq!(totals.sum, a("186.5"));
        assert_eq!(totals.per_distance, a("0.1865"));
        // The sum of the rounded lines (62.1666), not 186.5 / 3 rounded (62.1667).
        assert_eq!(totals.per_day, a("62.1666"));
        // No distance and no days: only the sums.
        let (lines, totals) = cost_lines(&sums, 0, 0);
        assert!(
            lines
                .iter()
                .all(|l| l.per_day.is_zero() && l.per_distance.is_zero())
        );
        assert_eq!(totals.sum, a("186.5"));
    }

    #[test]
    fn days_owned_run_to_the_sale_or_today() {
        let today = d("2024-07-01");
        let cases = [
            (Some("2024-01-01"), None, Some(182)),
            (Some("2020-01-01"), Some("2021-01-01"), Some(366)),
            (None, Some("2021-01-01"), None),
            (Some("2025-01-01"), None, Some(0)),
        ];
        for (purchase, sold, want) in cases {
            assert_eq!(days_owned(purchase.map(d), sold.map(d), today), want);
        }
    }

    #[test]
    fn depreciation_needs_a_sold_price_and_spreads_its_magnitude() {
        #[allow(clippy::type_complexity)]
        let cases: [(
            Option<&str>,
            Option<&str>,
            Option<i64>,
            i64,
            Option<(&str, Option<&str>, Option<&str>)>,
        ); 6] = [
            // 20000 − 12000 = 8000 over 400 days and 16000 distance.
            (
                Some("20000"),
                Some("12000"),
                Some(400),
                16000,
                Some(("8000", Some("20"), Some("0.5"))),
            ),
            // Sold for more: negative total, positive rates.
            (
                Some("10000"),
                Some("13000"),
                Some(300),
                6000,
                Some(("-3000", Some("10"), Some("0.5"))),
            ),
            // No purchase price: everything is depreciation.
            (
                None,
                Some("500"),
                Some(3),
                0,
                Some(("-500", Some("166.6667"), None)),
            ),
            // No days or distance: only the total.
            (Some("100"), Some("40"), None, 0, Some(("60", None, None))),
            // No sold price, or a zero one: none.
            (Some("20000"), None, Some(400), 16000, None),
            (Some("20000"), Some("0"), Some(400), 16000, None),
        ];
        for (purchase, sold, days, distance, want) in cases {
            let got = depreciation(purchase.map(a), sold.map(a), days, distance);
            let want = want.map(|(total, per_day, per_distance)| Depreciation {
                total: a(total),
                per_day: per_day.map(a),
                per_distance: per_distance.map(a),
            });
            assert_eq!(got, want, "{purchase:?} {sold:?}");
        }
    }

    #[test]
    fn the_filter_keeps_dates_in_range_and_tags_by_mode() {
        let tags = |list: &[&str]| list.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        let range = HistoryFilter {
            from: Some(d("2024-02-01")),
            to: Some(d("2024-02-29")),
            ..HistoryFilter::default()
        };
        let include = HistoryFilter {
            tags: tags(&["work", "trip"]),
            tag_mode: TagMode::Include,
            ..HistoryFilter::default()
        };
        let exclude = HistoryFilter {
            tag_mode: TagMode::Exclude,
            ..include.clone()
        };
        let cases = [
            (&range, "2024-01-31", tags(&[]), false),
            (&range, "2024-02-01", tags(&[]), true),
            (&range, "2024-02-29", tags(&["x"]), true),
            (&range, "2024-03-01", tags(&[]), false),
            (&include, "2024-01-01", tags(&["trip"]), true),
            (&include, "2024-01-01", tags(&["home"]), false),
            (&include, "2024-01-01", tags(&[]), false),
            (&exclude, "2024-01-01", tags(&["home", "work"]), false),
            (&exclude, "2024-01-01", tags(&["home"]), true),
            (&exclude, "2024-01-01", tags(&[]), true),
        ];
        for (filter, date, own, want) in cases {
            assert_eq!(keeps(filter, d(date), &own), want, "{date} {own:?}");
        }
    }

    fn fill(id: i64, date: &str, odometer: i64, fuel: f64, full: bool) -> FuelEntry {
        FuelEntry {
            id,
            date: d(date),
            odometer,
            fuel,
            cost: 0.0,
            is_fill_to_full: full,
            missed_fuel_up: false,
        }
    }

    #[test]
    fn the_average_counts_only_kept_fill_ups_with_their_whole_history_distance() {
        let entries = [
            fill(1, "2024-01-01", 1000, 10.0, true),
            fill(2, "2024-02-01", 1300, 10.0, true),
            fill(3, "2024-03-01", 1700, 10.0, true),
        ];
        let fuel_by_id: HashMap<i64, f64> = entries.iter().map(|e| (e.id, e.fuel)).collect();
        let mpg = EconomyMode {
            use_mpg: true,
            use_uk_mpg: false,
        };
        let metric = EconomyMode {
            use_mpg: false,
            use_uk_mpg: false,
        };
        let uk = EconomyMode {
            use_mpg: true,
            use_uk_mpg: true,
        };
        let rows = fuel::compute(&entries, mpg).rows;
        let all: HashSet<i64> = [1, 2, 3].into();
        let last: HashSet<i64> = [3].into();
        let cases = [
            // The baseline (a full fill-up without economy) does not count: 700 / 20.
            (&all, mpg, Some(35.0)),
            // Only the last fill-up: 400 / 10, its distance from the fill-up before.
            (&last, mpg, Some(40.0)),
            // L/100: 100 / (400 / 10).
            (&last, metric, Some(2.5)),
            // UK gallons: 400 / (10 / 4.546).
            (&last, uk, Some(181.84)),
            // Nothing kept.
            (&HashSet::new(), mpg, None),
        ];
        for (kept, mode, want) in cases {
            let rows = if mode == metric {
                fuel::compute(&entries, mode).rows
            } else {
                rows.clone()
            };
            let got = average_economy(&rows, &fuel_by_id, kept, mode)
                .map(|v| (v * 10_000.0).round() / 10_000.0);
            assert_eq!(got, want, "{kept:?} {mode:?}");
        }
    }

    #[test]
    fn years_are_newest_first_once_each() {
        let dates = [
            d("2022-01-01"),
            d("2024-05-01"),
            d("2022-12-31"),
            d("2023-07-07"),
        ];
        assert_eq!(years(dates), vec![2024, 2023, 2022]);
        assert_eq!(years([]), Vec::<i32>::new());
    }
}
