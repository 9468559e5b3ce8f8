//! The only module that talks HTTP: a small client over the shared DTOs.
//!
//! Every call returns `Result<T, ApiError>`; an error is either the server's problem document
//! (status, stable code, field errors) or a network failure. Writes take the CSRF token the
//! caller got from the signed-in user (kept in the auth context).

mod client;

pub use client::{Write, api_key, forget_api_key, use_api_key, write, write_id};

pub mod access;
pub mod attachments;
pub mod auth;
pub mod calendar;
pub mod csv;
pub mod dashboard;
pub mod equipment;
pub mod extra_fields;
pub mod fuel;
pub mod inspections;
pub mod kiosk;
pub mod maintenance;
pub mod notes;
pub mod odometer;
pub mod plans;
pub mod reminders;
pub mod reports;
pub mod search;
pub mod summary;
pub mod supplies;
pub mod tax;
pub mod transfer;
pub mod users;
pub mod vehicles;

use motovault_shared::problem::{ErrorCode, FieldError, Problem};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status (its problem document, or one made from the status).
    Problem(Problem),
    /// No answer, or an answer that could not be read.
    Network(String),
}

impl ApiError {
    /// Builds the error for a non-success answer whose body was not a problem document.
    pub(crate) fn from_status(status: u16, text: String) -> Self {
        let code = match status {
            400 => ErrorCode::MalformedRequest,
            401 => ErrorCode::Unauthenticated,
            403 => ErrorCode::CsrfTokenInvalid,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            409 => ErrorCode::Conflict,
            413 => ErrorCode::PayloadTooLarge,
            415 => ErrorCode::UnsupportedMediaType,
            422 => ErrorCode::ValidationFailed,
            503 => ErrorCode::ServiceUnavailable,
            _ => ErrorCode::Internal,
        };
        let detail = Some(text.trim().to_owned()).filter(|t| !t.is_empty() && t.len() < 300);
        let mut problem = Problem::new(code, detail);
        problem.status = status;
        ApiError::Problem(problem)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Network(_) => None,
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Problem(p) => Some(p.code),
            ApiError::Network(_) => None,
        }
    }

    /// The session is missing or expired.
    pub fn is_unauthenticated(&self) -> bool {
        self.status() == Some(401) && self.code() != Some(ErrorCode::InvalidCredentials)
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// The per-field messages of a 422 answer (empty otherwise).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem(p) => &p.errors,
            ApiError::Network(_) => &[],
        }
    }

    /// A sentence for an alert.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network(_) => {
                crate::i18n::tr("Could not reach the server. Check your connection and try again.")
            }
            ApiError::Problem(p) => match (p.code, p.detail.as_deref()) {
                (ErrorCode::ValidationFailed, _) if !p.errors.is_empty() => {
                    crate::i18n::tr("Please correct the highlighted fields.")
                }
                (ErrorCode::NotFound, _) => {
                    crate::i18n::tr("That item does not exist (it may have been deleted).")
                }
                (ErrorCode::Internal, _) => {
                    crate::i18n::tr("Something went wrong on the server. Please try again.")
                }
                (_, Some(detail)) => format!("{}: {detail}", p.title),
                (_, None) => p.title.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_without_problem_body_maps_to_a_code() {
        let e = ApiError::from_status(404, "<html>".into());
        assert!(e.is_not_found());
        assert_eq!(e.code(), Some(ErrorCode::NotFound));
        let e = ApiError::from_status(502, String::new());
        assert_eq!(e.status(), Some(502));
        assert_eq!(e.code(), Some(ErrorCode::Internal));
    }

    #[test]
    fn wrong_password_is_not_an_expired_session() {
        let wrong = ApiError::Problem(Problem::new(ErrorCode::InvalidCredentials, None));
        assert!(!wrong.is_unauthenticated());
        let expired = ApiError::Problem(Problem::new(ErrorCode::Unauthenticated, None));
        assert!(expired.is_unauthenticated());
    }
}
