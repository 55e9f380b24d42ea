//! Channels and agent capacity (issue 8 item 1, contract in `docs/commands.md#channels-and-capacity`): the default
//! `voice=1`, several contacts per channel up to the agent's capacity, channels mixing on one agent, `voice-blocks`,
//! the per-channel longest-available line, contacts on a channel nobody serves, offers and wrap-ups counting as
//! holds, the `contacts`/`capacity`/`channel` fields and the per-channel statistics, argument errors, and the
//! channel state across `DEBUG RELOAD` and replication.

use acd_tests::scenario::Snapshot;
use acd_tests::{at, error_text, server_and_conn, t, Conn, RedisServer};
use redis::Value;
use serde_json::json;

/// Runs an `at` template that must answer a bulk string or nil.
fn agent(c: &mut Conn, id: &str) -> serde_json::Value {
    c.json(format!("ACD.AGENT.GET center {id}"))
}

/// The contacts an agent holds, in the order it took them.
fn held(c: &mut Conn, id: &str) -> serde_json::Value {
    agent(c, id)["contacts"].clone()
}

fn channels(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter()
        .map(|(name, n)| (name.to_string(), *n))
        .collect()
}

#[test]
fn without_capacity_an_agent_takes_one_voice_contact() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(agent(&mut c, "a1")["capacity"], json!({"voice": 1}));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @10").as_deref(),
        Some("a1")
    );
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 @11"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @12"),
        None
    );
    assert_eq!(agent(&mut c, "a1")["state"], "busy");
    assert_eq!(held(&mut c, "a1"), json!(["c1"]));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["channel"],
        json!("voice")
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center ch1")["channel"],
        json!("chat")
    );
    // Freed, it takes the next voice contact; the chat waits for an agent with chat capacity.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @20")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["c2"]));
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch1"]);
}

#[test]
fn an_agent_takes_contacts_up_to_its_capacity_on_a_channel() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY chat=3 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    for (i, contact) in ["ch1", "ch2", "ch3"].iter().enumerate() {
        let command = format!(
            "ACD.ENQUEUE center {contact} SKILLS 0 CHANNEL chat @{}",
            10 + i
        );
        assert_eq!(c.bulk_at(&command).as_deref(), Some("a1"), "{contact}");
    }
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch4 SKILLS 0 CHANNEL chat @13"),
        None
    );
    // CAPACITY chat=3 leaves voice at 0.
    assert_eq!(c.bulk_at("ACD.ENQUEUE center v1 SKILLS 0 @14"), None);
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch4", "v1"]);
    let a1 = agent(&mut c, "a1");
    assert_eq!(a1["contacts"], json!(["ch1", "ch2", "ch3"]));
    assert_eq!(a1["contact"], json!("ch1"));
    assert_eq!(a1["capacity"], json!({"chat": 3}));
    // One chat ends: the waiting chat takes its slot.
    assert_eq!(c.status(at("ACD.COMPLETE center ch2 @20")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["ch1", "ch3", "ch4"]));
    assert_eq!(c.strings("ACD.QUEUE center"), ["v1"]);
}

#[test]
fn voice_and_chats_mix_on_one_agent_up_to_each_capacity() {
    let (_s, mut c) = server_and_conn();
    c.ok(at(
        "ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY voice=1 chat=2 @0",
    ));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    for (command, want) in [
        ("ACD.ENQUEUE center v1 SKILLS 0 @10", Some("a1")),
        (
            "ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @11",
            Some("a1"),
        ),
        (
            "ACD.ENQUEUE center ch2 SKILLS 0 CHANNEL chat @12",
            Some("a1"),
        ),
        ("ACD.ENQUEUE center ch3 SKILLS 0 CHANNEL chat @13", None),
        ("ACD.ENQUEUE center v2 SKILLS 0 @14", None),
    ] {
        assert_eq!(c.bulk_at(command).as_deref(), want, "{command}");
    }
    assert_eq!(held(&mut c, "a1"), json!(["v1", "ch1", "ch2"]));
    // The voice slot frees: a1 passes over the chat it has no room for and takes the voice contact.
    assert_eq!(c.status(at("ACD.COMPLETE center v1 @20")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["ch1", "ch2", "v2"]));
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch3"]);
}

