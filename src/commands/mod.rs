//! The CLI's commands, one file each; `main.rs` only parses arguments and maps results to
//! exit codes. Commands print what a person needs (files written, due dates, the
//! accounting) on stdout and problems as `warning:` / `error:` / `hint:` on stderr.

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};

use crate::branding::Branding;
use crate::contract::LoadedContract;
use crate::error::{Error, Result};
use crate::i18n::{Labels, Lang};
use crate::render::world::TemplateSet;

pub mod annual;
pub mod check;
pub mod contract;
pub mod demo;
pub mod deliveries;
pub mod diff;
pub mod init;
pub mod input;
pub mod monthly;
pub mod profile;
pub mod quarterly;
pub mod rca;
pub mod verify;

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

/// Whether a report on `period` can be made `today`: not before the period begins (an
/// error); before it has ended it is an interim view (a warning, returned).
fn check_period(period: &crate::period::Period, today: NaiveDate) -> Result<Option<String>> {
    let label = period.label();
    if today < period.start {
        return Err(Error::new(format!("the period {label} has not begun yet (today is {today})"))
            .with_hint("pass --period for a period that has ended (or --today for the date the report is made)"));
    }
    Ok((today < period.end).then(|| {
        format!(
            "the period {label} has not ended yet (it runs to {}, today is {today}): the report is an interim view, its figures can still change",
            period.last_day()
        )
    }))
}

/// A warning when a report has no tickets at all: under a scheduled run, an empty report
/// must not go out unnoticed (the data may not cover the period, or be the wrong file).
fn empty_warning(period: &crate::period::Period, s: &crate::report::model::Summary, data: &crate::load::DataSet, contract: &LoadedContract) -> Option<String> {
    if let Some(far) = period_after_data(period, s, data, contract) {
        return Some(far.message());
    }
    if s.tickets_opened > 0 || s.tickets_resolved > 0 || s.backlog_overdue > 0 {
        return None;
    }
    let span = match (data.tickets.iter().map(|t| t.opened_at).min(), data.tickets.iter().map(|t| t.opened_at).max()) {
        (Some(a), Some(b)) => format!("its tickets were opened from {} to {}", a.date_naive(), b.date_naive()),
        _ => "it holds no valid tickets".to_string(),
    };
    Some(format!("no ticket was opened or resolved in {}: check that the data covers the period ({span})", period.label()))
}

/// A period that begins after the data's last month with a ticket opened or resolved in it
/// (a run without `--period` on an old export): nothing is counted in it but the tickets left
/// open, which all turn up as overdue backlog.
pub struct PeriodAfterData {
    pub period: crate::period::Period,
    /// The last month in which a ticket was opened or resolved (`YYYY-MM`).
    pub last_month: String,
    /// The last date a ticket was opened or resolved.
    pub last_day: NaiveDate,
    pub backlog: u64,
}

impl PeriodAfterData {
    /// The sentence for the report's notes, in its language (months in words).
    pub fn note(&self, labels: &Labels) -> String {
        let mut note = labels
            .get("pdf.dq.period_after_data")
            .replace("{period}", &crate::i18n::month_label(&self.period.label(), labels))
            .replace("{last_day}", &crate::i18n::format_date(self.last_day, labels))
            .replace("{last_month}", &crate::i18n::month_label(&self.last_month, labels));
        if self.backlog > 0 {
            note.push(' ');
            note.push_str(&labels.get("pdf.dq.period_after_data_backlog").replace("{n}", &crate::i18n::format_number(self.backlog as f64, 0, labels.lang())));
        }
        note
    }

    pub fn message(&self) -> String {
        let backlog = match self.backlog {
            0 => String::new(),
            1 => "; the one ticket still open at its end counts as overdue backlog".to_string(),
            n => format!("; the {n} tickets still open at its end count as overdue backlog"),
        };
        format!(
            "no ticket was opened or resolved in {}: the data ends on {}, its last month with data is {}{backlog}; give --period {} to report on that month",
            self.period.label(),
            self.last_day,
            self.last_month,
            self.last_month
        )
    }
}

