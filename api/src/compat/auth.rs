//! `CompatCaller`: who is calling the LubeLogger-compatible API, in the order of reference
//! §4.1: `Authorization: Basic` (a Basic header suppresses the other checks), then the session
//! cookie, then an API key in the `x-api-key` header or the `apiKey` query parameter.
//!
//! Cookie writes need the session's CSRF header, as on the native API: LubeLogger has no such
//! check, but a cookie is sent by browsers on their own, and LubeLogger clients (apps, scripts,
//! Home Assistant) use Basic or keys, never our cookie.
//!
//! The permission check of an API key (`APIKeyFilter`) is per endpoint, so the extractor only
//! identifies the caller; a handler asks for the native [`Caller`] with the permission it needs.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use motovault_shared::dto::access::{Permission, Role};

use super::error::{CompatError, CompatResult};
use super::output::Fmt;
use crate::auth::caller::Credential;
use crate::auth::{
    API_KEY_HEADER, CSRF_HEADER, Caller, SESSION_COOKIE, password, rate_limit, token,
};
use crate::state::AppState;
use crate::store::entity::user;
use crate::store::{api_keys, sessions, users};

/// The header that switches answers to typed values (any value, even empty).
pub const INVARIANT_HEADER: &str = "culture-invariant";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Basic,
    Cookie { csrf_ok: bool },
    ApiKey(Role),
}

pub struct CompatCaller {
    pub user: user::Model,
    pub how: How,
    pub fmt: Fmt,
}

impl CompatCaller {
    /// The native caller for a request that needs `need`: an API key without it is refused
    /// with LubeLogger's 401 "Access Denied"; a cookie write needs the CSRF header.
    pub fn caller(&self, need: Permission) -> CompatResult<Caller> {
        match self.how {
            How::ApiKey(role) if !role.allows(need) => return Err(CompatError::KeyDenied),
            How::Cookie { csrf_ok } if need != Permission::View && !csrf_ok => {
                return Err(CompatError::Csrf);
            }
            _ => {}
        }
        Ok(self.unchecked(need))
    }

    /// A caller without the key-permission check (`/api/vehicles/add` has none in 1.6.8).
    pub fn unchecked(&self, need: Permission) -> Caller {
        let credential = match self.how {
            How::ApiKey(role) => Credential::ApiKey { id: 0, role },
            How::Cookie { .. } | How::Basic => Credential::Direct,
        };
        Caller {
            user: self.user.clone(),
            credential,
            need,
        }
    }

    /// Root-only endpoints answer 403 with an empty body to everyone else.
    pub fn require_root(&self) -> CompatResult<()> {
        if self.user.is_root {
            Ok(())
        } else {
            Err(CompatError::RootOnly)
        }
    }
}

fn basic_of(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("basic")
        .then(|| rest.trim().to_owned())
}

fn key_of(req: &HttpRequest) -> Option<String> {
    let header_key = req
        .headers()
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned());
    let query_key = || {
        web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .ok()?
            .into_inner()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("apikey"))
            .map(|(_, v)| v.trim().to_owned())
    };
    header_key.or_else(query_key).filter(|k| !k.is_empty())
}

impl FromRequest for CompatCaller {
    type Error = CompatError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let basic = basic_of(req);
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let csrf = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let key = key_of(req);
        let peer = req.peer_addr().map(|a| a.ip());
        let forwarded_for = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let invariant_header = req.headers().contains_key(INVARIANT_HEADER);
        Box::pin(async move {
            let state = state.ok_or_else(|| {
                CompatError::Server(crate::error::AppError::internal(
                    "application state missing",
                ))
            })?;
            let fmt = Fmt {
                culture: super::culture(&state),
                invariant: invariant_header || state.settings.compat.invariant,
            };
            let (user, how) = if let Some(basic) = basic {
                let address = rate_limit::client_address(
                    peer,
                    forwarded_for.as_deref(),
                    state.settings.server.trust_forwarded_for,
                );
                (from_basic(&state, &basic, &address).await?, How::Basic)
            } else if let Some(found) = from_cookie(&state, cookie.as_deref(), csrf).await? {
                found
            } else if let Some(key) = key {
                from_key(&state, &key).await?
            } else {
                return Err(CompatError::Unauthenticated);
            };
            Ok(CompatCaller { user, how, fmt })
        })
    }
}

/// Basic credentials count against the same failed-sign-in limits as the login form; a
/// limited attempt is an ordinary 401, so the answer reveals nothing.
async fn from_basic(state: &AppState, encoded: &str, address: &str) -> CompatResult<user::Model> {
    let decoded = STANDARD
        .decode(encoded)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(CompatError::Unauthenticated)?;
    // LubeLogger splits on ':' and needs exactly two parts.
    let parts: Vec<&str> = decoded.split(':').collect();
    let [username, secret] = parts.as_slice() else {
        return Err(CompatError::Unauthenticated);
    };
    let account = users::normalize(username);
    if state
        .login_limiter
        .check_shared(&account, address)
        .await
        .is_err()
    {
        return Err(CompatError::Unauthenticated);
    }
    let found = match users::find_by_username(&state.db, username).await {
        Ok(found) => found,
        Err(e) => {
            state.login_limiter.release_shared(&account, address).await;
            return Err(e.into());
        }
    };
    // Users without a password (OIDC, revoked) and disabled users cannot use Basic.
    let Some((user, hash)) = found
        .filter(|u| !u.is_disabled)
        .and_then(|u| u.password_hash.clone().map(|h| (u, h)))
    else {
        password::burn_time((*secret).to_owned()).await?;
        return Err(CompatError::Unauthenticated);
    };
    let verified = password::verify((*secret).to_owned(), hash).await;
    if matches!(verified, Ok(true)) {
        state
            .login_limiter
            .succeeded_shared(&account, address)
            .await;
        Ok(user)
    } else if let Err(e) = verified {
        state.login_limiter.release_shared(&account, address).await;
        Err(e.into())
    } else {
        Err(CompatError::Unauthenticated)
    }
}

async fn from_cookie(
    state: &AppState,
    cookie: Option<&str>,
    csrf: Option<String>,
) -> CompatResult<Option<(user::Model, How)>> {
    let Some(cookie) = cookie else {
        return Ok(None);
    };
    let Some((session, user)) =
        sessions::lookup(&state.db, state.redis.as_ref(), &token::digest(cookie)).await?
    else {
        // A stale cookie is not a login; an API key may still follow.
        return Ok(None);
    };
    let csrf_ok = csrf.is_some_and(|sent| token::constant_time_eq(&sent, &session.csrf_token));
    Ok(Some((user, How::Cookie { csrf_ok })))
}

async fn from_key(state: &AppState, key: &str) -> CompatResult<(user::Model, How)> {
    let (row, user) = api_keys::find_active(&state.db, &token::digest(key))
        .await?
        .ok_or(CompatError::Unauthenticated)?;
    let role = Role::parse(&row.permission).ok_or_else(|| {
        CompatError::Server(crate::error::AppError::internal(format!(
            "api key {} has an unknown role",
            row.id
        )))
    })?;
    api_keys::touch(&state.db, &row).await?;
    Ok((user, How::ApiKey(role)))
}
