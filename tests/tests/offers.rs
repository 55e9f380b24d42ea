//! Offers (issue 6): with `offer-timeout` set, routing offers a contact to an agent, which accepts it (the
//! contact is assigned), rejects it, or lets the offer time out (the contact goes back to its place in the
//! queue and on to another agent; the agent counts a miss and, after `max-no-answer` consecutive misses, stays
//! not ready). Time is driven with `AT` from [`T0`] (year 2100), so the server's timers never act, except in
//! the test where the server's timer must apply a timeout with no client touching the center.

use std::time::Duration;

use acd_tests::{at, now_ms, scenario, t, wait_for, Conn, Event, RedisServer, T0};
use serde_json::json;

fn agent(c: &mut Conn, id: &str) -> serde_json::Value {
    c.json(format!("ACD.AGENT.GET center {id}"))
}

fn contact(c: &mut Conn, id: &str) -> serde_json::Value {
    c.json(format!("ACD.CONTACT.GET center {id}"))
}

/// `(state, contact, reason, since)` of an agent.
fn agent_state(c: &mut Conn, id: &str) -> (String, Option<String>, Option<String>, u64) {
    let a = agent(c, id);
    (
        a["state"].as_str().unwrap_or_default().to_string(),
        a["contact"].as_str().map(String::from),
        a["reason"].as_str().map(String::from),
        a["since"].as_u64().expect("since"),
    )
}

fn state(
    name: &str,
    contact: Option<&str>,
    reason: Option<&str>,
    since: u64,
) -> (String, Option<String>, Option<String>, u64) {
    (
        name.to_string(),
        contact.map(String::from),
        reason.map(String::from),
        since,
    )
}

/// A map field's entries in name order (the contract fixes no order for them).
fn sorted(mut entries: Vec<(String, i64)>) -> Vec<(String, i64)> {
    entries.sort();
    entries
}

/// The events logged after `since`.
fn events_after(c: &mut Conn, since: u64) -> Vec<Event> {
    c.events(format!("ACD.EVENTS center SINCE {since} COUNT 1000"))
}

fn last_event_id(c: &mut Conn) -> u64 {
    c.events("ACD.EVENTS center COUNT 100000")
        .last()
        .map_or(0, |e| e.id)
}

