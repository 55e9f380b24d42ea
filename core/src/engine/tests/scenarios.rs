//! Table-driven scenarios, one per routing rule. Each step is `(time, command, expected)`;
//! after every step the invariant audit must be clean.

use super::{play, reloaded, run};
use crate::Center;

#[test]
fn longest_available_agent_wins_ties_by_ready_order() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 1 en", "OK"),
        (5, "ACD.READY a2", "nil"),
        (5, "ACD.READY a3", "nil"),
        (3, "ACD.READY a1", "nil"),
        (6, "ACD.AGENTS STATE ready", "[a1 a2 a3]"),
        (7, "ACD.ENQUEUE c1 SKILLS 1 en", "a1"),
        (7, "ACD.ENQUEUE c2 SKILLS 1 en", "a2"),
        (7, "ACD.ENQUEUE c3 SKILLS 1 en", "a3"),
        (8, "ACD.ENQUEUE c4 SKILLS 1 en", "nil"),
    ]);
}

#[test]
fn every_required_skill_at_the_required_level() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en=3", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 2 en=5 billing", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.ENQUEUE c1 SKILLS 1 en=4", "a2"),
        (3, "ACD.ENQUEUE c2 SKILLS 2 en billing", "nil"),
        (3, "ACD.ENQUEUE c3 SKILLS 1 en=3", "a1"),
        (4, "ACD.ENQUEUE c4 SKILLS 0", "nil"),
        (5, "ACD.QUEUE", "[c2 c4]"),
    ]);
}

#[test]
fn priority_then_fifo_and_no_head_of_line_blocking() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (1, "ACD.ENQUEUE c1 SKILLS 1 fr", "nil"),
        (2, "ACD.ENQUEUE c2 SKILLS 1 en", "nil"),
        (3, "ACD.ENQUEUE c3 SKILLS 1 en PRIORITY 5", "nil"),
        (3, "ACD.ENQUEUE c4 SKILLS 1 en PRIORITY 5", "nil"),
        (4, "ACD.QUEUE", "[c3 c4 c1 c2]"),
        (4, "ACD.QUEUE COUNT 2", "[c3 c4]"),
        (5, "ACD.READY a1", "c3"),
        (6, "ACD.COMPLETE c4", "abandoned"),
        (6, "ACD.COMPLETE c3", "completed"),
        (7, "ACD.AGENT.GET a1", r#"{"id":"a1","skills":{"en":1},"state":"busy","since":6,"reason":null,"contact":"c2","contacts":["c2"],"capacity":{"voice":1},"meta":null}"#),
        (8, "ACD.STATS", "{agents_ready=0 agents_notready=0 agents_busy=1 queued=1 longest_wait_ms=7 enqueued_total=4 assigned_total=2 completed_total=1 abandoned_total=1 avg_wait_ms=3 agents_offered=0 agents_wrapup=0 timeout_total=0 offered_total=0 rejected_total=0 noanswer_total=0 service_level=0.667 aht_ms=1 abandon_rate=0.250 occupancy=1.000 queued_by_skill={fr=1} notready_ms_by_reason={none=5} queued_by_channel={voice=1} agents_free_by_channel={} handling_by_channel={voice=1} assigned_by_channel={voice=2}}"),
    ]);
}

#[test]
fn manual_mode_routes_only_on_dispatch() {
    play(&[
        (0, "ACD.CONFIG SET mode manual", "OK"),
        (0, "ACD.CONFIG GET mode", "manual"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 fr", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 1 en", "OK"),
        (1, "ACD.READY a1", "nil"),
        (1, "ACD.READY a2", "nil"),
        (1, "ACD.READY a3", "nil"),
        (2, "ACD.ENQUEUE c1 SKILLS 1 de", "nil"),
        (2, "ACD.ENQUEUE c2 SKILLS 1 en", "nil"),
        (2, "ACD.ENQUEUE c3 SKILLS 1 en", "nil"),
        (2, "ACD.ENQUEUE c4 SKILLS 1 en", "nil"),
        (3, "ACD.DISPATCH COUNT 1", "[[c2 a1]]"),
        (3, "ACD.DISPATCH", "[[c3 a3]]"),
        (4, "ACD.COMPLETE c2", "completed"),
        (5, "ACD.QUEUE", "[c1 c4]"),
        (5, "ACD.CONFIG SET mode auto", "OK"),
        (5, "ACD.QUEUE", "[c1]"),
        (
            5,
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{"en":1},"state":"busy","since":5,"reason":null,"contact":"c4","contacts":["c4"],"capacity":{"voice":1},"meta":null}"#,
        ),
    ]);
}

