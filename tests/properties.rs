//! Property tests with a seeded generator (bounded, deterministic, part of `cargo test`):
//! the business clock against an oracle of its own (the contract's calendar read from the
//! TOML text, holidays from the published Easter dates, EU summer time by its rule, counted
//! minute by minute — nothing asked of the clock or the time-zone database) for the
//! guideline's calendar and four others, its algebra, and the parsers fed with mangled input
//! (they may reject, never panic, and never lose a row). The parsers' seed corpus is
//! `tests/fixtures/fuzz/`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use slarapport::contract::LoadedContract;

mod common;

/// SplitMix64: small, seeded, good enough to spread test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The contract's service calendar as the contract text gives it, read here with `toml` and
/// answered without the clock: the oracle the business clock is checked against.
struct Calendar {
    /// UTC offset in minutes outside summer time, and whether the zone keeps EU summer time.
    standard_offset: i64,
    eu_summer_time: bool,
    /// Monday = 0.
    workdays: [bool; 7],
    /// The window in minutes of the local day: [from, to).
    window: (i64, i64),
    closed: std::collections::HashSet<NaiveDate>,
    /// Per year from 2023: summer time's first and first-after UTC instants.
    summer: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

/// Easter Sunday from the published tables (not computed: the clock computes it).
fn easter(year: i32) -> NaiveDate {
    let (m, d) = match year {
        2023 => (4, 9),
        2024 => (3, 31),
        2025 => (4, 20),
        2026 => (4, 5),
        2027 => (3, 28),
        2028 => (4, 16),
        2029 => (4, 1),
        2030 => (4, 21),
        2031 => (4, 13),
        _ => panic!("no Easter date for {year} in the test's table"),
    };
    NaiveDate::from_ymd_opt(year, m, d).unwrap()
}

/// The last Sunday of `month`, the day the EU changes its clocks.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap();
    while d.weekday() != chrono::Weekday::Sun {
        d = d.pred_opt().unwrap();
    }
    d
}

impl Calendar {
    fn from_toml(text: &str) -> Calendar {
        let doc: toml::Table = toml::from_str(text).unwrap();
        let cal = doc["calendar"].as_table().unwrap();
        let (standard_offset, eu_summer_time) = match cal["time_zone"].as_str().unwrap() {
            "Europe/Amsterdam" => (60, true),
            "Europe/London" => (0, true),
            "UTC" => (0, false),
            other => panic!("the oracle knows no zone {other}"),
        };
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut workdays = [false; 7];
        for d in cal["workdays"].as_array().unwrap() {
            workdays[names.iter().position(|n| *n == d.as_str().unwrap()).unwrap()] = true;
        }
        let minutes = |key: &str| {
            let (h, m) = cal[key].as_str().unwrap().split_once(':').unwrap();
            h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
        };
        let dates = |key: &str| -> Vec<NaiveDate> {
            cal[key].as_array().unwrap().iter().map(|d| d.as_str().unwrap().parse().unwrap()).collect()
        };
        let mut closed = std::collections::HashSet::new();
        for year in 2023..=2031 {
            let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap();
            let e = easter(year);
            for rule in cal["holiday_rules"].as_array().unwrap() {
                let day = match rule.as_str().unwrap() {
                    "new_years_day" => Some(ymd(1, 1)),
                    "good_friday" => Some(e - Duration::days(2)),
                    "easter_sunday" => Some(e),
                    "easter_monday" => Some(e + Duration::days(1)),
                    // 27 April; 26 April when the 27th is a Sunday.
                    "kings_day" => Some(if ymd(4, 27).weekday() == chrono::Weekday::Sun { ymd(4, 26) } else { ymd(4, 27) }),
                    "liberation_day" => Some(ymd(5, 5)),
                    "liberation_day_lustrum" => (year % 5 == 0).then(|| ymd(5, 5)),
                    "ascension_day" => Some(e + Duration::days(39)),
                    "whit_sunday" => Some(e + Duration::days(49)),
                    "whit_monday" => Some(e + Duration::days(50)),
                    "christmas_day" => Some(ymd(12, 25)),
                    "boxing_day" => Some(ymd(12, 26)),
                    other => panic!("the oracle knows no rule {other}"),
                };
                closed.extend(day);
            }
        }
        closed.extend(dates("extra_closed_days"));
        for open in dates("open_days") {
            closed.remove(&open);
        }
        // EU summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
        // last Sunday of October.
        let change = |y, month| last_sunday(y, month).and_hms_opt(1, 0, 0).unwrap().and_utc();
        let summer = (2023..=2031).map(|y| (change(y, 3), change(y, 10))).collect();
        Calendar { standard_offset, eu_summer_time, workdays, window: (minutes("window_start"), minutes("window_end")), closed, summer }
    }