#[test]
fn ready_fills_every_free_slot_and_replies_the_first_contact() {
    let (_s, mut c) = server_and_conn();
    for (contact, channel, time) in [
        ("ch1", "chat", 1),
        ("v1", "voice", 2),
        ("ch2", "chat", 3),
        ("ch3", "chat", 4),
    ] {
        let command = format!("ACD.ENQUEUE center {contact} SKILLS 0 CHANNEL {channel} @{time}");
        assert_eq!(c.bulk_at(&command), None, "{contact}");
    }
    c.ok(at(
        "ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY voice=1 chat=2 @5",
    ));
    assert_eq!(c.bulk_at("ACD.READY center a1 @6").as_deref(), Some("ch1"));
    assert_eq!(held(&mut c, "a1"), json!(["ch1", "v1", "ch2"]));
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch3"]);
    // Ready again while full: nothing changes.
    assert_eq!(c.bulk_at("ACD.READY center a1 @7"), None);
    // Not ready while working: the held contacts go on, nothing new comes, and the agent
    // shows not ready when its last contact ends.
    c.ok(at("ACD.NOTREADY center a1 REASON break @7"));
    assert_eq!(c.status(at("ACD.COMPLETE center ch1 @8")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["v1", "ch2"]));
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch3"]);
    assert_eq!(c.status(at("ACD.COMPLETE center v1 @9")), "completed");
    assert_eq!(c.status(at("ACD.COMPLETE center ch2 @10")), "completed");
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&agent["state"], &agent["reason"]),
        (&json!("notready"), &json!("break"))
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["ch3"]);
}

#[test]
fn voice_blocks_keeps_an_agent_on_a_call_from_other_channels() {
    let (_s, mut c) = server_and_conn();
    assert_eq!(
        c.bulk("ACD.CONFIG center GET voice-blocks").as_deref(),
        Some("no")
    );
    c.ok(at("ACD.CONFIG center SET voice-blocks YES @0"));
    assert_eq!(
        c.bulk("ACD.CONFIG center GET voice-blocks").as_deref(),
        Some("yes")
    );
    c.ok(at(
        "ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY voice=1 chat=2 @0",
    ));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center v1 SKILLS 0 @10").as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @11"),
        None
    );
    let stats = c.stats(at("ACD.STATS center @11"));
    assert_eq!(stats.map("agents_free_by_channel"), channels(&[]));
    // The call ends: the chat is taken at once.
    assert_eq!(c.status(at("ACD.COMPLETE center v1 @20")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["ch1"]));
    // Chats never block voice: a call still reaches an agent with chats.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center v2 SKILLS 0 @21").as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch2 SKILLS 0 CHANNEL chat @22"),
        None,
        "a free chat slot, but a call in progress"
    );
    assert_eq!(c.status(at("ACD.COMPLETE center v2 @30")), "completed");
    assert_eq!(held(&mut c, "a1"), json!(["ch1", "ch2"]));
}

#[test]
fn each_channel_has_its_own_longest_available_line() {
    let (_s, mut c) = server_and_conn();
    for a in ["a1", "a2"] {
        c.ok(at(&format!(
            "ACD.AGENT.ADD center {a} SKILLS 0 CAPACITY voice=1 chat=1 @0"
        )));
    }
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @2"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center v1 SKILLS 0 @10").as_deref(),
        Some("a1")
    );
    // Taking a call did not move a1 in the chat line: it has been eligible on chat since 1.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @11")
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center v2 SKILLS 0 @12").as_deref(),
        Some("a2")
    );
}

