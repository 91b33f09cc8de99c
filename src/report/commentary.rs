//! A report's commentary: the provider's file for the report's period
//! (`toelichting/PERIOD.toml`, read by `voice::commentary`) matched against what the report
//! shows — its KPIs, recurring issues, P1s and schools. It lives with the reports because
//! the subjects are the report's; the file format and the matching rules stay with the reader.

use crate::error::Result;
use crate::kpi::KpiSection;
use crate::load::DataSet;
use crate::report::annual::AnnualReport;
use crate::report::model::{MonthlyReport, P1Item};
use crate::report::quarterly::QuarterlyReport;
use crate::voice::commentary::{issue_key, plain_subjects, resolve, Commentary, Subject, SubjectKind};

/// The KPIs of `kpis` as subjects: one below its norm (achievement under 100 %) needs an
/// explanation.
pub fn kpi_subjects(kpis: &KpiSection) -> Vec<Subject> {
    kpis.domains
        .iter()
        .flat_map(|d| &d.kpis)
        .map(|k| Subject {
            kind: SubjectKind::Kpi,
            key: k.id.clone(),
            title: k.name.clone(),
            reasons: match k.achievement_pct {
                Some(a) if a < 100.0 => vec!["below_norm".into()],
                _ => vec![],
            },
            achievement_pct: k.achievement_pct,
        })
        .collect()
}

/// The listed P1s as subjects: a breached response or resolution, or an RCA late or overdue,
/// needs an explanation.
pub fn p1_subjects(p1s: &[P1Item]) -> Vec<Subject> {
    p1s.iter()
        .map(|p| {
            let mut reasons = Vec::new();
            if p.response_status == "breached" {
                reasons.push("response".into());
            }
            if p.resolution_status == "breached" {
                reasons.push("resolution".into());
            }
            if p.rca_status.missed_due_date() {
                reasons.push(format!("rca_{}", p.rca_status.key()));
            }
            Subject { kind: SubjectKind::P1, key: p.ticket_id.clone(), title: p.summary.clone(), reasons, achievement_pct: None }
        })
        .collect()
}

/// The subjects of a monthly report.
pub fn monthly_subjects(r: &MonthlyReport) -> Vec<Subject> {
    let mut s = kpi_subjects(&r.kpis);
    s.extend(plain_subjects(SubjectKind::Recurring, r.recurring.top.iter().map(|i| issue_key(&i.category, &i.subcategory))));
    s.extend(p1_subjects(&r.p1s));
    s.extend(plain_subjects(SubjectKind::School, r.volumes.by_school_category.rows.iter().cloned()));
    s
}

/// The subjects of a quarterly report (the quarter's KPIs, its top recurring issues, its P1s,
/// the schools with tickets in it).
pub fn quarterly_subjects(q: &QuarterlyReport) -> Vec<Subject> {
    let mut s = kpi_subjects(&q.kpi_quarter);
    s.extend(plain_subjects(SubjectKind::Recurring, q.recurring.iter().map(|i| issue_key(&i.category, &i.subcategory))));
    s.extend(p1_subjects(&q.p1s));
    s.extend(plain_subjects(SubjectKind::School, q.schools_by_month.rows.iter().cloned()));
    s
}

/// The monthly report's commentary: its period's file matched to it.
pub fn for_monthly(data: &DataSet, r: &MonthlyReport, required: bool) -> Result<Commentary> {
    resolve(data.commentary.get(&r.meta.period), &monthly_subjects(r), &r.meta.period, required)
}

/// The quarterly report's commentary: its quarter's file matched to it.
pub fn for_quarterly(data: &DataSet, q: &QuarterlyReport, required: bool) -> Result<Commentary> {
    resolve(data.commentary.get(&q.meta.period), &quarterly_subjects(q), &q.meta.period, required)
}

/// The year report's subjects: the contract's KPIs (explained for the year; a year has no
/// achievement of its own, so none is asked for), the year's recurring issues, its P1s (a
/// breach asks for an explanation, as in the other reports) and its schools.
pub fn annual_subjects(a: &AnnualReport) -> Vec<Subject> {
    let mut s: Vec<Subject> = a
        .quarters
        .first()
        .map(|q| kpi_subjects(&q.kpis))
        .unwrap_or_default()
        .into_iter()
        .map(|k| Subject { reasons: vec![], achievement_pct: None, ..k })
        .collect();
    s.extend(plain_subjects(SubjectKind::Recurring, a.recurring.iter().map(|i| issue_key(&i.category, &i.subcategory))));
    s.extend(p1_subjects(&a.p1s));
    s.extend(plain_subjects(SubjectKind::School, a.schools.iter().map(|x| x.name.clone())));
    s
}

/// The year report's commentary: its year's file (`toelichting/2026.toml`) matched to it.
pub fn for_annual(data: &DataSet, a: &AnnualReport, required: bool) -> Result<Commentary> {
    resolve(data.commentary.get(&a.year.to_string()), &annual_subjects(a), &a.year.to_string(), required)
}
