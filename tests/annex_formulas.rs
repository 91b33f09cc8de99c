//! The KPI sheet of the Excel annex, recalculated by a real spreadsheet program.
//!
//! The annex's achievements, domain scores, malus and escalation are live formulas with the
//! report's values cached. Here LibreOffice (headless) loads the annex of the committed demo
//! data, recalculates every formula and saves it again; the recalculated values must equal
//! the report's JSON within 1e-9. Two more annexes carry deliberately wrong cached results
//! (`poisoned`: the annex with every formula's cached result replaced by [`POISONED_RESULT`]):
//! LibreOffice must replace every one of them, which proves that it recalculated rather than
//! kept what the file said.
//!
//! The quarterly annex gets the same treatment: its calculation sheet (every period's
//! achievements, domain scores, malus), the KPI sheet that refers to it and the malus table
//! with its total.
//!
//! LibreOffice never recalculates an OOXML file on load by default. It runs with a fresh user
//! profile whose `registrymodifications.xcu` sets `Calc/Formula/Load/OOXMLRecalcMode` to 0
//! ("always recalculate").
//!
//! Needs `soffice` (Debian: `libreoffice-calc-nogui`; `.ci/run` installs it). Without it
//! the test fails: it is never skipped.

use std::io::{Cursor, Read, Write};
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
use slarapport::render::annex::{monthly_xlsx, quarterly_xlsx};
use slarapport::report::model::Monthly;
use slarapport::report::monthly::{RunContext, build};
use slarapport::report::quarterly::{QuarterlyReport, build_quarterly};

const TOLERANCE: f64 = 1e-9;
/// The cached result every formula gets in a poisoned annex: no KPI figure can be this.
const POISONED_RESULT: f64 = -12345.678;
const SOFFICE_TIMEOUT: Duration = Duration::from_secs(300);

/// The embedded contract; with `invoice`, every domain has an invoice amount.
fn demo_contract(invoice: bool) -> LoadedContract {
    let mut c = LoadedContract::embedded();
    if invoice {
        for (i, d) in c.contract.domains.iter_mut().enumerate() {
            d.invoice_amount_eur = Some(10_000.0 + 1_234.56 * i as f64);
        }
    }
    c
}

/// The demo data for October 2026; with `invoice`, every domain gets an invoice amount so
/// that the malus in euros is in the annex too; with `gaps`, the phone log and the
/// measurements of domain 4 and of CMDB accuracy are left out, so that some KPIs and one
/// domain have no data (the demo data has figures for every KPI).
fn demo(invoice: bool, gaps: bool) -> Monthly {
    let c = demo_contract(invoice);
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
        lang: slarapport::i18n::Lang::Nl,
    };
    build(&data, &ctx)
}

