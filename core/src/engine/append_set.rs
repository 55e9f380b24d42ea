//! An ordered set for keys that mostly arrive in ascending order, as an agent's key does in
//! the lines of ready agents under `longest-available` (an agent that becomes eligible gets a
//! key made from the current time and a fresh sequence number, above every key in the line),
//! and an ended contact's in the retention order.
//!
//! The keys live in a sorted run, a [`VecDeque`], where a key above every other one is
//! appended in O(1). A key is found by a search galloping from the front, O(log p) for a key
//! p slots from the front: where keys usually leave (the agents picked are those ready
//! longest, the contacts purged the oldest), in memory the walks keep in the caches. A key
//! within [`NEAR_END`] slots of an end is removed by moving the slots between it and that
//! end; one further in is marked dead, without moving the others. Dead slots leave the run at
//! once when they reach an end, and all together (one pass, O(n)) when they are a quarter of
//! it or when iterations have passed as many dead slots as the run holds, which bounds what
//! a walk pays for them (amortized O(1) per removal and per dead slot passed). A key that
//! arrives out of order (a past time), or that the caller does not expect in order (the keys of
//! a strategy whose score does not grow with time: [`AppendSet::insert_unordered`]), goes to a
//! B-tree of strays beside the run, O(log n), where it stays until removed; with every key a
//! stray, the set is a B-tree. Iteration merges the two.
//!
//! A key can also leave without being found: [`AppendSet::forget`] only counts it, O(1), and
//! it stays in place, *forgotten*, for the owner's readers to skip by the same test that
//! tells it from the others (the owner knows which keys are gone: an agent's key in the lines
//! of a channel where it is no longer eligible). Forgotten keys leave when they reach an end
//! of the run, when a reader that passed them sheds them ([`AppendSet::shed_forgotten`],
//! O(p) for the p slots it read, which are in the caches then), and at a compaction once
//! they are half of the set (or readers passed, without shedding, as many forgotten keys and
//! dead slots as it holds): amortized O(1) each. An agent taken for a contact leaves every
//! line it is in, and finding it in the lines not walked was the dearest part of an
//! assignment after the walk itself (the search's probes miss the caches).
//!
//! A [`std::collections::BTreeSet`] costs a descent of ~4 nodes, a linear scan in each and
//! node rebalancing for every insertion and removal; each assignment takes its agent out of
//! every one of its lines and puts it back later, so this was most of the engine's write
//! path.

use std::collections::{btree_set, vec_deque, BTreeSet, VecDeque};
use std::iter::Peekable;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Dead slots may be up to `1 / DEAD_SHARE` of the run before it is compacted.
const DEAD_SHARE: usize = 4;
/// Forgotten keys may be up to `1 / FORGOTTEN_SHARE` of the set before it is compacted.
const FORGOTTEN_SHARE: usize = 2;
/// A key this close to either end of the run is removed by moving the slots between it and
/// that end, not left dead.
const NEAR_END: usize = 32;

/// A key of the run, and whether it is still in the set.
#[derive(Debug, Clone, Copy)]
struct Slot<K> {
    key: K,
    live: bool,
}

/// An ordered set of unique keys, cheapest when keys are inserted in ascending order.
#[derive(Debug)]
pub(crate) struct AppendSet<K> {
    /// Ascending keys; neither end is a dead slot (either may be a forgotten key).
    run: VecDeque<Slot<K>>,
    /// Dead slots in the run.
    dead: usize,
    /// Keys inserted below the largest key, none of which is in the run.
    strays: BTreeSet<K>,
    /// Forgotten keys (see the module docs) still in the run or the strays.
    forgotten: usize,
    /// Dead slots that iterations passed since the run was last compacted (atomic only so
    /// that a set can be shared, read-only, between threads).
    passed: AtomicUsize,
}

impl<K: Clone> Clone for AppendSet<K> {
    fn clone(&self) -> Self {
        AppendSet {
            run: self.run.clone(),
            dead: self.dead,
            strays: self.strays.clone(),
            forgotten: self.forgotten,
            passed: AtomicUsize::new(self.passed.load(Relaxed)),
        }
    }
}

