//! What every handler can reach.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use sea_orm::DatabaseConnection;

use crate::auth::oidc::OidcClient;
use crate::auth::rate_limit::LoginLimiter;
use crate::config::Settings;
use crate::events::Hub;
use crate::infra::cache::Cache;
use crate::infra::mail::Mailer;
use crate::infra::objects::Objects;
use crate::infra::redis::Redis;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Attachment and image bytes (local directory, or S3 when configured).
    pub objects: Objects,
    /// Outgoing e-mail; `None` when SMTP is not configured.
    pub mailer: Option<Arc<Mailer>>,
    pub login_limiter: Arc<LoginLimiter>,
    /// The OpenID Connect provider; `None` when not configured.
    pub oidc: Option<Arc<OidcClient>>,
    /// Shared Redis; `None` = one replica, everything in-process.
    pub redis: Option<Redis>,
    /// Hot reads (vehicle summaries, reminder urgency), invalidated through `hub`.
    pub cache: Arc<Cache>,
    /// Every change to a vehicle or record: webhooks, live streams, cache invalidation.
    pub hub: Arc<Hub>,
    /// Set on SIGTERM: readiness answers 503 while in-flight requests finish.
    pub draining: Arc<AtomicBool>,
}
