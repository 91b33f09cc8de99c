//! The year report's Excel annex: one sheet per part of the report (quarters and year,
//! KPIs, malus, volumes per month, schools, categories, recurring issues, P1s, attainment
//! per month), the figures as numbers, text always as strings. A month or quarter without
//! data says so in words, never as a zero.

use super::voice::voice_sheets;
use super::workbook::{Book, LIST_ROWS_PER_SHEET, Res, annex_error, cix, print_setup, properties, rix};
use crate::error::Result;
use crate::i18n::{Labels, month_label};
use crate::report::annual::AnnualReport;
use crate::report::model::LocalMinute;

/// A cell of the annex.
enum Cell {
    Text(String),
    Count(Option<u64>),
    Pct(Option<f64>),
    /// A percentage below the norm (marked).
    PctMissed(f64),
    Eur(Option<f64>),
}

/// A sheet named by the label `name`: the title in A1, the header in row 3, a row per entry
/// of `rows` under it (frozen beside the first column).
fn sheet(b: &mut Book, name: &str, title: &str, head: &[String], rows: &[Vec<Cell>]) -> Res {
    let mut ws = b.sheet(name, 1)?;
    print_setup(&mut ws, None)?;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        c.text_with(0, 0, title, &f.title)?;
        c.dark_header(2, head)?;
        for j in 0..head.len() {
            c.ws.set_column_width(cix(j)?, if j == 0 { 30.0 } else { 13.0 })?;
        }
        let no_data = b.labels.get("a.no_data");
        for (i, row) in rows.iter().enumerate() {
            let r = 3 + rix(i)?;
            for (j, cell) in row.iter().enumerate() {
                let j = cix(j)?;
                match cell {
                    Cell::Text(s) => c.text(r, j, s)?,
                    Cell::Count(Some(n)) => c.number(r, j, *n as f64, &f.count)?,
                    Cell::Pct(Some(x)) => c.number(r, j, x / 100.0, &f.pct)?,
                    Cell::PctMissed(x) => c.number(r, j, x / 100.0, &f.missed_pct)?,
                    Cell::Eur(Some(x)) => c.number(r, j, *x, &f.eur)?,
                    Cell::Count(None) | Cell::Pct(None) | Cell::Eur(None) => c.text_with(r, j, no_data, &f.no_data)?,
                }
            }
        }
    }
    ws.set_freeze_panes(3, 1)?;
    b.wb.push_worksheet(ws);
    Ok(())
}

/// The annex of the year report.
pub fn annual_xlsx(a: &AnnualReport, l: &Labels) -> Result<Vec<u8>> {
    write(a, l).map_err(annex_error("annual annex"))
}

fn write(a: &AnnualReport, l: &Labels) -> Res<Vec<u8>> {
    let mut b = Book::new(l, LIST_ROWS_PER_SHEET, false);
    let y = Year::new(a, l);
    b.wb.set_properties(&properties(&y.title, None, &a.meta.provider, a.meta.generated_on)?);
    quarters_sheets(&mut b, &y)?;
    malus_sheet(&mut b, &y)?;
    volumes_sheet(&mut b, &y)?;
    ranking_sheets(&mut b, &y)?;
    recurring_sheet(&mut b, &y)?;
    p1_sheet(&mut b, &y)?;
    attainment_sheet(&mut b, &y)?;
    measures_sheet(&mut b, &y)?;
    // The year's improvement actions, complaints and escalations (as in the other annexes).
    voice_sheets(&mut b, &a.voice)?;
    b.wb.save_to_buffer()
}

/// A header: `first`, then `mid` (the months or the quarters), then `last`.
fn joined(first: &[String], mid: &[String], last: &[String]) -> Vec<String> {
    first.iter().chain(mid).chain(last).cloned().collect()
}

/// The year report with what every sheet shows: the title and the months' and quarters'
/// column heads (a quarter without all its data says why).
struct Year<'a> {
    a: &'a AnnualReport,
    l: &'a Labels,
    title: String,
    months: Vec<String>,
    quarters: Vec<String>,
}

