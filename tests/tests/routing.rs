//! Routing semantics: longest-available agent, skill levels, queue order, auto and manual mode, the events that
//! route in auto mode, AGENT.DEL requeue, CLOSE and OPEN.

use acd_tests::{at, server_and_conn, t, Conn};
use serde_json::json;

/// Runs an `at` template that must answer a bulk string or nil.
fn agent_field(c: &mut Conn, agent: &str, field: &str) -> serde_json::Value {
    c.json(format!("ACD.AGENT.GET center {agent}"))[field].clone()
}

fn contact_field(c: &mut Conn, contact: &str, field: &str) -> serde_json::Value {
    c.json(format!("ACD.CONTACT.GET center {contact}"))[field].clone()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn longest_available_agent_wins() {
    let (_s, mut c) = server_and_conn();
    for a in ["a1", "a2", "a3"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
    }
    assert_eq!(c.bulk_at("ACD.READY center a2 @10"), None);
    assert_eq!(c.bulk_at("ACD.READY center a1 @20"), None);
    assert_eq!(c.bulk_at("ACD.READY center a3 @30"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @40").as_deref(),
        Some("a2")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 @41").as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @42").as_deref(),
        Some("a3")
    );
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c4 SKILLS 0 @43"), None);
}

#[test]
fn equal_ready_times_are_broken_by_ready_order() {
    let (_s, mut c) = server_and_conn();
    for a in ["a1", "a2", "a3"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
    }
    assert_eq!(c.bulk_at("ACD.READY center a3 @10"), None);
    assert_eq!(c.bulk_at("ACD.READY center a1 @10"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @10"), None);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        ["a3", "a1", "a2"]
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @20").as_deref(),
        Some("a3")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 @20").as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @20").as_deref(),
        Some("a2")
    );
}

#[test]
fn earliest_ready_time_wins_over_call_order() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @20"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @10"), None);
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a2", "a1"]);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @30").as_deref(),
        Some("a2")
    );
}

#[test]
fn agent_level_must_reach_the_required_level() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english=2 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 1 english=5 @0"));
    c.ok(at("ACD.AGENT.ADD center a3 SKILLS 2 english=9 billing @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @2"), None);
    assert_eq!(c.bulk_at("ACD.READY center a3 @3"), None);
    // a1 has been ready longest but its level 2 is below 3.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 english=3 @10")
            .as_deref(),
        Some("a2")
    );
    // a1 lacks billing.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c2 SKILLS 2 english billing @11")
            .as_deref(),
        Some("a3")
    );
    // Exactly the required level is enough.
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c3 SKILLS 1 english=2 @12")
            .as_deref(),
        Some("a1")
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c4 SKILLS 1 english @13"),
        None
    );
    // a3 comes back and takes c4 at once.
    assert_eq!(c.status(at("ACD.COMPLETE center c2 @20")), "completed");
    assert_eq!(agent_field(&mut c, "a3", "contact"), json!("c4"));
    assert_eq!(contact_field(&mut c, "c4", "assigned_at"), json!(t(20)));
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c5 SKILLS 1 english=10 @21"),
        None
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c5"]);
}

#[test]
fn queue_order_is_priority_then_enqueue_time_then_enqueue_order() {
    let (_s, mut c) = server_and_conn();
    for (contact, extra, time) in [
        ("c1", "", 1),
        ("c2", "PRIORITY 5", 2),
        ("c3", "", 3),
        ("c4", "PRIORITY 5", 4),
        ("c5", "PRIORITY -1", 0),
        ("c6", "", 1),
        ("c7", "", 0),
    ] {
        let reply = c.bulk_at(&format!(
            "ACD.ENQUEUE center {contact} SKILLS 0 {extra} @{time}"
        ));
        assert_eq!(reply, None, "{contact}");
    }
    let expected = ["c2", "c4", "c7", "c1", "c6", "c3", "c5"];
    assert_eq!(c.strings("ACD.QUEUE center"), expected);
    assert_eq!(c.strings("ACD.QUEUE center COUNT 3"), expected[..3]);

    // One agent serves them in exactly that order: READY, then each COMPLETE routes the next one.
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @10"));
    assert_eq!(
        c.bulk_at("ACD.READY center a1 @20").as_deref(),
        Some(expected[0])
    );
    for (i, pair) in expected.windows(2).enumerate() {
        let time = 21 + i as u64;
        assert_eq!(
            c.status(at(&format!("ACD.COMPLETE center {} @{time}", pair[0]))),
            "completed"
        );
        assert_eq!(
            agent_field(&mut c, "a1", "contact"),
            json!(pair[1]),
            "after completing {}",
            pair[0]
        );
    }
}

