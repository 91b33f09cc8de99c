//! A fast path for the timestamps exports are full of: `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a
//! space for `T`), optionally followed by `Z` or `±HH:MM`. A million tickets hold five
//! million timestamps; trying chrono's format parsers one by one costs seconds there. What
//! this does not recognise goes to the general parser (`canonical::parse_timestamp`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The UTC offsets that exist, in seconds: from −12:00 (Baker Island) to +14:00 (Kiribati).
pub const OFFSETS: std::ops::RangeInclusive<i32> = -12 * 3600..=14 * 3600;

/// Why the UTC offset that ends `s` (`±HH:MM` or `±HHMM` after the time) cannot be one:
/// `+25:00` or `+99:99` would move a ticket by days. `None` when `s` ends in no offset or in
/// a real one.
pub fn offset_problem(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let (start, h, m) = match b.len() {
        n if n >= 22 && matches!(b[n - 6], b'+' | b'-') && b[n - 3] == b':' => (n - 6, &s[n - 5..n - 3], &s[n - 2..]),
        n if n >= 21 && matches!(b[n - 5], b'+' | b'-') && b[n - 5..].iter().skip(1).all(u8::is_ascii_digit) => (n - 5, &s[n - 4..n - 2], &s[n - 2..]),
        _ => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let secs = (h * 3600 + m * 60) * if b[start] == b'-' { -1 } else { 1 };
    (m >= 60 || !OFFSETS.contains(&secs)).then(|| {
        format!("\"{}\" is not a UTC offset (they run from -12:00 to +14:00, with minutes below 60)", &s[start..])
    })
}

/// A parsed timestamp: local wall-clock time, and the UTC offset in seconds when one was
/// written (`Z` is 0).
pub fn parse_iso(s: &str) -> Option<(NaiveDateTime, Option<i32>)> {
    let b = s.as_bytes();
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let mut i = 16;
    let mut second = 0;
    let mut nano = 0u32;
    if b.len() >= 19 && b[16] == b':' {
        second = num(17..19)?;
        i = 19;
        if b.len() > 19 && b[19] == b'.' {
            let start = 20;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start || end - start > 9 {
                return None;
            }
            nano = num(start..end)? * 10u32.pow(9 - (end - start) as u32);
            i = end;
        }
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let offset = match &b[i..] {
        [] => None,
        [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let d = |c: &u8| c.is_ascii_digit().then(|| i32::from(c - b'0'));
            let (h, m) = (d(h1)? * 10 + d(h2)?, d(m1)? * 10 + d(m2)?);
            let secs = h * 3600 + m * 60;
            let secs = if *sign == b'-' { -secs } else { secs };
            if m >= 60 || !OFFSETS.contains(&secs) {
                return None;
            }
            Some(secs)
        }
        _ => return None,
    };
    Some((date.and_time(time), offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let p = |s| parse_iso(s).map(|(t, o)| (t.to_string(), o));
        assert_eq!(p("2026-10-05T09:30"), Some(("2026-10-05 09:30:00".into(), None)));
        assert_eq!(p("2026-10-05 09:30:15"), Some(("2026-10-05 09:30:15".into(), None)));
        assert_eq!(p("2026-10-05T09:30:15.250"), Some(("2026-10-05 09:30:15.250".into(), None)));
        assert_eq!(p("2026-10-05T07:30:00Z"), Some(("2026-10-05 07:30:00".into(), Some(0))));
        assert_eq!(p("2026-10-05T09:30+02:00"), Some(("2026-10-05 09:30:00".into(), Some(7200))));
        assert_eq!(p("2026-10-05T09:30:00-05:30"), Some(("2026-10-05 09:30:00".into(), Some(-19800))));
        for bad in ["2026-10-05T09:30+25:00", "2026-10-05T09:30+99:99", "2026-10-05T09:30-13:00", "2026-10-05T09:30+01:60", "2026-13-05T09:30", "2026-02-30T09:30", "2026-10-05T25:00", "2026-10-05", "05-10-2026 09:30", "2026-10-05T09:30 ", "2026-10-05T09:3x", "2026-10-05T09:30+2"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        assert_eq!(p("2026-10-05T09:30+14:00").map(|(_, o)| o), Some(Some(50_400)));
        assert_eq!(p("2026-10-05T09:30-12:00").map(|(_, o)| o), Some(Some(-43_200)));
    }

    #[test]
    fn impossible_offsets_are_named() {
        assert!(offset_problem("2026-10-05T09:30+25:00").unwrap().contains("\"+25:00\" is not a UTC offset"));
        assert!(offset_problem("2026-10-05 09:30:00+99:99").is_some());
        assert!(offset_problem("2026-10-05T09:30:00+0160").is_some());
        for fine in ["2026-10-05T09:30+02:00", "2026-10-05T09:30:00-05:30", "2026-10-05T09:30", "2026-10-05", "2026-10-05T09:30:00+0100"] {
            assert_eq!(offset_problem(fine), None, "{fine}");
        }
    }
}
