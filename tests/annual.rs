//! The year report (issue 17): its quarterly figures are the quarterly reports' figures (domain
//! 6's reports on time counted from the same report folders), its
//! monthly volumes add up to theirs, the year is the mean of the complete quarters, and
//! quarters without (complete) data are marked, never shown as zeros. Demo data covering the
//! year is generated into a temporary folder.

use std::path::Path;

mod common;
use common::{pdftotext, run, text, tmp};

use serde_json::Value;

/// Runs the binary, which must exit with `exit`.
fn exits(args: &[&str], exit: i32) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(exit), "{args:?}: {}", text(&o));
}

fn demo(dir: &Path, from: &str, to: &str) -> String {
    let data = dir.join("data");
    exits(&["demo", "--out", data.to_str().unwrap(), "--from", from, "--to", to], 0);
    data.to_str().unwrap().to_string()
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

/// The year report of 2026 made on `today`. It exits 1: the generated demo data has rejected
/// rows and data-quality warnings, findings in the year report as in the monthly and quarterly
/// reports. `complete`: the year has ended and the data covers its every month (otherwise the
/// run warns of an interim view or of months without data).
fn annual(dir: &Path, data: &str, today: &str, complete: bool) -> Value {
    let out = dir.join(format!("out-{today}"));
    let o = run(&["annual", "--data", data, "--out", out.to_str().unwrap(), "--period", "2026", "--today", today]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("rows rejected and") && t.contains("data-quality warnings (see the monthly reports)"), "{t}");
    let incomplete = t.contains("has not ended yet") || t.contains("does not cover every month");
    assert_eq!(!incomplete, complete, "{t}");
    json(&out.join("2026/jaarrapportage-2026.json"))
}

#[test]
fn the_years_quarters_are_the_quarterly_reports() {
    let dir = tmp("annual");
    let data = demo(&dir, "2026-01", "2026-12");
    // The quarterly reports first, into the same folder: the year report counts domain 6's
    // reports on time from the report folders as each quarterly report did.
    let out = dir.join("out-2027-01-15");
    for q in 1..=4 {
        exits(&["quarterly", "--data", &data, "--out", out.to_str().unwrap(), "--period", &format!("2026-Q{q}"), "--today", "2027-01-15"], 1);
    }
    let a = annual(&dir, &data, "2027-01-15", true);
    let domains = a["domains"].as_array().unwrap();
    for q in 1..=4 {
        let label = format!("2026-Q{q}");
        let r = json(&out.join(&label).join(format!("kwartaalrapportage-{label}.json")));
        let i = q - 1;
        let aq = &a["quarters"][i];
        assert_eq!(aq["label"], label);
        assert_eq!(aq["complete"], true, "{aq}");
        // The same KPI section, malus table and total as the quarterly report.
        assert_eq!(aq["kpis"], r["kpi_quarter"], "{label}: KPI section");
        assert_eq!(aq["malus"], r["malus"], "{label}: malus table");
        assert_eq!(aq["malus_total"], r["malus_total"], "{label}: malus total");
        for (d, rd) in domains.iter().zip(r["kpi_quarter"]["domains"].as_array().unwrap()) {
            assert_eq!(d["number"], rd["number"]);
            assert_eq!(d["quarter_scores"][i], rd["score_pct"], "{label} domain {}", d["number"]);
            assert_eq!(d["quarter_malus_pct"][i], rd["malus_pct"], "{label} domain {}", d["number"]);
            for (k, rk) in d["kpis"].as_array().unwrap().iter().zip(rd["kpis"].as_array().unwrap()) {
                assert_eq!(k["quarter_achievement"][i], rk["achievement_pct"], "{label} {}", k["id"]);
            }
        }
        // The months' volumes per type are the quarterly report's.
        let vt = &r["volumes_by_type"];
        for (row, key) in vt["rows"].as_array().unwrap().iter().enumerate() {
            let s = a["volumes_by_type"].as_array().unwrap().iter().find(|s| s["key"] == *key).unwrap();
            for m in 0..3 {
                assert_eq!(s["counts"][i * 3 + m], vt["cells"][row][m], "{label} {key} month {m}");
            }
        }
        assert_eq!(a["malus_total"]["with_malus"][i], r["malus_total"]["with_malus"]);
    }
    // The year: the mean of the four quarters' scores; the malus rows added up.
    for d in domains.iter().filter(|d| d["scored"] == true) {
        let s: Vec<f64> = d["quarter_scores"].as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        if s.is_empty() {
            assert!(d["year_score"].is_null());
            continue;
        }
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!((d["year_score"].as_f64().unwrap() - mean).abs() < 1e-9, "domain {}", d["number"]);
        assert_eq!(d["year_quarters"], s.len() as u64);
    }
    let with: u64 = a["malus_total"]["with_malus"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(a["malus_total"]["year_with_malus"], with);
    // Types and priorities count the same tickets.
    let total = |k: &str| -> u64 { a[k].as_array().unwrap().iter().map(|s| s["total"].as_u64().unwrap()).sum() };
    assert_eq!(total("volumes_by_type"), total("volumes_by_priority"));
    assert_eq!(a["recurring"].as_array().unwrap().len(), 10);
    assert_eq!(a["previous_year_in_data"], false);
    assert!(a["schools"].as_array().unwrap().iter().all(|s| s["previous"].is_null()));
    // Every P1 once.
    let p1s: Vec<&str> = a["p1s"].as_array().unwrap().iter().map(|p| p["ticket_id"].as_str().unwrap()).collect();
    let mut unique = p1s.clone();
    unique.dedup();
    assert_eq!(p1s.len(), unique.len());
    assert!(!p1s.is_empty());
    // The RCAs' preventive measures: every measure of every RCA file of the year's P1s (the
    // demo's files are all of 2026 and carry no done date: each open, overdue once due).
    let data_dir = Path::new(&data);
    let mut files = 0;
    let mut in_files = 0;
    for e in std::fs::read_dir(data_dir.join("rca")).unwrap().flatten() {
        let id = e.file_name().to_string_lossy().trim_end_matches(".toml").to_string();
        assert!(p1s.contains(&id.as_str()), "{id} is a P1 of the year");
        files += 1;
        in_files += std::fs::read_to_string(e.path()).unwrap().matches("[[preventive_measures]]").count();
    }
    assert!(files > 0);
    let measures = a["measures"].as_array().unwrap();
    assert_eq!(measures.len(), in_files);
    for m in measures {
        let due = m["due_on"].as_str().unwrap();
        assert_eq!(m["status"], if due < "2027-01-15" { "overdue" } else { "open" }, "{m}");
    }
    // The year's complaints: those received in 2026 (klachten.csv: id,received,…).
    let klachten = std::fs::read_to_string(data_dir.join("klachten.csv")).unwrap();
    let received = klachten.lines().skip(1).filter(|l| l.split(',').nth(1).is_some_and(|d| d.starts_with("2026-"))).count();
    assert!(received > 0);
    assert_eq!(a["voice"]["complaints"]["received"], received as u64);
    // Improvement actions implemented in 2026 (verbeteracties.csv: …,implemented,status,…).
    let acties = std::fs::read_to_string(data_dir.join("verbeteracties.csv")).unwrap();
    let implemented = acties
        .lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f.len() > 7 && f[6].starts_with("2026-") && f[7] == "geïmplementeerd"
        })
        .count();
    assert!(implemented > 0);
    assert_eq!(a["voice"]["improvement"]["implemented"].as_array().unwrap().len(), implemented);
    let pdf = pdftotext(&dir.join("out-2027-01-15/2026/jaarrapportage-2026.pdf"));
    for want in ["Preventieve maatregelen uit de RCA's", "Verbeteracties van het jaar", "Klachten en escalaties van het jaar"] {
        assert!(pdf.contains(want), "{want} not in the PDF");
    }
    for want in ["Jaarrapportage 2026", "KPI-prestaties en domeinscores per kwartaal", "Alle vier kwartalen zijn afgelopen", "Volumes per maand", "P1-incidenten en hun RCA"] {
        assert!(pdf.contains(want), "{want} not in the PDF");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An export that starts in April, and a year not yet ended: those quarters are marked,
/// their months have no figures (not zeros), and the year rests on the complete quarters.
#[test]
fn incomplete_quarters_are_marked_not_zero() {
    let dir = tmp("annual-partial");
    let data = demo(&dir, "2026-04", "2026-12");
    let a = annual(&dir, &data, "2026-11-20", false);
    let reasons: Vec<&Value> = a["quarters"].as_array().unwrap().iter().map(|q| &q["incomplete_reason"]).collect();
    assert_eq!(reasons, [&Value::from("no_data"), &Value::Null, &Value::Null, &Value::from("not_ended")]);
    let incidents = a["volumes_by_type"].as_array().unwrap().iter().find(|s| s["key"] == "incident").unwrap();
    for m in 0..3 {
        assert!(incidents["counts"][m].is_null(), "month {m} without data shows as none, not 0");
    }
    assert!(incidents["counts"][3].as_u64().unwrap() > 0);
    let p1 = a["attainment"].as_array().unwrap().iter().find(|x| x["priority"] == "P4").unwrap();
    assert!(p1["response_pct"][0].is_null());
    for d in a["domains"].as_array().unwrap().iter().filter(|d| d["scored"] == true && !d["year_score"].is_null()) {
        // Q1 may have a score from a half year's measurement (as its quarterly report
        // would): shown, marked, and not in the year.
        if d["number"] == 2 {
            assert!(d["quarter_scores"][0].is_null(), "Q1 has no ticket score");
        }
        assert_eq!(d["year_quarters"], 2, "the year rests on Q2 and Q3 (Q4 has not ended)");
        let mean = (d["quarter_scores"][1].as_f64().unwrap() + d["quarter_scores"][2].as_f64().unwrap()) / 2.0;
        assert!((d["year_score"].as_f64().unwrap() - mean).abs() < 1e-9);
    }
    let pdf = pdftotext(&dir.join("out-2026-11-20/2026/jaarrapportage-2026.pdf"));
    assert!(pdf.contains("Onvolledige kwartalen") && pdf.contains("4e kwartaal 2026 (nog niet afgelopen)"), "{pdf}");

    // With the year before in the data, each school has last year's count.
    let dir2 = tmp("annual-previous");
    let data = demo(&dir2, "2025-10", "2026-12");
    let a = annual(&dir2, &data, "2027-01-15", true);
    assert_eq!(a["previous_year_in_data"], true);
    assert!(a["schools"].as_array().unwrap().iter().all(|s| s["previous"].is_u64()));
    let prev: u64 = a["schools"].as_array().unwrap().iter().map(|s| s["previous"].as_u64().unwrap()).sum();
    assert!(prev > 0);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

/// The man page and the completions know the new commands (they come from clap).
#[test]
fn man_page_and_completions_have_annual_and_diff() {
    let man = String::from_utf8(run(&["man"]).stdout).unwrap();
    assert!(man.contains(".SH \"SLARAPPORT ANNUAL\"") && man.contains(".SH \"SLARAPPORT DIFF\""));
    let bash = String::from_utf8(run(&["completions", "bash"]).stdout).unwrap();
    assert!(bash.contains("slarapport__subcmd__annual") && bash.contains("slarapport__subcmd__diff"), "{bash}");
}

/// The year has its own commentary file (`toelichting/2026.toml`): its summary and the
/// explanation of a KPI are in the year report (PDF and JSON), and a key that matches nothing
/// in the year report is an error naming it.
#[test]
fn the_years_commentary_is_in_the_year_report() {
    let dir = tmp("annual-commentary");
    let data = demo(&dir, "2026-01", "2026-12");
    let folder = Path::new(&data).join("toelichting");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("2026.toml"),
        "summary = \"Een jaar met **minder** storingen; #1 blijft het netwerk.\"\n\n[kpi.response_time]\nexplanation = \"Boven de norm, behalve in *juli*.\"\naction = \"Extra bezetting in de zomer\"\nowner = \"Servicedesk\"\n",
    )
    .unwrap();
    let j = annual(&dir, &data, "2027-01-08", true);
    assert_eq!(j["commentary"]["file"], "toelichting/2026.toml");
    assert_eq!(j["commentary"]["explanations"][0]["key"], "response_time");
    let pdf = pdftotext(&dir.join("out-2027-01-08/2026/jaarrapportage-2026.pdf"));
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in ["Een jaar met minder storingen; #1 blijft het netwerk.", "Boven de norm, behalve in juli.", "Extra bezetting in de zomer", "Toelichting en acties"] {
        assert!(flat.contains(s), "{s:?} not in the year report");
    }
    std::fs::write(folder.join("2026.toml"), "[kpi.respons_time]\nexplanation = \"x\"\n").unwrap();
    let out = dir.join("out-bad");
    let o = run(&["annual", "--data", &data, "--out", out.to_str().unwrap(), "--period", "2026", "--today", "2027-01-08"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("respons_time") && text(&o).contains("response_time"), "{}", text(&o));
}
