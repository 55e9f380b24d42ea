//! The serialized form of a center: RDB, DUMP/RESTORE, AOF rewrite (`ACD.STATE.LOAD`) and the
//! digest all use it, so it is canonical: agents and contacts in id order, skills by name,
//! nothing that depends on handles or hash order. Two centers with the same logical state
//! encode to the same bytes.
//!
//! Layout (version 2), integers little-endian, strings as u32 length + UTF-8:
//! header (version u8, mode u8, clock u8, settings 8×u64, open u8, seq u64, totals 9×u64 + 2×i128,
//! time per agent state 5×i128, not-ready time per reason, event log), agents (u64 count;
//! id, skills, status, since, misses, meta), contacts (u64 count; id, skills, priority,
//! state, agent id, enqueued_at, seq, offered_at, assigned_at, ended_at, meta).
//! Version 1 (before offers, wrap-up and metrics) had: no clock, settings = retention only, totals
//! 4×u64 + i128, no time or log sections, no misses and no offered_at; it still loads.
//! Decoding validates everything, because `ACD.STATE.LOAD` accepts bytes from any client.

use std::collections::HashSet;

use super::events::{Event, KINDS};
use super::metrics::{Span, Totals};
use super::model::{Agent, AgentIdx, Contact, ContactIdx, Level, Status};
use super::settings::Settings;
use super::Center;
use crate::error::AcdError;
use crate::skill::{validate_name, Skill, MAX_LEVEL, MIN_LEVEL};
use crate::state::{Clock, ContactState, Mode};

/// Current encoding version. Decoding accepts every version up to this one.
pub const ENCODING_VERSION: u8 = 2;

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, v: &str) {
        self.0.extend_from_slice(&(v.len() as u32).to_le_bytes());
        self.0.extend_from_slice(v.as_bytes());
    }
    fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.i64(x);
            }
        }
    }
    fn skills(&mut self, mut skills: Vec<(&str, u8)>) {
        skills.sort_unstable();
        self.u64(skills.len() as u64);
        for (name, level) in skills {
            self.str(name);
            self.u8(level);
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

fn corrupt(what: &str) -> AcdError {
    AcdError::Corrupt(what.to_owned())
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], AcdError> {
        if self.bytes.len() < n {
            return Err(corrupt("truncated"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], AcdError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, AcdError> {
        Ok(self.take(1)?[0])
    }
    fn u64(&mut self) -> Result<u64, AcdError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn i64(&mut self) -> Result<i64, AcdError> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    fn i128(&mut self) -> Result<i128, AcdError> {
        Ok(i128::from_le_bytes(self.array()?))
    }
    fn flag(&mut self) -> Result<bool, AcdError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(corrupt("bad flag")),
        }
    }
    fn str(&mut self) -> Result<String, AcdError> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        let raw = self.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|_| corrupt("string is not UTF-8"))
    }
    fn id(&mut self) -> Result<String, AcdError> {
        let id = self.str()?;
        if id.is_empty() {
            return Err(corrupt("empty id"));
        }
        Ok(id)
    }
    fn opt_str(&mut self) -> Result<Option<String>, AcdError> {
        if self.flag()? {
            Ok(Some(self.str()?))
        } else {
            Ok(None)
        }
    }
    fn opt_i64(&mut self) -> Result<Option<i64>, AcdError> {
        if self.flag()? {
            Ok(Some(self.i64()?))
        } else {
            Ok(None)
        }
    }
    fn meta(&mut self) -> Result<Option<String>, AcdError> {
        let meta = self.opt_str()?;
        if let Some(text) = &meta {
            if !matches!(serde_json::from_str(text), Ok(serde_json::Value::Object(_))) {
                return Err(corrupt("meta is not a JSON object"));
            }
        }
        Ok(meta)
    }
    /// A count, bounded by the bytes left (each element takes at least `min_size`).
    fn count(&mut self, min_size: usize) -> Result<usize, AcdError> {
        let n = self.u64()?;
        if n > (self.bytes.len() / min_size) as u64 {
            return Err(corrupt("count exceeds payload"));
        }
        Ok(n as usize)
    }
    fn skills(&mut self) -> Result<Vec<Skill>, AcdError> {
        let n = self.count(5)?;
        let mut skills = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            validate_name(&name).map_err(|_| corrupt("bad skill name"))?;
            let level = self.u8()?;
            if !(MIN_LEVEL..=MAX_LEVEL).contains(&level) {
                return Err(corrupt("bad skill level"));
            }
            if skills.last().is_some_and(|s: &Skill| s.name >= name) {
                return Err(corrupt("skills not sorted and unique"));
            }
            skills.push(Skill::new(name, level));
        }
        Ok(skills)
    }
}

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

