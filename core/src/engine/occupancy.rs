//! Busy time per agent over a rolling window, the score of the `least-occupied` strategy.
//!
//! This is an approximation, on purpose. An exact "busy ms within the last `window` ms" of a
//! ready agent shrinks continuously as old busy time slides out of the window, at a different
//! rate for each agent, so the order of ready agents would change between events with nothing
//! to re-sort on; keeping it exact would mean rescanning every ready agent per route. Instead
//! time is cut into fixed buckets of `width = ceil(window / 60)` ms, and an agent's score is
//! the busy time it recorded in the last `count = ceil(window / width)` buckets, up to and
//! including the bucket of the center's occupancy clock. Scores are then constant between
//! bucket boundaries, and at a boundary only the agents with busy time in the expiring bucket
//! change. So:
//! - the window is rounded to whole buckets: it covers between `window - width` and
//!   `window + width` ms (by default one-minute buckets over one hour);
//! - a busy stay (one contact's handling, from assignment to its end) is recorded, split over
//!   the buckets it covers, when it ends; an agent handling several contacts at once records
//!   each; time spent offered or in wrap-up is not busy time;
//! - the clock is the latest time at which the center picked an agent for a contact or
//!   recorded a busy stay (both are replicated state changes, so replicas move it in step; a
//!   failed command moves nothing): an earlier time does not bring expired buckets back, and
//!   busy time before the window is dropped;
//! - changing `occupancy-window` discards the recorded busy time (it is kept in buckets of
//!   the old width); `0` records nothing, so `least-occupied` ranks as longest-available.
//!
//! Cost: recording a stay touches at most `count` buckets (usually one or two); each recorded
//! bucket expires once, re-ranking its agent under `least-occupied` in O(k log n) for k
//! skills (the other strategies do not rank by busy time: no re-ranking); advancing the clock
//! is O(log n) when nothing expires.

use std::collections::BTreeSet;

use super::model::AgentIdx;
use super::Center;
use crate::state::Strategy;

/// Buckets per window (at most).
pub(crate) const BUCKETS: i64 = 60;

/// An agent's recent busy time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Occupancy {
    /// (bucket index, busy ms), ascending by bucket, only for buckets inside the window; ms
    /// never zero. At most `count` entries, one allocation: stays arrive in the newest
    /// buckets and leave from the oldest.
    pub(crate) buckets: Vec<(i64, i64)>,
    /// Their sum: the agent's `least-occupied` score.
    pub(crate) busy_ms: i64,
}

impl Occupancy {
    fn add(&mut self, bucket: i64, ms: i64) {
        // Searched from the newest end, where stays land.
        let at = self.buckets.iter().rposition(|&(b, _)| b <= bucket);
        match at {
            Some(i) if self.buckets[i].0 == bucket => self.buckets[i].1 += ms,
            _ => self.buckets.insert(at.map_or(0, |i| i + 1), (bucket, ms)),
        }
        self.busy_ms += ms;
    }

    /// Drops the buckets at or before `cut`.
    fn expire_through(&mut self, cut: i64) {
        let out = self.buckets.partition_point(|&(b, _)| b <= cut);
        let dropped: i64 = self.buckets.drain(..out).map(|(_, ms)| ms).sum();
        self.busy_ms -= dropped;
    }

    pub(crate) fn oldest(&self) -> Option<i64> {
        self.buckets.first().map(|&(bucket, _)| bucket)
    }
}

/// Bucket geometry of an `occupancy-window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Buckets {
    pub(crate) width: i64,
    pub(crate) count: i64,
}

impl Buckets {
    /// `None` for a window of 0 (nothing is recorded).
    pub(crate) fn new(window_ms: u64) -> Option<Buckets> {
        let window = i64::try_from(window_ms).ok().filter(|&w| w > 0)?;
        let div_ceil = |a: i64, b: i64| a / b + i64::from(a % b != 0);
        let width = div_ceil(window, BUCKETS);
        Some(Buckets {
            width,
            count: div_ceil(window, width),
        })
    }

    pub(crate) fn of(self, t: i64) -> i64 {
        t.div_euclid(self.width)
    }

    /// The newest bucket outside the window when the clock reads `clock`.
    pub(crate) fn cut(self, clock: i64) -> i64 {
        self.of(clock).saturating_sub(self.count)
    }

    /// `[from, to)` split over the buckets inside the window at `clock`: (bucket, ms) pairs,
    /// at most `count` of them.
    pub(crate) fn split(self, from: i64, to: i64, clock: i64) -> impl Iterator<Item = (i64, i64)> {
        let first = self.of(from).max(self.cut(clock).saturating_add(1));
        let buckets = (to > from).then(|| first..=self.of(to - 1).min(self.of(clock)));
        buckets.into_iter().flatten().filter_map(move |bucket| {
            let start = bucket.saturating_mul(self.width).max(from);
            let end = bucket.saturating_add(1).saturating_mul(self.width).min(to);
            (end > start).then_some((bucket, end - start))
        })
    }
}

/// The center-wide side: the occupancy clock and which agent's oldest bucket expires first.
#[derive(Debug, Clone, Default)]
pub(crate) struct OccupancyClock {
    /// The latest time an agent was picked or a busy stay recorded.
    pub(crate) now: i64,
    /// (oldest bucket, agent) for every agent with recorded busy time.
    pub(crate) expiry: BTreeSet<(i64, AgentIdx)>,
}

