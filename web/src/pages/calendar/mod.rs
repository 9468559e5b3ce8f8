//! `/calendar`: reminders in a month grid, and the ICS feed URL.
//!
//! The grid shows whole Monday–Sunday weeks around the month (days of the neighbouring months
//! dimmed) and asks the server for exactly those days; a phone gets the same month as a list of
//! the days that have reminders (CSS picks one). Urgency is judged by the date only, as the
//! server answers it.

use chrono::{Datelike, Days, Months, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::calendar::{CalendarEvent, CalendarFeed};
use motovault_shared::dto::reminders::ReminderUrgency;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::format;
use crate::forms;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::admin::SecretBox;

const MONTH_NAMES: [&str; 12] = [
    mark("January"),
    mark("February"),
    mark("March"),
    mark("April"),
    mark("May"),
    mark("June"),
    mark("July"),
    mark("August"),
    mark("September"),
    mark("October"),
    mark("November"),
    mark("December"),
];

const WEEKDAYS: [&str; 7] = [
    mark("Mon"),
    mark("Tue"),
    mark("Wed"),
    mark("Thu"),
    mark("Fri"),
    mark("Sat"),
    mark("Sun"),
];

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The first of the month `delta` months from `first` (negative: back).
pub fn add_months(first: NaiveDate, delta: i32) -> NaiveDate {
    let months = Months::new(delta.unsigned_abs());
    let moved = if delta < 0 {
        first.checked_sub_months(months)
    } else {
        first.checked_add_months(months)
    };
    first_of_month(moved.unwrap_or(first))
}

/// Days before the 1st in its week: Monday 0 … Sunday 6.
pub fn leading_days(first: NaiveDate) -> u64 {
    u64::from(first.weekday().num_days_from_monday())
}

/// The Monday–Sunday weeks that show the month of `first`: from the Monday on or before the
/// 1st to the Sunday on or after the last day (4 to 6 weeks).
pub fn month_weeks(first: NaiveDate) -> Vec<[NaiveDate; 7]> {
    let start = first
        .checked_sub_days(Days::new(leading_days(first)))
        .unwrap_or(first);
    let last = add_months(first, 1).pred_opt().unwrap_or(first);
    let cells = leading_days(first) + u64::from(last.day());
    let weeks = cells.div_ceil(7);
    let days: Vec<NaiveDate> = start
        .iter_days()
        .take(usize::try_from(weeks * 7).unwrap_or(0))
        .collect();
    days.chunks_exact(7)
        .filter_map(|w| <[NaiveDate; 7]>::try_from(w).ok())
        .collect()
}

/// "November 2026".
fn month_title(first: NaiveDate) -> String {
    format!(
        "{} {}",
        tr(MONTH_NAMES[first.month0() as usize % 12]),
        first.year()
    )
}

/// `(label, chip class)`.
fn urgency_of(urgency: ReminderUrgency) -> (&'static str, &'static str) {
    match urgency {
        ReminderUrgency::NotUrgent => (trs("Not urgent"), "cal-chip urgency-not-urgent"),
        ReminderUrgency::Urgent => (trs("Urgent"), "cal-chip urgency-urgent"),
        ReminderUrgency::VeryUrgent => (trs("Very urgent"), "cal-chip urgency-very-urgent"),
        ReminderUrgency::PastDue => (trs("Past due"), "cal-chip urgency-past-due"),
    }
}

fn chip(e: &CalendarEvent, testid: &'static str) -> impl IntoView + use<> {
    let (label, class) = urgency_of(e.urgency);
    view! {
        <a class=class href=e.link.clone() title=format!("{} · {label}", e.vehicle_name)
            data-testid=testid data-urgency=e.urgency.as_str()>
            <span class="cal-chip-text">{e.description.clone()}</span>
            <span class="sr-only">{format!(" — {}, {label}", e.vehicle_name)}</span>
        </a>
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let auth = use_auth();
    let today = forms::today();
    let month = RwSignal::new(first_of_month(today));
    // Refetched when anyone changes any vehicle the user can see.
    let live = crate::live::watch(|| None);
    let events = LocalResource::new(move || {
        live.track();
        let weeks = month_weeks(month.get());
        let from = weeks.first().map_or(today, |w| w[0]);
        let to = weeks.last().map_or(today, |w| w[6]);
        api::calendar::events(from, to)
    });

    let body = move || {
        events.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) => {
                let first = month.get_untracked();
                let on = |d: NaiveDate| list.events.iter().filter(move |e| e.due_date == d);
                let head = WEEKDAYS
                    .iter()
                    .map(|w| view! { <div class="cal-head">{tr(w)}</div> })
                    .collect_view();
                let cells = month_weeks(first)
                    .into_iter()
                    .flatten()
                    .map(|d| {
                        let chips = on(d).map(|e| chip(e, "calendar-chip")).collect_view();
                        let outside = d.month() != first.month();
                        view! {
                            <div class="cal-day" class:cal-out=outside class:cal-today=d == today
                                data-testid="calendar-day" data-date=d.to_string()
                                aria-current=(d == today).then_some("date")>
                                <span class="cal-num">{d.day()}</span>
                                {chips}
                            </div>
                        }
                    })
                    .collect_view();
                // The phone's list: this month's days with something due.
                let days: Vec<NaiveDate> = first
                    .iter_days()
                    .take_while(|d| d.month() == first.month())
                    .filter(|d| on(*d).next().is_some())
                    .collect();
                let list_view = if days.is_empty() {
                    view! { <p class="muted cal-empty" data-testid="calendar-empty">{tr("Nothing due this month.")}</p> }.into_any()
                } else {
                    days.into_iter()
                        .map(|d| {
                            let items = on(d)
                                .map(|e| view! {
                                    <li>
                                        {chip(e, "calendar-item")}
                                        <span class="muted cal-vehicle">{e.vehicle_name.clone()}</span>
                                    </li>
                                })
                                .collect_view();
                            view! {
                                <section class="cal-list-day" class:cal-today=d == today data-date=d.to_string()>
                                    <h3>{format::date(d)}</h3>
                                    <ul>{items}</ul>
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                view! {
                    <div class="cal-grid" data-testid="calendar-grid">{head}{cells}</div>
                    <div class="cal-list" data-testid="calendar-list">{list_view}</div>
                }
                .into_any()
            }
        })
    };

    view! {
        <div class="page cal-page">
            <div class="page-header">
                <div>
                    <h1>{tr("Calendar")}</h1>
                    <p class="muted">{tr("Reminders due by date, on the day they are due.")}</p>
                </div>
            </div>
            <section class="card cal-card">
                <div class="cal-nav">
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="calendar-prev"
                        aria-label=tr("Previous month")
                        on:click=move |_| month.update(|m| *m = add_months(*m, -1))>"‹"</button>
                    <h2 data-testid="calendar-title">{move || month_title(month.get())}</h2>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="calendar-next"
                        aria-label=tr("Next month")
                        on:click=move |_| month.update(|m| *m = add_months(*m, 1))>"›"</button>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="calendar-today"
                        on:click=move |_| month.set(first_of_month(today))>{tr("Today")}</button>
                </div>
                {body}
            </section>
            <FeedPanel />
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Confirm {
    Rotate,
    Revoke,
}

/// Create, rotate or revoke the private ICS address; the full URL is shown once.
#[component]
fn FeedPanel() -> impl IntoView {
    let auth = use_auth();
    let status = LocalResource::new(api::calendar::feed);
    let url = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(None::<Confirm>);
    let busy = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let create = move || {
        busy.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::calendar::create_feed(&auth.csrf()).await;
            busy.set(false);
            confirm.set(None);
            match result {
                Ok(created) => {
                    let origin = window().location().origin().unwrap_or_default();
                    url.set(Some(format!("{origin}{}", created.path)));
                    status.refetch();
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };
    let revoke = move || {
        busy.set(true);
        alert.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::calendar::revoke_feed()).await;
            busy.set(false);
            confirm.set(None);
            match result {
                Ok(()) => {
                    url.set(None);
                    notice.set(Some(tr("Feed URL revoked.")));
                    status.refetch();
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };

    let state = move || {
        status.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(CalendarFeed { active: true, created_at })) => {
                let since = created_at.map(|t| format::date(t.date_naive())).unwrap_or_default();
                view! {
                    <p data-testid="calendar-feed-status">{tr_fmt("A feed URL is active since {date}.", &[("date", &since)])}</p>
                    <div class="form-actions">
                        <button type="button" class="btn btn-secondary" data-testid="calendar-feed-rotate"
                            disabled=move || busy.get() on:click=move |_| confirm.set(Some(Confirm::Rotate))>{tr("New URL")}</button>
                        <button type="button" class="btn btn-ghost btn-danger-text" data-testid="calendar-feed-revoke"
                            disabled=move || busy.get() on:click=move |_| confirm.set(Some(Confirm::Revoke))>{tr("Revoke")}</button>
                    </div>
                }
                .into_any()
            }
            Some(Ok(_)) => view! {
                <p class="muted" data-testid="calendar-feed-status">{tr("No feed URL yet.")}</p>
                <div class="form-actions">
                    <button type="button" class="btn btn-primary" data-testid="calendar-feed-create"
                        disabled=move || busy.get() on:click=move |_| create()>{tr("Create feed URL")}</button>
                </div>
            }
            .into_any(),
        })
    };

    view! {
        <section class="card cal-feed" data-testid="calendar-feed">
            <h2>{tr("Calendar feed")}</h2>
            <p class="muted">{tr("Subscribe to your reminders from a calendar app with a private address. It lists every reminder due by date.")}</p>
            <div class="section-messages">
                <Alert message=alert />
                <Notice message=notice />
            </div>
            {move || url.get().map(|u| view! {
                <SecretBox
                    title=tr("Your calendar feed URL")
                    secret=u
                    extra=tr("Anyone with this address can see your reminders: keep it secret. If it leaks, create a new URL.")
                    testid="calendar-feed-url"
                    on_done=move |()| url.set(None)
                />
            })}
            {state}
            {move || confirm.get().map(|c| {
                let (title, body, label) = match c {
                    Confirm::Rotate => (
                        tr("Create a new feed URL?"),
                        tr("Calendars subscribed to the current address stop updating at once."),
                        tr("New URL"),
                    ),
                    Confirm::Revoke => (
                        tr("Revoke the feed URL?"),
                        tr("Calendars subscribed to it stop updating at once."),
                        tr("Revoke"),
                    ),
                };
                view! {
                    <ConfirmDialog title body confirm_label=label busy=busy
                        on_confirm=move |()| match c {
                            Confirm::Rotate => create(),
                            Confirm::Revoke => revoke(),
                        }
                        on_close=move |()| confirm.set(None)
                    />
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_start_on_the_first_and_step_across_years() {
        assert_eq!(first_of_month(d(2026, 11, 26)), d(2026, 11, 1));
        let cases = [
            (d(2026, 1, 1), -1, d(2025, 12, 1)),
            (d(2026, 12, 1), 1, d(2027, 1, 1)),
            (d(2026, 3, 1), -1, d(2026, 2, 1)),
            (d(2026, 11, 1), 0, d(2026, 11, 1)),
            (d(2026, 11, 1), -12, d(2025, 11, 1)),
        ];
        for (first, delta, expected) in cases {
            assert_eq!(add_months(first, delta), expected, "{first} {delta:+}");
        }
    }

    #[test]
    fn weeks_run_monday_to_sunday_around_the_month() {
        // (month, days before the 1st, first cell, last cell, weeks)
        let cases = [
            // Nov 1 2026 is a Sunday: 6 days of October before it, 6 weeks.
            (d(2026, 11, 1), 6, d(2026, 10, 26), d(2026, 12, 6), 6),
            // Feb 1 2021 is a Monday and February has 28 days: exactly 4 weeks.
            (d(2021, 2, 1), 0, d(2021, 2, 1), d(2021, 2, 28), 4),
            // Feb 1 2024 is a Thursday; 29 days in the leap year: 5 weeks.
            (d(2024, 2, 1), 3, d(2024, 1, 29), d(2024, 3, 3), 5),
            // Dec 1 2026 is a Tuesday: the grid runs into January 2027.
            (d(2026, 12, 1), 1, d(2026, 11, 30), d(2027, 1, 3), 5),
        ];
        for (first, leading, start, end, count) in cases {
            assert_eq!(leading_days(first), leading, "{first}");
            let weeks = month_weeks(first);
            assert_eq!(weeks.len(), count, "{first}");
            assert_eq!(weeks[0][0], start, "{first}");
            assert_eq!(weeks[count - 1][6], end, "{first}");
            for week in &weeks {
                assert_eq!(week[0].weekday(), chrono::Weekday::Mon);
                assert_eq!(week[6].weekday(), chrono::Weekday::Sun);
            }
        }
    }

    #[test]
    fn titles_name_the_month() {
        assert_eq!(month_title(d(2026, 11, 1)), "November 2026");
        assert_eq!(month_title(d(2027, 1, 1)), "January 2027");
    }
}
