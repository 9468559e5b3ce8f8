//! MotoVaultPro server: the library behind the `motovault` binary, so tests start the real app.

pub mod app;
pub mod auth;
pub mod compat;
pub mod config;
pub mod domain;
pub mod error;
pub mod http;
pub mod infra;
pub mod state;
pub mod store;
pub mod telemetry;

pub use app::Application;
pub use config::Settings;
