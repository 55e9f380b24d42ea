//! The v1 API's JSON documents, with their OpenAPI schemas. Replies mirror what the module
//! answers (`ACD.AGENT.GET`, `ACD.CONTACT.GET`, `ACD.STATS`, `ACD.EVENTS`) field for field,
//! but are declared here so that the HTTP contract is written down and changes on purpose.

use std::collections::BTreeMap;

use acd_client::{Agent, Assignment, Contact, Stats};
use acd_core::{AgentState, ContactState, Event, Skill};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use crate::rest::problem::ApiError;

/// Skill name to level (1 to 10): an agent's proficiency, or the minimum a contact needs.
pub(crate) type Skills = BTreeMap<String, u8>;

/// A skill as the client library takes it. The name is checked here because a name with `=`
/// would otherwise be read by the module as a level.
pub(crate) fn skill(name: &str, level: u8) -> Result<Skill, ApiError> {
    if name.is_empty() || name.contains('=') {
        return Err(ApiError::invalid(
            "skill name must be non-empty and must not contain '='",
        ));
    }
    Ok(Skill::new(name, level))
}

/// [`skill`] for each entry.
pub(crate) fn skill_list(skills: &Skills) -> Result<Vec<Skill>, ApiError> {
    skills
        .iter()
        .map(|(name, level)| skill(name, *level))
        .collect()
}

/// Channel name to the contacts an agent can hold at once on it (0 to 1000).
pub(crate) type Capacities = BTreeMap<String, u32>;

/// A capacity list as the client takes it: at least one channel (an empty object would mean
/// the default, `voice=1`), names checked here for the reason given at [`skill`].
pub(crate) fn capacity_list(capacity: &Capacities) -> Result<Vec<(&str, u32)>, ApiError> {
    if capacity.is_empty() {
        return Err(ApiError::invalid("capacity must name at least one channel"));
    }
    capacity
        .iter()
        .map(|(channel, &slots)| {
            if channel.is_empty() || channel.contains('=') {
                return Err(ApiError::invalid(
                    "channel name must be non-empty and must not contain '='",
                ));
            }
            Ok((channel.as_str(), slots))
        })
        .collect()
}

/// A JSON object kept verbatim by the module.
pub(crate) type Meta = Map<String, Value>;

fn meta_value(raw: Option<Box<serde_json::value::RawValue>>) -> Option<Value> {
    raw.and_then(|raw| serde_json::from_str(raw.get()).ok())
}

/// An agent's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AgentStateName {
    /// Waiting for a contact.
    Ready,
    /// Not available (see `reason`).
    Notready,
    /// Handling a contact.
    Busy,
    /// A contact is offered to it, awaiting accept or reject.
    Offered,
    /// After-contact work.
    Wrapup,
}

impl AgentStateName {
    pub(crate) fn core(self) -> AgentState {
        match self {
            AgentStateName::Ready => AgentState::Ready,
            AgentStateName::Notready => AgentState::NotReady,
            AgentStateName::Busy => AgentState::Busy,
            AgentStateName::Offered => AgentState::Offered,
            AgentStateName::Wrapup => AgentState::WrapUp,
        }
    }

    fn from_core(state: AgentState) -> Self {
        match state {
            AgentState::Ready => AgentStateName::Ready,
            AgentState::NotReady => AgentStateName::Notready,
            AgentState::Busy => AgentStateName::Busy,
            AgentState::Offered => AgentStateName::Offered,
            AgentState::WrapUp => AgentStateName::Wrapup,
        }
    }
}

/// A contact's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ContactStateName {
    /// Waiting in the queue.
    Queued,
    /// Offered to an agent.
    Offered,
    /// Handled by an agent.
    Assigned,
    /// Ended after being handled.
    Completed,
    /// Ended before an agent took it.
    Abandoned,
    /// Ended after waiting longer than `max-wait`.
    Timeout,
}

impl ContactStateName {
    pub(crate) fn from_core(state: ContactState) -> Self {
        match state {
            ContactState::Queued => ContactStateName::Queued,
            ContactState::Offered => ContactStateName::Offered,
            ContactState::Assigned => ContactStateName::Assigned,
            ContactState::Completed => ContactStateName::Completed,
            ContactState::Abandoned => ContactStateName::Abandoned,
            ContactState::Timeout => ContactStateName::Timeout,
        }
    }
}

