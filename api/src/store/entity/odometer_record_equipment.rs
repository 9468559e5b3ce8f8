//! `odometer_record_equipment`: which equipment an odometer record's distance counts for.
//! Both sides cascade on delete.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "odometer_record_equipment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub odometer_record_id: i64,
    pub equipment_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
