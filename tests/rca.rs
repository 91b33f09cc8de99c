//! `slarapport rca` as a user runs it: the real binary on `tests/fixtures/rca` (hand-made
//! cases) and `fixtures/demo`, the PDF read back with pdftotext.
//!
//! The fixture (`tests/fixtures/rca/tickets.csv` + `rca/*.toml`):
//! - INC100: P1 resolved Wednesday 23 December 2026 → due Thursday 31 December (Christmas,
//!   Boxing Day and the weekend skipped); delivered 30 December: final, on time.
//! - INC200: P1 resolved Tuesday 12 May 2026 → Ascension Thursday 14 May is closed → due
//!   Wednesday 20 May; delivered Friday 22 May: final, 2 workdays late. Hostile text.
//! - INC300: P1 resolved Monday 4 May 2026 → due Monday 11 May; no RCA file: draft, overdue.
//! - INC301: P1 resolved Friday 22 May 2026 (Whit Monday 25 May closed) → due Monday 1 June;
//!   a half-written RCA file: draft, not yet due.
//! - INC302: P1 not resolved: draft, no due date.
//! - INC500: P1 out of scope; INC700: P1 whose RCA came in on time in April; REQ400: a P3
//!   service request with an RCA file (voluntary).

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{pdftotext, run, text};

const FIXTURE: &str = "tests/fixtures/rca";

fn tmp(name: &str) -> PathBuf {
    common::tmp(&format!("rca-{name}"))
}

/// `rca --ticket ID` on `data` as of `today`, into `out`.
fn rca(data: &str, id: &str, today: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["rca", "--data", data, "--ticket", id, "--today", today, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

fn json(out: &Path, id: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("rca").join(format!("rca-{id}.json"))).unwrap()).unwrap()
}

fn pdf(out: &Path, id: &str) -> String {
    pdftotext(&out.join("rca").join(format!("rca-{id}.pdf")))
}

#[test]
fn demo_with_a_file_is_final_and_without_is_a_draft() {
    let out = tmp("demo");
    let o = rca("fixtures/demo", "INC039228", "2026-11-02", &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let final_text = pdf(&out, "INC039228");
    assert!(!final_text.contains("CONCEPT"), "{final_text}");
    for needle in ["Root-cause-analyse", "INC039228", "DEFINITIEF", "Hofstad Lyceum Haagse Hout", "MX-record", "Preventieve maatregelen", "J. de Vries (servicedesk)"] {
        assert!(final_text.contains(needle), "final PDF lacks {needle:?}");
    }
    assert!(out.join("rca/rca-INC039228.json").is_file());
    // The document names the RCA file within the data folder, not a path on this machine.
    assert_eq!(json(&out, "INC039228")["analysis"]["file"], "rca/INC039228.toml");
    assert!(!final_text.contains("fixtures/demo"), "{final_text}");

    // INC041789: resolved 7 September 2026, no RCA file: a draft, overdue.
    let o = rca("fixtures/demo", "INC041789", "2026-11-02", &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("draft"), "{}", text(&o));
    let draft = pdf(&out, "INC041789");
    let pages: Vec<&str> = draft.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2);
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains("CONCEPT"), "page {} of the draft is not marked CONCEPT", i + 1);
    }
    assert!(draft.contains("nog in te vullen") && draft.contains("14 september 2026"), "{draft}");
    let j = json(&out, "INC041789");
    assert_eq!(j["status"], "draft");
    assert_eq!(j["due"]["verdict"], "overdue");
}

