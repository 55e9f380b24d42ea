//! Agents in the reference model: presence, holds, capacity, the per-channel lines and the
//! reported state, and the agent commands (add, delete, skills, READY, NOTREADY, OPEN, CLOSE,
//! `voice-blocks`).
//!
//! Every change to an agent ends with [`Model::touch`], which recomputes from scratch where
//! the agent is eligible and what state it reports: a channel it just became eligible on gets
//! a new place at the back of that channel's line `(now, seq)`, a channel it is no longer
//! eligible on loses its place, and a new reported state starts `since` and emits its event
//! (`ready` only once the agent has filled: [`Model::announce`]).

use std::collections::BTreeMap;

use crate::{AgentState, EventKind, Reply, VOICE};

use super::{bulk, AgentRow, Model, Res};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Presence {
    Ready,
    NotReady(Option<String>),
}

/// What an agent holds a contact for.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Hold {
    /// Offered, until this time.
    Offered(i64),
    /// Assigned at this time.
    Assigned(i64),
    /// Wrap-up after the contact completed: until this time, and its due order.
    WrapUp(i64, u64),
}

/// A hold: a live contact while offered or assigned; a wrap-up keeps the id of a contact
/// that has ended, which a new contact may reuse once it is purged.
#[derive(Clone, Debug)]
pub(super) struct Held {
    pub(super) contact: String,
    pub(super) channel: String,
    pub(super) hold: Hold,
}

impl Held {
    /// Whether it is the offer or assignment of contact `c`.
    pub(super) fn handles(&self, c: &str) -> bool {
        self.contact == c && !matches!(self.hold, Hold::WrapUp(..))
    }
}

#[derive(Clone, Debug)]
pub(super) struct Agent {
    pub(super) skills: BTreeMap<String, u8>,
    /// Every channel listed at registration, 0 included.
    pub(super) capacity: BTreeMap<String, u32>,
    presence: Presence,
    /// In the order taken.
    pub(super) holds: Vec<Held>,
    /// Channel → when it last became eligible there: its place in that channel's line. Holds
    /// exactly the channels it is eligible on (kept so by `touch`).
    pub(super) lines: BTreeMap<String, (i64, u64)>,
    /// The reported state and reason as of the last `touch`, and since when.
    pub(super) shown: (AgentState, Option<String>),
    since: i64,
    /// The reported state as of the last event about it (see [`Model::announce`]).
    announced: (AgentState, Option<String>),
    pub(super) misses: u64,
    /// Registration sequence number: the round-robin cycle order.
    pub(super) order: u64,
    /// Every assigned contact's handle time `[from, to)`, recorded when it ended.
    pub(super) stays: Vec<(i64, i64)>,
}

impl Agent {
    fn load(&self, channel: &str) -> u32 {
        self.holds.iter().filter(|h| h.channel == channel).count() as u32
    }

    /// Ready, with room on `channel`, and not blocked by a voice hold under `voice-blocks`.
    pub(super) fn eligible(&self, channel: &str, voice_blocks: bool) -> bool {
        let room = self.load(channel) < self.capacity.get(channel).copied().unwrap_or(0);
        let blocked = voice_blocks && channel != VOICE && self.load(VOICE) > 0;
        self.presence == Presence::Ready && room && !blocked
    }

    /// Whether it has every skill of `reqs` at its level.
    pub(super) fn serves(&self, reqs: &BTreeMap<String, u8>) -> bool {
        reqs.iter()
            .all(|(s, l)| self.skills.get(s).is_some_and(|have| have >= l))
    }

    /// Contacts offered to it or assigned to it, in the order taken.
    pub(super) fn handling(&self) -> impl Iterator<Item = &String> {
        self.holds
            .iter()
            .filter(|h| !matches!(h.hold, Hold::WrapUp(..)))
            .map(|h| &h.contact)
    }

    /// Offered if it holds an offer, else busy if it holds an assigned contact, else wrap-up
    /// if it holds a wrap-up, else its presence; the reason only when not ready.
    fn reported(&self) -> (AgentState, Option<String>) {
        let holding = |f: fn(&Hold) -> bool| self.holds.iter().any(|h| f(&h.hold));
        if holding(|h| matches!(h, Hold::Offered(_))) {
            (AgentState::Offered, None)
        } else if holding(|h| matches!(h, Hold::Assigned(_))) {
            (AgentState::Busy, None)
        } else if holding(|h| matches!(h, Hold::WrapUp(..))) {
            (AgentState::WrapUp, None)
        } else {
            match &self.presence {
                Presence::Ready => (AgentState::Ready, None),
                Presence::NotReady(reason) => (AgentState::NotReady, reason.clone()),
            }
        }
    }

