//! The year report's Excel annex: one sheet per part of the report (quarters and year,
//! KPIs, malus, volumes per month, schools, categories, recurring issues, P1s, attainment
//! per month), the figures as numbers, text always as strings. A month or quarter without
//! data says so in words, never as a zero.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

use super::xlsx::numbered_sheet_name;
use super::xlsx_text::{cell_text, sheet_base_name};
use crate::error::Error;
use crate::i18n::{month_label, Labels};
use crate::report::annual::AnnualReport;

/// A cell of the annex.
enum Cell {
    Text(String),
    Count(Option<u64>),
    Pct(Option<f64>),
    /// A percentage below the norm (marked).
    PctMissed(f64),
    Eur(Option<f64>),
}

type Res<T = ()> = Result<T, rust_xlsxwriter::XlsxError>;

struct Formats {
    head: Format,
    title: Format,
    pct: Format,
    missed: Format,
    eur: Format,
    count: Format,
    none: Format,
}

fn sheet(wb: &mut Workbook, f: &Formats, l: &Labels, name: &str, title: &str, head: &[String], rows: &[Vec<Cell>]) -> Res {
    let ws = wb.add_worksheet();
    ws.set_name(numbered_sheet_name(&sheet_base_name(l.get(name)), 1))?;
    ws.set_paper_size(9);
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, cell_text(title), &f.title)?;
    for (j, h) in head.iter().enumerate() {
        ws.write_string_with_format(2, j as u16, cell_text(h), &f.head)?;
        ws.set_column_width(j as u16, if j == 0 { 30.0 } else { 13.0 })?;
    }
    let no_data = l.get("a.no_data");
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        for (j, c) in row.iter().enumerate() {
            let j = j as u16;
            match c {
                Cell::Text(s) => {
                    ws.write_string(r, j, cell_text(s))?;
                }
                Cell::Count(Some(n)) => {
                    ws.write_number_with_format(r, j, *n as f64, &f.count)?;
                }
                Cell::Pct(Some(x)) => {
                    ws.write_number_with_format(r, j, x / 100.0, &f.pct)?;
                }
                Cell::PctMissed(x) => {
                    ws.write_number_with_format(r, j, x / 100.0, &f.missed)?;
                }
                Cell::Eur(Some(x)) => {
                    ws.write_number_with_format(r, j, *x, &f.eur)?;
                }
                Cell::Count(None) | Cell::Pct(None) | Cell::Eur(None) => {
                    ws.write_string_with_format(r, j, no_data, &f.none)?;
                }
            }
        }
    }
    ws.set_freeze_panes(3, 1)?;
    Ok(())
}

/// The annex of the year report.
pub fn annual_xlsx(a: &AnnualReport, l: &Labels) -> Result<Vec<u8>, Error> {
    write(a, l).map_err(|e| Error::new(format!("cannot write the annual annex: {e}")))
}

