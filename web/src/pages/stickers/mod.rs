//! `/vehicles/:id/stickers`: printable record stickers with QR codes (issue 8).
//!
//! `?tab=service&ids=1,2,3` prints those records of the tab (a bulk selection), `?tab=service`
//! all of them. Each sticker shows the record's figures and a QR code of its deep link; the
//! "Add fill-up" sticker (for the car) opens the fuel tab's add dialog. The QR codes are SVGs
//! made by the server, so the bundle carries no encoder.

mod deep_link;

pub use deep_link::{DeepLink, follow};

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use motovault_shared::Amount;
use motovault_shared::dto::Vehicle;
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::dto::stickers::{add_link, qr_path, record_link};

use crate::api::{self, ApiError};
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::format;
use crate::i18n::tr;
use crate::pages::not_found::NotFound;
use crate::pages::vehicles::use_vehicle_id;

/// The tabs whose records have stickers, in the order of the vehicle page.
const TABS: [&str; 5] = ["fuel", "service", "repair", "upgrade", "tax"];

/// A tab's name on a sticker and in the tab bar.
fn tab_label(tab: &str) -> String {
    match tab {
        "fuel" => tr("Fuel"),
        "repair" => tr("Repair"),
        "upgrade" => tr("Upgrade"),
        "tax" => tr("Tax"),
        _ => tr("Service"),
    }
}

/// `?tab=`: one of [`TABS`], service when missing or unknown.
fn tab_of(query: Option<&str>) -> &'static str {
    query
        .and_then(|t| TABS.iter().find(|known| **known == t))
        .copied()
        .unwrap_or("service")
}

/// `?ids=1,2,3`: the chosen records; empty means all of the tab. Junk entries are skipped.
fn ids_of(query: Option<&str>) -> Vec<i64> {
    query
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .collect()
}

/// What a sticker shows of a record.
#[derive(Clone)]
struct Sticker {
    id: i64,
    date: NaiveDate,
    /// With its unit; `None` for records without a reading (tax).
    odometer: Option<String>,
    description: String,
    cost: Amount,
}

/// The vehicle and the stickers of a tab, newest first as the lists come.
async fn load(
    vehicle_id: i64,
    tab: &'static str,
    unit: &'static str,
) -> Result<(Vehicle, Vec<Sticker>), ApiError> {
    let vehicle = api::vehicles::get(vehicle_id).await?;
    let unit = if vehicle.use_hours { "h" } else { unit };
    let reading = |odometer: i64| Some(format!("{} {unit}", format::grouped(odometer)));
    let stickers = match (tab, MaintenanceKind::parse(tab)) {
        (_, Some(kind)) => api::maintenance::list(vehicle_id, kind)
            .await?
            .records
            .into_iter()
            .map(|r| Sticker {
                id: r.id,
                date: r.date,
                odometer: reading(r.odometer),
                description: r.description,
                cost: r.cost,
            })
            .collect(),
        ("tax", _) => api::tax::list(vehicle_id)
            .await?
            .records
            .into_iter()
            .map(|r| Sticker {
                id: r.id,
                date: r.date,
                odometer: None,
                description: r.description,
                cost: r.cost,
            })
            .collect(),
        _ => {
            let list = api::fuel::list(vehicle_id).await?;
            let fuel_unit = list.fuel_unit;
            list.records
                .into_iter()
                .map(|r| Sticker {
                    id: r.id,
                    date: r.date,
                    odometer: Some(format!(
                        "{} {}",
                        format::grouped(r.odometer),
                        list.distance_unit
                    )),
                    description: format!("{} {fuel_unit}", format::quantity(r.fuel_consumed)),
                    cost: r.cost,
                })
                .collect()
        }
    };
    Ok((vehicle, stickers))
}