    /// The UTC offset in minutes at `t`.
    fn offset(&self, t: DateTime<Utc>) -> i64 {
        let (from, to) = self.summer[(t.year() - 2023) as usize];
        self.standard_offset + if self.eu_summer_time && from <= t && t < to { 60 } else { 0 }
    }

    fn is_workday(&self, d: NaiveDate) -> bool {
        self.workdays[d.weekday().num_days_from_monday() as usize] && !self.closed.contains(&d)
    }

    /// Walks the UTC minutes from `start` (a whole minute) on and calls `step` with each
    /// minute (since the epoch) and whether it is service time, until `step` says stop.
    /// Integer minutes: the local day and the workday are worked out once per local day.
    fn walk(&self, start: DateTime<Utc>, mut step: impl FnMut(i64, bool) -> bool) {
        let mut t = start.timestamp().div_euclid(60);
        let (mut day, mut workday) = (i64::MIN, false);
        loop {
            let utc = DateTime::from_timestamp(t * 60, 0).unwrap();
            // The offset changes on the hour: ask it once an hour.
            let offset = self.offset(utc);
            for t in t..t + 60 - t.rem_euclid(60) {
                let local = t + offset;
                if local.div_euclid(1440) != day {
                    day = local.div_euclid(1440);
                    workday = self.is_workday(DateTime::from_timestamp(day * 86_400, 0).unwrap().date_naive());
                }
                if !step(t, workday && (self.window.0..self.window.1).contains(&local.rem_euclid(1440))) {
                    return;
                }
            }
            t += 60 - t.rem_euclid(60);
        }
    }

    /// Business minutes in [start, end), one real (UTC) minute at a time.
    fn minutes(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
        let (end, mut n) = (end.timestamp().div_euclid(60), 0);
        self.walk(start, |t, service| {
            if t >= end {
                return false;
            }
            n += i64::from(service);
            true
        });
        n
    }

    /// The end of the `n`-th service minute from `start` on (`n` ≥ 1).
    fn deadline(&self, start: DateTime<Utc>, n: i64) -> DateTime<Utc> {
        let (mut left, mut end) = (n, 0);
        self.walk(start, |t, service| {
            left -= i64::from(service);
            end = t + 1;
            left > 0
        });
        DateTime::from_timestamp(end * 60, 0).unwrap()
    }
}

fn random_instant(r: &mut Rng) -> DateTime<Utc> {
    // Whole minutes between 2024-01-01 and 2030-12-31.
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let minutes = (NaiveDate::from_ymd_opt(2030, 12, 31).unwrap() - NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).num_minutes() as u64;
    start + Duration::minutes(r.below(minutes) as i64)
}

fn random_length(r: &mut Rng) -> i64 {
    // Mostly up to three days, sometimes up to three weeks (over holidays and weekends).
    if r.below(10) == 0 { r.below(21 * 1440) as i64 } else { r.below(3 * 1440) as i64 }
}

/// The guideline's contract with its `[calendar]` section replaced by `calendar`.
fn contract_with_calendar(calendar: &str) -> String {
    let text = std::fs::read_to_string("contracts/dhs.toml").unwrap();
    let from = text.find("[calendar]\n").unwrap();
    let to = from + text[from..].find("\n\n").unwrap();
    format!("{}{calendar}{}", &text[..from], &text[to..])
}

