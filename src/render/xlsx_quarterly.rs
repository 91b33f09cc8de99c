//! The Excel annex of the quarterly report: the tables of the PDF as sheets, from the same
//! `QuarterlyReport`. Text is always written as text (never a formula); percentages are
//! real numbers with a percent format; the file is byte-identical for the same model.

use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};

use crate::error::Error;
use crate::i18n::Labels;
use crate::report::model::CrossTable;
use crate::report::quarterly::QuarterlyReport;

fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(format!("cannot write the quarterly annex: {e}"))
}

/// Text safe for a cell: control characters other than tab and newline replaced.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\n' && c != '\t' { '\u{FFFD}' } else { c }).take(32_000).collect()
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

fn month_name(label: &str, labels: &Labels) -> String {
    let m: usize = label.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", labels.get(crate::i18n::MONTH_KEYS[m.clamp(1, 12) - 1]), &label[..4.min(label.len())])
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
    let months: Vec<String> = q.months.iter().map(|m| month_name(m, labels)).collect();
    let quarter = l("q.quarter_col");

    let new_sheet = |wb: &mut Workbook, name: String| -> Result<(), Error> {
        let ws = wb.add_worksheet();
        ws.set_name(name.chars().take(31).collect::<String>()).map_err(err)?;
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
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        let mut h = vec![l("pdf.kpi.domain_no"), l("pdf.kpi.domain"), l("pdf.kpi.kpi"), l("pdf.kpi.norm"), l("pdf.kpi.weight")];
        h.extend(months.iter().cloned());
        h.push(quarter.clone());
        h.push(l("pdf.trend"));
        s.header(&h)?;
        let n = months.len() as u16;
        for d in &q.domains {
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
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head: head.clone(), pct: pct.clone(), bold: bold.clone() };
        let month_label = |c: &str| month_name(c, labels);
        let mut by_type = q.volumes_by_type.clone();
        by_type.rows = by_type.rows.iter().map(|r| l(&format!("ticket_type.{r}"))).collect();
        s.cross(&by_type, &l("pdf.type"), &month_label, &l("pdf.total"))?;
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
        s.cross(&q.schools_by_month, &l("pdf.school"), &month_label, &l("pdf.total"))?;
        s.ws.set_column_width(0, 44).map_err(err)?;
        s.ws.set_column_range_width(1, 5, 16).map_err(err)?;
    }

    // Changes.
    new_sheet(&mut wb, l("q.agenda.changes"))?;
    {
        let ws = wb.worksheets_mut().last_mut().expect("sheet");
        let mut s = Sheet { ws, row: 0, head, pct, bold };
        s.header(&[
            l("pdf.period"), l("q.changes.standard"), l("q.changes.non_standard"), l("q.changes.emergency"),
            l("q.changes.cab"), l("q.changes.resolved"), l("q.changes.failed"), l("q.changes.failed_pct"),
        ])?;
        for c in &q.changes {
            let p = if c.period == "quarter" { quarter.clone() } else { month_name(&c.period, labels) };
            s.text(0, &p)?;
            for (i, v) in [c.standard, c.non_standard, c.emergency, c.cab_approved, c.resolved, c.failed].iter().enumerate() {
                s.num(i as u16 + 1, *v as f64)?;
            }
            s.pct(7, c.failed_pct)?;
            s.row += 1;
        }
        s.ws.set_column_range_width(0, 7, 16).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

use chrono::Datelike;