/// `POST /agents`: a new agent (not ready).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAgent {
    /// Agent id (any non-empty text).
    #[schema(example = "ana")]
    pub(crate) id: String,
    /// Skills with proficiency levels.
    #[serde(default)]
    #[schema(example = json!({"english": 5, "billing": 1}))]
    pub(crate) skills: Skills,
    /// Contacts it can hold at once per channel (0 to 1000 each); when given, channels left
    /// out have none, `voice` included. Default `{"voice": 1}`.
    #[schema(example = json!({"voice": 1, "chat": 3}))]
    pub(crate) capacity: Option<Capacities>,
    /// Any JSON object, kept verbatim.
    #[schema(value_type = Option<Object>)]
    pub(crate) meta: Option<Meta>,
}

/// An agent.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgentDoc {
    /// Agent id.
    pub(crate) id: String,
    /// Skills with proficiency levels, by name.
    pub(crate) skills: Skills,
    /// Current state.
    pub(crate) state: AgentStateName,
    /// When it entered this state (Unix ms).
    pub(crate) since: i64,
    /// Not-ready reason, if any.
    pub(crate) reason: Option<String>,
    /// The first contact it holds (handling or being offered).
    pub(crate) contact: Option<String>,
    /// Every contact it holds, in the order it took them.
    pub(crate) contacts: Vec<String>,
    /// Contacts it can hold at once per channel (channels with none left out).
    pub(crate) capacity: Capacities,
    /// Its metadata object.
    #[schema(value_type = Option<Object>)]
    pub(crate) meta: Option<Value>,
}

impl From<Agent> for AgentDoc {
    fn from(agent: Agent) -> Self {
        AgentDoc {
            id: agent.id,
            skills: agent.skills,
            state: AgentStateName::from_core(agent.state),
            since: agent.since,
            reason: agent.reason,
            contact: agent.contact,
            contacts: agent.contacts,
            capacity: agent.capacity,
            meta: meta_value(agent.meta),
        }
    }
}

/// Agent ids.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgentList {
    /// Ready agents in longest-available order; otherwise sorted by id.
    pub(crate) agents: Vec<String>,
}

/// `GET /agents` filter.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AgentFilter {
    /// Only agents in this state.
    pub(crate) state: Option<AgentStateName>,
}

/// `POST /agents/{agent}/skills`: skills to add or re-level.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SkillGrant {
    /// Skills with their new levels.
    #[schema(example = json!({"spanish": 3}))]
    pub(crate) skills: Skills,
}

/// `POST /agents/{agent}/notready`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NotReadyBody {
    /// Why (e.g. `lunch`).
    pub(crate) reason: Option<String>,
}

/// What `POST /agents/{agent}/ready` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReadyResult {
    /// The contact the agent was given at once, if any.
    pub(crate) contact: Option<String>,
}

/// What `DELETE /skills/{skill}` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SkillDeleted {
    /// The skill.
    pub(crate) skill: String,
    /// How many agents lost it.
    pub(crate) agents: u64,
}

/// A requirement that applies once a contact has waited `after_ms`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Relaxation {
    /// Wait (ms) after which the skills below replace the earlier ones.
    pub(crate) after_ms: u64,
    /// The relaxed requirement.
    #[serde(default)]
    pub(crate) skills: Skills,
}

/// `POST /contacts`: a new contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewContact {
    /// Contact id; a UUID is made when left out.
    pub(crate) id: Option<String>,
    /// Required skills with minimum levels (none: any agent).
    #[serde(default)]
    #[schema(example = json!({"english": 3}))]
    pub(crate) skills: Skills,
    /// The channel it arrives on (default `voice`).
    #[schema(example = "chat")]
    pub(crate) channel: Option<String>,
    /// Higher is served first (default 0).
    pub(crate) priority: Option<i64>,
    /// Any JSON object, kept verbatim.
    #[schema(value_type = Option<Object>)]
    pub(crate) meta: Option<Meta>,
    /// Requirements that relax as the contact waits, in increasing `after_ms`.
    #[serde(default)]
    pub(crate) then: Vec<Relaxation>,
}

/// What `POST /contacts` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Enqueued {
    /// The contact id.
    pub(crate) id: String,
    /// The agent it was given at once, if any (else it is queued).
    pub(crate) agent: Option<String>,
}