/// Service calendars other than the guideline's, as a contract writes them.
const CALENDARS: &[&str] = &[
    // Seven days, all day but the last minute: both daylight saving changes lie inside the
    // window, so an interval across them is its real length.
    r#"[calendar]
time_zone = "Europe/Amsterdam"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
window_start = "00:00"
window_end = "23:59"
holiday_rules = []
extra_closed_days = []
open_days = []"#,
    // Monday to Saturday from 07:30 to 18:00, other holidays, a closing day, and a holiday the
    // contract opens after all (Liberation Day 2026, a Tuesday).
    r#"[calendar]
time_zone = "Europe/Amsterdam"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat"]
window_start = "07:30"
window_end = "18:00"
holiday_rules = ["new_years_day", "good_friday", "easter_monday", "kings_day", "liberation_day", "ascension_day", "whit_monday", "christmas_day"]
extra_closed_days = ["2026-07-17", "2027-12-24", "2028-01-08"]
open_days = ["2026-05-05"]"#,
    // Nights every day of the week, holding the changes at 02:00–03:00, Christmas closed.
    r#"[calendar]
time_zone = "Europe/Amsterdam"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
window_start = "00:00"
window_end = "06:00"
holiday_rules = ["christmas_day", "boxing_day"]
extra_closed_days = []
open_days = []"#,
    // Evenings to midnight on weekdays, in London (summer time at 01:00 UTC too).
    r#"[calendar]
time_zone = "Europe/London"
workdays = ["mon", "tue", "wed", "thu", "fri"]
window_start = "18:00"
window_end = "24:00"
holiday_rules = ["new_years_day", "easter_sunday", "whit_sunday", "boxing_day"]
extra_closed_days = ["2025-08-25"]
open_days = []"#,
];

/// A whole minute within two days of one of the daylight saving changes of 2024–2030.
fn instant_near_a_change(r: &mut Rng) -> DateTime<Utc> {
    let year = 2024 + r.below(7) as i32;
    let month = if r.below(2) == 0 { 3 } else { 10 };
    let change = last_sunday(year, month).and_hms_opt(1, 0, 0).unwrap().and_utc();
    change - Duration::minutes(2 * 1440) + Duration::minutes(r.below(4 * 1440) as i64)
}

/// The clock of `contract` against the oracle read from the same text: every day of 2024–2030,
/// `cases` intervals (half of them near a daylight saving change), deadlines and workdays.
fn clock_equals_the_oracle(contract: &str, cases: usize, seed: u64) {
    let c = LoadedContract::parse(contract, slarapport::contract::ContractSource::Embedded).unwrap();
    let cal = Calendar::from_toml(contract);
    let clock = &c.clock;
    let mut day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    while day.year() <= 2030 {
        assert_eq!(clock.is_workday(day), cal.is_workday(day), "{day}");
        day = day.succ_opt().unwrap();
    }
    let mut r = Rng(seed);
    for i in 0..cases {
        let a = if i % 2 == 0 { random_instant(&mut r) } else { instant_near_a_change(&mut r) };
        let b = a + Duration::minutes(random_length(&mut r));
        let fast = clock.business_seconds(a, b);
        assert_eq!((fast % 60, fast / 60), (0, cal.minutes(a, b)), "case {i}: {a} .. {b}");
        let n = 1 + r.below(3 * 1440) as i64;
        assert_eq!(clock.add_business_seconds(a, n * 60), cal.deadline(a, n), "case {i}: {a} + {n} business minutes");
        let from = a.date_naive();
        let k = r.below(30) as u32;
        let mut due = from;
        for _ in 0..k {
            due = due.succ_opt().unwrap();
            while !cal.is_workday(due) {
                due = due.succ_opt().unwrap();
            }
        }
        assert_eq!(clock.add_workdays(from, k), due, "case {i}: {k} workdays after {from}");
    }
}

#[test]
fn business_clock_of_the_guideline_equals_the_oracle() {
    let text = std::fs::read_to_string("contracts/dhs.toml").unwrap();
    clock_equals_the_oracle(&text, 6_000, 20261128);
}

