//! The states an agent and a contact can be in, with their wire names.

use serde::{Deserialize, Serialize};

use crate::error::AcdError;

/// An agent's routing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentState {
    /// Available for a contact.
    Ready,
    /// Not available (logged in, on break, center closed, ...).
    #[serde(rename = "notready")]
    NotReady,
    /// Handling a contact.
    Busy,
    /// A contact is being offered to it, awaiting `ACD.ACCEPT` or `ACD.REJECT`.
    Offered,
    /// After-contact work following a completed contact.
    #[serde(rename = "wrapup")]
    WrapUp,
}

impl AgentState {
    /// Wire name: `ready`, `notready` or `busy`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Ready => "ready",
            AgentState::NotReady => "notready",
            AgentState::Busy => "busy",
            AgentState::Offered => "offered",
            AgentState::WrapUp => "wrapup",
        }
    }

    /// Every state, in wire order.
    pub const ALL: [AgentState; 5] = [
        AgentState::Ready,
        AgentState::NotReady,
        AgentState::Busy,
        AgentState::Offered,
        AgentState::WrapUp,
    ];

    /// Parses a wire name, case-insensitively.
    pub fn parse(text: &str) -> Result<AgentState, AcdError> {
        let lower = text.to_ascii_lowercase();
        AgentState::ALL
            .into_iter()
            .find(|s| s.as_str() == lower)
            .ok_or_else(|| {
                AcdError::invalid("state must be ready, notready, busy, offered or wrapup")
            })
    }
}

/// A contact's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactState {
    /// Waiting in the queue.
    Queued,
    /// Offered to an agent, awaiting its answer.
    Offered,
    /// Handled by an agent.
    Assigned,
    /// Ended after being handled (retained for reads).
    Completed,
    /// Ended while still queued (retained for reads).
    Abandoned,
    /// Ended by the center after waiting longer than `max-wait` (retained for reads).
    Timeout,
}

impl ContactState {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactState::Queued => "queued",
            ContactState::Offered => "offered",
            ContactState::Assigned => "assigned",
            ContactState::Completed => "completed",
            ContactState::Abandoned => "abandoned",
            ContactState::Timeout => "timeout",
        }
    }

    /// Every state, in wire order.
    pub const ALL: [ContactState; 6] = [
        ContactState::Queued,
        ContactState::Offered,
        ContactState::Assigned,
        ContactState::Completed,
        ContactState::Abandoned,
        ContactState::Timeout,
    ];

    /// Parses a wire name (as `ACD.COMPLETE` answers it).
    pub fn parse(text: &str) -> Option<ContactState> {
        ContactState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the contact has ended (completed, abandoned or timed out).
    pub fn is_ended(self) -> bool {
        matches!(
            self,
            ContactState::Completed | ContactState::Abandoned | ContactState::Timeout
        )
    }
}

/// How a center routes: at every event, or only on `ACD.DISPATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Every event that can produce an assignment routes at once.
    Auto,
    /// Only `ACD.DISPATCH` routes.
    Manual,
}

impl Mode {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Auto => "auto",
            Mode::Manual => "manual",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(text: &str) -> Result<Mode, AcdError> {
        match text.to_ascii_lowercase().as_str() {
            "auto" => Ok(Mode::Auto),
            "manual" => Ok(Mode::Manual),
            _ => Err(AcdError::invalid("mode must be auto or manual")),
        }
    }
}

/// Which clock moves a center's deadlines forward between commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// The server's timers apply due deadlines on the wall clock (production).
    Server,
    /// Only commands move time (their `AT`); timers leave the center alone (simulations
    /// that drive time with `AT`, at any speed and in any epoch).
    Client,
}

impl Clock {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Server => "server",
            Clock::Client => "client",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(text: &str) -> Result<Clock, AcdError> {
        match text.to_ascii_lowercase().as_str() {
            "server" => Ok(Clock::Server),
            "client" => Ok(Clock::Client),
            _ => Err(AcdError::invalid("clock must be server or client")),
        }
    }
}

/// How a center picks among the ready agents that can serve a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// The agent ready the longest (default).
    LongestAvailable,
    /// The highest total proficiency on the required skills, then the longest available.
    MostSkilled,
    /// Agents take turns in a fixed cyclic order (registration order), starting after the
    /// last agent given a contact.
    RoundRobin,
    /// The least busy time within `occupancy-window`, then the longest available.
    LeastOccupied,
}

impl Strategy {
    /// Every strategy, in documentation order.
    pub const ALL: [Strategy; 4] = [
        Strategy::LongestAvailable,
        Strategy::MostSkilled,
        Strategy::RoundRobin,
        Strategy::LeastOccupied,
    ];

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::LongestAvailable => "longest-available",
            Strategy::MostSkilled => "most-skilled",
            Strategy::RoundRobin => "round-robin",
            Strategy::LeastOccupied => "least-occupied",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(text: &str) -> Result<Strategy, AcdError> {
        let lower = text.to_ascii_lowercase();
        Strategy::ALL
            .into_iter()
            .find(|s| s.as_str() == lower)
            .ok_or_else(|| {
                AcdError::invalid(
                    "strategy must be longest-available, most-skilled, round-robin or least-occupied",
                )
            })
    }
}