#[test]
fn grant_revoke_and_skill_delete() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 2 en fr", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE c1 SKILLS 1 fr=2", "nil"),
        (3, "ACD.AGENT.GRANT a1 fr=2", "OK"),
        (
            3,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"fr":2},"channel":"voice","priority":0,"state":"assigned","agent":"a1","enqueued_at":2,"assigned_at":3,"ended_at":null,"meta":null}"#,
        ),
        (4, "ACD.AGENT.REVOKE a1 fr nothing", "OK"),
        (4, "ACD.SKILL.DEL en", "2"),
        (4, "ACD.SKILL.DEL en", "0"),
        (
            5,
            "ACD.AGENT.GET a2",
            r#"{"id":"a2","skills":{"fr":1},"state":"notready","since":0,"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
    ]);
}

#[test]
fn deleting_a_busy_agent_requeues_its_contact_in_place() {
    play(&[
        (0, "ACD.CONFIG SET mode manual", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE c1 SKILLS 1 en", "nil"),
        (3, "ACD.ENQUEUE c2 SKILLS 1 en", "nil"),
        (4, "ACD.DISPATCH", "[[c1 a1]]"),
        (5, "ACD.AGENT.DEL a1", "OK"),
        (5, "ACD.QUEUE", "[c1 c2]"),
        (5, "ACD.AGENT.GET a1", "NOAGENT no such agent 'a1'"),
        (6, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (7, "ACD.CONFIG SET mode auto", "OK"),
        (8, "ACD.READY a1", "c1"),
    ]);
}

#[test]
fn close_and_open() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 0", "OK"),
        (1, "ACD.READY a1", "nil"),
        (1, "ACD.READY a2", "nil"),
        (2, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (3, "ACD.CLOSE", "OK"),
        (3, "ACD.AGENTS STATE notready", "[a2 a3]"),
        (4, "ACD.READY a2", "CLOSED center is closed"),
        (4, "ACD.ENQUEUE c2 SKILLS 0", "CLOSED center is closed"),
        (5, "ACD.COMPLETE c1", "completed"),
        (
            5,
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{},"state":"notready","since":5,"reason":"closed","contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
        (6, "ACD.OPEN", "OK"),
        (6, "ACD.AGENTS STATE ready", "[a1 a2 a3]"),
        (7, "ACD.ENQUEUE c2 SKILLS 0", "a1"),
    ]);
}

#[test]
fn ready_is_idempotent_and_not_ready_waits_for_the_contact() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.READY a1", "nil"),
        (4, "ACD.AGENTS STATE ready", "[a1 a2]"),
        (5, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (6, "ACD.READY a1", "nil"),
        // Not ready while busy: it takes nothing new, and shows not ready when c1 ends.
        (6, "ACD.NOTREADY a1 REASON break", "OK"),
        (6, "ACD.AGENTS STATE busy", "[a1]"),
        (6, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (7, "ACD.COMPLETE c2", "completed"),
        (7, "ACD.NOTREADY a2 REASON lunch", "OK"),
        (7, "ACD.ENQUEUE c3 SKILLS 0", "nil"),
        (8, "ACD.COMPLETE c1", "completed"),
        (8, "ACD.AGENTS STATE notready", "[a1 a2]"),
        (8, "ACD.EVENTS SINCE 12", "[{id=13 at=8 type=acd.complete agent=a1 contact=c1 reason=nil} {id=14 at=8 type=acd.notready agent=a1 contact=nil reason=break}]"),
        // READY while busy takes the agent back before its contact ends.
        (9, "ACD.READY a2", "c3"),
        (10, "ACD.NOTREADY a2", "OK"),
        (11, "ACD.READY a2", "nil"),
        (12, "ACD.COMPLETE c3", "completed"),
        (12, "ACD.AGENTS STATE ready", "[a2]"),
        (7, "ACD.NOTREADY a2 REASON lunch", "OK"),
        (
            8,
            "ACD.AGENT.GET a2",
            r#"{"id":"a2","skills":{},"state":"notready","since":7,"reason":"lunch","contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            9,
            "ACD.AGENT.ADD a2 SKILLS 0",
            "EXISTS agent 'a2' already exists",
        ),
    ]);
}

