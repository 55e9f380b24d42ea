//! Happy path and reply shape of every ACD.* command, in RESP2 and RESP3.

use acd_tests::{at, now_ms, t, Conn, RedisServer, StatValue, STATS_FIELDS};
use redis::Value;
use serde_json::json;

/// Both protocols on one server, each with its own key.
fn both_protocols(server: &RedisServer) -> [(Conn, &'static str); 2] {
    [(server.conn(), "center2"), (server.conn_resp3(), "center3")]
}

#[test]
fn module_is_listed_as_acd() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let Value::Array(modules) = c.call("MODULE LIST") else {
        panic!("MODULE LIST is not an array");
    };
    let names: Vec<Value> = modules
        .iter()
        .filter_map(|m| match m {
            Value::Array(fields) => fields
                .chunks(2)
                .find(|kv| kv[0] == Value::BulkString(b"name".to_vec()))
                .map(|kv| kv[1].clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, vec![Value::BulkString(b"acd".to_vec())]);
}

/// Every command with the flags it must carry: `write` or `readonly`, and `denyoom` for the writes that store
/// new caller-supplied data (deletes, state changes and CLOSE may run under OOM, like Redis's own DEL).
/// ACD.CONFIG is one write command for GET and SET (issue 6), so even its GET is `write`; ACD.CONFIG.GET is the
/// read-only way to read the configuration. ACD.EVENTS may block.
const COMMAND_FLAGS: &[(&str, &[&str])] = &[
    ("ACD.AGENT.ADD center a1 SKILLS 0", &["write", "denyoom"]),
    ("ACD.AGENT.DEL center a1", &["write"]),
    ("ACD.AGENT.META center a1 {}", &["write", "denyoom"]),
    ("ACD.AGENT.GRANT center a1 x", &["write", "denyoom"]),
    ("ACD.AGENT.REVOKE center a1 x", &["write"]),
    ("ACD.SKILL.DEL center x", &["write"]),
    ("ACD.READY center a1", &["write"]),
    ("ACD.NOTREADY center a1", &["write"]),
    ("ACD.ENQUEUE center c1 SKILLS 0", &["write", "denyoom"]),
    ("ACD.DISPATCH center", &["write"]),
    ("ACD.COMPLETE center c1", &["write"]),
    ("ACD.OPEN center", &["write"]),
    ("ACD.CLOSE center", &["write"]),
    ("ACD.STATE.LOAD center payload", &["write", "denyoom"]),
    ("ACD.CONFIG center GET mode", &["write"]),
    ("ACD.CONFIG center SET mode auto", &["write"]),
    ("ACD.CONFIG.GET center mode", &["readonly", "fast"]),
    ("ACD.ACCEPT center c1", &["write"]),
    ("ACD.REJECT center c1", &["write"]),
    ("ACD.TICK center", &["write"]),
    ("ACD.EVENTS center", &["readonly", "blocking"]),
    ("ACD.CHECK center", &["readonly"]),
    ("ACD.ESTIMATE center SKILLS 0", &["readonly"]),
    ("ACD.AGENT.GET center a1", &["readonly"]),
    ("ACD.CONTACT.GET center c1", &["readonly"]),
    ("ACD.QUEUE center", &["readonly"]),
    ("ACD.AGENTS center", &["readonly"]),
    ("ACD.STATS center", &["readonly"]),
];

#[test]
fn every_command_declares_its_key_and_flags() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let mut failures = Vec::new();
    for (command, required) in COMMAND_FLAGS {
        let name = command.split_whitespace().next().unwrap_or_default();
        let infos = c.call(["COMMAND", "INFO", name]);
        let Value::Array(infos) = infos else {
            panic!("COMMAND INFO {name}: {infos:?}");
        };
        let Some(Value::Array(info)) = infos.first() else {
            failures.push(format!("{name}: unknown command: {infos:?}"));
            continue;
        };
        if !matches!(&info[0], Value::BulkString(n) if n.eq_ignore_ascii_case(name.as_bytes())) {
            failures.push(format!("{name}: COMMAND INFO names {:?}", info[0]));
        }
        if (&info[3], &info[4], &info[5]) != (&Value::Int(1), &Value::Int(1), &Value::Int(1)) {
            failures.push(format!("{name}: first/last/step {:?}", &info[3..6]));
        }
        let flags: Vec<String> = match &info[2] {
            Value::Array(flags) | Value::Set(flags) => flags
                .iter()
                .map(|f| match f {
                    Value::SimpleString(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect(),
            other => vec![format!("{other:?}")],
        };
        for flag in *required {
            if !flags.iter().any(|f| f == flag) {
                failures.push(format!("{name}: flags {flags:?} lack {flag}"));
            }
        }
        let mut getkeys = vec!["COMMAND", "GETKEYS"];
        getkeys.extend(command.split_whitespace());
        let keys = c.call(&getkeys);
        if keys != Value::Array(vec![Value::BulkString(b"center".to_vec())]) {
            failures.push(format!("COMMAND GETKEYS {command}: {keys:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn agent_add_and_get_return_the_documented_json() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 2 english=3 billing @0"));
    assert_eq!(
        c.bulk("ACD.AGENT.GET center a1").as_deref(),
        Some(
            format!(
                r#"{{"id":"a1","skills":{{"billing":1,"english":3}},"state":"notready","since":{},"reason":null,"contact":null,"contacts":[],"capacity":{{"voice":1}},"meta":null}}"#,
                t(0)
            )
            .as_str()
        )
    );
    c.ok(at(
        r#"ACD.AGENT.ADD center a2 SKILLS 0 META {"name":"Ann","n":[1,2]} @5"#,
    ));
    assert_eq!(
        c.bulk("ACD.AGENT.GET center a2").as_deref(),
        Some(
            format!(
                r#"{{"id":"a2","skills":{{}},"state":"notready","since":{},"reason":null,"contact":null,"contacts":[],"capacity":{{"voice":1}},"meta":{{"name":"Ann","n":[1,2]}}}}"#,
                t(5)
            )
            .as_str()
        )
    );
    assert_eq!(c.strings("ACD.AGENTS center"), ["a1", "a2"]);
}

#[test]
fn agent_del_removes_the_agent() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    c.ok("ACD.AGENT.ADD center a2 SKILLS 0");
    c.ok(at("ACD.AGENT.DEL center a1 @1"));
    assert_eq!(
        c.err("ACD.AGENT.GET center a1"),
        "NOAGENT no such agent 'a1'"
    );
    assert_eq!(c.strings("ACD.AGENTS center"), ["a2"]);
    c.ok("ACD.AGENT.DEL center a2");
    assert_eq!(c.strings("ACD.AGENTS center"), Vec::<String>::new());
    // The id is free again.
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
}

#[test]
fn agent_meta_replaces_the_meta() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(r#"ACD.AGENT.ADD center a1 SKILLS 0 META {"x":1}"#);
    c.ok(r#"ACD.AGENT.META center a1 {"y":[true,null,"s"]}"#);
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["meta"],
        json!({"y": [true, null, "s"]})
    );
    c.ok(at("ACD.AGENT.META center a1 {} @9"));
    assert_eq!(c.json("ACD.AGENT.GET center a1")["meta"], json!({}));
    // Whitespace inside the object is allowed; the value is kept.
    c.ok(["ACD.AGENT.META", "center", "a1", r#"{ "k" : "v w" }"#]);
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["meta"],
        json!({"k": "v w"})
    );
}

#[test]
fn grant_adds_and_relevels_revoke_removes() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 2 english billing @0"));
    c.ok(at("ACD.AGENT.GRANT center a1 french=4 english=5 @1"));
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"billing": 1, "english": 5, "french": 4})
    );
    // Revoking a skill the agent lacks is not an error.
    c.ok(at("ACD.AGENT.REVOKE center a1 french spanish @2"));
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"billing": 1, "english": 5})
    );
    c.ok("ACD.AGENT.REVOKE center a1 billing english");
    assert_eq!(c.json("ACD.AGENT.GET center a1")["skills"], json!({}));
    // `AT` followed by a number ends the list (any case); otherwise it is a skill name.
    c.ok(at("ACD.AGENT.GRANT center a1 tech at 7"));
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"tech": 1})
    );
    c.ok("ACD.AGENT.GRANT center a1 AT vip");
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"AT": 1, "tech": 1, "vip": 1})
    );
    // GRANT does not change the agent's state or since.
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&agent["state"], &agent["since"]),
        (&json!("notready"), &json!(t(0)))
    );
}

