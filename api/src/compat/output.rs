//! JSON as LubeLogger writes it (reference §4.1 "JSON output", §4.2): keys in declaration
//! order (so objects are built as ordered lists, not maps), and in the default mode every
//! export value a string in the server culture; typed when the request carries a
//! `culture-invariant` header (any value) or `compat.invariant` is set.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDate;
use motovault_shared::Amount;

use super::culture::Culture;

/// An ordered JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// Number text, written as is.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

impl J {
    pub fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    pub fn int(n: i64) -> J {
        J::Num(n.to_string())
    }

    pub fn amount(a: Amount) -> J {
        J::Num(a.to_string())
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => out.push_str(&serde_json::Value::String(s.clone()).to_string()),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(k);
                    out.push_str("\":");
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// How export values are written for this request.
#[derive(Debug, Clone, Copy)]
pub struct Fmt {
    pub culture: Culture,
    pub invariant: bool,
}

impl Fmt {
    pub fn int(&self, n: i64) -> J {
        if self.invariant {
            J::int(n)
        } else {
            J::Str(n.to_string())
        }
    }

    pub fn dec(&self, a: Amount) -> J {
        if self.invariant {
            J::amount(a)
        } else {
            J::Str(self.culture.decimal(a))
        }
    }

    /// A figure that is a `decimal` in LubeLogger but a float here (fuel economy), 2 places.
    pub fn float2(&self, f: f64) -> J {
        let rounded = (f * 100.0).round() / 100.0;
        let a = Amount::from_f64(rounded).unwrap_or(Amount::ZERO);
        self.dec(a)
    }

    pub fn boolean(&self, b: bool) -> J {
        if self.invariant {
            J::Bool(b)
        } else {
            J::str(if b { "True" } else { "False" })
        }
    }

    pub fn date(&self, d: NaiveDate) -> J {
        if self.invariant {
            J::Str(d.format("%Y-%m-%d").to_string())
        } else {
            J::Str(self.culture.short_date(d))
        }
    }

    /// Supply dates: `DateTime.ToString()` with the time of day (reference §4.1).
    pub fn date_time(&self, d: NaiveDate) -> J {
        if self.invariant {
            J::Str(d.format("%Y-%m-%d").to_string())
        } else {
            J::Str(self.culture.date_time(d))
        }
    }
}

/// `OperationResponse` success, with `additionalData` when given.
pub fn succeed(message: &str, additional: Option<J>) -> J {
    let mut fields = vec![("success", J::Bool(true)), ("message", J::str(message))];
    if let Some(data) = additional {
        fields.push(("additionalData", data));
    }
    J::Obj(fields)
}

pub fn failed(message: &str) -> J {
    J::Obj(vec![
        ("success", J::Bool(false)),
        ("message", J::str(message)),
    ])
}

pub fn respond(status: StatusCode, body: &J) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json; charset=utf-8")
        .body(body.to_json())
}

pub fn ok(body: &J) -> HttpResponse {
    respond(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_their_order_and_escape_strings() {
        let j = J::Obj(vec![
            ("z", J::int(1)),
            ("a", J::str("say \"hi\"\n")),
            ("m", J::Arr(vec![J::Null, J::Bool(false)])),
        ]);
        assert_eq!(
            j.to_json(),
            r#"{"z":1,"a":"say \"hi\"\n","m":[null,false]}"#
        );
    }

    #[test]
    fn both_modes() {
        let de = Fmt {
            culture: Culture::parse("de-DE").unwrap(),
            invariant: false,
        };
        let inv = Fmt {
            invariant: true,
            ..de
        };
        let a = Amount::parse("12.5").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 1, 3).unwrap();
        assert_eq!(de.dec(a), J::str("12,5"));
        assert_eq!(inv.dec(a), J::Num("12.5".into()));
        assert_eq!(de.boolean(true), J::str("True"));
        assert_eq!(inv.boolean(true), J::Bool(true));
        assert_eq!(de.date(d), J::str("03.01.2026"));
        assert_eq!(inv.date(d), J::str("2026-01-03"));
        assert_eq!(de.int(7), J::str("7"));
        assert_eq!(inv.int(7), J::int(7));
        assert_eq!(de.float2(31.256), J::str("31,26"));
        assert_eq!(
            succeed("Done", Some(J::Obj(vec![("recordId", J::int(3))]))).to_json(),
            r#"{"success":true,"message":"Done","additionalData":{"recordId":3}}"#
        );
    }
}
