//! Aggregation of one period (a month, or a pooled quarter for the quarterly report): which
//! ticket counts where, and the figures. The monthly report is this period's model; the
//! quarterly and annual reports call it for each of their months and for the whole quarter.
//!
//! Counting rules (spec §4): volumes and response attainment count tickets opened in the
//! period; resolution attainment counts tickets resolved in it; tickets open at the end of the
//! period and past their resolution deadline form the overdue backlog. Every row read ends in
//! exactly one place — counted, excluded with a reason, or rejected — and the sums are part
//! of the report.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::contract::{LoadedContract, RecurringKey};
use crate::evaluate::{evaluate, Evaluation, Status};
use crate::i18n::Lang;
use crate::load::DataSet;
use crate::natural::{natural_cmp, natural_cmp_pair};
use crate::period::Period;
use crate::report::cross_table::{cross_table, reorder_rows, sparse_cross_table, FastMap, FastSet};
use crate::report::model::*;
use crate::ticket::{Priority, Ticket, TicketType};


/// What the caller fixes for a run.
#[derive(Debug, Clone)]
pub struct RunContext<'a> {
    pub contract: &'a LoadedContract,
    pub period: Period,
    pub today: NaiveDate,
    pub lang: Lang,
}

pub fn local_str(contract: &LoadedContract, t: DateTime<Utc>) -> String {
    local_minute(contract, t).to_string()
}

/// The local time of `t` in the contract's zone, to the minute.
pub fn local_minute(contract: &LoadedContract, t: DateTime<Utc>) -> LocalMinute {
    LocalMinute::new(contract.clock.local(t))
}

/// Business seconds as minutes, to two decimals.
pub(crate) fn minutes(secs: i64) -> f64 {
    (secs as f64 / 60.0 * 100.0).round() / 100.0
}

pub(crate) fn status_key(s: Status) -> &'static str {
    Word::Status(s).as_str()
}

pub(crate) fn pct(met: u64, counted: u64) -> Option<f64> {
    (counted > 0).then(|| met as f64 * 100.0 / counted as f64)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    met: u64,
    breached: u64,
    not_yet_due: u64,
}

impl Tally {
    fn add(&mut self, s: Status) {
        match s {
            Status::Met => self.met += 1,
            Status::Breached => self.breached += 1,
            Status::NotYetDue => self.not_yet_due += 1,
        }
    }
    fn merge(&mut self, o: Tally) {
        self.met += o.met;
        self.breached += o.breached;
        self.not_yet_due += o.not_yet_due;
    }
    fn row(self, ticket_type: &str, priority: &str, target: Option<i64>) -> AttainmentRow {
        let counted = self.met + self.breached;
        AttainmentRow {
            ticket_type: ticket_type.into(),
            priority: priority.into(),
            target_minutes: target,
            counted,
            met: self.met,
            breached: self.breached,
            not_yet_due: self.not_yet_due,
            pct: pct(self.met, counted),
        }
    }
}

fn attainment_rows(
    tallies: &BTreeMap<(TicketType, Priority), Tally>,
    contract: &LoadedContract,
    response: bool,
) -> (Vec<AttainmentRow>, Vec<AttainmentRow>) {
    let target = |t, p| {
        let x = contract.target(t, p);
        if response { x.response_minutes } else { x.resolution_minutes }
    };
    let mut rows = Vec::new();
    let mut overall = Tally::default();
    for t in TicketType::ALL {
        let mut per_type = Tally::default();
        for p in Priority::ALL {
            let tally = tallies.get(&(t, p)).copied().unwrap_or_default();
            per_type.merge(tally);
            rows.push(tally.row(t.key(), p.key(), Some(target(t, p))));
        }
        overall.merge(per_type);
        rows.push(per_type.row(t.key(), "all", None));
    }
    rows.push(overall.row("all", "all", None));
    let by_priority = Priority::ALL
        .iter()
        .map(|p| {
            let mut tally = Tally::default();
            for t in TicketType::ALL {
                tally.merge(tallies.get(&(t, *p)).copied().unwrap_or_default());
            }
            tally.row("all", p.key(), None)
        })
        .collect();
    (rows, by_priority)
}

/// Incidents per recurring-issue key over three months (the report's month last), counted
/// by slot: a key is normalised once per spelling, not once per ticket.
#[derive(Default)]
struct RecurringTally<'t> {
    /// (category, subcategory) as spelled in the data → slot.
    slot_of_spelling: FastMap<(&'t str, &'t str), usize>,
    /// Normalised key → slot.
    slot_of_key: HashMap<(String, String), usize>,
    keys: Vec<(String, String)>,
    counts: Vec<[u64; 3]>,
    /// The first spelling in sort order, seen in the report's month.
    spelling: Vec<Option<(&'t str, &'t str)>>,
    /// The report's month's incidents with their slot (for the example summaries).
    this_month: Vec<(usize, &'t Ticket)>,
}

