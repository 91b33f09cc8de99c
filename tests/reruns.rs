//! A rerun that explains itself (issue 17): the report sent on the first workday is kept as
//! a version, the rerun from a corrected export shows what changed and why, `diff` prints
//! the same, and an identical rerun adds nothing. Runs the binary on a copy of the demo data.

use std::path::{Path, PathBuf};

mod common;
use common::{pdftotext, run, text, tmp};

use calamine::{open_workbook, Reader, Xlsx};
use serde_json::Value;

const JSON: &str = "sla-rapportage-2026-10.json";

/// A copy of the committed demo data in a fresh folder.
fn demo_copy(name: &str) -> PathBuf {
    let dir = tmp(name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["tickets.csv", "calls.csv", "measurements.csv"] {
        std::fs::copy(Path::new("fixtures/demo").join(f), data.join(f)).unwrap();
    }
    dir
}

/// Sets `column` of ticket `id` in tickets.csv (the demo's ids and columns hold no commas
/// before the summary, and the columns changed here come after it: edit by field from the
/// end of the line, which the summary's quoting does not disturb).
fn set_field(data: &Path, id: &str, column: &str, value: &str) {
    let path = data.join("tickets.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let from_end = header.len() - header.iter().position(|h| *h == column).unwrap();
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if !l.starts_with(&format!("{id},")) {
                return l.to_string();
            }
            found = true;
            let mut fields: Vec<&str> = l.rsplitn(from_end + 1, ',').collect();
            fields[from_end - 1] = value;
            fields.reverse();
            fields.join(",")
        })
        .collect();
    assert!(found, "{id} not in the demo data");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

fn monthly(dir: &Path, today: &str) -> std::process::Output {
    let (data, out) = (dir.join("data"), dir.join("out"));
    let o = run(&["monthly", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--period", "2026-10", "--today", today]);
    // The demo data holds deliberately broken rows: findings, exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    o
}

fn json(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    v.sort();
    v
}

/// The "done when": one ticket reprioritised (P3 → P2) and one resolution added;
/// the first version kept, exactly those two tickets named, and their effect on the
/// figures; a byte-identical rerun adds no version.
#[test]
fn a_rerun_keeps_the_sent_version_and_explains_its_changes() {
    let dir = demo_copy("rerun");
    let report = dir.join("out/2026-10");
    monthly(&dir, "2026-11-03");
    let sent = std::fs::read(report.join(JSON)).unwrap();
    let old: Value = serde_json::from_slice(&sent).unwrap();
    assert!(old.get("changes").is_none(), "a first report has no changes section");

    // INC043479: an October P3 incident, resolved on time as P3 (3 workdays), not as P2.
    // INC043897: an October P4 incident still open at the cut-off and past its target.
    set_field(&dir.join("data"), "INC043479", "priority", "P2");
    set_field(&dir.join("data"), "INC043897", "resolved_at", "2026-10-22T11:00");
    monthly(&dir, "2026-11-10");

    // The sent report is kept, byte for byte, as the version of 3 November.
    assert_eq!(listing(&report.join("versies")), ["2026-11-03"]);
    assert!(std::fs::read(report.join("versies/2026-11-03").join(JSON)).unwrap() == sent, "the kept version differs from the sent one");

    let new = json(&report.join(JSON));
    let c = &new["changes"];
    assert_eq!(c["against_generated_on"], "2026-11-03");
    let tickets: Vec<(String, String, Value, Value, Value, Value)> = c["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().unwrap_or("").to_string();
            (s("ticket_id"), s("kind"), t["old"].clone(), t["new"].clone(), t["resolution_status_old"].clone(), t["resolution_status_new"].clone())
        })
        .collect();
    assert_eq!(
        tickets,
        [
            ("INC043479".into(), "priority".into(), "P3".into(), "P2".into(), "met".into(), "breached".into()),
            ("INC043897".into(), "resolution_recorded".into(), Value::Null, "2026-10-22T11:00".into(), "breached".into(), "met".into()),
        ]
    );
    // The effect on the headline figures, from the sent report's own counts: one more
    // ticket resolved (met), one resolution now breached, one fewer open past its target.
    // Figures as numbers (counts are whole numbers written as floats).
    let figure = |group: &str, key: &str| -> (Option<f64>, Option<f64>) {
        let f = c["figures"].as_array().unwrap().iter().find(|f| f["group"] == group && f["key"] == key);
        let f = f.unwrap_or_else(|| panic!("no change of {group} {key}: {}", c["figures"]));
        (f["old"].as_f64(), f["new"].as_f64())
    };
    let s = &old["summary"];
    let n = |v: &Value| v.as_u64().unwrap();
    let counts = |k: &str, d: i64| (Some(n(&s[k]) as f64), Some((n(&s[k]) as i64 + d) as f64));
    assert_eq!(figure("summary", "tickets_resolved"), counts("tickets_resolved", 1));
    assert_eq!(figure("summary", "resolution_breaches"), counts("resolution_breaches", 1));
    assert_eq!(figure("summary", "backlog_overdue"), counts("backlog_overdue", -1));
    let all = old["attainment"]["resolution"].as_array().unwrap().last().unwrap();
    let (met, counted) = (n(&all["met"]), n(&all["counted"]));
    let (was, now) = figure("summary", "resolution_pct");
    assert_eq!(was, s["resolution_pct"].as_f64());
    // One more met (INC043897) and one fewer (INC043479) of one more counted.
    assert!((now.unwrap() - met as f64 * 100.0 / (counted + 1) as f64).abs() < 1e-9, "{now:?}");
    assert_eq!(figure("attainment", "resolution.incident.P2").1, new["attainment"]["resolution"].as_array().unwrap().iter().find(|r| r["ticket_type"] == "incident" && r["priority"] == "P2").unwrap()["pct"].as_f64());
    // Response is judged on the new priority too: P3 loses a ticket, P2 gains one.
    let (p3_was, _) = figure("attainment", "response.incident.P3");
    assert_eq!(p3_was, old["attainment"]["response"].as_array().unwrap().iter().find(|r| r["ticket_type"] == "incident" && r["priority"] == "P3").unwrap()["pct"].as_f64());
    figure("kpi", "resolution_time");
    figure("domain", "2");

    // The PDF says it, in words; the annex lists the tickets.
    let pdf = pdftotext(&report.join("sla-rapportage-2026-10.pdf"));
    for want in ["Wijzigingen ten opzichte van de versie van 3 november 2026", "INC043479", "prioriteit gewijzigd", "P3 → P2", "oplossing vastgelegd", "22-10-2026 11:00"] {
        assert!(pdf.contains(want), "{want} not in the PDF");
    }
    let mut wb: Xlsx<_> = open_workbook(report.join("sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let range = wb.worksheet_range("Wijzigingen tickets").unwrap();
    assert_eq!(range.height(), 3, "header and two tickets");
    assert_eq!(range.get((1, 0)).unwrap().to_string(), "INC043479");
    assert!(wb.worksheet_range("Wijzigingen").unwrap().height() > 5);

    // The same rerun again: no version, the same bytes (the explanation stays).
    let before = std::fs::read(report.join("sla-rapportage-2026-10.pdf")).unwrap();
    monthly(&dir, "2026-11-10");
    assert_eq!(listing(&report.join("versies")), ["2026-11-03"]);
    assert!(std::fs::read(report.join("sla-rapportage-2026-10.pdf")).unwrap() == before);

    // `diff` prints the same changes and exits 1; a report against itself exits 0.
    let kept = report.join("versies/2026-11-03");
    let o = run(&["diff", kept.to_str().unwrap(), report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("Changes against the version made on 2026-11-03"), "{t}");
    assert!(t.contains("INC043479: priority P3 → P2 (resolution met → breached)"), "{t}");
    assert!(t.contains("INC043897: resolution recorded → 2026-10-22T11:00 (resolution breached → met)"), "{t}");
    assert!(t.contains(&format!("tickets_resolved: {} → {}", n(&s["tickets_resolved"]), n(&s["tickets_resolved"]) + 1)), "{t}");
    let o = run(&["diff", report.join(JSON).to_str().unwrap(), report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("no changes"), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `diff` on something that is not a report: exit 2 with an error and a hint.
#[test]
fn diff_refuses_what_is_not_a_report() {
    let dir = tmp("diff-bad");
    std::fs::write(dir.join("x.json"), "{\"not\": \"a report\"}").unwrap();
    for (a, b) in [(dir.join("x.json"), dir.join("x.json")), (dir.join("missing"), dir.join("x.json")), (dir.clone(), dir.join("x.json"))] {
        let o = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("error:") && text(&o).contains("hint:"), "{}", text(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Domain 6's "rapportages tijdig geleverd" from the report folder: the first version's
/// date against the due date (6 November for October 2026: five workdays), kept across
/// reruns; a measurement overrides.
#[test]
fn reports_on_time_comes_from_the_first_version() {
    let dir = tmp("on-time");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy("tests/fixtures/counting/tickets.csv", data.join("tickets.csv")).unwrap();
    let kpi = |out: &Path| -> (Value, Value) {
        let j = json(&out.join("2026-10").join(JSON));
        let d = j["kpis"]["domains"].as_array().unwrap().iter().find(|d| d["number"] == 6).unwrap().clone();
        let k = d["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "reports_on_time").unwrap().clone();
        (k, d)
    };
    let make = |out: &str, today: &str| {
        let o = run(&["monthly", "--data", data.to_str().unwrap(), "--out", dir.join(out).to_str().unwrap(), "--period", "2026-10", "--today", today]);
        // The counting fixture's rejected row: findings, exit 1.
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    };
    // First made on 3 November, before the due date: 1 of 1 on time.
    make("a", "2026-11-03");
    let (k, d) = kpi(&dir.join("a"));
    assert_eq!((k["figure"]["source"].as_str(), k["figure"]["numerator"].as_u64(), k["figure"]["denominator"].as_u64()), (Some("versions"), Some(1), Some(1)));
    assert_eq!(k["achievement_pct"], 100.0);
    assert_eq!(d["score_pct"], 100.0, "the only KPI of domain 6 with data");
    assert_eq!(k["figure"]["detail"], "eerste versie gemaakt op 3 november 2026, uiterlijk 6 november 2026");
    // A rerun after the due date: the first version still counts.
    make("a", "2026-11-20");
    assert_eq!(kpi(&dir.join("a")).0["achievement_pct"], 100.0);
    assert_eq!(listing(&dir.join("a/2026-10/versies")), ["2026-11-03"]);
    // First made after the due date: 0 of 1, and the domain scores 0.
    make("b", "2026-11-09");
    let (k, d) = kpi(&dir.join("b"));
    assert_eq!((k["figure"]["numerator"].as_u64(), k["achievement_pct"].as_f64()), (Some(0), Some(0.0)));
    assert_eq!(d["score_pct"], 0.0);
    let pdf = pdftotext(&dir.join("b/2026-10/sla-rapportage-2026-10.pdf"));
    assert!(pdf.contains("rapportversies"), "the PDF names the source");
    // A measurement overrides.
    std::fs::write(data.join("measurements.csv"), "period,kpi,value,note\n2026-10,reports_on_time,100,handmatig\n").unwrap();
    make("b", "2026-11-10");
    let (k, _) = kpi(&dir.join("b"));
    assert_eq!((k["figure"]["source"].as_str(), k["achievement_pct"].as_f64()), (Some("measurement"), Some(100.0)));
    let _ = std::fs::remove_dir_all(&dir);
}

fn quarterly(dir: &Path, today: &str) -> std::process::Output {
    let (data, out) = (dir.join("data"), dir.join("out"));
    let o = run(&["quarterly", "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--period", "2026-Q3", "--today", today]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    o
}

/// The quarterly report explains its rerun as the monthly one does: one ticket
/// reprioritised (P3 → P2, its resolution now late) and one resolution moved earlier (now
/// on time). The sent version is kept; exactly those two tickets are named; the quarter's
/// resolution breaches stay the same (one more, one fewer) while domain 2's per-priority
/// figure moves; `diff` on the folders prints it; an identical rerun adds no version.
#[test]
fn a_quarterly_rerun_keeps_the_sent_version_and_explains_its_changes() {
    const QJSON: &str = "kwartaalrapportage-2026-Q3.json";
    let dir = demo_copy("rerun-quarter");
    let report = dir.join("out/2026-Q3");
    quarterly(&dir, "2026-10-06");
    let sent = std::fs::read(report.join(QJSON)).unwrap();
    let old: Value = serde_json::from_slice(&sent).unwrap();
    assert!(old.get("rerun_changes").is_none(), "a first report has no changes section");
    assert!(old["tickets"].as_array().is_some_and(|t| !t.is_empty()), "the JSON lists the quarter's tickets");

    // INC039064: a July P3 incident resolved in 435 business minutes (met as P3; P2 allows 240).
    // INC040302: an August P4 incident resolved late (3,562 of 2,400 minutes); now on 5 August.
    set_field(&dir.join("data"), "INC039064", "priority", "P2");
    set_field(&dir.join("data"), "INC040302", "resolved_at", "2026-08-05T10:00");
    quarterly(&dir, "2026-10-13");

    assert_eq!(listing(&report.join("versies")), ["2026-10-06"]);
    assert!(std::fs::read(report.join("versies/2026-10-06").join(QJSON)).unwrap() == sent, "the kept version differs from the sent one");
    let new = json(&report.join(QJSON));
    let c = &new["rerun_changes"];
    assert_eq!(c["against_generated_on"], "2026-10-06");
    let tickets: Vec<(&str, &str, &Value, &Value, &Value, &Value)> = c["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["ticket_id"].as_str().unwrap(), t["kind"].as_str().unwrap(), &t["old"], &t["new"], &t["resolution_status_old"], &t["resolution_status_new"]))
        .collect();
    let v = |s: &str| Value::from(s);
    assert_eq!(
        tickets,
        [
            ("INC039064", "priority", &v("P3"), &v("P2"), &v("met"), &v("breached")),
            ("INC040302", "resolution_changed", &v("2026-08-11T16:10"), &v("2026-08-05T10:00"), &v("breached"), &v("met")),
        ]
    );
    // The headline figures do not move (one resolution breach more, one fewer), but for the
    // data-quality warnings of times after the report's day: a week later, fewer of them.
    let figures = c["figures"].as_array().unwrap();
    let summary: Vec<&Value> = figures.iter().filter(|f| f["group"] == "summary").collect();
    assert_eq!(summary.len(), 1, "{figures:?}");
    assert_eq!(summary[0]["key"], "warnings");
    let w = |r: &Value| r["quarter_summary"]["warnings"].as_f64();
    assert_eq!((summary[0]["old"].as_f64(), summary[0]["new"].as_f64()), (w(&old), w(&new)));
    assert!(w(&new) < w(&old));
    // Domain 2's resolution per priority (the mean of the priorities' shares): P2 gains a
    // breach, P3 loses a met ticket, P4 gains a met one.
    let resolution = |r: &Value| -> Value {
        let d = r["kpi_quarter"]["domains"].as_array().unwrap().iter().find(|d| d["number"] == 2).unwrap();
        d["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "resolution_time").unwrap().clone()
    };
    let (ko, kn) = (resolution(&old), resolution(&new));
    let parts = |k: &Value| -> Vec<(String, u64, u64)> {
        k["figure"]["per_priority"].as_array().unwrap().iter().map(|p| (p["priority"].as_str().unwrap().to_string(), p["numerator"].as_u64().unwrap(), p["denominator"].as_u64().unwrap())).collect()
    };
    let expected: Vec<(String, u64, u64)> = parts(&ko)
        .into_iter()
        .map(|(p, n, d)| match p.as_str() {
            "P2" => (p, n, d + 1),
            "P3" => (p, n - 1, d - 1),
            "P4" => (p, n + 1, d),
            _ => (p, n, d),
        })
        .collect();
    assert_eq!(parts(&kn), expected);
    let mean = expected.iter().map(|(_, n, d)| *n as f64 * 100.0 / *d as f64).sum::<f64>() / expected.len() as f64;
    assert!((kn["figure"]["measured"].as_f64().unwrap() - mean).abs() < 1e-9);
    let kpi = figures.iter().find(|f| f["group"] == "kpi" && f["key"] == "resolution_time").expect("the KPI's change");
    assert_eq!((&kpi["old"], &kpi["new"]), (&ko["achievement_pct"], &kn["achievement_pct"]));
    assert!(figures.iter().any(|f| f["group"] == "domain" && f["key"] == "2"), "{figures:?}");

    // The PDF says it, the annex lists the tickets (beside the quarter's own Wijzigingen sheet).
    let pdf = pdftotext(&report.join("kwartaalrapportage-2026-Q3.pdf"));
    for want in ["Wijzigingen ten opzichte van de versie van 6 oktober 2026", "INC039064", "prioriteit gewijzigd", "P3 → P2", "oplostijd gewijzigd", "05-08-2026 10:00"] {
        assert!(pdf.contains(want), "{want} not in the PDF");
    }
    let mut wb: Xlsx<_> = open_workbook(report.join("kwartaalrapportage-2026-Q3-bijlage.xlsx")).unwrap();
    let range = wb.worksheet_range("Wijzigingen tickets").unwrap();
    assert_eq!(range.height(), 3, "header and two tickets");
    assert_eq!(range.get((2, 0)).unwrap().to_string(), "INC040302");
    assert!(wb.sheet_names().iter().any(|n| n == "Wijzigingen (2)"), "{:?}", wb.sheet_names());

    // Again: no version, the same bytes.
    let before = std::fs::read(report.join("kwartaalrapportage-2026-Q3.pdf")).unwrap();
    quarterly(&dir, "2026-10-13");
    assert_eq!(listing(&report.join("versies")), ["2026-10-06"]);
    assert!(std::fs::read(report.join("kwartaalrapportage-2026-Q3.pdf")).unwrap() == before);

    // `diff` on the quarterly folders.
    let o = run(&["diff", report.join("versies/2026-10-06").to_str().unwrap(), report.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("Changes against the version made on 2026-10-06"), "{t}");
    assert!(t.contains("INC039064: priority P3 → P2 (resolution met → breached)"), "{t}");
    assert!(t.contains("INC040302: resolution changed 2026-08-11T16:10 → 2026-08-05T10:00 (resolution breached → met)"), "{t}");
    let o = run(&["diff", report.to_str().unwrap(), report.join(QJSON).to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Domain 6's reports on time in the quarterly report: August's report first made on 3
/// September (due 7 September: on time), September's on 8 October (due 7 October: late),
/// none for July, and the quarterly report itself first made on 6 October (due 7 October:
/// on time, its rerun on 9 October still counts the first version). The quarter: 2 of 3
/// reports on time, July named as not found; the months as their own reports have them; a
/// quarter's measurement overrides.
#[test]
fn quarterly_reports_on_time_come_from_the_months_and_its_own_versions() {
    let dir = tmp("on-time-quarter");
    let (data, out) = (dir.join("data"), dir.join("out"));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy("tests/fixtures/counting/tickets.csv", data.join("tickets.csv")).unwrap();
    let make = |kind: &str, period: &str, today: &str| {
        let o = run(&[kind, "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--period", period, "--today", today]);
        // The counting fixture's rejected row: findings, exit 1.
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    };
    let on_time = |section: &Value| -> Value {
        let d = section["domains"].as_array().unwrap().iter().find(|d| d["number"] == 6).unwrap();
        d["kpis"].as_array().unwrap().iter().find(|k| k["id"] == "reports_on_time").unwrap().clone()
    };
    make("monthly", "2026-08", "2026-09-03");
    make("quarterly", "2026-Q3", "2026-10-06");
    make("monthly", "2026-09", "2026-10-08");
    make("quarterly", "2026-Q3", "2026-10-09");
    let q = json(&out.join("2026-Q3/kwartaalrapportage-2026-Q3.json"));
    let k = on_time(&q["kpi_quarter"]);
    let f = &k["figure"];
    assert_eq!((f["source"].as_str(), f["numerator"].as_u64(), f["denominator"].as_u64()), (Some("versions"), Some(2), Some(3)));
    assert!((k["achievement_pct"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
    assert_eq!(f["detail"], "2 van 3 rapporten tijdig (eerste versie op of vóór de vervaldatum); geen rapport gevonden van juli 2026 (niet meegeteld)");
    // The months: as their own reports (July has none: no figure, never 0).
    let months: Vec<Option<f64>> = q["kpi_months"].as_array().unwrap().iter().map(|s| on_time(s)["achievement_pct"].as_f64()).collect();
    assert_eq!(months, [None, Some(100.0), Some(0.0)]);
    for (m, want) in [("2026-08", 100.0), ("2026-09", 0.0)] {
        let r = json(&out.join(m).join(format!("sla-rapportage-{m}.json")));
        assert_eq!(on_time(&r["kpis"])["achievement_pct"].as_f64(), Some(want), "{m}");
    }
    // The rerun explains the change (the quarter's first version found only August's).
    let kpi = q["rerun_changes"]["figures"].as_array().unwrap().iter().find(|f| f["key"] == "reports_on_time").unwrap().clone();
    assert_eq!(kpi["old"].as_f64(), Some(100.0));
    let pdf = pdftotext(&out.join("2026-Q3/kwartaalrapportage-2026-Q3.pdf"));
    assert!(pdf.contains("rapportversies: 2 van 3 rapporten tijdig"), "the PDF names the source");
    // A measurement of the quarter overrides.
    std::fs::write(data.join("measurements.csv"), "period,kpi,value,note\n2026-Q3,reports_on_time,100,handmatig\n").unwrap();
    make("quarterly", "2026-Q3", "2026-10-09");
    let k = on_time(&json(&out.join("2026-Q3/kwartaalrapportage-2026-Q3.json"))["kpi_quarter"]);
    assert_eq!((k["figure"]["source"].as_str(), k["achievement_pct"].as_f64()), (Some("measurement"), Some(100.0)));
    let _ = std::fs::remove_dir_all(&dir);
}
