//! Live events through `acd-rest` (issue 5, part 3): the SSE streams deliver log entries as they happen (an
//! assignment within 100 ms of the ENQUEUE), the agent stream only carries its agent's entries, `Last-Event-ID`
//! resumes after an id, a trimmed log is announced with `event: gap`, and `Accept: application/json` reads a page.
//! However many streams are open on a center, the shim holds one blocked read on it; a stream outlives a Redis
//! restart and continues after the last id it sent.

mod rest_common;

use std::time::{Duration, Instant};

use acd_tests::{wait_for, Conn, Stop};
use rest_common::{start, v1, EventStream, CENTER};
use serde_json::json;

/// The bound the issue sets between an ENQUEUE and the assignment reaching a stream.
const DELIVERY_BOUND: Duration = Duration::from_millis(100);
const WAIT: Duration = Duration::from_secs(5);

#[test]
fn an_assignment_reaches_both_streams_within_100ms_of_the_enqueue() {
    let (redis, rest, api) = start();
    let mut c = redis.conn();
    api.post(
        &v1("/agents"),
        json!({"id": "ana", "skills": {"english": 1}}),
    )
    .expect(201);
    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    let center = EventStream::open(&rest.url(&v1("/events")), None);
    let agent = EventStream::open(&rest.url(&v1("/agents/ana/events")), None);

    for (round, contact) in ["c1", "c2", "c3"].into_iter().enumerate() {
        let sent = Instant::now();
        let answer = c.bulk(format!("ACD.ENQUEUE {CENTER} {contact} SKILLS 1 english"));
        assert_eq!(answer.as_deref(), Some("ana"));
        for (name, stream) in [("center", &center), ("agent", &agent)] {
            let message = stream.next_of("acd.assign", WAIT);
            let took = message.at.duration_since(sent);
            assert!(
                took < DELIVERY_BOUND,
                "round {round}: {name} stream got the assignment after {took:?}"
            );
            assert_eq!(message.data["agent"], "ana");
            assert_eq!(message.data["contact"], contact);
            assert_eq!(
                message.id,
                message.data["id"].as_u64(),
                "the SSE id is the event id"
            );
            assert_eq!(message.event, None, "default message type");
        }
        c.status(format!("ACD.COMPLETE {CENTER} {contact}"));
    }
    // The center stream started at the log's end: nothing from before it opened.
    let center_first = EventStream::open(&rest.url(&v1("/events")), None);
    c.ok(format!("ACD.NOTREADY {CENTER} ana REASON break"));
    let first = center_first.next(WAIT).expect("the next event");
    assert_eq!(
        (first.data["type"].clone(), first.data["reason"].clone()),
        (json!("acd.notready"), json!("break"))
    );
}

#[test]
fn the_agent_stream_carries_only_its_agent() {
    let (_redis, rest, api) = start();
    for id in ["ana", "bob"] {
        api.post(&v1("/agents"), json!({"id": id})).expect(201);
    }
    let ana = EventStream::open(&rest.url(&v1("/agents/ana/events")), None);
    api.post_empty(&v1("/agents/bob/ready")).expect(200);
    api.post(&v1("/contacts"), json!({"id": "for-bob"}))
        .expect(201);
    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    api.post(&v1("/contacts"), json!({"id": "for-ana"}))
        .expect(201);

    let ready = ana.next(WAIT).expect("ana's ready event");
    assert_eq!(
        (ready.data["type"].clone(), ready.data["agent"].clone()),
        (json!("acd.ready"), json!("ana"))
    );
    let assign = ana.next(WAIT).expect("ana's assignment");
    assert_eq!(assign.data["type"], "acd.assign");
    assert_eq!(assign.data["contact"], "for-ana");
    assert!(
        ana.next(Duration::from_millis(300)).is_none(),
        "nothing about bob"
    );
}

