//! `slarapport diff OLD NEW`: what changed between two versions of a report (folders or
//! their JSON files) — the figures and, ticket by ticket, why — for a user who checks a
//! rerun before sending it. The same comparison as a rerun's changes section
//! (`report::changes`); exit 0 when equal, 1 when they differ, 2 on an error.

use std::path::{Path, PathBuf};

use crate::commands::Outcome;
use crate::error::{Error, Result};
use crate::report::changes;

#[derive(Debug, Clone, clap::Args)]
pub struct DiffArgs {
    /// The earlier report: its folder (e.g. rapporten/2026-10/versies/2026-11-03) or its .json.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later report: its folder (e.g. rapporten/2026-10) or its .json.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
}

/// A report's JSON document from a report folder (through its manifest) or a .json file.
fn load(p: &Path) -> Result<serde_json::Value> {
    if p.is_dir() {
        let json = crate::manifest::report_json_in(p)?.ok_or_else(|| {
            Error::new(format!("{} holds no report (no manifest.json naming a .json file)", p.display()))
                .with_hint("pass a report folder such as rapporten/2026-10, one of its versies/…, or a report's .json file")
        })?;
        return changes::read_json(&json);
    }
    changes::read_json(p)
}

pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let (po, pn) = (&old["meta"]["period"], &new["meta"]["period"]);
    if po != pn {
        eprintln!("note: the reports are of different periods ({} and {})", po.as_str().unwrap_or("?"), pn.as_str().unwrap_or("?"));
    }
    let c = changes::compare(&old, &new);
    print!("{}", changes::to_text(&c));
    Ok(if c.is_empty() { Outcome::Clean } else { Outcome::Findings })
}
