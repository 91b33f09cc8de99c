//! The monthly annex's charts sheet: native Excel charts of the series the PDF charts, so a
//! reader of the annex sees the same pictures, drawn from the annex's own cells.

use rust_xlsxwriter::{Chart, ChartDataLabel};

use super::ChartSources;
use super::kpi::{OVERVIEW_NAME_COL, OVERVIEW_SCORE_COL};
use super::tables::{ATTAINMENT_PCT_COL, ATTAINMENT_PRIORITY_COL, AttainmentCells, CROSS_FIRST_ROW};
use crate::render::annex::charts::{BAND_COLOURS, ChartCells, CHART_HEIGHT, CHART_TOP, CHART_WIDTH, HELPER_COL, PRIMARY, PRIMARY_LIGHT, add_band_line, band_name, below, fill, percent_axis, titled, top_down_bars};
use crate::render::annex::formulas::{cached, sheet_ref, text_result_is_safe};
use crate::render::annex::workbook::{Book, Cells, Res, cell_text, cix, n_rows, print_setup, rix};
use crate::i18n::month_label;
use crate::report::model::MonthlyReport;

/// The "Grafieken" sheet, placed second (after the summary): attainment per priority with
/// the staircase's limits, the domain scores, tickets per school. Every series reads the
/// cells of the sheet that shows the figure; the two helper tables (the staircase's limits
/// per priority, the schools sorted by their number of tickets) are formulas referring to
/// the KPI and volumes sheets, so the charts follow a change there.
pub(super) fn charts_sheet(b: &mut Book, r: &MonthlyReport, src: &ChartSources) -> Res {
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
        let row = attainment_chart(&mut c, CHART_TOP, r, src, &name, &mut charts)?;
        let row = domains_chart(&mut c, row, r, src, &mut charts)?;
        schools_chart(&mut c, row, r, src, &name, &mut charts)?;
    }
    for (row, chart) in &charts {
        ws.insert_chart(*row, 0, chart)?;
    }
    print_setup(&mut ws, None)?;
    b.insert_second(ws);
    Ok(())
}

/// Response and resolution attainment per priority from `row`, with the staircase's limits
/// as dashed lines: a helper column per band above 0, a row per priority, each cell
/// referring to the band's minimum on the KPI sheet. Returns the next free row.
fn attainment_chart(c: &mut Cells, row: u32, r: &MonthlyReport, src: &ChartSources, name: &str, charts: &mut Vec<(u32, Chart)>) -> Res<u32> {
    let (f, labels) = (c.f, c.labels);
    let (resp, res) = (&src.response, &src.resolution);
    if resp.len == 0 || res.len != resp.len {
        c.label_with(row, 0, "chart.none", &f.italic)?;
        return Ok(row + 2);
    }
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
    percent_axis(&mut chart);

    if let Some(lines) = attainment_limits(c, row, r, src, name, cats)? {
        chart.combine(&lines);
    }
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    charts.push((row, chart));
    let next = below(row, CHART_HEIGHT);
    c.label_with(next - 1, 0, "chart.attainment.note", &f.italic)?;
    Ok(next + 1)
}

/// The staircase's limits beside the attainment chart at `row`: a helper column per band
/// above 0, a row per priority, each cell referring to the band's minimum on the KPI sheet;
/// returns them as dashed lines over `cats`, or `None` without such a band.
fn attainment_limits(c: &mut Cells, row: u32, r: &MonthlyReport, src: &ChartSources, name: &str, cats: ChartCells) -> Res<Option<Chart>> {
    let (f, labels) = (c.f, c.labels);
    let by_priority = &r.attainment.response_by_priority;
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
        let values = (name, first, col, last_helper, col);
        add_band_line(&mut lines, j, (name, header, col), cats, values);
        any_line = true;
    }
    Ok(any_line.then_some(lines))
}

/// The domain scores from `row`, from the KPI sheet's overview (formulas with cached
/// values). Returns the next free row.
fn domains_chart(c: &mut Cells, row: u32, r: &MonthlyReport, src: &ChartSources, charts: &mut Vec<(u32, Chart)>) -> Res<u32> {
    let (f, labels) = (c.f, c.labels);
    let domains = r.kpis.domains.len();
    if domains == 0 {
        c.label_with(row, 0, "chart.none", &f.italic)?;
        return Ok(row + 2);
    }
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
    let next = below(row, height);
    c.label_with(next - 1, 0, "chart.domains.note", &f.italic)?;
    Ok(next + 1)
}

/// Tickets per school from `row`, highest first: a helper table in that order whose cells
/// refer to the volumes sheet (school in column A, its total in the last column).
fn schools_chart(c: &mut Cells, row: u32, r: &MonthlyReport, src: &ChartSources, name: &str, charts: &mut Vec<(u32, Chart)>) -> Res {
    let (f, labels) = (c.f, c.labels);
    // refer to the volumes sheet (school in column A, its total in the last column).
    let t = &r.volumes.by_school_category;
    if t.rows.is_empty() {
        c.label_with(row, 0, "chart.none", &f.italic)?;
        return Ok(());
    }
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
        .set_name((name, header, HELPER_COL + 1))
        .set_categories((name, first, HELPER_COL, last, HELPER_COL))
        .set_values((name, first, HELPER_COL + 1, last, HELPER_COL + 1))
        .set_format(&mut fill(PRIMARY))
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("#,##0"));
    chart.x_axis().set_min(0).set_num_format("#,##0");
    top_down_bars(&mut chart);
    chart.legend().set_hidden();
    let height = (100 + 24 * n_rows(order.len())).max(CHART_HEIGHT);
    chart.set_width(CHART_WIDTH).set_height(height);
    charts.push((row, chart));
    Ok(())
}
