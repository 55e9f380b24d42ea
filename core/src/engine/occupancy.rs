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
//! Storage: the busy time is kept by bucket, center-wide, not by agent: each bucket inside
//! the window has a log of entries (agent, ms) in the order they were recorded, and an
//! agent's record holds only its sum and where its newest entry is. Recording a stay adds to
//! that entry when the stay ends in the same bucket, else appends to the newest buckets'
//! logs, whose ends every recording touches: a route reads no per-agent array of buckets (at
//! 100k agents that array was a trip to memory per recorded stay, and its growth a copy).
//! When a bucket leaves the window its log is dropped whole, each entry subtracted from its
//! agent. The entries of a deleted agent are left to expire with their buckets, and its
//! handle is given to no new agent until they have (so an entry's handle names its agent).
//!
//! Cost: recording a stay touches at most `count` buckets (usually one or two), O(1) each;
//! each entry expires once, re-ranking its agent under `least-occupied` in O(k log n) for k
//! skills (the other strategies do not rank by busy time: no re-ranking); advancing the clock
//! is O(1) when nothing expires. Memory: 16 bytes per entry, and one entry per bucket an
//! agent was busy in as long as its stays are recorded in time order (an agent busy every
//! minute of the default hour: 960 bytes); a piece of a stay that lands before the agent's
//! newest bucket gets an entry of its own (a contact handled side by side with one that
//! ended later, or a completion given an earlier `AT` than the last), so the logs hold at
//! most one entry per piece of a stay in the window. A deleted agent's empty slot is held
//! with its handle until its entries expire.

use std::collections::{HashMap, HashSet, VecDeque};

use super::model::{Agent, AgentIdx};
use super::Center;
use crate::state::Strategy;

/// Buckets per window (at most).
pub(crate) const BUCKETS: i64 = 60;

/// An agent's recent busy time, as its record holds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Occupancy {
    /// Busy ms inside the window (the sum of the agent's entries): its `least-occupied` score.
    pub(crate) busy_ms: i64,
    /// Its entry in the newest bucket it has one in: (bucket, position in that bucket's log).
    newest: Option<(i64, u32)>,
}

/// Busy time one agent recorded in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    /// A live agent, or a deleted one whose handle is held (see `retired`).
    agent: AgentIdx,
    ms: i64,
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

/// The center-wide side: the occupancy clock and the busy time recorded in each bucket.
#[derive(Debug, Clone, Default)]
pub(crate) struct OccupancyClock {
    /// The latest time an agent was picked or a busy stay recorded.
    pub(crate) now: i64,
    /// The bucket of `logs[0]`.
    first: i64,
    /// The entries of buckets `first`, `first + 1`, …, in the order recorded; only buckets
    /// inside the window (at most `count + 1` logs).
    logs: VecDeque<Vec<Entry>>,
    /// (bucket of the clock at deletion, handle) of deleted agents, oldest first: each handle
    /// is held from reuse until that bucket leaves the window, and its entries with it.
    retired: VecDeque<(i64, AgentIdx)>,
}

impl OccupancyClock {
    /// The log of `bucket`, made (with any missing between it and the others) if absent.
    fn log_mut(&mut self, bucket: i64) -> &mut Vec<Entry> {
        if self.logs.is_empty() {
            self.first = bucket;
        }
        while bucket < self.first {
            self.logs.push_front(Vec::new());
            self.first -= 1;
        }
        let at = (bucket - self.first) as usize;
        if at >= self.logs.len() {
            // Sized like the newest log: a bucket tends to take as many entries as the last,
            // and growing by doubling would leave up to half of each log unused.
            let size = self.logs.back().map_or(0, Vec::len);
            self.logs.resize_with(at, Vec::new);
            self.logs.push_back(Vec::with_capacity(size));
        }
        &mut self.logs[at]
    }

