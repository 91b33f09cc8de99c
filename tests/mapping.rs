//! Real ITSM exports through mappings: the built-in profiles (ServiceNow list and event log,
//! TOPdesk with semicolons, BOM and Windows-1252, Jira), a user's own mapping file in the
//! data folder, and XLSX input — through the library and through the binary as a user runs it.
//! The fixtures in `tests/fixtures/exports/` are written the way the vendors export.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, TimeZone, Utc};
use slarapport::contract::LoadedContract;
use slarapport::load::{load_data_dir_from, DataSet, TicketSource};
use slarapport::mapping::LoadedMapping;
use slarapport::ticket::{Level, Priority, Ticket, TicketType};

const FIX: &str = "tests/fixtures/exports";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slarapport"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run slarapport")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("slarapport-mapping-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check(dir: &str, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "--data", dir];
    if !extra.contains(&"--period") {
        args.extend_from_slice(&["--period", "2026-10", "--today", "2026-11-02"]);
    }
    args.extend_from_slice(extra);
    let o = run(&args);
    (o.status.code(), text(&o))
}

fn load(dir: &str, profile: Option<&str>) -> DataSet {
    let source = TicketSource { mapping: profile.map(|p| LoadedMapping::from_profile(p).unwrap()), file: None };
    load_data_dir_from(Path::new(dir), &LoadedContract::embedded(), &source).unwrap()
}

/// A folder named `name` with the event log of fixture folder `dir` and, as its
/// `mapping.toml`, the `servicenow` profile with `from` replaced by `to`.
fn servicenow_changed(name: &str, dir: &str, from: &str, to: &str) -> PathBuf {
    let folder = tmp(name);
    let text = slarapport::mapping::profile_text("servicenow").unwrap();
    assert!(text.contains(from), "the profile has {from:?}");
    std::fs::write(folder.join("mapping.toml"), text.replace(from, to)).unwrap();
    std::fs::copy(format!("{dir}/incident_event_log.csv"), folder.join("incident_event_log.csv")).unwrap();
    folder
}

fn ticket<'a>(d: &'a DataSet, id: &str) -> &'a Ticket {
    d.tickets.iter().find(|t| t.id == id).unwrap_or_else(|| panic!("no ticket {id}: {:?}", d.rejections))
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn contains_all(t: &str, needles: &[&str]) {
    for n in needles {
        assert!(t.contains(n), "output lacks {n:?}:\n{t}");
    }
}

// ---------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------

#[test]
fn profile_list_and_show() {
    let o = run(&["profile", "list"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    contains_all(&text(&o), &["servicenow", "topdesk", "jira"]);
    for name in ["servicenow", "topdesk", "jira"] {
        let o = run(&["profile", "show", name]);
        assert_eq!(o.status.code(), Some(0));
        let shown = String::from_utf8(o.stdout).unwrap();
        // What `show` prints is a mapping file a user can start from: it parses as one.
        let mut m = LoadedMapping::parse(&shown, "shown").unwrap();
        m.origin = format!("profile {name}");
        assert_eq!(m, LoadedMapping::from_profile(name).unwrap());
    }
    let o = run(&["profile", "show", "remedy"]);
    assert_eq!(o.status.code(), Some(2));
    contains_all(&text(&o), &["error: there is no built-in profile \"remedy\"", "hint: the profiles are: servicenow, topdesk, jira"]);
}

#[test]
fn servicenow_list_export() {
    let d = load(&format!("{FIX}/servicenow"), Some("servicenow"));
    assert_eq!(d.rows_read, 9);
    let t = ticket(&d, "INC0010001");
    assert_eq!(t.ticket_type, TicketType::Incident);
    assert_eq!(t.school, "Basisschool De Regenboog");
    assert_eq!(t.priority, Priority::P2);
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "Amsterdam summer time");
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 9, 0)));
    // The five-level scale: 5 - Planning counts as P4.
    assert_eq!(ticket(&d, "INC0010003").priority, Priority::P4);
    // A quoted field over two lines: the next record starts on line 6.
    assert_eq!(ticket(&d, "INC0010004").line, 6);
    assert_eq!(ticket(&d, "INC0010004").channel, None, "Walk-in is read as empty");
    assert!(ticket(&d, "INC0010005").out_of_scope, "Canceled is out of scope");
    let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
    assert_eq!(got, vec![(9, "priority"), (10, "opened_at")]);
    assert!(d.rejections.iter().all(|r| r.file == "incident.csv"));

    let (code, t) = check(&format!("{FIX}/servicenow"), &["--profile", "servicenow"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "mapping: profile servicenow reads incident.csv (UTF-8, comma-separated)",
        "rows read: 9, mapped: 9",
        "unmapped values in \"priority\": 1 row\n",
        "\"6 - Urgent\" × 1 (first on line 9): rejected",
        "\"Walk-in\" × 1 (first on line 6): read as empty (the map's default)",
        "unreadable timestamps in \"opened_at\": 1 row\n",
        "incident.csv:10: \"2026-13-01 10:00:00\"",
        "impact × urgency against the matrix: low × low gives P4, recorded P1: 1 ticket (e.g. INC0010006)",
        "rejected: incident.csv:9: column \"priority\": \"6 - Urgent\" is not in the value map",
        "accounting 2026-10: rows read 9 = counted 5 + excluded 2 (outside the period 1, out of scope 1) + rejected 2",
    ]);
    assert!(!t.contains("DOES NOT BALANCE"), "{t}");
}

