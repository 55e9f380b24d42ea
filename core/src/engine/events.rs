//! Changes the engine reports, in the order they happened, and the bounded event log that
//! keeps them with increasing ids for `ACD.EVENTS`. The module also turns each into a
//! keyspace notification named [`EventKind::name`] on the center key.

use std::collections::VecDeque;

use super::compact_id::CompactId;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// An agent was added.
    AgentAdded,
    /// An agent was deleted.
    AgentDeleted,
    /// An agent's skills or metadata changed.
    AgentUpdated,
    /// An agent became ready.
    Ready,
    /// An agent became not ready (`reason` says why).
    NotReady,
    /// A contact was offered to an agent.
    Offered,
    /// An agent declined an offer.
    Rejected,
    /// An offer timed out.
    NoAnswer,
    /// A contact was given to an agent (directly, or when it accepted an offer).
    Assigned,
    /// An agent started wrap-up.
    WrapUp,
    /// A contact entered the queue.
    Enqueued,
    /// A contact went back to the queue at its original place.
    Requeued,
    /// A handled contact completed.
    Completed,
    /// A contact ended before being handled.
    Abandoned,
    /// A contact waited longer than `max-wait`.
    Timeout,
    /// The center opened.
    Opened,
    /// The center closed.
    Closed,
    /// A configuration parameter changed.
    Configured,
    /// A queued contact's requirement relaxed to its next step.
    Relaxed,
}

/// Every kind, in wire-code order (the code is the index; stored in the RDB).
const KINDS: [EventKind; 19] = [
    EventKind::AgentAdded,
    EventKind::AgentDeleted,
    EventKind::AgentUpdated,
    EventKind::Ready,
    EventKind::NotReady,
    EventKind::Offered,
    EventKind::Rejected,
    EventKind::NoAnswer,
    EventKind::Assigned,
    EventKind::WrapUp,
    EventKind::Enqueued,
    EventKind::Requeued,
    EventKind::Completed,
    EventKind::Abandoned,
    EventKind::Timeout,
    EventKind::Opened,
    EventKind::Closed,
    EventKind::Configured,
    EventKind::Relaxed,
];

impl EventKind {
    /// Every kind, in wire-code order.
    pub const ALL: [EventKind; 19] = KINDS;

    /// The kind with this notification name, e.g. `acd.assign`.
    pub fn parse(name: &str) -> Option<EventKind> {
        KINDS.into_iter().find(|k| k.name() == name)
    }

    /// Notification name, e.g. `acd.assign`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::AgentAdded => "acd.agent.add",
            EventKind::AgentDeleted => "acd.agent.del",
            EventKind::AgentUpdated => "acd.agent.update",
            EventKind::Ready => "acd.ready",
            EventKind::NotReady => "acd.notready",
            EventKind::Offered => "acd.offer",
            EventKind::Rejected => "acd.reject",
            EventKind::NoAnswer => "acd.noanswer",
            EventKind::Assigned => "acd.assign",
            EventKind::WrapUp => "acd.wrapup",
            EventKind::Enqueued => "acd.enqueue",
            EventKind::Requeued => "acd.requeue",
            EventKind::Completed => "acd.complete",
            EventKind::Abandoned => "acd.abandon",
            EventKind::Timeout => "acd.timeout",
            EventKind::Opened => "acd.open",
            EventKind::Closed => "acd.close",
            EventKind::Configured => "acd.config",
            EventKind::Relaxed => "acd.relax",
        }
    }

    /// Its place in [`EventKind::ALL`] (the wire code stored in the RDB).
    pub fn code(self) -> u8 {
        KINDS.iter().position(|k| *k == self).unwrap_or(0) as u8
    }
}

/// One state change inside a center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Log id (increasing within a center).
    pub id: u64,
    /// When it happened (Unix ms).
    pub at: i64,
    /// What happened.
    pub kind: EventKind,
    /// The agent concerned, if any.
    pub agent: Option<String>,
    /// The contact concerned, if any.
    pub contact: Option<String>,
    /// A not-ready reason or a configuration change (`param=value`), if any.
    pub reason: Option<String>,
}

impl Event {
    /// Notification name, e.g. `acd.assign`.
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }
}

/// The kinds of the events one command caused, in order: the first few without allocating
/// (most commands cause one to four).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Events {
    head: [EventKind; Events::INLINE],
    len: usize,
    rest: Vec<EventKind>,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            head: [EventKind::Opened; Events::INLINE],
            len: 0,
            rest: Vec::new(),
        }
    }
}

impl Events {
    const INLINE: usize = 8;

    pub(crate) fn push(&mut self, kind: EventKind) {
        match self.head.get_mut(self.len) {
            Some(slot) => *slot = kind,
            None => self.rest.push(kind),
        }
        self.len += 1;
    }

    /// The kinds, in order.
    pub fn iter(&self) -> impl Iterator<Item = EventKind> + '_ {
        self.head[..self.len.min(Events::INLINE)]
            .iter()
            .chain(&self.rest)
            .copied()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the command caused none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// An [`Event`] as the log keeps it (ids as [`CompactId`]s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: u64,
    pub(crate) at: i64,
    pub(crate) kind: EventKind,
    pub(crate) agent: Option<CompactId>,
    pub(crate) contact: Option<CompactId>,
    pub(crate) reason: Option<String>,
}

/// The last `capacity` events, with ids that never repeat.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventLog {
    pub(crate) entries: VecDeque<Entry>,
    /// Id of the last event ever appended (0: none yet).
    pub(crate) last_id: u64,
}

impl EventLog {
    pub(crate) fn push(&mut self, event: Entry, capacity: usize) {
        self.last_id = event.id;
        self.entries.push_back(event);
        self.trim(capacity);
    }

    pub(crate) fn trim(&mut self, capacity: usize) {
        while self.entries.len() > capacity {
            self.entries.pop_front();
        }
    }

    /// Up to `count` entries with an id above `since`.
    pub(crate) fn after(&self, since: u64, count: usize) -> impl Iterator<Item = &Entry> {
        let start = self.entries.partition_point(|e| e.id <= since);
        self.entries.range(start..).take(count)
    }
}

#[cfg(test)]
mod tests {
    use super::{EventKind, Events};

    #[test]
    fn events_keep_their_order_past_the_inline_ones() {
        let mut events = Events::default();
        assert!(events.is_empty());
        let kinds: Vec<EventKind> = EventKind::ALL.iter().copied().cycle().take(11).collect();
        for &kind in &kinds {
            events.push(kind);
        }
        assert_eq!(events.len(), 11);
        assert_eq!(events.iter().collect::<Vec<_>>(), kinds);
    }
}
