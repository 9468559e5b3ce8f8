//! Accounts, vehicles, fuel records and health.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::units::UnitSystem;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

// ---------------------------------------------------------------- accounts

/// `POST /api/v1/setup`: the first account, which becomes the root administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetupRequest {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// Keep the session for `auth.remember_me_days` instead of `auth.session_days`.
    #[serde(default)]
    pub remember_me: bool,
}

/// Whether the first account still has to be created (`GET /api/v1/setup`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    pub needs_setup: bool,
}

/// Per-user display settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserSettings {
    #[serde(default)]
    pub unit_system: UnitSystem,
    /// Add an odometer record when a service, repair, upgrade or fuel record is created (§3.3).
    #[serde(default = "default_true")]
    pub enable_auto_odometer_insert: bool,
    /// Listing a vehicle's reminders first moves its past-due recurring reminders forward
    /// (reference §1 Reminders, §3.2 `EnableAutoReminderRefresh`).
    #[serde(default)]
    pub enable_auto_reminder_refresh: bool,
    /// The vehicle page's tabs, visible ones only, in the user's order; empty = all, in
    /// [`VEHICLE_TABS`] order.
    #[serde(default)]
    pub tabs: Vec<String>,
    /// ISO 4217 code of the currency amounts are shown in (`USD`, `EUR`).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// BCP 47 language tag for numbers and dates (`en-US`, `de-DE`).
    #[serde(default = "default_locale")]
    pub locale: String,
    #[serde(default)]
    pub date_format: DateFormat,
    #[serde(default)]
    pub theme: Theme,
    /// Language of the web app's text, one of [`LANGUAGES`] (`en`, `de`).
    #[serde(default = "default_language")]
    pub language: String,
    /// What the garage cards show besides the name.
    #[serde(default)]
    pub garage_metric: GarageMetric,
}

/// The figure on each garage card (reference §1 "Garage metrics", §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum GarageMetric {
    /// The current odometer and the most urgent reminder (LubeLogger's "Default").
    #[default]
    Odometer,
    /// Service + repair + upgrade + tax + fuel costs.
    TotalCost,
    /// Total cost ÷ (max − min odometer).
    CostPerDistance,
}

/// The languages the web app is translated into (English is the source text).
pub const LANGUAGES: [&str; 2] = ["en", "de"];

fn default_language() -> String {
    "en".to_owned()
}

/// How dates are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum DateFormat {
    /// `2024-03-31`.
    Iso,
    /// As the user's `locale` writes them (`3/31/2024`, `31.03.2024`).
    #[default]
    Locale,
}

/// Colour scheme of the web app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    Light,
    Dark,
}

fn default_currency() -> String {
    "USD".to_owned()
}

fn default_locale() -> String {
    "en-US".to_owned()
}

/// Three ASCII capitals, the shape of every ISO 4217 code (browsers format any such code, so
/// the shape is what matters).
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// A well-formed BCP 47 tag as browsers' `Intl` accepts it: a 2–3 letter language, then
/// subtags of 1–8 letters or digits (script, region, variants), at most 35 characters.
pub fn is_locale_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    language_ok
        && tag.len() <= 35
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Every tab of the vehicle page, in the default order (their path segments).
pub const VEHICLE_TABS: [&str; 14] = [
    "fuel",
    "service",
    "repair",
    "upgrade",
    "odometer",
    "tax",
    "reminders",
    "notes",
    "supplies",
    "planner",
    "equipment",
    "inspections",
    "dashboard",
    "reports",
];

impl UserSettings {
    /// The tabs to show, in order (the default set when the user chose none).
    pub fn visible_tabs(&self) -> Vec<&str> {
        if self.tabs.is_empty() {
            VEHICLE_TABS.to_vec()
        } else {
            self.tabs.iter().map(String::as_str).collect()
        }
    }

