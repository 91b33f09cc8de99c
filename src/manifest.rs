//! The manifest: what a report was made from, so it can be traced and checked later.
//!
//! A malus is money; a report is evidence. Every run writes `manifest.json` next to its
//! outputs: the tool's version, the SHA-256 of the contract, of every template and input
//! file (with its row count), of the branding file and logo, of every output, and the period
//! and cut-off. `slarapport verify DIR` recomputes the hashes and names every file that no
//! longer matches.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::load::sha256_hex;
use crate::render::world::TemplateSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    pub name: String,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rows: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// `monthly`, `quarterly`, `rca`.
    pub kind: String,
    pub period: String,
    pub cutoff: String,
    pub generated_on: String,
    /// The data folder as given on the command line.
    pub data_dir: String,
    /// `embedded` or the contract file's path as given.
    pub contract: String,
    pub contract_sha256: String,
    /// `embedded` or the template folder as given.
    pub templates: String,
    pub template_files: Vec<FileHash>,
    /// The branding file and its logo, by path as given (none: the built-in look).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub branding_files: Vec<FileHash>,
    pub inputs: Vec<FileHash>,
    pub outputs: Vec<FileHash>,
}

pub const MANIFEST: &str = "manifest.json";

impl Manifest {
    /// Hashes of every file in the template set (sorted by name).
    pub fn template_hashes(set: &TemplateSet) -> Vec<FileHash> {
        set.files.iter().map(|(n, b)| FileHash { name: n.clone(), sha256: sha256_hex(b), rows: None }).collect()
    }

    /// Hashes of the set's branding file and logo, named by their paths.
    pub fn branding_hashes(set: &TemplateSet) -> Vec<FileHash> {
        let b = &set.branding;
        let mut out = Vec::new();
        if let (Some(path), Some(sha)) = (&b.source, &b.sha256) {
            out.push(FileHash { name: path.display().to_string(), sha256: sha.clone(), rows: None });
        }
        if let Some(logo) = &b.logo {
            out.push(FileHash { name: logo.path.display().to_string(), sha256: sha256_hex(&logo.bytes), rows: None });
        }
        out
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("manifest serializes");
        v.push(b'\n');
        v
    }
}

/// One file that does not match the manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub path: PathBuf,
    pub problem: String,
}

/// Recomputes every hash of the manifest in `dir` and lists what no longer matches.
pub fn verify(dir: &Path) -> Result<(Manifest, Vec<Mismatch>), Error> {
    let path = dir.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(format!("cannot read {}: {e}", path.display()))
            .with_hint("pass the folder of one report (e.g. rapporten/2026-10), which holds manifest.json")
    })?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Error::new(format!("{} is not a slarapport manifest: {e}", path.display())))?;
    let mut out = Vec::new();
    let mut check = |p: PathBuf, expected: &str| match std::fs::read(&p) {
        Ok(b) if sha256_hex(&b) == expected => {}
        Ok(_) => out.push(Mismatch { path: p, problem: "changed since the report was made".into() }),
        Err(e) => out.push(Mismatch { path: p, problem: format!("cannot be read ({e})") }),
    };
    for f in &m.outputs {
        check(dir.join(&f.name), &f.sha256);
    }
    let data = PathBuf::from(&m.data_dir);
    for f in &m.inputs {
        check(data.join(&f.name), &f.sha256);
    }
    for f in &m.branding_files {
        check(PathBuf::from(&f.name), &f.sha256);
    }
    if m.contract != "embedded" {
        check(PathBuf::from(&m.contract), &m.contract_sha256);
    } else if sha256_hex(crate::contract::DEFAULT_CONTRACT.as_bytes()) != m.contract_sha256 {
        out.push(Mismatch { path: "embedded contract".into(), problem: format!("differs from the one of version {}", m.version) });
    }
    let templates = if m.templates == "embedded" {
        TemplateSet::embedded()
    } else {
        TemplateSet::with_overrides(Path::new(&m.templates))?
    };
    for f in &m.template_files {
        match templates.files.get(&f.name) {
            Some(b) if sha256_hex(b) == f.sha256 => {}
            Some(_) => out.push(Mismatch { path: format!("template {}", f.name).into(), problem: "changed since the report was made".into() }),
            None => out.push(Mismatch { path: format!("template {}", f.name).into(), problem: "is missing".into() }),
        }
    }
    Ok((m, out))
}
