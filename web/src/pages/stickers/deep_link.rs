//! Deep links into the vehicle tabs, as stickers' QR codes encode them (format in
//! `motovault_shared::dto::stickers`): `?record=ID` opens or highlights a record, `?add=1`
//! opens the tab's add dialog. The query is read once, when a tab mounts.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeepLink {
    pub record: Option<i64>,
    pub add: bool,
}

impl DeepLink {
    /// The current page's link, read once (a later change of the query opens nothing).
    pub fn read() -> DeepLink {
        use_query_map().with_untracked(|q| parse(q.get_str("record"), q.get_str("add")))
    }

    pub fn is_some(self) -> bool {
        self.add || self.record.is_some()
    }

    /// Scrolls to the linked record's row once it is rendered, and marks it (CSS
    /// `[data-linked]`).
    pub fn highlight(self) {
        if let Some(id) = self.record {
            // Record rows of every tab, and the planner's cards.
            let selector = format!("tr[data-record-id=\"{id}\"], [data-plan-id=\"{id}\"]");
            find_and_mark(selector, 50);
        }
    }
}

/// [`DeepLink::read`] and [`DeepLink::highlight`]: all a tab needs that opens no dialog.
pub fn follow() {
    DeepLink::read().highlight();
}

fn parse(record: Option<&str>, add: Option<&str>) -> DeepLink {
    DeepLink {
        record: record
            .and_then(|r| r.parse::<i64>().ok())
            .filter(|id| *id > 0),
        add: add == Some("1"),
    }
}

/// Looks for the row every 100 ms until it is there (the list loads on its own), at most
/// `tries` times.
fn find_and_mark(selector: String, tries: u32) {
    if let Ok(Some(row)) = document().query_selector(&selector) {
        let _ = row.set_attribute("data-linked", "");
        row.scroll_into_view();
        return;
    }
    if tries > 0 {
        set_timeout(
            move || find_and_mark(selector, tries - 1),
            std::time::Duration::from_millis(100),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_a_record_or_the_add_dialog() {
        let cases = [
            (
                (Some("12"), None),
                DeepLink {
                    record: Some(12),
                    add: false,
                },
            ),
            (
                (None, Some("1")),
                DeepLink {
                    record: None,
                    add: true,
                },
            ),
            ((Some("0"), Some("yes")), DeepLink::default()),
            ((Some("-3"), None), DeepLink::default()),
            ((Some("x"), None), DeepLink::default()),
            ((None, None), DeepLink::default()),
        ];
        for ((record, add), want) in cases {
            assert_eq!(parse(record, add), want, "{record:?} {add:?}");
        }
    }
}
