//! User administration (administrators and the root): list, create, change, delete, and set or
//! revoke passwords. Nobody changes the root or themselves here; changes of rights end the
//! target's sessions so they take effect at once.

use chrono::Duration;
use motovault_shared::dto::users::{
    AdminPasswordInput, AdminPasswordResult, NewUserInput, UserList, UserSummary, UserUpdate,
};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;
use sea_orm::DatabaseConnection;

use crate::auth::{Caller, password, token};
use crate::error::{AppError, AppResult};
use crate::infra::mail::{self, Mailer};
use crate::infra::redis::Redis;
use crate::store::entity::user;
use crate::store::{sessions, users};

pub fn summary(u: user::Model) -> UserSummary {
    UserSummary {
        id: u.id,
        username: u.username,
        email: u.email,
        is_admin: u.is_admin,
        is_root: u.is_root,
        is_disabled: u.is_disabled,
        has_password: u.password_hash.is_some(),
        created_at: u.created_at,
    }
}

/// Administrators and the root, over a browser session (API keys cannot manage accounts).
pub fn require_admin(caller: &Caller) -> AppResult<()> {
    caller.session()?;
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only administrators can manage users and registration tokens".into(),
        ))
    }
}

/// Appends an error unless `value` looks like an e-mail address.
pub fn check_email(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let value = value.trim();
    let valid = value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if !valid {
        errors.push(FieldError::new(field, "must be an e-mail address"));
    }
}

/// The password rules of `validate::password`, reported under `field`.
pub fn check_password(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let mut found = Vec::new();
    validate::password(&mut found, value);
    errors.extend(found.into_iter().map(|e| FieldError::new(field, e.message)));
}

