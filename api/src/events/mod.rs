//! Changes to vehicles and their records, as one event type: the reference §3.10 payload for
//! webhooks, the live-update stream (SSE `/api/v1/events`, LubeLogger's `/api/ws`), and cache
//! invalidation on every replica.
//!
//! A write handler calls [`Hub::publish`] once after its domain call succeeded. The hub clears
//! the caches, queues webhooks, wakes this replica's streams and, with Redis, publishes the
//! change on `{prefix}events`, where every other replica's [`relay`] picks it up.

pub mod live;
pub mod payload;
pub mod relay;
pub mod visibility;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;

use crate::config::{Settings, WebhookSettings};
use crate::infra::cache::Cache;
use crate::infra::redis::Redis;

pub use payload::Subject;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Add,
    Update,
    Delete,
}

/// One change, made by one caller, to one vehicle or one of its records.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Reference §3.10 entity name: `servicerecord`, `gasrecord`, `vehicle`, …
    pub entity: String,
    pub op: Op,
    pub vehicle_id: i64,
    pub record_id: Option<i64>,
    pub user_id: i64,
    pub username: String,
    /// Made through an API key or Basic credentials (LubeLogger's `.api` suffix).
    pub via_api: bool,
    /// The §3.10 `data` map (all values strings).
    pub data: BTreeMap<String, String>,
    pub at: DateTime<Utc>,
}

/// Changes buffered per subscriber; a stream that falls further behind skips the oldest (it
/// only refreshes pages, so a skipped change costs nothing but a later refresh).
const LOCAL_BUFFER: usize = 1024;

pub struct Hub {
    db: DatabaseConnection,
    redis: Option<Redis>,
    cache: Arc<Cache>,
    local: broadcast::Sender<Arc<Change>>,
    webhooks: WebhookSettings,
    /// Tells this process's messages on the Redis channel from the other replicas'.
    origin: String,
    relay: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Hub {
    pub fn new(
        settings: &Settings,
        db: DatabaseConnection,
        redis: Option<Redis>,
        cache: Arc<Cache>,
    ) -> Arc<Hub> {
        let (local, _) = broadcast::channel(LOCAL_BUFFER);
        let origin = relay::new_origin();
        let task = redis.as_ref().map(|redis| {
            tokio::spawn(relay::listen(
                redis.clone(),
                origin.clone(),
                cache.clone(),
                local.clone(),
            ))
        });
        Arc::new(Hub {
            db,
            redis,
            cache,
            local,
            webhooks: settings.webhooks.clone(),
            origin,
            relay: Mutex::new(task),
        })
    }

    /// Records a change made on this replica: invalidates caches everywhere, queues webhooks,
    /// and wakes live streams on every replica. Never fails the caller's request.
    pub async fn publish(&self, change: Change) {
        self.cache.invalidate_vehicle(change.vehicle_id).await;
        if let Err(e) = crate::jobs::webhooks::enqueue(&self.db, &self.webhooks, &change).await {
            tracing::error!(error = %e, kind = %change.event_type(), "queueing webhooks");
        }
        let change = Arc::new(change);
        // No subscriber is not an error.
        let _ = self.local.send(change.clone());
        if let Some(redis) = &self.redis {
            relay::send(redis, &self.origin, &change).await;
        }
    }

    /// Every change seen by this replica (its own and, with Redis, the others').
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.local.subscribe()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Ok(mut task) = self.relay.lock()
            && let Some(task) = task.take()
        {
            task.abort();
        }
    }
}
