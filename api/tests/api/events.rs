//! Live updates: the SSE stream `/api/v1/events` (only what the caller may view, across
//! replicas through a real Redis) and LubeLogger's SignalR hub `/api/ws` spoken by a real
//! WebSocket client.

use std::pin::Pin;
use std::time::Duration;

use actix_web::web::Bytes;
use awc::error::PayloadError;
use awc::ws;
use futures_util::{SinkExt, Stream, StreamExt};
use serde_json::{Value, json};

use crate::helpers::{TestApp, unique};

pub const ROUTES: &[(&str, &str)] = &[("get", "/api/v1/events")];

const PASSWORD: &str = "correct horse battery";
const REDIS: &str = "redis://127.0.0.1:6379";
/// How long a test waits for an event that must come.
const WAIT: Duration = Duration::from_secs(10);

/// Notes added on `writer` until `stream` reports one (a write may be lost while Redis comes
/// back); fails after `within`.
async fn until_heard(writer: &TestApp, stream: &mut Sse, vehicle: i64, within: Duration) {
    let deadline = std::time::Instant::now() + within;
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "no change crossed replicas in time"
        );
        let note = writer
            .post(
                &format!("/api/v1/vehicles/{vehicle}/notes"),
                &json!({"title": "Ping", "body": ""}),
            )
            .await;
        assert_eq!(note.status, 201, "{}", note.text);
        if let Ok(change) = tokio::time::timeout(Duration::from_secs(1), stream.next_change()).await
        {
            assert_eq!(change["vehicleId"], vehicle);
            return;
        }
    }
}

type Body = Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>;

/// An open `/api/v1/events` stream, read event by event.
struct Sse {
    body: Body,
    buffer: String,
}

impl Sse {
    async fn open(app: &TestApp, headers: &[(&str, &str)]) -> Sse {
        let mut req = awc::Client::default().get(format!("{}/api/v1/events", app.address));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let res = req.send().await.expect("the stream opens");
        assert_eq!(res.status(), 200);
        let content_type = res.headers().get("content-type").unwrap().to_str().unwrap();
        assert_eq!(content_type, "text/event-stream");
        Sse {
            body: Box::pin(res),
            buffer: String::new(),
        }
    }

    /// The next `change` event's data (comments and other fields are skipped).
    async fn next_change(&mut self) -> Value {
        tokio::time::timeout(WAIT, async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let mut event = None;
                    let mut data = None;
                    for line in block.lines() {
                        if let Some(v) = line.strip_prefix("event: ") {
                            event = Some(v.to_owned());
                        } else if let Some(v) = line.strip_prefix("data: ") {
                            data = Some(v.to_owned());
                        }
                    }
                    if event.as_deref() == Some("change") {
                        return serde_json::from_str(&data.unwrap()).unwrap();
                    }
                }
                let chunk = self
                    .body
                    .next()
                    .await
                    .expect("the stream stays open")
                    .unwrap();
                self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        })
        .await
        .expect("a change event arrives in time")
    }
}

fn cookie_of(app: &TestApp) -> String {
    app.cookie.clone().unwrap()
}

