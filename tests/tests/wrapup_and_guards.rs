//! Wrap-up and queue guards (issue 6): after COMPLETE an agent is in `wrapup` for `wrapup` ms, then ready (and
//! routed), or earlier with READY; `max-wait` ends a contact that waited that long as `timeout` (counted apart
//! from abandoned); `max-queue` refuses an ENQUEUE that would have to wait in a full queue with `QUEUEFULL`.
//! Deadlines are applied by the next write at their own due times (`AT` from [`T0`], year 2100, so the server's
//! timers stay out of it) and, on the wall clock, by the server's timer with no client touching the center.

use std::time::Duration;

use acd_tests::{at, now_ms, t, wait_for, Conn, Event, RedisServer, T0};
use serde_json::json;

fn agent(c: &mut Conn, id: &str) -> serde_json::Value {
    c.json(format!("ACD.AGENT.GET center {id}"))
}

fn contact(c: &mut Conn, id: &str) -> serde_json::Value {
    c.json(format!("ACD.CONTACT.GET center {id}"))
}

/// `(state, reason, since)` of an agent.
fn agent_state(c: &mut Conn, id: &str) -> (String, Option<String>, u64) {
    let a = agent(c, id);
    (
        a["state"].as_str().unwrap_or_default().to_string(),
        a["reason"].as_str().map(String::from),
        a["since"].as_u64().expect("since"),
    )
}

fn state(name: &str, reason: Option<&str>, since: u64) -> (String, Option<String>, u64) {
    (name.to_string(), reason.map(String::from), since)
}

fn last_event_id(c: &mut Conn) -> u64 {
    c.events("ACD.EVENTS center COUNT 100000")
        .last()
        .map_or(0, |e| e.id)
}

/// A center with wrap-up `wrapup` ms and one agent a1 that handled c1 from +10 to +100.
fn after_one_contact(c: &mut Conn, wrapup: u64) {
    c.ok(at(&format!("ACD.CONFIG center SET wrapup {wrapup} @0")));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @100")), "completed");
}

