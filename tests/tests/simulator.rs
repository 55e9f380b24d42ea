//! `acd-sim` end to end against a real redis-server with the module, through the same entry point as the binary
//! (`acd_client::sim::execute`): the report agrees with ACD.STATS and with every contact's record, a seed with
//! `--speed` fixes the whole run (the same commands at the same relative times), a real-time run agrees too, a run
//! of calls and chats agrees too (its agents holding several chats at once), and an existing center is refused
//! unless `--reset`.

use std::collections::HashMap;
use std::process::ExitCode;

use acd_client::sim::{execute, Args, Report};
use acd_client::{AgentState, Client, ContactState, Event, EventKind, Stats};
use acd_tests::RedisServer;
use clap::Parser;

/// What a run printed and how it ended.
struct Run {
    status: ExitCode,
    out: String,
    err: String,
}

fn sim(server: &RedisServer, center: &str, flags: &[&str]) -> Run {
    let url = format!("redis://127.0.0.1:{}/", server.port());
    let mut words = vec!["--redis", url.as_str(), "--center", center];
    words.extend_from_slice(flags);
    let args = Args::try_parse_from(std::iter::once("acd-sim").chain(words.iter().copied()))
        .unwrap_or_else(|e| panic!("flags {words:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = execute(args, &mut out, &mut err);
    Run {
        status,
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Runs `--json` and returns the report, checking the exit status and the exact keys.
fn sim_json(server: &RedisServer, center: &str, flags: &[&str]) -> Report {
    let mut flags = flags.to_vec();
    flags.push("--json");
    let run = sim(server, center, &flags);
    assert_eq!(run.status, ExitCode::SUCCESS, "acd-sim failed: {}", run.err);
    let json: serde_json::Value = serde_json::from_str(run.out.trim()).expect("one JSON object");
    let mut keys: Vec<&str> = json
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "abandoned",
            "asa_ms",
            "handled",
            "max_wait_ms",
            "occupancy",
            "offered",
            "service_level"
        ]
    );
    serde_json::from_value(json).expect("a report")
}

/// What the center itself says after a run: its stats, every contact's record, and its event log.
struct CenterView {
    stats: Stats,
    contacts: Vec<acd_client::Contact>,
    agent_states: Vec<AgentState>,
    events: Vec<Event>,
    violations: Vec<String>,
}

fn read_center(server: &RedisServer, center: &str, contacts: usize) -> CenterView {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = Client::connect(&format!("redis://127.0.0.1:{}/", server.port()))
            .await
            .expect("connect");
        let c = client.center(center);
        let width = contacts.to_string().len();
        let mut records = Vec::new();
        for i in 1..=contacts {
            records.push(
                c.contact_get(format!("contact-{i:0width$}"))
                    .await
                    .expect("CONTACT.GET"),
            );
        }
        let mut agent_states = Vec::new();
        for id in c.agents().await.expect("AGENTS") {
            agent_states.push(c.agent_get(id).await.expect("AGENT.GET").state);
        }
        let mut events: Vec<Event> = Vec::new();
        loop {
            let since = events.last().map_or(0, |e| e.id);
            let batch = c.events().since(since).count(1000).await.expect("EVENTS");
            if batch.is_empty() {
                break;
            }
            events.extend(batch);
        }
        CenterView {
            // The center closed at the end of the run and nothing happens after, so any later "now" reads the
            // same numbers.
            stats: c.stats().await.expect("STATS"),
            contacts: records,
            agent_states,
            events,
            violations: c.check().await.expect("CHECK"),
        }
    })
}

