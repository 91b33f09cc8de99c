//! A CSV file read with polars, every column as text ([`CsvTable`]), and the tools to get its
//! text: the encoding ([`decode`]) and the field separator ([`detect_delimiter`]).

use std::io::Cursor;

use polars::prelude::*;

use super::Cells;
use crate::digest::sha256_hex;
use crate::error::{Error, Result};

type StrArray = <StringType as PolarsDataType>::Array;

/// A CSV file read with polars, every column as text, with the physical line of each record.
pub struct CsvTable {
    /// Header names, trimmed.
    pub names: Vec<String>,
    columns: Vec<StringChunked>,
    /// The columns' arrays (polars reads a file in batches, one array per batch and column),
    /// indexed `[column][batch]`, and the first record of every batch: a cell is then one
    /// binary search and an array lookup, not a walk over the batches per cell.
    batches: Vec<Vec<StrArray>>,
    batch_starts: Vec<usize>,
    lines: Vec<u64>,
    pub height: usize,
    /// The bytes hashed, for the manifest.
    pub sha256: String,
    /// Rows that could not be split into the header's fields (not in the table).
    pub broken: Vec<super::records::BrokenRow>,
    /// What was repaired or skipped while reading, for the report's notes.
    pub notes: Vec<String>,
}

impl CsvTable {
    /// Reads `bytes` (UTF-8, optional BOM, comma-separated, header row).
    pub fn read(bytes: &[u8], file: &str) -> Result<CsvTable> {
        Self::read_with(bytes, file, false).map(|(table, _)| table)
    }

    /// As [`CsvTable::read`], but a file that is not UTF-8 is read as Windows-1252 (what
    /// Excel saves as "CSV" on a Dutch Windows; every byte is a character there, so it always
    /// decodes), with a note saying so.
    pub fn read_or_windows_1252(bytes: &[u8], file: &str) -> Result<(CsvTable, Option<String>)> {
        Self::read_with(bytes, file, true)
    }

    fn read_with(bytes: &[u8], file: &str, windows_1252: bool) -> Result<(CsvTable, Option<String>)> {
        super::records::check_encoding(bytes, file)?;
        // The hash (for the manifest) is taken beside the parse, on another core.
        std::thread::scope(|scope| {
            let sha256 = scope.spawn(|| sha256_hex(bytes));
            let read = |text: &str| Self::read_text(text, file, detect_delimiter(text), String::new());
            // Comma-separated, or what a Dutch Excel saves: semicolons (or tabs); UTF-8, or
            // UTF-16 with its mark (Excel's "Unicode text").
            let (mut table, note) = match (super::records::decode_bom(bytes, file)?, std::str::from_utf8(bytes)) {
                (Some((text, _)), _) => (read(&text)?, None),
                (None, Ok(text)) => (read(text)?, None),
                (None, Err(_)) if windows_1252 => {
                    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    (read(&text)?, Some(format!("{file} is not UTF-8 text: it was read as Windows-1252 (what Excel calls ANSI); save it as \"CSV UTF-8\" to be sure")))
                }
                (None, Err(_)) => {
                    return Err(Error::new(format!("{file} is not UTF-8 text"))
                        .with_hint("save the export as UTF-8 (CSV UTF-8 in Excel)"));
                }
            };
            table.sha256 = sha256.join().expect("hashing");
            Ok((table, note))
        })
    }

    /// Reads decoded text with the given field separator; `sha256` is that of the file's
    /// original bytes.
    pub fn read_text(text: &str, file: &str, separator: u8, sha256: String) -> Result<CsvTable> {
        Self::read_text_with(text, file, separator, sha256, None::<fn(&[String]) -> Result<Vec<bool>>>)
    }