impl<'a> Year<'a> {
    fn new(a: &'a AnnualReport, l: &'a Labels) -> Year<'a> {
        let quarters = a
            .quarters
            .iter()
            .map(|q| match &q.incomplete_reason {
                Some(r) => format!("{} ({})", q.label, l.get(&format!("a.incomplete.{r}"))),
                None => q.label.clone(),
            })
            .collect();
        Year {
            a,
            l,
            title: l.get("a.title").replace("{year}", &a.year.to_string()),
            months: a.months.iter().map(|m| month_label(m, l)).collect(),
            quarters,
        }
    }
}

/// The domain scores per quarter and for the year (with each quarter's malus), then the
/// KPIs' achievements.
fn quarters_sheets(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let rows: Vec<Vec<Cell>> = a
        .domains
        .iter()
        .filter(|d| d.scored)
        .map(|d| {
            let mut r = vec![Cell::Text(format!("{}. {}", d.number, d.name))];
            r.extend(d.quarter_scores.iter().map(|s| Cell::Pct(*s)));
            r.push(Cell::Pct(d.year_score));
            r.extend(d.quarter_malus_pct.iter().map(|m| Cell::Pct(*m)));
            r
        })
        .collect();
    let malus_head: Vec<String> = a.quarters.iter().map(|q| format!("{} {}", l.get("a.malus_short"), q.label)).collect();
    let head = joined(&[t("a.domain")], &y.quarters, &[&[t("a.year_mean")][..], &malus_head].concat());
    sheet(b, "a.sheet.quarters", &y.title, &head, &rows)?;
    let rows: Vec<Vec<Cell>> = a
        .domains
        .iter()
        .flat_map(|d| d.kpis.iter().map(move |k| (d, k)))
        .map(|(d, k)| {
            let mut r = vec![Cell::Text(format!("{}. {}", d.number, k.name))];
            r.extend(k.quarter_achievement.iter().map(|s| Cell::Pct(*s)));
            r.push(Cell::Pct(k.year_achievement));
            r
        })
        .collect();
    sheet(b, "a.sheet.kpis", &y.title, &joined(&[t("a.kpi")], &y.quarters, &[t("a.year_mean")]), &rows)?;
    Ok(())
}

/// Malus per quarter and for the year: domains with a malus, and the malus in euros.
fn malus_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let m = &a.malus_total;
    let mut r1 = vec![Cell::Text(t("a.with_malus"))];
    r1.extend(m.with_malus.iter().map(|n| Cell::Count(Some(*n))));
    r1.push(Cell::Count(Some(m.year_with_malus)));
    let mut r2 = vec![Cell::Text(t("a.malus_eur"))];
    r2.extend(m.malus_eur.iter().map(|e| Cell::Eur(*e)));
    r2.push(Cell::Eur(m.year_malus_eur));
    sheet(b, "a.sheet.malus", &y.title, &joined(&[String::new()], &y.quarters, &[t("a.year_total")]), &[r1, r2])?;
    Ok(())
}

/// Volumes per month, by type and by priority.
fn volumes_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let series_rows = |table: &str, s: &[crate::report::annual::MonthSeries]| -> Vec<Vec<Cell>> {
        s.iter()
            .map(|x| {
                let mut r = vec![Cell::Text(l.get(&format!("{table}.{}", x.key)).to_string())];
                r.extend(x.counts.iter().map(|c| Cell::Count(*c)));
                r.push(Cell::Count(Some(x.total)));
                r
            })
            .collect()
    };
    let mut rows = series_rows("ticket_type", &a.volumes_by_type);
    rows.extend(series_rows("priority", &a.volumes_by_priority));
    sheet(b, "a.sheet.volumes", &y.title, &joined(&[String::new()], &y.months, &[t("a.year_total")]), &rows)?;
    Ok(())
}

/// Schools and categories, with the year before.
fn ranking_sheets(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    for (key, list) in [("a.sheet.schools", &a.schools), ("a.sheet.categories", &a.categories)] {
        let rows: Vec<Vec<Cell>> = list
            .iter()
            .map(|x| vec![Cell::Text(x.name.clone()), Cell::Count(Some(x.count)), Cell::Count(x.previous)])
            .collect();
        let head = [t("a.name"), a.year.to_string(), (a.year - 1).to_string()];
        sheet(b, key, &y.title, &head, &rows)?;
    }
    Ok(())
}

