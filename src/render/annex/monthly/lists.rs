//! The monthly annex's lists, one row per item on as many sheets as Excel needs: breaches,
//! backlog, recurring issues, P1s, priority overrides and every ticket, so any count of the
//! report can be traced to its rows.

use crate::render::annex::workbook::{Book, Col, Res, cix, list_sheets};
use crate::i18n::month_label;
use crate::report::model::{Monthly, MonthlyReport};

pub(super) fn breaches_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("measure", 16.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 48.0),
        ("opened_at", 17.0),
        ("at", 17.0),
        ("target", 11.0),
        ("actual", 12.0),
        ("overshoot", 14.0),
    ]);
    list_sheets(b, "xlsx.sheet.breaches", &cols, &r.breaches, |c, row, x| {
        let f = c.f;
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "measure", &x.measure)?;
        c.tr(row, 2, "ticket_type", &x.ticket_type)?;
        c.tr(row, 3, "priority", &x.priority)?;
        c.text(row, 4, &x.school)?;
        c.text(row, 5, &x.category)?;
        c.text(row, 6, &x.summary)?;
        c.minute(row, 7, Some(x.opened_at))?;
        c.minute(row, 8, x.at)?;
        c.number(row, 9, x.target_minutes as f64, &f.count)?;
        c.minutes(row, 10, Some(x.actual_minutes))?;
        c.minutes(row, 11, Some(x.overshoot_minutes))
    })
}

pub(super) fn backlog_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 48.0),
        ("opened_at", 17.0),
        ("deadline", 17.0),
        ("target", 11.0),
        ("overdue", 14.0),
    ]);
    list_sheets(b, "xlsx.sheet.backlog", &cols, &r.backlog, |c, row, x| {
        let f = c.f;
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "ticket_type", &x.ticket_type)?;
        c.tr(row, 2, "priority", &x.priority)?;
        c.text(row, 3, &x.school)?;
        c.text(row, 4, &x.category)?;
        c.text(row, 5, &x.summary)?;
        c.minute(row, 6, Some(x.opened_at))?;
        c.minute(row, 7, Some(x.deadline))?;
        c.number(row, 8, x.target_minutes as f64, &f.count)?;
        c.minutes(row, 9, Some(x.overdue_minutes))
    })
}

/// Top-3 recurring issues: one column per month (oldest first), trend, examples.
pub(super) fn recurring_sheet(b: &mut Book, r: &MonthlyReport) -> Res {
    let top = &r.recurring.top;
    let months: &[String] = top.first().map(|t| t.months.as_slice()).unwrap_or_default();
    let mut cols = b.cols(&[("rank", 8.0), ("category", 22.0), ("subcategory", 22.0)]);
    for m in months {
        cols.push(Col {
            header: month_label(m, b.labels),
            width: 15.0,
        });
    }
    cols.extend(b.cols(&[("trend", 12.0), ("examples", 60.0)]));
    let n = months.len();
    list_sheets(b, "xlsx.sheet.recurring", &cols, top, |c, row, x| {
        let f = c.f;
        c.number(row, 0, f64::from(x.rank), &f.int)?;
        c.text(row, 1, &x.category)?;
        c.text(row, 2, &x.subcategory)?;
        for j in 0..n {
            if let Some(count) = x.counts.get(j) {
                c.count(row, cix(3 + j)?, *count)?;
            }
        }
        c.tr(row, cix(3 + n)?, "trend", &x.trend)?;
        c.text_with(row, cix(4 + n)?, &x.examples.join("\n"), &f.wrap)
    })
}

/// The P1 incidents, one a row (the monthly annex; the quarterly one when its PDF lists only
/// some of them).
pub(crate) fn p1_sheets(b: &mut Book, p1s: &[crate::report::model::P1Item]) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("summary", 44.0),
        ("channel", 11.0),
        ("opened_at", 17.0),
        ("responded_at", 17.0),
        ("resolved_at", 17.0),
        ("response_minutes", 13.0),
        ("resolution_minutes", 13.0),
        ("response_status", 16.0),
        ("resolution_status", 16.0),
        ("rca_due_on", 13.0),
        ("rca_delivered_on", 13.0),
        ("rca_status", 22.0),
        ("carried_over", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.p1", &cols, p1s, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.text(row, 1, &x.school)?;
        c.text(row, 2, &x.category)?;
        c.text(row, 3, &x.summary)?;
        c.tr(row, 4, "channel", &x.channel)?;
        c.minute(row, 5, Some(x.opened_at))?;
        c.minute(row, 6, x.responded_at)?;
        c.minute(row, 7, x.resolved_at)?;
        c.minutes(row, 8, x.response_minutes)?;
        c.minutes(row, 9, x.resolution_minutes)?;
        c.tr(row, 10, "status", &x.response_status)?;
        c.tr(row, 11, "status", &x.resolution_status)?;
        c.day(row, 12, x.rca_due_on)?;
        c.day(row, 13, x.rca_delivered_on)?;
        c.tr(row, 14, "rca_status", x.rca_status.key())?;
        c.yes_no(row, 15, x.carried_over)
    })
}

