//! `acd-client` end to end: every typed method against a real redis-server with the module (RESP2 and RESP3),
//! every error variant mapped from its reply, connection errors and MOVED kept distinguishable, the idempotent
//! ENQUEUE retry the crate documents, many tasks sharing one client, and a 3-primary Redis Cluster where the
//! client routes each center by its key, also while the center's slot moves (ASK) and after (MOVED).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use acd_client::{
    AcdClientError, AgentState, Assignment, Client, ConfigParam, ConfigValue, ContactState,
    ErrorCode, EventKind, Meta, Mode, Skill,
};
use acd_tests::ha::Cluster;
use acd_tests::{t, RedisServer};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs a test body on its own runtime (a client must be used on the runtime that connected it).
fn block_on<F: Future>(future: F) -> F::Output {
    runtime().block_on(future)
}

/// `T0 + offset` as the `AT` the client takes.
fn at(offset: u64) -> i64 {
    t(offset) as i64
}

fn skill(name: &str, level: u8) -> Skill {
    Skill::new(name, level)
}

fn url(server: &RedisServer, resp3: bool) -> String {
    let protocol = if resp3 { "?protocol=resp3" } else { "" };
    format!("redis://127.0.0.1:{}/{protocol}", server.port())
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Person {
    name: String,
    tier: u8,
}

/// Channels through the typed builders: capacity, a contact's channel, `voice-blocks`, the
/// per-channel fields of the agent, contact and stats records, and an estimate per channel.
#[test]
fn channels_and_capacity_through_the_builders() {
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, true)).await.expect("connect");
        let c = client.center("channels");
        c.agent_add("ana", [])
            .capacity("chat", 1)
            .capacity("voice", 1)
            .capacity("chat", 2)
            .at(at(0))
            .await
            .expect("AGENT.ADD");
        c.ready("ana").at(at(1)).await.expect("READY");
        let given = c.enqueue("k1", []).channel("chat").at(at(2)).await;
        assert_eq!(given.expect("ENQUEUE").as_deref(), Some("ana"));
        c.config_set(ConfigValue::VoiceBlocks(true))
            .at(at(3))
            .await
            .expect("CONFIG SET");
        assert_eq!(
            c.config_get(ConfigParam::VoiceBlocks)
                .await
                .expect("CONFIG GET"),
            ConfigValue::VoiceBlocks(true)
        );
        let call = c.enqueue("v1", []).at(at(4)).await.expect("ENQUEUE");
        assert_eq!(call.as_deref(), Some("ana"));
        let chat = c.enqueue("k2", []).channel("chat").at(at(5)).await;
        assert_eq!(chat.expect("ENQUEUE"), None, "blocked by the call");

        let agent = c.agent_get("ana").await.expect("AGENT.GET");
        assert_eq!(agent.contacts, ["k1", "v1"]);
        assert_eq!(agent.contact.as_deref(), Some("k1"));
        assert_eq!(
            agent.capacity,
            BTreeMap::from([("chat".into(), 2), ("voice".into(), 1)])
        );
        let k2 = c.contact_get("k2").await.expect("CONTACT.GET");
        assert_eq!(
            (k2.channel.as_str(), k2.state),
            ("chat", ContactState::Queued)
        );
        let stats = c.stats().at(at(6)).await.expect("STATS");
        assert_eq!(
            stats.queued_by_channel,
            BTreeMap::from([("chat".into(), 1)])
        );
        assert_eq!(
            stats.handling_by_channel,
            BTreeMap::from([("chat".into(), 1), ("voice".into(), 1)])
        );
        assert_eq!(stats.agents_free_by_channel, BTreeMap::new());
        let estimate = c.estimate([]).channel("email").at(at(6)).await;
        assert_eq!(estimate.expect("ESTIMATE"), None, "nobody takes email");
    });
}

