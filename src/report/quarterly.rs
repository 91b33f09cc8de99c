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
use crate::report::model::{Accounting, CrossTable, Meta, SparseCrossTable, Summary};
use crate::report::aggregate::{build_detailed, Detail, RunContext};
use crate::report::cross_table::{cross_table, reorder_rows, sparse_cross_table, FastMap};
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
    /// Schools × months; its `shown` view is what the PDF lists (the largest schools when
    /// there are many, the others summed).
    pub schools_by_month: SparseCrossTable,
    pub recurring: Vec<QuarterIssue>,
    pub changes: Vec<ChangeRow>,
    /// The quarter's non-standard and emergency changes one by one (opened in the quarter),
    /// for the tactical meeting's "Wijzigingen" item.
    pub changes_listed: Vec<ChangeItem>,
    pub improvement: Vec<MeasurementRow>,
    pub complaints: Vec<MeasurementRow>,
    /// Domains that scored below the escalation band in a month or the quarter.
    pub escalations: Vec<EscalationRow>,
    pub malus: Vec<MalusRow>,
    pub malus_total: MalusTotal,
    pub accounting: Accounting,
    pub rejected_rows: u64,
    pub warnings: u64,
    /// Every P1 of the quarter and every earlier one whose RCA was owed in it (as the monthly
    /// report lists them, over the quarter).
    pub p1s: Vec<crate::report::model::P1Item>,
    /// The RCA files' preventive measures still open on the report's date.
    pub open_measures: Vec<crate::report::model::OpenMeasure>,
    /// Each contract reading that changes a figure of the quarter (as the monthly report's).
    pub interpretations: Vec<crate::report::model::Interpretation>,
    /// KPI sections of the three months and the quarter, for the JSON.
    pub kpi_months: Vec<KpiSection>,
    pub kpi_quarter: KpiSection,
    /// The provider's logs over the quarter (improvement actions, complaints, escalations).
    pub voice: crate::report::voice::Voice,
    /// The provider's commentary on the quarter (`toelichting/2026-Q3.toml`).
    pub commentary: crate::voice::commentary::Commentary,
    /// A rerun's changes against the report it replaces (`report::changes`: the quarter's
    /// figures and, ticket by ticket, why); absent on a first report. Not `changes`: those
    /// are the quarter's change-management figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rerun_changes: Option<crate::report::changes::Changes>,
    /// The quarter's evaluated tickets and the rejected rows, for the JSON only
    /// ([`QuarterlyJson`]: what a rerun is compared on); empty unless asked for.
    #[serde(skip)]
    pub tickets: Vec<crate::report::model::TicketRow>,
    #[serde(skip)]
    pub rejections: Vec<crate::canonical::Rejection>,
}

/// How many of the quarter's non-standard and emergency changes the PDF lists at most: past
/// it, those the meeting discusses first (failed, or non-standard without a recorded CAB
/// approval), then the others, with a line that says so; the annex then gets a sheet with
/// every one. The demo's quarter (2,500 tickets a month) has about 115; a year of a million
/// tickets about 5,000 a quarter, ten million about 50,000 (2,400 pages if all were listed).
pub const CHANGES_IN_PDF: usize = 150;

/// How many of the quarter's P1 incidents the PDF lists at most when some of them owe
/// nothing: every P1 that owes something (a response or resolution target breached, its RCA
/// late or overdue) is listed whatever their number; past this the P1s that met every target
/// with their RCA on time (or not yet due) are counted in a line, and the annex then gets a
/// sheet with every P1. A real quarter has tens; the synthetic year of ten million tickets
/// about 25,000 (900 pages if all were listed).
pub const P1S_IN_PDF: usize = 150;

/// Whether a listed P1 owes something: a target breached, or its RCA late or overdue.
pub fn p1_owes(p: &crate::report::model::P1Item) -> bool {
    use crate::rca::due::RcaStatus;
    p.response_status == "breached" || p.resolution_status == "breached" || matches!(p.rca_status, RcaStatus::Late | RcaStatus::Overdue)
}

/// The quarterly report's JSON file: its model, then the quarter's tickets as the last key.
#[derive(Serialize)]
pub struct QuarterlyJson<'a> {
    #[serde(flatten)]
    pub model: QuarterlyModel<'a>,
    pub tickets: &'a [crate::report::model::TicketRow],
}

