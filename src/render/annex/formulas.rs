//! Excel formula text for the annexes' live KPI sheets: cell references, literals, the
//! achievement of a KPI, the malus staircase. Why it exists: the monthly KPI sheet and the
//! quarterly calculation sheet must compute exactly as `crate::kpi` does, so each formula
//! is written once and both sheets use it.

use rust_xlsxwriter::utility::{quote_sheet_name, row_col_to_cell, row_col_to_cell_absolute};

use super::workbook::cell_text;
use crate::contract::Direction;

/// A formula's cached result: the model's number with all its digits (Rust's shortest
/// round-trip form, so the cell holds exactly the model's `f64`), or `""` for none, which is
/// what the formula itself gives then.
pub(super) fn cached(x: Option<f64>) -> String {
    x.map(|x| format!("{x}")).unwrap_or_default()
}

/// A number as a formula literal (the contract's cap and staircase).
pub(super) fn lit(x: f64) -> String {
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
pub(super) fn achievement_part(measured: &str, norm: &str, direction: Direction, cap: Option<f64>) -> String {
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
pub(super) fn staircase_formula(
    score: &str,
    bands: &[crate::contract::MalusBand],
    value: impl Fn(&crate::contract::MalusBand) -> String,
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
