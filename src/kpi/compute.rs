//! The measured value of every KPI for a period: from tickets, the phone log, the report
//! itself, or `measurements.csv` (which overrides a computed figure).
//!
//! Percentages are computed as `numerator × 100 ÷ denominator`, so a figure that is exactly
//! a band boundary (95 of 100) is exactly that number.

use chrono::{DateTime, NaiveDate, Utc};

use super::input::{Call, MeasurePeriod, Measurement};
use super::{achievement, score_domain, Figure, KpiFigure, KpiSection, PriorityPart};
use crate::contract::{Kpi, KpiSource, LoadedContract, PriorityCombination, Unit};
use crate::evaluate::{Evaluation, Status};
use crate::i18n::Lang;
use crate::period::{Period, PeriodKind};
use crate::ticket::{ChangeClass, Priority, Ticket, TicketType};

/// Everything the KPIs of one period are computed from.
pub struct KpiInputs<'a> {
    pub contract: &'a LoadedContract,
    /// The tickets opened or resolved in the period, with their evaluation at the period's
    /// end (every KPI counts tickets by one of the two; the aggregation selects and evaluates
    /// them once instead of every KPI scanning the whole export).
    pub tickets: &'a [(&'a Ticket, Evaluation)],
    /// Every in-scope P1 incident of the data, whatever its period: the RCA KPI judges each
    /// once, in the period its RCA fell due (or was delivered, if earlier).
    pub p1_incidents: &'a [&'a Ticket],
    /// The file the tickets came from (`tickets.csv`, or the user's export), named as the
    /// source of the figures computed from them.
    pub tickets_file: &'a str,
    /// `None` when the data folder has no `calls.csv`.
    pub calls: Option<&'a [Call]>,
    pub measurements: &'a [Measurement],
    pub period: Period,
    pub today: NaiveDate,
    /// The report lists recurring issues (domain 2's trend report).
    pub recurring_reported: bool,
    pub lang: Lang,
    /// The improvement log and the complaints, when the data folder has them.
    pub improvement_actions: Option<&'a [crate::voice::ImprovementAction]>,
    pub complaints: Option<&'a [crate::voice::Complaint]>,
}

fn pct_figure(num: u64, den: u64, source: &str, detail: String) -> Option<Figure> {
    (den > 0).then(|| Figure {
        numerator: Some(num),
        denominator: Some(den),
        ..Figure::value(num as f64 * 100.0 / den as f64, source, detail, String::new())
    })
}

/// Met / counted per priority (P1–P4) of the response or resolution KPI.
pub type PriorityCounts = [(u64, u64); 4];

/// Domain 2's response or resolution KPI from its counts per priority, combined as the
/// contract says: pooled (met of all counted), or each priority with tickets judged against
/// the norm on its own and their achievements averaged (`per_priority_mean`) or the lowest
/// taken (`per_priority_min`). The figure's measured value is then the mean (or lowest) of
/// the priorities' attainments, and the parts carry each priority's counts.
pub fn per_priority_figure(
    counts: &PriorityCounts,
    k: &Kpi,
    cap: Option<f64>,
    combination: PriorityCombination,
    file: &str,
) -> Option<Figure> {
    let (n, d) = counts.iter().fold((0, 0), |(n, d), (a, b)| (n + a, d + b));
    let mut f = pct_figure(n, d, "tickets", file.into())?;
    let norm = k.norm.unwrap_or(100.0);
    f.per_priority = Priority::ALL
        .iter()
        .zip(counts)
        .filter(|(_, (_, d))| *d > 0)
        .map(|(p, &(n, d))| {
            let measured = n as f64 * 100.0 / d as f64;
            PriorityPart {
                priority: p.key().into(),
                numerator: n,
                denominator: d,
                measured,
                achievement_pct: achievement(measured, norm, k.direction, cap),
            }
        })
        .collect();
    f.combination = Some(combination);
    let parts = f.per_priority.iter().map(|p| p.measured);
    match combination {
        PriorityCombination::Pooled => {}
        PriorityCombination::PerPriorityMean => {
            f.measured = parts.sum::<f64>() / f.per_priority.len() as f64;
        }
        PriorityCombination::PerPriorityMin => f.measured = parts.fold(f64::INFINITY, f64::min),
    }
    Some(f)
}

/// The period as instants: `[start, end)`.
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    fn has(&self, t: DateTime<Utc>) -> bool {
        t >= self.start && t < self.end
    }
    fn has_opt(&self, t: Option<DateTime<Utc>>) -> bool {
        t.is_some_and(|t| self.has(t))
    }
}

/// Whether a P1's RCA was on time, and the date it is judged on: the delivery date when it
/// was delivered by the due date, else the due date. `None` while not yet due (and not
/// delivered) or while the ticket is not resolved. A delivery dated after `today` has not
/// happened yet.
pub struct RcaVerdict {
    pub due_on: NaiveDate,
    pub delivered_on: Option<NaiveDate>,
    pub on_time: bool,
    pub judged_on: NaiveDate,
}

