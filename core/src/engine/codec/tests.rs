//! Encoding tests: older versions still load (a hand-built version 1 payload, and version 2,
//! 3 and 4 payloads captured from the engine before the next version), and the current version
//! round-trips every field so that a decoded copy behaves exactly like the original (see also
//! `engine/tests/channels.rs` for channel state).

use super::agents::BUSY;
use super::wire::Writer;
use super::*;
use crate::engine::tests::run;

/// A version-1 payload (written before offers and metrics existed) still loads.
#[test]
fn loads_version_1() {
    let mut w = Writer::default();
    w.u8(1);
    w.u8(0);
    w.u64(60);
    w.u8(1);
    w.u64(3);
    for v in [2u64, 1, 0, 0] {
        w.u64(v);
    }
    w.i128(5);
    w.u64(1);
    w.str("a1");
    w.skills(vec![("en", 2)]);
    w.u8(BUSY);
    w.str("c1");
    w.i64(10);
    w.opt_str(None);
    w.u64(2);
    for (id, state, agent, seq, assigned) in [
        ("c1", 1u8, Some("a1"), 1u64, Some(10)),
        ("c2", 0, None, 3, None),
    ] {
        w.str(id);
        w.skills(vec![("en", 1)]);
        w.i64(0);
        w.u8(state);
        w.opt_str(agent);
        w.i64(5);
        w.u64(seq);
        w.opt_i64(assigned);
        w.opt_i64(None);
        w.opt_str(None);
    }
    let center = Center::decode(&w.0).expect("version 1 loads");
    assert_eq!(center.check(), Vec::<String>::new());
    assert_eq!(center.settings.retention_s, 60);
    let stats = center.stats(20);
    assert_eq!(
        (stats.agents_busy, stats.queued, stats.avg_wait_ms),
        (1, 1, 5)
    );
    let again = Center::decode(&center.encode()).expect("re-encoded as version 3");
    assert_eq!(again.encode(), center.encode());
}

/// A version-2 payload written by the engine before ageing, relaxation and strategies
/// (offers, wrap-up, a timeout, not-ready reasons and the event log included).
const CENTER_V2: &str = include_str!("fixtures/center_v2.hex");

fn from_hex(hex: &str) -> Vec<u8> {
    let hex = hex.trim();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex fixture"))
        .collect()
}

