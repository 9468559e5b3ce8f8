//! LubeLogger's export models (reference §4.2), read leniently.
//!
//! A LubeLogger server answers either with every value as a string in its culture (`"1/3/2026"`,
//! `"45,50"`, `"True"`) or, when it honours the `culture-invariant` header we send, with typed
//! values (`"2026-01-03"`, `45.5`, `true`). Old servers ignore the header, so every accessor here
//! accepts both forms; the culture comes from `/api/info`.

use chrono::NaiveDate;
use motovault_shared::Amount;
use serde_json::{Map, Value};

/// The server culture, from `/api/info` (`dateFormat`, `decimalSeparator`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Culture {
    /// Positions of day, month and year in the short date pattern, e.g. `[M, D, Y]` for `M/d/yyyy`.
    order: [Part; 3],
    decimal_separator: char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Day,
    Month,
    Year,
}

impl Default for Culture {
    /// en-US, LubeLogger's default culture.
    fn default() -> Self {
        Culture {
            order: [Part::Month, Part::Day, Part::Year],
            decimal_separator: '.',
        }
    }
}

impl Culture {
    /// From a .NET short date pattern (`M/d/yyyy`, `dd.MM.yyyy`, `yyyy-MM-dd`) and a decimal
    /// separator; unknown patterns fall back to en-US order.
    pub fn new(date_format: &str, decimal_separator: &str) -> Culture {
        let mut order = Vec::new();
        for c in date_format.chars() {
            let part = match c.to_ascii_lowercase() {
                'd' => Part::Day,
                'm' => Part::Month,
                'y' => Part::Year,
                _ => continue,
            };
            if order.last() != Some(&part) {
                order.push(part);
            }
        }
        let default = Culture::default();
        let order = match order.as_slice() {
            [a, b, c] if a != b && b != c && a != c => [*a, *b, *c],
            _ => default.order,
        };
        Culture {
            order,
            decimal_separator: decimal_separator
                .chars()
                .next()
                .unwrap_or(default.decimal_separator),
        }
    }

    /// `yyyy-MM-dd` (invariant output, RFC 3339) or the culture's short date, with or without a
    /// time of day after it (supply dates are `ToString()`: `1/3/2026 12:00:00 AM`).
    pub fn parse_date(&self, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        let groups: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .take(3)
            .collect();
        let [a, b, c] = groups.as_slice() else {
            return None;
        };
        let number = |s: &str| s.parse::<u32>().ok();
        let (year, month, day) = if a.len() == 4 {
            (number(a)?, number(b)?, number(c)?)
        } else {
            let mut year = None;
            let mut month = None;
            let mut day = None;
            for (part, value) in self.order.iter().zip([a, b, c]) {
                let v = number(value)?;
                match part {
                    Part::Day => day = Some(v),
                    Part::Month => month = Some(v),
                    Part::Year => year = Some(if value.len() <= 2 { 2000 + v } else { v }),
                }
            }
            (year?, month?, day?)
        };
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    }

    /// A decimal as a JSON number or a string with the culture's separator.
    pub fn parse_decimal(&self, text: &str) -> Option<Amount> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        // .NET `decimal.ToString()` writes no group separators, but tolerate them anyway: any
        // separator that is not the decimal one is a group separator.
        let cleaned: String = text
            .chars()
            .filter_map(|c| {
                if c == self.decimal_separator {
                    Some('.')
                } else if c.is_ascii_digit() || c == '-' || c == '+' || c == 'E' || c == 'e' {
                    Some(c)
                } else {
                    None
                }
            })
            .collect();
        Amount::parse(&cleaned).ok()
    }
}

/// Why one source row could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Parsed<T> = Result<T, ModelError>;

/// One JSON object of the source with culture-aware accessors. Keys are matched
/// case-insensitively, as ASP.NET binds them.
pub struct Row<'a> {
    map: &'a Map<String, Value>,
    culture: &'a Culture,
}

