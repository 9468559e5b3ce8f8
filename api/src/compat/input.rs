//! What a LubeLogger client sends, as one case-insensitive bag of fields (reference §4.1
//! "Input"): a JSON body (only when the Content-Type is exactly `application/json`), a form
//! body, and the query string. Values may be strings or typed JSON; every string is read in
//! the server culture.

use std::collections::HashMap;

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Bytes;
use chrono::{DateTime, NaiveDate};
use motovault_shared::Amount;
use serde_json::Value;

use super::culture::Culture;
use super::error::CompatError;

/// One extra field as a client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraFieldIn {
    pub name: String,
    pub value: String,
}

/// One `files[]` entry (`UploadedFiles`, reference §2.2): `location` is `/documents/x.ext`, an
/// external URL or `::RecordType:Id`; `isPending` is ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIn {
    pub name: String,
    pub location: String,
}

/// Fields by lowercase name. Repeated query or form names keep every value in order.
#[derive(Debug, Default)]
pub struct Bag {
    body: HashMap<String, Vec<Value>>,
    query: HashMap<String, Vec<Value>>,
    extra_fields: Vec<ExtraFieldIn>,
    /// `None` when the request names no `files` at all (an update then keeps the record's).
    files: Option<Vec<FileIn>>,
    culture: Culture,
}

fn pairs(text: &str) -> Vec<(String, String)> {
    // Decodes `+` and percent escapes; a malformed string yields nothing.
    actix_web::web::Query::<Vec<(String, String)>>::from_query(text)
        .map(|q| q.into_inner())
        .unwrap_or_default()
}

/// `extraFields[3][name]` → `(3, "name")`.
fn extra_field_key(key: &str) -> Option<(usize, String)> {
    indexed_key("extrafields[", key)
}

/// `files[0][location]` → `(0, "location")`.
fn file_key(key: &str) -> Option<(usize, String)> {
    indexed_key("files[", key)
}

/// `{prefix}{index}][{field}]` of a lowercased key.
fn indexed_key(prefix: &str, key: &str) -> Option<(usize, String)> {
    let rest = key.strip_prefix(prefix)?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('[')?.strip_suffix(']')?;
    Some((index.parse().ok()?, field.to_owned()))
}

