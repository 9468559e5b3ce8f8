//! Attachment rows of any record, the record-type lookup used to check that a record exists,
//! and the vehicle image key. Callers have already checked access to the vehicle.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
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
/// `kind` of a link to another record of the same vehicle; its `location` is `::type:id`
/// (reference §1 "Attachments").
pub const KIND_RECORD_LINK: &str = "record_link";

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
    /// The column that names a record (record links show it); `None`: label and date.
    pub title: Option<&'static str>,
    /// What a record is called when it has no title column ("Fuel record").
    pub label: &'static str,
    /// Whether the table has a `date` column; otherwise its records are dated by `created_at`.
    pub dated: bool,
}

/// Every record type with attachments. A new type is one line here.
pub const RECORD_TABLES: &[RecordTable] = &[
    RecordTable {
        segment: "fuel-records",
        record_type: "fuel",
        table: "fuel_records",
        kind: None,
        title: None,
        label: "Fuel record",
        dated: true,
    },
    RecordTable {
        segment: "service-records",
        record_type: "service",
        table: "maintenance_records",
        kind: Some("service"),
        title: Some("description"),
        label: "Service record",
        dated: true,
    },
    RecordTable {
        segment: "repair-records",
        record_type: "repair",
        table: "maintenance_records",
        kind: Some("repair"),
        title: Some("description"),
        label: "Repair record",
        dated: true,
    },
    RecordTable {
        segment: "upgrade-records",
        record_type: "upgrade",
        table: "maintenance_records",
        kind: Some("upgrade"),
        title: Some("description"),
        label: "Upgrade record",
        dated: true,
    },
    RecordTable {
        segment: "odometer-records",
        record_type: "odometer",
        table: "odometer_records",
        kind: None,
        title: None,
        label: "Odometer record",
        dated: true,
    },
    RecordTable {
        segment: "tax-records",
        record_type: "tax",
        table: "tax_records",
        kind: None,
        title: Some("description"),
        label: "Tax record",
        dated: true,
    },
    RecordTable {
        segment: "notes",
        record_type: "note",
        table: "notes",
        kind: None,
        title: Some("title"),
        label: "Note",
        dated: false,
    },
    RecordTable {
        segment: "supplies",
        record_type: "supply",
        table: "supplies",
        kind: None,
        title: Some("description"),
        label: "Supply",
        dated: true,
    },
    RecordTable {
        segment: "plans",
        record_type: "plan",
        table: "plan_records",
        kind: None,
        title: Some("description"),
        label: "Plan",
        dated: false,
    },
    RecordTable {
        segment: "equipment",
        record_type: "equipment",
        table: "equipment",
        kind: None,
        title: Some("description"),
        label: "Equipment",
        dated: false,
    },
    RecordTable {
        segment: "inspections",
        record_type: "inspection",
        table: "inspections",
        kind: None,
        title: Some("description"),
        label: "Inspection",
        dated: true,
    },
];

pub fn record_table(segment: &str) -> Option<&'static RecordTable> {
    RECORD_TABLES.iter().find(|t| t.segment == segment)
}

/// The table of a `record_type` string (`"service"`).
pub fn table_of_type(record_type: &str) -> Option<&'static RecordTable> {
    RECORD_TABLES.iter().find(|t| t.record_type == record_type)
}

/// The `location` of a record link: `::service:12`.
pub fn link_location(record_type: &str, record_id: i64) -> String {
    format!("::{record_type}:{record_id}")
}

/// The record a link's `location` names, if it is well formed.
pub fn parse_link(location: &str) -> Option<(&'static RecordTable, i64)> {
    let (record_type, id) = location.strip_prefix("::")?.split_once(':')?;
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    Some((table_of_type(record_type)?, id))
}

/// What names a record outside its own table: its date (`created_at`'s date for undated
/// tables) and its title column, if the table has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordInfo {
    pub date: NaiveDate,
    pub title: Option<String>,
}

/// The date and title of these records of one vehicle (missing ones are absent).
pub async fn record_info(
    db: &impl ConnectionTrait,
    table: &RecordTable,
    vehicle_id: i64,
    record_ids: &[i64],
) -> Result<HashMap<i64, RecordInfo>, DbErr> {
    if record_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let date_column = if table.dated { "date" } else { "created_at" };
    let mut query = Query::select();
    query
        .expr_as(Expr::col(Alias::new("id")), Alias::new("id"))
        .expr_as(Expr::col(Alias::new(date_column)), Alias::new("d"))
        .from(Alias::new(table.table))
        .and_where(Expr::col(Alias::new("vehicle_id")).eq(vehicle_id))
        .and_where(Expr::col(Alias::new("id")).is_in(record_ids.iter().copied()));
    if let Some(title) = table.title {
        query.expr_as(Expr::col(Alias::new(title)), Alias::new("t"));
    }
    if let Some(kind) = table.kind {
        query.and_where(Expr::col(Alias::new("kind")).eq(kind));
    }
    let statement = db.get_database_backend().build(&query);
    let mut out = HashMap::new();
    for row in db.query_all_raw(statement).await? {
        let id: i64 = row.try_get("", "id")?;
        let date = if table.dated {
            row.try_get::<NaiveDate>("", "d")?
        } else {
            row.try_get::<DateTime<Utc>>("", "d")?.date_naive()
        };
        let title = match table.title {
            Some(_) => Some(row.try_get::<String>("", "t")?),
            None => None,
        };
        out.insert(id, RecordInfo { date, title });
    }
    Ok(out)
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

/// Every attachment of one kind on the vehicle's records, for the export.
pub async fn list_kind_for_vehicle(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    kind: &str,
) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::VehicleId.eq(vehicle_id))
        .filter(attachment::Column::Kind.eq(kind))
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
    // Links on other records that point at these ones would lead nowhere.
    attachment::Entity::delete_many()
        .filter(attachment::Column::Kind.eq(KIND_RECORD_LINK))
        .filter(
            attachment::Column::Location
                .is_in(record_ids.iter().map(|id| link_location(record_type, *id))),
        )
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
    // Links pointing at the moved records follow them too.
    for id in record_ids {
        attachment::Entity::update_many()
            .col_expr(
                attachment::Column::Location,
                Expr::value(link_location(to, *id)),
            )
            .filter(attachment::Column::Kind.eq(KIND_RECORD_LINK))
            .filter(attachment::Column::Location.eq(link_location(from, *id)))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_links_round_trip() {
        assert_eq!(link_location("service", 12), "::service:12");
        let (table, id) = parse_link("::service:12").unwrap();
        assert_eq!((table.segment, id), ("service-records", 12));
        for bad in [
            "service:12",
            "::service:",
            "::service:0",
            "::boat:1",
            "::service:x",
            "",
        ] {
            assert!(parse_link(bad).is_none(), "{bad}");
        }
    }
}
