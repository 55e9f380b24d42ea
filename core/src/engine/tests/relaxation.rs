//! Scenarios for requirement relaxation (`ACD.ENQUEUE ... THEN ms SKILLS ...`): steps apply
//! at their wait, the contact keeps its place, is routed at once in auto mode, and the steps'
//! deadlines follow the contact out of and back into the queue.

use super::play;

#[test]
fn requirements_widen_after_each_wait_and_route_at_once() {
    play(&[
        (0, "ACD.CONFIG SET events-max 100", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en=2", "OK"),
        (0, "ACD.READY a1", "nil"),
        (
            10,
            "ACD.ENQUEUE c1 SKILLS 2 en=3 billing THEN 1000 SKILLS 1 en=3 THEN 3000 SKILLS 1 en",
            "nil",
        ),
        (
            500,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"billing":1,"en":3},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":10,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (500, "ACD.STATS", "{agents_ready=1 agents_notready=0 agents_busy=0 queued=1 longest_wait_ms=490 enqueued_total=1 assigned_total=0 completed_total=0 abandoned_total=0 avg_wait_ms=0 agents_offered=0 agents_wrapup=0 timeout_total=0 offered_total=0 rejected_total=0 noanswer_total=0 service_level=0.000 aht_ms=0 abandon_rate=0.000 occupancy=0.000 queued_by_skill={billing=1 en=1} notready_ms_by_reason={none=0} queued_by_channel={voice=1} agents_free_by_channel={voice=1} handling_by_channel={} assigned_by_channel={}}"),
        (1009, "ACD.TICK", "0"),
        // First step: a1's en=2 is still short of en=3.
        (1010, "ACD.TICK", "1"),
        (
            1010,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"en":3},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":10,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        // Second step, due at 3010, applied by the next write at its own time, then routed.
        (4000, "ACD.AGENTS STATE ready", "[a1]"),
        (4000, "ACD.TICK", "1"),
        (
            4000,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"en":1},"channel":"voice","priority":0,"state":"assigned","agent":"a1","enqueued_at":10,"assigned_at":3010,"ended_at":null,"meta":null}"#,
        ),
        (4000, "ACD.EVENTS SINCE 4", "[{id=5 at=1010 type=acd.relax agent=nil contact=c1 reason=nil} {id=6 at=3010 type=acd.relax agent=nil contact=c1 reason=nil} {id=7 at=3010 type=acd.assign agent=a1 contact=c1 reason=nil}]"),
    ]);
}

#[test]
fn a_relaxed_contact_keeps_its_place_in_the_queue() {
    play(&[
        (0, "ACD.CONFIG SET mode manual", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 de THEN 100 SKILLS 1 en", "nil"),
        (50, "ACD.ENQUEUE c2 SKILLS 1 en PRIORITY 1", "nil"),
        (60, "ACD.ENQUEUE c3 SKILLS 1 en", "nil"),
        (100, "ACD.TICK", "1"),
        // c1 now needs en, and is ahead of c3 (enqueued earlier), behind c2 (priority).
        (100, "ACD.QUEUE", "[c2 c1 c3]"),
        (100, "ACD.DISPATCH", "[[c2 a1]]"),
        (110, "ACD.COMPLETE c2", "completed"),
        (110, "ACD.DISPATCH", "[[c1 a1]]"),
    ]);
}

#[test]
fn steps_pause_while_offered_and_resume_when_back_in_the_queue() {
    play(&[
        (0, "ACD.CONFIG SET offer-timeout 10000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 en THEN 500 SKILLS 0", "a1"),
        // Offered, not queued: the step is not due while the offer stands.
        (600, "ACD.TICK", "0"),
        (
            600,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{"en":1},"channel":"voice","priority":0,"state":"offered","agent":"a1","enqueued_at":0,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        // Back in the queue with its step overdue: the write that requeued it applies it, at
        // its own time (700), not at the step's (500).
        (700, "ACD.REJECT c1", "OK"),
        (700, "ACD.QUEUE", "[c1]"),
        (700, "ACD.TICK", "0"),
        (
            700,
            "ACD.CONTACT.GET c1",
            r#"{"id":"c1","skills":{},"channel":"voice","priority":0,"state":"queued","agent":null,"enqueued_at":0,"assigned_at":null,"ended_at":null,"meta":null}"#,
        ),
        (800, "ACD.READY a2", "c1"),
    ]);
}

#[test]
fn a_step_due_with_max_wait_gets_its_chance_first() {
    play(&[
        (0, "ACD.CONFIG SET max-wait 1000", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 fr THEN 1000 SKILLS 0", "nil"),
        (0, "ACD.ENQUEUE c2 SKILLS 1 fr THEN 2000 SKILLS 0", "nil"),
        // At 1000 c1's step and both timeouts fall due: c1 relaxes and is taken; c2 times out.
        (1000, "ACD.TICK", "2"),
        (
            1000,
            "ACD.AGENT.GET a1",
            r#"{"id":"a1","skills":{},"state":"busy","since":1000,"reason":null,"contact":"c1","contacts":["c1"],"capacity":{"voice":1},"meta":null}"#,
        ),
        (
            1000,
            "ACD.CONTACT.GET c2",
            r#"{"id":"c2","skills":{"fr":1},"channel":"voice","priority":0,"state":"timeout","agent":null,"enqueued_at":0,"assigned_at":null,"ended_at":1000,"meta":null}"#,
        ),
        // Ended contacts drop their remaining steps: nothing more falls due.
        (5000, "ACD.TICK", "0"),
    ]);
}

#[test]
fn removing_a_queued_contact_removes_its_steps() {
    play(&[
        (0, "ACD.CONFIG SET retention 0", "OK"),
        (0, "ACD.ENQUEUE c1 SKILLS 1 fr THEN 1000 SKILLS 0", "nil"),
        (10, "ACD.COMPLETE c1", "abandoned"),
        // With retention 0 the COMPLETE itself purged it: nothing is left to do.
        (2000, "ACD.TICK", "0"),
        (2000, "ACD.CONTACT.GET c1", "NOCONTACT no such contact 'c1'"),
    ]);
}
