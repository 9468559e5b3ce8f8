//! Progress of long operations (uploads, imports, backups, bulk edits) and action feedback.
//!
//! [`ProgressBar`] is determinate while a total is known (`role="progressbar"` with
//! `aria-valuenow`) and indeterminate otherwise (a server still processing, a download without
//! `Content-Length`). Confirmations go through [`crate::components::alert::Notice`], a live
//! region; the pure formatting below is unit-tested on the host.

use leptos::prelude::*;

use crate::i18n::{tr, tr_fmt};

/// How far an operation is: bytes sent or received, or items done, out of a total when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: u64,
    pub total: Option<u64>,
}

impl Progress {
    pub fn new(done: u64, total: Option<u64>) -> Self {
        Progress {
            done,
            total: total.filter(|t| *t > 0),
        }
    }

    /// Whole percent done (0–100), when the total is known.
    pub fn percent(self) -> Option<u8> {
        let total = self.total?;
        let pct = self.done.min(total).saturating_mul(100) / total;
        u8::try_from(pct).ok()
    }

    /// Everything sent: what is left is the server's work.
    pub fn complete(self) -> bool {
        self.total.is_some_and(|t| self.done >= t)
    }
}

/// A byte count for people: `512 B`, `14 KB`, `3.4 MB`, `1.2 GB` (binary multiples).
pub fn bytes(n: u64) -> String {
    const KB: u64 = 1 << 10;
    const MB: u64 = 1 << 20;
    const GB: u64 = 1 << 30;
    match n {
        n if n >= GB => format!("{:.1} GB", n as f64 / GB as f64),
        n if n >= MB => format!("{:.1} MB", n as f64 / MB as f64),
        n if n >= KB => format!("{} KB", (n + KB / 2) / KB),
        n => format!("{n} B"),
    }
}

/// `340 KB of 1.2 MB (28%)`, or just `340 KB` without a total.
pub fn bytes_detail(p: Progress) -> String {
    match (p.total, p.percent()) {
        (Some(total), Some(pct)) => tr_fmt(
            "{done} of {total} ({percent}%)",
            &[
                ("done", &bytes(p.done)),
                ("total", &bytes(total)),
                ("percent", &pct.to_string()),
            ],
        ),
        _ => bytes(p.done),
    }
}

/// `2 of 5`: items done out of the total.
pub fn count_detail(p: Progress) -> String {
    match p.total {
        Some(total) => tr_fmt(
            "{done} of {total}",
            &[("done", &p.done.to_string()), ("total", &total.to_string())],
        ),
        None => p.done.to_string(),
    }
}

/// A labelled bar. `progress` `None`, or one without a total, draws the indeterminate bar
/// (no `aria-valuenow`, as ARIA asks); `detail` is the text next to the label and the bar's
/// `aria-valuetext`.
#[component]
pub fn ProgressBar(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] progress: Signal<Option<Progress>>,
    #[prop(into)] detail: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    let percent = move || progress.get().and_then(Progress::percent);
    view! {
        <div
            class="progress"
            class:progress-indeterminate=move || percent().is_none()
            data-testid=testid
        >
            <div class="progress-caption">
                <span class="progress-label">{move || label.get()}</span>
                <span class="progress-detail" data-testid="progress-detail">{move || detail.get()}</span>
            </div>
            <div
                class="progress-track"
                role="progressbar"
                aria-label=move || label.get()
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().map(|p| p.to_string())
                aria-valuetext=move || Some(detail.get()).filter(|d| !d.is_empty())
                aria-busy="true"
            >
                <div
                    class="progress-fill"
                    style:width=move || percent().map(|p| format!("{p}%"))
                ></div>
            </div>
        </div>
    }
}

/// The bar of a file going up (`progress`), then the server's turn: once every byte is sent
/// (or no upload event came, `None`) it says `processing` without a measure.
#[component]
pub fn UploadProgress(
    /// "Uploading bills.csv", "Importing 120 rows"…
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] progress: Signal<Option<Progress>>,
    testid: &'static str,
) -> impl IntoView {
    let sending = move || {
        progress
            .get()
            .filter(|p| !p.complete() && p.total.is_some())
    };
    let shown_label = Signal::derive(move || match sending() {
        Some(_) => label.get(),
        None => tr("Processing…"),
    });
    let detail = Signal::derive(move || sending().map(bytes_detail).unwrap_or_default());
    view! { <ProgressBar label=shown_label progress=Signal::derive(sending) detail testid /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_whole_and_capped() {
        let cases = [
            (0, Some(200), Some(0)),
            (50, Some(200), Some(25)),
            (199, Some(200), Some(99)),
            (200, Some(200), Some(100)),
            // A server that sends more than it announced does not go past 100.
            (300, Some(200), Some(100)),
            (1, Some(3), Some(33)),
            (10, None, None),
            // A zero total is no total.
            (0, Some(0), None),
        ];
        for (done, total, want) in cases {
            assert_eq!(
                Progress::new(done, total).percent(),
                want,
                "{done}/{total:?}"
            );
        }
    }

    #[test]
    fn complete_needs_the_total() {
        assert!(Progress::new(200, Some(200)).complete());
        assert!(!Progress::new(199, Some(200)).complete());
        assert!(!Progress::new(200, None).complete());
    }

    #[test]
    fn bytes_use_binary_multiples() {
        let cases = [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1 KB"),
            // 1536 B rounds half up to 2 KB.
            (1536, "2 KB"),
            (348_160, "340 KB"),
            (1_048_576, "1.0 MB"),
            // 1.2 × 1 048 576 = 1 258 291
            (1_258_291, "1.2 MB"),
            (3_221_225_472, "3.0 GB"),
        ];
        for (n, want) in cases {
            assert_eq!(bytes(n), want, "{n}");
        }
    }

    #[test]
    fn details_say_what_is_known() {
        // 348 160 of 1 258 291 bytes = 27.67 % → 27 % (whole percent, rounded down).
        assert_eq!(
            bytes_detail(Progress::new(348_160, Some(1_258_291))),
            "340 KB of 1.2 MB (27%)"
        );
        assert_eq!(bytes_detail(Progress::new(348_160, None)), "340 KB");
        assert_eq!(count_detail(Progress::new(2, Some(5))), "2 of 5");
        assert_eq!(count_detail(Progress::new(2, None)), "2");
    }
}
