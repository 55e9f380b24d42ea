//! The routing engine: one [`Center`] holds a contact center's agents, contacts and indexes.
//!
//! Entry point: [`Center::execute`] runs one parsed command at a given time. A write first
//! applies the deadlines already due ([`Center::settle`], in `timeline.rs`), then checks
//! everything that can fail, then changes state, so a failed command makes no change of its
//! own. The records are in `model.rs` (an agent is a presence plus what it holds, with a
//! capacity per channel); routing and every change of an agent's state live in `routing.rs`,
//! the agent-picking strategies in `strategy.rs` (with the busy-time windows of
//! `least-occupied` in `occupancy.rs`), the per-channel lines in `channels.rs`, requirement
//! relaxation in `relax.rs`; agent, contact and center-wide commands in `agents.rs`,
//! `contacts.rs` and `center_ops.rs`; the contacts' id index in `contact_index.rs` and the
//! inline ids of contacts and logged events in `compact_id.rs`; the event log in `events.rs`;
//! metrics in `metrics.rs`; persistence in `codec/`; the invariant audit in `check.rs`.
//!
//! Invariants (audited by [`Center::check`] after every step of the property tests):
//! - a contact held (offered or assigned) has exactly one agent, which holds it on the
//!   contact's channel; an agent's load on a channel never exceeds its capacity there;
//! - an agent that can take a contact on a channel (ready, room there, not blocked by a voice
//!   contact under `voice-blocks`) is in that channel's strategy lines of each of its skills
//!   (and of all agents, once kept) under its current rank key (level, busy time, ..., then
//!   its longest-available place), and counted in its eligible agents; no other agent is;
//! - a contact is queued, offered, assigned, or ended (retained), and indexed exactly there,
//!   a queued one under the key its priority, enqueue time and `priority-age` give;
//! - every offer, wrap-up, queued contact under `max-wait` and queued contact with a
//!   relaxation step to come has exactly its deadline;
//! - an agent's busy time lies inside the occupancy window and sums to its score;
//! - in auto mode, after every command no queued contact has an eligible ready agent.

mod agents;
mod append_set;
mod center_ops;
mod channels;
mod check;
mod codec;
mod compact_id;
mod contact_index;
mod contacts;
mod events;
mod metrics;
mod model;
mod names;
mod occupancy;
mod queue;
mod relax;
mod routing;
mod settings;
mod skill_sets;
mod skills;
mod slab;
mod strategy;
mod timeline;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use codec::ENCODING_VERSION;
pub use events::{Event, EventKind, Events};
pub use settings::DEFAULT_RETENTION_S;

use crate::command::{Command, Config};
use crate::error::AcdError;
use crate::reply::Reply;
use append_set::AppendSet;
use channels::ChannelTable;
use compact_id::CompactId;
use contact_index::ContactIndex;
use events::EventLog;
use metrics::Metrics;
use model::{Agent, AgentIdx, Contact, ContactIdx, Deadline};
use occupancy::OccupancyClock;
use queue::Queue;
use settings::Settings;
use skill_sets::SkillSets;
use skills::SkillTable;

/// The outcome of [`Center::execute`].
#[derive(Debug)]
pub struct Execution {
    /// The command's reply, or why it failed.
    pub reply: Result<Reply, AcdError>,
    /// What happened, in order, including deadlines applied before the command ran (the
    /// details are in the event log, `ACD.EVENTS`).
    pub events: Events,
    /// How many due deadlines were applied before the command ran. When the command failed
    /// and this is not zero, the center still changed: the caller replicates `ACD.TICK`.
    pub settled: usize,
}

