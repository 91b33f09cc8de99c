//! The manifest: what a report was made from, so it can be traced and checked later.
//!
//! A malus is money; a report is evidence. Every run writes `manifest.json` next to its
//! outputs: the tool's version, the SHA-256 of the contract, of every template and input
//! file (with its row count), of the branding file and logo, of every output, and the period
//! and cut-off. `slarapport verify DIR` recomputes the hashes and names every file that no
//! longer matches.
//!
//! Files outside the report folder are named by their absolute, canonical path (symbolic
//! links resolved) at the time the report was made, so `verify` checks the very files the
//! report was made from, from any working folder; outputs by their name in the report folder
//! (which may move). `verify` reads only regular files, hashes them in pieces (bounded
//! memory), and reports every finding rather than stopping at the first.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::digest::sha256_hex;
use crate::render::world::TemplateSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    pub name: String,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rows: Option<u64>,
    /// The file's absolute canonical path (inputs); `None` in manifests of older versions
    /// (then the file is `data_dir/name`) and for outputs (in the report folder).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<String>,
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
    /// How the paths below are written (see `PATHS`).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub paths: String,
    /// The data folder, by its absolute canonical path.
    pub data_dir: String,
    /// The contract file.
    pub contract: Origin,
    pub contract_sha256: String,
    /// The template folder.
    pub templates: Origin,
    pub template_files: Vec<FileHash>,
    /// The branding file and its logo, by path as given (none: the built-in look).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub branding_files: Vec<FileHash>,
    pub inputs: Vec<FileHash>,
    /// The mapping the tickets were read with: a file by its absolute canonical path, or
    /// `profile NAME` (built in).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mapping: Option<FileHash>,
    pub outputs: Vec<FileHash>,
}

/// Where the contract or the templates came from: built into the tool, or a file or folder
/// by its absolute canonical path. Written as `embedded` or the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Origin {
    Embedded,
    Path(String),
}

impl Origin {
    const EMBEDDED: &str = "embedded";

    /// The folder or file `p`, by its absolute canonical path; none: embedded.
    pub fn of(p: Option<&Path>) -> Origin {
        p.map_or(Origin::Embedded, |p| Origin::Path(canonical(p)))
    }
}

impl From<String> for Origin {
    fn from(s: String) -> Origin {
        if s == Origin::EMBEDDED { Origin::Embedded } else { Origin::Path(s) }
    }
}

impl From<Origin> for String {
    fn from(o: Origin) -> String {
        match o {
            Origin::Embedded => Origin::EMBEDDED.into(),
            Origin::Path(p) => p,
        }
    }
}

pub const MANIFEST: &str = "manifest.json";

/// What `paths` says in every manifest.
pub const PATHS: &str = "absolute and canonical (symbolic links resolved) when the report was made; outputs by name in the report folder";

/// The absolute canonical form of `p` (as given when it cannot be resolved).
pub fn canonical(p: &Path) -> String {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

/// The report JSON in the report folder `dir`, named by its manifest (the output that ends
/// in `.json`); `None` when the folder holds no report.
pub fn report_json_in(dir: &Path) -> Result<Option<PathBuf>> {
    let manifest = dir.join(MANIFEST);
    let Ok(meta) = std::fs::metadata(&manifest) else { return Ok(None) };
    let m = read_manifest(&manifest, &meta, |e| e)?;
    let json = m.outputs.iter().map(|o| o.name.as_str()).find(|n| n.ends_with(".json") && !n.contains('/') && *n != MANIFEST);
    Ok(json.map(|n| dir.join(n)))
}

/// The manifest at `path` (whose metadata is `meta`), bounded before it is read; `hinted`
/// adds the caller's hint to the errors about the file itself (not to a parse error).
fn read_manifest(path: &Path, meta: &std::fs::Metadata, hinted: impl Fn(Error) -> Error) -> Result<Manifest> {
    if !meta.is_file() || meta.len() > 64 << 20 {
        return Err(hinted(Error::new(format!("{} is not a slarapport manifest (not a regular file of at most 64 MB)", path.display()))));
    }
    let bytes = std::fs::read(path).map_err(|e| hinted(Error::cannot_read(path.display(), e)))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::new(format!("{} is not a slarapport manifest: {e}", path.display())))
}

/// The SHA-256 of a regular file, read in pieces: a FIFO, a device or a folder is refused
/// (`/dev/zero` would never end), and a large file costs no memory.
pub fn hash_regular_file(p: &Path) -> Result<String, String> {
    use sha2::Digest;
    let meta = std::fs::metadata(p).map_err(|e| format!("cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    let mut f = std::fs::File::open(p).map_err(|e| format!("cannot be read ({e})"))?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot be read ({e})")),
        }
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

impl Manifest {
    /// Hashes of every file in the template set (sorted by name).
    pub fn template_hashes(set: &TemplateSet) -> Vec<FileHash> {
        set.files.iter().map(|(n, b)| FileHash { name: n.clone(), sha256: sha256_hex(b), rows: None, path: None }).collect()
    }

