//! Typed settings: built-in defaults → optional file (`MOTOVAULT_CONFIG`) → environment
//! (`MOTOVAULT__SECTION__KEY`). Any key may instead be given as `MOTOVAULT__…_FILE` naming a
//! file that holds the value (container secrets). Unknown keys and invalid values stop start-up
//! with a message naming the key.

use std::fmt;
use std::path::{Path, PathBuf};

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

const ENV_PREFIX: &str = "MOTOVAULT";
const FILE_SUFFIX: &str = "_FILE";

/// A value that must never reach a log line.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    /// Where the embedded database and local files live.
    pub data_dir: PathBuf,
    pub database: DatabaseSettings,
    pub web: WebSettings,
    pub log: LogSettings,
    pub auth: AuthSettings,
    pub reminders: ReminderSettings,
    pub attachments: AttachmentSettings,
    pub supplies: SupplySettings,
    pub smtp: SmtpSettings,
    pub oidc: OidcSettings,
    pub compat: CompatSettings,
    pub storage: StorageSettings,
    pub redis: RedisSettings,
    pub jobs: JobSettings,
    pub webhooks: WebhookSettings,
    pub telemetry: TelemetrySettings,
}

/// Redis, shared by all replicas: session lookups, login limits, the second cache level and
/// the pub/sub channel that carries invalidations and live updates. Unset `url` = everything
/// in-process (one replica).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// `redis://host:6379/0`.
    pub url: Option<Secret>,
    /// Prefix of every key and channel, so several deployments (or tests) can share a server.
    pub key_prefix: String,
    /// The longest one Redis call may take (connect, pool wait and response) before the caller
    /// falls back to the database.
    pub timeout_ms: u64,
    pub pool_size: usize,
    /// Lifetime of cached entries (both levels); writes invalidate them earlier.
    pub cache_ttl_secs: u64,
}

/// Background jobs (recurring taxes, reminder e-mails and state changes, webhook deliveries,
/// temp clean-up). Every replica runs the scheduler; a lease in the database lets exactly one
/// run each job at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    pub enabled: bool,
    /// How often the scheduler wakes to look for due work.
    pub tick_secs: u64,
    /// UTC time of day (`HH:MM`) of the daily jobs.
    pub daily_at: String,
    /// How long a replica holds a job's lease; another replica takes over after it lapses.
    pub lease_secs: u64,
}

/// Outgoing webhooks with the reference §3.10 payload.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// Comma-separated URLs; a `discord://` prefix sends Discord's format to `https://…`.
    pub urls: String,
    pub max_attempts: u32,
    pub timeout_secs: u64,
    /// First retry delay; each further attempt doubles it (plus up to half again of jitter).
    pub backoff_base_ms: u64,
}

/// OpenTelemetry traces over OTLP/HTTP; off while `otlp_endpoint` is unset.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    /// `http://collector:4318` (the `/v1/traces` path is appended).
    pub otlp_endpoint: Option<String>,
    pub service_name: String,
    /// Fraction of new traces recorded (incoming sampled `traceparent`s are always followed).
    pub sample_ratio: f64,
}

/// Where attachment and image bytes live: the data dir's `objects/` folder, or an S3-compatible
/// bucket once `storage.s3.endpoint` and `storage.s3.bucket` are both set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    pub s3: S3Settings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    /// `https://minio.example.com:9000`; the bucket is addressed path-style under it.
    pub endpoint: Option<String>,
    pub bucket: Option<String>,
    pub region: String,
    pub access_key: Option<String>,
    pub secret_key: Option<Secret>,
    /// Answer downloads with a 302 to a presigned URL of the endpoint instead of relaying the
    /// bytes (the endpoint must then be reachable by the clients).
    pub presign_downloads: bool,
    /// Lifetime of a presigned download URL.
    pub presign_secs: u32,
    /// The longest one S3 call may take (per part for multipart uploads).
    pub timeout_secs: u64,
}

impl S3Settings {
    /// S3 is on when both the endpoint and the bucket are set.
    pub fn enabled(&self) -> bool {
        self.endpoint.is_some() && self.bucket.is_some()
    }
}

