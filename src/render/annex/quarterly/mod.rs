//! The Excel annex of the quarterly report: the tables of the PDF as sheets, from the same
//! `QuarterlyReport`. Text is always written as text (never a formula); percentages are
//! real numbers with a percent format; the file is byte-identical for the same model.
//!
//! The second sheet ("Grafieken") holds native Excel charts of what the PDF charts: tickets
//! per month and type (from the trends sheet) and the domain scores per month (from the KPI
//! sheet), both reading those sheets' cells.
//!
//! The annex is auditable like the monthly one: the calculation sheet ("KPI-berekening")
//! holds, per KPI and per period (each month and the quarter), the measured values,
//! numerators and denominators, and as live formulas the achievement, the weight with data,
//! the domain score, the malus and the escalation, with the model's values cached. The KPI
//! and malus sheets refer to those cells, so a changed measured value recalculates all three.

mod calc;
mod charts;
mod kpi;
#[cfg(test)]
mod tests;

use crate::render::annex::changes::changes_sheets;
use crate::render::annex::voice::{commentary_sheet, measures_sheet, voice_sheets};
use crate::render::annex::workbook::{Book, Cells, Col, LIST_ROWS_PER_SHEET, Res, annex_error, cix, list_sheets, properties, rix};
use crate::error::Result;
use crate::i18n::{Labels, month_label, period_label};
use crate::report::model::{CrossTable, Summary};
use crate::report::quarterly::QuarterlyReport;
use calc::calc_sheet;
use charts::{Sources, charts_sheet};
use kpi::{kpi_sheet, malus_sheet};

/// The Excel annex of a quarterly report, as the bytes of an `.xlsx` file.
pub fn quarterly_xlsx(q: &QuarterlyReport, labels: &Labels) -> Result<Vec<u8>> {
    write_workbook(q, labels, LIST_ROWS_PER_SHEET).map_err(annex_error("quarterly annex"))
}

/// The sheets in their order: headline figures, charts, KPIs, the calculation sheet, malus,
/// trends, changes, then the logs, the commentary and a rerun's changes.
/// A list longer than `rows_per_sheet` continues on numbered sheets (Excel's limit in the
/// file; a small number in the tests).
fn write_workbook(q: &QuarterlyReport, labels: &Labels, rows_per_sheet: usize) -> Res<Vec<u8>> {
    let mut b = Book::new(labels, rows_per_sheet, false);
    let title = format!("{} {}", labels.get("q.title"), period_label(&q.meta.period, labels));
    let subject = format!("{} — {}", q.meta.contract_name, q.meta.client);
    b.wb.set_properties(&properties(&title, Some(&subject), &q.meta.provider, q.meta.generated_on)?);
    let months: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).collect();

    headline_sheet(&mut b, q, &months)?;
    // The calculation sheet is written first (the KPI and malus sheets refer to its cells)
    // and placed after the KPI sheet.
    let (calc_ws, calc) = calc_sheet(&mut b, q)?;
    let (kpi_sheet, score_rows) = kpi_sheet(&mut b, q, &months, &calc)?;
    b.wb.push_worksheet(calc_ws);
    malus_sheet(&mut b, q, &calc)?;
    let trends_sheet = trends_sheet(&mut b, q, &months)?;
    change_counts_sheet(&mut b, q)?;
    if q.changes_cut_in_pdf() {
        changes_list_sheet(&mut b, q)?;
    }
    if q.p1s_cut_in_pdf() {
        crate::render::annex::monthly::p1_sheets(&mut b, &q.p1s)?;
    }
    let charts = charts_sheet(&mut b, q, &Sources { kpi_sheet, score_rows, trends_sheet })?;
    b.insert_second(charts);
    measures_sheet(&mut b, &q.open_measures)?;
    voice_sheets(&mut b, &q.voice)?;
    commentary_sheet(&mut b, &q.commentary)?;
    if let Some(ch) = &q.rerun_changes {
        changes_sheets(&mut b, ch)?;
    }
    b.wb.save_to_buffer()
}