impl<'t> RecurringTally<'t> {
    /// Counts incident `t`, opened in month `i` (0, 1, or 2 for the report's month).
    fn add(&mut self, t: &'t Ticket, i: usize, key: RecurringKey) {
        let spelling = (t.category.as_str(), t.subcategory.as_str());
        let slot = match self.slot_of_spelling.get(&spelling) {
            Some(&slot) => slot,
            None => {
                let k = recurring_key(t, key);
                let slot = match self.slot_of_key.get(&k) {
                    Some(&slot) => slot,
                    None => {
                        self.keys.push(k.clone());
                        self.counts.push([0; 3]);
                        self.spelling.push(None);
                        self.slot_of_key.insert(k, self.keys.len() - 1);
                        self.keys.len() - 1
                    }
                };
                self.slot_of_spelling.insert(spelling, slot);
                slot
            }
        };
        self.counts[slot][i] += 1;
        if i == 2 {
            let shown = self.spelling[slot].get_or_insert(spelling);
            *shown = (*shown).min(spelling);
            self.this_month.push((slot, t));
        }
    }

    /// The `n` keys with the most incidents in the report's month (ties by key).
    fn top(&self, n: usize, months: &[Period; 3]) -> Vec<RecurringIssue> {
        let mut ranked: Vec<usize> = (0..self.keys.len()).filter(|&s| self.counts[s][2] > 0).collect();
        ranked.sort_by(|&a, &b| {
            let key = |s: usize| (self.keys[s].0.as_str(), self.keys[s].1.as_str());
            self.counts[b][2].cmp(&self.counts[a][2]).then_with(|| natural_cmp_pair(key(a), key(b)))
        });
        ranked.truncate(n);
        // The summaries of the ranked keys' incidents, counted in one pass over the month.
        let mut summaries: Vec<FastMap<&str, u64>> = vec![FastMap::default(); ranked.len()];
        for (slot, t) in self.this_month.iter().filter(|(_, t)| !t.summary.is_empty()) {
            if let Some(i) = ranked.iter().position(|r| r == slot) {
                *summaries[i].entry(t.summary.as_str()).or_default() += 1;
            }
        }
        ranked
            .into_iter()
            .zip(summaries)
            .enumerate()
            .map(|(i, (slot, by_summary))| {
                let (k, c) = (&self.keys[slot], &self.counts[slot]);
                // Show a spelling used in the data (the first in sort order, so the row order
                // of the export changes nothing), not the normalised key.
                let shown = self.spelling[slot]
                    .map(|(c, s)| (c.to_string(), if k.1.is_empty() { String::new() } else { s.to_string() }))
                    .unwrap_or_else(|| k.clone());
                // The three most frequent summaries, ties in sort order.
                let mut examples: Vec<(&str, u64)> = by_summary.into_iter().collect();
                examples.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                RecurringIssue {
                    rank: i as u32 + 1,
                    category: shown.0,
                    subcategory: shown.1,
                    months: months.iter().map(|m| m.label()).collect(),
                    counts: c.to_vec(),
                    trend: match c[2].cmp(&c[1]) {
                        std::cmp::Ordering::Greater => "up",
                        std::cmp::Ordering::Less => "down",
                        std::cmp::Ordering::Equal => "flat",
                    }
                    .into(),
                    examples: examples.iter().take(3).map(|(s, _)| s.to_string()).collect(),
                }
            })
            .collect()
    }
}

fn recurring_key(t: &Ticket, key: RecurringKey) -> (String, String) {
    let norm = |s: &str| s.trim().to_lowercase();
    match key {
        RecurringKey::CategorySubcategory => (norm(&t.category), norm(&t.subcategory)),
        RecurringKey::Category => (norm(&t.category), String::new()),
    }
}

/// Builds the monthly report from loaded data.
pub fn build(data: &DataSet, ctx: &RunContext) -> Monthly {
    build_with(data, ctx, true)
}

/// As `build`; without the per-ticket rows when `ticket_rows` is false (the annual report
/// and `check` need only the figures and lists, and formatting a row per ticket is most of
/// the cost).
pub fn build_with(data: &DataSet, ctx: &RunContext, ticket_rows: bool) -> Monthly {
    build_detailed(data, ctx, Detail { ticket_rows, lists: true })
}

/// What an aggregation makes beside the period's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detail {
    /// A row per ticket (`Monthly::tickets`), for the JSON and the annex.
    pub ticket_rows: bool,
    /// The lists only the monthly report shows: the breaches and the overdue backlog one by
    /// one (without them only counted, for the summary), the priority overrides and the
    /// school × category volumes. The quarterly report takes none of them from its months
    /// and its quarter; at ten million tickets a year a quarter has hundreds of thousands
    /// of breaches.
    pub lists: bool,
}

