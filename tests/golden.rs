//! Golden expected outputs. Every fixture case (the demo, the guideline's worked example, the
//! test fixtures that make reports, the vendor exports) is run through the binary with a fixed
//! `--today`, and what it makes is compared with the files kept in `tests/expected/<case>/`:
//! each report's JSON, each Excel annex as text (one line per cell: address, value, formula,
//! read back with calamine), the cover message, and what the run printed with its exit code. A review then shows
//! in a diff what a change does to the figures.
//!
//! An intended change rewrites the files: `UPDATE_EXPECT=1 cargo test --test golden`.
//!
//! Also here: the guideline's own worked example (§9, domain 1 = 91,79 % → malus 0,5 %),
//! hand-computed and checked in all three outputs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use sha2::{Digest, Sha256};

mod common;
use common::{bin, text};

/// A list (JSON array, annex sheet) longer than this is kept as its length and a hash of its
/// text: the demo's 2,700 tickets of a month would make a file of megabytes nobody reads.
/// The figures made from those lists are kept in full.
const LONGEST_LIST: usize = 500;

/// One run of the binary in a case: its arguments (the data folder, `--out` and the case's
/// `--today` are among them) and the exit code it must end with.
struct Run {
    args: &'static [&'static str],
    exit: i32,
}

/// A fixture case: a data folder and the runs that make its reports.
struct Case {
    name: &'static str,
    runs: &'static [Run],
}

