//! The annex sheets of the provider's logs (src/report/voice.rs), the same in the monthly
//! and the quarterly annex: the period's improvement actions with their list and source, and
//! (when there) complaints and escalations. Text is written as strings, never formulas.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Worksheet, XlsxError};

use super::xlsx_text::{cell_text, sheet_base_name};
use crate::i18n::Labels;
use crate::report::voice::{ActionItem, Voice};
use crate::voice::commentary::{Block, Commentary};

struct Sheet<'a> {
    ws: Worksheet,
    labels: &'a Labels,
    date: Format,
    wrap: Format,
}

impl Sheet<'_> {
    fn new<'a>(labels: &'a Labels, name_key: &str, headers: &[(&str, f64)]) -> Result<Sheet<'a>, XlsxError> {
        let mut ws = Worksheet::new();
        ws.set_name(sheet_base_name(labels.get(name_key)))?;
        ws.set_paper_size(9);
        let header = Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_text_wrap();
        for (i, (key, width)) in headers.iter().enumerate() {
            let col = i as u16;
            ws.write_string_with_format(0, col, cell_text(labels.get(key)), &header)?;
            ws.set_column_width(col, *width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(Sheet { ws, labels, date: Format::new().set_num_format("d-m-yyyy"), wrap: Format::new().set_text_wrap() })
    }

    fn text(&mut self, row: u32, col: u16, s: &str) -> Result<(), XlsxError> {
        if !s.is_empty() {
            self.ws.write_string_with_format(row, col, cell_text(s), &self.wrap)?;
        }
        Ok(())
    }

    fn label(&mut self, row: u32, col: u16, key: &str) -> Result<(), XlsxError> {
        let labels = self.labels;
        self.text(row, col, labels.get(key))
    }

    /// A `YYYY-MM-DD` day as an Excel date; empty stays empty.
    fn date(&mut self, row: u32, col: u16, s: Option<&str>) -> Result<(), XlsxError> {
        let Some(d) = s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()) else { return Ok(()) };
        // The logs hold years 1990–2100 only (see `voice::parse_date`).
        let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        self.ws.write_datetime_with_format(row, col, &x, &self.date)?;
        Ok(())
    }
}

/// The sheets of `voice`, to be pushed onto the workbook in this order.
pub fn voice_sheets(voice: &Voice, labels: &Labels) -> Result<Vec<Worksheet>, XlsxError> {
    let mut out = Vec::new();
    if let Some(s) = &voice.improvement {
        let mut sh = Sheet::new(
            labels,
            "voice.xlsx.improvement_sheet",
            &[
                ("voice.xlsx.list", 24.0),
                ("voice.improvement.id", 10.0),
                ("voice.improvement.title", 40.0),
                ("voice.xlsx.source_kind", 20.0),
                ("voice.improvement.source", 34.0),
                ("voice.improvement.owner", 18.0),
                ("voice.improvement.opened", 12.0),
                ("voice.improvement.due_on", 12.0),
                ("voice.improvement.implemented_on", 14.0),
                ("voice.xlsx.status", 16.0),
                ("voice.xlsx.note", 40.0),
            ],
        )?;
        let lists: [(&str, &Vec<ActionItem>); 4] =
            [("overdue", &s.overdue), ("due", &s.due), ("open", &s.open), ("implemented", &s.implemented)];
        let mut row = 1;
        for (list, items) in lists {
            for a in items {
                sh.label(row, 0, &format!("voice.improvement.{list}"))?;
                sh.text(row, 1, &a.id)?;
                sh.text(row, 2, &a.title)?;
                if let Some(kind) = &a.source_kind {
                    sh.label(row, 3, &format!("voice.source.{kind}"))?;
                }
                sh.text(row, 4, a.source_name.as_deref().unwrap_or(""))?;
                sh.text(row, 5, &a.owner)?;
                sh.date(row, 6, Some(&a.opened_on))?;
                sh.date(row, 7, a.due_on.as_deref())?;
                sh.date(row, 8, a.implemented_on.as_deref())?;
                sh.label(row, 9, &format!("voice.status.{}", a.status))?;
                sh.text(row, 10, &a.note)?;
                row += 1;
            }
        }
        sh.ws.autofilter(0, 0, row.saturating_sub(1).max(1), 10)?;
        out.push(sh.ws);
    }
    let Some(c) = &voice.complaints else { return Ok(out) };
    if c.has_complaints {
        let mut sh = Sheet::new(
            labels,
            "voice.xlsx.complaints_sheet",
            &[
                ("voice.xlsx.id", 14.0),
                ("voice.complaints.received", 12.0),
                ("pdf.school", 30.0),
                ("voice.xlsx.channel", 12.0),
                ("voice.complaints.subject", 40.0),
                ("pdf.ticket", 14.0),
                ("voice.complaints.handled", 12.0),
                ("voice.complaints.workdays", 10.0),
                ("voice.complaints.outcome", 40.0),
                ("voice.complaints.carried_over", 14.0),
            ],
        )?;
        let mut row = 1;
        for x in &c.complaints {
            sh.text(row, 0, &x.id)?;
            sh.date(row, 1, Some(&x.received_on))?;
            sh.text(row, 2, &x.school)?;
            if !x.channel.is_empty() {
                sh.label(row, 3, &format!("voice.channel.{}", x.channel))?;
            }
            sh.text(row, 4, &x.subject)?;
            sh.text(row, 5, &x.ticket)?;
            sh.date(row, 6, x.handled_on.as_deref())?;
            if let Some(n) = x.handling_workdays {
                sh.ws.write_number(row, 7, n as f64)?;
            }
            sh.text(row, 8, &x.outcome)?;
            sh.label(row, 9, if x.carried_over { "xlsx.yes" } else { "xlsx.no" })?;
            row += 1;
        }
        sh.ws.autofilter(0, 0, row.saturating_sub(1).max(1), 9)?;
        out.push(sh.ws);
    }
    if c.has_escalations {
        let mut sh = Sheet::new(
            labels,
            "voice.xlsx.escalations_sheet",
            &[
                ("voice.xlsx.id", 12.0),
                ("voice.escalations.date", 12.0),
                ("voice.escalations.level", 12.0),
                ("voice.complaints.subject", 44.0),
                ("pdf.ticket", 14.0),
                ("voice.escalations.resolved", 12.0),
                ("voice.xlsx.note", 40.0),
                ("voice.complaints.carried_over", 14.0),
            ],
        )?;
        let mut row = 1;
        for e in &c.escalations {
            sh.text(row, 0, &e.id)?;
            sh.date(row, 1, Some(&e.raised_on))?;
            sh.label(row, 2, &format!("voice.level.{}", e.level))?;
            sh.text(row, 3, &e.subject)?;
            sh.text(row, 4, &e.ticket)?;
            sh.date(row, 5, e.resolved_on.as_deref())?;
            sh.text(row, 6, &e.note)?;
            sh.label(row, 7, if e.carried_over { "xlsx.yes" } else { "xlsx.no" })?;
            row += 1;
        }
        sh.ws.autofilter(0, 0, row.saturating_sub(1).max(1), 7)?;
        out.push(sh.ws);
    }
    Ok(out)
}

