//! `motovault restore`: reads a backup archive into an empty database of either engine.
//! CONTRACT STUB — helper "restore" implements it.

use std::path::Path;

use sea_orm::DatabaseConnection;

use super::Manifest;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;

/// Restores `archive` into `db` (which must hold no data) and `objects`; all or nothing.
pub async fn restore(
    _db: &DatabaseConnection,
    _objects: &dyn ObjectStore,
    _archive: &Path,
) -> AppResult<Manifest> {
    Err(AppError::Malformed("restore is not implemented yet".into()))
}
