//! The Planner tab: a Kanban board of planned work (Backlog → In progress → Testing → Done).
//!
//! Cards move by drag and drop or, accessibly and on phones, with each card's "Move to…"
//! select. Moving a card to Done asks for the odometer and creates the service, repair or
//! upgrade record; a done card links to it and can only be deleted. Plan templates sit below
//! the board: "Use" creates a Backlog plan from one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::dto::plans::{
    self as dto, Plan, PlanInput, PlanList, PlanPriority, PlanProgress, PlanProgressInput,
    PlanTemplateInput, PlanTemplateList,
};

use crate::api;
use crate::app::{Auth, use_auth};
use crate::components::alert::{Alert, Notice};
use crate::components::csv_import::CsvTools;
use crate::components::dialog::ConfirmDialog;
use crate::components::field_error::focus_first_invalid;
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::Loading;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::records::{
    Check, Choice, FormDialog, FormSpec, FormState, TextArea, TextInput, checked,
};
use crate::pages::supplies::{act, problem_text, save};
use crate::{format, forms};

/// The columns: `(progress, title, slug for test ids, notice after a move)`.
const COLUMNS: [(PlanProgress, &str, &str, &str); 4] = [
    (
        PlanProgress::Backlog,
        mark("Backlog"),
        "backlog",
        mark("Moved to Backlog."),
    ),
    (
        PlanProgress::InProgress,
        mark("In progress"),
        "inProgress",
        mark("Moved to In progress."),
    ),
    (
        PlanProgress::Testing,
        mark("Testing"),
        "testing",
        mark("Moved to Testing."),
    ),
    (PlanProgress::Done, mark("Done"), "done", ""),
];

fn slug(progress: PlanProgress) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.0 == progress)
        .map_or("backlog", |c| c.2)
}

fn priority_label(p: PlanPriority) -> &'static str {
    match p {
        PlanPriority::Critical => trs("Critical"),
        PlanPriority::Normal => trs("Normal"),
        PlanPriority::Low => trs("Low"),
    }
}

/// What the delete question is about.
#[derive(Clone)]
enum Ask {
    Plan(i64, String),
    Template(i64, String),
}

#[derive(Clone, Copy)]
struct Ctx {
    auth: Auth,
    vehicle_id: i64,
    alert: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    /// The record a plan just became: `(kind, id)`, linked from the notice.
    created: RwSignal<Option<(MaintenanceKind, i64)>>,
    /// `Some(None)`: adding a plan; `Some(Some(p))`: editing `p`.
    editor: RwSignal<Option<Option<Plan>>>,
    /// The plan being moved to Done (the odometer dialog).
    finishing: RwSignal<Option<Plan>>,
    confirm: RwSignal<Option<Ask>>,
    /// The card being dragged, and the column under it.
    dragging: RwSignal<Option<Plan>>,
    over: RwSignal<Option<PlanProgress>>,
    working: RwSignal<bool>,
    reload: Callback<()>,
}

impl Ctx {
    fn act(self, write: api::Write, done: &'static str) {
        self.created.set(None);
        act(
            self.auth,
            self.working,
            self.alert,
            self.notice,
            write,
            done,
            self.reload,
        );
    }

    /// Moves a card: Done asks for the odometer first.
    fn move_plan(self, plan: &Plan, to: PlanProgress) {
        if plan.progress == to || plan.progress == PlanProgress::Done {
            return;
        }
        if to == PlanProgress::Done {
            self.notice.set(None);
            self.finishing.set(Some(plan.clone()));
            return;
        }
        let done = COLUMNS.iter().find(|c| c.0 == to).map_or("", |c| trs(c.3));
        self.act(api::plans::move_to(self.vehicle_id, plan.id, to), done);
    }
}

