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

/// Holds the output folder's lock for as long as it lives: a run takes it before it reads
/// anything, so a second run on the same report (a rerun while the scheduled one is still
/// busy) is refused instead of racing it. The lock is an OS file lock (released by the OS
/// when a run dies), on `.slarapport.lock` in the folder.
pub struct FolderLock {
    _file: std::fs::File,
    dir: PathBuf,
}

impl Drop for FolderLock {
    /// A run that ends before writing anything leaves no folder behind (only when the
    /// folder holds nothing but the lock).
    fn drop(&mut self) {
        let only_lock = std::fs::read_dir(&self.dir)
            .map(|entries| entries.flatten().all(|e| e.file_name() == ".slarapport.lock"))
            .unwrap_or(false);
        if only_lock {
            let _ = std::fs::remove_file(self.dir.join(".slarapport.lock"));
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
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
                return Err(Error::new(format!("another slarapport run is making the report in {}", dir.display()))
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
        Ok(FolderLock { _file: file, dir: dir.to_path_buf() })
    }
}

/// Writes a report's files into `dir`, whose lock the run holds, each atomically, and the
/// manifest last (with the hashes of the files as written). Returns the paths written.
pub fn write_report(
    _lock: &FolderLock,
    dir: &Path,
    files: &[(String, &[u8])],
    mut manifest: crate::manifest::Manifest,
) -> Result<Vec<PathBuf>, Error> {
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
