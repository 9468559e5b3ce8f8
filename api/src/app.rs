//! `Application::build(settings)`: connect, migrate, bind, and serve until stopped.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
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
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
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
            )),
            oidc: crate::auth::oidc::OidcClient::from_settings(&settings).map(Arc::new),
            redis,
            cache,
            hub,
            draining: Arc::new(std::sync::atomic::AtomicBool::new(false)),
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
        .shutdown_timeout(shutdown_timeout);
        if workers > 0 {
            server = server.workers(workers);
        }
        let server = server.listen(listener).map_err(bind_error)?.run();
        Ok(Application {
            port,
            server,
            db,
            jobs,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until SIGTERM/SIGINT (graceful: in-flight requests finish within the timeout).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await?;
        let _ = self.jobs.send(true);
        if let Err(e) = self.db.close().await {
            tracing::warn!(error = %e, "closing the database pool");
        }
        Ok(())
    }

    /// A handle to stop the server from elsewhere (tests, signal handling).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