#[component]
pub fn PlannerTab(vehicle_id: i64) -> impl IntoView {
    // A deep link `?record=ID` (e.g. from a sticker) scrolls to that row once it is shown.
    crate::pages::stickers::follow();
    let live = crate::live::watch(move || Some(vehicle_id));
    let plans = LocalResource::new(move || {
        live.track();
        api::plans::list(vehicle_id)
    });
    let templates = LocalResource::new(move || api::plans::list_templates(vehicle_id));
    let ctx = Ctx {
        auth: use_auth(),
        vehicle_id,
        alert: RwSignal::new(None),
        notice: RwSignal::new(None),
        created: RwSignal::new(None),
        editor: RwSignal::new(None),
        finishing: RwSignal::new(None),
        confirm: RwSignal::new(None),
        dragging: RwSignal::new(None),
        over: RwSignal::new(None),
        working: RwSignal::new(false),
        reload: Callback::new(move |()| {
            plans.refetch();
            templates.refetch();
        }),
    };
    let add = move |_| {
        ctx.notice.set(None);
        ctx.created.set(None);
        ctx.editor.set(Some(None));
    };
    let board = move || {
        plans.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(ctx.auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) => board(ctx, list).into_any(),
        })
    };
    let template_list = move || {
        templates.with(|state| match state {
            Some(Ok(list)) => Some(template_card(ctx, list)),
            _ => None,
        })
    };
    let created_link = move || {
        ctx.created.get().map(|(kind, id)| {
            let href = format!("/vehicles/{vehicle_id}/{}", kind.as_str());
            view! {
                <div class="alert alert-success plan-created" role="status">
                    <span>
                        {tr_fmt("{label} record created. ", &[("label", trs(kind.label()))])}
                        <a href=href data-testid="plan-created-link" data-record-id=id>
                            {tr_fmt("Open {label}", &[("label", trs(kind.label()))])}
                        </a>
                    </span>
                </div>
            }
        })
    };
    view! {
        <div class="fuel-tab planner-tab" data-filter-scope>
            <div class="section-header">
                <div class="section-messages">
                    <Alert message=ctx.alert />
                    <Notice message=ctx.notice />
                    {created_link}
                </div>
                <div class="section-actions">
                    <CsvTools vehicle_id record="plans" on_imported=ctx.reload />
                    <button type="button" class="btn btn-primary" data-testid="add-plan" on:click=add>
                        <PlusIcon />
                        {tr("Add plan")}
                    </button>
                </div>
            </div>
            {board}
            {template_list}
            {move || ctx.editor.get().map(|plan| {
                let spec = untrack(|| plan_form(ctx, plan));
                view! { <FormDialog spec on_close=move |()| ctx.editor.set(None) /> }
            })}
            {move || ctx.finishing.get().map(|plan| {
                let spec = untrack(|| done_form(ctx, plan));
                view! { <FormDialog spec on_close=move |()| ctx.finishing.set(None) /> }
            })}
            {move || ctx.confirm.get().map(|ask| {
                let (title, body) = match &ask {
                    Ask::Plan(_, what) => (
                        trs("Delete plan?"),
                        tr_fmt("The plan “{what}” will be deleted; supplies it took go back into stock.", &[("what", &what.to_string())]),
                    ),
                    Ask::Template(_, what) => (
                        trs("Delete template?"),
                        tr_fmt("The template “{what}” will be deleted.", &[("what", &what.to_string())]),
                    ),
                };
                view! {
                    <ConfirmDialog
                        title
                        body
                        confirm_label=trs("Delete")
                        busy=ctx.working
                        on_confirm=move |()| {
                            let write = match ask {
                                Ask::Plan(id, _) => api::plans::delete(vehicle_id, id),
                                Ask::Template(id, _) => api::plans::delete_template(vehicle_id, id),
                            };
                            ctx.confirm.set(None);
                            ctx.act(write, trs("Deleted."));
                        }
                        on_close=move |()| ctx.confirm.set(None)
                    />
                }
            })}
        </div>
    }
}

