//! The `Caller` extractor: a handler that takes one can only run for a signed-in user, and
//! writes additionally need the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::{CSRF_HEADER, SESSION_COOKIE, token};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::entity::user;
use crate::store::sessions;

/// The signed-in user of this request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: user::Model,
    pub csrf_token: String,
    /// Digest of the session cookie, for logout.
    pub session_hash: String,
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let csrf = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let needs_csrf = !is_safe(req.method());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let cookie = cookie.ok_or(AppError::Unauthenticated)?;
            let session_hash = token::digest(&cookie);
            let (session, user) = sessions::find_active(&state.db, &session_hash)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if needs_csrf
                && !csrf.is_some_and(|sent| token::constant_time_eq(&sent, &session.csrf_token))
            {
                return Err(AppError::Csrf);
            }
            Ok(Caller {
                user,
                csrf_token: session.csrf_token,
                session_hash,
            })
        })
    }
}
