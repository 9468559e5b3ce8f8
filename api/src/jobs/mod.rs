//! Background jobs on a schedule, each run by one replica at a time under a database lease.
//!
//! Every replica runs the scheduler ([`spawn`]). Each tick it goes through [`JOBS`]: it takes
//! or renews the job's lease in `job_leases` (one conditional UPDATE, or an INSERT that only
//! one replica can win), checks whether the job is due, runs it and records the run in
//! `job_runs`. Daily jobs are due while they have no successful run since the last
//! `jobs.daily_at` instant — read from `job_runs`, so neither a restart nor a second replica
//! runs them twice; a failed or interrupted daily run is retried after [`RETRY_AFTER`].
//! Per-tick jobs record a run only when they did something or failed, so `job_runs` does not
//! fill up with empty ticks (the daily clean-up prunes runs older than [`KEEP_RUNS`]).

mod schedule;
mod tasks;
pub mod webhooks;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use sea_orm::DatabaseConnection;

use crate::config::{JobSettings, Settings, WebhookSettings};
use crate::infra::mail::Mailer;
use crate::infra::objects::Objects;
use crate::state::AppState;
use crate::store::jobs as store;

pub use schedule::{backoff, last_daily_instant, parse_daily_at};

pub const RECURRING_TAXES: &str = "recurring_taxes";
pub const REMINDER_EMAILS: &str = "reminder_emails";
pub const TEMP_CLEANUP: &str = "temp_cleanup";
pub const REMINDER_STATES: &str = "reminder_states";
pub const WEBHOOKS: &str = "webhooks";

/// How often a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Once a day at `jobs.daily_at` (UTC), caught up at the next tick after downtime.
    Daily,
    /// Every tick.
    EveryTick,
}

/// The jobs, in the order a tick runs them.
pub const JOBS: &[(&str, Cadence)] = &[
    (RECURRING_TAXES, Cadence::Daily),
    (REMINDER_EMAILS, Cadence::Daily),
    (TEMP_CLEANUP, Cadence::Daily),
    (REMINDER_STATES, Cadence::EveryTick),
    (WEBHOOKS, Cadence::EveryTick),
];

/// A daily run that failed (or whose replica died) is tried again after this long.
pub const RETRY_AFTER: TimeDelta = TimeDelta::minutes(15);
/// Finished runs older than this are pruned by the daily clean-up.
pub const KEEP_RUNS: TimeDelta = TimeDelta::days(30);

/// Start-up check of the `jobs` and `webhooks` sections (called by `Settings::check`).
pub fn check_settings(jobs: &JobSettings, hooks: &WebhookSettings) -> Result<(), String> {
    if parse_daily_at(&jobs.daily_at).is_none() {
        return Err("jobs.daily_at must be HH:MM (24-hour, UTC), e.g. 03:00".into());
    }
    if jobs.tick_secs == 0 {
        return Err("jobs.tick_secs must be at least 1".into());
    }
    // The holder renews its lease every tick; a lease shorter than a tick would lapse between.
    if jobs.lease_secs <= jobs.tick_secs {
        return Err("jobs.lease_secs must be longer than jobs.tick_secs".into());
    }
    webhooks::check(hooks)
}

/// What one replica needs to run the jobs.
pub struct Runner {
    db: DatabaseConnection,
    objects: Objects,
    mailer: Option<Arc<Mailer>>,
    settings: Arc<Settings>,
    /// This process's lease holder id.
    holder: String,
    http: reqwest::Client,
    daily_at: NaiveTime,
}

/// One job run by [`run_due`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub job: &'static str,
    pub ok: bool,
    pub detail: String,
}

impl Runner {
    pub fn new(state: &AppState) -> Runner {
        Runner::from_parts(
            state.db.clone(),
            state.objects.clone(),
            state.mailer.clone(),
            state.settings.clone(),
        )
    }

    /// A runner over its own object store and mailer (tests, commands).
    pub async fn from_settings(
        db: DatabaseConnection,
        settings: Settings,
    ) -> Result<Runner, String> {
        let objects = crate::infra::objects::open(&settings)
            .await
            .map_err(|e| e.to_string())?;
        let mailer = Mailer::from_settings(&settings).map(Arc::new);
        Ok(Runner::from_parts(db, objects, mailer, Arc::new(settings)))
    }

