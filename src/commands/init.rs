//! `slarapport init DIR`: a working folder a provider can make its own — the contract to edit
//! (`contract.toml`), a commented `branding.toml`, a copy of the templates (`templates/`),
//! example data for the two months before today (`data/`), and a systemd service + timer and
//! a cron line for the monthly run (`schedule/`). Existing files are left alone unless
//! `--force`; nothing is written when one would be overwritten. The service and timer text
//! also makes the Debian package's template units (`template_units`, `packaging/systemd/`).

use std::path::{Path, PathBuf};

use chrono::{Datelike, Months, NaiveDate};

use crate::commands::{resolve_today, Outcome};
use crate::contract::{LoadedContract, DEFAULT_CONTRACT};
use crate::demo::{write_demo, DemoOptions};
use crate::error::{Error, Result};
use crate::output::write_atomic;
use crate::render::world::TemplateSet;

#[derive(Debug, Clone, clap::Args)]
pub struct InitArgs {
    /// The folder to set up (created when it does not exist).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
    /// The date the example data is made for: the two months before it, YYYY-MM-DD
    /// [default: SOURCE_DATE_EPOCH, else the system date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

/// The commented example `branding.toml`. It is valid as it is (a test reads it): only the
/// house colours are set, to the built-in ones.
pub const BRANDING_EXAMPLE: &str = r##"# Branding of the reports made from this folder: names, logo, colours and a footer text.
# Every key is optional: one left out keeps the built-in look (or the contract's names).
# Used with --branding FILE, or when it lies in the data folder as branding.toml.
# An unknown key, a colour that is not #rrggbb or a logo that is not an SVG/PNG is an error.

# The names on the cover and in the page headers; they replace [parties] of the contract.
# provider = "Voorbeeld IT B.V."
# client = "De Haagse Scholen"

# The logo, top left on the cover: an SVG (sharp at any size) or PNG file, relative to the
# folder of this file. It is embedded in the PDF.
# logo = "logo.svg"
# Its text for screen readers (PDF/UA) [default: "Logo van" + the provider's name].
# logo_alt = "Logo Voorbeeld IT"

# A line at the bottom of every page, e.g. the service desk (at most 120 characters).
# footer = "Voorbeeld IT B.V. · Servicedesk 070 123 45 67 · servicedesk@voorbeeld.nl"

[colours]
# The house colours as #rrggbb: primary for headings, table headers and the cover, accent
# for striped rows and tiles. These are the built-in ones; white text must stay readable on
# primary and dark text on accent (a warning says when it is not).
primary = "#0b5f7a"
accent = "#e8f2f5"
"##;

/// One file to write: path inside the folder, contents.
type Planned = (PathBuf, Vec<u8>);

/// The commented commentary file `init` writes (`PERIOD` is the month).
const COMMENTARY_EXAMPLE: &str = r#"# Toelichting bij het rapport over PERIOD: slarapport leest toelichting/PERIOD.toml (een
# maand), toelichting/2026-Q3.toml (een kwartaal). Tekst mag alinea's, opsommingen (- ...),
# **vet** en *cursief* bevatten; al het andere wordt letterlijk afgedrukt.
# Een sleutel moet iets in het rapport noemen (anders een fout met de bestaande sleutels).
# Een KPI onder de norm of een P1 met een overschrijding zonder toelichting staat in het
# rapport onder "Zonder toelichting"; met require_explanations = true in het contract is het
# rapport dan een CONCEPT (exit 1) tot de toelichting er is.

summary = """
Een samenvatting van de maand voor de contractmanager.
"""

# [kpi.resolution_time]                 # een KPI-id (slarapport contract toont ze)
# explanation = "Waarom de oplostijd achterbleef."
# action = "Wat er gebeurt."             # optioneel, met owner en due_on
# owner = "Servicemanager"
# due_on = 2026-12-15
#
# [recurring."werkplek / laptop"]       # een terugkerend probleem zoals het rapport het noemt
# explanation = "..."
#
# [p1.INC0012345]                       # een P1-ticket
# explanation = "..."
#
# [school."OBS De Zeester"]             # een school
# explanation = "..."
"#;

pub fn run(args: &InitArgs) -> Result<Outcome> {
    let contract = LoadedContract::embedded();
    let today = resolve_today(args.today.as_deref(), contract.tz)?;
    let (first, last) = demo_months(today);
    let month = |(y, m): (i32, u32)| format!("{y}-{m:02}");

    let mut files: Vec<Planned> = vec![
        ("contract.toml".into(), DEFAULT_CONTRACT.as_bytes().to_vec()),
        ("branding.toml".into(), BRANDING_EXAMPLE.as_bytes().to_vec()),
    ];
    let templates = TemplateSet::embedded();
    for (name, bytes) in &templates.files {
        files.push((Path::new("templates").join(name), bytes.clone()));
    }
    let demo = demo_files(first, last)?;
    let tickets = demo.1;
    files.extend(demo.0.into_iter().map(|(p, b)| (Path::new("data").join(p), b)));
    // The commentary of the last demo month: a summary, the entries commented out (a key
    // must name something in the report, and the demo's KPIs and P1s vary with the date).
    let commentary = COMMENTARY_EXAMPLE.replace("PERIOD", &month(last));
    files.push((Path::new("data").join(crate::voice::commentary::COMMENTARY_DIR).join(format!("{}.toml", month(last))), commentary.into_bytes()));

    std::fs::create_dir_all(&args.dir).map_err(|e| {
        Error::cannot_create_folder(args.dir.display(), e)
            .with_hint("pass a folder you may write to")
    })?;
    let root = args.dir.canonicalize().unwrap_or_else(|_| args.dir.clone());
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| PathBuf::from("/usr/local/bin/slarapport"));
    let tz = contract.tz.name().to_string();
    files.extend(schedule_files(&exe, &root, &tz));