#[test]
fn a_contact_nobody_can_serve_does_not_block_later_ones() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 french PRIORITY 9 @1"),
        None
    );
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 english @2"), None);
    assert_eq!(c.bulk_at("ACD.READY center a1 @3").as_deref(), Some("c2"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1"]);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @4"), None);
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @5"));
    assert_eq!(c.bulk_at("ACD.READY center a2 @6").as_deref(), Some("c3"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1"]);
}

#[test]
fn ready_takes_the_first_eligible_contact_in_queue_order() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 french PRIORITY 5 @1");
    c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 english @2");
    c.bulk_at("ACD.ENQUEUE center c3 SKILLS 1 english PRIORITY 1 @3");
    assert_eq!(c.bulk_at("ACD.READY center a1 @4").as_deref(), Some("c3"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1", "c2"]);
}

#[test]
fn manual_mode_routes_only_on_dispatch() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET mode manual @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 1 french @0"));
    c.ok(at("ACD.AGENT.ADD center a3 SKILLS 0 @0"));
    assert_eq!(c.bulk_at("ACD.READY center a1 @1"), None);
    assert_eq!(c.bulk_at("ACD.READY center a2 @2"), None);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @3"), None);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 french @4"), None);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @5"), None);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c4 SKILLS 0 @6"), None);
    assert_eq!(c.bulk_at("ACD.READY center a3 @7"), None);
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1", "c2", "c3", "c4"]);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        ["a1", "a2", "a3"]
    );

    assert_eq!(
        c.pairs(at("ACD.DISPATCH center COUNT 1 @8")),
        pairs(&[("c1", "a1")])
    );
    assert_eq!(
        c.pairs(at("ACD.DISPATCH center COUNT 2 @9")),
        pairs(&[("c2", "a2"), ("c3", "a3")])
    );
    assert_eq!(c.pairs(at("ACD.DISPATCH center @10")), pairs(&[]));
    assert_eq!(contact_field(&mut c, "c3", "assigned_at"), json!(t(9)));

    // COMPLETE and GRANT make a1 ready without routing it.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @11")), "completed");
    c.ok(at("ACD.AGENT.GRANT center a1 x @12"));
    assert_eq!(agent_field(&mut c, "a1", "state"), json!("ready"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c4"]);
    assert_eq!(
        c.pairs(at("ACD.DISPATCH center @13")),
        pairs(&[("c4", "a1")])
    );
}

#[test]
fn dispatch_skips_contacts_nobody_can_serve() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET mode manual @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english=3 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 1 english @0"));
    c.bulk_at("ACD.READY center a2 @1");
    c.bulk_at("ACD.READY center a1 @2");
    c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 german PRIORITY 3 @3");
    c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 english=2 @4");
    c.bulk_at("ACD.ENQUEUE center c3 SKILLS 1 english @5");
    c.bulk_at("ACD.ENQUEUE center c4 SKILLS 1 english @6");
    // c2 needs level 2: only a1, although a2 has been ready longer; c3 then gets a2.
    assert_eq!(
        c.pairs(at("ACD.DISPATCH center @7")),
        pairs(&[("c2", "a1"), ("c3", "a2")])
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1", "c4"]);
}

#[test]
fn switching_to_auto_routes_everything_routable() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET mode manual @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    c.bulk_at("ACD.READY center a1 @1");
    c.bulk_at("ACD.READY center a2 @2");
    c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @3");
    c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 french @4");
    c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @5");
    c.ok(at("ACD.CONFIG center SET mode auto @6"));
    assert_eq!(contact_field(&mut c, "c1", "agent"), json!("a1"));
    assert_eq!(contact_field(&mut c, "c3", "agent"), json!("a2"));
    assert_eq!(contact_field(&mut c, "c3", "assigned_at"), json!(t(6)));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2"]);
    // In auto mode DISPATCH finds nothing left to route.
    assert_eq!(c.pairs(at("ACD.DISPATCH center @7")), pairs(&[]));
}

