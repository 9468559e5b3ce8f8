//! Calendar feed tokens: at most one per user, stored as the SHA-256 digest of the secret.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::entity::{calendar_token, user};

/// The user's token row, if they have a feed.
pub async fn find_for(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<calendar_token::Model>, DbErr> {
    calendar_token::Entity::find()
        .filter(calendar_token::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// Creates the user's token or replaces its digest in one statement (the unique `user_id`
/// decides), so the previous secret stops working the moment the new one exists.
pub async fn replace(
    db: &impl ConnectionTrait,
    user_id: i64,
    token_hash: String,
    created_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    calendar_token::Entity::insert(calendar_token::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash),
        created_at: Set(created_at),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(calendar_token::Column::UserId)
            .update_columns([
                calendar_token::Column::TokenHash,
                calendar_token::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map(drop)
}

/// Deletes the user's token; `false` when they had none.
pub async fn delete_for(db: &impl ConnectionTrait, user_id: i64) -> Result<bool, DbErr> {
    let done = calendar_token::Entity::delete_many()
        .filter(calendar_token::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// The enabled user whose token has this digest, in one query.
pub async fn user_of(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<user::Model>, DbErr> {
    let found = calendar_token::Entity::find()
        .find_also_related(user::Entity)
        .filter(calendar_token::Column::TokenHash.eq(token_hash))
        .filter(user::Column::IsDisabled.eq(false))
        .one(db)
        .await?;
    Ok(found.and_then(|(_, u)| u))
}
