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
//! ordinary validation (`load::parse_row`) or a [`Rejection`] with the user's file, line and
//! column; what was defaulted, emptied, folded or ignored is counted in the
//! [`MappingReport`] that `slarapport check` prints and that ends up in the report's notes.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::contract::LoadedContract;
use crate::error::Error;
use crate::limits::MAX_TEMPLATE_COLUMNS;
use crate::load::{
    column_index, is_known_value, parse_iso, sha256_hex, validate_rows, Cells, CsvTable, DataSet, InputFile, IsoTime,
    Rejection, Row, COLUMNS, NCOL, REQUIRED, TIME_COLUMNS, UNUSED_BY_FIGURES,
};

/// A mapping file in the data folder is used without a flag.
pub const FOLDER_MAPPING: &str = "mapping.toml";

/// The built-in profiles: name and the embedded mapping file.
pub const PROFILES: [(&str, &str); 3] = [
    ("servicenow", include_str!("../profiles/servicenow.toml")),
    ("topdesk", include_str!("../profiles/topdesk.toml")),
    ("jira", include_str!("../profiles/jira.toml")),
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

impl LoadedMapping {
    /// A built-in profile by name.
    pub fn from_profile(name: &str) -> Result<LoadedMapping, Error> {
        let text = profile_text(name).ok_or_else(|| {
            Error::new(format!("there is no built-in profile \"{name}\""))
                .with_hint(format!("the profiles are: {}; or write your own mapping file and pass --mapping FILE", profile_names().join(", ")))
        })?;
        Self::parse(text, &format!("profile {}", name.trim().to_ascii_lowercase()))
    }

    /// A mapping file.
    pub fn from_file(path: &Path) -> Result<LoadedMapping, Error> {
        let text = crate::limits::read_text_file(path, crate::limits::MAX_SMALL_FILE_BYTES, "mapping").map_err(|e| {
            e.with_hint("pass an existing TOML file with --mapping; `slarapport profile show topdesk` prints one to start from")
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Reads and checks mapping text; every mistake is an error naming its key.
    pub fn parse(text: &str, origin: &str) -> Result<LoadedMapping, Error> {
        let hint = "compare with a built-in profile: `slarapport profile show servicenow` (or topdesk, jira)";
        let err = |msg: String| Error::new(format!("mapping {origin}: {msg}")).with_hint(hint);
        let file: MappingFile = toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        let src = &file.source;
        let delimiter = match src.delimiter.as_deref() {
            None => None,
            Some(d) => Some(match d {
                "," | "comma" => b',',
                ";" | "semicolon" => b';',
                "\t" | "tab" | "\\t" => b'\t',
                "|" | "pipe" => b'|',
                other => return Err(err(format!("[source] delimiter \"{other}\" is not one of \",\", \";\", \"tab\", \"|\""))),
            }),
        };
        let encoding = match src.encoding.as_deref() {
            None => None,
            Some(label) => {
                let l = label.trim().to_ascii_lowercase();
                let l = if l == "utf-8-bom" || l == "utf8" { "utf-8".to_string() } else { l };
                Some(encoding_rs::Encoding::for_label(l.as_bytes()).ok_or_else(|| {
                    err(format!("[source] encoding \"{label}\" is not known (use \"utf-8\" or \"windows-1252\")"))
                })?)
            }
        };
        let parse_tz = |s: &str, key: &str| -> Result<Tz, Error> {
            s.trim().parse::<Tz>().map_err(|_| err(format!("{key} \"{s}\" is not a time zone (write it like Europe/Amsterdam or UTC)")))
        };
        let tz = src.timezone.as_deref().map(|s| parse_tz(s, "[source] timezone")).transpose()?;
        let dst = Dst::parse(src.dst_gap.as_deref(), src.dst_overlap.as_deref()).map_err(err)?;
        let parse_formats = |list: Vec<String>, key: &str| -> Result<Vec<TimeFormat>, Error> {
            list.iter().map(|f| TimeFormat::parse(f).map_err(|m| err(format!("{key}: {m}")))).collect()
        };
        let default_formats = match &src.format {
            Some(f) => parse_formats(f.list(), "[source] format")?,
            None => vec![TimeFormat::Iso],
        };
        for (name, map) in &file.maps {
            if map.is_empty() {
                return Err(err(format!("[maps.{name}] is empty")));
            }
        }
        let mut fields = Vec::new();
        for (key, value) in &file.columns {
            let canon = COLUMNS.iter().copied().find(|c| c == key).ok_or_else(|| {
                err(format!("[columns] has \"{key}\", which is not a ticket column; the columns are: {}", COLUMNS.join(", ")))
            })?;
            let ctx = format!("[columns] {key}");
            let table: FieldTable = match value {
                toml::Value::String(s) => FieldTable { column: Some(OneOrMany::One(s.clone())), ..FieldTable::default() },
                toml::Value::Array(_) => {
                    let list: Vec<String> = value.clone().try_into().map_err(|_| err(format!("{ctx}: a list must hold column names")))?;
                    FieldTable { column: Some(OneOrMany::Many(list)), ..FieldTable::default() }
                }
                toml::Value::Table(_) => value.clone().try_into().map_err(|e: toml::de::Error| err(format!("{ctx}: {}", e.message())))?,
                _ => return Err(err(format!("{ctx} must be a column name, a list of column names or a table"))),
            };
            let kinds = [table.column.is_some(), table.template.is_some(), table.value.is_some()].iter().filter(|b| **b).count();
            if kinds != 1 {
                return Err(err(format!("{ctx} needs exactly one of column, template or value")));
            }
            let kind = if let Some(c) = &table.column {
                let list = c.list();
                if list.is_empty() || list.iter().any(|c| c.trim().is_empty()) {
                    return Err(err(format!("{ctx}: column names must not be empty")));
                }
                if list.len() > MAX_TEMPLATE_COLUMNS {
                    return Err(err(format!("{ctx}: a list of more than {MAX_TEMPLATE_COLUMNS} columns")));
                }
                SourceKind::Columns(list)
            } else if let Some(t) = &table.template {
                let pieces = template_pieces(t).map_err(|m| err(format!("{ctx}: template: {m}")))?;
                let placeholders = pieces.iter().filter(|p| matches!(p, Piece::Col(_))).count();
                if placeholders == 0 {
                    return Err(err(format!("{ctx}: template has no {{Column}}; use value = \"...\" for a constant")));
                }
                if placeholders > MAX_TEMPLATE_COLUMNS {
                    return Err(err(format!("{ctx}: template has {placeholders} {{Column}} places, more than the {MAX_TEMPLATE_COLUMNS} slarapport fills")));
                }
                SourceKind::Template(t.clone())
            } else {
                SourceKind::Const(table.value.clone().unwrap_or_default())
            };
            if table.optional && !matches!(kind, SourceKind::Columns(_)) {
                return Err(err(format!("{ctx}: optional only goes with column")));
            }
            let is_time = TIME_COLUMNS.contains(&canon);
            if !is_time && (table.format.is_some() || table.timezone.is_some()) {
                return Err(err(format!("{ctx}: format and timezone only go with the time columns ({})", TIME_COLUMNS.join(", "))));
            }
            if is_time && table.map.is_some() {
                return Err(err(format!("{ctx}: a time column takes a format, not a map")));
            }
            let check_target = |v: &str, what: &str| -> Result<(), Error> {
                if !v.is_empty() && !is_known_value(canon, v) {
                    return Err(err(format!("{ctx}: {what} \"{v}\" is not a value of {canon}; use {}", vocabulary(canon))));
                }
                Ok(())
            };
            if let SourceKind::Const(v) = &kind {
                check_target(v, "value")?;
            }
            let map = match &table.map {
                None => None,
                Some(MapRef::Named(n)) => Some(file.maps.get(n).ok_or_else(|| err(format!("{ctx}: map \"{n}\" is not defined under [maps.{n}]")))?.clone()),
                Some(MapRef::Inline(m)) => Some(m.clone()),
            };
            if let Some(m) = &map {
                for (from, to) in m {
                    check_target(to, &format!("the map sends \"{from}\" to"))?;
                }
            }
            let unmapped = match (table.unmapped.as_deref(), &table.default) {
                (Some(_), Some(_)) => return Err(err(format!("{ctx}: give default or unmapped, not both"))),
                (None, Some(d)) => {
                    check_target(d, "default")?;
                    Unmapped::Default(d.clone())
                }
                (Some("reject"), None) | (None, None) => Unmapped::Reject,
                (Some("keep"), None) => Unmapped::Keep,
                (Some("empty"), None) => Unmapped::Empty,
                (Some(o), None) => return Err(err(format!("{ctx}: unmapped = \"{o}\" is not one of reject, keep, empty"))),
            };
            if map.is_none() && (table.unmapped.is_some() || table.default.is_some()) {
                return Err(err(format!("{ctx}: default and unmapped go with a map")));
            }
            let formats = match &table.format {
                Some(f) => parse_formats(f.list(), &ctx)?,
                None if is_time => default_formats.clone(),
                None => Vec::new(),
            };
            let ftz = table.timezone.as_deref().map(|s| parse_tz(s, &format!("{ctx}: timezone"))).transpose()?;
            fields.push(Field {
                canon,
                kind,
                optional: table.optional,
                map: map.map(|m| m.into_iter().map(|(k, v)| (norm(&k), v.trim().to_string())).collect()),
                unmapped,
                formats,
                tz: ftz,
            });
        }
        let has = |c: &str| fields.iter().any(|f| f.canon == c);
        let mut missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !has(c)).collect();
        if !(has("priority") || (has("impact") && has("urgency"))) {
            missing.push("priority (or impact and urgency)");
        }
        if !missing.is_empty() {
            return Err(err(format!("[columns] lacks {}", missing.join(", ")))
                .with_hint("every ticket needs id, type, school, category and opened_at, and priority or impact + urgency; a constant is fine, e.g. type = { value = \"incident\" }"));
        }
        let events = match &file.events {
            None => None,
            Some(ev) => {
                let key = match &ev.key {
                    Some(k) => k.clone(),
                    None => match &fields.iter().find(|f| f.canon == "id").expect("id is required").kind {
                        SourceKind::Columns(c) => c[0].clone(),
                        _ => return Err(err("[events] needs key = \"COLUMN\" (the column that names the ticket)".into())),
                    },
                };
                let order_formats = ev.order.formats().map(|f| if f.is_empty() { Ok(default_formats.clone()) } else { parse_formats(f, "[events] order") }).transpose()?;
                let mut first = Vec::new();
                for (canon_key, rule) in &ev.first {
                    let canon = TIME_COLUMNS.iter().copied().find(|c| c == canon_key).ok_or_else(|| {
                        err(format!("[events.first.{canon_key}]: only a time column can be the first time a state was reached ({})", TIME_COLUMNS.join(", ")))
                    })?;
                    if rule.is_in.is_empty() == rule.not_in.is_empty() {
                        return Err(err(format!("[events.first.{canon_key}] needs either in = [...] or not_in = [...]")));
                    }
                    let at_formats = match rule.at.formats() {
                        Some(f) if !f.is_empty() => parse_formats(f, &format!("[events.first.{canon_key}] at"))?,
                        _ => default_formats.clone(),
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
                    Some(o) => return Err(err(format!("[events] priority = \"{o}\" is not one of \"last\", \"first\""))),
                };
                Some(Events {
                    priority,
                    key,
                    order: ev.order.column().to_string(),
                    order_formats,
                    when_columns: ev.when_columns.clone(),
                    first,
                })
            }
        };
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
pub fn export_path(m: &LoadedMapping, explicit: Option<&Path>, dir: &Path) -> Result<PathBuf, Error> {
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
            let name = crate::load::file_name(p);
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
            candidates.iter().map(|p| crate::load::file_name(p)).collect::<Vec<_>>().join(", ")
        ))
        .with_hint("name the export with --tickets FILE, or with [source] file = \"...\" in the mapping")),
    }
}

/// A worksheet read with calamine, every cell as text, with its sheet row number.
pub struct SheetTable {
    pub names: Vec<String>,
    rows: Vec<Vec<String>>,
    lines: Vec<u64>,
    pub sheet: String,
    pub sha256: String,
    /// What was skipped while reading (rows with only empty cells), for the report's notes.
    pub notes: Vec<String>,
}

impl SheetTable {
    /// Reads sheet `sheet` (default: the first) of an XLSX workbook. The first non-empty row
    /// is the header; empty rows are skipped. Dates become ISO 8601 local times.
    pub fn read(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<SheetTable, Error> {
        Self::read_within(bytes, file, sheet, &SheetLimits::default())
    }

    /// [`SheetTable::read`] within `limits`. The cells are streamed and only the filled ones
    /// kept (a sheet that claims the range A1:XFD1048576 costs what it holds, not 17 billion
    /// cells); the workbook's parts are sized from the zip's directory before any is unpacked
    /// (the zip reader then holds each part to its stated size), so a zip bomb is refused.
    pub fn read_within(bytes: &[u8], file: &str, sheet: Option<&str>, limits: &SheetLimits) -> Result<SheetTable, Error> {
        use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};
        let not_a_workbook = |e: &dyn std::fmt::Display| {
            Error::new(format!("{file} cannot be read as an Excel workbook: {}", crate::limits::shown(&e.to_string())))
                .with_hint("save it as .xlsx (Excel Workbook), or export CSV")
        };
        let unpacked = unpacked_size(bytes).map_err(|e| not_a_workbook(&e))?;
        if unpacked > limits.unpacked_bytes {
            return Err(Error::new(format!(
                "{file} unpacks to {}, more than the {} slarapport reads from a workbook",
                crate::limits::size(unpacked),
                crate::limits::size(limits.unpacked_bytes)
            ))
            .with_hint("export the tickets as CSV, or check the file: a small workbook that unpacks to that much is a zip bomb"));
        }
        let sha256 = sha256_hex(bytes);
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
        let names = wb.sheet_names();
        let name = match sheet {
            Some(s) => names.iter().find(|n| n.as_str() == s || n.eq_ignore_ascii_case(s)).cloned().ok_or_else(|| {
                Error::new(format!("{file} has no sheet \"{s}\"")).with_hint(format!("its sheets are: {}", names.join(", ")))
            })?,
            None => names.first().cloned().ok_or_else(|| Error::new(format!("{file} has no sheets")))?,
        };
        let sheet_error = |e: &dyn std::fmt::Display| Error::new(format!("{file}: sheet {name}: {}", crate::limits::shown(&e.to_string())));
        let text = |d: &DataRef| -> String {
            match d {
                DataRef::Empty => String::new(),
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
                DataRef::SharedString(s) => s.to_string(),
                DataRef::Int(i) => i.to_string(),
                DataRef::Float(f) => number_text(*f),
                DataRef::Bool(b) => b.to_string(),
                DataRef::DateTime(dt) if dt.is_datetime() => {
                    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
                }
                DataRef::DateTime(dt) => number_text(dt.as_f64()),
                DataRef::Error(e) => format!("{e}"),
            }
        };
        // The filled cells, as (row, column, text), within the limits.
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut text_bytes = 0usize;
        let mut in_order = true;
        // Rows holding a cell with nothing in it (a space, an empty text, a formatted blank):
        // those with no filled cell are rows with no values, skipped and counted.
        let mut blank_rows: Vec<u32> = Vec::new();
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| sheet_error(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| sheet_error(&e))? {
                let t = text(cell.get_value());
                if t.trim().is_empty() {
                    let row = cell.get_position().0;
                    if blank_rows.last() != Some(&row) {
                        blank_rows.push(row);
                    }
                    continue;
                }
                let (row, col) = cell.get_position();
                text_bytes += t.len();
                if cells.len() >= limits.cells || text_bytes > limits.text_bytes {
                    let what = if text_bytes > limits.text_bytes {
                        format!("more than {} of text", crate::limits::size(limits.text_bytes as u64))
                    } else {
                        format!("more than {} filled cells", limits.cells)
                    };
                    return Err(Error::new(format!("{file}: sheet {name} holds {what}, more than slarapport reads"))
                        .with_hint("export only the columns and rows the report needs, or export CSV"));
                }
                in_order &= cells.last().is_none_or(|&(r, c, _)| (r, c) < (row, col));
                cells.push((row, col, t));
            }
        }
        if !in_order {
            cells.sort_by_key(|&(r, c, _)| (r, c));
        }
        // Rows, each as wide as the header at most (cells right of it are read by nobody).
        let mut header: Option<Vec<String>> = None;
        let mut header_row: Option<u32> = None;
        let (mut rows, mut lines): (Vec<Vec<String>>, Vec<u64>) = (Vec::new(), Vec::new());
        let mut cells = cells.into_iter().peekable();
        while let Some(&(row, _, _)) = cells.peek() {
            let mut values: Vec<String> = Vec::new();
            while let Some((_, col, t)) = cells.next_if(|c| c.0 == row) {
                let width = header.as_ref().map_or(limits.columns, Vec::len);
                let col = col as usize;
                if col >= width {
                    if header.is_none() {
                        return Err(crate::limits::too_many_columns(&format!("{file}: sheet {name}"), limits.columns));
                    }
                    continue;
                }
                if values.len() <= col {
                    values.resize(col + 1, String::new());
                }
                values[col] = t;
            }
            match header {
                None => {
                    header = Some(values.iter().map(|c| c.trim().to_string()).collect());
                    header_row = Some(row);
                }
                Some(_) => {
                    rows.push(values);
                    lines.push(u64::from(row) + 1);
                }
            }
        }
        let names = header.ok_or_else(|| Error::new(format!("{file}: sheet {name} is empty")).with_hint("the first row must name the columns"))?;
        let names = crate::load::name_unnamed(names);
        let mut notes = Vec::new();
        if let Some(&header_row) = header_row.as_ref() {
            blank_rows.sort_unstable();
            blank_rows.dedup();
            let empty = blank_rows.iter().filter(|r| **r > header_row && lines.binary_search(&(u64::from(**r) + 1)).is_err()).count();
            if empty > 0 {
                notes.push(format!("{file}: {empty} row(s) with no values (only empty cells) skipped"));
            }
        }
        Ok(SheetTable { names, rows, lines, sheet: name, sha256, notes })
    }
}

/// What a worksheet may hold (see [`crate::limits`]); smaller in tests.
#[derive(Debug, Clone)]
pub struct SheetLimits {
    /// All the workbook's parts together, unpacked.
    pub unpacked_bytes: u64,
    /// Filled cells.
    pub cells: usize,
    /// The text of the filled cells together.
    pub text_bytes: usize,
    /// Columns of the header.
    pub columns: usize,
}

impl Default for SheetLimits {
    fn default() -> Self {
        SheetLimits {
            unpacked_bytes: crate::limits::MAX_XLSX_UNPACKED_BYTES,
            cells: crate::limits::MAX_SHEET_CELLS,
            text_bytes: crate::limits::MAX_DATA_FILE_BYTES as usize,
            columns: crate::limits::MAX_COLUMNS,
        }
    }
}

/// The size of a zip's parts unpacked, from its directory (nothing is unpacked).
fn unpacked_size(bytes: &[u8]) -> Result<u64, zip::result::ZipError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i)?.size());
    }
    Ok(total)
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

