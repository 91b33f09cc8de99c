//! The monthly annex's tables: the cross tables (school × category, type × priority) and
//! the attainment per type and priority, as numbers to filter and recount; the charts read
//! their cells.

use crate::render::annex::workbook::{Book, Cells, Res, cix, print_setup, translate};
use crate::report::model::{Attainment, AttainmentRow, CrossTable, SparseCrossTable, Volumes};

/// The first data row of a cross table's sheet (heading, blank, header above it).
pub(super) const CROSS_FIRST_ROW: u32 = 3;

/// Which labels a cross table uses: rows and columns are translated through a label table
/// when given (`ticket_type`, `priority`), shown as they are otherwise (schools, categories).
#[derive(Clone, Copy)]
pub(super) struct CrossLabels {
    pub(super) sheet: &'static str,
    pub(super) heading: &'static str,
    pub(super) corner: &'static str,
    pub(super) rows: Option<&'static str>,
    pub(super) columns: Option<&'static str>,
}

/// A cross table as the annex writes it: dense tables (types × priorities) give every cell,
/// zeros included; sparse ones (schools × categories) only the cells with tickets, so a
/// table of 2,000 × 2,000 writes its few thousand counts and leaves the rest of the sheet
/// empty (an empty cell is 0; the totals count every ticket).
pub(super) struct CrossData<'a> {
    pub(super) rows: &'a [String],
    pub(super) columns: &'a [String],
    /// Per row, its cells as (column index, count).
    pub(super) cells: Box<dyn Iterator<Item = Vec<(u32, u64)>> + 'a>,
    pub(super) row_totals: &'a [u64],
    pub(super) column_totals: &'a [u64],
    pub(super) total: u64,
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
pub(super) fn cross_sheet<'a>(b: &mut Book, l: &CrossLabels, t: impl Into<CrossData<'a>>) -> Res<String> {
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

/// The three cross tables: tickets and incidents per school × category, tickets per type ×
/// priority; returns the name of the first (the charts refer to it).
pub(super) fn cross_sheets(b: &mut Book, v: &Volumes) -> Res<String> {
    let school = CrossLabels {
        sheet: "xlsx.sheet.volumes",
        heading: "xlsx.heading.volumes",
        corner: "xlsx.col.school",
        rows: None,
        columns: None,
    };
    let volumes = cross_sheet(b, &school, &v.by_school_category)?;
    let incidents = CrossLabels { sheet: "xlsx.sheet.incidents", heading: "xlsx.heading.incidents", ..school };
    cross_sheet(b, &incidents, &v.incidents_by_school_category)?;
    let type_priority = CrossLabels {
        sheet: "xlsx.sheet.type_priority",
        heading: "xlsx.heading.type_priority",
        corner: "xlsx.col.ticket_type",
        rows: Some("ticket_type"),
        columns: Some("priority"),
    };
    cross_sheet(b, &type_priority, &v.by_type_priority)?;
    Ok(volumes)
}

/// The response and the resolution attainment sheets.
pub(super) fn attainment_sheets(b: &mut Book, a: &Attainment) -> Res<(AttainmentCells, AttainmentCells)> {
    let response = attainment_sheet(b, "response", &a.response, &a.response_by_priority)?;
    let resolution = attainment_sheet(b, "resolution", &a.resolution, &a.resolution_by_priority)?;
    Ok((response, resolution))
}

/// Where an attainment sheet keeps its per-priority rows (the chart's series).
pub(super) struct AttainmentCells {
    pub(super) sheet: String,
    /// The first per-priority row; one row per entry of `by_priority`.
    pub(super) first_by_priority: u32,
    pub(super) len: usize,
}

/// Column of the priority and of the percentage on an attainment sheet.
pub(super) const ATTAINMENT_PRIORITY_COL: u16 = 1;
pub(super) const ATTAINMENT_PCT_COL: u16 = 7;

/// Attainment per type × priority (model order), then per priority over all types.
/// `measure` is `response` or `resolution`.
pub(super) fn attainment_sheet(
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
pub(super) fn attainment_rows(c: &mut Cells, mut row: u32, rows: &[AttainmentRow]) -> Res<u32> {
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
