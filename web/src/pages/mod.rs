//! One folder per feature.

pub mod admin;
pub mod auth;
pub mod equipment;
pub mod fuel;
pub mod garage;
pub mod inspections;
pub mod not_found;
pub mod planner;
pub mod records;
pub mod settings;
pub mod supplies;
pub mod vehicles;
