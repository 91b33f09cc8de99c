//! Loading the data folder: `tickets.csv` read with polars, then validated row by row.
//!
//! Every row ends in exactly one place: a valid [`Ticket`], or a [`Rejection`] that names the
//! file, line, column and what to fix. Nothing is dropped silently: suspicious but usable
//! values become [`Warning`]s, extra columns a note. Line numbers are physical lines of the
//! file (a quoted field may span lines), found by a quote-aware scan of the bytes, so a user
//! can jump straight to the row in an editor.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::contract::LoadedContract;
use crate::error::Error;
use crate::ticket::{ChangeClass, Channel, Level, Priority, Ticket, TicketType};

/// The canonical columns of `tickets.csv`, in their documented order.
pub const COLUMNS: [&str; 22] = [
    "id", "type", "school", "category", "subcategory", "summary", "impact", "urgency", "priority",
    "channel", "opened_at", "responded_at", "resolved_at", "closed_at", "first_line_resolved",
    "out_of_scope", "escalated_at", "onsite", "change_class", "cab_approved", "change_failed",
    "rca_delivered_at",
];

const REQUIRED: [&str; 5] = ["id", "type", "school", "category", "opened_at"];

/// A row that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    pub hint: String,
}

/// A usable row with something a person should look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub file: String,
    pub line: u64,
    pub ticket_id: String,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub rows: u64,
}

/// Everything read from a data folder.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub dir: PathBuf,
    pub tickets: Vec<Ticket>,
    pub rows_read: u64,
    pub rejections: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    pub files: Vec<InputFile>,
    /// The phone log, when the folder has `calls.csv`.
    pub calls: Option<Vec<crate::kpi::input::Call>>,
    pub measurements: Vec<crate::kpi::input::Measurement>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `tickets.csv` from `dir`.
pub fn load_data_dir(dir: &Path, contract: &LoadedContract) -> Result<DataSet, Error> {
    if !dir.is_dir() {
        return Err(Error::new(format!("data folder {} does not exist", dir.display()))
            .with_hint("pass the folder that holds tickets.csv with --data"));
    }
    let path = dir.join("tickets.csv");
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(format!("cannot read {}: {e}", path.display()))
            .with_hint("the data folder must hold tickets.csv; see the README for its columns")
    })?;
    let mut data = load_tickets_csv(&bytes, "tickets.csv", contract)?;
    data.dir = dir.to_path_buf();
    let read_optional = |name: &str| -> Result<Option<Vec<u8>>, Error> {
        let p = dir.join(name);
        if !p.exists() {
            return Ok(None);
        }
        std::fs::read(&p).map(Some).map_err(|e| Error::new(format!("cannot read {}: {e}", p.display())))
    };
    match read_optional("calls.csv")? {
        Some(bytes) => {
            let (calls, rejections, table) = crate::kpi::input::load_calls(&bytes, "calls.csv", contract)?;
            data.files.push(InputFile { name: "calls.csv".into(), sha256: table.sha256, rows: table.height as u64 });
            data.rejections.extend(rejections);
            data.calls = Some(calls);
        }
        None => data.notes.push("calls.csv is not in the data folder: reachability by phone has no data".into()),
    }
    match read_optional("measurements.csv")? {
        Some(bytes) => {
            let (ms, rejections, table) = crate::kpi::input::load_measurements(&bytes, "measurements.csv", contract)?;
            data.files.push(InputFile { name: "measurements.csv".into(), sha256: table.sha256, rows: table.height as u64 });
            data.rejections.extend(rejections);
            data.measurements = ms;
        }
        None => data.notes.push("measurements.csv is not in the data folder: KPIs measured in other systems have no data".into()),
    }
    Ok(data)
}

