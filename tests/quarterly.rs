//! The quarterly report: quarter boundaries, the year change, deadlines, counts that add
//! up over the quarter, the trend rule, the malus table, and the real command on the demo
//! data.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use slarapport::contract::LoadedContract;
use slarapport::load::load_data_dir;
use slarapport::period::Period;
use slarapport::report::monthly::RunContext;
use slarapport::report::quarterly::{build_quarterly, trend, QuarterKpi, QuarterlyReport};

fn quarter(label: &str, today: (i32, u32, u32)) -> QuarterlyReport {
    quarter_of(Path::new("tests/fixtures/counting"), &LoadedContract::embedded(), label, today)
}

fn quarter_of(dir: &Path, c: &LoadedContract, label: &str, today: (i32, u32, u32)) -> QuarterlyReport {
    let data = load_data_dir(dir, c).unwrap();
    let ctx = RunContext {
        contract: c,
        period: Period::parse_quarter(label).unwrap(),
        today: NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap(),
        lang: slarapport::i18n::Lang::Nl,
    };
    build_quarterly(&data, &ctx)
}

#[test]
fn ticket_across_the_quarter_boundary() {
    // Ticket A: P2 incident opened Wednesday 30 September, answered after 20 minutes,
    // resolved Friday 2 October (12 business hours against 4).
    let q3 = quarter("2026-Q3", (2026, 10, 5));
    let q4 = quarter("2026-Q4", (2027, 1, 6));
    let resp = |q: &QuarterlyReport| q.quarter_summary.response_breaches;
    // Q3 counts A's response (met), not its resolution; Q4 counts A's resolution (breached).
    assert_eq!(q3.quarter_summary.tickets_opened, 3, "A, G and I were opened in Q3");
    assert_eq!(q3.quarter_summary.tickets_resolved, 2, "G and I were resolved in Q3, A was not");
    assert_eq!(resp(&q3), 0);
    assert_eq!(q4.quarter_summary.resolution_breaches, 1);
    assert!(q4.quarter_summary.tickets_resolved >= 3);
    assert_eq!(q3.months, vec!["2026-07", "2026-08", "2026-09"]);
    // The month columns are the monthly reports' figures.
    assert_eq!(q3.month_summaries[2].tickets_opened, 2);
}

#[test]
fn year_change_and_deadlines() {
    let q4 = quarter("2026-Q4", (2027, 1, 6));
    assert_eq!(q4.months, vec!["2026-10", "2026-11", "2026-12"]);
    assert_eq!(q4.invoice_quarter, "2027-Q1");
    // Five workdays after Thursday 31 December 2026, New Year's Day closed: Friday 8 January.
    assert_eq!(q4.meta.due_on, NaiveDate::from_ymd_opt(2027, 1, 8));
    assert!(!q4.meta.late);
    let late = quarter("2026-Q4", (2027, 1, 11));
    assert!(late.meta.late);
    let q3 = quarter("2026-Q3", (2026, 10, 5));
    assert_eq!(q3.meta.due_on, NaiveDate::from_ymd_opt(2026, 10, 7));
    assert_eq!(q3.invoice_quarter, "2026-Q4");
}

/// The first period code in `text`: `2026-Q4`, `2026-H2` or `2026-08` (a year, a hyphen, and
/// a quarter, half year or two digits).
fn period_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(7).enumerate().find_map(|(i, w)| {
        let year = w[..4].iter().all(char::is_ascii_digit) && w[0] == '2';
        let part = (w[5] == 'Q' || w[5] == 'H' || w[5].is_ascii_digit()) && w[6].is_ascii_digit();
        // A full date (`2026-07-06`, the English date-time format) is a date, not a period.
        let date = chars.get(i + 7) == Some(&'-') && chars.get(i + 8).is_some_and(char::is_ascii_digit);
        (year && w[4] == '-' && part && !date).then(|| w.iter().collect())
    })
}

