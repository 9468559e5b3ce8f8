//! First-run setup, sign-in and sign-out.

use chrono::Duration;
use motovault_shared::dto::{CurrentUser, LoginRequest, SetupRequest, UserSettings};
use motovault_shared::validate;
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::auth::{Caller, password, token};
use crate::error::{AppError, AppResult};
use crate::store::entity::user;
use crate::store::{sessions, users};

/// A new session: the raw cookie value (given to the browser once) and who it belongs to.
pub struct SignedIn {
    pub cookie_value: String,
    pub user: CurrentUser,
}

pub async fn needs_setup(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(users::count(db).await? == 0)
}

/// Creates the first account as root administrator and signs it in; 409 once anyone exists.
pub async fn setup(
    db: &DatabaseConnection,
    input: SetupRequest,
    session_days: i64,
) -> AppResult<SignedIn> {
    AppError::check(validate::setup(&input))?;
    if !needs_setup(db).await? {
        return Err(AppError::AlreadySetUp);
    }
    let hash = password::hash(input.password.clone()).await?;
    let txn = db.begin().await?;
    // Checked again inside the transaction: two simultaneous setups must not both win.
    if users::count(&txn).await? != 0 {
        return Err(AppError::AlreadySetUp);
    }
    let created = users::insert(
        &txn,
        users::NewUser {
            username: &input.username,
            email: input.email.as_deref(),
            password_hash: &hash,
            is_admin: true,
            is_root: true,
        },
    )
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::AlreadySetUp,
        other => other,
    })?;
    txn.commit().await?;
    start_session(db, created, session_days).await
}

pub async fn login(
    db: &DatabaseConnection,
    input: LoginRequest,
    session_days: i64,
) -> AppResult<SignedIn> {
    AppError::check(validate::login(&input))?;
    let found = users::find_by_username(db, &input.username).await?;
    let Some(found) = found.filter(|u| !u.is_disabled) else {
        password::burn_time(input.password).await?;
        return Err(AppError::InvalidCredentials);
    };
    let Some(stored) = found.password_hash.clone() else {
        password::burn_time(input.password).await?;
        return Err(AppError::InvalidCredentials);
    };
    if !password::verify(input.password, stored).await? {
        tracing::warn!(username = %found.username, "failed login");
        return Err(AppError::InvalidCredentials);
    }
    sessions::delete_expired_for(db, found.id).await?;
    start_session(db, found, session_days).await
}

async fn start_session(
    db: &DatabaseConnection,
    user: user::Model,
    session_days: i64,
) -> AppResult<SignedIn> {
    let cookie_value = token::random_token()?;
    let csrf = token::random_token()?;
    sessions::insert(
        db,
        user.id,
        token::digest(&cookie_value),
        csrf.clone(),
        Duration::days(session_days),
    )
    .await?;
    let settings = users::settings(db, user.id).await?;
    Ok(SignedIn {
        cookie_value,
        user: current_user(user, settings, csrf),
    })
}

pub async fn logout(db: &DatabaseConnection, caller: &Caller) -> AppResult<()> {
    sessions::delete(db, &caller.session_hash).await?;
    Ok(())
}

pub async fn me(db: &DatabaseConnection, caller: &Caller) -> AppResult<CurrentUser> {
    let settings = users::settings(db, caller.user.id).await?;
    Ok(current_user(
        caller.user.clone(),
        settings,
        caller.csrf_token.clone(),
    ))
}

pub async fn save_settings(
    db: &DatabaseConnection,
    caller: &Caller,
    settings: UserSettings,
) -> AppResult<UserSettings> {
    AppError::check(settings.validate())?;
    users::save_settings(db, caller.user.id, &settings).await?;
    Ok(settings)
}

fn current_user(user: user::Model, settings: UserSettings, csrf_token: String) -> CurrentUser {
    CurrentUser {
        id: user.id,
        username: user.username,
        email: user.email,
        is_admin: user.is_admin,
        is_root: user.is_root,
        settings,
        csrf_token,
    }
}
