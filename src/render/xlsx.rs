//! The Excel annex of the monthly report: the report model laid out as worksheets.
//!
//! Why it exists: the PDF shows the figures; the annex gives the same figures as numbers a
//! spreadsheet can filter, sort and recount, and lists every evaluated ticket, so the client
//! can trace any figure back to the rows it was made from.
//!
//! Invariants:
//! - It reads the [`Monthly`] model and formats it; it decides nothing about what counts.
//! - Every visible word comes from [`Labels`] (`xlsx.*` and the enum tables such as
//!   `status.*`), so `--lang en` changes every word. Values the model holds as keys
//!   (ticket types, priorities, statuses, …) are translated; data (schools, summaries) is not.
//! - Data is text, never code: every string goes through `write_string`, so a summary such
//!   as `=SOM(A1:A3)`, `+31 6…`, `-` or `@docent` is a literal string cell, never a formula.
//!   Control characters other than tab and newline become U+FFFD (CR LF and a lone CR become
//!   a newline), and text beyond Excel's 32,767-character cell limit is cut with an ellipsis.
//! - Numbers are numbers: counts and business minutes as numbers, percentages as fractions
//!   with a percent format (an empty cell when the model has none), instants as Excel
//!   datetimes (`dd-mm-yyyy hh:mm`), days as Excel dates.
//! - Deterministic: the same model gives byte-identical bytes. Nothing reads the clock; the
//!   document's creation time is the report's `generated_on` (midnight).
//! - Never panics: writer problems (such as more columns than Excel has) come back as
//!   [`Error`].
//!
//! - The KPI sheet is live: achievements, domain scores, malus and escalation are Excel
//!   formulas over the sheet's own measured values, norms and weights, each with the model's
//!   (unrounded) value as its cached result, so a reader that does not recalculate shows the
//!   report's figures and one that does gets the same figures back.
//!
//! - The charts sheet ("Grafieken", second) holds native Excel charts of what the PDF
//!   charts: attainment per priority (with the malus staircase's limits as lines), the
//!   domain scores, tickets per school. Their series refer to the cells of the sheets that
//!   show those figures; where a chart needs another order or shape (schools by number of
//!   tickets, a limit per priority) a small helper table beside it holds formulas referring
//!   to those cells (a school's name there is a reference to its cell, never its text as a
//!   formula; a name whose cached result would not read back as text is written as text).
//!
//! Sheets, in this order: summary, charts, KPIs, volumes (school × category), incidents
//! (school × category), type × priority, response attainment, resolution attainment,
//! breaches, backlog, recurring issues, P1s and RCA, tickets, data quality. Excel allows 1,048,576 rows per sheet, so a
//! list sheet (breaches, backlog, P1s, tickets) holds at most 1,048,575 rows under its header
//! and a longer list continues on sheets named "Tickets (2)", "Tickets (3)", … with the same
//! header. The data-quality lists share one sheet and are capped at [`DQ_MAX_ROWS`] rows
//! each, followed by a line saying how many more the JSON file holds.

use std::borrow::Cow;
use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell, row_col_to_cell_absolute};
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartFormat, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartMarker, ChartSolidFill, Color, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::contract::{Direction, Frequency, KpiSource, PriorityCombination, Unit};
use crate::error::Error;
use crate::i18n::{Labels, format_number, format_pct, month_label};
use crate::kpi::{DomainResult, KpiResult, KpiSection};
use crate::report::changes::Changes;
use crate::report::model::{
    Accounting, AttainmentRow, CrossTable, LocalMinute, Meta, Monthly, MonthlyReport, SparseCrossTable, Summary,
};

/// Excel's limit of rows per worksheet.
const EXCEL_MAX_ROWS: usize = 1_048_576;
/// Data rows on one list sheet: all rows but the header.
const LIST_ROWS_PER_SHEET: usize = EXCEL_MAX_ROWS - 1;
/// Rows per list (rejections, warnings) on the data-quality sheet.
pub const DQ_MAX_ROWS: usize = 100_000;
/// Excel's limit on the length of a cell's text, in UTF-16 code units.
const MAX_CELL_UTF16: usize = 32_767;
/// Excel's limit on the length of a sheet name, in UTF-16 code units.
const MAX_SHEET_NAME_UTF16: usize = 31;

const DATETIME_FORMAT: &str = "dd-mm-yyyy hh:mm";
const DATE_FORMAT: &str = "dd-mm-yyyy";
const EUR_FORMAT: &str = "\"€ \"#,##0.00";
const HEADER_FILL: u32 = 0xD9E1F2;

type Res<T = ()> = Result<T, XlsxError>;

/// The Excel annex of a monthly report, as the bytes of an `.xlsx` file.
pub fn monthly_xlsx(m: &Monthly, labels: &Labels) -> Result<Vec<u8>, Error> {
    monthly_xlsx_with_cached(m, labels, false)
}

/// The cached result every formula gets in a poisoned annex: no KPI figure can be this.
#[doc(hidden)]
pub const POISONED_RESULT: f64 = -12345.678;

/// [`monthly_xlsx`]; with `poison`, every formula's cached result is [`POISONED_RESULT`]
/// instead of the model's value. For tests only: they prove that a spreadsheet program
/// really recalculates the formulas (the poisoned values must disappear).
#[doc(hidden)]
pub fn monthly_xlsx_with_cached(
    m: &Monthly,
    labels: &Labels,
    poison: bool,
) -> Result<Vec<u8>, Error> {
    write_workbook(m, labels, LIST_ROWS_PER_SHEET, poison)
        .map_err(|e| Error::new(format!("cannot write the Excel annex: {e}")))
}

/// [`monthly_xlsx`] with a configurable number of data rows per list sheet (tests use a
/// small one to exercise the continuation sheets).
fn write_workbook(
    m: &Monthly,
    labels: &Labels,
    rows_per_sheet: usize,
    poison: bool,
) -> Res<Vec<u8>> {
    let r = &m.report;
    let mut b = Book {
        wb: Workbook::new(),
        labels,
        f: Formats::new(),
        names: BTreeSet::new(),
        rows_per_sheet: rows_per_sheet.max(1),
        poison,
        low_memory: true,
    };
    b.wb.set_properties(&properties(&r.meta, labels)?);
    // Excel's own level (README, "What the PDF carries"): 30 % faster than the default 6
    // for a file a few per cent larger.
    b.wb.set_zip_compression_level(3);

    summary_sheet(&mut b, r)?;
    let kpi = kpi_sheet(&mut b, &r.kpis)?;
    let v = &r.volumes;
    let school = CrossLabels {
        sheet: "xlsx.sheet.volumes",
        heading: "xlsx.heading.volumes",
        corner: "xlsx.col.school",
        rows: None,
        columns: None,
    };
    let volumes = cross_sheet(&mut b, &school, &v.by_school_category)?;
    let incidents = CrossLabels {
        sheet: "xlsx.sheet.incidents",
        heading: "xlsx.heading.incidents",
        ..school
    };
    cross_sheet(&mut b, &incidents, &v.incidents_by_school_category)?;
    let type_priority = CrossLabels {
        sheet: "xlsx.sheet.type_priority",
        heading: "xlsx.heading.type_priority",
        corner: "xlsx.col.ticket_type",
        rows: Some("ticket_type"),
        columns: Some("priority"),
    };
    cross_sheet(&mut b, &type_priority, &v.by_type_priority)?;
    let a = &r.attainment;
    let response = attainment_sheet(&mut b, "response", &a.response, &a.response_by_priority)?;
    let resolution = attainment_sheet(
        &mut b,
        "resolution",
        &a.resolution,
        &a.resolution_by_priority,
    )?;
    breaches_sheets(&mut b, r)?;
    backlog_sheets(&mut b, r)?;
    recurring_sheet(&mut b, r)?;
    p1_sheets(&mut b, r)?;
    priority_override_sheets(&mut b, r)?;
    for ws in super::xlsx_voice::voice_sheets(&r.voice, labels)? {
        b.names.insert(ws.name().to_lowercase());
        b.wb.push_worksheet(ws);
    }
    if let Some(ws) = super::xlsx_voice::commentary_sheet(&r.commentary, labels)? {
        b.names.insert(ws.name().to_lowercase());
        b.wb.push_worksheet(ws);
    }
    ticket_sheets(&mut b, m)?;
    data_quality_sheet(&mut b, r)?;
    if let Some(ch) = &r.changes {
        changes_sheets(&mut b, ch)?;
    }
    let sources = ChartSources {
        kpi,
        volumes,
        response,
        resolution,
    };
    charts_sheet(&mut b, r, &sources)?;
    b.wb.save_to_buffer()
}

/// Creation time (from `generated_on`, so the file is reproducible), title, subject, company.
fn properties(meta: &Meta, labels: &Labels) -> Res<DocProperties> {
    let created = excel_date_from(meta.generated_on).ok_or_else(|| {
        XlsxError::ParameterError(format!(
            "generated_on {} is not a date Excel can hold",
            meta.generated_on
        ))
    })?;
    let title = labels
        .get("xlsx.title")
        .replace("{period}", &month_label(&meta.period, labels));
    let subject = format!("{} — {}", meta.contract_name, meta.client);
    Ok(DocProperties::new()
        .set_title(cell_text(&title))
        .set_subject(cell_text(&subject))
        .set_company(cell_text(&meta.provider))
        .set_creation_datetime(&created))
}

// ---------------------------------------------------------------------------------------
// Workbook plumbing: formats, sheet names, cell writers.
// ---------------------------------------------------------------------------------------

struct Formats {
    title: Format,
    heading: Format,
    header: Format,
    bold: Format,
    italic: Format,
    indent: Format,
    wrap: Format,
    datetime: Format,
    date: Format,
    int: Format,
    count: Format,
    count_bold: Format,
    minutes: Format,
    pct: Format,
    pct_bold: Format,
    total_label: Format,
    total_count: Format,
    /// KPI figures (0–100 percentages, norms, weights, malus %): two decimals.
    dec2: Format,
    plain: Format,
    dec2_bold: Format,
    eur: Format,
    eur_bold: Format,
}

impl Formats {
    fn new() -> Formats {
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
            total_label: total,
            bold,
        }
    }
}

struct Book<'a> {
    wb: Workbook,
    labels: &'a Labels,
    f: Formats,
    /// Sheet names in use, lower-cased (Excel compares them case-insensitively).
    names: BTreeSet<String>,
    rows_per_sheet: usize,
    /// Write [`POISONED_RESULT`] as every formula's cached result (tests only).
    poison: bool,
    /// Long lists in rust_xlsxwriter's low-memory mode. Only for sheets that stay in this
    /// book's workbook: a low-memory sheet belongs to the workbook that made it, so sheets
    /// made for another workbook (the quarterly annex's changes) are ordinary ones.
    low_memory: bool,
}

impl Book<'_> {
    /// A new sheet named by the label `key`; `part` 2, 3, … adds " (2)", " (3)", ….
    fn sheet(&mut self, key: &str, part: usize) -> Res<Worksheet> {
        self.named(key, part, Worksheet::new())
    }

    /// As [`Book::sheet`], for a long list written row after row: each row goes to a
    /// temporary file once the next one starts (rust_xlsxwriter's low-memory mode), instead of
    /// every cell staying in memory until the workbook is saved.
    fn list_sheet(&mut self, key: &str, part: usize) -> Res<Worksheet> {
        let ws = if self.low_memory { self.wb.new_worksheet_with_low_memory()? } else { Worksheet::new() };
        self.named(key, part, ws)
    }

    /// `ws` named after `key` (numbered from `part`, unique in the workbook), on A4.
    fn named(&mut self, key: &str, part: usize, mut ws: Worksheet) -> Res<Worksheet> {
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
        ws.set_paper_size(9); // A4
        Ok(ws)
    }

    fn cells<'w>(&'w self, ws: &'w mut Worksheet) -> Cells<'w> {
        Cells {
            ws,
            f: &self.f,
            labels: self.labels,
            poison: self.poison,
        }
    }

    fn col(&self, key: &str, width: f64) -> Col {
        Col {
            header: self.labels.get(&format!("xlsx.col.{key}")).to_string(),
            width,
        }
    }

    fn cols(&self, spec: &[(&str, f64)]) -> Vec<Col> {
        spec.iter()
            .map(|(key, width)| self.col(key, *width))
            .collect()
    }
}

