//! The typed replies: the core's views under client names, the `ACD.DISPATCH` pair, and
//! reading the verbatim `meta` object of an agent or contact as a caller's own type.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// An agent, as `ACD.AGENT.GET` answers it.
pub type Agent = acd_core::AgentView;
/// A contact, as `ACD.CONTACT.GET` answers it.
pub type Contact = acd_core::ContactView;
/// The `ACD.STATS` record.
pub type Stats = acd_core::StatsView;

/// A contact given to an agent (one entry of the `ACD.DISPATCH` reply).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Assignment {
    /// The contact id.
    pub contact: String,
    /// The agent id.
    pub agent: String,
}

/// Reads the `meta` object that an [`Agent`] or [`Contact`] carries verbatim.
pub trait Meta {
    /// The raw JSON object, if any.
    fn raw_meta(&self) -> Option<&RawValue>;

    /// The meta object deserialized as `T` (a `serde_json::Value` or a caller's type), or
    /// `None` when the record has none.
    fn meta_as<T: DeserializeOwned>(&self) -> Result<Option<T>, serde_json::Error> {
        self.raw_meta()
            .map(|raw| serde_json::from_str(raw.get()))
            .transpose()
    }
}

impl Meta for Agent {
    fn raw_meta(&self) -> Option<&RawValue> {
        self.meta.as_deref()
    }
}

impl Meta for Contact {
    fn raw_meta(&self) -> Option<&RawValue> {
        self.meta.as_deref()
    }
}
