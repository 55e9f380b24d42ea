//! Channels and capacity: multi-contact agents, per-channel longest-available order,
//! `voice-blocks`, and the reported state of an agent holding several things.

use super::{play, reloaded, run};
use crate::Center;

fn agent_json(center: &mut Center, id: &str) -> serde_json::Value {
    let text = run(center, &format!("ACD.AGENT.GET {id}"), 0);
    serde_json::from_str(&text).expect("agent json")
}

#[test]
fn an_agent_takes_contacts_up_to_its_capacity_on_each_channel() {
    let mut center = play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=2", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (3, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "nil"),
        (5, "ACD.ENQUEUE v1 SKILLS 0", "a1"),
        (6, "ACD.ENQUEUE v2 SKILLS 0", "nil"),
        (7, "ACD.AGENTS STATE busy", "[a1]"),
        (8, "ACD.COMPLETE k1", "completed"),
        (
            9,
            "ACD.CONTACT.GET k3",
            r#"{"id":"k3","skills":{},"channel":"chat","priority":0,"state":"assigned","agent":"a1","enqueued_at":4,"assigned_at":8,"ended_at":null,"meta":null}"#,
        ),
        (9, "ACD.QUEUE", "[v2]"),
    ]);
    let a1 = agent_json(&mut center, "a1");
    assert_eq!(a1["contacts"], serde_json::json!(["k2", "v1", "k3"]));
    assert_eq!(a1["contact"], "k2");
    assert_eq!(a1["capacity"], serde_json::json!({"chat": 2, "voice": 1}));
    assert_eq!(a1["state"], "busy");
    assert_eq!(
        run(&mut center, "ACD.STATS", 10)
            .split(" queued_by_channel=")
            .nth(1)
            .unwrap(),
        "{voice=1} agents_free_by_channel={} handling_by_channel={chat=2 voice=1} assigned_by_channel={chat=3 voice=1}}"
    );
}

#[test]
fn a_contact_waits_for_an_agent_with_capacity_on_its_channel() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 1 en", "OK"),
        (
            0,
            "ACD.AGENT.ADD a2 SKILLS 1 en CAPACITY email=5 voice=0",
            "OK",
        ),
        (1, "ACD.READY a1", "nil"),
        (1, "ACD.READY a2", "nil"),
        (2, "ACD.ENQUEUE c1 SKILLS 1 en CHANNEL chat", "nil"),
        (3, "ACD.ENQUEUE c2 SKILLS 1 en CHANNEL email", "a2"),
        (4, "ACD.ENQUEUE c3 SKILLS 1 en", "a1"),
        (5, "ACD.ENQUEUE c4 SKILLS 1 en", "nil"),
        (6, "ACD.QUEUE", "[c1 c4]"),
        (7, "ACD.ESTIMATE SKILLS 1 en CHANNEL email", "0"),
        (7, "ACD.ESTIMATE SKILLS 1 en CHANNEL chat", "nil"),
    ]);
}

#[test]
fn longest_available_is_per_channel_and_kept_while_eligible() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=2", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0 CAPACITY chat=2", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        // a1 stays eligible on chat after its first chat, so it keeps the head of the line.
        (3, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        // a1 is full: a2 next; when a1 frees a place it joins the back, behind a2.
        (5, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "a2"),
        (6, "ACD.COMPLETE k1", "completed"),
        (7, "ACD.ENQUEUE k4 SKILLS 0 CHANNEL chat", "a2"),
        (8, "ACD.ENQUEUE k5 SKILLS 0 CHANNEL chat", "a1"),
        (9, "ACD.ENQUEUE k6 SKILLS 0 CHANNEL chat", "nil"),
    ]);
}

#[test]
fn voice_blocks_other_channels_when_set() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=3", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE v1 SKILLS 0", "a1"),
        (3, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.CONFIG SET voice-blocks yes", "OK"),
        (4, "ACD.CONFIG GET voice-blocks", "yes"),
        (5, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "nil"),
        // The call ends: chats are open to it again and the waiting one is taken.
        (6, "ACD.COMPLETE v1", "completed"),
        (
            6,
            "ACD.CONTACT.GET k2",
            r#"{"id":"k2","skills":{},"channel":"chat","priority":0,"state":"assigned","agent":"a1","enqueued_at":5,"assigned_at":6,"ended_at":null,"meta":null}"#,
        ),
        (7, "ACD.ENQUEUE v2 SKILLS 0", "a1"),
        (8, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "nil"),
        // Turning the rule off opens chats again at once.
        (9, "ACD.CONFIG SET voice-blocks no", "OK"),
        (9, "ACD.QUEUE", "[]"),
        (
            9,
            "ACD.CONTACT.GET k3",
            r#"{"id":"k3","skills":{},"channel":"chat","priority":0,"state":"assigned","agent":"a1","enqueued_at":8,"assigned_at":9,"ended_at":null,"meta":null}"#,
        ),
    ]);
}

