//! LubeLogger's SignalR hub `/api/ws` (reference §1 WebSocket). CONTRACT STUB — helper
//! "events" implements the JSON hub protocol over actix-ws.

use actix_web::web;

pub fn register(_cfg: &mut web::ServiceConfig) {}