/// The quarterly report model the PDF embeds: the report with the rejected rows as its last
/// key, that is the JSON file without the per-ticket list (which a rerun compares and the
/// annex does not need; at a million tickets a year about 250,000 rows and 200 MB of JSON).
#[derive(Serialize)]
pub struct QuarterlyModel<'a> {
    #[serde(flatten)]
    pub report: &'a QuarterlyReport,
    pub rejections: &'a [crate::canonical::Rejection],
}

impl QuarterlyReport {
    pub fn json_document(&self) -> QuarterlyJson<'_> {
        QuarterlyJson { model: self.model_document(), tickets: &self.tickets }
    }

    /// The model the PDF embeds (see [`QuarterlyModel`]).
    pub fn model_document(&self) -> QuarterlyModel<'_> {
        QuarterlyModel { report: self, rejections: &self.rejections }
    }

    /// The P1s the PDF lists ([`P1S_IN_PDF`]), in the model's order: every one that owes
    /// something, then the others as long as there is room.
    pub fn p1s_in_pdf(&self) -> Vec<&crate::report::model::P1Item> {
        if self.p1s.len() <= P1S_IN_PDF {
            return self.p1s.iter().collect();
        }
        let room = P1S_IN_PDF.saturating_sub(self.p1s.iter().filter(|p| p1_owes(p)).count());
        let mut others = 0;
        self.p1s
            .iter()
            .filter(|p| {
                let shown = p1_owes(p) || others < room;
                others += usize::from(shown && !p1_owes(p));
                shown
            })
            .collect()
    }

    /// Whether the PDF leaves some of the P1s out ([`QuarterlyReport::p1s_in_pdf`]), so the
    /// annex lists them all.
    pub fn p1s_cut_in_pdf(&self) -> bool {
        self.p1s_in_pdf().len() < self.p1s.len()
    }

    /// Whether the PDF leaves some of the listed changes out ([`CHANGES_IN_PDF`]), so the
    /// annex lists them all.
    pub fn changes_cut_in_pdf(&self) -> bool {
        self.changes_listed.len() > CHANGES_IN_PDF
    }
}

/// One domain across the quarter.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterDomain {
    pub number: u32,
    pub name: String,
    pub status: String,
    pub monthly_scores: Vec<Option<f64>>,
    pub quarter_score: Option<f64>,
    /// The score of the last month with data against the month with data before it.
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
    pub norm: Option<f64>,
    pub direction: crate::contract::Direction,
    pub monthly_measured: Vec<Option<f64>>,
    /// Reachability's second part (answered within 60 s), per month.
    pub monthly_second_measured: Vec<Option<f64>>,
    pub monthly_achievement: Vec<Option<f64>>,
    pub quarter_measured: Option<f64>,
    pub quarter_second_measured: Option<f64>,
    pub quarter_achievement: Option<f64>,
    /// Where the quarter figure comes from: `tickets`, `calls`, `measurement`, `report`.
    pub quarter_source: Option<String>,
    /// The measurement period, or `sum:2026-07,…` / `mean:2026-07,…` when the quarter figure
    /// adds up (a count) or averages (a rate) the months' measurements.
    pub quarter_detail: Option<String>,
    /// `up`, `down`, `flat` or `none`: the measured value of the last month with data against
    /// the month with data before it (see [`trend`]).
    pub trend: String,
    /// Whether the change is for the better (by the norm's direction: fewer failed changes
    /// or complaints is better); `None` without a change.
    pub trend_better: Option<bool>,
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

/// A non-standard or emergency change of the quarter.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeItem {
    pub ticket_id: String,
    /// `non_standard` or `emergency`.
    pub class: String,
    pub school: String,
    pub summary: String,
    pub opened_at: crate::report::model::LocalMinute,
    pub resolved_at: Option<crate::report::model::LocalMinute>,
    /// The recorded CAB approval; `None` when not recorded.
    pub cab_approved: Option<bool>,
    /// `succeeded`, `failed`, `not_recorded` (resolved without a recorded outcome) or
    /// `open` (not resolved by the quarter's end).
    pub outcome: String,
}

