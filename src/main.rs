//! The `slarapport` command line: a thin layer over the library. It parses arguments, runs
//! one command (see `commands/`), prints errors as `error:` / `hint:` and exits with
//! 0 (all well), 1 (made, with findings: rejected rows, warnings) or 2 (nothing made).

use clap::{Parser, Subcommand};
use slarapport::commands::{self, Outcome};

#[derive(Parser)]
#[command(name = "slarapport", version, about = "SLA reports, KPI scores and malus from ITSM ticket exports")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the monthly SLA report: PDF, Excel annex and JSON.
    Monthly(commands::monthly::MonthlyArgs),
    /// Make the quarterly report for the tactical meeting: PDF, Excel annex and JSON.
    Quarterly(commands::quarterly::QuarterlyArgs),
    /// Check the data and the contract and print the accounting, without making a report.
    Check(commands::check::CheckArgs),
    /// Print the effective contract and check it (exit 1 on findings).
    Contract(commands::contract::ContractArgs),
    /// Check a report's files against its manifest.json (exit 1 when one changed).
    Verify(commands::verify::VerifyArgs),
    /// Write realistic demo data (deterministic).
    Demo(commands::demo::DemoArgs),
    /// Make the root-cause-analysis document of a P1 incident (--ticket ID), or of every RCA due (--due).
    Rca(commands::rca::RcaArgs),
}

fn main() {
    let cli = Cli::parse();
    let result: Result<Outcome, slarapport::error::Error> = match &cli.command {
        Command::Monthly(a) => commands::monthly::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Quarterly(a) => commands::quarterly::run(a),
        Command::Demo(a) => commands::demo::run(a),
        Command::Rca(a) => commands::rca::run(a),
        Command::Verify(a) => commands::verify::run(a),
        Command::Contract(a) => commands::contract::run(a),
    };
    match result {
        Ok(outcome) => std::process::exit(outcome.exit_code()),
        Err(e) => {
            eprintln!("error: {}", e.message);
            for h in &e.hints {
                eprintln!("hint: {h}");
            }
            std::process::exit(2);
        }
    }
}