#[test]
fn retention_keeps_ended_contacts_until_due() {
    play(&[
        (0, "ACD.CONFIG SET retention 10", "OK"),
        (0, "ACD.CONFIG GET retention", "10"),
        (1000, "ACD.ENQUEUE c1 SKILLS 0 META {\"a\":[1,2]}", "nil"),
        (2000, "ACD.COMPLETE c1", "abandoned"),
        (2001, "ACD.COMPLETE c1", "abandoned"),
        (
            11999,
            "ACD.ENQUEUE c1 SKILLS 0",
            "EXISTS contact 'c1' already exists",
        ),
        (
            11999,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{},"channel":"voice","priority":0,"state":"abandoned","agent":null,"enqueued_at":1000,"assigned_at":null,"ended_at":2000,"meta":{"a":[1,2]}}"#,
        ),
        (12000, "ACD.COMPLETE c1", "NOCONTACT no such contact 'c1'"),
        (12000, "ACD.ENQUEUE c1 SKILLS 0", "nil"),
        (
            12000,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":12000,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
    ]);
}

#[test]
fn failed_commands_change_nothing_but_due_deadlines_still_apply() {
    let mut center = play(&[
        (0, "ACD.CONFIG SET retention 1", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.ENQUEUE c1 SKILLS 0", "nil"),
        (0, "ACD.ENQUEUE c2 SKILLS 0", "nil"),
        (1, "ACD.COMPLETE c1", "abandoned"),
    ]);
    let before = center.encode();
    for line in [
        "ACD.READY nobody",
        "ACD.COMPLETE nothing",
        "ACD.AGENT.ADD a1 SKILLS 0",
        "ACD.AGENT.DEL nobody",
        "ACD.NOTREADY nobody",
        "ACD.AGENT.META nobody {}",
        "ACD.AGENT.GRANT nobody x",
        "ACD.ACCEPT c2",
    ] {
        let cmd = crate::command::Command::parse(
            line.split(' ').next().unwrap(),
            &line
                .split(' ')
                .skip(1)
                .map(str::as_bytes)
                .collect::<Vec<_>>(),
        )
        .unwrap();
        let done = center.execute(&cmd, 500);
        assert!(done.reply.is_err(), "{line} should fail");
        assert_eq!(done.settled, 0);
        assert_eq!(center.encode(), before, "{line} changed state");
    }
    // Later, a failing command first applies what is due (c1's retention ended): the caller
    // must replicate that as ACD.TICK.
    let cmd = crate::command::Command::parse("ACD.READY", &[b"nobody"]).unwrap();
    let done = center.execute(&cmd, 1001);
    assert!(done.reply.is_err());
    assert_eq!(done.settled, 1);
    assert_eq!(
        run(&mut center, "ACD.CONTACT.GET c1", 1001),
        "NOCONTACT no such contact 'c1'"
    );
}

#[test]
fn encoding_round_trips_and_rejects_garbage() {
    let center = play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 2 en=3 fr META {\"x\":1}", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 1 en", "OK"),
        (1, "ACD.READY a1", "nil"),
        (1, "ACD.READY a3", "nil"),
        (2, "ACD.NOTREADY a2 REASON break", "OK"),
        (3, "ACD.ENQUEUE c1 SKILLS 1 fr PRIORITY 2", "a1"),
        (4, "ACD.ENQUEUE c2 SKILLS 1 de", "nil"),
        (5, "ACD.ENQUEUE c3 SKILLS 0", "a3"),
        (6, "ACD.COMPLETE c3", "completed"),
        (7, "ACD.CONFIG SET mode manual", "OK"),
    ]);
    let copy = reloaded(&center);
    assert_eq!(copy.stats(10), center.stats(10));
    let bytes = center.encode();
    for cut in 0..bytes.len() {
        assert!(
            Center::decode(&bytes[..cut]).is_err(),
            "prefix {cut} accepted"
        );
    }
    let mut flipped = bytes.clone();
    for i in 0..flipped.len() {
        flipped[i] ^= 0xff;
        // Corrupt input must never panic; whatever is accepted must re-encode identically.
        if let Ok(c) = Center::decode(&flipped) {
            assert_eq!(c.encode(), flipped, "byte {i}");
        }
        flipped[i] ^= 0xff;
    }
}

