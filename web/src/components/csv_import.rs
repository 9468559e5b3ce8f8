//! "Export CSV" and "Import CSV" of a record tab (reference §5).
//!
//! `<CsvTools vehicle_id record="fuel-records" on_imported=… />` in the tab's actions; without
//! `vehicle_id`, the shop's collection (`record="supplies"`), whose import only administrators
//! see (`can_import`). Import
//! is two steps: the chosen file is sent as a dry run, whose parsed rows and per-line errors
//! are shown; confirming sends it again for real (one transaction on the server) and reports
//! the count.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use serde_json::Value;

use crate::api::csv::{self as csv_api, Preview};
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::dialog::Dialog;
use crate::components::progress::{Progress, UploadProgress};
use crate::i18n::{tr, tr_fmt, trs};

/// Rows shown in the preview; the rest are counted.
const PREVIEW_ROWS: usize = 50;

/// Body fields the preview leaves out: empty on every imported row.
const HIDDEN: [&str; 8] = [
    "supplies",
    "reminderIds",
    "startingSoc",
    "endingSoc",
    "equipmentIds",
    "recurringInterval",
    "customInterval",
    "customIntervalUnit",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pick,
    Checking,
    Ready,
    Importing,
    Done(u64),
}

#[component]
pub fn CsvTools(
    /// The vehicle; none for the shop's supplies.
    #[prop(optional)]
    vehicle_id: Option<i64>,
    /// The collection segment: `fuel-records`, `service-records`, `supplies`, ….
    record: &'static str,
    #[prop(into)] on_imported: Callback<()>,
    /// Whether the Import button shows (exporting is a read).
    #[prop(into, default = Signal::stored(true))]
    can_import: Signal<bool>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let file_name = match vehicle_id {
        Some(_) => format!("{record}.csv"),
        None => format!("shop-{record}.csv"),
    };
    view! {
        <a
            class="btn btn-secondary"
            href=csv_api::export_url(vehicle_id, record)
            download=file_name
            data-testid="csv-export"
        >
            {tr("Export CSV")}
        </a>
        {move || can_import.get().then(|| view! {
            <button type="button" class="btn btn-secondary" data-testid="csv-import" on:click=move |_| open.set(true)>
                {tr("Import CSV")}
            </button>
        })}
        {move || open.get().then(|| view! {
            <ImportDialog vehicle_id record on_imported on_close=Callback::new(move |()| open.set(false)) />
        })}
    }
}

/// `fuelConsumed` → "Fuel consumed".
fn heading(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => tr("Yes"),
        Value::Bool(false) => tr("No"),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn preview_table(preview: &Preview) -> impl IntoView + use<> {
    let keys: Vec<String> = preview
        .rows
        .first()
        .map(|r| {
            r.record
                .keys()
                .filter(|k| !HIDDEN.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut extra_names: Vec<String> = Vec::new();
    for row in &preview.rows {
        for f in &row.extra_fields {
            if !extra_names.contains(&f.name) {
                extra_names.push(f.name.clone());
            }
        }
    }
    let head = std::iter::once(tr("Line"))
        .chain(keys.iter().map(|k| heading(k)))
        .chain(extra_names.iter().cloned())
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let body = preview
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            let cells = std::iter::once(row.line.to_string())
                .chain(
                    keys.iter()
                        .map(|k| row.record.get(k).map(cell).unwrap_or_default()),
                )
                .chain(extra_names.iter().map(|n| {
                    row.extra_fields
                        .iter()
                        .find(|f| &f.name == n)
                        .map(|f| f.value.clone())
                        .unwrap_or_default()
                }))
                .map(|c| view! { <td>{c}</td> })
                .collect_view();
            view! { <tr data-testid="csv-preview-row">{cells}</tr> }
        })
        .collect_view();
    let more = preview.rows.len().saturating_sub(PREVIEW_ROWS);
    view! {
        <div class="table-wrap csv-preview">
            <table data-testid="csv-preview">
                <thead><tr>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="muted">{tr_fmt("… and {more} more rows.", &[("more", &more.to_string())])}</p> })}
    }
}