#[test]
fn an_accepted_offer_becomes_an_assignment() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 200 @0"));
    assert_eq!(c.int("ACD.CONFIG center GET offer-timeout"), 200);
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @10")), None);
    let before = last_event_id(&mut c);
    // ENQUEUE answers the agent the contact is offered to.
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 1 english @100"))
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        contact(&mut c, "c1"),
        json!({"id":"c1","skills":{"english":1},"channel":"voice","priority":0,"state":"offered","agent":"a1",
               "enqueued_at":t(100),"assigned_at":null,"ended_at":null,"meta":null})
    );
    assert_eq!(
        agent(&mut c, "a1"),
        json!({"id":"a1","skills":{"english":1},"state":"offered","since":t(100),"reason":null,
               "contact":"c1","contacts":["c1"],"capacity":{"voice":1},"meta":null})
    );
    assert_eq!(c.strings("ACD.AGENTS center STATE offered"), ["a1"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE OFFERED"), ["a1"]);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        Vec::<String>::new()
    );
    assert_eq!(
        c.strings("ACD.AGENTS center STATE busy"),
        Vec::<String>::new()
    );
    assert_eq!(c.strings("ACD.QUEUE center"), Vec::<String>::new());
    let stats = c.stats(at("ACD.STATS center @150"));
    assert_eq!(
        (
            stats.int("agents_offered"),
            stats.int("offered_total"),
            stats.int("assigned_total"),
            stats.int("queued")
        ),
        (1, 1, 0, 0)
    );

    c.ok(at("ACD.ACCEPT center c1 @150"));
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["agent"], &c1["assigned_at"]),
        (&json!("assigned"), &json!("a1"), &json!(t(150)))
    );
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("busy", Some("c1"), None, t(150))
    );
    let stats = c.stats(at("ACD.STATS center @150"));
    assert_eq!(
        (
            stats.int("agents_offered"),
            stats.int("agents_busy"),
            stats.int("offered_total"),
            stats.int("assigned_total"),
            stats.int("avg_wait_ms")
        ),
        (0, 1, 1, 1, 50),
        "the wait ends when the agent accepts"
    );
    assert_eq!(
        events_after(&mut c, before),
        [
            Event::new(before + 1, t(100), "acd.enqueue", None, Some("c1"), None),
            Event::new(
                before + 2,
                t(100),
                "acd.offer",
                Some("a1"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 3,
                t(150),
                "acd.assign",
                Some("a1"),
                Some("c1"),
                None
            ),
        ]
    );
    assert_eq!(
        c.err(at("ACD.ACCEPT center c1 @160")),
        "NOTOFFERED contact 'c1' is assigned, not offered"
    );
    // Accepting cancelled the offer deadline.
    assert_eq!(c.int(at("ACD.TICK center @100000")), 0);
    assert_eq!(agent_state(&mut c, "a1").0, "busy");
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @200000")), "completed");
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

#[test]
fn a_rejected_offer_goes_to_the_next_agent_and_the_agent_stops() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    for (i, a) in ["a1", "a2", "a3"].into_iter().enumerate() {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
        assert_eq!(
            c.bulk(at(&format!("ACD.READY center {a} @{}", i + 1))),
            None
        );
    }
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    let before = last_event_id(&mut c);
    c.ok(at("ACD.REJECT center c1 @20"));
    // The contact goes on to the next longest-available agent; max-no-answer is 1 by default, so a1 stops.
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["agent"], &c1["enqueued_at"]),
        (&json!("offered"), &json!("a2"), &json!(t(10)))
    );
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("rejected"), t(20))
    );
    assert_eq!(
        agent_state(&mut c, "a2"),
        state("offered", Some("c1"), None, t(20))
    );
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a3"]);
    assert_eq!(
        events_after(&mut c, before),
        [
            Event::new(
                before + 1,
                t(20),
                "acd.reject",
                Some("a1"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 2,
                t(20),
                "acd.notready",
                Some("a1"),
                None,
                Some("rejected")
            ),
            Event::new(before + 3, t(20), "acd.requeue", None, Some("c1"), None),
            Event::new(before + 4, t(20), "acd.offer", Some("a2"), Some("c1"), None),
        ]
    );
    let stats = c.stats(at("ACD.STATS center @20"));
    assert_eq!(
        (
            stats.int("offered_total"),
            stats.int("rejected_total"),
            stats.int("noanswer_total"),
            stats.int("assigned_total")
        ),
        (2, 1, 0, 0)
    );
    // a1, a2, a3 were not ready (no reason) for 1, 2 and 3 ms before their READY.
    assert_eq!(
        sorted(stats.map("notready_ms_by_reason")),
        [("none".to_string(), 6), ("rejected".to_string(), 0)]
    );
    // The offer to a2 is open like any other.
    c.ok(at("ACD.ACCEPT center c1 @30"));
    assert_eq!(agent_state(&mut c, "a2").0, "busy");
    assert_eq!(
        c.err(at("ACD.REJECT center c1 @31")),
        "NOTOFFERED contact 'c1' is assigned, not offered"
    );
}

