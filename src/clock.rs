//! The business clock: how much contract time lies between two instants.
//!
//! Every response and resolution target in the contract is measured in business time: the
//! overlap of an interval with the service window (workdays, 08:00–17:00 Amsterdam time by
//! default), skipping weekends and the contract's non-working days. This module answers the
//! three questions the rest of the tool asks, never by stepping through minutes: by array
//! lookups in a table of workdays per date (1990–2100), and outside those years in O(log n)
//! over the sorted list of non-working days:
//!
//! - [`BusinessClock::business_seconds`]: business time in `[start, end)`;
//! - [`BusinessClock::add_business_seconds`]: the instant at which N business seconds have
//!   passed (a ticket's deadline);
//! - [`BusinessClock::add_workdays`]: the date N whole workdays after a date (RCA and report
//!   due dates).
//!
//! Invariant: the service window lies within one local day (it may end at 24:00). Local
//! wall-clock arithmetic inside a window equals real elapsed time except across a daylight
//! saving change inside the window (a 24/7 window holds 02:00–03:00): the clock keeps the
//! changes of 1990–2100 that fall inside a window on a workday (`jumps`) and corrects the
//! wall-clock count by each change an interval crosses, so durations and deadlines are real
//! elapsed time. A window that begins or ends inside a change's hour is refused by the
//! contract check ([`BusinessClock::window_conflict`]). Without changes inside the window
//! (08:00–17:00) the correction is skipped: the fast path is unchanged.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// The contract's service calendar, ready for fast queries.
#[derive(Debug, Clone)]
pub struct BusinessClock {
    tz: Tz,
    /// The service window in seconds of the local day: `0 <= start < end <= 86_400`.
    window_start: i64,
    window_end: i64,
    /// Daylight saving changes inside a window on a workday: `(UTC second, new offset −
    /// old offset)`, sorted. Empty for the usual office-hours window.
    jumps: Vec<(i64, i64)>,
    /// A change that a window on one of the workdays begins or ends inside (the contract
    /// check refuses it).
    conflict: Option<String>,
    /// `workdays[weekday.num_days_from_monday()]`: whether that weekday has a service window.
    workdays: [bool; 7],
    /// Non-working days that fall on a weekday with a service window, sorted, deduplicated.
    closed: Vec<NaiveDate>,
    /// UTC offsets of the time zone: `(from UTC second, offset in seconds)`, sorted; built on
    /// first use. Converting an instant is then one binary search instead of a time-zone
    /// rule evaluation — the clock's hot path.
    offsets: std::sync::Arc<std::sync::OnceLock<OffsetTable>>,
    /// Workdays counted per date over `OFFSET_YEARS`: the day questions become lookups.
    days: std::sync::Arc<DayTable>,
}

/// Workdays per date over a range of years, so that "is this a workday", "how many workdays
/// between" and "the n-th workday after" are array lookups. Answers equal the search over
/// `closed` (the unit tests compare both over the whole range).
struct DayTable {
    /// `num_days_from_ce` of the table's first date.
    first: i32,
    /// `before[i]`: workdays strictly before date `first + i`; one entry more than there are
    /// dates, so the end of the range can be asked too.
    before: Vec<u32>,
    /// `num_days_from_ce` of every workday in the range, in order.
    workdays: Vec<i32>,
}

/// Whether `date` has a service window, by the weekdays and the sorted non-working days.
fn workday_searched(workdays: &[bool; 7], closed: &[NaiveDate], date: NaiveDate) -> bool {
    workdays[date.weekday().num_days_from_monday() as usize] && closed.binary_search(&date).is_err()
}

impl std::fmt::Debug for DayTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DayTable({} dates, {} workdays)", self.before.len() - 1, self.workdays.len())
    }
}

impl DayTable {
    fn build(weekdays: &[bool; 7], closed: &[NaiveDate]) -> DayTable {
        let first_date = NaiveDate::from_ymd_opt(OFFSET_YEARS.start, 1, 1).expect("a date");
        let end_date = NaiveDate::from_ymd_opt(OFFSET_YEARS.end, 1, 1).expect("a date");
        let first = first_date.num_days_from_ce();
        let n = (end_date.num_days_from_ce() - first) as usize;
        let mut before = Vec::with_capacity(n + 1);
        let mut workdays = Vec::new();
        let mut d = first_date;
        for i in 0..n {
            before.push(workdays.len() as u32);
            if workday_searched(weekdays, closed, d) {
                workdays.push(first + i as i32);
            }
            d = d.succ_opt().expect("a date");
        }
        before.push(workdays.len() as u32);
        DayTable { first, before, workdays }
    }

    /// The table index of `date`, when `date` lies in the range or is its end.
    fn index(&self, date: NaiveDate) -> Option<usize> {
        let i = date.num_days_from_ce() - self.first;
        (i >= 0 && (i as usize) < self.before.len()).then_some(i as usize)
    }
}