#[test]
fn due_dates_across_holidays() {
    let out = tmp("holidays");
    // Resolved Wednesday 23 December 2026: 24 December counts, 25/26 December and the weekend
    // do not → Thursday 31 December.
    let o = rca(FIXTURE, "INC100", "2027-01-05", &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j = json(&out, "INC100");
    assert_eq!(j["due"]["due_on"], "2026-12-31");
    assert_eq!(j["due"]["verdict"], "on_time");
    assert!(text(&o).contains("delivered on time (2026-12-30 ≤ due 2026-12-31)"), "{}", text(&o));
    assert_eq!(j["analysis"]["delivered_on"], "2026-12-30", "a TOML date literal is read too");
    let t = pdf(&out, "INC100");
    assert!(t.contains("31 december 2026") && t.contains("op tijd geleverd"), "{t}");

    // Resolved Tuesday 12 May 2026: Ascension Thursday 14 May is closed → Wednesday 20 May.
    let o = rca(FIXTURE, "INC200", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j = json(&out, "INC200");
    assert_eq!(j["due"]["due_on"], "2026-05-20");
    assert_eq!(j["due"]["verdict"], "late");
    assert!(text(&o).contains("delivered late (2026-05-22, due 2026-05-20: 2 workdays late)"), "{}", text(&o));
    assert_eq!(j["due"]["workdays_late"], 2);
    assert_eq!(j["breach"], true);
    let t = pdf(&out, "INC200");
    for needle in ["20 mei 2026", "22 mei 2026", "te laat geleverd", "2 werkdagen te laat", "overschreden"] {
        assert!(t.contains(needle), "PDF lacks {needle:?}:\n{t}");
    }
    // Ticket and RCA-file text is data: printed as written, never run as markup.
    assert!(t.contains("#strong[x] $a$ @docent <b>"), "{t}");
    assert!(t.contains("#set text(red) $x^2$ [link] @ref"), "{t}");
}

#[test]
fn drafts_missing_file_partial_file_unresolved() {
    let out = tmp("drafts");
    let o = rca(FIXTURE, "INC300", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j = json(&out, "INC300");
    assert_eq!((j["status"].as_str(), j["due"]["verdict"].as_str(), j["due"]["due_on"].as_str()), (Some("draft"), Some("overdue"), Some("2026-05-11")));
    assert!(pdf(&out, "INC300").contains("te laat, niet geleverd"));

    let o = rca(FIXTURE, "INC301", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j = json(&out, "INC301");
    assert_eq!(j["due"]["verdict"], "not_yet_due");
    assert_eq!(j["due"]["due_on"], "2026-06-01", "Whit Monday 25 May is skipped");
    let t = pdf(&out, "INC301");
    assert!(t.contains("CONCEPT") && t.contains("nog in te vullen") && t.contains("firmware-update"), "{t}");
    assert!(t.contains("de preventieve maatregelen"), "the draft says what is missing:\n{t}");

    let o = rca(FIXTURE, "INC302", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let j = json(&out, "INC302");
    assert_eq!(j["due"]["verdict"], "unresolved");
    assert!(j["due"]["due_on"].is_null());
}

#[test]
fn a_ticket_that_needs_no_rca_is_refused_unless_voluntary() {
    let out = tmp("voluntary");
    let o = rca(FIXTURE, "REQ400", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error:") && err.contains("not a P1 incident"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("hint:") && l.contains("--voluntary")), "{err}");
    assert!(!out.join("rca").exists(), "nothing is written");

    let o = rca(FIXTURE, "INC500", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("outside the scope"), "{}", text(&o));

    let o = rca(FIXTURE, "REQ400", "2026-05-26", &out, &["--voluntary"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = pdf(&out, "REQ400");
    assert!(t.contains("Vrijwillige RCA") && t.contains("vrijwillig, geen termijn"), "{t}");
    assert!(json(&out, "REQ400")["due"]["due_on"].is_null());

    let o = rca(FIXTURE, "REQ400", "2026-05-26", &out, &["--voluntary", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = pdf(&out, "REQ400");
    assert!(t.contains("Voluntary RCA") && t.contains("Root cause analysis"), "{t}");
}

#[test]
fn an_unknown_id_names_the_closest_ids() {
    let out = tmp("unknown");
    let o = rca(FIXTURE, "INC10", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error: ticket INC10 is not in") && err.contains("the closest ids are INC100, INC200, INC300"), "{err}");
    // Case does not matter when the id is unambiguous.
    let o = rca(FIXTURE, "inc100", "2027-01-05", &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn due_writes_outstanding_and_recently_delivered_rcas() {
    let out = tmp("due");
    let o = run(&["rca", "--data", FIXTURE, "--due", "--today", "2026-05-26", "--out", out.to_str().unwrap()]);
    // Drafts among them: exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let mut files: Vec<String> = std::fs::read_dir(out.join("rca")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    // INC200: delivered (late) on 22 May, within the last 5 workdays → final.
    // INC300: no file, overdue → draft. INC301: half-written, not yet due → draft.
    // Not: INC100 (resolved after today), INC302 (unresolved), INC500 (out of scope),
    // INC700 (delivered in April), REQ400 (not a P1).
    assert_eq!(
        files,
        ["rca-INC200.json", "rca-INC200.pdf", "rca-INC300.json", "rca-INC300.pdf", "rca-INC301.json", "rca-INC301.pdf"],
        "{stdout}"
    );
    assert!(stdout.contains("INC200 final (recently delivered)"), "{stdout}");
    assert!(stdout.contains("INC300 DRAFT (outstanding)") && stdout.contains("INC301 DRAFT (outstanding)"), "{stdout}");
    assert!(stdout.contains("not resolved yet, so no RCA due: INC302"), "{stdout}");
    assert!(stdout.contains("3 written: 1 final, 2 draft"), "{stdout}");

    // Later, with everything delivered long ago or still missing: only the missing ones.
    let out = tmp("due-later");
    let o = run(&["rca", "--data", FIXTURE, "--due", "--today", "2026-07-01", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 written: 0 final, 2 draft"), "{}", text(&o));

    // Right after INC700's delivery (3 April): only that one, final → exit 0.
    let out = tmp("due-april");
    let o = run(&["rca", "--data", FIXTURE, "--due", "--today", "2026-04-07", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 written: 1 final, 0 draft"), "{}", text(&o));
    assert!(out.join("rca/rca-INC700.pdf").is_file());
}

#[test]
fn an_unknown_key_in_the_rca_file_is_an_error_naming_key_and_file() {
    let data = tmp("strict");
    std::fs::copy(Path::new(FIXTURE).join("tickets.csv"), data.join("tickets.csv")).unwrap();
    std::fs::create_dir_all(data.join("rca")).unwrap();
    let original = std::fs::read_to_string(Path::new(FIXTURE).join("rca/INC200.toml")).unwrap();
    std::fs::write(data.join("rca/INC200.toml"), original.replace("cause =", "oorzaak =")).unwrap();
    let out = data.join("out");
    let o = rca(data.to_str().unwrap(), "INC200", "2026-05-26", &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("oorzaak") && err.contains("INC200.toml"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn reruns_are_byte_identical() {
    let (a, b) = (tmp("same-a"), tmp("same-b"));
    for out in [&a, &b] {
        let o = rca(FIXTURE, "INC200", "2026-05-26", out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
    for f in ["rca/rca-INC200.pdf", "rca/rca-INC200.json"] {
        assert!(std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn the_monthly_report_does_not_count_a_delivery_dated_after_today() {
    // INC200's RCA is dated Friday 22 May, due Wednesday 20 May. Made on 21 May, the May
    // report cannot know of that delivery: overdue. Made on 1 June: delivered, late.
    let p1 = |today: &str| -> serde_json::Value {
        let out = tmp(&format!("monthly-{today}"));
        let o = run(&["monthly", "--data", FIXTURE, "--period", "2026-05", "--today", today, "--out", out.to_str().unwrap()]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", text(&o));
        let j: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-05/sla-rapportage-2026-05.json")).unwrap()).unwrap();
        j["p1s"].as_array().unwrap().iter().find(|p| p["ticket_id"] == "INC200").cloned().expect("INC200 among the P1s")
    };
    let early = p1("2026-05-21");
    assert_eq!((early["rca_status"].as_str(), early["rca_delivered_on"].as_str()), (Some("overdue"), None), "{early}");
    let later = p1("2026-06-01");
    assert_eq!((later["rca_status"].as_str(), later["rca_delivered_on"].as_str()), (Some("late"), Some("2026-05-22")), "{later}");
}

/// Many open preventive measures: the monthly PDF lists every overdue one and then the others
/// up to 25 rows, with a line of totals pointing to the annex, whose sheet holds every one.
/// The RCA file of P1A (tests/fixtures/story's tickets) has 32 measures: 6 due 1–6 October,
/// 24 due 5–28 November, 2 carried out on 20 October.
#[test]
fn many_open_measures_are_listed_in_part_and_all_in_the_annex() {
    use calamine::{Reader, Xlsx, open_workbook};
    let data = tmp("many-measures");
    std::fs::copy("tests/fixtures/story/tickets.csv", data.join("tickets.csv")).unwrap();
    std::fs::create_dir_all(data.join("rca")).unwrap();
    let mut file = String::from("ticket = \"P1A\"\nauthor = \"J. de Vries\"\ndelivered_on = 2026-10-07\ncause = \"Switch\"\nimpact = \"Geen internet\"\nactions = [\"Switch vervangen\"]\n");
    let mut measure = |name: String, due: String, done: &str| {
        file += &format!("\n[[preventive_measures]]\nmeasure = \"{name}\"\nowner = \"Netwerkbeheer\"\ndue_on = {due}\n{done}");
    };
    for i in 1..=6 {
        measure(format!("Maatregel O{i} uitvoeren"), format!("2026-10-0{i}"), "");
    }
    for i in 1..=24 {
        measure(format!("Maatregel N{i:02} uitvoeren"), format!("2026-11-{:02}", 4 + i), "");
    }
    for i in 1..=2 {
        measure(format!("Maatregel D{i} uitvoeren"), "2026-10-25".into(), "done_on = 2026-10-20\n");
    }
    std::fs::write(data.join("rca/P1A.toml"), file).unwrap();
    let monthly = |today: &str| {
        let out = tmp(&format!("many-measures-{today}"));
        let o = run(&["monthly", "--data", data.to_str().unwrap(), "--period", "2026-10", "--today", today, "--out", out.to_str().unwrap()]);
        assert_ne!(o.status.code(), Some(2), "{}", text(&o));
        let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
        (out, pdf)
    };

    // On 3 November: the 6 overdue and the first 19 of the others (5–23 November); 5 left out.
    let (out, pdf) = monthly("2026-11-03");
    for i in 1..=6 {
        assert!(pdf.contains(&format!("Maatregel O{i} uitvoeren")), "O{i} missing");
    }
    for i in 1..=24 {
        assert_eq!(pdf.contains(&format!("Maatregel N{i:02} uitvoeren")), i <= 19, "N{i:02}");
    }
    assert!(!pdf.contains("Maatregel D1"), "a measure carried out is not open");
    assert!(
        pdf.contains("30 open maatregelen in totaal, waarvan 6 over tijd; alle staan in de bijlage (blad Preventieve maatregelen)."),
        "{pdf}"
    );
    // The annex has all 30, in the same order, 6 of them marked overdue.
    let mut wb: Xlsx<_> = open_workbook(out.join("2026-10/sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Preventieve maatregelen").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().skip(1).map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows.iter().filter(|r| r[4] == "ja").count(), 6);
    assert_eq!((rows[0][1].as_str(), rows[6][1].as_str(), rows[29][1].as_str()), ("Maatregel O1 uitvoeren", "Maatregel N01 uitvoeren", "Maatregel N24 uitvoeren"));
    assert!(rows.iter().all(|r| r[0] == "P1A" && r[2] == "Netwerkbeheer"));

    // On 20 December all 30 are overdue: all are listed (at least the overdue), no line.
    let (_, pdf) = monthly("2026-12-20");
    for i in 1..=24 {
        assert!(pdf.contains(&format!("Maatregel N{i:02} uitvoeren")), "N{i:02} missing");
    }
    assert!(!pdf.contains("open maatregelen in totaal"), "{pdf}");
}

/// More overdue measures than the PDF lists (150): the 150 overdue longest, then a line with
/// the totals; the annex's sheet holds every one. (A real month has a few; the synthetic year
/// of ten million tickets has 22,000 overdue in a quarter, 700 pages if all were listed.)
#[test]
fn more_overdue_measures_than_the_pdf_lists_shows_the_longest_overdue() {
    use calamine::{Reader, Xlsx, open_workbook};
    let data = tmp("overdue-measures");
    std::fs::copy("tests/fixtures/story/tickets.csv", data.join("tickets.csv")).unwrap();
    std::fs::create_dir_all(data.join("rca")).unwrap();
    let mut file = String::from("ticket = \"P1A\"\nauthor = \"J. de Vries\"\ndelivered_on = 2026-10-07\ncause = \"Switch\"\nimpact = \"Geen internet\"\nactions = [\"Switch vervangen\"]\n");
    // M001 due 1 May 2026, M200 due 17 November: all overdue on 20 December.
    let may_first = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    for i in 1..=200 {
        let due = may_first + chrono::Duration::days(i - 1);
        file += &format!("\n[[preventive_measures]]\nmeasure = \"Maatregel M{i:03} uitvoeren\"\nowner = \"Netwerkbeheer\"\ndue_on = {due}\n");
    }
    std::fs::write(data.join("rca/P1A.toml"), file).unwrap();
    let out = tmp("overdue-measures-out");
    let o = run(&["monthly", "--data", data.to_str().unwrap(), "--period", "2026-10", "--today", "2026-12-20", "--out", out.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(2), "{}", text(&o));
    let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
    for i in 1..=200 {
        assert_eq!(pdf.contains(&format!("Maatregel M{i:03} uitvoeren")), i <= 150, "M{i:03}");
    }
    assert!(
        pdf.contains("200 open maatregelen in totaal, waarvan 200 over tijd; hier staan de 150 die het langst over tijd zijn, alle staan in de bijlage (blad Preventieve maatregelen)."),
        "{pdf}"
    );
    let mut wb: Xlsx<_> = open_workbook(out.join("2026-10/sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Preventieve maatregelen").unwrap();
    assert_eq!(sheet.rows().skip(1).count(), 200);
}
