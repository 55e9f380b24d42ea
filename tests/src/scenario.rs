//! Populated centers and snapshots of them, shared by the persistence, replication and error tests.
//!
//! [`populate_auto`] and [`populate_manual_closed`] build centers that hold every kind of state of the base
//! contract (ready, notready with and without reason, busy agents, a busy agent that goes notready when its
//! contact completes because the center is closed, queued contacts of several priorities, assigned, completed
//! and abandoned contacts kept by retention, meta, non-default config); [`populate_behaviours`] builds one with
//! the issue-6 state (offered agents and contacts with pending offer deadlines, an agent in wrap-up, missed-offer
//! counts, queued contacts under `max-wait`, a timed-out contact, every numeric setting changed, a trimmed event
//! log); [`populate_channels`] one with agents holding several contacts on several channels (offers, wrap-ups
//! and a call under `voice-blocks`). They only require each command to succeed: the routing and behaviour tests check what the replies
//! should be. [`continue_auto`], [`continue_manual_closed`] and [`continue_behaviours`] then exercise that state
//! (the last one drives every pending deadline with `AT`), so a center that lost an index, an order, a flag, a
//! deadline or a counter while being saved and loaded answers them differently from one that did not.
//! [`SCENARIOS`] lists the four. [`Snapshot`] records everything a client can read about a center.

use redis::Value;

use crate::{at, Conn};

