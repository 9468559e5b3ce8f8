//! Odometer rules of the reference §3.3 (`Logic/OdometerLogic.cs`), as pure functions.
//!
//! Deliberate difference from LubeLogger: where the reference would derive an initial reading
//! above the record's own reading (a back-dated record when later readings exist), the derived
//! value is clamped to the record's reading so the distance is 0 instead of negative; negative
//! distances would corrupt equipment distances and the distance chart. Explicit input is never
//! clamped: the native API rejects an initial reading above the reading instead.

use chrono::NaiveDate;

use crate::validate::MAX_NOTES;

/// One odometer record as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdometerReading {
    pub id: i64,
    pub date: NaiveDate,
    pub initial_odometer: i64,
    pub odometer: i64,
}

impl OdometerReading {
    /// `DistanceTraveled` = reading − initial reading.
    pub fn distance(&self) -> i64 {
        distance(self.initial_odometer, self.odometer)
    }
}

pub fn distance(initial_odometer: i64, odometer: i64) -> i64 {
    odometer - initial_odometer
}

/// "Recalculate distance" (`AutoConvertOdometerRecord`): sorted by date, then reading (then id,
/// so equal records keep a stable order); the first record starts at its own reading, every
/// later one at the previous record's reading. Returns every record in that order.
pub fn recalculate(records: &[OdometerReading]) -> Vec<OdometerReading> {
    let mut sorted = records.to_vec();
    sorted.sort_by_key(|r| (r.date, r.odometer, r.id));
    let mut previous: Option<i64> = None;
    for record in &mut sorted {
        record.initial_odometer = previous.unwrap_or(record.odometer);
        previous = Some(record.odometer);
    }
    sorted
}

/// API add: an empty or 0 initial reading becomes the highest reading of the vehicle's
/// odometer records (0 when there are none), clamped to the new reading. Any other value is kept.
pub fn initial_for_new(requested: Option<i64>, max_existing: Option<i64>, odometer: i64) -> i64 {
    match requested {
        Some(value) if value != 0 => value,
        _ => max_existing.unwrap_or(0).min(odometer),
    }
}

/// The record that triggers an auto-insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoInsertSource<'a> {
    /// "Service", "Repair", "Upgrade" or "Fuel".
    pub label: &'a str,
    pub date: NaiveDate,
    pub odometer: i64,
    /// The text carried into the notes: the description of a service, repair or upgrade
    /// record, the notes of a fuel record (as the reference's UI does).
    pub text: &'a str,
}

/// The odometer record an auto-insert adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOdometerRecord {
    pub date: NaiveDate,
    pub initial_odometer: i64,
    pub odometer: i64,
    pub notes: String,
}

/// Auto-insert (`AutoInsertOdometerRecord`), run on create only. Nothing when the user's
/// `enableAutoOdometerInsert` is off or the reading is 0. The initial reading is the highest
/// reading of the vehicle's odometer records, or the record's own reading when there are none
/// (clamped, see the module note). Notes: `Auto Insert From <Label> Record: <text>`, or without
/// the colon part when the text is blank.
pub fn auto_insert(
    enabled: bool,
    source: &AutoInsertSource<'_>,
    max_existing: Option<i64>,
) -> Option<NewOdometerRecord> {
    if !enabled || source.odometer == 0 {
        return None;
    }
    let initial = max_existing.unwrap_or(source.odometer).min(source.odometer);
    Some(NewOdometerRecord {
        date: source.date,
        initial_odometer: initial,
        odometer: source.odometer,
        notes: auto_insert_notes(source.label, source.text),
    })
}

