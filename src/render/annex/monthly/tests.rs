//! The monthly annex's unit tests: sheets, values, formulas and charts read back with calamine.

use std::collections::BTreeSet;
use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};

use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::utility::row_col_to_cell_absolute;

use super::kpi::{OVERVIEW_NAME_COL, OVERVIEW_SCORE_COL, kc};
use super::tables::{ATTAINMENT_PCT_COL, ATTAINMENT_PRIORITY_COL, CROSS_FIRST_ROW};
use super::*;
use crate::render::annex::charts::{CHART_TOP, HELPER_COL};
use crate::render::annex::formulas::text_result_is_safe;
use crate::render::annex::workbook::{MAX_CELL_UTF16, numbered_sheet_name, sheet_base_name};
use crate::contract::LoadedContract;
use crate::kpi::KpiSection;
use crate::period::Period;
use crate::report::aggregate::{RunContext, build};

const CSV: &str = "\
id,type,school,category,subcategory,summary,priority,channel,opened_at,responded_at,resolved_at,rca_delivered_at
T-001,incident,Montessorischool Noord,Netwerk,wifi,=SOM(A1:A3),P2,email,2026-10-05T09:00,2026-10-05T09:30,2026-10-05T12:00,
T-002,incident,Basisschool De Linde,Werkplek,laptop,@docent,P3,portal,2026-10-06T10:00,2026-10-06T14:30,2026-10-08T10:00,
T-003,service_request,Basisschool De Linde,Accounts,,+31 6 12345678,P4,phone,2026-10-07T08:15,2026-10-07T09:00,,
T-004,incident,Montessorischool Noord,Netwerk,wifi,Storing wifi hele school,P1,phone,2026-10-12T08:30,2026-10-12T08:40,2026-10-12T11:00,2026-10-15T10:00
T-005,change,Basisschool De Linde,Werkplek,,-,P3,portal,2026-10-20T13:00,2026-10-20T13:05,2026-10-21T09:00,
T-006,incident,Basisschool De Linde,Netwerk,wifi,vorige maand,P3,email,2026-09-10T09:00,2026-09-10T09:30,2026-09-10T12:00,
X-007,incident,,Netwerk,,geen school,P3,email,2026-10-10T09:00,,,
";

fn monthly() -> Monthly {
    let c = LoadedContract::embedded();
    let data = crate::load::load_tickets_csv(CSV.as_bytes(), "tickets.csv", &c).unwrap();
    build(
        &data,
        &RunContext {
            contract: &c,
            period: Period::parse_month("2026-10").unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            lang: crate::i18n::Lang::Nl,
        },
    )
}

fn nl() -> Labels {
    Labels::embedded(crate::i18n::Lang::Nl).unwrap()
}

pub(in crate::render::annex) fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).unwrap()
}

pub(in crate::render::annex) fn string_at(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected a string at ({row}, {col}), found {other:?}"),
    }
}

/// Excel serial of a local `YYYY-MM-DDTHH:MM` (1900 date system, after March 1900).
fn serial(s: &str) -> f64 {
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    (t - epoch).num_seconds() as f64 / 86_400.0
}

#[test]
fn sheets_in_order_with_dutch_names() {
    let mut wb = open(monthly_xlsx(&monthly(), &nl()).unwrap());
    assert_eq!(
        wb.sheet_names(),
        [
            "Samenvatting",
            "Grafieken",
            "KPI's",
            "Volumes",
            "Incidenten",
            "Type en prioriteit",
            "Reactietijd",
            "Oplostijd",
            "Overschrijdingen",
            "Achterstand",
            "Terugkerende issues",
            "P1 en RCA",
            "Prioriteit met de hand",
            "Tickets",
            "Datakwaliteit",
        ]
    );
    let summary = wb.worksheet_range("Samenvatting").unwrap();
    assert_eq!(
        string_at(&summary, 0, 0),
        "Bijlage bij de SLA-maandrapportage van oktober 2026"
    );
}

#[test]
fn english_labels_give_english_sheet_names() {
    let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
    let wb = open(monthly_xlsx(&monthly(), &en).unwrap());
    let names = wb.sheet_names();
    assert_eq!(names[0], "Summary");
    assert!(names.contains(&"Data quality".to_string()));
    for n in &names {
        assert!(
            n.encode_utf16().count() <= 31 && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])
        );
    }
}