#[test]
fn complete_makes_the_agent_ready_and_routes_it() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.bulk_at("ACD.READY center a1 @1");
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @2").as_deref(),
        Some("a1")
    );
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 @3"), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @10")), "completed");
    assert_eq!(agent_field(&mut c, "a1", "state"), json!("busy"));
    assert_eq!(agent_field(&mut c, "a1", "contact"), json!("c2"));
    assert_eq!(contact_field(&mut c, "c2", "assigned_at"), json!(t(10)));
    assert_eq!(c.strings("ACD.QUEUE center"), Vec::<String>::new());
}

#[test]
fn grant_routes_a_ready_agent_but_not_a_notready_one() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english @0"));
    c.bulk_at("ACD.READY center a1 @1");
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 french=2 @2"),
        None
    );
    c.ok(at("ACD.AGENT.GRANT center a1 french @3"));
    assert_eq!(
        agent_field(&mut c, "a1", "state"),
        json!("ready"),
        "level 1 < 2"
    );
    c.ok(at("ACD.AGENT.GRANT center a1 french=2 @4"));
    assert_eq!(agent_field(&mut c, "a1", "contact"), json!("c1"));
    assert_eq!(contact_field(&mut c, "c1", "assigned_at"), json!(t(4)));

    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @5"));
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 tech @6"), None);
    c.ok(at("ACD.AGENT.GRANT center a2 tech @7"));
    assert_eq!(agent_field(&mut c, "a2", "state"), json!("notready"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2"]);
    assert_eq!(c.bulk_at("ACD.READY center a2 @8").as_deref(), Some("c2"));
}

#[test]
fn revoke_and_skill_del_make_agents_ineligible() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 2 english billing @0"));
    c.bulk_at("ACD.READY center a1 @1");
    c.ok(at("ACD.AGENT.REVOKE center a1 english @2"));
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 english @3"), None);
    assert_eq!(c.int(at("ACD.SKILL.DEL center billing @4")), 1);
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c2 SKILLS 1 billing @5"), None);
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @6").as_deref(),
        Some("a1")
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1", "c2"]);
}

#[test]
fn open_readies_notready_agents_in_id_order_and_routes() {
    let (_s, mut c) = server_and_conn();
    for a in ["b", "a", "c"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
    }
    assert_eq!(c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @1"), None);
    c.ok(at("ACD.CLOSE center @2"));
    c.ok(at("ACD.OPEN center @3"));
    assert_eq!(agent_field(&mut c, "a", "contact"), json!("c1"));
    assert_eq!(contact_field(&mut c, "c1", "assigned_at"), json!(t(3)));
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["b", "c"]);
    assert_eq!(agent_field(&mut c, "b", "since"), json!(t(3)));
    // OPEN on an open center readies notready agents too.
    c.ok(at("ACD.NOTREADY center b REASON lunch @4"));
    c.ok(at("ACD.OPEN center @5"));
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["c", "b"]);
    assert_eq!(agent_field(&mut c, "b", "reason"), json!(null));
}

