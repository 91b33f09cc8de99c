//! Writing outputs so that a reader never sees half a report. One file is written atomically
//! (a temporary file in the target folder, flushed, then renamed over the old one); a
//! report's set of files replaces the previous set as one step: the whole report is written
//! into a fresh sibling folder, which then changes place with the report's folder in one
//! rename, and the previous report is kept as a version in `versies/`.
//!
//! What survives a kill (or a full disk) at any point: the report's folder holds the old
//! complete set or the new complete set, never a mix (its `versies/` travel into the fresh
//! folder just before the swap, so for that moment a reader sees the current report without
//! its older versions). A run that dies leaves its lock file
//! and perhaps its fresh folder; the next run on the folder takes the lock over and finishes
//! or undoes the swap (see [`FolderLock::acquire`]).
//!
//! Layout, for the report folder `OUT/2026-10`:
//! - `OUT/2026-10/` the current report; `OUT/2026-10/versies/<made on>/` the reports it
//!   replaced (named by the date they were made, from their manifest).
//! - `OUT/.2026-10.lock` the lock of the run making it (removed when the run ends).
//! - `OUT/.2026-10.new/` the fresh folder while a run writes it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
pub use crate::render::FileBody;

/// The folder inside a report's folder that keeps the reports it replaced.
pub const VERSIONS: &str = "versies";

/// Marks a report folder whose swap is not finished yet (its predecessor not yet moved into
/// `versies/`): the fresh folder carries it from the start, and it is removed last.
const UNFINISHED: &str = ".slarapport-unfinished";

/// Writes `bytes` to `path` atomically (same-folder temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::cannot_create_folder(dir.display(), e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = write_synced(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_error(path, e)
    })
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(format!("cannot write {}: {e}", path.display()))
        .with_hint("check that the output folder is writable and the disk is not full")
}

/// Creates `path` with `bytes`, flushed to the disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fault::point()?;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Creates `path` with `body`, flushed to the disk; returns the SHA-256 of what was written.
/// A [`FileBody::Written`] body goes through a buffer straight into the file, hashed on the
/// way, so it is never held whole.
fn write_body_synced(path: &Path, body: &FileBody) -> std::io::Result<String> {
    match body {
        FileBody::Bytes(bytes) => write_synced(path, bytes).map(|()| crate::digest::sha256_hex(bytes)),
        FileBody::Written(write) => {
            fault::point()?;
            let file = std::fs::File::create(path)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, crate::digest::HashingWriter::new(file));
            write(&mut w)?;
            let (file, hash) = w.into_inner().map_err(|e| e.into_error())?.finish();
            file.sync_all()?;
            Ok(hash)
        }
    }
}

/// Flushes a folder's entries (a rename is durable once its folder is).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}

fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    fault::point()?;
    std::fs::rename(from, to)
}

/// Swaps two existing folders in one step (Linux `renameat2(RENAME_EXCHANGE)`); `Ok(false)`
/// where the system or the file system cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    fault::point()?;
    if fault::no_exchange() {
        return Ok(false);
    }
    exchange_os(a, b)
}