impl<'a> Row<'a> {
    pub fn new(value: &'a Value, culture: &'a Culture) -> Parsed<Row<'a>> {
        value
            .as_object()
            .map(|map| Row { map, culture })
            .ok_or_else(|| ModelError(format!("expected an object, got {value}")))
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).or_else(|| {
            self.map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v)
        })
    }

    /// The value as text: strings as they are, numbers and booleans written out, null empty.
    pub fn text(&self, key: &str) -> String {
        match self.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    pub fn id(&self, key: &str) -> Parsed<i64> {
        self.opt_int(key)?
            .ok_or_else(|| ModelError(format!("`{key}` is missing")))
    }

    pub fn int(&self, key: &str) -> Parsed<i64> {
        Ok(self.opt_int(key)?.unwrap_or(0))
    }

    pub fn opt_int(&self, key: &str) -> Parsed<Option<i64>> {
        match self.get(key) {
            Some(Value::Number(n)) => {
                Ok(n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)))
            }
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .or_else(|_| {
                    // "12.0" or "12,0": an integer written as a decimal.
                    self.culture
                        .parse_decimal(s)
                        .map(|a| Some(a.scaled() / 10_000))
                        .ok_or(())
                })
                .map_err(|()| ModelError(format!("`{key}` is not a whole number: {s:?}"))),
            Some(Value::Null) | None => Ok(None),
            Some(other) => Err(ModelError(format!("`{key}` is not a number: {other}"))),
        }
    }

    pub fn amount(&self, key: &str) -> Parsed<Amount> {
        Ok(self.opt_amount(key)?.unwrap_or(Amount::ZERO))
    }

    pub fn opt_amount(&self, key: &str) -> Parsed<Option<Amount>> {
        match self.get(key) {
            Some(Value::Number(n)) => Amount::parse(&n.to_string())
                .map(Some)
                .map_err(|e| ModelError(format!("`{key}`: {e}"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => self
                .culture
                .parse_decimal(s)
                .map(Some)
                .ok_or_else(|| ModelError(format!("`{key}` is not a decimal: {s:?}"))),
            Some(Value::Null) | None => Ok(None),
            Some(other) => Err(ModelError(format!("`{key}` is not a decimal: {other}"))),
        }
    }

    pub fn bool(&self, key: &str) -> Parsed<bool> {
        match self.get(key) {
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" | "" => Ok(false),
                _ => Err(ModelError(format!("`{key}` is not a boolean: {s:?}"))),
            },
            Some(Value::Number(n)) => Ok(n.as_i64().is_some_and(|v| v != 0)),
            Some(Value::Null) | None => Ok(false),
            Some(other) => Err(ModelError(format!("`{key}` is not a boolean: {other}"))),
        }
    }

    pub fn date(&self, key: &str) -> Parsed<NaiveDate> {
        self.opt_date(key)?
            .ok_or_else(|| ModelError(format!("`{key}` is missing")))
    }

    pub fn opt_date(&self, key: &str) -> Parsed<Option<NaiveDate>> {
        let text = self.text(key);
        if text.trim().is_empty() {
            return Ok(None);
        }
        self.culture
            .parse_date(&text)
            .map(Some)
            .ok_or_else(|| ModelError(format!("`{key}` is not a date: {text:?}")))
    }

    /// Record tags are one space-joined string; vehicle tags a JSON array. Either is accepted.
    pub fn tags(&self, key: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |t: &str| {
            let t = t.trim();
            if !t.is_empty() && !out.iter().any(|o| o == t) {
                out.push(t.to_owned());
            }
        };
        match self.get(key) {
            Some(Value::Array(items)) => {
                for item in items {
                    if let Some(s) = item.as_str() {
                        s.split(' ').for_each(&mut push);
                    }
                }
            }
            Some(Value::String(s)) => s.split(' ').for_each(&mut push),
            _ => {}
        }
        out
    }

    /// Space-joined ids (`equipmentRecordId`), or a JSON array of ids.
    pub fn ids(&self, key: &str) -> Parsed<Vec<i64>> {
        let parse = |s: &str| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ModelError(format!("`{key}` holds a non-id: {s:?}")))
        };
        match self.get(key) {
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::Number(n) => n
                        .as_i64()
                        .ok_or_else(|| ModelError(format!("`{key}` holds a non-id: {n}"))),
                    Value::String(s) => parse(s),
                    other => Err(ModelError(format!("`{key}` holds a non-id: {other}"))),
                })
                .collect(),
            Some(Value::String(s)) => s
                .split([' ', ','])
                .filter(|p| !p.trim().is_empty())
                .map(parse)
                .collect(),
            Some(Value::Number(n)) => Ok(n.as_i64().into_iter().collect()),
            _ => Ok(Vec::new()),
        }
    }

    pub fn extra_fields(&self) -> Vec<ExtraFieldValue> {
        let Some(Value::Array(items)) = self.get("extraFields") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| Row::new(item, self.culture).ok())
            .map(|f| ExtraFieldValue {
                name: f.text("name").trim().to_owned(),
                value: f.text("value").trim().to_owned(),
            })
            .filter(|f| !f.name.is_empty() && !f.value.is_empty())
            .collect()
    }

    pub fn files(&self) -> Vec<SourceFile> {
        let Some(Value::Array(items)) = self.get("files") else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| Row::new(item, self.culture).ok())
            .map(|f| SourceFile {
                name: f.text("name").trim().to_owned(),
                location: f.text("location").trim().to_owned(),
            })
            .filter(|f| !f.location.is_empty())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraFieldValue {
    pub name: String,
    pub value: String,
}

