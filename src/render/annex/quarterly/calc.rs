//! The quarterly annex's calculation sheet: every period's KPI figures side by side, with
//! live formulas the KPI and malus sheets refer to.

use rust_xlsxwriter::Worksheet;
use rust_xlsxwriter::utility::row_col_to_cell;

use crate::render::annex::formulas::{achievement_part, cached, lit, staircase_formula, str_lit};
use crate::render::annex::vocab::{direction_key, source_text, unit_key};
use crate::render::annex::workbook::{Book, Res};
use crate::contract::PriorityCombination;
use crate::i18n::{Labels, month_label};
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
    pub(super) achievements: Vec<Vec<Vec<Option<(u32, u16)>>>>,
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
pub(super) fn achievement_cells(k: &KpiResult, m1: &str, n1: &str, m2: &str, n2: &str, cap: Option<f64>) -> String {
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
pub(super) fn calc_sheet(b: &mut Book, q: &QuarterlyReport) -> Res<(Worksheet, CalcCells)> {
    use cc::*;
    let labels = b.labels;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = b.sheet("q.calc.sheet", 1)?;
    ws.set_landscape();
    ws.set_formula_result_default("");
    let sheet = ws.name();
    let sections: Vec<&KpiSection> = q.kpi_months.iter().chain([&q.kpi_quarter]).collect();
    let periods: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).chain([l("q.quarter_col")]).collect();
    let (bands, cap) = (&q.kpi_quarter.bands, q.kpi_quarter.cap_pct);
    let mut out = CalcCells { sheet, achievements: Vec::new(), domains: Vec::new() };
    let f = &b.f;
    let mut c = b.cells(&mut ws);
    // The row being written.
    let mut at = 0;
    c.text_with(at, 0, &l("q.calc.title").replace("{period}", &crate::i18n::period_label(&q.meta.period, labels)), &f.title)?;
    at = 1;
    c.text_with(at, 0, &l("xlsx.kpi.intro"), &f.italic)?;
    at = 2;
    c.text_with(at, 0, &l("q.calc.intro"), &f.italic)?;
    at = 4;
    c.text_with(at, 0, &l("xlsx.kpi.staircase"), &f.bold)?;
    at += 1;
    at = c.dark_header(at, &[l("xlsx.kpi.min_score"), l("xlsx.kpi.malus_pct"), l("xlsx.kpi.escalation")])?;
    for b in bands {
        c.opt_number(at, 0, Some(b.min_score_pct), &f.dec2)?;
        c.opt_number(at, 1, Some(b.malus_pct), &f.dec2)?;
        c.text(at, 2, &l(if b.escalation { "xlsx.yes" } else { "xlsx.no" }))?;
        at += 1;
    }
    c.text_with(at, 0, &l("xlsx.kpi.cap"), &f.bold)?;
    match cap {
        Some(cap) => c.opt_number(at, 1, Some(cap), &f.dec2)?,
        None => c.text(at, 1, &l("xlsx.kpi.no_cap"))?,
    }
    at += 2;

    // Two header rows: the periods over their groups, then the columns.
    for (p, name) in periods.iter().enumerate() {
        c.text_with(at, col(p, 0), name, &f.bold)?;
    }
    at += 1;
    let fixed = ["xlsx.kpi.number", "xlsx.kpi_col.domain", "xlsx.kpi_col.kpi", "xlsx.kpi_col.name", "xlsx.kpi_col.norm_text",
        "xlsx.kpi_col.norm", "xlsx.kpi_col.norm2", "xlsx.kpi_col.direction", "xlsx.kpi_col.unit", "xlsx.kpi_col.weight"];
    let group = ["measured", "measured2", "numerator", "denominator", "achievement", "effective_weight", "source"];
    let mut head: Vec<String> = fixed.iter().map(|k| l(k)).collect();
    for _ in &periods {
        head.extend(group.iter().map(|k| l(&format!("xlsx.kpi_col.{k}"))));
    }
    at = c.dark_header(at, &head)?;
    c.ws.set_freeze_panes(at, FIRST_GROUP)?;

    let a1 = |row: u32, c: u16| row_col_to_cell(row, c);
    for (di, qd) in q.kpi_quarter.domains.iter().enumerate() {
        let heading = l("xlsx.kpi.domain_heading").replace("{number}", &qd.number.to_string()).replace("{name}", &qd.name);
        c.text_with(at, 0, &heading, &f.bold)?;
        at += 1;
        let first = at;
        let live: Vec<bool> = sections.iter().map(|sec| {
            let d = &sec.domains[di];
            d.scored && d.active && !d.kpis.is_empty()
        }).collect();
        let mut achievements = Vec::new();
        for (ki, k) in qd.kpis.iter().enumerate() {
            let row = at;
            c.opt_number(at, NUMBER, Some(f64::from(qd.number)), &f.int)?;
            c.text(at, DOMAIN, &qd.name)?;
            c.text(at, ID, &k.id)?;
            c.text(at, NAME, &k.name)?;
            c.text(at, NORM_TEXT, &k.norm_text)?;
            c.opt_number(at, NORM, k.norm, &f.dec2)?;
            c.opt_number(at, NORM2, k.second_norm, &f.dec2)?;
            c.text(at, DIRECTION, &l(&format!("xlsx.direction.{}", direction_key(k.direction))))?;
            c.text(at, UNIT, &l(&format!("xlsx.unit.{}", unit_key(k.unit))))?;
            c.opt_number(at, WEIGHT, k.weight, &f.dec2)?;
            let mut cells = Vec::new();
            for (p, sec) in sections.iter().enumerate() {
                let pk = &sec.domains[di].kpis[ki];
                if let Some(fig) = &pk.figure {
                    c.opt_number(at, col(p, MEASURED), Some(fig.measured), &f.dec2)?;
                    c.opt_number(at, col(p, MEASURED2), fig.second_measured, &f.dec2)?;
                    c.opt_number(at, col(p, NUMERATOR), fig.numerator.map(|n| n as f64), &f.int)?;
                    c.opt_number(at, col(p, DENOMINATOR), fig.denominator.map(|n| n as f64), &f.int)?;
                }
                c.text(at, col(p, SOURCE), &figure_source(labels, pk))?;
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
                    c.formula(at, ach, &formula, cached(pk.achievement_pct), &f.dec2)?;
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
                    c.formula(at, col(p, EFFECTIVE), &format!("IF(AND(ISNUMBER({a}),ISNUMBER({w})),{w},0)"), cached(Some(effective)), &f.dec2)?;
                }
            }
            achievements.push(cells);
            at += 1;
            // Domain 2's response and resolution per priority: a row per priority under the
            // KPI (no weight, so the domain's sums skip them), and the KPI's measured value
            // and achievement combine theirs.
            let parted = sections.iter().any(|sec| sec.domains[di].kpis[ki].figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()));
            if parted {
                let (top, bottom) = (at, at + 3);
                for (j, prio) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
                    at = top + j as u32;
                    c.text(at, ID, &format!("{}.{prio}", k.id))?;
                    c.text(at, NAME, &l(&format!("priority.{prio}")))?;
                    c.opt_number(at, NORM, k.norm, &f.dec2)?;
                    for (p, sec) in sections.iter().enumerate() {
                        let pk = &sec.domains[di].kpis[ki];
                        let Some(part) = pk.figure.as_ref().and_then(|f| f.per_priority.iter().find(|x| x.priority == *prio)) else { continue };
                        c.opt_number(at, col(p, NUMERATOR), Some(part.numerator as f64), &f.int)?;
                        c.opt_number(at, col(p, DENOMINATOR), Some(part.denominator as f64), &f.int)?;
                        let (num, den) = (a1(at, col(p, NUMERATOR)), a1(at, col(p, DENOMINATOR)));
                        c.formula(at, col(p, MEASURED), &format!("IF({den}>0,{num}*100/{den},\"\")"), cached(Some(part.measured)), &f.dec2)?;
                        let m = a1(at, col(p, MEASURED));
                        let ach = achievement_part(&m, &a1(at, NORM), pk.direction, sec.cap_pct);
                        c.formula(at, col(p, ACHIEVEMENT), &format!("IF(ISNUMBER({m}),{ach},\"\")"), cached(Some(part.achievement_pct)), &f.dec2)?;
                    }
                }
                // The KPI row: the mean (or lowest) of the priorities, where combined.
                at = row;
                for (p, sec) in sections.iter().enumerate() {
                    let pk = &sec.domains[di].kpis[ki];
                    let Some(fig) = pk.figure.as_ref().filter(|f| !f.per_priority.is_empty()) else { continue };
                    let func = match fig.combination {
                        Some(PriorityCombination::PerPriorityMean) => "AVERAGE",
                        Some(PriorityCombination::PerPriorityMin) => "MIN",
                        _ => continue,
                    };
                    let span = |c: u16| format!("{}:{}", a1(top, c), a1(bottom, c));
                    c.formula(at, col(p, MEASURED), &format!("{func}({})", span(col(p, MEASURED))), cached(Some(fig.measured)), &f.dec2)?;
                    let a = span(col(p, ACHIEVEMENT));
                    c.formula(at, col(p, ACHIEVEMENT), &format!("IF(COUNT({a})>0,{func}({a}),\"\")"), cached(pk.achievement_pct), &f.dec2)?;
                }
                at = bottom + 1;
            }
        }
        out.achievements.push(achievements);
        let last = at.max(first + 1) - 1;
        let range = |c: u16| format!("{}:{}", a1(first, c), a1(last, c));

        c.text_with(at, NAME, &l("xlsx.kpi.status"), &f.bold)?;
        for (p, sec) in sections.iter().enumerate() {
            c.text(at, col(p, ACHIEVEMENT), &l(&format!("xlsx.domain_status.{}", sec.domains[di].status)))?;
        }
        at += 1;
        if !live.iter().any(|x| *x) {
            out.domains.push(sections.iter().map(|_| None).collect());
            at += 1;
            continue;
        }
        c.text_with(at, NAME, &l("xlsx.kpi.weight_total"), &f.bold)?;
        c.formula(at, WEIGHT, &format!("SUM({})", range(WEIGHT)), cached(Some(qd.weight_total)), &f.dec2)?;
        at += 1;
        let (with_data, score, share, malus, escalation) = (at, at + 1, at + 2, at + 3, at + 4);
        let invoice = qd.invoice_amount_eur.map(|_| (at + 5, at + 6));
        for (key, row) in [
            ("xlsx.kpi.weight_with_data", with_data),
            ("xlsx.kpi.score", score),
            ("xlsx.kpi.weight_share", share),
            ("xlsx.kpi.malus_pct", malus),
            ("xlsx.kpi.escalation", escalation),
        ] {
            at = row;
            c.text_with(at, NAME, &l(key), &f.bold)?;
        }
        if let (Some(amount), Some((row, eur))) = (qd.invoice_amount_eur, invoice) {
            at = row;
            c.text_with(at, NAME, &l("xlsx.kpi.invoice"), &f.bold)?;
            c.opt_number(at, WEIGHT, Some(amount), &f.eur)?;
            at = eur;
            c.text_with(at, NAME, &l("xlsx.kpi.malus_eur"), &f.bold)?;
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
            at = with_data;
            c.formula(at, col(p, EFFECTIVE), &format!("SUM({eff})"), cached(Some(d.weight_with_data)), &f.dec2)?;
            at = score;
            let formula = format!("IF(SUM({eff})<=0,\"\",SUMPRODUCT({eff},{ach})/SUM({eff}))");
            c.formula(at, cell(score).1, &formula, cached(d.score_pct), &f.dec2_bold)?;
            let score_cell = a1(score, cell(score).1);
            at = share;
            let (total, with) = (a1(with_data - 1, WEIGHT), a1(with_data, col(p, EFFECTIVE)));
            c.formula(at, cell(share).1, &format!("IF({total}>0,{with}*100/{total},\"\")"), cached(d.weight_share_pct), &f.dec2)?;
            let share_cell = a1(share, cell(share).1);
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
            at = malus;
            c.formula(at, cell(malus).1, &gate(staircase_formula(&score_cell, bands, |b| lit(b.malus_pct), "\"\""), "\"\""), cached(d.malus_pct), &f.dec2_bold)?;
            at = escalation;
            let result = match d.score_pct {
                Some(_) => l(if d.escalation { "xlsx.yes" } else { "xlsx.no" }),
                None => String::new(),
            };
            let formula = gate(staircase_formula(&score_cell, bands, |b| if b.escalation { yes.clone() } else { no.clone() }, &no), &no);
            c.formula(at, cell(escalation).1, &formula, result, &f.bold)?;
            if let Some((row, eur)) = invoice {
                at = eur;
                let (m, amount) = (a1(malus, cell(malus).1), a1(row, WEIGHT));
                c.formula(at, cell(eur).1, &format!("IF(ISNUMBER({m}),{amount}*{m}/100,\"\")"), cached(d.malus_eur), &f.eur)?;
            }
            domains.push(Some(DomainCells { score: cell(score), malus: cell(malus), escalation: cell(escalation) }));
        }
        out.domains.push(domains);
        at = invoice.map_or(escalation, |(_, eur)| eur) + 2;
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
