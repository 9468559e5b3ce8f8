//! The LubeLogger-compatible REST API (reference §4) under `/api/*`, beside `/api/v1`: an
//! adapter that reads LubeLogger's requests, calls the same domain functions as the native
//! API, and answers in LubeLogger's shapes. None of it is in the OpenAPI document.
//!
//! Layout: `auth` (who is calling), `input` + `culture` (what they sent), `output` + `error`
//! (what they get back), `parts` (extra fields and files of records), then one module per group
//! of endpoints, each with a `register`. Later groups (documents, calendar, reminder e-mails,
//! backups, temp files, clean-up, recurring tax check) add a module and a line in [`routes`].
//! Paths LubeLogger does not have fall through to the app's 404 for `/api/*`.

pub mod admin;
pub mod auth;
pub mod calendar;
pub mod culture;
pub mod docs;
pub mod documents;
pub mod error;
pub mod input;
pub mod output;
pub mod parts;
pub mod records;
pub mod reminders_mail;
pub mod vehicles;
pub mod ws;

use actix_web::web;

use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    vehicles::register(cfg);
    records::register(cfg);
    documents::register(cfg);
    calendar::register(cfg);
    reminders_mail::register(cfg);
    admin::register(cfg);
    ws::register(cfg);
    docs::register(cfg);
}

/// The configured server culture (checked at start-up, so the default is never used).
pub fn culture(state: &AppState) -> culture::Culture {
    culture::Culture::parse(&state.settings.compat.locale).unwrap_or_default()
}