/// A contact.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ContactDoc {
    /// Contact id.
    pub(crate) id: String,
    /// Required skills with minimum levels.
    pub(crate) skills: Skills,
    /// The channel it arrived on.
    pub(crate) channel: String,
    /// Priority.
    pub(crate) priority: i64,
    /// Current state.
    pub(crate) state: ContactStateName,
    /// Its agent, once offered or assigned.
    pub(crate) agent: Option<String>,
    /// Enqueue time (Unix ms).
    pub(crate) enqueued_at: i64,
    /// Assignment time (Unix ms).
    pub(crate) assigned_at: Option<i64>,
    /// End time (Unix ms).
    pub(crate) ended_at: Option<i64>,
    /// Its metadata object.
    #[schema(value_type = Option<Object>)]
    pub(crate) meta: Option<Value>,
}

impl From<Contact> for ContactDoc {
    fn from(contact: Contact) -> Self {
        ContactDoc {
            id: contact.id,
            skills: contact.skills,
            channel: contact.channel,
            priority: contact.priority,
            state: ContactStateName::from_core(contact.state),
            agent: contact.agent,
            enqueued_at: contact.enqueued_at,
            assigned_at: contact.assigned_at,
            ended_at: contact.ended_at,
            meta: meta_value(contact.meta),
        }
    }
}

/// What `POST /contacts/{contact}/complete` did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Completed {
    /// The contact id.
    pub(crate) id: String,
    /// `completed` (it had an agent), `abandoned` or `timeout`.
    pub(crate) state: ContactStateName,
}

/// Queued contact ids.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QueueDoc {
    /// In routing order.
    pub(crate) contacts: Vec<String>,
}

/// `GET /queue` and `POST /dispatch` limit.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct Limit {
    /// At most this many (positive).
    pub(crate) count: Option<usize>,
}

/// Assignments made by `POST /dispatch`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Dispatched {
    /// In assignment order.
    pub(crate) assignments: Vec<AssignmentDoc>,
}

/// A contact given to an agent.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AssignmentDoc {
    /// The contact.
    pub(crate) contact: String,
    /// The agent.
    pub(crate) agent: String,
}

impl From<Assignment> for AssignmentDoc {
    fn from(a: Assignment) -> Self {
        AssignmentDoc {
            contact: a.contact,
            agent: a.agent,
        }
    }
}

/// The center's counters and live metrics (`ACD.STATS`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StatsDoc {
    /// Agents ready now.
    pub(crate) agents_ready: i64,
    /// Agents not ready now.
    pub(crate) agents_notready: i64,
    /// Agents handling a contact now.
    pub(crate) agents_busy: i64,
    /// Contacts waiting now.
    pub(crate) queued: i64,
    /// Wait of the longest-waiting queued contact (ms).
    pub(crate) longest_wait_ms: i64,
    /// Contacts ever enqueued.
    pub(crate) enqueued_total: i64,
    /// Assignments ever made.
    pub(crate) assigned_total: i64,
    /// Contacts completed after being handled.
    pub(crate) completed_total: i64,
    /// Contacts ended before being handled.
    pub(crate) abandoned_total: i64,
    /// Mean wait from enqueue to assignment (ms).
    pub(crate) avg_wait_ms: i64,
    /// Agents with an offer pending now.
    pub(crate) agents_offered: i64,
    /// Agents in wrap-up now.
    pub(crate) agents_wrapup: i64,
    /// Contacts ended by `max-wait`.
    pub(crate) timeout_total: i64,
    /// Offers made.
    pub(crate) offered_total: i64,
    /// Offers rejected.
    pub(crate) rejected_total: i64,
    /// Offers that timed out.
    pub(crate) noanswer_total: i64,
    /// Share of decided contacts answered within `sla-threshold` (0 to 1).
    pub(crate) service_level: f64,
    /// Mean handle time (ms).
    pub(crate) aht_ms: i64,
    /// Abandoned over enqueued (0 to 1).
    pub(crate) abandon_rate: f64,
    /// Busy and wrap-up time over staffed time (0 to 1).
    pub(crate) occupancy: f64,
    /// Queued contacts requiring each skill.
    pub(crate) queued_by_skill: BTreeMap<String, i64>,
    /// Not-ready time (ms) by reason (`none` for no reason).
    pub(crate) notready_ms_by_reason: BTreeMap<String, i64>,
    /// Queued contacts per channel.
    pub(crate) queued_by_channel: BTreeMap<String, i64>,
    /// Agents that could take a contact on each channel now.
    pub(crate) agents_free_by_channel: BTreeMap<String, i64>,
    /// Contacts offered or being handled per channel now.
    pub(crate) handling_by_channel: BTreeMap<String, i64>,
    /// Assignments ever made per channel.
    pub(crate) assigned_by_channel: BTreeMap<String, i64>,
}

