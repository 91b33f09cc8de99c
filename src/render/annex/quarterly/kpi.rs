//! The quarterly annex's KPI and malus sheets: the figures per month and for the quarter as
//! formulas referring to the calculation sheet, so a changed measured value there
//! recalculates them.

use rust_xlsxwriter::utility::row_col_to_cell;

use super::calc::{CalcCells, DomainCells};
use super::period_head;
use crate::render::annex::formulas::{cached, escalation_staircase, malus_eur, malus_staircase, sheet_ref, str_lit};
use crate::render::annex::workbook::{Book, Cells, Res, cix};
use crate::i18n::period_label;
use crate::report::quarterly::{MalusRow, QuarterlyReport};

/// The malus sheet's column of the score (or the KPI's achievement).
pub(super) const MALUS_SCORE_COL: u16 = 3;

/// The first column of the months on the KPI sheet.
pub(super) const KPI_FIRST_MONTH_COL: u16 = 5;

/// A reference to a calculation cell as a fraction (for a percent format), `""` while the
/// cell is empty.
fn fraction(calc: &CalcCells, cell: (u32, u16)) -> String {
    let r = sheet_ref(&calc.sheet, cell.0, cell.1);
    format!("IF(ISNUMBER({r}),{r}/100,\"\")")
}

/// A model percentage as the cached result of a [`fraction`].
fn fraction_cached(x: Option<f64>) -> String {
    cached(x.map(|x| x / 100.0))
}

/// KPIs per month and quarter: per domain its score row, then a row per KPI with its
/// achievements. Returns the sheet's name and the rows of the domains with a score in at
/// least one month (the charts read them).
pub(super) fn kpi_sheet(b: &mut Book, q: &QuarterlyReport, months: &[String], calc: &CalcCells) -> Res<(String, Vec<u32>)> {
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let quarter_ix = months.len();
    let n = cix(months.len())?;
    let mut ws = b.plain_sheet("q.agenda.kpi")?;
    let mut score_rows: Vec<u32> = Vec::new();
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        let first = vec![l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("pdf.kpi.norm"), l("pdf.kpi.weight")];
        let mut row = c.dark_header(0, &period_head(labels, first, months, &[l("pdf.trend")]))?;
        c.ws.set_formula_result_default("");
        for (di, d) in q.domains.iter().enumerate() {
            if d.monthly_scores.iter().any(Option::is_some) {
                score_rows.push(row);
            }
            c.general(row, 0, d.number as f64)?;
            c.text_with(row, 1, &d.name, &f.bold)?;
            c.text_with(row, 2, labels.get("pdf.kpi.domain_score"), &f.bold)?;
            let scores = d.monthly_scores.iter().chain([&d.quarter_score]);
            for (i, (x, cells)) in scores.zip(&calc.domains[di]).enumerate() {
                match cells {
                    Some(cells) => c.formula(row, KPI_FIRST_MONTH_COL + cix(i)?, &fraction(calc, cells.score), fraction_cached(*x), &f.pct)?,
                    None if i == quarter_ix => c.text(row, KPI_FIRST_MONTH_COL + n, &l(&format!("pdf.kpi.status.{}", d.status)))?,
                    None => {}
                }
            }
            c.text(row, 6 + n, &l(&format!("trend.{}", if d.trend == "none" { "flat" } else { &d.trend })))?;
            row += 1;
            for (ki, k) in d.kpis.iter().enumerate() {
                c.general(row, 0, d.number as f64)?;
                c.text(row, 1, &d.name)?;
                c.text(row, 2, &k.name)?;
                c.text(row, 3, &k.norm_text)?;
                if let Some(w) = k.weight {
                    c.general(row, 4, w)?;
                }
                let achievements = k.monthly_achievement.iter().chain([&k.quarter_achievement]);
                for (i, (x, cell)) in achievements.zip(&calc.achievements[di][ki]).enumerate() {
                    if let Some(cell) = cell {
                        c.formula(row, KPI_FIRST_MONTH_COL + cix(i)?, &fraction(calc, *cell), fraction_cached(*x), &f.pct)?;
                    }
                }
                if k.trend != "none" {
                    c.text(row, 6 + n, &l(&format!("trend.{}", k.trend)))?;
                }
                row += 1;
            }
        }
        c.ws.set_column_width(1, 30)?;
        c.ws.set_column_width(2, 44)?;
        c.ws.set_column_width(3, 40)?;
        c.ws.set_column_range_width(5, 5 + n, 14)?;
        c.ws.set_freeze_panes(1, 0)?;
        c.ws.autofilter(0, 0, row.saturating_sub(1).max(1), 6 + n)?;
    }
    let name = ws.name();
    b.wb.push_worksheet(ws);
    Ok((name, score_rows))
}

