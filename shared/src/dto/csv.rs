//! CSV import of records (reference §5): what the preview and the import answer.

use serde::{Deserialize, Serialize};

use crate::dto::FuelRecordInput;
use crate::dto::equipment::EquipmentInput;
use crate::dto::extra_fields::ExtraFieldValueInput;
use crate::dto::maintenance::MaintenanceRecordInput;
use crate::dto::odometer::OdometerRecordInput;
use crate::dto::plans::PlanInput;
use crate::dto::supplies::SupplyInput;
use crate::dto::tax::TaxRecordInput;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The record collections that import and export CSV, as their path segment.
pub const CSV_RECORD_TYPES: [&str; 9] = [
    "service-records",
    "repair-records",
    "upgrade-records",
    "fuel-records",
    "odometer-records",
    "tax-records",
    "supplies",
    "plans",
    "equipment",
];

/// One parsed row, as the collection's create body. Each variant has a field the others lack
/// (`odometer`+`description`, `fuelConsumed`, `initialOdometer`, `isRecurring`, `partNumber`,
/// `recordKind`, `isEquipped`), so the untagged form reads back unambiguously.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(untagged)]
pub enum CsvRecord {
    Maintenance(MaintenanceRecordInput),
    Fuel(FuelRecordInput),
    Odometer(OdometerRecordInput),
    Tax(TaxRecordInput),
    Supply(SupplyInput),
    Plan(PlanInput),
    Equipment(EquipmentInput),
}

/// A row of the file that will be (or was) imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CsvRow {
    /// Line of the file where the row starts (the header is line 1).
    pub line: u64,
    pub record: CsvRecord,
    /// The row's `extrafield_{Name}` columns that have a value.
    #[serde(default)]
    pub extra_fields: Vec<ExtraFieldValueInput>,
}

/// Why a line cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CsvLineError {
    pub line: u64,
    /// The record field (camelCase) or the CSV column at fault; empty for the whole line.
    pub field: String,
    pub message: String,
}

/// The answer of `POST …/{recordType}/import`: with `dryRun=true` a preview that writes nothing;
/// otherwise every row was written in one transaction (a file with errors answers 422 and
/// writes nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CsvImportResult {
    pub dry_run: bool,
    /// Records written (0 for a dry run).
    pub imported: u64,
    pub rows: Vec<CsvRow>,
    /// Lines left out on purpose (fuel rows whose fuel is 0 or less, as LubeLogger does).
    #[serde(default)]
    pub skipped_lines: Vec<u64>,
    #[serde(default)]
    pub errors: Vec<CsvLineError>,
}