impl From<Stats> for StatsDoc {
    fn from(s: Stats) -> Self {
        StatsDoc {
            agents_ready: s.agents_ready,
            agents_notready: s.agents_notready,
            agents_busy: s.agents_busy,
            queued: s.queued,
            longest_wait_ms: s.longest_wait_ms,
            enqueued_total: s.enqueued_total,
            assigned_total: s.assigned_total,
            completed_total: s.completed_total,
            abandoned_total: s.abandoned_total,
            avg_wait_ms: s.avg_wait_ms,
            agents_offered: s.agents_offered,
            agents_wrapup: s.agents_wrapup,
            timeout_total: s.timeout_total,
            offered_total: s.offered_total,
            rejected_total: s.rejected_total,
            noanswer_total: s.noanswer_total,
            service_level: s.service_level,
            aht_ms: s.aht_ms,
            abandon_rate: s.abandon_rate,
            occupancy: s.occupancy,
            queued_by_skill: s.queued_by_skill,
            notready_ms_by_reason: s.notready_ms_by_reason,
            queued_by_channel: s.queued_by_channel,
            agents_free_by_channel: s.agents_free_by_channel,
            handling_by_channel: s.handling_by_channel,
            assigned_by_channel: s.assigned_by_channel,
        }
    }
}

/// A configuration value: a word (`mode`, `clock`, `strategy`, `voice-blocks`) or a number.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub(crate) enum ConfigValueDoc {
    /// A number in the parameter's unit.
    Number(u64),
    /// A word.
    Word(String),
}

/// Every configuration parameter: name to value.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConfigMap(pub(crate) BTreeMap<String, ConfigValueDoc>);

/// One configuration parameter.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConfigEntry {
    /// Parameter name, e.g. `mode` or `max-queue`.
    pub(crate) param: String,
    /// Its value.
    pub(crate) value: ConfigValueDoc,
}

/// `PUT /config/{param}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigUpdate {
    /// The new value.
    pub(crate) value: ConfigValueDoc,
}

/// Result of the invariant audit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CheckDoc {
    /// Whether every invariant holds.
    pub(crate) ok: bool,
    /// What is wrong, if anything.
    pub(crate) violations: Vec<String>,
}

/// `POST /estimate`: the contact to estimate a wait for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EstimateRequest {
    /// Required skills with minimum levels.
    #[serde(default)]
    pub(crate) skills: Skills,
    /// The channel it would arrive on (default `voice`).
    pub(crate) channel: Option<String>,
    /// Its priority (default 0).
    pub(crate) priority: Option<i64>,
}

/// The estimated wait of a new contact.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EstimateDoc {
    /// Milliseconds; 0 when an eligible agent is ready; null when nobody staffed could serve
    /// it or no handle time is known yet.
    pub(crate) wait_ms: Option<u64>,
}

/// One entry of the event log, as the event streams send it (the SSE `id:` is `id`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventDoc {
    /// Log id, increasing within a center.
    pub(crate) id: u64,
    /// When it happened (Unix ms).
    pub(crate) at: i64,
    /// What happened, e.g. `acd.assign`.
    #[serde(rename = "type")]
    #[schema(example = "acd.assign")]
    pub(crate) kind: &'static str,
    /// The agent concerned.
    pub(crate) agent: Option<String>,
    /// The contact concerned.
    pub(crate) contact: Option<String>,
    /// A not-ready reason or a configuration change (`param=value`).
    pub(crate) reason: Option<String>,
}

impl From<Event> for EventDoc {
    fn from(e: Event) -> Self {
        EventDoc {
            id: e.id,
            at: e.at,
            kind: e.kind.name(),
            agent: e.agent,
            contact: e.contact,
            reason: e.reason,
        }
    }
}

/// Event log page (`Accept: application/json`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventPage {
    /// Oldest first.
    pub(crate) events: Vec<EventDoc>,
}

/// Where an event stream or page starts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct EventsQuery {
    /// Only events after this id. For streams, the `Last-Event-ID` header wins; without
    /// either a stream starts with the next event and a page with the oldest retained one.
    pub(crate) since: Option<u64>,
    /// Page size (default 100); ignored by streams.
    pub(crate) count: Option<usize>,
}
