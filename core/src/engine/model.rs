//! The records the engine stores and the keys that order them.
//!
//! Ordering invariants: an agent's place in a channel's longest-available order is its
//! [`ReadyKey`] there (earlier time it became eligible on the channel, then earlier sequence
//! number), and its place in the active strategy's lines of that channel is its [`RankKey`]
//! (lower score, then its `ReadyKey`); a queued
//! contact's place is its [`QueueKey`] (lower rank, see [`Settings::rank`], then earlier
//! enqueue time, then earlier sequence number); deadlines fire in [`Deadline`] order (time,
//! kind, sequence number). Sequence numbers are unique within a center, so every order is
//! total and never depends on handles, which differ between a primary and a replica that
//! loaded the center from RDB.
//!
//! [`Settings::rank`]: super::settings::Settings::rank

use std::sync::Arc;

use crate::state::{AgentState, ContactState};

use super::compact_id::CompactId;
use super::occupancy::Occupancy;
use super::settings::Settings;
use super::skill_sets::SetId;

pub(crate) type AgentIdx = u32;
pub(crate) type ContactIdx = u32;
pub(crate) type SkillId = u32;
pub(crate) type GroupId = u32;
pub(crate) type ChannelId = u32;

/// The `voice` channel, interned first in every center.
pub(crate) const VOICE_CHANNEL: ChannelId = 0;

/// A required or held skill: interned id and level.
pub(crate) type Level = (SkillId, u8);

/// Position of a ready agent in the longest-available order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ReadyKey {
    pub(crate) since: i64,
    pub(crate) seq: u64,
    pub(crate) agent: AgentIdx,
}

/// Position of a ready agent in a line of the active strategy: lower first. The score is
/// what the strategy ranks by (see `strategy.rs`); ties go to the longest available.
///
/// `levels` and `skills` come after the agent, so they never decide the order (the agent is
/// unique in a line): they let a walk over a line rule an agent out, or in, without reading
/// its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RankKey {
    pub(crate) score: i64,
    pub(crate) since: i64,
    pub(crate) seq: u64,
    pub(crate) agent: AgentIdx,
    /// The agent's levels in the line's skills: in a skill's line, its level there first; in
    /// a skill set's line, its levels in the set's first [`RankKey::LEVELS`] skills by skill
    /// id; zeros in the line of all agents and in the wide line.
    pub(crate) levels: [u8; RankKey::LEVELS],
    /// The agent's [`SkillMask`].
    pub(crate) skills: SkillMask,
}

/// A 64-bit summary of a set of skills: bit `id % 64` for each skill id. Two skill sets
/// whose masks do not cover each other cannot contain each other; the converse needs a
/// look at the skills themselves (ids 64 apart share a bit).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SkillMask(u64);

impl SkillMask {
    pub(crate) fn of(skills: impl IntoIterator<Item = SkillId>) -> SkillMask {
        SkillMask(skills.into_iter().fold(0, |mask, s| mask | 1 << (s % 64)))
    }

    /// May hold every skill of `needed`.
    pub(crate) fn covers(self, needed: SkillMask) -> bool {
        self.0 & needed.0 == needed.0
    }
}

impl RankKey {
    /// Levels a key carries (they fit in what would be padding).
    pub(crate) const LEVELS: usize = 4;

    /// The agent's place in the longest-available order, which every key carries.
    pub(crate) fn ready_key(&self) -> ReadyKey {
        ReadyKey {
            since: self.since,
            seq: self.seq,
            agent: self.agent,
        }
    }

    /// The first key with this score or a higher one.
    pub(crate) fn from_score(score: i64) -> RankKey {
        RankKey {
            score,
            since: i64::MIN,
            seq: 0,
            agent: 0,
            levels: [0; RankKey::LEVELS],
            skills: SkillMask(0),
        }
    }

    /// Whether the agent has at least these levels in the line's skills (see `levels`).
    pub(crate) fn meets(&self, mins: &[u8; RankKey::LEVELS]) -> bool {
        self.levels
            .iter()
            .zip(mins)
            .all(|(level, min)| level >= min)
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

/// Whether an agent takes new contacts (`ACD.READY` / `ACD.NOTREADY`). An agent that goes not
/// ready keeps what it holds; the reported state follows once it is free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Presence {
    NotReady { reason: Option<String> },
    Ready,
}

/// One thing an agent holds on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    Offered { contact: ContactIdx, until: i64 },
    Busy { contact: ContactIdx },
    WrapUp { until: i64, seq: u64 },
}

impl Work {
    /// The contact, for an offer or an assignment.
    pub(crate) fn contact(self) -> Option<ContactIdx> {
        match self {
            Work::Offered { contact, .. } | Work::Busy { contact } => Some(contact),
            Work::WrapUp { .. } => None,
        }
    }
}

/// A unit of an agent's load: an offer, an assignment or a wrap-up, on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hold {
    pub(crate) channel: ChannelId,
    pub(crate) work: Work,
}

/// An agent's capacity on one channel, and since when it has been eligible there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    pub(crate) channel: ChannelId,
    /// At least 1 (channels without capacity have no slot).
    pub(crate) capacity: u32,
    /// `(since, seq)` while the agent can take a contact on this channel: its place in the
    /// channel's longest-available order, set when it last became eligible there.
    pub(crate) free: Option<(i64, u64)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Agent {
    /// Shared with the id index and the event log, so that neither copies it.
    pub(crate) id: Arc<str>,
    /// Registration sequence number: the agent's place in the round-robin cycle.
    pub(crate) order: u64,
    /// Sorted by skill id, one entry per skill.
    pub(crate) skills: Vec<Level>,
    /// The skill sets with a line that its skills cover (see `skill_sets.rs`); derived,
    /// not encoded.
    pub(crate) sets: Vec<SetId>,
    pub(crate) presence: Presence,
    /// What it holds, in the order it took them.
    pub(crate) holds: Vec<Hold>,
    /// Sorted by channel id, one per channel with capacity.
    pub(crate) slots: Vec<Slot>,
    /// When the reported state (see [`Agent::state`]) began.
    pub(crate) since: i64,
    /// Consecutive offers missed (rejected or unanswered).
    pub(crate) misses: u32,
    /// Recent busy time, for `least-occupied`.
    pub(crate) occupancy: Occupancy,
    pub(crate) meta: Option<String>,
}