#[test]
fn loads_version_2() {
    let bytes = from_hex(CENTER_V2);
    assert_eq!(bytes[0], 2);
    let mut center = Center::decode(&bytes).expect("version 2 loads");
    assert_eq!(center.check(), Vec::<String>::new());
    // What the version-2 engine answered for this state, at time 120.
    let cases = [
        (
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{"en":3,"fr":1},"state":"wrapup","since":111,"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            "ACD.AGENT.GET a2",
            r#"{"id":"a2","skills":{"en":1},"state":"offered","since":105,"reason":null,"contact":"c2","contacts":["c2"],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            "ACD.AGENT.GET a3",
            r#"{"id":"a3","skills":{"fr":1},"state":"notready","since":106,"reason":"lunch","contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            "ACD.AGENT.GET a4",
            r#"{"id":"a4","skills":{},"state":"ready","since":112,"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":{"x":1}}"#,
        ),
        (
            "ACD.AGENT.GET a5",
            r#"{"id":"a5","skills":{"de":1},"state":"notready","since":100,"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c0",
            r#"{"id":"c0","skills":{"zz":1},"channel":"voice","priority":0,"state":"timeout","agent":null,"enqueued_at":0,"assigned_at":null,"ended_at":50,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"en":1},"channel":"voice","priority":2,"state":"completed","agent":"a1","enqueued_at":103,"assigned_at":103,"ended_at":111,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c2",
            r#"{"id":"c2","skills":{"en":1},"channel":"voice","priority":0,"state":"offered","agent":"a2","enqueued_at":105,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c3",
            r#"{"id":"c3","skills":{"de":2},"channel":"voice","priority":-1,"state":"queued","agent":null,"enqueued_at":107,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c4",
            r#"{"id":"c4","skills":{},"channel":"voice","priority":0,"state":"abandoned","agent":null,"enqueued_at":108,"assigned_at":null,"ended_at":109,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c5",
            r#"{"id":"c5","skills":{"fr":1},"channel":"voice","priority":1,"state":"queued","agent":null,"enqueued_at":113,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (
            "ACD.CONTACT.GET c6",
            r#"{"id":"c6","skills":{"en":2,"fr":1},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":114,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        ("ACD.QUEUE", r#"[c5 c6 c3]"#),
        ("ACD.AGENTS STATE ready", r#"[a4]"#),
        (
            "ACD.STATS AT 120",
            r#"{agents_ready=1 agents_notready=2 agents_busy=0 queued=3 longest_wait_ms=13 enqueued_total=7 assigned_total=1 completed_total=1 abandoned_total=1 avg_wait_ms=0 agents_offered=1 agents_wrapup=1 timeout_total=1 offered_total=1 rejected_total=0 noanswer_total=0 service_level=0.333 aht_ms=8 abandon_rate=0.143 occupancy=0.378 queued_by_skill={de=1 en=1 fr=2} notready_ms_by_reason={lunch=14 none=41} queued_by_channel={voice=3} agents_free_by_channel={voice=1} handling_by_channel={voice=1} assigned_by_channel={voice=1}}"#,
        ),
        ("ACD.CONFIG GET strategy", "longest-available"),
        ("ACD.CONFIG GET priority-age", "0"),
        ("ACD.CONFIG GET occupancy-window", "3600000"),
        (
            "ACD.EVENTS SINCE 25",
            "[{id=26 at=114 type=acd.enqueue agent=nil contact=c6 reason=nil}]",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(run(&mut center.clone(), line, 120), want, "{line}");
    }
    // Registration orders were given in id order, after every sequence number in use.
    let orders: Vec<u64> = center
        .agent_ids
        .values()
        .map(|&a| center.agents[a].order)
        .collect();
    let first = orders[0];
    assert_eq!(orders, (first..first + 5).collect::<Vec<_>>());
    assert_eq!(first, center.seq - 4);
    let again = Center::decode(&center.encode()).expect("re-encoded as version 3");
    assert_eq!(again.encode(), center.encode());
    // And it keeps working: round-robin starts from the first agent in the cycle.
    let steps = [
        ("ACD.CONFIG SET strategy round-robin", "OK"),
        ("ACD.AGENT.ADD a6 SKILLS 0", "OK"),
        ("ACD.READY a6", "nil"),
        ("ACD.ENQUEUE c7 SKILLS 0", "a4"),
        ("ACD.ENQUEUE c8 SKILLS 0", "a6"),
        ("ACD.CHECK", "OK"),
    ];
    for (line, want) in steps {
        assert_eq!(run(&mut center, line, 130), want, "{line}");
    }
}

const CENTER_V3: &str = include_str!("fixtures/center_v3.hex");

/// A version-3 center (captured from the engine before channels) loads as voice agents with
/// capacity 1, and answers what the version-3 engine answered: here a closed center with a
/// busy agent and one in wrap-up, who report not ready `closed` when freed.
#[test]
fn loads_version_3() {
    let bytes = from_hex(CENTER_V3);
    assert_eq!(bytes[0], 3);
    let mut center = Center::decode(&bytes).expect("version 3 loads");
    assert_eq!(center.check(), Vec::<String>::new());
    let steps: [(i64, &str, &str); 12] = [
        (10, "ACD.AGENTS STATE busy", r#"[a1]"#),
        (10, "ACD.AGENTS STATE wrapup", r#"[a2]"#),
        (10, "ACD.AGENTS STATE notready", r#"[a3 a4]"#),
        (60, "ACD.TICK", r#"1"#),
        (61, "ACD.COMPLETE c1", r#"completed"#),
        (112, "ACD.TICK", r#"1"#),
        (113, "ACD.AGENTS STATE notready", r#"[a1 a2 a3 a4]"#),
        (
            114,
            "ACD.EVENTS SINCE 14",
            r#"[{id=15 at=6 type=acd.notready agent=a3 contact=nil reason=lunch} {id=16 at=7 type=acd.enqueue agent=nil contact=c3 reason=nil} {id=17 at=8 type=acd.close agent=nil contact=nil reason=nil} {id=18 at=55 type=acd.notready agent=a2 contact=nil reason=closed} {id=19 at=61 type=acd.complete agent=a1 contact=c1 reason=nil} {id=20 at=61 type=acd.wrapup agent=a1 contact=c1 reason=nil} {id=21 at=111 type=acd.notready agent=a1 contact=nil reason=closed}]"#,
        ),
        (120, "ACD.OPEN", r#"OK"#),
        (
            121,
            "ACD.CONTACT.GET c3",
            r#"{"id":"c3","skills":{"fr":1},"channel":"voice","priority":0,"state":"assigned","agent":"a3","enqueued_at":7,"assigned_at":120,"ended_at":null,"meta":null}"#,
        ),
        (121, "ACD.AGENTS STATE ready", r#"[a1 a2 a4]"#),
        (
            122,
            "ACD.STATS",
            r#"{agents_ready=3 agents_notready=0 agents_busy=1 queued=0 longest_wait_ms=0 enqueued_total=3 assigned_total=3 completed_total=2 abandoned_total=0 avg_wait_ms=37 agents_offered=0 agents_wrapup=0 timeout_total=0 offered_total=0 rejected_total=0 noanswer_total=0 service_level=1.000 aht_ms=30 abandon_rate=0.000 occupancy=0.921 queued_by_skill={} notready_ms_by_reason={closed=74 lunch=114 none=123} queued_by_channel={} agents_free_by_channel={voice=3} handling_by_channel={voice=1} assigned_by_channel={voice=3}}"#,
        ),
    ];
    for (now, line, want) in steps {
        assert_eq!(run(&mut center, line, now), want, "{line}");
        assert_eq!(center.check(), Vec::<String>::new(), "{line}");
    }
}

/// Everything version 3 added survives encoding, and the copy behaves like the original.
#[test]
fn version_3_round_trips_new_state() {
    let mut center = Center::new();
    let setup = [
        (0, "ACD.CONFIG SET occupancy-window 6000"),
        (0, "ACD.CONFIG SET priority-age 1000"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en=4"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 en=2"),
        (0, "ACD.AGENT.ADD a3 SKILLS 1 fr"),
        (1, "ACD.READY a1"),
        (1, "ACD.READY a2"),
        (2, "ACD.ENQUEUE c1 SKILLS 1 en"),
        (2000, "ACD.COMPLETE c1"),
        (2000, "ACD.CONFIG SET strategy least-occupied"),
        (
            2001,
            "ACD.ENQUEUE c2 SKILLS 1 de THEN 500 SKILLS 1 fr=2 THEN 900 SKILLS 1 fr",
        ),
        (2002, "ACD.ENQUEUE c3 SKILLS 1 de PRIORITY 3"),
    ];
    for (now, line) in setup {
        run(&mut center, line, now);
    }
    let bytes = center.encode();
    let mut copy = Center::decode(&bytes).expect("decodes");
    assert_eq!(copy.encode(), bytes);
    assert_eq!(copy.check(), Vec::<String>::new());
    assert_eq!(copy.last_assigned, center.last_assigned);
    let follow = [
        (2003, "ACD.QUEUE"),
        (2003, "ACD.ENQUEUE c4 SKILLS 1 en"),
        (2003, "ACD.ENQUEUE c5 SKILLS 1 en"),
        (2900, "ACD.READY a3"),
        (2950, "ACD.CONTACT.GET c2"),
        (2950, "ACD.TICK"),
        (2950, "ACD.CONTACT.GET c2"),
        (2950, "ACD.CONFIG SET strategy round-robin"),
        (2960, "ACD.COMPLETE c4"),
        (2960, "ACD.ENQUEUE c6 SKILLS 0"),
    ];
    for (now, line) in follow {
        assert_eq!(
            run(&mut copy, line, now),
            run(&mut center, line, now),
            "{line}"
        );
    }
    assert_eq!(copy.encode(), center.encode());
}

const CENTER_V4: &str = include_str!("fixtures/center_v4.hex");

/// A version-4 center (captured from the engine before the time of the last write was kept)
/// loads without that time, answers as the version-4 engine did, and keeps the time of its
/// next write through version 5.
#[test]
fn loads_version_4() {
    let bytes = from_hex(CENTER_V4);
    assert_eq!(bytes[0], 4);
    let mut center = Center::decode(&bytes).expect("version 4 loads");
    assert_eq!(center.check(), Vec::<String>::new());
    assert_eq!(center.written_at(), None);
    for (line, want) in [
        ("ACD.QUEUE", "[c2]"),
        ("ACD.AGENTS STATE notready", "[a2]"),
        (
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"en":1},"channel":"chat","priority":0,"state":"assigned","agent":"a1","enqueued_at":4,"assigned_at":4,"ended_at":null,"meta":null}"#,
        ),
    ] {
        assert_eq!(run(&mut center, line, 10), want, "{line}");
    }
    assert_eq!(center.written_at(), None, "reads");
    assert_eq!(run(&mut center, "ACD.COMPLETE c1", 20), "completed");
    let again = Center::decode(&center.encode()).expect("re-encoded as version 5");
    assert_eq!(again.encode()[0], 5);
    assert_eq!(again.written_at(), Some(20));
}
