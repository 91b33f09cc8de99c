//! The monthly annex's KPI sheet: live formulas with the model's values as cached results,
//! so the client can recompute every achievement, score and malus in the spreadsheet.

use rust_xlsxwriter::Format;

use crate::render::annex::formulas::{
    self, a1, achievement, cached, combination_function, combined_achievement, domain_score, effective_weight, percentage,
    priority_achievement, str_lit,
};
use crate::render::annex::vocab::{direction_key, frequency_key, source_text, unit_key};
use crate::render::annex::workbook::{Book, Cells, Col, Res, cix, print_setup, rix};
use crate::i18n::{Labels, month_label};
use crate::kpi::{DomainResult, KpiResult, KpiSection, PriorityPart};

/// The columns of a domain's KPI rows: label key (`xlsx.kpi_col.*`) and width.
pub(super) const KPI_COLS: [(&str, f64); 19] = [
    ("domain", 30.0),
    ("kpi", 26.0),
    ("name", 40.0),
    ("norm_text", 40.0),
    ("norm", 11.0),
    ("norm2", 11.0),
    ("direction", 12.0),
    ("unit", 9.0),
    ("weight", 9.0),
    ("frequency", 14.0),
    ("source", 34.0),
    ("measured", 11.0),
    ("measured2", 11.0),
    ("numerator", 10.0),
    ("denominator", 10.0),
    ("achievement", 13.0),
    ("effective_weight", 12.0),
    ("status", 22.0),
    ("note", 50.0),
];

/// Column indices of [`KPI_COLS`].
pub(super) mod kc {
    pub const DOMAIN: u16 = 0;
    pub const ID: u16 = 1;
    pub const NAME: u16 = 2;
    pub const NORM_TEXT: u16 = 3;
    pub const NORM: u16 = 4;
    pub const NORM2: u16 = 5;
    pub const DIRECTION: u16 = 6;
    pub const UNIT: u16 = 7;
    pub const WEIGHT: u16 = 8;
    pub const FREQUENCY: u16 = 9;
    pub const SOURCE: u16 = 10;
    pub const MEASURED: u16 = 11;
    pub const MEASURED2: u16 = 12;
    pub const NUMERATOR: u16 = 13;
    pub const DENOMINATOR: u16 = 14;
    pub const ACHIEVEMENT: u16 = 15;
    pub const EFFECTIVE: u16 = 16;
    pub const STATUS: u16 = 17;
    pub const NOTE: u16 = 18;
}

/// The overview's columns (label keys under `xlsx.kpi.`), from column A.
pub(super) const OVERVIEW_COLS: [&str; 7] = [
    "number",
    "domain",
    "status",
    "score",
    "malus_pct",
    "escalation",
    "malus_eur",
];

/// Header columns (no width) labelled `{prefix}.{key}`.
pub(super) fn label_cols(labels: &Labels, prefix: &str, keys: &[&str]) -> Vec<Col> {
    keys.iter()
        .map(|key| Col {
            header: labels.get(&format!("{prefix}.{key}")).to_string(),
            width: 0.0,
        })
        .collect()
}

/// Cells of a domain block that the overview refers to.
pub(super) struct DomainCells {
    pub(super) score: String,
    pub(super) malus: String,
    pub(super) escalation: String,
    pub(super) malus_eur: Option<String>,
}

/// Where the KPI sheet keeps what the charts show.
pub(super) struct KpiCells {
    pub(super) sheet: String,
    /// The overview's first row: one row per domain, name in column B, score in column D.
    pub(super) first_overview: u32,
    /// The staircase's first band row: one row per band, minimum score in column A.
    pub(super) first_band: u32,
}

/// Columns of the overview that the domain chart reads.
pub(super) const OVERVIEW_NAME_COL: u16 = 1;
pub(super) const OVERVIEW_SCORE_COL: u16 = 3;

