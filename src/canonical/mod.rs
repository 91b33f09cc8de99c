//! The canonical ticket row and its validation: every ticket file ends here.
//!
//! Every row ends in exactly one place: a valid [`Ticket`], or a [`Rejection`] that names the
//! file, line, column and what to fix. Nothing is dropped silently: suspicious but usable
//! values become [`Warning`]s, extra columns a note. Line numbers are physical lines of the
//! file (a quoted field may span lines), found by a quote-aware scan of the bytes, so a user
//! can jump straight to the row in an editor.
//!
//! `tickets.csv` (or `tickets.xlsx`) has the canonical columns ([`COLUMNS`]) and is read by
//! [`intake`] ([`read_tickets_csv`]), which also validates a mapping's rows in chunks. An export in another shape (ServiceNow, TOPdesk, Jira, any CSV or
//! XLSX) goes through a mapping first (`mapping`), which hands every row on as a
//! [`Row`]: canonical column → value, with the export's own file, line and column names, so
//! that a rejection points at the user's file (`export.csv:17: column "Datum melding"`),
//! never at an intermediate table. The validation ([`parse_row`]) is the same for both.

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use serde::Serialize;

use crate::contract::LoadedContract;
use crate::text::{Interner, Text};
use crate::ticket::{ChangeClass, Channel, Level, Priority, Ticket, TicketType};

pub mod intake;

pub use intake::{read_tickets_csv, read_tickets_csv_file, read_tickets_table, tickets_of_csv_table, validate_rows, TicketIntake};
pub(crate) use intake::{merge_by_line, note_dropped};

/// The canonical columns of `tickets.csv`, in their documented order.
pub const COLUMNS: [&str; 22] = [
    "id", "type", "school", "category", "subcategory", "summary", "impact", "urgency", "priority",
    "channel", "opened_at", "responded_at", "resolved_at", "closed_at", "first_line_resolved",
    "out_of_scope", "escalated_at", "onsite", "change_class", "cab_approved", "change_failed",
    "rca_delivered_at",
];

/// How many canonical columns there are.
pub const NCOL: usize = COLUMNS.len();

pub const REQUIRED: [&str; 5] = ["id", "type", "school", "category", "opened_at"];

/// The canonical columns that hold a point in time.
pub const TIME_COLUMNS: [&str; 6] = ["opened_at", "responded_at", "resolved_at", "closed_at", "escalated_at", "rca_delivered_at"];

/// The canonical columns that no figure of any report uses (`closed_at` is shown in an RCA's
/// timeline only: the contract measures response and resolution, never closing). A value
/// there that cannot be read, or cannot be true, does not cost its ticket: it is dropped with
/// a warning (`value_dropped`) and counted in a note.
pub const UNUSED_BY_FIGURES: [&str; 1] = ["closed_at"];

/// The position of a canonical column in [`COLUMNS`].
pub fn column_index(col: &str) -> Option<usize> {
    // A match, not a search: this runs for every field of every row.
    Some(match col {
        "id" => 0,
        "type" => 1,
        "school" => 2,
        "category" => 3,
        "subcategory" => 4,
        "summary" => 5,
        "impact" => 6,
        "urgency" => 7,
        "priority" => 8,
        "channel" => 9,
        "opened_at" => 10,
        "responded_at" => 11,
        "resolved_at" => 12,
        "closed_at" => 13,
        "first_line_resolved" => 14,
        "out_of_scope" => 15,
        "escalated_at" => 16,
        "onsite" => 17,
        "change_class" => 18,
        "cab_approved" => 19,
        "change_failed" => 20,
        "rca_delivered_at" => 21,
        _ => return None,
    })
}

/// A row that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    /// Why, in English (the command line's language).
    pub reason: String,
    /// What to fix, in English.
    pub hint: String,
    /// What kind of rejection it is, when a report can say it in its own language: the
    /// tables' `msg.CODE` and `msg.CODE_hint` with `args` filled in (see
    /// [`Rejection::localized`]); empty when only the English text exists.
    pub code: String,
    pub args: std::collections::BTreeMap<String, String>,
}

