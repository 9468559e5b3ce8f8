//! `GET /api/vehicle/reminders/send` (root only, reference §4.3): e-mails each vehicle's
//! reminder digest to its recipients (the vehicle's direct collaborators with an e-mail
//! address, plus the root's address, LubeLogger's `DefaultReminderEmail`) and reports how many
//! digests went out, in LubeLogger's words.

use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::reminders::{Reminder, ReminderUrgency};

use super::auth::CompatCaller;
use super::calendar::vehicle_label;
use super::error::{CompatError, CompatResult};
use super::input::Bag;
use super::output;
use crate::auth::Caller;
use crate::domain::reminders::UrgencyContext;
use crate::domain::{reminders, vehicles};
use crate::error::AppResult;
use crate::infra::mail::Mailer;
use crate::state::AppState;
use crate::store::collaborators;
use sea_orm::DatabaseConnection;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/vehicle/reminders/send", web::get().to(send));
}

/// `urgencies=` as names (`PastDue`) or LubeLogger's integers (3).
fn parse_urgency(text: &str) -> Option<ReminderUrgency> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "0" | "noturgent" => ReminderUrgency::NotUrgent,
        "1" | "urgent" => ReminderUrgency::Urgent,
        "2" | "veryurgent" => ReminderUrgency::VeryUrgent,
        "3" | "pastdue" => ReminderUrgency::PastDue,
        _ => return None,
    })
}

fn urgency_name(u: ReminderUrgency) -> &'static str {
    match u {
        ReminderUrgency::NotUrgent => "Not Urgent",
        ReminderUrgency::Urgent => "Urgent",
        ReminderUrgency::VeryUrgent => "Very Urgent",
        ReminderUrgency::PastDue => "Past Due",
    }
}

/// The digest of one vehicle: subject and plain-text body.
pub fn digest(label: &str, list: &[Reminder]) -> (String, String) {
    let mut body = format!("Reminders for {label}:\r\n\r\n");
    for r in list {
        let mut due = Vec::new();
        if r.metric.uses_date()
            && let Some(d) = r.due_date
        {
            due.push(format!("due {d}"));
        }
        if r.metric.uses_odometer()
            && let Some(o) = r.due_odometer
        {
            due.push(format!("due at {o}"));
        }
        body.push_str(&format!(
            "- {} [{}] {}\r\n",
            r.description,
            urgency_name(r.urgency),
            due.join(", ")
        ));
    }
    (
        format!("Vehicle Reminders From MotoVaultPro - {label}"),
        body,
    )
}

/// The closing message of §4.3 for `sent` successful and `failed` failed digests.
pub fn summary(sent: usize, failed: usize) -> (bool, String) {
    match (sent, failed) {
        (0, 0) => (
            false,
            "No Emails Sent, No Vehicles Available or No Recipients Configured".to_owned(),
        ),
        (n, 0) => (true, format!("Emails Sent({n})")),
        (0, n) => (
            false,
            format!("All Emails Failed({n}), Check SMTP Settings"),
        ),
        (s, f) => (
            true,
            format!("Emails Sent({s}), Emails Failed({f}), Check Recipient Settings"),
        ),
    }
}

/// Which reminders a digest run covers: the endpoint's `id`, `tags` and `urgencies` (empty =
/// all).
#[derive(Debug, Clone, Default)]
pub struct DigestFilter {
    pub vehicle: Option<i64>,
    pub tags: Vec<String>,
    pub urgencies: Vec<ReminderUrgency>,
}

/// Who hears about a vehicle's reminders: its direct collaborators with an e-mail address
/// (not disabled) and `root_email` (LubeLogger's `DefaultReminderEmail`), without duplicates.
pub async fn recipients(
    db: &DatabaseConnection,
    vehicle_id: i64,
    root_email: Option<&str>,
) -> AppResult<Vec<String>> {
    let mut recipients: Vec<String> = root_email
        .filter(|e| !e.trim().is_empty())
        .map(str::to_owned)
        .into_iter()
        .collect();
    for user in collaborators::users_of(db, vehicle_id).await? {
        if user.is_disabled {
            continue;
        }
        if let Some(email) = user.email.filter(|e| !e.trim().is_empty())
            && !recipients.iter().any(|r| r.eq_ignore_ascii_case(&email))
        {
            recipients.push(email);
        }
    }
    Ok(recipients)
}

