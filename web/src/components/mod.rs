//! Widgets shared by the pages.

pub mod alert;
pub mod attachments;
pub mod chart;
pub mod csv_import;
pub mod dialog;
pub mod extra_fields;
pub mod field_error;
pub mod filter;
pub mod icons;
pub mod layout;
pub mod progress;
