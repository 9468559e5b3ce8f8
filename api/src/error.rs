//! The one error type of the server, rendered as RFC 9457 `application/problem+json`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use motovault_shared::problem::{ErrorCode, FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("not signed in")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// The caller may see the resource but not do this to it (e.g. a household viewer writing,
    /// a viewer API key deleting). Never used where the answer would reveal existence: that is 404.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("already set up")]
    AlreadySetUp,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large")]
    PayloadTooLarge(usize),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Too many attempts; the client may retry after this many seconds.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Anything unexpected. The cause is logged with the request id; the client sees no internals.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// Validation helper: `Ok(())` when `errors` is empty.
    pub fn check(errors: Vec<FieldError>) -> AppResult<()> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(errors))
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Validation(_) => ErrorCode::ValidationFailed,
            AppError::Malformed(_) => ErrorCode::MalformedRequest,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::InvalidCredentials => ErrorCode::InvalidCredentials,
            AppError::Csrf => ErrorCode::CsrfTokenInvalid,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            AppError::AlreadySetUp => ErrorCode::AlreadySetUp,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::Unavailable(_) => ErrorCode::ServiceUnavailable,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    fn problem(&self) -> Problem {
        let code = self.code();
        let detail = match self {
            AppError::Validation(_) => Some("See `errors` for each invalid field.".to_owned()),
            AppError::Malformed(detail)
            | AppError::Conflict(detail)
            | AppError::Forbidden(detail) => Some(detail.clone()),
            AppError::RateLimited { retry_after_secs } => Some(format!(
                "Too many attempts; try again in {retry_after_secs} seconds."
            )),
            AppError::PayloadTooLarge(limit) => {
                Some(format!("The body must be at most {limit} bytes."))
            }
            AppError::UnsupportedMediaType => Some("Send the body as application/json.".to_owned()),
            AppError::Unauthenticated => Some("Sign in, or send an API key.".to_owned()),
            AppError::Unavailable(_) => {
                Some("A dependency is unavailable; try again shortly.".to_owned())
            }
            _ => None,
        };
        let mut problem = Problem::new(code, detail);
        if let AppError::Validation(errors) = self {
            problem.errors = errors.clone();
        }
        problem
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) | AppError::Unavailable(cause) => {
                tracing::error!(error = %cause, code = self.code().as_str(), "request failed");
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        if matches!(self, AppError::Unauthenticated) {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Cookie")));
        }
        if let AppError::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        response.json(self.problem())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match &err {
            sea_orm::DbErr::ConnectionAcquire(_) => AppError::Unavailable(err.to_string()),
            _ => match err.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => {
                    // The constraint name is an internal; the client learns only what clashed.
                    tracing::info!(%detail, "unique constraint violated");
                    AppError::Conflict("a record with the same unique value already exists".into())
                }
                _ => AppError::Internal(err.to_string()),
            },
        }
    }
}
