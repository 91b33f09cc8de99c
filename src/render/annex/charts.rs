//! The pieces of a native Excel chart both annexes use: the house style's colours, the
//! charts' place and size on the charts sheet, titles and axes from the labels, and the
//! staircase's limits as dashed lines. Why it exists: the monthly and the quarterly charts
//! must look like the PDF's and like each other.

use rust_xlsxwriter::{Chart, ChartAxisCrossing, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType, ChartMarker, ChartSolidFill, Color};

use super::workbook::cell_text;
use crate::i18n::{Labels, format_pct};

/// The house style's colours (templates/lib.typ): primary and its light tint for the
/// series, green, orange and red for the staircase's limits (highest band first).
pub(super) const PRIMARY: u32 = 0x0B5F7A;
pub(super) const PRIMARY_LIGHT: u32 = 0x7FB3C4;
/// The third series colour of the PDF's count charts.
pub(super) const GOLD: u32 = 0xC9A227;
pub(super) const BAND_COLOURS: [u32; 3] = [0x2E7D32, 0xC77700, 0xB3261E];
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
pub(super) fn top_down_bars(chart: &mut Chart) {
    chart
        .y_axis()
        .set_reverse()
        .set_crossing(ChartAxisCrossing::Max);
}

/// A value axis of fractions shown as percentages, 0 % to 100 % in steps of 20.
pub(super) fn percent_axis(chart: &mut Chart) {
    chart.y_axis().set_min(0).set_max(1).set_major_unit(0.2).set_num_format("0%");
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