impl Rejection {
    /// This rejection with its code and values, for a report in another language.
    pub fn coded(mut self, code: &str, args: &[(&str, &str)]) -> Rejection {
        self.code = code.into();
        // The value from the file is cut like the one shown (the rest are short or the contract's).
        self.args = args.iter().map(|(k, v)| (k.to_string(), if *k == "value" { crate::limits::shown(v).into_owned() } else { v.to_string() })).collect();
        self
    }

    /// Reason and hint in the language of `labels` (English when the table lacks the code).
    pub fn localized(&self, labels: &crate::i18n::Labels) -> (String, String) {
        let reason = fill(labels, &format!("msg.{}", self.code), &self.args);
        let hint = fill(labels, &format!("msg.{}_hint", self.code), &self.args);
        match (reason, hint) {
            (Some(r), Some(h)) if !self.code.is_empty() => (r, h),
            _ => (self.reason.clone(), self.hint.clone()),
        }
    }
}

/// The language table's text under `key` with every `{arg}` replaced by its value (a value
/// the table names, such as `impact.medium`, in its words); `None` when there is no such key.
fn fill(labels: &crate::i18n::Labels, key: &str, args: &std::collections::BTreeMap<String, String>) -> Option<String> {
    let template = labels.get(key);
    if template == key {
        return None;
    }
    let mut out = template.to_string();
    for (k, v) in args {
        let word_key = format!("{k}.{v}");
        let word = labels.get(&word_key);
        let word = if word == word_key { v.as_str() } else { word };
        out = out.replace(&format!("{{{k}}}"), word);
    }
    Some(out)
}

/// A usable row with something a person should look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub file: String,
    pub line: u64,
    pub ticket_id: String,
    pub column: String,
    /// The message in English (the command line's language).
    pub message: String,
    /// What kind of warning it is (`priority_differs`, `p1_not_by_phone`, `p1_no_channel`):
    /// a report writes it in its own language from `msg.CODE` in the language tables, with
    /// `args` filled in (see [`Warning::localized`]).
    pub code: String,
    pub args: std::collections::BTreeMap<String, String>,
}

