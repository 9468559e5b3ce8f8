//! `attachments` (see docs/schema.md): files and links of any record, named by
//! `record_type` + `record_id`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vehicle_id: i64,
    pub record_type: String,
    pub record_id: i64,
    pub name: String,
    /// `file`, `url` or `record_link`.
    pub kind: String,
    /// The object key (files), the address (links) or `::type:id` (record links).
    pub location: String,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub is_pending: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
