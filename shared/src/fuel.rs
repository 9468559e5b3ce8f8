//! Fuel economy exactly as the reference §3.1 (`GasHelper`) computes it.
//!
//! Pure: the server uses it to answer fuel-record lists and the web client can run the
//! same function on a form preview.

use chrono::NaiveDate;

use crate::units::UnitSystem;

/// Litres in an imperial (UK) gallon, the divisor the reference uses.
pub const LITRES_PER_UK_GALLON: f64 = 4.546;

/// One fill-up as the rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct FuelEntry {
    pub id: i64,
    pub date: NaiveDate,
    pub odometer: i64,
    /// Amount as entered (gal, L or kWh).
    pub fuel: f64,
    pub cost: f64,
    pub is_fill_to_full: bool,
    pub missed_fuel_up: bool,
}

/// The computed figures of one fill-up.
#[derive(Debug, Clone, PartialEq)]
pub struct FuelEconomyRow {
    pub id: i64,
    /// Distance since the previous reading (never negative).
    pub distance: i64,
    /// `None` where the rule yields no economy (baseline, partial fill, missed fill-up).
    pub economy: Option<f64>,
    /// Cost per unit of fuel; 0 when no fuel was entered.
    pub cost_per_unit: f64,
    pub include_in_average: bool,
}

/// The whole history of one vehicle, in the order the rule sorts it (date, then odometer).
#[derive(Debug, Clone, PartialEq)]
pub struct FuelEconomy {
    pub rows: Vec<FuelEconomyRow>,
    /// `None` when nothing qualifies (no fuel in the included rows).
    pub average: Option<f64>,
}

/// How to read the amounts: `use_mpg` gives distance per fuel, otherwise fuel per 100 distance;
/// `use_uk_mpg` (only together with `use_mpg`) converts litres to UK gallons first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EconomyMode {
    pub use_mpg: bool,
    pub use_uk_mpg: bool,
}

impl EconomyMode {
    /// The mode the web UI uses for a user's unit system and a vehicle.
    pub fn for_units(units: UnitSystem, electric: bool) -> Self {
        EconomyMode {
            use_mpg: units.use_mpg(),
            use_uk_mpg: units.use_uk_mpg(electric),
        }
    }
}

/// Computes economy per fill-up and the average, by §3.1 steps 1–8.
pub fn compute(entries: &[FuelEntry], mode: EconomyMode) -> FuelEconomy {
    let mut sorted: Vec<&FuelEntry> = entries.iter().collect();
    // Step 1; the id keeps equal date and odometer in a stable, repeatable order.
    sorted.sort_by_key(|e| (e.date, e.odometer, e.id));

    let mut rows = Vec::with_capacity(sorted.len());
    let mut previous = 0_i64;
    let mut acc_distance = 0_i64;
    let mut acc_fuel = 0.0_f64;
    let mut sum_distance = 0_i64;
    let mut sum_fuel = 0.0_f64;

    for (index, entry) in sorted.into_iter().enumerate() {
        // Step 2.
        let fuel = if mode.use_mpg && mode.use_uk_mpg {
            entry.fuel / LITRES_PER_UK_GALLON
        } else {
            entry.fuel
        };
        let mut economy = 0.0_f64;
        let distance;
        if index == 0 {
            // Step 3: the baseline.
            distance = 0;
            previous = entry.odometer;
        } else {
            // Step 4.
            distance = (entry.odometer - previous).max(0);
            if entry.odometer != 0 {
                previous = entry.odometer;
            }
            // Step 5.
            if entry.missed_fuel_up {
                acc_distance = 0;
                acc_fuel = 0.0;
            } else if entry.is_fill_to_full && entry.odometer != 0 {
                if fuel > 0.0 && distance > 0 {
                    let per_fuel = (acc_distance + distance) as f64 / (acc_fuel + fuel);
                    economy = if mode.use_mpg {
                        per_fuel
                    } else {
                        100.0 / per_fuel
                    };
                }
                acc_distance = 0;
                acc_fuel = 0.0;
            } else {
                acc_fuel += fuel;
                acc_distance += distance;
            }
        }
        // Step 6.
        let cost_per_unit = if entry.fuel == 0.0 {
            0.0
        } else {
            entry.cost / entry.fuel
        };
        // Step 7.
        let include_in_average = economy > 0.0
            || (!entry.is_fill_to_full && !entry.missed_fuel_up)
            || (entry.odometer == 0 && !entry.missed_fuel_up);
        if include_in_average {
            sum_distance += distance;
            sum_fuel += fuel;
        }
        rows.push(FuelEconomyRow {
            id: entry.id,
            distance,
            economy: (economy > 0.0 && economy.is_finite()).then_some(economy),
            cost_per_unit,
            include_in_average,
        });
    }

    // Step 8: a division by zero is LubeLogger's "0", which we report as no average.
    let average = if sum_fuel > 0.0 {
        let per_fuel = sum_distance as f64 / sum_fuel;
        if mode.use_mpg {
            Some(per_fuel)
        } else if per_fuel > 0.0 {
            Some(100.0 / per_fuel)
        } else {
            None
        }
    } else {
        None
    };
    FuelEconomy {
        rows,
        average: average.filter(|a| *a > 0.0 && a.is_finite()),
    }
}

