//! Engine benches: routes per second on the pure engine, with a fake clock.
//!
//! Three routing paths, each across 1k / 10k / 100k agents and 6 / 20 / 100 skills:
//! - `enqueue`: `ACD.ENQUEUE` of a contact that a ready agent takes at once (auto mode, every
//!   agent ready);
//! - `ready`: `ACD.READY` of a not-ready agent that takes a queued contact (auto mode, nobody
//!   ready, a backlog of [`BACKLOG`] contacts);
//! - `dispatch`: `ACD.DISPATCH COUNT` [`BATCH`] over a backlog of [`BACKLOG`] contacts (manual
//!   mode, every agent ready); throughput counts routes, not calls.
//! - `strategy/<name>`: the `enqueue` path with 20 skills under each routing strategy
//!   (`longest-available`, `most-skilled`, `round-robin`, `least-occupied`), so the cost of
//!   picking the agent can be compared across strategies and agent counts;
//! - `complete/20 skills`: the `ACD.COMPLETE` that follows each `enqueue` (busy time
//!   recorded, the agent back in its lines);
//! - `channels/chat`: the `enqueue` path with 6 skills for chat contacts, every agent with
//!   `CAPACITY voice=1 chat=3` (multi-contact agents, per-channel lines); `channels/chat
//!   complete` times the `ACD.COMPLETE` of those contacts instead (the agent stays ready on
//!   chat while it records its busy time);
//! - `retained/20 skills`: the server harness's `large` steady workload on the engine alone:
//!   10k agents, `ACD.ENQUEUE` then `ACD.COMPLETE` (both timed) at [`PER_MS`] assignments per
//!   millisecond, ended contacts kept 1 s, so [`PER_MS`] thousand of them are retained and
//!   purging the oldest (an id index entry and a record no cache holds any more) is part of
//!   each assignment, as in the server at that rate.
//!
//! Only the routing command is timed (`iter_custom`). Untimed steps around it put the center
//! back (complete the contact, make the agent not ready, refill the backlog), so every sample
//! sees the same pool and queue sizes; `retention 0` purges ended contacts at the next write.
//! The `enqueue`-path benches are measured in the center's steady state, once untimed passes
//! over their ring of contacts have let it learn its skill sets (more passes for more agents).
//! The agents, contacts and fake clock are the shared workload's (`workload/mod.rs`): seeded,
//! and every contact routable by some agent of the staff.
//!
//! The promise under test: per-route cost is flat in agent count. Compare the three agent
//! counts within one `<path>/<skills> skills` group; `scripts/callgrind-engine.sh` counts the
//! `enqueue` path's instructions and cache misses per route at each count, which tell the
//! work apart from what the memory hierarchy adds to its time.
//!
//! Quick smoke: `cargo bench -p acd-core -- --test`. Full run: `cargo bench -p acd-core`
//! (about three minutes on two cores).

mod workload;

use std::time::{Duration, Instant};

use acd_core::command::{ConfigParam, ConfigValue, Dispatch, NotReady};
use acd_core::{Capacity, Command, Mode, Reply, Skill, Strategy};
use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput,
};
use rand::seq::SliceRandom;
use rand::Rng;
use workload::{agent_id, complete, enqueue, ready, Bench, RING};

const AGENTS: [usize; 3] = [1_000, 10_000, 100_000];
const SKILLS: [usize; 3] = [6, 20, 100];
/// Queued contacts kept in the `ready` and `dispatch` benches.
const BACKLOG: usize = 1_000;
/// Contacts routed by one `dispatch` call.
const BATCH: usize = 100;
/// Assignments per millisecond of the fake clock in `retained`: the server harness's rate.
const PER_MS: usize = 180;

impl Bench {
    /// Runs a command and returns how long the engine took.
    fn timed(&mut self, cmd: &Command) -> (Reply, Duration) {
        self.now += 1;
        let start = Instant::now();
        let done = self.center.execute(cmd, self.now);
        let took = start.elapsed();
        match done.reply {
            Ok(reply) => (reply, took),
            Err(e) => panic!("{} failed: {e}", cmd.name()),
        }
    }
}

fn bulk(reply: Reply, what: &str) -> String {
    match reply {
        Reply::Bulk(id) => id,
        other => panic!("{what}: expected an id, got {other:?}"),
    }
}

