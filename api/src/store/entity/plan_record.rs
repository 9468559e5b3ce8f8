//! `plan_records`: planner items (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// `service`, `repair` or `upgrade` (`MaintenanceKind::as_str`).
    pub record_kind: String,
    /// `critical`, `normal` or `low`.
    pub priority: String,
    /// `backlog`, `in_progress`, `testing` or `done` (`PlanProgress::as_str`).
    pub progress: String,
    /// Ten-thousandths, as every amount.
    pub cost: i64,
    /// The maintenance record created when the plan was moved to done.
    pub converted_record_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