#[test]
fn skill_del_counts_the_agents_that_lost_it() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.AGENT.ADD center a1 SKILLS 2 english=4 billing");
    c.ok("ACD.AGENT.ADD center a2 SKILLS 1 english");
    c.ok("ACD.AGENT.ADD center a3 SKILLS 1 billing");
    assert_eq!(c.int(at("ACD.SKILL.DEL center english @5")), 2);
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"billing": 1})
    );
    assert_eq!(c.json("ACD.AGENT.GET center a2")["skills"], json!({}));
    assert_eq!(c.int("ACD.SKILL.DEL center english"), 0);
    assert_eq!(c.int("ACD.SKILL.DEL center unknown"), 0);
    assert_eq!(c.int("ACD.SKILL.DEL center billing"), 2);
}

#[test]
fn ready_and_notready_change_state_since_and_reason() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 0 @0"));
    assert_eq!(c.bulk(at("ACD.READY center a1 @10")), None);
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        agent,
        json!({"id":"a1","skills":{},"state":"ready","since":t(10),"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null})
    );
    // Already ready: nil, and it keeps its place (since unchanged).
    assert_eq!(c.bulk(at("ACD.READY center a1 @20")), None);
    assert_eq!(c.json("ACD.AGENT.GET center a1")["since"], json!(t(10)));

    c.ok([
        "ACD.NOTREADY",
        "center",
        "a1",
        "REASON",
        "on break",
        "AT",
        &t(30).to_string(),
    ]);
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&agent["state"], &agent["since"], &agent["reason"]),
        (&json!("notready"), &json!(t(30)), &json!("on break"))
    );
    assert_eq!(c.bulk(at("ACD.READY center a1 @35")), None);
    assert_eq!(c.json("ACD.AGENT.GET center a1")["reason"], json!(null));
    c.ok(at("ACD.NOTREADY center a1 @40"));
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&agent["state"], &agent["since"], &agent["reason"]),
        (&json!("notready"), &json!(t(40)), &json!(null))
    );
}

