//! Which changes one open stream may see: those to vehicles its user can view. Each stream
//! keeps its own short-lived answers so a busy hub does not cost a query per change.
//!
//! A deleted vehicle cannot be looked up any more, so its delete goes to the streams that
//! could see it at their last check (loaded when the stream opened, renewed every
//! [`FRESH_FOR`]); a stream that never could, never hears of it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use super::{Change, Op};
use crate::store::entity::user;
use crate::store::vehicles;

/// How long one answer is trusted: access removed from a user stops their events this late.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

pub struct Viewer {
    user: user::Model,
    seen: HashMap<i64, (bool, Instant)>,
}

impl Viewer {
    /// Loads every vehicle the user can see now (one query).
    pub async fn load(db: &DatabaseConnection, user: user::Model) -> Viewer {
        let now = Instant::now();
        let seen = match vehicles::list_visible(db, &user).await {
            Ok(list) => list.into_iter().map(|v| (v.id, (true, now))).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "listing visible vehicles for a live stream");
                HashMap::new()
            }
        };
        Viewer { user, seen }
    }

    pub fn user(&self) -> &user::Model {
        &self.user
    }

    /// Whether the user may view the vehicle `vehicle_id` (checked when not known or stale).
    pub async fn may_view(&mut self, db: &DatabaseConnection, vehicle_id: i64) -> bool {
        if self.user.is_root {
            return true;
        }
        let previous = self.seen.get(&vehicle_id).copied();
        if let Some((visible, at)) = previous
            && at.elapsed() < FRESH_FOR
        {
            return visible;
        }
        let visible = match vehicles::find_visible(db, &self.user, vehicle_id).await {
            Ok(found) => found.is_some(),
            Err(e) => {
                tracing::warn!(error = %e, vehicle_id, "checking a live stream's access");
                previous.is_some_and(|(v, _)| v)
            }
        };
        self.seen.insert(vehicle_id, (visible, Instant::now()));
        visible
    }

    /// Whether this change may be shown to the stream's user. Shop supplies (vehicle 0) are
    /// shared by everyone.
    pub async fn may_see(&mut self, db: &DatabaseConnection, change: &Change) -> bool {
        if change.vehicle_id == 0 || self.user.is_root {
            return true;
        }
        if change.entity == "vehicle" && change.op == Op::Delete {
            return self
                .seen
                .remove(&change.vehicle_id)
                .is_some_and(|(visible, _)| visible);
        }
        self.may_view(db, change.vehicle_id).await
    }
}
