//! The web app: static files from the Trunk build, and `index.html` for client-side routes so
//! deep links survive a reload.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpResponse, guard, web};

use crate::error::AppError;

/// Registers the built web app for GET and HEAD. Without a build, [`fallback`] explains.
pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = dist.join("index.html");
    if !index.is_file() {
        return;
    }
    cfg.service(
        Files::new("/", dist)
            .index_file("index.html")
            .use_etag(true)
            .use_last_modified(true)
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move { spa_fallback(req, index).await }
            })),
    );
}

/// Paths that are never the app shell: the API, probes, and anything that looks like a file.
fn is_not_a_page(path: &str) -> bool {
    let looks_like_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    path.starts_with("/api/") || path == "/api" || path.starts_with("/health/") || looks_like_file
}

async fn spa_fallback(
    req: ServiceRequest,
    index: PathBuf,
) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    // Unknown API paths and missing assets are real 404s, not the app shell.
    if is_not_a_page(req.path()) {
        return Ok(ServiceResponse::from_err(AppError::NotFound, req));
    }
    let file = NamedFile::open(&index)?;
    let mut response = file.into_response(&req);
    // The shell must be revalidated so a new release is picked up; hashed assets may be cached.
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        CacheControl(vec![CacheDirective::NoCache])
            .to_string()
            .parse()
            .map_err(actix_web::error::ErrorInternalServerError)?,
    );
    Ok(ServiceResponse::new(req, response))
}

/// The app's last resort: 404 problem for API paths and other methods, a notice when the web
/// app was not built.
pub async fn fallback(req: actix_web::HttpRequest) -> Result<HttpResponse, AppError> {
    if is_not_a_page(req.path()) || req.method() != actix_web::http::Method::GET {
        return Err(AppError::NotFound);
    }
    tracing::warn!("web app not built; serving the API only");
    Ok(HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(
        "MotoVaultPro API is running, but the web app is not built. Run `trunk build --release` (see README).\n",
    ))
}
