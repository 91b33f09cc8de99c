//! The "Interpretaties" box: every contract reading that changes a figure, with the figure the
//! other reading would give (spec §7).
//!
//! The guideline leaves several readings open, and a report that settles a malus must not
//! settle them silently. For domain 2 (incident & problem) these are: the 95 % norm of the
//! response and resolution KPIs (the guideline names only the targets), how the priorities
//! combine (per priority or pooled), and §5.1's incident targets where §9's KPI table gives
//! others; for the trend report, what makes two incidents "the same issue". Each is computed
//! here from the same counts as the figure in force, so the two differ only by the reading.

use crate::contract::{Kpi, PriorityCombination, RecurringKey, Target};
use crate::evaluate::Evaluation;
use crate::kpi::compute::{met_of, per_priority_figure, priority_counts, KpiInputs, PriorityCounts, Window};
use crate::kpi::{achievement, figure_achievement, DomainResult, KpiResult, KpiSection};
use crate::report::model::Interpretation;
use crate::ticket::{Priority, Ticket};

/// The domain score with one KPI's achievement replaced (`None`: the KPI has no data then).
fn rescore(d: &DomainResult, kpi: &str, achievement: Option<f64>) -> Option<f64> {
    if d.score_pct.is_none() {
        return None;
    }
    let (mut sum, mut weights) = (0.0, 0.0);
    for k in &d.kpis {
        let a = if k.id == kpi { achievement } else { k.achievement_pct };
        if let (Some(w), Some(a)) = (k.weight, a) {
            sum += w * a;
            weights += w;
        }
    }
    (weights > 0.0).then(|| sum / weights)
}

fn blank(topic: &str, k: &KpiResult) -> Interpretation {
    Interpretation {
        topic: topic.into(),
        kpi: Some(k.id.clone()),
        kpi_name: Some(k.name.clone()),
        priority: None,
        in_force: String::new(),
        alternative: String::new(),
        target_minutes: None,
        alternative_target_minutes: None,
        value: k.achievement_pct,
        alternative_value: None,
        domain_score: None,
        alternative_domain_score: None,
        top: Vec::new(),
        alternative_top: Vec::new(),
    }
}

/// The readings of domain 2's response and resolution KPIs, and the recurring-issue key.
/// `top` and `alternative_top` are the top three under the key in force and the other key.
pub fn interpretations(
    section: &KpiSection,
    inp: &KpiInputs,
    top: (RecurringKey, Vec<String>),
    alternative_top: Vec<String>,
) -> Vec<Interpretation> {
    let c = inp.contract;
    let cap = c.contract.scoring.achievement_cap_pct;
    let combination = c.contract.rules.priority_combination;
    let clock = &c.clock;
    let w = Window { start: inp.period.start_instant(clock), end: inp.period.end_instant(clock) };
    let mut out = Vec::new();
    let table = c.contract.domains.iter().flat_map(|d| &d.kpis).find_map(|k| k.kpi_table_targets.as_ref());
    for d in &section.domains {
        for k in d.kpis.iter().filter(|k| k.id == "response_time" || k.id == "resolution_time") {
            let Some(kpi) = c.contract.domains.iter().flat_map(|d| &d.kpis).find(|x| x.id == k.id) else { continue };
            let Some(f) = k.figure.as_ref().filter(|f| f.combination.is_some() && !f.overrides_computed) else { continue };
            let response = k.id == "response_time";
            let norm = kpi.norm.unwrap_or(100.0);
            let score = d.score_pct;
            // The norm: the guideline names the targets only; 95 % within them is a reading.
            if norm < 100.0 {
                let mut alt = f.clone();
                for p in &mut alt.per_priority {
                    p.achievement_pct = achievement(p.measured, 100.0, kpi.direction, cap);
                }
                let a = figure_achievement(&alt, 100.0, None, kpi.direction, cap);
                out.push(Interpretation {
                    in_force: format!("{norm}"),
                    alternative: "100".into(),
                    alternative_value: Some(a),
                    domain_score: score,
                    alternative_domain_score: rescore(d, &k.id, Some(a)),
                    ..blank("norm", k)
                });
            }
            // Per priority or pooled.
            let other = if combination == PriorityCombination::Pooled { PriorityCombination::PerPriorityMean } else { PriorityCombination::Pooled };
            let mut alt = f.clone();
            alt.combination = Some(other);
            if let (PriorityCombination::Pooled, Some(n), Some(d)) = (other, f.numerator, f.denominator) {
                alt.measured = n as f64 * 100.0 / d as f64;
            }
            let a = figure_achievement(&alt, norm, None, kpi.direction, cap);
            out.push(Interpretation {
                in_force: combination.key().into(),
                alternative: other.key().into(),
                alternative_value: Some(a),
                domain_score: score,
                alternative_domain_score: rescore(d, &k.id, Some(a)),
                ..blank("combination", k)
            });
            // §5.1's incident targets where §9's KPI table differs.
            if let Some(table) = table {
                out.extend(target_readings(d, k, kpi, inp, &w, response, table));
            }
        }
    }
    // A reading that changes no figure this month has nothing to say.
    let differs = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() > 1e-9,
        (a, b) => a.is_some() != b.is_some(),
    };
    out.retain(|i| differs(i.value, i.alternative_value) || differs(i.domain_score, i.alternative_domain_score));
    let other_key = match top.0 {
        RecurringKey::CategorySubcategory => RecurringKey::Category,
        RecurringKey::Category => RecurringKey::CategorySubcategory,
    };
    if top.1 != alternative_top {
        out.push(Interpretation {
            topic: "recurring_key".into(),
            kpi: None,
            kpi_name: None,
            priority: None,
            in_force: key_name(top.0).into(),
            alternative: key_name(other_key).into(),
            target_minutes: None,
            alternative_target_minutes: None,
            value: None,
            alternative_value: None,
            domain_score: None,
            alternative_domain_score: None,
            top: top.1,
            alternative_top,
        });
    }
    out
}

