//! Sign-in sessions, stored in the database so they survive restarts and serve every replica.
//!
//! With Redis configured, lookups are served from Redis first ([`lookup`]): the entry
//! `{prefix}session:{token hash}` holds what a request needs (the user row and the CSRF token)
//! and lives until the session expires, at most [`CACHED_AT_MOST`]; the user's entries are
//! listed in `{prefix}user-sessions:{user id}` so "end every session" can clear them. The
//! database stays the durable store and the authority: a Redis miss, error or timeout reads
//! the database (so a Redis outage signs nobody out), and every end of a session deletes the
//! row first, then the entries ([`forget`], [`forget_user`]). An entry is written after a
//! database read and then checked against the database once more, so a read that raced with a
//! sign-out cannot leave a dead session alive in Redis.

use chrono::{DateTime, Duration, Utc};
use deadpool_redis::redis;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};

use super::entity::{session, user};
use crate::infra::redis::Redis;

/// The longest a Redis entry lives before the database is asked again: bounds the damage of
/// an "end every session" whose Redis part was lost in an outage.
pub const CACHED_AT_MOST: std::time::Duration = std::time::Duration::from_secs(600);

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

/// What a signed-in request needs from its session besides the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Active {
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// A Redis session entry: the user row and the session's CSRF token and expiry. The password
/// hash stays out of Redis: users read from an entry have `password_hash: None`, and the one
/// check that needs the hash (changing one's own password) reads the user from the database.
#[derive(Serialize, Deserialize)]
struct Entry {
    csrf_token: String,
    expires_at: DateTime<Utc>,
    user_id: i64,
    username: String,
    username_normalized: String,
    email: Option<String>,
    is_admin: bool,
    is_root: bool,
    is_disabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Entry {
    fn new(active: &Active, u: &user::Model) -> Entry {
        Entry {
            csrf_token: active.csrf_token.clone(),
            expires_at: active.expires_at,
            user_id: u.id,
            username: u.username.clone(),
            username_normalized: u.username_normalized.clone(),
            email: u.email.clone(),
            is_admin: u.is_admin,
            is_root: u.is_root,
            is_disabled: u.is_disabled,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }

    fn into_parts(self) -> (Active, user::Model) {
        (
            Active {
                csrf_token: self.csrf_token,
                expires_at: self.expires_at,
            },
            user::Model {
                id: self.user_id,
                username: self.username,
                username_normalized: self.username_normalized,
                email: self.email,
                password_hash: None,
                is_admin: self.is_admin,
                is_root: self.is_root,
                is_disabled: self.is_disabled,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
        )
    }
}

fn session_key(redis: &Redis, token_hash: &str) -> String {
    redis.key(&format!("session:{token_hash}"))
}

fn user_key(redis: &Redis, user_id: i64) -> String {
    redis.key(&format!("user-sessions:{user_id}"))
}

/// The live session with this hash and its enabled user: from Redis when it holds it, else
/// from the database (then remembered in Redis).
pub async fn lookup(
    db: &impl ConnectionTrait,
    redis: Option<&Redis>,
    token_hash: &str,
) -> Result<Option<(Active, user::Model)>, DbErr> {
    let Some(redis) = redis else {
        return from_db(db, token_hash).await;
    };
    match redis
        .cmd::<Option<String>>(redis::cmd("GET").arg(session_key(redis, token_hash)))
        .await
    {
        Ok(Some(json)) => {
            if let Ok(entry) = serde_json::from_str::<Entry>(&json)
                && entry.expires_at > Utc::now()
                && !entry.is_disabled
            {
                return Ok(Some(entry.into_parts()));
            }
        }
        Ok(None) => {}
        Err(error) => {
            tracing::warn!(%error, "sessions: redis unavailable, reading the database");
            return from_db(db, token_hash).await;
        }
    }
    let found = from_db(db, token_hash).await?;
    if let Some((active, user)) = &found {
        remember(db, Some(redis), token_hash, active, user).await;
    }
    Ok(found)
}

async fn from_db(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(Active, user::Model)>, DbErr> {
    Ok(find_active(db, token_hash).await?.map(|(s, u)| {
        (
            Active {
                csrf_token: s.csrf_token,
                expires_at: s.expires_at,
            },
            u,
        )
    }))
}

/// Writes a session's Redis entry (after sign-in, or after a lookup that missed), then reads
/// the database again and drops the entry if the session ended or its user changed meanwhile.
/// Failures are logged: the database still answers every lookup.
pub async fn remember(
    db: &impl ConnectionTrait,
    redis: Option<&Redis>,
    token_hash: &str,
    active: &Active,
    user: &user::Model,
) {
    let Some(redis) = redis else { return };
    let left = (active.expires_at - Utc::now()).num_milliseconds();
    let ttl_ms = left.min(i64::try_from(CACHED_AT_MOST.as_millis()).unwrap_or(i64::MAX));
    if ttl_ms <= 0 {
        return;
    }
    let Ok(json) = serde_json::to_string(&Entry::new(active, user)) else {
        return;
    };
    let key = session_key(redis, token_hash);
    let set = user_key(redis, user.id);
    let set_secs = (ttl_ms / 1000).max(1);
    let mut pipe = redis::pipe();
    pipe.atomic()
        .cmd("SET")
        .arg(&key)
        .arg(json)
        .arg("PX")
        .arg(ttl_ms)
        .ignore()
        .cmd("SADD")
        .arg(&set)
        .arg(token_hash)
        .ignore()
        // The list lives as long as its longest entry.
        .cmd("EXPIRE")
        .arg(&set)
        .arg(set_secs)
        .arg("NX")
        .ignore()
        .cmd("EXPIRE")
        .arg(&set)
        .arg(set_secs)
        .arg("GT")
        .ignore();
    if let Err(error) = redis.pipe::<()>(&pipe).await {
        tracing::warn!(%error, "sessions: redis unavailable, session kept in the database only");
        return;
    }
    let still = from_db(db, token_hash).await;
    let same = matches!(&still, Ok(Some((a, u))) if a == active && u == user);
    if !same && let Err(error) = redis.cmd::<()>(redis::cmd("DEL").arg(&key)).await {
        tracing::warn!(%error, "sessions: a stale redis entry could not be dropped");
    }
}

/// Drops one session's Redis entry (after its row was deleted), and its place in the user's
/// list when the user is known.
pub async fn forget(redis: Option<&Redis>, user_id: Option<i64>, token_hash: &str) {
    let Some(redis) = redis else { return };
    let mut pipe = redis::pipe();
    pipe.cmd("DEL").arg(session_key(redis, token_hash)).ignore();
    if let Some(user_id) = user_id {
        pipe.cmd("SREM")
            .arg(user_key(redis, user_id))
            .arg(token_hash)
            .ignore();
    }
    if let Err(error) = redis.pipe::<()>(&pipe).await {
        tracing::warn!(%error, user_id, "sessions: redis entry not dropped; it expires by itself");
    }
}

/// Drops every Redis entry of a user: call after the user's sessions were deleted or the user
/// row changed (entries hold a copy of it), once the transaction committed.
pub async fn forget_user(redis: Option<&Redis>, user_id: i64) {
    let Some(redis) = redis else { return };
    let set = user_key(redis, user_id);
    let dropped = async {
        let hashes: Vec<String> = redis.cmd(redis::cmd("SMEMBERS").arg(&set)).await?;
        let mut del = redis::cmd("DEL");
        del.arg(&set);
        for hash in &hashes {
            del.arg(session_key(redis, hash));
        }
        redis.cmd::<()>(&del).await
    };
    if let Err(error) = dropped.await {
        tracing::warn!(
            %error,
            user_id,
            "sessions: redis entries not dropped; they expire within {} s",
            CACHED_AT_MOST.as_secs()
        );
    }
}
