//! The `Caller` extractor: a handler that takes one can only run for a signed-in user or a valid
//! API key. Writes over a session cookie additionally need the session's CSRF token; API keys
//! are not sent by browsers on their own, so they need none.
//!
//! The request method decides what the request wants to do ([`Permission`]): reads view,
//! `DELETE` deletes, every other write edits. An API key whose role does not allow that is
//! refused here, for every endpoint at once; the vehicle check (`domain::vehicles::visible`)
//! applies the same `need` to household members.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use motovault_shared::dto::access::{Permission, Role};

use super::{API_KEY_HEADER, CSRF_HEADER, SESSION_COOKIE, token};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::entity::user;
use crate::store::{api_keys, sessions};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Session {
        csrf_token: String,
        /// Digest of the session cookie, for logout.
        session_hash: String,
    },
    ApiKey {
        id: i64,
        role: Role,
    },
    /// The user's own credentials on the LubeLogger-compatible API (HTTP Basic, or the session
    /// cookie there): the user's full rights, but no session to manage.
    Direct,
}

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: user::Model,
    pub credential: Credential,
    /// What the request wants to do, from its method.
    pub need: Permission,
}

impl Caller {
    /// The session behind this request, or 403 for API keys: keys may use the data API but not
    /// manage accounts, keys or sessions.
    pub fn session(&self) -> AppResult<(&str, &str)> {
        match &self.credential {
            Credential::Session {
                csrf_token,
                session_hash,
            } => Ok((csrf_token, session_hash)),
            Credential::ApiKey { .. } | Credential::Direct => Err(AppError::Forbidden(
                "this needs a signed-in session; API keys cannot use it".into(),
            )),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.user.is_admin || self.user.is_root
    }
}

pub fn need_of(method: &Method) -> Permission {
    match *method {
        Method::GET | Method::HEAD | Method::OPTIONS => Permission::View,
        Method::DELETE => Permission::Delete,
        _ => Permission::Edit,
    }
}

/// Where the request's API key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeySource {
    Header,
    Query,
}

/// The API key of the request: `Authorization: Bearer <key>`, `x-api-key: <key>`, or — for
/// reads only — the `apiKey` query parameter. The query form exists for what cannot set a
/// header (a browser's `EventSource`, a wall display opened from a bookmark, as LubeLogger's
/// `/kiosk?apiKey=`); a key in a URL may end up in history or a proxy's log, so it can never
/// authorise a write and must be a viewer key ([`from_api_key`]). The request log never
/// records query strings.
fn api_key_of(req: &HttpRequest) -> Option<(String, KeySource)> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let header_key = req
        .headers()
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let query_key = || {
        matches!(*req.method(), Method::GET | Method::HEAD)
            .then(|| query_api_key(req.query_string()))
            .flatten()
            .map(|k| (k, KeySource::Query))
    };
    bearer
        .or(header_key)
        .filter(|k| !k.is_empty())
        .map(|k| (k.to_owned(), KeySource::Header))
        .or_else(query_key)
}

/// The `apiKey` parameter of a query string (keys are hex, so no decoding is needed; one that
/// is not is simply not found).
fn query_api_key(query: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "apiKey")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|k| !k.is_empty())
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = api_key_of(req);
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let csrf = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let need = need_of(req.method());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            if let Some((key, source)) = key {
                return from_api_key(&state, &key, source, need).await;
            }
            let cookie = cookie.ok_or(AppError::Unauthenticated)?;
            let session_hash = token::digest(&cookie);
            // Redis first when configured, the database otherwise or when Redis fails.
            let (session, user) = sessions::lookup(&state.db, state.redis.as_ref(), &session_hash)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if need != Permission::View
                && !csrf.is_some_and(|sent| token::constant_time_eq(&sent, &session.csrf_token))
            {
                return Err(AppError::Csrf);
            }
            Ok(Caller {
                user,
                credential: Credential::Session {
                    csrf_token: session.csrf_token,
                    session_hash,
                },
                need,
            })
        })
    }
}

async fn from_api_key(
    state: &AppState,
    key: &str,
    source: KeySource,
    need: Permission,
) -> AppResult<Caller> {
    // An unknown, expired or revoked key, or one whose user is disabled, is simply not a login.
    let (row, user) = api_keys::find_active(&state.db, &token::digest(key))
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let role = Role::parse(&row.permission)
        .ok_or_else(|| AppError::internal(format!("api key {} has an unknown role", row.id)))?;
    // Whoever finds a URL could send its key as a header too: only a key that cannot write
    // anyway may travel in one.
    if source == KeySource::Query && role != Role::Viewer {
        return Err(AppError::Forbidden(format!(
            "only a viewer key may be sent in the URL; this is a {} key: send it in the \
             x-api-key header",
            role.as_str()
        )));
    }
    if !role.allows(need) {
        return Err(AppError::Forbidden(format!(
            "this API key is a {} key; it may not do this",
            role.as_str()
        )));
    }
    api_keys::touch(&state.db, &row).await?;
    Ok(Caller {
        user,
        credential: Credential::ApiKey { id: row.id, role },
        need,
    })
}

#[cfg(test)]
mod tests {
    use super::query_api_key;

    #[test]
    fn the_query_key_is_the_api_key_parameter_only() {
        let cases = [
            ("apiKey=abc123", Some("abc123")),
            ("mode=cycle&apiKey=abc123&exclude=1,3", Some("abc123")),
            ("apikey=abc123", None),
            ("apiKey=", None),
            ("apiKey", None),
            ("xapiKey=abc", None),
            ("", None),
        ];
        for (query, key) in cases {
            assert_eq!(query_api_key(query).as_deref(), key, "{query}");
        }
    }
}
