//! The catalog against the source: every key has a translation with the same placeholders,
//! no translation is stale, and no view shows English text that bypasses `tr`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::*;

/// A string literal of a source file: its line, byte offset in the file, length in the file
/// and its (unescaped) text.
struct Literal {
    line: usize,
    start: usize,
    end: usize,
    text: String,
}

/// The string literals of Rust source outside comments (raw strings included).
fn literals(src: &str) -> Vec<Literal> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            let len = rest.find("*/").map_or(rest.len(), |e| e + 2);
            line += rest[..len].matches('\n').count();
            i += len;
        } else if rest.starts_with("r\"") || rest.starts_with("r#\"") {
            let hashes = rest[1..].find('"').unwrap_or(0);
            let close = format!("\"{}", "#".repeat(hashes));
            let open = 2 + hashes;
            let len = rest[open..]
                .find(&close)
                .map_or(rest.len(), |e| open + e + close.len());
            let text = rest[open..len - close.len()].to_owned();
            out.push(Literal {
                line,
                start: i,
                end: i + len,
                text,
            });
            line += rest[..len].matches('\n').count();
            i += len;
        } else if rest.starts_with('\'') {
            // A char literal ('"', '\'', 'x') or a lifetime ('static).
            let skip = if rest.starts_with("'\\") {
                rest[2..].find('\'').map_or(1, |e| e + 3)
            } else if rest.chars().nth(2) == Some('\'') {
                2 + rest[1..].chars().next().map_or(1, char::len_utf8)
            } else {
                1
            };
            i += skip;
        } else if rest.starts_with('"') {
            let mut j = 1;
            let mut text = String::new();
            let mut chars = rest[1..].char_indices().peekable();
            while let Some((k, c)) = chars.next() {
                j = k + 1 + c.len_utf8();
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some((_, 'n')) => text.push('\n'),
                        Some((_, 't')) => text.push('\t'),
                        Some((_, 'u')) => {
                            let mut hex = String::new();
                            for (_, h) in chars.by_ref() {
                                if h == '}' {
                                    break;
                                }
                                if h != '{' {
                                    hex.push(h);
                                }
                            }
                            let code = u32::from_str_radix(&hex, 16).unwrap();
                            text.push(char::from_u32(code).unwrap());
                        }
                        Some((_, '\n')) => {
                            while chars.peek().is_some_and(|(_, w)| w.is_whitespace()) {
                                chars.next();
                            }
                        }
                        Some((_, other)) => text.push(other),
                        None => {}
                    },
                    other => text.push(other),
                }
            }
            out.push(Literal {
                line,
                start: i,
                end: i + j,
                text,
            });
            line += rest[..j].matches('\n').count();
            i += j;
        } else {
            if bytes[i] == b'\n' {
                line += 1;
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The `.rs` files under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Each source file's code with its test modules blanked out (they are not shown to anyone);
/// offsets and lines stay those of the file.
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    rust_files(&root)
        .into_iter()
        .map(|path| {
            let src = std::fs::read_to_string(&path).unwrap();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            (name, without_tests(&src))
        })
        .collect()
}

fn without_tests(src: &str) -> String {
    let mut code = src.to_owned();
    let mut from = 0;
    while let Some(found) = code[from..].find("#[cfg(test)]") {
        let start = from + found;
        let rest = &code[start..];
        // `mod tests;` or `mod tests { … }`: up to the `;` or the matching brace.
        let end = match (rest.find(';'), rest.find('{')) {
            (Some(semi), Some(open)) if semi < open => start + semi + 1,
            (_, Some(open)) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                start + end
            }
            _ => code.len(),
        };
        let blank: String = code[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        code.replace_range(start..end, &blank);
        from = start + blank.len();
    }
    code
}

/// Whether the code right before a literal calls one of the translating functions on it.
fn translated(before: &str) -> bool {
    ["tr(", "trs(", "tr_fmt(", "mark("].iter().any(|f| {
        before.strip_suffix(f).is_some_and(|rest| {
            rest.ends_with("i18n::")
                || !rest
                    .ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == ':')
        })
    })
}

/// The keys the web code looks up.
fn keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (name, code) in sources("src") {
        if name.starts_with("i18n") {
            continue;
        }
        for lit in literals(&code) {
            if translated(code[..lit.start].trim_end()) {
                keys.insert(lit.text);
            }
        }
    }
    keys
}

