//! The record tabs of the vehicle page besides Fuel: service, repair and upgrade records,
//! odometer, tax, reminders and notes.
//!
//! One component, [`RecordsTab`], serves them all so the bundle carries one copy of the list
//! machinery: each record type only turns its list into [`Listing`] rows (a sortable table that
//! becomes cards on a phone, with figures above it) and has its own form, built from the shared
//! widgets ([`FormDialog`], [`TextInput`], [`TextArea`], [`Check`], [`Choice`]) and
//! driven by [`FormState`]. A [`FormState::for_record`] form also shows the record type's extra
//! fields and, when editing, the record's attachments; service, repair and upgrade lists offer a
//! bulk edit of the ticked rows.

mod maintenance;
mod notes;
mod odometer;
mod reminders;
mod supply_picker;
mod tax;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use motovault_shared::dto::maintenance::{
    BulkEditMaintenance, MaintenanceKind, MaintenanceRecord, MaintenanceRecordList,
    validate_bulk_edit,
};
use motovault_shared::dto::notes::{Note, NoteInput, NoteList};
use motovault_shared::dto::odometer::{OdometerRecord, OdometerRecordList};
use motovault_shared::dto::reminders::{Reminder, ReminderList};
use motovault_shared::dto::tax::{TaxRecord, TaxRecordList};
use motovault_shared::problem::FieldError;

use crate::api::{self, ApiError};
use crate::app::{Auth, use_auth};
use crate::components::alert::{Alert, Notice};
use crate::components::attachments::Attachments;
use crate::components::csv_import::CsvTools;
use crate::components::dialog::{ConfirmDialog, Dialog};
use crate::components::extra_fields::{self as extra, Extras, send};
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::{EmptyState, Loading};
use crate::components::progress::{Progress, ProgressBar, count_detail};
use crate::forms;
use crate::i18n::{tr, tr_fmt, trs};

/// Which record tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Maintenance(MaintenanceKind),
    Odometer,
    Tax,
    Reminders,
    Notes,
}

impl Tab {
    /// From the route's `:tab` segment.
    pub fn parse(slug: &str) -> Option<Tab> {
        Some(match slug {
            "odometer" => Tab::Odometer,
            "tax" => Tab::Tax,
            "reminders" => Tab::Reminders,
            "notes" => Tab::Notes,
            other => Tab::Maintenance(MaintenanceKind::parse(other)?),
        })
    }

    /// `(add button, empty title, empty text, what a saved record is called)`.
    fn texts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Tab::Maintenance(MaintenanceKind::Service) => (
                trs("Add service record"),
                trs("No service records yet"),
                trs("What was done, when, at what reading and for how much."),
                trs("Service record"),
            ),
            Tab::Maintenance(MaintenanceKind::Repair) => (
                trs("Add repair"),
                trs("No repairs yet"),
                trs("What was done, when, at what reading and for how much."),
                trs("Repair"),
            ),
            Tab::Maintenance(MaintenanceKind::Upgrade) => (
                trs("Add upgrade"),
                trs("No upgrades yet"),
                trs("What was done, when, at what reading and for how much."),
                trs("Upgrade"),
            ),
            Tab::Odometer => (
                trs("Add reading"),
                trs("No odometer readings yet"),
                trs("Each reading shows the distance since the previous one."),
                trs("Reading"),
            ),
            Tab::Tax => (
                trs("Add tax record"),
                trs("No tax records yet"),
                trs("Registration, insurance, fines; recurring ones repeat each period."),
                trs("Tax record"),
            ),
            Tab::Reminders => (
                trs("Add reminder"),
                trs("No reminders yet"),
                trs("What is due by a date, a reading, or whichever comes first."),
                trs("Reminder"),
            ),
            Tab::Notes => (
                trs("Add note"),
                trs("No notes yet"),
                trs("Tyre sizes, part numbers, quirks: anything worth keeping."),
                trs("Note"),
            ),
        }
    }
}

/// A loaded list, whatever the tab.
enum Data {
    Maintenance(MaintenanceRecordList),
    Odometer(OdometerRecordList),
    Tax(TaxRecordList),
    Reminders(ReminderList),
    Notes(NoteList),
}

async fn fetch(tab: Tab, vehicle_id: i64) -> Result<Data, ApiError> {
    Ok(match tab {
        Tab::Maintenance(kind) => {
            Data::Maintenance(api::maintenance::list(vehicle_id, kind).await?)
        }
        Tab::Odometer => Data::Odometer(api::odometer::list(vehicle_id).await?),
        Tab::Tax => Data::Tax(api::tax::list(vehicle_id).await?),
        Tab::Reminders => Data::Reminders(api::reminders::list(vehicle_id).await?),
        Tab::Notes => Data::Notes(api::notes::list(vehicle_id).await?),
    })
}

/// The record the dialog edits (`None`: a new one).
#[derive(Debug, Clone)]
pub enum Editing {
    Maintenance(Option<MaintenanceRecord>),
    Odometer(Option<OdometerRecord>),
    Tax(Option<TaxRecord>),
    Reminder(Option<Reminder>),
    Note(Option<Note>),
}

/// What the rows and forms of a tab need.
#[derive(Clone, Copy)]
pub struct Env {
    pub vehicle_id: i64,
    pub tab: Tab,
    /// `mi`, `km` or `h`.
    pub unit: &'static str,
    pub ctx: TabCtx,
    pub editor: RwSignal<Option<Editing>>,
    /// The rows ticked for a bulk edit (service, repair and upgrade records).
    pub selected: RwSignal<Vec<i64>>,
}