#[test]
fn one_row_per_ticket_with_literal_text_and_real_datetimes() {
    let m = monthly();
    let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
    let range = wb.worksheet_range("Tickets").unwrap();
    assert_eq!(range.height(), m.tickets.len() + 1);
    assert_eq!(string_at(&range, 0, 0), "Ticket");
    let ids: Vec<String> = (1..=m.tickets.len() as u32)
        .map(|r| string_at(&range, r, 0))
        .collect();
    assert_eq!(ids, ["T-001", "T-002", "T-003", "T-004", "T-005"]);
    assert!(m.tickets.iter().map(|t| &t.ticket_id).eq(ids.iter()));

    // Formula-like and sign-leading summaries are string cells, not formulas.
    let formulas = wb.worksheet_formula("Tickets").unwrap();
    for (row, text) in [
        (1, "=SOM(A1:A3)"),
        (2, "@docent"),
        (3, "+31 6 12345678"),
        (5, "-"),
    ] {
        assert_eq!(string_at(&range, row, 8), text);
        assert!(
            formulas.get_value((row, 8)).is_none_or(|f| f.is_empty()),
            "formula in row {row}"
        );
    }
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));

    // Dates are datetime cells with the right serial value; statuses are translated.
    for (i, t) in m.tickets.iter().enumerate() {
        let row = i as u32 + 1;
        match range.get_value((row, 10)) {
            Some(Data::DateTime(d)) => {
                assert!((d.as_f64() - serial(&t.opened_at.to_string())).abs() < 1e-9)
            }
            other => panic!("opened_at of {} is {other:?}", t.ticket_id),
        }
        let nl = nl();
        assert_eq!(
            string_at(&range, row, 18),
            nl.get(&format!("status.{}", t.response_status))
        );
        assert_eq!(string_at(&range, row, 13), "geteld");
        match range.get_value((row, 16)) {
            Some(Data::Float(x)) => assert_eq!(*x, t.response_target_minutes as f64),
            other => panic!("response target is {other:?}"),
        }
    }
    assert_eq!(string_at(&range, 1, 2), "Incident");
    assert_eq!(string_at(&range, 3, 2), "Serviceverzoek");
}

#[test]
fn percentages_are_fractions_of_the_model() {
    let m = monthly();
    let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
    for (sheet, rows) in [
        ("Reactietijd", &m.report.attainment.response),
        ("Oplostijd", &m.report.attainment.resolution),
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        assert!(rows.iter().any(|r| r.pct.is_some()));
        for (i, a) in rows.iter().enumerate() {
            let row = i as u32 + 2;
            match (a.pct, range.get_value((row, 7))) {
                (Some(p), Some(Data::Float(x))) => {
                    assert!((x - p / 100.0).abs() < 1e-12, "{sheet} row {row}")
                }
                (None, None | Some(Data::Empty)) => {}
                (p, cell) => panic!("{sheet} row {row}: model {p:?}, cell {cell:?}"),
            }
            match range.get_value((row, 3)) {
                Some(Data::Float(x)) => assert_eq!(*x, a.counted as f64),
                other => panic!("{sheet} row {row}: counted {other:?}"),
            }
        }
    }
    let summary = wb.worksheet_range("Samenvatting").unwrap();
    let label = nl().get("xlsx.summary.response_pct").to_string();
    let row = summary
        .rows()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if *s == label))
        .expect("response percentage in the summary");
    let want = m.report.summary.response_pct.unwrap() / 100.0;
    assert!(matches!(summary.get((row, 1)), Some(Data::Float(x)) if (x - want).abs() < 1e-12));
}