/// A commentary text as plain lines: a paragraph is a line, a list item a line with "• ".
fn plain(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    for b in blocks {
        for item in &b.items {
            let text: String = item.iter().map(|r| r.text.as_str()).collect();
            lines.push(if b.kind == "list" { format!("• {text}") } else { text });
        }
    }
    lines.join("\n")
}

/// The provider's commentary on the period (`toelichting/PERIOD.toml`): the summary, each
/// explanation with its subject and action, then what is still without explanation. `None`
/// when the period has no commentary file and nothing is unexplained.
pub fn commentary_sheet(c: &Commentary, labels: &Labels) -> Result<Option<Worksheet>, XlsxError> {
    if c.file.is_none() && c.unexplained.is_empty() {
        return Ok(None);
    }
    let mut sh = Sheet::new(
        labels,
        "commentary.heading",
        &[
            ("commentary.col.subject", 22.0),
            ("commentary.col.name", 34.0),
            ("commentary.explanation", 60.0),
            ("commentary.action", 40.0),
            ("commentary.owner", 20.0),
            ("commentary.due_on", 12.0),
        ],
    )?;
    let mut row = 1;
    if !c.summary.is_empty() {
        sh.label(row, 0, "commentary.summary")?;
        sh.text(row, 2, &plain(&c.summary))?;
        row += 1;
    }
    for e in &c.explanations {
        sh.label(row, 0, &format!("commentary.subject.{}", e.subject.table()))?;
        sh.text(row, 1, &e.title)?;
        sh.text(row, 2, &plain(&e.text))?;
        if let Some(a) = &e.action {
            sh.text(row, 3, &plain(&a.text))?;
            sh.text(row, 4, &a.owner)?;
            sh.date(row, 5, a.due_on.as_deref())?;
        }
        row += 1;
    }
    for u in &c.unexplained {
        sh.label(row, 0, &format!("commentary.subject.{}", u.subject.table()))?;
        sh.text(row, 1, &u.title)?;
        let reasons: Vec<String> = u.reasons.iter().map(|r| labels.get(&format!("commentary.reason.{r}")).to_string()).collect();
        sh.text(row, 2, &format!("{}: {}", labels.get("commentary.unexplained"), reasons.join(", ")))?;
        row += 1;
    }
    sh.ws.autofilter(0, 0, row.saturating_sub(1).max(1), 5)?;
    Ok(Some(sh.ws))
}
