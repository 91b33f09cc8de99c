//! The Debian package's traceability: `--version` names the commit the binary was built
//! from, the manifest records the same, and the build script's fallbacks.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The commit `git rev-parse` gives for the repository at `dir`, when `dir` is its top.
fn git_head(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| {
        let o = Command::new("git").args(args).current_dir(dir).env_remove("GIT_DIR").env_remove("GIT_WORK_TREE").output().ok()?;
        o.status.success().then(|| String::from_utf8(o.stdout).unwrap().trim().to_string())
    };
    let top = git(&["rev-parse", "--show-toplevel"])?;
    (Path::new(&top).canonicalize().ok()? == dir.canonicalize().ok()?).then_some(())?;
    git(&["rev-parse", "--short=12", "HEAD"])
}

#[test]
fn version_names_the_commit_and_the_manifest_records_it() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let line = String::from_utf8(o.stdout).unwrap();
    let version = line.trim().strip_prefix("slarapport ").expect("--version starts with the name").to_string();
    let commit = version
        .strip_prefix(&format!("{} (commit ", env!("CARGO_PKG_VERSION")))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("--version: {line}"));
    let expected = match std::env::var("SLARAPPORT_COMMIT") {
        Ok(given) if !given.trim().is_empty() => given.trim().to_string(),
        _ => git_head(&root()).unwrap_or_else(|| "unknown".into()),
    };
    assert_eq!(commit, expected, "--version names another commit than the source's");
    assert_eq!(String::from_utf8(run(&["-V"]).stdout).unwrap(), line);

    let out = tmp("deb-manifest");
    let o = run(&["monthly", "--data", "tests/fixtures/counting", "--today", "2026-11-02", "--no-archival", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("2026-10/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], version.as_str());
    let v = run(&["verify", out.join("2026-10").to_str().unwrap()]);
    assert!(text(&v).contains(&format!("by slarapport {version}:")), "{}", text(&v));
}

/// build.rs compiled on its own (it uses only std) and run as cargo would run it.
struct BuildScript(PathBuf);

impl BuildScript {
    fn compile(dir: &Path) -> BuildScript {
        let exe = dir.join("build-script");
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        let o = Command::new(rustc).args(["--edition", "2024", "-o"]).arg(&exe).arg(root().join("build.rs")).output().expect("rustc");
        assert!(o.status.success(), "{}", text(&o));
        BuildScript(exe)
    }

    fn run(&self, manifest_dir: &Path, commit: Option<&str>) -> Output {
        let mut c = Command::new(&self.0);
        c.env("CARGO_MANIFEST_DIR", manifest_dir).env_remove("SLARAPPORT_COMMIT").env_remove("GIT_DIR").env_remove("GIT_WORK_TREE");
        if let Some(commit) = commit {
            c.env("SLARAPPORT_COMMIT", commit);
        }
        c.output().unwrap()
    }

    /// The commit it passes to the compiler.
    fn commit(&self, manifest_dir: &Path, commit: Option<&str>) -> String {
        let o = self.run(manifest_dir, commit);
        assert!(o.status.success(), "{}", text(&o));
        let out = String::from_utf8(o.stdout).unwrap();
        for watched in out.lines().filter_map(|l| l.strip_prefix("cargo:rerun-if-changed=")).filter(|w| *w != "build.rs") {
            // A missing file would rerun the script, and rebuild the crate, on every build.
            assert!(manifest_dir.join(watched).exists(), "watches {watched}, which does not exist");
        }
        out.lines().find_map(|l| l.strip_prefix("cargo:rustc-env=SLARAPPORT_BUILD_COMMIT=")).expect("no commit passed").to_string()
    }
}

#[test]
fn build_script_names_the_commit_or_unknown_and_never_fails_without_git() {
    let dir = tmp("deb-build-rs");
    let script = BuildScript::compile(&dir);
    // A source tree without git (a tarball): unknown; a commit given by the builder wins.
    let tarball = dir.join("tarball");
    std::fs::create_dir_all(&tarball).unwrap();
    assert_eq!(script.commit(&tarball, None), "unknown");
    assert_eq!(script.commit(&tarball, Some("0123456789ab")), "0123456789ab");
    let o = script.run(&tarball, Some("$(rm -rf /)"));
    assert!(!o.status.success() && text(&o).contains("SLARAPPORT_COMMIT must be a commit id"), "{}", text(&o));
    // This source: the commit of its checkout.
    if let Some(head) = git_head(&root()) {
        assert_eq!(script.commit(&root(), None), head);
    }
    // A tarball unpacked inside another checkout does not take that checkout's commit.
    let outer = dir.join("outer");
    std::fs::create_dir_all(outer.join("tarball")).unwrap();
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(&outer).env_remove("GIT_DIR").env_remove("GIT_WORK_TREE").output();
    let made = git(&["init", "-q"]).is_ok_and(|o| o.status.success())
        && git(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x"]).is_ok_and(|o| o.status.success());
    if made {
        assert_eq!(script.commit(&outer.join("tarball"), None), "unknown");
        assert_eq!(Some(script.commit(&outer, None)), git_head(&outer));
    } else {
        eprintln!("git is not installed: the checkout cases are not run");
    }
}
