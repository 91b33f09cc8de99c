//! The quarterly report for the tactical meeting (guideline §8, §9): the three months and
//! the quarter side by side, laid out along the meeting's agenda, and the malus per domain
//! that goes on the invoice of the next quarter.
//!
//! It is assembled from the same aggregation as the monthly report, run once per month and
//! once over the whole quarter (pooled tickets; measured KPIs from the quarterly measurement
//! or the mean of the monthly ones). So a monthly figure in the quarterly report is the
//! figure of that month's report.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::kpi::{DomainResult, KpiSection};
use crate::load::DataSet;
use crate::period::Period;
use crate::report::model::{Accounting, CrossTable, Meta, Summary};
use crate::report::monthly::{build_with, cross_table, reorder_rows, FastMap, RunContext};
use crate::ticket::{ChangeClass, TicketType};

#[derive(Debug, Clone, Serialize)]
pub struct QuarterlyReport {
    pub meta: Meta,
    /// `2026-07`, `2026-08`, `2026-09`.
    pub months: Vec<String>,
    /// The quarter the malus is charged in (`2026-Q4`).
    pub invoice_quarter: String,
    pub month_summaries: Vec<Summary>,
    pub quarter_summary: Summary,
    pub domains: Vec<QuarterDomain>,
    pub volumes_by_type: CrossTable,
    pub schools_by_month: CrossTable,
    pub recurring: Vec<QuarterIssue>,
    pub changes: Vec<ChangeRow>,
    pub improvement: Vec<MeasurementRow>,
    pub complaints: Vec<MeasurementRow>,
    /// Domains that scored below the escalation band in a month or the quarter.
    pub escalations: Vec<EscalationRow>,
    pub malus: Vec<MalusRow>,
    pub accounting: Accounting,
    pub rejected_rows: u64,
    pub warnings: u64,
    /// KPI sections of the three months and the quarter, for the JSON.
    pub kpi_months: Vec<KpiSection>,
    pub kpi_quarter: KpiSection,
}

