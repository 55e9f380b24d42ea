//! Routing: which agent gets which contact, and the state moves an assignment makes.
//!
//! - [`Center::find_agent`]: the longest-available eligible agent for a requirement group.
//!   Walks the shortest per-skill ready line among the requirements (or the global line for
//!   "any agent") in longest-available order and takes the first agent that has every
//!   required skill at the required level: O(k log n) plus the agents skipped on that line.
//! - [`Center::find_contact_for`]: the first queued contact, in routing order, that an agent
//!   can serve: one look at each active requirement group, O(g·k + log q).
//! - [`Center::dispatch`]: walks group heads in routing order, dropping a group for the rest
//!   of the call once nobody can serve its head (agents only leave the ready line during a
//!   dispatch, so a group that cannot be served stays so).

use std::collections::BTreeSet;

use super::model::{AgentIdx, ContactIdx, GroupId, QueueKey, ReadyKey, Status};
use super::{Center, Event};
use crate::state::{ContactState, Mode};

impl Center {
    pub(super) fn find_agent(&self, group: GroupId) -> Option<AgentIdx> {
        let reqs = &self.queue.group(group).reqs;
        let line = reqs
            .iter()
            .map(|&(skill, _)| &self.skills.ready[skill as usize])
            .min_by_key(|line| line.len())
            .unwrap_or(&self.ready);
        line.iter()
            .map(|key| key.agent)
            .find(|&agent| self.agents[agent].satisfies(reqs))
    }

    pub(super) fn find_contact_for(&self, agent: AgentIdx) -> Option<QueueKey> {
        let agent = &self.agents[agent];
        self.queue
            .active_groups()
            .filter(|(_, group)| agent.satisfies(&group.reqs))
            .filter_map(|(_, group)| group.queued.first().copied())
            .min()
    }

    /// Moves an agent to `status` at `now`, keeping the ready lines and counters in step.
    pub(super) fn set_status(&mut self, idx: AgentIdx, status: Status, now: i64) {
        let old_key = self.agents[idx].ready_key(idx);
        match self.agents[idx].status {
            Status::NotReady { .. } => self.notready_count -= 1,
            Status::Busy { .. } => self.busy_count -= 1,
            Status::Ready { .. } => {}
        }
        if let Some(key) = old_key {
            self.unindex_ready(key);
        }
        match status {
            Status::NotReady { .. } => self.notready_count += 1,
            Status::Busy { .. } => self.busy_count += 1,
            Status::Ready { .. } => {}
        }
        let agent = &mut self.agents[idx];
        agent.status = status;
        agent.since = now;
        if let Some(key) = agent.ready_key(idx) {
            self.index_ready(key);
        }
    }

    pub(super) fn index_ready(&mut self, key: ReadyKey) {
        self.ready.insert(key);
        for &(skill, _) in &self.agents[key.agent].skills {
            self.skills.ready[skill as usize].insert(key);
        }
    }

    pub(super) fn unindex_ready(&mut self, key: ReadyKey) {
        self.ready.remove(&key);
        for &(skill, _) in &self.agents[key.agent].skills {
            self.skills.ready[skill as usize].remove(&key);
        }
    }

    /// Gives a queued contact to an agent (ready, or becoming ready).
    pub(super) fn assign(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        let c = &self.contacts[contact];
        let (key, group, enqueued_at) = (c.queue_key(contact), c.group, c.enqueued_at);
        self.queue.remove(key, group);
        let c = &mut self.contacts[contact];
        c.state = ContactState::Assigned;
        c.agent = Some(agent);
        c.agent_id = Some(self.agents[agent].id.clone());
        c.assigned_at = Some(now);
        self.set_status(agent, Status::Busy { contact }, now);
        self.totals.assigned += 1;
        self.totals.wait_ms += i128::from(now) - i128::from(enqueued_at);
        self.events.push(Event::Assigned {
            contact: self.contacts[contact].id.clone(),
            agent: self.agents[agent].id.clone(),
        });
    }

    /// The agent becomes available: in auto mode it takes the first queued contact it can
    /// serve, otherwise it joins the ready line. Returns the contact it took.
    pub(super) fn make_available(&mut self, agent: AgentIdx, now: i64) -> Option<ContactIdx> {
        if self.mode == Mode::Auto {
            if let Some(key) = self.find_contact_for(agent) {
                self.assign(key.contact, agent, now);
                return Some(key.contact);
            }
        }
        let seq = self.next_seq();
        self.set_status(agent, Status::Ready { seq }, now);
        self.events.push(Event::Ready {
            agent: self.agents[agent].id.clone(),
        });
        None
    }

    /// In auto mode, routes a contact that just (re-)entered the queue.
    pub(super) fn route_contact(&mut self, contact: ContactIdx, now: i64) -> Option<AgentIdx> {
        if self.mode != Mode::Auto {
            return None;
        }
        let agent = self.find_agent(self.contacts[contact].group)?;
        self.assign(contact, agent, now);
        Some(agent)
    }

    /// Assigns queued contacts in routing order, each to its longest-available eligible agent,
    /// at most `limit` of them. Returns the pairs made, in order.
    pub(super) fn dispatch(&mut self, limit: usize, now: i64) -> Vec<(ContactIdx, AgentIdx)> {
        let mut heads: BTreeSet<(QueueKey, GroupId)> = self
            .queue
            .active_groups()
            .filter_map(|(id, group)| group.queued.first().map(|&key| (key, id)))
            .collect();
        let mut made = Vec::new();
        while made.len() < limit {
            let Some((key, group)) = heads.pop_first() else {
                break;
            };
            let Some(agent) = self.find_agent(group) else {
                continue;
            };
            self.assign(key.contact, agent, now);
            made.push((key.contact, agent));
            if let Some(&next) = self.queue.group(group).queued.first() {
                heads.insert((next, group));
            }
        }
        made
    }
}