#[test]
fn an_agent_keeps_its_place_while_eligible_and_goes_to_the_back_once_full() {
    let (_s, mut c) = server_and_conn();
    for a in ["a1", "a2"] {
        c.ok(at(&format!(
            "ACD.AGENT.ADD center {a} SKILLS 0 CAPACITY chat=2 @0"
        )));
    }
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @2"), None);
    let chat = |c: &mut Conn, contact: &str, time: u64| {
        c.bulk_at(&format!(
            "ACD.ENQUEUE center {contact} SKILLS 0 CHANNEL chat @{time}"
        ))
    };
    // a1 at 1/2 stays eligible, so it stays first.
    assert_eq!(chat(&mut c, "ch1", 10).as_deref(), Some("a1"));
    assert_eq!(chat(&mut c, "ch2", 11).as_deref(), Some("a1"));
    assert_eq!(chat(&mut c, "ch3", 12).as_deref(), Some("a2"));
    // a1 was full; eligible again at 20, it is now behind a2 (eligible since 2).
    assert_eq!(c.status(at("ACD.COMPLETE center ch1 @20")), "completed");
    assert_eq!(chat(&mut c, "ch4", 21).as_deref(), Some("a2"));
    assert_eq!(chat(&mut c, "ch5", 22).as_deref(), Some("a1"));
}

#[test]
fn a_contact_on_a_channel_nobody_serves_waits() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(
        c.call(at("ACD.ESTIMATE center SKILLS 0 CHANNEL email @5")),
        Value::Nil
    );
    assert_eq!(c.int(at("ACD.ESTIMATE center SKILLS 0 @5")), 0);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center e1 SKILLS 0 CHANNEL email @10"),
        None
    );
    assert_eq!(agent(&mut c, "a1")["state"], "ready");
    // It does not hold up the contacts behind it.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center v1 SKILLS 0 @11").as_deref(),
        Some("a1")
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["e1"]);
    let e1 = c.json("ACD.CONTACT.GET center e1");
    assert_eq!(
        (&e1["channel"], &e1["state"]),
        (&json!("email"), &json!("queued"))
    );
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 CAPACITY email=1 @12"));
    assert_eq!(c.bulk_at("ACD.READY center a2 @13").as_deref(), Some("e1"));
}

#[test]
fn offers_hold_a_slot_and_the_state_shows_an_offer_first() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET offer-timeout 1000 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY chat=2 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    for (contact, time) in [("ch1", 10), ("ch2", 11)] {
        let command = format!("ACD.ENQUEUE center {contact} SKILLS 0 CHANNEL chat @{time}");
        assert_eq!(c.bulk_at(&command).as_deref(), Some("a1"), "{contact}");
    }
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch3 SKILLS 0 CHANNEL chat @12"),
        None
    );
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"]),
        (&json!("offered"), &json!(t(10)))
    );
    assert_eq!(a1["contacts"], json!(["ch1", "ch2"]));
    // Still holding an offer, it still shows offered.
    c.ok(at("ACD.ACCEPT center ch1 @20"));
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"]),
        (&json!("offered"), &json!(t(10)))
    );
    c.ok(at("ACD.ACCEPT center ch2 @21"));
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"]),
        (&json!("busy"), &json!(t(21)))
    );
}

