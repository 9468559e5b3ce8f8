//! `supply_usages` (see docs/schema.md): one requisition or restoration of a supply, named on
//! the supply (`supply_id`) and on the consuming record (`record_type` + `record_id`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supply_usages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub supply_id: i64,
    /// The consuming record's vehicle.
    pub vehicle_id: Option<i64>,
    pub record_type: String,
    /// NULL once the consuming record is gone (restorations keep the history).
    pub record_id: Option<i64>,
    pub date: Date,
    pub description: String,
    pub part_number: String,
    /// Ten-thousandths; negative = a restoration.
    pub quantity: i64,
    pub cost: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