/// As [`build_with`], making what `detail` asks for (the report's other parts are empty).
pub fn build_detailed(data: &DataSet, ctx: &RunContext, detail: Detail) -> Monthly {
    let (contract, period) = (ctx.contract, ctx.period);
    let end = period.end_instant(&contract.clock);
    let rules = &contract.contract.rules;
    let t = period_tickets(data, ctx, detail);
    let (response, response_by_priority) = attainment_rows(&t.response_tallies, contract, true);
    let (resolution, resolution_by_priority) = attainment_rows(&t.resolution_tallies, contract, false);
    let top = t.recurring.top(3, &t.months);
    let warnings = counted_warnings(data, &t);
    let summary = summary(data, &t, &response, &resolution, warnings.len());
    let (kpis, interpretations) = kpis_and_interpretations(data, ctx, &t, &top);
    let priority_overrides = priority_overrides(&t.overridden, contract, end, period, &response, &resolution);
    let report = MonthlyReport {
        meta: meta(data, ctx, end),
        summary,
        volumes: volumes(if detail.lists { &t.opened } else { &[] }),
        attainment: Attainment { response, resolution, response_by_priority, resolution_by_priority },
        breaches: t.breaches,
        backlog: t.backlog,
        recurring: Recurring {
            key: match rules.recurring_issue_key {
                RecurringKey::CategorySubcategory => "category_subcategory".into(),
                RecurringKey::Category => "category".into(),
            },
            top,
        },
        p1s: t.p1s,
        kpis,
        priority_overrides,
        interpretations,
        open_measures: open_measures(data, ctx.today),
        voice: super::voice::voice(data, contract, period, ctx.today, ctx.lang),
        commentary: Default::default(),
        data_quality: data_quality(data, accounting(data, t.counted, t.outside, t.out_of_scope), warnings),
        changes: None,
    };
    Monthly { report, tickets: t.ticket_rows }
}

/// The warnings about the tickets this report counts (not about those of other months).
/// The set is made of the warned tickets' ids, usually few, and the counted tickets are looked
/// up in it (not a set of every counted ticket, millions in a large quarter).
fn counted_warnings(data: &DataSet, t: &PeriodTickets) -> Vec<crate::canonical::Warning> {
    if data.warnings.is_empty() {
        return Vec::new();
    }
    let warned: FastSet<&str> = data.warnings.iter().map(|w| w.ticket_id.as_str()).collect();
    let counted_ids: FastSet<&str> = t
        .kpi_tickets
        .iter()
        .map(|(t, _)| t.id.as_str())
        .chain(t.backlog_tickets.iter().map(|t| t.id.as_str()))
        .filter(|id| warned.contains(id))
        .collect();
    data.warnings.iter().filter(|w| counted_ids.contains(w.ticket_id.as_str())).cloned().collect()
}

/// The report's first page in numbers.
fn summary(data: &DataSet, t: &PeriodTickets, response: &[AttainmentRow], resolution: &[AttainmentRow], warnings: usize) -> Summary {
    let (opened, p1s) = (&t.opened, &t.p1s);
    let overall = |rows: &[AttainmentRow]| rows.last().and_then(|r| r.pct);
    Summary {
        tickets_opened: opened.len() as u64,
        incidents_opened: opened.iter().filter(|t| t.ticket_type == TicketType::Incident).count() as u64,
        service_requests_opened: opened.iter().filter(|t| t.ticket_type == TicketType::ServiceRequest).count() as u64,
        changes_opened: opened.iter().filter(|t| t.ticket_type == TicketType::Change).count() as u64,
        tickets_resolved: t.resolved_count,
        response_pct: overall(response),
        resolution_pct: overall(resolution),
        response_breaches: t.response_breaches,
        resolution_breaches: t.resolution_breaches,
        backlog_overdue: t.backlog_tickets.len() as u64,
        p1_count: p1s.iter().filter(|p| !p.carried_over).count() as u64,
        rca_overdue_or_late: p1s.iter().filter(|p| p.rca_status.missed_due_date()).count() as u64,
        rows_rejected: data.rejections.len() as u64,
        warnings: warnings as u64,
    }
}

