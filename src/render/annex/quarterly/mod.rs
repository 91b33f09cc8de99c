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

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook, Worksheet};

use crate::render::annex::changes::changes_worksheets;
use crate::render::annex::formulas::{cached, lit, sheet_ref, staircase_formula, str_lit};
use crate::render::annex::voice::{commentary_sheet, voice_sheets};
use crate::render::annex::workbook::{POISONED_RESULT, cell_text, numbered_sheet_name, sheet_base_name};
use crate::error::Error;
use crate::i18n::{month_label, Labels};
use crate::report::model::CrossTable;
use crate::report::quarterly::QuarterlyReport;

pub(super) fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(format!("cannot write the quarterly annex: {e}"))
}

/// Text made safe for a cell, as in the monthly annex.
pub(super) fn clean(s: &str) -> String {
    cell_text(s).into_owned()
}

/// The cell formats of the annex.
pub(super) struct Formats {
    pub(super) head: Format,
    pub(super) pct: Format,
    pub(super) bold: Format,
    pub(super) dec2: Format,
    pub(super) dec2_bold: Format,
    pub(super) eur: Format,
    pub(super) int: Format,
    pub(super) title: Format,
    pub(super) italic: Format,
}

impl Formats {
    pub(super) fn new() -> Formats {
        let bold = Format::new().set_bold();
        Formats {
            head: Format::new().set_bold().set_font_color("#FFFFFF").set_background_color("#0B5F7A").set_border_bottom(FormatBorder::Thin),
            pct: Format::new().set_num_format("0.00%"),
            dec2: Format::new().set_num_format("0.00"),
            dec2_bold: bold.clone().set_num_format("0.00"),
            eur: Format::new().set_num_format("\"€ \"#,##0.00"),
            int: Format::new().set_num_format("0"),
            title: bold.clone().set_font_size(14),
            italic: Format::new().set_italic(),
            bold,
        }
    }
}

pub(super) struct Sheet<'a> {
    pub(super) ws: &'a mut Worksheet,
    pub(super) row: u32,
    pub(super) f: &'a Formats,
    /// Write [`POISONED_RESULT`] as every formula's cached result (tests only).
    pub(super) poison: bool,
}

impl Sheet<'_> {
    pub(super) fn header(&mut self, cells: &[String]) -> Result<(), Error> {
        for (c, h) in cells.iter().enumerate() {
            self.ws.write_string_with_format(self.row, c as u16, clean(h), &self.f.head).map_err(err)?;
        }
        self.row += 1;
        Ok(())
    }

    pub(super) fn text_with(&mut self, col: u16, s: &str, format: &Format) -> Result<(), Error> {
        self.ws.write_string_with_format(self.row, col, clean(s), format).map_err(err)?;
        Ok(())
    }

    pub(super) fn num_with(&mut self, col: u16, x: Option<f64>, format: &Format) -> Result<(), Error> {
        if let Some(x) = x {
            self.ws.write_number_with_format(self.row, col, x, format).map_err(err)?;
        }
        Ok(())
    }

    /// A live formula with the model's value as its cached result (see `xlsx::cached`).
    pub(super) fn formula(&mut self, col: u16, formula: &str, result: String, format: &Format) -> Result<(), Error> {
        let result = if self.poison { POISONED_RESULT.to_string() } else { result };
        self.ws
            .write_formula_with_format(self.row, col, Formula::new(formula).set_result(result), format)
            .map_err(err)?;
        Ok(())
    }

    pub(super) fn text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string(self.row, col, clean(s)).map_err(err)?;
        Ok(())
    }

    pub(super) fn bold_text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string_with_format(self.row, col, clean(s), &self.f.bold).map_err(err)?;
        Ok(())
    }

    pub(super) fn num(&mut self, col: u16, x: f64) -> Result<(), Error> {
        self.ws.write_number(self.row, col, x).map_err(err)?;
        Ok(())
    }

    /// A percentage (0–100 in the model) as a fraction with a percent format; empty for None.
    pub(super) fn pct(&mut self, col: u16, x: Option<f64>) -> Result<(), Error> {
        if let Some(x) = x {
            self.ws.write_number_with_format(self.row, col, x / 100.0, &self.f.pct).map_err(err)?;
        }
        Ok(())
    }

    pub(super) fn cross(&mut self, t: &CrossTable, first: &str, col_label: &dyn Fn(&str) -> String, total: &str) -> Result<(), Error> {
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
    quarterly_xlsx_with_cached(q, labels, false)
}

