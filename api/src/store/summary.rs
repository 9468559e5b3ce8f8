//! Grouped counts and sums for vehicle summaries: one aggregate query per table for any number
//! of vehicles. Callers pass only vehicle ids the caller may see.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, Func, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entity::{
    fuel_record, maintenance_record, note, odometer_record, plan_record, reminder, tax_record,
};

/// Count and exact cost sum (ten-thousandths) of some records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub count: i64,
    pub cost: i64,
}

/// Everything counted per vehicle.
#[derive(Debug, Clone, Default)]
pub struct VehicleTotals {
    /// By maintenance kind (`service`, `repair`, `upgrade`).
    pub maintenance: HashMap<String, Totals>,
    pub fuel: Totals,
    pub tax: Totals,
    pub odometer_records: i64,
    pub notes: i64,
    /// By plan progress (`backlog`, `in_progress`, `testing`, `done`).
    pub plans: HashMap<String, i64>,
    /// Lowest non-zero reading over fuel, service/repair/upgrade and odometer records.
    pub min_odometer: Option<i64>,
}

fn count() -> SimpleExpr {
    Expr::cust("COUNT(*)")
}

/// `SUM` of a BIGINT column is NUMERIC on PostgreSQL; cast back so both engines give an i64.
fn sum(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    Func::cast_as(Func::sum(Expr::col(column)), Alias::new("BIGINT")).into()
}

/// Count and cost per vehicle of one table.
async fn totals<E: EntityTrait>(
    db: &impl ConnectionTrait,
    vehicle: E::Column,
    cost: E::Column,
    vehicle_ids: &[i64],
) -> Result<Vec<(i64, i64, Option<i64>)>, DbErr> {
    E::find()
        .select_only()
        .column(vehicle)
        .column_as(count(), "n")
        .column_as(sum(cost), "total")
        .filter(vehicle.is_in(vehicle_ids.iter().copied()))
        .group_by(vehicle)
        .into_tuple()
        .all(db)
        .await
}

/// Count per vehicle of one table.
async fn counts<E: EntityTrait>(
    db: &impl ConnectionTrait,
    vehicle: E::Column,
    vehicle_ids: &[i64],
) -> Result<Vec<(i64, i64)>, DbErr> {
    E::find()
        .select_only()
        .column(vehicle)
        .column_as(count(), "n")
        .filter(vehicle.is_in(vehicle_ids.iter().copied()))
        .group_by(vehicle)
        .into_tuple()
        .all(db)
        .await
}

/// Lowest non-zero reading per vehicle of one table.
async fn min_odometer<E: EntityTrait>(
    db: &impl ConnectionTrait,
    vehicle: E::Column,
    odometer: E::Column,
    vehicle_ids: &[i64],
) -> Result<Vec<(i64, Option<i64>)>, DbErr> {
    E::find()
        .select_only()
        .column(vehicle)
        .column_as(Expr::expr(Func::min(Expr::col(odometer))), "low")
        .filter(vehicle.is_in(vehicle_ids.iter().copied()))
        .filter(odometer.gt(0))
        .group_by(vehicle)
        .into_tuple()
        .all(db)
        .await
}

/// Counts, sums and the lowest reading of each vehicle (vehicles without records are absent).
pub async fn totals_for(
    db: &impl ConnectionTrait,
    vehicle_ids: &[i64],
) -> Result<HashMap<i64, VehicleTotals>, DbErr> {
    let mut out: HashMap<i64, VehicleTotals> = HashMap::new();
    if vehicle_ids.is_empty() {
        return Ok(out);
    }
    let maintenance: Vec<(i64, String, i64, Option<i64>)> = maintenance_record::Entity::find()
        .select_only()
        .column(maintenance_record::Column::VehicleId)
        .column(maintenance_record::Column::Kind)
        .column_as(count(), "n")
        .column_as(sum(maintenance_record::Column::Cost), "total")
        .filter(maintenance_record::Column::VehicleId.is_in(vehicle_ids.iter().copied()))
        .group_by(maintenance_record::Column::VehicleId)
        .group_by(maintenance_record::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    for (vehicle, kind, n, total) in maintenance {
        out.entry(vehicle).or_default().maintenance.insert(
            kind,
            Totals {
                count: n,
                cost: total.unwrap_or(0),
            },
        );
    }
    let fuel = totals::<fuel_record::Entity>(
        db,
        fuel_record::Column::VehicleId,
        fuel_record::Column::Cost,
        vehicle_ids,
    )
    .await?;
    for (vehicle, n, total) in fuel {
        out.entry(vehicle).or_default().fuel = Totals {
            count: n,
            cost: total.unwrap_or(0),
        };
    }
    let tax = totals::<tax_record::Entity>(
        db,
        tax_record::Column::VehicleId,
        tax_record::Column::Cost,
        vehicle_ids,
    )
    .await?;
    for (vehicle, n, total) in tax {
        out.entry(vehicle).or_default().tax = Totals {
            count: n,
            cost: total.unwrap_or(0),
        };
    }
    let odometers =
        counts::<odometer_record::Entity>(db, odometer_record::Column::VehicleId, vehicle_ids)
            .await?;
    for (vehicle, n) in odometers {
        out.entry(vehicle).or_default().odometer_records = n;
    }
    for (vehicle, n) in counts::<note::Entity>(db, note::Column::VehicleId, vehicle_ids).await? {
        out.entry(vehicle).or_default().notes = n;
    }
    let plans: Vec<(i64, String, i64)> = plan_record::Entity::find()
        .select_only()
        .column(plan_record::Column::VehicleId)
        .column(plan_record::Column::Progress)
        .column_as(count(), "n")
        .filter(plan_record::Column::VehicleId.is_in(vehicle_ids.iter().copied()))
        .group_by(plan_record::Column::VehicleId)
        .group_by(plan_record::Column::Progress)
        .into_tuple()
        .all(db)
        .await?;
    for (vehicle, progress, n) in plans {
        out.entry(vehicle).or_default().plans.insert(progress, n);
    }
    let lows = [
        min_odometer::<fuel_record::Entity>(
            db,
            fuel_record::Column::VehicleId,
            fuel_record::Column::Odometer,
            vehicle_ids,
        )
        .await?,
        min_odometer::<maintenance_record::Entity>(
            db,
            maintenance_record::Column::VehicleId,
            maintenance_record::Column::Odometer,
            vehicle_ids,
        )
        .await?,
        min_odometer::<odometer_record::Entity>(
            db,
            odometer_record::Column::VehicleId,
            odometer_record::Column::Odometer,
            vehicle_ids,
        )
        .await?,
    ];
    for (vehicle, low) in lows.into_iter().flatten() {
        if let Some(low) = low {
            let entry = &mut out.entry(vehicle).or_default().min_odometer;
            *entry = Some(entry.map_or(low, |m| m.min(low)));
        }
    }
    Ok(out)
}

/// The reminders of these vehicles (urgency is judged per reminder, so rows are needed).
pub async fn reminders_for(
    db: &impl ConnectionTrait,
    vehicle_ids: &[i64],
) -> Result<Vec<reminder::Model>, DbErr> {
    if vehicle_ids.is_empty() {
        return Ok(Vec::new());
    }
    reminder::Entity::find()
        .filter(reminder::Column::VehicleId.is_in(vehicle_ids.iter().copied()))
        .all(db)
        .await
}