#[component]
fn ImportDialog(
    vehicle_id: Option<i64>,
    record: &'static str,
    on_imported: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    // The chosen `File`, sent once for the preview and again for the import.
    let file = StoredValue::new_local(None::<web_sys::Blob>);
    // The upload of the current step (`None` before the first progress event).
    let sent = RwSignal::new(None::<Progress>);
    let on_progress = move |p: Progress| sent.set(Some(p));
    let preview = RwSignal::new(None::<Preview>);
    let stage = RwSignal::new(Stage::Pick);
    let alert = RwSignal::new(None::<String>);

    let failed = move |err: crate::api::ApiError| {
        let message = match err.status() {
            Some(413) => tr("That file is too large to import."),
            Some(422) if !err.field_errors().is_empty() => err
                .field_errors()
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
            _ => auth.explain(&err),
        };
        alert.set(Some(message));
    };

    let on_file = move |ev: leptos::ev::Event| {
        // Through the input's form: `FormData` hands the `File` over without more web-sys
        // features in the bundle.
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|input| !input.value().is_empty())
            .and_then(|input| input.form())
            .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
            .and_then(|data| data.get("file").dyn_into::<web_sys::Blob>().ok());
        let Some(chosen) = chosen else { return };
        file.set_value(Some(chosen.clone()));
        preview.set(None);
        alert.set(None);
        sent.set(None);
        stage.set(Stage::Checking);
        spawn_local(async move {
            let csrf = auth.csrf();
            match csv_api::import(vehicle_id, record, &csrf, chosen, true, on_progress).await {
                Ok(p) => {
                    preview.set(Some(p));
                    stage.set(Stage::Ready);
                }
                Err(err) => {
                    stage.set(Stage::Pick);
                    failed(err);
                }
            }
        });
    };

    let confirm = move |_| {
        let Some(chosen) = file.get_value() else {
            return;
        };
        alert.set(None);
        sent.set(None);
        stage.set(Stage::Importing);
        spawn_local(async move {
            let csrf = auth.csrf();
            match csv_api::import(vehicle_id, record, &csrf, chosen, false, on_progress).await {
                Ok(done) => {
                    stage.set(Stage::Done(done.imported));
                    on_imported.run(());
                }
                Err(err) => {
                    stage.set(Stage::Ready);
                    failed(err);
                }
            }
        });
    };

    let ready = move || {
        stage.get() == Stage::Ready
            && preview.with(|p| {
                p.as_ref()
                    .is_some_and(|p| p.errors.is_empty() && !p.rows.is_empty())
            })
    };
    let count = move || preview.with(|p| p.as_ref().map_or(0, |p| p.rows.len()));

    let details = move || {
        preview.with(|p| {
            p.as_ref().map(|p| {
                let skipped = (!p.skipped_lines.is_empty()).then(|| {
                    let lines: Vec<String> = p.skipped_lines.iter().map(u64::to_string).collect();
                    view! {
                        <p class="muted" data-testid="csv-skipped">
                            {tr_fmt("Skipped (no fuel): line {lines}.", &[("lines", &lines.join(", "))])}
                        </p>
                    }
                });
                let errors = (!p.errors.is_empty()).then(|| {
                    let items = p
                        .errors
                        .iter()
                        .map(|e| {
                            let text = if e.field.is_empty() {
                                tr_fmt("Line {line}: {message}", &[("line", &e.line.to_string()), ("message", &crate::i18n::tr_dyn(&e.message))])
                            } else {
                                tr_fmt("Line {line}: {field} {message}", &[("line", &e.line.to_string()), ("field", &e.field.to_string()), ("message", &crate::i18n::tr_dyn(&e.message))])
                            };
                            view! { <li>{text}</li> }
                        })
                        .collect_view();
                    view! {
                        <div class="alert alert-error" role="alert">
                            <p>{tr("Fix these lines and choose the file again; nothing is imported while any remain.")}</p>
                            <ul data-testid="csv-errors">{items}</ul>
                        </div>
                    }
                });
                view! {
                    <p data-testid="csv-summary">
                        {tr_fmt("{rows} rows ready to import.", &[("rows", &p.rows.len().to_string())])}
                    </p>
                    {skipped}
                    {errors}
                    {(!p.rows.is_empty()).then(|| preview_table(p))}
                }
            })
        })
    };

    view! {
        <Dialog title=trs("Import CSV") on_close testid="csv-import-dialog">
            <div class="dialog-body csv-import">
                <p class="muted">
                    {tr("A file with a header row: LubeLogger's export columns, or a Fuelly export for fill-ups.")}
                </p>
                <form on:submit=|ev| ev.prevent_default()>
                    <input
                        type="file"
                        name="file"
                        accept=".csv,text/csv"
                        data-testid="csv-file"
                        disabled=move || matches!(stage.get(), Stage::Importing | Stage::Done(_))
                        on:change=on_file
                    />
                </form>
                <Alert message=alert />
                {move || match stage.get() {
                    Stage::Checking => Some(view! {
                        <UploadProgress label=tr("Uploading the file for a preview") progress=sent testid="csv-progress" />
                    }.into_any()),
                    Stage::Importing => Some(view! {
                        <UploadProgress
                            label=tr_fmt("Importing {n} rows", &[("n", &count().to_string())])
                            progress=sent
                            testid="csv-progress"
                        />
                    }.into_any()),
                    Stage::Done(n) => Some(view! {
                        <div class="alert alert-success" role="status" data-testid="csv-imported">
                            {tr_fmt("{n} records imported.", &[("n", &n.to_string())])}
                        </div>
                    }.into_any()),
                    _ => None,
                }}
                {move || (!matches!(stage.get(), Stage::Done(_))).then(details)}
            </div>
            <div class="form-actions">
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>
                    {move || if matches!(stage.get(), Stage::Done(_)) { tr("Close") } else { tr("Cancel") }}
                </button>
                {move || (!matches!(stage.get(), Stage::Done(_))).then(|| view! {
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="csv-confirm"
                        disabled=move || !ready()
                        on:click=confirm
                    >
                        {move || tr_fmt("Import {count} rows", &[("count", &count().to_string())])}
                    </button>
                })}
            </div>
        </Dialog>
    }
}
