//! Request plumbing: JSON in and out, CSRF header on writes, problem documents on errors.

use gloo_net::http::{Method, RequestBuilder, Response};
use motovault_shared::problem::Problem;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ApiError;

const BASE: &str = "/api/v1";

fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

fn network(err: gloo_net::Error) -> ApiError {
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

async fn json_of<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(error_from(response).await);
    }
    response.json::<T>().await.map_err(network)
}

fn builder(method: Method, path: &str, csrf: Option<&str>) -> RequestBuilder {
    let builder = RequestBuilder::new(&url(path))
        .method(method)
        .header("Accept", "application/json");
    match csrf {
        Some(token) if !token.is_empty() => builder.header("X-CSRF-Token", token),
        _ => builder,
    }
}

/// `GET` a JSON document.
pub(crate) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = builder(Method::GET, path, None)
        .send()
        .await
        .map_err(network)?;
    json_of(response).await
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
    let request = builder(method, path, Some(csrf))
        .json(body)
        .map_err(network)?;
    let response = request.send().await.map_err(network)?;
    json_of(response).await
}

/// Sends a write without a body and expects no content back (logout, deletes).
pub(crate) async fn send_empty(method: Method, path: &str, csrf: &str) -> Result<(), ApiError> {
    let response = builder(method, path, Some(csrf))
        .send()
        .await
        .map_err(network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(error_from(response).await)
    }
}
