//! One ticket: what the planner hands over (its [`Slot`] and the month's [`MonthPlan`]), the
//! generator that fills a [`Row`] from them — subject, priority, channel and its times on the
//! contract's business clock — and the row's line in `tickets.csv`, spoiled on purpose when it
//! is one of the deliberate [`Fault`]s.

use std::io::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

use crate::contract::LoadedContract;
use crate::ticket::{ChangeClass, Channel, Level, Priority, TicketType};

use super::csv::{push_field, push_num, push_opt_bool, push_opt_time, push_time};
use super::rca::{P1Record, P1_SCENARIOS};
use super::rng::{Rng, Table};
use super::vocabulary::{fill_template, C, I, ONSITE_CATEGORIES, R, SCHOOLS, SUBS, TRICKY_SUMMARIES};

/// Flags of a planned P1 incident.
pub(super) const P1: u8 = 1;
pub(super) const RCA_LATE: u8 = 2;
pub(super) const RCA_MISSING: u8 = 4;
pub(super) const BY_EMAIL: u8 = 8;
pub(super) const LAST_DAYS: u8 = 16;

/// A deliberate fault: how a row is spoiled so that the loader must reject it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    DutchDate,
    UnknownType,
    RespondedBeforeOpened,
    DuplicateId,
    EmptySchool,
    PriorityP7,
    ImpactHeelHoog,
    Yesterday,
}

/// A ticket before it is generated: when it opens and what it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub(super) at: NaiveDateTime,
    pub(super) kind: TicketType,
    pub(super) p1: u8,
}

/// What differs per month: the calendar, the hot topics and how well the desk performs.
pub(super) struct MonthPlan {
    pub(super) workdays: Vec<NaiveDate>,
    pub(super) workday_weights: Table,
    pub(super) offdays: Vec<NaiveDate>,
    /// Subcategory weights per ticket type (incident, service request, change).
    pub(super) subs: [Table; 3],
    pub(super) response_breach: f64,
    pub(super) resolution_breach: f64,
    pub(super) first_line: f64,
    pub(super) late_escalation: f64,
}

/// One generated ticket; reused from row to row so the hot loop does not allocate.
pub(super) struct Row {
    kind: TicketType,
    number: u32,
    school: usize,
    category: &'static str,
    subcategory: &'static str,
    summary: String,
    impact: Level,
    urgency: Level,
    priority: Priority,
    record_priority: bool,
    channel: Channel,
    opened: NaiveDateTime,
    responded: Option<NaiveDateTime>,
    resolved: Option<NaiveDateTime>,
    closed: Option<NaiveDateTime>,
    first_line: Option<bool>,
    out_of_scope: bool,
    escalated: Option<NaiveDateTime>,
    onsite: Option<bool>,
    change_class: Option<ChangeClass>,
    cab_approved: Option<bool>,
    change_failed: Option<bool>,
    rca: Option<NaiveDateTime>,
    scenario: Option<usize>,
}

impl Row {
    pub(super) fn new() -> Self {
        Row {
            kind: TicketType::Incident,
            number: 0,
            school: 0,
            category: "",
            subcategory: "",
            summary: String::with_capacity(128),
            impact: Level::Low,
            urgency: Level::Low,
            priority: Priority::P4,
            record_priority: true,
            channel: Channel::Portal,
            opened: NaiveDateTime::MIN,
            responded: None,
            resolved: None,
            closed: None,
            first_line: None,
            out_of_scope: false,
            escalated: None,
            onsite: None,
            change_class: None,
            cab_approved: None,
            change_failed: None,
            rca: None,
            scenario: None,
        }
    }

    pub(super) fn id(&self) -> String {
        format!("{}{:06}", prefix(self.kind), self.number)
    }

