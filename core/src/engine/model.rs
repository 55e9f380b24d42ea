//! The records the engine stores and the keys that order them.
//!
//! Ordering invariants: a ready agent's place in the longest-available line is its
//! [`ReadyKey`] (earlier ready time, then earlier sequence number), and its place in the
//! active strategy's lines is its [`RankKey`] (lower score, then its `ReadyKey`); a queued
//! contact's place is its [`QueueKey`] (lower rank, see [`Settings::rank`], then earlier
//! enqueue time, then earlier sequence number); deadlines fire in [`Deadline`] order (time,
//! kind, sequence number). Sequence numbers are unique within a center, so every order is
//! total and never depends on handles, which differ between a primary and a replica that
//! loaded the center from RDB.
//!
//! [`Settings::rank`]: super::settings::Settings::rank

use crate::state::{AgentState, ContactState};

use super::occupancy::Occupancy;
use super::settings::Settings;

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

/// Position of a ready agent in a line of the active strategy: lower first. The score is
/// what the strategy ranks by (see `strategy.rs`); ties go to the longest available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RankKey {
    pub(crate) score: i64,
    pub(crate) since: i64,
    pub(crate) seq: u64,
    pub(crate) agent: AgentIdx,
}

impl RankKey {
    /// The first key with this score or a higher one.
    pub(crate) fn from_score(score: i64) -> RankKey {
        RankKey {
            score,
            since: i64::MIN,
            seq: 0,
            agent: 0,
        }
    }
}

/// Position of a queued contact in routing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct QueueKey {
    pub(crate) rank: i128,
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
    /// A queued contact's next relaxation step (`handle` is the contact). Before `MaxWait`, so
    /// a contact whose last step falls due with its timeout gets that last chance.
    Relax,
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
    /// Registration sequence number: the agent's place in the round-robin cycle.
    pub(crate) order: u64,
    /// Sorted by skill id, one entry per skill.
    pub(crate) skills: Vec<Level>,
    pub(crate) status: Status,
    /// When the current status began.
    pub(crate) since: i64,
    /// Consecutive offers missed (rejected or unanswered).
    pub(crate) misses: u32,
    /// Recent busy time, for `least-occupied`.
    pub(crate) occupancy: Occupancy,
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

    /// Sum of the levels the agent holds among `reqs`, for `most-skilled`.
    pub(crate) fn proficiency(&self, reqs: &[Level]) -> i64 {
        reqs.iter()
            .filter_map(|&(skill, _)| self.level(skill))
            .map(i64::from)
            .sum()
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

/// A relaxation step still to come: from `after_ms` of waiting, the requirement is `reqs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relax {
    pub(crate) after_ms: i64,
    /// Sorted by skill id.
    pub(crate) reqs: Vec<Level>,
}

#[derive(Debug, Clone)]
pub(crate) struct Contact {
    pub(crate) id: String,
    /// The group of the current requirement.
    pub(crate) group: GroupId,
    /// Steps not yet applied, in time order; emptied when the contact ends.
    pub(crate) relax: Vec<Relax>,
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
    /// Its place in the queue under the current `priority-age`.
    pub(crate) fn queue_key(&self, idx: ContactIdx, settings: &Settings) -> QueueKey {
        QueueKey {
            rank: settings.rank(self.priority, self.enqueued_at),
            enqueued_at: self.enqueued_at,
            seq: self.seq,
            contact: idx,
        }
    }

    /// The deadline of its next relaxation step, if any.
    pub(crate) fn relax_deadline(&self, idx: ContactIdx) -> Option<Deadline> {
        self.relax.first().map(|step| Deadline {
            at: self.enqueued_at.saturating_add(step.after_ms),
            kind: DeadlineKind::Relax,
            seq: self.seq,
            handle: idx,
        })
    }
}