pub fn key_name(k: RecurringKey) -> &'static str {
    match k {
        RecurringKey::CategorySubcategory => "category_subcategory",
        RecurringKey::Category => "category",
    }
}

/// For each priority whose target in §9's KPI table differs from the contract's: the
/// priority's attainment in force and under the table's target, and domain 2's score then.
fn target_readings(
    d: &DomainResult,
    k: &KpiResult,
    kpi: &Kpi,
    inp: &KpiInputs,
    w: &Window,
    response: bool,
    table: &crate::contract::TargetTable,
) -> Vec<Interpretation> {
    let c = inp.contract;
    let minutes = |t: Target| if response { t.response_minutes } else { t.resolution_minutes };
    let clock = &c.clock;
    let cutoff = w.end;
    let judge_with = |alt: [i64; 4]| {
        move |t: &Ticket, e: &Evaluation, response: bool| {
            let m = if response { &e.response } else { &e.resolution };
            let target = alt[t.priority as usize] * 60;
            match m.business_seconds {
                Some(secs) => Some(secs <= target),
                // Not happened yet: breached once the time so far is past the target.
                None => (clock.business_seconds(t.opened_at, cutoff) > target).then_some(false),
            }
        }
    };
    let in_force: [i64; 4] = Priority::ALL.map(|p| minutes(c.target(crate::ticket::TicketType::Incident, p)));
    let in_table: [i64; 4] = Priority::ALL.map(|p| minutes(table.get(p)));
    if in_force == in_table {
        return Vec::new();
    }
    let counts_now: PriorityCounts = priority_counts(inp, w, response, |_, e, r| met_of(if r { e.response.status } else { e.resolution.status }));
    let counts_alt: PriorityCounts = priority_counts(inp, w, response, judge_with(in_table));
    let cap = c.contract.scoring.achievement_cap_pct;
    let combination = c.contract.rules.priority_combination;
    let alt_achievement = per_priority_figure(&counts_alt, kpi, cap, combination, inp.tickets_file)
        .map(|f| figure_achievement(&f, kpi.norm.unwrap_or(100.0), None, kpi.direction, cap));
    let alt_score = rescore(d, &k.id, alt_achievement);
    let pct = |(n, d): (u64, u64)| (d > 0).then(|| n as f64 * 100.0 / d as f64);
    Priority::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| in_force[*i] != in_table[*i])
        .map(|(i, p)| Interpretation {
            priority: Some(p.key().into()),
            in_force: "section_5_1".into(),
            alternative: "section_9".into(),
            target_minutes: Some(in_force[i]),
            alternative_target_minutes: Some(in_table[i]),
            value: pct(counts_now[i]),
            alternative_value: pct(counts_alt[i]),
            domain_score: d.score_pct,
            alternative_domain_score: alt_score,
            ..blank("targets", k)
        })
        .collect()
}
