//! Routing strategies: which eligible ready agent gets a contact (`ACD.CONFIG SET strategy`).
//!
//! An agent that can take a contact on a channel has a [`ReadyKey`] there (since when it has
//! been eligible there: its longest-available place) and is, ranked for the active strategy by
//! a [`RankKey`] (lower first, carrying the `ReadyKey`), in its channel's line of each of the
//! agent's skills (`Lines::skill`) and, once a contact needing no skill was routed there, in
//! the channel's line of all eligible agents (`Lines::all`, built then in O(n log n); a read
//! that needs it before builds a copy); see `channels.rs`. The key's score is the agent's,
//! the same on every channel:
//! - `longest-available`: 0, so the lines are in longest-available order;
//! - `most-skilled`: in a skill's line, minus the agent's level in that skill (highest level
//!   first, then longest available); 0 in the line of all agents;
//! - `round-robin`: the agent's registration order (its fixed place in the cycle);
//! - `least-occupied`: its busy ms in the occupancy window (an approximation, see
//!   `occupancy.rs`), then longest available.
//!
//! An agent that stops being eligible under `longest-available` is forgotten in its lines,
//! not searched for ([`Center::leave_lines`]); walks skip forgotten keys, and a route's walk
//! drops those it passed ([`Center::shed_passed`]).
//!
//! [`Center::find_agent`] walks the contact's channel's line of the required skill set when
//! the set is hot enough to have one (see `skill_sets.rs`; not under `most-skilled`), else its
//! shortest line among the required skills (the line of all its eligible agents when none is
//! required); n below is the agents eligible on that channel. With k required skills, n ready
//! agents and s agents skipped because they lack another required skill or level:
//! - `longest-available`, `least-occupied`: the first eligible agent in line order,
//!   O(k log n + s·k).
//! - `round-robin`: the first eligible agent after the last agent given a contact in this
//!   center, wrapping around to the start of the cycle, O(k log n + s·k).
//! - `most-skilled`: branch and bound. The rarest skill's line is by descending level (then
//!   longest available), and an agent's total is at most its level there plus, for each other
//!   required skill, the best level of any ready agent in it (the head of that skill's line).
//!   The walk stops once that bound falls below the best total found, or equals it at an
//!   agent behind the best one in longest-available order (equal totals go to the longest
//!   available). Cost: O(k log n + v·k) for v agents visited. With one required skill, or
//!   when some agent reaches the bound (uniform levels, or an agent at the top ready level in
//!   every required skill), v is the agents ahead of it in its level of the rarest line, as
//!   for longest-available. Otherwise every agent of the rarest line whose level there plus
//!   the other skills' best ready levels still reaches the best total is visited, which is
//!   linear in that line in the worst case (levels anti-correlated across skills), and grows
//!   with it for independent random levels (see the `strategy/most-skilled` bench).
//!
//! A skipped agent usually costs only the step to the next key: each key carries a
//! [`SkillMask`] of the agent's skills and its levels in the line's skills (a skill line's
//! skill; a set line's first [`RankKey::LEVELS`] skills), so an agent lacking a required
//! skill or level that the key carries is ruled out without reading its record. In a skill
//! line, the record is read for the rest, to check the other skills' levels (and mask
//! collisions, skill ids 64 apart); in the line of a set of up to [`RankKey::LEVELS`] skills,
//! the key tells everything and no record is read.
//!
//! Changing the strategy re-ranks every eligible agent: O(n·c·k log n) over c channels each.

use super::append_set::AppendSet;
use super::channels::Line;
use super::model::{Agent, AgentIdx, ChannelId, Level, RankKey, ReadyKey, SkillId, SkillMask};
use super::skill_sets::{SetId, SetKey, SkillSets, WIDE_SETS};
use super::Center;
use crate::state::Strategy;

/// What [`Center::walk`] found, the skill-set line it walked (if any), how many agents it
/// skipped for lacking a required skill (what a line of the skill set would spare), and the
/// lines where it passed forgotten keys.
#[derive(Debug, Default)]
pub(super) struct Walk {
    pub(super) agent: Option<AgentIdx>,
    pub(super) set: Option<SetId>,
    pub(super) missing: usize,
    /// At most two lines are walked: the main one and, beside a set's, the wide line.
    pub(super) passed: [Option<Passed>; 2],
}