/// A header: `first`, the months, the quarter's column, then `last`.
fn period_head(labels: &Labels, first: Vec<String>, months: &[String], last: &[String]) -> Vec<String> {
    let mut h = first;
    h.extend(months.iter().cloned());
    h.push(labels.get("q.quarter_col").to_string());
    h.extend(last.iter().cloned());
    h
}

/// A headline count and a headline percentage of a period's summary.
type Count = fn(&Summary) -> u64;
type Pct = fn(&Summary) -> Option<f64>;

/// The headline figures per month and for the quarter: counts, then percentages.
fn headline_sheet(b: &mut Book, q: &QuarterlyReport, months: &[String]) -> Res {
    let labels = b.labels;
    let mut ws = b.plain_sheet("q.headline.heading")?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let mut row = c.dark_header(0, &period_head(labels, vec![labels.get("q.figure").to_string()], months, &[]))?;
        let all: Vec<&Summary> = q.month_summaries.iter().chain([&q.quarter_summary]).collect();
        let counts: [(&str, Count); 4] = [
            ("pdf.summary.opened", |x| x.tickets_opened),
            ("ticket_type.incident", |x| x.incidents_opened),
            ("pdf.summary.breaches", |x| x.response_breaches + x.resolution_breaches),
            ("pdf.summary.p1", |x| x.p1_count),
        ];
        for (key, count) in counts {
            c.text(row, 0, labels.get(key))?;
            for (i, x) in all.iter().enumerate() {
                c.general(row, cix(i + 1)?, count(x) as f64)?;
            }
            row += 1;
        }
        let pcts: [(&str, Pct); 2] = [("pdf.summary.response", |x| x.response_pct), ("pdf.summary.resolution", |x| x.resolution_pct)];
        for (key, pct) in pcts {
            c.text(row, 0, labels.get(key))?;
            for (i, x) in all.iter().enumerate() {
                c.pct_with(row, cix(i + 1)?, pct(x), &f.pct)?;
            }
            row += 1;
        }
        c.ws.set_column_width(0, 34)?;
        c.ws.set_column_range_width(1, 5, 16)?;
        c.ws.set_freeze_panes(1, 0)?;
    }
    b.wb.push_worksheet(ws);
    Ok(())
}

/// Volumes and trends: tickets per type and month, the recurring issues per month, tickets
/// per school and month. Returns the sheet's name (the charts read its first table).
fn trends_sheet(b: &mut Book, q: &QuarterlyReport, months: &[String]) -> Res<String> {
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = b.plain_sheet("q.agenda.trends")?;
    {
        let mut c = b.cells(&mut ws);
        let month_of = |m: &str| month_label(m, labels);
        let mut by_type = q.volumes_by_type.clone();
        by_type.rows = by_type.rows.iter().map(|r| l(&format!("ticket_type.{r}"))).collect();
        let mut row = cross_block(&mut c, 0, &by_type, &l("pdf.type"), &month_of, &l("pdf.total"))?;
        let mut h = vec![l("pdf.issue")];
        h.extend(months.iter().cloned());
        h.push(l("pdf.total"));
        row = c.dark_header(row, &h)?;
        for it in &q.recurring {
            let name = if it.subcategory.is_empty() { it.category.clone() } else { format!("{} / {}", it.category, it.subcategory) };
            c.text(row, 0, &name)?;
            for (i, n) in it.counts.iter().enumerate() {
                c.general(row, cix(i + 1)?, *n as f64)?;
            }
            c.general(row, cix(it.counts.len() + 1)?, it.total as f64)?;
            row += 1;
        }
        row += 1;
        cross_block(&mut c, row, &q.schools_by_month.to_dense(), &l("pdf.school"), &month_of, &l("pdf.total"))?;
        c.ws.set_column_width(0, 44)?;
        c.ws.set_column_range_width(1, 5, 16)?;
    }
    let name = ws.name();
    b.wb.push_worksheet(ws);
    Ok(name)
}