/// The seven-day 00:00–23:59 contract over the two days the clocks change in 2026, by hand:
/// the local day of 25 October has 25 real hours, that of 29 March 23, less the minute
/// 23:59–24:00 outside the window.
#[test]
fn a_seven_day_contract_counts_the_real_length_of_the_days_the_clocks_change() {
    let c = LoadedContract::parse(&contract_with_calendar(CALENDARS[0]), slarapport::contract::ContractSource::Embedded).unwrap();
    let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let minutes = |a: &str, b: &str| c.clock.business_seconds(utc(a), utc(b)) / 60;
    assert_eq!(minutes("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"), 25 * 60 - 1);
    assert_eq!(minutes("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"), 23 * 60 - 1);
    // 01:30 summer time to 03:30 winter time: three real hours, the repeated hour included.
    assert_eq!(minutes("2026-10-25T01:30:00+02:00", "2026-10-25T03:30:00+01:00"), 180);
    // 01:30 winter time to 03:30 summer time: one real hour, 02:00–03:00 does not exist.
    assert_eq!(minutes("2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"), 60);
    // A P1's 120 minutes from 01:30 summer time end at 02:30 winter time (the second 02:30).
    assert_eq!(c.clock.add_business_seconds(utc("2026-10-25T01:30:00+02:00"), 120 * 60), utc("2026-10-25T02:30:00+01:00"));
    // From 01:30 winter time in March they end at 04:30 summer time.
    assert_eq!(c.clock.add_business_seconds(utc("2026-03-29T01:30:00+01:00"), 120 * 60), utc("2026-03-29T04:30:00+02:00"));
    // From 23:30 the 120 minutes skip the minute 23:59 and end at 01:31 the next day.
    assert_eq!(c.clock.add_business_seconds(utc("2026-10-24T23:30:00+02:00"), 120 * 60), utc("2026-10-25T01:31:00+02:00"));
}

#[test]
fn business_clock_of_other_calendars_equals_the_oracle() {
    for (k, calendar) in CALENDARS.iter().enumerate() {
        clock_equals_the_oracle(&contract_with_calendar(calendar), 2_000, 31 + k as u64);
    }
}

#[test]
fn business_clock_algebra() {
    let c = LoadedContract::embedded();
    let clock = &c.clock;
    let mut r = Rng(7);
    for i in 0..20_000 {
        let a = random_instant(&mut r);
        let b = a + Duration::minutes(random_length(&mut r));
        let m = a + Duration::minutes(r.below((b - a).num_minutes().max(1) as u64) as i64);
        // Never negative, additive when split.
        assert!(clock.business_seconds(a, b) >= 0);
        assert_eq!(clock.business_seconds(b, a), 0, "case {i}: reversed interval");
        assert_eq!(clock.business_seconds(a, m) + clock.business_seconds(m, b), clock.business_seconds(a, b), "case {i}");
        // The deadline after d business seconds is d business seconds away, and no earlier
        // instant is.
        let d = r.below(40 * 3600) as i64;
        let deadline = clock.add_business_seconds(a, d);
        assert_eq!(clock.business_seconds(a, deadline), d, "case {i}: {a} + {d} s");
        if d > 0 {
            assert!(clock.business_seconds(a, deadline - Duration::seconds(1)) < d, "case {i}");
        }
        // N workdays after a date is a workday, with exactly N workdays in between.
        let day = a.date_naive();
        let n = r.below(30) as u32;
        let due = clock.add_workdays(day, n);
        assert_eq!(clock.workdays_between(day + Duration::days(1), due + Duration::days(1)), n as i64, "case {i}");
        if n > 0 {
            assert!(clock.is_workday(due), "case {i}: {due}");
        }
    }
}

#[test]
fn workdays_match_a_day_by_day_count() {
    let c = LoadedContract::embedded();
    let cal = Calendar::from_toml(&std::fs::read_to_string("contracts/dhs.toml").unwrap());
    let mut r = Rng(99);
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for _ in 0..2_000 {
        let a = base + Duration::days(r.below(2500) as i64);
        let b = a + Duration::days(r.below(400) as i64);
        let mut n = 0;
        let mut d = a;
        while d < b {
            if cal.is_workday(d) {
                n += 1;
            }
            d += Duration::days(1);
        }
        assert_eq!(c.clock.workdays_between(a, b), n, "{a} .. {b}");
    }
}

const VALID: &str = "id,type,school,category,subcategory,summary,impact,urgency,priority,channel,opened_at,responded_at,resolved_at\n\
T1,incident,OBS De Regenboog,netwerk,wifi,\"Wifi, lokaal 12\",high,medium,,email,2026-10-05T09:00,2026-10-05T09:20,2026-10-05T12:00\n\
T2,service_request,Zuid-West College,account,,Nieuw account,low,low,P4,portal,2026-10-06T10:00,,\n\
T3,change,VSO De Spinnaker,werkplek,laptop,Uitrol,,,P3,phone,2026-10-07 11:00,2026-10-07T11:30+02:00,\n";

