//! [`Progress`]: the live progress bar on the terminal (standard error): contacts ended out
//! of all, with counters of waiting contacts, busy agents, handled and abandoned contacts and
//! the center time elapsed. It draws nothing when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::ledger::Ledger;

/// A progress bar over the contacts of a run.
#[derive(Debug, Clone)]
pub struct Progress(ProgressBar);

const TEMPLATE: &str = "{spinner} [{bar:30}] {pos}/{len} contacts  {msg}";

impl Progress {
    /// A bar on standard error for `contacts` contacts.
    pub fn terminal(contacts: usize) -> Progress {
        let bar =
            ProgressBar::with_draw_target(Some(contacts as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress(bar)
    }

    /// A bar that never draws (tests, embedding).
    pub fn hidden() -> Progress {
        Progress(ProgressBar::hidden())
    }

    /// Shows the ledger's counters at `elapsed_ms` of center time.
    pub(crate) fn update(&self, ledger: &Ledger, agents: usize, elapsed_ms: i64) {
        self.0.set_position(ledger.ended());
        let s = elapsed_ms.max(0) / 1000;
        self.0.set_message(format!(
            "{} waiting · {}/{agents} busy · {} handled · {} abandoned · t+{}:{:02}:{:02}",
            ledger.waiting(),
            ledger.busy(),
            ledger.handled(),
            ledger.abandoned(),
            s / 3600,
            s / 60 % 60,
            s % 60,
        ));
    }

    /// Removes the bar, before the report is printed.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
