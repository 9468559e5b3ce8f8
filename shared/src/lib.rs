//! Types and pure rules shared by the MotoVaultPro server and its WebAssembly client.
//!
//! This crate must stay free of server-only dependencies (sea-orm, actix, tokio):
//! `.ci/run` builds it for `wasm32-unknown-unknown` and checks its dependency tree.

pub mod amount;
pub mod dto;
pub mod extra_fields;
pub mod fuel;
pub mod odometer;
pub mod plans;
pub mod problem;
pub mod reminders;
pub mod supplies;
pub mod tax;
pub mod units;
pub mod validate;

pub use amount::Amount;
