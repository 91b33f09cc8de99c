//! Loading the data folder: `tickets.csv` read with polars, then validated row by row.
//!
//! Every row ends in exactly one place: a valid [`Ticket`], or a [`Rejection`] that names the
//! file, line, column and what to fix. Nothing is dropped silently: suspicious but usable
//! values become [`Warning`]s, extra columns a note. Line numbers are physical lines of the
//! file (a quoted field may span lines), found by a quote-aware scan of the bytes, so a user
//! can jump straight to the row in an editor.
//!
//! An export in another shape (ServiceNow, TOPdesk, Jira, any CSV or XLSX) goes through a
//! mapping first ([`crate::mapping`]), which hands every row on as a [`Row`]: canonical column
//! → value, with the export's own file, line and column names, so that a rejection points at
//! the user's file (`export.csv:17: column "Datum melding"`), never at an intermediate table.
//! The validation below ([`parse_row`]) is the same for both.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::contract::LoadedContract;
use crate::error::Error;
use crate::mapping::{LoadedMapping, MappingReport};
use crate::ticket::{ChangeClass, Channel, Level, Priority, Ticket, TicketType};

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

/// Everything read from a data folder.
#[derive(Debug, Clone, Default)]
pub struct DataSet {
    pub dir: PathBuf,
    pub tickets: Vec<Ticket>,
    /// Rows of the ticket file; for an event log (several rows per ticket) the tickets it
    /// holds, the reduction said in `notes`.
    pub rows_read: u64,
    pub rejections: Vec<Rejection>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    pub files: Vec<InputFile>,
    /// The phone log, when the folder has `calls.csv`.
    pub calls: Option<Vec<crate::kpi::input::Call>>,
    pub measurements: Vec<crate::kpi::input::Measurement>,
    /// The name of the file the tickets came from (`tickets.csv`, or the user's export);
    /// empty means `tickets.csv`. Read it with [`DataSet::tickets_file`].
    pub tickets_file: String,
    /// What the mapping did, when the tickets came from an export through a mapping.
    pub mapping: Option<MappingReport>,
    /// The preventive measures of the RCA files in `rca/`, by ticket.
    pub preventive_measures: Vec<crate::rca::RcaMeasure>,
    /// The improvement log (`verbeteracties.csv`), when the folder has one.
    pub improvement_actions: Option<Vec<crate::voice::ImprovementAction>>,
    /// The complaints (`klachten.csv`) and escalations (`escalaties.csv`), when there.
    pub complaints: Option<Vec<crate::voice::Complaint>>,
    pub escalations: Option<Vec<crate::voice::Escalation>>,
    /// Files that shape a report without rows to count (the RCA files, the commentary files):
    /// name within the data folder and SHA-256, for the manifest.
    pub documents: Vec<(String, String)>,
    /// The commentary files of `toelichting/`, by period label (`2026-10`, `2026-Q3`).
    pub commentary: std::collections::BTreeMap<String, crate::voice::commentary::CommentaryFile>,
}

