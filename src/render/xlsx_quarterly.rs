//! The Excel annex of the quarterly report: the tables of the PDF as sheets, from the same
//! `QuarterlyReport`. Text is always written as text (never a formula); percentages are
//! real numbers with a percent format; the file is byte-identical for the same model.
//!
//! The second sheet ("Grafieken") holds native Excel charts of what the PDF charts: tickets
//! per month and type (from the trends sheet) and the domain scores per month (from the KPI
//! sheet), both reading those sheets' cells.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet,
};

use super::xlsx::{
    CHART_HEIGHT, CHART_TOP, CHART_WIDTH, GOLD, HELPER_COL, PRIMARY, PRIMARY_LIGHT, add_band_line,
    band_name, below, fill, n_rows, titled,
};

use super::xlsx::{cell_text, numbered_sheet_name, sheet_base_name};
use crate::error::Error;
use crate::i18n::{month_label, Labels};
use crate::report::model::CrossTable;
use crate::report::quarterly::QuarterlyReport;

fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(format!("cannot write the quarterly annex: {e}"))
}

/// Text made safe for a cell, as in the monthly annex.
fn clean(s: &str) -> String {
    cell_text(s).into_owned()
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    head: Format,
    pct: Format,
    bold: Format,
}

impl Sheet<'_> {
    fn header(&mut self, cells: &[String]) -> Result<(), Error> {
        for (c, h) in cells.iter().enumerate() {
            self.ws.write_string_with_format(self.row, c as u16, clean(h), &self.head).map_err(err)?;
        }
        self.row += 1;
        Ok(())
    }

    fn text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string(self.row, col, clean(s)).map_err(err)?;
        Ok(())
    }

    fn bold_text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string_with_format(self.row, col, clean(s), &self.bold).map_err(err)?;
        Ok(())
    }

    fn num(&mut self, col: u16, x: f64) -> Result<(), Error> {
        self.ws.write_number(self.row, col, x).map_err(err)?;
        Ok(())
    }

    /// A percentage (0–100 in the model) as a fraction with a percent format; empty for None.
    fn pct(&mut self, col: u16, x: Option<f64>) -> Result<(), Error> {
        if let Some(x) = x {
            self.ws.write_number_with_format(self.row, col, x / 100.0, &self.pct).map_err(err)?;
        }
        Ok(())
    }

    fn cross(&mut self, t: &CrossTable, first: &str, col_label: &dyn Fn(&str) -> String, total: &str) -> Result<(), Error> {
        let mut head = vec![first.to_string()];
        head.extend(t.columns.iter().map(|c| col_label(c)));
        head.push(total.to_string());
        self.header(&head)?;
        for (i, r) in t.rows.iter().enumerate() {
            self.text(0, r)?;
            for (j, v) in t.cells[i].iter().enumerate() {
                self.num(j as u16 + 1, *v as f64)?;
            }
            self.num(t.columns.len() as u16 + 1, t.row_totals[i] as f64)?;
            self.row += 1;
        }
        self.bold_text(0, total)?;
        for (j, v) in t.column_totals.iter().enumerate() {
            self.num(j as u16 + 1, *v as f64)?;
        }
        self.num(t.columns.len() as u16 + 1, t.total as f64)?;
        self.row += 2;
        Ok(())
    }
}

