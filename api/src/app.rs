//! `Application::build(settings)`: connect, migrate, bind, and serve until stopped.
//!
//! Shutdown is ours, not actix's (its signal handling is off): [`Shutdown::drain_and_stop`]
//! turns readiness false at once, keeps serving for `server.drain_secs` so load balancers
//! notice, then stops accepting and gives in-flight requests `server.shutdown_timeout_secs`;
//! [`Application::run_until_stopped`] then stops the jobs and closes the pool.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, web};
use sea_orm::DatabaseConnection;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::error::AppError;
use crate::http::{self, health, openapi, spa};
use crate::state::AppState;
use crate::{store, telemetry};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Objects(#[from] crate::infra::objects::ObjectError),
    #[error("{0}")]
    Redis(#[from] crate::infra::redis::RedisError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    /// Stops the background-job scheduler when sent `true` (or dropped).
    jobs: tokio::sync::watch::Sender<bool>,
    shutdown: Shutdown,
}

/// How long the exit waits for the job scheduler to finish its current job and release its
/// leases.
const JOBS_STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// Drains and stops one server; cheap to clone (signal handler, tests).
#[derive(Clone)]
pub struct Shutdown {
    draining: Arc<AtomicBool>,
    drain: Duration,
    handle: ServerHandle,
}

impl Shutdown {
    /// Readiness answers 503 "draining" at once; the server keeps serving for the drain
    /// window, then stops accepting and lets in-flight requests finish within the shutdown
    /// timeout. Resolves when the server has stopped.
    pub async fn drain_and_stop(&self) {
        if self.draining.swap(true, Ordering::SeqCst) {
            // A second call does not restart the drain window.
            return;
        }
        tracing::info!(drain_secs = self.drain.as_secs(), "draining");
        actix_web::rt::time::sleep(self.drain).await;
        tracing::info!("stopping: in-flight requests finish, no new connections");
        self.handle.stop(true).await;
    }

    /// Stops at once, dropping in-flight requests (a second signal during the drain).
    pub async fn stop_now(&self) {
        self.draining.store(true, Ordering::SeqCst);
        self.handle.stop(false).await;
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        crate::metrics::install();
        let db = store::connect(&settings).await?;
        if settings.database.migrate_on_start {
            store::migrate(&db).await?;
        }
        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let bind_error = |source| StartupError::Bind {
            address: address.clone(),
            source,
        };
        let listener = TcpListener::bind(&address).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();

        let shutdown_timeout = settings.server.shutdown_timeout_secs;
        let drain = Duration::from_secs(settings.server.drain_secs);
        let draining = Arc::new(AtomicBool::new(false));
        let workers = settings.server.workers;
        let dist = settings.web.dist_dir.clone();
        let objects = crate::infra::objects::open(&settings).await?;
        let redis = crate::infra::redis::Redis::open(&settings).await?;
        let cache = crate::infra::cache::Cache::new(&settings, redis.clone());
        let hub = crate::events::Hub::new(&settings, db.clone(), redis.clone(), cache.clone());
        let state = web::Data::new(AppState {
            db: db.clone(),
            objects,
            mailer: crate::infra::mail::Mailer::from_settings(&settings).map(Arc::new),
            login_limiter: Arc::new(crate::auth::rate_limit::LoginLimiter::from_settings(
                &settings,
                redis.clone(),
            )),
            oidc: crate::auth::oidc::OidcClient::from_settings(&settings).map(Arc::new),
            redis,
            cache,
            hub,
            draining: draining.clone(),
            settings: Arc::new(settings),
        });
        let jobs = crate::jobs::spawn(state.clone());
        let mut server = actix_web::HttpServer::new(move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(openapi::base())
                .configure(http::api_v1)
                .split_for_parts();
            app.app_data(state.clone())
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| AppError::Malformed(e.to_string()).into()),
                )
                .wrap(Compress::default())
                .wrap(from_fn(crate::metrics::track))
                .wrap(from_fn(telemetry::request_context))
                .wrap(http::security_headers::SecurityHeaders::from_settings(
                    &state.settings,
                ))
                .service(health::live)
                .service(health::ready)
                .service(crate::metrics::endpoint)
                .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", api))
                .configure(crate::compat::routes)
                .configure(|cfg| spa::configure(cfg, &dist))
                .default_service(web::to(spa::fallback))
        })
        .shutdown_timeout(shutdown_timeout)
        .disable_signals();
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server.listen(listener).map_err(bind_error)?.run();
        let shutdown = Shutdown {
            draining,
            drain,
            handle: server.handle(),
        };
        Ok(Application {
            port,
            server,
            db,
            jobs,
            shutdown,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until stopped through [`Application::shutdown`] or [`Application::handle`], then
    /// stops the jobs and closes the pool. Signals are the caller's (`main` maps SIGTERM and
    /// SIGINT to [`Shutdown::drain_and_stop`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        let _ = self.jobs.send(true);
        // The scheduler drops its receiver once it has released its leases; those need the
        // pool, so it closes after (bounded: a job stuck on a dependency must not hang exit).
        if tokio::time::timeout(JOBS_STOP_TIMEOUT, self.jobs.closed())
            .await
            .is_err()
        {
            tracing::warn!("background jobs did not stop in time");
        }
        if let Err(e) = self.db.close().await {
            tracing::warn!(error = %e, "closing the database pool");
        }
        Ok(())
    }

    /// A handle to stop the server from elsewhere (tests, signal handling).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// The graceful drain-then-stop sequence of this server.
    pub fn shutdown(&self) -> Shutdown {
        self.shutdown.clone()
    }
}