/// Which command of an enqueue-and-complete pair a bench times.
#[derive(Clone, Copy, PartialEq)]
enum Timed {
    Enqueue,
    Complete,
}

/// Every agent ready; each ENQUEUE (on `channel`, default voice) is assigned at once, then
/// completed, which puts the agent back in the ready lines; `timed` says which one is timed.
fn time_enqueues(
    group: &mut BenchmarkGroup<WallTime>,
    mut b: Bench,
    agents: usize,
    channel: Option<&str>,
    timed: Timed,
) {
    let ring = b.enqueue_ring(channel);
    b.warm(&ring);
    let mut next = 0;
    group.bench_function(BenchmarkId::from_parameter(agents), |bencher| {
        bencher.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (enq, done) = &ring[next % RING];
                next += 1;
                let (reply, enqueued) = b.timed(enq);
                assert!(matches!(reply, Reply::Bulk(_)), "contact not assigned");
                let (reply, completed) = b.timed(done);
                assert_eq!(reply, Reply::Status("completed"), "contact not completed");
                total += match timed {
                    Timed::Enqueue => enqueued,
                    Timed::Complete => completed,
                };
            }
            total
        })
    });
}

fn bench_enqueue(c: &mut Criterion) {
    for skills in SKILLS {
        let mut group = c.benchmark_group(format!("enqueue/{skills} skills"));
        group.throughput(Throughput::Elements(1));
        for agents in AGENTS {
            time_enqueues(
                &mut group,
                Bench::new(agents, skills, Mode::Auto),
                agents,
                None,
                Timed::Enqueue,
            );
        }
        group.finish();
    }
}

/// The `ACD.COMPLETE` of a contact the `enqueue` path assigned, with 20 skills: the agent
/// records its busy time (a stay of one millisecond of the fake clock) and becomes eligible
/// again.
fn bench_complete(c: &mut Criterion) {
    let mut group = c.benchmark_group("complete/20 skills");
    group.throughput(Throughput::Elements(1));
    for agents in AGENTS {
        let b = Bench::new(agents, 20, Mode::Auto);
        time_enqueues(&mut group, b, agents, None, Timed::Complete);
    }
    group.finish();
}

/// The `enqueue` path under each strategy, with 20 skills.
fn bench_strategies(c: &mut Criterion) {
    for strategy in Strategy::ALL {
        let mut group = c.benchmark_group(format!("strategy/{}", strategy.as_str()));
        group.throughput(Throughput::Elements(1));
        for agents in AGENTS {
            let mut b = Bench::new(agents, 20, Mode::Auto);
            b.config(ConfigValue::Strategy(strategy));
            time_enqueues(&mut group, b, agents, None, Timed::Enqueue);
        }
        group.finish();
    }
}

/// The `enqueue` path for chat contacts, 6 skills, agents with `voice=1 chat=3`; and the
/// `complete` of such a contact, after which its agent, ready on chat all along, records its
/// busy time.
fn bench_channels(c: &mut Criterion) {
    let capacity = vec![Capacity::new("chat", 3), Capacity::new("voice", 1)];
    for (name, timed) in [
        ("channels/chat", Timed::Enqueue),
        ("channels/chat complete", Timed::Complete),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        for agents in AGENTS {
            let b = Bench::with_capacity(agents, 6, Mode::Auto, Some(capacity.clone()));
            time_enqueues(&mut group, b, agents, Some("chat"), timed);
        }
        group.finish();
    }
}

/// Nobody ready and [`BACKLOG`] contacts queued. Each iteration queues a contact that agent
/// `x` can serve (untimed), times `READY x` (it takes the first queued contact it can serve),
/// then completes that contact and makes `x` not ready again during its wrap-up (untimed).
fn bench_ready(c: &mut Criterion) {
    for skills in SKILLS {
        let mut group = c.benchmark_group(format!("ready/{skills} skills"));
        group.throughput(Throughput::Elements(1));
        for agents in AGENTS {
            let mut b = Bench::new(agents, skills, Mode::Auto);
            // A wrap-up that never ends by itself, so COMPLETE does not route the agent again.
            b.config(ConfigValue::Number(ConfigParam::WrapUp, 1 << 40));
            for _ in 0..BACKLOG {
                let cmd = b.any_contact();
                b.run(&cmd);
            }
            let mut order: Vec<usize> = (0..agents).collect();
            order.shuffle(&mut b.rng);
            let mut next = 0;
            group.bench_function(BenchmarkId::from_parameter(agents), |bencher| {
                bencher.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let n = order[next % agents];
                        next += 1;
                        let arrival = b.contact_for(n);
                        b.run(&arrival);
                        let (reply, took) = b.timed(&ready(n));
                        total += took;
                        let contact = bulk(reply, "READY");
                        b.run(&complete(&contact));
                        b.run(&Command::NotReady(NotReady {
                            agent: agent_id(n),
                            reason: None,
                            at: None,
                        }));
                    }
                    total
                })
            });
        }
        group.finish();
    }
}

