//! The old FastAPI API through `acd-rest` (issue 5, part 1): every route with its body, status and reply on the
//! default center, checked against what the module then holds, and every refusal as 400 `{"detail": ...}` with the
//! module's precise message.

mod rest_common;

use reqwest::Method;
use rest_common::{start, CENTER};
use serde_json::{json, Value};

fn is_uuid4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && groups[2].starts_with('4')
}

#[test]
fn every_old_route_answers_as_before() {
    let (redis, _rest, api) = start();
    let mut c = redis.conn();
    let agent_json = |c: &mut acd_tests::Conn| c.json(format!("ACD.AGENT.GET {CENTER} agent:7"));

    assert_eq!(
        api.post("/acd", json!({"state": 1})).expect(201),
        json!({"acd_state": 1})
    );

    let body = json!({"fname": "Ana", "lname": "Pérez", "skills": ["English", "Billing"]});
    assert_eq!(
        api.post("/agent/agent:7", body).expect(201),
        json!({"agent_key": "agent:7"})
    );
    let agent = agent_json(&mut c);
    assert_eq!(agent["state"], "notready", "a new agent is unavailable");
    assert_eq!(agent["skills"], json!({"Billing": 1, "English": 1}));
    assert_eq!(agent["meta"], json!({"fname": "Ana", "lname": "Pérez"}));

    let created = api
        .post("/contact", json!({"skills": ["English"]}))
        .expect(201);
    let key = created["contact_key"]
        .as_str()
        .expect("a contact key")
        .to_owned();
    assert_eq!(created, json!({"contact_key": key}));
    let uuid = key.strip_prefix("contact:").expect("contact:<uuid4>");
    assert!(is_uuid4(uuid), "{key}");
    assert_eq!(
        api.get(&format!("/contact/{key}")).expect(200),
        json!({"skills": ["English"], "state": 1, "agent": null})
    );

    assert_eq!(
        api.patch("/agent/agent:7/state", Some(json!({"state": 1})))
            .expect(200),
        json!({"agent_key": "agent:7"})
    );
    assert_eq!(
        api.get(&format!("/contact/{key}")).expect(200),
        json!({"skills": ["English"], "state": 2, "agent": "agent:7"}),
        "the ready agent took the waiting contact"
    );
    // Not ready while handling a contact: it takes effect when the contact ends.
    assert_eq!(
        api.patch("/agent/agent:7/state", Some(json!({"state": 0})))
            .expect(200),
        json!({"agent_key": "agent:7"})
    );

    assert_eq!(
        api.patch(&format!("/contact/{key}"), None).expect(200),
        json!({"contact_key": key})
    );
    assert_eq!(
        api.get(&format!("/contact/{key}")).expect(200),
        json!({"skills": ["English"], "state": 3, "agent": "agent:7"})
    );

    let names = json!({"fname": "Anna", "lname": "Q"});
    assert_eq!(
        api.patch("/agent/agent:7", Some(names)).expect(200),
        json!({"agent_key": "agent:7"})
    );
    assert_eq!(
        agent_json(&mut c)["meta"],
        json!({"fname": "Anna", "lname": "Q"})
    );
    api.patch("/agent/agent:7", Some(json!({"lname": "R"})))
        .expect(200);
    assert_eq!(
        agent_json(&mut c)["meta"],
        json!({"fname": "Anna", "lname": "R"}),
        "a name left out is kept"
    );

    assert_eq!(
        api.patch("/agent/agent:7/skill", Some(json!({"skill": "Spanish"})))
            .expect(200),
        json!({"agent_key": "agent:7"})
    );
    assert_eq!(
        agent_json(&mut c)["skills"],
        json!({"Billing": 1, "English": 1, "Spanish": 1})
    );
    assert_eq!(
        api.delete("/agent/agent:7/skill/Spanish").expect(200),
        json!({"skill": "Spanish"})
    );
    assert_eq!(
        api.delete("/skill/Billing").expect(200),
        json!({"skill": "Billing"})
    );
    assert_eq!(agent_json(&mut c)["skills"], json!({"English": 1}));

    api.patch("/agent/agent:7/state", Some(json!({"state": 0})))
        .expect(200);
    assert_eq!(agent_json(&mut c)["state"], "notready");
    assert_eq!(
        api.delete("/agent/agent:7").expect(200),
        json!({"agent_key": "agent:7"})
    );
    assert_eq!(
        c.err(format!("ACD.AGENT.GET {CENTER} agent:7")),
        "NOAGENT no such agent 'agent:7'"
    );

    // A contact that ends before an agent takes it (abandoned) also reads 3.
    let waiting = api
        .post("/contact", json!({"skills": ["Klingon"]}))
        .expect(201);
    let waiting = waiting["contact_key"].as_str().expect("a key").to_owned();
    assert_eq!(
        api.get(&format!("/contact/{waiting}")).expect(200)["state"],
        1
    );
    api.patch(&format!("/contact/{waiting}"), None).expect(200);
    assert_eq!(
        api.get(&format!("/contact/{waiting}")).expect(200),
        json!({"skills": ["Klingon"], "state": 3, "agent": null})
    );

    assert_eq!(
        api.post("/acd", json!({"state": 0})).expect(201),
        json!({"acd_state": 0})
    );
    assert_eq!(
        api.post("/contact", json!({"skills": []})).legacy_error(),
        "center is closed"
    );
    assert_eq!(
        api.post("/acd", json!({"state": 1})).expect(201),
        json!({"acd_state": 1})
    );
}

