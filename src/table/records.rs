//! The records of a CSV file, found before the CSV reader sees it.
//!
//! Polars reads CSV fast but all-or-nothing: one inch mark in an unquoted field
//! (`Monitor 24" flikkert`) or one row with a field too many ends the whole run with a byte
//! offset, an unclosed quote makes it quote the rest of the file, a file with CR-only line
//! ends reads as one header and no rows. A user needs the opposite: every row read or
//! rejected with its line. So one quote-aware pass over the bytes comes first. It finds the
//! physical line of every record (for messages), repairs what has one right reading (a quote
//! inside an unquoted field is a character, as every spreadsheet writes it; CR-only line ends
//! are line ends), sets aside rows that cannot be split into the header's fields (rejected
//! with their line), skips blank and separator-only rows, and stops with the line where a
//! quote opens that is never closed. Only when something was repaired or set aside does the
//! CSV reader get a corrected copy; a clean file is read as it is.

use crate::error::{Error, Result};
use crate::limits::{MAX_COLUMNS, MAX_RECORD_BYTES};

/// A row that cannot be split into the header's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenRow {
    /// Its first physical line.
    pub line: u64,
    pub fields: usize,
    pub expected: usize,
    /// A quoted field has text after its closing quote (`"abc"def`).
    pub after_quote: bool,
    /// The start of the row's text, for the message.
    pub text: String,
}

/// What the scan found.
#[derive(Debug, Default)]
pub struct Records {
    /// The first physical line of every record after the header that the CSV reader gets.
    pub lines: Vec<u64>,
    pub broken: Vec<BrokenRow>,
    /// The bytes for the CSV reader when they differ from the file's.
    pub repaired: Option<Vec<u8>>,
    /// What was repaired or skipped, in words, for the report's notes.
    pub notes: Vec<String>,
}

/// A change the corrected copy makes.
#[derive(Debug, Clone, Copy)]
enum Edit {
    /// Leave out `start..end` (a blank or broken row with its line end).
    Drop(usize, usize),
    /// Put the unquoted field `start..end` in quotes (its quotes doubled).
    Quote(usize, usize),
    /// Double the lone quotes inside the quoted field `start..end` (quotes included).
    Lone(usize, usize),
}

/// Scans `bytes` (UTF-8 text, no BOM) with field separator `sep`.
pub fn scan(bytes: &[u8], sep: u8, file: &str) -> Result<Records> {
    // Old Mac files end lines with a bare CR: read them as line ends.
    let cr_only = memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some();
    let converted: Vec<u8>;
    let bytes = if cr_only {
        converted = bytes.iter().map(|&b| if b == b'\r' { b'\n' } else { b }).collect();
        &converted[..]
    } else {
        bytes
    };
    let mut carry = Carry::default();
    let (mut out, _) = scan_block(bytes, sep, file, &mut carry, true)?;
    if cr_only {
        out.notes.push(format!("{file} ends its lines with a carriage return only (old Mac style): read as line ends"));
        out.repaired.get_or_insert_with(|| bytes.to_vec());
    }
    out.notes.extend(carry.notes(file));
    Ok(out)
}

/// What the scan of a file carries from one block of it to the next: the line it is on, the
/// header's number of fields, and the counts behind the notes.
#[derive(Debug, Default, Clone)]
pub struct Carry {
    line: u64,
    /// Broken rows in the blocks before, and the line of the first.
    broken: usize,
    first_broken: u64,
    header: Option<usize>,
    empty_rows: u64,
    repaired_fields: u64,
    first_repair_line: u64,
}

impl Carry {
    /// The notes on what the scan of the whole file repaired or skipped.
    pub fn notes(&self, file: &str) -> Vec<String> {
        let mut notes = Vec::new();
        if self.repaired_fields > 0 {
            notes.push(format!(
                "{file}: {} field(s) hold a quote that is not doubled or not at the start (first on line {}): read as the character, e.g. an inch mark",
                self.repaired_fields, self.first_repair_line
            ));
        }
        if self.empty_rows > 0 {
            notes.push(format!("{file}: {} row(s) with no values (only separators) skipped", self.empty_rows));
        }
        notes
    }
}