#[component]
pub fn StickersPage() -> impl IntoView {
    let auth = use_auth();
    let id = use_vehicle_id();
    let query = use_query_map();
    let tab = Memo::new(move |_| query.with(|q| tab_of(q.get_str("tab"))));
    let ids = Memo::new(move |_| query.with(|q| ids_of(q.get_str("ids"))));
    let with_add = RwSignal::new(true);
    let unit = auth.units().distance_unit();
    let data = LocalResource::new(move || {
        let (id, tab) = (id.get(), tab.get());
        async move {
            match id {
                Some(id) => load(id, tab, unit).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let tabs = move || {
        let vehicle = id.get().unwrap_or_default();
        TABS.iter()
            .map(|&slug| {
                let href = format!("/vehicles/{vehicle}/stickers?tab={slug}");
                let active = move || tab.get() == slug;
                view! {
                    <a class="tab" class:active=active href=href data-testid=format!("stickers-tab-{slug}")>
                        {tab_label(slug)}
                    </a>
                }
            })
            .collect_view()
    };
    let back = move || {
        let vehicle = id.get().unwrap_or_default();
        match tab.get() {
            "fuel" => format!("/vehicles/{vehicle}"),
            other => format!("/vehicles/{vehicle}/{other}"),
        }
    };
    let chosen = move || {
        let count = ids.with(Vec::len);
        (count > 0).then(|| {
            let all = format!(
                "/vehicles/{}/stickers?tab={}",
                id.get().unwrap_or_default(),
                tab.get()
            );
            view! {
                <span class="muted" data-testid="stickers-chosen">
                    {tr_count(count)}" · "
                    <a href=all>{tr("Show all")}</a>
                </span>
            }
        })
    };

    let content = move || match data.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(None)) => view! { <NotFound /> }.into_any(),
        Some(Err(err)) if err.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(Some((vehicle, stickers)))) => {
            let tab = tab.get_untracked();
            // Tracked: "Show all" changes only the query, not the loaded list.
            let wanted = ids.get();
            let stickers: Vec<Sticker> = stickers
                .into_iter()
                .filter(|s| wanted.is_empty() || wanted.contains(&s.id))
                .collect();
            sheet(&vehicle, tab, stickers, with_add).into_any()
        }
    };

    view! {
        <div class="page stickers-page">
            <div class="stickers-controls" data-testid="stickers-controls">
                <a class="back-link" href=back>{tr("← Back to the vehicle")}</a>
                <div class="page-header">
                    <div>
                        <h1>{tr("Stickers")}</h1>
                        <p class="muted">{tr("Print them on label paper and stick them in the car or on the part.")}</p>
                    </div>
                    <button type="button" class="btn btn-primary" data-testid="stickers-print" on:click=move |_| {
                        let _ = window().print();
                    }>
                        {tr("Print")}
                    </button>
                </div>
                <nav class="tabs" aria-label=tr("Record type")>{tabs}</nav>
                <div class="stickers-options">
                    <label class="check">
                        <input type="checkbox" data-testid="stickers-with-add" bind:checked=with_add />
                        {tr("Include an “Add fill-up” sticker")}
                    </label>
                    {chosen}
                </div>
            </div>
            {content}
        </div>
    }
}

fn tr_count(count: usize) -> String {
    if count == 1 {
        tr("1 chosen record")
    } else {
        crate::i18n::tr_fmt("{n} chosen records", &[("n", &count.to_string())])
    }
}

/// The sheet of stickers: "Add fill-up" first (when wanted), then one per record.
fn sheet(
    vehicle: &Vehicle,
    tab: &'static str,
    stickers: Vec<Sticker>,
    with_add: RwSignal<bool>,
) -> impl IntoView + use<> {
    let vehicle_id = vehicle.id;
    let name = format!("{} {} {}", vehicle.year, vehicle.make, vehicle.model);
    let plate = vehicle.license_plate.clone();
    let kind = tab_label(tab);
    let empty = stickers.is_empty().then(|| {
        view! { <p class="muted stickers-empty" data-testid="stickers-empty">{tr("No records to print on this tab.")}</p> }
    });
    let add = {
        let (name, plate) = (name.clone(), plate.clone());
        move || {
            with_add.get().then(|| {
                let target = add_link(vehicle_id, "fuel");
                view! {
                    <article class="sticker sticker-add" data-testid="sticker-add">
                        <QrImage vehicle_id target />
                        <div class="sticker-text">
                            <strong class="sticker-vehicle">{name.clone()}</strong>
                            {plate_view(&plate)}
                            <span class="sticker-kind">{tr("Add fill-up")}</span>
                            <span class="sticker-line">{tr("Scan at the pump to log a fill-up.")}</span>
                        </div>
                    </article>
                }
            })
        }
    };
    let records = stickers
        .into_iter()
        .map(|s| {
            let target = record_link(vehicle_id, tab, s.id);
            let odometer = s
                .odometer
                .map(|o| view! { <span data-testid="sticker-odometer">{o}</span> });
            view! {
                <article class="sticker" data-testid="sticker" data-record-id=s.id>
                    <QrImage vehicle_id target />
                    <div class="sticker-text">
                        <strong class="sticker-vehicle">{name.clone()}</strong>
                        <span class="sticker-kind">
                            {kind.clone()}" · "<span data-testid="sticker-date">{format::date(s.date)}</span>
                        </span>
                        <span class="sticker-line" data-testid="sticker-description">{s.description}</span>
                        <span class="sticker-line sticker-figures">
                            {odometer}
                            <span data-testid="sticker-cost">{format::money(s.cost)}</span>
                        </span>
                    </div>
                </article>
            }
        })
        .collect_view();
    view! {
        <div class="sticker-sheet" data-testid="sticker-sheet">
            {add}
            {records}
        </div>
        {empty}
    }
}

fn plate_view(plate: &str) -> Option<impl IntoView + use<>> {
    (!plate.is_empty()).then(|| view! { <span class="sticker-plate">{plate.to_owned()}</span> })
}

/// The server-made QR code of a deep link of the vehicle.
#[component]
fn QrImage(vehicle_id: i64, target: String) -> impl IntoView {
    let src = qr_path(vehicle_id, &target);
    view! {
        <img
            class="sticker-qr"
            src=src
            alt=tr("QR code")
            width="96"
            height="96"
            data-testid="sticker-qr"
            data-target=target
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_chooses_a_known_tab_and_positive_ids() {
        assert_eq!(tab_of(Some("repair")), "repair");
        assert_eq!(tab_of(Some("fuel")), "fuel");
        assert_eq!(tab_of(Some("notes")), "service");
        assert_eq!(tab_of(None), "service");
        assert_eq!(ids_of(Some("3,1, 2")), vec![3, 1, 2]);
        assert_eq!(ids_of(Some("4,,x,-1,0,5")), vec![4, 5]);
        assert_eq!(ids_of(None), Vec::<i64>::new());
    }
}