#[test]
fn contact_lifecycle_enqueue_assign_complete() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.AGENT.ADD center a1 SKILLS 1 english=3 @0"));
    assert_eq!(
        c.bulk(at(
            r#"ACD.ENQUEUE center c1 SKILLS 1 english=2 PRIORITY 5 META {"crm":1} @10"#
        )),
        None
    );
    assert_eq!(
        c.bulk("ACD.CONTACT.GET center c1").as_deref(),
        Some(
            format!(
                r#"{{"id":"c1","skills":{{"english":2}},"channel":"voice","priority":5,"state":"queued","agent":null,"enqueued_at":{},"assigned_at":null,"ended_at":null,"meta":{{"crm":1}}}}"#,
                t(10)
            )
            .as_str()
        )
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1"]);

    assert_eq!(c.bulk(at("ACD.READY center a1 @20")).as_deref(), Some("c1"));
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1"),
        json!({"id":"c1","skills":{"english":2},"channel":"voice","priority":5,"state":"assigned","agent":"a1",
               "enqueued_at":t(10),"assigned_at":t(20),"ended_at":null,"meta":{"crm":1}})
    );
    let agent = c.json("ACD.AGENT.GET center a1");
    assert_eq!(
        (&agent["state"], &agent["contact"]),
        (&json!("busy"), &json!("c1"))
    );
    assert_eq!(c.strings("ACD.QUEUE center"), Vec::<String>::new());

    assert_eq!(c.status(at("ACD.COMPLETE center c1 @30")), "completed");
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1"),
        json!({"id":"c1","skills":{"english":2},"channel":"voice","priority":5,"state":"completed","agent":"a1",
               "enqueued_at":t(10),"assigned_at":t(20),"ended_at":t(30),"meta":{"crm":1}})
    );
    assert_eq!(
        c.json("ACD.AGENT.GET center a1"),
        json!({"id":"a1","skills":{"english":3},"state":"ready","since":t(30),"reason":null,"contact":null,"contacts":[],"capacity":{"voice":1},"meta":null})
    );
    // Idempotent: answers the end state again and changes nothing.
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @40")), "completed");
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1")["ended_at"],
        json!(t(30))
    );
    assert_eq!(c.json("ACD.AGENT.GET center a1")["since"], json!(t(30)));
    assert_eq!(stat(&mut c, "center", "completed_total"), 1);
}

