//! Which column of an imported file holds which field: LubeLogger's header aliases (reference
//! §5 "Import header aliases"), which also read Fuelly's exports. Headers are trimmed and
//! compared lower-cased; a missing column is simply empty.

use std::collections::HashMap;

/// A field the importer reads, whatever the column is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    Day,
    Month,
    Year,
    Odometer,
    /// Fuel quantity (gallons, litres or kWh).
    Fuel,
    Cost,
    /// Price per unit of fuel (Fuelly): cost = price × fuel when the cost is empty.
    Price,
    Notes,
    Description,
    Partial,
    FillToFull,
    Missed,
    PartNumber,
    PartSupplier,
    PartQuantity,
    InitialOdometer,
    DateCreated,
    DateModified,
    Type,
    Priority,
    Progress,
    Tags,
    IsEquipped,
}

/// The field a (trimmed, lower-cased) header names.
pub fn field_of(header: &str) -> Option<Field> {
    use Field::*;
    Some(match header {
        "date" | "fuelup_date" => Date,
        "day" => Day,
        "month" => Month,
        "year" => Year,
        "odometer" | "odo" => Odometer,
        "gallons" | "liters" | "litres" | "consumption" | "quantity" | "fuelconsumed" | "qty" => {
            Fuel
        }
        "cost" | "total cost" | "totalcost" | "total price" => Cost,
        "price" => Price,
        "notes" | "note" => Notes,
        "description" => Description,
        "partial_fuelup" | "partial tank" | "partial_fill" => Partial,
        "isfilltofull" | "filled up" => FillToFull,
        "missed_fuelup" | "missedfuelup" | "missed fill up" | "missed_fill" => Missed,
        "partnumber" => PartNumber,
        "partsupplier" => PartSupplier,
        "partquantity" => PartQuantity,
        "initialodometer" => InitialOdometer,
        "datecreated" => DateCreated,
        "datemodified" => DateModified,
        "type" => Type,
        "priority" => Priority,
        "progress" => Progress,
        "tags" => Tags,
        "isequipped" => IsEquipped,
        _ => return None,
    })
}

const EXTRA_FIELD_PREFIX: &str = "extrafield_";

/// The header row resolved: where each field is, and the extra-field columns by name.
#[derive(Debug, Default)]
pub struct Columns {
    fields: HashMap<Field, usize>,
    /// `(name as written after the prefix, column)`, in file order.
    pub extra_fields: Vec<(String, usize)>,
}

impl Columns {
    /// The first column that names a field wins; unknown columns are ignored.
    pub fn from_headers<'a>(headers: impl IntoIterator<Item = &'a str>) -> Columns {
        let mut columns = Columns::default();
        for (i, raw) in headers.into_iter().enumerate() {
            let trimmed = raw.trim().trim_start_matches('\u{feff}').trim();
            let lower = trimmed.to_lowercase();
            if lower.starts_with(EXTRA_FIELD_PREFIX) {
                // The prefix is ASCII, so its length is a char boundary of `trimmed` too.
                let name = trimmed[EXTRA_FIELD_PREFIX.len()..].trim();
                if !name.is_empty() && !columns.extra_fields.iter().any(|(n, _)| n == name) {
                    columns.extra_fields.push((name.to_owned(), i));
                }
            } else if let Some(field) = field_of(&lower) {
                columns.fields.entry(field).or_insert(i);
            }
        }
        columns
    }

    pub fn index(&self, field: Field) -> Option<usize> {
        self.fields.get(&field).copied()
    }

    pub fn has(&self, field: Field) -> bool {
        self.fields.contains_key(&field)
    }
}

/// The header of an exported extra-field column.
pub fn extra_field_header(name: &str) -> String {
    format!("{EXTRA_FIELD_PREFIX}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_of_the_reference_names_its_field() {
        use Field::*;
        let table: &[(&str, Field)] = &[
            ("date", Date),
            ("fuelup_date", Date),
            ("day", Day),
            ("month", Month),
            ("year", Year),
            ("odometer", Odometer),
            ("odo", Odometer),
            ("gallons", Fuel),
            ("liters", Fuel),
            ("litres", Fuel),
            ("consumption", Fuel),
            ("quantity", Fuel),
            ("fuelconsumed", Fuel),
            ("qty", Fuel),
            ("cost", Cost),
            ("total cost", Cost),
            ("totalcost", Cost),
            ("total price", Cost),
            ("price", Price),
            ("notes", Notes),
            ("note", Notes),
            ("description", Description),
            ("partial_fuelup", Partial),
            ("partial tank", Partial),
            ("partial_fill", Partial),
            ("isfilltofull", FillToFull),
            ("filled up", FillToFull),
            ("missed_fuelup", Missed),
            ("missedfuelup", Missed),
            ("missed fill up", Missed),
            ("missed_fill", Missed),
            ("partnumber", PartNumber),
            ("partsupplier", PartSupplier),
            ("partquantity", PartQuantity),
            ("initialodometer", InitialOdometer),
            ("datecreated", DateCreated),
            ("datemodified", DateModified),
            ("type", Type),
            ("priority", Priority),
            ("progress", Progress),
            ("tags", Tags),
            ("isequipped", IsEquipped),
        ];
        for (header, field) in table {
            assert_eq!(field_of(header), Some(*field), "{header}");
        }
        assert_eq!(field_of("mpg"), None);
        assert_eq!(field_of("fueleconomy"), None);
    }

    #[test]
    fn headers_are_trimmed_and_case_blind_and_the_first_column_wins() {
        // A Fuelly export: ` Odometer` with a space, `fuelup_date`, price per gallon.
        let columns = Columns::from_headers([
            "\u{feff}car_name",
            " Odometer",
            "GALLONS",
            "Price",
            "fuelup_date",
            "odo",
            "ExtraField_Tyre Brand",
            "extrafield_Tyre Brand",
        ]);
        assert_eq!(columns.index(Field::Odometer), Some(1));
        assert_eq!(columns.index(Field::Fuel), Some(2));
        assert_eq!(columns.index(Field::Price), Some(3));
        assert_eq!(columns.index(Field::Date), Some(4));
        assert!(!columns.has(Field::Cost));
        assert_eq!(columns.extra_fields, vec![("Tyre Brand".to_owned(), 6)]);
        assert_eq!(extra_field_header("Tyre Brand"), "extrafield_Tyre Brand");
    }
}