/// Scans the whole records at the start of `bytes`, a block of a file that goes on after it
/// unless `last`; `carry` is what the blocks before it left (the first block starts with the
/// header). Returns the records (their bytes corrected when something was repaired or set
/// aside, `notes` empty: they come from [`Carry::notes`] at the end) and how many bytes they
/// take: the rest is the start of a record that the next block completes.
pub fn scan_block(bytes: &[u8], sep: u8, file: &str, carry: &mut Carry, last: bool) -> Result<(Records, usize)> {
    let mut s = Scanner { bytes, sep, file, last, ..Scanner::default() };
    (s.line, s.header, s.empty_rows, s.repaired_fields, s.first_repair_line, s.broken_before, s.first_broken) =
        (carry.line.max(1), carry.header, carry.empty_rows, carry.repaired_fields, carry.first_repair_line, carry.broken, carry.first_broken);
    let consumed = s.run()?;
    *carry = Carry {
        line: s.line,
        broken: s.broken_before + s.broken.len(),
        first_broken: if s.first_broken == 0 { s.broken.first().map_or(0, |b| b.line) } else { s.first_broken },
        header: s.header,
        empty_rows: s.empty_rows,
        repaired_fields: s.repaired_fields,
        first_repair_line: s.first_repair_line,
    };
    let mut out = Records { lines: s.lines, broken: s.broken, ..Records::default() };
    if !s.edits.is_empty() {
        out.repaired = Some(apply(&bytes[..consumed], &s.edits));
    }
    Ok((out, consumed))
}

/// Refuses bytes that are no CSV text, or text in another encoding than they say, with a
/// message that says so (instead of a header that seems to lack every column): NUL bytes
/// (UTF-16 without its byte-order mark, or not text at all), and a UTF-8 byte-order mark
/// before bytes that are not UTF-8 (the line of the first one is named). A file that starts
/// with a UTF-16 byte-order mark passes: it is decoded as such.
pub fn check_encoding(bytes: &[u8], file: &str) -> Result<()> {
    if matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8) {
        return Ok(());
    }
    let head = &bytes[..bytes.len().min(4096)];
    if let Some(first) = memchr::memchr(0, head) {
        // ASCII in UTF-16: every other byte is NUL.
        let nuls = head.iter().filter(|&&b| b == 0).count();
        let msg = if nuls * 3 >= head.len() {
            format!("{file} looks like UTF-16 text without a byte-order mark; slarapport reads UTF-8 (or Windows-1252)")
        } else {
            format!("{file} holds a NUL byte (byte {}): it is not a text file", first + 1)
        };
        return Err(Error::new(msg).with_hint("save the export as CSV UTF-8 (in Excel: \"CSV UTF-8 (comma delimited)\"), or check that this is the right file"));
    }
    if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Err(e) = std::str::from_utf8(body) {
            let at = e.valid_up_to();
            let line = 1 + memchr::memchr_iter(b'\n', &body[..at]).count();
            return Err(Error::new(format!(
                "{file} starts with the UTF-8 mark (BOM), but line {line} holds a byte that is not UTF-8 (0x{:02X})",
                body[at]
            ))
            .with_hint("the file was changed in another encoding after it was saved as UTF-8: save it again as CSV UTF-8, or correct that line"));
        }
    }
    Ok(())
}

/// The text of `bytes` when they start with a byte-order mark (UTF-8 or UTF-16), decoded;
/// `None` without one.
pub fn decode_bom<'b>(bytes: &'b [u8], file: &str) -> Result<Option<(std::borrow::Cow<'b, str>, &'static encoding_rs::Encoding)>> {
    let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) else { return Ok(None) };
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
    if had_errors {
        return Err(Error::new(format!("{file} starts with the {} mark but is not valid {} text", enc.name(), enc.name()))
            .with_hint("save the export as UTF-8 (CSV UTF-8 in Excel)"));
    }
    Ok(Some((text, enc)))
}

