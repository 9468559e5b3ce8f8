//! The object store in an S3-compatible bucket (MinIO, SeaweedFS, AWS…), addressed path-style.
//!
//! Every call has a deadline (`storage.s3.timeout_secs`): a request as a whole, a multipart
//! upload per part (the client's own pace is not the store's fault), a download until its
//! headers and then between two chunks. Transport failures, timeouts and 5xx answers become
//! [`ObjectError::Unavailable`], refused credentials or a missing bucket
//! [`ObjectError::Refused`]; the HTTP layer answers 503 for both, so an S3 outage costs only the
//! attachment calls.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use s3::creds::Credentials;
use s3::error::S3Error;
use s3::{Bucket, Region};
use tokio::io::{AsyncRead, ReadBuf};

use super::objects::{
    ByteStream, ByteStreamSend, LocalFuture, ObjectBody, ObjectError, ObjectKey, ObjectStore,
    PutError, SendFuture,
};
use crate::config::S3Settings;

/// Parts in flight per multipart upload: with 8 MiB parts, at most ~24 MiB of one upload is in
/// memory (the part being read plus two being sent).
const PARTS_IN_FLIGHT: usize = 2;
/// How long a readiness answer is reused, so probes cannot hammer the store.
const CHECK_TTL: Duration = Duration::from_secs(5);
/// Objects asked for per listing page (the S3 maximum).
const LIST_PAGE: usize = 1000;

pub struct S3Store {
    /// For every call but download bodies: each request has the deadline.
    bucket: Box<Bucket>,
    /// For download bodies, which may take longer than one deadline as a whole; guarded by our
    /// own timeouts until the headers and between chunks.
    streaming: Box<Bucket>,
    timeout: Duration,
    /// `Some(lifetime)` when downloads are answered with a presigned URL.
    presign_secs: Option<u32>,
    last_check: Mutex<Option<(Instant, Result<(), CheckFailure>)>>,
}

#[derive(Clone)]
enum CheckFailure {
    Refused(String),
    Unavailable(String),
}

impl S3Store {
    /// Builds the client; makes no network call.
    pub fn new(settings: &S3Settings) -> Result<S3Store, ObjectError> {
        let (Some(endpoint), Some(name)) = (&settings.endpoint, &settings.bucket) else {
            return Err(ObjectError::Refused(
                "storage.s3.endpoint and storage.s3.bucket are required".into(),
            ));
        };
        let region = Region::Custom {
            region: settings.region.clone(),
            endpoint: endpoint.trim_end_matches('/').to_owned(),
        };
        let credentials = match (&settings.access_key, &settings.secret_key) {
            (Some(access), Some(secret)) => {
                Credentials::new(Some(access), Some(secret.expose()), None, None, None)
            }
            // Anonymous access to a public bucket; never the environment or instance metadata.
            _ => Credentials::anonymous(),
        }
        .map_err(|e| ObjectError::Refused(format!("S3 credentials: {e}")))?;
        let config_error = |e: S3Error| ObjectError::Refused(format!("S3 client: {e}"));
        let mut streaming = Bucket::new(name, region, credentials)
            .map_err(config_error)?
            .with_path_style();
        streaming.set_request_timeout(None);
        let timeout = Duration::from_secs(settings.timeout_secs);
        let bucket = streaming
            .with_request_timeout(timeout)
            .map_err(config_error)?;
        Ok(S3Store {
            bucket,
            streaming,
            timeout,
            presign_secs: settings.presign_downloads.then_some(settings.presign_secs),
            last_check: Mutex::new(None),
        })
    }