impl Warning {
    /// The message in the language of `labels`: the table's `msg.CODE` with its values
    /// filled in; the English message when the table has no such entry.
    pub fn localized(&self, labels: &crate::i18n::Labels) -> String {
        fill(labels, &format!("msg.{}", self.code), &self.args).unwrap_or_else(|| self.message.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub rows: u64,
}

/// The rejection of a row that cannot be split into the header's fields.
pub fn broken_row(file: &str, b: &crate::table::records::BrokenRow) -> Rejection {
    let (fields, expected) = (b.fields.to_string(), b.expected.to_string());
    let (code, reason) = if b.after_quote {
        ("text_after_quote", "a quoted field has text after its closing quote".to_string())
    } else {
        ("row_fields", format!("the row has {fields} fields, the header has {expected} columns"))
    };
    Rejection {
        file: file.into(),
        line: b.line,
        column: String::new(),
        value: b.text.clone(),
        reason,
        hint: "a text with the separator or a quote in it must be in double quotes, a quote inside it written twice (\"\")".into(),
        ..Default::default()
    }
    .coded(code, &[("fields", &fields), ("expected", &expected)])
}

/// One input row as the validation sees it: canonical column → value, with the file, line
/// and column names of the user's own file for every message.
pub struct Row<'a> {
    pub file: &'a str,
    pub line: u64,
    /// The value per canonical column (trimmed; `None` when empty or not given).
    pub values: [Option<&'a str>; NCOL],
    /// What the user's file says, when it differs from the value (a mapped or converted
    /// value): shown in rejections.
    pub shown: [Option<&'a str>; NCOL],
    /// The column name in the user's file per canonical column.
    pub labels: [&'a str; NCOL],
    /// The row came through a mapping (hints then point at the mapping file).
    pub mapped: bool,
    /// Why the mapping could not read a column's value, for a column of
    /// [`UNUSED_BY_FIGURES`]: the value is dropped with a warning instead of a rejection.
    pub dropped: [Option<&'a str>; NCOL],
    /// The line a column's value comes from, when not `line` (0): an event log's
    /// `[events.first]` time comes from an earlier update, and a rejection names that line.
    pub value_lines: [u64; NCOL],
}

impl<'a> Row<'a> {
    pub fn new(file: &'a str, line: u64, labels: [&'a str; NCOL], mapped: bool) -> Self {
        Row { file, line, values: [None; NCOL], shown: [None; NCOL], labels, mapped, dropped: [None; NCOL], value_lines: [0; NCOL] }
    }

    fn idx(col: &str) -> usize {
        column_index(col).expect("a canonical column")
    }

    /// The trimmed field, `None` when the column is absent or the field empty.
    pub fn get(&self, col: &str) -> Option<&'a str> {
        self.values[Self::idx(col)]
    }

    /// The user's name for canonical column `col`.
    pub fn label(&self, col: &str) -> &'a str {
        self.labels[Self::idx(col)]
    }

    /// What the user's file says for `col`.
    fn shown(&self, col: &str) -> Option<&'a str> {
        let i = Self::idx(col);
        self.shown[i].or(self.values[i])
    }

    fn reject(&self, column: &str, value: &str, reason: impl Into<String>, hint: impl Into<String>) -> Rejection {
        let i = Self::idx(column);
        let value = match self.shown[i] {
            Some(s) if !value.is_empty() => s,
            _ => value,
        };
        Rejection {
            file: self.file.into(),
            line: if self.value_lines[i] > 0 { self.value_lines[i] } else { self.line },
            column: self.labels[i].into(),
            value: crate::limits::shown(value).into_owned(),
            reason: reason.into(),
            hint: hint.into(),
            ..Default::default()
        }
    }

    fn required(&self, col: &str) -> Result<&'a str, Rejection> {
        self.get(col).ok_or_else(|| {
            self.reject(col, "", "required field is empty", format!("fill in {}", self.label(col))).coded("required", &[("column", self.label(col))])
        })
    }

    /// `base`, or its variant for a mapped export (whose hint points at the mapping).
    fn vocabulary_code(&self, base: &'static str) -> &'static str {
        match (self.mapped, base) {
            (true, "not_one_of") => "not_one_of_mapped",
            (true, "not_a_type") => "not_a_type_mapped",
            _ => base,
        }
    }

    fn vocabulary_hint(&self, col: &str, expected: &str) -> String {
        if self.mapped {
            format!("add the value to the map of {col} in the mapping (its values: {expected})")
        } else {
            format!("use {expected}")
        }
    }

    fn parse_opt<T>(&self, col: &str, parse: impl Fn(&str) -> Option<T>, expected: &str) -> Result<Option<T>, Rejection> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => parse(v)
                .map(Some)
                .ok_or_else(|| {
                    self.reject(col, v, format!("\"{}\" is not one of: {expected}", crate::limits::shown(v)), self.vocabulary_hint(col, expected))
                        .coded(self.vocabulary_code("not_one_of"), &[("value", v), ("expected", expected), ("column", col)])
                }),
        }
    }

    fn time(&self, col: &str, contract: &LoadedContract) -> Result<Option<DateTime<Utc>>, Rejection> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => parse_timestamp(v, contract).map(Some).map_err(|e| {
                self.reject(col, v, e.reason, time_hint(e.code, "2026-10-05T09:30 (Amsterdam time) or 2026-10-05T07:30:00Z")).coded(e.code, &[("value", v.trim())])
            }),
        }
    }
}