impl Env {
    /// The dialog saved: close it, say so, reload.
    pub fn saved(self, created: bool) {
        self.editor.set(None);
        self.ctx.saved(created, self.tab.texts().3);
    }
}

/// A tab's list as figures and table rows.
pub struct Listing {
    pub stats: Vec<Stat>,
    pub title: &'static str,
    pub columns: Vec<(String, bool)>,
    pub rows: Vec<Row>,
    pub sort_label: &'static str,
}

#[component]
pub fn RecordsTab(vehicle_id: i64, tab: Tab, unit: &'static str) -> impl IntoView {
    let live = crate::live::watch(move || Some(vehicle_id));
    let list = LocalResource::new(move || {
        live.track();
        fetch(tab, vehicle_id)
    });
    let selected = RwSignal::new(Vec::<i64>::new());
    let ctx = TabCtx::new(move || {
        selected.set(Vec::new());
        // The new list is rendered into the same rows in place: give them back their
        // original order first, in case the sort button moved them.
        if let Ok(Some(body)) = document().query_selector(".record-tab tbody") {
            let count = body.child_element_count() as usize;
            reorder(&body, &(0..count).collect::<Vec<_>>());
        }
        list.refetch()
    });
    let env = Env {
        vehicle_id,
        tab,
        unit,
        ctx,
        editor: RwSignal::new(None),
        selected,
    };
    let (add_label, empty_title, empty_text, _) = tab.texts();
    let on_add = Callback::new(move |()| {
        ctx.notice.set(None);
        env.editor.set(Some(match tab {
            Tab::Maintenance(_) => Editing::Maintenance(None),
            Tab::Odometer => Editing::Odometer(None),
            Tab::Tax => Editing::Tax(None),
            Tab::Reminders => Editing::Reminder(None),
            Tab::Notes => Editing::Note(None),
        }))
    });
    // A deep link (`?add=1`, `?record=ID`, e.g. from a sticker's QR code) acts once the list is in.
    let link = crate::pages::stickers::DeepLink::read();
    if link.is_some() {
        link.highlight();
        let pending = StoredValue::new(true);
        Effect::new(move |_| {
            let Some(found) = list.with(|state| match state {
                Some(Ok(data)) => Some(link.record.and_then(|id| linked(data, id))),
                _ => None,
            }) else {
                return;
            };
            if pending.get_value() {
                pending.set_value(false);
                match found {
                    _ if link.add => on_add.run(()),
                    Some(editing) => run(env, Op::Edit(editing)),
                    None => {}
                }
            }
        });
    }

    let content = move || {
        // Read in place: the lists are not cloned.
        let listing = list.with(|state| {
            let data = match state {
                None => return Err(view! { <Loading /> }.into_any()),
                Some(Err(err)) => {
                    let message = Signal::stored(Some(ctx.auth.explain(err)));
                    return Err(view! { <Alert message /> }.into_any());
                }
                Some(Ok(data)) => data,
            };
            Ok(match data {
                Data::Maintenance(list) => maintenance::listing(list, env),
                Data::Odometer(list) => odometer::listing(list, env),
                Data::Tax(list) => tax::listing(list),
                Data::Reminders(list) => reminders::listing(list, env),
                Data::Notes(list) => notes::listing(list),
            })
        });
        let listing = match listing {
            Ok(listing) => listing,
            Err(view) => return view,
        };
        if listing.rows.is_empty() {
            return view! {
                <EmptyState title=empty_title text=empty_text testid="records-empty">
                    <button type="button" class="btn btn-primary" on:click=move |_| on_add.run(())>
                        <PlusIcon />
                        {tr("Add the first one")}
                    </button>
                </EmptyState>
            }
            .into_any();
        }
        let stats = (!listing.stats.is_empty()).then(|| view! { <Stats stats=listing.stats /> });
        view! {
            {stats}
            <RecordTable env title=listing.title columns=listing.columns rows=listing.rows sort_label=listing.sort_label />
        }
        .into_any()
    };

    view! {
        <div class="fuel-tab record-tab">
            <div class="section-header">
                <div class="section-messages">
                    <Alert message=ctx.alert />
                    <Notice message=ctx.notice />
                </div>
                <div class="section-actions">
                    {match tab {
                        Tab::Maintenance(MaintenanceKind::Service) => Some("service-records"),
                        Tab::Maintenance(MaintenanceKind::Repair) => Some("repair-records"),
                        Tab::Maintenance(MaintenanceKind::Upgrade) => Some("upgrade-records"),
                        Tab::Odometer => Some("odometer-records"),
                        Tab::Tax => Some("tax-records"),
                        Tab::Reminders | Tab::Notes => None,
                    }
                    .map(|record| view! { <CsvTools vehicle_id record on_imported=ctx.reload /> })}
                    {(tab == Tab::Odometer).then(|| view! {
                        <button
                            type="button"
                            class="btn btn-secondary"
                            data-testid="recalculate"
                            on:click=move |_| run(env, Op::Recalculate)
                        >
                            {tr("Recalculate")}
                        </button>
                    })}
                    {stickers_tab(tab).map(|slug| view! {
                        <a class="btn btn-secondary" data-testid="stickers-link" href=format!("/vehicles/{vehicle_id}/stickers?tab={slug}")>
                            {crate::i18n::tr("Stickers")}
                        </a>
                    })}
                    <button type="button" class="btn btn-primary" data-testid="add-record" on:click=move |_| on_add.run(())>
                        <PlusIcon />
                        {add_label}
                    </button>
                </div>
            </div>
            {matches!(tab, Tab::Maintenance(_)).then(|| view! { <BulkBar env /> })}
            {content}
            {move || env.editor.get().map(|editing| {
                // Each record type's form, as data: one dialog view for all of them.
                let spec = untrack(|| match editing {
                    Editing::Maintenance(record) => maintenance::form(env, record),
                    Editing::Odometer(record) => odometer::form(env, record),
                    Editing::Tax(record) => tax::form(env, record),
                    Editing::Reminder(record) => reminders::form(env, record),
                    Editing::Note(record) => notes::form(env, record),
                });
                view! { <FormDialog spec on_close=move |()| env.editor.set(None) /> }
            })}
            {move || {
                ctx.confirm.get().map(|c| {
                    let yes = c.yes;
                    view! {
                        <ConfirmDialog
                            title=c.title
                            body=c.body
                            confirm_label=trs("Delete")
                            busy=ctx.working
                            on_confirm=move |()| run(env, yes.clone())
                            on_close=move |()| ctx.confirm.set(None)
                        />
                    }
                })
            }}
        </div>
    }
}