pub fn rca_verdict(t: &Ticket, c: &LoadedContract, today: NaiveDate) -> Option<RcaVerdict> {
    let due_on = crate::rca::due_date(c, t.resolved_at?);
    let delivered_on = crate::rca::delivered_by(c, t, today);
    let (on_time, judged_on) = match delivered_on {
        Some(d) if d <= due_on => (true, d),
        Some(_) => (false, due_on),
        None if today > due_on => (false, due_on),
        None => return None,
    };
    Some(RcaVerdict { due_on, delivered_on, on_time, judged_on })
}

/// `Some(met)` for a judged status, `None` for "not yet due".
pub fn met_of(s: Status) -> Option<bool> {
    (s != Status::NotYetDue).then_some(s == Status::Met)
}

/// Met / counted per priority of the period's in-scope incidents: by opening for the response,
/// by resolution for the resolution; `judge` gives a ticket's verdict (`None`: not counted).
pub fn priority_counts(
    inp: &KpiInputs,
    w: &Window,
    response: bool,
    judge: impl Fn(&Ticket, &Evaluation, bool) -> Option<bool>,
) -> PriorityCounts {
    let mut counts = [(0u64, 0u64); 4];
    for (t, e) in inp.tickets.iter().filter(|(t, _)| !t.out_of_scope && t.ticket_type == TicketType::Incident) {
        let inside = if response { w.has(t.opened_at) } else { w.has_opt(t.resolved_at) };
        if !inside {
            continue;
        }
        if let Some(met) = judge(t, e, response) {
            let slot = &mut counts[t.priority as usize];
            slot.0 += met as u64;
            slot.1 += 1;
        }
    }
    counts
}