/// First physical line of every record after the header (quote-aware; blank lines skipped,
/// as the CSV reader does).
fn record_lines(bytes: &[u8]) -> Vec<u64> {
    let mut lines = Vec::new();
    let (mut line, mut in_quotes, mut at_record_start, mut record_empty) = (1u64, false, true, true);
    let mut start_line = 1u64;
    for &b in bytes {
        if at_record_start {
            start_line = line;
            at_record_start = false;
            record_empty = true;
        }
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                record_empty = false;
            }
            b'\n' => {
                line += 1;
                if !in_quotes {
                    if !record_empty {
                        lines.push(start_line);
                    }
                    at_record_start = true;
                }
            }
            b'\r' => {}
            _ => record_empty = false,
        }
    }
    if !at_record_start && !record_empty {
        lines.push(start_line);
    }
    // The first record is the header.
    if !lines.is_empty() {
        lines.remove(0);
    }
    lines
}

/// A CSV file read with polars, every column as text, with the physical line of each record.
pub struct CsvTable {
    /// Header names, trimmed.
    pub names: Vec<String>,
    columns: Vec<StringChunked>,
    lines: Vec<u64>,
    pub height: usize,
    /// The bytes hashed, for the manifest.
    pub sha256: String,
}

impl CsvTable {
    /// Reads `bytes` (UTF-8, optional BOM, comma-separated, header row).
    pub fn read(bytes: &[u8], file: &str) -> Result<CsvTable, Error> {
        let sha256 = sha256_hex(bytes);
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if std::str::from_utf8(bytes).is_err() {
            return Err(Error::new(format!("{file} is not UTF-8 text"))
                .with_hint("save the export as UTF-8 (CSV UTF-8 in Excel)"));
        }
        let df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
            .map_err(|e| {
                Error::new(format!("{file} cannot be read as CSV: {e}"))
                    .with_hint("it must be comma-separated with a header row; check for a quote that is never closed")
            })?;
        let names: Vec<String> = df.get_column_names().iter().map(|s| s.trim().to_string()).collect();
        let mut columns = Vec::with_capacity(names.len());
        for (idx, name) in names.iter().enumerate() {
            let col = df.select_at_idx(idx).expect("column index");
            columns.push(col.str().map_err(|e| Error::new(format!("{file}: column {name}: {e}")))?.clone());
        }
        let height = df.height();
        let mut lines = record_lines(bytes);
        if lines.len() != height {
            lines = (0..height as u64).map(|i| i + 2).collect();
        }
        Ok(CsvTable { names, columns, lines, height, sha256 })
    }

    pub fn has(&self, col: &str) -> bool {
        self.names.iter().any(|n| n == col)
    }

    pub fn column(&self, col: &str) -> Option<&StringChunked> {
        self.names.iter().position(|n| n == col).map(|i| &self.columns[i])
    }

    /// The physical line of record `i`.
    pub fn line(&self, i: usize) -> u64 {
        self.lines[i]
    }
}

/// The trimmed field, `None` when the column is absent or the field empty.
pub fn field<'a>(col: Option<&'a StringChunked>, i: usize) -> Option<&'a str> {
    let v = col?.get(i)?.trim();
    if v.is_empty() { None } else { Some(v) }
}

