//! Interned channel names, with each channel's lines of eligible agents and its counters.
//!
//! `lines[c]` holds every agent that can take a contact on channel `c` now (see
//! [`Agent::can_take`](super::model::Agent::can_take)), by [`RankKey`] for the active
//! strategy: in `all` (all of them, kept only once a contact needing no skill was routed on
//! the channel: no other route walks it, and keeping every agent in it cost one line's upkeep
//! per assignment), `by_skill[s]` (those with skill `s`) and `by_set[t]` (those with every
//! skill of the hot skill set `t`, see `skill_sets.rs`); `eligible` counts them. Each line is
//! an [`AppendSet`], cheap for the keys of `longest-available`, which arrive in ascending
//! order. Routing a contact walks the lines of its channel only.
//!
//! An agent that stops being eligible under `longest-available` is forgotten in its lines
//! (see [`AppendSet::forget`]), not searched for: its keys stay until they reach a line's
//! front, a route's walk passes them, or the line is compacted, and readers skip them.
//! `ready` tells them apart without reading the agents' records: the sequence number of each
//! agent's current key on the channel, the one a key must carry to be current (an agent
//! gets a new sequence number each time it becomes eligible).
//!
//! `voice` is always channel 0, so centers agree on it whatever order they met the other
//! channels in.

use super::append_set::AppendSet;
use super::model::{AgentIdx, ChannelId, RankKey, ReadyKey, SkillId, VOICE_CHANNEL};
use super::names::Names;
use super::skill_sets::SetId;
use crate::channel::VOICE;

/// The agents eligible on one channel, in each order routing needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lines {
    /// Every eligible agent, once kept (see the module docs); `None` before.
    pub(crate) all: Option<AppendSet<RankKey>>,
    /// The eligible agents, whether or not `all` is kept.
    pub(crate) eligible: u64,
    /// By agent index, the sequence number of its current key ([`NOT_ELIGIBLE`] if none).
    ready: Vec<u64>,
    /// Indexed by skill id; grows as skills are used.
    by_skill: Vec<AppendSet<RankKey>>,
    /// Indexed by skill-set id (`skill_sets.rs`), keys as in `all`; without the wide
    /// agents (those holding more than `WIDE_SETS` sets), which are in `wide` instead.
    by_set: Vec<AppendSet<RankKey>>,
    /// The wide agents, keys as in `all`: walked beside a set's line.
    pub(crate) wide: AppendSet<RankKey>,
}

/// One of a channel's lines of [`RankKey`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    All,
    Skill(SkillId),
    Set(SetId),
    Wide,
}

/// In [`Lines::ready`], for an agent not eligible on the channel.
const NOT_ELIGIBLE: u64 = u64::MAX;

/// Whether `key` carries its agent's sequence number in `ready` (see [`Lines::ready`]).
#[inline]
fn current(ready: &[u64], key: &RankKey) -> bool {
    ready.get(key.agent as usize) == Some(&key.seq)
}

/// The empty line, for skills nobody eligible has.
static EMPTY: AppendSet<RankKey> = AppendSet::new();

impl Lines {
    pub(crate) fn skill(&self, skill: SkillId) -> &AppendSet<RankKey> {
        self.by_skill.get(skill as usize).unwrap_or(&EMPTY)
    }

    pub(crate) fn set(&self, set: SetId) -> &AppendSet<RankKey> {
        self.by_set.get(set as usize).unwrap_or(&EMPTY)
    }

    /// The line (empty if its skill or set has none yet); `None` for the line of all agents
    /// while it is not kept.
    pub(crate) fn kept(&self, line: Line) -> Option<&AppendSet<RankKey>> {
        match line {
            Line::All => self.all.as_ref(),
            Line::Skill(skill) => Some(self.skill(skill)),
            Line::Set(set) => Some(self.set(set)),
            Line::Wide => Some(&self.wide),
        }
    }

    /// The line, made (empty) if its skill or set has none yet; `None` for the line of all
    /// agents while it is not kept.
    pub(crate) fn kept_mut(&mut self, line: Line) -> Option<&mut AppendSet<RankKey>> {
        let (lines, i) = match line {
            Line::All => return self.all.as_mut(),
            Line::Wide => return Some(&mut self.wide),
            Line::Skill(skill) => (&mut self.by_skill, skill as usize),
            Line::Set(set) => (&mut self.by_set, set as usize),
        };
        if lines.len() <= i {
            lines.resize_with(i + 1, AppendSet::new);
        }
        Some(&mut lines[i])
    }

    /// Whether a key in one of the lines is its agent's current key (not a forgotten one).
    #[inline]
    pub(crate) fn is_current(&self, key: &RankKey) -> bool {
        current(&self.ready, key)
    }

    /// An agent became eligible with this key (its keys go in the lines next).
    pub(crate) fn enter(&mut self, key: ReadyKey) {
        let i = key.agent as usize;
        if self.ready.len() <= i {
            self.ready.resize(i + 1, NOT_ELIGIBLE);
        }
        self.ready[i] = key.seq;
        self.eligible += 1;
    }

    /// An agent is no longer eligible (its keys leave the lines or are forgotten next).
    pub(crate) fn leave(&mut self, agent: AgentIdx) {
        if let Some(seq) = self.ready.get_mut(agent as usize) {
            *seq = NOT_ELIGIBLE;
        }
        self.eligible = self.eligible.saturating_sub(1);
    }

