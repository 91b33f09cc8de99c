//! Per-ticket evaluation: a ticket's response and resolution against its targets.
//!
//! Evaluation knows the contract and a cut-off instant, not the report: whether a ticket
//! counts in a period is decided when aggregating (`report`). A measured time is judged by
//! its business duration (met when at most the target); a missing one by the deadline — past
//! it at the cut-off is a breach, before it "not yet due".

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use crate::contract::LoadedContract;
use crate::ticket::Ticket;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Breached,
    NotYetDue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Measure {
    pub target_minutes: i64,
    /// When the target runs out.
    pub deadline: DateTime<Utc>,
    /// The moment that stops the clock, if it happened.
    pub at: Option<DateTime<Utc>>,
    /// Business seconds from opening to `at`.
    pub business_seconds: Option<i64>,
    pub status: Status,
    /// Business seconds beyond the target: to `at`, or to the cut-off when `at` is missing.
    pub overshoot_seconds: i64,
    /// The response was taken from the resolution because none was recorded.
    pub derived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub response: Measure,
    pub resolution: Measure,
}

/// A moment: the instant and its local wall-clock time (converted once per ticket).
#[derive(Clone, Copy)]
struct Moment {
    utc: DateTime<Utc>,
    local: NaiveDateTime,
}

fn measure(
    contract: &LoadedContract,
    opened: Moment,
    at: Option<Moment>,
    target_minutes: i64,
    cutoff: DateTime<Utc>,
    derived: bool,
) -> Measure {
    let clock = &contract.clock;
    let target = target_minutes * 60;
    let deadline = clock.deadline(opened.utc, opened.local, target);
    match at {
        Some(t) => {
            let secs = clock.elapsed(opened.utc, opened.local, t.utc, t.local);
            Measure {
                target_minutes,
                deadline,
                at: Some(t.utc),
                business_seconds: Some(secs),
                status: if secs <= target { Status::Met } else { Status::Breached },
                overshoot_seconds: (secs - target).max(0),
                derived,
            }
        }
        None => {
            // Past the target only when business time beyond the deadline has passed: at
            // exactly the deadline the time taken equals the target, which is met.
            let overshoot = if deadline < cutoff { clock.business_seconds(deadline, cutoff) } else { 0 };
            let past = overshoot > 0;
            Measure {
                target_minutes,
                deadline,
                at: None,
                business_seconds: None,
                status: if past { Status::Breached } else { Status::NotYetDue },
                overshoot_seconds: overshoot,
                derived,
            }
        }
    }
}