/// Overview (a row per domain, referring to the blocks), the staircase and the cap, then one
/// block per domain: a row per KPI with its achievement formula, then the domain's status and
/// (for an active, scored domain) its score, malus and escalation formulas.
pub(super) fn kpi_sheet(b: &mut Book, k: &KpiSection) -> Res<KpiCells> {
    let labels = b.labels;
    let cols: Vec<Col> = KPI_COLS
        .iter()
        .map(|(key, width)| Col {
            header: labels.get(&format!("xlsx.kpi_col.{key}")).to_string(),
            width: *width,
        })
        .collect();
    let mut ws = b.sheet("xlsx.kpi.sheet", 1)?;
    // An empty cached result stays empty (the formula's own `""`), not the writer's default 0.
    ws.set_formula_result_default("");
    // The overview comes first but refers to the blocks, so it is written last.
    const OVERVIEW_HEADING: u32 = 4;
    let first_overview = OVERVIEW_HEADING + 2;
    let first_band = first_overview + rix(k.domains.len())? + 3;
    {
        let f = &b.f;
        let mut c = b.cells(&mut ws);
        for (j, col) in cols.iter().enumerate() {
            c.ws.set_column_width(cix(j)?, col.width)?;
        }
        let title = labels
            .get("xlsx.kpi.title")
            .replace("{period}", &month_label(&k.period, labels));
        c.text_with(0, 0, &title, &f.title)?;
        c.label_with(1, 0, "xlsx.kpi.intro", &f.italic)?;
        c.label_with(2, 0, "xlsx.kpi.formulas", &f.italic)?;

        let mut row = staircase_block(&mut c, first_band - 2, k)?;
        let mut refs = Vec::with_capacity(k.domains.len());
        for d in &k.domains {
            let (next, r) = domain_block(&mut c, row, d, k, &cols)?;
            refs.push(r);
            row = next + 1;
        }
        overview_block(&mut c, OVERVIEW_HEADING, k, &refs)?;
    }
    print_setup(&mut ws, None)?;
    let sheet = ws.name();
    b.wb.push_worksheet(ws);
    Ok(KpiCells {
        sheet,
        first_overview,
        first_band,
    })
}

/// The staircase (a row per band: minimum score, malus %, escalation) and the cap under a
/// heading at `row`; returns the row after a blank line under them.
fn staircase_block(c: &mut Cells, mut row: u32, k: &KpiSection) -> Res<u32> {
    let (f, labels) = (c.f, c.labels);
    c.heading(row, "xlsx.kpi.staircase")?;
    c.header_texts(row + 1, &label_cols(labels, "xlsx.kpi", &["min_score", "malus_pct", "escalation"]))?;
    row += 2;
    for band in &k.bands {
        c.number(row, 0, band.min_score_pct, &f.dec2)?;
        c.number(row, 1, band.malus_pct, &f.dec2)?;
        c.yes_no(row, 2, band.escalation)?;
        row += 1;
    }
    c.label_with(row, 0, "xlsx.kpi.cap", &f.bold)?;
    match k.cap_pct {
        Some(cap) => c.number(row, 1, cap, &f.dec2)?,
        None => c.label_with(row, 1, "xlsx.kpi.no_cap", &f.italic)?,
    }
    Ok(row + 2)
}

/// The overview under its heading at `heading`: a row per domain with its status and, for a
/// scored one, its score, malus, escalation (and malus in euros) referring to its block's
/// cells `refs`.
fn overview_block(c: &mut Cells, heading: u32, k: &KpiSection, refs: &[Option<DomainCells>]) -> Res {
    let (f, labels) = (c.f, c.labels);
    c.heading(heading, "xlsx.kpi.overview")?;
    let with_eur = refs.iter().flatten().any(|r| r.malus_eur.is_some());
    let shown = if with_eur { 7 } else { 6 };
    c.header_texts(heading + 1, &label_cols(labels, "xlsx.kpi", &OVERVIEW_COLS[..shown]))?;
    for (i, (d, r)) in k.domains.iter().zip(refs).enumerate() {
        let row = heading + 2 + rix(i)?;
        c.number(row, 0, f64::from(d.number), &f.int)?;
        c.text(row, OVERVIEW_NAME_COL, &d.name)?;
        c.tr(row, 2, "xlsx.domain_status", &d.status)?;
        let Some(r) = r else { continue };
        c.formula(row, OVERVIEW_SCORE_COL, &r.score, cached(d.score_pct), &f.dec2_bold)?;
        c.formula(row, 4, &r.malus, cached(d.malus_pct), &f.dec2)?;
        c.formula(row, 5, &r.escalation, escalation_result(labels, d), &f.plain)?;
        if let Some(eur) = &r.malus_eur {
            c.formula(row, 6, eur, cached(d.malus_eur), &f.eur)?;
        }
    }
    Ok(())
}

