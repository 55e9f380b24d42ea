//! The event log (issue 6): every state change is appended to a bounded log inside the center with increasing
//! ids; `ACD.EVENTS key [SINCE id] [COUNT n] [BLOCK ms]` pages through it and, with BLOCK, waits for the next
//! entry (not inside MULTI or Lua). The log survives DEBUG RELOAD and restarts, and its ids never repeat.
//!
//! Blocked readers run on their own connection in a thread; the test waits until the server reports them
//! blocked (`blocked_clients`) before writing, so no sleep stands in for synchronization.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use acd_tests::{at, scenario, t, wait_for, Conn, Event, RedisServer, Stop, EVENT_KEYS};
use redis::Value;

/// How long a woken reader may take to answer after the write that woke it.
const WAKE_BOUND: Duration = Duration::from_secs(2);

fn ids(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.id).collect()
}

fn all_events(c: &mut Conn, key: &str) -> Vec<Event> {
    c.events(format!("ACD.EVENTS {key} COUNT 1000000"))
}

/// Runs `command` (an `ACD.EVENTS ... BLOCK`) on `reader` in a thread; the thread answers the reply and when
/// it arrived.
fn spawn_read(mut reader: Conn, command: String) -> JoinHandle<(Option<Vec<Event>>, Instant)> {
    std::thread::spawn(move || {
        let reply = reader.events_or_nil(command.as_str());
        (reply, Instant::now())
    })
}

fn wait_for_blocked(c: &mut Conn, count: usize) {
    wait_for(
        Duration::from_secs(5),
        &format!("{count} blocked client(s)"),
        || c.info_field("clients", "blocked_clients") == Some(count.to_string()),
    );
}

#[test]
fn entries_have_the_documented_shape_in_both_protocols() {
    let server = RedisServer::start();
    for mut c in [server.conn(), server.conn_resp3()] {
        let key = if c.is_resp3() { "center3" } else { "center2" };
        assert_eq!(
            c.events(format!("ACD.EVENTS {key}")),
            [],
            "a missing key has no events"
        );
        assert!(!c.exists(key));
        c.ok(at(&format!("ACD.AGENT.ADD {key} a1 SKILLS 0 @0")));
        c.ok(at(&format!("ACD.NOTREADY {key} a1 REASON lunch @5")));
        assert_eq!(
            c.bulk(at(&format!("ACD.ENQUEUE {key} c1 SKILLS 0 @7"))),
            None
        );
        c.ok(at(&format!("ACD.CONFIG {key} SET mode manual @9")));
        assert_eq!(
            c.events(format!("ACD.EVENTS {key}")),
            [
                Event::new(1, t(0), "acd.agent.add", Some("a1"), None, None),
                Event::new(2, t(5), "acd.notready", Some("a1"), None, Some("lunch")),
                Event::new(3, t(7), "acd.enqueue", None, Some("c1"), None),
                Event::new(4, t(9), "acd.config", None, None, Some("mode=manual")),
            ],
            "{key}"
        );
    }
    // The exact wire shape: RESP3 maps and RESP2 flat arrays, keys in order, nil for what is absent.
    let Value::Array(resp3) = server.conn_resp3().call("ACD.EVENTS center3 COUNT 1") else {
        panic!("RESP3 EVENTS is not an array");
    };
    let Value::Map(entry) = &resp3[0] else {
        panic!("a RESP3 entry is not a map: {resp3:?}");
    };
    let keys: Vec<Value> = entry.iter().map(|(k, _)| k.clone()).collect();
    let expected: Vec<Value> = EVENT_KEYS
        .iter()
        .map(|k| Value::BulkString(k.as_bytes().to_vec()))
        .collect();
    assert_eq!(keys, expected);
    assert_eq!(entry[0].1, Value::Int(1));
    assert_eq!(entry[4].1, Value::Nil, "no contact");
    let Value::Array(resp2) = server.conn().call("ACD.EVENTS center2 COUNT 1") else {
        panic!("RESP2 EVENTS is not an array");
    };
    assert_eq!(
        resp2,
        [Value::Array(vec![
            Value::BulkString(b"id".to_vec()),
            Value::Int(1),
            Value::BulkString(b"at".to_vec()),
            Value::Int(t(0) as i64),
            Value::BulkString(b"type".to_vec()),
            Value::BulkString(b"acd.agent.add".to_vec()),
            Value::BulkString(b"agent".to_vec()),
            Value::BulkString(b"a1".to_vec()),
            Value::BulkString(b"contact".to_vec()),
            Value::Nil,
            Value::BulkString(b"reason".to_vec()),
            Value::Nil,
        ])]
    );
}

