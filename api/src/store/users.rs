//! Users and their settings.

use chrono::Utc;
use motovault_shared::dto::UserSettings;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter,
};

use super::entity::{user, user_settings};

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
    let now = Utc::now();
    user::ActiveModel {
        username: Set(new.username.trim().to_owned()),
        username_normalized: Set(normalize(new.username)),
        email: Set(new
            .email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())),
        password_hash: Set(Some(new.password_hash.to_owned())),
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