#[test]
fn quarterly_command_on_the_demo_data() {
    let out = std::env::temp_dir().join(format!("slarapport-quarterly-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_slarapport"))
        .args(["quarterly", "--data", "fixtures/demo", "--period", "2026-Q3", "--today", "2026-10-05", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("malus charged on the invoice of 2026-Q4"), "{text}");
    assert!(text.contains("due on 2026-10-07"), "{text}");
    let dir = out.join("2026-Q3");
    let pdf = Command::new("pdftotext").arg("-layout").arg(dir.join("kwartaalrapportage-2026-Q3.pdf")).arg("-").output().unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    for needle in ["Kwartaalrapportage", "3e kwartaal 2026", "Service level rapportage", "Trends en ontwikkelingen", "Wijzigingen", "Kwaliteitsborging", "Klachten en escalaties", "factuur van het 4e kwartaal 2026", "juli 2026", "september 2026"] {
        assert!(pdf.contains(needle), "quarterly PDF lacks {needle:?}");
    }
    // The chapters carry the agenda's numbers: the malus is item 7 of the agenda and chapter 7.
    assert!(pdf.contains("7. Malus voor de volgende factuur"), "the agenda");
    assert!(pdf.lines().any(|l| l.trim() == "7 Malus voor de volgende factuur"), "the malus chapter's number");
    // Periods in words, never as codes; dates in one format.
    assert_eq!(period_code(&pdf), None, "a period code in the PDF");
    assert!(pdf.contains("Peilmoment") && pdf.contains("1 oktober 2026 00:00"), "the cut-off in the report's date format");
    // The KPI tables show measured value and achievement: FCR measured 70–72 %, achievement 100 %.
    let lines: Vec<&str> = pdf.lines().collect();
    let at = lines.iter().position(|l| l.contains("Eerste-contact")).expect("the FCR row");
    let fcr = lines[at.saturating_sub(2)..(at + 4).min(lines.len())].join("\n");
    assert!(fcr.contains("Gemeten") && fcr.contains("72,2 %") && fcr.contains("Prestatie"), "{fcr}");
    // Complaints add up: 0 + 3 + 1 of klachten.csv (counted from the log: no footnote of a
    // sum of measurements), in the chapter "Klachten en escalaties".
    assert!(pdf.contains("Ontvangen in deze periode: 4 klachten"), "the complaints of the quarter");
    assert!(!pdf.contains("Klachten: som van de maandmetingen"), "the complaints' source");
    // The malus table: the staircase as the guideline words it, domain 7's on-site KPI, the
    // total, and how to add invoice amounts.
    for needle in ["< 80 %: 2 % malus of escalatie", "Overig — Op locatie indien nodig", "3 van 7 met malus", "invoice_amount_eur"] {
        assert!(pdf.contains(needle), "quarterly PDF lacks {needle:?}");
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("kwartaalrapportage-2026-Q3.json")).unwrap()).unwrap();
    assert_eq!(json["kpi_months"].as_array().unwrap().len(), 3);
    assert!(dir.join("kwartaalrapportage-2026-Q3-bijlage.xlsx").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

/// The committed demo data, third quarter of 2026.
fn demo_q3() -> QuarterlyReport {
    quarter_of(Path::new("fixtures/demo"), &LoadedContract::embedded(), "2026-Q3", (2026, 10, 8))
}

fn kpi<'a>(q: &'a QuarterlyReport, id: &str) -> &'a QuarterKpi {
    q.domains.iter().flat_map(|d| &d.kpis).find(|k| k.id == id).unwrap()
}

