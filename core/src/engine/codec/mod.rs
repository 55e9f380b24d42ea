//! The serialized form of a center: RDB, DUMP/RESTORE, AOF rewrite (`ACD.STATE.LOAD`) and the
//! digest all use it, so it is canonical: agents and contacts in id order, skills by name,
//! nothing that depends on handles or hash order. Two centers with the same logical state
//! encode to the same bytes. Primitives are in `wire.rs`.
//!
//! Layout (version 3), integers little-endian, strings as u32 length + UTF-8:
//! header (version u8, mode u8, clock u8, strategy u8, settings 10×u64, open u8, seq u64,
//! round-robin position opt u64, occupancy clock i64, totals 9×u64 + 2×i128, time per agent
//! state 5×i128, not-ready time per reason, event log), agents (u64 count, in id order; id,
//! skills, status, since, misses, registration order u64, busy time (u64 count; bucket i64,
//! ms i64), meta), contacts (u64 count, in id order; id, skills, relaxation steps (u64 count;
//! after_ms i64, skills), priority, state, agent id, enqueued_at, seq, offered_at,
//! assigned_at, ended_at, meta).
//! Version 2 (before ageing, relaxation and strategies) had no strategy, 8 settings (no
//! priority-age, occupancy-window), no round-robin position, occupancy clock, registration
//! order, busy time or relaxation steps; agents then get registration orders in id order
//! after every sequence number in use. Version 1 (before offers, wrap-up and metrics) also
//! had: no clock, settings = retention only, totals 4×u64 + i128, no time or log sections, no
//! misses and no offered_at. Both still load.
//! Decoding validates everything, because `ACD.STATE.LOAD` accepts bytes from any client.

mod wire;

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use super::events::{Event, EventKind};
use super::metrics::{Span, Totals};
use super::model::{Agent, AgentIdx, Contact, ContactIdx, Level, Relax, Status};
use super::occupancy::{Buckets, Occupancy};
use super::settings::Settings;
use super::Center;
use crate::error::AcdError;
use crate::state::{Clock, ContactState, Mode, Strategy};
use wire::{corrupt, Reader, Writer};

/// Current encoding version. Decoding accepts every version up to this one.
pub const ENCODING_VERSION: u8 = 3;

const CONTACT_STATES: [ContactState; 6] = [
    ContactState::Queued,
    ContactState::Assigned,
    ContactState::Completed,
    ContactState::Abandoned,
    ContactState::Offered,
    ContactState::Timeout,
];

fn state_tag(state: ContactState) -> u8 {
    CONTACT_STATES.iter().position(|s| *s == state).unwrap_or(0) as u8
}

fn tag_state(tag: u8) -> Result<ContactState, AcdError> {
    CONTACT_STATES
        .get(usize::from(tag))
        .copied()
        .ok_or_else(|| corrupt("bad contact state"))
}

fn strategy_tag(strategy: Strategy) -> u8 {
    Strategy::ALL
        .iter()
        .position(|s| *s == strategy)
        .unwrap_or(0) as u8
}

const NOT_READY: u8 = 0;
const READY: u8 = 1;
const BUSY: u8 = 2;
const OFFERED: u8 = 3;
const WRAP_UP: u8 = 4;

/// Largest relaxation step or setting in ms (as the grammar allows).
const MAX_MS: i64 = i64::MAX / 2;

/// An agent's status as read, before contacts are linked.
enum ReadStatus {
    NotReady(Option<String>),
    Ready(u64),
    Busy(String),
    Offered(String, i64),
    WrapUp(i64, u64),
}