#[test]
fn completing_a_queued_contact_abandons_it() {
    let server = RedisServer::start();
    let mut c = server.conn();
    assert_eq!(c.bulk(at("ACD.ENQUEUE center c1 SKILLS 0 @0")), None);
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @5")), "abandoned");
    assert_eq!(
        c.json("ACD.CONTACT.GET center c1"),
        json!({"id":"c1","skills":{},"channel":"voice","priority":0,"state":"abandoned","agent":null,
               "enqueued_at":t(0),"assigned_at":null,"ended_at":t(5),"meta":null})
    );
    assert_eq!(c.strings("ACD.QUEUE center"), Vec::<String>::new());
    assert_eq!(c.status(at("ACD.COMPLETE center c1 @9")), "abandoned");
    assert_eq!(stat(&mut c, "center", "abandoned_total"), 1);
}

#[test]
fn dispatch_replies_with_contact_agent_pairs_in_both_protocols() {
    let server = RedisServer::start();
    for (mut c, key) in both_protocols(&server) {
        c.ok(format!("ACD.CONFIG {key} SET mode manual"));
        c.ok(at(&format!("ACD.AGENT.ADD {key} a1 SKILLS 0 @0")));
        c.ok(at(&format!("ACD.AGENT.ADD {key} a2 SKILLS 0 @0")));
        assert_eq!(c.bulk(at(&format!("ACD.READY {key} a1 @1"))), None);
        assert_eq!(c.bulk(at(&format!("ACD.READY {key} a2 @2"))), None);
        assert_eq!(
            c.bulk(at(&format!("ACD.ENQUEUE {key} c1 SKILLS 0 @3"))),
            None
        );
        assert_eq!(
            c.bulk(at(&format!("ACD.ENQUEUE {key} c2 SKILLS 0 @4"))),
            None
        );
        let reply = c.call(at(&format!("ACD.DISPATCH {key} @5")));
        let pair = |a: &str, b: &str| {
            Value::Array(vec![
                Value::BulkString(a.as_bytes().to_vec()),
                Value::BulkString(b.as_bytes().to_vec()),
            ])
        };
        assert_eq!(
            reply,
            Value::Array(vec![pair("c1", "a1"), pair("c2", "a2")]),
            "{key}"
        );
        assert_eq!(
            c.call(format!("ACD.DISPATCH {key}")),
            Value::Array(vec![]),
            "{key}"
        );
    }
}

#[test]
fn writes_that_leave_nothing_do_not_create_the_key() {
    let server = RedisServer::start();
    let mut c = server.conn();
    for write in [
        "ACD.DISPATCH center",
        "ACD.DISPATCH center COUNT 3 AT 5",
        "ACD.TICK center",
        "ACD.TICK center AT 7",
    ] {
        c.call(write);
        assert!(!c.exists("center"), "`{write}` created the key");
    }
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert!(
        c.exists("center"),
        "a write that leaves a center creates it"
    );
}

