//! `/vehicles/:id/history`: the printable vehicle history report. The filters and column
//! toggles sit above the report and are left out of the printed page (see the stylesheet's
//! `@media print`).

use leptos::prelude::*;
use motovault_shared::Amount;
use motovault_shared::dto::reports::{
    HistoryFilter, HistoryRecord, HistoryTotals, TagMode, VehicleHistory,
};

use super::{rate, type_label};
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::format;
use crate::forms;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::not_found::NotFound;
use crate::pages::vehicles::use_vehicle_id;

/// The fixed columns: key, header.
const COLUMNS: [(&str, &str); 7] = [
    ("type", mark("Type")),
    ("date", mark("Date")),
    ("odometer", mark("Odometer")),
    ("description", mark("Description")),
    ("cost", mark("Cost")),
    ("notes", mark("Notes")),
    ("tags", mark("Tags")),
];

/// The key of an extra field's column (apart from the fixed ones whatever its name).
fn extra_key(name: &str) -> String {
    format!("x:{name}")
}

/// The filter the controls describe: dates as typed (blank or unreadable = none).
fn filter_of(from: &str, to: &str, tags: Vec<String>, tag_mode: TagMode) -> HistoryFilter {
    let date = |text: &str| forms::optional_date(&mut Vec::new(), "date", text);
    HistoryFilter {
        from: date(from),
        to: date(to),
        tags,
        tag_mode,
    }
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let id = use_vehicle_id();
    move || match id.get() {
        Some(id) => view! { <History vehicle_id=id /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn History(vehicle_id: i64) -> impl IntoView {
    let auth = use_auth();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let tags = RwSignal::new(Vec::<String>::new());
    let tag_mode = RwSignal::new(TagMode::Include);
    let hidden = RwSignal::new(Vec::<String>::new());
    // Choices from the answer, kept across refetches so the controls are not rebuilt.
    let available_tags = RwSignal::new(Vec::<String>::new());
    let extra_names = RwSignal::new(Vec::<String>::new());

    let filter = Memo::new(move |_| filter_of(&from.get(), &to.get(), tags.get(), tag_mode.get()));
    let report = LocalResource::new(move || {
        let filter = filter.get();
        async move {
            let answer = api::reports::history(vehicle_id, &filter).await;
            if let Ok(h) = &answer {
                available_tags.set(h.available_tags.clone());
                extra_names.set(h.extra_field_names.clone());
            }
            answer
        }
    });

    let tag_choices = move || {
        available_tags
            .get()
            .into_iter()
            .map(|tag| {
                let checked = {
                    let tag = tag.clone();
                    move || tags.with(|t| t.contains(&tag))
                };
                let toggle = {
                    let tag = tag.clone();
                    move |_| {
                        tags.update(|t| match t.iter().position(|x| *x == tag) {
                            Some(i) => {
                                t.remove(i);
                            }
                            None => t.push(tag.clone()),
                        })
                    }
                };
                view! {
                    <label class="history-chip" data-testid="history-tag">
                        <input type="checkbox" prop:checked=checked on:change=toggle />
                        <span class="tag">{tag}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let column_choices = move || {
        let fixed = COLUMNS
            .iter()
            .map(|&(key, label)| (key.to_owned(), tr(label)));
        let extra = extra_names.get().into_iter().map(|n| (extra_key(&n), n));
        fixed
            .chain(extra)
            .map(|(key, label)| {
                let shown = {
                    let key = key.clone();
                    move || hidden.with(|h| !h.contains(&key))
                };
                // Not ending in "cost", or the stylesheet would add a currency sign.
                let testid = format!("column-{key}-shown");
                let toggle = move |_| {
                    hidden.update(|h| match h.iter().position(|x| *x == key) {
                        Some(i) => {
                            h.remove(i);
                        }
                        None => h.push(key.clone()),
                    })
                };
                view! {
                    <label class="history-chip">
                        <input type="checkbox" data-testid=testid prop:checked=shown on:change=toggle />
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let content = move || match report.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) if err.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(h)) => view! { <Report history=h hidden /> }.into_any(),
    };
    let print = move |_| {
        let _ = window().print();
    };
    let back = format!("/vehicles/{vehicle_id}/reports");
    // The report names the printed page and a saved PDF; the app's name comes back after.
    let previous = document().title();
    on_cleanup(move || document().set_title(&previous));

    view! {
        <div class="page history-page">
            <div class="history-controls" data-testid="history-controls">
                <div class="history-bar">
                    <a class="back-link" href=back>{tr("← Back to reports")}</a>
                    <button type="button" class="btn btn-primary" data-testid="history-print" on:click=print>
                        {tr("Print")}
                    </button>
                </div>
                <div class="card history-filters">
                    <div class="history-filter-row">
                        <label class="field">
                            <span>{tr("From")}</span>
                            <input type="date" data-testid="history-from" prop:value=from on:change=move |ev| from.set(event_target_value(&ev)) />
                        </label>
                        <label class="field">
                            <span>{tr("To")}</span>
                            <input type="date" data-testid="history-to" prop:value=to on:change=move |ev| to.set(event_target_value(&ev)) />
                        </label>
                        <label class="field">
                            <span>{tr("Tags")}</span>
                            <select
                                data-testid="history-tag-mode"
                                prop:value=move || tag_mode.get().as_str()
                                on:change=move |ev| {
                                    tag_mode.set(TagMode::parse(&event_target_value(&ev)).unwrap_or_default())
                                }
                            >
                                <option value="include">{tr("Only records with these tags")}</option>
                                <option value="exclude">{tr("All but records with these tags")}</option>
                            </select>
                        </label>
                    </div>
                    <div class="history-chips" role="group" aria-label=move || tr("Tags")>
                        {tag_choices}
                        {move || available_tags.with(Vec::is_empty).then(|| view! {
                            <span class="muted">{tr("No tags on this vehicle's records.")}</span>
                        })}
                    </div>
                    <div class="history-chips" role="group" aria-label=move || tr("Columns")>
                        <span class="history-chips-label">{tr("Columns")}</span>
                        {column_choices}
                    </div>
                </div>
            </div>
            {content}
        </div>
    }
}

#[component]
fn Report(history: VehicleHistory, hidden: RwSignal<Vec<String>>) -> impl IntoView {
    let v = &history.vehicle;
    let title = format!("{} {} {}", v.year, v.make, v.model);
    document().set_title(&tr_fmt(
        "{vehicle} - Vehicle history",
        &[("vehicle", &title)],
    ));
    let plate = (!v.license_plate.is_empty())
        .then(|| view! { <span class="plate" data-testid="history-plate">{v.license_plate.clone()}</span> });
    let dated = |date: Option<chrono::NaiveDate>, price: Option<Amount>, testid: &'static str| {
        date.map(|d| {
            let price = price.filter(|p| !p.is_zero()).map(
                |p| view! { " · " <span data-testid=format!("{testid}-cost")>{format::money(p)}</span> },
            );
            view! { <span data-testid=testid>{format::date(d)}</span> {price} }
        })
    };
    let purchased = dated(v.purchase_date, v.purchase_price, "history-purchased");
    let sold = dated(v.sold_date, v.sold_price, "history-sold");
    let days_owned = v.days_owned;
    let scope = scope_text(&history.filter);
    let totals = history.totals.clone();
    let table_totals = history.totals;
    let records = history.records;
    let extra_names = history.extra_field_names;
    view! {
        <article class="history-report" data-testid="history-report">
            <header class="history-header">
                <div>
                    <p class="history-kicker">{tr("Vehicle history report")}</p>
                    <h1 data-testid="history-title">{title}</h1>
                    {plate}
                </div>
                <dl class="history-facts">
                    {purchased.map(|p| view! { <div><dt>{tr("Purchased")}</dt><dd>{p}</dd></div> })}
                    {sold.map(|s| view! { <div><dt>{tr("Sold")}</dt><dd>{s}</dd></div> })}
                    {days_owned.map(|d| view! {
                        <div><dt>{tr("Days owned")}</dt><dd data-testid="history-days-owned">{format::grouped(d)}</dd></div>
                    })}
                </dl>
                {scope.map(|s| view! { <p class="muted history-scope" data-testid="history-scope">{s}</p> })}
            </header>
            <Totals totals />
            {move || {
                let hidden = hidden.get();
                view! {
                    <RecordsTable
                        records=records.clone()
                        extra_names=extra_names.clone()
                        hidden
                        totals=table_totals.clone()
                    />
                }
            }}
        </article>
    }
}

/// What the filters limit the report to, in words (printed under the heading).
fn scope_text(filter: &HistoryFilter) -> Option<String> {
    let mut parts = Vec::new();
    match (filter.from, filter.to) {
        (Some(f), Some(t)) => parts.push(tr_fmt(
            "From {from} to {to}",
            &[("from", &format::date(f)), ("to", &format::date(t))],
        )),
        (Some(f), None) => parts.push(tr_fmt("From {from}", &[("from", &format::date(f))])),
        (None, Some(t)) => parts.push(tr_fmt("Until {to}", &[("to", &format::date(t))])),
        (None, None) => {}
    }
    if !filter.tags.is_empty() {
        let list = filter.tags.join(", ");
        parts.push(match filter.tag_mode {
            TagMode::Include => tr_fmt("only tagged {tags}", &[("tags", &list)]),
            TagMode::Exclude => tr_fmt("without tags {tags}", &[("tags", &list)]),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

#[component]
fn Stat(
    label: String,
    testid: &'static str,
    value: String,
    #[prop(optional)] unit: Option<String>,
) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-label">{label}</span>
            <span class="stat-value">
                <span data-testid=testid>{value}</span>
                {unit.map(|u| view! { " " <span class="stat-unit">{u}</span> })}
            </span>
        </div>
    }
}

#[component]
fn Totals(totals: HistoryTotals) -> impl IntoView {
    let unit = totals.distance_unit.clone();
    let per = |text: &'static str| tr_fmt(text, &[("unit", &unit)]);
    let depreciation = totals.depreciation.map(|d| {
        view! {
            <Stat label=tr("Depreciation") testid="history-depreciation-cost" value=format::money(d) />
            {totals.depreciation_per_day.map(|p| view! {
                <Stat label=tr("Depreciation per day") testid="history-dep-day-cost" value=rate(p) />
            })}
            {totals.depreciation_per_distance.map(|p| view! {
                <Stat label=per("Depreciation per {unit}") testid="history-dep-distance-cost" value=rate(p) />
            })}
        }
    });
    view! {
        <div class="stats stats-auto history-totals" data-testid="history-totals">
            <Stat label=tr("Total cost") testid="history-total-cost" value=format::money(totals.total_cost) />
            <Stat label=per("Cost per {unit}") testid="history-distance-cost" value=rate(totals.cost_per_distance) />
            <Stat label=tr("Fuel cost") testid="history-fuel-cost" value=format::money(totals.total_fuel_cost) />
            <Stat label=per("Fuel cost per {unit}") testid="history-fuel-distance-cost" value=rate(totals.fuel_cost_per_distance) />
            <Stat
                label=tr("Average fuel economy")
                testid="history-economy"
                value=format::economy(totals.average_fuel_economy)
                unit=totals.economy_unit.clone()
            />
            <Stat label=tr("Odometer") testid="history-odometer" value=format::grouped(totals.odometer) unit=unit.clone() />
            <Stat label=tr("Distance") testid="history-distance" value=format::grouped(totals.odometer_distance) unit=unit.clone() />
            {depreciation}
        </div>
    }
}

/// The text of one cell (extra fields are looked up by name).
fn cell(record: &HistoryRecord, key: &str, fuel_unit: &str) -> String {
    match key {
        "type" => type_label(record.record_type).to_owned(),
        "date" => format::date(record.date),
        "odometer" if record.odometer == 0 => String::new(),
        "odometer" => format::grouped(record.odometer),
        "description" => match record.fuel_consumed {
            Some(amount) => tr_fmt(
                "Fuel-up: {amount} {unit}",
                &[("amount", &format::quantity(amount)), ("unit", fuel_unit)],
            ),
            None => record.description.clone(),
        },
        "cost" => format::money(record.cost),
        "notes" => record.notes.clone(),
        "tags" => record.tags.join(" "),
        other => other
            .strip_prefix("x:")
            .and_then(|name| record.extra_fields.iter().find(|f| f.name == name))
            .map(|f| f.value.clone())
            .unwrap_or_default(),
    }
}

#[component]
fn RecordsTable(
    records: Vec<HistoryRecord>,
    extra_names: Vec<String>,
    hidden: Vec<String>,
    totals: HistoryTotals,
) -> impl IntoView {
    let mut columns: Vec<(String, String)> = COLUMNS
        .iter()
        .map(|&(key, label)| (key.to_owned(), trs(label).to_owned()))
        .collect();
    columns.extend(extra_names.into_iter().map(|n| (extra_key(&n), n)));
    columns.retain(|(key, _)| !hidden.contains(key));
    let span = columns.len().max(1);
    let head = columns
        .iter()
        .map(|(key, label)| {
            let class = if key == "cost" || key == "odometer" {
                "num"
            } else {
                ""
            };
            view! { <th scope="col" class=class>{label.clone()}</th> }
        })
        .collect_view();
    let fuel_unit = totals.fuel_unit.clone();
    let body = if records.is_empty() {
        view! {
            <tr>
                <td colspan=span.to_string() class="muted" data-testid="history-empty">
                    {tr("No records match these filters.")}
                </td>
            </tr>
        }
        .into_any()
    } else {
        records
            .iter()
            .map(|r| {
                let cells = columns
                    .iter()
                    .map(|(key, _)| {
                        let class = match key.as_str() {
                            "cost" | "odometer" => "num",
                            "notes" => "history-notes",
                            "date" => "history-date",
                            _ => "",
                        };
                        // `cell-cost` ends in "cost": the stylesheet adds the currency.
                        let testid = format!("cell-{}", key.replace(':', "-"));
                        view! { <td class=class data-testid=testid>{cell(r, key, &fuel_unit)}</td> }
                    })
                    .collect_view();
                view! {
                    <tr data-testid="history-row" data-type=r.record_type.as_str()>{cells}</tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let count = tr_fmt("{n} records", &[("n", &records.len().to_string())]);
    view! {
        <section class="history-records">
            <div class="history-records-head">
                <h2>{tr("Records")}</h2>
                <span class="muted" data-testid="history-count">{count}</span>
            </div>
            <div class="history-scroll">
                <table class="history-table" data-testid="history-table">
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use motovault_shared::dto::reports::ReportRecordType;

    use super::*;

    #[test]
    fn the_filter_reads_the_controls() {
        let f = filter_of("2024-01-01", "", vec!["a".into()], TagMode::Exclude);
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2024, 1, 1));
        assert_eq!(f.to, None);
        assert_eq!(f.tags, vec!["a".to_owned()]);
        assert_eq!(f.tag_mode, TagMode::Exclude);
        // Half-typed dates filter nothing yet.
        assert_eq!(
            filter_of("2024-1", "x", vec![], TagMode::Include).from,
            None
        );
    }

    #[test]
    fn the_scope_says_what_the_filters_keep() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let cases = [
            (HistoryFilter::default(), None),
            (
                HistoryFilter {
                    from: d(2024, 1, 5),
                    to: d(2024, 3, 1),
                    ..HistoryFilter::default()
                },
                Some("From Jan 5, 2024 to Mar 1, 2024"),
            ),
            (
                HistoryFilter {
                    to: d(2024, 3, 1),
                    tags: vec!["trip".into(), "work".into()],
                    tag_mode: TagMode::Exclude,
                    ..HistoryFilter::default()
                },
                Some("Until Mar 1, 2024 · without tags trip, work"),
            ),
        ];
        for (filter, want) in cases {
            assert_eq!(scope_text(&filter).as_deref(), want);
        }
    }

    #[test]
    fn cells_show_fuel_ups_and_extra_fields() {
        let record = HistoryRecord {
            record_type: ReportRecordType::Fuel,
            id: 1,
            date: NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(),
            odometer: 0,
            description: String::new(),
            fuel_consumed: Amount::parse("12.5").ok(),
            cost: Amount::parse("40").unwrap(),
            notes: String::new(),
            tags: vec!["a".into(), "b".into()],
            extra_fields: vec![motovault_shared::dto::reports::HistoryExtraField {
                name: "Shop".into(),
                value: "Joe's".into(),
            }],
        };
        let cases = [
            ("type", "Fuel"),
            ("odometer", ""),
            ("description", "Fuel-up: 12.5 gal"),
            ("cost", "40.00"),
            ("tags", "a b"),
            ("x:Shop", "Joe's"),
            ("x:Other", ""),
        ];
        for (key, want) in cases {
            assert_eq!(cell(&record, key, "gal"), want, "{key}");
        }
    }
}
