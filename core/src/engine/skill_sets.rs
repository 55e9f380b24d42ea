//! Lines of hot skill sets: the eligible agents holding every skill of a set that contacts
//! keep asking for, so that routing such a contact does not walk past the agents of its
//! rarest skill that lack the others.
//!
//! A per-skill line is exact for contacts needing one skill. A contact needing several is
//! served by walking its rarest skill's line and skipping the agents that lack another one;
//! when few agents hold the whole combination, that walk grows with the agent count. So the
//! skips for a lacking skill (agents skipped for a low level do not count: a set's line would
//! not spare them) of every route that skips [`LINE_AFTER_MISSES`] or more are added up per
//! skill set (without levels: every level variant shares the line), and once they reach the
//! number of holders of the set's rarest skill (what building its line scans: walking is
//! rented until it has cost as much as buying), the set gets a line of its own, in each
//! channel's [`Lines`], kept exactly like the skill lines: an agent is in the line of every
//! known set it holds, on every channel where it is eligible, under its key in the line of
//! all agents. Later routes of that set walk the set's line and only skip agents below a
//! required level.
//!
//! Costs: building a set's line scans the holders of its rarest skill, O(h·k), and puts the
//! eligible holders of the set in that line only, O(h' log n) (an agent that the set makes
//! wide moves to the wide line; dropping a set is the mirror image); each agent
//! change that moves it in or out of the lines also moves it in the lines of the sets it
//! holds (`Agent::sets`), O(m log n) for m ≤ [`WIDE_SETS`] sets: an agent holding more (one
//! with every skill, say) is kept in one line of wide agents per channel instead, walked
//! beside a set's line, so no agent pays for every set; granting or revoking a skill
//! recomputes the agent's sets, O(S·k) for S sets. At most [`MAX_SETS`] sets are kept; when full, the one
//! least recently used gives way only if it has been idle for [`STALE_AFTER`] routes, so
//! that a cycle of more sets than fit does not rebuild lines on every route. `most-skilled`
//! ranks by level per skill, so it walks skill lines and never builds set lines.
//!
//! The lines are an index, never state: they are not encoded (a loaded center starts
//! without them and learns its sets again) and change no routing decision, only its cost.
//!
//! [`Lines`]: super::channels::Lines

use foldhash::HashMap;

use super::channels::Line;
use super::model::{AgentIdx, GroupId, Level, SkillId, SkillMask};
use super::slab::Slab;
use super::Center;
use crate::state::Strategy;

pub(crate) type SetId = u32;

/// Agents a route skips for lacking a required skill that give its skill set a line (0 under
/// test: every route of a set builds its line, so that the property tests exercise them).
#[cfg(not(test))]
pub(crate) const LINE_AFTER_MISSES: usize = 256;
#[cfg(test)]
pub(crate) const LINE_AFTER_MISSES: usize = 0;

/// Most skill sets with a line.
#[cfg(not(test))]
pub(crate) const MAX_SETS: usize = 4_096;
#[cfg(test)]
pub(crate) const MAX_SETS: usize = 4;

/// Sets an agent may hold and still be in their lines; an agent holding more ("wide", e.g.
/// one with every skill) is in its channels' line of wide agents instead, which routing on a
/// set's line walks too, so that its transitions cost O(WIDE_SETS log n) at most whatever
/// the number of sets (1 under test, so that the property tests meet wide agents).
#[cfg(not(test))]
pub(crate) const WIDE_SETS: usize = 64;
#[cfg(test)]
pub(crate) const WIDE_SETS: usize = 1;

/// Skips for a missing skill that pay for building a set's line, per holder of its rarest
/// skill (0 under test, as above).
#[cfg(not(test))]
const MISSES_PER_HOLDER: u64 = 1;
#[cfg(test)]
const MISSES_PER_HOLDER: u64 = 0;

/// Most sets whose skips are being added up; when full, the count starts over.
const MAX_PENDING: usize = 4 * MAX_SETS;

/// Routes (of sets with a line) after which an unused set may give way to a new one.
#[cfg(not(test))]
const STALE_AFTER: u64 = 4 * MAX_SETS as u64;
#[cfg(test)]
const STALE_AFTER: u64 = 1;

