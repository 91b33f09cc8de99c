//! Errors that stop a run, with a plain-language hint for the person who has to fix them.
//!
//! Printed by the CLI as `error: …` and `hint: …` (as typst's CLI does) and mapped to exit
//! code 2: nothing was made. Row-level problems are not errors: they are rejections in the
//! report's data-quality section (see `load`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub hints: Vec<String>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), hints: Vec::new() }
    }

    /// "cannot read FILE: why", for a file or folder (or a name standing for one) that is
    /// there to read but the system refused: pass `path.display()` or the name the user knows.
    pub fn cannot_read(what: impl fmt::Display, e: impl fmt::Display) -> Self {
        Error::new(format!("cannot read {what}: {e}"))
    }

    /// "cannot create folder DIR: why", for an output folder the system would not make.
    pub fn cannot_create_folder(dir: impl fmt::Display, e: impl fmt::Display) -> Self {
        Error::new(format!("cannot create folder {dir}: {e}"))
    }

    /// "FILE lacks required columns: a, b", for an input whose header misses columns the run
    /// needs; the caller adds the hint that names the full header.
    pub fn lacks_columns(file: &str, missing: &[&str]) -> Self {
        Error::new(format!("{file} lacks required columns: {}", missing.join(", ")))
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        for h in &self.hints {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_read_names_the_file_and_the_reason() {
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = Error::cannot_read(std::path::Path::new("data/tickets.csv").display(), e);
        assert_eq!(err.to_string(), "cannot read data/tickets.csv: permission denied");
        let err = Error::cannot_read(format_args!("template folder {}", "templates"), "gone");
        assert_eq!(err.to_string(), "cannot read template folder templates: gone");
    }

    #[test]
    fn cannot_create_folder_names_the_folder_and_the_reason() {
        let e = std::io::Error::from(std::io::ErrorKind::AlreadyExists);
        let err = Error::cannot_create_folder(std::path::Path::new("rapporten/2026-10").display(), e);
        assert_eq!(err.to_string(), "cannot create folder rapporten/2026-10: entity already exists");
    }

    #[test]
    fn lacks_columns_lists_the_missing_ones() {
        let err = Error::lacks_columns("calls.csv", &["wait_seconds", "answered"]);
        assert_eq!(err.to_string(), "calls.csv lacks required columns: wait_seconds, answered");
    }
}
