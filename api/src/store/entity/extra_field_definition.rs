//! `extra_field_definitions`: the extra-field template of each record type (see docs/schema.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "extra_field_definitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// One of `motovault_shared::dto::extra_fields::RECORD_TYPES`.
    pub record_type: String,
    pub name: String,
    /// `ExtraFieldType::as_str`.
    pub field_type: String,
    pub is_required: bool,
    /// Position in the template, from 0.
    pub sort_order: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