/// Recurring issues with their monthly curve.
fn recurring_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let rows: Vec<Vec<Cell>> = a
        .recurring
        .iter()
        .map(|x| {
            let name = if x.subcategory.is_empty() { x.category.clone() } else { format!("{} / {}", x.category, x.subcategory) };
            let mut r = vec![Cell::Text(name)];
            r.extend(x.counts.iter().map(|c| Cell::Count(*c)));
            r.push(Cell::Count(Some(x.total)));
            r
        })
        .collect();
    sheet(b, "a.sheet.recurring", &y.title, &joined(&[t("a.issue")], &y.months, &[t("a.year_total")]), &rows)?;
    Ok(())
}

/// Every P1 with its RCA outcome.
fn p1_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let rows: Vec<Vec<Cell>> = a
        .p1s
        .iter()
        .map(|p| {
            let s = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_default());
            let minute = |t: LocalMinute| t.get().format("%Y-%m-%d %H:%M").to_string();
            vec![
                Cell::Text(p.ticket_id.clone()),
                Cell::Text(p.school.clone()),
                Cell::Text(p.summary.clone()),
                Cell::Text(minute(p.opened_at)),
                s(&p.resolved_at.map(minute)),
                Cell::Text(l.get(&format!("status.{}", p.resolution_status)).to_string()),
                s(&p.rca_due_on.map(|d| d.to_string())),
                s(&p.rca_delivered_on.map(|d| d.to_string())),
                Cell::Text(l.get(&format!("rca_status.{}", p.rca_status.key())).to_string()),
            ]
        })
        .collect();
    let head: Vec<String> = ["ticket_id", "school", "summary", "opened_at", "resolved_at", "resolution_status", "rca_due_on", "rca_delivered_on", "rca_status"]
        .iter()
        .map(|k| t(&format!("xlsx.col.{k}")))
        .collect();
    sheet(b, "a.sheet.p1", &y.title, &head, &rows)?;
    Ok(())
}

/// Attainment per priority per month, a missed norm in red.
fn attainment_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let mut rows = Vec::new();
    for x in &a.attainment {
        for (measure, pcts, missed) in [("response", &x.response_pct, &x.response_missed), ("resolution", &x.resolution_pct, &x.resolution_missed)] {
            let mut r = vec![Cell::Text(format!("{} · {}", l.get(&format!("measure.{measure}")), x.priority))];
            r.extend(pcts.iter().zip(missed).map(|(p, m)| match (p, m) {
                (Some(p), true) => Cell::PctMissed(*p),
                (p, _) => Cell::Pct(*p),
            }));
            rows.push(r);
        }
    }
    sheet(b, "a.sheet.attainment", &y.title, &joined(&[String::new()], &y.months, &[]), &rows)?;
    Ok(())
}

/// The RCAs' preventive measures and where they stand.
fn measures_sheet(b: &mut Book, y: &Year) -> Res {
    let (a, l) = (y.a, y.l);
    let t = |key: &str| l.get(key).to_string();
    let rows: Vec<Vec<Cell>> = a
        .measures
        .iter()
        .map(|m| {
            let s = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_default());
            vec![
                Cell::Text(m.ticket_id.clone()),
                Cell::Text(m.measure.clone()),
                s(&m.owner),
                s(&m.due_on.map(|d| d.to_string())),
                Cell::Text(l.get(&format!("a.measures.status_{}", m.status)).to_string()),
                s(&m.done_on.map(|d| d.to_string())),
            ]
        })
        .collect();
    let head = vec![t("xlsx.col.ticket_id"), t("a.measures.measure"), t("a.measures.owner"), t("a.measures.due_on"), t("a.measures.status"), t("a.measures.status_done")];
    sheet(b, "a.sheet.measures", &y.title, &head, &rows)?;
    Ok(())
}
