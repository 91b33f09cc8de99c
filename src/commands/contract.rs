//! `slarapport contract`: print the effective contract and the contract check's findings
//! (weights that do not add up to 100, targets that differ from the KPI table, KPIs without
//! a data source). Exit 1 when there are findings.

use std::path::PathBuf;

use crate::commands::Outcome;
use crate::contract::{minutes_text, LoadedContract};
use crate::error::Result;
use crate::ticket::{Priority, TicketType};

#[derive(Debug, Clone, clap::Args)]
pub struct ContractArgs {
    /// Contract file (TOML) [default: DATA/contract.toml if present, else the guideline's].
    #[arg(long, value_name = "FILE")]
    pub contract: Option<PathBuf>,
    /// Data folder, to find its contract.toml.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Print the contract's full TOML text (a starting point for your own contract file).
    #[arg(long)]
    pub toml: bool,
}

pub fn run(args: &ContractArgs) -> Result<Outcome> {
    let c = LoadedContract::resolve(args.contract.as_deref(), args.data.as_deref())?;
    if args.toml {
        print!("{}", c.text);
        return Ok(Outcome::Clean);
    }
    let k = &c.contract;
    println!("contract: {} ({})", k.parties.contract_name, c.source);
    println!("client: {}; provider: {}", k.parties.client, k.parties.provider);
    println!(
        "service window: {} {}–{} ({}), {} holiday rules, {} extra closed days",
        k.calendar.workdays.join(" "),
        k.calendar.window_start,
        k.calendar.window_end,
        k.calendar.time_zone,
        k.calendar.holiday_rules.len(),
        k.calendar.extra_closed_days.len()
    );
    println!("targets (response / resolution, business time):");
    for t in TicketType::ALL {
        let cells: Vec<String> = Priority::ALL
            .iter()
            .map(|p| {
                let x = c.target(t, *p);
                format!("{} {} / {}", p.key(), minutes_text(x.response_minutes), minutes_text(x.resolution_minutes))
            })
            .collect();
        println!("  {:<16} {}", t.key(), cells.join("   "));
    }
    let bands: Vec<String> = k
        .scoring
        .bands
        .iter()
        .map(|b| format!("≥ {} % → {} %{}", b.min_score_pct, b.malus_pct, if b.escalation { " + escalation" } else { "" }))
        .collect();
    println!("malus staircase: {}", bands.join("; "));
    for d in &k.domains {
        let sum: f64 = d.kpis.iter().filter_map(|x| x.weight).sum();
        let state = match (d.scored, d.active_from) {
            (false, _) => " (not scored)".to_string(),
            (true, Some(from)) => format!(" (from {from}; weights sum {sum})"),
            (true, None) => format!(" (weights sum {sum})"),
        };
        println!("domain {} {}{}", d.number, d.name_en, state);
        for x in &d.kpis {
            let src = x.source.map(|s| format!("{s:?}").to_lowercase()).unwrap_or_else(|| "NONE".into());
            let w = x.weight.map(|w| w.to_string()).unwrap_or_else(|| "–".into());
            println!("  {:<28} weight {:<4} {:<12} {}", x.id, w, src, x.norm_en);
        }
    }
    let findings = c.findings();
    if findings.is_empty() {
        println!("findings: none");
        return Ok(Outcome::Clean);
    }
    println!("findings: {}", findings.len());
    for f in &findings {
        println!("finding: {}: {}", f.key, f.message);
    }
    Ok(Outcome::Findings)
}
