//! `acd-rest` as a service (issue 5): `/health` follows Redis (503 while it is down, 200 again once it is back,
//! without restarting the shim), requests are logged as structured JSON lines, SIGTERM ends the event streams and
//! exits 0, and two instances in front of one Redis give the same answers (the shim keeps no state).

mod rest_common;

use std::time::Duration;

use acd_tests::rest::RestServer;
use acd_tests::{wait_for, RedisServer, Stop};
use rest_common::{start, v1, Api, EventStream, CENTER};
use serde_json::{json, Value};

#[test]
fn health_follows_redis_and_the_shim_reconnects() {
    let (mut redis, _rest, api) = start();
    assert_eq!(
        api.get("/health").expect(200),
        json!({"status": "ok", "center": CENTER})
    );

    redis.stop(Stop::Kill);
    wait_for(Duration::from_secs(10), "/health to answer 503", || {
        api.get("/health").status == 503
    });
    let detail = api.get("/health").problem(503, None);
    assert!(!detail.is_empty());
    api.get(&v1("/stats")).problem(503, None);
    assert_eq!(
        api.post("/contact", json!({"skills": []})).status,
        503,
        "the old API too"
    );

    redis.start_again();
    wait_for(
        Duration::from_secs(10),
        "/health to answer 200 again",
        || api.get("/health").status == 200,
    );
    api.post(&v1("/agents"), json!({"id": "ana"})).expect(201);
}

#[test]
fn requests_are_logged_as_json_lines() {
    let (_redis, rest, api) = start();
    api.get(&v1("/agents/nobody")).problem(404, Some("NOAGENT"));
    let log = rest.log();
    let line = log
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|l| l["span"]["path"] == "/v1/centers/center%3Atest/agents/nobody")
        .unwrap_or_else(|| panic!("no request log line:\n{log}"));
    assert_eq!(line["span"]["method"], "GET");
    assert_eq!(line["status"], 404);
    assert_eq!(line["level"], "INFO");
    assert!(line["latency"].is_string(), "{line}");
    assert_eq!(
        line["span"]["request_id"].as_str().map(str::len),
        Some(36),
        "{line}"
    );
}

#[test]
fn sigterm_ends_streams_and_exits_cleanly() {
    let redis = RedisServer::start();
    let mut rest = RestServer::start(&redis, CENTER);
    let stream = EventStream::open(&rest.url(&v1("/events")), None);
    let status = rest.terminate();
    assert!(status.success(), "exit status {status}\n{}", rest.log());
    assert!(
        stream.ends_within(Duration::from_secs(5)),
        "the stream was closed"
    );
    assert!(rest.log().contains("shutting down"));
}

/// Enqueues `<prefix>0..4`; answers the agent each got.
fn enqueue_five(api: &Api, prefix: &str) -> Vec<Value> {
    (0..5)
        .map(|i| {
            let reply = api.post(&v1("/contacts"), json!({"id": format!("{prefix}{i}")}));
            reply.expect(201)["agent"].clone()
        })
        .collect()
}

#[test]
fn two_instances_give_consistent_answers() {
    let redis = RedisServer::start();
    let (one, two) = (
        RestServer::start(&redis, CENTER),
        RestServer::start(&redis, CENTER),
    );
    let (a, b) = (Api::new(&one), Api::new(&two));

    for (i, api) in [&a, &b, &a, &b].into_iter().enumerate() {
        api.post(&v1("/agents"), json!({"id": format!("agent{i}")}))
            .expect(201);
        api.post_empty(&v1(&format!("/agents/agent{i}/ready")))
            .expect(200);
    }
    b.post(&v1("/agents"), json!({"id": "agent0"}))
        .problem(409, Some("EXISTS"));

    // Contacts sent to both instances at once: every agent gets at most one, the rest queue in order.
    let (a_ids, b_ids) = std::thread::scope(|s| {
        let left = s.spawn(|| enqueue_five(&a, "a"));
        let right = s.spawn(|| enqueue_five(&b, "b"));
        (
            left.join().expect("thread a"),
            right.join().expect("thread b"),
        )
    });
    let assigned: Vec<&Value> = a_ids
        .iter()
        .chain(&b_ids)
        .filter(|v| !v.is_null())
        .collect();
    assert_eq!(assigned.len(), 4, "four agents, four assignments");
    let mut agents: Vec<_> = assigned.iter().filter_map(|v| v.as_str()).collect();
    agents.sort_unstable();
    agents.dedup();
    assert_eq!(agents.len(), 4, "no agent got two contacts");

    for path in [
        "/stats",
        "/queue",
        "/agents",
        "/config",
        "/check",
        "/contacts/a0",
        "/contacts/b4",
    ] {
        let (x, y) = (a.get(&v1(path)).expect(200), b.get(&v1(path)).expect(200));
        let strip = |mut v: Value| {
            // Waits are measured at the moment of each read.
            if let Some(o) = v.as_object_mut() {
                o.remove("longest_wait_ms");
                o.remove("occupancy");
                o.remove("notready_ms_by_reason");
            }
            v
        };
        assert_eq!(strip(x), strip(y), "GET {path} differs between instances");
    }
    assert_eq!(
        a.get(&v1("/queue")).expect(200)["contacts"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );

    // A change made through one instance is streamed by the other.
    let watcher = EventStream::open(&two.url(&v1("/events")), None);
    let queued = a.get(&v1("/queue")).expect(200)["contacts"][0].clone();
    let busy = a.get(&v1("/agents?state=busy")).expect(200)["agents"][0].clone();
    let contact = a
        .get(&v1(&format!(
            "/agents/{}",
            busy.as_str().unwrap_or_default()
        )))
        .expect(200)["contact"]
        .clone();
    a.post_empty(&v1(&format!(
        "/contacts/{}/complete",
        contact.as_str().unwrap_or_default()
    )))
    .expect(200);
    let assign = watcher.next_of("acd.assign", Duration::from_secs(5));
    assert_eq!(
        assign.data["contact"], queued,
        "the head of the queue went to the freed agent"
    );
    assert_eq!(assign.data["agent"], busy);
    assert_eq!(
        b.get(&v1(&format!(
            "/contacts/{}",
            queued.as_str().unwrap_or_default()
        )))
        .expect(200)["agent"],
        busy
    );
}
