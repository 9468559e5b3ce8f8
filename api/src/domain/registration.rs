//! Registration (open, by token, or off), registration tokens, and password reset by e-mail.

use chrono::{Duration, Utc};
use motovault_shared::dto::users::{
    AuthOptions, CreatedRegistrationToken, OidcOption, PasswordResetConfirm, PasswordResetRequest,
    RegisterRequest, RegistrationToken, RegistrationTokenInput, RegistrationTokenList,
};
use motovault_shared::validate;
use sea_orm::DatabaseConnection;

use super::accounts::{self, SignedIn};
use super::users::{check_email, check_password, ensure_unique, require_admin};
use crate::auth::{Caller, password, token};
use crate::config::{AuthSettings, RegistrationPolicy};
use crate::error::{AppError, AppResult};
use crate::infra::mail::{self, Mailer};
use crate::infra::redis::Redis;
use crate::state::AppState;
use crate::store::entity::registration_token;
use crate::store::{sessions, users};

/// Registration tokens are typed by people: 8 characters (as the reference) from an alphabet
/// without look-alikes (no 0/O, 1/I). 32 symbols, so one random byte maps without bias.
const TOKEN_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const TOKEN_LEN: usize = 8;
const MAX_TOKEN_DAYS: i64 = 365;

fn new_registration_token() -> AppResult<String> {
    let mut bytes = [0_u8; TOKEN_LEN];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(TOKEN_ALPHABET[usize::from(*b) % TOKEN_ALPHABET.len()]))
        .collect())
}

/// Tokens compare case-insensitively and ignore surrounding spaces (they are read off e-mails).
fn registration_token_digest(raw: &str) -> String {
    token::digest(&raw.trim().to_uppercase())
}

pub fn options(state: &AppState) -> AuthOptions {
    let auth = &state.settings.auth;
    AuthOptions {
        registration: match auth.registration {
            RegistrationPolicy::Open => "open",
            RegistrationPolicy::Token => "token",
            RegistrationPolicy::Off => "off",
        }
        .to_owned(),
        password_login: !auth.disable_password_login,
        password_reset: state.mailer.is_some() && !auth.disable_password_login,
        oidc: state.oidc.as_ref().map(|_| OidcOption {
            name: state.settings.oidc.name.clone(),
            login_url: "/api/v1/auth/oidc/login".to_owned(),
        }),
    }
}

fn token_info(t: registration_token::Model) -> RegistrationToken {
    RegistrationToken {
        id: t.id,
        email: t.email,
        created_at: t.created_at,
        expires_at: t.expires_at,
        used_at: t.used_at,
    }
}

pub async fn list_tokens(
    db: &DatabaseConnection,
    caller: &Caller,
) -> AppResult<RegistrationTokenList> {
    require_admin(caller)?;
    Ok(RegistrationTokenList {
        tokens: users::list_registration_tokens(db)
            .await?
            .into_iter()
            .map(token_info)
            .collect(),
    })
}

pub async fn create_token(
    db: &DatabaseConnection,
    mailer: Option<&Mailer>,
    base_url: &str,
    caller: &Caller,
    input: RegistrationTokenInput,
) -> AppResult<CreatedRegistrationToken> {
    require_admin(caller)?;
    let mut errors = Vec::new();
    check_email(&mut errors, "email", &input.email);
    if let Some(days) = input.expires_in_days
        && !(1..=MAX_TOKEN_DAYS).contains(&days)
    {
        errors.push(motovault_shared::problem::FieldError::new(
            "expiresInDays",
            format!("must be between 1 and {MAX_TOKEN_DAYS}"),
        ));
    }
    if input.send_email && mailer.is_none() {
        errors.push(motovault_shared::problem::FieldError::new(
            "sendEmail",
            "e-mail is not configured on this server (smtp.host)",
        ));
    }
    AppError::check(errors)?;
    let raw = new_registration_token()?;
    let created = users::insert_registration_token(
        db,
        registration_token_digest(&raw),
        &input.email,
        caller.user.id,
        input
            .expires_in_days
            .map(|d| Utc::now() + Duration::days(d)),
    )
    .await?;
    let mut emailed = false;
    if let (true, Some(mailer)) = (input.send_email, mailer) {
        let (subject, body) = mail::registration_token_message(base_url, &raw);
        if let Err(e) = mailer.send(&created.email, &subject, &body).await {
            // Asked to mail it and could not: no token the admin does not know about is left.
            users::delete_registration_token(db, created.id).await?;
            return Err(e);
        }
        emailed = true;
    }
    tracing::info!(
        by = caller.user.id,
        token = created.id,
        emailed,
        "registration token created"
    );
    Ok(CreatedRegistrationToken {
        info: token_info(created),
        token: raw,
        emailed,
    })
}

