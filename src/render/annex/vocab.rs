//! The words of the KPI vocabulary (direction, unit, frequency, source) as both KPI sheets
//! write them: the label key of each value and where a figure came from. Why it exists: the
//! monthly KPI sheet and the quarterly calculation sheet must name a KPI's terms alike.

use crate::contract::{Direction, Frequency, KpiSource, Unit};
use crate::i18n::Labels;
use crate::kpi::KpiResult;

use super::workbook::translate;

pub(super) fn direction_key(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => "at_least",
        Direction::AtMost => "at_most",
    }
}

pub(super) fn unit_key(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "percent",
        Unit::Count => "count",
        Unit::Hours => "hours",
    }
}

pub(super) fn frequency_key(f: Frequency) -> &'static str {
    match f {
        Frequency::Monthly => "monthly",
        Frequency::Quarterly => "quarterly",
        Frequency::HalfYearly => "half_yearly",
        Frequency::Yearly => "yearly",
        Frequency::PerIncident => "per_incident",
        Frequency::Mixed => "mixed",
    }
}

fn source_key(s: Option<KpiSource>) -> &'static str {
    match s {
        Some(KpiSource::Tickets) => "tickets",
        Some(KpiSource::Calls) => "calls",
        Some(KpiSource::Measurement) => "measurement",
        Some(KpiSource::Report) => "report",
        Some(KpiSource::Log) => "log",
        None => "none",
    }
}

/// Where the KPI's figure came from: the source, the measurement's period (or the file), and
/// whether a measurement replaced a computed figure; without a figure, the contract's source.
pub(super) fn source_text(labels: &Labels, k: &KpiResult) -> String {
    let Some(f) = &k.figure else {
        return translate(labels, "xlsx.source", source_key(k.contract_source)).into_owned();
    };
    let mut s = translate(labels, "xlsx.source", &f.source).into_owned();
    let detail = match f.detail.strip_prefix("mean:") {
        Some(periods) => format!(
            "{} {}",
            labels.get("xlsx.kpi.mean_of"),
            periods.replace(',', ", ")
        ),
        None => f.detail.clone(),
    };
    if !detail.is_empty() {
        s = format!("{s} ({detail})");
    }
    if f.overrides_computed {
        s = format!("{s}; {}", labels.get("xlsx.kpi.overrides"));
    }
    s
}
