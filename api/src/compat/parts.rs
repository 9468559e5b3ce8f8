//! The extra fields and files every export model carries (reference §4.2), read for a whole
//! list at once, and the extra fields a client sends, written through the native domain.

use std::collections::HashMap;

use motovault_shared::dto::extra_fields::{
    ExtraField, ExtraFieldValueInput, ExtraFieldValuesInput,
};
use motovault_shared::extra_fields as rules;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::documents::{self, Staged};
use super::input::ExtraFieldIn;
use super::output::J;
use crate::auth::Caller;
use crate::domain::extra_fields as extra_domain;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectKey, Objects};
use crate::store::attachments::{KIND_FILE, record_table};
use crate::store::entity::{attachment, extra_field_value};
use crate::store::extra_fields as extra_store;

/// Extra fields (merged with the current template) and files of some records of one type.
pub struct Parts {
    extra: HashMap<i64, Vec<ExtraField>>,
    files: HashMap<i64, Vec<attachment::Model>>,
}

pub async fn load(
    db: &DatabaseConnection,
    record_type: &str,
    // The native segment; unused since files are listed at `/documents/{key}`.
    _segment: &'static str,
    ids: &[i64],
) -> AppResult<Parts> {
    let template = extra_store::template(db, record_type).await?;
    let mut stored: HashMap<i64, Vec<ExtraField>> = HashMap::new();
    let mut files: HashMap<i64, Vec<attachment::Model>> = HashMap::new();
    if !ids.is_empty() {
        let values = extra_field_value::Entity::find()
            .filter(extra_field_value::Column::RecordType.eq(record_type))
            .filter(extra_field_value::Column::RecordId.is_in(ids.to_vec()))
            .order_by_asc(extra_field_value::Column::Id)
            .all(db)
            .await?;
        for v in values {
            stored.entry(v.record_id).or_default().push(ExtraField {
                name: v.name,
                value: v.value,
                is_required: false,
                field_type: Default::default(),
            });
        }
        let rows = attachment::Entity::find()
            .filter(attachment::Column::RecordType.eq(record_type))
            .filter(attachment::Column::RecordId.is_in(ids.to_vec()))
            .filter(attachment::Column::IsPending.eq(false))
            .order_by_asc(attachment::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            files.entry(row.record_id).or_default().push(row);
        }
    }
    let extra = ids
        .iter()
        .map(|id| {
            let own = stored.remove(id).unwrap_or_default();
            (*id, rules::merge(&own, &template))
        })
        .collect();
    Ok(Parts { extra, files })
}

/// `[{name,value,isRequired,fieldType}]`; typed in both modes, `fieldType` as an integer.
pub fn extra_json(fields: &[ExtraField]) -> J {
    J::Arr(
        fields
            .iter()
            .map(|f| {
                J::Obj(vec![
                    ("name", J::str(f.name.clone())),
                    ("value", J::str(f.value.clone())),
                    ("isRequired", J::Bool(f.is_required)),
                    ("fieldType", J::int(f.field_type as i64)),
                ])
            })
            .collect(),
    )
}

impl Parts {
    pub fn extra(&self, id: i64) -> J {
        extra_json(self.extra.get(&id).map(Vec::as_slice).unwrap_or_default())
    }

    /// `[{name,location,isPending}]`: files at `/documents/{key}` as in LubeLogger (served to
    /// those who see the vehicle, and sent back unchanged by an update to keep the file),
    /// links at their address, record links keep `::type:id`.
    pub fn files(&self, id: i64) -> J {
        let rows = self.files.get(&id).map(Vec::as_slice).unwrap_or_default();
        J::Arr(
            rows.iter()
                .map(|row| {
                    let location = match ObjectKey::parse(&row.location) {
                        Some(key) if row.kind == KIND_FILE => documents::location(&key),
                        _ => row.location.clone(),
                    };
                    J::Obj(vec![
                        ("name", J::str(row.name.clone())),
                        ("location", J::str(location)),
                        ("isPending", J::Bool(row.is_pending)),
                    ])
                })
                .collect(),
        )
    }
}

