//! Two-level cache of per-vehicle values (vehicle summaries with their reminder urgency): an
//! in-process map (level 1) in front of Redis (level 2, when configured).
//!
//! Correctness rests on generations, not on timing:
//! - every vehicle has a generation in this process and, with Redis, one shared by all replicas
//!   (`{prefix}cache:gen:vehicle:{id}`, bumped with `INCR` by the replica that made a change);
//! - a reader notes both generations ([`Stamp`]) *before* it reads the database, and its value
//!   is only kept under those generations: a read that raced with a write is never served
//!   after that write's invalidation. Level 2 values carry their generation (`{"g":…,"v":…}`)
//!   and are fetched together with the current one in one `MGET`.
//!
//! Level 1 of other replicas is cleared by the event hub (`invalidate_vehicle_local` on changes
//! arriving over pub/sub); if that message is lost, level 1 may serve a stale value until its
//! TTL.
//!
//! Entries live `redis.cache_ttl_secs` at most (0 switches the cache off); level 1 holds at most
//! [`CAPACITY`] entries. A Redis error is a miss (the value comes from the database), never a
//! failed request. Hits and misses are counted as `motovault_cache_requests_total{cache,result}`.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use deadpool_redis::redis;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::infra::redis::Redis;

/// Level-1 entries kept at most (a summary is about 1 KiB).
pub const CAPACITY: usize = 10_000;
/// How often expired level-1 entries are swept out.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// The generations a reader saw before loading a value from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    local: u64,
    /// `None` when Redis is off or did not answer: the value is then not stored in level 2.
    remote: Option<i64>,
}

/// The answer of [`Cache::get`]: cached values, and for the rest the stamps to store them with.
pub struct Found<T> {
    pub hits: HashMap<i64, T>,
    pub misses: Vec<(i64, Stamp)>,
}

/// Hits and misses since start (all caches), for tests and diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
}

struct Entry {
    vehicle_id: i64,
    expires: Instant,
    value: Arc<dyn Any + Send + Sync>,
}

#[derive(Default)]
struct Local {
    entries: HashMap<String, Entry>,
    generations: HashMap<i64, u64>,
    last_sweep: Option<Instant>,
}

impl Local {
    fn generation(&self, vehicle_id: i64) -> u64 {
        self.generations.get(&vehicle_id).copied().unwrap_or(0)
    }

    fn insert(&mut self, key: String, entry: Entry, now: Instant) {
        let sweep_due = self
            .last_sweep
            .is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY);
        if sweep_due || self.entries.len() >= CAPACITY {
            self.entries.retain(|_, e| e.expires > now);
            self.last_sweep = Some(now);
        }
        if self.entries.len() >= CAPACITY && !self.entries.contains_key(&key) {
            // Full of live entries: the one nearest to expiring goes.
            let first = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.expires)
                .map(|(k, _)| k.clone());
            if let Some(first) = first {
                self.entries.remove(&first);
            }
        }
        self.entries.insert(key, entry);
    }
}

pub struct Cache {
    redis: Option<Redis>,
    ttl: Duration,
    local: Mutex<Local>,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Unix milliseconds of the last invalidation that could not reach Redis: level-2 values
    /// are trusted only when newer (they may predate that write).
    unsent_invalidation_ms: AtomicI64,
    /// Vehicles whose level-2 invalidation failed, re-sent by [`Cache::recover`] once Redis is
    /// back (bounded: past the cap, the TTL is the bound on staleness).
    unsent: Mutex<HashSet<i64>>,
}

/// Most vehicles remembered for re-sending their invalidation after an outage.
const MAX_UNSENT: usize = 10_000;