/// The escalation cell's value: yes or no with a score, empty without one.
pub(super) fn escalation_result(labels: &Labels, d: &DomainResult) -> String {
    match d.score_pct {
        Some(_) => labels
            .get(if d.escalation { "xlsx.yes" } else { "xlsx.no" })
            .to_string(),
        None => String::new(),
    }
}

/// One domain's block from `row`: its heading, a row per KPI, the per-priority rows, its
/// status; for an active scored domain its score, malus and escalation. Returns the next free
/// row and, for such a domain, the cells the overview refers to (as `=A1` formulas).
pub(super) fn domain_block(
    c: &mut Cells,
    row: u32,
    d: &DomainResult,
    k: &KpiSection,
    cols: &[Col],
) -> Res<(u32, Option<DomainCells>)> {
    let (f, labels) = (c.f, c.labels);
    let heading = labels
        .get("xlsx.kpi.domain_heading")
        .replace("{number}", &d.number.to_string())
        .replace("{name}", &d.name);
    c.text_with(row, 0, &heading, &f.heading)?;
    c.header_texts(row + 1, cols)?;
    let first = row + 2;
    // Scores, malus and escalation only for a domain that counts in this period.
    let live = d.scored && d.active && !d.kpis.is_empty();
    let domain = format!("{} {}", d.number, d.name);
    // Per-priority rows (domain 2's response and resolution) come after the KPI rows, a
    // block per KPI: a heading row, then a row per priority. Their rows, known up front so
    // the KPI rows can refer to them.
    let mut part_row = first + rix(d.kpis.len())? + 1;
    let part_rows: Vec<Option<(u32, u32)>> = d
        .kpis
        .iter()
        .map(|k| {
            let n = k.figure.as_ref().map_or(0, |f| f.per_priority.len());
            (n > 0).then(|| {
                let range = (part_row + 1, part_row + n as u32);
                part_row += n as u32 + 2;
                range
            })
        })
        .collect();
    for (i, (kpi, parts)) in d.kpis.iter().zip(&part_rows).enumerate() {
        kpi_row(c, first + rix(i)?, kpi, *parts, k.cap_pct, &domain, live)?;
    }
    for (kpi, parts) in d.kpis.iter().zip(&part_rows) {
        if let (Some(fig), Some((top, _))) = (&kpi.figure, parts) {
            priority_rows(c, *top, kpi, &fig.per_priority, k.cap_pct, &domain)?;
        }
    }
    let mut row = part_row.max(first + rix(d.kpis.len())? + 1);

    c.label_with(row, 0, "xlsx.kpi.status", &f.bold)?;
    c.tr(row, 1, "xlsx.domain_status", &d.status)?;
    row += 1;
    if let Some(from) = &d.active_from {
        c.label_with(row, 0, "xlsx.kpi.active_from", &f.bold)?;
        c.date(row, 1, Some(from))?;
        row += 1;
    }
    if !live {
        return Ok((row, None));
    }
    let last = first + rix(d.kpis.len() - 1)?;
    let (row, refs) = domain_formulas(c, row, (first, last), d, k)?;
    Ok((row, Some(refs)))
}

