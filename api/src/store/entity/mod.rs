//! SeaORM entities, hand-written with portable types (see docs/schema.md).

pub mod attachment;
pub mod equipment;
pub mod extra_field_definition;
pub mod extra_field_value;
pub mod fuel_record;
pub mod inspection;
pub mod inspection_template;
pub mod maintenance_record;
pub mod note;
pub mod odometer_record;
pub mod odometer_record_equipment;
pub mod plan_record;
pub mod plan_reminder;
pub mod plan_template;
pub mod record_tag;
pub mod reminder;
pub mod session;
pub mod supply;
pub mod supply_usage;
pub mod tax_record;
pub mod user;
pub mod user_settings;
pub mod vehicle;
pub mod vehicle_collaborator;