impl Cells for SheetTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn height(&self) -> usize {
        self.rows.len()
    }
    fn cell(&self, col: usize, row: usize) -> Option<&str> {
        self.rows.get(row)?.get(col).map(String::as_str)
    }
    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }
}

/// Decodes CSV bytes to text: a BOM decides, else the mapping's encoding, else UTF-8 when the
/// bytes are valid UTF-8 and Windows-1252 otherwise. Returns the text and the encoding's name.
/// UTF-8 text is borrowed, not copied: an export may be hundreds of megabytes.
fn decode<'b>(bytes: &'b [u8], encoding: Option<&'static encoding_rs::Encoding>, file: &str) -> Result<(std::borrow::Cow<'b, str>, String), Error> {
    crate::csv_records::check_encoding(bytes, file)?;
    if let Some((text, enc)) = crate::csv_records::decode_bom(bytes, file)? {
        return Ok((text, format!("{} (with BOM)", enc.name())));
    }
    let enc = match encoding {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(Error::new(format!("{file} is not valid {} text", enc.name()))
            .with_hint("set [source] encoding in the mapping: \"utf-8\" or \"windows-1252\" (what Excel calls ANSI)"));
    }
    let name = if encoding.is_none() && enc == encoding_rs::WINDOWS_1252 {
        "windows-1252 (not UTF-8, so read as Windows-1252)".to_string()
    } else {
        enc.name().to_string()
    };
    Ok((text, name))
}

