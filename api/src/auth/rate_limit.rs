//! Failed-login limits per account and per client address.
//!
//! Each key (normalized username, client address) gets a fixed window opened by its first
//! failure: `limit` failures inside `window` block further sign-ins of that key until the window
//! closes. That is the `INCR` + `EXPIRE` pattern: with Redis configured, the async calls
//! [`LoginLimiter::check_shared`], [`LoginLimiter::succeeded_shared`] and
//! [`LoginLimiter::release_shared`] count in Redis (`{prefix}login:account:{name}`,
//! `{prefix}login:address:{address}`), so every replica sees the same counts. When Redis fails
//! or times out they fall back to this process's counters ([`LoginLimiter::check`] and
//! friends): limits then hold per replica, never switch off.
//!
//! An attempt is counted as a failure when it is admitted, before the password is checked:
//! counting only after a wrong password would let many parallel guesses pass the check before
//! the first failure is recorded.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use deadpool_redis::redis;

use crate::config::Settings;
use crate::infra::redis::Redis;

/// Keys kept per counter at most: an attacker inventing usernames or addresses cannot grow
/// memory without bound (about 200 bytes a key).
const MAX_KEYS: usize = 50_000;
/// How often expired windows are swept out.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// Longer keys are cut: they only have to tell accounts apart, and bound memory per key.
const MAX_KEY_CHARS: usize = 128;

struct Window {
    opened: Instant,
    failures: u32,
}

/// Failures per key within a fixed window: the pure counting, with time passed in.
pub struct Counter {
    limit: u32,
    window: Duration,
    capacity: usize,
    windows: HashMap<String, Window>,
    last_sweep: Instant,
}

impl Counter {
    /// `limit` 0 turns the counter off.
    pub fn new(limit: u32, window: Duration, capacity: usize, now: Instant) -> Counter {
        Counter {
            limit,
            window,
            capacity: capacity.max(1),
            windows: HashMap::new(),
            last_sweep: now,
        }
    }

    fn live<'a>(&'a self, key: &str, now: Instant) -> Option<&'a Window> {
        self.windows
            .get(key)
            .filter(|w| now.saturating_duration_since(w.opened) < self.window)
    }

    /// How long `key` must wait, or `None` when it may try.
    pub fn blocked(&self, key: &str, now: Instant) -> Option<Duration> {
        if self.limit == 0 {
            return None;
        }
        let w = self.live(key, now)?;
        (w.failures >= self.limit).then(|| (w.opened + self.window).saturating_duration_since(now))
    }

    /// Counts one failure of `key`.
    pub fn record(&mut self, key: &str, now: Instant) {
        if self.limit == 0 {
            return;
        }
        if now.saturating_duration_since(self.last_sweep) >= SWEEP_EVERY
            || self.windows.len() >= self.capacity
        {
            self.sweep(now);
        }
        let window = self.window;
        if let Some(w) = self.windows.get_mut(key) {
            if now.saturating_duration_since(w.opened) >= window {
                *w = Window {
                    opened: now,
                    failures: 0,
                };
            }
            w.failures = w.failures.saturating_add(1);
            return;
        }
        if self.windows.len() >= self.capacity {
            // Full of live windows: the oldest is the nearest to expiring anyway.
            let oldest = self
                .windows
                .iter()
                .min_by_key(|(_, w)| w.opened)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                self.windows.remove(&oldest);
            }
        }
        self.windows.insert(
            key.to_owned(),
            Window {
                opened: now,
                failures: 1,
            },
        );
    }

    pub fn clear(&mut self, key: &str) {
        self.windows.remove(key);
    }

    /// Takes back one failure of `key` (an attempt counted up front that was no failure).
    pub fn refund(&mut self, key: &str, now: Instant) {
        let window = self.window;
        if let Some(w) = self.windows.get_mut(key)
            && now.saturating_duration_since(w.opened) < window
        {
            w.failures = w.failures.saturating_sub(1);
        }
    }

    /// Failures of `key` in its current window.
    pub fn failures(&self, key: &str, now: Instant) -> u32 {
        self.live(key, now).map_or(0, |w| w.failures)
    }

    /// Keys held (expired ones included until the next sweep).
    pub fn len(&self) -> usize {
        self.windows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    fn sweep(&mut self, now: Instant) {
        let window = self.window;
        self.windows
            .retain(|_, w| now.saturating_duration_since(w.opened) < window);
        self.last_sweep = now;
    }
}