fn assert_agrees(report: &Report, view: &CenterView, contacts: usize) {
    let stats = &view.stats;
    assert_eq!(report.offered as i64, stats.enqueued_total, "offered");
    assert_eq!(report.handled as i64, stats.completed_total, "handled");
    assert_eq!(report.abandoned as i64, stats.abandoned_total, "abandoned");
    assert_eq!(report.asa_ms, stats.avg_wait_ms, "average speed of answer");
    // The ratios come from the same integers on both sides; only the JSON text may move them by an ulp (serde_json
    // parses floats fast, not always correctly rounded).
    for (name, ours, theirs) in [
        ("service level", report.service_level, stats.service_level),
        ("occupancy", report.occupancy, stats.occupancy),
    ] {
        assert!(
            (ours - theirs).abs() < 1e-12,
            "{name}: report {ours}, ACD.STATS {theirs}"
        );
    }
    assert_eq!(report.offered as usize, contacts);
    assert_eq!(
        report.handled + report.abandoned,
        report.offered,
        "every contact ended"
    );
    assert_eq!(stats.queued, 0);

    // The longest wait, from the records: answered contacts waited until assignment, the others until they left.
    let mut longest = 0;
    for contact in &view.contacts {
        let waited_until = match contact.state {
            ContactState::Completed => contact.assigned_at,
            ContactState::Abandoned => contact.ended_at,
            other => panic!("contact {} ended as {other:?}", contact.id),
        };
        longest = longest.max(waited_until.expect("a time") - contact.enqueued_at);
    }
    assert_eq!(report.max_wait_ms, longest, "longest wait");

    assert!(
        view.violations.is_empty(),
        "ACD.CHECK: {:?}",
        view.violations
    );
    assert!(
        view.agent_states.iter().all(|s| *s == AgentState::NotReady),
        "the run closes the center: {:?}",
        view.agent_states
    );
}

/// The busy center's traffic on simulated time (the tests add the agents and the seed): 300 contacts, one every 50 to
/// 250 ms, handled for 0.3 to 1.5 s, giving up after 0.1 to 1.2 s.
const BUSY: [&str; 10] = [
    "--contacts",
    "300",
    "--arrival-ms",
    "50..250",
    "--handle-ms",
    "300..1500",
    "--patience-ms",
    "100..1200",
    "--speed",
    "500",
];

/// A busy center (few agents, impatient callers) on simulated time: handled and abandoned contacts both occur,
/// and every number of the report matches ACD.STATS and the contacts' own records.
#[test]
fn report_agrees_with_acd_stats_and_the_records() {
    let server = RedisServer::start();
    let flags = [&BUSY[..], &["--agents", "5", "--seed", "11"]].concat();
    let report = sim_json(&server, "busy", &flags);
    assert!(report.handled > 0 && report.abandoned > 0, "{report:?}");
    assert!(report.occupancy > 0.3, "{report:?}");
    assert!(report.max_wait_ms > report.asa_ms, "{report:?}");
    assert_agrees(&report, &read_center(&server, "busy", 300), 300);
}

/// The default workload (40 agents, each with one random language and one random expertise; contacts every 500 ms
/// needing one of each) on simulated time: the report agrees.
#[test]
fn default_shape_agrees_too() {
    let server = RedisServer::start();
    let report = sim_json(
        &server,
        "default",
        &["--contacts", "60", "--speed", "1000", "--seed", "5"],
    );
    assert_eq!(report.offered, 60);
    assert_agrees(&report, &read_center(&server, "default", 60), 60);
}

/// Calls and chats (`--chat-share`): every agent takes one call or up to three chats at once. The report agrees with
/// ACD.STATS and the records as for calls alone, both channels were assigned, and agents held several contacts at
/// once, which a center of calls alone never does.
#[test]
fn calls_and_chats_agree_and_agents_hold_several_chats() {
    let server = RedisServer::start();
    let chats = [
        "--agents",
        "4",
        "--chat-share",
        "0.6",
        "--chat-capacity",
        "3",
        "--seed",
        "5",
    ];
    let flags = [&BUSY[..], &chats].concat();
    let report = sim_json(&server, "chats", &flags);
    let view = read_center(&server, "chats", 300);
    assert_agrees(&report, &view, 300);
    let assigned = &view.stats.assigned_by_channel;
    for channel in ["voice", "chat"] {
        assert!(
            assigned.get(channel).is_some_and(|n| *n > 20),
            "{channel}: {assigned:?}"
        );
    }
    // The most contacts one agent held at once, from the log: one call and three chats at most.
    let mut holding: HashMap<&str, i64> = HashMap::new();
    let mut most = 0;
    for event in &view.events {
        let Some(agent) = event.agent.as_deref() else {
            continue;
        };
        let held = holding.entry(agent).or_default();
        match event.kind {
            EventKind::Assigned => *held += 1,
            EventKind::Completed => *held -= 1,
            _ => {}
        }
        most = most.max(*held);
    }
    assert!((2..=4).contains(&most), "held at once: {most}");
    assert!(holding.values().all(|held| *held == 0));
}

