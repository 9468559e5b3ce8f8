//! `/api/v1/vehicles/{id}/reports/…`: the cost table and the vehicle history report.

use motovault_shared::dto::reports::{CostTable, HistoryFilter, VehicleHistory};

use super::{ApiError, client};

pub async fn cost_table(vehicle_id: i64, year: i32) -> Result<CostTable, ApiError> {
    client::get(&format!(
        "/vehicles/{vehicle_id}/reports/cost-table?year={year}"
    ))
    .await
}

pub async fn history(vehicle_id: i64, filter: &HistoryFilter) -> Result<VehicleHistory, ApiError> {
    client::get(&format!(
        "/vehicles/{vehicle_id}/reports/history{}",
        history_query(filter)
    ))
    .await
}

/// `?from=…&to=…&tags=a,b&tagMode=…`, only what is set (empty without any filter).
pub fn history_query(filter: &HistoryFilter) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(from) = filter.from {
        parts.push(format!("from={from}"));
    }
    if let Some(to) = filter.to {
        parts.push(format!("to={to}"));
    }
    if !filter.tags.is_empty() {
        let tags: Vec<String> = filter.tags.iter().map(|t| encode(t)).collect();
        parts.push(format!("tags={}", tags.join(",")));
        parts.push(format!("tagMode={}", filter.tag_mode.as_str()));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), byte by byte.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use motovault_shared::dto::reports::TagMode;

    use super::*;

    #[test]
    fn the_query_carries_only_what_is_set() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let cases = [
            (HistoryFilter::default(), ""),
            (
                HistoryFilter {
                    from: d("2024-01-01"),
                    to: d("2024-12-31"),
                    ..HistoryFilter::default()
                },
                "?from=2024-01-01&to=2024-12-31",
            ),
            (
                HistoryFilter {
                    tags: vec!["trip".into(), "a&b,c".into(), "öl".into()],
                    tag_mode: TagMode::Exclude,
                    ..HistoryFilter::default()
                },
                "?tags=trip,a%26b%2Cc,%C3%B6l&tagMode=exclude",
            ),
        ];
        for (filter, want) in cases {
            assert_eq!(history_query(&filter), want);
        }
    }
}
