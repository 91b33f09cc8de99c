//! The quarterly annex's calculation sheet: every period's KPI figures side by side, with
//! live formulas the KPI and malus sheets refer to.

use rust_xlsxwriter::Worksheet;
use rust_xlsxwriter::utility::row_col_to_cell;

use super::{Formats, Sheet, err};
use crate::render::annex::formulas::{achievement_part, cached, lit, staircase_formula, str_lit};
use crate::render::annex::vocab::{direction_key, source_text, unit_key};
use crate::render::annex::workbook::{numbered_sheet_name, sheet_base_name};
use crate::contract::PriorityCombination;
use crate::error::Error;
use crate::i18n::{Labels, month_label};
use crate::kpi::{KpiResult, KpiSection};
use crate::report::quarterly::QuarterlyReport;

pub(super) const MALUS_SCORE_COL: u16 = 3;

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
pub(super) fn calc_sheet(q: &QuarterlyReport, labels: &Labels, f: &Formats, poison: bool) -> Result<(Worksheet, CalcCells), Error> {
    use cc::*;
    let l = |k: &str| labels.get(k).to_string();
    let mut ws = Worksheet::new();
    ws.set_name(numbered_sheet_name(&sheet_base_name(labels.get("q.calc.sheet")), 1)).map_err(err)?;
    ws.set_paper_size(9).set_landscape();
    ws.set_formula_result_default("");
    let sheet = ws.name();
    let sections: Vec<&KpiSection> = q.kpi_months.iter().chain([&q.kpi_quarter]).collect();
    let periods: Vec<String> = q.months.iter().map(|m| month_label(m, labels)).chain([l("q.quarter_col")]).collect();
    let (bands, cap) = (&q.kpi_quarter.bands, q.kpi_quarter.cap_pct);
    let mut out = CalcCells { sheet, achievements: Vec::new(), domains: Vec::new() };
    let mut s = Sheet { ws: &mut ws, row: 0, f, poison };
    s.text_with(0, &l("q.calc.title").replace("{period}", &crate::i18n::period_label(&q.meta.period, labels)), &f.title)?;
    s.row = 1;
    s.text_with(0, &l("xlsx.kpi.intro"), &f.italic)?;
    s.row = 2;
    s.text_with(0, &l("q.calc.intro"), &f.italic)?;
    s.row = 4;
    s.bold_text(0, &l("xlsx.kpi.staircase"))?;
    s.row += 1;
    s.header(&[l("xlsx.kpi.min_score"), l("xlsx.kpi.malus_pct"), l("xlsx.kpi.escalation")])?;
    for b in bands {
        s.num_with(0, Some(b.min_score_pct), &f.dec2)?;
        s.num_with(1, Some(b.malus_pct), &f.dec2)?;
        s.text(2, &l(if b.escalation { "xlsx.yes" } else { "xlsx.no" }))?;
        s.row += 1;
    }
    s.bold_text(0, &l("xlsx.kpi.cap"))?;
    match cap {
        Some(c) => s.num_with(1, Some(c), &f.dec2)?,
        None => s.text(1, &l("xlsx.kpi.no_cap"))?,
    }
    s.row += 2;

    // Two header rows: the periods over their groups, then the columns.
    for (p, name) in periods.iter().enumerate() {
        s.bold_text(col(p, 0), name)?;
    }
    s.row += 1;
    let fixed = ["xlsx.kpi.number", "xlsx.kpi_col.domain", "xlsx.kpi_col.kpi", "xlsx.kpi_col.name", "xlsx.kpi_col.norm_text",
        "xlsx.kpi_col.norm", "xlsx.kpi_col.norm2", "xlsx.kpi_col.direction", "xlsx.kpi_col.unit", "xlsx.kpi_col.weight"];
    let group = ["measured", "measured2", "numerator", "denominator", "achievement", "effective_weight", "source"];
    let mut head: Vec<String> = fixed.iter().map(|k| l(k)).collect();
    for _ in &periods {
        head.extend(group.iter().map(|k| l(&format!("xlsx.kpi_col.{k}"))));
    }
    s.header(&head)?;
    s.ws.set_freeze_panes(s.row, FIRST_GROUP).map_err(err)?;

    let a1 = |row: u32, c: u16| row_col_to_cell(row, c);
    for (di, qd) in q.kpi_quarter.domains.iter().enumerate() {
        let heading = l("xlsx.kpi.domain_heading").replace("{number}", &qd.number.to_string()).replace("{name}", &qd.name);
        s.text_with(0, &heading, &f.bold)?;
        s.row += 1;
        let first = s.row;
        let live: Vec<bool> = sections.iter().map(|sec| {
            let d = &sec.domains[di];
            d.scored && d.active && !d.kpis.is_empty()
        }).collect();
        let mut achievements = Vec::new();
        for (ki, k) in qd.kpis.iter().enumerate() {
            let row = s.row;
            s.num_with(NUMBER, Some(f64::from(qd.number)), &f.int)?;
            s.text(DOMAIN, &qd.name)?;
            s.text(ID, &k.id)?;
            s.text(NAME, &k.name)?;
            s.text(NORM_TEXT, &k.norm_text)?;
            s.num_with(NORM, k.norm, &f.dec2)?;
            s.num_with(NORM2, k.second_norm, &f.dec2)?;
            s.text(DIRECTION, &l(&format!("xlsx.direction.{}", direction_key(k.direction))))?;
            s.text(UNIT, &l(&format!("xlsx.unit.{}", unit_key(k.unit))))?;
            s.num_with(WEIGHT, k.weight, &f.dec2)?;
            let mut cells = Vec::new();
            for (p, sec) in sections.iter().enumerate() {
                let pk = &sec.domains[di].kpis[ki];
                if let Some(fig) = &pk.figure {
                    s.num_with(col(p, MEASURED), Some(fig.measured), &f.dec2)?;
                    s.num_with(col(p, MEASURED2), fig.second_measured, &f.dec2)?;
                    s.num_with(col(p, NUMERATOR), fig.numerator.map(|n| n as f64), &f.int)?;
                    s.num_with(col(p, DENOMINATOR), fig.denominator.map(|n| n as f64), &f.int)?;
                }
                s.text(col(p, SOURCE), &figure_source(labels, pk))?;
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
                    s.formula(ach, &formula, cached(pk.achievement_pct), &f.dec2)?;
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
                    s.formula(col(p, EFFECTIVE), &format!("IF(AND(ISNUMBER({a}),ISNUMBER({w})),{w},0)"), cached(Some(effective)), &f.dec2)?;
                }
            }
            achievements.push(cells);
            s.row += 1;
            // Domain 2's response and resolution per priority: a row per priority under the
            // KPI (no weight, so the domain's sums skip them), and the KPI's measured value
            // and achievement combine theirs.
            let parted = sections.iter().any(|sec| sec.domains[di].kpis[ki].figure.as_ref().is_some_and(|f| !f.per_priority.is_empty()));
            if parted {
                let (top, bottom) = (s.row, s.row + 3);
                for (j, prio) in ["P1", "P2", "P3", "P4"].iter().enumerate() {
                    s.row = top + j as u32;
                    s.text(ID, &format!("{}.{prio}", k.id))?;
                    s.text(NAME, &l(&format!("priority.{prio}")))?;
                    s.num_with(NORM, k.norm, &f.dec2)?;
                    for (p, sec) in sections.iter().enumerate() {
                        let pk = &sec.domains[di].kpis[ki];
                        let Some(part) = pk.figure.as_ref().and_then(|f| f.per_priority.iter().find(|x| x.priority == *prio)) else { continue };
                        s.num_with(col(p, NUMERATOR), Some(part.numerator as f64), &f.int)?;
                        s.num_with(col(p, DENOMINATOR), Some(part.denominator as f64), &f.int)?;
                        let (num, den) = (a1(s.row, col(p, NUMERATOR)), a1(s.row, col(p, DENOMINATOR)));
                        s.formula(col(p, MEASURED), &format!("IF({den}>0,{num}*100/{den},\"\")"), cached(Some(part.measured)), &f.dec2)?;
                        let m = a1(s.row, col(p, MEASURED));
                        let ach = achievement_part(&m, &a1(s.row, NORM), pk.direction, sec.cap_pct);
                        s.formula(col(p, ACHIEVEMENT), &format!("IF(ISNUMBER({m}),{ach},\"\")"), cached(Some(part.achievement_pct)), &f.dec2)?;
                    }
                }
                // The KPI row: the mean (or lowest) of the priorities, where combined.
                s.row = row;
                for (p, sec) in sections.iter().enumerate() {
                    let pk = &sec.domains[di].kpis[ki];
                    let Some(fig) = pk.figure.as_ref().filter(|f| !f.per_priority.is_empty()) else { continue };
                    let func = match fig.combination {
                        Some(PriorityCombination::PerPriorityMean) => "AVERAGE",
                        Some(PriorityCombination::PerPriorityMin) => "MIN",
                        _ => continue,
                    };
                    let span = |c: u16| format!("{}:{}", a1(top, c), a1(bottom, c));
                    s.formula(col(p, MEASURED), &format!("{func}({})", span(col(p, MEASURED))), cached(Some(fig.measured)), &f.dec2)?;
                    let a = span(col(p, ACHIEVEMENT));
                    s.formula(col(p, ACHIEVEMENT), &format!("IF(COUNT({a})>0,{func}({a}),\"\")"), cached(pk.achievement_pct), &f.dec2)?;
                }
                s.row = bottom + 1;
            }
        }
        out.achievements.push(achievements);
        let last = s.row.max(first + 1) - 1;
        let range = |c: u16| format!("{}:{}", a1(first, c), a1(last, c));

        s.bold_text(NAME, &l("xlsx.kpi.status"))?;
        for (p, sec) in sections.iter().enumerate() {
            s.text(col(p, ACHIEVEMENT), &l(&format!("xlsx.domain_status.{}", sec.domains[di].status)))?;
        }
        s.row += 1;
        if !live.iter().any(|x| *x) {
            out.domains.push(sections.iter().map(|_| None).collect());
            s.row += 1;
            continue;
        }
        s.bold_text(NAME, &l("xlsx.kpi.weight_total"))?;
        s.formula(WEIGHT, &format!("SUM({})", range(WEIGHT)), cached(Some(qd.weight_total)), &f.dec2)?;
        s.row += 1;
        let (with_data, score, share, malus, escalation) = (s.row, s.row + 1, s.row + 2, s.row + 3, s.row + 4);
        let invoice = qd.invoice_amount_eur.map(|_| (s.row + 5, s.row + 6));
        for (key, row) in [
            ("xlsx.kpi.weight_with_data", with_data),
            ("xlsx.kpi.score", score),
            ("xlsx.kpi.weight_share", share),
            ("xlsx.kpi.malus_pct", malus),
            ("xlsx.kpi.escalation", escalation),
        ] {
            s.row = row;
            s.bold_text(NAME, &l(key))?;
        }
        if let (Some(amount), Some((row, eur))) = (qd.invoice_amount_eur, invoice) {
            s.row = row;
            s.bold_text(NAME, &l("xlsx.kpi.invoice"))?;
            s.num_with(WEIGHT, Some(amount), &f.eur)?;
            s.row = eur;
            s.bold_text(NAME, &l("xlsx.kpi.malus_eur"))?;
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
            let at = |row: u32| (row, col(p, ACHIEVEMENT));
            s.row = with_data;
            s.formula(col(p, EFFECTIVE), &format!("SUM({eff})"), cached(Some(d.weight_with_data)), &f.dec2)?;
            s.row = score;
            let formula = format!("IF(SUM({eff})<=0,\"\",SUMPRODUCT({eff},{ach})/SUM({eff}))");
            s.formula(at(score).1, &formula, cached(d.score_pct), &f.dec2_bold)?;
            let score_cell = a1(score, at(score).1);
            s.row = share;
            let (total, with) = (a1(with_data - 1, WEIGHT), a1(with_data, col(p, EFFECTIVE)));
            s.formula(at(share).1, &format!("IF({total}>0,{with}*100/{total},\"\")"), cached(d.weight_share_pct), &f.dec2)?;
            let share_cell = a1(share, at(share).1);
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
            s.row = malus;
            s.formula(at(malus).1, &gate(staircase_formula(&score_cell, bands, |b| lit(b.malus_pct), "\"\""), "\"\""), cached(d.malus_pct), &f.dec2_bold)?;
            s.row = escalation;
            let result = match d.score_pct {
                Some(_) => l(if d.escalation { "xlsx.yes" } else { "xlsx.no" }),
                None => String::new(),
            };
            let formula = gate(staircase_formula(&score_cell, bands, |b| if b.escalation { yes.clone() } else { no.clone() }, &no), &no);
            s.formula(at(escalation).1, &formula, result, &f.bold)?;
            if let Some((row, eur)) = invoice {
                s.row = eur;
                let (m, amount) = (a1(malus, at(malus).1), a1(row, WEIGHT));
                s.formula(at(eur).1, &format!("IF(ISNUMBER({m}),{amount}*{m}/100,\"\")"), cached(d.malus_eur), &f.eur)?;
            }
            domains.push(Some(DomainCells { score: at(score), malus: at(malus), escalation: at(escalation) }));
        }
        out.domains.push(domains);
        s.row = invoice.map_or(escalation, |(_, eur)| eur) + 2;
    }
    ws.set_column_width(cc::DOMAIN, 26).map_err(err)?;
    ws.set_column_width(cc::NAME, 36).map_err(err)?;
    ws.set_column_width(cc::NORM_TEXT, 30).map_err(err)?;
    for p in 0..periods.len() {
        ws.set_column_range_width(cc::col(p, 0), cc::col(p, cc::EFFECTIVE), 12).map_err(err)?;
        ws.set_column_width(cc::col(p, cc::SOURCE), 30).map_err(err)?;
    }
    Ok((ws, out))
}
