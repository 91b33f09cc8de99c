//! Inputs as an attacker or a careless user makes them (issue 13): a named pipe where a data
//! file should be, an inch mark in an unquoted field, a measurement file of 380,000 rows.
//! Each ends in a report or in an `error:` with a `hint:` (exit 2) — never a hang, an abort
//! or a panic.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{bin, load_tickets, text};

fn tmp(name: &str) -> PathBuf {
    common::tmp(&format!("hostile-{name}"))
}

/// Runs the binary; a run that takes more than 60 s is killed and fails the test (a hang).
fn run_bounded(args: &[&str]) -> Output {
    let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run slarapport");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("slarapport {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo {}", path.display());
}

const TICKETS: &str = "id,type,school,category,priority,opened_at\nT1,incident,S,netwerk,P3,2026-10-05T09:00\n";

#[cfg(unix)]
#[test]
fn a_named_pipe_as_a_data_file_is_refused_not_waited_on() {
    for name in ["tickets.csv", "calls.csv", "measurements.csv", "mapping.toml"] {
        let data = tmp(&format!("fifo-{name}"));
        if name != "tickets.csv" {
            std::fs::write(data.join("tickets.csv"), TICKETS).unwrap();
        }
        mkfifo(&data.join(name));
        let o = run_bounded(&["check", "--data", data.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("not a regular file") && err.contains(name) && err.contains("hint:"), "{name}: {err}");
    }
    // A contract that is a pipe.
    let data = tmp("fifo-contract");
    std::fs::write(data.join("tickets.csv"), TICKETS).unwrap();
    mkfifo(&data.join("contract-pipe.toml"));
    let o = run_bounded(&["check", "--data", data.to_str().unwrap(), "--contract", data.join("contract-pipe.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not a regular file") && err.contains("contract") && err.contains("hint:"), "{err}");
    // An RCA file that is a pipe.
    let data = tmp("fifo-rca");
    std::fs::copy("tests/fixtures/rca/tickets.csv", data.join("tickets.csv")).unwrap();
    std::fs::create_dir_all(data.join("rca")).unwrap();
    mkfifo(&data.join("rca/INC200.toml"));
    let out = data.join("out");
    let o = run_bounded(&["rca", "--data", data.to_str().unwrap(), "--ticket", "INC200", "--today", "2026-05-26", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"), "{}", text(&o));
}

#[test]
fn a_broken_row_is_one_rejected_row_not_the_end_of_the_run() {
    let data = tmp("broken-row");
    let mut csv = String::from("id,type,school,category,priority,opened_at,summary\n");
    for i in 1..=200 {
        csv += &format!("T{i},incident,S,werkplek,P3,2026-10-05T09:00,gewoon\n");
    }
    csv += "T201,incident,S,werkplek,P3,2026-10-05T09:00,Monitor 24\" flikkert\n";
    csv += "T202,incident,S,werkplek,P3,2026-10-05T09:00,scherm 24\", en muis\n";
    std::fs::write(data.join("tickets.csv"), csv).unwrap();
    let o = run_bounded(&["check", "--data", data.to_str().unwrap()]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("valid tickets: 201, rejected rows: 1"), "{out}");
    assert!(out.contains("tickets.csv:203: column (whole row): the row has 8 fields, the header has 7 columns"), "{out}");
}

#[test]
fn periods_and_counts_beyond_the_calendar_are_errors_not_aborts() {
    let data = tmp("far");
    std::fs::write(data.join("tickets.csv"), TICKETS).unwrap();
    let d = data.to_str().unwrap();
    let out = data.join("demo");
    for args in [
        vec!["monthly", "--data", d, "--period", "262142-12", "--today", "2026-11-02"],
        vec!["quarterly", "--data", d, "--period", "262142-Q4", "--today", "2026-11-02"],
        vec!["demo", "--out", out.to_str().unwrap(), "--from", "262142-12", "--to", "262142-12"],
        vec!["demo", "--out", out.to_str().unwrap(), "--tickets", "18446744073709551615"],
    ] {
        let o = run_bounded(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("error: ") && err.contains("hint: "), "{args:?}: {err}");
    }
}

#[test]
fn a_header_of_a_million_columns_is_refused_at_once() {
    let header: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    let csv = format!("{}\n", header.join(","));
    let c = slarapport::contract::LoadedContract::embedded();
    let start = Instant::now();
    let e = load_tickets("wide-header", csv.as_bytes(), &c).err().unwrap();
    assert!(e.message.contains("the header has more than 4096 columns") && !e.hints.is_empty(), "{e}");
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
}

#[test]
fn a_20_mb_bad_value_is_cut_in_stderr_and_the_report() {
    let data = tmp("huge-value");
    let huge = "P".repeat(20 << 20);
    std::fs::write(data.join("tickets.csv"), format!("{TICKETS}T2,incident,S,netwerk,{huge},2026-10-06T09:00\n")).unwrap();
    let out = data.join("out");
    let o = run_bounded(&["monthly", "--data", data.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr).chars().take(2_000).collect::<String>());
    assert!(o.stderr.len() < 10_000 && o.stdout.len() < 10_000, "{} / {} bytes", o.stderr.len(), o.stdout.len());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cut: 20971520 characters in all"), "{}", text(&o));
    let json = std::fs::read_to_string(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap();
    assert!(json.len() < 1_000_000, "{} bytes", json.len());
    // The rejected value is its first 200 characters and a note of its length.
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rejections = report["data_quality"]["rejections"].as_array().unwrap();
    assert_eq!(rejections.len(), 1, "{rejections:?}");
    assert_eq!(rejections[0]["value"], format!("{}… (cut: 20971520 characters in all)", "P".repeat(200)));
}

#[test]
fn measurements_of_380000_rows_take_seconds_not_minutes() {
    // Every row its own KPI and period: the check for a second value per KPI and period
    // sees 380,000 of them.
    let c = slarapport::contract::LoadedContract::embedded();
    let kpis: Vec<String> = c.contract.domains.iter().flat_map(|d| d.kpis.iter().map(|k| k.id.clone())).collect();
    let mut csv = String::from("period,kpi,value\n");
    let mut n = 0;
    let periods = (1900..=2999).flat_map(|y| {
        let months = (1..=12).map(move |m| format!("{y}-{m:02}"));
        let quarters = (1..=4).map(move |q| format!("{y}-Q{q}"));
        let halves = (1..=2).map(move |h| format!("{y}-H{h}"));
        months.chain(quarters).chain(halves).chain(std::iter::once(y.to_string()))
    });
    'all: for period in periods {
        {
            for k in &kpis {
                csv += &format!("{period},{k},50\n");
                n += 1;
                if n == 380_000 {
                    break 'all;
                }
            }
        }
    }
    assert_eq!(n, 380_000, "enough periods × KPIs");
    let start = Instant::now();
    let (ms, rejected, _) = slarapport::kpi::input::load_measurements(csv.as_bytes(), "measurements.csv", &c).unwrap();
    assert_eq!((ms.len(), rejected.len()), (380_000, 0));
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
}
