//! Stickers: QR codes (SVG) deep-linking to a record or an add form (issue 8).
//!
//! The deep links of the web app, which stickers encode and other pages link to:
//! `/vehicles/{id}/{tab}?record={recordId}` opens (or highlights) a record,
//! `/vehicles/{id}/{tab}?add=1` opens the tab's add dialog. Fuel is the tab-less path
//! `/vehicles/{id}`.

use serde::{Deserialize, Serialize};

/// The query of `GET /api/v1/vehicles/{vehicleId}/stickers/qr.svg`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrQuery {
    /// A web app path under `/vehicles/{vehicleId}`; unset: the vehicle's "add fill-up" link.
    pub target: Option<String>,
}

/// The web app path of a tab: fuel is the vehicle page itself.
fn tab_path(vehicle_id: i64, tab: &str) -> String {
    if tab == "fuel" || tab.is_empty() {
        format!("/vehicles/{vehicle_id}")
    } else {
        format!("/vehicles/{vehicle_id}/{tab}")
    }
}

/// The deep link that opens one record of a tab.
pub fn record_link(vehicle_id: i64, tab: &str, record_id: i64) -> String {
    format!("{}?record={record_id}", tab_path(vehicle_id, tab))
}

/// The deep link that opens a tab's add dialog.
pub fn add_link(vehicle_id: i64, tab: &str) -> String {
    format!("{}?add=1", tab_path(vehicle_id, tab))
}

/// The API path of the QR code of `target` (a deep link of this vehicle).
pub fn qr_path(vehicle_id: i64, target: &str) -> String {
    format!(
        "/api/v1/vehicles/{vehicle_id}/stickers/qr.svg?target={}",
        encode_component(target)
    )
}

/// Percent-encodes all but the unreserved characters of RFC 3986 (and `/`, harmless in a query).
fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_deep_link_format() {
        let cases = [
            (
                record_link(3, "service", 17),
                "/vehicles/3/service?record=17",
            ),
            (record_link(3, "fuel", 5), "/vehicles/3?record=5"),
            (add_link(3, "fuel"), "/vehicles/3?add=1"),
            (add_link(3, "repair"), "/vehicles/3/repair?add=1"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn the_qr_path_encodes_the_target_as_one_query_value() {
        assert_eq!(
            qr_path(3, "/vehicles/3/service?record=17&x=a b"),
            "/api/v1/vehicles/3/stickers/qr.svg?target=/vehicles/3/service%3Frecord%3D17%26x%3Da%20b"
        );
        assert_eq!(
            qr_path(1, "é"),
            "/api/v1/vehicles/1/stickers/qr.svg?target=%C3%A9"
        );
    }
}