/// The LubeLogger-compatible API under `/api/*` (reference §4): its server culture, used to
/// parse and format numbers and dates (reference `LUBELOGGER_LOCALE_OVERRIDE`), and whether its
/// output is typed for every request (reference `LUBELOGGER_INVARIANT_API`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompatSettings {
    /// `en-US`, `en-GB`, `de-DE`, `fr-FR` or `sv-SE`.
    pub locale: String,
    pub invariant: bool,
}

/// Outgoing e-mail (registration tokens, password resets, reminders). Unset host = no e-mail:
/// features that need it answer with a clear error instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: Option<String>,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The `From:` header, e.g. `MotoVaultPro <garage@example.com>`.
    pub from: String,
    /// `starttls`, `tls` (implicit TLS) or `none` (local relays and tests only).
    pub security: SmtpSecurity,
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    Starttls,
    Tls,
    None,
}

/// One OpenID Connect provider (reference §6.2 `OpenIDConfig`). Off until `issuer` and
/// `client_id` are set.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// Base URL of the provider; its discovery document is `{issuer}/.well-known/openid-configuration`.
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    /// The button text: "Sign in with {name}".
    pub name: String,
    pub scope: String,
    /// Where the provider sends the browser back; default `{server.public_url}/api/v1/auth/oidc/callback`.
    pub redirect_url: Option<String>,
    /// Create an account on first OIDC sign-in for an unknown e-mail (reference `AutoGenerateTokens`
    /// + open registration); otherwise the e-mail must belong to an existing user.
    pub auto_register: bool,
}

/// Who may create an account (reference: token-only by default, `LUBELOGGER_OPEN_REGISTRATION`,
/// `DisableRegistration`).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationPolicy {
    /// Anyone may register.
    Open,
    /// Only with a registration token issued by an administrator (default).
    Token,
    /// Nobody; administrators create accounts.
    Off,
}

/// Server-wide reminder urgency thresholds (reference §2.2 `ReminderUrgencyConfig`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    pub urgent_days: i64,
    pub very_urgent_days: i64,
    pub urgent_distance: i64,
    pub very_urgent_distance: i64,
}

/// Reference §6.2 `EnableShopSupplies`, a server-wide gate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplySettings {
    /// Shop supplies (shared by every vehicle): off = `/api/v1/shop/supplies*` answer 404 and
    /// records cannot requisition them.
    pub shop_enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Largest accepted upload, in bytes.
    pub max_bytes: u64,
    /// Comma-separated extensions with the dot (reference default); `*` allows every extension.
    pub allowed_extensions: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Seconds between SIGTERM (readiness turns false) and closing the listeners, so load
    /// balancers stop sending new requests first.
    pub drain_secs: u64,
    /// Largest JSON body accepted.
    pub max_json_bytes: usize,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// The address users reach MotoVaultPro at (`https://garage.example.com`), for links in
    /// e-mails and the OIDC redirect. Unset: links are built from the request's host.
    pub public_url: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy), for login
    /// rate limits and the failed-login log.
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://…` switches to PostgreSQL; unset means a SQLite file in the data dir.
    pub url: Option<Secret>,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
    /// The longest a request waits for a pooled connection.
    pub acquire_timeout_secs: u64,
    /// PostgreSQL `statement_timeout` for every connection (0 = none).
    pub statement_timeout_secs: u64,
    /// Run pending migrations at start (the Helm chart turns this off and runs `migrate` first).
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSettings {
    /// The built web app (Trunk's `dist`). Missing is fine: the API still runs.
    pub dist_dir: PathBuf,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// An `EnvFilter` directive; `RUST_LOG` wins when set.
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub session_days: i64,
    /// Mark the session cookie `Secure`; on by default, off only for plain-HTTP development.
    pub secure_cookies: bool,
    /// Session length when "remember me" is ticked (reference `LUBELOGGER_COOKIE_LIFESPAN`).
    pub remember_me_days: i64,
    pub registration: RegistrationPolicy,
    /// Turn off username/password sign-in (OIDC only; reference `DisableRegularLogin`).
    pub disable_password_login: bool,
    /// Failed sign-ins allowed per account and per client address within `login_window_secs`.
    pub max_failed_logins_per_account: u32,
    pub max_failed_logins_per_address: u32,
    pub login_window_secs: u64,
    /// Lifetime of e-mailed password-reset links.
    pub password_reset_minutes: i64,
}

const DEFAULTS: &str = r#"
data_dir = "./data"