/// One contact center: agents, contacts, queue, configuration, statistics and event log.
#[derive(Debug, Clone)]
pub struct Center {
    settings: Settings,
    open: bool,
    /// Last sequence number handed out (agents, eligible slots, contacts, wrap-ups).
    seq: u64,
    agent_ids: BTreeMap<Arc<str>, AgentIdx>,
    agents: slab::Slab<Agent>,
    contact_ids: ContactIndex,
    contacts: slab::Slab<Contact>,
    skills: SkillTable,
    /// Hot skill sets with a line of their own (an index: not encoded).
    skill_sets: SkillSets,
    /// Channel names and, per channel, the lines of agents that can take a contact there.
    channels: ChannelTable,
    /// Registration order of the last agent given a contact, where round-robin resumes.
    last_assigned: Option<u64>,
    /// Event time of the last write that took effect (see [`Center::written_at`]).
    written_at: Option<i64>,
    /// Clock and expiry order of the busy-time windows.
    occupancy: OccupancyClock,
    queue: Queue,
    /// Ended contacts by (ended_at, seq), purged once past retention.
    retained: AppendSet<(i64, u64, ContactIdx)>,
    /// Offers, wrap-ups and queue timeouts, earliest first.
    deadlines: BTreeSet<Deadline>,
    metrics: Metrics,
    log: EventLog,
    /// Events of the command being executed.
    events: Events,
}

impl Default for Center {
    fn default() -> Self {
        Center {
            settings: Settings::default(),
            open: true,
            seq: 0,
            agent_ids: BTreeMap::new(),
            agents: slab::Slab::default(),
            contact_ids: ContactIndex::default(),
            contacts: slab::Slab::default(),
            skills: SkillTable::default(),
            skill_sets: SkillSets::default(),
            channels: ChannelTable::default(),
            last_assigned: None,
            written_at: None,
            occupancy: OccupancyClock::default(),
            queue: Queue::default(),
            retained: AppendSet::new(),
            deadlines: BTreeSet::new(),
            metrics: Metrics::default(),
            log: EventLog::default(),
            events: Events::default(),
        }
    }
}

impl Center {
    /// An empty, open center in auto mode.
    pub fn new() -> Center {
        Center::default()
    }

    /// Runs `cmd` at time `now_ms` (the command's own `AT`, if any, wins).
    pub fn execute(&mut self, cmd: &Command, now_ms: i64) -> Execution {
        let now = cmd.at().unwrap_or(now_ms);
        self.events = Events::default();
        let settles = cmd.is_write() && !matches!(cmd, Command::StateLoad(_));
        let settled = if settles { self.settle(now) } else { 0 };
        let reply = match cmd {
            Command::Tick(_) => Ok(Reply::Int(settled as i64)),
            _ => self.run(cmd, now),
        };
        if settles && reply.is_ok() {
            // Deadlines the command set in the past (a requeued contact past its max-wait or
            // relaxation time) take effect now.
            self.settle_from(now, now);
        }
        if settles && (reply.is_ok() || settled > 0) {
            self.written_at = Some(now);
        }
        Execution {
            reply,
            events: std::mem::take(&mut self.events),
            settled,
        }
    }

    /// Runs a read command without changing anything.
    pub fn query(&self, cmd: &Command, now_ms: i64) -> Result<Reply, AcdError> {
        let now = cmd.at().unwrap_or(now_ms);
        match cmd {
            Command::AgentGet(c) => self.agent_get(&c.agent),
            Command::Agents(c) => Ok(self.agents_list(c.state)),
            Command::ContactGet(c) => self.contact_get(&c.contact),
            Command::Queue(c) => Ok(self.queue_list(c.count)),
            Command::Stats(_) => Ok(self.stats(now).to_reply()),
            Command::Config(Config::Get(param)) => Ok(self.settings.get(*param)),
            Command::ConfigGet(c) => Ok(match c.param {
                Some(param) => self.settings.get(param),
                None => self.settings.all(),
            }),
            Command::Events(c) => {
                Ok(self.events_after(c.since.unwrap_or(0), c.count.unwrap_or(100)))
            }
            Command::Check(_) => Ok(self.check_reply()),
            Command::Estimate(c) => Ok(self.estimate(
                &c.skills,
                c.channel.as_deref(),
                c.priority.unwrap_or(0),
                now,
            )),
            _ => Err(AcdError::invalid("not a read command")),
        }
    }

