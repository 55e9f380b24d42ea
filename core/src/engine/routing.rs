//! Routing: which agent gets which contact, and the state moves routing makes.
//!
//! - [`Center::find_agent`] (in `strategy.rs`): the eligible ready agent the center's strategy
//!   picks for a requirement set; the complexity of each strategy is documented there.
//! - [`Center::find_contact_for`]: the first queued contact, in routing order, that an agent
//!   can serve on a channel where it has room: one look at each active requirement group,
//!   O(g·k + log q).
//! - [`Center::fill`]: an agent that may have gained room takes queued contacts, first in
//!   routing order, until none is left that it can serve or it is full.
//! - [`Center::dispatch`]: walks group heads in routing order, dropping a group for the rest
//!   of the call once nobody can serve its head (agents only leave the ready line during a
//!   dispatch, so a group that cannot be served stays so).
//! - [`Center::assign`]: with `offer-timeout` 0 the contact is assigned at once; otherwise it
//!   is offered and the agent must `ACD.ACCEPT` before the offer deadline.

use std::collections::BTreeSet;

use super::compact_id::CompactId;
use super::model::Agent;
use super::model::{AgentIdx, ContactIdx, GroupId, Hold, Presence, QueueKey, Work};
use super::{Center, EventKind};
use crate::state::{AgentState, ContactState, Mode};

impl Center {
    pub(super) fn find_agent_for_group(&self, group: GroupId) -> Option<AgentIdx> {
        let group = self.queue.group(group);
        self.find_agent(group.channel, &group.reqs)
    }

    pub(super) fn find_contact_for(&self, agent: AgentIdx) -> Option<QueueKey> {
        let agent = &self.agents[agent];
        self.queue
            .active_groups()
            .filter(|(_, group)| {
                agent
                    .slot(group.channel)
                    .is_some_and(|slot| slot.free.is_some())
                    && agent.satisfies(&group.reqs)
            })
            .filter_map(|(_, group)| group.queued.first().copied())
            .min()
    }

    /// Changes an agent's presence or holds at `now`, keeping in step its deadlines, the
    /// per-channel counts, the time-in-state metrics (when the reported state or not-ready
    /// reason changes) and its place in each channel's lines (it joins the back of a line
    /// when it becomes eligible there, and keeps its place while it stays so).
    pub(super) fn update_agent(
        &mut self,
        idx: AgentIdx,
        now: i64,
        change: impl FnOnce(&mut Agent),
    ) {
        self.unlink_agent(idx);
        let agent = &self.agents[idx];
        let (state, reason) = (agent.state(), agent.reason().map(str::to_owned));
        change(&mut self.agents[idx]);
        let agent = &self.agents[idx];
        if agent.state() != state || agent.reason() != reason.as_deref() {
            self.metrics
                .leave(state, reason.as_deref(), agent.since, now);
            self.metrics.enter(agent.state(), agent.reason(), now);
            self.agents[idx].since = now;
        }
        self.link_agent(idx);
        self.refresh_slots(idx, now);
    }

    /// Takes an agent's holds out of the deadlines and per-channel counts.
    fn unlink_agent(&mut self, idx: AgentIdx) {
        let agent = &self.agents[idx];
        for deadline in agent.deadlines(idx, |c| self.contacts[c].seq) {
            self.deadlines.remove(&deadline);
        }
        for hold in &agent.holds {
            if hold.work.contact().is_some() {
                self.channels.handling[hold.channel as usize] -= 1;
            }
        }
    }

    /// Puts an agent's holds in the deadlines and per-channel counts.
    pub(super) fn link_agent(&mut self, idx: AgentIdx) {
        let agent = &self.agents[idx];
        self.deadlines
            .extend(agent.deadlines(idx, |c| self.contacts[c].seq));
        for hold in &agent.holds {
            if hold.work.contact().is_some() {
                self.channels.handling[hold.channel as usize] += 1;
            }
        }
    }

    /// Joins or leaves each channel's lines as the agent's eligibility there changed.
    pub(super) fn refresh_slots(&mut self, idx: AgentIdx, now: i64) {
        for i in 0..self.agents[idx].slots.len() {
            let agent = &self.agents[idx];
            let slot = agent.slots[i];
            match (slot.free, agent.can_take(&slot, self.settings.voice_blocks)) {
                (Some(_), false) => {
                    if let Some(key) = agent.ready_key(idx, slot.channel) {
                        self.leave_lines(slot.channel, key);
                    }
                    self.agents[idx].slots[i].free = None;
                }
                (None, true) => {
                    let seq = self.next_seq();
                    self.agents[idx].slots[i].free = Some((now, seq));
                    if let Some(key) = self.agents[idx].ready_key(idx, slot.channel) {
                        self.index_ready(slot.channel, key);
                    }
                }
                _ => {}
            }
        }
    }

    /// Takes an agent out of every index and metric, before it is deleted.
    pub(super) fn retire_agent(&mut self, idx: AgentIdx, now: i64) {
        self.update_agent(idx, now, |agent| {
            agent.presence = Presence::NotReady { reason: None };
            agent.holds.clear();
        });
        let since = self.agents[idx].since;
        self.metrics.leave(AgentState::NotReady, None, since, now);
    }

