//! HTTP client of a LubeLogger server's API (reference §4.1): Basic or `x-api-key` auth on every
//! request (documents and images too), the `culture-invariant` header, no redirects (LubeLogger
//! answers a denied GET with a 302 to an HTML page, which must not pass for data), timeouts and
//! retries on 5xx and connection failures.

use std::time::Duration;

use actix_web::web::Bytes;
use reqwest::StatusCode;
use serde_json::Value;

use crate::error::{AppError, AppResult};

/// How we sign in to the source.
#[derive(Debug, Clone)]
pub enum Auth {
    ApiKey(String),
    Basic { username: String, password: String },
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Auth,
    attempts: u32,
    backoff: Duration,
}

const TIMEOUT: Duration = Duration::from_secs(120);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

impl Client {
    /// `base` is the server's root URL (`https://lubelogger.example.com`); a trailing `/` is
    /// ignored.
    pub fn new(base: &str, auth: Auth) -> AppResult<Client> {
        let base = normalize_base(base)?;
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("motovault-import/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(AppError::internal)?;
        Ok(Client {
            http,
            base,
            auth,
            attempts: 4,
            backoff: Duration::from_millis(500),
        })
    }

    /// Shorter waits between retries (tests).
    pub fn with_backoff(mut self, backoff: Duration) -> Client {
        self.backoff = backoff;
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The absolute URL of a path the server handed out (`/documents/x.pdf`) or of an API path.
    pub fn url_of(&self, location: &str) -> String {
        if location.starts_with("http://") || location.starts_with("https://") {
            location.to_owned()
        } else if location.starts_with('/') {
            format!("{}{location}", self.base)
        } else {
            format!("{}/{location}", self.base)
        }
    }

    pub async fn get_json(&self, path: &str) -> AppResult<Value> {
        let bytes = self.get_bytes(path).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            AppError::Unavailable(format!(
                "{} did not answer JSON ({e}): {}",
                self.url_of(path),
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            ))
        })
    }

    /// GETs the path (or absolute URL on the same server) with our credentials. Retries 5xx,
    /// 429 and transport errors with a growing wait; anything else that is not 200 fails.
    pub async fn get_bytes(&self, path: &str) -> AppResult<Bytes> {
        let url = self.url_of(path);
        let mut wait = self.backoff;
        let mut last = String::new();
        for attempt in 1..=self.attempts {
            match self.once(&url).await {
                Ok(Outcome::Done(bytes)) => return Ok(bytes),
                Ok(Outcome::Fatal(e)) => return Err(e),
                Ok(Outcome::Retry(why)) | Err(why) => last = why,
            }
            if attempt < self.attempts {
                tracing::debug!(%url, attempt, error = %last, "retrying");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
        Err(AppError::Unavailable(format!(
            "{url}: {last} (after {} attempts)",
            self.attempts
        )))
    }

    async fn once(&self, url: &str) -> Result<Outcome, String> {
        let mut req = self.http.get(url).header("culture-invariant", "true");
        // Only our own server gets the credentials, never an external link.
        let ours = url
            .strip_prefix(&self.base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
        if ours {
            req = match &self.auth {
                Auth::ApiKey(key) => req.header("x-api-key", key),
                Auth::Basic { username, password } => req.basic_auth(username, Some(password)),
            };
        }
        let res = req.send().await.map_err(|e| e.to_string())?;
        let status = res.status();
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Ok(Outcome::Retry(format!("HTTP {status}")));
        }
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Ok(Outcome::Fatal(AppError::Unavailable(format!(
                "{url}: HTTP {status}: the LubeLogger server refused these credentials"
            ))));
        }
        if status.is_redirection() {
            let to = res
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_owned();
            return Ok(Outcome::Fatal(AppError::Unavailable(format!(
                "{url}: redirected to {to} (access denied or not signed in)"
            ))));
        }
        if status != StatusCode::OK {
            let body = res.text().await.unwrap_or_default();
            return Ok(Outcome::Fatal(AppError::Unavailable(format!(
                "{url}: HTTP {status}: {}",
                &body[..body.len().min(200)]
            ))));
        }
        res.bytes()
            .await
            .map(Outcome::Done)
            .map_err(|e| e.to_string())
    }
}

enum Outcome {
    Done(Bytes),
    Retry(String),
    Fatal(AppError),
}

fn normalize_base(base: &str) -> AppResult<String> {
    let trimmed = base.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| AppError::Malformed(format!("--url {base:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::Malformed(format!(
            "--url {base:?}: only http and https are supported"
        )));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_built_from_the_base() {
        let c = Client::new("http://ll.local:8080/", Auth::ApiKey("k".into())).unwrap();
        assert_eq!(c.base(), "http://ll.local:8080");
        assert_eq!(
            c.url_of("/documents/a.pdf"),
            "http://ll.local:8080/documents/a.pdf"
        );
        assert_eq!(c.url_of("https://x.example/f"), "https://x.example/f");
        assert!(Client::new("ftp://x", Auth::ApiKey("k".into())).is_err());
        assert!(Client::new("not a url", Auth::ApiKey("k".into())).is_err());
    }
}
