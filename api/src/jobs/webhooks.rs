//! Webhook deliveries: an outbox row per configured URL and change, posted by the job runner
//! with retries and back-off. CONTRACT STUB — helper "jobs" implements it.

use sea_orm::{DatabaseConnection, DbErr};

use crate::config::WebhookSettings;
use crate::events::Change;

/// Queues `change` for every configured URL (nothing when none is configured).
pub async fn enqueue(
    _db: &DatabaseConnection,
    _settings: &WebhookSettings,
    _change: &Change,
) -> Result<(), DbErr> {
    Ok(())
}
