//! The measured value of every KPI for a period: from tickets, the phone log, the report
//! itself, or `measurements.csv` (which overrides a computed figure).
//!
//! Percentages are computed as `numerator × 100 ÷ denominator`, so a figure that is exactly
//! a band boundary (95 of 100) is exactly that number.

use chrono::{DateTime, NaiveDate, Utc};

use super::input::{Call, MeasurePeriod, Measurement};
use super::{score_domain, Figure, KpiSection};
use crate::contract::{Kpi, KpiSource, LoadedContract, Unit};
use crate::evaluate::{Evaluation, Status};
use crate::period::{Period, PeriodKind};
use crate::ticket::{ChangeClass, Priority, Ticket, TicketType};

/// Everything the KPIs of one period are computed from.
pub struct KpiInputs<'a> {
    pub contract: &'a LoadedContract,
    /// The tickets opened or resolved in the period, with their evaluation at the period's
    /// end (every KPI counts tickets by one of the two; the aggregation selects and evaluates
    /// them once instead of every KPI scanning the whole export).
    pub tickets: &'a [(&'a Ticket, Evaluation)],
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
    pub lang: &'a str,
}

fn pct_figure(num: u64, den: u64, source: &str, detail: String) -> Option<Figure> {
    (den > 0).then(|| Figure {
        measured: num as f64 * 100.0 / den as f64,
        second_measured: None,
        numerator: Some(num),
        denominator: Some(den),
        source: source.into(),
        detail,
        overrides_computed: false,
        note: String::new(),
    })
}

struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Window {
    fn has(&self, t: DateTime<Utc>) -> bool {
        t >= self.start && t < self.end
    }
    fn has_opt(&self, t: Option<DateTime<Utc>>) -> bool {
        t.is_some_and(|t| self.has(t))
    }
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
            let response = k.id == "response_time";
            let (n, d) = count(&mut evaluated()
                .filter(|(t, _)| t.ticket_type == TicketType::Incident)
                .filter(|(t, _)| if response { w.has(t.opened_at) } else { w.has_opt(t.resolved_at) })
                .filter_map(|(_, e)| {
                    let s = if response { e.response.status } else { e.resolution.status };
                    (s != Status::NotYetDue).then_some(s == Status::Met)
                }));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "rca_on_time" => {
            let days = c.contract.rules.rca_due_workdays;
            let (n, d) = count(&mut in_scope()
                .filter(|t| t.ticket_type == TicketType::Incident && t.priority == Priority::P1)
                .filter(|t| w.has_opt(t.resolved_at))
                .filter_map(|t| {
                    let due = clock.add_workdays(clock.local(t.resolved_at?).date(), days);
                    // A delivery dated after the day the report is made has not happened yet.
                    match t.rca_delivered_at.map(|d| clock.local(d).date()).filter(|d| *d <= inp.today) {
                        Some(d) => Some(d <= due),
                        None if inp.today > due => Some(false),
                        None => None, // not yet due
                    }
                }));
            pct_figure(n, d, "tickets", inp.tickets_file.into())
        }
        "trend_report" => inp.recurring_reported.then(|| Figure {
            measured: 100.0,
            second_measured: None,
            numerator: None,
            denominator: None,
            source: "report".into(),
            detail: String::new(),
            overrides_computed: false,
            note: String::new(),
        }),
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

/// The measurement that covers `period` for `kpi`: the same period, else (for a quarter) the
/// sum (a count, `unit`) or mean (a rate) of its months, else the quarter, half year or year
/// that holds it.
fn measured(kpi: &str, unit: Unit, period: &Period, ms: &[Measurement]) -> Option<Figure> {
    let find = |p: MeasurePeriod| ms.iter().find(|m| m.kpi == kpi && m.period == p);
    let figure = |value: f64, detail: String, note: String| Figure {
        measured: value,
        second_measured: None,
        numerator: None,
        denominator: None,
        source: "measurement".into(),
        detail,
        overrides_computed: false,
        note,
    };
    let own = MeasurePeriod::of(period);
    if let Some(m) = find(own) {
        return Some(figure(m.value, m.period.label(), m.note.clone()));
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
            return Some(figure(value, format!("{how}:{}", labels.join(",")), String::new()));
        }
    }
    MeasurePeriod::containing(period.start)
        .into_iter()
        .filter(|p| *p != own && !matches!(p, MeasurePeriod::Month(..)))
        .find_map(|p| find(p).map(|m| figure(m.value, m.period.label(), m.note.clone())))
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
                        Some(KpiSource::Tickets | KpiSource::Calls | KpiSource::Report) => computed(k, inp, &w),
                        _ => None,
                    };
                    match (measured(&k.id, k.unit, &inp.period, inp.measurements), own) {
                        (Some(mut m), Some(_)) => {
                            m.overrides_computed = true;
                            Some(m)
                        }
                        (Some(m), None) => Some(m),
                        (None, own) => own,
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
        domains,
    }
}
