//! `import_sources` (docs/schema.md): the source identity of every imported row. A row is
//! written in the same transaction as the row it names, so "already imported" is exact.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QuerySelect};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_sources")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub source_url: String,
    pub kind: String,
    pub source_id: String,
    pub target_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Our id of an imported row, if this source row was imported before.
pub async fn target_of(
    db: &impl ConnectionTrait,
    source_url: &str,
    kind: &str,
    source_id: &str,
) -> Result<Option<i64>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::TargetId)
        .filter(Column::SourceUrl.eq(source_url))
        .filter(Column::Kind.eq(kind))
        .filter(Column::SourceId.eq(source_id))
        .into_tuple::<i64>()
        .one(db)
        .await
}

pub async fn remember(
    db: &impl ConnectionTrait,
    source_url: &str,
    kind: &str,
    source_id: &str,
    target_id: i64,
) -> Result<(), DbErr> {
    ActiveModel {
        source_url: Set(source_url.to_owned()),
        kind: Set(kind.to_owned()),
        source_id: Set(source_id.to_owned()),
        target_id: Set(target_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Every source id of this kind imported from this server.
pub async fn source_ids(
    db: &impl ConnectionTrait,
    source_url: &str,
    kind: &str,
) -> Result<HashSet<String>, DbErr> {
    Ok(Entity::find()
        .select_only()
        .column(Column::SourceId)
        .filter(Column::SourceUrl.eq(source_url))
        .filter(Column::Kind.eq(kind))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
