//! A worksheet of an XLSX workbook read with calamine ([`SheetTable`]): the cells streamed,
//! only the filled ones kept, the workbook's unpacked size checked before anything is
//! unpacked ([`SheetLimits`]).

use std::io::Cursor;

use super::Cells;
use crate::digest::sha256_hex;
use crate::error::{Error, Result};

/// A worksheet read with calamine, every cell as text, with its sheet row number.
pub struct SheetTable {
    pub names: Vec<String>,
    rows: Vec<Vec<String>>,
    lines: Vec<u64>,
    pub sheet: String,
    pub sha256: String,
    /// What was skipped while reading (rows with only empty cells), for the report's notes.
    pub notes: Vec<String>,
}

impl SheetTable {
    /// Reads sheet `sheet` (default: the first) of an XLSX workbook. The first non-empty row
    /// is the header; empty rows are skipped. Dates become ISO 8601 local times.
    pub fn read(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<SheetTable> {
        Self::read_within(bytes, file, sheet, &SheetLimits::default())
    }

    /// [`SheetTable::read`] within `limits`. The cells are streamed and only the filled ones
    /// kept (a sheet that claims the range A1:XFD1048576 costs what it holds, not 17 billion
    /// cells); the workbook's parts are sized from the zip's directory before any is unpacked
    /// (the zip reader then holds each part to its stated size), so a zip bomb is refused.
    pub fn read_within(bytes: &[u8], file: &str, sheet: Option<&str>, limits: &SheetLimits) -> Result<SheetTable> {
        use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};
        let not_a_workbook = |e: &dyn std::fmt::Display| {
            Error::new(format!("{file} cannot be read as an Excel workbook: {}", crate::limits::shown(&e.to_string())))
                .with_hint("save it as .xlsx (Excel Workbook), or export CSV")
        };
        let unpacked = unpacked_size(bytes).map_err(|e| not_a_workbook(&e))?;
        if unpacked > limits.unpacked_bytes {
            return Err(Error::new(format!(
                "{file} unpacks to {}, more than the {} slarapport reads from a workbook",
                crate::limits::size(unpacked),
                crate::limits::size(limits.unpacked_bytes)
            ))
            .with_hint("export the tickets as CSV, or check the file: a small workbook that unpacks to that much is a zip bomb"));
        }
        let sha256 = sha256_hex(bytes);
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
        let names = wb.sheet_names();
        let name = match sheet {
            Some(s) => names.iter().find(|n| n.as_str() == s || n.eq_ignore_ascii_case(s)).cloned().ok_or_else(|| {
                Error::new(format!("{file} has no sheet \"{s}\"")).with_hint(format!("its sheets are: {}", names.join(", ")))
            })?,
            None => names.first().cloned().ok_or_else(|| Error::new(format!("{file} has no sheets")))?,
        };
        let sheet_error = |e: &dyn std::fmt::Display| Error::new(format!("{file}: sheet {name}: {}", crate::limits::shown(&e.to_string())));
        let text = |d: &DataRef| -> String {
            match d {
                DataRef::Empty => String::new(),
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
                DataRef::SharedString(s) => s.to_string(),
                DataRef::Int(i) => i.to_string(),
                DataRef::Float(f) => number_text(*f),
                DataRef::Bool(b) => b.to_string(),
                DataRef::DateTime(dt) if dt.is_datetime() => {
                    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
                }
                DataRef::DateTime(dt) => number_text(dt.as_f64()),
                DataRef::Error(e) => format!("{e}"),
            }
        };
        // The filled cells, as (row, column, text), within the limits.
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        let mut text_bytes = 0usize;
        let mut in_order = true;
        // Rows holding a cell with nothing in it (a space, an empty text, a formatted blank):
        // those with no filled cell are rows with no values, skipped and counted.
        let mut blank_rows: Vec<u32> = Vec::new();
        {
            let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| sheet_error(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| sheet_error(&e))? {
                let t = text(cell.get_value());
                if t.trim().is_empty() {
                    let row = cell.get_position().0;
                    if blank_rows.last() != Some(&row) {
                        blank_rows.push(row);
                    }
                    continue;
                }
                let (row, col) = cell.get_position();
                text_bytes += t.len();
                if cells.len() >= limits.cells || text_bytes > limits.text_bytes {
                    let what = if text_bytes > limits.text_bytes {
                        format!("more than {} of text", crate::limits::size(limits.text_bytes as u64))
                    } else {
                        format!("more than {} filled cells", limits.cells)
                    };
                    return Err(Error::new(format!("{file}: sheet {name} holds {what}, more than slarapport reads"))
                        .with_hint("export only the columns and rows the report needs, or export CSV"));
                }
                in_order &= cells.last().is_none_or(|&(r, c, _)| (r, c) < (row, col));
                cells.push((row, col, t));
            }
        }
        if !in_order {
            cells.sort_by_key(|&(r, c, _)| (r, c));
        }
        // Rows, each as wide as the header at most (cells right of it are read by nobody).
        let mut header: Option<Vec<String>> = None;
        let mut header_row: Option<u32> = None;
        let (mut rows, mut lines): (Vec<Vec<String>>, Vec<u64>) = (Vec::new(), Vec::new());
        let mut cells = cells.into_iter().peekable();
        while let Some(&(row, _, _)) = cells.peek() {
            let mut values: Vec<String> = Vec::new();
            while let Some((_, col, t)) = cells.next_if(|c| c.0 == row) {
                let width = header.as_ref().map_or(limits.columns, Vec::len);
                let col = col as usize;
                if col >= width {
                    if header.is_none() {
                        return Err(crate::limits::too_many_columns(&format!("{file}: sheet {name}"), limits.columns));
                    }
                    continue;
                }
                if values.len() <= col {
                    values.resize(col + 1, String::new());
                }
                values[col] = t;
            }
            match header {
                None => {
                    header = Some(values.iter().map(|c| c.trim().to_string()).collect());
                    header_row = Some(row);
                }
                Some(_) => {
                    rows.push(values);
                    lines.push(u64::from(row) + 1);
                }
            }
        }
        let names = header.ok_or_else(|| Error::new(format!("{file}: sheet {name} is empty")).with_hint("the first row must name the columns"))?;
        let names = super::name_unnamed(names);
        let mut notes = Vec::new();
        if let Some(&header_row) = header_row.as_ref() {
            blank_rows.sort_unstable();
            blank_rows.dedup();
            let empty = blank_rows.iter().filter(|r| **r > header_row && lines.binary_search(&(u64::from(**r) + 1)).is_err()).count();
            if empty > 0 {
                notes.push(format!("{file}: {empty} row(s) with no values (only empty cells) skipped"));
            }
        }
        Ok(SheetTable { names, rows, lines, sheet: name, sha256, notes })
    }
}

