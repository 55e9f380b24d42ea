//! Routing: which agent gets which contact, and the state moves routing makes.
//!
//! - [`Center::find_agent`] (in `strategy.rs`): the eligible ready agent the center's strategy
//!   picks for a requirement set; the complexity of each strategy is documented there.
//! - [`Center::find_contact_for`]: the first queued contact, in routing order, that an agent
//!   can serve: one look at each active requirement group, O(g·k + log q).
//! - [`Center::dispatch`]: walks group heads in routing order, dropping a group for the rest
//!   of the call once nobody can serve its head (agents only leave the ready line during a
//!   dispatch, so a group that cannot be served stays so).
//! - [`Center::assign`]: with `offer-timeout` 0 the contact is assigned at once; otherwise it
//!   is offered and the agent must `ACD.ACCEPT` before the offer deadline.

use std::collections::BTreeSet;

use super::model::{AgentIdx, ContactIdx, GroupId, QueueKey, Status};
use super::{Center, EventKind};
use crate::state::{ContactState, Mode};

impl Center {
    pub(super) fn find_agent_for_group(&self, group: GroupId) -> Option<AgentIdx> {
        self.find_agent(&self.queue.group(group).reqs)
    }

    pub(super) fn find_contact_for(&self, agent: AgentIdx) -> Option<QueueKey> {
        let agent = &self.agents[agent];
        self.queue
            .active_groups()
            .filter(|(_, group)| agent.satisfies(&group.reqs))
            .filter_map(|(_, group)| group.queued.first().copied())
            .min()
    }

    /// Moves an agent to `status` (or out of the center, for `None`) at `now`, keeping the
    /// ready lines, deadlines, busy time and time-in-state metrics in step.
    pub(super) fn transition(&mut self, idx: AgentIdx, status: Option<Status>, now: i64) {
        let agent = &self.agents[idx];
        let (old_key, since) = (agent.ready_key(idx), agent.since);
        if let Some(deadline) = agent.deadline(idx, |c| self.contacts[c].seq) {
            self.deadlines.remove(&deadline);
        }
        let old = agent.status.clone();
        self.metrics.state_mut(old.state()).leave(since, now);
        if let Status::NotReady { reason } = &old {
            self.metrics.reason_mut(reason.as_deref()).leave(since, now);
        }
        if let Some(key) = old_key {
            self.unindex_ready(key);
        }
        if let Status::Busy { .. } = old {
            self.record_busy(idx, since, now);
        }
        let Some(status) = status else {
            return;
        };
        self.metrics.state_mut(status.state()).enter(now);
        if let Status::NotReady { reason } = &status {
            self.metrics.reason_mut(reason.as_deref()).enter(now);
        }
        let agent = &mut self.agents[idx];
        agent.status = status;
        agent.since = now;
        if let Some(key) = agent.ready_key(idx) {
            self.index_ready(key);
        }
        let agent = &self.agents[idx];
        if let Some(deadline) = agent.deadline(idx, |c| self.contacts[c].seq) {
            self.deadlines.insert(deadline);
        }
    }

    pub(super) fn set_status(&mut self, idx: AgentIdx, status: Status, now: i64) {
        self.transition(idx, Some(status), now);
    }

    /// Not ready with a reason, reported as an event.
    pub(super) fn make_not_ready(&mut self, idx: AgentIdx, reason: Option<String>, now: i64) {
        self.set_status(
            idx,
            Status::NotReady {
                reason: reason.clone(),
            },
            now,
        );
        self.emit(now, EventKind::NotReady, Some(idx), None, reason);
    }

    /// Gives a queued contact to an agent (ready, or becoming available): an offer when
    /// `offer-timeout` is set, an assignment otherwise.
    pub(super) fn assign(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        self.dequeue_contact(contact);
        self.last_assigned = Some(self.agents[agent].order);
        let timeout = self.settings.offer_timeout_ms as i64;
        let c = &mut self.contacts[contact];
        c.agent = Some(agent);
        c.agent_id = Some(self.agents[agent].id.clone());
        if timeout > 0 {
            c.state = ContactState::Offered;
            c.offered_at = Some(now);
            let until = now.saturating_add(timeout);
            self.set_status(agent, Status::Offered { contact, until }, now);
            self.metrics.totals.offered += 1;
            self.emit(now, EventKind::Offered, Some(agent), Some(contact), None);
        } else {
            self.connect(contact, agent, now);
        }
    }

    /// The agent takes the contact: it becomes busy and the wait is counted.
    pub(super) fn connect(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        let c = &mut self.contacts[contact];
        c.state = ContactState::Assigned;
        c.assigned_at = Some(now);
        // Event times may go backwards (AT is the caller's); a wait is never negative.
        let wait = (i128::from(now) - i128::from(c.enqueued_at)).max(0);
        self.set_status(agent, Status::Busy { contact }, now);
        self.agents[agent].misses = 0;
        let totals = &mut self.metrics.totals;
        totals.assigned += 1;
        totals.wait_ms += wait;
        if wait <= i128::from(self.settings.sla_ms) {
            totals.within_sla += 1;
        }
        self.emit(now, EventKind::Assigned, Some(agent), Some(contact), None);
    }

    /// The agent becomes available: in auto mode it takes the first queued contact it can
    /// serve, otherwise it joins the ready line. Returns the contact it took.
    pub(super) fn make_available(&mut self, agent: AgentIdx, now: i64) -> Option<ContactIdx> {
        if self.settings.mode == Mode::Auto {
            if let Some(key) = self.find_contact_for(agent) {
                self.assign(key.contact, agent, now);
                return Some(key.contact);
            }
        }
        let seq = self.next_seq();
        self.set_status(agent, Status::Ready { seq }, now);
        self.emit(now, EventKind::Ready, Some(agent), None, None);
        None
    }

    /// An agent freed by the center (end of contact, wrap-up, missed offer) becomes
    /// available, or not ready while the center is closed.
    pub(super) fn release_agent(&mut self, agent: AgentIdx, now: i64) {
        if self.open {
            self.make_available(agent, now);
        } else {
            self.make_not_ready(agent, Some(super::agents::CLOSED_REASON.to_owned()), now);
        }
    }

    /// In auto mode, routes a contact that just (re-)entered the queue.
    pub(super) fn route_contact(&mut self, contact: ContactIdx, now: i64) -> Option<AgentIdx> {
        if self.settings.mode != Mode::Auto {
            return None;
        }
        self.advance_occupancy(now);
        let agent = self.find_agent_for_group(self.contacts[contact].group)?;
        self.assign(contact, agent, now);
        Some(agent)
    }

    /// Assigns queued contacts in routing order, each to the eligible agent the strategy
    /// picks, at most `limit` of them. Returns the pairs made, in order.
    pub(super) fn dispatch(&mut self, limit: usize, now: i64) -> Vec<(ContactIdx, AgentIdx)> {
        self.advance_occupancy(now);
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
            let Some(agent) = self.find_agent_for_group(group) else {
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
