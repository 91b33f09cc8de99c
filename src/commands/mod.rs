//! The CLI's commands, one file each; `main.rs` only parses arguments and maps results to
//! exit codes. Commands print what a person needs (files written, due dates, the
//! accounting) on stdout and problems as `warning:` / `error:` / `hint:` on stderr.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::error::Error;

pub mod check;
pub mod contract;
pub mod demo;
pub mod monthly;

/// How a command ended, for the exit code: 0 all well, 1 made but with findings, 2 failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
        }
    }
}

/// "Today" for a run: `--today`, else `SOURCE_DATE_EPOCH`, else the system clock — read
/// here, at the edge, never in the core. The date is the one in `tz` (the contract's).
pub fn resolve_today(flag: Option<&str>, tz: chrono_tz::Tz) -> Result<NaiveDate, Error> {
    if let Some(s) = flag {
        return NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Error::new(format!("--today \"{s}\" is not a date"))
                .with_hint("write it as YYYY-MM-DD, for example --today 2026-11-02")
        });
    }
    if let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = s.trim().parse().map_err(|_| {
            Error::new(format!("SOURCE_DATE_EPOCH \"{s}\" is not a number of seconds"))
                .with_hint("unset it, or set it to seconds since 1970-01-01 UTC")
        })?;
        let t = Utc.timestamp_opt(secs, 0).single().ok_or_else(|| Error::new("SOURCE_DATE_EPOCH is out of range"))?;
        return Ok(t.with_timezone(&tz).date_naive());
    }
    Ok(Utc::now().with_timezone(&tz).date_naive())
}
