//! Sign-in sessions, stored in the database so they survive restarts and serve every replica.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

use super::entity::{session, user};

pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: i64,
    token_hash: String,
    csrf_token: String,
    lifetime: Duration,
) -> Result<session::Model, DbErr> {
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(token_hash),
        user_id: Set(user_id),
        csrf_token: Set(csrf_token),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + lifetime),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The live session with this hash and its (enabled) user, in one query.
pub async fn find_active(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    // Every signed-in request runs this: one joined query, not a session then a user lookup.
    let found = session::Entity::find()
        .find_also_related(user::Entity)
        .filter(session::Column::TokenHash.eq(token_hash))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .filter(user::Column::IsDisabled.eq(false))
        .one(db)
        .await?;
    Ok(found.and_then(|(s, u)| u.map(|u| (s, u))))
}

pub async fn delete(db: &impl ConnectionTrait, token_hash: &str) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Drops expired sessions of a user (called at sign-in so the table cannot grow without bound).
pub async fn delete_expired_for(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.lte(Utc::now()))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user, except the one with `keep` (the caller's own, rotated by the
/// caller when needed). Used on password change, privilege change, disable and delete.
pub async fn delete_all_for(
    db: &impl ConnectionTrait,
    user_id: i64,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(hash) = keep {
        query = query.filter(session::Column::TokenHash.ne(hash));
    }
    Ok(query.exec(db).await?.rows_affected)
}
