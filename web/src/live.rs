//! Live refresh: one `EventSource` on `/api/v1/events` while someone is signed in. Each change
//! bumps a counter that pages showing that vehicle (or the garage, for every vehicle) read in
//! their resources, so they refetch without a reload. The stream reconnects by itself after
//! network errors; when the server refused it (signed out, restarted) it is reopened after a
//! pause.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

use crate::app::use_auth;

const RETRY_MS: i32 = 5_000;

/// The last change seen: its vehicle, and a sequence number that grows with every change.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Seen {
    pub vehicle_id: Option<i64>,
    pub seq: u64,
}

#[derive(Clone, Copy)]
pub struct Live {
    seen: RwSignal<Seen>,
}

/// Starts the stream (when signed in) and shares the changes with every page.
pub fn provide() {
    let live = Live {
        seen: RwSignal::new(Seen::default()),
    };
    provide_context(live);
    let auth = use_auth();
    let source: StoredValue<Option<EventSource>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let signed_in = auth.username().is_some();
        source.update_value(|s| {
            if let Some(old) = s.take() {
                old.close();
            }
            if signed_in {
                *s = open(live, source);
            }
        });
    });
}

fn open(live: Live, slot: StoredValue<Option<EventSource>, LocalStorage>) -> Option<EventSource> {
    // An `EventSource` cannot send headers: a wall display's key goes in the query (reads only).
    let url = match crate::api::api_key() {
        Some(key) => format!("/api/v1/events?apiKey={key}"),
        None => "/api/v1/events".to_owned(),
    };
    let source = EventSource::new(&url).ok()?;
    let on_change = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let vehicle_id = event
            .data()
            .as_string()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|v| v["vehicleId"].as_i64());
        live.seen.update(|s| {
            s.seq += 1;
            s.vehicle_id = vehicle_id;
        });
    });
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // Changes were skipped: everything shown may be stale.
    let on_resync = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
        live.seen.update(|s| {
            s.seq += 1;
            s.vehicle_id = None;
        });
    });
    let _ = source.add_event_listener_with_callback("resync", on_resync.as_ref().unchecked_ref());
    let on_error = Closure::<dyn FnMut()>::new(move || {
        let closed = slot.with_value(|s| {
            s.as_ref()
                .is_some_and(|s| s.ready_state() == EventSource::CLOSED)
        });
        if closed {
            set_timeout(
                move || {
                    slot.update_value(|s| {
                        // Still the same closed stream (not signed out meanwhile): reopen.
                        if s.as_ref()
                            .is_some_and(|s| s.ready_state() == EventSource::CLOSED)
                        {
                            *s = open(live, slot);
                        }
                    });
                },
                std::time::Duration::from_millis(RETRY_MS as u64),
            );
        }
    });
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The stream lives as long as the page; its three closures with it.
    on_change.forget();
    on_resync.forget();
    on_error.forget();
    Some(source)
}

/// A number that changes whenever a change to the vehicle `vehicle_id()` names (or, with
/// `None`, to any vehicle) arrives; read it inside a resource to refetch then.
pub fn watch(vehicle_id: impl Fn() -> Option<i64> + Send + Sync + 'static) -> Memo<u64> {
    let live = use_context::<Live>();
    let last = StoredValue::new(0u64);
    Memo::new(move |_| {
        let Some(live) = live else {
            return 0;
        };
        let seen = live.seen.get();
        let wanted = vehicle_id();
        let relevant = wanted.is_none() || seen.vehicle_id.is_none() || seen.vehicle_id == wanted;
        if relevant {
            last.set_value(seen.seq);
        }
        last.get_value()
    })
}