impl Cache {
    pub fn new(settings: &Settings, redis: Option<Redis>) -> Arc<Cache> {
        Arc::new(Cache {
            redis,
            ttl: Duration::from_secs(settings.redis.cache_ttl_secs),
            local: Mutex::new(Local::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            unsent_invalidation_ms: AtomicI64::new(0),
            unsent: Mutex::new(HashSet::new()),
        })
    }

    fn local(&self) -> MutexGuard<'_, Local> {
        // Every update is a single step: a panicked holder leaves nothing half-done.
        self.local.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    fn count(&self, cache: &'static str, hits: usize, misses: usize) {
        if hits > 0 {
            self.hits.fetch_add(hits as u64, Ordering::Relaxed);
            metrics::counter!("motovault_cache_requests_total", "cache" => cache, "result" => "hit")
                .increment(hits as u64);
        }
        if misses > 0 {
            self.misses.fetch_add(misses as u64, Ordering::Relaxed);
            metrics::counter!("motovault_cache_requests_total", "cache" => cache, "result" => "miss")
                .increment(misses as u64);
        }
    }

    fn local_key(cache: &str, vehicle_id: i64, variant: &str) -> String {
        format!("{cache}:{vehicle_id}:{variant}")
    }

    fn generation_key(redis: &Redis, vehicle_id: i64) -> String {
        redis.key(&format!("cache:gen:vehicle:{vehicle_id}"))
    }

    /// The cached `cache` values of these vehicles under `variant` (everything else the value
    /// depends on: date, thresholds, …). Never fails: what cannot be found is a miss.
    pub async fn get<T>(&self, cache: &'static str, variant: &str, ids: &[i64]) -> Found<T>
    where
        T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    {
        let mut found = Found {
            hits: HashMap::new(),
            misses: Vec::new(),
        };
        let now = Instant::now();
        let mut pending: Vec<(i64, u64)> = Vec::new();
        {
            let local = self.local();
            for &id in ids {
                let key = Cache::local_key(cache, id, variant);
                let live = local
                    .entries
                    .get(&key)
                    .filter(|e| e.expires > now && !self.ttl.is_zero())
                    .and_then(|e| e.value.downcast_ref::<T>());
                match live {
                    Some(value) => {
                        found.hits.insert(id, value.clone());
                    }
                    None => pending.push((id, local.generation(id))),
                }
            }
        }
        let l1_hits = found.hits.len();
        if self.ttl.is_zero() {
            found.misses = pending
                .into_iter()
                .map(|(id, local)| {
                    (
                        id,
                        Stamp {
                            local,
                            remote: None,
                        },
                    )
                })
                .collect();
            self.count(cache, l1_hits, found.misses.len());
            return found;
        }
        let remote = match (&self.redis, pending.is_empty()) {
            (Some(redis), false) => self.fetch::<T>(redis, cache, variant, &pending).await,
            _ => None,
        };
        let mut promoted = Vec::new();
        for (i, (id, local)) in pending.into_iter().enumerate() {
            match remote.as_ref().map(|r| &r[i]) {
                Some((_, Some(value))) => {
                    promoted.push((id, local, value.clone()));
                    found.hits.insert(id, value.clone());
                }
                Some((generation, None)) => found.misses.push((
                    id,
                    Stamp {
                        local,
                        remote: Some(*generation),
                    },
                )),
                None => found.misses.push((
                    id,
                    Stamp {
                        local,
                        remote: None,
                    },
                )),
            }
        }
        self.store_local(cache, variant, promoted);
        self.count(cache, found.hits.len(), found.misses.len());
        found
    }

    /// Per pending vehicle: the current shared generation and the level-2 value when it was
    /// stored under that generation. `None` when Redis failed.
    async fn fetch<T: DeserializeOwned>(
        &self,
        redis: &Redis,
        cache: &str,
        variant: &str,
        pending: &[(i64, u64)],
    ) -> Option<Vec<(i64, Option<T>)>> {
        let mut mget = redis::cmd("MGET");
        for (id, _) in pending {
            mget.arg(Cache::generation_key(redis, *id));
        }
        for (id, _) in pending {
            mget.arg(redis.key(&format!("cache:{cache}:{id}:{variant}")));
        }
        let values: Vec<Option<String>> = match redis.cmd(&mget).await {
            Ok(values) => values,
            Err(error) => {
                tracing::warn!(%error, "cache: redis unavailable, reading the database");
                return None;
            }
        };
        let (generations, stored) = values.split_at(pending.len().min(values.len()));
        let untrusted_before = self.unsent_invalidation_ms.load(Ordering::Relaxed);
        Some(
            pending
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    let generation = generations
                        .get(i)
                        .and_then(Option::as_deref)
                        .and_then(|g| g.parse::<i64>().ok())
                        .unwrap_or(0);
                    let value = stored
                        .get(i)
                        .and_then(Option::as_deref)
                        .and_then(|json| serde_json::from_str::<Stored<T>>(json).ok())
                        .filter(|s| s.g == generation && s.t > untrusted_before)
                        .map(|s| s.v);
                    (generation, value)
                })
                .collect(),
        )
    }