#[test]
fn a_wrapup_holds_its_slot_until_it_ends() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET wrapup 100 @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY chat=2 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    for (contact, time) in [("ch1", 10), ("ch2", 11)] {
        let command = format!("ACD.ENQUEUE center {contact} SKILLS 0 CHANNEL chat @{time}");
        assert_eq!(c.bulk_at(&command).as_deref(), Some("a1"), "{contact}");
    }
    assert_eq!(c.status(at("ACD.COMPLETE center ch1 @20")), "completed");
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["contacts"]),
        (&json!("busy"), &json!(["ch2"]))
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch3 SKILLS 0 CHANNEL chat @30"),
        None
    );
    // The wrap-up of ch1 ends at 120 and frees the slot ch3 takes.
    assert_eq!(c.int(at("ACD.TICK center @119")), 0);
    assert_eq!(c.int(at("ACD.TICK center @120")), 1);
    assert_eq!(held(&mut c, "a1"), json!(["ch2", "ch3"]));
    // With only wrap-ups left it shows wrapup, until the last one ends.
    assert_eq!(c.status(at("ACD.COMPLETE center ch2 @130")), "completed");
    assert_eq!(c.status(at("ACD.COMPLETE center ch3 @140")), "completed");
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"]),
        (&json!("wrapup"), &json!(t(140)))
    );
    assert_eq!(c.int(at("ACD.TICK center @230")), 1);
    assert_eq!(agent(&mut c, "a1")["state"], "wrapup");
    assert_eq!(c.int(at("ACD.TICK center @240")), 1);
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"]),
        (&json!("ready"), &json!(t(240)))
    );
}

#[test]
fn agent_and_contact_records_show_holds_capacity_and_channel() {
    let (_s, mut c) = server_and_conn();
    c.ok(at(
        r#"ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY chat=2 voice=0 email=1 META {"n":1} @0"#,
    ));
    // Sorted by channel, channels with 0 left out.
    assert_eq!(
        c.bulk("ACD.AGENT.GET center a1").as_deref(),
        Some(
            format!(
                r#"{{"id":"a1","skills":{{}},"state":"notready","since":{},"reason":null,"contact":null,"contacts":[],"capacity":{{"chat":2,"email":1}},"meta":{{"n":1}}}}"#,
                t(0)
            )
            .as_str()
        )
    );
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center m1 SKILLS 0 CHANNEL email @2")
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @3")
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk("ACD.AGENT.GET center a1").as_deref(),
        Some(
            format!(
                r#"{{"id":"a1","skills":{{}},"state":"busy","since":{},"reason":null,"contact":"m1","contacts":["m1","ch1"],"capacity":{{"chat":2,"email":1}},"meta":{{"n":1}}}}"#,
                t(2)
            )
            .as_str()
        )
    );
    assert_eq!(
        c.bulk("ACD.CONTACT.GET center ch1").as_deref(),
        Some(
            format!(
                r#"{{"id":"ch1","skills":{{}},"channel":"chat","priority":0,"state":"assigned","agent":"a1","enqueued_at":{},"assigned_at":{},"ended_at":null,"meta":null}}"#,
                t(3),
                t(3)
            )
            .as_str()
        )
    );
    // Still busy since 2 once the first contact ends; `contact` is the first one it still holds.
    assert_eq!(c.status(at("ACD.COMPLETE center m1 @4")), "completed");
    let a1 = agent(&mut c, "a1");
    assert_eq!(
        (&a1["state"], &a1["since"], &a1["contact"], &a1["contacts"]),
        (&json!("busy"), &json!(t(2)), &json!("ch1"), &json!(["ch1"]))
    );
}