/// The years for which the offset table is exact; outside it the time zone rules are asked.
const OFFSET_YEARS: std::ops::Range<i32> = 1990..2101;

fn offset_at(tz: Tz, utc_secs: i64) -> i32 {
    use chrono::Offset;
    let t = DateTime::from_timestamp(utc_secs, 0).expect("in range").naive_utc();
    tz.offset_from_utc_datetime(&t).fix().local_minus_utc()
}

/// Every change of UTC offset in `OFFSET_YEARS`, found day by day and then to the second.
/// The offset changes of a time zone, with an index by week so that finding the entry in
/// force at an instant is a lookup and a step or two, not a search over a century of changes.
#[derive(Debug)]
struct OffsetTable {
    /// `(from UTC second, offset in seconds)`, sorted; the last entry (`i32::MIN`) says
    /// "beyond the table: ask the rules".
    entries: Vec<(i64, i32)>,
    /// The UTC second of the first week's start.
    weeks_from: i64,
    /// Per week: the entry in force at its start.
    week_entry: Vec<u32>,
}

const WEEK: i64 = 7 * 86_400;

impl OffsetTable {
    fn new(tz: Tz) -> OffsetTable {
        let entries = offset_table(tz);
        let weeks_from = entries.get(1).map_or(0, |e| e.0) - WEEK;
        let until = entries.last().map_or(weeks_from, |e| e.0);
        let mut week_entry = Vec::new();
        let mut t = weeks_from;
        while t <= until {
            week_entry.push((entries.partition_point(|(from, _)| *from <= t) - 1) as u32);
            t += WEEK;
        }
        OffsetTable { entries, weeks_from, week_entry }
    }

    /// The index of the entry in force at UTC second `secs`.
    fn entry_at(&self, secs: i64) -> usize {
        let week = (secs - self.weeks_from).div_euclid(WEEK);
        match usize::try_from(week).ok().and_then(|w| self.week_entry.get(w)) {
            Some(&i) => {
                let mut i = i as usize;
                while self.entries.get(i + 1).is_some_and(|(from, _)| *from <= secs) {
                    i += 1;
                }
                i
            }
            None => self.entries.partition_point(|(from, _)| *from <= secs).saturating_sub(1),
        }
    }
}

