//! A CSV file kept as its text, each record split into fields when its cells are asked for
//! ([`SplitTable`]): the reader of the canonical `tickets.csv`, the file that grows to
//! millions of rows.
//!
//! [`super::CsvTable`] reads a file with polars into a column of text per column: at a
//! million tickets that table costs about 550 MB beside the file's own 215 MB, and a second
//! of parsing before a single row is checked. Here the text itself is the table: the
//! quote-aware pass of [`super::records`] has already found every record, repaired what has
//! one right reading and set aside the rows that cannot be split, so what is left is plain
//! CSV in which a quote only opens a field, closes it, or is doubled inside it. One more pass
//! notes where each record starts (8 bytes a record); a record's cells are then slices of the
//! text, found when the validation asks for them, on as many threads as it runs. Only a cell
//! with a doubled quote (`"Monitor 24"" flikkert"`) differs from its bytes: those few are
//! unquoted once, up front, into a side buffer.
//!
//! The cells are exactly those polars gives for the same file (names, values, empty and
//! missing cells, lines, broken rows, notes): a test compares the two on every CSV file of
//! the fixtures and on files made to be awkward.

use super::records::{self, BrokenRow};
use super::Cells;
use crate::digest::sha256_hex;
use crate::error::{Error, Result};

/// A CSV file's text with the start of every record; cells are split from it on demand.
pub struct SplitTable {
    /// Header names, trimmed, repeated names numbered as polars numbers them.
    pub names: Vec<String>,
    /// The CSV text as read: the file decoded, with the records pass's repairs.
    text: String,
    sep: u8,
    /// Byte offset in `text` of every record after the header, with [`QUOTED`] set when the
    /// record holds a quote.
    starts: Vec<usize>,
    lines: Vec<u64>,
    /// The cells that hold a doubled quote, unquoted: `(row, column, start, end)` in `unquoted`,
    /// sorted by row and column.
    escaped: Vec<(usize, usize, usize, usize)>,
    unquoted: String,
    /// The SHA-256 of the file's bytes, for the manifest.
    pub sha256: String,
    /// Rows that could not be split into the header's fields (not in the table).
    pub broken: Vec<BrokenRow>,
    /// What was repaired or skipped while reading, for the report's notes.
    pub notes: Vec<String>,
}

