//! The benchmark: how long each stage takes and how much memory it needs, for 10k, 100k and
//! 1M tickets, so the growth of the cost is visible. Run it with a release build:
//!
//! ```sh
//! cargo run --release --bin bench            # 10k, 100k, 1M
//! cargo run --release --bin bench -- 250000  # other sizes
//! ```
//!
//! Each size runs in a child process of its own, so its peak memory (VmHWM) is its own.
//! Data is made by the demo generator (a year, 2026) into a temporary folder and reused.
//! The stages are those of the commands: the monthly report's JSON, annex and PDF are made as
//! `slarapport monthly` makes them (the PDF archival, with the JSON and the annex embedded).
//! Figures are printed, not asserted: timing belongs in a benchmark, not in a test.
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
use slarapport::report::quarterly::build_quarterly;

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

/// The stages' times of one size, in ms, in the order of [`HEADER`], then the peak memory.
const HEADER: [&str; 10] = ["load", "evaluate", "aggregate", "quarter", "month", "json", "annex", "pdf", "monthly", "total"];

/// One size, in this process; prints one line: the figures of [`HEADER`] and the peak MB.
fn run_one(n: u64) {
    let dir = data_dir(n);
    let contract = LoadedContract::embedded();
    let today = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let mut peaks = StagePeaks(Vec::new());
    peaks.note("start");
    let total = Instant::now();

    let t = Instant::now();
    let data = load_data_dir(&dir, &contract).expect("load");
    let load = ms(t);
    peaks.note("load");

    // Evaluation alone: every ticket against its targets (the reports evaluate only the
    // tickets of their period; this shows the cost of the business clock per ticket).
    let t = Instant::now();
    let cutoff = Period::parse_quarter("2026-Q3").unwrap().end_instant(&contract.clock);
    let mut met = 0u64;
    for ticket in &data.tickets {
        let e = evaluate(ticket, &contract, cutoff);
        met += (e.resolution.status == slarapport::evaluate::Status::Met) as u64;
    }
    let evaluate_ms = ms(t);
    std::hint::black_box(met);
    peaks.note("evaluate");

    // The quarterly aggregation (three months and the pooled quarter, with KPIs).
    let t = Instant::now();
    let ctx = RunContext { contract: &contract, period: Period::parse_quarter("2026-Q3").unwrap(), today, lang: slarapport::i18n::Lang::Nl };
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

    // The monthly report of September: aggregation with the per-ticket rows, then JSON,
    // annex and the archival PDF that embeds both, as `slarapport monthly` makes them.
    let templates = TemplateSet::embedded();
    let labels = render::labels(&templates, slarapport::i18n::Lang::Nl).unwrap();
    let t = Instant::now();
    let mctx = RunContext { period: Period::parse_month("2026-09").unwrap(), ..ctx.clone() };
    let m = build(&data, &mctx);
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
    let pdf = render::pdf::render_pdf_with(&templates, "monthly.typ", pdf_input, today, &settings).unwrap();
    let pdf_ms = ms(t);
    peaks.note("pdf");
    let monthly_ms = load + month_build + both_ms + pdf_ms;
    let total_ms = ms(total);
    let figures = [load, evaluate_ms, aggregate, load + aggregate, month_build, json_ms, xlsx_ms, pdf_ms, monthly_ms, total_ms];
    let line: Vec<String> = figures.iter().map(|f| format!("{f:.1}")).collect();
    let peak = peaks.0.iter().map(|p| p.1).fold(0.0, f64::max);
    println!("{} {peak:.0}", line.join(" "));
    let stages: Vec<String> = peaks.0[1..].iter().map(|(s, peak, kept)| format!("{s} {peak:.0} ({kept:.0})")).collect();
    eprintln!("  {n}: peak MB per stage (resident after it): start {:.0}, {}", peaks.0[0].2, stages.join(", "));
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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--one") => return run_one(args[1].parse().expect("a number of tickets")),
        Some("--events-one") => return run_events(args[1].parse().expect("a number of rows")),
        Some("--events") => return events(args.get(1).map_or(140_000, |n| n.parse().expect("a number of rows"))),
        _ => {}
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run `cargo run --release --bin bench` for real figures");
    }
    let sizes: Vec<u64> = if args.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        args.iter().map(|a| a.parse().expect("sizes are numbers of tickets")).collect()
    };
    println!("all times in ms. quarter = load + aggregate of a quarterly report; month, json, annex, pdf:");
    println!("the monthly report of September; json (the JSON file, the model the PDF embeds, the PDF's");
    println!("input) and annex run side by side, so monthly = load + month + the longer of the two + pdf:");
    println!("what `slarapport monthly` spends. µs/ticket = total ÷ tickets; marginal = the growth of the");
    println!("total from the size before, per added ticket (the cost of one more ticket, without the fixed");
    println!("cost of a report: fonts, templates, the pages that are there at any size).");
    println!(
        "{:>9} {}",
        "tickets",
        HEADER.iter().map(|h| format!("{h:>9}")).chain(["µs/ticket", " marginal", "  peak MB"].map(|h| format!("{h:>10}"))).collect::<Vec<_>>().join(" ")
    );
    let me = std::env::current_exe().expect("own path");
    let mut previous: Option<(u64, f64)> = None;
    for n in sizes {
        let out = Command::new(&me).args(["--one", &n.to_string()]).output().expect("run a size");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let Some(values) = text.lines().last().map(|l| l.split_whitespace().filter_map(|x| x.parse::<f64>().ok()).collect::<Vec<_>>()) else {
            eprintln!("size {n} failed");
            continue;
        };
        if !out.status.success() || values.len() != HEADER.len() + 1 {
            eprintln!("size {n} failed");
            continue;
        }
        let total = values[HEADER.len() - 1];
        let marginal = match previous {
            Some((m, t)) if n > m => format!("{:.2}", (total - t) * 1000.0 / (n - m) as f64),
            _ => "–".into(),
        };
        println!(
            "{n:>9} {} {:>10.2} {:>10} {:>10.0}",
            values[..HEADER.len()].iter().map(|v| format!("{v:>9.0}")).collect::<Vec<_>>().join(" "),
            total * 1000.0 / n as f64,
            marginal,
            values[HEADER.len()],
        );
        previous = Some((n, total));
    }
    clock_throughput();
    events(140_000);
}
