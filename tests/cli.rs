//! The command line as a user runs it: real binary, real files, the PDF read back with
//! pdftotext and the annex with calamine.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{bin, pdftotext, run, text};

use calamine::{open_workbook, Reader, Xlsx};

fn tmp(name: &str) -> PathBuf {
    common::tmp(&format!("cli-{name}"))
}

fn monthly(data: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["monthly", "--data", data, "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn monthly_report_on_the_counting_fixture() {
    let out = tmp("counting");
    let o = monthly("tests/fixtures/counting", &out, &[]);
    // One rejected row: made, with findings.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("rows read 9: counted 5, excluded 3 (outside the period 2, out of scope 1), rejected 1"), "{}", text(&o));
    let dir = out.join("2026-10");
    for f in ["sla-rapportage-2026-10.pdf", "sla-rapportage-2026-10-bijlage.xlsx", "sla-rapportage-2026-10.json", "sla-rapportage-2026-10.txt"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let pdf = pdftotext(&dir.join("sla-rapportage-2026-10.pdf"));
    for needle in [
        "SLA-rapportage",
        "oktober 2026",
        "De Haagse Scholen",
        "Opgesteld op 2 november 2026",
        "Uiterlijk te leveren",
        "6 november 2026",
        "66,7 %",
        "100,0 %",
        "=SOM(A1:A3)",
        "@docent",
        "Datakwaliteit",
        "tickets.csv",
    ] {
        assert!(pdf.contains(needle), "PDF lacks {needle:?}");
    }
    // Ticket A's breach: 12 business hours against 4, 8 over.
    assert!(
        pdf.lines().any(|l| l.trim_start().starts_with("A ") && l.contains("Oplostijd") && l.contains("12 u")),
        "no breach line for ticket A"
    );
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sla-rapportage-2026-10.json")).unwrap()).unwrap();
    assert_eq!(json["data_quality"]["accounting"]["rows_read"], 9);
    assert_eq!(json["meta"]["due_on"], "2026-11-06");
    assert_eq!(json["tickets"].as_array().unwrap().len(), 6, "five counted and one out of scope");
    let mail = std::fs::read_to_string(dir.join("sla-rapportage-2026-10.txt")).unwrap();
    assert!(mail.contains("oktober 2026") && mail.contains("66,7 %"), "{mail}");
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let (a, b) = (tmp("det-a"), tmp("det-b"));
    monthly("tests/fixtures/counting", &a, &[]);
    monthly("tests/fixtures/counting", &b, &[]);
    for f in ["sla-rapportage-2026-10.pdf", "sla-rapportage-2026-10-bijlage.xlsx", "sla-rapportage-2026-10.json"] {
        let x = std::fs::read(a.join("2026-10").join(f)).unwrap();
        let y = std::fs::read(b.join("2026-10").join(f)).unwrap();
        assert!(x == y, "{f} differs between two runs");
    }
}

#[test]
fn annex_reads_back() {
    let out = tmp("annex");
    monthly("tests/fixtures/counting", &out, &[]);
    let mut wb: Xlsx<_> = open_workbook(out.join("2026-10/sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert!(names.len() >= 5, "{names:?}");
    let tickets_sheet = names.iter().find(|n| n.starts_with("Tickets")).expect("a Tickets sheet").clone();
    let range = wb.worksheet_range(&tickets_sheet).unwrap();
    // Header + six ticket rows.
    assert_eq!(range.height(), 7);
    let all: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(all.iter().any(|c| c == "=SOM(A1:A3) klopt niet #3 $5 [x] @docent"));
}

#[test]
fn english_report() {
    let out = tmp("en");
    let o = monthly("tests/fixtures/counting", &out, &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let pdf = pdftotext(&out.join("2026-10/sla-report-2026-10.pdf"));
    assert!(pdf.contains("SLA report") && pdf.contains("October 2026") && pdf.contains("66.7%"), "{pdf}");
}

#[test]
fn a_language_other_than_nl_or_en_is_refused_with_the_choices() {
    let out = tmp("fr");
    let o = monthly("tests/fixtures/counting", &out, &["--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: invalid value 'fr' for '--lang <LANG>'") && err.contains("[possible values: nl, en]"), "{err}");
    assert!(!out.join("2026-10").exists(), "nothing is written");
}

#[test]
fn check_prints_the_accounting() {
    let o = run(&["check", "--data", "tests/fixtures/counting", "--period", "2026-10", "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("rejected: tickets.csv:9: column type"), "{t}");
    assert!(t.contains("rows read 9 = counted 5 + excluded 3"), "{t}");
}

#[test]
fn missing_data_folder_is_an_error_with_a_hint() {
    let o = run(&["monthly", "--data", "does/not/exist", "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: data folder does/not/exist does not exist"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn period_defaults_to_last_month_from_source_date_epoch() {
    let out = tmp("epoch");
    // 2026-11-02T12:00:00Z
    let o = bin()
        .args(["monthly", "--data", "tests/fixtures/counting", "--out", out.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1793620800")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out.join("2026-10/sla-rapportage-2026-10.pdf").is_file());
}

#[test]
fn contract_with_an_unknown_key_is_refused() {
    let dir = tmp("contract");
    let text = slarapport::contract::DEFAULT_CONTRACT.replace("[rules]", "[rules]\nmalus_percent = 3");
    std::fs::write(dir.join("contract.toml"), text).unwrap();
    let o = run(&["check", "--data", "tests/fixtures/counting", "--contract", dir.join("contract.toml").to_str().unwrap(), "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("malus_percent"));
}

#[test]
fn a_period_that_has_not_begun_is_refused_and_one_not_ended_is_an_interim_view() {
    let out = tmp("period-not-ended");
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2027-03", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("error: the period 2027-03 has not begun yet (today is 2026-11-02)"), "{}", text(&o));
    assert!(!out.join("2027-03").exists());
    // Mid-month: the report is made, with a warning, and the run says so in its exit code.
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-11", "--today", "2026-11-15", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: the period 2026-11 has not ended yet (it runs to 2026-11-30, today is 2026-11-15)"), "{}", text(&o));
    assert!(out.join("2026-11/sla-rapportage-2026-11.pdf").is_file());
    let o = run(&["quarterly", "--data", "tests/fixtures/counting", "--period", "2026-Q4", "--today", "2026-11-15", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: the period 2026-Q4 has not ended yet"), "{}", text(&o));
}

#[test]
fn a_report_without_tickets_is_not_a_clean_run() {
    // A tickets.csv with only its header: the report is made, but a scheduled run must not
    // send it out unnoticed.
    let data = tmp("empty-data");
    let header = std::fs::read_to_string("tests/fixtures/counting/tickets.csv").unwrap().lines().next().unwrap().to_string();
    std::fs::write(data.join("tickets.csv"), format!("{header}\n")).unwrap();
    let out = tmp("empty-out");
    let o = monthly(data.to_str().unwrap(), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: no ticket was opened or resolved in 2026-10: check that the data covers the period (it holds no valid tickets)"), "{}", text(&o));
    // Data that lies elsewhere in time: the warning says where.
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--period", "2026-01", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: no ticket was opened or resolved in 2026-01: check that the data covers the period (its tickets were opened from"), "{}", text(&o));
}

#[test]
fn a_reader_that_goes_away_is_no_crash() {
    // `slarapport contract | head -1`: the pipe closes before the output is written.
    let mut child = bin().args(["contract"]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked") && o.status.code() != Some(101), "{err}");
}

#[test]
fn the_cover_message_and_the_warnings_speak_the_report_language() {
    let out = tmp("cover-message");
    let o = run(&["monthly", "--data", "fixtures/demo", "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let dir = out.join("2026-10");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let opened = json["summary"]["tickets_opened"].as_u64().unwrap();
    assert!(opened >= 1000, "the demo's October has thousands of tickets");
    let message = std::fs::read_to_string(dir.join("sla-rapportage-2026-10.txt")).unwrap();
    // 2489 → "2.489" in Dutch.
    let expected = format!("{}.{:03} tickets gemeld", opened / 1000, opened % 1000);
    assert!(message.contains(&expected), "{expected:?} not in:\n{message}");
    assert!(message.contains("Het rapport is uiterlijk op 6 november 2026 te leveren."), "{message}");
    // Made after its due date, the message does not ask for delivery by a date gone by.
    let late = tmp("cover-message-late");
    let o = run(&["monthly", "--data", "fixtures/demo", "--period", "2026-09", "--today", "2026-11-28", "--out", late.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let message = std::fs::read_to_string(late.join("2026-09/sla-rapportage-2026-09.txt")).unwrap();
    assert!(message.contains("Dit rapport is later gemaakt dan de afgesproken datum (7 oktober 2026)."), "{message}");

    // Data-quality warnings are in the report's language in the PDF and the annex; the JSON
    // keeps the English message with its code and values.
    let w = &json["data_quality"]["warnings"][0];
    assert_eq!(w["code"], "priority_differs", "{w}");
    assert!(w["message"].as_str().unwrap().starts_with("recorded priority"), "{w}");
    let pdf = pdftotext(&dir.join("sla-rapportage-2026-10.pdf"));
    assert!(pdf.contains("vastgelegde prioriteit") && pdf.contains("gemiddeld"), "no Dutch warnings in the PDF");
    assert!(!pdf.contains("recorded priority"), "English warnings in the Dutch PDF");
    let mut wb: Xlsx<_> = open_workbook(dir.join("sla-rapportage-2026-10-bijlage.xlsx")).unwrap();
    let texts: Vec<String> = wb
        .worksheet_range("Datakwaliteit")
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .collect();
    assert!(texts.iter().any(|t| t.starts_with("vastgelegde prioriteit P")), "no Dutch warning in the annex");
    assert!(!texts.iter().any(|t| t.starts_with("recorded priority")), "English warning in the Dutch annex");

    // Rejections likewise: every one of the demo's has a code, and reads Dutch.
    let rejections = json["data_quality"]["rejections"].as_array().unwrap();
    assert!(rejections.len() >= 5 && rejections.iter().all(|r| !r["code"].as_str().unwrap().is_empty()), "{rejections:?}");
    for dutch in ["is geen datum met tijd", "dubbel id; de eerste regel met dit id", "verplicht veld is leeg", "is geen tickettype"] {
        assert!(pdf.contains(dutch), "{dutch:?} not in the PDF");
        assert!(texts.iter().any(|t| t.contains(dutch)), "{dutch:?} not in the annex");
    }
    assert!(!pdf.contains("is not a date and time") && !pdf.contains("required field is empty"), "English rejections in the Dutch PDF");
}

#[test]
fn a_note_when_the_provider_has_no_name() {
    // The guideline calls the provider "Opdrachtnemer"; without a name of its own every
    // report carries that word, so the run says how to set it.
    let out = tmp("provider-note");
    let o = monthly("tests/fixtures/counting", &out, &[]);
    assert!(text(&o).contains("note: the reports name the provider \"Opdrachtnemer\""), "{}", text(&o));
    let branding = out.join("branding.toml");
    std::fs::write(&branding, "provider = \"Voorbeeld IT B.V.\"\n").unwrap();
    let o = monthly("tests/fixtures/counting", &out, &["--branding", branding.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!text(&o).contains("note: the reports name the provider"), "{}", text(&o));
}

#[test]
fn a_period_after_the_data_is_named_with_the_last_month_that_has_data() {
    // An export that ends in May 2023, read in November 2026 without --period: October 2026
    // holds nothing but the ticket still open, which counts as overdue backlog.
    let data = tmp("far-period");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("tickets.csv"),
        "id,type,school,category,priority,opened_at,responded_at,resolved_at\n\
         A-1,incident,School 1,netwerk,P3,2023-04-03T10:00,2023-04-03T10:20,2023-05-17T11:00\n\
         A-2,incident,School 2,netwerk,P3,2023-05-02T09:00,2023-05-02T09:30,\n",
    )
    .unwrap();
    let d = data.to_str().unwrap();
    let o = run(&["check", "--data", d, "--today", "2026-11-03"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("warning: no ticket was opened or resolved in 2026-10: the data ends on 2023-05-17, its last month with data is 2023-05; the one ticket still open at its end counts as overdue backlog; give --period 2023-05 to report on that month"), "{}", text(&o));
    // The month with data is clean.
    let o = run(&["check", "--data", d, "--today", "2026-11-03", "--period", "2023-05"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("last month with data"));

    let out = data.join("out");
    let o = run(&["monthly", "--data", d, "--today", "2026-11-03", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("its last month with data is 2023-05"));
    let pdf = pdftotext(&out.join("2026-10/sla-rapportage-2026-10.pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(pdf.contains("Er is in oktober 2026 geen ticket gemeld of opgelost: de gegevens lopen tot 17 mei 2023, de laatste maand met gegevens is mei 2023."), "{pdf}");
    assert!(pdf.contains("Tickets die daarna nog open stonden (1), tellen hier als openstaand over de norm."), "{pdf}");
    let _ = std::fs::remove_dir_all(&data);
}

/// A clean run — every row counted, no rejected row, no warning — exits 0, for `check` and
/// for the report (the guideline's worked example is such a data folder).
#[test]
fn a_clean_run_exits_0() {
    let data = "fixtures/guideline-example";
    let o = run(&["check", "--data", data, "--period", "2026-10", "--today", "2026-11-03"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("valid tickets: 250, rejected rows: 0, warnings: 0"), "{t}");
    assert!(t.contains("accounting 2026-10: rows read 250 = counted 250 + excluded 0 (outside the period 0, out of scope 0) + rejected 0"), "{t}");
    let out = tmp("clean");
    let o = run(&["monthly", "--data", data, "--period", "2026-10", "--today", "2026-11-03", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("warning:") && !text(&o).contains("error:"), "{}", text(&o));
    // The same folder with one broken row is no longer clean: exit 1.
    let broken = tmp("clean-broken");
    for f in ["tickets.csv", "calls.csv", "measurements.csv"] {
        std::fs::copy(Path::new(data).join(f), broken.join(f)).unwrap();
    }
    let mut tickets = std::fs::read_to_string(broken.join("tickets.csv")).unwrap();
    tickets.push_str("X1,storm,OBS De Regenboog,netwerk,wifi,Kapot,,,P3,email,2026-10-05T09:00,,\n");
    std::fs::write(broken.join("tickets.csv"), tickets).unwrap();
    let o = run(&["check", "--data", broken.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-03"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}
