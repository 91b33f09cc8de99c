//! Excel formula text for the annexes' live KPI sheets: cell references, literals, the
//! achievement of a KPI, the malus staircase. Why it exists: the monthly KPI sheet and the
//! quarterly calculation sheet must compute exactly as `crate::kpi` does, so each formula
//! is written once and both sheets use it.

use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell, row_col_to_cell_absolute};

use super::workbook::cell_text;
use crate::contract::{Direction, MalusBand, PriorityCombination};
use crate::kpi::{KpiResult, KpiSection};

/// A formula's cached result: the model's number with all its digits (Rust's shortest
/// round-trip form, so the cell holds exactly the model's `f64`), or `""` for none, which is
/// what the formula itself gives then.
pub(super) fn cached(x: Option<f64>) -> String {
    x.map(|x| format!("{x}")).unwrap_or_default()
}

/// A number as a formula literal (the contract's cap and staircase).
fn lit(x: f64) -> String {
    format!("{x}")
}

/// A text as a formula string literal.
pub(super) fn str_lit(s: &str) -> String {
    format!("\"{}\"", cell_text(s).replace('"', "\"\""))
}

/// A1 reference of a cell.
pub(super) fn a1(row: u32, col: u16) -> String {
    row_col_to_cell(row, col)
}

/// One part of an achievement, as [`crate::kpi::achievement`] computes it: "at least":
/// measured × 100 ÷ norm (a norm ≤ 0 is always met); "at most": norm × 100 ÷ measured (a
/// measured ≤ 0 is 100); then capped.
fn achievement_part(measured: &str, norm: &str, direction: Direction, cap: Option<f64>) -> String {
    let raw = match direction {
        Direction::AtLeast => format!("IF({norm}<=0,100,{measured}*100/{norm})"),
        Direction::AtMost => format!("IF({measured}<=0,100,{norm}*100/{measured})"),
    };
    match cap {
        Some(c) => format!("MIN({},{raw})", lit(c)),
        None => raw,
    }
}


/// The staircase as nested IFs on the score in `score`: the first band whose minimum the
/// score reaches gives `value(band)`; below every band, `below`.
fn staircase_formula(
    score: &str,
    bands: &[MalusBand],
    value: impl Fn(&MalusBand) -> String,
    below: &str,
) -> String {
    let mut f = below.to_string();
    for band in bands.iter().rev() {
        f = format!(
            "IF({score}>={},{},{f})",
            lit(band.min_score_pct),
            value(band)
        );
    }
    format!("IF(ISNUMBER({score}),{f},\"\")")
}

/// An absolute reference to a cell of `sheet`, for a formula: `'KPI''s'!$A$15`.
pub(super) fn sheet_ref(sheet: &str, row: u32, col: u16) -> String {
    format!(
        "{}!{}",
        quote_sheet_name(sheet),
        row_col_to_cell_absolute(row, col)
    )
}

/// Whether a formula's cached result `s` is stored as text: the writer types a result that
/// reads as a number, a boolean or an error value as such, so such a text is written as a
/// plain string instead of a formula.
pub(super) fn text_result_is_safe(s: &str) -> bool {
    s.parse::<f64>().is_err()
        && !s.starts_with('#')
        && !s.eq_ignore_ascii_case("true")
        && !s.eq_ignore_ascii_case("false")
}

/// A KPI's achievement from its measured and norm cells: `""` while nothing is measured; for
/// a KPI with a second norm (reachability) the lower of both parts when part 2 is measured.
pub(super) fn achievement(k: &KpiResult, m1: &str, n1: &str, m2: &str, n2: &str, cap: Option<f64>) -> String {
    let p1 = achievement_part(m1, n1, k.direction, cap);
    match k.second_norm {
        Some(_) => {
            let p2 = achievement_part(m2, n2, k.direction, cap);
            format!("IF(ISNUMBER({m1}),IF(ISNUMBER({m2}),MIN({p1},{p2}),{p1}),\"\")")
        }
        None => format!("IF(ISNUMBER({m1}),{p1},\"\")"),
    }
}