/// The user the caller may change: not the root, not themselves.
async fn target_for_change(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> AppResult<user::Model> {
    let found = users::find(db, id).await?.ok_or(AppError::NotFound)?;
    if found.is_root {
        return Err(AppError::Forbidden(
            "the root account cannot be changed or deleted".into(),
        ));
    }
    if found.id == caller.user.id {
        return Err(AppError::Conflict(
            "you cannot change or delete your own account here; use your profile".into(),
        ));
    }
    Ok(found)
}

pub async fn list(db: &DatabaseConnection, caller: &Caller) -> AppResult<UserList> {
    require_admin(caller)?;
    Ok(UserList {
        users: users::list(db).await?.into_iter().map(summary).collect(),
    })
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<UserSummary> {
    require_admin(caller)?;
    Ok(summary(
        users::find(db, id).await?.ok_or(AppError::NotFound)?,
    ))
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewUserInput,
) -> AppResult<UserSummary> {
    require_admin(caller)?;
    let mut errors = Vec::new();
    validate::username(&mut errors, &input.username);
    let email = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(email) = email {
        check_email(&mut errors, "email", email);
    }
    if let Some(pw) = &input.password {
        check_password(&mut errors, "password", pw);
    }
    AppError::check(errors)?;
    ensure_unique(db, &input.username, email, None).await?;
    let hash = match input.password {
        Some(pw) => Some(password::hash(pw).await?),
        None => None,
    };
    let new = users::NewUser {
        username: &input.username,
        email,
        password_hash: hash.as_deref().unwrap_or_default(),
        is_admin: input.is_admin,
        is_root: false,
    };
    let created = match hash {
        Some(_) => users::insert(db, new).await?,
        None => users::insert_without_password(db, new).await?,
    };
    tracing::info!(by = caller.user.id, user = created.id, "user created");
    Ok(summary(created))
}

/// 409 with a clear message when the username or the e-mail is already in use.
pub async fn ensure_unique(
    db: &DatabaseConnection,
    username: &str,
    email: Option<&str>,
    except: Option<i64>,
) -> AppResult<()> {
    if users::find_by_username(db, username)
        .await?
        .is_some_and(|u| Some(u.id) != except)
    {
        return Err(AppError::Conflict("that username is taken".into()));
    }
    if let Some(email) = email
        && users::email_taken(db, email, except).await?
    {
        return Err(AppError::Conflict(
            "another account already uses that e-mail".into(),
        ));
    }
    Ok(())
}

pub async fn update(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    caller: &Caller,
    id: i64,
    input: UserUpdate,
) -> AppResult<UserSummary> {
    require_admin(caller)?;
    let found = target_for_change(db, caller, id).await?;
    let email = input.email.map(|e| e.trim().to_owned());
    let mut errors = Vec::new();
    if let Some(email) = email.as_deref().filter(|e| !e.is_empty()) {
        check_email(&mut errors, "email", email);
    }
    AppError::check(errors)?;
    if let Some(email) = email.as_deref().filter(|e| !e.is_empty()) {
        ensure_unique(db, &found.username, Some(email), Some(found.id)).await?;
    }
    // Rights taken away, or given: old sessions must not keep the old rights (nor, when
    // granted, carry a session fixed before the grant).
    let ends_sessions = input.is_admin.is_some_and(|a| a != found.is_admin)
        || input.is_disabled == Some(true) && !found.is_disabled;
    let txn = crate::store::begin_write(db).await?;
    let updated = users::update(
        &txn,
        found,
        users::UserChanges {
            email: email.map(|e| Some(e).filter(|e| !e.is_empty())),
            password_hash: None,
            is_admin: input.is_admin,
            is_disabled: input.is_disabled,
        },
    )
    .await?;
    if ends_sessions {
        sessions::delete_all_for(&txn, updated.id, None).await?;
    }
    txn.commit().await?;
    // Redis session entries hold a copy of the user row.
    sessions::forget_user(redis, updated.id).await;
    tracing::info!(
        by = caller.user.id,
        user = updated.id,
        ends_sessions,
        "user changed"
    );
    Ok(summary(updated))
}

pub async fn delete(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    caller: &Caller,
    id: i64,
) -> AppResult<()> {
    require_admin(caller)?;
    let found = target_for_change(db, caller, id).await?;
    // One statement; the schema's cascades remove the dependent rows in the same transaction.
    let txn = crate::store::begin_write(db).await?;
    users::delete(&txn, found.id).await?;
    txn.commit().await?;
    sessions::forget_user(redis, found.id).await;
    tracing::info!(by = caller.user.id, user = found.id, "user deleted");
    Ok(())
}

/// Sets a new password, or revokes it and mails a reset link when the user has an e-mail and
/// SMTP is configured. Either way the user's sessions end.
#[allow(clippy::too_many_arguments)]
pub async fn set_password(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    mailer: Option<&Mailer>,
    reset_minutes: i64,
    base_url: &str,
    caller: &Caller,
    id: i64,
    input: AdminPasswordInput,
) -> AppResult<AdminPasswordResult> {
    require_admin(caller)?;
    let found = target_for_change(db, caller, id).await?;
    if let Some(pw) = &input.new_password {
        let mut errors = Vec::new();
        check_password(&mut errors, "newPassword", pw);
        AppError::check(errors)?;
    }
    let hash = match input.new_password {
        Some(pw) => Some(password::hash(pw).await?),
        None => None,
    };
    let revoked = hash.is_none();
    let email = found.email.clone();
    let txn = crate::store::begin_write(db).await?;
    let updated = users::update(
        &txn,
        found,
        users::UserChanges {
            password_hash: Some(hash),
            ..Default::default()
        },
    )
    .await?;
    sessions::delete_all_for(&txn, updated.id, None).await?;
    let reset = match (revoked, mailer, email) {
        (true, Some(mailer), Some(email)) => {
            let raw = token::random_token()?;
            users::insert_reset_token(
                &txn,
                updated.id,
                token::digest(&raw),
                Duration::minutes(reset_minutes),
            )
            .await?;
            Some((mailer, email, raw))
        }
        _ => None,
    };
    txn.commit().await?;
    sessions::forget_user(redis, updated.id).await;
    let mut emailed = false;
    if let Some((mailer, email, raw)) = reset {
        let (subject, body) = mail::password_reset_message(base_url, &raw, reset_minutes);
        match mailer.send(&email, &subject, &body).await {
            Ok(()) => emailed = true,
            // The password is revoked already; the answer says no link went out.
            Err(e) => tracing::warn!(user = updated.id, error = %e, "reset link not mailed"),
        }
    }
    tracing::info!(
        by = caller.user.id,
        user = updated.id,
        revoked,
        emailed,
        "password set by an administrator"
    );
    Ok(AdminPasswordResult { emailed })
}