pub fn auto_insert_notes(label: &str, text: &str) -> String {
    let prefix = format!("Auto Insert From {label} Record");
    let text = text.trim();
    if text.is_empty() {
        return prefix;
    }
    // The copied text may already be as long as notes may be; keep the result storable.
    let room = MAX_NOTES.saturating_sub(prefix.chars().count() + 2);
    let text: String = text.chars().take(room).collect();
    format!("{prefix}: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
    }

    fn reading(id: i64, d: u32, initial: i64, odometer: i64) -> OdometerReading {
        OdometerReading {
            id,
            date: day(d),
            initial_odometer: initial,
            odometer,
        }
    }

    #[test]
    fn recalculate_sorts_by_date_then_reading_and_chains_initials() {
        // Stored out of order and with zero initials, as after a CSV import.
        let input = vec![
            reading(1, 20, 0, 1600),
            reading(2, 1, 0, 1000),
            reading(3, 10, 0, 1350),
            reading(4, 10, 0, 1300),
        ];
        let out = recalculate(&input);
        let got: Vec<(i64, i64, i64, i64)> = out
            .iter()
            .map(|r| (r.id, r.initial_odometer, r.odometer, r.distance()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 1000, 1000, 0),
                (4, 1000, 1300, 300),
                (3, 1300, 1350, 50),
                (1, 1350, 1600, 250),
            ]
        );
        assert!(recalculate(&[]).is_empty());
        assert_eq!(
            recalculate(&[reading(9, 5, 700, 900)]),
            vec![reading(9, 5, 900, 900)]
        );
    }

    #[test]
    fn initial_for_new_records() {
        let cases = [
            // (requested, max existing, odometer, expected)
            (None, None, 5000, 0),
            (Some(0), None, 5000, 0),
            (None, Some(4200), 5000, 4200),
            (Some(0), Some(4200), 5000, 4200),
            (Some(4500), Some(4200), 5000, 4500),
            // Back-dated: the derived value would exceed the reading.
            (None, Some(6000), 5000, 5000),
        ];
        for (requested, max, odometer, expected) in cases {
            assert_eq!(
                initial_for_new(requested, max, odometer),
                expected,
                "{requested:?} {max:?} {odometer}"
            );
        }
    }

    #[test]
    fn auto_insert_rule() {
        let source = AutoInsertSource {
            label: "Service",
            date: day(15),
            odometer: 12_500,
            text: "Oil change",
        };
        // Existing odometer records up to 12 000: the new record covers 500.
        let made = auto_insert(true, &source, Some(12_000)).unwrap();
        assert_eq!(
            made,
            NewOdometerRecord {
                date: day(15),
                initial_odometer: 12_000,
                odometer: 12_500,
                notes: "Auto Insert From Service Record: Oil change".into(),
            }
        );
        // No odometer records yet: starts at its own reading.
        let first = auto_insert(true, &source, None).unwrap();
        assert_eq!((first.initial_odometer, first.odometer), (12_500, 12_500));
        // Off, or no reading: nothing.
        assert_eq!(auto_insert(false, &source, Some(12_000)), None);
        let zero = AutoInsertSource {
            odometer: 0,
            ..source.clone()
        };
        assert_eq!(auto_insert(true, &zero, Some(12_000)), None);
        // Back-dated below the highest reading: distance 0, never negative.
        let back = auto_insert(true, &source, Some(13_000)).unwrap();
        assert_eq!(back.initial_odometer, 12_500);
        // Blank text, and text too long to fit.
        assert_eq!(
            auto_insert_notes("Fuel", "  "),
            "Auto Insert From Fuel Record"
        );
        let long = auto_insert_notes("Fuel", &"x".repeat(MAX_NOTES));
        assert_eq!(long.chars().count(), MAX_NOTES);
        assert!(long.starts_with("Auto Insert From Fuel Record: xx"));
    }

    fn readings() -> impl Strategy<Value = Vec<OdometerReading>> {
        prop::collection::vec((1u32..=28, 0i64..1_000_000, 0i64..1_000_000), 0..30).prop_map(
            |rows| {
                rows.into_iter()
                    .enumerate()
                    .map(|(i, (d, initial, odo))| reading(i as i64 + 1, d, initial, odo))
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn recalculate_invariants(input in readings()) {
            let out = recalculate(&input);
            prop_assert_eq!(out.len(), input.len());
            let mut ids_in: Vec<i64> = input.iter().map(|r| r.id).collect();
            let mut ids_out: Vec<i64> = out.iter().map(|r| r.id).collect();
            ids_in.sort_unstable();
            ids_out.sort_unstable();
            prop_assert_eq!(ids_in, ids_out);
            for pair in out.windows(2) {
                prop_assert!((pair[0].date, pair[0].odometer) <= (pair[1].date, pair[1].odometer));
                prop_assert_eq!(pair[1].initial_odometer, pair[0].odometer);
            }
            if let (Some(first), Some(last)) = (out.first(), out.last()) {
                prop_assert_eq!(first.distance(), 0);
                // Distances telescope: their sum is the whole distance covered.
                let total: i64 = out.iter().map(OdometerReading::distance).sum();
                prop_assert_eq!(total, last.odometer - first.odometer);
            }
            // Running it again changes nothing.
            prop_assert_eq!(recalculate(&out), out);
        }

        #[test]
        fn distances_never_negative_when_readings_grow_with_dates(
            mut odometers in prop::collection::vec(0i64..1_000_000, 0..30),
            mut days in prop::collection::vec(1u32..=28, 30),
        ) {
            // Readings and dates both non-decreasing, stored in a shuffled id order.
            odometers.sort_unstable();
            days.sort_unstable();
            let count = odometers.len() as i64;
            let input: Vec<OdometerReading> = odometers
                .iter()
                .zip(&days)
                .enumerate()
                .map(|(i, (odo, d))| reading(count - i as i64, *d, 0, *odo))
                .collect();
            for r in recalculate(&input) {
                prop_assert!(r.distance() >= 0, "{:?}", r);
            }
        }

        #[test]
        fn auto_insert_never_goes_backwards(
            enabled in any::<bool>(),
            odometer in 0i64..1_000_000,
            max in prop::option::of(0i64..1_000_000),
        ) {
            let source = AutoInsertSource { label: "Fuel", date: day(1), odometer, text: "n" };
            match auto_insert(enabled, &source, max) {
                None => prop_assert!(!enabled || odometer == 0),
                Some(made) => {
                    prop_assert!(enabled && odometer != 0);
                    prop_assert_eq!(made.odometer, odometer);
                    prop_assert!(made.initial_odometer <= made.odometer);
                    prop_assert!(made.initial_odometer >= 0);
                    if let Some(max) = max.filter(|m| *m <= odometer) {
                        prop_assert_eq!(made.initial_odometer, max);
                    }
                }
            }
        }

        #[test]
        fn new_records_never_start_above_a_derived_reading(
            requested in prop::option::of(0i64..1_000_000),
            max in prop::option::of(0i64..1_000_000),
            odometer in 0i64..1_000_000,
        ) {
            let initial = initial_for_new(requested, max, odometer);
            match requested {
                Some(v) if v != 0 => prop_assert_eq!(initial, v),
                _ => prop_assert!(initial <= odometer && initial >= 0),
            }
        }
    }
}