#[test]
fn offers_time_out_and_go_to_the_next_agent() {
    play(&[
        (0, "ACD.CONFIG SET offer-timeout 100", "OK"),
        (0, "ACD.CONFIG SET max-no-answer 2", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (4, "ACD.AGENTS STATE offered", "[a1]"),
        (4, "ACD.READY a1", "BUSYAGENT agent 'a1' is handling contact 'c1'"),
        (4, "ACD.NOTREADY a1", "BUSYAGENT agent 'a1' is handling contact 'c1'"),
        (5, "ACD.ACCEPT c2", "NOCONTACT no such contact 'c2'"),
        // a1 misses (1 < 2): back to the end of the line; c1 goes to a2 first.
        (103, "ACD.TICK", "1"),
        (103, "ACD.AGENTS STATE ready", "[a1]"),
        (103, "ACD.AGENTS STATE offered", "[a2]"),
        (150, "ACD.REJECT c1", "OK"),
        // a2 rejected (1 < 2) and rejoined behind a1, who gets the offer again.
        (150, "ACD.AGENTS STATE offered", "[a1]"),
        (250, "ACD.TICK", "1"),
        // a1's second miss: it stays not ready; a2 gets the offer.
        (250, "ACD.AGENT.GET a1", r#"{"id":"a1","skills":{},"state":"notready","since":250,"reason":"no-answer","contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#),
        (260, "ACD.ACCEPT c1", "OK"),
        (260, "ACD.ACCEPT c1", "NOTOFFERED contact 'c1' is assigned, not offered"),
        (270, "ACD.CONTACT.GET c1", r#"{"id":"c1","skills":{},"channel":"voice","priority":0,"state":"assigned","agent":"a2","enqueued_at":3,"assigned_at":260,"ended_at":null,"meta":null}"#),
        (270, "ACD.STATS", "{agents_ready=0 agents_notready=1 agents_busy=1 queued=0 longest_wait_ms=0 enqueued_total=1 assigned_total=1 completed_total=0 abandoned_total=0 avg_wait_ms=257 agents_offered=0 agents_wrapup=0 timeout_total=0 offered_total=4 rejected_total=1 noanswer_total=2 service_level=1.000 aht_ms=0 abandon_rate=0.000 occupancy=0.019 queued_by_skill={} notready_ms_by_reason={no-answer=20 none=3 rejected=0} queued_by_channel={} agents_free_by_channel={} handling_by_channel={voice=1} assigned_by_channel={voice=1}}"),
    ]);
}

#[test]
fn wrapup_ends_by_deadline_or_by_ready() {
    play(&[
        (0, "ACD.CONFIG SET wrapup 50", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.READY a2", "nil"),
        (1, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (1, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (10, "ACD.COMPLETE c1", "completed"),
        (10, "ACD.COMPLETE c2", "completed"),
        (11, "ACD.AGENTS STATE wrapup", "[a1 a2]"),
        (12, "ACD.ENQUEUE c3 SKILLS 0", "nil"),
        (20, "ACD.READY a2", "c3"),
        (60, "ACD.TICK", "1"),
        (
            60,
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{},"state":"ready","since":60,"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null}"#,
        ),
    ]);
}

#[test]
fn queue_guards_time_out_and_refuse() {
    play(&[
        (0, "ACD.CONFIG SET max-wait 1000", "OK"),
        (0, "ACD.CONFIG SET max-queue 2", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.READY a1", "nil"),
        (1, "ACD.ENQUEUE c1 SKILLS 1 fr", "nil"),
        (2, "ACD.ENQUEUE c2 SKILLS 1 fr", "nil"),
        (
            3,
            "ACD.ENQUEUE c3 SKILLS 1 fr",
            "QUEUEFULL queue is full (2 contacts waiting)",
        ),
        // A contact that can be assigned at once is never refused.
        (3, "ACD.ENQUEUE c4 SKILLS 1 en", "a1"),
        (
            1001,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"fr":1},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":1,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (1001, "ACD.TICK", "1"),
        (
            1001,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"fr":1},"channel":"voice","priority":0,"state":"timeout","agent":null,"enqueued_at":1,"assigned_at":null,"ended_at":1001,"meta":null}"#,
        ),
        (1001, "ACD.QUEUE", "[c2]"),
        (1001, "ACD.ENQUEUE c3 SKILLS 1 fr", "nil"),
        (3000, "ACD.QUEUE", "[c2 c3]"),
        (3000, "ACD.DISPATCH", "[]"),
        (3000, "ACD.QUEUE", "[]"),
    ]);
}

#[test]
fn event_log_pages_and_keeps_the_newest() {
    play(&[
        (0, "ACD.CONFIG SET events-max 3", "OK"),
        (1, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (2, "ACD.READY a1", "nil"),
        (3, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (4, "ACD.EVENTS", "[{id=3 at=2 type=acd.ready agent=a1 contact=nil reason=nil} {id=4 at=3 type=acd.enqueue agent=nil contact=c1 reason=nil} {id=5 at=3 type=acd.assign agent=a1 contact=c1 reason=nil}]"),
        (4, "ACD.EVENTS SINCE 3 COUNT 1", "[{id=4 at=3 type=acd.enqueue agent=nil contact=c1 reason=nil}]"),
        (4, "ACD.EVENTS SINCE 5", "[]"),
        (5, "ACD.CONFIG SET events-max 1", "OK"),
        (5, "ACD.EVENTS", "[{id=6 at=5 type=acd.config agent=nil contact=nil reason=events-max=1}]"),
    ]);
}

#[test]
fn estimate_uses_position_staffing_and_handle_time() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 1 en", "OK"),
        (0, "ACD.ESTIMATE SKILLS 1 de", "nil"),
        (0, "ACD.ESTIMATE SKILLS 1 en", "nil"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ESTIMATE SKILLS 1 en", "0"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 en", "a1"),
        (100, "ACD.COMPLETE c1", "completed"),
        (100, "ACD.READY a2", "nil"),
        (100, "ACD.ENQUEUE c2 SKILLS 1 en", "a1"),
        (100, "ACD.ENQUEUE c3 SKILLS 1 en", "a2"),
        (100, "ACD.ENQUEUE c4 SKILLS 1 en", "nil"),
        (100, "ACD.ENQUEUE c5 SKILLS 1 en", "nil"),
        // Two ahead, two busy agents, 100 ms handle time: (2 + 1) × 100 / 2.
        (100, "ACD.ESTIMATE SKILLS 1 en", "150"),
        (100, "ACD.ESTIMATE SKILLS 1 en PRIORITY 9", "50"),
        (101, "ACD.CHECK", "OK"),
    ]);
}

/// Skill-set lines (`skill_sets.rs`; under test every multi-skill route builds its set's line,
/// and an agent holding more than one set is "wide": it leaves the sets' lines for its channel's
/// line of wide agents). A route on a set's line still finds a wide agent, in the same order.
#[test]
fn a_wide_agent_still_gets_contacts_of_its_skill_sets() {
    play(&[
        (0, "ACD.AGENT.ADD w SKILLS 3 a b c", "OK"),
        (0, "ACD.AGENT.ADD n SKILLS 2 a b", "OK"),
        (0, "ACD.AGENT.ADD m SKILLS 2 a c", "OK"),
        (1, "ACD.READY w", "nil"),
        (2, "ACD.READY n", "nil"),
        (3, "ACD.READY m", "nil"),
        // Builds the {a, b} line; w is the longest available.
        (4, "ACD.ENQUEUE c1 SKILLS 2 a b", "w"),
        // Builds the {a, c} line: w now holds two sets, so it is wide.
        (5, "ACD.ENQUEUE c2 SKILLS 2 a c", "m"),
        (6, "ACD.COMPLETE c1", "completed"),
        (7, "ACD.COMPLETE c2", "completed"),
        (8, "ACD.ENQUEUE c3 SKILLS 2 a b", "n"),
        // Nobody left in the {a, b} line: the wide agent w takes it.
        (9, "ACD.ENQUEUE c4 SKILLS 2 a b", "w"),
        (10, "ACD.COMPLETE c3", "completed"),
        // n (back at 10) and m (ready since 7) against w (busy): m has waited longest.
        (11, "ACD.ENQUEUE c5 SKILLS 2 a c", "m"),
        (12, "ACD.COMPLETE c4", "completed"),
        // w (ready again at 12) is behind n (10) for {a, b}.
        (13, "ACD.ENQUEUE c6 SKILLS 2 a b", "n"),
        (14, "ACD.ENQUEUE c7 SKILLS 2 a b", "w"),
    ]);
}

/// A full table of skill-set lines (four under test) drops the least recently used set for a
/// new one: its holders leave its line, and one that held two sets is no longer wide, so it
/// moves from the wide line to the line of the set it keeps.
#[test]
fn a_dropped_skill_set_makes_its_holders_narrow_again() {
    play(&[
        (0, "ACD.AGENT.ADD w SKILLS 3 a b c", "OK"),
        (0, "ACD.AGENT.ADD x SKILLS 3 c d e", "OK"),
        (1, "ACD.READY w", "nil"),
        (2, "ACD.READY x", "nil"),
        // Builds {a, b}, then {a, c}: w holds two sets, so it is wide.
        (3, "ACD.ENQUEUE c1 SKILLS 2 a b", "w"),
        (4, "ACD.COMPLETE c1", "completed"),
        (5, "ACD.ENQUEUE c2 SKILLS 2 a c", "w"),
        (6, "ACD.COMPLETE c2", "completed"),
        // Builds {d, e} and {c, e}: the table is full.
        (7, "ACD.ENQUEUE c3 SKILLS 2 d e", "x"),
        (8, "ACD.COMPLETE c3", "completed"),
        (9, "ACD.ENQUEUE c4 SKILLS 2 c e", "x"),
        (10, "ACD.COMPLETE c4", "completed"),
        // A route on the {a, c} line, so that {a, b} is the least recently used.
        (11, "ACD.ENQUEUE c5 SKILLS 2 a c", "w"),
        (12, "ACD.COMPLETE c5", "completed"),
        // {c, d} takes the place of {a, b}: w keeps one set and is in its line.
        (13, "ACD.ENQUEUE c6 SKILLS 2 c d", "x"),
        (14, "ACD.CHECK", "OK"),
        (15, "ACD.ENQUEUE c7 SKILLS 2 a c", "w"),
        (16, "ACD.CHECK", "OK"),
    ]);
}

/// Skill ids 64 apart share a bit of a line key's skill mask: in a center of 66 skills, an
/// agent holding `s65` (bit 1) and `s2` passes the mask check of a contact needing `s1` and
/// `s2` in the line of `s2`, and is still not taken for it.
#[test]
fn skills_sharing_a_mask_bit_are_told_apart() {
    let names: Vec<String> = (0..66).map(|i| format!("s{i}")).collect();
    let everything = format!("ACD.AGENT.ADD big SKILLS 66 {}", names.join(" "));
    play(&[
        (0, &everything, "OK"),
        (0, "ACD.AGENT.ADD x SKILLS 2 s65 s2", "OK"),
        (0, "ACD.AGENT.ADD y SKILLS 2 s1 s2", "OK"),
        (0, "ACD.AGENT.ADD z1 SKILLS 1 s1", "OK"),
        (0, "ACD.AGENT.ADD z2 SKILLS 1 s1", "OK"),
        (1, "ACD.READY x", "nil"),
        (2, "ACD.READY y", "nil"),
        (3, "ACD.READY z1", "nil"),
        (4, "ACD.READY z2", "nil"),
        // The line of s2 (x, y) is the shorter one; x has waited longest but lacks s1.
        (5, "ACD.ENQUEUE c1 SKILLS 2 s1 s2", "y"),
    ]);
}

#[test]
fn the_line_of_all_agents_is_kept_once_a_contact_needing_no_skill_is_routed() {
    let mut center = play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.AGENT.ADD a3 SKILLS 1 fr", "OK"),
        (1, "ACD.READY a2", "nil"),
        (2, "ACD.READY a1", "nil"),
        (3, "ACD.READY a3", "nil"),
        (4, "ACD.ENQUEUE c1 SKILLS 1 en", "a1"),
    ]);
    assert!(
        center.channels.lines[0].all.is_none(),
        "kept before any use"
    );
    // Built from the agents when first needed, in longest-available order; kept after.
    for (now, line, want) in [
        (6, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
        (7, "ACD.COMPLETE c1", "completed"),
        (8, "ACD.ENQUEUE c3 SKILLS 0", "a3"),
        (9, "ACD.ENQUEUE c4 SKILLS 0", "a1"),
    ] {
        assert_eq!(run(&mut center, line, now), want, "{line}");
        assert_eq!(center.check(), Vec::<String>::new(), "{line}");
        assert!(center.channels.lines[0].all.is_some(), "{line}");
    }
}

#[test]
fn an_agent_given_a_contact_is_forgotten_in_its_other_lines_and_skipped() {
    let mut center = play(&[
        (0, "ACD.AGENT.ADD a0 SKILLS 1 sales", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 2 en sales", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 2 en sales=5", "OK"),
        (1, "ACD.READY a0", "nil"),
        (2, "ACD.READY a1", "nil"),
        (3, "ACD.READY a2", "nil"),
        (4, "ACD.ENQUEUE c1 SKILLS 1 en", "a1"),
    ]);
    let sales = center.skills.lookup("sales").expect("sales is known");
    let lines = &center.channels.lines[0];
    // a1 left the line of `sales` without being searched for: its key is still there,
    // forgotten, and counted out.
    let line = lines.skill(sales);
    assert_eq!(
        (line.len(), line.forgotten(), line.iter().count()),
        (2, 1, 3)
    );
    assert!(!lines.is_current(line.iter().nth(1).expect("a1's key")));
    assert_eq!(center.check(), Vec::<String>::new());
    // The walk of `sales` passes a0 (below the level) and a1's key, takes a2, and sheds
    // a1's key.
    assert_eq!(run(&mut center, "ACD.ENQUEUE c2 SKILLS 1 sales=5", 5), "a2");
    let line = center.channels.lines[0].skill(sales);
    assert_eq!(
        (line.len(), line.forgotten(), line.iter().count()),
        (1, 0, 1)
    );
    assert_eq!(center.check(), Vec::<String>::new());
}

#[test]
fn memory_usage_counts_the_lines_of_ready_agents() {
    let (mut idle, mut ready) = (Center::new(), Center::new());
    for center in [&mut idle, &mut ready] {
        assert_eq!(run(center, "ACD.CONFIG SET events-max 0", 0), "OK");
        for n in 0..1_000 {
            let skills = (0..4).map(|k| format!("s{}", (n + k * 7) % 20));
            let line = format!(
                "ACD.AGENT.ADD a{n} SKILLS 4 {}",
                skills.collect::<Vec<_>>().join(" ")
            );
            assert_eq!(run(center, &line, 1), "OK");
        }
    }
    for n in 0..1_000 {
        assert_eq!(run(&mut ready, &format!("ACD.READY a{n}"), 2), "nil");
    }
    // Each ready agent has a key in the line of each of its four skills.
    let lines = ready.memory_usage() - idle.memory_usage();
    let keys = 1_000 * 4 * std::mem::size_of::<crate::engine::model::RankKey>();
    assert!(lines >= keys, "{lines} bytes for {keys} bytes of keys");
}
