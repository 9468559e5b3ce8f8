//! `/api/v1/auth/oidc/*`: browser redirects, never JSON. Every failure lands on
//! `/login?error=<code>` with the cause in the log (never a token).

use actix_web::http::header::{CACHE_CONTROL, HOST, LOCATION};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::accounts::session_cookie;
use crate::auth::oidc::OidcError;
use crate::domain::oidc;
use crate::state::AppState;

const CALLBACK_PATH: &str = "/api/v1/auth/oidc/callback";

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(login).service(callback);
}

/// Starts an OpenID Connect sign-in: redirects to the provider with state, nonce and a PKCE
/// S256 challenge.
#[utoipa::path(
    tag = "accounts",
    responses((status = 302, description = "To the provider, or to `/login?error=<code>`"))
)]
#[get("/api/v1/auth/oidc/login")]
pub async fn login(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(client) = state.oidc.as_deref() else {
        return to_login_page("oidc_not_configured");
    };
    let redirect_uri = redirect_uri(&req, &state);
    match oidc::begin(&state.db, client, &redirect_uri).await {
        Ok(url) => redirect(&url),
        Err(e) => failed(&e),
    }
}

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the browser back. Success: a session cookie and a redirect to `/`.
#[utoipa::path(
    tag = "accounts",
    params(
        ("code" = Option<String>, Query, description = "Authorization code"),
        ("state" = Option<String>, Query, description = "The state sent at login"),
        ("error" = Option<String>, Query, description = "The provider's error, if it refused"),
    ),
    responses((status = 302, description = "To `/` signed in, or to `/login?error=<code>`"))
)]
#[get("/api/v1/auth/oidc/callback")]
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CallbackQuery>,
) -> HttpResponse {
    let Some(client) = state.oidc.as_deref() else {
        return to_login_page("oidc_not_configured");
    };
    let query = query.into_inner();
    if let Some(error) = query.error {
        return failed(&OidcError::Denied(error.chars().take(100).collect()));
    }
    let (Some(code), Some(flow_state)) = (query.code, query.state) else {
        return failed(&OidcError::InvalidState);
    };
    let redirect_uri = redirect_uri(&req, &state);
    match oidc::finish(
        &state.db,
        client,
        &code,
        &flow_state,
        &redirect_uri,
        state.settings.auth.session_days,
    )
    .await
    {
        Ok(signed_in) => {
            let cookie = session_cookie(&state, signed_in.cookie_value, signed_in.days);
            HttpResponse::Found()
                .insert_header((LOCATION, "/"))
                .insert_header((CACHE_CONTROL, "no-store"))
                .cookie(cookie)
                .finish()
        }
        Err(e) => failed(&e),
    }
}

/// The callback URL: configured (`oidc.redirect_url`, else `server.public_url`), or derived
/// from the request. Forwarded headers count only behind a trusted proxy.
fn redirect_uri(req: &HttpRequest, state: &AppState) -> String {
    if let Some(url) = state
        .oidc
        .as_deref()
        .and_then(|c| c.configured_redirect_url())
    {
        return url.to_owned();
    }
    if state.settings.server.trust_forwarded_for {
        let info = req.connection_info();
        return format!("{}://{}{CALLBACK_PATH}", info.scheme(), info.host());
    }
    let scheme = if state.settings.auth.secure_cookies {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| req.app_config().host().to_owned());
    format!("{scheme}://{host}{CALLBACK_PATH}")
}

fn failed(error: &OidcError) -> HttpResponse {
    match error {
        OidcError::Internal(_) | OidcError::Provider(_) => {
            tracing::error!(code = error.code(), error = %error, "OpenID Connect sign-in failed");
        }
        _ => tracing::warn!(code = error.code(), error = %error, "OpenID Connect sign-in refused"),
    }
    to_login_page(error.code())
}

fn to_login_page(code: &str) -> HttpResponse {
    redirect(&format!("/login?error={code}"))
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((LOCATION, location))
        .insert_header((CACHE_CONTROL, "no-store"))
        .finish()
}
