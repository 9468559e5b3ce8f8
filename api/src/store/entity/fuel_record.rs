//! `fuel_records` (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fuel_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub date: Date,
    pub odometer: i64,
    /// Ten-thousandths, as every amount.
    pub fuel_consumed: i64,
    pub cost: i64,
    pub is_fill_to_full: bool,
    pub missed_fuel_up: bool,
    pub starting_soc: Option<i32>,
    pub ending_soc: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
