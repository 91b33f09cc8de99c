//! The sheets of a rerun's changes (figures was → now, and the tickets that explain them),
//! the same in the monthly and the quarterly annex. Why it exists: a corrected report must
//! show the client what changed against the version it replaces, and why.

use super::workbook::{Book, Col, Res, excel_datetime, list_sheets, translate};
use crate::report::changes::Changes;

/// A rerun's changes against the version it replaces: the figures (was → now) and every
/// ticket that explains them (on a rerun only: a first report has none).
pub(super) fn changes_sheets(b: &mut Book, ch: &Changes) -> Res {
    let labels = b.labels;
    let col = |key: &str, width: f64| Col { header: labels.get(key).to_string(), width };
    let cols = [
        col("changes.figure", 18.0),
        col("changes.figure", 34.0),
        col("changes.was", 14.0),
        col("changes.now", 14.0),
    ];
    let pct = b.f.pct.clone();
    list_sheets(b, "xlsx.sheet.changes.figures", &cols, &ch.figures, |c, row, x| {
        c.tr(row, 0, "changes.group", &x.group)?;
        let name = match x.group.as_str() {
            "summary" => translate(labels, "changes.summary", &x.key).to_string(),
            "kpi" => x.name.clone(),
            "attainment" => x.key.clone(),
            _ => format!("{}. {}", x.key, x.name),
        };
        c.text(row, 1, &name)?;
        for (col, v) in [(2, x.old), (3, x.new)] {
            if x.unit == "pct" {
                c.pct_with(row, col, v, &pct)?;
            } else if let Some(v) = v {
                c.count(row, col, v.max(0.0) as u64)?;
            }
        }
        Ok(())
    })?;
    let cols = [
        col("changes.ticket", 14.0),
        col("changes.what", 30.0),
        col("changes.was", 24.0),
        col("changes.now", 24.0),
        col("xlsx.col.response_status", 16.0),
        col("xlsx.col.response_status", 16.0),
        col("xlsx.col.resolution_status", 16.0),
        col("xlsx.col.resolution_status", 16.0),
        col("xlsx.col.summary", 44.0),
    ];
    let suffix = |c: &Col, key: &str| Col { header: format!("{} ({})", c.header, labels.get(key)), width: c.width };
    let cols: Vec<Col> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| match i {
            4 | 6 => suffix(c, "changes.was"),
            5 | 7 => suffix(c, "changes.now"),
            _ => Col { header: c.header.clone(), width: c.width },
        })
        .collect();
    list_sheets(b, "xlsx.sheet.changes.tickets", &cols, &ch.tickets, |c, row, x| {
        c.text(row, 0, &x.ticket_id)?;
        c.tr(row, 1, "changes.kind", &x.kind)?;
        for (col, v) in [(2, &x.old), (3, &x.new)] {
            let Some(v) = v.as_deref() else { continue };
            match excel_datetime(v) {
                Some(dt) => c.datetime(row, col, &dt)?,
                None if labels.0.contains_key(&format!("counting.{v}")) => c.tr(row, col, "counting", v)?,
                None => c.text(row, col, v)?,
            }
        }
        for (col, v) in [(4, &x.response_status_old), (5, &x.response_status_new), (6, &x.resolution_status_old), (7, &x.resolution_status_new)] {
            c.tr(row, col, "status", v.as_deref().unwrap_or_default())?;
        }
        c.text(row, 8, &x.summary)
    })
}