/// Every KPI of the contract for the period (from the period's evaluated tickets, the calls,
/// the logs, the measurements), and the interpretations box: each figure under the other
/// reading of the contract.
fn kpis_and_interpretations(data: &DataSet, ctx: &RunContext, t: &PeriodTickets, top: &[RecurringIssue]) -> (crate::kpi::KpiSection, Vec<Interpretation>) {
    let rules = &ctx.contract.contract.rules;
    let kpi_inputs = crate::kpi::compute::KpiInputs {
        contract: ctx.contract,
        tickets: &t.kpi_tickets,
        p1_incidents: &t.p1_all,
        tickets_file: data.tickets_file(),
        calls: data.calls.as_deref(),
        measurements: &data.measurements,
        period: ctx.period,
        today: ctx.today,
        recurring_reported: !top.is_empty(),
        lang: ctx.lang,
        improvement_actions: data.improvement_actions.as_deref(),
        complaints: data.complaints.as_deref(),
    };
    let kpis = crate::kpi::compute::kpi_section(&kpi_inputs);
    let issue_names = |top: &[RecurringIssue]| -> Vec<String> {
        top.iter()
            .map(|it| {
                let name = if it.subcategory.is_empty() { it.category.clone() } else { format!("{} / {}", it.category, it.subcategory) };
                format!("{name} ({})", it.counts[2])
            })
            .collect()
    };
    let interpretations = super::interpretations::interpretations(
        &kpis,
        &kpi_inputs,
        (rules.recurring_issue_key, issue_names(top)),
        issue_names(&t.recurring_other.top(3, &t.months)),
    );
    (kpis, interpretations)
}

/// The data-quality section: the accounting, every rejection, the counted tickets' warnings
/// (and their number per column), the notes.
fn data_quality(data: &DataSet, accounting: Accounting, warnings: Vec<crate::canonical::Warning>) -> DataQuality {
    let mut warnings_by_column: BTreeMap<&str, u64> = BTreeMap::new();
    for w in &warnings {
        *warnings_by_column.entry(w.column.as_str()).or_default() += 1;
    }
    DataQuality {
        accounting,
        rejections: data.rejections.clone(),
        warnings_by_column: warnings_by_column.into_iter().map(|(column, count)| WarningCount { column: column.into(), count }).collect(),
        warnings,
        notes: data.notes.clone(),
    }
}

