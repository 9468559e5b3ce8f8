//! Background jobs on a schedule, each run by one replica at a time under a database lease.
//! CONTRACT STUB — helper "jobs" implements it.

pub mod webhooks;

use actix_web::web;

use crate::state::AppState;

/// Starts the scheduler on this replica (no-op when `jobs.enabled` is false). The task stops
/// when the returned sender is dropped or sent `true`.
pub fn spawn(_state: web::Data<AppState>) -> tokio::sync::watch::Sender<bool> {
    let (stop, _) = tokio::sync::watch::channel(false);
    stop
}
