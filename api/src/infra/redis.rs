//! Redis connection (deadpool-redis) shared by sessions, login limits, the cache and pub/sub.
//! CONTRACT STUB — helper "redis" implements: pool with connect/wait/response timeouts
//! (`redis.timeout_ms`), `check()` for readiness, key prefixing.

use std::time::Duration;

use deadpool_redis::Pool;

use crate::config::Settings;

/// An open Redis pool plus what pub/sub needs (a dedicated connection per subscriber).
#[derive(Clone)]
pub struct Redis {
    pub pool: Pool,
    pub client: deadpool_redis::redis::Client,
    /// `redis.key_prefix`; every key and channel starts with it.
    pub prefix: String,
    /// `redis.timeout_ms`: the bound on one call.
    pub timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("redis (MOTOVAULT__REDIS__URL): {0}")]
pub struct RedisError(pub String);

impl Redis {
    /// `None` when `redis.url` is unset (one replica, everything in-process).
    pub async fn open(settings: &Settings) -> Result<Option<Redis>, RedisError> {
        let Some(url) = &settings.redis.url else {
            return Ok(None);
        };
        let client = deadpool_redis::redis::Client::open(url.expose())
            .map_err(|e| RedisError(e.to_string()))?;
        let pool = deadpool_redis::Config::from_url(url.expose())
            .create_pool(Some(deadpool_redis::Runtime::Tokio1))
            .map_err(|e| RedisError(e.to_string()))?;
        Ok(Some(Redis {
            pool,
            client,
            prefix: settings.redis.key_prefix.clone(),
            timeout: Duration::from_millis(settings.redis.timeout_ms),
        }))
    }

    /// `prefix` + `key`.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// For `/health/ready`: PING within the timeout.
    pub async fn check(&self) -> Result<(), String> {
        Ok(())
    }
}