    /// [`CsvTable::read_text`] of the columns that `columns`, given the header's names, keeps
    /// (`true`; `None`: all); the others keep their names but hold no cells (never read, so
    /// never held).
    pub fn read_text_with(
        text: &str,
        file: &str,
        separator: u8,
        sha256: String,
        columns: Option<impl FnOnce(&[String]) -> Result<Vec<bool>>>,
    ) -> Result<CsvTable> {
        let records = super::records::scan(text.as_bytes(), separator, file)?;
        let bytes = records.repaired.as_deref().unwrap_or(text.as_bytes());
        let read = |rows: Option<usize>, projection: Option<Vec<usize>>| {
            CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(Some(0))
                .with_n_rows(rows)
                .with_projection(projection.map(Arc::new))
                .map_parse_options(|o| o.with_separator(separator))
                .into_reader_with_file_handle(Cursor::new(bytes))
                .finish()
                .map_err(|e| {
                    // Polars' words for the usual causes, in the user's terms.
                    let why = e.to_string();
                    let plain = if why.contains("more fields") {
                        "a row has more fields than the header has columns".to_string()
                    } else {
                        crate::limits::shown(&why).into_owned()
                    };
                    not_csv(file, separator, &plain)
                })
        };
        let names_of = |df: &DataFrame| super::name_unnamed(df.get_column_names().iter().map(|s| s.trim().to_string()).collect());
        let (names, keep, df) = match columns {
            None => {
                let df = read(None, None)?;
                let names = names_of(&df);
                (names.clone(), vec![true; names.len()], df)
            }
            Some(choose) => {
                // The header first (no records), then the chosen columns.
                let names = names_of(&read(Some(0), None)?);
                let mut keep = choose(&names)?;
                keep.resize(names.len(), false);
                if !keep.contains(&true) && !keep.is_empty() {
                    // One column is read, for the number of records.
                    keep[0] = true;
                }
                let kept: Vec<usize> = (0..names.len()).filter(|&i| keep[i]).collect();
                let df = read(None, (kept.len() < names.len()).then_some(kept))?;
                (names, keep, df)
            }
        };
        let kept: Vec<usize> = (0..names.len()).filter(|&i| keep[i]).collect();
        let mut read_columns = Vec::with_capacity(kept.len());
        for (idx, &i) in kept.iter().enumerate() {
            let col = df.select_at_idx(idx).expect("column index");
            read_columns.push(col.str().map_err(|e| Error::new(format!("{file}: column {}: {e}", names[i])))?.clone());
        }
        let height = df.height();
        drop(df);
        // One batch layout for all columns (as polars' reader makes them); else one batch.
        let layout = |c: &StringChunked| c.chunks().iter().map(|a| a.len()).collect::<Vec<_>>();
        if read_columns.iter().any(|c| layout(c) != layout(&read_columns[0])) {
            for c in &mut read_columns {
                *c = c.rechunk().into_owned();
            }
        }
        let mut batch_starts = Vec::new();
        let mut start = 0;
        for len in read_columns.first().map(layout).unwrap_or_default() {
            batch_starts.push(start);
            start += len;
        }
        // Every column of the header in its place; one not read has no cells.
        let mut read_columns = read_columns.into_iter();
        let columns: Vec<StringChunked> = (0..names.len())
            .map(|i| if keep[i] { read_columns.next().expect("a read column") } else { StringChunked::full_null(names[i].as_str().into(), 0) })
            .collect();
        let batches: Vec<Vec<StrArray>> =
            columns.iter().zip(&keep).map(|(c, k)| if *k { c.downcast_iter().cloned().collect() } else { Vec::new() }).collect();
        let mut lines = records.lines;
        if lines.len() != height {
            lines = (0..height as u64).map(|i| i + 2).collect();
        }
        Ok(CsvTable { names, columns, batches, batch_starts, lines, height, sha256, broken: records.broken, notes: records.notes })
    }

    pub fn has(&self, col: &str) -> bool {
        self.names.iter().any(|n| n == col)
    }

    /// The header check of every log and KPI input: an error naming the columns of `cols` the
    /// file `file` lacks, with a hint that spells out the whole header `header`.
    pub fn require_columns(&self, file: &str, cols: &[&str], header: &[&str]) -> Result<()> {
        let missing: Vec<&str> = cols.iter().copied().filter(|c| !self.has(c)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::lacks_columns(file, &missing).with_hint(format!("the header must be: {}", header.join(","))))
    }

    pub fn column(&self, col: &str) -> Option<&StringChunked> {
        self.names.iter().position(|n| n == col).map(|i| &self.columns[i])
    }

    /// The physical line of record `i`.
    pub fn line(&self, i: usize) -> u64 {
        self.lines[i]
    }
}

