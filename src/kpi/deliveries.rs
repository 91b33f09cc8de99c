//! Domain 6's "rapportages tijdig geleverd" from the evidence the report folders keep: each
//! report folder knows when its first version was made (the earliest `generated_on` of its
//! manifest and of the versions in `versies/`), and the report its due date. The KPI's
//! figure is the share of the period's reports whose first version was made by the due
//! date; a measurement in measurements.csv still overrides it (the figure is only offered
//! where the KPI has none), and the report names the source (`versions`).

use std::path::Path;

use chrono::NaiveDate;

use super::{score_domain, Figure, KpiFigure, KpiSection};
use crate::contract::LoadedContract;
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

/// Gives the KPI the deliveries' figure where it has none (no measurement), and scores its
/// domain again with it.
pub fn apply(kpis: &mut KpiSection, contract: &LoadedContract, deliveries: &[Delivery], labels: &Labels) {
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
        let detail = match deliveries {
            [one] => labels
                .get("kpi.versions.one")
                .replace("{made}", &date(one.first_made_on))
                .replace("{due}", &date(one.due_on)),
            _ => String::new(),
        };
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
