//! The KPI inputs beside the tickets: the phone log (`calls.csv`) and the measurements from
//! other systems (`measurements.csv`). Both are optional; rows are validated like tickets —
//! used, or rejected with file, line, column and a fix.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::contract::LoadedContract;
use crate::error::Result;
use crate::limits::shown;
use crate::canonical::{broken_row, merge_by_line, parse_timestamp, time_hint, Rejection};
use crate::table::csv::field;
use crate::table::CsvTable;
use crate::period::{Period, PeriodKind};

/// One call to the service desk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    pub started_at: DateTime<Utc>,
    pub wait_seconds: f64,
    pub answered: bool,
}

/// The period a measurement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MeasurePeriod {
    Month(i32, u32),
    Quarter(i32, u32),
    Half(i32, u32),
    Year(i32),
}

impl MeasurePeriod {
    /// `2026-10`, `2026-Q4`, `2026-H2` or `2026`.
    pub fn parse(s: &str) -> Option<MeasurePeriod> {
        let s = s.trim();
        if let Ok(y) = s.parse::<i32>() {
            return (1900..=2999).contains(&y).then_some(MeasurePeriod::Year(y));
        }
        let (y, rest) = s.split_once('-')?;
        let y: i32 = y.parse().ok()?;
        if !(1900..=2999).contains(&y) {
            return None;
        }
        let upper = rest.to_ascii_uppercase();
        if let Some(q) = upper.strip_prefix('Q') {
            let q: u32 = q.parse().ok()?;
            return (1..=4).contains(&q).then_some(MeasurePeriod::Quarter(y, q));
        }
        if let Some(h) = upper.strip_prefix('H') {
            let h: u32 = h.parse().ok()?;
            return (1..=2).contains(&h).then_some(MeasurePeriod::Half(y, h));
        }
        let m: u32 = rest.parse().ok()?;
        (1..=12).contains(&m).then_some(MeasurePeriod::Month(y, m))
    }

    pub fn label(&self) -> String {
        match self {
            MeasurePeriod::Month(y, m) => format!("{y:04}-{m:02}"),
            MeasurePeriod::Quarter(y, q) => format!("{y:04}-Q{q}"),
            MeasurePeriod::Half(y, h) => format!("{y:04}-H{h}"),
            MeasurePeriod::Year(y) => format!("{y:04}"),
        }
    }

    /// The month, quarter, half year and year that hold `date`, most specific first.
    pub fn containing(date: NaiveDate) -> [MeasurePeriod; 4] {
        let (y, m) = (date.year(), date.month());
        [
            MeasurePeriod::Month(y, m),
            MeasurePeriod::Quarter(y, (m - 1) / 3 + 1),
            MeasurePeriod::Half(y, if m <= 6 { 1 } else { 2 }),
            MeasurePeriod::Year(y),
        ]
    }

    /// The measurement period that equals a report period.
    pub fn of(period: &Period) -> MeasurePeriod {
        let (y, m) = (period.start.year(), period.start.month());
        match period.kind {
            PeriodKind::Month => MeasurePeriod::Month(y, m),
            PeriodKind::Quarter => MeasurePeriod::Quarter(y, (m - 1) / 3 + 1),
            PeriodKind::Year => MeasurePeriod::Year(y),
        }
    }
}

/// One measured KPI value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub period: MeasurePeriod,
    pub kpi: String,
    pub value: f64,
    pub note: String,
    pub line: u64,
}

fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().trim_end_matches('%').trim();
    let v: f64 = t.parse().or_else(|_| t.replace(',', ".").parse()).ok()?;
    v.is_finite().then_some(v)
}

/// The longest wait a call can have had: a day.
const MAX_WAIT_SECONDS: f64 = 86_400.0;

/// The rejection of a number outside `min..=max` in `column` (`what`: the KPI or column).
fn out_of_range(file: &str, line: u64, what: &str, value: &str, min: f64, max: f64) -> Rejection {
    let (lo, hi) = (min.to_string(), max.to_string());
    reject(
        file,
        line,
        if what == "wait_seconds" { "wait_seconds" } else { "value" },
        value,
        format!("{} is outside the range of {what}: {lo} to {hi}", value.trim()),
        &format!("write a value from {lo} to {hi}"),
    )
    .coded("out_of_range", &[("value", value.trim()), ("what", what), ("min", &lo), ("max", &hi)])
}

