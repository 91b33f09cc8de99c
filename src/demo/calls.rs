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
        // How busy and how reachable the desk is differs per month.
        let total = rng.range(350, 450) as u64;
        let slow = 0.10 + 0.10 * rng.unit();
        let very_slow = 0.003 + 0.015 * rng.unit();
        let abandon = 0.6 + 0.8 * rng.unit();
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
        for (day, count) in workdays.iter().zip(counts) {
            starts.clear();
            starts.extend((0..count).map(|_| {
                8 * 3600 + 1800 * half_hours.pick(&mut rng) as u32 + rng.below(1800) as u32
            }));
            starts.sort_unstable();
            for &s in &starts {
                let u = rng.unit();
                let wait = if u < very_slow {
                    rng.range(61, 240)
                } else if u < very_slow + slow {
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
                let answered = !rng.chance(p_abandon * abandon);
                line.clear();
                push_date(&mut line, *day);
                line.push(b'T');
                push_num(&mut line, u64::from(s / 3600), 2);
                line.push(b':');
                push_num(&mut line, u64::from(s / 60 % 60), 2);
                line.push(b':');
                push_num(&mut line, u64::from(s % 60), 2);
                line.push(b',');
                push_num(&mut line, wait as u64, 1);
                line.extend_from_slice(if answered { b",true\n" } else { b",false\n" });
                out.write_all(&line)?;
                calls += 1;
            }
        }
    }
    out.flush()?;
    Ok(calls)
}
