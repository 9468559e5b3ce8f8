//! Request plumbing: JSON in and out, CSRF header on writes, problem documents on errors.
//!
//! The HTTP exchange itself ([`exchange`]) is not generic: only the JSON encoding of a body and
//! the decoding of an answer are compiled per type, which keeps the wasm bundle small.

use gloo_net::http::{Method, RequestBuilder, Response};
use motovault_shared::problem::Problem;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ApiError;

const BASE: &str = "/api/v1";

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

fn network(err: impl std::fmt::Display) -> ApiError {
    ApiError::Network(err.to_string())
}

async fn error_from(response: Response) -> ApiError {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    match serde_json::from_str::<Problem>(&text) {
        Ok(mut problem) => {
            problem.status = status;
            ApiError::Problem(problem)
        }
        Err(_) => ApiError::from_status(status, text),
    }
}

thread_local! {
    /// The viewer key a wall display was opened with (`/kiosk?apiKey=`): sent, as it came, in
    /// the query of every read (the server takes a key from a URL for reads only). Kept in
    /// memory only; the display's URL holds it anyway.
    static API_KEY: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Makes every following call authenticate with `key`.
pub fn use_api_key(key: String) {
    API_KEY.with(|k| *k.borrow_mut() = Some(key));
}

/// The key set by [`use_api_key`], if any.
pub fn api_key() -> Option<String> {
    API_KEY.with(|k| k.borrow().clone())
}

/// Stops sending the key (signed out: it was refused, or the user signs in instead).
pub fn forget_api_key() {
    API_KEY.with(|k| *k.borrow_mut() = None);
}

/// `path` with the wall display's key added to its query, for a read.
fn with_key(path: &str, key: Option<&str>) -> String {
    match key {
        Some(key) if path.contains('?') => format!("{path}&apiKey={key}"),
        Some(key) => format!("{path}?apiKey={key}"),
        None => path.to_owned(),
    }
}

fn builder(method: Method, path: &str, csrf: &str) -> RequestBuilder {
    let key = (method == Method::GET).then(api_key).flatten();
    let builder = RequestBuilder::new(&url(&with_key(path, key.as_deref())))
        .method(method)
        .header("Accept", "application/json");
    if csrf.is_empty() {
        builder
    } else {
        builder.header("X-CSRF-Token", csrf)
    }
}

/// Sends a request (with a JSON `body` when given) and answers the body of a success.
async fn exchange(
    method: Method,
    path: &str,
    csrf: &str,
    body: Option<String>,
) -> Result<String, ApiError> {
    let builder = builder(method, path, csrf);
    let request = match body {
        Some(json) => builder
            .header("Content-Type", "application/json")
            .body(json),
        None => builder.build(),
    }
    .map_err(network)?;
    let response = request.send().await.map_err(network)?;
    if !response.ok() {
        return Err(error_from(response).await);
    }
    response.text().await.map_err(network)
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(network)
}

fn encode<B: Serialize + ?Sized>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(network)
}

/// `GET` a JSON document.
pub(crate) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(&exchange(Method::GET, path, "", None).await?)
}

/// Sends a JSON body and reads a JSON answer (an empty `csrf` sends no token: setup, login).
pub(crate) async fn send<B, T>(
    method: Method,
    path: &str,
    csrf: &str,
    body: &B,
) -> Result<T, ApiError>
where
    B: Serialize + ?Sized,
    T: DeserializeOwned,
{
    let body = encode(body)?;
    decode(&exchange(method, path, csrf, Some(body)).await?)
}

/// A write described as data (method, path, encoded body): the record tabs build one and
/// [`write`] sends it, so the request machinery is compiled once for every record type.
pub struct Write {
    method: Method,
    path: String,
    body: Option<Result<String, ApiError>>,
}

impl Write {
    pub(crate) fn json<B: Serialize + ?Sized>(method: Method, path: String, body: &B) -> Self {
        Write {
            method,
            path,
            body: Some(encode(body)),
        }
    }

    pub(crate) fn bare(method: Method, path: String) -> Self {
        Write {
            method,
            path,
            body: None,
        }
    }
}

/// Sends a [`Write`] and only checks the status (the tabs reload their list afterwards, so
/// the answer's body is not read).
pub async fn write(csrf: &str, write: Write) -> Result<(), ApiError> {
    let body = write.body.transpose()?;
    exchange(write.method, &write.path, csrf, body)
        .await
        .map(drop)
}

/// Sends a write without a body and ignores the answer's body (logout, deletes, actions).
pub(crate) async fn send_empty(method: Method, path: &str, csrf: &str) -> Result<(), ApiError> {
    exchange(method, path, csrf, None).await.map(drop)
}

/// The id in a created record's answer (`{"id": 7, …}`); the rest of the body is not decoded.
#[derive(serde::Deserialize)]
struct Created {
    id: Option<i64>,
}

/// Sends a [`Write`] and answers the `id` of the record it created or replaced, when the
/// answer names one (a record form writes its extra fields under that id next).
pub async fn write_id(csrf: &str, write: Write) -> Result<Option<i64>, ApiError> {
    let body = write.body.transpose()?;
    let text = exchange(write.method, &write.path, csrf, body).await?;
    Ok(serde_json::from_str::<Created>(&text)
        .ok()
        .and_then(|c| c.id))
}

#[cfg(test)]
mod tests {
    use super::with_key;

    #[test]
    fn the_key_joins_the_query_of_a_read() {
        assert_eq!(with_key("/kiosk", Some("ab12")), "/kiosk?apiKey=ab12");
        assert_eq!(
            with_key("/kiosk?mode=cycle", Some("ab12")),
            "/kiosk?mode=cycle&apiKey=ab12"
        );
        assert_eq!(with_key("/kiosk", None), "/kiosk");
    }
}
