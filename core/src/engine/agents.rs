//! Agent commands: add, delete, metadata, skills, ready and not ready, and agent reads.

use std::sync::Arc;

use super::model::{Agent, AgentIdx, Level, Presence, Slot, Work};
use super::{Center, EventKind};
use crate::command::AgentAdd;
use crate::error::AcdError;
use crate::reply::Reply;
use crate::skill::Skill;
use crate::state::AgentState;
use crate::view::{raw_meta, AgentView};

/// Reason given to agents made not ready by `ACD.CLOSE`.
pub(super) const CLOSED_REASON: &str = "closed";

impl Center {
    pub(super) fn agent_add(&mut self, c: &AgentAdd, now: i64) -> Result<Reply, AcdError> {
        if self.agent_ids.contains_key(c.agent.as_str()) {
            return Err(AcdError::Exists {
                kind: "agent",
                id: c.agent.clone(),
            });
        }
        let skills = self.intern_levels(&c.skills);
        let capacity = c
            .capacity
            .clone()
            .unwrap_or_else(crate::Capacity::default_set);
        let mut slots: Vec<Slot> = capacity
            .iter()
            .filter(|entry| entry.slots > 0)
            .map(|entry| Slot {
                channel: self.channels.intern(&entry.channel),
                capacity: entry.slots,
                free: None,
            })
            .collect();
        slots.sort_unstable_by_key(|slot| slot.channel);
        let order = self.next_seq();
        let sets = self.skill_sets.held_by(&skills);
        let id: Arc<str> = c.agent.as_str().into();
        let idx = self.agents.insert(Agent {
            id: id.clone(),
            order,
            skills,
            sets,
            presence: Presence::NotReady { reason: None },
            holds: Vec::new(),
            slots,
            since: now,
            misses: 0,
            occupancy: Default::default(),
            meta: c.meta.clone(),
        });
        self.agent_ids.insert(id, idx);
        for &(skill, _) in &self.agents[idx].skills {
            self.skills.holders[skill as usize].insert(idx);
        }
        self.metrics.enter(AgentState::NotReady, None, now);
        self.emit(now, EventKind::AgentAdded, Some(idx), None, None);
        Ok(Reply::Ok)
    }

    /// Interns skill names and sorts by skill id.
    pub(super) fn intern_levels(&mut self, skills: &[Skill]) -> Vec<Level> {
        self.with_levels(skills, |_, levels| levels.to_vec())
    }

    /// Hands `f` the interned levels of `skills`, sorted by skill id: on the stack when there
    /// are few, so that a lookup (a new contact's requirement group) allocates nothing.
    pub(super) fn with_levels<R>(
        &mut self,
        skills: &[Skill],
        f: impl FnOnce(&mut Center, &[Level]) -> R,
    ) -> R {
        const ON_STACK: usize = 8;
        let mut on_stack = [(0, 0); ON_STACK];
        let mut on_heap = Vec::new();
        let levels: &mut [Level] = if skills.len() <= ON_STACK {
            &mut on_stack[..skills.len()]
        } else {
            on_heap.resize(skills.len(), (0, 0));
            &mut on_heap
        };
        for (slot, skill) in levels.iter_mut().zip(skills) {
            *slot = (self.skills.intern(&skill.name), skill.level);
        }
        levels.sort_unstable();
        f(self, levels)
    }

