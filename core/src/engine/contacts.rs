//! Contact commands: enqueue, dispatch, complete, and contact and queue reads.

use super::agents::{to_json, CLOSED_REASON};
use super::model::{Contact, ContactIdx, Level, Status};
use super::{Center, Event};
use crate::command::Enqueue;
use crate::error::AcdError;
use crate::reply::Reply;
use crate::state::ContactState;
use crate::view::{raw_meta, ContactView};

impl Center {
    pub(super) fn enqueue(&mut self, c: &Enqueue, now: i64) -> Result<Reply, AcdError> {
        if self.contact_idx(&c.contact, Some(now)).is_some() {
            return Err(AcdError::Exists {
                kind: "contact",
                id: c.contact.clone(),
            });
        }
        if !self.open {
            return Err(AcdError::Closed);
        }
        self.settle(now);
        let mut reqs: Vec<Level> = c
            .skills
            .iter()
            .map(|s| (self.skills.intern(&s.name), s.level))
            .collect();
        reqs.sort_unstable();
        let group = self.queue.acquire_group(reqs);
        let seq = self.next_seq();
        let idx = self.contacts.insert(Contact {
            id: c.contact.clone(),
            group,
            priority: c.priority.unwrap_or(0),
            state: ContactState::Queued,
            agent: None,
            agent_id: None,
            enqueued_at: now,
            seq,
            assigned_at: None,
            ended_at: None,
            meta: c.meta.clone(),
        });
        self.contact_ids.insert(c.contact.clone(), idx);
        self.queue.push(self.contacts[idx].queue_key(idx), group);
        self.totals.enqueued += 1;
        self.events.push(Event::Enqueued {
            contact: c.contact.clone(),
        });
        Ok(match self.route_contact(idx, now) {
            Some(agent) => Reply::Bulk(self.agents[agent].id.clone()),
            None => Reply::Nil,
        })
    }

    pub(super) fn dispatch_command(&mut self, count: Option<usize>, now: i64) -> Reply {
        self.settle(now);
        let pairs = self.dispatch(count.unwrap_or(usize::MAX), now);
        Reply::Array(
            pairs
                .into_iter()
                .map(|(contact, agent)| {
                    Reply::Array(vec![
                        Reply::Bulk(self.contacts[contact].id.clone()),
                        Reply::Bulk(self.agents[agent].id.clone()),
                    ])
                })
                .collect(),
        )
    }

    pub(super) fn complete(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self
            .contact_idx(id, Some(now))
            .ok_or_else(|| AcdError::NoContact(id.to_owned()))?;
        self.settle(now);
        let contact = &self.contacts[idx];
        match contact.state {
            ContactState::Completed | ContactState::Abandoned => {
                return Ok(Reply::Status(contact.state.as_str()))
            }
            ContactState::Queued => {
                let (key, group) = (contact.queue_key(idx), contact.group);
                self.queue.remove(key, group);
                self.end_contact(idx, ContactState::Abandoned, now);
                self.totals.abandoned += 1;
                self.events.push(Event::Abandoned {
                    contact: id.to_owned(),
                });
            }
            ContactState::Assigned => {
                let agent = self.contacts[idx]
                    .agent
                    .take()
                    .expect("assigned contact has an agent");
                self.end_contact(idx, ContactState::Completed, now);
                self.totals.completed += 1;
                self.events.push(Event::Completed {
                    contact: id.to_owned(),
                });
                if self.open {
                    self.make_available(agent, now);
                } else {
                    let reason = Some(CLOSED_REASON.to_owned());
                    self.set_status(agent, Status::NotReady { reason }, now);
                    self.events.push(Event::NotReady {
                        agent: self.agents[agent].id.clone(),
                    });
                }
            }
        }
        Ok(Reply::Status(self.contacts[idx].state.as_str()))
    }

    fn end_contact(&mut self, idx: ContactIdx, state: ContactState, now: i64) {
        let contact = &mut self.contacts[idx];
        contact.state = state;
        contact.ended_at = Some(now);
        self.retained.insert((now, contact.seq, idx));
    }

    pub(super) fn contact_get(&self, id: &str) -> Result<Reply, AcdError> {
        let idx = self
            .contact_idx(id, None)
            .ok_or_else(|| AcdError::NoContact(id.to_owned()))?;
        let contact = &self.contacts[idx];
        let view = ContactView {
            id: contact.id.clone(),
            skills: self
                .queue
                .group(contact.group)
                .reqs
                .iter()
                .map(|&(skill, level)| (self.skills.name(skill).to_owned(), level))
                .collect(),
            priority: contact.priority,
            state: contact.state,
            agent: contact.agent_id.clone(),
            enqueued_at: contact.enqueued_at,
            assigned_at: contact.assigned_at,
            ended_at: contact.ended_at,
            meta: raw_meta(&contact.meta),
        };
        Ok(Reply::Bulk(to_json(&view)))
    }

    pub(super) fn queue_list(&self, count: Option<usize>) -> Reply {
        Reply::Array(
            self.queue
                .order
                .iter()
                .take(count.unwrap_or(usize::MAX))
                .map(|key| Reply::Bulk(self.contacts[key.contact].id.clone()))
                .collect(),
        )
    }
}