    /// The ready listing's key: since, then its earliest place among its lines.
    pub(super) fn ready_key(&self) -> (i64, u64) {
        let seq = self.lines.values().map(|&(_, seq)| seq).min();
        (self.since, seq.unwrap_or(u64::MAX))
    }

    pub(super) fn row(&self, id: &str) -> AgentRow {
        let contacts: Vec<String> = self.handling().cloned().collect();
        AgentRow {
            id: id.to_owned(),
            state: self.shown.0,
            since: self.since,
            reason: self.shown.1.clone(),
            contact: contacts.first().cloned(),
            contacts,
            capacity: self
                .capacity
                .iter()
                .filter(|(_, &n)| n > 0)
                .map(|(ch, &n)| (ch.clone(), n))
                .collect(),
            skills: self.skills.clone(),
        }
    }
}

impl Model {
    /// Recomputes an agent's lines and reported state after a change (see the module docs).
    pub(super) fn touch(&mut self, a: &str, now: i64) {
        let voice_blocks = self.voice_blocks;
        let agent = &self.agents[a];
        let channels: Vec<(String, bool)> = agent
            .capacity
            .keys()
            .map(|ch| (ch.clone(), agent.eligible(ch, voice_blocks)))
            .collect();
        for (ch, eligible) in channels {
            let placed = self.agents[a].lines.contains_key(&ch);
            if eligible && !placed {
                let seq = self.next_seq();
                self.agents.get_mut(a).unwrap().lines.insert(ch, (now, seq));
            } else if !eligible && placed {
                self.agents.get_mut(a).unwrap().lines.remove(&ch);
            }
        }
        let agent = self.agents.get_mut(a).unwrap();
        let shown = agent.reported();
        if shown != agent.shown {
            agent.since = now;
            agent.shown = shown;
        }
        if agent.shown.0 != AgentState::Ready {
            self.announce(a, now);
        }
    }

    /// Emits the event of a reported state not yet announced: `notready` (with its reason)
    /// at once, `ready` only once the agent has filled ([`Model::fill`] announces it), so
    /// an agent that takes a contact as soon as it is ready never reports `ready`.
    pub(super) fn announce(&mut self, a: &str, now: i64) {
        let agent = self.agents.get_mut(a).unwrap();
        if agent.announced == agent.shown {
            return;
        }
        agent.announced = agent.shown.clone();
        let (state, reason) = agent.shown.clone();
        let kind = match state {
            AgentState::Ready => EventKind::Ready,
            AgentState::NotReady => EventKind::NotReady,
            _ => return,
        };
        self.events.push((kind, a.to_owned(), None, reason, now));
    }

    pub(super) fn set_presence(&mut self, a: &str, presence: Presence, now: i64) {
        self.agents.get_mut(a).unwrap().presence = presence;
        self.touch(a, now);
    }

    /// Removes the offer or assignment of `c`.
    pub(super) fn drop_hold(&mut self, a: &str, c: &str, now: i64) {
        let agent = self.agents.get_mut(a).unwrap();
        agent.holds.retain(|h| !h.handles(c));
        self.touch(a, now);
    }

    /// Ends the wrap-up with due order `seq`; the agent fills.
    pub(super) fn end_wrapup(&mut self, a: &str, seq: u64, now: i64) {
        let agent = self.agents.get_mut(a).unwrap();
        agent
            .holds
            .retain(|h| !matches!(h.hold, Hold::WrapUp(_, s) if s == seq));
        self.touch(a, now);
        self.fill(a, now);
    }

    fn clear_wrapups(&mut self, a: &str) {
        let agent = self.agents.get_mut(a).unwrap();
        agent.holds.retain(|h| !matches!(h.hold, Hold::WrapUp(..)));
    }

