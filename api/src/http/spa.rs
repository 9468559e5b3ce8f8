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

/// CSP sources (`'sha256-…'`) of the inline scripts of the built `index.html` (Trunk injects one
/// module script that loads the wasm), so the policy can allow exactly them instead of
/// `'unsafe-inline'`. Empty without a build.
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    std::fs::read_to_string(dist.join("index.html"))
        .map(|html| inline_scripts(&html).iter().map(|s| csp_hash(s)).collect())
        .unwrap_or_default()
}

/// The bodies of `<script>` elements without `src`, as the browser sees them.
fn inline_scripts(html: &str) -> Vec<String> {
    // Tags are ASCII, so offsets found in the lowercased copy are valid in the original.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| from + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| tag_end + i) else {
            break;
        };
        let tag = &lower[start + "<script".len()..tag_end];
        let has_src = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr.starts_with("src=") || attr == "src");
        if !has_src {
            // The HTML parser turns CRLF and lone CR into LF before the browser hashes.
            let body = html[tag_end + 1..close]
                .replace("\r\n", "\n")
                .replace('\r', "\n");
            scripts.push(body);
        }
        from = close;
    }
    scripts
}

fn csp_hash(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<html><head>\
            <script type=\"module\">\r\nimport init from '/app.js';\r\nawait init();\r\n</script>\
            <SCRIPT src=\"/x.js\"></SCRIPT>\
            <script defer src='/y.js'></script>\
            <script>alert(1)</script>\
            </head></html>";
        let scripts = inline_scripts(html);
        assert_eq!(
            scripts,
            vec![
                "\nimport init from '/app.js';\nawait init();\n".to_owned(),
                "alert(1)".to_owned()
            ]
        );
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            csp_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        assert!(inline_script_hashes(Path::new("/nonexistent")).is_empty());
    }
}