/// [`PeriodAfterData`] when `period` lies after the data (none while a ticket was opened or
/// resolved in it, or the data holds no tickets).
pub fn period_after_data(
    period: &crate::period::Period,
    s: &crate::report::model::Summary,
    data: &crate::load::DataSet,
    contract: &LoadedContract,
) -> Option<PeriodAfterData> {
    if s.tickets_opened > 0 || s.tickets_resolved > 0 {
        return None;
    }
    let last = data.tickets.iter().flat_map(|t| std::iter::once(t.opened_at).chain(t.resolved_at)).max()?;
    let last_day = contract.clock.local(last).date();
    if last_day >= period.start {
        return None;
    }
    let last_month = last_day.format("%Y-%m").to_string();
    Some(PeriodAfterData { period: *period, last_month, last_day, backlog: s.backlog_overdue })
}

/// What a report run has once its period is known: the data read and the report's folder
/// locked (held until the last file is written, so a second run on the same report — a
/// rerun while the scheduled one is still busy — is refused instead of racing it).
pub struct ReportStart {
    /// Set when the period has not ended yet (see [`check_period`]).
    pub interim: Option<String>,
    pub progress: crate::progress::Progress,
    pub data: crate::load::DataSet,
    pub dir: PathBuf,
    pub lock: crate::output::FolderLock,
}

impl ReportStart {
    /// Frees the data's tickets once the report is built from them, before its PDF is laid
    /// out, so the two are not held at the same time (at a million tickets 450 MB). What the
    /// run needs of the data later (files, documents, commentary) stays.
    pub fn free_tickets(&mut self) {
        self.data.tickets = Vec::new();
    }
}

/// Checks the period, reads the data (the progress bar's first of `stages` stages) and locks
/// the report's folder `out/<period>`.
pub fn start_report(
    period: &crate::period::Period,
    today: NaiveDate,
    out: &std::path::Path,
    report: &ReportOptions,
    input: &input::InputArgs,
    contract: &LoadedContract,
    stages: u64,
) -> Result<ReportStart> {
    let interim = check_period(period, today)?;
    let progress = crate::progress::Progress::start(stages);
    progress.stage("reading the data");
    let mut data = input.load(&report.data, contract)?;
    crate::load::warn_after_today(&mut data, today, contract);
    let dir = out.join(period.label());
    let lock = crate::output::FolderLock::acquire(&dir)?;
    for note in &lock.notes {
        eprintln!("note: {note}");
    }
    Ok(ReportStart { interim, progress, data, dir, lock })
}

/// A rerun's changes: the report already in `dir` (the version this run replaces) against
/// the new report, given as what makes its JSON (`new_json`, without changes; called only
/// when there is a previous report, and read back through the same text, so numbers compare
/// exactly). `key` is the field a report keeps its changes in
/// (see [`crate::report::changes::against_previous`]). `None` for a first report; a previous
/// report that cannot be read is a warning, not a failure (the new report is made without
/// the comparison).
pub fn rerun_changes(
    dir: &std::path::Path,
    new_json: impl FnOnce() -> Result<Vec<u8>>,
    key: &str,
) -> Result<Option<crate::report::changes::Changes>> {
    use crate::report::changes;
    let previous = match crate::manifest::report_json_in(dir).and_then(|p| p.map(|p| changes::read_json(&p)).transpose()) {
        Ok(Some(v)) => v,
        Ok(None) => return Ok(None),
        Err(e) => {
            eprintln!("warning: cannot compare with the report already in {}: {}", dir.display(), e.message);
            return Ok(None);
        }
    };
    // Made only when there is a report to compare with (the first run of a period has none),
    // and read back as the previous one was: from its text.
    let new: serde_json::Value = serde_json::from_slice(&new_json()?).map_err(|e| Error::cannot_read("the report back", e))?;
    Ok(changes::against_previous(&previous, &new, key))
}

