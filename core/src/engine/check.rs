//! The invariant audit: [`Center::check`] walks every record and index and reports each
//! disagreement. The property tests call it after every step; `ACD.CHECK` exposes it.

use std::collections::{BTreeSet, HashSet};

use super::append_set::AppendSet;
use super::model::{AgentIdx, ChannelId, Deadline, DeadlineKind, RankKey, Work};
use super::skill_sets::WIDE_SETS;
use super::Center;
use crate::state::{AgentState, ContactState, Mode};

impl Center {
    /// Audits every invariant. Returns the violations found; empty means consistent.
    /// Cost: O((n + q) · k · log n) over n agents, q contacts, k skills each.
    pub fn check(&self) -> Vec<String> {
        let mut bad = Vec::new();
        let mut deadlines = BTreeSet::new();
        self.check_agents(&mut bad, &mut deadlines);
        self.check_contacts(&mut bad, &mut deadlines);
        if deadlines != self.deadlines {
            bad.push(format!(
                "deadlines: {} expected from states, {} held",
                deadlines.len(),
                self.deadlines.len()
            ));
        }
        self.check_occupancy(&mut bad);
        self.check_routing(&mut bad);
        bad
    }

    fn check_agents(&self, bad: &mut Vec<String>, deadlines: &mut BTreeSet<Deadline>) {
        let mut counts = [0u64; 5];
        let mut handling = vec![0u64; self.channels.count()];
        let mut orders = HashSet::new();
        if self.agents.len() != self.agent_ids.len() {
            bad.push("agent table and id index differ in size".into());
        }
        for (id, &idx) in &self.agent_ids {
            let agent = &self.agents[idx];
            if agent.id != *id {
                bad.push(format!("agent '{id}' indexed under another id"));
            }
            if agent.order > self.seq || !orders.insert(agent.order) {
                bad.push(format!("agent '{id}' has no unique registration order"));
            }
            if agent.skills.windows(2).any(|w| w[0].0 >= w[1].0) {
                bad.push(format!("agent '{id}' skills not sorted and unique"));
            }
            for &(skill, _) in &agent.skills {
                if !self.skills.holders[skill as usize].contains(&idx) {
                    bad.push(format!("agent '{id}' missing from holders of a skill"));
                }
            }
            let mut sets = agent.sets.clone();
            sets.sort_unstable();
            if sets != self.skill_sets.held_by(&agent.skills) {
                bad.push(format!("agent '{id}' skill sets are off"));
            }
            counts[super::metrics::state_index(agent.state())] += 1;
            if agent.slots.windows(2).any(|w| w[0].channel >= w[1].channel)
                || agent.slots.iter().any(|slot| slot.capacity == 0)
            {
                bad.push(format!(
                    "agent '{id}' capacity not sorted, unique and positive"
                ));
            }
            for slot in &agent.slots {
                let can = agent.can_take(slot, self.settings.voice_blocks);
                if can != slot.free.is_some() || agent.load(slot.channel) > slot.capacity {
                    bad.push(format!("agent '{id}' eligibility or load is off"));
                }
                if let Some(key) = agent.ready_key(idx, slot.channel) {
                    if !self.fully_indexed(slot.channel, key) {
                        bad.push(format!("eligible agent '{id}' missing from a line"));
                    }
                }
            }
            for hold in &agent.holds {
                if agent.slot(hold.channel).is_none() {
                    bad.push(format!(
                        "agent '{id}' holds work on a channel without capacity"
                    ));
                }
                if let Some(contact) = hold.work.contact() {
                    handling[hold.channel as usize] += 1;
                    let c = &self.contacts[contact];
                    let want = match hold.work {
                        Work::Offered { .. } => ContactState::Offered,
                        _ => ContactState::Assigned,
                    };
                    if c.state != want || c.agent != Some(idx) || c.channel != hold.channel {
                        bad.push(format!("agent '{id}' and its contact disagree"));
                    }
                }
            }
            deadlines.extend(agent.deadlines(idx, |c| self.contacts[c].seq));
        }
        if handling != self.channels.handling {
            bad.push("per-channel handling counts are off".into());
        }
        for state in AgentState::ALL {
            let held = counts[super::metrics::state_index(state)];
            if held != self.metrics.state(state).open {
                bad.push(format!(
                    "{} agents counted {}, held {held}",
                    state.as_str(),
                    self.metrics.state(state).open
                ));
            }
        }
        let by_reason: u64 = self.metrics.by_reason.values().map(|s| s.open).sum();
        if by_reason != self.metrics.state(AgentState::NotReady).open {
            bad.push("not-ready reasons do not add up".into());
        }
        // Every entry of a line is its agent's current key there, or a forgotten one (of an
        // agent that left), counted as such.
        let eligible = |channel: ChannelId, key: &RankKey| {
            self.agents[key.agent].ready_key(key.agent, channel) == Some(key.ready_key())
        };
        let current = |channel: ChannelId, key: &RankKey, skill: Option<u32>| {
            eligible(channel, key)
                && skill.is_none_or(|s| self.agents[key.agent].level(s).is_some())
                && self.rank_key(key.ready_key(), skill) == *key
        };
        for (channel, lines) in self.channels.lines.iter().enumerate() {
            let channel = channel as ChannelId;
            let ready: BTreeSet<(AgentIdx, u64)> = self
                .agents
                .iter()
                .filter_map(|(idx, agent)| agent.ready_key(idx, channel))
                .map(|key| (key.agent, key.seq))
                .collect();
            if lines.eligible != ready.len() as u64
                || !lines.ready_agents().eq(ready.iter().copied())
            {
                bad.push(format!(
                    "channel '{}' counts {} eligible agents ({} with their keys), holds {}",
                    self.channels.name(channel),
                    lines.eligible,
                    lines.ready_agents().count(),
                    ready.len()
                ));
            }
            // Checks a line: its forgotten keys are counted, the others pass `valid`.
            let sound = |line: &AppendSet<RankKey>, valid: &dyn Fn(&RankKey) -> bool| {
                let (kept, forgotten): (Vec<&RankKey>, Vec<&RankKey>) =
                    line.iter().partition(|k| lines.is_current(k));
                forgotten.len() == line.forgotten() && kept.into_iter().all(valid)
            };
            let stale_all = lines
                .all
                .as_ref()
                .is_some_and(|all| !sound(all, &|k| current(channel, k, None)));
            let stale_skill = lines
                .skill_lines()
                .any(|(skill, line)| !sound(line, &|k| current(channel, k, Some(skill))));
            let wide = |k: &RankKey| self.agents[k.agent].sets.len() > WIDE_SETS;
            let stale_set = lines.set_lines().any(|(set, line)| {
                !sound(line, &|k| {
                    eligible(channel, k)
                        && self.set_rank_key(k.ready_key(), set) == *k
                        && !wide(k)
                        && self.agents[k.agent].sets.contains(&set)
                })
            }) || !sound(&lines.wide, &|k| current(channel, k, None) && wide(k));
            if stale_all || stale_skill || stale_set {
                bad.push(format!(
                    "stale entry in a line of channel '{}'",
                    self.channels.name(channel)
                ));
            }
        }
        if self.last_assigned.is_some_and(|order| order > self.seq) {
            bad.push("round-robin position ahead of the sequence".into());
        }
    }