#[test]
fn a_rejected_contact_keeps_its_place_in_the_queue() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(
        c.bulk(at(
            r#"ACD.ENQUEUE center c1 SKILLS 1 english PRIORITY 1 META {"k":1} @10"#
        ))
        .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 PRIORITY 1 @20")),
        None
    );
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c3 SKILLS 1 english PRIORITY 5 @30")),
        None
    );
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c0 SKILLS 0 @5")), None);
    assert_eq!(c.strings("ACD.QUEUE center"), ["c3", "c2", "c0"]);
    c.ok(at("ACD.REJECT center c1 @40"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c3", "c1", "c2", "c0"]);
    assert_eq!(
        contact(&mut c, "c1"),
        json!({"id":"c1","skills":{"english":1},"channel":"voice","priority":1,"state":"queued","agent":null,
               "enqueued_at":t(10),"assigned_at":null,"ended_at":null,"meta":{"k":1}})
    );
    assert_eq!(
        c.stats(at("ACD.STATS center @40")).map("queued_by_skill"),
        [("english".to_string(), 2)]
    );
    // READY clears the misses: a1 takes the first contact in line again.
    assert_eq!(c.bulk(at("ACD.READY center a1 @50")).as_deref(), Some("c3"));
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

/// With `max-no-answer 2` a first miss sends the agent to the END of the ready line at once.
#[test]
fn a_miss_below_max_no_answer_sends_the_agent_to_the_end_of_the_line() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.CONFIG center SET max-no-answer 2 @0"));
    assert_eq!(c.int("ACD.CONFIG center GET max-no-answer"), 2);
    for (i, a) in ["a1", "a2", "a3"].into_iter().enumerate() {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
        assert_eq!(
            c.bulk(at(&format!("ACD.READY center {a} @{}", i + 1))),
            None
        );
    }
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    c.ok(at("ACD.REJECT center c1 @20"));
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a3", "a1"]);
    assert_eq!(agent_state(&mut c, "a1"), state("ready", None, None, t(20)));
    assert_eq!(contact(&mut c, "c1")["agent"], json!("a2"));
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @30")).as_deref(),
        Some("a3")
    );
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c3 SKILLS 0 @40")).as_deref(),
        Some("a1")
    );
    // The second consecutive miss: a1 stays not ready, and c3 waits (nobody else is ready).
    c.ok(at("ACD.REJECT center c3 @50"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("rejected"), t(50))
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c3"]);
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

/// ACCEPT, READY and OPEN each reset the count of consecutive misses (`max-no-answer 2`; a single agent, so a
/// miss below the limit gives it the same contact again at once).
#[test]
fn accept_ready_and_open_reset_the_misses() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.CONFIG center SET max-no-answer 2 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @1")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    c.ok(at("ACD.REJECT center c1 @11"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c1"), None, t(11))
    );
    c.ok(at("ACD.ACCEPT center c1 @12"));
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @13")), "completed");
    // One miss since the ACCEPT: offered again, not stopped.
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @20")).as_deref(),
        Some("a1")
    );
    c.ok(at("ACD.REJECT center c2 @21"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c2"), None, t(21))
    );
    // Two misses: stopped.
    c.ok(at("ACD.REJECT center c2 @22"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("rejected"), t(22))
    );
    // READY resets: one miss is not enough to stop it again.
    assert_eq!(c.bulk(at("ACD.READY center a1 @30")).as_deref(), Some("c2"));
    c.ok(at("ACD.REJECT center c2 @31"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c2"), None, t(31))
    );
    c.ok(at("ACD.REJECT center c2 @32"));
    assert_eq!(agent_state(&mut c, "a1").0, "notready");
    // OPEN makes every not-ready agent ready, with its misses reset.
    c.ok(at("ACD.OPEN center @40"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c2"), None, t(40))
    );
    c.ok(at("ACD.REJECT center c2 @41"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c2"), None, t(41))
    );
    c.ok(at("ACD.REJECT center c2 @42"));
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("rejected"), t(42))
    );
    assert_eq!(c.stats(at("ACD.STATS center @42")).int("rejected_total"), 7);
}

#[test]
fn max_no_answer_zero_never_stops_an_agent() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 100 @0"));
    c.ok(at("ACD.CONFIG center SET max-no-answer 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")).as_deref(),
        Some("a1")
    );
    for i in 1..=5 {
        c.ok(at(&format!("ACD.REJECT center c1 @{i}")));
    }
    // Five offers time out (each one 100 ms after the one before).
    assert_eq!(c.int(at("ACD.TICK center @505")), 5);
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c1"), None, t(505))
    );
    let stats = c.stats(at("ACD.STATS center @505"));
    assert_eq!(
        (
            stats.int("offered_total"),
            stats.int("rejected_total"),
            stats.int("noanswer_total")
        ),
        (11, 5, 5)
    );
}

