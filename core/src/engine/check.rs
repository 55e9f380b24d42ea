//! The invariant audit: [`Center::check`] walks every record and index and reports each
//! disagreement. The property tests call it after every step; it is also exposed to operators.

use super::model::Status;
use super::Center;
use crate::state::{ContactState, Mode};

impl Center {
    /// Audits every invariant. Returns the violations found; empty means consistent.
    /// Cost: O((n + q) · k · log n) over n agents, q contacts, k skills each.
    pub fn check(&self) -> Vec<String> {
        let mut bad = Vec::new();
        self.check_agents(&mut bad);
        self.check_contacts(&mut bad);
        self.check_routing(&mut bad);
        bad
    }

    fn check_agents(&self, bad: &mut Vec<String>) {
        let (mut ready, mut notready, mut busy) = (0, 0, 0);
        if self.agents.len() != self.agent_ids.len() {
            bad.push("agent table and id index differ in size".into());
        }
        for (id, &idx) in &self.agent_ids {
            let agent = &self.agents[idx];
            if agent.id != *id {
                bad.push(format!("agent '{id}' indexed under another id"));
            }
            if agent.skills.windows(2).any(|w| w[0].0 >= w[1].0) {
                bad.push(format!("agent '{id}' skills not sorted and unique"));
            }
            for &(skill, _) in &agent.skills {
                if !self.skills.holders[skill as usize].contains(&idx) {
                    bad.push(format!("agent '{id}' missing from holders of a skill"));
                }
            }
            match agent.status {
                Status::Ready { .. } => {
                    ready += 1;
                    let key = agent.ready_key(idx).expect("ready agent has a key");
                    let in_lines = self.ready.contains(&key)
                        && agent
                            .skills
                            .iter()
                            .all(|&(s, _)| self.skills.ready[s as usize].contains(&key));
                    if !in_lines {
                        bad.push(format!("ready agent '{id}' missing from a ready line"));
                    }
                }
                Status::NotReady { .. } => notready += 1,
                Status::Busy { contact } => {
                    busy += 1;
                    let c = &self.contacts[contact];
                    if c.state != ContactState::Assigned || c.agent != Some(idx) {
                        bad.push(format!("busy agent '{id}' and its contact disagree"));
                    }
                }
            }
        }
        if (ready, notready, busy) != (self.ready.len(), self.notready_count, self.busy_count) {
            bad.push(format!(
                "agent counts ready/notready/busy {}/{}/{} but indexed {}/{}/{}",
                ready,
                notready,
                busy,
                self.ready.len(),
                self.notready_count,
                self.busy_count
            ));
        }
        for key in &self.ready {
            if self.agents[key.agent].ready_key(key.agent) != Some(*key) {
                bad.push("stale entry in the ready line".into());
            }
        }
        for (skill, line) in self.skills.ready.iter().enumerate() {
            for key in line {
                let agent = &self.agents[key.agent];
                if agent.ready_key(key.agent) != Some(*key) || agent.level(skill as u32).is_none() {
                    bad.push(format!("stale entry in the ready line of skill {skill}"));
                }
            }
        }
    }

    fn check_contacts(&self, bad: &mut Vec<String>) {
        let (mut queued, mut assigned) = (0u64, 0u64);
        if self.contacts.len() != self.contact_ids.len() {
            bad.push("contact table and id index differ in size".into());
        }
        for (id, &idx) in &self.contact_ids {
            let c = &self.contacts[idx];
            let key = c.queue_key(idx);
            let in_queue =
                self.queue.order.contains(&key) && self.queue.group(c.group).queued.contains(&key);
            let retained = c
                .ended_at
                .is_some_and(|at| self.retained.contains(&(at, c.seq, idx)));
            let ok = match c.state {
                ContactState::Queued => {
                    queued += 1;
                    in_queue && c.agent.is_none() && !retained
                }
                ContactState::Assigned => {
                    assigned += 1;
                    let agent_ok = c
                        .agent
                        .is_some_and(|a| self.agents[a].status == Status::Busy { contact: idx });
                    agent_ok && !in_queue && !retained
                }
                ContactState::Completed | ContactState::Abandoned => {
                    retained && !in_queue && c.agent.is_none()
                }
            };
            if !ok || c.id != *id || c.seq > self.seq {
                bad.push(format!(
                    "contact '{id}' ({}) is not indexed as its state says",
                    c.state.as_str()
                ));
            }
        }
        if queued as usize != self.queue.len() {
            bad.push("queue holds contacts that are not queued".into());
        }
        let t = &self.totals;
        if t.enqueued != queued + assigned + t.completed + t.abandoned {
            bad.push(format!(
                "enqueued_total {} != queued {} + assigned {} + completed {} + abandoned {}",
                t.enqueued, queued, assigned, t.completed, t.abandoned
            ));
        }
    }

    fn check_routing(&self, bad: &mut Vec<String>) {
        if self.mode != Mode::Auto {
            return;
        }
        for (group, _) in self.queue.active_groups() {
            if let Some(agent) = self.find_agent(group) {
                bad.push(format!(
                    "auto mode: ready agent '{}' could serve a queued contact",
                    self.agents[agent].id
                ));
            }
        }
    }
}