#[test]
fn close_makes_agents_notready_and_refuses_ready_and_enqueue() {
    let (_s, mut c) = server_and_conn();
    for a in ["a1", "a2", "a3"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {a} SKILLS 0 @0")));
    }
    c.bulk_at("ACD.READY center a1 @1");
    c.bulk_at("ACD.READY center a2 @2");
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @3").as_deref(),
        Some("a1")
    );
    c.ok(at("ACD.NOTREADY center a3 REASON lunch @4"));
    c.ok(at("ACD.CLOSE center @5"));
    assert_eq!(
        c.json("ACD.AGENT.GET center a2"),
        json!({"id":"a2","skills":{},"state":"notready","since":t(5),"reason":"closed","contact":null,"contacts":[],"capacity":{"voice":1},"meta":null})
    );
    assert_eq!(agent_field(&mut c, "a1", "state"), json!("busy"));
    assert_eq!(agent_field(&mut c, "a3", "reason"), json!("lunch"));
    assert_eq!(
        c.err(at("ACD.READY center a3 @6")),
        "CLOSED center is closed"
    );
    assert_eq!(
        c.err(at("ACD.ENQUEUE center c2 SKILLS 0 @6")),
        "CLOSED center is closed"
    );
    assert_eq!(
        c.err("ACD.CONTACT.GET center c2"),
        "NOCONTACT no such contact 'c2'"
    );
    // Everything else works while closed.
    c.ok(at("ACD.NOTREADY center a3 @7"));
    c.ok(at("ACD.AGENT.ADD center a4 SKILLS 0 @7"));
    assert_eq!(c.pairs(at("ACD.DISPATCH center @7")), pairs(&[]));
    // The busy agent goes notready (reason closed) when its contact completes.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @8")), "completed");
    let a1 = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&a1["state"], &a1["since"], &a1["reason"], &a1["contact"]),
        (
            &json!("notready"),
            &json!(t(8)),
            &json!("closed"),
            &json!(null)
        )
    );
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        Vec::<String>::new()
    );
    c.ok(at("ACD.OPEN center @9"));
    assert_eq!(
        c.strings("ACD.AGENTS center STATE ready"),
        ["a1", "a2", "a3", "a4"]
    );
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 @10").as_deref(),
        Some("a1")
    );
}

#[test]
fn a_new_center_is_open() {
    let (_s, mut c) = server_and_conn();
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY center a1"), None);
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c1 SKILLS 0").as_deref(),
        Some("a1")
    );
}

#[test]
fn agent_del_requeues_the_contact_at_its_original_position() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.CONFIG center SET mode manual @0"));
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.bulk_at("ACD.ENQUEUE center c0 SKILLS 0 PRIORITY -1 @0");
    c.bulk_at(r#"ACD.ENQUEUE center c1 SKILLS 0 PRIORITY 2 META {"k":1} @1"#);
    c.bulk_at("ACD.ENQUEUE center c2 SKILLS 0 PRIORITY 2 @2");
    c.bulk_at("ACD.ENQUEUE center c3 SKILLS 0 @3");
    c.bulk_at("ACD.READY center a1 @4");
    assert_eq!(
        c.pairs(at("ACD.DISPATCH center COUNT 1 @5")),
        pairs(&[("c1", "a1")])
    );
    c.bulk_at("ACD.ENQUEUE center c4 SKILLS 0 PRIORITY 2 @6");
    assert_eq!(c.strings("ACD.QUEUE center"), ["c2", "c4", "c3", "c0"]);
    c.ok(at("ACD.AGENT.DEL center a1 @7"));
    assert_eq!(
        c.strings("ACD.QUEUE center"),
        ["c1", "c2", "c4", "c3", "c0"]
    );
    let c1 = c.json("ACD.CONTACT.GET center c1");
    assert_eq!(
        (
            &c1["state"],
            &c1["agent"],
            &c1["priority"],
            &c1["enqueued_at"],
            &c1["meta"]
        ),
        (
            &json!("queued"),
            &json!(null),
            &json!(2),
            &json!(t(1)),
            &json!({"k": 1})
        )
    );
    let stats = c.stats(at("ACD.STATS center @101")).ints();
    assert_eq!(stats[3], ("queued".to_string(), 5));
    assert_eq!(stats[4], ("longest_wait_ms".to_string(), 101));
}

#[test]
fn agent_del_requeue_is_routed_again_in_auto_mode() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    c.bulk_at("ACD.READY center a1 @1");
    assert_eq!(
        c.bulk_at("ACD.ENQUEUE center c1 SKILLS 0 @2").as_deref(),
        Some("a1")
    );
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @3"));
    assert_eq!(c.bulk_at("ACD.READY center a2 @4"), None);
    c.ok(at("ACD.AGENT.DEL center a1 @5"));
    let c1 = c.json("ACD.CONTACT.GET center c1");
    assert_eq!(
        (&c1["state"], &c1["agent"]),
        (&json!("assigned"), &json!("a2"))
    );
    assert_eq!(agent_field(&mut c, "a2", "contact"), json!("c1"));
    assert_eq!(c.strings("ACD.QUEUE center"), Vec::<String>::new());
    assert_eq!(c.strings("ACD.AGENTS center"), ["a2"]);
}

