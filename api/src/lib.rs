//! MotoVaultPro server: the library behind the `motovault` binary, so tests start the real app.

pub mod app;
pub mod auth;
pub mod backup;
pub mod compat;
pub mod config;
pub mod csv;
pub mod domain;
pub mod error;
pub mod events;
pub mod http;
pub mod import;
pub mod infra;
pub mod jobs;
pub mod metrics;
pub mod state;
pub mod store;
pub mod telemetry;

pub use app::Application;
pub use config::Settings;