    /// Hashes of the set's branding file and logo, named by their paths.
    pub fn branding_hashes(set: &TemplateSet) -> Vec<FileHash> {
        let b = &set.branding;
        let mut out = Vec::new();
        if let (Some(path), Some(sha)) = (&b.source, &b.sha256) {
            out.push(FileHash { name: canonical(path), sha256: sha.clone(), rows: None, path: None });
        }
        if let Some(logo) = &b.logo {
            out.push(FileHash { name: canonical(&logo.path), sha256: sha256_hex(&logo.bytes), rows: None, path: None });
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

/// Recomputes every hash of the manifest in `dir` and lists what no longer matches: every
/// finding, not the first. A manifest that lists no inputs or no outputs is refused.
pub fn verify(dir: &Path) -> Result<(Manifest, Vec<Mismatch>)> {
    let path = dir.join(MANIFEST);
    let hint = "pass the folder of one report (e.g. rapporten/2026-10), which holds manifest.json";
    let meta = std::fs::metadata(&path).map_err(|e| Error::cannot_read(path.display(), e).with_hint(hint))?;
    let m = read_manifest(&path, &meta, |e| e.with_hint(hint))?;
    if m.inputs.is_empty() || m.outputs.is_empty() {
        return Err(Error::new(format!(
            "{} lists no {}: there is nothing to verify",
            path.display(),
            if m.outputs.is_empty() { "outputs" } else { "inputs" }
        ))
        .with_hint("a report's manifest lists its inputs and outputs; this one was emptied or not written by slarapport"));
    }
    let mut out = Vec::new();
    let check = |p: PathBuf, expected: &str| match hash_regular_file(&p) {
        Ok(h) if h == expected => None,
        Ok(_) => Some(Mismatch { path: p, problem: "changed since the report was made".into() }),
        Err(problem) => Some(Mismatch { path: p, problem }),
    };
    for f in &m.outputs {
        out.extend(check(dir.join(&f.name), &f.sha256));
    }
    let data = PathBuf::from(&m.data_dir);
    for f in &m.inputs {
        out.extend(check(f.path.as_ref().map_or_else(|| data.join(&f.name), PathBuf::from), &f.sha256));
    }
    for f in &m.branding_files {
        out.extend(check(PathBuf::from(&f.name), &f.sha256));
    }
    if let Some(f) = &m.mapping {
        match f.name.strip_prefix("profile ") {
            Some(name) => match crate::mapping::profile_text(name) {
                Some(text) if sha256_hex(text.as_bytes()) == f.sha256 => {}
                _ => out.push(Mismatch { path: f.name.clone().into(), problem: format!("differs from the one of version {}", m.version) }),
            },
            None => out.extend(check(PathBuf::from(&f.name), &f.sha256)),
        }
    }
    match &m.contract {
        Origin::Path(p) => out.extend(check(PathBuf::from(p), &m.contract_sha256)),
        Origin::Embedded if sha256_hex(crate::contract::DEFAULT_CONTRACT.as_bytes()) != m.contract_sha256 => {
            out.push(Mismatch { path: "embedded contract".into(), problem: format!("differs from the one of version {}", m.version) });
        }
        Origin::Embedded => {}
    }
    let templates = match &m.templates {
        Origin::Embedded => Ok(TemplateSet::embedded()),
        Origin::Path(p) => TemplateSet::with_overrides(Path::new(p)),
    };
    match templates {
        Ok(templates) => {
            for f in &m.template_files {
                match templates.files.get(&f.name) {
                    Some(b) if sha256_hex(b) == f.sha256 => {}
                    Some(_) => out.push(Mismatch { path: format!("template {}", f.name).into(), problem: "changed since the report was made".into() }),
                    None => out.push(Mismatch { path: format!("template {}", f.name).into(), problem: "is missing".into() }),
                }
            }
        }
        Err(e) => out.push(Mismatch { path: String::from(m.templates.clone()).into(), problem: format!("cannot be read: {}", e.message) }),
    }
    Ok((m, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_is_written_as_embedded_or_the_path() {
        let json = |o: &Origin| serde_json::to_string(o).unwrap();
        assert_eq!(json(&Origin::Embedded), "\"embedded\"");
        assert_eq!(json(&Origin::Path("/srv/sla/contract.toml".into())), "\"/srv/sla/contract.toml\"");
        let read = |s: &str| serde_json::from_str::<Origin>(s).unwrap();
        assert_eq!(read("\"embedded\""), Origin::Embedded);
        assert_eq!(read("\"/srv/sla/templates\""), Origin::Path("/srv/sla/templates".into()));
        assert_eq!(Origin::of(None), Origin::Embedded);
    }

    /// `verify` and `report_json_in` read a manifest the same way; only `verify` adds its hint,
    /// and a parse error never carries it.
    #[test]
    fn a_manifest_that_is_not_one_is_named_with_the_callers_hint() {
        let d = std::env::temp_dir().join(format!("slarapport-manifest-read-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join(MANIFEST)).unwrap();
        let path = d.join(MANIFEST);
        let hint = "pass the folder of one report (e.g. rapporten/2026-10), which holds manifest.json";
        let not_a_file = format!("{} is not a slarapport manifest (not a regular file of at most 64 MB)", path.display());
        let e = verify(&d).unwrap_err();
        assert_eq!((e.message.as_str(), e.hints.as_slice()), (not_a_file.as_str(), [hint.to_string()].as_slice()));
        let e = report_json_in(&d).unwrap_err();
        assert_eq!((e.message.as_str(), e.hints.len()), (not_a_file.as_str(), 0));

        std::fs::remove_dir(&path).unwrap();
        std::fs::write(&path, "not json").unwrap();
        let not_json = format!("{} is not a slarapport manifest: expected ident at line 1 column 2", path.display());
        for e in [verify(&d).unwrap_err(), report_json_in(&d).unwrap_err()] {
            assert_eq!((e.message.as_str(), e.hints.len()), (not_json.as_str(), 0));
        }
        std::fs::remove_dir_all(&d).unwrap();
    }
}
