//! `calls.csv`, the service desk's phone log: calls during the service window with the
//! tickets' morning peak, most answered within 20 seconds, a few abandoned after a long wait.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::clock::BusinessClock;

use super::csv::{push_date, push_num};
use super::rng::{Rng, Table};
use super::tickets::HALF_HOURS;

/// Writes `calls.csv`, month by month and day by day in time order. Returns the number of
/// calls.
pub(super) fn write_calls(
    dir: &Path,
    seed: u64,
    months: &[NaiveDate],
    clock: &BusinessClock,
) -> io::Result<u64> {
    let mut rng = Rng::new(seed, 2);
    let mut out = BufWriter::new(File::create(dir.join("calls.csv"))?);
    out.write_all(b"started_at,wait_seconds,answered\n")?;
    // Calls arrive during the service window, 08:00-17:00, with the tickets' morning peak.
    let half_hours = Table::new(HALF_HOURS[1..19].iter().copied());
    let mut line = Vec::with_capacity(64);
    let mut calls = 0;
    let mut starts: Vec<u32> = Vec::new();
    for &first in months {
        let next = first + chrono::Months::new(1);
        let workdays: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| *d < next)
            .filter(|d| clock.is_workday(*d))
            .collect();
        let desk = DeskMonth::draw(&mut rng);
        let counts = calls_per_day(&mut rng, desk.total, &workdays);
        for (day, count) in workdays.iter().zip(counts) {
            starts.clear();
            starts.extend((0..count).map(|_| {
                8 * 3600 + 1800 * half_hours.pick(&mut rng) as u32 + rng.below(1800) as u32
            }));
            starts.sort_unstable();
            for &start in &starts {
                let (wait, answered) = desk.call(&mut rng);
                line.clear();
                push_call(&mut line, *day, start, wait, answered);
                out.write_all(&line)?;
                calls += 1;
            }
        }
    }
    out.flush()?;
    Ok(calls)
}

/// How busy and how reachable the desk is: it differs per month.
struct DeskMonth {
    /// Calls in the month.
    total: u64,
    /// Share of calls waiting 21-60 seconds.
    slow: f64,
    /// Share of calls waiting over a minute.
    very_slow: f64,
    /// How readily callers hang up, as a factor on the base rates.
    abandon: f64,
}

impl DeskMonth {
    fn draw(rng: &mut Rng) -> Self {
        let total = rng.range(350, 450) as u64;
        let slow = 0.10 + 0.10 * rng.unit();
        let very_slow = 0.003 + 0.015 * rng.unit();
        let abandon = 0.6 + 0.8 * rng.unit();
        DeskMonth {
            total,
            slow,
            very_slow,
            abandon,
        }
    }

    /// One call: the seconds the caller waits, and whether they are answered (the longer the
    /// wait, the likelier they hang up first).
    fn call(&self, rng: &mut Rng) -> (i64, bool) {
        let u = rng.unit();
        let wait = if u < self.very_slow {
            rng.range(61, 240)
        } else if u < self.very_slow + self.slow {
            rng.range(21, 60)
        } else {
            let v = rng.unit();
            1 + (20.0 * v * v) as i64
        };
        let p_abandon = match wait {
            0..=20 => 0.01,
            21..=60 => 0.08,
            _ => 0.45,
        };
        (wait, !rng.chance(p_abandon * self.abandon))
    }
}

/// `total` calls spread over the workdays, Mondays busiest; the rounding remainder goes to
/// the first days.
fn calls_per_day(rng: &mut Rng, total: u64, workdays: &[NaiveDate]) -> Vec<u64> {
    let weights: Vec<u64> = workdays
        .iter()
        .map(|d| rng.range(70, 130) as u64 + if d.weekday() == Weekday::Mon { 40 } else { 0 })
        .collect();
    let sum: u64 = weights.iter().sum();
    let mut counts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let short = total - counts.iter().sum::<u64>();
    for c in counts.iter_mut().take(short as usize) {
        *c += 1;
    }
    counts
}

/// Appends a `calls.csv` line: start (`day` plus `start` seconds), wait and answered.
fn push_call(line: &mut Vec<u8>, day: NaiveDate, start: u32, wait: i64, answered: bool) {
    push_date(line, day);
    line.push(b'T');
    push_num(line, u64::from(start / 3600), 2);
    line.push(b':');
    push_num(line, u64::from(start / 60 % 60), 2);
    line.push(b':');
    push_num(line, u64::from(start % 60), 2);
    line.push(b',');
    push_num(line, wait as u64, 1);
    line.extend_from_slice(if answered { b",true\n" } else { b",false\n" });
}
