//! ACD.STATS numbers computed by hand from AT times, and retention of ended contacts.

use acd_tests::{at, Conn, RedisServer};
use serde_json::json;

const FIELDS: [&str; 10] = [
    "agents_ready",
    "agents_notready",
    "agents_busy",
    "queued",
    "longest_wait_ms",
    "enqueued_total",
    "assigned_total",
    "completed_total",
    "abandoned_total",
    "avg_wait_ms",
];

/// ACD.STATS at `T0 + offset`, checked field by field against `expected` (in [`FIELDS`] order).
fn assert_stats(c: &mut Conn, offset: u64, expected: [i64; 10]) {
    let expected: Vec<(String, i64)> = FIELDS.iter().map(|f| f.to_string()).zip(expected).collect();
    assert_eq!(
        c.int_map(at(&format!("ACD.STATS center @{offset}"))),
        expected,
        "STATS at +{offset}"
    );
}

#[test]
fn stats_counts_states_totals_and_waits() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for a in ["a1", "a2", "a3"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
    }
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @1000")), None);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @2000")), None);
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c3 SKILLS 1 french @2500")),
        None
    );
    assert_stats(&mut c, 2500, [0, 3, 0, 3, 1500, 3, 0, 0, 0, 0]);

    assert_eq!(
        c.bulk(at("ACD.READY center a1 @4000")).as_deref(),
        Some("c1")
    ); // waited 3000
    assert_eq!(
        c.bulk(at("ACD.READY center a2 @7000")).as_deref(),
        Some("c2")
    ); // waited 5000
    assert_stats(&mut c, 7000, [0, 1, 2, 1, 4500, 3, 2, 0, 0, 4000]);

    assert_eq!(c.status(at("ACD.COMPLETE center c1 @8000")), "completed");
    assert_stats(&mut c, 8000, [1, 1, 1, 1, 5500, 3, 2, 1, 0, 4000]);
    assert_eq!(c.status(at("ACD.COMPLETE center c3 @9000")), "abandoned");
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c4 SKILLS 0 @9500"))
            .as_deref(),
        Some("a1")
    ); // waited 0
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c5 SKILLS 1 french @9600")),
        None
    );
    // avg_wait_ms = floor((3000 + 5000 + 0) / 3)
    assert_stats(&mut c, 10000, [0, 1, 2, 1, 400, 5, 3, 1, 1, 2666]);
    assert_stats(&mut c, 9600, [0, 1, 2, 1, 0, 5, 3, 1, 1, 2666]);

    // Idempotent COMPLETE counts nothing.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @10001")), "completed");
    assert_eq!(c.status(at("ACD.COMPLETE center c3 @10002")), "abandoned");
    assert_stats(&mut c, 10000, [0, 1, 2, 1, 400, 5, 3, 1, 1, 2666]);
}

#[test]
fn longest_wait_uses_the_earliest_enqueue_time_whatever_the_priority() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.bulk(at("ACD.ENQUEUE center x SKILLS 0 PRIORITY 9 @500"));
    c.bulk(at("ACD.ENQUEUE center y SKILLS 0 PRIORITY -9 @100"));
    assert_stats(&mut c, 1000, [0, 0, 0, 2, 900, 2, 0, 0, 0, 0]);
}

#[test]
fn ended_contacts_are_kept_for_the_retention_period() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET retention 10 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.bulk(at("ACD.READY center a1 @0"));
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @100")).as_deref(),
        Some("a1")
    );
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @200")), "completed");
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 1 x @300")), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c2 @400")), "abandoned");

    assert_eq!(
        c.err(at("ACD.ENQUEUE center c1 SKILLS 0 @500")),
        "EXISTS contact 'c1' already exists"
    );
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c2 SKILLS 0 @500")),
        "EXISTS contact 'c2' already exists"
    );

    // A write 1 ms before c1 expires keeps it.
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @10199"));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["state"],
        json!("completed")
    );
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @10199")), "completed");
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c1 SKILLS 0 @10199")),
        "EXISTS contact 'c1' already exists"
    );

    // Reads, even with a later AT, purge nothing.
    c.int_map(at("ACD.STATS center @99999"));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["state"],
        json!("completed")
    );

    // A write at ended_at + retention purges c1 but not c2 (ended later).
    c.ok(at("ACD.AGENT.ADD center a3 SKILLS 0 @10200"));
    assert_eq!(
        c.err("ACD.CONTACT.GET center c1"),
        "NOCONTACT no such contact 'c1'"
    );
    assert_eq!(
        c.err(at("ACD.COMPLETE center c1 @10201")),
        "NOCONTACT no such contact 'c1'"
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center c2")["state"],
        json!("abandoned")
    );
    // Totals are not affected by the purge.
    assert_stats(&mut c, 10300, [1, 2, 0, 0, 0, 2, 1, 1, 1, 0]);
    // The id is free again.
    assert_eq!(
        c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @10300"))
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["enqueued_at"],
        json!(acd_tests::t(10300))
    );
}

#[test]
fn an_enqueue_at_the_expiry_time_may_reuse_the_id() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CONFIG center SET retention 1 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @10")), "abandoned");
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c1 SKILLS 0 @1009")),
        "EXISTS contact 'c1' already exists"
    );
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @1010")), None);
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["state"],
        json!("queued")
    );
}

#[test]
fn default_retention_is_one_hour() {
    let server = RedisServer::start();
    let mut c = server.conn();
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @0")), "abandoned");
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @3599999"));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["state"],
        json!("abandoned")
    );
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @3600000"));
    assert_eq!(
        c.err("ACD.CONTACT.GET center c1"),
        "NOCONTACT no such contact 'c1'"
    );
}

/// The contract does not order event times; a wait is a duration, so an assignment stamped before its enqueue
/// (or STATS asked about a time before the oldest enqueue) counts as a wait of 0, not a negative one.
#[test]
fn waits_are_never_negative_when_event_times_go_backwards() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @1000")), None);
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c2 SKILLS 0 @2000")), None);
    assert_stats(&mut c, 500, [0, 1, 0, 2, 0, 2, 0, 0, 0, 0]);
    assert_eq!(
        c.bulk(at("ACD.READY center a1 @600")).as_deref(),
        Some("c1")
    );
    assert_stats(&mut c, 3000, [0, 0, 1, 1, 1000, 2, 1, 0, 0, 0]);
}