    /// Adds `ms` of busy time in `bucket` to `agent`, whose record holds `occupancy`.
    fn add(&mut self, occupancy: &mut Occupancy, agent: AgentIdx, bucket: i64, ms: i64) {
        occupancy.busy_ms += ms;
        if let Some((_, at)) = occupancy.newest.filter(|&(b, _)| b == bucket) {
            if let Some(newest) = self.log_mut(bucket).get_mut(at as usize) {
                newest.ms += ms;
                return;
            }
        }
        let log = self.log_mut(bucket);
        let at = u32::try_from(log.len()).ok();
        log.push(Entry { agent, ms });
        if occupancy.newest.is_none_or(|(b, _)| b < bucket) {
            occupancy.newest = at.map(|at| (bucket, at));
        }
    }

    /// Heap bytes of the logs.
    pub(crate) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.logs.capacity() * size_of::<Vec<Entry>>()
            + self
                .logs
                .iter()
                .map(|log| log.capacity() * size_of::<Entry>())
                .sum::<usize>()
    }
}

impl Center {
    fn buckets(&self) -> Option<Buckets> {
        Buckets::new(self.settings.occupancy_window_ms)
    }

    /// Whether an entry is of a registered agent (not of one deleted since).
    fn is_live(&self, entry: &Entry) -> bool {
        self.agents.get(entry.agent).is_some()
    }