impl DataSet {
    /// The file the tickets came from: its rejections are the ticket rejections.
    pub fn tickets_file(&self) -> &str {
        if self.tickets_file.is_empty() { "tickets.csv" } else { &self.tickets_file }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the tickets come from: the canonical `tickets.csv` / `tickets.xlsx`, or an export
/// read through a mapping (a built-in profile or the user's file).
#[derive(Debug, Clone, Default)]
pub struct TicketSource {
    /// The mapping to read the export with; `None`: the canonical columns.
    pub mapping: Option<LoadedMapping>,
    /// The file to read; `None`: the mapping's `source.file`, else the folder's own.
    pub file: Option<PathBuf>,
}

/// Reads the data folder `dir`: `DIR/mapping.toml` when it exists, else `tickets.csv`, else
/// `tickets.xlsx`, plus the optional `calls.csv` and `measurements.csv`.
pub fn load_data_dir(dir: &Path, contract: &LoadedContract) -> Result<DataSet, Error> {
    load_data_dir_from(dir, contract, &TicketSource::default())
}

/// Reads the data folder `dir`, the tickets from `source` (see [`TicketSource`]).
pub fn load_data_dir_from(dir: &Path, contract: &LoadedContract, source: &TicketSource) -> Result<DataSet, Error> {
    if !dir.is_dir() {
        return Err(Error::new(format!("data folder {} does not exist", dir.display()))
            .with_hint("pass the folder that holds tickets.csv with --data"));
    }
    let read = |path: &Path, what: &str| crate::limits::read_file(path, crate::limits::MAX_DATA_FILE_BYTES, what);
    let mapping = match &source.mapping {
        Some(m) => Some(m.clone()),
        None if dir.join(crate::mapping::FOLDER_MAPPING).exists() => {
            Some(LoadedMapping::from_file(&dir.join(crate::mapping::FOLDER_MAPPING))?)
        }
        None => None,
    };
    let mut data = match mapping {
        Some(m) => {
            let path = crate::mapping::export_path(&m, source.file.as_deref(), dir)?;
            let bytes = read(&path, "export")?;
            crate::mapping::load_export_owned(bytes, &file_name(&path), &m, contract)?
        }
        None => {
            let path = match &source.file {
                Some(p) => p.clone(),
                None if !dir.join("tickets.csv").exists() && dir.join("tickets.xlsx").is_file() => dir.join("tickets.xlsx"),
                None => dir.join("tickets.csv"),
            };
            let bytes = read(&path, "tickets file").map_err(|e| {
                if path.exists() {
                    return e;
                }
                e.with_hint("the data folder must hold tickets.csv (or tickets.xlsx); see the README for its columns")
                    .with_hint("for an export from ServiceNow, TOPdesk or Jira add --profile servicenow|topdesk|jira, for any other export write a mapping file and pass --mapping FILE")
            })?;
            let name = file_name(&path);
            if is_xlsx(&path) {
                let table = crate::mapping::SheetTable::read(&bytes, &name, None)?;
                let mut data = load_tickets_table(&table, &name, contract)?;
                data.notes.extend(table.notes.iter().cloned());
                data.files.push(InputFile { name: name.clone(), sha256: table.sha256.clone(), rows: Cells::height(&table) as u64 });
                data
            } else {
                // The file's bytes go as soon as the table holds the cells, before the tickets
                // are made (at a million tickets 200 MB less at the peak).
                let read = CsvTable::read_or_windows_1252(&bytes, &name)?;
                drop(bytes);
                tickets_of_table(read, &name, contract)?
            }
        }
    };
    data.dir = dir.to_path_buf();
    let read_optional = |name: &str| -> Result<Option<Vec<u8>>, Error> {
        let p = dir.join(name);
        if !p.exists() {
            return Ok(None);
        }
        read(&p, "data file").map(Some)
    };
    match read_optional("calls.csv")? {
        Some(bytes) => {
            let (calls, rejections, table) = crate::kpi::input::load_calls(&bytes, "calls.csv", contract)?;
            data.files.push(InputFile { name: "calls.csv".into(), sha256: table.sha256, rows: (table.height + table.broken.len()) as u64 });
            data.notes.extend(table.notes);
            data.rejections.extend(rejections);
            data.calls = Some(calls);
        }
        None => data.notes.push("calls.csv is not in the data folder: reachability by phone has no data".into()),
    }
    match read_optional("measurements.csv")? {
        Some(bytes) => {
            let (ms, rejections, table) = crate::kpi::input::load_measurements(&bytes, "measurements.csv", contract)?;
            data.files.push(InputFile { name: "measurements.csv".into(), sha256: table.sha256, rows: (table.height + table.broken.len()) as u64 });
            data.notes.extend(table.notes);
            data.rejections.extend(rejections);
            data.measurements = ms;
        }
        None => data.notes.push("measurements.csv is not in the data folder: KPIs measured in other systems have no data".into()),
    }
    // The preventive measures of the RCA files, for the reports' list of open measures.
    let (measures, notes, rca_files) = crate::rca::read_preventive_measures(dir);
    data.documents.extend(rca_files);
    data.preventive_measures = measures;
    data.notes.extend(notes);
    // The provider's own logs: improvement actions, complaints, escalations.
    crate::voice::load_logs(dir, contract, &mut data)?;
    Ok(data)
}

/// Warnings for tickets with a time after the day the report is made (`--today`): odd (the
/// export cannot know the future), but possible when an older report is made again from a
/// newer export, so the ticket counts as written. One warning per ticket, for its first such
/// time; the warnings stay in file order.
pub fn warn_after_today(data: &mut DataSet, today: chrono::NaiveDate, contract: &LoadedContract) {
    let Some(end) = today.succ_opt().and_then(|d| contract.clock.instant(d.and_time(chrono::NaiveTime::MIN))) else { return };
    let file = data.tickets_file().to_string();
    let mut added = Vec::new();
    for t in &data.tickets {
        let times = [
            ("opened_at", Some(t.opened_at)),
            ("responded_at", t.responded_at),
            ("resolved_at", t.resolved_at),
            ("closed_at", t.closed_at),
            ("escalated_at", t.escalated_at),
            ("rca_delivered_at", t.rca_delivered_at),
        ];
        if let Some((col, Some(at))) = times.into_iter().find(|(_, at)| at.is_some_and(|at| at >= end)) {
            let value = contract.clock.local(at).format("%Y-%m-%dT%H:%M").to_string();
            let today = today.to_string();
            added.push(Warning {
                file: file.clone(),
                line: t.line,
                ticket_id: t.id.clone(),
                column: col.into(),
                message: format!("{col} ({value}) lies after the day the report is made ({today})"),
                code: "after_today".into(),
                args: [("column", col), ("value", value.as_str()), ("today", today.as_str())].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            });
        }
    }
    if !added.is_empty() {
        data.warnings.extend(added);
        data.warnings.sort_by_key(|w| w.line);
    }
}

/// The file's name as messages show it.
pub fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Whether `path` names an Excel workbook (read with calamine) rather than a text file.
pub fn is_xlsx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// A table of text cells with the physical line of each record: a CSV file read with polars
/// ([`CsvTable`]) or a worksheet read with calamine ([`crate::mapping::SheetTable`]).
pub trait Cells {
    /// Header names, trimmed, in file order.
    fn names(&self) -> &[String];
    /// Number of records after the header.
    fn height(&self) -> usize;
    /// The text of a cell as in the file, `None` when the record has no such cell.
    fn cell(&self, col: usize, row: usize) -> Option<&str>;
    /// The physical line (CSV) or sheet row (XLSX) of record `row`, 1-based.
    fn line(&self, row: usize) -> u64;
    /// Rows of the file that could not be split into the header's fields (not in the table),
    /// in file order: each is a rejected row.
    fn broken(&self) -> &[crate::csv_records::BrokenRow] {
        &[]
    }
    /// The cells of record `row` at `positions` (`None` where a position is `None`).
    fn row_cells<'s>(&'s self, row: usize, positions: &[Option<usize>], out: &mut [Option<&'s str>]) {
        for (cell, pos) in out.iter_mut().zip(positions) {
            *cell = pos.and_then(|p| self.cell(p, row));
        }
    }
}

type StrArray = <StringType as PolarsDataType>::Array;

/// A CSV file read with polars, every column as text, with the physical line of each record.
pub struct CsvTable {
    /// Header names, trimmed.
    pub names: Vec<String>,
    columns: Vec<StringChunked>,
    /// The columns' arrays (polars reads a file in batches, one array per batch and column),
    /// indexed `[column][batch]`, and the first record of every batch: a cell is then one
    /// binary search and an array lookup, not a walk over the batches per cell.
    batches: Vec<Vec<StrArray>>,
    batch_starts: Vec<usize>,
    lines: Vec<u64>,
    pub height: usize,
    /// The bytes hashed, for the manifest.
    pub sha256: String,
    /// Rows that could not be split into the header's fields (not in the table).
    pub broken: Vec<crate::csv_records::BrokenRow>,
    /// What was repaired or skipped while reading, for the report's notes.
    pub notes: Vec<String>,
}

impl CsvTable {
    /// Reads `bytes` (UTF-8, optional BOM, comma-separated, header row).
    pub fn read(bytes: &[u8], file: &str) -> Result<CsvTable, Error> {
        Self::read_with(bytes, file, false).map(|(table, _)| table)
    }

    /// As [`CsvTable::read`], but a file that is not UTF-8 is read as Windows-1252 (what
    /// Excel saves as "CSV" on a Dutch Windows; every byte is a character there, so it always
    /// decodes), with a note saying so.
    pub fn read_or_windows_1252(bytes: &[u8], file: &str) -> Result<(CsvTable, Option<String>), Error> {
        Self::read_with(bytes, file, true)
    }

    fn read_with(bytes: &[u8], file: &str, windows_1252: bool) -> Result<(CsvTable, Option<String>), Error> {
        crate::csv_records::check_encoding(bytes, file)?;
        // The hash (for the manifest) is taken beside the parse, on another core.
        std::thread::scope(|scope| {
            let sha256 = scope.spawn(|| sha256_hex(bytes));
            let read = |text: &str| Self::read_text(text, file, crate::mapping::detect_delimiter(text), String::new());
            // Comma-separated, or what a Dutch Excel saves: semicolons (or tabs); UTF-8, or
            // UTF-16 with its mark (Excel's "Unicode text").
            let (mut table, note) = match (crate::csv_records::decode_bom(bytes, file)?, std::str::from_utf8(bytes)) {
                (Some((text, _)), _) => (read(&text)?, None),
                (None, Ok(text)) => (read(text)?, None),
                (None, Err(_)) if windows_1252 => {
                    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    (read(&text)?, Some(format!("{file} is not UTF-8 text: it was read as Windows-1252 (what Excel calls ANSI); save it as \"CSV UTF-8\" to be sure")))
                }
                (None, Err(_)) => {
                    return Err(Error::new(format!("{file} is not UTF-8 text"))
                        .with_hint("save the export as UTF-8 (CSV UTF-8 in Excel)"));
                }
            };
            table.sha256 = sha256.join().expect("hashing");
            Ok((table, note))
        })
    }

    /// Reads decoded text with the given field separator; `sha256` is that of the file's
    /// original bytes.
    pub fn read_text(text: &str, file: &str, separator: u8, sha256: String) -> Result<CsvTable, Error> {
        Self::read_text_with(text, file, separator, sha256, None::<fn(&[String]) -> Result<Vec<bool>, Error>>)
    }

    /// [`CsvTable::read_text`] of the columns that `columns`, given the header's names, keeps
    /// (`true`; `None`: all); the others keep their names but hold no cells (never read, so
    /// never held).
    pub fn read_text_with(
        text: &str,
        file: &str,
        separator: u8,
        sha256: String,
        columns: Option<impl FnOnce(&[String]) -> Result<Vec<bool>, Error>>,
    ) -> Result<CsvTable, Error> {
        let records = crate::csv_records::scan(text.as_bytes(), separator, file)?;
        let bytes = records.repaired.as_deref().unwrap_or(text.as_bytes());
        let read = |rows: Option<usize>, projection: Option<Vec<usize>>| {
            CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(0))
                .with_n_rows(rows)
                .with_projection(projection.map(Arc::new))
                .map_parse_options(|o| o.with_separator(separator))
                .into_reader_with_file_handle(Cursor::new(bytes))
                .finish()
                .map_err(|e| {
                    let sep = match separator {
                        b',' => "comma".to_string(),
                        b';' => "semicolon".to_string(),
                        b'\t' => "tab".to_string(),
                        s => format!("'{}'", s as char),
                    };
                    // Polars' words for the usual causes, in the user's terms.
                    let why = e.to_string();
                    let plain = if why.contains("more fields") {
                        "a row has more fields than the header has columns".to_string()
                    } else {
                        crate::limits::shown(&why).into_owned()
                    };
                    Error::new(format!("{file} cannot be read as CSV: {plain}"))
                        .with_hint(format!("it must be {sep}-separated with a header row; a text with a {sep} in it must be in double quotes, and every quote must be closed"))
                })
        };
        let names_of = |df: &DataFrame| name_unnamed(df.get_column_names().iter().map(|s| s.trim().to_string()).collect());
        let (names, keep, df) = match columns {
            None => {
                let df = read(None, None)?;
                let names = names_of(&df);
                (names.clone(), vec![true; names.len()], df)
            }
            Some(choose) => {
                // The header first (no records), then the chosen columns.
                let names = names_of(&read(Some(0), None)?);
                let mut keep = choose(&names)?;
                keep.resize(names.len(), false);
                if !keep.contains(&true) && !keep.is_empty() {
                    // One column is read, for the number of records.
                    keep[0] = true;
                }
                let kept: Vec<usize> = (0..names.len()).filter(|&i| keep[i]).collect();
                let df = read(None, (kept.len() < names.len()).then_some(kept))?;
                (names, keep, df)
            }
        };
        let kept: Vec<usize> = (0..names.len()).filter(|&i| keep[i]).collect();
        let mut read_columns = Vec::with_capacity(kept.len());
        for (idx, &i) in kept.iter().enumerate() {
            let col = df.select_at_idx(idx).expect("column index");
            read_columns.push(col.str().map_err(|e| Error::new(format!("{file}: column {}: {e}", names[i])))?.clone());
        }
        let height = df.height();
        drop(df);
        // One batch layout for all columns (as polars' reader makes them); else one batch.
        let layout = |c: &StringChunked| c.chunks().iter().map(|a| a.len()).collect::<Vec<_>>();
        if read_columns.iter().any(|c| layout(c) != layout(&read_columns[0])) {
            for c in &mut read_columns {
                *c = c.rechunk().into_owned();
            }
        }
        let mut batch_starts = Vec::new();
        let mut start = 0;
        for len in read_columns.first().map(layout).unwrap_or_default() {
            batch_starts.push(start);
            start += len;
        }
        // Every column of the header in its place; one not read has no cells.
        let mut read_columns = read_columns.into_iter();
        let columns: Vec<StringChunked> = (0..names.len())
            .map(|i| if keep[i] { read_columns.next().expect("a read column") } else { StringChunked::full_null(names[i].as_str().into(), 0) })
            .collect();
        let batches: Vec<Vec<StrArray>> =
            columns.iter().zip(&keep).map(|(c, k)| if *k { c.downcast_iter().cloned().collect() } else { Vec::new() }).collect();
        let mut lines = records.lines;
        if lines.len() != height {
            lines = (0..height as u64).map(|i| i + 2).collect();
        }
        Ok(CsvTable { names, columns, batches, batch_starts, lines, height, sha256, broken: records.broken, notes: records.notes })
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

impl Cells for CsvTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn height(&self) -> usize {
        self.height
    }
    fn cell(&self, col: usize, row: usize) -> Option<&str> {
        if row >= self.height {
            return None;
        }
        let b = self.batch_starts.partition_point(|s| *s <= row) - 1;
        let array = self.batches.get(col)?.get(b)?;
        polars::datatypes::StaticArray::get(array, row - self.batch_starts[b])
    }
    fn row_cells<'s>(&'s self, row: usize, positions: &[Option<usize>], out: &mut [Option<&'s str>]) {
        // One batch lookup for the whole record.
        let b = if row < self.height { self.batch_starts.partition_point(|s| *s <= row) - 1 } else { usize::MAX };
        for (cell, pos) in out.iter_mut().zip(positions) {
            *cell = pos.and_then(|p| {
                let array = self.batches.get(p)?.get(b)?;
                polars::datatypes::StaticArray::get(array, row - self.batch_starts[b])
            });
        }
    }
    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }
    fn broken(&self) -> &[crate::csv_records::BrokenRow] {
        &self.broken
    }
}

/// Header names with the columns that have none named by their position (`column 37`), so
/// that every list of columns can show them. The CSV reader calls a second nameless column
/// `_duplicated_0` (and so on): that one has no name either.
pub(crate) fn name_unnamed(mut names: Vec<String>) -> Vec<String> {
    let mut nameless_seen = false;
    for (i, n) in names.iter_mut().enumerate() {
        let repeat_of_nameless = nameless_seen && n.strip_prefix("_duplicated_").is_some_and(|k| k.parse::<u32>().is_ok());
        if n.trim().is_empty() || repeat_of_nameless {
            nameless_seen = true;
            *n = format!("column {}", i + 1);
        }
    }
    names
}

/// The rejection of a row that cannot be split into the header's fields.
pub fn broken_row(file: &str, b: &crate::csv_records::BrokenRow) -> Rejection {
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

/// The trimmed field, `None` when the column is absent or the field empty.
pub fn field<'a>(col: Option<&'a StringChunked>, i: usize) -> Option<&'a str> {
    let v = col?.get(i)?.trim();
    if v.is_empty() { None } else { Some(v) }
}