#[derive(Debug, Clone)]
struct SkillSet {
    /// Sorted skill ids, at least two.
    skills: Box<[SkillId]>,
    mask: SkillMask,
    /// The value of `SkillSets::uses` when a route last used the line.
    last_used: u64,
}

/// The skill sets with a line.
#[derive(Debug, Clone, Default)]
pub(crate) struct SkillSets {
    sets: Slab<SkillSet>,
    ids: HashMap<Box<[SkillId]>, SetId>,
    /// Routes that used a set's line, ever.
    uses: u64,
    /// Skips for a missing skill so far, per set without a line (of long walks only).
    pending: HashMap<Box<[SkillId]>, u64>,
}

impl SkillSets {
    /// The set of these sorted skill ids, if it has a line.
    pub(crate) fn lookup(&self, skills: &[SkillId]) -> Option<SetId> {
        self.ids.get(skills).copied()
    }

    /// The skills of a set with a line, sorted by id.
    pub(crate) fn skills(&self, id: SetId) -> &[SkillId] {
        &self.sets[id].skills
    }

    /// The sets an agent with these skills (sorted by id) holds.
    pub(crate) fn held_by(&self, skills: &[Level]) -> Vec<SetId> {
        let mask = SkillMask::of(skills.iter().map(|&(s, _)| s));
        self.sets
            .iter()
            .filter(|(_, set)| mask.covers(set.mask) && holds_all(skills, &set.skills))
            .map(|(id, _)| id)
            .collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.sets.len()
    }
}

/// Whether `held` (sorted by skill id) includes every skill of `wanted` (sorted).
fn holds_all(held: &[Level], wanted: &[SkillId]) -> bool {
    wanted
        .iter()
        .all(|s| held.binary_search_by_key(s, |&(id, _)| id).is_ok())
}

/// The skill ids of requirements sorted by skill id, on the stack when there are few.
pub(crate) struct SetKey {
    ids: [SkillId; SetKey::MAX],
    len: usize,
}

impl SetKey {
    /// Sets larger than this never get a line (and are rare).
    const MAX: usize = 8;

    pub(crate) fn of(reqs: &[Level]) -> Option<SetKey> {
        if reqs.len() < 2 || reqs.len() > SetKey::MAX {
            return None;
        }
        let mut ids = [0; SetKey::MAX];
        for (slot, &(skill, _)) in ids.iter_mut().zip(reqs) {
            *slot = skill;
        }
        Some(SetKey {
            ids,
            len: reqs.len(),
        })
    }

    pub(crate) fn ids(&self) -> &[SkillId] {
        &self.ids[..self.len]
    }
}

impl Center {
    /// The agent the strategy picks for the contacts of `group`, learning from the walk: the
    /// set's line is marked used, or the set gets a line when the walk was long.
    // Under test every walk builds a line (`LINE_AFTER_MISSES` is 0), to exercise them.
    #[allow(clippy::absurd_extreme_comparisons)]
    pub(super) fn choose_for_group(&mut self, id: GroupId) -> Option<AgentIdx> {
        let (channel, skill_less) = {
            let group = self.queue.group(id);
            (group.channel, group.reqs.is_empty())
        };
        if skill_less {
            self.keep_all_line(channel);
        }
        let walk = self.walk(channel, &self.queue.group(id).reqs);
        self.shed_passed(channel, &walk);
        let group = self.queue.group(id);
        match walk.set {
            Some(id) => {
                let sets = &mut self.skill_sets;
                sets.uses += 1;
                sets.sets[id].last_used = sets.uses;
            }
            None if walk.missing >= LINE_AFTER_MISSES
                && self.settings.strategy != Strategy::MostSkilled =>
            {
                if let Some(key) = SetKey::of(&group.reqs) {
                    self.learn_skill_set(&key, walk.missing);
                }
            }
            None => {}
        }
        walk.agent
    }

