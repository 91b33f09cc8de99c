//! `slarapport demo`: write deterministic demo data (the committed `fixtures/demo` is made
//! with the defaults; larger sets serve the benchmark).

use std::path::PathBuf;

use crate::commands::Outcome;
use crate::demo::{write_demo, DemoOptions};
use crate::error::{Error, Result};
use crate::limits::MAX_DEMO_TICKETS;

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Folder to write tickets.csv, calls.csv, measurements.csv, rca/ and the logs
    /// (klachten.csv, escalaties.csv, verbeteracties.csv) into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Total number of tickets [default: about 2,500 a month].
    #[arg(long)]
    pub tickets: Option<u64>,
    /// First month, YYYY-MM.
    #[arg(long, default_value = "2026-07")]
    pub from: String,
    /// Last month, YYYY-MM (inclusive).
    #[arg(long, default_value = "2026-10")]
    pub to: String,
    /// Seed of the generator: the same seed gives the same files.
    #[arg(long)]
    pub seed: Option<u64>,
}

fn month(s: &str, flag: &str) -> Result<(i32, u32)> {
    let p = crate::period::Period::parse_month(s)
        .map_err(|e| Error::new(format!("--{flag}: {}", e.message)).with_hint("write it as YYYY-MM"))?;
    use chrono::Datelike;
    Ok((p.start.year(), p.start.month()))
}

pub fn run(args: &DemoArgs) -> Result<Outcome> {
    if let Some(n) = args.tickets.filter(|n| *n > MAX_DEMO_TICKETS) {
        return Err(Error::new(format!("--tickets {n} is more than the {MAX_DEMO_TICKETS} demo tickets slarapport writes"))
            .with_hint("a year of a large provider is about a million tickets"));
    }
    let mut opts = DemoOptions { from: month(&args.from, "from")?, to: month(&args.to, "to")?, tickets: args.tickets, ..DemoOptions::default() };
    if let Some(seed) = args.seed {
        opts.seed = seed;
    }
    if opts.to < opts.from {
        return Err(Error::new("--to lies before --from").with_hint("give the first month with --from and the last with --to"));
    }
    let s = write_demo(&args.out, &opts)
        .map_err(|e| Error::new(format!("cannot write demo data to {}: {e}", args.out.display())))?;
    println!(
        "demo data in {}: {} tickets ({} deliberately broken rows), {} calls, {} measurements",
        args.out.display(),
        s.tickets,
        s.error_rows,
        s.calls,
        s.measurements
    );
    Ok(Outcome::Clean)
}