#[cfg(target_os = "linux")]
fn exchange_os(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: two NUL-terminated paths that live across the call.
    let r = unsafe {
        libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange_os(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// Holds a report folder's lock for as long as it lives: a run takes it before it reads
/// anything, so a second run on the same report (a rerun while the scheduled one is still
/// busy) is refused instead of racing it. The lock is an OS file lock on `OUT/.<name>.lock`
/// beside the report's folder (released by the OS when a run dies, so it cannot go stale);
/// the file holds the run's process id and is removed when the run ends. A lock file a run
/// finds with an id in it was left by a run that was killed: it is taken over, with a note.
pub struct FolderLock {
    file: Option<std::fs::File>,
    lock_path: PathBuf,
    dir: PathBuf,
    /// What the run found and repaired when it took the lock, for the user.
    pub notes: Vec<String>,
}

impl Drop for FolderLock {
    /// A run that ends (also on an error) finishes or undoes its own swap, then removes its
    /// lock file while still holding the lock.
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = self.recover();
            let _ = std::fs::remove_file(&self.lock_path);
        }
    }
}

impl FolderLock {
    /// Locks the report folder `dir` (created only when its report is written).
    pub fn acquire(dir: &Path) -> Result<FolderLock> {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "report".into());
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::cannot_create_folder(parent.display(), e))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let busy = || {
            Error::new(format!("another slarapport run is making the report in {}", dir.display()))
                .with_hint("wait for it to finish, or write to another folder with --out")
        };
        // A run that ends removes its lock file: the file locked must still be the one at
        // the path, else another run removed it meanwhile and the lock is taken again.
        let mut attempts = 0;
        let (mut file, left) = loop {
            attempts += 1;
            if attempts > 100 {
                return Err(busy());
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .open(&lock_path)
                .map_err(|e| Error::new(format!("cannot open {}: {e}", lock_path.display())))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(busy()),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::new(format!("cannot lock {}: {e}", lock_path.display())));
                }
            }
            if same_file(&file, &lock_path) {
                let mut left = String::new();
                let _ = std::io::Read::read_to_string(&mut std::io::Read::take(&mut file, 64), &mut left);
                break (file, left);
            }
        };
        let mut notes = Vec::new();
        if !left.trim().is_empty() {
            notes.push(format!(
                "took over the lock of {} left by an earlier run (process {}) that ended without finishing",
                dir.display(),
                left.trim()
            ));
        }
        let _ = file.set_len(0);
        let _ = std::io::Seek::rewind(&mut file);
        let _ = writeln!(file, "{}", std::process::id());
        let mut lock = FolderLock { file: Some(file), lock_path, dir: dir.to_path_buf(), notes };
        if let Some(note) = lock.recover()? {
            lock.notes.push(note);
        }
        Ok(lock)
    }

    /// The fresh folder a run writes its report into.
    fn fresh(&self) -> PathBuf {
        self.sibling("new")
    }

    /// Where the old report waits when the system cannot swap two folders in one step.
    fn old(&self) -> PathBuf {
        self.sibling("old")
    }

    fn sibling(&self, what: &str) -> PathBuf {
        let name = self.dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        self.dir.with_file_name(format!(".{name}.{what}"))
    }

    /// Brings the folder to a whole report after a run that died (or failed) half-way:
    /// a swap that happened is finished (the old report moved into `versies/`), a fresh
    /// folder that was not swapped in is removed. Says what it did, if anything.
    fn recover(&self) -> Result<Option<String>> {
        let (dir, fresh, old) = (&self.dir, self.fresh(), self.old());
        let io = |e: std::io::Error| {
            Error::new(format!("cannot finish the interrupted replacement of the report in {}: {e}", dir.display()))
                .with_hint("check that the output folder is writable and the disk is not full, then run again")
        };
        let mut note = None;
        if dir.join(UNFINISHED).exists() {
            // The new report is in place; its predecessor waits beside it.
            for waiting in [&fresh, &old] {
                if waiting.is_dir() {
                    keep_version(waiting, dir).map_err(io)?;
                }
            }
            std::fs::remove_file(dir.join(UNFINISHED)).map_err(io)?;
            sync_dir(dir).map_err(io)?;
            note = Some(format!("finished replacing the report in {} (the earlier run stopped half-way)", dir.display()));
        } else if old.is_dir() && !dir.exists() {
            // The old report was moved aside, the new one not yet in: the old one returns.
            rename(&old, dir).map_err(io)?;
            note = Some(format!("restored the report in {} (the earlier run stopped half-way)", dir.display()));
        }
        if fresh.is_dir() {
            // A fresh folder never swapped in: its versions go back, the rest goes.
            if fresh.join(VERSIONS).is_dir() {
                std::fs::create_dir_all(dir).map_err(io)?;
                rename(&fresh.join(VERSIONS), &dir.join(VERSIONS)).map_err(io)?;
            }
            std::fs::remove_dir_all(&fresh).map_err(io)?;
            note.get_or_insert_with(|| format!("removed the half-written report of an earlier run beside {}", dir.display()));
        }
        // Left-overs of older versions of the tool inside the report folder.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name == ".slarapport.lock" || (name.starts_with('.') && name.ends_with(".tmp")) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(note)
    }

    /// For tests: ends the lock as a killed run would, without cleaning anything up.
    #[doc(hidden)]
    pub fn abandon(mut self) {
        self.file = None;
    }
}

