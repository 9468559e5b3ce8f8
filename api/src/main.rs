//! `motovault [serve|migrate|import lubelogger …|backup --output FILE|restore --input FILE|help|version]`.

use std::process::ExitCode;

use motovault_api::app::Shutdown;
use motovault_api::{Application, Settings, store, telemetry};

const USAGE: &str = "\
MotoVaultPro — self-hosted vehicle maintenance, fuel and cost tracker

Usage: motovault [COMMAND]

Commands:
  serve     Run the server (default)
  migrate   Apply pending database migrations and exit
  import lubelogger --url URL (--api-key KEY | --username U --password P) [--owner USERNAME]
            Copy all data of a running LubeLogger server (safe to re-run)
  backup --output FILE
            Write every table and every stored file to one zip (docs/backup-format.md)
  restore --input FILE
            Read such a zip into an empty database (either engine) and object store
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
        "import" => return import(std::env::args().skip(2).collect()),
        "backup" => return backup(std::env::args().skip(2).collect()),
        "restore" => return restore(std::env::args().skip(2).collect()),
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let settings = match load_settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let traces = match telemetry::init_with_traces(&settings) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("motovault: {e}");
            return ExitCode::from(2);
        }
    };
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
        actix_web::rt::spawn(stop_on_signals(app.shutdown()));
        app.run_until_stopped().await.map_err(|e| e.to_string())
    });
    // After the server and pool: the last request spans are in the batch.
    traces.shutdown();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "motovault stopped");
            eprintln!("motovault: {e}");
            ExitCode::FAILURE
        }
    }
}

/// SIGTERM or SIGINT: drain, then stop gracefully; a second one stops at once.
async fn stop_on_signals(shutdown: Shutdown) {
    let Some(mut signals) = Signals::listen() else {
        tracing::error!("cannot listen for SIGTERM/SIGINT; stop the process with SIGKILL");
        return;
    };
    let name = signals.next().await;
    tracing::info!(signal = name, "shutdown requested");
    let draining = shutdown.clone();
    actix_web::rt::spawn(async move { draining.drain_and_stop().await });
    let name = signals.next().await;
    tracing::warn!(signal = name, "second signal: stopping now");
    shutdown.stop_now().await;
}

#[cfg(unix)]
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn listen() -> Option<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Some(Signals {
            term: signal(SignalKind::terminate()).ok()?,
            int: signal(SignalKind::interrupt()).ok()?,
        })
    }

    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn listen() -> Option<Signals> {
        Some(Signals)
    }

    async fn next(&mut self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "ctrl-c"
    }
}

/// `motovault import lubelogger …`: progress on stderr, the closing table on stdout; exits 1
/// when the source and result counts differ or a row failed, 2 on bad arguments.
fn import(args: Vec<String>) -> ExitCode {
    use motovault_api::import::lubelogger;

    let options = match import_options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("motovault import: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let settings = match load_settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = actix_web::rt::System::new()
        .block_on(async move { lubelogger::command(&settings, &options).await });
    match result {
        Ok(report) => {
            print!("{}", report.table());
            if report.is_complete() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "motovault import: the import is incomplete (see above); run it again after fixing the cause"
                );
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("motovault import: {e}");
            ExitCode::FAILURE
        }
    }
}

fn import_options(args: &[String]) -> Result<motovault_api::import::lubelogger::Options, String> {
    use motovault_api::import::lubelogger::{Auth, Options};

    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("lubelogger") => {}
        Some(other) => return Err(format!("unknown source `{other}` (supported: lubelogger)")),
        None => return Err("name the source: `motovault import lubelogger …`".into()),
    }
    let (mut url, mut key, mut username, mut password, mut owner) = (None, None, None, None, None);
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (flag.as_str(), None),
        };
        let slot = match name {
            "--url" => &mut url,
            "--api-key" => &mut key,
            "--username" => &mut username,
            "--password" => &mut password,
            "--owner" => &mut owner,
            other => return Err(format!("unknown option `{other}`")),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))?,
        };
        *slot = Some(value);
    }
    let url = url.ok_or("--url is required")?;
    let auth = match (key, username, password) {
        (Some(key), None, None) => Auth::ApiKey(key),
        (None, Some(username), Some(password)) => Auth::Basic { username, password },
        _ => return Err("give either --api-key, or --username and --password".into()),
    };
    Ok(Options { url, auth, owner })
}

