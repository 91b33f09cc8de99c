//! The benchmark: how long each stage takes and how much memory it needs, for 10k, 100k, 1M
//! and 10M tickets a year, so the growth of the cost is visible. Run it with a release build:
//!
//! ```sh
//! cargo run --release --bin bench            # 10k, 100k, 1M, 10M
//! cargo run --release --bin bench -- 250000  # other sizes
//! ```
//!
//! Each size runs in child processes of its own, so their peak memory (VmHWM) is their own.
//! Data is made by the demo generator (a year, 2026) into a temporary folder once and reused
//! (`slarapport-bench-N`; ten million tickets are 2.2 GB of CSV, made in about 15 s).
//! Per size it measures the quarterly report of 2026-Q3 as `slarapport quarterly` makes it
//! (load, evaluate, aggregate, report, annex, PDF, JSON, total, peak MB), then the monthly
//! report of September as `slarapport monthly` makes it (the PDF archival, with the model and
//! the annex embedded) for sizes up to a million (larger ones when named: at ten million the
//! monthly PDF lists about 18,000 P1 and P2 breaches). The default run includes ten million
//! tickets: it takes minutes and a few GB; a size is skipped, with a line, when the machine
//! has less memory free than it is expected to need. Figures are printed, not asserted:
//! timing belongs in a benchmark, not in a test.
//!
//! Last, an event log (`cargo run --release --bin bench -- --events 140000`, also run by
//! default): a ServiceNow incident audit log of that many update rows (about 25,000 incidents,
//! 36 columns, made deterministically like the public one), read with the `servicenow`
//! profile and reduced to one row per ticket in a process of its own: time and peak memory.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use slarapport::contract::LoadedContract;
use slarapport::demo::{write_demo, DemoOptions};
use slarapport::evaluate::evaluate;
use slarapport::load::load_data_dir;
use slarapport::period::Period;
use slarapport::render::{self, world::TemplateSet};
use slarapport::report::aggregate::{build, RunContext};
use slarapport::report::quarterly::{build_quarterly, build_quarterly_with};

fn peak_memory_mb() -> f64 {
    status_mb("VmHWM:")
}

