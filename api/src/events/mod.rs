//! Changes to vehicles and their records, as one event type: the reference §3.10 payload for
//! webhooks, the live-update stream (SSE `/api/v1/events`, LubeLogger's `/api/ws`), and cache
//! invalidation on every replica.
//! CONTRACT STUB — helper "events" implements the hub (local broadcast + Redis pub/sub fan-out).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;

use crate::config::Settings;
use crate::infra::cache::Cache;
use crate::infra::redis::Redis;

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

pub struct Hub {
    #[allow(dead_code)]
    db: DatabaseConnection,
    #[allow(dead_code)]
    redis: Option<Redis>,
    cache: Arc<Cache>,
    local: broadcast::Sender<Arc<Change>>,
}

impl Hub {
    pub fn new(
        _settings: &Settings,
        db: DatabaseConnection,
        redis: Option<Redis>,
        cache: Arc<Cache>,
    ) -> Arc<Hub> {
        let (local, _) = broadcast::channel(1024);
        Arc::new(Hub {
            db,
            redis,
            cache,
            local,
        })
    }

    /// Records a change made on this replica: invalidates caches everywhere, queues webhooks,
    /// and wakes live streams on every replica. Never fails the caller's request.
    pub async fn publish(&self, change: Change) {
        self.cache.invalidate_vehicle(change.vehicle_id).await;
        let _ = self.local.send(Arc::new(change));
    }

    /// Every change seen by this replica (its own and, with Redis, the others').
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.local.subscribe()
    }
}