/// A line a walk passed forgotten keys in: how many, and the key it stopped at (`None`: it
/// read the whole line).
#[derive(Debug, Clone, Copy)]
pub(super) struct Passed {
    pub(super) line: Line,
    pub(super) upto: Option<RankKey>,
    pub(super) forgotten: usize,
}

/// The key of an eligible agent in the line of all its channel's eligible agents.
fn base_rank_key(agent: &Agent, strategy: Strategy, key: ReadyKey) -> RankKey {
    let score = match strategy {
        Strategy::LongestAvailable | Strategy::MostSkilled => 0,
        Strategy::RoundRobin => i64::try_from(agent.order).unwrap_or(i64::MAX),
        Strategy::LeastOccupied => agent.occupancy.busy_ms,
    };
    RankKey {
        score,
        since: key.since,
        seq: key.seq,
        agent: key.agent,
        levels: [0; RankKey::LEVELS],
        skills: agent.skill_mask(),
    }
}

/// The key in the line of a skill the agent holds at `level`, from its base key.
fn skill_rank_key(strategy: Strategy, base: RankKey, level: u8) -> RankKey {
    let score = match strategy {
        Strategy::MostSkilled => -i64::from(level),
        _ => base.score,
    };
    let mut levels = [0; RankKey::LEVELS];
    levels[0] = level;
    RankKey {
        score,
        levels,
        ..base
    }
}

/// The key in the line of a skill set (`skills`, sorted), from the agent's base key: its
/// levels in the set's first skills, so that a walk needs no look at its record.
fn set_rank_key(agent: &Agent, base: RankKey, skills: &[SkillId]) -> RankKey {
    let mut levels = [0; RankKey::LEVELS];
    for (level, &skill) in levels.iter_mut().zip(skills) {
        *level = agent.level(skill).unwrap_or(0);
    }
    RankKey { levels, ..base }
}

/// Every line of its channel an eligible agent belongs in, with its level in the line's
/// skill for a skill's line (0 for the others): the line of all eligible agents, the line of
/// each skill it holds, and the lines of its skill sets (or, holding more than
/// [`WIDE_SETS`], the line of wide agents). Indexing, unindexing, forgetting and the audit
/// all go through this one list.
fn lines_of(agent: &Agent, mut each: impl FnMut(Line, u8)) {
    each(Line::All, 0);
    for &(skill, level) in &agent.skills {
        each(Line::Skill(skill), level);
    }
    if agent.sets.len() > WIDE_SETS {
        each(Line::Wide, 0);
    } else {
        for &set in &agent.sets {
            each(Line::Set(set), 0);
        }
    }
}

/// Every line an eligible agent belongs in (see [`lines_of`]), with its key there.
fn placements(
    agent: &Agent,
    strategy: Strategy,
    sets: &SkillSets,
    key: ReadyKey,
    mut place: impl FnMut(Line, RankKey),
) {
    let base = base_rank_key(agent, strategy, key);
    lines_of(agent, |line, level| {
        let rank = match line {
            Line::All | Line::Wide => base,
            Line::Skill(_) => skill_rank_key(strategy, base, level),
            Line::Set(set) => set_rank_key(agent, base, sets.skills(set)),
        };
        place(line, rank);
    });
}

/// Puts a key in its line: at the end under `longest-available`, whose keys grow with time (a
/// newly eligible agent's key is above every other one), else as a stray, so that strategies
/// that rank by something else pay what a B-tree costs and not a failed append first.
fn insert_rank(line: &mut AppendSet<RankKey>, strategy: Strategy, rank: RankKey) {
    if strategy == Strategy::LongestAvailable {
        line.insert(rank);
    } else {
        line.insert_unordered(rank);
    }
}

impl Center {
    /// The key of a ready agent in the line of `skill` (`None`: the line of all ready agents).
    pub(super) fn rank_key(&self, key: ReadyKey, skill: Option<SkillId>) -> RankKey {
        let agent = &self.agents[key.agent];
        let strategy = self.settings.strategy;
        let base = base_rank_key(agent, strategy, key);
        match skill {
            None => base,
            Some(skill) => skill_rank_key(strategy, base, agent.level(skill).unwrap_or(0)),
        }
    }

    /// The key of a ready agent in the line of a skill set it holds.
    pub(super) fn set_rank_key(&self, key: ReadyKey, set: SetId) -> RankKey {
        let agent = &self.agents[key.agent];
        let base = base_rank_key(agent, self.settings.strategy, key);
        set_rank_key(agent, base, self.skill_sets.skills(set))
    }