    /// The P1 for `rca/<id>.toml` when this row is a resolved P1 with its RCA delivered.
    pub(super) fn p1_record(&self) -> Option<P1Record> {
        let (Some(scenario), Some(resolved), Some(rca)) = (self.scenario, self.resolved, self.rca) else {
            return None;
        };
        Some(P1Record {
            id: self.id(),
            school: self.school,
            scenario,
            opened: self.opened,
            resolved,
            rca,
        })
    }
}

fn type_index(t: TicketType) -> usize {
    match t {
        TicketType::Incident => 0,
        TicketType::ServiceRequest => 1,
        TicketType::Change => 2,
    }
}

fn prefix(t: TicketType) -> &'static str {
    match t {
        TicketType::Incident => "INC",
        TicketType::ServiceRequest => "REQ",
        TicketType::Change => "CHG",
    }
}

/// `date` at `minute_of_day` minutes after its midnight, local time.
pub(super) fn at(date: NaiveDate, minute_of_day: i64) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN) + TimeDelta::minutes(minute_of_day)
}

fn minute_of_day(t: NaiveDateTime) -> i64 {
    i64::from(t.hour() * 60 + t.minute())
}

/// Business minutes until an event with the given target: mostly well within it, a share
/// `breach` over it, a fifth of those far over.
fn minutes_for(rng: &mut Rng, target: i64, breach: f64) -> i64 {
    let t = target as f64;
    if rng.chance(breach) {
        let factor = if rng.chance(0.2) {
            2.0 + 3.0 * rng.unit()
        } else {
            1.02 + 0.6 * rng.unit()
        };
        ((t * factor).ceil() as i64).max(target + 1)
    } else {
        let u = rng.unit();
        ((t * (0.03 + 0.92 * u * u)) as i64).clamp(1, target)
    }
}

/// Impact and urgency that the matrix (spec §1) turns into `p`.
fn matrix_cell(rng: &mut Rng, p: Priority) -> (Level, Level) {
    use Level::*;
    match p {
        Priority::P1 => (High, High),
        Priority::P2 => *rng.pick(&[(High, Medium), (High, Medium), (Medium, High)]),
        Priority::P3 => [(Medium, Medium), (High, Low), (Low, High)][rng.weighted(&[60, 15, 25])],
        Priority::P4 => [(Medium, Low), (Low, Medium), (Low, Low)][rng.weighted(&[35, 35, 30])],
    }
}

/// Generates the tickets one by one into [`TicketGen::row`], numbering each type on from a
/// drawn start.
pub(super) struct TicketGen<'a> {
    pub(super) rng: Rng,
    contract: &'a LoadedContract,
    schools: Table,
    cutoff: NaiveDateTime,
    next_number: [u32; 3],
    pub(super) row: Row,
}

impl<'a> TicketGen<'a> {
    /// A generator drawing from `rng` that leaves times from `cutoff` on empty.
    pub(super) fn new(mut rng: Rng, contract: &'a LoadedContract, cutoff: NaiveDateTime) -> Self {
        let mut next_number = [0; 3];
        for n in &mut next_number {
            *n = 10_000 + rng.below(40_000) as u32;
        }
        TicketGen {
            rng,
            contract,
            schools: Table::new(SCHOOLS.iter().map(|s| s.weight)),
            cutoff,
            next_number,
            row: Row::new(),
        }
    }

    /// Fills `self.row` with the ticket of `slot`: who opens it, what it is about, when things
    /// happen and the rest of its columns. The steps draw from the one stream in this order.
    pub(super) fn generate(&mut self, slot: &Slot, plan: &MonthPlan) {
        let TicketGen {
            rng,
            contract,
            schools,
            cutoff,
            next_number,
            row,
        } = self;
        let ti = type_index(slot.kind);
        next_number[ti] += 1;
        row.kind = slot.kind;
        row.number = next_number[ti];
        row.opened = slot.at;
        row.school = schools.pick(rng);
        let is_p1 = slot.p1 & P1 != 0;
        row.change_class = None;
        row.scenario = None;
        row.summary.clear();
        if is_p1 {
            row.describe_p1(rng, slot);
        } else {
            row.describe(rng, slot, plan, contract);
        }
        let first_line = row.place_in_time(rng, slot, plan, contract, *cutoff);
        row.set_flags(rng, slot, first_line);
        row.deliver_rca(rng, slot, contract, *cutoff);
    }
}