const NOT_READY: u8 = 0;
const READY: u8 = 1;
const BUSY: u8 = 2;
const OFFERED: u8 = 3;
const WRAP_UP: u8 = 4;

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
        for v in self.settings.numbers() {
            w.u64(v);
        }
        w.u8(u8::from(self.open));
        w.u64(self.seq);
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

        w.u64(self.agent_ids.len() as u64);
        for &idx in self.agent_ids.values() {
            let agent = &self.agents[idx];
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
            w.opt_str(agent.meta.as_deref());
        }

        let mut contacts: Vec<(&String, &u32)> = self.contact_ids.iter().collect();
        contacts.sort_unstable();
        w.u64(contacts.len() as u64);
        for (_, &idx) in contacts {
            let c = &self.contacts[idx];
            w.str(&c.id);
            w.skills(self.named(&self.queue.group(c.group).reqs));
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
        w.0
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
        let v1 = version == 1;
        let mode = if r.flag()? { Mode::Manual } else { Mode::Auto };
        let settings = if v1 {
            let mut numbers = Settings::default().numbers();
            numbers[0] = r.u64()?;
            Settings::from_numbers(mode, Clock::Server, numbers)
        } else {
            let clock = if r.flag()? {
                Clock::Client
            } else {
                Clock::Server
            };
            let mut numbers = [0u64; 8];
            for n in &mut numbers {
                *n = r.u64()?;
            }
            Settings::from_numbers(mode, clock, numbers)
        };
        if settings.retention_s > i64::MAX as u64 / 1000
            || settings.numbers()[1..]
                .iter()
                .any(|&n| n > i64::MAX as u64 / 2)
        {
            return Err(corrupt("setting out of range"));
        }
        let mut center = Center {
            settings,
            open: r.flag()?,
            seq: r.u64()?,
            ..Center::default()
        };
        center.metrics.totals = if v1 {
            Totals {
                enqueued: r.u64()?,
                assigned: r.u64()?,
                completed: r.u64()?,
                abandoned: r.u64()?,
                wait_ms: r.i128()?,
                ..Totals::default()
            }
        } else {
            Totals {
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
            }
        };
        if !v1 {
            for span in &mut center.metrics.by_state {
                span.closed_ms = r.i128()?;
            }
            for _ in 0..r.count(20)? {
                let reason = r.str()?;
                let closed_ms = r.i128()?;
                center.metrics.by_reason.insert(
                    reason,
                    Span {
                        closed_ms,
                        ..Span::default()
                    },
                );
            }
            center.log.last_id = r.u64()?;
            let mut previous = 0;
            for _ in 0..r.count(20)? {
                let event = Event {
                    id: r.u64()?,
                    at: r.i64()?,
                    kind: *KINDS
                        .get(usize::from(r.u8()?))
                        .ok_or_else(|| corrupt("bad event kind"))?,
                    agent: r.opt_str()?,
                    contact: r.opt_str()?,
                    reason: r.opt_str()?,
                };
                if event.id <= previous || event.id > center.log.last_id {
                    return Err(corrupt("event ids out of order"));
                }
                previous = event.id;
                center.log.entries.push_back(event);
            }
        }

        let mut statuses: Vec<(AgentIdx, ReadStatus)> = Vec::new();
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
            let meta = r.meta()?;
            if center.agent_ids.contains_key(&id) {
                return Err(corrupt("duplicate agent"));
            }
            let skills = center.intern_levels(&skills);
            let idx = center.agents.insert(Agent {
                id: id.clone(),
                skills,
                status: Status::NotReady { reason: None },
                since,
                misses: u32::try_from(misses).map_err(|_| corrupt("misses out of range"))?,
                meta,
            });
            for &(skill, _) in &center.agents[idx].skills {
                center.skills.holders[skill as usize].insert(idx);
            }
            center.agent_ids.insert(id, idx);
            statuses.push((idx, status));
        }

        let mut max_seq = 0;
        for _ in 0..r.count(40)? {
            let id = r.id()?;
            let skills = r.skills()?;
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
                    agent_id.is_some() && assigned_at.is_some() && ended_at.is_some()
                }
                ContactState::Abandoned | ContactState::Timeout => ended_at.is_some(),
            };
            if !consistent || center.contact_ids.contains_key(&id) {
                return Err(corrupt("inconsistent contact"));
            }
            max_seq = max_seq.max(seq);
            let reqs = center.intern_levels(&skills);
            let group = center.queue.acquire_group(reqs);
            let idx = center.contacts.insert(Contact {
                id: id.clone(),
                group,
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
            center.contact_ids.insert(id, idx);
            match (state, ended_at) {
                (ContactState::Queued, _) => center.enqueue_contact(idx),
                (_, Some(ended_at)) => {
                    center.retained.insert((ended_at, seq, idx));
                }
                _ => {}
            }
        }
        if !r.bytes.is_empty() {
            return Err(corrupt("trailing bytes"));
        }

        let mut linked = HashSet::new();
        for (idx, status) in statuses {
            let mut link = |contact_id: &str, want: ContactState| -> Result<ContactIdx, AcdError> {
                let contact = *center
                    .contact_ids
                    .get(contact_id)
                    .ok_or_else(|| corrupt("agent's contact is missing"))?;
                let c = &mut center.contacts[contact];
                if c.state != want
                    || c.agent_id.as_ref() != Some(&center.agents[idx].id)
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
            center.restore_status(idx, status);
        }
        let held = center
            .contact_ids
            .values()
            .filter(|&&idx| {
                matches!(
                    center.contacts[idx].state,
                    ContactState::Assigned | ContactState::Offered
                )
            })
            .count();
        if held != linked.len() {
            return Err(corrupt("held contact without its agent"));
        }
        if max_seq > center.seq {
            return Err(corrupt("sequence number behind its records"));
        }
        Ok(center)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A version-1 payload (written before offers and metrics existed) still loads.
    #[test]
    fn loads_version_1() {
        let mut w = Writer::default();
        w.u8(1);
        w.u8(0);
        w.u64(60);
        w.u8(1);
        w.u64(3);
        for v in [2u64, 1, 0, 0] {
            w.u64(v);
        }
        w.i128(5);
        w.u64(1);
        w.str("a1");
        w.skills(vec![("en", 2)]);
        w.u8(BUSY);
        w.str("c1");
        w.i64(10);
        w.opt_str(None);
        w.u64(2);
        for (id, state, agent, seq, assigned) in [
            ("c1", 1u8, Some("a1"), 1u64, Some(10)),
            ("c2", 0, None, 3, None),
        ] {
            w.str(id);
            w.skills(vec![("en", 1)]);
            w.i64(0);
            w.u8(state);
            w.opt_str(agent);
            w.i64(5);
            w.u64(seq);
            w.opt_i64(assigned);
            w.opt_i64(None);
            w.opt_str(None);
        }
        let center = Center::decode(&w.0).expect("version 1 loads");
        assert_eq!(center.check(), Vec::<String>::new());
        assert_eq!(center.settings.retention_s, 60);
        let stats = center.stats(20);
        assert_eq!(
            (stats.agents_busy, stats.queued, stats.avg_wait_ms),
            (1, 1, 5)
        );
        let again = Center::decode(&center.encode()).expect("re-encoded as version 2");
        assert_eq!(again.encode(), center.encode());
    }
}