    /// BUSYAGENT while an offer to it is pending.
    fn no_pending_offer(&self, a: &str) -> Result<(), &'static str> {
        let offered = self.agents[a]
            .holds
            .iter()
            .any(|h| matches!(h.hold, Hold::Offered(..)));
        if offered {
            Err("BUSYAGENT")
        } else {
            Ok(())
        }
    }

    pub(in crate::engine::tests) fn add(
        &mut self,
        a: &str,
        skills: &[(String, u8)],
        capacity: Option<&[(String, u32)]>,
        now: i64,
    ) -> Res {
        if self.agents.contains_key(a) {
            return Err("EXISTS");
        }
        let capacity = match capacity {
            Some(list) => list.iter().cloned().collect(),
            None => BTreeMap::from([(VOICE.to_owned(), 1)]),
        };
        let order = self.next_seq();
        let agent = Agent {
            skills: skills.iter().cloned().collect(),
            capacity,
            presence: Presence::NotReady(None),
            holds: Vec::new(),
            lines: BTreeMap::new(),
            shown: (AgentState::NotReady, None),
            since: now,
            announced: (AgentState::NotReady, None),
            misses: 0,
            order,
            stays: Vec::new(),
        };
        self.agents.insert(a.to_owned(), agent);
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn del(&mut self, a: &str, now: i64) -> Res {
        let agent = self.agents.remove(a).ok_or("NOAGENT")?;
        if agent
            .holds
            .iter()
            .any(|h| matches!(h.hold, Hold::Assigned(_)))
        {
            self.clock = self.clock.max(now);
        }
        for c in agent.handling() {
            self.requeue(c, now);
        }
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn grant(
        &mut self,
        a: &str,
        skills: &[(String, u8)],
        now: i64,
    ) -> Res {
        let agent = self.agents.get_mut(a).ok_or("NOAGENT")?;
        for (s, l) in skills {
            agent.skills.insert(s.clone(), *l);
        }
        self.fill(a, now);
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn revoke(&mut self, a: &str, skills: &[String]) -> Res {
        let agent = self.agents.get_mut(a).ok_or("NOAGENT")?;
        for s in skills {
            agent.skills.remove(s);
        }
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn skill_del(&mut self, s: &str) -> Res {
        let mut n = 0;
        for agent in self.agents.values_mut() {
            n += i64::from(agent.skills.remove(s).is_some());
        }
        Ok(Reply::Int(n))
    }

    pub(in crate::engine::tests) fn ready(&mut self, a: &str, now: i64) -> Res {
        let agent = self.agents.get(a).ok_or("NOAGENT")?;
        let was_ready = agent.shown.0 == AgentState::Ready;
        if !self.open {
            return Err("CLOSED");
        }
        self.no_pending_offer(a)?;
        if !was_ready {
            self.agents.get_mut(a).unwrap().misses = 0;
        }
        self.clear_wrapups(a);
        self.set_presence(a, Presence::Ready, now);
        Ok(self.fill(a, now).map_or(Reply::Nil, |c| bulk(&c)))
    }

    pub(in crate::engine::tests) fn not_ready(
        &mut self,
        a: &str,
        reason: Option<&str>,
        now: i64,
    ) -> Res {
        self.agents.get(a).ok_or("NOAGENT")?;
        self.no_pending_offer(a)?;
        self.clear_wrapups(a);
        self.set_presence(a, Presence::NotReady(reason.map(str::to_owned)), now);
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn open(&mut self, now: i64) -> Res {
        self.open = true;
        let waiting: Vec<String> = self
            .agents
            .iter()
            .filter(|(_, a)| a.presence != Presence::Ready)
            .map(|(id, _)| id.clone())
            .collect();
        for a in waiting {
            self.agents.get_mut(&a).unwrap().misses = 0;
            self.set_presence(&a, Presence::Ready, now);
            self.fill(&a, now);
        }
        Ok(Reply::Ok)
    }

    pub(in crate::engine::tests) fn close(&mut self, now: i64) -> Res {
        self.open = false;
        let ready: Vec<String> = self
            .agents
            .iter()
            .filter(|(_, a)| a.presence == Presence::Ready)
            .map(|(id, _)| id.clone())
            .collect();
        for a in ready {
            self.set_presence(&a, Presence::NotReady(Some("closed".into())), now);
        }
        Ok(Reply::Ok)
    }

    /// Changes `voice-blocks`: every agent's lines are recomputed, then each one that may
    /// have gained eligibility fills, in id order.
    pub(super) fn set_voice_blocks(&mut self, on: bool, now: i64) {
        self.voice_blocks = on;
        let ids: Vec<String> = self.agents.keys().cloned().collect();
        for a in &ids {
            self.touch(a, now);
        }
        for a in &ids {
            self.fill(a, now);
        }
    }

    /// Ready ids: by when they became ready, then by their earliest place in a line.
    pub(in crate::engine::tests) fn ready_line(&self) -> Vec<String> {
        let mut ready: Vec<(&String, &Agent)> = self
            .agents
            .iter()
            .filter(|(_, a)| a.shown.0 == AgentState::Ready)
            .collect();
        ready.sort_by_key(|(_, a)| a.ready_key());
        ready.into_iter().map(|(id, _)| id.clone()).collect()
    }
}