/// The extra fields a client sent, as the native rules take them: LubeLogger's API stores any
/// name and checks no required field (reference §3.9), and its display drops names the template
/// does not have, so those and empty values are left out here; what remains (lengths, number
/// and date formats) is checked before anything is written, so a bad value creates nothing.
pub async fn prepare(
    db: &DatabaseConnection,
    record_type: &str,
    fields: &[ExtraFieldIn],
) -> AppResult<Vec<ExtraFieldIn>> {
    if fields.is_empty() {
        return Ok(Vec::new());
    }
    let template = extra_store::template(db, record_type).await?;
    let mut kept: Vec<ExtraFieldIn> = Vec::new();
    for f in fields {
        let name = f.name.trim();
        if f.value.trim().is_empty()
            || !template.iter().any(|d| d.name == name)
            || kept.iter().any(|k| k.name == name)
        {
            continue;
        }
        kept.push(ExtraFieldIn {
            name: name.to_owned(),
            value: f.value.clone(),
        });
    }
    // Required fields are not the API's business (§3.9): check formats only.
    let loose: Vec<_> = template
        .into_iter()
        .map(|mut d| {
            d.is_required = false;
            d
        })
        .collect();
    AppError::check(rules::validate_values(&as_input(&kept).fields, &loose))?;
    Ok(kept)
}

fn as_input(fields: &[ExtraFieldIn]) -> ExtraFieldValuesInput {
    ExtraFieldValuesInput {
        fields: fields
            .iter()
            .map(|f| ExtraFieldValueInput {
                name: f.name.clone(),
                value: f.value.clone(),
            })
            .collect(),
    }
}

/// Writes a record's extra fields (after [`prepare`]); `segment` as in
/// `store::attachments::RECORD_TABLES`, `None` for the vehicle itself. `replace` writes even an
/// empty list (updates replace the fields, as LubeLogger does). The native target check runs
/// (the record is under a vehicle the caller reaches); the native required-field rule does not,
/// as LubeLogger's API has none (§3.9).
pub async fn write_extra(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record: Option<(&str, i64)>,
    fields: &[ExtraFieldIn],
    replace: bool,
) -> AppResult<()> {
    if fields.is_empty() && !replace {
        return Ok(());
    }
    let (record_type, record_id) = match record {
        None => (extra_store::VEHICLE, vehicle_id),
        Some((segment, id)) => match record_table(segment) {
            Some(table) => (table.record_type, id),
            // Reminders carry no extra fields (reference §2.3).
            None => return Ok(()),
        },
    };
    extra_domain::target(db, caller, vehicle_id, record).await?;
    let template = extra_store::template(db, record_type).await?;
    let values = rules::values_to_store(&as_input(fields).fields, &template);
    let txn = crate::store::begin_write(db).await?;
    extra_store::replace_values(&txn, vehicle_id, record_type, record_id, &values).await?;
    txn.commit().await?;
    Ok(())
}

/// Writes what a record carries besides its row, in one transaction: its extra fields (after
/// [`prepare`]; `replace` as in [`write_extra`]) and its staged file changes
/// ([`documents::plan`]). Either both are written or neither; removed files' objects go after
/// the commit. Reminders carry neither and are left alone.
#[allow(clippy::too_many_arguments)]
pub async fn write_parts(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    (segment, record_id): (&str, i64),
    fields: &[ExtraFieldIn],
    replace: bool,
    files: Option<Staged>,
) -> AppResult<()> {
    let Some(table) = record_table(segment) else {
        return Ok(());
    };
    let files = files.filter(|f| !f.is_empty());
    let write_fields = replace || !fields.is_empty();
    if !write_fields && files.is_none() {
        return Ok(());
    }
    extra_domain::target(db, caller, vehicle_id, Some((segment, record_id))).await?;
    let values = if write_fields {
        let template = extra_store::template(db, table.record_type).await?;
        Some(rules::values_to_store(&as_input(fields).fields, &template))
    } else {
        None
    };
    let txn = crate::store::begin_write(db).await?;
    if let Some(values) = &values {
        extra_store::replace_values(&txn, vehicle_id, table.record_type, record_id, values).await?;
    }
    if let Some(files) = &files {
        files
            .write(&txn, vehicle_id, table.record_type, record_id)
            .await?;
    }
    txn.commit().await?;
    if let Some(files) = files {
        files.finish(db, objects).await;
    }
    Ok(())
}
