//! API keys (reference §1 "API keys"): per user, named (unique case-insensitively), a role, an
//! optional expiry. The key is 128 random bits as 32 lowercase hex characters, like
//! LubeLogger's GUID without dashes; it is shown once and only its SHA-256 digest is kept.
//! Every endpoint here needs a signed-in session: a key cannot mint or revoke keys.

use chrono::Utc;
use motovault_shared::dto::access::{ApiKey, ApiKeyInput, ApiKeyList, CreatedApiKey, Role};
use motovault_shared::problem::FieldError;

use crate::auth::{Caller, token};
use crate::error::{AppError, AppResult};
use crate::store::api_keys::{self as store, NewKey};
use crate::store::entity::api_key;
use sea_orm::DatabaseConnection;

/// Longest key name (characters).
const NAME_MAX: usize = 100;

pub async fn list(db: &DatabaseConnection, caller: &Caller) -> AppResult<ApiKeyList> {
    caller.session()?;
    let keys = store::list_for(db, caller.user.id)
        .await?
        .into_iter()
        .map(to_dto)
        .collect::<AppResult<_>>()?;
    Ok(ApiKeyList { keys })
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: ApiKeyInput,
) -> AppResult<CreatedApiKey> {
    caller.session()?;
    let name = input.name.trim();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", "a name is required"));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            "name",
            format!("at most {NAME_MAX} characters"),
        ));
    }
    if input.expires_at.is_some_and(|at| at <= Utc::now()) {
        errors.push(FieldError::new("expiresAt", "must be in the future"));
    }
    AppError::check(errors)?;
    let normalized = name.to_lowercase();
    let taken = store::list_for(db, caller.user.id)
        .await?
        .iter()
        .any(|k| k.name_normalized == normalized);
    if taken {
        return Err(AppError::Conflict(format!(
            "you already have an API key named \"{name}\""
        )));
    }
    let secret = new_secret()?;
    let row = store::insert(
        db,
        NewKey {
            user_id: caller.user.id,
            name,
            key_hash: token::digest(&secret),
            permission: input.role.as_str(),
            expires_at: input.expires_at,
        },
    )
    .await?;
    Ok(CreatedApiKey {
        key: to_dto(row)?,
        secret,
    })
}

/// Revokes the key at once: the next request with it is no longer signed in.
pub async fn delete(db: &DatabaseConnection, caller: &Caller, key_id: i64) -> AppResult<()> {
    caller.session()?;
    if store::delete(db, caller.user.id, key_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn new_secret() -> AppResult<String> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

fn to_dto(row: api_key::Model) -> AppResult<ApiKey> {
    let role = Role::parse(&row.permission)
        .ok_or_else(|| AppError::internal(format!("api key {} has an unknown role", row.id)))?;
    Ok(ApiKey {
        id: row.id,
        name: row.name,
        role,
        expires_at: row.expires_at,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_32_lowercase_hex_characters() {
        let a = new_secret().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')), "{a}");
        assert_ne!(a, new_secret().unwrap());
    }
}