#[test]
fn since_and_count_page_through_the_log() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for i in 0..250 {
        c.ok(at(&format!("ACD.AGENT.ADD center a{i} SKILLS 0 @{i}")));
    }
    let first = c.events("ACD.EVENTS center");
    assert_eq!(
        ids(&first),
        (1..=100).collect::<Vec<_>>(),
        "COUNT defaults to 100"
    );
    assert_eq!(first[41].at, t(41));
    assert_eq!(
        ids(&c.events("ACD.EVENTS center SINCE 100")),
        (101..=200).collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&c.events("ACD.EVENTS center since 200 count 10")),
        (201..=210).collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&c.events("ACD.EVENTS center COUNT 3 SINCE 248")),
        [249, 250]
    );
    assert_eq!(c.events("ACD.EVENTS center SINCE 250"), []);
    assert_eq!(c.events("ACD.EVENTS center SINCE 18446744073709551615"), []);
    // Paging with SINCE = the last id seen reads every entry exactly once, in order.
    let mut seen = Vec::new();
    loop {
        let since = seen.last().copied().unwrap_or(0);
        let page = c.events(format!("ACD.EVENTS center SINCE {since} COUNT 7"));
        if page.is_empty() {
            break;
        }
        seen.extend(ids(&page));
    }
    assert_eq!(seen, (1..=250).collect::<Vec<_>>());
}

#[test]
fn events_max_keeps_the_newest_entries_and_ids_never_repeat() {
    let server = RedisServer::start();
    let mut c = server.conn();
    assert_eq!(c.int("ACD.CONFIG center GET events-max"), 10_000);
    c.ok(at("ACD.CONFIG center SET events-max 5 @0"));
    for i in 0..10 {
        c.ok(at(&format!("ACD.AGENT.ADD center a{i} SKILLS 0 @{i}")));
    }
    assert_eq!(ids(&all_events(&mut c, "center")), [7, 8, 9, 10, 11]);
    assert_eq!(
        ids(&c.events("ACD.EVENTS center SINCE 2")),
        [7, 8, 9, 10, 11]
    );
    assert_eq!(ids(&c.events("ACD.EVENTS center SINCE 8")), [9, 10, 11]);
    // Lowering the limit trims at once (its own event, 12, is kept).
    c.ok(at("ACD.CONFIG center SET events-max 3 @20"));
    let events = all_events(&mut c, "center");
    assert_eq!(ids(&events), [10, 11, 12]);
    assert_eq!(
        events[2],
        Event::new(12, t(20), "acd.config", None, None, Some("events-max=3"))
    );
    // Raising it brings nothing back; new ids continue.
    c.ok(at("ACD.CONFIG center SET events-max 100 @21"));
    c.ok(at("ACD.AGENT.DEL center a0 @22"));
    assert_eq!(ids(&all_events(&mut c, "center")), [10, 11, 12, 13, 14]);
    // Deleting the key starts a new center, with a new log.
    assert_eq!(c.int("DEL center"), 1);
    c.ok(at("ACD.AGENT.ADD center a0 SKILLS 0 @30"));
    assert_eq!(ids(&all_events(&mut c, "center")), [1]);
}

#[test]
fn failed_commands_and_reads_log_nothing() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 1 x @1")), None);
    let before = all_events(&mut c, "center");
    for failing in [
        "ACD.AGENT.ADD center a1 SKILLS 0 @2",
        "ACD.READY center nobody @2",
        "ACD.ACCEPT center c1 @2",
        "ACD.ENQUEUE center c1 SKILLS 0 @2",
        "ACD.CONFIG center SET wrapup x @2",
    ] {
        c.err(at(failing));
    }
    for read in [
        "ACD.STATS center @3",
        "ACD.QUEUE center",
        "ACD.AGENTS center",
        "ACD.CHECK center",
        "ACD.ESTIMATE center SKILLS 0 @3",
        "ACD.AGENT.GET center a1",
        "ACD.CONFIG center GET mode",
    ] {
        c.call(at(read));
    }
    // A TICK with nothing due changes nothing either.
    assert_eq!(c.int(at("ACD.TICK center @4")), 0);
    assert_eq!(all_events(&mut c, "center"), before);
}

