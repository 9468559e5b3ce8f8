#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One integration test binary: the real server over HTTP. Runs on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (a fresh database per test).

mod accounts;
mod api_keys;
mod attachments;
mod authz;
mod binary;
mod collaborators;
mod compat;
mod compat_admin;
mod csv;
mod equipment;
mod extra_fields;
mod fuel;
mod health;
mod helpers;
mod households;
mod import_lubelogger;
mod inspections;
mod maintenance;
mod notes;
mod odometer;
mod oidc;
mod openapi;
mod plans;
mod registration;
mod reminders;
mod robustness;
mod security;
mod smtp;
mod spa;
mod summary;
mod supplies;
mod tax;
mod users;
mod vehicles;
