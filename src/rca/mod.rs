//! The root-cause analysis (RCA) of a P1 incident (guideline §5.2 step 5): the document model
//! and how it is built.
//!
//! Why this exists: the guideline asks the provider for an RCA within N workdays after a P1 is
//! resolved, and the KPI "RCA after a P1" is scored on it. Half of an RCA is facts the ticket
//! system already holds (school, times, durations against the targets, breach or not); the
//! other half is the provider's analysis (cause, impact, actions, preventive measures), which
//! they write in `DATA/rca/<ticket id>.toml`. This module joins the two into one serde model
//! ([`RcaDocument`]) that the PDF template and the JSON are made from, and decides — here,
//! not in a renderer — whether the document is final or a draft, when it is due and whether
//! it came in on time.
//!
//! Rules (see also ARCHITECTURE.md and the `rca` command):
//! - The RCA file is parsed strictly: an unknown key or a value of the wrong kind is an error
//!   naming the key and the file. A missing file, or a file with a required part missing
//!   (author, delivered_on, cause, impact, at least one action, at least one preventive
//!   measure with measure/owner/due_on), is not an error: the document is a draft
//!   ("CONCEPT") listing what is still to be filled in.
//! - Due date: `rules.rca_due_workdays` whole workdays after the local resolution date
//!   (business clock, holidays skipped). An unresolved P1 has no due date yet and is a draft.
//! - Everything is "as of today": a file whose `delivered_on` lies after `today` was not yet
//!   delivered on that day, so the document is a draft then.
//! - Only in-scope P1 incidents need an RCA; any other ticket gets one only on request
//!   (`--voluntary`), without a due date.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::contract::LoadedContract;
use crate::evaluate::{evaluate, Measure};
use crate::i18n::Lang;
use crate::report::aggregate::{local_minute, local_str, minutes, status_key};
use crate::report::model::LocalMinute;
use crate::ticket::{Channel, Priority, Ticket};

pub mod due;
pub mod file;

pub use due::RcaStatus;
use due::{due_date, end_of_day, requirement, Requirement};
use file::{PreventiveMeasure, RcaFile};

// ---- the document model --------------------------------------------------------------------

/// The RCA document: what the PDF template (`rca.typ`) and the JSON are made from. Instants
/// are local `YYYY-MM-DDTHH:MM`, dates `YYYY-MM-DD`, durations in minutes; keys of the
/// vocabularies (`incident`, `P1`, `high`, `on_time`, …) are translated by the template.
#[derive(Debug, Clone, Serialize)]
pub struct RcaDocument {
    pub meta: Meta,
    /// `final` or `draft`.
    pub status: String,
    /// What a draft still lacks, as label keys under `rca.missing.` (`cause`, `file`, …).
    pub missing: Vec<String>,
    /// The contract asks for this RCA (an in-scope P1 incident).
    pub required: bool,
    /// Made on request for a ticket that needs no RCA (`--voluntary`).
    pub voluntary: bool,
    /// Why it is voluntary: `not_p1` or `out_of_scope`; empty when required.
    pub voluntary_reason: String,
    pub ticket: TicketFacts,
    pub durations: Vec<DurationRow>,
    /// A response or resolution target was breached.
    pub breach: bool,
    pub timeline: Vec<TimelineEvent>,
    pub due: DueVerdict,
    pub analysis: Analysis,
}