#[test]
fn stats_is_an_ordered_map_in_both_protocols() {
    let server = RedisServer::start();
    for (mut c, key) in both_protocols(&server) {
        let empty = c.stats(format!("ACD.STATS {key}"));
        assert_eq!(empty.names(), STATS_FIELDS, "missing key: field order");
        assert!(empty.0.iter().all(|(_, v)| is_zero(v)), "{empty:?}");
        assert!(!c.exists(key));
        c.ok(at(&format!("ACD.AGENT.ADD {key} a1 SKILLS 0 @0")));
        c.bulk(at(&format!("ACD.ENQUEUE {key} c1 SKILLS 1 english @100")));
        let stats = c.stats(at(&format!("ACD.STATS {key} @350")));
        assert_eq!(stats.names(), STATS_FIELDS, "{key}");
        let expected = [0, 1, 0, 1, 250, 1, 0, 0, 0, 0];
        let expected: Vec<(String, i64)> = STATS_FIELDS
            .iter()
            .zip(expected)
            .map(|(f, v)| (f.to_string(), v))
            .collect();
        assert_eq!(stats.ints()[..10], expected, "{key}");
        assert_eq!(
            stats.ints()[10..],
            [
                ("agents_offered".to_string(), 0),
                ("agents_wrapup".into(), 0),
                ("timeout_total".into(), 0),
                ("offered_total".into(), 0),
                ("rejected_total".into(), 0),
                ("noanswer_total".into(), 0),
                ("aht_ms".into(), 0),
            ],
            "{key}"
        );
        assert_eq!(
            (
                stats.double("service_level"),
                stats.double("abandon_rate"),
                stats.double("occupancy")
            ),
            (0.0, 0.0, 0.0),
            "{key}"
        );
        assert_eq!(
            stats.map("queued_by_skill"),
            [("english".to_string(), 1)],
            "{key}"
        );
        assert_eq!(
            stats.map("notready_ms_by_reason"),
            [("none".to_string(), 350)],
            "{key}"
        );
    }
    // The exact wire types: a RESP3 map with RESP3 doubles and nested maps; a flat RESP2 array with the doubles
    // as bulk strings and the nested maps as flat arrays.
    let Value::Map(resp3) = server.conn_resp3().call(at("ACD.STATS center3 @350")) else {
        panic!("RESP3 STATS is not a map");
    };
    assert_eq!(resp3.len(), 26);
    assert!(matches!(resp3[16].1, Value::Double(_)), "{:?}", resp3[16]);
    assert!(matches!(resp3[20].1, Value::Map(_)), "{:?}", resp3[20]);
    let Value::Array(resp2) = server.conn().call(at("ACD.STATS center2 @350")) else {
        panic!("RESP2 STATS is not an array");
    };
    assert_eq!(resp2.len(), 52);
    assert_eq!(resp2[33], Value::BulkString(b"0".to_vec()), "service_level");
    assert_eq!(
        resp2[41],
        Value::Array(vec![Value::BulkString(b"english".to_vec()), Value::Int(1)]),
        "queued_by_skill"
    );
}

fn is_zero(v: &StatValue) -> bool {
    match v {
        StatValue::Int(i) => *i == 0,
        StatValue::Double(x) => *x == 0.0,
        StatValue::Map(m) => m.is_empty(),
    }
}

#[test]
fn nil_status_integer_and_json_replies_in_resp3() {
    let server = RedisServer::start();
    let mut c = server.conn_resp3();
    assert_eq!(c.call("ACD.AGENT.ADD center a1 SKILLS 0"), Value::Okay);
    assert_eq!(c.call("ACD.READY center a1"), Value::Nil);
    assert_eq!(c.call("ACD.NOTREADY center a1"), Value::Okay);
    assert_eq!(c.call("ACD.ENQUEUE center c1 SKILLS 0"), Value::Nil);
    assert_eq!(
        c.call("ACD.READY center a1"),
        Value::BulkString(b"c1".to_vec())
    );
    assert_eq!(
        c.call("ACD.COMPLETE center c1"),
        Value::SimpleString("completed".into())
    );
    assert_eq!(c.call("ACD.SKILL.DEL center x"), Value::Int(0));
    assert_eq!(c.call("ACD.CONFIG center GET retention"), Value::Int(3600));
    assert_eq!(
        c.call("ACD.CONFIG center GET mode"),
        Value::BulkString(b"auto".to_vec())
    );
    assert_eq!(c.json("ACD.AGENT.GET center a1")["state"], json!("ready"));
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a1"]);
    assert_eq!(c.call("ACD.QUEUE center"), Value::Array(vec![]));
    assert_eq!(
        c.err("ACD.AGENT.GET center nobody"),
        "NOAGENT no such agent 'nobody'"
    );
}

#[test]
fn agents_and_queue_list_in_the_documented_order() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.CONFIG center SET mode manual");
    for id in ["b", "a", "d", "c"] {
        c.ok(at(&format!("ACD.AGENT.ADD center {id} SKILLS 0 @0")));
    }
    assert_eq!(c.strings("ACD.AGENTS center"), ["a", "b", "c", "d"]);
    assert_eq!(c.bulk(at("ACD.READY center c @10")), None);
    assert_eq!(c.bulk(at("ACD.READY center a @20")), None);
    assert_eq!(c.bulk(at("ACD.READY center d @15")), None);
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["c", "d", "a"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE READY"), ["c", "d", "a"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE notready"), ["b"]);
    assert_eq!(
        c.strings("ACD.AGENTS center STATE busy"),
        Vec::<String>::new()
    );
    assert_eq!(c.strings("ACD.AGENTS center"), ["a", "b", "c", "d"]);

    c.bulk(at("ACD.ENQUEUE center q1 SKILLS 0 @30"));
    c.bulk(at("ACD.ENQUEUE center q2 SKILLS 0 PRIORITY 1 @31"));
    c.bulk(at("ACD.ENQUEUE center q3 SKILLS 0 @32"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["q2", "q1", "q3"]);
    assert_eq!(c.strings("ACD.QUEUE center COUNT 2"), ["q2", "q1"]);
    assert_eq!(c.strings("ACD.QUEUE center count 10"), ["q2", "q1", "q3"]);
    assert_eq!(
        c.pairs(at("ACD.DISPATCH center COUNT 2 @40")),
        [pair("q2", "c"), pair("q1", "d")]
    );
    assert_eq!(c.strings("ACD.AGENTS center STATE busy"), ["c", "d"]);
    assert_eq!(c.strings("ACD.AGENTS center STATE ready"), ["a"]);
    assert_eq!(c.strings("ACD.QUEUE center"), ["q3"]);
}

