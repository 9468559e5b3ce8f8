//! `/api/v1/vehicles/{vehicleId}/service-records`, `/repair-records` and `/upgrade-records`.
//! The three kinds share every handler body; a macro stamps out one set of routes per kind so
//! each path is a literal that actix and utoipa both see.

use actix_web::{HttpResponse, web};
use motovault_shared::dto::maintenance::{
    BulkEditMaintenance, BulkEditResult, MaintenanceKind, MaintenanceRecord,
    MaintenanceRecordInput, MaintenanceRecordList, MoveMaintenanceRecord,
};
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use crate::auth::Caller;
use crate::domain::maintenance;
use crate::error::AppResult;
use crate::events::payload::maintenance_entity;
use crate::events::{Change, Op};
use crate::state::AppState;

async fn list(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<MaintenanceRecordList>> {
    Ok(web::Json(
        maintenance::list(&state.db, &caller, id.vehicle(), kind).await?,
    ))
}

async fn create(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: MaintenanceRecordInput,
) -> AppResult<HttpResponse> {
    let created = maintenance::create(
        &state.db,
        &caller,
        id.vehicle(),
        kind,
        body,
        state.settings.supplies.shop_enabled,
    )
    .await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

async fn get(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<MaintenanceRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        maintenance::get(&state.db, &caller, vehicle, kind, record).await?,
    ))
}

async fn update(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: MaintenanceRecordInput,
) -> AppResult<web::Json<MaintenanceRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = maintenance::update(&state.db, &caller, vehicle, kind, record, body).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

async fn remove(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    maintenance::delete(
        &state.db,
        state.objects.as_ref(),
        &caller,
        vehicle,
        kind,
        record,
        // The restoration entry is dated today, in UTC like every server date.
        chrono::Utc::now().date_naive(),
    )
    .await?;
    let entity = maintenance_entity(kind);
    state
        .hub
        .publish(Change::bare(
            &caller,
            entity,
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

async fn move_to(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: MoveMaintenanceRecord,
) -> AppResult<web::Json<MaintenanceRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let moved = maintenance::move_to(&state.db, &caller, vehicle, kind, record, body.to).await?;
    // Gone from one list, new in another.
    let entity = maintenance_entity(kind);
    state
        .hub
        .publish(Change::bare(
            &caller,
            entity,
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &moved))
        .await;
    Ok(web::Json(moved))
}

async fn bulk_edit(
    kind: MaintenanceKind,
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: BulkEditMaintenance,
) -> AppResult<web::Json<BulkEditResult>> {
    let edited = maintenance::bulk_edit(&state.db, &caller, id.vehicle(), kind, body).await?;
    let entity = maintenance_entity(kind);
    let change = Change::bulk(
        &caller,
        entity,
        Op::Update,
        id.vehicle(),
        edited.records.len(),
    );
    state.hub.publish(change).await;
    Ok(web::Json(edited))
}

macro_rules! kind_routes {
    ($module:ident, $kind:expr, $tag:literal, $collection:literal, $item:literal, $move:literal, $bulk:literal) => {
        pub mod $module {
            use actix_web::{HttpResponse, delete, get, post, put, web};
            use motovault_shared::dto::maintenance::{
                BulkEditMaintenance, BulkEditResult, MaintenanceRecord, MaintenanceRecordInput,
                MaintenanceRecordList, MoveMaintenanceRecord,
            };
            use motovault_shared::problem::Problem;

            use super::MaintenanceKind;
            use crate::http::json::ValidJson;
            use crate::http::path::Id;
            use crate::auth::Caller;
            use crate::error::AppResult;
            use crate::state::AppState;

            /// The vehicle's records of this kind, newest first, with their total cost.
            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path)),
                responses((status = 200, body = MaintenanceRecordList), (status = 404, body = Problem))
            )]
            #[get($collection)]
            pub async fn list(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
            ) -> AppResult<web::Json<MaintenanceRecordList>> {
                super::list($kind, state, caller, id).await
            }

            /// Adds a record; with `enableAutoOdometerInsert` on and a non-zero odometer, an
            /// odometer record is added in the same transaction (reference §3.3).
            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path)),
                request_body = MaintenanceRecordInput,
                responses((status = 201, body = MaintenanceRecord), (status = 404, body = Problem), (status = 422, body = Problem))
            )]
            #[post($collection)]
            pub async fn create(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
                body: ValidJson<MaintenanceRecordInput>,
            ) -> AppResult<HttpResponse> {
                super::create($kind, state, caller, id, body.0).await
            }

            /// Sets tags and/or notes of many records at once: `---` clears, omitted keeps.
            /// Every id must be a record of this vehicle and kind (else 404, nothing changes).
            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path)),
                request_body = BulkEditMaintenance,
                responses((status = 200, body = BulkEditResult), (status = 404, body = Problem), (status = 422, body = Problem))
            )]
            #[post($bulk)]
            pub async fn bulk_edit(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
                body: ValidJson<BulkEditMaintenance>,
            ) -> AppResult<web::Json<BulkEditResult>> {
                super::bulk_edit($kind, state, caller, id, body.0).await
            }

            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
                responses((status = 200, body = MaintenanceRecord), (status = 404, body = Problem))
            )]
            #[get($item)]
            pub async fn get(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
            ) -> AppResult<web::Json<MaintenanceRecord>> {
                super::get($kind, state, caller, id).await
            }

            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
                request_body = MaintenanceRecordInput,
                responses((status = 200, body = MaintenanceRecord), (status = 404, body = Problem), (status = 422, body = Problem))
            )]
            #[put($item)]
            pub async fn update(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
                body: ValidJson<MaintenanceRecordInput>,
            ) -> AppResult<web::Json<MaintenanceRecord>> {
                super::update($kind, state, caller, id, body.0).await
            }

            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
                responses((status = 204), (status = 404, body = Problem))
            )]
            #[delete($item)]
            pub async fn remove(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
            ) -> AppResult<HttpResponse> {
                super::remove($kind, state, caller, id).await
            }

            /// Moves the record to another kind (`{"to": "repair"}`); its tags follow it.
            #[utoipa::path(
                tag = $tag,
                params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
                request_body = MoveMaintenanceRecord,
                responses((status = 200, body = MaintenanceRecord), (status = 404, body = Problem), (status = 422, body = Problem))
            )]
            #[post($move)]
            pub async fn move_to(
                state: web::Data<AppState>,
                caller: Caller,
                id: Id,
                body: ValidJson<MoveMaintenanceRecord>,
            ) -> AppResult<web::Json<MaintenanceRecord>> {
                super::move_to($kind, state, caller, id, body.0).await
            }
        }
    };
}