impl SplitTable {
    /// Reads the bytes of a CSV file (UTF-8 with or without a byte-order mark, UTF-16 with
    /// one, else Windows-1252 with a note, as [`super::CsvTable::read_or_windows_1252`]),
    /// taking them: UTF-8 text becomes the table without a copy.
    pub fn read(bytes: Vec<u8>, file: &str) -> Result<(SplitTable, Option<String>)> {
        records::check_encoding(&bytes, file)?;
        let mut note = None;
        // The file's bytes when they are not the text (a mark, another encoding), for the hash.
        let (text, original): (String, Option<Vec<u8>>) = match records::decode_bom(&bytes, file)? {
            Some((text, _)) => (text.into_owned(), Some(bytes)),
            None => match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(e) => {
                    let bytes = e.into_bytes();
                    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
                    note = Some(format!("{file} is not UTF-8 text: it was read as Windows-1252 (what Excel calls ANSI); save it as \"CSV UTF-8\" to be sure"));
                    (text.into_owned(), Some(bytes))
                }
            },
        };
        let sep = super::csv::detect_delimiter(&text);
        // The hash is taken beside the records pass, on another core.
        let (sha256, scanned) = std::thread::scope(|scope| {
            let hashed = original.as_deref().unwrap_or(text.as_bytes());
            let sha256 = scope.spawn(move || sha256_hex(hashed));
            let scanned = records::scan(text.as_bytes(), sep, file);
            (sha256.join().expect("hashing"), scanned)
        });
        drop(original);
        let mut scanned = scanned?;
        let text = match scanned.repaired.take() {
            // The repairs add quotes and leave out whole rows: the text stays UTF-8.
            Some(repaired) => String::from_utf8(repaired).map_err(|_| Error::new(format!("{file}: the repaired text is not UTF-8")))?,
            None => text,
        };
        let table = Self::of_clean_text(text, sep, file, sha256, scanned, None)?;
        Ok((table, note))
    }

    /// The table of `text`, which the records pass has cleaned (`scanned` is what it found);
    /// its first record is the header unless `names` are given (a later block of a file).
    fn of_clean_text(text: String, sep: u8, file: &str, sha256: String, scanned: records::Records, names: Option<Vec<String>>) -> Result<SplitTable> {
        let bytes = text.as_bytes();
        let (header_end, names) = match names {
            Some(names) => (0, names),
            None if bytes.is_empty() => return Err(super::csv::not_csv(file, sep, "no data: empty CSV")),
            None => {
                let end = record_end(bytes, 0).0;
                (end, header_names(&bytes[..end], sep, file)?)
            }
        };
        let mut starts = Vec::with_capacity(scanned.lines.len());
        let mut escaped_rows = Vec::new();
        let mut at = header_end;
        while at < bytes.len() {
            let (end, quoted, doubled) = record_end(bytes, at);
            if doubled {
                escaped_rows.push(starts.len());
            }
            starts.push(if quoted { at | QUOTED } else { at });
            at = end;
        }
        // The physical lines the records pass found, one per record; should the two passes
        // ever disagree, the record's number stands in (as `CsvTable` does).
        let mut lines = scanned.lines;
        if lines.len() != starts.len() {
            lines = (0..starts.len() as u64).map(|i| i + 2).collect();
        }
        let mut table = SplitTable {
            names,
            text,
            sep,
            starts,
            lines,
            escaped: Vec::new(),
            unquoted: String::new(),
            sha256,
            broken: scanned.broken,
            notes: scanned.notes,
        };
        for row in escaped_rows {
            let fields: Vec<Field> = table.fields(row).collect();
            for (col, f) in fields.into_iter().enumerate().filter(|(_, f)| f.doubled) {
                let start = table.unquoted.len();
                table.unquoted.push_str(&table.text[f.start..f.end].replace("\"\"", "\""));
                table.escaped.push((row, col, start, table.unquoted.len()));
            }
        }
        Ok(table)
    }

    /// The table's text, for a buffer to read into again.
    pub fn into_text(self) -> Vec<u8> {
        self.text.into_bytes()
    }

    /// The length of the table's text in bytes (header included).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The fields of record `row`: split field by field when it holds a quote, else at its
    /// separators ([`SplitTable::plain_fields`]).
    fn fields(&self, row: usize) -> impl Iterator<Item = Field> + '_ {
        let (start, quoted) = (self.starts[row] & !QUOTED, self.starts[row] & QUOTED != 0);
        if quoted {
            RecordFields::Quoted(Fields { text: self.text.as_bytes(), at: start, sep: self.sep, done: false })
        } else {
            RecordFields::Plain(self.plain_fields(row, start))
        }
    }

    /// The fields of record `row`, which starts at `start` and holds no quote: its text
    /// between the separators, found in one vectorised search over the record.
    fn plain_fields(&self, row: usize, start: usize) -> impl Iterator<Item = Field> + '_ {
        let text = self.text.as_bytes();
        let mut end = self.starts.get(row + 1).map_or(text.len(), |s| s & !QUOTED);
        if end > start && text[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && text[end - 1] == b'\r' {
            end -= 1;
        }
        let mut from = start;
        memchr::memchr_iter(self.sep, &text[start..end]).map(move |k| start + k).chain(std::iter::once(end)).map(move |at| {
            let f = Field { start: from, end: at, quoted: false, doubled: false };
            from = at + 1;
            f
        })
    }

    /// The text of field `f` of record `row`, column `col`.
    fn field_text(&self, row: usize, col: usize, f: Field) -> Option<&str> {
        if f.doubled {
            let i = self.escaped.binary_search_by(|e| (e.0, e.1).cmp(&(row, col))).ok()?;
            let (_, _, start, end) = self.escaped[i];
            return Some(&self.unquoted[start..end]);
        }
        if f.start == f.end && !f.quoted {
            // An empty field without quotes is a missing value, as polars reads it.
            return None;
        }
        Some(&self.text[f.start..f.end])
    }
}

/// The size of the blocks a large `tickets.csv` is read in: big enough that a block's rows
/// keep both cores busy, small beside the tickets they become.
pub const BLOCK_BYTES: usize = 32 << 20;

/// What reading a file in blocks found beside the blocks' records.
#[derive(Debug)]
pub struct Streamed {
    /// The SHA-256 of the file's bytes.
    pub sha256: String,
    /// What was repaired or skipped, over the whole file.
    pub notes: Vec<String>,
}