#[test]
fn deleting_a_ready_or_notready_agent_touches_no_contact() {
    let (_s, mut c) = server_and_conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 french @0"));
    c.ok(at("ACD.AGENT.ADD center a2 SKILLS 0 @0"));
    c.bulk_at("ACD.READY center a1 @1");
    c.bulk_at("ACD.ENQUEUE center c1 SKILLS 1 german @2");
    c.ok(at("ACD.AGENT.DEL center a1 @3"));
    c.ok(at("ACD.AGENT.DEL center a2 @4"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1"]);
    assert_eq!(c.strings("ACD.AGENTS center"), Vec::<String>::new());
}

/// Agents with en only, and as many with billing only, ahead of the en+billing agents in both lines. The first two
/// en+billing routes skip them all for a missing skill: 600 skips, more than the 303 holders of the rarest skill,
/// after which the engine gives the {billing, en} set a line of its own (docs/commands.md, Complexity).
const EN_ONLY: usize = 300;

/// `ACD.ENQUEUE` of an en+billing contact, answering who took it, then its completion (the agent goes to the back
/// of the lines).
fn route_billing(c: &mut Conn, contact: &str, time: u64) -> Option<String> {
    let agent = c.bulk_at(&format!(
        "ACD.ENQUEUE center {contact} SKILLS 2 en billing=2 @{time}"
    ));
    if agent.is_some() {
        assert_eq!(
            c.status(at(&format!("ACD.COMPLETE center {contact} @{time}"))),
            "completed"
        );
    }
    agent
}

#[test]
fn a_hot_skill_set_line_picks_the_same_agents_as_the_skill_lines() {
    let (_s, mut c) = server_and_conn();
    for i in 0..EN_ONLY {
        c.ok(at(&format!("ACD.AGENT.ADD center e{i} SKILLS 1 en @0")));
        c.bulk_at(&format!("ACD.READY center e{i} @1"));
        c.ok(at(&format!(
            "ACD.AGENT.ADD center x{i} SKILLS 1 billing=9 @0"
        )));
        c.bulk_at(&format!("ACD.READY center x{i} @1"));
    }
    for (i, level) in [(0, 3), (1, 1), (2, 2)] {
        c.ok(at(&format!(
            "ACD.AGENT.ADD center b{i} SKILLS 2 en billing={level} @0"
        )));
        c.bulk_at(&format!("ACD.READY center b{i} @{}", 2 + i));
    }
    // The first routes walk past every en-only agent; b1 lacks the level.
    assert_eq!(route_billing(&mut c, "c0", 10).as_deref(), Some("b0"));
    assert_eq!(route_billing(&mut c, "c1", 11).as_deref(), Some("b2"));
    assert_eq!(route_billing(&mut c, "c2", 12).as_deref(), Some("b0"));
    c.ok("ACD.CHECK center");
    // Granting billing to a ready en agent puts it in the set's line, at its place in longest-available order
    // (ready since 1: ahead of everyone).
    c.ok(at("ACD.AGENT.GRANT center e7 billing=5 @13"));
    assert_eq!(route_billing(&mut c, "c3", 14).as_deref(), Some("e7"));
    assert_eq!(route_billing(&mut c, "c4", 15).as_deref(), Some("b2"));
    // Revoking takes it out again; deleting an agent of the set removes it from the set's line.
    c.ok(at("ACD.AGENT.GRANT center e9 billing=9 @16"));
    c.ok(at("ACD.AGENT.REVOKE center e9 billing @17"));
    c.ok(at("ACD.AGENT.DEL center b0 @18"));
    c.ok("ACD.CHECK center");
    assert_eq!(route_billing(&mut c, "c5", 19).as_deref(), Some("e7"));
    assert_eq!(route_billing(&mut c, "c6", 20).as_deref(), Some("b2"));
    // Nobody left at level 2 but e7 and b2 (both just served): it goes to the one available longest.
    assert_eq!(route_billing(&mut c, "c7", 21).as_deref(), Some("e7"));
    // A reloaded center has no set lines until it learns them again, and routes the same.
    c.ok("DEBUG RELOAD");
    c.ok("ACD.CHECK center");
    assert_eq!(route_billing(&mut c, "c8", 22).as_deref(), Some("b2"));
    assert_eq!(route_billing(&mut c, "c9", 23).as_deref(), Some("e7"));
    c.ok("ACD.CHECK center");
}
