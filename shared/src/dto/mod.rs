//! JSON bodies of the native `/api/v1` API (camelCase on the wire), one module per resource.

mod core;

pub mod attachments;
pub mod maintenance;
pub mod notes;
pub mod odometer;
pub mod reminders;
pub mod tax;

pub use self::core::*;