/// Manual mode, every agent ready, [`BACKLOG`] contacts queued. Each timed DISPATCH routes up
/// to [`BATCH`] of them; then (untimed) their contacts complete and as many new ones arrive.
fn bench_dispatch(c: &mut Criterion) {
    let dispatch = Command::Dispatch(Dispatch {
        count: Some(BATCH),
        at: None,
    });
    for skills in SKILLS {
        let mut group = c.benchmark_group(format!("dispatch/{skills} skills"));
        group.throughput(Throughput::Elements(BATCH as u64));
        for agents in AGENTS {
            let mut b = Bench::new(agents, skills, Mode::Manual);
            b.ready_all();
            for _ in 0..BACKLOG {
                let cmd = b.any_contact();
                b.run(&cmd);
            }
            group.bench_function(BenchmarkId::from_parameter(agents), |bencher| {
                bencher.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let (reply, took) = b.timed(&dispatch);
                        total += took;
                        let Reply::Array(pairs) = reply else {
                            panic!("DISPATCH: expected an array, got {reply:?}");
                        };
                        for pair in pairs {
                            let Reply::Array(mut pair) = pair else {
                                panic!("DISPATCH: expected a pair, got {pair:?}");
                            };
                            pair.truncate(1);
                            let contact = bulk(pair.remove(0), "DISPATCH pair");
                            b.run(&complete(&contact));
                            let arrival = b.any_contact();
                            b.run(&arrival);
                        }
                    }
                    total
                })
            });
        }
        group.finish();
    }
}

/// Retention 1 s; each iteration (timed) enqueues a contact needing 2 skills of a random agent
/// (assigned at once) and completes it, [`PER_MS`] iterations per millisecond. Untimed first:
/// enough of them to fill the retention window.
fn bench_retained(c: &mut Criterion) {
    const AGENTS: usize = 10_000;
    let mut group = c.benchmark_group("retained/20 skills");
    group.throughput(Throughput::Elements(1));
    let mut b = Bench::new(AGENTS, 20, Mode::Auto);
    b.config(ConfigValue::Number(ConfigParam::Retention, 1));
    b.ready_all();
    // Ids come back only long after their contact was purged (1 s = 1000 * PER_MS).
    let ring: Vec<(Command, Command)> = (0..2 * 1000 * PER_MS)
        .map(|i| {
            let n = b.rng.gen_range(0..AGENTS);
            let skills: Vec<Skill> = b.staff[n]
                .choose_multiple(&mut b.rng, 2)
                .map(|s| Skill::new(s.name.clone(), 1))
                .collect();
            let id = format!("k{i}");
            (enqueue(id.clone(), skills, None), complete(&id))
        })
        .collect();
    let mut next = 0;
    let mut step = |b: &mut Bench| -> Duration {
        if next % PER_MS == 0 {
            b.now += 1;
        }
        let (enq, done) = &ring[next % ring.len()];
        next += 1;
        let start = Instant::now();
        let assigned = b.center.execute(enq, b.now).reply;
        let completed = b.center.execute(done, b.now).reply;
        let took = start.elapsed();
        assert!(
            matches!(assigned, Ok(Reply::Bulk(_))) && completed.is_ok(),
            "contact not assigned and completed"
        );
        took
    };
    for _ in 0..3 * 1000 * PER_MS / 2 {
        step(&mut b);
    }
    group.bench_function(BenchmarkId::from_parameter(AGENTS), |bencher| {
        bencher.iter_custom(|iters| (0..iters).map(|_| step(&mut b)).sum())
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = routing;
    config = config();
    targets = bench_enqueue, bench_complete, bench_ready, bench_dispatch, bench_strategies, bench_channels,
        bench_retained
}
criterion_main!(routing);
