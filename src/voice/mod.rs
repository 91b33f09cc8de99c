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