    fn from_parts(
        db: DatabaseConnection,
        objects: Objects,
        mailer: Option<Arc<Mailer>>,
        settings: Arc<Settings>,
    ) -> Runner {
        // `check_settings` already refused anything else at start-up.
        let daily_at = parse_daily_at(&settings.jobs.daily_at).unwrap_or(NaiveTime::MIN);
        Runner {
            db,
            objects,
            mailer,
            holder: holder_id(),
            // No overall timeout here: each post sets `webhooks.timeout_secs`.
            http: reqwest::Client::new(),
            daily_at,
            settings,
        }
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Lets this runner's leases lapse, so another replica takes over at once.
    pub async fn release(&self) {
        for (name, _) in JOBS {
            if let Err(e) = store::release_lease(&self.db, name, &self.holder, Utc::now()).await {
                tracing::warn!(job = name, error = %e, "releasing the job lease");
            }
        }
    }
}

/// A random id per process, readable in `job_runs`: `{host}-{pid}-{random}`.
fn holder_id() -> String {
    let mut bytes = [0u8; 6];
    let random = match getrandom::fill(&mut bytes) {
        Ok(()) => hex::encode(bytes),
        Err(_) => format!("{:x}", Utc::now().timestamp_nanos_opt().unwrap_or_default()),
    };
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "motovault".into());
    format!("{host}-{}-{random}", std::process::id())
}

/// One tick at `now`: every due job whose lease this runner gets. Returns what ran.
pub async fn run_due(runner: &Runner, now: DateTime<Utc>) -> Vec<Ran> {
    let mut ran = Vec::new();
    for (job, cadence) in JOBS {
        if let Some(r) = run_one(runner, job, *cadence, now).await {
            ran.push(r);
        }
    }
    ran
}

async fn run_one(
    runner: &Runner,
    job: &'static str,
    cadence: Cadence,
    now: DateTime<Utc>,
) -> Option<Ran> {
    let db = &runner.db;
    let until = now
        + TimeDelta::seconds(
            i64::try_from(runner.settings.jobs.lease_secs).unwrap_or(i64::MAX / 2),
        );
    match store::take_lease(db, job, &runner.holder, now, until).await {
        Ok(true) => {}
        Ok(false) => return None,
        Err(e) => {
            tracing::warn!(job, error = %e, "taking the job lease");
            return None;
        }
    }
    if cadence == Cadence::Daily {
        match daily_due(runner, job, now).await {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                tracing::warn!(job, error = %e, "reading the job's runs");
                return None;
            }
        }
    }
    // A daily run is recorded before it starts, so a replica that takes the lease over mid-run
    // sees it in progress.
    let run_id = match cadence {
        Cadence::Daily => match store::start_run(db, job, &runner.holder, now).await {
            Ok(id) => Some(id),
            Err(e) => {
                tracing::warn!(job, error = %e, "recording the job run");
                return None;
            }
        },
        Cadence::EveryTick => None,
    };
    let result = tasks::run(runner, job, now).await;
    let (ok, detail) = match result {
        Ok(Some(detail)) => (true, detail),
        // A per-tick job with nothing to do.
        Ok(None) => {
            metrics::counter!("motovault_job_runs_total", "job" => job, "outcome" => "ok")
                .increment(1);
            return None;
        }
        Err(e) => {
            tracing::error!(job, error = %e, "job failed");
            (false, e.to_string())
        }
    };
    let outcome = if ok { "ok" } else { "error" };
    metrics::counter!("motovault_job_runs_total", "job" => job, "outcome" => outcome).increment(1);
    let recorded = match run_id {
        Some(id) => store::finish_run(db, id, ok, &detail, Utc::now()).await,
        None => match store::start_run(db, job, &runner.holder, now).await {
            Ok(id) => store::finish_run(db, id, ok, &detail, Utc::now()).await,
            Err(e) => Err(e),
        },
    };
    if let Err(e) = recorded {
        tracing::warn!(job, error = %e, "recording the job run");
    }
    if ok {
        tracing::info!(job, detail = %detail, "job ran");
    }
    Some(Ran { job, ok, detail })
}

