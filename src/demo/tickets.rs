//! `tickets.csv`: the months planned (workdays, hot topics, how well the desk performs), the
//! P1 incidents with a story placed, the tickets spread over the months as slots in time
//! order, and the deliberate faults put between them at fixed positions.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::clock::BusinessClock;
use crate::contract::LoadedContract;
use crate::ticket::TicketType;

use super::DemoOptions;
use super::rca::P1Record;
use super::rng::{Rng, Table};
use super::ticket::{at, write_row, Fault, MonthPlan, Slot, TicketGen, BY_EMAIL, LAST_DAYS, P1, RCA_LATE, RCA_MISSING};
use super::vocabulary::SUBS;

/// Tickets per half hour of a workday from 07:30 to 17:30: a morning peak, a dip at lunch.
pub(super) const HALF_HOURS: [u64; 20] = [
    5, 16, 22, 20, 17, 15, 13, 12, 10, 8, 9, 11, 11, 10, 9, 8, 7, 6, 4, 2,
];

/// The deliberate faults in the order they appear in the file.
const FAULTS: [Fault; 8] = [
    Fault::DutchDate,
    Fault::UnknownType,
    Fault::RespondedBeforeOpened,
    Fault::DuplicateId,
    Fault::EmptySchool,
    Fault::PriorityP7,
    Fault::ImpactHeelHoog,
    Fault::Yesterday,
];

/// What [`write_tickets`] wrote: valid and broken rows, and the P1s whose RCA was delivered.
pub(super) struct TicketsWritten {
    pub(super) valid: u64,
    pub(super) errors: u64,
    pub(super) p1s: Vec<P1Record>,
}

/// Sorting tickets that open in the same minute by id: CHG < INC < REQ.
fn id_rank(t: TicketType) -> u8 {
    match t {
        TicketType::Change => 0,
        TicketType::Incident => 1,
        TicketType::ServiceRequest => 2,
    }
}

/// The local midnight that starts `date`, as a local time (the cut-off of the month before).
pub(super) fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// The month starting `first`: its workdays (Mondays busiest), hot topics and how well the desk
/// performs.
fn plan_month(rng: &mut Rng, clock: &BusinessClock, first: NaiveDate) -> MonthPlan {
    let next = first + chrono::Months::new(1);
    let days = first.iter_days().take_while(|d| *d < next);
    let (workdays, offdays): (Vec<NaiveDate>, Vec<NaiveDate>) =
        days.partition(|d| clock.is_workday(*d));
    // Mondays are busiest, Wednesday afternoons and Fridays quiet at schools.
    let workday_weights = Table::new(workdays.iter().map(|d| match d.weekday() {
        Weekday::Mon => 125,
        Weekday::Tue => 105,
        Weekday::Wed => 90,
        Weekday::Thu => 100,
        _ => 80,
    }));
    // Two subcategories are this month's hot topics; September is the start of the school
    // year, with new accounts, passwords and Chromebooks.
    let hot = [
        rng.below(SUBS.len() as u64) as usize,
        rng.below(SUBS.len() as u64) as usize,
    ];
    let september = first.month() == 9;
    let subs = [0, 1, 2].map(|t| {
        Table::new(SUBS.iter().enumerate().map(|(i, s)| {
            let mut w = s.weight[t] * 4;
            if t == 0 && hot.contains(&i) {
                w *= 3;
            }
            if september && (s.category == "account" || s.name == "chromebook") {
                w = w * 5 / 2;
            }
            w
        }))
    });
    MonthPlan {
        workday_weights,
        workdays,
        offdays,
        subs,
        response_breach: 0.03 + 0.04 * rng.unit(),
        resolution_breach: 0.05 + 0.05 * rng.unit(),
        first_line: 0.66 + 0.10 * rng.unit(),
        late_escalation: 0.05 + 0.10 * rng.unit(),
    }
}