/// The label in `name` made fit for a sheet name: no `[]:*?/\`, no control characters, no
/// leading or trailing apostrophe, never empty.
pub(crate) fn sheet_base_name(name: &str) -> String {
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
pub(crate) fn numbered_sheet_name(base: &str, n: usize) -> String {
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
pub(crate) fn cell_text(s: &str) -> Cow<'_, str> {
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

fn excel_date_from(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(
        year,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// A model instant, local `YYYY-MM-DDTHH:MM`.
fn excel_datetime(s: &str) -> Option<ExcelDateTime> {
    excel_datetime_from(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()?)
}

fn excel_datetime_from(t: NaiveDateTime) -> Option<ExcelDateTime> {
    let hour = u16::try_from(t.hour()).ok()?;
    excel_date_from(t.date())?
        .and_hms(hour, u8::try_from(t.minute()).ok()?, 0)
        .ok()
}

/// A row index as Excel's type; past Excel's range it is an error, not a wrap-around.
fn rix(i: usize) -> Res<u32> {
    u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

fn cix(i: usize) -> Res<u16> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// A column of a list: its header text and width (in characters).
struct Col {
    header: String,
    width: f64,
}

/// A value in a label–value block.
enum Value<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    DateTime(LocalMinute),
    Count(u64),
    Pct(Option<f64>),
    YesNo(bool),
}

/// Writes cells on one worksheet; all text goes through [`cell_text`] and `write_string`.
struct Cells<'a> {
    ws: &'a mut Worksheet,
    f: &'a Formats,
    labels: &'a Labels,
    poison: bool,
}

impl Cells<'_> {
    fn text(&mut self, row: u32, col: u16, s: &str) -> Res {
        self.ws.write_string(row, col, cell_text(s))?;
        Ok(())
    }

    fn text_with(&mut self, row: u32, col: u16, s: &str, format: &Format) -> Res {
        self.ws
            .write_string_with_format(row, col, cell_text(s), format)?;
        Ok(())
    }

    /// The label for `key` (a full key such as `xlsx.col.school`).
    fn label_with(&mut self, row: u32, col: u16, key: &str, format: &Format) -> Res {
        let labels = self.labels;
        self.text_with(row, col, labels.get(key), format)
    }

    /// A model key translated through the label table `table` (`status`, `priority`, …);
    /// a key without a label is shown as it is, an empty one as an empty cell.
    fn tr(&mut self, row: u32, col: u16, table: &str, key: &str) -> Res {
        let shown = translate(self.labels, table, key);
        self.text(row, col, &shown)
    }

    fn tr_with(&mut self, row: u32, col: u16, table: &str, key: &str, format: &Format) -> Res {
        let shown = translate(self.labels, table, key);
        self.text_with(row, col, &shown, format)
    }

    /// A live formula with its cached result (the model's value, so that a reader that does
    /// not recalculate shows the report's figure); see [`cached`] for the result's text.
    fn formula(
        &mut self,
        row: u32,
        col: u16,
        formula: &str,
        result: String,
        format: &Format,
    ) -> Res {
        let result = if self.poison {
            POISONED_RESULT.to_string()
        } else {
            result
        };
        self.ws.write_formula_with_format(
            row,
            col,
            Formula::new(formula).set_result(result),
            format,
        )?;
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, x: f64, format: &Format) -> Res {
        self.ws.write_number_with_format(row, col, x, format)?;
        Ok(())
    }

    fn opt_number(&mut self, row: u32, col: u16, x: Option<f64>, format: &Format) -> Res {
        match x {
            Some(x) => self.number(row, col, x, format),
            None => Ok(()),
        }
    }

    fn count(&mut self, row: u32, col: u16, n: u64) -> Res {
        let f = self.f;
        self.number(row, col, n as f64, &f.count)
    }

    fn minutes(&mut self, row: u32, col: u16, x: Option<f64>) -> Res {
        let f = self.f;
        self.opt_number(row, col, x, &f.minutes)
    }

    /// A model percentage (0–100) as a fraction with a percent format.
    fn pct_with(&mut self, row: u32, col: u16, pct: Option<f64>, format: &Format) -> Res {
        self.opt_number(row, col, pct.map(|p| p / 100.0), format)
    }

    /// An instant written as text (`YYYY-MM-DDTHH:MM`) as an Excel datetime; an unparsable
    /// one is kept as text.
    fn datetime(&mut self, row: u32, col: u16, s: Option<&str>) -> Res {
        let Some(s) = s else { return Ok(()) };
        match NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
            Ok(t) => self.minute(row, col, Some(LocalMinute::new(t))),
            Err(_) => self.text(row, col, s),
        }
    }

    /// A model instant as an Excel datetime; one outside Excel's dates is kept as text.
    fn minute(&mut self, row: u32, col: u16, t: Option<LocalMinute>) -> Res {
        let Some(t) = t else { return Ok(()) };
        match excel_datetime_from(t.get()) {
            Some(dt) => {
                self.ws
                    .write_datetime_with_format(row, col, &dt, &self.f.datetime)?;
                Ok(())
            }
            None => self.text(row, col, &t.to_string()),
        }
    }

    /// A model day as an Excel date; one outside Excel's dates is kept as text.
    fn day(&mut self, row: u32, col: u16, d: Option<NaiveDate>) -> Res {
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

    fn yes_no(&mut self, row: u32, col: u16, b: bool) -> Res {
        let labels = self.labels;
        self.text(row, col, labels.get(if b { "xlsx.yes" } else { "xlsx.no" }))
    }

    fn value(&mut self, row: u32, col: u16, v: &Value) -> Res {
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
    fn pairs(&mut self, mut row: u32, pairs: &[(&str, Value)]) -> Res<u32> {
        let labels = self.labels;
        for (key, value) in pairs {
            let label = labels.get(key);
            self.text(row, 0, label)?;
            self.value(row, 1, value)?;
            row += 1;
        }
        Ok(row)
    }

    fn heading(&mut self, row: u32, key: &str) -> Res {
        let f = self.f;
        self.label_with(row, 0, key, &f.heading)
    }

    /// A header row from column 0, setting the columns' widths.
    fn header(&mut self, row: u32, cols: &[Col]) -> Res {
        let f = self.f;
        for (j, c) in cols.iter().enumerate() {
            let j = cix(j)?;
            self.text_with(row, j, &c.header, &f.header)?;
            self.ws.set_column_width(j, c.width)?;
        }
        Ok(())
    }

    /// A header row without touching the widths (for a second block on a sheet).
    fn header_texts(&mut self, row: u32, cols: &[Col]) -> Res {
        let f = self.f;
        for (j, c) in cols.iter().enumerate() {
            self.text_with(row, cix(j)?, &c.header, &f.header)?;
        }
        Ok(())
    }

    /// The line "(none)" under an empty list.
    fn none(&mut self, row: u32) -> Res {
        let f = self.f;
        self.label_with(row, 0, "xlsx.none", &f.italic)
    }
}

fn translate<'a>(labels: &'a Labels, table: &str, key: &'a str) -> Cow<'a, str> {
    if key.is_empty() {
        return Cow::Borrowed("");
    }
    match labels.0.get(&format!("{table}.{key}")) {
        Some(s) => Cow::Borrowed(s.as_str()),
        None => Cow::Borrowed(key),
    }
}

/// Print set-up shared by the sheets: landscape, one page wide, header rows repeated.
fn print_setup(ws: &mut Worksheet, repeat_row: Option<u32>) -> Res {
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    if let Some(r) = repeat_row {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

/// A list on one or more sheets: header in row 0 (frozen, filtered, repeated on print), one
/// item per row, continuing on "Name (2)", "Name (3)", … past `rows_per_sheet` items.
fn list_sheets<T>(
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

// ---------------------------------------------------------------------------------------
// The sheets.
// ---------------------------------------------------------------------------------------

/// Meta, input files, headline figures and the accounting of the input rows.
fn summary_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
    let mut ws = b.sheet("xlsx.sheet.summary", 1)?;
    let meta = &r.meta;
    let period = month_label(&meta.period, b.labels);
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        for (col, width) in [(0, 46.0), (1, 66.0), (2, 12.0)] {
            c.ws.set_column_width(col, width)?;
        }
        let title = b.labels.get("xlsx.title").replace("{period}", &period);
        c.text_with(0, 0, &title, &f.title)?;

        c.heading(2, "xlsx.heading.meta")?;
        let row = c.pairs(
            3,
            &[
                ("xlsx.meta.client", Value::Text(&meta.client)),
                ("xlsx.meta.provider", Value::Text(&meta.provider)),
                ("xlsx.meta.contract", Value::Text(&meta.contract_name)),
                ("xlsx.meta.period", Value::Text(&period)),
                ("xlsx.meta.period_start", Value::Date(Some(meta.period_start))),
                ("xlsx.meta.period_end", Value::Date(Some(meta.period_end))),
                ("xlsx.meta.cutoff", Value::DateTime(meta.cutoff)),
                ("xlsx.meta.generated_on", Value::Date(Some(meta.generated_on))),
                ("xlsx.meta.due_on", Value::Date(meta.due_on)),
                ("xlsx.meta.late", Value::YesNo(meta.late)),
                ("xlsx.meta.time_zone", Value::Text(&meta.time_zone)),
                (
                    "xlsx.meta.service_window",
                    Value::Text(&meta.service_window),
                ),
                (
                    "xlsx.meta.contract_source",
                    Value::Text(&meta.contract_source),
                ),
                (
                    "xlsx.meta.contract_sha256",
                    Value::Text(&meta.contract_sha256),
                ),
                ("xlsx.meta.tool_version", Value::Text(&meta.tool_version)),
            ],
        )?;

        let mut row = row + 1;
        c.heading(row, "xlsx.heading.inputs")?;
        row += 1;
        c.header_texts(
            row,
            &b.cols(&[("file", 0.0), ("sha256", 0.0), ("rows", 0.0)]),
        )?;
        row += 1;
        if meta.inputs.is_empty() {
            c.none(row)?;
            row += 1;
        }
        for input in &meta.inputs {
            c.text(row, 0, &input.name)?;
            c.text(row, 1, &input.sha256)?;
            c.count(row, 2, input.rows)?;
            row += 1;
        }

        row += 1;
        c.heading(row, "xlsx.heading.summary")?;
        row = c.pairs(row + 1, &summary_pairs(&r.summary))?;

        row += 1;
        c.heading(row, "xlsx.heading.accounting")?;
        accounting_block(&mut c, row + 1, &r.data_quality.accounting)?;
    }
    print_setup(&mut ws, None)?;
    b.wb.push_worksheet(ws);
    Ok(())
}

fn summary_pairs(s: &Summary) -> Vec<(&'static str, Value<'static>)> {
    vec![
        (
            "xlsx.summary.tickets_opened",
            Value::Count(s.tickets_opened),
        ),
        (
            "xlsx.summary.incidents_opened",
            Value::Count(s.incidents_opened),
        ),
        (
            "xlsx.summary.service_requests_opened",
            Value::Count(s.service_requests_opened),
        ),
        (
            "xlsx.summary.changes_opened",
            Value::Count(s.changes_opened),
        ),
        (
            "xlsx.summary.tickets_resolved",
            Value::Count(s.tickets_resolved),
        ),
        ("xlsx.summary.response_pct", Value::Pct(s.response_pct)),
        ("xlsx.summary.resolution_pct", Value::Pct(s.resolution_pct)),
        (
            "xlsx.summary.response_breaches",
            Value::Count(s.response_breaches),
        ),
        (
            "xlsx.summary.resolution_breaches",
            Value::Count(s.resolution_breaches),
        ),
        (
            "xlsx.summary.backlog_overdue",
            Value::Count(s.backlog_overdue),
        ),
        ("xlsx.summary.p1_count", Value::Count(s.p1_count)),
        (
            "xlsx.summary.rca_overdue_or_late",
            Value::Count(s.rca_overdue_or_late),
        ),
        ("xlsx.summary.rows_rejected", Value::Count(s.rows_rejected)),
        ("xlsx.summary.warnings", Value::Count(s.warnings)),
    ]
}

/// rows read = counted + excluded (per reason) + rejected; returns the next free row.
fn accounting_block(c: &mut Cells, mut row: u32, a: &Accounting) -> Res<u32> {
    let f = c.f;
    row = c.pairs(
        row,
        &[
            ("xlsx.accounting.rows_read", Value::Count(a.rows_read)),
            ("xlsx.accounting.counted", Value::Count(a.counted)),
            ("xlsx.accounting.excluded", Value::Count(a.excluded)),
        ],
    )?;
    for e in a.excluded_by_reason.by_reason() {
        c.tr_with(row, 0, "exclusion", e.reason, &f.indent)?;
        c.count(row, 1, e.rows)?;
        row += 1;
    }
    c.pairs(
        row,
        &[
            ("xlsx.accounting.rejected", Value::Count(a.rejected)),
            ("xlsx.accounting.balanced", Value::YesNo(a.balanced)),
        ],
    )
}

/// The first data row of a cross table's sheet (heading, blank, header above it).
const CROSS_FIRST_ROW: u32 = 3;

/// Which labels a cross table uses: rows and columns are translated through a label table
/// when given (`ticket_type`, `priority`), shown as they are otherwise (schools, categories).
#[derive(Clone, Copy)]
struct CrossLabels {
    sheet: &'static str,
    heading: &'static str,
    corner: &'static str,
    rows: Option<&'static str>,
    columns: Option<&'static str>,
}

/// A cross table as the annex writes it: dense tables (types × priorities) give every cell,
/// zeros included; sparse ones (schools × categories) only the cells with tickets, so a
/// table of 2,000 × 2,000 writes its few thousand counts and leaves the rest of the sheet
/// empty (an empty cell is 0; the totals count every ticket).
struct CrossData<'a> {
    rows: &'a [String],
    columns: &'a [String],
    /// Per row, its cells as (column index, count).
    cells: Box<dyn Iterator<Item = Vec<(u32, u64)>> + 'a>,
    row_totals: &'a [u64],
    column_totals: &'a [u64],
    total: u64,
}

impl<'a> From<&'a CrossTable> for CrossData<'a> {
    fn from(t: &'a CrossTable) -> Self {
        CrossData {
            rows: &t.rows,
            columns: &t.columns,
            cells: Box::new(t.cells.iter().map(|r| r.iter().enumerate().map(|(j, n)| (j as u32, *n)).collect())),
            row_totals: &t.row_totals,
            column_totals: &t.column_totals,
            total: t.total,
        }
    }
}

impl<'a> From<&'a SparseCrossTable> for CrossData<'a> {
    fn from(t: &'a SparseCrossTable) -> Self {
        CrossData {
            rows: &t.rows,
            columns: &t.columns,
            cells: Box::new(t.cells.iter().cloned()),
            row_totals: &t.row_totals,
            column_totals: &t.column_totals,
            total: t.total,
        }
    }
}

/// A cross table with a totals column and a totals row, under a heading; returns the
/// sheet's name (the charts refer to it). Rows start at [`CROSS_FIRST_ROW`].
fn cross_sheet<'a>(b: &mut Book, l: &CrossLabels, t: impl Into<CrossData<'a>>) -> Res<String> {
    const HEADER_ROW: u32 = CROSS_FIRST_ROW - 1;
    let t: CrossData = t.into();
    let mut ws = b.sheet(l.sheet, 1)?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let shown = |c: &Cells, table: Option<&str>, key: &str| match table {
            Some(table) => translate(c.labels, table, key).into_owned(),
            None => key.to_string(),
        };
        let total_col = cix(t.columns.len() + 1)?;
        c.label_with(HEADER_ROW, 0, l.corner, &f.header)?;
        for (j, key) in t.columns.iter().enumerate() {
            let text = shown(&c, l.columns, key);
            c.text_with(HEADER_ROW, cix(j + 1)?, &text, &f.header)?;
        }
        c.label_with(HEADER_ROW, total_col, "xlsx.total", &f.header)?;
        let mut row = HEADER_ROW + 1;
        for ((key, cells), total) in t.rows.iter().zip(t.cells).zip(t.row_totals) {
            let text = shown(&c, l.rows, key);
            c.text(row, 0, &text)?;
            for (j, n) in cells {
                c.count(row, cix(j as usize + 1)?, n)?;
            }
            c.number(row, total_col, *total as f64, &f.count_bold)?;
            row += 1;
        }
        c.label_with(row, 0, "xlsx.total", &f.total_label)?;
        for (j, n) in t.column_totals.iter().enumerate() {
            c.number(row, cix(j + 1)?, *n as f64, &f.total_count)?;
        }
        c.number(row, total_col, t.total as f64, &f.total_count)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    // Autofit before the heading is written, so the heading does not widen column A.
    ws.set_autofit_max_width(300).autofit();
    {
        let mut c = b.cells(&mut ws);
        c.heading(0, l.heading)?;
    }
    print_setup(&mut ws, Some(HEADER_ROW))?;
    let name = ws.name();
    b.wb.push_worksheet(ws);
    Ok(name)
}

/// Where an attainment sheet keeps its per-priority rows (the chart's series).
struct AttainmentCells {
    sheet: String,
    /// The first per-priority row; one row per entry of `by_priority`.
    first_by_priority: u32,
    len: usize,
}

/// Column of the priority and of the percentage on an attainment sheet.
const ATTAINMENT_PRIORITY_COL: u16 = 1;
const ATTAINMENT_PCT_COL: u16 = 7;

