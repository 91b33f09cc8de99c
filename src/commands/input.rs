//! Where a command reads its tickets from: the flags `--profile`, `--mapping` and `--tickets`,
//! shared by every command that reads data (flatten [`InputArgs`] into its arguments and call
//! [`InputArgs::load`] instead of `load::load_data_dir`).

use std::path::{Path, PathBuf};

use crate::contract::LoadedContract;
use crate::error::Result;
use crate::load::{load_data_dir_from, DataSet, TicketSource};
use crate::manifest::{canonical, FileHash};
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
    pub fn source(&self) -> Result<TicketSource> {
        let mapping = match (&self.profile, &self.mapping) {
            (Some(name), _) => Some(LoadedMapping::from_profile(name)?),
            (None, Some(path)) => Some(LoadedMapping::from_file(path)?),
            (None, None) => None,
        };
        Ok(TicketSource { mapping, file: self.tickets.clone() })
    }

    /// Reads the data folder with these flags.
    pub fn load(&self, data: &Path, contract: &LoadedContract) -> Result<DataSet> {
        load_data_dir_from(data, contract, &self.source()?)
    }

    /// For the manifest: the mapping the tickets were read with (a file by its canonical
    /// path, or `profile NAME`) and the ticket file's canonical path, as `load` resolves them.
    pub fn provenance(&self, data: &Path) -> Result<(Option<FileHash>, Option<String>)> {
        let mut source = self.source()?;
        let folder_mapping = data.join(crate::mapping::FOLDER_MAPPING);
        let mapping_file = match (&self.profile, &self.mapping) {
            (Some(_), _) => None,
            (None, Some(p)) => Some(p.clone()),
            (None, None) if folder_mapping.is_file() => {
                source.mapping = Some(LoadedMapping::from_file(&folder_mapping)?);
                Some(folder_mapping)
            }
            (None, None) => None,
        };
        let mapping = source.mapping.as_ref().map(|m| FileHash {
            name: mapping_file.as_deref().map_or_else(|| m.origin.clone(), canonical),
            sha256: crate::digest::sha256_hex(m.text.as_bytes()),
            rows: None,
            path: None,
        });
        let tickets = match (&source.mapping, &source.file) {
            (Some(m), file) => crate::mapping::export_path(m, file.as_deref(), data).ok(),
            (None, Some(p)) => Some(p.clone()),
            (None, None) if !data.join("tickets.csv").exists() && data.join("tickets.xlsx").is_file() => Some(data.join("tickets.xlsx")),
            (None, None) => Some(data.join("tickets.csv")),
        };
        Ok((mapping, tickets.map(|p| canonical(&p))))
    }
}
