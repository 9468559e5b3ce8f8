//! Display helpers: numbers, money, dates and economy figures, in the signed-in user's
//! locale, currency and date format (Settings), kept in [`Fmt`] by [`apply`].

use std::cell::Cell;

use chrono::{Datelike, NaiveDate};
use motovault_shared::Amount;
use motovault_shared::amount::SCALE;
use motovault_shared::dto::{DateFormat, UserSettings};
use motovault_shared::fuel::round2;

/// The locales written natively; any other tag is shown as `en-US`.
const LOCALES: [&str; 5] = ["en-US", "en-GB", "de-DE", "fr-FR", "sv-SE"];
/// Per locale: the thousands separator and the decimal mark (as browsers' `Intl` writes them).
const SEPARATORS: [(char, char); 5] = [
    (',', '.'),
    (',', '.'),
    ('.', ','),
    ('\u{202f}', ','),
    ('\u{a0}', ','),
];

/// The display settings: plain data, so it lives in a `Cell` (the app has one thread).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fmt {
    /// Index into [`LOCALES`].
    loc: usize,
    iso: bool,
    /// ISO 4217 code (validated by the server as three capitals).
    cur: [u8; 3],
}

thread_local! {
    static FMT: Cell<Fmt> = const { Cell::new(Fmt { loc: 0, iso: false, cur: *b"USD" }) };
}

fn now() -> Fmt {
    FMT.with(Cell::get)
}

impl Fmt {
    pub fn of(s: &UserSettings) -> Fmt {
        let mut cur = *b"USD";
        if s.currency.len() == 3 {
            cur.copy_from_slice(s.currency.as_bytes());
        }
        Fmt {
            loc: LOCALES.iter().position(|l| *l == s.locale).unwrap_or(0),
            iso: s.date_format == DateFormat::Iso,
            cur,
        }
    }

    pub fn grouped(self, value: i64) -> String {
        let group = SEPARATORS[self.loc].0;
        let digits = value.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() * 2);
        if value < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(c);
        }
        out
    }

    /// Two decimals, rounded half away from zero, exactly: `1234.5` → `1,234.50` / `1.234,50`.
    pub fn amount(self, amount: Amount) -> String {
        let scaled = amount.scaled();
        let step = (SCALE / 100) as u64;
        let cents_abs = (scaled.unsigned_abs() + step / 2) / step;
        let whole = i64::try_from(cents_abs / 100).unwrap_or(i64::MAX);
        let sign = if scaled < 0 && cents_abs > 0 { "-" } else { "" };
        let mark = SEPARATORS[self.loc].1;
        format!("{sign}{}{mark}{:02}", self.grouped(whole), cents_abs % 100)
    }

    /// What goes before and after a money figure: `("$", "")`, `("", " €")`, `("CHF ", "")`.
    /// English puts the symbol first, the other locales after, with a no-break space.
    pub fn affixes(self) -> (String, String) {
        let code = std::str::from_utf8(&self.cur).unwrap_or("USD");
        let sym = match code {
            "USD" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "SEK" => "kr",
            _ => code,
        };
        match (self.loc < 2, sym.chars().count() > 1) {
            (true, false) => (sym.to_owned(), String::new()),
            (true, true) => (format!("{sym}\u{a0}"), String::new()),
            (false, _) => (String::new(), format!("\u{a0}{sym}")),
        }
    }

    /// Money with its currency: `$1,234.56`, `1.234,56 €` (the app composes it in CSS).
    #[cfg(test)]
    pub fn money(self, amount: Amount) -> String {
        let (before, after) = self.affixes();
        format!("{before}{}{after}", self.amount(amount))
    }

    pub fn date(self, d: NaiveDate) -> String {
        let (y, m, day) = (d.year(), d.month(), d.day());
        match (self.iso, self.loc) {
            (false, 0) => format!("{} {day}, {y}", month(d)),
            (false, 1 | 3) => format!("{day:02}/{m:02}/{y}"),
            (false, 2) => format!("{day:02}.{m:02}.{y}"),
            _ => format!("{y}-{m:02}-{day:02}"),
        }
    }
}
/// A quantity as entered (exact, shortest form): `10`, `12.345`.
pub fn quantity(amount: Amount) -> String {
    amount.to_string()
}

/// Two decimals, or an em dash where the rules give no figure.
pub fn economy(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => decimal2(v),
        _ => "—".to_owned(),
    }
}

