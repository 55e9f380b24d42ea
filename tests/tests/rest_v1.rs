//! The v1 API through `acd-rest` (issue 5, part 2): every route under `/v1/centers/{center}` against a real server,
//! checked against what the module holds, and every error status as an RFC 7807 problem (400, 404, 409, 423, 429).

mod rest_common;

use reqwest::Method;
use rest_common::{start, v1, CENTER};
use serde_json::{json, Value};

fn agent_ids(api: &rest_common::Api, query: &str) -> Value {
    api.get(&v1(&format!("/agents{query}"))).expect(200)["agents"].clone()
}

#[test]
fn agents_skills_and_ready_state() {
    let (redis, _rest, api) = start();
    let mut c = redis.conn();
    assert_eq!(agent_ids(&api, ""), json!([]));

    let ana = json!({"id": "ana", "skills": {"english": 5, "billing": 1}, "meta": {"name": "Ana"}});
    let created = api.post(&v1("/agents"), ana.clone());
    assert_eq!(
        created.location.as_deref(),
        Some("/v1/centers/center:test/agents/ana")
    );
    let body = created.expect(201);
    assert_eq!(body["id"], "ana");
    assert_eq!(body["state"], "notready");
    assert_eq!(body["skills"], json!({"billing": 1, "english": 5}));
    assert_eq!(body["meta"], json!({"name": "Ana"}));
    assert_eq!(body["contact"], Value::Null);
    assert_eq!(body, api.get(&v1("/agents/ana")).expect(200));
    assert_eq!(
        c.json(format!("ACD.AGENT.GET {CENTER} ana"))["skills"],
        body["skills"]
    );

    api.post(&v1("/agents"), json!({"id": "bob"})).expect(201);
    assert_eq!(agent_ids(&api, ""), json!(["ana", "bob"]));
    assert_eq!(agent_ids(&api, "?state=notready"), json!(["ana", "bob"]));

    let updated = api
        .put(&v1("/agents/ana/meta"), json!({"tier": 2}))
        .expect(200);
    assert_eq!(updated["meta"], json!({"tier": 2}));
    let granted = api.post(
        &v1("/agents/ana/skills"),
        json!({"skills": {"french": 2, "billing": 4}}),
    );
    assert_eq!(
        granted.expect(200)["skills"],
        json!({"billing": 4, "english": 5, "french": 2})
    );
    assert_eq!(
        api.delete(&v1("/agents/ana/skills/french")).expect(204),
        Value::Null
    );
    assert_eq!(
        api.get(&v1("/agents/ana")).expect(200)["skills"],
        json!({"billing": 4, "english": 5})
    );

    assert_eq!(
        api.post_empty(&v1("/agents/ana/ready")).expect(200),
        json!({"contact": null})
    );
    assert_eq!(agent_ids(&api, "?state=ready"), json!(["ana"]));
    let lunch = api.post(&v1("/agents/ana/notready"), json!({"reason": "lunch"}));
    assert_eq!(lunch.expect(204), Value::Null);
    let ana = api.get(&v1("/agents/ana")).expect(200);
    assert_eq!(
        (ana["state"].clone(), ana["reason"].clone()),
        (json!("notready"), json!("lunch"))
    );
    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    api.post_empty(&v1("/agents/ana/notready")).expect(204);
    assert_eq!(
        api.get(&v1("/agents/ana")).expect(200)["reason"],
        Value::Null
    );

    assert_eq!(
        api.delete(&v1("/skills/billing")).expect(200),
        json!({"skill": "billing", "agents": 1})
    );
    assert_eq!(api.delete(&v1("/agents/bob")).expect(204), Value::Null);
    assert_eq!(agent_ids(&api, ""), json!(["ana"]));
}