/// The delimiter of the header line: the most frequent of `,` `;` tab `|` outside quotes
/// (a comma on a tie or when none occurs).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let cands = [b',', b';', b'\t', b'|'];
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = cands.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    cands[best]
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

/// How often a value that the map does not list occurred, and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ValueCount {
    pub count: u64,
    /// `rejected`, `read as "X"`, `read as empty`, or `passed on; slarapport does not know it`.
    pub outcome: String,
    /// The first line it occurred on.
    pub first_line: u64,
}

/// Timestamps that could not be read in one column.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TimeProblems {
    pub count: u64,
    /// The first few: line, value, reason.
    pub examples: Vec<(u64, String, String)>,
}

/// A ticket of an event log whose priority changed on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityChange {
    pub ticket: String,
    pub line: u64,
    /// The priorities in the order of the updates.
    pub path: Vec<String>,
}

/// What the mapping did with an export: for `slarapport check` and the report's notes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MappingReport {
    /// `profile topdesk` or the mapping file.
    pub mapping: String,
    pub file: String,
    pub sheet: Option<String>,
    pub encoding: String,
    pub delimiter: Option<String>,
    /// Records in the file after the header.
    pub rows_in_file: u64,
    /// What was handed on to the validation: rows, or the tickets of an event log.
    pub rows_mapped: u64,
    /// Rows that the mapping itself rejected (unmapped value, unreadable time, …).
    pub rejected_by_mapping: u64,
    /// `Some((key column, order column))` when an event log was reduced to one row per ticket.
    pub events: Option<(String, String)>,
    /// Why an event-log rule of the mapping was not applied.
    pub events_skipped: Option<String>,
    /// Canonical column → where it comes from, in the canonical order.
    pub fields: Vec<(String, String)>,
    /// Canonical columns that nothing gives (optional source columns the export lacks, too).
    pub not_given: Vec<String>,
    /// Export columns the mapping does not read.
    pub ignored_columns: Vec<String>,
    /// Column → value → count, for values not in the map or unknown to slarapport.
    pub unmapped: BTreeMap<String, BTreeMap<String, ValueCount>>,
    /// Column → unreadable timestamps (rows rejected).
    pub bad_times: BTreeMap<String, TimeProblems>,
    /// Column → unreadable timestamps in a column no figure uses (values dropped, rows kept).
    pub dropped_times: BTreeMap<String, TimeProblems>,
    /// Column → values read as empty because they are placeholders (`?`, `#N/B`, …).
    pub placeholders: BTreeMap<String, u64>,
    pub priority_changes: Vec<PriorityChange>,
    /// Event log: tickets by their first priority and then their last (first → last →
    /// tickets), for what `[events] priority = "first"` would change.
    pub priority_choice: BTreeMap<String, BTreeMap<String, u64>>,
    /// Event log: which priority counts, `last` or `first` (`[events] priority`).
    pub priority_pick: Option<String>,
}

impl MappingReport {
    /// `n` rows, said as update rows of an event log (its counts are per update, not ticket).
    fn rows(&self, n: u64) -> String {
        match self.events {
            Some(_) => format!("{} (of the log's updates, not tickets)", plural(n, "update row")),
            None => plural(n, "row"),
        }
    }

    /// What `[events] priority` decides: the tickets each choice puts at another priority,
    /// and the tickets per priority under either.
    fn priority_choice_lines(&self) -> Vec<String> {
        let Some(pick) = self.priority_pick.as_deref() else { return Vec::new() };
        let other = if pick == "first" { "last" } else { "first" };
        // (the priority that counts, the one the other choice gives) → tickets
        let mut moves: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        let mut per: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for (first, lasts) in &self.priority_choice {
            for (last, n) in lasts {
                let (now, then) = if pick == "first" { (first.as_str(), last.as_str()) } else { (last.as_str(), first.as_str()) };
                per.entry(now).or_default().0 += n;
                per.entry(then).or_default().1 += n;
                if now != then {
                    *moves.entry((now, then)).or_default() += n;
                }
            }
        }
        let moved: u64 = moves.values().sum();
        if moved == 0 {
            return vec![format!("priority along the event log: no ticket changed priority, so [events] priority = \"first\" or \"last\" gives the same")];
        }
        let list: Vec<String> = moves.iter().map(|((a, b), n)| format!("{a} → {b} {n}")).collect();
        let counts: Vec<String> = per.iter().map(|(p, (a, b))| format!("{p} {a} / {b}")).collect();
        vec![
            format!(
                "priority along the event log: the {pick} one counts ([events] priority = \"{pick}\"); \"{other}\" would move {}: {}",
                plural(moved, "ticket"),
                list.join(", ")
            ),
            format!("  tickets per priority, \"{pick}\" / \"{other}\": {}", counts.join(", ")),
        ]
    }

    /// Whether the export has errors a person must look at (beyond rejected rows, which the
    /// accounting shows): unreadable times, values that end up rejected.
    pub fn has_errors(&self) -> bool {
        self.rejected_by_mapping > 0
            || !self.bad_times.is_empty()
            || self.unmapped.values().flat_map(|m| m.values()).any(|v| !v.outcome.starts_with("read as"))
    }