fn write(a: &AnnualReport, l: &Labels) -> Res<Vec<u8>> {
    let f = Formats {
        head: Format::new().set_bold().set_font_color("#FFFFFF").set_background_color("#0B5F7A").set_border_bottom(FormatBorder::Thin),
        title: Format::new().set_bold().set_font_size(14),
        pct: Format::new().set_num_format("0.00%"),
        missed: Format::new().set_num_format("0.00%").set_font_color("#B3261E").set_bold(),
        eur: Format::new().set_num_format("\"€ \"#,##0.00"),
        count: Format::new().set_num_format("#,##0"),
        none: Format::new().set_italic().set_font_color("#6B7280"),
    };
    let mut wb = Workbook::new();
    // Reproducible: the file's creation date is the report's date.
    let made = chrono::NaiveDate::parse_from_str(&a.meta.generated_on, "%Y-%m-%d").ok();
    let created = made
        .and_then(|d| {
            use chrono::Datelike;
            ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month() as u8, d.day() as u8).ok()
        })
        .unwrap_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date"));
    let title = l.get("a.title").replace("{year}", &a.year.to_string());
    wb.set_properties(&DocProperties::new().set_title(cell_text(&title)).set_company(cell_text(&a.meta.provider)).set_creation_datetime(&created));
    let t = |key: &str| l.get(key).to_string();
    let month_head: Vec<String> = a.months.iter().map(|m| month_label(m, l)).collect();
    let quarter_head: Vec<String> = a
        .quarters
        .iter()
        .map(|q| match &q.incomplete_reason {
            Some(r) => format!("{} ({})", q.label, l.get(&format!("a.incomplete.{r}"))),
            None => q.label.clone(),
        })
        .collect();
    let with = |first: &[String], mid: &[String], last: &[String]| -> Vec<String> { first.iter().chain(mid).chain(last).cloned().collect() };

    // Quarters and the year: domain scores, then the KPI achievements.
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
    let head = with(&[t("a.domain")], &quarter_head, &[&[t("a.year_mean")][..], &malus_head].concat());
    sheet(&mut wb, &f, l, "a.sheet.quarters", &title, &head, &rows)?;
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
    sheet(&mut wb, &f, l, "a.sheet.kpis", &title, &with(&[t("a.kpi")], &quarter_head, &[t("a.year_mean")]), &rows)?;

    // Malus per quarter and the year.
    let m = &a.malus_total;
    let mut r1 = vec![Cell::Text(t("a.with_malus"))];
    r1.extend(m.with_malus.iter().map(|n| Cell::Count(Some(*n))));
    r1.push(Cell::Count(Some(m.year_with_malus)));
    let mut r2 = vec![Cell::Text(t("a.malus_eur"))];
    r2.extend(m.malus_eur.iter().map(|e| Cell::Eur(*e)));
    r2.push(Cell::Eur(m.year_malus_eur));
    sheet(&mut wb, &f, l, "a.sheet.malus", &title, &with(&[String::new()], &quarter_head, &[t("a.year_total")]), &[r1, r2])?;

    // Volumes per month, by type and by priority.
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
    sheet(&mut wb, &f, l, "a.sheet.volumes", &title, &with(&[String::new()], &month_head, &[t("a.year_total")]), &rows)?;

    // Schools and categories, with the year before.
    for (key, list) in [("a.sheet.schools", &a.schools), ("a.sheet.categories", &a.categories)] {
        let rows: Vec<Vec<Cell>> = list
            .iter()
            .map(|x| vec![Cell::Text(x.name.clone()), Cell::Count(Some(x.count)), Cell::Count(x.previous)])
            .collect();
        let head = [t("a.name"), a.year.to_string(), (a.year - 1).to_string()];
        sheet(&mut wb, &f, l, key, &title, &head, &rows)?;
    }

    // Recurring issues with their monthly curve.
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
    sheet(&mut wb, &f, l, "a.sheet.recurring", &title, &with(&[t("a.issue")], &month_head, &[t("a.year_total")]), &rows)?;

    // Every P1 with its RCA outcome.
    let rows: Vec<Vec<Cell>> = a
        .p1s
        .iter()
        .map(|p| {
            let s = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_default());
            vec![
                Cell::Text(p.ticket_id.clone()),
                Cell::Text(p.school.clone()),
                Cell::Text(p.summary.clone()),
                Cell::Text(p.opened_at.replace('T', " ")),
                s(&p.resolved_at.as_ref().map(|x| x.replace('T', " "))),
                Cell::Text(l.get(&format!("status.{}", p.resolution_status)).to_string()),
                s(&p.rca_due_on),
                s(&p.rca_delivered_on),
                Cell::Text(l.get(&format!("rca_status.{}", p.rca_status)).to_string()),
            ]
        })
        .collect();
    let head: Vec<String> = ["ticket_id", "school", "summary", "opened_at", "resolved_at", "resolution_status", "rca_due_on", "rca_delivered_on", "rca_status"]
        .iter()
        .map(|k| t(&format!("xlsx.col.{k}")))
        .collect();
    sheet(&mut wb, &f, l, "a.sheet.p1", &title, &head, &rows)?;

    // Attainment per priority per month, a missed norm in red.
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
    sheet(&mut wb, &f, l, "a.sheet.attainment", &title, &with(&[String::new()], &month_head, &[]), &rows)?;

    // The RCAs' preventive measures and where they stand.
    let rows: Vec<Vec<Cell>> = a
        .measures
        .iter()
        .map(|m| {
            let s = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_default());
            vec![
                Cell::Text(m.ticket_id.clone()),
                Cell::Text(m.measure.clone()),
                s(&m.owner),
                s(&m.due_on),
                Cell::Text(l.get(&format!("a.measures.status_{}", m.status)).to_string()),
                s(&m.done_on),
            ]
        })
        .collect();
    let head = vec![t("xlsx.col.ticket_id"), t("a.measures.measure"), t("a.measures.owner"), t("a.measures.due_on"), t("a.measures.status"), t("a.measures.status_done")];
    sheet(&mut wb, &f, l, "a.sheet.measures", &title, &head, &rows)?;
    // The year's improvement actions, complaints and escalations (as in the other annexes).
    for ws in super::xlsx_voice::voice_sheets(&a.voice, l)? {
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer()
}