/// `UploadedFiles`: `location` is `/documents/x.ext`, an external URL or `::RecordType:Id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub location: String,
}

/// What every record kind carries besides its own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    pub id: i64,
    pub tags: Vec<String>,
    pub extra_fields: Vec<ExtraFieldValue>,
    pub files: Vec<SourceFile>,
}

impl Common {
    fn read(row: &Row<'_>) -> Parsed<Common> {
        Ok(Common {
            id: row.id("id")?,
            tags: row.tags("tags"),
            extra_fields: row.extra_fields(),
            files: row.files(),
        })
    }
}

/// `/api/vehicles` (typed in both modes, except the odometer adjustment strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    pub id: i64,
    pub image_location: String,
    pub year: i32,
    pub make: String,
    pub model: String,
    pub license_plate: String,
    pub purchase_date: Option<NaiveDate>,
    pub sold_date: Option<NaiveDate>,
    pub purchase_price: Option<Amount>,
    pub sold_price: Option<Amount>,
    pub is_electric: bool,
    pub is_diesel: bool,
    pub use_hours: bool,
    pub odometer_optional: bool,
    pub extra_fields: Vec<ExtraFieldValue>,
    pub tags: Vec<String>,
    pub has_odometer_adjustment: bool,
    pub odometer_multiplier: Amount,
    pub odometer_difference: i64,
    pub vehicle_identifier: String,
}

impl Vehicle {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Vehicle> {
        let row = Row::new(value, culture)?;
        let nonzero = |a: Option<Amount>| a.filter(|a| !a.is_zero());
        let identifier = row.text("vehicleIdentifier");
        Ok(Vehicle {
            id: row.id("id")?,
            image_location: row.text("imageLocation").trim().to_owned(),
            year: i32::try_from(row.int("year")?).unwrap_or(0),
            make: row.text("make"),
            model: row.text("model"),
            license_plate: row.text("licensePlate"),
            // Stored by LubeLogger as strings; an unparsable one is dropped, not fatal.
            purchase_date: row.opt_date("purchaseDate").ok().flatten(),
            sold_date: row.opt_date("soldDate").ok().flatten(),
            purchase_price: nonzero(row.opt_amount("purchasePrice")?),
            sold_price: nonzero(row.opt_amount("soldPrice")?),
            is_electric: row.bool("isElectric")?,
            is_diesel: row.bool("isDiesel")?,
            use_hours: row.bool("useHours")?,
            odometer_optional: row.bool("odometerOptional")?,
            extra_fields: row.extra_fields(),
            tags: row.tags("tags"),
            has_odometer_adjustment: row.bool("hasOdometerAdjustment")?,
            odometer_multiplier: row
                .opt_amount("odometerMultiplier")?
                .unwrap_or(Amount::from_units(1)),
            odometer_difference: row.int("odometerDifference")?,
            vehicle_identifier: if identifier.trim().is_empty() {
                "LicensePlate".to_owned()
            } else {
                identifier
            },
        })
    }
}

/// Service, repair and upgrade records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generic {
    pub common: Common,
    pub date: NaiveDate,
    pub odometer: i64,
    pub description: String,
    pub notes: String,
    pub cost: Amount,
}

