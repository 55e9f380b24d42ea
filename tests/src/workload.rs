//! [`Workload`]: a seeded random stream of ACD commands against one center, covering the issue-6 behaviour
//! (offers accepted, rejected and left to time out, wrap-up, `max-wait`, `max-queue`, `max-no-answer`, TICK,
//! configuration changes), channels and capacity (agents holding several chats and a call, `voice-blocks`)
//! as well as the base commands and some invalid ones.
//!
//! Time is either driven by the workload (`AT`, advancing a few ms per command and now and then going
//! backwards, which the contract allows) or left to the server's clock, so that the server's timers apply
//! deadlines between commands. Timeouts are a few tens of ms so deadlines keep coming due either way.
//! Targets for COMPLETE, ACCEPT and REJECT are mostly read from the center first (an offered, busy or queued
//! contact), so those commands usually act on something. [`Workload::run_checked`] runs it with ACD.CHECK and
//! an event-log read after every step.

use std::collections::{BTreeMap, VecDeque};

use redis::Value;

use crate::{error_text, show, Conn, Rng};

/// What a run produced: event types and error codes, with counts.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// Event type -> how many were logged.
    pub events: BTreeMap<String, usize>,
    /// Error code -> how many replies had it.
    pub errors: BTreeMap<String, usize>,
}

const AGENTS: u64 = 10;
const SKILLS: [&str; 3] = ["english", "french", "billing"];
const REASONS: [&str; 3] = ["lunch", "break", "training"];
/// `CAPACITY` choices for new agents (empty: the default, `voice=1`).
const CAPACITIES: [&str; 4] = [
    "",
    "CAPACITY voice=1 chat=2",
    "CAPACITY chat=3",
    "CAPACITY email=2 voice=1",
];
const CHANNELS: [&str; 3] = ["chat", "email", "sms"];

/// Generates the commands; see the module documentation.
#[derive(Debug, Clone)]
pub struct Workload {
    seed: u64,
    rng: Rng,
    key: String,
    /// The `AT` of the next write, or `None` when the server's clock decides.
    now: Option<u64>,
    /// Contacts created so far (ids `c0`, `c1`, ...).
    contacts: u64,
}

impl Workload {
    /// A workload whose writes carry `AT`, starting at `start` (Unix ms).
    pub fn with_at(seed: u64, key: &str, start: u64) -> Workload {
        Workload {
            seed,
            rng: Rng(seed),
            key: key.to_string(),
            now: Some(start),
            contacts: 0,
        }
    }

    /// A workload without `AT`: the server's clock decides every time.
    pub fn with_server_clock(seed: u64, key: &str) -> Workload {
        Workload {
            now: None,
            ..Workload::with_at(seed, key, 0)
        }
    }

    /// Commands that make the center interesting from the first step: short offer, wrap-up and wait limits,
    /// a few agents with skills, all ready.
    pub fn setup(&self) -> Vec<Vec<String>> {
        let k = &self.key;
        let mut commands = vec![
            words(&format!("ACD.CONFIG {k} SET offer-timeout 40")),
            words(&format!("ACD.CONFIG {k} SET wrapup 20")),
            words(&format!("ACD.CONFIG {k} SET max-wait 300")),
            words(&format!("ACD.CONFIG {k} SET max-no-answer 2")),
            words(&format!("ACD.CONFIG {k} SET max-queue 12")),
            words(&format!("ACD.CONFIG {k} SET retention 1")),
            words(&format!("ACD.CONFIG {k} SET sla-threshold 100")),
        ];
        for i in 0..AGENTS / 2 {
            let skills = match i % 3 {
                0 => "SKILLS 1 english=3",
                1 => "SKILLS 2 english french=2",
                _ => "SKILLS 2 billing french",
            };
            let capacity = CAPACITIES[i as usize % CAPACITIES.len()];
            commands.push(words(&format!(
                "ACD.AGENT.ADD {k} a{i} {skills} {capacity}"
            )));
            commands.push(words(&format!("ACD.READY {k} a{i}")));
        }
        commands
            .into_iter()
            .map(|c| self.stamped(c))
            .collect::<Vec<_>>()
    }

