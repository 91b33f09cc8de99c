//! The command line's shape: the clap `Cli` with one subcommand per file in `commands/`.
//! It lives in the library so that `completions` and `man` can generate shell completions
//! and the man page from it ([`command`]); `main.rs` only parses, calls [`run`] and maps the
//! result to an exit code.

use std::io::Write;

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands::{self, Outcome};
use crate::error::{Error, Result};

#[derive(Parser)]
#[command(name = "slarapport", version = crate::VERSION, about = "SLA reports, KPI scores and malus from ITSM ticket exports")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Make the monthly SLA report: PDF, Excel annex and JSON.
    Monthly(commands::monthly::MonthlyArgs),
    /// Make the quarterly report for the tactical meeting: PDF, Excel annex and JSON.
    Quarterly(commands::quarterly::QuarterlyArgs),
    /// Make the year report for the strategic meeting: PDF, Excel annex and JSON.
    Annual(commands::annual::AnnualArgs),
    /// Check the data and the contract and print the accounting, without making a report.
    Check(commands::check::CheckArgs),
    /// Print the effective contract and check it (exit 1 on findings).
    Contract(commands::contract::ContractArgs),
    /// Compare two versions of a report (folders or .json files): the figures that changed
    /// and, ticket by ticket, why (exit 0 when equal, 1 when they differ).
    Diff(commands::diff::DiffArgs),
    /// Check a report's files against its manifest.json (exit 1 when one changed).
    Verify(commands::verify::VerifyArgs),
    /// Write realistic demo data (deterministic).
    Demo(commands::demo::DemoArgs),
    /// The built-in mappings for ServiceNow, TOPdesk and Jira exports: list, show NAME.
    Profile(commands::profile::ProfileArgs),
    /// Make the root-cause-analysis document of a P1 incident (--ticket ID), or of every RCA due (--due).
    Rca(commands::rca::RcaArgs),
    /// Set up a working folder: contract, branding, templates, example data, cron/systemd.
    Init(commands::init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout.
    Man,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The clap command of the whole CLI (for completions, the man page, tests).
pub fn command() -> clap::Command {
    Cli::command()
}

/// Runs the parsed command.
pub fn run(cli: &Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Monthly(a) => commands::monthly::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Quarterly(a) => commands::quarterly::run(a),
        Command::Annual(a) => commands::annual::run(a),
        Command::Demo(a) => commands::demo::run(a),
        Command::Profile(a) => commands::profile::run(a),
        Command::Rca(a) => commands::rca::run(a),
        Command::Verify(a) => commands::verify::run(a),
        Command::Diff(a) => commands::diff::run(a),
        Command::Contract(a) => commands::contract::run(a),
        Command::Init(a) => commands::init::run(a),
        Command::Completions(a) => {
            let mut out = Vec::new();
            clap_complete::generate(a.shell, &mut command(), "slarapport", &mut out);
            print_bytes(&out)
        }
        Command::Man => print_bytes(&man_page()?),
    }
}

/// The man page (roff): the command, its options, and every subcommand with its options.
pub fn man_page() -> Result<Vec<u8>> {
    let cmd = command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    let err = |e: std::io::Error| Error::new(format!("cannot write the man page: {e}"));
    man.render(&mut out).map_err(err)?;
    // clap_mangen opens with the definition of the apostrophe string (`.ie`/`.el`); put the
    // title line first, as man pages begin (the definitions still come before any text).
    let page = String::from_utf8_lossy(&out).to_string();
    let mut lines: Vec<&str> = page.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.starts_with(".TH ")) {
        let th = lines.remove(i);
        lines.insert(0, th);
    }
    let mut out = lines.join("\n").into_bytes();
    out.push(b'\n');
    // One section per subcommand, with its options, so `man slarapport` is the whole manual.
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        writeln!(out, ".SH \"SLARAPPORT {}\"", sub.get_name().to_uppercase()).map_err(err)?;
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(format!("slarapport {}", sub.get_name())));
        let mut body = Vec::new();
        sub_man.render_synopsis_section(&mut body).map_err(err)?;
        sub_man.render_description_section(&mut body).map_err(err)?;
        sub_man.render_options_section(&mut body).map_err(err)?;
        // Demote the subcommand's sections to subsections of its own section.
        let body = String::from_utf8_lossy(&body).replace(".SH ", ".SS ");
        out.extend_from_slice(body.as_bytes());
    }
    Ok(out)
}

fn print_bytes(bytes: &[u8]) -> Result<Outcome> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(Outcome::Clean),
        // A closed pipe (`slarapport man | head`) is not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Outcome::Clean),
        Err(e) => Err(Error::new(format!("cannot write to stdout: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_is_consistent() {
        super::command().debug_assert();
    }
}