[server]
host = "127.0.0.1"
port = 8080
shutdown_timeout_secs = 30
drain_secs = 5
max_json_bytes = 262144
workers = 0
trust_forwarded_for = false

[database]
max_connections = 10
connect_timeout_secs = 10
acquire_timeout_secs = 5
statement_timeout_secs = 30
migrate_on_start = true

[web]
dist_dir = "./dist"

[log]
format = "json"
level = "info,sqlx=warn,sea_orm=warn"

[auth]
session_days = 1
secure_cookies = false
remember_me_days = 30
registration = "token"
disable_password_login = false
max_failed_logins_per_account = 5
max_failed_logins_per_address = 20
login_window_secs = 900
password_reset_minutes = 60

[reminders]
urgent_days = 30
very_urgent_days = 7
urgent_distance = 100
very_urgent_distance = 50

[attachments]
max_bytes = 52428800
allowed_extensions = ".png,.jpg,.jpeg,.pdf,.xls,.xlsx,.docx"

[supplies]
shop_enabled = true

[smtp]
port = 587
from = "MotoVaultPro <motovault@localhost>"
security = "starttls"
timeout_secs = 10

[oidc]
name = "OpenID Connect"
scope = "openid email"
auto_register = false

[compat]
locale = "en-US"
invariant = false

[storage.s3]
region = "us-east-1"
presign_downloads = false
presign_secs = 300
timeout_secs = 30

[redis]
key_prefix = "motovault:"
timeout_ms = 500
pool_size = 16
cache_ttl_secs = 300

[jobs]
enabled = true
tick_secs = 30
daily_at = "03:00"
lease_secs = 120

[webhooks]
urls = ""
max_attempts = 5
timeout_secs = 10
backoff_base_ms = 2000

[telemetry]
service_name = "motovault"
sample_ratio = 1.0
"#;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("configuration: cannot read {key} from {path}: {source}")]
    SecretFile {
        key: String,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Settings {
    /// Reads defaults, `MOTOVAULT_CONFIG` and the process environment.
    pub fn load() -> Result<Settings, ConfigError> {
        let file = std::env::var_os("MOTOVAULT_CONFIG").map(PathBuf::from);
        Self::load_from(file.as_deref(), std::env::vars())
    }

    /// Same as [`Settings::load`] with an explicit environment, so tests need not mutate the process.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let env: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(&format!("{ENV_PREFIX}__")))
            .collect();
        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        if let Some(path) = file {
            builder = builder.add_source(File::from(path).required(true));
        }
        let plain: std::collections::HashMap<String, String> = env
            .iter()
            .filter(|(k, _)| !k.ends_with(FILE_SUFFIX))
            .cloned()
            .collect();
        builder = builder.add_source(
            Environment::with_prefix(ENV_PREFIX)
                .prefix_separator("__")
                .separator("__")
                .source(Some(plain)),
        );
        for (name, path) in env.iter().filter(|(k, _)| k.ends_with(FILE_SUFFIX)) {
            let key = env_name_to_key(&name[..name.len() - FILE_SUFFIX.len()]);
            let value =
                std::fs::read_to_string(path).map_err(|source| ConfigError::SecretFile {
                    key: key.clone(),
                    path: PathBuf::from(path),
                    source,
                })?;
            builder = builder
                .set_override(key, value.trim_end_matches(['\r', '\n']).to_owned())
                .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        }
        let settings: Settings = builder
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database.url {
            let url = url.expose();
            if !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
            {
                return Err(ConfigError::Invalid(
                    "database.url (MOTOVAULT__DATABASE__URL) must start with postgres://, postgresql:// or sqlite:".into(),
                ));
            }
        }
        if self.database.max_connections == 0 {
            return Err(ConfigError::Invalid(
                "database.max_connections must be at least 1".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.telemetry.sample_ratio) {
            return Err(ConfigError::Invalid(
                "telemetry.sample_ratio must be between 0 and 1".into(),
            ));
        }
        if self
            .telemetry
            .otlp_endpoint
            .as_deref()
            .is_some_and(|e| !(e.starts_with("http://") || e.starts_with("https://")))
        {
            return Err(ConfigError::Invalid(
                "telemetry.otlp_endpoint must start with http:// or https://".into(),
            ));
        }
        if crate::compat::culture::Culture::parse(&self.compat.locale).is_none() {
            return Err(ConfigError::Invalid(format!(
                "compat.locale must be one of {}",
                crate::compat::culture::Culture::NAMES.join(", ")
            )));
        }
        let s3 = &self.storage.s3;
        if s3.endpoint.is_some() != s3.bucket.is_some() {
            return Err(ConfigError::Invalid(
                "storage.s3.endpoint and storage.s3.bucket must be set together".into(),
            ));
        }
        if s3
            .endpoint
            .as_deref()
            .is_some_and(|e| !(e.starts_with("http://") || e.starts_with("https://")))
        {
            return Err(ConfigError::Invalid(
                "storage.s3.endpoint must start with http:// or https://".into(),
            ));
        }
        // S3 caps presigned URLs at one week.
        if !(1..=604_800).contains(&s3.presign_secs) {
            return Err(ConfigError::Invalid(
                "storage.s3.presign_secs must be between 1 and 604800".into(),
            ));
        }
        if s3.timeout_secs == 0 {
            return Err(ConfigError::Invalid(
                "storage.s3.timeout_secs must be at least 1".into(),
            ));
        }
        crate::jobs::check_settings(&self.jobs, &self.webhooks).map_err(ConfigError::Invalid)?;
        if self.auth.session_days < 1 || self.auth.session_days > 365 {
            return Err(ConfigError::Invalid(
                "auth.session_days must be between 1 and 365".into(),
            ));
        }
        // The reference clamps "remember me" to 1–90 days; a typo should not mean a year.
        if !(1..=90).contains(&self.auth.remember_me_days) {
            return Err(ConfigError::Invalid(
                "auth.remember_me_days must be between 1 and 90".into(),
            ));
        }
        Ok(())
    }

    /// The database to use: the configured URL, or a SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("motovault.db").display()
            ),
        }
    }

    pub fn uses_postgres(&self) -> bool {
        self.database_url().starts_with("postgres")
    }
}

