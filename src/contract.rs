//! The contract as data: priority matrix, targets, service calendar and counting rules.
//!
//! Everything the guideline fixes in numbers lives in a TOML file, so another school board's
//! contract is a file, not a code change. The guideline's own values are embedded
//! (`contracts/dhs.toml`); `--contract FILE`, or `contract.toml` in the data folder, replaces
//! them as a whole. Parsing is strict: an unknown key, a missing priority, a negative target
//! or a window that ends before it starts is an error that names the key.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::clock::{BusinessClock, HolidayRule};
use crate::error::{Error, Result};
use crate::ticket::{Level, Priority, TicketType};

/// The guideline's contract, embedded in the binary.
pub const DEFAULT_CONTRACT: &str = include_str!("../contracts/dhs.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    pub parties: Parties,
    pub priority_matrix: PriorityMatrix,
    pub calendar: Calendar,
    pub targets: Targets,
    pub rules: Rules,
    pub scoring: Scoring,
    pub domains: Vec<Domain>,
}

/// How KPI achievements become a domain score and a malus (§9).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Achievement is capped at this percentage; `None` (key left out) means no cap.
    pub achievement_cap_pct: Option<f64>,
    /// The malus staircase, highest minimum first.
    pub bands: Vec<MalusBand>,
    /// A domain score resting on less than this share of the domain's weight (in percent) is
    /// shown with its band but marked as resting on too little data.
    #[serde(default = "fifty")]
    pub min_weight_share_pct: f64,
    /// Whether the malus of such a score is applied all the same (default: not applied).
    #[serde(default)]
    pub malus_with_little_data: bool,
}

fn fifty() -> f64 {
    50.0
}

/// How the per-priority attainments of domain 2's response and resolution KPIs become one
/// achievement ("Reactietijd per prioriteit", §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityCombination {
    /// Each priority with tickets is judged against the norm; the KPI's achievement is the
    /// mean of their achievements (each priority counts equally).
    #[default]
    PerPriorityMean,
    /// The lowest achievement of the priorities with tickets.
    PerPriorityMin,
    /// All incidents pooled against the norm, whatever their priority.
    Pooled,
}

impl PriorityCombination {
    pub const ALL: [PriorityCombination; 3] = [Self::PerPriorityMean, Self::PerPriorityMin, Self::Pooled];

