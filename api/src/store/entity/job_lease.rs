//! `job_leases` (see docs/schema.md): which replica runs a background job until when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_leases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The job's name; unique, so only one replica can insert the lease.
    pub name: String,
    /// The process that holds it (random per process).
    pub holder: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