/// Attainment per type × priority (model order), then per priority over all types.
/// `measure` is `response` or `resolution`.
fn attainment_sheet(
    b: &mut Book,
    measure: &str,
    rows: &[AttainmentRow],
    by_priority: &[AttainmentRow],
) -> Res<AttainmentCells> {
    let cols = b.cols(&[
        ("ticket_type", 20.0),
        ("priority", 16.0),
        ("target", 12.0),
        ("counted", 10.0),
        ("met", 10.0),
        ("breached", 13.0),
        ("not_yet_due", 13.0),
        ("pct", 13.0),
    ]);
    let mut ws = b.sheet(&format!("xlsx.sheet.{measure}"), 1)?;
    let first_by_priority;
    {
        let mut c = b.cells(&mut ws);
        c.heading(0, &format!("xlsx.heading.{measure}"))?;
        c.header(1, &cols)?;
        let mut row = attainment_rows(&mut c, 2, rows)?;
        row += 1;
        c.heading(row, &format!("xlsx.heading.{measure}_by_priority"))?;
        c.header_texts(row + 1, &cols)?;
        first_by_priority = row + 2;
        attainment_rows(&mut c, first_by_priority, by_priority)?;
    }
    ws.set_freeze_panes(2, 0)?;
    print_setup(&mut ws, Some(1))?;
    let sheet = ws.name();
    b.wb.push_worksheet(ws);
    Ok(AttainmentCells {
        sheet,
        first_by_priority,
        len: by_priority.len(),
    })
}

/// Rows that pool several targets (type or priority `all`) are bold.
fn attainment_rows(c: &mut Cells, mut row: u32, rows: &[AttainmentRow]) -> Res<u32> {
    let f = c.f;
    for a in rows {
        let pooled = a.ticket_type == "all" || a.priority == "all";
        let (text, count, pct) = if pooled {
            (&f.bold, &f.count_bold, &f.pct_bold)
        } else {
            (&f.wrap, &f.count, &f.pct)
        };
        c.tr_with(row, 0, "ticket_type", &a.ticket_type, text)?;
        c.tr_with(row, ATTAINMENT_PRIORITY_COL, "priority", &a.priority, text)?;
        c.opt_number(row, 2, a.target_minutes.map(|m| m as f64), count)?;
        for (col, n) in [
            (3, a.counted),
            (4, a.met),
            (5, a.breached),
            (6, a.not_yet_due),
        ] {
            c.number(row, col, n as f64, count)?;
        }
        c.pct_with(row, ATTAINMENT_PCT_COL, a.pct, pct)?;
        row += 1;
    }
    Ok(row)
}

fn breaches_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("measure", 16.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 48.0),
        ("opened_at", 17.0),
        ("at", 17.0),
        ("target", 11.0),
        ("actual", 12.0),
        ("overshoot", 14.0),
    ]);
    list_sheets(b, "xlsx.sheet.breaches", &cols, &r.breaches, |c, row, x| {
        let f = c.f;
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "measure", &x.measure)?;
        c.tr(row, 2, "ticket_type", &x.ticket_type)?;
        c.tr(row, 3, "priority", &x.priority)?;
        c.text(row, 4, &x.school)?;
        c.text(row, 5, &x.category)?;
        c.text(row, 6, &x.summary)?;
        c.minute(row, 7, Some(x.opened_at))?;
        c.minute(row, 8, x.at)?;
        c.number(row, 9, x.target_minutes as f64, &f.count)?;
        c.minutes(row, 10, Some(x.actual_minutes))?;
        c.minutes(row, 11, Some(x.overshoot_minutes))
    })
}

fn backlog_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 48.0),
        ("opened_at", 17.0),
        ("deadline", 17.0),
        ("target", 11.0),
        ("overdue", 14.0),
    ]);
    list_sheets(b, "xlsx.sheet.backlog", &cols, &r.backlog, |c, row, x| {
        let f = c.f;
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "ticket_type", &x.ticket_type)?;
        c.tr(row, 2, "priority", &x.priority)?;
        c.text(row, 3, &x.school)?;
        c.text(row, 4, &x.category)?;
        c.text(row, 5, &x.summary)?;
        c.minute(row, 6, Some(x.opened_at))?;
        c.minute(row, 7, Some(x.deadline))?;
        c.number(row, 8, x.target_minutes as f64, &f.count)?;
        c.minutes(row, 9, Some(x.overdue_minutes))
    })
}

/// Top-3 recurring issues: one column per month (oldest first), trend, examples.
fn recurring_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
    let top = &r.recurring.top;
    let months: &[String] = top.first().map(|t| t.months.as_slice()).unwrap_or_default();
    let mut cols = b.cols(&[("rank", 8.0), ("category", 22.0), ("subcategory", 22.0)]);
    for m in months {
        cols.push(Col {
            header: month_label(m, b.labels),
            width: 15.0,
        });
    }
    cols.extend(b.cols(&[("trend", 12.0), ("examples", 60.0)]));
    let n = months.len();
    list_sheets(b, "xlsx.sheet.recurring", &cols, top, |c, row, x| {
        let f = c.f;
        c.number(row, 0, f64::from(x.rank), &f.int)?;
        c.text(row, 1, &x.category)?;
        c.text(row, 2, &x.subcategory)?;
        for j in 0..n {
            if let Some(count) = x.counts.get(j) {
                c.count(row, cix(3 + j)?, *count)?;
            }
        }
        c.tr(row, cix(3 + n)?, "trend", &x.trend)?;
        c.text_with(row, cix(4 + n)?, &x.examples.join("\n"), &f.wrap)
    })
}

fn p1_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 44.0),
        ("channel", 11.0),
        ("opened_at", 17.0),
        ("responded_at", 17.0),
        ("resolved_at", 17.0),
        ("response_minutes", 13.0),
        ("resolution_minutes", 13.0),
        ("response_status", 16.0),
        ("resolution_status", 16.0),
        ("rca_due_on", 13.0),
        ("rca_delivered_on", 13.0),
        ("rca_status", 22.0),
        ("carried_over", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.p1", &cols, &r.p1s, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.text(row, 1, &x.school)?;
        c.text(row, 2, &x.category)?;
        c.text(row, 3, &x.summary)?;
        c.tr(row, 4, "channel", &x.channel)?;
        c.minute(row, 5, Some(x.opened_at))?;
        c.minute(row, 6, x.responded_at)?;
        c.minute(row, 7, x.resolved_at)?;
        c.minutes(row, 8, x.response_minutes)?;
        c.minutes(row, 9, x.resolution_minutes)?;
        c.tr(row, 10, "status", &x.response_status)?;
        c.tr(row, 11, "status", &x.resolution_status)?;
        c.day(row, 12, x.rca_due_on)?;
        c.day(row, 13, x.rca_delivered_on)?;
        c.tr(row, 14, "rca_status", x.rca_status.key())?;
        c.yes_no(row, 15, x.carried_over)
    })
}

/// The sheets of a rerun's changes (as in the monthly annex) for another workbook (the
/// quarterly annex): named clear of `names_in_use` (sheet names already in that workbook),
/// to be pushed onto it in this order.
pub(super) fn changes_worksheets(ch: &Changes, labels: &Labels, names_in_use: &[String]) -> Res<Vec<Worksheet>> {
    let mut b = Book {
        wb: Workbook::new(),
        labels,
        f: Formats::new(),
        names: names_in_use.iter().map(|n| n.to_lowercase()).collect(),
        rows_per_sheet: LIST_ROWS_PER_SHEET,
        poison: false,
        low_memory: false,
    };
    changes_sheets(&mut b, ch)?;
    Ok(std::mem::take(b.wb.worksheets_mut()))
}

/// A rerun's changes against the version it replaces: the figures (was → now) and every
/// ticket that explains them (on a rerun only: a first report has none).
fn changes_sheets(b: &mut Book, ch: &Changes) -> Res {
    let labels = b.labels;
    let col = |key: &str, width: f64| Col { header: labels.get(key).to_string(), width };
    let cols = [
        col("changes.figure", 18.0),
        col("changes.figure", 34.0),
        col("changes.was", 14.0),
        col("changes.now", 14.0),
    ];
    let pct = b.f.pct.clone();
    list_sheets(b, "xlsx.sheet.changes.figures", &cols, &ch.figures, |c, row, x| {
        c.tr(row, 0, "changes.group", &x.group)?;
        let name = match x.group.as_str() {
            "summary" => translate(labels, "changes.summary", &x.key).to_string(),
            "kpi" => x.name.clone(),
            "attainment" => x.key.clone(),
            _ => format!("{}. {}", x.key, x.name),
        };
        c.text(row, 1, &name)?;
        for (col, v) in [(2, x.old), (3, x.new)] {
            if x.unit == "pct" {
                c.pct_with(row, col, v, &pct)?;
            } else if let Some(v) = v {
                c.count(row, col, v.max(0.0) as u64)?;
            }
        }
        Ok(())
    })?;
    let cols = [
        col("changes.ticket", 14.0),
        col("changes.what", 30.0),
        col("changes.was", 24.0),
        col("changes.now", 24.0),
        col("xlsx.col.response_status", 16.0),
        col("xlsx.col.response_status", 16.0),
        col("xlsx.col.resolution_status", 16.0),
        col("xlsx.col.resolution_status", 16.0),
        col("xlsx.col.summary", 44.0),
    ];
    let suffix = |c: &Col, key: &str| Col { header: format!("{} ({})", c.header, labels.get(key)), width: c.width };
    let cols: Vec<Col> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| match i {
            4 | 6 => suffix(c, "changes.was"),
            5 | 7 => suffix(c, "changes.now"),
            _ => Col { header: c.header.clone(), width: c.width },
        })
        .collect();
    list_sheets(b, "xlsx.sheet.changes.tickets", &cols, &ch.tickets, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "changes.kind", &x.kind)?;
        for (col, v) in [(2, &x.old), (3, &x.new)] {
            match v.as_deref() {
                Some(v) if excel_datetime(v).is_some() => c.datetime(row, col, Some(v))?,
                Some(v) if labels.0.contains_key(&format!("counting.{v}")) => c.tr(row, col, "counting", v)?,
                Some(v) => c.text(row, col, v)?,
                None => {}
            }
        }
        for (col, v) in [(4, &x.response_status_old), (5, &x.response_status_new), (6, &x.resolution_status_old), (7, &x.resolution_status_new)] {
            c.tr(row, col, "status", v.as_deref().unwrap_or_default())?;
        }
        c.text(row, 8, &x.summary)
    })
}

/// Tickets whose recorded priority differs from the matrix's, judged both ways.
fn priority_override_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("ticket_type", 16.0),
        ("school", 28.0),
        ("summary", 44.0),
        ("opened_at", 17.0),
        ("matrix_priority", 12.0),
        ("recorded_priority", 12.0),
        ("override_direction", 12.0),
        ("response_status", 16.0),
        ("response_status_matrix", 16.0),
        ("resolution_status", 16.0),
        ("resolution_status_matrix", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.priority_overrides", &cols, &r.priority_overrides.rows, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "ticket_type", &x.ticket_type)?;
        c.text(row, 2, &x.school)?;
        c.text(row, 3, &x.summary)?;
        c.minute(row, 4, Some(x.opened_at))?;
        c.text(row, 5, &x.matrix_priority)?;
        c.text(row, 6, &x.recorded_priority)?;
        c.tr(row, 7, "story.overrides", &x.direction)?;
        for (col, status) in [
            (8, &x.response_status),
            (9, &x.response_status_matrix),
            (10, &x.resolution_status),
            (11, &x.resolution_status_matrix),
        ] {
            c.tr(row, col, "status", status.as_deref().unwrap_or_default())?;
        }
        Ok(())
    })
}

/// Every ticket row of the model with its evaluation, one row each.
fn ticket_sheets(b: &mut Book, m: &Monthly) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("line", 8.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("matrix_priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("subcategory", 18.0),
        ("summary", 48.0),
        ("channel", 11.0),
        ("opened_at", 17.0),
        ("responded_at", 17.0),
        ("resolved_at", 17.0),
        ("counting", 17.0),
        ("opened_in_period", 11.0),
        ("resolved_in_period", 11.0),
        ("response_target", 12.0),
        ("response_minutes", 13.0),
        ("response_status", 16.0),
        ("resolution_target", 12.0),
        ("resolution_minutes", 13.0),
        ("resolution_status", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.tickets", &cols, &m.tickets, |c, row, t| {
        let f = c.f;
        c.text(row, 0, &t.ticket_id)?;
        c.number(row, 1, t.line as f64, &f.int)?;
        c.tr(row, 2, "ticket_type", &t.ticket_type)?;
        c.tr(row, 3, "priority", &t.priority)?;
        c.tr(
            row,
            4,
            "priority",
            t.matrix_priority.as_deref().unwrap_or_default(),
        )?;
        c.text(row, 5, &t.school)?;
        c.text(row, 6, &t.category)?;
        c.text(row, 7, &t.subcategory)?;
        c.text(row, 8, &t.summary)?;
        c.tr(row, 9, "channel", &t.channel)?;
        c.minute(row, 10, Some(t.opened_at))?;
        c.minute(row, 11, t.responded_at)?;
        c.minute(row, 12, t.resolved_at)?;
        c.tr(row, 13, "counting", &t.counting)?;
        c.yes_no(row, 14, t.opened_in_period)?;
        c.yes_no(row, 15, t.resolved_in_period)?;
        c.number(row, 16, t.response_target_minutes as f64, &f.count)?;
        c.minutes(row, 17, t.response_minutes)?;
        c.tr(row, 18, "status", &t.response_status)?;
        c.number(row, 19, t.resolution_target_minutes as f64, &f.count)?;
        c.minutes(row, 20, t.resolution_minutes)?;
        c.tr(row, 21, "status", &t.resolution_status)
    })
}

