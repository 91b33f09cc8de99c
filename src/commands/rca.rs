//! `slarapport rca`: the root-cause-analysis document of a P1 incident (guideline §5.2 step 5)
//! as PDF and JSON in `OUT/rca/`: one ticket (`--ticket ID`), or every RCA that needs
//! attention (`--due`, see [`crate::rca::due_reason`]).
//!
//! Exit codes: 0 when every document written is final, 1 when one is a draft ("CONCEPT"),
//! 2 when nothing could be made (unknown ticket, a ticket that needs no RCA without
//! `--voluntary`, an RCA file that cannot be read).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::commands::{Outcome, ReportOptions, ReportSetup};
use crate::contract::LoadedContract;
use crate::error::{Error, Result};
use crate::i18n::Labels;
use crate::load::DataSet;
use crate::output::write_atomic;
use crate::rca::due::Requirement;
use crate::rca::{self, DueReason, RcaDocument, RcaStatus};
use crate::render::pdf::PdfSettings;
use crate::render::{self, world::TemplateSet};
use crate::ticket::Ticket;

#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["ticket", "due"])))]
pub struct RcaArgs {
    /// The options every report command shares: --data (with tickets.csv and the provider's
    /// RCA files in rca/<ticket id>.toml), --out (documents go to OUT/rca/), --today,
    /// --contract, --templates, --branding, --lang, --no-archival.
    #[command(flatten)]
    pub report: ReportOptions,
    #[command(flatten)]
    pub input: crate::commands::input::InputArgs,
    /// The P1 incident to write the RCA document of.
    #[arg(long, value_name = "ID")]
    pub ticket: Option<String>,
    /// Write the RCA document of every resolved P1 whose RCA is outstanding (not delivered,
    /// due later or overdue) or was delivered in the last N workdays (N = the RCA term).
    #[arg(long)]
    pub due: bool,
    /// Also write an RCA for a ticket that needs none (not a P1 incident, or out of scope).
    #[arg(long, requires = "ticket")]
    pub voluntary: bool,
}

struct Setup {
    contract: LoadedContract,
    today: NaiveDate,
    templates: TemplateSet,
    labels: Labels,
    data: DataSet,
    dir: PathBuf,
    archival: bool,
}

pub fn run(args: &RcaArgs) -> Result<Outcome> {
    // Contract, today, templates with the branding, labels: as for the reports.
    let ReportSetup { contract, today, templates, labels, out } = args.report.setup()?;
    let data = args.input.load(&args.report.data, &contract)?;
    let s = Setup { contract, today, templates, labels, data, dir: out.join("rca"), archival: !args.report.no_archival };
    match &args.ticket {
        Some(id) => one(args, &s, id),
        None => due(args, &s),
    }
}

/// The ticket `wanted` names: exact, else the only case-insensitive match; else an error
/// naming the closest ids.
fn find<'a>(data: &'a DataSet, wanted: &str, csv: &Path) -> Result<&'a Ticket> {
    let wanted = wanted.trim();
    if let Some(t) = data.tickets.iter().find(|t| t.id == wanted) {
        return Ok(t);
    }
    let folded: Vec<&Ticket> = data.tickets.iter().filter(|t| t.id.eq_ignore_ascii_case(wanted)).collect();
    if let [t] = folded.as_slice() {
        return Ok(t);
    }
    let ids: BTreeSet<&str> = data.tickets.iter().map(|t| t.id.as_str()).collect();
    let close = rca::closest_ids(wanted, ids.into_iter(), 3);
    let mut e = Error::new(if close.is_empty() {
        format!("ticket {wanted} is not in {} (it holds no valid tickets)", csv.display())
    } else {
        format!("ticket {wanted} is not in {}; the closest ids are {}", csv.display(), close.join(", "))
    })
    .with_hint("pass the ticket id exactly as in the id column, for example --ticket INC039228");
    if !data.rejections.is_empty() {
        e = e.with_hint(format!(
            "{} rows of the data were rejected and are not searched; `slarapport check --data {}` lists them",
            data.rejections.len(),
            data.dir.display()
        ));
    }
    Err(e)
}