/// `motovault backup --output FILE`: the same archive as `GET /api/makebackup`, written while
/// the server may keep running (one read transaction for the tables).
fn backup(args: Vec<String>) -> ExitCode {
    let Some(output) = file_arg(&args, "output", "o") else {
        eprintln!("motovault backup: give --output FILE\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let settings = match load_settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = actix_web::rt::System::new().block_on(async move {
        let db = store::connect(&settings).await.map_err(|e| e.to_string())?;
        let objects =
            motovault_api::infra::objects::from_settings(&settings).map_err(|e| e.to_string())?;
        motovault_api::backup::write(&db, objects.as_ref(), std::path::Path::new(&output))
            .await
            .map(|manifest| (output, manifest))
            .map_err(|e| e.to_string())
    });
    match result {
        Ok((output, manifest)) => {
            let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!(
                "backup written to {output}: {} tables, {rows} rows, {} files",
                manifest.tables.len(),
                manifest.objects
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motovault backup: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `motovault restore --input FILE`: migrates the target to the archive's schema, restores the
/// archive into it in one transaction (the target must hold no data; on failure it is left
/// empty), then applies any newer migrations.
fn restore(args: Vec<String>) -> ExitCode {
    let Some(input) = file_arg(&args, "input", "i") else {
        eprintln!("motovault restore: give --input FILE\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let settings = match load_settings() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let result = actix_web::rt::System::new().block_on(async move {
        use motovault_api::backup::restore;
        let input = std::path::Path::new(&input);
        let manifest = restore::read_checked_manifest(input).map_err(reason)?;
        let db = store::connect(&settings).await.map_err(|e| e.to_string())?;
        restore::migrate_to_archive(&db, &manifest)
            .await
            .map_err(reason)?;
        let objects =
            motovault_api::infra::objects::from_settings(&settings).map_err(|e| e.to_string())?;
        let manifest = restore::restore(&db, objects.as_ref(), input)
            .await
            .map_err(reason)?;
        store::migrate(&db).await.map_err(|e| e.to_string())?;
        Ok::<_, String>(manifest)
    });
    match result {
        Ok(manifest) => {
            let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
            println!(
                "restored {} tables, {rows} rows, {} files",
                manifest.tables.len(),
                manifest.objects
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motovault restore: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The cause alone, without the HTTP-flavoured prefix of `AppError`'s display.
fn reason(e: motovault_api::error::AppError) -> String {
    use motovault_api::error::AppError;
    match e {
        AppError::Malformed(m)
        | AppError::Conflict(m)
        | AppError::Internal(m)
        | AppError::Unavailable(m) => m,
        other => other.to_string(),
    }
}

/// The settings, or the exit code after saying what is wrong with them (2: bad configuration).
fn load_settings() -> Result<Settings, ExitCode> {
    Settings::load().map_err(|e| {
        eprintln!("motovault: {e}");
        ExitCode::from(2)
    })
}

/// The one argument `--LONG FILE`, `-SHORT FILE` or `--LONG=FILE`.
fn file_arg(args: &[String], long: &str, short: &str) -> Option<String> {
    match args {
        [flag, file]
            if flag.strip_prefix("--") == Some(long) || flag.strip_prefix('-') == Some(short) =>
        {
            Some(file.clone())
        }
        [flag] => flag
            .strip_prefix("--")
            .and_then(|f| f.strip_prefix(long))
            .and_then(|f| f.strip_prefix('='))
            .map(str::to_owned),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::file_arg;

    #[test]
    fn file_arg_takes_the_long_short_and_equals_forms_only() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["--input", "a.zip"], Some("a.zip")),
            (&["-i", "a.zip"], Some("a.zip")),
            (&["--input=a.zip"], Some("a.zip")),
            (&["--inputs=a.zip"], None),
            (&["--input"], None),
            (&["-o", "a.zip"], None),
            (&["--input", "a.zip", "extra"], None),
            (&[], None),
        ];
        for (given, want) in cases {
            assert_eq!(
                file_arg(&args(given), "input", "i").as_deref(),
                *want,
                "{given:?}"
            );
        }
    }
}
