//! Keyspace notifications of class module on the center key.
//!
//! A subscriber listens on `__keyspace@0__:*`. After each ACD command the test writes a marker key; the events
//! seen on the center key before the marker's event are the ones that command emitted, so each command's events
//! are checked on their own, without sleeping.

use std::time::Duration;

use acd_tests::{at, Conn, RedisServer};

/// Collects, per command, the keyspace events on `center`.
struct Events<'a> {
    pubsub: redis::PubSub<'a>,
    marker: u64,
}

impl<'a> Events<'a> {
    fn subscribe(con: &'a mut redis::Connection) -> Self {
        let mut pubsub = con.as_pubsub();
        pubsub.psubscribe("__keyspace@0__:*").expect("PSUBSCRIBE");
        pubsub
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set read timeout");
        Events { pubsub, marker: 0 }
    }

    /// Runs `command` on `c`, then a marker write, and returns the events `command` caused on `center`.
    fn of(&mut self, c: &mut Conn, command: &str) -> Vec<String> {
        c.call(at(command));
        self.marker += 1;
        c.ok(format!("SET marker {}", self.marker));
        let mut events = Vec::new();
        loop {
            let msg = self
                .pubsub
                .get_message()
                .unwrap_or_else(|e| panic!("no keyspace event after `{command}`: {e}"));
            let event: String = msg.get_payload().expect("event name");
            match msg.get_channel_name() {
                "__keyspace@0__:marker" => return events,
                "__keyspace@0__:center" => events.push(event),
                other => panic!("unexpected event {event} on {other}"),
            }
        }
    }
}

fn strs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// True when `wanted` occurs in `events` in this order (other events may come between).
fn in_order(events: &[String], wanted: &[&str]) -> bool {
    let mut rest = events.iter();
    wanted.iter().all(|w| rest.any(|e| e == w))
}

#[test]
fn each_change_emits_a_module_keyspace_event() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("CONFIG SET notify-keyspace-events KEA");
    let mut sub = server
        .client()
        .get_connection()
        .expect("subscriber connection");
    let mut ev = Events::subscribe(&mut sub);

    let exact: &[(&str, &[&str])] = &[
        (
            "ACD.AGENT.ADD center a1 SKILLS 1 english @0",
            &["acd.agent.add"],
        ),
        ("ACD.AGENT.META center a1 {} @1", &["acd.agent.update"]),
        (
            "ACD.AGENT.GRANT center a1 billing @2",
            &["acd.agent.update"],
        ),
        (
            "ACD.AGENT.REVOKE center a1 billing @3",
            &["acd.agent.update"],
        ),
        ("ACD.ENQUEUE center c1 SKILLS 0 @4", &["acd.enqueue"]),
        ("ACD.CONFIG center SET retention 100 @5", &["acd.config"]),
        ("ACD.AGENT.ADD center a2 SKILLS 0 @6", &["acd.agent.add"]),
        ("ACD.SKILL.DEL center english @7", &["acd.agent.update"]),
        // Failed commands and reads emit nothing.
        ("ACD.ENQUEUE center c1 SKILLS 0 @8", &[]),
        ("ACD.AGENT.GET center a1", &[]),
        ("ACD.QUEUE center", &[]),
        ("ACD.STATS center", &[]),
        ("ACD.READY center nobody", &[]),
    ];
    for (command, expected) in exact {
        assert_eq!(ev.of(&mut c, command), strs(expected), "{command}");
    }

    // Events listed in the order they must come; `true`: exactly these (issue 6 fixes the lists of COMPLETE,
    // which frees the agent, and of AGENT.DEL, which requeues its contact), `false`: others may come between.
    let ordered: &[(&str, &[&str], bool)] = &[
        ("ACD.READY center a1 @10", &["acd.assign"], false),
        (
            "ACD.COMPLETE center c1 @11",
            &["acd.complete", "acd.ready"],
            true,
        ),
        ("ACD.NOTREADY center a1 @12", &["acd.notready"], false),
        ("ACD.READY center a2 @13", &["acd.ready"], false),
        (
            "ACD.ENQUEUE center c2 SKILLS 0 @14",
            &["acd.enqueue", "acd.assign"],
            false,
        ),
        (
            "ACD.ENQUEUE center c3 SKILLS 0 @15",
            &["acd.enqueue"],
            false,
        ),
        ("ACD.COMPLETE center c3 @16", &["acd.abandon"], false),
        (
            "ACD.AGENT.DEL center a2 @17",
            &["acd.agent.del", "acd.requeue"],
            true,
        ),
        ("ACD.CLOSE center @18", &["acd.close"], false),
        // a1 goes from notready straight to busy: like READY, that is one acd.assign.
        ("ACD.OPEN center @19", &["acd.open", "acd.assign"], false),
        (
            "ACD.CONFIG center SET mode manual @20",
            &["acd.config"],
            false,
        ),
    ];
    for (command, expected, exact) in ordered {
        let events = ev.of(&mut c, command);
        if *exact {
            assert_eq!(events, strs(expected), "{command}");
        }
        assert!(
            in_order(&events, expected),
            "{command}: expected {expected:?} in this order among {events:?}"
        );
    }
}