impl Bag {
    /// Reads the request: the query string always, the body as JSON or form.
    pub fn from_request(
        req: &HttpRequest,
        body: &Bytes,
        culture: Culture,
    ) -> Result<Bag, CompatError> {
        let mut bag = Bag {
            culture,
            ..Bag::default()
        };
        let mut indexed: Vec<(usize, String, String)> = Vec::new();
        let mut indexed_files: Vec<(usize, String, String)> = Vec::new();
        for (k, v) in pairs(req.query_string()) {
            let key = k.to_ascii_lowercase();
            if let Some((i, field)) = extra_field_key(&key) {
                indexed.push((i, field, v));
                continue;
            }
            if let Some((i, field)) = file_key(&key) {
                indexed_files.push((i, field, v));
                continue;
            }
            bag.query.entry(key).or_default().push(Value::String(v));
        }
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // LubeLogger's body fallback compares the whole header to `application/json`.
        if content_type == "application/json" {
            if !body.is_empty() {
                let parsed: Value = serde_json::from_slice(body)
                    .map_err(|e| CompatError::BadRequest(format!("Invalid JSON body: {e}")))?;
                let Value::Object(map) = parsed else {
                    return Err(CompatError::BadRequest("Input object invalid".into()));
                };
                for (k, v) in map {
                    let key = k.to_ascii_lowercase();
                    if key == "extrafields" {
                        bag.extra_fields.extend(json_extra_fields(&v));
                        continue;
                    }
                    if key == "files" {
                        bag.files = json_files(&v);
                        continue;
                    }
                    bag.body.insert(key, vec![v]);
                }
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let text = String::from_utf8_lossy(body);
            for (k, v) in pairs(&text) {
                let key = k.to_ascii_lowercase();
                if let Some((i, field)) = extra_field_key(&key) {
                    indexed.push((i, field, v));
                    continue;
                }
                if let Some((i, field)) = file_key(&key) {
                    indexed_files.push((i, field, v));
                    continue;
                }
                bag.body.entry(key).or_default().push(Value::String(v));
            }
        }
        if bag.extra_fields.is_empty() {
            bag.extra_fields = collect_indexed(indexed);
        }
        if bag.files.is_none() && !indexed_files.is_empty() {
            bag.files = Some(collect_indexed_files(indexed_files));
        }
        Ok(bag)
    }

    /// A bag of query parameters only (tests and GET handlers).
    #[cfg(test)]
    pub fn from_query(query: &str, culture: Culture) -> Bag {
        let req = actix_web::test::TestRequest::get()
            .uri(&format!("/?{query}"))
            .to_http_request();
        Bag::from_request(&req, &Bytes::new(), culture).unwrap_or_default()
    }

    fn culture(&self) -> Culture {
        self.culture
    }

    /// The first value: body before query.
    fn raw(&self, key: &str) -> Option<&Value> {
        self.body
            .get(key)
            .and_then(|v| v.first())
            .or_else(|| self.query.get(key).and_then(|v| v.first()))
            .filter(|v| !v.is_null())
    }

    /// The value as text; empty and whitespace-only count as absent (`IsNullOrWhiteSpace`).
    pub fn text(&self, key: &str) -> Option<String> {
        let text = match self.raw(key)? {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .filter_map(|i| match i {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" "),
            _ => return None,
        };
        (!text.trim().is_empty()).then_some(text)
    }

    pub fn has(&self, key: &str) -> bool {
        self.text(key).is_some()
    }

    /// Every value of a repeated query or form name (`urgencies=…&urgencies=…`).
    pub fn all(&self, key: &str) -> Vec<String> {
        let values = self.body.get(key).or_else(|| self.query.get(key));
        values
            .into_iter()
            .flatten()
            .flat_map(|v| match v {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            })
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.trim().is_empty())
            .collect()
    }

    /// `vehicleId` and the like: the query first, then the JSON body (reference §4.1).
    pub fn query_first_int(&self, key: &str) -> Result<Option<i64>, CompatError> {
        let from_query = self.query.get(key).and_then(|v| v.first()).cloned();
        match from_query {
            Some(v) => parse_int(key, &v),
            None => self.int(key),
        }
    }

    /// A flag from the query, else the JSON body (`autoIncludeEquipment`); absent is false.
    pub fn query_first_bool(&self, key: &str) -> Result<bool, CompatError> {
        if let Some(v) = self.query.get(key).and_then(|v| v.first()) {
            let text = match v {
                Value::String(s) => s.trim().to_ascii_lowercase(),
                other => other.to_string(),
            };
            return match text.as_str() {
                "" | "false" => Ok(false),
                "true" => Ok(true),
                _ => Err(invalid(key)),
            };
        }
        Ok(self.boolean(key)?.unwrap_or(false))
    }

    pub fn int(&self, key: &str) -> Result<Option<i64>, CompatError> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => parse_int(key, v),
        }
    }

    pub fn decimal(&self, key: &str) -> Result<Option<Amount>, CompatError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Amount::parse(&n.to_string())
                .map(Some)
                .map_err(|_| invalid(key)),
            Some(_) => match self.text(key) {
                None => Ok(None),
                Some(t) => self
                    .culture()
                    .parse_decimal(&t)
                    .map(Some)
                    .ok_or_else(|| invalid(key)),
            },
        }
    }

    /// `true`/`false` in any case, as JSON or text (`bool.Parse`).
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, CompatError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => match self.text(key) {
                None => Ok(None),
                Some(t) => match t.trim().to_ascii_lowercase().as_str() {
                    "true" => Ok(Some(true)),
                    "false" => Ok(Some(false)),
                    _ => Err(invalid(key)),
                },
            },
        }
    }

    /// `YYYY-MM-DD`, RFC 3339, Unix seconds, or the culture's short date.
    pub fn date(&self, key: &str) -> Result<Option<NaiveDate>, CompatError> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .and_then(|secs| DateTime::from_timestamp(secs, 0))
                .map(|t| Some(t.date_naive()))
                .ok_or_else(|| invalid(key)),
            Some(_) => match self.text(key) {
                None => Ok(None),
                Some(t) => parse_date(&t, self.culture())
                    .map(Some)
                    .ok_or_else(|| invalid(key)),
            },
        }
    }

    /// Space-separated tags, first value of a repeated `tags=`, de-duplicated in order.
    pub fn tags(&self, key: &str) -> Vec<String> {
        let text = self.text(key).unwrap_or_default();
        let mut out: Vec<String> = Vec::new();
        for tag in text.split(' ').filter(|t| !t.is_empty()) {
            if !out.iter().any(|t| t == tag) {
                out.push(tag.to_owned());
            }
        }
        out
    }

    pub fn extra_fields(&self) -> &[ExtraFieldIn] {
        &self.extra_fields
    }

    /// The `files` the request sent (entries without a location dropped), or `None` when it
    /// sent none: a JSON `files` array, else indexed `files[i][name|location]` form or query
    /// keys.
    pub fn files(&self) -> Option<&[FileIn]> {
        self.files.as_deref()
    }
}

