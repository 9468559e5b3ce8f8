//! SeaORM entities, hand-written with portable types (see docs/schema.md).

pub mod fuel_record;
pub mod record_tag;
pub mod session;
pub mod user;
pub mod user_settings;
pub mod vehicle;
pub mod vehicle_collaborator;
