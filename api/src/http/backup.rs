//! `GET /api/v1/admin/backup` (root only): the whole backup archive (docs/backup-format.md) as a
//! download. Allowed to the root's session, or to a root API key with the Manager role (for
//! scheduled backups): the archive holds every row, password hashes included, so nobody else
//! gets it.

use actix_files::NamedFile;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Utc;
use motovault_shared::dto::access::Role;
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::auth::caller::Credential;
use crate::backup;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(download);
}

/// Every table and every stored file in one zip, named `db_backup_<UTC time>.zip`; restore it
/// with `motovault restore --input FILE`.
#[utoipa::path(
    tag = "admin",
    responses(
        (status = 200, description = "The backup archive", content_type = "application/zip", body = Vec<u8>),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "Not the root administrator (or a root API key below Manager)"),
    )
)]
#[get("/api/v1/admin/backup")]
pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<HttpResponse> {
    if !caller.user.is_root {
        return Err(AppError::Forbidden(
            "only the root administrator can download backups".into(),
        ));
    }
    if let Credential::ApiKey { role, .. } = caller.credential
        && role != Role::Manager
    {
        return Err(AppError::Forbidden(
            "downloading a backup needs a Manager API key".into(),
        ));
    }
    let name = backup::archive_name(Utc::now());
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(AppError::internal)?;
    // A private name: two downloads in the same second do not share a file.
    let path = crate::compat::admin::temp_dir(&state)
        .join(format!("download-{}-{name}", hex::encode(nonce)));
    backup::write(&state.db, state.objects.as_ref(), &path).await?;
    // Open, then unlink: the response streams from the open file and nothing is left behind.
    let file = web::block(move || {
        let file = std::fs::File::open(&path)?;
        std::fs::remove_file(&path)?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let named = NamedFile::from_file(file, &name).map_err(AppError::internal)?;
    Ok(zip_attachment(named, name, &req))
}

/// A backup archive as an `application/zip` download named `name` (also LubeLogger's
/// `/api/makebackup?output=download`).
pub(crate) fn zip_attachment(file: NamedFile, name: String, req: &HttpRequest) -> HttpResponse {
    file.set_content_type(
        "application/zip"
            .parse()
            .unwrap_or(actix_web::mime::APPLICATION_OCTET_STREAM),
    )
    .set_content_disposition(header::ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![header::DispositionParam::Filename(name)],
    })
    // A zip is compressed already: `identity` keeps the `Compress` middleware from gzipping it
    // again, which would cost CPU for nothing and drop the Content-Length the web app's
    // download progress reads.
    .set_content_encoding(header::ContentEncoding::Identity)
    .into_response(req)
}
