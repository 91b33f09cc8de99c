//! The Debian package, checked without building it (its release build would take most of CI's
//! time; `packaging/build-deb.sh` builds it): the files and control fields cargo-deb reads
//! from `Cargo.toml`, the files the script generates with the binary, the maintainer scripts,
//! the systemd template units (`init`'s text, valid for systemd), `--version` with the commit
//! and the same in the manifest, and the build script's fallbacks.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo_toml() -> toml::Table {
    std::fs::read_to_string(root().join("Cargo.toml")).unwrap().parse().unwrap()
}

fn deb_metadata() -> toml::Table {
    cargo_toml()["package"]["metadata"]["deb"].as_table().expect("[package.metadata.deb]").clone()
}

/// Cargo.toml's assets as (source, installed path, mode); a destination ending in `/` is a
/// folder that keeps the file's name, as cargo-deb reads it.
fn assets() -> Vec<(String, String, String)> {
    let deb = deb_metadata();
    let list = deb["assets"].as_array().expect("assets is a list");
    list.iter()
        .map(|a| {
            let a: Vec<&str> = a.as_array().expect("an asset is [source, dest, mode]").iter().map(|v| v.as_str().unwrap()).collect();
            assert_eq!(a.len(), 3, "{a:?}");
            let dest = match a[1].strip_suffix('/') {
                Some(dir) => format!("{dir}/{}", Path::new(a[0]).file_name().unwrap().to_str().unwrap()),
                None => a[1].to_string(),
            };
            (a[0].to_string(), dest, a[2].to_string())
        })
        .collect()
}

/// Where build-deb.sh writes what the binary generates, as the assets name it (cargo-deb
/// reads `target/release/` as the real target folder).
const GENERATED: &str = "target/release/packaging/";

