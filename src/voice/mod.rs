//! The provider's own logs beside the tickets: the improvement log (`verbeteracties.csv`),
//! complaints (`klachten.csv`) and escalations (`escalaties.csv`). The guideline's tactical
//! meeting discusses them (§8) and domains 6 and 7 count them (§9); here they are data the
//! tool reads and checks like tickets — every row used, or rejected with file, line, column
//! and a fix — instead of bare numbers typed into `measurements.csv`.

pub mod commentary;
pub mod complaints;
pub mod improvement;

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::canonical::Rejection;
use crate::table::csv::field;
use crate::table::CsvTable;

pub use complaints::{Complaint, Escalation, EscalationLevel};
pub use improvement::{ActionSource, ActionStatus, ImprovementAction, SourceKind};

/// The file names users write (Dutch, as the reports' readers say them).
/// The ids of `tickets` that a log's `column` names (`prefixed`: values like `rca:INC0001`,
/// the id after the colon), for the check that a log refers to a ticket of the data: one
/// pass over the tickets looking up the few ids a log names, instead of a table of every
/// ticket id per log (at ten million tickets three such tables took 5 s).
pub(crate) fn tickets_named<'t>(table: &CsvTable, column: &str, prefixed: bool, tickets: &'t [crate::ticket::Ticket]) -> std::collections::HashSet<&'t str> {
    let Some(col) = table.column(column) else { return Default::default() };
    let wanted: std::collections::HashSet<&str> = (0..table.height)
        .filter_map(|i| field(Some(col), i))
        .map(|v| if prefixed { v.split_once(':').map_or(v, |(_, id)| id).trim() } else { v })
        .filter(|v| !v.is_empty())
        .collect();
    if wanted.is_empty() {
        return Default::default();
    }
    tickets.iter().map(|t| t.id.as_str()).filter(|id| wanted.contains(id)).collect()
}

pub const IMPROVEMENT_FILE: &str = "verbeteracties.csv";
pub const COMPLAINTS_FILE: &str = "klachten.csv";
pub const ESCALATIONS_FILE: &str = "escalaties.csv";

/// The largest log file read: far above any real log, small enough to hold.
const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the optional log `name` of `dir`: only a regular file, and only up to
/// [`MAX_LOG_BYTES`]. `None` when the folder has no such file.
pub(crate) fn read_log(dir: &Path, name: &str) -> Result<Option<Vec<u8>>> {
    let path = dir.join(name);
    let Ok(meta) = std::fs::metadata(&path) else { return Ok(None) };
    if !meta.is_file() {
        return Err(Error::new(format!("{} is not a regular file", path.display()))
            .with_hint(format!("{name} must be a CSV file in the data folder")));
    }
    if meta.len() > MAX_LOG_BYTES {
        return Err(Error::new(format!("{} is larger than {} MB", path.display(), MAX_LOG_BYTES / 1024 / 1024))
            .with_hint(format!("{name} holds one row per action or complaint; check that it is the right file")));
    }
    std::fs::read(&path).map(Some).map_err(|e| Error::cannot_read(path.display(), e))
}


/// A date as users write it: `2026-10-05`, or `5-10-2026` (Dutch Excel).
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
}

/// One row's fields with its file and line, to reject a field in one call.
pub(crate) struct RowReader<'a> {
    pub table: &'a CsvTable,
    pub file: &'a str,
    pub row: usize,
}

impl<'a> RowReader<'a> {
    pub fn line(&self) -> u64 {
        self.table.line(self.row)
    }

