//! The sizes slarapport accepts, in one place, and the one way input files are opened.
//!
//! Every input is someone's export, and some exports are broken or hostile: a named pipe
//! where `tickets.csv` should be, a 1.3 KB workbook that claims a sheet of 17 billion cells,
//! a zip bomb, a header of a million columns. Each limit below is checked before the memory
//! for it is taken, and ends the run with an `error:` that says what is too big and a
//! `hint:`; the README lists them (section "Limits"). They are far above what real exports
//! need (a large provider's year is a million tickets, about 300 MB of CSV).

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest data file read whole: an export, `tickets.xlsx`, `calls.csv`,
/// `measurements.csv`, and a `tickets.csv` that is not UTF-8.
pub const MAX_DATA_FILE_BYTES: u64 = 2 << 30;
/// The largest `tickets.csv` (UTF-8): it is read in blocks, so only its tickets are held
/// (ten million tickets of a year in the canonical columns take about 2 GiB).
pub const MAX_TICKETS_CSV_BYTES: u64 = (4 << 30) - 1;
/// The most rows of a ticket file rejected before slarapport stops reading it: a rejected
/// row is kept with its file, line, column, value, reason and hint (about 2 KB), and a file
/// with more unreadable rows than this is not the export it should be.
pub const MAX_REJECTED_ROWS: usize = 100_000;
/// The largest small file read: a mapping, an RCA file.
pub const MAX_SMALL_FILE_BYTES: u64 = 16 << 20;
/// The largest record (row) of a CSV file, and so the largest field.
pub const MAX_RECORD_BYTES: usize = 64 << 20;
/// The most columns a header (CSV or sheet) may have.
pub const MAX_COLUMNS: usize = 4_096;
/// The most text an XLSX workbook may unpack to (all its parts together).
pub const MAX_XLSX_UNPACKED_BYTES: u64 = 2 << 30;
/// The most non-empty cells a worksheet may have (rows × columns in use).
pub const MAX_SHEET_CELLS: usize = 50_000_000;
/// How much of a value a message quotes: a longer value is cut, and the message says so.
pub const MAX_SHOWN_CHARS: usize = 200;
/// The largest logo file (SVG or PNG).
pub const MAX_LOGO_BYTES: usize = 4 << 20;
/// The widest and highest PNG logo, in pixels (a logo needs some hundreds; decoded, this is
/// at most 400 MB).
pub const MAX_LOGO_SIDE_PIXELS: u32 = 10_000;
/// The most tickets `slarapport demo` writes: ten years of the largest provider.
pub const MAX_DEMO_TICKETS: u64 = 10_000_000;
/// The most `{Column}` placeholders a mapping's template may hold.
pub const MAX_TEMPLATE_COLUMNS: usize = 64;

/// A size in words: `2 GiB`, `64 MiB`, `1,234 bytes`.
pub fn size(bytes: u64) -> String {
    for (unit, name) in [(1u64 << 30, "GiB"), (1 << 20, "MiB")] {
        if bytes >= unit {
            return if bytes % unit == 0 { format!("{} {name}", bytes / unit) } else { format!("{:.1} {name}", bytes as f64 / unit as f64) };
        }
    }
    format!("{bytes} bytes")
}

/// `value` as a message quotes it: at most [`MAX_SHOWN_CHARS`] characters, and when cut a
/// note saying how long it was.
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(MAX_SHOWN_CHARS) {
        None => value.into(),
        Some((end, _)) => format!("{}… (cut: {} characters in all)", &value[..end], value.chars().count()).into(),
    }
}

/// Reads the regular file `path` whole, at most `limit` bytes. A named pipe, a device or a
/// folder is refused without waiting on it (opened non-blocking, checked on the open file,
/// so it cannot be swapped in between); a larger file is refused before it is read.
pub fn read_file(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let (file, len) = open_file(path, limit, what)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // The file may grow while it is read: never more than the limit.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| cannot_read(path, what, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(path, what, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Opens the regular file `path` of at most `limit` bytes for reading, as [`read_file`] does,
/// for a reader that takes it in parts; returns the file and its length. The reader must not
/// read more than `limit` bytes of it (the file may grow while it is read).
pub fn open_file(path: &Path, limit: u64, what: &str) -> Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let cannot = |e: std::io::Error| cannot_read(path, what, e);
    let file = options.open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() { "a folder" } else { "not a regular file (a pipe, socket or device)" };
        return Err(Error::new(format!("{what} {} is {kind}", path.display()))
            .with_hint("slarapport reads only ordinary files: save the data to a file and pass that"));
    }
    if meta.len() > limit {
        return Err(too_big(path, what, meta.len(), limit));
    }
    Ok((file, meta.len()))
}

/// The error of a file that could not be opened or read.
pub fn cannot_read(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::cannot_read(format_args!("{what} {}", path.display()), e)
}

/// [`read_file`] for a text file (UTF-8).
pub fn read_text_file(path: &Path, limit: u64, what: &str) -> Result<String> {
    let bytes = read_file(path, limit, what)?;
    String::from_utf8(bytes).map_err(|e| {
        Error::new(format!("{what} {} is not UTF-8 text (byte {} is not)", path.display(), e.utf8_error().valid_up_to() + 1))
            .with_hint("save it as UTF-8 (any modern editor does)")
    })
}

/// The error for a ticket file with more than [`MAX_REJECTED_ROWS`] rejected rows; `first`
/// says where the first one is and why.
pub fn too_many_rejected(file: &str, first: &str) -> Error {
    Error::new(format!("{file}: more than {} rows are rejected, so slarapport stops reading it (the first: {first})", MAX_REJECTED_ROWS))
        .with_hint("a file with that many unreadable rows is usually another file than the ticket export, or one of its columns is in another format: look at the row named here, correct the export (or its mapping) and run again")
}

/// The error for a header wider than [`MAX_COLUMNS`] (`what`: the file, or file and sheet).
pub fn too_many_columns(what: &str, limit: usize) -> Error {
    Error::new(format!("{what}: the header has more than {limit} columns"))
        .with_hint(format!("slarapport reads at most {limit} columns: export only the columns the report needs"))
}

/// The error of a file larger than `limit` bytes that slarapport reads.
pub fn too_big(path: &Path, what: &str, len: u64, limit: u64) -> Error {
    Error::new(format!("{what} {} is too large: {}, more than the {} slarapport reads", path.display(), size(len), size(limit)))
        .with_hint("split the data (a report needs only the tickets of its period and the ones still open), or check that this is the right file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values_are_cut_with_a_note() {
        assert_eq!(shown("kort"), "kort");
        let long = "é".repeat(5_000);
        let s = shown(&long);
        assert!(s.starts_with(&"é".repeat(MAX_SHOWN_CHARS)), "{s}");
        assert!(s.ends_with("… (cut: 5000 characters in all)"), "{s}");
        assert_eq!(size(2 << 30), "2 GiB");
        assert_eq!(size(1_500), "1500 bytes");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting() {
        let dir = std::env::temp_dir().join(format!("slarapport-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("tickets.csv");
        let _ = std::fs::remove_file(&fifo);
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_file(&fifo, 100, "tickets file").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e}");
        let e = read_file(&dir, 100, "tickets file").unwrap_err();
        assert!(e.message.contains("a folder"), "{e}");
        std::fs::write(dir.join("big.csv"), vec![b'x'; 101]).unwrap();
        let e = read_file(&dir.join("big.csv"), 100, "tickets file").unwrap_err();
        assert!(e.message.contains("too large") && !e.hints.is_empty(), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
