//! Routing strategies: which eligible ready agent gets a contact (`ACD.CONFIG SET strategy`).
//!
//! Every ready agent is in the longest-available line (`Center::ready`, by [`ReadyKey`]) and,
//! ranked for the active strategy by a [`RankKey`] (lower first), in the line of all ready
//! agents (`Center::ranked`) and in the line of each of its skills (`SkillTable::ready`). The
//! key's score is:
//! - `longest-available`: 0, so the lines are in longest-available order;
//! - `most-skilled`: in a skill's line, minus the agent's level in that skill (highest level
//!   first, then longest available); 0 in the line of all agents;
//! - `round-robin`: the agent's registration order (its fixed place in the cycle);
//! - `least-occupied`: its busy ms in the occupancy window (an approximation, see
//!   `occupancy.rs`), then longest available.
//!
//! [`Center::find_agent`] walks the shortest line among the required skills (the line of all
//! ready agents when none is required). With k required skills, n ready agents and s agents
//! skipped because they lack another required skill or level:
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
//! Changing the strategy re-ranks every ready agent: O(n·k log n).

use std::collections::BTreeSet;

use super::model::{Agent, AgentIdx, Level, RankKey, ReadyKey, SkillId};
use super::Center;
use crate::state::Strategy;

impl Center {
    /// The key of a ready agent in the line of `skill` (`None`: the line of all ready agents).
    pub(super) fn rank_key(&self, key: ReadyKey, skill: Option<SkillId>) -> RankKey {
        let agent = &self.agents[key.agent];
        let score = match self.settings.strategy {
            Strategy::LongestAvailable => 0,
            Strategy::MostSkilled => skill
                .and_then(|s| agent.level(s))
                .map_or(0, |level| -i64::from(level)),
            Strategy::RoundRobin => i64::try_from(agent.order).unwrap_or(i64::MAX),
            Strategy::LeastOccupied => agent.occupancy.busy_ms,
        };
        RankKey {
            score,
            since: key.since,
            seq: key.seq,
            agent: key.agent,
        }
    }

    pub(super) fn index_ready(&mut self, key: ReadyKey) {
        self.ready.insert(key);
        self.ranked.insert(self.rank_key(key, None));
        for &(skill, _) in &self.agents[key.agent].skills {
            let rank = self.rank_key(key, Some(skill));
            self.skills.ready[skill as usize].insert(rank);
        }
    }

    pub(super) fn unindex_ready(&mut self, key: ReadyKey) {
        self.ready.remove(&key);
        self.ranked.remove(&self.rank_key(key, None));
        for &(skill, _) in &self.agents[key.agent].skills {
            let rank = self.rank_key(key, Some(skill));
            self.skills.ready[skill as usize].remove(&rank);
        }
    }

    /// Changes an agent (skills, levels, busy time) keeping its ready lines in step.
    pub(super) fn reindexed(&mut self, idx: AgentIdx, change: impl FnOnce(&mut Agent)) {
        let key = self.agents[idx].ready_key(idx);
        if let Some(key) = key {
            self.unindex_ready(key);
        }
        change(&mut self.agents[idx]);
        if let Some(key) = key {
            self.index_ready(key);
        }
    }

    /// Re-ranks every ready agent (the strategy or every score changed).
    pub(super) fn rerank_all(&mut self) {
        self.ranked.clear();
        for line in &mut self.skills.ready {
            line.clear();
        }
        let ready: Vec<ReadyKey> = self.ready.iter().copied().collect();
        for key in ready {
            self.index_ready(key);
        }
    }

    /// The ready agent the strategy picks for a contact with these requirements.
    pub(super) fn find_agent(&self, reqs: &[Level]) -> Option<AgentIdx> {
        let (line, rarest) = reqs
            .iter()
            .map(|&(skill, min)| (&self.skills.ready[skill as usize], Some((skill, min))))
            .min_by_key(|(line, _)| line.len())
            .unwrap_or((&self.ranked, None));
        let eligible = |key: &&RankKey| self.agents[key.agent].satisfies(reqs);
        match (self.settings.strategy, rarest) {
            (Strategy::RoundRobin, _) => {
                let next = self.last_assigned.map_or(0, |order| {
                    i64::try_from(order).map_or(i64::MAX, |o| o.saturating_add(1))
                });
                let start = RankKey::from_score(next);
                line.range(start..)
                    .chain(line.range(..start))
                    .find(eligible)
                    .map(|key| key.agent)
            }
            (Strategy::MostSkilled, Some(rarest)) => self.most_skilled(line, rarest, reqs),
            _ => line.iter().find(eligible).map(|key| key.agent),
        }
    }

    /// Branch and bound over the rarest skill's line (see the module docs).
    fn most_skilled(
        &self,
        line: &BTreeSet<RankKey>,
        (rarest, min): Level,
        reqs: &[Level],
    ) -> Option<AgentIdx> {
        let others: i64 = reqs
            .iter()
            .filter(|&&(skill, _)| skill != rarest)
            .map(|&(skill, _)| {
                self.skills.ready[skill as usize]
                    .first()
                    .map_or(0, |head| -head.score)
            })
            .sum();
        // The best so far, as (-total, since, seq): lower is better.
        let mut best: Option<((i64, i64, u64), AgentIdx)> = None;
        for key in line {
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
            let agent = &self.agents[key.agent];
            if !agent.satisfies(reqs) {
                continue;
            }
            let rank = (-agent.proficiency(reqs), key.since, key.seq);
            if best.is_none_or(|(b, _)| rank < b) {
                best = Some((rank, key.agent));
            }
        }
        best.map(|(_, agent)| agent)
    }
}