/// `MOTOVAULT__DATABASE__URL` → `database.url`.
fn env_name_to_key(name: &str) -> String {
    name.trim_start_matches(ENV_PREFIX)
        .trim_start_matches("__")
        .split("__")
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn shop_supplies_are_on_unless_turned_off() {
        assert!(
            Settings::load_from(None, env(&[]))
                .unwrap()
                .supplies
                .shop_enabled
        );
        let vars = env(&[("MOTOVAULT__SUPPLIES__SHOP_ENABLED", "false")]);
        let off = Settings::load_from(None, vars).unwrap();
        assert!(!off.supplies.shop_enabled);
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = Settings::load_from(None, env(&[])).unwrap();
        assert_eq!(s.server.host, "127.0.0.1");
        assert_eq!(s.server.port, 8080);
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert_eq!(s.database_url(), "sqlite://./data/motovault.db?mode=rwc");
        assert!(!s.uses_postgres());
    }

    #[test]
    fn environment_names_work_exactly() {
        let s = Settings::load_from(
            None,
            env(&[
                ("MOTOVAULT__SERVER__HOST", "0.0.0.0"),
                ("MOTOVAULT__SERVER__PORT", "9000"),
                ("MOTOVAULT__DATA_DIR", "/srv/mv"),
                ("MOTOVAULT__DATABASE__URL", "postgres://u:p@db/mv"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.host, "0.0.0.0");
        assert_eq!(s.server.port, 9000);
        assert_eq!(s.data_dir, PathBuf::from("/srv/mv"));
        assert!(s.uses_postgres());
        assert_eq!(format!("{:?}", s.database.url), "Some(Secret(***))");
    }

    #[test]
    fn secrets_can_come_from_files_and_files_override_defaults() {
        let dir = std::env::temp_dir().join(format!("mv-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let secret = dir.join("db-url");
        std::fs::write(&secret, "postgres://app:s3cret@db:5432/mv\n").unwrap();
        let file = dir.join("motovault.toml");
        std::fs::write(&file, "[server]\nport = 7000\n").unwrap();
        let s = Settings::load_from(
            Some(&file),
            env(&[("MOTOVAULT__DATABASE__URL_FILE", secret.to_str().unwrap())]),
        )
        .unwrap();
        assert_eq!(s.database_url(), "postgres://app:s3cret@db:5432/mv");
        assert_eq!(s.server.port, 7000);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn s3_is_on_with_endpoint_and_bucket_and_reads_its_secret_from_a_file() {
        let local = Settings::load_from(None, env(&[])).unwrap();
        assert!(!local.storage.s3.enabled());
        assert_eq!(local.storage.s3.region, "us-east-1");
        assert_eq!(local.storage.s3.presign_secs, 300);
        assert_eq!(local.storage.s3.timeout_secs, 30);
        assert!(!local.storage.s3.presign_downloads);

        let dir = std::env::temp_dir().join(format!("mv-s3-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let secret = dir.join("s3-secret");
        std::fs::write(&secret, "wJalrXUtnFEMI\n").unwrap();
        let s = Settings::load_from(
            None,
            env(&[
                ("MOTOVAULT__STORAGE__S3__ENDPOINT", "http://127.0.0.1:9000"),
                ("MOTOVAULT__STORAGE__S3__BUCKET", "motovault"),
                ("MOTOVAULT__STORAGE__S3__REGION", "eu-west-1"),
                ("MOTOVAULT__STORAGE__S3__ACCESS_KEY", "AKIA1"),
                (
                    "MOTOVAULT__STORAGE__S3__SECRET_KEY_FILE",
                    secret.to_str().unwrap(),
                ),
                ("MOTOVAULT__STORAGE__S3__PRESIGN_DOWNLOADS", "true"),
                ("MOTOVAULT__STORAGE__S3__PRESIGN_SECS", "60"),
                ("MOTOVAULT__STORAGE__S3__TIMEOUT_SECS", "5"),
            ]),
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let s3 = &s.storage.s3;
        assert!(s3.enabled());
        assert_eq!(s3.bucket.as_deref(), Some("motovault"));
        assert_eq!(s3.region, "eu-west-1");
        assert_eq!(s3.access_key.as_deref(), Some("AKIA1"));
        assert_eq!(
            s3.secret_key.as_ref().map(Secret::expose),
            Some("wJalrXUtnFEMI")
        );
        assert_eq!(format!("{:?}", s3.secret_key), "Some(Secret(***))");
        assert!(s3.presign_downloads);
        assert_eq!((s3.presign_secs, s3.timeout_secs), (60, 5));

        for (vars, needle) in [
            (
                vec![("MOTOVAULT__STORAGE__S3__ENDPOINT", "http://s3:9000")],
                "storage.s3.bucket",
            ),
            (
                vec![
                    ("MOTOVAULT__STORAGE__S3__ENDPOINT", "s3:9000"),
                    ("MOTOVAULT__STORAGE__S3__BUCKET", "b"),
                ],
                "storage.s3.endpoint",
            ),
            (
                vec![("MOTOVAULT__STORAGE__S3__PRESIGN_SECS", "604801")],
                "storage.s3.presign_secs",
            ),
            (
                vec![("MOTOVAULT__STORAGE__S3__TIMEOUT_SECS", "0")],
                "storage.s3.timeout_secs",
            ),
        ] {
            let err = Settings::load_from(None, env(&vars))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{vars:?}: {err}");
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let cases = [
            (("MOTOVAULT__SERVER__PROT", "1"), "prot"),
            (("MOTOVAULT__NOPE", "1"), "nope"),
            (("MOTOVAULT__SERVER__PORT", "eighty"), "server.port"),
            (("MOTOVAULT__SERVER__PORT", "70000"), "server.port"),
            (("MOTOVAULT__DATABASE__URL", "mysql://x"), "database.url"),
            (("MOTOVAULT__LOG__FORMAT", "xml"), "log.format"),
            (
                ("MOTOVAULT__TELEMETRY__SAMPLE_RATIO", "1.5"),
                "telemetry.sample_ratio",
            ),
            (
                ("MOTOVAULT__TELEMETRY__OTLP_ENDPOINT", "collector:4318"),
                "telemetry.otlp_endpoint",
            ),
        ];
        for ((k, v), needle) in cases {
            let err = Settings::load_from(None, env(&[(k, v)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{k}={v}: {err}");
        }
        let missing = Settings::load_from(
            None,
            env(&[("MOTOVAULT__DATABASE__URL_FILE", "/nonexistent/secret")]),
        )
        .unwrap_err()
        .to_string();
        assert!(missing.contains("database.url"), "{missing}");
    }
}
