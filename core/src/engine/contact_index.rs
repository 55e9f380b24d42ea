//! Contacts by id: a hash table of slab handles that compares the ids held in the contact
//! records, instead of a map holding a copy of each id's pointer next to the handle.
//!
//! A center keeps every ended contact for the retention period, so at hundreds of thousands
//! of contacts per second the index holds hundreds of thousands of entries, and a purged
//! contact (it ended long ago) has its entry on a part of the table no cache holds: hashing
//! its id and taking the entry out there was a chain of three cache misses per assignment,
//! about an eighth of the server's time in a profile at 236,000 assignments per second. So
//! purging only *forgets* a contact, in a flag per slab handle that the caches keep, and its
//! entry stays behind. When the table is next full it is built anew at one and a half times
//! the number of indexed contacts, in one pass over the flags and a 32-bit key per slab
//! handle (the low bits of the id's hash, kept at insertion), reading no contact record. A
//! lookup skips entries of forgotten contacts by their flag, and an entry left behind in a
//! slot that now holds another contact by comparing the ids. Every operation is O(1)
//! amortized.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::model::{Contact, ContactIdx};
use super::slab::Slab;

#[derive(Debug, Clone, Default)]
pub(crate) struct ContactIndex {
    /// Slab handles, placed by their contacts' keys; some of forgotten contacts.
    handles: HashTable<ContactIdx>,
    hasher: RandomState,
    /// By slab handle: the key of the contact last indexed there.
    keys: Vec<u32>,
    /// By slab handle: whether the contact there is indexed (not forgotten).
    live: Vec<bool>,
    /// Entries of forgotten contacts still in the table.
    forgotten: usize,
}

