//! `GET /api/v1/search?q=`: global search results.

use motovault_shared::dto::search::SearchResults;

use super::{ApiError, client};

pub async fn search(q: String) -> Result<SearchResults, ApiError> {
    client::get(&format!("/search?q={}", encode(&q))).await
}

/// Percent-encodes a query-string value: everything but unreserved ASCII (RFC 3986).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("oil filter"), "oil%20filter");
        assert_eq!(encode("a&b=c#d%"), "a%26b%3Dc%23d%25");
        assert_eq!(encode("PN-778_x.y~"), "PN-778_x.y~");
        assert_eq!(encode("é"), "%C3%A9");
    }
}