    /// The lines `slarapport check` prints, before the accounting: rows read and mapped,
    /// values not in the maps, unreadable times, impact × urgency against the matrix.
    pub fn check_lines(&self, data: &DataSet, contract: &LoadedContract, show: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut head = format!("mapping: {} reads {}", self.mapping, self.file);
        if let Some(s) = &self.sheet {
            head += &format!(" (sheet {s})");
        } else {
            head += &format!(" ({}", self.encoding);
            if let Some(d) = &self.delimiter {
                head += &format!(", {d}-separated");
            }
            head += ")";
        }
        out.push(head);
        match &self.events {
            Some((key, order)) => out.push(format!(
                "rows read: {} in the file; an event log: {} tickets by {key}, each read from its last update by {order}",
                self.rows_in_file, self.rows_mapped
            )),
            None => out.push(format!("rows read: {}, mapped: {}", self.rows_in_file, self.rows_mapped)),
        }
        if let Some(s) = &self.events_skipped {
            out.push(format!("event log: {s}"));
        }
        out.push(format!("rejected by the mapping: {} (unmapped values, unreadable times)", self.rejected_by_mapping));
        for (canon, src) in &self.fields {
            out.push(format!("  {canon:<20} ← {src}"));
        }
        if !self.not_given.is_empty() {
            out.push(format!("not in this export: {} (see the README for what the report shows then)", self.not_given.join(", ")));
        }
        if !self.ignored_columns.is_empty() {
            let n = self.ignored_columns.len();
            let list: Vec<&str> = self.ignored_columns.iter().take(show).map(String::as_str).collect();
            out.push(format!("columns not used ({n}): {}{}", list.join(", "), if n > show { ", …" } else { "" }));
        }
        if self.unmapped.is_empty() {
            out.push("unmapped values: none".into());
        }
        for (col, values) in &self.unmapped {
            let total: u64 = values.values().map(|v| v.count).sum();
            out.push(format!("unmapped values in \"{col}\": {}", self.rows(total)));
            for (v, c) in values.iter().take(show) {
                out.push(format!("  \"{}\" × {} (first on line {}): {}", crate::limits::shown(v), c.count, c.first_line, c.outcome));
            }
            if values.len() > show {
                out.push(format!("  … {} more values", values.len() - show));
            }
        }
        if self.bad_times.is_empty() {
            out.push("unreadable timestamps: none".into());
        }
        for (col, p) in &self.bad_times {
            out.push(format!("unreadable timestamps in \"{col}\": {}", self.rows(p.count)));
            for (line, _value, reason) in &p.examples {
                out.push(format!("  {}:{line}: {reason}", self.file));
            }
        }
        for (col, p) in &self.dropped_times {
            out.push(format!("unreadable timestamps in \"{col}\", dropped (no figure uses the column; the tickets count): {}", self.rows(p.count)));
            for (line, _value, reason) in &p.examples {
                out.push(format!("  {}:{line}: {reason}", self.file));
            }
        }
        for (col, n) in &self.placeholders {
            out.push(format!("placeholders read as empty in \"{col}\": {}", self.rows(*n)));
        }
        let pick = self.priority_pick.as_deref().unwrap_or("last");
        for c in self.priority_changes.iter().take(show) {
            out.push(format!("priority changed on the way: {} (line {}): {} — the {pick} one counts", c.ticket, c.line, c.path.join(" → ")));
        }
        if self.priority_changes.len() > show {
            out.push(format!("priority changed on the way: … {} more tickets", self.priority_changes.len() - show));
        }
        out.extend(self.priority_choice_lines());
        // Impact × urgency against the contract's matrix.
        let mut combos: BTreeMap<(String, String, String, String), (u64, String)> = BTreeMap::new();
        for t in &data.tickets {
            if let (Some(i), Some(u), Some(m)) = (t.impact, t.urgency, t.matrix_priority) {
                if m != t.priority {
                    let e = combos
                        .entry((i.key().into(), u.key().into(), m.key().into(), t.priority.key().into()))
                        .or_insert((0, t.id.clone()));
                    e.0 += 1;
                }
            }
        }
        let _ = contract;
        if combos.is_empty() {
            out.push("impact × urgency against the matrix: no contradictions".into());
        }
        for ((i, u, m, p), (n, example)) in &combos {
            out.push(format!(
                "impact × urgency against the matrix: {i} × {u} gives {m}, recorded {p}: {} (e.g. {example}); the recorded priority counts",
                plural(*n, "ticket")
            ));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Mapping the rows
// ---------------------------------------------------------------------------------------

/// A field resolved against the export's header.
struct Bound<'m> {
    field: &'m Field,
    source: BoundSource,
    /// Label index in the pool (the column name, or the template / constant).
    label: usize,
    tz: Tz,
}

enum BoundSource {
    Columns(Vec<usize>),
    Template(Vec<(Option<usize>, String)>),
    Const(String),
    Absent,
}

/// One row (or ticket of an event log) after mapping, before validation.
struct Unit {
    line: u64,
    // Boxed text, not `String`: an event log keeps one unit per ticket until the end.
    values: [Option<Box<str>>; NCOL],
    shown: [Option<Box<str>>; NCOL],
    labels: [usize; NCOL],
    problem: Option<Box<Rejection>>,
    /// Canonical column → why its value was dropped (a column no figure uses).
    dropped: Vec<(usize, String)>,
    /// Canonical column → the line its value comes from, when that is not `line` (an event
    /// log's `[events.first]` times).
    value_lines: Vec<(usize, u64)>,
}

impl Unit {
    /// The row the validation reads (or the mapping's rejection of it); `pool` holds the
    /// labels `labels` points at.
    fn row<'u>(&'u self, file: &'u str, pool: &'u [String]) -> Result<Row<'u>, Rejection> {
        if let Some(p) = &self.problem {
            return Err(p.as_ref().clone());
        }
        let labels: [&str; NCOL] = std::array::from_fn(|k| pool.get(self.labels[k]).map_or(COLUMNS[k], String::as_str));
        let mut row = Row::new(file, self.line, labels, true);
        for k in 0..NCOL {
            row.values[k] = self.values[k].as_deref();
            row.shown[k] = self.shown[k].as_deref();
        }
        for (k, reason) in &self.dropped {
            row.dropped[*k] = Some(reason);
        }
        for (k, line) in &self.value_lines {
            row.value_lines[*k] = *line;
        }
        Ok(row)
    }
}

/// The tickets of an event log while it is read: per ticket its last update so far by the
/// order column, the first update (by order) that matched each `[events.first]` rule, and its
/// priorities by order — never every update, so memory grows with tickets, not updates.
#[derive(Default)]
struct EventLog {
    index: HashMap<String, usize>,
    tickets: Vec<Pending>,
    /// Updates without a ticket key, each rejected.
    keyless: Vec<(usize, Box<Unit>)>,
    /// The priorities met, once each (a ticket's path holds their positions).
    priority_names: Vec<String>,
}

/// One ticket of an event log, while it is read.
struct Pending {
    key: String,
    /// Its first row in the file (tickets keep the order of their first update).
    first_row: usize,
    /// The update with the highest order value so far: (order, row, the mapped update).
    best: Option<(f64, usize, Box<Unit>)>,
    /// The last update in the file, kept only while no order value could be read.
    last_in_file: Option<Box<Unit>>,
    /// The first update whose order value cannot be read: it rejects the ticket.
    order_problem: Option<Box<Rejection>>,
    /// Per `[events.first]` rule: the matching update with the lowest order, (order, row).
    firsts: Vec<Option<(f64, usize)>>,
    /// (order, row, priority) of every update with a priority.
    priorities: Vec<(f64, u32, u32)>,
    /// With `[events] priority = "first"`: the first update (by order) with a priority, and
    /// its priority, impact and urgency (value, as written), which then count together.
    first_priority: Option<Box<(f64, [(Option<Box<str>>, Option<Box<str>>); 3])>>,
}

/// The canonical columns that `[events] priority = "first"` takes from one update.
const PRIORITY_FIELDS: [&str; 3] = ["priority", "impact", "urgency"];

type FirstBinding<'a> = (&'a FirstRule, usize, usize, usize, usize);

