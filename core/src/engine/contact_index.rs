//! Contacts by id: a hash table of slab handles that compares the ids held in the contact
//! records, instead of a map holding a copy of each id's pointer next to the handle.
//!
//! A center keeps every ended contact for the retention period, so at hundreds of thousands
//! of contacts per second the index holds hundreds of thousands of entries, and purging one
//! (its record ended long ago) lands on a part of the table no cache holds. A bucket here is
//! 5 bytes (a handle and hashbrown's control byte) instead of 25, a fifth of the memory, and a
//! removal compares handles, not strings.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::model::{Contact, ContactIdx};
use super::slab::Slab;

#[derive(Debug, Clone, Default)]
pub(crate) struct ContactIndex {
    handles: HashTable<ContactIdx>,
    hasher: RandomState,
}

impl ContactIndex {
    /// The handle of the contact with this id.
    pub(crate) fn get(&self, id: &str, contacts: &Slab<Contact>) -> Option<ContactIdx> {
        self.handles
            .find(self.hasher.hash_one(id.as_bytes()), |&idx| {
                contacts[idx].id.as_bytes() == id.as_bytes()
            })
            .copied()
    }

    /// Indexes the contact at `idx` under its id, which no indexed contact has.
    pub(crate) fn insert(&mut self, idx: ContactIdx, contacts: &Slab<Contact>) {
        let hasher = &self.hasher;
        let hash = hasher.hash_one(contacts[idx].id.as_bytes());
        self.handles.insert_unique(hash, idx, |&other| {
            hasher.hash_one(contacts[other].id.as_bytes())
        });
    }

    /// Forgets the contact at `idx`, indexed under the id with these bytes.
    pub(crate) fn remove(&mut self, id: &[u8], idx: ContactIdx) {
        if let Ok(entry) = self
            .handles
            .find_entry(self.hasher.hash_one(id), |&other| other == idx)
        {
            entry.remove();
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.handles.len()
    }

    /// Every indexed handle, in no particular order.
    pub(crate) fn handles(&self) -> impl Iterator<Item = ContactIdx> + '_ {
        self.handles.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::ContactIndex;
    use crate::engine::model::Contact;
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

    #[test]
    fn finds_inserts_and_forgets_by_id() {
        let mut contacts = Slab::default();
        let mut index = ContactIndex::default();
        let ids: Vec<String> = (0..1000).map(|i| format!("c{i}")).collect();
        let handles: Vec<u32> = ids
            .iter()
            .map(|id| {
                let idx = contacts.insert(contact(id));
                index.insert(idx, &contacts);
                idx
            })
            .collect();
        assert_eq!(index.len(), 1000);
        assert_eq!(index.get("c17", &contacts), Some(handles[17]));
        assert_eq!(index.get("c1000", &contacts), None);
        index.remove(b"c17", handles[17]);
        contacts.remove(handles[17]);
        assert_eq!(index.get("c17", &contacts), None);
        assert_eq!(index.get("c18", &contacts), Some(handles[18]));
        assert_eq!(index.len(), 999);
        let mut all: Vec<u32> = index.handles().collect();
        all.sort_unstable();
        assert!(all.iter().all(|&h| h != handles[17]) && all.len() == 999);
    }
}
