//! The serialized form of a center: RDB, DUMP/RESTORE, AOF rewrite (`ACD.STATE.LOAD`) and the
//! digest all use it, so it is canonical: agents and contacts in id order, skills by name,
//! nothing that depends on handles or hash order. Two centers with the same logical state
//! encode to the same bytes. Primitives are in `wire.rs`.
//!
//! Layout (version 5), integers little-endian, strings as u32 length + UTF-8:
//! header (version u8, mode u8, clock u8, strategy u8, settings 10×u64, voice-blocks u8,
//! open u8, seq u64, round-robin position opt u64, occupancy clock i64, time of the last
//! write opt i64 (`Center::written_at`), totals 9×u64 +
//! 2×i128, time per agent state 5×i128, not-ready time per reason, assignments per channel
//! (u64 count, by name; channel, u64), event log), agents (u64 count, in id order; see
//! `agents.rs`), contacts (u64 count, in id order; id, skills, channel, relaxation steps (u64
//! count; after_ms i64, skills), priority, state, agent id, enqueued_at, seq, offered_at,
//! assigned_at, ended_at, meta).
//! Version 4 had no time of the last write (it loads as none). Version 3 (before channels)
//! also had no voice-blocks, no assignments per channel (all were voice), one status per
//! agent and no contact channel (voice). Version 2 (before ageing,
//! relaxation and strategies) also had no strategy, 8 settings (no priority-age,
//! occupancy-window), no round-robin position, occupancy clock, registration order, busy time
//! or relaxation steps; agents then get registration orders in id order after every sequence
//! number in use. Version 1 (before offers, wrap-up and metrics) also had: no clock, settings
//! = retention only, totals 4×u64 + i128, no time or log sections, no misses and no
//! offered_at. All still load.
//! Decoding validates everything, because `ACD.STATE.LOAD` accepts bytes from any client.

mod agents;
mod wire;

#[cfg(test)]
mod tests;

use super::compact_id::CompactId;
use super::events::{Entry, EventKind};
use super::metrics::{Span, Totals};
use super::model::{Contact, Level, Relax};
use super::settings::Settings;
use super::Center;
use crate::error::AcdError;
use crate::state::{Clock, ContactState, Mode, Strategy};
use wire::{corrupt, Reader, Writer};

/// Current encoding version. Decoding accepts every version up to this one.
pub const ENCODING_VERSION: u8 = 5;

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

/// Largest relaxation step or setting in ms (as the grammar allows).
const MAX_MS: i64 = i64::MAX / 2;

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
        w.u8(u8::from(self.settings.voice_blocks));
        w.u8(u8::from(self.open));
        w.u64(self.seq);
        w.opt_u64(self.last_assigned);
        w.i64(self.occupancy.now);
        w.opt_i64(self.written_at);
        self.encode_history(&mut w);
        w.u64(self.agent_ids.len() as u64);
        let busy = self.busy_by_agent();
        for &idx in self.agent_ids.values() {
            let buckets = busy.get(&idx).map_or(&[][..], Vec::as_slice);
            self.encode_agent(&mut w, &self.agents[idx], buckets);
        }
        let mut contacts: Vec<(&str, u32)> = self
            .contact_ids
            .handles()
            .map(|idx| (&*self.contacts[idx].id, idx))
            .collect();
        contacts.sort_unstable();
        w.u64(contacts.len() as u64);
        for (_, idx) in contacts {
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
        let assigned = self
            .channels
            .named_counts(|c| self.channels.assigned[c as usize]);
        w.u64(assigned.len() as u64);
        for (channel, n) in assigned {
            w.str(&channel);
            w.u64(n as u64);
        }
        w.u64(self.log.last_id);
        w.u64(self.log.entries.len() as u64);
        for e in &self.log.entries {
            w.u64(e.id);
            w.i64(e.at);
            w.u8(e.kind.code());
            w.opt_str(e.agent.as_ref().map(CompactId::as_str));
            w.opt_str(e.contact.as_ref().map(CompactId::as_str));
            w.opt_str(e.reason.as_deref());
        }
    }

    fn encode_contact(&self, w: &mut Writer, c: &Contact) {
        w.str(&c.id);
        w.skills(self.named(&self.queue.group(c.group).reqs));
        w.str(self.channels.name(c.channel));
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
        if version >= 5 {
            center.written_at = r.opt_i64()?;
        }
        center.read_history(&mut r, version)?;
        if version < 4 {
            // Every contact was a voice contact.
            center.channels.assigned[super::model::VOICE_CHANNEL as usize] =
                center.metrics.totals.assigned;
        }
        let states = center.read_agents(&mut r, version)?;
        let mut max_seq = center.read_contacts(&mut r, version)?;
        if !r.bytes.is_empty() {
            return Err(corrupt("trailing bytes"));
        }
        max_seq = max_seq.max(center.link_agents(states)?);
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
        if version >= 4 {
            let mut previous: Option<String> = None;
            for _ in 0..r.count(12)? {
                let name = r.channel()?;
                let n = r.u64()?;
                if n == 0 || previous.as_ref().is_some_and(|p| *p >= name) {
                    return Err(corrupt("bad per-channel totals"));
                }
                let channel = self.channels.intern(&name);
                self.channels.assigned[channel as usize] = n;
                previous = Some(name);
            }
        }
        self.log.last_id = r.u64()?;
        let mut previous = 0;
        for _ in 0..r.count(20)? {
            let event = Entry {
                id: r.u64()?,
                at: r.i64()?,
                kind: *EventKind::ALL
                    .get(usize::from(r.u8()?))
                    .ok_or_else(|| corrupt("bad event kind"))?,
                agent: r.opt_str()?.as_deref().map(CompactId::from),
                contact: r.opt_str()?.as_deref().map(CompactId::from),
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

    /// Reads the contacts and queues or retains them; returns the largest sequence number.
    fn read_contacts(&mut self, r: &mut Reader, version: u8) -> Result<u64, AcdError> {
        let v1 = version == 1;
        let mut max_seq = 0;
        let mut previous: Option<String> = None;
        for _ in 0..r.count(40)? {
            let id = r.id()?;
            let skills = r.skills()?;
            let channel = if version >= 4 {
                let name = r.channel()?;
                self.channels.intern(&name)
            } else {
                super::model::VOICE_CHANNEL
            };
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
            let group = self.queue.acquire_group(channel, &reqs);
            let idx = self.contacts.insert(Contact {
                id: id.as_str().into(),
                channel,
                group,
                relax,
                priority,
                state,
                agent: None,
                agent_id: agent_id.as_deref().map(CompactId::from),
                enqueued_at,
                seq,
                offered_at,
                assigned_at,
                ended_at,
                meta,
            });
            self.contact_ids.insert(idx, &self.contacts);
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
    let mut settings = Settings::from_numbers(mode, clock, strategy, numbers);
    settings.voice_blocks = version >= 4 && r.flag()?;
    if settings.retention_s > i64::MAX as u64 / 1000
        || settings.numbers()[1..].iter().any(|&n| n > MAX_MS as u64)
    {
        return Err(corrupt("setting out of range"));
    }
    Ok(settings)
}
