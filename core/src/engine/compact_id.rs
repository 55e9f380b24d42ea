//! A contact's id, the id of the agent that handled it, and an id in the event log: held
//! inline when short, shared when long.
//!
//! A center keeps every ended contact for the retention period and the last `events-max`
//! events (10,000 by default), and at hundreds of thousands of contacts per second purges one
//! contact and drops one event per assignment, long after they were made. An id in a separate
//! allocation made each of them a read of memory no cache holds any more and a free; shared
//! between the contact and its events, also reference-count traffic on every event (dropping
//! the oldest event was about 4 % of the server's time in a profile at 180,000 assignments
//! per second), and a handling agent's id shared with the agent a locked count increment at
//! each assignment and a decrement at each purge (a full fence that waits for every cache
//! miss in flight: 9 % of the server's time at 236,000 per second). Held inline, a short id
//! lives in the record or the log entry that owns it.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Bytes an id may have to be held inline (the enum stays 24 bytes, the size of the shared
/// form with its tag).
const INLINE: usize = 22;

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum CompactId {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Arc<str>),
}

impl CompactId {
    /// The id of a record that shares it: copied when short, else shared.
    pub(crate) fn of(id: &Arc<str>) -> CompactId {
        Self::inline(id).unwrap_or_else(|| CompactId::Shared(Arc::clone(id)))
    }

    fn inline(id: &str) -> Option<CompactId> {
        let len = id.len();
        let mut bytes = [0; INLINE];
        bytes.get_mut(..len)?.copy_from_slice(id.as_bytes());
        Some(CompactId::Inline {
            len: len as u8,
            bytes,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Copied from a `str` whole, so always valid UTF-8.
            CompactId::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            CompactId::Shared(id) => id,
        }
    }

    /// The id's bytes, without the UTF-8 check of [`CompactId::as_str`] (for hashing and
    /// comparing on the hot path).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            CompactId::Inline { len, bytes } => &bytes[..usize::from(*len)],
            CompactId::Shared(id) => id.as_bytes(),
        }
    }
}

impl From<&str> for CompactId {
    fn from(id: &str) -> CompactId {
        Self::inline(id).unwrap_or_else(|| CompactId::Shared(id.into()))
    }
}

impl Deref for CompactId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for CompactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{CompactId, INLINE};

    #[test]
    fn short_ids_are_inline_and_long_ones_shared() {
        let short: Arc<str> = "w1-1234567".into();
        let id = CompactId::of(&short);
        assert!(matches!(id, CompactId::Inline { .. }));
        assert_eq!((&*id, Arc::strong_count(&short)), ("w1-1234567", 1));

        let edge: Arc<str> = "é".repeat(INLINE / 2).into();
        assert_eq!(&*CompactId::of(&edge), &*edge);
        assert!(matches!(CompactId::from(&*edge), CompactId::Inline { .. }));

        let long: Arc<str> = "0b6c1f0e-8d7a-4c39-9d4e-2f7b8a6c5e41".into();
        let id = CompactId::of(&long);
        assert!(matches!(id, CompactId::Shared(_)));
        assert_eq!((&*id, Arc::strong_count(&long)), (&*long, 2));
        assert_eq!(CompactId::from(&*long), id);

        assert_eq!(CompactId::from(""), CompactId::of(&Arc::from("")));
        assert_eq!(std::mem::size_of::<CompactId>(), 24);
    }
}