    /// The trimmed field, empty when absent.
    pub fn get(&self, col: &str) -> &'a str {
        field(self.table.column(col), self.row).unwrap_or("")
    }

    pub fn reject(&self, col: &str, reason: String, hint: String, code: &str, args: &[(&str, &str)]) -> Rejection {
        let value = self.get(col);
        Rejection {
            file: self.file.into(),
            line: self.line(),
            column: col.into(),
            value: value.chars().take(200).collect(),
            reason,
            hint,
            ..Default::default()
        }
        .coded(code, &[&[("value", value), ("column", col)], args].concat())
    }

    /// A required text field, or its rejection.
    pub fn required(&self, col: &str) -> Result<&'a str, Rejection> {
        match self.get(col) {
            "" => Err(self.reject(col, "required field is empty".into(), format!("fill in {col}"), "required", &[])),
            v => Ok(v),
        }
    }

    /// An optional date (`None` when empty), or its rejection.
    pub fn date(&self, col: &str) -> Result<Option<NaiveDate>, Rejection> {
        match self.get(col) {
            "" => Ok(None),
            v => parse_date(v).map(Some).ok_or_else(|| {
                self.reject(col, format!("\"{v}\" is not a date"), "write it as 2026-10-05".into(), "not_a_date", &[])
            }),
        }
    }

    /// A required date, or its rejection.
    pub fn required_date(&self, col: &str) -> Result<NaiveDate, Rejection> {
        self.required(col)?;
        Ok(self.date(col)?.expect("a non-empty field"))
    }

    /// `date` of `col` lies before `earlier` of `earlier_col`: the rejection.
    pub fn not_before(&self, col: &str, date: Option<NaiveDate>, earlier_col: &str, earlier: NaiveDate) -> Result<(), Rejection> {
        match date {
            Some(d) if d < earlier => Err(self.reject(
                col,
                format!("{col} lies before {earlier_col} ({earlier})"),
                "correct the date".into(),
                "date_before",
                &[("earlier", earlier_col), ("earlier_value", &earlier.to_string())],
            )),
            _ => Ok(()),
        }
    }

    /// The value of `col` as one of `choices` (spelling → value; the first spelling of each
    /// value is the one the hint names), or its rejection.
    pub fn one_of<T: Copy>(&self, col: &str, choices: &[(&str, T)]) -> Result<T, Rejection> {
        let v = self.get(col);
        let lower = v.to_lowercase();
        choices.iter().find(|(s, _)| *s == lower).map(|(_, t)| *t).ok_or_else(|| {
            let expected = choices.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ");
            self.reject(col, format!("\"{v}\" is not one of: {expected}"), format!("use {expected}"), "not_one_of", &[("expected", &expected)])
        })
    }
}

/// The rejection of a second row with an id already used, on the line of the first.
pub(crate) fn duplicate(r: &RowReader, first_line: u64) -> Rejection {
    let first = first_line.to_string();
    r.reject(
        "id",
        format!("duplicate id; the first row with this id, line {first}, counts"),
        "remove the repeated row or give it an id of its own".into(),
        "duplicate_id",
        &[("first", &first)],
    )
}

#[cfg(test)]
mod named_tests {
    use crate::contract::LoadedContract;

    /// A log's reference to a ticket of the data is found (spaces around it, after `rca:`),
    /// one to no ticket is not; the tickets the log does not name are not looked at.
    #[test]
    fn a_log_names_tickets_of_the_data() {
        let data = crate::canonical::read_tickets_csv(
            b"id,type,school,category,subcategory,summary,priority,opened_at\nINC1,incident,S,c,s,x,P1,2026-10-01T09:00\nINC2,incident,S,c,s,x,P4,2026-10-01T09:00\n",
            "tickets.csv",
            &LoadedContract::embedded(),
        )
        .unwrap();
        let log = super::CsvTable::read(b"id,ticket,source\nK1, INC1 ,rca: INC2\nK2,INC9,kpi:response_time\nK3,,\n", "klachten.csv").unwrap();
        let named = super::tickets_named(&log, "ticket", false, &data.tickets);
        assert_eq!(named, ["INC1"].into_iter().collect());
        let named = super::tickets_named(&log, "source", true, &data.tickets);
        assert_eq!(named, ["INC2"].into_iter().collect());
        assert!(super::tickets_named(&log, "missing", false, &data.tickets).is_empty());
        let csv = "id,received,school,channel,subject,ticket,handled,outcome\nK1,2026-10-02,,,Wachttijd, INC1 ,,\nK2,2026-10-03,,,Laptop,INC9,,\n";
        let (c, r, _) = super::complaints::load_complaints(csv.as_bytes(), "klachten.csv", &data.tickets).unwrap();
        assert_eq!((c.len(), c[0].ticket.as_str()), (1, "INC1"));
        assert_eq!((r.len(), r[0].line, r[0].code.as_str()), (1, 3, "unknown_ticket"));
    }
}