/// Evaluates one ticket. Events after `cutoff` are still used when recorded (a late answer
/// is an answer); only missing events are judged against it.
pub fn evaluate(ticket: &Ticket, contract: &LoadedContract, cutoff: DateTime<Utc>) -> Evaluation {
    let clock = &contract.clock;
    let moment = |utc: DateTime<Utc>| Moment { utc, local: clock.local(utc) };
    let target = contract.target(ticket.ticket_type, ticket.priority);
    let opened = moment(ticket.opened_at);
    let resolved = ticket.resolved_at.map(moment);
    let (response_at, derived) = match (ticket.responded_at, resolved) {
        (Some(r), _) => (Some(moment(r)), false),
        (None, Some(res)) if contract.contract.rules.missing_response_uses_resolution => (Some(res), true),
        _ => (None, false),
    };
    Evaluation {
        response: measure(contract, opened, response_at, target.response_minutes, cutoff, derived),
        resolution: measure(contract, opened, resolved, target.resolution_minutes, cutoff, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::read_tickets_csv;

    fn eval(row: &str, cutoff: &str) -> Evaluation {
        let c = LoadedContract::embedded();
        let csv = format!("id,type,school,category,priority,opened_at,responded_at,resolved_at\n{row}\n");
        let d = read_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!(d.rejections, vec![]);
        let cutoff = crate::canonical::parse_timestamp(cutoff, &c).unwrap();
        evaluate(&d.tickets[0], &c, cutoff)
    }

    #[test]
    fn met_at_exactly_the_target() {
        let e = eval("1,incident,S,n,P1,2026-10-05T09:00,2026-10-05T09:15,2026-10-05T11:00", "2026-11-01T00:00");
        assert_eq!(e.response.status, Status::Met);
        assert_eq!(e.resolution.status, Status::Met);
        let e = eval("1,incident,S,n,P1,2026-10-05T09:00,2026-10-05T09:16,2026-10-05T11:01", "2026-11-01T00:00");
        assert_eq!(e.response.status, Status::Breached);
        assert_eq!(e.response.overshoot_seconds, 60);
        assert_eq!(e.resolution.overshoot_seconds, 60);
    }

    #[test]
    fn incident_and_request_targets_differ() {
        // P2: incident resolution 4 h, service request 8 h. Six business hours.
        let inc = eval("1,incident,S,n,P2,2026-10-05T09:00,2026-10-05T09:10,2026-10-05T15:00", "2026-11-01T00:00");
        let req = eval("1,service_request,S,n,P2,2026-10-05T09:00,2026-10-05T09:10,2026-10-05T15:00", "2026-11-01T00:00");
        assert_eq!(inc.resolution.status, Status::Breached);
        assert_eq!(req.resolution.status, Status::Met);
    }

    #[test]
    fn missing_response_uses_the_resolution() {
        let e = eval("1,incident,S,n,P3,2026-10-05T09:00,,2026-10-05T10:00", "2026-11-01T00:00");
        assert!(e.response.derived);
        assert_eq!(e.response.status, Status::Met);
        assert_eq!(e.response.business_seconds, Some(3600));
    }

    /// A P1 across the October change in a 24/7 window (00:00–24:00, seven days): opened
    /// 01:00 summer time, resolved 03:00 winter time, 180 real minutes, reported as 180 and
    /// breached against a 2-hour target (issue 13 item 6: it was 120 and met).
    #[test]
    fn a_ticket_across_the_october_change_in_a_24_7_window() {
        let text = crate::contract::DEFAULT_CONTRACT
            .replace("window_start = \"08:00\"", "window_start = \"00:00\"")
            .replace("window_end = \"17:00\"", "window_end = \"24:00\"")
            .replacen("workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]", 1);
        let c = LoadedContract::parse(&text, crate::contract::ContractSource::Embedded).unwrap();
        let csv = "id,type,school,category,priority,opened_at,responded_at,resolved_at\n1,incident,S,n,P1,2026-10-25T01:00+02:00,2026-10-25T01:10+02:00,2026-10-25T03:00+01:00\n";
        let d = read_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!(d.rejections, vec![]);
        let e = evaluate(&d.tickets[0], &c, d.tickets[0].opened_at + chrono::Duration::days(30));
        assert_eq!(e.resolution.business_seconds, Some(180 * 60));
        assert_eq!(e.resolution.status, Status::Breached);
        assert_eq!(e.resolution.overshoot_seconds, 60 * 60);
        // The deadline is two real hours after opening: 02:00 winter time.
        assert_eq!(e.resolution.deadline, d.tickets[0].opened_at + chrono::Duration::hours(2));
    }

    #[test]
    fn unanswered_at_the_cutoff() {
        // Opened Friday 30 October 16:30, P4 response target 8 h: due Monday 2 November.
        let e = eval("1,incident,S,n,P4,2026-10-30T16:30,,", "2026-11-01T00:00");
        assert_eq!(e.response.status, Status::NotYetDue);
        assert_eq!(e.resolution.status, Status::NotYetDue);
        // P1 opened Friday 30 October 16:50: response deadline Monday 08:05, past a later cut-off.
        let e = eval("1,incident,S,n,P1,2026-10-30T16:50,,", "2026-11-02T09:05");
        assert_eq!(e.response.status, Status::Breached);
        assert_eq!(e.response.overshoot_seconds, 60 * 60);
    }
}