/// What a worksheet may hold (see [`crate::limits`]); smaller in tests.
#[derive(Debug, Clone)]
pub struct SheetLimits {
    /// All the workbook's parts together, unpacked.
    pub unpacked_bytes: u64,
    /// Filled cells.
    pub cells: usize,
    /// The text of the filled cells together.
    pub text_bytes: usize,
    /// Columns of the header.
    pub columns: usize,
}

impl Default for SheetLimits {
    fn default() -> Self {
        SheetLimits {
            unpacked_bytes: crate::limits::MAX_XLSX_UNPACKED_BYTES,
            cells: crate::limits::MAX_SHEET_CELLS,
            text_bytes: crate::limits::MAX_DATA_FILE_BYTES as usize,
            columns: crate::limits::MAX_COLUMNS,
        }
    }
}

/// The size of a zip's parts unpacked, from its directory (nothing is unpacked).
fn unpacked_size(bytes: &[u8]) -> Result<u64, zip::result::ZipError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i)?.size());
    }
    Ok(total)
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

impl Cells for SheetTable {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn height(&self) -> usize {
        self.rows.len()
    }
    fn cell(&self, col: usize, row: usize) -> Option<&str> {
        self.rows.get(row)?.get(col).map(String::as_str)
    }
    fn line(&self, row: usize) -> u64 {
        self.lines[row]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook(rows: &[&[&str]]) -> rust_xlsxwriter::Workbook {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb
    }

    const SHEET_HEADER: [&str; 6] = ["id", "type", "school", "category", "priority", "opened_at"];

    #[test]
    fn a_sheet_reaching_xfd1048576_costs_what_it_holds() {
        // A1 … and one cell in the sheet's last row and column: the dimension says
        // A1:XFD1048576, 17 billion cells; the reader keeps the three rows that have values.
        let mut wb = workbook(&[&SHEET_HEADER, &["T1", "incident", "S", "netwerk", "P3", "2026-10-05T09:00"]]);
        wb.worksheet_from_index(0).unwrap().write_string(1_048_575, 16_383, "x").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = SheetTable::read(&bytes, "tickets.xlsx", None).unwrap();
        assert_eq!((t.names.len(), Cells::height(&t)), (6, 2));
        assert_eq!(Cells::line(&t, 1), 1_048_576);
        assert_eq!(Cells::cell(&t, 0, 1), None, "the far cell lies right of the header");
        // A header reaching column XFD is more than slarapport reads.
        let mut wb = workbook(&[&SHEET_HEADER]);
        wb.worksheet_from_index(0).unwrap().write_string(0, 16_383, "far").unwrap();
        let e = SheetTable::read(&wb.save_to_buffer().unwrap(), "tickets.xlsx", None).err().unwrap();
        assert!(e.message.contains("more than 4096 columns") && !e.hints.is_empty(), "{e}");
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        // 300 texts of 30,000 letters (9 MB) pack to some KiB.
        let long: Vec<String> = (0..300).map(|i| format!("{i}{}", "a".repeat(30_000))).collect();
        let mut rows: Vec<Vec<&str>> = vec![SHEET_HEADER.to_vec()];
        rows.extend(long.iter().map(|l| vec!["T1", "incident", "S", "netwerk", "P3", l.as_str()]));
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let bytes = workbook(&rows).save_to_buffer().unwrap();
        assert!(bytes.len() < 200_000, "{}", bytes.len());
        let small = SheetLimits { unpacked_bytes: 4 << 20, ..SheetLimits::default() };
        let e = SheetTable::read_within(&bytes, "tickets.xlsx", None, &small).err().unwrap();
        assert!(e.message.contains("tickets.xlsx unpacks to") && e.message.contains("more than the 4 MiB"), "{e}");
        assert!(e.hints[0].contains("zip bomb"), "{:?}", e.hints);
        // With the default limits: a part whose directory entry claims 3 GiB.
        let mut claimed = bytes.clone();
        let at = claimed.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        claimed[at + 24..at + 28].copy_from_slice(&0xC000_0000u32.to_le_bytes());
        let e = SheetTable::read(&claimed, "tickets.xlsx", None).err().unwrap();
        assert!(e.message.contains("unpacks to") && e.message.contains("more than the 2 GiB"), "{e}");
        // The cells' text is bounded too: one shared string of 30,000 letters in 100 cells
        // unpacks to little, but is 3 MB of cell text.
        let one = "a".repeat(30_000);
        let rows: Vec<[&str; 6]> = std::iter::once(SHEET_HEADER).chain((0..100).map(|_| ["T1", "incident", "S", "netwerk", "P3", one.as_str()])).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        let bytes = workbook(&rows).save_to_buffer().unwrap();
        let tight = SheetLimits { text_bytes: 1 << 20, ..SheetLimits::default() };
        let e = SheetTable::read_within(&bytes, "tickets.xlsx", None, &tight).err().unwrap();
        assert!(e.message.contains("more than 1 MiB of text"), "{e}");
        assert!(SheetTable::read(&bytes, "tickets.xlsx", None).is_ok());
    }
}