/// Parses canonical ticket CSV bytes (for the unit tests; a data folder's file is read by
/// `load_data_dir_from`, which frees the bytes before the tickets are made).
#[cfg(test)]
pub(crate) fn load_tickets_csv(
    bytes: &[u8],
    file: &str,
    contract: &LoadedContract,
) -> Result<DataSet, Error> {
    tickets_of_table(CsvTable::read_or_windows_1252(bytes, file)?, file, contract)
}

/// The tickets of canonical CSV read into `table` (with the note of its reading).
fn tickets_of_table((table, note): (CsvTable, Option<String>), file: &str, contract: &LoadedContract) -> Result<DataSet, Error> {
    let mut data = load_tickets_table(&table, file, contract)?;
    data.notes.extend(note);
    data.notes.extend(table.notes.iter().cloned());
    data.files.push(InputFile { name: file.into(), sha256: table.sha256.clone(), rows: (table.height + table.broken.len()) as u64 });
    drop(table);
    Ok(data)
}

/// Validates a table with the canonical columns (from `tickets.csv` or `tickets.xlsx`); the
/// caller adds the file to `files`.
pub fn load_tickets_table(table: &(dyn Cells + Sync), file: &str, contract: &LoadedContract) -> Result<DataSet, Error> {
    let names = table.names();
    let mut data = DataSet { tickets_file: file.into(), ..DataSet::default() };
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
            .with_hint(format!("the header must name at least: {}, and priority or impact + urgency", REQUIRED.join(", ")))
            .with_hint("an export with other column names needs a mapping: --profile servicenow|topdesk|jira or --mapping FILE"));
    }
    // Canonical column → position in the file (the first, when a name repeats).
    let positions: Vec<Option<usize>> = COLUMNS.iter().map(|c| names.iter().position(|n| n == c)).collect();
    let height = table.height();
    // Rows are made and checked one at a time (a million rows never sit in memory as rows,
    // only as tickets), in as many chunks as there are cores; the chunks' results are then
    // taken in file order, so ids and messages are exactly as in one pass.
    let row_at = |i: usize| {
        let mut row = Row::new(file, table.line(i), COLUMNS, false);
        table.row_cells(i, &positions, &mut row.values);
        for v in &mut row.values {
            *v = v.map(str::trim).filter(|v| !v.is_empty());
        }
        row
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    // Small files are not worth a thread (unit tests use small chunks to exercise the split).
    let min_chunk = if cfg!(test) { 1_000 } else { 50_000 };
    let chunk = height.div_ceil(threads).max(min_chunk);
    let chunks: Vec<Checked> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..height)
            .step_by(chunk)
            .map(|start| {
                let row_at = &row_at;
                scope.spawn(move || {
                    // The first chunk's list has room for every ticket: the others are
                    // appended to it without a second allocation.
                    let mut out = Checked::with_capacity(if start == 0 { height } else { chunk });
                    for i in start..(start + chunk).min(height) {
                        let row = row_at(i);
                        let mut warnings = Vec::new();
                        match parse_row(&row, contract, &mut warnings) {
                            Ok(ticket) => {
                                out.lines.push(row.line);
                                out.warnings.extend(warnings.into_iter().map(|w| (out.tickets.len(), w)));
                                out.tickets.push(ticket);
                            }
                            Err(r) => out.rejections.push(r),
                        }
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("row validation")).collect()
    });
    data.rows_read += (height + table.broken().len()) as u64;
    // Repeated ids, in file order: the first row with an id counts, a later one is rejected
    // (and its warnings dropped, they belong to no ticket).
    let mut seen = SeenIds::default();
    seen.reserve(height);
    let mut repeated: Vec<Vec<usize>> = Vec::with_capacity(chunks.len());
    let mut repeat_rejections = Vec::new();
    for c in &chunks {
        let mut here = Vec::new();
        for (k, (t, line)) in c.tickets.iter().zip(&c.lines).enumerate() {
            if let Some(first) = seen.get(t.id.as_str()) {
                repeat_rejections.push(repeated_id(file, *line, "id", &t.id, *first));
                here.push(k);
            } else {
                seen.insert(t.id.as_str(), *line);
            }
        }
        repeated.push(here);
    }
    drop(seen);
    let mut parse_rejections = Vec::new();
    for (mut c, here) in chunks.into_iter().zip(repeated) {
        if !here.is_empty() {
            let dropped: std::collections::HashSet<usize> = here.into_iter().collect();
            c.warnings.retain(|(k, _)| !dropped.contains(k));
            let mut k = 0;
            c.tickets.retain(|_| {
                k += 1;
                !dropped.contains(&(k - 1))
            });
        }
        data.warnings.extend(c.warnings.into_iter().map(|(_, w)| w));
        parse_rejections.extend(c.rejections);
        if data.tickets.is_empty() {
            data.tickets = c.tickets;
        } else {
            data.tickets.append(&mut c.tickets);
        }
    }
    // The lists are in file order: merged by line they are the rejections in file order.
    let broken = table.broken().iter().map(|b| broken_row(file, b)).collect();
    data.rejections = merge_by_line(merge_by_line(parse_rejections, repeat_rejections), broken);
    note_dropped(&mut data);
    Ok(data)
}

/// The rejection of a row whose ticket id an earlier row (on line `first`) already has.
fn repeated_id(file: &str, line: u64, column: &str, id: &str, first: u64) -> Rejection {
    Rejection {
        file: file.into(),
        line,
        column: column.into(),
        value: id.into(),
        reason: format!("duplicate id; the first row with this id, on line {first}, counts"),
        hint: "remove the repeated row or give it its own id".into(),
        ..Default::default()
    }
    .coded("duplicate_id", &[("first", &first.to_string())])
}

/// What one chunk of rows gave, in file order.
struct Checked {
    tickets: Vec<Ticket>,
    /// The line of every ticket's row.
    lines: Vec<u64>,
    /// Warnings with the index of their ticket in `tickets`.
    warnings: Vec<(usize, Warning)>,
    rejections: Vec<Rejection>,
}

impl Checked {
    fn with_capacity(n: usize) -> Checked {
        Checked { tickets: Vec::with_capacity(n), lines: Vec::with_capacity(n), warnings: Vec::new(), rejections: Vec::new() }
    }
}

/// Two lists of rejections of one file, each in line order, as one list in line order.
pub(crate) fn merge_by_line(a: Vec<Rejection>, b: Vec<Rejection>) -> Vec<Rejection> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.line <= y.line,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// The line of the first row of every ticket id seen, for repeated ids. Keys borrow the
/// input's text: no copy of a million ids.
type SeenIds<'a> = HashMap<&'a str, u64, foldhash::fast::FixedState>;

/// Validates rows (or rows a mapping already rejected) into `data`: tickets, rejections
/// (also for a repeated id) and warnings; counts them in `rows_read`.
pub fn validate_rows<'a>(data: &mut DataSet, rows: impl IntoIterator<Item = Result<Row<'a>, Rejection>>, contract: &LoadedContract) {
    let mut seen = SeenIds::default();
    for row in rows {
        match row {
            Ok(row) => {
                let mut warnings = Vec::new();
                let result = parse_row(&row, contract, &mut warnings);
                accept(data, &mut seen, Parsed { file: row.file, line: row.line, id: row.get("id"), id_label: row.label("id"), result, warnings });
            }
            Err(r) => {
                data.rows_read += 1;
                data.rejections.push(r);
            }
        }
    }
}