#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// "rca".
    pub kind: String,
    pub lang: Lang,
    pub tool_version: String,
    pub client: String,
    pub provider: String,
    pub contract_name: String,
    pub contract_source: String,
    /// The date the document was made (`--today`).
    pub generated_on: NaiveDate,
    pub time_zone: String,
    pub service_window: String,
    pub rca_due_workdays: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct TicketFacts {
    pub id: String,
    pub ticket_type: String,
    pub school: String,
    pub category: String,
    pub subcategory: String,
    pub summary: String,
    /// `phone`, `email`, `portal` or empty.
    pub channel: String,
    /// `high`, `medium`, `low` or empty.
    pub impact: String,
    pub urgency: String,
    pub priority: String,
    /// What the matrix gives for impact × urgency, when it differs from the priority.
    pub matrix_priority: Option<String>,
    /// A P1 that was not reported by phone (§3.4).
    pub not_by_phone: bool,
    pub opened_at: LocalMinute,
    pub responded_at: Option<LocalMinute>,
    /// No response was recorded; the resolution counts as the response (spec §3).
    pub response_derived: bool,
    pub escalated_at: Option<LocalMinute>,
    pub resolved_at: Option<LocalMinute>,
    pub closed_at: Option<LocalMinute>,
    /// Wall-clock minutes from opening to resolution (how long the school was affected).
    pub elapsed_minutes: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DurationRow {
    /// `response` or `resolution`.
    pub measure: String,
    pub target_minutes: i64,
    /// Business minutes from opening to the event; none when it has not happened.
    pub actual_minutes: Option<f64>,
    /// When the target ran out (local).
    pub deadline: LocalMinute,
    /// `met`, `breached` or `not_yet_due`.
    pub status: String,
    /// Business minutes beyond the target (to the event, or to the end of today).
    pub overshoot_minutes: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    /// `opened`, `responded`, `escalated`, `resolved`, `closed`, `rca_due`, `rca_delivered`.
    pub event: String,
    /// Local `YYYY-MM-DDTHH:MM`, or `YYYY-MM-DD` for the RCA's dates (whole days).
    pub at: String,
    pub date_only: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DueVerdict {
    /// `YYYY-MM-DD`; none for an unresolved P1 or a voluntary RCA.
    pub due_on: Option<NaiveDate>,
    /// The file's delivery date, when the RCA counts as delivered (complete, on or before today).
    pub delivered_on: Option<NaiveDate>,
    /// The same keys as the monthly report's RCA status, plus `voluntary`.
    pub verdict: RcaStatus,
    /// Workdays after the due date (late: to delivery; overdue: to today); 0 otherwise.
    pub workdays_late: i64,
    /// Not yet due: workdays after today up to and including the due date.
    pub workdays_left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// `rca/<id>.toml` as found, or none when there is no file.
    pub file: Option<String>,
    pub file_sha256: Option<String>,
    pub author: Option<String>,
    /// The date the file says; may be after today (then not counted as delivered).
    pub delivered_on: Option<NaiveDate>,
    pub cause: Option<String>,
    pub impact: Option<String>,
    pub actions: Vec<String>,
    pub preventive_measures: Vec<PreventiveMeasure>,
}


/// Builds the RCA document of `ticket` as of `today`. `voluntary` marks a document made on
/// request for a ticket that needs none (the caller refuses such tickets without it).
pub fn build(
    ticket: &Ticket,
    file: Option<&RcaFile>,
    contract: &LoadedContract,
    today: NaiveDate,
    lang: Lang,
) -> RcaDocument {
    let clock = &contract.clock;
    let c = &contract.contract;
    let req = requirement(ticket);
    let required = req == Requirement::Required;
    let ev = evaluate(ticket, contract, end_of_day(contract, today));

    // The analysis, and what it lacks.
    let mut missing: Vec<String> = Vec::new();
    let analysis = match file {
        None => {
            missing.push("file".into());
            Analysis {
                file: None,
                file_sha256: None,
                author: None,
                delivered_on: None,
                cause: None,
                impact: None,
                actions: Vec::new(),
                preventive_measures: Vec::new(),
            }
        }
        Some(f) => {
            let mut lack = |cond: bool, key: &str| {
                if cond {
                    missing.push(key.into());
                }
            };
            lack(f.cause.is_none(), "cause");
            lack(f.impact.is_none(), "impact");
            lack(f.actions.is_empty(), "actions");
            lack(f.preventive_measures.is_empty(), "preventive_measures");
            let pm = &f.preventive_measures;
            lack(pm.iter().any(|m| m.measure.is_none()), "measure_text");
            lack(pm.iter().any(|m| m.owner.is_none()), "measure_owner");
            lack(pm.iter().any(|m| m.due_on.is_none()), "measure_due_on");
            lack(f.author.is_none(), "author");
            lack(f.delivered_on.is_none(), "delivered_on");
            lack(f.delivered_on.is_some_and(|d| d > today), "delivered_after_today");
            // An analysis of an incident cannot be delivered before the incident was reported.
            lack(f.delivered_on.is_some_and(|d| d < clock.local(ticket.opened_at).date()), "delivered_before_opened");
            Analysis {
                file: Some(f.name.clone()),
                file_sha256: Some(f.sha256.clone()),
                author: f.author.clone(),
                delivered_on: f.delivered_on,
                cause: f.cause.clone(),
                impact: f.impact.clone(),
                actions: f.actions.clone(),
                preventive_measures: f.preventive_measures.clone(),
            }
        }
    };
    if ticket.resolved_at.is_none() {
        missing.insert(0, "resolution".into());
    }
    let is_final = missing.is_empty();

    // Due date and verdict.
    let due = if required { ticket.resolved_at.map(|r| due_date(contract, r)) } else { None };
    let delivered = if is_final { file.and_then(|f| f.delivered_on) } else { None };
    let after = |d: NaiveDate| d + Days::new(1);
    let verdict = if required { RcaStatus::of(due, delivered, today) } else { RcaStatus::Voluntary };
    let (workdays_late, workdays_left) = match (verdict, due, delivered) {
        (RcaStatus::Late, Some(due), Some(d)) => (clock.workdays_between(after(due), after(d)), 0),
        (RcaStatus::Overdue, Some(due), _) => (clock.workdays_between(after(due), after(today)), 0),
        (RcaStatus::NotYetDue, Some(due), _) => (0, clock.workdays_between(after(today), after(due))),
        _ => (0, 0),
    };

    // Timeline: timed events in order, then the whole-day RCA dates after the events of
    // their day.
    let mut timeline: Vec<(String, u8, TimelineEvent)> = Vec::new();
    let mut push_at = |event: &str, rank: u8, at: Option<DateTime<Utc>>| {
        if let Some(at) = at {
            let s = local_str(contract, at);
            timeline.push((s.clone(), rank, TimelineEvent { event: event.into(), at: s, date_only: false }));
        }
    };
    push_at("opened", 0, Some(ticket.opened_at));
    push_at("responded", 1, ticket.responded_at);
    push_at("escalated", 2, ticket.escalated_at);
    push_at("resolved", 3, ticket.resolved_at);
    push_at("closed", 4, ticket.closed_at);
    let mut push_day = |event: &str, rank: u8, d: Option<NaiveDate>| {
        if let Some(d) = d {
            let s = d.to_string();
            // "T99" sorts after every time of that day.
            timeline.push((format!("{s}T99"), rank, TimelineEvent { event: event.into(), at: s, date_only: true }));
        }
    };
    push_day("rca_delivered", 5, delivered);
    push_day("rca_due", 6, due);
    timeline.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));

    let row = |name: &str, m: &Measure| DurationRow {
        measure: name.into(),
        target_minutes: m.target_minutes,
        actual_minutes: m.business_seconds.map(minutes),
        deadline: local_minute(contract, m.deadline),
        status: status_key(m.status).into(),
        overshoot_minutes: minutes(m.overshoot_seconds),
    };
    let durations = vec![row("response", &ev.response), row("resolution", &ev.resolution)];
    let breach = durations.iter().any(|d| d.status == "breached");

    RcaDocument {
        meta: Meta {
            kind: "rca".into(),
            lang,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            client: c.parties.client.clone(),
            provider: c.parties.provider.clone(),
            contract_name: c.parties.contract_name.clone(),
            contract_source: contract.source.to_string(),
            generated_on: today,
            time_zone: c.calendar.time_zone.clone(),
            service_window: format!("{}–{}", c.calendar.window_start, c.calendar.window_end),
            rca_due_workdays: c.rules.rca_due_workdays,
        },
        status: if is_final { "final" } else { "draft" }.into(),
        missing,
        required,
        voluntary: !required,
        voluntary_reason: match req {
            Requirement::Required => "",
            Requirement::NotP1 => "not_p1",
            Requirement::OutOfScope => "out_of_scope",
        }
        .into(),
        ticket: TicketFacts {
            id: ticket.id.to_string(),
            ticket_type: ticket.ticket_type.key().into(),
            school: ticket.school.to_string(),
            category: ticket.category.to_string(),
            subcategory: ticket.subcategory.to_string(),
            summary: ticket.summary.to_string(),
            channel: ticket.channel.map(|c| c.key()).unwrap_or("").into(),
            impact: ticket.impact.map(|l| l.key()).unwrap_or("").into(),
            urgency: ticket.urgency.map(|l| l.key()).unwrap_or("").into(),
            priority: ticket.priority.key().into(),
            matrix_priority: ticket.matrix_priority.filter(|p| *p != ticket.priority).map(|p| p.key().into()),
            not_by_phone: ticket.priority == Priority::P1 && ticket.channel != Some(Channel::Phone),
            opened_at: local_minute(contract, ticket.opened_at),
            responded_at: ticket.responded_at.map(|t| local_minute(contract, t)),
            response_derived: ev.response.derived,
            escalated_at: ticket.escalated_at.map(|t| local_minute(contract, t)),
            resolved_at: ticket.resolved_at.map(|t| local_minute(contract, t)),
            closed_at: ticket.closed_at.map(|t| local_minute(contract, t)),
            elapsed_minutes: ticket.resolved_at.map(|r| (r - ticket.opened_at).num_minutes()),
        },
        durations,
        breach,
        timeline: timeline.into_iter().map(|(_, _, e)| e).collect(),
        due: DueVerdict {
            due_on: due,
            delivered_on: delivered,
            verdict,
            workdays_late,
            workdays_left,
        },
        analysis,
    }
}

