//! Center-wide commands: open, close, configuration and statistics.

use super::agents::CLOSED_REASON;
use super::model::{AgentIdx, Status};
use super::{Center, Event};
use crate::command::{ConfigParam, ConfigValue};
use crate::reply::Reply;
use crate::state::Mode;
use crate::view::StatsView;

impl Center {
    /// Opens the center: every not-ready agent becomes ready, in id order, and is routed.
    pub(super) fn open(&mut self, now: i64) -> Reply {
        self.settle(now);
        self.open = true;
        let waiting: Vec<AgentIdx> = self
            .agent_ids
            .values()
            .copied()
            .filter(|&idx| matches!(self.agents[idx].status, Status::NotReady { .. }))
            .collect();
        self.events.push(Event::Opened);
        for idx in waiting {
            self.make_available(idx, now);
        }
        Reply::Ok
    }

    /// Closes the center: ready agents become not ready; busy ones follow when they complete.
    pub(super) fn close(&mut self, now: i64) -> Reply {
        self.settle(now);
        self.open = false;
        let ready: Vec<AgentIdx> = self.ready.iter().map(|key| key.agent).collect();
        self.events.push(Event::Closed);
        for idx in ready {
            let reason = Some(CLOSED_REASON.to_owned());
            self.set_status(idx, Status::NotReady { reason }, now);
            self.events.push(Event::NotReady {
                agent: self.agents[idx].id.clone(),
            });
        }
        Reply::Ok
    }

    pub(super) fn config_set(&mut self, value: ConfigValue, now: i64) -> Reply {
        match value {
            ConfigValue::Mode(mode) => {
                let was = std::mem::replace(&mut self.mode, mode);
                self.settle(now);
                if was == Mode::Manual && mode == Mode::Auto {
                    self.dispatch(usize::MAX, now);
                }
            }
            ConfigValue::Retention(seconds) => {
                self.retention_s = seconds;
                self.settle(now);
            }
        }
        self.events.push(Event::Configured);
        Reply::Ok
    }

    pub(super) fn config_get(&self, param: ConfigParam) -> Reply {
        match param {
            ConfigParam::Mode => Reply::Bulk(self.mode.as_str().to_owned()),
            ConfigParam::Retention => Reply::Int(self.retention_s as i64),
        }
    }

    /// Statistics, with waits measured against `now`.
    pub fn stats(&self, now: i64) -> StatsView {
        let t = &self.totals;
        StatsView {
            agents_ready: self.ready.len() as i64,
            agents_notready: self.notready_count as i64,
            agents_busy: self.busy_count as i64,
            queued: self.queue.len() as i64,
            longest_wait_ms: self
                .queue
                .oldest_enqueued_at()
                .map_or(0, |at| now.saturating_sub(at).max(0)),
            enqueued_total: t.enqueued as i64,
            assigned_total: t.assigned as i64,
            completed_total: t.completed as i64,
            abandoned_total: t.abandoned as i64,
            avg_wait_ms: if t.assigned == 0 {
                0
            } else {
                t.wait_ms
                    .div_euclid(i128::from(t.assigned))
                    .clamp(i64::MIN.into(), i64::MAX.into()) as i64
            },
        }
    }
}