/// A KPI's row: what it is, its figure, its achievement (a formula; for a KPI measured per
/// priority, the combination of the rows `parts`) and, in a `live` domain, its weight with
/// data.
fn kpi_row(c: &mut Cells, row: u32, kpi: &KpiResult, parts: Option<(u32, u32)>, cap: Option<f64>, domain: &str, live: bool) -> Res {
    let (f, labels) = (c.f, c.labels);
    c.text(row, kc::DOMAIN, domain)?;
    c.text(row, kc::ID, &kpi.id)?;
    c.text(row, kc::NAME, &kpi.name)?;
    c.text(row, kc::NORM_TEXT, &kpi.norm_text)?;
    c.opt_number(row, kc::NORM, kpi.norm, &f.dec2)?;
    c.opt_number(row, kc::NORM2, kpi.second_norm, &f.dec2)?;
    c.tr(row, kc::DIRECTION, "xlsx.direction", direction_key(kpi.direction))?;
    c.tr(row, kc::UNIT, "xlsx.unit", unit_key(kpi.unit))?;
    c.opt_number(row, kc::WEIGHT, kpi.weight, &f.dec2)?;
    c.tr(row, kc::FREQUENCY, "xlsx.frequency", frequency_key(kpi.frequency))?;
    c.text(row, kc::SOURCE, &source_text(labels, kpi))?;
    let combined = match (&kpi.figure, parts) {
        (Some(fig), Some((a, b))) => combination_function(fig.combination).map(|func| (func, a, b)),
        _ => None,
    };
    if let (Some(fig), Some((func, a, b))) = (&kpi.figure, combined) {
        // The priorities' attainments combined; the achievement combines theirs.
        let range = |col: u16| format!("{}:{}", a1(a, col), a1(b, col));
        let measured = format!("{func}({})", range(kc::MEASURED));
        c.formula(row, kc::MEASURED, &measured, cached(Some(fig.measured)), &f.dec2)?;
        let formula = combined_achievement(func, &range(kc::ACHIEVEMENT));
        c.formula(row, kc::ACHIEVEMENT, &formula, cached(kpi.achievement_pct), &f.dec2)?;
        // The pooled counts, as in the JSON (the rows below hold each priority's).
        for (col, n) in [(kc::NUMERATOR, fig.numerator), (kc::DENOMINATOR, fig.denominator)] {
            if let Some(n) = n {
                c.count(row, col, n)?;
            }
        }
        c.text_with(row, kc::NOTE, &fig.note, &f.wrap)?;
    } else if let Some(fig) = &kpi.figure {
        c.number(row, kc::MEASURED, fig.measured, &f.dec2)?;
        c.opt_number(row, kc::MEASURED2, fig.second_measured, &f.dec2)?;
        if let Some(n) = fig.numerator {
            c.count(row, kc::NUMERATOR, n)?;
        }
        if let Some(n) = fig.denominator {
            c.count(row, kc::DENOMINATOR, n)?;
        }
        c.text_with(row, kc::NOTE, &fig.note, &f.wrap)?;
    }
    // A KPI without a norm (a count only) has no achievement.
    if combined.is_none() && kpi.norm.is_some() {
        let cell = |col: u16| a1(row, col);
        let formula = achievement(kpi, &cell(kc::MEASURED), &cell(kc::NORM), &cell(kc::MEASURED2), &cell(kc::NORM2), cap);
        c.formula(row, kc::ACHIEVEMENT, &formula, cached(kpi.achievement_pct), &f.dec2)?;
    }
    if live {
        let formula = effective_weight(&a1(row, kc::ACHIEVEMENT), &a1(row, kc::WEIGHT));
        let effective = match (kpi.weight, kpi.achievement_pct) {
            (Some(w), Some(_)) => w,
            _ => 0.0,
        };
        c.formula(row, kc::EFFECTIVE, &formula, cached(Some(effective)), &f.dec2)?;
    }
    c.tr(row, kc::STATUS, "xlsx.kpi_status", &kpi.status)
}