/// E-mails each vehicle's digest (the root `caller` sees every vehicle) to its [`recipients`];
/// `(sent, failed)` digests, for [`summary`]. The endpoint and the daily job both run this.
pub async fn send_digests(
    db: &DatabaseConnection,
    mailer: Option<&Mailer>,
    caller: &Caller,
    filter: &DigestFilter,
    ctx: UrgencyContext,
) -> AppResult<(usize, usize)> {
    // No urgencies means all of them (as LubeLogger).
    let wanted = |u: ReminderUrgency| filter.urgencies.is_empty() || filter.urgencies.contains(&u);
    let (mut sent, mut failed) = (0usize, 0usize);
    for vehicle in vehicles::list(db, caller).await? {
        if filter.vehicle.is_some_and(|id| id != vehicle.id) {
            continue;
        }
        let list: Vec<Reminder> = reminders::list(db, caller, vehicle.id, ctx)
            .await?
            .records
            .into_iter()
            .filter(|r| wanted(r.urgency))
            .filter(|r| filter.tags.is_empty() || r.tags.iter().any(|t| filter.tags.contains(t)))
            .collect();
        if list.is_empty() {
            continue;
        }
        let recipients = recipients(db, vehicle.id, caller.user.email.as_deref()).await?;
        if recipients.is_empty() {
            continue;
        }
        let label = vehicle_label(db, &vehicle).await?;
        let (subject, body) = digest(&label, &list);
        // A digest counts as sent when every recipient got it.
        let mut ok = mailer.is_some();
        if let Some(mailer) = mailer {
            for to in &recipients {
                if let Err(e) = mailer.send(to, &subject, &body).await {
                    tracing::warn!(vehicle = vehicle.id, error = %e, "reminder e-mail failed");
                    ok = false;
                }
            }
        }
        if ok {
            sent += 1;
        } else {
            failed += 1;
        }
    }
    Ok((sent, failed))
}

async fn send(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> CompatResult<HttpResponse> {
    who.require_root()?;
    let caller = who.caller(Permission::View)?;
    let bag = Bag::from_request(&req, &Bytes::new(), who.fmt.culture)?;
    let only_vehicle = bag.query_first_int("id")?;
    let tags = bag.tags("tags");
    let mut urgencies = Vec::new();
    for text in bag.all("urgencies") {
        let u = parse_urgency(&text).ok_or_else(|| {
            CompatError::BadRequest(format!("The value '{text}' is not valid for urgencies."))
        })?;
        urgencies.push(u);
    }
    let filter = DigestFilter {
        vehicle: only_vehicle,
        tags,
        urgencies,
    };
    let ctx = UrgencyContext::now(&state.settings.reminders);
    let (sent, failed) =
        send_digests(&state.db, state.mailer.as_deref(), &caller, &filter, ctx).await?;
    let (success, message) = summary(sent, failed);
    Ok(output::ok(&if success {
        output::succeed(&message, None)
    } else {
        output::failed(&message)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_of_section_4_3() {
        assert_eq!(summary(2, 0), (true, "Emails Sent(2)".to_owned()));
        assert_eq!(
            summary(0, 3),
            (
                false,
                "All Emails Failed(3), Check SMTP Settings".to_owned()
            )
        );
        assert_eq!(
            summary(1, 2),
            (
                true,
                "Emails Sent(1), Emails Failed(2), Check Recipient Settings".to_owned()
            )
        );
        assert!(!summary(0, 0).0);
        assert!(summary(0, 0).1.starts_with("No Emails Sent, "));
        assert_eq!(parse_urgency("PastDue"), Some(ReminderUrgency::PastDue));
        assert_eq!(parse_urgency("1"), Some(ReminderUrgency::Urgent));
        assert_eq!(parse_urgency("soon"), None);
    }
}
