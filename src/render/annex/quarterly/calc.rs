//! The quarterly annex's calculation sheet: every period's KPI figures side by side, with
//! live formulas the KPI and malus sheets refer to, so the quarter's malus can be audited
//! and recomputed like the monthly one.

use rust_xlsxwriter::Worksheet;
use rust_xlsxwriter::utility::row_col_to_cell as a1;

use crate::render::annex::formulas::{
    self, achievement, cached, combination_function, combined_achievement, domain_score, effective_weight, percentage,
    priority_achievement, str_lit,
};
use crate::render::annex::vocab::{direction_key, source_text, unit_key};
use crate::render::annex::workbook::{Book, Cells, Res};
use crate::i18n::{Labels, month_label, period_label};
use crate::kpi::{KpiResult, KpiSection};
use crate::report::quarterly::QuarterlyReport;

/// Columns of the calculation sheet: the KPI's fixed columns, then a group of [`cc::GROUP`]
/// columns per period (the months, then the quarter).
pub(super) mod cc {
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

/// A KPI's cell (row, column) in each period, where it has one.
pub(super) type PeriodCells = Vec<Option<(u32, u16)>>;

/// A domain's formula cells on the calculation sheet in one period.
pub(super) struct DomainCells {
    pub(super) score: (u32, u16),
    pub(super) malus: (u32, u16),
    pub(super) escalation: (u32, u16),
}

/// Where the calculation sheet keeps what the KPI and malus sheets refer to.
pub(super) struct CalcCells {
    pub(super) sheet: String,
    /// `[domain][kpi][period]`: the achievement cell of a KPI with a norm.
    pub(super) achievements: Vec<Vec<PeriodCells>>,
    /// `[domain][period]`: the formula cells of a domain that counts in the period.
    pub(super) domains: Vec<Vec<Option<DomainCells>>>,
}

/// Where a KPI's figure came from, with a measurement's period in words; a quarter's sum or
/// mean of the months' measurements names the months.
pub(super) fn figure_source(labels: &Labels, k: &KpiResult) -> String {
    let Some(f) = &k.figure else { return source_text(labels, k) };
    if f.source != "measurement" || f.detail.is_empty() {
        return source_text(labels, k);
    }
    let detail = match (f.detail.strip_prefix("sum:"), f.detail.strip_prefix("mean:")) {
        (Some(m), _) => ("q.kpi.sum_of", m),
        (_, Some(m)) => ("q.kpi.mean_of", m),
        _ => ("", f.detail.as_str()),
    };
    let periods: Vec<String> = detail.1.split(',').map(|p| period_label(p, labels)).collect();
    let what = if detail.0.is_empty() { String::new() } else { format!("{} ", labels.get(detail.0)) };
    let mut s = format!("{} ({what}{})", labels.get("xlsx.source.measurement"), periods.join(", "));
    if f.overrides_computed {
        s = format!("{s}; {}", labels.get("xlsx.kpi.overrides"));
    }
    s
}

/// The calculation sheet: the staircase and cap, then per domain a row per KPI with its
/// measured values, numerator, denominator, source and (as formulas) achievement and weight
/// with data for each period side by side, and under them the domain's weight with data,
/// score, malus, escalation and malus in euros per period in which the domain counts.
/// Returned with its cells, to be placed after the KPI sheet that refers to them.
pub(super) fn calc_sheet(b: &mut Book, q: &QuarterlyReport) -> Res<(Worksheet, CalcCells)> {
    let labels = b.labels;
    let mut ws = b.sheet("q.calc.sheet", 1)?;
    ws.set_landscape();
    ws.set_formula_result_default("");
    // The periods' sections: the months, then the quarter.
    let sections: Vec<&KpiSection> = q.kpi_months.iter().chain([&q.kpi_quarter]).collect();
    let periods: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).chain([labels.get("q.quarter_col").to_string()]).collect();
    let mut out = CalcCells { sheet: ws.name(), achievements: Vec::new(), domains: Vec::new() };
    {
        let mut c = b.cells(&mut ws);
        let mut at = header_rows(&mut c, q, &periods)?;
        for di in 0..q.kpi_quarter.domains.len() {
            let (next, achievements, domains) = domain_rows(&mut c, at, &sections, di)?;
            out.achievements.push(achievements);
            out.domains.push(domains);
            at = next;
        }
    }
    ws.set_column_width(cc::DOMAIN, 26)?;
    ws.set_column_width(cc::NAME, 36)?;
    ws.set_column_width(cc::NORM_TEXT, 30)?;
    for p in 0..periods.len() {
        ws.set_column_range_width(cc::col(p, 0), cc::col(p, cc::EFFECTIVE), 12)?;
        ws.set_column_width(cc::col(p, cc::SOURCE), 30)?;
    }
    Ok((ws, out))
}

