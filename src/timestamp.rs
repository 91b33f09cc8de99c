//! A fast path for the timestamps exports are full of: `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a
//! space for `T`), optionally followed by `Z` or `±HH:MM`. A million tickets hold five
//! million timestamps; trying chrono's format parsers one by one costs seconds there. What
//! this does not recognise goes to the general parser (`load::parse_timestamp`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

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
            let secs = (d(h1)? * 10 + d(h2)?) * 3600 + (d(m1)? * 10 + d(m2)?) * 60;
            Some(if *sign == b'-' { -secs } else { secs })
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
        for bad in ["2026-13-05T09:30", "2026-02-30T09:30", "2026-10-05T25:00", "2026-10-05", "05-10-2026 09:30", "2026-10-05T09:30 ", "2026-10-05T09:3x", "2026-10-05T09:30+2"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