/// Says which KPIs below their norm and which P1 breaches have no explanation in the period's
/// commentary file; `true` when the report is therefore a draft (`require_explanations`).
pub fn report_commentary(c: &crate::voice::commentary::Commentary, period: &str) -> bool {
    if c.unexplained.is_empty() {
        return false;
    }
    let file = c.file.clone().unwrap_or_else(|| format!("{}/{period}.toml", crate::voice::commentary::COMMENTARY_DIR));
    let lines = crate::voice::commentary::unexplained_lines(c);
    if c.draft {
        eprintln!("warning: the report is a draft (CONCEPT): {} without an explanation, and the contract requires one", lines.len());
    } else {
        eprintln!("note: {} without an explanation (listed in the report as \"zonder toelichting\"):", lines.len());
    }
    for l in &lines {
        eprintln!("  {l}");
    }
    if c.draft {
        eprintln!("hint: explain them in {file} and make the report again for the final version");
    }
    c.draft
}

/// The warnings a report run ends with (a period not ended, no tickets at all), worked out
/// while the data's tickets are there (see [`ReportStart::free_tickets`]); printed by
/// [`report_warnings`].
pub fn run_warnings(
    start: &ReportStart,
    contract: &LoadedContract,
    period: &crate::period::Period,
    summary: &crate::report::model::Summary,
) -> Vec<String> {
    start.interim.iter().cloned().chain(empty_warning(period, summary, &start.data, contract)).collect()
}

