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

use std::path::Path;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::contract::LoadedContract;
use crate::error::Error;
use crate::evaluate::{evaluate, Measure};
use crate::i18n::Lang;
use crate::ticket::{Channel, Priority, Ticket, TicketType};

// ---- the provider's file -----------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRcaFile {
    ticket: Option<String>,
    author: Option<String>,
    delivered_on: Option<toml::Value>,
    cause: Option<String>,
    impact: Option<String>,
    actions: Option<Vec<String>>,
    preventive_measures: Option<Vec<RawMeasure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    measure: Option<String>,
    owner: Option<String>,
    due_on: Option<toml::Value>,
    done_on: Option<toml::Value>,
}

/// The provider's RCA file as read: every part optional (a half-written file makes a draft).
#[derive(Debug, Clone, PartialEq)]
pub struct RcaFile {
    /// The path as shown to a person, e.g. `rca/INC039228.toml`.
    pub name: String,
    pub sha256: String,
    pub author: Option<String>,
    pub delivered_on: Option<NaiveDate>,
    pub cause: Option<String>,
    pub impact: Option<String>,
    pub actions: Vec<String>,
    pub preventive_measures: Vec<PreventiveMeasure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreventiveMeasure {
    pub measure: Option<String>,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// When the measure was carried out; open until then.
    pub done_on: Option<NaiveDate>,
}

/// The keys an RCA file may hold, for hints.
pub const RCA_FILE_KEYS: &str =
    "ticket, author, delivered_on, cause, impact, actions, [[preventive_measures]] (measure, owner, due_on, done_on)";

fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date_value(v: Option<toml::Value>, key: &str, name: &str) -> Result<Option<NaiveDate>, Error> {
    let bad = |shown: String| {
        Error::new(format!("RCA file {name}: `{key}` is {shown}, not a date"))
            .with_hint(format!("write it as {key} = \"YYYY-MM-DD\", for example {key} = \"2026-11-06\""))
    };
    let years = crate::contract::CALENDAR_YEARS;
    let in_range = |d: Option<NaiveDate>| match d {
        Some(d) if !years.contains(&d.year()) => Err(Error::new(format!(
            "RCA file {name}: `{key}` is {d}, outside the years {}–{} slarapport reports on",
            years.start(),
            years.end()
        ))
        .with_hint(format!("correct the year of {key}"))),
        d => Ok(d),
    };
    let date = match v {
        None => Ok(None),
        Some(toml::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(toml::Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| bad(format!("\"{s}\""))),
        Some(toml::Value::Datetime(dt)) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .map(Some)
                .ok_or_else(|| bad(dt.to_string())),
            _ => Err(bad(dt.to_string())),
        },
        Some(other) => Err(bad(crate::limits::shown(&other.to_string()).into_owned())),
    };
    in_range(date?)
}

/// Parses an RCA file's text. `name` is how the file is named in messages; `ticket` the id it
/// must belong to.
pub fn parse_rca_file(text_in: &str, name: &str, ticket: &str) -> Result<RcaFile, Error> {
    let raw: RawRcaFile = toml::from_str(text_in).map_err(|e| {
        Error::new(format!("RCA file {name}: {}", e.to_string().trim_end()))
            .with_hint(format!("an RCA file may hold only these keys: {RCA_FILE_KEYS}"))
    })?;
    if let Some(t) = text(raw.ticket.clone()) {
        if t != ticket {
            return Err(Error::new(format!("RCA file {name}: `ticket` is \"{t}\", but the file is for ticket {ticket}"))
                .with_hint(format!("name the file after its ticket ({t}.toml), or correct `ticket`")));
        }
    }
    let delivered_on = date_value(raw.delivered_on, "delivered_on", name)?;
    let mut measures = Vec::new();
    for (i, m) in raw.preventive_measures.unwrap_or_default().into_iter().enumerate() {
        let key = format!("preventive_measures[{}].due_on", i + 1);
        let due = date_value(m.due_on, &key, name)?;
        let done = date_value(m.done_on, &format!("preventive_measures[{}].done_on", i + 1), name)?;
        let pm = PreventiveMeasure {
            measure: text(m.measure),
            owner: text(m.owner),
            due_on: due,
            done_on: done,
        };
        if pm.measure.is_some() || pm.owner.is_some() || pm.due_on.is_some() {
            measures.push(pm);
        }
    }
    Ok(RcaFile {
        name: name.to_string(),
        sha256: crate::load::sha256_hex(text_in.as_bytes()),
        author: text(raw.author),
        delivered_on,
        cause: text(raw.cause),
        impact: text(raw.impact),
        actions: raw.actions.unwrap_or_default().into_iter().filter_map(|a| text(Some(a))).collect(),
        preventive_measures: measures,
    })
}

/// Reads `DIR/rca/<ticket>.toml`; `None` when there is no such file.
pub fn read_rca_file(data_dir: &Path, ticket: &str) -> Result<Option<RcaFile>, Error> {
    if ticket.is_empty() || ticket.starts_with('.') || ticket.contains(['/', '\\', '\0']) {
        return Err(Error::new(format!("ticket id \"{ticket}\" cannot name an RCA file in rca/"))
            .with_hint("give the ticket an id without slashes or a leading dot"));
    }
    let path = data_dir.join("rca").join(format!("{ticket}.toml"));
    // Anything by that name is read (a pipe or folder is refused, never waited on).
    if !path.exists() {
        return Ok(None);
    }
    let name = path.display().to_string();
    let text_in = crate::limits::read_text_file(&path, crate::limits::MAX_SMALL_FILE_BYTES, "RCA file")?;
    let mut file = parse_rca_file(&text_in, &name, ticket)?;
    // Messages name the path on this machine; the document names the file in the data
    // folder (the client has no business with the server's paths, and the same data in
    // another folder gives the same document).
    file.name = format!("rca/{ticket}.toml");
    Ok(Some(file))
}

/// A preventive measure of an RCA file, with the ticket it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RcaMeasure {
    pub ticket_id: String,
    #[serde(flatten)]
    pub measure: PreventiveMeasure,
}

