#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One integration test binary: the real server over HTTP. Runs on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (a fresh database per test).

mod accounts;
mod attachments;
mod binary;
mod equipment;
mod extra_fields;
mod fuel;
mod health;
mod helpers;
mod inspections;
mod maintenance;
mod notes;
mod odometer;
mod openapi;
mod plans;
mod reminders;
mod robustness;
mod spa;
mod summary;
mod supplies;
mod tax;
mod vehicles;
