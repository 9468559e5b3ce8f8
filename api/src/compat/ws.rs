//! LubeLogger's SignalR hub `/api/ws` (reference §1 WebSocket) with the JSON hub protocol over
//! WebSocket, for kiosks and clients written against LubeLogger:
//!
//! - `POST /api/ws/negotiate` answers a connection id and WebSockets as the only transport.
//!   The id is not remembered: the socket may land on another replica than the negotiation,
//!   and the socket authenticates on its own (Basic, cookie or `apiKey`, as every `/api/*`).
//! - `GET /api/ws` upgrades; the client's handshake `{"protocol":"json","version":1}` is
//!   answered `{}`; every record ends with the record separator 0x1E.
//! - `JoinGroup("kiosk")` receives every change the user may view (the root's: everything);
//!   `JoinGroup("vehicleId_{id}")` that vehicle's, and is refused without view access.
//! - Each change goes out once per connection as `ReceiveChangeForAllVehicles(payload)` with
//!   the reference §3.10 payload. The server pings every 15 s and closes a connection that sent
//!   nothing for 30 s, and closes every socket when the server starts draining.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{Message, MessageStream, Session};
use motovault_shared::dto::access::Permission;
use serde_json::{Value, json};
use tokio::sync::broadcast::{self, error::RecvError};

use super::auth::CompatCaller;
use super::error::CompatResult;
use crate::events::Change;
use crate::events::visibility::Viewer;
use crate::state::AppState;

/// The JSON hub protocol's record separator.
const RS: char = '\u{1e}';
const PING_EVERY: Duration = Duration::from_secs(15);
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest message a client may send (hub invocations are tiny).
const MAX_FRAME: usize = 64 * 1024;

pub fn register(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/ws/negotiate", web::post().to(negotiate))
        .route("/api/ws", web::get().to(connect));
}

async fn negotiate(who: CompatCaller) -> CompatResult<HttpResponse> {
    who.caller(Permission::View)?;
    let id = crate::events::relay::new_origin();
    Ok(HttpResponse::Ok().json(json!({
        "negotiateVersion": 1,
        "connectionId": id,
        "connectionToken": id,
        "availableTransports": [{"transport": "WebSockets", "transferFormats": ["Text"]}],
    })))
}

async fn connect(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    who: CompatCaller,
) -> actix_web::Result<HttpResponse> {
    let caller = who.caller(Permission::View)?;
    // Subscribed before the upgrade answer, so no change after it is missed.
    let changes = state.hub.subscribe();
    let viewer = Viewer::load(&state.db, caller.user).await;
    let (response, session, stream) = actix_ws::handle(&req, body)?;
    let stream = stream.max_frame_size(MAX_FRAME);
    actix_web::rt::spawn(run(state.into_inner(), session, stream, changes, viewer));
    Ok(response)
}

/// What one connection has asked for.
#[derive(Default)]
struct Groups {
    kiosk: bool,
    vehicles: HashSet<i64>,
}

impl Groups {
    fn wants(&self, change: &Change) -> bool {
        self.kiosk || self.vehicles.contains(&change.vehicle_id)
    }
}

fn record(value: &Value) -> String {
    format!("{value}{RS}")
}

