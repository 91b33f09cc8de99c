//! Where a command reads its tickets from: the flags `--profile`, `--mapping` and `--tickets`,
//! shared by every command that reads data (flatten [`InputArgs`] into its arguments and call
//! [`InputArgs::load`] instead of `load::load_data_dir`).

use std::path::{Path, PathBuf};

use crate::contract::LoadedContract;
use crate::error::Error;
use crate::load::{load_data_dir_from, DataSet, TicketSource};
use crate::mapping::LoadedMapping;

#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// Read an ITSM export with a built-in mapping: servicenow, topdesk or jira
    /// (`slarapport profile show NAME` prints it).
    #[arg(long, value_name = "NAME", conflicts_with = "mapping")]
    pub profile: Option<String>,
    /// Read an export with your own mapping file (TOML) [default: DATA/mapping.toml if present].
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The ticket file to read (CSV or XLSX) [default: the mapping's source.file, else the one
    /// export in DATA; without a mapping DATA/tickets.csv, else DATA/tickets.xlsx].
    #[arg(long, value_name = "FILE")]
    pub tickets: Option<PathBuf>,
}

impl InputArgs {
    /// The ticket source these flags name.
    pub fn source(&self) -> Result<TicketSource, Error> {
        let mapping = match (&self.profile, &self.mapping) {
            (Some(name), _) => Some(LoadedMapping::from_profile(name)?),
            (None, Some(path)) => Some(LoadedMapping::from_file(path)?),
            (None, None) => None,
        };
        Ok(TicketSource { mapping, file: self.tickets.clone() })
    }

    /// Reads the data folder with these flags.
    pub fn load(&self, data: &Path, contract: &LoadedContract) -> Result<DataSet, Error> {
        load_data_dir_from(data, contract, &self.source()?)
    }
}
