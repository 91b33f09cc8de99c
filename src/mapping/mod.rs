//! Mapping files: how a real ITSM export becomes the canonical ticket table.
//!
//! No provider exports slarapport's `tickets.csv`. ServiceNow writes `1 - Critical` and
//! `opened_at`, TOPdesk writes `Datum melding` in `dd-mm-jjjj uu:mm` with semicolons in
//! Windows-1252, Jira writes `12/Oct/26 9:42 AM`, and an audit export has a row per update
//! instead of a row per ticket. A user must get the report without editing their export, so
//! this module reads the export as it is (CSV in any common delimiter and encoding, or XLSX)
//! and maps it, by a small TOML file, onto the canonical columns: which source column (or
//! constant, or template) gives each field, value maps onto the vocabularies, timestamp
//! formats and time zone, placeholders that mean "empty", and how an event log is reduced to
//! one row per ticket. Built-in profiles (`profiles/*.toml`) are such files, embedded.
//!
//! The mapping never drops data silently: every row of the export becomes a [`Row`] for the
//! ordinary validation (`canonical::parse_row`) or a [`Rejection`] with the user's file, line and
//! column; what was defaulted, emptied, folded or ignored is counted in the
//! [`MappingReport`] that `slarapport check` prints and that ends up in the report's notes.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::canonical::{is_known_value, parse_iso, IsoTime, Rejection, Row, COLUMNS, REQUIRED, TIME_COLUMNS};
use crate::error::{Error, Result};
use crate::limits::MAX_TEMPLATE_COLUMNS;

mod export;
mod report;

pub use export::{load_export, load_export_owned};
pub use report::{MappingReport, PriorityChange, TimeProblems, ValueCount};

/// A mapping file in the data folder is used without a flag.
pub const FOLDER_MAPPING: &str = "mapping.toml";

/// The built-in profiles: name and the embedded mapping file.
pub const PROFILES: [(&str, &str); 3] = [
    ("servicenow", include_str!("../../profiles/servicenow.toml")),
    ("topdesk", include_str!("../../profiles/topdesk.toml")),
    ("jira", include_str!("../../profiles/jira.toml")),
];