    /// Runs [`Workload::setup`] and then `steps` commands on `c`. After each one, ACD.CHECK must answer OK, the
    /// reply must not be an internal error (a panic caught by the module), and the entries logged since the
    /// previous step must carry the next ids, without gaps. A failure names the seed and the step and lists the
    /// last commands with their replies.
    pub fn run_checked(&mut self, c: &mut Conn, steps: usize) -> Coverage {
        let key = self.key.clone();
        let mut coverage = Coverage::default();
        let mut last_event = 0;
        let mut history: VecDeque<String> = VecDeque::new();
        let setup = self.setup().into_iter().map(Some);
        for (step, planned) in setup.chain((0..steps).map(|_| None)).enumerate() {
            let command = planned.unwrap_or_else(|| self.command(c));
            let reply = c.call(&command);
            history.push_back(format!("{} -> {reply:?}", show(&command)));
            if history.len() > 25 {
                history.pop_front();
            }
            let context = || {
                format!(
                    "seed {:#x}, step {step}; last commands:\n  {}",
                    self.seed,
                    Vec::from(history.clone()).join("\n  ")
                )
            };
            if let Some(error) = error_text(&reply) {
                assert!(
                    !error.starts_with("ERR internal"),
                    "{}\nthe module panicked",
                    context()
                );
                let code = error.split_whitespace().next().unwrap_or_default();
                *coverage.errors.entry(code.to_string()).or_default() += 1;
            }
            match c.call(["ACD.CHECK", key.as_str()]) {
                Value::Okay => {}
                Value::SimpleString(ok) if ok == "OK" => {}
                violations => panic!("{}\nACD.CHECK: {violations:?}", context()),
            }
            let read = format!("ACD.EVENTS {key} SINCE {last_event} COUNT 100000");
            for event in c.events(read) {
                assert_eq!(event.id, last_event + 1, "{}\nevent ids", context());
                last_event = event.id;
                *coverage.events.entry(event.kind).or_default() += 1;
            }
        }
        coverage
    }

    /// The next command; `c` answers the reads that pick a target.
    pub fn command(&mut self, c: &mut Conn) -> Vec<String> {
        if let Some(now) = self.now.as_mut() {
            *now += self.rng.below(25);
            if self.rng.chance(3) {
                *now = now.saturating_sub(self.rng.below(30));
            }
        }
        let key = self.key.clone();
        let agent = format!("a{}", self.rng.below(AGENTS));
        let cmd: Vec<String> = match self.rng.below(100) {
            0..=4 => {
                let mut cmd = vec!["ACD.AGENT.ADD".into(), key, agent];
                cmd.extend(self.skills(10));
                cmd.extend(words(self.rng.pick(&CAPACITIES)));
                cmd
            }
            5..=6 => vec!["ACD.AGENT.DEL".into(), key, agent],
            7..=8 => {
                let level = 1 + self.rng.below(10);
                let skill = self.rng.pick(&SKILLS);
                vec![
                    "ACD.AGENT.GRANT".into(),
                    key,
                    agent,
                    format!("{skill}={level}"),
                ]
            }
            9 => {
                let skill = self.rng.pick(&SKILLS).to_string();
                vec!["ACD.AGENT.REVOKE".into(), key, agent, skill]
            }
            10..=21 => vec!["ACD.READY".into(), key, agent],
            22..=25 => {
                let mut cmd = vec!["ACD.NOTREADY".into(), key, agent];
                if self.rng.chance(60) {
                    cmd.extend(["REASON".into(), self.rng.pick(&REASONS).into()]);
                }
                cmd
            }
            26..=43 => {
                let contact = if self.rng.chance(90) {
                    self.contacts += 1;
                    format!("c{}", self.contacts - 1)
                } else {
                    format!("c{}", self.rng.below(self.contacts.max(1)))
                };
                let mut cmd = vec!["ACD.ENQUEUE".into(), key, contact];
                cmd.extend(self.skills(4));
                if self.rng.chance(35) {
                    cmd.extend(["CHANNEL".into(), self.rng.pick(&CHANNELS).into()]);
                }
                if self.rng.chance(30) {
                    let priority = self.rng.below(5) as i64 - 2;
                    cmd.extend(["PRIORITY".into(), priority.to_string()]);
                }
                cmd
            }
            44..=46 => {
                let mut cmd = vec!["ACD.DISPATCH".into(), key];
                if self.rng.chance(50) {
                    cmd.extend(["COUNT".into(), (1 + self.rng.below(3)).to_string()]);
                }
                cmd
            }
            47..=61 => {
                let target = match self.rng.below(10) {
                    0..=5 => held(c, &key, "busy", &mut self.rng),
                    6..=7 => held(c, &key, "offered", &mut self.rng),
                    8 => queued(c, &key, &mut self.rng),
                    _ => None,
                };
                let contact = target.unwrap_or_else(|| self.known_contact());
                vec!["ACD.COMPLETE".into(), key, contact]
            }
            62..=71 => {
                let contact =
                    held(c, &key, "offered", &mut self.rng).unwrap_or_else(|| self.known_contact());
                vec!["ACD.ACCEPT".into(), key, contact]
            }
            72..=76 => {
                let contact =
                    held(c, &key, "offered", &mut self.rng).unwrap_or_else(|| self.known_contact());
                vec!["ACD.REJECT".into(), key, contact]
            }
            77..=78 => vec!["ACD.OPEN".into(), key],
            79 if self.rng.chance(40) => vec!["ACD.CLOSE".into(), key],
            79 => vec!["ACD.OPEN".into(), key],
            80..=85 => self.config(key),
            86..=89 => vec!["ACD.TICK".into(), key],
            90..=95 => {
                return match self.rng.below(6) {
                    0 => vec!["ACD.QUEUE".into(), key],
                    1 => vec!["ACD.AGENTS".into(), key, "STATE".into(), "offered".into()],
                    2 => vec!["ACD.AGENT.GET".into(), key, agent],
                    3 => {
                        let mut cmd = vec!["ACD.ESTIMATE".into(), key];
                        cmd.extend(self.skills(3));
                        self.stamped(cmd)
                    }
                    4 => self.stamped(vec!["ACD.STATS".into(), key]),
                    _ => vec!["ACD.EVENTS".into(), key, "COUNT".into(), "5".into()],
                };
            }
            _ => return self.invalid(key, agent),
        };
        self.stamped(cmd)
    }