/// Every agent id the scenarios use (and one they never create).
pub const AGENTS: &[&str] = &["a1", "a2", "a3", "a4", "a5", "a9", "nobody"];
/// Every contact id the scenarios use (and one they never create).
pub const CONTACTS: &[&str] = &["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "nothing"];
/// Every `ACD.CONFIG` parameter.
pub const CONFIG_PARAMS: [&str; 14] = [
    "mode",
    "retention",
    "offer-timeout",
    "max-no-answer",
    "wrapup",
    "max-wait",
    "max-queue",
    "events-max",
    "sla-threshold",
    "clock",
    "priority-age",
    "strategy",
    "occupancy-window",
    "voice-blocks",
];
/// The `AT` offset the snapshots use for ACD.STATS (later than every scenario step).
pub const SNAPSHOT_AT: u64 = 1_000_000;

/// Runs `steps` (templates for [`at`], with `{k}` standing for `key`) and requires each reply not to be an
/// error.
fn run(c: &mut Conn, key: &str, steps: &[&str]) {
    for step in steps {
        let args = at(&step.replace("{k}", key));
        if let Some(error) = crate::error_text(&c.call(&args)) {
            panic!("scenario step `{}` failed: {error}", crate::show(&args));
        }
    }
}

/// Runs `steps` like [`run`] and returns the replies, errors included: continuations expect some.
fn run_any(c: &mut Conn, key: &str, steps: &[&str]) -> Vec<Value> {
    steps
        .iter()
        .map(|step| c.call(at(&step.replace("{k}", key))))
        .collect()
}

/// On `center`: offers go out with `offer_timeout_ms`, agent `a1` (no skills) is ready, and
/// contact `c1` is enqueued and offered to it: an offer deadline is pending.
pub fn offer_c1_to_a1(c: &mut Conn, offer_timeout_ms: u64) {
    c.ok(format!(
        "ACD.CONFIG center SET offer-timeout {offer_timeout_ms}"
    ));
    c.ok("ACD.AGENT.ADD center a1 SKILLS 0");
    assert_eq!(c.bulk("ACD.READY center a1"), None);
    assert_eq!(
        c.bulk("ACD.ENQUEUE center c1 SKILLS 0").as_deref(),
        Some("a1")
    );
}

/// An open center in auto mode: a1 and a3 busy, a2 ready, a4 notready (reason `lunch`), a5 notready; c2, c7, c4
/// queued; c3 completed and c6 abandoned, both retained; retention 100000 s.
pub fn populate_auto(c: &mut Conn, key: &str) {
    run(
        c,
        key,
        &[
            "ACD.CONFIG {k} SET retention 100000 @0",
            r#"ACD.AGENT.ADD {k} a1 SKILLS 2 english=3 billing META {"name":"Ann","tags":[1,2]} @0"#,
            "ACD.AGENT.ADD {k} a2 SKILLS 1 english @1",
            "ACD.AGENT.ADD {k} a3 SKILLS 1 french=5 @2",
            "ACD.AGENT.ADD {k} a4 SKILLS 0 @3",
            "ACD.AGENT.ADD {k} a5 SKILLS 2 english=10 spanish=2 @4",
            "ACD.READY {k} a1 @10",
            "ACD.READY {k} a2 @11",
            "ACD.READY {k} a3 @12",
            r#"ACD.ENQUEUE {k} c1 SKILLS 1 english=2 PRIORITY 1 META {"crm":42} @20"#,
            "ACD.ENQUEUE {k} c2 SKILLS 1 german @21",
            "ACD.ENQUEUE {k} c3 SKILLS 1 english @22",
            "ACD.ENQUEUE {k} c4 SKILLS 1 english=5 PRIORITY -3 @23",
            "ACD.ENQUEUE {k} c5 SKILLS 0 PRIORITY 7 @24",
            "ACD.COMPLETE {k} c3 @30",
            "ACD.ENQUEUE {k} c6 SKILLS 1 spanish @31",
            "ACD.COMPLETE {k} c6 @32",
            "ACD.NOTREADY {k} a4 REASON lunch @40",
            "ACD.ENQUEUE {k} c7 SKILLS 2 english billing @41",
        ],
    );
}

/// Commands that exercise a center built by [`populate_auto`]; returns their replies.
pub fn continue_auto(c: &mut Conn, key: &str) -> Vec<Value> {
    run_any(
        c,
        key,
        &[
            "ACD.ENQUEUE {k} c3 SKILLS 0 @100",
            "ACD.COMPLETE {k} c6 @101",
            "ACD.READY {k} a5 @200",
            "ACD.COMPLETE {k} c1 @201",
            "ACD.AGENT.GRANT {k} a2 german @202",
            "ACD.ENQUEUE {k} c8 SKILLS 0 @203",
            "ACD.AGENT.DEL {k} a3 @204",
            "ACD.QUEUE {k}",
            "ACD.NOTREADY {k} a4 @205",
            "ACD.OPEN {k} @206",
            "ACD.AGENTS {k} STATE ready",
            "ACD.STATS {k} @300",
            "ACD.AGENT.ADD {k} a9 SKILLS 0 @100000030",
            "ACD.CONTACT.GET {k} c3",
            "ACD.AGENT.ADD {k} a3 SKILLS 0 @100000032",
            "ACD.CONTACT.GET {k} c6",
        ],
    )
}

/// A closed center in manual mode: a1 busy with c1 (goes notready when c1 completes), a2 and a3 notready
/// (reason `closed`); c2, c4, c5 queued; c3 abandoned and retained; retention 50 s.
pub fn populate_manual_closed(c: &mut Conn, key: &str) {
    run(
        c,
        key,
        &[
            "ACD.CONFIG {k} SET mode manual @0",
            "ACD.CONFIG {k} SET retention 50 @0",
            "ACD.AGENT.ADD {k} a1 SKILLS 1 english=2 @0",
            r#"ACD.AGENT.ADD {k} a2 SKILLS 2 english french=4 META {"team":"fr"} @1"#,
            "ACD.AGENT.ADD {k} a3 SKILLS 0 @2",
            "ACD.READY {k} a1 @5",
            "ACD.READY {k} a3 @6",
            "ACD.READY {k} a2 @7",
            "ACD.ENQUEUE {k} c1 SKILLS 1 english PRIORITY 2 @10",
            "ACD.ENQUEUE {k} c2 SKILLS 1 french=3 @11",
            "ACD.ENQUEUE {k} c3 SKILLS 0 @12",
            "ACD.ENQUEUE {k} c4 SKILLS 1 german @13",
            "ACD.DISPATCH {k} COUNT 1 @20",
            "ACD.ENQUEUE {k} c5 SKILLS 0 @21",
            "ACD.COMPLETE {k} c3 @22",
            "ACD.CLOSE {k} @30",
        ],
    );
}

/// Commands that exercise a center built by [`populate_manual_closed`]; returns their replies.
pub fn continue_manual_closed(c: &mut Conn, key: &str) -> Vec<Value> {
    run_any(
        c,
        key,
        &[
            "ACD.ENQUEUE {k} c6 SKILLS 0 @300",
            "ACD.READY {k} a3 @301",
            "ACD.COMPLETE {k} c1 @302",
            "ACD.AGENTS {k} STATE notready",
            "ACD.AGENT.GET {k} a1",
            "ACD.OPEN {k} @303",
            "ACD.AGENTS {k} STATE ready",
            "ACD.DISPATCH {k} @304",
            "ACD.QUEUE {k}",
            "ACD.ENQUEUE {k} c3 SKILLS 0 @305",
            "ACD.AGENT.ADD {k} a9 SKILLS 0 @50022",
            "ACD.CONTACT.GET {k} c3",
            "ACD.CONFIG {k} SET mode auto @50023",
            "ACD.STATS {k} @60000",
        ],
    )
}

/// An open center in auto mode with offers (timeout 500 ms, `max-no-answer` 2), wrap-up (1000 ms), `max-wait`
/// (60 s), `max-queue` 10, `sla-threshold` 5 s and `events-max` 30 (35 events so far: ids 6..=35 kept): a1 in
/// wrap-up until +1060, a2 offered c2
/// (deadline +550, one miss), a3 offered c3 (deadline +570), a4 notready (`training`), a5 notready; c4 and c5
/// queued, c1 completed, c6 timed out at +5 (both retained); retention 100000 s.
pub fn populate_behaviours(c: &mut Conn, key: &str) {
    run(
        c,
        key,
        &[
            "ACD.CONFIG {k} SET retention 100000 @0",
            "ACD.CONFIG {k} SET offer-timeout 500 @0",
            "ACD.CONFIG {k} SET wrapup 1000 @0",
            "ACD.CONFIG {k} SET max-no-answer 2 @0",
            "ACD.CONFIG {k} SET max-queue 10 @0",
            "ACD.CONFIG {k} SET sla-threshold 5000 @0",
            "ACD.CONFIG {k} SET max-wait 5 @0",
            "ACD.ENQUEUE {k} c6 SKILLS 1 german @0",
            "ACD.AGENT.ADD {k} a1 SKILLS 1 english @0",
            "ACD.AGENT.ADD {k} a2 SKILLS 1 english @0",
            "ACD.AGENT.ADD {k} a3 SKILLS 1 french @0",
            r#"ACD.AGENT.ADD {k} a4 SKILLS 0 META {"team":"x"} @0"#,
            "ACD.AGENT.ADD {k} a5 SKILLS 2 english french=3 @0",
            "ACD.CONFIG {k} SET max-wait 60000 @5",
            "ACD.READY {k} a1 @10",
            "ACD.READY {k} a2 @11",
            "ACD.READY {k} a3 @12",
            "ACD.ENQUEUE {k} c1 SKILLS 1 english @20",
            "ACD.ACCEPT {k} c1 @30",
            "ACD.ENQUEUE {k} c2 SKILLS 1 english @40",
            "ACD.REJECT {k} c2 @50",
            "ACD.COMPLETE {k} c1 @60",
            "ACD.ENQUEUE {k} c3 SKILLS 1 french @70",
            "ACD.ENQUEUE {k} c4 SKILLS 1 german @80",
            r#"ACD.ENQUEUE {k} c5 SKILLS 0 PRIORITY 3 META {"vip":true} @90"#,
            "ACD.NOTREADY {k} a4 REASON training @100",
            "ACD.CONFIG {k} SET events-max 30 @200",
        ],
    );
}

/// Commands that exercise a center built by [`populate_behaviours`], passing every pending deadline with `AT`;
/// returns their replies.
pub fn continue_behaviours(c: &mut Conn, key: &str) -> Vec<Value> {
    run_any(
        c,
        key,
        &[
            "ACD.ACCEPT {k} c3 @300",
            "ACD.TICK {k} @560",
            "ACD.AGENTS {k} STATE notready",
            "ACD.QUEUE {k}",
            "ACD.READY {k} a1 @600",
            "ACD.REJECT {k} c5 @700",
            "ACD.COMPLETE {k} c3 @800",
            "ACD.ENQUEUE {k} c7 SKILLS 0 @900",
            "ACD.TICK {k} @5000",
            "ACD.AGENTS {k} STATE ready",
            "ACD.AGENTS {k} STATE offered",
            "ACD.STATS {k} @5000",
            "ACD.EVENTS {k} COUNT 1000",
            "ACD.OPEN {k} @5100",
            "ACD.TICK {k} @70000",
            "ACD.CHECK {k}",
            "ACD.STATS {k} @70000",
            "ACD.AGENT.ADD {k} a9 SKILLS 0 @100000100",
            "ACD.CONTACT.GET {k} c6",
            "ACD.EVENTS {k} SINCE 90 COUNT 1000",
        ],
    )
}

/// Builds a center whose agents hold several contacts on several channels: a1 (voice=1 chat=2) with a call and
/// a chat under `voice-blocks`, a2 (chat=3) with an accepted chat, an offered one and a chat wrap-up, a3
/// (email=2, not ready), and contacts queued on chat and email.
pub fn populate_channels(c: &mut Conn, key: &str) {
    run(
        c,
        key,
        &[
            "ACD.CONFIG {k} SET retention 100000 @0",
            "ACD.CONFIG {k} SET offer-timeout 500 @0",
            "ACD.CONFIG {k} SET wrapup 1000 @0",
            "ACD.CONFIG {k} SET voice-blocks yes @0",
            "ACD.AGENT.ADD {k} a1 SKILLS 1 english CAPACITY voice=1 chat=2 @0",
            "ACD.AGENT.ADD {k} a2 SKILLS 1 english CAPACITY chat=3 @0",
            "ACD.AGENT.ADD {k} a3 SKILLS 0 CAPACITY email=2 @0",
            "ACD.READY {k} a1 @10",
            "ACD.READY {k} a2 @11",
            "ACD.ENQUEUE {k} c1 SKILLS 0 CHANNEL chat @20",
            "ACD.ACCEPT {k} c1 @21",
            "ACD.ENQUEUE {k} c2 SKILLS 1 english @30",
            "ACD.ACCEPT {k} c2 @31",
            "ACD.ENQUEUE {k} c3 SKILLS 0 CHANNEL chat @40",
            "ACD.ACCEPT {k} c3 @41",
            "ACD.ENQUEUE {k} c4 SKILLS 0 CHANNEL chat @50",
            "ACD.COMPLETE {k} c3 @60",
            "ACD.ENQUEUE {k} c5 SKILLS 0 CHANNEL chat @70",
            "ACD.ENQUEUE {k} c6 SKILLS 0 CHANNEL email PRIORITY 2 @80",
            "ACD.ENQUEUE {k} c7 SKILLS 1 english CHANNEL chat @90",
        ],
    );
}

/// Commands that exercise a center built by [`populate_channels`], passing every pending deadline with `AT`;
/// returns their replies.
pub fn continue_channels(c: &mut Conn, key: &str) -> Vec<Value> {
    run_any(
        c,
        key,
        &[
            "ACD.AGENT.GET {k} a1",
            "ACD.AGENT.GET {k} a2",
            "ACD.ACCEPT {k} c4 @100",
            "ACD.TICK {k} @600",
            "ACD.COMPLETE {k} c2 @700",
            "ACD.AGENT.GET {k} a1",
            "ACD.TICK {k} @1100",
            "ACD.READY {k} a3 @1200",
            "ACD.CONFIG {k} SET voice-blocks no @1300",
            "ACD.AGENTS {k} STATE busy",
            "ACD.QUEUE {k}",
            "ACD.ESTIMATE {k} SKILLS 0 CHANNEL chat @1400",
            "ACD.STATS {k} @1500",
            "ACD.AGENT.DEL {k} a2 @1600",
            "ACD.QUEUE {k}",
            "ACD.TICK {k} @5000",
            "ACD.CHECK {k}",
            "ACD.STATS {k} @5000",
            "ACD.EVENTS {k} COUNT 1000",
        ],
    )
}

/// How to build one kind of populated center and how to exercise it afterwards.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// The key the persistence tests store it under.
    pub key: &'static str,
    /// Builds the center at a key.
    pub populate: fn(&mut Conn, &str),
    /// Exercises it; returns the replies.
    pub continuation: fn(&mut Conn, &str) -> Vec<Value>,
}

