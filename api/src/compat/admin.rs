//! Housekeeping endpoints of reference §4.3: `GET /api/vehicle/taxrecords/check` (recurring
//! tax back-fill for the caller's vehicles) and, root only, `GET /api/makebackup`,
//! `GET /api/tempfiles`, `GET /api/cleanup`, `GET /api/demo/restore`, plus `GET /temp/{name}`
//! where a kept backup is downloaded. Temp files live in `<data_dir>/tmp` (backups, exports being built).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use chrono::Utc;
use motovault_shared::dto::access::Permission;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::auth::CompatCaller;
use super::error::{CompatError, CompatResult, GENERIC_FAILURE};
use super::input::Bag;
use super::output::{self, J};
use crate::backup;
use crate::domain::tax;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::state::AppState;
use crate::store::attachments::KIND_FILE;
use crate::store::entity::{attachment, vehicle};

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/vehicle/taxrecords/check",
        web::get().to(check_recurring_taxes),
    )
    .route("/api/makebackup", web::get().to(make_backup))
    .route("/api/tempfiles", web::get().to(temp_files))
    .route("/api/cleanup", web::get().to(cleanup))
    .route("/api/demo/restore", web::get().to(restore_demo))
    .route("/temp/{name}", web::get().to(temp_file));
}

/// Where temp files live.
pub fn temp_dir(state: &AppState) -> PathBuf {
    temp_dir_of(&state.settings)
}

pub fn temp_dir_of(settings: &crate::config::Settings) -> PathBuf {
    settings.data_dir.join("tmp")
}

async fn check_recurring_taxes(
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    let today = Utc::now().date_naive();
    let updated = tax::backfill_visible(&state.db, &state.objects, &caller, today).await?;
    Ok(output::ok(&if updated > 0 {
        output::succeed(
            &format!("Recurring Taxes for {updated} Vehicles Updated!"),
            None,
        )
    } else {
        output::succeed("No Recurring Taxes Updated", None)
    }))
}

async fn make_backup(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    who.require_root()?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let mode = bag.text("output").unwrap_or_default().to_ascii_lowercase();
    if !matches!(mode.as_str(), "" | "download" | "email") {
        return Err(CompatError::BadRequest(format!(
            "output must be empty, download or email, not {mode}"
        )));
    }
    let name = backup::archive_name(Utc::now());
    let path = temp_dir(&state).join(&name);
    backup::write(&state.db, state.objects.as_ref(), &path).await?;
    match mode.as_str() {
        "download" => {
            let file = web::block(move || NamedFile::open(path))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            Ok(crate::http::backup::zip_attachment(file, name, &req))
        }
        "email" => {
            let Some(mailer) = &state.mailer else {
                return Err(CompatError::Failed(
                    "SMTP is not configured, the backup was not sent".to_owned(),
                ));
            };
            let Some(to) = who.user.email.clone().filter(|e| !e.trim().is_empty()) else {
                return Err(CompatError::Failed(
                    "The root user has no e-mail address".to_owned(),
                ));
            };
            let bytes = web::block(move || std::fs::read(path))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            let sent = mailer
                .send_with_file(
                    &to,
                    &format!("MotoVaultPro backup {name}"),
                    "Your MotoVaultPro backup is attached.\r\n",
                    &name,
                    "application/zip",
                    bytes,
                )
                .await;
            match sent {
                Ok(()) => Ok(output::ok(&output::succeed(
                    &format!("Backup sent to {to}"),
                    None,
                ))),
                Err(e) => {
                    tracing::warn!(error = %e, "backup e-mail failed");
                    Err(CompatError::Failed(
                        "Backup e-mail failed, Check SMTP Settings".to_owned(),
                    ))
                }
            }
        }
        _ => Ok(output::ok(&J::str(format!("/temp/{name}")))),
    }
}

/// `GET /api/demo/restore` (root): replaces ALL data with the built-in demo dataset
/// (`backup::demo`), keeping the calling root account, its settings, sessions and API keys, so
/// the caller stays signed in; one transaction. As a write reached by GET it needs what any
/// write needs: the CSRF header with the session cookie, Delete (a Manager key) with an API key.
async fn restore_demo(state: web::Data<AppState>, who: CompatCaller) -> CompatResult<HttpResponse> {
    who.require_root()?;
    who.caller(Permission::Delete)?;
    let before = vehicle_ids(&state.db).await?;
    match backup::demo::restore(
        &state.db,
        state.objects.as_ref(),
        &temp_dir(&state),
        who.user.id,
    )
    .await
    {
        Ok(_) => {
            for id in before.into_iter().chain(vehicle_ids(&state.db).await?) {
                state.cache.invalidate_vehicle(id).await;
            }
            Ok(output::ok(&output::succeed("Demo Data Restored", None)))
        }
        Err(e) => {
            tracing::error!(error = %e, "demo restore failed; nothing was changed");
            Err(CompatError::Failed(GENERIC_FAILURE.to_owned()))
        }
    }
}