/// The title, the staircase and cap, and the two header rows (the periods over their groups,
/// then the columns), frozen; returns the first row of the domains.
fn header_rows(c: &mut Cells, q: &QuarterlyReport, periods: &[String]) -> Res<u32> {
    use cc::*;
    let (f, labels) = (c.f, c.labels);
    let l = |k: &str| labels.get(k).to_string();
    c.text_with(0, 0, &l("q.calc.title").replace("{period}", &period_label(&q.meta.period, labels)), &f.title)?;
    c.label_with(1, 0, "xlsx.kpi.intro", &f.italic)?;
    c.label_with(2, 0, "q.calc.intro", &f.italic)?;
    c.label_with(4, 0, "xlsx.kpi.staircase", &f.bold)?;
    let mut at = c.dark_header(5, &[l("xlsx.kpi.min_score"), l("xlsx.kpi.malus_pct"), l("xlsx.kpi.escalation")])?;
    for band in &q.kpi_quarter.bands {
        c.number(at, 0, band.min_score_pct, &f.dec2)?;
        c.number(at, 1, band.malus_pct, &f.dec2)?;
        c.text(at, 2, labels.get(if band.escalation { "xlsx.yes" } else { "xlsx.no" }))?;
        at += 1;
    }
    c.label_with(at, 0, "xlsx.kpi.cap", &f.bold)?;
    match q.kpi_quarter.cap_pct {
        Some(cap) => c.number(at, 1, cap, &f.dec2)?,
        None => c.text(at, 1, labels.get("xlsx.kpi.no_cap"))?,
    }
    at += 2;
    for (p, name) in periods.iter().enumerate() {
        c.text_with(at, col(p, 0), name, &f.bold)?;
    }
    at += 1;
    let fixed = ["xlsx.kpi.number", "xlsx.kpi_col.domain", "xlsx.kpi_col.kpi", "xlsx.kpi_col.name", "xlsx.kpi_col.norm_text",
        "xlsx.kpi_col.norm", "xlsx.kpi_col.norm2", "xlsx.kpi_col.direction", "xlsx.kpi_col.unit", "xlsx.kpi_col.weight"];
    let group = ["measured", "measured2", "numerator", "denominator", "achievement", "effective_weight", "source"];
    let mut head: Vec<String> = fixed.iter().map(|k| l(k)).collect();
    for _ in periods {
        head.extend(group.iter().map(|k| l(&format!("xlsx.kpi_col.{k}"))));
    }
    at = c.dark_header(at, &head)?;
    c.ws.set_freeze_panes(at, FIRST_GROUP)?;
    Ok(at)
}

/// A period's cells of the KPI `ki` of domain `di`.
fn kpi_in(sec: &KpiSection, di: usize, ki: usize) -> &KpiResult {
    &sec.domains[di].kpis[ki]
}

/// Domain `di`'s block from `at`: its heading, its KPIs (with their rows per priority), its
/// status per period and, where it counts in a period, its formulas. Returns the row after
/// the block, the KPIs' achievement cells and the domain's cells per period.
fn domain_rows(c: &mut Cells, mut at: u32, sections: &[&KpiSection], di: usize) -> Res<(u32, Vec<PeriodCells>, Vec<Option<DomainCells>>)> {
    use cc::*;
    let (f, labels) = (c.f, c.labels);
    let quarter = sections[sections.len() - 1];
    let qd = &quarter.domains[di];
    let heading = labels.get("xlsx.kpi.domain_heading").replace("{number}", &qd.number.to_string()).replace("{name}", &qd.name);
    c.text_with(at, 0, &heading, &f.bold)?;
    at += 1;
    let first = at;
    let live: Vec<bool> = sections.iter().map(|sec| {
        let d = &sec.domains[di];
        d.scored && d.active && !d.kpis.is_empty()
    }).collect();
    let mut achievements = Vec::new();
    for ki in 0..qd.kpis.len() {
        let (next, cells) = kpi_rows(c, at, sections, di, ki, &live)?;
        achievements.push(cells);
        at = next;
    }
    let last = at.max(first + 1) - 1;

    c.label_with(at, NAME, "xlsx.kpi.status", &f.bold)?;
    for (p, sec) in sections.iter().enumerate() {
        c.text(at, col(p, ACHIEVEMENT), labels.get(&format!("xlsx.domain_status.{}", sec.domains[di].status)))?;
    }
    at += 1;
    if !live.iter().any(|x| *x) {
        return Ok((at + 1, achievements, sections.iter().map(|_| None).collect()));
    }
    let (next, domains) = domain_formulas(c, at, sections, di, (first, last), &live)?;
    Ok((next, achievements, domains))
}