kind_routes!(
    service,
    MaintenanceKind::Service,
    "service",
    "/api/v1/vehicles/{vehicleId}/service-records",
    "/api/v1/vehicles/{vehicleId}/service-records/{recordId}",
    "/api/v1/vehicles/{vehicleId}/service-records/{recordId}/move",
    "/api/v1/vehicles/{vehicleId}/service-records/bulk-edit"
);
kind_routes!(
    repair,
    MaintenanceKind::Repair,
    "repair",
    "/api/v1/vehicles/{vehicleId}/repair-records",
    "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}",
    "/api/v1/vehicles/{vehicleId}/repair-records/{recordId}/move",
    "/api/v1/vehicles/{vehicleId}/repair-records/bulk-edit"
);
kind_routes!(
    upgrade,
    MaintenanceKind::Upgrade,
    "upgrade",
    "/api/v1/vehicles/{vehicleId}/upgrade-records",
    "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}",
    "/api/v1/vehicles/{vehicleId}/upgrade-records/{recordId}/move",
    "/api/v1/vehicles/{vehicleId}/upgrade-records/bulk-edit"
);

pub fn register(cfg: &mut ServiceConfig) {
    // `bulk-edit` before `{recordId}` so the literal segment is never read as an id.
    cfg.service(service::list)
        .service(service::create)
        .service(service::bulk_edit)
        .service(service::get)
        .service(service::update)
        .service(service::remove)
        .service(service::move_to)
        .service(repair::list)
        .service(repair::create)
        .service(repair::bulk_edit)
        .service(repair::get)
        .service(repair::update)
        .service(repair::remove)
        .service(repair::move_to)
        .service(upgrade::list)
        .service(upgrade::create)
        .service(upgrade::bulk_edit)
        .service(upgrade::get)
        .service(upgrade::update)
        .service(upgrade::remove)
        .service(upgrade::move_to);
}
