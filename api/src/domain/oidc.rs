//! OpenID Connect sign-in: start a flow, then turn the provider's callback into a session.
//!
//! The pending flow (state, nonce, PKCE verifier) is a database row, so the callback can land
//! on any replica. Only the SHA-256 of `state` is stored: a leaked table cannot finish flows.

use chrono::Duration;
use sea_orm::{DatabaseConnection, SqlErr};

use crate::auth::oidc::{Challenge, OidcClient, OidcError};
use crate::auth::token;
use crate::domain::accounts::{self, SignedIn};
use crate::store::entity::user;
use crate::store::{oidc as store, sessions, users};

/// How long the user has at the provider before the state expires.
const LOGIN_MINUTES: i64 = 10;
/// Longest username made from an e-mail's local part (the limit is 64; room for a suffix).
const USERNAME_BASE_CHARS: usize = 56;

/// Records a new flow and gives the provider URL to send the browser to.
pub async fn begin(
    db: &DatabaseConnection,
    client: &OidcClient,
    redirect_uri: &str,
) -> Result<String, OidcError> {
    let challenge = Challenge::new()?;
    // Built first: an unreachable provider leaves no row behind.
    let url = client.authorization_url(redirect_uri, &challenge).await?;
    store::insert_login(
        db,
        token::digest(&challenge.state),
        challenge.code_verifier,
        challenge.nonce,
        Duration::minutes(LOGIN_MINUTES),
    )
    .await?;
    Ok(url)
}

/// Finishes a flow: checks the state (single use), exchanges the code, verifies the id token,
/// finds or creates the user and starts a session.
pub async fn finish(
    db: &DatabaseConnection,
    client: &OidcClient,
    code: &str,
    state: &str,
    redirect_uri: &str,
    session_days: i64,
) -> Result<SignedIn, OidcError> {
    let pending = store::take_login(db, &token::digest(state))
        .await?
        .ok_or(OidcError::InvalidState)?;
    let identity = client
        .identify(code, redirect_uri, &pending.code_verifier, &pending.nonce)
        .await?;
    let found = match store::find_user_by_email(db, &identity.email).await? {
        Some(found) => found,
        None if client.auto_register() => create_user(db, &identity.email).await?,
        None => return Err(OidcError::UnknownUser),
    };
    if found.is_disabled {
        return Err(OidcError::Disabled);
    }
    tracing::info!(
        user_id = found.id,
        subject = %identity.subject,
        "OpenID Connect sign-in"
    );
    sessions::delete_expired_for(db, found.id).await?;
    Ok(accounts::start_session(db, found, session_days).await?)
}

/// A password-less account named after the e-mail's local part, numbered when taken
/// (`jane`, `jane2`, `jane3`, …).
async fn create_user(db: &DatabaseConnection, email: &str) -> Result<user::Model, OidcError> {
    let base = username_base(email);
    for n in 1..=1000_u32 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}{n}")
        };
        if users::find_by_username(db, &candidate).await?.is_some() {
            continue;
        }
        match store::insert_external_user(db, &candidate, email).await {
            Ok(created) => {
                tracing::info!(user_id = created.id, username = %created.username, "account created by OpenID Connect sign-in");
                return Ok(created);
            }
            // Someone took the name between the check and the insert: try the next one.
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(OidcError::Internal(format!(
        "no free username for {base} after 1000 tries"
    )))
}

/// The e-mail's local part without spaces or control characters, never empty.
fn username_base(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default();
    let cleaned: String = local
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(USERNAME_BASE_CHARS)
        .collect();
    if cleaned.is_empty() {
        "user".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_come_from_the_local_part() {
        assert_eq!(username_base("Jane.Doe+cars@example.com"), "Jane.Doe+cars");
        assert_eq!(username_base("@example.com"), "user");
        assert_eq!(username_base(&format!("{}@x.io", "a".repeat(80))).len(), 56);
    }
}