/// Parses canonical ticket CSV bytes.
pub fn load_tickets_csv(
    bytes: &[u8],
    file: &str,
    contract: &LoadedContract,
) -> Result<DataSet, Error> {
    let table = CsvTable::read(bytes, file)?;
    let names = &table.names;
    let mut data = DataSet::default();
    let extra: Vec<&String> = names.iter().filter(|n| !COLUMNS.contains(&n.as_str())).collect();
    if !extra.is_empty() {
        let list: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
        data.notes.push(format!("{file}: columns ignored because slarapport does not use them: {}", list.join(", ")));
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !names.iter().any(|n| n == c)).collect();
    let has = |c: &str| names.iter().any(|n| n == c);
    if !missing.is_empty() || !(has("priority") || (has("impact") && has("urgency"))) {
        let mut missing = missing;
        if !(has("priority") || (has("impact") && has("urgency"))) {
            missing.push("priority (or impact and urgency)");
        }
        return Err(Error::new(format!("{file} lacks required columns: {}", missing.join(", ")))
            .with_hint(format!("the header must name at least: {}, and priority or impact + urgency", REQUIRED.join(", "))));
    }

    let height = table.height;
    let line_of = |i: usize| table.line(i);
    let mut cols: HashMap<&'static str, &StringChunked> = HashMap::new();
    for canon in COLUMNS {
        if let Some(c) = table.column(canon) {
            cols.insert(canon, c);
        }
    }
    data.rows_read = height as u64;
    let mut first_line_of_id: HashMap<String, u64> = HashMap::new();
    for i in 0..height {
        let line = line_of(i);
        let row = Row { cols: &cols, i, file, line };
        match parse_row(&row, contract, &mut data.warnings) {
            Ok(ticket) => {
                if let Some(first) = first_line_of_id.get(&ticket.id) {
                    data.rejections.push(Rejection {
                        file: file.into(),
                        line,
                        column: "id".into(),
                        value: ticket.id.clone(),
                        reason: format!("duplicate id; the first row with this id, on line {first}, counts"),
                        hint: "remove the repeated row or give it its own id".into(),
                    });
                    // Warnings raised for a row that is rejected belong to nobody.
                    data.warnings.retain(|w| w.line != line);
                } else {
                    first_line_of_id.insert(ticket.id.clone(), line);
                    data.tickets.push(ticket);
                }
            }
            Err(r) => {
                data.warnings.retain(|w| w.line != line);
                data.rejections.push(r);
            }
        }
    }
    data.files.push(InputFile { name: file.into(), sha256: table.sha256.clone(), rows: height as u64 });
    Ok(data)
}

struct Row<'a> {
    cols: &'a HashMap<&'static str, &'a StringChunked>,
    i: usize,
    file: &'a str,
    line: u64,
}

impl Row<'_> {
    /// The trimmed field, `None` when the column is absent or the field empty.
    fn get(&self, col: &str) -> Option<&str> {
        field(self.cols.get(col).copied(), self.i)
    }

    fn reject(&self, column: &str, value: &str, reason: impl Into<String>, hint: impl Into<String>) -> Rejection {
        Rejection {
            file: self.file.into(),
            line: self.line,
            column: column.into(),
            value: value.chars().take(200).collect(),
            reason: reason.into(),
            hint: hint.into(),
        }
    }

    fn required(&self, col: &str) -> Result<&str, Rejection> {
        self.get(col).ok_or_else(|| self.reject(col, "", "required field is empty", format!("fill in {col}")))
    }

    fn parse_opt<T>(&self, col: &str, parse: impl Fn(&str) -> Option<T>, expected: &str) -> Result<Option<T>, Rejection> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => parse(v)
                .map(Some)
                .ok_or_else(|| self.reject(col, v, format!("\"{v}\" is not one of: {expected}"), format!("use {expected}"))),
        }
    }

    fn time(&self, col: &str, contract: &LoadedContract) -> Result<Option<DateTime<Utc>>, Rejection> {
        match self.get(col) {
            None => Ok(None),
            Some(v) => parse_timestamp(v, contract).map(Some).map_err(|reason| {
                self.reject(col, v, reason, "write it as 2026-10-05T09:30 (Amsterdam time) or 2026-10-05T07:30:00Z")
            }),
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "true" | "ja" | "yes" | "1" | "waar" => Some(true),
        "false" | "nee" | "no" | "0" | "onwaar" => Some(false),
        _ => None,
    }
}

/// Parses an ISO 8601 timestamp: with an offset (or `Z`) it is that instant; without, it is
/// local time in the contract's time zone.
pub fn parse_timestamp(s: &str, contract: &LoadedContract) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let (body, utc) = match s.strip_suffix('Z') {
        Some(b) => (b, true),
        None => (s, false),
    };
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(body, fmt) {
            if utc {
                return Ok(n.and_utc());
            }
            return contract.clock.instant(n).ok_or_else(|| {
                format!("{s} does not exist in {} (the clocks skip that hour when summer time starts)", contract.tz)
            });
        }
    }
    Err(format!("\"{s}\" is not a date and time"))
}