fn labels() -> Labels {
    slarapport::render::labels(&TemplateSet::embedded(), slarapport::i18n::Lang::Nl).unwrap()
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

/// `xlsx` with every formula's cached result replaced by [`POISONED_RESULT`] (a number, so
/// a cell whose result was text loses its `t="str"`); everything else stays as it is.
fn poisoned(xlsx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") {
            data = poison_sheet(std::str::from_utf8(&data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A worksheet's XML with each formula cell, `<c ATTRS><f>FORMULA</f><v>RESULT</v></c>`,
/// holding [`POISONED_RESULT`] as its result.
fn poison_sheet(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(f) = rest.find("<f>") {
        let open = rest[..f].rfind("<c ").expect("a formula inside a cell");
        let attrs = &rest[open..open + rest[open..].find('>').unwrap()];
        let close = f + rest[f..].find("</c>").expect("the cell's end");
        let formula = &rest[f..f + rest[f..].find("</f>").unwrap() + "</f>".len()];
        out.push_str(&rest[..open]);
        for attr in attrs.split(' ').filter(|a| !a.starts_with("t=")) {
            if attr != "<c" {
                out.push(' ');
            }
            out.push_str(attr);
        }
        out.push_str(&format!(">{formula}<v>{POISONED_RESULT}</v></c>"));
        rest = &rest[close + "</c>".len()..];
    }
    out.push_str(rest);
    out
}

/// Writes each annex into `work/in`; returns their paths, in order.
fn write_inputs<'a>(work: &Path, inputs: impl Iterator<Item = (&'a str, &'a [u8])>) -> Vec<PathBuf> {
    inputs
        .map(|(name, bytes)| {
            let p = work.join("in").join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect()
}

/// Every formula cell of `sheet` holds the poisoned cached result if and only if
/// `poisoned`; returns how many formula cells there are.
fn assert_poison(sheet: &Sheet, poisoned: bool, name: &str) -> usize {
    let cells = sheet.formula_cells();
    for (r, c) in &cells {
        let is_poison = matches!(sheet.values.get_value((*r, *c)), Some(Data::Float(x)) if *x == POISONED_RESULT);
        assert_eq!(is_poison, poisoned, "{name} ({r}, {c}) before recalculation");
    }
    cells.len()
}

/// The formulas of `before` survive LibreOffice's round trip into `after`, and none keeps a
/// poisoned value or became an error; with `cached_too`, `before`'s cached values are what
/// LibreOffice computed, cell by cell.
fn assert_recalculated(before: &Sheet, after: &Sheet, name: &str, cached_too: bool) {
    let cells = before.formula_cells();
    assert_eq!(after.formula_cells().len(), cells.len(), "{name}: formulas after saving");
    for (r, c) in &cells {
        let v = after.values.get_value((*r, *c));
        assert!(
            !matches!(v, Some(Data::Float(x)) if *x == POISONED_RESULT),
            "{name}: ({r}, {c}) = {} was not recalculated",
            before.formula(*r, *c)
        );
        assert!(!matches!(v, Some(Data::Error(_))), "{name}: ({r}, {c}) is an error: {v:?}");
        if cached_too {
            let want = before.values.get_value((*r, *c));
            let same = match (want, v) {
                (Some(Data::Float(a)), Some(Data::Float(b))) => (a - b).abs() <= TOLERANCE,
                (Some(Data::String(a)), Some(Data::String(b))) => a == b,
                (Some(Data::String(a)), None | Some(Data::Empty)) => a.is_empty(),
                _ => false,
            };
            assert!(same, "{name}: ({r}, {c}) {}: cached {want:?}, LibreOffice {v:?}", before.formula(*r, *c));
        }
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
            poisoned(&monthly_xlsx(&plain, &labels).unwrap()),
            &plain,
            true,
        ),
        (
            "invoice-poisoned.xlsx",
            poisoned(&monthly_xlsx(&with_invoice, &labels).unwrap()),
            &with_invoice,
            true,
        ),
        (
            "gaps-poisoned.xlsx",
            poisoned(&monthly_xlsx(&with_gaps, &labels).unwrap()),
            &with_gaps,
            true,
        ),
    ];
    let paths = write_inputs(&work, inputs.iter().map(|(name, bytes, ..)| (*name, bytes.as_slice())));

    // Before: the poisoned annexes really hold the wrong value in every formula cell.
    for (name, bytes, _, poisoned) in &inputs {
        let cells = assert_poison(&kpi_sheet(bytes, &labels), *poisoned, name);
        assert!(cells > 40, "{name}: {cells} formulas");
    }

    let recalculated = recalculate(&work, &paths);

    for ((name, bytes, model, _), after) in inputs.iter().zip(&recalculated) {
        let before = kpi_sheet(bytes, &labels);
        let after_sheet = kpi_sheet(after, &labels);
        // The formulas survive the round trip, none keeps a poisoned value, and the plain
        // annex's cached values are what LibreOffice computes, cell by cell.
        assert_recalculated(&before, &after_sheet, name, *name == "plain.xlsx");
        // Every value equals the report's JSON.
        let compared = assert_matches_json(&after_sheet, &json_of(model), &labels, name);
        assert!(compared >= 30, "{name}: only {compared} values compared");
    }
    let _ = std::fs::remove_dir_all(&work);
}

// ---- the quarterly annex ---------------------------------------------------------------

/// The demo data's third quarter of 2026; with `invoice`, every domain gets an invoice
/// amount (the malus in euros, domain 7's on-site KPI included).
fn demo_quarter(invoice: bool) -> QuarterlyReport {
    let c = demo_contract(invoice);
    let data = load_data_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo"), &c).unwrap();
    let ctx = RunContext {
        contract: &c,
        period: Period::parse_quarter("2026-Q3").unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
        lang: slarapport::i18n::Lang::Nl,
    };
    build_quarterly(&data, &ctx)
}

fn sheet_named(bytes: &[u8], name: &str) -> Sheet {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    Sheet {
        values: wb.worksheet_range(name).unwrap(),
        formulas: wb.worksheet_formula(name).unwrap(),
    }
}

/// The quarterly annex's sheets with formulas: KPIs, calculation, malus (the third to
/// fifth sheet; the KPI sheet's name is its heading cut to a sheet name).
fn quarterly_sheets(bytes: &[u8], labels: &Labels) -> [Sheet; 3] {
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[3], labels.get("q.calc.sheet"));
    assert_eq!(names[4], labels.get("q.malus.pct"));
    [2, 3, 4].map(|i| sheet_named(bytes, &names[i]))
}

/// Every figure of the calculation, KPI and malus sheets equals the quarterly JSON: per
/// period (the months, the quarter) each KPI's measured value, numerator, denominator and
/// achievement and each domain's weight with data, score, malus, escalation and malus in
/// euros; the KPI sheet's scores and achievements; the malus table and its total. Returns
/// how many values were compared.
fn assert_quarterly_matches_json(sheets: &[Sheet; 3], json: &Value, labels: &Labels, what: &str) -> usize {
    let [overview, calc, malus] = sheets;
    let num = |v: &Value| v.as_f64();
    let mut compared = 0;
    let mut check = |got: Option<f64>, want: Option<f64>, about: &str| {
        assert!(close(got, want), "{what}: {about}: sheet {got:?}, JSON {want:?}");
        compared += 1;
    };
    let yes_no = |d: &Value| match (d["score_pct"].is_null(), d["escalation"].as_bool().unwrap()) {
        (true, _) => "",
        (false, true) => labels.get("xlsx.yes"),
        (false, false) => labels.get("xlsx.no"),
    };
    // The calculation sheet: the column header row, and per period its columns.
    let ach_label = labels.get("xlsx.kpi_col.achievement");
    let is = |r: u32, c: u32, s: &str| matches!(calc.values.get_value((r, c)), Some(Data::String(x)) if x == s);
    let header = (0..60).find(|r| (0..60).any(|c| is(*r, c, ach_label))).expect("header row");
    let cols = |key: &str| -> Vec<u32> { (0..80).filter(|c| is(header, *c, labels.get(key))).collect() };
    let (measured, numerator, denominator) = (cols("xlsx.kpi_col.measured"), cols("xlsx.kpi_col.numerator"), cols("xlsx.kpi_col.denominator"));
    let (achievement, effective) = (cols("xlsx.kpi_col.achievement"), cols("xlsx.kpi_col.effective_weight"));
    let sections: Vec<&Value> = json["kpi_months"].as_array().unwrap().iter().chain([&json["kpi_quarter"]]).collect();
    assert_eq!(achievement.len(), sections.len(), "{what}: a column group per period");
    let domains = json["kpi_quarter"]["domains"].as_array().unwrap();
    for (i, d) in domains.iter().enumerate() {
        let name = d["name"].as_str().unwrap();
        let heading = labels
            .get("xlsx.kpi.domain_heading")
            .replace("{number}", &d["number"].to_string())
            .replace("{name}", name);
        let start = calc.row_of(0, &heading, header).unwrap_or_else(|| panic!("{what}: block of {name}"));
        // The block ends where the next domain's begins.
        let end = domains
            .get(i + 1)
            .and_then(|n| {
                let heading = labels
                    .get("xlsx.kpi.domain_heading")
                    .replace("{number}", &n["number"].to_string())
                    .replace("{name}", n["name"].as_str().unwrap());
                calc.row_of(0, &heading, start)
            })
            .unwrap_or(start + 40);
        let row_of = |key: &str| calc.row_of(3, labels.get(key), start).filter(|r| *r < end);
        for (p, sec) in sections.iter().enumerate() {
            let pd = &sec["domains"][i];
            for k in pd["kpis"].as_array().unwrap() {
                let id = k["id"].as_str().unwrap();
                let row = calc.row_of(2, id, start).filter(|r| *r < end).unwrap_or_else(|| panic!("{what}: row of {id}"));
                let f = &k["figure"];
                // Domain 2 per priority: a row per priority (`KPI.P1` …), formulas that
                // recalculate to the JSON's parts.
                for part in f["per_priority"].as_array().into_iter().flatten() {
                    let pid = format!("{id}.{}", part["priority"].as_str().unwrap());
                    let prow = calc.row_of(2, &pid, start).filter(|r| *r < end).unwrap_or_else(|| panic!("{what}: row of {pid}"));
                    check(calc.number(prow, measured[p]), num(&part["measured"]), &format!("measured {pid} period {p}"));
                    check(calc.number(prow, achievement[p]), num(&part["achievement_pct"]), &format!("achievement {pid} period {p}"));
                    assert!(!calc.formula(prow, achievement[p]).is_empty(), "{what}: formula of {pid}");
                }
                check(calc.number(row, measured[p]), num(&f["measured"]), &format!("measured {id} period {p}"));
                check(calc.number(row, numerator[p]), num(&f["numerator"]), &format!("numerator {id} period {p}"));
                check(calc.number(row, denominator[p]), num(&f["denominator"]), &format!("denominator {id} period {p}"));
                check(calc.number(row, achievement[p]), num(&k["achievement_pct"]), &format!("achievement {id} period {p}"));
                assert_eq!(calc.formula(row, achievement[p]).is_empty(), k["norm"].is_null(), "{what}: formula of {id}");
            }
            let live = pd["scored"].as_bool().unwrap() && pd["active"].as_bool().unwrap();
            let Some(score) = row_of("xlsx.kpi.score") else {
                assert!(!live, "{what}: {name} has no score rows");
                continue;
            };
            if !live {
                assert!(calc.formula(score, achievement[p]).is_empty(), "{what}: {name} period {p}");
                continue;
            }
            for (key, field, col) in [
                ("xlsx.kpi.score", "score_pct", achievement[p]),
                ("xlsx.kpi.malus_pct", "malus_pct", achievement[p]),
                ("xlsx.kpi.weight_with_data", "weight_with_data", effective[p]),
                ("xlsx.kpi.weight_share", "weight_share_pct", achievement[p]),
            ] {
                let row = row_of(key).unwrap();
                assert!(!calc.formula(row, col).is_empty(), "{what}: {key} of {name} is a formula");
                check(calc.number(row, col), num(&pd[field]), &format!("{field} of {name} period {p}"));
            }
            assert_eq!(calc.text(row_of("xlsx.kpi.escalation").unwrap(), achievement[p]), yes_no(pd), "{what}: {name} period {p}");
            if !pd["invoice_amount_eur"].is_null() {
                check(calc.number(row_of("xlsx.kpi.malus_eur").unwrap(), achievement[p]), num(&pd["malus_eur"]), &format!("malus_eur of {name} period {p}"));
            }
        }
    }
    // The KPI sheet: each domain's score row, then its KPIs' achievements, months from F.
    let score_label = labels.get("pdf.kpi.domain_score");
    for d in json["domains"].as_array().unwrap() {
        let name = d["name"].as_str().unwrap();
        let row = (1..200)
            .find(|r| overview.text(*r, 1) == name && overview.text(*r, 2) == score_label)
            .unwrap_or_else(|| panic!("{what}: score row of {name}"));
        let values: Vec<Option<f64>> = d["monthly_scores"].as_array().unwrap().iter().chain([&d["quarter_score"]]).map(num).collect();
        for (p, want) in values.iter().enumerate() {
            if want.is_some() || !overview.formula(row, 5 + p as u32).is_empty() {
                check(overview.number(row, 5 + p as u32).map(|x| x * 100.0), *want, &format!("KPI sheet score {name} period {p}"));
            }
        }
        for (j, k) in d["kpis"].as_array().unwrap().iter().enumerate() {
            let row = row + 1 + j as u32;
            assert_eq!(overview.text(row, 2), k["name"].as_str().unwrap(), "{what}");
            let values: Vec<Option<f64>> =
                k["monthly_achievement"].as_array().unwrap().iter().chain([&k["quarter_achievement"]]).map(num).collect();
            for (p, want) in values.iter().enumerate() {
                check(overview.number(row, 5 + p as u32).map(|x| x * 100.0), *want, &format!("KPI sheet achievement {} period {p}", k["id"]));
            }
        }
    }
    // The malus sheet: a row per malus row under the header, then the totals.
    let header = malus.row_of(0, labels.get("pdf.kpi.domain_no"), 0).expect("malus header");
    for (j, m) in json["malus"].as_array().unwrap().iter().enumerate() {
        let row = header + 1 + j as u32;
        assert_eq!(malus.number(row, 0), num(&m["number"]), "{what}");
        check(malus.number(row, 3), num(&m["score"]), &format!("malus sheet score row {j}"));
        check(malus.number(row, 4), num(&m["malus_pct"]), &format!("malus sheet malus row {j}"));
        check(malus.number(row, 7), num(&m["malus_eur"]), &format!("malus sheet euros row {j}"));
        if !m["score"].is_null() {
            assert!(!malus.formula(row, 4).is_empty(), "{what}: malus row {j} is a formula");
            let want = labels.get(if m["escalation"].as_bool().unwrap() { "xlsx.yes" } else { "xlsx.no" });
            assert_eq!(malus.text(row, 5), want, "{what}: malus row {j}");
        }
    }
    let t = &json["malus_total"];
    let total = |key: &str, col: u32| malus.row_of(1, labels.get(key), header).map(|r| malus.number(r, col));
    check(total("q.malus.with_malus", 4).unwrap(), num(&t["with_malus"]), "rows with a malus");
    check(total("q.malus.with_escalation", 5).unwrap(), num(&t["escalations"]), "rows with escalation");
    assert_eq!(total("q.malus.total_eur", 7).is_some(), !t["malus_eur"].is_null(), "{what}: euro total");
    if let Some(got) = total("q.malus.total_eur", 7) {
        check(got, num(&t["malus_eur"]), "malus total in euros");
    }
    compared
}

#[test]
fn libreoffice_recalculates_the_quarterly_annex_to_the_reports_values() {
    let labels = labels();
    let plain = demo_quarter(false);
    let with_invoice = demo_quarter(true);
    assert!(with_invoice.malus.iter().any(|m| m.kpi_id.is_some() && m.malus_eur.is_some()), "the on-site KPI's malus in euros");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("annex_formulas_quarterly");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("in")).unwrap();
    let inputs: Vec<(&str, Vec<u8>, &QuarterlyReport, bool)> = vec![
        ("q-plain.xlsx", quarterly_xlsx(&plain, &labels).unwrap(), &plain, false),
        ("q-poisoned.xlsx", poisoned(&quarterly_xlsx(&plain, &labels).unwrap()), &plain, true),
        ("q-invoice-poisoned.xlsx", poisoned(&quarterly_xlsx(&with_invoice, &labels).unwrap()), &with_invoice, true),
    ];
    let paths = write_inputs(&work, inputs.iter().map(|(name, bytes, ..)| (*name, bytes.as_slice())));
    for (name, bytes, _, poisoned) in &inputs {
        let cells: usize = quarterly_sheets(bytes, &labels).iter().map(|sheet| assert_poison(sheet, *poisoned, name)).sum();
        assert!(cells > 150, "{name}: {cells} formulas");
    }

    let recalculated = recalculate(&work, &paths);

    for ((name, bytes, model, _), after) in inputs.iter().zip(&recalculated) {
        let before = quarterly_sheets(bytes, &labels);
        let after = quarterly_sheets(after, &labels);
        for (b, a) in before.iter().zip(&after) {
            assert_recalculated(b, a, name, !name.contains("poisoned"));
        }
        let json: Value = serde_json::from_slice(&slarapport::render::to_json(*model).unwrap()).unwrap();
        let compared = assert_quarterly_matches_json(&after, &json, &labels, name);
        assert!(compared >= 300, "{name}: only {compared} values compared");
    }
    let _ = std::fs::remove_dir_all(&work);
}

