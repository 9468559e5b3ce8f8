//! First-run setup, sign-in and sign-out.

use chrono::Duration;
use motovault_shared::dto::{CurrentUser, LoginRequest, SetupRequest, UserSettings};
use motovault_shared::validate;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::auth::rate_limit::{self, LoginLimiter};
use crate::auth::{Caller, password, token};
use crate::config::AuthSettings;
use crate::error::{AppError, AppResult};
use crate::infra::redis::Redis;
use crate::store::entity::user;
use crate::store::{sessions, users};

/// A new session: the raw cookie value (given to the browser once) and who it belongs to.
pub struct SignedIn {
    pub cookie_value: String,
    pub user: CurrentUser,
    /// Lifetime of the session, for the cookie's Max-Age.
    pub days: i64,
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
    let txn = crate::store::begin_write(db).await?;
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

/// Where a sign-in comes from and what it may replace.
pub struct LoginAttempt<'a> {
    /// The client address the limits count (see `rate_limit::client_address`).
    pub address: &'a str,
    /// The session cookie the browser sent along, if any: it is ended, never reused.
    pub old_cookie: Option<&'a str>,
    /// Where sessions are looked up first (see `store::sessions`), when configured.
    pub redis: Option<&'a Redis>,
}

/// Password sign-in. The failure limits are checked (and the attempt counted) before the
/// password, so a blocked client learns nothing, not even with the right password.
pub async fn login(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    limiter: &LoginLimiter,
    input: LoginRequest,
    attempt: LoginAttempt<'_>,
) -> AppResult<SignedIn> {
    AppError::check(validate::login(&input))?;
    let account = users::normalize(&input.username);
    if let Err(retry_after_secs) = limiter.check_shared(&account, attempt.address).await {
        rate_limit::log_refused_login(&input.username, attempt.address, retry_after_secs);
        return Err(AppError::RateLimited { retry_after_secs });
    }
    let days = if input.remember_me {
        auth.remember_me_days
    } else {
        auth.session_days
    };
    // The attempt already counts as a failure; only a right password (or an error that says
    // nothing about it) takes that back.
    let found = match check_password(db, &input.username, input.password).await {
        Ok(found) => found,
        Err(AppError::InvalidCredentials) => {
            rate_limit::log_failed_login(&input.username, attempt.address);
            return Err(AppError::InvalidCredentials);
        }
        Err(other) => {
            limiter.release_shared(&account, attempt.address).await;
            return Err(other);
        }
    };
    limiter.succeeded_shared(&account, attempt.address).await;
    let old_hash = attempt.old_cookie.map(token::digest);
    let txn = crate::store::begin_write(db).await?;
    // Rotation: whatever session the browser had before is ended, the new one has a fresh id.
    if let Some(old) = &old_hash {
        sessions::delete(&txn, old).await?;
    }
    sessions::delete_expired_for(&txn, found.id).await?;
    let (signed_in, opened) = open_session(&txn, found, days).await?;
    txn.commit().await?;
    if let Some(old) = &old_hash {
        sessions::forget(attempt.redis, None, old).await;
    }
    // Written through, so the first request on any replica finds it in Redis.
    sessions::remember(
        db,
        attempt.redis,
        &opened.token_hash,
        &opened.active,
        &opened.user,
    )
    .await;
    Ok(signed_in)
}

/// The enabled user with this username and password, or `InvalidCredentials` (same answer and
/// about the same time for an unknown user, a disabled one and a wrong password).
async fn check_password(
    db: &DatabaseConnection,
    username: &str,
    password: String,
) -> AppResult<user::Model> {
    let found = users::find_by_username(db, username).await?;
    let Some(found) = found.filter(|u| !u.is_disabled) else {
        password::burn_time(password).await?;
        return Err(AppError::InvalidCredentials);
    };
    let Some(stored) = found.password_hash.clone() else {
        password::burn_time(password).await?;
        return Err(AppError::InvalidCredentials);
    };
    if !password::verify(password, stored).await? {
        return Err(AppError::InvalidCredentials);
    }
    Ok(found)
}

/// A new session of `session_days` for `user` (the caller sets the cookie's Max-Age from
/// [`SignedIn::days`]).
pub(crate) async fn start_session(
    db: &impl ConnectionTrait,
    user: user::Model,
    session_days: i64,
) -> AppResult<SignedIn> {
    Ok(open_session(db, user, session_days).await?.0)
}

/// A session just created: what `sessions::remember` writes once its transaction committed.
struct Opened {
    token_hash: String,
    active: sessions::Active,
    user: user::Model,
}

async fn open_session(
    db: &impl ConnectionTrait,
    user: user::Model,
    session_days: i64,
) -> AppResult<(SignedIn, Opened)> {
    let cookie_value = token::random_token()?;
    let csrf = token::random_token()?;
    let token_hash = token::digest(&cookie_value);
    let row = sessions::insert(
        db,
        user.id,
        token_hash.clone(),
        csrf.clone(),
        Duration::days(session_days),
    )
    .await?;
    let settings = users::settings(db, user.id).await?;
    let opened = Opened {
        token_hash,
        active: sessions::Active {
            csrf_token: row.csrf_token,
            expires_at: row.expires_at,
        },
        user: user.clone(),
    };
    Ok((
        SignedIn {
            cookie_value,
            user: current_user(user, settings, csrf),
            days: session_days,
        },
        opened,
    ))
}

/// Ends the caller's session: the database row, then its Redis entry.
pub async fn logout(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    caller: &Caller,
) -> AppResult<()> {
    let (_, session_hash) = caller.session()?;
    sessions::delete(db, session_hash).await?;
    sessions::forget(redis, Some(caller.user.id), session_hash).await;
    Ok(())
}

pub async fn me(db: &DatabaseConnection, caller: &Caller) -> AppResult<CurrentUser> {
    // An API key has no CSRF token: it is not a browser session.
    let csrf = caller
        .session()
        .map(|(csrf, _)| csrf.to_owned())
        .unwrap_or_default();
    let settings = users::settings(db, caller.user.id).await?;
    Ok(current_user(caller.user.clone(), settings, csrf))
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