/// The record of a loaded list a deep link names, as the dialog that opens it.
fn linked(data: &Data, id: i64) -> Option<Editing> {
    Some(match data {
        Data::Maintenance(l) => {
            Editing::Maintenance(Some(l.records.iter().find(|r| r.id == id)?.clone()))
        }
        Data::Odometer(l) => {
            Editing::Odometer(Some(l.records.iter().find(|r| r.id == id)?.clone()))
        }
        Data::Tax(l) => Editing::Tax(Some(l.records.iter().find(|r| r.id == id)?.clone())),
        Data::Reminders(l) => {
            Editing::Reminder(Some(l.records.iter().find(|r| r.id == id)?.clone()))
        }
        Data::Notes(l) => Editing::Note(Some(l.records.iter().find(|r| r.id == id)?.clone())),
    })
}

/// The stickers page's tab for this one, if its records have stickers.
fn stickers_tab(tab: Tab) -> Option<&'static str> {
    match tab {
        Tab::Maintenance(kind) => Some(kind.as_str()),
        Tab::Tax => Some("tax"),
        _ => None,
    }
}

// ---------------------------------------------------------------- tab state

/// What a row button (or the confirm dialog, or Recalculate) does: plain data, run by [`run`],
/// so the bundle holds one handler instead of one closure per button.
#[derive(Debug, Clone)]
pub enum Op {
    Edit(Editing),
    MoveTo(i64, MaintenanceKind),
    /// Asks first: the record's id and the question's text.
    AskDelete(i64, String),
    Delete(i64),
    Done(i64),
    /// The note with its pin flipped.
    Pin(i64, NoteInput),
    Recalculate,
}

/// The question asked before a delete.
#[derive(Clone)]
pub struct Confirm {
    pub title: String,
    pub body: String,
    pub yes: Op,
}

/// Runs a row action.
pub fn run(env: Env, op: Op) {
    let ctx = env.ctx;
    match op {
        Op::Edit(editing) => {
            ctx.notice.set(None);
            env.editor.set(Some(editing));
        }
        Op::AskDelete(id, body) => {
            ctx.notice.set(None);
            ctx.confirm.set(Some(Confirm {
                title: tr_fmt(
                    "Delete {what}?",
                    &[("what", &crate::i18n::in_sentence(env.tab.texts().3))],
                ),
                body,
                yes: Op::Delete(id),
            }));
        }
        op => {
            let done = match &op {
                Op::MoveTo(_, MaintenanceKind::Service) => trs("Moved to Service."),
                Op::MoveTo(_, MaintenanceKind::Repair) => trs("Moved to Repair."),
                Op::MoveTo(_, MaintenanceKind::Upgrade) => trs("Moved to Upgrade."),
                Op::Done(_) => trs("Reminder marked done."),
                Op::Pin(_, note) if note.is_pinned => trs("Note pinned."),
                Op::Pin(..) => trs("Note unpinned."),
                Op::Recalculate => trs("Distances recalculated."),
                _ => trs("Deleted."),
            };
            if let Some(write) = write_for(env.vehicle_id, env.tab, op) {
                ctx.act(write, done);
            }
        }
    }
}

/// The request an action sends.
fn write_for(vehicle_id: i64, tab: Tab, op: Op) -> Option<api::Write> {
    Some(match (op, tab) {
        (Op::Delete(id), Tab::Maintenance(kind)) => api::maintenance::delete(vehicle_id, kind, id),
        (Op::Delete(id), Tab::Odometer) => api::odometer::delete(vehicle_id, id),
        (Op::Delete(id), Tab::Tax) => api::tax::delete(vehicle_id, id),
        (Op::Delete(id), Tab::Reminders) => api::reminders::delete(vehicle_id, id),
        (Op::Delete(id), Tab::Notes) => api::notes::delete(vehicle_id, id),
        (Op::MoveTo(id, to), Tab::Maintenance(kind)) => {
            api::maintenance::move_to(vehicle_id, kind, id, to)
        }
        (Op::Done(id), _) => api::reminders::done(vehicle_id, id),
        (Op::Pin(id, note), _) => api::notes::update(vehicle_id, id, &note),
        (Op::Recalculate, _) => api::odometer::recalculate(vehicle_id),
        _ => return None,
    })
}

/// What every tab shares: its messages, the pending confirmation and how to reload the list.
#[derive(Clone, Copy)]
pub struct TabCtx {
    pub auth: Auth,
    pub alert: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<String>>,
    pub confirm: RwSignal<Option<Confirm>>,
    pub working: RwSignal<bool>,
    pub reload: Callback<()>,
}

