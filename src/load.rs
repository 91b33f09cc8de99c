//! The data folder: everything one report is made from, read in one go.
//!
//! The tickets come from `tickets.csv` / `tickets.xlsx` ([`crate::canonical`]) or from an
//! export read through a mapping ([`crate::mapping`]); beside them the folder's other files:
//! `calls.csv` and `measurements.csv` ([`crate::kpi::input`]), the RCA files
//! ([`crate::rca::file`]), the provider's logs and commentary ([`crate::voice`]). This module
//! sits on top of those readers and puts what they read into one [`DataSet`]; it reads no
//! cell itself.

use std::path::{Path, PathBuf};

use crate::canonical::{read_tickets_table, InputFile, Rejection, TicketIntake, Warning};
use crate::contract::LoadedContract;
use crate::error::{Error, Result};
use crate::mapping::{LoadedMapping, MappingReport};
use crate::table::{file_name, is_xlsx, Cells, CsvTable, SheetTable};
use crate::ticket::Ticket;
use crate::voice::{self, COMPLAINTS_FILE, ESCALATIONS_FILE, IMPROVEMENT_FILE};

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
    pub preventive_measures: Vec<crate::rca::file::RcaMeasure>,
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

    /// A data set of the tickets of one file (and what the mapping did, when one read it),
    /// before the folder's other files are added.
    pub fn from_tickets(intake: TicketIntake, mapping: Option<MappingReport>) -> DataSet {
        let TicketIntake { tickets, rows_read, rejections, warnings, notes, files, tickets_file } = intake;
        DataSet { tickets, rows_read, rejections, warnings, notes, files, tickets_file, mapping, ..DataSet::default() }
    }
}

/// Reads and validates canonical ticket CSV bytes into a data set of only those tickets (the
/// tests' way to a report from a few rows).
#[cfg(test)]
pub(crate) fn load_tickets_csv(bytes: &[u8], file: &str, contract: &LoadedContract) -> Result<DataSet> {
    crate::canonical::read_tickets_csv(bytes, file, contract).map(|t| DataSet::from_tickets(t, None))
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
pub fn load_data_dir(dir: &Path, contract: &LoadedContract) -> Result<DataSet> {
    load_data_dir_from(dir, contract, &TicketSource::default())
}

/// Reads the data folder `dir`, the tickets from `source` (see [`TicketSource`]).
pub fn load_data_dir_from(dir: &Path, contract: &LoadedContract, source: &TicketSource) -> Result<DataSet> {
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
            let (tickets, report) = crate::mapping::load_export_owned(bytes, &file_name(&path), &m, contract)?;
            DataSet::from_tickets(tickets, Some(report))
        }
        None => {
            let path = match &source.file {
                Some(p) => p.clone(),
                None if !dir.join("tickets.csv").exists() && dir.join("tickets.xlsx").is_file() => dir.join("tickets.xlsx"),
                None => dir.join("tickets.csv"),
            };
            let missing = |e: Error| {
                if path.exists() {
                    return e;
                }
                e.with_hint("the data folder must hold tickets.csv (or tickets.xlsx); see the README for its columns")
                    .with_hint("for an export from ServiceNow, TOPdesk or Jira add --profile servicenow|topdesk|jira, for any other export write a mapping file and pass --mapping FILE")
            };
            let name = file_name(&path);
            if is_xlsx(&path) {
                let bytes = read(&path, "tickets file").map_err(missing)?;
                let table = SheetTable::read(&bytes, &name, None)?;
                let mut data = read_tickets_table(&table, &name, contract)?;
                data.notes.extend(table.notes.iter().cloned());
                data.files.push(InputFile { name: name.clone(), sha256: table.sha256.clone(), rows: Cells::height(&table) as u64 });
                DataSet::from_tickets(data, None)
            } else {
                // Read in blocks: the tickets are held, never the whole file.
                DataSet::from_tickets(crate::canonical::read_tickets_csv_file(&path, &name, contract).map_err(missing)?, None)
            }
        }
    };
    data.dir = dir.to_path_buf();
    let read_optional = |name: &str| -> Result<Option<Vec<u8>>> {
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
    let (measures, notes, rca_files) = crate::rca::file::read_preventive_measures(dir);
    data.documents.extend(rca_files);
    data.preventive_measures = measures;
    data.notes.extend(notes);
    // The provider's own logs: improvement actions, complaints, escalations.
    load_logs(dir, contract, &mut data)?;
    Ok(data)
}

/// Reads the logs the data folder has into `data` (their rows, rejections and file
/// accounting). Complaints first: an improvement action may name a complaint as its source.
fn load_logs(dir: &Path, contract: &LoadedContract, data: &mut DataSet) -> Result<()> {
    let add = |data: &mut DataSet, name: &str, t: &CsvTable, rejections: Vec<Rejection>| {
        data.files.push(InputFile { name: name.into(), sha256: t.sha256.clone(), rows: t.height as u64 });
        data.rejections.extend(rejections);
    };
    if let Some(bytes) = crate::voice::read_log(dir, COMPLAINTS_FILE)? {
        let (rows, rejections, t) = voice::complaints::load_complaints(&bytes, COMPLAINTS_FILE, &data.tickets)?;
        add(data, COMPLAINTS_FILE, &t, rejections);
        data.complaints = Some(rows);
    }
    if let Some(bytes) = crate::voice::read_log(dir, ESCALATIONS_FILE)? {
        let (rows, rejections, t) = voice::complaints::load_escalations(&bytes, ESCALATIONS_FILE, &data.tickets)?;
        add(data, ESCALATIONS_FILE, &t, rejections);
        data.escalations = Some(rows);
    }
    match crate::voice::read_log(dir, IMPROVEMENT_FILE)? {
        Some(bytes) => {
            let (rows, rejections, t) = voice::improvement::load_actions(&bytes, IMPROVEMENT_FILE, contract, &data.tickets, data.complaints.as_deref().unwrap_or_default())?;
            add(data, IMPROVEMENT_FILE, &t, rejections);
            data.improvement_actions = Some(rows);
        }
        None => data.notes.push(format!("{IMPROVEMENT_FILE} is not in the data folder: improvement actions come from measurements.csv, if any")),
    }
    if data.complaints.is_none() {
        data.notes.push(format!("{COMPLAINTS_FILE} is not in the data folder: complaints come from measurements.csv, if any"));
    }
    data.commentary = voice::commentary::load_commentary(dir)?;
    data.documents.extend(data.commentary.values().map(|f| (f.name.clone(), f.sha256.clone())));
    Ok(())
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
                line: t.line.into(),
                ticket_id: t.id.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_after_the_report_day_counts_with_a_warning() {
        let c = LoadedContract::embedded();
        let csv = "id,type,school,category,priority,opened_at,responded_at\nT1,incident,S,werkplek,P3,2026-10-05T09:00,2026-12-01T09:00\n";
        let mut d = load_tickets_csv(csv.as_bytes(), "tickets.csv", &c).unwrap();
        // A response after the day the report is made counts, with a warning.
        warn_after_today(&mut d, chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), &c);
        assert_eq!(d.tickets.len(), 1);
        let w = &d.warnings[0];
        assert_eq!((w.line, w.code.as_str(), w.column.as_str()), (2, "after_today", "responded_at"));
        assert!(w.message.contains("2026-12-01T09:00") && w.message.contains("2026-11-02"), "{}", w.message);
    }
}
