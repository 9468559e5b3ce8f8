//! `motovault [serve|migrate|help|version]`.

use std::process::ExitCode;

use motovault_api::{Application, Settings, store, telemetry};

const USAGE: &str = "\
MotoVaultPro — self-hosted vehicle maintenance, fuel and cost tracker

Usage: motovault [COMMAND]

Commands:
  serve     Run the server (default)
  migrate   Apply pending database migrations and exit
  help      Show this text
  version   Show the version

Configuration comes from the environment (MOTOVAULT__SERVER__PORT, MOTOVAULT__DATABASE__URL, …)
and an optional file named by MOTOVAULT_CONFIG. See README.md.";

fn main() -> ExitCode {
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "serve".to_owned());
    match command.as_str() {
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        "version" | "--version" | "-V" => {
            println!("motovault {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        "serve" | "migrate" => {}
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("motovault: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log);
    let result = actix_web::rt::System::new().block_on(async move {
        if command == "migrate" {
            let db = store::connect(&settings).await.map_err(|e| e.to_string())?;
            store::migrate(&db).await.map_err(|e| e.to_string())?;
            tracing::info!("migrations applied");
            return Ok(());
        }
        let app = Application::build(settings)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(port = app.port(), "MotoVaultPro listening");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "motovault stopped");
            eprintln!("motovault: {e}");
            ExitCode::FAILURE
        }
    }
}
