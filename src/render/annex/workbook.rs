//! The workbook layer every annex writes through: the cell formats, the book being written
//! (`Book`: its sheet names, the rows per list sheet), the cell writer (`Cells`: all text
//! through [`cell_text`] and `write_string`, never a formula), Excel's limits (sheet names,
//! cell text, rows), model dates as Excel dates, and list sheets that continue on numbered
//! sheets. Why it exists: the monthly, quarterly and annual annexes write the same kinds of
//! cells with the same safety rules, so those rules live in one place.

use std::borrow::Cow;
use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use crate::error::Error;
use crate::i18n::Labels;
use crate::report::model::LocalMinute;

/// Excel's limit of rows per worksheet.
const EXCEL_MAX_ROWS: usize = 1_048_576;
/// Data rows on one list sheet: all rows but the header.
pub(super) const LIST_ROWS_PER_SHEET: usize = EXCEL_MAX_ROWS - 1;
/// Excel's limit on the length of a cell's text, in UTF-16 code units.
pub(super) const MAX_CELL_UTF16: usize = 32_767;
/// Excel's limit on the length of a sheet name, in UTF-16 code units.
const MAX_SHEET_NAME_UTF16: usize = 31;

const DATETIME_FORMAT: &str = "dd-mm-yyyy hh:mm";
const DATE_FORMAT: &str = "dd-mm-yyyy";
const EUR_FORMAT: &str = "\"€ \"#,##0.00";
const HEADER_FILL: u32 = 0xD9E1F2;

pub(super) type Res<T = ()> = Result<T, XlsxError>;

/// The cell formats of the annexes. A format reaches the file only when a cell uses it (in
/// the order of first use), so an annex pays nothing for the formats it does not use.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) heading: Format,
    pub(super) header: Format,
    pub(super) bold: Format,
    pub(super) italic: Format,
    pub(super) indent: Format,
    pub(super) wrap: Format,
    pub(super) datetime: Format,
    pub(super) date: Format,
    pub(super) int: Format,
    pub(super) count: Format,
    pub(super) count_bold: Format,
    pub(super) minutes: Format,
    pub(super) pct: Format,
    pub(super) pct_bold: Format,
    pub(super) total_label: Format,
    pub(super) total_count: Format,
    /// KPI figures (0–100 percentages, norms, weights, malus %): two decimals.
    pub(super) dec2: Format,
    pub(super) plain: Format,
    pub(super) dec2_bold: Format,
    pub(super) eur: Format,
    pub(super) eur_bold: Format,
    /// The header of the quarterly and annual tables: white on the house colour.
    pub(super) dark_header: Format,
    /// The header, dates and text of the logs' sheets (improvement actions, complaints,
    /// escalations, commentary).
    pub(super) log_header: Format,
    pub(super) log_date: Format,
    pub(super) log_text: Format,
    /// A percentage below its norm in the annual annex (red, bold), and "no data" (grey).
    pub(super) missed_pct: Format,
    pub(super) no_data: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let bold = Format::new().set_bold();
        let total = bold.clone().set_border_top(FormatBorder::Thin);
        Formats {
            title: bold.clone().set_font_size(14),
            heading: bold.clone().set_font_size(12),
            header: bold
                .clone()
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            italic: Format::new().set_italic(),
            indent: Format::new().set_indent(1),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            datetime: Format::new().set_num_format(DATETIME_FORMAT),
            date: Format::new().set_num_format(DATE_FORMAT),
            int: Format::new().set_num_format("0"),
            count: Format::new().set_num_format("#,##0"),
            count_bold: bold.clone().set_num_format("#,##0"),
            minutes: Format::new().set_num_format("#,##0.00"),
            pct: Format::new().set_num_format("0.00%"),
            pct_bold: bold.clone().set_num_format("0.00%"),
            total_count: total.clone().set_num_format("#,##0"),
            dec2: Format::new().set_num_format("0.00"),
            plain: Format::new(),
            dec2_bold: bold.clone().set_num_format("0.00"),
            eur: Format::new().set_num_format(EUR_FORMAT),
            eur_bold: bold.clone().set_num_format(EUR_FORMAT),
            dark_header: bold
                .clone()
                .set_font_color("#FFFFFF")
                .set_background_color("#0B5F7A")
                .set_border_bottom(FormatBorder::Thin),
            log_header: bold.clone().set_border_bottom(FormatBorder::Thin).set_text_wrap(),
            log_date: Format::new().set_num_format("d-m-yyyy"),
            log_text: Format::new().set_text_wrap(),
            missed_pct: Format::new().set_num_format("0.00%").set_font_color("#B3261E").set_bold(),
            no_data: Format::new().set_italic().set_font_color("#6B7280"),
            total_label: total,
            bold,
        }
    }
}