impl TabCtx {
    pub fn new(reload: impl Fn() + Send + Sync + 'static) -> Self {
        TabCtx {
            auth: use_auth(),
            alert: RwSignal::new(None),
            notice: RwSignal::new(None),
            confirm: RwSignal::new(None),
            working: RwSignal::new(false),
            reload: Callback::new(move |()| reload()),
        }
    }

    /// Runs a write (delete, move, mark done…), then reloads and says `done`, or shows the error.
    pub fn act(self, write: api::Write, done: &'static str) {
        if self.working.get_untracked() {
            return;
        }
        self.alert.set(None);
        self.notice.set(None);
        self.working.set(true);
        let csrf = self.auth.csrf();
        spawn_local(async move {
            let result = api::write(&csrf, write).await;
            self.working.set(false);
            self.confirm.set(None);
            match result {
                Ok(()) => {
                    self.notice.set(Some(done.to_owned()));
                    self.reload.run(());
                }
                Err(err) => self.alert.set(Some(self.auth.explain(&err))),
            }
        });
    }

    /// The dialog was saved: say so, reload.
    pub fn saved(self, created: bool, what: &'static str) {
        self.notice.set(Some(format!(
            "{what} {}.",
            if created { "added" } else { "updated" }
        )));
        self.reload.run(());
    }
}

// ---------------------------------------------------------------- figures

/// One figure above the list.
pub struct Stat {
    pub label: &'static str,
    pub value: String,
    pub unit: String,
    pub testid: &'static str,
}

pub fn stat(label: &'static str, value: String, unit: &str, testid: &'static str) -> Stat {
    Stat {
        label,
        value,
        unit: unit.to_owned(),
        testid,
    }
}

/// The figures above a list; the first one is highlighted.
#[component]
pub fn Stats(stats: Vec<Stat>) -> impl IntoView {
    let items = stats
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let unit = (!s.unit.is_empty()).then(|| view! { " " <span class="stat-unit">{s.unit}</span> });
            view! {
                <div class="stat" class:stat-highlight=i == 0>
                    <span class="stat-label">{s.label}</span>
                    <span class="stat-value"><span data-testid=s.testid>{s.value}</span>{unit}</span>
                </div>
            }
        })
        .collect_view();
    view! { <div class="stats stats-auto" data-testid="record-summary">{items}</div> }
}

// ---------------------------------------------------------------- the table

/// A row button.
#[derive(Clone)]
pub struct Action {
    pub label: &'static str,
    pub testid: &'static str,
    pub danger: bool,
    pub op: Op,
}

pub fn action(label: &'static str, testid: &'static str, op: Op) -> Action {
    Action {
        label,
        testid,
        danger: false,
        op,
    }
}

/// The red "Delete" button, asking `question` first.
pub fn delete(id: i64, question: String) -> Action {
    Action {
        label: trs("Delete"),
        testid: "record-delete",
        danger: true,
        op: Op::AskDelete(id, question),
    }
}

/// One figure of a row; its column header is the label of the card on a phone.
#[derive(Clone)]
pub struct Cell {
    pub value: String,
    pub unit: String,
    pub testid: &'static str,
    pub num: bool,
}

pub fn cell(value: String, testid: &'static str) -> Cell {
    Cell {
        value,
        unit: String::new(),
        testid,
        num: false,
    }
}

pub fn figure(value: String, unit: &str, testid: &'static str) -> Cell {
    Cell {
        value,
        unit: unit.to_owned(),
        testid,
        num: true,
    }
}

/// A badge before the tags: `(classes, text, testid)`.
pub type Flag = (&'static str, String, &'static str);

#[derive(Clone)]
pub struct Row {
    pub id: i64,
    /// Rows sort by `group` first (pinned notes stay on top), then by `key` (a day number).
    pub group: u8,
    pub key: i64,
    /// The first column: the date, or a title.
    pub title: String,
    pub title_is_date: bool,
    pub cells: Vec<Cell>,
    pub flags: Vec<Flag>,
    pub tags: Vec<String>,
    pub note: String,
    /// The note is markdown (a note's body): rendered, never shown as typed HTML.
    pub markdown: bool,
    pub actions: Vec<Action>,
    /// A service, repair or upgrade record offers "Move to…" the other kinds.
    pub move_from: Option<MaintenanceKind>,
}

/// A day number to sort by.
pub fn day(date: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&date))
}

/// The row indices in the order the sort button chose: by `group` first (pinned notes stay on
/// top), then by `key` either way. A stable insertion sort: lists are short, and it is far
/// smaller in the bundle than the standard library's sort.
fn sorted(keys: &[(u8, i64)], ascending: bool) -> Vec<usize> {
    let before = |a: (u8, i64), b: (u8, i64)| {
        let by_key = if ascending { a.1 < b.1 } else { a.1 > b.1 };
        a.0 < b.0 || (a.0 == b.0 && by_key)
    };
    let mut order: Vec<usize> = (0..keys.len()).collect();
    for i in 1..order.len() {
        let mut j = i;
        while j > 0 && before(keys[order[j]], keys[order[j - 1]]) {
            order.swap(j, j - 1);
            j -= 1;
        }
    }
    order
}

/// Puts the rendered rows of `body` in `order` (rows carry their index in `data-index`). The
/// rows are moved, not re-rendered, so the table has no reactive row list to compile.
fn reorder(body: &web_sys::Element, order: &[usize]) {
    let mut rows: Vec<Option<web_sys::Element>> = vec![None; order.len()];
    let mut child = body.first_element_child();
    // Rows go back where they were, before whatever follows them (the renderer's marker).
    let mut anchor = None;
    while let Some(row) = child {
        child = row.next_element_sibling();
        anchor = row.next_sibling();
        let index = row
            .get_attribute("data-index")
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(slot) = index.and_then(|i| rows.get_mut(i)) {
            *slot = Some(row);
        }
    }
    for row in order
        .iter()
        .filter_map(|&i| rows.get(i).and_then(Option::as_ref))
    {
        let _ = body.insert_before(row, anchor.as_ref());
    }
}