    /// Whether an eligible agent is in every line of `channel` it belongs in (that of all
    /// agents only when kept).
    pub(super) fn fully_indexed(&self, channel: ChannelId, key: ReadyKey) -> bool {
        let lines = &self.channels.lines[channel as usize];
        let mut all = true;
        placements(
            &self.agents[key.agent],
            self.settings.strategy,
            &self.skill_sets,
            key,
            |line, rank| all &= lines.kept(line).is_none_or(|line| line.contains(&rank)),
        );
        all
    }

    /// Puts an agent in the lines of `channel`.
    pub(super) fn index_ready(&mut self, channel: ChannelId, key: ReadyKey) {
        let lines = &mut self.channels.lines[channel as usize];
        lines.enter(key);
        let strategy = self.settings.strategy;
        let agent = &self.agents[key.agent];
        placements(agent, strategy, &self.skill_sets, key, |line, rank| {
            if let Some(line) = lines.kept_mut(line) {
                insert_rank(line, strategy, rank);
            }
        });
    }

    /// Takes an agent out of the lines of `channel`, finding its keys (see
    /// [`Center::leave_lines`] for an agent that is no longer eligible there).
    pub(super) fn unindex_ready(&mut self, channel: ChannelId, key: ReadyKey) {
        let lines = &mut self.channels.lines[channel as usize];
        lines.leave(key.agent);
        placements(
            &self.agents[key.agent],
            self.settings.strategy,
            &self.skill_sets,
            key,
            |line, rank| {
                if let Some(line) = lines.kept_mut(line) {
                    line.remove(&rank);
                }
            },
        );
    }

    /// An agent is no longer eligible on `channel` (its key there is gone for good). Under
    /// `longest-available` its keys are forgotten in its lines, O(1) each, not searched for
    /// (see `channels.rs`): they are in the lines' runs, where walks shed those they pass.
    /// Under the other strategies, whose keys are strays that walks would keep passing, they
    /// are removed.
    pub(super) fn leave_lines(&mut self, channel: ChannelId, key: ReadyKey) {
        if self.settings.strategy != Strategy::LongestAvailable {
            return self.unindex_ready(channel, key);
        }
        let lines = &mut self.channels.lines[channel as usize];
        lines.leave(key.agent);
        lines_of(&self.agents[key.agent], |line, _| lines.forget(line));
    }

    /// The line of all agents eligible on `channel`, built from their records (O(n log n)):
    /// kept by [`Center::keep_all_line`], or a copy for a read that needs it before.
    fn all_line(&self, channel: ChannelId) -> AppendSet<RankKey> {
        let strategy = self.settings.strategy;
        let mut keys: Vec<RankKey> = self
            .agents
            .iter()
            .filter_map(|(idx, agent)| {
                let key = agent.ready_key(idx, channel)?;
                Some(base_rank_key(agent, strategy, key))
            })
            .collect();
        keys.sort_unstable();
        let mut line = AppendSet::new();
        for key in keys {
            insert_rank(&mut line, strategy, key);
        }
        line
    }

    /// Keeps the line of all agents eligible on `channel` from now on (a contact needing no
    /// skill is being routed there): O(n log n) once.
    pub(super) fn keep_all_line(&mut self, channel: ChannelId) {
        if self.channels.lines[channel as usize].all.is_none() {
            let line = self.all_line(channel);
            self.channels.lines[channel as usize].all = Some(line);
        }
    }

    /// Puts an agent that is not wide in the line of a set it was just given, on every
    /// channel where it is eligible (its other lines are unchanged).
    pub(super) fn join_set_line(&mut self, idx: AgentIdx, set: SetId) {
        let strategy = self.settings.strategy;
        for (channel, key) in self.agents[idx].ready_keys(idx) {
            let rank = self.set_rank_key(key, set);
            if let Some(line) = self.channels.lines[channel as usize].kept_mut(Line::Set(set)) {
                insert_rank(line, strategy, rank);
            }
        }
    }

    /// Changes an agent's levels or busy time, keeping its lines in step.
    pub(super) fn reindexed(&mut self, idx: AgentIdx, change: impl FnOnce(&mut Agent)) {
        self.relined(idx, change, false);
    }

