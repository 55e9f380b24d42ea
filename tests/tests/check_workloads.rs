//! ACD.CHECK (issue 6) answers OK after every step of long seeded random workloads that make offers and accept,
//! reject or let them time out, complete contacts into wrap-up, time contacts out with `max-wait`, hit
//! `max-queue`, change the configuration and move time with `AT` (now and then backwards). After every step
//! the event log is read too: its ids must follow each other without gaps. Agents hold several contacts
//! on several channels (chat, email and voice capacity, `voice-blocks` on and off). At the end a replica attached from
//! the start reads exactly like the primary, and DEBUG RELOAD changes nothing.
//!
//! A failure names the seed and the step and lists the last commands, so it can be replayed.

use std::collections::BTreeMap;

use acd_tests::scenario::Snapshot;
use acd_tests::{Conn, RedisServer, Workload, T0};

const STEPS: usize = 2_500;
const SEEDS: [u64; 3] = [0xACD6_0001, 0xACD6_0002, 0xACD6_0003];

#[test]
fn check_stays_ok_through_random_workloads() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut keys = Vec::new();
    for (i, seed) in SEEDS.into_iter().enumerate() {
        let key = format!("w{i}");
        let mut workload = Workload::with_at(seed, &key, T0 + i as u64 * 1_000_000);
        let coverage = workload.run_checked(&mut c, STEPS);
        eprintln!("seed {seed:#x}: {coverage:?}");
        for kind in [
            "acd.offer",
            "acd.assign",
            "acd.reject",
            "acd.noanswer",
            "acd.requeue",
            "acd.complete",
            "acd.wrapup",
            "acd.abandon",
            "acd.timeout",
            "acd.notready",
            "acd.ready",
            "acd.config",
        ] {
            assert!(
                coverage.events.get(kind).is_some_and(|n| *n > 0),
                "seed {seed:#x}: the workload should produce {kind}: {coverage:?}"
            );
        }
        for (code, n) in coverage.errors {
            *errors.entry(code).or_default() += n;
        }
        // Channels were exercised: contacts were assigned on chat and email as well as voice.
        let assigned = c
            .stats(["ACD.STATS", key.as_str()])
            .map("assigned_by_channel");
        let channels: Vec<&str> = assigned.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(channels, ["chat", "email", "voice"], "seed {seed:#x}");
        keys.push(key);
    }
    for code in ["ERR", "NOTOFFERED", "QUEUEFULL", "BUSYAGENT", "EXISTS"] {
        assert!(
            errors.get(code).is_some_and(|n| *n > 0),
            "the workloads should meet {code} errors: {errors:?}"
        );
    }

    let agents: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();
    let contacts: Vec<String> = (0..600).map(|i| format!("c{i}")).collect();
    let snapshot = |c: &mut Conn, key: &str| Snapshot::take_ids(c, key, &agents, &contacts);
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    let mut r = replica.conn();
    for key in &keys {
        assert_eq!(
            r.digest_value(key),
            c.digest_value(key),
            "DEBUG DIGEST-VALUE {key}"
        );
        snapshot(&mut c, key).assert_same(&snapshot(&mut r, key), &format!("replica of {key}"));
    }
    let before: Vec<Snapshot> = keys.iter().map(|k| snapshot(&mut c, k)).collect();
    c.ok("DEBUG RELOAD");
    for (key, before) in keys.iter().zip(before) {
        before.assert_same(&snapshot(&mut c, key), &format!("{key} after DEBUG RELOAD"));
    }
}
