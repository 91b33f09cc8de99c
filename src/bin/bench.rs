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

/// The stages' times of one size, in ms, in the order of [`HEADER`], then the peak memory.
const HEADER: [&str; 10] = ["load", "evaluate", "aggregate", "quarter", "month", "json", "annex", "pdf", "monthly", "total"];

/// One size, in this process; prints one line: the figures of [`HEADER`] and the peak MB.
fn run_one(n: u64) {
    let dir = data_dir(n);
    let contract = LoadedContract::embedded();
    let today = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let total = Instant::now();

    let t = Instant::now();
    let data = load_data_dir(&dir, &contract).expect("load");
    let load = ms(t);

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

    // The quarterly aggregation (three months and the pooled quarter, with KPIs).
    let t = Instant::now();
    let ctx = RunContext { contract: &contract, period: Period::parse_quarter("2026-Q3").unwrap(), today, lang: "nl".into() };
    let q = build_quarterly(&data, &ctx);
    let aggregate = ms(t);
    std::hint::black_box(&q);
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
    let labels = render::labels(&templates, "nl").unwrap();
    let t = Instant::now();
    let mctx = RunContext { period: Period::parse_month("2026-09").unwrap(), ..ctx.clone() };
    let m = build(&data, &mctx);
    let month_build = ms(t);
    // The JSON and the annex on two threads, as the command makes them (each timed alone,
    // and the pair's wall time), then the PDF that embeds the model and the annex.
    let t = Instant::now();
    let (xlsx, parts) = std::thread::scope(|s| {
        let annex = s.spawn(|| {
            let t = Instant::now();
            (render::xlsx::monthly_xlsx(&m, &labels).unwrap(), ms(t))
        });
        let t = Instant::now();
        let parts = (render::monthly_parts(&m, &labels).unwrap(), ms(t));
        (annex.join().unwrap(), parts)
    });
    let both_ms = ms(t);
    let ((xlsx, xlsx_ms), (render::MonthlyParts { json, model, pdf_input }, json_ms)) = (xlsx, parts);
    let t = Instant::now();
    let stem = "sla-rapportage-2026-09";
    let settings = render::pdf::PdfSettings {
        archival: true,
        attachments: render::attachments(stem, &labels, render::model_name(stem), model, xlsx.clone()).expect("attachments"),
    };
    let pdf = render::pdf::render_pdf_with(&templates, "monthly.typ", pdf_input, today, &settings).unwrap();
    let pdf_ms = ms(t);
    let monthly_ms = load + month_build + both_ms + pdf_ms;
    let total_ms = ms(total);
    let figures = [load, evaluate_ms, aggregate, load + aggregate, month_build, json_ms, xlsx_ms, pdf_ms, monthly_ms, total_ms];
    let line: Vec<String> = figures.iter().map(|f| format!("{f:.1}")).collect();
    println!("{} {:.0}", line.join(" "), peak_memory_mb());
    eprintln!(
        "  {n}: {} tickets in September; JSON {} kB, annex {} kB, PDF {} kB",
        m.tickets.len(),
        json.len() / 1024,
        xlsx.len() / 1024,
        pdf.len() / 1024
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
}