/// Reads a CSV file from `reader` (at most `limit` bytes, `path` for messages) a block of
/// whole records (about `block` bytes: [`BLOCK_BYTES`]; tests read in tiny ones) at a time, handing each block to `each` as a table (the first one starts
/// with the header; later ones have its names); `each` may give back the text of a table it
/// is done with ([`SplitTable::into_text`]) for a later block to be read into. The blocks' text is never held all at once:
/// a file of ten million rows costs a block, not two gigabytes.
///
/// Only UTF-8 is read this way (with or without its byte-order mark). `Ok(None)` says the
/// file must be read whole with [`SplitTable::read`] (it is UTF-16, Windows-1252 or has
/// CR-only line ends; blocks already handed over are to be forgotten).
pub fn read_blocks(
    block: usize,
    mut reader: impl std::io::Read,
    path: &std::path::Path,
    file: &str,
    limit: u64,
    mut each: impl FnMut(SplitTable) -> Result<Option<Vec<u8>>>,
) -> Result<Option<Streamed>> {
    use std::io::Read;
    let mut hasher = crate::digest::HashingWriter::new(std::io::sink());
    let mut buf: Vec<u8> = Vec::with_capacity(block + block / 2);
    let mut carry = records::Carry::default();
    let mut spare: Option<Vec<u8>> = None;
    // `names`: the header's, once the first table is made.
    let (mut read_total, mut sep, mut names) = (0u64, b',', None::<Vec<String>>);
    // The file's first 4 KB, checked as a whole file's are; whether the buffer still starts
    // at the file's first byte (its mark, line ends and separator are decided there only).
    let (mut head, mut at_start) = (Vec::new(), true);
    // The file starts with the UTF-8 mark: read whole, one byte that is not UTF-8 anywhere in
    // it is the error, before any other; so is it here ([`rest_is_utf8`]).
    let mut marked = false;
    let told = |e: Error, marked: bool, buf: &[u8], reader: &mut dyn std::io::Read, read_total: u64| -> Result<Option<Streamed>> {
        if marked && !rest_is_utf8(buf, reader.take(limit.saturating_sub(read_total))) {
            return Ok(None);
        }
        Err(e)
    };
    loop {
        // The next block's bytes after what the last one left (a record it did not finish).
        let before = buf.len();
        let want = block.saturating_sub(before).max(block / 2).max(1);
        let got = (&mut reader).take(want as u64).read_to_end(&mut buf).map_err(|e| crate::limits::cannot_read(path, "tickets file", e))?;
        read_total += got as u64;
        if read_total > limit {
            return Err(crate::limits::too_big(path, "tickets file", read_total, limit));
        }
        let last = got < want;
        let mut skip = 0;
        if head.len() < 4096 {
            head.extend_from_slice(&buf[before..before + got.min(4096 - head.len())]);
            if head.len() == 4096 || last {
                // On whole characters (the 4 KB may end inside one).
                let whole = match std::str::from_utf8(&head) {
                    Err(e) if e.error_len().is_none() => e.valid_up_to(),
                    _ => head.len(),
                };
                records::check_encoding(&head[..whole], file)?;
            }
        }
        if at_start {
            match encoding_rs::Encoding::for_bom(&buf) {
                Some((enc, _)) if enc != encoding_rs::UTF_8 => return Ok(None),
                Some((_, bom)) => (skip, marked) = (bom, true),
                None => {}
            }
            let head = &buf[skip..];
            // A file that may end its lines with CR only is read whole, where the whole file
            // decides: no line feed yet, and a CR that is not at the end of what is read.
            let cr = memchr::memchr(b'\r', head);
            if memchr::memchr(b'\n', head).is_none() && cr.is_some_and(|i| last || i + 1 < head.len()) {
                return Ok(None);
            }
            sep = super::csv::detect_delimiter(&String::from_utf8_lossy(&head[..head.len().min(1 << 20)]));
        }
        // The hash of the new bytes is taken beside the scan, on another core.
        let (hashed, scanned) = std::thread::scope(|scope| {
            let new = &buf[before..];
            let hash = scope.spawn(|| std::io::Write::write_all(&mut hasher, new));
            let scanned = records::scan_block(&buf[skip..], sep, file, &mut carry, last);
            (hash.join(), scanned)
        });
        hashed.expect("hashing").map_err(|e| crate::limits::cannot_read(path, "tickets file", e))?;
        let (mut scanned, consumed) = match scanned {
            Ok(scanned) => scanned,
            Err(e) => return told(e, marked, &buf[skip..], &mut reader, read_total),
        };
        // The block's records become the table's text without a copy; what follows them
        // starts the next block, in a buffer the last table no longer needs.
        let mut next = spare.take().unwrap_or_default();
        next.clear();
        // Nothing taken yet: the mark stays, for the checks of the file's start to see it again.
        let (keep, skip) = if consumed == 0 { (0, 0) } else { (skip + consumed, skip) };
        at_start &= consumed == 0;
        next.extend_from_slice(&buf[keep..]);
        buf.truncate(keep);
        let records = std::mem::replace(&mut buf, next);
        let text = match scanned.repaired.take() {
            Some(repaired) => {
                spare = Some(records);
                String::from_utf8(repaired)
            }
            None => {
                let mut records = records;
                records.drain(..skip);
                String::from_utf8(records)
            }
        };
        let Ok(text) = text else { return Ok(None) };
        if !(names.is_none() && text.is_empty() && !last) {
            let table = match SplitTable::of_clean_text(text, sep, file, String::new(), scanned, names.clone()) {
                Ok(table) => table,
                Err(e) => return told(e, marked, &buf, &mut reader, read_total),
            };
            if names.is_none() {
                names = Some(table.names.clone());
            }
            let back = match each(table) {
                Ok(back) => back,
                Err(e) => return told(e, marked, &buf, &mut reader, read_total),
            };
            if spare.is_none() {
                spare = back;
            }
        }
        if last {
            if !buf.is_empty() {
                // The scan of the last block takes every byte; whatever is left was not text.
                return Ok(None);
            }
            break;
        }
    }
    Ok(Some(Streamed { sha256: hasher.finish().1, notes: carry.notes(file) }))
}

