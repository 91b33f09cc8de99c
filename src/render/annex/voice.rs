//! The annex sheets of the provider's logs (src/report/voice.rs), the same in the monthly
//! and the quarterly annex: the period's improvement actions with their list and source, and
//! (when there) complaints and escalations; and the RCAs' open preventive measures, which the
//! PDF lists only in part. Text is written as strings, never formulas.

use chrono::NaiveDate;
use rust_xlsxwriter::Worksheet;

use super::workbook::{Book, Cells, Res, cell_text, cix, excel_date_from};
use crate::report::model::OpenMeasure;
use crate::report::voice::{ActionItem, ComplaintSection, ImprovementSection, Voice};
use crate::voice::commentary::{Block, Commentary};

/// A log's sheet named by the label `name_key`, with its header (label keys and widths) in
/// row 0, frozen.
fn log_sheet(b: &mut Book, name_key: &str, headers: &[(&str, f64)]) -> Res<Worksheet> {
    let mut ws = b.sheet(name_key, 1)?;
    for (i, (key, width)) in headers.iter().enumerate() {
        let col = cix(i)?;
        ws.write_string_with_format(0, col, cell_text(b.labels.get(key)), &b.f.log_header)?;
        ws.set_column_width(col, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

/// The logs' cells: text wraps (an empty one stays an empty cell), days are dates.
impl Cells<'_> {
    fn log_text(&mut self, row: u32, col: u16, s: &str) -> Res {
        if s.is_empty() {
            return Ok(());
        }
        let f = self.f;
        self.text_with(row, col, s, &f.log_text)
    }

    fn log_label(&mut self, row: u32, col: u16, key: &str) -> Res {
        let labels = self.labels;
        self.log_text(row, col, labels.get(key))
    }

    /// A `YYYY-MM-DD` day as an Excel date; empty stays empty.
    fn log_date(&mut self, row: u32, col: u16, d: Option<NaiveDate>) -> Res {
        // The logs hold years 1990–2100 only (see `voice::parse_date`).
        let Some(d) = d.and_then(excel_date_from) else { return Ok(()) };
        self.ws.write_datetime_with_format(row, col, &d, &self.f.log_date)?;
        Ok(())
    }
}

/// The sheets of `voice` (those it has), pushed onto the book in this order: improvement
/// actions, complaints, escalations.
pub(super) fn voice_sheets(b: &mut Book, voice: &Voice) -> Res {
    if let Some(s) = &voice.improvement {
        improvement_sheet(b, s)?;
    }
    let Some(c) = &voice.complaints else { return Ok(()) };
    if c.has_complaints {
        complaints_sheet(b, c)?;
    }
    if c.has_escalations {
        escalations_sheet(b, c)?;
    }
    Ok(())
}

/// Every open preventive measure of the RCA files (the PDF lists the overdue ones and the
/// first of the others), in the report's order; no sheet when none is open.
pub(super) fn measures_sheet(b: &mut Book, measures: &[OpenMeasure]) -> Res {
    if measures.is_empty() {
        return Ok(());
    }
    let mut ws = log_sheet(
        b,
        "story.measures.sheet",
        &[
            ("pdf.ticket", 14.0),
            ("story.measures.measure", 50.0),
            ("story.measures.owner", 20.0),
            ("story.measures.due", 12.0),
            ("story.measures.overdue_column", 14.0),
        ],
    )?;
    let mut row = 1;
    {
        let mut c = b.cells(&mut ws);
        for m in measures {
            c.log_text(row, 0, &m.ticket_id)?;
            c.log_text(row, 1, &m.measure)?;
            c.log_text(row, 2, m.owner.as_deref().unwrap_or(""))?;
            c.log_date(row, 3, m.due_on)?;
            c.log_label(row, 4, if m.overdue { "xlsx.yes" } else { "xlsx.no" })?;
            row += 1;
        }
    }
    push_log(b, ws, row - 1, 4)
}

/// `ws` with an autofilter over its `rows` rows (from row 1) and columns up to `last_col`,
/// pushed onto the book.
fn push_log(b: &mut Book, mut ws: Worksheet, rows: u32, last_col: u16) -> Res {
    ws.autofilter(0, 0, rows.max(1), last_col)?;
    b.wb.push_worksheet(ws);
    Ok(())
}

/// The period's improvement actions, list after list (overdue, due, open, implemented).
fn improvement_sheet(b: &mut Book, s: &ImprovementSection) -> Res {
    let mut ws = log_sheet(
        b,
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
    {
        let mut c = b.cells(&mut ws);
        for (list, items) in lists {
            for a in items {
                c.log_label(row, 0, &format!("voice.improvement.{list}"))?;
                c.log_text(row, 1, &a.id)?;
                c.log_text(row, 2, &a.title)?;
                if let Some(kind) = &a.source_kind {
                    c.log_label(row, 3, &format!("voice.source.{kind}"))?;
                }
                c.log_text(row, 4, a.source_name.as_deref().unwrap_or(""))?;
                c.log_text(row, 5, &a.owner)?;
                c.log_date(row, 6, Some(a.opened_on))?;
                c.log_date(row, 7, a.due_on)?;
                c.log_date(row, 8, a.implemented_on)?;
                c.log_label(row, 9, &format!("voice.status.{}", a.status))?;
                c.log_text(row, 10, &a.note)?;
                row += 1;
            }
        }
    }
    push_log(b, ws, row.saturating_sub(1), 10)
}

/// The complaints of the period and those still open.
fn complaints_sheet(b: &mut Book, log: &ComplaintSection) -> Res {
    let mut ws = log_sheet(
        b,
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
    {
        let mut cells = b.cells(&mut ws);
        for x in &log.complaints {
            cells.log_text(row, 0, &x.id)?;
            cells.log_date(row, 1, Some(x.received_on))?;
            cells.log_text(row, 2, &x.school)?;
            if !x.channel.is_empty() {
                cells.log_label(row, 3, &format!("voice.channel.{}", x.channel))?;
            }
            cells.log_text(row, 4, &x.subject)?;
            cells.log_text(row, 5, &x.ticket)?;
            cells.log_date(row, 6, x.handled_on)?;
            if let Some(n) = x.handling_workdays {
                cells.general(row, 7, n as f64)?;
            }
            cells.log_text(row, 8, &x.outcome)?;
            cells.log_label(row, 9, if x.carried_over { "xlsx.yes" } else { "xlsx.no" })?;
            row += 1;
        }
    }
    push_log(b, ws, row.saturating_sub(1), 9)
}

/// The escalations of the period and those still open.
fn escalations_sheet(b: &mut Book, log: &ComplaintSection) -> Res {
    let mut ws = log_sheet(
        b,
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
    {
        let mut cells = b.cells(&mut ws);
        for e in &log.escalations {
            cells.log_text(row, 0, &e.id)?;
            cells.log_date(row, 1, Some(e.raised_on))?;
            cells.log_label(row, 2, &format!("voice.level.{}", e.level))?;
            cells.log_text(row, 3, &e.subject)?;
            cells.log_text(row, 4, &e.ticket)?;
            cells.log_date(row, 5, e.resolved_on)?;
            cells.log_text(row, 6, &e.note)?;
            cells.log_label(row, 7, if e.carried_over { "xlsx.yes" } else { "xlsx.no" })?;
            row += 1;
        }
    }
    push_log(b, ws, row.saturating_sub(1), 7)
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
/// explanation with its subject and action, then what is still without explanation. No
/// sheet when the period has no commentary file and nothing is unexplained.
pub(super) fn commentary_sheet(b: &mut Book, c: &Commentary) -> Res {
    if c.file.is_none() && c.unexplained.is_empty() {
        return Ok(());
    }
    let mut ws = log_sheet(
        b,
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
    let labels = b.labels;
    let mut row = 1;
    {
        let mut cells = b.cells(&mut ws);
        if !c.summary.is_empty() {
            cells.log_label(row, 0, "commentary.summary")?;
            cells.log_text(row, 2, &plain(&c.summary))?;
            row += 1;
        }
        for e in &c.explanations {
            cells.log_label(row, 0, &format!("commentary.subject.{}", e.subject.table()))?;
            cells.log_text(row, 1, &e.title)?;
            cells.log_text(row, 2, &plain(&e.text))?;
            if let Some(a) = &e.action {
                cells.log_text(row, 3, &plain(&a.text))?;
                cells.log_text(row, 4, &a.owner)?;
                cells.log_date(row, 5, a.due_on)?;
            }
            row += 1;
        }
        for u in &c.unexplained {
            cells.log_label(row, 0, &format!("commentary.subject.{}", u.subject.table()))?;
            cells.log_text(row, 1, &u.title)?;
            let reasons: Vec<String> = u.reasons.iter().map(|r| labels.get(&format!("commentary.reason.{r}")).to_string()).collect();
            cells.log_text(row, 2, &format!("{}: {}", labels.get("commentary.unexplained"), reasons.join(", ")))?;
            row += 1;
        }
    }
    push_log(b, ws, row.saturating_sub(1), 5)
}