#[test]
fn a_freed_agent_fills_in_routing_order_across_channels() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=2", "OK"),
        (1, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "nil"),
        (2, "ACD.ENQUEUE v1 SKILLS 0", "nil"),
        (3, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat PRIORITY 5", "nil"),
        (4, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "nil"),
        // READY answers the first contact taken; the others follow in routing order.
        (5, "ACD.READY a1", "k2"),
        (5, "ACD.QUEUE", "[k3]"),
        (6, "ACD.EVENTS SINCE 5", "[{id=6 at=5 type=acd.assign agent=a1 contact=k2 reason=nil} {id=7 at=5 type=acd.assign agent=a1 contact=k1 reason=nil} {id=8 at=5 type=acd.assign agent=a1 contact=v1 reason=nil}]"),
    ]);
}

#[test]
fn not_ready_while_holding_chats_takes_effect_when_the_last_one_ends() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=3", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (3, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        // A break asked for while chatting: no new chat, the held ones go on.
        (4, "ACD.NOTREADY a1 REASON break", "OK"),
        (5, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "nil"),
        (6, "ACD.COMPLETE k1", "completed"),
        (6, "ACD.AGENTS STATE busy", "[a1]"),
        (7, "ACD.COMPLETE k2", "completed"),
        (7, "ACD.AGENTS STATE notready", "[a1]"),
        (8, "ACD.EVENTS SINCE 8", "[{id=9 at=7 type=acd.complete agent=a1 contact=k2 reason=nil} {id=10 at=7 type=acd.notready agent=a1 contact=nil reason=break}]"),
        (9, "ACD.READY a1", "k3"),
        // An offer must be answered first.
        (10, "ACD.CONFIG SET offer-timeout 100", "OK"),
        (10, "ACD.ENQUEUE k4 SKILLS 0 CHANNEL chat", "a1"),
        (11, "ACD.NOTREADY a1", "BUSYAGENT agent 'a1' is handling contact 'k4'"),
        (11, "ACD.READY a1", "BUSYAGENT agent 'a1' is handling contact 'k4'"),
        (12, "ACD.ACCEPT k4", "OK"),
        (13, "ACD.NOTREADY a1", "OK"),
    ]);
}

#[test]
fn wrap_up_holds_a_place_on_its_channel_only() {
    let mut center = play(&[
        (0, "ACD.CONFIG SET wrapup 100", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=1", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE v1 SKILLS 0", "a1"),
        (3, "ACD.COMPLETE v1", "completed"),
        (4, "ACD.AGENTS STATE wrapup", "[a1]"),
        // In wrap-up on voice, still open for a chat; not for another call.
        (5, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (6, "ACD.ENQUEUE v2 SKILLS 0", "nil"),
        (7, "ACD.COMPLETE k1", "completed"),
        // Two wrap-ups now; the voice one ends first and the waiting call is taken.
        (103, "ACD.TICK", "1"),
        (
            103,
            "ACD.CONTACT.GET v2",
            r#"{"id":"v2","skills":{},"channel":"voice","priority":0,"state":"assigned","agent":"a1","enqueued_at":6,"assigned_at":103,"ended_at":null,"meta":null}"#,
        ),
        (107, "ACD.TICK", "1"),
    ]);
    assert_eq!(agent_json(&mut center, "a1")["state"], "busy");
}

#[test]
fn closing_marks_working_agents_not_ready_when_their_last_hold_ends() {
    play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=2", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (3, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.CLOSE", "OK"),
        (5, "ACD.COMPLETE k1", "completed"),
        (5, "ACD.AGENTS STATE busy", "[a1]"),
        (6, "ACD.COMPLETE k2", "completed"),
        (6, "ACD.AGENTS STATE notready", "[a1]"),
        (7, "ACD.EVENTS SINCE 7", "[{id=8 at=5 type=acd.complete agent=a1 contact=k1 reason=nil} {id=9 at=6 type=acd.complete agent=a1 contact=k2 reason=nil} {id=10 at=6 type=acd.notready agent=a1 contact=nil reason=closed}]"),
        (8, "ACD.OPEN", "OK"),
        (8, "ACD.AGENTS STATE ready", "[a1]"),
    ]);
}