#[test]
fn servicenow_event_log_reduced_to_tickets() {
    let d = load(&format!("{FIX}/servicenow-events"), Some("servicenow"));
    // Twelve updates of four incidents.
    assert_eq!(d.files[0].rows, 12);
    assert_eq!(d.rows_read, 4);
    let t = ticket(&d, "INC0000045");
    // Priority changed on the way (3 - Moderate → 1 - Critical): the last update counts, the
    // last by sys_mod_count (4), not the last line of the file (which holds update 3).
    assert_eq!(t.priority, Priority::P1);
    assert_eq!(t.line, 6);
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 9, 30)));
    // The first update out of New is the response.
    assert_eq!(t.responded_at, Some(utc(2026, 10, 5, 7, 50)));
    let t = ticket(&d, "INC0000047");
    assert_eq!((t.priority, t.responded_at, t.closed_at), (Priority::P4, Some(utc(2026, 10, 6, 12, 20)), Some(utc(2026, 10, 13, 8, 0))));
    let t = ticket(&d, "INC0000050");
    assert_eq!((t.responded_at, t.resolved_at), (None, None), "never left New, \"?\" is empty");
    // An update with an impossible time (31 September) rejects its ticket, on that line.
    assert_eq!(d.rejections.len(), 1);
    assert_eq!((d.rejections[0].line, d.rejections[0].column.as_str()), (13, "sys_updated_at"));
    let m = d.mapping.as_ref().unwrap();
    assert_eq!(m.priority_changes[0].path, vec!["P3", "P1"]);

    let (code, t) = check(&format!("{FIX}/servicenow-events"), &["--profile", "servicenow"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "rows read: 12 in the file; an event log: 4 tickets by number, each read from its last update by sys_mod_count",
        "responded_at         ← \"sys_updated_at\" of the first update where \"incident_state\" is not New",
        "priority changed on the way: INC0000045 (line 6): P3 → P1 — the last one counts",
        "unreadable timestamps in \"sys_updated_at\": 1",
        "incident_event_log.csv:13: \"31/9/2026 09:00\"",
        "placeholders read as empty in \"resolved_at\"",
        "accounting 2026-10: rows read 4 = counted 3 + excluded 0 (outside the period 0, out of scope 0) + rejected 1",
    ]);
}

#[test]
fn a_time_the_clocks_skip_costs_the_ticket_only_where_a_figure_uses_it() {
    // ServiceNow's auto-close ran at 02:30 on 29 March 2026, an hour Amsterdam skips: the
    // closing time is dropped with a warning and the ticket counts (no figure uses closed_at);
    // a resolution in that hour rejects its ticket, with a hint that names the setting.
    let dir = format!("{FIX}/servicenow-dst");
    let d = load(&dir, Some("servicenow"));
    assert_eq!(d.rows_read, 4);
    let t = ticket(&d, "INC0001001");
    assert_eq!((t.resolved_at, t.closed_at), (Some(utc(2026, 3, 27, 8, 0)), None));
    assert_eq!(ticket(&d, "INC0001003").closed_at, None, "closed before it was opened: dropped");
    assert_eq!(ticket(&d, "INC0001004").closed_at, None);
    let warned: Vec<(u64, &str, &str)> = d.warnings.iter().map(|w| (w.line, w.ticket_id.as_str(), w.column.as_str())).collect();
    assert_eq!(warned, vec![(5, "INC0001001", "closed_at"), (11, "INC0001003", "closed_at")]);
    let r = &d.rejections[0];
    assert_eq!((d.rejections.len(), r.line, r.column.as_str(), r.value.as_str()), (1, 8, "resolved_at", "29/3/2026 02:15"));
    assert!(r.reason.contains("2026-03-29 02:15:00 does not exist in Europe/Amsterdam"), "{}", r.reason);
    assert!(r.hint.contains("[source] dst_gap = \"shift\"") && !r.hint.contains("format"), "{}", r.hint);

    let (code, t) = check(&dir, &["--profile", "servicenow", "--period", "2026-03", "--today", "2026-04-02"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "unreadable timestamps in \"closed_at\", dropped (no figure uses the column; the tickets count): 1",
        "note: incident_event_log.csv: 2 value(s) of closed_at dropped, their tickets counted",
        "warning: incident_event_log.csv:5: ticket INC0001001: column \"closed_at\": 2026-03-29 02:30:00 does not exist in Europe/Amsterdam",
        "rejected: incident_event_log.csv:8: column \"resolved_at\"",
        "accounting 2026-03: rows read 4 = counted 3",
    ]);

    // The mapping says what such times mean: shifted by the gap, as ServiceNow does.
    let tmpdir = servicenow_changed("dst-shift", &dir, "[source]\n", "[source]\ndst_gap = \"shift\"\n");
    let d = load(tmpdir.to_str().unwrap(), None);
    assert_eq!(d.rejections, vec![]);
    assert_eq!(ticket(&d, "INC0001002").resolved_at, Some(utc(2026, 3, 29, 1, 15)), "02:15 → 03:15 summer time");
    assert_eq!(ticket(&d, "INC0001001").closed_at, Some(utc(2026, 3, 29, 1, 30)));
    assert_eq!(d.warnings.len(), 1, "only the closing before the opening: {:?}", d.warnings);
}

#[test]
fn nameless_columns_are_named_by_position_and_separator_rows_counted() {
    // Excel's "CSV (semicolon delimited)": a spacer column without a name (12), the empty
    // name after the header's trailing semicolon (21), and rows of only semicolons (one in the
    // middle, four at the end): skipped and counted, not rejected; the run is clean.
    let dir = format!("{FIX}/excel-semicolons");
    let d = load(&dir, None);
    assert_eq!((d.rows_read, d.tickets.len(), d.rejections.len()), (3, 3, 0), "{:?}", d.rejections);
    assert_eq!(ticket(&d, "BSD-000103").line, 5, "the empty row in the middle keeps the lines true");
    let m = d.mapping.as_ref().unwrap();
    assert_eq!(m.ignored_columns, ["Status", "column 12", "Behandelgroep", "Behandelaar", "Aanmelder", "Afdeling", "Aantal doorzettingen", "Heropend", "SLA gehaald", "column 21"]);
    let (code, t) = check(&dir, &[]);
    assert_eq!(code, Some(0), "{t}");
    contains_all(&t, &[
        "columns not used (10): Status, column 12, Behandelgroep, Behandelaar, Aanmelder, Afdeling, Aantal doorzettingen, Heropend, SLA gehaald, column 21",
        "note: export.csv: 5 row(s) with no values (only separators) skipped",
        "accounting 2026-10: rows read 3 = counted 3",
    ]);
    assert!(!t.contains(", ,") && !t.contains(": ,"), "no empty entry in a list of columns: {t}");

    // The same as a workbook: a header cell left empty, rows whose cells hold only spaces.
    use Cell::*;
    let xdir = tmp("xlsx-nameless");
    let header = ["id", "type", "school", "", "category", "priority", "opened_at"];
    let row = |id: &'static str| vec![S(id), S("incident"), S("S"), S("x"), S("netwerk"), S("P3"), S("2026-10-05T09:00")];
    write_xlsx(&xdir.join("tickets.xlsx"), "tickets", &header, &[row("T1"), vec![S(" "), S(" "), S(" ")], row("T2"), vec![S(" ")], vec![S("  ")]]);
    let d = load(xdir.to_str().unwrap(), None);
    assert_eq!((d.rows_read, d.tickets.len()), (2, 2), "{:?}", d.rejections);
    assert_eq!(ticket(&d, "T2").line, 4);
    assert!(d.notes.iter().any(|n| n == "tickets.xlsx: 3 row(s) with no values (only empty cells) skipped"), "{:?}", d.notes);
    assert!(d.notes.iter().any(|n| n == "tickets.xlsx: columns ignored because slarapport does not use them: column 4"), "{:?}", d.notes);
}