impl<'a> Row<'a> {
    /// A time of a column no figure uses ([`UNUSED_BY_FIGURES`]): one that cannot be read
    /// (also by the mapping) or lies before the opening is dropped with a warning.
    /// `not_before`: the columns it cannot lie before, with their times.
    fn unused_time(&self, col: &str, contract: &LoadedContract, not_before: &[(&str, Option<DateTime<Utc>>)], warnings: &mut Vec<Warning>) -> Option<DateTime<Utc>> {
        let i = Self::idx(col);
        let problem = match (self.dropped[i], self.time(col, contract)) {
            (Some(reason), _) => reason.to_string(),
            (None, Ok(Some(t))) => match not_before.iter().find(|(_, b)| b.is_some_and(|b| t < b)) {
                Some((other, _)) => format!("{} lies before {} ({})", self.label(col), self.label(other), self.shown(other).unwrap_or_default()),
                None => return Some(t),
            },
            (None, Ok(None)) => return None,
            (None, Err(r)) => r.reason,
        };
        let value = self.shown(col).unwrap_or_default();
        let id = self.get("id").unwrap_or_default();
        warnings.push(Warning {
            file: self.file.into(),
            line: self.line,
            ticket_id: id.into(),
            column: self.labels[i].into(),
            message: format!("{problem}: the value is dropped and the ticket counts (no figure uses {col})"),
            code: "value_dropped".into(),
            args: [("column", self.labels[i]), ("value", &*crate::limits::shown(value)), ("reason", problem.as_str())]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
        None
    }
}

/// What to do about a time that cannot be read (see [`TimeError`]); `example` shows the form.
pub fn time_hint(code: &str, example: &str) -> String {
    match code {
        "bad_offset" => "correct the offset (Amsterdam is +01:00 in winter, +02:00 in summer), or leave it out for the contract's local time".into(),
        "year_out_of_range" => "correct the year".into(),
        "time_in_gap" => "correct the time (the clocks skip that hour when summer time starts), or write it with its UTC offset; an export read through a mapping can say what such times mean: [source] dst_gap = \"shift\" reads them as the hour after, as ServiceNow does".into(),
        _ => format!("write it as {example}"),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => return Some(true),
        "false" => return Some(false),
        _ => {}
    }
    match s.trim().to_lowercase().as_str() {
        "true" | "ja" | "yes" | "1" | "waar" => Some(true),
        "false" | "nee" | "no" | "0" | "onwaar" => Some(false),
        _ => None,
    }
}

/// Whether `s` is a value of the canonical vocabulary of column `col` (any text is, for a
/// column without one).
pub fn is_known_value(col: &str, s: &str) -> bool {
    match col {
        "type" => TicketType::parse(s).is_some(),
        "impact" | "urgency" => Level::parse(s).is_some(),
        "priority" => Priority::parse(s).is_some(),
        "channel" => Channel::parse(s).is_some(),
        "change_class" => ChangeClass::parse(s).is_some(),
        "first_line_resolved" | "out_of_scope" | "onsite" | "cab_approved" | "change_failed" => parse_bool(s).is_some(),
        _ => true,
    }
}

/// An ISO 8601 timestamp: an instant when it carries an offset (or `Z`), else a local time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IsoTime {
    Instant(DateTime<Utc>),
    Local(NaiveDateTime),
}

/// Reads the ISO 8601 forms `tickets.csv` accepts.
pub fn parse_iso(s: &str) -> Option<IsoTime> {
    let s = s.trim();
    // The common forms, without trying format after format (see `timestamp`).
    if let Some((local, offset)) = crate::timestamp::parse_iso(s) {
        return Some(match offset {
            Some(o) => IsoTime::Instant(local.and_utc() - chrono::Duration::seconds(i64::from(o))),
            None => IsoTime::Local(local),
        });
    }
    // Chrono takes offsets up to ±23:59; only the ones that exist are times.
    let real = |t: &DateTime<chrono::FixedOffset>| crate::timestamp::OFFSETS.contains(&t.offset().local_minus_utc());
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return real(&t).then(|| IsoTime::Instant(t.with_timezone(&Utc)));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return real(&t).then(|| IsoTime::Instant(t.with_timezone(&Utc)));
        }
    }
    let (body, utc) = match s.strip_suffix('Z') {
        Some(b) => (b, true),
        None => (s, false),
    };
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(body, fmt) {
            return Some(if utc { IsoTime::Instant(n.and_utc()) } else { IsoTime::Local(n) });
        }
    }
    None
}