/// One priority's achievement from its measured and norm cells, `""` while not measured.
pub(super) fn priority_achievement(measured: &str, norm: &str, direction: Direction, cap: Option<f64>) -> String {
    let part = achievement_part(measured, norm, direction, cap);
    format!("IF(ISNUMBER({measured}),{part},\"\")")
}

/// `num` × 100 ÷ `den`, `""` while `den` is not above 0 (a priority's measured value, the
/// share of the weight with data).
pub(super) fn percentage(num: &str, den: &str) -> String {
    format!("IF({den}>0,{num}*100/{den},\"\")")
}

/// The Excel function that combines the priorities' figures of a KPI measured per priority
/// (mean or lowest), or `None` for a pooled one.
pub(super) fn combination_function(c: Option<PriorityCombination>) -> Option<&'static str> {
    match c {
        Some(PriorityCombination::PerPriorityMean) => Some("AVERAGE"),
        Some(PriorityCombination::PerPriorityMin) => Some("MIN"),
        _ => None,
    }
}

/// The priorities' achievements in `range` combined by `func`, `""` while none is there.
pub(super) fn combined_achievement(func: &str, range: &str) -> String {
    format!("IF(COUNT({range})>0,{func}({range}),\"\")")
}

/// A KPI's weight when its achievement is there (it counts in the domain's score), else 0.
pub(super) fn effective_weight(achievement: &str, weight: &str) -> String {
    format!("IF(AND(ISNUMBER({achievement}),ISNUMBER({weight})),{weight},0)")
}

/// The domain's score: the achievements weighted by their effective weights, `""` while no
/// weight has data.
pub(super) fn domain_score(effective: &str, achievements: &str) -> String {
    format!("IF(SUM({effective})<=0,\"\",SUMPRODUCT({effective},{achievements})/SUM({effective}))")
}

/// The malus % of the score in `score` through the staircase `bands`.
pub(super) fn malus_staircase(score: &str, bands: &[MalusBand]) -> String {
    staircase_formula(score, bands, |b| lit(b.malus_pct), "\"\"")
}

/// The escalation (`yes` or `no`, formula string literals) of the score in `score` through
/// the staircase `bands`.
pub(super) fn escalation_staircase(score: &str, bands: &[MalusBand], yes: &str, no: &str) -> String {
    staircase_formula(score, bands, |b| if b.escalation { yes.to_string() } else { no.to_string() }, no)
}

/// A domain's malus %: its score in `score` through the section's staircase, none while the
/// share of the weight with data (in `share`) is too small.
pub(super) fn malus(k: &KpiSection, score: &str, share: &str) -> String {
    gated(k, score, share, malus_staircase(score, &k.bands), "\"\"")
}

/// A domain's escalation, as [`malus`]: `no` while the share of the weight is too small.
pub(super) fn escalation(k: &KpiSection, score: &str, share: &str, yes: &str, no: &str) -> String {
    gated(k, score, share, escalation_staircase(score, &k.bands, yes, no), no)
}

/// `staircase`, except `below` while the share of the weight with data (in `share`) is below
/// the contract's minimum (unless the contract applies the malus all the same).
fn gated(k: &KpiSection, score: &str, share: &str, staircase: String, below: &str) -> String {
    if k.malus_with_little_data {
        staircase
    } else {
        format!(
            "IF(AND(ISNUMBER({score}),ISNUMBER({share}),{share}<{}),{below},{staircase})",
            lit(k.min_weight_share_pct)
        )
    }
}

/// The malus in euros: the invoice amount in `invoice` × the malus % in `malus`.
pub(super) fn malus_eur(malus: &str, invoice: &str) -> String {
    format!("IF(ISNUMBER({malus}),{invoice}*{malus}/100,\"\")")
}