/// A plain float with two decimals (cost per unit), with the locale's decimal mark.
pub fn decimal2(value: f64) -> String {
    format!("{:.2}", round2(value)).replace('.', &SEPARATORS[now().loc].1.to_string())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Jan` for January. Dates are written by hand rather than with chrono's `format`, which
/// would bring its whole format-string machinery into the bundle.
pub fn month(value: NaiveDate) -> &'static str {
    MONTHS[value.month0() as usize % 12]
}

/// `2024-01-20` → `Jan 20, 2024` (en-US), `20.01.2024` (de-DE), `2024-01-20` (ISO).
pub fn date(value: NaiveDate) -> String {
    now().date(value)
}

/// Thousands grouped as the user's locale does: `1234567` → `1,234,567`.
pub fn grouped(value: i64) -> String {
    now().grouped(value)
}

/// A money figure without its currency (the stylesheet adds it around `[data-testid$=cost]`
/// figures, from [`apply`]'s variables, so the figure's text stays a plain number).
pub fn money(amount: Amount) -> String {
    now().amount(amount)
}

/// Makes `settings` the display settings, and hands the currency affixes to the stylesheet.
pub fn apply(settings: &UserSettings) {
    let fmt = Fmt::of(settings);
    FMT.with(|f| f.set(fmt));
    let (before, after) = fmt.affixes();
    // Through the CSSOM: the content security policy refuses `style` attributes.
    if let Some(root) = leptos::prelude::document().document_element()
        && let Ok(root) = leptos::wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(root)
    {
        let style = root.style();
        let _ = style.set_property("--cb", &format!("\"{before}\""));
        let _ = style.set_property("--ca", &format!("\"{after}\""));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(-1234567), "-1,234,567");
    }

    #[test]
    fn money_rounds_exactly() {
        assert_eq!(money(Amount::parse("1234.5").unwrap()), "1,234.50");
        assert_eq!(money(Amount::parse("0.005").unwrap()), "0.01");
        assert_eq!(money(Amount::parse("0.0049").unwrap()), "0.00");
        assert_eq!(money(Amount::parse("-3.456").unwrap()), "-3.46");
        assert_eq!(money(Amount::ZERO), "0.00");
    }

    #[test]
    fn economy_and_dates() {
        assert_eq!(economy(Some(40.0)), "40.00");
        assert_eq!(economy(Some(35.294_117)), "35.29");
        assert_eq!(economy(None), "—");
        let d = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(date(d), "Jan 5, 2024");
        let d = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert_eq!(date(d), "Dec 31, 1999");
    }

    fn fmt(locale: &str, currency: &str, date_format: DateFormat) -> Fmt {
        Fmt::of(&UserSettings {
            locale: locale.into(),
            currency: currency.into(),
            date_format,
            ..UserSettings::default()
        })
    }

    #[test]
    fn money_follows_locale_and_currency() {
        let a = Amount::parse("1234.56").unwrap();
        let big = Amount::parse("-1234567.891").unwrap();
        let cases = [
            ("en-US", "USD", "$1,234.56", "$-1,234,567.89"),
            ("en-GB", "GBP", "£1,234.56", "£-1,234,567.89"),
            ("de-DE", "EUR", "1.234,56\u{a0}€", "-1.234.567,89\u{a0}€"),
            (
                "fr-FR",
                "EUR",
                "1\u{202f}234,56\u{a0}€",
                "-1\u{202f}234\u{202f}567,89\u{a0}€",
            ),
            (
                "sv-SE",
                "SEK",
                "1\u{a0}234,56\u{a0}kr",
                "-1\u{a0}234\u{a0}567,89\u{a0}kr",
            ),
            (
                "en-US",
                "CHF",
                "CHF\u{a0}1,234.56",
                "CHF\u{a0}-1,234,567.89",
            ),
            ("de-DE", "USD", "1.234,56\u{a0}$", "-1.234.567,89\u{a0}$"),
            // Unknown locales read as en-US.
            ("ja-JP", "EUR", "€1,234.56", "€-1,234,567.89"),
        ];
        for (locale, currency, one, two) in cases {
            let f = fmt(locale, currency, DateFormat::Locale);
            assert_eq!(f.money(a), one, "{locale} {currency}");
            assert_eq!(f.money(big), two, "{locale} {currency}");
        }
        let de = fmt("de-DE", "EUR", DateFormat::Locale);
        assert_eq!(de.affixes(), (String::new(), "\u{a0}€".to_owned()));
        assert_eq!(de.amount(Amount::parse("0.005").unwrap()), "0,01");
        assert_eq!(de.grouped(-1_000), "-1.000");
        assert_eq!(de.grouped(999), "999");
    }

    #[test]
    fn dates_follow_locale_or_iso() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let cases = [
            ("en-US", "Mar 5, 2024"),
            ("en-GB", "05/03/2024"),
            ("de-DE", "05.03.2024"),
            ("fr-FR", "05/03/2024"),
            ("sv-SE", "2024-03-05"),
            ("pt-BR", "Mar 5, 2024"),
        ];
        for (locale, want) in cases {
            assert_eq!(
                fmt(locale, "USD", DateFormat::Locale).date(d),
                want,
                "{locale}"
            );
            assert_eq!(fmt(locale, "USD", DateFormat::Iso).date(d), "2024-03-05");
        }
    }
}
