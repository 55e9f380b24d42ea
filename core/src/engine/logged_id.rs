//! An agent or contact id as the event log keeps it: a short id copied into the entry, a
//! longer one shared with its record.
//!
//! The log holds the last `events-max` events (10,000 by default) and drops the oldest as
//! each new one comes. Sharing every id with its record made each event two reference-count
//! increments and, when it left the log, two decrements on records long out of the caches
//! (the contact's may be the last reference, freeing it there): dropping the oldest entry
//! was about 4 % of the server's time in a profile at 180,000 assignments per second.
//! Copying short ids makes both ends touch the log entry only.

use std::fmt;
use std::sync::Arc;

/// Bytes an id may have to be copied (the enum stays 24 bytes, the size of the shared form
/// with its tag).
const INLINE: usize = 22;

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum LoggedId {
    Inline { len: u8, bytes: [u8; INLINE] },
    Shared(Arc<str>),
}

impl LoggedId {
    /// The id of a record: copied when short, else shared.
    pub(crate) fn of(id: &Arc<str>) -> LoggedId {
        Self::copied(id).unwrap_or_else(|| LoggedId::Shared(Arc::clone(id)))
    }

    fn copied(id: &str) -> Option<LoggedId> {
        let len = id.len();
        let mut bytes = [0; INLINE];
        bytes.get_mut(..len)?.copy_from_slice(id.as_bytes());
        Some(LoggedId::Inline {
            len: len as u8,
            bytes,
        })
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Copied from a `str` whole, so always valid UTF-8.
            LoggedId::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            LoggedId::Shared(id) => id,
        }
    }
}

impl From<&str> for LoggedId {
    fn from(id: &str) -> LoggedId {
        Self::copied(id).unwrap_or_else(|| LoggedId::Shared(id.into()))
    }
}

impl fmt::Debug for LoggedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{LoggedId, INLINE};

    #[test]
    fn short_ids_are_copied_and_long_ones_shared() {
        let short: Arc<str> = "w1-1234567".into();
        let logged = LoggedId::of(&short);
        assert!(matches!(logged, LoggedId::Inline { .. }));
        assert_eq!(
            (logged.as_str(), Arc::strong_count(&short)),
            ("w1-1234567", 1)
        );

        let edge: Arc<str> = "é".repeat(INLINE / 2).into();
        assert_eq!(LoggedId::of(&edge).as_str(), &*edge);
        assert!(matches!(LoggedId::of(&edge), LoggedId::Inline { .. }));

        let long: Arc<str> = "0b6c1f0e-8d7a-4c39-9d4e-2f7b8a6c5e41".into();
        let logged = LoggedId::of(&long);
        assert!(matches!(logged, LoggedId::Shared(_)));
        assert_eq!((logged.as_str(), Arc::strong_count(&long)), (&*long, 2));

        assert_eq!(LoggedId::from(""), LoggedId::of(&Arc::from("")));
        assert_eq!(std::mem::size_of::<LoggedId>(), 24);
    }
}
