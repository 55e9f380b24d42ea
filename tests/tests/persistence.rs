//! Persistence: DEBUG RELOAD, restart from RDB, restart from AOF (with and without the RDB preamble, before and
//! after BGREWRITEAOF), DUMP/RESTORE, COPY, digest and memory usage.
//!
//! Each round trip populates every center of [`SCENARIOS`] (auto/open, manual/closed, and one holding the
//! issue-6 state: offers, wrap-up, deadlines, missed-offer counts, a trimmed event log), snapshots them, and also
//! builds an identical reference copy of each that is exercised *before* the round trip. After the round trip
//! the centers must read exactly as before, and the same continuation commands must answer exactly what they
//! answered on the reference, which never went through persistence.

use acd_tests::scenario::{continue_auto, populate_auto, Scenario, Snapshot, SCENARIOS};
use acd_tests::{Conn, RedisServer, Stop};
use redis::Value;

const EMPTY_DIGEST: &str = "0000000000000000000000000000000000000000";

/// One populated center: how it read before the round trip, and what its reference copy answered.
struct Prepared {
    scenario: Scenario,
    before: Snapshot,
    replies: Vec<Value>,
    after: Snapshot,
}

/// Populates every scenario at its key, and computes its reference on a throw-away copy (deleted again).
fn prepare(c: &mut Conn) -> Vec<Prepared> {
    SCENARIOS
        .iter()
        .map(|&scenario| {
            let reference = format!("ref:{}", scenario.key);
            (scenario.populate)(c, scenario.key);
            (scenario.populate)(c, &reference);
            let before = Snapshot::take(c, scenario.key);
            assert_eq!(
                before,
                Snapshot::take(c, &reference),
                "identical population, identical snapshot"
            );
            let replies = (scenario.continuation)(c, &reference);
            let after = Snapshot::take(c, &reference);
            assert_eq!(c.int(["DEL", &reference]), 1);
            Prepared {
                scenario,
                before,
                replies,
                after,
            }
        })
        .collect()
}

/// Checks the centers after a round trip, then runs the continuations against the reference.
fn verify(c: &mut Conn, prepared: &[Prepared], digest_before: &str, context: &str) {
    for p in prepared {
        let key = p.scenario.key;
        p.before
            .assert_same(&Snapshot::take(c, key), &format!("{context}: {key} center"));
    }
    assert_eq!(c.digest(), digest_before, "{context}: DEBUG DIGEST");
    for p in prepared {
        let key = p.scenario.key;
        assert_eq!(
            (p.scenario.continuation)(c, key),
            p.replies,
            "{context}: continuation of the {key} center"
        );
        p.after.assert_same(
            &Snapshot::take(c, key),
            &format!("{context}: {key} center after continuation"),
        );
    }
}

/// Populates, runs `round_trip`, verifies.
fn survives(
    server: &mut RedisServer,
    context: &str,
    round_trip: impl FnOnce(&mut RedisServer, &mut Conn),
) {
    let mut c = server.conn();
    let before = prepare(&mut c);
    let digest = c.digest();
    assert_ne!(
        c.digest_value("auto"),
        EMPTY_DIGEST,
        "the module type must implement digest"
    );
    round_trip(server, &mut c);
    let mut c = server.conn();
    verify(&mut c, &before, &digest, context);
}

#[test]
fn debug_reload_keeps_everything() {
    let mut server = RedisServer::start();
    survives(&mut server, "DEBUG RELOAD", |_, c| c.ok("DEBUG RELOAD"));
}

#[test]
fn restart_from_rdb_after_save() {
    let mut server = RedisServer::start();
    survives(&mut server, "SAVE + kill + restart", |server, c| {
        c.ok("SAVE");
        server.restart(Stop::Kill);
    });
}

#[test]
fn restart_from_rdb_after_shutdown_save() {
    let mut server = RedisServer::start();
    survives(&mut server, "SHUTDOWN SAVE + restart", |server, _| {
        server.shutdown_and_restart()
    });
}

/// A server with the AOF on. `appendfsync always`: the AOF is written before any reply goes out, so a SIGKILL
/// loses nothing that was acknowledged (with `everysec` Redis may put off the write while a background fsync
/// runs, e.g. right after a rewrite, and a kill then loses the last writes).
fn aof_server(preamble: &str) -> RedisServer {
    RedisServer::builder()
        .arg("--appendonly", "yes")
        .arg("--appendfsync", "always")
        .arg("--aof-use-rdb-preamble", preamble)
        .start()
}

#[test]
fn restart_from_aof_without_preamble() {
    let mut server = aof_server("no");
    survives(
        &mut server,
        "AOF (no preamble) + kill + restart",
        |server, _| server.restart(Stop::Kill),
    );
}

