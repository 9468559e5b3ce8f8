//! Outgoing e-mail over SMTP (lettre, tokio, rustls). Built from `[smtp]`; absent when no host
//! is configured, and then features that need it say so instead of failing silently.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Settings, SmtpSecurity};
use crate::error::{AppError, AppResult};

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The parsed `smtp.from`, or why it does not parse (reported on every send).
    from: Result<Mailbox, String>,
    timeout: Duration,
    host: String,
}

impl Mailer {
    /// `None` when SMTP is not configured (`smtp.host` unset or empty).
    pub fn from_settings(settings: &Settings) -> Option<Mailer> {
        let smtp = &settings.smtp;
        let host = smtp
            .host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())?;
        let timeout = Duration::from_secs(smtp.timeout_secs.max(1));
        let builder = match smtp.security {
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpSecurity::Starttls => {
                match AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host) {
                    Ok(b) => b,
                    Err(e) => {
                        tracing::error!(error = %e, host, "smtp: cannot set up STARTTLS; e-mail is off");
                        return None;
                    }
                }
            }
            SmtpSecurity::Tls => match AsyncSmtpTransport::<Tokio1Executor>::relay(host) {
                Ok(b) => b,
                Err(e) => {
                    tracing::error!(error = %e, host, "smtp: cannot set up TLS; e-mail is off");
                    return None;
                }
            },
        };
        let mut builder = builder.port(smtp.port).timeout(Some(timeout));
        if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        let from = smtp
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("smtp.from ({:?}) is not a valid mailbox: {e}", smtp.from));
        if let Err(message) = &from {
            tracing::error!("{message}");
        }
        Some(Mailer {
            transport: builder.build(),
            from,
            timeout,
            host: host.to_owned(),
        })
    }

    /// Sends one plain-text message. Gives up after the configured timeout (for the whole
    /// exchange, not only each command).
    pub async fn send(&self, to: &str, subject: &str, text_body: &str) -> AppResult<()> {
        let from = self.from.clone().map_err(AppError::Unavailable)?;
        let to: Mailbox = to
            .trim()
            .parse()
            .map_err(|e| AppError::field("email", format!("cannot be mailed to: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text_body.to_owned())
            .map_err(|e| AppError::internal(format!("cannot build the e-mail: {e}")))?;
        // lettre's errors name the server and the SMTP reply, never the credentials.
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(AppError::Unavailable(format!(
                "e-mail to the SMTP server {} failed: {e}",
                self.host
            ))),
            Err(_) => Err(AppError::Unavailable(format!(
                "the SMTP server {} did not answer within {} s",
                self.host,
                self.timeout.as_secs()
            ))),
        }
    }
}

impl Mailer {
    /// Sends a plain-text message with one file attached (the backup e-mail).
    pub async fn send_with_file(
        &self,
        to: &str,
        subject: &str,
        text_body: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> AppResult<()> {
        use lettre::message::{Attachment, MultiPart, SinglePart};

        let from = self.from.clone().map_err(AppError::Unavailable)?;
        let to: Mailbox = to
            .trim()
            .parse()
            .map_err(|e| AppError::field("email", format!("cannot be mailed to: {e}")))?;
        let file_type = ContentType::parse(content_type)
            .map_err(|e| AppError::internal(format!("content type {content_type}: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text_body.to_owned()))
                    .singlepart(Attachment::new(file_name.to_owned()).body(bytes, file_type)),
            )
            .map_err(|e| AppError::internal(format!("cannot build the e-mail: {e}")))?;
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(AppError::Unavailable(format!(
                "e-mail to the SMTP server {} failed: {e}",
                self.host
            ))),
            Err(_) => Err(AppError::Unavailable(format!(
                "the SMTP server {} did not answer within {} s",
                self.host,
                self.timeout.as_secs()
            ))),
        }
    }
}

/// Subject and body of a registration token e-mail.
pub fn registration_token_message(base_url: &str, token: &str) -> (String, String) {
    (
        "Your MotoVaultPro registration token".to_owned(),
        format!(
            "You have been invited to MotoVaultPro.\r\n\r\n\
             Your registration token is: {token}\r\n\r\n\
             Register at {base_url}/register with this e-mail address and the token.\r\n\
             The token can be used once.\r\n"
        ),
    )
}

/// Subject and body of a password reset e-mail.
pub fn password_reset_message(base_url: &str, token: &str, minutes: i64) -> (String, String) {
    (
        "Reset your MotoVaultPro password".to_owned(),
        format!(
            "Someone (hopefully you) asked to reset your MotoVaultPro password.\r\n\r\n\
             Open this link to choose a new one; it works once, within {minutes} minutes:\r\n\r\n\
             {base_url}/reset-password?token={token}\r\n\r\n\
             If you did not ask for this, ignore this e-mail: your password stays as it is.\r\n"
        ),
    )
}
