//! The server culture of the LubeLogger-compatible API (reference §1 "Locale", §4.1): how
//! numbers and dates are parsed from requests and written into all-string answers. LubeLogger
//! uses one .NET culture for the whole server; these are the .NET short patterns of the
//! cultures we support.

use chrono::NaiveDate;
use motovault_shared::Amount;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Month, day, year (en-US `M/d/yyyy`).
    Mdy,
    /// Day, month, year (`dd/MM/yyyy`, `dd.MM.yyyy`).
    Dmy,
    /// Year, month, day (sv-SE `yyyy-MM-dd`).
    Ymd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Culture {
    pub name: &'static str,
    order: Order,
    date_separator: char,
    /// Two-digit day and month (`dd/MM`) rather than `M/d`.
    padded: bool,
    /// .NET `ToString()` of a date-time adds this time of day for midnight.
    midnight: &'static str,
    pub decimal_separator: char,
    /// Thousands separators accepted (and ignored) when parsing.
    group_separators: &'static [char],
    pub currency_symbol: &'static str,
}

const CULTURES: &[Culture] = &[
    Culture {
        name: "en-US",
        order: Order::Mdy,
        date_separator: '/',
        padded: false,
        midnight: "12:00:00 AM",
        decimal_separator: '.',
        group_separators: &[','],
        currency_symbol: "$",
    },
    Culture {
        name: "en-GB",
        order: Order::Dmy,
        date_separator: '/',
        padded: true,
        midnight: "00:00:00",
        decimal_separator: '.',
        group_separators: &[','],
        currency_symbol: "£",
    },
    Culture {
        name: "de-DE",
        order: Order::Dmy,
        date_separator: '.',
        padded: true,
        midnight: "00:00:00",
        decimal_separator: ',',
        group_separators: &['.'],
        currency_symbol: "€",
    },
    Culture {
        name: "fr-FR",
        order: Order::Dmy,
        date_separator: '/',
        padded: true,
        midnight: "00:00:00",
        decimal_separator: ',',
        group_separators: &[' ', '\u{a0}', '\u{202f}'],
        currency_symbol: "€",
    },
    Culture {
        name: "sv-SE",
        order: Order::Ymd,
        date_separator: '-',
        padded: true,
        midnight: "00:00:00",
        decimal_separator: ',',
        group_separators: &[' ', '\u{a0}'],
        currency_symbol: "kr",
    },
];

impl Default for Culture {
    /// LubeLogger's docker image default.
    fn default() -> Self {
        CULTURES[0]
    }
}

