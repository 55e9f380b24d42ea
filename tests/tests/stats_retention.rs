//! ACD.STATS numbers computed by hand from AT times, and retention of ended contacts.
//!
//! These scenarios make no offers, no wrap-up and no queue timeouts, so the six issue-6 counters
//! (agents_offered, agents_wrapup, timeout_total, offered_total, rejected_total, noanswer_total) stay 0; the
//! live metrics (service level against the default 20 s threshold, handle time, abandon rate, occupancy,
//! per-skill queue depth, not-ready time per reason) are computed by hand at each step.

use acd_tests::{at, Conn, RedisServer, STATS_FIELDS};
use serde_json::json;

/// The issue-6 metrics one STATS reply must hold, besides the ten base fields.
#[derive(Clone, Copy)]
struct Metrics {
    service_level: f64,
    aht_ms: i64,
    abandon_rate: f64,
    occupancy: f64,
    queued_by_skill: &'static [(&'static str, i64)],
    notready_ms_by_reason: &'static [(&'static str, i64)],
}

/// No decision, no completion, nobody staffed: every metric 0 or empty.
const NO_METRICS: Metrics = Metrics {
    service_level: 0.0,
    aht_ms: 0,
    abandon_rate: 0.0,
    occupancy: 0.0,
    queued_by_skill: &[],
    notready_ms_by_reason: &[],
};

fn named(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(n, v)| (n.to_string(), *v)).collect()
}