/// [`quarterly_xlsx`]; with `poison`, every formula's cached result is [`POISONED_RESULT`]
/// instead of the model's value. For tests only: they prove that a spreadsheet program
/// really recalculates the formulas.
#[doc(hidden)]
pub fn quarterly_xlsx_with_cached(q: &QuarterlyReport, labels: &Labels, poison: bool) -> Result<Vec<u8>, Error> {
    let l = |k: &str| labels.get(k).to_string();
    let mut wb = Workbook::new();
    let created = NaiveDate::parse_from_str(&q.meta.generated_on, "%Y-%m-%d")
        .map_err(|_| Error::new(format!("bad report date {}", q.meta.generated_on)))?;
    let when = ExcelDateTime::from_ymd(created.year_ce().1 as u16, created.month0() as u8 + 1, created.day0() as u8 + 1).map_err(err)?;
    let props = DocProperties::new()
        .set_title(format!("{} {}", l("q.title"), crate::i18n::period_label(&q.meta.period, labels)))
        .set_company(&q.meta.provider)
        .set_subject(format!("{} — {}", q.meta.contract_name, q.meta.client))
        .set_creation_datetime(&when);
    wb.set_properties(&props);
    let f = Formats::new();
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
        let mut s = Sheet { ws, row: 0, f: &f, poison };
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

    // The calculation sheet is written first (the KPI and malus sheets refer to its cells)
    // and placed after the KPI sheet.
    let (calc_ws, calc) = calc_sheet(q, labels, &f, poison)?;
    // A reference to a calculation cell as a fraction (for a percent format), `""` while the
    // cell is empty.
    let fraction = |cell: (u32, u16)| {
        let r = sheet_ref(&calc.sheet, cell.0, cell.1);
        format!("IF(ISNUMBER({r}),{r}/100,\"\")")
    };
    let fraction_cached = |x: Option<f64>| cached(x.map(|x| x / 100.0));
    let quarter_ix = months.len();

    // KPIs per month and quarter.
    new_sheet(&mut wb, l("q.agenda.kpi"))?;
    let mut score_rows: Vec<u32> = Vec::new();
    let kpi_sheet;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        kpi_sheet = ws.name();
        let mut s = Sheet { ws, row: 0, f: &f, poison };
        let mut h = vec![l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("pdf.kpi.norm"), l("pdf.kpi.weight")];
        h.extend(months.iter().cloned());
        h.push(quarter.clone());
        h.push(l("pdf.trend"));
        s.header(&h)?;
        let n = months.len() as u16;
        s.ws.set_formula_result_default("");
        for (di, d) in q.domains.iter().enumerate() {
            if d.monthly_scores.iter().any(Option::is_some) {
                score_rows.push(s.row);
            }
            s.num(0, d.number as f64)?;
            s.bold_text(1, &d.name)?;
            s.bold_text(2, &l("pdf.kpi.domain_score"))?;
            let scores = d.monthly_scores.iter().chain([&d.quarter_score]);
            for (i, (x, cells)) in scores.zip(&calc.domains[di]).enumerate() {
                match cells {
                    Some(c) => s.formula(5 + i as u16, &fraction(c.score), fraction_cached(*x), &f.pct)?,
                    None if i == quarter_ix => s.text(5 + n, &l(&format!("pdf.kpi.status.{}", d.status)))?,
                    None => {}
                }
            }
            s.text(6 + n, &l(&format!("trend.{}", if d.trend == "none" { "flat" } else { &d.trend })))?;
            s.row += 1;
            for (ki, k) in d.kpis.iter().enumerate() {
                s.num(0, d.number as f64)?;
                s.text(1, &d.name)?;
                s.text(2, &k.name)?;
                s.text(3, &k.norm_text)?;
                if let Some(w) = k.weight {
                    s.num(4, w)?;
                }
                let achievements = k.monthly_achievement.iter().chain([&k.quarter_achievement]);
                for (i, (x, cell)) in achievements.zip(&calc.achievements[di][ki]).enumerate() {
                    if let Some(c) = cell {
                        s.formula(5 + i as u16, &fraction(*c), fraction_cached(*x), &f.pct)?;
                    }
                }
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

    wb.push_worksheet(calc_ws);

    // Malus: the quarter's domain scores and the KPIs through the staircase, referring to
    // the calculation sheet; the total counts the rows with a malus and adds up the euros.
    new_sheet(&mut wb, l("q.malus.pct"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, f: &f, poison };
        s.ws.set_formula_result_default("");
        s.text(0, &l("q.malus.intro").replace("{quarter}", &crate::i18n::period_label(&q.invoice_quarter, labels)))?;
        if q.malus_total.malus_eur.is_none() {
            s.row += 1;
            s.text_with(0, &l("q.malus.no_amounts"), &f.italic)?;
        }
        s.row += 2;
        s.header(&[
            l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("q.malus.score"), l("xlsx.kpi.malus_pct"),
            l("xlsx.kpi.escalation"), l("xlsx.kpi.invoice"), l("xlsx.kpi.malus_eur"), l("q.malus.note"),
        ])?;
        let (yes, no) = (str_lit(labels.get("xlsx.yes")), str_lit(labels.get("xlsx.no")));
        let bands = &q.kpi_quarter.bands;
        let first = s.row;
        for m in &q.malus {
            let di = q.kpi_quarter.domains.iter().position(|d| d.number == m.number);
            s.num(0, m.number as f64)?;
            s.text(1, &m.name)?;
            if let Some(name) = &m.kpi_name {
                s.text(2, name)?;
            }
            let escalation_text = || labels.get(if m.escalation { "xlsx.yes" } else { "xlsx.no" }).to_string();
            let score = (s.row, MALUS_SCORE_COL);
            match (&m.kpi_id, di) {
                (None, Some(di)) => {
                    if let Some(c) = &calc.domains[di][quarter_ix] {
                        let r = |cell: (u32, u16)| format!("={}", sheet_ref(&calc.sheet, cell.0, cell.1));
                        s.formula(score.1, &r(c.score), cached(m.score), &f.dec2_bold)?;
                        s.formula(4, &r(c.malus), cached(m.malus_pct), &f.dec2)?;
                        s.formula(5, &r(c.escalation), escalation_text(), &f.bold)?;
                    }
                }
                (Some(id), Some(di)) if m.status != "not_active" => {
                    let ki = q.kpi_quarter.domains[di].kpis.iter().position(|k| &k.id == id);
                    if let Some(c) = ki.and_then(|ki| calc.achievements[di][ki][quarter_ix]) {
                        let a = row_col_to_cell(score.0, score.1);
                        s.formula(score.1, &format!("={}", sheet_ref(&calc.sheet, c.0, c.1)), cached(m.score), &f.dec2_bold)?;
                        s.formula(4, &staircase_formula(&a, bands, |b| lit(b.malus_pct), "\"\""), cached(m.malus_pct), &f.dec2)?;
                        let esc = staircase_formula(&a, bands, |b| if b.escalation { yes.clone() } else { no.clone() }, &no);
                        s.formula(5, &esc, if m.score.is_some() { escalation_text() } else { String::new() }, &f.bold)?;
                    }
                }
                _ => {}
            }
            if let Some(amount) = m.invoice_amount_eur {
                s.num_with(6, Some(amount), &f.eur)?;
                let (malus, invoice) = (row_col_to_cell(s.row, 4), row_col_to_cell(s.row, 6));
                s.formula(7, &format!("IF(ISNUMBER({malus}),{invoice}*{malus}/100,\"\")"), cached(m.malus_eur), &f.eur)?;
            }
            if m.status != "scored" {
                s.text(8, &l(&format!("pdf.kpi.status.{}", m.status)))?;
            } else if m.escalation {
                s.text(8, &l("pdf.kpi.escalation"))?;
            }
            s.row += 1;
        }
        let last = s.row.max(first + 1) - 1;
        let range = |col: u16| format!("{}:{}", row_col_to_cell(first, col), row_col_to_cell(last, col));
        s.row += 1;
        let t = &q.malus_total;
        s.bold_text(1, &l("q.malus.with_malus"))?;
        s.formula(4, &format!("COUNTIF({},\">0\")", range(4)), t.with_malus.to_string(), &f.int)?;
        s.row += 1;
        s.bold_text(1, &l("q.malus.with_escalation"))?;
        s.formula(5, &format!("COUNTIF({},{yes})", range(5)), t.escalations.to_string(), &f.int)?;
        s.row += 1;
        if t.malus_eur.is_some() {
            s.bold_text(1, &l("q.malus.total_eur"))?;
            s.formula(7, &format!("SUM({})", range(7)), cached(t.malus_eur), &f.eur)?;
            s.row += 1;
        }
        s.row += 1;
        s.text_with(0, &l("q.malus.total_note"), &f.italic)?;
        s.ws.set_column_width(1, 36).map_err(err)?;
        s.ws.set_column_width(2, 30).map_err(err)?;
        s.ws.set_column_range_width(3, 8, 14).map_err(err)?;
    }

    // Volumes and trends.
    new_sheet(&mut wb, l("q.agenda.trends"))?;
    let trends_sheet;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        trends_sheet = ws.name();
        let mut s = Sheet { ws, row: 0, f: &f, poison };
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
        s.cross(&q.schools_by_month.to_dense(), &l("pdf.school"), &month_of, &l("pdf.total"))?;
        s.ws.set_column_width(0, 44).map_err(err)?;
        s.ws.set_column_range_width(1, 5, 16).map_err(err)?;
    }

    // Changes.
    new_sheet(&mut wb, l("q.agenda.changes"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, f: &f, poison };
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
    let charts = charts_sheet(q, labels, &sources, &f.head, &f.pct, &f.bold).map_err(err)?;
    let sheets = wb.worksheets_mut();
    sheets.insert(sheets.len().min(1), charts);
    for ws in voice_sheets(&q.voice, labels).map_err(err)? {
        wb.push_worksheet(ws);
    }
    if let Some(ws) = commentary_sheet(&q.commentary, labels).map_err(err)? {
        wb.push_worksheet(ws);
    }
    if let Some(ch) = &q.rerun_changes {
        let names: Vec<String> = wb.worksheets_mut().iter().map(|w| w.name()).collect();
        for ws in changes_worksheets(ch, labels, &names).map_err(err)? {
            wb.push_worksheet(ws);
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// The malus sheet's column of the score (or the KPI's achievement).

mod calc;
mod charts;

use calc::{MALUS_SCORE_COL, calc_sheet};
use charts::{Sources, charts_sheet};
#[cfg(test)]
mod tests;
