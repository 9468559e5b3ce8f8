//! What each job does. The daily ones call the same code as their endpoints
//! (`/api/vehicle/taxrecords/check`, `/api/vehicle/reminders/send`, `/api/cleanup`), as the
//! root account, which sees every vehicle.

use crate::compat::records::urgency_name;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::reminders::{Reminder, ReminderUrgency};
use serde_json::{Value, json};

use super::{
    KEEP_RUNS, RECURRING_TAXES, REMINDER_EMAILS, REMINDER_STATES, Runner, TEMP_CLEANUP, WEBHOOKS,
    webhooks,
};
use crate::auth::Caller;
use crate::auth::caller::Credential;
use crate::compat::admin::{clean_temp, temp_dir_of};
use crate::compat::calendar::vehicle_label;
use crate::compat::reminders_mail::{self, DigestFilter};
use crate::domain::reminders::UrgencyContext;
use crate::domain::{reminders, tax, vehicles};
use crate::error::{AppError, AppResult};
use crate::events::Subject;
use crate::events::payload::{DISCORD_AVATAR, dotnet_round_trip};
use crate::store::jobs as store;

/// Who state-change events name as their author.
const SYSTEM_USER: &str = "MotoVaultPro";

/// Runs `job` at `now`: `Some(detail)` of what it did, `None` when a per-tick job found
/// nothing to do.
pub(super) async fn run(
    runner: &Runner,
    job: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<String>> {
    match job {
        RECURRING_TAXES => recurring_taxes(runner, now).await.map(Some),
        REMINDER_EMAILS => reminder_emails(runner, now).await.map(Some),
        TEMP_CLEANUP => temp_cleanup(runner, now).await.map(Some),
        REMINDER_STATES => reminder_states(runner, now).await,
        WEBHOOKS => {
            Ok(
                webhooks::deliver_due(&runner.db, &runner.http, &runner.settings.webhooks, now)
                    .await?,
            )
        }
        _ => Ok(None),
    }
}

/// The root account as a caller, `None` before set-up (no vehicles either, then).
async fn root(runner: &Runner) -> AppResult<Option<Caller>> {
    Ok(store::root_user(&runner.db).await?.map(|user| Caller {
        user,
        credential: Credential::Direct,
        need: Permission::Edit,
    }))
}

fn urgency_context(runner: &Runner, now: DateTime<Utc>) -> UrgencyContext {
    UrgencyContext {
        now: now.naive_utc(),
        ..UrgencyContext::now(&runner.settings.reminders)
    }
}

/// Reference §3.5 for every vehicle (the UpdateRecurringTax event).
async fn recurring_taxes(runner: &Runner, now: DateTime<Utc>) -> AppResult<String> {
    let Some(root) = root(runner).await? else {
        return Ok("no accounts yet".into());
    };
    let updated =
        tax::backfill_visible(&runner.db, &runner.objects, &root, now.date_naive()).await?;
    Ok(format!("recurring taxes of {updated} vehicles updated"))
}

/// The urgencies the daily digest reports (a NotUrgent reminder is no news).
const DIGEST_URGENCIES: [ReminderUrgency; 3] = [
    ReminderUrgency::Urgent,
    ReminderUrgency::VeryUrgent,
    ReminderUrgency::PastDue,
];

/// Each vehicle's reminder digest (the AllReminder event), when SMTP is configured.
async fn reminder_emails(runner: &Runner, now: DateTime<Utc>) -> AppResult<String> {
    let Some(mailer) = runner.mailer.as_deref() else {
        return Ok("skipped: SMTP is not configured".into());
    };
    let Some(root) = root(runner).await? else {
        return Ok("no accounts yet".into());
    };
    let filter = DigestFilter {
        urgencies: DIGEST_URGENCIES.to_vec(),
        ..DigestFilter::default()
    };
    let ctx = urgency_context(runner, now);
    let (sent, failed) =
        reminders_mail::send_digests(&runner.db, Some(mailer), &root, &filter, ctx).await?;
    Ok(reminders_mail::summary(sent, failed).1)
}

/// Temp files (the CleanTempFile event), plus this module's own old rows.
async fn temp_cleanup(runner: &Runner, now: DateTime<Utc>) -> AppResult<String> {
    let dir = temp_dir_of(&runner.settings);
    let files = tokio::task::spawn_blocking(move || clean_temp(&dir))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let runs = store::prune_runs(&runner.db, now - KEEP_RUNS).await?;
    let posts = store::prune_delivered(&runner.db, now - KEEP_RUNS).await?;
    Ok(format!(
        "temp files deleted {files}, old job runs pruned {runs}, old delivered webhooks pruned {posts}"
    ))
}

/// Every reminder whose urgency changed since it was last seen (`reminders.last_notified_urgency`,
/// shared by the replicas and kept over restarts): the new value is stored and, unless the
/// reminder became NotUrgent (first seen, pushed back, or edited), a
/// `reminderrecord.statechanged` webhook is queued in the same transaction and the vehicle's
/// reminder recipients get an e-mail.
async fn reminder_states(runner: &Runner, now: DateTime<Utc>) -> AppResult<Option<String>> {
    let Some(root) = root(runner).await? else {
        return Ok(None);
    };
    let db = &runner.db;
    let ctx = urgency_context(runner, now);
    let mut notified = 0usize;
    for vehicle_id in store::vehicles_with_reminders(db).await? {
        let seen = store::notified_urgencies(db, vehicle_id).await?;
        let list = match reminders::list(db, &root, vehicle_id, ctx).await {
            Ok(list) => list.records,
            // Deleted meanwhile.
            Err(AppError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let mut label: Option<String> = None;
        for reminder in list {
            let before = seen.get(&reminder.id).cloned().flatten();
            let current = reminder.urgency.as_str();
            if before.as_deref() == Some(current) {
                continue;
            }
            let notify = reminder.urgency != ReminderUrgency::NotUrgent;
            let label = match &label {
                Some(l) => l.clone(),
                None => {
                    let vehicle = vehicles::get(db, &root, vehicle_id).await?;
                    let l = vehicle_label(db, &vehicle).await?;
                    label = Some(l.clone());
                    l
                }
            };
            let txn = crate::store::begin_write(db).await?;
            if !store::set_notified_urgency(&txn, reminder.id, before.as_deref(), current).await? {
                continue;
            }
            if notify {
                let (payload, discord) =
                    state_change_payloads(&reminder, before.as_deref(), &label, now);
                webhooks::enqueue_bodies(&txn, &runner.settings.webhooks, &payload, &discord)
                    .await?;
            }
            txn.commit().await?;
            if notify {
                notified += 1;
                mail_state_change(runner, &root, &reminder, &label).await?;
            }
        }
    }
    Ok((notified > 0).then(|| format!("{notified} reminder state changes notified")))
}

/// The `reminderrecord.statechanged` webhook body (§3.10 shape: the reminder's `data` keys plus
/// `urgency` and `previousUrgency`) and its Discord form.
fn state_change_payloads(
    reminder: &Reminder,
    before: Option<&str>,
    label: &str,
    at: DateTime<Utc>,
) -> (Value, Value) {
    let mut data: BTreeMap<String, String> = reminder
        .data()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    data.insert("vehicleId".into(), reminder.vehicle_id.to_string());
    data.insert("urgency".into(), urgency_name(reminder.urgency).into());
    let previous = before
        .and_then(|b| {
            [
                ReminderUrgency::NotUrgent,
                ReminderUrgency::Urgent,
                ReminderUrgency::VeryUrgent,
                ReminderUrgency::PastDue,
            ]
            .into_iter()
            .find(|u| u.as_str() == b)
        })
        .map(urgency_name)
        .unwrap_or_default();
    data.insert("previousUrgency".into(), previous.into());
    let action = format!(
        "Reminder {} for {label} is now {}",
        reminder.description,
        urgency_name(reminder.urgency)
    );
    let payload = json!({
        "type": "reminderrecord.statechanged",
        "timestamp": dotnet_round_trip(at),
        "data": data,
        "vehicleId": reminder.vehicle_id,
        "username": SYSTEM_USER,
        "action": action,
    });
    let discord = json!({
        "username": SYSTEM_USER,
        "avatar_url": DISCORD_AVATAR,
        "content": action,
    });
    (payload, discord)
}

/// The e-mail of one state change, to the digest's recipients; failures are logged (the
/// webhook is the durable channel).
async fn mail_state_change(
    runner: &Runner,
    root: &Caller,
    reminder: &Reminder,
    label: &str,
) -> AppResult<()> {
    let Some(mailer) = runner.mailer.as_deref() else {
        return Ok(());
    };
    let to =
        reminders_mail::recipients(&runner.db, reminder.vehicle_id, root.user.email.as_deref())
            .await?;
    let (_, body) = reminders_mail::digest(label, std::slice::from_ref(reminder));
    let subject = format!("Reminder Urgency Changed From MotoVaultPro - {label}");
    for address in &to {
        if let Err(e) = mailer.send(address, &subject, &body).await {
            tracing::warn!(reminder = reminder.id, error = %e, "state-change e-mail failed");
        }
    }
    Ok(())
}