/// A column of text.
pub fn col(label: impl Into<String>) -> (String, bool) {
    (label.into(), false)
}

/// A column of figures (right-aligned).
pub fn num(label: impl Into<String>) -> (String, bool) {
    (label.into(), true)
}

/// A titled card with a sort button and the table of `rows` (stacked cards on a phone).
/// `columns` names the first column, then one per cell.
#[component]
pub fn RecordTable(
    env: Env,
    title: &'static str,
    columns: Vec<(String, bool)>,
    rows: Vec<Row>,
    /// What the sort button sorts by ("Date", "Due date").
    sort_label: &'static str,
) -> impl IntoView {
    let order = RwSignal::new(None::<bool>);
    let count = rows.len();
    // Service, repair and upgrade rows have a tick box for the bulk edit.
    let select_head = matches!(env.tab, Tab::Maintenance(_)).then(
        || view! { <th scope="col" class="cell-select"><span class="sr-only">{tr("Select")}</span></th> },
    );
    let labels: Vec<String> = columns.iter().map(|(label, _)| label.clone()).collect();
    let head = columns
        .into_iter()
        .map(|(label, num)| view! { <th scope="col" class:num=num>{label}</th> })
        .collect_view();
    let keys: Vec<(u8, i64)> = rows.iter().map(|r| (r.group, r.key)).collect();
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(index, row)| render_row(env, index, row, &labels))
        .collect_view();
    let toggle = move |ev: leptos::ev::MouseEvent| {
        let ascending = !matches!(order.get_untracked(), Some(true));
        order.set(Some(ascending));
        // The table of this card (found from the button, so no node reference is needed).
        let body = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|button| button.closest(".table-card").ok().flatten())
            .and_then(|card| card.query_selector("tbody").ok().flatten());
        if let Some(body) = body {
            reorder(&body, &sorted(&keys, ascending));
        }
    };
    let arrow = move || match order.get() {
        None => "⇅",
        Some(true) => "↑",
        Some(false) => "↓",
    };
    view! {
        <section class="card table-card" data-filter-scope>
            <div class="card-header">
                <h2>{title}</h2>
                <div class="card-tools">
                    <FilterBox />
                    <span class="muted" data-testid="record-count">
                        {if count == 1 { tr("1 record") } else { tr_fmt("{n} records", &[("n", &count.to_string())]) }}
                    </span>
                    <button type="button" class="btn btn-ghost btn-sm" data-testid="sort-toggle" on:click=toggle>
                        {sort_label}" "{arrow}
                    </button>
                </div>
            </div>
            <div class="table-wrap">
                <table class="records generic" data-testid="record-table">
                    <thead>
                        <tr>
                            {select_head}
                            {head}
                            <th scope="col">{tr("Notes")}</th>
                            <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}

fn render_row(env: Env, index: usize, row: Row, labels: &[String]) -> impl IntoView + use<> {
    let cells = row
        .cells
        .into_iter()
        .zip(labels.iter().skip(1))
        .map(|(c, label)| {
            let label = label.split(" (").next().unwrap_or(label).to_owned();
            let unit = (!c.unit.is_empty()).then(|| view! { <span class="cell-unit">{c.unit}</span> });
            view! {
                <td data-label=label class:num=c.num>
                    <span class="cell-value"><span data-testid=c.testid>{c.value}</span>{unit}</span>
                </td>
            }
        })
        .collect_view();
    let flags = row
        .flags
        .into_iter()
        .map(|(class, text, testid)| view! { <span class=class data-testid=testid>{text}</span> })
        .collect_view();
    let tags = tag_list(row.tags);
    let note = (!row.note.is_empty()).then(|| {
        if row.markdown {
            // `render` escapes every character of the note; only its own tags come out.
            let html = crate::markdown::render(&row.note);
            view! { <div class="note markdown" data-testid="record-note" inner_html=html></div> }
                .into_any()
        } else {
            view! { <span class="note" data-testid="record-note">{row.note}</span> }.into_any()
        }
    });
    let many = row.actions.len() + usize::from(row.move_from.is_some()) > 2;
    let id = row.id;
    let selected = env.selected;
    let select = row.move_from.map(|_| {
        view! {
            <td class="cell-select">
                <input
                    type="checkbox"
                    aria-label=trs("Select")
                    data-testid="record-select"
                    // Controlled: rows re-rendered in place after a reload must not stay ticked.
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |_| selected.update(|s| {
                        if let Some(i) = s.iter().position(|x| *x == id) {
                            s.remove(i);
                        } else {
                            s.push(id);
                        }
                    })
                />
            </td>
        }
    });
    let mover = row.move_from.map(|from| {
        let targets = MaintenanceKind::ALL
            .into_iter()
            .filter(|k| *k != from)
            .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
            .collect_view();
        let change = move |ev| {
            if let Some(to) = MaintenanceKind::parse(&event_target_value(&ev)) {
                run(env, Op::MoveTo(id, to));
            }
        };
        view! {
            <select class="btn btn-ghost btn-sm move-select" data-testid="record-move" aria-label=trs("Move to another record type") on:change=change>
                <option value="" selected=true>{tr("Move to…")}</option>
                {targets}
            </select>
        }
    });
    let actions = row
        .actions
        .into_iter()
        .map(|a| {
            let class = if a.danger {
                "btn btn-ghost btn-sm btn-danger-text"
            } else {
                "btn btn-ghost btn-sm"
            };
            let op = a.op;
            view! { <button type="button" class=class data-testid=a.testid on:click=move |_| run(env, op.clone())>{a.label}</button> }
        })
        .collect_view();
    let title_class = if row.title_is_date {
        "cell-date"
    } else {
        "cell-date cell-title"
    };
    view! {
        <tr data-testid="record-row" data-record-id=row.id data-index=index class:many-actions=many>
            {select}
            <td class=title_class data-testid="record-title">{row.title}</td>
            {cells}
            <td class="cell-notes">
                <div class="flags">{flags}{tags}</div>
                {note}
            </td>
            <td class="cell-actions">{mover}{actions}</td>
        </tr>
    }
}

