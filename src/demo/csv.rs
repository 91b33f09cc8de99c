//! Writing CSV without a CSV crate: fields quoted per RFC 4180, numbers, dates and times
//! appended to a reused byte buffer, so the hot loop over a million tickets does not allocate.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Appends a field, quoted per RFC 4180 when it holds a comma, quote or line break.
pub(super) fn push_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Appends `n` zero-padded to `width` digits (wider when it needs more).
pub(super) fn push_num(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let (mut i, mut n) = (digits.len(), n);
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (digits.len() - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&digits[i..]);
}

pub(super) fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    push_num(out, d.year() as u64, 4);
    out.push(b'-');
    push_num(out, u64::from(d.month()), 2);
    out.push(b'-');
    push_num(out, u64::from(d.day()), 2);
}

/// `YYYY-MM-DDTHH:MM`, local time.
pub(super) fn push_time(out: &mut Vec<u8>, t: NaiveDateTime) {
    push_date(out, t.date());
    out.push(b'T');
    push_num(out, u64::from(t.hour()), 2);
    out.push(b':');
    push_num(out, u64::from(t.minute()), 2);
}

pub(super) fn push_opt_time(out: &mut Vec<u8>, t: Option<NaiveDateTime>) {
    if let Some(t) = t {
        push_time(out, t);
    }
}

pub(super) fn push_opt_bool(out: &mut Vec<u8>, b: Option<bool>) {
    if let Some(b) = b {
        out.extend_from_slice(if b { b"true" } else { b"false" });
    }
}

/// A CSV line of `fields`.
pub(super) fn csv_line(out: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    let mut line = Vec::with_capacity(128);
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_field(&mut line, field);
    }
    line.push(b'\n');
    out.write_all(&line)
}
