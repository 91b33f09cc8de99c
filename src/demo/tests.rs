//! The demo data loads with exactly the planted rejections, looks like a real service desk
//! (volumes, mix, targets met and missed, RCA stories), and the same options give the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};

use super::*;
use super::csv::{push_field, push_num};
use super::tickets::midnight;
use super::vocabulary::{C, I, R, SCHOOLS, SUBS, TRICKY_SUMMARIES};
use chrono::Datelike;
use crate::ticket::{Priority, TicketType};
use crate::evaluate::{Status, evaluate};
use crate::load::{DataSet, load_tickets_csv};

/// A fresh, unique directory under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("slarapport-demo-{}-{name}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn load(dir: &Path) -> DataSet {
    let bytes = fs::read(dir.join("tickets.csv")).unwrap();
    load_tickets_csv(&bytes, "tickets.csv", &LoadedContract::embedded()).unwrap()
}

/// The default data set, written once for all tests that only read it: its summary, the
/// loaded tickets and every file's bytes by relative path (the folder is removed).
fn default_set() -> &'static (DemoSummary, DataSet, BTreeMap<String, Vec<u8>>) {
    static SET: OnceLock<(DemoSummary, DataSet, BTreeMap<String, Vec<u8>>)> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = temp_dir("default");
        let summary = write_demo(&dir, &DemoOptions::default()).unwrap();
        let (data, files) = (load(&dir), files(&dir));
        fs::remove_dir_all(&dir).unwrap();
        (summary, data, files)
    })
}

fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap()
}

