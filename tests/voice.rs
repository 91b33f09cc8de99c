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
