//! Redis connection (deadpool-redis) shared by sessions, login limits, the cache and pub/sub.
//!
//! Every call is bounded by `redis.timeout_ms`: the connect, the wait for a pooled connection,
//! its recycle check and the response each have that timeout, and [`Redis::cmd`] / [`Redis::pipe`]
//! bound the whole call once more. A frozen or unreachable Redis therefore costs a request at most about
//! that long, after which the caller falls back (database, in-process counters, no cache).
//! An unreachable Redis at start-up is only logged; an invalid URL stops start-up.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{self, AsyncConnectionConfig, FromRedisValue};
use deadpool_redis::{Manager, Pool, Runtime};

use crate::config::Settings;

/// How long a readiness answer is reused: probes of many replicas must not hammer Redis.
const CHECK_CACHE: Duration = Duration::from_secs(2);
/// After a failed call, calls fail at once for this long instead of each waiting out the
/// timeout (a sign-in makes several Redis calls); the readiness check still probes.
const PAUSE_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// A readiness answer and when it was taken.
type CheckedAt = (Instant, Result<(), String>);

/// An open Redis pool plus what pub/sub needs (a dedicated connection per subscriber).
#[derive(Clone)]
pub struct Redis {
    pub pool: Pool,
    pub client: deadpool_redis::redis::Client,
    /// `redis.key_prefix`; every key and channel starts with it.
    pub prefix: String,
    /// `redis.timeout_ms`: the bound on one call.
    pub timeout: Duration,
    last_check: Arc<Mutex<Option<CheckedAt>>>,
    /// Until when calls are not even tried (see [`PAUSE_AFTER_FAILURE`]).
    paused_until: Arc<Mutex<Option<Instant>>>,
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
        let timeout = Duration::from_millis(settings.redis.timeout_ms.max(1));
        let client = redis::Client::open(url.expose()).map_err(|e| RedisError(e.to_string()))?;
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let manager = Manager::new_with_config(url.expose(), connection)
            .map_err(|e| RedisError(e.to_string()))?;
        let pool = Pool::builder(manager)
            .max_size(settings.redis.pool_size.max(1))
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(Some(timeout))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| RedisError(e.to_string()))?;
        let redis = Redis {
            pool,
            client,
            prefix: settings.redis.key_prefix.clone(),
            timeout,
            last_check: Arc::new(Mutex::new(None)),
            paused_until: Arc::new(Mutex::new(None)),
        };
        if let Err(error) = redis.check().await {
            tracing::warn!(%error, "redis is not reachable yet; falling back until it is");
        }
        Ok(Some(redis))
    }

    /// `prefix` + `key`.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// [`redis::Cmd`] on a pooled connection within the timeout.
    pub async fn cmd<T: FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, String> {
        self.paused()?;
        let call = async {
            let mut conn = self.pool.get().await.map_err(|e| e.to_string())?;
            cmd.query_async::<T>(&mut conn)
                .await
                .map_err(|e| e.to_string())
        };
        self.note(bounded(self.timeout, call).await)
    }

    /// [`redis::Pipeline`] (atomic or not) on a pooled connection within the timeout.
    pub async fn pipe<T: FromRedisValue>(&self, pipe: &redis::Pipeline) -> Result<T, String> {
        self.paused()?;
        let call = async {
            let mut conn = self.pool.get().await.map_err(|e| e.to_string())?;
            pipe.query_async::<T>(&mut conn)
                .await
                .map_err(|e| e.to_string())
        };
        self.note(bounded(self.timeout, call).await)
    }

    fn paused(&self) -> Result<(), String> {
        let until = *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match until {
            Some(until) if Instant::now() < until => {
                Err("paused after a recent failure".to_owned())
            }
            _ => Ok(()),
        }
    }

    /// Pauses calls after a failure, resumes them after a success.
    fn note<T>(&self, result: Result<T, String>) -> Result<T, String> {
        let pause = result
            .is_err()
            .then(|| Instant::now() + PAUSE_AFTER_FAILURE);
        *self
            .paused_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = pause;
        result
    }

    /// For `/health/ready`: PING within the timeout; the answer is reused for 2 s.
    pub async fn check(&self) -> Result<(), String> {
        if let Some((at, result)) = self
            .last_check
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            && at.elapsed() < CHECK_CACHE
        {
            return result.clone();
        }
        let ping = async {
            let mut conn = self.pool.get().await.map_err(|e| e.to_string())?;
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .map_err(|e| e.to_string())
        };
        // Probes even while calls are paused, and a success ends the pause.
        let result = self
            .note(bounded(self.timeout, ping).await)
            .and_then(|pong| {
                (pong == "PONG")
                    .then_some(())
                    .ok_or_else(|| format!("unexpected PING answer {pong:?}"))
            });
        *self
            .last_check
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), result.clone()));
        result
    }
}

/// The outer bound: pool wait + connect + response each have the timeout, but a call must not
/// add them up.
async fn bounded<T>(
    timeout: Duration,
    call: impl Future<Output = Result<T, String>>,
) -> Result<T, String> {
    tokio::time::timeout(timeout, call)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} ms", timeout.as_millis())))
}
