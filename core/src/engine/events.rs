//! Changes the engine reports for each command, in the order they happened. The module turns
//! each into a keyspace notification named [`Event::name`] on the center key.

/// One state change inside a center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An agent was added.
    AgentAdded {
        /// Agent id.
        agent: String,
    },
    /// An agent was deleted.
    AgentDeleted {
        /// Agent id.
        agent: String,
    },
    /// An agent's skills or metadata changed.
    AgentUpdated {
        /// Agent id.
        agent: String,
    },
    /// An agent became ready.
    Ready {
        /// Agent id.
        agent: String,
    },
    /// An agent became not ready.
    NotReady {
        /// Agent id.
        agent: String,
    },
    /// A contact entered the queue.
    Enqueued {
        /// Contact id.
        contact: String,
    },
    /// A contact was given to an agent.
    Assigned {
        /// Contact id.
        contact: String,
        /// Agent id.
        agent: String,
    },
    /// A contact went back to the queue (its agent was deleted).
    Requeued {
        /// Contact id.
        contact: String,
    },
    /// A handled contact completed.
    Completed {
        /// Contact id.
        contact: String,
    },
    /// A queued contact ended without an agent.
    Abandoned {
        /// Contact id.
        contact: String,
    },
    /// The center opened.
    Opened,
    /// The center closed.
    Closed,
    /// A configuration parameter changed.
    Configured,
}

impl Event {
    /// Notification name, e.g. `acd.assign`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::AgentAdded { .. } => "acd.agent.add",
            Event::AgentDeleted { .. } => "acd.agent.del",
            Event::AgentUpdated { .. } => "acd.agent.update",
            Event::Ready { .. } => "acd.ready",
            Event::NotReady { .. } => "acd.notready",
            Event::Enqueued { .. } => "acd.enqueue",
            Event::Assigned { .. } => "acd.assign",
            Event::Requeued { .. } => "acd.requeue",
            Event::Completed { .. } => "acd.complete",
            Event::Abandoned { .. } => "acd.abandon",
            Event::Opened => "acd.open",
            Event::Closed => "acd.close",
            Event::Configured => "acd.config",
        }
    }
}
