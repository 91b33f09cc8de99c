//! The quarterly annex's charts sheet: tickets per month and type, the domain scores per
//! month with the staircase's limits.

use rust_xlsxwriter::{Chart, ChartDataLabel, Format, Worksheet};

use super::clean;
use crate::render::annex::charts::{CHART_HEIGHT, CHART_TOP, CHART_WIDTH, GOLD, HELPER_COL, PRIMARY, PRIMARY_LIGHT, add_band_line, band_name, below, fill, titled};
use crate::render::annex::workbook::{n_rows, numbered_sheet_name, sheet_base_name};
use crate::i18n::{Labels, month_label};
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

/// The first column of the months on the KPI sheet.
pub(super) const KPI_FIRST_MONTH_COL: u16 = 5;


/// The charts sheet: tickets per month and type, and the domain scores per month with the
/// staircase's limits. The series read the trends and KPI sheets; only the limits, which no
/// sheet of this annex holds, are a helper table of numbers.
pub(super) fn charts_sheet(
    q: &QuarterlyReport,
    labels: &Labels,
    src: &Sources,
    head: &Format,
    pct: &Format,
    bold: &Format,
) -> Result<Worksheet, rust_xlsxwriter::XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name(numbered_sheet_name(&sheet_base_name(labels.get("chart.sheet")), 1))?;
    ws.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    let name = ws.name();
    let title = labels
        .get("chart.quarterly_title")
        .replace("{period}", &crate::i18n::period_label(&q.meta.period, labels));
    ws.write_string_with_format(0, 0, clean(&title), &bold.clone().set_font_size(14))?;
    let italic = Format::new().set_italic();
    ws.write_string_with_format(1, 0, clean(labels.get("chart.intro")), &italic)?;
    ws.set_column_width(HELPER_COL, 20)?;
    let n = q.months.len();
    let mut row = CHART_TOP;

    // 1. Tickets per month and type: the trends sheet's first table, a series per type.
    let t = &q.volumes_by_type;
    if t.rows.is_empty() || t.columns.is_empty() {
        ws.write_string_with_format(row, 0, clean(labels.get("chart.none")), &italic)?;
        row += 2;
    } else {
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
        ws.insert_chart(row, 0, &chart)?;
        row = below(row, CHART_HEIGHT) + 1;
    }

    // 2. The domain scores per month: the KPI sheet's domain rows, a series per domain.
    if src.score_rows.is_empty() || n == 0 {
        ws.write_string_with_format(row, 0, clean(labels.get("chart.none")), &italic)?;
        return Ok(ws);
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
    chart
        .y_axis()
        .set_min(0)
        .set_max(1)
        .set_major_unit(0.2)
        .set_num_format("0%");

    // The staircase's limits as dashed lines: a helper column per band above 0, a row per
    // month (the annex has no staircase sheet to refer to).
    ws.write_string_with_format(row, HELPER_COL, clean(labels.get("chart.scores.bands_heading")), bold)?;
    let header = row + 1;
    let first = header + 1;
    let last = first + n_rows(n) - 1;
    ws.write_string_with_format(header, HELPER_COL, clean(labels.get("chart.scores.x")), head)?;
    for (k, m) in q.months.iter().enumerate() {
        ws.write_string(first + n_rows(k + 1) - 1, HELPER_COL, clean(&month_label(m, labels)))?;
    }
    let mut lines = Chart::new_line();
    let mut any_line = false;
    let bands = q.kpi_quarter.bands.iter().filter(|b| b.min_score_pct > 0.0);
    for (j, band) in bands.enumerate() {
        let col = HELPER_COL + 1 + u16::try_from(j).unwrap_or(u16::MAX - HELPER_COL - 1);
        ws.set_column_width(col, 18)?;
        ws.write_string_with_format(header, col, clean(&band_name(labels, band.min_score_pct)), head)?;
        for r in first..=last {
            ws.write_number_with_format(r, col, band.min_score_pct / 100.0, pct)?;
        }
        add_band_line(&mut lines, j, (name.as_str(), header, col), cats, (name.as_str(), first, col, last, col));
        any_line = true;
    }
    if any_line {
        chart.combine(&lines);
    }
    // Taller than the others: a legend entry per domain and per limit.
    let height = CHART_HEIGHT + 60;
    chart.set_width(CHART_WIDTH).set_height(height);
    ws.insert_chart(row, 0, &chart)?;
    let row = below(row, height);
    ws.write_string_with_format(row, 0, clean(labels.get("chart.scores.note")), &italic)?;
    Ok(ws)
}
