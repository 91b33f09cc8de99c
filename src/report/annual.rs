//! The year report for the strategic meeting (guideline §8 "strategisch overleg", yearly;
//! §9 "Verslag maandelijks/kwartaal/jaarlijks"): the four quarters' KPI achievements,
//! domain scores and malus side by side with the year's, the volumes of the twelve months,
//! the schools and categories of the year (against the year before where the data has it),
//! the year's recurring issues, every P1 with its RCA outcome, and the attainment per
//! priority per month.
//!
//! Nothing is counted twice in another way: a quarter's figures are those of the quarterly
//! report (`build_quarterly`), a month's those of the monthly report (`build_with`). A month
//! the data does not cover, or that has not ended, has no figures (never zeros), and a
//! quarter with such a month is marked incomplete; the year's score of a domain is the mean
//! of its complete quarters' scores (the malus is settled per quarter).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::Result;
use crate::load::DataSet;
use crate::period::Period;
use crate::report::model::{Meta, P1Item};
use crate::report::aggregate::{build_with, RunContext};
use crate::report::quarterly::{build_quarterly_with, MalusRow, MalusTotal, QuarterlyReport};
use crate::ticket::{Priority, Ticket, TicketType};

#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub meta: Meta,
    /// `2026`.
    pub year: i32,
    /// The twelve month labels, `2026-01` … `2026-12`.
    pub months: Vec<String>,
    /// Per month: the data holds tickets opened in it and it has ended on the report's date.
    pub month_complete: Vec<bool>,
    pub quarters: Vec<AnnualQuarter>,
    /// Per domain: the quarters' scores and the year's.
    pub domains: Vec<AnnualDomain>,
    /// The malus of the year: the quarters' totals added up.
    pub malus_total: AnnualMalusTotal,
    /// Tickets opened per month by type and by priority; `None` for a month without data.
    pub volumes_by_type: Vec<MonthSeries>,
    pub volumes_by_priority: Vec<MonthSeries>,
    /// Tickets opened in the year per school, most first, with the year before's count
    /// when the data covers it.
    pub schools: Vec<YearCount>,
    pub categories: Vec<YearCount>,
    /// The data holds tickets opened in the year before (so `previous` counts are real).
    pub previous_year_in_data: bool,
    /// Incidents by recurring-issue key over the year: the top ten with their monthly curve.
    pub recurring: Vec<AnnualIssue>,
    /// Every P1 incident of the year with its RCA outcome (as on the report's date).
    pub p1s: Vec<P1Item>,
    /// The preventive measures of the RCA files (`DIR/rca/`) of the year's P1s, and of
    /// earlier P1s while still open, with their status on the report's date.
    pub measures: Vec<AnnualMeasure>,
    /// The provider's logs over the year (improvement actions implemented in it and open at
    /// its end, complaints and escalations); each part `None` without its log.
    pub voice: crate::report::voice::Voice,
    /// Attainment per priority (all types) per month: response and resolution.
    pub attainment: Vec<AnnualAttainment>,
    /// The norm the attainment is judged against (domain 2's resolution KPI, 95 %).
    pub attainment_norm: f64,
    /// The provider's commentary on the year (`toelichting/2026.toml`).
    pub commentary: crate::voice::commentary::Commentary,
}

/// A preventive measure of an RCA and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualMeasure {
    pub ticket_id: String,
    pub measure: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    /// `done` (carried out by the report's date), `overdue` (open, its due date passed) or
    /// `open`.
    pub status: String,
}