    let existing: Vec<&PathBuf> = files.iter().map(|(p, _)| p).filter(|p| root.join(p).exists()).collect();
    if !existing.is_empty() && !args.force {
        let names: Vec<String> = existing.iter().take(5).map(|p| p.display().to_string()).collect();
        let more = if existing.len() > 5 { format!(" and {} more", existing.len() - 5) } else { String::new() };
        return Err(Error::new(format!(
            "{} already holds {} of the files init writes: {}{more}; nothing was written",
            root.display(),
            existing.len(),
            names.join(", ")
        ))
        .with_hint(format!("add --force to overwrite them, or choose a new folder: slarapport init {}-nieuw", args.dir.display())));
    }
    for (rel, bytes) in &files {
        write_atomic(&root.join(rel), bytes)?;
    }

    let q = |p: &Path| shell_quote(&p.display().to_string());
    println!("Working folder {}:", root.display());
    println!("  contract.toml   the contract (the guideline's): parties, targets, calendar, KPIs — edit it");
    println!("  branding.toml   your names, logo, colours and footer (a commented example)");
    println!("  templates/      the report templates and labels ({} files), to adapt", templates.files.len());
    println!("  data/           example data for {} to {} ({tickets} tickets): replace it with your export", month(first), month(last));
    println!("                  with the provider's logs verbeteracties.csv, klachten.csv and escalaties.csv (columns: see the README)");
    println!("  schedule/       a systemd service and timer, and a cron line, for the monthly run");
    println!();
    println!("Next steps:");
    println!("  1. Check the contract after editing it:");
    println!("       slarapport contract --contract {}", q(&root.join("contract.toml")));
    println!("  2. Fill in branding.toml and put your logo beside it.");
    println!("  3. Make the example report (exit code 1: the example data holds deliberately broken rows):");
    println!("       {}", monthly_command("slarapport", &root, false));
    println!("  4. Put your ticket export in data/ (tickets.csv) and check it:");
    println!("       slarapport check --data {} --contract {}", q(&root.join("data")), q(&root.join("contract.toml")));
    println!("  5. Schedule the monthly run on the first workday of the month:");
    println!("       sudo cp {}/slarapport-monthly.* /etc/systemd/system/", q(&root.join("schedule")));
    println!("       sudo systemctl daemon-reload && sudo systemctl enable --now slarapport-monthly.timer");
    println!("     or, with the Debian package installed, enable its template for this folder:");
    println!("       sudo systemctl enable --now slarapport-monthly@$(systemd-escape --path {}).timer", q(&root));
    println!("     or add the line of {} to a crontab (crontab -e).", root.join("schedule/crontab").display());
    println!("  6. The quarterly and the annual report are made by hand, before their meetings (no timer):");
    println!("       slarapport quarterly --data {} --contract {}", q(&root.join("data")), q(&root.join("contract.toml")));
    println!("       slarapport annual --data {} --contract {} --period YYYY", q(&root.join("data")), q(&root.join("contract.toml")));
    println!("     the annual one for the strategic meeting, once the year has ended (from an export covering the year).");
    Ok(Outcome::Clean)
}

