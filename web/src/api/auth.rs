//! First-run setup, sign-in and the signed-in user's settings.

use gloo_net::http::Method;
use motovault_shared::dto::{CurrentUser, LoginRequest, SetupRequest, SetupStatus, UserSettings};

use super::{ApiError, client};

pub async fn setup_status() -> Result<SetupStatus, ApiError> {
    client::get("/setup").await
}

/// Creates the first account; the answer signs it in. No CSRF token exists yet.
pub async fn setup(request: &SetupRequest) -> Result<CurrentUser, ApiError> {
    client::send(Method::POST, "/setup", "", request).await
}

pub async fn login(request: &LoginRequest) -> Result<CurrentUser, ApiError> {
    client::send(Method::POST, "/auth/login", "", request).await
}

pub async fn logout(csrf: &str) -> Result<(), ApiError> {
    client::send_empty(Method::POST, "/auth/logout", csrf).await
}

/// Who is signed in; 401 when nobody is.
pub async fn me() -> Result<CurrentUser, ApiError> {
    client::get("/auth/me").await
}

pub async fn save_settings(csrf: &str, settings: &UserSettings) -> Result<UserSettings, ApiError> {
    client::send(Method::PUT, "/me/settings", csrf, settings).await
}