/// A line of /proc/self/status in MB.
fn status_mb(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

/// The resident memory now, in MB (VmRSS).
fn resident_mb() -> f64 {
    status_mb("VmRSS:")
}

/// Starts a new peak: the kernel sets VmHWM back to the resident memory of now (writing 5 to
/// clear_refs), so the next [`peak_memory_mb`] is the peak of what runs in between.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A stage's peak memory and what it keeps (MB), noted after the stage; a new peak starts.
struct StagePeaks(Vec<(&'static str, f64, f64)>);

impl StagePeaks {
    fn note(&mut self, stage: &'static str) {
        self.0.push((stage, peak_memory_mb(), resident_mb()));
        reset_peak();
    }

    /// Ends a run of `n` tickets: its `figures` (ms) and the highest of the stages' peaks (the
    /// run's peak memory, MB) as one line on stdout for the parent; each stage's peak and what
    /// is held after it on stderr.
    fn finish(&self, n: u64, what: &str, figures: &[f64]) {
        let line: Vec<String> = figures.iter().map(|f| format!("{f:.1}")).collect();
        println!("{} {:.0}", line.join(" "), self.0.iter().map(|p| p.1).fold(0.0, f64::max));
        let stages: Vec<String> = self.0[1..].iter().map(|(s, peak, kept)| format!("{s} {peak:.0} ({kept:.0})")).collect();
        eprintln!("  {n} {what}: peak MB per stage (resident after it): start {:.0}, {}", self.0[0].2, stages.join(", "));
    }
}

fn data_dir(n: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slarapport-bench-{n}"));
    if !dir.join("tickets.csv").is_file() {
        let t = Instant::now();
        let opts = DemoOptions { from: (2026, 1), to: (2026, 12), tickets: Some(n), ..DemoOptions::default() };
        write_demo(&dir, &opts).expect("write demo data");
        eprintln!("  (generated {n} tickets in {:.2} s)", t.elapsed().as_secs_f64());
    }
    dir
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The data of `n` tickets loaded: the contract, the data, the load's time (ms) and the
/// stages' peaks so far (the start and the load).
fn load_size(n: u64) -> (LoadedContract, slarapport::load::DataSet, f64, StagePeaks) {
    let dir = data_dir(n);
    let contract = LoadedContract::embedded();
    let mut peaks = StagePeaks(Vec::new());
    peaks.note("start");
    let t = Instant::now();
    let data = load_data_dir(&dir, &contract).expect("load");
    let load = ms(t);
    peaks.note("load");
    (contract, data, load, peaks)
}

/// The quarterly line's columns, in ms, then the peak memory (MB).
const HEADER: [&str; 10] = ["load", "evaluate", "aggregate", "report", "annex", "pdf", "json", "quarterly", "total", "µs/ticket"];

/// The monthly line's columns, in ms, then the peak memory (MB).
const MONTHLY_HEADER: [&str; 6] = ["load", "month", "json", "annex", "pdf", "monthly"];

/// The largest size whose monthly report is measured by default: past it the monthly PDF lists
/// every P1 and P2 breach of September (about 1,800 at a million tickets a year, 160 pages;
/// ten times that at ten million), a layout the quarterly target does not need.
const MONTHLY_UP_TO: u64 = 1_000_000;

/// The report's day for every run: after the data's year, so no ticket is "after today"
/// (`BENCH_TODAY=2026-10-05` sets another, for data of the quarter alone).
fn today() -> NaiveDate {
    std::env::var("BENCH_TODAY").ok().and_then(|d| d.parse().ok()).unwrap_or(NaiveDate::from_ymd_opt(2027, 1, 10).unwrap())
}

/// One size, in this process, as `slarapport quarterly --period 2026-Q3` makes its report;
/// prints one line: the figures of [`HEADER`] (the last two computed by the caller) and the
/// peak MB. Stages: the load; every ticket evaluated (the clock's cost); the quarter's figures
/// alone (three months and the quarter, no ticket rows); the report as the command builds it
/// (with the quarter's ticket rows for the JSON), after which the tickets are freed; the
/// annex; the archival PDF (the model and the annex embedded); the JSON (model and every
/// ticket row) written into a file as it is made.
fn run_one(n: u64) {
    let total = Instant::now();
    let (contract, data, load, mut peaks) = load_size(n);

    // Evaluation alone: every ticket against its targets (the reports evaluate only the
    // tickets of their period; this shows the cost of the business clock per ticket).
    let t = Instant::now();
    let quarter = Period::parse_quarter("2026-Q3").unwrap();
    let cutoff = quarter.end_instant(&contract.clock);
    let mut met = 0u64;
    for ticket in &data.tickets {
        let e = evaluate(ticket, &contract, cutoff);
        met += (e.resolution.status == slarapport::evaluate::Status::Met) as u64;
    }
    let evaluate_ms = ms(t);
    std::hint::black_box(met);
    peaks.note("evaluate");

    // The quarterly figures alone (three months and the pooled quarter, with KPIs).
    let t = Instant::now();
    let ctx = RunContext { contract: &contract, period: quarter, today: today(), lang: slarapport::i18n::Lang::Nl };
    let q = build_quarterly(&data, &ctx);
    let aggregate = ms(t);
    std::hint::black_box(&q);
    drop(q);
    peaks.note("aggregate");
    // For a profiler: BENCH_REPEAT_QUARTER=N repeats the aggregation N times, then stops.
    if let Some(n) = std::env::var("BENCH_REPEAT_QUARTER").ok().and_then(|v| v.parse::<u32>().ok()) {
        for _ in 0..n {
            std::hint::black_box(build_quarterly(&data, &ctx));
        }
        return;
    }

    // The report as the command builds it, with the quarter's ticket rows; then, as the
    // command does, the tickets are freed before the annex and the PDF.
    let t = Instant::now();
    let q = build_quarterly_with(&data, &ctx, true, &|_, _| {});
    let report_ms = ms(t);
    drop(data);
    peaks.note("report");
    let templates = TemplateSet::embedded();
    let labels = render::labels(&templates, slarapport::i18n::Lang::Nl).unwrap();
    let t = Instant::now();
    let xlsx = render::annex::quarterly_xlsx(&q, &labels).unwrap();
    let annex_ms = ms(t);
    peaks.note("annex");
    let t = Instant::now();
    let rendered = render::quarterly_with_annex(&q, xlsx, &labels, &templates, today(), true).unwrap();
    let pdf_ms = ms(t);
    peaks.note("pdf");
    // The JSON into a file, as the command writes it (through a buffer, hashed on the way).
    let t = Instant::now();
    let json_path = std::env::temp_dir().join(format!("slarapport-bench-{n}-{}.json", std::process::id()));
    let json_bytes = {
        let file = std::fs::File::create(&json_path).expect("the JSON's file");
        let mut w = std::io::BufWriter::with_capacity(1 << 20, slarapport::digest::HashingWriter::new(file));
        render::write_quarterly_json(&q, &mut w).expect("write the JSON");
        let (file, hash) = w.into_inner().map_err(|e| e.into_error()).expect("flush the JSON").finish();
        std::hint::black_box(hash);
        file.metadata().map_or(0, |m| m.len())
    };
    let _ = std::fs::remove_file(&json_path);
    let json_ms = ms(t);
    peaks.note("json");
    let quarterly_ms = load + report_ms + annex_ms + pdf_ms + json_ms;
    let total_ms = ms(total);
    peaks.finish(n, "quarterly", &[load, evaluate_ms, aggregate, report_ms, annex_ms, pdf_ms, json_ms, quarterly_ms, total_ms]);
    eprintln!(
        "  {n}: {} tickets in 2026-Q3, {} changes listed ({} in the PDF at most); JSON {} MB, annex {} kB, PDF {} kB",
        q.tickets.len(),
        q.changes_listed.len(),
        slarapport::report::quarterly::CHANGES_IN_PDF,
        json_bytes / 1_000_000,
        rendered.xlsx.len() / 1024,
        rendered.pdf.len() / 1024
    );
}

/// The monthly report of September of one size, in this process, as `slarapport monthly`
/// makes it; prints the figures of [`MONTHLY_HEADER`] and the peak MB.
fn run_one_monthly(n: u64) {
    let (contract, data, load, mut peaks) = load_size(n);
    let templates = TemplateSet::embedded();
    let labels = render::labels(&templates, slarapport::i18n::Lang::Nl).unwrap();
    let t = Instant::now();
    let ctx = RunContext { contract: &contract, period: Period::parse_month("2026-09").unwrap(), today: today(), lang: slarapport::i18n::Lang::Nl };
    let m = build(&data, &ctx);
    let month_build = ms(t);
    // As the command: the tickets are freed once the report is built from them.
    drop(data);
    peaks.note("month");
    // The JSON and the annex on two threads, as the command makes them (each timed alone,
    // and the pair's wall time), then the PDF that embeds the model and the annex.
    let t = Instant::now();
    let (xlsx, parts) = std::thread::scope(|s| {
        let annex = s.spawn(|| {
            let t = Instant::now();
            (render::annex::monthly_xlsx(&m, &labels).unwrap(), ms(t))
        });
        let t = Instant::now();
        let parts = (render::monthly_parts(&m, &labels).unwrap(), ms(t));
        (annex.join().unwrap(), parts)
    });
    let both_ms = ms(t);
    let ((xlsx, xlsx_ms), (render::MonthlyParts { json, model, pdf_input }, json_ms)) = (xlsx, parts);
    peaks.note("json+annex");
    let t = Instant::now();
    let stem = "sla-rapportage-2026-09";
    let settings = render::pdf::PdfSettings {
        archival: true,
        attachments: render::attachments(&render::annex_name(stem, &labels).unwrap(), &labels, render::model_name(stem), model, xlsx.clone()),
    };
    let pdf = render::pdf::render_pdf_with(&templates, "monthly.typ", pdf_input, today(), &settings).unwrap();
    let pdf_ms = ms(t);
    peaks.note("pdf");
    let monthly_ms = load + month_build + both_ms + pdf_ms;
    peaks.finish(n, "monthly", &[load, month_build, json_ms, xlsx_ms, pdf_ms, monthly_ms]);
    eprintln!(
        "  {n}: {} tickets in September; JSON {} kB, annex {} kB, PDF {} kB",
        m.tickets.len(),
        json.len() / 1024,
        xlsx.len() / 1024,
        pdf.len() / 1024
    );
}

/// The header of ServiceNow's incident audit log (the public one has these 36 columns).
const EVENT_HEADER: &str = "number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at";

/// An incident audit log of `rows` update rows, deterministic (a fixed linear congruential
/// sequence): incidents of 1–11 updates (5.6 on average, as in the public log) through New,
/// Active, Awaiting User Info, Resolved and Closed, every update a full row with `?` for
/// what is not known; one incident in 60 changes priority on the way.
fn event_log(rows: usize) -> String {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    // ServiceNow's default priority lookup: impact + urgency 2 → Critical … 6 → Planning.
    let priorities = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"];
    let levels = ["1 - High", "2 - Medium", "3 - Low"];
    let mut out = String::with_capacity(rows * 330);
    out.push_str(EVENT_HEADER);
    out.push('\n');
    let (mut written, mut number) = (0usize, 0u64);
    while written < rows {
        number += 1;
        let updates = (1 + next(6) + next(6)) as usize;
        let updates = updates.min(rows - written);
        let opened = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().and_hms_opt(8, 0, 0).unwrap()
            + chrono::Duration::minutes((next(360 * 24 * 60)) as i64);
        let show = |t: chrono::NaiveDateTime| t.format("%-d/%-m/%Y %H:%M").to_string();
        // Mostly medium and low, as in the public log.
        let level = |r: u64| if r < 1 { 0 } else if r < 4 { 1 } else { 2 };
        let (mut impact, mut urgency) = (level(next(10)), level(next(10)));
        let changes = next(60) == 0;
        let (location, category, subcategory, caller) = (next(200), next(60), next(250), next(5000));
        // Almost every incident comes in by phone in the public log.
        let contact = match next(100) {
            0..90 => "Phone",
            90..95 => "Email",
            95..99 => "Self service",
            _ => "Walk-in",
        };
        let mut at = opened;
        let mut resolved: Option<chrono::NaiveDateTime> = None;
        for k in 0..updates {
            let last = k + 1 == updates;
            let state = match k {
                0 => "New",
                _ if last && updates > 3 => "Closed",
                _ if k + 2 == updates && updates > 3 => "Resolved",
                _ if k % 3 == 2 => "Awaiting User Info",
                _ => "Active",
            };
            if k > 0 {
                at += chrono::Duration::minutes(5 + next(600) as i64);
            }
            if changes && k == updates / 2 {
                (impact, urgency) = (0, 0);
            }
            let priority = priorities[impact + urgency];
            let (impact, urgency) = (levels[impact], levels[urgency]);
            if state == "Resolved" {
                resolved = Some(at);
            }
            let resolved_at = resolved.map_or("?".to_string(), show);
            let closed_at = if state == "Closed" { show(at) } else { "?".into() };
            out.push_str(&format!(
                "INC{number:07},{state},{},{},0,{k},true,Caller {caller},Opened by {},{},Created by {},{},Updated by {},{},{contact},Location {location},Category {category},Subcategory {subcategory},Symptom {},?,{impact},{urgency},{priority},Group {},Resolver {},true,false,Do Not Notify,?,?,?,?,{},{},{resolved_at},{closed_at}\n",
                state != "Closed",
                k / 4,
                caller % 17,
                show(opened),
                caller % 13,
                show(opened),
                next(40),
                show(at),
                next(500),
                next(70),
                next(230),
                if resolved.is_some() { "code 5" } else { "?" },
                if resolved.is_some() { "Resolved by 12" } else { "?" },
            ));
            written += 1;
        }
    }
    out
}

/// Reads an event log of `rows` update rows with the `servicenow` profile, in this process;
/// prints the time in ms, the peak MB, the tickets and the rows.
fn run_events(rows: usize) {
    let dir = std::env::temp_dir().join(format!("slarapport-bench-events-{rows}"));
    let file = dir.join("incident_event_log.csv");
    if !file.is_file() {
        std::fs::create_dir_all(&dir).expect("bench folder");
        std::fs::write(&file, event_log(rows)).expect("write the event log");
    }
    let contract = LoadedContract::embedded();
    let source = slarapport::load::TicketSource { mapping: Some(slarapport::mapping::LoadedMapping::from_profile("servicenow").unwrap()), file: Some(file.clone()) };
    let t = Instant::now();
    let data = slarapport::load::load_data_dir_from(&dir, &contract, &source).expect("load the event log");
    let load = ms(t);
    let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
    println!("{load:.1} {:.0} {} {} {}", peak_memory_mb(), data.tickets.len() + data.rejections.len(), data.files[0].rows, bytes);
}

/// The event-log figures of `rows` update rows, from a process of its own.
fn events(rows: usize) {
    let me = std::env::current_exe().expect("own path");
    let out = Command::new(&me).args(["--events-one", &rows.to_string()]).output().expect("run the event log");
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<f64> = text.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    if !out.status.success() || v.len() != 5 {
        eprintln!("event log of {rows} rows failed: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    println!(
        "event log: {} update rows ({:.0} MB) of {} tickets reduced in {:.0} ms, peak memory {:.0} MB (target 150 MB)",
        v[3], v[4] / 1e6, v[2], v[0], v[1]
    );
}

/// The business clock alone: durations per second.
fn clock_throughput() {
    let c = LoadedContract::embedded();
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-05T07:13:00Z").unwrap().with_timezone(&chrono::Utc);
    let n = 5_000_000u64;
    let t = Instant::now();
    let mut sum = 0i64;
    for i in 0..n {
        let a = start + chrono::Duration::minutes((i * 7919 % 500_000) as i64);
        let b = a + chrono::Duration::minutes((i * 104_729 % 20_000) as i64);
        sum = sum.wrapping_add(c.clock.business_seconds(a, b));
    }
    let secs = t.elapsed().as_secs_f64();
    std::hint::black_box(sum);
    println!("business clock: {n} durations in {secs:.2} s = {:.1} million a second", n as f64 / secs / 1e6);
}

/// MemAvailable of /proc/meminfo, in MB (`None` where there is none).
fn available_mb() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: f64 = info.lines().find(|l| l.starts_with("MemAvailable:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// About what a size needs at most, in MB: 1 KB a ticket (the load's peak at a million
/// tickets, the largest stage) and 300 MB for the PDF and the rest. A size that needs more
/// than the machine has free is skipped with a line, not run into the out-of-memory killer.
fn expected_mb(n: u64) -> f64 {
    n as f64 * 1024.0 / 1_048_576.0 + 300.0
}

/// Runs `me args` in a child process; the numbers of its last line on stdout, when it
/// succeeded and printed `expect` of them.
fn child(me: &std::path::Path, args: &[&str], expect: usize) -> Option<Vec<f64>> {
    let out = Command::new(me).args(args).output().expect("run a size");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let values: Vec<f64> = text.lines().last()?.split_whitespace().filter_map(|x| x.parse::<f64>().ok()).collect();
    (out.status.success() && values.len() == expect).then_some(values)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--one") => return run_one(args[1].parse().expect("a number of tickets")),
        Some("--one-monthly") => return run_one_monthly(args[1].parse().expect("a number of tickets")),
        Some("--events-one") => return run_events(args[1].parse().expect("a number of rows")),
        Some("--events") => return events(args.get(1).map_or(140_000, |n| n.parse().expect("a number of rows"))),
        _ => {}
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run `cargo run --release --bin bench` for real figures");
    }
    let sizes: Vec<u64> = if args.is_empty() {
        vec![10_000, 100_000, 1_000_000, 10_000_000]
    } else {
        args.iter().map(|a| a.parse().expect("sizes are numbers of tickets")).collect()
    };
    println!("The quarterly report of 2026-Q3 (a year of tickets), as `slarapport quarterly` makes it; times in ms.");
    println!("aggregate = the quarter's figures alone; report = the report with its ticket rows, then the");
    println!("tickets are freed; annex; pdf (archival, model and annex embedded); json = the JSON file written");
    println!("as it is made. quarterly = load + report + annex + pdf + json. µs/ticket = total ÷ tickets;");
    println!("marginal = the growth of the total from the size before, per added ticket.");
    println!(
        "{:>10} {} {:>9} {:>9}",
        "tickets",
        HEADER.iter().map(|h| format!("{h:>9}")).collect::<Vec<_>>().join(" "),
        "marginal",
        "peak MB"
    );
    let me = std::env::current_exe().expect("own path");
    let mut previous: Option<(u64, f64)> = None;
    let mut measured = Vec::new();
    for &n in &sizes {
        if let Some(free) = available_mb().filter(|free| *free < expected_mb(n)) {
            println!("{n:>10} skipped: needs about {:.0} MB, {free:.0} MB available", expected_mb(n));
            continue;
        }
        let Some(values) = child(&me, &["--one", &n.to_string()], HEADER.len()) else {
            println!("{n:>10} failed (see above)");
            continue;
        };
        let total = values[HEADER.len() - 2];
        let marginal = match previous {
            Some((m, t)) if n > m => format!("{:.2}", (total - t) * 1000.0 / (n - m) as f64),
            _ => "–".into(),
        };
        println!(
            "{n:>10} {} {:>9.2} {:>9} {:>9.0}",
            values[..HEADER.len() - 1].iter().map(|v| format!("{v:>9.0}")).collect::<Vec<_>>().join(" "),
            total * 1000.0 / n as f64,
            marginal,
            values[HEADER.len() - 1],
        );
        previous = Some((n, total));
        measured.push(n);
    }
    println!();
    println!("The monthly report of September 2026, as `slarapport monthly` makes it; times in ms. json (the");
    println!("JSON file, the model the PDF embeds, the PDF's input) and annex run side by side, so monthly =");
    println!("load + month + the longer of the two + pdf. Sizes above {MONTHLY_UP_TO} only when named.");
    println!("{:>10} {} {:>9}", "tickets", MONTHLY_HEADER.iter().map(|h| format!("{h:>9}")).collect::<Vec<_>>().join(" "), "peak MB");
    for n in measured.into_iter().filter(|n| !args.is_empty() || *n <= MONTHLY_UP_TO) {
        match child(&me, &["--one-monthly", &n.to_string()], MONTHLY_HEADER.len() + 1) {
            Some(v) => println!(
                "{n:>10} {} {:>9.0}",
                v[..MONTHLY_HEADER.len()].iter().map(|v| format!("{v:>9.0}")).collect::<Vec<_>>().join(" "),
                v[MONTHLY_HEADER.len()]
            ),
            None => println!("{n:>10} failed (see above)"),
        }
    }
    clock_throughput();
    events(140_000);
}