/// The notes and warnings every report run ends with (provider without a name, the
/// [`run_warnings`]); `Findings` when there was a warning.
pub fn report_warnings(contract: &LoadedContract, warnings: &[String]) -> Outcome {
    if let Some(note) = placeholder_note(contract) {
        eprintln!("note: {note}");
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
    if warnings.is_empty() { Outcome::Clean } else { Outcome::Findings }
}

/// The rejected rows and data-quality warnings of a report over several months (quarterly,
/// annual), said in one line; `true` (a finding) when there are any.
pub fn report_data_findings(rejected: u64, warnings: u64) -> bool {
    let any = rejected > 0 || warnings > 0;
    if any {
        eprintln!("warning: {rejected} rows rejected and {warnings} data-quality warnings (see the monthly reports)");
    }
    any
}

/// A note when the reports name the provider by the guideline's placeholder
/// ("Opdrachtnemer"): the cover, the page headers and the cover message then carry no name.
fn placeholder_note(contract: &LoadedContract) -> Option<String> {
    (contract.contract.parties.provider.trim() == "Opdrachtnemer").then(|| {
        "the reports name the provider \"Opdrachtnemer\" (the guideline's word): put your name in branding.toml (provider = \"…\", see `slarapport init`) or in the contract's [parties]".to_string()
    })
}

/// "Today" for a run: `--today`, else `SOURCE_DATE_EPOCH`, else the system clock — read
/// here, at the edge, never in the core. The date is the one in `tz` (the contract's).
pub fn resolve_today(flag: Option<&str>, tz: chrono_tz::Tz) -> Result<NaiveDate> {
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

/// `--lang nl|en`: the values clap accepts and lists in the help.
impl clap::ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &Lang::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

/// The options every report command shares (monthly, quarterly, RCA).
#[derive(Debug, Clone, clap::Args)]
pub struct ReportOptions {
    /// Folder with tickets.csv (and calls.csv, measurements.csv, rca/, contract.toml).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where the outputs go: OUT/<period>/ for a report, OUT/rca/ for RCA documents
    /// [default: DATA/rapporten].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Contract file (TOML) [default: DATA/contract.toml if present, else the guideline's].
    #[arg(long, value_name = "FILE")]
    pub contract: Option<PathBuf>,
    /// The date the report is made, YYYY-MM-DD [default: SOURCE_DATE_EPOCH, else the system date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Folder with your own templates; files there replace the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Branding file (TOML: names, logo, colours, footer) [default: DATA/branding.toml if
    /// present, else the built-in look].
    #[arg(long, value_name = "FILE")]
    pub branding: Option<PathBuf>,
    /// Language of the report.
    #[arg(long, default_value = "nl")]
    pub lang: Lang,
    /// Make a plain PDF instead of an archival one (PDF/A-3b with the JSON and the annex
    /// embedded, and accessible PDF/UA-1).
    #[arg(long)]
    pub no_archival: bool,
}

/// What a report command works with, resolved from `ReportOptions`.
pub struct ReportSetup {
    pub contract: LoadedContract,
    pub today: NaiveDate,
    pub templates: TemplateSet,
    pub labels: Labels,
    /// The root output folder (`--out` or DATA/rapporten).
    pub out: PathBuf,
}

impl ReportOptions {
    pub fn setup(&self) -> Result<ReportSetup> {
        let mut contract = LoadedContract::resolve(self.contract.as_deref(), Some(&self.data))?;
        let today = resolve_today(self.today.as_deref(), contract.tz)?;
        let branding = Branding::resolve(self.branding.as_deref(), Some(&self.data))?;
        for w in &branding.warnings {
            eprintln!("warning: {w}");
        }
        // The branding's names replace the contract's [parties] for the whole run.
        branding.apply_names(&mut contract);
        let templates = match &self.templates {
            Some(dir) => TemplateSet::with_overrides(dir)?,
            None => TemplateSet::embedded(),
        }
        .with_branding(branding);
        let labels = crate::render::labels(&templates, self.lang)?;
        let out = self.out.clone().unwrap_or_else(|| self.data.join("rapporten"));
        Ok(ReportSetup { contract, today, templates, labels, out })
    }
}

impl ReportOptions {
    /// The manifest of a run, without its outputs (`output::write_report` adds them).
    pub fn manifest(
        &self,
        setup: &ReportSetup,
        start: &ReportStart,
        input: &input::InputArgs,
        kind: &str,
        meta: &crate::report::model::Meta,
    ) -> Result<crate::manifest::Manifest> {
        use crate::manifest::{canonical, FileHash, Manifest, Origin};
        let (mapping, tickets) = input.provenance(&self.data)?;
        let data_dir = canonical(&self.data);
        // Every input by its path: the ticket file where it was read, the others in the folder.
        let path = |name: &str| {
            if name == start.data.tickets_file() {
                tickets.clone()
            } else {
                Some(canonical(&self.data.join(name)))
            }
        };
        Ok(Manifest {
            tool: "slarapport".into(),
            version: crate::VERSION.into(),
            kind: kind.into(),
            period: meta.period.clone(),
            cutoff: meta.cutoff.to_string(),
            generated_on: meta.generated_on.to_string(),
            paths: crate::manifest::PATHS.into(),
            data_dir,
            contract: Origin::of(match &setup.contract.source {
                crate::contract::ContractSource::Embedded => None,
                crate::contract::ContractSource::File(p) => Some(p),
            }),
            contract_sha256: meta.contract_sha256.clone(),
            templates: Origin::of(self.templates.as_deref()),
            template_files: Manifest::template_hashes(&setup.templates),
            branding_files: Manifest::branding_hashes(&setup.templates),
            // The row files, then the files that shape the report without rows (RCA files,
            // commentary): every file that shaped the report is hashed.
            inputs: meta
                .inputs
                .iter()
                .map(|f| FileHash { name: f.name.clone(), sha256: f.sha256.clone(), rows: Some(f.rows), path: path(&f.name) })
                .chain(start.data.documents.iter().map(|(name, sha256)| FileHash {
                    name: name.clone(),
                    sha256: sha256.clone(),
                    rows: None,
                    path: Some(canonical(&self.data.join(name))),
                }))
                .collect(),
            mapping,
            outputs: Vec::new(),
        })
    }
}