#[test]
fn stats_count_per_channel() {
    let (_s, mut c) = server_and_conn();
    c.ok(at(
        "ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY voice=1 chat=2 @0",
    ));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 CAPACITY chat=1 @0"));
    c.ok(at("ACD.AGENT.ADD center a3 SKILLS 0 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @2"), None);
    for (command, want) in [
        ("ACD.ENQUEUE center v1 SKILLS 0 @10", Some("a1")),
        (
            "ACD.ENQUEUE center ch1 SKILLS 0 CHANNEL chat @11",
            Some("a1"),
        ),
        (
            "ACD.ENQUEUE center ch2 SKILLS 0 CHANNEL chat @12",
            Some("a1"),
        ),
        (
            "ACD.ENQUEUE center ch3 SKILLS 0 CHANNEL chat @13",
            Some("a2"),
        ),
        ("ACD.ENQUEUE center ch4 SKILLS 0 CHANNEL chat @14", None),
        ("ACD.ENQUEUE center e1 SKILLS 0 CHANNEL email @15", None),
    ] {
        assert_eq!(c.bulk_at(command).as_deref(), want, "{command}");
    }
    assert_eq!(c.status(at("ACD.COMPLETE center v1 @16")), "completed");
    let stats = c.stats(at("ACD.STATS center @20"));
    assert_eq!(
        [
            "agents_ready",
            "agents_busy",
            "agents_notready",
            "queued",
            "assigned_total"
        ]
        .map(|f| stats.int(f)),
        [0, 2, 1, 2, 4]
    );
    assert_eq!(
        stats.map("queued_by_channel"),
        channels(&[("chat", 1), ("email", 1)])
    );
    assert_eq!(
        stats.map("agents_free_by_channel"),
        channels(&[("voice", 1)])
    );
    assert_eq!(stats.map("handling_by_channel"), channels(&[("chat", 3)]));
    assert_eq!(
        stats.map("assigned_by_channel"),
        channels(&[("chat", 3), ("voice", 1)])
    );
}

#[test]
fn bad_channel_arguments_change_nothing() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 CAPACITY chat=2 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 CHANNEL chat @2")
            .as_deref(),
        Some("a1")
    );
    let before = Snapshot::take_ids(&mut c, "center", &["a1", "x"], &["c1", "x"]);
    let name = "ERR channel name must be non-empty and must not contain '='";
    let count = "ERR capacity must be an integer from 0 to 1000";
    for (command, want) in [
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY @5",
            "ERR syntax error",
        ),
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY META {} @5",
            "ERR syntax error",
        ),
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY chat=1001 @5",
            count,
        ),
        ("ACD.AGENT.ADD center x SKILLS 0 CAPACITY chat=-1 @5", count),
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY chat=two @5",
            count,
        ),
        ("ACD.AGENT.ADD center x SKILLS 0 CAPACITY =2 @5", name),
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY chat=1 chat=2 @5",
            "ERR duplicate channel 'chat'",
        ),
        (
            "ACD.AGENT.ADD center x SKILLS 0 CAPACITY chat=1 CAPACITY voice=1 @5",
            "ERR syntax error",
        ),
        ("ACD.ENQUEUE center x SKILLS 0 CHANNEL", "ERR syntax error"),
        ("ACD.ENQUEUE center x SKILLS 0 CHANNEL a=b @5", name),
        (
            "ACD.ENQUEUE center x SKILLS 0 CHANNEL chat CHANNEL chat @5",
            "ERR syntax error",
        ),
        ("ACD.ESTIMATE center SKILLS 0 CHANNEL = @5", name),
        (
            "ACD.CONFIG center SET voice-blocks maybe @5",
            "ERR voice-blocks must be yes or no",
        ),
        (
            "ACD.CONFIG center SET voice-blocks 1 @5",
            "ERR voice-blocks must be yes or no",
        ),
    ] {
        assert_eq!(c.err(at(command)), want, "{command}");
    }
    before.assert_same(
        &Snapshot::take_ids(&mut c, "center", &["a1", "x"], &["c1", "x"]),
        "after the refused commands",
    );
    assert_eq!(
        c.bulk("ACD.CONFIG center GET voice-blocks").as_deref(),
        Some("no")
    );
}