    pub(super) fn agent_del(&mut self, id: &str, now: i64) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        let held: Vec<_> = self.agents[idx].contacts().collect();
        self.emit(now, EventKind::AgentDeleted, Some(idx), None, None);
        self.retire_agent(idx, now);
        let agent = self.take_agent(idx).expect("agent checked above");
        self.agent_ids.remove(&agent.id);
        for &(skill, _) in &agent.skills {
            self.skills.holders[skill as usize].remove(&idx);
        }
        for contact in held {
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
        self.reskilled(idx, |agent| {
            for (skill, level) in levels {
                match agent.skills.binary_search_by_key(&skill, |&(id, _)| id) {
                    Ok(i) => agent.skills[i].1 = level,
                    Err(i) => agent.skills.insert(i, (skill, level)),
                }
            }
        });
        self.emit(now, EventKind::AgentUpdated, Some(idx), None, None);
        self.fill(idx, now);
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
        self.reskilled(idx, |agent| {
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
        self.no_pending_offer(idx)?;
        if self.agents[idx].state() == AgentState::Ready {
            return Ok(Reply::Nil);
        }
        self.agents[idx].misses = 0;
        self.end_wrapups(idx, now);
        Ok(match self.make_available(idx, now) {
            Some(contact) => Reply::Bulk(String::from(&*self.contacts[contact].id)),
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
        self.no_pending_offer(idx)?;
        let reason = reason.map(str::to_owned);
        let agent = &self.agents[idx];
        let unchanged = agent.state() == AgentState::NotReady
            && agent.presence
                == (Presence::NotReady {
                    reason: reason.clone(),
                });
        if !unchanged {
            self.end_wrapups(idx, now);
            self.make_not_ready(idx, reason, now);
        }
        Ok(Reply::Ok)
    }

    /// Cuts every wrap-up of an agent short (it went ready or not ready by itself).
    fn end_wrapups(&mut self, idx: AgentIdx, now: i64) {
        if self.agents[idx].holds.is_empty() {
            return;
        }
        self.update_agent(idx, now, |agent| {
            agent
                .holds
                .retain(|h| !matches!(h.work, Work::WrapUp { .. }))
        });
    }

    /// READY and NOTREADY wait for the agent's answer to an offer (ACCEPT or REJECT).
    fn no_pending_offer(&self, idx: AgentIdx) -> Result<(), AcdError> {
        let agent = &self.agents[idx];
        let offer = agent.holds.iter().find_map(|h| match h.work {
            Work::Offered { contact, .. } => Some(contact),
            _ => None,
        });
        match offer {
            Some(contact) => Err(AcdError::BusyAgent {
                agent: String::from(&*agent.id),
                contact: String::from(&*self.contacts[contact].id),
            }),
            None => Ok(()),
        }
    }

    pub(super) fn agent_get(&self, id: &str) -> Result<Reply, AcdError> {
        let idx = self.agent_idx(id)?;
        let agent = &self.agents[idx];
        let contacts: Vec<String> = agent
            .contacts()
            .map(|c| String::from(&*self.contacts[c].id))
            .collect();
        let view = AgentView {
            id: String::from(&*agent.id),
            skills: agent
                .skills
                .iter()
                .map(|&(skill, level)| (self.skills.name(skill).to_owned(), level))
                .collect(),
            state: agent.state(),
            since: agent.since,
            reason: agent.reason().map(str::to_owned),
            contact: contacts.first().cloned(),
            contacts,
            capacity: agent
                .slots
                .iter()
                .map(|slot| (self.channels.name(slot.channel).to_owned(), slot.capacity))
                .collect(),
            meta: raw_meta(&agent.meta),
        };
        Ok(Reply::Bulk(to_json(&view)))
    }

    /// Agent ids in id order, or the ready ones longest-available first (since when they
    /// have been ready, then the order they became so).
    pub(super) fn agents_list(&self, state: Option<AgentState>) -> Reply {
        let mut agents: Vec<AgentIdx> = self
            .agent_ids
            .values()
            .copied()
            .filter(|&idx| state.is_none_or(|s| self.agents[idx].state() == s))
            .collect();
        if state == Some(AgentState::Ready) {
            agents.sort_by_cached_key(|&idx| {
                let agent = &self.agents[idx];
                let seq = agent
                    .slots
                    .iter()
                    .filter_map(|slot| slot.free)
                    .map(|(_, seq)| seq)
                    .min();
                (agent.since, seq.unwrap_or(u64::MAX))
            });
        }
        Reply::Array(
            agents
                .into_iter()
                .map(|idx| Reply::Bulk(String::from(&*self.agents[idx].id)))
                .collect(),
        )
    }
}

/// Serializes a view; views hold only strings, numbers and validated JSON, so this cannot fail.
pub(super) fn to_json<T: serde::Serialize>(view: &T) -> String {
    serde_json::to_string(view).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
