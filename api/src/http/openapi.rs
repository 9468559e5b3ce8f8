//! The OpenAPI document's fixed parts; paths and schemas are collected from the registered
//! handlers by `utoipa_actix_web`.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "MotoVaultPro API",
        description = "Native REST API of MotoVaultPro. Cookie sessions need the `X-CSRF-Token` header on writes; errors are `application/problem+json` (RFC 9457).",
        license(name = "MIT")
    ),
    tags(
        (name = "accounts", description = "First-run setup, sign-in, settings"),
        (name = "vehicles", description = "Vehicles the caller may see"),
        (name = "fuel", description = "Fill-ups and fuel economy"),
        (name = "service", description = "Service records"),
        (name = "repair", description = "Repair records"),
        (name = "upgrade", description = "Upgrade records"),
        (name = "odometer", description = "Odometer readings and distance"),
        (name = "tax", description = "Taxes, registration, insurance; recurring ones are back-filled"),
        (name = "reminders", description = "Reminders by date and/or odometer with urgency"),
        (name = "notes", description = "Notes, pinned first"),
        (name = "attachments", description = "Files and links on records, vehicle images"),
        (name = "extra-fields", description = "Administrator-defined extra fields per record type, and their values"),
        (name = "summary", description = "Per-vehicle totals, reminders and plans at a glance"),
        (name = "supplies", description = "Vehicle and shop supplies; requisition from records"),
        (name = "plans", description = "The planner: plans, templates, and Done turning a plan into a record"),
        (name = "equipment", description = "Equipment and the distance it accumulated"),
        (name = "inspections", description = "Inspection templates and inspections"),
        (name = "csv", description = "CSV import and export per record type, in LubeLogger's columns"),
        (name = "events", description = "Live changes as Server-Sent Events"),
        (name = "reports", description = "Dashboard figures, the cost table and the vehicle history report"),
        (name = "search", description = "Global search across the records the caller may see"),
        (name = "calendar", description = "Reminders by date and the per-user ICS feed"),
        (name = "kiosk", description = "Read-only wall display"),
        (name = "stickers", description = "QR codes for record stickers and add forms"),
    )
)]
pub struct ApiDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