impl Agent {
    /// Heap bytes its record holds beyond itself, about (its id's string is shared).
    pub(crate) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.skills.capacity() * size_of::<Level>()
            + self.sets.capacity() * size_of::<SetId>()
            + self.holds.capacity() * size_of::<Hold>()
            + self.slots.capacity() * size_of::<Slot>()
            + self.meta.as_ref().map_or(0, String::capacity)
    }

    pub(crate) fn level(&self, skill: SkillId) -> Option<u8> {
        self.skills
            .binary_search_by_key(&skill, |&(s, _)| s)
            .ok()
            .map(|i| self.skills[i].1)
    }

    pub(crate) fn skill_mask(&self) -> SkillMask {
        SkillMask::of(self.skills.iter().map(|&(s, _)| s))
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

    /// The reported state: an offer first, then a contact, then a wrap-up, else presence.
    pub(crate) fn state(&self) -> AgentState {
        let has = |f: fn(&Work) -> bool| self.holds.iter().any(|h| f(&h.work));
        if has(|w| matches!(w, Work::Offered { .. })) {
            AgentState::Offered
        } else if has(|w| matches!(w, Work::Busy { .. })) {
            AgentState::Busy
        } else if !self.holds.is_empty() {
            AgentState::WrapUp
        } else if self.presence == Presence::Ready {
            AgentState::Ready
        } else {
            AgentState::NotReady
        }
    }

    /// The not-ready reason, when the reported state is not ready.
    pub(crate) fn reason(&self) -> Option<&str> {
        match &self.presence {
            Presence::NotReady { reason } if self.holds.is_empty() => reason.as_deref(),
            _ => None,
        }
    }

    /// Contacts held (offered or assigned), in the order taken.
    pub(crate) fn contacts(&self) -> impl Iterator<Item = ContactIdx> + '_ {
        self.holds.iter().filter_map(|h| h.work.contact())
    }

    /// Holds on `channel`.
    pub(crate) fn load(&self, channel: ChannelId) -> u32 {
        self.holds.iter().filter(|h| h.channel == channel).count() as u32
    }

    /// Whether it can take a contact on `slot`'s channel: ready, with room there, and (under
    /// `voice-blocks`) not holding a voice contact when the channel is another one.
    pub(crate) fn can_take(&self, slot: &Slot, voice_blocks: bool) -> bool {
        self.presence == Presence::Ready
            && self.load(slot.channel) < slot.capacity
            && !(voice_blocks && slot.channel != VOICE_CHANNEL && self.load(VOICE_CHANNEL) > 0)
    }

    pub(crate) fn slot(&self, channel: ChannelId) -> Option<&Slot> {
        self.slots
            .binary_search_by_key(&channel, |s| s.channel)
            .ok()
            .map(|i| &self.slots[i])
    }

    /// Its key in the longest-available order of `channel`, while eligible there.
    pub(crate) fn ready_key(&self, idx: AgentIdx, channel: ChannelId) -> Option<ReadyKey> {
        self.slot(channel).and_then(|slot| slot_key(idx, slot))
    }

    /// Its key in every channel line it is in.
    pub(crate) fn ready_keys(
        &self,
        idx: AgentIdx,
    ) -> impl Iterator<Item = (ChannelId, ReadyKey)> + '_ {
        self.slots
            .iter()
            .filter_map(move |slot| slot_key(idx, slot).map(|key| (slot.channel, key)))
    }

    /// The deadlines its holds carry (offer timeouts, wrap-up ends).
    pub(crate) fn deadlines<'a>(
        &'a self,
        idx: AgentIdx,
        contact_seq: impl Fn(ContactIdx) -> u64 + 'a,
    ) -> impl Iterator<Item = Deadline> + 'a {
        self.holds.iter().filter_map(move |h| match h.work {
            Work::Offered { contact, until } => Some(Deadline {
                at: until,
                kind: DeadlineKind::Offer,
                seq: contact_seq(contact),
                handle: contact,
            }),
            Work::WrapUp { until, seq } => Some(Deadline {
                at: until,
                kind: DeadlineKind::WrapUp,
                seq,
                handle: idx,
            }),
            Work::Busy { .. } => None,
        })
    }
}

fn slot_key(idx: AgentIdx, slot: &Slot) -> Option<ReadyKey> {
    slot.free.map(|(since, seq)| ReadyKey {
        since,
        seq,
        agent: idx,
    })
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
    /// Inline when short (see `compact_id.rs`); the id index finds contacts through it.
    pub(crate) id: CompactId,
    /// The channel it arrived on.
    pub(crate) channel: ChannelId,
    /// The group of the current requirement.
    pub(crate) group: GroupId,
    /// Steps not yet applied, in time order; emptied when the contact ends.
    pub(crate) relax: Vec<Relax>,
    pub(crate) priority: i64,
    pub(crate) state: ContactState,
    /// The agent holding it, while offered or assigned.
    pub(crate) agent: Option<AgentIdx>,
    /// Who handled it: set at assignment, kept after completion (the agent may be gone).
    /// Inline when short, like `id`: assigning and purging then touch no shared count.
    pub(crate) agent_id: Option<CompactId>,
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