    /// Removes a deleted agent's record; its handle is given out again once the busy time it
    /// recorded has left the window (at once if it has none there).
    pub(super) fn take_agent(&mut self, idx: AgentIdx) -> Option<Agent> {
        let agent = self.agents.take(idx)?;
        match self.buckets() {
            Some(buckets) if agent.occupancy.newest.is_some() => {
                let bucket = buckets.of(self.occupancy.now);
                self.occupancy.retired.push_back((bucket, idx));
            }
            _ => self.agents.release(idx),
        }
        Some(agent)
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
        while self.occupancy.first <= cut {
            let Some(log) = self.occupancy.logs.pop_front() else {
                break;
            };
            let bucket = self.occupancy.first;
            self.occupancy.first += 1;
            for entry in log {
                if self.is_live(&entry) {
                    self.change_occupancy(entry.agent, |o| {
                        o.busy_ms -= entry.ms;
                        if o.newest.is_some_and(|(b, _)| b == bucket) {
                            o.newest = None;
                        }
                    });
                }
            }
        }
        while let Some(&(bucket, idx)) = self.occupancy.retired.front() {
            if bucket > cut {
                break;
            }
            self.occupancy.retired.pop_front();
            self.agents.release(idx);
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
        let mut occupancy = self.agents[idx].occupancy;
        for (bucket, ms) in parts {
            self.occupancy.add(&mut occupancy, idx, bucket, ms);
        }
        self.change_occupancy(idx, |o| *o = occupancy);
    }

    /// Gives a newly read agent its busy time: ascending (bucket, ms) pairs inside the window.
    pub(super) fn load_busy(&mut self, idx: AgentIdx, buckets: &[(i64, i64)]) {
        let occupancy = &mut self.agents[idx].occupancy;
        for &(bucket, ms) in buckets {
            self.occupancy.add(occupancy, idx, bucket, ms);
        }
    }

    /// Every live agent's busy time, as ascending (bucket, ms) pairs, by handle.
    pub(super) fn busy_by_agent(&self) -> HashMap<AgentIdx, Vec<(i64, i64)>> {
        let mut busy: HashMap<AgentIdx, Vec<(i64, i64)>> = HashMap::new();
        for (bucket, log) in (self.occupancy.first..).zip(&self.occupancy.logs) {
            for entry in log {
                if !self.is_live(entry) {
                    continue;
                }
                let pairs = busy.entry(entry.agent).or_default();
                match pairs.last_mut() {
                    Some((b, ms)) if *b == bucket => *ms += entry.ms,
                    _ => pairs.push((bucket, entry.ms)),
                }
            }
        }
        busy
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

    /// Audits the busy time (see `check.rs`): the logs cover only buckets inside the window,
    /// every live agent's entries sum to its score and its newest entry is where it says, and
    /// the other entries are of deleted agents whose handles are held.
    pub(super) fn check_occupancy(&self, bad: &mut Vec<String>) {
        let clock = &self.occupancy;
        let (inside, held) = match self.buckets() {
            Some(b) => {
                let (cut, last) = (b.cut(clock.now), clock.first + clock.logs.len() as i64 - 1);
                let logs = clock.logs.is_empty() || (clock.first > cut && last <= b.of(clock.now));
                (logs, clock.retired.iter().all(|&(bucket, _)| bucket > cut))
            }
            None => (clock.logs.is_empty(), clock.retired.is_empty()),
        };
        if !inside {
            bad.push("busy time kept outside the window".into());
        }
        let retired: HashSet<AgentIdx> = clock.retired.iter().map(|&(_, idx)| idx).collect();
        if !held || retired.iter().any(|&idx| self.agents.get(idx).is_some()) {
            bad.push("deleted agents' handles held out of step".into());
        }
        // Per live agent: (sum, newest bucket).
        let mut found: HashMap<AgentIdx, (i64, i64)> = HashMap::new();
        for (bucket, log) in (clock.first..).zip(&clock.logs) {
            for entry in log {
                if entry.ms <= 0 {
                    bad.push(format!("busy time entry of {} ms", entry.ms));
                }
                if self.is_live(entry) {
                    let (sum, newest) = found.entry(entry.agent).or_insert((0, bucket));
                    *sum += entry.ms;
                    *newest = bucket;
                } else if !retired.contains(&entry.agent) {
                    bad.push(format!("busy time entry of unknown agent {}", entry.agent));
                }
            }
        }
        for (id, &idx) in &self.agent_ids {
            let agent = &self.agents[idx];
            let (sum, newest) = found.get(&idx).copied().unzip();
            let points_at_own = agent.occupancy.newest.is_some_and(|(bucket, at)| {
                let log = clock.logs.get((bucket - clock.first) as usize);
                let entry = log.and_then(|log| log.get(at as usize));
                entry.is_some_and(|e| e.agent == idx)
            });
            if sum.unwrap_or(0) != agent.occupancy.busy_ms
                || agent.occupancy.newest.map(|(bucket, _)| bucket) != newest
                || (newest.is_some() && !points_at_own)
            {
                bad.push(format!("agent '{id}' busy time is off"));
            }
        }
    }

    /// Discards all recorded busy time (the window changed); the caller re-ranks.
    pub(super) fn reset_occupancy(&mut self) {
        self.occupancy.logs.clear();
        for (_, idx) in std::mem::take(&mut self.occupancy.retired) {
            self.agents.release(idx);
        }
        let agents: Vec<AgentIdx> = self.agent_ids.values().copied().collect();
        for idx in agents {
            self.agents[idx].occupancy = Occupancy::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Buckets, Occupancy, OccupancyClock};

    #[test]
    fn stays_in_an_agents_newest_bucket_add_to_one_entry() {
        let mut clock = OccupancyClock::default();
        let (mut a, mut b) = (Occupancy::default(), Occupancy::default());
        // Out of order too: a stay that ends late records its earlier buckets last.
        for (bucket, ms) in [(5, 10), (7, 1), (5, 2), (3, 4), (7, 8), (8, 1), (8, 1)] {
            clock.add(&mut a, 0, bucket, ms);
        }
        clock.add(&mut b, 1, 4, 6);
        let logs: Vec<Vec<(u32, i64)>> = clock
            .logs
            .iter()
            .map(|log| log.iter().map(|e| (e.agent, e.ms)).collect())
            .collect();
        let expected = [
            vec![(0, 4)],
            vec![(1, 6)],
            vec![(0, 10), (0, 2)],
            vec![],
            vec![(0, 9)],
            vec![(0, 2)],
        ];
        assert_eq!((clock.first, logs), (3, expected.to_vec()));
        assert_eq!((a.busy_ms, a.newest), (27, Some((8, 0))));
        assert_eq!((b.busy_ms, b.newest), (6, Some((4, 0))));
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