/// Runs a case's commands into a fresh folder and compares everything they made with
/// `tests/expected/<case>/`; the differences of all its files in one message.
fn golden(case: &Case) {
    let out = common::tmp(&format!("golden-{}", case.name));
    let here = std::env::current_dir().unwrap();
    let mut made: BTreeMap<String, String> = BTreeMap::new();
    let mut printed = String::new();
    for (i, r) in case.runs.iter().enumerate() {
        let o = bin().args(r.args).arg("--out").arg(&out).output().unwrap();
        let t = text(&o).replace(out.to_str().unwrap(), "OUT").replace(here.to_str().unwrap(), "REPO");
        assert_eq!(o.status.code(), Some(r.exit), "{} run {}: {:?}\n{t}", case.name, i + 1, r.args);
        writeln!(printed, "$ slarapport {} --out OUT\nexit {}\n{t}", r.args.join(" "), r.exit).unwrap();
    }
    made.insert("runs.txt".into(), printed);
    for file in files(&out) {
        let name = file.file_name().unwrap().to_str().unwrap().to_owned();
        if name == "manifest.json" {
            continue; // absolute paths and the commit: the machine's, not the report's
        }
        if let Some(stem) = name.strip_suffix(".xlsx") {
            made.insert(format!("{stem}.txt"), annex_text(&file));
        } else if name.ends_with(".json") {
            made.insert(name, json_text(&std::fs::read_to_string(&file).unwrap()));
        } else if name.ends_with(".txt") {
            made.insert(name, std::fs::read_to_string(&file).unwrap()); // the cover message
        }
    }
    let dir = Path::new("tests/expected").join(case.name);
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    if update {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &made {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut problems = String::new();
    let kept: Vec<String> = std::fs::read_dir(&dir).map_or_else(|_| Vec::new(), |d| d.map(|e| e.unwrap().file_name().into_string().unwrap()).collect());
    for name in kept.iter().filter(|k| !made.contains_key(*k)) {
        writeln!(problems, "{}/{name}: expected, but the runs no longer make it", dir.display()).unwrap();
    }
    for (name, actual) in &made {
        match std::fs::read_to_string(dir.join(name)) {
            Err(_) => writeln!(problems, "{}/{name}: made, but there is no expected file", dir.display()).unwrap(),
            Ok(expected) if expected != *actual => problems.push_str(&diff(&dir.join(name), &expected, actual)),
            Ok(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{problems}\nIf the change is intended: UPDATE_EXPECT=1 cargo test --test golden, and review the diff of tests/expected/."
    );
}

/// Every file under `dir`, in name order, leaving out kept earlier versions and hidden files.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap();
            if name.starts_with('.') || name == "versies" {
                continue;
            }
            if p.is_dir() { stack.push(p) } else { all.push(p) }
        }
    }
    all.sort();
    all
}

/// Where the expected and the made text part: the lines around the first and last difference.
fn diff(path: &Path, expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let head = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let tail = e[head..].iter().rev().zip(a[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (gone, new) = (&e[head..e.len() - tail], &a[head..a.len() - tail]);
    let mut s = format!("--- {} (expected)\n+++ made now\n@@ line {} @@\n", path.display(), head + 1);
    for l in &e[head.saturating_sub(3)..head] {
        writeln!(s, " {l}").unwrap();
    }
    const SHOWN: usize = 40;
    for l in gone.iter().take(SHOWN) {
        writeln!(s, "-{l}").unwrap();
    }
    if gone.len() > SHOWN {
        writeln!(s, "-… {} more lines", gone.len() - SHOWN).unwrap();
    }
    for l in new.iter().take(SHOWN) {
        writeln!(s, "+{l}").unwrap();
    }
    if new.len() > SHOWN {
        writeln!(s, "+… {} more lines", new.len() - SHOWN).unwrap();
    }
    for l in e[e.len() - tail..].iter().take(3) {
        writeln!(s, " {l}").unwrap();
    }
    s
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A report's JSON as kept: as written (pretty-printed, in the model's key order), the tool's
/// version left out, and each list longer than `LONGEST_LIST` entries replaced by its length
/// and the hash of its lines.
fn json_text(json: &str) -> String {
    let lines: Vec<&str> = json.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with("\"tool_version\": ") {
            writeln!(out, "{}\"tool_version\": \"(version)\",", " ".repeat(indent(line))).unwrap();
            i += 1;
            continue;
        }
        writeln!(out, "{line}").unwrap();
        if line.ends_with('[') {
            let k = indent(line);
            let end = (i + 1..lines.len()).find(|&j| indent(lines[j]) == k).expect("the list closes");
            let body = &lines[i + 1..end];
            let entries = body.iter().filter(|l| indent(l) == k + 2 && !l.trim_start().starts_with(['}', ']'])).count();
            if entries > LONGEST_LIST {
                writeln!(out, "{}\"{entries} entries, sha256 of their lines {}\"", " ".repeat(k + 2), sha256(&body.join("\n"))).unwrap();
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `A1` for row 0, column 0.
fn address(row: u32, col: u32) -> String {
    let (mut n, mut letters) = (col + 1, Vec::new());
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).unwrap(), row + 1)
}

/// A cell's value as text: strings quoted (so "12" and 12 differ), numbers as Rust prints
/// them (shortest exact form), dates as dates.
fn value(v: &Data) -> String {
    match v {
        Data::Empty => "(empty)".into(),
        // The tool's version (the summary sheet's "Versie van slarapport") is the build's.
        Data::String(s) if s == env!("CARGO_PKG_VERSION") => "\"(version)\"".into(),
        Data::String(s) => format!("{s:?}"),
        Data::Float(x) => format!("{x}"),
        Data::Int(x) => format!("{x}"),
        Data::Bool(b) => format!("{b}"),
        Data::DateTime(d) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap().and_hms_opt(0, 0, 0).unwrap();
            let t = epoch + chrono::Duration::seconds((d.as_f64() * 86_400.0).round() as i64);
            format!("{} ({})", t.format("%Y-%m-%d %H:%M:%S"), d.as_f64())
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An annex as text: per sheet its cells in row order, `address<TAB>value` or
/// `address<TAB>=formula<TAB>→ cached value`. A sheet longer than `LONGEST_LIST` rows keeps
/// its first row (the header) and the count and hash of the others.
fn annex_text(path: &Path) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let formulas = wb.worksheet_formula(&name).unwrap();
        let mut cells: BTreeMap<(u32, u32), (Option<Data>, Option<String>)> = BTreeMap::new();
        if let Some((r0, c0)) = range.start() {
            for (r, c, v) in range.used_cells() {
                cells.entry((r0 + r as u32, c0 + c as u32)).or_default().0 = Some(v.clone());
            }
        }
        if let Some((r0, c0)) = formulas.start() {
            for (r, c, f) in formulas.used_cells() {
                if !f.is_empty() {
                    cells.entry((r0 + r as u32, c0 + c as u32)).or_default().1 = Some(f.clone());
                }
            }
        }
        let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for ((r, c), (v, f)) in &cells {
            let v = v.as_ref().map_or("(empty)".into(), value);
            rows.entry(*r).or_default().push(match f {
                Some(f) => format!("{}\t={f}\t→ {v}", address(*r, *c)),
                None => format!("{}\t{v}", address(*r, *c)),
            });
        }
        writeln!(out, "== sheet {name:?}: {} rows with cells", rows.len()).unwrap();
        let mut lines = rows.values().map(|cells| cells.join("\n"));
        if rows.len() > LONGEST_LIST {
            writeln!(out, "{}", lines.next().unwrap()).unwrap();
            let rest: Vec<String> = lines.collect();
            writeln!(out, "… {} more rows, sha256 of their lines {}", rest.len(), sha256(&rest.join("\n"))).unwrap();
        } else {
            for l in lines {
                writeln!(out, "{l}").unwrap();
            }
        }
    }
    out
}

/// A test per case: `golden_case!(test, "case", [(args, exit code), …])`.
macro_rules! golden_case {
    ($test:ident, $name:expr, [$(($args:expr, $exit:expr)),* $(,)?]) => {
        #[test]
        fn $test() {
            golden(&Case { name: $name, runs: &[$(Run { args: $args, exit: $exit }),*] });
        }
    };
}

const DEMO: &str = "fixtures/demo";

// The demo data holds deliberately broken rows: findings, exit 1.
golden_case!(golden_demo, "demo", [
    (&["monthly", "--data", DEMO, "--period", "2026-10", "--today", "2026-11-03"], 1),
    (&["quarterly", "--data", DEMO, "--period", "2026-Q3", "--today", "2026-10-05"], 1),
    (&["annual", "--data", DEMO, "--period", "2026", "--today", "2027-01-10"], 1),
    (&["rca", "--data", DEMO, "--due", "--today", "2026-11-03"], 1),
]);

// A clean run: every row counted, no warnings, exit 0; in Dutch and (a case of its own: the
// same report folder) in English.
golden_case!(golden_guideline_example, "guideline-example", [
    (&["monthly", "--data", "fixtures/guideline-example", "--period", "2026-10", "--today", "2026-11-03"], 0),
]);
golden_case!(golden_guideline_example_en, "guideline-example-en", [
    (&["monthly", "--data", "fixtures/guideline-example", "--period", "2026-10", "--today", "2026-11-03", "--lang", "en"], 0),
]);

golden_case!(golden_story, "story", [
    (&["monthly", "--data", "tests/fixtures/story", "--period", "2026-10", "--today", "2026-11-03"], 1),
    (&["quarterly", "--data", "tests/fixtures/story", "--period", "2026-Q4", "--today", "2027-01-08"], 1),
]);

golden_case!(golden_counting, "counting", [
    (&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02"], 1),
]);

// Clean: every row counted, no warning (a malus is no finding of the data).
golden_case!(golden_quarter, "quarter", [
    (&["quarterly", "--data", "tests/fixtures/quarter", "--period", "2026-Q3", "--today", "2026-10-05"], 0),
]);

golden_case!(golden_all_week, "all-week", [
    (&["monthly", "--data", "tests/fixtures/all-week", "--period", "2026-10", "--today", "2026-11-03"], 0),
    (&["monthly", "--data", "tests/fixtures/all-week", "--period", "2026-03", "--today", "2026-04-03"], 0),
]);

golden_case!(golden_rca, "rca", [
    (&["monthly", "--data", "tests/fixtures/rca", "--period", "2026-05", "--today", "2026-06-02"], 1),
    (&["rca", "--data", "tests/fixtures/rca", "--due", "--today", "2026-05-26"], 1),
]);

/// The vendor exports, each through its profile or its own mapping: the month they hold.
macro_rules! export_case {
    ($test:ident, $dir:literal, [$($extra:literal),*], $period:literal, $today:literal, $exit:literal) => {
        golden_case!($test, concat!("exports-", $dir), [
            (&["monthly", "--data", concat!("tests/fixtures/exports/", $dir), $($extra,)* "--period", $period, "--today", $today], $exit),
        ]);
    };
}

export_case!(golden_export_servicenow, "servicenow", ["--profile", "servicenow"], "2026-10", "2026-11-02", 1);
export_case!(golden_export_servicenow_events, "servicenow-events", ["--profile", "servicenow"], "2026-10", "2026-11-02", 1);
export_case!(golden_export_servicenow_events_priority, "servicenow-events-priority", ["--profile", "servicenow"], "2026-10", "2026-11-02", 1);
export_case!(golden_export_servicenow_dst, "servicenow-dst", ["--profile", "servicenow"], "2026-03", "2026-04-02", 1);
export_case!(golden_export_topdesk, "topdesk", ["--profile", "topdesk"], "2026-10", "2026-11-02", 1);
export_case!(golden_export_topdesk_ansi, "topdesk-ansi", ["--profile", "topdesk"], "2026-10", "2026-11-02", 0);
export_case!(golden_export_jira, "jira", ["--profile", "jira"], "2026-10", "2026-11-02", 1);
export_case!(golden_export_custom, "custom", [], "2026-10", "2026-11-02", 1);
export_case!(golden_export_custom_events, "custom-events", [], "2026-10", "2026-11-02", 1);
export_case!(golden_export_excel_semicolons, "excel-semicolons", [], "2026-10", "2026-11-02", 0);

fn run_example(lang: &str) -> PathBuf {
    let out = common::tmp(&format!("golden-example-{lang}"));
    let o = Command::new(env!("CARGO_BIN_EXE_slarapport"))
        .args(["monthly", "--data", "fixtures/guideline-example", "--period", "2026-10", "--today", "2026-11-02", "--lang", lang])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.code() == Some(0), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    out.join("2026-10")
}

fn domain1(json: &serde_json::Value) -> &serde_json::Value {
    &json["kpis"]["domains"].as_array().unwrap().iter().find(|d| d["number"] == 1).unwrap()
}

#[test]
fn worked_example_in_json_pdf_and_annex() {
    let dir = run_example("nl");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let d = domain1(&json);
    let score = d["score_pct"].as_f64().unwrap();
    // 93,75 × 25 + 97,142857 × 40 + 98 × 25 + 50 × 10, divided by 100.
    let expected = (75.0 / 80.0 * 100.0 * 25.0 + 68.0 / 70.0 * 100.0 * 40.0 + 98.0 * 25.0 + 50.0 * 10.0) / 100.0;
    assert!((score - expected).abs() < 1e-9, "{score} vs {expected}");
    assert_eq!(format!("{score:.2}"), "91.79");
    assert_eq!(d["malus_pct"].as_f64(), Some(0.5));
    assert_eq!(d["escalation"], false);
    let ach: Vec<f64> = d["kpis"].as_array().unwrap().iter().map(|k| k["achievement_pct"].as_f64().unwrap()).collect();
    assert_eq!(format!("{:.1} {:.1} {:.1} {:.1}", ach[0], ach[1], ach[2], ach[3]), "93.8 97.1 98.0 50.0");

    let pdf = common::pdftotext(&dir.join("sla-rapportage-2026-10.pdf"));
    assert!(pdf.contains("91,79 %"), "PDF lacks the score");
    assert!(pdf.contains("malus 0,5 %"), "PDF lacks the malus");
    assert!(pdf.contains("93,8 %") && pdf.contains("97,1 %") && pdf.contains("50,0 %"));

    // The annex's cached formula values hold the same unrounded score and malus.
    let mut wb: Xlsx<_> = open_workbook(dir.join("sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let mut found_score = false;
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        if formulas.is_empty() {
            continue;
        }
        let range = wb.worksheet_range(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            if let Data::Float(x) = v {
                let (row, col) = (r as u32 + range.start().unwrap().0, c as u32 + range.start().unwrap().1);
                let is_formula = formulas.get_value((row, col)).is_some_and(|f| !f.is_empty());
                if is_formula && (x - score).abs() < 1e-9 {
                    found_score = true;
                }
            }
        }
    }
    assert!(found_score, "no formula cell in the annex caches the domain score {score}");
}

#[test]
fn worked_example_in_english() {
    let dir = run_example("en");
    let pdf = common::pdftotext(&dir.join("sla-report-2026-10.pdf"));
    assert!(pdf.contains("91.79%") && pdf.contains("malus 0.5%"), "English PDF lacks score or malus");
}
