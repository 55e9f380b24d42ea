//! [`Event`]: one entry of an `ACD.EVENTS` reply, parsed with its exact wire shape checked.
//!
//! Each entry is a map with the keys `id`, `at`, `type`, `agent`, `contact`, `reason` in this order (a RESP3
//! map, a flat name/value array under RESP2); `id` and `at` are integers, `type` a bulk string, the others a
//! bulk string or nil.

use redis::Value;

/// The keys of an event entry, in reply order.
pub const EVENT_KEYS: [&str; 6] = ["id", "at", "type", "agent", "contact", "reason"];

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Log id, increasing within a center.
    pub id: u64,
    /// When it happened (Unix ms).
    pub at: u64,
    /// What happened, e.g. `acd.assign`.
    pub kind: String,
    /// The agent concerned.
    pub agent: Option<String>,
    /// The contact concerned.
    pub contact: Option<String>,
    /// A not-ready reason or a configuration change (`param=value`).
    pub reason: Option<String>,
}

impl Event {
    /// An expected event, for comparisons: `Event::new(3, at, "acd.ready", Some("a1"), None, None)`.
    pub fn new(
        id: u64,
        at: u64,
        kind: &str,
        agent: Option<&str>,
        contact: Option<&str>,
        reason: Option<&str>,
    ) -> Event {
        Event {
            id,
            at,
            kind: kind.to_string(),
            agent: agent.map(String::from),
            contact: contact.map(String::from),
            reason: reason.map(String::from),
        }
    }

    /// The reply `ACD.EVENTS` answers: `None` for nil (a BLOCK that timed out), else the entries; `None` is
    /// also what a malformed reply gives, so callers that expect entries use [`Event::parse_list`].
    pub fn parse_reply(reply: &Value, resp3: bool) -> Option<Option<Vec<Event>>> {
        match reply {
            Value::Nil => Some(None),
            other => Event::parse_list(other, resp3).map(Some),
        }
    }

    /// An array of entries.
    pub fn parse_list(reply: &Value, resp3: bool) -> Option<Vec<Event>> {
        match reply {
            Value::Array(items) => items.iter().map(|e| Event::parse(e, resp3)).collect(),
            _ => None,
        }
    }

    fn parse(entry: &Value, resp3: bool) -> Option<Event> {
        let fields: Vec<(&Value, &Value)> = match entry {
            Value::Map(entries) if resp3 => entries.iter().map(|(k, v)| (k, v)).collect(),
            Value::Array(flat) if !resp3 && flat.len() % 2 == 0 => {
                flat.chunks(2).map(|kv| (&kv[0], &kv[1])).collect()
            }
            _ => return None,
        };
        let keys: Vec<&[u8]> = fields
            .iter()
            .map(|(k, _)| match k {
                Value::BulkString(b) => Some(b.as_slice()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        if keys != EVENT_KEYS.map(str::as_bytes) {
            return None;
        }
        let int = |v: &Value| match v {
            Value::Int(i) => u64::try_from(*i).ok(),
            _ => None,
        };
        let text = |v: &Value| match v {
            Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
            _ => None,
        };
        let optional = |v: &Value| match v {
            Value::Nil => Some(None),
            other => text(other).map(Some),
        };
        Some(Event {
            id: int(fields[0].1)?,
            at: int(fields[1].1)?,
            kind: text(fields[2].1)?,
            agent: optional(fields[3].1)?,
            contact: optional(fields[4].1)?,
            reason: optional(fields[5].1)?,
        })
    }
}