/// Runs an `at` template and checks the entries it logged after `last` (`(type, agent, contact, offset)`,
/// no reason), then moves `last` past them.
fn step(
    c: &mut Conn,
    last: &mut u64,
    command: &str,
    expected: &[(&str, Option<&str>, Option<&str>, u64)],
) {
    c.call(at(command));
    let events = c.events(format!("ACD.EVENTS center SINCE {last}"));
    let want: Vec<Event> = expected
        .iter()
        .zip(*last + 1..)
        .map(|(&(kind, agent, contact, offset), id)| {
            Event::new(id, t(offset), kind, agent, contact, None)
        })
        .collect();
    assert_eq!(events, want, "{command}");
    *last += expected.len() as u64;
}

/// COMPLETE logs acd.complete then acd.ready (or acd.wrapup, or acd.assign when the agent takes the next
/// contact at once); AGENT.DEL logs acd.agent.del before the acd.requeue of the contact it held.
#[test]
fn complete_and_agent_del_log_their_events_in_order() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @1")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @2")).as_deref(),
        Some("a1")
    );
    let mut last = 5;
    step(
        &mut c,
        &mut last,
        "ACD.COMPLETE center c1 @10",
        &[
            ("acd.complete", Some("a1"), Some("c1"), 10),
            ("acd.ready", Some("a1"), None, 10),
        ],
    );
    step(
        &mut c,
        &mut last,
        "ACD.ENQUEUE center c2 SKILLS 0 @20",
        &[
            ("acd.enqueue", None, Some("c2"), 20),
            ("acd.assign", Some("a1"), Some("c2"), 20),
        ],
    );
    step(
        &mut c,
        &mut last,
        "ACD.ENQUEUE center c3 SKILLS 0 @30",
        &[("acd.enqueue", None, Some("c3"), 30)],
    );
    step(
        &mut c,
        &mut last,
        "ACD.COMPLETE center c2 @40",
        &[
            ("acd.complete", Some("a1"), Some("c2"), 40),
            ("acd.assign", Some("a1"), Some("c3"), 40),
        ],
    );
    step(
        &mut c,
        &mut last,
        "ACD.AGENT.DEL center a1 @50",
        &[
            ("acd.agent.del", Some("a1"), None, 50),
            ("acd.requeue", None, Some("c3"), 50),
        ],
    );
    assert_eq!(c.bulk(at("ACD.READY center a2 @60")).as_deref(), Some("c3"));
    last += 1;
    c.ok(at("ACD.CONFIG center SET wrapup 100 @70"));
    last += 1;
    step(
        &mut c,
        &mut last,
        "ACD.COMPLETE center c3 @80",
        &[
            ("acd.complete", Some("a2"), Some("c3"), 80),
            ("acd.wrapup", Some("a2"), Some("c3"), 80),
        ],
    );
    step(&mut c, &mut last, "ACD.COMPLETE center c3 @90", &[]);
}

/// Two readers (RESP2 and RESP3) block on the center; one ENQUEUE on a third connection wakes both, well
/// before their BLOCK runs out, with the entries that write logged.
#[test]
fn blocked_readers_are_woken_by_an_enqueue() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    let readers: Vec<_> = [server.conn(), server.conn_resp3()]
        .into_iter()
        .map(|reader| spawn_read(reader, "ACD.EVENTS center SINCE 1 BLOCK 30000".into()))
        .collect();
    wait_for_blocked(&mut c, 2);
    let written = Instant::now();
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")), None);
    for reader in readers {
        let (reply, answered) = reader.join().expect("reader thread");
        assert_eq!(
            reply,
            Some(vec![Event::new(
                2,
                t(10),
                "acd.enqueue",
                None,
                Some("c1"),
                None
            )])
        );
        assert!(
            answered.duration_since(written) < WAKE_BOUND,
            "woken after {:?}",
            answered.duration_since(written)
        );
    }
    assert_eq!(
        c.info_field("clients", "blocked_clients").as_deref(),
        Some("0")
    );
}

