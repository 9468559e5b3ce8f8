//! Pending OpenID Connect sign-ins, and the user lookups the callback needs.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::{oidc_login, user};
use super::users;

/// Stores a pending sign-in and sweeps the expired ones, so abandoned flows do not pile up.
pub async fn insert_login(
    db: &impl ConnectionTrait,
    state_hash: String,
    code_verifier: String,
    nonce: String,
    lifetime: Duration,
) -> Result<(), DbErr> {
    let now = Utc::now();
    oidc_login::Entity::delete_many()
        .filter(oidc_login::Column::ExpiresAt.lte(now))
        .exec(db)
        .await?;
    oidc_login::ActiveModel {
        state_hash: Set(state_hash),
        code_verifier: Set(code_verifier),
        nonce: Set(nonce),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Takes the pending sign-in with this state hash: the row is deleted whatever its age, and
/// returned only when still valid. Deleting first makes each state single use even when two
/// callbacks race (only one delete affects the row).
pub async fn take_login(
    db: &impl ConnectionTrait,
    state_hash: &str,
) -> Result<Option<oidc_login::Model>, DbErr> {
    let Some(found) = oidc_login::Entity::find()
        .filter(oidc_login::Column::StateHash.eq(state_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let deleted = oidc_login::Entity::delete_by_id(found.id).exec(db).await?;
    if deleted.rows_affected != 1 || found.expires_at <= Utc::now() {
        return Ok(None);
    }
    Ok(Some(found))
}

/// The user with this e-mail, compared case-insensitively (the oldest account if several).
pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(user::Column::Email))).eq(email.trim().to_lowercase()),
        )
        .order_by_asc(user::Column::Id)
        .one(db)
        .await
}

/// Creates an account that signs in only through the provider (no password).
pub async fn insert_external_user(
    db: &impl ConnectionTrait,
    username: &str,
    email: &str,
) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    user::ActiveModel {
        username: Set(username.to_owned()),
        username_normalized: Set(users::normalize(username)),
        email: Set(Some(email.trim().to_owned())),
        password_hash: Set(None),
        is_admin: Set(false),
        is_root: Set(false),
        is_disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}
