//! `slarapport monthly`: the monthly SLA report (PDF, Excel annex, JSON, cover message).

use crate::commands::{Outcome, ReportOptions, ReportSetup};
use crate::error::Result;
use crate::output::write_report;
use crate::period::Period;
use crate::render;
use crate::report::aggregate::{build, RunContext};

#[derive(Debug, Clone, clap::Args)]
pub struct MonthlyArgs {
    #[command(flatten)]
    pub report: ReportOptions,
    /// Month to report on, YYYY-MM [default: the month before --today].
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    #[command(flatten)]
    pub input: crate::commands::input::InputArgs,
    /// Do nothing (exit 0) unless today is the first workday of the month by the contract's
    /// business calendar (weekends and holidays excluded): for a timer that runs daily on
    /// days 1–7 (see `slarapport init`).
    #[arg(long)]
    pub only_first_workday: bool,
}

/// The first workday of `date`'s month by `clock` (weekends and the contract's holidays
/// excluded).
pub fn first_workday_of_month(clock: &crate::clock::BusinessClock, date: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let first = date.with_day(1).expect("day 1 exists");
    let mut d = first;
    while d.month() == first.month() {
        if clock.is_workday(d) {
            return d;
        }
        d = d.succ_opt().expect("date in range");
    }
    first // a month without a workday: its first day
}

pub fn run(args: &MonthlyArgs) -> Result<Outcome> {
    let setup = args.report.setup()?;
    let ReportSetup { contract, today, templates, labels, out } = &setup;
    let today = *today;
    if args.only_first_workday {
        let first = first_workday_of_month(&contract.clock, today);
        if today != first {
            println!("{today} is not the first workday of the month ({first} is): no report made");
            return Ok(Outcome::Clean);
        }
    }
    let period = match &args.period {
        Some(p) => Period::parse_month(p)?,
        None => Period::month_before(today),
    };
    let mut start = crate::commands::start_report(&period, today, out, &args.report, &args.input, contract, 4)?;
    let (progress, data, dir) = (&start.progress, &start.data, &start.dir);
    let ctx = RunContext { contract, period, today, lang: args.report.lang };
    progress.stage("counting and evaluating");
    let mut monthly = build(data, &ctx);
    // A period after the data (an old export, no --period): the report says so on its page.
    if let Some(far) = crate::commands::period_after_data(&period, &monthly.report.summary, data, contract) {
        monthly.report.data_quality.notes.insert(0, far.note(labels));
    }
    // Domain 6's reports on time, from this folder's first version (unless measured).
    if let Some(due_on) = monthly.report.meta.due_on {
        let d = crate::commands::deliveries::delivery(dir, today, due_on);
        crate::commands::deliveries::apply(&mut monthly.report.kpis, contract, &[d], &[], labels);
    }
    let required = contract.contract.rules.require_explanations;
    monthly.report.commentary = crate::report::commentary::for_monthly(data, &monthly.report, required)?;
    let document = || render::to_json(&crate::report::model::JsonDocument { report: &monthly.report, tickets: &monthly.tickets });
    monthly.report.changes = crate::commands::rerun_changes(dir, document, "changes")?;
    let warnings = crate::commands::run_warnings(&start, contract, &period, &monthly.report.summary);
    start.free_tickets();
    let (progress, dir, lock) = (&start.progress, &start.dir, &start.lock);
    progress.stage("making the PDF, the annex and the JSON");
    let rendered = render::monthly(&monthly, labels, templates, today, !args.report.no_archival)?;
    progress.stage("writing");

    let files = rendered.files();
    let written = write_report(lock, dir, &files, args.report.manifest(&setup, &start, &args.input, "monthly", &monthly.report.meta)?)?;
    progress.finish();

    let r = &monthly.report;
    let acc = &r.data_quality.accounting;
    println!("Monthly SLA report {} for {} (contract: {}):", r.meta.period, r.meta.client, contract.source);
    for p in &written {
        println!("  {}", p.display());
    }
    println!(
        "rows read {}: counted {}, excluded {} (outside the period {}, out of scope {}), rejected {}",
        acc.rows_read,
        acc.counted,
        acc.excluded,
        acc.excluded_by_reason.outside_period,
        acc.excluded_by_reason.out_of_scope,
        acc.rejected
    );
    println!("due on {} (made on {})", r.meta.due_on.map(|d| d.to_string()).unwrap_or_default(), r.meta.generated_on);
    let mut outcome = crate::commands::report_warnings(contract, &warnings);
    if r.meta.late {
        // A late report is still a good report (a rerun before the tactical meeting is late
        // by definition): say so, without failing the run.
        eprintln!("warning: this report is made after its due date ({})", r.meta.due_on.map(|d| d.to_string()).unwrap_or_default());
    }
    if acc.rejected > 0 {
        eprintln!("warning: {} rows were rejected; the report lists them under data quality", acc.rejected);
        for x in r.data_quality.rejections.iter().take(5) {
            eprintln!("  {}:{}: column {}: {}", x.file, x.line, x.column, x.reason);
        }
        if acc.rejected > 5 {
            eprintln!("  … and {} more (see the annex)", acc.rejected - 5);
        }
        outcome = Outcome::Findings;
    }
    if !r.data_quality.warnings.is_empty() {
        eprintln!("warning: {} data-quality warnings (see the report)", r.data_quality.warnings.len());
        outcome = Outcome::Findings;
    }
    if crate::commands::report_commentary(&r.commentary, &r.meta.period) {
        outcome = Outcome::Findings;
    }
    if rendered.plain_fallback {
        outcome = Outcome::Findings;
    }
    if !acc.balanced {
        eprintln!("warning: the accounting does not balance; please report this as a bug");
        outcome = Outcome::Findings;
    }
    Ok(outcome)
}
