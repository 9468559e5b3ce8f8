//! Grouped sums for the vehicle dashboard: one query per table, grouped by day (portable on
//! SQLite and PostgreSQL, unlike month functions); the domain folds days into months. Callers
//! have already checked access to the vehicle.

use chrono::NaiveDate;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entity::{maintenance_record, odometer_record, tax_record};

/// `SUM` of a BIGINT expression is NUMERIC on PostgreSQL; cast back so both engines give an i64.
fn sum(expr: SimpleExpr) -> SimpleExpr {
    Func::cast_as(Func::sum(expr), Alias::new("BIGINT")).into()
}

/// Cost (ten-thousandths) of service, repair and upgrade records per day and kind.
pub async fn maintenance_by_day(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<(NaiveDate, String, Option<i64>)>, DbErr> {
    use maintenance_record::Column as C;
    maintenance_record::Entity::find()
        .select_only()
        .column(C::Date)
        .column(C::Kind)
        .column_as(sum(Expr::col(C::Cost)), "total")
        .filter(C::VehicleId.eq(vehicle_id))
        .group_by(C::Date)
        .group_by(C::Kind)
        .into_tuple()
        .all(db)
        .await
}

/// Cost (ten-thousandths) of tax records per day.
pub async fn tax_by_day(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<(NaiveDate, Option<i64>)>, DbErr> {
    use tax_record::Column as C;
    tax_record::Entity::find()
        .select_only()
        .column(C::Date)
        .column_as(sum(Expr::col(C::Cost)), "total")
        .filter(C::VehicleId.eq(vehicle_id))
        .group_by(C::Date)
        .into_tuple()
        .all(db)
        .await
}

/// Distance (reading − initial reading) of odometer records per day.
pub async fn distance_by_day(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<(NaiveDate, Option<i64>)>, DbErr> {
    use odometer_record::Column as C;
    odometer_record::Entity::find()
        .select_only()
        .column(C::Date)
        .column_as(
            sum(Expr::col(C::Odometer).sub(Expr::col(C::InitialOdometer))),
            "distance",
        )
        .filter(C::VehicleId.eq(vehicle_id))
        .group_by(C::Date)
        .into_tuple()
        .all(db)
        .await
}