fn mangle(r: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    let edits = 1 + r.below(6);
    for _ in 0..edits {
        let pos = if v.is_empty() { 0 } else { r.below(v.len() as u64) as usize };
        match r.below(7) {
            0 => v.insert(pos, b'"'),
            1 => v.insert(pos, b','),
            2 => v.insert(pos, b'\n'),
            3 => v.insert(pos, r.below(256) as u8),
            4 if !v.is_empty() => {
                v.remove(pos);
            }
            5 => v.truncate(pos),
            _ => {
                let s = ["\0", "\r", "#", "=", "ö", "9999-99-99T99:99", "P9", "🎓"][r.below(8) as usize];
                for (k, b) in s.bytes().enumerate() {
                    v.insert((pos + k).min(v.len()), b);
                }
            }
        }
    }
    v
}

#[test]
fn loaders_never_panic_on_mangled_input() {
    let c = LoadedContract::embedded();
    let mut r = Rng(42);
    for _ in 0..1_500 {
        let bytes = mangle(&mut r, VALID.as_bytes());
        if let Ok(d) = slarapport::canonical::read_tickets_csv(&bytes, "tickets.csv", &c) {
            // Every row read is a ticket or a rejection.
            assert_eq!(d.rows_read as usize, d.tickets.len() + d.rejections.len());
        }
        let calls = mangle(&mut r, b"started_at,wait_seconds,answered\n2026-10-05T09:00:10,12,true\n2026-10-05T09:05,61,false\n");
        let _ = slarapport::kpi::input::load_calls(&calls, "calls.csv", &c);
        let ms = mangle(&mut r, b"period,kpi,value,note\n2026-10,cmdb_accuracy,98.5,ok\n2026-Q4,os_up_to_date,\"96,5\",\n");
        let _ = slarapport::kpi::input::load_measurements(&ms, "measurements.csv", &c);
    }
}

#[test]
fn timestamps_round_trip_through_local_time() {
    let c = LoadedContract::embedded();
    let mut r = Rng(5);
    for _ in 0..5_000 {
        let t = random_instant(&mut r);
        let local: NaiveDateTime = c.clock.local(t);
        let text = local.format("%Y-%m-%dT%H:%M").to_string();
        let back = slarapport::canonical::parse_timestamp(&text, &c).unwrap();
        // The hour that repeats when summer time ends maps to its first occurrence.
        assert!(back == t || back == t - Duration::hours(1), "{t} → {text} → {back}");
    }
}

/// The mapping layer and the XLSX reader, fed with mangled exports: they map, reject or
/// refuse with an error — they never panic.
#[test]
fn exports_and_xlsx_never_panic_on_mangled_input() {
    use slarapport::mapping::{load_export, LoadedMapping};
    let c = LoadedContract::embedded();
    let mut r = Rng(2026);
    let cases = [
        ("servicenow", "tests/fixtures/exports/servicenow/incident.csv"),
        ("topdesk", "tests/fixtures/exports/topdesk/incidenten.csv"),
        ("jira", "tests/fixtures/exports/jira/Jira.csv"),
        ("servicenow", "tests/fixtures/exports/servicenow-events/incident_event_log.csv"),
    ];
    for (profile, file) in cases {
        let m = LoadedMapping::from_profile(profile).unwrap();
        let bytes = std::fs::read(file).unwrap();
        for _ in 0..150 {
            let mangled = mangle(&mut r, &bytes);
            let _ = load_export(&mangled, "export.csv", &m, &c);
        }
    }
    // A real workbook, then its bytes mangled.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["id", "type", "school", "category", "priority", "opened_at"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for row in 1..20u32 {
        ws.write_string(row, 0, format!("X{row}")).unwrap();
        ws.write_string(row, 1, "incident").unwrap();
        ws.write_string(row, 2, "School").unwrap();
        ws.write_string(row, 3, "netwerk").unwrap();
        ws.write_string(row, 4, "P3").unwrap();
        ws.write_number(row, 5, 46300.375 + f64::from(row)).unwrap();
    }
    let xlsx = wb.save_to_buffer().unwrap();
    assert!(slarapport::table::SheetTable::read(&xlsx, "tickets.xlsx", None).is_ok());
    for _ in 0..300 {
        let mangled = mangle(&mut r, &xlsx);
        let _ = slarapport::table::SheetTable::read(&mangled, "tickets.xlsx", None);
    }
}