    /// Runs one S3 call under the deadline (retries included).
    async fn call<T>(
        &self,
        what: &str,
        call: impl Future<Output = Result<T, S3Error>>,
    ) -> Result<T, ObjectError> {
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(classify(what, &self.bucket.name(), e)),
            Err(_) => Err(self.timed_out(what)),
        }
    }

    fn timed_out(&self, what: &str) -> ObjectError {
        ObjectError::Unavailable(format!(
            "S3 {what}: no answer within {} s",
            self.timeout.as_secs()
        ))
    }

    /// The object's size, or `None` when it does not exist.
    async fn head(&self, key: &ObjectKey) -> Result<Option<u64>, ObjectError> {
        match self
            .call("head", self.bucket.head_object(key.as_str()))
            .await
        {
            Ok((head, _)) => Ok(Some(
                head.content_length
                    .and_then(|n| u64::try_from(n).ok())
                    .unwrap_or(0),
            )),
            Err(ObjectError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// One listing of at most one key: proves the endpoint answers, the credentials are
    /// accepted and the bucket exists.
    async fn probe(&self) -> Result<(), ObjectError> {
        self.call(
            "bucket check",
            self.bucket
                .list_page(String::new(), None, None, None, Some(1)),
        )
        .await
        .map(|_| ())
        .map_err(|e| match e {
            // A listing only fails with 404 when the bucket is missing.
            ObjectError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                ObjectError::Refused(format!(
                    "bucket {:?} does not exist at the endpoint",
                    self.bucket.name()
                ))
            }
            other => other,
        })
    }
}

/// Sorts an S3 failure into what the callers act on.
fn classify(what: &str, bucket: &str, error: S3Error) -> ObjectError {
    match error {
        S3Error::HttpFailWithBody(status, body) => {
            let code = xml_code(&body).unwrap_or_default();
            match status {
                404 if code == "NoSuchBucket" => {
                    ObjectError::Refused(format!("bucket {bucket:?} does not exist"))
                }
                404 => ObjectError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("S3 {what}: no such object"),
                )),
                401 | 403 => ObjectError::Refused(format!(
                    "S3 {what}: HTTP {status} {code}: the endpoint refused the credentials; \
                     check storage.s3.access_key and storage.s3.secret_key, and that they may \
                     use bucket {bucket:?}"
                )),
                400..=499 => ObjectError::Io(std::io::Error::other(format!(
                    "S3 {what}: HTTP {status} {code}"
                ))),
                _ => ObjectError::Unavailable(format!("S3 {what}: HTTP {status} {code}")),
            }
        }
        // Connection refused or reset, DNS, TLS, a request timeout, a broken body.
        other => ObjectError::Unavailable(format!("S3 {what}: {other}")),
    }
}

/// `<Code>NoSuchKey</Code>` from an S3 error document.
fn xml_code(body: &str) -> Option<&str> {
    let start = body.find("<Code>")? + "<Code>".len();
    let len = body[start..].find("</Code>")?;
    Some(&body[start..start + len])
}

/// `attachment; filename="…"; filename*=UTF-8''…` for the presigned URL's
/// `response-content-disposition`, so a direct download keeps the attachment's name.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The upload as `AsyncRead` for rust-s3, counting bytes: past `max` it fails and remembers
/// why, so the store can answer `TooLarge` (or `Body`) rather than a store error. rust-s3
/// aborts the multipart upload when reading fails.
struct UploadReader<'a> {
    body: ByteStream<'a>,
    chunk: Bytes,
    size: u64,
    max: u64,
    done: bool,
    failure: Option<PutError>,
}

impl AsyncRead for UploadReader<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        loop {
            if !this.chunk.is_empty() {
                let n = buf.remaining().min(this.chunk.len());
                buf.put_slice(&this.chunk.split_to(n));
                return Poll::Ready(Ok(()));
            }
            if this.failure.is_some() {
                return Poll::Ready(Err(std::io::Error::other("the upload was refused")));
            }
            // A multipart field must not be polled again after its end.
            if this.done {
                return Poll::Ready(Ok(()));
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.done = true,
                Poll::Ready(Some(Err(e))) => {
                    let message = e.to_string();
                    this.failure = Some(PutError::Body(e));
                    return Poll::Ready(Err(std::io::Error::other(message)));
                }
                Poll::Ready(Some(Ok(bytes))) => {
                    this.size += bytes.len() as u64;
                    if this.size > this.max {
                        this.failure = Some(PutError::TooLarge(this.max));
                        return Poll::Ready(Err(std::io::Error::other("the upload is too large")));
                    }
                    this.chunk = bytes;
                }
            }
        }
    }
}

