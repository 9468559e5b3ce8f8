//! `ValidJson<T>`: the JSON body extractor of the native API. Unlike actix's `Json` it answers
//! problem+json, names the offending field of a type error (422), and enforces the body limit.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::StreamExt;
use motovault_shared::problem::FieldError;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::state::AppState;

pub struct ValidJson<T>(pub T);

/// Fallback limit if the state is missing (it never is outside broken wiring).
const DEFAULT_LIMIT: usize = 256 * 1024;

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(DEFAULT_LIMIT, |s| s.settings.server.max_json_bytes);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            let essence = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(AppError::UnsupportedMediaType);
            }
            if declared_len.is_some_and(|len| len > limit) {
                return Err(AppError::PayloadTooLarge(limit));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| AppError::Malformed(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > limit {
                    return Err(AppError::PayloadTooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            parse(&body).map(ValidJson)
        })
    }
}

/// Syntax errors are 400; a well-formed body with a wrong, missing or unknown field is 422
/// naming that field.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.is_empty() {
        return Err(AppError::Malformed(
            "the request body is empty; send a JSON object".into(),
        ));
    }
    // Every body of the native API is an object; serde would otherwise read a struct from an array.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b == b'[') {
        return Err(AppError::field("body", "must be a JSON object"));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = inner.to_string();
                // A missing field is reported at its parent; name the field itself.
                let field = match (missing_field(&message), path.as_str()) {
                    (Some(f), ".") => f,
                    (Some(f), parent) => format!("{parent}.{f}"),
                    (None, ".") => "body".to_owned(),
                    (None, _) => path,
                };
                AppError::Validation(vec![FieldError::new(&field, strip_position(&message))])
            }
            _ => AppError::Malformed(format!("invalid JSON: {inner}")),
        }
    })
}

fn missing_field(message: &str) -> Option<String> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned)
}

/// serde_json appends " at line 1 column 20", which means nothing to a form user.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motovault_shared::dto::FuelRecordInput;

    fn field_of(body: &str) -> (u16, Vec<String>) {
        match parse::<FuelRecordInput>(body.as_bytes()) {
            Ok(_) => (200, vec![]),
            Err(AppError::Validation(errors)) => {
                (422, errors.into_iter().map(|e| e.field).collect())
            }
            Err(e) => (e.code().status(), vec![]),
        }
    }

    #[test]
    fn errors_name_the_field() {
        let ok = r#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1}"#;
        assert_eq!(field_of(ok), (200, vec![]));
        let cases = [
            (
                r#"{"date":"2024-13-01","odometer":1,"fuelConsumed":1,"cost":1}"#,
                422,
                "date",
            ),
            (
                r#"{"date":"2024-01-01","odometer":"far","fuelConsumed":1,"cost":1}"#,
                422,
                "odometer",
            ),
            (
                r#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1}"#,
                422,
                "cost",
            ),
            (
                r#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1,"bogus":2}"#,
                422,
                "bogus",
            ),
            (
                r#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1,"cost":1,"tags":[1]}"#,
                422,
                "tags[0]",
            ),
            (
                r#"{"date":"2024-01-01","odometer":1.5,"fuelConsumed":1,"cost":1}"#,
                422,
                "odometer",
            ),
            (
                r#"{"date":"2024-01-01","odometer":1,"fuelConsumed":1e400,"cost":1}"#,
                400,
                "",
            ),
            (r#"[1,2]"#, 422, "body"),
        ];
        for (body, status, field) in cases {
            let (got_status, fields) = field_of(body);
            assert_eq!(got_status, status, "{body}");
            if status == 422 {
                assert_eq!(fields, vec![field.to_owned()], "{body}");
            }
        }
        assert_eq!(field_of("{").0, 400);
        assert_eq!(field_of("").0, 400);
    }
}
