//! HTTP: thin handlers over `domain`, one module per resource. Handlers are registered with
//! `utoipa_actix_web` so the OpenAPI document is built from the very routes that are served.

pub mod accounts;
pub mod api_keys;
pub mod attachments;
pub mod backup;
pub mod calendar;
pub mod collaborators;
pub mod csv;
pub mod dashboard;
pub mod equipment;
pub mod events;
pub mod extra_fields;
pub mod fuel;
pub mod health;
pub mod households;
pub mod inspections;
pub mod json;
pub mod kiosk;
pub mod maintenance;
pub mod me;
pub mod notes;
pub mod odometer;
pub mod oidc;
pub mod openapi;
pub mod path;
pub mod plans;
pub mod registration;
pub mod registration_tokens;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod security_headers;
pub mod spa;
pub mod stickers;
pub mod summary;
pub mod supplies;
pub mod tax;
pub mod users;
pub mod vehicles;

use utoipa_actix_web::service_config::ServiceConfig;

/// Every `/api/v1` route. Anything registered here appears in `/api/v1/openapi.json`.
/// Handlers carry their full path (no actix scope) so `/api/v1/openapi.json` and unknown
/// `/api/v1/*` paths reach the app's own handlers instead of a scope's dead end.
pub fn api_v1(cfg: &mut ServiceConfig) {
    // First: `…/{recordType}/export.csv` must win over `…/{collection}/{recordId}`.
    csv::register(cfg);
    cfg.service(accounts::setup_status)
        .service(accounts::setup)
        .service(accounts::login)
        .service(accounts::logout)
        .service(accounts::me)
        .service(accounts::get_settings)
        .service(accounts::put_settings)
        .service(vehicles::list)
        .service(vehicles::create)
        .service(vehicles::get)
        .service(vehicles::update)
        .service(vehicles::remove)
        .service(fuel::list)
        .service(fuel::create)
        .service(fuel::get)
        .service(fuel::update)
        .service(fuel::remove);
    maintenance::register(cfg);
    odometer::register(cfg);
    oidc::register(cfg);
    tax::register(cfg);
    reminders::register(cfg);
    notes::register(cfg);
    attachments::register(cfg);
    supplies::register(cfg);
    plans::register(cfg);
    equipment::register(cfg);
    inspections::register(cfg);
    extra_fields::register(cfg);
    summary::register(cfg);
    api_keys::register(cfg);
    collaborators::register(cfg);
    households::register(cfg);
    users::register(cfg);
    registration_tokens::register(cfg);
    registration::register(cfg);
    me::register(cfg);
    backup::register(cfg);
    events::register(cfg);
    dashboard::register(cfg);
    reports::register(cfg);
    search::register(cfg);
    calendar::register(cfg);
    kiosk::register(cfg);
    stickers::register(cfg);
}
