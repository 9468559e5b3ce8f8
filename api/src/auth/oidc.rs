//! OpenID Connect sign-in (authorization code + PKCE + state, JWKS-checked id tokens).
//!
//! The client talks to one provider. Its discovery document and key set are fetched on first
//! use and cached; an id token signed with a key id the cache does not know triggers one JWKS
//! refetch (the provider rotated its keys). Every outgoing call has a timeout.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::token;
use crate::config::{Secret, Settings};

/// Per-call limit for discovery, token, JWKS and userinfo requests.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Clock skew tolerated on `exp`/`iat`/`nbf`.
const LEEWAY_SECS: u64 = 60;
/// Asymmetric algorithms only: `HS*` would make the client secret a signing key.
const ALLOWED_ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// Why a sign-in failed. `code()` is what the browser sees (`/login?error=<code>`); the
/// message goes to the log only.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("provider unreachable or answered badly: {0}")]
    Provider(String),
    #[error("the provider refused the sign-in: {0}")]
    Denied(String),
    #[error("unknown, expired or reused state")]
    InvalidState,
    #[error("code exchange failed: {0}")]
    Exchange(String),
    #[error("id token rejected: {0}")]
    InvalidToken(String),
    #[error("the provider gave no e-mail address")]
    NoEmail,
    #[error("the provider says the e-mail address is not verified")]
    EmailUnverified,
    #[error("no account has this e-mail address and auto-registration is off")]
    UnknownUser,
    #[error("the account is disabled")]
    Disabled,
    #[error("internal: {0}")]
    Internal(String),
}

impl OidcError {
    /// Stable, non-revealing code for the login page.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::Provider(_) => "provider_unavailable",
            OidcError::Denied(_) => "provider_denied",
            OidcError::InvalidState => "invalid_state",
            OidcError::Exchange(_) => "token_exchange_failed",
            OidcError::InvalidToken(_) => "invalid_token",
            OidcError::NoEmail => "no_email",
            OidcError::EmailUnverified => "email_unverified",
            OidcError::UnknownUser => "unknown_user",
            OidcError::Disabled => "account_disabled",
            OidcError::Internal(_) => "internal",
        }
    }
}

impl From<sea_orm::DbErr> for OidcError {
    fn from(e: sea_orm::DbErr) -> Self {
        OidcError::Internal(e.to_string())
    }
}

impl From<crate::error::AppError> for OidcError {
    fn from(e: crate::error::AppError) -> Self {
        OidcError::Internal(e.to_string())
    }
}

/// The parts of `/.well-known/openid-configuration` this client uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub userinfo_endpoint: Option<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
}

/// What the callback needs from a verified id token.
#[derive(Debug, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
    /// A boolean, or the string `"true"`/`"false"` some providers send.
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    aud: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
}

/// Who the provider says signed in.
pub struct ProviderIdentity {
    pub subject: String,
    pub email: String,
}

/// A fresh sign-in: what goes to the provider (`state`, `nonce`, the S256 challenge) and what
/// stays on the server (the `code_verifier`).
pub struct Challenge {
    pub state: String,
    pub nonce: String,
    pub code_verifier: String,
}

impl Challenge {
    pub fn new() -> Result<Challenge, OidcError> {
        Ok(Challenge {
            state: token::random_token()?,
            nonce: token::random_token()?,
            // 64 hex characters: within PKCE's 43–128 unreserved characters.
            code_verifier: token::random_token()?,
        })
    }
}

/// RFC 7636 S256: `BASE64URL(SHA256(verifier))` without padding.
pub fn pkce_challenge(code_verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(code_verifier.as_bytes()))
}

pub struct OidcClient {
    issuer: String,
    client_id: String,
    client_secret: Option<Secret>,
    name: String,
    scope: String,
    redirect_url: Option<String>,
    auto_register: bool,
    http: reqwest::Client,
    discovery: RwLock<Option<Arc<Discovery>>>,
    jwks: RwLock<Option<Arc<JwkSet>>>,
}

