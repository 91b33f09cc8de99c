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
//! Figures are printed, not asserted: timing belongs in a benchmark, not in a test.

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
use slarapport::report::monthly::{build, RunContext};
use slarapport::report::quarterly::build_quarterly;

fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
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

/// One size, in this process; prints one line of figures.
fn run_one(n: u64) {
    let dir = data_dir(n);
    let contract = LoadedContract::embedded();
    let today = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let total = Instant::now();

    let t = Instant::now();
    let data = load_data_dir(&dir, &contract).expect("load");
    let load = ms(t);

    // Evaluation alone: every ticket against its targets.
    let t = Instant::now();
    let cutoff = Period::parse_quarter("2026-Q3").unwrap().end_instant(&contract.clock);
    let mut met = 0u64;
    for ticket in &data.tickets {
        let e = evaluate(ticket, &contract, cutoff);
        met += (e.resolution.status == slarapport::evaluate::Status::Met) as u64;
    }
    let evaluate_ms = ms(t);
    std::hint::black_box(met);

    // The quarterly aggregation (three months and the pooled quarter, with KPIs).
    let t = Instant::now();
    let ctx = RunContext { contract: &contract, period: Period::parse_quarter("2026-Q3").unwrap(), today, lang: "nl".into() };
    let q = build_quarterly(&data, &ctx);
    // For a profiler: BENCH_REPEAT_QUARTER=N repeats the aggregation N times, then stops.
    if let Some(n) = std::env::var("BENCH_REPEAT_QUARTER").ok().and_then(|v| v.parse::<u32>().ok()) {
        for _ in 0..n {
            std::hint::black_box(build_quarterly(&data, &ctx));
        }
        return;
    }
    let aggregate = ms(t);
    std::hint::black_box(&q);

    // The monthly report: aggregation, PDF, annex.
    let templates = TemplateSet::embedded();
    let labels = render::labels(&templates, "nl").unwrap();
    let t = Instant::now();
    let mctx = RunContext { period: Period::parse_month("2026-09").unwrap(), ..ctx.clone() };
    let m = build(&data, &mctx);
    let month_build = ms(t);
    let t = Instant::now();
    let pdf = render::pdf::render_pdf(&templates, "monthly.typ", render::pdf_input(&m.report, &labels).unwrap(), today).unwrap();
    let pdf_ms = ms(t);
    let t = Instant::now();
    let xlsx = render::xlsx::monthly_xlsx(&m, &labels).unwrap();
    let xlsx_ms = ms(t);
    let total_ms = ms(total);
    println!(
        "{:>9} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>10.2} {:>9}",
        n,
        load,
        evaluate_ms,
        aggregate,
        load + aggregate,
        month_build,
        pdf_ms,
        xlsx_ms,
        total_ms,
        total_ms * 1000.0 / n as f64,
        format!("{:.0}", peak_memory_mb()),
    );
    eprintln!("  ({} tickets in September; PDF {} kB, annex {} kB)", m.tickets.len(), pdf.len() / 1024, xlsx.len() / 1024);
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
    if args.first().map(String::as_str) == Some("--one") {
        run_one(args[1].parse().expect("a number of tickets"));
        return;
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: this is a debug build; run `cargo run --release --bin bench` for real figures");
    }
    let sizes: Vec<u64> = if args.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        args.iter().map(|a| a.parse().expect("sizes are numbers of tickets")).collect()
    };
    println!("all times in ms; quarter = load + aggregate of a quarterly report; cost in µs per ticket over the whole run");
    println!(
        "{:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "tickets", "load", "evaluate", "aggregate", "quarter", "month", "pdf", "annex", "total", "µs/ticket", "peak MB"
    );
    let me = std::env::current_exe().expect("own path");
    for n in sizes {
        let status = Command::new(&me).args(["--one", &n.to_string()]).status().expect("run a size");
        if !status.success() {
            eprintln!("size {n} failed");
        }
    }
    clock_throughput();
}
