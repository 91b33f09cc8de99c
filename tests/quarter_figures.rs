//! A quarter's figures computed by hand from `tests/fixtures/quarter` (seven incidents over
//! July–September 2026 and measurements of every length) and checked in the quarterly
//! report's JSON, through the binary: a ticket KPI pooled over the quarter (not the mean of
//! its months), the pooled domain score and its malus band, and how measurements of a month,
//! a quarter and a half year combine — the months' mean (a rate) or sum (a count), a
//! quarter's own measurement before its months', a month's own before its quarter's, and a
//! longer period's only once it has ended on the report's date.

use serde_json::Value;

mod common;
use common::{run, text};

const DATA: &str = "tests/fixtures/quarter";

/// The quarterly report of `period` made on `today`, which must exit with `exit`.
fn quarterly(period: &str, today: &str, exit: i32) -> Value {
    let out = common::tmp(&format!("quarter-figures-{period}-{today}"));
    let o = run(&["quarterly", "--data", DATA, "--period", period, "--today", today, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(exit), "{}", text(&o));
    let json = std::fs::read(out.join(period).join(format!("kwartaalrapportage-{period}.json"))).unwrap();
    serde_json::from_slice(&json).unwrap()
}

fn domain(q: &Value, number: u64) -> &Value {
    q["domains"].as_array().unwrap().iter().find(|d| d["number"] == number).unwrap()
}

fn kpi<'a>(q: &'a Value, number: u64, id: &str) -> &'a Value {
    domain(q, number)["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()
}

/// The values of a JSON list of numbers (null as `None`).
fn numbers(v: &Value) -> Vec<Option<f64>> {
    v.as_array().unwrap().iter().map(Value::as_f64).collect()
}

fn close(actual: &Value, expected: f64, what: &str) {
    let a = actual.as_f64().unwrap_or_else(|| panic!("{what}: {actual} is not a number"));
    assert!((a - expected).abs() < 1e-9, "{what}: {a} vs {expected}");
}

fn close_all(actual: &Value, expected: &[Option<f64>], what: &str) {
    let a = numbers(actual);
    assert_eq!(a.len(), expected.len(), "{what}: {a:?}");
    for (x, e) in a.iter().zip(expected) {
        match (x, e) {
            (Some(x), Some(e)) => assert!((x - e).abs() < 1e-9, "{what}: {a:?} vs {expected:?}"),
            _ => assert_eq!(x, e, "{what}: {a:?} vs {expected:?}"),
        }
    }
}