impl Row {
    /// A P1: one of the major outages of [`P1_SCENARIOS`], phoned in (or, once, e-mailed).
    fn describe_p1(&mut self, rng: &mut Rng, slot: &Slot) {
        let s = rng.below(P1_SCENARIOS.len() as u64) as usize;
        let scenario = &P1_SCENARIOS[s];
        self.scenario = Some(s);
        self.category = scenario.category;
        self.subcategory = scenario.subcategory;
        self.summary.push_str(scenario.summary);
        self.priority = Priority::P1;
        (self.impact, self.urgency) = (Level::High, Level::High);
        self.record_priority = true;
        self.channel = if slot.p1 & BY_EMAIL != 0 {
            Channel::Email
        } else {
            Channel::Phone
        };
    }

    /// Any other ticket: a subcategory of this month's mix with a summary, a priority with the
    /// impact and urgency that give it (now and then one set by hand), and how it came in.
    fn describe(&mut self, rng: &mut Rng, slot: &Slot, plan: &MonthPlan, contract: &LoadedContract) {
        let ti = type_index(slot.kind);
        let sub = &SUBS[plan.subs[ti].pick(rng)];
        self.category = sub.category;
        self.subcategory = sub.name;
        if rng.below(400) == 0 {
            self.summary.push_str(*rng.pick(TRICKY_SUMMARIES));
        } else {
            let tag = [I, R, C][ti];
            let count = sub.templates.iter().filter(|(t, _)| t & tag != 0).count();
            let k = rng.below(count as u64) as usize;
            let template = sub
                .templates
                .iter()
                .filter(|(t, _)| t & tag != 0)
                .nth(k)
                .expect("a template")
                .1;
            fill_template(&mut self.summary, template, rng, SCHOOLS[self.school].kind);
        }
        let weights: [u32; 4] = match slot.kind {
            TicketType::Incident => [0, 10, 38, 52],
            TicketType::ServiceRequest => [0, 5, 30, 65],
            TicketType::Change => {
                let (class, weights) = match rng.weighted(&[70, 25, 5]) {
                    0 => (ChangeClass::Standard, [0, 0, 30, 70]),
                    1 => (ChangeClass::NonStandard, [0, 10, 50, 40]),
                    _ => (ChangeClass::Emergency, [0, 85, 15, 0]),
                };
                self.change_class = Some(class);
                weights
            }
        };
        self.priority = Priority::ALL[rng.weighted(&weights)];
        if rng.chance(0.01) {
            // A priority set by hand that the matrix does not give: a data-quality warning.
            let other = match self.priority {
                Priority::P3 if rng.chance(0.5) => Priority::P2,
                Priority::P2 | Priority::P3 => Priority::P4,
                _ => Priority::P3,
            };
            (self.impact, self.urgency) = matrix_cell(rng, other);
            self.record_priority = true;
        } else {
            (self.impact, self.urgency) = matrix_cell(rng, self.priority);
            self.record_priority = rng.chance(0.7);
        }
        let minute = minute_of_day(slot.at);
        let in_hours = contract.clock.is_workday(slot.at.date()) && (450..1050).contains(&minute);
        self.channel = if !in_hours {
            [Channel::Email, Channel::Portal][rng.weighted(&[35, 65])]
        } else if self.priority == Priority::P2 && slot.kind == TicketType::Incident {
            [Channel::Phone, Channel::Email, Channel::Portal][rng.weighted(&[50, 15, 35])]
        } else {
            [Channel::Phone, Channel::Email, Channel::Portal][rng.weighted(&[17, 28, 55])]
        };
    }

