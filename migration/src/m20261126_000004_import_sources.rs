//! `import_sources`: where each imported row came from, so `motovault import lubelogger` can be
//! run again without duplicating anything (the unique index is the "already imported" test).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportSources {
    Table,
    Id,
    SourceUrl,
    Kind,
    SourceId,
    TargetId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportSources::Table)
                    .col(
                        ColumnDef::new(ImportSources::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ImportSources::SourceUrl).string().not_null())
                    .col(ColumnDef::new(ImportSources::Kind).string().not_null())
                    .col(ColumnDef::new(ImportSources::SourceId).string().not_null())
                    .col(
                        ColumnDef::new(ImportSources::TargetId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ImportSources::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_import_sources_source")
                    .table(ImportSources::Table)
                    .col(ImportSources::SourceUrl)
                    .col(ImportSources::Kind)
                    .col(ImportSources::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportSources::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
