//! `reminders` (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    #[sea_orm(column_type = "Text")]
    pub notes: String,
    /// `date`, `odometer` or `both`.
    pub metric: String,
    pub due_date: Option<Date>,
    pub due_odometer: Option<i64>,
    pub is_recurring: bool,
    pub fixed_intervals: bool,
    /// Months; 0 = the custom interval.
    pub month_interval: i32,
    /// Distance; 0 = the custom interval.
    pub mileage_interval: i64,
    pub custom_month_interval: i32,
    /// `months` or `days`.
    pub custom_interval_unit: String,
    pub custom_mileage_interval: i64,
    pub use_custom_thresholds: bool,
    pub urgent_days: Option<i32>,
    pub very_urgent_days: Option<i32>,
    pub urgent_distance: Option<i64>,
    pub very_urgent_distance: Option<i64>,
    /// Kept for the notification job (a later feature).
    pub last_notified_urgency: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