/// The issue-6 events: offers and their answers, wrap-up, queue timeouts; a deadline applied by a later
/// command's AT is reported with that command's events, before its own.
#[test]
fn offers_wrapup_and_timeouts_emit_their_events() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("CONFIG SET notify-keyspace-events Kd$");
    let mut sub = server
        .client()
        .get_connection()
        .expect("subscriber connection");
    let mut ev = Events::subscribe(&mut sub);
    let steps: &[(&str, &[&str])] = &[
        (
            "ACD.CONFIG center SET offer-timeout 100 @0",
            &["acd.config"],
        ),
        ("ACD.CONFIG center SET wrapup 50 @0", &["acd.config"]),
        ("ACD.CONFIG center SET max-wait 1000 @0", &["acd.config"]),
        ("ACD.AGENT.ADD center a1 SKILLS 0 @0", &["acd.agent.add"]),
        ("ACD.AGENT.ADD center a2 SKILLS 0 @0", &["acd.agent.add"]),
        ("ACD.READY center a1 @1", &["acd.ready"]),
        ("ACD.READY center a2 @2", &["acd.ready"]),
        (
            "ACD.ENQUEUE center c1 SKILLS 0 @10",
            &["acd.enqueue", "acd.offer"],
        ),
        (
            "ACD.REJECT center c1 @20",
            &["acd.reject", "acd.notready", "acd.requeue", "acd.offer"],
        ),
        ("ACD.ACCEPT center c1 @30", &["acd.assign"]),
        (
            "ACD.COMPLETE center c1 @40",
            &["acd.complete", "acd.wrapup"],
        ),
        // The wrap-up ends at 90 and the READY of the notready a1 follows.
        ("ACD.READY center a1 @95", &["acd.ready", "acd.ready"]),
        (
            "ACD.ENQUEUE center c2 SKILLS 1 german @100",
            &["acd.enqueue"],
        ),
        // c2 waited its max-wait at 1100: applied (and reported) before the ENQUEUE, which then offers c3.
        (
            "ACD.ENQUEUE center c3 SKILLS 0 @1200",
            &["acd.timeout", "acd.enqueue", "acd.offer"],
        ),
        // The offer of c3 runs out at 1300: no answer, the contact goes to the other agent.
        (
            "ACD.TICK center @1300",
            &["acd.noanswer", "acd.notready", "acd.requeue", "acd.offer"],
        ),
    ];
    for (command, expected) in steps {
        assert_eq!(ev.of(&mut c, command), strs(expected), "{command}");
    }
}

/// A deadline applied by the server's timer, with no client command, is notified like any other change.
#[test]
fn deadlines_applied_by_the_timer_are_notified() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("CONFIG SET notify-keyspace-events Kd$");
    c.ok("ACD.CONFIG center SET offer-timeout 100");
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY center a1"), None);
    let mut sub = server
        .client()
        .get_connection()
        .expect("subscriber connection");
    let mut pubsub = sub.as_pubsub();
    pubsub
        .subscribe(&["__keyspace@0__:center", "__keyspace@0__:marker"])
        .expect("SUBSCRIBE");
    pubsub
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set read timeout");
    let mut next = || {
        let msg = pubsub.get_message().expect("a keyspace event");
        let event: String = msg.get_payload().expect("event name");
        (msg.get_channel_name().to_string(), event)
    };
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c1 SKILLS 0").as_deref(),
        Some("a1")
    );
    let center = |event: &str| ("__keyspace@0__:center".to_string(), event.to_string());
    // The client's ENQUEUE, then the timer's no-answer 100 ms later (c1 then waits: nobody else is ready).
    let events: Vec<(String, String)> = (0..5).map(|_| next()).collect();
    assert_eq!(
        events,
        [
            center("acd.enqueue"),
            center("acd.offer"),
            center("acd.noanswer"),
            center("acd.notready"),
            center("acd.requeue"),
        ]
    );
    c.ok("SET marker x");
    assert_eq!(
        next(),
        ("__keyspace@0__:marker".to_string(), "set".to_string())
    );
}

#[test]
fn module_events_need_the_module_class() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let mut sub = server
        .client()
        .get_connection()
        .expect("subscriber connection");
    let mut ev = Events::subscribe(&mut sub);

    // `$` (strings) for the marker, but not `d` (module): no ACD events.
    c.ok("CONFIG SET notify-keyspace-events K$");
    assert_eq!(
        ev.of(&mut c, "ACD.AGENT.ADD center a1 SKILLS 0"),
        Vec::<String>::new()
    );
    assert_eq!(
        ev.of(&mut c, "ACD.ENQUEUE center c1 SKILLS 0"),
        Vec::<String>::new()
    );

    c.ok("CONFIG SET notify-keyspace-events K$d");
    assert_eq!(
        ev.of(&mut c, "ACD.AGENT.ADD center a2 SKILLS 0"),
        strs(&["acd.agent.add"])
    );
    assert_eq!(
        ev.of(&mut c, "ACD.ENQUEUE center c2 SKILLS 0"),
        strs(&["acd.enqueue"])
    );
}

#[test]
fn keyevent_channel_names_the_center_key() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("CONFIG SET notify-keyspace-events Ed");
    let mut sub = server
        .client()
        .get_connection()
        .expect("subscriber connection");
    let mut pubsub = sub.as_pubsub();
    pubsub
        .subscribe("__keyevent@0__:acd.enqueue")
        .expect("SUBSCRIBE");
    pubsub
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set read timeout");
    c.bulk("ACD.ENQUEUE center:eu c1 SKILLS 0");
    let msg = pubsub.get_message().expect("an acd.enqueue event");
    assert_eq!(msg.get_payload::<String>().expect("key name"), "center:eu");
}
