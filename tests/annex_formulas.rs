//! The KPI sheet of the Excel annex, recalculated by a real spreadsheet program.
//!
//! The annex's achievements, domain scores, malus and escalation are live formulas with the
//! report's values cached. Here LibreOffice (headless) loads the annex of the committed demo
//! data, recalculates every formula and saves it again; the recalculated values must equal
//! the report's JSON within 1e-9. Two more annexes carry deliberately wrong cached results
//! (`monthly_xlsx_with_cached(.., true)`): LibreOffice must replace every one of them, which
//! proves that it recalculated rather than kept what the file said.
//!
//! LibreOffice never recalculates an OOXML file on load by default. It runs with a fresh user
//! profile whose `registrymodifications.xcu` sets `Calc/Formula/Load/OOXMLRecalcMode` to 0
//! ("always recalculate").
//!
//! Needs `soffice` (Debian: `libreoffice-calc-nogui`; `.ci/run` installs it). Without it
//! the test fails: it is never skipped.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use serde_json::Value;
use slarapport::contract::LoadedContract;
use slarapport::i18n::Labels;
use slarapport::load::load_data_dir;
use slarapport::period::Period;
use slarapport::render::world::TemplateSet;
use slarapport::render::xlsx::{POISONED_RESULT, monthly_xlsx, monthly_xlsx_with_cached};
use slarapport::report::model::Monthly;
use slarapport::report::monthly::{RunContext, build};

const TOLERANCE: f64 = 1e-9;
const SOFFICE_TIMEOUT: Duration = Duration::from_secs(300);

/// The demo data for October 2026; with `invoice`, every domain gets an invoice amount so
/// that the malus in euros is in the annex too; with `gaps`, the phone log and the
/// measurements of domain 4 and of CMDB accuracy are left out, so that some KPIs and one
/// domain have no data (the demo data has figures for every KPI).
fn demo(invoice: bool, gaps: bool) -> Monthly {
    let mut c = LoadedContract::embedded();
    if invoice {
        for (i, d) in c.contract.domains.iter_mut().enumerate() {
            d.invoice_amount_eur = Some(10_000.0 + 1_234.56 * i as f64);
        }
    }
    let mut data = load_data_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"),
        &c,
    )
    .unwrap();
    if gaps {
        data.calls = None;
        let gone = [
            "patch_compliance",
            "os_up_to_date",
            "licence_compliance",
            "cmdb_accuracy",
        ];
        data.measurements
            .retain(|m| !gone.contains(&m.kpi.as_str()));
    }
    let ctx = RunContext {
        contract: &c,
        period: Period::parse_month("2026-10").unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        lang: "nl".into(),
    };
    build(&data, &ctx)
}

fn labels() -> Labels {
    slarapport::render::labels(&TemplateSet::embedded(), "nl").unwrap()
}

/// `soffice` on the PATH, or a failure that says how to install it.
fn soffice() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["soffice", "libreoffice"] {
            let p = dir.join(name);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "LibreOffice (soffice) is not installed, and this test needs it to recalculate the \
         annex's formulas. Install it: apt-get install -y --no-install-recommends \
         libreoffice-calc-nogui (.ci/run does)."
    );
}

