//! Contact commands: enqueue, dispatch, complete, accept and reject offers, and contact and
//! queue reads; with the queue moves they share (queue, requeue, end).

use super::agents::to_json;
use super::model::{
    AgentIdx, Contact, ContactIdx, Deadline, DeadlineKind, Level, Relax, Work, VOICE_CHANNEL,
};
use super::{Center, EventKind};
use crate::command::Enqueue;
use crate::error::AcdError;
use crate::reply::Reply;
use crate::state::{ContactState, Mode};
use crate::view::{raw_meta, ContactView};

impl Center {
    pub(super) fn enqueue(&mut self, c: &Enqueue, now: i64) -> Result<Reply, AcdError> {
        if self.contact_ids.get(&c.contact, &self.contacts).is_some() {
            return Err(AcdError::Exists {
                kind: "contact",
                id: c.contact.clone(),
            });
        }
        if !self.open {
            return Err(AcdError::Closed);
        }
        let channel_name = c.channel.as_deref().unwrap_or(crate::VOICE);
        let max_queue = self.settings.max_queue as usize;
        if max_queue > 0
            && self.queue.len() >= max_queue
            && !self.servable_now(channel_name, &c.skills)
        {
            return Err(AcdError::QueueFull(self.queue.len()));
        }
        let channel = match &c.channel {
            Some(name) => self.channels.intern(name),
            None => VOICE_CHANNEL,
        };
        let group = self.with_levels(&c.skills, |center, reqs| {
            center.queue.acquire_group(channel, reqs)
        });
        let relax = c
            .relax
            .iter()
            .map(|step| Relax {
                after_ms: i64::try_from(step.after_ms).unwrap_or(i64::MAX),
                reqs: self.intern_levels(&step.skills),
            })
            .collect();
        let seq = self.next_seq();
        let idx = self.contacts.insert(Contact {
            id: c.contact.as_str().into(),
            channel,
            group,
            relax,
            priority: c.priority.unwrap_or(0),
            state: ContactState::Queued,
            agent: None,
            agent_id: None,
            enqueued_at: now,
            seq,
            offered_at: None,
            assigned_at: None,
            ended_at: None,
            meta: c.meta.clone(),
        });
        self.contact_ids.insert(idx, &self.contacts);
        self.metrics.totals.enqueued += 1;
        self.emit(now, EventKind::Enqueued, None, Some(idx), None);
        // Routed at once, the contact never enters the queue (nor gets queue deadlines).
        Ok(match self.pick_for(idx, now) {
            Some(agent) => {
                self.give(idx, agent, now);
                Reply::Bulk(String::from(&*self.agents[agent].id))
            }
            None => {
                self.enqueue_contact(idx);
                Reply::Nil
            }
        })
    }

    /// Whether a new contact on this channel with these requirements would be routed at once.
    fn servable_now(&self, channel: &str, skills: &[crate::Skill]) -> bool {
        let Some(channel) = self.channels.lookup(channel) else {
            return false;
        };
        self.settings.mode == Mode::Auto
            && self
                .lookup_levels(skills)
                .is_some_and(|reqs| self.find_agent(channel, &reqs).is_some())
    }

    /// Requirement levels for known skills; `None` if a skill was never seen (nobody has it).
    pub(super) fn lookup_levels(&self, skills: &[crate::Skill]) -> Option<Vec<Level>> {
        let mut levels = skills
            .iter()
            .map(|s| self.skills.lookup(&s.name).map(|id| (id, s.level)))
            .collect::<Option<Vec<Level>>>()?;
        levels.sort_unstable();
        Some(levels)
    }

    fn max_wait_deadline(&self, idx: ContactIdx) -> Option<Deadline> {
        let max_wait = self.settings.max_wait_ms as i64;
        let c = &self.contacts[idx];
        (max_wait > 0).then(|| Deadline {
            at: c.enqueued_at.saturating_add(max_wait),
            kind: DeadlineKind::MaxWait,
            seq: c.seq,
            handle: idx,
        })
    }

    /// Puts a contact in the queue at its place, with its `max-wait` and relaxation deadlines.
    pub(super) fn enqueue_contact(&mut self, idx: ContactIdx) {
        let c = &self.contacts[idx];
        let (key, group) = (c.queue_key(idx, &self.settings), c.group);
        self.channels.queued[c.channel as usize] += 1;
        self.queue.push(key, group);
        for &(skill, _) in &self.queue.group(group).reqs {
            self.skills.queued[skill as usize] += 1;
        }
        let relax = self.contacts[idx].relax_deadline(idx);
        self.deadlines
            .extend(self.max_wait_deadline(idx).into_iter().chain(relax));
    }