/// The non-standard and emergency changes opened in the quarter, by class (non-standard
/// first), then opening time and id.
fn listed_changes(in_scope: &[&crate::ticket::Ticket], contract: &crate::contract::LoadedContract, in_quarter: &dyn Fn(chrono::DateTime<chrono::Utc>) -> bool, end: chrono::DateTime<chrono::Utc>) -> Vec<ChangeItem> {
    let local = |t| crate::report::aggregate::local_minute(contract, t);
    // `ChangeClass` orders non-standard before emergency.
    let mut out: Vec<(ChangeClass, &crate::ticket::Ticket)> = in_scope
        .iter()
        .filter(|t| t.ticket_type == TicketType::Change && in_quarter(t.opened_at))
        .filter_map(|t| match t.change_class {
            Some(class @ (ChangeClass::NonStandard | ChangeClass::Emergency)) => Some((class, *t)),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1.opened_at, &a.1.id).cmp(&(b.0, b.1.opened_at, &b.1.id)));
    out.into_iter()
        .map(|(class, t)| {
            let resolved = t.resolved_at.filter(|r| *r < end);
            ChangeItem {
                ticket_id: t.id.to_string(),
                class: class.key().into(),
                school: t.school.to_string(),
                summary: t.summary.to_string(),
                opened_at: local(t.opened_at),
                resolved_at: resolved.map(local),
                cab_approved: t.cab_approved,
                outcome: match (resolved, t.change_failed) {
                    (None, _) => "open",
                    (Some(_), Some(true)) => "failed",
                    (Some(_), Some(false)) => "succeeded",
                    (Some(_), None) => "not_recorded",
                }
                .into(),
            }
        })
        .collect()
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

/// A row of the malus table: a scored domain on its quarter score, or a KPI of a domain
/// without weights that has a norm (domain 7's on-site KPI: "voor fysiek op locatie geldt
/// dezelfde staffel") on its quarter achievement.
#[derive(Debug, Clone, Serialize)]
pub struct MalusRow {
    pub number: u32,
    pub name: String,
    /// The KPI's id and name when the row is a KPI through the staircase, not a domain.
    pub kpi_id: Option<String>,
    pub kpi_name: Option<String>,
    pub status: String,
    /// The domain score, or the KPI's achievement.
    pub score: Option<f64>,
    /// Index into the staircase (`kpi_quarter.bands`).
    pub band: Option<usize>,
    pub malus_pct: Option<f64>,
    pub escalation: bool,
    pub invoice_amount_eur: Option<f64>,
    pub malus_eur: Option<f64>,
}

/// The malus table's total. Malus percentages of different domains do not add up (each
/// applies to its own domain's service), so the total counts the rows with a malus and
/// with an escalation, and adds up the amounts in euros where the contract gives invoice
/// amounts.
#[derive(Debug, Clone, Serialize)]
pub struct MalusTotal {
    pub rows: u64,
    pub with_malus: u64,
    pub escalations: u64,
    /// The sum of the malus in euros; `None` when no row has an invoice amount.
    pub malus_eur: Option<f64>,
    /// Rows with a malus but no invoice amount (their euros are missing from the sum).
    pub with_malus_without_amount: u64,
}

/// The trend over the months: the last month with data against the month with data before
/// it ("since last month"), so a change at the end of the quarter shows; a dip inside the
/// quarter (60 % in August between two 100 % months) is in the month columns beside it,
/// and the arrow says the last month went up from it. `none` with fewer than two months.
pub fn trend(monthly: &[Option<f64>]) -> &'static str {
    let present: Vec<f64> = monthly.iter().flatten().copied().collect();
    match *present.as_slice() {
        [.., a, b] if b > a + 1e-9 => "up",
        [.., a, b] if b < a - 1e-9 => "down",
        [.., _, _] => "flat",
        _ => "none",
    }
}

/// Whether a trend is for the better: up is better for an "at least" norm, down for an
/// "at most" one.
fn better(trend: &str, direction: crate::contract::Direction) -> Option<bool> {
    let up = match trend {
        "up" => true,
        "down" => false,
        _ => return None,
    };
    Some(up == (direction == crate::contract::Direction::AtLeast))
}

