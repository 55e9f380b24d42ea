//! Replication: after a seeded random workload (valid and invalid commands, mostly without AT so the primary's
//! clock decides), replicas have the same `DEBUG DIGEST`, the same `DEBUG DIGEST-VALUE` per center and answer
//! every read exactly like the primary.

use acd_tests::scenario::{self, Snapshot};
use acd_tests::{now_ms, Conn, RedisServer, Rng};
use redis::Value;

const KEYS: [&str; 2] = ["center", "center:2"];
const AGENT_COUNT: u64 = 12;
const CONTACT_COUNT: u64 = 500;
const SKILLS: [&str; 4] = ["english", "french", "billing", "tech"];

/// Generates commands; `base_ms` anchors the occasional explicit AT near the real clock.
struct Workload {
    rng: Rng,
    base_ms: u64,
}

impl Workload {
    fn new(seed: u64) -> Self {
        Workload {
            rng: Rng(seed),
            base_ms: now_ms(),
        }
    }

    fn skills(&mut self, max_level: u64) -> Vec<String> {
        let mut list: Vec<String> = Vec::new();
        for skill in SKILLS {
            if self.rng.chance(30) {
                list.push(match self.rng.below(3) {
                    0 => skill.to_string(),
                    _ => format!("{skill}={}", 1 + self.rng.below(max_level)),
                });
            }
        }
        let mut args = vec!["SKILLS".to_string(), list.len().to_string()];
        args.extend(list);
        args
    }

    /// The next command; `c` (the primary) answers the reads that pick a COMPLETE target.
    fn command(&mut self, c: &mut Conn) -> Vec<String> {
        let r = &mut self.rng;
        let key = if r.chance(10) { KEYS[1] } else { KEYS[0] }.to_string();
        let agent = format!("a{}", r.below(AGENT_COUNT));
        let contact = format!("c{}", r.below(CONTACT_COUNT));
        let skill = r.pick(&SKILLS).to_string();
        let mut cmd: Vec<String> = match r.below(100) {
            0..=5 => {
                let mut c = vec!["ACD.AGENT.ADD".into(), key, agent];
                c.extend(self.skills(10));
                if self.rng.chance(30) {
                    c.extend(["META".into(), format!("{{\"n\":{}}}", self.rng.below(1000))]);
                }
                c
            }
            6..=8 => vec!["ACD.AGENT.DEL".into(), key, agent],
            9..=10 => vec![
                "ACD.AGENT.META".into(),
                key,
                agent,
                format!("{{\"v\":{}}}", r.below(100)),
            ],
            11..=13 => {
                let level = 1 + r.below(10);
                vec![
                    "ACD.AGENT.GRANT".into(),
                    key,
                    agent,
                    format!("{skill}={level}"),
                ]
            }
            14..=15 => vec!["ACD.AGENT.REVOKE".into(), key, agent, skill],
            16 => vec!["ACD.SKILL.DEL".into(), key, skill],
            17..=27 => vec!["ACD.READY".into(), key, agent],
            28..=31 => {
                let mut c = vec!["ACD.NOTREADY".into(), key, agent];
                if r.chance(50) {
                    c.extend([
                        "REASON".into(),
                        r.pick(&["lunch", "training", "break"]).into(),
                    ]);
                }
                c
            }
            32..=51 => {
                let mut c = vec!["ACD.ENQUEUE".into(), key, contact];
                c.extend(self.skills(5));
                if self.rng.chance(40) {
                    c.extend([
                        "PRIORITY".into(),
                        (self.rng.below(5) as i64 - 2).to_string(),
                    ]);
                }
                c
            }
            52..=54 => {
                let mut c = vec!["ACD.DISPATCH".into(), key];
                if r.chance(50) {
                    c.extend(["COUNT".into(), (1 + r.below(4)).to_string()]);
                }
                c
            }
            // Mostly end a contact that an agent is handling or that waits in the queue (asking the primary
            // which), so agents free up; otherwise a random id, often unknown.
            55..=77 => {
                let target = match r.below(10) {
                    0..=5 => busy_with(c, &key, &agent),
                    6..=8 => queued(c, &key, r.below(3) as usize),
                    _ => None,
                };
                vec!["ACD.COMPLETE".into(), key, target.unwrap_or(contact)]
            }
            78..=80 => vec!["ACD.OPEN".into(), key],
            81 if r.chance(50) => vec!["ACD.CLOSE".into(), key],
            81 => vec!["ACD.OPEN".into(), key],
            82 => {
                let mode = if r.chance(70) { "auto" } else { "manual" };
                vec![
                    "ACD.CONFIG".into(),
                    key,
                    "SET".into(),
                    "mode".into(),
                    mode.into(),
                ]
            }
            83 => vec![
                "ACD.CONFIG".into(),
                key,
                "SET".into(),
                "retention".into(),
                r.below(3).to_string(),
            ],
            84..=89 => match r.below(5) {
                0 => vec!["ACD.QUEUE".into(), key],
                1 => vec!["ACD.AGENTS".into(), key],
                2 => vec!["ACD.STATS".into(), key],
                3 => vec!["ACD.AGENT.GET".into(), key, agent],
                _ => vec!["ACD.CONTACT.GET".into(), key, contact],
            },
            _ => return self.invalid(key, agent, contact),
        };
        let is_read = matches!(
            cmd[0].as_str(),
            "ACD.QUEUE" | "ACD.AGENTS" | "ACD.AGENT.GET" | "ACD.CONTACT.GET"
        );
        if !is_read && self.rng.chance(10) {
            let at = self.base_ms + self.rng.below(5_000);
            cmd.extend(["AT".into(), at.to_string()]);
        }
        cmd
    }

