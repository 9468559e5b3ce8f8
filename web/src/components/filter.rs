//! The per-tab filter box: narrows what a tab shows to the items containing the typed text.
//!
//! It works on the rendered items, like the sort: the box finds its scope (the closest
//! `[data-filter-scope]` ancestor: a table card, the planner) and hides the scope's table rows
//! (`tbody > tr`) and `[data-filter-item]` elements whose text lacks the filter
//! (case-insensitive). A refetched list renders anew and shows every item until the next key.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::tr;

/// Whether an item with text `text` stays visible under the filter `needle` (trimmed,
/// lower-cased by the caller).
pub fn keeps(text: &str, needle: &str) -> bool {
    needle.is_empty() || text.to_lowercase().contains(needle)
}

fn apply(scope: &web_sys::Element, filter: &str) {
    let needle = filter.trim().to_lowercase();
    let Ok(items) = scope.query_selector_all("tbody > tr, [data-filter-item]") else {
        return;
    };
    for i in 0..items.length() {
        let Some(item) = items
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let keep = keeps(&item.text_content().unwrap_or_default(), &needle);
        let _ = item.toggle_attribute_with_force("hidden", !keep);
    }
}

#[component]
pub fn FilterBox() -> impl IntoView {
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let scope = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|input| input.closest("[data-filter-scope]").ok().flatten());
        if let Some(scope) = scope {
            apply(&scope, &text);
        }
    };
    view! {
        <input
            type="search"
            class="tab-filter"
            data-testid="tab-filter"
            placeholder=tr("Filter")
            aria-label=tr("Filter records")
            on:input=on_input
        />
    }
}

#[cfg(test)]
mod tests {
    use super::keeps;

    #[test]
    fn items_stay_when_they_contain_the_filter_in_any_case() {
        let cases = [
            ("Oil change 5W-30", "", true),
            ("Oil change 5W-30", "5w-30", true),
            ("Oil change 5W-30", "oil", true),
            ("Oil change 5W-30", "brake", false),
            ("Ölwechsel", "öl", true),
        ];
        for (text, needle, kept) in cases {
            assert_eq!(keeps(text, needle), kept, "{text:?} / {needle:?}");
        }
    }
}
