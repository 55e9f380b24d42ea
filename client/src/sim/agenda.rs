//! [`Agenda`]: the simulation's future, a queue of timed [`Action`]s taken earliest first;
//! actions due at the same time are taken in the order they were scheduled, so a run's
//! sequence of commands depends only on its seed.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something the simulator does to a contact (by its index in the plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Action {
    /// The contact arrives: `ACD.ENQUEUE`.
    Arrive(usize),
    /// Its patience runs out: `ACD.COMPLETE` if it is still waiting (an abandon).
    GiveUp(usize),
    /// Its agent finishes: `ACD.COMPLETE`.
    Finish(usize),
}

/// Timed actions, earliest first, ties in scheduling order.
#[derive(Debug, Default)]
pub(crate) struct Agenda {
    queue: BinaryHeap<Reverse<(i64, u64, Action)>>,
    scheduled: u64,
}

impl Agenda {
    /// Schedules `action` at `at_ms`.
    pub(crate) fn push(&mut self, at_ms: i64, action: Action) {
        self.scheduled += 1;
        self.queue.push(Reverse((at_ms, self.scheduled, action)));
    }

    /// Takes the next action and its time.
    pub(crate) fn pop(&mut self) -> Option<(i64, Action)> {
        self.queue
            .pop()
            .map(|Reverse((at_ms, _, action))| (at_ms, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_then_scheduling_order() {
        let mut agenda = Agenda::default();
        agenda.push(20, Action::Finish(1));
        agenda.push(10, Action::GiveUp(9));
        agenda.push(20, Action::Arrive(0));
        agenda.push(10, Action::Arrive(5));
        let order: Vec<_> = std::iter::from_fn(|| agenda.pop()).collect();
        assert_eq!(
            order,
            vec![
                (10, Action::GiveUp(9)),
                (10, Action::Arrive(5)),
                (20, Action::Finish(1)),
                (20, Action::Arrive(0)),
            ]
        );
    }
}
