//! What every handler can reach.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Settings;
use crate::infra::objects::Objects;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    /// Attachment and image bytes (local directory, or S3 when configured).
    pub objects: Objects,
}
