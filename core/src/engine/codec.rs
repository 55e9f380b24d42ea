//! The serialized form of a center: RDB, DUMP/RESTORE, AOF rewrite (`ACD.STATE.LOAD`) and the
//! digest all use it, so it is canonical: agents and contacts in id order, skills by name,
//! nothing that depends on handles or hash order. Two centers with the same logical state
//! encode to the same bytes.
//!
//! Layout (version 1), integers little-endian, strings as u32 length + UTF-8:
//! header (version u8, mode u8, retention u64, open u8, seq u64, totals 4×u64 + i128),
//! agents (u64 count; id, skills, status, since, meta), contacts (u64 count; id, skills,
//! priority, state, agent id, enqueued_at, seq, assigned_at, ended_at, meta).
//! Decoding validates everything, because `ACD.STATE.LOAD` accepts bytes from any client.

use std::collections::HashSet;

use super::model::{Agent, AgentIdx, Contact, Level, Status};
use super::{Center, Totals};
use crate::error::AcdError;
use crate::skill::{validate_name, Skill, MAX_LEVEL, MIN_LEVEL};
use crate::state::{ContactState, Mode};

/// Current encoding version. Decoding accepts every version up to this one.
pub const ENCODING_VERSION: u8 = 1;

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

const NOT_READY: u8 = 0;
const READY: u8 = 1;
const BUSY: u8 = 2;

fn state_tag(state: ContactState) -> u8 {
    match state {
        ContactState::Queued => 0,
        ContactState::Assigned => 1,
        ContactState::Completed => 2,
        ContactState::Abandoned => 3,
    }
}

fn tag_state(tag: u8) -> Result<ContactState, AcdError> {
    Ok(match tag {
        0 => ContactState::Queued,
        1 => ContactState::Assigned,
        2 => ContactState::Completed,
        3 => ContactState::Abandoned,
        _ => return Err(corrupt("bad contact state")),
    })
}

/// An agent's status as read, before contacts are linked.
enum ReadStatus {
    NotReady(Option<String>),
    Ready(u64),
    Busy(String),
}

impl Center {
    /// The canonical serialized form (see the module docs).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(ENCODING_VERSION);
        w.u8(match self.mode {
            Mode::Auto => 0,
            Mode::Manual => 1,
        });
        w.u64(self.retention_s);
        w.u8(u8::from(self.open));
        w.u64(self.seq);
        let t = &self.totals;
        for v in [t.enqueued, t.assigned, t.completed, t.abandoned] {
            w.u64(v);
        }
        w.i128(t.wait_ms);

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
            }
            w.i64(agent.since);
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

    fn intern_levels(&mut self, skills: &[Skill]) -> Vec<Level> {
        let mut levels: Vec<Level> = skills
            .iter()
            .map(|s| (self.skills.intern(&s.name), s.level))
            .collect();
        levels.sort_unstable();
        levels
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
        let mut center = Center {
            mode: if r.flag()? { Mode::Manual } else { Mode::Auto },
            retention_s: r.u64()?,
            open: r.flag()?,
            seq: r.u64()?,
            ..Center::default()
        };
        if center.retention_s > i64::MAX as u64 / 1000 {
            return Err(corrupt("retention out of range"));
        }
        center.totals = Totals {
            enqueued: r.u64()?,
            assigned: r.u64()?,
            completed: r.u64()?,
            abandoned: r.u64()?,
            wait_ms: r.i128()?,
        };

        let mut statuses: Vec<(AgentIdx, ReadStatus)> = Vec::new();
        for _ in 0..r.count(20)? {
            let id = r.id()?;
            let skills = r.skills()?;
            let status = match r.u8()? {
                NOT_READY => ReadStatus::NotReady(r.opt_str()?),
                READY => ReadStatus::Ready(r.u64()?),
                BUSY => ReadStatus::Busy(r.id()?),
                _ => return Err(corrupt("bad agent status")),
            };
            let since = r.i64()?;
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
            let assigned_at = r.opt_i64()?;
            let ended_at = r.opt_i64()?;
            let meta = r.meta()?;
            let consistent = match state {
                ContactState::Queued => {
                    agent_id.is_none() && assigned_at.is_none() && ended_at.is_none()
                }
                ContactState::Assigned => {
                    agent_id.is_some() && assigned_at.is_some() && ended_at.is_none()
                }
                ContactState::Completed => {
                    agent_id.is_some() && assigned_at.is_some() && ended_at.is_some()
                }
                ContactState::Abandoned => agent_id.is_none() && ended_at.is_some(),
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
                assigned_at,
                ended_at,
                meta,
            });
            center.contact_ids.insert(id, idx);
            match (state, ended_at) {
                (ContactState::Queued, _) => {
                    let key = center.contacts[idx].queue_key(idx);
                    center.queue.push(key, group);
                }
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
            let status = match status {
                ReadStatus::NotReady(reason) => Status::NotReady { reason },
                ReadStatus::Ready(seq) => {
                    max_seq = max_seq.max(seq);
                    Status::Ready { seq }
                }
                ReadStatus::Busy(contact_id) => {
                    let contact = *center
                        .contact_ids
                        .get(&contact_id)
                        .ok_or_else(|| corrupt("busy agent's contact is missing"))?;
                    let c = &mut center.contacts[contact];
                    let agent_id = &center.agents[idx].id;
                    if c.state != ContactState::Assigned
                        || c.agent_id.as_ref() != Some(agent_id)
                        || !linked.insert(contact)
                    {
                        return Err(corrupt("busy agent and contact disagree"));
                    }
                    c.agent = Some(idx);
                    Status::Busy { contact }
                }
            };
            match status {
                Status::NotReady { .. } => center.notready_count += 1,
                Status::Busy { .. } => center.busy_count += 1,
                Status::Ready { .. } => {}
            }
            center.agents[idx].status = status;
            if let Some(key) = center.agents[idx].ready_key(idx) {
                center.index_ready(key);
            }
        }
        let assigned = center
            .contact_ids
            .values()
            .filter(|&&idx| center.contacts[idx].state == ContactState::Assigned)
            .count();
        if assigned != linked.len() {
            return Err(corrupt("assigned contact without a busy agent"));
        }
        if max_seq > center.seq {
            return Err(corrupt("sequence number behind its records"));
        }
        Ok(center)
    }
}
