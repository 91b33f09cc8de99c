//! Deterministic demo data: a complete, realistic data folder for De Haagse Scholen.
//!
//! The reports have to be shown, tested and benchmarked long before a school board hands over
//! a real export, and a contract manager judges a demo by whether it looks like their own
//! service desk. [`write_demo`] therefore writes what a provider would deliver — `tickets.csv`,
//! the phone log `calls.csv`, `measurements.csv` and one RCA file per P1 incident in `rca/` —
//! with Dutch schools, categories and summaries, times placed on the contract's business clock
//! (most tickets well within their targets, a plausible few far over), and a handful of
//! deliberately broken rows that the loader must reject.
//!
//! Everything follows from [`DemoOptions`]: one seeded SplitMix64 stream per file and no wall
//! clock, so the same options give byte-identical files on every run.
//!
//! The parts: `tickets` plans the months and writes `tickets.csv` row by row through
//! `ticket`; `calls`, `measurements`, `rca` and `logs` write the other files;
//! `vocabulary` holds the Dutch words, `rng` the randomness and `csv` the field writing.

mod calls;
mod csv;
mod logs;
mod measurements;
mod rca;
mod rng;
mod ticket;
mod tickets;
mod vocabulary;

use std::fs;
use std::io;
use std::path::Path;

use chrono::NaiveDate;

use crate::contract::LoadedContract;

use calls::write_calls;
use logs::write_logs;
use measurements::{write_measurements, LogCounts};
use rca::write_rca_files;
use tickets::write_tickets;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of the pseudo-random generator: the same options give the same bytes.
    pub seed: u64,
    /// First month, `(year, month)`.
    pub from: (i32, u32),
    /// Last month, `(year, month)`, inclusive.
    pub to: (i32, u32),
    /// Valid tickets in total, spread evenly over the months; `None` gives about 2,500 a month.
    pub tickets: Option<u64>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seed: 20261101,
            from: (2026, 7),
            to: (2026, 10),
            tickets: None,
        }
    }
}

/// What [`write_demo`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoSummary {
    /// Valid ticket rows in `tickets.csv`: every one of them loads. With
    /// `tickets: Some(n)` this is exactly `n`.
    pub tickets: u64,
    /// Rows of `calls.csv`.
    pub calls: u64,
    /// Rows of `measurements.csv`.
    pub measurements: u64,
    /// Deliberately broken rows in `tickets.csv`, on top of [`DemoSummary::tickets`]: the file
    /// has `tickets + error_rows` data rows and the loader rejects exactly `error_rows` of them.
    /// One of them repeats an earlier valid row (a duplicate id); the others have ids of their
    /// own. Data sets under 100 tickets get none.
    pub error_rows: u64,
}

/// Writes the demo data folder `dir` (created if needed): `tickets.csv`, `calls.csv`,
/// `measurements.csv`, `rca/<ticket id>.toml` and the provider's logs `klachten.csv`,
/// `escalaties.csv` and `verbeteracties.csv`. Existing files of those names are replaced;
/// other files in `dir` are left alone.
pub fn write_demo(dir: &Path, opts: &DemoOptions) -> io::Result<DemoSummary> {
    let months = months_of(opts)?;
    let contract = LoadedContract::embedded();
    fs::create_dir_all(dir.join("rca"))?;
    let tickets = write_tickets(dir, opts, &months, &contract)?;
    write_rca_files(dir, opts.seed, &tickets.p1s, &contract.clock)?;
    let calls = write_calls(dir, opts.seed, &months, &contract.clock)?;
    let mut counts = LogCounts::default();
    let measurements = write_measurements(dir, opts.seed, &months, &mut counts)?;
    write_logs(dir, opts.seed, &tickets.p1s, &counts)?;
    Ok(DemoSummary {
        tickets: tickets.valid,
        calls,
        measurements,
        error_rows: tickets.errors,
    })
}

/// First days of the months from `opts.from` to `opts.to`, inclusive.
fn months_of(opts: &DemoOptions) -> io::Result<Vec<NaiveDate>> {
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
    let first = |(y, m): (i32, u32)| {
        NaiveDate::from_ymd_opt(y, m, 1)
            .filter(|_| (2000..=2099).contains(&y))
            .ok_or_else(|| invalid(format!("{y}-{m:02} is not a month between 2000 and 2099")))
    };
    let (from, to) = (first(opts.from)?, first(opts.to)?);
    if to < from {
        return Err(invalid(format!(
            "the last month {to} lies before the first month {from}"
        )));
    }
    let mut months = vec![from];
    while let Some(&last) = months.last().filter(|m| **m < to) {
        months.push(last + chrono::Months::new(1));
    }
    Ok(months)
}

#[cfg(test)]
mod tests;
