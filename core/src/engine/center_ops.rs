//! Center-wide commands: open, close, configuration, statistics, wait estimates, the event
//! log and the invariant audit.

use super::agents::CLOSED_REASON;
use super::compact_id::CompactId;
use super::metrics::{mean, ratio};
use super::model::{AgentIdx, Presence};
use super::{Center, EventKind};
use crate::command::{ConfigParam, ConfigValue};
use crate::reply::Reply;
use crate::skill::Skill;
use crate::state::{AgentState, Mode, Strategy};
use crate::view::StatsView;

impl Center {
    /// Opens the center: every not-ready agent becomes ready, in id order, and is routed.
    pub(super) fn open(&mut self, now: i64) -> Reply {
        self.open = true;
        let waiting: Vec<AgentIdx> = self
            .agent_ids
            .values()
            .copied()
            .filter(|&idx| self.agents[idx].presence != Presence::Ready)
            .collect();
        self.emit(now, EventKind::Opened, None, None, None);
        for idx in waiting {
            self.agents[idx].misses = 0;
            self.make_available(idx, now);
        }
        Reply::Ok
    }

    /// Closes the center: ready agents become not ready, in id order; those holding work
    /// show it when freed.
    pub(super) fn close(&mut self, now: i64) -> Reply {
        self.open = false;
        let ready: Vec<AgentIdx> = self
            .agent_ids
            .values()
            .copied()
            .filter(|&idx| self.agents[idx].presence == Presence::Ready)
            .collect();
        self.emit(now, EventKind::Closed, None, None, None);
        for idx in ready {
            self.make_not_ready(idx, Some(CLOSED_REASON.to_owned()), now);
        }
        Reply::Ok
    }

    pub(super) fn config_set(&mut self, value: ConfigValue, now: i64) -> Reply {
        let old = self.settings.clone();
        self.settings.set(value);
        match value.param() {
            ConfigParam::Mode if old.mode == Mode::Manual && self.settings.mode == Mode::Auto => {
                self.dispatch(usize::MAX, now);
            }
            ConfigParam::MaxWait => self.reset_max_wait(),
            ConfigParam::EventsMax => self.log.trim(self.settings.events_max as usize),
            ConfigParam::PriorityAge if old.priority_age_ms != self.settings.priority_age_ms => {
                self.rekey_queue();
            }
            ConfigParam::Strategy if old.strategy != self.settings.strategy => self.rerank_all(),
            ConfigParam::VoiceBlocks if old.voice_blocks != self.settings.voice_blocks => {
                self.refresh_all(now);
            }
            ConfigParam::OccupancyWindow
                if old.occupancy_window_ms != self.settings.occupancy_window_ms =>
            {
                self.reset_occupancy();
                if self.settings.strategy == Strategy::LeastOccupied {
                    self.rerank_all();
                }
            }
            _ => {}
        }
        let change = format!(
            "{}={}",
            value.param().as_str(),
            config_text(&self.settings.get(value.param()))
        );
        self.emit(now, EventKind::Configured, None, None, Some(change));
        // A shorter retention or max-wait may make something due right away.
        self.settle_from(now, now);
        Reply::Ok
    }

