//! The quarterly report: quarter boundaries, the year change, deadlines, and the real
//! command on the demo data.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use slarapport::contract::LoadedContract;
use slarapport::load::load_data_dir;
use slarapport::period::Period;
use slarapport::report::monthly::RunContext;
use slarapport::report::quarterly::{build_quarterly, QuarterlyReport};

fn quarter(label: &str, today: (i32, u32, u32)) -> QuarterlyReport {
    let c = LoadedContract::embedded();
    let data = load_data_dir(Path::new("tests/fixtures/counting"), &c).unwrap();
    let ctx = RunContext {
        contract: &c,
        period: Period::parse_quarter(label).unwrap(),
        today: NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap(),
        lang: "nl".into(),
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
    assert_eq!(q4.meta.due_on, "2027-01-08");
    assert!(!q4.meta.late);
    let late = quarter("2026-Q4", (2027, 1, 11));
    assert!(late.meta.late);
    let q3 = quarter("2026-Q3", (2026, 10, 5));
    assert_eq!(q3.meta.due_on, "2026-10-07");
    assert_eq!(q3.invoice_quarter, "2026-Q4");
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
    for needle in ["Kwartaalrapportage", "kwartaal 3 2026", "Service level rapportage", "Trends en ontwikkelingen", "Wijzigingen", "Kwaliteitsborging", "Klachten en escalaties", "2026-Q4", "juli 2026", "september 2026"] {
        assert!(pdf.contains(needle), "quarterly PDF lacks {needle:?}");
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("kwartaalrapportage-2026-Q3.json")).unwrap()).unwrap();
    assert_eq!(json["kpi_months"].as_array().unwrap().len(), 3);
    assert!(dir.join("kwartaalrapportage-2026-Q3-bijlage.xlsx").is_file());
}