#[test]
fn topdesk_semicolons_decimal_comma_and_bom() {
    let d = load(&format!("{FIX}/topdesk"), Some("topdesk"));
    assert_eq!(d.rows_read, 6);
    let t = ticket(&d, "I 2610 001");
    assert_eq!((t.ticket_type, t.priority, t.school.as_str()), (TicketType::Incident, Priority::P2, "OBS De Vuurtoren"));
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30));
    assert_eq!(t.responded_at, Some(utc(2026, 10, 5, 7, 40)));
    let t = ticket(&d, "I 2610 002");
    assert_eq!((t.ticket_type, t.priority), (TicketType::ServiceRequest, Priority::P4), "Zeer laag counts as P4");
    assert_eq!(t.opened_at, utc(2026, 10, 6, 8, 15), "seconds in the time are fine");
    assert_eq!(t.closed_at, None, "\"-\" is empty");
    // A semicolon inside a quoted field stays in the field.
    assert_eq!(ticket(&d, "I 2610 003").summary, "Beamer; geen beeld");
    let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
    assert_eq!(got, vec![(5, "Soort melding"), (7, "Datum afgemeld")]);

    let (code, t) = check(&format!("{FIX}/topdesk"), &["--profile", "topdesk"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "(UTF-8 (with BOM), semicolon-separated)",
        "\"Klacht\" × 1 (first on line 5): rejected",
        // The rejection names the user's file, line and column, and their value.
        "rejected: incidenten.csv:7: column \"Datum afgemeld\": Datum afgemeld lies before Datum melding (12-10-2026 09:00) (value \"10-10-2026 16:00\")",
        "columns not used (4): Aanmelder, Operatorgroep, Onhold duur (uren), Status",
        "accounting 2026-10: rows read 6 = counted 4 + excluded 0 (outside the period 0, out of scope 0) + rejected 2",
    ]);
}

#[test]
fn topdesk_windows_1252() {
    let bytes = std::fs::read(format!("{FIX}/topdesk-ansi/incidenten.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is Windows-1252, not UTF-8");
    let d = load(&format!("{FIX}/topdesk-ansi"), Some("topdesk"));
    assert_eq!(d.rejections, vec![]);
    let t = ticket(&d, "I 2610 101");
    assert_eq!(t.school, "Prinses Máximaschool");
    assert_eq!(t.subcategory, "Printers & kopiëren");
    assert_eq!(ticket(&d, "I 2610 102").summary, "Licentie voor tekenprogramma’s");
    let (code, t) = check(&format!("{FIX}/topdesk-ansi"), &["--profile", "topdesk"]);
    assert_eq!(code, Some(0), "{t}");
    contains_all(&t, &["windows-1252 (not UTF-8, so read as Windows-1252), semicolon-separated"]);
}

#[test]
fn jira_export() {
    let d = load(&format!("{FIX}/jira"), Some("jira"));
    let t = ticket(&d, "DHS-101");
    assert_eq!((t.ticket_type, t.priority), (TicketType::Incident, Priority::P2));
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "05/Oct/26 9:30 AM, Amsterdam");
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 11, 15)), "05/Oct/26 1:15 PM");
    assert_eq!(t.school, "OBS De Vuurtoren");
    assert_eq!(t.category, "Report a system problem");
    // Component/s comes twice; the first column is empty here, the second holds it.
    assert_eq!(t.subcategory, "Netwerk");
    assert_eq!(t.responded_at, None, "Jira's SLA columns are no time stamps");
    // Five levels onto four.
    assert_eq!(ticket(&d, "DHS-102").priority, Priority::P4, "Lowest");
    assert_eq!(ticket(&d, "DHS-102").ticket_type, TicketType::ServiceRequest);
    assert_eq!(ticket(&d, "DHS-103").priority, Priority::P1, "Highest");
    let got: Vec<(u64, &str, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str(), r.value.as_str())).collect();
    assert_eq!(got, vec![(5, "Issue Type", "Problem")]);

    let (code, t) = check(&format!("{FIX}/jira"), &["--profile", "jira"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "not in this export: responded_at (no column Custom field ([CHART] Date of First Response) / Custom field (Date of First Response) / Date of First Response), channel, closed_at",
        "impact × urgency against the matrix: high × high gives P1, recorded P2: 1 ticket (e.g. DHS-101)",
        "accounting 2026-10: rows read 4 = counted 3 + excluded 0 (outside the period 0, out of scope 0) + rejected 1",
    ]);
}

// ---------------------------------------------------------------------------------------
// A user's own mapping
// ---------------------------------------------------------------------------------------