impl<K> Default for AppendSet<K> {
    fn default() -> Self {
        AppendSet::new()
    }
}

impl<K> AppendSet<K> {
    pub(crate) const fn new() -> Self {
        AppendSet {
            run: VecDeque::new(),
            dead: 0,
            strays: BTreeSet::new(),
            forgotten: 0,
            passed: AtomicUsize::new(0),
        }
    }

    /// The keys in the set, forgotten ones not counted.
    pub(crate) fn len(&self) -> usize {
        self.run.len() - self.dead + self.strays.len() - self.forgotten
    }

    /// Heap bytes held, about: the run's allocation and a B-tree entry per stray.
    pub(crate) fn heap_bytes(&self) -> usize {
        const STRAY_OVERHEAD: usize = 8;
        self.run.capacity() * std::mem::size_of::<Slot<K>>()
            + self.strays.len() * (std::mem::size_of::<K>() + STRAY_OVERHEAD)
    }

    /// Forgotten keys still in the set.
    pub(crate) fn forgotten(&self) -> usize {
        self.forgotten
    }

    /// Counts forgotten keys a reader passed, as iterations count dead slots: enough of them
    /// compact the set at its next forgetting.
    pub(crate) fn passed_over(&self, forgotten: usize) {
        if forgotten > 0 {
            self.passed
                .store(self.passed.load(Relaxed).saturating_add(forgotten), Relaxed);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.run.clear();
        self.dead = 0;
        self.strays.clear();
        self.forgotten = 0;
        self.passed.store(0, Relaxed);
    }
}

impl<K: Ord + Copy> AppendSet<K> {
    /// Adds `key`, expected above every key in the set; false if it was there already.
    pub(crate) fn insert(&mut self, key: K) -> bool {
        let above = |top: Option<&K>| top.is_none_or(|top| *top < key);
        if above(self.run.back().map(|s| &s.key)) && above(self.strays.last()) {
            self.run.push_back(Slot { key, live: true });
            return true;
        }
        self.insert_unordered(key)
    }

    /// Adds `key`, not expected above the others (it goes to the strays unless its dead slot
    /// is still in the run); false if it was there already.
    pub(crate) fn insert_unordered(&mut self, key: K) -> bool {
        if self.run.is_empty() {
            return self.strays.insert(key);
        }
        match self.find(&key) {
            Ok(i) => {
                let slot = &mut self.run[i];
                if slot.live {
                    return false;
                }
                slot.live = true;
                self.dead -= 1;
                true
            }
            Err(_) => self.strays.insert(key),
        }
    }

    /// Takes `key` out; false if it was not there.
    pub(crate) fn remove(&mut self, key: &K) -> bool {
        if self.run.is_empty() {
            return self.strays.remove(key);
        }
        match self.find(key) {
            Ok(i) if self.run[i].live => {
                if i < NEAR_END || self.run.len() - i <= NEAR_END {
                    // Moves the few slots between it and the end.
                    self.run.remove(i);
                } else {
                    self.run[i].live = false;
                    self.dead += 1;
                }
                self.shed_dead();
                true
            }
            Ok(_) => false,
            Err(_) => self.strays.remove(key),
        }
    }

    /// Counts one key out without finding it (see the module docs): it stays, forgotten,
    /// until it reaches an end of the run, a reader sheds it or the set is compacted.
    /// `current` must be false for that key and for every key forgotten before, true for
    /// every other key; such a key must be neither removed nor inserted again. Amortized O(1).
    pub(crate) fn forget(&mut self, current: impl Fn(&K) -> bool) {
        self.forgotten += 1;
        self.shed_ends(&current);
        let held = self.run.len() + self.strays.len();
        let passed = self.passed.load(Relaxed);
        if self.dead * DEAD_SHARE > held || self.forgotten * FORGOTTEN_SHARE > held || passed > held
        {
            self.run.retain(|s| s.live && current(&s.key));
            self.strays.retain(|k| current(k));
            self.dead = 0;
            self.forgotten = 0;
            self.passed.store(0, Relaxed);
        }
    }

