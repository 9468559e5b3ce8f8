//! Webhook deliveries: an outbox row per configured URL and change (the exact body to post),
//! posted by the `webhooks` job with retries and back-off. At least once: a row is marked
//! delivered only after a 2xx answer.

use std::sync::OnceLock;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use serde_json::Value;
use tokio::sync::Notify;

use super::schedule::backoff;
use crate::config::WebhookSettings;
use crate::events::Change;
use crate::store::entity::webhook_delivery;
use crate::store::jobs as store;

/// A URL with this prefix gets Discord's body, posted to `https://` + the rest.
pub const DISCORD_PREFIX: &str = "discord://";
/// Rows posted per run; the rest wait for the next tick.
const BATCH: u64 = 100;
/// Longest error text kept on a row.
const MAX_ERROR_CHARS: usize = 500;

/// Wakes this process's scheduler when something was queued, so a delivery need not wait for
/// the next tick.
pub(super) fn wake() -> &'static Notify {
    static WAKE: OnceLock<Notify> = OnceLock::new();
    WAKE.get_or_init(Notify::new)
}

/// The configured URLs, trimmed, empties dropped.
pub fn targets(settings: &WebhookSettings) -> Vec<&str> {
    settings
        .urls
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect()
}

/// Start-up check of the `webhooks` section.
pub fn check(settings: &WebhookSettings) -> Result<(), String> {
    for url in targets(settings) {
        if !["http://", "https://", DISCORD_PREFIX]
            .iter()
            .any(|p| url.starts_with(p))
        {
            return Err(
                "webhooks.urls must be http://, https:// or discord:// URLs, comma-separated"
                    .into(),
            );
        }
    }
    if settings.max_attempts == 0 {
        return Err("webhooks.max_attempts must be at least 1".into());
    }
    if settings.timeout_secs == 0 {
        return Err("webhooks.timeout_secs must be at least 1".into());
    }
    if settings.backoff_base_ms == 0 {
        return Err("webhooks.backoff_base_ms must be at least 1".into());
    }
    Ok(())
}

/// Where a row is posted: `discord://host/path` → `https://host/path`.
pub fn post_url(url: &str) -> String {
    match url.strip_prefix(DISCORD_PREFIX) {
        Some(rest) => format!("https://{rest}"),
        None => url.to_owned(),
    }
}

/// Queues `change` for every configured URL (nothing when none is configured): the §3.10 body,
/// or Discord's for `discord://` URLs.
pub async fn enqueue(
    db: &DatabaseConnection,
    settings: &WebhookSettings,
    change: &Change,
) -> Result<(), DbErr> {
    if targets(settings).is_empty() {
        return Ok(());
    }
    enqueue_bodies(
        db,
        settings,
        &change.webhook_payload(),
        &change.discord_payload(),
    )
    .await
}

/// Queues `payload` (Discord URLs get `discord`) for every configured URL, inside the caller's
/// transaction when it passes one.
pub(super) async fn enqueue_bodies(
    db: &impl ConnectionTrait,
    settings: &WebhookSettings,
    payload: &Value,
    discord: &Value,
) -> Result<(), DbErr> {
    let posts: Vec<(String, String)> = targets(settings)
        .into_iter()
        .map(|url| {
            let body = if url.starts_with(DISCORD_PREFIX) {
                discord
            } else {
                payload
            };
            (url.to_owned(), body.to_string())
        })
        .collect();
    if posts.is_empty() {
        return Ok(());
    }
    store::insert_deliveries(db, posts, Utc::now()).await?;
    wake().notify_waiters();
    Ok(())
}

/// Why an attempt failed, and how long the receiver asked us to wait.
struct Failure {
    error: String,
    retry_after: Option<Duration>,
}

/// Posts every due row once; "delivered n, failed m" (`None` when nothing was due).
pub(super) async fn deliver_due(
    db: &DatabaseConnection,
    http: &reqwest::Client,
    settings: &WebhookSettings,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let rows = store::due_deliveries(db, now, settings.max_attempts, BATCH).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let (mut delivered, mut failed) = (0usize, 0usize);
    for row in rows {
        match post(http, settings, &row).await {
            Ok(()) => {
                store::record_attempt(db, &row, Utc::now(), None).await?;
                delivered += 1;
            }
            Err(failure) => {
                let attempts = u32::try_from(row.attempts.saturating_add(1)).unwrap_or(u32::MAX);
                let wait = backoff(
                    Duration::from_millis(settings.backoff_base_ms),
                    attempts,
                    jitter(),
                    failure.retry_after,
                );
                let next = now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
                if attempts >= settings.max_attempts {
                    tracing::warn!(delivery = row.id, attempts, error = %failure.error, "webhook given up");
                } else {
                    tracing::info!(delivery = row.id, attempts, error = %failure.error, "webhook attempt failed; retrying");
                }
                store::record_attempt(db, &row, Utc::now(), Some((&failure.error, next))).await?;
                failed += 1;
            }
        }
    }
    Ok(Some(format!("delivered {delivered}, failed {failed}")))
}

/// One POST of the row's body; a 2xx is success, anything else a failure to retry.
async fn post(
    http: &reqwest::Client,
    settings: &WebhookSettings,
    row: &webhook_delivery::Model,
) -> Result<(), Failure> {
    let sent = http
        .post(post_url(&row.url))
        .header(CONTENT_TYPE, "application/json")
        .body(row.payload.clone())
        .timeout(Duration::from_secs(settings.timeout_secs))
        .send()
        .await;
    let response = match sent {
        Ok(r) => r,
        // Without the URL: Discord's carries its token.
        Err(e) => {
            return Err(Failure {
                error: truncate(e.without_url().to_string()),
                retry_after: None,
            });
        }
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
        .then(|| response.headers().get(RETRY_AFTER))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let body = response.text().await.unwrap_or_default();
    Err(Failure {
        error: truncate(format!("HTTP {}: {}", status.as_u16(), body.trim())),
        retry_after,
    })
}

fn truncate(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_ERROR_CHARS) {
        text.truncate(cut);
    }
    text
}

/// A fraction in [0, 1) from the OS, so replicas do not retry in lockstep.
fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.0;
    }
    f64::from(u32::from_le_bytes(bytes)) / (f64::from(u32::MAX) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(urls: &str) -> WebhookSettings {
        WebhookSettings {
            urls: urls.into(),
            max_attempts: 5,
            timeout_secs: 10,
            backoff_base_ms: 2000,
        }
    }

    #[test]
    fn urls_are_split_checked_and_discord_goes_to_https() {
        let s = settings(" https://a.example/h , ,discord://discord.com/api/webhooks/1/t,");
        assert_eq!(
            targets(&s),
            vec![
                "https://a.example/h",
                "discord://discord.com/api/webhooks/1/t"
            ]
        );
        assert!(check(&s).is_ok());
        assert!(targets(&settings("")).is_empty());
        assert!(check(&settings("ftp://x")).is_err());
        assert_eq!(
            post_url("discord://discord.com/api/webhooks/1/t"),
            "https://discord.com/api/webhooks/1/t"
        );
        assert_eq!(post_url("http://127.0.0.1:9/h"), "http://127.0.0.1:9/h");
    }

    #[test]
    fn jitter_is_a_fraction() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }
}