/// Accounting, rejections, warnings (with a count per column) and notes, one block each.
fn data_quality_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
    let dq = &r.data_quality;
    // Warnings in the annex's language (the JSON keeps them in English, with code and args).
    let messages: Vec<String> = dq.warnings.iter().take(DQ_MAX_ROWS).map(|w| w.localized(b.labels)).collect();
    let rejection_cols = b.cols(&[
        ("file", 0.0),
        ("line", 0.0),
        ("column", 0.0),
        ("value", 0.0),
        ("reason", 0.0),
        ("hint", 0.0),
    ]);
    let warning_cols = b.cols(&[
        ("file", 0.0),
        ("line", 0.0),
        ("ticket_id", 0.0),
        ("column", 0.0),
        ("message", 0.0),
    ]);
    let per_column_cols = b.cols(&[("column", 0.0), ("count", 0.0)]);
    let lang = b.labels.lang();
    let mut ws = b.sheet("xlsx.sheet.data_quality", 1)?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        for (col, width) in [
            (0, 40.0),
            (1, 12.0),
            (2, 18.0),
            (3, 30.0),
            (4, 60.0),
            (5, 60.0),
        ] {
            c.ws.set_column_width(col, width)?;
        }
        let truncated = |c: &mut Cells, row: u32, total: usize| -> Res<u32> {
            if total <= DQ_MAX_ROWS {
                return Ok(row);
            }
            let more = format_number((total - DQ_MAX_ROWS) as f64, 0, lang);
            let text = c.labels.get("xlsx.truncated").replace("{n}", &more);
            c.text_with(row, 0, &text, &f.italic)?;
            Ok(row + 1)
        };

        c.heading(0, "xlsx.heading.accounting")?;
        let mut row = accounting_block(&mut c, 1, &dq.accounting)? + 1;

        c.heading(row, "xlsx.heading.rejections")?;
        c.header_texts(row + 1, &rejection_cols)?;
        row += 2;
        if dq.rejections.is_empty() {
            c.none(row)?;
            row += 1;
        }
        for x in dq.rejections.iter().take(DQ_MAX_ROWS) {
            let (reason, hint) = x.localized(b.labels);
            c.text(row, 0, &x.file)?;
            c.number(row, 1, x.line as f64, &f.int)?;
            c.text(row, 2, &x.column)?;
            c.text(row, 3, &x.value)?;
            c.text_with(row, 4, &reason, &f.wrap)?;
            c.text_with(row, 5, &hint, &f.wrap)?;
            row += 1;
        }
        row = truncated(&mut c, row, dq.rejections.len())? + 1;

        c.heading(row, "xlsx.heading.warnings")?;
        c.header_texts(row + 1, &warning_cols)?;
        row += 2;
        if dq.warnings.is_empty() {
            c.none(row)?;
            row += 1;
        }
        for (x, message) in dq.warnings.iter().take(DQ_MAX_ROWS).zip(&messages) {
            c.text(row, 0, &x.file)?;
            c.number(row, 1, x.line as f64, &f.int)?;
            c.text(row, 2, &x.ticket_id)?;
            c.text(row, 3, &x.column)?;
            c.text_with(row, 4, message, &f.wrap)?;
            row += 1;
        }
        row = truncated(&mut c, row, dq.warnings.len())? + 1;

        c.heading(row, "xlsx.heading.warnings_by_column")?;
        c.header_texts(row + 1, &per_column_cols)?;
        row += 2;
        if dq.warnings_by_column.is_empty() {
            c.none(row)?;
            row += 1;
        }
        for x in &dq.warnings_by_column {
            c.text(row, 0, &x.column)?;
            c.count(row, 1, x.count)?;
            row += 1;
        }

        row += 1;
        c.heading(row, "xlsx.heading.notes")?;
        row += 1;
        if dq.notes.is_empty() {
            c.none(row)?;
        }
        for note in &dq.notes {
            c.text(row, 0, note)?;
            row += 1;
        }
    }
    print_setup(&mut ws, None)?;
    b.wb.push_worksheet(ws);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The charts sheet: native Excel charts of the series the PDF's charts show.
// ---------------------------------------------------------------------------------------

/// The house style's colours (templates/lib.typ): primary and its light tint for the
/// series, green, orange and red for the staircase's limits (highest band first).
pub(super) const PRIMARY: u32 = 0x0B5F7A;
pub(super) const PRIMARY_LIGHT: u32 = 0x7FB3C4;
/// The third series colour of the PDF's count charts.
pub(super) const GOLD: u32 = 0xC9A227;
const BAND_COLOURS: [u32; 3] = [0x2E7D32, 0xC77700, 0xB3261E];
const GREY: u32 = 0x6B7280;

/// Charts start in column A, below the title and the notes; their helper tables sit to
/// their right.
pub(super) const CHART_TOP: u32 = 4;
pub(super) const CHART_WIDTH: u32 = 760;
pub(super) const CHART_HEIGHT: u32 = 380;
/// The default row height in pixels (15 points), to place one chart under another.
const ROW_PX: u32 = 20;
/// The first column of the helper tables: past the charts' width of default columns.
pub(super) const HELPER_COL: u16 = 13;

/// A range of cells for a chart: sheet, first row, first column, last row, last column.
pub(super) type ChartCells<'a> = (&'a str, u32, u16, u32, u16);

/// The cells of the other sheets that the charts read.
struct ChartSources {
    kpi: KpiCells,
    volumes: String,
    response: AttainmentCells,
    resolution: AttainmentCells,
}

/// An absolute reference to a cell of `sheet`, for a formula: `'KPI''s'!$A$15`.
pub(super) fn sheet_ref(sheet: &str, row: u32, col: u16) -> String {
    format!(
        "{}!{}",
        quote_sheet_name(sheet),
        row_col_to_cell_absolute(row, col)
    )
}

pub(super) fn fill(colour: u32) -> ChartFormat {
    ChartFormat::new()
        .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(colour)))
        .clone()
}

/// A chart's title and axis titles from `chart.{key}.title`, `.x` (the category axis) and
/// `.y` (the value axis); the legend below. A bar chart's categories run down the left, so
/// its axes are the other way round.
pub(super) fn titled(mut chart: Chart, labels: &Labels, key: &str, bar: bool) -> Chart {
    let get = |part: &str| cell_text(labels.get(&format!("chart.{key}.{part}"))).into_owned();
    chart.title().set_name(&get("title"));
    // The writer's x axis is the horizontal one: a bar chart's value axis.
    let (x_title, y_title) = if bar {
        (get("y"), get("x"))
    } else {
        (get("x"), get("y"))
    };
    chart.x_axis().set_name(&x_title);
    chart.y_axis().set_name(&y_title);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
}

/// A bar chart whose categories run top-down in the order of their cells (Excel draws the
/// first category at the bottom unless the axis is reversed), value axis at the bottom.
fn top_down_bars(chart: &mut Chart) {
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
}

/// Row after a chart of `height` pixels placed at `row`, leaving one blank row.
pub(super) fn below(row: u32, height: u32) -> u32 {
    row + height.div_ceil(ROW_PX) + 1
}

/// The name of the line at the staircase's limit `min_score_pct`: "Staffelgrens 95 %".
pub(super) fn band_name(labels: &Labels, min_score_pct: f64) -> String {
    labels
        .get("chart.attainment.band")
        .replace("{pct}", &format_pct(min_score_pct, 0, labels.lang()))
}

/// Adds the `j`-th limit of the staircase (highest first) to `lines` as a dashed line in
/// the PDF's colour for it, named by the cell `name`.
pub(super) fn add_band_line(
    lines: &mut Chart,
    j: usize,
    name: (&str, u32, u16),
    categories: ChartCells,
    values: ChartCells,
) {
    let colour = BAND_COLOURS.get(j).copied().unwrap_or(GREY);
    let line = ChartLine::new()
        .set_color(Color::RGB(colour))
        .set_width(1.5)
        .set_dash_type(ChartLineDashType::Dash)
        .clone();
    lines
        .add_series()
        .set_name(name)
        .set_categories(categories)
        .set_values(values)
        .set_format(ChartFormat::new().set_line(&line))
        .set_marker(ChartMarker::new().set_none());
}

/// Whether a formula's cached result `s` is stored as text: the writer types a result that
/// reads as a number, a boolean or an error value as such, so such a text is written as a
/// plain string instead of a formula.
fn text_result_is_safe(s: &str) -> bool {
    s.parse::<f64>().is_err()
        && !s.starts_with('#')
        && !s.eq_ignore_ascii_case("true")
        && !s.eq_ignore_ascii_case("false")
}

/// The "Grafieken" sheet, placed second (after the summary): attainment per priority with
/// the staircase's limits, the domain scores, tickets per school. Every series reads the
/// cells of the sheet that shows the figure; the two helper tables (the staircase's limits
/// per priority, the schools sorted by their number of tickets) are formulas referring to
/// the KPI and volumes sheets, so the charts follow a change there.
fn charts_sheet(b: &mut Book, r: &MonthlyReport, src: &ChartSources) -> Res {
    let labels = b.labels;
    let mut ws = b.sheet("chart.sheet", 1)?;
    let name = ws.name();
    let mut charts: Vec<(u32, Chart)> = Vec::new();
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let title = labels
            .get("chart.monthly_title")
            .replace("{period}", &month_label(&r.meta.period, labels));
        c.text_with(0, 0, &title, &f.title)?;
        c.label_with(1, 0, "chart.intro", &f.italic)?;
        c.label_with(2, 0, "chart.helpers", &f.italic)?;
        c.ws.set_column_width(HELPER_COL, 34.0)?;
        for j in 1..=BAND_COLOURS.len() {
            c.ws.set_column_width(HELPER_COL + cix(j)?, 18.0)?;
        }
        let mut row = CHART_TOP;

        // 1. Response and resolution attainment per priority, with the staircase's limits.
        let (resp, res) = (&src.response, &src.resolution);
        let by_priority = &r.attainment.response_by_priority;
        if resp.len == 0 || res.len != resp.len {
            c.label_with(row, 0, "chart.none", &f.italic)?;
            row += 2;
        } else {
            let last = |cells: &AttainmentCells| cells.first_by_priority + (n_rows(cells.len) - 1);
            let cats = (
                resp.sheet.as_str(),
                resp.first_by_priority,
                ATTAINMENT_PRIORITY_COL,
                last(resp),
                ATTAINMENT_PRIORITY_COL,
            );
            let mut chart = titled(Chart::new_column(), labels, "attainment", false);
            for (cells, measure, colour) in [
                (resp, "response", PRIMARY),
                (res, "resolution", PRIMARY_LIGHT),
            ] {
                let values = (
                    cells.sheet.as_str(),
                    cells.first_by_priority,
                    ATTAINMENT_PCT_COL,
                    last(cells),
                    ATTAINMENT_PCT_COL,
                );
                chart
                    .add_series()
                    .set_name(&cell_text(labels.get(&format!("measure.{measure}"))).into_owned())
                    .set_categories(cats)
                    .set_values(values)
                    .set_format(&mut fill(colour))
                    .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
            }
            chart
                .y_axis()
                .set_min(0)
                .set_max(1)
                .set_major_unit(0.2)
                .set_num_format("0%");

            // The staircase's limits as dashed lines: a helper column per band above 0, a
            // row per priority, each cell referring to the band's minimum on the KPI sheet.
            let heading = labels
                .get("chart.attainment.bands_heading")
                .replace("{sheet}", &src.kpi.sheet);
            c.text_with(row, HELPER_COL, &heading, &f.bold)?;
            let header = row + 1;
            let first = header + 1;
            c.label_with(header, HELPER_COL, "xlsx.col.priority", &f.header)?;
            for (k, a) in by_priority.iter().enumerate() {
                c.tr(first + rix(k)?, HELPER_COL, "priority", &a.priority)?;
            }
            let last_helper = first + n_rows(by_priority.len()) - 1;
            let mut lines = Chart::new_line();
            let mut any_line = false;
            let bands = r.kpis.bands.iter().enumerate();
            for (j, (i, band)) in bands.filter(|(_, b)| b.min_score_pct > 0.0).enumerate() {
                let col = HELPER_COL + 1 + cix(j)?;
                c.text_with(
                    header,
                    col,
                    &band_name(labels, band.min_score_pct),
                    &f.header,
                )?;
                let source = sheet_ref(&src.kpi.sheet, src.kpi.first_band + rix(i)?, 0);
                for k in first..=last_helper {
                    let value = cached(Some(band.min_score_pct / 100.0));
                    c.formula(k, col, &format!("{source}/100"), value, &f.pct)?;
                }
                let values = (name.as_str(), first, col, last_helper, col);
                add_band_line(&mut lines, j, (name.as_str(), header, col), cats, values);
                any_line = true;
            }
            if any_line {
                chart.combine(&lines);
            }
            chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
            charts.push((row, chart));
            row = below(row, CHART_HEIGHT);
            c.label_with(row - 1, 0, "chart.attainment.note", &f.italic)?;
            row += 1;
        }

        // 2. The domain scores, from the KPI sheet's overview (formulas with cached values).
        let domains = r.kpis.domains.len();
        if domains == 0 {
            c.label_with(row, 0, "chart.none", &f.italic)?;
            row += 2;
        } else {
            let kpi = &src.kpi;
            let (first, last) = (kpi.first_overview, kpi.first_overview + n_rows(domains) - 1);
            let mut chart = titled(Chart::new_bar(), labels, "domains", true);
            chart
                .add_series()
                .set_name(&cell_text(labels.get("xlsx.kpi.score")).into_owned())
                .set_categories((
                    kpi.sheet.as_str(),
                    first,
                    OVERVIEW_NAME_COL,
                    last,
                    OVERVIEW_NAME_COL,
                ))
                .set_values((
                    kpi.sheet.as_str(),
                    first,
                    OVERVIEW_SCORE_COL,
                    last,
                    OVERVIEW_SCORE_COL,
                ))
                .set_format(&mut fill(PRIMARY))
                // A domain whose score formula gives "" (no data) plots as 0: no label then.
                .set_data_label(
                    ChartDataLabel::new()
                        .show_value()
                        .set_num_format("0.00;-0.00;;@"),
                );
            chart.x_axis().set_min(0).set_max(100).set_major_unit(10);
            top_down_bars(&mut chart);
            chart.legend().set_hidden();
            let height = (120 + 40 * n_rows(domains)).max(CHART_HEIGHT);
            chart.set_width(CHART_WIDTH).set_height(height);
            charts.push((row, chart));
            row = below(row, height);
            c.label_with(row - 1, 0, "chart.domains.note", &f.italic)?;
            row += 1;
        }

        // 3. Tickets per school, highest first: a helper table in that order whose cells
        // refer to the volumes sheet (school in column A, its total in the last column).
        let t = &r.volumes.by_school_category;
        if t.rows.is_empty() {
            c.label_with(row, 0, "chart.none", &f.italic)?;
        } else {
            let mut order: Vec<usize> = (0..t.rows.len()).collect();
            let total = |i: usize| t.row_totals.get(i).copied().unwrap_or_default();
            order.sort_by(|&a, &b| total(b).cmp(&total(a)).then(a.cmp(&b)));
            let heading = labels
                .get("chart.schools.heading")
                .replace("{sheet}", &src.volumes);
            c.text_with(row, HELPER_COL, &heading, &f.bold)?;
            let header = row + 1;
            c.label_with(header, HELPER_COL, "chart.schools.school", &f.header)?;
            c.label_with(header, HELPER_COL + 1, "chart.schools.tickets", &f.header)?;
            let first = header + 1;
            let total_col = cix(t.columns.len() + 1)?;
            for (k, &i) in order.iter().enumerate() {
                let (at, from) = (first + rix(k)?, CROSS_FIRST_ROW + rix(i)?);
                let school = cell_text(&t.rows[i]).into_owned();
                if text_result_is_safe(&school) {
                    c.formula(
                        at,
                        HELPER_COL,
                        &sheet_ref(&src.volumes, from, 0),
                        school,
                        &f.plain,
                    )?;
                } else {
                    c.text(at, HELPER_COL, &school)?;
                }
                let count = cached(Some(total(i) as f64));
                c.formula(
                    at,
                    HELPER_COL + 1,
                    &sheet_ref(&src.volumes, from, total_col),
                    count,
                    &f.count,
                )?;
            }
            let last = first + n_rows(order.len()) - 1;
            let mut chart = titled(Chart::new_bar(), labels, "schools", true);
            chart
                .add_series()
                .set_name((name.as_str(), header, HELPER_COL + 1))
                .set_categories((name.as_str(), first, HELPER_COL, last, HELPER_COL))
                .set_values((name.as_str(), first, HELPER_COL + 1, last, HELPER_COL + 1))
                .set_format(&mut fill(PRIMARY))
                .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"));
            chart.x_axis().set_min(0).set_num_format("#,##0");
            top_down_bars(&mut chart);
            chart.legend().set_hidden();
            let height = (100 + 24 * n_rows(order.len())).max(CHART_HEIGHT);
            chart.set_width(CHART_WIDTH).set_height(height);
            charts.push((row, chart));
        }
    }
    for (row, chart) in &charts {
        ws.insert_chart(*row, 0, chart)?;
    }
    print_setup(&mut ws, None)?;
    let sheets = b.wb.worksheets_mut();
    sheets.insert(sheets.len().min(1), ws);
    Ok(())
}