    /// `ACD.CONFIG key SET param value` with a value from a small set that keeps deadlines coming.
    fn config(&mut self, key: String) -> Vec<String> {
        let (param, value) = match self.rng.below(10) {
            0 => (
                "mode",
                if self.rng.chance(75) {
                    "auto"
                } else {
                    "manual"
                }
                .into(),
            ),
            1 | 2 => (
                "offer-timeout",
                self.rng.pick(&["0", "15", "40", "90"]).into(),
            ),
            3 => ("wrapup", self.rng.pick(&["0", "10", "30"]).into()),
            4 => ("max-wait", self.rng.pick(&["0", "120", "300"]).into()),
            5 => ("max-queue", self.rng.pick(&["0", "3", "12"]).into()),
            6 => ("max-no-answer", self.rng.pick(&["0", "1", "2", "3"]).into()),
            7 => ("retention", self.rng.pick(&["0", "1"]).into()),
            8 => ("voice-blocks", self.rng.pick(&["yes", "no"]).into()),
            _ => ("sla-threshold", (self.rng.below(200)).to_string()),
        };
        vec!["ACD.CONFIG".into(), key, "SET".into(), param.into(), value]
    }

    fn invalid(&mut self, key: String, agent: String) -> Vec<String> {
        let contact = self.known_contact();
        let list: Vec<&str> = match self.rng.below(6) {
            0 => vec!["ACD.ACCEPT", &key, &contact, "extra"],
            1 => vec!["ACD.CONFIG", &key, "SET", "max-wait", "-1"],
            2 => vec!["ACD.ENQUEUE", &key, &contact, "SKILLS", "1", "a=11"],
            3 => vec!["ACD.READY", &key, &agent, "AT", "x"],
            4 => vec!["ACD.EVENTS", &key, "SINCE", "-1"],
            _ => vec!["ACD.REJECT", &key],
        };
        list.into_iter().map(String::from).collect()
    }

    /// A contact id that was used already (or `c0`).
    fn known_contact(&mut self) -> String {
        format!("c{}", self.rng.below(self.contacts.max(1)))
    }

    fn skills(&mut self, max_level: u64) -> Vec<String> {
        let mut list = Vec::new();
        for skill in SKILLS {
            if self.rng.chance(35) {
                list.push(match self.rng.below(2) {
                    0 => skill.to_string(),
                    _ => format!("{skill}={}", 1 + self.rng.below(max_level)),
                });
            }
        }
        let mut args = vec!["SKILLS".to_string(), list.len().to_string()];
        args.extend(list);
        args
    }

    /// Appends `AT <now>` when the workload drives time.
    fn stamped(&self, mut cmd: Vec<String>) -> Vec<String> {
        if let Some(now) = self.now {
            cmd.extend(["AT".into(), now.to_string()]);
        }
        cmd
    }
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

/// One of the contacts of a random agent in `state` (`busy` or `offered`), read from the center.
fn held(c: &mut Conn, key: &str, state: &str, rng: &mut Rng) -> Option<String> {
    let agents = c.strings(["ACD.AGENTS", key, "STATE", state]);
    let agent = agents.get(rng.below(agents.len().max(1) as u64) as usize)?;
    let Value::BulkString(json) = c.call(["ACD.AGENT.GET", key, agent]) else {
        return None;
    };
    let view = serde_json::from_slice::<serde_json::Value>(&json).ok()?;
    let contacts = view.get("contacts")?.as_array()?;
    let pick = contacts.get(rng.below(contacts.len().max(1) as u64) as usize)?;
    pick.as_str().map(String::from)
}

/// A random one of the first queued contacts.
fn queued(c: &mut Conn, key: &str, rng: &mut Rng) -> Option<String> {
    let queue = c.strings(["ACD.QUEUE", key, "COUNT", "5"]);
    queue
        .get(rng.below(queue.len().max(1) as u64) as usize)
        .cloned()
}
