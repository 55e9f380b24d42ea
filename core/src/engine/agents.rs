//! Agent commands: add, delete, metadata, skills, ready and not ready, and agent reads.

use super::model::{Agent, AgentIdx, Level, Status};
use super::{Center, Event};
use crate::command::AgentAdd;
use crate::error::AcdError;
use crate::reply::Reply;
use crate::skill::Skill;
use crate::state::{AgentState, ContactState};
use crate::view::{raw_meta, AgentView};

/// Reason given to agents made not ready by `ACD.CLOSE`.
pub(super) const CLOSED_REASON: &str = "closed";

impl Center {
    pub(super) fn agent_add(&mut self, c: &AgentAdd, now: i64) -> Result<Reply, AcdError> {
        if self.agent_ids.contains_key(&c.agent) {
            return Err(AcdError::Exists {
                kind: "agent",
                id: c.agent.clone(),
            });
        }
        self.settle(now);
        let mut skills: Vec<Level> = c
            .skills
            .iter()
            .map(|s| (self.skills.intern(&s.name), s.level))
            .collect();
        skills.sort_unstable();
        let idx = self.agents.insert(Agent {
            id: c.agent.clone(),
            skills,
            status: Status::NotReady { reason: None },
            since: now,
            meta: c.meta.clone(),
        });
        self.agent_ids.insert(c.agent.clone(), idx);
        for &(skill, _) in &self.agents[idx].skills {
            self.skills.holders[skill as usize].insert(idx);
        }
        self.notready_count += 1;
        self.events.push(Event::AgentAdded {
            agent: c.agent.clone(),
        });
        Ok(Reply::Ok)
    }

    pub(super) fn agent_del(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        self.settle(now);
        // Leaving through not-ready keeps the counters and ready lines right.
        let status = self.agents[idx].status.clone();
        self.set_status(idx, Status::NotReady { reason: None }, now);
        self.notready_count -= 1;
        let agent = self.agents.remove(idx).expect("agent checked above");
        self.agent_ids.remove(&agent.id);
        for &(skill, _) in &agent.skills {
            self.skills.holders[skill as usize].remove(&idx);
        }
        self.events.push(Event::AgentDeleted {
            agent: agent.id.clone(),
        });
        if let Status::Busy { contact } = status {
            let c = &mut self.contacts[contact];
            c.state = ContactState::Queued;
            c.agent = None;
            c.agent_id = None;
            c.assigned_at = None;
            let (key, group) = (c.queue_key(contact), c.group);
            self.queue.push(key, group);
            self.events.push(Event::Requeued {
                contact: self.contacts[contact].id.clone(),
            });
            self.route_contact(contact, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn agent_meta(&mut self, id: &str, meta: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        self.settle(now);
        self.agents[idx].meta = Some(meta.to_owned());
        self.events.push(Event::AgentUpdated {
            agent: id.to_owned(),
        });
        Ok(Reply::Ok)
    }

    pub(super) fn agent_grant(
        &mut self,
        id: &str,
        grant: &[Skill],
        now: i64,
    ) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        self.settle(now);
        let ready_key = self.agents[idx].ready_key(idx);
        for s in grant {
            let skill = self.skills.intern(&s.name);
            let skills = &mut self.agents[idx].skills;
            match skills.binary_search_by_key(&skill, |&(id, _)| id) {
                Ok(i) => skills[i].1 = s.level,
                Err(i) => {
                    skills.insert(i, (skill, s.level));
                    self.skills.holders[skill as usize].insert(idx);
                    if let Some(key) = ready_key {
                        self.skills.ready[skill as usize].insert(key);
                    }
                }
            }
        }
        self.events.push(Event::AgentUpdated {
            agent: id.to_owned(),
        });
        if let Some(key) = ready_key {
            self.reroute_ready_agent(key.agent, now);
        }
        Ok(Reply::Ok)
    }

    /// A ready agent whose skills grew may now serve a queued contact (auto mode).
    fn reroute_ready_agent(&mut self, idx: AgentIdx, now: i64) {
        if self.mode != crate::state::Mode::Auto {
            return;
        }
        if let Some(key) = self.find_contact_for(idx) {
            self.assign(key.contact, idx, now);
        }
    }

    pub(super) fn agent_revoke(
        &mut self,
        id: &str,
        revoke: &[String],
        now: i64,
    ) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        self.settle(now);
        for name in revoke {
            if let Some(skill) = self.skills.lookup(name) {
                self.remove_skill(idx, skill);
            }
        }
        self.events.push(Event::AgentUpdated {
            agent: id.to_owned(),
        });
        Ok(Reply::Ok)
    }

    /// Takes `skill` from an agent (and from its ready line). Returns whether it had it.
    fn remove_skill(&mut self, idx: AgentIdx, skill: u32) -> bool {
        let ready_key = self.agents[idx].ready_key(idx);
        let skills = &mut self.agents[idx].skills;
        let Ok(i) = skills.binary_search_by_key(&skill, |&(id, _)| id) else {
            return false;
        };
        skills.remove(i);
        self.skills.holders[skill as usize].remove(&idx);
        if let Some(key) = ready_key {
            self.skills.ready[skill as usize].remove(&key);
        }
        true
    }

    pub(super) fn skill_del(&mut self, name: &str, now: i64) -> Reply {
        self.settle(now);
        let Some(skill) = self.skills.lookup(name) else {
            return Reply::Int(0);
        };
        let holders: Vec<AgentIdx> = self.skills.holders[skill as usize]
            .iter()
            .copied()
            .collect();
        for &idx in &holders {
            self.remove_skill(idx, skill);
            self.events.push(Event::AgentUpdated {
                agent: self.agents[idx].id.clone(),
            });
        }
        Reply::Int(holders.len() as i64)
    }

    pub(super) fn ready(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        if !self.open {
            return Err(AcdError::Closed);
        }
        match self.agents[idx].status {
            Status::Busy { contact } => return Err(self.busy_error(idx, contact)),
            Status::Ready { .. } => {
                self.settle(now);
                return Ok(Reply::Nil);
            }
            Status::NotReady { .. } => {}
        }
        self.settle(now);
        Ok(match self.make_available(idx, now) {
            Some(contact) => Reply::Bulk(self.contacts[contact].id.clone()),
            None => Reply::Nil,
        })
    }

    pub(super) fn not_ready(
        &mut self,
        id: &str,
        reason: Option<&str>,
        now: i64,
    ) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        if let Status::Busy { contact } = self.agents[idx].status {
            return Err(self.busy_error(idx, contact));
        }
        self.settle(now);
        let status = Status::NotReady {
            reason: reason.map(str::to_owned),
        };
        if self.agents[idx].status != status {
            self.set_status(idx, status, now);
            self.events.push(Event::NotReady {
                agent: id.to_owned(),
            });
        }
        Ok(Reply::Ok)
    }