#[test]
fn contacts_queue_dispatch_offers_and_center() {
    let (redis, _rest, api) = start();
    let mut c = redis.conn();
    api.post(
        &v1("/agents"),
        json!({"id": "ana", "skills": {"english": 5}}),
    )
    .expect(201);
    api.post_empty(&v1("/agents/ana/ready")).expect(200);

    let contact =
        json!({"id": "c1", "skills": {"english": 3}, "priority": 5, "meta": {"from": "web"}});
    let created = api.post(&v1("/contacts"), contact);
    assert_eq!(
        created.location.as_deref(),
        Some("/v1/centers/center:test/contacts/c1")
    );
    assert_eq!(created.expect(201), json!({"id": "c1", "agent": "ana"}));
    let c1 = api.get(&v1("/contacts/c1")).expect(200);
    assert_eq!(c1["state"], "assigned");
    assert_eq!(c1["agent"], "ana");
    assert_eq!(c1["priority"], 5);
    assert_eq!(c1["meta"], json!({"from": "web"}));
    assert_eq!(c1["skills"], json!({"english": 3}));
    assert!(
        c1["assigned_at"].is_i64() && c1["ended_at"].is_null(),
        "{c1}"
    );

    let spanish = json!({"skills": {"spanish": 1}, "then": [{"after_ms": 600000, "skills": {}}]});
    let queued = api.post(&v1("/contacts"), spanish).expect(201);
    let id = queued["id"].as_str().expect("a generated id").to_owned();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(queued["agent"], Value::Null);
    assert_eq!(
        api.get(&v1("/queue")).expect(200),
        json!({"contacts": [id]})
    );
    assert_eq!(
        api.get(&v1("/queue?count=1")).expect(200),
        json!({"contacts": [id]})
    );
    assert_eq!(
        api.get(&v1(&format!("/contacts/{id}"))).expect(200)["state"],
        "queued"
    );

    assert_eq!(
        api.post_empty(&v1("/contacts/c1/complete")).expect(200),
        json!({"id": "c1", "state": "completed"})
    );
    assert_eq!(
        api.post_empty(&v1("/contacts/c1/complete")).expect(200),
        json!({"id": "c1", "state": "completed"}),
        "completing again answers the same end state"
    );

    let stats = api.get(&v1("/stats")).expect(200);
    assert_eq!(stats["queued"], 1);
    assert_eq!(stats["completed_total"], 1);
    assert_eq!(stats["agents_ready"], 1);
    assert_eq!(stats["queued_by_skill"], json!({"spanish": 1}));
    assert!(stats["service_level"].is_f64(), "{stats}");
    assert_eq!(
        stats.as_object().map(|o| o.len()),
        Some(26),
        "every ACD.STATS field"
    );
    assert_eq!(
        api.get(&v1("/check")).expect(200),
        json!({"ok": true, "violations": []})
    );
    assert_eq!(
        api.post(&v1("/estimate"), json!({"skills": {"english": 1}}))
            .expect(200),
        json!({"wait_ms": 0}),
        "an eligible agent is ready"
    );
    assert_eq!(
        api.post(
            &v1("/estimate"),
            json!({"skills": {"klingon": 1}, "priority": 2})
        )
        .expect(200),
        json!({"wait_ms": null})
    );

    // Configuration: every parameter, one, and a change.
    let config = api.get(&v1("/config")).expect(200);
    assert_eq!(config["mode"], "auto");
    assert_eq!(config["retention"], 3600);
    assert_eq!(config.as_object().map(|o| o.len()), Some(14), "{config}");
    assert_eq!(config["voice-blocks"], "no");
    assert_eq!(
        api.put(&v1("/config/mode"), json!({"value": "manual"}))
            .expect(200),
        json!({"param": "mode", "value": "manual"})
    );
    assert_eq!(
        api.get(&v1("/config/mode")).expect(200),
        json!({"param": "mode", "value": "manual"})
    );
    assert_eq!(
        c.bulk(format!("ACD.CONFIG {CENTER} GET mode")).as_deref(),
        Some("manual")
    );
    assert_eq!(
        api.put(&v1("/config/max-wait"), json!({"value": "90000"}))
            .expect(200),
        json!({"param": "max-wait", "value": 90000}),
        "a number may come as text"
    );

    // Manual mode: only dispatch routes.
    api.post(
        &v1("/agents"),
        json!({"id": "bob", "skills": {"spanish": 3}}),
    )
    .expect(201);
    assert_eq!(
        api.post_empty(&v1("/agents/bob/ready")).expect(200),
        json!({"contact": null})
    );
    assert_eq!(
        api.post_empty(&v1("/dispatch?count=5")).expect(200),
        json!({"assignments": [{"contact": id, "agent": "bob"}]})
    );
    assert_eq!(
        api.post_empty(&v1("/dispatch")).expect(200),
        json!({"assignments": []})
    );

    // Offers: accept and reject.
    api.put(&v1("/config/offer-timeout"), json!({"value": 600000}))
        .expect(200);
    api.put(&v1("/config/mode"), json!({"value": "auto"}))
        .expect(200);
    let offered = api.post(
        &v1("/contacts"),
        json!({"id": "c3", "skills": {"english": 1}}),
    );
    assert_eq!(offered.expect(201), json!({"id": "c3", "agent": "ana"}));
    assert_eq!(api.get(&v1("/contacts/c3")).expect(200)["state"], "offered");
    assert_eq!(api.get(&v1("/agents/ana")).expect(200)["state"], "offered");
    assert_eq!(
        api.post_empty(&v1("/contacts/c3/accept")).expect(204),
        Value::Null
    );
    assert_eq!(
        api.get(&v1("/contacts/c3")).expect(200)["state"],
        "assigned"
    );
    api.post(&v1("/agents"), json!({"id": "cat"})).expect(201);
    api.post_empty(&v1("/agents/cat/ready")).expect(200);
    assert_eq!(
        api.post(&v1("/contacts"), json!({"id": "c4"})).expect(201),
        json!({"id": "c4", "agent": "cat"})
    );
    assert_eq!(
        api.post_empty(&v1("/contacts/c4/reject")).expect(204),
        Value::Null
    );
    assert_eq!(api.get(&v1("/contacts/c4")).expect(200)["state"], "queued");
    let cat = api.get(&v1("/agents/cat")).expect(200);
    assert_eq!(
        (cat["state"].clone(), cat["reason"].clone()),
        (json!("notready"), json!("rejected"))
    );

    // Close and open.
    assert_eq!(api.post_empty(&v1("/close")).expect(204), Value::Null);
    api.post(&v1("/contacts"), json!({"id": "c5"}))
        .problem(423, Some("CLOSED"));
    api.post_empty(&v1("/agents/cat/ready"))
        .problem(423, Some("CLOSED"));
    assert_eq!(api.post_empty(&v1("/open")).expect(204), Value::Null);
    assert_eq!(
        api.get(&v1("/contacts/c4")).expect(200)["agent"],
        "cat",
        "opening made cat ready again"
    );
}

