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
}

impl AgentState {
    /// Wire name: `ready`, `notready` or `busy`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgentState::Ready => "ready",
            AgentState::NotReady => "notready",
            AgentState::Busy => "busy",
        }
    }

    /// Parses a wire name, case-insensitively.
    pub fn parse(text: &str) -> Result<AgentState, AcdError> {
        match text.to_ascii_lowercase().as_str() {
            "ready" => Ok(AgentState::Ready),
            "notready" => Ok(AgentState::NotReady),
            "busy" => Ok(AgentState::Busy),
            _ => Err(AcdError::invalid("state must be ready, notready or busy")),
        }
    }
}

/// A contact's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactState {
    /// Waiting in the queue.
    Queued,
    /// Handled by an agent.
    Assigned,
    /// Ended after being handled (retained for reads).
    Completed,
    /// Ended while still queued (retained for reads).
    Abandoned,
}

impl ContactState {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactState::Queued => "queued",
            ContactState::Assigned => "assigned",
            ContactState::Completed => "completed",
            ContactState::Abandoned => "abandoned",
        }
    }

    /// Whether the contact has ended (completed or abandoned).
    pub fn is_ended(self) -> bool {
        matches!(self, ContactState::Completed | ContactState::Abandoned)
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
