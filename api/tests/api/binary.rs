//! The real `motovault` binary: configuration errors, JSON logs with request ids, SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::TestEnv;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn bad_configuration_stops_start_up_naming_the_key() {
    let cases = [
        ("MOTOVAULT__SERVER__PROT", "8080", "prot"),
        ("MOTOVAULT__SERVER__PORT", "not-a-port", "server.port"),
        ("MOTOVAULT__DATABASE__URL", "mysql://x/y", "database.url"),
    ];
    for (key, value, needle) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_motovault"))
            .arg("serve")
            .env(key, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{key}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{key}: {stderr}");
    }
}

#[actix_web::test]
async fn json_logs_carry_request_ids_and_sigterm_stops_cleanly() {
    let env = TestEnv::new().await;
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_motovault"));
    cmd.arg("serve")
        .env("MOTOVAULT__SERVER__PORT", port.to_string())
        .env("MOTOVAULT__DATA_DIR", env.dir.join("data"))
        .env("MOTOVAULT__SERVER__SHUTDOWN_TIMEOUT_SECS", "5")
        .env("MOTOVAULT__SERVER__DRAIN_SECS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = &env.database_url {
        cmd.env("MOTOVAULT__DATABASE__URL", url);
    }
    let mut child = cmd.spawn().unwrap();

    let client = awc::Client::default();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(res) = client.get(format!("{url}/health/ready")).send().await
            && res.status() == 200
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never became ready"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let res = client
        .get(format!("{url}/api/v1/vehicles"))
        .insert_header(("x-request-id", "it-works-123"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");

    let lines: Vec<serde_json::Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every log line is JSON"))
        .collect();
    let request_lines: Vec<_> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "it-works-123")
        .collect();
    assert!(
        request_lines
            .iter()
            .any(|l| l["status"] == 401 && l["span"]["path"] == "/api/v1/vehicles"),
        "{request_lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "MotoVaultPro listening"),
        "{lines:?}"
    );
    // Every line logged while handling a request names it.
    for line in lines.iter().filter(|l| l["span"]["name"] == "request") {
        assert!(line["span"]["request_id"].is_string(), "{line}");
    }
}