#[test]
fn deleting_an_agent_requeues_everything_it_holds_in_order() {
    play(&[
        (0, "ACD.CONFIG SET mode manual", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=2", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "nil"),
        (3, "ACD.ENQUEUE v1 SKILLS 0", "nil"),
        (4, "ACD.DISPATCH", "[[k1 a1] [v1 a1]]"),
        (5, "ACD.AGENT.DEL a1", "OK"),
        (6, "ACD.QUEUE", "[k1 v1]"),
    ]);
}

#[test]
fn channel_state_survives_the_encoding() {
    let mut center = play(&[
        (0, "ACD.CONFIG SET offer-timeout 50", "OK"),
        (0, "ACD.CONFIG SET wrapup 100", "OK"),
        (0, "ACD.CONFIG SET voice-blocks yes", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=1 chat=3", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0 CAPACITY chat=2 email=1", "OK"),
        (1, "ACD.READY a1", "nil"),
        (1, "ACD.READY a2", "nil"),
        (2, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (2, "ACD.ACCEPT k1", "OK"),
        (3, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.COMPLETE k1", "completed"),
        (5, "ACD.ENQUEUE e1 SKILLS 0 CHANNEL email", "a2"),
    ]);
    let mut copy = reloaded(&center);
    for (at, line) in [
        (6, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat"),
        (7, "ACD.ENQUEUE v1 SKILLS 0"),
        (60, "ACD.TICK"),
        (110, "ACD.TICK"),
        (120, "ACD.STATS"),
        (120, "ACD.AGENT.GET a1"),
        (120, "ACD.AGENT.GET a2"),
    ] {
        assert_eq!(
            run(&mut copy, line, at),
            run(&mut center, line, at),
            "{line}"
        );
    }
}

#[test]
fn least_occupied_counts_each_contact_of_a_multi_contact_agent() {
    play(&[
        (0, "ACD.CONFIG SET strategy least-occupied", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=3", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0 CAPACITY chat=3", "OK"),
        (1, "ACD.READY a1", "nil"),
        (2, "ACD.READY a2", "nil"),
        (3, "ACD.ENQUEUE k1 SKILLS 0 CHANNEL chat", "a1"),
        (4, "ACD.ENQUEUE k2 SKILLS 0 CHANNEL chat", "a1"),
        // a1 keeps room while its busy time grows: it is re-ranked behind a2 at once.
        (2000, "ACD.COMPLETE k1", "completed"),
        (2001, "ACD.ENQUEUE k3 SKILLS 0 CHANNEL chat", "a2"),
        (2002, "ACD.ENQUEUE k4 SKILLS 0 CHANNEL chat", "a2"),
    ]);
}

#[test]
fn least_occupied_ranks_by_busy_time_after_a_contact_ends() {
    play(&[
        (0, "ACD.CONFIG SET strategy least-occupied", "OK"),
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY voice=2", "OK"),
        (0, "ACD.AGENT.ADD a2 SKILLS 0", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 0", "a1"),
        (1, "ACD.READY a2", "nil"),
        // a1 stays eligible on voice (1/2, then 0/2) and has been busy 400 ms; a2 0 ms.
        (400, "ACD.COMPLETE c1", "completed"),
        (500, "ACD.ENQUEUE c2 SKILLS 0", "a2"),
    ]);
}

#[test]
fn busy_time_of_concurrent_contacts_round_trips() {
    // Two chats handled side by side for 40 s: 80 s of handle time in one 60 s bucket.
    let center = play(&[
        (0, "ACD.AGENT.ADD a1 SKILLS 0 CAPACITY chat=2", "OK"),
        (0, "ACD.READY a1", "nil"),
        (0, "ACD.ENQUEUE c1 SKILLS 0 CHANNEL chat", "a1"),
        (0, "ACD.ENQUEUE c2 SKILLS 0 CHANNEL chat", "a1"),
        (40_000, "ACD.COMPLETE c1", "completed"),
        (40_000, "ACD.COMPLETE c2", "completed"),
    ]);
    reloaded(&center);
}