// ---- which RCAs `--due` writes ---------------------------------------------------------------

/// Why `rca --due` writes a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueReason {
    /// Resolved, and the RCA is not (completely) delivered as of today: a draft, due later
    /// (`not_yet_due`) or already `overdue`.
    Outstanding,
    /// Delivered (complete) within the last `rca_due_workdays` workdays up to today: the final
    /// document, on time or late. A weekly run sees every delivery at least once.
    RecentlyDelivered,
}

/// Whether `rca --due` writes the document `doc` (built as of `today`): only RCAs the
/// contract requires (in-scope P1 incidents) that are resolved, and then either
/// outstanding or delivered within the last `rca_due_workdays` workdays (today included).
/// Unresolved P1s have no due date yet and are left out (the command lists them).
pub fn due_reason(doc: &RcaDocument, contract: &LoadedContract, today: NaiveDate) -> Option<DueReason> {
    let resolved_by_today = doc.ticket.resolved_at.is_some_and(|r| r.get().date() <= today);
    if !doc.required || doc.due.due_on.is_none() || !resolved_by_today {
        return None;
    }
    match doc.due.delivered_on {
        None => Some(DueReason::Outstanding),
        Some(d) => {
            let window = contract.contract.rules.rca_due_workdays.max(1);
            // Delivered on `d`: still "recent" while today ≤ d + N workdays.
            (d <= today && today <= contract.clock.add_workdays(d, window)).then_some(DueReason::RecentlyDelivered)
        }
    }
}