impl OidcClient {
    /// `None` when no provider is configured.
    pub fn from_settings(settings: &Settings) -> Option<OidcClient> {
        let oidc = &settings.oidc;
        let issuer = oidc
            .issuer
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())?;
        let client_id = oidc
            .client_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())?;
        let http = match reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // A provider answers directly; following redirects would hide misconfiguration.
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(http) => http,
            Err(e) => {
                tracing::error!(error = %e, "OpenID Connect disabled: cannot build the HTTP client");
                return None;
            }
        };
        let redirect_url = oidc.redirect_url.clone().or_else(|| {
            settings
                .server
                .public_url
                .as_deref()
                .map(|base| format!("{}/api/v1/auth/oidc/callback", base.trim_end_matches('/')))
        });
        Some(OidcClient {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret: oidc
                .client_secret
                .clone()
                .filter(|s| !s.expose().is_empty()),
            name: oidc.name.clone(),
            scope: oidc.scope.clone(),
            redirect_url,
            auto_register: oidc.auto_register,
            http,
            discovery: RwLock::new(None),
            jwks: RwLock::new(None),
        })
    }

    /// The provider's name for the "Sign in with …" button.
    pub fn display_name(&self) -> &str {
        &self.name
    }

    pub fn auto_register(&self) -> bool {
        self.auto_register
    }

    /// The configured callback URL, if any (otherwise the handler derives it from the request).
    pub fn configured_redirect_url(&self) -> Option<&str> {
        self.redirect_url.as_deref()
    }

    /// The discovery document, fetched on first use and then cached.
    pub async fn discovery(&self) -> Result<Arc<Discovery>, OidcError> {
        if let Some(found) = read(&self.discovery) {
            return Ok(found);
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let doc: Discovery = self.get_json(&url).await?;
        // The document must describe the configured issuer (OIDC Discovery §4.3).
        if doc.issuer.trim_end_matches('/') != self.issuer {
            return Err(OidcError::Provider(format!(
                "discovery issuer {} is not the configured {}",
                doc.issuer, self.issuer
            )));
        }
        let doc = Arc::new(doc);
        write(&self.discovery, Some(doc.clone()));
        Ok(doc)
    }

    /// The provider's authorization URL for this sign-in.
    pub async fn authorization_url(
        &self,
        redirect_uri: &str,
        challenge: &Challenge,
    ) -> Result<String, OidcError> {
        let discovery = self.discovery().await?;
        let mut url = reqwest::Url::parse(&discovery.authorization_endpoint)
            .map_err(|e| OidcError::Provider(format!("authorization_endpoint: {e}")))?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &self.scope)
            .append_pair("state", &challenge.state)
            .append_pair("nonce", &challenge.nonce)
            .append_pair("code_challenge", &pkce_challenge(&challenge.code_verifier))
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchanges the code, verifies the id token and finds the e-mail (id token first, then
    /// userinfo).
    pub async fn identify(
        &self,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
        nonce: &str,
    ) -> Result<ProviderIdentity, OidcError> {
        let tokens = self.exchange(code, redirect_uri, code_verifier).await?;
        let id_token = tokens
            .id_token
            .ok_or_else(|| OidcError::Exchange("the token response has no id_token".into()))?;
        let claims = self.verify_id_token(&id_token, nonce).await?;
        if is_false(claims.email_verified.as_ref()) {
            return Err(OidcError::EmailUnverified);
        }
        let email = match claims.email.filter(|e| !e.trim().is_empty()) {
            Some(email) => email,
            None => {
                let access = tokens.access_token.ok_or(OidcError::NoEmail)?;
                self.userinfo_email(&access, &claims.sub).await?
            }
        };
        Ok(ProviderIdentity {
            subject: claims.sub,
            email: email.trim().to_owned(),
        })
    }

    async fn exchange(
        &self,
        code: &str,
        redirect_uri: &str,
        code_verifier: &str,
    ) -> Result<TokenResponse, OidcError> {
        let discovery = self.discovery().await?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", code_verifier),
        ];
        let mut request = self
            .http
            .post(&discovery.token_endpoint)
            .header(reqwest::header::ACCEPT, "application/json");
        match &self.client_secret {
            // client_secret_basic is the spec default; post only when it is all the provider
            // supports.
            Some(secret) if !only_post(&discovery) => {
                request = request.basic_auth(
                    form_encode(&self.client_id),
                    Some(form_encode(secret.expose())),
                );
            }
            Some(secret) => {
                form.push(("client_id", self.client_id.as_str()));
                form.push(("client_secret", secret.expose()));
            }
            None => form.push(("client_id", self.client_id.as_str())),
        }
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Exchange(format!("token endpoint: {e}")))?;
        let status = response.status();
        if !status.is_success() {
            // The body of an error answer is OAuth's `{"error": …}`: no token in it.
            let body = response.text().await.unwrap_or_default();
            return Err(OidcError::Exchange(format!(
                "token endpoint answered {status}: {}",
                body.chars().take(200).collect::<String>()
            )));
        }
        response
            .json::<TokenResponse>()
            .await
            .map_err(|e| OidcError::Exchange(format!("token response: {e}")))
    }

    /// Signature (JWKS), `iss`, `aud`, `exp` and `nonce`.
    pub async fn verify_id_token(
        &self,
        id_token: &str,
        nonce: &str,
    ) -> Result<IdClaims, OidcError> {
        let discovery = self.discovery().await?;
        let header = jsonwebtoken::decode_header(id_token)
            .map_err(|e| OidcError::InvalidToken(format!("header: {e}")))?;
        if !ALLOWED_ALGORITHMS.contains(&header.alg) {
            return Err(OidcError::InvalidToken(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let jwk = match self.find_key(header.kid.as_deref(), false).await? {
            Some(jwk) => jwk,
            // An unknown key id: the provider may have rotated its keys since we cached them.
            None => self
                .find_key(header.kid.as_deref(), true)
                .await?
                .ok_or_else(|| {
                    OidcError::InvalidToken(format!("no key {:?} in the JWKS", header.kid))
                })?,
        };
        let key = DecodingKey::from_jwk(&jwk)
            .map_err(|e| OidcError::InvalidToken(format!("key: {e}")))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[discovery.issuer.as_str()]);
        validation.set_audience(&[self.client_id.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        let claims = jsonwebtoken::decode::<IdClaims>(id_token, &key, &validation)
            .map_err(|e| OidcError::InvalidToken(e.to_string()))?
            .claims;
        let nonce_ok = claims
            .nonce
            .as_deref()
            .is_some_and(|n| token::constant_time_eq(n, nonce));
        if !nonce_ok {
            return Err(OidcError::InvalidToken("nonce mismatch".into()));
        }
        // OIDC Core §3.1.3.7: with several audiences, `azp` names the client.
        let several = claims
            .aud
            .as_ref()
            .and_then(|a| a.as_array())
            .is_some_and(|a| a.len() > 1);
        if (several || claims.azp.is_some())
            && claims.azp.as_deref() != Some(self.client_id.as_str())
        {
            return Err(OidcError::InvalidToken("azp is not this client".into()));
        }
        Ok(claims)
    }

    /// The key for `kid` (or the only signing key when the token names none).
    async fn find_key(&self, kid: Option<&str>, refresh: bool) -> Result<Option<Jwk>, OidcError> {
        let set = match read(&self.jwks) {
            Some(set) if !refresh => set,
            _ => {
                let discovery = self.discovery().await?;
                let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
                let set = Arc::new(set);
                write(&self.jwks, Some(set.clone()));
                set
            }
        };
        Ok(match kid {
            Some(kid) => set.find(kid).cloned(),
            None if set.keys.len() == 1 => set.keys.first().cloned(),
            None => None,
        })
    }

    async fn userinfo_email(&self, access_token: &str, subject: &str) -> Result<String, OidcError> {
        let discovery = self.discovery().await?;
        let Some(endpoint) = discovery.userinfo_endpoint.as_deref() else {
            return Err(OidcError::NoEmail);
        };
        let response = self
            .http
            .get(endpoint)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| OidcError::Provider(format!("userinfo: {e}")))?;
        if !response.status().is_success() {
            return Err(OidcError::Provider(format!(
                "userinfo answered {}",
                response.status()
            )));
        }
        let info: UserInfo = response
            .json()
            .await
            .map_err(|e| OidcError::Provider(format!("userinfo response: {e}")))?;
        // OIDC Core §5.3.2: a userinfo answer for another subject must not be used.
        if info.sub != subject {
            return Err(OidcError::InvalidToken(
                "userinfo is about another subject".into(),
            ));
        }
        if is_false(info.email_verified.as_ref()) {
            return Err(OidcError::EmailUnverified);
        }
        info.email
            .filter(|e| !e.trim().is_empty())
            .ok_or(OidcError::NoEmail)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, OidcError> {
        let response = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| OidcError::Provider(format!("{url}: {e}")))?;
        if !response.status().is_success() {
            return Err(OidcError::Provider(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        response
            .json()
            .await
            .map_err(|e| OidcError::Provider(format!("{url}: {e}")))
    }
}

/// An explicit "not verified"; an absent claim is not a refusal (many providers omit it).
fn is_false(flag: Option<&serde_json::Value>) -> bool {
    match flag {
        Some(serde_json::Value::Bool(b)) => !b,
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

fn only_post(discovery: &Discovery) -> bool {
    discovery
        .token_endpoint_auth_methods_supported
        .as_ref()
        .is_some_and(|m| {
            m.iter().any(|x| x == "client_secret_post")
                && !m.iter().any(|x| x == "client_secret_basic")
        })
}

/// RFC 6749 §2.3.1: Basic credentials are form-encoded before base64.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

// The caches hold plain `Arc`s and are never locked across an await; a poisoned lock (a panic
// while holding it) only means the value is refetched.
fn read<T>(lock: &RwLock<Option<Arc<T>>>) -> Option<Arc<T>> {
    lock.read().ok().and_then(|guard| guard.clone())
}

fn write<T>(lock: &RwLock<Option<Arc<T>>>, value: Option<Arc<T>>) {
    if let Ok(mut guard) = lock.write() {
        *guard = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn basic_credentials_are_form_encoded() {
        assert_eq!(form_encode("my client:1/é"), "my+client%3A1%2F%C3%A9");
    }
}