    /// Changes an agent's skills, keeping its lines and skill sets in step.
    pub(super) fn reskilled(&mut self, idx: AgentIdx, change: impl FnOnce(&mut Agent)) {
        self.relined(idx, change, true);
    }

    fn relined(&mut self, idx: AgentIdx, change: impl FnOnce(&mut Agent), skills_changed: bool) {
        let keys: Vec<(ChannelId, ReadyKey)> = self.agents[idx].ready_keys(idx).collect();
        for &(channel, key) in &keys {
            self.unindex_ready(channel, key);
        }
        change(&mut self.agents[idx]);
        if skills_changed {
            self.agents[idx].sets = self.skill_sets.held_by(&self.agents[idx].skills);
        }
        for (channel, key) in keys {
            self.index_ready(channel, key);
        }
    }

    /// Re-ranks every eligible agent (the strategy or every score changed), in the order they
    /// became eligible (so that `longest-available` lines are appended in order).
    pub(super) fn rerank_all(&mut self) {
        let mut keys: Vec<(ChannelId, ReadyKey)> = self
            .agents
            .iter()
            .flat_map(|(idx, agent)| agent.ready_keys(idx))
            .collect();
        keys.sort_unstable_by_key(|(_, key)| (key.since, key.seq));
        for lines in &mut self.channels.lines {
            lines.clear();
        }
        for (channel, key) in keys {
            self.index_ready(channel, key);
        }
    }

    /// The agent the strategy picks for a contact on `channel` with these requirements
    /// (the forgotten keys passed are only counted: see [`Center::shed_passed`]).
    pub(super) fn find_agent(&self, channel: ChannelId, reqs: &[Level]) -> Option<AgentIdx> {
        let walk = self.walk(channel, reqs);
        let lines = &self.channels.lines[channel as usize];
        for passed in walk.passed.iter().flatten() {
            if let Some(line) = lines.kept(passed.line) {
                line.passed_over(passed.forgotten);
            }
        }
        walk.agent
    }

    /// Drops the forgotten keys a walk on `channel` passed, from the lines' runs (they are in
    /// the caches now), so that the next walks do not pass them again.
    pub(super) fn shed_passed(&mut self, channel: ChannelId, walk: &Walk) {
        let lines = &mut self.channels.lines[channel as usize];
        for passed in walk.passed.iter().flatten() {
            lines.shed_forgotten(passed.line, passed.upto.as_ref(), passed.forgotten);
        }
    }

