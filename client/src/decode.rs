//! Reads `ACD.*` replies into typed values. Accepts both protocols: a record is a RESP3 map
//! or a RESP2 flat `name, value, ...` array, and a double is a RESP3 double or a RESP2 bulk
//! string. A reply of another shape is an `Err` with a description, which the caller turns
//! into [`crate::AcdClientError::UnexpectedReply`].

use acd_core::command::{ConfigParam, ConfigValue};
use acd_core::{ContactState, Event, EventKind, StatsView};
use redis::Value;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number};

use crate::model::Assignment;

/// Why a reply could not be read.
pub(crate) type Decoded<T> = Result<T, String>;

fn unexpected<T>(expected: &str, got: &Value) -> Decoded<T> {
    Err(format!("expected {expected}, got {got:?}"))
}

/// `+OK`.
pub(crate) fn ok(v: Value) -> Decoded<()> {
    match v {
        Value::Okay => Ok(()),
        Value::SimpleString(ref s) if s == "OK" => Ok(()),
        other => unexpected("+OK", &other),
    }
}

fn text(v: Value) -> Decoded<String> {
    match v {
        Value::BulkString(bytes) => String::from_utf8(bytes).map_err(|e| e.to_string()),
        Value::SimpleString(s) => Ok(s),
        Value::VerbatimString { text, .. } => Ok(text),
        other => unexpected("a string", &other),
    }
}

/// A bulk string id, or nil.
pub(crate) fn optional_text(v: Value) -> Decoded<Option<String>> {
    match v {
        Value::Nil => Ok(None),
        other => text(other).map(Some),
    }
}

/// An array of bulk strings.
pub(crate) fn texts(v: Value) -> Decoded<Vec<String>> {
    match v {
        Value::Array(items) | Value::Set(items) => items.into_iter().map(text).collect(),
        other => unexpected("an array of strings", &other),
    }
}

/// An integer.
pub(crate) fn int(v: Value) -> Decoded<i64> {
    match v {
        Value::Int(n) => Ok(n),
        other => unexpected("an integer", &other),
    }
}

/// A non-negative integer.
pub(crate) fn count(v: Value) -> Decoded<u64> {
    let n = int(v)?;
    u64::try_from(n).map_err(|_| format!("expected a non-negative integer, got {n}"))
}

/// An integer, or nil.
pub(crate) fn optional_count(v: Value) -> Decoded<Option<u64>> {
    match v {
        Value::Nil => Ok(None),
        other => count(other).map(Some),
    }
}

/// A bulk string holding a JSON document.
pub(crate) fn json<T: DeserializeOwned>(v: Value) -> Decoded<T> {
    match v {
        Value::BulkString(bytes) => serde_json::from_slice(&bytes).map_err(|e| e.to_string()),
        other => unexpected("a JSON bulk string", &other),
    }
}

/// The status `ACD.COMPLETE` answers: the contact's end state.
pub(crate) fn end_state(v: Value) -> Decoded<ContactState> {
    let word = match v {
        Value::SimpleString(s) => s,
        other => return unexpected("a status word", &other),
    };
    ContactState::parse(&word).ok_or_else(|| format!("unknown contact state '{word}'"))
}

/// The `ACD.DISPATCH` reply: `[contact, agent]` pairs.
pub(crate) fn assignments(v: Value) -> Decoded<Vec<Assignment>> {
    let Value::Array(items) = v else {
        return unexpected("an array of pairs", &v);
    };
    items
        .into_iter()
        .map(|pair| match pair {
            Value::Array(p) if p.len() == 2 => {
                let mut p = p.into_iter();
                let contact = p.next().map_or(Ok(String::new()), text)?;
                let agent = p.next().map_or(Ok(String::new()), text)?;
                Ok(Assignment { contact, agent })
            }
            other => unexpected("a [contact, agent] pair", &other),
        })
        .collect()
}

/// `+OK` (nothing wrong), or the violations `ACD.CHECK` found.
pub(crate) fn violations(v: Value) -> Decoded<Vec<String>> {
    match v {
        Value::Okay => Ok(Vec::new()),
        Value::SimpleString(ref s) if s == "OK" => Ok(Vec::new()),
        other => texts(other),
    }
}

/// The value of `param` as `ACD.CONFIG GET` answers it.
pub(crate) fn config_value(param: ConfigParam, v: Value) -> Decoded<ConfigValue> {
    if param.is_numeric() {
        return count(v).map(|n| ConfigValue::Number(param, n));
    }
    ConfigValue::parse(param, &text(v)?).map_err(|e| e.to_string())
}