impl Center {
    /// The canonical serialized form (see the module docs).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(ENCODING_VERSION);
        w.u8(match self.settings.mode {
            Mode::Auto => 0,
            Mode::Manual => 1,
        });
        w.u8(match self.settings.clock {
            Clock::Server => 0,
            Clock::Client => 1,
        });
        w.u8(strategy_tag(self.settings.strategy));
        for v in self.settings.numbers() {
            w.u64(v);
        }
        w.u8(u8::from(self.open));
        w.u64(self.seq);
        w.opt_u64(self.last_assigned);
        w.i64(self.occupancy.now);
        self.encode_history(&mut w);
        w.u64(self.agent_ids.len() as u64);
        for &idx in self.agent_ids.values() {
            self.encode_agent(&mut w, &self.agents[idx]);
        }
        let mut contacts: Vec<(&String, &u32)> = self.contact_ids.iter().collect();
        contacts.sort_unstable();
        w.u64(contacts.len() as u64);
        for (_, &idx) in contacts {
            self.encode_contact(&mut w, &self.contacts[idx]);
        }
        w.0
    }

    /// Totals, time in state, not-ready time by reason and the event log.
    fn encode_history(&self, w: &mut Writer) {
        let t = &self.metrics.totals;
        for v in [
            t.enqueued,
            t.offered,
            t.assigned,
            t.completed,
            t.abandoned,
            t.timeout,
            t.rejected,
            t.no_answer,
            t.within_sla,
        ] {
            w.u64(v);
        }
        w.i128(t.wait_ms);
        w.i128(t.handle_ms);
        for span in &self.metrics.by_state {
            w.i128(span.closed_ms);
        }
        w.u64(self.metrics.by_reason.len() as u64);
        for (reason, span) in &self.metrics.by_reason {
            w.str(reason);
            w.i128(span.closed_ms);
        }
        w.u64(self.log.last_id);
        w.u64(self.log.entries.len() as u64);
        for e in &self.log.entries {
            w.u64(e.id);
            w.i64(e.at);
            w.u8(e.kind.code());
            w.opt_str(e.agent.as_deref());
            w.opt_str(e.contact.as_deref());
            w.opt_str(e.reason.as_deref());
        }
    }

    fn encode_agent(&self, w: &mut Writer, agent: &Agent) {
        w.str(&agent.id);
        w.skills(self.named(&agent.skills));
        match &agent.status {
            Status::NotReady { reason } => {
                w.u8(NOT_READY);
                w.opt_str(reason.as_deref());
            }
            Status::Ready { seq } => {
                w.u8(READY);
                w.u64(*seq);
            }
            Status::Busy { contact } => {
                w.u8(BUSY);
                w.str(&self.contacts[*contact].id);
            }
            Status::Offered { contact, until } => {
                w.u8(OFFERED);
                w.str(&self.contacts[*contact].id);
                w.i64(*until);
            }
            Status::WrapUp { until, seq } => {
                w.u8(WRAP_UP);
                w.i64(*until);
                w.u64(*seq);
            }
        }
        w.i64(agent.since);
        w.u64(u64::from(agent.misses));
        w.u64(agent.order);
        w.u64(agent.occupancy.buckets.len() as u64);
        for (&bucket, &ms) in &agent.occupancy.buckets {
            w.i64(bucket);
            w.i64(ms);
        }
        w.opt_str(agent.meta.as_deref());
    }

    fn encode_contact(&self, w: &mut Writer, c: &Contact) {
        w.str(&c.id);
        w.skills(self.named(&self.queue.group(c.group).reqs));
        w.u64(c.relax.len() as u64);
        for step in &c.relax {
            w.i64(step.after_ms);
            w.skills(self.named(&step.reqs));
        }
        w.i64(c.priority);
        w.u8(state_tag(c.state));
        w.opt_str(c.agent_id.as_deref());
        w.i64(c.enqueued_at);
        w.u64(c.seq);
        w.opt_i64(c.offered_at);
        w.opt_i64(c.assigned_at);
        w.opt_i64(c.ended_at);
        w.opt_str(c.meta.as_deref());
    }

    fn named(&self, levels: &[Level]) -> Vec<(&str, u8)> {
        levels
            .iter()
            .map(|&(skill, level)| (self.skills.name(skill), level))
            .collect()
    }

    /// Rebuilds a center from [`Center::encode`] output of this or an older version.
    pub fn decode(bytes: &[u8]) -> Result<Center, AcdError> {
        let mut r = Reader { bytes };
        let version = r.u8()?;
        if version == 0 || version > ENCODING_VERSION {
            return Err(AcdError::Corrupt(format!(
                "unknown encoding version {version}"
            )));
        }
        let settings = read_settings(&mut r, version)?;
        let mut center = Center {
            settings,
            open: r.flag()?,
            seq: r.u64()?,
            ..Center::default()
        };
        if version >= 3 {
            center.last_assigned = r.opt_u64()?;
            center.occupancy.now = r.i64()?;
        }
        center.read_history(&mut r, version)?;
        let statuses = center.read_agents(&mut r, version)?;
        let mut max_seq = center.read_contacts(&mut r, version)?;
        if !r.bytes.is_empty() {
            return Err(corrupt("trailing bytes"));
        }
        max_seq = max_seq.max(center.link_agents(statuses)?);
        let orders = center.agent_ids.values().map(|&a| center.agents[a].order);
        max_seq = orders.chain(center.last_assigned).fold(max_seq, u64::max);
        if max_seq > center.seq {
            return Err(corrupt("sequence number behind its records"));
        }
        Ok(center)
    }

    /// Totals, time in state, not-ready time by reason and the event log.
    fn read_history(&mut self, r: &mut Reader, version: u8) -> Result<(), AcdError> {
        if version == 1 {
            self.metrics.totals = Totals {
                enqueued: r.u64()?,
                assigned: r.u64()?,
                completed: r.u64()?,
                abandoned: r.u64()?,
                wait_ms: r.i128()?,
                ..Totals::default()
            };
            return Ok(());
        }
        self.metrics.totals = Totals {
            enqueued: r.u64()?,
            offered: r.u64()?,
            assigned: r.u64()?,
            completed: r.u64()?,
            abandoned: r.u64()?,
            timeout: r.u64()?,
            rejected: r.u64()?,
            no_answer: r.u64()?,
            within_sla: r.u64()?,
            wait_ms: r.i128()?,
            handle_ms: r.i128()?,
        };
        for span in &mut self.metrics.by_state {
            span.closed_ms = r.i128()?;
        }
        for _ in 0..r.count(20)? {
            let reason = r.str()?;
            let closed_ms = r.i128()?;
            self.metrics.by_reason.insert(
                reason,
                Span {
                    closed_ms,
                    ..Span::default()
                },
            );
        }
        self.log.last_id = r.u64()?;
        let mut previous = 0;
        for _ in 0..r.count(20)? {
            let event = Event {
                id: r.u64()?,
                at: r.i64()?,
                kind: *EventKind::ALL
                    .get(usize::from(r.u8()?))
                    .ok_or_else(|| corrupt("bad event kind"))?,
                agent: r.opt_str()?,
                contact: r.opt_str()?,
                reason: r.opt_str()?,
            };
            if event.id <= previous || event.id > self.log.last_id {
                return Err(corrupt("event ids out of order"));
            }
            previous = event.id;
            self.log.entries.push_back(event);
        }
        Ok(())
    }

    /// Reads the agents (not ready and unlinked); returns the status each must take.
    fn read_agents(
        &mut self,
        r: &mut Reader,
        version: u8,
    ) -> Result<Vec<(AgentIdx, ReadStatus)>, AcdError> {
        let v1 = version == 1;
        let buckets = Buckets::new(self.settings.occupancy_window_ms);
        let mut statuses = Vec::new();
        let mut orders = HashSet::new();
        let mut previous: Option<String> = None;
        for _ in 0..r.count(20)? {
            let id = r.id()?;
            let skills = r.skills()?;
            let status = match r.u8()? {
                NOT_READY => ReadStatus::NotReady(r.opt_str()?),
                READY => ReadStatus::Ready(r.u64()?),
                BUSY => ReadStatus::Busy(r.id()?),
                OFFERED if !v1 => ReadStatus::Offered(r.id()?, r.i64()?),
                WRAP_UP if !v1 => ReadStatus::WrapUp(r.i64()?, r.u64()?),
                _ => return Err(corrupt("bad agent status")),
            };
            let since = r.i64()?;
            let misses = if v1 { 0 } else { r.u64()? };
            let (order, occupancy) = if version >= 3 {
                (r.u64()?, self.read_occupancy(r, buckets)?)
            } else {
                // Older centers had no registration order: give one in id order.
                self.seq = self.seq.checked_add(1).ok_or_else(|| corrupt("seq"))?;
                (self.seq, Occupancy::default())
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
            let idx = self.agents.insert(Agent {
                id: id.clone(),
                order,
                skills,
                status: Status::NotReady { reason: None },
                since,
                misses: u32::try_from(misses).map_err(|_| corrupt("misses out of range"))?,
                occupancy,
                meta,
            });
            for &(skill, _) in &self.agents[idx].skills {
                self.skills.holders[skill as usize].insert(idx);
            }
            if let Some(oldest) = self.agents[idx].occupancy.oldest() {
                self.occupancy.expiry.insert((oldest, idx));
            }
            self.agent_ids.insert(id, idx);
            statuses.push((idx, status));
        }
        Ok(statuses)
    }

    /// An agent's busy time: ascending buckets inside the window, each 1..=width ms.
    fn read_occupancy(
        &self,
        r: &mut Reader,
        buckets: Option<Buckets>,
    ) -> Result<Occupancy, AcdError> {
        let mut occupancy = Occupancy::default();
        for _ in 0..r.count(16)? {
            let (bucket, ms) = (r.i64()?, r.i64()?);
            let fits = buckets.is_some_and(|b| {
                bucket > b.cut(self.occupancy.now)
                    && bucket <= b.of(self.occupancy.now)
                    && (1..=b.width).contains(&ms)
            });
            let ascending = occupancy
                .buckets
                .keys()
                .next_back()
                .is_none_or(|&b| b < bucket);
            if !fits || !ascending {
                return Err(corrupt("bad busy time"));
            }
            occupancy.buckets.insert(bucket, ms);
            occupancy.busy_ms += ms;
        }
        Ok(occupancy)
    }

    /// Reads the contacts and queues or retains them; returns the largest sequence number.
    fn read_contacts(&mut self, r: &mut Reader, version: u8) -> Result<u64, AcdError> {
        let v1 = version == 1;
        let mut max_seq = 0;
        let mut previous: Option<String> = None;
        for _ in 0..r.count(40)? {
            let id = r.id()?;
            let skills = r.skills()?;
            let relax = if version >= 3 {
                self.read_relax(r)?
            } else {
                Vec::new()
            };
            let priority = r.i64()?;
            let state = tag_state(r.u8()?)?;
            let agent_id = r.opt_str()?;
            let enqueued_at = r.i64()?;
            let seq = r.u64()?;
            let offered_at = if v1 { None } else { r.opt_i64()? };
            let assigned_at = r.opt_i64()?;
            let ended_at = r.opt_i64()?;
            let meta = r.meta()?;
            let consistent = match state {
                ContactState::Queued => {
                    agent_id.is_none()
                        && offered_at.is_none()
                        && assigned_at.is_none()
                        && ended_at.is_none()
                }
                ContactState::Offered => {
                    agent_id.is_some()
                        && offered_at.is_some()
                        && assigned_at.is_none()
                        && ended_at.is_none()
                }
                ContactState::Assigned => {
                    agent_id.is_some() && assigned_at.is_some() && ended_at.is_none()
                }
                ContactState::Completed => {
                    agent_id.is_some()
                        && assigned_at.is_some()
                        && ended_at.is_some()
                        && relax.is_empty()
                }
                ContactState::Abandoned | ContactState::Timeout => {
                    ended_at.is_some() && relax.is_empty()
                }
            };
            if !consistent || previous.as_ref().is_some_and(|p| *p >= id) {
                return Err(corrupt("inconsistent contact"));
            }
            previous = Some(id.clone());
            max_seq = max_seq.max(seq);
            let reqs = self.intern_levels(&skills);
            let group = self.queue.acquire_group(reqs);
            let idx = self.contacts.insert(Contact {
                id: id.clone(),
                group,
                relax,
                priority,
                state,
                agent: None,
                agent_id,
                enqueued_at,
                seq,
                offered_at,
                assigned_at,
                ended_at,
                meta,
            });
            self.contact_ids.insert(id, idx);
            match (state, ended_at) {
                (ContactState::Queued, _) => self.enqueue_contact(idx),
                (_, Some(ended_at)) => {
                    self.retained.insert((ended_at, seq, idx));
                }
                _ => {}
            }
        }
        Ok(max_seq)
    }

    /// Relaxation steps still to come: times positive and strictly increasing.
    fn read_relax(&mut self, r: &mut Reader) -> Result<Vec<Relax>, AcdError> {
        let mut steps: Vec<Relax> = Vec::new();
        for _ in 0..r.count(16)? {
            let after_ms = r.i64()?;
            let skills = r.skills()?;
            let increasing = steps.last().is_none_or(|s| s.after_ms < after_ms);
            if !(1..=MAX_MS).contains(&after_ms) || !increasing {
                return Err(corrupt("bad relaxation step"));
            }
            let reqs = self.intern_levels(&skills);
            steps.push(Relax { after_ms, reqs });
        }
        Ok(steps)
    }

    /// Puts every agent in its status, linked to the contact it holds; returns the largest
    /// sequence number the statuses carry.
    fn link_agents(&mut self, statuses: Vec<(AgentIdx, ReadStatus)>) -> Result<u64, AcdError> {
        let mut max_seq = 0;
        let mut linked = HashSet::new();
        for (idx, status) in statuses {
            let mut link = |contact_id: &str, want: ContactState| -> Result<ContactIdx, AcdError> {
                let contact = *self
                    .contact_ids
                    .get(contact_id)
                    .ok_or_else(|| corrupt("agent's contact is missing"))?;
                let c = &mut self.contacts[contact];
                if c.state != want
                    || c.agent_id.as_ref() != Some(&self.agents[idx].id)
                    || !linked.insert(contact)
                {
                    return Err(corrupt("agent and contact disagree"));
                }
                c.agent = Some(idx);
                Ok(contact)
            };
            let status = match status {
                ReadStatus::NotReady(reason) => Status::NotReady { reason },
                ReadStatus::Ready(seq) => {
                    max_seq = max_seq.max(seq);
                    Status::Ready { seq }
                }
                ReadStatus::Busy(contact_id) => Status::Busy {
                    contact: link(&contact_id, ContactState::Assigned)?,
                },
                ReadStatus::Offered(contact_id, until) => Status::Offered {
                    contact: link(&contact_id, ContactState::Offered)?,
                    until,
                },
                ReadStatus::WrapUp(until, seq) => {
                    max_seq = max_seq.max(seq);
                    Status::WrapUp { until, seq }
                }
            };
            self.restore_status(idx, status);
        }
        let held = self
            .contact_ids
            .values()
            .filter(|&&idx| {
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

    /// Puts a decoded agent in its status: indexes, deadline and open time-in-state span.
    fn restore_status(&mut self, idx: AgentIdx, status: Status) {
        let since = self.agents[idx].since;
        self.metrics.state_mut(status.state()).enter(since);
        if let Status::NotReady { reason } = &status {
            self.metrics.reason_mut(reason.as_deref()).enter(since);
        }
        self.agents[idx].status = status;
        if let Some(key) = self.agents[idx].ready_key(idx) {
            self.index_ready(key);
        }
        let agent = &self.agents[idx];
        if let Some(deadline) = agent.deadline(idx, |c| self.contacts[c].seq) {
            self.deadlines.insert(deadline);
        }
    }
}

/// Mode, clock, strategy and the numeric settings of any version, range-checked.
fn read_settings(r: &mut Reader, version: u8) -> Result<Settings, AcdError> {
    let mode = if r.flag()? { Mode::Manual } else { Mode::Auto };
    let clock = match version {
        1 => Clock::Server,
        _ if r.flag()? => Clock::Client,
        _ => Clock::Server,
    };
    let strategy = match version {
        1 | 2 => Strategy::LongestAvailable,
        _ => *Strategy::ALL
            .get(usize::from(r.u8()?))
            .ok_or_else(|| corrupt("bad strategy"))?,
    };
    let mut numbers = Settings::default().numbers();
    let stored = match version {
        1 => 1,
        2 => 8,
        _ => numbers.len(),
    };
    for n in &mut numbers[..stored] {
        *n = r.u64()?;
    }
    let settings = Settings::from_numbers(mode, clock, strategy, numbers);
    if settings.retention_s > i64::MAX as u64 / 1000
        || settings.numbers()[1..].iter().any(|&n| n > MAX_MS as u64)
    {
        return Err(corrupt("setting out of range"));
    }
    Ok(settings)
}