/// A count of rows as a row offset; past Excel's range it saturates (the writer then
/// reports the range error).
pub(super) fn n_rows(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

// ---------------------------------------------------------------------------------------
// The KPI sheet: live formulas with the model's values as cached results.
// ---------------------------------------------------------------------------------------

/// The columns of a domain's KPI rows: label key (`xlsx.kpi_col.*`) and width.
const KPI_COLS: [(&str, f64); 19] = [
    ("domain", 30.0),
    ("kpi", 26.0),
    ("name", 40.0),
    ("norm_text", 40.0),
    ("norm", 11.0),
    ("norm2", 11.0),
    ("direction", 12.0),
    ("unit", 9.0),
    ("weight", 9.0),
    ("frequency", 14.0),
    ("source", 34.0),
    ("measured", 11.0),
    ("measured2", 11.0),
    ("numerator", 10.0),
    ("denominator", 10.0),
    ("achievement", 13.0),
    ("effective_weight", 12.0),
    ("status", 22.0),
    ("note", 50.0),
];

/// Column indices of [`KPI_COLS`].
mod kc {
    pub const DOMAIN: u16 = 0;
    pub const ID: u16 = 1;
    pub const NAME: u16 = 2;
    pub const NORM_TEXT: u16 = 3;
    pub const NORM: u16 = 4;
    pub const NORM2: u16 = 5;
    pub const DIRECTION: u16 = 6;
    pub const UNIT: u16 = 7;
    pub const WEIGHT: u16 = 8;
    pub const FREQUENCY: u16 = 9;
    pub const SOURCE: u16 = 10;
    pub const MEASURED: u16 = 11;
    pub const MEASURED2: u16 = 12;
    pub const NUMERATOR: u16 = 13;
    pub const DENOMINATOR: u16 = 14;
    pub const ACHIEVEMENT: u16 = 15;
    pub const EFFECTIVE: u16 = 16;
    pub const STATUS: u16 = 17;
    pub const NOTE: u16 = 18;
}

/// The overview's columns (label keys under `xlsx.kpi.`), from column A.
const OVERVIEW_COLS: [&str; 7] = [
    "number",
    "domain",
    "status",
    "score",
    "malus_pct",
    "escalation",
    "malus_eur",
];

/// A formula's cached result: the model's number with all its digits (Rust's shortest
/// round-trip form, so the cell holds exactly the model's `f64`), or `""` for none, which is
/// what the formula itself gives then.
pub(super) fn cached(x: Option<f64>) -> String {
    x.map(|x| format!("{x}")).unwrap_or_default()
}

/// A number as a formula literal (the contract's cap and staircase).
pub(super) fn lit(x: f64) -> String {
    format!("{x}")
}

/// A text as a formula string literal.
pub(super) fn str_lit(s: &str) -> String {
    format!("\"{}\"", cell_text(s).replace('"', "\"\""))
}

/// A1 reference of a cell.
fn a1(row: u32, col: u16) -> String {
    row_col_to_cell(row, col)
}

/// One part of an achievement, as [`crate::kpi::achievement`] computes it: "at least":
/// measured × 100 ÷ norm (a norm ≤ 0 is always met); "at most": norm × 100 ÷ measured (a
/// measured ≤ 0 is 100); then capped.
pub(super) fn achievement_part(measured: &str, norm: &str, direction: Direction, cap: Option<f64>) -> String {
    let raw = match direction {
        Direction::AtLeast => format!("IF({norm}<=0,100,{measured}*100/{norm})"),
        Direction::AtMost => format!("IF({measured}<=0,100,{norm}*100/{measured})"),
    };
    match cap {
        Some(c) => format!("MIN({},{raw})", lit(c)),
        None => raw,
    }
}

/// The achievement formula of the KPI in `row`: `""` while its measured cell is empty; for a
/// KPI with a second norm (reachability) the lower of both parts when part 2 is measured.
/// `None` for a KPI without a norm (count only).
fn achievement_formula(k: &KpiResult, row: u32, cap: Option<f64>) -> Option<String> {
    k.norm?;
    let m1 = a1(row, kc::MEASURED);
    let p1 = achievement_part(&m1, &a1(row, kc::NORM), k.direction, cap);
    Some(match k.second_norm {
        Some(_) => {
            let m2 = a1(row, kc::MEASURED2);
            let p2 = achievement_part(&m2, &a1(row, kc::NORM2), k.direction, cap);
            format!("IF(ISNUMBER({m1}),IF(ISNUMBER({m2}),MIN({p1},{p2}),{p1}),\"\")")
        }
        None => format!("IF(ISNUMBER({m1}),{p1},\"\")"),
    })
}

/// The staircase as nested IFs on the score in `score`: the first band whose minimum the
/// score reaches gives `value(band)`; below every band, `below`.
pub(super) fn staircase_formula(
    score: &str,
    bands: &[crate::contract::MalusBand],
    value: impl Fn(&crate::contract::MalusBand) -> String,
    below: &str,
) -> String {
    let mut f = below.to_string();
    for band in bands.iter().rev() {
        f = format!(
            "IF({score}>={},{},{f})",
            lit(band.min_score_pct),
            value(band)
        );
    }
    format!("IF(ISNUMBER({score}),{f},\"\")")
}

pub(super) fn direction_key(d: Direction) -> &'static str {
    match d {
        Direction::AtLeast => "at_least",
        Direction::AtMost => "at_most",
    }
}

pub(super) fn unit_key(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "percent",
        Unit::Count => "count",
        Unit::Hours => "hours",
    }
}

fn frequency_key(f: Frequency) -> &'static str {
    match f {
        Frequency::Monthly => "monthly",
        Frequency::Quarterly => "quarterly",
        Frequency::HalfYearly => "half_yearly",
        Frequency::Yearly => "yearly",
        Frequency::PerIncident => "per_incident",
        Frequency::Mixed => "mixed",
    }
}

fn source_key(s: Option<KpiSource>) -> &'static str {
    match s {
        Some(KpiSource::Tickets) => "tickets",
        Some(KpiSource::Calls) => "calls",
        Some(KpiSource::Measurement) => "measurement",
        Some(KpiSource::Report) => "report",
        Some(KpiSource::Log) => "log",
        None => "none",
    }
}

/// Where the KPI's figure came from: the source, the measurement's period (or the file), and
/// whether a measurement replaced a computed figure; without a figure, the contract's source.
pub(super) fn source_text(labels: &Labels, k: &KpiResult) -> String {
    let Some(f) = &k.figure else {
        return translate(labels, "xlsx.source", source_key(k.contract_source)).into_owned();
    };
    let mut s = translate(labels, "xlsx.source", &f.source).into_owned();
    let detail = match f.detail.strip_prefix("mean:") {
        Some(periods) => format!(
            "{} {}",
            labels.get("xlsx.kpi.mean_of"),
            periods.replace(',', ", ")
        ),
        None => f.detail.clone(),
    };
    if !detail.is_empty() {
        s = format!("{s} ({detail})");
    }
    if f.overrides_computed {
        s = format!("{s}; {}", labels.get("xlsx.kpi.overrides"));
    }
    s
}

/// Header columns (no width) labelled `{prefix}.{key}`.
fn label_cols(labels: &Labels, prefix: &str, keys: &[&str]) -> Vec<Col> {
    keys.iter()
        .map(|key| Col {
            header: labels.get(&format!("{prefix}.{key}")).to_string(),
            width: 0.0,
        })
        .collect()
}

/// Cells of a domain block that the overview refers to.
struct DomainCells {
    score: String,
    malus: String,
    escalation: String,
    malus_eur: Option<String>,
}

/// Where the KPI sheet keeps what the charts show.
struct KpiCells {
    sheet: String,
    /// The overview's first row: one row per domain, name in column B, score in column D.
    first_overview: u32,
    /// The staircase's first band row: one row per band, minimum score in column A.
    first_band: u32,
}

/// Columns of the overview that the domain chart reads.
const OVERVIEW_NAME_COL: u16 = 1;
const OVERVIEW_SCORE_COL: u16 = 3;

/// Overview (a row per domain, referring to the blocks), the staircase and the cap, then one
/// block per domain: a row per KPI with its achievement formula, then the domain's status and
/// (for an active, scored domain) its score, malus and escalation formulas.
fn kpi_sheet(b: &mut Book, k: &KpiSection) -> Res<KpiCells> {
    let labels = b.labels;
    let cols: Vec<Col> = KPI_COLS
        .iter()
        .map(|(key, width)| Col {
            header: labels.get(&format!("xlsx.kpi_col.{key}")).to_string(),
            width: *width,
        })
        .collect();
    let overview_cols = label_cols(labels, "xlsx.kpi", &OVERVIEW_COLS);
    let mut ws = b.sheet("xlsx.kpi.sheet", 1)?;
    // An empty cached result stays empty (the formula's own `""`), not the writer's default 0.
    ws.set_formula_result_default("");
    // The overview comes first but refers to the blocks, so it is written last.
    const OVERVIEW_HEADING: u32 = 4;
    let first_overview = OVERVIEW_HEADING + 2;
    let first_band = first_overview + rix(k.domains.len())? + 3;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        for (j, col) in cols.iter().enumerate() {
            c.ws.set_column_width(cix(j)?, col.width)?;
        }
        let title = labels
            .get("xlsx.kpi.title")
            .replace("{period}", &month_label(&k.period, labels));
        c.text_with(0, 0, &title, &f.title)?;
        c.label_with(1, 0, "xlsx.kpi.intro", &f.italic)?;
        c.label_with(2, 0, "xlsx.kpi.formulas", &f.italic)?;

        let mut row = first_band - 2;
        c.heading(row, "xlsx.kpi.staircase")?;
        c.header_texts(
            row + 1,
            &label_cols(
                labels,
                "xlsx.kpi",
                &["min_score", "malus_pct", "escalation"],
            ),
        )?;
        row += 2;
        for band in &k.bands {
            c.number(row, 0, band.min_score_pct, &f.dec2)?;
            c.number(row, 1, band.malus_pct, &f.dec2)?;
            c.yes_no(row, 2, band.escalation)?;
            row += 1;
        }
        c.label_with(row, 0, "xlsx.kpi.cap", &f.bold)?;
        match k.cap_pct {
            Some(cap) => c.number(row, 1, cap, &f.dec2)?,
            None => c.label_with(row, 1, "xlsx.kpi.no_cap", &f.italic)?,
        }
        row += 2;

        let mut refs = Vec::with_capacity(k.domains.len());
        for d in &k.domains {
            let (next, r) = domain_block(&mut c, row, d, k, &cols)?;
            refs.push(r);
            row = next + 1;
        }

        c.heading(OVERVIEW_HEADING, "xlsx.kpi.overview")?;
        let with_eur = refs.iter().flatten().any(|r| r.malus_eur.is_some());
        let shown = if with_eur { 7 } else { 6 };
        c.header_texts(OVERVIEW_HEADING + 1, &overview_cols[..shown])?;
        for (i, (d, r)) in k.domains.iter().zip(&refs).enumerate() {
            let row = first_overview + rix(i)?;
            c.number(row, 0, f64::from(d.number), &f.int)?;
            c.text(row, OVERVIEW_NAME_COL, &d.name)?;
            c.tr(row, 2, "xlsx.domain_status", &d.status)?;
            let Some(r) = r else { continue };
            let score = cached(d.score_pct);
            c.formula(row, OVERVIEW_SCORE_COL, &r.score, score, &f.dec2_bold)?;
            c.formula(row, 4, &r.malus, cached(d.malus_pct), &f.dec2)?;
            let escalation = escalation_result(c.labels, d);
            c.formula(row, 5, &r.escalation, escalation, &f.plain)?;
            if let Some(eur) = &r.malus_eur {
                c.formula(row, 6, eur, cached(d.malus_eur), &f.eur)?;
            }
        }
    }
    print_setup(&mut ws, None)?;
    let sheet = ws.name();
    b.wb.push_worksheet(ws);
    Ok(KpiCells {
        sheet,
        first_overview,
        first_band,
    })
}

/// The escalation cell's value: yes or no with a score, empty without one.
fn escalation_result(labels: &Labels, d: &DomainResult) -> String {
    match d.score_pct {
        Some(_) => labels
            .get(if d.escalation { "xlsx.yes" } else { "xlsx.no" })
            .to_string(),
        None => String::new(),
    }
}

