//! The quarterly annex's unit tests.

use std::path::Path;

use calamine::{Data, Reader};

use chrono::NaiveDate;

use super::*;
use crate::contract::LoadedContract;
use crate::period::Period;
use super::kpi::KPI_FIRST_MONTH_COL;
use crate::render::annex::charts::HELPER_COL;
use crate::render::annex::monthly::tests::{chart_parts, open, string_at};
use crate::report::aggregate::RunContext;
use crate::report::quarterly::build_quarterly;

/// The committed demo data, third quarter of 2026.
fn demo_quarter() -> QuarterlyReport {
let c = LoadedContract::embedded();
let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
let data = crate::load::load_data_dir(&dir, &c).unwrap();
build_quarterly(
    &data,
    &RunContext {
        contract: &c,
        period: Period::parse_quarter("2026-Q3").unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
        lang: crate::i18n::Lang::Nl,
    },
)
}


fn float_at(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<f64> {
match range.get_value((row, col)) {
    Some(Data::Float(x)) => Some(*x),
    // An empty cell, or a formula whose cached result is empty.
    None | Some(Data::Empty) => None,
    Some(Data::String(s)) if s.is_empty() => None,
    other => panic!("expected a number at ({row}, {col}), found {other:?}"),
}
}

#[test]
fn charts_sheet_comes_second_with_two_charts_and_the_same_bytes_twice() {
let q = demo_quarter();
let nl = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
let a = quarterly_xlsx(&q, &nl).unwrap();
let b = quarterly_xlsx(&q, &nl).unwrap();
assert!(a == b, "two runs differ");
assert_eq!(chart_parts(&a), [1, 2]);
let mut wb = open(a);
let names = wb.sheet_names();
assert_eq!(names.len(), 11, "{names:?}");
// The demo's 24 open preventive measures have their sheet before the logs'.
assert_eq!(names[7..], ["Preventieve maatregelen", "Verbeteracties", "Klachten", "Escalaties"]);
assert_eq!(names[3], "KPI-berekening");
assert_eq!(names[1], "Grafieken");
let charts = wb.worksheet_range("Grafieken").unwrap();
assert_eq!(
    string_at(&charts, 0, 0),
    "Grafieken bij de kwartaalrapportage over het 3e kwartaal 2026"
);
let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
let bytes = quarterly_xlsx(&q, &en).unwrap();
assert_eq!(chart_parts(&bytes), [1, 2]);
assert_eq!(open(bytes).sheet_names()[1], "Charts");
}

#[test]
fn the_calculation_sheet_names_each_figures_source_in_words() {
let q = demo_quarter();
let nl = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
let mut wb = open(quarterly_xlsx(&q, &nl).unwrap());
let calc = wb.worksheet_range("KPI-berekening").unwrap();
let row = |id: &str| (0..calc.height() as u32).find(|r| matches!(calc.get_value((*r, 2)), Some(Data::String(s)) if s == id)).unwrap();
let quarter_source = u32::from(calc::cc::col(q.months.len(), calc::cc::SOURCE));
assert_eq!(
    string_at(&calc, row("complaints"), quarter_source),
    "logboek (klachten.csv)"
);
// Training is measured for 2026-H2, which has not ended when Q3's report is made: not
// yet measured, so the source is the contract's.
assert_eq!(string_at(&calc, row("training_sessions"), quarter_source), "meting");
assert_eq!(string_at(&calc, row("first_contact_resolution"), quarter_source), "tickets (tickets.csv)");
// Complaints counted from klachten.csv: 0 + 3 + 1 in the quarter's measured column.
let measured = u32::from(calc::cc::col(q.months.len(), calc::cc::MEASURED));
assert_eq!(float_at(&calc, row("complaints"), measured), Some(4.0));
}

#[test]
fn charts_refer_to_cells_that_hold_the_models_figures() {
let q = demo_quarter();
let nl = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
let mut wb = open(quarterly_xlsx(&q, &nl).unwrap());
let names = wb.sheet_names();
let months: Vec<String> = q.months.iter().map(|m| month_label(m, &nl)).collect();
assert_eq!(months, ["juli 2026", "augustus 2026", "september 2026"]);

// Tickets per month and type: the trends sheet's first table.
let trends = wb.worksheet_range(&names[5]).unwrap();
let t = &q.volumes_by_type;
for (j, m) in months.iter().enumerate() {
    assert_eq!(&string_at(&trends, 0, j as u32 + 1), m);
}
for (i, key) in t.rows.iter().enumerate() {
    let row = i as u32 + 1;
    assert_eq!(string_at(&trends, row, 0), nl.get(&format!("ticket_type.{key}")));
    for j in 0..months.len() {
        assert_eq!(float_at(&trends, row, j as u32 + 1), Some(t.cells[i][j] as f64));
    }
}

// Domain scores per month: the KPI sheet's domain rows, months from column F.
let kpi = wb.worksheet_range(&names[2]).unwrap();
for (j, m) in months.iter().enumerate() {
    assert_eq!(&string_at(&kpi, 0, u32::from(KPI_FIRST_MONTH_COL) + j as u32), m);
}
let score = nl.get("pdf.kpi.domain_score");
let mut charted = 0;
for d in &q.domains {
    let row = (1..kpi.height() as u32)
        .find(|r| {
            matches!(kpi.get_value((*r, 1)), Some(Data::String(s)) if *s == d.name)
                && matches!(kpi.get_value((*r, 2)), Some(Data::String(s)) if s == score)
        })
        .expect("the domain's score row");
    for (j, x) in d.monthly_scores.iter().enumerate() {
        let got = float_at(&kpi, row, u32::from(KPI_FIRST_MONTH_COL) + j as u32);
        assert_eq!(got, x.map(|x| x / 100.0), "{} month {j}", d.name);
    }
    if d.monthly_scores.iter().any(Option::is_some) {
        charted += 1;
    }
}
assert!(charted >= 4, "{charted} domains charted");

// The staircase's limits beside the scores chart, a row per month.
let charts = wb.worksheet_range("Grafieken").unwrap();
let h = u32::from(HELPER_COL);
let heading = nl.get("chart.scores.bands_heading");
let top = (0..charts.height() as u32)
    .find(|r| matches!(charts.get_value((*r, h)), Some(Data::String(s)) if s == heading))
    .expect("the limits' helper table");
assert_eq!(string_at(&charts, top + 1, h + 1), "Staffelgrens 95 %");
for (k, m) in months.iter().enumerate() {
    let row = top + 2 + k as u32;
    assert_eq!(&string_at(&charts, row, h), m);
    let limits: Vec<Option<f64>> = (1..=3).map(|c| float_at(&charts, row, h + c)).collect();
    assert_eq!(limits, [Some(0.95), Some(0.9), Some(0.8)]);
}
}

/// The list of changes when the PDF lists only some: every change on the sheet, continued on
/// a numbered sheet past the rows a sheet holds (here 100 instead of Excel's 1,048,575), none
/// left out; the demo's quarter (115 changes, all in the PDF) has no such sheet.
#[test]
fn the_list_of_changes_continues_on_numbered_sheets_and_leaves_none_out() {
    let mut q = demo_quarter();
    let nl = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
    assert!(!q.changes_cut_in_pdf());
    let plain = open(write_workbook(&q, &nl, 100).unwrap());
    assert!(!plain.sheet_names().iter().any(|n| n.starts_with("Non-standard")), "{:?}", plain.sheet_names());
    let first = q.changes_listed.len();
    let extra: Vec<_> = q.changes_listed[..45].iter().cloned().map(|mut c| { c.ticket_id.push_str("-b"); c }).collect();
    q.changes_listed.extend(extra);
    assert_eq!(q.changes_listed.len(), first + 45);
    assert!(q.changes_cut_in_pdf());
    let mut wb = open(write_workbook(&q, &nl, 100).unwrap());
    let names: Vec<String> = wb.sheet_names().into_iter().filter(|n| n.starts_with("Non-standard")).collect();
    assert_eq!(names, ["Non-standard en spoed", "Non-standard en spoed (2)"]);
    let ids: Vec<String> = names
        .iter()
        .flat_map(|n| {
            let r = wb.worksheet_range(n).unwrap();
            (1..r.height() as u32).map(move |row| string_at(&r, row, 0)).collect::<Vec<_>>()
        })
        .collect();
    let expected: Vec<String> = q.changes_listed.iter().map(|c| c.ticket_id.clone()).collect();
    assert_eq!(ids, expected, "every change once, in order");
}
