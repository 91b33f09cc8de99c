//! `slarapport annual`: the year report for the strategic meeting (PDF, annex, JSON), from
//! the same data and contract as the monthly and quarterly reports.

use crate::commands::{Outcome, ReportOptions, ReportSetup, ReportStart};
use crate::error::{Error, Result};
use crate::output::write_report;
use crate::period::Period;
use crate::render;
use crate::report::annual::{build_annual_with, parse_year};
use crate::report::aggregate::RunContext;

#[derive(Debug, Clone, clap::Args)]
pub struct AnnualArgs {
    #[command(flatten)]
    pub report: ReportOptions,
    /// Year to report on, YYYY [default: the year before --today].
    #[arg(long, value_name = "YYYY")]
    pub period: Option<String>,
    #[command(flatten)]
    pub input: crate::commands::input::InputArgs,
}

pub fn run(args: &AnnualArgs) -> Result<Outcome> {
    use chrono::Datelike;
    let setup = args.report.setup()?;
    let ReportSetup { contract, today, templates, labels, out } = &setup;
    let today = *today;
    let year = match &args.period {
        Some(p) => parse_year(p)?,
        None => today.year() - 1,
    };
    if today.year() < year {
        return Err(Error::new(format!("the year {year} has not begun yet (today is {today})"))
            .with_hint("pass --period for a year that has begun (or --today for the date the report is made)"));
    }
    let interim = (today.year() == year).then(|| {
        format!("the year {year} has not ended yet (today is {today}): the report is an interim view, its unfinished quarters are marked incomplete")
    });
    let progress = crate::progress::Progress::start(4);
    progress.stage("reading the data");
    let data = args.input.load(&args.report.data, contract)?;
    let dir = out.join(year.to_string());
    let lock = crate::output::FolderLock::acquire(&dir)?;
    for note in &lock.notes {
        eprintln!("note: {note}");
    }
    let mut start = ReportStart { interim, progress, data, dir, lock };
    let period = Period::quarter(year, 4).expect("valid quarter");
    let ctx = RunContext { contract, period, today, lang: args.report.lang };
    start.progress.stage("counting the months and the quarters");
    // Domain 6's reports on time per quarter, from the report folders already made (as each
    // quarterly report counted them).
    let deliveries: Vec<_> = (1..=4)
        .map(|q| crate::commands::deliveries::QuarterDeliveries::find(out, &Period::quarter(year, q).expect("valid quarter"), contract, None))
        .collect();
    let mut a = build_annual_with(&start.data, &ctx, year, &|q, month, kpis| deliveries[q].apply_to(month, kpis, contract, labels));
    a.commentary = crate::report::commentary::for_annual(&start.data, &a, contract.contract.rules.require_explanations)?;
    // Rejected rows and warnings are findings here as in the monthly and quarterly reports.
    let (rejected, warnings) = (start.data.rejections.len() as u64, start.data.warnings.len() as u64);
    start.free_tickets();
    start.progress.stage("making the PDF, the annex and the JSON");
    let rendered = render::annual(&a, labels, templates, today, !args.report.no_archival)?;
    let files = rendered.files();
    start.progress.stage("writing");
    let written = write_report(&start.lock, &start.dir, &files, args.report.manifest(&setup, &start, &args.input, "annual", &a.meta)?)?;
    start.progress.finish();
    println!("Annual report {year} for {}:", a.meta.client);
    for p in &written {
        println!("  {}", p.display());
    }
    for q in &a.quarters {
        let m = &q.malus_total;
        let eur = m.malus_eur.map(|e| format!(", € {e:.2}")).unwrap_or_default();
        let state = q.incomplete_reason.as_deref().map(|r| format!(" (incomplete: {})", r.replace('_', " "))).unwrap_or_default();
        println!("{}: {} domains with a malus{eur}{state}", q.label, m.with_malus);
    }
    let mut outcome = Outcome::Clean;
    if crate::commands::report_data_findings(rejected, warnings) || rendered.plain_fallback {
        outcome = Outcome::Findings;
    }
    if let Some(w) = &start.interim {
        eprintln!("warning: {w}");
        outcome = Outcome::Findings;
    }
    if a.month_complete.iter().any(|c| !c) && start.interim.is_none() {
        eprintln!("warning: the data does not cover every month of {year}: those months and their quarters are marked incomplete");
        outcome = Outcome::Findings;
    }
    Ok(outcome)
}