#[test]
fn lists_and_cross_tables_follow_the_model() {
    let m = monthly();
    let r = &m.report;
    let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
    let breaches = wb.worksheet_range("Overschrijdingen").unwrap();
    assert!(!r.breaches.is_empty());
    assert_eq!(breaches.height(), r.breaches.len() + 1);
    for (i, x) in r.breaches.iter().enumerate() {
        assert_eq!(string_at(&breaches, i as u32 + 1, 0), x.ticket_id);
    }
    let p1 = wb.worksheet_range("P1 en RCA").unwrap();
    assert_eq!(string_at(&p1, 1, 0), "T-004");
    assert_eq!(
        string_at(&p1, 1, 14),
        nl().get(&format!("rca_status.{}", r.p1s[0].rca_status.key()))
    );

    let volumes = wb.worksheet_range("Volumes").unwrap();
    let t = &r.volumes.by_school_category;
    let total_row = 3 + t.rows.len() as u32;
    assert_eq!(string_at(&volumes, total_row, 0), "Totaal");
    let total_col = t.columns.len() as u32 + 1;
    assert!(
        matches!(volumes.get_value((total_row, total_col)), Some(Data::Float(x)) if *x == t.total as f64)
    );
    assert_eq!(t.total, 5);

    let dq = wb.worksheet_range("Datakwaliteit").unwrap();
    let texts: Vec<String> = dq
        .used_cells()
        .filter_map(|(_, _, d)| d.get_string().map(String::from))
        .collect();
    assert!(
        texts.iter().any(|s| s == "school"),
        "the rejection of X-007 is listed: {texts:?}"
    );
}

#[test]
fn control_characters_and_overlong_text_do_not_break_the_file() {
    let mut m = monthly();
    m.tickets[0].summary = "a\u{7}b\r\nc\rd\u{0}_x0041_\ttab".into();
    m.tickets[1].summary = "x".repeat(40_000).into();
    m.tickets[2].school = "=HYPERLINK(\"http://example.com\")".into();
    let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
    let range = wb.worksheet_range("Tickets").unwrap();
    assert_eq!(
        string_at(&range, 1, 8),
        "a\u{FFFD}b\nc\nd\u{FFFD}_x0041_\ttab"
    );
    let long = string_at(&range, 2, 8);
    assert_eq!(long.chars().count(), MAX_CELL_UTF16);
    assert!(long.ends_with('…'));
    assert_eq!(
        string_at(&range, 3, 5),
        "=HYPERLINK(\"http://example.com\")"
    );
}

#[test]
fn long_lists_continue_on_numbered_sheets() {
    let m = monthly();
    let mut wb = open(write_workbook(&m, &nl(), 2).unwrap());
    let names = wb.sheet_names();
    let tickets: Vec<&String> = names.iter().filter(|n| n.starts_with("Tickets")).collect();
    assert_eq!(tickets, ["Tickets", "Tickets (2)", "Tickets (3)"]);
    let mut ids = Vec::new();
    for name in ["Tickets", "Tickets (2)", "Tickets (3)"] {
        let range = wb.worksheet_range(name).unwrap();
        assert_eq!(string_at(&range, 0, 0), "Ticket");
        ids.extend((1..range.height() as u32).map(|r| string_at(&range, r, 0)));
    }
    assert!(m.tickets.iter().map(|t| &t.ticket_id).eq(ids.iter()));
}

#[test]
fn same_model_same_bytes() {
    let m = monthly();
    let a = monthly_xlsx(&m, &nl()).unwrap();
    let b = monthly_xlsx(&m, &nl()).unwrap();
    assert!(a == b, "two runs differ");
    assert!(a.starts_with(b"PK"));
}

#[test]
fn bad_generated_on_is_an_error_not_a_panic() {
    let mut m = monthly();
    // A date Excel cannot hold (its dates begin on 1899-12-31).
    m.report.meta.generated_on = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    let e = monthly_xlsx(&m, &nl()).unwrap_err();
    assert!(e.message.contains("generated_on"), "{e}");
}

#[test]
fn sheet_names_are_cleaned_cut_and_numbered() {
    assert_eq!(sheet_base_name("a/b:c*d?[e]\\"), "a_b_c_d__e__");
    assert_eq!(sheet_base_name("'quoted'"), "quoted");
    assert_eq!(sheet_base_name("  "), "Sheet");
    let long = "Een heel lange naam voor een tabblad met tickets";
    assert_eq!(numbered_sheet_name(long, 1).encode_utf16().count(), 31);
    let n = numbered_sheet_name(long, 12);
    assert!(n.ends_with(" (12)") && n.encode_utf16().count() <= 31);
    assert_eq!(month_label("2026-10", &nl()), "oktober 2026");
    assert_eq!(month_label("Q4", &nl()), "Q4");
}
// --- The KPI sheet -------------------------------------------------------------------

/// The committed demo data for October 2026: every kind of figure (calls, tickets,
/// measurements of the month, the quarter and the half year) and every domain status.
fn demo_monthly() -> Monthly {
    demo_with(|_| {})
}

