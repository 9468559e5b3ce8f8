//! Accounts: sign-in options, registration, password resets, the signed-in user's password and
//! e-mail, and the administrators' `/users` and `/registration-tokens`.

use gloo_net::http::Method;
use motovault_shared::dto::CurrentUser;
use motovault_shared::dto::users::{
    AdminPasswordInput, AdminPasswordResult, AuthOptions, EmailChange, NewUserInput,
    PasswordChange, PasswordResetConfirm, PasswordResetRequest, RegisterRequest,
    RegistrationTokenInput, RegistrationTokenList, UserList, UserUpdate,
};
use serde::Deserialize;

use super::{ApiError, Write, client};

/// How people sign in and register here (public).
pub async fn options() -> Result<AuthOptions, ApiError> {
    client::get("/auth/options").await
}

/// Creates an account; the answer signs it in. No CSRF token exists yet.
pub async fn register(request: &RegisterRequest) -> Result<CurrentUser, ApiError> {
    client::send(Method::POST, "/auth/register", "", request).await
}

/// Asks for a reset link (the server answers 202 whether or not the address is known).
pub fn request_reset(request: &PasswordResetRequest) -> Write {
    Write::json(Method::POST, "/auth/password-reset".to_owned(), request)
}

pub fn confirm_reset(request: &PasswordResetConfirm) -> Write {
    Write::json(
        Method::POST,
        "/auth/password-reset/confirm".to_owned(),
        request,
    )
}

/// Ends the user's other sessions too.
pub fn change_password(change: &PasswordChange) -> Write {
    Write::json(Method::PUT, "/me/password".to_owned(), change)
}

pub async fn change_email(csrf: &str, change: &EmailChange) -> Result<CurrentUser, ApiError> {
    client::send(Method::PUT, "/me/email", csrf, change).await
}

// ---------------------------------------------------------------- administrators

pub async fn list() -> Result<UserList, ApiError> {
    client::get("/users").await
}

/// The answer (the new user) is not read: the list is loaded again.
pub fn create(input: &NewUserInput) -> Write {
    Write::json(Method::POST, "/users".to_owned(), input)
}

pub fn update(id: i64, update: &UserUpdate) -> Write {
    Write::json(Method::PATCH, format!("/users/{id}"), update)
}

pub fn delete(id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/users/{id}"))
}

/// Sets a new password, or (with none) revokes it and mails a reset link when possible.
pub async fn set_password(
    csrf: &str,
    id: i64,
    input: &AdminPasswordInput,
) -> Result<AdminPasswordResult, ApiError> {
    client::send(Method::POST, &format!("/users/{id}/password"), csrf, input).await
}

pub async fn tokens() -> Result<RegistrationTokenList, ApiError> {
    client::get("/registration-tokens").await
}

/// What the page needs of a `CreatedRegistrationToken` (read without serde's `flatten`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewToken {
    pub email: String,
    pub token: String,
    pub emailed: bool,
}

pub async fn create_token(
    csrf: &str,
    input: &RegistrationTokenInput,
) -> Result<NewToken, ApiError> {
    client::send(Method::POST, "/registration-tokens", csrf, input).await
}

pub fn delete_token(id: i64) -> Write {
    Write::bare(Method::DELETE, format!("/registration-tokens/{id}"))
}
