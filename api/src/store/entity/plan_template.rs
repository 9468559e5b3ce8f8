//! `plan_templates` (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// `service`, `repair` or `upgrade`.
    pub record_kind: String,
    /// `critical`, `normal` or `low`.
    pub priority: String,
    /// Ten-thousandths.
    pub cost: i64,
    /// JSON: supplies to requisition and linked reminder ids.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
