//! API keys, stored as SHA-256 digests (as LubeLogger does, so imported digests keep working).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::{api_key, user};

pub struct NewKey<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub key_hash: String,
    pub permission: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewKey<'_>) -> Result<api_key::Model, DbErr> {
    api_key::ActiveModel {
        user_id: Set(new.user_id),
        name: Set(new.name.trim().to_owned()),
        name_normalized: Set(new.name.trim().to_lowercase()),
        key_hash: Set(new.key_hash),
        permission: Set(new.permission.to_owned()),
        expires_at: Set(new.expires_at),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn list_for(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::UserId.eq(user_id))
        .order_by_asc(api_key::Column::NameNormalized)
        .all(db)
        .await
}

/// Deletes the user's key; `false` when there is no such key of theirs.
pub async fn delete(db: &impl ConnectionTrait, user_id: i64, id: i64) -> Result<bool, DbErr> {
    let done = api_key::Entity::delete_many()
        .filter(api_key::Column::Id.eq(id))
        .filter(api_key::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(done.rows_affected > 0)
}

/// The unexpired key with this digest and its enabled user, in one query.
pub async fn find_active(
    db: &impl ConnectionTrait,
    key_hash: &str,
) -> Result<Option<(api_key::Model, user::Model)>, DbErr> {
    let now = Utc::now();
    let found = api_key::Entity::find()
        .find_also_related(user::Entity)
        .filter(api_key::Column::KeyHash.eq(key_hash))
        .filter(
            Condition::any()
                .add(api_key::Column::ExpiresAt.is_null())
                .add(api_key::Column::ExpiresAt.gt(now)),
        )
        .filter(user::Column::IsDisabled.eq(false))
        .one(db)
        .await?;
    Ok(found.and_then(|(k, u)| u.map(|u| (k, u))))
}

/// Records use, at most once a minute per key so busy scripts do not write on every request.
pub async fn touch(db: &impl ConnectionTrait, key: &api_key::Model) -> Result<(), DbErr> {
    let now = Utc::now();
    if key
        .last_used_at
        .is_some_and(|at| now - at < Duration::minutes(1))
    {
        return Ok(());
    }
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(api_key::Column::Id.eq(key.id))
        .exec(db)
        .await?;
    Ok(())
}