/// The measures of the year's P1s (`p1s`) and the open ones of earlier P1s: overdue first,
/// then open, then done; within each by due date and ticket.
fn year_measures(data: &DataSet, p1s: &[P1Item], today: NaiveDate) -> Vec<AnnualMeasure> {
    let mut out: Vec<AnnualMeasure> = data
        .preventive_measures
        .iter()
        .filter_map(|m| {
            let done = m.measure.done_on.is_some_and(|d| d <= today);
            let status = if done {
                "done"
            } else if m.measure.due_on.is_some_and(|d| d < today) {
                "overdue"
            } else {
                "open"
            };
            (!done || p1s.iter().any(|p| p.ticket_id == m.ticket_id)).then(|| AnnualMeasure {
                ticket_id: m.ticket_id.clone(),
                measure: m.measure.measure.clone().unwrap_or_default(),
                owner: m.measure.owner.clone(),
                due_on: m.measure.due_on,
                done_on: m.measure.done_on.filter(|_| done),
                status: status.into(),
            })
        })
        .collect();
    let rank = |s: &str| ["overdue", "open", "done"].iter().position(|x| *x == s).unwrap_or(3);
    out.sort_by(|a, b| (rank(&a.status), &a.due_on, &a.ticket_id).cmp(&(rank(&b.status), &b.due_on, &b.ticket_id)));
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualQuarter {
    /// `2026-Q1`.
    pub label: String,
    /// All its months ended and covered by the data.
    pub complete: bool,
    /// Why not: `not_ended` (the quarter has not ended on the report's date), `no_data`
    /// (the data holds no ticket opened in it), `partial_data` (some months without data).
    pub incomplete_reason: Option<String>,
    /// The quarterly report's malus table and total.
    pub malus: Vec<MalusRow>,
    pub malus_total: MalusTotal,
    /// The quarter's KPI section, as in the quarterly report (for the JSON and the annex).
    pub kpis: crate::kpi::KpiSection,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualDomain {
    pub number: u32,
    pub name: String,
    pub scored: bool,
    /// Per quarter: the quarterly report's score (`None`: no data).
    pub quarter_scores: Vec<Option<f64>>,
    pub quarter_malus_pct: Vec<Option<f64>>,
    /// The mean of the complete quarters' scores; `None` when none has a score.
    pub year_score: Option<f64>,
    /// How many quarters the year's score rests on.
    pub year_quarters: u32,
    pub kpis: Vec<AnnualKpi>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualKpi {
    pub id: String,
    pub name: String,
    pub quarter_achievement: Vec<Option<f64>>,
    /// The mean of the complete quarters' achievements.
    pub year_achievement: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualMalusTotal {
    /// Per quarter: rows with a malus and the euros (where the contract has amounts).
    pub with_malus: Vec<u64>,
    pub malus_eur: Vec<Option<f64>>,
    pub year_with_malus: u64,
    /// The year's euros; `None` when no quarter has amounts.
    pub year_malus_eur: Option<f64>,
}

/// One line of a chart: a name and a value per month (`None`: no data that month).
#[derive(Debug, Clone, Serialize)]
pub struct MonthSeries {
    pub key: String,
    pub counts: Vec<Option<u64>>,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearCount {
    pub name: String,
    pub count: u64,
    /// The year before (when the data covers it).
    pub previous: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualIssue {
    pub rank: u32,
    pub category: String,
    pub subcategory: String,
    pub counts: Vec<Option<u64>>,
    pub total: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualAttainment {
    /// `P1`–`P4`.
    pub priority: String,
    /// Per month, the monthly report's figure (`None`: nothing counted or no data).
    pub response_pct: Vec<Option<f64>>,
    pub resolution_pct: Vec<Option<f64>>,
    /// Per month, below the norm (a band missed).
    pub response_missed: Vec<bool>,
    pub resolution_missed: Vec<bool>,
}

/// The year as a period: `YYYY`.
pub fn parse_year(s: &str) -> Result<i32> {
    let bad = || {
        crate::error::Error::new(format!("\"{s}\" is not a year")).with_hint("write the period as YYYY, for example --period 2026")
    };
    let y: i32 = s.trim().parse().map_err(|_| bad())?;
    if !(1990..=2100).contains(&y) {
        return Err(bad());
    }
    Ok(y)
}

fn in_scope_opened_in(t: &Ticket, from: NaiveDate, to: NaiveDate, ctx: &RunContext) -> bool {
    let d = ctx.contract.clock.local(t.opened_at).date();
    !t.out_of_scope && d >= from && d < to
}

/// Builds the year report for `year`; `ctx.period` is ignored (each quarter and month is
/// built with its own).
pub fn build_annual(data: &DataSet, ctx: &RunContext, year: i32) -> AnnualReport {
    build_annual_with(data, ctx, year, &|_, _, _| {})
}

/// As [`build_annual`]; `adjust(quarter, month, kpis)` changes each quarter's KPI sections
/// as the quarterly command does (see [`build_quarterly_with`]; quarter 0–3).
pub fn build_annual_with(data: &DataSet, ctx: &RunContext, year: i32, adjust: &dyn Fn(usize, Option<usize>, &mut crate::kpi::KpiSection)) -> AnnualReport {
    let quarters: Vec<Period> = (1..=4).map(|q| Period::quarter(year, q).expect("valid quarter")).collect();
    let months: Vec<Period> = quarters.iter().flat_map(|q| q.months()).collect();
    let month_labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let clock = &ctx.contract.clock;

    // Which months the data covers (a ticket opened in it, in scope or not).
    let mut covered = [false; 12];
    for t in &data.tickets {
        let d = clock.local(t.opened_at).date();
        if d.year() == year {
            covered[d.month0() as usize] = true;
        }
    }
    let month_complete: Vec<bool> = months.iter().enumerate().map(|(i, m)| covered[i] && ctx.today >= m.end).collect();

    // The monthly reports (figures only) and the quarterly reports, as their commands make them.
    let monthly: Vec<_> = months.iter().map(|m| build_with(data, &RunContext { period: *m, ..ctx.clone() }, false)).collect();
    let quarterly: Vec<QuarterlyReport> =
        quarters.iter().enumerate().map(|(i, q)| build_quarterly_with(data, &RunContext { period: *q, ..ctx.clone() }, false, &|m, k| adjust(i, m, k))).collect();

    let annual_quarters: Vec<AnnualQuarter> = quarters
        .iter()
        .zip(&quarterly)
        .enumerate()
        .map(|(i, (q, r))| {
            let m = &month_complete[i * 3..i * 3 + 3];
            let c = &covered[i * 3..i * 3 + 3];
            let reason = if ctx.today < q.end {
                Some("not_ended")
            } else if !c.iter().any(|x| *x) {
                Some("no_data")
            } else if !c.iter().all(|x| *x) {
                Some("partial_data")
            } else {
                None
            };
            AnnualQuarter {
                label: q.label(),
                complete: m.iter().all(|x| *x),
                incomplete_reason: reason.map(String::from),
                malus: r.malus.clone(),
                malus_total: r.malus_total.clone(),
                kpis: r.kpi_quarter.clone(),
            }
        })
        .collect();

    let mean = |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
    let complete: Vec<bool> = annual_quarters.iter().map(|q| q.complete).collect();
    let domains: Vec<AnnualDomain> = quarterly[0]
        .kpi_quarter
        .domains
        .iter()
        .enumerate()
        .map(|(di, d)| {
            fn of(q: &QuarterlyReport, di: usize) -> &crate::kpi::DomainResult {
                &q.kpi_quarter.domains[di]
            }
            let quarter_scores: Vec<Option<f64>> = quarterly.iter().map(|q| of(q, di).score_pct).collect();
            let in_year: Vec<f64> = quarter_scores.iter().zip(&complete).filter(|(_, c)| **c).filter_map(|(s, _)| *s).collect();
            let kpis = d
                .kpis
                .iter()
                .enumerate()
                .map(|(ki, k)| {
                    let a: Vec<Option<f64>> = quarterly.iter().map(|q| of(q, di).kpis[ki].achievement_pct).collect();
                    let year = mean(a.iter().zip(&complete).filter(|(_, c)| **c).filter_map(|(s, _)| *s).collect());
                    AnnualKpi { id: k.id.clone(), name: k.name.clone(), quarter_achievement: a, year_achievement: year }
                })
                .collect();
            AnnualDomain {
                number: d.number,
                name: d.name.clone(),
                scored: d.scored,
                quarter_malus_pct: quarterly.iter().map(|q| of(q, di).malus_pct).collect(),
                year_quarters: in_year.len() as u32,
                year_score: mean(in_year),
                quarter_scores,
                kpis,
            }
        })
        .collect();
    let amounts: Vec<Option<f64>> = quarterly.iter().map(|q| q.malus_total.malus_eur).collect();
    let malus_total = AnnualMalusTotal {
        with_malus: quarterly.iter().map(|q| q.malus_total.with_malus).collect(),
        year_with_malus: quarterly.iter().map(|q| q.malus_total.with_malus).sum(),
        year_malus_eur: amounts.iter().any(|a| a.is_some()).then(|| amounts.iter().flatten().sum()),
        malus_eur: amounts,
    };

    // Volumes per month: the monthly reports' type × priority tables.
    let month_value = |i: usize, v: u64| covered[i].then_some(v);
    let series = |keys: Vec<String>, count: &dyn Fn(&crate::report::model::CrossTable, &str) -> u64| -> Vec<MonthSeries> {
        keys.into_iter()
            .map(|k| {
                let counts: Vec<Option<u64>> =
                    monthly.iter().enumerate().map(|(i, m)| month_value(i, count(&m.report.volumes.by_type_priority, &k))).collect();
                MonthSeries { total: counts.iter().flatten().sum(), key: k, counts }
            })
            .collect()
    };
    let volumes_by_type = series(TicketType::ALL.iter().map(|t| t.key().to_string()).collect(), &|t, k| {
        t.rows.iter().position(|r| r == k).map_or(0, |i| t.row_totals[i])
    });
    let volumes_by_priority = series(Priority::ALL.iter().map(|p| p.key().to_string()).collect(), &|t, k| {
        t.columns.iter().position(|c| c == k).map_or(0, |j| t.column_totals[j])
    });

    // Schools and categories: tickets opened in the year (in scope), and the year before.
    let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date");
    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid date");
    let before = NaiveDate::from_ymd_opt(year - 1, 1, 1).expect("valid date");
    let previous_year_in_data = data.tickets.iter().any(|t| {
        let d = clock.local(t.opened_at).date();
        d >= before && d < start
    });
    let ranking = |key: &dyn Fn(&Ticket) -> &str| -> Vec<YearCount> {
        let mut now: BTreeMap<&str, u64> = BTreeMap::new();
        let mut prev: HashMap<&str, u64> = HashMap::new();
        for t in &data.tickets {
            if in_scope_opened_in(t, start, next, ctx) {
                *now.entry(key(t)).or_default() += 1;
            } else if in_scope_opened_in(t, before, start, ctx) {
                *prev.entry(key(t)).or_default() += 1;
            }
        }
        let mut out: Vec<YearCount> = now
            .into_iter()
            .map(|(name, count)| YearCount {
                name: name.to_string(),
                count,
                previous: previous_year_in_data.then(|| prev.get(name).copied().unwrap_or(0)),
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        out
    };
    let schools = ranking(&|t| t.school.as_str());
    let categories = ranking(&|t| t.category.as_str());

    // Recurring issues: incidents by (category, subcategory), normalised as the quarterly
    // report does, the first spelling in sort order shown.
    let mut issues: BTreeMap<(String, String), (String, String, [u64; 12])> = BTreeMap::new();
    for t in data.tickets.iter().filter(|t| t.ticket_type == TicketType::Incident && in_scope_opened_in(t, start, next, ctx)) {
        let m = clock.local(t.opened_at).date().month0() as usize;
        let key = (t.category.trim().to_lowercase(), t.subcategory.trim().to_lowercase());
        let e = issues.entry(key).or_insert_with(|| (t.category.to_string(), t.subcategory.to_string(), [0; 12]));
        e.2[m] += 1;
        if (t.category.as_str(), t.subcategory.as_str()) < (e.0.as_str(), e.1.as_str()) {
            (e.0, e.1) = (t.category.to_string(), t.subcategory.to_string());
        }
    }
    let mut recurring: Vec<AnnualIssue> = issues
        .into_values()
        .map(|(category, subcategory, c)| AnnualIssue {
            rank: 0,
            category,
            subcategory,
            counts: c.iter().enumerate().map(|(i, n)| month_value(i, *n)).collect(),
            total: c.iter().sum(),
        })
        .collect();
    recurring.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.category.cmp(&b.category)).then_with(|| a.subcategory.cmp(&b.subcategory)));
    recurring.truncate(10);
    for (i, r) in recurring.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }

    // Every P1 of the year, once: its row in the last month that lists it (the latest
    // evaluation; all with the report's date for the RCA verdict).
    let mut p1s: BTreeMap<String, P1Item> = BTreeMap::new();
    for m in &monthly {
        for p in m.report.p1s.iter().filter(|p| !p.carried_over) {
            p1s.insert(p.ticket_id.clone(), p.clone());
        }
    }
    let mut p1s: Vec<P1Item> = p1s.into_values().collect();
    p1s.sort_by(|a, b| a.opened_at.cmp(&b.opened_at).then_with(|| a.ticket_id.cmp(&b.ticket_id)));

    // Attainment per priority per month, against domain 2's norm.
    let attainment_norm = quarterly[0]
        .kpi_quarter
        .domains
        .iter()
        .flat_map(|d| &d.kpis)
        .find(|k| k.id == "resolution_time")
        .and_then(|k| k.norm)
        .unwrap_or(95.0);
    let attainment = Priority::ALL
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let pct = |response: bool| -> Vec<Option<f64>> {
                monthly
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let a = &m.report.attainment;
                        let rows = if response { &a.response_by_priority } else { &a.resolution_by_priority };
                        rows.get(pi).and_then(|r| r.pct).filter(|_| covered[i])
                    })
                    .collect()
            };
            let (response_pct, resolution_pct) = (pct(true), pct(false));
            let missed = |v: &[Option<f64>]| v.iter().map(|x| x.is_some_and(|x| x < attainment_norm)).collect();
            AnnualAttainment {
                priority: p.key().into(),
                response_missed: missed(&response_pct),
                resolution_missed: missed(&resolution_pct),
                response_pct,
                resolution_pct,
            }
        })
        .collect();

    // The year's meta: the last quarter's, as a year.
    let mut meta = quarterly[3].meta.clone();
    meta.kind = "annual".into();
    meta.period = year.to_string();
    meta.period_start = start;
    meta.period_end = next - chrono::Days::new(1);
    // The contract sets no due date for the year report (it is made for the meeting).
    meta.due_on = None;
    meta.late = false;
    AnnualReport {
        meta,
        year,
        months: month_labels,
        month_complete,
        quarters: annual_quarters,
        domains,
        malus_total,
        volumes_by_type,
        volumes_by_priority,
        schools,
        categories,
        previous_year_in_data,
        recurring,
        measures: year_measures(data, &p1s, ctx.today),
        voice: crate::report::voice::voice(data, ctx.contract, Period::year(year).expect("valid year"), ctx.today, ctx.lang),
        p1s,
        attainment,
        attainment_norm,
        commentary: Default::default(),
    }
}