/// A center holding channel state: capacities (one given as the default explicitly, one unsorted), contacts on four
/// channels assigned and queued, `voice-blocks` holding a1 off chat, and a chat wrap-up pending.
const POPULATE: &[&str] = &[
    "ACD.CONFIG {k} SET voice-blocks yes @0",
    "ACD.CONFIG {k} SET wrapup 100 @0",
    "ACD.AGENT.ADD {k} a1 SKILLS 1 english CAPACITY voice=1 chat=3 @0",
    "ACD.AGENT.ADD {k} a2 SKILLS 0 CAPACITY email=1 chat=2 @0",
    "ACD.AGENT.ADD {k} a3 SKILLS 0 CAPACITY voice=1 @0",
    "ACD.READY {k} a2 @1",
    "ACD.READY {k} a1 @2",
    "ACD.ENQUEUE {k} c1 SKILLS 0 CHANNEL chat @10",
    "ACD.ENQUEUE {k} c2 SKILLS 1 english @11",
    "ACD.ENQUEUE {k} c3 SKILLS 0 CHANNEL chat @12",
    "ACD.ENQUEUE {k} c4 SKILLS 0 CHANNEL chat @13",
    "ACD.ENQUEUE {k} c5 SKILLS 0 CHANNEL email PRIORITY 2 @14",
    "ACD.COMPLETE {k} c1 @20",
    "ACD.ENQUEUE {k} c6 SKILLS 0 CHANNEL fax @21",
];

/// Commands that route on that state: wrap-ups end, the blocked agent is freed, new chats arrive.
const CONTINUE: &[&str] = &[
    "ACD.COMPLETE {k} c2 @30",
    "ACD.TICK {k} @120",
    "ACD.TICK {k} @130",
    "ACD.ENQUEUE {k} c7 SKILLS 0 CHANNEL chat @131",
    "ACD.AGENT.GET {k} a1",
    "ACD.AGENT.GET {k} a2",
    "ACD.QUEUE {k}",
    "ACD.STATS {k} @200",
    "ACD.CHECK {k}",
];

const AGENTS: [&str; 3] = ["a1", "a2", "a3"];
const CONTACTS: [&str; 7] = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];

/// Runs `steps` on `key` (templates for [`at`], `{k}` standing for the key); answers the replies.
fn run(c: &mut Conn, key: &str, steps: &[&str]) -> Vec<Value> {
    steps
        .iter()
        .map(|step| c.call(at(&step.replace("{k}", key))))
        .collect()
}

fn populate(c: &mut Conn, key: &str) {
    for (step, reply) in POPULATE.iter().zip(run(c, key, POPULATE)) {
        assert_eq!(error_text(&reply), None, "{step}");
    }
}

#[test]
fn channel_state_survives_debug_reload() {
    let (_s, mut c) = server_and_conn();
    populate(&mut c, "center");
    populate(&mut c, "reference");
    let before = Snapshot::take_ids(&mut c, "center", &AGENTS, &CONTACTS);
    assert_eq!(
        agent(&mut c, "a1")["capacity"],
        json!({"chat": 3, "voice": 1})
    );
    c.ok("DEBUG RELOAD");
    before.assert_same(
        &Snapshot::take_ids(&mut c, "center", &AGENTS, &CONTACTS),
        "after DEBUG RELOAD",
    );
    assert_eq!(
        c.bulk("ACD.CONFIG center GET voice-blocks").as_deref(),
        Some("yes")
    );
    // The lines, holds and deadlines route exactly as on a copy that was never reloaded.
    assert_eq!(
        run(&mut c, "center", CONTINUE),
        run(&mut c, "reference", CONTINUE)
    );
    Snapshot::take_ids(&mut c, "reference", &AGENTS, &CONTACTS).assert_same(
        &Snapshot::take_ids(&mut c, "center", &AGENTS, &CONTACTS),
        "continuation after DEBUG RELOAD",
    );
}

#[test]
fn a_replica_reaches_the_same_channel_state() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    populate(&mut c, "center");
    run(&mut c, "center", CONTINUE);
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    let mut r = replica.conn();
    c.ok("ACD.CHECK center");
    r.ok("ACD.CHECK center");
    assert_eq!(r.digest_value("center"), c.digest_value("center"));
    let reads = |conn: &mut Conn| Snapshot::take_ids(conn, "center", &AGENTS, &CONTACTS);
    reads(&mut c).assert_same(&reads(&mut r), "primary vs replica");
}