/// A seed file of the corpus.
fn seed(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/fuzz/{name}")).unwrap()
}

/// `mangle`, plus the shapes that broke readers before (issue 13): a quote in a field, CR-only
/// line ends, a BOM before a bad byte, a repeated line, a long value, impossible offsets and
/// years, a blank line.
fn hostile(r: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = mangle(r, base);
    let pos = |r: &mut Rng, v: &Vec<u8>| if v.is_empty() { 0 } else { r.below(v.len() as u64) as usize };
    for _ in 0..1 + r.below(3) {
        let at = pos(r, &v);
        match r.below(9) {
            0 => v.splice(at..at, b"24\" ".iter().copied()).for_each(drop),
            1 => v.iter_mut().filter(|b| **b == b'\n').for_each(|b| *b = b'\r'),
            2 => v.splice(0..0, b"\xEF\xBB\xBF\xE9".iter().copied()).for_each(drop),
            3 => {
                let start = v[..at].iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
                let end = v[at..].iter().position(|b| *b == b'\n').map_or(v.len(), |p| at + p + 1);
                let line = v[start..end].to_vec();
                v.splice(end..end, line).for_each(drop);
            }
            4 => v.splice(at..at, std::iter::repeat_n(b'x', 5_000 + r.below(5_000) as usize)).for_each(drop),
            5 => v.splice(at..at, b"+25:00".iter().copied()).for_each(drop),
            6 => v.splice(at..at, b"0000-01-01T00:00".iter().copied()).for_each(drop),
            7 => v.splice(at..at, b"\n\n".iter().copied()).for_each(drop),
            _ => v.splice(at..at, b"\",\"".iter().copied()).for_each(drop),
        }
    }
    v
}

/// Upper bound of the physical lines of `bytes` (a message may not name a line beyond it).
fn max_line(bytes: &[u8]) -> u64 {
    1 + bytes.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() as u64
}

/// Every row read is a ticket or a rejection, and every message names a line of the file, in
/// file order.
fn assert_accounted(d: &slarapport::canonical::TicketIntake, bytes: &[u8], case: &str) {
    assert_eq!(d.rows_read as usize, d.tickets.len() + d.rejections.len(), "{case}");
    let lines: Vec<u64> = d.rejections.iter().map(|r| r.line).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{case}: rejections out of order {lines:?}");
    let top = max_line(bytes);
    assert!(d.rejections.iter().all(|r| r.line >= 1 && r.line <= top), "{case}: a line beyond the file ({top}): {lines:?}");
    assert!(d.tickets.iter().all(|t| t.line >= 2 && u64::from(t.line) <= top), "{case}");
    // A ticket's line is the one its row starts on: it holds the ticket's id.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.into(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    let physical: Vec<&str> = if text.contains('\n') { text.split('\n').collect() } else { text.split('\r').collect() };
    for t in &d.tickets {
        let line = physical.get(t.line as usize - 1).copied().unwrap_or_default();
        assert!(line.contains(t.id.as_str()), "{case}: ticket {} is said to be on line {}: {line:?}", t.id, t.line);
    }
    assert!(d.rejections.iter().all(|r| r.value.chars().count() <= 260 && r.reason.len() < 2_000), "{case}: a message not cut");
}

