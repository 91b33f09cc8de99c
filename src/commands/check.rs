//! `slarapport check`: validate the contract and the data and print the accounting, without
//! rendering anything — the quick look before the monthly run.

use std::path::PathBuf;

use crate::commands::{resolve_today, Outcome};
use crate::contract::LoadedContract;
use crate::error::Result;
use crate::period::Period;
use crate::report::aggregate::{build_with, RunContext};

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Folder with tickets.csv (and optionally contract.toml).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Month whose accounting to show, YYYY-MM [default: the month before --today].
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// Contract file (TOML) [default: DATA/contract.toml if present, else the guideline's].
    #[arg(long, value_name = "FILE")]
    pub contract: Option<PathBuf>,
    /// Today's date, YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else the system date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// How many rejected rows and warnings to list (all are counted).
    #[arg(long, default_value_t = 20)]
    pub show: usize,
    #[command(flatten)]
    pub input: crate::commands::input::InputArgs,
}

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let contract = LoadedContract::resolve(args.contract.as_deref(), Some(&args.data))?;
    let today = resolve_today(args.today.as_deref(), contract.tz)?;
    let period = match &args.period {
        Some(p) => Period::parse_month(p)?,
        None => Period::month_before(today),
    };
    println!("contract: {}", contract.source);
    let data = args.input.load(&args.data, &contract)?;
    for f in &data.files {
        println!("{}: {} rows, sha256 {}", f.name, f.rows, f.sha256);
    }
    if let Some(m) = &data.mapping {
        for line in m.check_lines(&data.tickets, &contract, args.show) {
            println!("{line}");
        }
    }
    // A mapped export's column names are the user's own (spaces and all): quote them.
    // A row that could not be split into fields has no column.
    let col = |c: &str| match c {
        "" => "(whole row)".to_string(),
        c if data.mapping.is_some() => format!("\"{c}\""),
        c => c.to_string(),
    };
    println!("valid tickets: {}, rejected rows: {}, warnings: {}", data.tickets.len(), data.rejections.len(), data.warnings.len());
    for n in &data.notes {
        println!("note: {n}");
    }
    for r in data.rejections.iter().take(args.show) {
        // The reason quotes the value when there is one; say it only when it does not.
        if r.value.is_empty() || r.reason.contains(&r.value) {
            println!("rejected: {}:{}: column {}: {} — {}", r.file, r.line, col(&r.column), r.reason, r.hint);
        } else {
            println!("rejected: {}:{}: column {}: {} (value \"{}\") — {}", r.file, r.line, col(&r.column), r.reason, r.value, r.hint);
        }
    }
    if data.rejections.len() > args.show {
        println!("rejected: … {} more", data.rejections.len() - args.show);
    }
    for w in data.warnings.iter().take(args.show) {
        println!("warning: {}:{}: ticket {}: column {}: {}", w.file, w.line, w.ticket_id, col(&w.column), w.message);
    }
    if data.warnings.len() > args.show {
        println!("warning: … {} more", data.warnings.len() - args.show);
    }
    // The check prints figures and English lines only: no label depends on the language.
    let ctx = RunContext { contract: &contract, period, today, lang: crate::i18n::Lang::default() };
    // The figures only: no row per ticket (formatting them is most of a month's cost).
    let m = build_with(&data, &ctx, false);
    let acc = &m.report.data_quality.accounting;
    println!(
        "accounting {}: rows read {} = counted {} + excluded {} (outside the period {}, out of scope {}) + rejected {}{}",
        period.label(),
        acc.rows_read,
        acc.counted,
        acc.excluded,
        acc.excluded_by_reason.outside_period,
        acc.excluded_by_reason.out_of_scope,
        acc.rejected,
        if acc.balanced { "" } else { "  (DOES NOT BALANCE)" }
    );
    // The commentary files: all were read (syntax, keys) with the data; the month's is matched
    // to its report, so a key naming nothing is found before the monthly run.
    let commentary = crate::report::commentary::for_monthly(&data, &m.report, contract.contract.rules.require_explanations)?;
    for (label, f) in &data.commentary {
        println!("{}: {} explanations (for {label})", f.name, f.entries.len());
    }
    let draft = crate::commands::report_commentary(&commentary, &period.label());
    let far = crate::commands::period_after_data(&period, &m.report.summary, &data, &contract);
    if let Some(far) = &far {
        println!("warning: {}", far.message());
    }
    let mapping_errors = data.mapping.as_ref().is_some_and(|m| m.has_errors());
    let clean = data.rejections.is_empty() && data.warnings.is_empty() && acc.balanced && !mapping_errors && far.is_none() && !draft;
    Ok(if clean { Outcome::Clean } else { Outcome::Findings })
}