/// The log is identical on a replica, and a reader blocked there is woken by the replicated write (as with
/// XREAD), so event consumers can read from replicas.
#[test]
fn a_reader_blocked_on_a_replica_is_woken_by_the_replicated_write() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.int("WAIT 1 5000"), 1);
    let mut r = replica.conn();
    let reader = spawn_read(
        replica.conn_resp3(),
        "ACD.EVENTS center SINCE 1 BLOCK 30000".into(),
    );
    wait_for_blocked(&mut r, 1);
    let written = Instant::now();
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")), None);
    let (reply, answered) = reader.join().expect("reader thread");
    assert_eq!(
        reply,
        Some(vec![Event::new(
            2,
            t(10),
            "acd.enqueue",
            None,
            Some("c1"),
            None
        )])
    );
    assert!(answered.duration_since(written) < WAKE_BOUND);
    assert_eq!(all_events(&mut r, "center"), all_events(&mut c, "center"));
}

#[test]
fn block_times_out_with_nil() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    for mut reader in [server.conn(), server.conn_resp3()] {
        for command in [
            "ACD.EVENTS center SINCE 1 BLOCK 200",
            "ACD.EVENTS missing BLOCK 200",
        ] {
            let started = Instant::now();
            assert_eq!(reader.events_or_nil(command), None, "{command}");
            let took = started.elapsed();
            assert!(
                took >= Duration::from_millis(190) && took < Duration::from_secs(5),
                "{command}: answered after {took:?}"
            );
        }
    }
    assert!(!c.exists("missing"));
}

#[test]
fn block_answers_at_once_when_entries_are_there() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @1"));
    let started = Instant::now();
    assert_eq!(ids(&c.events("ACD.EVENTS center SINCE 0 BLOCK 0")), [1, 2]);
    assert_eq!(
        ids(&c.events("ACD.EVENTS center SINCE 1 COUNT 1 BLOCK 30000")),
        [2]
    );
    assert!(started.elapsed() < WAKE_BOUND);
}

/// BLOCK 0 waits forever: on a key that does not exist yet, the write that creates the center wakes it. Writes
/// that log nothing (a failed command) and writes to another center do not.
#[test]
fn block_zero_waits_for_the_first_entry() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let reader = spawn_read(server.conn_resp3(), "ACD.EVENTS center BLOCK 0".into());
    wait_for_blocked(&mut c, 1);
    c.err("ACD.READY center nobody");
    c.ok("ACD.AGENT.ADD other a1 SKILLS 0");
    c.ok("SET unrelated x");
    assert_eq!(
        c.info_field("clients", "blocked_clients").as_deref(),
        Some("1"),
        "woken by a write that logged nothing on its key"
    );
    let written = Instant::now();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    let (reply, answered) = reader.join().expect("reader thread");
    assert_eq!(
        reply,
        Some(vec![Event::new(
            1,
            t(0),
            "acd.agent.add",
            Some("a1"),
            None,
            None
        )])
    );
    assert!(answered.duration_since(written) < WAKE_BOUND);
}

/// The server's timer applying a deadline (here an offer timeout, on the wall clock) wakes a blocked reader
/// like any other write.
#[test]
fn a_deadline_applied_by_the_timer_wakes_a_blocked_reader() {
    let server = RedisServer::start();
    let mut c = server.conn();
    scenario::offer_c1_to_a1(&mut c, 200);
    let last = all_events(&mut c, "center").last().expect("events").clone();
    assert_eq!(last.kind, "acd.offer");
    let reader = spawn_read(
        server.conn(),
        format!("ACD.EVENTS center SINCE {} BLOCK 30000", last.id),
    );
    let (reply, _) = reader.join().expect("reader thread");
    let events = reply.expect("woken, not timed out");
    assert_eq!(
        events[0],
        Event::new(
            last.id + 1,
            last.at + 200,
            "acd.noanswer",
            Some("a1"),
            Some("c1"),
            None
        )
    );
}

