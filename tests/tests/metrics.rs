//! Live metrics (issue 6): every ACD.STATS field computed by hand for two scripted days, one with direct
//! assignments and one with offers, wrap-up and timeouts; and ACD.ESTIMATE's basic cases. Times are `AT`
//! offsets from [`acd_tests::T0`].
//!
//! service_level = answered within sla-threshold / (assigned + abandoned + timeout); abandon_rate = abandoned /
//! enqueued; occupancy = (busy + wrap-up time) / (ready + offered + busy + wrap-up time); aht_ms = mean handle
//! time of completed contacts; notready_ms_by_reason includes the stays still open at the STATS time.

use acd_tests::{at, Conn, RedisServer, Stats, STATS_FIELDS};
use redis::Value;

fn run(c: &mut Conn, steps: &[&str]) {
    for step in steps {
        let reply = c.call(at(step));
        assert!(
            acd_tests::error_text(&reply).is_none(),
            "`{step}` failed: {reply:?}"
        );
    }
}

fn sorted(mut entries: Vec<(String, i64)>) -> Vec<(String, i64)> {
    entries.sort();
    entries
}

fn named(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(n, v)| (n.to_string(), *v)).collect()
}

/// Checks every field of `stats`: the integers in [`STATS_FIELDS`] order, the doubles, the maps (by name).
fn assert_all(
    stats: &Stats,
    ints: [i64; 17],
    doubles: [f64; 3],
    queued_by_skill: &[(&str, i64)],
    notready_ms_by_reason: &[(&str, i64)],
) {
    assert_eq!(stats.names(), STATS_FIELDS);
    let int_names = STATS_FIELDS
        .iter()
        .filter(|f| !acd_tests::DOUBLE_FIELDS.contains(f) && !acd_tests::MAP_FIELDS.contains(f));
    let expected: Vec<(String, i64)> = int_names.map(|f| f.to_string()).zip(ints).collect();
    assert_eq!(stats.ints(), expected);
    assert_eq!(
        [
            stats.double("service_level"),
            stats.double("abandon_rate"),
            stats.double("occupancy")
        ],
        doubles,
        "service_level, abandon_rate, occupancy"
    );
    assert_eq!(
        sorted(stats.map("queued_by_skill")),
        sorted(named(queued_by_skill))
    );
    assert_eq!(
        sorted(stats.map("notready_ms_by_reason")),
        sorted(named(notready_ms_by_reason))
    );
}