fn invalid(key: &str) -> CompatError {
    CompatError::BadRequest(format!("Input object invalid, {key} could not be parsed."))
}

fn parse_int(key: &str, value: &Value) -> Result<Option<i64>, CompatError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| invalid(key)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| invalid(key)),
        _ => Err(invalid(key)),
    }
}

/// Dates as §4.1 accepts them, tried in order.
pub fn parse_date(text: &str, culture: Culture) -> Option<NaiveDate> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S") {
        return Some(dt.date());
    }
    if t.len() >= 9 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t
            .parse::<i64>()
            .ok()
            .and_then(|secs| DateTime::from_timestamp(secs, 0))
            .map(|d| d.date_naive());
    }
    culture.parse_short_date(t)
}

fn json_extra_fields(value: &Value) -> Vec<ExtraFieldIn> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let obj = item.as_object()?;
            let get = |want: &str| {
                obj.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(want))
                    .and_then(|(_, v)| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        Value::Bool(b) => Some(b.to_string()),
                        _ => None,
                    })
            };
            Some(ExtraFieldIn {
                name: get("name")?,
                value: get("value").unwrap_or_default(),
            })
        })
        .collect()
}

/// A JSON `files` value: an array of `{name, location}` objects (keys in any case); `null` is
/// as if nothing were sent, anything else an empty list.
fn json_files(value: &Value) -> Option<Vec<FileIn>> {
    let items = match value {
        Value::Null => return None,
        Value::Array(items) => items,
        _ => return Some(Vec::new()),
    };
    Some(
        items
            .iter()
            .filter_map(|item| {
                let obj = item.as_object()?;
                let get = |want: &str| {
                    obj.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(want))
                        .and_then(|(_, v)| v.as_str())
                        .map(str::to_owned)
                };
                let location = get("location").filter(|l| !l.trim().is_empty())?;
                Some(FileIn {
                    name: get("name").unwrap_or_default(),
                    location,
                })
            })
            .collect(),
    )
}

/// Groups `name[i][field] = value` triples by `i`, in index order: one map per entry.
fn group_indexed(
    mut indexed: Vec<(usize, String, String)>,
) -> Vec<std::collections::HashMap<String, String>> {
    indexed.sort_by_key(|(i, _, _)| *i);
    let mut out: Vec<(usize, std::collections::HashMap<String, String>)> = Vec::new();
    for (i, field, value) in indexed {
        match out.last_mut() {
            Some((j, entry)) if *j == i => {
                entry.insert(field, value);
            }
            _ => out.push((i, [(field, value)].into_iter().collect())),
        }
    }
    out.into_iter().map(|(_, entry)| entry).collect()
}