#[actix_web::test]
async fn sse_carries_changes_the_caller_may_view_and_nothing_else() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("ann", PASSWORD).await;
    app.add_user("bob", PASSWORD).await;
    app.login("bob", PASSWORD).await;
    let bob = cookie_of(&app);

    app.login("ann", PASSWORD).await;
    let shared = app.add_vehicle("Shared").await;
    let private = app.add_vehicle("Private").await;
    let added = app
        .post(
            &format!("/api/v1/vehicles/{shared}/collaborators"),
            &json!({"username": "bob"}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);

    // Bob's stream, with his session cookie; an API key of his opens one too.
    let mut stream = Sse::open(&app, &[("cookie", &bob)]).await;

    // Ann writes to her private vehicle first, then to the shared one: the first event Bob
    // sees must be the shared one's.
    let hidden = app
        .post(
            &format!("/api/v1/vehicles/{private}/notes"),
            &json!({"title": "Secret", "body": ""}),
        )
        .await;
    assert_eq!(hidden.status, 201, "{}", hidden.text);
    let fuel = app
        .post(
            &format!("/api/v1/vehicles/{shared}/fuel-records"),
            &json!({"date": "2024-05-01", "odometer": 1000, "fuelConsumed": 40, "cost": 60, "isFillToFull": true}),
        )
        .await;
    assert_eq!(fuel.status, 201, "{}", fuel.text);
    let fuel_id = fuel.body["id"].as_i64().unwrap();
    assert_eq!(
        stream.next_change().await,
        json!({"vehicleId": shared, "entity": "gasrecord", "op": "add", "recordId": fuel_id})
    );

    // Updates and deletes, by anyone with access, including the vehicle's own delete.
    let path = format!("/api/v1/vehicles/{shared}/fuel-records/{fuel_id}");
    assert_eq!(app.delete(&path).await.status, 204);
    assert_eq!(
        stream.next_change().await,
        json!({"vehicleId": shared, "entity": "gasrecord", "op": "delete", "recordId": fuel_id})
    );
    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{private}"))
            .await
            .status,
        204
    );
    assert_eq!(
        app.delete(&format!("/api/v1/vehicles/{shared}"))
            .await
            .status,
        204
    );
    assert_eq!(
        stream.next_change().await,
        json!({"vehicleId": shared, "entity": "vehicle", "op": "delete", "recordId": null})
    );

    // Without credentials there is no stream.
    app.forget();
    let anonymous = app.get("/api/v1/events").await;
    assert_eq!(anonymous.status, 401);
}

