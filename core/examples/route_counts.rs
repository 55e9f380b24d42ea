//! The `enqueue` bench's routes in a loop for counting tools: the engine's work per route
//! compared across agent counts by what the machine's load does not change, instructions and
//! simulated cache misses (`scripts/callgrind-engine.sh` runs it under callgrind at 1k, 10k
//! and 100k agents).
//!
//! Usage: `route_counts AGENTS SKILLS PAIRS`. Builds the bench's center (`AGENTS` agents over
//! `SKILLS` skills, every agent ready, the ring of `enqueue` contacts), warms it to its steady
//! state as the bench does, then runs `PAIRS` times [`route`] (an `ACD.ENQUEUE` assigned at
//! once) and [`free`] (its `ACD.COMPLETE`, which puts the agent back in its lines), inside
//! [`counted`], the function a counting tool collects.

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::process::ExitCode;

use acd_core::{Command, Mode, Reply};
use workload::Bench;

fn main() -> ExitCode {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map_while(|arg| arg.parse().ok().filter(|&n: &usize| n > 0))
        .collect();
    let [agents, skills, pairs] = args[..] else {
        eprintln!("usage: route_counts AGENTS SKILLS PAIRS (positive integers)");
        return ExitCode::from(2);
    };
    let mut b = Bench::new(agents, skills, Mode::Auto);
    let ring = b.enqueue_ring(None);
    b.warm(&ring);
    counted(&mut b, &ring, pairs);
    println!("route_counts: {agents} agents, {skills} skills, {pairs} routes counted");
    ExitCode::SUCCESS
}

/// What is counted: `pairs` routes and the completions that free their agents.
#[inline(never)]
fn counted(b: &mut Bench, ring: &[(Command, Command)], pairs: usize) {
    for (enq, done) in ring.iter().cycle().take(pairs) {
        route(b, enq);
        free(b, done);
    }
}

#[inline(never)]
fn route(b: &mut Bench, enq: &Command) {
    assert!(matches!(b.run(enq), Reply::Bulk(_)), "contact not assigned");
}

#[inline(never)]
fn free(b: &mut Bench, done: &Command) {
    assert_eq!(
        b.run(done),
        Reply::Status("completed"),
        "contact not completed"
    );
}
