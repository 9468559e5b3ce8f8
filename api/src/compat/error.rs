//! The answers of reference §4.1 "Status codes", which are not problem+json: empty 401/403
//! bodies, `OperationResponse` failures, the 302 to `/Error/Unauthorized`.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};

use super::output;
use crate::error::AppError;

/// LubeLogger's generic failure text.
pub const GENERIC_FAILURE: &str = "An error occurred, please try again later";

#[derive(Debug, thiserror::Error)]
pub enum CompatError {
    /// No or bad credentials: 401, `WWW-Authenticate: Basic`, empty body.
    #[error("unauthenticated")]
    Unauthenticated,
    /// An API key without the permission the endpoint needs.
    #[error("api key lacks permission")]
    KeyDenied,
    /// A root-only endpoint: 403, empty body.
    #[error("root only")]
    RootOnly,
    /// `CollaboratorFilter` on a read: 302 to `/Error/Unauthorized`.
    #[error("no access (read)")]
    Redirect,
    /// `CollaboratorFilter` on an add: 200 with `success: false`.
    #[error("no access (add)")]
    AddDenied,
    /// Update or delete of a record on a vehicle the caller may not change.
    #[error("no access (change)")]
    NoVehicleAccess,
    #[error("invalid record id")]
    InvalidRecordId,
    /// 400 with this message.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 200 with `success: false` and this message.
    #[error("failed: {0}")]
    Failed(String),
    /// A cookie write without the session's CSRF token (our rule, not LubeLogger's).
    #[error("csrf")]
    Csrf,
    #[error("{0}")]
    Server(AppError),
}

pub type CompatResult<T> = Result<T, CompatError>;

impl From<AppError> for CompatError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Validation(errors) => CompatError::BadRequest(format!(
                "Input object invalid, {}",
                errors
                    .iter()
                    .map(|e| format!("{} {}", e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
            AppError::Malformed(m) | AppError::Conflict(m) => CompatError::BadRequest(m),
            AppError::Forbidden(_) => CompatError::NoVehicleAccess,
            AppError::Unauthenticated | AppError::InvalidCredentials => {
                CompatError::Unauthenticated
            }
            AppError::Csrf => CompatError::Csrf,
            other => CompatError::Server(other),
        }
    }
}

impl From<sea_orm::DbErr> for CompatError {
    fn from(err: sea_orm::DbErr) -> Self {
        CompatError::from(AppError::from(err))
    }
}

/// A domain refusal on a read (`NotFound`, `Forbidden`) becomes the redirect.
pub fn on_read(err: AppError) -> CompatError {
    match err {
        AppError::NotFound | AppError::Forbidden(_) => CompatError::Redirect,
        other => other.into(),
    }
}

/// A domain refusal on an add becomes 200 "Access Denied".
pub fn on_add(err: AppError) -> CompatError {
    match err {
        AppError::NotFound | AppError::Forbidden(_) => CompatError::AddDenied,
        other => other.into(),
    }
}

/// A domain refusal on an update or delete becomes 401 "Access Denied, …".
pub fn on_change(err: AppError) -> CompatError {
    match err {
        AppError::NotFound | AppError::Forbidden(_) => CompatError::NoVehicleAccess,
        other => other.into(),
    }
}

impl ResponseError for CompatError {
    fn status_code(&self) -> StatusCode {
        match self {
            CompatError::Unauthenticated
            | CompatError::KeyDenied
            | CompatError::NoVehicleAccess => StatusCode::UNAUTHORIZED,
            CompatError::RootOnly => StatusCode::FORBIDDEN,
            CompatError::Redirect => StatusCode::FOUND,
            CompatError::AddDenied | CompatError::Failed(_) => StatusCode::OK,
            CompatError::InvalidRecordId | CompatError::BadRequest(_) => StatusCode::BAD_REQUEST,
            CompatError::Csrf => StatusCode::FORBIDDEN,
            CompatError::Server(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let failed = |message: &str| output::respond(self.status_code(), &output::failed(message));
        match self {
            CompatError::Unauthenticated => HttpResponse::Unauthorized()
                .insert_header((header::WWW_AUTHENTICATE, "Basic"))
                .finish(),
            CompatError::RootOnly => HttpResponse::Forbidden().finish(),
            CompatError::Redirect => HttpResponse::Found()
                .insert_header((header::LOCATION, "/Error/Unauthorized"))
                .finish(),
            CompatError::KeyDenied | CompatError::AddDenied => failed("Access Denied"),
            CompatError::NoVehicleAccess => {
                failed("Access Denied, you don't have access to this vehicle.")
            }
            CompatError::InvalidRecordId => failed("Invalid Record Id"),
            CompatError::BadRequest(m) | CompatError::Failed(m) => failed(m),
            CompatError::Csrf => AppError::Csrf.error_response(),
            CompatError::Server(AppError::NotFound) => HttpResponse::NotFound().finish(),
            CompatError::Server(e) => {
                tracing::error!(error = %e, "compat request failed");
                output::respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &output::failed(GENERIC_FAILURE),
                )
            }
        }
    }
}