/// The whole command set through the typed methods, on one connection of each protocol.
#[test]
fn every_method_round_trips_in_both_protocols() {
    let server = RedisServer::start();
    for resp3 in [false, true] {
        block_on(async {
            let client = Client::connect(&url(&server, resp3))
                .await
                .expect("connect");
            let key = format!("every-method-{resp3}");
            let c = client.center(key.as_str());
            assert_eq!(c.key(), key);

            let ana = Person {
                name: "Ana".into(),
                tier: 2,
            };
            c.agent_add("ana", [skill("english", 5), skill("billing", 1)])
                .meta(&ana)
                .at(at(0))
                .await
                .expect("AGENT.ADD");
            c.agent_add("bob", [skill("spanish", 3)])
                .at(at(0))
                .await
                .expect("AGENT.ADD");

            let agent = c.agent_get("ana").await.expect("AGENT.GET");
            assert_eq!(agent.id, "ana");
            assert_eq!(agent.state, AgentState::NotReady);
            assert_eq!(agent.since, at(0));
            assert_eq!(
                agent.skills,
                BTreeMap::from([("billing".into(), 1), ("english".into(), 5)])
            );
            assert_eq!(agent.meta_as::<Person>().expect("meta"), Some(ana));
            assert_eq!(
                c.agent_get("bob")
                    .await
                    .expect("AGENT.GET")
                    .meta_as::<Person>()
                    .expect("none"),
                None
            );

            c.agent_meta("bob", &json!({"name": "Bob"}))
                .at(at(1))
                .await
                .expect("AGENT.META");
            let bob = c.agent_get("bob").await.expect("AGENT.GET");
            assert_eq!(
                bob.meta_as::<serde_json::Value>().expect("meta"),
                Some(json!({"name": "Bob"}))
            );

            c.agent_grant("bob", [skill("english", 2), skill("spanish", 4)])
                .at(at(2))
                .await
                .expect("GRANT");
            c.agent_revoke("bob", ["spanish"])
                .at(at(3))
                .await
                .expect("REVOKE");
            let bob = c.agent_get("bob").await.expect("AGENT.GET");
            assert_eq!(bob.skills, BTreeMap::from([("english".into(), 2)]));

            assert_eq!(c.ready("ana").at(at(10)).await.expect("READY"), None);
            assert_eq!(c.ready("bob").at(at(11)).await.expect("READY"), None);
            assert_eq!(
                c.agents().state(AgentState::Ready).await.expect("AGENTS"),
                ["ana", "bob"]
            );
            c.not_ready("bob")
                .reason("lunch")
                .at(at(12))
                .await
                .expect("NOTREADY");
            assert_eq!(
                c.agent_get("bob")
                    .await
                    .expect("AGENT.GET")
                    .reason
                    .as_deref(),
                Some("lunch")
            );
            assert_eq!(c.agents().await.expect("AGENTS"), ["ana", "bob"]);

            // Routed at once to the only eligible ready agent.
            let got = c
                .enqueue("c1", [skill("english", 3)])
                .priority(2)
                .meta(&json!({"caller": "+1 555"}))
                .at(at(20))
                .await
                .expect("ENQUEUE");
            assert_eq!(got.as_deref(), Some("ana"));
            let contact = c.contact_get("c1").await.expect("CONTACT.GET");
            assert_eq!(contact.state, ContactState::Assigned);
            assert_eq!(contact.agent.as_deref(), Some("ana"));
            assert_eq!(contact.priority, 2);
            assert_eq!(
                (contact.enqueued_at, contact.assigned_at),
                (at(20), Some(at(20)))
            );
            assert_eq!(
                contact.meta_as::<serde_json::Value>().expect("meta"),
                Some(json!({"caller": "+1 555"}))
            );

            // Nobody can take these now; c3 relaxes to any agent after 5 s.
            assert_eq!(
                c.enqueue("c2", [skill("english", 9)])
                    .at(at(21))
                    .await
                    .expect("ENQUEUE"),
                None
            );
            assert_eq!(
                c.enqueue("c3", [skill("english", 9)])
                    .then(5_000, [])
                    .priority(1)
                    .at(at(22))
                    .await
                    .expect("ENQUEUE"),
                None
            );
            assert_eq!(c.queue().await.expect("QUEUE"), ["c3", "c2"]);
            assert_eq!(c.queue().count(1).await.expect("QUEUE"), ["c3"]);
            assert_eq!(
                c.estimate([skill("english", 1)])
                    .at(at(23))
                    .await
                    .expect("ESTIMATE"),
                None
            );

            assert_eq!(
                c.complete("c1").at(at(1_020)).await.expect("COMPLETE"),
                ContactState::Completed
            );
            // Completing again answers the end state again.
            assert_eq!(
                c.complete("c1").at(at(1_021)).await.expect("COMPLETE"),
                ContactState::Completed
            );
            assert_eq!(
                c.complete("c2").at(at(1_022)).await.expect("COMPLETE"),
                ContactState::Abandoned
            );
            assert_eq!(
                c.estimate([skill("english", 1)])
                    .at(at(1_023))
                    .await
                    .expect("ESTIMATE"),
                Some(0)
            );

            assert_eq!(
                c.skill_del("billing")
                    .at(at(1_030))
                    .await
                    .expect("SKILL.DEL"),
                1
            );
            assert_eq!(c.tick().at(at(1_031)).await.expect("TICK"), 0);
            assert!(c.check().await.expect("CHECK").is_empty());

            // c3's requirement relaxes at 22 + 5000: the ready agent takes it on the next write.
            c.tick().at(at(5_100)).await.expect("TICK");
            assert_eq!(
                c.contact_get("c3")
                    .await
                    .expect("CONTACT.GET")
                    .agent
                    .as_deref(),
                Some("ana")
            );
            c.complete("c3").at(at(6_000)).await.expect("COMPLETE");

            // Manual mode: only DISPATCH routes.
            c.config_set(ConfigValue::Mode(Mode::Manual))
                .at(at(7_000))
                .await
                .expect("CONFIG SET");
            assert_eq!(
                c.config_get(ConfigParam::Mode).await.expect("CONFIG GET"),
                ConfigValue::Mode(Mode::Manual)
            );
            assert_eq!(
                c.config_get(ConfigParam::SlaThreshold)
                    .await
                    .expect("CONFIG GET"),
                ConfigValue::Number(ConfigParam::SlaThreshold, 20_000)
            );
            let all = c.config_all().await.expect("CONFIG.GET");
            assert_eq!(
                all.iter().map(|v| v.param()).collect::<Vec<_>>(),
                ConfigParam::ALL
            );
            assert!(all.contains(&ConfigValue::Mode(Mode::Manual)));
            assert!(all.contains(&ConfigValue::Number(ConfigParam::SlaThreshold, 20_000)));
            c.enqueue("c4", []).at(at(7_001)).await.expect("ENQUEUE");
            c.enqueue("c5", []).at(at(7_002)).await.expect("ENQUEUE");
            assert_eq!(
                c.dispatch().count(5).at(at(7_003)).await.expect("DISPATCH"),
                [Assignment {
                    contact: "c4".into(),
                    agent: "ana".into()
                }]
            );
            assert_eq!(c.dispatch().at(at(7_004)).await.expect("DISPATCH"), []);

            // Offers: ACCEPT and REJECT.
            c.complete("c4").at(at(7_010)).await.expect("COMPLETE");
            c.config_set(ConfigValue::Number(ConfigParam::OfferTimeout, 60_000))
                .at(at(7_011))
                .await
                .expect("CONFIG SET");
            let offers = c.dispatch().at(at(7_012)).await.expect("DISPATCH");
            assert_eq!(offers.len(), 1, "{offers:?}");
            assert_eq!(
                c.agent_get("ana").await.expect("AGENT.GET").state,
                AgentState::Offered
            );
            c.reject("c5").at(at(7_013)).await.expect("REJECT");
            c.ready("ana").at(at(7_014)).await.expect("READY");
            c.dispatch().at(at(7_015)).await.expect("DISPATCH");
            c.accept("c5").at(at(7_016)).await.expect("ACCEPT");
            assert_eq!(
                c.agent_get("ana").await.expect("AGENT.GET").state,
                AgentState::Busy
            );

            // AGENT.DEL of a busy agent puts its contact back in the queue.
            c.agent_del("ana").at(at(7_020)).await.expect("AGENT.DEL");
            assert_eq!(c.queue().await.expect("QUEUE"), ["c5"]);

            c.close().at(at(8_000)).await.expect("CLOSE");
            c.open().at(at(8_001)).await.expect("OPEN");

            let stats = c.stats().at(at(8_002)).await.expect("STATS");
            assert_eq!(stats.enqueued_total, 5);
            assert_eq!(stats.completed_total, 3);
            assert_eq!(stats.abandoned_total, 1);
            assert_eq!(stats.rejected_total, 1);
            assert_eq!(stats.queued, 1);
            assert_eq!(stats.agents_ready, 1);
            assert_eq!(stats.longest_wait_ms, 8_002 - 7_002);
            assert!((0.0..=1.0).contains(&stats.service_level));
            assert_eq!(stats.queued_by_skill, BTreeMap::new());
            assert!(stats.notready_ms_by_reason.contains_key("lunch"));

            let events = c.events().since(0).count(1_000).await.expect("EVENTS");
            assert!(
                events.windows(2).all(|w| w[0].id + 1 == w[1].id),
                "ids are consecutive"
            );
            let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
            for kind in [
                EventKind::AgentAdded,
                EventKind::AgentUpdated,
                EventKind::Ready,
                EventKind::NotReady,
                EventKind::Enqueued,
                EventKind::Assigned,
                EventKind::Completed,
                EventKind::Abandoned,
                EventKind::Offered,
                EventKind::Rejected,
                EventKind::Requeued,
                EventKind::AgentDeleted,
                EventKind::Opened,
                EventKind::Closed,
                EventKind::Configured,
            ] {
                assert!(kinds.contains(&kind), "no {kind:?} in {kinds:?}");
            }
            let last = events.last().expect("events").id;
            assert_eq!(c.events().since(last).await.expect("EVENTS"), []);
            assert_eq!(
                c.events()
                    .since(last - 2)
                    .count(1)
                    .await
                    .expect("EVENTS")
                    .len(),
                1
            );
        });
    }
}

