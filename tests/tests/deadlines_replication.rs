//! Deadlines applied by the server (issue 6): the primary's timer applies offer timeouts, wrap-up ends and
//! `max-wait` on its wall clock and replicates the effects as explicit `ACD.TICK key AT ms` commands, so a
//! replica and an AOF replay reach the same `DEBUG DIGEST-VALUE`. Replicas never act on their own until
//! promoted. A write that fails after applying due deadlines is replicated as ACD.TICK. With `clock client` the
//! timers leave a center alone and only a later command's `AT` applies its deadlines.

use std::time::Duration;

use acd_tests::scenario::{self, Snapshot};
use acd_tests::{at, now_ms, t, wait_for, Conn, RedisServer, Stop, Workload};
use serde_json::json;

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn field(c: &mut Conn, command: &str, name: &str) -> serde_json::Value {
    c.json(command)[name].clone()
}

/// A server with a plain-command AOF, written before any reply goes out (`appendfsync always`), so a SIGKILL
/// loses nothing acknowledged and the AOF can be read right after the fact.
fn aof_server() -> RedisServer {
    RedisServer::builder()
        .arg("--appendonly", "yes")
        .arg("--appendfsync", "always")
        .arg("--aof-use-rdb-preamble", "no")
        .start()
}

/// The ACD.TICK commands in the primary's AOF that carry their time: the timer's, and the ticks of failed writes,
/// always do. A client's own `ACD.TICK key` may go out as sent (in the millisecond of the center's previous write,
/// where a replay runs it); any other tick must be `ACD.TICK key AT ms`.
fn ticks(server: &RedisServer) -> Vec<Vec<String>> {
    let ticks: Vec<Vec<String>> = server
        .aof_commands()
        .into_iter()
        .filter(|cmd| cmd[0].eq_ignore_ascii_case("ACD.TICK") && cmd.len() != 2)
        .collect();
    for tick in &ticks {
        assert!(
            tick.len() == 4 && tick[2].eq_ignore_ascii_case("AT") && tick[3].parse::<u64>().is_ok(),
            "a replicated ACD.TICK carries AT: {tick:?}"
        );
    }
    ticks
}

/// Replica digest and reads equal the primary's; then the primary, killed and restarted from its AOF, reads
/// exactly as before.
fn assert_replica_and_aof_agree(
    primary: &mut RedisServer,
    replica: &RedisServer,
    key: &str,
    agents: &[String],
    contacts: &[String],
) {
    let mut c = primary.conn();
    // WAIT waits for the offset of this connection's own last write; the timer's ACD.TICKs belong to no
    // client, so write a marker here first: its offset covers everything propagated before it.
    c.ok("SET replication-marker 1");
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    let digest = c.digest_value(key);
    let before = Snapshot::take_ids(&mut c, key, agents, contacts);
    let mut r = replica.conn();
    assert_eq!(r.digest_value(key), digest, "replica DEBUG DIGEST-VALUE");
    before.assert_same(
        &Snapshot::take_ids(&mut r, key, agents, contacts),
        "replica",
    );
    primary.restart(Stop::Kill);
    let mut c = primary.conn();
    assert_eq!(
        c.digest_value(key),
        digest,
        "DEBUG DIGEST-VALUE after AOF replay"
    );
    before.assert_same(
        &Snapshot::take_ids(&mut c, key, agents, contacts),
        "AOF replay",
    );
}

