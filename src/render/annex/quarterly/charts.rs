//! The quarterly annex's charts sheet: tickets per month and type, the domain scores per
//! month with the staircase's limits, drawn from the annex's own cells as the PDF draws them.

use rust_xlsxwriter::{Chart, ChartDataLabel, Worksheet};

use super::kpi::KPI_FIRST_MONTH_COL;
use crate::render::annex::charts::{
    CHART_HEIGHT, CHART_TOP, CHART_WIDTH, GOLD, HELPER_COL, PRIMARY, PRIMARY_LIGHT, add_band_line, band_name, below,
    fill, percent_axis, titled,
};
use crate::render::annex::workbook::{Book, Cells, Res, cix, n_rows, print_setup};
use crate::i18n::{month_label, period_label};
use crate::report::quarterly::QuarterlyReport;

/// The cells of the other sheets that the charts read.
pub(super) struct Sources {
    pub(super) kpi_sheet: String,
    /// Rows of the KPI sheet with a domain's scores per month (the months from column F),
    /// for the domains with a score in at least one month.
    pub(super) score_rows: Vec<u32>,
    /// The trends sheet starts with tickets per type (rows) and month (columns from B).
    pub(super) trends_sheet: String,
}

/// The charts sheet: tickets per month and type, and the domain scores per month with the
/// staircase's limits. The series read the trends and KPI sheets; only the limits, which no
/// sheet of this annex holds, are a helper table of numbers. Returned, to be placed second.
pub(super) fn charts_sheet(b: &mut Book, q: &QuarterlyReport, src: &Sources) -> Res<Worksheet> {
    let labels = b.labels;
    let mut ws = b.sheet("chart.sheet", 1)?;
    print_setup(&mut ws, None)?;
    let name = ws.name();
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let title = labels.get("chart.quarterly_title").replace("{period}", &period_label(&q.meta.period, labels));
        c.text_with(0, 0, &title, &f.title)?;
        c.label_with(1, 0, "chart.intro", &f.italic)?;
        c.ws.set_column_width(HELPER_COL, 20)?;
        let row = volumes_chart(&mut c, q, src)?;
        scores_chart(&mut c, row, q, src, &name)?;
    }
    Ok(ws)
}

/// Tickets per month and type: the trends sheet's first table, a series per type. Returns
/// the row after it.
fn volumes_chart(c: &mut Cells, q: &QuarterlyReport, src: &Sources) -> Res<u32> {
    let (f, labels) = (c.f, c.labels);
    let row = CHART_TOP;
    let t = &q.volumes_by_type;
    if t.rows.is_empty() || t.columns.is_empty() {
        c.label_with(row, 0, "chart.none", &f.italic)?;
        return Ok(row + 2);
    }
    let last_col = u16::try_from(t.columns.len()).unwrap_or(u16::MAX);
    let cats = (src.trends_sheet.as_str(), 0, 1, 0, last_col);
    let mut chart = titled(Chart::new_column(), labels, "volumes", false);
    for i in 0..t.rows.len() {
        let r = n_rows(i + 1);
        let colour = [PRIMARY, PRIMARY_LIGHT, GOLD].get(i).copied();
        let series = chart
            .add_series()
            .set_name((src.trends_sheet.as_str(), r, 0))
            .set_categories(cats)
            .set_values((src.trends_sheet.as_str(), r, 1, r, last_col))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"));
        if let Some(colour) = colour {
            series.set_format(&mut fill(colour));
        }
    }
    chart.y_axis().set_min(0).set_num_format("#,##0");
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    c.ws.insert_chart(row, 0, &chart)?;
    Ok(below(row, CHART_HEIGHT) + 1)
}

/// The domain scores per month from `row`: the KPI sheet's domain rows, a series per domain,
/// with the staircase's limits as dashed lines from a helper table on this sheet (`name`):
/// a column per band above 0, a row per month (the annex has no staircase sheet to refer to).
fn scores_chart(c: &mut Cells, row: u32, q: &QuarterlyReport, src: &Sources, name: &str) -> Res {
    let (f, labels) = (c.f, c.labels);
    let n = q.months.len();
    if src.score_rows.is_empty() || n == 0 {
        return c.label_with(row, 0, "chart.none", &f.italic);
    }
    let last_month = KPI_FIRST_MONTH_COL + u16::try_from(n - 1).unwrap_or(u16::MAX - 8);
    let kpi = src.kpi_sheet.as_str();
    let cats = (kpi, 0, KPI_FIRST_MONTH_COL, 0, last_month);
    let mut chart = titled(Chart::new_column(), labels, "scores", false);
    for &r in &src.score_rows {
        chart
            .add_series()
            .set_name((kpi, r, 1))
            .set_categories(cats)
            .set_values((kpi, r, KPI_FIRST_MONTH_COL, r, last_month));
    }
    percent_axis(&mut chart);

    c.label_with(row, HELPER_COL, "chart.scores.bands_heading", &f.bold)?;
    let header = row + 1;
    let first = header + 1;
    let last = first + n_rows(n) - 1;
    c.label_with(header, HELPER_COL, "chart.scores.x", &f.dark_header)?;
    for (k, m) in q.months.iter().enumerate() {
        c.text(first + n_rows(k + 1) - 1, HELPER_COL, &month_label(m, labels))?;
    }
    let mut lines = Chart::new_line();
    let mut any_line = false;
    let bands = q.kpi_quarter.bands.iter().filter(|b| b.min_score_pct > 0.0);
    for (j, band) in bands.enumerate() {
        let col = HELPER_COL + 1 + cix(j)?;
        c.ws.set_column_width(col, 18)?;
        c.text_with(header, col, &band_name(labels, band.min_score_pct), &f.dark_header)?;
        for r in first..=last {
            c.number(r, col, band.min_score_pct / 100.0, &f.pct)?;
        }
        add_band_line(&mut lines, j, (name, header, col), cats, (name, first, col, last, col));
        any_line = true;
    }
    if any_line {
        chart.combine(&lines);
    }
    // Taller than the others: a legend entry per domain and per limit.
    let height = CHART_HEIGHT + 60;
    chart.set_width(CHART_WIDTH).set_height(height);
    c.ws.insert_chart(row, 0, &chart)?;
    c.label_with(below(row, height), 0, "chart.scores.note", &f.italic)
}