/// Whether `start`, then all that `rest` gives, is UTF-8 (read a MiB at a time).
fn rest_is_utf8(start: &[u8], mut rest: impl std::io::Read) -> bool {
    use std::io::Read;
    // The bytes of a character that a part ends inside, for the next part to complete.
    let incomplete = |bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(_) => Some(0),
        Err(e) if e.error_len().is_none() => Some(bytes.len() - e.valid_up_to()),
        Err(_) => None,
    };
    let Some(open) = incomplete(start) else { return false };
    let mut part = start[start.len() - open..].to_vec();
    loop {
        let from = part.len();
        match (&mut rest).take(1 << 20).read_to_end(&mut part) {
            // The end: no character left open. (A read error: the error first met is told.)
            Ok(0) => return from == 0,
            Err(_) => return true,
            Ok(_) => {}
        }
        let Some(open) = incomplete(&part) else { return false };
        part.drain(..part.len() - open);
    }
}

impl Cells for SplitTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn height(&self) -> usize {
        self.starts.len()
    }
    fn cell(&self, col: usize, row: usize) -> Option<&str> {
        if row >= self.starts.len() || col >= self.names.len() {
            return None;
        }
        let f = self.fields(row).nth(col)?;
        self.field_text(row, col, f)
    }
    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }
    fn broken(&self) -> &[BrokenRow] {
        &self.broken
    }
    fn row_cells<'s>(&'s self, row: usize, positions: &[Option<usize>], out: &mut [Option<&'s str>]) {
        out.iter_mut().for_each(|c| *c = None);
        if row >= self.starts.len() {
            return;
        }
        // The record is split once, as far as the last column asked for, into a list each
        // thread keeps (no array to clear per row).
        let Some(last) = positions.iter().flatten().max().copied() else { return };
        let last = last.min(self.names.len().saturating_sub(1));
        thread_local! {
            static FIELDS: std::cell::RefCell<Vec<Field>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        FIELDS.with_borrow_mut(|fields| {
            fields.clear();
            fields.extend(self.fields(row).take(last + 1));
            for (cell, pos) in out.iter_mut().zip(positions) {
                *cell = pos.and_then(|p| fields.get(p).copied().and_then(|f| self.field_text(row, p, f)));
            }
        });
    }
}

/// One field of a record: its text's bytes (without the quotes), whether it was quoted and
/// whether it holds a doubled quote.
#[derive(Debug, Clone, Copy)]
struct Field {
    start: usize,
    end: usize,
    quoted: bool,
    doubled: bool,
}

/// The fields of a record, by the way it is split (no allocation per record).
enum RecordFields<'a, P> {
    Plain(P),
    Quoted(Fields<'a>),
}