    /// Drops the forgotten keys and dead slots of the run below `upto` (the whole run
    /// without), which a reader has just passed (so they are in the caches): O(p) for the p
    /// slots below it. Forgotten strays among the `passed` forgotten keys it read are
    /// counted as passed (see [`AppendSet::passed_over`]).
    pub(crate) fn shed_forgotten(
        &mut self,
        upto: Option<&K>,
        passed: usize,
        current: impl Fn(&K) -> bool,
    ) {
        let before = self.forgotten;
        let end = match upto {
            Some(key) => self.find(key).unwrap_or_else(|at| at),
            None => self.run.len(),
        };
        // Moves the slots kept up against `end`, then drops the front left behind.
        let mut kept = end;
        for i in (0..end).rev() {
            let slot = self.run[i];
            if slot.live && current(&slot.key) {
                kept -= 1;
                self.run[kept] = slot;
            } else {
                self.count_out(slot.live);
            }
        }
        self.run.drain(..kept);
        // When `upto` is a stray, the slot after those below it may be out too.
        self.shed_ends(&current);
        self.passed_over(passed.saturating_sub(before - self.forgotten));
    }

    /// Drops dead slots and forgotten keys from both ends of the run.
    fn shed_ends(&mut self, current: &impl Fn(&K) -> bool) {
        let out = |slot: &Slot<K>| !slot.live || !current(&slot.key);
        while let Some(live) = self.run.front().filter(|s| out(s)).map(|s| s.live) {
            self.run.pop_front();
            self.count_out(live);
        }
        while let Some(live) = self.run.back().filter(|s| out(s)).map(|s| s.live) {
            self.run.pop_back();
            self.count_out(live);
        }
    }

    /// Counts out a slot leaving the run: a dead one, or a forgotten key.
    fn count_out(&mut self, live: bool) {
        if live {
            // Saturating: a wrong `current` must not panic a debug build (the audit tells).
            self.forgotten = self.forgotten.saturating_sub(1);
        } else {
            self.dead -= 1;
        }
    }

    pub(crate) fn contains(&self, key: &K) -> bool {
        match self.find(key) {
            Ok(i) => self.run[i].live,
            Err(_) => self.strays.contains(key),
        }
    }

    /// The smallest key (perhaps a forgotten one).
    pub(crate) fn first(&self) -> Option<&K> {
        // The run's front is not dead.
        match (self.run.front(), self.strays.first()) {
            (Some(slot), Some(stray)) => Some(stray.min(&slot.key)),
            (slot, stray) => slot.map(|s| &s.key).or(stray),
        }
    }

    /// Takes the smallest key out (in a set without forgotten keys).
    pub(crate) fn pop_first(&mut self) -> Option<K> {
        let first = *self.first()?;
        self.remove(&first);
        Some(first)
    }

    pub(crate) fn iter(&self) -> Iter<'_, K> {
        self.merged(0..self.run.len(), self.strays.range(..))
    }

