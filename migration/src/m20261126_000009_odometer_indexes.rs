//! Indexes on `(vehicle_id, odometer)` of the three tables a vehicle's current odometer is read
//! from (fuel, maintenance and odometer records; reference §3.2 `GetMaxMileage`). With them the
//! highest reading of a vehicle is one index probe per table (`MAX` over an index prefix, which
//! both engines answer from the end of the index) instead of a scan of every record of the
//! vehicle; the garage reads it for every vehicle on each load (docs/figures.md).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(index name, table)`; each index is on `(vehicle_id, odometer)`.
const INDEXES: [(&str, &str); 3] = [
    ("idx_fuel_records_vehicle_id_odometer", "fuel_records"),
    (
        "idx_maintenance_records_vehicle_id_odometer",
        "maintenance_records",
    ),
    (
        "idx_odometer_records_vehicle_id_odometer",
        "odometer_records",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new(table))
                        .col(Alias::new("vehicle_id"))
                        .col(Alias::new("odometer"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
