//! Account additions: `oidc_logins`, the pending OpenID Connect sign-ins.
//!
//! The state, nonce and PKCE verifier of a sign-in live in the database rather than in memory
//! or a cookie, so whichever replica receives the provider's callback can finish the flow.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OidcLogins {
    Table,
    Id,
    StateHash,
    CodeVerifier,
    Nonce,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OidcLogins::Table)
                    .col(
                        ColumnDef::new(OidcLogins::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(OidcLogins::StateHash).string().not_null())
                    .col(ColumnDef::new(OidcLogins::CodeVerifier).string().not_null())
                    .col(ColumnDef::new(OidcLogins::Nonce).string().not_null())
                    .col(
                        ColumnDef::new(OidcLogins::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OidcLogins::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_oidc_logins_state_hash")
                    .table(OidcLogins::Table)
                    .col(OidcLogins::StateHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Expired rows are swept by `expires_at` at every new sign-in.
        manager
            .create_index(
                Index::create()
                    .name("idx_oidc_logins_expires_at")
                    .table(OidcLogins::Table)
                    .col(OidcLogins::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OidcLogins::Table).to_owned())
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