/// `ACD.CONFIG.GET key`: every parameter, named in [`ConfigParam::ALL`]'s order.
pub(crate) fn config_values(v: Value) -> Decoded<Vec<ConfigValue>> {
    let entries = fields(v)?;
    if entries.len() != ConfigParam::ALL.len() {
        return Err(format!(
            "expected {} parameters, got {}",
            ConfigParam::ALL.len(),
            entries.len()
        ));
    }
    ConfigParam::ALL
        .into_iter()
        .zip(entries)
        .map(|(param, (name, value))| {
            if name != param.as_str() {
                return Err(format!("expected {}, got {name}", param.as_str()));
            }
            config_value(param, value)
        })
        .collect()
}

/// The fields of a record: a RESP3 map or a RESP2 flat array, names as text.
fn fields(v: Value) -> Decoded<Vec<(String, Value)>> {
    match v {
        Value::Map(pairs) => pairs
            .into_iter()
            .map(|(name, value)| Ok((text(name)?, value)))
            .collect(),
        Value::Array(items) if items.len() % 2 == 0 => {
            let mut items = items.into_iter();
            let mut pairs = Vec::with_capacity(items.len() / 2);
            while let (Some(name), Some(value)) = (items.next(), items.next()) {
                pairs.push((text(name)?, value));
            }
            Ok(pairs)
        }
        other => unexpected("a map", &other),
    }
}

/// A scalar or nested record as JSON, for deserializing into a view type.
fn to_json(v: Value) -> Decoded<serde_json::Value> {
    Ok(match v {
        Value::Nil => serde_json::Value::Null,
        Value::Int(n) => n.into(),
        Value::Double(x) => float(x)?,
        // RESP2 sends doubles as bulk strings; nothing else in a record is a bulk string
        // that parses as a number except doubles, and a string field stays a string.
        Value::BulkString(bytes) => {
            let s = String::from_utf8(bytes).map_err(|e| e.to_string())?;
            match s.parse::<f64>() {
                Ok(x) => float(x)?,
                Err(_) => serde_json::Value::String(s),
            }
        }
        Value::SimpleString(s) => serde_json::Value::String(s),
        v @ (Value::Map(_) | Value::Array(_)) => {
            let mut object = Map::new();
            for (name, value) in fields(v)? {
                object.insert(name, to_json(value)?);
            }
            serde_json::Value::Object(object)
        }
        other => return unexpected("a number, string or map", &other),
    })
}

fn float(x: f64) -> Decoded<serde_json::Value> {
    Number::from_f64(x)
        .map(serde_json::Value::Number)
        .ok_or_else(|| format!("expected a finite number, got {x}"))
}

/// The `ACD.STATS` record.
pub(crate) fn stats(v: Value) -> Decoded<StatsView> {
    serde_json::from_value(to_json(v)?).map_err(|e| e.to_string())
}

/// Nil (a blocking read timed out) or an array of `ACD.EVENTS` entries.
pub(crate) fn events(v: Value) -> Decoded<Vec<Event>> {
    match v {
        Value::Nil => Ok(Vec::new()),
        Value::Array(items) => items.into_iter().map(event).collect(),
        other => unexpected("an array of events", &other),
    }
}