    fn busy_error(&self, agent: AgentIdx, contact: u32) -> AcdError {
        AcdError::BusyAgent {
            agent: self.agents[agent].id.clone(),
            contact: self.contacts[contact].id.clone(),
        }
    }

    pub(super) fn agent_get(&self, id: &str) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        let agent = &self.agents[idx];
        let (state, reason, contact) = match &agent.status {
            Status::NotReady { reason } => (AgentState::NotReady, reason.clone(), None),
            Status::Ready { .. } => (AgentState::Ready, None, None),
            Status::Busy { contact } => (
                AgentState::Busy,
                None,
                Some(self.contacts[*contact].id.clone()),
            ),
        };
        let view = AgentView {
            id: agent.id.clone(),
            skills: agent
                .skills
                .iter()
                .map(|&(skill, level)| (self.skills.name(skill).to_owned(), level))
                .collect(),
            state,
            since: agent.since,
            reason,
            contact,
            meta: raw_meta(&agent.meta),
        };
        Ok(Reply::Bulk(to_json(&view)))
    }

    pub(super) fn agents_list(&self, state: Option<AgentState>) -> Reply {
        let ids: Vec<Reply> = match state {
            Some(AgentState::Ready) => self
                .ready
                .iter()
                .map(|key| Reply::Bulk(self.agents[key.agent].id.clone()))
                .collect(),
            _ => self
                .agent_ids
                .iter()
                .filter(|(_, &idx)| state.is_none_or(|s| self.agent_state(idx) == s))
                .map(|(id, _)| Reply::Bulk(id.clone()))
                .collect(),
        };
        Reply::Array(ids)
    }

    pub(super) fn agent_state(&self, idx: AgentIdx) -> AgentState {
        match self.agents[idx].status {
            Status::NotReady { .. } => AgentState::NotReady,
            Status::Ready { .. } => AgentState::Ready,
            Status::Busy { .. } => AgentState::Busy,
        }
    }
}

/// Serializes a view; views hold only strings, numbers and validated JSON, so this cannot fail.
pub(super) fn to_json<T: serde::Serialize>(view: &T) -> String {
    serde_json::to_string(view).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