    /// Statistics, with waits and times in state measured against `now`.
    pub fn stats(&self, now: i64) -> StatsView {
        let t = &self.metrics.totals;
        let open = |s: AgentState| self.metrics.state(s).open as i64;
        let time = |s: AgentState| self.metrics.state(s).total(now);
        let worked = time(AgentState::Busy) + time(AgentState::WrapUp);
        let staffed = worked + time(AgentState::Ready) + time(AgentState::Offered);
        let decided = i128::from(t.assigned + t.abandoned + t.timeout);
        StatsView {
            agents_ready: open(AgentState::Ready),
            agents_notready: open(AgentState::NotReady),
            agents_busy: open(AgentState::Busy),
            queued: self.queue.len() as i64,
            longest_wait_ms: self
                .queue
                .oldest_enqueued_at()
                .map_or(0, |at| now.saturating_sub(at).max(0)),
            enqueued_total: t.enqueued as i64,
            assigned_total: t.assigned as i64,
            completed_total: t.completed as i64,
            abandoned_total: t.abandoned as i64,
            avg_wait_ms: mean(t.wait_ms, t.assigned),
            agents_offered: open(AgentState::Offered),
            agents_wrapup: open(AgentState::WrapUp),
            timeout_total: t.timeout as i64,
            offered_total: t.offered as i64,
            rejected_total: t.rejected as i64,
            noanswer_total: t.no_answer as i64,
            service_level: ratio(i128::from(t.within_sla), decided),
            aht_ms: mean(t.handle_ms, t.completed),
            abandon_rate: ratio(i128::from(t.abandoned), i128::from(t.enqueued)),
            occupancy: ratio(worked, staffed),
            queued_by_skill: self
                .skills
                .queued
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(skill, n)| (self.skills.name(skill as u32).to_owned(), *n as i64))
                .collect(),
            notready_ms_by_reason: self
                .metrics
                .by_reason
                .iter()
                .map(|(reason, span)| {
                    let name = if reason.is_empty() { "none" } else { reason };
                    (
                        name.to_owned(),
                        span.total(now).clamp(0, i64::MAX.into()) as i64,
                    )
                })
                .collect(),
            queued_by_channel: self
                .channels
                .named_counts(|c| self.channels.queued[c as usize]),
            agents_free_by_channel: self
                .channels
                .named_counts(|c| self.channels.lines[c as usize].eligible),
            handling_by_channel: self
                .channels
                .named_counts(|c| self.channels.handling[c as usize]),
            assigned_by_channel: self
                .channels
                .named_counts(|c| self.channels.assigned[c as usize]),
        }
    }

    /// Estimated wait (ms) for a new contact on `channel` with these requirements, or nil
    /// when no staffed agent could serve it or no contact has been handled yet to measure
    /// handle time. Each staffed agent counts as many servers as its capacity on the channel,
    /// and each free place there as a server free now.
    /// Cost: O(h + a) for h agents holding the rarest required skill and a contacts ahead.
    pub(super) fn estimate(
        &self,
        skills: &[Skill],
        channel: Option<&str>,
        priority: i64,
        now: i64,
    ) -> Reply {
        let Some(channel) = self.channels.lookup(channel.unwrap_or(crate::VOICE)) else {
            return Reply::Nil;
        };
        let Some(reqs) = self.lookup_levels(skills) else {
            return Reply::Nil;
        };
        let holders: Box<dyn Iterator<Item = AgentIdx>> = match reqs
            .iter()
            .map(|&(skill, _)| &self.skills.holders[skill as usize])
            .min_by_key(|h| h.len())
        {
            Some(h) => Box::new(h.iter().copied()),
            None => Box::new(self.agent_ids.values().copied()),
        };
        let (mut staffed, mut ready) = (0i64, 0i64);
        for idx in holders {
            let agent = &self.agents[idx];
            let Some(slot) = agent.slot(channel) else {
                continue;
            };
            if !agent.satisfies(&reqs) || agent.state() == AgentState::NotReady {
                continue;
            }
            staffed += i64::from(slot.capacity);
            if slot.free.is_some() {
                ready += i64::from(slot.capacity - agent.load(channel));
            }
        }
        let rank = self.settings.rank(priority, now);
        let ahead = self.queue.ahead(channel, &reqs, rank, now) as i64;
        if ready > ahead {
            return Reply::Int(0);
        }
        let t = &self.metrics.totals;
        if staffed == 0 || t.completed == 0 {
            return Reply::Nil;
        }
        let aht = mean(t.handle_ms, t.completed);
        Reply::Int((ahead + 1 - ready).saturating_mul(aht) / staffed)
    }

    /// Re-evaluates every agent's eligibility on each channel (`voice-blocks` changed).
    fn refresh_all(&mut self, now: i64) {
        let agents: Vec<AgentIdx> = self.agent_ids.values().copied().collect();
        for &idx in &agents {
            self.refresh_slots(idx, now);
        }
        for idx in agents {
            self.fill(idx, now);
        }
    }

    /// Event log entries after `since`, oldest first.
    pub(super) fn events_after(&self, since: u64, count: usize) -> Reply {
        let id = |v: &Option<CompactId>| {
            v.as_ref()
                .map_or(Reply::Nil, |s| Reply::Bulk(s.as_str().to_owned()))
        };
        let text = |v: &Option<String>| v.clone().map_or(Reply::Nil, Reply::Bulk);
        Reply::Array(
            self.log
                .after(since, count)
                .map(|e| {
                    Reply::Map(vec![
                        ("id".into(), Reply::Int(e.id as i64)),
                        ("at".into(), Reply::Int(e.at)),
                        ("type".into(), Reply::Bulk(e.kind.name().to_owned())),
                        ("agent".into(), id(&e.agent)),
                        ("contact".into(), id(&e.contact)),
                        ("reason".into(), text(&e.reason)),
                    ])
                })
                .collect(),
        )
    }

    pub(super) fn check_reply(&self) -> Reply {
        let violations = self.check();
        if violations.is_empty() {
            Reply::Ok
        } else {
            Reply::Array(violations.into_iter().map(Reply::Bulk).collect())
        }
    }
}

fn config_text(reply: &Reply) -> String {
    match reply {
        Reply::Int(n) => n.to_string(),
        Reply::Bulk(s) => s.clone(),
        _ => String::new(),
    }
}