#[test]
fn counts_add_up_over_the_quarter_and_rates_average() {
    // fixtures/demo: klachten.csv holds 0, 3 and 1 complaints in July, August and September;
    // measurements.csv CMDB accuracy 98.6, 98.5 and 97.1 %; verbeteracties.csv two actions
    // implemented in the quarter.
    let q = demo_q3();
    let complaints = kpi(&q, "complaints");
    assert_eq!(complaints.monthly_measured, [Some(0.0), Some(3.0), Some(1.0)]);
    assert_eq!(complaints.quarter_measured, Some(4.0), "complaints are summed, not averaged");
    assert_eq!(complaints.quarter_detail.as_deref(), Some("klachten.csv"));
    let cmdb = kpi(&q, "cmdb_accuracy");
    assert!((cmdb.quarter_measured.unwrap() - (98.6 + 98.5 + 97.1) / 3.0).abs() < 1e-9);
    assert_eq!(cmdb.quarter_detail.as_deref(), Some("mean:2026-07,2026-08,2026-09"));
    let actions = kpi(&q, "improvement_actions");
    assert_eq!((actions.quarter_measured, actions.quarter_detail.as_deref()), (Some(2.0), Some("verbeteracties.csv")));
    // Without the complaints log, monthly measurements of a count add up over the quarter.
    let dir = std::env::temp_dir().join(format!("slarapport-quarterly-sum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("fixtures/demo/tickets.csv", dir.join("tickets.csv")).unwrap();
    let ms = std::fs::read_to_string("fixtures/demo/measurements.csv").unwrap();
    std::fs::write(dir.join("measurements.csv"), ms + "2026-07,complaints,0,\n2026-08,complaints,3,\n2026-09,complaints,1,\n").unwrap();
    let q = quarter_of(&dir, &LoadedContract::embedded(), "2026-Q3", (2026, 10, 8));
    let _ = std::fs::remove_dir_all(&dir);
    let complaints = kpi(&q, "complaints");
    assert_eq!(complaints.quarter_measured, Some(4.0), "complaints are summed, not averaged");
    assert_eq!(complaints.quarter_detail.as_deref(), Some("sum:2026-07,2026-08,2026-09"));
}

#[test]
fn the_trend_compares_the_last_month_with_the_month_before() {
    assert_eq!(trend(&[Some(100.0), Some(60.0), Some(100.0)]), "up");
    assert_eq!(trend(&[Some(100.0), Some(60.0), Some(60.0)]), "flat");
    assert_eq!(trend(&[Some(90.0), None, Some(80.0)]), "down", "the month without data is skipped");
    assert_eq!(trend(&[None, Some(80.0), None]), "none");
    // Domain 6 on the demo data: reports on time 100, 0 and 100 % (weight 40 of 100), the
    // quarter's improvement actions and meetings at 100 %: 100, 60 and 100 %. Not "=".
    let q = demo_q3();
    let d6 = q.domains.iter().find(|d| d.number == 6).unwrap();
    let scores: Vec<f64> = d6.monthly_scores.iter().map(|x| x.unwrap()).collect();
    assert!((scores[0] - 100.0).abs() < 1e-9 && (scores[1] - 60.0).abs() < 1e-9 && (scores[2] - 100.0).abs() < 1e-9, "{scores:?}");
    assert_eq!(d6.trend, "up");
    // Complaints 0, 3, 1: down since August, and fewer complaints is better.
    let complaints = kpi(&q, "complaints");
    assert_eq!((complaints.trend.as_str(), complaints.trend_better), ("down", Some(true)));
}

/// Five on-site P3 incidents in the third quarter of 2026, one of them resolved after its
/// 16 business hours (Monday 13 July 09:00 to Friday 17 July 09:00 is 36): 4 of 5 = 80 %.
const ONSITE: &str = "\
id,type,school,category,subcategory,summary,priority,channel,opened_at,responded_at,resolved_at,onsite
O1,incident,OBS De Regenboog,werkplek,laptop,scherm,P3,portal,2026-07-06T09:00,2026-07-06T09:30,2026-07-06T12:00,true
O2,incident,OBS De Regenboog,werkplek,laptop,scherm,P3,portal,2026-08-04T09:00,2026-08-04T09:30,2026-08-04T15:00,true
O3,incident,OBS De Regenboog,werkplek,laptop,scherm,P3,portal,2026-09-08T10:00,2026-09-08T10:30,2026-09-09T10:00,true
O4,incident,OBS De Regenboog,werkplek,laptop,scherm,P3,portal,2026-09-14T09:00,2026-09-14T09:30,2026-09-14T10:00,true
O5,incident,OBS De Regenboog,werkplek,laptop,scherm,P3,portal,2026-07-13T09:00,2026-07-13T09:30,2026-07-17T09:00,true
";

#[test]
fn the_onsite_kpi_goes_through_the_staircase_and_the_malus_table_has_a_total() {
    let dir = std::env::temp_dir().join(format!("slarapport-onsite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tickets.csv"), ONSITE).unwrap();
    let mut c = LoadedContract::embedded();
    let q = quarter_of(&dir, &c, "2026-Q3", (2026, 10, 8));
    let onsite = |q: &QuarterlyReport| q.malus.iter().find(|m| m.kpi_id.as_deref() == Some("onsite_within_target")).cloned().unwrap();
    let row = onsite(&q);
    assert_eq!((row.number, row.score, row.band, row.malus_pct, row.escalation), (7, Some(80.0), Some(2), Some(1.0), false));
    assert!(!q.malus.iter().any(|m| m.kpi_id.as_deref() == Some("complaints")), "complaints have no norm: no malus");
    // Domains 1–6 (5 not active yet) and the on-site KPI.
    assert_eq!(q.malus.len(), 7);
    let t = &q.malus_total;
    assert_eq!(t.rows, 7);
    assert_eq!(t.with_malus, q.malus.iter().filter(|m| m.malus_pct.is_some_and(|x| x > 0.0)).count() as u64);
    assert!(t.with_malus >= 1);
    assert_eq!((t.malus_eur, t.with_malus_without_amount), (None, t.with_malus), "no invoice amounts in the contract");

    // With an invoice amount for domain 7 only: 1 % of € 8,000, and the total is that.
    c.contract.domains.iter_mut().find(|d| d.number == 7).unwrap().invoice_amount_eur = Some(8000.0);
    let q = quarter_of(&dir, &c, "2026-Q3", (2026, 10, 8));
    assert_eq!(onsite(&q).malus_eur, Some(80.0));
    assert_eq!(q.malus_total.malus_eur, Some(80.0));
    assert_eq!(q.malus_total.with_malus_without_amount, q.malus_total.with_malus - 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malus_table_with_invoice_amounts_in_english() {
    let out = std::env::temp_dir().join(format!("slarapport-quarterly-eur-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    // The embedded contract with invoice amounts for domains 1, 2, 6 and 7.
    let toml = Command::new(env!("CARGO_BIN_EXE_slarapport")).args(["contract", "--toml"]).output().unwrap();
    let mut contract = String::new();
    let mut domain = 0;
    for line in String::from_utf8(toml.stdout).unwrap().lines() {
        contract.push_str(line);
        contract.push('\n');
        if line == "[[domains]]" {
            domain += 1;
            if let Some(amount) = [(1, 11_000), (2, 12_000), (6, 16_000), (7, 17_000)].iter().find(|(d, _)| *d == domain).map(|(_, a)| a) {
                contract.push_str(&format!("invoice_amount_eur = {amount}.0\n"));
            }
        }
    }
    assert_eq!(domain, 7);
    std::fs::write(out.join("contract.toml"), contract).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_slarapport"))
        .args(["quarterly", "--data", "fixtures/demo", "--period", "2026-Q3", "--today", "2026-10-08", "--lang", "en", "--contract"])
        .arg(out.join("contract.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let pdf = Command::new("pdftotext").arg("-layout").arg(out.join("2026-Q3/quarterly-report-2026-Q3.pdf")).arg("-").output().unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    // Domain 1 at 92.26 % and domain 2 at 92.93 %: 0.5 % of 11,000 and 12,000; domain 6 at
    // 86.67 %: 1 % of 16,000; the on-site KPI at 95.14 %: none. 55 + 60 + 160 = 275.
    for needle in ["the invoice of Q4 2026", "€ 55.00", "€ 60.00", "€ 160.00", "€ 275.00", "3 of 7 with a malus", "< 80%: 2% malus or escalation", "Other — On site when needed"] {
        assert!(pdf.contains(needle), "quarterly PDF lacks {needle:?}");
    }
    assert!(!pdf.contains("invoice_amount_eur"), "no note on adding invoice amounts when there are some");
    assert_eq!(period_code(&pdf), None, "a period code in the PDF");
    let _ = std::fs::remove_dir_all(&out);
}