/// Due: no successful run since the last daily instant, and no run (failed, or still going)
/// started within [`RETRY_AFTER`].
async fn daily_due(runner: &Runner, job: &str, now: DateTime<Utc>) -> Result<bool, sea_orm::DbErr> {
    let since = last_daily_instant(now, runner.daily_at);
    if store::succeeded_since(&runner.db, job, since).await? {
        return Ok(false);
    }
    Ok(match store::last_run_since(&runner.db, job, since).await? {
        Some(last) => last.started_at + RETRY_AFTER <= now,
        None => true,
    })
}

/// Resolves once the scheduler is told to stop (`true` sent, or the sender dropped).
async fn until_stopped(stopped: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Starts the scheduler on this replica (no-op when `jobs.enabled` is false). The task stops
/// when the returned sender is dropped or sent `true`, letting its leases lapse.
pub fn spawn(state: web::Data<AppState>) -> tokio::sync::watch::Sender<bool> {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    if !state.settings.jobs.enabled {
        return stop;
    }
    let runner = Runner::new(&state);
    let tick = Duration::from_secs(state.settings.jobs.tick_secs);
    tokio::spawn(async move {
        // The first tick comes soon after start, not a whole tick later.
        let mut next_tick = tokio::time::Instant::now() + Duration::from_millis(500).min(tick);
        loop {
            // A run cut short by the stop leaves nothing half-done that matters: transactions
            // roll back, an unfinished daily run is retried later, an unconfirmed post re-sent.
            let stop = tokio::select! {
                () = until_stopped(&mut stopped) => true,
                () = tokio::time::sleep_until(next_tick) => {
                    next_tick = tokio::time::Instant::now() + tick;
                    tokio::select! {
                        () = until_stopped(&mut stopped) => true,
                        _ = run_due(&runner, Utc::now()) => false,
                    }
                }
                // Something was queued on this replica: deliver now if we hold the lease.
                () = webhooks::wake().notified() => {
                    tokio::select! {
                        () = until_stopped(&mut stopped) => true,
                        _ = run_one(&runner, WEBHOOKS, Cadence::EveryTick, Utc::now()) => false,
                    }
                }
            };
            if stop {
                break;
            }
        }
        runner.release().await;
        tracing::info!("background jobs stopped");
    });
    stop
}

#[cfg(test)]
mod tests {
    use crate::config::Settings;

    #[test]
    fn bad_job_and_webhook_settings_stop_start_up_naming_the_key() {
        let ok = Settings::load_from(None, Vec::new()).unwrap();
        assert_eq!(ok.jobs.daily_at, "03:00");
        assert_eq!(ok.webhooks.backoff_base_ms, 2000);
        for (key, value, needle) in [
            ("MOTOVAULT__JOBS__DAILY_AT", "3am", "jobs.daily_at"),
            ("MOTOVAULT__JOBS__DAILY_AT", "25:00", "jobs.daily_at"),
            ("MOTOVAULT__JOBS__TICK_SECS", "0", "jobs.tick_secs"),
            ("MOTOVAULT__JOBS__LEASE_SECS", "30", "jobs.lease_secs"),
            (
                "MOTOVAULT__WEBHOOKS__URLS",
                "hooks.example.com",
                "webhooks.urls",
            ),
            (
                "MOTOVAULT__WEBHOOKS__MAX_ATTEMPTS",
                "0",
                "webhooks.max_attempts",
            ),
            (
                "MOTOVAULT__WEBHOOKS__TIMEOUT_SECS",
                "0",
                "webhooks.timeout_secs",
            ),
            (
                "MOTOVAULT__WEBHOOKS__BACKOFF_BASE_MS",
                "0",
                "webhooks.backoff_base_ms",
            ),
        ] {
            let err = Settings::load_from(None, vec![(key.to_owned(), value.to_owned())])
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{key}={value}: {err}");
        }
    }
}