/// File name stem from the label `rca.file_stem`, kept to one plain file name.
fn stem(labels: &Labels, id: &str) -> Result<String> {
    render::file_stem(&render::render_text(labels.get("rca.file_stem"), minijinja::context! { ticket => id })?, "rca.file_stem")
}

/// Renders and writes `doc`; returns the two paths.
fn write(s: &Setup, doc: &RcaDocument) -> Result<[PathBuf; 2]> {
    let stem = stem(&s.labels, &doc.ticket.id)?;
    let json = render::to_json(doc)?;
    let settings = PdfSettings {
        archival: s.archival,
        attachments: vec![render::json_attachment(format!("{stem}.json"), json.clone(), s.labels.get("rca.attachment_json"))],
    };
    let pdf = render::pdf::render_pdf_with(&s.templates, "rca.typ", render::pdf_input(doc, &s.labels)?, s.today, &settings)?;
    let paths = [s.dir.join(format!("{stem}.pdf")), s.dir.join(format!("{stem}.json"))];
    write_atomic(&paths[0], &pdf)?;
    write_atomic(&paths[1], &json)?;
    Ok(paths)
}

fn verdict_text(doc: &RcaDocument) -> String {
    let d = &doc.due;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let due = day(d.due_on);
    match d.verdict {
        RcaStatus::OnTime => format!("delivered on time ({} ≤ due {due})", day(d.delivered_on)),
        RcaStatus::Late => format!(
            "delivered late ({}, due {due}: {} workday{} late)",
            day(d.delivered_on),
            d.workdays_late,
            if d.workdays_late == 1 { "" } else { "s" }
        ),
        RcaStatus::Overdue => format!(
            "overdue: due {due}, not delivered ({} workday{} late)",
            d.workdays_late,
            if d.workdays_late == 1 { "" } else { "s" }
        ),
        RcaStatus::NotYetDue => format!("not yet due: due {due}"),
        RcaStatus::Unresolved => "the incident is not resolved yet: no due date".into(),
        RcaStatus::Voluntary => "voluntary: no due date".into(),
    }
}