/// A request and the problem it must get: method, path, body, module code, detail.
type Refusal = (
    Method,
    String,
    Option<Value>,
    Option<&'static str>,
    &'static str,
);

#[test]
fn every_error_status_is_a_problem_document() {
    let (redis, _rest, api) = start();
    let mut c = redis.conn();
    api.post(&v1("/agents"), json!({"id": "ana"})).expect(201);
    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    api.post(&v1("/contacts"), json!({"id": "c1"})).expect(201);

    let not_found: &[(Method, &str, Option<&str>, &str)] = &[
        (
            Method::GET,
            "/agents/nobody",
            Some("NOAGENT"),
            "no such agent 'nobody'",
        ),
        (
            Method::DELETE,
            "/agents/nobody",
            Some("NOAGENT"),
            "no such agent 'nobody'",
        ),
        (
            Method::POST,
            "/agents/nobody/ready",
            Some("NOAGENT"),
            "no such agent 'nobody'",
        ),
        (
            Method::POST,
            "/agents/nobody/notready",
            Some("NOAGENT"),
            "no such agent 'nobody'",
        ),
        (
            Method::DELETE,
            "/agents/nobody/skills/x",
            Some("NOAGENT"),
            "no such agent 'nobody'",
        ),
        (
            Method::GET,
            "/contacts/nope",
            Some("NOCONTACT"),
            "no such contact 'nope'",
        ),
        (
            Method::POST,
            "/contacts/nope/complete",
            Some("NOCONTACT"),
            "no such contact 'nope'",
        ),
        (
            Method::POST,
            "/contacts/nope/accept",
            Some("NOCONTACT"),
            "no such contact 'nope'",
        ),
        (
            Method::POST,
            "/contacts/nope/reject",
            Some("NOCONTACT"),
            "no such contact 'nope'",
        ),
        (
            Method::GET,
            "/config/bogus",
            None,
            "unknown config parameter 'bogus'",
        ),
    ];
    for (method, path, code, detail) in not_found {
        let reply = api.call(method.clone(), &v1(path), None);
        assert_eq!(reply.problem(404, *code), *detail, "{method} {path}");
    }
    let route = api.get("/v2/whatever").problem(404, None);
    assert_eq!(route, "no route for /v2/whatever");

    let conflicts: Vec<(Method, &str, Option<Value>, &str, &str)> = vec![
        (
            Method::POST,
            "/agents",
            Some(json!({"id": "ana"})),
            "EXISTS",
            "agent 'ana' already exists",
        ),
        (
            Method::POST,
            "/contacts",
            Some(json!({"id": "c1"})),
            "EXISTS",
            "contact 'c1' already exists",
        ),
        (
            Method::POST,
            "/contacts/c1/accept",
            None,
            "NOTOFFERED",
            "contact 'c1' is assigned, not offered",
        ),
        (
            Method::POST,
            "/contacts/c1/reject",
            None,
            "NOTOFFERED",
            "contact 'c1' is assigned, not offered",
        ),
    ];
    for (method, path, body, code, detail) in conflicts {
        let what = format!("{method} {path}");
        assert_eq!(
            api.call(method, &v1(path), body).problem(409, Some(code)),
            detail,
            "{what}"
        );
    }
    // An agent with an offer pending answers it before changing its own state.
    api.put(&v1("/config/offer-timeout"), json!({"value": 60000}))
        .expect(200);
    api.post(&v1("/agents"), json!({"id": "olga"})).expect(201);
    api.post_empty(&v1("/agents/olga/ready")).expect(200);
    api.post(&v1("/contacts"), json!({"id": "c9"})).expect(201);
    for path in ["/agents/olga/ready", "/agents/olga/notready"] {
        assert_eq!(
            api.post_empty(&v1(path)).problem(409, Some("BUSYAGENT")),
            "agent 'olga' is handling contact 'c9'",
            "{path}"
        );
    }
    c.ok("SET plain text");
    let wrong = api
        .get("/v1/centers/plain/stats")
        .problem(409, Some("WRONGTYPE"));
    assert!(wrong.contains("wrong kind of value"), "{wrong}");

    let invalid: Vec<Refusal> = vec![
        (
            Method::POST,
            v1("/agents"),
            Some(json!({"id": ""})),
            Some("ERR"),
            "id must be non-empty",
        ),
        (
            Method::POST,
            v1("/agents"),
            Some(json!({"id": "x", "skills": {"english": 11}})),
            Some("ERR"),
            "level must be an integer from 1 to 10",
        ),
        (
            Method::POST,
            v1("/contacts"),
            Some(json!({"skills": {"a=b": 1}})),
            None,
            "skill name must be non-empty and must not contain '='",
        ),
        (
            Method::GET,
            v1("/queue?count=0"),
            None,
            Some("ERR"),
            "COUNT must be a positive integer",
        ),
        (
            Method::POST,
            v1("/dispatch?count=0"),
            None,
            Some("ERR"),
            "COUNT must be a positive integer",
        ),
        (
            Method::PUT,
            v1("/config/max-queue"),
            Some(json!({"value": "lots"})),
            None,
            "max-queue must be a non-negative integer",
        ),
        (
            Method::PUT,
            v1("/config/mode"),
            Some(json!({"value": "sideways"})),
            None,
            "mode must be auto or manual",
        ),
        (
            Method::POST,
            v1("/agents/ana/skills"),
            Some(json!({"skills": {}})),
            None,
            "skills must name at least one skill",
        ),
    ];
    for (method, path, body, code, detail) in invalid {
        let what = format!("{method} {path}");
        assert_eq!(
            api.call(method, &path, body).problem(400, code),
            detail,
            "{what}"
        );
    }
    // Bodies and query strings the shim cannot read.
    let malformed = api.raw(Method::POST, &v1("/agents"), "{\"id\":");
    assert!(malformed.problem(400, None).contains("parse"));
    let unknown = api.post(&v1("/agents"), json!({"id": "x", "colour": "red"}));
    assert!(unknown.problem(400, None).contains("colour"));
    let state = api.get(&v1("/agents?state=sleepy"));
    assert!(state.problem(400, None).contains("sleepy"));

    // 429: the queue is full and nobody can take the contact now.
    api.put(&v1("/config/max-queue"), json!({"value": 1}))
        .expect(200);
    api.post(&v1("/contacts"), json!({"id": "c2"})).expect(201);
    let full = api
        .post(&v1("/contacts"), json!({"id": "c3"}))
        .problem(429, Some("QUEUEFULL"));
    assert_eq!(full, "queue is full (1 contacts waiting)");
}

