//! Writing outputs atomically: a temporary file in the target folder, flushed, then renamed
//! over the old one. A run that dies half-way leaves the previous report or none — never
//! half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path` atomically (same-folder temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::new(format!("cannot create folder {}: {e}", dir.display())))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::new(format!("cannot write {}: {e}", path.display()))
            .with_hint("check that the output folder is writable and the disk is not full")
    })
}

/// Holds the output folder's lock for as long as it lives: two runs writing the same folder
/// at once would interleave their files, so the second one is refused. The lock is an OS
/// file lock (released by the OS when a run dies), on `.slarapport.lock` in the folder.
pub struct FolderLock {
    _file: std::fs::File,
}

impl FolderLock {
    pub fn acquire(dir: &Path) -> Result<FolderLock, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::new(format!("cannot create folder {}: {e}", dir.display())))?;
        let path = dir.join(".slarapport.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::new(format!("cannot open {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::new(format!("another slarapport run is writing to {}", dir.display()))
                    .with_hint("wait for it to finish, or write to another folder with --out"));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::new(format!("cannot lock {}: {e}", path.display())));
            }
        }
        // Temporary files of a run that was killed are left-overs: remove them.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(FolderLock { _file: file })
    }
}

/// Writes a report's files into `dir` under its lock, each atomically, and the manifest last
/// (with the hashes of the files as written). Returns the paths written.
pub fn write_report(
    dir: &Path,
    files: &[(String, &[u8])],
    mut manifest: crate::manifest::Manifest,
) -> Result<Vec<PathBuf>, Error> {
    let _lock = FolderLock::acquire(dir)?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let p = dir.join(name);
        write_atomic(&p, bytes)?;
        manifest.outputs.push(crate::manifest::FileHash { name: name.clone(), sha256: crate::load::sha256_hex(bytes), rows: None });
        written.push(p);
    }
    let p = dir.join(crate::manifest::MANIFEST);
    write_atomic(&p, &manifest.to_json())?;
    written.push(p);
    Ok(written)
}
