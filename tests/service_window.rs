//! A contract with service every day from 00:00 to 23:59 (`tests/fixtures/all-week`, its
//! `contract.toml` beside the tickets) through the binary: tickets across both daylight saving
//! changes of 2026 and over midnight, their business minutes worked out by hand from the
//! real (UTC) times, as the monthly report's JSON gives them.

use serde_json::Value;

mod common;
use common::{run, text};

/// The evaluated tickets of the monthly report of `period` made on `today`: id →
/// (response minutes, resolution minutes, resolution status).
fn tickets(period: &str, today: &str) -> Vec<(String, f64, f64, String)> {
    let out = common::tmp(&format!("service-window-{period}"));
    let o = run(&["monthly", "--data", "tests/fixtures/all-week", "--period", period, "--today", today, "--out", out.to_str().unwrap()]);
    // Every row counted or outside the period, no warning: a clean run.
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("(contract: tests/fixtures/all-week/contract.toml)"), "{}", text(&o));
    let json: Value = serde_json::from_slice(&std::fs::read(out.join(period).join(format!("sla-rapportage-{period}.json"))).unwrap()).unwrap();
    assert_eq!(json["meta"]["service_window"], "00:00–23:59");
    json["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["ticket_id"].as_str().unwrap().to_string(),
                t["response_minutes"].as_f64().unwrap(),
                t["resolution_minutes"].as_f64().unwrap(),
                t["resolution_status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row(id: &str, response: f64, resolution: f64, status: &str) -> (String, f64, f64, String) {
    (id.to_string(), response, resolution, status.to_string())
}

#[test]
fn tickets_across_the_clock_changes_count_real_minutes() {
    // October, in the report's order (opened):
    // D4 23:00 on 10 October to 01:00 the next day: 120 minutes less the minute 23:59–24:00
    //    outside the window, 119 (P3 target 960: met).
    // D1 01:30 summer time (23:30 UTC) to 03:30 winter time (02:30 UTC) on 25 October: three
    //    real hours, the repeated hour included: 180, over the P1 target of 120 (breached).
    // D3 opened at the second 02:30 (+01:00, 01:30 UTC), answered at 02:45 +01:00 (15),
    //    resolved 05:00 winter time (04:00 UTC): 150 (P2 target 240: met).
    assert_eq!(
        tickets("2026-10", "2026-11-03"),
        [row("D4", 10.0, 119.0, "met"), row("D1", 10.0, 180.0, "breached"), row("D3", 15.0, 150.0, "met")]
    );
    // March: D2 01:30 winter time (00:30 UTC) to 03:30 summer time (01:30 UTC) on 29 March:
    // one real hour, as 02:00–03:00 does not exist that night: 60 (met).
    assert_eq!(tickets("2026-03", "2026-04-03"), [row("D2", 10.0, 60.0, "met")]);
}