/// Channels over v1: an agent's capacity, a contact's channel, the per-channel stats and an
/// estimate on a channel; a bad capacity is a 400 problem and creates nothing.
#[test]
fn channels_and_capacity() {
    let (redis, _rest, api) = start();
    let mut c = redis.conn();
    let ana = json!({"id": "ana", "capacity": {"chat": 2, "voice": 1}});
    let body = api.post(&v1("/agents"), ana).expect(201);
    assert_eq!(body["capacity"], json!({"chat": 2, "voice": 1}));
    assert_eq!(body["contacts"], json!([]));
    let bad = api.post(
        &v1("/agents"),
        json!({"id": "bob", "capacity": {"chat": 1001}}),
    );
    assert_eq!(
        bad.expect(400)["detail"],
        "capacity must be an integer from 0 to 1000"
    );
    let empty = api.post(&v1("/agents"), json!({"id": "bob", "capacity": {}}));
    assert_eq!(
        empty.expect(400)["detail"],
        "capacity must name at least one channel"
    );
    let named = api.post(&v1("/agents"), json!({"id": "bob", "capacity": {"a=b": 1}}));
    assert_eq!(
        named.expect(400)["detail"],
        "channel name must be non-empty and must not contain '='"
    );
    assert_eq!(agent_ids(&api, ""), json!(["ana"]));
    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    for id in ["k1", "k2", "k3"] {
        api.post(&v1("/contacts"), json!({"id": id, "channel": "chat"}))
            .expect(201);
    }
    let contact = api.get(&v1("/contacts/k3")).expect(200);
    assert_eq!(
        (&contact["channel"], &contact["state"]),
        (&json!("chat"), &json!("queued"))
    );
    let agent = api.get(&v1("/agents/ana")).expect(200);
    assert_eq!(agent["contacts"], json!(["k1", "k2"]));
    assert_eq!(agent, c.json(format!("ACD.AGENT.GET {CENTER} ana")));
    let stats = api.get(&v1("/stats")).expect(200);
    assert_eq!(stats["queued_by_channel"], json!({"chat": 1}));
    assert_eq!(stats["agents_free_by_channel"], json!({"voice": 1}));
    assert_eq!(stats["handling_by_channel"], json!({"chat": 2}));
    assert_eq!(stats["assigned_by_channel"], json!({"chat": 2}));
    assert_eq!(
        api.post(&v1("/estimate"), json!({"channel": "voice"}))
            .expect(200),
        json!({"wait_ms": 0})
    );
}