fn quarter_domain(q: &DomainResult, months: &[&DomainResult]) -> QuarterDomain {
    let monthly_scores: Vec<Option<f64>> = months.iter().map(|d| d.score_pct).collect();
    let kpis = q
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let figures: Vec<Option<&crate::kpi::Figure>> = months.iter().map(|d| d.kpis[i].figure.as_ref()).collect();
            let monthly_measured: Vec<Option<f64>> = figures.iter().map(|f| f.map(|f| f.measured)).collect();
            let trend = trend(&monthly_measured);
            QuarterKpi {
                id: k.id.clone(),
                name: k.name.clone(),
                norm_text: k.norm_text.clone(),
                weight: k.weight,
                unit: k.unit,
                norm: k.norm,
                direction: k.direction,
                monthly_second_measured: figures.iter().map(|f| f.and_then(|f| f.second_measured)).collect(),
                monthly_measured,
                monthly_achievement: months.iter().map(|d| d.kpis[i].achievement_pct).collect(),
                quarter_measured: k.figure.as_ref().map(|f| f.measured),
                quarter_second_measured: k.figure.as_ref().and_then(|f| f.second_measured),
                quarter_achievement: k.achievement_pct,
                quarter_source: k.figure.as_ref().map(|f| f.source.clone()),
                quarter_detail: k.figure.as_ref().map(|f| f.detail.clone()),
                trend: trend.into(),
                trend_better: better(trend, k.direction),
            }
        })
        .collect();
    QuarterDomain {
        number: q.number,
        name: q.name.clone(),
        status: q.status.clone(),
        trend: trend(&monthly_scores).into(),
        monthly_scores,
        quarter_score: q.score_pct,
        kpis,
    }
}

/// The malus table: every scored domain on its quarter score; for a domain without weights,
/// each KPI with a norm and data on its achievement, through the same staircase (domain 7's
/// on-site KPI); a KPI without a norm (complaints) stays out.
fn malus_rows(section: &crate::kpi::KpiSection) -> (Vec<MalusRow>, MalusTotal) {
    let bands = &section.bands;
    let mut rows = Vec::new();
    for d in &section.domains {
        if d.scored {
            rows.push(MalusRow {
                number: d.number,
                name: d.name.clone(),
                kpi_id: None,
                kpi_name: None,
                status: d.status.clone(),
                score: d.score_pct,
                band: d.band,
                malus_pct: d.malus_pct,
                escalation: d.escalation,
                invoice_amount_eur: d.invoice_amount_eur,
                malus_eur: d.malus_eur,
            });
            continue;
        }
        for k in d.kpis.iter().filter(|k| k.norm.is_some()) {
            let band = k.achievement_pct.and_then(|a| crate::kpi::band_of(a, bands));
            let malus_pct = band.map(|b| bands[b].malus_pct);
            rows.push(MalusRow {
                number: d.number,
                name: d.name.clone(),
                kpi_id: Some(k.id.clone()),
                kpi_name: Some(k.name.clone()),
                status: if !d.active { "not_active".into() } else if k.achievement_pct.is_some() { "scored".into() } else { "no_data".into() },
                score: k.achievement_pct.filter(|_| d.active),
                band: band.filter(|_| d.active),
                malus_pct: malus_pct.filter(|_| d.active),
                escalation: d.active && band.is_some_and(|b| bands[b].escalation),
                invoice_amount_eur: d.invoice_amount_eur,
                malus_eur: match (malus_pct.filter(|_| d.active), d.invoice_amount_eur) {
                    (Some(m), Some(a)) => Some(a * m / 100.0),
                    _ => None,
                },
            });
        }
    }
    let with_malus: Vec<&MalusRow> = rows.iter().filter(|r| r.malus_pct.is_some_and(|m| m > 0.0)).collect();
    let total = MalusTotal {
        rows: rows.len() as u64,
        with_malus: with_malus.len() as u64,
        escalations: rows.iter().filter(|r| r.escalation).count() as u64,
        malus_eur: rows
            .iter()
            .any(|r| r.invoice_amount_eur.is_some())
            .then(|| rows.iter().filter_map(|r| r.malus_eur).sum()),
        with_malus_without_amount: with_malus.iter().filter(|r| r.invoice_amount_eur.is_none()).count() as u64,
    };
    (rows, total)
}

/// What the quarterly report takes from a month's aggregation.
struct MonthFigures {
    summary: Summary,
    kpis: KpiSection,
}

/// Builds the quarterly report. `ctx.period` must be a quarter.
pub fn build_quarterly(data: &DataSet, ctx: &RunContext) -> QuarterlyReport {
    build_quarterly_with(data, ctx, false, &|_, _| {})
}