#[test]
fn last_event_id_resumes_and_json_reads_a_page() {
    let (redis, rest, _api) = start();
    let mut c = redis.conn();
    for i in 0..5 {
        c.ok(format!("ACD.AGENT.ADD {CENTER} a{i} SKILLS 0"));
    }
    // A reconnecting EventSource sends the last id it saw: the stream continues right after it.
    let resumed = EventStream::open(&rest.url(&v1("/events")), Some(2));
    let ids: Vec<u64> = (0..3)
        .filter_map(|_| resumed.next(WAIT))
        .filter_map(|m| m.id)
        .collect();
    assert_eq!(ids, [3, 4, 5]);
    let since = EventStream::open(&rest.url(&v1("/events?since=4")), None);
    assert_eq!(since.next(WAIT).expect("event 5").data["agent"], "a4");

    let reply = reqwest::blocking::Client::new()
        .get(rest.url(&v1("/events?since=1&count=2")))
        .header("accept", "application/json")
        .send()
        .expect("a page");
    assert_eq!(reply.status().as_u16(), 200);
    let body: serde_json::Value = reply.json().expect("JSON");
    let events = body["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["id"], 2);
    assert_eq!(events[0]["type"], "acd.agent.add");
    assert_eq!(events[1]["agent"], "a2");

    let bad = reqwest::blocking::Client::new()
        .get(rest.url(&v1("/events")))
        .header("last-event-id", "yesterday")
        .send()
        .expect("a reply");
    assert_eq!(bad.status().as_u16(), 400);
}

#[test]
fn a_trimmed_log_is_announced_as_a_gap() {
    let (redis, rest, api) = start();
    let mut c = redis.conn();
    api.put(&v1("/config/events-max"), json!({"value": 3}))
        .expect(200);
    for i in 0..10 {
        c.ok(format!("ACD.AGENT.ADD {CENTER} a{i} SKILLS 0"));
    }
    // Event 1 was the config change; the log now holds 9..=11.
    let stream = EventStream::open(&rest.url(&v1("/events")), Some(1));
    let gap = stream.next(WAIT).expect("a gap notice");
    assert_eq!(gap.event.as_deref(), Some("gap"));
    assert_eq!(gap.data, json!({"after": 1, "next": 9}));
    assert_eq!(stream.next(WAIT).and_then(|m| m.id), Some(9));
}

fn clients(c: &mut Conn, field: &str) -> Option<u64> {
    c.info_field("clients", field).and_then(|v| v.parse().ok())
}

#[test]
fn streams_on_one_center_share_one_blocked_read() {
    let (redis, rest, api) = start();
    let mut c = redis.conn();
    api.post(&v1("/agents"), json!({"id": "ana"})).expect(201);
    let center_url = rest.url(&v1("/events"));
    let agent_url = rest.url(&v1("/agents/ana/events"));
    let streams: Vec<EventStream> = [
        &center_url,
        &center_url,
        &center_url,
        &agent_url,
        &agent_url,
    ]
    .into_iter()
    .map(|url| EventStream::open(url, None))
    .collect();
    wait_for(WAIT, "the feed's blocked read", || {
        clients(&mut c, "blocked_clients") == Some(1)
    });
    assert_eq!(
        clients(&mut c, "connected_clients"),
        Some(3),
        "this connection, the shim's shared one and its feed's: none per stream"
    );

    api.post_empty(&v1("/agents/ana/ready")).expect(200);
    for (i, stream) in streams.iter().enumerate() {
        let message = stream.next(WAIT).expect("the ready event");
        assert_eq!(message.data["type"], "acd.ready", "stream {i}");
    }
    assert_eq!(clients(&mut c, "blocked_clients"), Some(1));
}

#[test]
fn a_stream_continues_after_redis_restarts() {
    let (mut redis, rest, _api) = start();
    let mut c = redis.conn();
    c.ok(format!("ACD.AGENT.ADD {CENTER} a0 SKILLS 0"));
    let stream = EventStream::open(&rest.url(&v1("/events")), None);
    c.ok(format!("ACD.AGENT.ADD {CENTER} a1 SKILLS 0"));
    assert_eq!(stream.next(WAIT).and_then(|m| m.id), Some(2));

    drop(c);
    redis.restart(Stop::Save);
    let mut c = redis.conn();
    c.ok(format!("ACD.AGENT.ADD {CENTER} a2 SKILLS 0"));
    let message = stream
        .next(Duration::from_secs(10))
        .expect("the entry logged after the restart");
    assert_eq!((message.id, message.event), (Some(3), None), "no gap");
    assert_eq!(message.data["agent"], "a2");
}
