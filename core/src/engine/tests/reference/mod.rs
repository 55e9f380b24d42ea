//! A naive reference model of the routing rules: plain maps, full scans, no indexes, and
//! deadlines recomputed from the records on every step. The property tests run the same
//! operations on it and on the engine and compare every reply, the observable state and the
//! agent-state events.
//!
//! Start here with [`Model`], its settings and deadlines; `agents.rs` holds the agent records
//! (presence, holds, per-channel lines, reported state) and the agent commands; `contacts.rs`
//! holds the contacts, the queue order, the strategies' picks and the contact commands.
//! Eligibility, the lines and the reported state are recomputed by scanning after every change
//! (`Model::touch`), never updated incrementally.
//!
//! Where the channels contract (`notes/channels.md`) is silent, the model reads it so:
//! - an agent that takes a contact as soon as it is ready (READY, OPEN, a hold ending, a miss)
//!   emits no `ready` event, though its `since` restarts at that time;
//! - a miss while the center is closed leaves the agent not ready `closed`, not ready again;
//! - a `voice-blocks` change recomputes every agent's lines, then each fills, in id order;
//! - `reason` shows only while the reported state is `notready`; the `wrapup` event names the
//!   contact that ended; READY resets the misses unless the agent already reports ready.

mod agents;
mod contacts;

use std::collections::BTreeMap;

use crate::{AgentState, ContactState, EventKind, Mode, Reply, StatsView, Strategy};

use agents::{Agent, Hold};
use contacts::Contact;

/// Settings the operations can change.
#[derive(Clone, Copy, Debug)]
pub(super) enum Setting {
    Retention(i64),
    OfferTimeout(i64),
    Wrapup(i64),
    MaxWait(i64),
    MaxNoAnswer(u64),
    PriorityAge(i64),
    Strategy(Strategy),
    OccupancyWindow(i64),
    VoiceBlocks(bool),
}

/// Reference center. Errors are reported by code only.
#[derive(Clone, Debug)]
pub(super) struct Model {
    mode: Mode,
    open: bool,
    retention_s: i64,
    offer_timeout: i64,
    wrapup: i64,
    max_wait: i64,
    max_no_answer: u64,
    priority_age: i64,
    strategy: Strategy,
    occupancy_window: i64,
    voice_blocks: bool,
    /// Latest time an agent was picked or an assigned contact ended.
    clock: i64,
    /// Registration order of the last agent given a contact.
    last_assigned: Option<u64>,
    /// One counter for registration order, contact order, wrap-up order and the order in
    /// which agents became eligible on a channel: only relative order matters.
    seq: u64,
    agents: BTreeMap<String, Agent>,
    contacts: BTreeMap<String, Contact>,
    enqueued: i64,
    assigned: i64,
    completed: i64,
    abandoned: i64,
    timeout: i64,
    wait: i64,
    assigned_by_channel: BTreeMap<String, i64>,
    /// Agent-state and hand-over events not yet taken by [`Model::take_events`].
    events: Vec<Event>,
}

pub(super) type Res = Result<Reply, &'static str>;

/// An event as the model reports it: kind, agent, contact, reason, time.
pub(super) type Event = (EventKind, String, Option<String>, Option<String>, i64);

/// What `ACD.AGENT.GET` shows of an agent, meta left out.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AgentRow {
    pub(super) id: String,
    pub(super) state: AgentState,
    pub(super) since: i64,
    pub(super) reason: Option<String>,
    pub(super) contact: Option<String>,
    pub(super) contacts: Vec<String>,
    pub(super) capacity: BTreeMap<String, u32>,
    pub(super) skills: BTreeMap<String, u8>,
}

/// What `ACD.CONTACT.GET` shows of a contact: id, state, current requirement, channel.
pub(super) type ContactRow = (String, ContactState, BTreeMap<String, u8>, String);

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.to_owned())
}