fn board(ctx: Ctx, list: &PlanList) -> impl IntoView + use<> {
    let columns = COLUMNS
        .iter()
        .map(|&(progress, title, slug, _)| {
            let title = trs(title);
            let cards: Vec<_> = list
                .records
                .iter()
                .filter(|p| p.progress == progress)
                .collect();
            let count = cards.len();
            let cards = if cards.is_empty() {
                view! { <p class="plan-empty muted">{tr("Nothing here")}</p> }.into_any()
            } else {
                cards
                    .into_iter()
                    .map(|p| card(ctx, p))
                    .collect_view()
                    .into_any()
            };
            let dragover = move |ev: leptos::ev::DragEvent| {
                if ctx
                    .dragging
                    .with_untracked(|d| d.as_ref().is_some_and(|p| p.progress != progress))
                {
                    ev.prevent_default();
                    if ctx.over.get_untracked() != Some(progress) {
                        ctx.over.set(Some(progress));
                    }
                }
            };
            let drop = move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                ctx.over.set(None);
                if let Some(plan) = ctx.dragging.try_update(Option::take).flatten() {
                    ctx.move_plan(&plan, progress);
                }
            };
            view! {
                <section
                    class="plan-column"
                    class:drag-over=move || ctx.over.get() == Some(progress)
                    data-testid=format!("plan-column-{slug}")
                    aria-label=title
                    on:dragover=dragover
                    on:drop=drop
                >
                    <header class="plan-column-header">
                        <h2>{title}</h2>
                        <span class="badge badge-muted" data-testid="plan-column-count">{count}</span>
                    </header>
                    <div class="plan-cards">{cards}</div>
                </section>
            }
        })
        .collect_view();
    // The box renders with the board, so a refreshed board never shows under an old filter.
    view! {
        <div class="list-filter"><FilterBox /></div>
        <div class="plan-board" data-testid="plan-board">{columns}</div>
    }
}

fn card(ctx: Ctx, plan: &Plan) -> impl IntoView + use<> {
    let done = plan.progress == PlanProgress::Done;
    let id = plan.id;
    let priority = plan.priority;
    let kind = plan.record_kind;
    let notes =
        (!plan.notes.is_empty()).then(|| view! { <p class="plan-notes">{plan.notes.clone()}</p> });
    let link = plan.converted_record_id.map(|record| {
        let href = format!("/vehicles/{}/{}", ctx.vehicle_id, kind.as_str());
        view! {
            <a class="plan-link" href=href data-testid="plan-record-link" data-record-id=record>
                {tr_fmt("View {kind} record →", &[("kind", kind.as_str())])}
            </a>
        }
    });
    let dragged = plan.clone();
    let moved = plan.clone();
    let edited = plan.clone();
    let what = plan.description.clone();
    let mover = (!done).then(|| {
        let targets = COLUMNS
            .iter()
            .filter(|c| c.0 != moved.progress)
            .map(|c| view! { <option value=c.2>{tr(c.1)}</option> })
            .collect_view();
        let change = move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            if let Some(c) = COLUMNS.iter().find(|c| c.2 == value) {
                ctx.move_plan(&moved, c.0);
            }
            // Back to the prompt (the Done dialog may be cancelled).
            if let Some(select) = ev
                .target()
                .and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
            {
                select.set_value("");
            }
        };
        view! {
            <select class="btn btn-ghost btn-sm move-select" data-testid="plan-move" aria-label=trs("Move to column") on:change=change>
                <option value="" selected=true>{tr("Move to…")}</option>
                {targets}
            </select>
            <button type="button" class="btn btn-ghost btn-sm" data-testid="plan-edit" on:click=move |_| {
                ctx.notice.set(None);
                ctx.editor.set(Some(Some(edited.clone())));
            }>{tr("Edit")}</button>
        }
    });
    view! {
        <article
            class=format!("plan-card priority-{}", priority.as_str())
            class:done=done
            draggable=(!done).then_some("true")
            data-testid="plan-card"
            data-filter-item
            data-plan-id=id
            data-progress=slug(plan.progress)
            on:dragstart=move |_| ctx.dragging.set(Some(dragged.clone()))
            on:dragend=move |_| {
                ctx.dragging.set(None);
                ctx.over.set(None);
            }
        >
            <div class="plan-card-badges">
                <span class=format!("badge priority-badge priority-{}", priority.as_str()) data-testid="plan-priority">
                    {priority_label(priority)}
                </span>
                <span class="chip" data-testid="plan-kind">{trs(kind.label())}</span>
            </div>
            <h3 class="plan-title" data-testid="plan-description">{plan.description.clone()}</h3>
            {notes}
            <div class="plan-card-foot">
                <span class="plan-cost" data-testid="plan-cost">{format::money(plan.cost)}</span>
                {link}
            </div>
            <div class="plan-actions">
                {mover}
                <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="plan-delete" on:click=move |_| {
                    ctx.notice.set(None);
                    ctx.confirm.set(Some(Ask::Plan(id, what.clone())));
                }>{tr("Delete")}</button>
            </div>
        </article>
    }
}