/// ACD.STATS at `T0 + offset`, checked field by field: the ten base fields against `base` (in
/// [`STATS_FIELDS`] order), the six issue-6 counters against 0, the rest against `m`.
fn assert_stats(c: &mut Conn, offset: u64, base: [i64; 10], m: Metrics) {
    let stats = c.stats(at(&format!("ACD.STATS center @{offset}")));
    assert_eq!(stats.names(), STATS_FIELDS, "STATS at +{offset}: fields");
    let mut expected: Vec<(String, i64)> = STATS_FIELDS
        .iter()
        .map(|f| f.to_string())
        .zip(base)
        .collect();
    expected.extend(STATS_FIELDS[10..16].iter().map(|f| (f.to_string(), 0)));
    expected.push(("aht_ms".into(), m.aht_ms));
    assert_eq!(stats.ints(), expected, "STATS at +{offset}");
    assert_eq!(
        (
            stats.double("service_level"),
            stats.double("abandon_rate"),
            stats.double("occupancy")
        ),
        (m.service_level, m.abandon_rate, m.occupancy),
        "STATS at +{offset}: service_level, abandon_rate, occupancy"
    );
    assert_eq!(
        stats.map("queued_by_skill"),
        named(m.queued_by_skill),
        "STATS at +{offset}: queued_by_skill"
    );
    assert_eq!(
        stats.map("notready_ms_by_reason"),
        named(m.notready_ms_by_reason),
        "STATS at +{offset}: notready_ms_by_reason"
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
    assert_stats(
        &mut c,
        2500,
        [0, 3, 0, 3, 1500, 3, 0, 0, 0, 0],
        Metrics {
            queued_by_skill: &[("french", 1)],
            notready_ms_by_reason: &[("none", 3 * 2500)],
            ..NO_METRICS
        },
    );

    assert_eq!(
        c.bulk(at("ACD.READY center a1 @4000")).as_deref(),
        Some("c1")
    ); // waited 3000
    assert_eq!(
        c.bulk(at("ACD.READY center a2 @7000")).as_deref(),
        Some("c2")
    ); // waited 5000
       // Both answered within 20 s; a1 busy 4000..7000 and a2 went straight from notready to busy at 7000.
    assert_stats(
        &mut c,
        7000,
        [0, 1, 2, 1, 4500, 3, 2, 0, 0, 4000],
        Metrics {
            service_level: 1.0,
            occupancy: 1.0,
            queued_by_skill: &[("french", 1)],
            notready_ms_by_reason: &[("none", 4000 + 7000 + 7000)],
            ..NO_METRICS
        },
    );

    assert_eq!(c.status(at("ACD.COMPLETE center c1 @8000")), "completed");
    assert_stats(
        &mut c,
        8000,
        [1, 1, 1, 1, 5500, 3, 2, 1, 0, 4000],
        Metrics {
            service_level: 1.0,
            aht_ms: 4000,
            occupancy: 1.0,
            queued_by_skill: &[("french", 1)],
            notready_ms_by_reason: &[("none", 4000 + 7000 + 8000)],
            ..NO_METRICS
        },
    );
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
    // avg_wait_ms = floor((3000 + 5000 + 0) / 3); 3 of 4 decided contacts answered in time (c3 abandoned);
    // busy 4000 (a1) + 500 (a1 again) + 3000 (a2) against ready 1500 (a1, 8000..9500).
    let at_10000 = Metrics {
        service_level: 0.75,
        aht_ms: 4000,
        abandon_rate: 0.2,
        occupancy: 7500.0 / 9000.0,
        queued_by_skill: &[("french", 1)],
        notready_ms_by_reason: &[("none", 4000 + 7000 + 10000)],
    };
    assert_stats(&mut c, 10000, [0, 1, 2, 1, 400, 5, 3, 1, 1, 2666], at_10000);
    assert_stats(
        &mut c,
        9600,
        [0, 1, 2, 1, 0, 5, 3, 1, 1, 2666],
        Metrics {
            service_level: 0.75,
            aht_ms: 4000,
            abandon_rate: 0.2,
            occupancy: 6700.0 / 8200.0,
            queued_by_skill: &[("french", 1)],
            notready_ms_by_reason: &[("none", 4000 + 7000 + 9600)],
        },
    );

    // Idempotent COMPLETE counts nothing.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @10001")), "completed");
    assert_eq!(c.status(at("ACD.COMPLETE center c3 @10002")), "abandoned");
    assert_stats(&mut c, 10000, [0, 1, 2, 1, 400, 5, 3, 1, 1, 2666], at_10000);
}

#[test]
fn longest_wait_uses_the_earliest_enqueue_time_whatever_the_priority() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.bulk(at("ACD.ENQUEUE center x SKILLS 0 PRIORITY 9 @500"));
    c.bulk(at("ACD.ENQUEUE center y SKILLS 0 PRIORITY -9 @100"));
    assert_stats(&mut c, 1000, [0, 0, 0, 2, 900, 2, 0, 0, 0, 0], NO_METRICS);
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
    c.stats(at("ACD.STATS center @99999"));
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
    // Totals are not affected by the purge. a1 was busy 100..200 and ready 0..100 and 200..10300; a2 and a3
    // were added (notready) at 10199 and 10200.
    assert_stats(
        &mut c,
        10300,
        [1, 2, 0, 0, 0, 2, 1, 1, 1, 0],
        Metrics {
            service_level: 0.5,
            aht_ms: 100,
            abandon_rate: 0.5,
            occupancy: 100.0 / 10300.0,
            queued_by_skill: &[],
            notready_ms_by_reason: &[("none", 101 + 100)],
        },
    );
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
    assert_stats(
        &mut c,
        500,
        [0, 1, 0, 2, 0, 2, 0, 0, 0, 0],
        Metrics {
            notready_ms_by_reason: &[("none", 500)],
            ..NO_METRICS
        },
    );
    assert_eq!(
        c.bulk(at("ACD.READY center a1 @600")).as_deref(),
        Some("c1")
    );
    // c1 was answered "before" it arrived: a wait of 0, so within the service level.
    assert_stats(
        &mut c,
        3000,
        [0, 0, 1, 1, 1000, 2, 1, 0, 0, 0],
        Metrics {
            service_level: 1.0,
            occupancy: 1.0,
            notready_ms_by_reason: &[("none", 600)],
            ..NO_METRICS
        },
    );
    // STATS asked about a time before a1 became busy: its open stay counts 0, not negative.
    assert_stats(
        &mut c,
        100,
        [0, 0, 1, 1, 0, 2, 1, 0, 0, 0],
        Metrics {
            service_level: 1.0,
            notready_ms_by_reason: &[("none", 600)],
            ..NO_METRICS
        },
    );
}
