//! [`Cursor`]: one event stream's position in a center's log, and the messages it has yet to
//! send. No I/O: the stream's loop ([`super::events`]) feeds it pages read from the log and
//! batches from the center's feed ([`super::feed`]) and sends what it queues.
//!
//! Invariant: every entry up to `since` was passed (queued, or left out by the agent filter)
//! exactly once and in order. Entries from the feed are taken only when they continue right
//! after `since`; anything else marks the cursor behind, and the loop then reads the log from
//! `since` until a page comes back short.

use std::collections::VecDeque;

use axum::response::sse::Event as SseEvent;

use super::feed::{Entry, BATCH};

/// One stream's position and pending messages.
pub(crate) struct Cursor {
    /// Only entries naming this agent are sent (all when `None`).
    agent: Option<String>,
    /// The last id passed.
    since: u64,
    /// Whether the entries after `since` must be read from the log.
    behind: bool,
    /// Messages queued and not yet sent.
    pending: VecDeque<SseEvent>,
}

impl Cursor {
    /// A cursor after `since` (0: from the log's start), behind until a first page is read.
    pub(crate) fn new(agent: Option<String>, since: u64) -> Cursor {
        Cursor {
            agent,
            since,
            behind: true,
            pending: VecDeque::new(),
        }
    }

    /// The last id passed.
    pub(crate) fn since(&self) -> u64 {
        self.since
    }

    /// The agent this stream follows, if any.
    pub(crate) fn agent(&self) -> Option<&str> {
        self.agent.as_deref()
    }

    /// Whether the next entries must be read from the log rather than taken from the feed.
    pub(crate) fn behind(&self) -> bool {
        self.behind
    }

    /// The feed dropped messages, or ended: read the log from `since` again.
    pub(crate) fn fell_behind(&mut self) {
        self.behind = true;
    }

    /// The next message to send.
    pub(crate) fn pop(&mut self) -> Option<SseEvent> {
        self.pending.pop_front()
    }

    /// A page read from the log after `since` (at most [`BATCH`] entries): announces a gap
    /// when the log no longer holds the entry right after `since`, then takes them all. A
    /// full page leaves the cursor behind (the log may hold more); a short one reached its end.
    pub(crate) fn take_page(&mut self, entries: &[Entry]) {
        if let Some(first) = entries.first() {
            if self.since > 0 && first.id() > self.since + 1 {
                let gap = serde_json::json!({"after": self.since, "next": first.id()});
                self.pending
                    .push_back(SseEvent::default().event("gap").data(gap.to_string()));
            }
        }
        for entry in entries {
            if entry.id() > self.since {
                self.take(entry);
            }
        }
        self.behind = entries.len() >= BATCH;
    }

    /// A batch from the feed. Entries up to `since` were passed already; one past `since + 1`
    /// is a hole (the stream subscribed while the feed was starting, or its catch-up stopped
    /// short of the feed), so the rest is read from the log.
    pub(crate) fn take_fed(&mut self, batch: &[Entry]) {
        for entry in batch {
            if entry.id() <= self.since {
                continue;
            }
            if entry.id() != self.since + 1 {
                self.behind = true;
                return;
            }
            self.take(entry);
        }
    }

    fn take(&mut self, entry: &Entry) {
        self.since = entry.id();
        if self
            .agent
            .as_deref()
            .is_some_and(|agent| entry.agent() != Some(agent))
        {
            return;
        }
        self.pending.push_back(
            SseEvent::default()
                .id(entry.id().to_string())
                .data(entry.json()),
        );
    }
}

#[cfg(test)]
mod tests {
    use acd_core::{Event, EventKind};

    use super::*;

    fn entries(ids: impl IntoIterator<Item = u64>, agent: &str) -> Vec<Entry> {
        ids.into_iter()
            .map(|id| {
                Entry::from(Event {
                    id,
                    at: 0,
                    kind: EventKind::Ready,
                    agent: Some(agent.to_owned()),
                    contact: None,
                    reason: None,
                })
            })
            .collect()
    }

    fn drain(cursor: &mut Cursor) -> usize {
        std::iter::from_fn(|| cursor.pop()).count()
    }

    #[test]
    fn a_short_page_catches_up_and_the_feed_continues_after_it() {
        let mut cursor = Cursor::new(None, 2);
        assert!(cursor.behind());
        cursor.take_page(&entries(3..=5, "ana"));
        assert!(!cursor.behind());
        // The feed's batch overlaps what the page gave: only 6 and 7 are new.
        cursor.take_fed(&entries(4..=7, "ana"));
        assert_eq!((cursor.since(), cursor.behind()), (7, false));
        assert_eq!(drain(&mut cursor), 5);
    }

    #[test]
    fn a_hole_in_the_feed_sends_the_cursor_back_to_the_log() {
        let mut cursor = Cursor::new(None, 0);
        cursor.take_page(&[]);
        cursor.take_fed(&entries(1..=2, "ana"));
        cursor.take_fed(&entries(5..=6, "ana"));
        assert_eq!((cursor.since(), cursor.behind()), (2, true));
        assert_eq!(drain(&mut cursor), 2);
        cursor.take_page(&entries(3..=6, "ana"));
        assert_eq!((cursor.since(), cursor.behind()), (6, false));
        assert_eq!(drain(&mut cursor), 4, "no gap: the log held 3 and 4");
    }

    #[test]
    fn a_page_that_starts_past_since_announces_a_gap_and_a_full_page_stays_behind() {
        let mut cursor = Cursor::new(None, 1);
        let start = 10;
        cursor.take_page(&entries(start..start + BATCH as u64, "ana"));
        assert!(cursor.behind(), "a full page: the log may hold more");
        assert_eq!(
            drain(&mut cursor),
            1 + BATCH,
            "the gap notice, then the page"
        );
    }

    #[test]
    fn the_agent_filter_passes_over_other_agents_entries() {
        let mut cursor = Cursor::new(Some("ana".to_owned()), 0);
        cursor.take_page(&entries(1..=2, "bob"));
        cursor.take_fed(&entries(3..=3, "ana"));
        cursor.take_fed(&entries(4..=4, "bob"));
        assert_eq!((cursor.since(), cursor.behind()), (4, false));
        assert_eq!(drain(&mut cursor), 1);
    }
}
