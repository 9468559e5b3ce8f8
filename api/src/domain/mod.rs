//! Server-side rules over the store: who may do what, transactions, and conversions to the
//! shared DTOs. HTTP handlers stay thin and call these.

pub mod accounts;
pub mod api_keys;
pub mod attachments;
pub mod calendar;
pub mod collaborators;
pub mod dashboard;
pub mod equipment;
pub mod extra_fields;
pub mod fuel;
pub mod households;
pub mod inspections;
pub mod kiosk;
pub mod maintenance;
pub mod me;
pub mod notes;
pub mod odometer;
pub mod oidc;
pub mod plans;
pub mod record_parts;
pub mod registration;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod stickers;
pub mod summary;
pub mod supplies;
pub mod tax;
pub mod users;
pub mod vehicles;