#[test]
fn own_mapping_in_the_data_folder() {
    // DATA/mapping.toml is used without a flag; its [source] file names the export.
    let d = load(&format!("{FIX}/custom"), None);
    let t = ticket(&d, "M-1");
    assert_eq!(t.school, "De Regenboog - Hoofdgebouw", "school from a template");
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "Excel serial date with a decimal comma, Amsterdam");
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 8, 30)), "this column is in UTC");
    assert_eq!(t.priority, Priority::P1, "no priority column: the matrix gives it");
    let t = ticket(&d, "M-2");
    assert_eq!((t.ticket_type, t.priority, t.resolved_at), (TicketType::ServiceRequest, Priority::P4, None));
    assert_eq!(ticket(&d, "M-3").school, "Duinoord", "\"#N/B\" is empty, and so is its separator");
    let got: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str())).collect();
    assert_eq!(got, vec![(5, "Spoed"), (6, "Aangemeld")]);

    let (code, t) = check(&format!("{FIX}/custom"), &[]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "reads meldingen.tsv (UTF-8, tab-separated)",
        "school               ← template \"{Vestiging} - {Locatie}\"",
        "\"Super\" × 1 (first on line 5): rejected",
        "meldingen.tsv:6: \"gisteren\" does not match an Excel serial date",
        "placeholders read as empty in \"Locatie\": 1",
        "accounting 2026-10: rows read 5 = counted 3 + excluded 0 (outside the period 0, out of scope 0) + rejected 2",
    ]);
}

#[test]
fn event_log_priority_last_or_first_and_first_times_by_order() {
    // INC0002001 went from P3 to P1 on update 2 (impact and urgency with it), INC0002002 from
    // P2 to P4; the file holds INC0002001's update 2 (line 3) before update 1 (line 4).
    let dir = format!("{FIX}/servicenow-events-priority");
    let d = load(&dir, Some("servicenow"));
    let t = ticket(&d, "INC0002001");
    assert_eq!(t.priority, Priority::P1, "the last priority counts by default");
    assert_eq!(t.line, 5);
    // "First" is first by sys_mod_count: update 1 (line 4, 09:15), not line 3 (09:40).
    assert_eq!(t.responded_at, Some(utc(2026, 10, 5, 7, 15)));
    assert_eq!(ticket(&d, "INC0002002").priority, Priority::P4);
    // A first-update time before the opening rejects the ticket on the line holding it (11),
    // not on its last update's line (12).
    let r = &d.rejections[0];
    assert_eq!((d.rejections.len(), r.line, r.value.as_str()), (1, 11, "7/10/2026 09:05"));
    assert!(r.reason.contains("lies before opened_at"), "{}", r.reason);
    let (code, t) = check(&dir, &["--profile", "servicenow"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "priority changed on the way: INC0002001 (line 5): P3 → P1 — the last one counts",
        "priority along the event log: the last one counts ([events] priority = \"last\"); \"first\" would move 2 tickets: P1 → P3 1, P4 → P2 1",
        "tickets per priority, \"last\" / \"first\": P1 1 / 0, P2 0 / 1, P3 0 / 1, P4 3 / 2",
        "placeholders read as empty in \"resolved_at\": 10 update rows (of the log's updates, not tickets)",
        "rejected: incident_event_log.csv:11: column",
    ]);

    // [events] priority = "first": the priority the ticket was opened with, with that
    // update's impact and urgency (so the matrix still agrees).
    let tmpdir = servicenow_changed("priority-first", &dir, "priority = \"last\"", "priority = \"first\"");
    let d = load(tmpdir.to_str().unwrap(), None);
    let t = ticket(&d, "INC0002001");
    assert_eq!((t.priority, t.impact, t.urgency), (Priority::P3, Some(Level::Medium), Some(Level::Medium)));
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 9, 0)), "every other field still from the last update");
    let t = ticket(&d, "INC0002002");
    assert_eq!((t.priority, t.impact, t.urgency), (Priority::P2, Some(Level::High), Some(Level::Medium)));
    assert_eq!(ticket(&d, "INC0002003").priority, Priority::P4);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let (_, t) = check(tmpdir.to_str().unwrap(), &[]);
    contains_all(&t, &[
        "priority changed on the way: INC0002001 (line 5): P3 → P1 — the first one counts",
        "the first one counts ([events] priority = \"first\"); \"last\" would move 2 tickets: P2 → P4 1, P3 → P1 1",
        "impact × urgency against the matrix: no contradictions",
    ]);
    let e = LoadedMapping::parse(&slarapport::mapping::profile_text("servicenow").unwrap().replace("priority = \"last\"", "priority = \"highest\""), "t").unwrap_err();
    assert!(e.message.contains("[events] priority = \"highest\" is not one of \"last\", \"first\""), "{e}");
}

#[test]
fn own_event_log_ordered_by_time() {
    let d = load(&format!("{FIX}/custom-events"), None);
    assert_eq!(d.rows_read, 3);
    let t = ticket(&d, "T-7");
    // Updates out of order in the file: by time, Nieuw 09:00, In behandeling 09:45,
    // Opgelost 16:00, Opgelost again the next day (the last update).
    assert_eq!(t.responded_at, Some(utc(2026, 10, 5, 7, 45)));
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 14, 0)), "the first time it was resolved");
    assert_eq!(t.priority, Priority::P2);
    assert_eq!(t.line, 5);
    assert_eq!(ticket(&d, "T-8").responded_at, None);
    // A row without a ticket key is rejected, not dropped.
    assert_eq!((d.rejections[0].line, d.rejections[0].column.as_str()), (7, "Ticket"));
}

