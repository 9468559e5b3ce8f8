//! The Server-Sent Events stream of `/api/v1/events`: one `change` event per change to a
//! vehicle the user can view, a comment every [`KEEP_ALIVE`] so proxies keep the connection,
//! and a `resync` event when the stream fell behind and skipped changes (the client then
//! refreshes everything it shows). The stream ends within a second of the server starting to
//! drain, so open streams never hold up a graceful shutdown.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::Stream;
use sea_orm::DatabaseConnection;
use serde_json::json;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{Interval, MissedTickBehavior, interval};

use super::Change;
use super::visibility::Viewer;

pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
const DRAIN_CHECK: Duration = Duration::from_secs(1);

struct Live {
    db: DatabaseConnection,
    changes: broadcast::Receiver<Arc<Change>>,
    viewer: Viewer,
    draining: Arc<AtomicBool>,
    keep_alive: Interval,
    drain_check: Interval,
    opened: bool,
}

/// The `data` of one `change` event.
pub fn event_line(change: &Change) -> String {
    let data = json!({
        "vehicleId": change.vehicle_id,
        "entity": change.entity,
        "op": change.op,
        "recordId": change.record_id,
    });
    format!("event: change\ndata: {data}\n\n")
}

/// The event stream for `viewer`, over changes already subscribed to (so nothing published
/// after the request was accepted is missed).
pub fn sse(
    db: DatabaseConnection,
    changes: broadcast::Receiver<Arc<Change>>,
    viewer: Viewer,
    draining: Arc<AtomicBool>,
) -> impl Stream<Item = Result<Bytes, Infallible>> + 'static {
    let mut keep_alive = interval(KEEP_ALIVE);
    keep_alive.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut drain_check = interval(DRAIN_CHECK);
    drain_check.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let live = Live {
        db,
        changes,
        viewer,
        draining,
        keep_alive,
        drain_check,
        opened: false,
    };
    futures_util::stream::unfold(live, |mut live| async move {
        let chunk = next_chunk(&mut live).await?;
        Some((Ok(Bytes::from(chunk)), live))
    })
}

async fn next_chunk(live: &mut Live) -> Option<String> {
    if !live.opened {
        live.opened = true;
        // The first tick of an interval is immediate: consume it, and tell the client how
        // soon to reconnect.
        live.keep_alive.tick().await;
        return Some("retry: 3000\n: connected\n\n".to_owned());
    }
    loop {
        tokio::select! {
            _ = live.keep_alive.tick() => return Some(": keep-alive\n\n".to_owned()),
            _ = live.drain_check.tick() => {
                if live.draining.load(Ordering::Relaxed) {
                    return None;
                }
            }
            received = live.changes.recv() => match received {
                Ok(change) => {
                    if live.viewer.may_see(&live.db, &change).await {
                        return Some(event_line(&change));
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::debug!(skipped, "a live stream fell behind");
                    return Some("event: resync\ndata: {}\n\n".to_owned());
                }
                Err(RecvError::Closed) => return None,
            },
        }
    }
}