/// The corrected copy.
fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut at = 0;
    for e in edits {
        match *e {
            Edit::Drop(start, end) => {
                out.extend_from_slice(&bytes[at..start]);
                at = end;
            }
            Edit::Quote(start, end) => {
                out.extend_from_slice(&bytes[at..start]);
                out.push(b'"');
                for &b in &bytes[start..end] {
                    if b == b'"' {
                        out.push(b'"');
                    }
                    out.push(b);
                }
                out.push(b'"');
                at = end;
            }
            Edit::Lone(start, end) => {
                out.extend_from_slice(&bytes[at..start]);
                out.push(b'"');
                let inner = &bytes[start + 1..end - 1];
                let mut i = 0;
                while i < inner.len() {
                    if inner[i] == b'"' {
                        // A pair stays a pair; a lone quote becomes one.
                        out.extend_from_slice(b"\"\"");
                        i += if inner.get(i + 1) == Some(&b'"') { 2 } else { 1 };
                    } else {
                        out.push(inner[i]);
                        i += 1;
                    }
                }
                out.push(b'"');
                at = end;
            }
        }
    }
    out.extend_from_slice(&bytes[at..]);
    out
}

#[derive(Default)]
struct Scanner<'a> {
    bytes: &'a [u8],
    sep: u8,
    file: &'a str,
    /// The bytes end the file: a record they end is whole.
    last: bool,
    line: u64,
    // The record being read.
    rec_start: usize,
    rec_line: u64,
    fields: usize,
    blank: bool,
    /// The line where a field of this record that spans lines opened.
    multi_line_open: Option<u64>,
    rec_edits: Vec<Edit>,
    // The field being read.
    field_start: usize,
    in_quotes: bool,
    quoted: bool,
    closed: bool,
    bare_quote: bool,
    lone_quote: bool,
    quote_line: u64,
    /// Text after a closing quote (`"abc"\rdef`): the row is broken.
    junk: bool,
    // Results.
    /// Broken rows in the blocks before this one, and the line of the first (0: none).
    broken_before: usize,
    first_broken: u64,
    header: Option<usize>,
    lines: Vec<u64>,
    broken: Vec<BrokenRow>,
    edits: Vec<Edit>,
    empty_rows: u64,
    repaired_fields: u64,
    first_repair_line: u64,
}