/// As [`build_quarterly`]; with `ticket_rows`, the report keeps the quarter's tickets and
/// rejected rows for its JSON (what a rerun is compared on). `adjust` may change each
/// month's KPI section (`Some(i)`) and the quarter's (`None`) before the report is assembled
/// from them — the command gives domain 6's reports on time their figure from the report
/// folders there (`commands::deliveries`), so the core reads no files.
pub fn build_quarterly_with(
    data: &DataSet,
    ctx: &RunContext,
    ticket_rows: bool,
    adjust: &dyn Fn(Option<usize>, &mut KpiSection),
) -> QuarterlyReport {
    let quarter = ctx.period;
    let months: Vec<Period> = quarter.months();
    // The months one after another on a second thread, the pooled quarter beside them: at
    // most one month's working set is held beside the quarter's, not all three, and of a
    // month only what this report takes from it (its summary and KPIs) is kept. Neither
    // makes the lists only a monthly report shows (`Detail::lists`).
    let (mut per_month, mut whole) = std::thread::scope(|scope| {
        let per_month = scope.spawn(|| {
            let figures = Detail { ticket_rows: false, lists: false };
            let month = |m: &Period| build_detailed(data, &RunContext { period: *m, ..ctx.clone() }, figures).report;
            months.iter().map(|m| month(m)).map(|r| MonthFigures { summary: r.summary, kpis: r.kpis }).collect::<Vec<_>>()
        });
        let whole = build_detailed(data, ctx, Detail { ticket_rows, lists: false });
        (per_month.join().expect("the months' aggregation"), whole)
    });
    for (i, m) in per_month.iter_mut().enumerate() {
        adjust(Some(i), &mut m.kpis);
    }
    adjust(None, &mut whole.report.kpis);
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
            let ms: Vec<&DomainResult> = per_month.iter().map(|m| &m.kpis.domains[i]).collect();
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
    let schools_by_month = sparse_cross_table(opened.iter().map(|(m, t)| (t.school.as_str(), month_labels[*m].as_str())), &month_labels);

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
            None => issues.entry(key.clone()).or_insert_with(|| (t.category.to_string(), t.subcategory.to_string(), vec![0; months.len()])),
        };
        e.2[*m] += 1;
        // Show the first spelling in sort order, so the row order of the export changes
        // nothing (as in the monthly report).
        if (t.category.as_str(), t.subcategory.as_str()) < (e.0.as_str(), e.1.as_str()) {
            (e.0, e.1) = (t.category.to_string(), t.subcategory.to_string());
        }
    }
    let mut recurring: Vec<QuarterIssue> = issues
        .into_values()
        .map(|(category, subcategory, counts)| QuarterIssue { total: counts.iter().sum(), category, subcategory, counts })
        .collect();
    recurring.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| crate::natural::natural_cmp_pair((&a.category, &a.subcategory), (&b.category, &b.subcategory))));
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
            failed_pct: crate::report::aggregate::pct(failed, resolved.len() as u64),
        }
    };
    let mut changes: Vec<ChangeRow> = bounds
        .iter()
        .zip(&month_labels)
        .map(|((s, e), label)| change_row(label.clone(), &|t| t >= *s && t < *e))
        .collect();
    changes.push(change_row("quarter".into(), &in_quarter));
    let changes_listed = listed_changes(&in_scope, contract, &in_quarter, qe);

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
            .map(|(m, l)| (l.clone(), &m.kpis.domains[i]))
            .chain([(quarter.label(), q)]);
        for (label, d) in scores {
            if d.escalation {
                escalations.push(EscalationRow { number: d.number, name: d.name.clone(), period: label, score: d.score_pct.unwrap_or(0.0) });
            }
        }
    }
    let (malus, malus_total) = malus_rows(&whole.report.kpis);

    let improvement = measurement_rows("improvement_actions");
    let complaints = measurement_rows("complaints");
    let dq = &whole.report.data_quality;
    QuarterlyReport {
        meta,
        months: month_labels,
        invoice_quarter: quarter.next_quarter().label(),
        month_summaries: per_month.iter().map(|m| m.summary.clone()).collect(),
        quarter_summary: whole.report.summary.clone(),
        domains,
        volumes_by_type,
        schools_by_month,
        recurring,
        changes,
        changes_listed,
        improvement,
        complaints,
        escalations,
        malus,
        malus_total,
        accounting: dq.accounting.clone(),
        rejected_rows: dq.rejections.len() as u64,
        warnings: dq.warnings.len() as u64,
        p1s: whole.report.p1s.clone(),
        open_measures: whole.report.open_measures.clone(),
        interpretations: whole.report.interpretations.clone(),
        kpi_months: per_month.into_iter().map(|m| m.kpis).collect(),
        kpi_quarter: whole.report.kpis.clone(),
        voice: whole.report.voice.clone(),
        commentary: Default::default(),
        rerun_changes: None,
        rejections: if ticket_rows { dq.rejections.clone() } else { Vec::new() },
        tickets: whole.tickets,
    }
}