#[test]
fn mapping_mistakes_stop_the_run() {
    let dir = tmp("bad-mapping");
    std::fs::copy(format!("{FIX}/topdesk/incidenten.csv"), dir.join("incidenten.csv")).unwrap();
    let m = dir.join("m.toml");
    std::fs::write(&m, "[columns]\nid = \"Incidentnummer\"\ntype = { value = \"incident\" }\nschool = \"Vestiging\"\ncategory = \"Categorie\"\nopened_at = { column = \"Datum melding\", fromat = \"%d-%m-%Y\" }\npriority = \"Prioriteit\"\n").unwrap();
    let (code, t) = check(dir.to_str().unwrap(), &["--mapping", m.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{t}");
    contains_all(&t, &["error: mapping", "[columns] opened_at", "fromat"]);
    // A column the export does not have: the error lists the columns it does have.
    std::fs::write(&m, "[columns]\nid = \"Incidentnummer\"\ntype = { value = \"incident\" }\nschool = \"School\"\ncategory = \"Categorie\"\nopened_at = \"Datum melding\"\npriority = \"Prioriteit\"\n").unwrap();
    let (code, t) = check(dir.to_str().unwrap(), &["--mapping", m.to_str().unwrap(), "--tickets", dir.join("incidenten.csv").to_str().unwrap()]);
    assert_eq!(code, Some(2), "{t}");
    contains_all(&t, &["error: incidenten.csv has no column \"School\"", "hint: the columns of incidenten.csv are: Incidentnummer, Datum melding"]);
    // Two exports in the folder and none named: say so, do not guess.
    std::fs::copy(format!("{FIX}/jira/Jira.csv"), dir.join("Jira.csv")).unwrap();
    let (code, t) = check(dir.to_str().unwrap(), &["--profile", "topdesk"]);
    assert_eq!(code, Some(2), "{t}");
    contains_all(&t, &["several files that could be the export: Jira.csv, incidenten.csv", "--tickets FILE"]);
}

// ---------------------------------------------------------------------------------------
// XLSX input
// ---------------------------------------------------------------------------------------

fn write_xlsx(path: &Path, sheet: &str, header: &[&str], rows: &[Vec<Cell>]) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    let date = Format::new().set_num_format("dd-mm-yyyy hh:mm");
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                Cell::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                Cell::D(d) => {
                    ws.write_datetime_with_format(r, c, &ExcelDateTime::parse_from_str(d).unwrap(), &date).unwrap();
                }
                Cell::Empty => {}
            }
        }
    }
    wb.save(path).unwrap();
}