pub(super) struct Book<'a> {
    pub(super) wb: Workbook,
    pub(super) labels: &'a Labels,
    pub(super) f: Formats,
    /// Sheet names in use, lower-cased (Excel compares them case-insensitively).
    pub(super) names: BTreeSet<String>,
    pub(super) rows_per_sheet: usize,
    /// Long lists in rust_xlsxwriter's low-memory mode (the monthly annex, whose ticket list
    /// can hold a million rows; the quarterly and annual annexes write ordinary sheets).
    pub(super) low_memory: bool,
}

impl<'a> Book<'a> {
    /// An empty book; `low_memory` as in [`Book::low_memory`].
    pub(super) fn new(labels: &'a Labels, rows_per_sheet: usize, low_memory: bool) -> Book<'a> {
        Book {
            wb: Workbook::new(),
            labels,
            f: Formats::new(),
            names: BTreeSet::new(),
            rows_per_sheet: rows_per_sheet.max(1),
            low_memory,
        }
    }

    /// A new sheet named by the label `key`; `part` 2, 3, … adds " (2)", " (3)", ….
    pub(super) fn sheet(&mut self, key: &str, part: usize) -> Res<Worksheet> {
        self.named(key, part, Worksheet::new())
    }

    /// As [`Book::sheet`], without a paper size (the quarterly annex's tables).
    pub(super) fn plain_sheet(&mut self, key: &str) -> Res<Worksheet> {
        self.unique(key, 1, Worksheet::new())
    }

    /// As [`Book::sheet`], for a long list written row after row: each row goes to a
    /// temporary file once the next one starts (rust_xlsxwriter's low-memory mode), instead of
    /// every cell staying in memory until the workbook is saved.
    fn list_sheet(&mut self, key: &str, part: usize) -> Res<Worksheet> {
        let ws = if self.low_memory { self.wb.new_worksheet_with_low_memory()? } else { Worksheet::new() };
        self.named(key, part, ws)
    }

    /// `ws` named after `key` (numbered from `part`, unique in the workbook), on A4.
    fn named(&mut self, key: &str, part: usize, ws: Worksheet) -> Res<Worksheet> {
        let mut ws = self.unique(key, part, ws)?;
        ws.set_paper_size(9); // A4
        Ok(ws)
    }

    /// `ws` named after `key`, numbered from `part` and unique in the workbook.
    fn unique(&mut self, key: &str, part: usize, mut ws: Worksheet) -> Res<Worksheet> {
        let base = sheet_base_name(self.labels.get(key));
        let mut n = part.max(1);
        let name = loop {
            let name = numbered_sheet_name(&base, n);
            if self.names.insert(name.to_lowercase()) {
                break name;
            }
            n += 1;
        };
        ws.set_name(name)?;
        Ok(ws)
    }

    /// `ws` as the second sheet (the charts, after the summary or the headline figures).
    pub(super) fn insert_second(&mut self, ws: Worksheet) {
        let sheets = self.wb.worksheets_mut();
        sheets.insert(sheets.len().min(1), ws);
    }

    pub(super) fn cells<'w>(&'w self, ws: &'w mut Worksheet) -> Cells<'w> {
        Cells {
            ws,
            f: &self.f,
            labels: self.labels,
        }
    }

    pub(super) fn col(&self, key: &str, width: f64) -> Col {
        Col {
            header: self.labels.get(&format!("xlsx.col.{key}")).to_string(),
            width,
        }
    }

    pub(super) fn cols(&self, spec: &[(&str, f64)]) -> Vec<Col> {
        spec.iter()
            .map(|(key, width)| self.col(key, *width))
            .collect()
    }
}

/// The label in `name` made fit for a sheet name: no `[]:*?/\`, no control characters, no
/// leading or trailing apostrophe, never empty.
pub(super) fn sheet_base_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'').trim();
    if trimmed.is_empty() {
        "Sheet".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `base`, or `base (n)` for n > 1, cut to Excel's 31 characters.
pub(super) fn numbered_sheet_name(base: &str, n: usize) -> String {
    let suffix = if n > 1 {
        format!(" ({n})")
    } else {
        String::new()
    };
    let room = MAX_SHEET_NAME_UTF16.saturating_sub(suffix.len());
    let head = truncate_utf16(base, room).trim_end().trim_end_matches('\'');
    format!("{head}{suffix}")
}

/// The longest prefix of `s` of at most `max` UTF-16 code units, cut at a char boundary.
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

/// Text made safe for a cell: control characters other than tab and newline become U+FFFD
/// (CR LF and a lone CR become a newline), as do the non-characters U+FFFE and U+FFFF;
/// text over Excel's limit is cut and ends in an ellipsis.
pub(super) fn cell_text(s: &str) -> Cow<'_, str> {
    let bad =
        |c: char| (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}';
    let mut out: Cow<'_, str> = if s.chars().any(bad) {
        let mut t = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    chars.next_if_eq(&'\n');
                    t.push('\n');
                }
                c if bad(c) => t.push('\u{FFFD}'),
                c => t.push(c),
            }
        }
        Cow::Owned(t)
    } else {
        Cow::Borrowed(s)
    };
    if out.len() > MAX_CELL_UTF16 && out.encode_utf16().count() > MAX_CELL_UTF16 {
        let mut t = truncate_utf16(&out, MAX_CELL_UTF16 - 1).to_string();
        t.push('…');
        out = Cow::Owned(t);
    }
    out
}

