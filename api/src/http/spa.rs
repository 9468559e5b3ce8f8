//! The web app: static files from the Trunk build, and `index.html` for client-side routes so
//! deep links survive a reload.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_files::{Files, NamedFile};
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentEncoding, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{HttpResponse, guard, web};

use crate::error::AppError;

/// Registers the built web app for GET and HEAD. Without a build, [`fallback`] explains.
pub fn configure(cfg: &mut web::ServiceConfig, dist: &Path) {
    let index = dist.join("index.html");
    if !index.is_file() {
        return;
    }
    let root = Arc::new(dist.to_path_buf());
    cfg.service(
        // The scope only exists to put the precompressed/caching pre-handler in front of Files.
        web::scope("")
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| {
                let root = root.clone();
                async move { static_asset(&root, req, next).await }
            }))
            .service(
                Files::new("/", dist)
                    .index_file("index.html")
                    .use_etag(true)
                    .use_last_modified(true)
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let index = index.clone();
                        async move { spa_fallback(req, index).await }
                    })),
            ),
    );
}

/// Hashed bundle files never change under their name: caches (browsers, a CDN) keep them a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// In front of `Files`: answers a `.br`/`.gz` sibling made at build time when the client accepts
/// it (actix-files cannot), and sets `Cache-Control` by name: immutable for hashed files,
/// `no-cache` for the shell so a new release is picked up.
async fn static_asset(
    root: &Path,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(relative) = asset_path(req.path()) else {
        return next.call(req).await;
    };
    let original = root.join(&relative);
    if !original.is_file() {
        // Deep links and missing files: the fallback decides (shell or 404).
        return next.call(req).await;
    }
    let cache = cache_control(&relative);
    let accepted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let siblings = [
        ("br", ContentEncoding::Brotli),
        ("gz", ContentEncoding::Gzip),
    ];
    let precompressed = siblings
        .iter()
        .map(|(ext, enc)| (sibling(&original, ext), *enc))
        .filter(|(path, _)| path.is_file())
        .collect::<Vec<_>>();
    let chosen = precompressed
        .iter()
        .find(|(_, enc)| accepts(accepted, enc.as_str()));
    let mut res = match chosen {
        Some((path, enc)) => {
            let ext = relative.extension().and_then(|e| e.to_str()).unwrap_or("");
            let file = NamedFile::open(path)?
                .set_content_type(actix_files::file_extension_to_mime(ext))
                .set_content_encoding(*enc)
                .disable_content_disposition()
                .use_etag(true)
                .use_last_modified(true);
            let (http_req, _) = req.into_parts();
            let response = file.into_response(&http_req);
            ServiceResponse::new(http_req, response)
        }
        None => next.call(req).await?,
    };
    let headers = res.headers_mut();
    if !precompressed.is_empty() {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(cache) = cache {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    Ok(res.map_into_boxed_body())
}

/// The file a request path names inside the dist folder (`/` is `index.html`), or `None` for
/// anything that is not a plain relative name (dot segments, escapes, percent-encoding: those
/// are left to `Files`, which refuses or decodes them).
fn asset_path(path: &str) -> Option<PathBuf> {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        return Some(PathBuf::from("index.html"));
    }
    let plain = trimmed.split('/').all(|segment| {
        !segment.is_empty()
            && !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    });
    plain.then(|| PathBuf::from(trimmed))
}

fn sibling(original: &Path, ext: &str) -> PathBuf {
    let mut name = original.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// `Cache-Control` for a file of the bundle: a year for Trunk's hashed names, revalidation for
/// the shell, nothing (the client's heuristics) for other files.
fn cache_control(relative: &Path) -> Option<&'static str> {
    let name = relative.file_name()?.to_str()?;
    if name == "index.html" {
        Some("no-cache")
    } else if is_hashed(name) {
        Some(IMMUTABLE)
    } else {
        None
    }
}

/// Trunk's filehash names: `{stem}-{16 hex digits}{_bg}?.{ext}` (`motovault-web-0a1b…_bg.wasm`).
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether an `Accept-Encoding` value accepts `coding` (named or by `*`, with q > 0).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    let mut named = None;
    let mut star = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            named = Some(q);
        } else if name == "*" {
            star = Some(q);
        }
    }
    named.or(star).is_some_and(|q| q > 0.0)
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
    fn trunk_hashed_names_are_immutable_and_the_shell_is_revalidated() {
        let cases = [
            ("motovault-web-0123456789abcdef.js", Some(IMMUTABLE)),
            ("motovault-web-0123456789abcdef_bg.wasm", Some(IMMUTABLE)),
            ("style-fedcba9876543210.css", Some(IMMUTABLE)),
            ("index.html", Some("no-cache")),
            // 15 and 17 digits, not hex, no dash: not Trunk's hash.
            ("app-0123456789abcde.js", None),
            ("app-0123456789abcdef0.js", None),
            ("app-0123456789abcdeg.js", None),
            ("favicon.ico", None),
        ];
        for (name, expected) in cases {
            assert_eq!(cache_control(Path::new(name)), expected, "{name}");
        }
    }

    #[test]
    fn accept_encoding_is_read_with_quality_values() {
        let cases = [
            ("gzip, deflate, br, zstd", "br", true),
            ("gzip, deflate, br, zstd", "gzip", true),
            ("gzip", "br", false),
            ("br;q=0, gzip", "br", false),
            ("BR;q=0.5", "br", true),
            ("*", "br", true),
            ("*;q=0, gzip", "br", false),
            ("*, br;q=0", "br", false),
            ("identity", "gzip", false),
            ("", "gzip", false),
        ];
        for (header, coding, expected) in cases {
            assert_eq!(accepts(header, coding), expected, "{header} / {coding}");
        }
    }

    #[test]
    fn only_plain_relative_names_map_to_files() {
        assert_eq!(asset_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(asset_path("/app-1.js"), Some(PathBuf::from("app-1.js")));
        assert_eq!(asset_path("/a/b.css"), Some(PathBuf::from("a/b.css")));
        for path in [
            "/../etc/passwd",
            "/.env",
            "/a//b",
            "/a%2e%2e/b",
            "/a\\b",
            "/a/./b",
        ] {
            assert_eq!(asset_path(path), None, "{path}");
        }
    }

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