    fn invalid(&mut self, key: String, agent: String, contact: String) -> Vec<String> {
        let words: Vec<&str> = match self.rng.below(10) {
            0 => vec!["ACD.AGENT.ADD", &key, &agent, "SKILLS", "1", "english=11"],
            1 => vec!["ACD.ENQUEUE", &key, &contact],
            2 => vec![
                "ACD.ENQUEUE",
                &key,
                &contact,
                "SKILLS",
                "0",
                "PRIORITY",
                "x",
            ],
            3 => vec!["ACD.AGENT.ADD", &key, &agent, "SKILLS", "0", "META", "[1]"],
            4 => vec!["ACD.READY", "plain", &agent],
            5 => vec!["ACD.DISPATCH", &key, "COUNT", "0"],
            6 => vec!["ACD.CONFIG", &key, "SET", "nope", "1"],
            7 => vec!["ACD.READY", &key, &agent, "AT", "-1"],
            8 => vec!["ACD.NOTREADY", &key, &agent, "BOGUS"],
            _ => vec!["ACD.COMPLETE", &key, &contact, "extra"],
        };
        words.into_iter().map(String::from).collect()
    }
}

/// The contact `agent` handles, read from the primary.
fn busy_with(c: &mut Conn, key: &str, agent: &str) -> Option<String> {
    match c.call(["ACD.AGENT.GET", key, agent]) {
        Value::BulkString(json) => serde_json::from_slice::<serde_json::Value>(&json)
            .ok()
            .and_then(|agent| agent["contact"].as_str().map(String::from)),
        _ => None,
    }
}

/// The `n`th queued contact, read from the primary.
fn queued(c: &mut Conn, key: &str, n: usize) -> Option<String> {
    c.strings(["ACD.QUEUE", key]).into_iter().nth(n)
}

/// Runs `count` steps of the workload on the primary (some wrapped in MULTI/EXEC); returns how many replies were
/// errors.
fn run(c: &mut Conn, w: &mut Workload, count: usize) -> usize {
    let mut errors = 0;
    let mut step = 0;
    while step < count {
        let batch: Vec<Vec<String>> = (0..if w.rng.chance(2) { 3 } else { 1 })
            .map(|_| w.command(c))
            .collect();
        let replies = if batch.len() == 1 {
            vec![c.call(&batch[0])]
        } else {
            c.ok("MULTI");
            for cmd in &batch {
                assert_eq!(c.status(cmd), "QUEUED");
            }
            match c.call("EXEC") {
                Value::Array(replies) => replies,
                other => panic!("EXEC answered {other:?}"),
            }
        };
        errors += replies
            .iter()
            .filter(|r| matches!(r, Value::ServerError(_)))
            .count();
        step += batch.len();
    }
    errors
}

/// Snapshots of every center.
fn snapshots(c: &mut Conn) -> Vec<Snapshot> {
    let agents: Vec<String> = (0..AGENT_COUNT).map(|i| format!("a{i}")).collect();
    let contacts: Vec<String> = (0..CONTACT_COUNT).map(|i| format!("c{i}")).collect();
    KEYS.iter()
        .map(|key| Snapshot::take_ids(c, key, &agents, &contacts))
        .collect()
}

/// Compares the replica with the primary. The workload runs on the server's clock with retention 0-2 s, and
/// since issue 6 the primary's timer purges ended contacts on its own (replicating ACD.TICK), which could land
/// between the two reads; so the centers' timers are stopped first (`clock client`, itself a replicated write).
fn assert_replica_matches(primary: &mut Conn, replica: &RedisServer, context: &str) {
    for key in KEYS {
        primary.ok(format!("ACD.CONFIG {key} SET clock client"));
    }
    let connected: i64 = primary
        .info_field("replication", "connected_slaves")
        .and_then(|n| n.parse().ok())
        .expect("connected_slaves");
    assert_eq!(
        primary.int(format!("WAIT {connected} 5000")),
        connected,
        "{context}: every replica acknowledged"
    );
    let mut r = replica.conn();
    assert_eq!(r.digest(), primary.digest(), "{context}: DEBUG DIGEST");
    for key in KEYS {
        assert_eq!(
            r.digest_value(key),
            primary.digest_value(key),
            "{context}: DEBUG DIGEST-VALUE {key}"
        );
    }
    for (p, s) in snapshots(primary).iter().zip(snapshots(&mut r)) {
        p.assert_same(&s, &format!("{context}: primary vs replica reads"));
    }
}