// ---- closest ids ---------------------------------------------------------------------------

/// Levenshtein distance over characters (case-insensitive), two rows of memory.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars()
        .flat_map(char::to_lowercase)
        .zip(b.chars().flat_map(char::to_lowercase))
        .take_while(|(x, y)| x == y)
        .count()
}

/// Up to `n` ids closest to `wanted`: smallest edit distance first, then the longest common
/// prefix, then alphabetical (deterministic).
pub fn closest_ids<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>, n: usize) -> Vec<String> {
    let mut scored: Vec<(usize, std::cmp::Reverse<usize>, &str)> =
        ids.map(|id| (levenshtein(wanted, id), std::cmp::Reverse(common_prefix(wanted, id)), id)).collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(n).map(|(_, _, id)| id.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::read_tickets_csv;
    use crate::rca::file::parse_rca_file;

    const HEAD: &str = "id,type,school,category,subcategory,summary,impact,urgency,priority,channel,opened_at,responded_at,resolved_at,closed_at,escalated_at";

    fn ticket(row: &str) -> (Ticket, LoadedContract) {
        let c = LoadedContract::embedded();
        let csv = format!("{HEAD}\n{row}\n");
        let d = read_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
        assert_eq!(d.rejections, vec![]);
        (d.tickets[0].clone(), c)
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const COMPLETE: &str = r#"
ticket = "P"
author = "A. Analist"
delivered_on = "2026-10-09"
cause = "Oorzaak"
impact = "Impact"
actions = ["Actie"]

[[preventive_measures]]
measure = "Maatregel"
owner = "Eigenaar"
due_on = 2026-11-30
"#;

    const P1: &str = "P,incident,School,netwerk,internet,Geen internet,high,high,P1,phone,2026-10-05T09:00,2026-10-05T09:10,2026-10-05T10:30,2026-10-05T12:00,2026-10-05T09:20";

    #[test]
    fn due_dates_skip_weekends_and_holidays() {
        let c = LoadedContract::embedded();
        let at = |s: &str| crate::canonical::parse_timestamp(s, &c).unwrap();
        // Spec §3: 5 workdays after Friday 31 October 2025 is Friday 7 November.
        assert_eq!(due_date(&c, at("2025-10-31T15:00")), date("2025-11-07"));
        // Wednesday 23 December 2026: Christmas and Boxing Day (Fri/Sat), the weekend → Thu 31 Dec.
        assert_eq!(due_date(&c, at("2026-12-23T11:00")), date("2026-12-31"));
        // Tuesday 12 May 2026: Ascension Thursday 14 May is closed → Wednesday 20 May.
        assert_eq!(due_date(&c, at("2026-05-12T11:00")), date("2026-05-20"));
        // The local date counts: 23:30 in Amsterdam is 21:30 UTC, still Monday 5 October.
        assert_eq!(due_date(&c, at("2026-10-05T23:30")), date("2026-10-12"));
    }

    #[test]
    fn status_keys_are_the_json_names() {
        let all = [RcaStatus::OnTime, RcaStatus::Late, RcaStatus::Overdue, RcaStatus::NotYetDue, RcaStatus::Unresolved, RcaStatus::Voluntary];
        let keys: Vec<&str> = all.iter().map(|s| s.key()).collect();
        assert_eq!(keys, ["on_time", "late", "overdue", "not_yet_due", "unresolved", "voluntary"]);
        for s in all {
            assert_eq!(serde_json::to_value(s).unwrap(), s.key());
        }
        // Due Monday 12 October; as of Tuesday 13th.
        let (due, today) = (Some(date("2026-10-12")), date("2026-10-13"));
        assert_eq!(RcaStatus::of(due, Some(date("2026-10-12")), today), RcaStatus::OnTime);
        assert_eq!(RcaStatus::of(due, Some(date("2026-10-13")), today), RcaStatus::Late);
        assert_eq!(RcaStatus::of(due, None, today), RcaStatus::Overdue);
        assert_eq!(RcaStatus::of(due, None, date("2026-10-12")), RcaStatus::NotYetDue);
        assert_eq!(RcaStatus::of(None, None, today), RcaStatus::Unresolved);
    }

    #[test]
    fn complete_file_on_time_is_final() {
        let (t, c) = ticket(P1);
        let f = parse_rca_file(COMPLETE, "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-20"), Lang::Nl);
        assert_eq!(doc.status, "final", "{:?}", doc.missing);
        assert_eq!(doc.due.due_on, Some(date("2026-10-12")));
        assert_eq!(doc.due.verdict, RcaStatus::OnTime);
        assert!(!doc.breach);
        assert_eq!(doc.analysis.preventive_measures[0].due_on, Some(date("2026-11-30")));
        let events: Vec<&str> = doc.timeline.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(events, ["opened", "responded", "escalated", "resolved", "closed", "rca_delivered", "rca_due"]);
    }

    #[test]
    fn late_delivery_counts_workdays() {
        let (t, c) = ticket(P1);
        let f = parse_rca_file(&COMPLETE.replace("2026-10-09", "2026-10-14"), "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-20"), Lang::Nl);
        assert_eq!(doc.status, "final");
        assert_eq!((doc.due.verdict.key(), doc.due.workdays_late), ("late", 2));
        // The RCA due date sorts after the events of its day, delivery after due here.
        let last: Vec<&str> = doc.timeline.iter().rev().take(2).map(|e| e.event.as_str()).collect();
        assert_eq!(last, ["rca_delivered", "rca_due"]);
    }

    #[test]
    fn missing_or_partial_file_is_a_draft() {
        let (t, c) = ticket(P1);
        let doc = build(&t, None, &c, date("2026-10-14"), Lang::Nl);
        assert_eq!(doc.status, "draft");
        assert_eq!(doc.missing, ["file"]);
        assert_eq!((doc.due.verdict.key(), doc.due.workdays_late), ("overdue", 2));
        let doc = build(&t, None, &c, date("2026-10-08"), Lang::Nl);
        // Thursday 8 October: Friday and Monday are left.
        assert_eq!((doc.due.verdict.key(), doc.due.workdays_left), ("not_yet_due", 2));

        let partial = "author = \"X\"\ncause = \"  \"\nactions = []\n";
        let f = parse_rca_file(partial, "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-08"), Lang::Nl);
        assert_eq!(doc.missing, ["cause", "impact", "actions", "preventive_measures", "delivered_on"]);
        // Delivered after "today": not yet delivered on that day.
        let f = parse_rca_file(COMPLETE, "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-08"), Lang::Nl);
        assert_eq!((doc.status.as_str(), doc.missing.as_slice()), ("draft", &["delivered_after_today".to_string()][..]));
        // Delivered before the incident was reported: no delivery.
        let f = parse_rca_file(&COMPLETE.replace("2026-10-09", "2026-10-01"), "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-20"), Lang::Nl);
        assert_eq!((doc.status.as_str(), doc.missing.as_slice()), ("draft", &["delivered_before_opened".to_string()][..]));
    }

    #[test]
    fn unresolved_and_non_p1() {
        let (t, c) = ticket("P,incident,School,netwerk,internet,Geen internet,high,high,P1,phone,2026-10-05T09:00,2026-10-05T09:10,,,");
        let f = parse_rca_file(COMPLETE, "rca/P.toml", "P").unwrap();
        let doc = build(&t, Some(&f), &c, date("2026-10-20"), Lang::Nl);
        assert_eq!((doc.status.as_str(), doc.due.verdict.key()), ("draft", "unresolved"));
        assert_eq!(doc.missing, ["resolution"]);
        assert_eq!(doc.durations[1].status, "breached");
        let (t, c) = ticket(&P1.replace("high,high,P1", "medium,high,P2"));
        assert_eq!(requirement(&t), Requirement::NotP1);
        let doc = build(&t, Some(&f), &c, date("2026-10-20"), Lang::Nl);
        assert_eq!((doc.status.as_str(), doc.due.verdict.key(), doc.due.due_on.clone()), ("final", "voluntary", None));
        assert!(doc.voluntary);
    }

    #[test]
    fn strict_file_errors_name_key_and_file() {
        let e = parse_rca_file("ticket = \"P\"\ncauses = \"x\"\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("rca/P.toml") && e.message.contains("causes"), "{}", e.message);
        let e = parse_rca_file("[[preventive_measures]]\nmeasure = \"m\"\nwho = \"x\"\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("who"), "{}", e.message);
        let e = parse_rca_file("delivered_on = \"9 oktober\"\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("delivered_on") && e.message.contains("rca/P.toml"), "{}", e.message);
        // A date in a year no report can have.
        let e = parse_rca_file("delivered_on = 1999-10-09\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("`delivered_on` is 1999-10-09, outside the years 2000–2100"), "{}", e.message);
        let e = parse_rca_file("[[preventive_measures]]\nmeasure = \"m\"\ndue_on = \"0000-01-01\"\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("preventive_measures[1].due_on"), "{}", e.message);
        let e = parse_rca_file("ticket = \"Q\"\n", "rca/P.toml", "P").unwrap_err();
        assert!(e.message.contains("\"Q\""), "{}", e.message);
    }

    #[test]
    fn due_selection() {
        let (t, c) = ticket(P1); // resolved Monday 5 October, due Monday 12 October
        let f = parse_rca_file(COMPLETE, "rca/P.toml", "P").unwrap(); // delivered Friday 9 October
        let reason = |file: Option<&RcaFile>, today: &str| due_reason(&build(&t, file, &c, date(today), Lang::Nl), &c, date(today));
        assert_eq!(reason(None, "2026-10-05"), Some(DueReason::Outstanding));
        assert_eq!(reason(None, "2026-12-01"), Some(DueReason::Outstanding));
        assert_eq!(reason(Some(&f), "2026-10-08"), Some(DueReason::Outstanding), "delivered after today");
        assert_eq!(reason(Some(&f), "2026-10-09"), Some(DueReason::RecentlyDelivered));
        assert_eq!(reason(Some(&f), "2026-10-16"), Some(DueReason::RecentlyDelivered), "5 workdays after delivery");
        assert_eq!(reason(Some(&f), "2026-10-19"), None);
    }

    #[test]
    fn closest_ids_by_distance_then_prefix() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("INC1", "inc1"), 0);
        assert_eq!(levenshtein("", "abc"), 3);
        let ids = ["INC039228", "INC039229", "INC039282", "REQ039228", "INC041789"];
        assert_eq!(closest_ids("INC03922", ids.iter().copied(), 3), ["INC039228", "INC039229", "INC039282"]);
        assert_eq!(closest_ids("INC039227", ids.iter().copied(), 2), ["INC039228", "INC039229"]);
    }
}
