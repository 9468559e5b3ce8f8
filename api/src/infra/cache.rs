//! Two-level cache: an in-process map (level 1) in front of Redis (level 2, when configured).
//! CONTRACT STUB — helper "redis" implements it (vehicle summaries, reminder urgency), with
//! hit/miss counters through the `metrics` facade.

use std::sync::Arc;

use crate::config::Settings;
use crate::infra::redis::Redis;

pub struct Cache {
    #[allow(dead_code)]
    redis: Option<Redis>,
}

impl Cache {
    pub fn new(_settings: &Settings, redis: Option<Redis>) -> Arc<Cache> {
        Arc::new(Cache { redis })
    }

    /// Drops this process's entries for a vehicle (called for changes from other replicas,
    /// whose origin already cleared level 2).
    pub fn invalidate_vehicle_local(&self, _vehicle_id: i64) {}

    /// Drops a vehicle's entries from both levels (called by the replica that made the change).
    pub async fn invalidate_vehicle(&self, _vehicle_id: i64) {}
}
