//! Agent commands: add, delete, metadata, skills, ready and not ready, and agent reads.

use super::model::{Agent, AgentIdx, Level, Status};
use super::{Center, EventKind};
use crate::command::AgentAdd;
use crate::error::AcdError;
use crate::reply::Reply;
use crate::skill::Skill;
use crate::state::{AgentState, Mode};
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
        let skills = self.intern_levels(&c.skills);
        let order = self.next_seq();
        let idx = self.agents.insert(Agent {
            id: c.agent.clone(),
            order,
            skills,
            status: Status::NotReady { reason: None },
            since: now,
            misses: 0,
            occupancy: Default::default(),
            meta: c.meta.clone(),
        });
        self.agent_ids.insert(c.agent.clone(), idx);
        for &(skill, _) in &self.agents[idx].skills {
            self.skills.holders[skill as usize].insert(idx);
        }
        self.metrics.state_mut(AgentState::NotReady).enter(now);
        self.metrics.reason_mut(None).enter(now);
        self.emit(now, EventKind::AgentAdded, Some(idx), None, None);
        Ok(Reply::Ok)
    }

    /// Interns skill names and sorts by skill id.
    pub(super) fn intern_levels(&mut self, skills: &[Skill]) -> Vec<Level> {
        let mut levels: Vec<Level> = skills
            .iter()
            .map(|s| (self.skills.intern(&s.name), s.level))
            .collect();
        levels.sort_unstable();
        levels
    }

    pub(super) fn agent_del(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        let held = self.agents[idx].status.contact();
        self.emit(now, EventKind::AgentDeleted, Some(idx), None, None);
        self.transition(idx, None, now);
        self.forget_occupancy(idx);
        let agent = self.agents.remove(idx).expect("agent checked above");
        self.agent_ids.remove(&agent.id);
        for &(skill, _) in &agent.skills {
            self.skills.holders[skill as usize].remove(&idx);
        }
        if let Some(contact) = held {
            self.requeue(contact, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn agent_meta(&mut self, id: &str, meta: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        self.agents[idx].meta = Some(meta.to_owned());
        self.emit(now, EventKind::AgentUpdated, Some(idx), None, None);
        Ok(Reply::Ok)
    }

    pub(super) fn agent_grant(
        &mut self,
        id: &str,
        grant: &[Skill],
        now: i64,
    ) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        let levels = self.intern_levels(grant);
        for &(skill, _) in &levels {
            self.skills.holders[skill as usize].insert(idx);
        }
        self.reindexed(idx, |agent| {
            for (skill, level) in levels {
                match agent.skills.binary_search_by_key(&skill, |&(id, _)| id) {
                    Ok(i) => agent.skills[i].1 = level,
                    Err(i) => agent.skills.insert(i, (skill, level)),
                }
            }
        });
        self.emit(now, EventKind::AgentUpdated, Some(idx), None, None);
        let ready = self.agents[idx].ready_key(idx).is_some();
        if ready && self.settings.mode == Mode::Auto {
            if let Some(key) = self.find_contact_for(idx) {
                self.assign(key.contact, idx, now);
            }
        }
        Ok(Reply::Ok)
    }

    pub(super) fn agent_revoke(
        &mut self,
        id: &str,
        revoke: &[String],
        now: i64,
    ) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        for name in revoke {
            if let Some(skill) = self.skills.lookup(name) {
                self.remove_skill(idx, skill);
            }
        }
        self.emit(now, EventKind::AgentUpdated, Some(idx), None, None);
        Ok(Reply::Ok)
    }

    /// Takes `skill` from an agent (and from its ready lines), if it has it.
    fn remove_skill(&mut self, idx: AgentIdx, skill: u32) {
        let held = &self.agents[idx].skills;
        let Ok(i) = held.binary_search_by_key(&skill, |&(id, _)| id) else {
            return;
        };
        self.reindexed(idx, |agent| {
            agent.skills.remove(i);
        });
        self.skills.holders[skill as usize].remove(&idx);
    }

    pub(super) fn skill_del(&mut self, name: &str, now: i64) -> Reply {
        let Some(skill) = self.skills.lookup(name) else {
            return Reply::Int(0);
        };
        let holders: Vec<AgentIdx> = self.skills.holders[skill as usize]
            .iter()
            .copied()
            .collect();
        for &idx in &holders {
            self.remove_skill(idx, skill);
            self.emit(now, EventKind::AgentUpdated, Some(idx), None, None);
        }
        Reply::Int(holders.len() as i64)
    }

    pub(super) fn ready(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        if !self.open {
            return Err(AcdError::Closed);
        }
        match self.agents[idx].status {
            Status::Busy { contact } | Status::Offered { contact, .. } => {
                return Err(self.busy_error(idx, contact))
            }
            Status::Ready { .. } => return Ok(Reply::Nil),
            Status::NotReady { .. } | Status::WrapUp { .. } => {}
        }
        self.agents[idx].misses = 0;
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
        if let Some(contact) = self.agents[idx].status.contact() {
            return Err(self.busy_error(idx, contact));
        }
        let reason = reason.map(str::to_owned);
        if self.agents[idx].status
            != (Status::NotReady {
                reason: reason.clone(),
            })
        {
            self.make_not_ready(idx, reason, now);
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
        let reason = match &agent.status {
            Status::NotReady { reason } => reason.clone(),
            _ => None,
        };
        let view = AgentView {
            id: agent.id.clone(),
            skills: agent
                .skills
                .iter()
                .map(|&(skill, level)| (self.skills.name(skill).to_owned(), level))
                .collect(),
            state: agent.status.state(),
            since: agent.since,
            reason,
            contact: agent.status.contact().map(|c| self.contacts[c].id.clone()),
            contacts: agent
                .status
                .contact()
                .map(|c| self.contacts[c].id.clone())
                .into_iter()
                .collect(),
            capacity: [(crate::VOICE.to_owned(), 1)].into(),
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
                .filter(|(_, &idx)| state.is_none_or(|s| self.agents[idx].status.state() == s))
                .map(|(id, _)| Reply::Bulk(id.clone()))
                .collect(),
        };
        Reply::Array(ids)
    }
}

/// Serializes a view; views hold only strings, numbers and validated JSON, so this cannot fail.
pub(super) fn to_json<T: serde::Serialize>(view: &T) -> String {
    serde_json::to_string(view).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
