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

use crate::render::annex::changes::changes_sheets;
use crate::render::annex::voice::{commentary_sheet, measures_sheet, voice_sheets};
use crate::render::annex::workbook::{Book, LIST_ROWS_PER_SHEET, Res, annex_error, properties};
use crate::error::Result;
use crate::i18n::{Labels, month_label};
use crate::report::model::Monthly;
use charts::charts_sheet;
use kpi::{KpiCells, kpi_sheet};
use lists::{backlog_sheets, breaches_sheets, priority_override_sheets, recurring_sheet, ticket_sheets};
pub(crate) use lists::p1_sheets;
use summary::{data_quality_sheet, summary_sheet};
use tables::{AttainmentCells, attainment_sheets, cross_sheets};
pub use summary::DQ_MAX_ROWS;

mod charts;
mod kpi;
mod lists;
mod summary;
mod tables;
#[cfg(test)]
pub(super) mod tests;

/// The Excel annex of a monthly report, as the bytes of an `.xlsx` file.
pub fn monthly_xlsx(m: &Monthly, labels: &Labels) -> Result<Vec<u8>> {
    write_workbook(m, labels, LIST_ROWS_PER_SHEET).map_err(annex_error("Excel annex"))
}

/// [`monthly_xlsx`] with a configurable number of data rows per list sheet (tests use a
/// small one to exercise the continuation sheets).
fn write_workbook(m: &Monthly, labels: &Labels, rows_per_sheet: usize) -> Res<Vec<u8>> {
    let r = &m.report;
    let mut b = Book::new(labels, rows_per_sheet, true);
    let meta = &r.meta;
    let title = labels.get("xlsx.title").replace("{period}", &month_label(&meta.period, labels));
    let subject = format!("{} — {}", meta.contract_name, meta.client);
    b.wb.set_properties(&properties(&title, Some(&subject), &meta.provider, meta.generated_on)?);
    // Excel's own level (README, "What the PDF carries"): 30 % faster than the default 6
    // for a file a few per cent larger.
    b.wb.set_zip_compression_level(3);

    summary_sheet(&mut b, r)?;
    let kpi = kpi_sheet(&mut b, &r.kpis)?;
    let volumes = cross_sheets(&mut b, &r.volumes)?;
    let (response, resolution) = attainment_sheets(&mut b, &r.attainment)?;
    breaches_sheets(&mut b, r)?;
    backlog_sheets(&mut b, r)?;
    recurring_sheet(&mut b, r)?;
    p1_sheets(&mut b, &r.p1s)?;
    priority_override_sheets(&mut b, r)?;
    measures_sheet(&mut b, &r.open_measures)?;
    voice_sheets(&mut b, &r.voice)?;
    commentary_sheet(&mut b, &r.commentary)?;
    ticket_sheets(&mut b, m)?;
    data_quality_sheet(&mut b, r)?;
    if let Some(ch) = &r.changes {
        changes_sheets(&mut b, ch)?;
    }
    charts_sheet(&mut b, r, &ChartSources { kpi, volumes, response, resolution })?;
    b.wb.save_to_buffer()
}

/// The cells of the other sheets that the charts read.
struct ChartSources {
    pub(super) kpi: KpiCells,
    pub(super) volumes: String,
    pub(super) response: AttainmentCells,
    pub(super) resolution: AttainmentCells,
}