/// A log with its times made relative to its first entry: what a seed must fix.
fn shape(events: &[Event]) -> Vec<Event> {
    let base = events.first().map_or(0, |e| e.at);
    events
        .iter()
        .map(|e| Event {
            at: e.at - base,
            ..e.clone()
        })
        .collect()
}

/// With `--speed`, a seed fixes the run: two runs give the same report and the same event log (the same changes at
/// the same times relative to the start); another seed gives another run.
#[test]
fn a_seed_fixes_the_run() {
    let server = RedisServer::start();
    let flags = |seed: &'static str| {
        [
            "--agents",
            "4",
            "--contacts",
            "150",
            "--arrival-ms",
            "100..300",
            "--handle-ms",
            "200..1200",
            "--patience-ms",
            "100..900",
            "--speed",
            "300",
            "--seed",
            seed,
        ]
    };
    let first = sim_json(&server, "seeded-1", &flags("42"));
    let second = sim_json(&server, "seeded-2", &flags("42"));
    let other = sim_json(&server, "seeded-3", &flags("43"));
    assert_eq!(first, second);
    let logs: Vec<CenterView> = ["seeded-1", "seeded-2", "seeded-3"]
        .iter()
        .map(|c| read_center(&server, c, 150))
        .collect();
    assert!(
        logs[0].events.len() > 300,
        "a full log: {}",
        logs[0].events.len()
    );
    assert_eq!(shape(&logs[0].events), shape(&logs[1].events));
    assert_ne!(shape(&logs[0].events), shape(&logs[2].events));
    assert_agrees(&other, &logs[2], 150);
}

/// Without `--speed` the run takes real time on the server's clock (no AT), and the report still agrees.
#[test]
fn real_time_run_agrees_with_acd_stats() {
    let server = RedisServer::start();
    let report = sim_json(
        &server,
        "real",
        &[
            "--agents",
            "2",
            "--contacts",
            "25",
            "--arrival-ms",
            "20",
            "--handle-ms",
            "30..90",
            "--patience-ms",
            "20..60",
        ],
    );
    assert_eq!(report.offered, 25);
    assert_agrees(&report, &read_center(&server, "real", 25), 25);
}

/// The text report names every number; an existing center is refused (exit 1, nothing printed) unless `--reset`.
#[test]
fn text_report_and_an_existing_center() {
    let server = RedisServer::start();
    let flags = ["--contacts", "10", "--speed", "1000", "--seed", "1"];
    let run = sim(&server, "text", &flags);
    assert_eq!(run.status, ExitCode::SUCCESS, "{}", run.err);
    for label in [
        "offered",
        "handled",
        "abandoned",
        "average speed of answer",
        "longest wait",
        "service level",
        "agent occupancy",
        "seed 1",
    ] {
        assert!(run.out.contains(label), "{label} in\n{}", run.out);
    }

    let again = sim(&server, "text", &flags);
    assert_eq!(again.status, ExitCode::FAILURE);
    assert!(
        again.err.contains("center 'text' already exists"),
        "{}",
        again.err
    );
    assert!(again.out.is_empty());

    let mut reset = flags.to_vec();
    reset.push("--reset");
    let fresh = sim(&server, "text", &reset);
    assert_eq!(fresh.status, ExitCode::SUCCESS, "{}", fresh.err);
    assert_eq!(
        fresh.out,
        run.out
            .replace(&elapsed_line(&run.out), &elapsed_line(&fresh.out))
    );
}

/// The report's last line (it holds the real time taken, which differs between runs).
fn elapsed_line(text: &str) -> String {
    text.lines().last().unwrap_or_default().to_owned()
}