    /// Every problem with the settings (field names as in JSON).
    pub fn validate(&self) -> Vec<crate::problem::FieldError> {
        let mut errors = Vec::new();
        for (i, tab) in self.tabs.iter().enumerate() {
            if !VEHICLE_TABS.contains(&tab.as_str()) {
                errors.push(crate::problem::FieldError::new(
                    &format!("tabs[{i}]"),
                    format!("unknown tab `{tab}`"),
                ));
            } else if self.tabs[..i].contains(tab) {
                errors.push(crate::problem::FieldError::new(
                    &format!("tabs[{i}]"),
                    format!("`{tab}` is listed twice"),
                ));
            }
        }
        if !LANGUAGES.contains(&self.language.as_str()) {
            errors.push(crate::problem::FieldError::new(
                "language",
                format!("must be one of {}", LANGUAGES.join(", ")),
            ));
        }
        if !is_currency_code(&self.currency) {
            errors.push(crate::problem::FieldError::new(
                "currency",
                "must be an ISO 4217 code of three capital letters, like USD or EUR",
            ));
        }
        if !is_locale_tag(&self.locale) {
            errors.push(crate::problem::FieldError::new(
                "locale",
                "must be a language tag like en-US or de-DE",
            ));
        }
        errors
    }
}

impl Default for UserSettings {
    fn default() -> Self {
        UserSettings {
            unit_system: UnitSystem::default(),
            enable_auto_odometer_insert: true,
            enable_auto_reminder_refresh: false,
            tabs: Vec::new(),
            currency: default_currency(),
            locale: default_locale(),
            date_format: DateFormat::default(),
            theme: Theme::default(),
            language: default_language(),
            garage_metric: GarageMetric::default(),
        }
    }
}

/// The signed-in user (`GET /api/v1/auth/me`, and the answer to login and setup).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub email: Option<String>,
    pub is_admin: bool,
    pub is_root: bool,
    pub settings: UserSettings,
    /// Send back as `X-CSRF-Token` on every cookie-authenticated write.
    pub csrf_token: String,
}

// ---------------------------------------------------------------- vehicles

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum FuelType {
    #[default]
    Gasoline,
    Diesel,
    Electric,
}

impl FuelType {
    pub fn is_electric(self) -> bool {
        matches!(self, FuelType::Electric)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FuelType::Gasoline => "gasoline",
            FuelType::Diesel => "diesel",
            FuelType::Electric => "electric",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "gasoline" => Some(FuelType::Gasoline),
            "diesel" => Some(FuelType::Diesel),
            "electric" => Some(FuelType::Electric),
            _ => None,
        }
    }
}

fn default_multiplier() -> Amount {
    Amount::from_units(1)
}

fn default_identifier() -> String {
    "LicensePlate".to_owned()
}

fn default_true() -> bool {
    true
}

/// Create or replace a vehicle (reference §2.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VehicleInput {
    pub year: i32,
    pub make: String,
    pub model: String,
    #[serde(default)]
    pub license_plate: String,
    #[serde(default)]
    pub fuel_type: FuelType,
    #[serde(default)]
    pub purchase_date: Option<NaiveDate>,
    #[serde(default)]
    pub sold_date: Option<NaiveDate>,
    #[serde(default)]
    pub purchase_price: Option<Amount>,
    #[serde(default)]
    pub sold_price: Option<Amount>,
    /// Engine hours instead of distance.
    #[serde(default)]
    pub use_hours: bool,
    #[serde(default)]
    pub odometer_optional: bool,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub has_odometer_adjustment: bool,
    /// Applied as `(reading + difference) × multiplier`; at most 3 decimals.
    #[serde(default = "default_multiplier")]
    pub odometer_multiplier: Amount,
    #[serde(default)]
    pub odometer_difference: i64,
    /// `LicensePlate` or the name of a vehicle extra field shown instead of the plate.
    #[serde(default = "default_identifier")]
    pub vehicle_identifier: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Vehicle {
    pub id: i64,
    pub year: i32,
    pub make: String,
    pub model: String,
    pub license_plate: String,
    pub fuel_type: FuelType,
    pub purchase_date: Option<NaiveDate>,
    pub sold_date: Option<NaiveDate>,
    pub purchase_price: Option<Amount>,
    pub sold_price: Option<Amount>,
    pub use_hours: bool,
    pub odometer_optional: bool,
    pub tags: Vec<String>,
    pub has_odometer_adjustment: bool,
    pub odometer_multiplier: Amount,
    pub odometer_difference: i64,
    pub vehicle_identifier: String,
    /// Highest odometer reading of the vehicle's records (0 when none).
    pub current_odometer: i64,
    /// What the caller may do to it (the web app hides what is not allowed; the server
    /// enforces it anyway).
    pub access: VehicleAccess,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How the caller reaches a vehicle: as an owner (root or direct collaborator), or through a
/// household head with that household role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum VehicleAccess {
    #[default]
    Owner,
    Manager,
    Editor,
    Viewer,
}