fn collect_indexed_files(indexed: Vec<(usize, String, String)>) -> Vec<FileIn> {
    group_indexed(indexed)
        .into_iter()
        .map(|mut e| FileIn {
            name: e.remove("name").unwrap_or_default(),
            location: e.remove("location").unwrap_or_default(),
        })
        .filter(|f| !f.location.trim().is_empty())
        .collect()
}

fn collect_indexed(indexed: Vec<(usize, String, String)>) -> Vec<ExtraFieldIn> {
    group_indexed(indexed)
        .into_iter()
        .map(|mut e| ExtraFieldIn {
            name: e.remove("name").unwrap_or_default(),
            value: e.remove("value").unwrap_or_default(),
        })
        .filter(|e| !e.name.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Culture {
        Culture::parse("en-US").unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn query_names_are_case_insensitive_and_tags_take_the_first_value() {
        let bag = Bag::from_query(
            "VehicleId=7&tags=a%20b%20a&tags=c&urgencies=Urgent&urgencies=3",
            us(),
        );
        assert_eq!(bag.query_first_int("vehicleid").unwrap(), Some(7));
        assert_eq!(bag.tags("tags"), vec!["a", "b"]);
        assert_eq!(bag.all("urgencies"), vec!["Urgent", "3"]);
        assert_eq!(bag.int("missing").unwrap(), None);
    }

    #[test]
    fn extra_fields_in_bracket_form() {
        let bag = Bag::from_query(
            "extraFields[1][name]=B&extraFields[0][name]=A&extraFields[0][value]=x&extraFields[1][value]=y",
            us(),
        );
        let names: Vec<(&str, &str)> = bag
            .extra_fields()
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(names, vec![("A", "x"), ("B", "y")]);
    }

    #[test]
    fn files_in_bracket_form_and_as_json() {
        let bag = Bag::from_query(
            "files[1][location]=%2Fdocuments%2Fb.pdf&files[0][name]=A&files[0][location]=https%3A%2F%2Fx.org%2Fa&files[0][isPending]=false&files[2][name]=no%20location",
            us(),
        );
        assert_eq!(
            bag.files().unwrap(),
            &[
                FileIn {
                    name: "A".into(),
                    location: "https://x.org/a".into()
                },
                FileIn {
                    name: String::new(),
                    location: "/documents/b.pdf".into()
                },
            ]
        );
        assert!(Bag::from_query("id=1", us()).files().is_none());
        let json: Value = serde_json::json!([
            {"Name": "R", "LOCATION": "/documents/r.pdf", "isPending": false},
            {"name": "empty", "location": " "},
            "junk"
        ]);
        assert_eq!(
            json_files(&json).unwrap(),
            vec![FileIn {
                name: "R".into(),
                location: "/documents/r.pdf".into()
            }]
        );
        assert_eq!(json_files(&Value::Null), None);
        assert_eq!(json_files(&serde_json::json!([])), Some(Vec::new()));
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let de = Culture::parse("de-DE").unwrap();
        let cases = [
            ("2026-01-03", us()),
            ("2026-01-03T10:00:00Z", us()),
            ("2026-01-03T10:00:00+01:00", us()),
            ("1767434400", us()),
            ("1/3/2026", us()),
            ("03.01.2026", de),
        ];
        for (text, culture) in cases {
            assert_eq!(parse_date(text, culture), Some(date(2026, 1, 3)), "{text}");
        }
        assert_eq!(parse_date("03.01.2026", us()), None);
        assert_eq!(parse_date("soon", us()), None);
    }

    #[test]
    fn typed_and_text_values() {
        let de = Culture::parse("de-DE").unwrap();
        let bag = Bag::from_query("cost=12,5&full=True&odo=1000&bad=x", de);
        assert_eq!(
            bag.decimal("cost").unwrap(),
            Some(Amount::parse("12.5").unwrap())
        );
        assert_eq!(bag.boolean("full").unwrap(), Some(true));
        assert_eq!(bag.int("odo").unwrap(), Some(1000));
        assert!(bag.int("bad").is_err());
        assert!(bag.boolean("bad").is_err());
        assert!(!bag.has("nothing"));
    }
}