    /// Finds the agent as [`Center::find_agent`] does, saying which line it walked and how
    /// far: the line of the requirements' skill set when it has one, else the shortest line
    /// of a required skill (the line of all eligible agents when none is required).
    pub(super) fn walk(&self, channel: ChannelId, reqs: &[Level]) -> Walk {
        let Some(lines) = self.channels.lines.get(channel as usize) else {
            return Walk::default();
        };
        let set = match self.settings.strategy {
            Strategy::MostSkilled => None,
            _ => SetKey::of(reqs).and_then(|key| self.skill_sets.lookup(key.ids())),
        };
        let mut built: Option<AppendSet<RankKey>> = None;
        // The line walked (`None`: a copy of the line of all agents), its keys, and the
        // rarest required skill when it is that skill's.
        let (walked, line, rarest) = match set {
            Some(set) => (Some(Line::Set(set)), lines.set(set), None),
            None => match reqs
                .iter()
                .map(|&(skill, min)| {
                    (
                        Some(Line::Skill(skill)),
                        lines.skill(skill),
                        Some((skill, min)),
                    )
                })
                .min_by_key(|(_, line, _)| line.len())
            {
                Some(found) => found,
                None => match &lines.all {
                    Some(all) => (Some(Line::All), all, None),
                    None => (None, &*built.insert(self.all_line(channel)), None),
                },
            },
        };
        let needed = SkillMask::of(reqs.iter().map(|&(s, _)| s));
        // What the keys of a line tell: the required levels they carry, and whether the
        // agent's record must be read for the others (in the line of all agents and the wide
        // line, keys carry none; in a skill's line, that skill's; in a set's line, those of
        // its first `RankKey::LEVELS` skills).
        let mut in_line = [0; RankKey::LEVELS];
        let (mins, read) = match (set, rarest) {
            (Some(_), _) => {
                for (min, &(_, level)) in in_line.iter_mut().zip(reqs) {
                    *min = level;
                }
                (in_line, reqs.len() > RankKey::LEVELS)
            }
            (None, Some((_, level))) => {
                in_line[0] = level;
                (in_line, reqs.len() > 1)
            }
            (None, None) => (in_line, false),
        };
        let mut missing = 0;
        let mut eligible = |key: &RankKey, mins: &[u8; RankKey::LEVELS], read: bool| {
            if !key.skills.covers(needed) {
                missing += 1;
                return false;
            }
            key.meets(mins) && (!read || self.agents[key.agent].satisfies(reqs))
        };
        // Round-robin starts after the last agent given a contact and wraps around.
        let start = (self.settings.strategy == Strategy::RoundRobin).then(|| {
            RankKey::from_score(self.last_assigned.map_or(0, |order| {
                i64::try_from(order).map_or(i64::MAX, |o| o.saturating_add(1))
            }))
        });
        // Forgotten keys (of agents no longer eligible) are passed over, and counted.
        let mut passed = [None; 2];
        let mut first = |walked: Option<Line>, line: &AppendSet<RankKey>, mins, read| {
            let mut forgotten = 0;
            let take = |key: &&RankKey| {
                if !lines.is_current(key) {
                    forgotten += 1;
                    return false;
                }
                eligible(key, &mins, read)
            };
            let found = match start {
                Some(start) => line
                    .range_from(&start)
                    .chain(line.range_below(&start))
                    .find(take)
                    .copied(),
                None => line.iter().find(take).copied(),
            };
            if let Some(walked) = walked.filter(|_| forgotten > 0) {
                passed[usize::from(walked == Line::Wide)] = Some(Passed {
                    line: walked,
                    upto: found,
                    forgotten,
                });
            }
            found
        };
        let agent = match (self.settings.strategy, rarest) {
            (Strategy::MostSkilled, Some(rarest)) => {
                self.most_skilled(channel, line, rarest, reqs, needed)
            }
            _ => {
                let found = first(walked, line, mins, read);
                // A set's line leaves out the wide agents: the first of them that qualifies
                // competes with the line's, in the same order.
                let wide = set
                    .and_then(|_| first(Some(Line::Wide), &lines.wide, [0; RankKey::LEVELS], true));
                let place = |key: &RankKey| (start.is_some_and(|s| *key < s), *key);
                match (found, wide) {
                    (Some(a), Some(b)) => Some(if place(&a) <= place(&b) { a } else { b }),
                    (a, b) => a.or(b),
                }
                .map(|key| key.agent)
            }
        };
        Walk {
            agent,
            set,
            missing,
            passed,
        }
    }

    /// Branch and bound over the rarest skill's line (see the module docs).
    fn most_skilled(
        &self,
        channel: ChannelId,
        line: &AppendSet<RankKey>,
        (rarest, min): Level,
        reqs: &[Level],
        needed: SkillMask,
    ) -> Option<AgentIdx> {
        let lines = &self.channels.lines[channel as usize];
        let others: i64 = reqs
            .iter()
            .filter(|&&(skill, _)| skill != rarest)
            .map(|&(skill, _)| lines.skill_head(skill).map_or(0, |head| -head.score))
            .sum();
        // The best so far, as (-total, since, seq): lower is better.
        let mut best: Option<((i64, i64, u64), AgentIdx)> = None;
        let mut forgotten = 0;
        for key in line.iter() {
            if !lines.is_current(key) {
                forgotten += 1;
                continue;
            }
            let level = -key.score;
            let bound = level + others;
            // Nobody from here on totals more than `bound`; at equal totals the ones that
            // follow in this level come later in longest-available order, and lower levels
            // have lower bounds.
            let beaten = best.is_some_and(|((total, since, seq), _)| {
                bound < -total || (bound == -total && (key.since, key.seq) > (since, seq))
            });
            if level < i64::from(min) || beaten {
                break;
            }
            if !key.skills.covers(needed) {
                continue;
            }
            let agent = &self.agents[key.agent];
            if !agent.satisfies(reqs) {
                continue;
            }
            let rank = (-agent.proficiency(reqs), key.since, key.seq);
            if best.is_none_or(|(b, _)| rank < b) {
                best = Some((rank, key.agent));
            }
        }
        line.passed_over(forgotten);
        best.map(|(_, agent)| agent)
    }
}