/// Every populated center.
pub const SCENARIOS: [Scenario; 4] = [
    Scenario {
        key: "auto",
        populate: populate_auto,
        continuation: continue_auto,
    },
    Scenario {
        key: "manual",
        populate: populate_manual_closed,
        continuation: continue_manual_closed,
    },
    Scenario {
        key: "behaviours",
        populate: populate_behaviours,
        continuation: continue_behaviours,
    },
    Scenario {
        key: "channels",
        populate: populate_channels,
        continuation: continue_channels,
    },
];

/// Everything a client can read about one center, labelled, in a fixed order.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot(pub Vec<(String, Value)>);

impl Snapshot {
    /// Reads QUEUE, AGENTS (all and per state), STATS (at `T0 + SNAPSHOT_AT`), every configuration parameter
    /// (`ACD.CONFIG.GET`, each and all at once), the whole event log, ACD.CHECK, AGENT.GET and CONTACT.GET of every scenario
    /// id, EXISTS and `DEBUG DIGEST-VALUE`.
    pub fn take(c: &mut Conn, key: &str) -> Snapshot {
        Self::take_ids(c, key, AGENTS, CONTACTS)
    }

    /// Like [`Snapshot::take`], reading the given agent and contact ids.
    pub fn take_ids<A: AsRef<str>, C: AsRef<str>>(
        c: &mut Conn,
        key: &str,
        agents: &[A],
        contacts: &[C],
    ) -> Snapshot {
        let mut reads: Vec<(String, Vec<String>)> = Vec::new();
        let mut read = |label: String, command: String| reads.push((label, at(&command)));
        read("EXISTS".into(), format!("EXISTS {key}"));
        read("QUEUE".into(), format!("ACD.QUEUE {key}"));
        read("AGENTS".into(), format!("ACD.AGENTS {key}"));
        for state in ["ready", "notready", "busy", "offered", "wrapup"] {
            read(
                format!("AGENTS {state}"),
                format!("ACD.AGENTS {key} STATE {state}"),
            );
        }
        read("STATS".into(), format!("ACD.STATS {key} @{SNAPSHOT_AT}"));
        for param in CONFIG_PARAMS {
            read(
                format!("config {param}"),
                format!("ACD.CONFIG.GET {key} {param}"),
            );
        }
        read("config".into(), format!("ACD.CONFIG.GET {key}"));
        read("EVENTS".into(), format!("ACD.EVENTS {key} COUNT 100000"));
        read("CHECK".into(), format!("ACD.CHECK {key}"));
        for agent in agents.iter().map(AsRef::as_ref) {
            read(
                format!("agent {agent}"),
                format!("ACD.AGENT.GET {key} {agent}"),
            );
        }
        for contact in contacts.iter().map(AsRef::as_ref) {
            read(
                format!("contact {contact}"),
                format!("ACD.CONTACT.GET {key} {contact}"),
            );
        }
        read("digest".into(), format!("DEBUG DIGEST-VALUE {key}"));
        Snapshot(
            reads
                .into_iter()
                .map(|(label, args)| (label, c.call(&args)))
                .collect(),
        )
    }

    /// Panics listing every entry that differs from `other`.
    pub fn assert_same(&self, other: &Snapshot, context: &str) {
        let diffs: Vec<String> = self
            .0
            .iter()
            .zip(&other.0)
            .filter(|(a, b)| a != b)
            .map(|((label, a), (_, b))| format!("  {label}:\n    before: {a:?}\n    after:  {b:?}"))
            .collect();
        assert!(
            diffs.is_empty(),
            "{context}: state differs\n{}",
            diffs.join("\n")
        );
    }
}
