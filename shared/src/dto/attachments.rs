//! Attachments of a record (reference §1 "Attachments", §2.2 `UploadedFiles`): uploaded files,
//! external links and links to another record of the same vehicle, plus the rules for names, extensions and links that the web form checks
//! before uploading.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{MAX_TEXT, text};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Longest accepted link.
pub const MAX_URL: usize = 2000;
/// Extensions a vehicle image may have (its content must match one of these formats too).
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "webp"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum AttachmentKind {
    /// An uploaded file, downloadable from the attachment's URL.
    File,
    /// An external http(s) link.
    Url,
    /// Another record of the same vehicle (`recordLink` names it).
    RecordLink,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::File => "file",
            AttachmentKind::Url => "url",
            AttachmentKind::RecordLink => "record_link",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "file" => Some(AttachmentKind::File),
            "url" => Some(AttachmentKind::Url),
            "record_link" => Some(AttachmentKind::RecordLink),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub kind: AttachmentKind,
    /// Files only.
    pub content_type: Option<String>,
    /// Files only.
    pub size_bytes: Option<i64>,
    /// Links only: the external address.
    pub url: Option<String>,
    /// Record links only: the record pointed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_link: Option<RecordLinkTarget>,
    pub created_at: DateTime<Utc>,
}

/// The record a record link points at, enough for the web app to link to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecordLinkTarget {
    /// The record's collection under the vehicle (`service-records`, `notes`, …).
    pub record_type: String,
    pub record_id: i64,
    /// Its description or title, or its kind and date when it has none ("Fuel record
    /// 2024-03-01").
    pub title: String,
    /// Its date (the creation date for notes, plans and equipment).
    pub date: NaiveDate,
}

/// `POST …/attachments/record-links`: a link to another record of the same vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordLinkInput {
    /// The target's collection under the vehicle (`service-records`, `notes`, …).
    pub record_type: String,
    pub record_id: i64,
    /// Shown instead of the target's title; empty = the title.
    #[serde(default)]
    pub name: String,
}

pub fn validate_record_link(input: &RecordLinkInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    text(
        &mut errors,
        "recordType",
        &input.record_type,
        true,
        MAX_TEXT,
    );
    if input.record_id <= 0 {
        errors.push(FieldError::new("recordId", "must be a record id"));
    }
    text(&mut errors, "name", &input.name, false, MAX_TEXT);
    errors
}

/// `POST …/attachments/links`: an external link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkInput {
    pub name: String,
    /// `http://` or `https://` only.
    pub url: String,
}

pub fn validate_link(input: &LinkInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    text(&mut errors, "name", &input.name, true, MAX_TEXT);
    let url = input.url.trim();
    if url.is_empty() {
        errors.push(FieldError::new("url", "is required"));
    } else if url.chars().count() > MAX_URL {
        errors.push(FieldError::new(
            "url",
            format!("must be at most {MAX_URL} characters"),
        ));
    } else if !is_web_url(url) {
        errors.push(FieldError::new(
            "url",
            "must be an http:// or https:// address",
        ));
    }
    errors
}

/// `http(s)://host…` with no spaces or control characters (so no `javascript:` or `data:` links).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The lowercase extension of a file name, without the dot (`"Scan.PDF"` → `"pdf"`).
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Whether `name` may be uploaded under the configured list (reference default
/// `.png,.jpg,.jpeg,.pdf,.xls,.xlsx,.docx`; `*` allows everything). Entries may omit the dot
/// and are compared case-insensitively.
pub fn extension_allowed(name: &str, allowed: &str) -> bool {
    let entries: Vec<String> = allowed
        .split(',')
        .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .collect();
    if entries.iter().any(|e| e == "*") {
        return true;
    }
    extension(name).is_some_and(|ext| entries.contains(&ext))
}

/// The name kept for a file: the last path segment the browser sent, without control
/// characters, trimmed and at most `MAX_TEXT` characters (the extension survives shortening).
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.chars().count() <= MAX_TEXT {
        return cleaned.to_owned();
    }
    let ext = extension(cleaned).filter(|e| e.chars().count() < 20);
    let keep = MAX_TEXT - ext.as_ref().map_or(0, |e| e.chars().count() + 1);
    let stem: String = cleaned.chars().take(keep).collect();
    match ext {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// The problems with a file before any byte is stored: a usable name and an allowed extension.
pub fn validate_file_name(name: &str, allowed: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("file", "needs a file name"));
    } else if !extension_allowed(name, allowed) {
        errors.push(FieldError::new(
            "file",
            format!("this file type is not allowed (allowed: {allowed})"),
        ));
    }
    errors
}