    /// Keeps values loaded from the database after a [`Cache::get`] miss, each under the
    /// stamp that miss gave (a value is dropped when its vehicle changed meanwhile).
    pub async fn put<T>(&self, cache: &'static str, variant: &str, values: Vec<(i64, Stamp, T)>)
    where
        T: Clone + Send + Sync + Serialize + 'static,
    {
        if self.ttl.is_zero() || values.is_empty() {
            return;
        }
        if let Some(redis) = &self.redis {
            let now_ms = chrono::Utc::now().timestamp_millis();
            let mut pipe = redis::pipe();
            let mut any = false;
            for (id, stamp, value) in &values {
                let Some(g) = stamp.remote else { continue };
                let stored = Stored {
                    g,
                    t: now_ms,
                    v: value,
                };
                match serde_json::to_string(&stored) {
                    Ok(json) => {
                        pipe.cmd("SET")
                            .arg(redis.key(&format!("cache:{cache}:{id}:{variant}")))
                            .arg(json)
                            .arg("EX")
                            .arg(self.ttl.as_secs())
                            .ignore();
                        any = true;
                    }
                    Err(error) => tracing::warn!(%error, "cache: value not serializable"),
                }
            }
            if any && let Err(error) = redis.pipe::<()>(&pipe).await {
                tracing::warn!(%error, "cache: redis unavailable, value kept in process only");
            }
        }
        self.store_local(
            cache,
            variant,
            values
                .into_iter()
                .map(|(id, stamp, value)| (id, stamp.local, value))
                .collect(),
        );
    }

    fn store_local<T: Send + Sync + 'static>(
        &self,
        cache: &str,
        variant: &str,
        values: Vec<(i64, u64, T)>,
    ) {
        if values.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut local = self.local();
        for (id, generation, value) in values {
            if local.generation(id) != generation {
                continue;
            }
            let entry = Entry {
                vehicle_id: id,
                expires: now + self.ttl,
                value: Arc::new(value),
            };
            local.insert(Cache::local_key(cache, id, variant), entry, now);
        }
    }

    /// Drops this process's entries for a vehicle (called for changes from other replicas,
    /// whose origin already cleared level 2).
    pub fn invalidate_vehicle_local(&self, vehicle_id: i64) {
        let mut local = self.local();
        *local.generations.entry(vehicle_id).or_insert(0) += 1;
        local.entries.retain(|_, e| e.vehicle_id != vehicle_id);
    }

    /// After Redis comes back (the change channel re-subscribed): this replica may have missed
    /// other replicas' invalidations, so its level 1 is dropped; and invalidations it could not
    /// send during the outage are sent now, so no replica keeps serving a level-2 value older
    /// than a write.
    pub async fn recover(&self) {
        {
            let mut local = self.local();
            for generation in local.generations.values_mut() {
                *generation += 1;
            }
            local.entries.clear();
        }
        let Some(redis) = &self.redis else { return };
        let pending: Vec<i64> = self
            .unsent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .collect();
        for vehicle_id in pending {
            let bump = redis
                .cmd::<i64>(redis::cmd("INCR").arg(Cache::generation_key(redis, vehicle_id)))
                .await;
            if bump.is_err() {
                let mut unsent = self.unsent.lock().unwrap_or_else(PoisonError::into_inner);
                unsent.insert(vehicle_id);
                return;
            }
        }
    }

