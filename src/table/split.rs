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
    /// Byte offset in `text` of every record after the header.
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
        let table = Self::of_clean_text(text, sep, file, sha256, scanned)?;
        Ok((table, note))
    }

    /// The table of `text`, which the records pass has cleaned (`scanned` is what it found).
    fn of_clean_text(text: String, sep: u8, file: &str, sha256: String, scanned: records::Records) -> Result<SplitTable> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return Err(super::csv::not_csv(file, sep, "no data: empty CSV"));
        }
        let header_end = record_end(bytes, 0).0;
        let names = header_names(&bytes[..header_end], sep, file)?;
        let mut starts = Vec::with_capacity(scanned.lines.len());
        let mut escaped_rows = Vec::new();
        let mut at = header_end;
        while at < bytes.len() {
            let (end, doubled) = record_end(bytes, at);
            if doubled {
                escaped_rows.push(starts.len());
            }
            starts.push(at);
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

    /// The fields of record `row`.
    fn fields(&self, row: usize) -> Fields<'_> {
        Fields { text: self.text.as_bytes(), at: self.starts[row], sep: self.sep, done: false }
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
        // The record is split once, as far as the last column asked for.
        let Some(last) = positions.iter().flatten().max().copied() else { return };
        let last = last.min(self.names.len().saturating_sub(1));
        const ON_STACK: usize = 64;
        let mut stack = [None; ON_STACK];
        let mut heap = Vec::new();
        let fields: &mut [Option<Field>] = if last < ON_STACK {
            &mut stack[..=last]
        } else {
            heap.resize(last + 1, None);
            &mut heap
        };
        for (slot, f) in fields.iter_mut().zip(self.fields(row)) {
            *slot = Some(f);
        }
        for (cell, pos) in out.iter_mut().zip(positions) {
            *cell = pos.and_then(|p| fields.get(p).copied().flatten()).and_then(|f| {
                let col = pos.expect("a position");
                self.field_text(row, col, f)
            });
        }
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

/// Where the record that starts at `at` ends (the start of the next one), and whether a
/// quoted field in it holds a doubled quote.
fn record_end(text: &[u8], at: usize) -> (usize, bool) {
    let mut doubled = false;
    let mut in_quotes = false;
    let mut i = at;
    while let Some(k) = memchr::memchr2(b'"', b'\n', &text[i..]) {
        let p = i + k;
        match (text[p], in_quotes) {
            (b'\n', false) => return (p + 1, doubled),
            (b'\n', true) => i = p + 1,
            (_, false) => {
                in_quotes = true;
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
    (text.len(), doubled)
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

    #[test]
    fn awkward_files_read_as_polars_reads_them() {
        let cases: &[&[u8]] = &[
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
        for (i, case) in cases.iter().enumerate() {
            same_as_polars(case, &format!("case {i}: {:?}", String::from_utf8_lossy(case)));
        }
    }

    #[test]
    fn a_large_file_reads_as_polars_reads_it() {
        // Polars reads a large file in batches: many records with every kind of field.
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
        same_as_polars(csv.as_bytes(), "large");
    }
}