impl Scanner<'_> {
    /// Scans the records; returns where the last whole one ends.
    fn run(&mut self) -> Result<usize> {
        let bytes = self.bytes;
        let mut at = 0;
        while at < bytes.len() {
            let nl = memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i);
            if nl.is_none() && !self.last {
                // The line goes on in the next block.
                if bytes.len() - at > MAX_RECORD_BYTES {
                    self.start_record(at);
                    return Err(self.too_long());
                }
                break;
            }
            let nl = nl.unwrap_or(bytes.len());
            // A line without quotes is a whole record: its fields are counted at once. (Most
            // rows are such; only a quote can make a record span lines.)
            let next = if memchr::memchr(b'"', &bytes[at..nl]).is_none() { Some(self.plain_record(at, nl)?) } else { self.quoted_record(at)? };
            match next {
                Some(next) => at = next,
                None => break,
            }
        }
        Ok(at)
    }

    /// The record on the quote-free line `at..nl`; returns where the next one starts.
    fn plain_record(&mut self, at: usize, nl: usize) -> Result<usize> {
        self.start_record(at);
        if nl - at > MAX_RECORD_BYTES {
            return Err(self.too_long());
        }
        let (line, sep) = (&self.bytes[at..nl], self.sep);
        self.fields = memchr::memchr_iter(sep, line).count() + 1;
        if self.header.is_none() && self.fields > MAX_COLUMNS {
            return Err(crate::limits::too_many_columns(self.file, MAX_COLUMNS));
        }
        self.blank = line.iter().all(|&b| matches!(b, b' ' | b'\t' | b'\r') || b == sep);
        let next = (nl + 1).min(self.bytes.len());
        self.end_record(next)?;
        self.line += 1;
        Ok(next)
    }

    /// The record that starts at `at` and holds a quote, field by field; returns where the
    /// next one starts (`None`: the record goes on in the next block).
    fn quoted_record(&mut self, at: usize) -> Result<Option<usize>> {
        let (bytes, sep) = (self.bytes, self.sep);
        self.start_record(at);
        let mut skip_until = 0;
        for pos in memchr::memchr3_iter(b'"', b'\n', sep, &bytes[at..]).map(|p| p + at) {
            if pos < skip_until {
                continue;
            }
            if pos - self.rec_start > MAX_RECORD_BYTES {
                return Err(self.too_long());
            }
            let b = bytes[pos];
            if self.in_quotes && b == b'\n' && self.lone_quote {
                // `"abc"def` at the end of a line: the quote after abc closed the field, the
                // rest is in the way. The row is broken; the next line is the next row.
                self.lone_quote_row();
            } else if self.in_quotes {
                match b {
                    b'\n' => self.line += 1,
                    b'"' => match bytes.get(pos + 1) {
                        Some(b'"') => skip_until = pos + 2,
                        None | Some(b'\n' | b'\r') => self.in_quotes = false,
                        Some(c) if *c == sep => self.in_quotes = false,
                        Some(_) => self.lone_quote = true,
                    },
                    _ => {}
                }
                if !self.in_quotes {
                    self.closed = true;
                }
                continue;
            }
            if b == b'"' {
                if pos == self.field_start {
                    (self.in_quotes, self.quoted, self.quote_line) = (true, true, self.line);
                } else if self.closed {
                    self.junk = true;
                } else {
                    self.bare_quote = true;
                }
                continue;
            }
            let end = if b == b'\n' && pos > self.field_start && bytes[pos - 1] == b'\r' { pos - 1 } else { pos };
            self.end_field(end)?;
            if b == b'\n' {
                self.end_record(pos + 1)?;
                self.line += 1;
                return Ok(Some(pos + 1));
            }
            self.field_start = pos + 1;
            if self.header.is_none() && self.fields >= MAX_COLUMNS {
                return Err(crate::limits::too_many_columns(self.file, MAX_COLUMNS));
            }
        }
        if bytes.len() - self.rec_start > MAX_RECORD_BYTES {
            return Err(self.too_long());
        }
        if !self.last {
            // The record goes on in the next block: it is read again from its start there.
            self.line = self.rec_line;
            return Ok(None);
        }
        // The end of the file ends the record.
        if self.in_quotes && self.lone_quote {
            self.lone_quote_row();
        }
        if self.in_quotes {
            return Err(Error::new(format!(
                "{}: line {}: a quote opens a field there that is never closed (the field would run to the end of the file)",
                self.file, self.quote_line
            ))
            .with_hint("close the quote; a quote inside a quoted text is written twice (\"\"), e.g. \"Monitor 24\"\" flikkert\""));
        }
        let end = if bytes.ends_with(b"\r") { bytes.len() - 1 } else { bytes.len() };
        self.end_field(end.max(self.field_start))?;
        self.end_record(bytes.len())?;
        Ok(Some(bytes.len()))
    }

    /// The quoted field has a lone quote and the line ends before it closes: the lone quote
    /// closed it, what follows makes the row broken (a rejected row, not the rest of the file
    /// read as one field).
    fn lone_quote_row(&mut self) {
        (self.in_quotes, self.lone_quote, self.closed, self.junk) = (false, false, true, true);
    }

    fn too_long(&self) -> Error {
        Error::new(format!("{}: line {}: a row longer than {} MiB", self.file, self.rec_line, MAX_RECORD_BYTES >> 20))
            .with_hint("slarapport reads rows (and fields) of up to 64 MiB: check the file, an unclosed quote can make the rest of it one field")
    }

    fn start_record(&mut self, at: usize) {
        (self.rec_start, self.rec_line, self.fields, self.blank, self.multi_line_open) = (at, self.line, 0, true, None);
        self.rec_edits.clear();
        self.start_field(at);
    }

    fn start_field(&mut self, at: usize) {
        self.field_start = at;
        (self.in_quotes, self.quoted, self.closed, self.bare_quote, self.lone_quote, self.junk) = (false, false, false, false, false, false);
    }

    fn end_field(&mut self, end: usize) -> Result<()> {
        let (start, file) = (self.field_start, self.file);
        if self.quoted && self.quote_line != self.line && self.multi_line_open.is_none() {
            self.multi_line_open = Some(self.quote_line);
        }
        if self.lone_quote {
            if self.quote_line != self.line {
                return Err(Error::new(format!(
                    "{file}: line {}: the quote that opens a field there is not closed where the field ends: it runs to line {}",
                    self.quote_line, self.line
                ))
                .with_hint("close the quote on its line; a quote inside a quoted text is written twice (\"\"), e.g. \"Monitor 24\"\" flikkert\""));
            }
            self.rec_edits.push(Edit::Lone(start, end));
        } else if self.bare_quote {
            self.rec_edits.push(Edit::Quote(start, end));
        }
        if self.blank && self.bytes[start..end].iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'"')) {
            self.blank = false;
        }
        self.fields += 1;
        let junk = self.junk;
        self.start_field(end);
        self.junk = junk;
        Ok(())
    }

    fn end_record(&mut self, end: usize) -> Result<()> {
        let (start, fields) = (self.rec_start, self.fields);
        if self.blank {
            if fields > 1 && self.header.is_some() {
                self.empty_rows += 1;
            }
            self.edits.push(Edit::Drop(start, end));
            return Ok(());
        }
        let Some(expected) = self.header else {
            if self.junk {
                return Err(Error::new(format!("{}: line {}: the header has text after a closing quote", self.file, self.rec_line))
                    .with_hint("write the header's names without quotes, or with the quote as the last character of the name"));
            }
            self.header = Some(fields);
            self.edits.append(&mut self.rec_edits);
            return Ok(());
        };
        let repaired = !self.rec_edits.is_empty();
        if let Some(open) = self.multi_line_open.filter(|_| fields != expected) {
            return Err(Error::new(format!(
                "{}: line {open}: a quoted field opens there and runs to line {}, and the row then has {fields} fields, the header {expected}: a quote is not closed, or the row lacks fields",
                self.file, self.line
            ))
            .with_hint("close the quote where the text ends (a quote inside a quoted text is written twice: \"\"), and give every row the header's number of fields"));
        }
        if fields > expected || self.junk || (repaired && fields != expected) {
            let text = crate::limits::shown(String::from_utf8_lossy(&self.bytes[start..end]).trim_end()).into_owned();
            if self.broken_before + self.broken.len() >= crate::limits::MAX_REJECTED_ROWS {
                let first = if self.first_broken > 0 { self.first_broken } else { self.broken.first().map_or(self.rec_line, |b| b.line) };
                return Err(crate::limits::too_many_rejected(self.file, &format!("line {first}, a row that cannot be split into the header's {expected} fields")));
            }
            self.broken.push(BrokenRow { line: self.rec_line, fields, expected, after_quote: self.junk, text });
            self.edits.push(Edit::Drop(start, end));
            return Ok(());
        }
        if repaired {
            self.repaired_fields += self.rec_edits.len() as u64;
            if self.first_repair_line == 0 {
                self.first_repair_line = self.rec_line;
            }
        }
        self.edits.append(&mut self.rec_edits);
        self.lines.push(self.rec_line);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Records {
        scan(text.as_bytes(), b',', "t.csv").unwrap()
    }

    fn copy(r: &Records) -> String {
        String::from_utf8(r.repaired.clone().unwrap()).unwrap()
    }

    #[test]
    fn clean_file_is_left_alone() {
        let r = read("a,b\n1,\"x\ny\"\n\"2\",\"say \"\"hi\"\"\"\r\n3,z");
        assert_eq!(r.lines, vec![2, 4, 5]);
        assert!(r.repaired.is_none() && r.broken.is_empty() && r.notes.is_empty());
    }

    #[test]
    fn inch_mark_is_read_as_a_character() {
        let r = read("a,b\n1,Monitor 24\" flikkert\n2,\"Scherm 24\" kapot\"\n");
        assert_eq!(r.lines, vec![2, 3]);
        assert_eq!(copy(&r), "a,b\n1,\"Monitor 24\"\" flikkert\"\n2,\"Scherm 24\"\" kapot\"\n");
        assert!(r.notes[0].contains("first on line 2"), "{:?}", r.notes);
    }

    #[test]
    fn broken_rows_are_set_aside_with_their_line() {
        let r = read("a,b\n1,x\n2,x,y\n3,24\", x\n4,z\n");
        assert_eq!(r.lines, vec![2, 5]);
        let lines: Vec<u64> = r.broken.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert_eq!(copy(&r), "a,b\n1,x\n4,z\n");
        // Text after a closing quote, at the end of the line or the file: that row only.
        let r = read("a,b\n1,\"abc\"def\n2,\"x\" \n3,\"y\"\n4,\"tail\"end");
        assert_eq!(r.lines, vec![4]);
        assert_eq!(r.broken.iter().map(|b| (b.line, b.after_quote)).collect::<Vec<_>>(), vec![(2, true), (3, true), (5, true)]);
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        let e = scan(b"a,b\n1,x\n2,\"open\n3,y\n4,z\n", b',', "t.csv").unwrap_err();
        assert!(e.message.contains("line 3") && e.message.contains("never closed"), "{e}");
        assert!(e.message.len() < 300, "no dump of the file: {e}");
        let e = scan(b"a,b\n1,\"open\n2,x\n3,\"y\",z\n", b',', "t.csv").unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
    }

    #[test]
    fn blank_lines_and_empty_rows_are_skipped_and_lines_stay_true() {
        let r = read("a,b\n\n1,\"x\ny\"\n,\n2,z\n\n\n");
        assert_eq!(r.lines, vec![3, 6]);
        assert_eq!(copy(&r), "a,b\n1,\"x\ny\"\n2,z\n");
        assert!(r.notes.iter().any(|n| n.contains("1 row(s) with no values")), "{:?}", r.notes);
    }

    #[test]
    fn a_header_with_text_after_a_quote_is_refused() {
        let e = scan(b"\n\"id\"x,b\n1,2\n", b',', "t.csv").unwrap_err();
        assert!(e.message.contains("line 2: the header has text after a closing quote"), "{e}");
    }

    #[test]
    fn cr_only_line_ends_are_line_ends() {
        let r = read("a,b\r1,x\r2,y\r");
        assert_eq!(r.lines, vec![2, 3]);
        assert_eq!(copy(&r), "a,b\n1,x\n2,y\n");
    }

    #[test]
    fn wrong_encodings_are_named() {
        let utf16: Vec<u8> = "id,type\n1,incident\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let e = check_encoding(&utf16, "t.csv").unwrap_err();
        assert!(e.message.contains("UTF-16 text without a byte-order mark"), "{e}");
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&utf16);
        assert!(check_encoding(&with_bom, "t.csv").is_ok());
        let e = check_encoding(b"\xEF\xBB\xBFid,school\n1,Caf\xe9\n", "t.csv").unwrap_err();
        assert!(e.message.contains("line 2") && e.message.contains("0xE9"), "{e}");
        let e = check_encoding(b"id\n1\0\n", "t.csv").unwrap_err();
        assert!(e.message.contains("NUL byte (byte 5)"), "{e}");
    }

    #[test]
    fn a_huge_header_is_refused() {
        let header = vec!["c"; MAX_COLUMNS + 1].join(",");
        let e = scan(format!("{header}\n").as_bytes(), b',', "t.csv").unwrap_err();
        assert!(e.message.contains("more than 4096 columns"), "{e}");
    }
}