/// Whether the open `file` is the file at `path` now.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Moves the report in `from` into `dir/versies/<the date it was made>` (`-2`, `-3`, … when
/// that version exists).
fn keep_version(from: &Path, dir: &Path) -> std::io::Result<()> {
    let made_on = std::fs::read(from.join(crate::manifest::MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|m| m["generated_on"].as_str().map(str::to_string))
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or_else(|| "onbekend".into());
    let versions = dir.join(VERSIONS);
    std::fs::create_dir_all(&versions)?;
    let mut target = versions.join(&made_on);
    let mut n = 2;
    while target.exists() {
        target = versions.join(format!("{made_on}-{n}"));
        n += 1;
    }
    let _ = std::fs::remove_file(from.join(UNFINISHED));
    rename(from, &target)?;
    sync_dir(&versions)
}

/// The report files in `dir` (not its versions, not hidden files) by name, with their paths.
fn report_paths(dir: &Path) -> std::io::Result<std::collections::BTreeMap<String, PathBuf>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == VERSIONS {
            continue;
        }
        out.insert(name, e.path());
    }
    Ok(out)
}

/// Whether `dir` holds exactly the files `set` names, each with the size and SHA-256 given
/// there (read in blocks: a report of gigabytes is compared without holding it; the hashes
/// are read only when every size matches).
fn holds_same(dir: &Path, set: &std::collections::BTreeMap<String, (u64, String)>) -> std::io::Result<bool> {
    let paths = report_paths(dir)?;
    if !paths.keys().eq(set.keys()) {
        return Ok(false);
    }
    for (path, (size, _)) in paths.values().zip(set.values()) {
        if std::fs::metadata(path)?.len() != *size {
            return Ok(false);
        }
    }
    for (path, (_, hash)) in paths.values().zip(set.values()) {
        if crate::digest::sha256_hex_of_reader(std::fs::File::open(path)?)? != *hash {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes a report's files into `dir`, whose lock the run holds, as one set: into the fresh
/// folder beside it first (the manifest last, with the hashes of the files as written),
/// then swapped in; the report it replaces is kept in `dir/versies/`. A rerun that makes
/// the same bytes changes nothing (and keeps no version). Returns the paths written.
/// A file's body is bytes or is written straight into its file ([`FileBody`]): either way
/// the file is whole before the swap, so a streamed file is as atomic as the others.
pub fn write_report(
    lock: &FolderLock,
    dir: &Path,
    files: &[(String, FileBody)],
    mut manifest: crate::manifest::Manifest,
) -> Result<Vec<PathBuf>> {
    let fresh = lock.fresh();
    fn io(what: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
        move |e| write_error(what, e)
    }
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
    }
    std::fs::create_dir(&fresh).map_err(io(&fresh))?;
    write_synced(&fresh.join(UNFINISHED), b"").map_err(io(&fresh))?;
    // Each file's size and hash: what a rerun's folder is compared on.
    let mut set = std::collections::BTreeMap::new();
    for (name, body) in files {
        let path = fresh.join(name);
        let sha256 = write_body_synced(&path, body).map_err(io(&dir.join(name)))?;
        let size = std::fs::metadata(&path).map_err(io(&dir.join(name)))?.len();
        manifest.outputs.push(crate::manifest::FileHash { name: name.clone(), sha256: sha256.clone(), rows: None, path: None });
        set.insert(name.clone(), (size, sha256));
    }
    let manifest = manifest.to_json();
    write_synced(&fresh.join(crate::manifest::MANIFEST), &manifest).map_err(io(&dir.join(crate::manifest::MANIFEST)))?;
    set.insert(crate::manifest::MANIFEST.to_string(), (manifest.len() as u64, crate::digest::sha256_hex(&manifest)));
    sync_dir(&fresh).map_err(io(&fresh))?;
    // Debug builds only: a panic at the worst moment, for the test of the top-level catch.
    #[cfg(debug_assertions)]
    if std::env::var_os("SLARAPPORT_TEST_PANIC_WRITING").is_some() {
        panic!("test panic while writing the report");
    }
    let mut written: Vec<PathBuf> = files.iter().map(|(n, _)| dir.join(n)).collect();
    written.push(dir.join(crate::manifest::MANIFEST));

    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.exists() {
        rename(&fresh, dir).map_err(io(dir))?;
    } else if holds_same(dir, &set).unwrap_or(false) {
        // The same report again: nothing to replace, no version to keep.
        std::fs::remove_dir_all(&fresh).map_err(io(&fresh))?;
        return Ok(written);
    } else {
        // The versions travel with the current report.
        if dir.join(VERSIONS).is_dir() {
            rename(&dir.join(VERSIONS), &fresh.join(VERSIONS)).map_err(io(dir))?;
        }
        if !exchange(&fresh, dir).map_err(io(dir))? {
            // No one-step swap here: the old report steps aside first (a kill in between
            // leaves it at OUT/.<name>.old, and the next run puts it back).
            rename(dir, &lock.old()).map_err(io(dir))?;
            rename(&fresh, dir).map_err(io(dir))?;
        }
    }
    sync_dir(parent).map_err(io(parent))?;
    // The new report is in place: the old one becomes a version, the mark goes.
    lock.recover()?;
    Ok(written)
}

/// Fault injection for the tests of this module: the Nth step that writes, renames or
/// swaps fails (as on a full disk) or the run "dies" there. Compiled only for tests.
#[cfg(test)]
pub mod fault {
    use std::cell::Cell;
    thread_local! {
        /// Steps left before the fault; `None`: no fault.
        pub static AT: Cell<Option<u32>> = const { Cell::new(None) };
        pub static FIRED: Cell<bool> = const { Cell::new(false) };
        /// Behave as a system without a one-step swap of two folders.
        pub static NO_EXCHANGE: Cell<bool> = const { Cell::new(false) };
    }
    pub fn no_exchange() -> bool {
        NO_EXCHANGE.with(|n| n.get())
    }
    pub fn point() -> std::io::Result<()> {
        AT.with(|at| match at.get() {
            Some(0) => {
                at.set(None);
                FIRED.with(|f| f.set(true));
                Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
            }
            Some(n) => {
                at.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        })
    }
    /// Arms the fault at step `n` (0 = the first).
    pub fn arm(n: u32) {
        AT.with(|a| a.set(Some(n)));
        FIRED.with(|f| f.set(false));
    }
    pub fn fired() -> bool {
        FIRED.with(|f| f.get())
    }
}

#[cfg(not(test))]
mod fault {
    #[inline(always)]
    pub fn point() -> std::io::Result<()> {
        Ok(())
    }
    #[inline(always)]
    pub fn no_exchange() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(made_on: &str) -> crate::manifest::Manifest {
        crate::manifest::Manifest {
            tool: "slarapport".into(),
            version: "test".into(),
            kind: "monthly".into(),
            period: "2026-10".into(),
            cutoff: String::new(),
            generated_on: made_on.into(),
            data_dir: String::new(),
            contract: crate::manifest::Origin::Embedded,
            contract_sha256: String::new(),
            templates: crate::manifest::Origin::Embedded,
            template_files: Vec::new(),
            branding_files: Vec::new(),
            inputs: Vec::new(),
            mapping: None,
            outputs: Vec::new(),
            paths: String::new(),
        }
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("slarapport-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The report `made_on`: four files whose bytes say which report they belong to.
    fn report(made_on: &str) -> Vec<(String, Vec<u8>)> {
        ["a.pdf", "a-bijlage.xlsx", "a.json", "a.txt"].iter().map(|n| (n.to_string(), format!("{n} of {made_on}").into_bytes())).collect()
    }

    fn write(lock: &FolderLock, dir: &Path, made_on: &str) -> Result<Vec<PathBuf>> {
        let files = report(made_on);
        let refs: Vec<(String, FileBody)> = files.iter().map(|(n, b)| (n.clone(), FileBody::Bytes(b.as_slice()))).collect();
        write_report(lock, dir, &refs, manifest(made_on))
    }

    /// The report files in `dir` (not its versions, not hidden files) with their bytes.
    fn report_files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        report_paths(dir).unwrap().into_iter().map(|(n, p)| (n, std::fs::read(p).unwrap())).collect()
    }

    /// Which whole report `dir` holds: its date, or a panic on a mix or a missing file.
    fn which(dir: &Path) -> String {
        let files = report_files(dir);
        let made_on = ["2026-11-02", "2026-11-05"]
            .into_iter()
            .find(|d| report(d).iter().all(|(n, b)| files.get(n) == Some(b)))
            .unwrap_or_else(|| panic!("{} holds no whole report: {:?}", dir.display(), files.keys().collect::<Vec<_>>()));
        assert_eq!(files.len(), 5, "{files:?}");
        let m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
        assert_eq!(m["generated_on"], made_on, "the manifest is of another report");
        made_on.to_string()
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        v.sort();
        v
    }

    /// A failure (full disk) or a kill at every step of a rerun leaves the old whole report
    /// or the new whole report, never a mix; the next run (or the failing run's own end)
    /// leaves the new report current and the old one as its only version.
    #[test]
    fn a_failure_or_a_kill_at_any_step_leaves_a_whole_report() {
        for (kill, no_exchange) in [(false, false), (true, false), (false, true), (true, true)] {
            fault::NO_EXCHANGE.with(|n| n.set(no_exchange));
            for step in 0.. {
                let out = tmp(&format!("fault-{kill}-{no_exchange}-{step}"));
                let dir = out.join("2026-10");
                let lock = FolderLock::acquire(&dir).unwrap();
                write(&lock, &dir, "2026-11-02").unwrap();
                drop(lock);
                let lock = FolderLock::acquire(&dir).unwrap();
                fault::arm(step);
                let result = write(&lock, &dir, "2026-11-05");
                let fired = fault::fired();
                fault::AT.with(|a| a.set(None));
                if !fired {
                    result.unwrap();
                    drop(lock);
                    assert_eq!(which(&dir), "2026-11-05");
                    assert!(step > 5, "the swap has more steps than {step}");
                    let _ = std::fs::remove_dir_all(&out);
                    break;
                }
                if kill {
                    lock.abandon();
                } else {
                    let e = result.unwrap_err();
                    assert!(e.message.contains("No space left"), "step {step}: {e}");
                    drop(lock);
                }
                // What a reader sees now: a whole report (or, where the system cannot swap
                // two folders in one step, none for a moment).
                let seen = if dir.exists() { which(&dir) } else { assert!(no_exchange && kill, "step {step}: no report"); "2026-11-02".into() };
                // The next run takes over and repairs; then writes the new report.
                let lock = FolderLock::acquire(&dir).unwrap();
                assert_eq!(which(&dir), seen, "step {step}: the repair changed the report");
                assert_eq!(listing(&out), [".2026-10.lock", "2026-10"], "step {step}: left-overs");
                assert_eq!(!lock.notes.is_empty(), kill, "step {step}: notes {:?}", lock.notes);
                write(&lock, &dir, "2026-11-05").unwrap();
                drop(lock);
                assert_eq!(which(&dir), "2026-11-05", "step {step}");
                assert_eq!(listing(&out), ["2026-10"], "step {step}: left-overs");
                assert_eq!(listing(&dir.join(VERSIONS)), ["2026-11-02"], "step {step}");
                assert_eq!(which(&dir.join(VERSIONS).join("2026-11-02")), "2026-11-02", "step {step}");
                let _ = std::fs::remove_dir_all(&out);
            }
        }
    }

    /// Versions pile up by date; the same bytes again make no version.
    #[test]
    fn reruns_keep_versions_and_identical_reruns_none() {
        let out = tmp("versions");
        let dir = out.join("2026-10");
        for made_on in ["2026-11-02", "2026-11-05", "2026-11-05", "2026-11-02"] {
            let lock = FolderLock::acquire(&dir).unwrap();
            write(&lock, &dir, made_on).unwrap();
        }
        assert_eq!(which(&dir), "2026-11-02");
        assert_eq!(listing(&dir.join(VERSIONS)), ["2026-11-02", "2026-11-05"]);
        assert_eq!(listing(&out), ["2026-10"]);
        let lock = FolderLock::acquire(&dir).unwrap();
        write(&lock, &dir, "2026-11-05").unwrap();
        drop(lock);
        assert_eq!(listing(&dir.join(VERSIONS)), ["2026-11-02", "2026-11-02-2", "2026-11-05"]);
    }

    /// A file written into its place as it is made ends up as the bytes it wrote, hashed in
    /// the manifest; the same bytes again, streamed or not, make no version.
    #[test]
    fn a_streamed_file_is_written_hashed_and_compared_like_bytes() {
        let out = tmp("streamed");
        let dir = out.join("2026-10");
        let big: Vec<u8> = (0..3_000_000u32).map(|i| b"{}[], \n\"abc"[i as usize % 11]).collect();
        let stream = |w: &mut dyn Write| {
            for part in big.chunks(4096) {
                w.write_all(part)?;
            }
            Ok(())
        };
        let run = |body: FileBody| {
            let lock = FolderLock::acquire(&dir).unwrap();
            write_report(&lock, &dir, &[("a.pdf".into(), FileBody::Bytes(b"pdf")), ("a.json".into(), body)], manifest("2026-11-02")).unwrap();
        };
        run(FileBody::Written(&stream));
        assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), big);
        let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        assert_eq!(m["outputs"][1]["name"], "a.json");
        assert_eq!(m["outputs"][1]["sha256"], crate::digest::sha256_hex(&big));
        run(FileBody::Bytes(&big));
        run(FileBody::Written(&stream));
        assert!(!dir.join(VERSIONS).exists(), "the same bytes made a version");
        // One byte different (same size): a new report, the old one kept.
        let mut other = big.clone();
        other[1_234_567] ^= 1;
        run(FileBody::Bytes(&other));
        assert_eq!(listing(&dir.join(VERSIONS)), ["2026-11-02"]);
        assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), other);
        let _ = std::fs::remove_dir_all(&out);
    }

    /// A lock file left by a killed run is taken over with a note; a held one refuses.
    #[test]
    fn a_left_lock_is_taken_over_and_a_held_one_refuses() {
        let out = tmp("lock");
        let dir = out.join("2026-10");
        std::fs::write(out.join(".2026-10.lock"), "4242\n").unwrap();
        let lock = FolderLock::acquire(&dir).unwrap();
        assert!(lock.notes.iter().any(|n| n.contains("process 4242")), "{:?}", lock.notes);
        let e = FolderLock::acquire(&dir).err().unwrap();
        assert!(e.message.contains("another slarapport run"), "{e}");
        drop(lock);
        assert_eq!(listing(&out), Vec::<String>::new(), "the lock file lingers");
        let lock = FolderLock::acquire(&dir).unwrap();
        assert!(lock.notes.is_empty(), "{:?}", lock.notes);
    }
}
