//! The routing engine: one [`Center`] holds a contact center's agents, contacts and indexes.
//!
//! Entry point: [`Center::execute`] runs one parsed command at a given time and returns the
//! reply plus the events it caused. Every write first checks everything that can fail, then
//! applies due deadlines ([`Center::settle`]), then changes state, so a failed command changes
//! nothing. Routing lives in `routing.rs`, agent and contact commands in `agents.rs` and
//! `contacts.rs`, center-wide ones in `center_ops.rs`, persistence in `codec.rs`.
//!
//! Invariants (checked by the property tests):
//! - an agent holds at most one contact and a contact has at most one agent, and they agree;
//! - a ready agent is in the global ready line and in the ready line of each of its skills;
//! - a contact is queued, assigned, or ended (retained), and indexed exactly there;
//! - in auto mode, after every command no queued contact has an eligible ready agent.

mod agents;
mod center_ops;
mod check;
mod codec;
pub use codec::ENCODING_VERSION;
mod contacts;
mod events;
mod model;
mod queue;
mod routing;
mod skills;
mod slab;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use events::Event;

use crate::command::{Command, Config};
use crate::error::AcdError;
use crate::reply::Reply;
use crate::state::Mode;
use model::{Agent, AgentIdx, Contact, ContactIdx};
use queue::Queue;
use skills::SkillTable;

/// Default seconds an ended contact stays readable.
pub const DEFAULT_RETENTION_S: u64 = 3600;

/// Running totals since the center was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Totals {
    enqueued: u64,
    assigned: u64,
    completed: u64,
    abandoned: u64,
    /// Sum over assignments of (assigned_at - enqueued_at).
    wait_ms: i128,
}

/// One contact center: agents, contacts, queue, configuration and statistics.
#[derive(Debug, Clone)]
pub struct Center {
    mode: Mode,
    retention_s: u64,
    open: bool,
    /// Last sequence number handed out (ready agents and enqueued contacts).
    seq: u64,
    agent_ids: BTreeMap<String, AgentIdx>,
    agents: slab::Slab<Agent>,
    contact_ids: HashMap<String, ContactIdx>,
    contacts: slab::Slab<Contact>,
    skills: SkillTable,
    /// Every ready agent, longest-available first.
    ready: BTreeSet<model::ReadyKey>,
    queue: Queue,
    /// Ended contacts by (ended_at, seq), purged once past retention.
    retained: BTreeSet<(i64, u64, ContactIdx)>,
    notready_count: usize,
    busy_count: usize,
    totals: Totals,
    /// Events of the command being executed.
    events: Vec<Event>,
}

impl Default for Center {
    fn default() -> Self {
        Center {
            mode: Mode::Auto,
            retention_s: DEFAULT_RETENTION_S,
            open: true,
            seq: 0,
            agent_ids: BTreeMap::new(),
            agents: slab::Slab::default(),
            contact_ids: HashMap::new(),
            contacts: slab::Slab::default(),
            skills: SkillTable::default(),
            ready: BTreeSet::new(),
            queue: Queue::default(),
            retained: BTreeSet::new(),
            notready_count: 0,
            busy_count: 0,
            totals: Totals::default(),
            events: Vec::new(),
        }
    }
}

impl Center {
    /// An empty, open center in auto mode.
    pub fn new() -> Center {
        Center::default()
    }

    /// Runs `cmd` at time `now_ms` (the command's own `AT`, if any, wins). Returns the reply
    /// and the events caused, in order. On error nothing changed.
    pub fn execute(&mut self, cmd: &Command, now_ms: i64) -> Result<(Reply, Vec<Event>), AcdError> {
        self.events.clear();
        let reply = self.run(cmd, now_ms);
        let events = std::mem::take(&mut self.events);
        reply.map(|r| (r, events))
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
            Command::Config(Config::Get(param)) => Ok(self.config_get(*param)),
            _ => Err(AcdError::invalid("not a read command")),
        }
    }

    fn run(&mut self, cmd: &Command, now_ms: i64) -> Result<Reply, AcdError> {
        let now = cmd.at().unwrap_or(now_ms);
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
            Command::Complete(c) => self.complete(&c.contact, now),
            Command::Open(_) => Ok(self.open(now)),
            Command::Close(_) => Ok(self.close(now)),
            Command::Config(Config::Set { value, .. }) => Ok(self.config_set(*value, now)),
            Command::StateLoad(c) => {
                *self = Center::decode(&c.payload)?;
                Ok(Reply::Ok)
            }
            read => self.query(read, now),
        }
    }

    /// Applies what is due at `now`: ended contacts past retention are purged. Called by
    /// every write after its checks pass, so replicas (which see the same `AT`) agree.
    fn settle(&mut self, now: i64) {
        let retention_ms = (self.retention_s as i64).saturating_mul(1000);
        while let Some(&(ended_at, seq, idx)) = self.retained.first() {
            if ended_at.saturating_add(retention_ms) > now {
                break;
            }
            self.retained.remove(&(ended_at, seq, idx));
            if let Some(contact) = self.contacts.remove(idx) {
                self.contact_ids.remove(&contact.id);
                self.queue.release_group(contact.group);
            }
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

    /// A contact that is still readable at `now`: present, and not ended past retention.
    /// `None` for `now` means "as stored" (reads purge nothing, so they see what is kept).
    fn contact_idx(&self, id: &str, now: Option<i64>) -> Option<ContactIdx> {
        let idx = *self.contact_ids.get(id)?;
        let contact = &self.contacts[idx];
        let expired = match (now, contact.ended_at) {
            (Some(now), Some(ended_at)) => {
                ended_at.saturating_add((self.retention_s as i64).saturating_mul(1000)) <= now
            }
            _ => false,
        };
        (!expired).then_some(idx)
    }

    /// Approximate heap bytes held, for `MEMORY USAGE`.
    pub fn memory_usage(&self) -> usize {
        const AGENT: usize = 160;
        const CONTACT: usize = 200;
        const SKILL: usize = 96;
        let agent_strings: usize = self.agent_ids.keys().map(|k| 2 * k.len()).sum();
        self.agents.len() * AGENT
            + agent_strings
            + self.contacts.len() * CONTACT
            + self.skills.count() * SKILL
            + self.queue.group_count() * SKILL
    }
}