fn offset_table(tz: Tz) -> Vec<(i64, i32)> {
    let start = NaiveDate::from_ymd_opt(OFFSET_YEARS.start, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    let end = NaiveDate::from_ymd_opt(OFFSET_YEARS.end, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    // Before the table's years, as after them: ask the rules.
    let mut table = vec![(i64::MIN, i32::MIN), (start, offset_at(tz, start))];
    let mut t = start;
    let mut current = table[1].1;
    while t < end {
        let next = t + 86_400;
        let o = offset_at(tz, next);
        if o != current {
            // Binary search for the first second of the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == current { lo = mid } else { hi = mid }
            }
            table.push((hi, o));
            current = o;
        }
        t = next;
    }
    table.push((end, i32::MIN)); // beyond: ask the rules
    table
}

impl BusinessClock {
    /// Builds a clock. `closed_days` may contain any dates in any order; those on weekend days
    /// are dropped because they change nothing.
    pub fn new(
        tz: Tz,
        window_start: NaiveTime,
        window_end: NaiveTime,
        workdays: [bool; 7],
        closed_days: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        let secs = |t: NaiveTime| i64::from(t.num_seconds_from_midnight());
        Self::with_window(tz, secs(window_start), secs(window_end), workdays, closed_days)
    }

    /// As [`BusinessClock::new`], the window in seconds of the day (so it can end at 24:00,
    /// 86 400). The window is clamped to the day and made at least a second long.
    pub fn with_window(
        tz: Tz,
        window_start: i64,
        window_end: i64,
        workdays: [bool; 7],
        closed_days: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        let window_start = window_start.clamp(0, 86_399);
        let window_end = window_end.clamp(window_start + 1, 86_400);
        let mut closed: Vec<NaiveDate> = closed_days
            .into_iter()
            .filter(|d| workdays[d.weekday().num_days_from_monday() as usize])
            .collect();
        closed.sort_unstable();
        closed.dedup();
        let days = std::sync::Arc::new(DayTable::build(&workdays, &closed));
        let mut clock = BusinessClock {
            tz,
            window_start,
            window_end,
            jumps: Vec::new(),
            conflict: None,
            workdays,
            closed,
            offsets: Default::default(),
            days,
        };
        clock.find_jumps();
        clock
    }

    /// Fills `jumps` and `conflict` from the time zone's changes of `OFFSET_YEARS`.
    fn find_jumps(&mut self) {
        let offsets = self.offsets.get_or_init(|| OffsetTable::new(self.tz));
        let (mut jumps, mut conflict) = (Vec::new(), None);
        for pair in offsets.entries.windows(2) {
            let ((_, before), (at, after)) = (pair[0], pair[1]);
            if before == i32::MIN || after == i32::MIN {
                continue;
            }
            // The wall-clock hour the change skips or repeats, as seconds of its local day.
            let (a, b) = (at + i64::from(before), at + i64::from(after));
            let (lo, hi) = (a.min(b), a.max(b));
            let Some(day) = DateTime::from_timestamp(lo, 0).map(|t| t.date_naive()) else { continue };
            if !self.workdays[day.weekday().num_days_from_monday() as usize] {
                continue;
            }
            let from = lo.rem_euclid(86_400);
            let to = from + (hi - lo);
            if to <= self.window_start || from >= self.window_end {
                continue; // outside the window: wall-clock time is real time there
            }
            if self.window_start <= from && to <= self.window_end && to <= 86_400 {
                if self.is_workday(day) {
                    jumps.push((at, i64::from(after) - i64::from(before)));
                }
            } else if conflict.is_none() {
                conflict = Some(format!(
                    "the clocks change inside the service window's first or last hour on {day} ({} to {} local time); let the window begin before the change or after it, and end before it or after it",
                    wall(from),
                    wall(to),
                ));
            }
        }
        self.jumps = jumps;
        self.conflict = conflict;
    }

    /// A daylight saving change that a window begins or ends inside: the clock cannot say
    /// how much of that hour is service time. The contract check refuses such a window.
    pub fn window_conflict(&self) -> Option<&str> {
        self.conflict.as_deref()
    }

    /// The correction to a wall-clock count of business seconds over the instants
    /// `(a, b]`: minus each change of offset inside a window that lies in it.
    fn correction(&self, a: i64, b: i64) -> i64 {
        if self.jumps.is_empty() || b <= a {
            return 0;
        }
        let lo = self.jumps.partition_point(|(t, _)| *t <= a);
        let hi = self.jumps.partition_point(|(t, _)| *t <= b);
        -self.jumps[lo..hi].iter().map(|(_, d)| d).sum::<i64>()
    }

    /// The first change inside a window after the instant `a` (UTC seconds).
    fn next_jump(&self, a: i64) -> Option<i64> {
        self.jumps.get(self.jumps.partition_point(|(t, _)| *t <= a)).map(|(t, _)| *t)
    }

    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// Length of one service window in seconds.
    pub fn window_seconds(&self) -> i64 {
        self.window_end - self.window_start
    }

    /// The window's opening on `date`.
    fn opening(&self, date: NaiveDate) -> NaiveDateTime {
        date.and_time(NaiveTime::MIN) + chrono::Duration::seconds(self.window_start)
    }

    /// Whether `date` has a service window (a workday that is not a non-working day).
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        match self.days.index(date) {
            Some(i) if i + 1 < self.days.before.len() => self.days.before[i + 1] != self.days.before[i],
            _ => self.is_workday_searched(date),
        }
    }

    fn is_workday_searched(&self, date: NaiveDate) -> bool {
        workday_searched(&self.workdays, &self.closed, date)
    }

    /// Number of workdays in `[from, to)`; 0 when `to <= from`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        if let (Some(a), Some(b)) = (self.days.index(from), self.days.index(to)) {
            return i64::from(self.days.before[b] - self.days.before[a]);
        }
        self.workdays_between_searched(from, to)
    }

    fn workdays_between_searched(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let weekdays = self.weekdays_before(to) - self.weekdays_before(from);
        let lo = self.closed.partition_point(|d| *d < from);
        let hi = self.closed.partition_point(|d| *d < to);
        weekdays - (hi - lo) as i64
    }

    /// Number of days with a service window (ignoring non-working days) before `date`, counted
    /// from a fixed epoch. Differences of this function count weekdays in O(1).
    fn weekdays_before(&self, date: NaiveDate) -> i64 {
        let days = i64::from(date.num_days_from_ce()); // day 1 = Monday 0001-01-01
        let (weeks, rest) = ((days - 1).div_euclid(7), (days - 1).rem_euclid(7));
        let per_week = self.workdays.iter().filter(|w| **w).count() as i64;
        let partial = self.workdays[..rest as usize].iter().filter(|w| **w).count() as i64;
        weeks * per_week + partial
    }

    /// The date `n` whole workdays after `date` (the start day itself never counts):
    /// 5 workdays after Friday 31 October 2025 is Friday 7 November 2025.
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return date;
        }
        if let Some(i) = self.days.index(date + Days::new(1)) {
            // Workdays up to and including `date`, then the n-th after them.
            let k = self.days.before[i] as usize + n as usize - 1;
            if let Some(&d) = self.days.workdays.get(k) {
                return NaiveDate::from_num_days_from_ce_opt(d).expect("a date in the table");
            }
        }
        self.add_workdays_searched(date, n)
    }

    fn add_workdays_searched(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let start = date + Days::new(1);
        // The smallest d such that [start, d] holds n workdays, i.e. [start, d + 1) does.
        let (mut lo, mut hi) = (start, start);
        while self.workdays_between_searched(start, hi + Days::new(1)) < i64::from(n) {
            let span = (hi - start).num_days().max(7) as u64;
            lo = hi;
            hi = hi + Days::new(span);
        }
        while lo < hi {
            let mid = lo + Days::new(((hi - lo).num_days() / 2) as u64);
            if self.workdays_between_searched(start, mid + Days::new(1)) >= i64::from(n) {
                hi = mid;
            } else {
                lo = mid + Days::new(1);
            }
        }
        lo
    }

    /// Converts an instant to local wall-clock time.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        let offsets = self.offsets.get_or_init(|| OffsetTable::new(self.tz));
        let i = offsets.entry_at(t.timestamp());
        match offsets.entries[i].1 {
            i32::MIN => t.with_timezone(&self.tz).naive_local(),
            offset => t.naive_utc() + chrono::Duration::seconds(i64::from(offset)),
        }
    }

    /// Converts local wall-clock time to an instant. A time in the hour that repeats when
    /// summer time ends takes its first occurrence; a time in the hour skipped when it begins
    /// has no instant (`None`).
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let offsets = self.offsets.get_or_init(|| OffsetTable::new(self.tz));
        let table = &offsets.entries;
        let l = local.and_utc().timestamp();
        // The instant is l − offset for an offset in force at that instant. Offsets differ
        // by at most a day, so the candidates are the offsets of the table entries around l.
        let i = offsets.entry_at(l - 86_400);
        let mut found: Option<i64> = None;
        for (k, &(from, offset)) in table.iter().enumerate().skip(i) {
            if from > l + 86_400 {
                break;
            }
            if offset == i32::MIN {
                return self.tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc));
            }
            // Valid when the instant falls in this entry's own span (neighbouring entries
            // always differ in offset, so no other entry can vouch for it).
            let t = l - i64::from(offset);
            let until = table.get(k + 1).map_or(i64::MAX, |(f, _)| *f);
            if from <= t && t < until {
                found = Some(found.map_or(t, |x: i64| x.min(t)));
            }
        }
        found.and_then(|t| DateTime::from_timestamp(t, 0)).map(|t| t + chrono::Duration::nanoseconds(i64::from(local.and_utc().timestamp_subsec_nanos())))
    }

    /// Business seconds of `date` that lie before wall-clock time `t`.
    fn seconds_of_day_before(&self, date: NaiveDate, t: NaiveTime) -> i64 {
        if !self.is_workday(date) {
            return 0;
        }
        let t = i64::from(t.num_seconds_from_midnight()).clamp(self.window_start, self.window_end);
        t - self.window_start
    }

    /// Business seconds in `[start, end)`; 0 when `end <= start` (the caller decides whether
    /// that is a data error).
    pub fn business_seconds(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
        if end <= start {
            return 0;
        }
        self.elapsed(start, self.local(start), end, self.local(end))
    }

    /// Business seconds in `[start, end)` for callers that already converted both ends to
    /// local time (`*_local`): real elapsed service time, also across a daylight saving
    /// change inside the window; 0 when `end <= start`.
    pub fn elapsed(&self, start: DateTime<Utc>, start_local: NaiveDateTime, end: DateTime<Utc>, end_local: NaiveDateTime) -> i64 {
        if end <= start {
            return 0;
        }
        if self.jumps.is_empty() {
            return self.local_business_seconds(start_local, end_local);
        }
        (self.wall_business_seconds(start_local, end_local) + self.correction(start.timestamp(), end.timestamp())).max(0)
    }

    /// Business seconds between two local wall-clock times (`s` before `e`) counted on the
    /// wall clock: for callers that already converted both ends, where the window holds no
    /// daylight saving change (else see [`BusinessClock::elapsed`]).
    pub fn local_business_seconds(&self, s: NaiveDateTime, e: NaiveDateTime) -> i64 {
        self.wall_business_seconds(s, e).max(0)
    }

    /// As `local_business_seconds`, negative when `e` is before `s` on the same day (as in
    /// the repeated hour when summer time ends, which the correction then makes up).
    fn wall_business_seconds(&self, s: NaiveDateTime, e: NaiveDateTime) -> i64 {
        let (sd, ed) = (s.date(), e.date());
        if sd == ed {
            return self.seconds_of_day_before(sd, e.time()) - self.seconds_of_day_before(sd, s.time());
        }
        let first = if self.is_workday(sd) {
            self.window_seconds() - self.seconds_of_day_before(sd, s.time())
        } else {
            0
        };
        let middle = self.workdays_between(sd + Days::new(1), ed) * self.window_seconds();
        let last = self.seconds_of_day_before(ed, e.time());
        first + middle + last
    }

    /// The instant at which `seconds` business seconds have passed since `start`. With 0 it
    /// is `start` itself when that lies inside a window, else the next window's opening.
    pub fn add_business_seconds(&self, start: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        self.deadline(start, self.local(start), seconds)
    }

    /// As [`BusinessClock::add_business_seconds`], for callers that already converted
    /// `start` to local time: real elapsed service time, also across a daylight saving
    /// change inside the window (counted segment by segment between the changes).
    pub fn deadline(&self, start: DateTime<Utc>, start_local: NaiveDateTime, seconds: i64) -> DateTime<Utc> {
        if self.jumps.is_empty() {
            return self.instant_in_window(self.add_business_seconds_local(start_local, seconds));
        }
        let (mut at, mut local, mut left) = (start, start_local, seconds.max(0));
        loop {
            let jump = self.next_jump(at.timestamp()).and_then(|j| DateTime::from_timestamp(j, 0));
            if let Some(jump) = jump {
                let to_jump = self.elapsed(at, local, jump, self.local(jump));
                if left == to_jump {
                    return jump;
                }
                if left > to_jump {
                    left -= to_jump;
                    at = jump;
                    local = self.local(jump);
                    continue;
                }
            }
            // Before the next change: wall-clock time is real time; of a wall-clock time that
            // occurs twice (summer time ending), the occurrence after `at`.
            let wall = self.add_business_seconds_local(local, left);
            return match self.tz.from_local_datetime(&wall) {
                chrono::LocalResult::Ambiguous(a, b) => {
                    let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
                    if a >= at { a } else { b }
                }
                _ => self.instant_in_window(wall),
            };
        }
    }

    /// As [`BusinessClock::add_business_seconds`], in local wall-clock time: for callers
    /// that already converted `start` (evaluation converts a ticket's opening once).
    pub fn add_business_seconds_local(&self, s: NaiveDateTime, seconds: i64) -> NaiveDateTime {
        let seconds = seconds.max(0);
        let (mut date, mut time) = (s.date(), s.time());
        // Move to the first moment inside a window at or after `s`.
        let tod = i64::from(time.num_seconds_from_midnight());
        if !self.is_workday(date) || tod >= self.window_end {
            date = self.next_workday(date);
            time = self.opening(date).time();
        } else if tod < self.window_start {
            time = self.opening(date).time();
        }
        let left_today = self.window_end - i64::from(time.num_seconds_from_midnight());
        if seconds <= left_today {
            date.and_time(time) + chrono::Duration::seconds(seconds)
        } else {
            let rest = seconds - left_today;
            let w = self.window_seconds();
            // Whole windows after `date`, then what remains in the last one. A remainder of 0
            // ends at the close of the previous window.
            let (full, part) = ((rest - 1) / w, (rest - 1) % w + 1);
            let day = self.add_workdays(date, u32::try_from(full + 1).unwrap_or(u32::MAX));
            self.opening(day) + chrono::Duration::seconds(part)
        }
    }

    /// The instant of a local time inside a service window (where it always exists, see the
    /// module invariant).
    pub fn instant_in_window(&self, local: NaiveDateTime) -> DateTime<Utc> {
        self.instant(local).unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// The first workday strictly after `date`.
    pub fn next_workday(&self, date: NaiveDate) -> NaiveDate {
        self.add_workdays(date, 1)
    }
}