impl<P: Iterator<Item = Field>> Iterator for RecordFields<'_, P> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        match self {
            RecordFields::Plain(p) => p.next(),
            RecordFields::Quoted(q) => q.next(),
        }
    }
}

/// The fields of the record that starts at `at`, in clean text (see the module comment).
struct Fields<'a> {
    text: &'a [u8],
    at: usize,
    sep: u8,
    done: bool,
}

impl Iterator for Fields<'_> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        if self.done {
            return None;
        }
        let (text, start) = (self.text, self.at);
        if text.get(start) == Some(&b'"') {
            let mut doubled = false;
            let mut i = start + 1;
            let close = loop {
                match memchr::memchr(b'"', &text[i..]) {
                    Some(k) if text.get(i + k + 1) == Some(&b'"') => {
                        doubled = true;
                        i += k + 2;
                    }
                    Some(k) => break i + k,
                    None => break text.len(),
                }
            };
            // After the closing quote: the separator, or the record's end.
            match text.get(close + 1) {
                Some(&c) if c == self.sep => self.at = close + 2,
                _ => self.done = true,
            }
            return Some(Field { start: start + 1, end: close.max(start + 1), quoted: true, doubled });
        }
        let end = memchr::memchr2(self.sep, b'\n', &text[start.min(text.len())..]).map_or(text.len(), |k| start + k);
        if end < text.len() && text[end] == self.sep {
            self.at = end + 1;
            return Some(Field { start, end, quoted: false, doubled: false });
        }
        self.done = true;
        let end = if end > start && text[end - 1] == b'\r' { end - 1 } else { end };
        Some(Field { start, end, quoted: false, doubled: false })
    }
}

/// The bit of a record's start that says it holds a quote (text is far below 2^63 bytes).
const QUOTED: usize = 1 << (usize::BITS - 1);

/// Where the record that starts at `at` ends (the start of the next one), whether it holds a
/// quote and whether a quoted field in it holds a doubled quote.
fn record_end(text: &[u8], at: usize) -> (usize, bool, bool) {
    let mut doubled = false;
    let mut quoted = false;
    let mut in_quotes = false;
    let mut i = at;
    while let Some(k) = memchr::memchr2(b'"', b'\n', &text[i..]) {
        let p = i + k;
        match (text[p], in_quotes) {
            (b'\n', false) => return (p + 1, quoted, doubled),
            (b'\n', true) => i = p + 1,
            (_, false) => {
                (in_quotes, quoted) = (true, true);
                i = p + 1;
            }
            (_, true) if text.get(p + 1) == Some(&b'"') => {
                doubled = true;
                i = p + 2;
            }
            (_, true) => {
                in_quotes = false;
                i = p + 1;
            }
        }
    }
    (text.len(), quoted, doubled)
}