#[test]
fn open_and_close_reply_ok() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(at("ACD.CLOSE center @1"));
    assert!(
        c.exists("center"),
        "CLOSE on a missing key creates the (closed) center"
    );
    assert_eq!(
        c.err("ACD.ENQUEUE center c1 SKILLS 0"),
        "CLOSED center is closed"
    );
    c.ok(at("ACD.OPEN center @2"));
    assert_eq!(c.bulk("ACD.ENQUEUE center c1 SKILLS 0"), None);
    c.ok("ACD.OPEN center");
    c.ok("ACD.CLOSE center");
    c.ok("ACD.CLOSE center");
}

#[test]
fn config_defaults_get_and_set() {
    let server = RedisServer::start();
    let mut c = server.conn();
    assert_eq!(
        c.bulk("ACD.CONFIG center GET mode").as_deref(),
        Some("auto")
    );
    assert_eq!(c.int("ACD.CONFIG center GET retention"), 3600);
    assert!(!c.exists("center"), "reads must not create the key");
    c.ok(at("ACD.CONFIG center SET mode manual @0"));
    assert!(c.exists("center"));
    assert_eq!(
        c.bulk("ACD.CONFIG center GET mode").as_deref(),
        Some("manual")
    );
    c.ok("ACD.CONFIG center set MODE AUTO");
    assert_eq!(
        c.bulk("ACD.CONFIG center get mode").as_deref(),
        Some("auto")
    );
    c.ok("ACD.CONFIG center SET mode Manual");
    assert_eq!(
        c.bulk("ACD.CONFIG center GET mode").as_deref(),
        Some("manual")
    );
    c.ok(at("ACD.CONFIG center SET retention 10 @1"));
    assert_eq!(c.int("ACD.CONFIG center GET retention"), 10);
    c.ok("ACD.CONFIG center SET retention 0");
    assert_eq!(c.int("ACD.CONFIG center GET retention"), 0);
}

#[test]
fn reads_on_a_missing_key_answer_as_an_empty_center() {
    let server = RedisServer::start();
    for (mut c, key) in both_protocols(&server) {
        assert_eq!(
            c.err(format!("ACD.AGENT.GET {key} a1")),
            "NOAGENT no such agent 'a1'"
        );
        assert_eq!(
            c.err(format!("ACD.CONTACT.GET {key} c1")),
            "NOCONTACT no such contact 'c1'"
        );
        assert_eq!(c.strings(format!("ACD.QUEUE {key}")), Vec::<String>::new());
        assert_eq!(c.strings(format!("ACD.AGENTS {key}")), Vec::<String>::new());
        assert_eq!(
            c.strings(format!("ACD.AGENTS {key} STATE busy")),
            Vec::<String>::new()
        );
        let stats = c.stats(at(&format!("ACD.STATS {key} @5")));
        assert_eq!(stats.names(), STATS_FIELDS);
        assert!(stats.0.iter().all(|(_, v)| is_zero(v)), "{stats:?}");
        assert!(!c.exists(key));
    }
}