/// A KPI's rows per priority from `top`, under a heading row: counts, and as formulas the
/// measured value and the achievement.
fn priority_rows(c: &mut Cells, top: u32, kpi: &KpiResult, parts: &[PriorityPart], cap: Option<f64>, domain: &str) -> Res {
    let (f, labels) = (c.f, c.labels);
    let heading = format!("{} {}", kpi.name, labels.get("story.kpi.per_priority"));
    c.text_with(top - 1, kc::NAME, &heading, &f.bold)?;
    for (j, part) in parts.iter().enumerate() {
        let row = top + rix(j)?;
        c.text(row, kc::DOMAIN, domain)?;
        c.text(row, kc::ID, &format!("{}.{}", kpi.id, part.priority))?;
        c.tr(row, kc::NAME, "priority", &part.priority)?;
        c.opt_number(row, kc::NORM, kpi.norm, &f.dec2)?;
        c.tr(row, kc::DIRECTION, "xlsx.direction", direction_key(kpi.direction))?;
        c.tr(row, kc::UNIT, "xlsx.unit", unit_key(kpi.unit))?;
        c.count(row, kc::NUMERATOR, part.numerator)?;
        c.count(row, kc::DENOMINATOR, part.denominator)?;
        let measured = percentage(&a1(row, kc::NUMERATOR), &a1(row, kc::DENOMINATOR));
        c.formula(row, kc::MEASURED, &measured, cached(Some(part.measured)), &f.dec2)?;
        let ach = priority_achievement(&a1(row, kc::MEASURED), &a1(row, kc::NORM), kpi.direction, cap);
        c.formula(row, kc::ACHIEVEMENT, &ach, cached(Some(part.achievement_pct)), &f.dec2)?;
    }
    Ok(())
}

/// An active scored domain's figures from `row`, a label and a formula each over its KPI
/// rows `kpis` (first, last): total weight, weight with data, score, share of the weight
/// with data, malus %, escalation, and with an invoice amount the malus in euros. Returns the
/// next free row and the cells the overview refers to.
fn domain_formulas(c: &mut Cells, mut row: u32, kpis: (u32, u32), d: &DomainResult, k: &KpiSection) -> Res<(u32, DomainCells)> {
    let (f, labels) = (c.f, c.labels);
    let range = |col: u16| format!("{}:{}", a1(kpis.0, col), a1(kpis.1, col));
    let (weights, effective, achievements) = (range(kc::WEIGHT), range(kc::EFFECTIVE), range(kc::ACHIEVEMENT));
    // A label in column A and the formula in column B of `row`, then the next row; returns
    // the formula's cell.
    let pair = |c: &mut Cells, row: &mut u32, key: &str, formula: String, result: String, format: &Format| -> Res<String> {
        c.label_with(*row, 0, key, &f.bold)?;
        c.formula(*row, 1, &formula, result, format)?;
        *row += 1;
        Ok(a1(*row - 1, 1))
    };
    let r = &mut row;
    let total = pair(c, r, "xlsx.kpi.weight_total", format!("SUM({weights})"), cached(Some(d.weight_total)), &f.dec2)?;
    let with_data = pair(c, r, "xlsx.kpi.weight_with_data", format!("SUM({effective})"), cached(Some(d.weight_with_data)), &f.dec2)?;
    let score = pair(c, r, "xlsx.kpi.score", domain_score(&effective, &achievements), cached(d.score_pct), &f.dec2_bold)?;
    let share = pair(c, r, "xlsx.kpi.weight_share", percentage(&with_data, &total), cached(d.weight_share_pct), &f.dec2)?;
    let malus = pair(c, r, "xlsx.kpi.malus_pct", formulas::malus(k, &score, &share), cached(d.malus_pct), &f.dec2_bold)?;
    let (yes, no) = (str_lit(labels.get("xlsx.yes")), str_lit(labels.get("xlsx.no")));
    let escalation = formulas::escalation(k, &score, &share, &yes, &no);
    let escalation = pair(c, r, "xlsx.kpi.escalation", escalation, escalation_result(labels, d), &f.bold)?;
    let malus_eur = match d.invoice_amount_eur {
        Some(amount) => {
            c.label_with(*r, 0, "xlsx.kpi.invoice", &f.bold)?;
            c.number(*r, 1, amount, &f.eur)?;
            let invoice = a1(*r, 1);
            *r += 1;
            let formula = formulas::malus_eur(&malus, &invoice);
            Some(pair(c, r, "xlsx.kpi.malus_eur", formula, cached(d.malus_eur), &f.eur_bold)?)
        }
        None => None,
    };
    let refs = DomainCells {
        score: format!("={score}"),
        malus: format!("={malus}"),
        escalation: format!("={escalation}"),
        malus_eur: malus_eur.map(|e| format!("={e}")),
    };
    Ok((row, refs))
}