fn template_card(ctx: Ctx, list: &PlanTemplateList) -> impl IntoView + use<> {
    let items = list
        .records
        .iter()
        .map(|t| {
            let id = t.id;
            let what = t.description.clone();
            view! {
                <li class="template" data-testid="template-row">
                    <div>
                        <strong data-testid="template-description">{t.description.clone()}</strong>
                        <span class="muted">
                            {format!(" · {} · {} · {}", trs(t.record_kind.label()), priority_label(t.priority), format::money(t.cost))}
                        </span>
                    </div>
                    <div class="template-actions">
                        <button type="button" class="btn btn-secondary btn-sm" data-testid="template-use" on:click=move |_| {
                            ctx.act(api::plans::use_template(ctx.vehicle_id, id), trs("Plan added to Backlog."));
                        }>{tr("Use")}</button>
                        <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="template-delete" on:click=move |_| {
                            ctx.notice.set(None);
                            ctx.confirm.set(Some(Ask::Template(id, what.clone())));
                        }>{tr("Delete")}</button>
                    </div>
                </li>
            }
        })
        .collect_view();
    let empty = list.records.is_empty().then(|| {
        view! { <p class="muted">{tr("Save a plan as a template (in its dialog) to reuse it.")}</p> }
    });
    view! {
        <section class="card plan-templates" data-testid="plan-templates">
            <div class="card-header"><h2>{tr("Templates")}</h2></div>
            {empty}
            <ul class="template-list">{items}</ul>
        </section>
    }
}

fn options<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&v| (value(v).to_owned(), label(v).to_owned()))
        .collect()
}

fn plan_form(ctx: Ctx, plan: Option<Plan>) -> FormSpec {
    let form = FormState::new();
    let r = plan.as_ref();
    let description = RwSignal::new(r.map(|r| r.description.clone()).unwrap_or_default());
    let kind = RwSignal::new(
        r.map_or(MaintenanceKind::Service, |r| r.record_kind)
            .as_str()
            .to_owned(),
    );
    let priority = RwSignal::new(
        r.map_or(PlanPriority::Normal, |r| r.priority)
            .as_str()
            .to_owned(),
    );
    let cost = RwSignal::new(r.map(|r| r.cost.to_string()).unwrap_or_default());
    let notes = RwSignal::new(r.map(|r| r.notes.clone()).unwrap_or_default());
    let keep = RwSignal::new(false);
    let id = r.map(|r| r.id);
    let progress = r.map_or(PlanProgress::Backlog, |r| r.progress);
    let reminders = r.map(|r| r.reminder_ids.clone()).unwrap_or_default();
    let vehicle_id = ctx.vehicle_id;
    // Filled in by the submit, sent after the plan when "Save as template" is ticked.
    let template = StoredValue::new(None::<PlanTemplateInput>);
    let saved = Callback::new(move |()| {
        ctx.editor.set(None);
        ctx.created.set(None);
        match template.try_update_value(Option::take).flatten() {
            Some(input) => ctx.act(
                api::plans::create_template(vehicle_id, &input),
                trs("Plan saved, and kept as a template."),
            ),
            None => {
                ctx.notice.set(Some(
                    if id.is_some() {
                        tr("Plan updated.")
                    } else {
                        tr("Plan added.")
                    }
                    .to_owned(),
                ));
                ctx.reload.run(());
            }
        }
    });
    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        let input = PlanInput {
            description: description.get_untracked().trim().to_owned(),
            notes: notes.get_untracked().trim().to_owned(),
            record_kind: MaintenanceKind::parse(&kind.get_untracked())
                .unwrap_or(MaintenanceKind::Service),
            priority: PlanPriority::parse(&priority.get_untracked()).unwrap_or_default(),
            progress,
            cost: forms::optional_amount(&mut parsed, "cost", &cost.get_untracked())
                .unwrap_or_default(),
            reminder_ids: reminders.clone(),
            supplies: Vec::new(),
        };
        template.set_value(keep.get_untracked().then(|| PlanTemplateInput {
            description: input.description.clone(),
            notes: input.notes.clone(),
            record_kind: input.record_kind,
            priority: input.priority,
            cost: input.cost,
            reminder_ids: Vec::new(),
            supplies: Vec::new(),
        }));
        let rules = dto::validate(&input);
        let write = checked(input, parsed, rules).map(|input| match id {
            Some(id) => api::plans::update(vehicle_id, id, &input),
            None => api::plans::create(vehicle_id, &input),
        });
        save(ctx.auth, form, write, saved);
    });
    let kinds = options(
        &MaintenanceKind::ALL,
        MaintenanceKind::as_str,
        MaintenanceKind::label,
    );
    let priorities = options(
        &[
            PlanPriority::Critical,
            PlanPriority::Normal,
            PlanPriority::Low,
        ],
        PlanPriority::as_str,
        priority_label,
    );
    FormSpec {
        title: if id.is_some() { tr("Edit plan") } else { tr("Add plan") }.to_owned(),
        save_label: if id.is_some() { trs("Save changes") } else { trs("Add plan") },
        form,
        submit,
        fields: vec![
            view! { <TextInput label=trs("Description") field="description" form value=description wide=true /> }.into_any(),
            view! { <Choice label=trs("Type") field="recordKind" form value=kind options=kinds /> }.into_any(),
            view! { <Choice label=trs("Priority") field="priority" form value=priority options=priorities /> }.into_any(),
            view! { <TextInput label=trs("Estimated cost") field="cost" form value=cost mode="decimal" /> }.into_any(),
            view! { <TextArea label=trs("Notes") field="notes" form value=notes /> }.into_any(),
            view! { <Check label=trs("Save as template") text=trs("Keep these details to start similar plans later.") value=keep testid="saveTemplate-input" /> }.into_any(),
        ],
    }
}

