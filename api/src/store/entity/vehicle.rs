//! `vehicles` (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vehicles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i32,
    pub make: String,
    pub model: String,
    pub license_plate: String,
    pub fuel_type: String,
    pub purchase_date: Option<Date>,
    pub sold_date: Option<Date>,
    /// Amounts are ten-thousandths (`motovault_shared::Amount`).
    pub purchase_price: Option<i64>,
    pub sold_price: Option<i64>,
    pub use_hours: bool,
    pub odometer_optional: bool,
    pub has_odometer_adjustment: bool,
    pub odometer_multiplier: i64,
    pub odometer_difference: i64,
    pub vehicle_identifier: String,
    pub image_key: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub map_location: Option<String>,
    pub dashboard_metrics: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
