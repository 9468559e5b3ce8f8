//! `GET /api/calendar`: the caller's date reminders as an iCalendar feed (reference §3.2
//! "ICS", `StaticHelper.RemindersToCalendar`). Odometer-only reminders are left out and the
//! urgency is judged by the date alone; each reminder is an all-day event whose UID is derived
//! from its date and description exactly as LubeLogger does, so a calendar that subscribed to
//! LubeLogger keeps its events when pointed here. [`ics_response`] also answers the native feed
//! URL (`/api/v1/calendar/feed/{secret}.ics`), and [`date_reminders`] feeds the calendar view.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use md5::{Digest, Md5};
use motovault_shared::dto::Vehicle;
use motovault_shared::dto::access::Permission;
use motovault_shared::dto::reminders::{Reminder, ReminderUrgency};
use motovault_shared::reminders::{self as rule, CustomThresholds};
use sea_orm::DatabaseConnection;

use super::auth::CompatCaller;
use super::error::CompatResult;
use crate::auth::Caller;
use crate::domain::reminders::UrgencyContext;
use crate::domain::{reminders, vehicles};
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::extra_fields as extra_store;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/calendar", web::get().to(calendar));
}

async fn calendar(state: web::Data<AppState>, who: CompatCaller) -> CompatResult<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    Ok(ics_response(&state, &caller).await?)
}

/// The caller's date reminders as the `text/calendar` answer, soonest first (as LubeLogger's
/// calendar lists them): the one body both ICS feeds serve.
pub async fn ics_response(state: &AppState, caller: &Caller) -> AppResult<HttpResponse> {
    let ctx = UrgencyContext::now(&state.settings.reminders);
    let mut events: Vec<Event> = date_reminders(&state.db, caller, ctx)
        .await?
        .iter()
        .map(event_of)
        .collect();
    events.sort_by(|a, b| (a.date, &a.uid).cmp(&(b.date, &b.uid)));
    let body = ics(&events, ctx.now);
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "inline; filename=\"calendar.ics\""))
        .body(body))
}

/// A reminder that is due by date, of a vehicle the caller may view.
#[derive(Debug, Clone)]
pub struct DateReminder {
    /// The vehicle's [`vehicle_label`].
    pub label: String,
    pub due_date: NaiveDate,
    /// By the date alone.
    pub urgency: ReminderUrgency,
    pub reminder: Reminder,
}

/// Every date (or date-and-odometer) reminder of every vehicle the caller may view, vehicle by
/// vehicle; odometer-only reminders are left out.
pub async fn date_reminders(
    db: &DatabaseConnection,
    caller: &Caller,
    ctx: UrgencyContext,
) -> AppResult<Vec<DateReminder>> {
    let mut out = Vec::new();
    for vehicle in vehicles::list(db, caller).await? {
        let label = vehicle_label(db, &vehicle).await?;
        let list = reminders::list(db, caller, vehicle.id, ctx).await?;
        for r in list.records {
            let Some(due_date) = r.due_date.filter(|_| r.metric.uses_date()) else {
                continue;
            };
            out.push(DateReminder {
                label: label.clone(),
                due_date,
                urgency: date_urgency(&r, ctx),
                reminder: r,
            });
        }
    }
    Ok(out)
}

/// "Year Make Model #Identifier": the plate, or the vehicle extra field the vehicle names as
/// its identifier (reference §1 Vehicles).
pub async fn vehicle_label(db: &DatabaseConnection, v: &Vehicle) -> AppResult<String> {
    let identifier = if v.vehicle_identifier.is_empty() || v.vehicle_identifier == "LicensePlate" {
        v.license_plate.clone()
    } else {
        extra_store::values(db, extra_store::VEHICLE, v.id)
            .await?
            .into_iter()
            .find(|(name, _)| *name == v.vehicle_identifier)
            .map(|(_, value)| value)
            .unwrap_or_default()
    };
    Ok(format!("{} {} {} #{identifier}", v.year, v.make, v.model))
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub date: NaiveDate,
    pub text: String,
    pub priority: u8,
}

/// The urgency of a reminder by its date only (the calendar ignores the odometer).
fn date_urgency(r: &Reminder, ctx: UrgencyContext) -> ReminderUrgency {
    let thresholds = rule::thresholds_for(
        r.use_custom_thresholds,
        CustomThresholds {
            urgent_days: r.urgent_days.map(i64::from),
            very_urgent_days: r.very_urgent_days.map(i64::from),
            urgent_distance: r.urgent_distance,
            very_urgent_distance: r.very_urgent_distance,
        },
        ctx.server,
    );
    rule::urgency(
        motovault_shared::dto::reminders::ReminderMetric::Date,
        r.due_date,
        None,
        thresholds,
        ctx.now,
        0,
    )
    .urgency
}

