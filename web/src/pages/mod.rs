//! One folder per feature.

pub mod auth;
pub mod fuel;
pub mod garage;
pub mod not_found;
pub mod settings;
pub mod vehicles;