pub fn tag_list(tags: Vec<String>) -> impl IntoView {
    tags.into_iter()
        .map(|t| view! { <span class="tag" data-testid="record-tag">{t}</span> })
        .collect_view()
}

// ---------------------------------------------------------------- bulk edit

/// Above a service, repair or upgrade list while rows are ticked: set tags or notes on all of
/// them (`---` clears, blank keeps), or move them all to another record type.
#[component]
fn BulkBar(env: Env) -> impl IntoView {
    let Tab::Maintenance(kind) = env.tab else {
        unreachable!("bulk edits belong to a maintenance tab")
    };
    let (ctx, selected) = (env.ctx, env.selected);
    let tags = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    // While a bulk change runs: what it does, and how many records are done when counted.
    let step = RwSignal::new(None::<(String, Progress)>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if ctx.working.get_untracked() {
            return;
        }
        let input = BulkEditMaintenance {
            ids: selected.get_untracked(),
            tags: forms::non_blank(&tags.get_untracked()),
            notes: forms::non_blank(&notes.get_untracked()),
        };
        if input.tags.is_none() && input.notes.is_none() {
            ctx.alert
                .set(Some(tr("Enter tags or notes to set (--- clears).")));
            return;
        }
        if let Some(e) = validate_bulk_edit(&input).first() {
            ctx.alert.set(Some(format!("{} {}.", e.field, e.message)));
            return;
        }
        let count = input.ids.len();
        let write = api::maintenance::bulk_edit(env.vehicle_id, kind, &input);
        let csrf = ctx.auth.csrf();
        ctx.alert.set(None);
        ctx.notice.set(None);
        ctx.working.set(true);
        let n = count.to_string();
        step.set(Some((
            crate::i18n::tr_fmt("Updating {n} records", &[("n", &n)]),
            Progress::new(0, None),
        )));
        spawn_local(async move {
            let result = api::write(&csrf, write).await;
            ctx.working.set(false);
            step.set(None);
            match result {
                Ok(()) => {
                    // Kept until it worked: a failed edit can be sent again as it was.
                    tags.set(String::new());
                    notes.set(String::new());
                    ctx.notice.set(Some(if count == 1 {
                        crate::i18n::tr("1 record updated.")
                    } else {
                        crate::i18n::tr_fmt("{n} records updated.", &[("n", &n)])
                    }));
                    ctx.reload.run(());
                }
                Err(err) => ctx.alert.set(Some(ctx.auth.explain(&err))),
            }
        });
    };
    let move_all = move |ev: leptos::ev::Event| {
        let Some(to) = MaintenanceKind::parse(&event_target_value(&ev)) else {
            return;
        };
        if ctx.working.get_untracked() {
            return;
        }
        // The API moves one record at a time: in order, stopping at the first failure.
        let ids = selected.get_untracked();
        let csrf = ctx.auth.csrf();
        ctx.alert.set(None);
        ctx.notice.set(None);
        ctx.working.set(true);
        let total = Some(ids.len() as u64);
        let label = crate::i18n::tr_fmt("Moving to {type}", &[("type", trs(to.label()))]);
        step.set(Some((label.clone(), Progress::new(0, total))));
        spawn_local(async move {
            let mut moved = 0;
            for id in &ids {
                step.set(Some((label.clone(), Progress::new(moved, total))));
                let write = api::maintenance::move_to(env.vehicle_id, kind, *id, to);
                if let Err(err) = api::write(&csrf, write).await {
                    ctx.alert.set(Some(ctx.auth.explain(&err)));
                    break;
                }
                moved += 1;
            }
            ctx.working.set(false);
            step.set(None);
            if moved > 0 {
                ctx.notice.set(Some(tr_fmt(
                    "Moved {n} {records} to {type}.",
                    &[
                        ("n", &moved.to_string()),
                        (
                            "records",
                            &if moved == 1 {
                                tr("record")
                            } else {
                                tr("records")
                            },
                        ),
                        ("type", trs(to.label())),
                    ],
                )));
            }
            ctx.reload.run(());
        });
    };
    // Built in a closure: a view value cannot be cloned into the `Show` when components are
    // type-erased (the wasm build's `erase_components`).
    let targets = move || {
        MaintenanceKind::ALL
            .into_iter()
            .filter(|k| *k != kind)
            .map(|k| view! { <option value=k.as_str()>{k.label()}</option> })
            .collect_view()
    };
    view! {
        <Show when=move || selected.with(|s| !s.is_empty())>
            <form class="card bulk-bar" data-testid="bulk-bar" on:submit=apply>
                <strong class="bulk-count" data-testid="bulk-count">
                    {move || tr_fmt("{n} selected", &[("n", &selected.with(Vec::len).to_string())])}
                </strong>
                <input type="text" aria-label=trs("Tags for the selected records") placeholder=trs("Tags (--- clears)") data-testid="bulk-tags-input" bind:value=tags />
                <input type="text" aria-label=trs("Notes for the selected records") placeholder=trs("Notes (--- clears)") data-testid="bulk-notes-input" bind:value=notes />
                <button type="submit" class="btn btn-primary btn-sm" data-testid="bulk-apply" disabled=move || ctx.working.get()>
                    {move || if step.with(Option::is_some) { crate::i18n::tr("Applying…") } else { crate::i18n::tr("Apply") }}
                </button>
                <select class="btn btn-ghost btn-sm" data-testid="bulk-move" aria-label=trs("Move the selected records") prop:value="" disabled=move || ctx.working.get() on:change=move_all>
                    <option value="">{tr("Move to…")}</option>
                    {targets}
                </select>
                <a class="btn btn-ghost btn-sm" data-testid="bulk-stickers" href=move || {
                    let ids: Vec<String> = selected.with(|s| s.iter().map(i64::to_string).collect());
                    format!("/vehicles/{}/stickers?tab={}&ids={}", env.vehicle_id, kind.as_str(), ids.join(","))
                }>
                    {crate::i18n::tr("Print stickers")}
                </a>
                {move || step.get().map(|(label, progress)| {
                    let detail = if progress.total.is_some() { count_detail(progress) } else { String::new() };
                    view! { <ProgressBar label progress=Some(progress) detail testid="bulk-progress" /> }
                })}
            </form>
        </Show>
    }
}