/// KPI `ki`'s row from `at`: what it is, then per period its figure, source, achievement (a
/// formula, for a KPI with a norm) and, where the domain counts, its weight with data; then
/// its rows per priority, if any period measured it per priority. Returns the next row and
/// the achievement cells per period.
fn kpi_rows(c: &mut Cells, at: u32, sections: &[&KpiSection], di: usize, ki: usize, live: &[bool]) -> Res<(u32, PeriodCells)> {
    use cc::*;
    let (f, labels) = (c.f, c.labels);
    let quarter = sections[sections.len() - 1];
    let (qd, k) = (&quarter.domains[di], kpi_in(quarter, di, ki));
    let row = at;
    c.number(row, NUMBER, f64::from(qd.number), &f.int)?;
    c.text(row, DOMAIN, &qd.name)?;
    c.text(row, ID, &k.id)?;
    c.text(row, NAME, &k.name)?;
    c.text(row, NORM_TEXT, &k.norm_text)?;
    c.opt_number(row, NORM, k.norm, &f.dec2)?;
    c.opt_number(row, NORM2, k.second_norm, &f.dec2)?;
    c.text(row, DIRECTION, labels.get(&format!("xlsx.direction.{}", direction_key(k.direction))))?;
    c.text(row, UNIT, labels.get(&format!("xlsx.unit.{}", unit_key(k.unit))))?;
    c.opt_number(row, WEIGHT, k.weight, &f.dec2)?;
    let mut cells = Vec::new();
    for (p, sec) in sections.iter().enumerate() {
        let pk = kpi_in(sec, di, ki);
        if let Some(fig) = &pk.figure {
            c.number(row, col(p, MEASURED), fig.measured, &f.dec2)?;
            c.opt_number(row, col(p, MEASURED2), fig.second_measured, &f.dec2)?;
            c.opt_number(row, col(p, NUMERATOR), fig.numerator.map(|n| n as f64), &f.int)?;
            c.opt_number(row, col(p, DENOMINATOR), fig.denominator.map(|n| n as f64), &f.int)?;
        }
        c.text(row, col(p, SOURCE), &figure_source(labels, pk))?;
        let ach = col(p, ACHIEVEMENT);
        if pk.norm.is_some() {
            let cell = |column: u16| a1(row, column);
            let formula = achievement(pk, &cell(col(p, MEASURED)), &cell(NORM), &cell(col(p, MEASURED2)), &cell(NORM2), sec.cap_pct);
            c.formula(row, ach, &formula, cached(pk.achievement_pct), &f.dec2)?;
            cells.push(Some((row, ach)));
        } else {
            cells.push(None);
        }
        if live[p] {
            let effective = match (pk.weight, pk.achievement_pct) {
                (Some(w), Some(_)) => w,
                _ => 0.0,
            };
            c.formula(row, col(p, EFFECTIVE), &effective_weight(&a1(row, ach), &a1(row, WEIGHT)), cached(Some(effective)), &f.dec2)?;
        }
    }
    let parted = sections.iter().any(|sec| kpi_in(sec, di, ki).figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()));
    if !parted {
        return Ok((row + 1, cells));
    }
    Ok((priority_rows(c, row, sections, di, ki)?, cells))
}

/// Domain 2's response and resolution per priority: a row per priority under the KPI row
/// `row` (no weight, so the domain's sums skip them), and the KPI's measured value and
/// achievement combining theirs (the mean or the lowest). Returns the row after them.
fn priority_rows(c: &mut Cells, row: u32, sections: &[&KpiSection], di: usize, ki: usize) -> Res<u32> {
    use cc::*;
    let f = c.f;
    let k = kpi_in(sections[sections.len() - 1], di, ki);
    let (top, bottom) = (row + 1, row + 4);
    for (j, prio) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
        let at = top + j as u32;
        c.text(at, ID, &format!("{}.{prio}", k.id))?;
        c.text(at, NAME, c.labels.get(&format!("priority.{prio}")))?;
        c.opt_number(at, NORM, k.norm, &f.dec2)?;
        for (p, sec) in sections.iter().enumerate() {
            let pk = kpi_in(sec, di, ki);
            let Some(part) = pk.figure.as_ref().and_then(|f| f.per_priority.iter().find(|x| x.priority == *prio)) else { continue };
            c.number(at, col(p, NUMERATOR), part.numerator as f64, &f.int)?;
            c.number(at, col(p, DENOMINATOR), part.denominator as f64, &f.int)?;
            let measured = percentage(&a1(at, col(p, NUMERATOR)), &a1(at, col(p, DENOMINATOR)));
            c.formula(at, col(p, MEASURED), &measured, cached(Some(part.measured)), &f.dec2)?;
            let ach = priority_achievement(&a1(at, col(p, MEASURED)), &a1(at, NORM), pk.direction, sec.cap_pct);
            c.formula(at, col(p, ACHIEVEMENT), &ach, cached(Some(part.achievement_pct)), &f.dec2)?;
        }
    }
    for (p, sec) in sections.iter().enumerate() {
        let pk = kpi_in(sec, di, ki);
        let Some(fig) = pk.figure.as_ref().filter(|f| !f.per_priority.is_empty()) else { continue };
        let Some(func) = combination_function(fig.combination) else { continue };
        let span = |c: u16| format!("{}:{}", a1(top, c), a1(bottom, c));
        c.formula(row, col(p, MEASURED), &format!("{func}({})", span(col(p, MEASURED))), cached(Some(fig.measured)), &f.dec2)?;
        c.formula(row, col(p, ACHIEVEMENT), &combined_achievement(func, &span(col(p, ACHIEVEMENT))), cached(pk.achievement_pct), &f.dec2)?;
    }
    Ok(bottom + 1)
}

