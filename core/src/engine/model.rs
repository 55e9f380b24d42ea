//! The records the engine stores and the keys that order them.
//!
//! Ordering invariants: a ready agent's place in line is its [`ReadyKey`] (earlier ready time,
//! then earlier sequence number); a queued contact's place is its [`QueueKey`] (higher
//! priority, then earlier enqueue time, then earlier sequence number); deadlines fire in
//! [`Deadline`] order (time, kind, sequence number). Sequence numbers are unique within a
//! center, so all three orders are total and never depend on handles, which differ between a
//! primary and a replica that loaded the center from RDB.

use std::cmp::Reverse;

use crate::state::{AgentState, ContactState};

pub(crate) type AgentIdx = u32;
pub(crate) type ContactIdx = u32;
pub(crate) type SkillId = u32;
pub(crate) type GroupId = u32;

/// A required or held skill: interned id and level.
pub(crate) type Level = (SkillId, u8);

/// Position of a ready agent in the longest-available line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ReadyKey {
    pub(crate) since: i64,
    pub(crate) seq: u64,
    pub(crate) agent: AgentIdx,
}

/// Position of a queued contact in routing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct QueueKey {
    pub(crate) priority: Reverse<i64>,
    pub(crate) enqueued_at: i64,
    pub(crate) seq: u64,
    pub(crate) contact: ContactIdx,
}

/// What a deadline ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DeadlineKind {
    /// An offer nobody answered (`handle` is the contact).
    Offer,
    /// A wrap-up period (`handle` is the agent).
    WrapUp,
    /// A contact that waited `max-wait` (`handle` is the contact).
    MaxWait,
}

/// A point in time at which the center must act by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Deadline {
    pub(crate) at: i64,
    pub(crate) kind: DeadlineKind,
    pub(crate) seq: u64,
    pub(crate) handle: u32,
}

/// What an agent is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Status {
    NotReady { reason: Option<String> },
    Ready { seq: u64 },
    Offered { contact: ContactIdx, until: i64 },
    Busy { contact: ContactIdx },
    WrapUp { until: i64, seq: u64 },
}

impl Status {
    pub(crate) fn state(&self) -> AgentState {
        match self {
            Status::NotReady { .. } => AgentState::NotReady,
            Status::Ready { .. } => AgentState::Ready,
            Status::Offered { .. } => AgentState::Offered,
            Status::Busy { .. } => AgentState::Busy,
            Status::WrapUp { .. } => AgentState::WrapUp,
        }
    }

    /// The contact an agent holds (offered or handling).
    pub(crate) fn contact(&self) -> Option<ContactIdx> {
        match *self {
            Status::Offered { contact, .. } | Status::Busy { contact } => Some(contact),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Agent {
    pub(crate) id: String,
    /// Sorted by skill id, one entry per skill.
    pub(crate) skills: Vec<Level>,
    pub(crate) status: Status,
    /// When the current status began.
    pub(crate) since: i64,
    /// Consecutive offers missed (rejected or unanswered).
    pub(crate) misses: u32,
    pub(crate) meta: Option<String>,
}

impl Agent {
    pub(crate) fn level(&self, skill: SkillId) -> Option<u8> {
        self.skills
            .binary_search_by_key(&skill, |&(s, _)| s)
            .ok()
            .map(|i| self.skills[i].1)
    }

    /// Has every required skill at or above the required level.
    pub(crate) fn satisfies(&self, reqs: &[Level]) -> bool {
        reqs.iter()
            .all(|&(skill, min)| self.level(skill).is_some_and(|l| l >= min))
    }

    pub(crate) fn ready_key(&self, idx: AgentIdx) -> Option<ReadyKey> {
        match self.status {
            Status::Ready { seq } => Some(ReadyKey {
                since: self.since,
                seq,
                agent: idx,
            }),
            _ => None,
        }
    }

    /// The deadline this agent's status carries, if any.
    pub(crate) fn deadline(
        &self,
        idx: AgentIdx,
        contact_seq: impl Fn(ContactIdx) -> u64,
    ) -> Option<Deadline> {
        match self.status {
            Status::Offered { contact, until } => Some(Deadline {
                at: until,
                kind: DeadlineKind::Offer,
                seq: contact_seq(contact),
                handle: contact,
            }),
            Status::WrapUp { until, seq } => Some(Deadline {
                at: until,
                kind: DeadlineKind::WrapUp,
                seq,
                handle: idx,
            }),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Contact {
    pub(crate) id: String,
    pub(crate) group: GroupId,
    pub(crate) priority: i64,
    pub(crate) state: ContactState,
    /// The agent holding it, while offered or assigned.
    pub(crate) agent: Option<AgentIdx>,
    /// Who handled it: set at assignment, kept after completion (the agent may be gone).
    pub(crate) agent_id: Option<String>,
    pub(crate) enqueued_at: i64,
    pub(crate) seq: u64,
    pub(crate) offered_at: Option<i64>,
    pub(crate) assigned_at: Option<i64>,
    pub(crate) ended_at: Option<i64>,
    pub(crate) meta: Option<String>,
}

impl Contact {
    pub(crate) fn queue_key(&self, idx: ContactIdx) -> QueueKey {
        QueueKey {
            priority: Reverse(self.priority),
            enqueued_at: self.enqueued_at,
            seq: self.seq,
            contact: idx,
        }
    }
}
