//! First-run setup and sign-in. On success the auth context changes and the route guard
//! moves the user on to the garage.

mod login;
mod setup;

pub use login::LoginPage;
pub use setup::SetupPage;