/// The two months before `today`'s: their first and last, `YYYY-MM`.
fn demo_months(today: NaiveDate) -> ((i32, u32), (i32, u32)) {
    let this = today.with_day(1).expect("day 1 exists");
    let last = this - Months::new(1);
    let first = this - Months::new(2);
    ((first.year(), first.month()), (last.year(), last.month()))
}

/// The demo data for `first..=last`, as (path inside the data folder, bytes), and the number
/// of valid tickets. Written to a scratch folder and read back, so nothing lands in the
/// working folder before the overwrite check.
fn demo_files(first: (i32, u32), last: (i32, u32)) -> Result<(Vec<Planned>, u64)> {
    let scratch = std::env::temp_dir().join(format!("slarapport-init-{}-{}", std::process::id(), unique()));
    let result = (|| {
        let opts = DemoOptions { from: first, to: last, ..DemoOptions::default() };
        let summary = write_demo(&scratch, &opts)?;
        let mut out = Vec::new();
        let mut stack = vec![scratch.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(&scratch).expect("inside the scratch folder").to_path_buf();
                    out.push((rel, std::fs::read(&path)?));
                }
            }
        }
        out.sort();
        Ok::<_, std::io::Error>((out, summary.tickets))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result.map_err(|e| Error::new(format!("cannot make the example data: {e}")))
}

fn unique() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

/// The monthly run of the working folder `root`, as a shell command line.
fn monthly_command(exe: &str, root: &Path, scheduled: bool) -> String {
    let q = |p: PathBuf| shell_quote(&p.display().to_string());
    format!(
        "{exe} monthly{} --data {} --contract {} --templates {} --branding {} --out {}",
        if scheduled { " --only-first-workday" } else { "" },
        q(root.join("data")),
        q(root.join("contract.toml")),
        q(root.join("templates")),
        q(root.join("branding.toml")),
        q(root.join("rapporten")),
    )
}

/// `schedule/`: a systemd service and timer and a crontab line. Both run daily on the 1st to
/// the 7th and let `--only-first-workday` decide: the first workday of a month can fall as
/// late as the 4th (New Year's Day on a Friday) and holidays are the contract's, which
/// neither systemd nor cron knows.
fn schedule_files(exe: &Path, root: &Path, tz: &str) -> Vec<Planned> {
    let exe_s = exe.display().to_string();
    let cmd = monthly_command(&shell_quote(&exe_s), root, true);
    let [service, timer] = systemd_units(UnitsFor::Folder { exe, root }, tz);
    let cron = format!(
        "# The monthly SLA report of {root}: daily on the 1st to the 7th at 07:00; with
# --only-first-workday the report is made only on the first workday of the month by the
# contract's calendar (weekends and holidays excluded). Add the line with `crontab -e`.
# cron runs in the machine's time zone; cronie also reads CRON_TZ={tz}.
# The quarterly and the annual report are made by hand before their meetings, e.g.
#   slarapport annual --data DIR --period YYYY   (the strategic meeting, after the year)
0 7 1-7 * * {cmd} >> {log} 2>&1
",
        root = root.display(),
        cmd = cmd.replace('%', "\\%"),
        // In the folder itself: it exists before the first run (a redirect into a missing
        // folder would stop the job before it starts).
        log = shell_quote(&root.join("cron.log").display().to_string()).replace('%', "\\%"),
    );
    vec![
        ("schedule/slarapport-monthly.service".into(), service.into_bytes()),
        ("schedule/slarapport-monthly.timer".into(), timer.into_bytes()),
        ("schedule/crontab".into(), cron.into_bytes()),
    ]
}

