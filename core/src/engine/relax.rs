//! Requirement relaxation: `ACD.ENQUEUE ... SKILLS ... THEN ms SKILLS ...`.
//!
//! A contact keeps the steps still to come ([`Relax`](super::model::Relax)); while it is
//! queued, its next step has a deadline at `enqueued_at + after_ms` (added and removed with
//! the queue entry, like `max-wait`, so it survives an offer that goes back to the queue).
//! When it fires, the contact moves to the group of the new requirement under the same queue
//! key, so it keeps its place, and in auto mode it is routed at once. The deadline is applied
//! like every other one (by the timer's `ACD.TICK` or the next write), so replicas and AOF
//! replay see the same move. Cost: O(k log q + log g) plus the routing attempt.

use super::model::ContactIdx;
use super::{Center, EventKind};
use crate::state::ContactState;

impl Center {
    /// Applies a queued contact's next relaxation step at `at`.
    pub(super) fn relax(&mut self, idx: ContactIdx, at: i64) {
        let contact = &self.contacts[idx];
        if contact.state != ContactState::Queued || contact.relax.is_empty() {
            return;
        }
        self.dequeue_contact(idx);
        let step = self.contacts[idx].relax.remove(0);
        let channel = self.contacts[idx].channel;
        let group = self.queue.acquire_group(channel, &step.reqs);
        let old = std::mem::replace(&mut self.contacts[idx].group, group);
        self.queue.release_group(old);
        self.enqueue_contact(idx);
        self.emit(at, EventKind::Relaxed, None, Some(idx), None);
        self.route_contact(idx, at);
    }
}
