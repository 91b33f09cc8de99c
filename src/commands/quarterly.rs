//! `slarapport quarterly`: the quarterly report for the tactical meeting (PDF, annex, JSON).

use crate::commands::{Outcome, ReportOptions, ReportSetup};
use crate::error::Result;
use crate::output::write_report;
use crate::period::Period;
use crate::render;
use crate::report::aggregate::RunContext;
use crate::report::quarterly::build_quarterly_with;

#[derive(Debug, Clone, clap::Args)]
pub struct QuarterlyArgs {
    #[command(flatten)]
    pub report: ReportOptions,
    /// Quarter to report on, YYYY-Qn [default: the quarter before --today].
    #[arg(long, value_name = "YYYY-Qn")]
    pub period: Option<String>,
    #[command(flatten)]
    pub input: crate::commands::input::InputArgs,
}

pub fn run(args: &QuarterlyArgs) -> Result<Outcome> {
    let setup = args.report.setup()?;
    let ReportSetup { contract, today, templates, labels, out } = &setup;
    let today = *today;
    let period = match &args.period {
        Some(p) => Period::parse_quarter(p)?,
        None => Period::quarter_before(today),
    };
    let mut start = crate::commands::start_report(&period, today, out, &args.report, &args.input, contract, 4)?;
    let (progress, data, dir) = (&start.progress, &start.data, &start.dir);
    let ctx = RunContext { contract, period, today, lang: args.report.lang };
    progress.stage("counting the months and the quarter");
    // Domain 6's reports on time, from the months' folders and this one (unless measured).
    let deliveries = crate::commands::deliveries::QuarterDeliveries::find(out, &period, contract, Some(today));
    let mut q = build_quarterly_with(data, &ctx, true, &|month, kpis| deliveries.apply_to(month, kpis, contract, labels));
    q.commentary = crate::report::commentary::for_quarterly(data, &q, contract.contract.rules.require_explanations)?;
    q.rerun_changes = crate::commands::rerun_changes(dir, || render::to_json(&q.json_document()), "rerun_changes")?;
    let warnings = crate::commands::run_warnings(&start, contract, &period, &q.quarter_summary);
    start.free_tickets();
    let (progress, dir, lock) = (&start.progress, &start.dir, &start.lock);
    progress.stage("making the PDF, the annex and the JSON");
    let rendered = render::quarterly(&q, labels, templates, today, !args.report.no_archival)?;

    // The JSON carries every ticket row of the quarter: written into its file as it is made.
    let json = |w: &mut dyn std::io::Write| render::write_quarterly_json(&q, w);
    let files = rendered.files_with_json(render::FileBody::Written(&json));
    progress.stage("writing");
    let written = write_report(lock, dir, &files, args.report.manifest(&setup, &start, &args.input, "quarterly", &q.meta)?)?;
    progress.finish();
    println!("Quarterly report {} for {}:", q.meta.period, q.meta.client);
    for p in &written {
        println!("  {}", p.display());
    }
    let a = &q.accounting;
    println!(
        "rows read {}: counted {}, excluded {}, rejected {}",
        a.rows_read, a.counted, a.excluded, a.rejected
    );
    for m in &q.malus {
        if let (Some(score), Some(malus)) = (m.score, m.malus_pct) {
            let kpi = m.kpi_name.as_ref().map(|k| format!(" ({k})")).unwrap_or_default();
            println!("domain {} {}{kpi}: {:.2} % → malus {} %{}", m.number, m.name, score, malus, if m.escalation { " (escalation)" } else { "" });
        }
    }
    println!("malus charged on the invoice of {}", q.invoice_quarter);
    println!("due on {} (made on {})", q.meta.due_on.map(|d| d.to_string()).unwrap_or_default(), q.meta.generated_on);
    if q.meta.late {
        eprintln!("warning: this report is made after its due date ({})", q.meta.due_on.map(|d| d.to_string()).unwrap_or_default());
    }
    let mut outcome = crate::commands::report_warnings(contract, &warnings);
    if crate::commands::report_data_findings(q.rejected_rows, q.warnings) || rendered.plain_fallback {
        outcome = Outcome::Findings;
    }
    if crate::commands::report_commentary(&q.commentary, &q.meta.period) {
        outcome = Outcome::Findings;
    }
    Ok(outcome)
}