fn parse_row(row: &Row, contract: &LoadedContract, warnings: &mut Vec<Warning>) -> Result<Ticket, Rejection> {
    let id = row.required("id")?.to_string();
    let type_raw = row.required("type")?;
    let ticket_type = TicketType::parse(type_raw).ok_or_else(|| {
        row.reject("type", type_raw, format!("\"{type_raw}\" is not a ticket type"), "use incident, service_request or change")
    })?;
    let school = row.required("school")?.to_string();
    let category = row.required("category")?.to_string();
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
            return Err(row.reject(col, "", "no priority, and impact and urgency are not both given", "fill in priority, or both impact and urgency"));
        }
    };
    let channel = row.parse_opt("channel", Channel::parse, "phone, email or portal")?;
    let opened_at = row.time("opened_at", contract)?.ok_or_else(|| row.reject("opened_at", "", "required field is empty", "fill in opened_at"))?;
    let responded_at = row.time("responded_at", contract)?;
    let resolved_at = row.time("resolved_at", contract)?;
    let closed_at = row.time("closed_at", contract)?;
    let escalated_at = row.time("escalated_at", contract)?;
    let rca_delivered_at = row.time("rca_delivered_at", contract)?;
    for (col, t) in [("responded_at", responded_at), ("resolved_at", resolved_at), ("escalated_at", escalated_at)] {
        if let Some(t) = t {
            if t < opened_at {
                let v = row.get(col).unwrap_or_default();
                return Err(row.reject(
                    col,
                    v,
                    format!("{col} lies before opened_at ({})", row.get("opened_at").unwrap_or_default()),
                    "correct the time; a ticket cannot be answered or resolved before it was opened",
                ));
            }
        }
    }
    if let (Some(res), Some(cl)) = (resolved_at, closed_at) {
        if cl < res {
            return Err(row.reject("closed_at", row.get("closed_at").unwrap_or_default(), "closed_at lies before resolved_at", "correct the time"));
        }
    }
    let bools = "true or false";
    let first_line_resolved = row.parse_opt("first_line_resolved", parse_bool, bools)?;
    let out_of_scope = row.parse_opt("out_of_scope", parse_bool, bools)?.unwrap_or(false);
    let onsite = row.parse_opt("onsite", parse_bool, bools)?;
    let change_class = row.parse_opt("change_class", ChangeClass::parse, "standard, non_standard or emergency")?;
    let cab_approved = row.parse_opt("cab_approved", parse_bool, bools)?;
    let change_failed = row.parse_opt("change_failed", parse_bool, bools)?;

    let mut warn = |column: &str, message: String| {
        warnings.push(Warning { file: row.file.into(), line: row.line, ticket_id: id.clone(), column: column.into(), message });
    };
    if let (Some(r), Some(m)) = (recorded, matrix_priority) {
        if r != m {
            warn("priority", format!(
                "recorded priority {} differs from the matrix ({} impact × {} urgency gives {}); the recorded one counts",
                r.key(), impact.map(Level::key).unwrap_or(""), urgency.map(Level::key).unwrap_or(""), m.key()
            ));
        }
    }
    if priority == Priority::P1 && contract.contract.rules.p1_by_phone && channel != Some(Channel::Phone) {
        let ch = row.get("channel").unwrap_or("(empty)");
        warn("channel", format!("P1 reported via {ch}; the contract requires P1 by phone (§3.4)"));
    }
    Ok(Ticket {
        id: id.clone(),
        line: row.line,
        ticket_type,
        school,
        category,
        subcategory: row.get("subcategory").unwrap_or_default().to_string(),
        summary: row.get("summary").unwrap_or_default().to_string(),
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

    fn load(csv: &str) -> DataSet {
        load_tickets_csv(csv.as_bytes(), "tickets.csv", &LoadedContract::embedded()).unwrap()
    }

    const HEADER: &str = "id,type,school,category,impact,urgency,priority,channel,opened_at,responded_at,summary";

    #[test]
    fn priority_from_the_matrix_all_nine_cells() {
        let mut csv = String::from(HEADER) + "\n";
        let cells = [
            ("hoog", "hoog", "P1"), ("high", "gemiddeld", "P2"), ("high", "low", "P3"),
            ("gemiddeld", "high", "P2"), ("medium", "medium", "P3"), ("medium", "laag", "P4"),
            ("low", "high", "P3"), ("laag", "medium", "P4"), ("low", "low", "P4"),
        ];
        for (n, (i, u, _)) in cells.iter().enumerate() {
            csv += &format!("T{n},incident,School,werkplek,{i},{u},,phone,2026-10-05T09:00,,x\n");
        }
        let d = load(&csv);
        assert_eq!(d.rejections, vec![]);
        for (n, (_, _, p)) in cells.iter().enumerate() {
            assert_eq!(d.tickets[n].priority.key(), *p, "cell {n}");
        }
    }

    #[test]
    fn recorded_priority_counts_with_a_warning() {
        let d = load(&format!("{HEADER}\nT1,incident,S,netwerk,low,low,P2,email,2026-10-05T09:00,,x\n"));
        assert_eq!(d.tickets[0].priority, Priority::P2);
        assert_eq!(d.warnings.len(), 1);
        assert!(d.warnings[0].message.contains("differs from the matrix"));
    }

    #[test]
    fn p1_not_by_phone_is_a_warning() {
        let d = load(&format!("{HEADER}\nT1,incident,S,netwerk,,,P1,email,2026-10-05T09:00,,x\n"));
        assert_eq!(d.tickets.len(), 1);
        assert_eq!(d.warnings[0].column, "channel");
    }

    #[test]
    fn rejections_name_line_and_column() {
        let csv = format!(
            "{HEADER}\nT1,incident,S,netwerk,,,P3,email,2026-10-05T09:00,2026-10-05T08:00,ok\n\
             T2,storm,S,netwerk,,,P3,email,2026-10-05T09:00,,\"multi\nline\"\n\
             T3,incident,S,netwerk,,,P3,email,yesterday,,x\n\
             T4,incident,S,netwerk,,,P3,email,2026-10-05T09:00,,x\n\
             T4,incident,S,netwerk,,,P3,email,2026-10-05T09:00,,x\n\
             T5,incident,S,netwerk,,,,email,2026-10-05T09:00,,x\n"
        );
        let d = load(&csv);
        let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
        assert_eq!(got, vec![(2, "responded_at"), (3, "type"), (5, "opened_at"), (7, "id"), (8, "impact")]);
        assert_eq!(d.rows_read, 6);
        assert_eq!(d.tickets.len(), 1);
        assert!(d.rejections[3].reason.contains("line 6"));
    }

    #[test]
    fn timestamps_local_and_with_offset() {
        let c = LoadedContract::embedded();
        let a = parse_timestamp("2026-10-05T09:00", &c).unwrap();
        let b = parse_timestamp("2026-10-05T07:00:00Z", &c).unwrap();
        let e = parse_timestamp("2026-10-05 09:00:00+02:00", &c).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, e);
        // In winter Amsterdam is UTC+1.
        assert_eq!(parse_timestamp("2026-11-05T09:00", &c).unwrap(), parse_timestamp("2026-11-05T08:00Z", &c).unwrap());
        assert!(parse_timestamp("2026-03-29T02:30", &c).unwrap_err().contains("does not exist"));
    }

    #[test]
    fn missing_required_column_is_an_error() {
        let e = load_tickets_csv(b"id,type,school\n1,incident,S\n", "tickets.csv", &LoadedContract::embedded()).unwrap_err();
        assert!(e.message.contains("category") && e.message.contains("opened_at"), "{e}");
    }

    #[test]
    fn extra_columns_are_noted_and_order_is_free() {
        let d = load("opened_at,priority,foo,id,type,school,category\n2026-10-05T09:00,P4,bar,A,change,S,netwerk\n");
        assert_eq!(d.tickets.len(), 1);
        assert!(d.notes[0].contains("foo"));
    }
}