// ---------------------------------------------------------------------------------------
// The file format
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    description: Option<String>,
    #[serde(default)]
    source: SourceSpec,
    columns: BTreeMap<String, toml::Value>,
    #[serde(default)]
    maps: BTreeMap<String, BTreeMap<String, String>>,
    events: Option<EventsFile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    file: Option<String>,
    sheet: Option<String>,
    delimiter: Option<String>,
    encoding: Option<String>,
    #[serde(default)]
    decimal_comma: bool,
    timezone: Option<String>,
    #[serde(default)]
    empty: Vec<String>,
    format: Option<OneOrMany>,
    dst_gap: Option<String>,
    dst_overlap: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldTable {
    column: Option<OneOrMany>,
    template: Option<String>,
    value: Option<String>,
    map: Option<MapRef>,
    default: Option<String>,
    unmapped: Option<String>,
    format: Option<OneOrMany>,
    timezone: Option<String>,
    #[serde(default)]
    optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum MapRef {
    Named(String),
    Inline(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    key: Option<String>,
    order: TimeColumn,
    #[serde(default)]
    when_columns: Vec<String>,
    #[serde(default)]
    first: BTreeMap<String, FirstFile>,
    priority: Option<String>,
}

/// A column, as a plain name or `{ column = "...", format = "..." }` (then read as a time).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum TimeColumn {
    Name(String),
    Spec {
        column: String,
        format: Option<OneOrMany>,
    },
}

impl TimeColumn {
    fn column(&self) -> &str {
        match self {
            TimeColumn::Name(c) => c,
            TimeColumn::Spec { column, .. } => column,
        }
    }
    fn formats(&self) -> Option<Vec<String>> {
        match self {
            TimeColumn::Name(_) => None,
            TimeColumn::Spec { format, .. } => Some(format.as_ref().map(OneOrMany::list).unwrap_or_default()),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FirstFile {
    column: String,
    #[serde(rename = "in", default)]
    is_in: Vec<String>,
    #[serde(default)]
    not_in: Vec<String>,
    at: TimeColumn,
}

// ---------------------------------------------------------------------------------------
// A checked mapping (independent of any export)
// ---------------------------------------------------------------------------------------

/// What to do with a value that the field's map does not list.
#[derive(Debug, Clone, PartialEq)]
enum Unmapped {
    /// Reject the row (the default for a map).
    Reject,
    /// Pass the value on: the canonical vocabulary (English and Dutch) may know it.
    Keep,
    /// Read it as empty.
    Empty,
    /// Read it as this value.
    Default(String),
}

/// What a local time without an offset means when the clocks change (see [`local_to_utc`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dst {
    /// A time in the hour skipped when summer time starts (02:30 on the last Sunday of March).
    gap: Gap,
    /// A time in the hour that comes twice when it ends.
    overlap: Overlap,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Gap {
    /// It does not exist: the row is rejected (a column no figure uses loses the value).
    #[default]
    Reject,
    /// Moved forward by the length of the gap (02:30 → 03:30 summer time), as ServiceNow
    /// (Java) does.
    Shift,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum Overlap {
    /// The first of the two (summer time), as ServiceNow (Java) does.
    #[default]
    Earlier,
    /// The second (winter time).
    Later,
    Reject,
}

impl Dst {
    fn parse(gap: Option<&str>, overlap: Option<&str>) -> Result<Dst, String> {
        let gap = match gap.map(|g| g.trim().to_ascii_lowercase()).as_deref() {
            None | Some("reject") => Gap::Reject,
            Some("shift") => Gap::Shift,
            Some(_) => return Err(format!("[source] dst_gap = \"{}\" is not one of reject, shift", gap.unwrap_or_default())),
        };
        let overlap = match overlap.map(|o| o.trim().to_ascii_lowercase()).as_deref() {
            None | Some("earlier") => Overlap::Earlier,
            Some("later") => Overlap::Later,
            Some("reject") => Overlap::Reject,
            Some(_) => return Err(format!("[source] dst_overlap = \"{}\" is not one of earlier, later, reject", overlap.unwrap_or_default())),
        };
        Ok(Dst { gap, overlap })
    }
}

/// Why a time of the export cannot be read.
#[derive(Debug, Clone, PartialEq)]
struct TimeFail {
    reason: String,
    /// The time lies in a daylight-saving change (then `[source] dst_gap` / `dst_overlap`
    /// say what it means, not its format).
    dst: bool,
}

impl TimeFail {
    fn format(reason: String) -> TimeFail {
        TimeFail { reason, dst: false }
    }

    /// What to do: for a daylight-saving time the setting that reads it; else `otherwise`.
    fn hint(&self, otherwise: &str) -> String {
        if self.dst {
            "correct the time, or say in the mapping what such times mean: [source] dst_gap = \"shift\" reads a time the clocks skip as the hour after, dst_overlap = \"earlier\" / \"later\" picks one of a repeated hour (as ServiceNow does: shift, earlier)".into()
        } else {
            otherwise.into()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TimeFormat {
    Iso,
    Excel,
    Chrono(String),
}

impl TimeFormat {
    fn parse(s: &str) -> Result<TimeFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "iso" | "iso8601" | "iso 8601" => Ok(TimeFormat::Iso),
            "excel" | "serial" => Ok(TimeFormat::Excel),
            _ => {
                if s.trim().is_empty() || StrftimeItems::new(s).any(|i| matches!(i, Item::Error)) {
                    Err(format!("\"{s}\" is not a time format (write it like %d-%m-%Y %H:%M, or \"excel\", or \"iso\")"))
                } else {
                    Ok(TimeFormat::Chrono(s.to_string()))
                }
            }
        }
    }

    fn show(&self) -> String {
        match self {
            TimeFormat::Iso => "ISO 8601".into(),
            TimeFormat::Excel => "an Excel serial date".into(),
            TimeFormat::Chrono(f) => f.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum SourceKind {
    /// The first non-empty of these columns (those that the export has).
    Columns(Vec<String>),
    /// Text with `{Column}` placeholders.
    Template(String),
    /// The same value on every row.
    Const(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Field {
    canon: &'static str,
    kind: SourceKind,
    optional: bool,
    map: Option<HashMap<String, String>>,
    unmapped: Unmapped,
    formats: Vec<TimeFormat>,
    tz: Option<Tz>,
}

#[derive(Debug, Clone, PartialEq)]
struct FirstRule {
    canon: &'static str,
    column: String,
    /// The states as the mapping spells them, for messages.
    states_shown: Vec<String>,
    is_in: Vec<String>,
    not_in: Vec<String>,
    at: String,
    at_formats: Vec<TimeFormat>,
}

#[derive(Debug, Clone, PartialEq)]
struct Events {
    key: String,
    order: String,
    /// `Some`: the order column is a time in these formats; `None`: a number.
    order_formats: Option<Vec<TimeFormat>>,
    when_columns: Vec<String>,
    first: Vec<FirstRule>,
    priority: PriorityPick,
}

/// Which priority of an event log counts when it changed on the way.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
enum PriorityPick {
    /// The last one, judged from the opening: the common ITSM reading.
    #[default]
    Last,
    /// The one the ticket was opened with.
    First,
}

/// A mapping file, read and checked: a built-in profile or the user's own.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedMapping {
    /// How messages name it: `profile topdesk`, or the file's path.
    pub origin: String,
    /// The TOML text, as read.
    pub text: String,
    pub description: String,
    /// The file to read, from `[source] file`.
    pub file: Option<String>,
    sheet: Option<String>,
    delimiter: Option<u8>,
    encoding: Option<&'static encoding_rs::Encoding>,
    decimal_comma: bool,
    tz: Option<Tz>,
    empty: Vec<String>,
    /// The placeholders as the mapping spells them, for messages.
    empty_shown: Vec<String>,
    dst: Dst,
    fields: Vec<Field>,
    events: Option<Events>,
}

/// Names of the built-in profiles.
pub fn profile_names() -> Vec<&'static str> {
    PROFILES.iter().map(|(n, _)| *n).collect()
}

/// The embedded text of a built-in profile.
pub fn profile_text(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Checks a mapping file's parts as they are read: every error names the mapping and the key,
/// with a hint to compare with a built-in profile.
struct Checker<'a> {
    origin: &'a str,
}

impl Checker<'_> {
    fn err(&self, msg: String) -> Error {
        Error::new(format!("mapping {}: {msg}", self.origin))
            .with_hint("compare with a built-in profile: `slarapport profile show servicenow` (or topdesk, jira)")
    }

    /// `[source] delimiter`: a character or its name.
    fn delimiter(&self, d: &str) -> Result<u8> {
        Ok(match d {
            "," | "comma" => b',',
            ";" | "semicolon" => b';',
            "\t" | "tab" | "\\t" => b'\t',
            "|" | "pipe" => b'|',
            other => return Err(self.err(format!("[source] delimiter \"{other}\" is not one of \",\", \";\", \"tab\", \"|\""))),
        })
    }

    /// `[source] encoding`: a label encoding_rs knows (`utf-8-bom` and `utf8` are UTF-8).
    fn encoding(&self, label: &str) -> Result<&'static encoding_rs::Encoding> {
        let l = label.trim().to_ascii_lowercase();
        let l = if l == "utf-8-bom" || l == "utf8" { "utf-8".to_string() } else { l };
        encoding_rs::Encoding::for_label(l.as_bytes())
            .ok_or_else(|| self.err(format!("[source] encoding \"{label}\" is not known (use \"utf-8\" or \"windows-1252\")")))
    }

    fn tz(&self, s: &str, key: &str) -> Result<Tz> {
        s.trim().parse::<Tz>().map_err(|_| self.err(format!("{key} \"{s}\" is not a time zone (write it like Europe/Amsterdam or UTC)")))
    }

    fn formats(&self, list: Vec<String>, key: &str) -> Result<Vec<TimeFormat>> {
        list.iter().map(|f| TimeFormat::parse(f).map_err(|m| self.err(format!("{key}: {m}")))).collect()
    }

    /// One `[columns]` entry: its source (columns, template or constant), its value map and
    /// what to do with a value not in it, its time formats and zone; targets checked against
    /// the column's vocabulary.
    fn field(&self, key: &str, value: &toml::Value, maps: &BTreeMap<String, BTreeMap<String, String>>, default_formats: &[TimeFormat]) -> Result<Field> {
        let canon = COLUMNS.iter().copied().find(|c| *c == key).ok_or_else(|| {
            self.err(format!("[columns] has \"{key}\", which is not a ticket column; the columns are: {}", COLUMNS.join(", ")))
        })?;
        let ctx = format!("[columns] {key}");
        let table: FieldTable = match value {
            toml::Value::String(s) => FieldTable { column: Some(OneOrMany::One(s.clone())), ..FieldTable::default() },
            toml::Value::Array(_) => {
                let list: Vec<String> = value.clone().try_into().map_err(|_| self.err(format!("{ctx}: a list must hold column names")))?;
                FieldTable { column: Some(OneOrMany::Many(list)), ..FieldTable::default() }
            }
            toml::Value::Table(_) => value.clone().try_into().map_err(|e: toml::de::Error| self.err(format!("{ctx}: {}", e.message())))?,
            _ => return Err(self.err(format!("{ctx} must be a column name, a list of column names or a table"))),
        };
        let kinds = [table.column.is_some(), table.template.is_some(), table.value.is_some()].iter().filter(|b| **b).count();
        if kinds != 1 {
            return Err(self.err(format!("{ctx} needs exactly one of column, template or value")));
        }
        let kind = if let Some(c) = &table.column {
            let list = c.list();
            if list.is_empty() || list.iter().any(|c| c.trim().is_empty()) {
                return Err(self.err(format!("{ctx}: column names must not be empty")));
            }
            if list.len() > MAX_TEMPLATE_COLUMNS {
                return Err(self.err(format!("{ctx}: a list of more than {MAX_TEMPLATE_COLUMNS} columns")));
            }
            SourceKind::Columns(list)
        } else if let Some(t) = &table.template {
            let pieces = template_pieces(t).map_err(|m| self.err(format!("{ctx}: template: {m}")))?;
            let placeholders = pieces.iter().filter(|p| matches!(p, Piece::Col(_))).count();
            if placeholders == 0 {
                return Err(self.err(format!("{ctx}: template has no {{Column}}; use value = \"...\" for a constant")));
            }
            if placeholders > MAX_TEMPLATE_COLUMNS {
                return Err(self.err(format!("{ctx}: template has {placeholders} {{Column}} places, more than the {MAX_TEMPLATE_COLUMNS} slarapport fills")));
            }
            SourceKind::Template(t.clone())
        } else {
            SourceKind::Const(table.value.clone().unwrap_or_default())
        };
        if table.optional && !matches!(kind, SourceKind::Columns(_)) {
            return Err(self.err(format!("{ctx}: optional only goes with column")));
        }
        let is_time = TIME_COLUMNS.contains(&canon);
        if !is_time && (table.format.is_some() || table.timezone.is_some()) {
            return Err(self.err(format!("{ctx}: format and timezone only go with the time columns ({})", TIME_COLUMNS.join(", "))));
        }
        if is_time && table.map.is_some() {
            return Err(self.err(format!("{ctx}: a time column takes a format, not a map")));
        }
        let check_target = |v: &str, what: &str| -> Result<()> {
            if !v.is_empty() && !is_known_value(canon, v) {
                return Err(self.err(format!("{ctx}: {what} \"{v}\" is not a value of {canon}; use {}", vocabulary(canon))));
            }
            Ok(())
        };
        if let SourceKind::Const(v) = &kind {
            check_target(v, "value")?;
        }
        let map = match &table.map {
            None => None,
            Some(MapRef::Named(n)) => Some(maps.get(n).ok_or_else(|| self.err(format!("{ctx}: map \"{n}\" is not defined under [maps.{n}]")))?.clone()),
            Some(MapRef::Inline(m)) => Some(m.clone()),
        };
        if let Some(m) = &map {
            for (from, to) in m {
                check_target(to, &format!("the map sends \"{from}\" to"))?;
            }
        }
        let unmapped = match (table.unmapped.as_deref(), &table.default) {
            (Some(_), Some(_)) => return Err(self.err(format!("{ctx}: give default or unmapped, not both"))),
            (None, Some(d)) => {
                check_target(d, "default")?;
                Unmapped::Default(d.clone())
            }
            (Some("reject"), None) | (None, None) => Unmapped::Reject,
            (Some("keep"), None) => Unmapped::Keep,
            (Some("empty"), None) => Unmapped::Empty,
            (Some(o), None) => return Err(self.err(format!("{ctx}: unmapped = \"{o}\" is not one of reject, keep, empty"))),
        };
        if map.is_none() && (table.unmapped.is_some() || table.default.is_some()) {
            return Err(self.err(format!("{ctx}: default and unmapped go with a map")));
        }
        let formats = match &table.format {
            Some(f) => self.formats(f.list(), &ctx)?,
            None if is_time => default_formats.to_vec(),
            None => Vec::new(),
        };
        let ftz = table.timezone.as_deref().map(|s| self.tz(s, &format!("{ctx}: timezone"))).transpose()?;
        Ok(Field {
            canon,
            kind,
            optional: table.optional,
            map: map.map(|m| m.into_iter().map(|(k, v)| (norm(&k), v.trim().to_string())).collect()),
            unmapped,
            formats,
            tz: ftz,
        })
    }

    /// Every ticket needs id, type, school, category and opened_at, and a priority or impact
    /// and urgency.
    fn required(&self, fields: &[Field]) -> Result<()> {
        let has = |c: &str| fields.iter().any(|f| f.canon == c);
        let mut missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !has(c)).collect();
        if !(has("priority") || (has("impact") && has("urgency"))) {
            missing.push("priority (or impact and urgency)");
        }
        if !missing.is_empty() {
            return Err(self.err(format!("[columns] lacks {}", missing.join(", ")))
                .with_hint("every ticket needs id, type, school, category and opened_at, and priority or impact + urgency; a constant is fine, e.g. type = { value = \"incident\" }"));
        }
        Ok(())
    }

    /// `[events]`: an event log's key and order columns, which priority counts, and the
    /// `[events.first]` rules.
    fn events(&self, ev: &EventsFile, fields: &[Field], default_formats: &[TimeFormat]) -> Result<Events> {
        let key = match &ev.key {
            Some(k) => k.clone(),
            None => match &fields.iter().find(|f| f.canon == "id").expect("id is required").kind {
                SourceKind::Columns(c) => c[0].clone(),
                _ => return Err(self.err("[events] needs key = \"COLUMN\" (the column that names the ticket)".into())),
            },
        };
        let order_formats = ev.order.formats().map(|f| if f.is_empty() { Ok(default_formats.to_vec()) } else { self.formats(f, "[events] order") }).transpose()?;
        let mut first = Vec::new();
        for (canon_key, rule) in &ev.first {
            let canon = TIME_COLUMNS.iter().copied().find(|c| c == canon_key).ok_or_else(|| {
                self.err(format!("[events.first.{canon_key}]: only a time column can be the first time a state was reached ({})", TIME_COLUMNS.join(", ")))
            })?;
            if rule.is_in.is_empty() == rule.not_in.is_empty() {
                return Err(self.err(format!("[events.first.{canon_key}] needs either in = [...] or not_in = [...]")));
            }
            let at_formats = match rule.at.formats() {
                Some(f) if !f.is_empty() => self.formats(f, &format!("[events.first.{canon_key}] at"))?,
                _ => default_formats.to_vec(),
            };
            first.push(FirstRule {
                canon,
                column: rule.column.clone(),
                states_shown: if rule.is_in.is_empty() { rule.not_in.clone() } else { rule.is_in.clone() },
                is_in: rule.is_in.iter().map(|s| norm(s)).collect(),
                not_in: rule.not_in.iter().map(|s| norm(s)).collect(),
                at: rule.at.column().to_string(),
                at_formats,
            });
        }
        let priority = match ev.priority.as_deref().map(str::trim) {
            None | Some("last") => PriorityPick::Last,
            Some("first") => PriorityPick::First,
            Some(o) => return Err(self.err(format!("[events] priority = \"{o}\" is not one of \"last\", \"first\""))),
        };
        Ok(Events {
            priority,
            key,
            order: ev.order.column().to_string(),
            order_formats,
            when_columns: ev.when_columns.clone(),
            first,
        })
    }
}

impl LoadedMapping {
    /// A built-in profile by name.
    pub fn from_profile(name: &str) -> Result<LoadedMapping> {
        let text = profile_text(name).ok_or_else(|| {
            Error::new(format!("there is no built-in profile \"{name}\""))
                .with_hint(format!("the profiles are: {}; or write your own mapping file and pass --mapping FILE", profile_names().join(", ")))
        })?;
        Self::parse(text, &format!("profile {}", name.trim().to_ascii_lowercase()))
    }

    /// A mapping file.
    pub fn from_file(path: &Path) -> Result<LoadedMapping> {
        let text = crate::limits::read_text_file(path, crate::limits::MAX_SMALL_FILE_BYTES, "mapping").map_err(|e| {
            e.with_hint("pass an existing TOML file with --mapping; `slarapport profile show topdesk` prints one to start from")
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Reads and checks mapping text; every mistake is an error naming its key.
    pub fn parse(text: &str, origin: &str) -> Result<LoadedMapping> {
        let ck = Checker { origin };
        let file: MappingFile = toml::from_str(text).map_err(|e| ck.err(e.to_string().trim_end().to_string()))?;
        let src = &file.source;
        let delimiter = src.delimiter.as_deref().map(|d| ck.delimiter(d)).transpose()?;
        let encoding = src.encoding.as_deref().map(|label| ck.encoding(label)).transpose()?;
        let tz = src.timezone.as_deref().map(|s| ck.tz(s, "[source] timezone")).transpose()?;
        let dst = Dst::parse(src.dst_gap.as_deref(), src.dst_overlap.as_deref()).map_err(|m| ck.err(m))?;
        let default_formats = match &src.format {
            Some(f) => ck.formats(f.list(), "[source] format")?,
            None => vec![TimeFormat::Iso],
        };
        for (name, map) in &file.maps {
            if map.is_empty() {
                return Err(ck.err(format!("[maps.{name}] is empty")));
            }
        }
        let fields =
            file.columns.iter().map(|(key, value)| ck.field(key, value, &file.maps, &default_formats)).collect::<Result<Vec<Field>>>()?;
        ck.required(&fields)?;
        let events = file.events.as_ref().map(|ev| ck.events(ev, &fields, &default_formats)).transpose()?;
        Ok(LoadedMapping {
            origin: origin.to_string(),
            text: text.to_string(),
            description: file.description.clone().unwrap_or_default(),
            file: src.file.clone(),
            sheet: src.sheet.clone(),
            delimiter,
            encoding,
            decimal_comma: src.decimal_comma,
            tz,
            empty: src.empty.iter().map(|s| norm(s)).collect(),
            empty_shown: src.empty.clone(),
            dst,
            fields,
            events,
        })
    }
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

fn vocabulary(canon: &str) -> &'static str {
    match canon {
        "type" => "incident, service_request or change",
        "impact" | "urgency" => "high, medium or low",
        "priority" => "P1, P2, P3 or P4",
        "channel" => "phone, email or portal",
        "change_class" => "standard, non_standard or emergency",
        "first_line_resolved" | "out_of_scope" | "onsite" | "cab_approved" | "change_failed" => "true or false",
        _ => "any text",
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Lit(String),
    Col(String),
}

fn template_pieces(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                        None => return Err(format!("\"{{{name}\" is not closed with }}")),
                    }
                }
                if name.trim().is_empty() {
                    return Err("{} names no column".into());
                }
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(Piece::Col(name.trim().to_string()));
            }
            '}' => return Err("a lone } (write }} for the character)".into()),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Reading the export
// ---------------------------------------------------------------------------------------

/// The export a mapping reads: `--tickets FILE`, else the mapping's `[source] file` in the
/// data folder, else the only export-like file in the data folder.
pub fn export_path(m: &LoadedMapping, explicit: Option<&Path>, dir: &Path) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(f) = &m.file {
        return Ok(dir.join(f));
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("cannot list {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let ext = p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            let name = crate::table::file_name(p);
            ["csv", "tsv", "txt", "xlsx", "xlsm"].contains(&ext.as_str()) && name != "calls.csv" && name != "measurements.csv"
        })
        .collect();
    candidates.sort();
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 => Err(Error::new(format!("{} holds no export for {} (no .csv or .xlsx file)", dir.display(), m.origin))
            .with_hint("put the export in the data folder, or name it with --tickets FILE")),
        _ => Err(Error::new(format!(
            "{} holds several files that could be the export: {}",
            dir.display(),
            candidates.iter().map(|p| crate::table::file_name(p)).collect::<Vec<_>>().join(", ")
        ))
        .with_hint("name the export with --tickets FILE, or with [source] file = \"...\" in the mapping")),
    }
}

fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let t = s.trim();
    let t = if decimal_comma { t.replace('.', "").replace(',', ".") } else { t.to_string() };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The instant of local time `n` in `tz`; a time in a daylight-saving change as `dst` says.
fn local_to_utc(n: NaiveDateTime, tz: Tz, dst: Dst) -> Result<DateTime<Utc>, TimeFail> {
    use chrono::{LocalResult, Offset};
    let fail = |reason: String| Err(TimeFail { reason, dst: true });
    match tz.from_local_datetime(&n) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => match dst.overlap {
            Overlap::Earlier => Ok(a.min(b).with_timezone(&Utc)),
            Overlap::Later => Ok(a.max(b).with_timezone(&Utc)),
            Overlap::Reject => fail(format!("{n} occurs twice in {tz} (the clocks repeat that hour when summer time ends)")),
        },
        LocalResult::None => match dst.gap {
            // Read with the offset before the change: a day earlier no other change is near.
            Gap::Shift => {
                let before = tz.offset_from_utc_datetime(&(n - Duration::hours(26))).fix().local_minus_utc();
                Ok((n - Duration::seconds(i64::from(before))).and_utc())
            }
            Gap::Reject => fail(format!("{n} does not exist in {tz} (the clocks skip that hour when summer time starts)")),
        },
    }
}

/// Reads a time in one of `formats` (ISO 8601 is always tried last); times without an
/// offset are local in `tz`, a daylight-saving change read as `dst` says.
fn parse_time(s: &str, formats: &[TimeFormat], tz: Tz, decimal_comma: bool, dst: Dst) -> Result<DateTime<Utc>, TimeFail> {
    let s = s.trim();
    if let Some(reason) = crate::timestamp::offset_problem(s) {
        return Err(TimeFail::format(reason));
    }
    for f in formats {
        match f {
            TimeFormat::Iso => {}
            TimeFormat::Excel => {
                if let Some(v) = parse_number(s, decimal_comma).filter(|v| *v > 0.0 && *v < 2_958_466.0) {
                    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("date").and_hms_opt(0, 0, 0).expect("time");
                    let n = base + Duration::milliseconds((v * 86_400_000.0).round() as i64);
                    // Excel keeps milliseconds; a minute-resolution export rounds to the second.
                    let n = n.with_nanosecond_rounded();
                    return local_to_utc(n, tz, dst);
                }
            }
            TimeFormat::Chrono(fmt) => {
                if let Ok(t) = DateTime::parse_from_str(s, fmt) {
                    return Ok(t.with_timezone(&Utc));
                }
                if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
                    return local_to_utc(n, tz, dst);
                }
                if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
                    return local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz, dst);
                }
            }
        }
    }
    match parse_iso(s) {
        Some(IsoTime::Instant(t)) => Ok(t),
        Some(IsoTime::Local(n)) => local_to_utc(n, tz, dst),
        None => {
            let shown: Vec<String> = formats.iter().filter(|f| **f != TimeFormat::Iso).map(TimeFormat::show).collect();
            let mut reason = if shown.is_empty() {
                format!("\"{}\" is not a date and time in ISO 8601", crate::limits::shown(s))
            } else {
                format!("\"{}\" does not match {} (nor ISO 8601)", crate::limits::shown(s), shown.join(" or "))
            };
            // 02-28-2025 writes the month first (a ServiceNow user's MM-dd-yyyy, Excel's US
            // dates): say so, with the format that reads it. Then a day-first format has read
            // the dates of that column with a day up to 12 wrongly, day and month swapped.
            let (date, time) = s.split_once(' ').unwrap_or((s, ""));
            let sep = if date.contains('/') { '/' } else { '-' };
            let parts: Vec<&str> = date.split(sep).collect();
            let num = |p: &str| if !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()) { p.parse::<u32>().ok() } else { None };
            if let [m, d, y] = parts[..] {
                if let (Some(1..=12), Some(13..=31)) = (num(m), num(d)) {
                    if y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()) {
                        let twelve = ["AM", "PM"].iter().any(|p| time.to_ascii_uppercase().ends_with(p));
                        let clock = match (time.matches(':').count(), twelve) {
                            (0, _) => String::new(),
                            (1, false) => " %H:%M".into(),
                            (1, true) => " %I:%M %p".into(),
                            (_, false) => " %H:%M:%S".into(),
                            (_, true) => " %I:%M:%S %p".into(),
                        };
                        reason.push_str(&format!("; it has the month first, read by \"%m{sep}%d{sep}%Y{clock}\""));
                        let day_first: Vec<&str> = formats
                            .iter()
                            .filter_map(|f| match f {
                                TimeFormat::Chrono(c) if c.contains(&format!("%d{sep}%m")) => Some(c.as_str()),
                                _ => None,
                            })
                            .collect();
                        if !day_first.is_empty() {
                            reason.push_str(&format!(
                                " (and the values of this column that {} did read, with a day up to 12, were read with day and month swapped)",
                                day_first.join(" or ")
                            ));
                        }
                    }
                }
            }
            Err(TimeFail::format(reason))
        }
    }
}

