//! What every handler can reach.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::oidc::OidcClient;
use crate::auth::rate_limit::LoginLimiter;
use crate::config::Settings;
use crate::infra::mail::Mailer;
use crate::infra::objects::Objects;

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
}