impl VehicleAccess {
    pub fn as_str(self) -> &'static str {
        match self {
            VehicleAccess::Owner => "owner",
            VehicleAccess::Manager => "manager",
            VehicleAccess::Editor => "editor",
            VehicleAccess::Viewer => "viewer",
        }
    }
}

// ---------------------------------------------------------------- fuel records

/// Create or replace a fill-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FuelRecordInput {
    pub date: NaiveDate,
    pub odometer: i64,
    /// Gallons, litres or kWh, as the user's unit system says.
    pub fuel_consumed: Amount,
    pub cost: Amount,
    #[serde(default = "default_true")]
    pub is_fill_to_full: bool,
    #[serde(default)]
    pub missed_fuel_up: bool,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// EV state of charge before charging, percent 0–100 (null when not recorded).
    #[serde(default)]
    pub starting_soc: Option<i32>,
    /// EV state of charge after charging, percent 0–100 (null when not recorded).
    #[serde(default)]
    pub ending_soc: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FuelRecord {
    pub id: i64,
    pub vehicle_id: i64,
    pub date: NaiveDate,
    pub odometer: i64,
    pub fuel_consumed: Amount,
    pub cost: Amount,
    pub is_fill_to_full: bool,
    pub missed_fuel_up: bool,
    pub notes: String,
    pub tags: Vec<String>,
    pub starting_soc: Option<i32>,
    pub ending_soc: Option<i32>,
    /// Distance since the previous reading (reference §3.1); filled in lists.
    pub distance: i64,
    /// Economy of this fill-up in `economyUnit`, `null` where the rules give none.
    pub fuel_economy: Option<f64>,
    /// Cost per unit of fuel, 0 when no fuel was entered.
    pub cost_per_unit: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/vehicles/{vehicleId}/fuel-records`: newest first, with the economy figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FuelRecordList {
    pub records: Vec<FuelRecord>,
    /// Average economy over the qualifying fill-ups, `null` when there is none.
    pub average_fuel_economy: Option<f64>,
    pub unit_system: UnitSystem,
    pub economy_unit: String,
    pub distance_unit: String,
    pub fuel_unit: String,
    /// Exact sums of the listed records.
    pub total_cost: Amount,
    pub total_fuel: Amount,
}

/// `GET /health/ready`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Readiness {
    pub status: String,
    pub checks: Vec<DependencyCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DependencyCheck {
    pub name: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_and_locale_shapes() {
        for (code, ok) in [
            ("USD", true),
            ("EUR", true),
            ("usd", false),
            ("US", false),
            ("USDT", false),
            ("", false),
        ] {
            assert_eq!(is_currency_code(code), ok, "{code}");
        }
        for (tag, ok) in [
            ("en-US", true),
            ("de-DE", true),
            ("fr", true),
            ("zh-Hant-TW", true),
            ("es-419", true),
            ("en_US", false),
            ("en-", false),
            ("e", false),
            ("english-US", false),
            ("en-US-toolongsubtag", false),
            ("", false),
        ] {
            assert_eq!(is_locale_tag(tag), ok, "{tag}");
        }
    }

    #[test]
    fn settings_saved_before_a_field_existed_still_load() {
        let old: UserSettings =
            serde_json::from_str(r#"{"unitSystem":"metric","tabs":["fuel"]}"#).unwrap();
        assert_eq!(old.currency, "USD");
        assert_eq!(old.locale, "en-US");
        assert_eq!(old.date_format, DateFormat::Locale);
        assert_eq!(old.theme, Theme::System);
        assert_eq!(old.tabs, vec!["fuel".to_owned()]);
        assert!(old.validate().is_empty());
    }
}
