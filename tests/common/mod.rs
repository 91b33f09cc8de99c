//! Helpers the tests that run the real binary share: the command, a fresh temporary
//! folder, its output as text, and a PDF's text.
#![allow(dead_code)] // each test file uses some of them

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `slarapport` binary, without a `SOURCE_DATE_EPOCH` from the environment.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_slarapport"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// An empty folder of its own for `name` (one test binary, one process).
pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("slarapport-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run slarapport")
}

/// Reads `bytes` as the `tickets.csv` of a data folder of its own (`name`), as a run reads it.
pub fn load_tickets(name: &str, bytes: &[u8], contract: &slarapport::contract::LoadedContract) -> Result<slarapport::load::DataSet, slarapport::error::Error> {
    let dir = std::env::temp_dir().join(format!("slarapport-tickets-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tickets.csv"), bytes).unwrap();
    slarapport::load::load_data_dir(&dir, contract)
}

/// Standard output and standard error together.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The text of a PDF, laid out (poppler's pdftotext).
pub fn pdftotext(pdf: &Path) -> String {
    let o = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}
