//! Domain 6's "rapportages tijdig geleverd" from the evidence the report folders keep: each
//! report folder knows when its first version was made (the earliest `generated_on` of its
//! manifest and of the versions in `versies/`), and the report its due date. The KPI's
//! figure is the share of the period's reports whose first version was made by the due
//! date; a measurement in measurements.csv still overrides it (the figure is only offered
//! where the KPI has none), and the report names the source (`versions`). A quarterly
//! report counts the reports of its three months (their folders beside its own) and itself;
//! the year report counts each quarter's the same way, from the folders that exist.
//!
//! It lives with the commands because it reads the report folders they write (through the
//! manifest); the report core reads no files and gets the figures through its `adjust` hook.

use std::path::Path;

use chrono::NaiveDate;

use crate::kpi::{score_domain, Figure, KpiFigure, KpiSection};
use crate::contract::LoadedContract;
use crate::period::Period;
use crate::i18n::Labels;

/// The KPI whose figure this gives.
pub const KPI: &str = "reports_on_time";

/// One report of the period: when its first version was made and when it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub first_made_on: NaiveDate,
    pub due_on: NaiveDate,
}

/// The date in a manifest's `generated_on` (a regular file of at most 64 MB).
fn made_on(manifest: &Path) -> Option<NaiveDate> {
    let meta = std::fs::symlink_metadata(manifest).ok()?;
    if !meta.is_file() || meta.len() > 64 << 20 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest).ok()?).ok()?;
    NaiveDate::parse_from_str(v["generated_on"].as_str()?, "%Y-%m-%d").ok()
}

/// When the report in folder `dir` was first made: the earliest date among its current
/// report and its kept versions; `None` when the folder holds no report.
pub fn first_made_on(dir: &Path) -> Option<NaiveDate> {
    let current = made_on(&dir.join(crate::manifest::MANIFEST));
    let versions = std::fs::read_dir(dir.join(crate::output::VERSIONS))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| made_on(&e.path().join(crate::manifest::MANIFEST)));
    current.into_iter().chain(versions).min()
}

/// The delivery of a report made `today` into folder `dir`: its first version is the
/// earliest kept one, or this one.
pub fn delivery(dir: &Path, today: NaiveDate, due_on: NaiveDate) -> Delivery {
    Delivery { first_made_on: first_made_on(dir).map_or(today, |d| d.min(today)), due_on }
}

/// The reports a quarterly report counts: each month's (`OUT/YYYY-MM`, `None` when that
/// folder holds no report) and the quarter's own (`OUT/YYYY-Qn`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterDeliveries {
    /// The month labels (`2026-07`) with their report's delivery.
    pub months: Vec<(String, Option<Delivery>)>,
    pub own: (String, Option<Delivery>),
}

impl QuarterDeliveries {
    /// The deliveries of `quarter`'s reports found under `out`. `made_today`: the quarterly
    /// report being made now (its first version is the earliest kept one, or today); `None`
    /// for a reader of the folders (the year report), which counts only what exists.
    pub fn find(out: &Path, quarter: &Period, contract: &LoadedContract, made_today: Option<NaiveDate>) -> QuarterDeliveries {
        let due = |p: &Period| contract.clock.add_workdays(p.last_day(), contract.contract.rules.report_due_workdays);
        let months = quarter
            .months()
            .iter()
            .map(|m| (m.label(), first_made_on(&out.join(m.label())).map(|made| Delivery { first_made_on: made, due_on: due(m) })))
            .collect();
        let dir = out.join(quarter.label());
        let own = match made_today {
            Some(today) => Some(delivery(&dir, today, due(quarter))),
            None => first_made_on(&dir).map(|made| Delivery { first_made_on: made, due_on: due(quarter) }),
        };
        QuarterDeliveries { months, own: (quarter.label(), own) }
    }

    /// Gives month `i`'s KPI section (`Some(i)`) its month's report, the quarter's (`None`)
    /// every report found, naming the ones not found.
    pub fn apply_to(&self, month: Option<usize>, kpis: &mut KpiSection, contract: &LoadedContract, labels: &Labels) {
        match month {
            Some(i) => {
                if let Some((_, Some(d))) = self.months.get(i) {
                    apply(kpis, contract, &[*d], &[], labels);
                }
            }
            None => {
                let all = self.months.iter().chain([&self.own]);
                let found: Vec<Delivery> = all.clone().filter_map(|(_, d)| *d).collect();
                let missing: Vec<String> = all.filter(|(_, d)| d.is_none()).map(|(l, _)| l.clone()).collect();
                apply(kpis, contract, &found, &missing, labels);
            }
        }
    }
}

/// Gives the KPI the deliveries' figure where it has none (no measurement), and scores its
/// domain again with it. `missing`: the periods (`2026-08`, `2026-Q3`) whose report was not
/// found, named in the figure's detail (they are not counted: no evidence either way).
pub fn apply(kpis: &mut KpiSection, contract: &LoadedContract, deliveries: &[Delivery], missing: &[String], labels: &Labels) {
    if deliveries.is_empty() {
        return;
    }
    let c = &contract.contract;
    for result in &mut kpis.domains {
        let Some(i) = result.kpis.iter().position(|k| k.id == KPI) else { continue };
        if result.kpis[i].figure.is_some() {
            continue; // a measurement overrides
        }
        let Some(domain) = c.domains.iter().find(|d| d.id == result.id) else { continue };
        let on_time = deliveries.iter().filter(|d| d.first_made_on <= d.due_on).count() as u64;
        let total = deliveries.len() as u64;
        let date = |d: NaiveDate| crate::i18n::format_date(d, labels);
        let mut detail = match deliveries {
            [one] => labels
                .get("kpi.versions.one")
                .replace("{made}", &date(one.first_made_on))
                .replace("{due}", &date(one.due_on)),
            _ => labels
                .get("kpi.versions.many")
                .replace("{on_time}", &on_time.to_string())
                .replace("{total}", &total.to_string()),
        };
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|p| crate::i18n::period_label(p, labels)).collect();
            detail += &labels.get("kpi.versions.missing").replace("{periods}", &names.join(", "));
        }
        let figure = Figure {
            numerator: Some(on_time),
            denominator: Some(total),
            ..Figure::value(on_time as f64 * 100.0 / total as f64, "versions", detail, String::new())
        };
        let figures = result
            .kpis
            .iter()
            .enumerate()
            .map(|(j, k)| match (&k.figure, j == i) {
                (_, true) => KpiFigure::Figure(figure.clone()),
                (Some(f), _) => KpiFigure::Figure(f.clone()),
                (None, _) if k.status == "not_yet_measured" => KpiFigure::NotYetMeasured,
                (None, _) => KpiFigure::NoData,
            })
            .collect();
        *result = score_domain(domain, figures, &c.scoring, result.active, labels.lang());
    }
}