/// The binary the Debian package installs, which its template units run.
pub const PACKAGE_EXE: &str = "/usr/bin/slarapport";

/// The systemd template units the Debian package installs (`packaging/systemd/`, a test
/// checks they are these): `slarapport-monthly@.service` and `.timer`, whose instance is a
/// working folder's escaped path (`systemd-escape --path /srv/sla` gives `srv-sla`). The same
/// text as `init`'s `schedule/` units, with the folder as `%f`; the time zone is the embedded
/// contract's, as in `init`.
pub fn template_units() -> [(&'static str, String); 2] {
    let tz = LoadedContract::embedded().tz.name().to_string();
    let [service, timer] = systemd_units(UnitsFor::Template, &tz);
    [("slarapport-monthly@.service", service), ("slarapport-monthly@.timer", timer)]
}

/// Whom the systemd units run the report for.
enum UnitsFor<'a> {
    /// The working folder `root` (`init`), with the binary that made it.
    Folder { exe: &'a Path, root: &'a Path },
    /// Any working folder, as the instance of the package's template units.
    Template,
}

/// The systemd service and timer of the scheduled monthly run: one text for `init`'s
/// `schedule/` and the package's templates, so the two cannot drift.
fn systemd_units(to: UnitsFor, tz: &str) -> [String; 2] {
    let (about, install, user, exec, unit, of) = match to {
        UnitsFor::Folder { exe, root } => (
            format!("The monthly SLA report of {} (made by `slarapport init`).", root.display()),
            "Install: copy this file and slarapport-monthly.timer to /etc/systemd/system/, then
#   systemctl daemon-reload && systemctl enable --now slarapport-monthly.timer"
                .to_string(),
            "# Run as the user that owns the working folder:
#User=sla",
            systemd_command(&exe.display().to_string(), |name| systemd_arg(&root.join(name).display().to_string())),
            "slarapport-monthly.service",
            String::new(),
        ),
        UnitsFor::Template => (
            "The monthly SLA report of a working folder made by `slarapport init`, as a template
# (installed by the slarapport package): the instance is the folder's path, escaped."
                .to_string(),
            "Enable it for /srv/sla:
#   systemctl enable --now slarapport-monthly@$(systemd-escape --path /srv/sla).timer"
                .to_string(),
            "# It runs as root; to run it as the user that owns the folder, add a drop-in with
# `systemctl edit slarapport-monthly@srv-sla.service` holding: [Service] User=sla",
            // In quotes: a folder with a space stays one argument.
            systemd_command(PACKAGE_EXE, |name| format!("\"%f/{name}\"")),
            "slarapport-monthly@%i.service",
            " of %f".to_string(),
        ),
    };
    let service = format!(
        "# {about}
# {install}
[Unit]
Description=Monthly SLA report (slarapport){of} on the first workday of the month
Documentation=man:slarapport(1)

[Service]
Type=oneshot
{user}
ExecStart={exec}
# Exit code 1: the report was made, with rejected rows or data-quality warnings (the report
# lists them). Without this line (or with an empty SuccessExitStatus= in a drop-in) those
# count as a failed run.
SuccessExitStatus=1
"
    );
    let timer = format!(
        "# Starts {unit} daily on the 1st to the 7th of the month at 07:00
# ({tz}); the service runs with --only-first-workday, so the report is made once: on the
# first workday of the month by the contract's calendar (weekends and holidays excluded).
# Persistent=true catches up a run missed while the machine was off, on the same day; a
# first workday missed altogether is made by hand (slarapport monthly ...). The quarterly
# and the annual report need no timer: they are made by hand before their meetings
# (slarapport quarterly ..., slarapport annual --period YYYY ...).
[Unit]
Description=Monthly SLA report (slarapport){of}: daily check on days 1-7

[Timer]
OnCalendar=*-*-01..07 07:00:00 {tz}
Persistent=true
Unit={unit}

[Install]
WantedBy=timers.target
"
    );
    [service, timer]
}

