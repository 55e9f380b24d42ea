//! Interned skill names, with each skill's holders and queue depth.
//!
//! `holders[s]` is every agent with the skill, whatever its state; `queued[s]` counts the
//! queued contacts that require it. The lines of eligible agents per skill are per channel
//! (`channels.rs`).

use std::collections::BTreeSet;

use super::model::{AgentIdx, SkillId};
use super::names::Names;

#[derive(Debug, Clone, Default)]
pub(crate) struct SkillTable {
    names: Names,
    pub(crate) holders: Vec<BTreeSet<AgentIdx>>,
    /// Queued contacts requiring each skill.
    pub(crate) queued: Vec<u64>,
}

impl SkillTable {
    pub(crate) fn intern(&mut self, name: &str) -> SkillId {
        let (id, new) = self.names.intern(name);
        if new {
            self.holders.push(BTreeSet::new());
            self.queued.push(0);
        }
        id
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<SkillId> {
        self.names.lookup(name)
    }

    pub(crate) fn name(&self, id: SkillId) -> &str {
        self.names.name(id)
    }

    pub(crate) fn count(&self) -> usize {
        self.names.count()
    }
}
