//! The monthly annex's first and last sheets: the summary (meta, inputs, headline figures,
//! the accounting of the input rows) and the data quality (rejections, warnings, notes), so
//! the reader sees what the report was made from and which rows did not count.

use crate::render::annex::workbook::{Book, Cells, Col, Res, Value, print_setup};
use crate::i18n::{format_number, month_label};
use crate::report::model::{Accounting, MonthlyReport, Summary};

/// Rows per list (rejections, warnings) on the data-quality sheet.
pub const DQ_MAX_ROWS: usize = 100_000;

/// Meta, input files, headline figures and the accounting of the input rows.
pub(super) fn summary_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
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

pub(super) fn summary_pairs(s: &Summary) -> Vec<(&'static str, Value<'static>)> {
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
pub(super) fn accounting_block(c: &mut Cells, mut row: u32, a: &Accounting) -> Res<u32> {
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

/// Accounting, rejections, warnings (with a count per column) and notes, one block each.
pub(super) fn data_quality_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
    let dq = &r.data_quality;
    let rejection_cols = b.cols(&[("file", 0.0), ("line", 0.0), ("column", 0.0), ("value", 0.0), ("reason", 0.0), ("hint", 0.0)]);
    let warning_cols = b.cols(&[("file", 0.0), ("line", 0.0), ("ticket_id", 0.0), ("column", 0.0), ("message", 0.0)]);
    let per_column_cols = b.cols(&[("column", 0.0), ("count", 0.0)]);
    let mut ws = b.sheet("xlsx.sheet.data_quality", 1)?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        for (col, width) in [(0, 40.0), (1, 12.0), (2, 18.0), (3, 30.0), (4, 60.0), (5, 60.0)] {
            c.ws.set_column_width(col, width)?;
        }
        c.heading(0, "xlsx.heading.accounting")?;
        let row = accounting_block(&mut c, 1, &dq.accounting)? + 1;
        let heading = "xlsx.heading.rejections";
        let row = list_block(&mut c, row, heading, &rejection_cols, &dq.rejections, DQ_MAX_ROWS, |c, row, x| {
            let (reason, hint) = x.localized(c.labels);
            c.text(row, 0, &x.file)?;
            c.number(row, 1, x.line as f64, &f.int)?;
            c.text(row, 2, &x.column)?;
            c.text(row, 3, &x.value)?;
            c.text_with(row, 4, &reason, &f.wrap)?;
            c.text_with(row, 5, &hint, &f.wrap)
        })?;
        // Warnings in the annex's language (the JSON keeps them in English, with code and args).
        let heading = "xlsx.heading.warnings";
        let row = list_block(&mut c, row + 1, heading, &warning_cols, &dq.warnings, DQ_MAX_ROWS, |c, row, x| {
            let message = x.localized(c.labels);
            c.text(row, 0, &x.file)?;
            c.number(row, 1, x.line as f64, &f.int)?;
            c.text(row, 2, &x.ticket_id)?;
            c.text(row, 3, &x.column)?;
            c.text_with(row, 4, &message, &f.wrap)
        })?;
        let heading = "xlsx.heading.warnings_by_column";
        let mut row = list_block(&mut c, row + 1, heading, &per_column_cols, &dq.warnings_by_column, usize::MAX, |c, row, x| {
            c.text(row, 0, &x.column)?;
            c.count(row, 1, x.count)
        })?;

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

/// A list under the heading `heading` from `row`: the header `cols`, "(none)" for an empty
/// list, a row per item, at most `max` of them and then a line saying how many more the
/// JSON file holds. Returns the row after it.
fn list_block<T>(
    c: &mut Cells,
    row: u32,
    heading: &str,
    cols: &[Col],
    items: &[T],
    max: usize,
    mut write: impl FnMut(&mut Cells, u32, &T) -> Res,
) -> Res<u32> {
    c.heading(row, heading)?;
    c.header_texts(row + 1, cols)?;
    let mut row = row + 2;
    if items.is_empty() {
        c.none(row)?;
        row += 1;
    }
    for x in items.iter().take(max) {
        write(c, row, x)?;
        row += 1;
    }
    if items.len() <= max {
        return Ok(row);
    }
    let more = format_number((items.len() - max) as f64, 0, c.labels.lang());
    let text = c.labels.get("xlsx.truncated").replace("{n}", &more);
    let f = c.f;
    c.text_with(row, 0, &text, &f.italic)?;
    Ok(row + 1)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader};

    use super::*;
    use crate::i18n::Labels;
    use crate::render::annex::monthly::tests::open;
    use crate::render::annex::workbook::LIST_ROWS_PER_SHEET;

    /// A sheet with one list block of `n` numbers (at most `max` shown), read back.
    fn block(n: usize, max: usize) -> (Vec<Vec<Data>>, u32) {
        let labels = Labels::embedded(crate::i18n::Lang::Nl).unwrap();
        let mut b = Book::new(&labels, LIST_ROWS_PER_SHEET, false);
        let cols = b.cols(&[("count", 0.0)]);
        let mut ws = b.sheet("xlsx.sheet.data_quality", 1).unwrap();
        let items: Vec<u64> = (1..=n as u64).collect();
        let next = {
            let mut c = b.cells(&mut ws);
            list_block(&mut c, 0, "xlsx.heading.warnings", &cols, &items, max, |c, row, x| c.count(row, 0, *x)).unwrap()
        };
        b.wb.push_worksheet(ws);
        let mut wb = open(b.wb.save_to_buffer().unwrap());
        let range = wb.worksheet_range_at(0).unwrap().unwrap();
        (range.rows().map(|r| r.to_vec()).collect(), next)
    }

    #[test]
    fn a_long_list_block_stops_at_its_maximum_and_says_how_many_more() {
        let (rows, next) = block(5, 2);
        // Heading, header, two items, the line about the three others.
        assert_eq!(next, 5);
        assert_eq!(rows[0][0], Data::String("Waarschuwingen".into()));
        assert_eq!(rows[2][0], Data::Float(1.0));
        assert_eq!(rows[3][0], Data::Float(2.0));
        assert_eq!(rows[4][0], Data::String("… en nog 3 regels; het JSON-bestand bevat ze alle".into()));
        assert_eq!(rows.len(), 5);
    }

    #[test]
    fn an_empty_list_block_says_none_and_a_short_one_is_whole() {
        let (rows, next) = block(0, 2);
        assert_eq!((next, rows[2][0].clone()), (3, Data::String("(geen)".into())));
        let (rows, next) = block(2, 2);
        assert_eq!(next, 4);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[3][0], Data::Float(2.0));
    }
}
