//! The provider's logs through the binary: `check` names a rejected row of each log, the
//! monthly report counts the logs' rows in its accounting, counts domain 6 and 7 from them,
//! and prints hostile log text literally in the PDF and as text in the annex.

use std::path::Path;

mod common;
use common::{pdftotext, run, text};

use calamine::{open_workbook, Data, Reader, Xlsx};

/// The counting fixture's tickets with hand-made logs beside them.
fn data_folder(name: &str) -> std::path::PathBuf {
    let dir = common::tmp(&format!("voice-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("tests/fixtures/counting/tickets.csv", dir.join("tickets.csv")).unwrap();
    std::fs::write(
        dir.join("klachten.csv"),
        "id,received,school,channel,subject,ticket,handled,outcome\n\
         K1,2026-10-02,De Regenboog,telefoon,\"=SUM(A1) #12 $40 ]@school\",,2026-10-06,excuses\n\
         K2,2026-10-12,Het Klokhuis,e-mail,Laptop traag,,2026-10-19,toestel vervangen\n\
         K3,2026-10-20,,duif,Kanaal onbekend,,,\n\
         K4,2026-09-30,,,Vorige maand,,2026-10-01,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("verbeteracties.csv"),
        "id,title,source,owner,opened,due,implemented,status,note\n\
         V1,Kennisbank,kpi:first_contact_resolution,Servicedesk,2026-09-01,2026-10-15,2026-10-10,,\n\
         V2,Wifi,complaint:K2,Netwerk,2026-10-13,2026-10-30,,open,\n\
         V3,Onbekende bron,complaint:K9,Netwerk,2026-10-13,,,open,\n",
    )
    .unwrap();
    dir
}

#[test]
fn check_names_the_rejected_rows_of_the_logs() {
    let dir = data_folder("check");
    let o = run(&["check", "--data", dir.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(1));
    let t = text(&o);
    assert!(t.contains("klachten.csv: 4 rows"), "{t}");
    assert!(t.contains("rejected: klachten.csv:4: column channel: \"duif\" is not one of"), "{t}");
    assert!(t.contains("rejected: verbeteracties.csv:4: column source: complaint \"K9\" is not in klachten.csv"), "{t}");
}

#[test]
fn the_monthly_report_counts_and_prints_the_logs() {
    let dir = data_folder("monthly");
    let out = common::tmp("voice-monthly-out");
    let o = run(&["monthly", "--data", dir.to_str().unwrap(), "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let folder = out.join("2026-10");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(folder.join("sla-rapportage-2026-10.json")).unwrap()).unwrap();
    // Every row of each log: read = used + rejected.
    let files = json["data_quality"]["accounting"]["other_files"].as_array().unwrap();
    let acc = |name: &str| {
        let f = files.iter().find(|f| f["file"] == name).unwrap();
        (f["rows_read"].as_u64().unwrap(), f["used"].as_u64().unwrap(), f["rejected"].as_u64().unwrap())
    };
    assert_eq!(acc("klachten.csv"), (4, 3, 1));
    assert_eq!(acc("verbeteracties.csv"), (3, 2, 1));
    // Domain 7: K1 and K2 received in October (K3 rejected, K4 in September).
    let kpi = |id: &str| {
        json["kpis"]["domains"].as_array().unwrap().iter().flat_map(|d| d["kpis"].as_array().unwrap().clone()).find(|k| k["id"] == id).unwrap()
    };
    assert_eq!(kpi("complaints")["figure"]["measured"], 2.0);
    assert_eq!(kpi("complaints")["figure"]["source"], "log");
    // Domain 6 is quarterly: not yet measured in October.
    assert!(kpi("improvement_actions")["figure"].is_null());
    let v = &json["voice"];
    assert_eq!(v["complaints"]["received"], 2);
    // K4 (30 September → 1 October) is listed as carried over; handling K1 2 workdays, K2 5.
    let days: Vec<i64> = v["complaints"]["complaints"].as_array().unwrap().iter().map(|c| c["handling_workdays"].as_i64().unwrap()).collect();
    assert_eq!(days, [1, 2, 5]);
    assert_eq!(v["improvement"]["implemented"][0]["id"], "V1");
    assert_eq!(v["improvement"]["due"].as_array().unwrap().len(), 0);
    assert_eq!(v["improvement"]["overdue"][0]["id"], "V2");

    let pdf = pdftotext(&folder.join("sla-rapportage-2026-10.pdf"));
    assert!(pdf.contains("=SUM(A1) #12 $40 ]@school"), "{pdf}");
    assert!(pdf.contains("Klachten en escalaties"), "{pdf}");
    assert!(pdf.contains("Klacht: K2"), "{pdf}");

    let mut wb: Xlsx<_> = open_workbook(Path::new(&folder.join("sla-rapportage-2026-10-bijlage.xlsx"))).unwrap();
    let sheet = wb.worksheet_range("Klachten").unwrap();
    let cell = sheet.get_value((2, 4)).cloned();
    assert_eq!(cell, Some(Data::String("=SUM(A1) #12 $40 ]@school".into())));
    assert!(wb.worksheet_range("Verbeteracties").is_ok());
}

/// The quarterly report's "Wijzigingen" item: the non-standard and emergency changes opened
/// in the quarter one by one, with CAB approval and outcome (a hand-made quarter).
#[test]
fn the_quarterly_report_lists_non_standard_and_emergency_changes() {
    let dir = common::tmp("voice-changes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tickets.csv"),
        "id,type,school,category,summary,priority,opened_at,resolved_at,change_class,cab_approved,change_failed\n\
         C1,change,OBS De Regenboog,netwerk,Standaard: printer toevoegen,P4,2026-07-06T09:00,2026-07-07T10:00,standard,,false\n\
         C2,change,Het Klokhuis,netwerk,Firewall vervangen #2 $x,P3,2026-08-03T09:00,2026-08-10T10:00,non_standard,true,true\n\
         C3,change,Het Klokhuis,netwerk,Switch herconfigureren,P3,2026-07-13T09:00,2026-07-14T10:00,non_standard,,false\n\
         C4,change,De Piramide,server,Spoedpatch,P2,2026-09-28T09:00,,emergency,,\n\
         C5,change,De Piramide,server,Spoedpatch vorig kwartaal,P2,2026-06-28T09:00,2026-07-02T09:00,emergency,,false\n\
         C6,change,De Piramide,server,Noodherstel,P2,2026-09-01T09:00,2026-09-01T12:00,spoed,true,\n",
    )
    .unwrap();
    let out = common::tmp("voice-changes-out");
    let o = run(&["quarterly", "--data", dir.to_str().unwrap(), "--period", "2026-Q3", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    // Every row valid ("spoed" is the Dutch word for emergency): a clean run.
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let folder = out.join("2026-Q3");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(folder.join("kwartaalrapportage-2026-Q3.json")).unwrap()).unwrap();
    let listed: Vec<(String, String, String)> = json["changes_listed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["ticket_id"].as_str().unwrap().into(), c["class"].as_str().unwrap().into(), c["outcome"].as_str().unwrap().into()))
        .collect();
    let row = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    // Non-standard first, by opening; C1 is standard, C5 opened in Q2.
    assert_eq!(
        listed,
        [
            row("C3", "non_standard", "succeeded"),
            row("C2", "non_standard", "failed"),
            row("C6", "emergency", "not_recorded"),
            row("C4", "emergency", "open"),
        ]
    );
    assert_eq!(json["changes_listed"][0]["cab_approved"], serde_json::Value::Null);
    let pdf = pdftotext(&folder.join("kwartaalrapportage-2026-Q3.pdf"));
    assert!(pdf.contains("Non-standard en spoedwijzigingen"), "{pdf}");
    assert!(pdf.contains("Firewall vervangen #2 $x"), "{pdf}");
    assert!(pdf.contains("nog niet afgerond"), "{pdf}");
}

/// A quarter of 200 non-standard changes, `cab` and `failed` per number 1–200 (the CSV's
/// cells), made into its quarterly report: the report's folder and the PDF's text (as laid
/// out, and with its white space made single spaces).
fn quarter_of_changes(name: &str, cab: impl Fn(u32) -> &'static str, failed: impl Fn(u32) -> bool) -> (std::path::PathBuf, String, String) {
    let dir = common::tmp(&format!("voice-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from("id,type,school,category,summary,priority,opened_at,resolved_at,change_class,cab_approved,change_failed\n");
    for i in 1..=200u32 {
        let (day, hour) = (1 + i / 10, 8 + i % 10);
        csv.push_str(&format!(
            "W{i:03},change,Het Klokhuis,netwerk,Wijziging {i},P3,2026-07-{day:02}T{hour:02}:00,2026-07-{:02}T{hour:02}:00,non_standard,{},{}\n",
            day + 1,
            cab(i),
            failed(i)
        ));
    }
    std::fs::write(dir.join("tickets.csv"), csv).unwrap();
    let out = common::tmp(&format!("voice-{name}-out"));
    let o = run(&["quarterly", "--data", dir.to_str().unwrap(), "--period", "2026-Q3", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let folder = out.join("2026-Q3");
    let pdf = pdftotext(&folder.join("kwartaalrapportage-2026-Q3.pdf"));
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    (folder, pdf, flat)
}

/// A quarter with more non-standard changes than the PDF lists (`CHANGES_IN_PDF`, 150): the
/// PDF lists those to discuss (failed, or without a recorded CAB approval), then the first
/// others up to 150 rows, says so in a line, and the annex lists all 200 on a sheet of their
/// own (a quarter of the demo has about 115: no such sheet, the PDF lists them all).
#[test]
fn a_quarter_with_many_changes_lists_those_to_discuss_and_the_annex_has_all() {
    // W170 failed, W180 refused by the CAB, W199 without a recorded approval.
    let cab = |i| match i { 180 => "false", 199 => "", _ => "true" };
    let (folder, pdf, flat) = quarter_of_changes("many-changes", cab, |i| i == 170);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(folder.join("kwartaalrapportage-2026-Q3.json")).unwrap()).unwrap();
    assert_eq!(json["changes_listed"].as_array().unwrap().len(), 200, "the JSON holds every one");
    // 3 to discuss, so the first 147 others: W001–W147, then W170, W180, W199.
    for shown in ["W001", "W147", "W170", "W180", "W199"] {
        assert!(pdf.contains(shown), "{shown} missing: {pdf}");
    }
    for left_out in ["W148", "W169", "W171", "W200"] {
        assert!(!pdf.contains(left_out), "{left_out} listed: {pdf}");
    }
    assert!(
        flat.contains("200 non-standard en spoedwijzigingen in totaal. Hier staan de 3 die mislukt zijn of geen vastgelegd CAB-akkoord hebben, en de eerste 147 andere; de bijlage (blad Non-standard en spoed) heeft ze alle."),
        "{flat}"
    );
    let mut wb: Xlsx<_> = open_workbook(folder.join("kwartaalrapportage-2026-Q3-bijlage.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Non-standard en spoed").unwrap();
    assert_eq!(sheet.height(), 201, "a header and every change");
    assert_eq!(sheet.get_value((148, 0)), Some(&Data::String("W148".into())));
    assert_eq!(sheet.get_value((180, 6)), Some(&Data::String("nee".into())));
    assert_eq!(sheet.get_value((170, 7)), Some(&Data::String("mislukt".into())));
    assert!(matches!(sheet.get_value((199, 6)), None | Some(Data::Empty)), "no recorded approval: an empty cell");
}

/// More changes to discuss than the PDF lists: the first 150 of them, none of the others.
#[test]
fn a_quarter_with_more_changes_to_discuss_than_the_pdf_lists_shows_the_first_of_them() {
    // 160 failed: every number but the multiples of 5; the 150th of them is W187.
    let (_, pdf, flat) = quarter_of_changes("failed-changes", |_| "true", |i| i % 5 != 0);
    for shown in ["W001", "W186", "W187"] {
        assert!(pdf.contains(shown), "{shown} missing: {pdf}");
    }
    for left_out in ["W005", "W188", "W199", "W200"] {
        assert!(!pdf.contains(left_out), "{left_out} listed: {pdf}");
    }
    assert!(
        flat.contains("200 non-standard en spoedwijzigingen in totaal, waarvan 160 mislukt of zonder vastgelegd CAB-akkoord. Hier staan de eerste 150 daarvan; de bijlage (blad Non-standard en spoed) heeft ze alle."),
        "{flat}"
    );
}

/// A quarter with more P1 incidents than the PDF lists when some owe nothing
/// (`P1S_IN_PDF`, 150): the PDF lists every P1 that owes something (a target breached, an
/// RCA late or overdue), then the first others up to 150 rows, says so in a line, and the
/// annex lists all 200 on its sheet "P1 en RCA" (a quarter of the demo has a handful: no such
/// sheet).
#[test]
fn a_quarter_with_many_p1s_lists_every_one_that_owes_and_the_annex_has_all() {
    let dir = common::tmp("voice-many-p1s");
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from("id,type,school,category,summary,priority,channel,opened_at,responded_at,resolved_at,rca_delivered_at\n");
    for i in 1..=200u32 {
        // Workdays of July 2026 from the 6th (a Monday), ten a day, in the service window.
        let day = [6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 27, 28, 29, 30, 31][(i as usize - 1) / 10];
        let hour = 9 + (i % 5);
        // PX170 resolved three days later (resolution breached), PX180 answered after two
        // hours (response breached), PX190 without an RCA (overdue on 2 November).
        let responded = if i == 180 { format!("{:02}:00", hour + 2) } else { format!("{hour:02}:05") };
        let resolved_day = if i == 170 { day + 3 } else { day };
        let rca = if i == 190 { String::new() } else { format!("2026-07-{resolved_day:02}T16:00") };
        csv.push_str(&format!(
            "PX{i:03},incident,Het Klokhuis,netwerk,Storing {i},P1,phone,2026-07-{day:02}T{hour:02}:00,2026-07-{day:02}T{responded},2026-07-{resolved_day:02}T{:02}:00,{rca}\n",
            hour + 1
        ));
    }
    std::fs::write(dir.join("tickets.csv"), csv).unwrap();
    let out = common::tmp("voice-many-p1s-out");
    let o = run(&["quarterly", "--data", dir.to_str().unwrap(), "--period", "2026-Q3", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let folder = out.join("2026-Q3");
    let pdf = pdftotext(&folder.join("kwartaalrapportage-2026-Q3.pdf"));
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    // 3 owe something, so the first 147 others: PX001–PX147, then PX170, PX180, PX190.
    for shown in ["PX001", "PX147", "PX170", "PX180", "PX190"] {
        assert!(pdf.contains(shown), "{shown} missing: {pdf}");
    }
    for left_out in ["PX148", "PX169", "PX171", "PX200"] {
        assert!(!pdf.contains(left_out), "{left_out} listed: {pdf}");
    }
    assert!(
        flat.contains("200 P1-incidenten in dit kwartaal. Hier staan alle 3 met een overschreden norm of een RCA die te laat is of ontbreekt, en de eerste 147 andere; de bijlage (blad P1 en RCA) heeft ze alle."),
        "{flat}"
    );
    let mut wb: Xlsx<_> = open_workbook(folder.join("kwartaalrapportage-2026-Q3-bijlage.xlsx")).unwrap();
    let sheet = wb.worksheet_range("P1 en RCA").unwrap();
    assert_eq!(sheet.height(), 201, "a header and every P1");
    let ids: std::collections::BTreeSet<String> = (1..=200).filter_map(|r| sheet.get_value((r, 0))).map(|v| v.to_string()).collect();
    assert_eq!(ids, (1..=200).map(|i| format!("PX{i:03}")).collect(), "every P1 once");
}
