//! Report periods (a month or a quarter) and their boundaries in contract time.
//!
//! A period is a half-open range of local dates `[start, end)`; its instants are local
//! midnight in the contract's time zone, so "October" means October in Amsterdam whatever
//! offset a timestamp was written with.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::Serialize;

use crate::clock::BusinessClock;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    /// The year report's year (its logs: improvement actions, complaints, measures).
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    /// First day.
    pub start: NaiveDate,
    /// Day after the last day.
    pub end: NaiveDate,
}

/// A report period lies in the years of the contract calendar (2000–2100).
fn check_year(s: &str, year: i32) -> Result<()> {
    let years = crate::contract::CALENDAR_YEARS;
    if years.contains(&year) {
        return Ok(());
    }
    Err(Error::new(format!("\"{}\" lies outside the years {}–{} slarapport reports on", crate::limits::shown(s.trim()), years.start(), years.end()))
        .with_hint("check the year of the period"))
}

impl Period {
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Period { kind: PeriodKind::Month, start, end: start.checked_add_months(Months::new(1))? })
    }

    /// The calendar year `year`.
    pub fn year(year: i32) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        Some(Period { kind: PeriodKind::Year, start, end: NaiveDate::from_ymd_opt(year + 1, 1, 1)? })
    }

    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?;
        Some(Period { kind: PeriodKind::Quarter, start, end: start.checked_add_months(Months::new(3))? })
    }

    /// Parses `YYYY-MM`.
    pub fn parse_month(s: &str) -> Result<Period> {
        let bad = || {
            Error::new(format!("\"{s}\" is not a month"))
                .with_hint("write the period as YYYY-MM, for example --period 2026-10")
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (y, m) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        check_year(s, y)?;
        Period::month(y, m).ok_or_else(bad)
    }

    /// Parses `YYYY-Qn`.
    pub fn parse_quarter(s: &str) -> Result<Period> {
        let bad = || {
            Error::new(format!("\"{s}\" is not a quarter"))
                .with_hint("write the period as YYYY-Qn, for example --period 2026-Q3")
        };
        let (y, q) = s.trim().split_once('-').ok_or_else(bad)?;
        let q = q.strip_prefix(['Q', 'q']).ok_or_else(bad)?;
        let (y, q) = (y.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?);
        check_year(s, y)?;
        Period::quarter(y, q).ok_or_else(bad)
    }

    /// The quarter before the one that holds `today`.
    pub fn quarter_before(today: NaiveDate) -> Period {
        let q = (today.month() - 1) / 3; // 0-based quarter of today
        if q == 0 {
            Period::quarter(today.year() - 1, 4).expect("valid quarter")
        } else {
            Period::quarter(today.year(), q).expect("valid quarter")
        }
    }

    /// The quarter after this period's quarter (the malus is charged on its invoice).
    pub fn next_quarter(&self) -> Period {
        let s = self.start.with_day(1).expect("day 1");
        let q = (s.month() - 1) / 3 + 1;
        if q == 4 { Period::quarter(s.year() + 1, 1) } else { Period::quarter(s.year(), q + 1) }.expect("valid quarter")
    }

    /// The month before the one that holds `today`.
    pub fn month_before(today: NaiveDate) -> Period {
        let first = today.with_day(1).expect("day 1");
        let prev = first - Months::new(1);
        Period::month(prev.year(), prev.month()).expect("valid month")
    }

    /// `2026-10`, `2026-Q3` or `2026`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.start.year(), (self.start.month() - 1) / 3 + 1),
            PeriodKind::Year => format!("{:04}", self.start.year()),
        }
    }

    pub fn last_day(&self) -> NaiveDate {
        self.end - Days::new(1)
    }

    /// The instant the period starts (local midnight).
    pub fn start_instant(&self, clock: &BusinessClock) -> DateTime<Utc> {
        midnight(clock, self.start)
    }

    /// The instant the period ends (local midnight after its last day): the cut-off.
    pub fn end_instant(&self, clock: &BusinessClock) -> DateTime<Utc> {
        midnight(clock, self.end)
    }

    /// The month `n` months before this period's first month.
    pub fn months_before(&self, n: u32) -> Period {
        let s = self.start - Months::new(n);
        Period::month(s.year(), s.month()).expect("valid month")
    }

    /// The months of this period, in order.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut s = self.start;
        while s < self.end {
            out.push(Period::month(s.year(), s.month()).expect("valid month"));
            s = s + Months::new(1);
        }
        out
    }
}

fn midnight(clock: &BusinessClock, d: NaiveDate) -> DateTime<Utc> {
    let t = d.and_hms_opt(0, 0, 0).expect("midnight");
    clock.instant(t).unwrap_or_else(|| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_period_is_last_month() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        assert_eq!(Period::month_before(d).label(), "2026-10");
        let jan = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(Period::month_before(jan).label(), "2026-12");
    }

    #[test]
    fn quarters() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(Period::quarter_before(d(2026, 10, 5)).label(), "2026-Q3");
        assert_eq!(Period::quarter_before(d(2027, 1, 6)).label(), "2026-Q4");
        assert_eq!(Period::parse_quarter("2026-Q4").unwrap().next_quarter().label(), "2027-Q1");
        assert_eq!(Period::parse_quarter("2026-q1").unwrap().end, d(2026, 4, 1));
        assert!(Period::parse_quarter("2026-Q5").is_err());
        assert!(Period::parse_quarter("2026-10").is_err());
    }

    #[test]
    fn parse_and_bounds() {
        let p = Period::parse_month("2026-10").unwrap();
        assert_eq!(p.end, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        assert!(Period::parse_month("2026-13").is_err());
        assert!(Period::parse_month("oktober").is_err());
        // Years no report can have are refused, not a panic at the end of the calendar.
        for far in ["262142-12", "262143-01", "1999-12", "2101-01", "-5-01"] {
            let e = Period::parse_month(far).unwrap_err();
            assert!(e.message.contains("outside the years 2000–2100") || e.message.contains("is not a month"), "{far}: {e}");
        }
        assert!(Period::parse_quarter("262142-Q4").unwrap_err().message.contains("outside the years"));
        assert_eq!(Period::month(262_142, 12), None);
        assert_eq!(Period::quarter(2026, 3).unwrap().months().len(), 3);
        assert_eq!(Period::quarter(2026, 4).unwrap().end, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    }
}
