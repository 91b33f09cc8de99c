//! `slarapport profile list|show NAME`: the built-in mappings for ServiceNow, TOPdesk and
//! Jira exports. `show` prints the mapping file itself, comments included: the starting
//! point for a user's own `mapping.toml`.

use crate::commands::Outcome;
use crate::error::Result;
use crate::mapping::{profile_names, profile_text, LoadedMapping};

#[derive(Debug, Clone, clap::Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub action: ProfileAction,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum ProfileAction {
    /// List the built-in profiles.
    List,
    /// Print a profile's mapping file (TOML), to start your own mapping from.
    Show {
        /// servicenow, topdesk or jira.
        name: String,
    },
}

pub fn run(args: &ProfileArgs) -> Result<Outcome> {
    match &args.action {
        ProfileAction::List => {
            for name in profile_names() {
                let m = LoadedMapping::from_profile(name)?;
                println!("{name:<12} {}", m.description);
            }
            println!();
            println!("Use one with --profile NAME; `slarapport profile show NAME > mapping.toml` starts your own mapping.");
        }
        ProfileAction::Show { name } => {
            // Checks the name (and that the embedded file is valid).
            LoadedMapping::from_profile(name)?;
            print!("{}", profile_text(name).expect("checked above"));
        }
    }
    Ok(Outcome::Clean)
}