impl Center {
    fn buckets(&self) -> Option<Buckets> {
        Buckets::new(self.settings.occupancy_window_ms)
    }

    /// Moves the occupancy clock to `now` (never back) and drops busy time that left the
    /// window, re-ranking (under `least-occupied`) the ready agents it belonged to. Called
    /// only where the center is about to pick an agent or record busy time.
    pub(super) fn advance_occupancy(&mut self, now: i64) {
        self.occupancy.now = self.occupancy.now.max(now);
        let Some(buckets) = self.buckets() else {
            return;
        };
        let cut = buckets.cut(self.occupancy.now);
        while let Some(&(oldest, agent)) = self.occupancy.expiry.first() {
            if oldest > cut {
                break;
            }
            self.occupancy.expiry.pop_first();
            self.change_occupancy(agent, |o| o.expire_through(cut));
            if let Some(oldest) = self.agents[agent].occupancy.oldest() {
                self.occupancy.expiry.insert((oldest, agent));
            }
        }
    }

    /// Records a busy stay `[from, to)` of an agent (a contact it handled ended), re-ranking
    /// it (under `least-occupied`) in the lines it is in (an agent with room on some channel
    /// stays there).
    pub(super) fn record_busy(&mut self, idx: AgentIdx, from: i64, to: i64) {
        self.advance_occupancy(to);
        let Some(buckets) = self.buckets() else {
            return;
        };
        let mut parts = buckets.split(from, to, self.occupancy.now).peekable();
        if parts.peek().is_none() {
            return;
        }
        let before = self.agents[idx].occupancy.oldest();
        self.change_occupancy(idx, |occupancy| {
            for (bucket, ms) in parts {
                occupancy.add(bucket, ms);
            }
        });
        // The expiry order moves only if the oldest bucket did (usually it stays).
        let after = self.agents[idx].occupancy.oldest();
        if before != after {
            if let Some(oldest) = before {
                self.occupancy.expiry.remove(&(oldest, idx));
            }
            if let Some(oldest) = after {
                self.occupancy.expiry.insert((oldest, idx));
            }
        }
    }

    /// Changes an agent's busy time, re-ranking it in its lines only under `least-occupied`,
    /// the one strategy that ranks by it (the others' keys do not hold it, and a change of
    /// strategy re-ranks every agent).
    fn change_occupancy(&mut self, idx: AgentIdx, change: impl FnOnce(&mut Occupancy)) {
        if self.settings.strategy == Strategy::LeastOccupied {
            self.reindexed(idx, |agent| change(&mut agent.occupancy));
        } else {
            change(&mut self.agents[idx].occupancy);
        }
    }

    /// Forgets a deleted agent's busy time.
    pub(super) fn forget_occupancy(&mut self, idx: AgentIdx) {
        if let Some(oldest) = self.agents[idx].occupancy.oldest() {
            self.occupancy.expiry.remove(&(oldest, idx));
        }
    }

    /// Discards all recorded busy time (the window changed); the caller re-ranks.
    pub(super) fn reset_occupancy(&mut self) {
        self.occupancy.expiry.clear();
        let agents: Vec<AgentIdx> = self.agent_ids.values().copied().collect();
        for idx in agents {
            self.agents[idx].occupancy = Occupancy::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Buckets, Occupancy};

    #[test]
    fn busy_time_stays_sorted_by_bucket_whatever_order_it_arrives_in() {
        let mut o = Occupancy::default();
        for (bucket, ms) in [(5, 10), (7, 1), (5, 2), (3, 4), (6, 8), (8, 1), (3, 1)] {
            o.add(bucket, ms);
        }
        assert_eq!(o.buckets, vec![(3, 5), (5, 12), (6, 8), (7, 1), (8, 1)]);
        assert_eq!((o.busy_ms, o.oldest()), (27, Some(3)));
        o.expire_through(6);
        assert_eq!(
            (o.buckets.clone(), o.busy_ms, o.oldest()),
            (vec![(7, 1), (8, 1)], 2, Some(7))
        );
        o.expire_through(9);
        assert_eq!((o.buckets.len(), o.busy_ms, o.oldest()), (0, 0, None));
    }

    #[test]
    fn buckets_cover_the_window() {
        let hour = Buckets::new(3_600_000).unwrap();
        assert_eq!((hour.width, hour.count), (60_000, 60));
        let small = Buckets::new(100).unwrap();
        assert_eq!((small.width, small.count), (2, 50));
        assert_eq!(Buckets::new(1), Some(Buckets { width: 1, count: 1 }));
        assert_eq!(Buckets::new(0), None);
    }

    #[test]
    fn stays_split_over_buckets_inside_the_window() {
        let b = Buckets {
            width: 10,
            count: 3,
        };
        // Clock at 55: buckets 3, 4 and 5 are inside; 2 and older are out.
        let split = |from, to, clock| b.split(from, to, clock).collect::<Vec<_>>();
        assert_eq!(split(5, 55, 55), vec![(3, 10), (4, 10), (5, 5)]);
        assert_eq!(split(31, 32, 55), vec![(3, 1)]);
        assert_eq!(split(10, 20, 55), vec![]);
        assert_eq!(split(40, 40, 55), vec![]);
    }
}