/// A download body that fails when the store goes quiet for longer than `idle`.
fn with_idle_timeout(
    body: Pin<Box<dyn Stream<Item = Result<Bytes, S3Error>> + Send>>,
    idle: Duration,
) -> ByteStreamSend {
    Box::pin(futures_util::stream::unfold(
        Some(body),
        move |state| async move {
            let mut body = state?;
            match tokio::time::timeout(idle, body.next()).await {
                Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(body))),
                Ok(Some(Err(e))) => Some((Err(std::io::Error::other(e.to_string())), None)),
                Ok(None) => None,
                Err(_) => Some((
                    Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!("S3 download: no data for {} s", idle.as_secs()),
                    )),
                    None,
                )),
            }
        },
    ))
}

impl ObjectStore for S3Store {
    fn put<'a>(
        &'a self,
        key: &'a ObjectKey,
        body: ByteStream<'a>,
        max_bytes: u64,
    ) -> LocalFuture<'a, Result<u64, PutError>> {
        Box::pin(async move {
            let mut reader = UploadReader {
                body,
                chunk: Bytes::new(),
                size: 0,
                max: max_bytes,
                done: false,
                failure: None,
            };
            // One request below 8 MiB, multipart above; each request has the deadline.
            let result = self
                .bucket
                .put_object_stream_builder(key.as_str())
                .with_content_type("application/octet-stream")
                .with_max_concurrent_chunks(PARTS_IN_FLIGHT)
                .execute_stream(&mut reader)
                .await;
            if let Some(failure) = reader.failure.take() {
                return Err(failure);
            }
            let response = result.map_err(|e| classify("upload", &self.bucket.name(), e))?;
            Ok(response.uploaded_bytes() as u64)
        })
    }

    fn get<'a>(
        &'a self,
        key: &'a ObjectKey,
    ) -> SendFuture<'a, Result<Option<ObjectBody>, ObjectError>> {
        Box::pin(async move {
            let Some(size) = self.head(key).await? else {
                return Ok(None);
            };
            let response = match tokio::time::timeout(
                self.timeout,
                self.streaming.get_object_stream(key.as_str()),
            )
            .await
            {
                Ok(Ok(response)) => response,
                Ok(Err(e)) => match classify("download", &self.bucket.name(), e) {
                    // Deleted since the head.
                    ObjectError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Ok(None);
                    }
                    other => return Err(other),
                },
                Err(_) => return Err(self.timed_out("download")),
            };
            Ok(Some(ObjectBody::Stream {
                body: with_idle_timeout(response.bytes, self.timeout),
                size: Some(size),
            }))
        })
    }

    fn delete<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<(), ObjectError>> {
        Box::pin(async move {
            match self
                .call("delete", self.bucket.delete_object(key.as_str()))
                .await
            {
                Ok(_) => Ok(()),
                Err(ObjectError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e),
            }
        })
    }

    fn exists<'a>(&'a self, key: &'a ObjectKey) -> SendFuture<'a, Result<bool, ObjectError>> {
        Box::pin(async move { Ok(self.head(key).await?.is_some()) })
    }

    fn copy<'a>(
        &'a self,
        from: &'a ObjectKey,
        to: &'a ObjectKey,
    ) -> SendFuture<'a, Result<(), ObjectError>> {
        // A server-side copy: the bytes never pass through us, and the target appears whole.
        Box::pin(async move {
            self.call(
                "copy",
                self.bucket.copy_object_internal(from.as_str(), to.as_str()),
            )
            .await
            .map(|_| ())
        })
    }

    fn list(&self) -> SendFuture<'_, Result<Vec<ObjectKey>, ObjectError>> {
        Box::pin(async move {
            let mut keys = Vec::new();
            let mut token = None;
            loop {
                let (page, _) = self
                    .call(
                        "list",
                        self.bucket
                            .list_page(String::new(), None, token, None, Some(LIST_PAGE)),
                    )
                    .await?;
                // Anything else in the bucket is not ours to report.
                keys.extend(
                    page.contents
                        .iter()
                        .filter_map(|o| ObjectKey::parse(&o.key)),
                );
                token = page.next_continuation_token;
                if token.is_none() {
                    break;
                }
            }
            keys.sort_by(|a, b| a.as_str().cmp(b.as_str()));
            Ok(keys)
        })
    }

    fn presigned_url<'a>(
        &'a self,
        key: &'a ObjectKey,
        file_name: &'a str,
        content_type: &'a str,
    ) -> SendFuture<'a, Result<Option<String>, ObjectError>> {
        Box::pin(async move {
            let Some(lifetime) = self.presign_secs else {
                return Ok(None);
            };
            // A missing object stays our 404 rather than the store's error page.
            if self.head(key).await?.is_none() {
                return Ok(None);
            }
            let queries = HashMap::from([
                (
                    "response-content-disposition".to_owned(),
                    content_disposition(file_name),
                ),
                ("response-content-type".to_owned(), content_type.to_owned()),
            ]);
            self.call(
                "presign",
                self.bucket
                    .presign_get(key.as_str(), lifetime, Some(queries)),
            )
            .await
            .map(Some)
        })
    }

    fn check(&self) -> SendFuture<'_, Option<Result<(), ObjectError>>> {
        Box::pin(async move {
            let cached = self
                .last_check
                .lock()
                .ok()
                .and_then(|last| last.clone())
                .filter(|(at, _)| at.elapsed() < CHECK_TTL);
            let outcome = match cached {
                Some((_, outcome)) => outcome,
                None => {
                    let outcome = self.probe().await.map_err(|e| match e {
                        ObjectError::Refused(m) => CheckFailure::Refused(m),
                        other => CheckFailure::Unavailable(other.to_string()),
                    });
                    if let Ok(mut last) = self.last_check.lock() {
                        *last = Some((Instant::now(), outcome.clone()));
                    }
                    outcome
                }
            };
            Some(outcome.map_err(|e| match e {
                CheckFailure::Refused(m) => ObjectError::Refused(m),
                CheckFailure::Unavailable(m) => ObjectError::Unavailable(m),
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_sorted_by_what_callers_do_about_them() {
        let refused = classify(
            "upload",
            "b",
            S3Error::HttpFailWithBody(
                403,
                "<Error><Code>SignatureDoesNotMatch</Code></Error>".into(),
            ),
        );
        assert!(
            matches!(&refused, ObjectError::Refused(m) if m.contains("SignatureDoesNotMatch") && m.contains("storage.s3.secret_key")),
            "{refused}"
        );
        let missing = classify("head", "b", S3Error::HttpFailWithBody(404, String::new()));
        assert!(matches!(missing, ObjectError::Io(e) if e.kind() == std::io::ErrorKind::NotFound));
        let no_bucket = classify(
            "list",
            "b",
            S3Error::HttpFailWithBody(404, "<Code>NoSuchBucket</Code>".into()),
        );
        assert!(matches!(no_bucket, ObjectError::Refused(_)));
        let down = classify(
            "get",
            "b",
            S3Error::HttpFailWithBody(503, "<Code>SlowDown</Code>".into()),
        );
        assert!(matches!(down, ObjectError::Unavailable(m) if m.contains("SlowDown")));
    }

    #[test]
    fn presigned_downloads_keep_the_file_name() {
        assert_eq!(
            content_disposition("receipt 2024.pdf"),
            "attachment; filename=\"receipt 2024.pdf\"; filename*=UTF-8''receipt%202024.pdf"
        );
        assert_eq!(
            content_disposition("a\"ü.pdf"),
            "attachment; filename=\"a__.pdf\"; filename*=UTF-8''a%22%C3%BC.pdf"
        );
    }
}