/// A domain's figures from `at` over its KPI rows `kpis` (first, last): the total weight,
/// then per period in which it counts (`live`) the weight with data, score, share of the
/// weight with data, malus %, escalation and, with an invoice amount, the malus in euros.
/// Returns the row after them (and a blank one) and the domain's cells per period.
fn domain_formulas(c: &mut Cells, at: u32, sections: &[&KpiSection], di: usize, kpis: (u32, u32), live: &[bool]) -> Res<(u32, Vec<Option<DomainCells>>)> {
    use cc::*;
    let (f, labels) = (c.f, c.labels);
    let qd = &sections[sections.len() - 1].domains[di];
    let range = |c: u16| format!("{}:{}", a1(kpis.0, c), a1(kpis.1, c));
    c.label_with(at, NAME, "xlsx.kpi.weight_total", &f.bold)?;
    c.formula(at, WEIGHT, &format!("SUM({})", range(WEIGHT)), cached(Some(qd.weight_total)), &f.dec2)?;
    let total = a1(at, WEIGHT);
    let (with_data, score, share, malus, escalation) = (at + 1, at + 2, at + 3, at + 4, at + 5);
    let invoice = qd.invoice_amount_eur.map(|amount| (at + 6, at + 7, amount));
    for (key, row) in [
        ("xlsx.kpi.weight_with_data", with_data),
        ("xlsx.kpi.score", score),
        ("xlsx.kpi.weight_share", share),
        ("xlsx.kpi.malus_pct", malus),
        ("xlsx.kpi.escalation", escalation),
    ] {
        c.label_with(row, NAME, key, &f.bold)?;
    }
    if let Some((row, eur, amount)) = invoice {
        c.label_with(row, NAME, "xlsx.kpi.invoice", &f.bold)?;
        c.number(row, WEIGHT, amount, &f.eur)?;
        c.label_with(eur, NAME, "xlsx.kpi.malus_eur", &f.bold)?;
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
        let cell = |row: u32| (row, col(p, ACHIEVEMENT));
        let a1_of = |row: u32| a1(row, col(p, ACHIEVEMENT));
        c.formula(with_data, col(p, EFFECTIVE), &format!("SUM({eff})"), cached(Some(d.weight_with_data)), &f.dec2)?;
        c.formula(score, col(p, ACHIEVEMENT), &domain_score(&eff, &ach), cached(d.score_pct), &f.dec2_bold)?;
        let share_formula = percentage(&a1(with_data, col(p, EFFECTIVE)), &total);
        c.formula(share, col(p, ACHIEVEMENT), &share_formula, cached(d.weight_share_pct), &f.dec2)?;
        let (score_cell, share_cell) = (a1_of(score), a1_of(share));
        c.formula(malus, col(p, ACHIEVEMENT), &formulas::malus(sec, &score_cell, &share_cell), cached(d.malus_pct), &f.dec2_bold)?;
        let result = match d.score_pct {
            Some(_) => labels.get(if d.escalation { "xlsx.yes" } else { "xlsx.no" }).to_string(),
            None => String::new(),
        };
        let formula = formulas::escalation(sec, &score_cell, &share_cell, &yes, &no);
        c.formula(escalation, col(p, ACHIEVEMENT), &formula, result, &f.bold)?;
        if let Some((row, eur, _)) = invoice {
            let formula = formulas::malus_eur(&a1_of(malus), &a1(row, WEIGHT));
            c.formula(eur, col(p, ACHIEVEMENT), &formula, cached(d.malus_eur), &f.eur)?;
        }
        domains.push(Some(DomainCells { score: cell(score), malus: cell(malus), escalation: cell(escalation) }));
    }
    Ok((invoice.map_or(escalation, |(_, eur, _)| eur) + 2, domains))
}