/// Malus: the quarter's domain scores and the KPIs through the staircase, referring to the
/// calculation sheet; the total counts the rows with a malus and adds up the euros.
pub(super) fn malus_sheet(b: &mut Book, q: &QuarterlyReport, calc: &CalcCells) -> Res {
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = b.plain_sheet("q.malus.pct")?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        c.ws.set_formula_result_default("");
        c.text(0, 0, &l("q.malus.intro").replace("{quarter}", &period_label(&q.invoice_quarter, labels)))?;
        let mut row = 0;
        if q.malus_total.malus_eur.is_none() {
            row += 1;
            c.text_with(row, 0, labels.get("q.malus.no_amounts"), &f.italic)?;
        }
        row = c.dark_header(row + 2, &[
            l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("q.malus.score"), l("xlsx.kpi.malus_pct"),
            l("xlsx.kpi.escalation"), l("xlsx.kpi.invoice"), l("xlsx.kpi.malus_eur"), l("q.malus.note"),
        ])?;
        let yes = str_lit(labels.get("xlsx.yes"));
        let first = row;
        for m in &q.malus {
            malus_row(&mut c, row, q, m, calc)?;
            row += 1;
        }
        let last = row.max(first + 1) - 1;
        let range = |col: u16| format!("{}:{}", row_col_to_cell(first, col), row_col_to_cell(last, col));
        row += 1;
        let t = &q.malus_total;
        c.text_with(row, 1, labels.get("q.malus.with_malus"), &f.bold)?;
        c.formula(row, 4, &format!("COUNTIF({},\">0\")", range(4)), t.with_malus.to_string(), &f.int)?;
        row += 1;
        c.text_with(row, 1, labels.get("q.malus.with_escalation"), &f.bold)?;
        c.formula(row, 5, &format!("COUNTIF({},{yes})", range(5)), t.escalations.to_string(), &f.int)?;
        row += 1;
        if t.malus_eur.is_some() {
            c.text_with(row, 1, labels.get("q.malus.total_eur"), &f.bold)?;
            c.formula(row, 7, &format!("SUM({})", range(7)), cached(t.malus_eur), &f.eur)?;
            row += 1;
        }
        c.text_with(row + 1, 0, labels.get("q.malus.total_note"), &f.italic)?;
        c.ws.set_column_width(1, 36)?;
        c.ws.set_column_width(2, 30)?;
        c.ws.set_column_range_width(3, 8, 14)?;
    }
    b.wb.push_worksheet(ws);
    Ok(())
}

/// A row of the malus table: a domain's score, malus and escalation as references to the
/// calculation sheet, or a KPI with its own malus: its achievement through the staircase;
/// with an invoice amount, the malus in euros; a note on its status.
fn malus_row(c: &mut Cells, row: u32, q: &QuarterlyReport, m: &MalusRow, calc: &CalcCells) -> Res {
    let (f, labels) = (c.f, c.labels);
    let l = |k: &str| labels.get(k).to_string();
    let quarter_ix = q.months.len();
    let (yes, no) = (str_lit(labels.get("xlsx.yes")), str_lit(labels.get("xlsx.no")));
    let bands = &q.kpi_quarter.bands;
    let di = q.kpi_quarter.domains.iter().position(|d| d.number == m.number);
    c.general(row, 0, m.number as f64)?;
    c.text(row, 1, &m.name)?;
    if let Some(name) = &m.kpi_name {
        c.text(row, 2, name)?;
    }
    let escalation_text = || l(if m.escalation { "xlsx.yes" } else { "xlsx.no" });
    match (&m.kpi_id, di) {
        // A domain's row: its cells on the calculation sheet.
        (None, Some(di)) => {
            if let Some(DomainCells { score, malus, escalation }) = &calc.domains[di][quarter_ix] {
                let r = |cell: &(u32, u16)| format!("={}", sheet_ref(&calc.sheet, cell.0, cell.1));
                c.formula(row, MALUS_SCORE_COL, &r(score), cached(m.score), &f.dec2_bold)?;
                c.formula(row, 4, &r(malus), cached(m.malus_pct), &f.dec2)?;
                c.formula(row, 5, &r(escalation), escalation_text(), &f.bold)?;
            }
        }
        // A KPI with its own malus: its achievement through the staircase.
        (Some(id), Some(di)) if m.status != "not_active" => {
            let ki = q.kpi_quarter.domains[di].kpis.iter().position(|k| &k.id == id);
            if let Some(cell) = ki.and_then(|ki| calc.achievements[di][ki][quarter_ix]) {
                let a = row_col_to_cell(row, MALUS_SCORE_COL);
                c.formula(row, MALUS_SCORE_COL, &format!("={}", sheet_ref(&calc.sheet, cell.0, cell.1)), cached(m.score), &f.dec2_bold)?;
                c.formula(row, 4, &malus_staircase(&a, bands), cached(m.malus_pct), &f.dec2)?;
                let esc = escalation_staircase(&a, bands, &yes, &no);
                c.formula(row, 5, &esc, if m.score.is_some() { escalation_text() } else { String::new() }, &f.bold)?;
            }
        }
        _ => {}
    }
    if let Some(amount) = m.invoice_amount_eur {
        c.number(row, 6, amount, &f.eur)?;
        let (malus, invoice) = (row_col_to_cell(row, 4), row_col_to_cell(row, 6));
        c.formula(row, 7, &malus_eur(&malus, &invoice), cached(m.malus_eur), &f.eur)?;
    }
    if m.status != "scored" {
        c.text(row, 8, &l(&format!("pdf.kpi.status.{}", m.status)))?;
    } else if m.escalation {
        c.text(row, 8, labels.get("pdf.kpi.escalation"))?;
    }
    Ok(())
}
