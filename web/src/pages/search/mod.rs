//! `/search?q=`: global search results, grouped by vehicle (shop supplies in a group of their
//! own, last), each a link to its record's tab.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use motovault_shared::dto::search::{MIN_QUERY_CHARS, SearchKind, SearchResult};

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::{EmptyState, Loading};
use crate::format;
use crate::i18n::tr;

#[component]
pub fn SearchPage() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query
            .read()
            .get("q")
            .map(|q| q.trim().to_owned())
            .unwrap_or_default()
    });
    let results = LocalResource::new(move || {
        let q = q.get();
        async move {
            if q.chars().count() < MIN_QUERY_CHARS {
                return None;
            }
            Some(api::search::search(q).await)
        }
    });

    let content = move || {
        match results.get() {
        None => view! { <Loading /> }.into_any(),
        Some(None) => view! {
            <EmptyState title=tr("Search your records") text=tr("Type at least two characters in the search box above.") testid="search-hint">
                <span></span>
            </EmptyState>
        }
        .into_any(),
        Some(Some(Err(err))) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Some(Ok(found))) if found.results.is_empty() => view! {
            <EmptyState title=tr("No matches") text=tr("No record you can see contains this text.") testid="search-empty">
                <span></span>
            </EmptyState>
        }
        .into_any(),
        Some(Some(Ok(found))) => {
            let more = found.truncated.then(|| {
                view! { <p class="muted">{tr("Only the newest matches are shown; refine the search to see others.")}</p> }
            });
            view! {
                <div class="search-results" data-testid="search-results">
                    {group_results(found.results).into_iter().map(|(heading, rows)| view! {
                        <section class="card search-group" data-testid=heading.testid()>
                            <h2>{heading.text()}</h2>
                            <ul>{rows.into_iter().map(|r| view! { <ResultRow result=r /> }).collect_view()}</ul>
                        </section>
                    }).collect_view()}
                    {more}
                </div>
            }
            .into_any()
        }
    }
    };

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1>{tr("Search")}</h1>
                    <p class="muted" data-testid="search-query">{move || q.get()}</p>
                </div>
            </div>
            {content}
        </div>
    }
}

#[component]
fn ResultRow(result: SearchResult) -> impl IntoView {
    let title = result
        .title
        .clone()
        .unwrap_or_else(|| kind_label(result.kind));
    view! {
        <li>
            <a href=result.path.clone() class="search-hit" data-testid="search-result">
                <span class="search-kind">{kind_label(result.kind)}</span>
                <span class="search-title">{title}</span>
                <span class="search-date muted">{format::date(result.date)}</span>
                <span class="search-snippet muted">{result.snippet.clone()}</span>
            </a>
        </li>
    }
}

fn kind_label(kind: SearchKind) -> String {
    match kind {
        SearchKind::Fuel => tr("Fuel"),
        SearchKind::Service => tr("Service"),
        SearchKind::Repair => tr("Repair"),
        SearchKind::Upgrade => tr("Upgrade"),
        SearchKind::Odometer => tr("Odometer"),
        SearchKind::Tax => tr("Tax"),
        SearchKind::Reminder => tr("Reminder"),
        SearchKind::Note => tr("Note"),
        SearchKind::Supply => tr("Supply"),
        SearchKind::Plan => tr("Plan"),
        SearchKind::Equipment => tr("Equipment"),
        SearchKind::Inspection => tr("Inspection"),
    }
}

/// The heading of a group of results.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Heading {
    /// A vehicle, by name.
    Vehicle(String),
    /// The shop's supplies, which belong to no vehicle.
    Shop,
}

impl Heading {
    fn text(&self) -> String {
        match self {
            Heading::Vehicle(name) => name.clone(),
            Heading::Shop => tr("Shop supplies"),
        }
    }

    fn testid(&self) -> &'static str {
        match self {
            Heading::Vehicle(_) => "search-group",
            Heading::Shop => "search-group-shop",
        }
    }
}

/// Results by vehicle, vehicles in the order their first (newest) result comes, then the shop
/// supplies (results without a vehicle).
fn group_results(results: Vec<SearchResult>) -> Vec<(Heading, Vec<SearchResult>)> {
    let mut groups: Vec<(i64, Heading, Vec<SearchResult>)> = Vec::new();
    let mut shop = Vec::new();
    for r in results {
        let Some(vehicle_id) = r.vehicle_id else {
            shop.push(r);
            continue;
        };
        match groups.iter_mut().find(|(id, _, _)| *id == vehicle_id) {
            Some((_, _, rows)) => rows.push(r),
            None => {
                let name = Heading::Vehicle(r.vehicle_name.clone().unwrap_or_default());
                groups.push((vehicle_id, name, vec![r]));
            }
        }
    }
    let mut out: Vec<(Heading, Vec<SearchResult>)> = groups
        .into_iter()
        .map(|(_, heading, rows)| (heading, rows))
        .collect();
    if !shop.is_empty() {
        out.push((Heading::Shop, shop));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn hit(vehicle_id: Option<i64>, record_id: i64) -> SearchResult {
        SearchResult {
            kind: if vehicle_id.is_some() {
                SearchKind::Fuel
            } else {
                SearchKind::Supply
            },
            vehicle_id,
            vehicle_name: vehicle_id.map(|id| format!("car {id}")),
            record_id,
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            title: None,
            snippet: String::new(),
            path: String::new(),
        }
    }

    fn shape(groups: Vec<(Heading, Vec<SearchResult>)>) -> Vec<(Heading, Vec<i64>)> {
        groups
            .into_iter()
            .map(|(h, rows)| (h, rows.iter().map(|r| r.record_id).collect()))
            .collect()
    }

    #[test]
    fn results_are_grouped_by_vehicle_in_first_seen_order() {
        let groups = group_results(vec![hit(Some(2), 1), hit(Some(1), 2), hit(Some(2), 3)]);
        assert_eq!(
            shape(groups),
            vec![
                (Heading::Vehicle("car 2".to_owned()), vec![1, 3]),
                (Heading::Vehicle("car 1".to_owned()), vec![2])
            ]
        );
    }

    #[test]
    fn shop_supplies_are_a_group_of_their_own_after_the_vehicles() {
        let groups = group_results(vec![
            hit(None, 5),
            hit(Some(2), 1),
            hit(None, 6),
            hit(Some(1), 2),
        ]);
        assert_eq!(
            shape(groups),
            vec![
                (Heading::Vehicle("car 2".to_owned()), vec![1]),
                (Heading::Vehicle("car 1".to_owned()), vec![2]),
                (Heading::Shop, vec![5, 6]),
            ]
        );
        // Only shop supplies: one group, titled as such.
        let only = group_results(vec![hit(None, 7)]);
        assert_eq!(shape(only.clone()), vec![(Heading::Shop, vec![7])]);
        assert_eq!(only[0].0.text(), "Shop supplies");
        assert_eq!(only[0].0.testid(), "search-group-shop");
    }
}
