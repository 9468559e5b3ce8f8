//! Server-side rules over the store: who may do what, transactions, and conversions to the
//! shared DTOs. HTTP handlers stay thin and call these.

pub mod accounts;
pub mod attachments;
pub mod fuel;
pub mod maintenance;
pub mod notes;
pub mod odometer;
pub mod reminders;
pub mod tax;
pub mod vehicles;