    /// Takes a contact out of the queue, with its `max-wait` and relaxation deadlines.
    pub(super) fn dequeue_contact(&mut self, idx: ContactIdx) {
        let c = &self.contacts[idx];
        let (key, group) = (c.queue_key(idx, &self.settings), c.group);
        self.channels.queued[c.channel as usize] -= 1;
        self.queue.remove(key, group);
        for &(skill, _) in &self.queue.group(group).reqs {
            self.skills.queued[skill as usize] -= 1;
        }
        let relax = self.contacts[idx].relax_deadline(idx);
        for deadline in self.max_wait_deadline(idx).into_iter().chain(relax) {
            self.deadlines.remove(&deadline);
        }
    }

    /// Re-sorts the queue after `priority-age` changed.
    pub(super) fn rekey_queue(&mut self) {
        let (contacts, settings) = (&self.contacts, &self.settings);
        self.queue
            .rekey(|idx| contacts[idx].queue_key(idx, settings));
    }

    /// Re-applies `max-wait` to every queued contact after the setting changed.
    pub(super) fn reset_max_wait(&mut self) {
        self.deadlines.retain(|d| d.kind != DeadlineKind::MaxWait);
        let queued: Vec<ContactIdx> = self.queue.order.iter().map(|k| k.contact).collect();
        for idx in queued {
            if let Some(deadline) = self.max_wait_deadline(idx) {
                self.deadlines.insert(deadline);
            }
        }
    }

    /// A contact held by an agent goes back to the queue at its original place and, in auto
    /// mode, is routed again.
    pub(super) fn requeue(&mut self, idx: ContactIdx, now: i64) {
        let c = &mut self.contacts[idx];
        c.state = ContactState::Queued;
        c.agent = None;
        c.agent_id = None;
        c.offered_at = None;
        c.assigned_at = None;
        self.enqueue_contact(idx);
        self.emit(now, EventKind::Requeued, None, Some(idx), None);
        self.route_contact(idx, now);
    }

    pub(super) fn end_contact(&mut self, idx: ContactIdx, state: ContactState, now: i64) {
        let contact = &mut self.contacts[idx];
        contact.state = state;
        contact.agent = None;
        contact.ended_at = Some(now);
        contact.relax = Vec::new();
        self.retained.insert((now, contact.seq, idx));
    }

    pub(super) fn dispatch_command(&mut self, count: Option<usize>, now: i64) -> Reply {
        let pairs = self.dispatch(count.unwrap_or(usize::MAX), now);
        Reply::Array(
            pairs
                .into_iter()
                .map(|(contact, agent)| {
                    Reply::Array(vec![
                        Reply::Bulk(String::from(&*self.contacts[contact].id)),
                        Reply::Bulk(String::from(&*self.agents[agent].id)),
                    ])
                })
                .collect(),
        )
    }

    pub(super) fn complete(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.contact_idx(id)?;
        let contact = &self.contacts[idx];
        let (state, agent) = (contact.state, contact.agent);
        match (state, agent) {
            (ContactState::Queued, _) => {
                self.dequeue_contact(idx);
                self.abandon(idx, now);
            }
            (ContactState::Offered, Some(agent)) => {
                self.drop_hold(agent, idx, now);
                self.abandon(idx, now);
                self.freed(agent, now);
            }
            (ContactState::Assigned, Some(agent)) => {
                let assigned_at = self.contacts[idx].assigned_at.unwrap_or(now);
                self.end_contact(idx, ContactState::Completed, now);
                self.metrics.totals.completed += 1;
                self.metrics.totals.handle_ms += (i128::from(now) - i128::from(assigned_at)).max(0);
                self.emit(now, EventKind::Completed, Some(agent), Some(idx), None);
                self.record_busy(agent, assigned_at, now);
                self.after_contact(agent, idx, now);
            }
            // Already ended: completing again is a no-op that answers the end state.
            _ => {}
        }
        Ok(Reply::Status(self.contacts[idx].state.as_str()))
    }

    fn abandon(&mut self, idx: ContactIdx, now: i64) {
        self.end_contact(idx, ContactState::Abandoned, now);
        self.metrics.totals.abandoned += 1;
        self.emit(now, EventKind::Abandoned, None, Some(idx), None);
    }