/// The demo data without the phone log and without the measurements of domain 4 and of
/// CMDB accuracy: KPIs without data, a domain without data.
fn demo_with_gaps() -> Monthly {
    demo_with(|data| {
        data.calls = None;
        let gone = [
            "patch_compliance",
            "os_up_to_date",
            "licence_compliance",
            "cmdb_accuracy",
        ];
        data.measurements
            .retain(|m| !gone.contains(&m.kpi.as_str()));
    })
}

fn demo_with(change: impl FnOnce(&mut crate::load::DataSet)) -> Monthly {
    let c = LoadedContract::embedded();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let mut data = crate::load::load_data_dir(&dir, &c).unwrap();
    change(&mut data);
    build(
        &data,
        &RunContext {
            contract: &c,
            period: Period::parse_month("2026-10").unwrap(),
            today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            lang: crate::i18n::Lang::Nl,
        },
    )
}

/// The row whose column `col` holds the string `s`, from row `from` on.
fn row_of(range: &calamine::Range<Data>, col: u32, s: &str, from: u32) -> Option<u32> {
    (from..range.height() as u32)
        .find(|r| matches!(range.get_value((*r, col)), Some(Data::String(x)) if x == s))
}

fn float_at(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<f64> {
    match range.get_value((row, col)) {
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(x)) => Some(*x as f64),
        Some(Data::String(s)) if s.is_empty() => None,
        None | Some(Data::Empty) => None,
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

fn formula_at(formulas: &calamine::Range<String>, row: u32, col: u32) -> String {
    formulas.get_value((row, col)).cloned().unwrap_or_default()
}

/// Per domain: the row of its score (`None` when its block has no score formula).
fn score_rows(range: &calamine::Range<Data>, k: &KpiSection, l: &Labels) -> Vec<Option<u32>> {
    let heading = |n: usize| {
        let d = &k.domains[n];
        l.get("xlsx.kpi.domain_heading")
            .replace("{number}", &d.number.to_string())
            .replace("{name}", &d.name)
    };
    let starts: Vec<u32> = (0..k.domains.len())
        .map(|n| row_of(range, 0, &heading(n), 0).expect("domain heading"))
        .collect();
    (0..k.domains.len())
        .map(|n| {
            let end = starts.get(n + 1).copied().unwrap_or(u32::MAX);
            row_of(range, 0, l.get("xlsx.kpi.score"), starts[n]).filter(|r| *r < end)
        })
        .collect()
}

#[test]
fn kpi_sheet_has_live_formulas_with_the_models_values_cached() {
    let m = demo_monthly();
    let k = &m.report.kpis;
    let nl = nl();
    let mut wb = open(monthly_xlsx(&m, &nl).unwrap());
    assert_eq!(wb.sheet_names()[2], "KPI's");
    let range = wb.worksheet_range("KPI's").unwrap();
    let formulas = wb.worksheet_formula("KPI's").unwrap();
    // formulas' range may start elsewhere than A1; calamine's get_value is absolute.
    let ach = u32::from(kc::ACHIEVEMENT);

    let mut checked = 0;
    for d in &k.domains {
        for kpi in &d.kpis {
            let row =
                row_of(&range, 1, &kpi.id, 0).unwrap_or_else(|| panic!("row of {}", kpi.id));
            let formula = formula_at(&formulas, row, ach);
            match kpi.norm {
                None => assert!(formula.is_empty(), "{}: count only, no formula", kpi.id),
                Some(_) if kpi.figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()) => {
                    // Domain 2 per priority: the mean of the priorities' achievements,
                    // each a capped formula on its own row.
                    assert!(formula.starts_with("IF(COUNT(") && formula.contains("AVERAGE("), "{}: {formula}", kpi.id);
                    assert_eq!(float_at(&range, row, ach), kpi.achievement_pct, "{}", kpi.id);
                    for p in &kpi.figure.as_ref().unwrap().per_priority {
                        let id = format!("{}.{}", kpi.id, p.priority);
                        let r = row_of(&range, 1, &id, 0).unwrap_or_else(|| panic!("row of {id}"));
                        let f = formula_at(&formulas, r, ach);
                        assert!(f.contains("MIN(100,"), "{id}: capped: {f}");
                        assert_eq!(float_at(&range, r, ach), Some(p.achievement_pct), "{id}");
                        assert_eq!(float_at(&range, r, u32::from(kc::MEASURED)), Some(p.measured), "{id}");
                    }
                    checked += 1;
                }
                Some(_) => {
                    assert!(formula.starts_with("IF(ISNUMBER("), "{}: {formula}", kpi.id);
                    assert!(
                        formula.contains("MIN(100,"),
                        "{}: capped: {formula}",
                        kpi.id
                    );
                    // Exactly the model's f64, not a rounded one.
                    assert_eq!(
                        float_at(&range, row, ach),
                        kpi.achievement_pct,
                        "{}",
                        kpi.id
                    );
                    checked += 1;
                }
            }
            if kpi.second_norm.is_some() {
                assert!(
                    formula.contains(&format!("ISNUMBER(M{})", row + 1)),
                    "{formula}"
                );
            }
            let measured = float_at(&range, row, u32::from(kc::MEASURED));
            assert_eq!(
                measured,
                kpi.figure.as_ref().map(|f| f.measured),
                "{}",
                kpi.id
            );
        }
    }
    assert!(checked > 15, "{checked} achievements checked");

    let rows = score_rows(&range, k, &nl);
    let mut scored = 0;
    for (d, row) in k.domains.iter().zip(&rows) {
        let live = d.scored && d.active;
        assert_eq!(
            row.is_some(),
            live,
            "domain {} has a score formula",
            d.number
        );
        let Some(row) = *row else { continue };
        let score = formula_at(&formulas, row, 1);
        assert!(
            score.starts_with("IF(SUM(Q") && score.contains("SUMPRODUCT("),
            "{score}"
        );
        assert_eq!(
            float_at(&range, row, 1),
            d.score_pct,
            "score of domain {}",
            d.number
        );
        // The share of the weight with data, then the malus: not applied below 50 %.
        assert_eq!(float_at(&range, row + 1, 1), d.weight_share_pct);
        let malus = formula_at(&formulas, row + 2, 1);
        let b = |r: u32| format!("B{}", r + 1);
        assert_eq!(
            malus,
            format!(
                "IF(AND(ISNUMBER({s}),ISNUMBER({w}),{w}<50),\"\",IF(ISNUMBER({s}),IF({s}>=95,0,IF({s}>=90,0.5,IF({s}>=80,1,IF({s}>=0,2,\"\")))),\"\"))",
                s = b(row),
                w = b(row + 1)
            )
        );
        assert_eq!(float_at(&range, row + 2, 1), d.malus_pct);
        let escalation = if d.score_pct.is_none() {
            ""
        } else if d.escalation {
            "ja"
        } else {
            "nee"
        };
        match range.get_value((row + 3, 1)) {
            Some(Data::String(s)) => assert_eq!(s, escalation),
            None | Some(Data::Empty) => assert_eq!(escalation, ""),
            other => panic!("escalation {other:?}"),
        }
        assert_eq!(float_at(&range, row - 1, 1), Some(d.weight_with_data));
        if d.score_pct.is_some() {
            scored += 1;
        }
    }
    assert!(scored >= 4, "{scored} scored domains");
    assert!(k.domains.iter().any(|d| d.status == "not_active"));
    assert!(k.domains.iter().any(|d| d.status == "unscored"));

    // The overview refers to the blocks and caches the same values.
    let first = row_of(&range, 1, &k.domains[0].name, 0).unwrap();
    for (i, (d, row)) in k.domains.iter().zip(&rows).enumerate() {
        let o = first + i as u32;
        assert_eq!(string_at(&range, o, 1), d.name);
        assert_eq!(
            string_at(&range, o, 2),
            nl.get(&format!("xlsx.domain_status.{}", d.status))
        );
        match row {
            Some(r) => {
                assert_eq!(formula_at(&formulas, o, 3), format!("B{}", r + 1));
                assert_eq!(float_at(&range, o, 3), d.score_pct);
                assert_eq!(formula_at(&formulas, o, 4), format!("B{}", r + 3));
                assert_eq!(float_at(&range, o, 4), d.malus_pct);
            }
            None => assert!(formula_at(&formulas, o, 3).is_empty()),
        }
    }
}

#[test]
fn kpi_sheet_formula_variants() {
    let mut m = demo_monthly();
    let k = &mut m.report.kpis;
    k.cap_pct = None;
    let d = k.domains.iter_mut().find(|d| d.status == "scored").unwrap();
    d.invoice_amount_eur = Some(12_000.0);
    d.malus_eur = d.malus_pct.map(|p| 12_000.0 * p / 100.0);
    let want_eur = d.malus_eur;
    let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
    let mut wb = open(monthly_xlsx(&m, &en).unwrap());
    assert_eq!(wb.sheet_names()[2], "KPIs");
    let range = wb.worksheet_range("KPIs").unwrap();
    let formulas = wb.worksheet_formula("KPIs").unwrap();
    let ach = u32::from(kc::ACHIEVEMENT);

    // Without a cap there is no MIN but the one of reachability's two parts.
    let row = row_of(&range, 1, "failed_changes", 0).unwrap();
    let r = row + 1;
    assert_eq!(
        formula_at(&formulas, row, ach),
        format!("IF(ISNUMBER(L{r}),IF(L{r}<=0,100,E{r}*100/L{r}),\"\")")
    );
    let row = row_of(&range, 1, "first_contact_resolution", 0).unwrap();
    let r = row + 1;
    assert_eq!(
        formula_at(&formulas, row, ach),
        format!("IF(ISNUMBER(L{r}),IF(E{r}<=0,100,L{r}*100/E{r}),\"\")")
    );
    let row = row_of(&range, 1, "reachability", 0).unwrap();
    let f = formula_at(&formulas, row, ach);
    assert!(f.contains("MIN(IF(") && !f.contains("MIN(100"), "{f}");

    // The malus in euros: invoice amount × malus % ÷ 100, in the block and the overview.
    let eur_row = row_of(&range, 0, en.get("xlsx.kpi.malus_eur"), 0).unwrap();
    let f = formula_at(&formulas, eur_row, 1);
    assert_eq!(
        f,
        format!(
            "IF(ISNUMBER(B{m}),B{i}*B{m}/100,\"\")",
            m = eur_row - 2,
            i = eur_row
        )
    );
    assert_eq!(float_at(&range, eur_row, 1), want_eur);
    assert!(want_eur.is_some());
    let header = row_of(&range, 6, en.get("xlsx.kpi.malus_eur"), 0).unwrap();
    assert_eq!(
        formula_at(&formulas, header + 1, 6),
        format!("B{}", eur_row + 1)
    );
    // English escalation texts in the formula.
    let esc = formula_at(&formulas, eur_row - 2, 1);
    assert!(esc.contains("\"yes\"") && esc.contains("\"no\""), "{esc}");
}

#[test]
fn kpis_without_data_give_empty_results_not_zero() {
    let m = demo_with_gaps();
    let k = &m.report.kpis;
    let nl = nl();
    let mut wb = open(monthly_xlsx(&m, &nl).unwrap());
    let range = wb.worksheet_range("KPI's").unwrap();
    let formulas = wb.worksheet_formula("KPI's").unwrap();
    let ach = u32::from(kc::ACHIEVEMENT);
    let empty = |row: u32, col: u32| {
        matches!(range.get_value((row, col)), None | Some(Data::Empty))
            || matches!(range.get_value((row, col)), Some(Data::String(s)) if s.is_empty())
    };
    for id in ["reachability", "cmdb_accuracy", "patch_compliance"] {
        let row = row_of(&range, 1, id, 0).unwrap();
        assert!(!formula_at(&formulas, row, ach).is_empty(), "{id}");
        assert!(empty(row, ach), "{id}: {:?}", range.get_value((row, ach)));
        assert!(empty(row, u32::from(kc::MEASURED)));
        assert_eq!(float_at(&range, row, u32::from(kc::EFFECTIVE)), Some(0.0));
        assert_eq!(
            string_at(&range, row, u32::from(kc::STATUS)),
            "geen gegevens"
        );
    }
    let workplace = k
        .domains
        .iter()
        .position(|d| d.id == "workplace_devices")
        .unwrap();
    assert_eq!(k.domains[workplace].status, "no_data");
    let rows = score_rows(&range, k, &nl);
    let row = rows[workplace].expect("a domain without data keeps its score formula");
    assert!(!formula_at(&formulas, row, 1).is_empty());
    // Score, malus and escalation are empty; the share of the weight with data is 0.
    for r in [row, row + 2, row + 3] {
        assert!(empty(r, 1), "row {r}: {:?}", range.get_value((r, 1)));
    }
    assert_eq!(float_at(&range, row + 1, 1), Some(0.0));
    // Domain 1 is scored over the KPIs that have data.
    let d1 = &k.domains[0];
    assert!(d1.weight_with_data < d1.weight_total);
    assert_eq!(float_at(&range, rows[0].unwrap(), 1), d1.score_pct);
}

// --- The charts sheet ----------------------------------------------------------------

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The numbers of the chart parts in the package: a zip file keeps its file names
/// uncompressed, so the bytes hold `xl/charts/chartN.xml`.
pub(in crate::render::annex) fn chart_parts(bytes: &[u8]) -> Vec<u32> {
    (1..=20)
        .filter(|n| contains(bytes, format!("xl/charts/chart{n}.xml").as_bytes()))
        .collect()
}

#[test]
fn charts_sheet_comes_second_and_holds_three_charts() {
    let bytes = monthly_xlsx(&monthly(), &nl()).unwrap();
    assert_eq!(chart_parts(&bytes), [1, 2, 3]);
    assert!(contains(&bytes, b"xl/drawings/drawing1.xml"));
    assert!(
        !contains(&bytes, b"xl/drawings/drawing2.xml"),
        "one sheet has drawings"
    );
    let mut wb = open(bytes);
    assert_eq!(wb.sheet_names()[1], "Grafieken");
    let range = wb.worksheet_range("Grafieken").unwrap();
    assert_eq!(
        string_at(&range, 0, 0),
        "Grafieken bij de SLA-maandrapportage van oktober 2026"
    );
    let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
    let bytes = monthly_xlsx(&monthly(), &en).unwrap();
    assert_eq!(chart_parts(&bytes), [1, 2, 3]);
    assert_eq!(open(bytes).sheet_names()[1], "Charts");
}

#[test]
fn a_chart_without_data_is_left_out() {
    let mut m = monthly();
    let t = &mut m.report.volumes.by_school_category;
    t.rows.clear();
    t.cells.clear();
    t.row_totals.clear();
    let bytes = monthly_xlsx(&m, &nl()).unwrap();
    assert_eq!(chart_parts(&bytes), [1, 2]);
    let range = open(bytes).worksheet_range("Grafieken").unwrap();
    let none = nl().get("chart.none").to_string();
    assert!(
        row_of(&range, 0, &none, 0).is_some(),
        "the missing chart is said"
    );
}

#[test]
fn charts_refer_to_cells_that_hold_the_models_figures() {
    let m = demo_monthly();
    let r = &m.report;
    let nl = nl();
    let mut wb = open(monthly_xlsx(&m, &nl).unwrap());

    // 1. Attainment per priority: the per-priority rows of both attainment sheets.
    let a = &r.attainment;
    for (sheet, rows, by_priority) in [
        ("Reactietijd", &a.response, &a.response_by_priority),
        ("Oplostijd", &a.resolution, &a.resolution_by_priority),
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        let first = rows.len() as u32 + 5;
        assert_eq!(by_priority.len(), 4);
        for (k, x) in by_priority.iter().enumerate() {
            let row = first + k as u32;
            assert_eq!(
                string_at(&range, row, u32::from(ATTAINMENT_PRIORITY_COL)),
                nl.get(&format!("priority.{}", x.priority))
            );
            let pct = float_at(&range, row, u32::from(ATTAINMENT_PCT_COL));
            assert_eq!(pct, x.pct.map(|p| p / 100.0), "{sheet} {}", x.priority);
        }
    }

    // The staircase's limits: helper cells referring to the KPI sheet's staircase.
    let kpi = wb.worksheet_range("KPI's").unwrap();
    let k = &r.kpis;
    let first_band = 6 + k.domains.len() as u32 + 3;
    for (i, band) in k.bands.iter().enumerate() {
        assert_eq!(
            float_at(&kpi, first_band + i as u32, 0),
            Some(band.min_score_pct)
        );
    }
    let charts = wb.worksheet_range("Grafieken").unwrap();
    let charts_f = wb.worksheet_formula("Grafieken").unwrap();
    let h = u32::from(HELPER_COL);
    let header = CHART_TOP + 1;
    assert_eq!(string_at(&charts, header, h), nl.get("xlsx.col.priority"));
    let limits: Vec<(usize, f64)> = k
        .bands
        .iter()
        .map(|b| b.min_score_pct)
        .enumerate()
        .filter(|(_, min)| *min > 0.0)
        .collect();
    assert_eq!(
        limits.iter().map(|(_, m)| *m).collect::<Vec<_>>(),
        [95.0, 90.0, 80.0]
    );
    assert_eq!(string_at(&charts, header, h + 1), "Staffelgrens 95 %");
    for (j, (i, min)) in limits.iter().enumerate() {
        let col = h + 1 + j as u32;
        for p in 0..4 {
            let row = header + 1 + p;
            assert_eq!(
                string_at(&charts, row, h),
                nl.get(&format!(
                    "priority.{}",
                    a.response_by_priority[p as usize].priority
                ))
            );
            assert_eq!(
                formula_at(&charts_f, row, col),
                format!("'KPI''s'!$A${}/100", first_band + *i as u32 + 1)
            );
            assert_eq!(float_at(&charts, row, col), Some(min / 100.0));
        }
    }

    // 2. Domain scores: the overview's name and score columns.
    for (i, d) in k.domains.iter().enumerate() {
        let row = 6 + i as u32;
        assert_eq!(string_at(&kpi, row, u32::from(OVERVIEW_NAME_COL)), d.name);
        assert_eq!(
            float_at(&kpi, row, u32::from(OVERVIEW_SCORE_COL)),
            d.score_pct
        );
    }

    // 3. Tickets per school, highest first, each cell a reference to the volumes sheet.
    let t = &r.volumes.by_school_category;
    assert!(t.rows.len() > 10);
    let heading = nl
        .get("chart.schools.heading")
        .replace("{sheet}", "Volumes");
    let top = row_of(&charts, h, &heading, 0).expect("the schools' helper table");
    assert_eq!(
        string_at(&charts, top + 1, h + 1),
        nl.get("chart.schools.tickets")
    );
    let volumes = wb.worksheet_range("Volumes").unwrap();
    let total_col = t.columns.len() as u16 + 1;
    let mut seen = BTreeSet::new();
    let mut previous = f64::INFINITY;
    for n in 0..t.rows.len() as u32 {
        let row = top + 2 + n;
        let name = string_at(&charts, row, h);
        let count = float_at(&charts, row, h + 1).unwrap();
        let i = t.rows.iter().position(|s| *s == name).expect("a school");
        assert!(seen.insert(i), "{name} twice");
        assert_eq!(count, t.row_totals[i] as f64, "{name}");
        assert!(count <= previous, "sorted highest first");
        previous = count;
        let at = CROSS_FIRST_ROW + i as u32;
        assert_eq!(
            formula_at(&charts_f, row, h),
            format!("Volumes!$A${}", at + 1)
        );
        assert_eq!(
            formula_at(&charts_f, row, h + 1),
            format!("Volumes!{}", row_col_to_cell_absolute(at, total_col))
        );
        assert_eq!(string_at(&volumes, at, 0), name);
        assert_eq!(float_at(&volumes, at, u32::from(total_col)), Some(count));
    }
    let after = top + 2 + t.rows.len() as u32;
    assert!(matches!(
        charts.get_value((after, h)),
        None | Some(Data::Empty)
    ));
}

#[test]
fn a_school_name_that_would_not_read_back_as_text_stays_text() {
    let mut m = monthly();
    let t = &mut m.report.volumes.by_school_category;
    assert_eq!(t.rows.len(), 2);
    t.rows = vec!["2024".into(), "#N/A".into()];
    let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
    let charts = wb.worksheet_range("Grafieken").unwrap();
    let charts_f = wb.worksheet_formula("Grafieken").unwrap();
    let h = u32::from(HELPER_COL);
    let heading = nl()
        .get("chart.schools.heading")
        .replace("{sheet}", "Volumes");
    let top = row_of(&charts, h, &heading, 0).unwrap();
    let mut names: Vec<String> = (0..2).map(|n| string_at(&charts, top + 2 + n, h)).collect();
    names.sort();
    assert_eq!(names, ["#N/A", "2024"]);
    for n in 0..2 {
        assert!(formula_at(&charts_f, top + 2 + n, h).is_empty());
        assert!(!formula_at(&charts_f, top + 2 + n, h + 1).is_empty());
    }
    assert!(text_result_is_safe("Basisschool De Linde"));
    assert!(!text_result_is_safe("1e3") && !text_result_is_safe("TRUE"));
}