/// A user profile that makes Calc recalculate every formula of an OOXML (and ODF) file on load.
const RECALC_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Has LibreOffice load, recalculate and save each file as xlsx in `out`; returns the bytes
/// of the saved files, in order.
fn recalculate(work: &Path, files: &[PathBuf]) -> Vec<Vec<u8>> {
    let soffice = soffice();
    let profile = work.join("profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_ALWAYS,
    )
    .unwrap();
    let out = work.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut cmd = Command::new(&soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--norestore", "--nolockcheck", "--calc"])
    .args(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
    .arg(&out)
    .args(files)
    .env("HOME", work)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", soffice.display()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > SOFFICE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("LibreOffice did not finish within {SOFFICE_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let output = child.wait_with_output().unwrap();
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(status.success(), "LibreOffice failed ({status}):\n{log}");
    files
        .iter()
        .map(|f| {
            let saved = out.join(f.file_name().unwrap());
            std::fs::read(&saved).unwrap_or_else(|e| {
                panic!("LibreOffice did not write {}: {e}\n{log}", saved.display())
            })
        })
        .collect()
}

struct Sheet {
    values: Range<Data>,
    formulas: Range<String>,
}

fn kpi_sheet(bytes: &[u8], labels: &Labels) -> Sheet {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let name = labels.get("xlsx.kpi.sheet");
    Sheet {
        values: wb.worksheet_range(name).unwrap(),
        formulas: wb.worksheet_formula(name).unwrap(),
    }
}

impl Sheet {
    /// Cells (row, column) that hold a formula.
    fn formula_cells(&self) -> Vec<(u32, u32)> {
        let (r0, c0) = self.formulas.start().unwrap_or((0, 0));
        self.formulas
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(r, c, _)| (r as u32 + r0, c as u32 + c0))
            .collect()
    }

    fn formula(&self, row: u32, col: u32) -> String {
        self.formulas
            .get_value((row, col))
            .cloned()
            .unwrap_or_default()
    }

    /// A number, `None` for an empty cell or an empty string.
    fn number(&self, row: u32, col: u32) -> Option<f64> {
        match self.values.get_value((row, col)) {
            Some(Data::Float(x)) => Some(*x),
            Some(Data::Int(x)) => Some(*x as f64),
            None | Some(Data::Empty) => None,
            Some(Data::String(s)) if s.is_empty() => None,
            other => panic!("expected a number at ({row}, {col}), found {other:?}"),
        }
    }

    fn text(&self, row: u32, col: u32) -> String {
        match self.values.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            None | Some(Data::Empty) => String::new(),
            other => panic!("expected text at ({row}, {col}), found {other:?}"),
        }
    }

    /// The first row from `from` whose column `col` holds `s`.
    fn row_of(&self, col: u32, s: &str, from: u32) -> Option<u32> {
        let end = self.values.end().map_or(0, |(r, _)| r + 1);
        (from..end)
            .find(|r| matches!(self.values.get_value((*r, col)), Some(Data::String(x)) if x == s))
    }
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= TOLERANCE,
        (None, None) => true,
        _ => false,
    }
}

