#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One integration test binary: the real server over HTTP. Runs on SQLite by default and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (a fresh database per test).

mod accounts;
mod binary;
mod fuel;
mod health;
mod helpers;
mod openapi;
mod robustness;
mod spa;
mod vehicles;
