//! Uploads and downloads that report their progress. `fetch` tells nothing about a request
//! body on its way out, so these go through `XMLHttpRequest`: `upload.onprogress` while the
//! body is sent, `onprogress` while the answer arrives. Same conventions as the JSON client:
//! the CSRF header on writes, problem documents on errors.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use motovault_shared::problem::Problem;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{Blob, FormData, ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

use super::ApiError;
use crate::components::progress::Progress;

/// The error of a non-success answer: its problem document, or one made from the status.
pub(crate) fn failure(status: u16, text: String) -> ApiError {
    match serde_json::from_str::<Problem>(&text) {
        Ok(mut problem) => {
            problem.status = status;
            ApiError::Problem(problem)
        }
        Err(_) => ApiError::from_status(status, text),
    }
}

fn network(err: wasm_bindgen::JsValue) -> ApiError {
    ApiError::Network(format!("{err:?}"))
}

/// What goes up.
pub enum Body {
    /// A file (`text/csv`, …) sent as it is.
    File(Blob, &'static str),
    /// A multipart form; the browser writes the boundary.
    Form(FormData),
}

/// A successful answer: a text body, or a `Blob` for downloads.
pub struct Answer {
    xhr: XmlHttpRequest,
}

impl Answer {
    pub fn text(&self) -> String {
        self.xhr.response_text().ok().flatten().unwrap_or_default()
    }

    pub fn blob(&self) -> Option<Blob> {
        self.xhr.response().ok().and_then(|v| v.dyn_into().ok())
    }

    /// The file name of `Content-Disposition: attachment; filename="…"`.
    pub fn file_name(&self) -> Option<String> {
        let header = self
            .xhr
            .get_response_header("Content-Disposition")
            .ok()
            .flatten()?;
        disposition_name(&header)
    }
}

/// The plain `filename` parameter of a `Content-Disposition` value.
pub fn disposition_name(header: &str) -> Option<String> {
    header.split(';').find_map(|part| {
        let (key, value) = part.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("filename")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|name| !name.is_empty())
    })
}

/// One request in flight; resolves when it ends. Dropping it (the dialog closed) cancels the
/// request and detaches the handlers before their closures go.
pub struct Exchange {
    xhr: XmlHttpRequest,
    done: Rc<Cell<bool>>,
    waker: Rc<Cell<Option<Waker>>>,
    _progress: Closure<dyn FnMut(ProgressEvent)>,
    _state: Closure<dyn FnMut()>,
    _end: Closure<dyn FnMut()>,
}

impl Future for Exchange {
    type Output = Result<Answer, ApiError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if !self.done.get() {
            self.waker.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        let xhr = self.xhr.clone();
        let status = xhr.status().unwrap_or(0);
        Poll::Ready(match status {
            // No answer at all: offline, refused, aborted.
            0 => Err(ApiError::Network("the request did not complete".to_owned())),
            200..=299 => Ok(Answer { xhr }),
            _ => Err(failure(
                status,
                xhr.response_text().ok().flatten().unwrap_or_default(),
            )),
        })
    }
}

impl Drop for Exchange {
    fn drop(&mut self) {
        self.xhr.set_onloadend(None);
        self.xhr.set_onreadystatechange(None);
        self.xhr.set_onprogress(None);
        if let Ok(upload) = self.xhr.upload() {
            upload.set_onprogress(None);
        }
        if !self.done.get() {
            let _ = self.xhr.abort();
        }
    }
}

/// Sends `method url` with `body`, reporting the upload's progress (with a body) or the
/// download's (without) to `on_progress`. A successful download's body is a `Blob`; an error's
/// is read as text for its problem document.
pub fn send(
    method: &str,
    url: &str,
    csrf: &str,
    body: Option<Body>,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<Exchange, ApiError> {
    let xhr = XmlHttpRequest::new().map_err(network)?;
    xhr.open_with_async(method, url, true).map_err(network)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(network)?;
    if !csrf.is_empty() {
        xhr.set_request_header("X-CSRF-Token", csrf)
            .map_err(network)?;
    }
    let done = Rc::new(Cell::new(false));
    let waker = Rc::new(Cell::new(None::<Waker>));

    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        let total = ev.length_computable().then(|| ev.total() as u64);
        on_progress(Progress::new(ev.loaded() as u64, total));
    });
    let downloading = body.is_none();
    if downloading {
        xhr.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    } else {
        xhr.upload()
            .map_err(network)?
            .set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    // A download is kept as a Blob, but only once the status says success: an error's body
    // stays text (the response type may change until the body starts arriving).
    let state = {
        let xhr = xhr.clone();
        Closure::<dyn FnMut()>::new(move || {
            let ok = xhr.status().is_ok_and(|s| (200..300).contains(&s));
            if downloading && ok && xhr.ready_state() == XmlHttpRequest::HEADERS_RECEIVED {
                xhr.set_response_type(XmlHttpRequestResponseType::Blob);
            }
        })
    };
    xhr.set_onreadystatechange(Some(state.as_ref().unchecked_ref()));
    let end = {
        let (done, waker) = (done.clone(), waker.clone());
        Closure::<dyn FnMut()>::new(move || {
            done.set(true);
            if let Some(w) = waker.take() {
                w.wake();
            }
        })
    };
    xhr.set_onloadend(Some(end.as_ref().unchecked_ref()));

    match body {
        None => xhr.send(),
        Some(Body::File(blob, content_type)) => {
            xhr.set_request_header("Content-Type", content_type)
                .map_err(network)?;
            xhr.send_with_opt_blob(Some(&blob))
        }
        Some(Body::Form(form)) => xhr.send_with_opt_form_data(Some(&form)),
    }
    .map_err(network)?;
    Ok(Exchange {
        xhr,
        done,
        waker,
        _progress: progress,
        _state: state,
        _end: end,
    })
}

#[cfg(test)]
mod tests {
    use super::disposition_name;

    #[test]
    fn file_name_from_content_disposition() {
        let cases = [
            (
                r#"attachment; filename="db_backup_2026-11-26-14-00-00.zip""#,
                Some("db_backup_2026-11-26-14-00-00.zip"),
            ),
            ("attachment; filename=plain.zip", Some("plain.zip")),
            ("attachment; FILENAME = \"x.zip\" ; size=3", Some("x.zip")),
            ("attachment", None),
            ("attachment; filename=\"\"", None),
        ];
        for (header, want) in cases {
            assert_eq!(disposition_name(header).as_deref(), want, "{header}");
        }
    }
}
