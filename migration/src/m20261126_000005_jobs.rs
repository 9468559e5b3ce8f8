//! Background jobs: `job_leases` (which replica runs a job right now), `job_runs` (every run,
//! so a daily job is not run twice and operators can see what happened) and
//! `webhook_deliveries` (the outbox of webhook posts, retried until a 2xx). Leases carry an
//! `id` like every table (backups page by it); the job name is the unique key that makes a
//! second replica's INSERT fail.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Id,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    Id,
    Name,
    Holder,
    StartedAt,
    FinishedAt,
    Ok,
    Detail,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    Url,
    Payload,
    Attempts,
    NextAttemptAt,
    LastError,
    DeliveredAt,
    CreatedAt,
}

fn id<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn at<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(id(JobLeases::Id))
                    .col(ColumnDef::new(JobLeases::Name).string().not_null())
                    .col(ColumnDef::new(JobLeases::Holder).string().not_null())
                    .col(at(JobLeases::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_job_leases_name")
                    .table(JobLeases::Table)
                    .col(JobLeases::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobRuns::Table)
                    .col(id(JobRuns::Id))
                    .col(ColumnDef::new(JobRuns::Name).string().not_null())
                    .col(ColumnDef::new(JobRuns::Holder).string().not_null())
                    .col(at(JobRuns::StartedAt))
                    .col(ColumnDef::new(JobRuns::FinishedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(JobRuns::Ok).boolean())
                    .col(ColumnDef::new(JobRuns::Detail).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_job_runs_name_started")
                    .table(JobRuns::Table)
                    .col(JobRuns::Name)
                    .col(JobRuns::StartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(id(WebhookDeliveries::Id))
                    .col(ColumnDef::new(WebhookDeliveries::Url).string().not_null())
                    .col(ColumnDef::new(WebhookDeliveries::Payload).text().not_null())
                    .col(
                        ColumnDef::new(WebhookDeliveries::Attempts)
                            .integer()
                            .not_null(),
                    )
                    .col(at(WebhookDeliveries::NextAttemptAt))
                    .col(ColumnDef::new(WebhookDeliveries::LastError).text())
                    .col(ColumnDef::new(WebhookDeliveries::DeliveredAt).timestamp_with_time_zone())
                    .col(at(WebhookDeliveries::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::DeliveredAt)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WebhookDeliveries::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JobRuns::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JobLeases::Table).to_owned())
            .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