fn reject(file: &str, line: u64, column: &str, value: &str, reason: String, hint: &str) -> Rejection {
    Rejection {
        file: file.into(),
        line,
        column: column.into(),
        value: shown(value).into_owned(),
        reason,
        hint: hint.into(),
        ..Default::default()
    }
}

/// Reads `calls.csv`: `started_at, wait_seconds, answered`.
pub fn load_calls(bytes: &[u8], file: &str, contract: &LoadedContract) -> Result<(Vec<Call>, Vec<Rejection>, CsvTable)> {
    let t = CsvTable::read(bytes, file)?;
    let cols = ["started_at", "wait_seconds", "answered"];
    t.require_columns(file, &cols, &cols)?;
    let (c_start, c_wait, c_ans) = (t.column("started_at"), t.column("wait_seconds"), t.column("answered"));
    let mut calls = Vec::with_capacity(t.height);
    let mut rejections = Vec::new();
    for i in 0..t.height {
        let line = t.line(i);
        let start = field(c_start, i).unwrap_or("");
        let started_at = match parse_timestamp(start, contract) {
            Ok(x) => x,
            Err(e) => {
                let code = match e.code {
                    _ if start.is_empty() => "required",
                    "time_in_gap" => "call_time_in_gap",
                    "not_a_time" => "call_not_a_time",
                    other => other,
                };
                let hint = time_hint(e.code, "2026-10-05T09:30:12");
                rejections.push(reject(file, line, "started_at", start, e.reason, &hint).coded(code, &[("value", start), ("column", "started_at")]));
                continue;
            }
        };
        let wait = field(c_wait, i).unwrap_or("");
        let wait_seconds = match parse_number(wait) {
            Some(w) if w > MAX_WAIT_SECONDS => {
                rejections.push(out_of_range(file, line, "wait_seconds", wait, 0.0, MAX_WAIT_SECONDS));
                continue;
            }
            Some(w) if w >= 0.0 => w,
            _ => {
                rejections.push(
                    reject(file, line, "wait_seconds", wait, format!("\"{}\" is not a number of seconds", shown(wait)), "write the waiting time in whole seconds, e.g. 14")
                        .coded("not_seconds", &[("value", wait)]),
                );
                continue;
            }
        };
        let ans = field(c_ans, i).unwrap_or("");
        let answered = match ans.to_lowercase().as_str() {
            "true" | "ja" | "yes" | "1" => true,
            "false" | "nee" | "no" | "0" => false,
            _ => {
                rejections.push(
                    reject(file, line, "answered", ans, format!("\"{}\" is not true or false", shown(ans)), "write true for an answered call, false for an abandoned one")
                        .coded("not_answered", &[("value", ans)]),
                );
                continue;
            }
        };
        calls.push(Call { started_at, wait_seconds, answered });
    }
    let rejections = merge_by_line(rejections, t.broken.iter().map(|b| broken_row(file, b)).collect());
    Ok((calls, rejections, t))
}