/// Runs `build-deb.sh --assets` with the test build into a fresh folder.
fn generate(name: &str) -> PathBuf {
    let dir = tmp(name);
    let o = Command::new("sh")
        .arg(root().join("packaging/build-deb.sh"))
        .arg("--assets")
        .arg(env!("CARGO_BIN_EXE_slarapport"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    dir
}

#[test]
fn the_package_installs_the_binary_man_page_completions_units_and_docs() {
    let installed: Vec<(String, String)> = assets().into_iter().map(|(_, dest, mode)| (dest, mode)).collect();
    let expected: Vec<(String, String)> = [
        ("usr/bin/slarapport", "755"),
        ("usr/share/man/man1/slarapport.1.gz", "644"),
        // Where bash-completion, Debian's zsh and fish look for a command's completions.
        ("usr/share/bash-completion/completions/slarapport", "644"),
        ("usr/share/zsh/vendor-completions/_slarapport", "644"),
        ("usr/share/fish/vendor_completions.d/slarapport.fish", "644"),
        ("usr/lib/systemd/system/slarapport-monthly@.service", "644"),
        ("usr/lib/systemd/system/slarapport-monthly@.timer", "644"),
        ("usr/share/doc/slarapport/README.md", "644"),
        ("usr/share/doc/slarapport/copyright", "644"),
        ("usr/share/doc/slarapport/fonts/LICENSE-Inter.txt", "644"),
        ("usr/share/doc/slarapport/fonts/LICENSE-Noto.txt", "644"),
    ]
    .iter()
    .map(|(d, m)| (d.to_string(), m.to_string()))
    .collect();
    assert_eq!(installed, expected);
    // cargo-deb replaces the copyright file by one it writes unless an asset names its full
    // path (a folder destination is not matched, and its own one wins).
    let full = deb_metadata()["assets"].as_array().unwrap().iter().any(|a| a[1].as_str() == Some("usr/share/doc/slarapport/copyright"));
    assert!(full, "packaging/copyright must name usr/share/doc/slarapport/copyright in full, not its folder");

    // Every source is there: the binary cargo builds, a file build-deb.sh generates beside it,
    // or a file of the repository.
    let generated = generate("deb-assets");
    for (source, dest, _) in assets() {
        let path = if source == "target/release/slarapport" {
            continue;
        } else if let Some(rest) = source.strip_prefix(GENERATED) {
            generated.join(rest)
        } else {
            assert!(!source.starts_with("target/"), "{source}: only build-deb.sh's files may come from target/");
            root().join(&source)
        };
        assert!(path.is_file(), "{source} (for /{dest}) is not made by build-deb.sh nor in the repository");
    }
}

#[test]
fn generated_man_page_and_completions_are_what_the_binary_prints() {
    let dir = generate("deb-generated");
    let man = Command::new("gzip").arg("-dc").arg(dir.join("slarapport.1.gz")).output().expect("gzip");
    assert!(man.status.success(), "{}", text(&man));
    assert_eq!(man.stdout, run(&["man"]).stdout, "the packaged man page is not `slarapport man`");
    for (shell, file) in [("bash", "slarapport.bash"), ("zsh", "_slarapport"), ("fish", "slarapport.fish")] {
        let packaged = std::fs::read(dir.join("completions").join(file)).unwrap();
        assert_eq!(packaged, run(&["completions", shell]).stdout, "{file} is not `slarapport completions {shell}`");
    }
    // zsh finds the function by its first line.
    let zsh = std::fs::read_to_string(dir.join("completions/_slarapport")).unwrap();
    assert!(zsh.starts_with("#compdef slarapport"), "{}", &zsh[..zsh.len().min(80)]);
    // Generating twice gives the same bytes (gzip without name and time).
    let again = generate("deb-generated-again");
    assert_eq!(std::fs::read(dir.join("slarapport.1.gz")).unwrap(), std::fs::read(again.join("slarapport.1.gz")).unwrap());
}

#[test]
fn control_fields_copyright_and_maintainer_scripts() {
    let cargo = cargo_toml();
    let package = cargo["package"].as_table().unwrap();
    assert_eq!(package["name"].as_str(), Some("slarapport"));
    for field in ["version", "description", "license"] {
        assert!(package[field].as_str().is_some_and(|s| !s.is_empty()), "package.{field} (a control field) is missing");
    }
    let deb = deb_metadata();
    let field = |k: &str| deb.get(k).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("[package.metadata.deb] {k} is missing"));
    let maintainer = field("maintainer");
    assert!(maintainer.contains(" <") && maintainer.ends_with('>') && maintainer.contains('@'), "Maintainer must be 'Name <email>': {maintainer}");
    assert_eq!(field("section"), "utils");
    assert_eq!(field("priority"), "optional");
    // Depends from the binary's shared libraries (libc), as dpkg-shlibdeps finds them.
    assert_eq!(field("depends"), "$auto");
    let description = field("extended-description");
    assert!(description.len() > 100 && !description.contains("\n\n"), "{description}");

    // The copyright file, machine-readable (DEP-5), states the crate's licence.
    let copyright = std::fs::read_to_string(root().join("packaging/copyright")).unwrap();
    assert!(copyright.starts_with("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"));
    let license = package["license"].as_str().unwrap().replace(" OR ", " or ");
    assert!(copyright.contains(&format!("Files: *\nCopyright: {}\nLicense: {license}\n", field("copyright"))), "{copyright}");
    for short in license.split(" or ").chain(["OFL-1.1"]) {
        assert!(copyright.contains(&format!("\nLicense: {short}\n")), "no stand-alone License: {short} paragraph");
    }

    // Exactly the maintainer scripts cargo-deb copies, executable, valid sh.
    let scripts = root().join(field("maintainer-scripts"));
    let mut names: Vec<String> = std::fs::read_dir(&scripts).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    // No postrm: with one, dpkg -r leaves the package half there ("rc") until a purge.
    assert_eq!(names, ["postinst", "prerm"]);
    for name in &names {
        let path = scripts.join(name);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o111, 0o111, "{name} is not executable");
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("#!/bin/sh\n"), "{name}");
        let o = Command::new("sh").arg("-n").arg(&path).output().unwrap();
        assert!(o.status.success(), "{name}: {}", text(&o));
    }
    let o = Command::new("sh").arg("-n").arg(root().join("packaging/build-deb.sh")).output().unwrap();
    assert!(o.status.success(), "build-deb.sh: {}", text(&o));
}

