//! The benchmark's baseline (scripts/bench.sh): a plain actix-web server answering every
//! `GET /` with a constant JSON body, with the same worker count as `motovault serve` (one per
//! core) and no middleware, so the server's figures read as a fraction of what the framework
//! does on the machine.
//!
//! `cargo run --release -p motovault-api --example constant -- 18490`

use actix_web::{App, HttpResponse, HttpServer, get};

#[get("/")]
async fn constant() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"ok"}"#)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::args().nth(1) {
        Some(arg) => arg
            .parse()
            .map_err(|_| std::io::Error::other(format!("not a port: {arg}")))?,
        None => 18490,
    };
    HttpServer::new(|| App::new().service(constant))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}