fn catalog(lang: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("i18n/{lang}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Messages of the shared rules (`shared/src`), numbers and `{CONST}`s written as `{0}`, `{1}`…
/// as [`tr_dyn`] looks them up.
fn shared_messages() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, code) in sources("../shared/src") {
        for lit in literals(&code) {
            // `{MAX_TAGS}` stands for a number: written as one, then generalized like the rest.
            let mut text = String::new();
            let mut rest = lit.text.as_str();
            while let Some(open) = rest.find('{') {
                text.push_str(&rest[..open]);
                text.push('1');
                rest = rest[open..].find('}').map_or("", |c| &rest[open + c + 1..]);
            }
            text.push_str(rest);
            out.insert(generalize(&text).0);
            out.insert(lit.text);
        }
    }
    out
}

#[test]
fn every_key_is_translated_with_its_placeholders() {
    let keys = keys();
    assert!(keys.len() > 500, "only {} keys found", keys.len());
    for lang in LANGUAGES.iter().filter(|l| **l != "en") {
        let catalog = catalog(lang);
        let missing: Vec<&String> = keys.iter().filter(|k| !catalog.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "{lang}.json lacks {} keys: {missing:#?}",
            missing.len()
        );
        for (key, text) in &catalog {
            assert!(
                !text.trim().is_empty(),
                "{lang}.json: empty text for {key:?}"
            );
            assert_eq!(
                placeholders(key),
                placeholders(text),
                "{lang}.json: placeholders of {key:?} differ in {text:?}"
            );
        }
        let shared = shared_messages();
        let stale: Vec<&String> = catalog
            .keys()
            .filter(|k| !keys.contains(*k) && !shared.contains(*k))
            .collect();
        assert!(stale.is_empty(), "{lang}.json has stale keys: {stale:#?}");
    }
}

/// Attributes and component props whose value people read.
const TEXT_ATTRIBUTES: [&str; 17] = [
    "placeholder",
    "data-label",
    "aria-label",
    "title",
    "alt",
    "label",
    "hint",
    "text",
    "body",
    "confirm_label",
    "legend",
    "heading",
    "empty",
    "caption",
    "description",
    "message",
    "save_label",
];

/// Literals that are not language: units, codes and names.
const NOT_TEXT: [&str; 17] = [
    "mpg",
    "km",
    "mi",
    "L/100km",
    "km/L",
    "mpg (UK)",
    "MotoVaultPro",
    "LubeLogger",
    "CSV",
    "USD",
    "EUR",
    "GBP",
    "SEK",
    "English",
    "Deutsch",
    "Escape",
    "motovault restore --input FILE",
];

/// What a literal looks like it is for, when it is English shown without `tr`.
fn untranslated(code: &str, lit: &Literal) -> Option<&'static str> {
    let text = lit.text.trim();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 2 || NOT_TEXT.contains(&text) {
        return None;
    }
    let before = code[..lit.start].trim_end();
    let after = code[lit.end..].trim_start();
    if translated(before) {
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let slug = text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    // Class lists (`btn btn-primary`) and identifiers (`LicensePlate`) are not language.
    let class_list = text.contains('-')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || " -_".contains(c));
    let identifier = !text.contains(' ') && text.chars().skip(1).any(|c| c.is_uppercase());
    if class_list || identifier {
        return None;
    }
    let sentence =
        text.starts_with(|c: char| c.is_uppercase()) && text.contains(|c: char| c.is_lowercase());
    if let Some(attr) = before.strip_suffix('=') {
        let name = &attr[attr.trim_end_matches(word).len()..];
        return TEXT_ATTRIBUTES.contains(&name).then_some("attribute");
    }
    if (before.ends_with('>') && !before.ends_with("=>") || before.ends_with('}'))
        && (after.starts_with('<') || after.starts_with('{') || after.starts_with('"'))
    {
        return Some("element text");
    }
    // A class chosen by a condition (`class=if … { "a" } else { "b" }`) is not text.
    let for_class = before.rsplit('\n').take(4).any(|l| l.contains("class"));
    if before.ends_with('{') && after.starts_with('}') && !slug && !for_class {
        return Some("{text}");
    }
    if sentence
        && [".to_owned()", ".to_string()", ".into()"]
            .iter()
            .any(|s| after.starts_with(s))
    {
        return Some("message");
    }
    if sentence && before.ends_with("=>") && (after.starts_with(',') || after.starts_with('}')) {
        return Some("label");
    }
    if let Some(call) = before.strip_suffix("format!(") {
        // Words besides the placeholders, unless it builds a class, a path or a selector.
        let words = text
            .split_whitespace()
            .filter(|w| !w.starts_with('{') && w.contains(|c: char| c.is_lowercase()))
            .any(|w| {
                w.trim_matches(|c: char| !c.is_alphabetic())
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    >= 2
                    && w.chars()
                        .all(|c| c.is_alphabetic() || ".,:;!?()'’“”…".contains(c))
            });
        let markup = call.trim_end().ends_with("class=")
            || text.contains(['/', '#', '=', '<'])
            || text.contains(" .");
        return (words && !markup).then_some("formatted text");
    }
    if before.ends_with(',')
        && before.contains("FieldError::new(")
        && before[before.rfind("FieldError::new(").unwrap_or(0)..]
            .matches(',')
            .count()
            == 1
    {
        return Some("field message");
    }
    let exempt = [
        "unreachable!(",
        "panic!(",
        "query_selector(",
        "expect(",
        "==",
        "!=",
        "starts_with(",
        "set_attribute(",
        "get_item(",
        "set_item(",
        "key(",
    ];
    if sentence && !text.contains('{') && !exempt.iter().any(|e| before.ends_with(e)) {
        return Some("text");
    }
    None
}