    /// Forgets the key of an agent that left (see [`Lines::leave`]) in one of its lines.
    pub(crate) fn forget(&mut self, line: Line) {
        self.with_line(line, |line, ready| line.forget(|key| current(ready, key)));
    }

    /// Drops from a line's run the forgotten keys a walk just passed (`forgotten` of them),
    /// up to where it stopped (see [`AppendSet::shed_forgotten`]).
    pub(crate) fn shed_forgotten(&mut self, line: Line, upto: Option<&RankKey>, forgotten: usize) {
        self.with_line(line, |line, ready| {
            line.shed_forgotten(upto, forgotten, |key| current(ready, key))
        });
    }

    /// Calls `change` with a kept line (see [`Lines::kept_mut`]) and `ready`.
    fn with_line(&mut self, line: Line, change: impl FnOnce(&mut AppendSet<RankKey>, &[u64])) {
        // Lent out of `self` (a move of three words) while a line of `self` is borrowed.
        let ready = std::mem::take(&mut self.ready);
        if let Some(line) = self.kept_mut(line) {
            change(line, &ready);
        }
        self.ready = ready;
    }

    /// The first current key of a skill's line.
    pub(crate) fn skill_head(&self, skill: SkillId) -> Option<&RankKey> {
        let line = self.skill(skill);
        let mut passed = 0;
        let head = line.iter().find(|key| {
            passed += 1;
            self.is_current(key)
        });
        line.passed_over(passed - usize::from(head.is_some()));
        head
    }

    /// Every eligible agent with the sequence number of its current key.
    pub(crate) fn ready_agents(&self) -> impl Iterator<Item = (AgentIdx, u64)> + '_ {
        self.ready
            .iter()
            .enumerate()
            .filter(|&(_, &seq)| seq != NOT_ELIGIBLE)
            .map(|(agent, &seq)| (agent as AgentIdx, seq))
    }

    /// Every skill-set line with its set id.
    pub(crate) fn set_lines(&self) -> impl Iterator<Item = (SetId, &AppendSet<RankKey>)> {
        self.by_set
            .iter()
            .enumerate()
            .map(|(s, line)| (s as SetId, line))
    }

    /// Every skill line with its skill id.
    pub(crate) fn skill_lines(&self) -> impl Iterator<Item = (SkillId, &AppendSet<RankKey>)> {
        self.by_skill
            .iter()
            .enumerate()
            .map(|(s, line)| (s as SkillId, line))
    }

    /// Heap bytes held by the lines and `ready`, about.
    fn heap_bytes(&self) -> usize {
        let lines = |lines: &Vec<AppendSet<RankKey>>| {
            lines.capacity() * std::mem::size_of::<AppendSet<RankKey>>()
                + lines.iter().map(AppendSet::heap_bytes).sum::<usize>()
        };
        self.all.as_ref().map_or(0, AppendSet::heap_bytes)
            + self.wide.heap_bytes()
            + lines(&self.by_skill)
            + lines(&self.by_set)
            + self.ready.capacity() * std::mem::size_of::<u64>()
    }

    /// Empties every line (a kept line of all agents stays kept).
    pub(crate) fn clear(&mut self) {
        if let Some(all) = &mut self.all {
            all.clear();
        }
        self.eligible = 0;
        self.ready.clear();
        self.by_skill.clear();
        self.by_set.clear();
        self.wide.clear();
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ChannelTable {
    names: Names,
    pub(crate) lines: Vec<Lines>,
    /// Queued contacts per channel.
    pub(crate) queued: Vec<u64>,
    /// Contacts offered or assigned per channel.
    pub(crate) handling: Vec<u64>,
    /// Assignments ever made per channel.
    pub(crate) assigned: Vec<u64>,
}

impl Default for ChannelTable {
    fn default() -> Self {
        let mut table = ChannelTable {
            names: Names::default(),
            lines: Vec::new(),
            queued: Vec::new(),
            handling: Vec::new(),
            assigned: Vec::new(),
        };
        let voice = table.intern(VOICE);
        debug_assert_eq!(voice, VOICE_CHANNEL);
        table
    }
}

impl ChannelTable {
    pub(crate) fn intern(&mut self, name: &str) -> ChannelId {
        let (id, new) = self.names.intern(name);
        if new {
            self.lines.push(Lines::default());
            self.queued.push(0);
            self.handling.push(0);
            self.assigned.push(0);
        }
        id
    }

    /// Heap bytes held by every channel's lines, about.
    pub(crate) fn lines_heap_bytes(&self) -> usize {
        self.lines.iter().map(Lines::heap_bytes).sum()
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<ChannelId> {
        self.names.lookup(name)
    }

    pub(crate) fn name(&self, id: ChannelId) -> &str {
        self.names.name(id)
    }

    pub(crate) fn count(&self) -> usize {
        self.names.count()
    }

    /// `(name, value)` for every channel where `value` is not zero, sorted by name.
    pub(crate) fn named_counts(
        &self,
        value: impl Fn(ChannelId) -> u64,
    ) -> std::collections::BTreeMap<String, i64> {
        (0..self.count() as ChannelId)
            .map(|c| (c, value(c)))
            .filter(|&(_, n)| n > 0)
            .map(|(c, n)| (self.name(c).to_owned(), n as i64))
            .collect()
    }
}