fn event_of(d: &DateReminder) -> Event {
    Event {
        uid: uid(d.due_date, &d.reminder.description),
        date: d.due_date,
        text: format!("{} - {}", d.label, d.reminder.description),
        priority: priority(d.urgency),
    }
}

/// PRIORITY: NotUrgent 3, Urgent 2, VeryUrgent 1, PastDue 1.
pub fn priority(u: ReminderUrgency) -> u8 {
    match u {
        ReminderUrgency::NotUrgent => 3,
        ReminderUrgency::Urgent => 2,
        ReminderUrgency::VeryUrgent | ReminderUrgency::PastDue => 1,
    }
}

/// `new Guid(MD5("yyyyMMddTHHmm00_{description}"))` of the due date at midnight.
pub fn uid(date: NaiveDate, description: &str) -> String {
    let source = format!("{}_{description}", date.format("%Y%m%dT000000"));
    let hash: [u8; 16] = Md5::digest(source.as_bytes()).into();
    dotnet_guid(hash)
}

/// How .NET prints `new Guid(byte[16])`: the first three groups are little-endian (an `int`
/// and two `short`s), the last two are the bytes in order.
pub fn dotnet_guid(b: [u8; 16]) -> String {
    format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{}",
        b[3],
        b[2],
        b[1],
        b[0],
        b[5],
        b[4],
        b[7],
        b[6],
        b[8],
        b[9],
        hex::encode(&b[10..])
    )
}

/// RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

pub fn ics(events: &[Event], now: NaiveDateTime) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//MotoVaultPro//Reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        line(&mut out, l);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    for e in events {
        let text = escape(&e.text);
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", e.uid));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")),
        );
        if let Some(next) = e.date.succ_opt() {
            line(
                &mut out,
                &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
            );
        }
        line(&mut out, &format!("SUMMARY:{text}"));
        line(&mut out, &format!("DESCRIPTION:{text}"));
        line(&mut out, &format!("PRIORITY:{}", e.priority));
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_is_dotnet_guid_of_the_md5() {
        // .NET reverses the bytes of the first three groups of the MD5 and keeps the rest:
        // a2c9c74c-2847-51a2-37ae-01eda9cae530 → 4cc7c9a2-4728-a251-37ae-01eda9cae530.
        let cases = [
            (
                NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
                "Oil change",
                MD5_OIL,
                GUID_OIL,
            ),
            (
                NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
                "Inspection",
                MD5_INSPECTION,
                GUID_INSPECTION,
            ),
        ];
        for (date, description, md5_hex, guid) in cases {
            let source = format!("{}_{description}", date.format("%Y%m%dT000000"));
            assert_eq!(hex::encode(Md5::digest(source.as_bytes())), md5_hex);
            assert_eq!(uid(date, description), guid);
        }
    }

    // `printf %s '20260315T000000_Oil change' | md5sum`, and the GUID worked out by hand.
    const MD5_OIL: &str = "a2c9c74c284751a237ae01eda9cae530";
    const GUID_OIL: &str = "4cc7c9a2-4728-a251-37ae-01eda9cae530";
    const MD5_INSPECTION: &str = "b0ffe087ab23e5a904912bb7a8b37057";
    const GUID_INSPECTION: &str = "87e0ffb0-23ab-a9e5-0491-2bb7a8b37057";

    #[test]
    fn guid_byte_order() {
        let bytes: [u8; 16] = [
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ];
        assert_eq!(dotnet_guid(bytes), "33221100-5544-7766-8899-aabbccddeeff");
    }

    #[test]
    fn priorities_and_text() {
        assert_eq!(priority(ReminderUrgency::NotUrgent), 3);
        assert_eq!(priority(ReminderUrgency::Urgent), 2);
        assert_eq!(priority(ReminderUrgency::VeryUrgent), 1);
        assert_eq!(priority(ReminderUrgency::PastDue), 1);
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &"x".repeat(80));
        assert_eq!(out, format!("{}\r\n {}\r\n", "x".repeat(75), "x".repeat(5)));
    }

    #[test]
    fn calendar_shape() {
        let now = NaiveDate::from_ymd_opt(2026, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        let text = ics(
            &[Event {
                uid: "u".into(),
                date: NaiveDate::from_ymd_opt(2026, 2, 28).unwrap(),
                text: "2018 Honda Civic #ABC-123 - Oil, filter".into(),
                priority: 2,
            }],
            now,
        );
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//MotoVaultPro//Reminders//EN\r\n\
             CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:u\r\n\
             DTSTAMP:20260102T030405Z\r\nDTSTART;VALUE=DATE:20260228\r\n\
             DTEND;VALUE=DATE:20260301\r\n\
             SUMMARY:2018 Honda Civic #ABC-123 - Oil\\, filter\r\n\
             DESCRIPTION:2018 Honda Civic #ABC-123 - Oil\\, filter\r\nPRIORITY:2\r\n\
             TRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        );
    }
}