/// Direct assignments, sla-threshold 1000 ms.
///
/// a1 (english): notready 0..200, ready 200..300, busy with c1 300..1300 and c3 1300..3300, ready
/// 3300..3600, notready (break) from 3600. a2 (english, french): notready 0..100, notready (lunch)
/// 100..2000, busy with c2 2000..3500, ready from 3500. Waits: c1 0, c3 800, c2 1600 (over the threshold);
/// c4 abandoned; c5 (german) still waiting. Handle times 1000, 2000, 1500.
#[test]
fn stats_for_a_day_of_direct_assignments() {
    let server = RedisServer::start();
    for mut c in [server.conn(), server.conn_resp3()] {
        let key = if c.is_resp3() { "day3" } else { "day2" };
        let steps: Vec<String> = [
            "ACD.CONFIG {k} SET sla-threshold 1000 @0",
            "ACD.AGENT.ADD {k} a1 SKILLS 1 english @0",
            "ACD.AGENT.ADD {k} a2 SKILLS 2 english french @0",
            "ACD.NOTREADY {k} a2 REASON lunch @100",
            "ACD.READY {k} a1 @200",
            "ACD.ENQUEUE {k} c1 SKILLS 1 english @300",
            "ACD.ENQUEUE {k} c2 SKILLS 1 french @400",
            "ACD.ENQUEUE {k} c3 SKILLS 1 english @500",
            "ACD.COMPLETE {k} c1 @1300",
            "ACD.READY {k} a2 @2000",
            "ACD.ENQUEUE {k} c4 SKILLS 1 french @2500",
            "ACD.COMPLETE {k} c4 @2600",
            "ACD.COMPLETE {k} c3 @3300",
            "ACD.COMPLETE {k} c2 @3500",
            "ACD.NOTREADY {k} a1 REASON break @3600",
            "ACD.ENQUEUE {k} c5 SKILLS 1 german @3700",
        ]
        .iter()
        .map(|s| s.replace("{k}", key))
        .collect();
        run(
            &mut c,
            &steps.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        assert_eq!(
            c.json(format!("ACD.CONTACT.GET {key} c3"))["assigned_at"],
            serde_json::json!(acd_tests::t(1300))
        );
        let stats = c.stats(at(&format!("ACD.STATS {key} @4000")));
        assert_all(
            &stats,
            [
                1,    // agents_ready
                1,    // agents_notready
                0,    // agents_busy
                1,    // queued
                300,  // longest_wait_ms
                5,    // enqueued_total
                3,    // assigned_total
                3,    // completed_total
                1,    // abandoned_total
                800,  // avg_wait_ms = (0 + 800 + 1600) / 3
                0,    // agents_offered
                0,    // agents_wrapup
                0,    // timeout_total
                0,    // offered_total
                0,    // rejected_total
                0,    // noanswer_total
                1500, // aht_ms = (1000 + 2000 + 1500) / 3
            ],
            [
                2.0 / 4.0,       // c1 and c3 in time, of 3 assigned + 1 abandoned
                1.0 / 5.0,       // 1 abandoned of 5
                4500.0 / 5400.0, // busy 4500 of busy 4500 + ready 100 + 300 + 500
            ],
            &[("german", 1)],
            &[("none", 200 + 100), ("lunch", 1900), ("break", 400)],
        );
    }
}

/// Offers (timeout 500), wrap-up (1000), max-wait (5000), sla-threshold 2000.
///
/// a1: ready 0..1000, offered c1 1000..1200 (accepted: waited 200), busy 1200..2200, wrap-up 2200..3200, offered
/// c2 3200..3700 (no answer), notready (no-answer) from 3700. a2: notready 0..2500, offered c2 2500..2800
/// (rejected), notready (rejected) from 2800. c2 (enqueued 1500) times out at 6500; c3 is abandoned.
#[test]
fn stats_for_a_day_with_offers_wrapup_and_timeouts() {
    let server = RedisServer::start();
    let mut c = server.conn_resp3();
    run(
        &mut c,
        &[
            "ACD.CONFIG center SET offer-timeout 500 @0",
            "ACD.CONFIG center SET wrapup 1000 @0",
            "ACD.CONFIG center SET max-wait 5000 @0",
            "ACD.CONFIG center SET sla-threshold 2000 @0",
            "ACD.AGENT.ADD center a1 SKILLS 0 @0",
            "ACD.AGENT.ADD center a2 SKILLS 0 @0",
            "ACD.READY center a1 @0",
            "ACD.ENQUEUE center c1 SKILLS 0 @1000",
            "ACD.ACCEPT center c1 @1200",
            "ACD.ENQUEUE center c2 SKILLS 0 @1500",
            "ACD.COMPLETE center c1 @2200",
            "ACD.READY center a2 @2500",
            "ACD.REJECT center c2 @2800",
        ],
    );
    // Mid-day, everything open is counted up to the STATS time: a1 in wrap-up, c2 waiting. Occupancy: busy
    // 1000 + wrap-up 800, of those + ready 1000 + offered 200 + 300.
    let stats = c.stats(at("ACD.STATS center @3000"));
    assert_all(
        &stats,
        [0, 1, 0, 1, 1500, 2, 1, 1, 0, 200, 0, 1, 0, 2, 1, 0, 1000],
        [
            1.0,
            0.0,
            (1000.0 + 800.0) / (1000.0 + 800.0 + 1000.0 + 200.0 + 300.0),
        ],
        &[],
        &[("none", 2500), ("rejected", 200)],
    );
    // The ENQUEUE at 4000 first applies the end of a1's wrap-up (3200: offered c2) and that offer's timeout
    // (3700); the TICK at 7000 applies c2's max-wait (6500).
    run(
        &mut c,
        &[
            "ACD.ENQUEUE center c3 SKILLS 0 @4000",
            "ACD.COMPLETE center c3 @4100",
        ],
    );
    assert_eq!(c.call(at("ACD.TICK center @7000")), Value::Int(1));
    let stats = c.stats(at("ACD.STATS center @7000"));
    assert_all(
        &stats,
        [0, 2, 0, 0, 0, 3, 1, 1, 1, 200, 0, 0, 1, 3, 1, 1, 1000],
        [
            1.0 / 3.0, // c1 in time; c3 abandoned, c2 timed out
            1.0 / 3.0,
            2000.0 / 4000.0, // busy 1000 + wrap-up 1000 of those + ready 1000 + offered 200 + 300 + 500
        ],
        &[],
        &[("none", 2500), ("rejected", 4200), ("no-answer", 3300)],
    );
}

/// ACD.ESTIMATE: 0 when an eligible agent is ready; nil when no staffed agent can serve the requirement or no
/// handle time is known yet; otherwise (contacts ahead + 1 - ready) × aht / staffed eligible agents.
#[test]
fn estimate_basic_cases() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let estimate = |c: &mut Conn, args: &str| c.call(at(&format!("ACD.ESTIMATE center {args}")));
    assert_eq!(estimate(&mut c, "SKILLS 0"), Value::Nil, "missing key");
    assert!(!c.exists("center"));
    run(
        &mut c,
        &[
            "ACD.AGENT.ADD center a1 SKILLS 1 english @0",
            "ACD.AGENT.ADD center a2 SKILLS 1 english @0",
            "ACD.AGENT.ADD center a3 SKILLS 1 french @0",
        ],
    );
    assert_eq!(
        estimate(&mut c, "SKILLS 1 english"),
        Value::Nil,
        "nobody staffed"
    );
    assert_eq!(
        estimate(&mut c, "SKILLS 1 german"),
        Value::Nil,
        "nobody has it"
    );
    run(&mut c, &["ACD.READY center a1 @10"]);
    assert_eq!(estimate(&mut c, "SKILLS 1 english @10"), Value::Int(0));
    assert_eq!(estimate(&mut c, "SKILLS 0 @10"), Value::Int(0));
    assert_eq!(
        estimate(&mut c, "SKILLS 1 english=2 @10"),
        Value::Nil,
        "a1 has english=1 only"
    );
    run(&mut c, &["ACD.ENQUEUE center c1 SKILLS 1 english @20"]);
    assert_eq!(
        estimate(&mut c, "SKILLS 1 english @20"),
        Value::Nil,
        "no contact completed yet: no handle time"
    );
    run(
        &mut c,
        &[
            "ACD.COMPLETE center c1 @1020",
            "ACD.ENQUEUE center c2 SKILLS 1 english @1100",
            "ACD.READY center a2 @1100",
            "ACD.ENQUEUE center c3 SKILLS 1 english @1200",
            "ACD.ENQUEUE center c4 SKILLS 1 english @1300",
            "ACD.ENQUEUE center c5 SKILLS 1 english @1400",
        ],
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c4", "c5"]);
    // a1 and a2 busy, aht 1000: two contacts ahead, (2 + 1) × 1000 / 2.
    assert_eq!(estimate(&mut c, "SKILLS 1 english @1500"), Value::Int(1500));
    // Nobody ahead of a higher priority.
    assert_eq!(
        estimate(&mut c, "SKILLS 1 english PRIORITY 1 @1500"),
        Value::Int(500)
    );
    // At 1350 only c4 had arrived.
    assert_eq!(estimate(&mut c, "SKILLS 1 english @1350"), Value::Int(1000));
    assert_eq!(
        estimate(&mut c, "SKILLS 1 french @1500"),
        Value::Nil,
        "a3 is not ready"
    );
    run(&mut c, &["ACD.READY center a3 @1500"]);
    assert_eq!(estimate(&mut c, "SKILLS 1 french @1500"), Value::Int(0));
    assert_eq!(estimate(&mut c, "SKILLS 0 @1500"), Value::Int(0));
    // ESTIMATE only reads.
    assert_eq!(c.strings("ACD.QUEUE center"), ["c4", "c5"]);
}
