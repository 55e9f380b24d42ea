//! The JSON documents `ACD.AGENT.GET` and `ACD.CONTACT.GET` answer, and the `ACD.STATS`
//! record: one definition, serialized by the engine and deserialized by the client.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::reply::Reply;
use crate::state::{AgentState, ContactState};

/// An agent as `ACD.AGENT.GET` shows it. Field order is the wire order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentView {
    /// Agent id.
    pub id: String,
    /// Skill name to proficiency level, sorted by name.
    pub skills: BTreeMap<String, u8>,
    /// Current state.
    pub state: AgentState,
    /// When the agent entered this state (Unix ms).
    pub since: i64,
    /// Not-ready reason, if any.
    pub reason: Option<String>,
    /// Contact being handled, when busy.
    pub contact: Option<String>,
    /// Metadata object, verbatim.
    pub meta: Option<Box<RawValue>>,
}

/// A contact as `ACD.CONTACT.GET` shows it. Field order is the wire order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactView {
    /// Contact id.
    pub id: String,
    /// Required skill name to minimum level, sorted by name.
    pub skills: BTreeMap<String, u8>,
    /// Priority (higher first).
    pub priority: i64,
    /// Current state.
    pub state: ContactState,
    /// Assigned agent, when assigned or completed.
    pub agent: Option<String>,
    /// Enqueue time (Unix ms).
    pub enqueued_at: i64,
    /// Assignment time, once assigned.
    pub assigned_at: Option<i64>,
    /// End time, once completed or abandoned.
    pub ended_at: Option<i64>,
    /// Metadata object, verbatim.
    pub meta: Option<Box<RawValue>>,
}

/// The `ACD.STATS` record. Field order is the wire order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsView {
    /// Agents ready now.
    pub agents_ready: i64,
    /// Agents not ready now.
    pub agents_notready: i64,
    /// Agents handling a contact now.
    pub agents_busy: i64,
    /// Contacts waiting now.
    pub queued: i64,
    /// Wait of the longest-waiting queued contact (0 when none).
    pub longest_wait_ms: i64,
    /// Contacts ever enqueued.
    pub enqueued_total: i64,
    /// Assignments ever made.
    pub assigned_total: i64,
    /// Contacts completed after being handled.
    pub completed_total: i64,
    /// Contacts ended while still queued.
    pub abandoned_total: i64,
    /// Mean wait from enqueue to assignment, rounded down (0 before any assignment).
    pub avg_wait_ms: i64,
}

impl StatsView {
    /// The reply map, fields in wire order.
    pub(crate) fn to_reply(self) -> Reply {
        Reply::Map(vec![
            ("agents_ready", Reply::Int(self.agents_ready)),
            ("agents_notready", Reply::Int(self.agents_notready)),
            ("agents_busy", Reply::Int(self.agents_busy)),
            ("queued", Reply::Int(self.queued)),
            ("longest_wait_ms", Reply::Int(self.longest_wait_ms)),
            ("enqueued_total", Reply::Int(self.enqueued_total)),
            ("assigned_total", Reply::Int(self.assigned_total)),
            ("completed_total", Reply::Int(self.completed_total)),
            ("abandoned_total", Reply::Int(self.abandoned_total)),
            ("avg_wait_ms", Reply::Int(self.avg_wait_ms)),
        ])
    }
}

/// Wraps a stored, already validated JSON object for verbatim output.
pub(crate) fn raw_meta(meta: &Option<String>) -> Option<Box<RawValue>> {
    meta.as_ref()
        .and_then(|m| RawValue::from_string(m.clone()).ok())
}
