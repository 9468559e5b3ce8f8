//! One folder per feature.

pub mod admin;
pub mod auth;
pub mod calendar;
pub mod dashboard;
pub mod equipment;
pub mod fuel;
pub mod garage;
pub mod inspections;
pub mod kiosk;
pub mod not_found;
pub mod planner;
pub mod records;
pub mod reports;
pub mod search;
pub mod settings;
pub mod stickers;
pub mod supplies;
pub mod vehicles;
