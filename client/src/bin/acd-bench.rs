//! `acd-bench`: assignments per second of the ACD module against the baselines a user would
//! pick instead (a Lua script, a client-side dispatcher), side by side on one server.
//!
//! Run `acd-bench --help` for the flags; the parts live in `client/src/bench/`, starting at
//! its `mod.rs`.

#[path = "../bench/mod.rs"]
mod bench;

fn main() -> std::process::ExitCode {
    bench::main()
}
