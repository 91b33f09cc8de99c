//! Property tests with a seeded generator (bounded, deterministic, part of `cargo test`):
//! the business clock against a brute-force minute count, its algebra, and the parsers fed
//! with mangled input (they may reject, never panic, and never lose a row). The parsers'
//! seed corpus is `tests/fixtures/fuzz/`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc};
use slarapport::contract::LoadedContract;

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

/// Business minutes in [start, end) counted one UTC minute at a time. The UTC offset is
/// looked up once per UTC hour (offsets change on the hour), so this is independent of the
/// clock's own local-time arithmetic.
fn brute_force_minutes(c: &LoadedContract, start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let tz = c.tz;
    let mut n = 0;
    let mut t = start;
    let mut offset_hour = None;
    let mut offset = Duration::zero();
    while t < end {
        let hour = t.timestamp().div_euclid(3600);
        if offset_hour != Some(hour) {
            offset = Duration::seconds(tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc() as i64);
            offset_hour = Some(hour);
        }
        let local = t.naive_utc() + offset;
        let minute_of_day = local.hour() * 60 + local.minute();
        if c.clock.is_workday(local.date()) && (8 * 60..17 * 60).contains(&minute_of_day) {
            n += 1;
        }
        t += Duration::minutes(1);
    }
    n
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

#[test]
fn business_clock_equals_brute_force_on_10000_intervals() {
    let c = LoadedContract::embedded();
    let mut r = Rng(20261128);
    for i in 0..10_000 {
        let a = random_instant(&mut r);
        let b = a + Duration::minutes(random_length(&mut r));
        let fast = c.clock.business_seconds(a, b);
        assert_eq!(fast % 60, 0);
        assert_eq!(fast / 60, brute_force_minutes(&c, a, b), "case {i}: {a} .. {b}");
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
    let mut r = Rng(99);
    let base = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for _ in 0..2_000 {
        let a = base + Duration::days(r.below(2500) as i64);
        let b = a + Duration::days(r.below(400) as i64);
        let mut n = 0;
        let mut d = a;
        while d < b {
            if d.weekday().num_days_from_monday() < 5 && c.clock.is_workday(d) {
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
    assert!(d.tickets.iter().all(|t| t.line >= 2 && t.line <= top), "{case}");
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
