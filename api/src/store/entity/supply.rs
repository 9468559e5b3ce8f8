//! `supplies` (see docs/schema.md): a vehicle's supplies, or shop supplies (`vehicle_id` NULL).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// NULL = a shop supply, shared by every vehicle.
    pub vehicle_id: Option<i64>,
    pub date: Date,
    pub part_number: String,
    pub supplier: String,
    pub description: String,
    /// Ten-thousandths, as every amount.
    pub quantity: i64,
    /// Value of what remains, ten-thousandths.
    pub cost: i64,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