#[test]
fn restart_from_aof_with_preamble() {
    let mut server = aof_server("yes");
    survives(
        &mut server,
        "AOF (preamble) + SHUTDOWN NOSAVE + restart",
        |server, _| server.restart(Stop::NoSave),
    );
}

#[test]
fn restart_from_rewritten_aof_without_preamble() {
    let mut server = aof_server("no");
    survives(
        &mut server,
        "BGREWRITEAOF (no preamble) + restart",
        |server, c| {
            c.rewrite_aof();
            server.restart(Stop::Kill);
        },
    );
}

#[test]
fn restart_from_rewritten_aof_with_preamble() {
    let mut server = aof_server("yes");
    survives(
        &mut server,
        "BGREWRITEAOF (preamble) + restart",
        |server, c| {
            c.rewrite_aof();
            server.restart(Stop::Kill);
        },
    );
}

#[test]
fn writes_after_an_aof_rewrite_are_replayed_too() {
    let mut server = aof_server("no");
    let mut c = server.conn();
    populate_auto(&mut c, "auto");
    c.rewrite_aof();
    populate_auto(&mut c, "ref");
    let reference = continue_auto(&mut c, "ref");
    let reference_after = Snapshot::take(&mut c, "ref");
    assert_eq!(continue_auto(&mut c, "auto"), reference);
    let digest = c.digest();
    server.restart(Stop::Kill);
    let mut c = server.conn();
    assert_eq!(c.digest(), digest);
    reference_after.assert_same(
        &Snapshot::take(&mut c, "auto"),
        "rewritten base + incremental AOF",
    );
}

#[test]
fn dump_and_restore_into_another_key_keeps_everything() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for scenario in SCENARIOS {
        let key = scenario.key;
        (scenario.populate)(&mut c, key);
        let payload: Vec<u8> = redis::cmd("DUMP").arg(key).query(c.inner()).expect("DUMP");
        let copy = format!("{key}:restored");
        let restored: Value = redis::cmd("RESTORE")
            .arg(&copy)
            .arg(0)
            .arg(&payload)
            .query(c.inner())
            .expect("RESTORE");
        assert_eq!(restored, Value::Okay);
        Snapshot::take(&mut c, key)
            .assert_same(&Snapshot::take(&mut c, &copy), &format!("RESTORE {copy}"));
        assert_eq!(c.digest_value(key), c.digest_value(&copy));
        // RESTORE REPLACE over an existing center.
        let replaced: Value = redis::cmd("RESTORE")
            .arg(&copy)
            .arg(0)
            .arg(&payload)
            .arg("REPLACE")
            .query(c.inner())
            .expect("RESTORE REPLACE");
        assert_eq!(replaced, Value::Okay);
        let (a, b) = (
            (scenario.continuation)(&mut c, key),
            (scenario.continuation)(&mut c, &copy),
        );
        assert_eq!(a, b, "continuation after RESTORE {copy}");
        Snapshot::take(&mut c, key).assert_same(
            &Snapshot::take(&mut c, &copy),
            &format!("{copy} after continuation"),
        );
    }
}

#[test]
fn copy_makes_an_independent_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_auto(&mut c, "auto");
    let original = Snapshot::take(&mut c, "auto");
    assert_eq!(c.int("COPY auto copy"), 1);
    original.assert_same(&Snapshot::take(&mut c, "copy"), "COPY");
    let replies = continue_auto(&mut c, "copy");
    original.assert_same(
        &Snapshot::take(&mut c, "auto"),
        "the original after changing the copy",
    );
    assert_eq!(continue_auto(&mut c, "auto"), replies);
}

#[test]
fn digest_follows_the_content() {
    let server = RedisServer::start();
    let mut c = server.conn();
    populate_auto(&mut c, "one");
    populate_auto(&mut c, "two");
    let digest = c.digest_value("one");
    assert_ne!(digest, EMPTY_DIGEST);
    assert_eq!(c.digest_value("two"), digest);
    c.ok("ACD.AGENT.META two a2 {\"x\":1}");
    assert_ne!(c.digest_value("two"), digest, "META changes the digest");
    populate_auto(&mut c, "three");
    c.bulk("ACD.READY three a5 AT 1700000000500");
    assert_ne!(c.digest_value("three"), digest, "READY changes the digest");
}

#[test]
fn memory_usage_grows_with_the_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.AGENT.ADD small a1 SKILLS 0");
    for i in 0..500 {
        c.ok(format!(
            "ACD.AGENT.ADD big agent-{i} SKILLS 2 english=3 skill-{i}"
        ));
        c.bulk(format!(
            "ACD.ENQUEUE big contact-{i} SKILLS 1 nobody-has-this"
        ));
    }
    let small = c.int("MEMORY USAGE small");
    let big = c.int("MEMORY USAGE big");
    assert!(small > 0, "MEMORY USAGE small = {small}");
    assert!(
        big > small + 500 * 50,
        "MEMORY USAGE big = {big}, small = {small}"
    );
}