/// "Mark done": the odometer for the record the plan becomes.
fn done_form(ctx: Ctx, plan: Plan) -> FormSpec {
    let form = FormState::new();
    let odometer = RwSignal::new(String::new());
    let kind = plan.record_kind;
    let id = plan.id;
    let submit = Callback::new(move |()| {
        if form.busy.get_untracked() {
            return;
        }
        let mut errors = Vec::new();
        let reading = forms::integer::<i64>(&mut errors, "odometer", &odometer.get_untracked());
        let input = PlanProgressInput {
            progress: PlanProgress::Done,
            odometer: reading,
        };
        if errors.is_empty() {
            errors = dto::validate_progress(&input);
        }
        form.alert.set(None);
        form.errors.set(errors);
        if !form.errors.with_untracked(Vec::is_empty) {
            focus_first_invalid("[data-testid=record-form]");
            return;
        }
        form.busy.set(true);
        let csrf = ctx.auth.csrf();
        spawn_local(async move {
            let result = api::plans::progress(&csrf, ctx.vehicle_id, id, &input).await;
            form.busy.set(false);
            match result {
                Ok(done) => {
                    ctx.finishing.set(None);
                    ctx.alert.set(None);
                    ctx.notice.set(None);
                    ctx.created.set(
                        done.converted_record_id
                            .map(|record| (done.record_kind, record)),
                    );
                    ctx.reload.run(());
                }
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=record-form]");
                    form.alert.set(Some(problem_text(ctx.auth, &err)));
                }
            }
        });
    });
    let unit = ctx.auth.units().distance_unit();
    FormSpec {
        title: tr_fmt("Mark “{description}” done", &[("description", &plan.description.to_string())]),
        save_label: trs("Mark done"),
        form,
        submit,
        fields: vec![
            view! {
                <p class="field-wide muted">
                    {tr_fmt("A {kind} record is created today with the plan's cost and notes.", &[("kind", kind.as_str())])}
                </p>
            }
            .into_any(),
            view! { <TextInput label=tr_fmt("Odometer ({unit})", &[("unit", unit)]) field="odometer" form value=odometer kind="number" mode="numeric" wide=true /> }.into_any(),
        ],
    }
}