/// Reads `measurements.csv`: `period, kpi, value, note`. A KPI id the contract does not know,
/// and a second value for the same KPI and period, are rejected.
pub fn load_measurements(bytes: &[u8], file: &str, contract: &LoadedContract) -> Result<(Vec<Measurement>, Vec<Rejection>, CsvTable)> {
    let t = CsvTable::read(bytes, file)?;
    let cols = ["period", "kpi", "value"];
    t.require_columns(file, &cols, &cols)?;
    let units: std::collections::HashMap<&str, crate::contract::Unit> =
        contract.contract.domains.iter().flat_map(|d| d.kpis.iter().map(|k| (k.id.as_str(), k.unit))).collect();
    let known: Vec<&str> = contract.contract.domains.iter().flat_map(|d| d.kpis.iter().map(|k| k.id.as_str())).collect();
    let (c_p, c_k, c_v, c_n) = (t.column("period"), t.column("kpi"), t.column("value"), t.column("note"));
    let mut out: Vec<Measurement> = Vec::new();
    // The line of the value counted per KPI and period (a table, not a search: 380,000 rows
    // must not take minutes).
    let mut first_lines: std::collections::BTreeMap<(MeasurePeriod, &str), u64> = std::collections::BTreeMap::new();
    let mut rejections = Vec::new();
    for i in 0..t.height {
        let line = t.line(i);
        let p = field(c_p, i).unwrap_or("");
        let Some(period) = MeasurePeriod::parse(p) else {
            rejections.push(reject(file, line, "period", p, format!("\"{}\" is not a period", shown(p)), "write YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY").coded("not_a_period", &[("value", p)]));
            continue;
        };
        let k = field(c_k, i).unwrap_or("");
        if !known.contains(&k) {
            let ids = known.join(", ");
            rejections.push(reject(file, line, "kpi", k, format!("\"{}\" is not a KPI of the contract", shown(k)), &format!("use one of: {ids}")).coded("not_a_kpi", &[("value", k), ("expected", &ids)]));
            continue;
        }
        let v = field(c_v, i).unwrap_or("");
        let Some(value) = parse_number(v) else {
            rejections.push(reject(file, line, "value", v, format!("\"{}\" is not a number", shown(v)), "write a number such as 98.5").coded("not_a_number", &[("value", v)]));
            continue;
        };
        let (min, max) = units[k].range();
        if !(min..=max).contains(&value) {
            rejections.push(out_of_range(file, line, k, v, min, max));
            continue;
        }
        if let Some(first) = first_lines.get(&(period, k)) {
            let (label, first_line) = (period.label(), first.to_string());
            rejections.push(
                reject(file, line, "kpi", k, format!("a second value for {k} in {label}; the one on line {first_line} counts"), "remove one of the two rows")
                    .coded("second_value", &[("value", k), ("period", &label), ("first", &first_line)]),
            );
            continue;
        }
        first_lines.insert((period, k), line);
        out.push(Measurement { period, kpi: k.to_string(), value, note: field(c_n, i).unwrap_or("").to_string(), line });
    }
    drop(first_lines);
    let rejections = merge_by_line(rejections, t.broken.iter().map(|b| broken_row(file, b)).collect());
    Ok((out, rejections, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_calls_and_measurements_read_in_the_report_language() {
        let c = LoadedContract::embedded();
        let (nl, en) = (crate::i18n::Labels::embedded(crate::i18n::Lang::Nl).unwrap(), crate::i18n::Labels::embedded(crate::i18n::Lang::En).unwrap());
        let calls = "started_at,wait_seconds,answered\ngisteren,10,true\n2026-10-05T09:00:00,lang,true\n2026-10-05T09:00:00,10,misschien\n,10,true\n";
        let (_, rejected, _) = load_calls(calls.as_bytes(), "calls.csv", &c).unwrap();
        let ms = "period,kpi,value\noktober,complaints,1\n2026-10,klachten,1\n2026-10,complaints,veel\n2026-10,complaints,1\n2026-10,complaints,2\n";
        let (_, more, _) = load_measurements(ms.as_bytes(), "measurements.csv", &c).unwrap();
        let all: Vec<&Rejection> = rejected.iter().chain(&more).collect();
        assert_eq!(all.len(), 8, "{all:?}");
        let dutch: Vec<String> = all.iter().map(|r| r.localized(&nl).0).collect();
        assert_eq!(
            dutch,
            [
                "\"gisteren\" is geen datum met tijd",
                "\"lang\" is geen aantal seconden",
                "\"misschien\" is niet true of false",
                "verplicht veld is leeg",
                "\"oktober\" is geen periode",
                "\"klachten\" is geen KPI van het contract",
                "\"veel\" is geen getal",
                "een tweede waarde voor complaints in 2026-10; die op regel 5 telt",
            ]
        );
        // In English the report says what the command line says.
        for r in &all {
            if r.code != "required" {
                assert_eq!(r.localized(&en), (r.reason.clone(), r.hint.clone()));
            }
        }
    }

    #[test]
    fn measurement_periods() {
        assert_eq!(MeasurePeriod::parse("2026-10"), Some(MeasurePeriod::Month(2026, 10)));
        assert_eq!(MeasurePeriod::parse("2026-q3"), Some(MeasurePeriod::Quarter(2026, 3)));
        assert_eq!(MeasurePeriod::parse("2026-H2"), Some(MeasurePeriod::Half(2026, 2)));
        assert_eq!(MeasurePeriod::parse("2026"), Some(MeasurePeriod::Year(2026)));
        assert_eq!(MeasurePeriod::parse("2026-Q5"), None);
        assert_eq!(MeasurePeriod::parse("oktober"), None);
    }

    #[test]
    fn measurements_are_validated() {
        let c = LoadedContract::embedded();
        let csv = "period,kpi,value,note\n2026-10,cmdb_accuracy,98.5,ok\n2026-10,cmbd,97,typo\n2026-13,cmdb_accuracy,97,\n2026-10,cmdb_accuracy,\"97,5\",again\n2026-Q4,os_up_to_date,96%,\n";
        let (m, r, _) = load_measurements(csv.as_bytes(), "measurements.csv", &c).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].value, 96.0);
        let cols: Vec<(u64, &str)> = r.iter().map(|x| (x.line, x.column.as_str())).collect();
        assert_eq!(cols, vec![(3, "kpi"), (4, "period"), (5, "kpi")]);
    }

    /// A measurement a KPI cannot have (a negative or over-full percentage, a negative or
    /// astronomic count) is a rejected row with its line and column, not a figure.
    #[test]
    fn impossible_measurements_are_rejected() {
        let c = LoadedContract::embedded();
        let csv = "period,kpi,value\n2026-10,cmdb_accuracy,\"-98,6\"\n2026-10,os_up_to_date,9690\n2026-10,complaints,-1\n2026-10,training_sessions,1e19\n2026-10,cmdb_accuracy,100\n2026-10,os_up_to_date,0\n2026-10,complaints,3\n";
        let (m, r, _) = load_measurements(csv.as_bytes(), "measurements.csv", &c).unwrap();
        let used: Vec<(&str, f64)> = m.iter().map(|x| (x.kpi.as_str(), x.value)).collect();
        assert_eq!(used, [("cmdb_accuracy", 100.0), ("os_up_to_date", 0.0), ("complaints", 3.0)]);
        let rejected: Vec<(u64, &str, &str)> = r.iter().map(|x| (x.line, x.column.as_str(), x.code.as_str())).collect();
        assert_eq!(rejected, [(2, "value", "out_of_range"), (3, "value", "out_of_range"), (4, "value", "out_of_range"), (5, "value", "out_of_range")]);
        assert_eq!(r[0].reason, "-98,6 is outside the range of cmdb_accuracy: 0 to 100");
        let nl = crate::i18n::Labels::embedded(crate::i18n::Lang::Nl).unwrap();
        assert_eq!(r[1].localized(&nl).0, "9690 valt buiten het bereik van os_up_to_date: 0 tot 100");
        let calls = "started_at,wait_seconds,answered\n2026-10-05T09:00:10,86401,true\n2026-10-05T09:00:10,1e300,true\n";
        let (calls, r, _) = load_calls(calls.as_bytes(), "calls.csv", &c).unwrap();
        assert!(calls.is_empty());
        assert!(r.iter().all(|x| x.code == "out_of_range" && x.column == "wait_seconds"), "{r:?}");
    }

    #[test]
    fn calls_are_validated() {
        let c = LoadedContract::embedded();
        let csv = "started_at,wait_seconds,answered\n2026-10-05T09:00:10,12,true\n2026-10-05T09:01,-3,true\n2026-10-05T09:02,70,false\n";
        let (calls, r, _) = load_calls(csv.as_bytes(), "calls.csv", &c).unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(r[0].line, 3);
        assert!(!calls[1].answered);
    }
}
