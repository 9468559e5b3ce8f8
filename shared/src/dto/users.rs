//! Users, registration, password resets and sign-in options (reference §1 Users/tokens).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A user as administrators see them (`/api/v1/users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub email: Option<String>,
    pub is_admin: bool,
    pub is_root: bool,
    pub is_disabled: bool,
    /// False when the password was revoked: only OIDC or a reset link can sign them in.
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserList {
    pub users: Vec<UserSummary>,
}

/// `POST /api/v1/users` (administrators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewUserInput {
    pub username: String,
    #[serde(default)]
    pub email: Option<String>,
    /// Absent: the account has no password until a reset link is used.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub is_admin: bool,
}

/// `PATCH /api/v1/users/{userId}` (administrators): only the given fields change.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserUpdate {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub is_admin: Option<bool>,
    #[serde(default)]
    pub is_disabled: Option<bool>,
}

/// `POST /api/v1/users/{userId}/password` (administrators): set a new password, or revoke it
/// (no password sign-in) and e-mail a reset link when the user has an e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdminPasswordInput {
    #[serde(default)]
    pub new_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminPasswordResult {
    /// A reset link was e-mailed to the user.
    pub emailed: bool,
}

// ---------------------------------------------------------------- registration tokens

/// `POST /api/v1/registration-tokens` (administrators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationTokenInput {
    pub email: String,
    /// Mail the token to that address (needs SMTP).
    #[serde(default)]
    pub send_email: bool,
    /// Days until it expires; no expiry when absent.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationToken {
    pub id: i64,
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
}

/// The answer to creating a token: the only time the token itself is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedRegistrationToken {
    #[serde(flatten)]
    pub info: RegistrationToken,
    pub token: String,
    pub emailed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationTokenList {
    pub tokens: Vec<RegistrationToken>,
}

// ---------------------------------------------------------------- self-service

/// How people may sign in and register here (`GET /api/v1/auth/options`, public: the login
/// page reads it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthOptions {
    /// `open`, `token` or `off`.
    pub registration: String,
    pub password_login: bool,
    /// A password reset can be e-mailed (SMTP is configured).
    pub password_reset: bool,
    /// Present when an OpenID Connect provider is configured.
    pub oidc: Option<OidcOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OidcOption {
    /// Button text, e.g. "Sign in with Keycloak".
    pub name: String,
    /// Where the browser goes to start (`/api/v1/auth/oidc/login`).
    pub login_url: String,
}

/// `POST /api/v1/auth/register`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisterRequest {
    pub username: String,
    pub password: String,
    pub email: String,
    /// Required unless registration is open.
    #[serde(default)]
    pub token: Option<String>,
}

/// `POST /api/v1/auth/password-reset`: always answers 202, whether or not the address is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /api/v1/auth/password-reset/confirm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetConfirm {
    pub token: String,
    pub password: String,
}

/// `PUT /api/v1/me/password`: ends every other session of the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `PUT /api/v1/me/email`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailChange {
    pub email: String,
    pub current_password: String,
}