    /// When things happened, in business minutes after opening: response, escalation,
    /// resolution and closure, each left empty when it falls after `cutoff`. Returns whether
    /// the first line resolves it.
    fn place_in_time(
        &mut self,
        rng: &mut Rng,
        slot: &Slot,
        plan: &MonthPlan,
        contract: &LoadedContract,
        cutoff: NaiveDateTime,
    ) -> bool {
        let clock = &contract.clock;
        let is_p1 = slot.p1 & P1 != 0;
        let target = contract.target(slot.kind, self.priority);
        let response = if is_p1 {
            if rng.chance(0.1) {
                rng.range(16, 35)
            } else {
                rng.range(2, 12)
            }
        } else {
            minutes_for(rng, target.response_minutes, plan.response_breach)
        };
        let mut resolution = if is_p1 {
            let on_time = slot.p1 & LAST_DAYS != 0 || !rng.chance(0.25);
            if on_time {
                rng.range(35, 118)
            } else {
                rng.range(125, 420)
            }
        } else {
            minutes_for(rng, target.resolution_minutes, plan.resolution_breach)
        };
        resolution = resolution.max(response + rng.range(1, 20));
        let first_line = slot.kind != TicketType::Change && !is_p1 && rng.chance(plan.first_line);
        let escalation = if slot.kind == TicketType::Change || first_line {
            None
        } else if is_p1 {
            Some(response + rng.range(3, 20))
        } else if rng.chance(plan.late_escalation) {
            Some(rng.range(241, 900).max(response))
        } else {
            Some(rng.range(response.min(240), 240).max(response))
        };
        if let Some(e) = escalation {
            let work = if is_p1 {
                rng.range(10, 30)
            } else {
                rng.range(15, 240)
            };
            resolution = resolution.max(e + work);
        }
        let opened_utc = clock.instant(slot.at).unwrap_or_else(|| slot.at.and_utc());
        let after =
            |minutes: i64| clock.local(clock.add_business_seconds(opened_utc, minutes * 60));
        let before_cutoff = |t: NaiveDateTime| Some(t).filter(|t| *t < cutoff);
        let resolved = after(resolution);
        self.responded = before_cutoff(after(response));
        self.resolved = before_cutoff(resolved);
        self.escalated = escalation.map(after).and_then(before_cutoff);
        let closed = match rng.weighted(&[40, 30, 20, 10]) {
            0 => resolved + TimeDelta::minutes(rng.range(5, 120)),
            k => at(
                clock.add_workdays(resolved.date(), k as u32),
                rng.range(8 * 60, 16 * 60 + 59),
            ),
        };
        self.closed = self.resolved.and(before_cutoff(closed));
        if self.resolved.is_some() && !is_p1 && rng.chance(0.03) {
            self.responded = None;
        }
        first_line
    }

    /// The columns that follow from the type and the times: first line, out of scope, on-site
    /// visit, CAB approval and failed change.
    fn set_flags(&mut self, rng: &mut Rng, slot: &Slot, first_line: bool) {
        let is_p1 = slot.p1 & P1 != 0;
        self.first_line = match (slot.kind, self.resolved, self.escalated) {
            (TicketType::Change, _, _) => None,
            (_, Some(_), _) => Some(first_line),
            (_, None, Some(_)) => Some(false),
            (_, None, None) => None,
        };
        self.out_of_scope = !is_p1 && rng.chance(0.02);
        self.onsite = ONSITE_CATEGORIES
            .contains(&self.category)
            .then(|| match self.scenario {
                Some(s) => P1_SCENARIOS[s].onsite,
                None => rng.chance(0.10),
            });
        self.cab_approved = match self.change_class {
            Some(ChangeClass::NonStandard) => Some(!rng.chance(0.04)),
            Some(ChangeClass::Emergency) => rng.chance(0.85).then_some(true),
            _ => None,
        };
        self.change_failed = self.change_class.and(self.resolved).map(|_| rng.chance(0.02));
    }