    /// The keys from `start` on.
    pub(crate) fn range_from(&self, start: &K) -> Iter<'_, K> {
        let at = self.run.partition_point(|s| s.key < *start);
        self.merged(at..self.run.len(), self.strays.range(start..))
    }

    /// The keys below `end`.
    pub(crate) fn range_below(&self, end: &K) -> Iter<'_, K> {
        let at = self.run.partition_point(|s| s.key < *end);
        self.merged(0..at, self.strays.range(..end))
    }

    fn merged<'a>(
        &'a self,
        run: std::ops::Range<usize>,
        strays: btree_set::Range<'a, K>,
    ) -> Iter<'a, K> {
        let run = Live {
            slots: self.run.range(run),
            passed: &self.passed,
        };
        if self.strays.is_empty() {
            Iter::Run(run)
        } else if run.slots.len() == 0 {
            Iter::Strays(strays)
        } else {
            Iter::Both {
                run,
                run_next: None,
                strays: strays.peekable(),
            }
        }
    }

    /// Where `key` is in the run (`Err`: where it would go), by a search galloping from the
    /// front: O(log p) for a key p slots from the front, where keys usually leave (the
    /// agents picked are those ready longest), in memory that walks keep in the caches.
    fn find(&self, key: &K) -> Result<usize, usize> {
        let below = |i: usize| self.run[i].key < *key;
        let len = self.run.len();
        let mut bound = 1;
        while bound <= len && below(bound - 1) {
            bound *= 2;
        }
        // The first slot not below `key` is in lo..=hi.
        let (mut lo, mut hi) = (bound / 2, bound.min(len));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if below(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        match self.run.get(lo) {
            Some(slot) if slot.key == *key => Ok(lo),
            _ => Err(lo),
        }
    }

    /// Drops dead slots from the ends, and compacts the run when too many are left inside
    /// or iterations have passed as many as it holds.
    fn shed_dead(&mut self) {
        // Every key counts as current here: only dead slots leave (forgotten keys stay
        // counted until `forget` or a reader sheds them).
        self.shed_ends(&|_: &K| true);
        let passed = self.passed.load(Relaxed);
        if self.dead > 0 && (self.dead * DEAD_SHARE > self.run.len() || passed > self.run.len()) {
            self.run.retain(|s| s.live);
            self.dead = 0;
            self.passed.store(0, Relaxed);
        }
    }
}

/// The keys of an [`AppendSet`] (or of a range of it) in ascending order: those of the run,
/// those of the strays, or both merged.
pub(crate) enum Iter<'a, K> {
    Run(Live<'a, K>),
    Strays(btree_set::Range<'a, K>),
    Both {
        run: Live<'a, K>,
        /// The run's next key, when it was looked at but not yet returned.
        run_next: Option<&'a K>,
        strays: Peekable<btree_set::Range<'a, K>>,
    },
}

/// The live keys of part of a run, counting the dead slots passed into `passed`.
pub(crate) struct Live<'a, K> {
    slots: vec_deque::Iter<'a, Slot<K>>,
    passed: &'a AtomicUsize,
}

impl<'a, K> Iterator for Live<'a, K> {
    type Item = &'a K;

    #[inline(always)]
    fn next(&mut self) -> Option<&'a K> {
        for slot in self.slots.by_ref() {
            if slot.live {
                return Some(&slot.key);
            }
            // Not `fetch_add`: the count only decides when to compact, and a locked add per
            // dead slot would cost more than passing it.
            self.passed
                .store(self.passed.load(Relaxed).saturating_add(1), Relaxed);
        }
        None
    }
}

impl<'a, K: Ord> Iterator for Iter<'a, K> {
    type Item = &'a K;

