//! What every record owns besides its own row: tags, extra-field values and attachments.
//! Deleting a record detaches all three in its transaction; the files go after the commit.

use sea_orm::ConnectionTrait;

use super::attachments::{self, Detached};
use super::extra_fields;
use crate::error::AppResult;
use crate::store::tags;

/// Call inside the records' delete transaction, then `purge` the answer after the commit.
pub async fn detach(
    txn: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> AppResult<Detached> {
    tags::delete_for(txn, record_type, record_ids).await?;
    extra_fields::delete_for(txn, record_type, record_ids).await?;
    attachments::detach_records(txn, record_type, record_ids).await
}
