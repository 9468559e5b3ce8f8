//! First-run setup, sign-in, registration and password resets. On success the auth context
//! changes and the route guard moves the user on to the garage.

mod login;
mod password;
mod register;
mod setup;

pub use login::LoginPage;
pub use password::{ForgotPasswordPage, ResetPasswordPage};
pub use register::RegisterPage;
pub use setup::SetupPage;

use motovault_shared::dto::users::AuthOptions;

use crate::api::{self, ApiError};
use crate::i18n::{tr, tr_fmt};

/// The server's sign-in options; a server that cannot tell (older, or unreachable) gets the
/// plain password form, and the form's own call then explains any problem.
async fn load_options() -> AuthOptions {
    api::users::options().await.unwrap_or(AuthOptions {
        registration: "off".to_owned(),
        password_login: true,
        password_reset: false,
        oidc: None,
    })
}

/// "Too many attempts, try again in N minutes" for a 429: the seconds are the first number of
/// the problem's detail (the `Retry-After` header is not exposed by the API client).
fn retry_message(err: &ApiError) -> String {
    let detail = match err {
        ApiError::Problem(p) => p.detail.clone().unwrap_or_default(),
        ApiError::Network(_) => String::new(),
    };
    retry_text(&detail)
}

fn retry_text(detail: &str) -> String {
    let seconds = detail
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .and_then(|digits| digits.parse::<u64>().ok());
    match seconds {
        Some(s) => {
            let minutes = s.div_ceil(60).max(1);
            let unit = if minutes == 1 {
                tr("minute")
            } else {
                tr("minutes")
            };
            tr_fmt(
                "Too many attempts, try again in {minutes} {unit}.",
                &[
                    ("minutes", &minutes.to_string()),
                    ("unit", &unit.to_string()),
                ],
            )
        }
        None => tr("Too many attempts, try again later."),
    }
}

#[cfg(test)]
mod tests {
    use super::retry_text;

    #[test]
    fn retry_after_reads_as_whole_minutes() {
        assert_eq!(
            retry_text("Too many attempts; try again in 900 seconds."),
            "Too many attempts, try again in 15 minutes."
        );
        assert_eq!(
            retry_text("try again in 61 seconds"),
            "Too many attempts, try again in 2 minutes."
        );
        assert_eq!(
            retry_text("try again in 5 seconds"),
            "Too many attempts, try again in 1 minute."
        );
        assert_eq!(retry_text(""), "Too many attempts, try again later.");
    }
}