/// A scripted day on the wall clock; nothing touches the center while its offers time out, its wrap-up ends
/// and its contacts wait out `max-wait`: the primary's timer does all of it.
#[test]
fn timeouts_applied_by_the_primarys_timer_reach_the_replica_and_the_aof() {
    let mut primary = aof_server();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    for setting in ["offer-timeout 150", "wrapup 100", "max-wait 400"] {
        c.ok(format!("ACD.CONFIG center SET {setting}"));
    }
    for agent in ["a1", "a2"] {
        c.ok(format!("ACD.AGENT.ADD center {agent} SKILLS 1 english"));
        assert_eq!(c.bulk(format!("ACD.READY center {agent}")), None);
    }
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c1 SKILLS 1 english").as_deref(),
        Some("a1")
    );
    c.ok("ACD.ACCEPT center c1");
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c2 SKILLS 1 english").as_deref(),
        Some("a2")
    );
    assert_eq!(c.bulk("ACD.ENQUEUE center c3 SKILLS 1 german"), None);
    assert_eq!(c.status("ACD.COMPLETE center c1"), "completed");
    // From here on only reads: a1 wraps up and becomes ready, c2's offer to a2 times out and c2 is offered
    // to a1, that offer times out too, then c2 and c3 wait out max-wait.
    wait_for(Duration::from_secs(10), "c2 and c3 to time out", || {
        field(&mut c, "ACD.CONTACT.GET center c3", "state") == json!("timeout")
            && field(&mut c, "ACD.CONTACT.GET center c2", "state") == json!("timeout")
    });
    let enqueued_at = field(&mut c, "ACD.CONTACT.GET center c2", "enqueued_at");
    let enqueued_at = enqueued_at.as_u64().expect("enqueued_at");
    assert_eq!(
        field(&mut c, "ACD.CONTACT.GET center c2", "ended_at"),
        json!(enqueued_at + 400)
    );
    for agent in ["a1", "a2"] {
        let a = c.json(format!("ACD.AGENT.GET center {agent}"));
        assert_eq!(
            (&a["state"], &a["reason"]),
            (&json!("notready"), &json!("no-answer")),
            "{agent}"
        );
    }
    let stats = c.stats("ACD.STATS center");
    assert_eq!(
        (
            stats.int("offered_total"),
            stats.int("noanswer_total"),
            stats.int("timeout_total"),
            stats.int("completed_total")
        ),
        (3, 2, 2, 1)
    );
    assert!(
        !ticks(&primary).is_empty(),
        "the timer's work is in the AOF as ACD.TICK"
    );
    assert_eq!(c.status("ACD.CHECK center"), "OK");
    assert_replica_and_aof_agree(&mut primary, &replica, "center", &ids("a", 3), &ids("c", 4));
}

/// A long random workload on the server's clock (no AT) with short timeouts, so the timer applies deadlines
/// between commands; ACD.CHECK after every step. Then a quiet phase that only reads while the timer works: an
/// agent is offered a contact nobody answers and another contact waits for a skill nobody has. The center is
/// then frozen with `clock client` and compared with the replica and with an AOF replay.
#[test]
fn a_random_workload_on_the_server_clock_replicates_and_replays() {
    let mut primary = aof_server();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    let mut workload = Workload::with_server_clock(0xACD6_1001, "live");
    let coverage = workload.run_checked(&mut c, 1_500);
    eprintln!("{coverage:?}");
    for kind in ["acd.offer", "acd.assign", "acd.complete", "acd.requeue"] {
        assert!(
            coverage.events.get(kind).is_some_and(|n| *n > 0),
            "the workload should produce {kind}: {coverage:?}"
        );
    }
    let ticks_before = ticks(&primary).len();
    for command in [
        "ACD.OPEN live",
        "ACD.CONFIG live SET mode auto",
        "ACD.CONFIG live SET max-queue 0",
        "ACD.CONFIG live SET max-no-answer 1",
        "ACD.CONFIG live SET offer-timeout 40",
        "ACD.CONFIG live SET max-wait 100",
        "ACD.AGENT.ADD live quiet SKILLS 1 rare",
    ] {
        c.ok(command);
    }
    c.bulk("ACD.READY live quiet");
    assert_eq!(c.bulk("ACD.ENQUEUE live q1 SKILLS 1 nobody"), None);
    c.bulk("ACD.ENQUEUE live q2 SKILLS 1 rare");
    wait_for(
        Duration::from_secs(10),
        "the timer to end q1, q2 and quiet's offer",
        || {
            field(&mut c, "ACD.CONTACT.GET live q1", "state") == json!("timeout")
                && field(&mut c, "ACD.CONTACT.GET live q2", "state") == json!("timeout")
                && field(&mut c, "ACD.AGENT.GET live quiet", "reason") == json!("no-answer")
        },
    );
    assert!(
        ticks(&primary).len() > ticks_before,
        "the timer's work is in the AOF as ACD.TICK"
    );
    let stats = c.stats("ACD.STATS live");
    assert!(stats.int("noanswer_total") > 0 && stats.int("timeout_total") > 0);
    c.ok("ACD.CONFIG live SET clock client");
    assert_eq!(c.status("ACD.CHECK live"), "OK");
    let mut agents = ids("a", 10);
    agents.push("quiet".into());
    let mut contacts = ids("c", 800);
    contacts.extend(["q1".to_string(), "q2".to_string()]);
    assert_replica_and_aof_agree(&mut primary, &replica, "live", &agents, &contacts);
}