/// The tickets of a period, each evaluated once: what they count for (volumes, attainment,
/// breaches, the overdue backlog, P1s, recurring issues) and what the KPIs are given.
struct PeriodTickets<'d> {
    ticket_rows: Vec<TicketRow>,
    counted: u64,
    outside: u64,
    out_of_scope: u64,
    opened: Vec<&'d Ticket>,
    kpi_tickets: Vec<(&'d Ticket, Evaluation)>,
    response_tallies: BTreeMap<(TicketType, Priority), Tally>,
    resolution_tallies: BTreeMap<(TicketType, Priority), Tally>,
    /// Listed only with `Detail::lists`; counted always.
    breaches: Vec<Breach>,
    response_breaches: u64,
    resolution_breaches: u64,
    backlog: Vec<BacklogItem>,
    backlog_tickets: Vec<&'d Ticket>,
    p1s: Vec<P1Item>,
    resolved_count: u64,
    overridden: Vec<(&'d Ticket, Evaluation)>,
    months: [Period; 3],
    recurring: RecurringTally<'d>,
    recurring_other: RecurringTally<'d>,
    p1_all: Vec<&'d Ticket>,
}

/// Every ticket that touches the period, evaluated once at the period's end and counted
/// where spec §4 says; the P1s of earlier periods whose RCA this period
/// owes; the lists sorted so output never depends on input order.
fn period_tickets<'d>(data: &'d DataSet, ctx: &RunContext, detail: Detail) -> PeriodTickets<'d> {
    let ticket_rows_wanted = detail.ticket_rows;
    let contract = ctx.contract;
    let clock = &contract.clock;
    let period = ctx.period;
    let (start, end) = (period.start_instant(clock), period.end_instant(clock));
    let in_period = |t: DateTime<Utc>| t >= start && t < end;
    let rules = &contract.contract.rules;

    let mut ticket_rows = Vec::new();
    let mut counted = 0u64;
    let mut outside = 0u64;
    let mut out_of_scope = 0u64;
    let mut opened: Vec<&Ticket> = Vec::new();
    let mut kpi_tickets: Vec<(&Ticket, Evaluation)> = Vec::new();
    let mut response_tallies: BTreeMap<(TicketType, Priority), Tally> = BTreeMap::new();
    let mut resolution_tallies: BTreeMap<(TicketType, Priority), Tally> = BTreeMap::new();
    let mut breaches = Vec::new();
    let (mut response_breaches, mut resolution_breaches) = (0u64, 0u64);
    let mut backlog = Vec::new();
    let mut backlog_tickets = Vec::new();
    let mut p1s = Vec::new();
    let mut resolved_count = 0u64;
    // Tickets of the period whose recorded priority differs from the matrix's.
    let mut overridden: Vec<(&Ticket, Evaluation)> = Vec::new();
    // Recurring issues: incidents opened in this month and the two before.
    let months = [period.months_before(2), period.months_before(1), period];
    let month_bounds: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        months.iter().map(|m| (m.start_instant(clock), m.end_instant(clock))).collect();
    let mut recurring = RecurringTally::default();
    // The same under the other key, for the interpretations box.
    let other_key = match rules.recurring_issue_key {
        RecurringKey::CategorySubcategory => RecurringKey::Category,
        RecurringKey::Category => RecurringKey::CategorySubcategory,
    };
    let mut recurring_other = RecurringTally::default();
    // Every in-scope P1 incident, whatever its period: the RCA KPI and the carried-over list.
    let mut p1_all: Vec<&Ticket> = Vec::new();

    for t in &data.tickets {
        let opened_in = in_period(t.opened_at);
        if t.ticket_type == TicketType::Incident && !t.out_of_scope {
            for (i, (s, e)) in month_bounds.iter().enumerate() {
                if t.opened_at >= *s && t.opened_at < *e {
                    recurring.add(t, i, rules.recurring_issue_key);
                    recurring_other.add(t, i, other_key);
                }
            }
            if t.priority == Priority::P1 {
                p1_all.push(t);
            }
        }
        let resolved_in = t.resolved_at.is_some_and(in_period);
        let open_at_end = t.opened_at < end && t.resolved_at.is_none_or(|r| r >= end);
        if !(opened_in || resolved_in || open_at_end) {
            // Neither opened nor resolved in the period, nor open at its end: nothing to
            // evaluate (most rows of a year's export, for a month's report).
            outside += 1;
            continue;
        }
        let ev: Evaluation = evaluate(t, contract, end);
        // Past the resolution target at the cut-off by business time (at exactly the deadline
        // the time taken equals the target: met, not overdue).
        let overdue_seconds =
            if open_at_end && ev.resolution.deadline < end { clock.business_seconds(ev.resolution.deadline, end) } else { 0 };
        let overdue = overdue_seconds > 0;
        let counting = if !(opened_in || resolved_in || overdue) {
            outside += 1;
            "outside_period"
        } else if t.out_of_scope {
            out_of_scope += 1;
            "out_of_scope"
        } else {
            counted += 1;
            "counted"
        };
        if (opened_in || resolved_in) && !t.out_of_scope {
            kpi_tickets.push((t, ev));
        }
        if counting != "counted" {
            if counting == "out_of_scope" && ticket_rows_wanted {
                ticket_rows.push(ticket_row(t, &ev, contract, Counting::OutOfScope, opened_in, resolved_in));
            }
            continue;
        }
        if ticket_rows_wanted {
            ticket_rows.push(ticket_row(t, &ev, contract, Counting::Counted, opened_in, resolved_in));
        }
        let breach = |m: &str, me: &crate::evaluate::Measure| Breach {
            ticket_id: t.id.to_string(),
            measure: m.into(),
            ticket_type: t.ticket_type.key().into(),
            priority: t.priority.key().into(),
            school: t.school.to_string(),
            category: t.category.to_string(),
            summary: t.summary.to_string(),
            opened_at: local_minute(contract, t.opened_at),
            at: me.at.map(|x| local_minute(contract, x)),
            target_minutes: me.target_minutes,
            actual_minutes: minutes(me.target_minutes * 60 + me.overshoot_seconds),
            overshoot_minutes: minutes(me.overshoot_seconds),
        };
        if opened_in {
            opened.push(t);
            response_tallies.entry((t.ticket_type, t.priority)).or_default().add(ev.response.status);
            if ev.response.status == Status::Breached {
                response_breaches += 1;
                if detail.lists {
                    breaches.push(breach("response", &ev.response));
                }
            }
        }
        if resolved_in {
            resolved_count += 1;
            resolution_tallies.entry((t.ticket_type, t.priority)).or_default().add(ev.resolution.status);
            if ev.resolution.status == Status::Breached {
                resolution_breaches += 1;
                if detail.lists {
                    breaches.push(breach("resolution", &ev.resolution));
                }
            }
        }
        if overdue {
            backlog_tickets.push(t);
        }
        if overdue && detail.lists {
            backlog.push(BacklogItem {
                ticket_id: t.id.to_string(),
                ticket_type: t.ticket_type.key().into(),
                priority: t.priority.key().into(),
                school: t.school.to_string(),
                category: t.category.to_string(),
                summary: t.summary.to_string(),
                opened_at: local_minute(contract, t.opened_at),
                deadline: local_minute(contract, ev.resolution.deadline),
                target_minutes: ev.resolution.target_minutes,
                overdue_minutes: minutes(overdue_seconds),
            });
        }
        if t.priority == Priority::P1 && t.ticket_type == TicketType::Incident && (opened_in || resolved_in) {
            p1s.push(p1_item(t, &ev, ctx, false));
        }
        if detail.lists && (opened_in || resolved_in) && t.matrix_priority.is_some_and(|m| m != t.priority) {
            overridden.push((t, ev));
        }
    }

    // P1s of earlier periods whose RCA was still owed during this one, or was delivered in
    // it: listed until delivered, then once more (nothing owed drops out between reports).
    p1s.extend(carried_over_p1s(&p1_all, ctx, start, end));

    // Sort lists so output never depends on input order.
    // Breaches by priority (every P1 and P2 breach is shown in the PDF), then overshoot.
    breaches.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| b.overshoot_minutes.total_cmp(&a.overshoot_minutes))
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
            .then_with(|| a.measure.cmp(&b.measure))
    });
    backlog.sort_by(|a, b| b.overdue_minutes.total_cmp(&a.overdue_minutes).then_with(|| a.ticket_id.cmp(&b.ticket_id)));
    p1s.sort_by(|a, b| a.opened_at.cmp(&b.opened_at).then_with(|| a.ticket_id.cmp(&b.ticket_id)));
    // Ticket ids are unique (a repeated one is rejected), so the order is total: sorted in
    // place, without the stable sort's buffer of half the rows; the room the list grew into
    // is given back (a quarter at ten million tickets a year has 2.5 million rows).
    ticket_rows.sort_unstable_by(|a, b| a.opened_at.cmp(&b.opened_at).then_with(|| a.ticket_id.cmp(&b.ticket_id)));
    ticket_rows.shrink_to_fit();

    PeriodTickets {
        ticket_rows,
        counted,
        outside,
        out_of_scope,
        opened,
        kpi_tickets,
        response_tallies,
        resolution_tallies,
        breaches,
        response_breaches,
        resolution_breaches,
        backlog,
        backlog_tickets,
        p1s,
        resolved_count,
        overridden,
        months,
        recurring,
        recurring_other,
        p1_all,
    }
}