    /// Not ready with a reason. It shows (with an event) at once if the agent holds nothing,
    /// otherwise when its last hold ends.
    pub(super) fn make_not_ready(&mut self, idx: AgentIdx, reason: Option<String>, now: i64) {
        let presence = Presence::NotReady {
            reason: reason.clone(),
        };
        self.update_agent(idx, now, |agent| agent.presence = presence);
        if self.agents[idx].holds.is_empty() {
            self.emit(now, EventKind::NotReady, Some(idx), None, reason);
        }
    }

    /// Gives a queued contact to an agent that can take it (see [`Center::give`]).
    pub(super) fn assign(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        self.dequeue_contact(contact);
        self.give(contact, agent, now);
    }

    /// Gives a contact that is not in the queue to an agent that can take it: an offer when
    /// `offer-timeout` is set, an assignment otherwise.
    pub(super) fn give(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        self.last_assigned = Some(self.agents[agent].order);
        let timeout = self.settings.offer_timeout_ms as i64;
        let c = &mut self.contacts[contact];
        c.agent = Some(agent);
        c.agent_id = Some(CompactId::of(&self.agents[agent].id));
        let channel = c.channel;
        if timeout > 0 {
            c.state = ContactState::Offered;
            c.offered_at = Some(now);
            let until = now.saturating_add(timeout);
            let work = Work::Offered { contact, until };
            self.update_agent(agent, now, |a| a.holds.push(Hold { channel, work }));
            self.metrics.totals.offered += 1;
            self.emit(now, EventKind::Offered, Some(agent), Some(contact), None);
        } else {
            self.connect(contact, agent, now);
        }
    }

    /// The agent takes the contact (offered to it, or given directly): it is busy with it and
    /// the wait is counted.
    pub(super) fn connect(&mut self, contact: ContactIdx, agent: AgentIdx, now: i64) {
        let c = &mut self.contacts[contact];
        c.state = ContactState::Assigned;
        c.assigned_at = Some(now);
        let channel = c.channel;
        // Event times may go backwards (AT is the caller's); a wait is never negative.
        let wait = (i128::from(now) - i128::from(c.enqueued_at)).max(0);
        let busy = Work::Busy { contact };
        self.update_agent(agent, now, |a| {
            match a
                .holds
                .iter_mut()
                .find(|h| h.work.contact() == Some(contact))
            {
                Some(hold) => hold.work = busy,
                None => a.holds.push(Hold {
                    channel,
                    work: busy,
                }),
            }
            a.misses = 0;
        });
        let totals = &mut self.metrics.totals;
        totals.assigned += 1;
        totals.wait_ms += wait;
        if wait <= i128::from(self.settings.sla_ms) {
            totals.within_sla += 1;
        }
        self.channels.assigned[channel as usize] += 1;
        self.emit(now, EventKind::Assigned, Some(agent), Some(contact), None);
    }

    /// In auto mode, the agent takes queued contacts it can serve, first in routing order,
    /// until none is left or it has no room. Returns the first one it took.
    pub(super) fn fill(&mut self, agent: AgentIdx, now: i64) -> Option<ContactIdx> {
        if self.settings.mode != Mode::Auto {
            return None;
        }
        let mut first = None;
        while let Some(key) = self.find_contact_for(agent) {
            self.assign(key.contact, agent, now);
            first.get_or_insert(key.contact);
        }
        first
    }

    /// The agent becomes ready: it fills (auto mode) and, if that left it free, joins the
    /// lines with a `ready` event. Returns the first contact it took.
    pub(super) fn make_available(&mut self, agent: AgentIdx, now: i64) -> Option<ContactIdx> {
        self.update_agent(agent, now, |a| a.presence = Presence::Ready);
        let first = self.fill(agent, now);
        if self.agents[agent].state() == AgentState::Ready {
            self.emit(now, EventKind::Ready, Some(agent), None, None);
        }
        first
    }

    /// One of the agent's holds ended (a contact without wrap-up, or a wrap-up): a ready agent
    /// fills and, if that left it free, reports `ready`; a not-ready one that is now free
    /// reports `notready` (the center closed, or it asked to, while it was working).
    pub(super) fn freed(&mut self, agent: AgentIdx, now: i64) {
        match self.agents[agent].presence.clone() {
            Presence::Ready => {
                self.fill(agent, now);
                if self.agents[agent].state() == AgentState::Ready {
                    self.emit(now, EventKind::Ready, Some(agent), None, None);
                }
            }
            Presence::NotReady { reason } => {
                if self.agents[agent].holds.is_empty() {
                    self.emit(now, EventKind::NotReady, Some(agent), None, reason);
                }
            }
        }
    }

    /// After a missed offer: ready again, or not ready while the center is closed.
    pub(super) fn release_agent(&mut self, agent: AgentIdx, now: i64) {
        if self.open {
            self.make_available(agent, now);
        } else {
            self.make_not_ready(agent, Some(super::agents::CLOSED_REASON.to_owned()), now);
        }
    }

    /// In auto mode, routes a contact that just (re-)entered the queue.
    pub(super) fn route_contact(&mut self, contact: ContactIdx, now: i64) -> Option<AgentIdx> {
        let agent = self.pick_for(contact, now)?;
        self.assign(contact, agent, now);
        Some(agent)
    }

    /// In auto mode, the agent the strategy picks now for a contact (queued or not).
    pub(super) fn pick_for(&mut self, contact: ContactIdx, now: i64) -> Option<AgentIdx> {
        if self.settings.mode != Mode::Auto {
            return None;
        }
        self.advance_occupancy(now);
        self.choose_for_group(self.contacts[contact].group)
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
            let Some(agent) = self.choose_for_group(group) else {
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
