//! Authentication: passwords, session tokens and the extractor that says who is calling.

pub mod caller;
pub mod password;
pub mod token;

pub use caller::Caller;

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "motovault_session";
/// Header a cookie-authenticated write must carry (double-checked against the session).
pub const CSRF_HEADER: &str = "x-csrf-token";