/// One domain across the quarter.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterDomain {
    pub number: u32,
    pub name: String,
    pub status: String,
    pub monthly_scores: Vec<Option<f64>>,
    pub quarter_score: Option<f64>,
    pub trend: String,
    pub kpis: Vec<QuarterKpi>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterKpi {
    pub id: String,
    pub name: String,
    pub norm_text: String,
    pub weight: Option<f64>,
    pub unit: crate::contract::Unit,
    pub monthly_measured: Vec<Option<f64>>,
    pub monthly_achievement: Vec<Option<f64>>,
    pub quarter_measured: Option<f64>,
    pub quarter_achievement: Option<f64>,
    /// Where the quarter figure comes from: `tickets`, `calls`, `measurement`, `report`.
    pub quarter_source: Option<String>,
    /// The measurement period, or `mean:2026-07,…` when the quarter figure is a mean.
    pub quarter_detail: Option<String>,
    /// `up`, `down`, `flat` or `none`: the last month with data against the first.
    pub trend: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuarterIssue {
    pub category: String,
    pub subcategory: String,
    pub counts: Vec<u64>,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// A month label or `quarter`.
    pub period: String,
    pub standard: u64,
    pub non_standard: u64,
    pub emergency: u64,
    pub unclassified: u64,
    pub cab_required: u64,
    pub cab_approved: u64,
    pub resolved: u64,
    pub failed: u64,
    pub failed_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasurementRow {
    pub period: String,
    pub value: f64,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationRow {
    pub number: u32,
    pub name: String,
    /// A month label or the quarter label.
    pub period: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MalusRow {
    pub number: u32,
    pub name: String,
    pub status: String,
    pub score: Option<f64>,
    pub malus_pct: Option<f64>,
    pub escalation: bool,
    pub invoice_amount_eur: Option<f64>,
    pub malus_eur: Option<f64>,
}

fn trend(first: Option<f64>, last: Option<f64>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if b > a + 1e-9 => "up",
        (Some(a), Some(b)) if b < a - 1e-9 => "down",
        (Some(_), Some(_)) => "flat",
        _ => "none",
    }
    .into()
}

/// First and last value that is present.
fn ends(v: &[Option<f64>]) -> (Option<f64>, Option<f64>) {
    let present: Vec<f64> = v.iter().flatten().copied().collect();
    if present.len() < 2 { (None, None) } else { (present.first().copied(), present.last().copied()) }
}

fn quarter_domain(q: &DomainResult, months: &[&DomainResult]) -> QuarterDomain {
    let monthly_scores: Vec<Option<f64>> = months.iter().map(|d| d.score_pct).collect();
    let (a, b) = ends(&monthly_scores);
    let kpis = q
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let monthly_measured: Vec<Option<f64>> =
                months.iter().map(|d| d.kpis[i].figure.as_ref().map(|f| f.measured)).collect();
            let monthly_achievement: Vec<Option<f64>> = months.iter().map(|d| d.kpis[i].achievement_pct).collect();
            let (x, y) = ends(&monthly_achievement);
            QuarterKpi {
                id: k.id.clone(),
                name: k.name.clone(),
                norm_text: k.norm_text.clone(),
                weight: k.weight,
                unit: k.unit,
                monthly_measured,
                monthly_achievement,
                quarter_measured: k.figure.as_ref().map(|f| f.measured),
                quarter_achievement: k.achievement_pct,
                quarter_source: k.figure.as_ref().map(|f| f.source.clone()),
                quarter_detail: k.figure.as_ref().map(|f| f.detail.clone()),
                trend: trend(x, y),
            }
        })
        .collect();
    QuarterDomain {
        number: q.number,
        name: q.name.clone(),
        status: q.status.clone(),
        monthly_scores,
        quarter_score: q.score_pct,
        trend: trend(a, b),
        kpis,
    }
}

/// Builds the quarterly report. `ctx.period` must be a quarter.
pub fn build_quarterly(data: &DataSet, ctx: &RunContext) -> QuarterlyReport {
    let quarter = ctx.period;
    let months: Vec<Period> = quarter.months();
    // The three months and the pooled quarter are independent: aggregate them side by side.
    let (per_month, whole) = std::thread::scope(|scope| {
        let handles: Vec<_> = months
            .iter()
            .map(|m| {
                let ctx = RunContext { period: *m, ..ctx.clone() };
                scope.spawn(move || build_with(data, &ctx, false))
            })
            .collect();
        let whole = build_with(data, ctx, false);
        let per_month: Vec<_> = handles.into_iter().map(|h| h.join().expect("a month's aggregation")).collect();
        (per_month, whole)
    });
    let contract = ctx.contract;
    let clock = &contract.clock;
    let month_labels: Vec<String> = months.iter().map(|m| m.label()).collect();

    let mut meta = whole.report.meta.clone();
    meta.kind = "quarterly".into();

    let domains = whole
        .report
        .kpis
        .domains
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let ms: Vec<&DomainResult> = per_month.iter().map(|m| &m.report.kpis.domains[i]).collect();
            quarter_domain(q, &ms)
        })
        .collect();

    // Volumes per type and per school, per month of opening.
    let bounds: Vec<_> = months.iter().map(|m| (m.start_instant(clock), m.end_instant(clock))).collect();
    let month_of = |t: chrono::DateTime<chrono::Utc>| bounds.iter().position(|(s, e)| t >= *s && t < *e);
    // In scope and opened or resolved in the quarter: everything below counts one of the two.
    let (qs, qe) = (quarter.start_instant(clock), quarter.end_instant(clock));
    let in_quarter = |t: chrono::DateTime<chrono::Utc>| t >= qs && t < qe;
    let in_scope: Vec<_> = data
        .tickets
        .iter()
        .filter(|t| !t.out_of_scope && (in_quarter(t.opened_at) || t.resolved_at.is_some_and(in_quarter)))
        .collect();
    let opened: Vec<(usize, &crate::ticket::Ticket)> =
        in_scope.iter().filter_map(|t| month_of(t.opened_at).map(|m| (m, *t))).collect();
    let volumes_by_type = {
        let t = cross_table(opened.iter().map(|(m, t)| (t.ticket_type.key(), month_labels[*m].as_str())), &month_labels);
        let order: Vec<String> = TicketType::ALL.iter().map(|t| t.key().to_string()).collect();
        reorder_rows(t, &order)
    };
    let schools_by_month = cross_table(opened.iter().map(|(m, t)| (t.school.as_str(), month_labels[*m].as_str())), &month_labels);

    // Recurring issues over the quarter: incidents by category and subcategory.
    let mut issues: BTreeMap<(String, String), (String, String, Vec<u64>)> = BTreeMap::new();
    // Normalised once per spelling, not once per incident.
    let mut normalized: FastMap<(&str, &str), (String, String)> = FastMap::default();
    for (m, t) in opened.iter().filter(|(_, t)| t.ticket_type == TicketType::Incident) {
        let key = normalized
            .entry((t.category.as_str(), t.subcategory.as_str()))
            .or_insert_with(|| (t.category.trim().to_lowercase(), t.subcategory.trim().to_lowercase()));
        let e = match issues.get_mut(key) {
            Some(e) => e,
            None => issues.entry(key.clone()).or_insert_with(|| (t.category.clone(), t.subcategory.clone(), vec![0; months.len()])),
        };
        e.2[*m] += 1;
        // Show the first spelling in sort order, so the row order of the export changes
        // nothing (as in the monthly report).
        if (t.category.as_str(), t.subcategory.as_str()) < (e.0.as_str(), e.1.as_str()) {
            (e.0, e.1) = (t.category.clone(), t.subcategory.clone());
        }
    }
    let mut recurring: Vec<QuarterIssue> = issues
        .into_values()
        .map(|(category, subcategory, counts)| QuarterIssue { total: counts.iter().sum(), category, subcategory, counts })
        .collect();
    recurring.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.category.cmp(&b.category)).then_with(|| a.subcategory.cmp(&b.subcategory)));
    recurring.truncate(5);

    // Changes per month and for the quarter.
    let change_row = |label: String, in_p: &dyn Fn(chrono::DateTime<chrono::Utc>) -> bool| {
        let opened: Vec<_> = in_scope.iter().filter(|t| t.ticket_type == TicketType::Change && in_p(t.opened_at)).collect();
        let resolved: Vec<_> = in_scope
            .iter()
            .filter(|t| t.ticket_type == TicketType::Change && t.resolved_at.is_some_and(|r| in_p(r)))
            .collect();
        let class = |c: Option<ChangeClass>| opened.iter().filter(|t| t.change_class == c).count() as u64;
        let cab: Vec<_> = opened.iter().filter(|t| t.change_class == Some(ChangeClass::NonStandard)).collect();
        let failed = resolved.iter().filter(|t| t.change_failed == Some(true)).count() as u64;
        ChangeRow {
            period: label,
            standard: class(Some(ChangeClass::Standard)),
            non_standard: class(Some(ChangeClass::NonStandard)),
            emergency: class(Some(ChangeClass::Emergency)),
            unclassified: class(None),
            cab_required: cab.len() as u64,
            cab_approved: cab.iter().filter(|t| t.cab_approved == Some(true)).count() as u64,
            resolved: resolved.len() as u64,
            failed,
            failed_pct: crate::report::monthly::pct(failed, resolved.len() as u64),
        }
    };
    let mut changes: Vec<ChangeRow> = bounds
        .iter()
        .zip(&month_labels)
        .map(|((s, e), label)| change_row(label.clone(), &|t| t >= *s && t < *e))
        .collect();
    changes.push(change_row("quarter".into(), &in_quarter));

    // Measurements of improvement actions and complaints: the quarter's and the months'.
    let measurement_rows = |kpi: &str| -> Vec<MeasurementRow> {
        let labels: BTreeSet<String> = month_labels.iter().cloned().chain([quarter.label()]).collect();
        let mut rows: Vec<MeasurementRow> = data
            .measurements
            .iter()
            .filter(|m| m.kpi == kpi && labels.contains(&m.period.label()))
            .map(|m| MeasurementRow { period: m.period.label(), value: m.value, note: m.note.clone() })
            .collect();
        rows.sort_by(|a, b| a.period.cmp(&b.period));
        rows
    };

    let mut escalations = Vec::new();
    for (i, q) in whole.report.kpis.domains.iter().enumerate() {
        let scores = per_month
            .iter()
            .zip(&month_labels)
            .map(|(m, l)| (l.clone(), &m.report.kpis.domains[i]))
            .chain([(quarter.label(), q)]);
        for (label, d) in scores {
            if d.escalation {
                escalations.push(EscalationRow { number: d.number, name: d.name.clone(), period: label, score: d.score_pct.unwrap_or(0.0) });
            }
        }
    }
    let malus = whole
        .report
        .kpis
        .domains
        .iter()
        .filter(|d| d.scored)
        .map(|d| MalusRow {
            number: d.number,
            name: d.name.clone(),
            status: d.status.clone(),
            score: d.score_pct,
            malus_pct: d.malus_pct,
            escalation: d.escalation,
            invoice_amount_eur: d.invoice_amount_eur,
            malus_eur: d.malus_eur,
        })
        .collect();

    let improvement = measurement_rows("improvement_actions");
    let complaints = measurement_rows("complaints");
    let dq = &whole.report.data_quality;
    QuarterlyReport {
        meta,
        months: month_labels,
        invoice_quarter: quarter.next_quarter().label(),
        month_summaries: per_month.iter().map(|m| m.report.summary.clone()).collect(),
        quarter_summary: whole.report.summary.clone(),
        domains,
        volumes_by_type,
        schools_by_month,
        recurring,
        changes,
        improvement,
        complaints,
        escalations,
        malus,
        accounting: dq.accounting.clone(),
        rejected_rows: dq.rejections.len() as u64,
        warnings: dq.warnings.len() as u64,
        kpi_months: per_month.iter().map(|m| m.report.kpis.clone()).collect(),
        kpi_quarter: whole.report.kpis.clone(),
    }
}
