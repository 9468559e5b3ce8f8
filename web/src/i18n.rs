//! Translations of the web app's text. The English text is the key; `tr` looks it up in the
//! catalog of the user's language (Settings) and falls back to the English text.
//!
//! The catalog (`web/i18n/<lang>.json`, copied to `dist/i18n/`) is fetched once before the app
//! mounts and never changes afterwards: a new language reloads the page. So lookups need no
//! reactivity, and a translation can be `&'static` ([`trs`]) where a component wants one.
//!
//! Field messages come from the shared rules in English (the server uses them too); the web
//! translates them where it shows them ([`tr_dyn`], numbers as `{0}`, `{1}`…). The server's own
//! problem `detail` texts stay English: they are the API's, shown only for errors the web does not
//! foresee. Numbers, dates and money follow the separate locale setting (`crate::format`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use leptos::prelude::{document, window};
use motovault_shared::dto::LANGUAGES;

/// The language whose catalog is loaded, and the catalog (empty for English).
static CATALOG: OnceLock<(&'static str, BTreeMap<String, String>)> = OnceLock::new();

/// Where the chosen language is remembered between visits (before anyone signs in).
const STORAGE_KEY: &str = "motovault.lang";

/// The text of `key` in the user's language. (These lookups are called from hundreds of
/// places: never inlined, so the bundle holds one copy.)
#[inline(never)]
pub fn tr(key: &'static str) -> String {
    trs(key).to_owned()
}

/// `tr(key)` with each `{name}` replaced by its value.
#[inline(never)]
pub fn tr_fmt(key: &'static str, args: &[(&str, &str)]) -> String {
    fill(trs(key), args)
}

fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `tr` for the places that want a `&'static str` (component props, tables).
#[inline(never)]
pub fn trs(key: &'static str) -> &'static str {
    lookup(CATALOG.get().map(|(_, c)| c), key)
}

/// Marks a key that is translated where it is shown (`tr(text)` on a table's `&'static str`),
/// so the catalog test finds it.
pub const fn mark(key: &'static str) -> &'static str {
    key
}

/// Translates a message that arrives at run time (the shared rules' English messages, also
/// the server's field errors): the catalog's text when it knows the message, with its numbers
/// written `{0}`, `{1}`…, else the message as it is.
#[inline(never)]
pub fn tr_dyn(text: &str) -> String {
    translate(CATALOG.get().map(|(_, c)| c), text)
}

fn translate(catalog: Option<&BTreeMap<String, String>>, text: &str) -> String {
    let Some(catalog) = catalog else {
        return text.to_owned();
    };
    if let Some(found) = catalog.get(text) {
        return found.clone();
    }
    let (key, numbers) = generalize(text);
    match catalog.get(&key) {
        Some(found) => {
            let names: Vec<String> = (0..numbers.len()).map(|i| i.to_string()).collect();
            let args: Vec<(&str, &str)> = names
                .iter()
                .zip(&numbers)
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            fill(found, &args)
        }
        None => text.to_owned(),
    }
}

/// `at most 20 tags` → (`at most {0} tags`, [`20`]).
fn generalize(text: &str) -> (String, Vec<String>) {
    let mut key = String::new();
    let mut numbers: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = c.to_string();
            while let Some(&next) = chars.peek() {
                if next.is_ascii_digit()
                    || next == '.' && number.chars().all(|d| d.is_ascii_digit())
                {
                    number.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            key.push_str(&format!("{{{}}}", numbers.len()));
            numbers.push(number);
        } else {
            key.push(c);
        }
    }
    (key, numbers)
}

fn lookup<'a>(catalog: Option<&'a BTreeMap<String, String>>, key: &'a str) -> &'a str {
    catalog.and_then(|c| c.get(key)).map_or(key, String::as_str)
}

/// A noun inside a sentence (`Service record` → `Delete service record?`): lower case in
/// English, as written in German, whose nouns keep their capital.
pub fn in_sentence(noun: &str) -> String {
    if language() == "de" {
        noun.to_owned()
    } else {
        noun.to_lowercase()
    }
}

/// The language the app is showing (`en`, `de`).
pub fn language() -> &'static str {
    CATALOG.get().map_or("en", |(lang, _)| lang)
}

/// A supported language code for `tag` (`de-AT` → `de`), else English.
fn supported(tag: &str) -> &'static str {
    let code = tag.split(['-', '_']).next().unwrap_or_default();
    LANGUAGES
        .iter()
        .find(|l| l.eq_ignore_ascii_case(code))
        .copied()
        .unwrap_or("en")
}

/// The remembered language, else the browser's.
fn initial_language() -> &'static str {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    supported(&stored.unwrap_or_else(|| window().navigator().language().unwrap_or_default()))
}

/// Fetches the catalog of the initial language (nothing for English) and sets `<html lang>`.
/// A catalog that cannot be fetched leaves the English text.
pub async fn load() {
    let lang = initial_language();
    let catalog = if lang == "en" {
        BTreeMap::new()
    } else {
        fetch_catalog(lang).await.unwrap_or_default()
    };
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang);
    }
    let _ = CATALOG.set((lang, catalog));
}

async fn fetch_catalog(lang: &str) -> Option<BTreeMap<String, String>> {
    // Revalidated every start (a cheap 304), so a new release's text shows at once.
    let response = gloo_net::http::Request::get(&format!("/i18n/{lang}.json"))
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}

/// Shows `lang` from now on: remembers it and reloads the page when it is not the one showing
/// (called when the signed-in user's settings arrive or change).
pub fn switch_to(lang: &str) {
    let lang = supported(lang);
    let Ok(Some(storage)) = window().local_storage() else {
        return;
    };
    // Reload only once the choice is stored: the reload reads it, so this cannot loop.
    let _ = storage.set_item(STORAGE_KEY, lang);
    let stored = storage.get_item(STORAGE_KEY).ok().flatten();
    if lang != language() && stored.as_deref() == Some(lang) {
        let _ = window().location().reload();
    }
}

#[cfg(test)]
mod tests;