/// `HH:MM` of a second of the day (24:00 for the day's end).
fn wall(secs: i64) -> String {
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// A rule that yields one non-working day a year (or none in some years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayRule {
    NewYearsDay,
    GoodFriday,
    EasterSunday,
    EasterMonday,
    /// 27 April, or 26 April when the 27th is a Sunday.
    KingsDay,
    /// 5 May, every year.
    LiberationDay,
    /// 5 May in lustrum years only (2025, 2030, …), as in most collective agreements.
    LiberationDayLustrum,
    AscensionDay,
    WhitSunday,
    WhitMonday,
    ChristmasDay,
    BoxingDay,
}

impl HolidayRule {
    /// The date this rule gives in `year`, if any.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
        let easter = easter_sunday(year);
        match self {
            HolidayRule::NewYearsDay => ymd(1, 1),
            HolidayRule::GoodFriday => Some(easter - Days::new(2)),
            HolidayRule::EasterSunday => Some(easter),
            HolidayRule::EasterMonday => Some(easter + Days::new(1)),
            HolidayRule::KingsDay => {
                let d = ymd(4, 27)?;
                Some(if d.weekday() == Weekday::Sun { d - Days::new(1) } else { d })
            }
            HolidayRule::LiberationDay => ymd(5, 5),
            HolidayRule::LiberationDayLustrum => {
                if year % 5 == 0 { ymd(5, 5) } else { None }
            }
            HolidayRule::AscensionDay => Some(easter + Days::new(39)),
            HolidayRule::WhitSunday => Some(easter + Days::new(49)),
            HolidayRule::WhitMonday => Some(easter + Days::new(50)),
            HolidayRule::ChristmasDay => ymd(12, 25),
            HolidayRule::BoxingDay => ymd(12, 26),
        }
    }
}

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The guideline's clock: Mon–Fri 08:00–17:00 Amsterdam, default holidays 2020–2035.
    fn dhs() -> BusinessClock {
        use HolidayRule::*;
        let rules = [
            NewYearsDay, EasterMonday, KingsDay, LiberationDayLustrum, AscensionDay, WhitMonday,
            ChristmasDay, BoxingDay,
        ];
        let days = (2020..=2035).flat_map(|y| rules.iter().filter_map(move |r| r.date_in(y)));
        BusinessClock::new(
            chrono_tz::Europe::Amsterdam,
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            [true, true, true, true, true, false, false],
            days,
        )
    }

    /// Amsterdam local time to an instant.
    fn at(c: &BusinessClock, s: &str) -> DateTime<Utc> {
        c.instant(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()).unwrap()
    }

    fn minutes(c: &BusinessClock, a: &str, b: &str) -> i64 {
        c.business_seconds(at(c, a), at(c, b)) / 60
    }

    #[test]
    fn offset_table_matches_the_time_zone_rules() {
        let c = dhs();
        let mut t = DateTime::parse_from_rfc3339("1995-01-01T00:30:00Z").unwrap().with_timezone(&Utc);
        let end = DateTime::parse_from_rfc3339("2040-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        while t < end {
            assert_eq!(c.local(t), t.with_timezone(&c.tz).naive_local(), "{t}");
            t += chrono::Duration::minutes(59 * 7 + 13);
        }
        // Around a change: 2026-10-25 01:00 UTC, 03:00 CEST becomes 02:00 CET.
        let x = DateTime::parse_from_rfc3339("2026-10-25T00:59:59Z").unwrap().with_timezone(&Utc);
        assert_eq!(c.local(x).to_string(), "2026-10-25 02:59:59");
        assert_eq!(c.local(x + chrono::Duration::seconds(1)).to_string(), "2026-10-25 02:00:00");
        // Outside the table's years (summer time in 1985 and 2150) the rules answer.
        for s in ["2150-07-01T12:00:00Z", "1985-07-01T12:00:00Z", "1989-12-31T23:59:59Z"] {
            let far = DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
            assert_eq!(c.local(far), far.with_timezone(&c.tz).naive_local(), "{s}");
            assert_eq!(c.instant(c.local(far)), Some(far), "{s}");
        }
    }

    #[test]
    fn instant_matches_the_time_zone_rules() {
        let c = dhs();
        let mut t = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap().and_hms_opt(0, 7, 0).unwrap();
        let end = NaiveDate::from_ymd_opt(2040, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        while t < end {
            let rules = c.tz.from_local_datetime(&t).earliest().map(|x| x.with_timezone(&Utc));
            assert_eq!(c.instant(t), rules, "{t}");
            t += chrono::Duration::minutes(53 * 11 + 7);
        }
        // The gap and the repeated hour of 2026.
        let lt = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(c.instant(lt("2026-03-29 02:30")), None);
        assert_eq!(c.instant(lt("2026-03-29 03:00")).unwrap().to_rfc3339(), "2026-03-29T01:00:00+00:00");
        assert_eq!(c.instant(lt("2026-10-25 02:30")).unwrap().to_rfc3339(), "2026-10-25T00:30:00+00:00");
        assert_eq!(c.instant(lt("2026-10-25 03:00")).unwrap().to_rfc3339(), "2026-10-25T02:00:00+00:00");
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2030), d(2030, 4, 21));
    }

    #[test]
    fn dutch_holidays() {
        use HolidayRule::*;
        assert_eq!(AscensionDay.date_in(2026), Some(d(2026, 5, 14)));
        assert_eq!(WhitMonday.date_in(2026), Some(d(2026, 5, 25)));
        assert_eq!(KingsDay.date_in(2025), Some(d(2025, 4, 26)), "27 April 2025 is a Sunday");
        assert_eq!(KingsDay.date_in(2026), Some(d(2026, 4, 27)));
        assert_eq!(LiberationDayLustrum.date_in(2025), Some(d(2025, 5, 5)));
        assert_eq!(LiberationDayLustrum.date_in(2026), None);
        assert_eq!(GoodFriday.date_in(2026), Some(d(2026, 4, 3)));
    }

    #[test]
    fn within_one_day() {
        let c = dhs();
        assert_eq!(minutes(&c, "2026-10-05 09:00", "2026-10-05 09:14"), 14);
        assert_eq!(minutes(&c, "2026-10-05 16:50", "2026-10-05 18:00"), 10);
    }

    #[test]
    fn opened_at_night_counts_from_opening() {
        let c = dhs();
        // Monday 2026-10-05 02:00 → 08:20: only 20 minutes of business time.
        assert_eq!(minutes(&c, "2026-10-05 02:00", "2026-10-05 08:20"), 20);
        // Opened after closing, answered next morning at 08:10.
        assert_eq!(minutes(&c, "2026-10-05 21:30", "2026-10-06 08:10"), 10);
    }

    #[test]
    fn opened_on_saturday() {
        let c = dhs();
        assert_eq!(minutes(&c, "2026-10-10 11:00", "2026-10-12 08:15"), 15);
        assert_eq!(minutes(&c, "2026-10-10 11:00", "2026-10-11 23:00"), 0);
    }

    #[test]
    fn kings_day_and_ascension_are_closed() {
        let c = dhs();
        // Friday 24 April 16:00 → Tuesday 28 April 09:00 2026: 1 h Friday, King's Day Monday
        // closed, 1 h Tuesday.
        assert_eq!(minutes(&c, "2026-04-24 16:00", "2026-04-28 09:00"), 120);
        // Wednesday 13 May 16:30 → Friday 15 May 08:30 2026: Ascension Thursday closed.
        assert_eq!(minutes(&c, "2026-05-13 16:30", "2026-05-15 08:30"), 60);
        assert!(!c.is_workday(d(2026, 5, 14)));
        assert!(!c.is_workday(d(2026, 4, 27)));
    }

    #[test]
    fn dst_changes_shift_nothing() {
        let c = dhs();
        // Last Sunday of March 2026 is the 29th: Friday 16:00 → Monday 09:00 is 2 h.
        assert_eq!(minutes(&c, "2026-03-27 16:00", "2026-03-30 09:00"), 120);
        // Last Sunday of October 2026 is the 25th.
        assert_eq!(minutes(&c, "2026-10-23 16:00", "2026-10-26 09:00"), 120);
        // An instant given with its offset lands on the same local time.
        let t = DateTime::parse_from_rfc3339("2026-10-26T08:00:00+01:00").unwrap();
        assert_eq!(c.business_seconds(at(&c, "2026-10-23 16:00"), t.with_timezone(&Utc)), 3600);
    }

    #[test]
    fn christmas_and_new_year() {
        let c = dhs();
        // Thursday 24 Dec 2026 16:00 → Monday 28 Dec 09:00: Christmas Friday, Boxing Day
        // Saturday: 1 h + 1 h.
        assert_eq!(minutes(&c, "2026-12-24 16:00", "2026-12-28 09:00"), 120);
        // Thursday 31 Dec 2026 16:00 → Monday 4 Jan 2027 08:30; Friday 1 Jan is closed.
        assert_eq!(minutes(&c, "2026-12-31 16:00", "2027-01-04 08:30"), 90);
    }

    #[test]
    fn response_before_opening_is_zero_not_negative() {
        let c = dhs();
        assert_eq!(minutes(&c, "2026-10-05 10:00", "2026-10-05 09:00"), 0);
    }

    #[test]
    fn day_table_equals_the_search() {
        // Every date of the table, and across both ends of it, against the search over the
        // list of non-working days that the table replaces.
        let c = dhs();
        let mut x = d(1989, 12, 1);
        let mut k = 0u32;
        while x < d(2101, 2, 1) {
            assert_eq!(c.is_workday(x), c.is_workday_searched(x), "{x}");
            // A spread of spans and counts, deterministic.
            k = k.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let span = u64::from(k % 400);
            let y = x + Days::new(span);
            assert_eq!(c.workdays_between(x, y), c.workdays_between_searched(x, y), "{x}..{y}");
            let n = k % 300;
            let expected = if n == 0 { x } else { c.add_workdays_searched(x, n) };
            assert_eq!(c.add_workdays(x, n), expected, "{x} + {n}");
            x = x.succ_opt().unwrap();
        }
    }

    #[test]
    fn workdays_after_a_date() {
        let c = dhs();
        assert_eq!(c.add_workdays(d(2025, 10, 31), 5), d(2025, 11, 7));
        // Over Christmas 2026: Wed 23 Dec + 5 → Thu 24, Mon 28, Tue 29, Wed 30, Thu 31.
        assert_eq!(c.add_workdays(d(2026, 12, 23), 5), d(2026, 12, 31));
        // Over Ascension 2026: Tue 12 May + 2 → Wed 13, (Thu 14 closed), Fri 15.
        assert_eq!(c.add_workdays(d(2026, 5, 12), 2), d(2026, 5, 15));
        // A Saturday start counts from Monday.
        assert_eq!(c.add_workdays(d(2026, 10, 10), 1), d(2026, 10, 12));
        assert_eq!(c.add_workdays(d(2026, 10, 10), 0), d(2026, 10, 10));
        assert_eq!(c.add_workdays(d(2026, 1, 1), 300), {
            let mut x = d(2026, 1, 1);
            for _ in 0..300 {
                x = x.succ_opt().unwrap();
                while !c.is_workday(x) {
                    x = x.succ_opt().unwrap();
                }
            }
            x
        });
    }

    /// A clock over every day of the week with the window `from`–`to` (seconds of the day).
    fn all_week(from: i64, to: i64) -> BusinessClock {
        BusinessClock::with_window(chrono_tz::Europe::Amsterdam, from, to, [true; 7], [])
    }

    /// Business seconds of `[a, b)` counted minute by minute over the instants: a minute
    /// counts when its local time lies in the window on a workday.
    fn brute_force(c: &BusinessClock, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        let mut t = a;
        let mut n = 0;
        while t < b {
            let l = c.local(t);
            let tod = i64::from(l.time().num_seconds_from_midnight());
            if c.is_workday(l.date()) && (c.window_start..c.window_end).contains(&tod) {
                n += 60;
            }
            t += chrono::Duration::minutes(1);
        }
        n
    }

    /// A window that holds a daylight saving change (24/7, or the night 00:00–06:00) counts
    /// real elapsed time across it, both ways, and its deadlines are real time too (issue 13
    /// item 6: a ticket of 180 real minutes across the October change was counted as 120).
    #[test]
    fn a_window_across_a_daylight_saving_change_counts_real_time() {
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let c = all_week(0, 86_400);
        assert!(c.window_conflict().is_none());
        // 01:00 CEST to 03:00 CET on 25 October 2026: 180 real minutes.
        assert_eq!(c.business_seconds(utc("2026-10-25T01:00:00+02:00"), utc("2026-10-25T03:00:00+01:00")), 180 * 60);
        // 01:00 CET to 04:00 CEST on 29 March 2026: 120 real minutes.
        assert_eq!(c.business_seconds(utc("2026-03-29T01:00:00+01:00"), utc("2026-03-29T04:00:00+02:00")), 120 * 60);
        let night = all_week(0, 6 * 3600);
        for clock in [&c, &night] {
            for (from, to) in [("2026-10-24T20:00:00Z", "2026-10-25T06:00:00Z"), ("2026-03-28T20:00:00Z", "2026-03-29T06:00:00Z")] {
                let (from, to) = (utc(from), utc(to));
                let mut a = from;
                while a < to {
                    let mut b = a;
                    while b <= to {
                        assert_eq!(clock.business_seconds(a, b), brute_force(clock, a, b), "{a}..{b}");
                        b += chrono::Duration::minutes(25);
                    }
                    for n in [0, 1, 29, 30, 31, 59, 60, 61, 90, 120, 150, 179, 180, 181, 300, 1440, 3000] {
                        let d = clock.add_business_seconds(a, n * 60);
                        assert_eq!(clock.business_seconds(a, d), n * 60, "{a} + {n} min = {d}");
                        if n > 0 {
                            assert_eq!(clock.business_seconds(a, d - chrono::Duration::seconds(1)), n * 60 - 1, "{a} + {n} min: {d} is not the first such instant");
                        }
                    }
                    a += chrono::Duration::minutes(10);
                }
            }
        }
        // In a 24/7 window business time is real time.
        let a = utc("2026-10-25T00:30:00+02:00");
        assert_eq!(c.add_business_seconds(a, 100 * 60), a + chrono::Duration::minutes(100));
    }

    /// A window that begins or ends inside the hour the clocks change is refused (the
    /// contract check names it); one that holds the change or avoids it is fine.
    #[test]
    fn a_window_edge_inside_a_change_is_a_conflict() {
        assert!(all_week(2 * 3600 + 1800, 17 * 3600).window_conflict().is_some());
        assert!(all_week(0, 2 * 3600 + 1800).window_conflict().is_some());
        assert!(all_week(3 * 3600, 17 * 3600).window_conflict().is_none());
        assert!(all_week(0, 2 * 3600).window_conflict().is_none());
        assert!(dhs().window_conflict().is_none() && dhs().jumps.is_empty());
        // Mon–Fri: the Sunday changes are no business of the window.
        let weekdays = BusinessClock::with_window(chrono_tz::Europe::Amsterdam, 2 * 3600 + 1800, 17 * 3600, [true, true, true, true, true, false, false], []);
        assert!(weekdays.window_conflict().is_none());
    }

    #[test]
    fn deadlines() {
        let c = dhs();
        let add = |s: &str, min: i64| c.local(c.add_business_seconds(at(&c, s), min * 60));
        let lt = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // P1 reported at night: 2 h after opening.
        assert_eq!(add("2026-10-05 03:00", 120), lt("2026-10-05 10:00"));
        // 16 h from Friday 16:00 over a weekend: 1 h Fri, 9 h Mon, 6 h Tue → Tue 14:00.
        assert_eq!(add("2026-10-09 16:00", 16 * 60), lt("2026-10-13 14:00"));
        // Exactly to the close of the day stays on that day.
        assert_eq!(add("2026-10-05 08:00", 9 * 60), lt("2026-10-05 17:00"));
        assert_eq!(add("2026-10-05 08:00", 9 * 60 + 1), lt("2026-10-06 08:01"));
        // Over King's Day 2026 (Monday).
        assert_eq!(add("2026-04-24 16:30", 60), lt("2026-04-28 08:30"));
    }
}