impl EventLog {
    /// Takes update `row`, mapped to `u`.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        row: usize,
        u: Box<Unit>,
        pick: PriorityPick,
        key_col: usize,
        order_col: usize,
        rules: &[FirstBinding],
        peek: &dyn Fn(usize, usize) -> Option<String>,
        order_of: &dyn Fn(&str) -> Result<f64, TimeFail>,
        file: &str,
        names: &[String],
        table: &dyn Cells,
    ) {
        let Some(key) = peek(key_col, row) else {
            self.keyless.push((row, u));
            return;
        };
        let g = match self.index.get(key.as_str()) {
            Some(&g) => g,
            None => {
                self.index.insert(key.clone(), self.tickets.len());
                self.tickets.push(Pending { key: key.clone(), first_row: row, best: None, last_in_file: None, order_problem: None, firsts: vec![None; rules.len()], priorities: Vec::new(), first_priority: None });
                self.tickets.len() - 1
            }
        };
        let t = &mut self.tickets[g];
        let v = peek(order_col, row).unwrap_or_default();
        let x = match order_of(&v) {
            Ok(x) => x,
            Err(fail) => {
                if t.order_problem.is_none() {
                    t.order_problem = Some(Box::new(Rejection {
                        file: file.into(),
                        line: table.line(row),
                        column: names[order_col].clone(),
                        value: v.clone(),
                        reason: format!("{}; the updates of ticket {key} cannot be put in order", fail.reason),
                        hint: fail.hint("correct the value in the export"),
                        ..Default::default()
                    }));
                }
                if t.best.is_none() {
                    t.last_in_file = Some(u);
                }
                return;
            }
        };
        let pk = column_index("priority").expect("canonical");
        if let Some(p) = u.values[pk].as_deref() {
            let i = match self.priority_names.iter().position(|n| n == p) {
                Some(i) => i,
                None => {
                    self.priority_names.push(p.to_string());
                    self.priority_names.len() - 1
                }
            };
            t.priorities.push((x, row as u32, i as u32));
            if pick == PriorityPick::First && t.first_priority.as_ref().is_none_or(|f| x < f.0) {
                let fields = PRIORITY_FIELDS.map(|c| {
                    let k = column_index(c).expect("canonical");
                    (u.values[k].clone(), u.shown[k].clone())
                });
                t.first_priority = Some(Box::new((x, fields)));
            }
        }
        for ((r, state, ..), first) in rules.iter().zip(t.firsts.iter_mut()) {
            let Some(s) = peek(*state, row) else { continue };
            let s = norm(&s);
            let hit = if r.is_in.is_empty() { !r.not_in.contains(&s) } else { r.is_in.contains(&s) };
            if hit && first.is_none_or(|(fx, _)| x < fx) {
                *first = Some((x, row));
            }
        }
        // Rows come in file order: on equal order values the later row is the later update.
        if t.best.as_ref().is_none_or(|(bx, _, _)| x.total_cmp(bx).is_ge()) {
            t.best = Some((x, row, u));
            t.last_in_file = None;
        }
    }
}

fn find_column(names: &[String], wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    names.iter().position(|n| n == w).or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(w)))
}

/// A mapping bound to an export's header: the columns by name, the labels of messages, which
/// columns are read at all (the others are listed as not used, and a CSV reader skips them),
/// where each field comes from, and the event-log rule when it applies.
struct Binding<'m> {
    /// The header's names, a repeated name's copies under its own name.
    names: Vec<String>,
    /// Labels: the export's column names first, then the mapping's own (templates, constants).
    pool: Vec<String>,
    used: Vec<bool>,
    bound: Vec<Bound<'m>>,
    events: Option<(&'m Events, usize, usize, Vec<FirstBinding<'m>>)>,
}

/// Binds mapping `m` to the header `raw_names` of export `file`, saying in `report` where
/// each field comes from; a column the mapping needs and the export lacks is an error.
fn bind<'m>(m: &'m LoadedMapping, raw_names: &[String], file: &str, default_tz: Tz, report: &mut MappingReport) -> Result<Binding<'m>, Error> {
    // A name that repeats (Jira's Component/s, Labels) comes back from the CSV reader as
    // `NAME_duplicated_N`: show it by its own name, and read the repeats as one field.
    let names: Vec<String> = raw_names
        .iter()
        .map(|n| match n.rfind("_duplicated_") {
            Some(i) if n[i + 12..].parse::<u32>().is_ok() && raw_names.iter().any(|b| b == &n[..i]) => n[..i].to_string(),
            _ => n.clone(),
        })
        .collect();
    // Labels: the export's column names first, then the mapping's own (templates, constants).
    let mut pool: Vec<String> = names.clone();
    let mut used = vec![false; names.len()];
    let mut bound: Vec<Bound> = Vec::new();
    for f in &m.fields {
        let (source, label) = match &f.kind {
            SourceKind::Columns(list) => {
                let mut found: Vec<usize> = Vec::new();
                for c in list.iter().filter_map(|c| find_column(&names, c)) {
                    for (j, n) in names.iter().enumerate() {
                        if (j == c || n == &names[c]) && !found.contains(&j) {
                            found.push(j);
                        }
                    }
                }
                if found.is_empty() {
                    if f.optional {
                        pool.push(list[0].clone());
                        report.not_given.push(format!("{} (no column {})", f.canon, list.join(" / ")));
                        (BoundSource::Absent, pool.len() - 1)
                    } else {
                        return Err(Error::new(format!(
                            "{file} has no column {} (the mapping {} reads {} from it)",
                            list.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(" or "),
                            m.origin,
                            f.canon
                        ))
                        .with_hint(format!("the columns of {file} are: {}", names.join(", ")))
                        .with_hint(format!("fix {} in [columns] of the mapping (or mark it optional = true)", f.canon)));
                    }
                } else {
                    for c in &found {
                        used[*c] = true;
                    }
                    (BoundSource::Columns(found.clone()), found[0])
                }
            }
            SourceKind::Template(t) => {
                let mut pieces = Vec::new();
                for p in template_pieces(t).expect("checked on load") {
                    match p {
                        Piece::Lit(s) => pieces.push((None, s)),
                        Piece::Col(c) => match find_column(&names, &c) {
                            Some(i) => {
                                used[i] = true;
                                pieces.push((Some(i), c));
                            }
                            None => {
                                return Err(Error::new(format!("{file} has no column \"{c}\" (the template of {} in {} uses it)", f.canon, m.origin))
                                    .with_hint(format!("the columns of {file} are: {}", names.join(", "))));
                            }
                        },
                    }
                }
                pool.push(t.clone());
                (BoundSource::Template(pieces), pool.len() - 1)
            }
            SourceKind::Const(v) => {
                pool.push(format!("{} (constant in the mapping)", f.canon));
                (BoundSource::Const(v.clone()), pool.len() - 1)
            }
        };
        let shown_src = match &source {
            BoundSource::Columns(c) => {
                let mut shown: Vec<String> = c.iter().map(|i| format!("\"{}\"", names[*i])).collect();
                shown.dedup();
                shown.join(", else ")
            }
            BoundSource::Template(_) => format!("template \"{}\"", pool[label]),
            BoundSource::Const(v) => format!("constant \"{v}\""),
            BoundSource::Absent => "(not in this export)".into(),
        };
        let mut desc = shown_src;
        if f.map.is_some() {
            desc += match &f.unmapped {
                Unmapped::Reject => " with a value map (other values rejected)".to_string(),
                Unmapped::Keep => " with a value map (other values passed on)".to_string(),
                Unmapped::Empty => " with a value map (other values read as empty)".to_string(),
                Unmapped::Default(d) if d.is_empty() => " with a value map (other values read as empty)".to_string(),
                Unmapped::Default(d) => format!(" with a value map (other values read as \"{d}\")"),
            }
            .as_str();
        }
        if TIME_COLUMNS.contains(&f.canon) && !matches!(source, BoundSource::Absent) {
            let fm: Vec<String> = f.formats.iter().map(TimeFormat::show).collect();
            desc += &format!(" as {} in {}", fm.join(" / "), f.tz.unwrap_or(default_tz));
        }
        report.fields.push((f.canon.to_string(), desc));
        bound.push(Bound { field: f, source, label, tz: f.tz.unwrap_or(default_tz) });
    }
    for c in COLUMNS {
        if !m.fields.iter().any(|f| f.canon == c) {
            report.not_given.push(c.to_string());
        }
    }
    // Events: active when the export has the columns that mark an event log.
    let events = match &m.events {
        Some(ev) if ev.when_columns.iter().all(|c| find_column(&names, c).is_some()) => {
            let col = |c: &str, what: &str| -> Result<usize, Error> {
                find_column(&names, c).ok_or_else(|| {
                    Error::new(format!("{file} has no column \"{c}\" ({what} in [events] of {})", m.origin))
                        .with_hint(format!("the columns of {file} are: {}", names.join(", ")))
                })
            };
            let key = col(&ev.key, "the ticket key")?;
            let order = col(&ev.order, "the update order")?;
            used[key] = true;
            used[order] = true;
            let mut rules = Vec::new();
            for r in &ev.first {
                let state = col(&r.column, "a state column")?;
                let at = col(&r.at, "a time column")?;
                used[state] = true;
                used[at] = true;
                pool.push(format!("{} (first {} {})", names[at], names[state], if r.is_in.is_empty() { "left the listed states" } else { "reached the listed states" }));
                let label = pool.len() - 1;
                let i = column_index(r.canon).expect("canonical");
                report.fields.retain(|(c, _)| c != r.canon);
                report.fields.push((r.canon.to_string(), format!("\"{}\" of the first update where \"{}\" {} {}", names[at], names[state], if r.is_in.is_empty() { "is not" } else { "is" }, r.states_shown.join(" / "))));
                report.not_given.retain(|c| c.as_str() != r.canon && !c.starts_with(&format!("{} ", r.canon)));
                rules.push((r, state, at, label, i));
            }
            report.events = Some((names[key].clone(), names[order].clone()));
            report.priority_pick = Some(if ev.priority == PriorityPick::First { "first" } else { "last" }.into());
            Some((ev, key, order, rules))
        }
        Some(ev) => {
            report.events_skipped = Some(format!(
                "one row per ticket: the mapping's event-log rule applies only when the export has the column(s) {}",
                ev.when_columns.join(", ")
            ));
            None
        }
        None => None,
    };
    let mut ignored: Vec<String> = names.iter().zip(&used).filter(|(_, u)| !**u).map(|(n, _)| n.clone()).collect();
    ignored.dedup();
    report.ignored_columns = ignored;
    Ok(Binding { names, pool, used, bound, events })
}

