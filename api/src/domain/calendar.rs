//! Calendar of reminders and the per-user ICS feed with a revocable token (issue 8).
//!
//! The calendar lists the date reminders of every vehicle the caller may view (reference §1
//! "Calendar / ICS": odometer-only reminders left out, urgency by date only), through the same
//! collection as the ICS feeds (`compat::calendar::date_reminders`).
//!
//! The feed URL carries its own credential, because calendar apps cannot send cookies or
//! headers: 32 random bytes as 64 hex characters (256 bits, so guessing is hopeless and needs
//! no rate limit), shown once; only its SHA-256 digest is stored, one per user. Creating a new
//! one replaces the old, deleting it revokes the URL. Managing the feed needs a signed-in
//! session, as API keys do: a key cannot mint a credential.

use chrono::{NaiveDate, SubsecRound, Utc};
use motovault_shared::dto::access::{Permission, Role};
use motovault_shared::dto::calendar::{
    self as dto, CalendarEvent, CalendarEvents, CalendarFeed, CreatedCalendarFeed,
};
use sea_orm::DatabaseConnection;

use super::reminders::UrgencyContext;
use crate::auth::caller::Credential;
use crate::auth::{Caller, token};
use crate::compat::calendar::date_reminders;
use crate::error::{AppError, AppResult};
use crate::store::calendar_tokens as store;

/// The caller's date reminders due from `from` to `to` (both included), soonest first; on one
/// day by vehicle, then description.
pub async fn events(
    db: &DatabaseConnection,
    caller: &Caller,
    ctx: UrgencyContext,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<CalendarEvents> {
    if let Some(problem) = dto::range_error(from, to) {
        return Err(AppError::field("to", problem));
    }
    let mut events: Vec<CalendarEvent> = date_reminders(db, caller, ctx)
        .await?
        .into_iter()
        .filter(|d| (from..=to).contains(&d.due_date))
        .map(|d| CalendarEvent {
            reminder_id: d.reminder.id,
            vehicle_id: d.reminder.vehicle_id,
            vehicle_name: d.label,
            link: dto::reminder_link(d.reminder.vehicle_id, d.reminder.id),
            description: d.reminder.description,
            due_date: d.due_date,
            urgency: d.urgency,
        })
        .collect();
    events.sort_by(|a, b| {
        (a.due_date, &a.vehicle_name, &a.description, a.reminder_id).cmp(&(
            b.due_date,
            &b.vehicle_name,
            &b.description,
            b.reminder_id,
        ))
    });
    Ok(CalendarEvents { from, to, events })
}

/// Whether the caller has a feed URL, and since when.
pub async fn feed(db: &DatabaseConnection, caller: &Caller) -> AppResult<CalendarFeed> {
    caller.session()?;
    let row = store::find_for(db, caller.user.id).await?;
    Ok(CalendarFeed {
        active: row.is_some(),
        created_at: row.map(|r| r.created_at),
    })
}

/// A new feed secret; the previous URL, if any, stops working at once.
pub async fn create_feed(
    db: &DatabaseConnection,
    caller: &Caller,
) -> AppResult<CreatedCalendarFeed> {
    caller.session()?;
    let secret = token::random_token()?;
    // Microseconds, as PostgreSQL keeps them: the status then shows this very moment.
    let created_at = Utc::now().trunc_subsecs(6);
    store::replace(db, caller.user.id, token::digest(&secret), created_at).await?;
    Ok(CreatedCalendarFeed {
        path: dto::feed_path(&secret),
        secret,
        created_at,
    })
}

/// Revokes the feed URL; 404 when there is none.
pub async fn revoke_feed(db: &DatabaseConnection, caller: &Caller) -> AppResult<()> {
    caller.session()?;
    if store::delete_for(db, caller.user.id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The owner of a feed secret, as a caller who may only view: 404 for anything but the current
/// secret of an enabled user (malformed, rotated, revoked, or the user deleted or disabled).
pub async fn feed_owner(db: &DatabaseConnection, secret: &str) -> AppResult<Caller> {
    if !is_secret_shaped(secret) {
        return Err(AppError::NotFound);
    }
    let user = store::user_of(db, &token::digest(secret))
        .await?
        .ok_or(AppError::NotFound)?;
    // A viewer-role key, as compat API keys are: whoever holds the URL (a calendar provider)
    // reads, and a poll never writes — no reminder auto-refresh on the owner's behalf.
    Ok(Caller {
        user,
        credential: Credential::ApiKey {
            id: 0,
            role: Role::Viewer,
        },
        need: Permission::View,
    })
}

/// 64 lowercase hex characters, as [`token::random_token`] makes them.
fn is_secret_shaped(secret: &str) -> bool {
    secret.len() == 64
        && secret
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_lowercase_hex_characters_look_like_a_secret() {
        let good = "0123456789abcdef".repeat(4);
        let cases = [
            (good.as_str(), true),
            (&good[..63], false),
            (
                "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                false,
            ),
            (
                "0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
                false,
            ),
            ("", false),
        ];
        for (secret, expected) in cases {
            assert_eq!(is_secret_shaped(secret), expected, "{secret}");
        }
        assert!(is_secret_shaped(&token::random_token().unwrap()));
    }
}