// ---------------------------------------------------------------- forms

/// A dialog form's state: field errors (from the shared rules or a 422), an alert, busy.
#[derive(Clone, Copy)]
pub struct FormState {
    auth: Auth,
    pub errors: RwSignal<Vec<FieldError>>,
    pub alert: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
    /// The record type's extra fields (and with them, attachments), when it has any.
    pub extras: Option<Extras>,
}

impl FormState {
    pub fn new() -> Self {
        FormState {
            auth: use_auth(),
            errors: RwSignal::new(Vec::new()),
            alert: RwSignal::new(None),
            busy: RwSignal::new(false),
            extras: None,
        }
    }

    /// A form of a record with extra fields and attachments: `record_type` names its template
    /// (`service`, `note`…), `collection` its path segment (`service-records`, `notes`…).
    pub fn for_record(
        vehicle_id: i64,
        record_type: &'static str,
        collection: &'static str,
        record_id: Option<i64>,
    ) -> Self {
        FormState {
            extras: Some(Extras::load(vehicle_id, record_type, collection, record_id)),
            ..FormState::new()
        }
    }

    /// The record a save replaces: the one edited, or the one an earlier attempt of this
    /// dialog created before its extra fields were refused.
    pub fn target(&self, id: Option<i64>) -> Option<i64> {
        self.extras.and_then(|e| e.record_id.get_untracked()).or(id)
    }

    /// Shows the problems of `built`, or sends it and says the record was added or updated
    /// (showing the server's field errors otherwise).
    pub fn save(self, built: Result<api::Write, Vec<FieldError>>, env: Env, created: bool) {
        self.send(built, Callback::new(move |()| env.saved(created)));
    }