    /// Drops a vehicle's entries from both levels (called by the replica that made the change).
    pub async fn invalidate_vehicle(&self, vehicle_id: i64) {
        self.invalidate_vehicle_local(vehicle_id);
        let Some(redis) = &self.redis else { return };
        let bump = redis
            .cmd::<i64>(redis::cmd("INCR").arg(Cache::generation_key(redis, vehicle_id)))
            .await;
        if let Err(error) = bump {
            // Other replicas keep their level-2 copy until the TTL; this one stops trusting
            // anything stored before now.
            self.unsent_invalidation_ms
                .fetch_max(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
            let mut unsent = self.unsent.lock().unwrap_or_else(PoisonError::into_inner);
            if unsent.len() < MAX_UNSENT {
                unsent.insert(vehicle_id);
            }
            tracing::warn!(%error, vehicle_id, "cache: invalidation did not reach redis");
        }
    }
}

/// A level-2 value: its generation, when it was stored (Unix ms), and the value.
#[derive(Serialize, Deserialize)]
struct Stored<T> {
    g: i64,
    t: i64,
    v: T,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(ttl_secs: &str) -> Arc<Cache> {
        let env = [(
            "MOTOVAULT__REDIS__CACHE_TTL_SECS".to_owned(),
            ttl_secs.to_owned(),
        )];
        let settings = Settings::load_from(None, env).unwrap();
        Cache::new(&settings, None)
    }

    #[tokio::test]
    async fn a_value_is_kept_until_its_vehicle_changes() {
        let c = cache("60");
        let first = c.get::<String>("t", "v", &[1, 2]).await;
        assert!(first.hits.is_empty());
        assert_eq!(first.misses.len(), 2);
        let values = first
            .misses
            .into_iter()
            .map(|(id, stamp)| (id, stamp, format!("vehicle {id}")))
            .collect();
        c.put("t", "v", values).await;
        let second = c.get::<String>("t", "v", &[1, 2]).await;
        assert_eq!(second.hits[&1], "vehicle 1");
        assert_eq!(second.hits[&2], "vehicle 2");
        // Another variant (another day, other thresholds) is another entry.
        assert_eq!(c.get::<String>("t", "w", &[1]).await.misses.len(), 1);
        c.invalidate_vehicle(1).await;
        let third = c.get::<String>("t", "v", &[1, 2]).await;
        assert_eq!(third.misses.iter().map(|m| m.0).collect::<Vec<_>>(), [1]);
        assert_eq!(third.hits[&2], "vehicle 2");
        assert_eq!(c.stats(), CacheStats { hits: 3, misses: 4 });
    }

    #[tokio::test]
    async fn a_value_read_before_a_change_is_not_kept_after_it() {
        let c = cache("60");
        let (id, stamp) = c.get::<u32>("t", "v", &[7]).await.misses[0];
        // The database was read (old value), then a write invalidated, then the reader stores.
        c.invalidate_vehicle_local(id);
        c.put("t", "v", vec![(id, stamp, 1)]).await;
        assert!(c.get::<u32>("t", "v", &[7]).await.hits.is_empty());
    }

    #[tokio::test]
    async fn ttl_zero_turns_the_cache_off() {
        let c = cache("0");
        let (id, stamp) = c.get::<u32>("t", "v", &[7]).await.misses[0];
        c.put("t", "v", vec![(id, stamp, 1)]).await;
        assert!(c.get::<u32>("t", "v", &[7]).await.hits.is_empty());
        assert_eq!(c.local().entries.len(), 0);
    }

    #[test]
    fn level_one_is_bounded() {
        let now = Instant::now();
        let mut local = Local::default();
        for i in 0..=CAPACITY as i64 {
            let entry = Entry {
                vehicle_id: i,
                expires: now + Duration::from_secs(60) + Duration::from_millis(i as u64),
                value: Arc::new(i),
            };
            local.insert(format!("k{i}"), entry, now);
        }
        assert_eq!(local.entries.len(), CAPACITY);
        assert!(
            !local.entries.contains_key("k0"),
            "the nearest to expiring went"
        );
        assert!(local.entries.contains_key(&format!("k{CAPACITY}")));
    }
}