enum Cell {
    S(&'static str),
    N(f64),
    D(&'static str),
    Empty,
}

#[test]
fn topdesk_xlsx_with_real_dates() {
    use Cell::*;
    let dir = tmp("xlsx-topdesk");
    let header = ["Incidentnummer", "Datum melding", "Vestiging", "Soort melding", "Binnenkomst", "Categorie", "Impact", "Urgentie", "Prioriteit", "Datum afgemeld"];
    write_xlsx(
        &dir.join("incidenten.xlsx"),
        "Incidenten",
        &header,
        &[
            vec![N(2610201.0), D("2026-10-05 09:30:00"), S("Prinses Máximaschool"), S("Storing"), S("Telefonisch"), S("Netwerk"), S("Hoog"), S("Hoog"), S("Kritiek"), D("2026-10-05 10:45:00")],
            vec![N(2610202.0), S("06-10-2026 10:00"), S("OBS De Vuurtoren"), S("Aanvraag"), S("E-mail"), S("Software"), S("Laag"), S("Laag"), S("Laag"), Empty],
            vec![N(2610203.0), S("morgen"), S("OBS De Vuurtoren"), S("Aanvraag"), S("E-mail"), S("Software"), S("Laag"), S("Laag"), S("Laag"), Empty],
        ],
    );
    let d = load(dir.to_str().unwrap(), Some("topdesk"));
    let t = ticket(&d, "2610201");
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "a real Excel date, Amsterdam time");
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 8, 45)));
    assert_eq!((t.priority, t.school.as_str()), (Priority::P1, "Prinses Máximaschool"));
    assert_eq!(ticket(&d, "2610202").opened_at, utc(2026, 10, 6, 8, 0), "a date typed as text");
    // Sheet rows are the line numbers: the header is row 1.
    assert_eq!((d.rejections[0].file.as_str(), d.rejections[0].line, d.rejections[0].column.as_str()), ("incidenten.xlsx", 4, "Datum melding"));

    let (code, t) = check(dir.to_str().unwrap(), &["--profile", "topdesk"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "mapping: profile topdesk reads incidenten.xlsx (sheet Incidenten)",
        "rejected: incidenten.xlsx:4: column \"Datum melding\"",
        "accounting 2026-10: rows read 3 = counted 2 + excluded 0 (outside the period 0, out of scope 0) + rejected 1",
    ]);
    // And the report is made from it.
    let out = dir.join("out");
    let o = run(&["monthly", "--data", dir.to_str().unwrap(), "--profile", "topdesk", "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let acc = &json["data_quality"]["accounting"];
    assert_eq!((acc["rows_read"].as_u64(), acc["rejected"].as_u64(), acc["balanced"].as_bool()), (Some(3), Some(1), Some(true)));
    assert_eq!(json["data_quality"]["rejections"][0]["file"], "incidenten.xlsx");
}

#[test]
fn canonical_tickets_xlsx_when_there_is_no_csv() {
    use Cell::*;
    let dir = tmp("xlsx-canonical");
    let header = ["id", "type", "school", "category", "priority", "channel", "opened_at", "responded_at", "resolved_at"];
    write_xlsx(
        &dir.join("tickets.xlsx"),
        "tickets",
        &header,
        &[
            vec![S("T1"), S("incident"), S("S"), S("netwerk"), S("P2"), S("phone"), D("2026-10-05 09:00:00"), D("2026-10-05 09:30:00"), D("2026-10-05 12:00:00")],
            vec![S("T2"), S("incident"), S("S"), S("netwerk"), S("P9"), S("phone"), S("2026-10-06T09:00"), Empty, Empty],
        ],
    );
    let d = load(dir.to_str().unwrap(), None);
    assert_eq!(d.files[0].name, "tickets.xlsx");
    assert_eq!(ticket(&d, "T1").responded_at, Some(utc(2026, 10, 5, 7, 30)));
    assert_eq!((d.rejections[0].line, d.rejections[0].column.as_str()), (3, "priority"));
    let (code, t) = check(dir.to_str().unwrap(), &[]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &["rejected: tickets.xlsx:3: column priority", "accounting 2026-10: rows read 2 = counted 1"]);
}

#[test]
fn monthly_report_from_a_servicenow_export() {
    let out = tmp("servicenow-monthly");
    let o = run(&["monthly", "--data", &format!("{FIX}/servicenow"), "--profile", "servicenow", "--period", "2026-10", "--today", "2026-11-02", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    contains_all(&text(&o), &["rows read 9: counted 5, excluded 2 (outside the period 1, out of scope 1), rejected 2"]);
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/sla-rapportage-2026-10.json")).unwrap()).unwrap();
    let acc = &json["data_quality"]["accounting"];
    assert_eq!(acc["balanced"], true);
    assert_eq!(acc["other_files"].as_array().unwrap().len(), 0, "the export is the ticket file, not another file");
    let notes: Vec<&str> = json["data_quality"]["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes.iter().any(|n| n.contains("tickets read with the mapping profile servicenow")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("\"Walk-in\" × 1 read as empty")), "{notes:?}");
    // KPI figures computed from the tickets name the export as their source.
    let details: Vec<&str> = json["kpis"]["domains"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["kpis"].as_array().unwrap())
        .filter(|k| k["figure"]["source"] == "tickets")
        .map(|k| k["figure"]["detail"].as_str().unwrap())
        .collect();
    assert!(!details.is_empty() && details.iter().all(|d| *d == "incident.csv"), "{details:?}");
}

#[test]
fn rca_of_a_p1_from_a_servicenow_export() {
    // INC0010002 is a "1 - Critical" incident resolved on 6 October; there is no RCA file
    // for it, so the document is a draft (exit 1) that names the ticket.
    let out = tmp("servicenow-rca");
    let o = run(&["rca", "--data", &format!("{FIX}/servicenow"), "--profile", "servicenow", "--ticket", "INC0010002", "--today", "2026-10-20", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let pdf = std::fs::read_dir(out.join("rca")).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "pdf")).expect("an RCA PDF");
    let json = pdf.with_extension("json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    // The export's row, mapped: "1 - Critical" is P1, Phone the channel, no response time
    // (the resolution counts as the response), 08:15 → 09:45 is 90 minutes of service time.
    assert_eq!((&doc["status"], &doc["missing"]), (&serde_json::json!("draft"), &serde_json::json!(["file"])), "{doc}");
    assert_eq!(
        doc["ticket"],
        serde_json::json!({
            "id": "INC0010002", "ticket_type": "incident", "school": "Het Haags Lyceum", "category": "Identity",
            "subcategory": "SSO", "summary": "Hele school kan niet inloggen", "channel": "phone", "impact": "high",
            "urgency": "high", "priority": "P1", "matrix_priority": null, "not_by_phone": false,
            "opened_at": "2026-10-06T08:15", "responded_at": null, "response_derived": true, "escalated_at": null,
            "resolved_at": "2026-10-06T09:45", "closed_at": null, "elapsed_minutes": 90
        })
    );
    // Without the profile the export is not a tickets.csv: the run stops with a hint.
    let o = run(&["rca", "--data", &format!("{FIX}/servicenow"), "--ticket", "INC0010002", "--today", "2026-10-20", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--profile servicenow"), "{}", text(&o));
}

// ---------------------------------------------------------------------------------------
// Real exports: the header, quoting and time format of exports that ServiceNow and Jira
// wrote (each fixture's PROVENANCE.md says where from); the rows are invented.
// ---------------------------------------------------------------------------------------

/// The tickets of `dir` read with the mapping `text` (as a user's own mapping file).
fn load_mapped(dir: &str, text: &str) -> DataSet {
    let source = TicketSource { mapping: Some(LoadedMapping::parse(text, "test mapping").unwrap()), file: None };
    load_data_dir_from(Path::new(dir), &LoadedContract::embedded(), &source).unwrap()
}

/// `text` written as `mapping.toml` in a fresh folder `name`, for `check --mapping`.
fn mapping_file(name: &str, text: &str) -> String {
    let file = tmp(name).join("mapping.toml");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

/// `check` of fixture `dir` with built-in `profile` stops (exit 2), saying `needles`.
fn stops(dir: &str, profile: &str, needles: &[&str]) {
    let (code, t) = check(dir, &["--profile", profile]);
    assert_eq!(code, Some(2), "{t}");
    contains_all(&t, needles);
}

#[test]
fn servicenow_list_export_as_an_instance_writes_it() {
    // The incident list as exported: field names, every value quoted, times as
    // yyyy-MM-dd HH:mm:ss. Its columns lack category and location: the profile stops.
    let dir = format!("{FIX}/servicenow-list");
    stops(&dir, "servicenow", &[
        "error: incident.csv has no column \"category\" or \"Category\" (the mapping profile servicenow reads category from it)",
        "hint: the columns of incident.csv are: number, opened_at, short_description, caller_id, priority, state, assignment_group, assigned_to",
    ]);

    // With Category and Location added to the list before exporting (ServiceNow appends
    // them), every row reads.
    let folder = tmp("servicenow-list");
    let schools = ["OBS De Vuurtoren", "Het Haags Lyceum", "Montessorischool Duinoord"];
    let export: String = std::fs::read_to_string(format!("{dir}/incident.csv"))
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 0 { format!("{l},\"category\",\"location\"\n") } else { format!("{l},\"Network\",\"{}\"\n", schools[i % 3]) })
        .collect();
    std::fs::write(folder.join("incident.csv"), export).unwrap();
    let d = load(folder.to_str().unwrap(), Some("servicenow"));
    assert_eq!((d.rows_read, d.tickets.len()), (12, 12), "{:?}", d.rejections);
    let t = ticket(&d, "INC0010201");
    assert_eq!(t.opened_at, utc(2026, 10, 1, 6, 12) + chrono::Duration::seconds(44), "2026-10-01 08:12:44, Amsterdam summer time");
    assert_eq!((t.priority, t.school.as_str(), t.category.as_str()), (Priority::P2, "Montessorischool Duinoord", "Network"));
    assert_eq!(t.summary, "Wifi valt weg in lokaal 12");
    assert_eq!(ticket(&d, "INC0010211").opened_at, utc(2026, 10, 26, 7, 30), "08:30 the day after the clocks went back");
    let priorities: Vec<(&str, Priority)> = d.tickets.iter().map(|t| (t.id.as_str(), t.priority)).collect();
    assert_eq!(priorities, vec![
        ("INC0010212", Priority::P3), ("INC0010201", Priority::P2), ("INC0010202", Priority::P4), ("INC0010203", Priority::P1),
        ("INC0010204", Priority::P3), ("INC0010205", Priority::P4), ("INC0010206", Priority::P3), ("INC0010207", Priority::P4),
        ("INC0010208", Priority::P2), ("INC0010209", Priority::P4), ("INC0010210", Priority::P3), ("INC0010211", Priority::P4),
    ], "1 - Critical … 4 - Low, and 5 - Planning as P4");
    // New, In Progress, On Hold and Closed are no cancellations; a list export without
    // the Resolved column has no resolution time, not even for a closed incident.
    assert!(d.tickets.iter().all(|t| !t.out_of_scope && t.resolved_at.is_none() && t.channel.is_none()));

    let (code, t) = check(folder.to_str().unwrap(), &["--profile", "servicenow"]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "resolved_at (no column resolved_at / Resolved)",
        "columns not used (3): caller_id, assignment_group, assigned_to",
        "unmapped values: none",
        "unreadable timestamps: none",
        "accounting 2026-10: rows read 12 = counted 12 + excluded 0 (outside the period 0, out of scope 0) + rejected 0",
    ]);
}

#[test]
fn servicenow_list_with_labels_and_the_month_first() {
    // A customised instance's list, exported with its labels and its user's MM-dd-yyyy.
    let dir = format!("{FIX}/servicenow-list-labels");
    stops(&dir, "servicenow", &["error: incident.csv has no column \"category\" or \"Category\" (the mapping profile servicenow reads category from it)"]);

    // The user's own mapping, started from the profile (whose formats read the day first).
    let mapping = r#"
        [source]
        timezone = "Europe/Amsterdam"
        format = ["%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"]
        [columns]
        id = "Number"
        type = { value = "incident" }
        school = "User location"
        category = "Incident CI type"
        priority = { column = "Urgency", map = "urgency" }
        opened_at = "Created"
        [maps.urgency]
        "1 - Critical" = "P1"
        "2 - High" = "P2"
        "3 - Medium" = "P3"
        "4 - Low" = "P4"
    "#;
    let d = load_mapped(&dir, mapping);
    // 10-05-2026 is 5 October; read day first it is 10 May: the hazard the rejections name.
    assert_eq!(ticket(&d, "INC0040103").opened_at, utc(2026, 5, 10, 7, 30));
    let rejected: Vec<(u64, &str)> = d.rejections.iter().map(|r| (r.line, r.value.as_str())).collect();
    assert_eq!(rejected, vec![
        (6, "10-13-2026 07:58:31"), (7, "10-14-2026 08:02:11"), (8, "10-19-2026 11:31:17"), (9, "10-21-2026 14:09:52"),
        (10, "10-23-2026 15:44:29"), (11, "10-26-2026 08:30:00"), (12, "10-30-2026 16:55:58"),
    ]);
    assert!(
        d.rejections[0].reason.ends_with(
            "it has the month first, read by \"%m-%d-%Y %H:%M:%S\" (and the values of this column that %d-%m-%Y %H:%M:%S did read, with a day up to 12, were read with day and month swapped)"
        ),
        "{}",
        d.rejections[0].reason
    );

    // With the format the rejection names, every row reads, and 10-05-2026 is October.
    let month_first = mapping.replace(r#"format = ["%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"]"#, r#"format = "%m-%d-%Y %H:%M:%S""#);
    let d = load_mapped(&dir, &month_first);
    assert_eq!((d.tickets.len(), d.rejections.len()), (12, 0), "{:?}", d.rejections);
    assert_eq!(ticket(&d, "INC0040103").opened_at, utc(2026, 10, 5, 7, 30));
    assert_eq!(ticket(&d, "INC0040110").opened_at, utc(2026, 10, 26, 7, 30), "after the clocks went back");
    let t = ticket(&d, "INC0040102");
    assert_eq!((t.priority, t.school.as_str(), t.category.as_str()), (Priority::P3, "Het Haags Lyceum", "Infrastructure Application"));
    // Excel's US dates: the same note, with the format of what the value holds.
    let us = tmp("servicenow-labels-us");
    let header = std::fs::read_to_string(format!("{dir}/incident.csv")).unwrap().lines().next().unwrap().to_string();
    let row = r#""INC0040201","New","3/17/2026 6:04 PM","3/17/2026 6:04 PM","Computer","","OBS De Vuurtoren","","","4 - Low","3 - Low","","""#;
    std::fs::write(us.join("incident.csv"), format!("{header}\n{row}\n")).unwrap();
    let d = load_mapped(us.to_str().unwrap(), mapping);
    assert_eq!(d.rejections.len(), 1);
    assert!(d.rejections[0].reason.ends_with("; it has the month first, read by \"%m/%d/%Y %I:%M %p\""), "{}", d.rejections[0].reason);

    let (code, t) = check(&dir, &["--mapping", &mapping_file("servicenow-labels", &month_first)]);
    assert_eq!(code, Some(0), "{t}");
    contains_all(&t, &[
        "columns not used (8): State, Last update, Affected User, Assignment Group, Assigned to, Severity, Created By, Updated By",
        "accounting 2026-10: rows read 12 = counted 11 + excluded 1 (outside the period 1, out of scope 0) + rejected 0",
    ]);
}

#[test]
fn jira_cloud_export_of_a_site_with_service_management() {
    // A Jira Cloud "Export CSV (all fields)": 155 columns, several of the same name.
    let dir = format!("{FIX}/jira-cloud");
    stops(&dir, "jira", &[
        "error: Jira.csv has no column \"Custom field (Organizations)\" or \"Organizations\" (the mapping profile jira reads school from it)",
        "Custom field (Customer ( if any))",
    ]);

    // The site keeps the school in its own field: the user's mapping adds it to the list.
    let profile = slarapport::mapping::profile_text("jira").unwrap();
    let from = r#"school = ["Custom field (Organizations)", "Organizations"]"#;
    assert!(profile.contains(from));
    let mapping = profile.replace(from, r#"school = ["Custom field (Organizations)", "Organizations", "Custom field (Customer ( if any))"]"#);
    let d = load_mapped(&dir, &mapping);
    assert_eq!((d.rows_read, d.tickets.len()), (12, 11));
    let t = ticket(&d, "SD-201");
    assert_eq!((t.ticket_type, t.priority, t.impact), (TicketType::Incident, Priority::P2, Some(Level::High)));
    assert_eq!((t.school.as_str(), t.category.as_str()), ("OBS De Vuurtoren", "Report a system problem"));
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "05/Oct/26 9:30 AM");
    assert_eq!(t.resolved_at, Some(utc(2026, 10, 5, 11, 15)), "05/Oct/26 1:15 PM");
    assert_eq!(t.responded_at, Some(utc(2026, 10, 5, 7, 52) + chrono::Duration::seconds(41)), "[CHART] Date of First Response 2026-10-05 09:52:41.207, to the second");
    // 12:40 AM is just after midnight, 12:10 PM just after noon.
    assert_eq!(ticket(&d, "SD-203").opened_at, utc(2026, 10, 6, 22, 40), "07/Oct/26 12:40 AM");
    assert_eq!(ticket(&d, "SD-203").priority, Priority::P1, "Highest");
    assert_eq!(ticket(&d, "SD-203").impact, Some(Level::High), "Extensive / Widespread");
    assert_eq!(ticket(&d, "SD-204").opened_at, utc(2026, 10, 8, 10, 10), "08/Oct/26 12:10 PM");
    assert_eq!(ticket(&d, "SD-202").priority, Priority::P4, "Lowest");
    assert_eq!(ticket(&d, "SD-209").ticket_type, TicketType::Change);
    assert_eq!(ticket(&d, "SD-210").resolved_at, Some(utc(2026, 10, 27, 13, 5)), "27/Oct/26 2:05 PM, winter time");
    // Ticket text is data: a summary starting with = keeps its characters.
    assert_eq!(ticket(&d, "SD-208").summary, "=Mail komt niet aan bij \"ouders\" #2");
    let got: Vec<(u64, &str, &str)> = d.rejections.iter().map(|r| (r.line, r.column.as_str(), r.value.as_str())).collect();
    assert_eq!(got, vec![(7, "Issue Type", "Bug")], "a description over two lines: SD-205 is on line 7");

    let (code, t) = check(&dir, &["--mapping", &mapping_file("jira-cloud", &mapping)]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "responded_at         ← \"Custom field ([CHART] Date of First Response)\"",
        "not in this export: subcategory (no column Component/s / Components), urgency (no column Custom field (Urgency) / Urgency), channel, closed_at",
        "\"Bug\" × 1 (first on line 7): rejected",
        "accounting 2026-10: rows read 12 = counted 11 + excluded 0 (outside the period 0, out of scope 0) + rejected 1",
    ]);
}

#[test]
fn jira_export_in_another_language_than_english() {
    // Jira heads the columns in the exporting user's language; only the names inside
    // "Custom field (…)" stay as the site named them.
    stops(&format!("{FIX}/jira-servicedesk-es"), "jira", &[
        "error: Jira.csv has no column \"Custom field (Request Type)\" or \"Request Type\" (the mapping profile jira reads category from it)",
        "hint: the columns of Jira.csv are: Resumen, Clave de incidencia, ID de la incidencia, Tipo de Incidencia, Estado,",
        "Campo personalizado (Impact)",
    ]);
}

#[test]
fn jira_excel_csv_export_with_bom_crlf_and_the_month_first() {
    // Jira Cloud's "Export Excel CSV (current fields)": BOM, CRLF, times as 10/5/2026 9:30,
    // and only the columns on screen (no Resolved, no Organizations, no Request Type).
    let dir = format!("{FIX}/jira-excel-csv");
    stops(&dir, "jira", &["error: Jira Export.csv has no column \"Custom field (Request Type)\" or \"Request Type\" (the mapping profile jira reads category from it)"]);

    // A user's mapping for one school, the epics as categories.
    let profile = slarapport::mapping::profile_text("jira").unwrap();
    let mapping = profile
        .replace(r#"school = ["Custom field (Organizations)", "Organizations"]"#, r#"school = { value = "OBS De Vuurtoren" }"#)
        .replace(r#"category = ["Custom field (Request Type)", "Request Type"]"#, r#"category = "Parent summary""#);
    assert_ne!(mapping, profile);
    let d = load_mapped(&dir, &mapping);
    assert_eq!((d.rows_read, d.tickets.len(), d.rejections.len()), (12, 12, 0), "{:?}", d.rejections);
    let t = ticket(&d, "SD-303");
    assert_eq!((t.priority, t.category.as_str(), t.line), (Priority::P1, "Netwerk", 4));
    assert_eq!(t.opened_at, utc(2026, 10, 5, 7, 30), "10/5/2026 9:30 is 5 October");
    assert_eq!(ticket(&d, "SD-305").opened_at, utc(2026, 10, 12, 14, 20), "10/12/2026 16:20");
    assert_eq!(ticket(&d, "SD-310").opened_at, utc(2026, 10, 26, 7, 30), "10/26/2026 8:30, winter time");
    assert_eq!(ticket(&d, "SD-312").opened_at, utc(2026, 11, 2, 8, 5), "11/2/2026 9:05");
    assert_eq!(ticket(&d, "SD-306").priority, Priority::P4, "Lowest");
    assert!(d.tickets.iter().all(|t| t.resolved_at.is_none()), "the current fields hold no Resolved");

    let (code, t) = check(&dir, &["--mapping", &mapping_file("jira-excel-csv", &mapping)]);
    assert_eq!(code, Some(1), "{t}");
    contains_all(&t, &[
        "reads Jira Export.csv (UTF-8 (with BOM), comma-separated)",
        "resolved_at (no column Resolved)",
        "unreadable timestamps: none",
        "accounting 2026-10: rows read 12 = counted 11 + excluded 1 (outside the period 1, out of scope 0) + rejected 0",
    ]);
}