impl Cells for CsvTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn height(&self) -> usize {
        self.height
    }
    fn cell(&self, col: usize, row: usize) -> Option<&str> {
        if row >= self.height {
            return None;
        }
        let b = self.batch_starts.partition_point(|s| *s <= row) - 1;
        let array = self.batches.get(col)?.get(b)?;
        polars::datatypes::StaticArray::get(array, row - self.batch_starts[b])
    }
    fn row_cells<'s>(&'s self, row: usize, positions: &[Option<usize>], out: &mut [Option<&'s str>]) {
        // One batch lookup for the whole record.
        let b = if row < self.height { self.batch_starts.partition_point(|s| *s <= row) - 1 } else { usize::MAX };
        for (cell, pos) in out.iter_mut().zip(positions) {
            *cell = pos.and_then(|p| {
                let array = self.batches.get(p)?.get(b)?;
                polars::datatypes::StaticArray::get(array, row - self.batch_starts[b])
            });
        }
    }
    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }
    fn broken(&self) -> &[super::records::BrokenRow] {
        &self.broken
    }
}

/// The error of a file that cannot be read as CSV separated by `separator`, and why.
pub(super) fn not_csv(file: &str, separator: u8, why: &str) -> Error {
    let sep = match separator {
        b',' => "comma".to_string(),
        b';' => "semicolon".to_string(),
        b'\t' => "tab".to_string(),
        s => format!("'{}'", s as char),
    };
    Error::new(format!("{file} cannot be read as CSV: {why}"))
        .with_hint(format!("it must be {sep}-separated with a header row; a text with a {sep} in it must be in double quotes, and every quote must be closed"))
}

/// The trimmed field, `None` when the column is absent or the field empty.
pub fn field<'a>(col: Option<&'a StringChunked>, i: usize) -> Option<&'a str> {
    let v = col?.get(i)?.trim();
    if v.is_empty() { None } else { Some(v) }
}

/// Decodes CSV bytes to text: a BOM decides, else the mapping's encoding, else UTF-8 when the
/// bytes are valid UTF-8 and Windows-1252 otherwise. Returns the text and the encoding's name.
/// UTF-8 text is borrowed, not copied: an export may be hundreds of megabytes.
pub fn decode<'b>(bytes: &'b [u8], encoding: Option<&'static encoding_rs::Encoding>, file: &str) -> Result<(std::borrow::Cow<'b, str>, String)> {
    super::records::check_encoding(bytes, file)?;
    if let Some((text, enc)) = super::records::decode_bom(bytes, file)? {
        return Ok((text, format!("{} (with BOM)", enc.name())));
    }
    let enc = match encoding {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(Error::new(format!("{file} is not valid {} text", enc.name()))
            .with_hint("set [source] encoding in the mapping: \"utf-8\" or \"windows-1252\" (what Excel calls ANSI)"));
    }
    let name = if encoding.is_none() && enc == encoding_rs::WINDOWS_1252 {
        "windows-1252 (not UTF-8, so read as Windows-1252)".to_string()
    } else {
        enc.name().to_string()
    };
    Ok((text, name))
}

/// The delimiter of the header line: the most frequent of `,` `;` tab `|` outside quotes
/// (a comma on a tie or when none occurs).
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let cands = [b',', b';', b'\t', b'|'];
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = cands.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    cands[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_column_is_named_with_the_whole_header_as_hint() {
        let t = CsvTable::read(b"started_at;waited\n2026-10-01T09:00:00+02:00;12\n", "calls.csv").unwrap();
        let header = ["started_at", "wait_seconds", "answered"];
        let e = t.require_columns("calls.csv", &header, &header).unwrap_err();
        assert_eq!(e.message, "calls.csv lacks required columns: wait_seconds, answered");
        assert_eq!(e.hints, ["the header must be: started_at,wait_seconds,answered"]);
        assert_eq!(t.require_columns("calls.csv", &["started_at"], &header), Ok(()));
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n1;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter("a,b\n"), b',');
        assert_eq!(detect_delimiter("single\n"), b',');
    }

    #[test]
    fn encodings() {
        let (t, e) = decode(b"\xEF\xBB\xBFa;b", None, "f").unwrap();
        assert_eq!(t, "a;b");
        assert!(e.contains("BOM"));
        let (t, e) = decode(b"Prinses M\xE1ximaschool", None, "f").unwrap();
        assert_eq!(t, "Prinses Máximaschool");
        assert!(e.contains("windows-1252"));
        assert!(decode(b"M\xE1xima", Some(encoding_rs::UTF_8), "f").is_err());
        let (t, _) = decode(b"\xFF\xFEa\x00;\x00b\x00", None, "f").unwrap();
        assert_eq!(t, "a;b", "UTF-16 with a BOM");
    }
}