/// The table's 64-bit hash of a key: the table places entries by its low bits and filters
/// probes by its top bits, so the key's bits are spread over both.
fn spread(key: u32) -> u64 {
    u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl ContactIndex {
    /// An id's key: the low 32 bits of its hash.
    fn key(&self, id: &[u8]) -> u32 {
        self.hasher.hash_one(id) as u32
    }

    /// The handle of the indexed contact with this id.
    pub(crate) fn get(&self, id: &str, contacts: &Slab<Contact>) -> Option<ContactIdx> {
        let key = self.key(id.as_bytes());
        self.handles
            .find(spread(key), |&idx| {
                self.live[idx as usize] && contacts[idx].id.as_bytes() == id.as_bytes()
            })
            .copied()
    }

    /// Indexes the contact at `idx` under its id, which no indexed contact has.
    pub(crate) fn insert(&mut self, idx: ContactIdx, contacts: &Slab<Contact>) {
        if self.forgotten > 0 && self.handles.len() == self.handles.capacity() {
            self.drop_forgotten();
        }
        let key = self.key(contacts[idx].id.as_bytes());
        let slot = idx as usize;
        if slot >= self.keys.len() {
            self.keys.resize(slot + 1, 0);
            self.live.resize(slot + 1, false);
        }
        self.keys[slot] = key;
        self.live[slot] = true;
        let keys = &self.keys;
        self.handles
            .insert_unique(spread(key), idx, |&other| spread(keys[other as usize]));
    }

    /// Forgets the contact at `idx`, which is about to leave the slab: lookups no longer
    /// find it, and its entry goes when the table is next rebuilt.
    pub(crate) fn forget(&mut self, idx: ContactIdx) {
        if let Some(live) = self.live.get_mut(idx as usize) {
            if std::mem::replace(live, false) {
                self.forgotten += 1;
            }
        }
    }

    /// Builds the table anew, at 1.5 times the number of indexed contacts, from the slots
    /// marked live and their keys (in one pass over them, reading no contact record).
    fn drop_forgotten(&mut self) {
        let mut handles = HashTable::with_capacity(self.len().saturating_add(self.len() / 2));
        for idx in self.handles() {
            let key = self.keys[idx as usize];
            handles.insert_unique(spread(key), idx, |&other: &ContactIdx| {
                spread(self.keys[other as usize])
            });
        }
        self.handles = handles;
        self.forgotten = 0;
    }

    /// How many contacts are indexed.
    pub(crate) fn len(&self) -> usize {
        self.handles.len() - self.forgotten
    }

    /// Every indexed handle, in handle order.
    pub(crate) fn handles(&self) -> impl Iterator<Item = ContactIdx> + '_ {
        self.live
            .iter()
            .enumerate()
            .filter(|&(_, &live)| live)
            .map(|(slot, _)| slot as ContactIdx)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::ContactIndex;
    use crate::engine::model::{Contact, ContactIdx};
    use crate::engine::slab::Slab;
    use crate::state::ContactState;

    fn contact(id: &str) -> Contact {
        Contact {
            id: id.into(),
            channel: 0,
            group: 0,
            relax: Vec::new(),
            priority: 0,
            state: ContactState::Queued,
            agent: None,
            agent_id: None,
            enqueued_at: 0,
            seq: 0,
            offered_at: None,
            assigned_at: None,
            ended_at: None,
            meta: None,
        }
    }

    /// A slab and its index, changed the way a center changes them.
    #[derive(Default)]
    struct Table {
        contacts: Slab<Contact>,
        index: ContactIndex,
    }

    impl Table {
        fn add(&mut self, id: &str) -> ContactIdx {
            let idx = self.contacts.insert(contact(id));
            self.index.insert(idx, &self.contacts);
            idx
        }

        fn purge(&mut self, idx: ContactIdx) {
            self.index.forget(idx);
            self.contacts.remove(idx);
        }

        fn get(&self, id: &str) -> Option<ContactIdx> {
            self.index.get(id, &self.contacts)
        }
    }

    #[test]
    fn finds_inserts_and_forgets_by_id() {
        let mut table = Table::default();
        let handles: Vec<u32> = (0..1000).map(|i| table.add(&format!("c{i}"))).collect();
        assert_eq!(table.index.len(), 1000);
        assert_eq!(table.get("c17"), Some(handles[17]));
        assert_eq!(table.get("c1000"), None);
        table.purge(handles[17]);
        assert_eq!(table.get("c17"), None);
        assert_eq!(table.get("c18"), Some(handles[18]));
        assert_eq!(table.index.len(), 999);
        let all: Vec<u32> = table.index.handles().collect();
        assert!(all.iter().all(|&h| h != handles[17]) && all.len() == 999);
    }

    #[test]
    fn a_purged_id_back_in_its_old_slot_is_found_once() {
        let mut table = Table::default();
        let keep = table.add("keep");
        for round in 0..10_000 {
            let idx = table.add("again");
            assert_eq!(table.get("again"), Some(idx), "round {round}");
            table.purge(idx);
            assert_eq!(table.get("again"), None, "round {round}");
        }
        assert_eq!((table.get("keep"), table.index.len()), (Some(keep), 1));
        // Entries left behind are dropped as the table fills: it stays small.
        assert!(
            table.index.handles.len() < 64,
            "{}",
            table.index.handles.len()
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Adds a contact with this id, unless one is indexed.
        Add(u8),
        /// Purges the nth indexed contact (modulo their number).
        Purge(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![3 => any::<u8>().prop_map(Op::Add), 2 => any::<usize>().prop_map(Op::Purge)]
    }

    proptest! {
        /// Against a map from id to handle: every id is found exactly when indexed, at its
        /// handle, the count and handles agree, and the table stays within a few times the
        /// most contacts ever indexed at once.
        #[test]
        fn agrees_with_a_map(ops in prop::collection::vec(op(), 1..600)) {
            let mut table = Table::default();
            let mut model: HashMap<String, ContactIdx> = HashMap::new();
            let mut peak = 0;
            for op in ops {
                match op {
                    Op::Add(n) => {
                        let id = format!("c{}", n % 40);
                        if !model.contains_key(&id) {
                            prop_assert_eq!(table.get(&id), None);
                            model.insert(id.clone(), table.add(&id));
                        }
                    }
                    Op::Purge(n) if !model.is_empty() => {
                        let mut ids: Vec<&String> = model.keys().collect();
                        ids.sort();
                        let id = ids[n % ids.len()].clone();
                        let idx = model.remove(&id).unwrap_or_default();
                        table.purge(idx);
                    }
                    Op::Purge(_) => {}
                }
                for n in 0..40 {
                    let id = format!("c{n}");
                    prop_assert_eq!(table.get(&id), model.get(&id).copied(), "{}", id);
                }
                prop_assert_eq!(table.index.len(), model.len());
                peak = peak.max(model.len());
                let mut handles: Vec<ContactIdx> = model.values().copied().collect();
                handles.sort_unstable();
                prop_assert_eq!(table.index.handles().collect::<Vec<_>>(), handles);
                prop_assert!(table.index.handles.len() <= 4 * peak + 4);
            }
        }
    }
}