pub fn quarterly_xlsx(q: &QuarterlyReport, labels: &Labels) -> Result<Vec<u8>, Error> {
    let l = |k: &str| labels.get(k).to_string();
    let mut wb = Workbook::new();
    let created = NaiveDate::parse_from_str(&q.meta.generated_on, "%Y-%m-%d")
        .map_err(|_| Error::new(format!("bad report date {}", q.meta.generated_on)))?;
    let when = ExcelDateTime::from_ymd(created.year_ce().1 as u16, created.month0() as u8 + 1, created.day0() as u8 + 1).map_err(err)?;
    let props = DocProperties::new()
        .set_title(format!("{} {}", l("q.title"), q.meta.period))
        .set_company(&q.meta.provider)
        .set_subject(format!("{} — {}", q.meta.contract_name, q.meta.client))
        .set_creation_datetime(&when);
    wb.set_properties(&props);
    let head = Format::new().set_bold().set_font_color("#FFFFFF").set_background_color("#0B5F7A").set_border_bottom(FormatBorder::Thin);
    let pct = Format::new().set_num_format("0.00%");
    let bold = Format::new().set_bold();
    let months: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).collect();
    let quarter = l("q.quarter_col");

    let new_sheet = |wb: &mut Workbook, name: String| -> Result<(), Error> {
        let ws = wb.add_worksheet();
        ws.set_name(numbered_sheet_name(&sheet_base_name(&name), 1)).map_err(err)?;
        Ok(())
    };

    // Headline figures.
    new_sheet(&mut wb, l("q.headline.heading"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        let mut h = vec![l("q.figure")];
        h.extend(months.iter().cloned());
        h.push(quarter.clone());
        s.header(&h)?;
        let all: Vec<&crate::report::model::Summary> = q.month_summaries.iter().chain([&q.quarter_summary]).collect();
        let counts: [(&str, &dyn Fn(&crate::report::model::Summary) -> u64); 4] = [
            ("pdf.summary.opened", &|x| x.tickets_opened),
            ("ticket_type.incident", &|x| x.incidents_opened),
            ("pdf.summary.breaches", &|x| x.response_breaches + x.resolution_breaches),
            ("pdf.summary.p1", &|x| x.p1_count),
        ];
        for (key, f) in counts {
            s.text(0, &l(key))?;
            for (i, x) in all.iter().enumerate() {
                s.num(i as u16 + 1, f(x) as f64)?;
            }
            s.row += 1;
        }
        let pcts: [(&str, &dyn Fn(&crate::report::model::Summary) -> Option<f64>); 2] =
            [("pdf.summary.response", &|x| x.response_pct), ("pdf.summary.resolution", &|x| x.resolution_pct)];
        for (key, f) in pcts {
            s.text(0, &l(key))?;
            for (i, x) in all.iter().enumerate() {
                s.pct(i as u16 + 1, f(x))?;
            }
            s.row += 1;
        }
        s.ws.set_column_width(0, 34).map_err(err)?;
        s.ws.set_column_range_width(1, 5, 16).map_err(err)?;
        s.ws.set_freeze_panes(1, 0).map_err(err)?;
    }

    // KPIs per month and quarter.
    new_sheet(&mut wb, l("q.agenda.kpi"))?;
    let mut score_rows: Vec<u32> = Vec::new();
    let kpi_sheet;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        kpi_sheet = ws.name();
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        let mut h = vec![l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("pdf.kpi.norm"), l("pdf.kpi.weight")];
        h.extend(months.iter().cloned());
        h.push(quarter.clone());
        h.push(l("pdf.trend"));
        s.header(&h)?;
        let n = months.len() as u16;
        for d in &q.domains {
            if d.monthly_scores.iter().any(Option::is_some) {
                score_rows.push(s.row);
            }
            s.num(0, d.number as f64)?;
            s.bold_text(1, &d.name)?;
            s.bold_text(2, &l("pdf.kpi.domain_score"))?;
            for (i, x) in d.monthly_scores.iter().enumerate() {
                s.pct(5 + i as u16, *x)?;
            }
            match d.quarter_score {
                Some(x) => s.pct(5 + n, Some(x))?,
                None => s.text(5 + n, &l(&format!("pdf.kpi.status.{}", d.status)))?,
            }
            s.text(6 + n, &l(&format!("trend.{}", if d.trend == "none" { "flat" } else { &d.trend })))?;
            s.row += 1;
            for k in &d.kpis {
                s.num(0, d.number as f64)?;
                s.text(1, &d.name)?;
                s.text(2, &k.name)?;
                s.text(3, &k.norm_text)?;
                if let Some(w) = k.weight {
                    s.num(4, w)?;
                }
                for (i, x) in k.monthly_achievement.iter().enumerate() {
                    s.pct(5 + i as u16, *x)?;
                }
                s.pct(5 + n, k.quarter_achievement)?;
                if k.trend != "none" {
                    s.text(6 + n, &l(&format!("trend.{}", k.trend)))?;
                }
                s.row += 1;
            }
        }
        s.ws.set_column_width(1, 30).map_err(err)?;
        s.ws.set_column_width(2, 44).map_err(err)?;
        s.ws.set_column_width(3, 40).map_err(err)?;
        s.ws.set_column_range_width(5, 5 + n, 14).map_err(err)?;
        s.ws.set_freeze_panes(1, 0).map_err(err)?;
        s.ws.autofilter(0, 0, s.row.saturating_sub(1).max(1), 6 + n).map_err(err)?;
    }

    // Malus.
    new_sheet(&mut wb, l("q.malus.pct"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        s.text(0, &format!("{} {}", l("q.malus.intro"), q.invoice_quarter))?;
        s.row += 2;
        s.header(&[l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.score"), l("q.malus.pct"), l("q.malus.amount"), l("q.malus.note")])?;
        for m in &q.malus {
            s.num(0, m.number as f64)?;
            s.text(1, &m.name)?;
            s.pct(2, m.score)?;
            s.pct(3, m.malus_pct)?;
            if let Some(e) = m.malus_eur {
                s.num(4, e)?;
            }
            if m.status != "scored" {
                s.text(5, &l(&format!("pdf.kpi.status.{}", m.status)))?;
            } else if m.escalation {
                s.text(5, &l("pdf.kpi.escalation"))?;
            }
            s.row += 1;
        }
        s.ws.set_column_width(1, 36).map_err(err)?;
        s.ws.set_column_range_width(2, 5, 14).map_err(err)?;
    }

    // Volumes and trends.
    new_sheet(&mut wb, l("q.agenda.trends"))?;
    let trends_sheet;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        trends_sheet = ws.name();
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        let month_of = |c: &str| month_label(c, labels);
        let mut by_type = q.volumes_by_type.clone();
        by_type.rows = by_type.rows.iter().map(|r| l(&format!("ticket_type.{r}"))).collect();
        s.cross(&by_type, &l("pdf.type"), &month_of, &l("pdf.total"))?;
        let mut h = vec![l("pdf.issue")];
        h.extend(months.iter().cloned());
        h.push(l("pdf.total"));
        s.header(&h)?;
        for it in &q.recurring {
            let name = if it.subcategory.is_empty() { it.category.clone() } else { format!("{} / {}", it.category, it.subcategory) };
            s.text(0, &name)?;
            for (i, c) in it.counts.iter().enumerate() {
                s.num(i as u16 + 1, *c as f64)?;
            }
            s.num(it.counts.len() as u16 + 1, it.total as f64)?;
            s.row += 1;
        }
        s.row += 1;
        s.cross(&q.schools_by_month, &l("pdf.school"), &month_of, &l("pdf.total"))?;
        s.ws.set_column_width(0, 44).map_err(err)?;
        s.ws.set_column_range_width(1, 5, 16).map_err(err)?;
    }

    // Changes.
    new_sheet(&mut wb, l("q.agenda.changes"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        s.header(&[
            l("pdf.period"), l("q.changes.standard"), l("q.changes.non_standard"), l("q.changes.emergency"),
            l("q.changes.cab"), l("q.changes.resolved"), l("q.changes.failed"), l("q.changes.failed_pct"),
        ])?;
        for c in &q.changes {
            let p = if c.period == "quarter" { quarter.clone() } else { month_label(&c.period, labels) };
            s.text(0, &p)?;
            for (i, v) in [c.standard, c.non_standard, c.emergency, c.cab_approved, c.resolved, c.failed].iter().enumerate() {
                s.num(i as u16 + 1, *v as f64)?;
            }
            s.pct(7, c.failed_pct)?;
            s.row += 1;
        }
        s.ws.set_column_range_width(0, 7, 16).map_err(err)?;
    }

    let sources = Sources {
        kpi_sheet,
        score_rows,
        trends_sheet,
    };
    let charts = charts_sheet(q, labels, &sources, &head, &pct, &bold).map_err(err)?;
    let sheets = wb.worksheets_mut();
    sheets.insert(sheets.len().min(1), charts);
    wb.save_to_buffer().map_err(err)
}

/// The cells of the other sheets that the charts read.
struct Sources {
    kpi_sheet: String,
    /// Rows of the KPI sheet with a domain's scores per month (the months from column F),
    /// for the domains with a score in at least one month.
    score_rows: Vec<u32>,
    /// The trends sheet starts with tickets per type (rows) and month (columns from B).
    trends_sheet: String,
}

/// The first column of the months on the KPI sheet.
const KPI_FIRST_MONTH_COL: u16 = 5;

/// "kwartaal 3 2026" from `2026-Q3` (the label as it is otherwise).
fn quarter_name(period: &str, labels: &Labels) -> String {
    match period.split_once("-Q") {
        Some((year, n)) => format!("{} {n} {year}", labels.get("q.quarter")),
        None => period.to_string(),
    }
}

/// The charts sheet: tickets per month and type, and the domain scores per month with the
/// staircase's limits. The series read the trends and KPI sheets; only the limits, which no
/// sheet of this annex holds, are a helper table of numbers.
fn charts_sheet(
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
        .replace("{period}", &quarter_name(&q.meta.period, labels));
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

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use calamine::{Data, Reader};

    use super::*;
    use crate::contract::LoadedContract;
    use crate::period::Period;
    use crate::render::xlsx::tests::{chart_parts, open, string_at};
    use crate::report::monthly::RunContext;
    use crate::report::quarterly::build_quarterly;

    /// The committed demo data, third quarter of 2026.
    fn demo_quarter() -> QuarterlyReport {
        let c = LoadedContract::embedded();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
        let data = crate::load::load_data_dir(&dir, &c).unwrap();
        build_quarterly(
            &data,
            &RunContext {
                contract: &c,
                period: Period::parse_quarter("2026-Q3").unwrap(),
                today: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
                lang: "nl".into(),
            },
        )
    }


    fn float_at(range: &calamine::Range<Data>, row: u32, col: u32) -> Option<f64> {
        match range.get_value((row, col)) {
            Some(Data::Float(x)) => Some(*x),
            None | Some(Data::Empty) => None,
            other => panic!("expected a number at ({row}, {col}), found {other:?}"),
        }
    }

    #[test]
    fn charts_sheet_comes_second_with_two_charts_and_the_same_bytes_twice() {
        let q = demo_quarter();
        let nl = Labels::embedded("nl").unwrap();
        let a = quarterly_xlsx(&q, &nl).unwrap();
        let b = quarterly_xlsx(&q, &nl).unwrap();
        assert!(a == b, "two runs differ");
        assert_eq!(chart_parts(&a), [1, 2]);
        let mut wb = open(a);
        let names = wb.sheet_names();
        assert_eq!(names.len(), 6, "{names:?}");
        assert_eq!(names[1], "Grafieken");
        let charts = wb.worksheet_range("Grafieken").unwrap();
        assert_eq!(
            string_at(&charts, 0, 0),
            "Grafieken bij de kwartaalrapportage van kwartaal 3 2026"
        );
        let en = Labels::embedded("en").unwrap();
        let bytes = quarterly_xlsx(&q, &en).unwrap();
        assert_eq!(chart_parts(&bytes), [1, 2]);
        assert_eq!(open(bytes).sheet_names()[1], "Charts");
    }

    #[test]
    fn charts_refer_to_cells_that_hold_the_models_figures() {
        let q = demo_quarter();
        let nl = Labels::embedded("nl").unwrap();
        let mut wb = open(quarterly_xlsx(&q, &nl).unwrap());
        let names = wb.sheet_names();
        let months: Vec<String> = q.months.iter().map(|m| month_label(m, &nl)).collect();
        assert_eq!(months, ["juli 2026", "augustus 2026", "september 2026"]);

        // Tickets per month and type: the trends sheet's first table.
        let trends = wb.worksheet_range(&names[4]).unwrap();
        let t = &q.volumes_by_type;
        for (j, m) in months.iter().enumerate() {
            assert_eq!(&string_at(&trends, 0, j as u32 + 1), m);
        }
        for (i, key) in t.rows.iter().enumerate() {
            let row = i as u32 + 1;
            assert_eq!(string_at(&trends, row, 0), nl.get(&format!("ticket_type.{key}")));
            for j in 0..months.len() {
                assert_eq!(float_at(&trends, row, j as u32 + 1), Some(t.cells[i][j] as f64));
            }
        }

        // Domain scores per month: the KPI sheet's domain rows, months from column F.
        let kpi = wb.worksheet_range(&names[2]).unwrap();
        for (j, m) in months.iter().enumerate() {
            assert_eq!(&string_at(&kpi, 0, u32::from(KPI_FIRST_MONTH_COL) + j as u32), m);
        }
        let score = nl.get("pdf.kpi.domain_score");
        let mut charted = 0;
        for d in &q.domains {
            let row = (1..kpi.height() as u32)
                .find(|r| {
                    matches!(kpi.get_value((*r, 1)), Some(Data::String(s)) if *s == d.name)
                        && matches!(kpi.get_value((*r, 2)), Some(Data::String(s)) if s == score)
                })
                .expect("the domain's score row");
            for (j, x) in d.monthly_scores.iter().enumerate() {
                let got = float_at(&kpi, row, u32::from(KPI_FIRST_MONTH_COL) + j as u32);
                assert_eq!(got, x.map(|x| x / 100.0), "{} month {j}", d.name);
            }
            if d.monthly_scores.iter().any(Option::is_some) {
                charted += 1;
            }
        }
        assert!(charted >= 4, "{charted} domains charted");

        // The staircase's limits beside the scores chart, a row per month.
        let charts = wb.worksheet_range("Grafieken").unwrap();
        let h = u32::from(HELPER_COL);
        let heading = nl.get("chart.scores.bands_heading");
        let top = (0..charts.height() as u32)
            .find(|r| matches!(charts.get_value((*r, h)), Some(Data::String(s)) if s == heading))
            .expect("the limits' helper table");
        assert_eq!(string_at(&charts, top + 1, h + 1), "Staffelgrens 95 %");
        for (k, m) in months.iter().enumerate() {
            let row = top + 2 + k as u32;
            assert_eq!(&string_at(&charts, row, h), m);
            let limits: Vec<Option<f64>> = (1..=3).map(|c| float_at(&charts, row, h + c)).collect();
            assert_eq!(limits, [Some(0.95), Some(0.9), Some(0.8)]);
        }
    }
}