/// Rounds for display and for the API (the reference formats with two decimals).
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry(id: i64, date: &str, odometer: i64, fuel: f64, full: bool, missed: bool) -> FuelEntry {
        FuelEntry {
            id,
            date: d(date),
            odometer,
            fuel,
            cost: fuel * 3.5,
            is_fill_to_full: full,
            missed_fuel_up: missed,
        }
    }

    const MPG: EconomyMode = EconomyMode {
        use_mpg: true,
        use_uk_mpg: false,
    };
    const METRIC: EconomyMode = EconomyMode {
        use_mpg: false,
        use_uk_mpg: false,
    };
    const UK: EconomyMode = EconomyMode {
        use_mpg: true,
        use_uk_mpg: true,
    };

    /// A history with a partial fill and a missed fill-up, given out of order.
    fn history() -> Vec<FuelEntry> {
        vec![
            entry(4, "2024-01-30", 1800, 10.0, true, false),
            entry(1, "2024-01-01", 1000, 10.0, true, false),
            entry(3, "2024-01-20", 1500, 5.0, false, false),
            entry(2, "2024-01-10", 1300, 10.0, true, false),
            entry(5, "2024-02-10", 2400, 12.0, true, true),
            entry(6, "2024-02-20", 2700, 10.0, true, false),
        ]
    }

    fn close(a: Option<f64>, b: Option<f64>) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() < 1e-9,
            _ => false,
        }
    }

    #[test]
    fn worked_history_in_each_mode() {
        // (mode, expected economy per id 1..=6, expected average)
        let cases: [(EconomyMode, [Option<f64>; 6], Option<f64>); 3] = [
            (
                MPG,
                // 300/10; partial; (200+300)/(5+10); missed; 300/10
                [None, Some(30.0), None, Some(500.0 / 15.0), None, Some(30.0)],
                // (300+200+300+300)/(10+5+10+10)
                Some(1100.0 / 35.0),
            ),
            (
                METRIC,
                [
                    None,
                    Some(100.0 / 30.0),
                    None,
                    Some(100.0 / (500.0 / 15.0)),
                    None,
                    Some(100.0 / 30.0),
                ],
                Some(100.0 / (1100.0 / 35.0)),
            ),
            (
                UK,
                [
                    None,
                    Some(300.0 / (10.0 / 4.546)),
                    None,
                    Some(500.0 / (15.0 / 4.546)),
                    None,
                    Some(300.0 / (10.0 / 4.546)),
                ],
                Some(1100.0 / (35.0 / 4.546)),
            ),
        ];
        for (mode, economies, average) in cases {
            let result = compute(&history(), mode);
            let ids: Vec<i64> = result.rows.iter().map(|r| r.id).collect();
            assert_eq!(ids, vec![1, 2, 3, 4, 5, 6], "sorted by date then odometer");
            for (row, expected) in result.rows.iter().zip(economies) {
                assert!(
                    close(row.economy, expected),
                    "{mode:?} id {}: {:?} != {expected:?}",
                    row.id,
                    row.economy
                );
            }
            assert!(
                close(result.average, average),
                "{mode:?}: {:?} != {average:?}",
                result.average
            );
        }
    }

    #[test]
    fn distances_and_average_membership() {
        let result = compute(&history(), MPG);
        let distances: Vec<i64> = result.rows.iter().map(|r| r.distance).collect();
        assert_eq!(distances, vec![0, 300, 200, 300, 600, 300]);
        let included: Vec<bool> = result.rows.iter().map(|r| r.include_in_average).collect();
        // Baseline full fill: out; partial: in; missed: out.
        assert_eq!(included, vec![false, true, true, true, false, true]);
        assert!((result.rows[0].cost_per_unit - 3.5).abs() < 1e-9);
        assert_eq!(round2(result.average.unwrap()), 31.43);
    }

    #[test]
    fn odometer_going_backwards_and_zero_readings() {
        let entries = vec![
            entry(1, "2024-01-01", 1000, 10.0, true, false),
            // No odometer: delta clamps to 0, previous is kept, fuel accumulates.
            entry(2, "2024-01-05", 0, 4.0, true, false),
            // Measured from 1000, not from 0; accumulated fuel 4 joins this fill.
            entry(3, "2024-01-10", 1420, 10.0, true, false),
            // Backwards: delta clamps to 0, no economy.
            entry(4, "2024-01-11", 1400, 5.0, true, false),
        ];
        let result = compute(&entries, MPG);
        let distances: Vec<i64> = result.rows.iter().map(|r| r.distance).collect();
        assert_eq!(distances, vec![0, 0, 420, 0]);
        assert!(close(result.rows[1].economy, None));
        assert!(close(result.rows[2].economy, Some(420.0 / 14.0)));
        assert!(close(result.rows[3].economy, None));
        // Included: id 2 (odometer 0, not missed) and id 3 (economy > 0).
        assert!(close(result.average, Some(420.0 / 14.0)));
    }

    #[test]
    fn a_partial_first_fill_counts_towards_the_average_only() {
        let entries = vec![
            entry(1, "2024-03-01", 500, 6.0, false, false),
            entry(2, "2024-03-08", 800, 10.0, true, false),
        ];
        let result = compute(&entries, MPG);
        // The baseline never feeds the accumulators: 300/10.
        assert!(close(result.rows[1].economy, Some(30.0)));
        // But it is included in the average: (0+300)/(6+10).
        assert!(close(result.average, Some(300.0 / 16.0)));
    }

    #[test]
    fn empty_single_and_fuel_free_histories_have_no_average() {
        assert_eq!(compute(&[], MPG).average, None);
        let one = compute(&[entry(1, "2024-01-01", 100, 10.0, true, false)], MPG);
        assert_eq!(one.average, None);
        assert_eq!(one.rows[0].economy, None);
        let no_fuel = vec![
            entry(1, "2024-01-01", 100, 0.0, true, false),
            entry(2, "2024-01-02", 200, 0.0, true, false),
        ];
        let result = compute(&no_fuel, METRIC);
        assert_eq!(result.rows[1].economy, None);
        assert_eq!(result.rows[1].cost_per_unit, 0.0);
        assert_eq!(result.average, None);
    }

    #[test]
    fn electric_vehicles_never_get_the_uk_conversion() {
        let mode = EconomyMode::for_units(UnitSystem::Uk, true);
        assert_eq!(mode, MPG);
        assert_eq!(EconomyMode::for_units(UnitSystem::Uk, false), UK);
        assert_eq!(EconomyMode::for_units(UnitSystem::Metric, true), METRIC);
    }
}