#[test]
fn views_show_no_untranslated_text() {
    let mut found = Vec::new();
    for (name, code) in sources("src") {
        // Not views: the catalog itself, API calls, markdown rendering and the locale's own
        // month abbreviations (formatting follows the locale setting, not the language).
        let skipped = ["i18n.rs", "markdown.rs", "format.rs"];
        if skipped.contains(&name.as_str()) || name.starts_with("api/") || name.starts_with("i18n/")
        {
            continue;
        }
        for lit in literals(&code) {
            if let Some(kind) = untranslated(&code, &lit) {
                found.push(format!("{name}:{}: {kind} {:?}", lit.line, lit.text));
            }
        }
    }
    assert!(
        found.is_empty(),
        "wrap these in tr(…) (or add them to NOT_TEXT):\n{}",
        found.join("\n")
    );
}

#[test]
fn lookups_fall_back_to_the_english_text() {
    let mut catalog = BTreeMap::new();
    catalog.insert("Save".to_owned(), "Speichern".to_owned());
    assert_eq!(lookup(Some(&catalog), "Save"), "Speichern");
    assert_eq!(lookup(Some(&catalog), "Cancel"), "Cancel");
    assert_eq!(lookup(None, "Save"), "Save");
    // Nothing is loaded in tests: English.
    assert_eq!(tr("Save"), "Save");
    assert_eq!(language(), "en");
}

#[test]
fn placeholders_are_filled_in_any_order() {
    assert_eq!(
        tr_fmt("{n} records of {name}", &[("name", "Civic"), ("n", "3")]),
        "3 records of Civic"
    );
    assert_eq!(
        fill("{name}: {n} Einträge", &[("n", "3"), ("name", "Civic")]),
        "Civic: 3 Einträge"
    );
    // A placeholder without a value stays visible rather than vanishing.
    assert_eq!(fill("{n} left", &[]), "{n} left");
}

#[test]
fn messages_of_the_shared_rules_translate_with_their_numbers() {
    let mut catalog = BTreeMap::new();
    catalog.insert("is required".to_owned(), "ist erforderlich".to_owned());
    catalog.insert(
        "must be between {0} and {1}".to_owned(),
        "muss zwischen {0} und {1} liegen".to_owned(),
    );
    assert_eq!(translate(Some(&catalog), "is required"), "ist erforderlich");
    assert_eq!(
        translate(Some(&catalog), "must be between 0 and 99999999"),
        "muss zwischen 0 und 99999999 liegen"
    );
    assert_eq!(translate(Some(&catalog), "is odd"), "is odd");
    assert_eq!(translate(None, "is required"), "is required");
    assert_eq!(
        generalize("at most 20 tags, 1.5 each").0,
        "at most {0} tags, {1} each"
    );
}

#[test]
fn browser_languages_map_to_supported_ones() {
    assert_eq!(supported("de-AT"), "de");
    assert_eq!(supported("DE"), "de");
    assert_eq!(supported("en-GB"), "en");
    assert_eq!(supported("fr-FR"), "en");
    assert_eq!(supported(""), "en");
}