/// Reads `bytes` (the export named `file`) with mapping `m` and validates every row.
pub fn load_export(bytes: &[u8], file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<DataSet, Error> {
    load_export_from(std::borrow::Cow::Borrowed(bytes), file, m, contract)
}

/// [`load_export`] of bytes it may free once the table is read (the file's bytes and text are
/// not held beside the table while an event log is reduced).
pub fn load_export_owned(bytes: Vec<u8>, file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<DataSet, Error> {
    load_export_from(std::borrow::Cow::Owned(bytes), file, m, contract)
}

fn load_export_from(bytes: std::borrow::Cow<[u8]>, file: &str, m: &LoadedMapping, contract: &LoadedContract) -> Result<DataSet, Error> {
    let xlsx = crate::load::is_xlsx(Path::new(file));
    let sha256 = sha256_hex(&bytes);
    let mut report = MappingReport { mapping: m.origin.clone(), file: file.to_string(), ..MappingReport::default() };
    let read_notes: Vec<String>;
    let default_tz = m.tz.unwrap_or(contract.tz);
    let mut binding: Option<Binding> = None;
    let owned_table: Box<dyn Cells> = if xlsx {
        let t = SheetTable::read(&bytes, file, m.sheet.as_deref())?;
        binding = Some(bind(m, &t.names, file, default_tz, &mut report)?);
        report.sheet = Some(t.sheet.clone());
        read_notes = t.notes.clone();
        report.encoding = "xlsx".into();
        Box::new(t)
    } else {
        let (text, enc) = decode(&bytes, m.encoding, file)?;
        let sep = m.delimiter.unwrap_or_else(|| detect_delimiter(&text));
        report.encoding = enc;
        report.delimiter = Some(match sep {
            b',' => "comma".into(),
            b';' => "semicolon".into(),
            b'\t' => "tab".into(),
            s => format!("'{}'", s as char),
        });
        // Only the columns the mapping reads are read (an audit log has three dozen).
        let t = CsvTable::read_text_with(&text, file, sep, sha256.clone(), Some(|names: &[String]| {
            let b = bind(m, names, file, default_tz, &mut report)?;
            let used = b.used.clone();
            binding = Some(b);
            Ok(used)
        }))?;
        read_notes = t.notes.clone();
        Box::new(t)
    };
    drop(bytes);
    let table: &dyn Cells = owned_table.as_ref();
    let Binding { names, pool, bound, events, .. } = binding.expect("the header was bound");

    let empties = &m.empty;
    let is_placeholder = |v: &str| !empties.is_empty() && empties.contains(&norm(v));
    let mut placeholders: BTreeMap<String, u64> = BTreeMap::new();
    let mut cell = |c: usize, row: usize| -> Option<String> {
        let v = table.cell(c, row)?.trim();
        if v.is_empty() {
            return None;
        }
        if is_placeholder(v) {
            *placeholders.entry(names[c].clone()).or_default() += 1;
            return None;
        }
        Some(v.to_string())
    };

    // The same, without counting placeholders again (for the event-log columns).
    let peek = |c: usize, row: usize| -> Option<String> {
        let v = table.cell(c, row)?.trim();
        if v.is_empty() || (!empties.is_empty() && empties.contains(&norm(v))) { None } else { Some(v.to_string()) }
    };

    // Map every row; an event log is reduced as it is read (see [`EventLog`]).
    let height = table.height();
    let mut units: Vec<Box<Unit>> = Vec::with_capacity(if events.is_some() { 0 } else { height });
    let mut log = EventLog::default();
    for row in 0..height {
        let line = table.line(row);
        let mut u = Box::new(Unit {
            line,
            values: std::array::from_fn(|_| None),
            shown: std::array::from_fn(|_| None),
            labels: std::array::from_fn(|k| usize::MAX - k),
            problem: None,
            dropped: Vec::new(),
            value_lines: Vec::new(),
        });
        for b in &bound {
            let k = column_index(b.field.canon).expect("canonical");
            u.labels[k] = b.label;
            let text = match &b.source {
                BoundSource::Columns(cols) => {
                    let mut got = None;
                    for c in cols {
                        if let Some(v) = cell(*c, row) {
                            u.labels[k] = *c;
                            got = Some(v);
                            break;
                        }
                    }
                    got
                }
                BoundSource::Template(pieces) => {
                    // Text between two columns is kept only when both have a value, so
                    // "{Vestiging} - {Locatie}" with no Locatie gives "Duinoord", not "Duinoord -".
                    let vals: Vec<Option<String>> = pieces.iter().map(|(c, _)| c.and_then(|c| cell(c, row))).collect();
                    let has = |j: usize, step: isize| -> bool {
                        let mut k = j as isize + step;
                        while k >= 0 && (k as usize) < pieces.len() {
                            if pieces[k as usize].0.is_some() {
                                return vals[k as usize].is_some();
                            }
                            k += step;
                        }
                        true
                    };
                    let mut s = String::new();
                    for (j, (c, lit)) in pieces.iter().enumerate() {
                        match c {
                            Some(_) => s += vals[j].as_deref().unwrap_or(""),
                            None if has(j, -1) && has(j, 1) => s += lit,
                            None => {}
                        }
                    }
                    if vals.iter().any(Option::is_some) { Some(s.trim().to_string()).filter(|s| !s.is_empty()) } else { None }
                }
                BoundSource::Const(v) => Some(v.clone()).filter(|v| !v.is_empty()),
                BoundSource::Absent => None,
            };
            let Some(text) = text else { continue };
            let label = &pool[u.labels[k]];
            let mut note_value = |outcome: String| {
                let e = report.unmapped.entry(label.clone()).or_default().entry(text.clone()).or_insert(ValueCount {
                    count: 0,
                    outcome,
                    first_line: line,
                });
                e.count += 1;
            };
            let value = match &b.field.map {
                Some(map) => match map.get(&norm(&text)) {
                    Some(v) => Some(v.clone()).filter(|v| !v.is_empty()),
                    None => match &b.field.unmapped {
                        Unmapped::Reject => {
                            note_value("rejected".into());
                            if u.problem.is_none() {
                                u.problem = Some(Box::new(Rejection {
                                    file: file.into(),
                                    line,
                                    column: label.clone(),
                                    value: crate::limits::shown(&text).into_owned(),
                                    reason: format!("\"{}\" is not in the value map for {} in {}", crate::limits::shown(&text), b.field.canon, m.origin),
                                    hint: format!(
                                        "add \"{}\" = \"…\" ({}) to the map of {} in the mapping, or give it a default",
                                        crate::limits::shown(&text),
                                        vocabulary(b.field.canon),
                                        b.field.canon
                                    ),
                                    ..Default::default()
                                }));
                            }
                            None
                        }
                        Unmapped::Keep => {
                            if !is_known_value(b.field.canon, &text) {
                                note_value("rejected (not in the map, and not a value slarapport knows)".into());
                            }
                            Some(text.clone())
                        }
                        Unmapped::Empty => {
                            note_value("read as empty".into());
                            None
                        }
                        Unmapped::Default(d) => {
                            note_value(if d.is_empty() { "read as empty (the map's default)".into() } else { format!("read as \"{d}\" (the map's default)") });
                            Some(d.clone()).filter(|d| !d.is_empty())
                        }
                    },
                },
                None => {
                    if !is_known_value(b.field.canon, &text) {
                        note_value(format!("rejected (not a value of {}; add a map)", b.field.canon));
                    }
                    Some(text.clone())
                }
            };
            let Some(value) = value else { continue };
            if TIME_COLUMNS.contains(&b.field.canon) {
                match parse_time(&value, &b.field.formats, b.tz, m.decimal_comma, m.dst) {
                    Ok(t) => {
                        u.values[k] = Some(t.to_rfc3339_opts(SecondsFormat::Secs, true).into());
                        u.shown[k] = Some(text.into());
                    }
                    Err(fail) => {
                        // A column no figure uses loses the value, not the ticket.
                        let unused = UNUSED_BY_FIGURES.contains(&b.field.canon);
                        let p = if unused { report.dropped_times.entry(label.clone()) } else { report.bad_times.entry(label.clone()) }.or_default();
                        p.count += 1;
                        if p.examples.len() < 3 {
                            p.examples.push((line, text.clone(), fail.reason.clone()));
                        }
                        if unused {
                            u.dropped.push((k, fail.reason));
                            u.shown[k] = Some(text.into());
                        } else if u.problem.is_none() {
                            let hint = fail.hint(&format!("correct the time in the export, or give its format in the mapping ([columns] {} format = \"…\")", b.field.canon));
                            u.problem = Some(Box::new(Rejection {
                                file: file.into(),
                                line,
                                column: label.clone(),
                                value: crate::limits::shown(&text).into_owned(),
                                reason: fail.reason,
                                hint,
                                ..Default::default()
                            }));
                        }
                    }
                }
            } else {
                if value != text {
                    u.shown[k] = Some(text.into());
                }
                u.values[k] = Some(value.into());
            }
        }
        match &events {
            None => units.push(u),
            Some((ev, key_col, order_col, rules)) => log.add(row, u, ev.priority, *key_col, *order_col, rules, &peek, &|v: &str| match &ev.order_formats {
                None => parse_number(v, m.decimal_comma).ok_or_else(|| TimeFail::format(format!("\"{}\" is not a number (the update counter)", crate::limits::shown(v)))),
                Some(f) => parse_time(v, f, default_tz, m.decimal_comma, m.dst).map(|t| t.timestamp_millis() as f64),
            }, file, &names, table),
        }
    }

    // Reduce an event log to one unit per ticket: what is left of its updates.
    if let Some((_, key_col, _, rules)) = &events {
        drop(std::mem::take(&mut log.index));
        let mut reduced: Vec<(usize, Box<Unit>)> = Vec::with_capacity(log.tickets.len() + log.keyless.len());
        for (row, mut u) in std::mem::take(&mut log.keyless) {
            if u.problem.is_none() {
                u.problem = Some(Box::new(Rejection {
                    file: file.into(),
                    line: u.line,
                    column: names[*key_col].clone(),
                    value: String::new(),
                    reason: format!("the update has no ticket key ({} is empty)", names[*key_col]),
                    hint: "fill in the key, or remove the row".into(),
                    ..Default::default()
                }));
            }
            reduced.push((row, u));
        }
        for t in std::mem::take(&mut log.tickets) {
            let Pending { key, first_row, best, last_in_file, order_problem, firsts, mut priorities, first_priority } = t;
            let mut u = best.map(|(_, _, u)| u).or(last_in_file).expect("a ticket has an update");
            if u.problem.is_none() {
                u.problem = order_problem;
            }
            // The priorities by order, each change once.
            priorities.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut path: Vec<&str> = Vec::new();
            for (_, _, p) in &priorities {
                let p = log.priority_names[*p as usize].as_str();
                if path.last() != Some(&p) {
                    path.push(p);
                }
            }
            if let (Some(first), Some(last)) = (path.first(), path.last()) {
                *report.priority_choice.entry(first.to_string()).or_default().entry(last.to_string()).or_default() += 1;
            }
            if let Some((_, fields)) = first_priority.map(|b| *b) {
                for (c, (value, shown)) in PRIORITY_FIELDS.iter().zip(fields) {
                    let k = column_index(c).expect("canonical");
                    (u.values[k], u.shown[k]) = (value, shown);
                }
            }
            if path.len() > 1 {
                report.priority_changes.push(PriorityChange { ticket: key.clone(), line: u.line, path: path.iter().map(|p| p.to_string()).collect() });
            }
            // The first update by order that reached (or left) a rule's states gives its time,
            // and its line is the line of that value.
            for ((r, _state, at, label, k), hit) in rules.iter().zip(firsts) {
                u.values[*k] = None;
                u.shown[*k] = None;
                u.labels[*k] = *label;
                let Some((_, row)) = hit else { continue };
                let line = table.line(row);
                u.value_lines.push((*k, line));
                let found = match peek(*at, row) {
                    None => Err(Rejection {
                        file: file.into(),
                        line,
                        column: names[*at].clone(),
                        value: String::new(),
                        reason: format!("{} is empty on the update where {} was reached", names[*at], r.canon),
                        hint: "fill in the time of the update".into(),
                        ..Default::default()
                    }),
                    Some(t) => parse_time(&t, &r.at_formats, default_tz, m.decimal_comma, m.dst).map(|x| (x, t.clone())).map_err(|fail| {
                        let p = report.bad_times.entry(names[*at].clone()).or_default();
                        p.count += 1;
                        if p.examples.len() < 3 {
                            p.examples.push((line, t.clone(), fail.reason.clone()));
                        }
                        Rejection {
                            file: file.into(),
                            line,
                            column: names[*at].clone(),
                            value: crate::limits::shown(&t).into_owned(),
                            hint: fail.hint("correct the time, or give its format in the mapping ([events.first] at = { column = \"…\", format = \"…\" })"),
                            reason: fail.reason,
                            ..Default::default()
                        }
                    }),
                };
                match found {
                    Ok((x, shown)) => {
                        u.values[*k] = Some(x.to_rfc3339_opts(SecondsFormat::Secs, true).into());
                        u.shown[*k] = Some(shown.into());
                    }
                    Err(rej) => {
                        if u.problem.is_none() {
                            u.problem = Some(Box::new(rej));
                        }
                    }
                }
            }
            reduced.push((first_row, u));
        }
        reduced.sort_by_key(|(first_row, _)| *first_row);
        units = reduced.into_iter().map(|(_, u)| u).collect();
    }
    report.fields.sort_by_key(|(c, _)| column_index(c));
    report.placeholders = placeholders;
    // Rows that could not be split into the header's fields are rejected where they stand.
    let broken: Vec<Rejection> = table.broken().iter().map(|b| crate::load::broken_row(file, b)).collect();
    // The table is not read again: its memory is the tickets'.
    drop(owned_table);
    report.rows_in_file = (height + broken.len()) as u64;
    report.rows_mapped = units.len() as u64;
    report.rejected_by_mapping = (units.iter().filter(|u| u.problem.is_some()).count() + broken.len()) as u64;

    // Validate.
    let mut data = DataSet { tickets_file: file.to_string(), ..DataSet::default() };
    data.tickets.reserve_exact(units.len() - report.rejected_by_mapping.min(units.len() as u64) as usize);
    // Rows are made one at a time as the validation takes them, the broken ones in between.
    let mut broken = broken.into_iter().peekable();
    let mut pending = units.iter().peekable();
    let rows = std::iter::from_fn(|| match pending.peek() {
        Some(u) => match broken.next_if(|b| b.line < u.line) {
            Some(b) => Some(Err(b)),
            None => pending.next().map(|u| u.row(file, &pool)),
        },
        None => broken.next().map(Err),
    });
    validate_rows(&mut data, rows, contract);
    data.files.push(InputFile { name: file.to_string(), sha256, rows: report.rows_in_file });
    data.notes.extend(read_notes);

    // Notes for the report: nothing the mapping did goes unsaid.
    let mut first = format!("{file}: tickets read with the mapping {}", m.origin);
    if let Some(s) = &report.sheet {
        first += &format!(", sheet {s}");
    }
    data.notes.push(first);
    if let Some((key, order)) = &report.events {
        data.notes.push(format!(
            "{file}: an event log of {} rows: {} tickets by {key}, each read from its last update by {order}",
            report.rows_in_file, report.rows_mapped
        ));
    }
    if !report.ignored_columns.is_empty() {
        let n = report.ignored_columns.len();
        let list: Vec<&str> = report.ignored_columns.iter().take(12).map(String::as_str).collect();
        data.notes.push(format!("{file}: {n} columns not used: {}{}", list.join(", "), if n > 12 { ", …" } else { "" }));
    }
    for (col, values) in &report.unmapped {
        let defaulted: Vec<String> = values
            .iter()
            .filter(|(_, c)| c.outcome.starts_with("read as"))
            .map(|(v, c)| format!("\"{}\" × {} {}", crate::limits::shown(v), c.count, c.outcome))
            .collect();
        if !defaulted.is_empty() {
            data.notes.push(format!("{file}: values of {col} not in the mapping's map: {}", defaulted.join(", ")));
        }
    }
    if !report.placeholders.is_empty() {
        let rows = if report.events.is_some() { " update rows" } else { "" };
        let list: Vec<String> = report.placeholders.iter().map(|(c, n)| format!("{c} {n}{rows}")).collect();
        data.notes.push(format!("{file}: placeholders read as empty ({}): {}", m.empty_shown.join(", "), list.join(", ")));
    }
    if !report.priority_changes.is_empty() {
        let list: Vec<String> = report.priority_changes.iter().take(5).map(|c| format!("{} {}", c.ticket, c.path.join("→"))).collect();
        data.notes.push(format!(
            "{file}: {} changed priority on the way, the {} one counts: {}{}",
            plural(report.priority_changes.len() as u64, "ticket"),
            report.priority_pick.as_deref().unwrap_or("last"),
            list.join(", "),
            if report.priority_changes.len() > 5 { ", …" } else { "" }
        ));
    }
    crate::load::note_dropped(&mut data);
    data.mapping = Some(report);
    Ok(data)
}

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
    fn an_event_log_is_ordered_by_its_order_column_and_its_problems_named_by_line() {
        let c = LoadedContract::embedded();
        let mapping = "[columns]\nid = \"Ticket\"\ntype = { value = \"incident\" }\nschool = \"School\"\ncategory = \"Cat\"\npriority = \"Prio\"\nopened_at = \"Geopend\"\n[events]\norder = \"Volgnr\"\n";
        let m = LoadedMapping::parse(mapping, "t").unwrap();
        let csv = "Ticket;Volgnr;School;Cat;Prio;Geopend\n\
                   A;1;S;n;P3;2026-10-05T09:00\n\
                   A;1;S;n;P2;2026-10-05T09:00\n\
                   B;x;S;n;P4;2026-10-05T09:00\n\
                   B;2;S;n;P4;2026-10-05T09:00\n\
                   C;y;S;n;P4;2026-10-05T09:00\n\
                   A;0;S;n;P1;2026-10-05T09:00\n";
        let d = load_export(csv.as_bytes(), "log.csv", &m, &c).unwrap();
        // Equal order values: the row further down is the later update (P2 on line 3, not
        // P1 on line 7, whose order is lower).
        assert_eq!(d.tickets.len(), 1);
        assert_eq!((d.tickets[0].id.as_str(), d.tickets[0].priority.key(), d.tickets[0].line), ("A", "P2", 3));
        let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(got, vec![(4, "Volgnr"), (6, "Volgnr")], "{:?}", d.rejections);
        assert!(d.rejections[0].reason.contains("\"x\" is not a number (the update counter); the updates of ticket B cannot be put in order"), "{}", d.rejections[0].reason);
        assert_eq!(d.mapping.as_ref().unwrap().priority_changes[0].path, vec!["P1", "P3", "P2"]);

        // An order time the clocks skip: its hint names the setting; with it, the log is read.
        let by_time = mapping.replace("order = \"Volgnr\"", "order = { column = \"Tijd\", format = \"%d-%m-%Y %H:%M\" }");
        let csv = "Ticket;Tijd;School;Cat;Prio;Geopend\nA;28-03-2026 10:00;S;n;P3;2026-03-28T10:00\nA;29-03-2026 02:30;S;n;P2;2026-03-28T10:00\n";
        let d = load_export(csv.as_bytes(), "log.csv", &LoadedMapping::parse(&by_time, "t").unwrap(), &c).unwrap();
        assert_eq!((d.rejections[0].line, d.rejections[0].column.as_str()), (3, "Tijd"));
        assert!(d.rejections[0].hint.contains("dst_gap = \"shift\""), "{}", d.rejections[0].hint);
        let shift = format!("[source]\ndst_gap = \"shift\"\n{by_time}");
        let d = load_export(csv.as_bytes(), "log.csv", &LoadedMapping::parse(&shift, "t").unwrap(), &c).unwrap();
        assert_eq!((d.rejections.len(), d.tickets[0].priority.key()), (0, "P2"));
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n1;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("single\n"), b',');
    }

    #[test]
    fn encodings() {
        let (t, e) = decode(b"\xEF\xBB\xBFa;b", None, "f").unwrap();
        assert_eq!(t, "a;b");
        assert!(e.contains("BOM"));
        let (t, e) = decode(b"Prinses M\xE1ximaschool", None, "f").unwrap();
        assert_eq!(t, "Prinses Máximaschool");
        assert!(e.contains("windows-1252"));
        assert!(decode(b"M\xE1xima", Some(encoding_rs::UTF_8), "f").is_err());
        let (t, _) = decode(b"\xFF\xFEa\x00;\x00b\x00", None, "f").unwrap();
        assert_eq!(t, "a;b", "UTF-16 with a BOM");
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

    fn workbook(rows: &[&[&str]]) -> rust_xlsxwriter::Workbook {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb
    }

    const SHEET_HEADER: [&str; 6] = ["id", "type", "school", "category", "priority", "opened_at"];

    #[test]
    fn a_sheet_reaching_xfd1048576_costs_what_it_holds() {
        // A1 … and one cell in the sheet's last row and column: the dimension says
        // A1:XFD1048576, 17 billion cells; the reader keeps the three rows that have values.
        let mut wb = workbook(&[&SHEET_HEADER, &["T1", "incident", "S", "netwerk", "P3", "2026-10-05T09:00"]]);
        wb.worksheet_from_index(0).unwrap().write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = SheetTable::read(&bytes, "tickets.xlsx", None).unwrap();
        assert_eq!((t.names.len(), Cells::height(&t)), (6, 2));
        assert_eq!(Cells::line(&t, 1), 1_048_576);
        assert_eq!(Cells::cell(&t, 0, 1), None, "the far cell lies right of the header");
        // A header reaching column XFD is more than slarapport reads.
        let mut wb = workbook(&[&SHEET_HEADER]);
        wb.worksheet_from_index(0).unwrap().write_string(0, 16_383, "far").unwrap();
        let e = SheetTable::read(&wb.save_to_buffer().unwrap(), "tickets.xlsx", None).err().unwrap();
        assert!(e.message.contains("more than 4096 columns") && !e.hints.is_empty(), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        // 300 texts of 30,000 letters (9 MB) pack to some KiB.
        let long: Vec<String> = (0..300).map(|i| format!("{i}{}", "a".repeat(30_000))).collect();
        let mut rows: Vec<Vec<&str>> = vec![SHEET_HEADER.to_vec()];
        rows.extend(long.iter().map(|l| vec!["T1", "incident", "S", "netwerk", "P3", l.as_str()]));
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let bytes = workbook(&rows).save_to_buffer().unwrap();
        assert!(bytes.len() < 200_000, "{}", bytes.len());
        let small = SheetLimits { unpacked_bytes: 4 << 20, ..SheetLimits::default() };
        let e = SheetTable::read_within(&bytes, "tickets.xlsx", None, &small).err().unwrap();
        assert!(e.message.contains("tickets.xlsx unpacks to") && e.message.contains("more than the 4 MiB"), "{e}");
        assert!(e.hints[0].contains("zip bomb"), "{:?}", e.hints);
        // With the default limits: a part whose directory entry claims 3 GiB.
        let mut claimed = bytes.clone();
        let at = claimed.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        claimed[at + 24..at + 28].copy_from_slice(&0xC000_0000u32.to_le_bytes());
        let e = SheetTable::read(&claimed, "tickets.xlsx", None).err().unwrap();
        assert!(e.message.contains("unpacks to") && e.message.contains("more than the 2 GiB"), "{e}");
        // The cells' text is bounded too: one shared string of 30,000 letters in 100 cells
        // unpacks to little, but is 3 MB of cell text.
        let one = "a".repeat(30_000);
        let rows: Vec<[&str; 6]> = std::iter::once(SHEET_HEADER).chain((0..100).map(|_| ["T1", "incident", "S", "netwerk", "P3", one.as_str()])).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let bytes = workbook(&rows).save_to_buffer().unwrap();
        let tight = SheetLimits { text_bytes: 1 << 20, ..SheetLimits::default() };
        let e = SheetTable::read_within(&bytes, "tickets.xlsx", None, &tight).err().unwrap();
        assert!(e.message.contains("more than 1 MiB of text"), "{e}");
        assert!(SheetTable::read(&bytes, "tickets.xlsx", None).is_ok());
    }
}