/// Something due: (time, class, kind, seq) orders them like the engine.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    /// (agent, contact)
    Offer(String, String),
    /// (agent, wrap-up order)
    WrapUp(String, u64),
    Relax(String),
    MaxWait(String),
    Purge(String),
}

impl Model {
    pub(super) fn new() -> Model {
        Model {
            mode: Mode::Auto,
            open: true,
            retention_s: 3600,
            offer_timeout: 0,
            wrapup: 0,
            max_wait: 0,
            max_no_answer: 1,
            priority_age: 0,
            strategy: Strategy::LongestAvailable,
            occupancy_window: 3_600_000,
            voice_blocks: false,
            clock: 0,
            last_assigned: None,
            seq: 0,
            agents: BTreeMap::new(),
            contacts: BTreeMap::new(),
            enqueued: 0,
            assigned: 0,
            completed: 0,
            abandoned: 0,
            timeout: 0,
            wait: 0,
            assigned_by_channel: BTreeMap::new(),
            events: Vec::new(),
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The earliest due item at or before `now`, in the engine's order.
    fn first_due(&self, now: i64) -> Option<(i64, Due)> {
        let mut all: Vec<((i64, u8, u8, u64), Due)> = Vec::new();
        for (id, a) in &self.agents {
            for held in &a.holds {
                let c = &held.contact;
                match held.hold {
                    Hold::Offered(until) => all.push((
                        (until, 0, 0, self.contacts[c].seq),
                        Due::Offer(id.clone(), c.clone()),
                    )),
                    Hold::WrapUp(until, seq) => {
                        all.push(((until, 0, 1, seq), Due::WrapUp(id.clone(), seq)))
                    }
                    Hold::Assigned(_) => {}
                }
            }
        }
        for (id, c) in &self.contacts {
            if let (ContactState::Queued, Some((after, _))) = (c.st, c.steps.first()) {
                all.push(((c.enq + after, 0, 2, c.seq), Due::Relax(id.clone())));
            }
            if c.st == ContactState::Queued && self.max_wait > 0 {
                all.push((
                    (c.enq + self.max_wait, 0, 3, c.seq),
                    Due::MaxWait(id.clone()),
                ));
            }
            if let Some(ended) = c.ended {
                all.push((
                    (ended + self.retention_s * 1000, 1, 0, c.seq),
                    Due::Purge(id.clone()),
                ));
            }
        }
        all.into_iter()
            .filter(|(k, _)| k.0 <= now)
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|(k, d)| (k.0, d))
    }

    /// Applies everything due: like the engine, before every write, failed or not.
    pub(super) fn settle(&mut self, now: i64) {
        self.settle_from(i64::MIN, now);
    }

    /// Applies everything due, nothing earlier than `floor` nor than what came before.
    pub(super) fn settle_from(&mut self, mut floor: i64, now: i64) {
        while let Some((due_at, due)) = self.first_due(now) {
            if !matches!(due, Due::Purge(_)) {
                floor = floor.max(due_at);
            }
            let at = floor;
            match due {
                Due::Offer(a, c) => self.missed(&c, &a, "no-answer", at),
                Due::WrapUp(a, seq) => self.end_wrapup(&a, seq, at),
                Due::Relax(c) => {
                    let contact = self.contacts.get_mut(&c).unwrap();
                    contact.reqs = contact.steps.remove(0).1;
                    self.route(&c, at);
                }
                Due::MaxWait(c) => {
                    let contact = self.contacts.get_mut(&c).unwrap();
                    contact.st = ContactState::Timeout;
                    contact.ended = Some(at);
                    contact.steps.clear();
                    self.timeout += 1;
                }
                Due::Purge(c) => {
                    self.contacts.remove(&c);
                }
            }
        }
    }

    pub(super) fn set_mode(&mut self, mode: Mode, now: i64) -> Res {
        let was = std::mem::replace(&mut self.mode, mode);
        if was == Mode::Manual && mode == Mode::Auto {
            self.dispatch_pairs(usize::MAX, now);
        }
        self.settle_from(now, now);
        Ok(Reply::Ok)
    }

    pub(super) fn configure(&mut self, setting: Setting, now: i64) -> Res {
        match setting {
            Setting::Retention(s) => self.retention_s = s,
            Setting::OfferTimeout(ms) => self.offer_timeout = ms,
            Setting::Wrapup(ms) => self.wrapup = ms,
            Setting::MaxWait(ms) => self.max_wait = ms,
            Setting::MaxNoAnswer(n) => self.max_no_answer = n,
            Setting::PriorityAge(ms) => self.priority_age = ms,
            Setting::Strategy(strategy) => self.strategy = strategy,
            Setting::OccupancyWindow(ms) => {
                if ms != self.occupancy_window {
                    for agent in self.agents.values_mut() {
                        agent.stays.clear();
                    }
                }
                self.occupancy_window = ms;
            }
            Setting::VoiceBlocks(on) => self.set_voice_blocks(on, now),
        }
        self.settle_from(now, now);
        Ok(Reply::Ok)
    }

    /// Whether a contact id is taken (live or retained).
    pub(super) fn has_contact(&self, c: &str) -> bool {
        self.contacts.contains_key(c)
    }

    /// Queue ids in routing order.
    pub(super) fn queue(&self) -> Vec<String> {
        self.queued_in_order()
    }

    /// Every (agent, contact) offered or assigned, by agent id then in the order taken.
    pub(super) fn held(&self) -> Vec<(String, String)> {
        self.agents
            .iter()
            .flat_map(|(id, a)| a.handling().map(move |c| (id.clone(), c.clone())))
            .collect()
    }

    /// Every agent as `ACD.AGENT.GET` shows it, by id.
    pub(super) fn agent_rows(&self) -> Vec<AgentRow> {
        self.agents.iter().map(|(id, a)| a.row(id)).collect()
    }

    /// Every live or retained contact as `ACD.CONTACT.GET` shows it, by id.
    pub(super) fn contact_rows(&self) -> Vec<ContactRow> {
        self.contacts
            .iter()
            .map(|(id, c)| (id.clone(), c.st, c.reqs.clone(), c.channel.clone()))
            .collect()
    }

    /// Events since the last call.
    pub(super) fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The `ACD.STATS` fields the model keeps; the others are left at their defaults.
    pub(super) fn stats(&self) -> StatsView {
        let count = |state| {
            let n = self.agents.values().filter(|a| a.shown.0 == state).count();
            n as i64
        };
        let mut stats = StatsView {
            agents_ready: count(AgentState::Ready),
            agents_notready: count(AgentState::NotReady),
            agents_busy: count(AgentState::Busy),
            agents_offered: count(AgentState::Offered),
            agents_wrapup: count(AgentState::WrapUp),
            enqueued_total: self.enqueued,
            assigned_total: self.assigned,
            completed_total: self.completed,
            abandoned_total: self.abandoned,
            timeout_total: self.timeout,
            avg_wait_ms: match self.assigned {
                0 => 0,
                n => self.wait.div_euclid(n),
            },
            assigned_by_channel: self.assigned_by_channel.clone(),
            ..StatsView::default()
        };
        for c in self.contacts.values() {
            if c.st == ContactState::Queued {
                stats.queued += 1;
                *stats
                    .queued_by_channel
                    .entry(c.channel.clone())
                    .or_default() += 1;
            }
        }
        for a in self.agents.values() {
            for ch in a.capacity.keys() {
                if a.eligible(ch, self.voice_blocks) {
                    *stats.agents_free_by_channel.entry(ch.clone()).or_default() += 1;
                }
            }
            for held in &a.holds {
                if !matches!(held.hold, Hold::WrapUp(..)) {
                    *stats
                        .handling_by_channel
                        .entry(held.channel.clone())
                        .or_default() += 1;
                }
            }
        }
        stats
    }
}
