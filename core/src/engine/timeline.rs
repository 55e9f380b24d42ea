//! Time-driven behaviour: deadlines that the center acts on by itself.
//!
//! Deadlines live in the center's data (offer timeouts, wrap-up ends, relaxation steps,
//! `max-wait` queue timeouts, and retention of ended contacts). [`Center::settle`] applies every one due at a
//! given time, each at its own due time and in a deterministic order, before any write runs.
//! The module's timers only wake the center up at [`Center::next_deadline`] and send
//! `ACD.TICK` with the time, so replicas and AOF replay apply exactly the same effects.

use super::model::{Deadline, DeadlineKind};
use super::{Center, EventKind};
use crate::state::ContactState;

impl Center {
    /// The earliest time at which the center must act by itself, if any.
    pub fn next_deadline(&self) -> Option<i64> {
        let deadline = self.deadlines.first().map(|d| d.at);
        let purge = self.next_purge();
        match (deadline, purge) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// When the server's timers should wake this center: its next deadline, unless the
    /// center's clock is `client` (then only commands move its time).
    pub fn wakeup(&self) -> Option<i64> {
        match self.settings.clock {
            crate::state::Clock::Server => self.next_deadline(),
            crate::state::Clock::Client => None,
        }
    }

    fn next_purge(&self) -> Option<i64> {
        self.retained
            .first()
            .map(|&(ended_at, ..)| ended_at.saturating_add(self.settings.retention_ms()))
    }

    /// Applies everything due at or before `now`, in time order. Returns how many deadlines
    /// were applied.
    pub(super) fn settle(&mut self, now: i64) -> usize {
        self.settle_from(i64::MIN, now)
    }

    /// Like [`Center::settle`], but nothing is applied earlier than `floor`, nor earlier than
    /// what was applied before it: a deadline that was already past when it was set (a contact
    /// requeued after its `max-wait` or relaxation time) takes effect when it is found, so
    /// event times never go backwards. Writes call it with `floor = now` after they ran.
    pub(super) fn settle_from(&mut self, mut floor: i64, now: i64) -> usize {
        let mut applied = 0;
        loop {
            let deadline = self.deadlines.first().copied().filter(|d| d.at <= now);
            let purge = self.next_purge().filter(|&at| at <= now);
            match (deadline, purge) {
                (None, None) => return applied,
                (Some(d), purge) if purge.is_none_or(|at| d.at <= at) => {
                    self.deadlines.remove(&d);
                    floor = floor.max(d.at);
                    self.fire(d, floor);
                }
                _ => self.purge_oldest(),
            }
            applied += 1;
        }
    }

    fn fire(&mut self, d: Deadline, at: i64) {
        match d.kind {
            DeadlineKind::Offer => {
                if let Some(agent) = self.contacts[d.handle].agent {
                    self.missed(d.handle, agent, EventKind::NoAnswer, at);
                }
            }
            DeadlineKind::WrapUp => self.end_wrapup(d.handle, d.seq, at),
            DeadlineKind::Relax => self.relax(d.handle, at),
            DeadlineKind::MaxWait => {
                self.dequeue_contact(d.handle);
                self.end_contact(d.handle, ContactState::Timeout, at);
                self.metrics.totals.timeout += 1;
                self.emit(at, EventKind::Timeout, None, Some(d.handle), None);
            }
        }
    }

    fn purge_oldest(&mut self) {
        let Some((_, _, idx)) = self.retained.pop_first() else {
            return;
        };
        self.contact_ids.forget(idx);
        if let Some(contact) = self.contacts.remove(idx) {
            self.queue.release_group(contact.group);
        }
    }
}