    fn check_contacts(&self, bad: &mut Vec<String>, deadlines: &mut BTreeSet<Deadline>) {
        let (mut queued, mut held) = (0u64, 0u64);
        let mut by_channel = vec![0u64; self.channels.count()];
        let mut by_skill = vec![0u64; self.skills.queued.len()];
        if self.contacts.len() != self.contact_ids.len() {
            bad.push("contact table and id index differ in size".into());
        }
        let max_wait = self.settings.max_wait_ms as i64;
        for idx in self.contact_ids.handles() {
            let c = &self.contacts[idx];
            let id: &str = &c.id;
            let key = c.queue_key(idx, &self.settings);
            let in_queue =
                self.queue.order.contains(&key) && self.queue.group(c.group).queued.contains(&key);
            let retained = c
                .ended_at
                .is_some_and(|at| self.retained.contains(&(at, c.seq, idx)));
            let holder = |want: fn(&Work) -> bool| {
                c.agent.is_some_and(|a| {
                    self.agents[a]
                        .holds
                        .iter()
                        .any(|h| h.work.contact() == Some(idx) && want(&h.work))
                })
            };
            let ok = match c.state {
                ContactState::Queued => {
                    queued += 1;
                    by_channel[c.channel as usize] += 1;
                    for &(skill, _) in &self.queue.group(c.group).reqs {
                        by_skill[skill as usize] += 1;
                    }
                    if max_wait > 0 {
                        deadlines.insert(Deadline {
                            at: c.enqueued_at.saturating_add(max_wait),
                            kind: DeadlineKind::MaxWait,
                            seq: c.seq,
                            handle: idx,
                        });
                    }
                    deadlines.extend(c.relax_deadline(idx));
                    in_queue && c.agent.is_none() && !retained
                }
                ContactState::Offered => {
                    held += 1;
                    holder(|w| matches!(w, Work::Offered { .. })) && !in_queue && !retained
                }
                ContactState::Assigned => {
                    held += 1;
                    holder(|w| matches!(w, Work::Busy { .. })) && !in_queue && !retained
                }
                ContactState::Completed | ContactState::Abandoned | ContactState::Timeout => {
                    retained && !in_queue && c.agent.is_none() && c.relax.is_empty()
                }
            };
            let group = self.queue.group(c.group);
            if !ok
                || self.contact_ids.get(id, &self.contacts) != Some(idx)
                || c.seq > self.seq
                || group.channel != c.channel
            {
                bad.push(format!(
                    "contact '{id}' ({}) is not indexed as its state says",
                    c.state.as_str()
                ));
            }
        }
        if queued as usize != self.queue.len() {
            bad.push("queue holds contacts that are not queued".into());
        }
        if by_skill != self.skills.queued {
            bad.push("per-skill queue depth is off".into());
        }
        if by_channel != self.channels.queued {
            bad.push("per-channel queue depth is off".into());
        }
        let t = &self.metrics.totals;
        if t.enqueued != queued + held + t.completed + t.abandoned + t.timeout {
            bad.push(format!(
                "enqueued_total {} != queued {} + held {} + completed {} + abandoned {} + timeout {}",
                t.enqueued, queued, held, t.completed, t.abandoned, t.timeout
            ));
        }
    }

    fn check_routing(&self, bad: &mut Vec<String>) {
        if self.settings.mode != Mode::Auto {
            return;
        }
        for (group, _) in self.queue.active_groups() {
            if let Some(agent) = self.find_agent_for_group(group) {
                bad.push(format!(
                    "auto mode: ready agent '{}' could serve a queued contact",
                    self.agents[agent].id
                ));
            }
        }
    }
}