fn missing_text(doc: &RcaDocument) -> String {
    doc.missing
        .iter()
        .map(|k| match k.as_str() {
            "file" => format!("the RCA file rca/{}.toml", doc.ticket.id),
            "resolution" => "the resolution (the ticket is not resolved)".into(),
            "delivered_after_today" => "delivery (delivered_on is after today)".into(),
            other => other.replace('_', " "),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares the file's delivery date with tickets.csv's `rca_delivered_at`.
fn cross_check(s: &Setup, t: &Ticket, doc: &RcaDocument) {
    let csv = t.rca_delivered_at.map(|d| s.contract.clock.local(d).date());
    let file = doc.analysis.delivered_on;
    if csv != file && doc.required {
        eprintln!(
            "warning: {}: tickets.csv (line {}) has rca_delivered_at {}, the RCA file has delivered_on {}; the document follows the file",
            t.id,
            t.line,
            csv.map_or("empty".into(), |d| d.to_string()),
            file.map_or("missing".into(), |d| d.to_string())
        );
    }
}

fn one(args: &RcaArgs, s: &Setup, wanted: &str) -> Result<Outcome> {
    let t = find(&s.data, wanted, &args.report.data.join("tickets.csv"))?;
    let req = rca::due::requirement(t);
    if req != Requirement::Required && !args.voluntary {
        let why = match req {
            Requirement::OutOfScope => format!("{} is a P1 incident outside the scope of the contract", t.id),
            _ => format!("{} is a {} {}, not a P1 incident", t.id, t.priority.key(), t.ticket_type.key().replace('_', " ")),
        };
        return Err(Error::new(format!("{why}: the contract asks for an RCA only after a P1 incident (§5.2)"))
            .with_hint(format!("to write a voluntary RCA for it anyway, add --voluntary: slarapport rca --data {} --ticket {} --voluntary", args.report.data.display(), t.id)));
    }
    let file = rca::file::read_rca_file(&args.report.data, &t.id)?;
    let doc = rca::build(t, file.as_ref(), &s.contract, s.today, s.labels.lang());
    cross_check(s, t, &doc);
    let paths = write(s, &doc)?;
    println!("RCA {} ({}): {}", doc.ticket.id, if doc.status == "final" { "final" } else { "draft" }, verdict_text(&doc));
    for p in &paths {
        println!("  {}", p.display());
    }
    if doc.status == "final" {
        Ok(Outcome::Clean)
    } else {
        eprintln!("warning: this RCA is a draft, marked {:?} on every page; still to fill in: {}", s.labels.get("rca.draft"), missing_text(&doc));
        if file.is_none() {
            eprintln!(
                "hint: the provider's analysis goes in {} (TOML, keys: {}); see the README's RCA section",
                args.report.data.join("rca").join(format!("{}.toml", t.id)).display(),
                rca::file::RCA_FILE_KEYS
            );
        }
        Ok(Outcome::Findings)
    }
}

fn due(args: &RcaArgs, s: &Setup) -> Result<Outcome> {
    let n = s.contract.contract.rules.rca_due_workdays;
    println!(
        "RCA documents on {}: P1 incidents whose RCA is outstanding or was delivered in the last {n} workdays",
        s.today
    );
    let mut errors: Vec<Error> = Vec::new();
    let mut unresolved: Vec<&str> = Vec::new();
    let (mut drafts, mut finals) = (0usize, 0usize);
    for t in s.data.tickets.iter().filter(|t| rca::due::requirement(t) == Requirement::Required) {
        if t.resolved_at.is_none() {
            unresolved.push(&t.id);
            continue;
        }
        let file = match rca::file::read_rca_file(&args.report.data, &t.id) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let doc = rca::build(t, file.as_ref(), &s.contract, s.today, s.labels.lang());
        let Some(reason) = rca::due_reason(&doc, &s.contract, s.today) else { continue };
        cross_check(s, t, &doc);
        let paths = write(s, &doc)?;
        let why = match reason {
            DueReason::Outstanding => "outstanding",
            DueReason::RecentlyDelivered => "recently delivered",
        };
        if doc.status == "final" {
            finals += 1;
            println!("  {} final ({why}): {}", doc.ticket.id, verdict_text(&doc));
        } else {
            drafts += 1;
            println!("  {} DRAFT ({why}): {}; missing: {}", doc.ticket.id, verdict_text(&doc), missing_text(&doc));
        }
        for p in &paths {
            println!("    {}", p.display());
        }
    }
    if drafts + finals == 0 {
        println!("  none");
    }
    if !unresolved.is_empty() {
        println!("not resolved yet, so no RCA due: {}", unresolved.join(", "));
    }
    // RCA files that belong to no ticket are probably misnamed.
    let ids: BTreeSet<&str> = s.data.tickets.iter().map(|t| t.id.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(args.report.data.join("rca")) {
        let mut orphans: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
            .filter(|id| !ids.contains(id.as_str()))
            .collect();
        orphans.sort();
        for o in orphans {
            eprintln!("warning: rca/{o}.toml belongs to no ticket in tickets.csv; is it named after its ticket id?");
        }
    }
    println!("{} written: {finals} final, {drafts} draft", drafts + finals);
    if !errors.is_empty() {
        let mut e = Error::new(format!(
            "{} RCA file{} could not be read:\n  {}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("\n  ")
        ));
        e = e.with_hint(format!("an RCA file may hold only these keys: {}", rca::file::RCA_FILE_KEYS));
        return Err(e);
    }
    if drafts > 0 {
        if drafts == 1 {
            eprintln!("warning: 1 of the documents is a draft (marked {:?})", s.labels.get("rca.draft"));
        } else {
            eprintln!("warning: {drafts} of the documents are drafts (marked {:?})", s.labels.get("rca.draft"));
        }
        Ok(Outcome::Findings)
    } else {
        Ok(Outcome::Clean)
    }
}