/// Starts the workload's centers with a short retention, so ended contacts free their ids during the run.
fn setup(c: &mut Conn) {
    c.ok("SET plain x");
    for key in KEYS {
        c.ok(format!("ACD.CONFIG {key} SET retention 0"));
    }
}

#[test]
fn replicas_match_the_primary_after_a_random_workload() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    setup(&mut c);
    let mut workload = Workload::new(0x5EED_0001);
    let errors = run(&mut c, &mut workload, 2_000);
    let stats = c.stats("ACD.STATS center");
    eprintln!("workload: {errors} rejected commands; center: {stats:?}");
    assert!(
        errors > 100,
        "the workload should include rejected commands"
    );
    assert!(
        stats.int("enqueued_total") >= 250,
        "the workload should enqueue"
    );
    assert!(
        stats.int("assigned_total") >= 120,
        "the workload should route"
    );
    assert!(
        stats.int("completed_total") >= 100,
        "the workload should complete"
    );
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    assert_replica_matches(&mut c, &replica, "replica attached from the start");

    // A replica that joins now gets the state by full sync (RDB).
    let late = RedisServer::builder().replica_of(primary.port()).start();
    late.wait_for_master_link();
    assert_eq!(c.int("WAIT 2 5000"), 2, "both replicas acknowledged");
    assert_replica_matches(&mut c, &late, "replica attached after the workload");
}

#[test]
fn a_replica_attached_mid_workload_matches() {
    let primary = RedisServer::start();
    let mut c = primary.conn();
    setup(&mut c);
    let mut workload = Workload::new(0x5EED_0002);
    run(&mut c, &mut workload, 1_000);
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    run(&mut c, &mut workload, 1_000);
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    assert_replica_matches(&mut c, &replica, "replica attached mid-workload");
}

/// ACD.CONFIG is one command for GET and SET, registered as a write (issue 6), so a replica refuses even its
/// GET with READONLY. ACD.CONFIG.GET is its read-only twin: the replica answers it with the replicated values,
/// one parameter or all of them, and every other read too (the replica routes in manual mode).
#[test]
fn a_replica_answers_config_get_and_refuses_config() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    c.ok("ACD.CONFIG center SET mode manual");
    c.ok("ACD.CONFIG center SET retention 7");
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY center a1"), None);
    assert_eq!(c.bulk("ACD.ENQUEUE center c1 SKILLS 0"), None);
    assert_eq!(c.int("WAIT 1 5000"), 1);
    let mut r = replica.conn();
    for command in [
        "ACD.CONFIG center GET mode",
        "ACD.CONFIG center SET mode auto",
    ] {
        let got = r.err(command);
        assert!(got.starts_with("READONLY"), "{command}: {got}");
    }
    assert_eq!(
        r.bulk("ACD.CONFIG.GET center mode").as_deref(),
        Some("manual")
    );
    assert_eq!(r.int("ACD.CONFIG.GET center retention"), 7);
    let all = r.map("ACD.CONFIG.GET center");
    assert_eq!(all, c.map("ACD.CONFIG.GET center"));
    assert_eq!(
        all.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        scenario::CONFIG_PARAMS
    );
    assert!(all.contains(&("mode".into(), Value::BulkString(b"manual".to_vec()))));
    assert!(all.contains(&("retention".into(), Value::Int(7))));
    // Manual mode replicated: the queued contact was not routed to the ready agent on the replica either.
    assert_eq!(r.strings("ACD.QUEUE center"), ["c1"]);
    assert_eq!(r.strings("ACD.AGENTS center STATE ready"), ["a1"]);
    assert_eq!(r.stats("ACD.STATS center").int("queued"), 1);
    assert_eq!(r.digest_value("center"), c.digest_value("center"));
}

/// The module replicates a write without `AT` as the client's own argument strings plus `AT now`: a short one
/// and one with dozens of arguments both reach the replica whole.
#[test]
fn writes_with_many_arguments_replicate_whole() {
    let primary = RedisServer::start();
    let replica = RedisServer::builder().replica_of(primary.port()).start();
    replica.wait_for_master_link();
    let mut c = primary.conn();
    for (agent, skills) in [("few", 3), ("many", 40)] {
        let mut cmd = vec![
            "ACD.AGENT.ADD".to_string(),
            "center".into(),
            agent.into(),
            "SKILLS".into(),
            skills.to_string(),
        ];
        cmd.extend((0..skills).map(|s| format!("s{s}={}", 1 + s % 10)));
        c.ok(cmd);
    }
    assert_eq!(c.int("WAIT 1 5000"), 1, "the replica acknowledged");
    let mut r = replica.conn();
    for agent in ["few", "many"] {
        let get = format!("ACD.AGENT.GET center {agent}");
        assert_eq!(r.json(get.as_str()), c.json(get.as_str()), "{agent}");
    }
    assert_eq!(
        c.json("ACD.AGENT.GET center many")["skills"]
            .as_object()
            .map(|s| s.len()),
        Some(40)
    );
    assert_eq!(r.digest_value("center"), c.digest_value("center"));
}
