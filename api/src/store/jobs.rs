//! Background-job bookkeeping: leases (one replica per job at a time), runs, and the webhook
//! outbox. Times come from the caller, so tests can drive the clock.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{job_lease, job_run, reminder, user, webhook_delivery};

/// Takes or renews the lease on `name` for `holder` until `until`: one conditional UPDATE
/// (ours, or lapsed before `now`), else an INSERT that loses to anyone who inserted first.
/// `true` when `holder` has the lease afterwards.
pub async fn take_lease(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let renewed = job_lease::Entity::update_many()
        .set(job_lease::ActiveModel {
            holder: Set(holder.to_owned()),
            expires_at: Set(until),
            ..Default::default()
        })
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::Holder.eq(holder))
                .add(job_lease::Column::ExpiresAt.lt(now)),
        )
        .exec(db)
        .await?;
    if renewed.rows_affected > 0 {
        return Ok(true);
    }
    let inserted = job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        expires_at: Set(until),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await;
    match inserted {
        Ok(n) => Ok(n == 1),
        // The row exists and someone else holds it.
        Err(DbErr::RecordNotInserted) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Lets the lease lapse at once (at shutdown), so another replica takes over on its next tick.
pub async fn release_lease(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    job_lease::Entity::update_many()
        .set(job_lease::ActiveModel {
            expires_at: Set(now - chrono::Duration::seconds(1)),
            ..Default::default()
        })
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn start_run(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    at: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let run = job_run::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        started_at: Set(at),
        finished_at: Set(None),
        ok: Set(None),
        detail: Set(String::new()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(run.id)
}

pub async fn finish_run(
    db: &impl ConnectionTrait,
    id: i64,
    ok: bool,
    detail: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    job_run::Entity::update_many()
        .set(job_run::ActiveModel {
            finished_at: Set(Some(at)),
            ok: Set(Some(ok)),
            detail: Set(detail.to_owned()),
            ..Default::default()
        })
        .filter(job_run::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The latest run of `name` started at or after `since`.
pub async fn last_run_since(
    db: &impl ConnectionTrait,
    name: &str,
    since: DateTime<Utc>,
) -> Result<Option<job_run::Model>, DbErr> {
    job_run::Entity::find()
        .filter(job_run::Column::Name.eq(name))
        .filter(job_run::Column::StartedAt.gte(since))
        .order_by_desc(job_run::Column::StartedAt)
        .order_by_desc(job_run::Column::Id)
        .one(db)
        .await
}

/// Whether `name` finished successfully in a run started at or after `since`.
pub async fn succeeded_since(
    db: &impl ConnectionTrait,
    name: &str,
    since: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let n = job_run::Entity::find()
        .filter(job_run::Column::Name.eq(name))
        .filter(job_run::Column::StartedAt.gte(since))
        .filter(job_run::Column::Ok.eq(true))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// Every run of `name`, oldest first.
pub async fn runs(db: &impl ConnectionTrait, name: &str) -> Result<Vec<job_run::Model>, DbErr> {
    job_run::Entity::find()
        .filter(job_run::Column::Name.eq(name))
        .order_by_asc(job_run::Column::Id)
        .all(db)
        .await
}

/// Drops finished runs started before `before`; how many.
pub async fn prune_runs(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let done = job_run::Entity::delete_many()
        .filter(job_run::Column::StartedAt.lt(before))
        .filter(job_run::Column::FinishedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// Queues one post per `(url, body)`, due at once.
pub async fn insert_deliveries(
    db: &impl ConnectionTrait,
    posts: Vec<(String, String)>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if posts.is_empty() {
        return Ok(());
    }
    let rows = posts
        .into_iter()
        .map(|(url, payload)| webhook_delivery::ActiveModel {
            url: Set(url),
            payload: Set(payload),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            delivered_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
    webhook_delivery::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Undelivered posts due at `now` that have attempts left, oldest first.
pub async fn due_deliveries(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max_attempts: u32,
    limit: u64,
) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(webhook_delivery::Column::Attempts.lt(i64::from(max_attempts)))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Records one attempt: delivered (`next` is `None`) or failed with `error`, retried at `next`.
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    row: &webhook_delivery::Model,
    at: DateTime<Utc>,
    failure: Option<(&str, DateTime<Utc>)>,
) -> Result<(), DbErr> {
    let mut update = webhook_delivery::ActiveModel {
        attempts: Set(row.attempts.saturating_add(1)),
        ..Default::default()
    };
    match failure {
        None => update.delivered_at = Set(Some(at)),
        Some((error, next)) => {
            update.last_error = Set(Some(error.to_owned()));
            update.next_attempt_at = Set(next);
        }
    }
    webhook_delivery::Entity::update_many()
        .set(update)
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every queued post, oldest first (tests and operators).
pub async fn deliveries(db: &impl ConnectionTrait) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    webhook_delivery::Entity::find()
        .order_by_asc(webhook_delivery::Column::Id)
        .all(db)
        .await
}

/// Drops delivered posts older than `before`; failed ones stay for inspection.
pub async fn prune_delivered(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let done = webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::DeliveredAt.lt(before))
        .exec(db)
        .await?;
    Ok(done.rows_affected)
}

/// The root account, whose view (every vehicle) the jobs take; `None` before set-up.
pub async fn root_user(db: &impl ConnectionTrait) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::IsRoot.eq(true))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await
}

/// The vehicles that have reminders, so the state-change job skips the others.
pub async fn vehicles_with_reminders(db: &impl ConnectionTrait) -> Result<Vec<i64>, DbErr> {
    reminder::Entity::find()
        .select_only()
        .column(reminder::Column::VehicleId)
        .distinct()
        .order_by_asc(reminder::Column::VehicleId)
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// The last urgency notified per reminder of the vehicle.
pub async fn notified_urgencies(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<HashMap<i64, Option<String>>, DbErr> {
    Ok(reminder::Entity::find()
        .select_only()
        .column(reminder::Column::Id)
        .column(reminder::Column::LastNotifiedUrgency)
        .filter(reminder::Column::VehicleId.eq(vehicle_id))
        .into_tuple::<(i64, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Moves the reminder's notified urgency from `seen` to `now`; `false` when it no longer was
/// `seen` (a push-back reset it, or someone else got there first).
pub async fn set_notified_urgency(
    db: &impl ConnectionTrait,
    reminder_id: i64,
    seen: Option<&str>,
    now: &str,
) -> Result<bool, DbErr> {
    let guard = match seen {
        Some(s) => reminder::Column::LastNotifiedUrgency.eq(s),
        None => reminder::Column::LastNotifiedUrgency.is_null(),
    };
    let done = reminder::Entity::update_many()
        .col_expr(
            reminder::Column::LastNotifiedUrgency,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(reminder::Column::Id.eq(reminder_id))
        .filter(guard)
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}
