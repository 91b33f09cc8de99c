//! The KPIs counted from the provider's logs (`source = "log"`): domain 6's improvement
//! actions implemented (from `verbeteracties.csv`) and domain 7's complaints received (from
//! `klachten.csv`). A count over the period; a quarterly KPI in a month's report is the
//! count of the month's quarter once that quarter has ended on the report's date, and "not
//! yet measured" before — as a quarter's measurement is.

use chrono::{Datelike, NaiveDate};

use super::{Figure, KpiFigure};
use crate::contract::{Frequency, Kpi};
use crate::period::{Period, PeriodKind};

/// The KPI's figure for `period` from its log, as of `today`; `None` when the data folder has
/// no such log (then a measurement, if any, gives the figure).
pub fn from_log(
    k: &Kpi,
    period: Period,
    today: NaiveDate,
    improvement_actions: Option<&[crate::voice::ImprovementAction]>,
    complaints: Option<&[crate::voice::Complaint]>,
) -> Option<KpiFigure> {
    let (file, count): (&str, Box<dyn Fn(NaiveDate, NaiveDate) -> u64>) = match k.id.as_str() {
        "improvement_actions" => {
            let actions = improvement_actions?;
            (
                crate::voice::IMPROVEMENT_FILE,
                Box::new(move |from, to| actions.iter().filter(|a| a.implemented_within(from, to, today)).count() as u64),
            )
        }
        "complaints" => {
            let complaints = complaints?;
            (
                crate::voice::COMPLAINTS_FILE,
                Box::new(move |from, to| complaints.iter().filter(|c| from <= c.received_on && c.received_on <= to).count() as u64),
            )
        }
        _ => return None,
    };
    let period = match (k.frequency, period.kind) {
        (Frequency::Quarterly, PeriodKind::Month) => {
            let start = period.start;
            let quarter = Period::quarter(start.year(), start.month0() / 3 + 1)?;
            if quarter.last_day() >= today {
                return Some(KpiFigure::NotYetMeasured);
            }
            quarter
        }
        _ => period,
    };
    let n = count(period.start, period.last_day());
    Some(KpiFigure::Figure(Figure::value(n as f64, "log", file.into(), String::new())))
}