/// Why a timestamp cannot be read: `code` names the kind for the language tables (`msg.CODE`),
/// `reason` says it in English.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeError {
    /// `not_a_time`, `time_in_gap`, `bad_offset` or `year_out_of_range`.
    pub code: &'static str,
    pub reason: String,
}

/// Parses an ISO 8601 timestamp: with an offset (or `Z`) it is that instant; without, it is
/// local time in the contract's time zone. Offsets that do not exist (`+25:00`) and years
/// outside the contract calendar's ([`crate::contract::CALENDAR_YEARS`], the years a report
/// can be made for) are refused.
pub fn parse_timestamp(s: &str, contract: &LoadedContract) -> Result<DateTime<Utc>, TimeError> {
    let err = |code, reason| TimeError { code, reason };
    let years = crate::contract::CALENDAR_YEARS;
    let out_of_range = || {
        err(
            "year_out_of_range",
            format!("{} lies outside the years {}–{} that slarapport reports on", crate::limits::shown(s.trim()), years.start(), years.end()),
        )
    };
    match parse_iso(s) {
        Some(IsoTime::Instant(t)) => {
            let year = t.with_timezone(&contract.tz).year();
            if years.contains(&year) { Ok(t) } else { Err(out_of_range()) }
        }
        Some(IsoTime::Local(n)) if !years.contains(&n.year()) => Err(out_of_range()),
        Some(IsoTime::Local(n)) => contract.clock.instant(n).ok_or_else(|| {
            err("time_in_gap", format!("{} does not exist in {} (the clocks skip that hour when summer time starts)", s.trim(), contract.tz))
        }),
        None => Err(match crate::timestamp::offset_problem(s) {
            Some(reason) => err("bad_offset", reason),
            None => err("not_a_time", format!("\"{}\" is not a date and time", crate::limits::shown(s.trim()))),
        }),
    }
}

