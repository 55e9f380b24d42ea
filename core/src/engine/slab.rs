//! A vector of slots with a free list: stable `u32` handles for agents, contacts and groups,
//! so the ordered indexes hold small copyable keys instead of strings.

/// Slots addressed by `u32` handles; freed handles are reused.
#[derive(Debug, Clone)]
pub(crate) struct Slab<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
    /// Emptied slots whose handles are not to be given out yet (see [`Slab::take`]).
    held: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            held: 0,
        }
    }
}

impl<T> Slab<T> {
    pub(crate) fn insert(&mut self, value: T) -> u32 {
        match self.free.pop() {
            Some(handle) => {
                self.slots[handle as usize] = Some(value);
                handle
            }
            None => {
                self.slots.push(Some(value));
                (self.slots.len() - 1) as u32
            }
        }
    }

    pub(crate) fn remove(&mut self, handle: u32) -> Option<T> {
        let value = self.take(handle)?;
        self.release(handle);
        Some(value)
    }

    /// Empties a slot but keeps its handle from being given out until [`Slab::release`], for
    /// handles that something outside the slab may still name.
    pub(crate) fn take(&mut self, handle: u32) -> Option<T> {
        let value = self.slots.get_mut(handle as usize)?.take()?;
        self.held += 1;
        Some(value)
    }

    /// Lets a handle emptied by [`Slab::take`] be given out again.
    pub(crate) fn release(&mut self, handle: u32) {
        self.held = self.held.saturating_sub(1);
        self.free.push(handle);
    }

    /// The entry of a handle, `None` if it is free or was never given.
    pub(crate) fn get(&self, handle: u32) -> Option<&T> {
        self.slots.get(handle as usize)?.as_ref()
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len() - self.free.len() - self.held
    }

    /// Live entries with their handles, in handle order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(handle, slot)| slot.as_ref().map(|value| (handle as u32, value)))
    }
}

impl<T> std::ops::Index<u32> for Slab<T> {
    type Output = T;
    /// Handles are only ever taken from live entries, so a miss is an engine bug.
    fn index(&self, handle: u32) -> &T {
        self.slots[handle as usize]
            .as_ref()
            .expect("live slab handle")
    }
}

impl<T> std::ops::IndexMut<u32> for Slab<T> {
    fn index_mut(&mut self, handle: u32) -> &mut T {
        self.slots[handle as usize]
            .as_mut()
            .expect("live slab handle")
    }
}

#[cfg(test)]
mod tests {
    use super::Slab;

    #[test]
    fn reuses_freed_handles() {
        let mut slab = Slab::default();
        let a = slab.insert("a");
        let b = slab.insert("b");
        assert_eq!(slab.remove(a), Some("a"));
        assert_eq!(slab.remove(a), None);
        assert_eq!(
            (slab.get(a), slab.get(b), slab.get(7)),
            (None, Some(&"b"), None)
        );
        let c = slab.insert("c");
        assert_eq!(c, a);
        assert_eq!((slab[b], slab[c], slab.len()), ("b", "c", 2));
    }

    #[test]
    fn a_taken_handle_is_reused_only_once_released() {
        let mut slab = Slab::default();
        let a = slab.insert("a");
        assert_eq!((slab.take(a), slab.len()), (Some("a"), 0));
        let b = slab.insert("b");
        assert_ne!(b, a);
        slab.release(a);
        assert_eq!((slab.insert("c"), slab.len()), (a, 2));
    }
}