/// A command whose AT is past an offer's deadline first applies the timeout at the deadline's own time (and
/// then any deadline that follows from it); reads apply nothing.
#[test]
fn an_expired_offer_is_applied_by_the_next_write_at_its_own_time() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 200 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @1")), None);
    assert_eq!(c.bulk(at("ACD.READY center a2 @2")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @100")).as_deref(),
        Some("a1")
    );
    let before = last_event_id(&mut c);
    // Reads, even with a later AT, change nothing.
    assert_eq!(
        c.stats(at("ACD.STATS center @5000")).int("agents_offered"),
        1
    );
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c1"), None, t(100))
    );
    assert_eq!(c.int(at("ACD.TICK center @299")), 0);

    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c2 SKILLS 1 nobody @1000")),
        None
    );
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("no-answer"), t(300))
    );
    assert_eq!(
        agent_state(&mut c, "a2"),
        state("notready", None, Some("no-answer"), t(500))
    );
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["agent"]),
        (&json!("queued"), &json!(null))
    );
    assert_eq!(
        events_after(&mut c, before),
        [
            Event::new(
                before + 1,
                t(300),
                "acd.noanswer",
                Some("a1"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 2,
                t(300),
                "acd.notready",
                Some("a1"),
                None,
                Some("no-answer")
            ),
            Event::new(before + 3, t(300), "acd.requeue", None, Some("c1"), None),
            Event::new(
                before + 4,
                t(300),
                "acd.offer",
                Some("a2"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 5,
                t(500),
                "acd.noanswer",
                Some("a2"),
                Some("c1"),
                None
            ),
            Event::new(
                before + 6,
                t(500),
                "acd.notready",
                Some("a2"),
                None,
                Some("no-answer")
            ),
            Event::new(before + 7, t(500), "acd.requeue", None, Some("c1"), None),
            Event::new(before + 8, t(1000), "acd.enqueue", None, Some("c2"), None),
        ]
    );
    let stats = c.stats(at("ACD.STATS center @1000"));
    assert_eq!(
        (
            stats.int("offered_total"),
            stats.int("noanswer_total"),
            stats.int("rejected_total")
        ),
        (2, 2, 0)
    );
    assert_eq!(
        sorted(stats.map("notready_ms_by_reason")),
        [
            ("no-answer".to_string(), 700 + 500),
            ("none".to_string(), 1 + 2)
        ]
    );
}

#[test]
fn completing_an_offered_contact_abandons_it_and_frees_the_agent() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @0")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @20")), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @30")), "abandoned");
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["ended_at"]),
        (&json!("abandoned"), &json!(t(30)))
    );
    // The agent is free at once and is offered the next contact.
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("offered", Some("c2"), None, t(30))
    );
    assert_eq!(
        c.err(at("ACD.ACCEPT center c1 @31")),
        "NOTOFFERED contact 'c1' is abandoned, not offered"
    );
    // c1's offer deadline (1010) is gone; c2's (1030) is the next one.
    assert_eq!(c.int(at("ACD.TICK center @1029")), 0);
    assert_eq!(c.int(at("ACD.TICK center @1030")), 1);
    let stats = c.stats(at("ACD.STATS center @1030"));
    assert_eq!(
        (
            stats.int("abandoned_total"),
            stats.int("noanswer_total"),
            stats.int("completed_total")
        ),
        (1, 1, 0)
    );
}

#[test]
fn deleting_an_offered_agent_offers_the_contact_again() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @1")), None);
    assert_eq!(c.bulk(at("ACD.READY center a2 @2")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10")).as_deref(),
        Some("a1")
    );
    let before = last_event_id(&mut c);
    c.ok(at("ACD.AGENT.DEL center a1 @20"));
    assert_eq!(
        events_after(&mut c, before),
        [
            Event::new(before + 1, t(20), "acd.agent.del", Some("a1"), None, None),
            Event::new(before + 2, t(20), "acd.requeue", None, Some("c1"), None),
            Event::new(before + 3, t(20), "acd.offer", Some("a2"), Some("c1"), None),
        ]
    );
    // The deleted agent's offer deadline went with it: only a2's (1020) remains.
    assert_eq!(c.int(at("ACD.TICK center @1019")), 0);
    assert_eq!(c.int(at("ACD.TICK center @1020")), 1);
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}

/// The issue's headline case: the offer times out with no client touching the center. The server's timer,
/// on its wall clock, applies the deadline and stamps it with the deadline's own time; the test only reads.
#[test]
fn an_offer_times_out_with_no_client_touching_the_center() {
    let server = RedisServer::start();
    let mut c = server.conn();
    scenario::offer_c1_to_a1(&mut c, 200);
    let (state_now, _, _, offered_at) = agent_state(&mut c, "a1");
    assert_eq!(state_now, "offered");
    assert!(
        offered_at > now_ms() - 60_000 && offered_at < T0,
        "wall-clock time {offered_at}"
    );
    let deadline = offered_at + 200;

    wait_for(
        Duration::from_secs(5),
        "the server's timer to apply the offer timeout",
        || agent(&mut c, "a1")["state"] == json!("notready"),
    );
    assert!(now_ms() >= deadline, "applied before its deadline");
    assert_eq!(
        agent_state(&mut c, "a1"),
        state("notready", None, Some("no-answer"), deadline)
    );
    let c1 = contact(&mut c, "c1");
    assert_eq!(
        (&c1["state"], &c1["agent"]),
        (&json!("queued"), &json!(null))
    );
    let events = c.events("ACD.EVENTS center COUNT 1000");
    let noanswer: Vec<&Event> = events.iter().filter(|e| e.kind == "acd.noanswer").collect();
    assert_eq!(noanswer.len(), 1, "{events:?}");
    assert_eq!(
        (
            noanswer[0].at,
            noanswer[0].agent.as_deref(),
            noanswer[0].contact.as_deref()
        ),
        (deadline, Some("a1"), Some("c1"))
    );
    assert_eq!(c.stats("ACD.STATS center").int("noanswer_total"), 1);
    assert_eq!(c.status("ACD.CHECK center"), "OK");
}
