//! Changes between replicas over Redis pub/sub, on the channel `{prefix}events`. Each message
//! carries the sending process's origin id, so a replica skips its own (it already handled
//! them when publishing). Redis being away only delays other replicas' live updates and
//! their in-process cache invalidation: requests never wait on it beyond `redis.timeout_ms`.

use std::sync::Arc;
use std::time::Duration;

use deadpool_redis::redis::AsyncCommands;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::time::timeout;

use super::Change;
use crate::infra::cache::Cache;
use crate::infra::redis::Redis;

/// The channel name after the key prefix.
pub const CHANNEL: &str = "events";

/// Longest pause between two reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(10);

#[derive(Serialize, Deserialize)]
struct Message<C> {
    origin: String,
    change: C,
}

/// A random id for this process.
pub fn new_origin() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // Only used to skip our own echoes; the time is unique enough per process.
        let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    hex::encode(bytes)
}

/// Publishes a change made here; failures are logged, never returned.
pub async fn send(redis: &Redis, origin: &str, change: &Change) {
    let body = match serde_json::to_string(&Message {
        origin: origin.to_owned(),
        change,
    }) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "encoding a change for other replicas");
            return;
        }
    };
    let channel = redis.key(CHANNEL);
    let published = timeout(redis.timeout, async {
        let mut conn = redis.pool.get().await.map_err(|e| e.to_string())?;
        conn.publish::<_, _, i64>(&channel, body)
            .await
            .map_err(|e| e.to_string())
    })
    .await;
    match published {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::warn!(error = %e, "publishing a change to other replicas"),
        Err(_) => tracing::warn!("publishing a change to other replicas timed out"),
    }
}

/// Receives the other replicas' changes until the hub is dropped, reconnecting with back-off
/// whenever Redis goes away; an outage is logged once, and again when it ends.
pub async fn listen(
    redis: Redis,
    origin: String,
    cache: Arc<Cache>,
    local: broadcast::Sender<Arc<Change>>,
) {
    let channel = redis.key(CHANNEL);
    let mut backoff = Duration::from_millis(200);
    let mut down = false;
    loop {
        match subscribe(&redis, &channel).await {
            Ok(pubsub) => {
                if down {
                    tracing::info!("live updates from other replicas resumed");
                    down = false;
                    cache.recover().await;
                }
                backoff = Duration::from_millis(200);
                let mut messages = pubsub.into_on_message();
                while let Some(msg) = messages.next().await {
                    let Ok(body) = msg.get_payload::<String>() else {
                        continue;
                    };
                    match serde_json::from_str::<Message<Change>>(&body) {
                        Ok(m) if m.origin != origin => {
                            cache.invalidate_vehicle_local(m.change.vehicle_id);
                            let _ = local.send(Arc::new(m.change));
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "an unreadable change on the channel"),
                    }
                }
                // The connection ended: Redis restarted or the network dropped.
            }
            Err(e) if !down => {
                tracing::warn!(error = %e, "live updates from other replicas paused: Redis unreachable");
                down = true;
            }
            Err(_) => {}
        }
        if !down {
            tracing::warn!("live updates from other replicas paused: Redis connection lost");
            down = true;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

async fn subscribe(
    redis: &Redis,
    channel: &str,
) -> Result<deadpool_redis::redis::aio::PubSub, String> {
    let connect = async {
        let mut pubsub = redis.client.get_async_pubsub().await?;
        pubsub.subscribe(channel).await?;
        Ok::<_, deadpool_redis::redis::RedisError>(pubsub)
    };
    // Connecting is bounded like every Redis call; waiting for messages is not.
    let bound = redis.timeout.max(Duration::from_secs(1));
    match timeout(bound, connect).await {
        Ok(Ok(pubsub)) => Ok(pubsub),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("timed out".into()),
    }
}