pub(super) fn excel_date_from(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(
        year,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// An instant written as text (local `YYYY-MM-DDTHH:MM`) as an Excel datetime.
pub(super) fn excel_datetime(s: &str) -> Option<ExcelDateTime> {
    excel_datetime_from(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()?)
}

/// A local instant as an Excel datetime (to the minute).
pub(super) fn excel_datetime_from(t: NaiveDateTime) -> Option<ExcelDateTime> {
    let hour = u16::try_from(t.hour()).ok()?;
    excel_date_from(t.date())?
        .and_hms(hour, u8::try_from(t.minute()).ok()?, 0)
        .ok()
}

/// A row index as Excel's type; past Excel's range it is an error, not a wrap-around.
pub(super) fn rix(i: usize) -> Res<u32> {
    u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

pub(super) fn cix(i: usize) -> Res<u16> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A column of a list: its header text and width (in characters).
pub(super) struct Col {
    pub(super) header: String,
    pub(super) width: f64,
}

/// A value in a label–value block.
pub(super) enum Value<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    DateTime(LocalMinute),
    Count(u64),
    Pct(Option<f64>),
    YesNo(bool),
}

/// Writes cells on one worksheet; all text goes through [`cell_text`] and `write_string`.
pub(super) struct Cells<'a> {
    pub(super) ws: &'a mut Worksheet,
    pub(super) f: &'a Formats,
    pub(super) labels: &'a Labels,
}

impl Cells<'_> {
    pub(super) fn text(&mut self, row: u32, col: u16, s: &str) -> Res {
        self.ws.write_string(row, col, cell_text(s))?;
        Ok(())
    }

    pub(super) fn text_with(&mut self, row: u32, col: u16, s: &str, format: &Format) -> Res {
        self.ws
            .write_string_with_format(row, col, cell_text(s), format)?;
        Ok(())
    }

    /// The label for `key` (a full key such as `xlsx.col.school`).
    pub(super) fn label_with(&mut self, row: u32, col: u16, key: &str, format: &Format) -> Res {
        let labels = self.labels;
        self.text_with(row, col, labels.get(key), format)
    }

    /// A model key translated through the label table `table` (`status`, `priority`, …);
    /// a key without a label is shown as it is, an empty one as an empty cell.
    pub(super) fn tr(&mut self, row: u32, col: u16, table: &str, key: &str) -> Res {
        let shown = translate(self.labels, table, key);
        self.text(row, col, &shown)
    }

    pub(super) fn tr_with(&mut self, row: u32, col: u16, table: &str, key: &str, format: &Format) -> Res {
        let shown = translate(self.labels, table, key);
        self.text_with(row, col, &shown, format)
    }

    /// A live formula with its cached result (the model's value, so that a reader that does
    /// not recalculate shows the report's figure); see `formulas::cached` for the result's
    /// text.
    pub(super) fn formula(&mut self, row: u32, col: u16, formula: &str, result: String, format: &Format) -> Res {
        self.ws.write_formula_with_format(row, col, Formula::new(formula).set_result(result), format)?;
        Ok(())
    }

    pub(super) fn number(&mut self, row: u32, col: u16, x: f64, format: &Format) -> Res {
        self.ws.write_number_with_format(row, col, x, format)?;
        Ok(())
    }

    /// A number in Excel's General format.
    pub(super) fn general(&mut self, row: u32, col: u16, x: f64) -> Res {
        self.ws.write_number(row, col, x)?;
        Ok(())
    }

    pub(super) fn opt_number(&mut self, row: u32, col: u16, x: Option<f64>, format: &Format) -> Res {
        match x {
            Some(x) => self.number(row, col, x, format),
            None => Ok(()),
        }
    }

    pub(super) fn count(&mut self, row: u32, col: u16, n: u64) -> Res {
        let f = self.f;
        self.number(row, col, n as f64, &f.count)
    }

    pub(super) fn minutes(&mut self, row: u32, col: u16, x: Option<f64>) -> Res {
        let f = self.f;
        self.opt_number(row, col, x, &f.minutes)
    }

    /// A model percentage (0–100) as a fraction with a percent format.
    pub(super) fn pct_with(&mut self, row: u32, col: u16, pct: Option<f64>, format: &Format) -> Res {
        self.opt_number(row, col, pct.map(|p| p / 100.0), format)
    }

    /// An Excel datetime in the datetime format.
    pub(super) fn datetime(&mut self, row: u32, col: u16, dt: &ExcelDateTime) -> Res {
        self.ws.write_datetime_with_format(row, col, dt, &self.f.datetime)?;
        Ok(())
    }

    /// A model instant as an Excel datetime; one outside Excel's dates is kept as text.
    pub(super) fn minute(&mut self, row: u32, col: u16, t: Option<LocalMinute>) -> Res {
        let Some(t) = t else { return Ok(()) };
        match excel_datetime_from(t.get()) {
            Some(dt) => self.datetime(row, col, &dt),
            None => self.text(row, col, &t.to_string()),
        }
    }

    /// A model day as an Excel date; one outside Excel's dates is kept as text.
    pub(super) fn day(&mut self, row: u32, col: u16, d: Option<NaiveDate>) -> Res {
        let Some(d) = d else { return Ok(()) };
        match excel_date_from(d) {
            Some(x) => {
                self.ws
                    .write_datetime_with_format(row, col, &x, &self.f.date)?;
                Ok(())
            }
            None => self.text(row, col, &d.to_string()),
        }
    }

    pub(super) fn yes_no(&mut self, row: u32, col: u16, b: bool) -> Res {
        let labels = self.labels;
        self.text(row, col, labels.get(if b { "xlsx.yes" } else { "xlsx.no" }))
    }

    pub(super) fn value(&mut self, row: u32, col: u16, v: &Value) -> Res {
        let f = self.f;
        match *v {
            Value::Text(s) => self.text(row, col, s),
            Value::Date(d) => self.day(row, col, d),
            Value::DateTime(t) => self.minute(row, col, Some(t)),
            Value::Count(n) => self.count(row, col, n),
            Value::Pct(p) => self.pct_with(row, col, p, &f.pct),
            Value::YesNo(b) => self.yes_no(row, col, b),
        }
    }

    /// Label–value pairs from `row` down; returns the next free row.
    pub(super) fn pairs(&mut self, mut row: u32, pairs: &[(&str, Value)]) -> Res<u32> {
        let labels = self.labels;
        for (key, value) in pairs {
            let label = labels.get(key);
            self.text(row, 0, label)?;
            self.value(row, 1, value)?;
            row += 1;
        }
        Ok(row)
    }

    pub(super) fn heading(&mut self, row: u32, key: &str) -> Res {
        let f = self.f;
        self.label_with(row, 0, key, &f.heading)
    }

    /// A header row from column 0, setting the columns' widths.
    pub(super) fn header(&mut self, row: u32, cols: &[Col]) -> Res {
        let f = self.f;
        for (j, c) in cols.iter().enumerate() {
            let j = cix(j)?;
            self.text_with(row, j, &c.header, &f.header)?;
            self.ws.set_column_width(j, c.width)?;
        }
        Ok(())
    }

    /// A header row of the quarterly and annual tables (white on the house colour) from
    /// column 0; returns the next row.
    pub(super) fn dark_header(&mut self, row: u32, texts: &[String]) -> Res<u32> {
        let f = self.f;
        for (j, text) in texts.iter().enumerate() {
            self.text_with(row, cix(j)?, text, &f.dark_header)?;
        }
        Ok(row + 1)
    }

    /// A header row without touching the widths (for a second block on a sheet).
    pub(super) fn header_texts(&mut self, row: u32, cols: &[Col]) -> Res {
        let f = self.f;
        for (j, c) in cols.iter().enumerate() {
            self.text_with(row, cix(j)?, &c.header, &f.header)?;
        }
        Ok(())
    }

    /// The line "(none)" under an empty list.
    pub(super) fn none(&mut self, row: u32) -> Res {
        let f = self.f;
        self.label_with(row, 0, "xlsx.none", &f.italic)
    }
}