/// A KPI's status in a month of the quarter (`kpi_months`) or in the quarter (`kpi_quarter`).
fn status(scores: &Value, number: u64, id: &str) -> String {
    let d = scores["domains"].as_array().unwrap().iter().find(|d| d["number"] == number).unwrap();
    d["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap()["status"].as_str().unwrap().to_string()
}

/// Domain 1 (service desk): first-contact resolution and hand-over on time from the tickets,
/// pooled over the quarter; training sessions (a count, measured half-yearly) summed over the
/// months that have a measurement; reachability without calls has no data and no weight.
#[test]
fn a_ticket_kpi_is_pooled_over_the_quarter_and_the_domain_score_from_it() {
    // Every row counted, no warning: a clean run (exit 0) even with a malus.
    let q = quarterly("2026-Q3", "2026-10-05", 0);

    // First-contact resolution, incidents opened in the month with first_line_resolved:
    // July Q1 yes (1 of 1), August Q2 yes, Q3 no (1 of 2), September Q4 yes, Q5 Q6 Q7 no
    // (1 of 4). The quarter pools them: 3 of 7, not the months' mean (58,3 %).
    let fcr = kpi(&q, 1, "first_contact_resolution");
    close_all(&fcr["monthly_measured"], &[Some(100.0), Some(50.0), Some(25.0)], "FCR per month");
    close(&fcr["quarter_measured"], 3.0 * 100.0 / 7.0, "FCR of the quarter");
    // Achievement against the norm of 70 %, capped at 100 %.
    close_all(&fcr["monthly_achievement"], &[Some(100.0), Some(50.0 / 70.0 * 100.0), Some(25.0 / 70.0 * 100.0)], "FCR achievement");
    let fcr_q = 3.0 * 100.0 / 7.0 / 70.0 * 100.0;
    close(&fcr["quarter_achievement"], fcr_q, "FCR achievement of the quarter");

    // Hand-over within 240 business minutes of the opening: July none escalated (no data),
    // August Q3 after 180 minutes (1 of 1), September Q5 after 540 (Friday 16:00–17:00 and
    // Monday 08:00–16:00: late) and Q6 after exactly 240 (in time): 1 of 2. Quarter: 2 of 3.
    let handover = kpi(&q, 1, "handover_on_time");
    close_all(&handover["monthly_measured"], &[None, Some(100.0), Some(50.0)], "hand-over per month");
    close(&handover["quarter_measured"], 2.0 * 100.0 / 3.0, "hand-over of the quarter");

    // Training sessions: August 1, September 2, the quarter their sum 3 (a count adds up);
    // 3 of the norm 2 is 150 %, capped at 100 %. July has no measurement of its own and the
    // half year's (2026-H2) has not ended on 5 October: not yet measured.
    let training = kpi(&q, 1, "training_sessions");
    close_all(&training["monthly_measured"], &[None, Some(1.0), Some(2.0)], "training per month");
    close_all(&training["monthly_achievement"], &[None, Some(50.0), Some(100.0)], "training achievement");
    close(&training["quarter_measured"], 3.0, "training of the quarter");
    close(&training["quarter_achievement"], 100.0, "training achievement of the quarter");
    assert_eq!(training["quarter_detail"], "sum:2026-08,2026-09");
    assert_eq!(status(&q["kpi_months"][0], 1, "training_sessions"), "not_yet_measured");

    // The domain scores: Σ weight × achievement ÷ Σ weights with data (40 + 25 + 10; July has
    // FCR alone). The quarter's score comes from the quarter's pooled achievements.
    let d1 = domain(&q, 1);
    let (fcr_w, handover_w, training_w) = (40.0, 25.0, 10.0);
    let august = (50.0 / 70.0 * 100.0 * fcr_w + 100.0 * handover_w + 50.0 * training_w) / 75.0;
    let september = (25.0 / 70.0 * 100.0 * fcr_w + 50.0 * handover_w + 100.0 * training_w) / 75.0;
    close_all(&d1["monthly_scores"], &[Some(100.0), Some(august), Some(september)], "domain 1 per month");
    let quarter_score = (fcr_q * fcr_w + 200.0 / 3.0 * handover_w + 100.0 * training_w) / 75.0;
    close(&d1["quarter_score"], quarter_score, "domain 1 of the quarter");
    assert_eq!(format!("{quarter_score:.2}"), "68.21");
    // Below 80 %: the last band, 2 % malus and escalation, charged (75 % of the weight has data).
    let malus = q["malus"].as_array().unwrap().iter().find(|m| m["number"] == 1).unwrap();
    close(&malus["score"], quarter_score, "domain 1 in the malus table");
    assert_eq!((malus["malus_pct"].as_f64(), &malus["escalation"]), (Some(2.0), &Value::Bool(true)));
}

/// Domain 4 (workplace and devices), measured only: patch compliance monthly, OS up to date
/// and licence compliance quarterly.
#[test]
fn measurements_of_months_and_quarters_combine_into_the_quarter() {
    let q = quarterly("2026-Q3", "2026-10-05", 0);
    // Patch compliance 90, 92, 94 in the months: the quarter their mean, 92 (a rate).
    let patch = kpi(&q, 4, "patch_compliance");
    close_all(&patch["monthly_measured"], &[Some(90.0), Some(92.0), Some(94.0)], "patches per month");
    close(&patch["quarter_measured"], 92.0, "patches of the quarter");
    assert_eq!(patch["quarter_detail"], "mean:2026-07,2026-08,2026-09");
    // OS up to date: only the quarter's 85,5, which has ended on 5 October, so each month
    // shows it too; 85,5 of the norm 95 is 90 %.
    let os = kpi(&q, 4, "os_up_to_date");
    close_all(&os["monthly_measured"], &[Some(85.5), Some(85.5), Some(85.5)], "OS per month");
    close(&os["quarter_measured"], 85.5, "OS of the quarter");
    close(&os["quarter_achievement"], 90.0, "OS achievement");
    assert_eq!(os["quarter_detail"], "2026-Q3");
    // Licences: July's own 80, the quarter's own 100 for the quarter (not the months'
    // figures) and for August and September, which have none of their own.
    let licences = kpi(&q, 4, "licence_compliance");
    close_all(&licences["monthly_measured"], &[Some(80.0), Some(100.0), Some(100.0)], "licences per month");
    close(&licences["quarter_measured"], 100.0, "licences of the quarter");
    // Weights 45, 35, 25.
    let score = |patch: f64, licences: f64| (patch * 45.0 + 90.0 * 35.0 + licences * 25.0) / 105.0;
    let d4 = domain(&q, 4);
    close_all(&d4["monthly_scores"], &[Some(score(90.0, 80.0)), Some(score(92.0, 100.0)), Some(score(94.0, 100.0))], "domain 4 per month");
    close(&d4["quarter_score"], score(92.0, 100.0), "domain 4 of the quarter");
    assert_eq!(format!("{:.2}", score(92.0, 100.0)), "93.24");
    let malus = q["malus"].as_array().unwrap().iter().find(|m| m["number"] == 4).unwrap();
    assert_eq!((malus["malus_pct"].as_f64(), &malus["escalation"]), (Some(0.5), &Value::Bool(false)));
    // July alone: 87,6 %, the band of 1 %.
    let july = q["kpi_months"][0]["domains"].as_array().unwrap().iter().find(|d| d["number"] == 4).unwrap();
    close(&july["score_pct"], score(90.0, 80.0), "domain 4 in July");
    assert_eq!(july["malus_pct"].as_f64(), Some(1.0));
}

/// The half year's training sessions (2026-H2: 3) count for the fourth quarter once the half
/// year has ended on the report's date; in an interim report before, it is not yet measured.
#[test]
fn a_half_year_measurement_counts_once_the_half_year_has_ended() {
    // No ticket in the fourth quarter: a warning, exit 1.
    let q = quarterly("2026-Q4", "2027-01-08", 1);
    let training = kpi(&q, 1, "training_sessions");
    close_all(&training["monthly_measured"], &[Some(3.0), Some(3.0), Some(3.0)], "training per month after H2");
    close(&training["quarter_measured"], 3.0, "training of the quarter after H2");
    assert_eq!(training["quarter_detail"], "2026-H2");
    assert_eq!(status(&q["kpi_quarter"], 1, "training_sessions"), "scored");
    // Alone (10 of the domain's 100 weight, under the contract's 50 %) it scores the domain
    // but charges no malus.
    let d1 = q["kpi_quarter"]["domains"].as_array().unwrap().iter().find(|d| d["number"] == 1).unwrap();
    close(&d1["weight_share_pct"], 10.0, "domain 1's weight with data");
    assert_eq!((&d1["little_data"], d1["malus_pct"].as_f64()), (&Value::Bool(true), None));

    let q = quarterly("2026-Q4", "2026-12-15", 1);
    let training = kpi(&q, 1, "training_sessions");
    assert_eq!(numbers(&training["monthly_measured"]), [None, None, None]);
    assert_eq!(training["quarter_measured"], Value::Null);
    assert_eq!(status(&q["kpi_quarter"], 1, "training_sessions"), "not_yet_measured");
}