struct Counters {
    accounts: Counter,
    addresses: Counter,
}

/// Failed sign-ins per account and per client address: in Redis when configured, else (and
/// while Redis fails) in this process.
pub struct LoginLimiter {
    counters: Mutex<Counters>,
    per_account: u32,
    per_address: u32,
    window: Duration,
    redis: Option<Redis>,
}

impl LoginLimiter {
    pub fn from_settings(settings: &Settings, redis: Option<Redis>) -> LoginLimiter {
        let auth = &settings.auth;
        LoginLimiter {
            redis,
            ..LoginLimiter::new(
                auth.max_failed_logins_per_account,
                auth.max_failed_logins_per_address,
                Duration::from_secs(auth.login_window_secs),
            )
        }
    }

    /// Limits of 0 switch that counter off.
    pub fn new(per_account: u32, per_address: u32, window: Duration) -> LoginLimiter {
        let now = Instant::now();
        LoginLimiter {
            counters: Mutex::new(Counters {
                accounts: Counter::new(per_account, window, MAX_KEYS, now),
                addresses: Counter::new(per_address, window, MAX_KEYS, now),
            }),
            per_account,
            per_address,
            window,
            redis: None,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Counters) -> T) -> T {
        // The counters stay consistent even if a holder panicked: every update is one step.
        let mut guard = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    /// Admits a sign-in attempt and counts it as a failure of the account and the address, or
    /// answers `Err(seconds to wait)` when either has used up its failures (nothing counted).
    pub fn check(&self, account: &str, address: &str) -> Result<(), u64> {
        self.check_at(account, address, Instant::now())
    }

    /// The password was right: the account's count is cleared and the address gets this attempt
    /// back (a shared address guessing at many accounts stays limited).
    pub fn succeeded(&self, account: &str, address: &str) {
        self.succeeded_at(account, address, Instant::now());
    }

    /// The attempt ended without an answer on the password (a server error): not a failure.
    pub fn release(&self, account: &str, address: &str) {
        self.release_at(account, address, Instant::now());
    }

    /// [`LoginLimiter::check`], counted in Redis when configured (shared by replicas).
    pub async fn check_shared(&self, account: &str, address: &str) -> Result<(), u64> {
        let Some(redis) = &self.redis else {
            return self.check(account, address);
        };
        match self.redis_check(redis, account, address).await {
            Ok(answer) => answer,
            Err(error) => {
                tracing::warn!(%error, "login limits: redis unavailable, counting in process");
                self.check(account, address)
            }
        }
    }

    /// [`LoginLimiter::succeeded`], in Redis when configured.
    pub async fn succeeded_shared(&self, account: &str, address: &str) {
        let Some(redis) = &self.redis else {
            return self.succeeded(account, address);
        };
        let (account_key, address_key) = self.redis_keys(redis, account, address);
        let mut pipe = redis::pipe();
        pipe.atomic().cmd("DEL").arg(account_key).ignore();
        self.refund(&mut pipe, self.per_address, &address_key);
        if let Err(error) = redis.pipe::<()>(&pipe).await {
            tracing::warn!(%error, "login limits: redis unavailable, counting in process");
            self.succeeded(account, address);
        }
    }

    /// [`LoginLimiter::release`], in Redis when configured.
    pub async fn release_shared(&self, account: &str, address: &str) {
        let Some(redis) = &self.redis else {
            return self.release(account, address);
        };
        let (account_key, address_key) = self.redis_keys(redis, account, address);
        let mut pipe = redis::pipe();
        pipe.atomic();
        self.refund(&mut pipe, self.per_account, &account_key);
        self.refund(&mut pipe, self.per_address, &address_key);
        if let Err(error) = redis.pipe::<()>(&pipe).await {
            tracing::warn!(%error, "login limits: redis unavailable, counting in process");
            self.release(account, address);
        }
    }

    fn redis_keys(&self, redis: &Redis, account: &str, address: &str) -> (String, String) {
        (
            redis.key(&format!("login:account:{}", key(account))),
            redis.key(&format!("login:address:{}", key(address))),
        )
    }

    /// Takes one failure back (nothing when that limit is off); `EXPIRE … NX` keeps a count
    /// that expired meanwhile (now -1) from living forever.
    fn refund(&self, pipe: &mut redis::Pipeline, limit: u32, key: &str) {
        if limit == 0 {
            return;
        }
        pipe.cmd("DECR")
            .arg(key)
            .ignore()
            .cmd("EXPIRE")
            .arg(key)
            .arg(self.window.as_secs().max(1))
            .arg("NX")
            .ignore();
    }

    /// Counts the attempt first (`INCR`, atomic), then looks: parallel attempts on any replica
    /// cannot pass the limit. A refused attempt is taken back, so it counts nothing.
    async fn redis_check(
        &self,
        redis: &Redis,
        account: &str,
        address: &str,
    ) -> Result<Result<(), u64>, String> {
        let (account_key, address_key) = self.redis_keys(redis, account, address);
        let counted: Vec<(u32, String)> = [
            (self.per_account, account_key),
            (self.per_address, address_key),
        ]
        .into_iter()
        .filter(|(limit, _)| *limit > 0)
        .collect();
        if counted.is_empty() {
            return Ok(Ok(()));
        }
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (_, k) in &counted {
            pipe.cmd("INCR")
                .arg(k)
                .cmd("EXPIRE")
                .arg(k)
                .arg(self.window.as_secs().max(1))
                .arg("NX")
                .ignore()
                .cmd("PTTL")
                .arg(k);
        }
        let replies: Vec<i64> = redis.pipe(&pipe).await?;
        let mut wait_ms: Option<i64> = None;
        for (i, (limit, _)) in counted.iter().enumerate() {
            let (Some(count), Some(ttl)) = (replies.get(2 * i), replies.get(2 * i + 1)) else {
                return Err(format!("unexpected answer {replies:?}"));
            };
            if *count > i64::from(*limit) {
                wait_ms = wait_ms.max(Some((*ttl).max(1)));
            }
        }
        let Some(wait_ms) = wait_ms else {
            return Ok(Ok(()));
        };
        let mut back = redis::pipe();
        back.atomic();
        for (limit, k) in &counted {
            self.refund(&mut back, *limit, k);
        }
        if let Err(error) = redis.pipe::<()>(&back).await {
            tracing::warn!(%error, "login limits: a refused attempt stays counted");
        }
        let wait = Duration::from_millis(u64::try_from(wait_ms).unwrap_or(1));
        Ok(Err(retry_after_secs(wait)))
    }

    pub fn check_at(&self, account: &str, address: &str, now: Instant) -> Result<(), u64> {
        let (account, address) = (key(account), key(address));
        // One lock for the check and the count: parallel attempts cannot overtake each other.
        let wait = self.with(|c| {
            let wait = c
                .accounts
                .blocked(&account, now)
                .max(c.addresses.blocked(&address, now));
            if wait.is_none() {
                c.accounts.record(&account, now);
                c.addresses.record(&address, now);
            }
            wait
        });
        match wait {
            None => Ok(()),
            Some(wait) => Err(retry_after_secs(wait)),
        }
    }

    pub fn succeeded_at(&self, account: &str, address: &str, now: Instant) {
        let (account, address) = (key(account), key(address));
        self.with(|c| {
            c.accounts.clear(&account);
            c.addresses.refund(&address, now);
        });
    }

    pub fn release_at(&self, account: &str, address: &str, now: Instant) {
        let (account, address) = (key(account), key(address));
        self.with(|c| {
            c.accounts.refund(&account, now);
            c.addresses.refund(&address, now);
        });
    }
}

fn key(text: &str) -> String {
    text.chars().take(MAX_KEY_CHARS).collect()
}

/// Whole seconds, rounded up, at least 1 (a client told "0" would retry at once).
fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

/// The client's address: the TCP peer, or the first `X-Forwarded-For` entry when the proxy in
/// front is trusted (otherwise anyone could pick a fresh address per attempt).
pub fn client_address(peer: Option<IpAddr>, forwarded_for: Option<&str>, trust: bool) -> String {
    let forwarded = forwarded_for
        .filter(|_| trust)
        .and_then(|header| header.split(',').next())
        .map(str::trim)
        .filter(|first| !first.is_empty());
    if let Some(first) = forwarded {
        if let Ok(ip) = first.parse::<IpAddr>() {
            return ip.to_string();
        }
        if let Ok(socket) = first.parse::<SocketAddr>() {
            return socket.ip().to_string();
        }
        // Not an address (`unknown`, an obfuscated name): still a key, made safe to log.
        return printable(first, 64);
    }
    peer.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// At most `max` characters, control characters replaced, so user input cannot forge log lines.
pub fn printable(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// The log line of a failed sign-in: who and from where. The password never reaches this
/// function, so it cannot be logged.
pub fn log_failed_login(username: &str, address: &str) {
    tracing::warn!(
        username = %printable(username, 64),
        address = %address,
        "failed login"
    );
}

/// The log line of a sign-in refused by the limits (the password was not checked).
pub fn log_refused_login(username: &str, address: &str, retry_after_secs: u64) {
    tracing::warn!(
        username = %printable(username, 64),
        address = %address,
        retry_after_secs,
        "login refused: too many failed attempts"
    );
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Arc;

    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn counter_blocks_at_the_limit_until_the_window_closes() {
        let t0 = Instant::now();
        let secs = |s: u64| t0 + Duration::from_secs(s);
        let mut c = Counter::new(5, WINDOW, 100, t0);
        // (time of a failure, failures so far, blocked for how long after it)
        let table: [(u64, u32, Option<u64>); 5] = [
            (0, 1, None),
            (10, 2, None),
            (20, 3, None),
            (30, 4, None),
            (40, 5, Some(860)), // the window opened at 0 closes at 900
        ];
        for (at, failures, blocked) in table {
            c.record("root", secs(at));
            assert_eq!(c.failures("root", secs(at)), failures, "at {at}");
            assert_eq!(
                c.blocked("root", secs(at)),
                blocked.map(Duration::from_secs),
                "at {at}"
            );
        }
        assert_eq!(c.blocked("root", secs(899)), Some(Duration::from_secs(1)));
        assert_eq!(c.blocked("root", secs(900)), None, "window over");
        assert_eq!(c.failures("root", secs(900)), 0);
        // A failure after the window opens a fresh one.
        c.record("root", secs(901));
        assert_eq!(c.failures("root", secs(901)), 1);
        assert_eq!(c.blocked("root", secs(901)), None);
        assert_eq!(c.blocked("other", secs(40)), None, "keys are independent");
    }

    #[test]
    fn clear_forgets_a_key_and_limit_zero_is_off() {
        let t0 = Instant::now();
        let mut c = Counter::new(2, WINDOW, 100, t0);
        c.record("a", t0);
        c.record("a", t0);
        assert!(c.blocked("a", t0).is_some());
        c.clear("a");
        assert_eq!(c.blocked("a", t0), None);
        assert_eq!(c.failures("a", t0), 0);

        let mut off = Counter::new(0, WINDOW, 100, t0);
        for _ in 0..10 {
            off.record("a", t0);
        }
        assert_eq!(off.blocked("a", t0), None);
        assert!(off.is_empty());
    }

    #[test]
    fn memory_is_bounded_and_expired_windows_are_swept() {
        let t0 = Instant::now();
        let mut c = Counter::new(5, Duration::from_secs(30), 3, t0);
        for (i, key) in ["a", "b", "c"].iter().enumerate() {
            c.record(key, t0 + Duration::from_secs(i as u64));
        }
        assert_eq!(c.len(), 3);
        // Full of live windows: the oldest ("a") makes room.
        c.record("d", t0 + Duration::from_secs(5));
        assert_eq!(c.len(), 3);
        assert_eq!(c.failures("a", t0 + Duration::from_secs(5)), 0);
        assert_eq!(c.failures("d", t0 + Duration::from_secs(5)), 1);
        // A minute later everything has expired: the next failure sweeps it all out.
        c.record("e", t0 + Duration::from_secs(65));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn limiter_counts_attempts_per_account_and_address() {
        let t0 = Instant::now();
        let limiter = LoginLimiter::new(3, 5, WINDOW);
        let at = |s: u64| t0 + Duration::from_secs(s);
        // Three wrong passwords for root from one address (admitted = counted).
        for s in 0..3 {
            assert_eq!(limiter.check_at("root", "10.0.0.1", at(s)), Ok(()));
        }
        // Account limit (3) reached at 2 s: 898 s left in the window opened at 0, from any
        // address; refused attempts count nothing.
        assert_eq!(limiter.check_at("root", "10.0.0.9", at(2)), Err(898));
        assert_eq!(limiter.check_at("root", "10.0.0.1", at(2)), Err(898));
        // Two wrong passwords for other accounts from the same address: address limit (5).
        assert_eq!(limiter.check_at("bob", "10.0.0.1", at(3)), Ok(()));
        assert_eq!(limiter.check_at("carol", "10.0.0.1", at(4)), Ok(()));
        assert_eq!(limiter.check_at("dave", "10.0.0.1", at(100)), Err(800));
        // dave from elsewhere signs in: his count is cleared, the other address gets its
        // attempt back.
        assert_eq!(limiter.check_at("dave", "10.0.0.2", at(100)), Ok(()));
        limiter.succeeded_at("dave", "10.0.0.2", at(100));
        {
            let c = limiter.counters.lock().unwrap();
            assert_eq!(c.accounts.failures("dave", at(100)), 0);
            assert_eq!(c.addresses.failures("10.0.0.2", at(100)), 0);
            assert_eq!(c.addresses.failures("10.0.0.1", at(100)), 5);
        }
        // A server error during an attempt gives both counts back.
        assert_eq!(limiter.check_at("erin", "10.0.0.3", at(100)), Ok(()));
        limiter.release_at("erin", "10.0.0.3", at(100));
        {
            let c = limiter.counters.lock().unwrap();
            assert_eq!(c.accounts.failures("erin", at(100)), 0);
            assert_eq!(c.addresses.failures("10.0.0.3", at(100)), 0);
        }
        // Sub-second remainders round up.
        assert_eq!(
            limiter.check_at("dave", "10.0.0.1", at(899) + Duration::from_millis(500)),
            Err(1)
        );
        assert_eq!(limiter.check_at("dave", "10.0.0.1", at(900)), Ok(()));
    }

    #[test]
    fn parallel_attempts_cannot_exceed_the_limit() {
        let limiter = Arc::new(LoginLimiter::new(5, 0, WINDOW));
        let admitted: usize = (0..50)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                std::thread::spawn(move || limiter.check("root", "10.0.0.1").is_ok())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| usize::from(t.join().unwrap()))
            .sum();
        assert_eq!(admitted, 5);
    }

    #[test]
    fn client_address_trusts_forwarded_for_only_when_told() {
        let peer: Option<IpAddr> = "127.0.0.1".parse().ok();
        let table: [(Option<&str>, bool, &str); 8] = [
            (None, false, "127.0.0.1"),
            (None, true, "127.0.0.1"),
            (Some("203.0.113.7"), false, "127.0.0.1"),
            (Some("203.0.113.7, 10.0.0.1"), true, "203.0.113.7"),
            (Some(" 2001:db8::1 ,10.0.0.1"), true, "2001:db8::1"),
            (Some("[2001:db8::1]:4711"), true, "2001:db8::1"),
            (Some(""), true, "127.0.0.1"),
            (Some("unknown\nline"), true, "unknown?line"),
        ];
        for (header, trust, expected) in table {
            assert_eq!(
                client_address(peer, header, trust),
                expected,
                "{header:?} trusted={trust}"
            );
        }
        assert_eq!(client_address(None, None, false), "unknown");
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn failed_login_log_names_user_and_address() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            log_failed_login("Root\nforged line", "203.0.113.7");
            log_refused_login("root", "203.0.113.7", 860);
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0]["level"], "WARN");
        assert_eq!(lines[0]["message"], "failed login");
        assert_eq!(lines[0]["username"], "Root?forged line");
        assert_eq!(lines[0]["address"], "203.0.113.7");
        assert_eq!(lines[1]["retry_after_secs"], 860);
        let fields: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
        assert!(
            fields.iter().all(|f| [
                "timestamp",
                "level",
                "message",
                "username",
                "address",
                "target"
            ]
            .contains(&f.as_str())),
            "{fields:?}"
        );
    }
}