    /// The root-cause analysis of a resolved P1: due 5 workdays after resolution, delivered
    /// on time, late, not at all, or (in the last days) not yet, as its flags say.
    fn deliver_rca(&mut self, rng: &mut Rng, slot: &Slot, contract: &LoadedContract, cutoff: NaiveDateTime) {
        self.rca = None;
        let (true, Some(resolved)) = (slot.p1 & P1 != 0, self.resolved) else {
            return;
        };
        let workdays = if slot.p1 & RCA_MISSING != 0 {
            None
        } else if slot.p1 & RCA_LATE != 0 {
            Some(rng.range(6, 9))
        } else if slot.p1 & LAST_DAYS != 0 {
            Some(rng.range(2, 5))
        } else {
            Some(rng.range(1, 5))
        };
        if let Some(k) = workdays {
            let day = contract.clock.add_workdays(resolved.date(), k as u32);
            self.rca = Some(at(day, rng.range(9 * 60, 16 * 60 + 30))).filter(|t| *t < cutoff);
        }
    }
}

/// Appends one `tickets.csv` row (with its line break), spoiled by `fault` if given.
pub(super) fn write_row(out: &mut Vec<u8>, r: &Row, fault: Option<Fault>) {
    out.extend_from_slice(prefix(r.kind).as_bytes());
    push_num(out, u64::from(r.number), 6);
    out.push(b',');
    let kind = if fault == Some(Fault::UnknownType) {
        "storm"
    } else {
        r.kind.key()
    };
    out.extend_from_slice(kind.as_bytes());
    out.push(b',');
    if fault != Some(Fault::EmptySchool) {
        push_field(out, SCHOOLS[r.school].name);
    }
    out.push(b',');
    push_field(out, r.category);
    out.push(b',');
    push_field(out, r.subcategory);
    out.push(b',');
    push_field(out, &r.summary);
    out.push(b',');
    let impact = if fault == Some(Fault::ImpactHeelHoog) {
        "heel hoog"
    } else {
        r.impact.key()
    };
    out.extend_from_slice(impact.as_bytes());
    out.push(b',');
    out.extend_from_slice(r.urgency.key().as_bytes());
    out.push(b',');
    if fault == Some(Fault::PriorityP7) {
        out.extend_from_slice(b"P7");
    } else if r.record_priority {
        out.extend_from_slice(r.priority.key().as_bytes());
    }
    out.push(b',');
    out.extend_from_slice(r.channel.key().as_bytes());
    out.push(b',');
    if fault == Some(Fault::DutchDate) {
        // As a spreadsheet in a Dutch locale writes it.
        let o = r.opened;
        let _ = write!(
            out,
            "{:02}-{:02}-{} {}:{:02}",
            o.day(),
            o.month(),
            o.year(),
            o.hour(),
            o.minute()
        );
    } else {
        push_time(out, r.opened);
    }
    out.push(b',');
    match fault {
        Some(Fault::Yesterday) => out.extend_from_slice(b"gisteren"),
        Some(Fault::RespondedBeforeOpened) => push_time(out, r.opened - TimeDelta::minutes(50)),
        _ => push_opt_time(out, r.responded),
    }
    out.push(b',');
    push_opt_time(out, r.resolved);
    out.push(b',');
    push_opt_time(out, r.closed);
    out.push(b',');
    push_opt_bool(out, r.first_line);
    out.push(b',');
    push_opt_bool(out, Some(r.out_of_scope));
    out.push(b',');
    push_opt_time(out, r.escalated);
    out.push(b',');
    push_opt_bool(out, r.onsite);
    out.push(b',');
    if let Some(c) = r.change_class {
        out.extend_from_slice(c.key().as_bytes());
    }
    out.push(b',');
    push_opt_bool(out, r.cab_approved);
    out.push(b',');
    push_opt_bool(out, r.change_failed);
    out.push(b',');
    push_opt_time(out, r.rca);
    out.push(b'\n');
}