fn cutoff(c: &LoadedContract) -> DateTime<Utc> {
    c.clock
        .instant(midnight(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()))
        .unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in [dir.to_path_buf(), dir.join("rca")] {
        for entry in fs::read_dir(&sub).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let rel = path.strip_prefix(dir).unwrap();
                let name = rel
                    .iter()
                    .map(|c| c.to_str().unwrap())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_options_give_identical_files() {
    let opts = DemoOptions::default();
    let (a, b) = (temp_dir("same-a"), temp_dir("same-b"));
    assert_eq!(
        write_demo(&a, &opts).unwrap(),
        write_demo(&b, &opts).unwrap()
    );
    let (fa, fb) = (files(&a), files(&b));
    assert!(
        fa.len() > 3 && fa.keys().any(|k| k.starts_with("rca")),
        "{:?}",
        fa.keys()
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs");
    }
    let other = temp_dir("same-c");
    write_demo(&other, &DemoOptions { seed: 7, ..opts }).unwrap();
    assert_ne!(
        files(&other)["tickets.csv"],
        fa["tickets.csv"],
        "the seed matters"
    );
    for d in [a, b, other] {
        fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn loads_with_exactly_the_planted_rejections() {
    let (summary, data, _) = default_set();
    assert_eq!(summary.error_rows, 8);
    assert_eq!(
        data.rejections.len() as u64,
        summary.error_rows,
        "{:#?}",
        data.rejections
    );
    assert_eq!(data.tickets.len() as u64, summary.tickets);
    assert_eq!(data.rows_read, summary.tickets + summary.error_rows);
    let columns: Vec<&str> = data.rejections.iter().map(|r| r.column.as_str()).collect();
    for col in [
        "opened_at",
        "type",
        "responded_at",
        "id",
        "school",
        "priority",
        "impact",
    ] {
        assert!(columns.contains(&col), "no rejection on {col}: {columns:?}");
    }
    assert!(data.notes.is_empty(), "{:?}", data.notes);
    // Warnings: a few recorded priorities off the matrix, and exactly one P1 by e-mail.
    let count = |col: &str| data.warnings.iter().filter(|w| w.column == col).count();
    assert_eq!(count("channel"), 1);
    let mismatches = count("priority");
    assert!(
        (20..=250).contains(&mismatches),
        "{mismatches} priority warnings"
    );
}

#[test]
fn every_month_has_a_realistic_volume_and_mix() {
    let (_, data, _) = default_set();
    let c = LoadedContract::embedded();
    let mut per_month: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut types: HashMap<TicketType, usize> = HashMap::new();
    let mut priorities: HashMap<Priority, usize> = HashMap::new();
    let mut p1_per_month: BTreeMap<u32, usize> = BTreeMap::new();
    for t in &data.tickets {
        let local = c.clock.local(t.opened_at);
        *per_month.entry((local.year(), local.month())).or_default() += 1;
        *types.entry(t.ticket_type).or_default() += 1;
        *priorities.entry(t.priority).or_default() += 1;
        if t.priority == Priority::P1 {
            *p1_per_month.entry(local.month()).or_default() += 1;
        }
    }
    assert_eq!(
        per_month.keys().copied().collect::<Vec<_>>(),
        vec![(2026, 7), (2026, 8), (2026, 9), (2026, 10)]
    );
    for (month, n) in &per_month {
        assert!((2000..=3000).contains(n), "{month:?}: {n} tickets");
    }
    let total = data.tickets.len() as f64;
    let share = |n: usize| n as f64 / total;
    assert!(
        (0.50..0.60).contains(&share(types[&TicketType::Incident])),
        "{types:?}"
    );
    assert!(
        (0.33..0.43).contains(&share(types[&TicketType::ServiceRequest])),
        "{types:?}"
    );
    assert!(
        (0.05..0.09).contains(&share(types[&TicketType::Change])),
        "{types:?}"
    );
    for p in Priority::ALL {
        assert!(
            priorities.get(&p).copied().unwrap_or(0) > 0,
            "no {p:?}: {priorities:?}"
        );
    }
    assert!(
        (0.06..0.10).contains(&share(priorities[&Priority::P2])),
        "{priorities:?}"
    );
    assert!(
        (0.30..0.40).contains(&share(priorities[&Priority::P3])),
        "{priorities:?}"
    );
    for (month, n) in &p1_per_month {
        assert!((2..=6).contains(n), "month {month}: {n} P1s");
    }
    let schools: std::collections::HashSet<&str> =
        data.tickets.iter().map(|t| t.school.as_str()).collect();
    assert_eq!(schools.len(), SCHOOLS.len());
    let tricky = data
        .tickets
        .iter()
        .filter(|t| TRICKY_SUMMARIES.contains(&t.summary.as_str()))
        .count();
    assert!(tricky >= 10, "{tricky} summaries with markup characters");
}

#[test]
fn most_tickets_meet_their_targets_and_some_do_not() {
    let (_, data, _) = default_set();
    let c = LoadedContract::embedded();
    let cutoff = cutoff(&c);
    let (mut resp, mut resp_breached, mut res, mut res_breached) = (0, 0, 0, 0);
    let (mut overdue, mut not_yet_due, mut derived) = (0, 0, 0);
    for t in &data.tickets {
        let e = evaluate(t, &c, cutoff);
        resp += 1;
        resp_breached += usize::from(e.response.status == Status::Breached);
        derived += usize::from(e.response.derived);
        match (t.resolved_at, e.resolution.status) {
            (Some(_), s) => {
                res += 1;
                res_breached += usize::from(s == Status::Breached);
            }
            (None, Status::Breached) => overdue += 1,
            (None, _) => not_yet_due += 1,
        }
    }
    let rate = |a: usize, b: usize| a as f64 / b as f64;
    assert!(
        (0.02..0.12).contains(&rate(resp_breached, resp)),
        "response {resp_breached}/{resp}"
    );
    assert!(
        (0.04..0.15).contains(&rate(res_breached, res)),
        "resolution {res_breached}/{res}"
    );
    assert!(overdue >= 2, "{overdue} open tickets past their target");
    assert!(not_yet_due >= 20, "{not_yet_due} open tickets not yet due");
    assert!(
        (0.01..0.05).contains(&rate(derived, res)),
        "{derived} without a response time"
    );
    let first_line = data
        .tickets
        .iter()
        .filter(|t| t.first_line_resolved == Some(true))
        .count();
    let known = data
        .tickets
        .iter()
        .filter(|t| t.first_line_resolved.is_some())
        .count();
    assert!(
        (0.64..0.78).contains(&rate(first_line, known)),
        "first line {first_line}/{known}"
    );
    let oos = data.tickets.iter().filter(|t| t.out_of_scope).count();
    assert!(
        (0.01..0.03).contains(&rate(oos, data.tickets.len())),
        "{oos} out of scope"
    );
}

#[test]
fn p1_rca_files_tell_the_story() {
    let (_, data, files) = default_set();
    let c = LoadedContract::embedded();
    let p1s: Vec<_> = data
        .tickets
        .iter()
        .filter(|t| t.priority == Priority::P1)
        .collect();
    let (mut late, mut overdue, mut not_yet_due) = (0, 0, 0);
    let last_day = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    for t in &p1s {
        let Some(resolved_at) = t.resolved_at else {
            continue;
        };
        let resolved = c.clock.local(resolved_at).date();
        let due = c.clock.add_workdays(resolved, 5);
        let path = format!("rca/{}.toml", t.id);
        match t.rca_delivered_at {
            Some(d) => {
                let delivered = c.clock.local(d).date();
                late += usize::from(delivered > due);
                let doc: toml::Table = toml::from_str(&text(files, &path)).unwrap();
                assert_eq!(doc["ticket"].as_str(), Some(t.id.as_str()));
                assert_eq!(
                    doc["delivered_on"].as_str(),
                    Some(delivered.to_string().as_str())
                );
                for key in ["author", "cause", "impact"] {
                    assert!(!doc[key].as_str().unwrap().is_empty(), "{key}");
                }
                assert!(!doc["actions"].as_array().unwrap().is_empty());
                let measures = doc["preventive_measures"].as_array().unwrap();
                assert!((1..=3).contains(&measures.len()));
                assert!(
                    measures[0]["due_on"].as_str().unwrap() > delivered.to_string().as_str()
                );
            }
            None => {
                assert!(!files.contains_key(&path));
                if due <= last_day {
                    overdue += 1
                } else {
                    not_yet_due += 1
                }
            }
        }
    }
    assert!(late >= 1, "no late RCA");
    assert!(overdue >= 1, "no overdue RCA");
    assert!(not_yet_due >= 1, "no RCA that is not yet due");
    let rca_files = files.keys().filter(|k| k.starts_with("rca/")).count();
    assert_eq!(
        rca_files,
        p1s.iter().filter(|t| t.rca_delivered_at.is_some()).count()
    );
}

#[test]
fn calls_and_measurements_cover_the_range() {
    let (summary, _, files) = default_set();
    let calls = text(files, "calls.csv");
    let mut lines = calls.lines();
    assert_eq!(lines.next(), Some("started_at,wait_seconds,answered"));
    let mut per_month: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut rows = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let wait: u32 = f[1].parse().unwrap();
        let e = per_month.entry(&f[0][..7]).or_default();
        e.0 += 1;
        e.1 += usize::from(wait <= 20);
        e.2 += usize::from(f[2] == "false");
        rows += 1;
    }
    assert_eq!(rows, summary.calls);
    assert_eq!(per_month.len(), 4);
    for (month, (n, fast, abandoned)) in per_month {
        assert!((350..=450).contains(&n), "{month}: {n} calls");
        assert!(
            (0.75..0.93).contains(&(fast as f64 / n as f64)),
            "{month}: {fast}/{n} within 20 s"
        );
        assert!(
            abandoned >= 1 && abandoned * 10 < n,
            "{month}: {abandoned} abandoned"
        );
    }
    let measurements = text(files, "measurements.csv");
    let periods: std::collections::BTreeSet<&str> = measurements
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let expected = [
        "2026-07", "2026-08", "2026-09", "2026-10", "2026-Q3", "2026-Q4", "2026-H2",
    ];
    assert_eq!(periods, expected.into_iter().collect());
    assert_eq!(
        measurements.lines().count() as u64 - 1,
        summary.measurements
    );
    // Complaints and improvement actions come from the logs now.
    assert_eq!(summary.measurements, 4 * 5 + 2 * 4 + 1);
}

#[test]
fn a_ticket_total_is_spread_over_the_months() {
    let dir = temp_dir("ten-thousand");
    let opts = DemoOptions {
        tickets: Some(10_000),
        seed: 42,
        ..DemoOptions::default()
    };
    let summary = write_demo(&dir, &opts).unwrap();
    assert_eq!(summary.tickets, 10_000);
    let data = load(&dir);
    assert_eq!(data.tickets.len(), 10_000);
    assert_eq!(data.rows_read, 10_000 + summary.error_rows);
    assert_eq!(data.rejections.len() as u64, summary.error_rows);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn one_month_and_bad_ranges() {
    let dir = temp_dir("one-month");
    let opts = DemoOptions {
        from: (2026, 12),
        to: (2026, 12),
        tickets: Some(500),
        seed: 1,
    };
    let summary = write_demo(&dir, &opts).unwrap();
    let data = load(&dir);
    assert_eq!(data.tickets.len(), 500);
    assert_eq!(data.rejections.len() as u64, summary.error_rows);
    fs::remove_dir_all(&dir).unwrap();
    let backwards = DemoOptions {
        from: (2026, 10),
        to: (2026, 7),
        ..DemoOptions::default()
    };
    assert_eq!(
        write_demo(&dir, &backwards).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    let bad = DemoOptions {
        to: (2026, 13),
        ..DemoOptions::default()
    };
    assert!(write_demo(&dir, &bad).is_err());
    assert!(!dir.exists(), "nothing is written for invalid options");
}

#[test]
fn every_subcategory_has_a_summary_for_each_type_it_is_drawn_for() {
    for s in SUBS {
        for (t, tag) in [I, R, C].into_iter().enumerate() {
            let has = s.templates.iter().any(|(tags, _)| tags & tag != 0);
            assert_eq!(s.weight[t] > 0, has, "{}/{} type {t}", s.category, s.name);
        }
    }
}

#[test]
fn csv_fields_are_quoted_when_needed() {
    let mut out = Vec::new();
    push_field(&mut out, "Printer #3 \"lokaal 1.02\", boven");
    assert_eq!(out, b"\"Printer #3 \"\"lokaal 1.02\"\", boven\"");
    out.clear();
    push_field(&mut out, "=SOM(A1:A3)");
    assert_eq!(out, b"=SOM(A1:A3)");
    out.clear();
    push_num(&mut out, 42, 6);
    push_num(&mut out, 1_234_567, 6);
    assert_eq!(out, b"0000421234567");
}

/// Not a test: `cargo test --release --lib demo::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    for tickets in [None, Some(1_000_000)] {
        let dir = temp_dir("timing");
        let start = std::time::Instant::now();
        let s = write_demo(
            &dir,
            &DemoOptions {
                tickets,
                ..DemoOptions::default()
            },
        )
        .unwrap();
        println!("{tickets:?}: {s:?} in {:.2?}", start.elapsed());
        fs::remove_dir_all(dir).unwrap();
    }
}
