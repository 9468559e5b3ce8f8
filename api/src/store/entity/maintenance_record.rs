//! `maintenance_records`: service, repair and upgrade records (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "maintenance_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    /// `service`, `repair` or `upgrade` (`MaintenanceKind::as_str`).
    pub kind: String,
    pub date: Date,
    pub odometer: i64,
    pub description: String,
    /// Ten-thousandths, as every amount.
    pub cost: i64,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