/// A blocking `ACD.EVENTS ... BLOCK` on a dedicated connection wakes on a write sent on the shared one, and a
/// timeout answers an empty list.
#[test]
fn blocking_events_on_a_dedicated_connection() {
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, false))
            .await
            .expect("connect");
        let c = client.center("blocking");
        c.agent_add("a1", []).at(at(0)).await.expect("AGENT.ADD");
        let last = c
            .events()
            .await
            .expect("EVENTS")
            .last()
            .expect("an event")
            .id;

        let listener = client
            .dedicated()
            .await
            .expect("a dedicated connection")
            .center("blocking");
        assert_eq!(
            listener
                .events()
                .since(last)
                .block(50)
                .await
                .expect("EVENTS BLOCK"),
            []
        );
        let waiting =
            tokio::spawn(async move { listener.events().since(last).block(10_000).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The shared connection is not held up by the blocked read.
        c.ready("a1").at(at(1)).await.expect("READY");
        let woke = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the blocked read answers")
            .expect("the task finishes")
            .expect("EVENTS BLOCK");
        assert_eq!(woke.len(), 1);
        assert_eq!(woke[0].kind, EventKind::Ready);
        assert_eq!(woke[0].agent.as_deref(), Some("a1"));
    });
}

/// Each reply error code arrives as its variant with the server's message, and `code()` names it.
#[test]
fn every_error_reply_maps_to_its_variant() {
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, true)).await.expect("connect");
        let c = client.center("errors");
        c.agent_add("a1", [skill("english", 1)])
            .at(at(0))
            .await
            .expect("AGENT.ADD");

        let err = c.agent_get("ghost").await.expect_err("NOAGENT");
        assert!(
            matches!(&err, AcdClientError::NoAgent(m) if m == "no such agent 'ghost'"),
            "{err:?}"
        );
        assert_eq!(err.code(), Some(ErrorCode::NoAgent));

        let err = c.contact_get("ghost").await.expect_err("NOCONTACT");
        assert!(
            matches!(&err, AcdClientError::NoContact(m) if m == "no such contact 'ghost'"),
            "{err:?}"
        );

        let err = c.agent_add("a1", []).await.expect_err("EXISTS");
        assert!(
            matches!(&err, AcdClientError::Exists(m) if m == "agent 'a1' already exists"),
            "{err:?}"
        );

        c.ready("a1").at(at(1)).await.expect("READY");
        c.config_set(ConfigValue::Number(ConfigParam::OfferTimeout, 60_000))
            .at(at(1))
            .await
            .expect("CONFIG SET");
        c.enqueue("c1", [skill("english", 1)])
            .at(at(2))
            .await
            .expect("ENQUEUE");
        let err = c.not_ready("a1").at(at(3)).await.expect_err("BUSYAGENT");
        assert!(
            matches!(&err, AcdClientError::BusyAgent(m) if m == "agent 'a1' is handling contact 'c1'"),
            "{err:?}"
        );
        c.accept("c1").at(at(3)).await.expect("ACCEPT");

        let err = c.accept("c1").at(at(4)).await.expect_err("NOTOFFERED");
        assert!(matches!(&err, AcdClientError::NotOffered(_)), "{err:?}");
        assert_eq!(err.code(), Some(ErrorCode::NotOffered));

        c.config_set(ConfigValue::Number(ConfigParam::MaxQueue, 1))
            .at(at(5))
            .await
            .expect("CONFIG SET");
        c.enqueue("c2", [skill("french", 1)])
            .at(at(6))
            .await
            .expect("ENQUEUE");
        let err = c
            .enqueue("c3", [skill("french", 1)])
            .at(at(7))
            .await
            .expect_err("QUEUEFULL");
        assert!(matches!(&err, AcdClientError::QueueFull(_)), "{err:?}");

        c.close().at(at(8)).await.expect("CLOSE");
        let err = c.enqueue("c4", []).at(at(9)).await.expect_err("CLOSED");
        assert!(
            matches!(&err, AcdClientError::Closed(m) if m == "center is closed"),
            "{err:?}"
        );
        assert_eq!(err.code(), Some(ErrorCode::Closed));

        // GRANT with no skill is short of arguments.
        let err = c.agent_grant("a1", []).await.expect_err("arity");
        assert!(
            matches!(&err, AcdClientError::Syntax(m) if m.starts_with("wrong number of arguments")),
            "{err:?}"
        );
        assert_eq!(err.code(), Some(ErrorCode::Err));

        let err = c
            .agent_add("a2", [skill("english", 11)])
            .await
            .expect_err("level");
        assert!(
            matches!(&err, AcdClientError::InvalidArgument(m) if m == "level must be an integer from 1 to 10"),
            "{err:?}"
        );
        let err = c
            .agent_add("a2", [])
            .meta(&json!([1, 2]))
            .await
            .expect_err("meta");
        assert!(
            matches!(&err, AcdClientError::InvalidArgument(m) if m == "meta must be a JSON object"),
            "{err:?}"
        );
        let err = c.agent_add("", []).await.expect_err("empty id");
        assert!(
            matches!(&err, AcdClientError::InvalidArgument(m) if m == "id must be non-empty"),
            "{err:?}"
        );

        // A meta value serde refuses never reaches the server.
        let unserializable: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
        let err = c
            .agent_meta("a1", &unserializable)
            .await
            .expect_err("serde");
        assert!(matches!(err, AcdClientError::Meta(_)), "{err:?}");
        assert_eq!(err.code(), None);

        let mut plain = client.connection();
        redis::cmd("SET")
            .arg("a-string")
            .arg("x")
            .query_async::<()>(&mut plain)
            .await
            .expect("SET");
        let err = client
            .center("a-string")
            .stats()
            .await
            .expect_err("WRONGTYPE");
        assert!(matches!(&err, AcdClientError::WrongType(_)), "{err:?}");

        // Every refusal above left the center sound and the failed writes changed nothing.
        assert!(c.check().await.expect("CHECK").is_empty());
        assert!(c.agent_get("a2").await.is_err());
    });
}

