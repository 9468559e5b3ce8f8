//! Self-service: the signed-in user changes their own password or e-mail.

use motovault_shared::dto::CurrentUser;
use motovault_shared::dto::users::{EmailChange, PasswordChange};
use motovault_shared::problem::FieldError;
use sea_orm::DatabaseConnection;

use super::accounts::{self, SignedIn};
use super::users::{check_email, check_password, ensure_unique};
use crate::auth::{Caller, password};
use crate::error::{AppError, AppResult};
use crate::infra::redis::Redis;
use crate::store::{sessions, users};

/// 422 on `currentPassword` unless it matches (a password-less account never matches). The
/// hash is read from the database: a caller served from the Redis session tier carries none.
async fn check_current(db: &DatabaseConnection, caller: &Caller, current: String) -> AppResult<()> {
    let stored = users::find(db, caller.user.id)
        .await?
        .and_then(|u| u.password_hash);
    let ok = match stored {
        Some(stored) => password::verify(current, stored).await?,
        None => {
            password::burn_time(current).await?;
            false
        }
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::field(
            "currentPassword",
            "is not your current password",
        ))
    }
}

/// Changes the password, ends every session of the user (this one included) and starts a new
/// one: the caller gets a fresh cookie, other devices are signed out.
pub async fn change_password(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    caller: &Caller,
    input: PasswordChange,
    session_days: i64,
) -> AppResult<SignedIn> {
    caller.session()?;
    let mut errors = Vec::new();
    if input.current_password.is_empty() {
        errors.push(FieldError::new("currentPassword", "is required"));
    }
    check_password(&mut errors, "newPassword", &input.new_password);
    AppError::check(errors)?;
    check_current(db, caller, input.current_password).await?;
    let hash = password::hash(input.new_password).await?;
    let txn = crate::store::begin_write(db).await?;
    let updated = users::update(
        &txn,
        caller.user.clone(),
        users::UserChanges {
            password_hash: Some(Some(hash)),
            ..Default::default()
        },
    )
    .await?;
    let ended = sessions::delete_all_for(&txn, updated.id, None).await?;
    txn.commit().await?;
    sessions::forget_user(redis, updated.id).await;
    tracing::info!(user = updated.id, ended, "password changed");
    accounts::start_session(db, updated, session_days).await
}

/// Changes (or, with an empty value, clears) the e-mail after checking the password.
pub async fn change_email(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    caller: &Caller,
    input: EmailChange,
) -> AppResult<CurrentUser> {
    caller.session()?;
    let email = input.email.trim().to_owned();
    let mut errors = Vec::new();
    if !email.is_empty() {
        check_email(&mut errors, "email", &email);
    }
    if input.current_password.is_empty() {
        errors.push(FieldError::new("currentPassword", "is required"));
    }
    AppError::check(errors)?;
    check_current(db, caller, input.current_password).await?;
    if !email.is_empty() {
        ensure_unique(
            db,
            &caller.user.username,
            Some(&email),
            Some(caller.user.id),
        )
        .await?;
    }
    let updated = users::update(
        db,
        caller.user.clone(),
        users::UserChanges {
            email: Some(Some(email).filter(|e| !e.is_empty())),
            ..Default::default()
        },
    )
    .await?;
    // Redis session entries hold a copy of the user row.
    sessions::forget_user(redis, updated.id).await;
    let me = Caller {
        user: updated,
        ..caller.clone()
    };
    accounts::me(db, &me).await
}