/// A cross table from `row`: header, a row per entry with its total, a totals row; returns
/// the row after the blank line under it.
fn cross_block(c: &mut Cells, mut row: u32, t: &CrossTable, first: &str, col_label: &dyn Fn(&str) -> String, total: &str) -> Res<u32> {
    let f = c.f;
    let mut head = vec![first.to_string()];
    head.extend(t.columns.iter().map(|c| col_label(c)));
    head.push(total.to_string());
    row = c.dark_header(row, &head)?;
    let total_col = cix(t.columns.len() + 1)?;
    for ((name, cells), row_total) in t.rows.iter().zip(&t.cells).zip(&t.row_totals) {
        c.text(row, 0, name)?;
        for (j, v) in cells.iter().enumerate() {
            c.general(row, cix(j + 1)?, *v as f64)?;
        }
        c.general(row, total_col, *row_total as f64)?;
        row += 1;
    }
    c.text_with(row, 0, total, &f.bold)?;
    for (j, v) in t.column_totals.iter().enumerate() {
        c.general(row, cix(j + 1)?, *v as f64)?;
    }
    c.general(row, total_col, t.total as f64)?;
    Ok(row + 2)
}

/// Changes per month and for the quarter: per class, approved by the CAB, resolved, failed.
fn change_counts_sheet(b: &mut Book, q: &QuarterlyReport) -> Res {
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = b.plain_sheet("q.agenda.changes")?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let first = c.dark_header(0, &[
            l("pdf.period"), l("q.changes.standard"), l("q.changes.non_standard"), l("q.changes.emergency"),
            l("q.changes.cab"), l("q.changes.resolved"), l("q.changes.failed"), l("q.changes.failed_pct"),
        ])?;
        for (i, ch) in q.changes.iter().enumerate() {
            let row = first + rix(i)?;
            let period = if ch.period == "quarter" { l("q.quarter_col") } else { month_label(&ch.period, labels) };
            c.text(row, 0, &period)?;
            for (i, v) in [ch.standard, ch.non_standard, ch.emergency, ch.cab_approved, ch.resolved, ch.failed].iter().enumerate() {
                c.general(row, cix(i + 1)?, *v as f64)?;
            }
            c.pct_with(row, 7, ch.failed_pct, &f.pct)?;
        }
        c.ws.set_column_range_width(0, 7, 16)?;
    }
    b.wb.push_worksheet(ws);
    Ok(())
}

/// Every non-standard and emergency change of the quarter, when the PDF lists only some of
/// them (`QuarterlyReport::changes_cut_in_pdf`; its line points here).
fn changes_list_sheet(b: &mut Book, q: &QuarterlyReport) -> Res {
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let col = |header: String, width: f64| Col { header, width };
    let cols = [
        col(l("pdf.ticket"), 14.0),
        col(l("q.changes_list.class"), 14.0),
        col(l("pdf.school"), 28.0),
        col(l("q.changes_list.summary"), 44.0),
        col(l("xlsx.col.opened_at"), 17.0),
        col(l("xlsx.col.resolved_at"), 17.0),
        col(l("q.changes.cab"), 12.0),
        col(l("q.changes_list.outcome"), 16.0),
    ];
    list_sheets(b, "q.changes_list.sheet", &cols, &q.changes_listed, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.text(row, 1, labels.get(&format!("q.changes_list.class_{}", x.class)))?;
        c.text(row, 2, &x.school)?;
        c.text(row, 3, &x.summary)?;
        c.minute(row, 4, Some(x.opened_at))?;
        c.minute(row, 5, x.resolved_at)?;
        match x.cab_approved {
            Some(true) => c.text(row, 6, labels.get("q.changes_list.yes"))?,
            Some(false) => c.text(row, 6, labels.get("q.changes_list.no"))?,
            None => {}
        }
        c.text(row, 7, labels.get(&format!("q.changes_list.outcome_{}", x.outcome)))
    })
}