trait RoundToSecond {
    fn with_nanosecond_rounded(self) -> Self;
}

impl RoundToSecond for NaiveDateTime {
    fn with_nanosecond_rounded(self) -> Self {
        let ms = self.and_utc().timestamp_subsec_millis();
        let base = self - Duration::milliseconds(ms as i64);
        if ms >= 500 { base + Duration::seconds(1) } else { base }
    }
}

// ---------------------------------------------------------------------------------------
// What the mapping did
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profiles_parse() {
        for (name, _) in PROFILES {
            LoadedMapping::from_profile(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn mistakes_name_their_key() {
        let base = "[columns]\nid = \"n\"\ntype = { value = \"incident\" }\nschool = \"s\"\ncategory = \"c\"\nopened_at = \"o\"\npriority = \"p\"\n";
        LoadedMapping::parse(base, "t").unwrap();
        let e = LoadedMapping::parse(&base.replace("priority = \"p\"", "prioriteit = \"p\""), "t").unwrap_err();
        assert!(e.message.contains("prioriteit"), "{e}");
        let e = LoadedMapping::parse(&base.replace("\"incident\"", "\"storing2\""), "t").unwrap_err();
        assert!(e.message.contains("storing2") && e.message.contains("type"), "{e}");
        let e = LoadedMapping::parse(&base.replace("opened_at = \"o\"", "opened_at = { column = \"o\", format = \"%Q\" }"), "t").unwrap_err();
        assert!(e.message.contains("opened_at"), "{e}");
        let e = LoadedMapping::parse(&base.replace("priority = \"p\"", "priority = { column = \"p\", map = { \"1 - Critical\" = \"P0\" } }"), "t").unwrap_err();
        assert!(e.message.contains("P0"), "{e}");
        let e = LoadedMapping::parse(&base.replace("school = \"s\"\n", ""), "t").unwrap_err();
        assert!(e.message.contains("school"), "{e}");
        let e = LoadedMapping::parse(&format!("{base}[source]\ntimezone = \"Mars/Olympus\"\n"), "t").unwrap_err();
        assert!(e.message.contains("Mars/Olympus"), "{e}");
    }

    #[test]
    fn times_in_formats_zones_and_excel() {
        let ams: Tz = "Europe/Amsterdam".parse().unwrap();
        let f = |s: &str| vec![TimeFormat::parse(s).unwrap()];
        let want = Utc.with_ymd_and_hms(2026, 10, 5, 7, 30, 0).unwrap();
        assert_eq!(parse_time("05-10-2026 09:30", &f("%d-%m-%Y %H:%M"), ams, false, Dst::default()).unwrap(), want);
        assert_eq!(parse_time("5/10/2026 09:30", &f("%d/%m/%Y %H:%M"), ams, false, Dst::default()).unwrap(), want);
        assert_eq!(parse_time("05-10-2026 09:30:00", &f("%d-%m-%Y %H:%M:%S"), ams, false, Dst::default()).unwrap(), want);
        assert_eq!(parse_time("05/Oct/26 9:30 AM", &f("%d/%b/%y %I:%M %p"), ams, false, Dst::default()).unwrap(), want);
        assert_eq!(parse_time("2026-10-05 07:30", &f("%Y-%m-%d %H:%M"), "UTC".parse().unwrap(), false, Dst::default()).unwrap(), want);
        // 2026-10-05 09:30 is serial 46300.395833…
        let serial = 46300.0 + 9.5 / 24.0;
        assert_eq!(parse_time(&format!("{serial}"), &f("excel"), ams, false, Dst::default()).unwrap(), want);
        assert_eq!(parse_time(&format!("{serial}").replace('.', ","), &f("excel"), ams, true, Dst::default()).unwrap(), want);
        // ISO is always accepted.
        assert_eq!(parse_time("2026-10-05T09:30", &f("%d-%m-%Y %H:%M"), ams, false, Dst::default()).unwrap(), want);
        assert!(parse_time("31-02-2026 09:30", &f("%d-%m-%Y %H:%M"), ams, false, Dst::default()).unwrap_err().reason.contains("%d-%m-%Y %H:%M"));
        assert!(parse_time("29-03-2026 02:30", &f("%d-%m-%Y %H:%M"), ams, false, Dst::default()).unwrap_err().reason.contains("does not exist"));
    }

    #[test]
    fn daylight_saving_changes_as_the_mapping_says() {
        let ams: Tz = "Europe/Amsterdam".parse().unwrap();
        let f = vec![TimeFormat::parse("%d/%m/%Y %H:%M").unwrap()];
        let dst = |gap, overlap| Dst::parse(gap, overlap).unwrap();
        let read = |s: &str, d: Dst| parse_time(s, &f, ams, false, d);
        // 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00Z). 02:30 does not exist.
        let e = read("29/3/2026 02:30", Dst::default()).unwrap_err();
        assert!(e.dst && e.reason.contains("does not exist in Europe/Amsterdam"), "{e:?}");
        assert!(e.hint("").contains("dst_gap = \"shift\""), "{}", e.hint(""));
        // Shifted by the gap, as Java's ZonedDateTime does: 03:30 CEST = 01:30Z.
        assert_eq!(read("29/3/2026 02:30", dst(Some("shift"), None)).unwrap(), Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap());
        // 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00Z); 02:30 comes twice:
        // 00:30Z (summer time) and 01:30Z (winter time).
        assert_eq!(read("25/10/2026 02:30", Dst::default()).unwrap(), Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());
        assert_eq!(read("25/10/2026 02:30", dst(None, Some("later"))).unwrap(), Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap());
        let e = read("25/10/2026 02:30", dst(None, Some("reject"))).unwrap_err();
        assert!(e.dst && e.reason.contains("occurs twice"), "{e:?}");
        // New York springs forward at 02:00 EST (07:00Z) on 8 March 2026: 02:30 → 03:30 EDT = 07:30Z.
        let ny: Tz = "America/New_York".parse().unwrap();
        assert_eq!(parse_time("8/3/2026 02:30", &f, ny, false, dst(Some("shift"), None)).unwrap(), Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap());
        // An unknown word is a mistake in the mapping, named by its key.
        let base = "[columns]\nid = \"n\"\ntype = { value = \"incident\" }\nschool = \"s\"\ncategory = \"c\"\nopened_at = \"o\"\npriority = \"p\"\n";
        let e = LoadedMapping::parse(&format!("[source]\ndst_gap = \"forward\"\n{base}"), "t").unwrap_err();
        assert!(e.message.contains("dst_gap = \"forward\" is not one of reject, shift"), "{e}");
    }

    #[test]
    fn templates() {
        assert_eq!(
            template_pieces("{Vestiging} - {Locatie}").unwrap(),
            vec![Piece::Col("Vestiging".into()), Piece::Lit(" - ".into()), Piece::Col("Locatie".into())]
        );
        assert!(template_pieces("{open").is_err());
        assert_eq!(template_pieces("{{x}}").unwrap(), vec![Piece::Lit("{x}".into())]);
    }

    #[test]
    fn a_template_or_list_repeating_a_column_20000_times_is_refused() {
        let base = "[columns]\nid = \"n\"\ntype = { value = \"incident\" }\nschool = \"s\"\ncategory = \"c\"\nopened_at = \"o\"\npriority = \"p\"\n";
        let template = format!("{base}summary = {{ template = \"{}\" }}\n", "{n}".repeat(20_000));
        let e = LoadedMapping::parse(&template, "t").unwrap_err();
        assert!(e.message.contains("[columns] summary: template has 20000 {Column} places, more than the 64"), "{e}");
        let list = format!("{base}summary = [{}]\n", vec!["\"n\""; 20_000].join(", "));
        let e = LoadedMapping::parse(&list, "t").unwrap_err();
        assert!(e.message.contains("more than 64 columns"), "{e}");
    }
}