/// `send_with` pipelines two calls in one round trip: the second sees the first's effect, both run even when one
/// fails, and the first error is answered.
#[test]
fn two_calls_in_one_round_trip() {
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, false))
            .await
            .expect("connect");
        let c = client.center("pipelined");
        let ((), agent) = c
            .agent_add("a1", [skill("english", 2)])
            .at(at(0))
            .send_with(c.agent_get("a1"))
            .await
            .expect("both succeed");
        assert_eq!(agent.skills, BTreeMap::from([("english".into(), 2)]));

        let err = c
            .agent_get("ghost")
            .send_with(c.ready("a1").at(at(1)))
            .await
            .expect_err("the first fails");
        assert!(matches!(err, AcdClientError::NoAgent(_)), "{err:?}");
        // The second ran all the same.
        let agent = c.agent_get("a1").await.expect("AGENT.GET");
        assert_eq!(agent.state, AgentState::Ready);
    });
}

/// Connection failures stay `Redis` errors that say so, apart from refusals.
#[test]
fn connection_errors_are_distinguishable() {
    let mut server = RedisServer::start();
    let url = url(&server, false);
    block_on(async {
        let client = Client::connect(&url).await.expect("connect");
        let c = client.center("lost");
        c.agent_add("a1", []).await.expect("AGENT.ADD");
        server.stop(acd_tests::Stop::Kill);
        let err = c.agent_get("a1").await.expect_err("the server is gone");
        assert!(err.is_connection_error(), "{err:?}");
        assert!(err.redis().is_some());
        assert_eq!(err.code(), None);
        assert!(!err.is_redirect() && !err.is_try_again());

        let err = Client::connect(&url).await.err().expect("nobody listens");
        assert!(err.is_connection_error(), "{err:?}");
    });
}