/// The document's properties: its creation time is the report's `generated_on` (midnight),
/// so the file is reproducible.
pub(super) fn properties(title: &str, subject: Option<&str>, company: &str, generated_on: NaiveDate) -> Res<DocProperties> {
    let created = excel_date_from(generated_on)
        .ok_or_else(|| XlsxError::ParameterError(format!("generated_on {generated_on} is not a date Excel can hold")))?;
    let p = DocProperties::new().set_title(cell_text(title)).set_company(cell_text(company));
    Ok(match subject {
        Some(s) => p.set_subject(cell_text(s)),
        None => p,
    }
    .set_creation_datetime(&created))
}

/// A writer's error as the tool's: "cannot write the {what}: …".
pub(super) fn annex_error(what: &'static str) -> impl Fn(XlsxError) -> Error {
    move |e| Error::new(format!("cannot write the {what}: {e}"))
}

pub(super) fn translate<'a>(labels: &'a Labels, table: &str, key: &'a str) -> Cow<'a, str> {
    if key.is_empty() {
        return Cow::Borrowed("");
    }
    match labels.0.get(&format!("{table}.{key}")) {
        Some(s) => Cow::Borrowed(s.as_str()),
        None => Cow::Borrowed(key),
    }
}

/// Print set-up shared by the sheets: landscape, one page wide, header rows repeated.
pub(super) fn print_setup(ws: &mut Worksheet, repeat_row: Option<u32>) -> Res {
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    if let Some(r) = repeat_row {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

/// A list on one or more sheets: header in row 0 (frozen, filtered, repeated on print), one
/// item per row, continuing on "Name (2)", "Name (3)", … past `rows_per_sheet` items.
pub(super) fn list_sheets<T>(
    b: &mut Book,
    sheet_key: &str,
    cols: &[Col],
    items: &[T],
    mut write: impl FnMut(&mut Cells, u32, &T) -> Res,
) -> Res {
    let mut chunks: Vec<&[T]> = items.chunks(b.rows_per_sheet).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    for (i, chunk) in chunks.into_iter().enumerate() {
        let mut ws = b.list_sheet(sheet_key, i + 1)?;
        {
            let mut c = b.cells(&mut ws);
            c.header(0, cols)?;
            for (k, item) in chunk.iter().enumerate() {
                write(&mut c, rix(k + 1)?, item)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, rix(chunk.len())?, cix(cols.len().saturating_sub(1))?)?;
        print_setup(&mut ws, Some(0))?;
        b.wb.push_worksheet(ws);
    }
    Ok(())
}

/// A count of rows as a row offset; past Excel's range it saturates (the writer then
/// reports the range error).
pub(super) fn n_rows(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}