/// P1s of earlier periods whose RCA was still owed during this one, or was delivered in it:
/// listed until delivered, then once more (nothing owed drops out between reports).
fn carried_over_p1s(p1_all: &[&Ticket], ctx: &RunContext, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<P1Item> {
    let (contract, period) = (ctx.contract, ctx.period);
    let mut p1s = Vec::new();
    for t in p1_all {
        let Some(resolved) = t.resolved_at else { continue };
        if resolved >= start || t.opened_at >= start {
            continue; // this period's own P1s are listed above
        }
        let due = crate::rca::due::due_date(contract, resolved);
        let delivered = crate::rca::due::delivered_by(contract, t, ctx.today);
        let delivered_in = delivered.is_some_and(|d| d >= period.start && d <= period.last_day());
        let owed_in = delivered.is_none_or(|d| d >= period.start) && due <= period.last_day();
        if delivered_in || owed_in {
            let ev = evaluate(t, contract, end);
            p1s.push(p1_item(t, &ev, ctx, true));
        }
    }
    p1s
}

/// The volumes of the tickets opened in the period: school × category (all and
/// incidents), type × priority.
fn volumes(opened: &[&Ticket]) -> Volumes {
    let categories: Vec<String> = {
        let s: FastSet<&str> = opened.iter().map(|t| t.category.as_str()).collect();
        let mut s: Vec<&str> = s.into_iter().collect();
        s.sort_by(|a, b| natural_cmp(a, b));
        s.into_iter().map(String::from).collect()
    };
    let by_school_category = sparse_cross_table(opened.iter().map(|t| (t.school.as_str(), t.category.as_str())), &categories);
    let incidents_by_school_category = sparse_cross_table(
        opened.iter().filter(|t| t.ticket_type == TicketType::Incident).map(|t| (t.school.as_str(), t.category.as_str())),
        &categories,
    );
    let type_rows: Vec<String> = TicketType::ALL.iter().map(|t| t.key().to_string()).collect();
    let prio_cols: Vec<String> = Priority::ALL.iter().map(|p| p.key().to_string()).collect();
    let mut by_type_priority = cross_table(opened.iter().map(|t| (t.ticket_type.key(), t.priority.key())), &prio_cols);
    // Every type is a row, even with no tickets, in the contract's order.
    by_type_priority = reorder_rows(by_type_priority, &type_rows);

    Volumes { by_school_category, incidents_by_school_category, by_type_priority }
}

/// The accounting of every row read: counted, excluded (by reason) or rejected, for
/// the ticket file and each other file.
fn accounting(data: &DataSet, counted: u64, outside: u64, out_of_scope: u64) -> Accounting {
    let rejected = data.rejections.iter().filter(|r| r.file == data.tickets_file()).count() as u64;
    let other_files = data
        .files
        .iter()
        .filter(|f| f.name != data.tickets_file())
        .map(|f| {
            let rejected = data.rejections.iter().filter(|r| r.file == f.name).count() as u64;
            FileAccounting { file: f.name.clone(), rows_read: f.rows, used: f.rows - rejected, rejected }
        })
        .collect();
    let excluded = outside + out_of_scope;
    Accounting {
        rows_read: data.rows_read,
        counted,
        excluded,
        excluded_by_reason: ExcludedRows { outside_period: outside, out_of_scope },
        rejected,
        balanced: data.rows_read == counted + excluded + rejected,
        other_files,
    }
}

/// The report's meta: parties, contract, period, cut-off, due date, inputs.
fn meta(data: &DataSet, ctx: &RunContext, end: DateTime<Utc>) -> Meta {
    let (contract, period) = (ctx.contract, ctx.period);
    let rules = &contract.contract.rules;
    let due_on = contract.clock.add_workdays(period.last_day(), rules.report_due_workdays);
    let c = &contract.contract;
    Meta {
        kind: "monthly".into(),
        lang: ctx.lang,
        tool_version: env!("CARGO_PKG_VERSION").into(),
        client: c.parties.client.clone(),
        provider: c.parties.provider.clone(),
        contract_name: c.parties.contract_name.clone(),
        contract_source: match &contract.source {
            crate::contract::ContractSource::Embedded => "embedded".into(),
            crate::contract::ContractSource::File(p) => p.display().to_string(),
        },
        contract_sha256: crate::digest::sha256_hex(contract.text.as_bytes()),
        period: period.label(),
        period_start: period.start,
        period_end: period.last_day(),
        cutoff: local_minute(contract, end),
        generated_on: ctx.today,
        due_on: Some(due_on),
        late: ctx.today > due_on,
        rca_due_workdays: rules.rca_due_workdays,
        time_zone: c.calendar.time_zone.clone(),
        service_window: format!("{}–{}", c.calendar.window_start, c.calendar.window_end),
        inputs: data.files.clone(),
    }
}

fn ticket_row(t: &Ticket, ev: &Evaluation, contract: &LoadedContract, counting: Counting, opened_in: bool, resolved_in: bool) -> TicketRow {
    TicketRow {
        ticket_id: t.id.clone(),
        line: t.line,
        ticket_type: Word::Type(t.ticket_type),
        priority: Word::Priority(t.priority),
        matrix_priority: t.matrix_priority.map(Word::Priority),
        school: t.school.clone(),
        category: t.category.clone(),
        subcategory: t.subcategory.clone(),
        summary: t.summary.clone(),
        channel: Word::Channel(t.channel),
        opened_at: local_minute(contract, t.opened_at),
        responded_at: t.responded_at.map(|x| local_minute(contract, x)),
        resolved_at: t.resolved_at.map(|x| local_minute(contract, x)),
        counting: Word::Counting(counting),
        opened_in_period: opened_in,
        resolved_in_period: resolved_in,
        response_target_minutes: ev.response.target_minutes,
        response_minutes: ev.response.business_seconds.map(minutes),
        response_status: Word::Status(ev.response.status),
        resolution_target_minutes: ev.resolution.target_minutes,
        resolution_minutes: ev.resolution.business_seconds.map(minutes),
        resolution_status: Word::Status(ev.resolution.status),
    }
}

fn channel_key(t: &Ticket) -> &'static str {
    Word::Channel(t.channel).as_str()
}