    /// After a handled contact: its hold becomes a wrap-up if configured, else it ends.
    fn after_contact(&mut self, agent: AgentIdx, contact: ContactIdx, now: i64) {
        let wrapup = self.settings.wrapup_ms as i64;
        if wrapup > 0 {
            let seq = self.next_seq();
            let until = now.saturating_add(wrapup);
            self.update_agent(agent, now, |a| {
                if let Some(hold) = a
                    .holds
                    .iter_mut()
                    .find(|h| h.work.contact() == Some(contact))
                {
                    hold.work = Work::WrapUp { until, seq };
                }
            });
            self.emit(now, EventKind::WrapUp, Some(agent), Some(contact), None);
        } else {
            self.drop_hold(agent, contact, now);
            self.freed(agent, now);
        }
    }

    /// Takes a contact off its agent's holds.
    fn drop_hold(&mut self, agent: AgentIdx, contact: ContactIdx, now: i64) {
        self.update_agent(agent, now, |a| {
            a.holds.retain(|h| h.work.contact() != Some(contact))
        });
    }

    /// A wrap-up ended: its hold is released.
    pub(super) fn end_wrapup(&mut self, agent: AgentIdx, seq: u64, now: i64) {
        self.update_agent(agent, now, |a| {
            a.holds
                .retain(|h| !matches!(h.work, Work::WrapUp { seq: s, .. } if s == seq))
        });
        self.freed(agent, now);
    }

    /// The contact being offered, and the agent it is offered to.
    fn offered(&self, id: &str) -> Result<(ContactIdx, AgentIdx), AcdError> {
        let idx = self.contact_idx(id)?;
        let contact = &self.contacts[idx];
        match (contact.state, contact.agent) {
            (ContactState::Offered, Some(agent)) => Ok((idx, agent)),
            (state, _) => Err(AcdError::NotOffered {
                contact: id.to_owned(),
                state: state.as_str(),
            }),
        }
    }

    pub(super) fn accept(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let (contact, agent) = self.offered(id)?;
        self.connect(contact, agent, now);
        Ok(Reply::Ok)
    }

    pub(super) fn reject(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let (contact, agent) = self.offered(id)?;
        self.missed(contact, agent, EventKind::Rejected, now);
        Ok(Reply::Ok)
    }

    /// An offer was rejected or timed out: the contact goes back to its place (and to another
    /// agent, if one can take it), the agent counts a miss and, after `max-no-answer`
    /// consecutive misses, is left not ready; otherwise it rejoins the end of the ready line.
    pub(super) fn missed(
        &mut self,
        contact: ContactIdx,
        agent: AgentIdx,
        kind: EventKind,
        now: i64,
    ) {
        let reason = match kind {
            EventKind::Rejected => "rejected",
            _ => "no-answer",
        };
        self.emit(now, kind, Some(agent), Some(contact), None);
        let totals = &mut self.metrics.totals;
        match kind {
            EventKind::Rejected => totals.rejected += 1,
            _ => totals.no_answer += 1,
        }
        self.agents[agent].misses += 1;
        self.drop_hold(agent, contact, now);
        self.make_not_ready(agent, Some(reason.to_owned()), now);
        self.requeue(contact, now);
        let limit = self.settings.max_no_answer;
        if limit == 0 || u64::from(self.agents[agent].misses) < limit {
            self.release_agent(agent, now);
        }
    }

    pub(super) fn contact_get(&self, id: &str) -> Result<Reply, AcdError> {
        let idx = self.contact_idx(id)?;
        let contact = &self.contacts[idx];
        let view = ContactView {
            id: String::from(&*contact.id),
            skills: self.named_levels(&self.queue.group(contact.group).reqs),
            channel: self.channels.name(contact.channel).to_owned(),
            priority: contact.priority,
            state: contact.state,
            agent: contact.agent_id.as_deref().map(str::to_owned),
            enqueued_at: contact.enqueued_at,
            assigned_at: contact.assigned_at,
            ended_at: contact.ended_at,
            meta: raw_meta(&contact.meta),
        };
        Ok(Reply::Bulk(to_json(&view)))
    }

    pub(super) fn named_levels<T: FromIterator<(String, u8)>>(&self, levels: &[Level]) -> T {
        levels
            .iter()
            .map(|&(skill, level)| (self.skills.name(skill).to_owned(), level))
            .collect()
    }

    pub(super) fn queue_list(&self, count: Option<usize>) -> Reply {
        Reply::Array(
            self.queue
                .order
                .iter()
                .take(count.unwrap_or(usize::MAX))
                .map(|key| Reply::Bulk(String::from(&*self.contacts[key.contact].id)))
                .collect(),
        )
    }
}
