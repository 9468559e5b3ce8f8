//! Security headers on every response: no sniffing, no framing, same-origin referrers, a
//! Content-Security-Policy that lets the wasm app run without `'unsafe-inline'` scripts, and HSTS
//! when the site is served over HTTPS.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{
    CONTENT_SECURITY_POLICY, HeaderMap, HeaderName, HeaderValue, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};

use super::spa;
use crate::config::Settings;

/// Swagger UI (`/api/docs/`) styles its elements inline; it alone gets a relaxed policy.
const DOCS_PREFIX: &str = "/api/docs";
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
/// One year; only sent when `auth.secure_cookies` says the site is HTTPS.
const HSTS: &str = "max-age=31536000";

/// The Content-Security-Policy of the app and the API, allowing the given inline-script hashes.
pub fn app_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    // The wasm is fetched (connect-src) and compiled (wasm-unsafe-eval); images may be
    // data: URLs (the favicon) or blobs (previews); the OIDC sign-in is a top-level navigation,
    // which form-action does not govern.
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )
}

struct Policies {
    app: HeaderValue,
    docs: HeaderValue,
    hsts: bool,
}

/// The middleware; build it with [`SecurityHeaders::from_settings`].
#[derive(Clone)]
pub struct SecurityHeaders {
    policies: Rc<Policies>,
}

impl SecurityHeaders {
    /// Reads the built `index.html` once for its inline-script hashes (a rebuilt web app needs
    /// a restart, as it does for a new server anyway).
    pub fn from_settings(settings: &Settings) -> SecurityHeaders {
        let hashes = spa::inline_script_hashes(&settings.web.dist_dir);
        SecurityHeaders::new(&hashes, settings.auth.secure_cookies)
    }

    pub fn new(script_hashes: &[String], hsts: bool) -> SecurityHeaders {
        // Hashes are base64 and the rest ASCII, so the value is always a valid header; the
        // fallback only guards against a future edit breaking that.
        let app = HeaderValue::from_str(&app_policy(script_hashes))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        SecurityHeaders {
            policies: Rc::new(Policies {
                app,
                docs: HeaderValue::from_static(DOCS_POLICY),
                hsts,
            }),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for SecurityHeaders
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = SecurityHeadersService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(SecurityHeadersService {
            service: Rc::new(service),
            policies: Rc::clone(&self.policies),
        }))
    }
}

pub struct SecurityHeadersService<S> {
    service: Rc<S>,
    policies: Rc<Policies>,
}

impl<S, B> Service<ServiceRequest> for SecurityHeadersService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = Rc::clone(&self.service);
        let policies = Rc::clone(&self.policies);
        let docs = req.path().starts_with(DOCS_PREFIX);
        Box::pin(async move {
            // Handler and routing errors arrive here as responses already. (Keeping a clone of
            // the request to render an `Err` would break actix's routing, which needs it unique.)
            let mut response = service.call(req).await?;
            let csp = if docs { &policies.docs } else { &policies.app };
            apply(response.headers_mut(), csp, policies.hsts);
            Ok(response)
        })
    }
}

/// Adds the headers a handler did not set itself (attachments send a stricter `sandbox` CSP).
fn apply(headers: &mut HeaderMap, csp: &HeaderValue, hsts: bool) {
    let mut set = |name: HeaderName, value: HeaderValue| {
        if !headers.contains_key(&name) {
            headers.insert(name, value);
        }
    };
    set(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    set(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set(CONTENT_SECURITY_POLICY, csp.clone());
    if hsts {
        set(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_policy_lists_the_script_hashes_and_no_unsafe_inline() {
        let policy = app_policy(&["'sha256-abc='".to_owned(), "'sha256-def='".to_owned()]);
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc=' 'sha256-def=';"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(HeaderValue::from_str(&policy).is_ok());
    }

    #[test]
    fn handler_headers_win() {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
        apply(
            &mut headers,
            &HeaderValue::from_static("default-src 'self'"),
            true,
        );
        assert_eq!(headers.get(CONTENT_SECURITY_POLICY).unwrap(), "sandbox");
        assert_eq!(headers.get(X_FRAME_OPTIONS).unwrap(), "DENY");
        assert_eq!(headers.get(STRICT_TRANSPORT_SECURITY).unwrap(), HSTS);
    }
}