#[test]
fn keywords_are_case_insensitive_values_are_not() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok(format!(
        "acd.agent.add center a1 skills 1 English meta {{}} at {}",
        t(0)
    ));
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["skills"],
        json!({"English": 1})
    );
    assert_eq!(c.bulk(format!("Acd.Ready center a1 At {}", t(1))), None);
    // "english" is not "English": a1 is not eligible.
    assert_eq!(
        c.bulk(format!(
            "acd.enqueue center c1 Skills 1 english Priority 3 Meta {{}} aT {}",
            t(2)
        )),
        None
    );
    assert_eq!(c.strings("ACD.QUEUE center"), ["c1"]);
    // Ids are case-sensitive too.
    assert_eq!(
        c.err("ACD.AGENT.GET center A1"),
        "NOAGENT no such agent 'A1'"
    );
    assert_eq!(
        c.bulk(format!(
            "ACD.ENQUEUE center C1 SKILLS 1 English PRIORITY 1 AT {}",
            t(3)
        ))
        .as_deref(),
        Some("a1")
    );
    c.ok(format!("ACD.NOTREADY center a1 reason Lunch at {}", t(4)));
    assert_eq!(
        c.status(format!("ACD.COMPLETE center C1 at {}", t(5))),
        "completed"
    );
    assert_eq!(
        c.json("ACD.AGENT.GET center a1")["reason"],
        serde_json::json!("Lunch")
    );
}

#[test]
fn writes_without_at_use_the_server_clock() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let before = now_ms();
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    c.bulk("ACD.ENQUEUE center c1 SKILLS 0");
    let after = now_ms();
    let since = c.json("ACD.AGENT.GET center a1")["since"]
        .as_u64()
        .expect("since");
    let enqueued = c.json("ACD.CONTACT.GET center c1")["enqueued_at"]
        .as_u64()
        .expect("enqueued_at");
    assert!(
        (before..=after).contains(&since),
        "{before} <= {since} <= {after}"
    );
    assert!(
        (before..=after).contains(&enqueued),
        "{before} <= {enqueued} <= {after}"
    );
    // STATS without AT measures waits against the server clock too.
    let wait = stat(&mut c, "center", "longest_wait_ms");
    assert!(
        wait >= 0 && (wait as u64) <= now_ms() - enqueued + 1,
        "longest_wait_ms {wait}"
    );
}

#[test]
fn ids_and_skill_names_are_binary_safe_and_json_escaped() {
    let server = RedisServer::start();
    let mut c = server.conn();
    let agent = "agent \"one\" \\ ü\n\u{1}";
    let contact = "c\t{}[]";
    let skill = "skill with spaces";
    c.ok([
        "ACD.AGENT.ADD",
        "center",
        agent,
        "SKILLS",
        "1",
        &format!("{skill}=2"),
    ]);
    assert_eq!(c.bulk(["ACD.READY", "center", agent]), None);
    assert_eq!(
        c.bulk(["ACD.ENQUEUE", "center", contact, "SKILLS", "1", skill])
            .as_deref(),
        Some(agent)
    );
    let a = c.json(["ACD.AGENT.GET", "center", agent]);
    assert_eq!(
        (&a["id"], &a["skills"], &a["contact"]),
        (&json!(agent), &json!({ skill: 2 }), &json!(contact))
    );
    let k = c.json(["ACD.CONTACT.GET", "center", contact]);
    assert_eq!((&k["id"], &k["agent"]), (&json!(contact), &json!(agent)));
    assert_eq!(c.strings("ACD.AGENTS center"), [agent]);
}

#[test]
fn priority_accepts_the_full_signed_64_bit_range() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.bulk(at(
        "ACD.ENQUEUE center low SKILLS 0 PRIORITY -9223372036854775808 @0",
    ));
    c.bulk(at(
        "ACD.ENQUEUE center high SKILLS 0 PRIORITY 9223372036854775807 @1",
    ));
    c.bulk(at("ACD.ENQUEUE center zero SKILLS 0 @2"));
    assert_eq!(c.strings("ACD.QUEUE center"), ["high", "zero", "low"]);
    assert_eq!(
        c.json("ACD.CONTACT.GET center low")["priority"],
        json!(i64::MIN)
    );
    assert_eq!(
        c.json("ACD.CONTACT.GET center high")["priority"],
        json!(i64::MAX)
    );
}

#[test]
fn at_zero_is_a_valid_time() {
    let server = RedisServer::start();
    let mut c = server.conn();
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0 AT 0");
    assert_eq!(c.json("ACD.AGENT.GET center a1")["since"], json!(0));
}

fn stat(c: &mut Conn, key: &str, field: &str) -> i64 {
    c.stats(format!("ACD.STATS {key}")).int(field)
}

fn pair(contact: &str, agent: &str) -> (String, String) {
    (contact.to_string(), agent.to_string())
}