/// Inside MULTI and Lua a client cannot block: ACD.EVENTS BLOCK answers at once, like a plain read.
#[test]
fn events_inside_multi_and_lua_do_not_block() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    let started = Instant::now();
    c.ok("MULTI");
    assert_eq!(c.status("ACD.EVENTS center SINCE 1 BLOCK 0"), "QUEUED");
    assert_eq!(c.status("ACD.EVENTS center SINCE 0 BLOCK 0"), "QUEUED");
    assert_eq!(c.status("ACD.EVENTS missing BLOCK 0"), "QUEUED");
    let Value::Array(replies) = c.call("EXEC") else {
        panic!("EXEC is not an array");
    };
    assert_eq!(
        replies[0],
        Value::Array(vec![]),
        "nothing new: an empty array"
    );
    assert!(
        matches!(&replies[1], Value::Array(entries) if entries.len() == 1),
        "{:?}",
        replies[1]
    );
    assert_eq!(replies[2], Value::Array(vec![]));
    let script = "return redis.call('ACD.EVENTS', KEYS[1], 'SINCE', ARGV[1], 'BLOCK', '0')";
    assert_eq!(
        c.call(["EVAL", script, "1", "center", "1"]),
        Value::Array(vec![])
    );
    assert!(
        matches!(c.call(["EVAL", script, "1", "center", "0"]), Value::Array(entries) if entries.len() == 1)
    );
    assert!(
        started.elapsed() < WAKE_BOUND,
        "blocked for {:?}",
        started.elapsed()
    );
    assert_eq!(
        c.info_field("clients", "blocked_clients").as_deref(),
        Some("0")
    );
}

/// Runs `round_trip` on `server`, then checks that both logs read as before and that `next` (a write on the
/// trimmed center) logs the entry with the next id, so that the trimmed log holds `then`.
fn assert_log_survives(
    context: &str,
    server: &mut RedisServer,
    round_trip: impl FnOnce(&mut RedisServer, &mut Conn),
    next: &str,
    then: [u64; 4],
) {
    let mut c = server.conn();
    let before = (all_events(&mut c, "trimmed"), all_events(&mut c, "full"));
    round_trip(server, &mut c);
    let mut c = server.conn();
    assert_eq!(
        (all_events(&mut c, "trimmed"), all_events(&mut c, "full")),
        before,
        "{context}"
    );
    c.ok(at(next));
    assert_eq!(ids(&all_events(&mut c, "trimmed")), then, "{context}");
}

/// The log, trimmed or not, survives DEBUG RELOAD and restarts from RDB and from AOF (plain and rewritten), and
/// the next entry continues the ids.
#[test]
fn the_log_survives_reload_and_restart() {
    let mut plain = RedisServer::start();
    let mut aof = RedisServer::builder()
        .arg("--appendonly", "yes")
        .arg("--appendfsync", "always")
        .arg("--aof-use-rdb-preamble", "no")
        .start();
    for server in [&plain, &aof] {
        let mut c = server.conn();
        c.ok(at("ACD.CONFIG trimmed SET events-max 4 @0"));
        for i in 0..6 {
            c.ok(at(&format!("ACD.AGENT.ADD trimmed a{i} SKILLS 0 @{i}")));
            c.ok(at(&format!("ACD.AGENT.ADD full a{i} SKILLS 0 @{i}")));
        }
        assert_eq!(c.bulk(at("ACD.READY full a3 @10")), None);
        assert_eq!(
            c.bulk(at("ACD.ENQUEUE full c1 SKILLS 0 @11")).as_deref(),
            Some("a3")
        );
        assert_eq!(ids(&all_events(&mut c, "trimmed")), [4, 5, 6, 7]);
        assert_eq!(
            ids(&all_events(&mut c, "full")),
            (1..=9).collect::<Vec<_>>()
        );
    }
    assert_log_survives(
        "DEBUG RELOAD",
        &mut plain,
        |_, c| c.ok("DEBUG RELOAD"),
        "ACD.AGENT.DEL trimmed a0 @20",
        [5, 6, 7, 8],
    );
    assert_log_survives(
        "SHUTDOWN SAVE + restart from RDB",
        &mut plain,
        |server, _| server.shutdown_and_restart(),
        "ACD.AGENT.DEL trimmed a1 @30",
        [6, 7, 8, 9],
    );
    assert_log_survives(
        "kill + restart from AOF",
        &mut aof,
        |server, _| server.restart(Stop::Kill),
        "ACD.AGENT.DEL trimmed a0 @20",
        [5, 6, 7, 8],
    );
    assert_log_survives(
        "BGREWRITEAOF + restart from the rewritten AOF",
        &mut aof,
        |server, c| {
            c.rewrite_aof();
            server.restart(Stop::Kill);
        },
        "ACD.AGENT.DEL trimmed a1 @30",
        [6, 7, 8, 9],
    );
}