/// A write that fails after applying due deadlines changed the center, so the module replicates ACD.TICK at the
/// write's time in its place.
#[test]
fn a_failed_write_that_applied_deadlines_is_replicated_as_tick() {
    let mut primary = aof_server();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    c.ok(at("ACD.CONFIG center SET max-wait 100 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(
        c.err(at("ACD.READY center nobody @500")),
        "NOAGENT no such agent 'nobody'"
    );
    let commands = primary.aof_commands();
    let last = commands.last().expect("AOF commands");
    assert_eq!(
        last,
        &[
            "ACD.TICK".to_string(),
            "center".into(),
            "AT".into(),
            t(500).to_string()
        ]
    );
    assert!(
        !commands
            .iter()
            .any(|cmd| cmd[0].eq_ignore_ascii_case("ACD.READY")),
        "the failed READY is not propagated"
    );
    assert_eq!(c.int("WAIT 1 5000"), 1);
    let mut r = replica.conn();
    assert_eq!(
        field(&mut r, "ACD.CONTACT.GET center c1", "state"),
        json!("timeout")
    );
    assert_replica_and_aof_agree(&mut primary, &replica, "center", &ids("a", 1), &ids("c", 2));
}

/// A replica leaves deadlines to its primary even when they are long past; once promoted, its own timer applies
/// them, at their own due time.
#[test]
fn a_replica_applies_deadlines_only_once_promoted() {
    let mut primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    scenario::offer_c1_to_a1(&mut c, 2000);
    assert_eq!(c.int("WAIT 1 5000"), 1);
    primary.stop(Stop::Kill);
    let mut r = replica.conn();
    let offered_at = field(&mut r, "ACD.AGENT.GET center a1", "since")
        .as_u64()
        .expect("since");
    assert_eq!(
        field(&mut r, "ACD.AGENT.GET center a1", "state"),
        json!("offered")
    );
    let deadline = offered_at + 2000;
    // Not a sleep for synchronization: the condition is the wall clock passing the deadline, with a margin
    // for the replica's 10 ms timer to have run several times.
    wait_for(
        Duration::from_secs(10),
        "the wall clock to pass the deadline",
        || now_ms() > deadline + 100,
    );
    assert_eq!(
        field(&mut r, "ACD.AGENT.GET center a1", "state"),
        json!("offered"),
        "a replica does not apply deadlines"
    );
    r.ok("REPLICAOF NO ONE");
    wait_for(
        Duration::from_secs(5),
        "the promoted replica's timer",
        || field(&mut r, "ACD.AGENT.GET center a1", "state") == json!("notready"),
    );
    let a1 = r.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&a1["reason"], &a1["since"]),
        (&json!("no-answer"), &json!(deadline))
    );
}