    /// Adds a long walk's skips to its set's account; once they pay for building its line
    /// (as many as the holders of its rarest skill, which building scans), builds it, making
    /// room by dropping a stale set if the table is full.
    fn learn_skill_set(&mut self, key: &SetKey, missing: usize) {
        let build_cost = key
            .ids()
            .iter()
            .map(|&s| self.skills.holders[s as usize].len())
            .min()
            .unwrap_or(0) as u64
            * MISSES_PER_HOLDER;
        let sets = &mut self.skill_sets;
        if sets.pending.len() >= MAX_PENDING && !sets.pending.contains_key(key.ids()) {
            sets.pending.clear();
        }
        let paid = match sets.pending.get_mut(key.ids()) {
            Some(paid) => paid,
            None => sets.pending.entry(key.ids().into()).or_default(),
        };
        *paid += missing as u64;
        if *paid < build_cost {
            return;
        }
        sets.pending.remove(key.ids());
        if sets.len() >= MAX_SETS {
            let stale = sets
                .sets
                .iter()
                .min_by_key(|(_, set)| set.last_used)
                .filter(|(_, set)| sets.uses - set.last_used >= STALE_AFTER)
                .map(|(id, _)| id);
            match stale {
                Some(id) => self.drop_skill_set(id),
                None => return,
            }
        }
        self.add_skill_set(key.ids());
    }

    /// Gives a skill set (sorted ids) a line in every channel, with every agent holding it.
    fn add_skill_set(&mut self, skills: &[SkillId]) {
        let sets = &mut self.skill_sets;
        let skills: Box<[SkillId]> = skills.into();
        let id = sets.sets.insert(SkillSet {
            skills: skills.clone(),
            mask: SkillMask::of(skills.iter().copied()),
            last_used: sets.uses,
        });
        sets.ids.insert(skills.clone(), id);
        for idx in self.holders_of_all(&skills) {
            let held = self.agents[idx].sets.len();
            if held == WIDE_SETS {
                // One set more makes it wide: it leaves its sets' lines for the wide line.
                self.reindexed(idx, |agent| agent.sets.push(id));
            } else {
                self.agents[idx].sets.push(id);
                if held < WIDE_SETS {
                    self.join_set_line(idx, id);
                }
            }
        }
    }

    /// Forgets a skill set and its lines.
    fn drop_skill_set(&mut self, id: SetId) {
        let Some(set) = self.skill_sets.sets.remove(id) else {
            return;
        };
        self.skill_sets.ids.remove(&set.skills);
        for lines in &mut self.channels.lines {
            if let Some(line) = lines.kept_mut(Line::Set(id)) {
                line.clear();
            }
        }
        for idx in self.holders_of_all(&set.skills) {
            if self.agents[idx].sets.len() == WIDE_SETS + 1 {
                // One set fewer: it leaves the wide line for its sets' lines.
                self.reindexed(idx, |agent| agent.sets.retain(|&s| s != id));
            } else {
                self.agents[idx].sets.retain(|&s| s != id);
            }
        }
    }

    /// The agents holding every skill of `skills`, from the holders of the rarest one.
    fn holders_of_all(&self, skills: &[SkillId]) -> Vec<AgentIdx> {
        let Some(rarest) = skills
            .iter()
            .map(|&s| &self.skills.holders[s as usize])
            .min_by_key(|holders| holders.len())
        else {
            return Vec::new();
        };
        rarest
            .iter()
            .copied()
            .filter(|&idx| holds_all(&self.agents[idx].skills, skills))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keys_take_two_to_eight_skills() {
        let reqs = |n: u32| (0..n).map(|s| (s, 1)).collect::<Vec<Level>>();
        assert!(SetKey::of(&reqs(1)).is_none());
        assert_eq!(
            SetKey::of(&reqs(3)).map(|k| k.ids().to_vec()),
            Some(vec![0, 1, 2])
        );
        assert!(SetKey::of(&reqs(9)).is_none());
    }

    #[test]
    fn agents_hold_the_sets_their_skills_cover() {
        let mut sets = SkillSets::default();
        for skills in [[1, 2], [2, 66], [1, 65]] {
            let skills: Box<[SkillId]> = skills.into();
            let id = sets.sets.insert(SkillSet {
                mask: SkillMask::of(skills.iter().copied()),
                skills: skills.clone(),
                last_used: 0,
            });
            sets.ids.insert(skills, id);
        }
        // 65 shares a mask bit with 1: the mask alone would say yes.
        assert_eq!(sets.held_by(&[(1, 3), (2, 1), (66, 9)]), vec![0, 1]);
        assert_eq!(sets.held_by(&[(2, 1), (65, 1)]), Vec::<SetId>::new());
        assert_eq!(sets.lookup(&[1, 65]), Some(2));
    }
}
