//! KPI domains, domain scores and the malus (guideline §9, spec §5).
//!
//! The contract settles money here. For a period, every KPI of the contract gets a measured
//! value — computed from tickets or the phone log, taken from `measurements.csv` (which
//! overrides a computed figure), or "no data" — then an achievement (measured ÷ norm, or
//! norm ÷ measured for "at most" norms, capped), then each domain a weighted score over the
//! KPIs that have data, and a malus band from the staircase applied to the unrounded score.
//! Nothing here rounds: rounding is for display only.

pub mod compute;
pub mod deliveries;
pub mod logs;
pub mod input;

use serde::Serialize;

use crate::contract::{Direction, Domain, Kpi, KpiSource, MalusBand, PriorityCombination, Scoring};
use crate::i18n::Lang;

/// Achievement of a measured value against a norm, in percent, capped at `cap` (if any).
/// "At least": measured ÷ norm (a norm of 0 is always met); "at most": norm ÷ measured, and a
/// measured 0 is 100 %.
pub fn achievement(measured: f64, norm: f64, direction: Direction, cap: Option<f64>) -> f64 {
    let raw = match direction {
        Direction::AtLeast => {
            if norm <= 0.0 { 100.0 } else { measured * 100.0 / norm }
        }
        Direction::AtMost => {
            if measured <= 0.0 { 100.0 } else { norm * 100.0 / measured }
        }
    };
    match cap {
        Some(c) => raw.min(c),
        None => raw,
    }
}

/// The band of the staircase a score falls in: the first whose minimum it reaches.
pub fn band_of(score: f64, bands: &[MalusBand]) -> Option<usize> {
    bands.iter().position(|b| score >= b.min_score_pct)
}

/// Where a KPI's figure came from.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub measured: f64,
    /// Reachability's second part (answered within 60 s).
    pub second_measured: Option<f64>,
    /// Counts behind a percentage, when computed: numerator of denominator. For domain 2's
    /// KPIs combined per priority these are the pooled counts, and `measured` is the mean (or
    /// lowest) of the priorities' attainments.
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// `tickets`, `calls`, `measurement`, `report`.
    pub source: String,
    /// The measurement's period label (e.g. `2026-H2`) or a short description.
    pub detail: String,
    /// A measurement replaced a computed figure.
    pub overrides_computed: bool,
    pub note: String,
    /// Domain 2's response and resolution per priority (the priorities with tickets), and
    /// how they combine into the KPI's achievement; empty for other KPIs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_priority: Vec<PriorityPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub combination: Option<PriorityCombination>,
}

impl Figure {
    /// A figure with only a measured value (the other fields empty).
    pub fn value(measured: f64, source: &str, detail: String, note: String) -> Figure {
        Figure {
            measured,
            second_measured: None,
            numerator: None,
            denominator: None,
            source: source.into(),
            detail,
            overrides_computed: false,
            note,
            per_priority: Vec::new(),
            combination: None,
        }
    }
}