impl Generic {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Generic> {
        let row = Row::new(value, culture)?;
        Ok(Generic {
            common: Common::read(&row)?,
            date: row.date("date")?,
            odometer: row.int("odometer")?,
            description: row.text("description"),
            notes: row.text("notes"),
            cost: row.amount("cost")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gas {
    pub common: Common,
    pub date: NaiveDate,
    pub odometer: i64,
    pub fuel_consumed: Amount,
    pub cost: Amount,
    pub is_fill_to_full: bool,
    pub missed_fuel_up: bool,
    pub notes: String,
    /// [>1.6.8] EV state of charge.
    pub starting_soc: Option<i32>,
    pub ending_soc: Option<i32>,
}

impl Gas {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Gas> {
        let row = Row::new(value, culture)?;
        let soc = |key: &str| -> Parsed<Option<i32>> {
            Ok(row.opt_int(key)?.and_then(|v| i32::try_from(v).ok()))
        };
        Ok(Gas {
            common: Common::read(&row)?,
            date: row.date("date")?,
            odometer: row.int("odometer")?,
            fuel_consumed: row.amount("fuelConsumed")?,
            cost: row.amount("cost")?,
            is_fill_to_full: row.bool("isFillToFull")?,
            missed_fuel_up: row.bool("missedFuelUp")?,
            notes: row.text("notes"),
            starting_soc: soc("startingSoc")?,
            ending_soc: soc("endingSoc")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tax {
    pub common: Common,
    pub date: NaiveDate,
    pub description: String,
    pub notes: String,
    pub cost: Amount,
}

impl Tax {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Tax> {
        let row = Row::new(value, culture)?;
        Ok(Tax {
            common: Common::read(&row)?,
            date: row.date("date")?,
            description: row.text("description"),
            notes: row.text("notes"),
            cost: row.amount("cost")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Odometer {
    pub common: Common,
    pub date: NaiveDate,
    pub initial_odometer: i64,
    pub odometer: i64,
    pub notes: String,
    /// Source equipment ids.
    pub equipment_ids: Vec<i64>,
}

impl Odometer {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Odometer> {
        let row = Row::new(value, culture)?;
        Ok(Odometer {
            common: Common::read(&row)?,
            date: row.date("date")?,
            initial_odometer: row.int("initialOdometer")?,
            odometer: row.int("odometer")?,
            notes: row.text("notes"),
            equipment_ids: row.ids("equipmentRecordId")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supply {
    pub common: Common,
    pub date: NaiveDate,
    pub part_number: String,
    pub part_supplier: String,
    pub quantity: Amount,
    pub description: String,
    pub cost: Amount,
    pub notes: String,
}

impl Supply {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Supply> {
        let row = Row::new(value, culture)?;
        Ok(Supply {
            common: Common::read(&row)?,
            date: row.date("date")?,
            part_number: row.text("partNumber"),
            part_supplier: row.text("partSupplier"),
            quantity: row.amount("partQuantity")?,
            description: row.text("description"),
            cost: row.amount("cost")?,
            notes: row.text("notes"),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub common: Common,
    pub description: String,
    pub notes: String,
    /// `ServiceRecord`, `RepairRecord` or `UpgradeRecord`.
    pub record_type: String,
    pub priority: String,
    pub progress: String,
    pub cost: Amount,
}

impl Plan {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Plan> {
        let row = Row::new(value, culture)?;
        Ok(Plan {
            common: Common::read(&row)?,
            description: row.text("description"),
            notes: row.text("notes"),
            record_type: row.text("type"),
            priority: row.text("priority"),
            progress: row.text("progress"),
            cost: row.amount("cost")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub common: Common,
    pub description: String,
    pub notes: String,
    /// The configured metric (`userMetric`; `metric` is the one that matched the urgency).
    pub metric: String,
    pub due_date: Option<NaiveDate>,
    pub due_odometer: Option<i64>,
}

impl Reminder {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Reminder> {
        let row = Row::new(value, culture)?;
        let user_metric = row.text("userMetric");
        let metric = if user_metric.trim().is_empty() {
            row.text("metric")
        } else {
            user_metric
        };
        Ok(Reminder {
            common: Common::read(&row)?,
            description: row.text("description"),
            notes: row.text("notes"),
            metric,
            due_date: row.opt_date("dueDate")?,
            due_odometer: row.opt_int("dueOdometer")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub common: Common,
    pub description: String,
    pub note_text: String,
    pub pinned: bool,
}

impl Note {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Note> {
        let row = Row::new(value, culture)?;
        Ok(Note {
            common: Common::read(&row)?,
            description: row.text("description"),
            note_text: row.text("noteText"),
            pinned: row.bool("pinned")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Equipment {
    pub common: Common,
    pub description: String,
    pub is_equipped: bool,
    pub notes: String,
}

impl Equipment {
    pub fn read(value: &Value, culture: &Culture) -> Parsed<Equipment> {
        let row = Row::new(value, culture)?;
        Ok(Equipment {
            common: Common::read(&row)?,
            description: row.text("description"),
            is_equipped: row.bool("isEquipped")?,
            notes: row.text("notes"),
        })
    }
}

/// One field of `/api/extrafields`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraFieldDefinition {
    /// LubeLogger's `ImportMode` name (`ServiceRecord`, `VehicleRecord`, …).
    pub record_type: String,
    pub name: String,
    pub is_required: bool,
    /// A name (`Text`, `Decimal`) or, from some versions, its integer.
    pub field_type: String,
}

pub fn extra_field_definitions(
    value: &Value,
    culture: &Culture,
) -> Parsed<Vec<ExtraFieldDefinition>> {
    let items = value
        .as_array()
        .ok_or_else(|| ModelError(format!("expected a list of extra fields, got {value}")))?;
    let mut out = Vec::new();
    for item in items {
        let group = Row::new(item, culture)?;
        let record_type = group.text("recordType");
        let Some(Value::Array(fields)) = group.get("extraFields") else {
            continue;
        };
        for field in fields {
            let f = Row::new(field, culture)?;
            let name = f.text("name").trim().to_owned();
            if name.is_empty() {
                continue;
            }
            out.push(ExtraFieldDefinition {
                record_type: record_type.clone(),
                name,
                is_required: f.bool("isRequired")?,
                field_type: f.text("fieldType"),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_each_culture_and_invariant() {
        let us = Culture::new("M/d/yyyy", ".");
        let de = Culture::new("dd.MM.yyyy", ",");
        assert_eq!(us.parse_date("1/3/2026"), Some(d(2026, 1, 3)));
        assert_eq!(us.parse_date("1/3/2026 12:00:00 AM"), Some(d(2026, 1, 3)));
        assert_eq!(de.parse_date("03.01.2026"), Some(d(2026, 1, 3)));
        assert_eq!(de.parse_date("3.1.2026 00:00:00"), Some(d(2026, 1, 3)));
        assert_eq!(de.parse_date("2026-01-03"), Some(d(2026, 1, 3)));
        assert_eq!(us.parse_date("2026-01-03T00:00:00Z"), Some(d(2026, 1, 3)));
        assert_eq!(us.parse_date("13/1/2026"), None);
        assert_eq!(us.parse_date(""), None);
    }

    #[test]
    fn decimals_with_either_separator() {
        let de = Culture::new("dd.MM.yyyy", ",");
        let us = Culture::default();
        assert_eq!(
            de.parse_decimal("45,50"),
            Some(Amount::parse("45.5").unwrap())
        );
        assert_eq!(
            de.parse_decimal("1.234,5"),
            Some(Amount::parse("1234.5").unwrap())
        );
        assert_eq!(
            us.parse_decimal("1,234.5"),
            Some(Amount::parse("1234.5").unwrap())
        );
        assert_eq!(us.parse_decimal("x"), None);
    }

    #[test]
    fn rows_read_strings_and_typed_values_alike() {
        let de = Culture::new("dd.MM.yyyy", ",");
        let strings = json!({"vehicleId":"1","id":"7","date":"03.01.2026","odometer":"1200",
            "description":"Oil","notes":"","cost":"45,50","tags":"a b a",
            "extraFields":[{"name":"Shop","value":"Bob","isRequired":"False","fieldType":"0"}],
            "files":[{"name":"r.pdf","location":"/documents/r.pdf","isPending":"False"}]});
        let typed = json!({"vehicleId":1,"id":7,"date":"2026-01-03","odometer":1200,
            "description":"Oil","notes":"","cost":45.5,"tags":"a b",
            "extraFields":[{"name":"Shop","value":"Bob","isRequired":false,"fieldType":0}],
            "files":[{"name":"r.pdf","location":"/documents/r.pdf","isPending":false}]});
        let a = Generic::read(&strings, &de).unwrap();
        let b = Generic::read(&typed, &de).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.cost, Amount::parse("45.5").unwrap());
        assert_eq!(a.common.tags, vec!["a", "b"]);
        let odo = Odometer::read(
            &json!({"id":"3","date":"1/3/2026","initialOdometer":"","odometer":"10","equipmentRecordId":"4 9"}),
            &Culture::default(),
        )
        .unwrap();
        assert_eq!(odo.equipment_ids, vec![4, 9]);
        assert_eq!(odo.initial_odometer, 0);
    }
}
