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
    /// The first contact it holds (offered or handled), if any.
    pub contact: Option<String>,
    /// Every contact it holds (offered or handled), in the order it took them.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Channel name to the contacts it can hold at once there (channels with 0 left out).
    #[serde(default)]
    pub capacity: BTreeMap<String, u32>,
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
    /// The channel it arrived on.
    #[serde(default = "default_channel")]
    pub channel: String,
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// Assignments ever made (direct, or accepted offers).
    pub assigned_total: i64,
    /// Contacts completed after being handled.
    pub completed_total: i64,
    /// Contacts ended before being handled (while queued or offered).
    pub abandoned_total: i64,
    /// Mean wait from enqueue to assignment, rounded down (0 before any assignment).
    pub avg_wait_ms: i64,
    /// Agents with an offer pending now.
    pub agents_offered: i64,
    /// Agents in wrap-up now.
    pub agents_wrapup: i64,
    /// Contacts ended by `max-wait`.
    pub timeout_total: i64,
    /// Offers made.
    pub offered_total: i64,
    /// Offers rejected.
    pub rejected_total: i64,
    /// Offers that timed out.
    pub noanswer_total: i64,
    /// Share of decided contacts (assigned, abandoned, timed out) assigned within
    /// `sla-threshold` of enqueue; 0 when none.
    pub service_level: f64,
    /// Mean handle time (assignment to completion) of completed contacts.
    pub aht_ms: i64,
    /// Abandoned contacts over enqueued contacts.
    pub abandon_rate: f64,
    /// Time agents spent busy or in wrap-up over time they spent staffed (ready, offered,
    /// busy or wrap-up).
    pub occupancy: f64,
    /// Queued contacts requiring each skill (skills with none left out).
    pub queued_by_skill: BTreeMap<String, i64>,
    /// Not-ready time by reason (`none` for no reason), ongoing stays included.
    pub notready_ms_by_reason: BTreeMap<String, i64>,
    /// Queued contacts on each channel (channels with none left out).
    #[serde(default)]
    pub queued_by_channel: BTreeMap<String, i64>,
    /// Agents that could take a contact on each channel now: ready, with free capacity there
    /// (and not blocked by a voice contact under `voice-blocks`).
    #[serde(default)]
    pub agents_free_by_channel: BTreeMap<String, i64>,
    /// Contacts offered or being handled on each channel now.
    #[serde(default)]
    pub handling_by_channel: BTreeMap<String, i64>,
    /// Assignments ever made on each channel.
    #[serde(default)]
    pub assigned_by_channel: BTreeMap<String, i64>,
}

impl StatsView {
    /// The reply map, fields in wire order.
    pub(crate) fn to_reply(&self) -> Reply {
        let int = |name: &str, v: i64| (name.to_owned(), Reply::Int(v));
        let double = |name: &str, v: f64| (name.to_owned(), Reply::Double(v));
        let map = |name: &str, m: &BTreeMap<String, i64>| {
            let fields = m.iter().map(|(k, v)| (k.clone(), Reply::Int(*v))).collect();
            (name.to_owned(), Reply::Map(fields))
        };
        Reply::Map(vec![
            int("agents_ready", self.agents_ready),
            int("agents_notready", self.agents_notready),
            int("agents_busy", self.agents_busy),
            int("queued", self.queued),
            int("longest_wait_ms", self.longest_wait_ms),
            int("enqueued_total", self.enqueued_total),
            int("assigned_total", self.assigned_total),
            int("completed_total", self.completed_total),
            int("abandoned_total", self.abandoned_total),
            int("avg_wait_ms", self.avg_wait_ms),
            int("agents_offered", self.agents_offered),
            int("agents_wrapup", self.agents_wrapup),
            int("timeout_total", self.timeout_total),
            int("offered_total", self.offered_total),
            int("rejected_total", self.rejected_total),
            int("noanswer_total", self.noanswer_total),
            double("service_level", self.service_level),
            int("aht_ms", self.aht_ms),
            double("abandon_rate", self.abandon_rate),
            double("occupancy", self.occupancy),
            map("queued_by_skill", &self.queued_by_skill),
            map("notready_ms_by_reason", &self.notready_ms_by_reason),
            map("queued_by_channel", &self.queued_by_channel),
            map("agents_free_by_channel", &self.agents_free_by_channel),
            map("handling_by_channel", &self.handling_by_channel),
            map("assigned_by_channel", &self.assigned_by_channel),
        ])
    }
}

fn default_channel() -> String {
    crate::channel::VOICE.to_owned()
}

/// Wraps a stored, already validated JSON object for verbatim output.
pub(crate) fn raw_meta(meta: &Option<String>) -> Option<Box<RawValue>> {
    meta.as_ref()
        .and_then(|m| RawValue::from_string(m.clone()).ok())
}
