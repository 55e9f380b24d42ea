//! The contact-center simulator behind the `acd-sim` binary: agents with random names and
//! skills (one language of English and Spanish, one expertise of support, disputes and
//! billing), contacts arriving at a steady pace that each need one language and one
//! expertise (calls, and with `--chat-share` chats, which an agent handles several at a
//! time), handled for a while or abandoned when nobody takes them within their patience; then a report (offered, handled, abandoned, average speed of answer, longest
//! wait, service level, occupancy) that agrees with `ACD.STATS` on the same center.
//!
//! Start at [`main`] (the binary) or [`run`] (one run from a [`Config`], as the end-to-end
//! tests call it). Parts: [`cli`] (flags), [`population`] (the seeded workload), `clock`
//! (real or simulated time), `agenda` (timed actions), `ledger` (the account kept from the
//! center's event log), [`report`] and [`progress`].
//!
//! With `--speed X` the run is on simulated time: every command carries its time as `AT`
//! and the center's clock is set to `client`, so an hour of traffic takes 3.6 s at
//! `--speed 1000` and a given `--seed` always gives the same run. Exit status: 0 when the
//! report agrees with ACD.STATS, 1 when the run fails, 2 on bad flags, 3 when the report
//! and ACD.STATS disagree.

mod agenda;
pub mod cli;
mod clock;
mod ledger;
pub mod population;
pub mod progress;
pub mod report;
mod run;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use thiserror::Error;

pub use cli::{Args, Config, ConfigError, Span};
pub use progress::Progress;
pub use report::{Report, RunSummary};
pub use run::{run, Outcome, SimError};

/// The `acd-sim` binary: [`execute`] with the process's flags and standard streams.
pub fn main() -> ExitCode {
    execute(Args::parse(), &mut io::stdout().lock(), &mut io::stderr())
}

/// Runs the simulation `args` describe and writes the report (text, or one JSON line with
/// `--json`) to `out` and any failure to `err`; answers the exit status.
pub fn execute(args: Args, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    match try_execute(args, out) {
        Ok(disagreements) if disagreements.is_empty() => ExitCode::SUCCESS,
        Ok(disagreements) => {
            for disagreement in &disagreements {
                let _ = writeln!(
                    err,
                    "acd-sim: the report disagrees with ACD.STATS: {disagreement}"
                );
            }
            ExitCode::from(3)
        }
        Err(failure) => {
            let _ = writeln!(err, "acd-sim: {failure}");
            ExitCode::from(failure.status())
        }
    }
}

/// Why the binary stops early.
#[derive(Debug, Error)]
enum Failure {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(io::Error),
    #[error(transparent)]
    Run(#[from] SimError),
    #[error("cannot write the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot write the report: {0}")]
    Output(#[from] io::Error),
}

impl Failure {
    fn status(&self) -> u8 {
        match self {
            Failure::Config(_) => 2,
            _ => 1,
        }
    }
}

/// Runs and prints; answers the report's disagreements with ACD.STATS.
fn try_execute(args: Args, out: &mut dyn Write) -> Result<Vec<String>, Failure> {
    let json = args.json;
    let config = args.into_config()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::Runtime)?;
    let progress = Progress::terminal(config.contacts);
    let outcome = runtime.block_on(run(&config, &progress));
    progress.finish();
    let outcome = outcome?;
    let text = if json {
        serde_json::to_string(&outcome.report)? + "\n"
    } else {
        outcome.report.to_text(&outcome.summary)
    };
    out.write_all(text.as_bytes())?;
    Ok(outcome.disagreements)
}
