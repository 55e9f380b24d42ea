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

    let containing: &[(&str, &[&str])] = &[
        ("ACD.READY center a1 @10", &["acd.assign"]),
        ("ACD.COMPLETE center c1 @11", &["acd.complete"]),
        ("ACD.NOTREADY center a1 @12", &["acd.notready"]),
        ("ACD.READY center a2 @13", &["acd.ready"]),
        (
            "ACD.ENQUEUE center c2 SKILLS 0 @14",
            &["acd.enqueue", "acd.assign"],
        ),
        ("ACD.ENQUEUE center c3 SKILLS 0 @15", &["acd.enqueue"]),
        ("ACD.COMPLETE center c3 @16", &["acd.abandon"]),
        (
            "ACD.AGENT.DEL center a2 @17",
            &["acd.agent.del", "acd.requeue"],
        ),
        ("ACD.CLOSE center @18", &["acd.close"]),
        // a1 goes from notready straight to busy: like READY, that is one acd.assign.
        ("ACD.OPEN center @19", &["acd.open", "acd.assign"]),
        ("ACD.CONFIG center SET mode manual @20", &["acd.config"]),
    ];
    for (command, expected) in containing {
        let events = ev.of(&mut c, command);
        assert!(
            expected.iter().all(|e| events.contains(&e.to_string())),
            "{command}: expected {expected:?} among {events:?}"
        );
        if command.contains("c2") {
            assert!(
                in_order(&events, expected),
                "{command}: enqueue before assign, got {events:?}"
            );
        }
    }
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