/// Every achievement, domain score, malus %, escalation and malus in euros on the sheet
/// equals the report's JSON; returns how many values were compared.
fn assert_matches_json(sheet: &Sheet, json: &Value, labels: &Labels, what: &str) -> usize {
    let kpi_header = labels.get("xlsx.kpi_col.kpi");
    let ach_header = labels.get("xlsx.kpi_col.achievement");
    let domains = json["kpis"]["domains"].as_array().unwrap();
    let num = |v: &Value| v.as_f64();
    let mut compared = 0;
    let mut overview_row = None;
    for (i, d) in domains.iter().enumerate() {
        let name = d["name"].as_str().unwrap();
        let heading = labels
            .get("xlsx.kpi.domain_heading")
            .replace("{number}", &d["number"].to_string())
            .replace("{name}", name);
        let start = sheet
            .row_of(0, &heading, 0)
            .unwrap_or_else(|| panic!("{what}: block of {name}"));
        let header = start + 1;
        assert_eq!(sheet.text(header, 1), kpi_header);
        let ach = (0..40)
            .find(|c| sheet.text(header, *c) == ach_header)
            .expect("achievement column");
        let kpis = d["kpis"].as_array().unwrap();
        for (j, k) in kpis.iter().enumerate() {
            let row = header + 1 + j as u32;
            let id = k["id"].as_str().unwrap();
            assert_eq!(sheet.text(row, 1), id, "{what}");
            let want = num(&k["achievement_pct"]);
            let got = sheet.number(row, ach);
            assert!(
                close(got, want),
                "{what}: achievement of {id}: sheet {got:?}, JSON {want:?}"
            );
            if k["norm"].is_null() {
                assert!(
                    sheet.formula(row, ach).is_empty(),
                    "{what}: {id} is count only"
                );
            } else {
                assert!(
                    !sheet.formula(row, ach).is_empty(),
                    "{what}: {id} has no formula"
                );
                compared += 1;
            }
        }
        // Domain 2's response and resolution: a block per KPI after the KPI rows, a heading
        // row and a row per priority (id `KPI.P1` …), whose measured value and achievement
        // are formulas that must recalculate to the JSON's parts.
        let mut parts_rows = 0u32;
        for k in kpis {
            let Some(parts) = k["figure"]["per_priority"].as_array() else { continue };
            parts_rows += parts.len() as u32 + 2;
            let kpi_id = k["id"].as_str().unwrap();
            for p in parts {
                let id = format!("{kpi_id}.{}", p["priority"].as_str().unwrap());
                let row = sheet.row_of(1, &id, start).unwrap_or_else(|| panic!("{what}: row {id}"));
                let measured_col = ach - 4;
                for (col, field) in [(measured_col, "measured"), (ach, "achievement_pct")] {
                    assert!(!sheet.formula(row, col).is_empty(), "{what}: {id} {field} is a formula");
                    let (got, want) = (sheet.number(row, col), num(&p[field]));
                    assert!(close(got, want), "{what}: {field} of {id}: sheet {got:?}, JSON {want:?}");
                    compared += 1;
                }
            }
        }
        // The block ends where the next domain's begins.
        let next = domains.get(i + 1).and_then(|n| {
            let heading = labels
                .get("xlsx.kpi.domain_heading")
                .replace("{number}", &n["number"].to_string())
                .replace("{name}", n["name"].as_str().unwrap());
            sheet.row_of(0, &heading, start)
        });
        let end = next.unwrap_or(header + 1 + kpis.len() as u32 + parts_rows + 14);
        let score_row = sheet
            .row_of(0, labels.get("xlsx.kpi.score"), start)
            .filter(|r| *r < end);
        let live = d["scored"].as_bool().unwrap() && d["active"].as_bool().unwrap();
        assert_eq!(score_row.is_some(), live, "{what}: score formula of {name}");
        let escalation = match (d["score_pct"].is_null(), d["escalation"].as_bool().unwrap()) {
            (true, _) => "",
            (false, true) => labels.get("xlsx.yes"),
            (false, false) => labels.get("xlsx.no"),
        };
        // The overview: a row per domain under its header, in the model's order.
        let o = *overview_row.get_or_insert_with(|| sheet.row_of(1, name, 0).expect("overview"));
        let o = o + i as u32;
        assert_eq!(sheet.text(o, 1), name);
        if score_row.is_none() {
            assert!(
                sheet.formula(o, 3).is_empty(),
                "{what}: {name} has no score"
            );
            continue;
        };
        let value_of = |key: &str| {
            let row = sheet.row_of(0, labels.get(key), start).filter(|r| *r < end);
            row.unwrap_or_else(|| panic!("{what}: {key} of {name}"))
        };
        for (key, field) in [
            ("xlsx.kpi.score", "score_pct"),
            ("xlsx.kpi.malus_pct", "malus_pct"),
            ("xlsx.kpi.weight_with_data", "weight_with_data"),
            ("xlsx.kpi.weight_total", "weight_total"),
            ("xlsx.kpi.weight_share", "weight_share_pct"),
        ] {
            let row = value_of(key);
            assert!(
                !sheet.formula(row, 1).is_empty(),
                "{what}: {key} of {name} is a formula"
            );
            let (got, want) = (sheet.number(row, 1), num(&d[field]));
            assert!(
                close(got, want),
                "{what}: {field} of {name}: sheet {got:?}, JSON {want:?}"
            );
            compared += 1;
        }
        assert_eq!(
            sheet.text(value_of("xlsx.kpi.escalation"), 1),
            escalation,
            "{what}: {name}"
        );
        assert!(
            close(sheet.number(o, 3), num(&d["score_pct"])),
            "{what}: overview score {name}"
        );
        assert!(
            close(sheet.number(o, 4), num(&d["malus_pct"])),
            "{what}: overview malus {name}"
        );
        assert_eq!(
            sheet.text(o, 5),
            escalation,
            "{what}: overview escalation {name}"
        );
        if !d["invoice_amount_eur"].is_null() {
            let row = value_of("xlsx.kpi.malus_eur");
            let (got, want) = (sheet.number(row, 1), num(&d["malus_eur"]));
            assert!(
                close(got, want),
                "{what}: malus_eur of {name}: sheet {got:?}, JSON {want:?}"
            );
            assert!(
                close(sheet.number(o, 6), want),
                "{what}: overview malus_eur {name}"
            );
            compared += 1;
        }
    }
    compared
}

