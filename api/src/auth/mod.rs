//! Authentication: passwords, session tokens and the extractor that says who is calling.

pub mod caller;
pub mod oidc;
pub mod password;
pub mod rate_limit;
pub mod token;

pub use caller::Caller;

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "motovault_session";
/// Header a cookie-authenticated write must carry (double-checked against the session).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Header carrying an API key (the other form is `Authorization: Bearer`).
pub const API_KEY_HEADER: &str = "x-api-key";