/// A folder laid out as an installed system: the package's template units in
/// usr/lib/systemd/system, the timer of /srv/sla enabled (by systemctl, offline).
fn installed_root(name: &str) -> Option<PathBuf> {
    let dir = tmp(name);
    let units = dir.join("usr/lib/systemd/system");
    std::fs::create_dir_all(&units).unwrap();
    std::fs::create_dir_all(dir.join("etc/systemd/system")).unwrap();
    for (name, _) in slarapport::commands::init::template_units() {
        std::fs::copy(root().join("packaging/systemd").join(name), units.join(name)).unwrap();
    }
    let enable = Command::new("systemctl").arg(format!("--root={}", dir.display())).args(["enable", "slarapport-monthly@srv-sla.timer"]).output().ok()?;
    assert!(enable.status.success(), "{}", text(&enable));
    Some(dir)
}

#[test]
fn removing_the_package_disables_the_timers_of_folders_and_upgrading_does_not() {
    let Some(dir) = installed_root("deb-prerm") else {
        eprintln!("systemctl is not installed: the maintainer scripts are not run");
        return;
    };
    let link = dir.join("etc/systemd/system/timers.target.wants/slarapport-monthly@srv-sla.timer");
    assert!(link.symlink_metadata().is_ok(), "enable made no link");
    let script = |name: &str, arg: &str| -> Output {
        let o = Command::new("sh").arg(root().join("packaging/debian").join(name)).arg(arg).env("DPKG_ROOT", &dir).output().unwrap();
        assert!(o.status.success(), "{name} {arg}: {}", text(&o));
        o
    };
    script("postinst", "configure");
    script("prerm", "upgrade");
    assert!(link.symlink_metadata().is_ok(), "an upgrade disabled the timer");
    let o = script("prerm", "remove");
    assert!(link.symlink_metadata().is_err(), "the timer of /srv/sla is still enabled after removal");
    assert!(text(&o).contains("disabling slarapport-monthly@srv-sla.timer"), "{}", text(&o));
}

/// `systemd-analyze verify` of these unit files (instances of a template named by their
/// instance), with the man page not looked up; None when systemd-analyze is not installed.
fn systemd_verify(dir: &Path, units: &[&str]) -> Option<Output> {
    Command::new("systemd-analyze").args(["verify", "--man=no"]).args(units.iter().map(|u| dir.join(u))).output().ok()
}

#[test]
fn systemd_templates_are_inits_text_and_valid() {
    let units = slarapport::commands::init::template_units();
    for (name, text) in &units {
        let file = std::fs::read_to_string(root().join("packaging/systemd").join(name)).unwrap();
        assert_eq!(&file, text, "packaging/systemd/{name} is not commands::init::template_units()'s text: write that into it");
    }
    assert!(units[0].1.contains(&format!("ExecStart={} monthly --only-first-workday --data \"%f/data\"", slarapport::commands::init::PACKAGE_EXE)));

    // The package's binary is not installed here: the units run the test build instead.
    let dir = tmp("deb-units");
    for (name, text) in &units {
        std::fs::write(dir.join(name), text.replace(slarapport::commands::init::PACKAGE_EXE, env!("CARGO_BIN_EXE_slarapport"))).unwrap();
    }
    let instances = ["slarapport-monthly@srv-sla.service", "slarapport-monthly@srv-sla.timer"];
    let Some(o) = systemd_verify(&dir, &instances) else {
        eprintln!("systemd-analyze is not installed: the units are not verified");
        return;
    };
    assert!(o.status.success() && text(&o).trim().is_empty(), "systemd-analyze verify: {}", text(&o));
    // The check is real: a broken timer fails it.
    let timer = &units[1];
    std::fs::write(dir.join(timer.0), timer.1.replace("OnCalendar=*-*-01..07", "OnCalendar=*-*-01..77")).unwrap();
    let o = systemd_verify(&dir, &instances).unwrap();
    assert!(!o.status.success(), "a broken timer passed: {}", text(&o));
}

#[test]
fn inits_units_for_a_folder_are_valid() {
    let dir = tmp("deb-init");
    let o = run(&["init", dir.join("sla map").to_str().unwrap(), "--today", "2026-11-02"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("slarapport-monthly@$(systemd-escape --path"), "{}", text(&o));
    let schedule = dir.join("sla map/schedule");
    let Some(o) = systemd_verify(&schedule, &["slarapport-monthly.service", "slarapport-monthly.timer"]) else {
        eprintln!("systemd-analyze is not installed: the units are not verified");
        return;
    };
    assert!(o.status.success() && text(&o).trim().is_empty(), "systemd-analyze verify: {}", text(&o));
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
    assert!(text(&v).contains(&version), "verify does not name the version: {}", text(&v));
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