/// The RCA files' preventive measures still open on `today` (no `done_on`, or a later one),
/// the overdue ones first, then by due date.
pub fn open_measures(data: &DataSet, today: NaiveDate) -> Vec<OpenMeasure> {
    let mut out: Vec<OpenMeasure> = data
        .preventive_measures
        .iter()
        .filter(|m| m.measure.done_on.is_none_or(|d| d > today))
        .map(|m| OpenMeasure {
            ticket_id: m.ticket_id.clone(),
            measure: m.measure.measure.clone().unwrap_or_default(),
            owner: m.measure.owner.clone(),
            due_on: m.measure.due_on,
            overdue: m.measure.due_on.is_some_and(|d| d < today),
        })
        .collect();
    out.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| a.due_on.cmp(&b.due_on)).then_with(|| a.ticket_id.cmp(&b.ticket_id)));
    out
}

/// The summary of recorded priorities that differ from the matrix: how many, which way, and
/// what the month's attainment would be judged on the matrix priority.
fn priority_overrides(
    overridden: &[(&Ticket, Evaluation)],
    contract: &LoadedContract,
    cutoff: DateTime<Utc>,
    period: Period,
    response: &[AttainmentRow],
    resolution: &[AttainmentRow],
) -> PriorityOverrides {
    let clock = &contract.clock;
    let (start, end) = (period.start_instant(clock), period.end_instant(clock));
    let inside = |t: DateTime<Utc>| t >= start && t < end;
    let mut pairs: BTreeMap<(Priority, Priority), u64> = BTreeMap::new();
    let mut rows = Vec::new();
    let (mut lowered, mut raised, mut only_recorded, mut only_matrix) = (0, 0, 0, 0);
    // Met counts on the recorded priority minus those on the matrix one, per measure.
    // (met, counted) on the recorded priority minus those on the matrix one.
    let (mut response_shift, mut resolution_shift) = ((0i64, 0i64), (0i64, 0i64));
    let mut tickets = 0u64;
    for (t, ev) in overridden {
        let Some(matrix) = t.matrix_priority else { continue };
        let opened_in = inside(t.opened_at);
        let resolved_in = t.resolved_at.is_some_and(inside);
        let on_matrix = evaluate(&Ticket { priority: matrix, ..(*t).clone() }, contract, cutoff);
        let mut compare = |counts: bool, a: Status, b: Status, shift: &mut (i64, i64)| -> (Option<String>, Option<String>) {
            if !counts {
                return (None, None);
            }
            match (a, b) {
                (Status::Met, Status::Breached) => only_recorded += 1,
                (Status::Breached, Status::Met) => only_matrix += 1,
                _ => {}
            }
            shift.0 += i64::from(a == Status::Met) - i64::from(b == Status::Met);
            // "Not yet due" is not counted; it may be on one priority and not the other.
            shift.1 += i64::from(a != Status::NotYetDue) - i64::from(b != Status::NotYetDue);
            (Some(status_key(a).into()), Some(status_key(b).into()))
        };
        let (rs, rsm) = compare(opened_in, ev.response.status, on_matrix.response.status, &mut response_shift);
        let (ls, lsm) = compare(resolved_in, ev.resolution.status, on_matrix.resolution.status, &mut resolution_shift);
        if opened_in {
            tickets += 1;
            *pairs.entry((matrix, t.priority)).or_default() += 1;
            // P1 is the highest priority: a larger number is a lower priority.
            if t.priority > matrix { lowered += 1 } else { raised += 1 }
        }
        rows.push(PriorityOverride {
            ticket_id: t.id.to_string(),
            ticket_type: t.ticket_type.key().into(),
            school: t.school.to_string(),
            summary: t.summary.to_string(),
            opened_at: local_minute(contract, t.opened_at),
            matrix_priority: matrix.key().into(),
            recorded_priority: t.priority.key().into(),
            direction: if t.priority > matrix { "lowered" } else { "raised" }.into(),
            response_status: rs,
            response_status_matrix: rsm,
            resolution_status: ls,
            resolution_status_matrix: lsm,
        });
    }
    rows.sort_by(|a, b| a.matrix_priority.cmp(&b.matrix_priority).then_with(|| a.opened_at.cmp(&b.opened_at)).then_with(|| a.ticket_id.cmp(&b.ticket_id)));
    let overall = |rows: &[AttainmentRow], (met, counted): (i64, i64)| {
        let all = rows.last()?;
        let met = (all.met as i64 - met).max(0) as u64;
        pct(met, (all.counted as i64 - counted).max(0) as u64)
    };
    PriorityOverrides {
        tickets,
        lowered,
        raised,
        pairs: pairs
            .into_iter()
            .map(|((m, r), n)| PriorityPair { matrix: m.key().into(), recorded: r.key().into(), tickets: n })
            .collect(),
        met_only_on_recorded: only_recorded,
        met_only_on_matrix: only_matrix,
        response_pct: response.last().and_then(|r| r.pct),
        response_pct_matrix: overall(response, response_shift),
        resolution_pct: resolution.last().and_then(|r| r.pct),
        resolution_pct_matrix: overall(resolution, resolution_shift),
        rows,
    }
}

fn p1_item(t: &Ticket, ev: &Evaluation, ctx: &RunContext, carried_over: bool) -> P1Item {
    let contract = ctx.contract;
    let due = t.resolved_at.map(|r| crate::rca::due::due_date(contract, r));
    let delivered = crate::rca::due::delivered_by(contract, t, ctx.today);
    P1Item {
        ticket_id: t.id.to_string(),
        ticket_type: t.ticket_type.key().into(),
        school: t.school.to_string(),
        category: t.category.to_string(),
        summary: t.summary.to_string(),
        channel: channel_key(t).into(),
        opened_at: local_minute(contract, t.opened_at),
        responded_at: t.responded_at.map(|x| local_minute(contract, x)),
        resolved_at: t.resolved_at.map(|x| local_minute(contract, x)),
        response_minutes: ev.response.business_seconds.map(minutes),
        resolution_minutes: ev.resolution.business_seconds.map(minutes),
        response_status: status_key(ev.response.status).into(),
        resolution_status: status_key(ev.resolution.status).into(),
        rca_due_on: due,
        rca_delivered_on: delivered,
        rca_status: crate::rca::due::RcaStatus::of(due, delivered, ctx.today),
        carried_over,
    }
}