/// One priority of a per-priority KPI: its attainment (met of counted) and its own
/// achievement against the KPI's norm.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityPart {
    pub priority: String,
    pub numerator: u64,
    pub denominator: u64,
    /// met × 100 ÷ counted.
    pub measured: f64,
    /// Against the KPI's norm, capped like any achievement.
    pub achievement_pct: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiResult {
    pub id: String,
    pub name: String,
    pub norm_text: String,
    pub norm: Option<f64>,
    pub direction: Direction,
    pub unit: crate::contract::Unit,
    pub weight: Option<f64>,
    pub frequency: crate::contract::Frequency,
    /// The contract's source for the KPI.
    pub contract_source: Option<KpiSource>,
    pub second_norm: Option<f64>,
    /// `None`: no data in the period.
    pub figure: Option<Figure>,
    /// In percent, unrounded; `None` with no data or no norm.
    pub achievement_pct: Option<f64>,
    /// `scored`, `no_data`, `not_yet_measured` (a quarter's, half year's or year's
    /// measurement exists but that period has not ended on the report's date),
    /// `count_only` (no norm: shown, not scored).
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainResult {
    pub id: String,
    pub number: u32,
    pub name: String,
    pub scored: bool,
    pub active: bool,
    pub active_from: Option<String>,
    pub kpis: Vec<KpiResult>,
    /// Unrounded; `None` when not scored, not active, or no KPI has data.
    pub score_pct: Option<f64>,
    pub weight_total: f64,
    pub weight_with_data: f64,
    /// weight_with_data ÷ weight_total × 100; `None` without weights.
    pub weight_share_pct: Option<f64>,
    /// The score rests on less than the contract's minimum share of the weight.
    pub little_data: bool,
    /// Index into `KpiSection.bands`.
    pub band: Option<usize>,
    /// The band's malus, as the staircase gives it for the score.
    pub band_malus_pct: Option<f64>,
    /// The malus applied: the band's, unless the score rests on too little data (and the
    /// contract does not apply it then).
    pub malus_pct: Option<f64>,
    pub escalation: bool,
    pub invoice_amount_eur: Option<f64>,
    pub malus_eur: Option<f64>,
    /// `scored`, `no_data`, `not_active`, `unscored`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiSection {
    /// `2026-10` or `2026-Q3`.
    pub period: String,
    pub cap_pct: Option<f64>,
    pub bands: Vec<MalusBand>,
    /// Below this share of a domain's weight with data, its malus is not applied (unless
    /// `malus_with_little_data`).
    pub min_weight_share_pct: f64,
    pub malus_with_little_data: bool,
    pub domains: Vec<DomainResult>,
}

/// A KPI's figure for a period, or why it has none.
#[derive(Debug, Clone)]
pub enum KpiFigure {
    Figure(Figure),
    NoData,
    /// A measurement of a longer period that has not ended on the report's date.
    NotYetMeasured,
}

impl From<Option<Figure>> for KpiFigure {
    fn from(f: Option<Figure>) -> Self {
        f.map_or(KpiFigure::NoData, KpiFigure::Figure)
    }
}

/// Scores one domain from its KPI figures (in the contract's order).
pub fn score_domain(
    domain: &Domain,
    figures: Vec<KpiFigure>,
    scoring: &Scoring,
    active: bool,
    lang: Lang,
) -> DomainResult {
    let en = lang == Lang::En;
    let kpis: Vec<KpiResult> = domain
        .kpis
        .iter()
        .zip(figures)
        .map(|(k, figure)| kpi_result(k, figure, scoring.achievement_cap_pct, en))
        .collect();
    let weight_total: f64 = kpis.iter().filter_map(|k| k.weight).sum();
    let scored_kpis: Vec<(f64, f64)> = kpis
        .iter()
        .filter_map(|k| Some((k.weight?, k.achievement_pct?)))
        .collect();
    let weight_with_data: f64 = scored_kpis.iter().map(|(w, _)| w).sum();
    let (score, status) = if !domain.scored {
        (None, "unscored")
    } else if !active {
        (None, "not_active")
    } else if weight_with_data <= 0.0 {
        (None, "no_data")
    } else {
        let sum: f64 = scored_kpis.iter().map(|(w, a)| w * a).sum();
        (Some(sum / weight_with_data), "scored")
    };
    let weight_share_pct = (weight_total > 0.0).then(|| weight_with_data * 100.0 / weight_total);
    let little_data = score.is_some() && weight_share_pct.is_some_and(|s| s < scoring.min_weight_share_pct);
    let band = score.and_then(|s| band_of(s, &scoring.bands));
    let band_malus_pct = band.map(|b| scoring.bands[b].malus_pct);
    let applied = !little_data || scoring.malus_with_little_data;
    let malus_pct = band_malus_pct.filter(|_| applied);
    DomainResult {
        id: domain.id.clone(),
        number: domain.number,
        name: if en { domain.name_en.clone() } else { domain.name_nl.clone() },
        scored: domain.scored,
        active,
        active_from: domain.active_from.map(|d| d.to_string()),
        kpis,
        score_pct: score,
        weight_total,
        weight_with_data,
        weight_share_pct,
        little_data,
        band,
        band_malus_pct,
        malus_pct,
        escalation: applied && band.is_some_and(|b| scoring.bands[b].escalation),
        invoice_amount_eur: domain.invoice_amount_eur,
        malus_eur: match (malus_pct, domain.invoice_amount_eur) {
            (Some(m), Some(a)) => Some(a * m / 100.0),
            _ => None,
        },
        status: status.into(),
    }
}

/// The achievement of a figure against the KPI's norm: per priority combined as the figure
/// says (mean or lowest of the priorities' own achievements), else of the measured value;
/// reachability the lower of its two parts.
pub fn figure_achievement(f: &Figure, norm: f64, second_norm: Option<f64>, direction: Direction, cap: Option<f64>) -> f64 {
    let parts = || f.per_priority.iter().map(|p| p.achievement_pct);
    let a = match f.combination {
        Some(PriorityCombination::PerPriorityMean) if !f.per_priority.is_empty() => {
            parts().sum::<f64>() / f.per_priority.len() as f64
        }
        Some(PriorityCombination::PerPriorityMin) if !f.per_priority.is_empty() => parts().fold(f64::INFINITY, f64::min),
        _ => achievement(f.measured, norm, direction, cap),
    };
    match (f.second_measured, second_norm) {
        (Some(m2), Some(n2)) => a.min(achievement(m2, n2, direction, cap)),
        _ => a,
    }
}

fn kpi_result(k: &Kpi, figure: KpiFigure, cap: Option<f64>, en: bool) -> KpiResult {
    let (figure, not_yet) = match figure {
        KpiFigure::Figure(f) => (Some(f), false),
        KpiFigure::NoData => (None, false),
        KpiFigure::NotYetMeasured => (None, true),
    };
    let achievement_pct = match (&figure, k.norm) {
        (Some(f), Some(norm)) => Some(figure_achievement(f, norm, k.second_norm, k.direction, cap)),
        _ => None,
    };
    let status = match (&figure, k.norm) {
        (None, _) if not_yet => "not_yet_measured",
        (None, _) => "no_data",
        (Some(_), None) => "count_only",
        (Some(_), Some(_)) => "scored",
    };
    KpiResult {
        id: k.id.clone(),
        name: if en { k.name_en.clone() } else { k.name_nl.clone() },
        norm_text: if en { k.norm_en.clone() } else { k.norm_nl.clone() },
        norm: k.norm,
        direction: k.direction,
        unit: k.unit,
        weight: k.weight,
        frequency: k.frequency,
        contract_source: k.source,
        second_norm: k.second_norm,
        figure,
        achievement_pct,
        status: status.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::LoadedContract;

    fn fig(measured: f64) -> KpiFigure {
        KpiFigure::Figure(Figure::value(measured, "measurement", String::new(), String::new()))
    }
    const NONE: KpiFigure = KpiFigure::NoData;

    fn domain(id: &str) -> (Domain, Scoring) {
        let c = LoadedContract::embedded().contract;
        (c.domains.iter().find(|d| d.id == id).unwrap().clone(), c.scoring.clone())
    }

    /// The guideline's worked example (§9): 93.8 × 0.25 + 97.1 × 0.40 + 98 × 0.25 + 50 × 0.10
    /// = 91.79 % → malus 0.5 %.
    #[test]
    fn guideline_worked_example() {
        let (d, s) = domain("service_desk");
        let mut reach = fig(75.0);
        if let KpiFigure::Figure(f) = &mut reach {
            f.second_measured = Some(100.0);
        }
        let r = score_domain(&d, vec![reach, fig(68.0), fig(98.0), fig(1.0)], &s, true, Lang::Nl);
        let a: Vec<f64> = r.kpis.iter().map(|k| k.achievement_pct.unwrap()).collect();
        assert!((a[0] - 93.75).abs() < 1e-9);
        assert!((a[1] - 97.142857142857).abs() < 1e-9);
        assert!((a[2] - 98.0).abs() < 1e-9);
        assert!((a[3] - 50.0).abs() < 1e-9);
        let score = r.score_pct.unwrap();
        assert_eq!(format!("{score:.2}"), "91.79");
        assert_eq!(r.malus_pct, Some(0.5));
        assert!(!r.escalation);
    }

    fn score_of(target: f64) -> DomainResult {
        // Domain 6's three KPIs, with norms of 100 so the measured value is the achievement.
        let (mut d, s) = domain("improvement_reporting");
        for k in &mut d.kpis {
            k.norm = Some(100.0);
        }
        let figs = (0..3).map(|_| fig(target)).collect();
        score_domain(&d, figs, &s, true, Lang::Nl)
    }

    #[test]
    fn staircase_band_boundaries() {
        let cases = [
            (100.0, 0.0, false),
            (95.0, 0.0, false),
            (94.99, 0.5, false),
            (90.0, 0.5, false),
            (89.99, 1.0, false),
            (80.0, 1.0, false),
            (79.99, 2.0, true),
            (10.0, 2.0, true),
        ];
        for (score, malus, escalation) in cases {
            let r = score_of(score);
            assert!((r.score_pct.unwrap() - score).abs() < 1e-9, "{score}");
            assert_eq!(r.malus_pct, Some(malus), "score {score}");
            assert_eq!(r.escalation, escalation, "score {score}");
        }
    }

    #[test]
    fn staircase_uses_the_unrounded_score() {
        // 94.996 displays as 95,00 % but is below the band.
        let r = score_of(94.996);
        assert_eq!(format!("{:.2}", r.score_pct.unwrap()), "95.00");
        assert_eq!(r.malus_pct, Some(0.5));
    }

    #[test]
    fn at_most_norms() {
        // Failed changes, norm < 3 %.
        assert_eq!(achievement(0.0, 3.0, Direction::AtMost, Some(100.0)), 100.0);
        assert_eq!(achievement(3.0, 3.0, Direction::AtMost, Some(100.0)), 100.0);
        assert_eq!(achievement(6.0, 3.0, Direction::AtMost, Some(100.0)), 50.0);
        assert_eq!(achievement(1.5, 3.0, Direction::AtMost, None), 200.0);
    }

    #[test]
    fn the_cap() {
        assert_eq!(achievement(90.0, 70.0, Direction::AtLeast, Some(100.0)), 100.0);
        assert!((achievement(90.0, 70.0, Direction::AtLeast, None) - 128.571428).abs() < 1e-5);
        assert_eq!(achievement(1.0, 0.0, Direction::AtLeast, Some(100.0)), 100.0);
    }

    #[test]
    fn no_data_is_left_out_with_its_weight() {
        let (d, s) = domain("service_desk");
        // Only FCR (weight 40) and training (weight 10) have data.
        let r = score_domain(&d, vec![NONE, fig(70.0), NONE, fig(1.0)], &s, true, Lang::Nl);
        assert_eq!(r.kpis[0].status, "no_data");
        assert_eq!(r.kpis[0].achievement_pct, None);
        assert_eq!(r.weight_with_data, 50.0);
        assert_eq!(r.weight_total, 100.0);
        assert!((r.score_pct.unwrap() - (100.0 * 40.0 + 50.0 * 10.0) / 50.0).abs() < 1e-9);
        let none = score_domain(&d, vec![NONE, NONE, NONE, NONE], &s, true, Lang::Nl);
        assert_eq!((none.score_pct, none.status.as_str(), none.malus_pct), (None, "no_data", None));
    }

    #[test]
    fn inactive_and_unscored_domains() {
        let (d, s) = domain("identity_access");
        let r = score_domain(&d, vec![fig(99.0), fig(100.0), fig(99.9)], &s, false, Lang::Nl);
        assert_eq!((r.status.as_str(), r.score_pct, r.malus_pct), ("not_active", None, None));
        let (d7, s) = domain("other");
        let r = score_domain(&d7, vec![fig(100.0), fig(2.0)], &s, true, Lang::Nl);
        assert_eq!((r.status.as_str(), r.score_pct), ("unscored", None));
        assert_eq!(r.kpis[1].status, "count_only");
    }

    #[test]
    fn weights_that_do_not_add_up_to_100_divide_by_their_sum() {
        // Domain 4's weights add up to 105.
        let (d, s) = domain("workplace_devices");
        let r = score_domain(&d, vec![fig(100.0), fig(95.0 * 0.9), fig(100.0)], &s, true, Lang::Nl);
        assert_eq!(r.weight_total, 105.0);
        let expected = (100.0 * 45.0 + 90.0 * 35.0 + 100.0 * 25.0) / 105.0;
        assert!((r.score_pct.unwrap() - expected).abs() < 1e-9);
    }

    /// Under the contract's minimum share of the weight (50 %) the band is shown but its
    /// malus is not applied, unless the contract says so; at exactly 50 % it is applied.
    #[test]
    fn too_little_data_keeps_the_band_but_not_the_malus() {
        let (d, mut s) = domain("service_desk");
        // FCR only (40 of 100): 60/70 = 85.71 % → band 1 %.
        let r = score_domain(&d, vec![NONE, fig(60.0), NONE, NONE], &s, true, Lang::Nl);
        assert_eq!((r.weight_share_pct, r.little_data), (Some(40.0), true));
        assert_eq!((r.band_malus_pct, r.malus_pct, r.escalation), (Some(1.0), None, false));
        // FCR and training (50 of 100): applied.
        let r = score_domain(&d, vec![NONE, fig(60.0), NONE, fig(0.0)], &s, true, Lang::Nl);
        assert_eq!((r.weight_share_pct, r.little_data), (Some(50.0), false));
        assert!(r.malus_pct.is_some());
        s.malus_with_little_data = true;
        let r = score_domain(&d, vec![NONE, fig(60.0), NONE, NONE], &s, true, Lang::Nl);
        assert_eq!((r.little_data, r.malus_pct), (true, Some(1.0)));
        // Escalation follows the malus: below 80 % on too little data, none.
        s.malus_with_little_data = false;
        let r = score_domain(&d, vec![NONE, fig(10.0), NONE, NONE], &s, true, Lang::Nl);
        assert_eq!((r.band_malus_pct, r.malus_pct, r.escalation), (Some(2.0), None, false));
    }

    #[test]
    fn malus_in_euros() {
        let (mut d, s) = domain("service_desk");
        d.invoice_amount_eur = Some(10_000.0);
        // FCR 60/70 = 85.71 % (40), hand-over 85 % (25): 85.45 % on 65 of 100 weight → 1 %.
        let r = score_domain(&d, vec![NONE, fig(60.0), fig(85.0), NONE], &s, true, Lang::Nl);
        assert_eq!(r.malus_eur, Some(100.0));
    }
}