/// The header's names as polars reads them: quotes around a name taken off (a doubled quote
/// inside stays doubled), trimmed, a name that repeats numbered `NAME_duplicated_0`, `…_1`;
/// then [`super::name_unnamed`].
fn header_names(line: &[u8], sep: u8, file: &str) -> Result<Vec<String>> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let fields = Fields { text: line, at: 0, sep, done: false };
    let raw: Vec<String> = fields.map(|f| String::from_utf8_lossy(&line[f.start..f.end]).into_owned()).collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut names = Vec::with_capacity(raw.len());
    for name in &raw {
        let count = counts.entry(name.as_str()).or_insert(0);
        let unique = if *count == 0 { name.clone() } else { format!("{name}_duplicated_{}", *count - 1) };
        if !seen.insert(unique.clone()) {
            return Err(Error::new(format!("{file} cannot be read as CSV: two columns of the header are both named {unique}"))
                .with_hint("give every column of the header its own name"));
        }
        *count += 1;
        names.push(unique);
    }
    Ok(super::name_unnamed(names.into_iter().map(|n| n.trim().to_string()).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::CsvTable;

    /// Every cell, name, line, broken row and note of `bytes` as polars reads them
    /// ([`CsvTable`]) and as [`SplitTable`] does: the same, or the same error.
    fn same_as_polars(bytes: &[u8], what: &str) {
        let polars = CsvTable::read_or_windows_1252(bytes, "f.csv");
        let split = SplitTable::read(bytes.to_vec(), "f.csv");
        let ((p, p_note), (s, s_note)) = match (polars, split) {
            (Ok(p), Ok(s)) => (p, s),
            // The same error; a header that names a column as polars would number a repeat of
            // another is said in plainer words here.
            (Err(p), Err(s)) if p.message.contains("de-duplication") => return assert!(s.message.contains("both named"), "{what}: {s:?}"),
            (Err(p), Err(s)) => return assert_eq!(p, s, "{what}"),
            (p, s) => panic!("{what}: polars {:?}, split {:?}", p.map(|t| t.0.names).err(), s.map(|t| t.0.names).err()),
        };
        assert_eq!(p_note, s_note, "{what}");
        assert_eq!(p.names, s.names, "{what}");
        assert_eq!(Cells::height(&p), Cells::height(&s), "{what}: records");
        assert_eq!(p.sha256, s.sha256, "{what}");
        assert_eq!(p.broken, s.broken, "{what}");
        assert_eq!(p.notes, s.notes, "{what}");
        let all: Vec<Option<usize>> = (0..p.names.len()).map(Some).collect();
        let (mut pc, mut sc) = (vec![None; all.len()], vec![None; all.len()]);
        for row in 0..Cells::height(&p) {
            assert_eq!(Cells::line(&p, row), Cells::line(&s, row), "{what}: line of record {row}");
            p.row_cells(row, &all, &mut pc);
            s.row_cells(row, &all, &mut sc);
            assert_eq!(pc, sc, "{what}: record {row}");
            for col in 0..all.len() {
                assert_eq!(p.cell(col, row), s.cell(col, row), "{what}: record {row}, column {col}");
            }
        }
        // Some of the columns, in another order, and one not in the file.
        let some: Vec<Option<usize>> = (0..p.names.len()).rev().step_by(2).map(Some).chain([None]).collect();
        let (mut pc, mut sc) = (vec![None; some.len()], vec![None; some.len()]);
        for row in 0..Cells::height(&p) {
            p.row_cells(row, &some, &mut pc);
            s.row_cells(row, &some, &mut sc);
            assert_eq!(pc, sc, "{what}: record {row}, some columns");
        }
    }

    #[test]
    fn every_csv_of_the_fixtures_reads_as_polars_reads_it() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("fixtures"), std::path::PathBuf::from("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "csv") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 30, "{}", files.len());
        for path in files {
            same_as_polars(&std::fs::read(&path).unwrap(), &path.display().to_string());
        }
    }

    pub(super) const AWKWARD: &[&[u8]] = &[
            b"",
            b"a,b\n",
            b"a,b",
            b"a,b\n1,2",
            b"a,b\r\n1,2\r\n3,4\r\n",
            b"a,b\r1,2\r3,4\r",
            b"a,b\n1,2\n\n\n3,4\n",
            b"a,b\n1,\n,2\n,\n",
            b"a,b,c\n1\n1,2\n1,2,3\n1,2,3,4\n",
            b"a;b;c\n1;\"x;y\";3\n",
            b"a\tb\n1\t2\n",
            b"a,b\n\"\",\"\"\n\" \",x\n",
            b"a,b\n\"say \"\"hi\"\"\",2\n\"\"\"\",\"\"\"\"\"\"\"\n",
            b"a,b\n\"two\nlines\",2\n\"crlf\r\nin\",3\n",
            b"a,b\nMonitor 24\" flikkert,2\n\"lone \" quote\",3\n",
            b"a,b\n\"abc\"def,2\n3,4\n",
            b"a,b\n\"open,2\n",
            b"a,a,b,a\n1,2,3,4\n",
            b"a,,b,\n1,2,3,4\n",
            b" a , b \n1,2\n",
            b"\"a\",\"b\"\"c\"\n1,2\n",
            b"a,a_duplicated_0,a\n1,2,3\n",
            b"\xEF\xBB\xBFid,naam\n1,M\xC3\xA1xima\n",
            b"id,naam\n1,M\xE1xima\n",
            b"\xFF\xFEa\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00",
            b"a,b\n1,2\n,,\n ,\t\n3,4",
            b"a,b\n=SUM(1),#$]@\n",
            b"a,b\n1,2\r",
            b"a\n1\n2\n",
            b"a,b\n\"x\"\r\n\"y\",\"z\"",
        ];

    #[test]
    fn awkward_files_read_as_polars_reads_them() {
        for (i, case) in AWKWARD.iter().enumerate() {
            same_as_polars(case, &format!("case {i}: {:?}", String::from_utf8_lossy(case)));
        }
    }

    /// A file of many records with every kind of field.
    fn large() -> String {
        let mut csv = String::from("id,type,summary,school\n");
        for i in 0..60_000 {
            match i % 5 {
                0 => csv.push_str(&format!("T{i},incident,\"Printer \"\"{i}\"\" kapot\",School {}\n", i % 300)),
                1 => csv.push_str(&format!("T{i},change,\"twee\nregels\",\n")),
                2 => csv.push_str(&format!("T{i},,,\"S, {i}\"\r\n")),
                3 => csv.push_str(&format!("T{i}\n")),
                _ => csv.push_str(&format!("T{i},incident,Monitor 24\" flikkert,School\n")),
            }
        }
        csv
    }

    #[test]
    fn a_large_file_reads_as_polars_reads_it() {
        // Polars reads a large file in batches.
        same_as_polars(large().as_bytes(), "large");
    }

    /// `bytes` read in blocks of `block` bytes give the records, lines, broken rows, notes
    /// and hash of the whole file read at once (or the same error); a file that cannot be
    /// read in blocks is one that is not UTF-8 or may end its lines with CR only.
    pub(super) fn blocks_as_whole(bytes: &[u8], block: usize, what: &str) {
        let whole = SplitTable::read(bytes.to_vec(), "f.csv");
        // Every block's names, notes, broken rows and records (line and cells).
        let mut names = Vec::new();
        let mut broken = Vec::new();
        let mut records = Vec::new();
        let streamed = read_blocks(block, bytes, std::path::Path::new("f.csv"), "f.csv", u64::MAX, |t| {
            names.push((t.names.clone(), t.notes.clone()));
            broken.extend(t.broken.iter().cloned());
            let all: Vec<Option<usize>> = (0..t.names.len()).map(Some).collect();
            for row in 0..t.height() {
                let mut cells = vec![None; all.len()];
                t.row_cells(row, &all, &mut cells);
                records.push((t.line(row), cells.iter().map(|c| c.map(str::to_string)).collect::<Vec<_>>()));
            }
            // Every other block's text is given back to read into.
            Ok((t.height() % 2 == 0).then(|| t.into_text()))
        });
        let (whole, streamed) = match (whole, streamed) {
            (Err(w), Err(s)) => return assert_eq!(w, s, "{what}"),
            (_, Ok(None)) => {
                let utf16 = matches!(encoding_rs::Encoding::for_bom(bytes), Some((e, _)) if e != encoding_rs::UTF_8);
                let lone_cr = bytes.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || bytes.ends_with(b"\r");
                return assert!(std::str::from_utf8(bytes).is_err() || utf16 || lone_cr, "{what}: not read in blocks");
            }
            (Ok((w, None)), Ok(Some(s))) => (w, s),
            (w, s) => panic!("{what}: whole {:?}, blocks {:?}", w.map(|t| t.0.names).err(), s.err()),
        };
        assert_eq!(whole.sha256, streamed.sha256, "{what}");
        assert_eq!(whole.notes, streamed.notes, "{what}");
        assert!(names.iter().all(|(n, notes)| *n == whole.names && notes.is_empty()), "{what}");
        assert_eq!(whole.broken, broken, "{what}");
        assert_eq!(records.len(), whole.height(), "{what}");
        let all: Vec<Option<usize>> = (0..whole.names.len()).map(Some).collect();
        for (row, (line, cells)) in records.iter().enumerate() {
            let mut expected = vec![None; all.len()];
            whole.row_cells(row, &all, &mut expected);
            assert_eq!((*line, cells.iter().map(|c| c.as_deref()).collect::<Vec<_>>()), (whole.line(row), expected), "{what}: record {row}");
        }
    }

    #[test]
    fn a_file_read_in_blocks_is_the_file_read_whole() {
        for (i, case) in AWKWARD.iter().enumerate() {
            for block in [1, 2, 7, 64, 1 << 20] {
                blocks_as_whole(case, block, &format!("case {i}, blocks of {block}: {:?}", String::from_utf8_lossy(case)));
            }
        }
        let large = large();
        for block in [4096, 100_000] {
            blocks_as_whole(large.as_bytes(), block, &format!("large, blocks of {block}"));
        }
        // A record longer than a block, and a BOM.
        let long = format!("\u{feff}a,b\n1,\"{}\"\n2,3\n", "x\n".repeat(5_000));
        blocks_as_whole(long.as_bytes(), 1024, "a record of ten blocks");
        // A BOM and a character across the end of the first 4 KB (and of a block).
        for at in 4090..4100 {
            let text = format!("\u{feff}a,b\n1,{}é€\n2,3\n", "x".repeat(at - 10));
            blocks_as_whole(text.as_bytes(), 4096, &format!("a character at byte {at}"));
            blocks_as_whole(text.as_bytes(), 1 << 20, &format!("a character at byte {at}, one block"));
        }
    }
}

#[cfg(test)]
/// Every place a block can end, against the whole file: the reading in blocks must not show.
mod block_edges {
    use super::tests::blocks_as_whole;
    use super::SplitTable;

    /// Files with their awkward bytes at every place a block can end.
    const EDGES: &[&[u8]] = &[
        b"a,b\n1,\"x\"\"y\"\"\"\n2,\"\"\"\"\n",
        b"a,b\r\n1,2\r\n\"3\r\n\",\"4\"\"\r\n\"\r\n",
        b"\xEF\xBB\xBFa,b\n1,\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n2,3\n",
        b"a,b\n1,2\n3,4,5\n6,7\n8,9,10,11\n\"x\",\"y\"z\n",
        b"a,b\n\n\n,\n1,2\n\n",
        b"\n\n\n",
        b"a,b\n",
        b"a,b\r\n",
        b"a,b\n1,\"24\" scherm\"\n2,Monitor 24\" x\n",
        b"a,b\n1,\"two\r\nlines\"\r\n2,\"x\"\r\n",
        b"a;b\n1;\"x;\"\"y\"\n",
        b"a,b\n1,\"open\n2,3\n",
        // Blank lines before the header: the separator and a mark are the file's start's.
        b"\n\na;b\n1;2\n",
        b"\n\n\xEF\xBB\xBFa,b\n1,2\n",
        b"\xEF\xBB\xBFa;b;c\n1;2;3\n",
    ];

    #[test]
    fn every_block_end_reads_as_the_whole_file() {
        for (i, case) in EDGES.iter().chain(super::tests::AWKWARD).enumerate() {
            for block in 1..=case.len() + 1 {
                blocks_as_whole(case, block, &format!("edge case {i}, blocks of {block}: {:?}", String::from_utf8_lossy(case)));
            }
        }
    }

    #[test]
    fn a_nul_byte_after_the_first_4_kb_is_data_however_many_blank_lines_come_first() {
        // The whole file's check looks at its first 4 KB only; blocks that drop 5,000 blank
        // lines must not check the header's block again.
        let mut bytes = b"\n".repeat(5000);
        bytes.extend_from_slice(b"a,b\n1,\0\n");
        for block in [1000, 4096, 6000] {
            blocks_as_whole(&bytes, block, &format!("a NUL after 5,000 blank lines, blocks of {block}"));
        }
        assert!(SplitTable::read(bytes, "f.csv").is_ok());
    }

    #[test]
    fn a_mark_before_bytes_that_are_not_utf8_is_the_error_whatever_the_blocks_found_first() {
        // Read whole, a file with the UTF-8 mark and a byte that is not UTF-8 after its first
        // 4 KB is refused for that byte, before any error of its records.
        let rows: String = (0..1000).map(|i| format!("{i},x\n")).collect();
        let bad: &[u8] = b"1,Caf\xE9\n";
        let cases: [(&[u8], &[u8]); 3] = [
            // An unclosed quote after the byte, in its block.
            (bad, b"2,\"open\n3,4\n"),
            // A quoted field over two lines in a row that lacks a field, blocks before the byte.
            (b"2,\"a\nb\"\n", &[b"3,4\n".repeat(3000).as_slice(), bad].concat()),
            // A field of more than 64 MiB would be no different; a header named twice is.
            (b"", bad),
        ];
        for (i, (first, then)) in cases.iter().enumerate() {
            let header: &[u8] = if i == 2 { b"a,a_duplicated_0,a\n" } else { b"a,b\n" };
            let bytes = [b"\xEF\xBB\xBF", header, rows.as_bytes(), first, then].concat();
            let whole = SplitTable::read(bytes.clone(), "f.csv").err().expect("an error");
            assert!(whole.message.contains("starts with the UTF-8 mark (BOM), but line"), "{whole}");
            for block in [8192, 1 << 20] {
                blocks_as_whole(&bytes, block, &format!("case {i}, blocks of {block}"));
            }
        }
    }
}
