//! The agent part of the encoding. Version 4 stores, per agent: id, skills, presence (tag:
//! not ready with an optional reason, or ready), capacity (u64 count, by channel name;
//! channel, capacity u64, and when eligible there the time and sequence number it became so),
//! holds (u64 count, in the order taken; channel, tag, then the contact id and offer deadline,
//! the contact id, or the wrap-up end and sequence number), since, misses, registration order,
//! busy time, meta. Versions 1 to 3 stored one status (not ready, ready, busy, offered,
//! wrap-up) of a voice-only agent with capacity 1; they load as that agent, and one holding
//! work in a closed center is not ready `closed`, as it would now be.
//! Agents are linked to their contacts after both are read, and the eligibility recorded
//! for each channel must be what the agent's presence and holds give.

use std::sync::Arc;

use std::collections::HashSet;

use super::super::model::{
    Agent, AgentIdx, ChannelId, ContactIdx, Hold, Presence, Slot, Work, VOICE_CHANNEL,
};
use super::super::occupancy::{Buckets, Occupancy};
use super::super::Center;
use super::wire::{corrupt, Reader, Writer};
use crate::error::AcdError;
use crate::state::ContactState;

const NOT_READY: u8 = 0;
const READY: u8 = 1;
pub(super) const BUSY: u8 = 2;
const OFFERED: u8 = 3;
const WRAP_UP: u8 = 4;

/// A hold as read, before its contact is linked.
enum ReadWork {
    Offered(String, i64),
    Busy(String),
    WrapUp(i64, u64),
}

/// What an agent must be put in once contacts are read.
pub(super) struct ReadState {
    presence: Presence,
    holds: Vec<(ChannelId, ReadWork)>,
}

impl Center {
    /// Writes an agent, with its busy time as ascending (bucket, ms) pairs.
    pub(super) fn encode_agent(&self, w: &mut Writer, agent: &Agent, busy: &[(i64, i64)]) {
        w.str(&agent.id);
        w.skills(self.named(&agent.skills));
        match &agent.presence {
            Presence::NotReady { reason } => {
                w.u8(NOT_READY);
                w.opt_str(reason.as_deref());
            }
            Presence::Ready => w.u8(READY),
        }
        let mut slots: Vec<(&str, &Slot)> = agent
            .slots
            .iter()
            .map(|slot| (self.channels.name(slot.channel), slot))
            .collect();
        slots.sort_unstable_by_key(|&(name, _)| name);
        w.u64(slots.len() as u64);
        for (name, slot) in slots {
            w.str(name);
            w.u64(u64::from(slot.capacity));
            w.opt_i64(slot.free.map(|(since, _)| since));
            if let Some((_, seq)) = slot.free {
                w.u64(seq);
            }
        }
        w.u64(agent.holds.len() as u64);
        for hold in &agent.holds {
            w.str(self.channels.name(hold.channel));
            match hold.work {
                Work::Offered { contact, until } => {
                    w.u8(OFFERED);
                    w.str(&self.contacts[contact].id);
                    w.i64(until);
                }
                Work::Busy { contact } => {
                    w.u8(BUSY);
                    w.str(&self.contacts[contact].id);
                }
                Work::WrapUp { until, seq } => {
                    w.u8(WRAP_UP);
                    w.i64(until);
                    w.u64(seq);
                }
            }
        }
        w.i64(agent.since);
        w.u64(u64::from(agent.misses));
        w.u64(agent.order);
        w.u64(busy.len() as u64);
        for &(bucket, ms) in busy {
            w.i64(bucket);
            w.i64(ms);
        }
        w.opt_str(agent.meta.as_deref());
    }