async fn run(
    state: Arc<AppState>,
    mut session: Session,
    mut stream: MessageStream,
    mut changes: broadcast::Receiver<Arc<Change>>,
    mut viewer: Viewer,
) {
    let mut shook_hands = false;
    let mut groups = Groups::default();
    let mut pending = String::new();
    let mut last_heard = Instant::now();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut drain_check = tokio::time::interval(Duration::from_secs(1));
    ping.tick().await;
    let outcome: Result<(), ()> = 'connection: loop {
        tokio::select! {
            message = stream.recv() => {
                last_heard = Instant::now();
                match message {
                    Some(Ok(Message::Text(text))) => {
                        pending.push_str(&text);
                        // Complete records end with RS; a partial one waits for the next frame.
                        while let Some(end) = pending.find(RS) {
                            let item: String = pending.drain(..=end).collect();
                            let item = &item[..item.len() - RS.len_utf8()];
                            let step = if shook_hands {
                                on_message(&state, &mut session, &mut viewer, &mut groups, item).await
                            } else {
                                shook_hands = true;
                                handshake(&mut session, item).await
                            };
                            if step.is_err() {
                                break 'connection Ok(());
                            }
                        }
                    }
                    Some(Ok(Message::Ping(bytes))) => {
                        if session.pong(&bytes).await.is_err() {
                            break Err(());
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break Err(()),
                    Some(Ok(_)) => {}
                }
            }
            received = changes.recv() => match received {
                Ok(change) => {
                    if shook_hands && groups.wants(&change) && viewer.may_see(&state.db, &change).await {
                        let invocation = json!({
                            "type": 1,
                            "target": "ReceiveChangeForAllVehicles",
                            "arguments": [change.webhook_payload()],
                        });
                        if session.text(record(&invocation)).await.is_err() {
                            break Err(());
                        }
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::debug!(skipped, "a hub connection fell behind");
                }
                Err(RecvError::Closed) => break Ok(()),
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > CLIENT_TIMEOUT {
                    break Ok(());
                }
                if shook_hands && session.text(record(&json!({"type": 6}))).await.is_err() {
                    break Err(());
                }
            }
            _ = drain_check.tick() => {
                if state.draining.load(Ordering::Relaxed) {
                    break Ok(());
                }
            }
        }
    };
    if outcome.is_ok() {
        // A hub Close message first, so clients know it was on purpose.
        let _ = session.text(record(&json!({"type": 7}))).await;
        let _ = session.close(None).await;
    }
}

async fn handshake(session: &mut Session, item: &str) -> Result<(), ()> {
    let request: Value = serde_json::from_str(item).unwrap_or(Value::Null);
    if request["protocol"] == "json" {
        session.text(record(&json!({}))).await.map_err(|_| ())
    } else {
        let refusal = json!({"error": "only the json protocol is supported"});
        let _ = session.text(record(&refusal)).await;
        Err(())
    }
}

async fn on_message(
    state: &AppState,
    session: &mut Session,
    viewer: &mut Viewer,
    groups: &mut Groups,
    item: &str,
) -> Result<(), ()> {
    let message: Value = serde_json::from_str(item).unwrap_or(Value::Null);
    match message["type"].as_i64() {
        Some(1) => {}
        // Pings need no answer; a Close ends the connection.
        Some(7) => return Err(()),
        _ => return Ok(()),
    }
    let target = message["target"].as_str().unwrap_or_default();
    let argument = message["arguments"][0].as_str().unwrap_or_default();
    let outcome = if target.eq_ignore_ascii_case("JoinGroup") {
        join(state, viewer, groups, argument).await
    } else if target.eq_ignore_ascii_case("LeaveGroup") {
        leave(groups, argument);
        Ok(())
    } else {
        Err(format!("Unknown hub method '{target}'"))
    };
    // Without an invocation id the client expects no answer.
    let Some(invocation) = message["invocationId"].as_str() else {
        return Ok(());
    };
    let completion = match outcome {
        Ok(()) => json!({"type": 3, "invocationId": invocation}),
        Err(error) => json!({"type": 3, "invocationId": invocation, "error": error}),
    };
    session.text(record(&completion)).await.map_err(|_| ())
}

fn vehicle_group(group: &str) -> Option<i64> {
    group.strip_prefix("vehicleId_")?.parse().ok()
}

async fn join(
    state: &AppState,
    viewer: &mut Viewer,
    groups: &mut Groups,
    group: &str,
) -> Result<(), String> {
    if group == "kiosk" {
        groups.kiosk = true;
        return Ok(());
    }
    let refused = || format!("cannot join '{group}'");
    let vehicle_id = vehicle_group(group).ok_or_else(refused)?;
    if viewer.may_view(&state.db, vehicle_id).await {
        groups.vehicles.insert(vehicle_id);
        Ok(())
    } else {
        Err(refused())
    }
}

fn leave(groups: &mut Groups, group: &str) {
    if group == "kiosk" {
        groups.kiosk = false;
    } else if let Some(vehicle_id) = vehicle_group(group) {
        groups.vehicles.remove(&vehicle_id);
    }
}