/// A KPI computed from tickets or calls; `None` when there is nothing to measure.
fn computed(k: &Kpi, inp: &KpiInputs, w: &Window) -> Option<Figure> {
    let c = inp.contract;
    let clock = &c.clock;
    let in_scope = || inp.tickets.iter().map(|(t, _)| *t).filter(|t| !t.out_of_scope);
    let evaluated = || inp.tickets.iter().filter(|(t, _)| !t.out_of_scope);
    let count = |it: &mut dyn Iterator<Item = bool>| it.fold((0u64, 0u64), |(n, d), ok| (n + ok as u64, d + 1));
    match k.id.as_str() {
        "reachability" => {
            let calls: Vec<&Call> = inp.calls?.iter().filter(|x| w.has(x.started_at)).collect();
            let within = |s: Option<u32>| {
                let s = f64::from(s.unwrap_or(0));
                calls.iter().filter(|x| x.answered && x.wait_seconds <= s).count() as u64
            };
            let den = calls.len() as u64;
            let mut f = pct_figure(within(k.within_seconds), den, "calls", "calls.csv".into())?;
            if k.second_within_seconds.is_some() {
                f.second_measured = Some(within(k.second_within_seconds) as f64 * 100.0 / den as f64);
            }
            Some(f)
        }
        "first_contact_resolution" => {
            let (n, d) = count(&mut in_scope()
                .filter(|t| t.ticket_type != TicketType::Change && w.has(t.opened_at))
                .filter_map(|t| t.first_line_resolved));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "handover_on_time" => {
            let limit = k.within_business_minutes.unwrap_or(240) * 60;
            let (n, d) = count(&mut in_scope()
                .filter(|t| w.has(t.opened_at))
                .filter_map(|t| t.escalated_at.map(|e| clock.business_seconds(t.opened_at, e) <= limit)));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "response_time" | "resolution_time" => {
            let counts = priority_counts(inp, w, k.id == "response_time", |_, e, response| {
                met_of(if response { e.response.status } else { e.resolution.status })
            });
            per_priority_figure(&counts, k, c.contract.scoring.achievement_cap_pct, c.contract.rules.priority_combination, inp.tickets_file)
        }
        "rca_on_time" => {
            // Each P1 once: in the period its RCA fell due, or was delivered if that was earlier.
            let (n, d) = count(&mut inp.p1_incidents.iter().filter_map(|t| {
                let verdict = rca_verdict(t, inp.contract, inp.today)?;
                (inp.period.start <= verdict.judged_on && verdict.judged_on <= inp.period.last_day())
                    .then_some(verdict.on_time)
            }));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "trend_report" => inp.recurring_reported.then(|| Figure::value(100.0, "report", String::new(), String::new())),
        "standard_changes_on_time" => {
            let days = k.within_workdays.unwrap_or(5);
            let (n, d) = count(&mut in_scope()
                .filter(|t| t.ticket_type == TicketType::Change && t.change_class == Some(ChangeClass::Standard))
                .filter(|t| w.has_opt(t.resolved_at))
                .filter_map(|t| {
                    let due = clock.add_workdays(clock.local(t.opened_at).date(), days);
                    Some(clock.local(t.resolved_at?).date() <= due)
                }));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "non_standard_cab_approved" => {
            // No recorded approval counts as not approved: the evidence is the record.
            let (n, d) = count(&mut in_scope()
                .filter(|t| t.ticket_type == TicketType::Change && t.change_class == Some(ChangeClass::NonStandard))
                .filter(|t| w.has(t.opened_at))
                .map(|t| t.cab_approved == Some(true)));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "failed_changes" => {
            let (n, d) = count(&mut in_scope()
                .filter(|t| t.ticket_type == TicketType::Change && w.has_opt(t.resolved_at))
                .map(|t| t.change_failed == Some(true)));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "onsite_within_target" => {
            let (n, d) = count(&mut evaluated()
                .filter(|(t, _)| t.onsite == Some(true) && w.has_opt(t.resolved_at))
                .map(|(_, e)| e.resolution.status == Status::Met));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        _ => None,
    }
}

/// The last day of a measurement's period.
fn measure_period_last_day(p: MeasurePeriod) -> Option<NaiveDate> {
    let (y, last_month) = match p {
        MeasurePeriod::Month(y, m) => (y, m),
        MeasurePeriod::Quarter(y, q) => (y, q * 3),
        MeasurePeriod::Half(y, h) => (y, h * 6),
        MeasurePeriod::Year(y) => (y, 12),
    };
    let (ny, nm) = if last_month == 12 { (y + 1, 1) } else { (y, last_month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// The measurement that covers `period` for `kpi`: the same period, else (for a quarter) the
/// sum (a count, `unit`) or mean (a rate) of its months, else the quarter, half year or
/// year that holds it — the latter only once that longer period has ended on the report's
/// date (`today`); before, the KPI is "not yet measured" for the period.
fn measured(kpi: &str, unit: Unit, period: &Period, ms: &[Measurement], today: NaiveDate) -> KpiFigure {
    let find = |p: MeasurePeriod| ms.iter().find(|m| m.kpi == kpi && m.period == p);
    let figure = |value: f64, detail: String, note: String| {
        KpiFigure::Figure(Figure::value(value, "measurement", detail, note))
    };
    let own = MeasurePeriod::of(period);
    if let Some(m) = find(own) {
        return figure(m.value, m.period.label(), m.note.clone());
    }
    if period.kind == PeriodKind::Quarter {
        let months: Vec<&Measurement> = period
            .months()
            .iter()
            .filter_map(|p| find(MeasurePeriod::of(p)))
            .collect();
        if !months.is_empty() {
            // Counts (complaints, improvement actions) add up over the quarter; a rate's
            // months are averaged.
            let sum = months.iter().map(|m| m.value).sum::<f64>();
            let (value, how) = match unit {
                Unit::Count => (sum, "sum"),
                _ => (sum / months.len() as f64, "mean"),
            };
            let labels: Vec<String> = months.iter().map(|m| m.period.label()).collect();
            return figure(value, format!("{how}:{}", labels.join(",")), String::new());
        }
    }
    let longer = MeasurePeriod::containing(period.start)
        .into_iter()
        .filter(|p| *p != own && !matches!(p, MeasurePeriod::Month(..)))
        .find_map(find);
    match longer {
        Some(m) if measure_period_last_day(m.period).is_some_and(|end| end < today) => {
            figure(m.value, m.period.label(), m.note.clone())
        }
        Some(_) => KpiFigure::NotYetMeasured,
        None => KpiFigure::NoData,
    }
}

/// Computes every domain of the contract for the period.
pub fn kpi_section(inp: &KpiInputs) -> KpiSection {
    let c = &inp.contract.contract;
    let clock = &inp.contract.clock;
    let w = Window { start: inp.period.start_instant(clock), end: inp.period.end_instant(clock) };
    let domains = c
        .domains
        .iter()
        .map(|d| {
            let figures = d
                .kpis
                .iter()
                .map(|k| {
                    let own = match k.source {
                        Some(KpiSource::Tickets | KpiSource::Calls | KpiSource::Report) => computed(k, inp, &w).map(KpiFigure::Figure),
                        Some(KpiSource::Log) => super::logs::from_log(k, inp),
                        _ => None,
                    };
                    match (measured(&k.id, k.unit, &inp.period, inp.measurements, inp.today), own) {
                        (KpiFigure::Figure(mut m), Some(own)) => {
                            m.overrides_computed = matches!(own, KpiFigure::Figure(_));
                            KpiFigure::Figure(m)
                        }
                        (m, None) => m,
                        (_, Some(own)) => own,
                    }
                })
                .collect();
            let active = d.active_from.is_none_or(|f| f <= inp.period.start);
            score_domain(d, figures, &c.scoring, active, inp.lang)
        })
        .collect();
    KpiSection {
        period: inp.period.label(),
        cap_pct: c.scoring.achievement_cap_pct,
        bands: c.scoring.bands.clone(),
        min_weight_share_pct: c.scoring.min_weight_share_pct,
        malus_with_little_data: c.scoring.malus_with_little_data,
        domains,
    }
}