    /// Reads the agents (unlinked, holding nothing); returns the state each must take.
    pub(super) fn read_agents(
        &mut self,
        r: &mut Reader,
        version: u8,
    ) -> Result<Vec<(AgentIdx, ReadState)>, AcdError> {
        let v1 = version == 1;
        let buckets = Buckets::new(self.settings.occupancy_window_ms);
        let mut states = Vec::new();
        let mut orders = HashSet::new();
        let mut previous: Option<String> = None;
        for _ in 0..r.count(20)? {
            let id = r.id()?;
            let skills = r.skills()?;
            let (state, mut slots) = if version >= 4 {
                self.read_state(r)?
            } else {
                self.read_old_status(r, v1)?
            };
            let since = r.i64()?;
            if version < 4 {
                // A ready agent of an older version has been eligible since it became ready.
                for free in slots.iter_mut().filter_map(|slot| slot.free.as_mut()) {
                    free.0 = since;
                }
            }
            let misses = if v1 { 0 } else { r.u64()? };
            // Contacts handled side by side each add their time: a bucket holds at most its
            // width for every place the agent has.
            let places: u32 = slots.iter().map(|slot| slot.capacity).sum();
            let (order, busy) = if version >= 3 {
                (r.u64()?, self.read_busy(r, buckets, places.max(1))?)
            } else {
                // Older centers had no registration order: give one in id order.
                self.seq = self.seq.checked_add(1).ok_or_else(|| corrupt("seq"))?;
                (self.seq, Vec::new())
            };
            let meta = r.meta()?;
            if previous.as_ref().is_some_and(|p| *p >= id) {
                return Err(corrupt("agents not in id order"));
            }
            if !orders.insert(order) {
                return Err(corrupt("duplicate registration order"));
            }
            previous = Some(id.clone());
            let skills = self.intern_levels(&skills);
            let id: Arc<str> = id.into();
            let idx = self.agents.insert(Agent {
                id: id.clone(),
                order,
                sets: self.skill_sets.held_by(&skills),
                skills,
                presence: Presence::NotReady { reason: None },
                holds: Vec::new(),
                slots,
                since,
                misses: u32::try_from(misses).map_err(|_| corrupt("misses out of range"))?,
                occupancy: Occupancy::default(),
                meta,
            });
            for &(skill, _) in &self.agents[idx].skills {
                self.skills.holders[skill as usize].insert(idx);
            }
            self.load_busy(idx, &busy);
            self.agent_ids.insert(id, idx);
            states.push((idx, state));
        }
        Ok(states)
    }

    /// Version 4: presence, capacity and holds.
    fn read_state(&mut self, r: &mut Reader) -> Result<(ReadState, Vec<Slot>), AcdError> {
        let presence = match r.u8()? {
            NOT_READY => Presence::NotReady {
                reason: r.opt_str()?,
            },
            READY => Presence::Ready,
            _ => return Err(corrupt("bad agent presence")),
        };
        let mut slots = Vec::new();
        let mut previous: Option<String> = None;
        for _ in 0..r.count(13)? {
            let name = r.channel()?;
            let capacity = r.u64()?;
            let free = match r.opt_i64()? {
                Some(since) => Some((since, r.u64()?)),
                None => None,
            };
            if !(1..=u64::from(crate::MAX_CAPACITY)).contains(&capacity)
                || previous.as_ref().is_some_and(|p| *p >= name)
            {
                return Err(corrupt("bad capacity"));
            }
            slots.push(Slot {
                channel: self.channels.intern(&name),
                capacity: capacity as u32,
                free,
            });
            previous = Some(name);
        }
        slots.sort_unstable_by_key(|slot| slot.channel);
        let mut holds = Vec::new();
        for _ in 0..r.count(13)? {
            let channel = self.channels.intern(&r.channel()?);
            let work = match r.u8()? {
                OFFERED => ReadWork::Offered(r.id()?, r.i64()?),
                BUSY => ReadWork::Busy(r.id()?),
                WRAP_UP => ReadWork::WrapUp(r.i64()?, r.u64()?),
                _ => return Err(corrupt("bad agent hold")),
            };
            holds.push((channel, work));
        }
        Ok((ReadState { presence, holds }, slots))
    }

    /// Versions 1 to 3: one status of a voice agent with capacity 1.
    fn read_old_status(
        &mut self,
        r: &mut Reader,
        v1: bool,
    ) -> Result<(ReadState, Vec<Slot>), AcdError> {
        let mut slot = Slot {
            channel: VOICE_CHANNEL,
            capacity: 1,
            free: None,
        };
        let hold = |work| vec![(VOICE_CHANNEL, work)];
        let (presence, holds) = match r.u8()? {
            NOT_READY => (
                Presence::NotReady {
                    reason: r.opt_str()?,
                },
                Vec::new(),
            ),
            READY => {
                // The time comes after the status: filled in by `read_agents`.
                slot.free = Some((0, r.u64()?));
                (Presence::Ready, Vec::new())
            }
            BUSY => (Presence::Ready, hold(ReadWork::Busy(r.id()?))),
            OFFERED if !v1 => (Presence::Ready, hold(ReadWork::Offered(r.id()?, r.i64()?))),
            WRAP_UP if !v1 => (Presence::Ready, hold(ReadWork::WrapUp(r.i64()?, r.u64()?))),
            _ => return Err(corrupt("bad agent status")),
        };
        let presence = match presence {
            Presence::Ready if !self.open && !holds.is_empty() => Presence::NotReady {
                reason: Some(super::super::agents::CLOSED_REASON.to_owned()),
            },
            other => other,
        };
        Ok((ReadState { presence, holds }, vec![slot]))
    }

