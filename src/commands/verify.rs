//! `slarapport verify DIR`: recompute the hashes of a report's manifest and name every file
//! (output, input, contract, template) that no longer matches. Exit 1 when one differs.

use std::path::PathBuf;

use crate::commands::Outcome;
use crate::error::Result;

#[derive(Debug, Clone, clap::Args)]
pub struct VerifyArgs {
    /// The folder of one report (it holds manifest.json), e.g. rapporten/2026-10.
    pub dir: PathBuf,
}

pub fn run(args: &VerifyArgs) -> Result<Outcome> {
    let (m, mismatches) = crate::manifest::verify(&args.dir)?;
    println!(
        "{} report {} made on {} by slarapport {}: {} outputs, {} inputs{}, {} templates checked",
        m.kind,
        m.period,
        m.generated_on,
        m.version,
        m.outputs.len(),
        m.inputs.len(),
        if m.mapping.is_some() { ", the mapping" } else { "" },
        m.template_files.len()
    );
    println!("data folder {} (paths: {})", m.data_dir, if m.paths.is_empty() { "as given on the command line" } else { m.paths.as_str() });
    if mismatches.is_empty() {
        println!("all files match the manifest");
        return Ok(Outcome::Clean);
    }
    for x in &mismatches {
        println!("mismatch: {}: {}", x.path.display(), x.problem);
    }
    Ok(Outcome::Findings)
}