pub async fn delete_token(db: &DatabaseConnection, caller: &Caller, id: i64) -> AppResult<()> {
    require_admin(caller)?;
    if users::delete_registration_token(db, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn invalid_token() -> AppError {
    // One answer for unknown, used, expired and other-address tokens: nothing to probe.
    AppError::field("token", "is not a valid registration token for this e-mail")
}

/// Creates an ordinary account as `auth.registration` allows, and signs it in.
pub async fn register(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    input: RegisterRequest,
) -> AppResult<SignedIn> {
    if auth.registration == RegistrationPolicy::Off {
        return Err(AppError::Forbidden(
            "registration is turned off; ask an administrator for an account".into(),
        ));
    }
    if auth.disable_password_login {
        return Err(AppError::Forbidden(
            "password sign-in is turned off; register through single sign-on".into(),
        ));
    }
    let needs_token = auth.registration == RegistrationPolicy::Token;
    let mut errors = Vec::new();
    validate::username(&mut errors, &input.username);
    check_password(&mut errors, "password", &input.password);
    check_email(&mut errors, "email", &input.email);
    let raw_token = input
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if needs_token && raw_token.is_none() {
        errors.push(motovault_shared::problem::FieldError::new(
            "token",
            "is required",
        ));
    }
    AppError::check(errors)?;
    let email = input.email.trim().to_owned();
    let token_row = match (needs_token, raw_token) {
        (true, Some(raw)) => {
            let row = users::find_registration_token(db, &registration_token_digest(raw))
                .await?
                .filter(|t| t.used_at.is_none())
                .filter(|t| t.expires_at.is_none_or(|at| at > Utc::now()))
                .filter(|t| t.email.trim().to_lowercase() == email.to_lowercase())
                .ok_or_else(invalid_token)?;
            Some(row)
        }
        _ => None,
    };
    ensure_unique(db, &input.username, Some(&email), None).await?;
    let hash = password::hash(input.password).await?;
    let txn = crate::store::begin_write(db).await?;
    if let Some(row) = &token_row
        && !users::use_registration_token(&txn, row.id).await?
    {
        return Err(invalid_token());
    }
    let created = users::insert(
        &txn,
        users::NewUser {
            username: &input.username,
            email: Some(&email),
            password_hash: &hash,
            is_admin: false,
            is_root: false,
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user = created.id,
        token = token_row.map(|t| t.id),
        "user registered"
    );
    accounts::start_session(db, created, auth.session_days).await
}

/// Mails a reset link when an enabled account has this e-mail. The caller answers 202 either
/// way; the mail goes out in the background so the answer takes as long for unknown addresses.
pub async fn request_reset(
    state: &AppState,
    base_url: &str,
    input: PasswordResetRequest,
) -> AppResult<()> {
    if state.settings.auth.disable_password_login {
        return Err(AppError::Forbidden("password sign-in is turned off".into()));
    }
    let Some(mailer) = state.mailer.clone() else {
        return Err(AppError::Unavailable(
            "password reset needs e-mail, and SMTP is not configured".into(),
        ));
    };
    let mut errors = Vec::new();
    check_email(&mut errors, "email", &input.email);
    AppError::check(errors)?;
    let found = users::find_by_email(&state.db, &input.email)
        .await?
        .into_iter()
        .find(|u| !u.is_disabled);
    let Some(found) = found else {
        tracing::info!("password reset asked for an unknown or disabled address");
        return Ok(());
    };
    let minutes = state.settings.auth.password_reset_minutes;
    let raw = token::random_token()?;
    users::insert_reset_token(
        &state.db,
        found.id,
        token::digest(&raw),
        Duration::minutes(minutes),
    )
    .await?;
    let (subject, body) = mail::password_reset_message(base_url, &raw, minutes);
    let to = found.email.unwrap_or_default();
    let user_id = found.id;
    actix_web::rt::spawn(async move {
        if let Err(e) = mailer.send(&to, &subject, &body).await {
            tracing::error!(user = user_id, error = %e, "password reset e-mail failed");
        }
    });
    Ok(())
}

/// Sets the new password from a reset link: single use, ends every session of the user.
pub async fn confirm_reset(
    db: &DatabaseConnection,
    redis: Option<&Redis>,
    input: PasswordResetConfirm,
) -> AppResult<()> {
    let mut errors = Vec::new();
    check_password(&mut errors, "password", &input.password);
    if input.token.trim().is_empty() {
        errors.push(motovault_shared::problem::FieldError::new(
            "token",
            "is required",
        ));
    }
    AppError::check(errors)?;
    let invalid = || AppError::field("token", "this reset link is invalid, used or expired");
    let row = users::find_reset_token(db, &token::digest(input.token.trim()))
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > Utc::now())
        .ok_or_else(invalid)?;
    let found = users::find(db, row.user_id)
        .await?
        .filter(|u| !u.is_disabled)
        .ok_or_else(invalid)?;
    let hash = password::hash(input.password).await?;
    let txn = crate::store::begin_write(db).await?;
    if !users::use_reset_token(&txn, row.id).await? {
        return Err(invalid());
    }
    let updated = users::update(
        &txn,
        found,
        users::UserChanges {
            password_hash: Some(Some(hash)),
            ..Default::default()
        },
    )
    .await?;
    sessions::delete_all_for(&txn, updated.id, None).await?;
    txn.commit().await?;
    sessions::forget_user(redis, updated.id).await;
    tracing::info!(user = updated.id, "password reset");
    Ok(())
}