/// One domain's block from `row`; returns the next free row and, for an active scored
/// domain, the cells the overview refers to (as `=A1` formulas).
fn domain_block(
    c: &mut Cells,
    mut row: u32,
    d: &DomainResult,
    k: &KpiSection,
    cols: &[Col],
) -> Res<(u32, Option<DomainCells>)> {
    let f = c.f;
    let labels = c.labels;
    let heading = labels
        .get("xlsx.kpi.domain_heading")
        .replace("{number}", &d.number.to_string())
        .replace("{name}", &d.name);
    c.text_with(row, 0, &heading, &f.heading)?;
    c.header_texts(row + 1, cols)?;
    let first = row + 2;
    // Scores, malus and escalation only for a domain that counts in this period.
    let live = d.scored && d.active && !d.kpis.is_empty();
    let domain = format!("{} {}", d.number, d.name);
    // Per-priority rows (domain 2's response and resolution) come after the KPI rows, a
    // block per KPI: a heading row, then a row per priority. Their rows, known up front so
    // the KPI rows can refer to them.
    let mut part_row = first + rix(d.kpis.len())? + 1;
    let part_rows: Vec<Option<(u32, u32)>> = d
        .kpis
        .iter()
        .map(|k| {
            let n = k.figure.as_ref().map_or(0, |f| f.per_priority.len());
            (n > 0).then(|| {
                let range = (part_row + 1, part_row + n as u32);
                part_row += n as u32 + 2;
                range
            })
        })
        .collect();
    for (i, kpi) in d.kpis.iter().enumerate() {
        let row = first + rix(i)?;
        c.text(row, kc::DOMAIN, &domain)?;
        c.text(row, kc::ID, &kpi.id)?;
        c.text(row, kc::NAME, &kpi.name)?;
        c.text(row, kc::NORM_TEXT, &kpi.norm_text)?;
        c.opt_number(row, kc::NORM, kpi.norm, &f.dec2)?;
        c.opt_number(row, kc::NORM2, kpi.second_norm, &f.dec2)?;
        c.tr(
            row,
            kc::DIRECTION,
            "xlsx.direction",
            direction_key(kpi.direction),
        )?;
        c.tr(row, kc::UNIT, "xlsx.unit", unit_key(kpi.unit))?;
        c.opt_number(row, kc::WEIGHT, kpi.weight, &f.dec2)?;
        c.tr(
            row,
            kc::FREQUENCY,
            "xlsx.frequency",
            frequency_key(kpi.frequency),
        )?;
        c.text(row, kc::SOURCE, &source_text(labels, kpi))?;
        let combined = match (&kpi.figure, part_rows[i]) {
            (Some(fig), Some((a, b))) => match fig.combination {
                Some(PriorityCombination::PerPriorityMean) => Some(("AVERAGE", a, b)),
                Some(PriorityCombination::PerPriorityMin) => Some(("MIN", a, b)),
                _ => None,
            },
            _ => None,
        };
        if let (Some(fig), Some((func, a, b))) = (&kpi.figure, combined) {
            // The priorities' attainments combined; the achievement combines theirs.
            let range = |col: u16| format!("{}:{}", a1(a, col), a1(b, col));
            let measured = format!("{func}({})", range(kc::MEASURED));
            c.formula(row, kc::MEASURED, &measured, cached(Some(fig.measured)), &f.dec2)?;
            let ach = range(kc::ACHIEVEMENT);
            let formula = format!("IF(COUNT({ach})>0,{func}({ach}),\"\")");
            c.formula(row, kc::ACHIEVEMENT, &formula, cached(kpi.achievement_pct), &f.dec2)?;
            // The pooled counts, as in the JSON (the rows below hold each priority's).
            for (col, n) in [(kc::NUMERATOR, fig.numerator), (kc::DENOMINATOR, fig.denominator)] {
                if let Some(n) = n {
                    c.count(row, col, n)?;
                }
            }
            c.text_with(row, kc::NOTE, &fig.note, &f.wrap)?;
        } else if let Some(fig) = &kpi.figure {
            c.number(row, kc::MEASURED, fig.measured, &f.dec2)?;
            c.opt_number(row, kc::MEASURED2, fig.second_measured, &f.dec2)?;
            if let Some(n) = fig.numerator {
                c.count(row, kc::NUMERATOR, n)?;
            }
            if let Some(n) = fig.denominator {
                c.count(row, kc::DENOMINATOR, n)?;
            }
            c.text_with(row, kc::NOTE, &fig.note, &f.wrap)?;
        }
        let achievement = if combined.is_some() { None } else { achievement_formula(kpi, row, k.cap_pct) };
        if let Some(formula) = &achievement {
            c.formula(
                row,
                kc::ACHIEVEMENT,
                formula,
                cached(kpi.achievement_pct),
                &f.dec2,
            )?;
        }
        if live {
            let (ach, weight) = (a1(row, kc::ACHIEVEMENT), a1(row, kc::WEIGHT));
            let formula = format!("IF(AND(ISNUMBER({ach}),ISNUMBER({weight})),{weight},0)");
            let effective = match (kpi.weight, kpi.achievement_pct) {
                (Some(w), Some(_)) => w,
                _ => 0.0,
            };
            c.formula(
                row,
                kc::EFFECTIVE,
                &formula,
                cached(Some(effective)),
                &f.dec2,
            )?;
        }
        c.tr(row, kc::STATUS, "xlsx.kpi_status", &kpi.status)?;
    }
    for (kpi, rows) in d.kpis.iter().zip(&part_rows) {
        let (Some(fig), Some((a, _))) = (&kpi.figure, rows) else { continue };
        let heading = format!("{} {}", kpi.name, labels.get("story.kpi.per_priority"));
        c.text_with(a - 1, kc::NAME, &heading, &f.bold)?;
        for (j, part) in fig.per_priority.iter().enumerate() {
            let row = a + rix(j)?;
            c.text(row, kc::DOMAIN, &domain)?;
            c.text(row, kc::ID, &format!("{}.{}", kpi.id, part.priority))?;
            c.tr(row, kc::NAME, "priority", &part.priority)?;
            c.opt_number(row, kc::NORM, kpi.norm, &f.dec2)?;
            c.tr(row, kc::DIRECTION, "xlsx.direction", direction_key(kpi.direction))?;
            c.tr(row, kc::UNIT, "xlsx.unit", unit_key(kpi.unit))?;
            c.count(row, kc::NUMERATOR, part.numerator)?;
            c.count(row, kc::DENOMINATOR, part.denominator)?;
            let (num, den) = (a1(row, kc::NUMERATOR), a1(row, kc::DENOMINATOR));
            let measured = format!("IF({den}>0,{num}*100/{den},\"\")");
            c.formula(row, kc::MEASURED, &measured, cached(Some(part.measured)), &f.dec2)?;
            let m = a1(row, kc::MEASURED);
            let ach = achievement_part(&m, &a1(row, kc::NORM), kpi.direction, k.cap_pct);
            c.formula(row, kc::ACHIEVEMENT, &format!("IF(ISNUMBER({m}),{ach},\"\")"), cached(Some(part.achievement_pct)), &f.dec2)?;
        }
    }
    row = part_row.max(first + rix(d.kpis.len())? + 1);

    c.label_with(row, 0, "xlsx.kpi.status", &f.bold)?;
    c.tr(row, 1, "xlsx.domain_status", &d.status)?;
    row += 1;
    if let Some(from) = d.active_from {
        c.label_with(row, 0, "xlsx.kpi.active_from", &f.bold)?;
        c.day(row, 1, Some(from))?;
        row += 1;
    }
    if !live {
        return Ok((row, None));
    }
    let last = first + rix(d.kpis.len() - 1)?;
    let range = |col: u16| format!("{}:{}", a1(first, col), a1(last, col));
    let (weights, effective, achievements) = (
        range(kc::WEIGHT),
        range(kc::EFFECTIVE),
        range(kc::ACHIEVEMENT),
    );

    let pair = |c: &mut Cells,
                row: &mut u32,
                key: &str,
                formula: String,
                result: String,
                format: &Format|
     -> Res<String> {
        c.label_with(*row, 0, key, &f.bold)?;
        c.formula(*row, 1, &formula, result, format)?;
        *row += 1;
        Ok(a1(*row - 1, 1))
    };
    pair(
        c,
        &mut row,
        "xlsx.kpi.weight_total",
        format!("SUM({weights})"),
        cached(Some(d.weight_total)),
        &f.dec2,
    )?;
    pair(
        c,
        &mut row,
        "xlsx.kpi.weight_with_data",
        format!("SUM({effective})"),
        cached(Some(d.weight_with_data)),
        &f.dec2,
    )?;
    let (total, with_data) = (a1(row - 2, 1), a1(row - 1, 1));
    let score = pair(
        c,
        &mut row,
        "xlsx.kpi.score",
        format!(
            "IF(SUM({effective})<=0,\"\",SUMPRODUCT({effective},{achievements})/SUM({effective}))"
        ),
        cached(d.score_pct),
        &f.dec2_bold,
    )?;
    let share = pair(
        c,
        &mut row,
        "xlsx.kpi.weight_share",
        format!("IF({total}>0,{with_data}*100/{total},\"\")"),
        cached(d.weight_share_pct),
        &f.dec2,
    )?;
    // Below the contract's minimum share of the weight, the band's malus is not applied
    // (unless the contract applies it all the same).
    let gate = |staircase: String, below: &str| {
        if k.malus_with_little_data {
            staircase
        } else {
            format!(
                "IF(AND(ISNUMBER({score}),ISNUMBER({share}),{share}<{}),{below},{staircase})",
                lit(k.min_weight_share_pct)
            )
        }
    };
    let malus = pair(
        c,
        &mut row,
        "xlsx.kpi.malus_pct",
        gate(staircase_formula(&score, &k.bands, |b| lit(b.malus_pct), "\"\""), "\"\""),
        cached(d.malus_pct),
        &f.dec2_bold,
    )?;
    let (yes, no) = (
        str_lit(labels.get("xlsx.yes")),
        str_lit(labels.get("xlsx.no")),
    );
    let escalation = pair(
        c,
        &mut row,
        "xlsx.kpi.escalation",
        gate(
            staircase_formula(
                &score,
                &k.bands,
                |b| {
                    if b.escalation {
                        yes.clone()
                    } else {
                        no.clone()
                    }
                },
                &no,
            ),
            &no,
        ),
        escalation_result(labels, d),
        &f.bold,
    )?;
    let malus_eur = match d.invoice_amount_eur {
        Some(amount) => {
            c.label_with(row, 0, "xlsx.kpi.invoice", &f.bold)?;
            c.number(row, 1, amount, &f.eur)?;
            let invoice = a1(row, 1);
            row += 1;
            Some(pair(
                c,
                &mut row,
                "xlsx.kpi.malus_eur",
                format!("IF(ISNUMBER({malus}),{invoice}*{malus}/100,\"\")"),
                cached(d.malus_eur),
                &f.eur_bold,
            )?)
        }
        None => None,
    };
    let refs = DomainCells {
        score: format!("={score}"),
        malus: format!("={malus}"),
        escalation: format!("={escalation}"),
        malus_eur: malus_eur.map(|e| format!("={e}")),
    };
    Ok((row, Some(refs)))
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Cursor;

    use calamine::{Data, DataType, Reader, Xlsx, open_workbook_from_rs};

    use super::*;
    use crate::contract::LoadedContract;
    use crate::kpi::KpiSection;
    use crate::period::Period;
    use crate::report::monthly::{RunContext, build};

    const CSV: &str = "\
id,type,school,category,subcategory,summary,priority,channel,opened_at,responded_at,resolved_at,rca_delivered_at
T-001,incident,Montessorischool Noord,Netwerk,wifi,=SOM(A1:A3),P2,email,2026-10-05T09:00,2026-10-05T09:30,2026-10-05T12:00,
T-002,incident,Basisschool De Linde,Werkplek,laptop,@docent,P3,portal,2026-10-06T10:00,2026-10-06T14:30,2026-10-08T10:00,
T-003,service_request,Basisschool De Linde,Accounts,,+31 6 12345678,P4,phone,2026-10-07T08:15,2026-10-07T09:00,,
T-004,incident,Montessorischool Noord,Netwerk,wifi,Storing wifi hele school,P1,phone,2026-10-12T08:30,2026-10-12T08:40,2026-10-12T11:00,2026-10-15T10:00
T-005,change,Basisschool De Linde,Werkplek,,-,P3,portal,2026-10-20T13:00,2026-10-20T13:05,2026-10-21T09:00,
T-006,incident,Basisschool De Linde,Netwerk,wifi,vorige maand,P3,email,2026-09-10T09:00,2026-09-10T09:30,2026-09-10T12:00,
X-007,incident,,Netwerk,,geen school,P3,email,2026-10-10T09:00,,,
";

    fn monthly() -> Monthly {
        let c = LoadedContract::embedded();
        let data = crate::load::load_tickets_csv(CSV.as_bytes(), "tickets.csv", &c).unwrap();
        build(
            &data,
            &RunContext {
                contract: &c,
                period: Period::parse_month("2026-10").unwrap(),
                today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                lang: crate::i18n::Lang::Nl,
            },
        )
    }

    fn nl() -> Labels {
        Labels::embedded(crate::i18n::Lang::Nl).unwrap()
    }

    pub(in crate::render) fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).unwrap()
    }

    pub(in crate::render) fn string_at(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
        match range.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("expected a string at ({row}, {col}), found {other:?}"),
        }
    }

    /// Excel serial of a local `YYYY-MM-DDTHH:MM` (1900 date system, after March 1900).
    fn serial(s: &str) -> f64 {
        let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        (t - epoch).num_seconds() as f64 / 86_400.0
    }

    #[test]
    fn sheets_in_order_with_dutch_names() {
        let mut wb = open(monthly_xlsx(&monthly(), &nl()).unwrap());
        assert_eq!(
            wb.sheet_names(),
            [
                "Samenvatting",
                "Grafieken",
                "KPI's",
                "Volumes",
                "Incidenten",
                "Type en prioriteit",
                "Reactietijd",
                "Oplostijd",
                "Overschrijdingen",
                "Achterstand",
                "Terugkerende issues",
                "P1 en RCA",
                "Prioriteit met de hand",
                "Tickets",
                "Datakwaliteit",
            ]
        );
        let summary = wb.worksheet_range("Samenvatting").unwrap();
        assert_eq!(
            string_at(&summary, 0, 0),
            "Bijlage bij de SLA-maandrapportage van oktober 2026"
        );
    }

    #[test]
    fn english_labels_give_english_sheet_names() {
        let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
        let wb = open(monthly_xlsx(&monthly(), &en).unwrap());
        let names = wb.sheet_names();
        assert_eq!(names[0], "Summary");
        assert!(names.contains(&"Data quality".to_string()));
        for n in &names {
            assert!(
                n.encode_utf16().count() <= 31 && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])
            );
        }
    }

    #[test]
    fn one_row_per_ticket_with_literal_text_and_real_datetimes() {
        let m = monthly();
        let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
        let range = wb.worksheet_range("Tickets").unwrap();
        assert_eq!(range.height(), m.tickets.len() + 1);
        assert_eq!(string_at(&range, 0, 0), "Ticket");
        let ids: Vec<String> = (1..=m.tickets.len() as u32)
            .map(|r| string_at(&range, r, 0))
            .collect();
        assert_eq!(ids, ["T-001", "T-002", "T-003", "T-004", "T-005"]);
        assert!(m.tickets.iter().map(|t| &t.ticket_id).eq(ids.iter()));

        // Formula-like and sign-leading summaries are string cells, not formulas.
        let formulas = wb.worksheet_formula("Tickets").unwrap();
        for (row, text) in [
            (1, "=SOM(A1:A3)"),
            (2, "@docent"),
            (3, "+31 6 12345678"),
            (5, "-"),
        ] {
            assert_eq!(string_at(&range, row, 8), text);
            assert!(
                formulas.get_value((row, 8)).is_none_or(|f| f.is_empty()),
                "formula in row {row}"
            );
        }
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));

        // Dates are datetime cells with the right serial value; statuses are translated.
        for (i, t) in m.tickets.iter().enumerate() {
            let row = i as u32 + 1;
            match range.get_value((row, 10)) {
                Some(Data::DateTime(d)) => {
                    assert!((d.as_f64() - serial(&t.opened_at.to_string())).abs() < 1e-9)
                }
                other => panic!("opened_at of {} is {other:?}", t.ticket_id),
            }
            let nl = nl();
            assert_eq!(
                string_at(&range, row, 18),
                nl.get(&format!("status.{}", t.response_status))
            );
            assert_eq!(string_at(&range, row, 13), "geteld");
            match range.get_value((row, 16)) {
                Some(Data::Float(x)) => assert_eq!(*x, t.response_target_minutes as f64),
                other => panic!("response target is {other:?}"),
            }
        }
        assert_eq!(string_at(&range, 1, 2), "Incident");
        assert_eq!(string_at(&range, 3, 2), "Serviceverzoek");
    }

    #[test]
    fn percentages_are_fractions_of_the_model() {
        let m = monthly();
        let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
        for (sheet, rows) in [
            ("Reactietijd", &m.report.attainment.response),
            ("Oplostijd", &m.report.attainment.resolution),
        ] {
            let range = wb.worksheet_range(sheet).unwrap();
            assert!(rows.iter().any(|r| r.pct.is_some()));
            for (i, a) in rows.iter().enumerate() {
                let row = i as u32 + 2;
                match (a.pct, range.get_value((row, 7))) {
                    (Some(p), Some(Data::Float(x))) => {
                        assert!((x - p / 100.0).abs() < 1e-12, "{sheet} row {row}")
                    }
                    (None, None | Some(Data::Empty)) => {}
                    (p, cell) => panic!("{sheet} row {row}: model {p:?}, cell {cell:?}"),
                }
                match range.get_value((row, 3)) {
                    Some(Data::Float(x)) => assert_eq!(*x, a.counted as f64),
                    other => panic!("{sheet} row {row}: counted {other:?}"),
                }
            }
        }
        let summary = wb.worksheet_range("Samenvatting").unwrap();
        let label = nl().get("xlsx.summary.response_pct").to_string();
        let row = summary
            .rows()
            .position(|r| matches!(r.first(), Some(Data::String(s)) if *s == label))
            .expect("response percentage in the summary");
        let want = m.report.summary.response_pct.unwrap() / 100.0;
        assert!(matches!(summary.get((row, 1)), Some(Data::Float(x)) if (x - want).abs() < 1e-12));
    }

    #[test]
    fn lists_and_cross_tables_follow_the_model() {
        let m = monthly();
        let r = &m.report;
        let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
        let breaches = wb.worksheet_range("Overschrijdingen").unwrap();
        assert!(!r.breaches.is_empty());
        assert_eq!(breaches.height(), r.breaches.len() + 1);
        for (i, x) in r.breaches.iter().enumerate() {
            assert_eq!(string_at(&breaches, i as u32 + 1, 0), x.ticket_id);
        }
        let p1 = wb.worksheet_range("P1 en RCA").unwrap();
        assert_eq!(string_at(&p1, 1, 0), "T-004");
        assert_eq!(
            string_at(&p1, 1, 14),
            nl().get(&format!("rca_status.{}", r.p1s[0].rca_status.key()))
        );

        let volumes = wb.worksheet_range("Volumes").unwrap();
        let t = &r.volumes.by_school_category;
        let total_row = 3 + t.rows.len() as u32;
        assert_eq!(string_at(&volumes, total_row, 0), "Totaal");
        let total_col = t.columns.len() as u32 + 1;
        assert!(
            matches!(volumes.get_value((total_row, total_col)), Some(Data::Float(x)) if *x == t.total as f64)
        );
        assert_eq!(t.total, 5);

        let dq = wb.worksheet_range("Datakwaliteit").unwrap();
        let texts: Vec<String> = dq
            .used_cells()
            .filter_map(|(_, _, d)| d.get_string().map(String::from))
            .collect();
        assert!(
            texts.iter().any(|s| s == "school"),
            "the rejection of X-007 is listed: {texts:?}"
        );
    }

    #[test]
    fn control_characters_and_overlong_text_do_not_break_the_file() {
        let mut m = monthly();
        m.tickets[0].summary = "a\u{7}b\r\nc\rd\u{0}_x0041_\ttab".into();
        m.tickets[1].summary = "x".repeat(40_000);
        m.tickets[2].school = "=HYPERLINK(\"http://example.com\")".into();
        let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
        let range = wb.worksheet_range("Tickets").unwrap();
        assert_eq!(
            string_at(&range, 1, 8),
            "a\u{FFFD}b\nc\nd\u{FFFD}_x0041_\ttab"
        );
        let long = string_at(&range, 2, 8);
        assert_eq!(long.chars().count(), MAX_CELL_UTF16);
        assert!(long.ends_with('…'));
        assert_eq!(
            string_at(&range, 3, 5),
            "=HYPERLINK(\"http://example.com\")"
        );
    }

    #[test]
    fn long_lists_continue_on_numbered_sheets() {
        let m = monthly();
        let mut wb = open(write_workbook(&m, &nl(), 2, false).unwrap());
        let names = wb.sheet_names();
        let tickets: Vec<&String> = names.iter().filter(|n| n.starts_with("Tickets")).collect();
        assert_eq!(tickets, ["Tickets", "Tickets (2)", "Tickets (3)"]);
        let mut ids = Vec::new();
        for name in ["Tickets", "Tickets (2)", "Tickets (3)"] {
            let range = wb.worksheet_range(name).unwrap();
            assert_eq!(string_at(&range, 0, 0), "Ticket");
            ids.extend((1..range.height() as u32).map(|r| string_at(&range, r, 0)));
        }
        assert!(m.tickets.iter().map(|t| &t.ticket_id).eq(ids.iter()));
    }

    #[test]
    fn same_model_same_bytes() {
        let m = monthly();
        let a = monthly_xlsx(&m, &nl()).unwrap();
        let b = monthly_xlsx(&m, &nl()).unwrap();
        assert!(a == b, "two runs differ");
        assert!(a.starts_with(b"PK"));
    }

    #[test]
    fn bad_generated_on_is_an_error_not_a_panic() {
        let mut m = monthly();
        // A date Excel cannot hold (its dates begin on 1899-12-31).
        m.report.meta.generated_on = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
        let e = monthly_xlsx(&m, &nl()).unwrap_err();
        assert!(e.message.contains("generated_on"), "{e}");
    }

    #[test]
    fn sheet_names_are_cleaned_cut_and_numbered() {
        assert_eq!(sheet_base_name("a/b:c*d?[e]\\"), "a_b_c_d__e__");
        assert_eq!(sheet_base_name("'quoted'"), "quoted");
        assert_eq!(sheet_base_name("  "), "Sheet");
        let long = "Een heel lange naam voor een tabblad met tickets";
        assert_eq!(numbered_sheet_name(long, 1).encode_utf16().count(), 31);
        let n = numbered_sheet_name(long, 12);
        assert!(n.ends_with(" (12)") && n.encode_utf16().count() <= 31);
        assert_eq!(month_label("2026-10", &nl()), "oktober 2026");
        assert_eq!(month_label("Q4", &nl()), "Q4");
    }
    // --- The KPI sheet -------------------------------------------------------------------

    /// The committed demo data for October 2026: every kind of figure (calls, tickets,
    /// measurements of the month, the quarter and the half year) and every domain status.
    fn demo_monthly() -> Monthly {
        demo_with(|_| {})
    }

    /// The demo data without the phone log and without the measurements of domain 4 and of
    /// CMDB accuracy: KPIs without data, a domain without data.
    fn demo_with_gaps() -> Monthly {
        demo_with(|data| {
            data.calls = None;
            let gone = [
                "patch_compliance",
                "os_up_to_date",
                "licence_compliance",
                "cmdb_accuracy",
            ];
            data.measurements
                .retain(|m| !gone.contains(&m.kpi.as_str()));
        })
    }

    fn demo_with(change: impl FnOnce(&mut crate::load::DataSet)) -> Monthly {
        let c = LoadedContract::embedded();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let mut data = crate::load::load_data_dir(&dir, &c).unwrap();
        change(&mut data);
        build(
            &data,
            &RunContext {
                contract: &c,
                period: Period::parse_month("2026-10").unwrap(),
                today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                lang: crate::i18n::Lang::Nl,
            },
        )
    }

    /// The row whose column `col` holds the string `s`, from row `from` on.
    fn row_of(range: &calamine::Range<Data>, col: u32, s: &str, from: u32) -> Option<u32> {
        (from..range.height() as u32)
            .find(|r| matches!(range.get_value((*r, col)), Some(Data::String(x)) if x == s))
    }

    fn float_at(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<f64> {
        match range.get_value((row, col)) {
            Some(Data::Float(x)) => Some(*x),
            Some(Data::Int(x)) => Some(*x as f64),
            Some(Data::String(s)) if s.is_empty() => None,
            None | Some(Data::Empty) => None,
            other => panic!("expected a number at ({row}, {col}), found {other:?}"),
        }
    }

    fn formula_at(formulas: &calamine::Range<String>, row: u32, col: u32) -> String {
        formulas.get_value((row, col)).cloned().unwrap_or_default()
    }

    /// Per domain: the row of its score (`None` when its block has no score formula).
    fn score_rows(range: &calamine::Range<Data>, k: &KpiSection, l: &Labels) -> Vec<Option<u32>> {
        let heading = |n: usize| {
            let d = &k.domains[n];
            l.get("xlsx.kpi.domain_heading")
                .replace("{number}", &d.number.to_string())
                .replace("{name}", &d.name)
        };
        let starts: Vec<u32> = (0..k.domains.len())
            .map(|n| row_of(range, 0, &heading(n), 0).expect("domain heading"))
            .collect();
        (0..k.domains.len())
            .map(|n| {
                let end = starts.get(n + 1).copied().unwrap_or(u32::MAX);
                row_of(range, 0, l.get("xlsx.kpi.score"), starts[n]).filter(|r| *r < end)
            })
            .collect()
    }

    #[test]
    fn kpi_sheet_has_live_formulas_with_the_models_values_cached() {
        let m = demo_monthly();
        let k = &m.report.kpis;
        let nl = nl();
        let mut wb = open(monthly_xlsx(&m, &nl).unwrap());
        assert_eq!(wb.sheet_names()[2], "KPI's");
        let range = wb.worksheet_range("KPI's").unwrap();
        let formulas = wb.worksheet_formula("KPI's").unwrap();
        // formulas' range may start elsewhere than A1; calamine's get_value is absolute.
        let ach = u32::from(kc::ACHIEVEMENT);

        let mut checked = 0;
        for d in &k.domains {
            for kpi in &d.kpis {
                let row =
                    row_of(&range, 1, &kpi.id, 0).unwrap_or_else(|| panic!("row of {}", kpi.id));
                let formula = formula_at(&formulas, row, ach);
                match kpi.norm {
                    None => assert!(formula.is_empty(), "{}: count only, no formula", kpi.id),
                    Some(_) if kpi.figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()) => {
                        // Domain 2 per priority: the mean of the priorities' achievements,
                        // each a capped formula on its own row.
                        assert!(formula.starts_with("IF(COUNT(") && formula.contains("AVERAGE("), "{}: {formula}", kpi.id);
                        assert_eq!(float_at(&range, row, ach), kpi.achievement_pct, "{}", kpi.id);
                        for p in &kpi.figure.as_ref().unwrap().per_priority {
                            let id = format!("{}.{}", kpi.id, p.priority);
                            let r = row_of(&range, 1, &id, 0).unwrap_or_else(|| panic!("row of {id}"));
                            let f = formula_at(&formulas, r, ach);
                            assert!(f.contains("MIN(100,"), "{id}: capped: {f}");
                            assert_eq!(float_at(&range, r, ach), Some(p.achievement_pct), "{id}");
                            assert_eq!(float_at(&range, r, u32::from(kc::MEASURED)), Some(p.measured), "{id}");
                        }
                        checked += 1;
                    }
                    Some(_) => {
                        assert!(formula.starts_with("IF(ISNUMBER("), "{}: {formula}", kpi.id);
                        assert!(
                            formula.contains("MIN(100,"),
                            "{}: capped: {formula}",
                            kpi.id
                        );
                        // Exactly the model's f64, not a rounded one.
                        assert_eq!(
                            float_at(&range, row, ach),
                            kpi.achievement_pct,
                            "{}",
                            kpi.id
                        );
                        checked += 1;
                    }
                }
                if kpi.second_norm.is_some() {
                    assert!(
                        formula.contains(&format!("ISNUMBER(M{})", row + 1)),
                        "{formula}"
                    );
                }
                let measured = float_at(&range, row, u32::from(kc::MEASURED));
                assert_eq!(
                    measured,
                    kpi.figure.as_ref().map(|f| f.measured),
                    "{}",
                    kpi.id
                );
            }
        }
        assert!(checked > 15, "{checked} achievements checked");

        let rows = score_rows(&range, k, &nl);
        let mut scored = 0;
        for (d, row) in k.domains.iter().zip(&rows) {
            let live = d.scored && d.active;
            assert_eq!(
                row.is_some(),
                live,
                "domain {} has a score formula",
                d.number
            );
            let Some(row) = *row else { continue };
            let score = formula_at(&formulas, row, 1);
            assert!(
                score.starts_with("IF(SUM(Q") && score.contains("SUMPRODUCT("),
                "{score}"
            );
            assert_eq!(
                float_at(&range, row, 1),
                d.score_pct,
                "score of domain {}",
                d.number
            );
            // The share of the weight with data, then the malus: not applied below 50 %.
            assert_eq!(float_at(&range, row + 1, 1), d.weight_share_pct);
            let malus = formula_at(&formulas, row + 2, 1);
            let b = |r: u32| format!("B{}", r + 1);
            assert_eq!(
                malus,
                format!(
                    "IF(AND(ISNUMBER({s}),ISNUMBER({w}),{w}<50),\"\",IF(ISNUMBER({s}),IF({s}>=95,0,IF({s}>=90,0.5,IF({s}>=80,1,IF({s}>=0,2,\"\")))),\"\"))",
                    s = b(row),
                    w = b(row + 1)
                )
            );
            assert_eq!(float_at(&range, row + 2, 1), d.malus_pct);
            let escalation = if d.score_pct.is_none() {
                ""
            } else if d.escalation {
                "ja"
            } else {
                "nee"
            };
            match range.get_value((row + 3, 1)) {
                Some(Data::String(s)) => assert_eq!(s, escalation),
                None | Some(Data::Empty) => assert_eq!(escalation, ""),
                other => panic!("escalation {other:?}"),
            }
            assert_eq!(float_at(&range, row - 1, 1), Some(d.weight_with_data));
            if d.score_pct.is_some() {
                scored += 1;
            }
        }
        assert!(scored >= 4, "{scored} scored domains");
        assert!(k.domains.iter().any(|d| d.status == "not_active"));
        assert!(k.domains.iter().any(|d| d.status == "unscored"));

        // The overview refers to the blocks and caches the same values.
        let first = row_of(&range, 1, &k.domains[0].name, 0).unwrap();
        for (i, (d, row)) in k.domains.iter().zip(&rows).enumerate() {
            let o = first + i as u32;
            assert_eq!(string_at(&range, o, 1), d.name);
            assert_eq!(
                string_at(&range, o, 2),
                nl.get(&format!("xlsx.domain_status.{}", d.status))
            );
            match row {
                Some(r) => {
                    assert_eq!(formula_at(&formulas, o, 3), format!("B{}", r + 1));
                    assert_eq!(float_at(&range, o, 3), d.score_pct);
                    assert_eq!(formula_at(&formulas, o, 4), format!("B{}", r + 3));
                    assert_eq!(float_at(&range, o, 4), d.malus_pct);
                }
                None => assert!(formula_at(&formulas, o, 3).is_empty()),
            }
        }
    }

    #[test]
    fn kpi_sheet_formula_variants() {
        let mut m = demo_monthly();
        let k = &mut m.report.kpis;
        k.cap_pct = None;
        let d = k.domains.iter_mut().find(|d| d.status == "scored").unwrap();
        d.invoice_amount_eur = Some(12_000.0);
        d.malus_eur = d.malus_pct.map(|p| 12_000.0 * p / 100.0);
        let want_eur = d.malus_eur;
        let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
        let mut wb = open(monthly_xlsx(&m, &en).unwrap());
        assert_eq!(wb.sheet_names()[2], "KPIs");
        let range = wb.worksheet_range("KPIs").unwrap();
        let formulas = wb.worksheet_formula("KPIs").unwrap();
        let ach = u32::from(kc::ACHIEVEMENT);

        // Without a cap there is no MIN but the one of reachability's two parts.
        let row = row_of(&range, 1, "failed_changes", 0).unwrap();
        let r = row + 1;
        assert_eq!(
            formula_at(&formulas, row, ach),
            format!("IF(ISNUMBER(L{r}),IF(L{r}<=0,100,E{r}*100/L{r}),\"\")")
        );
        let row = row_of(&range, 1, "first_contact_resolution", 0).unwrap();
        let r = row + 1;
        assert_eq!(
            formula_at(&formulas, row, ach),
            format!("IF(ISNUMBER(L{r}),IF(E{r}<=0,100,L{r}*100/E{r}),\"\")")
        );
        let row = row_of(&range, 1, "reachability", 0).unwrap();
        let f = formula_at(&formulas, row, ach);
        assert!(f.contains("MIN(IF(") && !f.contains("MIN(100"), "{f}");

        // The malus in euros: invoice amount × malus % ÷ 100, in the block and the overview.
        let eur_row = row_of(&range, 0, en.get("xlsx.kpi.malus_eur"), 0).unwrap();
        let f = formula_at(&formulas, eur_row, 1);
        assert_eq!(
            f,
            format!(
                "IF(ISNUMBER(B{m}),B{i}*B{m}/100,\"\")",
                m = eur_row - 2,
                i = eur_row
            )
        );
        assert_eq!(float_at(&range, eur_row, 1), want_eur);
        assert!(want_eur.is_some());
        let header = row_of(&range, 6, en.get("xlsx.kpi.malus_eur"), 0).unwrap();
        assert_eq!(
            formula_at(&formulas, header + 1, 6),
            format!("B{}", eur_row + 1)
        );
        // English escalation texts in the formula.
        let esc = formula_at(&formulas, eur_row - 2, 1);
        assert!(esc.contains("\"yes\"") && esc.contains("\"no\""), "{esc}");
    }

    #[test]
    fn kpis_without_data_give_empty_results_not_zero() {
        let m = demo_with_gaps();
        let k = &m.report.kpis;
        let nl = nl();
        let mut wb = open(monthly_xlsx(&m, &nl).unwrap());
        let range = wb.worksheet_range("KPI's").unwrap();
        let formulas = wb.worksheet_formula("KPI's").unwrap();
        let ach = u32::from(kc::ACHIEVEMENT);
        let empty = |row: u32, col: u32| {
            matches!(range.get_value((row, col)), None | Some(Data::Empty))
                || matches!(range.get_value((row, col)), Some(Data::String(s)) if s.is_empty())
        };
        for id in ["reachability", "cmdb_accuracy", "patch_compliance"] {
            let row = row_of(&range, 1, id, 0).unwrap();
            assert!(!formula_at(&formulas, row, ach).is_empty(), "{id}");
            assert!(empty(row, ach), "{id}: {:?}", range.get_value((row, ach)));
            assert!(empty(row, u32::from(kc::MEASURED)));
            assert_eq!(float_at(&range, row, u32::from(kc::EFFECTIVE)), Some(0.0));
            assert_eq!(
                string_at(&range, row, u32::from(kc::STATUS)),
                "geen gegevens"
            );
        }
        let workplace = k
            .domains
            .iter()
            .position(|d| d.id == "workplace_devices")
            .unwrap();
        assert_eq!(k.domains[workplace].status, "no_data");
        let rows = score_rows(&range, k, &nl);
        let row = rows[workplace].expect("a domain without data keeps its score formula");
        assert!(!formula_at(&formulas, row, 1).is_empty());
        // Score, malus and escalation are empty; the share of the weight with data is 0.
        for r in [row, row + 2, row + 3] {
            assert!(empty(r, 1), "row {r}: {:?}", range.get_value((r, 1)));
        }
        assert_eq!(float_at(&range, row + 1, 1), Some(0.0));
        // Domain 1 is scored over the KPIs that have data.
        let d1 = &k.domains[0];
        assert!(d1.weight_with_data < d1.weight_total);
        assert_eq!(float_at(&range, rows[0].unwrap(), 1), d1.score_pct);
    }

    #[test]
    fn poisoned_annex_has_the_same_formulas_and_wrong_results() {
        let m = demo_monthly();
        let mut good = open(monthly_xlsx(&m, &nl()).unwrap());
        let mut bad = open(monthly_xlsx_with_cached(&m, &nl(), true).unwrap());
        let fg = good.worksheet_formula("KPI's").unwrap();
        let fb = bad.worksheet_formula("KPI's").unwrap();
        assert_eq!(fg, fb);
        let values = bad.worksheet_range("KPI's").unwrap();
        let mut n = 0;
        for (row, col, f) in fb.used_cells() {
            if f.is_empty() {
                continue;
            }
            let (row, col) = (
                row as u32 + fb.start().unwrap().0,
                col as u32 + fb.start().unwrap().1,
            );
            assert_eq!(
                float_at(&values, row, col),
                Some(POISONED_RESULT),
                "({row}, {col}) {f}"
            );
            n += 1;
        }
        assert!(n > 40, "{n} formulas");
    }

    // --- The charts sheet ----------------------------------------------------------------

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// The numbers of the chart parts in the package: a zip file keeps its file names
    /// uncompressed, so the bytes hold `xl/charts/chartN.xml`.
    pub(in crate::render) fn chart_parts(bytes: &[u8]) -> Vec<u32> {
        (1..=20)
            .filter(|n| contains(bytes, format!("xl/charts/chart{n}.xml").as_bytes()))
            .collect()
    }

    #[test]
    fn charts_sheet_comes_second_and_holds_three_charts() {
        let bytes = monthly_xlsx(&monthly(), &nl()).unwrap();
        assert_eq!(chart_parts(&bytes), [1, 2, 3]);
        assert!(contains(&bytes, b"xl/drawings/drawing1.xml"));
        assert!(
            !contains(&bytes, b"xl/drawings/drawing2.xml"),
            "one sheet has drawings"
        );
        let mut wb = open(bytes);
        assert_eq!(wb.sheet_names()[1], "Grafieken");
        let range = wb.worksheet_range("Grafieken").unwrap();
        assert_eq!(
            string_at(&range, 0, 0),
            "Grafieken bij de SLA-maandrapportage van oktober 2026"
        );
        let en = Labels::embedded(crate::i18n::Lang::En).unwrap();
        let bytes = monthly_xlsx(&monthly(), &en).unwrap();
        assert_eq!(chart_parts(&bytes), [1, 2, 3]);
        assert_eq!(open(bytes).sheet_names()[1], "Charts");
    }

    #[test]
    fn a_chart_without_data_is_left_out() {
        let mut m = monthly();
        let t = &mut m.report.volumes.by_school_category;
        t.rows.clear();
        t.cells.clear();
        t.row_totals.clear();
        let bytes = monthly_xlsx(&m, &nl()).unwrap();
        assert_eq!(chart_parts(&bytes), [1, 2]);
        let range = open(bytes).worksheet_range("Grafieken").unwrap();
        let none = nl().get("chart.none").to_string();
        assert!(
            row_of(&range, 0, &none, 0).is_some(),
            "the missing chart is said"
        );
    }

    #[test]
    fn charts_refer_to_cells_that_hold_the_models_figures() {
        let m = demo_monthly();
        let r = &m.report;
        let nl = nl();
        let mut wb = open(monthly_xlsx(&m, &nl).unwrap());

        // 1. Attainment per priority: the per-priority rows of both attainment sheets.
        let a = &r.attainment;
        for (sheet, rows, by_priority) in [
            ("Reactietijd", &a.response, &a.response_by_priority),
            ("Oplostijd", &a.resolution, &a.resolution_by_priority),
        ] {
            let range = wb.worksheet_range(sheet).unwrap();
            let first = rows.len() as u32 + 5;
            assert_eq!(by_priority.len(), 4);
            for (k, x) in by_priority.iter().enumerate() {
                let row = first + k as u32;
                assert_eq!(
                    string_at(&range, row, u32::from(ATTAINMENT_PRIORITY_COL)),
                    nl.get(&format!("priority.{}", x.priority))
                );
                let pct = float_at(&range, row, u32::from(ATTAINMENT_PCT_COL));
                assert_eq!(pct, x.pct.map(|p| p / 100.0), "{sheet} {}", x.priority);
            }
        }

        // The staircase's limits: helper cells referring to the KPI sheet's staircase.
        let kpi = wb.worksheet_range("KPI's").unwrap();
        let k = &r.kpis;
        let first_band = 6 + k.domains.len() as u32 + 3;
        for (i, band) in k.bands.iter().enumerate() {
            assert_eq!(
                float_at(&kpi, first_band + i as u32, 0),
                Some(band.min_score_pct)
            );
        }
        let charts = wb.worksheet_range("Grafieken").unwrap();
        let charts_f = wb.worksheet_formula("Grafieken").unwrap();
        let h = u32::from(HELPER_COL);
        let header = CHART_TOP + 1;
        assert_eq!(string_at(&charts, header, h), nl.get("xlsx.col.priority"));
        let limits: Vec<(usize, f64)> = k
            .bands
            .iter()
            .map(|b| b.min_score_pct)
            .enumerate()
            .filter(|(_, min)| *min > 0.0)
            .collect();
        assert_eq!(
            limits.iter().map(|(_, m)| *m).collect::<Vec<_>>(),
            [95.0, 90.0, 80.0]
        );
        assert_eq!(string_at(&charts, header, h + 1), "Staffelgrens 95 %");
        for (j, (i, min)) in limits.iter().enumerate() {
            let col = h + 1 + j as u32;
            for p in 0..4 {
                let row = header + 1 + p;
                assert_eq!(
                    string_at(&charts, row, h),
                    nl.get(&format!(
                        "priority.{}",
                        a.response_by_priority[p as usize].priority
                    ))
                );
                assert_eq!(
                    formula_at(&charts_f, row, col),
                    format!("'KPI''s'!$A${}/100", first_band + *i as u32 + 1)
                );
                assert_eq!(float_at(&charts, row, col), Some(min / 100.0));
            }
        }

        // 2. Domain scores: the overview's name and score columns.
        for (i, d) in k.domains.iter().enumerate() {
            let row = 6 + i as u32;
            assert_eq!(string_at(&kpi, row, u32::from(OVERVIEW_NAME_COL)), d.name);
            assert_eq!(
                float_at(&kpi, row, u32::from(OVERVIEW_SCORE_COL)),
                d.score_pct
            );
        }

        // 3. Tickets per school, highest first, each cell a reference to the volumes sheet.
        let t = &r.volumes.by_school_category;
        assert!(t.rows.len() > 10);
        let heading = nl
            .get("chart.schools.heading")
            .replace("{sheet}", "Volumes");
        let top = row_of(&charts, h, &heading, 0).expect("the schools' helper table");
        assert_eq!(
            string_at(&charts, top + 1, h + 1),
            nl.get("chart.schools.tickets")
        );
        let volumes = wb.worksheet_range("Volumes").unwrap();
        let total_col = t.columns.len() as u16 + 1;
        let mut seen = BTreeSet::new();
        let mut previous = f64::INFINITY;
        for n in 0..t.rows.len() as u32 {
            let row = top + 2 + n;
            let name = string_at(&charts, row, h);
            let count = float_at(&charts, row, h + 1).unwrap();
            let i = t.rows.iter().position(|s| *s == name).expect("a school");
            assert!(seen.insert(i), "{name} twice");
            assert_eq!(count, t.row_totals[i] as f64, "{name}");
            assert!(count <= previous, "sorted highest first");
            previous = count;
            let at = CROSS_FIRST_ROW + i as u32;
            assert_eq!(
                formula_at(&charts_f, row, h),
                format!("Volumes!$A${}", at + 1)
            );
            assert_eq!(
                formula_at(&charts_f, row, h + 1),
                format!("Volumes!{}", row_col_to_cell_absolute(at, total_col))
            );
            assert_eq!(string_at(&volumes, at, 0), name);
            assert_eq!(float_at(&volumes, at, u32::from(total_col)), Some(count));
        }
        let after = top + 2 + t.rows.len() as u32;
        assert!(matches!(
            charts.get_value((after, h)),
            None | Some(Data::Empty)
        ));
    }

    #[test]
    fn a_school_name_that_would_not_read_back_as_text_stays_text() {
        let mut m = monthly();
        let t = &mut m.report.volumes.by_school_category;
        assert_eq!(t.rows.len(), 2);
        t.rows = vec!["2024".into(), "#N/A".into()];
        let mut wb = open(monthly_xlsx(&m, &nl()).unwrap());
        let charts = wb.worksheet_range("Grafieken").unwrap();
        let charts_f = wb.worksheet_formula("Grafieken").unwrap();
        let h = u32::from(HELPER_COL);
        let heading = nl()
            .get("chart.schools.heading")
            .replace("{sheet}", "Volumes");
        let top = row_of(&charts, h, &heading, 0).unwrap();
        let mut names: Vec<String> = (0..2).map(|n| string_at(&charts, top + 2 + n, h)).collect();
        names.sort();
        assert_eq!(names, ["#N/A", "2024"]);
        for n in 0..2 {
            assert!(formula_at(&charts_f, top + 2 + n, h).is_empty());
            assert!(!formula_at(&charts_f, top + 2 + n, h + 1).is_empty());
        }
        assert!(text_result_is_safe("Basisschool De Linde"));
        assert!(!text_result_is_safe("1e3") && !text_result_is_safe("TRUE"));
    }
}