#[test]
fn writes_are_propagated_with_their_time_and_failures_are_not() {
    let server = aof_server("no");
    let mut c = server.conn();
    let size = |c: &mut Conn| c.info_field("persistence", "aof_current_size");
    let empty = size(&mut c);
    for failing in [
        "ACD.AGENT.ADD center a1 SKILLS 1 x=11",
        "ACD.READY center a1",
        "ACD.ENQUEUE center c1",
        "ACD.COMPLETE center c1",
        "ACD.CONFIG center SET mode fast",
    ] {
        c.err(failing);
        assert_eq!(size(&mut c), empty, "`{failing}` reached the AOF");
    }
    c.strings("ACD.QUEUE center");
    c.stats("ACD.STATS center");
    assert_eq!(size(&mut c), empty, "reads reached the AOF");

    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    let since = c.json("ACD.AGENT.GET center a1")["since"].to_string();
    assert_ne!(size(&mut c), empty);
    let adds: Vec<Vec<String>> = server
        .aof_commands()
        .into_iter()
        .filter(|cmd| {
            cmd.first()
                .is_some_and(|n| n.eq_ignore_ascii_case("ACD.AGENT.ADD"))
        })
        .collect();
    assert_eq!(adds.len(), 1, "one ACD.AGENT.ADD in the AOF: {adds:?}");
    let at = adds[0].iter().position(|a| a.eq_ignore_ascii_case("AT"));
    assert_eq!(
        at.and_then(|i| adds[0].get(i + 1)),
        Some(&since),
        "the AOF command carries the event time: {:?}",
        adds[0]
    );
}

/// Agents `a0..a9` and, for each id, an `ACD.ENQUEUE` and `ACD.COMPLETE` without `AT`, in one pipeline: most
/// of them run in the millisecond of the center's previous write. Returns the commands the burst appended to the
/// (incremental) AOF.
fn burst(
    server: &RedisServer,
    c: &mut Conn,
    agents: &[String],
    contacts: &[String],
) -> Vec<Vec<String>> {
    let acd_writes = || -> Vec<Vec<String>> {
        server
            .aof_commands()
            .into_iter()
            .filter(|cmd| cmd.first().is_some_and(|name| name.starts_with("ACD.")))
            .collect()
    };
    let before = acd_writes().len();
    let mut pipe = redis::pipe();
    for agent in agents {
        pipe.cmd("ACD.AGENT.ADD")
            .arg("center")
            .arg(agent)
            .arg("SKILLS")
            .arg(0);
        pipe.cmd("ACD.READY").arg("center").arg(agent);
    }
    for contact in contacts {
        pipe.cmd("ACD.ENQUEUE")
            .arg("center")
            .arg(contact)
            .arg("SKILLS")
            .arg(0);
        pipe.cmd("ACD.COMPLETE").arg("center").arg(contact);
    }
    pipe.query::<Vec<Value>>(c.inner()).expect("the burst runs");
    let writes = acd_writes().split_off(before);
    assert_eq!(
        writes.len(),
        2 * (agents.len() + contacts.len()),
        "every write of the burst is in the AOF"
    );
    let as_sent = writes.iter().filter(|cmd| !carries_at(cmd)).count();
    assert!(
        as_sent > writes.len() / 2,
        "most writes of a burst go out as sent: {as_sent} of {}",
        writes.len()
    );
    writes
}

fn carries_at(cmd: &[String]) -> bool {
    cmd.iter().any(|a| a.eq_ignore_ascii_case("AT"))
}

/// Writes sent without `AT` that run in the millisecond of the center's previous write go to the AOF as sent; a
/// replay (here after a restart, on a later clock) runs them at the time the center recorded, so every time the
/// center reports is the one it reported before. Also across an AOF rewrite, whose `ACD.STATE.LOAD` carries the
/// recorded time.
#[test]
fn writes_without_at_replay_at_the_time_they_ran() {
    let mut server = aof_server("no");
    let mut c = server.conn();
    let agents: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();
    let contacts: Vec<String> = (0..600).map(|i| format!("c{i}")).collect();
    let first = burst(&server, &mut c, &agents, &contacts[..300]);
    assert!(
        carries_at(&first[0]),
        "the write that creates the center carries its time"
    );
    c.rewrite_aof();
    burst(&server, &mut c, &[], &contacts[300..]);
    let before = Snapshot::take_ids(&mut c, "center", &agents, &contacts);
    let digest = c.digest();

    server.restart(Stop::Kill);
    let mut c = server.conn();
    before.assert_same(
        &Snapshot::take_ids(&mut c, "center", &agents, &contacts),
        "replayed from the rewritten AOF and the writes after it",
    );
    assert_eq!(c.digest(), digest, "DEBUG DIGEST after the replay");
}
