//! `tax_records` (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tax_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub date: Date,
    pub description: String,
    /// Ten-thousandths, as every amount.
    pub cost: i64,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub is_recurring: bool,
    /// Months; 0 = the custom interval.
    pub recurring_interval: i32,
    pub custom_interval: i32,
    /// `months` or `days`.
    pub custom_interval_unit: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
