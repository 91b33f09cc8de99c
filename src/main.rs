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
    // A panic is a bug: it must not end in a Rust backtrace dump. The hook keeps its message
    // and place; the run unwinds (the report folder's lock puts the folder back as it was)
    // and ends here as an internal error, exit 2.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let mut first = PANIC.lock().unwrap_or_else(|e| e.into_inner());
        first.get_or_insert(format!("{what}{place}"));
    }));
    let result = std::panic::catch_unwind(|| cli::run(&cli));
    match result {
        Ok(Ok(outcome)) => std::process::exit(outcome.exit_code()),
        Ok(Err(e)) => {
            eprintln!("error: {}", e.message);
            for h in &e.hints {
                eprintln!("hint: {h}");
            }
            std::process::exit(2);
        }
        Err(_) => {
            let what = PANIC.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
            eprintln!("error: internal error in slarapport {}: {what}", env!("CARGO_PKG_VERSION"));
            eprintln!("hint: this is a bug: please report it with this message and the command you ran; the report folder holds a whole report (the earlier one, unless this run had finished writing), never part of one");
            std::process::exit(2);
        }
    }
}

/// The first panic's message and place, for the internal error.
static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