/// One row checked: its ticket or rejection, and its warnings.
struct Parsed<'a> {
    file: &'a str,
    line: u64,
    /// The id as in the input (the ticket's id), borrowed for the table of ids seen.
    id: Option<&'a str>,
    id_label: &'a str,
    result: Result<Ticket, Rejection>,
    warnings: Vec<Warning>,
}

/// Takes one checked row, in file order: a repeated id is rejected (the first row with it
/// counts); a rejected row's warnings are dropped (they belong to nobody).
fn accept<'a>(data: &mut DataSet, seen: &mut SeenIds<'a>, p: Parsed<'a>) {
    data.rows_read += 1;
    match p.result {
        Ok(ticket) => {
            let id = p.id.expect("a valid ticket has an id");
            debug_assert_eq!(id, ticket.id);
            if let Some(first) = seen.get(id) {
                data.rejections.push(repeated_id(p.file, p.line, p.id_label, &ticket.id, *first));
            } else {
                seen.insert(id, p.line);
                data.warnings.extend(p.warnings);
                data.tickets.push(ticket);
            }
        }
        Err(r) => data.rejections.push(r),
    }
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

/// A note per column whose values were dropped (see [`UNUSED_BY_FIGURES`]): how many, and the
/// first line.
pub(crate) fn note_dropped(data: &mut DataSet) {
    let mut by_column: std::collections::BTreeMap<&str, (u64, u64)> = std::collections::BTreeMap::new();
    for w in data.warnings.iter().filter(|w| w.code == "value_dropped") {
        let e = by_column.entry(w.column.as_str()).or_insert((0, w.line));
        e.0 += 1;
        e.1 = e.1.min(w.line);
    }
    let file = data.tickets_file().to_string();
    let notes: Vec<String> = by_column
        .into_iter()
        .map(|(col, (n, first))| format!("{file}: {n} value(s) of {col} dropped, their tickets counted (unreadable, or before the opening or resolution; first on line {first}; no figure uses it)"))
        .collect();
    data.notes.extend(notes);
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

pub fn parse_row(row: &Row, contract: &LoadedContract, warnings: &mut Vec<Warning>) -> Result<Ticket, Rejection> {
    let id = row.required("id")?;
    let type_raw = row.required("type")?;
    let ticket_type = TicketType::parse(type_raw).ok_or_else(|| {
        row.reject("type", type_raw, format!("\"{}\" is not a ticket type", crate::limits::shown(type_raw)), row.vocabulary_hint("type", "incident, service_request or change"))
            .coded(row.vocabulary_code("not_a_type"), &[("value", type_raw), ("expected", "incident, service_request or change"), ("column", "type")])
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
        id: id.to_string(),
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
    #[test]
    fn chunked_validation_equals_one_pass() {
        // The demo's 9,642 rows in chunks of 1,000 (cfg(test)), against one sequential pass;
        // with two rows repeated at the end (ids first seen in another chunk), one of them a
        // row with a warning: the repeat is rejected and its warning dropped.
        let c = LoadedContract::embedded();
        let demo = std::fs::read_to_string("fixtures/demo/tickets.csv").unwrap();
        let first = load_tickets_csv(demo.as_bytes(), "tickets.csv", &c).unwrap();
        let physical: Vec<&str> = demo.lines().collect();
        let warned = physical[first.warnings[0].line as usize - 1];
        assert!(!warned.contains('"') && warned.starts_with(&first.warnings[0].ticket_id));
        let bytes = format!("{demo}{warned}\n{}\n", physical[1]).into_bytes();
        let chunked = load_tickets_csv(&bytes, "tickets.csv", &c).unwrap();
        let end = physical.len() as u64;
        let repeats: Vec<&Rejection> = chunked.rejections.iter().filter(|r| r.line > end).collect();
        assert_eq!(repeats.len(), 2, "{repeats:?}");
        assert!(repeats.iter().all(|r| r.reason.starts_with("duplicate id")));
        assert!(chunked.warnings.iter().all(|w| w.line <= end));
        let table = CsvTable::read(&bytes, "tickets.csv").unwrap();
        let positions: Vec<Option<usize>> = COLUMNS.iter().map(|col| table.names.iter().position(|n| n == col)).collect();
        let mut one = DataSet::default();
        let rows = (0..table.height).map(|i| {
            let mut row = Row::new("tickets.csv", table.line(i), COLUMNS, false);
            for (k, pos) in positions.iter().enumerate() {
                if let Some(p) = pos {
                    row.values[k] = table.cell(*p, i).map(str::trim).filter(|v| !v.is_empty());
                }
            }
            Ok(row)
        });
        validate_rows(&mut one, rows, &c);
        assert_eq!(chunked.rows_read, one.rows_read);
        assert_eq!(chunked.tickets, one.tickets);
        assert_eq!(chunked.rejections, one.rejections);
        assert_eq!(chunked.warnings, one.warnings);
        assert!(!chunked.rejections.is_empty() && !chunked.warnings.is_empty());
    }

    #[test]
    fn column_index_matches_the_column_list() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(super::column_index(c), Some(i), "{c}");
        }
        assert_eq!(super::column_index("nope"), None);
    }

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
        assert!(parse_timestamp("2026-03-29T02:30", &c).unwrap_err().reason.contains("does not exist"));
    }

    #[test]
    fn semicolon_separated_is_read_and_a_ragged_row_is_explained() {
        let c = LoadedContract::embedded();
        let csv = "id;type;school;category;priority;opened_at\n1;incident;S;n;P1;2026-10-05T09:00\n";
        let d = load_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!((d.tickets.len(), d.rejections.len()), (1, 0));
        // A row with fields too many is that row rejected, with its line; the rest is read.
        let csv = "id,type,school,category,priority,opened_at\n1,incident,S,n,P1,2026-10-05T09:00,extra,fields\n2,incident,S,n,P1,2026-10-05T09:00\n";
        let d = load_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!((d.rows_read, d.tickets.len()), (2, 1));
        let r = &d.rejections[0];
        assert_eq!((r.line, r.code.as_str()), (2, "row_fields"));
        assert!(r.reason.contains("the row has 8 fields, the header has 6 columns"), "{}", r.reason);
        assert!(r.hint.contains("double quotes"), "{}", r.hint);
    }

    const SHORT: &str = "id,type,school,category,priority,opened_at,summary";

    #[test]
    fn an_inch_mark_in_an_unquoted_field_is_read_as_written() {
        let csv = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,Monitor 24\" flikkert\nT2,incident,S,werkplek,P3,2026-10-05T09:00,ok\n");
        let d = load(&csv);
        assert_eq!(d.rejections, vec![]);
        assert_eq!(d.tickets[0].summary, "Monitor 24\" flikkert");
        assert_eq!(d.tickets[1].line, 3);
        assert!(d.notes.iter().any(|n| n.contains("read as the character")), "{:?}", d.notes);
    }

    #[test]
    fn an_unclosed_quote_names_the_line_where_it_opens() {
        let mut csv = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,\"Monitor kapot\n");
        for i in 2..500 {
            csv += &format!("T{i},incident,S,werkplek,P3,2026-10-05T09:00,niets bijzonders\n");
        }
        let e = load_tickets_csv(csv.as_bytes(), "t.csv", &LoadedContract::embedded()).unwrap_err();
        assert!(e.message.contains("line 2") && e.message.contains("never closed"), "{e}");
        assert!(e.to_string().len() < 600, "the error does not quote the file: {e}");
    }

    #[test]
    fn line_ends_blank_lines_and_empty_rows() {
        let row = |id: &str| format!("{id},incident,S,werkplek,P3,2026-10-05T09:00,x");
        // CR-only line ends (old Mac): every row read.
        let csv = format!("{SHORT}\r{}\r{}\r", row("T1"), row("T2"));
        let d = load(&csv);
        assert_eq!((d.rows_read, d.tickets.len()), (2, 2));
        assert_eq!(d.tickets[1].line, 3);
        // Trailing blank, white and separator-only lines are no rows.
        let csv = format!("{SHORT}\n{}\n\n  \n,,,,,,\n\r\n\n", row("T1"));
        let d = load(&csv);
        assert_eq!((d.rows_read, d.tickets.len(), d.rejections.len()), (1, 1, 0), "{:?}", d.rejections);
        // A blank line before a field over two lines does not shift the lines after it.
        let csv = format!("{SHORT}\n{}\n\nT2,incident,S,werkplek,P3,2026-10-05T09:00,\"twee\nregels\"\nT3,storm,S,werkplek,P3,2026-10-05T09:00,x\n", row("T1"));
        let d = load(&csv);
        assert_eq!(d.tickets.iter().map(|t| t.line).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(d.rejections[0].line, 6);
    }

    #[test]
    fn encodings_that_lie_are_named() {
        let c = LoadedContract::embedded();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(format!("{SHORT}\nT1,incident,Caf").as_bytes());
        bom.extend_from_slice(b"\xe9,werkplek,P3,2026-10-05T09:00,x\n");
        let e = load_tickets_csv(&bom, "t.csv", &c).unwrap_err();
        assert!(e.message.contains("UTF-8 mark") && e.message.contains("line 2"), "{e}");
        let utf16: Vec<u8> = format!("{SHORT}\nT1,incident,S,werkplek,P3,2026-10-05T09:00,x\n").encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let e = load_tickets_csv(&utf16, "t.csv", &c).unwrap_err();
        assert!(e.message.contains("UTF-16"), "{e}");
        // With its mark, UTF-16 is read.
        let mut marked = vec![0xFF, 0xFE];
        marked.extend_from_slice(&utf16);
        assert_eq!(load_tickets_csv(&marked, "t.csv", &c).unwrap().tickets.len(), 1);
    }

    #[test]
    fn impossible_times_are_rejected_and_odd_ones_warned() {
        let row = |id: &str, opened: &str, rest: &str| format!("{id},incident,S,werkplek,P3,{opened},x{rest}\n");
        let head = format!("{SHORT},responded_at,resolved_at,closed_at,rca_delivered_at\n");
        let csv = [
            head,
            row("T1", "2026-10-05T09:00+25:00", ",,,,"),
            row("T2", "2026-10-05T09:00+99:99", ",,,,"),
            row("T3", "0000-10-05T09:00", ",,,,"),
            row("T4", "-0001-10-05T09:00:00Z", ",,,,"),
            row("T5", "2026-10-05T09:00", ",9999-01-01T09:00,,,"),
            row("T6", "2026-10-05T09:00", ",,,2026-10-04T09:00,"),
            row("T7", "2026-10-05T09:00", ",,,,2026-10-01T09:00"),
            row("T8", "2026-10-05T09:00", ",,,,1999-10-01T09:00"),
            row("T9", "2026-10-05T09:00", ",2026-12-01T09:00,,,"),
        ]
        .concat();
        let c = LoadedContract::embedded();
        let mut d = load(&csv);
        let got: Vec<(u64, &str, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str(), r.code.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "opened_at", "bad_offset"),
                (3, "opened_at", "bad_offset"),
                (4, "opened_at", "year_out_of_range"),
                (5, "opened_at", "year_out_of_range"),
                (6, "responded_at", "year_out_of_range"),
                (8, "rca_delivered_at", "before_opened"),
                (9, "rca_delivered_at", "year_out_of_range"),
            ]
        );
        assert!(d.rejections[0].reason.contains("\"+25:00\" is not a UTC offset"), "{}", d.rejections[0].reason);
        // A closing before the opening costs the value, not the ticket: no figure uses it.
        assert_eq!(d.tickets.len(), 2);
        let w = &d.warnings[0];
        assert_eq!((w.line, w.code.as_str(), w.column.as_str(), w.ticket_id.as_str()), (7, "value_dropped", "closed_at", "T6"));
        assert!(w.message.contains("closed_at lies before opened_at (2026-10-05T09:00)"), "{}", w.message);
        // In a Dutch report it reads in Dutch.
        let nl = crate::render::labels(&crate::render::world::TemplateSet::embedded(), crate::i18n::Lang::Nl).unwrap();
        let shown = w.localized(&nl);
        assert!(shown.starts_with("closed_at \"") && shown.contains("de waarde is weggelaten en het ticket telt mee"), "{shown}");
        assert_eq!(d.tickets[0].closed_at, None);
        // A response after the day the report is made counts, with a warning.
        warn_after_today(&mut d, chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), &c);
        assert_eq!(d.tickets.len(), 2);
        let w = &d.warnings[1];
        assert_eq!((w.line, w.code.as_str(), w.column.as_str()), (10, "after_today", "responded_at"));
        assert!(w.message.contains("2026-12-01T09:00") && w.message.contains("2026-11-02"), "{}", w.message);
    }

    #[test]
    fn a_closing_time_no_figure_uses_is_dropped_not_the_ticket() {
        let row = |id: &str, rest: &str| format!("{id},incident,S,werkplek,P3,2026-03-26T10:00,x{rest}\n");
        let csv = [
            format!("{SHORT},resolved_at,closed_at\n"),
            // In the hour the clocks skip on 29 March 2026.
            row("T1", ",2026-03-27T09:00,2026-03-29T02:30"),
            row("T2", ",2026-03-27T09:00,gisteren"),
            row("T3", ",2026-03-27T09:00,2026-03-27T08:00"),
            row("T4", ",2026-03-27T09:00,2026-03-30T09:00"),
            // A used field in the gap still rejects its row, with a hint that names the setting.
            row("T5", ",2026-03-29T02:15,"),
        ]
        .concat();
        let d = load(&csv);
        let ids: Vec<&str> = d.tickets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["T1", "T2", "T3", "T4"]);
        assert_eq!(d.tickets.iter().map(|t| t.closed_at.is_some()).collect::<Vec<_>>(), vec![false, false, false, true]);
        let got: Vec<(u64, &str, &str)> = d.warnings.iter().map(|w| (w.line, w.ticket_id.as_str(), w.code.as_str())).collect();
        assert_eq!(got, vec![(2, "T1", "value_dropped"), (3, "T2", "value_dropped"), (4, "T3", "value_dropped")]);
        assert!(d.warnings[0].message.contains("does not exist in Europe/Amsterdam"), "{}", d.warnings[0].message);
        assert!(d.warnings[2].message.contains("closed_at lies before resolved_at (2026-03-27T09:00)"), "{}", d.warnings[2].message);
        assert!(d.notes.iter().any(|n| n == "tickets.csv: 3 value(s) of closed_at dropped, their tickets counted (unreadable, or before the opening or resolution; first on line 2; no figure uses it)"), "{:?}", d.notes);
        let r = &d.rejections[0];
        assert_eq!((r.line, r.column.as_str(), r.code.as_str()), (6, "resolved_at", "time_in_gap"));
        assert!(r.hint.contains("dst_gap = \"shift\""), "{}", r.hint);
    }

    #[test]
    fn a_huge_bad_value_is_cut_in_every_message() {
        let huge = "P".repeat(20 << 20);
        let d = load(&format!("{SHORT}\nT1,incident,S,werkplek,{huge},2026-10-05T09:00,x\n"));
        let r = &d.rejections[0];
        assert!(r.reason.len() < 1_000 && r.value.len() <= 800, "{} / {}", r.reason.len(), r.value.len());
        assert!(r.reason.contains("cut: 20971520 characters in all"), "{}", &r.reason);
        assert!(r.value.starts_with("PPPP") && r.value.ends_with("… (cut: 20971520 characters in all)"), "{}", r.value);
        assert!(r.args.values().all(|v| v.len() < 1_000));
        let json = serde_json::to_string(&d.rejections).unwrap();
        assert!(json.len() < 5_000, "{}", json.len());
    }

    #[test]
    fn windows_1252_is_read_with_a_note() {
        // "Café" and "Ümit" in Windows-1252 bytes, semicolon-separated: as Dutch Excel saves.
        let c = LoadedContract::embedded();
        let mut csv = b"id;type;school;category;summary;priority;opened_at\n1;incident;Caf".to_vec();
        csv.extend_from_slice(b"\xe9 De Brug;netwerk;\xdcmit kan niet inloggen;P3;2026-10-05T09:00\n");
        let d = load_tickets_csv(&csv, "t.csv", &c).unwrap();
        assert_eq!(d.rejections, vec![]);
        assert_eq!(d.tickets[0].school, "Café De Brug");
        assert_eq!(d.tickets[0].summary, "Ümit kan niet inloggen");
        assert!(d.notes.iter().any(|n| n.contains("read as Windows-1252")), "{:?}", d.notes);
        assert_eq!(d.files[0].sha256, sha256_hex(&csv), "the hash is that of the file's bytes");
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