/// The image format of the first bytes of a file, as an extension, if it is one we show.
pub fn sniff_image(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &str = ".png,.jpg,.jpeg,.pdf,.xls,.xlsx,.docx";

    #[test]
    fn extensions_follow_the_configured_list() {
        let cases = [
            ("receipt.pdf", DEFAULT, true),
            ("Receipt.PDF", DEFAULT, true),
            ("photo.jpeg", DEFAULT, true),
            ("archive.tar.xlsx", DEFAULT, true),
            ("script.exe", DEFAULT, false),
            ("pdf", DEFAULT, false),
            (".pdf", DEFAULT, false),
            ("noext", DEFAULT, false),
            ("trailing.", DEFAULT, false),
            ("script.exe", "*", true),
            ("noext", "*", true),
            ("notes.TXT", " txt , .md", true),
            ("notes.md", "txt,.md", true),
            ("notes.doc", "txt,.md", false),
        ];
        for (name, allowed, expected) in cases {
            assert_eq!(
                extension_allowed(name, allowed),
                expected,
                "{name} / {allowed}"
            );
        }
        assert_eq!(validate_file_name("", DEFAULT)[0].field, "file");
        assert_eq!(validate_file_name("x.exe", DEFAULT)[0].field, "file");
        assert!(validate_file_name("x.png", DEFAULT).is_empty());
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\me\\scan.pdf"), "scan.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(" a\r\nb\t.pdf "), "ab.pdf");
        assert_eq!(clean_file_name("reçu \"été\".pdf"), "reçu \"été\".pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        let cleaned = clean_file_name(&long);
        assert_eq!(cleaned.chars().count(), MAX_TEXT);
        assert!(cleaned.ends_with(".pdf"));
    }

    #[test]
    fn links_must_be_web_addresses() {
        let ok = LinkInput {
            name: "Manual".into(),
            url: "https://example.com/manual.pdf".into(),
        };
        assert!(validate_link(&ok).is_empty());
        for (url, valid) in [
            ("http://example.com", true),
            ("HTTPS://Example.com/a?b#c", true),
            ("javascript:alert(1)", false),
            ("data:text/html,hi", false),
            ("ftp://example.com", false),
            ("https://", false),
            ("https:///path", false),
            ("https://exa mple.com", false),
            ("//example.com", false),
        ] {
            assert_eq!(is_web_url(url), valid, "{url}");
        }
        let bad = LinkInput {
            name: " ".into(),
            url: "file:///etc/passwd".into(),
        };
        let fields: Vec<_> = validate_link(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "url"]);
        let long = LinkInput {
            name: "x".into(),
            url: format!("https://e.com/{}", "a".repeat(MAX_URL)),
        };
        assert_eq!(validate_link(&long)[0].field, "url");
    }

    #[test]
    fn record_links_need_a_type_and_an_id() {
        let ok = RecordLinkInput {
            record_type: "service-records".into(),
            record_id: 3,
            name: String::new(),
        };
        assert!(validate_record_link(&ok).is_empty());
        let bad = RecordLinkInput {
            record_type: " ".into(),
            record_id: 0,
            name: "x".repeat(MAX_TEXT + 1),
        };
        let fields: Vec<_> = validate_record_link(&bad)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["recordType", "recordId", "name"]);
        assert_eq!(
            AttachmentKind::parse(AttachmentKind::RecordLink.as_str()),
            Some(AttachmentKind::RecordLink)
        );
    }

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n\0\0"), Some("png"));
        assert_eq!(sniff_image(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpg"));
        assert_eq!(sniff_image(b"RIFF\x10\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(sniff_image(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(sniff_image(b"<html>"), None);
        assert_eq!(sniff_image(b""), None);
    }
}
