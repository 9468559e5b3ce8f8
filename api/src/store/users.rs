//! Users and their settings.

use chrono::{DateTime, Duration, Utc};
use motovault_shared::dto::UserSettings;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use super::entity::{password_reset_token, registration_token, user, user_settings};

pub struct NewUser<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub is_root: bool,
}

pub fn normalize(username: &str) -> String {
    username.trim().to_lowercase()
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    user::Entity::find().count(db).await
}

pub async fn insert(db: &impl ConnectionTrait, new: NewUser<'_>) -> Result<user::Model, DbErr> {
    insert_account(db, &new, Some(new.password_hash)).await
}

/// Creates an account with no password yet (it is set later through a reset link).
pub async fn insert_without_password(
    db: &impl ConnectionTrait,
    new: NewUser<'_>,
) -> Result<user::Model, DbErr> {
    insert_account(db, &new, None).await
}

async fn insert_account(
    db: &impl ConnectionTrait,
    new: &NewUser<'_>,
    password_hash: Option<&str>,
) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    user::ActiveModel {
        username: Set(new.username.trim().to_owned()),
        username_normalized: Set(normalize(new.username)),
        email: Set(new
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())),
        password_hash: Set(password_hash.map(str::to_owned)),
        is_admin: Set(new.is_admin),
        is_root: Set(new.is_root),
        is_disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::UsernameNormalized.eq(normalize(username)))
        .one(db)
        .await
}

/// Stored settings, or the defaults when the user never saved any (or they no longer parse).
pub async fn settings(db: &impl ConnectionTrait, user_id: i64) -> Result<UserSettings, DbErr> {
    let row = user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    Ok(row
        .and_then(|r| serde_json::from_str(&r.settings).ok())
        .unwrap_or_default())
}

pub async fn save_settings(
    db: &impl ConnectionTrait,
    user_id: i64,
    settings: &UserSettings,
) -> Result<(), DbErr> {
    let json = serde_json::to_string(settings).map_err(|e| DbErr::Custom(e.to_string()))?;
    let existing = user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let now = Utc::now();
    match existing {
        Some(row) => {
            let mut row: user_settings::ActiveModel = row.into();
            row.settings = Set(json);
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            user_settings::ActiveModel {
                user_id: Set(user_id),
                settings: Set(json),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .order_by_asc(user::Column::UsernameNormalized)
        .all(db)
        .await
}

/// The accounts with this e-mail, compared case-insensitively, oldest first.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find()
        .filter(ExprTrait::eq(
            Func::lower(Expr::col(user::Column::Email)),
            email.trim().to_lowercase(),
        ))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
}

/// Whether another account (not `except`) already uses this e-mail, case-insensitively.
pub async fn email_taken(
    db: &impl ConnectionTrait,
    email: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    Ok(find_by_email(db, email)
        .await?
        .iter()
        .any(|u| Some(u.id) != except))
}

/// Only the `Some` fields change.
#[derive(Default)]
pub struct UserChanges {
    /// `Some(None)` clears the e-mail.
    pub email: Option<Option<String>>,
    /// `Some(None)` revokes the password (no password sign-in).
    pub password_hash: Option<Option<String>>,
    pub is_admin: Option<bool>,
    pub is_disabled: Option<bool>,
}

pub async fn update(
    db: &impl ConnectionTrait,
    found: user::Model,
    changes: UserChanges,
) -> Result<user::Model, DbErr> {
    let mut row: user::ActiveModel = found.into();
    if let Some(email) = changes.email {
        row.email = Set(email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()));
    }
    if let Some(hash) = changes.password_hash {
        row.password_hash = Set(hash);
    }
    if let Some(is_admin) = changes.is_admin {
        row.is_admin = Set(is_admin);
    }
    if let Some(is_disabled) = changes.is_disabled {
        row.is_disabled = Set(is_disabled);
    }
    row.updated_at = Set(Utc::now());
    row.update(db).await
}

/// Deletes the account. The schema cascades to its sessions, settings, API keys, collaborator
/// and household rows and reset tokens; vehicles stay (see README, "Users").
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(user::Entity::delete_by_id(id).exec(db).await?.rows_affected > 0)
}

// ---------------------------------------------------------------- registration tokens

pub async fn insert_registration_token(
    db: &impl ConnectionTrait,
    token_hash: String,
    email: &str,
    created_by: i64,
    expires_at: Option<DateTime<Utc>>,
) -> Result<registration_token::Model, DbErr> {
    registration_token::ActiveModel {
        token_hash: Set(token_hash),
        email: Set(email.trim().to_owned()),
        created_by: Set(Some(created_by)),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn list_registration_tokens(
    db: &impl ConnectionTrait,
) -> Result<Vec<registration_token::Model>, DbErr> {
    registration_token::Entity::find()
        .order_by_desc(registration_token::Column::Id)
        .all(db)
        .await
}

pub async fn delete_registration_token(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    Ok(registration_token::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

pub async fn find_registration_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<registration_token::Model>, DbErr> {
    registration_token::Entity::find()
        .filter(registration_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Marks the token used; `false` when it already was (a concurrent registration won).
pub async fn use_registration_token(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let done = registration_token::Entity::update_many()
        .col_expr(registration_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(registration_token::Column::Id.eq(id))
        .filter(registration_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

// ---------------------------------------------------------------- password reset tokens

/// Stores a reset token and drops the user's earlier unused ones: only the newest link works.
pub async fn insert_reset_token(
    db: &impl ConnectionTrait,
    user_id: i64,
    token_hash: String,
    lifetime: Duration,
) -> Result<(), DbErr> {
    password_reset_token::Entity::delete_many()
        .filter(password_reset_token::Column::UserId.eq(user_id))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let now = Utc::now();
    password_reset_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn find_reset_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<password_reset_token::Model>, DbErr> {
    password_reset_token::Entity::find()
        .filter(password_reset_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Marks the reset token used; `false` when it already was.
pub async fn use_reset_token(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let done = password_reset_token::Entity::update_many()
        .col_expr(
            password_reset_token::Column::UsedAt,
            Expr::value(Utc::now()),
        )
        .filter(password_reset_token::Column::Id.eq(id))
        .filter(password_reset_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