#[test]
fn wrapup_ends_at_its_deadline_and_the_agent_is_routed() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET wrapup 1000 @0"));
    assert_eq!(c.int("ACD.CONFIG center GET wrapup"), 1000);
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    let before = last_event_id(&mut c);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @100")), "completed");
    assert_eq!(
        agent(&mut c, "a1"),
        json!({"id":"a1","skills":{},"state":"wrapup","since":t(100),"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null})
    );
    assert_eq!(c.strings("ACD.AGENTS center STATE wrapup"), ["a1"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE WrapUp"), ["a1"]);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        Vec::<String>::new()
    );
    let stats = c.stats(at("ACD.STATS center @600"));
    assert_eq!(
        (
            stats.int("agents_wrapup"),
            stats.int("agents_ready"),
            stats.int("completed_total"),
            stats.int("aht_ms")
        ),
        (1, 0, 1, 90),
        "wrap-up is not handle time"
    );
    // Busy 10..100 and wrap-up 100..600 are both work; ready 0..10 is not.
    assert_eq!(stats.double("occupancy"), 590.0 / 600.0);

    // A contact that arrives during wrap-up waits for its end.
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @500")), None);
    assert_eq!(c.int(at("ACD.TICK center @1099")), 0);
    assert_eq!(agent_state(&mut c, "a1"), state("wrapup", None, t(100)));
    assert_eq!(c.int(at("ACD.TICK center @1500")), 1);
    let c2 = contact(&mut c, "c2");
    assert_eq!(
        (&c2["state"], &c2["agent"], &c2["assigned_at"]),
        (&json!("assigned"), &json!("a1"), &json!(t(1100)))
    );
    assert_eq!(agent_state(&mut c, "a1"), state("busy", None, t(1100)));
    assert_eq!(
        c.events(format!("ACD.EVENTS center SINCE {before}")),
        [
            Event::new(
                before + 1,
                t(100),
                "acd.complete",
                Some("a1"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 2,
                t(100),
                "acd.wrapup",
                Some("a1"),
                Some("c1"),
                None
            ),
            Event::new(before + 3, t(500), "acd.enqueue", None, Some("c2"), None),
            Event::new(
                before + 4,
                t(1100),
                "acd.assign",
                Some("a1"),
                Some("c2"),
                None
            ),
        ]
    );
    assert_eq!(
        c.stats(at("ACD.STATS center @1500")).int("avg_wait_ms"),
        300
    );
    // Without a queued contact, the end of wrap-up makes the agent ready.
    assert_eq!(c.status(at("ACD.COMPLETE center c2 @2000")), "completed");
    assert_eq!(c.int(at("ACD.TICK center @3000")), 1);
    assert_eq!(agent_state(&mut c, "a1"), state("ready", None, t(3000)));
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

#[test]
fn ready_during_wrapup_ends_it_early() {
    let server = RedisServer::start();
    let mut c = server.conn();
    after_one_contact(&mut c, 1000);
    assert_eq!(c.bulk(at("ACD.READY center a1 @300")), None);
    assert_eq!(agent_state(&mut c, "a1"), state("ready", None, t(300)));
    // The wrap-up deadline is gone: nothing happens at +1100.
    assert_eq!(c.int(at("ACD.TICK center @1100")), 0);
    assert_eq!(agent_state(&mut c, "a1"), state("ready", None, t(300)));

    // With a contact waiting, READY during wrap-up takes it at once.
    let server = RedisServer::start();
    let mut c = server.conn();
    after_one_contact(&mut c, 1000);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @200")), None);
    assert_eq!(
        c.bulk(at("ACD.READY center a1 @300")).as_deref(),
        Some("c2")
    );
    assert_eq!(contact(&mut c, "c2")["assigned_at"], json!(t(300)));
    assert_eq!(c.int(at("ACD.TICK center @1100")), 0);
    assert_eq!(agent_state(&mut c, "a1"), state("busy", None, t(300)));
}

#[test]
fn notready_during_wrapup_cancels_it() {
    let server = RedisServer::start();
    let mut c = server.conn();
    after_one_contact(&mut c, 1000);
    c.ok(at("ACD.NOTREADY center a1 REASON lunch @200"));
    assert_eq!(c.int(at("ACD.TICK center @1100")), 0);
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", Some("lunch"), t(200))
    );
    assert_eq!(
        c.stats(at("ACD.STATS center @1100")).int("agents_wrapup"),
        0
    );
}

#[test]
fn wrapup_in_a_closed_center_ends_not_ready() {
    let server = RedisServer::start();
    let mut c = server.conn();
    after_one_contact(&mut c, 1000);
    c.ok(at("ACD.CLOSE center @200"));
    assert_eq!(agent_state(&mut c, "a1"), state("wrapup", None, t(100)));
    assert_eq!(c.int(at("ACD.TICK center @1100")), 1);
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", Some("closed"), t(1100))
    );
}

/// The server's timer ends the wrap-up on the wall clock and routes the waiting contact, with no client
/// touching the center; the assignment is stamped with the wrap-up's own end time.
#[test]
fn the_server_timer_ends_wrapup() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.CONFIG center SET wrapup 200");
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY center a1"), None);
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c1 SKILLS 0").as_deref(),
        Some("a1")
    );
    assert_eq!(c.status("ACD.COMPLETE center c1"), "completed");
    let ended_at = contact(&mut c, "c1")["ended_at"]
        .as_u64()
        .expect("ended_at");
    assert!(ended_at < T0, "wall-clock time {ended_at}");
    assert_eq!(c.bulk("ACD.ENQUEUE center c2 SKILLS 0"), None);
    wait_for(
        Duration::from_secs(5),
        "the server's timer to end the wrap-up",
        || contact(&mut c, "c2")["state"] == json!("assigned"),
    );
    assert!(now_ms() >= ended_at + 200, "applied before its deadline");
    assert_eq!(contact(&mut c, "c2")["assigned_at"], json!(ended_at + 200));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("busy", None, ended_at + 200)
    );
}

#[test]
fn max_wait_ends_a_waiting_contact_as_timeout() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET max-wait 1000 @0"));
    assert_eq!(c.int("ACD.CONFIG center GET max-wait"), 1000);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 1 english @0")),
        None
    );
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @500")), None);
    let before = last_event_id(&mut c);
    assert_eq!(c.int(at("ACD.TICK center @999")), 0);
    assert_eq!(c.int(at("ACD.TICK center @1000")), 1);
    assert_eq!(
        contact(&mut c, "c1"),
        json!({"id":"c1","skills":{"english":1},"channel":"voice","priority":0,"state":"timeout","agent":null,
               "enqueued_at":t(0),"assigned_at":null,"ended_at":t(1000),"meta":null})
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2"]);
    // c2 times out at 1500, before the ENQUEUE at 1600 runs.
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c3 SKILLS 0 @1600")), None);
    assert_eq!(contact(&mut c, "c2")["ended_at"], json!(t(1500)));
    assert_eq!(
        c.events(format!("ACD.EVENTS center SINCE {before}")),
        [
            Event::new(before + 1, t(1000), "acd.timeout", None, Some("c1"), None),
            Event::new(before + 2, t(1500), "acd.timeout", None, Some("c2"), None),
            Event::new(before + 3, t(1600), "acd.enqueue", None, Some("c3"), None),
        ]
    );
    let stats = c.stats(at("ACD.STATS center @1600"));
    assert_eq!(
        (
            stats.int("timeout_total"),
            stats.int("abandoned_total"),
            stats.int("enqueued_total"),
            stats.int("queued"),
            stats.int("longest_wait_ms")
        ),
        (2, 0, 3, 1, 0)
    );
    // Timeouts count against the service level but not as abandons.
    assert_eq!(
        (stats.double("service_level"), stats.double("abandon_rate")),
        (0.0, 0.0)
    );
    assert_eq!(stats.map("queued_by_skill"), Vec::<(String, i64)>::new());
    // A timed-out contact is retained like any ended contact.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @1700")), "timeout");
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c1 SKILLS 0 @1700")),
        "EXISTS contact 'c1' already exists"
    );
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