#[test]
fn every_old_refusal_is_a_400_with_a_precise_detail() {
    let (_redis, _rest, api) = start();
    let agent = json!({"fname": "A", "lname": "B", "skills": []});
    api.post("/agent/agent:1", agent.clone()).expect(201);

    let cases: Vec<(Method, &str, Option<Value>, &str)> = vec![
        (
            Method::POST,
            "/agent/agent:1",
            Some(agent),
            "agent 'agent:1' already exists",
        ),
        (
            Method::GET,
            "/contact/contact:nope",
            None,
            "no such contact 'contact:nope'",
        ),
        (
            Method::PATCH,
            "/contact/contact:nope",
            None,
            "no such contact 'contact:nope'",
        ),
        (
            Method::DELETE,
            "/agent/agent:9",
            None,
            "no such agent 'agent:9'",
        ),
        (
            Method::PATCH,
            "/agent/agent:9/state",
            Some(json!({"state": 1})),
            "no such agent 'agent:9'",
        ),
        (
            Method::PATCH,
            "/agent/agent:9",
            Some(json!({"fname": "X"})),
            "no such agent 'agent:9'",
        ),
        (
            Method::PATCH,
            "/agent/agent:9/skill",
            Some(json!({"skill": "x"})),
            "no such agent 'agent:9'",
        ),
        (
            Method::DELETE,
            "/agent/agent:9/skill/x",
            None,
            "no such agent 'agent:9'",
        ),
        (
            Method::POST,
            "/acd",
            Some(json!({"state": 2})),
            "state must be 1 (open) or 0 (closed), not 2",
        ),
        (
            Method::PATCH,
            "/agent/agent:1/state",
            Some(json!({"state": 5})),
            "state must be 1 (available) or 0 (unavailable), not 5",
        ),
        (
            Method::POST,
            "/contact",
            Some(json!({"skills": ["a=b"]})),
            "skill name must be non-empty and must not contain '='",
        ),
        (
            Method::POST,
            "/contact",
            Some(json!({"skills": ["x", "x"]})),
            "duplicate skill 'x'",
        ),
    ];
    for (method, path, body, detail) in cases {
        let what = format!("{method} {path}");
        let reply = api.call(method, path, body);
        assert_eq!(reply.status, 400, "{what}: {reply:?}");
        assert_eq!(reply.legacy_error(), detail, "{what}");
    }

    let malformed = api.raw(Method::POST, "/contact", "{\"skills\": [");
    assert!(
        malformed.legacy_error().contains("parse"),
        "a malformed body is explained"
    );
    let missing = api.post("/contact", json!({}));
    assert!(
        missing.legacy_error().contains("skills"),
        "a missing field is named"
    );
}