/// The ticket of one row, or why the row cannot be used. Its school, category, subcategory and
/// summary come from `texts`, shared with the earlier rows that have the same text.
pub fn parse_row(row: &Row, contract: &LoadedContract, texts: &mut Interner, warnings: &mut Vec<Warning>) -> Result<Ticket, Rejection> {
    let id = row.required("id")?;
    let type_raw = row.required("type")?;
    let ticket_type = TicketType::parse(type_raw).ok_or_else(|| {
        row.reject("type", type_raw, format!("\"{}\" is not a ticket type", crate::limits::shown(type_raw)), row.vocabulary_hint("type", "incident, service_request or change"))
            .coded(row.vocabulary_code("not_a_type"), &[("value", type_raw), ("expected", "incident, service_request or change"), ("column", "type")])
    })?;
    let school = row.required("school")?;
    let category = row.required("category")?;
    let levels = "high, medium or low (hoog, gemiddeld, laag)";
    let impact = row.parse_opt("impact", Level::parse, levels)?;
    let urgency = row.parse_opt("urgency", Level::parse, levels)?;
    let recorded = row.parse_opt("priority", Priority::parse, "P1, P2, P3 or P4")?;
    let matrix_priority = match (impact, urgency) {
        (Some(i), Some(u)) => Some(contract.contract.priority_matrix.priority(i, u)),
        _ => None,
    };
    let priority = match (recorded, matrix_priority) {
        (Some(p), _) => p,
        (None, Some(m)) => m,
        (None, None) => {
            let col = if impact.is_none() { "impact" } else { "urgency" };
            return Err(row
                .reject(col, "", "no priority, and impact and urgency are not both given", "fill in priority, or both impact and urgency")
                .coded("no_priority", &[]));
        }
    };
    let channel = row.parse_opt("channel", Channel::parse, "phone, email or portal")?;
    let opened_at = row.time("opened_at", contract)?.ok_or_else(|| {
        row.reject("opened_at", "", "required field is empty", format!("fill in {}", row.label("opened_at")))
            .coded("required", &[("column", row.label("opened_at"))])
    })?;
    let responded_at = row.time("responded_at", contract)?;
    let resolved_at = row.time("resolved_at", contract)?;
    let escalated_at = row.time("escalated_at", contract)?;
    let rca_delivered_at = row.time("rca_delivered_at", contract)?;
    // Nothing happens to a ticket before it was opened: not an answer, a resolution, an
    // escalation, its closing or its RCA.
    for (col, t) in [
        ("responded_at", responded_at),
        ("resolved_at", resolved_at),
        ("escalated_at", escalated_at),
        ("rca_delivered_at", rca_delivered_at),
    ] {
        if let Some(t) = t {
            if t < opened_at {
                let v = row.get(col).unwrap_or_default();
                return Err(row.reject(
                    col,
                    v,
                    format!("{} lies before {} ({})", row.label(col), row.label("opened_at"), row.shown("opened_at").unwrap_or_default()),
                    "correct the time; nothing can happen to a ticket before it was opened",
                )
                .coded("before_opened", &[("column", row.label(col)), ("opened", row.label("opened_at")), ("opened_value", row.shown("opened_at").unwrap_or_default())]));
            }
        }
    }
    let closed_at = row.unused_time("closed_at", contract, &[("opened_at", Some(opened_at)), ("resolved_at", resolved_at)], warnings);
    let bools = "true or false";
    let first_line_resolved = row.parse_opt("first_line_resolved", parse_bool, bools)?;
    let out_of_scope = row.parse_opt("out_of_scope", parse_bool, bools)?.unwrap_or(false);
    let onsite = row.parse_opt("onsite", parse_bool, bools)?;
    let change_class = row.parse_opt("change_class", ChangeClass::parse, "standard, non_standard or emergency")?;
    let cab_approved = row.parse_opt("cab_approved", parse_bool, bools)?;
    let change_failed = row.parse_opt("change_failed", parse_bool, bools)?;

    let mut warn = |column: &str, code: &str, args: &[(&str, &str)], message: String| {
        warnings.push(Warning {
            file: row.file.into(),
            line: row.line,
            ticket_id: id.into(),
            column: row.label(column).into(),
            message,
            code: code.into(),
            args: args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        });
    };
    if let (Some(r), Some(m)) = (recorded, matrix_priority) {
        if r != m {
            let (i, u) = (impact.map(Level::key).unwrap_or(""), urgency.map(Level::key).unwrap_or(""));
            warn(
                "priority",
                "priority_differs",
                &[("recorded", r.key()), ("matrix", m.key()), ("impact", i), ("urgency", u)],
                format!("recorded priority {} differs from the matrix ({i} impact × {u} urgency gives {}); the recorded one counts", r.key(), m.key()),
            );
        }
    }
    if priority == Priority::P1 && contract.contract.rules.p1_by_phone && channel != Some(Channel::Phone) {
        match row.shown("channel") {
            Some(ch) => {
                // A known channel by its key (so the report can name it in its language).
                let shown = channel.map(Channel::key).unwrap_or(ch);
                warn("channel", "p1_not_by_phone", &[("channel", shown)], format!("P1 reported via {ch}; the contract requires P1 by phone (§3.4)"));
            }
            None => warn("channel", "p1_no_channel", &[], "P1 reported via (empty); the contract requires P1 by phone (§3.4)".into()),
        }
    }
    Ok(Ticket {
        // Unique: not worth a place in `texts`.
        id: Text::from(id),
        // Always fits (see `Ticket::line`); the largest line if a limit ever allowed more.
        line: u32::try_from(row.line).unwrap_or(u32::MAX),
        ticket_type,
        school: texts.text(school),
        category: texts.text(category),
        subcategory: texts.text(row.get("subcategory").unwrap_or_default()),
        summary: texts.text(row.get("summary").unwrap_or_default()),
        impact,
        urgency,
        priority,
        matrix_priority,
        channel,
        opened_at,
        responded_at,
        resolved_at,
        closed_at,
        first_line_resolved,
        out_of_scope,
        escalated_at,
        onsite,
        change_class,
        cab_approved,
        change_failed,
        rca_delivered_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    /// How many texts `field` has by content, and how many blocks hold the longer ones.
    fn texts_and_blocks(tickets: &[Ticket], field: fn(&Ticket) -> &Text) -> (usize, usize) {
        let texts: BTreeSet<&str> = tickets.iter().map(|t| field(t).as_str()).collect();
        let blocks: HashSet<*const u8> = tickets.iter().map(field).filter(|t| t.len() > Text::INLINE).map(|t| t.as_ptr()).collect();
        (texts.len(), blocks.len())
    }

    /// The demo's 9,642 rows: a school, category, subcategory or summary is held once per
    /// chunk of rows (at most 8 chunks), not once per ticket.
    #[test]
    fn the_canonical_reader_shares_repeating_texts() {
        let demo = std::fs::read("fixtures/demo/tickets.csv").unwrap();
        let d = read_tickets_csv(&demo, "tickets.csv", &LoadedContract::embedded()).unwrap();
        let long_schools = d.tickets.iter().filter(|t| t.school.len() > Text::INLINE).count();
        assert!(long_schools > 5_000, "{long_schools}");
        let fields: [fn(&Ticket) -> &Text; 4] = [|t| &t.school, |t| &t.category, |t| &t.subcategory, |t| &t.summary];
        for field in fields {
            let (texts, blocks) = texts_and_blocks(&d.tickets, field);
            assert!(blocks <= 8 * texts, "{blocks} blocks for {texts} texts");
        }
        let (schools, blocks) = texts_and_blocks(&d.tickets, |t| &t.school);
        assert!(schools < 100 && blocks < 800, "{schools} schools, {blocks} blocks");
        // The ids are not shared: each is its own, short ones inline.
        assert!(d.tickets.iter().all(|t| t.id.len() <= Text::INLINE));
    }

    /// A mapping's rows (`validate_rows`) share one interner: one block per distinct text.
    #[test]
    fn a_mappings_rows_share_one_block_per_text() {
        let rows = [("A1", "Basisschool De Regenboog"), ("A2", "Basisschool De Regenboog"), ("A3", "Kindcentrum Het Kompas"), ("A4", "Basisschool De Regenboog")];
        let rows = rows.iter().enumerate().map(|(i, (id, school))| {
            let mut row = Row::new("export.csv", i as u64 + 2, COLUMNS, true);
            for (col, v) in [("id", *id), ("type", "incident"), ("school", *school), ("category", "hardware"), ("priority", "P3"), ("opened_at", "2026-10-05T09:30"), ("summary", "Printer werkt niet meer op de tweede verdieping")] {
                row.values[column_index(col).unwrap()] = Some(v);
            }
            Ok(row)
        });
        let mut d = TicketIntake::default();
        validate_rows(&mut d, rows, &LoadedContract::embedded());
        assert_eq!(d.tickets.len(), 4);
        assert_eq!(texts_and_blocks(&d.tickets, |t| &t.school), (2, 2));
        assert_eq!(texts_and_blocks(&d.tickets, |t| &t.summary), (1, 1));
        assert_eq!(d.tickets[3].school, "Basisschool De Regenboog");
        assert_eq!(d.tickets[3].line, 5);
    }
}
