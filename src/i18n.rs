//! Translation tables: every label a report shows, in Dutch (default) and English.
//!
//! The tables are TOML files in `templates/lang/`: `nl.toml` and the parts `nl-*.toml`
//! (one per area: `nl-rca.toml`, …) merge into one table (embedded; a user's
//! `--templates DIR` may override any of them). Nested tables flatten to dotted keys (`status.met`). Templates and the
//! annex never hold a visible string of their own: they look it up here, so `--lang en`
//! changes every word.

use std::collections::BTreeMap;

use crate::error::{Error, Result};


/// The language of a report: Dutch (the default) or English. It picks the label table and
/// the way numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// `nl` or `en`: the `--lang` value, the label tables' file names, the JSON's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(transparent)]
pub struct Labels(pub BTreeMap<String, String>, #[serde(skip)] Lang);

impl Labels {
    /// The embedded table for `lang`.
    #[cfg(test)]
    pub fn embedded(lang: Lang) -> Result<Labels> {
        // In the template set's order (sorted by path), as `render::labels` reads a set.
        let files: BTreeMap<&str, &[u8]> = crate::assets::EMBEDDED_TEMPLATES.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
        Labels::from_files(files.into_iter(), lang, "embedded")
    }

    /// Merges `lang/{lang}.toml` and every `lang/{lang}-*.toml` among `files` (path, bytes).
    /// A key defined in two parts is an error, so no part silently wins.
    pub fn from_files<'a>(files: impl Iterator<Item = (&'a str, &'a [u8])>, lang: Lang, origin: &str) -> Result<Labels> {
        let main = format!("lang/{}.toml", lang.code());
        let prefix = format!("lang/{}-", lang.code());
        let mut map: BTreeMap<String, String> = BTreeMap::new();
        let mut found = false;
        for (name, bytes) in files {
            if name != main && !(name.starts_with(&prefix) && name.ends_with(".toml")) {
                continue;
            }
            found |= name == main;
            let text = std::str::from_utf8(bytes).map_err(|_| Error::new(format!("{name} is not UTF-8")))?;
            for (k, v) in Labels::parse(text, name)? {
                if map.contains_key(&k) {
                    return Err(Error::new(format!("translation key {k} is defined twice (again in {name})")));
                }
                map.insert(k, v);
            }
        }
        if !found {
            return Err(Error::new(format!("no translation table {main} in {origin}"))
                .with_hint("use --lang nl or --lang en"));
        }
        Ok(Labels(map, lang))
    }

    /// One table file, flattened to dotted keys.
    fn parse(text: &str, name: &str) -> Result<BTreeMap<String, String>> {
        let value: toml::Table = toml::from_str(text)
            .map_err(|e| Error::new(format!("translation table {name}: {e}")))?;
        let mut map = BTreeMap::new();
        flatten("", &value, &mut map);
        Ok(map)
    }

    /// The label for `key`; the key itself when missing (a test keeps tables complete).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.0.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The language the table was read for.
    pub fn lang(&self) -> Lang {
        self.1
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

/// Formats a number the Dutch or English way: `1.234,5` or `1,234.5`.
pub fn format_number(x: f64, decimals: usize, lang: Lang) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map(|(a, b)| (a.to_string(), Some(b.to_string()))).unwrap_or((s.clone(), None));
    let (thousands, decimal) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(ch);
    }
    let neg = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(&f);
    }
    out
}

/// `91,79 %` (nl) or `91.79%` (en).
pub fn format_pct(x: f64, decimals: usize, lang: Lang) -> String {
    let n = format_number(x, decimals, lang);
    match lang {
        Lang::Nl => format!("{n} %"),
        Lang::En => format!("{n}%"),
    }
}

/// `7 november 2025` (nl) or `7 November 2025` (en).
pub fn format_date(d: chrono::NaiveDate, labels: &Labels) -> String {
    use chrono::Datelike;
    let month = labels.get(MONTH_KEYS[d.month0() as usize]);
    format!("{} {} {}", d.day(), month, d.year())
}

/// `2026-10` → `oktober 2026` (the label as given when it is not a month).
pub fn month_label(period: &str, labels: &Labels) -> String {
    let parsed = period.split_once('-').and_then(|(y, m)| {
        let month: usize = m.parse().ok()?;
        let key = MONTH_KEYS.get(month.checked_sub(1)?)?;
        Some(format!("{} {}", labels.get(key), y.parse::<i32>().ok()?))
    });
    parsed.unwrap_or_else(|| period.to_string())
}

/// A period in words: `2026-Q3` → "3e kwartaal 2026" (en "Q3 2026"), `2026-H2` → "2e
/// halfjaar 2026", a month as [`month_label`] does, anything else as it is.
pub fn period_label(period: &str, labels: &Labels) -> String {
    let Some((year, part)) = period.split_once('-') else { return period.to_string() };
    let named = |key: &str, n: &str| labels.get(key).replace("{n}", n).replace("{year}", year);
    if let Some(n) = part.strip_prefix('Q') {
        named("q.quarter_name", n)
    } else if let Some(n) = part.strip_prefix('H') {
        named("q.half_name", n)
    } else {
        month_label(period, labels)
    }
}

pub const MONTH_KEYS: [&str; 12] = [
    "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
    "month.9", "month.10", "month.11", "month.12",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers() {
        assert_eq!(format_pct(91.7946, 2, Lang::Nl), "91,79 %");
        assert_eq!(format_number(2500.0, 0, Lang::Nl), "2.500");
        assert_eq!(format_number(1234567.891, 1, Lang::Nl), "1.234.567,9");
        assert_eq!(format_number(-0.001, 1, Lang::Nl), "0,0");
        assert_eq!(format_pct(91.7946, 2, Lang::En), "91.79%");
    }

    #[test]
    fn dutch_dates() {
        let nl = Labels::embedded(Lang::Nl).unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(2025, 11, 7).unwrap();
        assert_eq!(format_date(d, &nl), "7 november 2025");
    }

    #[test]
    fn each_language_has_its_table() {
        for lang in Lang::ALL {
            let labels = Labels::embedded(lang).unwrap();
            assert_eq!(labels.lang(), lang);
            // The templates set the document's language from the table.
            assert_eq!(labels.get("lang.code"), lang.code());
        }
        assert_eq!(serde_json::to_value(Lang::En).unwrap(), "en");
    }

    #[test]
    fn tables_have_the_same_keys() {
        let nl = Labels::embedded(Lang::Nl).unwrap();
        let en = Labels::embedded(Lang::En).unwrap();
        let a: Vec<&String> = nl.0.keys().collect();
        let b: Vec<&String> = en.0.keys().collect();
        let only_nl: Vec<_> = a.iter().filter(|k| !en.0.contains_key(**k)).collect();
        let only_en: Vec<_> = b.iter().filter(|k| !nl.0.contains_key(**k)).collect();
        assert!(only_nl.is_empty() && only_en.is_empty(), "nl only: {only_nl:?}; en only: {only_en:?}");
    }
}