    pub fn key(self) -> &'static str {
        match self {
            Self::PerPriorityMean => "per_priority_mean",
            Self::PerPriorityMin => "per_priority_min",
            Self::Pooled => "pooled",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MalusBand {
    pub min_score_pct: f64,
    pub malus_pct: f64,
    #[serde(default)]
    pub escalation: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub number: u32,
    pub name_nl: String,
    pub name_en: String,
    /// `false`: the KPIs are shown, not scored (domain 7).
    #[serde(default = "yes")]
    pub scored: bool,
    /// The first day the domain counts; before it the domain is "not yet active".
    pub active_from: Option<NaiveDate>,
    /// The quarterly invoice amount for the domain's service, to show a malus in euros.
    pub invoice_amount_eur: Option<f64>,
    pub kpis: Vec<Kpi>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Percent,
    Count,
    Hours,
}

impl Unit {
    /// The values a figure in this unit can take: a percentage 0–100, a count or a number of
    /// hours from 0 to a bound no real figure reaches. Measurements and norms outside it are
    /// refused when read.
    pub fn range(self) -> (f64, f64) {
        match self {
            Unit::Percent => (0.0, 100.0),
            Unit::Count => (0.0, 1e9),
            Unit::Hours => (0.0, 1e6),
        }
    }
}

/// The longest target in the contract: a year, in minutes.
pub const MAX_TARGET_MINUTES: i64 = 525_600;
/// The most workdays a contract term (RCA, report, standard change) may have: a year's.
pub const MAX_TERM_WORKDAYS: u32 = 260;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    PerIncident,
    Mixed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiSource {
    Tickets,
    Calls,
    Measurement,
    Report,
    /// The provider's logs: `verbeteracties.csv` (improvement actions), `klachten.csv`
    /// (complaints); a measurement still overrides.
    Log,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    pub id: String,
    pub name_nl: String,
    pub name_en: String,
    pub norm_nl: String,
    pub norm_en: String,
    /// The norm value; `None` for a KPI that is only counted (complaints).
    pub norm: Option<f64>,
    pub direction: Direction,
    pub unit: Unit,
    /// Weight in the domain score; `None` in an unscored domain.
    pub weight: Option<f64>,
    pub frequency: Frequency,
    /// Where the figure comes from; `None` is a finding of the contract check.
    pub source: Option<KpiSource>,
    /// Reachability: answered within this many seconds counts (part 1).
    pub within_seconds: Option<u32>,
    /// Reachability: the second part's threshold and norm.
    pub second_within_seconds: Option<u32>,
    pub second_norm: Option<f64>,
    /// Hand-over: within this many business minutes.
    pub within_business_minutes: Option<i64>,
    /// Standard changes: within this many workdays.
    pub within_workdays: Option<u32>,
    /// The incident targets as the guideline's KPI table states them, for the contract check.
    pub kpi_table_targets: Option<TargetTable>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parties {
    pub client: String,
    pub provider: String,
    pub contract_name: String,
}

/// `priority_matrix.<impact>.<urgency>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityMatrix {
    pub high: MatrixRow,
    pub medium: MatrixRow,
    pub low: MatrixRow,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixRow {
    pub high: Priority,
    pub medium: Priority,
    pub low: Priority,
}

impl PriorityMatrix {
    pub fn priority(&self, impact: Level, urgency: Level) -> Priority {
        let row = match impact {
            Level::High => &self.high,
            Level::Medium => &self.medium,
            Level::Low => &self.low,
        };
        match urgency {
            Level::High => row.high,
            Level::Medium => row.medium,
            Level::Low => row.low,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    pub time_zone: String,
    pub workdays: Vec<String>,
    pub window_start: String,
    pub window_end: String,
    pub holiday_rules: Vec<HolidayRule>,
    #[serde(default)]
    pub extra_closed_days: Vec<NaiveDate>,
    #[serde(default)]
    pub open_days: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub response_minutes: i64,
    pub resolution_minutes: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetTable {
    #[serde(rename = "P1")]
    pub p1: Target,
    #[serde(rename = "P2")]
    pub p2: Target,
    #[serde(rename = "P3")]
    pub p3: Target,
    #[serde(rename = "P4")]
    pub p4: Target,
}

impl TargetTable {
    pub fn get(&self, p: Priority) -> Target {
        match p {
            Priority::P1 => self.p1,
            Priority::P2 => self.p2,
            Priority::P3 => self.p3,
            Priority::P4 => self.p4,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub incident: TargetTable,
    pub service_request: TargetTable,
    pub change: TargetTable,
}

impl Targets {
    pub fn get_table(&self, t: TicketType) -> &TargetTable {
        match t {
            TicketType::Incident => &self.incident,
            TicketType::ServiceRequest => &self.service_request,
            TicketType::Change => &self.change,
        }
    }

    pub fn get(&self, t: TicketType, p: Priority) -> Target {
        match t {
            TicketType::Incident => self.incident.get(p),
            TicketType::ServiceRequest => self.service_request.get(p),
            TicketType::Change => self.change.get(p),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecurringKey {
    CategorySubcategory,
    Category,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub p1_by_phone: bool,
    pub missing_response_uses_resolution: bool,
    pub rca_due_workdays: u32,
    pub report_due_workdays: u32,
    pub recurring_issue_key: RecurringKey,
    /// Domain 2's response and resolution KPIs per priority: how the priorities combine.
    #[serde(default)]
    pub priority_combination: PriorityCombination,
    /// A KPI below its norm or a P1 breach without an explanation in `toelichting/` makes the
    /// report a draft (CONCEPT, exit 1).
    #[serde(default)]
    pub require_explanations: bool,
}

/// Where the effective contract came from, for messages and the report's colophon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractSource {
    Embedded,
    File(PathBuf),
}

impl std::fmt::Display for ContractSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContractSource::Embedded => write!(f, "embedded (DHS guideline)"),
            ContractSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A parsed and validated contract, with its business clock built.
#[derive(Debug, Clone)]
pub struct LoadedContract {
    pub contract: Contract,
    pub source: ContractSource,
    /// The TOML text it was read from (hashed into the manifest).
    pub text: String,
    pub tz: Tz,
    pub clock: BusinessClock,
}

/// Years for which the holiday rules are expanded. Reports outside it are refused.
pub const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The KPIs counted from the provider's logs (`source = "log"`).
pub const LOG_KPIS: &[&str] = &["improvement_actions", "complaints"];

impl LoadedContract {
    /// The contract to use: `explicit` if given, else `contract.toml` in the data folder if it
    /// exists, else the embedded guideline.
    pub fn resolve(explicit: Option<&Path>, data_dir: Option<&Path>) -> Result<Self> {
        let path = match (explicit, data_dir) {
            (Some(p), _) => Some(p.to_path_buf()),
            (None, Some(d)) if d.join("contract.toml").is_file() => Some(d.join("contract.toml")),
            _ => None,
        };
        match path {
            Some(p) => {
                // A regular file only (a named pipe must not hang a scheduled run), bounded.
                let text = crate::limits::read_text_file(&p, crate::limits::MAX_SMALL_FILE_BYTES, "contract").map_err(|e| {
                    e.with_hint("pass an existing TOML file with --contract, or leave it out to use the guideline's contract")
                })?;
                Self::parse(&text, ContractSource::File(p))
            }
            None => Self::parse(DEFAULT_CONTRACT, ContractSource::Embedded),
        }
    }

    pub fn embedded() -> Self {
        Self::parse(DEFAULT_CONTRACT, ContractSource::Embedded).expect("embedded contract is valid")
    }

    pub fn parse(text: &str, source: ContractSource) -> Result<Self> {
        let contract: Contract = toml::from_str(text).map_err(|e| {
            Error::new(format!("contract {source}: {}", e.to_string().trim_end()))
                .with_hint("compare with the embedded contract: `slarapport contract --toml` prints it")
        })?;
        let invalid = |key: &str, msg: String| {
            Error::new(format!("contract {source}: `{key}` {msg}"))
                .with_hint("fix that key in the contract file")
        };
        for ty in TicketType::ALL {
            check_targets(&contract.targets.get_table(ty), &format!("targets.{}", ty.key()), &invalid)?;
        }
        for (key, v) in [("rules.rca_due_workdays", contract.rules.rca_due_workdays), ("rules.report_due_workdays", contract.rules.report_due_workdays)] {
            check_workdays(key, v, &invalid)?;
        }
        validate_domains(&contract, &invalid)?;
        let share = contract.scoring.min_weight_share_pct;
        if !(0.0..=100.0).contains(&share) {
            return Err(invalid(
                "scoring.min_weight_share_pct",
                format!("is {share}; give a share of the domain's weight from 0 to 100 (percent)"),
            ));
        }
        let cal = &contract.calendar;
        let tz: Tz = cal.time_zone.parse().map_err(|_| {
            invalid("calendar.time_zone", format!("\"{}\" is not an IANA time zone such as \"Europe/Amsterdam\"", cal.time_zone))
        })?;
        // Seconds of the day; the window may end at 24:00 (a window all day long).
        let time = |key: &str, s: &str, midnight: bool| {
            if midnight && s.trim() == "24:00" {
                return Ok(86_400);
            }
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map(|t| i64::from(chrono::Timelike::num_seconds_from_midnight(&t)))
                .map_err(|_| invalid(key, format!("\"{s}\" is not a time as \"HH:MM\" (the window may end at \"24:00\")")))
        };
        let start = time("calendar.window_start", &cal.window_start, false)?;
        let end = time("calendar.window_end", &cal.window_end, true)?;
        if end <= start {
            return Err(invalid(
                "calendar.window_end",
                format!("({}) must be later than calendar.window_start ({})", cal.window_end, cal.window_start),
            ));
        }
        let mut workdays = [false; 7];
        for name in &cal.workdays {
            let i = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .position(|d| d.eq_ignore_ascii_case(name))
                .ok_or_else(|| invalid("calendar.workdays", format!("has \"{name}\"; use mon, tue, wed, thu, fri, sat or sun")))?;
            workdays[i] = true;
        }
        if !workdays.iter().any(|w| *w) {
            return Err(invalid("calendar.workdays", "is empty; name at least one workday".into()));
        }
        let open: BTreeSet<NaiveDate> = cal.open_days.iter().copied().collect();
        let closed = CALENDAR_YEARS
            .flat_map(|y| cal.holiday_rules.iter().filter_map(move |r| r.date_in(y)))
            .chain(cal.extra_closed_days.iter().copied())
            .filter(|d| !open.contains(d));
        let clock = BusinessClock::with_window(tz, start, end, workdays, closed);
        if let Some(conflict) = clock.window_conflict() {
            return Err(invalid("calendar.window_start", conflict.to_string()));
        }
        Ok(LoadedContract { contract, source, text: text.to_string(), tz, clock })
    }

    pub fn target(&self, t: TicketType, p: Priority) -> Target {
        self.contract.targets.get(t, p)
    }
}

/// Something in a valid contract that a person should look at (`slarapport contract`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub key: String,
    pub message: String,
}

/// KPI ids whose figure slarapport computes itself (source `tickets`, `calls` or `report`).
pub const COMPUTED_KPIS: &[&str] = &[
    "reachability", "first_contact_resolution", "handover_on_time", "response_time",
    "resolution_time", "rca_on_time", "trend_report", "standard_changes_on_time",
    "non_standard_cab_approved", "failed_changes", "onsite_within_target",
];

impl LoadedContract {
    /// The contract check: weights that do not add up to 100, incident targets that differ
    /// from the KPI table, KPIs without a data source.
    pub fn findings(&self) -> Vec<Finding> {
        let c = &self.contract;
        let mut out = Vec::new();
        for (d, domain) in c.domains.iter().enumerate() {
            if domain.scored {
                let sum: f64 = domain.kpis.iter().filter_map(|k| k.weight).sum();
                if (sum - 100.0).abs() > 1e-9 {
                    out.push(Finding {
                        key: format!("domains[{d}] ({})", domain.id),
                        message: format!(
                            "the weights of domain {} ({}) add up to {sum}, not 100; scores divide by {sum}",
                            domain.number, domain.name_en
                        ),
                    });
                }
            }
            for (k, kpi) in domain.kpis.iter().enumerate() {
                let key = format!("domains[{d}].kpis[{k}] ({})", kpi.id);
                match kpi.source {
                    None => out.push(Finding { key, message: "has no data source (source = tickets, calls, measurement, report or log)".into() }),
                    Some(KpiSource::Log) if !LOG_KPIS.contains(&kpi.id.as_str()) => {
                        out.push(Finding { key, message: format!("slarapport keeps no log for \"{}\"; use source = \"measurement\" (logs count {})", kpi.id, LOG_KPIS.join(" and ")) })
                    }
                    Some(KpiSource::Tickets | KpiSource::Calls | KpiSource::Report) if !COMPUTED_KPIS.contains(&kpi.id.as_str()) => {
                        out.push(Finding { key, message: format!("slarapport cannot compute \"{}\" from tickets or calls; use source = \"measurement\"", kpi.id) })
                    }
                    _ => {
                        if let Some(table) = &kpi.kpi_table_targets {
                            for p in Priority::ALL {
                                let (ours, theirs) = (c.targets.incident.get(p), table.get(p));
                                for (what, a, b) in [
                                    ("response", ours.response_minutes, theirs.response_minutes),
                                    ("resolution", ours.resolution_minutes, theirs.resolution_minutes),
                                ] {
                                    if a != b {
                                        out.push(Finding {
                                            key: format!("targets.incident.{}.{what}_minutes", p.key()),
                                            message: format!(
                                                "incident {} {what} target is {} here but {} in the KPI table of {}; the targets table counts",
                                                p.key(), minutes_text(a), minutes_text(b), kpi.id
                                            ),
                                        });
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

/// `90 min`, `4 h`, `2 h 30 min`.
pub fn minutes_text(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, r) => format!("{r} min"),
        (h, 0) => format!("{h} h"),
        (h, r) => format!("{h} h {r} min"),
    }
}

type Invalid<'a> = &'a dyn Fn(&str, String) -> Error;

/// Every target of a table (`key` e.g. `targets.incident`) from 0 to a year of minutes.
fn check_targets(table: &TargetTable, key: &str, invalid: Invalid) -> Result<()> {
    for p in Priority::ALL {
        let t = table.get(p);
        for (field, v) in [("response_minutes", t.response_minutes), ("resolution_minutes", t.resolution_minutes)] {
            check_minutes(&format!("{key}.{}.{field}", p.key()), v, invalid)?;
        }
    }
    Ok(())
}

fn check_minutes(key: &str, v: i64, invalid: Invalid) -> Result<()> {
    if (0..=MAX_TARGET_MINUTES).contains(&v) {
        return Ok(());
    }
    Err(invalid(key, format!("is {v}; a target must be 0 to {MAX_TARGET_MINUTES} minutes (a year)")))
}

fn check_workdays(key: &str, v: u32, invalid: Invalid) -> Result<()> {
    if v <= MAX_TERM_WORKDAYS {
        return Ok(());
    }
    Err(invalid(key, format!("is {v}; a term must be 0 to {MAX_TERM_WORKDAYS} workdays (a year)")))
}

/// A number from `min` to `max` (a NaN or an infinity is neither).
fn check_number(key: &str, v: f64, min: f64, max: f64, invalid: Invalid) -> Result<()> {
    if v.is_finite() && (min..=max).contains(&v) {
        return Ok(());
    }
    Err(invalid(key, format!("is {v}; it must be a number from {min} to {max}")))
}

fn validate_domains(c: &Contract, invalid: Invalid) -> Result<()> {
    let bands = &c.scoring.bands;
    if bands.is_empty() {
        return Err(invalid("scoring.bands", "is empty; give at least one band (min_score_pct = 0.0)".into()));
    }
    for (i, b) in bands.iter().enumerate() {
        check_number(&format!("scoring.bands[{i}].min_score_pct"), b.min_score_pct, 0.0, 100.0, invalid)?;
        check_number(&format!("scoring.bands[{i}].malus_pct"), b.malus_pct, 0.0, 100.0, invalid)?;
    }
    if let Some(cap) = c.scoring.achievement_cap_pct {
        check_number("scoring.achievement_cap_pct", cap, 100.0, 1000.0, invalid)
            .map_err(|e| e.with_hint("leave the key out for no cap"))?;
    }
    for (i, w) in bands.windows(2).enumerate() {
        if w[1].min_score_pct >= w[0].min_score_pct {
            return Err(invalid(
                &format!("scoring.bands[{}].min_score_pct", i + 1),
                "must be lower than the band before it (list the bands from the highest minimum down)".into(),
            ));
        }
    }
    if bands.last().is_some_and(|b| b.min_score_pct > 0.0) {
        return Err(invalid("scoring.bands", "must end with a band whose min_score_pct is 0.0, so every score has a band".into()));
    }
    let mut ids = BTreeSet::new();
    for (d, domain) in c.domains.iter().enumerate() {
        check_number(&format!("domains[{d}].number"), f64::from(domain.number), 0.0, 999.0, invalid)?;
        if let Some(eur) = domain.invoice_amount_eur {
            check_number(&format!("domains[{d}].invoice_amount_eur"), eur, 0.0, 1e12, invalid)?;
        }
        for (k, kpi) in domain.kpis.iter().enumerate() {
            let key = |f: &str| format!("domains[{d}].kpis[{k}].{f}");
            if !ids.insert(kpi.id.as_str()) {
                return Err(invalid(&key("id"), format!("\"{}\" is used twice; KPI ids must be unique", kpi.id)));
            }
            if let Some(w) = kpi.weight {
                check_number(&key("weight"), w, 0.0, 1000.0, invalid)?;
            } else if domain.scored {
                return Err(invalid(&key("weight"), "is missing; every KPI of a scored domain needs a weight".into()));
            }
            let (lo, hi) = kpi.unit.range();
            for (f, norm) in [("norm", kpi.norm), ("second_norm", kpi.second_norm)] {
                if let Some(n) = norm {
                    check_number(&key(f), n, lo, hi, invalid)?;
                }
            }
            for (f, secs) in [("within_seconds", kpi.within_seconds), ("second_within_seconds", kpi.second_within_seconds)] {
                if let Some(s) = secs {
                    check_number(&key(f), f64::from(s), 0.0, 86_400.0, invalid)?;
                }
            }
            if let Some(m) = kpi.within_business_minutes {
                check_minutes(&key("within_business_minutes"), m, invalid)?;
            }
            if let Some(n) = kpi.within_workdays {
                check_workdays(&key("within_workdays"), n, invalid)?;
            }
            if let Some(t) = &kpi.kpi_table_targets {
                check_targets(t, &key("kpi_table_targets"), invalid)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        LoadedContract::parse(text, ContractSource::Embedded).unwrap_err().to_string()
    }

    #[test]
    fn embedded_contract_matches_the_guideline() {
        let c = LoadedContract::embedded();
        let m = &c.contract.priority_matrix;
        use Level::*;
        use Priority::*;
        let expected = [
            (High, High, P1), (High, Medium, P2), (High, Low, P3),
            (Medium, High, P2), (Medium, Medium, P3), (Medium, Low, P4),
            (Low, High, P3), (Low, Medium, P4), (Low, Low, P4),
        ];
        for (i, u, p) in expected {
            assert_eq!(m.priority(i, u), p, "impact {i:?} × urgency {u:?}");
        }
        let t = |ty, p| c.target(ty, p);
        assert_eq!(t(TicketType::Incident, P2).resolution_minutes, 240);
        assert_eq!(t(TicketType::Incident, P3).response_minutes, 120);
        assert_eq!(t(TicketType::ServiceRequest, P2).resolution_minutes, 480);
        assert_eq!(t(TicketType::Change, P4).resolution_minutes, 2400);
        assert_eq!(t(TicketType::Incident, P1).response_minutes, 15);
    }

    #[test]
    fn guideline_contract_findings() {
        let f = LoadedContract::embedded().findings();
        let text: Vec<String> = f.iter().map(|x| format!("{}: {}", x.key, x.message)).collect();
        assert_eq!(f.len(), 3, "{text:#?}");
        assert!(text.iter().any(|t| t.contains("workplace_devices") && t.contains("105")), "{text:#?}");
        assert!(text.iter().any(|t| t.starts_with("targets.incident.P2.resolution_minutes") && t.contains("4 h") && t.contains("8 h")));
        assert!(text.iter().any(|t| t.starts_with("targets.incident.P3.response_minutes") && t.contains("2 h") && t.contains("4 h")));
    }

    #[test]
    fn kpi_without_source_is_a_finding() {
        let text = DEFAULT_CONTRACT.replacen("source = \"measurement\"\n", "", 1);
        let f = LoadedContract::parse(&text, ContractSource::Embedded).unwrap().findings();
        assert!(f.iter().any(|x| x.key.contains("training_sessions") && x.message.contains("no data source")), "{f:#?}");
    }

    #[test]
    fn unknown_key_is_named() {
        let text = DEFAULT_CONTRACT.replace("p1_by_phone = true", "p1_by_phone = true\nfoo = 1");
        assert!(err(&text).contains("foo"), "{}", err(&text));
    }

    #[test]
    fn missing_priority_is_named() {
        let text = DEFAULT_CONTRACT.replacen(
            "P3 = { response_minutes = 120, resolution_minutes = 960 }\n",
            "",
            1,
        );
        let e = err(&text);
        assert!(e.contains("P3"), "{e}");
    }

    #[test]
    fn negative_target_is_named() {
        let text = DEFAULT_CONTRACT.replace(
            "P2 = { response_minutes = 60, resolution_minutes = 240 }",
            "P2 = { response_minutes = 60, resolution_minutes = -5 }",
        );
        assert!(err(&text).contains("targets.incident.P2.resolution_minutes"), "{}", err(&text));
    }

    /// Every number a contract holds has a range, checked when it is read: the error names
    /// the key (issue 13 item 5: values that overflowed, panicked or gave every domain a malus).
    #[test]
    fn numbers_out_of_range_are_named() {
        let cases = [
            ("P2 = { response_minutes = 60, resolution_minutes = 240 }", "P2 = { response_minutes = 60, resolution_minutes = 9223372036854775807 }", "targets.incident.P2.resolution_minutes"),
            ("P1 = { response_minutes = 15, resolution_minutes = 120 }", "P1 = { response_minutes = 100000000000, resolution_minutes = 120 }", "P1.response_minutes"),
            ("rca_due_workdays = 5", "rca_due_workdays = 4294967295", "rules.rca_due_workdays"),
            ("report_due_workdays = 5", "report_due_workdays = 261", "rules.report_due_workdays"),
            ("{ min_score_pct = 90.0, malus_pct = 0.5 }", "{ min_score_pct = nan, malus_pct = 0.5 }", "scoring.bands[1].min_score_pct"),
            ("{ min_score_pct = 90.0, malus_pct = 0.5 }", "{ min_score_pct = 90.0, malus_pct = inf }", "scoring.bands[1].malus_pct"),
            ("{ min_score_pct = 90.0, malus_pct = 0.5 }", "{ min_score_pct = 190.0, malus_pct = 0.5 }", "scoring.bands[1].min_score_pct"),
            ("achievement_cap_pct = 100.0", "achievement_cap_pct = nan", "scoring.achievement_cap_pct"),
            ("achievement_cap_pct = 100.0", "achievement_cap_pct = 90.0", "scoring.achievement_cap_pct"),
            ("within_seconds = 20", "within_seconds = 4000000000", "within_seconds"),
            ("within_business_minutes = 240", "within_business_minutes = -1", "within_business_minutes"),
            ("within_workdays = 5", "within_workdays = 100000", "within_workdays"),
            ("second_norm = 100.0", "second_norm = 101.0", "second_norm"),
        ];
        for (from, to, key) in cases {
            assert!(DEFAULT_CONTRACT.contains(from), "{from}");
            let e = err(&DEFAULT_CONTRACT.replacen(from, to, 1));
            assert!(e.contains(key), "{to}: {e}");
        }
        // Weights and invoice amounts: NaN, infinity, negative, astronomic.
        let weight = DEFAULT_CONTRACT.find("weight = ").unwrap();
        let line_end = weight + DEFAULT_CONTRACT[weight..].find('\n').unwrap();
        for w in ["nan", "inf", "-1.0", "1e308"] {
            let text = format!("{}weight = {w}{}", &DEFAULT_CONTRACT[..weight], &DEFAULT_CONTRACT[line_end..]);
            let e = err(&text);
            assert!(e.contains("domains[0].kpis[0].weight"), "{w}: {e}");
        }
        let number = DEFAULT_CONTRACT.find("number = 1\n").unwrap();
        for eur in ["1e308", "nan", "-5.0"] {
            let text = format!("{}number = 1\ninvoice_amount_eur = {eur}\n{}", &DEFAULT_CONTRACT[..number], &DEFAULT_CONTRACT[number + 11..]);
            let e = err(&text);
            assert!(e.contains("domains[0].invoice_amount_eur"), "{eur}: {e}");
        }
    }

    /// The clock answers without a panic at the edges of what a contract may hold: the
    /// longest target in a one-minute window one day a week, the longest terms, at the end
    /// of the calendar's years.
    #[test]
    fn the_clock_holds_at_the_contract_limits() {
        let text = DEFAULT_CONTRACT
            .replace("window_end = \"17:00\"", "window_end = \"08:01\"")
            .replacen("workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "workdays = [\"sun\"]", 1)
            .replace("rca_due_workdays = 5", &format!("rca_due_workdays = {MAX_TERM_WORKDAYS}"));
        let c = LoadedContract::parse(&text, ContractSource::Embedded).unwrap();
        assert_eq!(c.clock.window_seconds(), 60);
        let end = NaiveDate::from_ymd_opt(*CALENDAR_YEARS.end(), 12, 31).unwrap();
        let late = end.and_hms_opt(23, 0, 0).unwrap().and_utc();
        let deadline = c.clock.add_business_seconds(late, MAX_TARGET_MINUTES * 60);
        assert_eq!(c.clock.business_seconds(late, deadline), MAX_TARGET_MINUTES * 60);
        assert!(c.clock.add_workdays(end, MAX_TERM_WORKDAYS) > end);
    }

    /// A 24/7 window (ending at 24:00) is a contract; a window whose edge falls in the hour
    /// the clocks change is refused, naming the key.
    #[test]
    fn a_window_all_day_and_a_window_edge_in_a_clock_change() {
        let all_day = DEFAULT_CONTRACT
            .replace("window_start = \"08:00\"", "window_start = \"00:00\"")
            .replace("window_end = \"17:00\"", "window_end = \"24:00\"")
            .replacen("workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]", "workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]", 1);
        let c = LoadedContract::parse(&all_day, ContractSource::Embedded).unwrap();
        assert_eq!(c.clock.window_seconds(), 86_400);
        let edge = all_day.replace("window_start = \"00:00\"", "window_start = \"02:30\"");
        let e = err(&edge);
        assert!(e.contains("calendar.window_start") && e.contains("clocks change"), "{e}");
        assert!(err(&all_day.replace("window_start = \"00:00\"", "window_start = \"24:00\"")).contains("calendar.window_start"));
    }

    #[test]
    fn window_ending_before_start_is_named() {
        let text = DEFAULT_CONTRACT.replace("window_end = \"17:00\"", "window_end = \"07:00\"");
        assert!(err(&text).contains("calendar.window_end"), "{}", err(&text));
    }

    #[test]
    fn open_days_and_extra_closed_days() {
        let text = DEFAULT_CONTRACT
            .replace("extra_closed_days = []", "extra_closed_days = [\"2026-10-16\"]")
            .replace("open_days = []", "open_days = [\"2026-05-14\"]");
        let c = LoadedContract::parse(&text, ContractSource::Embedded).unwrap();
        assert!(!c.clock.is_workday(NaiveDate::from_ymd_opt(2026, 10, 16).unwrap()));
        assert!(c.clock.is_workday(NaiveDate::from_ymd_opt(2026, 5, 14).unwrap()));
    }
}