    /// Shows the problems of `built` and of the extra fields, or sends the record, then its
    /// extra-field values, and runs `on_saved` on success.
    pub fn send(self, built: Result<api::Write, Vec<FieldError>>, on_saved: Callback<()>) {
        if self.busy.get_untracked() {
            return;
        }
        self.alert.set(None);
        let extra_problems = self.extras.map(|e| e.check()).unwrap_or_default();
        let write = match built {
            Ok(write) if extra_problems.is_empty() => write,
            Ok(_) => {
                self.errors.set(extra_problems);
                focus_first_invalid("[data-testid=record-form]");
                return;
            }
            Err(mut problems) => {
                problems.extend(extra_problems);
                self.errors.set(problems);
                focus_first_invalid("[data-testid=record-form]");
                return;
            }
        };
        self.errors.set(Vec::new());
        self.busy.set(true);
        let auth = self.auth;
        let csrf = auth.csrf();
        let extras = self.extras;
        spawn_local(async move {
            let result = send(&csrf, write, extras).await;
            self.busy.set(false);
            match result {
                Ok(()) => on_saved.run(()),
                Err(err) => {
                    self.errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=record-form]");
                    self.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    }
}

/// Returns the input when the rules found nothing.
pub fn checked<I>(
    input: I,
    parsed: Vec<FieldError>,
    rules: Vec<FieldError>,
) -> Result<I, Vec<FieldError>> {
    let errors = crate::forms::merge(parsed, rules);
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// A record form as data: its fields are rendered by [`FormDialog`].
pub struct FormSpec {
    pub title: String,
    pub save_label: &'static str,
    pub form: FormState,
    pub submit: Callback<()>,
    pub fields: Vec<AnyView>,
}

#[component]
pub fn FormDialog(spec: FormSpec, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let FormSpec {
        title,
        save_label,
        form,
        submit,
        fields,
    } = spec;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.run(());
    };
    let extra_inputs = form.extras.map(|extras| extra_inputs(extras, form));
    // Files belong to an existing record; their own forms cannot nest in the record's form.
    let attachments = form.extras.and_then(|e| {
        e.opened_with.map(|record_id| {
            view! { <Attachments vehicle_id=e.vehicle_id record=e.collection record_id /> }
        })
    });
    view! {
        <Dialog title on_close testid="record-dialog">
            <form on:submit=on_submit novalidate data-testid="record-form">
                <Alert message=form.alert />
                <div class="form-grid">{fields}{extra_inputs}</div>
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="record-save" disabled=move || form.busy.get()>
                        {move || if form.busy.get() { trs("Saving…") } else { save_label }}
                    </button>
                </div>
            </form>
            {attachments}
        </Dialog>
    }
}

/// One [`TextInput`] per extra field of the record type, once its template has loaded.
pub fn extra_inputs(extras: Extras, form: FormState) -> impl IntoView {
    move || {
        extras.inputs.with(|inputs| {
            inputs
                .iter()
                .enumerate()
                .map(|(i, input)| {
                    let (kind, mode) = extra::kind(input.field.field_type);
                    let label = extra::label(&input.field);
                    let field = extra::field_name(i);
                    view! { <TextInput label field form value=input.value kind mode /> }
                })
                .collect_view()
        })
    }
}

/// A labelled text input bound to `value`; its test id is `{field}-input`.
#[component]
pub fn TextInput(
    #[prop(into)] label: String,
    field: &'static str,
    form: FormState,
    value: RwSignal<String>,
    /// `text`, `date` or `number`.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] mode: &'static str,
    #[prop(optional, into)] hint: String,
    #[prop(optional)] wide: bool,
    /// Shown only while this holds.
    #[prop(optional)]
    show: Option<Signal<bool>>,
) -> impl IntoView {
    view! {
        <div class="slot" class:hidden=move || show.is_some_and(|s| !s.get())>
            <Field label id=field field errors=form.errors hint wide>
                <input id=field data-testid=format!("{field}-input") type=kind inputmode=(!mode.is_empty()).then_some(mode) bind:value=value />
            </Field>
        </div>
    }
}

/// A labelled textarea bound to `value`.
#[component]
pub fn TextArea(
    #[prop(into)] label: String,
    field: &'static str,
    form: FormState,
    value: RwSignal<String>,
    #[prop(default = 2)] rows: u32,
) -> impl IntoView {
    view! {
        <Field label id=field field errors=form.errors wide=true>
            <textarea
                id=field
                data-testid=format!("{field}-input")
                rows=rows
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </Field>
    }
}

/// Notes and tags, the last two fields of most forms.
pub fn notes_and_tags(
    form: FormState,
    notes: RwSignal<String>,
    tags: RwSignal<String>,
) -> [AnyView; 2] {
    [
        view! { <TextArea label=trs("Notes") field="notes" form value=notes /> }.into_any(),
        view! { <TextInput label=trs("Tags") field="tags" form value=tags hint=trs("Space-separated words") wide=true /> }.into_any(),
    ]
}

/// A checkbox with a title and an explanation.
#[component]
pub fn Check(
    label: &'static str,
    #[prop(optional)] text: &'static str,
    value: RwSignal<bool>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="check field-wide">
            <input type="checkbox" data-testid=testid bind:checked=value />
            <span>
                <strong>{label}</strong>
                {(!text.is_empty()).then(|| view! { <small>{text}</small> })}
            </span>
        </label>
    }
}

/// A labelled `<select>` of `(value, label)` options bound to `value`.
#[component]
pub fn Choice(
    #[prop(into)] label: String,
    field: &'static str,
    form: FormState,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    /// Shown only while this holds.
    #[prop(optional)]
    show: Option<Signal<bool>>,
) -> impl IntoView {
    let options = options
        .into_iter()
        .map(|(v, text)| {
            let selected = v == value.get_untracked();
            view! { <option value=v selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="slot" class:hidden=move || show.is_some_and(|s| !s.get())>
            <Field label id=field field errors=form.errors>
                <select id=field data-testid=format!("{field}-input") on:change=move |ev| value.set(event_target_value(&ev))>
                    {options}
                </select>
            </Field>
        </div>
    }
}

/// `Every 12 months`, `Every 30 days`, `Every 5,000 mi`.
pub fn every(count: i64, unit: &str) -> String {
    match (count, unit) {
        (1, "months") => tr("Every month"),
        (1, "days") => tr("Every day"),
        _ => {
            let unit = match unit {
                "months" => tr("months"),
                "days" => tr("days"),
                other => other.to_owned(),
            };
            tr_fmt(
                "Every {n} {unit}",
                &[("n", &crate::format::grouped(count)), ("unit", &unit)],
            )
        }
    }
}

/// The month choices of a recurring interval; 0 ("Other…", a custom interval) when `other`.
pub fn month_options(other: bool) -> Vec<(String, String)> {
    motovault_shared::dto::reminders::MONTH_INTERVALS
        .iter()
        .filter(|&&m| m != 0 || other)
        .map(|&m| {
            let text = if m == 0 {
                tr("Other…")
            } else {
                every(i64::from(m), "months")
            };
            (m.to_string(), text)
        })
        .collect()
}

/// Months or days, for a custom interval.
pub fn unit_options() -> Vec<(String, String)> {
    vec![
        ("months".to_owned(), tr("Months")),
        ("days".to_owned(), tr("Days")),
    ]
}

/// A whole number that may be left empty.
pub fn optional_integer(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<i64> {
    if text.trim().is_empty() {
        None
    } else {
        crate::forms::integer(errors, field, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_keeps_groups_first() {
        let keys = [(1, 5), (0, 1), (1, 9), (0, 7), (0, 1)];
        assert_eq!(sorted(&keys, true), [1, 4, 3, 0, 2]);
        assert_eq!(sorted(&keys, false), [3, 1, 4, 2, 0]);
    }

    #[test]
    fn intervals_read_well() {
        assert_eq!(every(12, "months"), "Every 12 months");
        assert_eq!(every(1, "months"), "Every month");
        assert_eq!(every(5000, "mi"), "Every 5,000 mi");
    }
}
