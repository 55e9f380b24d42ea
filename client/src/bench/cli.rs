//! Command-line flags of `acd-bench`.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use super::runner::Mode;

/// Assignments per second of the ACD module against a Lua script and a client-side dispatcher
/// running the old ZINTER algorithm, side by side on one redis-server with one workload.
#[derive(Debug, Parser)]
#[command(name = "acd-bench", version)]
pub(crate) struct Cli {
    /// Server to use (it must have the acd module loaded); without it, a redis-server is
    /// started on a free loopback port with --module loaded.
    #[arg(long, value_name = "URL")]
    pub(crate) redis: Option<String>,
    /// Module to load into the started server [default: libacd.so next to this binary].
    #[arg(long, value_name = "PATH")]
    pub(crate) module: Option<PathBuf>,
    /// redis-server binary to start.
    #[arg(long, value_name = "PATH", default_value = "redis-server")]
    pub(crate) redis_server: PathBuf,
    /// small (1,000 agents, 2 languages x 3 expertise), large (10,000 agents, 20 skills),
    /// sweep (module and lua at each --sweep agent count, large's skills), or all three.
    #[arg(long, value_enum, default_value_t = WorkloadName::Large)]
    pub(crate) workload: WorkloadName,
    /// drain: --contacts contacts against a full pool; steady: each completed contact frees
    /// its agent at once and a new one arrives, for --seconds.
    #[arg(long, value_enum, default_value_t = Mode::Steady)]
    pub(crate) mode: Mode,
    /// Length of one run (a drain also stops here).
    #[arg(long, default_value_t = 5.0)]
    pub(crate) seconds: f64,
    /// Runs per variant; the figure reported is their median. Variants alternate run by run.
    #[arg(long, default_value_t = 3)]
    pub(crate) repeat: usize,
    /// Assignments per round trip on each connection (module: 2 commands each in steady).
    #[arg(long, default_value_t = 64)]
    pub(crate) pipeline: usize,
    /// Concurrent connections (for client-side: concurrent dispatchers).
    #[arg(long, default_value_t = 2)]
    pub(crate) connections: usize,
    /// Drain: contacts per run [default: half the agents].
    #[arg(long)]
    pub(crate) contacts: Option<usize>,
    /// Agent counts of the scaling sweep.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    pub(crate) sweep: Vec<usize>,
    /// Variants to run (the sweep runs module and lua only).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "module,lua,client-side"
    )]
    pub(crate) variants: Vec<VariantName>,
    /// Non-pipelined ENQUEUE and PING round trips timed for the latency figures (0: skip).
    #[arg(long, default_value_t = 5_000)]
    pub(crate) latency_samples: usize,
    /// Print one JSON object on stdout instead of the table (progress goes to stderr).
    #[arg(long)]
    pub(crate) json: bool,
    /// Exit with status 3 if a target of issue 4 that this run measured is missed.
    #[arg(long)]
    pub(crate) check_targets: bool,
    /// Seed of the agents and contacts.
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
}

/// `--workload`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum WorkloadName {
    /// 1,000 agents, one language and one expertise each.
    Small,
    /// 10,000 agents, 4 of 20 skills each; contacts need 2.
    Large,
    /// `large`'s skills at each `--sweep` agent count, module and lua only.
    Sweep,
    /// small, large and sweep.
    All,
}

/// `--variants`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VariantName {
    /// ACD.* commands, pipelined.
    Module,
    /// The old algorithm as one Lua script per contact.
    Lua,
    /// The old dispatcher's algorithm from the client.
    ClientSide,
}