#[test]
fn a_contact_that_was_answered_does_not_time_out() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET max-wait 1000 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(
        c.bulk(at("ACD.READY center a1 @999")).as_deref(),
        Some("c1")
    );
    assert_eq!(c.int(at("ACD.TICK center @5000")), 0);
    assert_eq!(contact(&mut c, "c1")["state"], json!("assigned"));
}

#[test]
fn max_wait_applies_to_contacts_already_waiting() {
    let server = RedisServer::start();
    let mut c = server.conn();
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @800")), None);
    c.ok(at("ACD.CONFIG center SET max-wait 1000 @900"));
    assert_eq!(c.int(at("ACD.TICK center @1000")), 1);
    assert_eq!(contact(&mut c, "c1")["state"], json!("timeout"));
    // A shorter limit makes c2 (waiting since 800) overdue: the CONFIG itself applies it, at
    // its own time (1100), so event times never go backwards.
    c.ok(at("ACD.CONFIG center SET max-wait 200 @1100"));
    let c2 = contact(&mut c, "c2");
    assert_eq!(
        (&c2["state"], &c2["ended_at"]),
        (&json!("timeout"), &json!(t(1100)))
    );
    // 0 lifts the limit.
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c3 SKILLS 0 @1200")), None);
    c.ok(at("ACD.CONFIG center SET max-wait 0 @1300"));
    assert_eq!(c.int(at("ACD.TICK center @100000")), 0);
    assert_eq!(contact(&mut c, "c3")["state"], json!("queued"));
    assert_eq!(
        c.stats(at("ACD.STATS center @100000")).int("timeout_total"),
        2
    );
}

/// The server's timer times the contact out on the wall clock with no client touching the center.
#[test]
fn the_server_timer_applies_max_wait() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.CONFIG center SET max-wait 200");
    assert_eq!(c.bulk("ACD.ENQUEUE center c1 SKILLS 0"), None);
    let enqueued_at = contact(&mut c, "c1")["enqueued_at"]
        .as_u64()
        .expect("enqueued_at");
    wait_for(
        Duration::from_secs(5),
        "the server's timer to time the contact out",
        || contact(&mut c, "c1")["state"] == json!("timeout"),
    );
    assert!(now_ms() >= enqueued_at + 200, "applied before its deadline");
    assert_eq!(contact(&mut c, "c1")["ended_at"], json!(enqueued_at + 200));
    assert_eq!(c.stats("ACD.STATS center").int("timeout_total"), 1);
}

#[test]
fn max_queue_refuses_only_contacts_that_would_wait() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET max-queue 2 @0"));
    assert_eq!(c.int("ACD.CONFIG center GET max-queue"), 2);
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 1 german @1")), None);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 1 german @2")), None);
    let before = last_event_id(&mut c);
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c3 SKILLS 1 german @3")),
        "QUEUEFULL queue is full (2 contacts waiting)"
    );
    // A contact that an agent takes at once does not wait, so a full queue does not refuse it.
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c4 SKILLS 1 english @4"))
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c5 SKILLS 1 english @5")),
        "QUEUEFULL queue is full (2 contacts waiting)"
    );
    let stats = c.stats(at("ACD.STATS center @5"));
    assert_eq!((stats.int("enqueued_total"), stats.int("queued")), (3, 2));
    let kinds: Vec<String> = c
        .events(format!("ACD.EVENTS center SINCE {before}"))
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["acd.enqueue", "acd.assign"], "refusals log nothing");
    // The refused id was never taken; a freed place can be used.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @6")), "abandoned");
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c3 SKILLS 1 german @7")), None);
    // 0 lifts the limit.
    c.ok(at("ACD.CONFIG center SET max-queue 0 @8"));
    for i in 10..20 {
        assert_eq!(
            c.bulk(at(&format!(
                "ACD.ENQUEUE center n{i} SKILLS 0 PRIORITY -1 @{i}"
            ))),
            None
        );
    }
    assert_eq!(c.stats(at("ACD.STATS center @20")).int("queued"), 12);
}

/// A write that fails still applies the deadlines due at its time (then it changes nothing of its own).
#[test]
fn a_failing_write_still_applies_due_deadlines() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET max-wait 100 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(
        c.err(at("ACD.READY center nobody @500")),
        "NOAGENT no such agent 'nobody'"
    );
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["ended_at"]),
        (&json!("timeout"), &json!(t(100)))
    );
    assert_eq!(c.int(at("ACD.TICK center @600")), 0);
}