/// `clock client`: the timers leave the center alone, whatever its times; only a command's AT applies its
/// deadlines. The times here (2023) are long past on the wall clock, so a `clock server` center twin has them
/// applied by the timer at once — and that is what the test waits for before looking at the client one.
#[test]
fn clock_client_leaves_deadlines_to_commands() {
    let server = RedisServer::start();
    let mut c = server.conn();
    const P: u64 = 1_700_000_000_000;
    assert_eq!(
        c.bulk("ACD.CONFIG cli GET clock").as_deref(),
        Some("server")
    );
    c.ok(format!("ACD.CONFIG cli SET clock client AT {P}"));
    assert_eq!(
        c.bulk("ACD.CONFIG cli GET clock").as_deref(),
        Some("client")
    );
    c.ok(format!("ACD.CONFIG cli SET clock CLIENT AT {P}"));
    for key in ["srv", "cli"] {
        // A retention of 10^9 s keeps ended contacts readable (purging is a deadline too).
        c.ok(format!("ACD.CONFIG {key} SET retention 1000000000 AT {P}"));
        c.ok(format!("ACD.CONFIG {key} SET max-wait 100 AT {P}"));
        c.ok(format!("ACD.CONFIG {key} SET offer-timeout 100 AT {P}"));
        assert_eq!(
            c.bulk(format!("ACD.ENQUEUE {key} c1 SKILLS 1 german AT {P}")),
            None
        );
    }
    wait_for(
        Duration::from_secs(5),
        "the timer to time out srv's c1",
        || field(&mut c, "ACD.CONTACT.GET srv c1", "state") == json!("timeout"),
    );
    assert_eq!(
        field(&mut c, "ACD.CONTACT.GET srv c1", "ended_at"),
        json!(P + 100)
    );
    assert_eq!(
        field(&mut c, "ACD.CONTACT.GET cli c1", "state"),
        json!("queued"),
        "the timer touched a clock-client center"
    );
    assert_eq!(c.int(format!("ACD.TICK cli AT {}", P + 99)), 0);
    assert_eq!(c.int(format!("ACD.TICK cli AT {}", P + 100)), 1);
    assert_eq!(
        field(&mut c, "ACD.CONTACT.GET cli c1", "ended_at"),
        json!(P + 100)
    );

    // An offer made at P + 200 times out at P + 300 only when a command says so.
    c.ok(format!("ACD.AGENT.ADD cli a1 SKILLS 0 AT {}", P + 200));
    assert_eq!(c.bulk(format!("ACD.READY cli a1 AT {}", P + 200)), None);
    assert_eq!(
        c.bulk(format!("ACD.ENQUEUE cli c2 SKILLS 0 AT {}", P + 200))
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        field(&mut c, "ACD.AGENT.GET cli a1", "state"),
        json!("offered")
    );
    // Back to `clock server` (at P + 250, before the deadline): the timer takes over and applies it.
    c.ok(format!("ACD.CONFIG cli SET clock server AT {}", P + 250));
    wait_for(
        Duration::from_secs(5),
        "the timer to apply cli's offer timeout",
        || field(&mut c, "ACD.AGENT.GET cli a1", "state") == json!("notready"),
    );
    assert_eq!(
        field(&mut c, "ACD.AGENT.GET cli a1", "since"),
        json!(P + 300)
    );
    assert_eq!(c.status("ACD.CHECK cli"), "OK");
}

/// The timer tracks a center's deadlines by database and key name: they follow the center through COPY,
/// RESTORE, RENAME and MOVE, and are re-armed after DEBUG RELOAD and after a restart from RDB. Each copy's offer
/// times out on the wall clock at the original deadline.
#[test]
fn deadlines_follow_the_center_through_key_operations_and_reloads() {
    let mut server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.CONFIG orig SET offer-timeout 600");
    c.ok("ACD.AGENT.ADD orig a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY orig a1"), None);
    assert_eq!(
        c.bulk("ACD.ENQUEUE orig c1 SKILLS 0").as_deref(),
        Some("a1")
    );
    let deadline = field(&mut c, "ACD.AGENT.GET orig a1", "since")
        .as_u64()
        .expect("since")
        + 600;
    assert_eq!(c.int("COPY orig copied"), 1);
    assert_eq!(c.int("COPY orig moved"), 1);
    assert_eq!(c.int("MOVE moved 1"), 1);
    let payload: Vec<u8> = redis::cmd("DUMP")
        .arg("orig")
        .query(c.inner())
        .expect("DUMP");
    let _: () = redis::cmd("RESTORE")
        .arg("restored")
        .arg(0)
        .arg(&payload)
        .query(c.inner())
        .expect("RESTORE");
    c.ok("RENAME orig renamed");
    let mut db1 = server.conn();
    db1.ok("SELECT 1");
    let timed_out = |c: &mut Conn, key: &str| {
        let a1 = c.json(format!("ACD.AGENT.GET {key} a1"));
        a1["state"] == json!("notready") && a1["since"] == json!(deadline)
    };
    wait_for(
        Duration::from_secs(5),
        "every copy's offer to time out",
        || {
            ["copied", "restored", "renamed"]
                .iter()
                .all(|key| timed_out(&mut c, key))
                && timed_out(&mut db1, "moved")
        },
    );

    // DEBUG RELOAD and a restart from RDB re-arm the timer for what they load.
    for reload in ["DEBUG RELOAD", "restart"] {
        assert_eq!(c.bulk("ACD.READY copied a1").as_deref(), Some("c1"));
        let deadline = field(&mut c, "ACD.AGENT.GET copied a1", "since")
            .as_u64()
            .expect("since")
            + 600;
        if reload == "restart" {
            server.shutdown_and_restart();
            c = server.conn();
        } else {
            c.ok("DEBUG RELOAD");
        }
        wait_for(
            Duration::from_secs(5),
            &format!("the offer to time out after {reload}"),
            || field(&mut c, "ACD.AGENT.GET copied a1", "state") == json!("notready"),
        );
        assert_eq!(
            field(&mut c, "ACD.AGENT.GET copied a1", "since"),
            json!(deadline),
            "{reload}"
        );
    }
}

