//! Interned skill names, with each skill's holders and queue depth.
//!
//! `holders[s]` is every agent with the skill, whatever its state; `queued[s]` counts the
//! queued contacts that require it. The lines of eligible agents per skill are per channel
//! (`channels.rs`).

use std::collections::{BTreeSet, HashMap};

use super::model::{AgentIdx, SkillId};

#[derive(Debug, Clone, Default)]
pub(crate) struct SkillTable {
    names: Vec<String>,
    ids: HashMap<String, SkillId>,
    pub(crate) holders: Vec<BTreeSet<AgentIdx>>,
    /// Queued contacts requiring each skill.
    pub(crate) queued: Vec<u64>,
}

impl SkillTable {
    pub(crate) fn intern(&mut self, name: &str) -> SkillId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as SkillId;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        self.holders.push(BTreeSet::new());
        self.queued.push(0);
        id
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<SkillId> {
        self.ids.get(name).copied()
    }

    pub(crate) fn name(&self, id: SkillId) -> &str {
        &self.names[id as usize]
    }

    pub(crate) fn count(&self) -> usize {
        self.names.len()
    }
}