impl Culture {
    pub const NAMES: [&'static str; 5] = ["en-US", "en-GB", "de-DE", "fr-FR", "sv-SE"];

    /// The culture by name, case-insensitively, `_` accepted for `-` (`de_DE` as in `LANG`).
    pub fn parse(name: &str) -> Option<Culture> {
        let wanted = name.trim().replace('_', "-");
        CULTURES
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&wanted))
            .copied()
    }

    /// The .NET short date pattern (`/api/info` `dateFormat`).
    pub fn date_pattern(&self) -> String {
        let (d, m) = if self.padded {
            ("dd", "MM")
        } else {
            ("d", "M")
        };
        let s = self.date_separator;
        match self.order {
            Order::Mdy => format!("{m}{s}{d}{s}yyyy"),
            Order::Dmy => format!("{d}{s}{m}{s}yyyy"),
            Order::Ymd => format!("yyyy{s}{m}{s}{d}"),
        }
    }

    /// `ToShortDateString()`.
    pub fn short_date(&self, date: NaiveDate) -> String {
        let s = self.date_separator;
        let (d, m) = if self.padded {
            (date.format("%d").to_string(), date.format("%m").to_string())
        } else {
            (
                date.format("%-d").to_string(),
                date.format("%-m").to_string(),
            )
        };
        let y = date.format("%Y");
        match self.order {
            Order::Mdy => format!("{m}{s}{d}{s}{y}"),
            Order::Dmy => format!("{d}{s}{m}{s}{y}"),
            Order::Ymd => format!("{y}{s}{m}{s}{d}"),
        }
    }

    /// `DateTime.ToString()` of a date at midnight (supply `date`, reference §4.1).
    pub fn date_time(&self, date: NaiveDate) -> String {
        format!("{} {}", self.short_date(date), self.midnight)
    }

    /// A decimal as `decimal.ToString()` writes it: shortest exact digits, culture separator.
    pub fn decimal(&self, value: Amount) -> String {
        value
            .to_string()
            .replace('.', &self.decimal_separator.to_string())
    }

    /// `decimal.Parse` in this culture: group separators are skipped, so on a comma-decimal
    /// server `"12.34"` reads as 1234, as LubeLogger does (reference §4.1 "Input").
    pub fn parse_decimal(&self, text: &str) -> Option<Amount> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !self.group_separators.contains(c))
            .map(|c| if c == self.decimal_separator { '.' } else { c })
            .collect();
        if cleaned.is_empty() {
            return None;
        }
        Amount::parse(&cleaned).ok()
    }

    /// The culture's short date, optionally followed by a time of day (ignored).
    pub fn parse_short_date(&self, text: &str) -> Option<NaiveDate> {
        let date_part = text.split_whitespace().next()?;
        let parts: Vec<&str> = date_part.split(self.date_separator).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let num = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (y, m, d) = match self.order {
            Order::Mdy => (num(c)?, num(a)?, num(b)?),
            Order::Dmy => (num(c)?, num(b)?, num(a)?),
            Order::Ymd => (num(a)?, num(b)?, num(c)?),
        };
        if y < 1000 {
            return None;
        }
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_culture_writes_and_reads_its_short_date() {
        // (culture, 3 January 2026 written, pattern, supply date-time, 1234.5 written)
        let table = [
            (
                "en-US",
                "1/3/2026",
                "M/d/yyyy",
                "1/3/2026 12:00:00 AM",
                "1234.5",
            ),
            (
                "en-GB",
                "03/01/2026",
                "dd/MM/yyyy",
                "03/01/2026 00:00:00",
                "1234.5",
            ),
            (
                "de-DE",
                "03.01.2026",
                "dd.MM.yyyy",
                "03.01.2026 00:00:00",
                "1234,5",
            ),
            (
                "fr-FR",
                "03/01/2026",
                "dd/MM/yyyy",
                "03/01/2026 00:00:00",
                "1234,5",
            ),
            (
                "sv-SE",
                "2026-01-03",
                "yyyy-MM-dd",
                "2026-01-03 00:00:00",
                "1234,5",
            ),
        ];
        let amount = Amount::parse("1234.5").unwrap();
        for (name, short, pattern, date_time, decimal) in table {
            let c = Culture::parse(name).unwrap();
            assert_eq!(c.short_date(date(2026, 1, 3)), short, "{name}");
            assert_eq!(c.date_pattern(), pattern, "{name}");
            assert_eq!(c.date_time(date(2026, 1, 3)), date_time, "{name}");
            assert_eq!(c.decimal(amount), decimal, "{name}");
            assert_eq!(c.parse_short_date(short), Some(date(2026, 1, 3)), "{name}");
            assert_eq!(
                c.parse_short_date(date_time),
                Some(date(2026, 1, 3)),
                "{name}"
            );
            assert_eq!(c.parse_decimal(decimal), Some(amount), "{name}");
        }
    }

    #[test]
    fn numbers_follow_the_culture_like_decimal_parse() {
        let us = Culture::parse("en-us").unwrap();
        let de = Culture::parse("de_DE").unwrap();
        let fr = Culture::parse("fr-FR").unwrap();
        let amount = |s: &str| Amount::parse(s).unwrap();
        assert_eq!(us.parse_decimal("1,234.56"), Some(amount("1234.56")));
        assert_eq!(us.parse_decimal("12.34"), Some(amount("12.34")));
        // The quirk of §4.1: a '.' is a group separator in German.
        assert_eq!(de.parse_decimal("12.34"), Some(amount("1234")));
        assert_eq!(de.parse_decimal("1.234,5"), Some(amount("1234.5")));
        assert_eq!(fr.parse_decimal("1 234,5"), Some(amount("1234.5")));
        assert_eq!(us.parse_decimal(""), None);
        assert_eq!(us.parse_decimal("abc"), None);
    }

    #[test]
    fn short_dates_are_checked() {
        let us = Culture::parse("en-US").unwrap();
        let gb = Culture::parse("en-GB").unwrap();
        assert_eq!(us.parse_short_date("12/31/2025"), Some(date(2025, 12, 31)));
        assert_eq!(gb.parse_short_date("31/12/2025"), Some(date(2025, 12, 31)));
        assert_eq!(us.parse_short_date("31/12/2025"), None);
        assert_eq!(us.parse_short_date("2/30/2025"), None);
        assert_eq!(us.parse_short_date("1/2/25"), None);
        assert!(Culture::parse("xx-XX").is_none());
    }
}
