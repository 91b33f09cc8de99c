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

use chrono::NaiveDate;
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, DocProperties, ExcelDateTime, Format, FormatBorder, Formula, Workbook,
    Worksheet,
};

use super::xlsx::{
    CHART_HEIGHT, CHART_TOP, CHART_WIDTH, GOLD, HELPER_COL, PRIMARY, PRIMARY_LIGHT, add_band_line,
    band_name, below, fill, n_rows, titled,
};

use super::xlsx::{
    POISONED_RESULT, achievement_part, cached, direction_key, lit, numbered_sheet_name, sheet_ref,
    source_text, staircase_formula, str_lit, unit_key,
};
use super::xlsx_text::{cell_text, sheet_base_name};
use crate::contract::PriorityCombination;
use crate::error::Error;
use crate::i18n::{month_label, Labels};
use crate::kpi::{KpiResult, KpiSection};
use crate::report::model::CrossTable;
use crate::report::quarterly::QuarterlyReport;

fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(format!("cannot write the quarterly annex: {e}"))
}

/// Text made safe for a cell, as in the monthly annex.
fn clean(s: &str) -> String {
    cell_text(s).into_owned()
}

/// The cell formats of the annex.
struct Formats {
    head: Format,
    pct: Format,
    bold: Format,
    dec2: Format,
    dec2_bold: Format,
    eur: Format,
    int: Format,
    title: Format,
    italic: Format,
}

impl Formats {
    fn new() -> Formats {
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

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    f: &'a Formats,
    /// Write [`POISONED_RESULT`] as every formula's cached result (tests only).
    poison: bool,
}

impl Sheet<'_> {
    fn header(&mut self, cells: &[String]) -> Result<(), Error> {
        for (c, h) in cells.iter().enumerate() {
            self.ws.write_string_with_format(self.row, c as u16, clean(h), &self.f.head).map_err(err)?;
        }
        self.row += 1;
        Ok(())
    }

    fn text_with(&mut self, col: u16, s: &str, format: &Format) -> Result<(), Error> {
        self.ws.write_string_with_format(self.row, col, clean(s), format).map_err(err)?;
        Ok(())
    }

    fn num_with(&mut self, col: u16, x: Option<f64>, format: &Format) -> Result<(), Error> {
        if let Some(x) = x {
            self.ws.write_number_with_format(self.row, col, x, format).map_err(err)?;
        }
        Ok(())
    }

    /// A live formula with the model's value as its cached result (see `xlsx::cached`).
    fn formula(&mut self, col: u16, formula: &str, result: String, format: &Format) -> Result<(), Error> {
        let result = if self.poison { POISONED_RESULT.to_string() } else { result };
        self.ws
            .write_formula_with_format(self.row, col, Formula::new(formula).set_result(result), format)
            .map_err(err)?;
        Ok(())
    }