    /// An agent's busy time: ascending buckets inside the window, each 1..=width × `places`
    /// ms (the agent's total capacity, at least 1).
    fn read_busy(
        &self,
        r: &mut Reader,
        buckets: Option<Buckets>,
        places: u32,
    ) -> Result<Vec<(i64, i64)>, AcdError> {
        let mut busy: Vec<(i64, i64)> = Vec::new();
        for _ in 0..r.count(16)? {
            let (bucket, ms) = (r.i64()?, r.i64()?);
            let fits = buckets.is_some_and(|b| {
                bucket > b.cut(self.occupancy.now)
                    && bucket <= b.of(self.occupancy.now)
                    && (1..=b.width.saturating_mul(i64::from(places))).contains(&ms)
            });
            let ascending = busy.last().is_none_or(|&(b, _)| b < bucket);
            if !fits || !ascending {
                return Err(corrupt("bad busy time"));
            }
            busy.push((bucket, ms));
        }
        Ok(busy)
    }

    /// Puts every agent in its state, linked to the contacts it holds; returns the largest
    /// sequence number the states carry.
    pub(super) fn link_agents(
        &mut self,
        states: Vec<(AgentIdx, ReadState)>,
    ) -> Result<u64, AcdError> {
        let mut max_seq = 0;
        let mut linked = HashSet::new();
        for (idx, state) in states {
            let mut holds = Vec::new();
            for (channel, work) in state.holds {
                let work = match work {
                    ReadWork::Offered(id, until) => Work::Offered {
                        contact: self.link(
                            idx,
                            &id,
                            ContactState::Offered,
                            channel,
                            &mut linked,
                        )?,
                        until,
                    },
                    ReadWork::Busy(id) => Work::Busy {
                        contact: self.link(
                            idx,
                            &id,
                            ContactState::Assigned,
                            channel,
                            &mut linked,
                        )?,
                    },
                    ReadWork::WrapUp(until, seq) => {
                        max_seq = max_seq.max(seq);
                        Work::WrapUp { until, seq }
                    }
                };
                holds.push(Hold { channel, work });
            }
            let agent = &mut self.agents[idx];
            agent.presence = state.presence;
            agent.holds = holds;
            for (_, seq) in agent.slots.iter().filter_map(|slot| slot.free) {
                max_seq = max_seq.max(seq);
            }
            self.restore_agent(idx)?;
        }
        let held = self
            .contact_ids
            .handles()
            .filter(|&idx| {
                matches!(
                    self.contacts[idx].state,
                    ContactState::Assigned | ContactState::Offered
                )
            })
            .count();
        if held != linked.len() {
            return Err(corrupt("held contact without its agent"));
        }
        Ok(max_seq)
    }

    /// The contact an agent holds: it must be in `want` state, on `channel`, given to this
    /// agent, and held once.
    fn link(
        &mut self,
        agent: AgentIdx,
        contact_id: &str,
        want: ContactState,
        channel: ChannelId,
        linked: &mut HashSet<ContactIdx>,
    ) -> Result<ContactIdx, AcdError> {
        let contact = self
            .contact_ids
            .get(contact_id, &self.contacts)
            .ok_or_else(|| corrupt("agent's contact is missing"))?;
        let c = &mut self.contacts[contact];
        if c.state != want
            || c.channel != channel
            || c.agent_id.as_deref() != Some(&*self.agents[agent].id)
            || !linked.insert(contact)
        {
            return Err(corrupt("agent and contact disagree"));
        }
        c.agent = Some(agent);
        Ok(contact)
    }

    /// Indexes a decoded agent: open time-in-state span, deadlines, counts and lines, after
    /// checking that its recorded eligibility is what its presence and holds give.
    fn restore_agent(&mut self, idx: AgentIdx) -> Result<(), AcdError> {
        let agent = &self.agents[idx];
        let consistent = agent.slots.iter().all(|slot| {
            agent.load(slot.channel) <= slot.capacity
                && agent.can_take(slot, self.settings.voice_blocks) == slot.free.is_some()
        }) && agent.holds.iter().all(|h| agent.slot(h.channel).is_some());
        if !consistent {
            return Err(corrupt("agent capacity and holds disagree"));
        }
        self.metrics
            .enter(agent.state(), agent.reason(), agent.since);
        self.link_agent(idx);
        let keys: Vec<_> = self.agents[idx].ready_keys(idx).collect();
        for (channel, key) in keys {
            self.index_ready(channel, key);
        }
        Ok(())
    }
}
