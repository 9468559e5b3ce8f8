//! Stickers: QR codes (SVG) deep-linking to a record or an add form (issue 8).
//!
//! The code encodes `{origin}{target}`, where `target` is a web app path of the vehicle. Only
//! such paths are accepted, so the endpoint cannot be used to make QR codes that send people
//! elsewhere (open redirect) or that carry arbitrary text.

use std::fmt::Write as _;

use motovault_shared::dto::stickers::add_link;
use qrcodegen::{QrCode, QrCodeEcc};
use sea_orm::DatabaseConnection;

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

/// Longest accepted target: deep links are short, and a QR code of a long text gets too dense
/// to scan from a small sticker.
pub const MAX_TARGET_LEN: usize = 300;
/// Light modules around the code, as the QR standard asks (the "quiet zone").
const BORDER: i32 = 4;
/// Pixels per module of the SVG's intrinsic size (pages scale it anyway).
const MODULE_PX: i32 = 4;

/// The QR code (SVG) of `origin` + `target` for a vehicle the caller may see. Without a target,
/// the vehicle's "add fill-up" link (the sticker for the car).
pub async fn qr_svg(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    origin: &str,
    target: Option<&str>,
) -> AppResult<String> {
    let target = match target {
        Some(t) => {
            check_target(vehicle_id, t)?;
            t.to_owned()
        }
        None => add_link(vehicle_id, "fuel"),
    };
    visible(db, caller, vehicle_id).await?;
    render_svg(&format!("{origin}{target}"))
        .ok_or_else(|| AppError::field("target", "is too long for a QR code"))
}

/// Accepts `/vehicles/{id}`, optionally followed by `/segment…` of letters, digits, `-` and
/// `_`, and a `?query` of those and `=&,.%+`. Rejects everything else: other vehicles, other
/// pages, `..`, `//host`, schemes, backslashes, fragments, spaces and control characters.
pub fn check_target(vehicle_id: i64, target: &str) -> AppResult<()> {
    let invalid = |message: &str| Err(AppError::field("target", message));
    if target.len() > MAX_TARGET_LEN {
        return invalid("must be at most 300 characters");
    }
    let prefix = format!("/vehicles/{vehicle_id}");
    let Some(rest) = target.strip_prefix(&prefix) else {
        return invalid("must be a page of this vehicle (/vehicles/{id}…)");
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let slug = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let path_ok = path.is_empty()
        || path.strip_prefix('/').is_some_and(|p| {
            p.split('/')
                .all(|seg| !seg.is_empty() && seg.chars().all(slug))
        });
    if !path_ok {
        return invalid("must be a page of this vehicle (/vehicles/{id}…)");
    }
    let query_ok = query.is_none_or(|q| q.chars().all(|c| slug(c) || "=&,.%+".contains(c)));
    if !query_ok {
        return invalid("has characters a link of this app never contains");
    }
    Ok(())
}

/// `text` as an SVG QR code (error correction M), one path of merged horizontal runs; `None`
/// when the text does not fit in a QR code.
pub fn render_svg(text: &str) -> Option<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let dim = size + 2 * BORDER;
    let px = dim * MODULE_PX;
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            let run = x - start;
            // Writing into a String cannot fail.
            let _ = write!(path, "M{},{}h{run}v1h-{run}z", start + BORDER, y + BORDER);
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {dim} {dim}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{dim}" height="{dim}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_code_has_its_size_and_three_finder_patterns() {
        // "HELLO" fits version 1: 21 modules + 2 × 4 border = 29, drawn at 4 px a module.
        let svg = render_svg("HELLO").unwrap();
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(
            svg.contains(r#"viewBox="0 0 29 29" width="116" height="116""#),
            "{svg}"
        );
        // The top edge of each finder pattern is a run of 7 dark modules (the separator after
        // it is light): top left at (4,4), top right at (18,4), bottom left at (4,18).
        for run in ["M4,4h7v1h-7z", "M18,4h7v1h-7z", "M4,18h7v1h-7z"] {
            assert!(svg.contains(run), "{run} in {svg}");
        }
        // The second row of the top-left finder: dark, five light, dark.
        assert!(svg.contains("M4,5h1v1h-1z"), "{svg}");
        assert!(svg.contains("M10,5h1v1h-1z"), "{svg}");
        // Nothing is drawn in the quiet zone.
        assert!(!svg.contains("M0,") && !svg.contains(",0h"), "{svg}");
    }

    #[test]
    fn longer_texts_take_larger_versions_and_different_texts_differ() {
        let url = "http://127.0.0.1:8080/vehicles/1/service?record=2";
        let svg = render_svg(url).unwrap();
        // 49 bytes at level M need version 4: 33 modules + 8 border.
        assert!(svg.contains(r#"viewBox="0 0 41 41""#), "{svg}");
        let other = render_svg("http://127.0.0.1:8080/vehicles/1/service?record=3").unwrap();
        assert_ne!(svg, other);
        assert_eq!(svg, render_svg(url).unwrap(), "rendering is deterministic");
    }

    #[test]
    fn text_beyond_the_capacity_of_a_qr_code_is_refused() {
        assert!(render_svg(&"x".repeat(3000)).is_none());
    }

    #[test]
    fn only_pages_of_the_vehicle_are_accepted() {
        let good = [
            "/vehicles/7",
            "/vehicles/7?add=1",
            "/vehicles/7/service",
            "/vehicles/7/service?record=12",
            "/vehicles/7/fuel?add=1",
            "/vehicles/7/stickers?tab=service&ids=1,2,3",
            "/vehicles/7/tax_records?record=1%2C2",
        ];
        for target in good {
            assert!(
                check_target(7, target).is_ok(),
                "{target} is a link of vehicle 7"
            );
        }
        let long = format!("/vehicles/7?add={}", "1".repeat(MAX_TARGET_LEN));
        let bad = [
            "",
            "/",
            "/vehicles",
            "/vehicles/",
            "/vehicles/8",
            "/vehicles/70",
            "/vehicles/7x",
            "/vehicles/77/service",
            "vehicles/7",
            "https://evil.example/vehicles/7",
            "//evil.example/vehicles/7",
            "/vehicles/7/../../admin",
            "/vehicles/7/./service",
            "/vehicles/7//service",
            "/vehicles/7/",
            "/vehicles/7\\service",
            "/vehicles/7/service#x",
            "/vehicles/7/service?x=<script>",
            "/vehicles/7/service?x=a b",
            "/vehicles/7?next=//evil.example",
            "/vehicles/7/serv\u{e9}ce",
            "/vehicles/7/service\n",
            "/settings",
            long.as_str(),
        ];
        for target in bad {
            let err = check_target(7, target).expect_err(target);
            assert!(
                matches!(&err, AppError::Validation(fields) if fields[0].field == "target"),
                "{target}: {err:?}"
            );
        }
    }
}