/// Every preventive measure of the RCA files in `DIR/rca/` (in file-name order), a note for
/// each file that cannot be read (its measures are then not listed; `rca` names the problem
/// in full), and the files read with their SHA-256 (for the manifest).
pub fn read_preventive_measures(data_dir: &Path) -> (Vec<RcaMeasure>, Vec<String>, Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("rca")) else { return (Vec::new(), Vec::new(), Vec::new()) };
    let mut tickets: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".toml")).map(String::from))
        .collect();
    tickets.sort();
    let (mut measures, mut notes, mut files) = (Vec::new(), Vec::new(), Vec::new());
    for ticket in tickets {
        match read_rca_file(data_dir, &ticket) {
            Ok(Some(file)) => {
                files.push((file.name.clone(), file.sha256.clone()));
                measures.extend(
                    file.preventive_measures.into_iter().map(|m| RcaMeasure { ticket_id: ticket.clone(), measure: m }),
                )
            }
            Ok(None) => {}
            Err(e) => notes.push(format!(
                "rca/{ticket}.toml cannot be read, so its preventive measures are not listed: {}",
                e.message
            )),
        }
    }
    (measures, notes, files)
}

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

/// Where an RCA stands as of the report's date (the label keys `rca_status.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RcaStatus {
    /// Delivered on or before its due date.
    OnTime,
    /// Delivered after its due date.
    Late,
    /// Past its due date and not delivered.
    Overdue,
    /// Not delivered, due date still ahead.
    NotYetDue,
    /// The incident is not resolved: no due date yet.
    Unresolved,
    /// Not required (made on request): no due date.
    Voluntary,
}

impl RcaStatus {
    /// The status of a required RCA due on `due` (none while unresolved) and delivered on
    /// `delivered` (none while not delivered), as of `today`.
    pub fn of(due: Option<NaiveDate>, delivered: Option<NaiveDate>, today: NaiveDate) -> RcaStatus {
        match (due, delivered) {
            (None, _) => RcaStatus::Unresolved,
            (Some(due), Some(d)) if d <= due => RcaStatus::OnTime,
            (Some(_), Some(_)) => RcaStatus::Late,
            (Some(due), None) if today > due => RcaStatus::Overdue,
            (Some(_), None) => RcaStatus::NotYetDue,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            RcaStatus::OnTime => "on_time",
            RcaStatus::Late => "late",
            RcaStatus::Overdue => "overdue",
            RcaStatus::NotYetDue => "not_yet_due",
            RcaStatus::Unresolved => "unresolved",
            RcaStatus::Voluntary => "voluntary",
        }
    }

    /// Late or overdue: the RCA was not there when it was due.
    pub fn missed_due_date(self) -> bool {
        matches!(self, RcaStatus::Late | RcaStatus::Overdue)
    }
}

/// Whether a ticket needs an RCA under the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Required,
    NotP1,
    OutOfScope,
}

pub fn requirement(t: &Ticket) -> Requirement {
    if t.priority != Priority::P1 || t.ticket_type != TicketType::Incident {
        Requirement::NotP1
    } else if t.out_of_scope {
        Requirement::OutOfScope
    } else {
        Requirement::Required
    }
}

use crate::report::model::LocalMinute;
use crate::report::monthly::{local_minute, local_str, minutes, status_key};

/// The RCA due date of a ticket resolved at `resolved`: N workdays after the local date.
pub fn due_date(contract: &LoadedContract, resolved: DateTime<Utc>) -> NaiveDate {
    let clock = &contract.clock;
    clock.add_workdays(clock.local(resolved).date(), contract.contract.rules.rca_due_workdays)
}

/// The local date a ticket's RCA was delivered, as of `today`: a delivery dated after the day
/// the report is made has not happened yet.
pub fn delivered_by(contract: &LoadedContract, t: &Ticket, today: NaiveDate) -> Option<NaiveDate> {
    t.rca_delivered_at.map(|d| contract.clock.local(d).date()).filter(|d| *d <= today)
}

/// The end of `today` (local midnight after it), the cut-off for missing events.
pub fn end_of_day(contract: &LoadedContract, today: NaiveDate) -> DateTime<Utc> {
    let next = today + Days::new(1);
    let midnight = next.and_hms_opt(0, 0, 0).expect("midnight exists");
    contract.clock.instant(midnight).unwrap_or_else(|| midnight.and_utc())
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
            id: ticket.id.clone(),
            ticket_type: ticket.ticket_type.key().into(),
            school: ticket.school.clone(),
            category: ticket.category.clone(),
            subcategory: ticket.subcategory.clone(),
            summary: ticket.summary.clone(),
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
    use crate::load::load_tickets_csv;

    const HEAD: &str = "id,type,school,category,subcategory,summary,impact,urgency,priority,channel,opened_at,responded_at,resolved_at,closed_at,escalated_at";

    fn ticket(row: &str) -> (Ticket, LoadedContract) {
        let c = LoadedContract::embedded();
        let csv = format!("{HEAD}\n{row}\n");
        let d = load_tickets_csv(csv.as_bytes(), "t.csv", &c).unwrap();
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
        let at = |s: &str| crate::load::parse_timestamp(s, &c).unwrap();
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
