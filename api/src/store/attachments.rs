//! Attachment rows of any record, the record-type lookup used to check that a record exists,
//! and the vehicle image key. Callers have already checked access to the vehicle.

use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{attachment, vehicle};

/// `kind` of an uploaded file; its `location` is an object key.
pub const KIND_FILE: &str = "file";
/// `kind` of an external link; its `location` is the URL.
pub const KIND_URL: &str = "url";

/// A record type that can carry attachments: its URL segment, its `record_type` string
/// (docs/schema.md) and where its rows live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordTable {
    /// Path segment under `/api/v1/vehicles/{vehicleId}/`.
    pub segment: &'static str,
    pub record_type: &'static str,
    pub table: &'static str,
    /// For tables shared by several types: the `kind` column's value.
    pub kind: Option<&'static str>,
}

/// Every record type with attachments. A new type is one line here.
pub const RECORD_TABLES: &[RecordTable] = &[
    RecordTable {
        segment: "fuel-records",
        record_type: "fuel",
        table: "fuel_records",
        kind: None,
    },
    RecordTable {
        segment: "service-records",
        record_type: "service",
        table: "maintenance_records",
        kind: Some("service"),
    },
    RecordTable {
        segment: "repair-records",
        record_type: "repair",
        table: "maintenance_records",
        kind: Some("repair"),
    },
    RecordTable {
        segment: "upgrade-records",
        record_type: "upgrade",
        table: "maintenance_records",
        kind: Some("upgrade"),
    },
    RecordTable {
        segment: "odometer-records",
        record_type: "odometer",
        table: "odometer_records",
        kind: None,
    },
    RecordTable {
        segment: "tax-records",
        record_type: "tax",
        table: "tax_records",
        kind: None,
    },
    RecordTable {
        segment: "notes",
        record_type: "note",
        table: "notes",
        kind: None,
    },
    RecordTable {
        segment: "supplies",
        record_type: "supply",
        table: "supplies",
        kind: None,
    },
    RecordTable {
        segment: "plans",
        record_type: "plan",
        table: "plan_records",
        kind: None,
    },
    RecordTable {
        segment: "equipment",
        record_type: "equipment",
        table: "equipment",
        kind: None,
    },
    RecordTable {
        segment: "inspections",
        record_type: "inspection",
        table: "inspections",
        kind: None,
    },
];

pub fn record_table(segment: &str) -> Option<&'static RecordTable> {
    RECORD_TABLES.iter().find(|t| t.segment == segment)
}

/// Whether the record exists under this vehicle (one indexed query on its own table).
pub async fn record_exists(
    db: &impl ConnectionTrait,
    table: &RecordTable,
    vehicle_id: i64,
    record_id: i64,
) -> Result<bool, DbErr> {
    let mut query = Query::select();
    query
        .expr(Expr::col(Alias::new("id")))
        .from(Alias::new(table.table))
        .and_where(Expr::col(Alias::new("id")).eq(record_id))
        .and_where(Expr::col(Alias::new("vehicle_id")).eq(vehicle_id));
    if let Some(kind) = table.kind {
        query.and_where(Expr::col(Alias::new("kind")).eq(kind));
    }
    let statement = db.get_database_backend().build(&query);
    Ok(db.query_one_raw(statement).await?.is_some())
}

pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::VehicleId.eq(vehicle_id))
        .filter(attachment::Column::RecordType.eq(record_type))
        .filter(attachment::Column::RecordId.eq(record_id))
        .filter(attachment::Column::IsPending.eq(false))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
    attachment_id: i64,
) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(attachment_id)
        .filter(attachment::Column::VehicleId.eq(vehicle_id))
        .filter(attachment::Column::RecordType.eq(record_type))
        .filter(attachment::Column::RecordId.eq(record_id))
        .filter(attachment::Column::IsPending.eq(false))
        .one(db)
        .await
}

pub struct NewAttachment<'a> {
    pub vehicle_id: i64,
    pub record_type: &'a str,
    pub record_id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub location: &'a str,
    pub content_type: Option<&'a str>,
    pub size_bytes: Option<i64>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewAttachment<'_>,
) -> Result<attachment::Model, DbErr> {
    attachment::ActiveModel {
        vehicle_id: Set(new.vehicle_id),
        record_type: Set(new.record_type.to_owned()),
        record_id: Set(new.record_id),
        name: Set(new.name.to_owned()),
        kind: Set(new.kind.to_owned()),
        location: Set(new.location.to_owned()),
        content_type: Set(new.content_type.map(str::to_owned)),
        size_bytes: Set(new.size_bytes),
        is_pending: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn delete(db: &impl ConnectionTrait, attachment_id: i64) -> Result<(), DbErr> {
    attachment::Entity::delete_by_id(attachment_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the attachments of these records and returns the object keys they pointed at.
pub async fn delete_for(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<Vec<String>, DbErr> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let keys = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Location)
        .filter(attachment::Column::RecordType.eq(record_type))
        .filter(attachment::Column::RecordId.is_in(record_ids.iter().copied()))
        .filter(attachment::Column::Kind.eq(KIND_FILE))
        .into_tuple::<String>()
        .all(db)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::RecordType.eq(record_type))
        .filter(attachment::Column::RecordId.is_in(record_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(keys)
}

/// Deletes every attachment of a vehicle and its records, returning the object keys (the
/// vehicle's image included) so they can be removed once the vehicle is gone.
pub async fn delete_for_vehicle(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<String>, DbErr> {
    let mut keys = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Location)
        .filter(attachment::Column::VehicleId.eq(vehicle_id))
        .filter(attachment::Column::Kind.eq(KIND_FILE))
        .into_tuple::<String>()
        .all(db)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::VehicleId.eq(vehicle_id))
        .exec(db)
        .await?;
    let image = vehicle::Entity::find_by_id(vehicle_id)
        .select_only()
        .column(vehicle::Column::ImageKey)
        .into_tuple::<Option<String>>()
        .one(db)
        .await?
        .flatten();
    keys.extend(image);
    Ok(keys)
}

/// Points the vehicle at a new image (or none); returns whether the vehicle row was there.
pub async fn set_image_key(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    key: Option<&str>,
) -> Result<bool, DbErr> {
    let result = vehicle::Entity::update_many()
        .col_expr(
            vehicle::Column::ImageKey,
            Expr::value(key.map(str::to_owned)),
        )
        .col_expr(vehicle::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(vehicle::Column::Id.eq(vehicle_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// A record moved to another type (service ↔ repair ↔ upgrade): its attachments follow it.
pub async fn retype(
    db: &impl ConnectionTrait,
    from: &str,
    to: &str,
    record_ids: &[i64],
) -> Result<(), DbErr> {
    attachment::Entity::update_many()
        .col_expr(attachment::Column::RecordType, Expr::value(to))
        .filter(attachment::Column::RecordType.eq(from))
        .filter(attachment::Column::RecordId.is_in(record_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}
