//! The contact queue, partitioned by requirement group.
//!
//! A group is one channel with one distinct requirement set (skills with minimum levels), so
//! every contact of a group can be served by exactly the same agents. Each queued contact
//! sits in the global routing order and in its group's order; a group with queued contacts is
//! "active". An agent that becomes ready checks each active group once (is it eligible, and
//! which group head comes first) instead of scanning contacts, and `DISPATCH` skips a whole
//! group as soon as no ready agent can serve its head.

use std::collections::BTreeSet;

use foldhash::HashMap;

use super::model::{ChannelId, ContactIdx, GroupId, Level, QueueKey};
use super::slab::Slab;

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) channel: ChannelId,
    /// Sorted by skill id.
    pub(crate) reqs: Vec<Level>,
    pub(crate) queued: BTreeSet<QueueKey>,
    /// Contacts (queued, assigned or retained) that use this group.
    refs: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Queue {
    pub(crate) order: BTreeSet<QueueKey>,
    /// (enqueued_at, seq) of every queued contact, for the longest wait.
    by_age: BTreeSet<(i64, u64)>,
    groups: Slab<Group>,
    /// Per channel, the group of each requirement set (looked up by slice, without a copy);
    /// a channel's map stays when it empties.
    group_ids: HashMap<ChannelId, HashMap<Vec<Level>, GroupId>>,
    active: BTreeSet<GroupId>,
}

impl Queue {
    /// The group for `reqs` (sorted by skill id) on `channel`, with one more reference.
    pub(crate) fn acquire_group(&mut self, channel: ChannelId, reqs: &[Level]) -> GroupId {
        let ids = self.group_ids.entry(channel).or_default();
        let id = match ids.get(reqs) {
            Some(&id) => id,
            None => {
                let id = self.groups.insert(Group {
                    channel,
                    reqs: reqs.to_vec(),
                    queued: BTreeSet::new(),
                    refs: 0,
                });
                ids.insert(reqs.to_vec(), id);
                id
            }
        };
        self.groups[id].refs += 1;
        id
    }

    /// Drops one reference; the group is freed with its last contact.
    pub(crate) fn release_group(&mut self, id: GroupId) {
        let group = &mut self.groups[id];
        group.refs -= 1;
        if group.refs == 0 {
            if let Some(group) = self.groups.remove(id) {
                if let Some(ids) = self.group_ids.get_mut(&group.channel) {
                    ids.remove(&group.reqs);
                }
            }
        }
    }

    pub(crate) fn group(&self, id: GroupId) -> &Group {
        &self.groups[id]
    }

    pub(crate) fn push(&mut self, key: QueueKey, group: GroupId) {
        self.order.insert(key);
        self.by_age.insert((key.enqueued_at, key.seq));
        self.groups[group].queued.insert(key);
        self.active.insert(group);
    }

    pub(crate) fn remove(&mut self, key: QueueKey, group: GroupId) {
        self.order.remove(&key);
        self.by_age.remove(&(key.enqueued_at, key.seq));
        let queued = &mut self.groups[group].queued;
        queued.remove(&key);
        if queued.is_empty() {
            self.active.remove(&group);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }

    pub(crate) fn oldest_enqueued_at(&self) -> Option<i64> {
        self.by_age.first().map(|&(at, _)| at)
    }

    /// Groups with at least one queued contact.
    pub(crate) fn active_groups(&self) -> impl Iterator<Item = (GroupId, &Group)> + '_ {
        self.active.iter().map(|&id| (id, &self.groups[id]))
    }

    /// Queued contacts on `channel` with exactly these requirements that a new contact of
    /// this `rank`, enqueued at `now`, would wait behind.
    pub(crate) fn ahead(&self, channel: ChannelId, reqs: &[Level], rank: i128, now: i64) -> usize {
        let Some(&group) = self.group_ids.get(&channel).and_then(|ids| ids.get(reqs)) else {
            return 0;
        };
        let limit = QueueKey {
            rank,
            enqueued_at: now,
            seq: u64::MAX,
            contact: u32::MAX,
        };
        self.groups[group].queued.range(..limit).count()
    }

    /// Gives every queued contact a new key (the ranking rule changed): O(q log q).
    pub(crate) fn rekey(&mut self, key_of: impl Fn(ContactIdx) -> QueueKey) {
        self.order = self.order.iter().map(|k| key_of(k.contact)).collect();
        for &id in &self.active {
            let group = &mut self.groups[id];
            group.queued = group.queued.iter().map(|k| key_of(k.contact)).collect();
        }
    }

    pub(crate) fn group_count(&self) -> usize {
        self.groups.len()
    }
}