/// The retry the crate documents: a caller that lost ENQUEUE's reply sends it again; `EXISTS` says it was applied,
/// and CONTACT.GET names the agent the lost reply would have named.
#[test]
fn enqueue_retried_after_a_lost_reply_is_applied_once() {
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, false))
            .await
            .expect("connect");
        let c = client.center("retry");
        c.agent_add("a1", []).at(at(0)).await.expect("AGENT.ADD");
        c.ready("a1").at(at(1)).await.expect("READY");
        // The first attempt is applied, but its reply never reaches the caller.
        let lost = c.enqueue("call-1", []).at(at(10));
        drop(lost.send().await);

        let retried = c.enqueue("call-1", []).at(at(10)).await;
        let agent = match retried {
            Err(AcdClientError::Exists(_)) => {
                c.contact_get("call-1").await.expect("CONTACT.GET").agent
            }
            other => panic!("the retry must answer EXISTS, got {other:?}"),
        };
        assert_eq!(agent.as_deref(), Some("a1"));
        let stats = c.stats().at(at(11)).await.expect("STATS");
        assert_eq!((stats.enqueued_total, stats.assigned_total), (1, 1));
    });
}

/// Many tasks share one client (one multiplexed connection): every call is answered and counted once.
#[test]
fn concurrent_tasks_share_one_client() {
    const AGENTS: usize = 50;
    const CONTACTS: usize = 400;
    let server = RedisServer::start();
    block_on(async {
        let client = Client::connect(&url(&server, false))
            .await
            .expect("connect");
        let c = client.center("shared");
        let adds = (0..AGENTS).map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.agent_add(format!("a{i}"), []).await })
        });
        for add in futures_join(adds).await {
            add.expect("AGENT.ADD");
        }
        c.open().await.expect("OPEN");
        let enqueues = (0..CONTACTS).map(|i| {
            let c = c.clone();
            tokio::spawn(async move { c.enqueue(format!("c{i}"), []).await })
        });
        let assigned = futures_join(enqueues)
            .await
            .into_iter()
            .map(|r| r.expect("ENQUEUE"))
            .filter(Option::is_some)
            .count();
        assert_eq!(assigned, AGENTS);
        let stats = c.stats().await.expect("STATS");
        assert_eq!(stats.enqueued_total as usize, CONTACTS);
        assert_eq!(stats.queued as usize, CONTACTS - AGENTS);
        assert_eq!(stats.agents_busy as usize, AGENTS);
    });
}

