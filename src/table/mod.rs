//! The table layer: everything that turns a file's bytes into cells of text, under everything
//! that reads an input file. A CSV file ([`csv::CsvTable`], after the quote-aware pass of
//! [`records`]) and a worksheet ([`sheet::SheetTable`]) are both [`Cells`]: header names, text
//! cells and the physical line of each record, so the canonical reader, the mappings and the
//! readers of the other input files (calls, measurements, logs) share one way of reading and
//! of naming a line. Nothing here knows what a ticket is.

use std::path::Path;

pub mod csv;
pub mod records;
pub mod sheet;
pub mod split;

pub use csv::CsvTable;
pub use sheet::{SheetLimits, SheetTable};
pub use split::SplitTable;

/// The file's name as messages show it.
pub fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Whether `path` names an Excel workbook (read with calamine) rather than a text file.
pub fn is_xlsx(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// A table of text cells with the physical line of each record: a CSV file read with polars
/// ([`CsvTable`]) or a worksheet read with calamine ([`sheet::SheetTable`]).
pub trait Cells {
    /// Header names, trimmed, in file order.
    fn names(&self) -> &[String];
    /// Number of records after the header.
    fn height(&self) -> usize;
    /// The text of a cell as in the file, `None` when the record has no such cell.
    fn cell(&self, col: usize, row: usize) -> Option<&str>;
    /// The physical line (CSV) or sheet row (XLSX) of record `row`, 1-based.
    fn line(&self, row: usize) -> u64;
    /// Rows of the file that could not be split into the header's fields (not in the table),
    /// in file order: each is a rejected row.
    fn broken(&self) -> &[records::BrokenRow] {
        &[]
    }
    /// The cells of record `row` at `positions` (`None` where a position is `None`).
    fn row_cells<'s>(&'s self, row: usize, positions: &[Option<usize>], out: &mut [Option<&'s str>]) {
        for (cell, pos) in out.iter_mut().zip(positions) {
            *cell = pos.and_then(|p| self.cell(p, row));
        }
    }
}

/// Header names with the columns that have none named by their position (`column 37`), so
/// that every list of columns can show them. The CSV reader calls a second nameless column
/// `_duplicated_0` (and so on): that one has no name either.
pub fn name_unnamed(mut names: Vec<String>) -> Vec<String> {
    let mut nameless_seen = false;
    for (i, n) in names.iter_mut().enumerate() {
        let repeat_of_nameless = nameless_seen && n.strip_prefix("_duplicated_").is_some_and(|k| k.parse::<u32>().is_ok());
        if n.trim().is_empty() || repeat_of_nameless {
            nameless_seen = true;
            *n = format!("column {}", i + 1);
        }
    }
    names
}