/// The scheduled run as a systemd `ExecStart=` value: `exe monthly --only-first-workday` and
/// the folder's files, each as `folder(name)` gives it.
fn systemd_command(exe: &str, folder: impl Fn(&str) -> String) -> String {
    let mut parts = vec![systemd_arg(exe), "monthly".into(), "--only-first-workday".into()];
    for (flag, name) in [
        ("--data", "data"),
        ("--contract", "contract.toml"),
        ("--templates", "templates"),
        ("--branding", "branding.toml"),
        ("--out", "rapporten"),
    ] {
        parts.push(flag.into());
        parts.push(folder(name));
    }
    parts.join(" ")
}

/// `s` as one argument of a systemd command line: in double quotes where needed, `%`
/// doubled (systemd's specifier character).
fn systemd_arg(s: &str) -> String {
    let s = s.replace('%', "%%");
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:@".contains(c)) {
        s
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `s` as one shell word: unchanged when it is plain, else in single quotes.
fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:@,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_branding_is_valid_and_the_built_in_look() {
        let b = crate::branding::Branding::parse(BRANDING_EXAMPLE, "branding.toml", Path::new(".")).unwrap();
        assert_eq!(b.primary.as_deref(), Some(crate::branding::DEFAULT_PRIMARY));
        assert_eq!(b.accent.as_deref(), Some(crate::branding::DEFAULT_ACCENT));
        assert!(b.provider.is_none() && b.logo.is_none() && b.footer.is_none() && b.warnings.is_empty());
    }

    #[test]
    fn demo_months_are_the_two_before_today() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(demo_months(d("2026-11-02")), ((2026, 9), (2026, 10)));
        assert_eq!(demo_months(d("2027-02-28")), ((2026, 12), (2027, 1)));
        assert_eq!(demo_months(d("2027-01-01")), ((2026, 11), (2026, 12)));
    }

    #[test]
    fn first_workday_of_the_month_by_the_contract() {
        use crate::commands::monthly::first_workday_of_month;
        let c = LoadedContract::embedded();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(first_workday_of_month(&c.clock, d("2026-11-17")), d("2026-11-02")); // the 1st is a Sunday
        assert_eq!(first_workday_of_month(&c.clock, d("2026-12-01")), d("2026-12-01"));
        assert_eq!(first_workday_of_month(&c.clock, d("2027-01-06")), d("2027-01-04")); // New Year's Day on a Friday
        assert_eq!(first_workday_of_month(&c.clock, d("2029-04-03")), d("2029-04-03")); // Easter Monday on the 2nd
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("/srv/sla/data"), "/srv/sla/data");
        assert_eq!(shell_quote("/srv/my sla/it's"), "'/srv/my sla/it'\\''s'");
        let s = systemd_command("/usr/bin/slarapport", |name| systemd_arg(&Path::new("/srv/my sla").join(name).display().to_string()));
        assert!(s.starts_with("/usr/bin/slarapport monthly --only-first-workday --data \"/srv/my sla/data\""), "{s}");
    }
}