#[test]
fn parsers_never_panic_and_never_lose_a_row_on_the_seed_corpus() {
    use slarapport::kpi::input::{load_calls, load_measurements};
    use slarapport::mapping::{load_export, LoadedMapping};
    use slarapport::table::SheetTable;
    let c = LoadedContract::embedded();
    let mut r = Rng(1313);
    let started = std::time::Instant::now();
    // tickets.csv
    let tickets = seed("tickets.csv");
    let clean = slarapport::canonical::read_tickets_csv(&tickets, "tickets.csv", &c).unwrap();
    assert_eq!((clean.rows_read, clean.tickets.len()), (3, 3), "{:?}", clean.rejections);
    for i in 0..2_000 {
        let bytes = hostile(&mut r, &tickets);
        if let Ok(d) = slarapport::canonical::read_tickets_csv(&bytes, "tickets.csv", &c) {
            assert_accounted(&d, &bytes, &format!("tickets case {i}: {}", String::from_utf8_lossy(&bytes)));
        }
    }
    // calls.csv and measurements.csv
    let (calls, measurements) = (seed("calls.csv"), seed("measurements.csv"));
    for i in 0..400 {
        let bytes = hostile(&mut r, &calls);
        if let Ok((ok, rejected, t)) = load_calls(&bytes, "calls.csv", &c) {
            assert_eq!(ok.len() + rejected.len(), t.height + t.broken.len(), "calls case {i}");
        }
        let bytes = hostile(&mut r, &measurements);
        if let Ok((ok, rejected, t)) = load_measurements(&bytes, "measurements.csv", &c) {
            assert_eq!(ok.len() + rejected.len(), t.height + t.broken.len(), "measurements case {i}");
        }
    }
    // A mapping, mangled, on its export; the export, mangled, through the mapping.
    let (mapping, export) = (seed("mapping.toml"), seed("export.csv"));
    let m = LoadedMapping::parse(std::str::from_utf8(&mapping).unwrap(), "mapping.toml").unwrap();
    let (d, _) = load_export(&export, "export.csv", &m, &c).unwrap();
    assert_eq!((d.rows_read, d.tickets.len()), (2, 2), "{:?}", d.rejections);
    for i in 0..600 {
        let text = String::from_utf8_lossy(&hostile(&mut r, &mapping)).into_owned();
        if let Ok(m) = LoadedMapping::parse(&text, "mapping.toml") {
            if let Ok((d, _)) = load_export(&export, "export.csv", &m, &c) {
                assert_accounted(&d, &export, &format!("mapping case {i}"));
            }
        }
        let bytes = hostile(&mut r, &export);
        if let Ok((d, _)) = load_export(&bytes, "export.csv", &m, &c) {
            assert_accounted(&d, &bytes, &format!("export case {i}"));
        }
    }
    // An RCA file.
    let rca = seed("rca.toml");
    assert!(slarapport::rca::file::parse_rca_file(std::str::from_utf8(&rca).unwrap(), "rca/INC200.toml", "INC200").is_ok());
    for _ in 0..400 {
        let text = String::from_utf8_lossy(&hostile(&mut r, &rca)).into_owned();
        let _ = slarapport::rca::file::parse_rca_file(&text, "rca/INC200.toml", "INC200");
    }
    // The contract (the guideline's) and a branding file.
    let contract = std::fs::read("contracts/dhs.toml").unwrap();
    for _ in 0..200 {
        let text = String::from_utf8_lossy(&hostile(&mut r, &contract)).into_owned();
        let _ = LoadedContract::parse(&text, slarapport::contract::ContractSource::Embedded);
    }
    let branding = seed("branding.toml");
    let here = std::path::Path::new("tests/fixtures/fuzz");
    assert!(slarapport::branding::Branding::parse(std::str::from_utf8(&branding).unwrap(), "branding.toml", here).is_ok());
    for _ in 0..300 {
        let text = String::from_utf8_lossy(&hostile(&mut r, &branding)).into_owned();
        let _ = slarapport::branding::Branding::parse(&text, "branding.toml", here);
    }
    // An XLSX workbook of the tickets seed, mangled.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let table = slarapport::table::CsvTable::read(&tickets, "tickets.csv").unwrap();
    for (col, name) in table.names.iter().enumerate() {
        ws.write_string(0, col as u16, name).unwrap();
        for row in 0..table.height {
            if let Some(v) = slarapport::table::csv::field(table.column(name), row) {
                ws.write_string(row as u32 + 1, col as u16, v).unwrap();
            }
        }
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let sheet = SheetTable::read(&xlsx, "tickets.xlsx", None).unwrap();
    assert_eq!(slarapport::canonical::read_tickets_table(&sheet, "tickets.xlsx", &c).unwrap().tickets.len(), 3);
    for _ in 0..200 {
        let bytes = mangle(&mut r, &xlsx);
        if let Ok(sheet) = SheetTable::read(&bytes, "tickets.xlsx", None) {
            if let Ok(d) = slarapport::canonical::read_tickets_table(&sheet, "tickets.xlsx", &c) {
                assert_eq!(d.rows_read as usize, d.tickets.len() + d.rejections.len());
            }
        }
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "bounded: {:?}", started.elapsed());
}