/// Tickets in a month when the caller gives no total: about 2,500, quieter in the summer
/// holidays and busier when the school year starts.
fn default_volume(rng: &mut Rng, month: u32) -> u64 {
    let factor = match month {
        7 => 0.90,
        8 => 0.86,
        9 => 1.12,
        10 => 1.04,
        12 => 0.90,
        _ => 1.0,
    };
    (2500.0 * factor * (0.97 + 0.06 * rng.unit())).round() as u64
}

/// Writes `tickets.csv`: the months' tickets in time order with the deliberate faults between
/// them. Returns the counts and the P1s whose RCA was delivered.
pub(super) fn write_tickets(
    dir: &Path,
    opts: &DemoOptions,
    months: &[NaiveDate],
    contract: &LoadedContract,
) -> io::Result<TicketsWritten> {
    let mut rng = Rng::new(opts.seed, 1);
    let plans: Vec<MonthPlan> = months
        .iter()
        .map(|m| plan_month(&mut rng, &contract.clock, *m))
        .collect();
    let volumes = month_volumes(&mut rng, opts.tickets, months);
    let p1_plan = plan_p1s(&mut rng, &volumes);
    let faults = FaultPlan::new(volumes.iter().sum());
    let cutoff = midnight(*months.last().expect("one month at least") + chrono::Months::new(1));
    let mut generator = TicketGen::new(rng, contract, cutoff);

    let file = File::create(dir.join("tickets.csv"))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    out.write_all(crate::canonical::COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    let mut line = Vec::with_capacity(512);
    let mut duplicate = Vec::new();
    let (mut written, mut errors, mut next_fault) = (0u64, 0u64, 0usize);
    let mut p1s = Vec::new();

    for (m, plan) in plans.iter().enumerate() {
        let slots = month_slots(&mut generator.rng, plan, volumes[m], &p1_plan[m]);
        for slot in &slots {
            while faults.positions.get(next_fault) == Some(&written) {
                let fault = FAULTS[next_fault];
                if fault == Fault::DuplicateId {
                    out.write_all(&duplicate)?;
                } else {
                    generator.generate(&Slot { p1: 0, ..*slot }, plan);
                    line.clear();
                    write_row(&mut line, &generator.row, Some(fault));
                    out.write_all(&line)?;
                }
                errors += 1;
                next_fault += 1;
            }
            generator.generate(slot, plan);
            line.clear();
            write_row(&mut line, &generator.row, None);
            out.write_all(&line)?;
            if faults.duplicate_of == Some(written) {
                duplicate.clone_from(&line);
            }
            p1s.extend(generator.row.p1_record());
            written += 1;
        }
    }
    out.flush()?;
    Ok(TicketsWritten {
        valid: written,
        errors,
        p1s,
    })
}

/// Valid tickets per month: `total` spread evenly, or about 2,500 a month when not given.
fn month_volumes(rng: &mut Rng, total: Option<u64>, months: &[NaiveDate]) -> Vec<u64> {
    match total {
        Some(n) => {
            let k = months.len() as u64;
            (0..k).map(|i| n / k + u64::from(i < n % k)).collect()
        }
        None => months
            .iter()
            .map(|m| default_volume(rng, m.month()))
            .collect(),
    }
}

/// The P1 incidents of each month as flags, and the few with a story: one RCA delivered late,
/// one missing in an older month, one reported by e-mail, one in the last days of the range.
fn plan_p1s(rng: &mut Rng, volumes: &[u64]) -> Vec<Vec<u8>> {
    let last = volumes.len() - 1;
    let min_p1 = if volumes.len() == 1 { 3 } else { 2 };
    let mut p1_plan: Vec<Vec<u8>> = volumes
        .iter()
        .map(|&n| {
            let count = ((rng.range(2, 5) as u64 * n + 1250) / 2500)
                .max(min_p1)
                .min(n);
            vec![P1; count as usize]
        })
        .collect();
    let last_count = p1_plan[last].len();
    let mut flag = |month: usize, index: usize, f: u8| {
        if let Some(p) = p1_plan[month].get_mut(index) {
            *p |= f;
        }
    };
    let missing_month = last.saturating_sub(1);
    flag(0, 0, RCA_LATE);
    flag(missing_month, usize::from(missing_month == 0), RCA_MISSING);
    flag(volumes.len() / 2, 1, BY_EMAIL);
    flag(last, last_count.saturating_sub(1), LAST_DAYS);
    p1_plan
}

/// Where the deliberate faults go: [`FAULTS`] in order, evenly spread over the valid rows
/// (none under 100 tickets); the duplicate id repeats the row 40 before its place.
struct FaultPlan {
    /// The number of valid rows written before each fault.
    positions: Vec<u64>,
    /// The valid row the duplicate repeats.
    duplicate_of: Option<u64>,
}

impl FaultPlan {
    fn new(total: u64) -> Self {
        let positions: Vec<u64> = if total >= 100 {
            (1..=FAULTS.len() as u64)
                .map(|k| k * total / (FAULTS.len() as u64 + 1))
                .collect()
        } else {
            Vec::new()
        };
        let duplicate_of = FAULTS
            .iter()
            .position(|f| *f == Fault::DuplicateId)
            .and_then(|k| positions.get(k))
            .map(|p| p.saturating_sub(40));
        FaultPlan {
            positions,
            duplicate_of,
        }
    }
}

/// The month's tickets as slots, sorted by opening time and then by id.
fn month_slots(rng: &mut Rng, plan: &MonthPlan, n: u64, p1s: &[u8]) -> Vec<Slot> {
    let mut slots = Vec::with_capacity(n as usize);
    let early: Vec<NaiveDate> = plan
        .workdays
        .iter()
        .copied()
        .filter(|d| d.day() <= 12)
        .collect();
    let last_two = &plan.workdays[plan.workdays.len().saturating_sub(2)..];
    for &flags in p1s.iter().take(n as usize) {
        // Outages are noticed and phoned in during school hours.
        // The one in the last days is resolved the same day; its RCA is not yet due.
        let (day, latest) = if flags & (RCA_LATE | RCA_MISSING) != 0 {
            (*rng.pick(&early), 15 * 60 + 30)
        } else if flags & LAST_DAYS != 0 {
            (*rng.pick(last_two), 14 * 60)
        } else {
            (plan.workdays[plan.workday_weights.pick(rng)], 15 * 60 + 30)
        };
        let at = at(day, rng.range(8 * 60, latest));
        slots.push(Slot {
            at,
            kind: TicketType::Incident,
            p1: flags,
        });
    }
    let half_hours = Table::new(HALF_HOURS);
    while (slots.len() as u64) < n {
        let kind = match rng.weighted(&[55, 38, 7]) {
            0 => TicketType::Incident,
            1 => TicketType::ServiceRequest,
            _ => TicketType::Change,
        };
        let u = rng.unit();
        let at = if u < 0.88 || plan.offdays.is_empty() {
            let day = plan.workdays[plan.workday_weights.pick(rng)];
            at(
                day,
                7 * 60 + 30 + 30 * half_hours.pick(rng) as i64 + rng.range(0, 29),
            )
        } else if u < 0.95 {
            // Evenings and early mornings, through the portal or by e-mail.
            let day = plan.workdays[plan.workday_weights.pick(rng)];
            if rng.chance(0.25) {
                at(day, rng.range(6 * 60 + 30, 7 * 60 + 29))
            } else {
                at(day, rng.range(17 * 60 + 30, 22 * 60 + 29))
            }
        } else {
            at(*rng.pick(&plan.offdays), rng.range(9 * 60, 21 * 60 + 59))
        };
        slots.push(Slot { at, kind, p1: 0 });
    }
    slots.sort_by_key(|s| (s.at, id_rank(s.kind)));
    slots
}
