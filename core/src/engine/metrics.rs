//! Live metrics, updated in the same step as every state change so they are exact at any
//! instant: running totals, time spent in each agent state and each not-ready reason, and the
//! per-skill queue depth (kept in the skill table).
//!
//! Time in a state is `closed` (finished stays) plus the open stays computed on demand as
//! `open × now − Σ since`, so reading it costs O(1) per state, not a walk over agents.

use std::collections::BTreeMap;

use crate::state::AgentState;

/// Accumulated time in one state (or reason) across all agents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    /// Milliseconds of stays that have ended.
    pub(crate) closed_ms: i128,
    /// Agents in the state now.
    pub(crate) open: u64,
    /// Sum of the start times of the open stays.
    pub(crate) since_sum: i128,
}

impl Span {
    pub(crate) fn enter(&mut self, at: i64) {
        self.open += 1;
        self.since_sum += i128::from(at);
    }

    /// Event times may go backwards (`AT` is the caller's): a stay never counts negative.
    pub(crate) fn leave(&mut self, since: i64, at: i64) {
        self.open -= 1;
        self.since_sum -= i128::from(since);
        self.closed_ms += (i128::from(at) - i128::from(since)).max(0);
    }

    /// Total milliseconds including the open stays, as of `now`.
    pub(crate) fn total(&self, now: i64) -> i128 {
        self.closed_ms + (i128::from(self.open) * i128::from(now) - self.since_sum).max(0)
    }
}

/// Counters since the center was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    pub(crate) enqueued: u64,
    pub(crate) offered: u64,
    pub(crate) assigned: u64,
    pub(crate) completed: u64,
    pub(crate) abandoned: u64,
    pub(crate) timeout: u64,
    pub(crate) rejected: u64,
    pub(crate) no_answer: u64,
    /// Assignments made within `sla-threshold` of enqueue.
    pub(crate) within_sla: u64,
    /// Sum over assignments of (assigned_at - enqueued_at).
    pub(crate) wait_ms: i128,
    /// Sum over completed contacts of (ended_at - assigned_at).
    pub(crate) handle_ms: i128,
}

/// Everything the metrics need besides the records themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Metrics {
    pub(crate) totals: Totals,
    /// Indexed by [`state_index`].
    pub(crate) by_state: [Span; 5],
    /// Not-ready time by reason ("" for none).
    pub(crate) by_reason: BTreeMap<String, Span>,
}

pub(crate) fn state_index(state: AgentState) -> usize {
    AgentState::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or_default()
}

impl Metrics {
    pub(crate) fn state(&self, state: AgentState) -> &Span {
        &self.by_state[state_index(state)]
    }

    fn state_mut(&mut self, state: AgentState) -> &mut Span {
        &mut self.by_state[state_index(state)]
    }

    fn reason_mut(&mut self, reason: Option<&str>) -> &mut Span {
        self.by_reason
            .entry(reason.unwrap_or_default().to_owned())
            .or_default()
    }

    /// An agent starts a stay in `state` at `at` (and in `reason`, when not ready).
    pub(crate) fn enter(&mut self, state: AgentState, reason: Option<&str>, at: i64) {
        self.state_mut(state).enter(at);
        if state == AgentState::NotReady {
            self.reason_mut(reason).enter(at);
        }
    }

    /// An agent ends, at `at`, the stay in `state` (and `reason`) it began at `since`.
    pub(crate) fn leave(&mut self, state: AgentState, reason: Option<&str>, since: i64, at: i64) {
        self.state_mut(state).leave(since, at);
        if state == AgentState::NotReady {
            self.reason_mut(reason).leave(since, at);
        }
    }
}

/// `num / den` as a share in 0..=1, 0 when there is nothing to divide.
pub(crate) fn ratio(num: i128, den: i128) -> f64 {
    if den <= 0 {
        0.0
    } else {
        (num as f64 / den as f64).clamp(0.0, 1.0)
    }
}

/// `num / den` rounded down, 0 when there is nothing to divide.
pub(crate) fn mean(num: i128, den: u64) -> i64 {
    if den == 0 {
        0
    } else {
        num.div_euclid(i128::from(den))
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }
}
