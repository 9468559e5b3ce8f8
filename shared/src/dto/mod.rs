//! JSON bodies of the native `/api/v1` API (camelCase on the wire), one module per resource.

mod core;

pub mod access;
pub mod users;

pub mod attachments;
pub mod calendar;
pub mod csv;
pub mod dashboard;
pub mod equipment;
pub mod extra_fields;
pub mod inspections;
pub mod kiosk;
pub mod maintenance;
pub mod notes;
pub mod odometer;
pub mod plans;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod stickers;
pub mod summary;
pub mod supplies;
pub mod tax;

pub use self::core::*;