/// Awaits spawned tasks in order.
async fn futures_join<T>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("the task does not panic"));
    }
    out
}

/// Against 3 primaries: centers spread over every primary, each routed by its key; a center keeps working while
/// its slot moves to another primary (the client follows ASK, then MOVED); a plain node connection that does not
/// follow redirections reports MOVED as a redirect, not as an ACD error.
#[test]
fn cluster_routes_each_center_by_its_key() {
    const CENTERS: usize = 12;
    let cluster = Cluster::start(3, 0, 2_000);
    let nodes: Vec<String> = cluster
        .primaries()
        .into_iter()
        .map(|i| node_url(&cluster, i))
        .collect();
    let rt = runtime();
    let client = rt
        .block_on(Client::connect_cluster(&nodes))
        .expect("connect to the cluster");
    let name = |i: usize| format!("center:{i}");

    rt.block_on(async {
        for i in 0..CENTERS {
            let c = client.center(name(i));
            c.agent_add("a1", [skill("english", 3)])
                .at(at(0))
                .await
                .expect("AGENT.ADD");
            c.ready("a1").at(at(1)).await.expect("READY");
            let agent = c
                .enqueue("c1", [skill("english", 2)])
                .at(at(2))
                .await
                .expect("ENQUEUE");
            assert_eq!(agent.as_deref(), Some("a1"), "center {i}");
        }
    });
    let mut owners = std::collections::BTreeSet::new();
    for i in 0..CENTERS {
        let owner = cluster.owner(cluster.slot_of(&name(i)));
        assert!(
            cluster.conn(owner).exists(&name(i)),
            "center {i} is on the node serving its slot"
        );
        owners.insert(owner);
    }
    assert_eq!(owners.len(), 3, "the centers spread over every primary");

    // Move center:0's slot to another primary; write to it between the key's move and the ownership change.
    let moved = name(0);
    let slot = cluster.slot_of(&moved);
    let from = cluster.owner(slot);
    let to = cluster
        .primaries()
        .into_iter()
        .find(|p| *p != from)
        .expect("another primary");
    let c = client.center(moved.as_str());
    cluster.move_slot(slot, from, to, || {
        let state = rt
            .block_on(c.complete("c1").at(at(10)).send())
            .expect("COMPLETE during the move (ASK)");
        assert_eq!(state, ContactState::Completed);
    });
    rt.block_on(async {
        let agent = c
            .enqueue("c2", [])
            .at(at(20))
            .await
            .expect("ENQUEUE after the move (MOVED)");
        assert_eq!(agent.as_deref(), Some("a1"));
        // A pipeline of two calls on one center goes to the node serving its slot.
        let (stats, events) = c
            .stats()
            .at(at(21))
            .send_with(c.events().count(1_000))
            .await
            .expect("STATS and EVENTS in one round trip");
        assert_eq!((stats.enqueued_total, stats.completed_total), (2, 1));
        assert!(events.iter().any(|e| e.kind == EventKind::Completed));
    });
    assert!(cluster.conn(to).exists(&moved));

    // A single-node client pointed at the old owner does not follow redirections.
    let direct = rt
        .block_on(Client::connect(&node_url(&cluster, from)))
        .expect("connect to one node");
    let err = rt
        .block_on(direct.center(moved.as_str()).stats().send())
        .expect_err("MOVED");
    assert!(err.is_redirect() && err.is_transient(), "{err:?}");
    assert!(
        !err.is_connection_error() && err.code().is_none(),
        "{err:?}"
    );
}

/// `redis://127.0.0.1:PORT/` of cluster node `i`, as the node reports its port.
fn node_url(cluster: &Cluster, i: usize) -> String {
    let port = cluster
        .conn(i)
        .info_field("server", "tcp_port")
        .expect("INFO server has tcp_port");
    format!("redis://127.0.0.1:{port}/")
}
