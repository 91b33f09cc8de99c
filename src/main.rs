//! The `slarapport` command line: a thin layer over the library. It parses arguments, runs
//! one command (see `cli.rs` and `commands/`), prints errors as `error:` / `hint:` and exits
//! with 0 (all well), 1 (made, with findings: rejected rows, warnings) or 2 (nothing made).

use clap::Parser;
use slarapport::cli::{self, Cli};

fn main() {
    let cli = Cli::parse();
    match cli::run(&cli) {
        Ok(outcome) => std::process::exit(outcome.exit_code()),
        Err(e) => {
            eprintln!("error: {}", e.message);
            for h in &e.hints {
                eprintln!("hint: {h}");
            }
            std::process::exit(2);
        }
    }
}