/// A center loaded from a rewritten AOF (ACD.STATE.LOAD) has its deadlines re-armed too.
#[test]
fn deadlines_are_rearmed_after_a_rewritten_aof_is_replayed() {
    let mut server = aof_server();
    let mut c = server.conn();
    scenario::offer_c1_to_a1(&mut c, 800);
    let deadline = field(&mut c, "ACD.AGENT.GET center a1", "since")
        .as_u64()
        .expect("since")
        + 800;
    c.rewrite_aof();
    server.restart(Stop::Kill);
    let mut c = server.conn();
    wait_for(
        Duration::from_secs(5),
        "the offer to time out after the replay",
        || field(&mut c, "ACD.AGENT.GET center a1", "state") == json!("notready"),
    );
    assert_eq!(
        field(&mut c, "ACD.AGENT.GET center a1", "since"),
        json!(deadline)
    );
}

/// A pending deadline of a center that was deleted, or replaced by another type, is dropped when it comes
/// due: the string stays as it is and the server keeps answering.
#[test]
fn the_timer_ignores_a_center_that_is_gone() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for key in ["deleted", "replaced"] {
        c.ok(format!("ACD.CONFIG {key} SET offer-timeout 100"));
        c.ok(format!("ACD.AGENT.ADD {key} a1 SKILLS 0"));
        assert_eq!(c.bulk(format!("ACD.READY {key} a1")), None);
        assert_eq!(
            c.bulk(format!("ACD.ENQUEUE {key} c1 SKILLS 0")).as_deref(),
            Some("a1")
        );
    }
    let due = field(&mut c, "ACD.AGENT.GET replaced a1", "since")
        .as_u64()
        .expect("since")
        + 100;
    assert_eq!(c.int("DEL deleted"), 1);
    c.ok("SET replaced plain");
    // A control center with a later deadline shows the timer has run past the gone ones.
    c.ok("ACD.CONFIG control SET max-wait 150");
    assert_eq!(c.bulk("ACD.ENQUEUE control c1 SKILLS 0"), None);
    wait_for(
        Duration::from_secs(5),
        "the control center's timeout",
        || field(&mut c, "ACD.CONTACT.GET control c1", "state") == json!("timeout"),
    );
    assert!(now_ms() > due);
    c.ping();
    assert!(!c.exists("deleted"));
    assert_eq!(c.bulk("GET replaced").as_deref(), Some("plain"));
}

/// SWAPDB moves whole databases without a keyspace event per key. The centers keep their deadlines, so the
/// timer must still apply them where the centers now live: the offer times out with no client touching it.
#[test]
fn deadlines_survive_swapdb() {
    let server = RedisServer::start();
    let mut c = server.conn();
    scenario::offer_c1_to_a1(&mut c, 200);
    let deadline = field(&mut c, "ACD.AGENT.GET center a1", "since")
        .as_u64()
        .expect("since")
        + 200;
    c.ok("SWAPDB 0 1");
    let mut db1 = server.conn();
    db1.ok("SELECT 1");
    wait_for(
        Duration::from_secs(5),
        "the offer of the center now in db 1 to time out",
        || field(&mut db1, "ACD.AGENT.GET center a1", "state") == json!("notready"),
    );
    assert_eq!(
        field(&mut db1, "ACD.AGENT.GET center a1", "since"),
        json!(deadline)
    );
}