    #[inline(always)]
    fn next(&mut self) -> Option<&'a K> {
        match self {
            Iter::Run(run) => run.next(),
            Iter::Strays(strays) => strays.next(),
            Iter::Both {
                run,
                run_next,
                strays,
            } => match (run_next.take().or_else(|| run.next()), strays.peek()) {
                (Some(key), Some(&stray)) if stray < key => {
                    *run_next = Some(key);
                    strays.next()
                }
                (Some(key), _) => Some(key),
                (None, _) => strays.next(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone, Copy)]
    enum Op {
        Insert(u16),
        InsertUnordered(u16),
        Append,
        Remove(u16),
        RemoveNth(usize),
        /// Inserts the key `n` below the largest ever appended (perhaps still there).
        InsertBelowTop(u16),
        PopFirst,
        /// Forgets the nth key.
        ForgetNth(usize),
        /// Sheds the forgotten keys below a key (all without), as a walk that stopped there.
        Shed(Option<u16>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            1 => (0..400u16).prop_map(Op::Insert),
            1 => (0..500u16).prop_map(Op::InsertUnordered),
            4 => Just(Op::Append),
            1 => (0..400u16).prop_map(Op::Remove),
            3 => any::<usize>().prop_map(Op::RemoveNth),
            1 => (0..4u16).prop_map(Op::InsertBelowTop),
            1 => Just(Op::PopFirst),
            2 => any::<usize>().prop_map(Op::ForgetNth),
            1 => prop::option::of(0..500u16).prop_map(Op::Shed),
        ]
    }

    proptest! {
        /// Whatever the order of insertions, removals and forgettings, the set answers as a
        /// `BTreeSet` of the keys not forgotten, once forgotten keys are skipped.
        #[test]
        fn behaves_as_a_btree_set(ops in prop::collection::vec(op(), 0..600)) {
            let mut set = AppendSet::new();
            let mut model = BTreeSet::new();
            // Forgotten keys, never used again.
            let mut gone = BTreeSet::new();
            let mut next = 400u16;
            for op in ops {
                match op {
                    Op::Insert(k) | Op::InsertUnordered(k) | Op::Remove(k)
                        if gone.contains(&k) => {}
                    Op::Insert(k) => prop_assert_eq!(set.insert(k), model.insert(k)),
                    Op::InsertUnordered(k) => {
                        prop_assert_eq!(set.insert_unordered(k), model.insert(k))
                    }
                    Op::Append => {
                        next += 1;
                        if !gone.contains(&next) {
                            prop_assert_eq!(set.insert(next), model.insert(next));
                        }
                    }
                    Op::Remove(k) => prop_assert_eq!(set.remove(&k), model.remove(&k)),
                    Op::RemoveNth(n) if !model.is_empty() => {
                        let k = *model.iter().nth(n % model.len()).unwrap();
                        prop_assert!(set.remove(&k));
                        model.remove(&k);
                    }
                    Op::ForgetNth(n) if !model.is_empty() => {
                        let k = *model.iter().nth(n % model.len()).unwrap();
                        model.remove(&k);
                        gone.insert(k);
                        set.forget(|k| !gone.contains(k));
                    }
                    Op::RemoveNth(_) | Op::ForgetNth(_) => {}
                    Op::Shed(upto) => {
                        let below = |k: &u16| upto.is_none_or(|u| *k < u);
                        let passed = set.iter().filter(|&k| below(k) && gone.contains(k)).count();
                        set.shed_forgotten(upto.as_ref(), passed, |k| !gone.contains(k));
                        prop_assert!(set.run.iter().all(|s| !below(&s.key)
                            || (s.live && !gone.contains(&s.key))));
                    }
                    Op::PopFirst if set.first().is_some_and(|k| gone.contains(k)) => {}
                    Op::PopFirst => prop_assert_eq!(set.pop_first(), model.pop_first()),
                    Op::InsertBelowTop(n) => {
                        let k = next.saturating_sub(n);
                        if !gone.contains(&k) {
                            prop_assert_eq!(set.insert(k), model.insert(k));
                        }
                    }
                }
                prop_assert_eq!(set.len(), model.len());
                prop_assert_eq!(set.forgotten(), set.iter().filter(|k| gone.contains(k)).count());
                prop_assert!(set.dead * DEAD_SHARE <= set.run.len());
            }
            let kept = |keys: Iter<'_, u16>| {
                keys.copied().filter(|k| !gone.contains(k)).collect::<Vec<_>>()
            };
            prop_assert_eq!(kept(set.iter()), model.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(set.iter().find(|k| !gone.contains(k)), model.first());
            for k in [0, 57, 200, 399, 401, next] {
                if !gone.contains(&k) {
                    prop_assert_eq!(set.contains(&k), model.contains(&k));
                }
                prop_assert_eq!(kept(set.range_from(&k)),
                    model.range(k..).copied().collect::<Vec<_>>());
                prop_assert_eq!(kept(set.range_below(&k)),
                    model.range(..k).copied().collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn ascending_keys_stay_in_the_run() {
        let mut set = AppendSet::new();
        for k in 0..100 {
            assert!(set.insert(k));
        }
        assert!(set.remove(&50));
        assert!(set.remove(&0));
        assert!(set.insert(100));
        assert!(set.strays.is_empty());
        assert_eq!(set.len(), 99);
        assert_eq!(set.first(), Some(&1));
    }

    #[test]
    fn a_removed_key_put_back_revives_its_slot() {
        let mut set = AppendSet::new();
        for k in 0..100 {
            set.insert(k);
        }
        assert!(set.remove(&50));
        assert!(!set.contains(&50));
        assert_eq!(set.dead, 1);
        assert!(set.insert(50));
        assert!(set.strays.is_empty());
        assert_eq!((set.iter().count(), set.dead), (100, 0));
    }

    #[test]
    fn keys_out_of_order_are_strays_merged_in_iteration() {
        let mut set = AppendSet::new();
        set.insert(1_000);
        for k in (0..40).rev() {
            set.insert(k * 2);
        }
        set.insert(1_001);
        set.insert(41);
        assert_eq!(set.run.len(), 2);
        assert_eq!(set.strays.len(), 41);
        assert!(set.iter().is_sorted());
        assert_eq!(set.range_from(&41).take(2).collect::<Vec<_>>(), [&41, &42]);
        assert_eq!(set.pop_first(), Some(0));
    }

    #[test]
    fn dead_slots_that_walks_keep_passing_are_compacted() {
        let mut set = AppendSet::new();
        for k in 0..100 {
            set.insert(k);
        }
        // Near an end: moved out. Further in: left dead.
        set.remove(&3);
        assert_eq!((set.run.len(), set.dead), (99, 0));
        for k in 40..60 {
            set.remove(&k);
        }
        assert_eq!((set.run.len(), set.dead), (99, 20));
        for _ in 0..5 {
            assert_eq!(set.iter().count(), 79);
        }
        set.remove(&0);
        assert_eq!((set.run.len(), set.dead), (78, 0));
    }

    /// A set of `0..n` and the forgotten keys, with a `forget` that updates both.
    struct Forgetting {
        set: AppendSet<u32>,
        gone: BTreeSet<u32>,
    }

    impl Forgetting {
        fn new(n: u32) -> Forgetting {
            let mut set = AppendSet::new();
            for k in 0..n {
                set.insert(k);
            }
            Forgetting {
                set,
                gone: BTreeSet::new(),
            }
        }

        fn forget(&mut self, k: u32) {
            self.gone.insert(k);
            let gone = &self.gone;
            self.set.forget(|k| !gone.contains(k));
        }

        fn shed(&mut self, upto: Option<u32>, passed: usize) {
            let gone = &self.gone;
            self.set
                .shed_forgotten(upto.as_ref(), passed, |k| !gone.contains(k));
        }
    }

    #[test]
    fn forgotten_keys_leave_at_the_front_or_at_compaction() {
        let mut f = Forgetting::new(200);
        // Inside: stays, counted out of the length.
        f.forget(50);
        assert_eq!(
            (f.set.run.len(), f.set.len(), f.set.forgotten()),
            (200, 199, 1)
        );
        // Key 1 waits behind the front; forgetting the front takes both out.
        f.forget(1);
        f.forget(0);
        assert_eq!((f.set.run.len(), f.set.forgotten()), (198, 1));
        assert_eq!(f.set.first(), Some(&2));
        // Half of the set forgotten: compacted.
        for k in 60..158 {
            f.forget(k);
        }
        assert_eq!((f.set.run.len(), f.set.forgotten()), (198, 99));
        f.forget(158);
        assert_eq!(
            (f.set.run.len(), f.set.len(), f.set.forgotten()),
            (98, 98, 0)
        );
        assert!(f.set.iter().all(|k| !f.gone.contains(k)));
    }

    #[test]
    fn a_walk_sheds_the_forgotten_keys_it_passed() {
        let mut f = Forgetting::new(100);
        for k in [10, 20, 30] {
            f.forget(k);
        }
        // A walk stopped at 25, past 10 and 20.
        f.shed(Some(25), 2);
        assert_eq!((f.set.run.len(), f.set.forgotten()), (98, 1));
        assert_eq!(f.set.passed.load(Relaxed), 0);
        assert_eq!(
            f.set
                .iter()
                .filter(|k| f.gone.contains(k))
                .collect::<Vec<_>>(),
            [&30]
        );
        // A walk to the end.
        f.shed(None, 1);
        assert_eq!(
            (f.set.run.len(), f.set.len(), f.set.forgotten()),
            (97, 97, 0)
        );
    }
}
