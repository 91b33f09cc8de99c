//! The `slarapport` command line: a thin layer over the library. It parses arguments, runs
//! one command (see `cli.rs` and `commands/`), prints errors as `error:` / `hint:` and exits
//! with 0 (all well), 1 (made, with findings: rejected rows, warnings) or 2 (nothing made).

use clap::Parser;
use slarapport::cli::{self, Cli};

fn main() {
    // `slarapport check … | head`: when the reader goes away, end quietly as Unix tools do,
    // instead of a panic on the next line printed.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
