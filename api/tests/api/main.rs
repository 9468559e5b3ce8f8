#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One integration test binary: the real server over HTTP. Runs on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (a fresh database per test).

mod accounts;
mod attachments;
mod binary;
mod fuel;
mod health;
mod helpers;
mod maintenance;
mod notes;
mod odometer;
mod openapi;
mod reminders;
mod robustness;
mod spa;
mod tax;
mod vehicles;
