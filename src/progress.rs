//! A progress bar on stderr for a run that takes longer than a second: the stage it is in
//! ("2/4 counting and evaluating"), a spinner and the time so far — only when stderr is a
//! terminal, so a scheduled run (cron, systemd) stays silent and its log clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
    /// Stages begun so far (the bar shows those finished).
    begun: AtomicU64,
    stages: u64,
}

impl Progress {
    /// Starts timing a run of `stages` stages; the bar appears after a second if the run is
    /// still going.
    pub fn start(stages: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(stages), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} [{bar:20}] {msg} ({elapsed})")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        let done = Arc::new(AtomicBool::new(false));
        if std::io::stderr().is_terminal() {
            let (bar, done) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(1));
                if !done.load(Ordering::SeqCst) {
                    bar.set_draw_target(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar, done, begun: AtomicU64::new(0), stages }
    }

    /// The next stage begins ("reading the data", "making the PDF").
    pub fn stage(&self, message: &str) {
        let n = self.begun.fetch_add(1, Ordering::SeqCst) + 1;
        self.bar.set_position(n - 1);
        self.bar.set_message(format!("{n}/{} {message}", self.stages));
    }

    pub fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