async fn vehicle_ids(db: &DatabaseConnection) -> AppResult<Vec<i64>> {
    Ok(vehicle::Entity::find()
        .select_only()
        .column(vehicle::Column::Id)
        .into_tuple::<i64>()
        .all(db)
        .await?)
}

/// Regular files directly in the temp dir, sorted; archives still being written are not
/// listed.
fn list_temp(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && !name.ends_with(backup::PARTIAL_SUFFIX) {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

async fn temp_files(state: web::Data<AppState>, who: CompatCaller) -> CompatResult<HttpResponse> {
    who.require_root()?;
    let dir = temp_dir(&state);
    let files = web::block(move || list_temp(&dir))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok(output::ok(&J::Arr(
        files
            .iter()
            .filter_map(|p| p.file_name())
            .map(|n| J::str(format!("/temp/{}", n.to_string_lossy())))
            .collect(),
    )))
}

/// Objects no attachment row and no vehicle image points at.
async fn unreferenced_objects(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
) -> AppResult<Vec<crate::infra::objects::ObjectKey>> {
    let mut used: HashSet<String> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Location)
        .filter(attachment::Column::Kind.eq(KIND_FILE))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    used.extend(
        vehicle::Entity::find()
            .select_only()
            .column(vehicle::Column::ImageKey)
            .filter(vehicle::Column::ImageKey.is_not_null())
            .into_tuple::<Option<String>>()
            .all(db)
            .await?
            .into_iter()
            .flatten(),
    );
    Ok(objects
        .list()
        .await?
        .into_iter()
        .filter(|k| !used.contains(k.as_str()))
        .collect())
}

/// Deletes the finished temp files (`GET /api/cleanup` and the daily job); how many.
pub fn clean_temp(dir: &Path) -> std::io::Result<usize> {
    let mut n = 0;
    for path in list_temp(dir)? {
        match std::fs::remove_file(&path) {
            Ok(()) => n += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

async fn cleanup(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    who.require_root()?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let deep = bag.query_first_bool("deepclean")?;
    let dir = temp_dir(&state);
    let temp_deleted = web::block(move || clean_temp(&dir))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let mut fields = vec![("temp_files_deleted", J::str(temp_deleted.to_string()))];
    if deep {
        let orphans = unreferenced_objects(&state.db, state.objects.as_ref()).await?;
        let mut deleted = 0usize;
        for key in &orphans {
            match state.objects.delete(key).await {
                Ok(()) => deleted += 1,
                Err(e) => tracing::warn!(key = %key, error = %e, "deep clean: delete failed"),
            }
        }
        // No thumbnails are ever generated here, so none can be unlinked.
        fields.push(("unlinked_thumbnails_deleted", J::str("0")));
        fields.push(("unlinked_documents_deleted", J::str(deleted.to_string())));
    }
    Ok(output::ok(&J::Obj(fields)))
}

/// A temp file name as [`list_temp`] shows it: no separators, no leading dot.
fn valid_temp_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with(backup::PARTIAL_SUFFIX)
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

async fn temp_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> HttpResponse {
    let who = match CompatCaller::extract(&req).await {
        Ok(who) => who,
        Err(CompatError::Unauthenticated) => {
            return HttpResponse::Found()
                .insert_header((header::LOCATION, "/login"))
                .finish();
        }
        Err(e) => return e.error_response(),
    };
    if let Err(e) = who.require_root() {
        return e.error_response();
    }
    let name = name.into_inner();
    if !valid_temp_name(&name) {
        return HttpResponse::NotFound().finish();
    }
    let path = temp_dir(&state).join(&name);
    match web::block(move || NamedFile::open(path)).await {
        Ok(Ok(file)) => {
            let file = if name.ends_with(".zip") {
                file.set_content_type(
                    "application/zip"
                        .parse()
                        .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM),
                )
            } else {
                file
            };
            file.set_content_disposition(header::ContentDisposition {
                disposition: header::DispositionType::Attachment,
                parameters: vec![header::DispositionParam::Filename(name)],
            })
            .into_response(&req)
        }
        _ => HttpResponse::NotFound().finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names() {
        assert!(valid_temp_name("db_backup_2026-01-02-03-04-05.zip"));
        for bad in ["", ".hidden", "../x", "a/b", "x.zip.partial", "a\\b"] {
            assert!(!valid_temp_name(bad), "{bad}");
        }
    }
}
