//! Test fixtures for the ACD Redis module: real `redis-server` processes with the module loaded, connections
//! with reply-checking helpers, and the shared scenarios the integration tests in `tests/tests/` build on.
//!
//! Start here: [`RedisServer`] (one server per test, on a free loopback port, killed on drop), [`Conn`] (send a
//! command, check the reply type; [`Stats`] and [`Event`] parse the structured replies), [`at`] (write event
//! times relative to [`T0`]), [`wait_for`] (poll a condition with a deadline), [`Rng`] and [`Workload`]
//! (seeded random workloads), and [`scenario`] (populated centers plus a [`scenario::Snapshot`] of everything a
//! client can read, to compare before and after a reload, restart, DUMP/RESTORE or replication).
//!
//! The module is loaded from `$ACD_MODULE`, or else from `<workspace>/target/debug/libacd.so`.
#![warn(missing_docs, unreachable_pub)]

mod conn;
mod events;
pub mod ha;
pub mod rest;
mod rng;
pub mod scenario;
mod server;
mod stats;
mod wait;
mod workload;

pub use conn::{error_text, show, Args, Conn};
pub use events::{Event, EVENT_KEYS};
pub use rng::Rng;
pub use server::{module_path, server_and_conn, RedisServer, ServerBuilder, Stop};
pub use stats::{StatValue, Stats, DOUBLE_FIELDS, MAP_FIELDS, STATS_FIELDS};
pub use wait::wait_for;
pub use workload::{Coverage, Workload};

/// The base event time of the tests (Unix ms, 2100-01-01); scenario times are offsets from it.
/// It lies ahead of the wall clock, so the module's deadline timers (which run on the server
/// clock) never act before the tests' own `AT`-stamped commands reach a deadline.
pub const T0: u64 = 4_102_444_800_000;

/// The wall clock in Unix ms, as the server's clock reads it (for tests that let the server decide times).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64
}

/// `T0 + offset`, as the server will report it.
pub fn t(offset: u64) -> u64 {
    T0 + offset
}

/// Splits a command on whitespace and replaces each `@N` token with `AT <T0+N>`:
/// `at("ACD.READY center a1 @10")` is `ACD.READY center a1 AT 4102444800010`.
pub fn at(command: &str) -> Vec<String> {
    let mut args = Vec::new();
    for word in command.split_whitespace() {
        match word.strip_prefix('@').and_then(|n| n.parse::<u64>().ok()) {
            Some(offset) => {
                args.push("AT".to_string());
                args.push(t(offset).to_string());
            }
            None => args.push(word.to_string()),
        }
    }
    args
}