#[actix_web::test]
async fn a_change_on_one_replica_reaches_a_stream_held_on_another() {
    let prefix = unique("mvevents");
    let settings = [
        ("MOTOVAULT__REDIS__URL", REDIS),
        ("MOTOVAULT__REDIS__KEY_PREFIX", prefix.as_str()),
    ];
    let mut a = TestApp::spawn_in(crate::helpers::TestEnv::new().await, &settings).await;
    a.setup_root().await;
    let vehicle = a.add_vehicle("Replicated").await;
    let mut b = a.replica(&settings).await;
    b.cookie = a.cookie.clone();
    b.csrf = a.csrf.clone();

    let mut stream = Sse::open(&a, &[("cookie", &cookie_of(&a))]).await;
    let note = b
        .post(
            &format!("/api/v1/vehicles/{vehicle}/notes"),
            &json!({"title": "From B", "body": ""}),
        )
        .await;
    assert_eq!(note.status, 201, "{}", note.text);
    assert_eq!(
        stream.next_change().await,
        json!({"vehicleId": vehicle, "entity": "note", "op": "add", "recordId": note.body["id"]})
    );

    // A's own changes arrive once, not a second time through Redis.
    let renamed = a
        .put(
            &format!("/api/v1/vehicles/{vehicle}/notes/{}", note.body["id"]),
            &json!({"title": "From A", "body": ""}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(stream.next_change().await["op"], "update");
    let gone = b
        .delete(&format!(
            "/api/v1/vehicles/{vehicle}/notes/{}",
            note.body["id"]
        ))
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(stream.next_change().await["op"], "delete");
}

/// What `awc`'s WebSocket client hands back: frames in, messages out.
trait Socket:
    Stream<Item = Result<ws::Frame, actix_ws::ProtocolError>>
    + futures_util::Sink<ws::Message, Error = actix_ws::ProtocolError>
    + Unpin
{
}
impl<T> Socket for T where
    T: Stream<Item = Result<ws::Frame, actix_ws::ProtocolError>>
        + futures_util::Sink<ws::Message, Error = actix_ws::ProtocolError>
        + Unpin
{
}

async fn hub(app: &TestApp, query: &str) -> impl Socket + use<> {
    let url = format!("{}/api/ws?{query}", app.address.replace("http://", "ws://"));
    let (res, mut socket) = awc::Client::default()
        .ws(url)
        .connect()
        .await
        .expect("the socket opens");
    assert_eq!(res.status(), 101);
    socket
        .send(ws::Message::Text(
            "{\"protocol\":\"json\",\"version\":1}\u{1e}".into(),
        ))
        .await
        .unwrap();
    assert_eq!(receive(&mut socket).await, json!({}));
    socket
}

/// The next hub message that is not a ping.
async fn receive(socket: &mut impl Socket) -> Value {
    tokio::time::timeout(WAIT, async {
        loop {
            match socket.next().await.expect("the socket stays open").unwrap() {
                ws::Frame::Text(bytes) => {
                    let text = std::str::from_utf8(&bytes).unwrap();
                    let record = text.strip_suffix('\u{1e}').expect("records end with 0x1E");
                    let value: Value = serde_json::from_str(record).unwrap();
                    if value["type"] != 6 {
                        return value;
                    }
                }
                ws::Frame::Ping(_) | ws::Frame::Pong(_) => {}
                other => panic!("unexpected frame {other:?}"),
            }
        }
    })
    .await
    .expect("a hub message arrives in time")
}

async fn invoke(socket: &mut impl Socket, id: &str, target: &str, group: &str) -> Value {
    let message = json!({"type": 1, "invocationId": id, "target": target, "arguments": [group]});
    socket
        .send(ws::Message::Text(format!("{message}\u{1e}").into()))
        .await
        .unwrap();
    receive(socket).await
}

#[actix_web::test]
async fn the_signalr_hub_delivers_the_lubelogger_payload_to_joined_groups() {
    let mut app = TestApp::spawn().await;
    app.setup_root().await;
    app.add_user("bob", PASSWORD).await;
    let vehicle = app.add_vehicle("Hubbed").await;
    let key = app
        .post(
            "/api/v1/api-keys",
            &json!({"name": "kiosk", "role": "viewer"}),
        )
        .await;
    assert_eq!(key.status, 201, "{}", key.text);
    let key = key.body["secret"].as_str().unwrap().to_owned();

    // Negotiation, with the key in the query as LubeLogger clients send it.
    let negotiated = app
        .raw(
            awc::http::Method::POST,
            &format!("/api/ws/negotiate?negotiateVersion=1&apiKey={key}"),
            None,
            vec![],
            &[],
        )
        .await;
    assert_eq!(negotiated.status, 200, "{}", negotiated.text);
    assert_eq!(negotiated.body["negotiateVersion"], 1);
    assert!(negotiated.body["connectionId"].as_str().is_some());
    assert_eq!(
        negotiated.body["availableTransports"],
        json!([{"transport": "WebSockets", "transferFormats": ["Text"]}])
    );
    let token = negotiated.body["connectionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let cookie = app.cookie.take();
    let unauthenticated = app
        .raw(
            awc::http::Method::POST,
            "/api/ws/negotiate",
            None,
            vec![],
            &[],
        )
        .await;
    assert_eq!(unauthenticated.status, 401);
    app.cookie = cookie;

    let mut socket = hub(&app, &format!("id={token}&apiKey={key}")).await;
    let joined = invoke(
        &mut socket,
        "1",
        "JoinGroup",
        &format!("vehicleId_{vehicle}"),
    )
    .await;
    assert_eq!(joined, json!({"type": 3, "invocationId": "1"}));

    // A change made in the web app (a session, so no `.api`).
    let service = app
        .post(
            &format!("/api/v1/vehicles/{vehicle}/service-records"),
            &json!({"date": "2024-05-01", "odometer": 1200, "description": "Oil change", "cost": 45.5}),
        )
        .await;
    assert_eq!(service.status, 201, "{}", service.text);
    let message = receive(&mut socket).await;
    assert_eq!(message["type"], 1);
    assert_eq!(message["target"], "ReceiveChangeForAllVehicles");
    let payload = &message["arguments"][0];
    let mut keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "action",
            "data",
            "timestamp",
            "type",
            "username",
            "vehicleId"
        ]
    );
    assert_eq!(payload["type"], "servicerecord.add");
    assert_eq!(payload["vehicleId"], vehicle);
    assert_eq!(payload["username"], "root");
    assert_eq!(
        payload["action"],
        "root Added Service Record Description: Oil change"
    );
    assert_eq!(
        payload["data"],
        json!({"user": "root", "vehicleId": vehicle.to_string(), "description": "Oil change", "odometer": "1200", "cost": "45.50"})
    );
    let timestamp = payload["timestamp"].as_str().unwrap();
    assert_eq!(
        timestamp.len(),
        "2024-05-01T00:00:00.0000000Z".len(),
        "{timestamp}"
    );
    assert!(timestamp.ends_with('Z'));

    // Bob (Basic credentials) cannot join a vehicle he cannot see; the kiosk is his to join.
    let url = format!("{}/api/ws", app.address.replace("http://", "ws://"));
    let (_, mut bobs) = awc::Client::default()
        .ws(url)
        .basic_auth("bob", Some(PASSWORD))
        .connect()
        .await
        .expect("bob's socket opens");
    bobs.send(ws::Message::Text(
        "{\"protocol\":\"json\",\"version\":1}\u{1e}".into(),
    ))
    .await
    .unwrap();
    assert_eq!(receive(&mut bobs).await, json!({}));
    let refused = invoke(&mut bobs, "7", "JoinGroup", &format!("vehicleId_{vehicle}")).await;
    assert_eq!(refused["type"], 3);
    assert_eq!(refused["invocationId"], "7");
    assert!(refused["error"].as_str().is_some(), "{refused}");
    let kiosk = invoke(&mut bobs, "8", "JoinGroup", "kiosk").await;
    assert_eq!(kiosk, json!({"type": 3, "invocationId": "8"}));

    // Root's vehicle changes again: the kiosk of bob stays silent while root's socket hears
    // it; then bob's own change reaches bob.
    let touched = app
        .put(
            &format!("/api/v1/vehicles/{vehicle}"),
            &json!({"year": 2019, "make": "Hubbed", "model": "Civic", "licensePlate": "X"}),
        )
        .await;
    assert_eq!(touched.status, 200, "{}", touched.text);
    assert_eq!(
        receive(&mut socket).await["arguments"][0]["type"],
        "vehicle.update"
    );
    app.login("bob", PASSWORD).await;
    let own = app.add_vehicle("Bobs").await;
    let heard = receive(&mut bobs).await;
    assert_eq!(heard["arguments"][0]["type"], "vehicle.add", "{heard}");
    assert_eq!(heard["arguments"][0]["vehicleId"], own);

    // Without credentials the upgrade is refused.
    let anonymous = awc::Client::default()
        .ws(format!(
            "{}/api/ws",
            app.address.replace("http://", "ws://")
        ))
        .connect()
        .await;
    assert!(anonymous.is_err());
}

#[actix_web::test]
async fn live_updates_between_replicas_resume_after_redis_comes_back() {
    let port = crate::redis::OwnRedis::free_port();
    let redis = crate::redis::OwnRedis::start(port).await;
    let url = redis.url();
    let prefix = unique("mvrelay");
    let settings = [
        ("MOTOVAULT__REDIS__URL", url.as_str()),
        ("MOTOVAULT__REDIS__KEY_PREFIX", prefix.as_str()),
        ("MOTOVAULT__REDIS__TIMEOUT_MS", "300"),
    ];
    let mut a = TestApp::spawn_in(crate::helpers::TestEnv::new().await, &settings).await;
    a.setup_root().await;
    let vehicle = a.add_vehicle("Relayed").await;
    let mut b = a.replica(&settings).await;
    b.cookie = a.cookie.clone();
    b.csrf = a.csrf.clone();
    let mut stream = Sse::open(&a, &[("cookie", &cookie_of(&a))]).await;
    until_heard(&b, &mut stream, vehicle, Duration::from_secs(10)).await;

    // Redis goes away: writes still succeed (each replica's own streams still hear them).
    redis.kill();
    let during = b
        .post(
            &format!("/api/v1/vehicles/{vehicle}/notes"),
            &json!({"title": "While down", "body": ""}),
        )
        .await;
    assert_eq!(during.status, 201, "{}", during.text);

    // It comes back on the same address: the relay reconnects by itself.
    let _redis = crate::redis::OwnRedis::start(port).await;
    until_heard(&b, &mut stream, vehicle, Duration::from_secs(20)).await;
}
