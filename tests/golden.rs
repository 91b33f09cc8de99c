//! Golden case: the guideline's own worked example (§9, domain 1 = 91,79 % → malus 0,5 %)
//! reproduced from data in `fixtures/guideline-example`, checked in all three outputs.

use std::path::PathBuf;
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};

fn run_example(lang: &str) -> PathBuf {
    let out = std::env::temp_dir().join(format!("slarapport-golden-{lang}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
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

    let pdf = Command::new("pdftotext").arg("-layout").arg(dir.join("sla-rapportage-2026-10.pdf")).arg("-").output().unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
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
    let pdf = Command::new("pdftotext").arg("-layout").arg(dir.join("sla-report-2026-10.pdf")).arg("-").output().unwrap();
    let pdf = String::from_utf8(pdf.stdout).unwrap();
    assert!(pdf.contains("91.79%") && pdf.contains("malus 0.5%"), "English PDF lacks score or malus");
}