/// Tickets whose recorded priority differs from the matrix's, judged both ways.
pub(super) fn priority_override_sheets(b: &mut Book, r: &MonthlyReport) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("ticket_type", 16.0),
        ("school", 28.0),
        ("summary", 44.0),
        ("opened_at", 17.0),
        ("matrix_priority", 12.0),
        ("recorded_priority", 12.0),
        ("override_direction", 12.0),
        ("response_status", 16.0),
        ("response_status_matrix", 16.0),
        ("resolution_status", 16.0),
        ("resolution_status_matrix", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.priority_overrides", &cols, &r.priority_overrides.rows, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "ticket_type", &x.ticket_type)?;
        c.text(row, 2, &x.school)?;
        c.text(row, 3, &x.summary)?;
        c.minute(row, 4, Some(x.opened_at))?;
        c.text(row, 5, &x.matrix_priority)?;
        c.text(row, 6, &x.recorded_priority)?;
        c.tr(row, 7, "story.overrides", &x.direction)?;
        for (col, status) in [
            (8, &x.response_status),
            (9, &x.response_status_matrix),
            (10, &x.resolution_status),
            (11, &x.resolution_status_matrix),
        ] {
            c.tr(row, col, "status", status.as_deref().unwrap_or_default())?;
        }
        Ok(())
    })
}

/// Every ticket row of the model with its evaluation, one row each.
pub(super) fn ticket_sheets(b: &mut Book, m: &Monthly) -> Res {
    let cols = b.cols(&[
        ("ticket_id", 14.0),
        ("line", 8.0),
        ("ticket_type", 16.0),
        ("priority", 14.0),
        ("matrix_priority", 14.0),
        ("school", 28.0),
        ("category", 18.0),
        ("subcategory", 18.0),
        ("summary", 48.0),
        ("channel", 11.0),
        ("opened_at", 17.0),
        ("responded_at", 17.0),
        ("resolved_at", 17.0),
        ("counting", 17.0),
        ("opened_in_period", 11.0),
        ("resolved_in_period", 11.0),
        ("response_target", 12.0),
        ("response_minutes", 13.0),
        ("response_status", 16.0),
        ("resolution_target", 12.0),
        ("resolution_minutes", 13.0),
        ("resolution_status", 16.0),
    ]);
    list_sheets(b, "xlsx.sheet.tickets", &cols, &m.tickets, |c, row, t| {
        let f = c.f;
        c.text(row, 0, &t.ticket_id)?;
        c.number(row, 1, t.line as f64, &f.int)?;
        c.tr(row, 2, "ticket_type", &t.ticket_type)?;
        c.tr(row, 3, "priority", &t.priority)?;
        c.tr(
            row,
            4,
            "priority",
            t.matrix_priority.as_deref().unwrap_or_default(),
        )?;
        c.text(row, 5, &t.school)?;
        c.text(row, 6, &t.category)?;
        c.text(row, 7, &t.subcategory)?;
        c.text(row, 8, &t.summary)?;
        c.tr(row, 9, "channel", &t.channel)?;
        c.minute(row, 10, Some(t.opened_at))?;
        c.minute(row, 11, t.responded_at)?;
        c.minute(row, 12, t.resolved_at)?;
        c.tr(row, 13, "counting", &t.counting)?;
        c.yes_no(row, 14, t.opened_in_period)?;
        c.yes_no(row, 15, t.resolved_in_period)?;
        c.number(row, 16, t.response_target_minutes as f64, &f.count)?;
        c.minutes(row, 17, t.response_minutes)?;
        c.tr(row, 18, "status", &t.response_status)?;
        c.number(row, 19, t.resolution_target_minutes as f64, &f.count)?;
        c.minutes(row, 20, t.resolution_minutes)?;
        c.tr(row, 21, "status", &t.resolution_status)
    })
}