fn event(v: Value) -> Decoded<Event> {
    let (mut id, mut at, mut kind) = (None, None, None);
    let (mut agent, mut contact, mut reason) = (None, None, None);
    for (name, value) in fields(v)? {
        match name.as_str() {
            "id" => id = Some(count(value)?),
            "at" => at = Some(int(value)?),
            "type" => {
                let name = text(value)?;
                kind = Some(EventKind::parse(&name).ok_or(format!("unknown event type '{name}'"))?);
            }
            "agent" => agent = optional_text(value)?,
            "contact" => contact = optional_text(value)?,
            "reason" => reason = optional_text(value)?,
            // Fields a newer module may add are ignored.
            _ => {}
        }
    }
    match (id, at, kind) {
        (Some(id), Some(at), Some(kind)) => Ok(Event {
            id,
            at,
            kind,
            agent,
            contact,
            reason,
        }),
        _ => Err("an event without id, at or type".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    fn stats_fields(
        double: impl Fn(f64) -> Value,
        map: impl Fn(Vec<(Value, Value)>) -> Value,
    ) -> Vec<(Value, Value)> {
        let ints = [
            "agents_ready",
            "agents_notready",
            "agents_busy",
            "queued",
            "longest_wait_ms",
            "enqueued_total",
            "assigned_total",
            "completed_total",
            "abandoned_total",
            "avg_wait_ms",
            "agents_offered",
            "agents_wrapup",
            "timeout_total",
            "offered_total",
            "rejected_total",
            "noanswer_total",
            "aht_ms",
        ];
        let mut fields: Vec<(Value, Value)> = ints
            .iter()
            .enumerate()
            .map(|(i, name)| (bulk(name), Value::Int(i as i64)))
            .collect();
        fields.push((bulk("service_level"), double(0.5)));
        fields.push((bulk("abandon_rate"), double(0.0)));
        fields.push((bulk("occupancy"), double(1.0)));
        fields.push((
            bulk("queued_by_skill"),
            map(vec![(bulk("english"), Value::Int(3))]),
        ));
        fields.push((bulk("notready_ms_by_reason"), map(vec![])));
        fields
    }

    fn flat(pairs: Vec<(Value, Value)>) -> Value {
        Value::Array(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
    }

    #[test]
    fn stats_read_the_same_in_both_protocols() {
        let resp3 = Value::Map(stats_fields(Value::Double, Value::Map));
        let resp2 = flat(stats_fields(|x| bulk(&x.to_string()), flat));
        let a = stats(resp3).expect("RESP3 stats");
        let b = stats(resp2).expect("RESP2 stats");
        assert_eq!(a, b);
        assert_eq!(a.enqueued_total, 5);
        assert_eq!(a.aht_ms, 16);
        assert_eq!(a.service_level, 0.5);
        assert_eq!(a.occupancy, 1.0);
        assert_eq!(a.queued_by_skill.get("english"), Some(&3));
    }

    #[test]
    fn stats_missing_a_field_is_unexpected() {
        let mut fields = stats_fields(Value::Double, Value::Map);
        fields.remove(0);
        assert!(stats(Value::Map(fields)).is_err());
    }

    #[test]
    fn events_read_in_both_protocols_and_nil_is_empty() {
        let entry = vec![
            (bulk("id"), Value::Int(7)),
            (bulk("at"), Value::Int(1000)),
            (bulk("type"), bulk("acd.assign")),
            (bulk("agent"), bulk("a1")),
            (bulk("contact"), bulk("c1")),
            (bulk("reason"), Value::Nil),
        ];
        let want = Event {
            id: 7,
            at: 1000,
            kind: EventKind::Assigned,
            agent: Some("a1".into()),
            contact: Some("c1".into()),
            reason: None,
        };
        let resp3 = Value::Array(vec![Value::Map(entry.clone())]);
        let resp2 = Value::Array(vec![flat(entry)]);
        assert_eq!(events(resp3), Ok(vec![want.clone()]));
        assert_eq!(events(resp2), Ok(vec![want]));
        assert_eq!(events(Value::Nil), Ok(vec![]));
    }

    #[test]
    fn scalar_replies() {
        assert_eq!(ok(Value::Okay), Ok(()));
        assert!(ok(Value::Nil).is_err());
        assert_eq!(optional_text(Value::Nil), Ok(None));
        assert_eq!(optional_text(bulk("a1")), Ok(Some("a1".into())));
        assert_eq!(count(Value::Int(3)), Ok(3));
        assert!(count(Value::Int(-1)).is_err());
        assert_eq!(optional_count(Value::Nil), Ok(None));
        assert_eq!(
            end_state(Value::SimpleString("abandoned".into())),
            Ok(ContactState::Abandoned)
        );
        assert!(end_state(Value::SimpleString("nonsense".into())).is_err());
        assert_eq!(violations(Value::Okay), Ok(vec![]));
        assert_eq!(
            violations(Value::Array(vec![bulk("x")])),
            Ok(vec!["x".to_owned()])
        );
    }

    #[test]
    fn dispatch_pairs() {
        let reply = Value::Array(vec![Value::Array(vec![bulk("c1"), bulk("a1")])]);
        assert_eq!(
            assignments(reply),
            Ok(vec![Assignment {
                contact: "c1".into(),
                agent: "a1".into()
            }])
        );
        assert!(assignments(Value::Array(vec![Value::Array(vec![bulk("c1")])])).is_err());
    }

    #[test]
    fn config_values_by_param() {
        assert_eq!(
            config_value(ConfigParam::Mode, bulk("manual")),
            Ok(ConfigValue::Mode(acd_core::Mode::Manual))
        );
        assert_eq!(
            config_value(ConfigParam::Clock, bulk("client")),
            Ok(ConfigValue::Clock(acd_core::Clock::Client))
        );
        assert_eq!(
            config_value(ConfigParam::Retention, Value::Int(60)),
            Ok(ConfigValue::Number(ConfigParam::Retention, 60))
        );
        assert_eq!(
            config_value(ConfigParam::VoiceBlocks, bulk("yes")),
            Ok(ConfigValue::VoiceBlocks(true))
        );
        assert!(config_value(ConfigParam::Retention, bulk("60")).is_err());
        assert!(config_value(ConfigParam::VoiceBlocks, Value::Int(1)).is_err());
    }
}