    fn run(&mut self, cmd: &Command, now: i64) -> Result<Reply, AcdError> {
        match cmd {
            Command::AgentAdd(c) => self.agent_add(c, now),
            Command::AgentDel(c) => self.agent_del(&c.0.agent, now),
            Command::AgentMeta(c) => self.agent_meta(&c.agent, &c.meta, now),
            Command::AgentGrant(c) => self.agent_grant(&c.agent, &c.skills, now),
            Command::AgentRevoke(c) => self.agent_revoke(&c.agent, &c.skills, now),
            Command::SkillDel(c) => Ok(self.skill_del(&c.skill, now)),
            Command::Ready(c) => self.ready(&c.0.agent, now),
            Command::NotReady(c) => self.not_ready(&c.agent, c.reason.as_deref(), now),
            Command::Enqueue(c) => self.enqueue(c, now),
            Command::Dispatch(c) => Ok(self.dispatch_command(c.count, now)),
            Command::Complete(c) => self.complete(&c.0.contact, now),
            Command::Accept(c) => self.accept(&c.0.contact, now),
            Command::Reject(c) => self.reject(&c.0.contact, now),
            Command::Open(_) => Ok(self.open(now)),
            Command::Close(_) => Ok(self.close(now)),
            Command::Config(Config::Set { value, .. }) => Ok(self.config_set(*value, now)),
            Command::Tick(_) => Ok(Reply::Int(0)),
            Command::StateLoad(c) => {
                *self = Center::decode(&c.payload)?;
                Ok(Reply::Ok)
            }
            read => self.query(read, now),
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn agent_idx(&self, id: &str) -> Result<AgentIdx, AcdError> {
        self.agent_ids
            .get(id)
            .copied()
            .ok_or_else(|| AcdError::NoAgent(id.to_owned()))
    }

    fn contact_idx(&self, id: &str) -> Result<ContactIdx, AcdError> {
        self.contact_ids
            .get(id, &self.contacts)
            .ok_or_else(|| AcdError::NoContact(id.to_owned()))
    }

    /// Records an event at time `at` in this command's list and in the log (ids advance even
    /// when `events-max` is 0 and nothing is kept).
    fn emit(
        &mut self,
        at: i64,
        kind: EventKind,
        agent: Option<AgentIdx>,
        contact: Option<ContactIdx>,
        reason: Option<String>,
    ) {
        self.events.push(kind);
        let id = self.log.last_id + 1;
        let capacity = self.settings.events_max as usize;
        if capacity == 0 {
            self.log.last_id = id;
            return;
        }
        let event = events::Entry {
            id,
            at,
            kind,
            agent: agent.map(|a| CompactId::of(&self.agents[a].id)),
            contact: contact.map(|c| self.contacts[c].id.clone()),
            reason,
        };
        self.log.push(event, capacity);
    }

    /// Approximate heap bytes held, for `MEMORY USAGE`: each agent's record, id and index
    /// entry, the lines of eligible agents (every slot allocated, forgotten keys included),
    /// and per-item estimates for the rest.
    pub fn memory_usage(&self) -> usize {
        const ID_ENTRY: usize = 48;
        const CONTACT: usize = 240;
        const SKILL: usize = 96;
        const EVENT: usize = 120;
        let agents: usize = self
            .agents
            .iter()
            .map(|(_, agent)| {
                std::mem::size_of::<Option<Agent>>()
                    + agent.heap_bytes()
                    + agent.id.len()
                    + ID_ENTRY
            })
            .sum();
        agents
            + self.channels.lines_heap_bytes()
            + self.occupancy.heap_bytes()
            + self.retained.heap_bytes()
            + self.contacts.len() * CONTACT
            + self.skills.count() * SKILL
            + self.queue.group_count() * SKILL
            + self.skill_sets.len() * SKILL
            + self.log.entries.len() * EVENT
    }

    /// Id of the newest event (0 when none), for blocked `ACD.EVENTS` readers.
    pub fn last_event_id(&self) -> u64 {
        self.log.last_id
    }

    /// Event time of the last write that took effect: one that succeeded, or failed after
    /// applying due deadlines (`ACD.STATE.LOAD` keeps the loaded center's). Part of the
    /// state, so a replica and an AOF replay know it too: the module replicates a write sent
    /// without `AT` as it came when it runs at this time, and replays such a write at it.
    pub fn written_at(&self) -> Option<i64> {
        self.written_at
    }

    /// Whether only its clocks ([`Center::written_at`] and the busy-time windows') tell it
    /// from [`Center::new`]: a write that left a missing key like this does not create it.
    pub fn is_blank(&self) -> bool {
        let mut blank = Center {
            written_at: self.written_at,
            ..Center::new()
        };
        blank.occupancy.now = self.occupancy.now;
        self.encode() == blank.encode()
    }
}
