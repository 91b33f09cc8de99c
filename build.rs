//! Build script: the git commit this binary is built from, for `slarapport --version` and the
//! run manifest, so a report can be traced to the exact source that made it.
//!
//! It passes `SLARAPPORT_BUILD_COMMIT` to the compiler: `SLARAPPORT_COMMIT` when the builder
//! sets it (a build from a tarball that knows its commit), else `git rev-parse --short=12 HEAD`
//! of this source tree's own repository, else "unknown" (no git, no repository, or a tarball
//! unpacked inside some other checkout). It never fails the build for lack of git. A build
//! is rerun when HEAD moves, not on every edit: a binary built from a tree with uncommitted
//! changes names the commit those changes are on.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SLARAPPORT_COMMIT");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let commit = match std::env::var("SLARAPPORT_COMMIT") {
        Ok(given) if !given.trim().is_empty() => {
            let given = given.trim();
            let plain = given.len() <= 64 && given.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
            assert!(plain, "SLARAPPORT_COMMIT must be a commit id (at most 64 letters, digits, '.', '_', '-'), not {given:?}");
            given.to_string()
        }
        _ => git_commit(&dir).unwrap_or_else(|| "unknown".into()),
    };
    println!("cargo:rustc-env=SLARAPPORT_BUILD_COMMIT={commit}");
}

/// The commit of HEAD when `dir` is the top of a git work tree; asks cargo to rerun this
/// script when HEAD or the branch it is on moves.
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let commit = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    // Only paths that exist: cargo reruns a script on every build while one it watches is
    // missing. A branch that is only in packed-refs is watched through its folder of refs
    // (where committing on it writes it).
    let git_path = |name: &str| git(dir, &["rev-parse", "--git-path", name]).map(|p| dir.join(p));
    let mut watch: Vec<PathBuf> = ["HEAD", "packed-refs"].into_iter().filter_map(git_path).filter(|p| p.exists()).collect();
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]).and_then(|b| git_path(&b)) {
        watch.extend(if branch.exists() { Some(branch) } else { branch.parent().filter(|p| p.exists()).map(Path::to_path_buf) });
    }
    for p in watch {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    Some(commit)
}

/// `git ARGS` in `dir`: its trimmed output when it succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}