    fn text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string(self.row, col, clean(s)).map_err(err)?;
        Ok(())
    }

    fn bold_text(&mut self, col: u16, s: &str) -> Result<(), Error> {
        self.ws.write_string_with_format(self.row, col, clean(s), &self.f.bold).map_err(err)?;
        Ok(())
    }

    fn num(&mut self, col: u16, x: f64) -> Result<(), Error> {
        self.ws.write_number(self.row, col, x).map_err(err)?;
        Ok(())
    }

    /// A percentage (0–100 in the model) as a fraction with a percent format; empty for None.
    fn pct(&mut self, col: u16, x: Option<f64>) -> Result<(), Error> {
        if let Some(x) = x {
            self.ws.write_number_with_format(self.row, col, x / 100.0, &self.f.pct).map_err(err)?;
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
    for ws in super::xlsx_voice::voice_sheets(&q.voice, labels).map_err(err)? {
        wb.push_worksheet(ws);
    }
    if let Some(ws) = super::xlsx_voice::commentary_sheet(&q.commentary, labels).map_err(err)? {
        wb.push_worksheet(ws);
    }
    if let Some(ch) = &q.rerun_changes {
        let names: Vec<String> = wb.worksheets_mut().iter().map(|w| w.name()).collect();
        for ws in super::xlsx::changes_worksheets(ch, labels, &names).map_err(err)? {
            wb.push_worksheet(ws);
        }
    }
    wb.save_to_buffer().map_err(err)
}

/// The malus sheet's column of the score (or the KPI's achievement).
const MALUS_SCORE_COL: u16 = 3;

/// Columns of the calculation sheet: the KPI's fixed columns, then a group of [`calc::GROUP`]
/// columns per period (the months, then the quarter).
mod calc {
    pub const NUMBER: u16 = 0;
    pub const DOMAIN: u16 = 1;
    pub const ID: u16 = 2;
    pub const NAME: u16 = 3;
    pub const NORM_TEXT: u16 = 4;
    pub const NORM: u16 = 5;
    pub const NORM2: u16 = 6;
    pub const DIRECTION: u16 = 7;
    pub const UNIT: u16 = 8;
    pub const WEIGHT: u16 = 9;
    pub const FIRST_GROUP: u16 = 10;
    pub const GROUP: u16 = 7;
    // Within a period's group.
    pub const MEASURED: u16 = 0;
    pub const MEASURED2: u16 = 1;
    pub const NUMERATOR: u16 = 2;
    pub const DENOMINATOR: u16 = 3;
    pub const ACHIEVEMENT: u16 = 4;
    pub const EFFECTIVE: u16 = 5;
    pub const SOURCE: u16 = 6;
    /// Column `offset` of period `p`'s group.
    pub fn col(p: usize, offset: u16) -> u16 {
        FIRST_GROUP + u16::try_from(p).unwrap_or(u16::MAX / GROUP - FIRST_GROUP) * GROUP + offset
    }
}

/// A domain's formula cells on the calculation sheet in one period.
struct DomainCells {
    score: (u32, u16),
    malus: (u32, u16),
    escalation: (u32, u16),
}

/// Where the calculation sheet keeps what the KPI and malus sheets refer to.
struct CalcCells {
    sheet: String,
    /// `[domain][kpi][period]`: the achievement cell of a KPI with a norm.
    achievements: Vec<Vec<Vec<Option<(u32, u16)>>>>,
    /// `[domain][period]`: the formula cells of a domain that counts in the period.
    domains: Vec<Vec<Option<DomainCells>>>,
}

/// Where a KPI's figure came from, with a measurement's period in words; a quarter's sum or
/// mean of the months' measurements names the months.
fn figure_source(labels: &Labels, k: &KpiResult) -> String {
    let Some(f) = &k.figure else { return source_text(labels, k) };
    if f.source != "measurement" || f.detail.is_empty() {
        return source_text(labels, k);
    }
    let detail = match (f.detail.strip_prefix("sum:"), f.detail.strip_prefix("mean:")) {
        (Some(m), _) => ("q.kpi.sum_of", m),
        (_, Some(m)) => ("q.kpi.mean_of", m),
        _ => ("", f.detail.as_str()),
    };
    let periods: Vec<String> = detail.1.split(',').map(|p| crate::i18n::period_label(p, labels)).collect();
    let what = if detail.0.is_empty() { String::new() } else { format!("{} ", labels.get(detail.0)) };
    let mut s = format!("{} ({what}{})", labels.get("xlsx.source.measurement"), periods.join(", "));
    if f.overrides_computed {
        s = format!("{s}; {}", labels.get("xlsx.kpi.overrides"));
    }
    s
}

/// The achievement formula of a KPI from its measured and norm cells, as the monthly annex
/// writes it: `""` while nothing is measured; for a KPI with a second norm (reachability)
/// the lower of both parts when part 2 is measured.
fn achievement_cells(k: &KpiResult, m1: &str, n1: &str, m2: &str, n2: &str, cap: Option<f64>) -> String {
    let p1 = achievement_part(m1, n1, k.direction, cap);
    match k.second_norm {
        Some(_) => {
            let p2 = achievement_part(m2, n2, k.direction, cap);
            format!("IF(ISNUMBER({m1}),IF(ISNUMBER({m2}),MIN({p1},{p2}),{p1}),\"\")")
        }
        None => format!("IF(ISNUMBER({m1}),{p1},\"\")"),
    }
}

/// The calculation sheet: the staircase and cap, then per domain a row per KPI with its
/// measured values, numerator, denominator, source and (as formulas) achievement and weight
/// with data for each period side by side, and under them the domain's weight with data,
/// score, malus, escalation and malus in euros per period in which the domain counts.
fn calc_sheet(q: &QuarterlyReport, labels: &Labels, f: &Formats, poison: bool) -> Result<(Worksheet, CalcCells), Error> {
    use calc::*;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = Worksheet::new();
    ws.set_name(numbered_sheet_name(&sheet_base_name(labels.get("q.calc.sheet")), 1)).map_err(err)?;
    ws.set_paper_size(9).set_landscape();
    ws.set_formula_result_default("");
    let sheet = ws.name();
    let sections: Vec<&KpiSection> = q.kpi_months.iter().chain([&q.kpi_quarter]).collect();
    let periods: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).chain([l("q.quarter_col")]).collect();
    let (bands, cap) = (&q.kpi_quarter.bands, q.kpi_quarter.cap_pct);
    let mut out = CalcCells { sheet, achievements: Vec::new(), domains: Vec::new() };
    let mut s = Sheet { ws: &mut ws, row: 0, f, poison };
    s.text_with(0, &l("q.calc.title").replace("{period}", &crate::i18n::period_label(&q.meta.period, labels)), &f.title)?;
    s.row = 1;
    s.text_with(0, &l("xlsx.kpi.intro"), &f.italic)?;
    s.row = 2;
    s.text_with(0, &l("q.calc.intro"), &f.italic)?;
    s.row = 4;
    s.bold_text(0, &l("xlsx.kpi.staircase"))?;
    s.row += 1;
    s.header(&[l("xlsx.kpi.min_score"), l("xlsx.kpi.malus_pct"), l("xlsx.kpi.escalation")])?;
    for b in bands {
        s.num_with(0, Some(b.min_score_pct), &f.dec2)?;
        s.num_with(1, Some(b.malus_pct), &f.dec2)?;
        s.text(2, &l(if b.escalation { "xlsx.yes" } else { "xlsx.no" }))?;
        s.row += 1;
    }
    s.bold_text(0, &l("xlsx.kpi.cap"))?;
    match cap {
        Some(c) => s.num_with(1, Some(c), &f.dec2)?,
        None => s.text(1, &l("xlsx.kpi.no_cap"))?,
    }
    s.row += 2;

    // Two header rows: the periods over their groups, then the columns.
    for (p, name) in periods.iter().enumerate() {
        s.bold_text(col(p, 0), name)?;
    }
    s.row += 1;
    let fixed = ["xlsx.kpi.number", "xlsx.kpi_col.domain", "xlsx.kpi_col.kpi", "xlsx.kpi_col.name", "xlsx.kpi_col.norm_text",
        "xlsx.kpi_col.norm", "xlsx.kpi_col.norm2", "xlsx.kpi_col.direction", "xlsx.kpi_col.unit", "xlsx.kpi_col.weight"];
    let group = ["measured", "measured2", "numerator", "denominator", "achievement", "effective_weight", "source"];
    let mut head: Vec<String> = fixed.iter().map(|k| l(k)).collect();
    for _ in &periods {
        head.extend(group.iter().map(|k| l(&format!("xlsx.kpi_col.{k}"))));
    }
    s.header(&head)?;
    s.ws.set_freeze_panes(s.row, FIRST_GROUP).map_err(err)?;

    let a1 = |row: u32, c: u16| row_col_to_cell(row, c);
    for (di, qd) in q.kpi_quarter.domains.iter().enumerate() {
        let heading = l("xlsx.kpi.domain_heading").replace("{number}", &qd.number.to_string()).replace("{name}", &qd.name);
        s.text_with(0, &heading, &f.bold)?;
        s.row += 1;
        let first = s.row;
        let live: Vec<bool> = sections.iter().map(|sec| {
            let d = &sec.domains[di];
            d.scored && d.active && !d.kpis.is_empty()
        }).collect();
        let mut achievements = Vec::new();
        for (ki, k) in qd.kpis.iter().enumerate() {
            let row = s.row;
            s.num_with(NUMBER, Some(f64::from(qd.number)), &f.int)?;
            s.text(DOMAIN, &qd.name)?;
            s.text(ID, &k.id)?;
            s.text(NAME, &k.name)?;
            s.text(NORM_TEXT, &k.norm_text)?;
            s.num_with(NORM, k.norm, &f.dec2)?;
            s.num_with(NORM2, k.second_norm, &f.dec2)?;
            s.text(DIRECTION, &l(&format!("xlsx.direction.{}", direction_key(k.direction))))?;
            s.text(UNIT, &l(&format!("xlsx.unit.{}", unit_key(k.unit))))?;
            s.num_with(WEIGHT, k.weight, &f.dec2)?;
            let mut cells = Vec::new();
            for (p, sec) in sections.iter().enumerate() {
                let pk = &sec.domains[di].kpis[ki];
                if let Some(fig) = &pk.figure {
                    s.num_with(col(p, MEASURED), Some(fig.measured), &f.dec2)?;
                    s.num_with(col(p, MEASURED2), fig.second_measured, &f.dec2)?;
                    s.num_with(col(p, NUMERATOR), fig.numerator.map(|n| n as f64), &f.int)?;
                    s.num_with(col(p, DENOMINATOR), fig.denominator.map(|n| n as f64), &f.int)?;
                }
                s.text(col(p, SOURCE), &figure_source(labels, pk))?;
                let ach = col(p, ACHIEVEMENT);
                if pk.norm.is_some() {
                    let formula = achievement_cells(
                        pk,
                        &a1(row, col(p, MEASURED)),
                        &a1(row, NORM),
                        &a1(row, col(p, MEASURED2)),
                        &a1(row, NORM2),
                        sec.cap_pct,
                    );
                    s.formula(ach, &formula, cached(pk.achievement_pct), &f.dec2)?;
                    cells.push(Some((row, ach)));
                } else {
                    cells.push(None);
                }
                if live[p] {
                    let (a, w) = (a1(row, ach), a1(row, WEIGHT));
                    let effective = match (pk.weight, pk.achievement_pct) {
                        (Some(w), Some(_)) => w,
                        _ => 0.0,
                    };
                    s.formula(col(p, EFFECTIVE), &format!("IF(AND(ISNUMBER({a}),ISNUMBER({w})),{w},0)"), cached(Some(effective)), &f.dec2)?;
                }
            }
            achievements.push(cells);
            s.row += 1;
            // Domain 2's response and resolution per priority: a row per priority under the
            // KPI (no weight, so the domain's sums skip them), and the KPI's measured value
            // and achievement combine theirs.
            let parted = sections.iter().any(|sec| sec.domains[di].kpis[ki].figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()));
            if parted {
                let (top, bottom) = (s.row, s.row + 3);
                for (j, prio) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
                    s.row = top + j as u32;
                    s.text(ID, &format!("{}.{prio}", k.id))?;
                    s.text(NAME, &l(&format!("priority.{prio}")))?;
                    s.num_with(NORM, k.norm, &f.dec2)?;
                    for (p, sec) in sections.iter().enumerate() {
                        let pk = &sec.domains[di].kpis[ki];
                        let Some(part) = pk.figure.as_ref().and_then(|f| f.per_priority.iter().find(|x| x.priority == *prio)) else { continue };
                        s.num_with(col(p, NUMERATOR), Some(part.numerator as f64), &f.int)?;
                        s.num_with(col(p, DENOMINATOR), Some(part.denominator as f64), &f.int)?;
                        let (num, den) = (a1(s.row, col(p, NUMERATOR)), a1(s.row, col(p, DENOMINATOR)));
                        s.formula(col(p, MEASURED), &format!("IF({den}>0,{num}*100/{den},\"\")"), cached(Some(part.measured)), &f.dec2)?;
                        let m = a1(s.row, col(p, MEASURED));
                        let ach = achievement_part(&m, &a1(s.row, NORM), pk.direction, sec.cap_pct);
                        s.formula(col(p, ACHIEVEMENT), &format!("IF(ISNUMBER({m}),{ach},\"\")"), cached(Some(part.achievement_pct)), &f.dec2)?;
                    }
                }
                // The KPI row: the mean (or lowest) of the priorities, where combined.
                s.row = row;
                for (p, sec) in sections.iter().enumerate() {
                    let pk = &sec.domains[di].kpis[ki];
                    let Some(fig) = pk.figure.as_ref().filter(|f| !f.per_priority.is_empty()) else { continue };
                    let func = match fig.combination {
                        Some(PriorityCombination::PerPriorityMean) => "AVERAGE",
                        Some(PriorityCombination::PerPriorityMin) => "MIN",
                        _ => continue,
                    };
                    let span = |c: u16| format!("{}:{}", a1(top, c), a1(bottom, c));
                    s.formula(col(p, MEASURED), &format!("{func}({})", span(col(p, MEASURED))), cached(Some(fig.measured)), &f.dec2)?;
                    let a = span(col(p, ACHIEVEMENT));
                    s.formula(col(p, ACHIEVEMENT), &format!("IF(COUNT({a})>0,{func}({a}),\"\")"), cached(pk.achievement_pct), &f.dec2)?;
                }
                s.row = bottom + 1;
            }
        }
        out.achievements.push(achievements);
        let last = s.row.max(first + 1) - 1;
        let range = |c: u16| format!("{}:{}", a1(first, c), a1(last, c));

        s.bold_text(NAME, &l("xlsx.kpi.status"))?;
        for (p, sec) in sections.iter().enumerate() {
            s.text(col(p, ACHIEVEMENT), &l(&format!("xlsx.domain_status.{}", sec.domains[di].status)))?;
        }
        s.row += 1;
        if !live.iter().any(|x| *x) {
            out.domains.push(sections.iter().map(|_| None).collect());
            s.row += 1;
            continue;
        }
        s.bold_text(NAME, &l("xlsx.kpi.weight_total"))?;
        s.formula(WEIGHT, &format!("SUM({})", range(WEIGHT)), cached(Some(qd.weight_total)), &f.dec2)?;
        s.row += 1;
        let (with_data, score, share, malus, escalation) = (s.row, s.row + 1, s.row + 2, s.row + 3, s.row + 4);
        let invoice = qd.invoice_amount_eur.map(|_| (s.row + 5, s.row + 6));
        for (key, row) in [
            ("xlsx.kpi.weight_with_data", with_data),
            ("xlsx.kpi.score", score),
            ("xlsx.kpi.weight_share", share),
            ("xlsx.kpi.malus_pct", malus),
            ("xlsx.kpi.escalation", escalation),
        ] {
            s.row = row;
            s.bold_text(NAME, &l(key))?;
        }
        if let (Some(amount), Some((row, eur))) = (qd.invoice_amount_eur, invoice) {
            s.row = row;
            s.bold_text(NAME, &l("xlsx.kpi.invoice"))?;
            s.num_with(WEIGHT, Some(amount), &f.eur)?;
            s.row = eur;
            s.bold_text(NAME, &l("xlsx.kpi.malus_eur"))?;
        }
        let (yes, no) = (str_lit(labels.get("xlsx.yes")), str_lit(labels.get("xlsx.no")));
        let mut domains = Vec::new();
        for (p, sec) in sections.iter().enumerate() {
            if !live[p] {
                domains.push(None);
                continue;
            }
            let d = &sec.domains[di];
            let (eff, ach) = (range(col(p, EFFECTIVE)), range(col(p, ACHIEVEMENT)));
            let at = |row: u32| (row, col(p, ACHIEVEMENT));
            s.row = with_data;
            s.formula(col(p, EFFECTIVE), &format!("SUM({eff})"), cached(Some(d.weight_with_data)), &f.dec2)?;
            s.row = score;
            let formula = format!("IF(SUM({eff})<=0,\"\",SUMPRODUCT({eff},{ach})/SUM({eff}))");
            s.formula(at(score).1, &formula, cached(d.score_pct), &f.dec2_bold)?;
            let score_cell = a1(score, at(score).1);
            s.row = share;
            let (total, with) = (a1(with_data - 1, WEIGHT), a1(with_data, col(p, EFFECTIVE)));
            s.formula(at(share).1, &format!("IF({total}>0,{with}*100/{total},\"\")"), cached(d.weight_share_pct), &f.dec2)?;
            let share_cell = a1(share, at(share).1);
            // Below the contract's minimum share of the weight with data, the band's malus is
            // not applied (unless the contract applies it all the same).
            let gate = |staircase: String, below: &str| {
                if sec.malus_with_little_data {
                    staircase
                } else {
                    format!(
                        "IF(AND(ISNUMBER({score_cell}),ISNUMBER({share_cell}),{share_cell}<{}),{below},{staircase})",
                        lit(sec.min_weight_share_pct)
                    )
                }
            };
            s.row = malus;
            s.formula(at(malus).1, &gate(staircase_formula(&score_cell, bands, |b| lit(b.malus_pct), "\"\""), "\"\""), cached(d.malus_pct), &f.dec2_bold)?;
            s.row = escalation;
            let result = match d.score_pct {
                Some(_) => l(if d.escalation { "xlsx.yes" } else { "xlsx.no" }),
                None => String::new(),
            };
            let formula = gate(staircase_formula(&score_cell, bands, |b| if b.escalation { yes.clone() } else { no.clone() }, &no), &no);
            s.formula(at(escalation).1, &formula, result, &f.bold)?;
            if let Some((row, eur)) = invoice {
                s.row = eur;
                let (m, amount) = (a1(malus, at(malus).1), a1(row, WEIGHT));
                s.formula(at(eur).1, &format!("IF(ISNUMBER({m}),{amount}*{m}/100,\"\")"), cached(d.malus_eur), &f.eur)?;
            }
            domains.push(Some(DomainCells { score: at(score), malus: at(malus), escalation: at(escalation) }));
        }
        out.domains.push(domains);
        s.row = invoice.map_or(escalation, |(_, eur)| eur) + 2;
    }
    ws.set_column_width(calc::DOMAIN, 26).map_err(err)?;
    ws.set_column_width(calc::NAME, 36).map_err(err)?;
    ws.set_column_width(calc::NORM_TEXT, 30).map_err(err)?;
    for p in 0..periods.len() {
        ws.set_column_range_width(calc::col(p, 0), calc::col(p, calc::EFFECTIVE), 12).map_err(err)?;
        ws.set_column_width(calc::col(p, calc::SOURCE), 30).map_err(err)?;
    }
    Ok((ws, out))
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

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use calamine::{Data, Reader};

    use super::*;
    use crate::contract::LoadedContract;
    use crate::period::Period;
    use crate::render::xlsx::tests::{chart_parts, open, string_at};
    use crate::report::aggregate::RunContext;
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
            // An empty cell, or a formula whose cached result is empty.
            None | Some(Data::Empty) => None,
            Some(Data::String(s)) if s.is_empty() => None,
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
        assert_eq!(names.len(), 10, "{names:?}");
        assert_eq!(names[7..], ["Verbeteracties", "Klachten", "Escalaties"]);
        assert_eq!(names[3], "KPI-berekening");
        assert_eq!(names[1], "Grafieken");
        let charts = wb.worksheet_range("Grafieken").unwrap();
        assert_eq!(
            string_at(&charts, 0, 0),
            "Grafieken bij de kwartaalrapportage over het 3e kwartaal 2026"
        );
        let en = Labels::embedded("en").unwrap();
        let bytes = quarterly_xlsx(&q, &en).unwrap();
        assert_eq!(chart_parts(&bytes), [1, 2]);
        assert_eq!(open(bytes).sheet_names()[1], "Charts");
    }

    #[test]
    fn the_calculation_sheet_names_each_figures_source_in_words() {
        let q = demo_quarter();
        let nl = Labels::embedded("nl").unwrap();
        let mut wb = open(quarterly_xlsx(&q, &nl).unwrap());
        let calc = wb.worksheet_range("KPI-berekening").unwrap();
        let row = |id: &str| (0..calc.height() as u32).find(|r| matches!(calc.get_value((*r, 2)), Some(Data::String(s)) if s == id)).unwrap();
        let quarter_source = u32::from(calc::col(q.months.len(), calc::SOURCE));
        assert_eq!(
            string_at(&calc, row("complaints"), quarter_source),
            "logboek (klachten.csv)"
        );
        // Training is measured for 2026-H2, which has not ended when Q3's report is made: not
        // yet measured, so the source is the contract's.
        assert_eq!(string_at(&calc, row("training_sessions"), quarter_source), "meting");
        assert_eq!(string_at(&calc, row("first_contact_resolution"), quarter_source), "tickets (tickets.csv)");
        // Complaints counted from klachten.csv: 0 + 3 + 1 in the quarter's measured column.
        let measured = u32::from(calc::col(q.months.len(), calc::MEASURED));
        assert_eq!(float_at(&calc, row("complaints"), measured), Some(4.0));
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
        let trends = wb.worksheet_range(&names[5]).unwrap();
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