fn json_of(m: &Monthly) -> Value {
    serde_json::from_slice(&slarapport::render::to_json(&m.report).unwrap()).unwrap()
}

#[test]
fn libreoffice_recalculates_the_kpi_formulas_to_the_reports_values() {
    let labels = labels();
    let plain = demo(false, false);
    let with_invoice = demo(true, false);
    let with_gaps = demo(false, true);
    let statuses = |m: &Monthly| -> Vec<String> {
        m.report
            .kpis
            .domains
            .iter()
            .map(|d| d.status.clone())
            .collect()
    };
    assert!(statuses(&with_gaps).iter().any(|s| s == "no_data"));
    assert!(
        statuses(&plain).iter().any(|s| s == "not_active")
            && statuses(&plain).iter().any(|s| s == "unscored")
    );

    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("annex_formulas");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("in")).unwrap();
    let inputs: Vec<(&str, Vec<u8>, &Monthly, bool)> = vec![
        (
            "plain.xlsx",
            monthly_xlsx(&plain, &labels).unwrap(),
            &plain,
            false,
        ),
        (
            "poisoned.xlsx",
            monthly_xlsx_with_cached(&plain, &labels, true).unwrap(),
            &plain,
            true,
        ),
        (
            "invoice-poisoned.xlsx",
            monthly_xlsx_with_cached(&with_invoice, &labels, true).unwrap(),
            &with_invoice,
            true,
        ),
        (
            "gaps-poisoned.xlsx",
            monthly_xlsx_with_cached(&with_gaps, &labels, true).unwrap(),
            &with_gaps,
            true,
        ),
    ];
    let paths: Vec<PathBuf> = inputs
        .iter()
        .map(|(name, bytes, _, _)| {
            let p = work.join("in").join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();

    // Before: the poisoned annexes really hold the wrong value in every formula cell.
    for (name, bytes, _, poisoned) in &inputs {
        let sheet = kpi_sheet(bytes, &labels);
        let cells = sheet.formula_cells();
        assert!(cells.len() > 40, "{name}: {} formulas", cells.len());
        for (r, c) in &cells {
            let is_poison = matches!(sheet.values.get_value((*r, *c)), Some(Data::Float(x)) if *x == POISONED_RESULT);
            assert_eq!(
                is_poison, *poisoned,
                "{name} ({r}, {c}) before recalculation"
            );
        }
    }

    let recalculated = recalculate(&work, &paths);

    let good = kpi_sheet(&inputs[0].1, &labels);
    for ((name, bytes, model, _), after) in inputs.iter().zip(&recalculated) {
        let before = kpi_sheet(bytes, &labels);
        let after_sheet = kpi_sheet(after, &labels);
        let cells = before.formula_cells();
        // The formulas survive the round trip, and none keeps a poisoned value.
        assert_eq!(
            after_sheet.formula_cells().len(),
            cells.len(),
            "{name}: formulas after saving"
        );
        for (r, c) in &cells {
            let v = after_sheet.values.get_value((*r, *c));
            assert!(
                !matches!(v, Some(Data::Float(x)) if *x == POISONED_RESULT),
                "{name}: ({r}, {c}) = {} was not recalculated",
                before.formula(*r, *c)
            );
            assert!(
                !matches!(v, Some(Data::Error(_))),
                "{name}: ({r}, {c}) is an error: {v:?}"
            );
        }
        // Every value equals the report's JSON.
        let compared = assert_matches_json(&after_sheet, &json_of(model), &labels, name);
        assert!(compared >= 30, "{name}: only {compared} values compared");
        // The plain annex's cached values are what LibreOffice computes, cell by cell.
        if *name == "plain.xlsx" {
            for (r, c) in &cells {
                let (want, got) = (
                    good.values.get_value((*r, *c)),
                    after_sheet.values.get_value((*r, *c)),
                );
                let same = match (want, got) {
                    (Some(Data::Float(a)), Some(Data::Float(b))) => (a - b).abs() <= TOLERANCE,
                    (Some(Data::String(a)), Some(Data::String(b))) => a == b,
                    (Some(Data::String(a)), None | Some(Data::Empty)) => a.is_empty(),
                    _ => false,
                };
                assert!(
                    same,
                    "({r}, {c}) {}: cached {want:?}, LibreOffice {got:?}",
                    good.formula(*r, *c)
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
}
