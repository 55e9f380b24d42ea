//! [`Stats`]: an `ACD.STATS` reply, parsed with its exact wire types checked.
//!
//! The reply is an ordered map of 22 fields ([`STATS_FIELDS`]): integers, three doubles (a RESP3 double, a bulk
//! string under RESP2) and two nested maps of integers (RESP3 maps, flat name/value arrays under RESP2). The
//! parser accepts only the encoding of the connection's protocol, so a double sent as a RESP3 bulk string, or a
//! map sent as a RESP3 array, is a failure, not a value.

use redis::Value;

/// The `ACD.STATS` fields, in reply order.
pub const STATS_FIELDS: [&str; 26] = [
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
    "service_level",
    "aht_ms",
    "abandon_rate",
    "occupancy",
    "queued_by_skill",
    "notready_ms_by_reason",
    "queued_by_channel",
    "agents_free_by_channel",
    "handling_by_channel",
    "assigned_by_channel",
];

/// The fields that are doubles.
pub const DOUBLE_FIELDS: [&str; 3] = ["service_level", "abandon_rate", "occupancy"];
/// The fields that are maps of integers.
pub const MAP_FIELDS: &[&str] = STATS_FIELDS.split_at(20).1;

/// One value of an `ACD.STATS` reply.
#[derive(Debug, Clone, PartialEq)]
pub enum StatValue {
    /// A count or a duration in ms.
    Int(i64),
    /// A ratio in 0..=1.
    Double(f64),
    /// Name -> integer, in reply order.
    Map(Vec<(String, i64)>),
}

/// A parsed `ACD.STATS` reply: fields in reply order.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats(pub Vec<(String, StatValue)>);

impl Stats {
    /// Parses a reply received on a RESP3 (`resp3`) or RESP2 connection; `None` when any part has another
    /// type than that protocol's encoding.
    pub fn parse(reply: &Value, resp3: bool) -> Option<Stats> {
        pairs(reply, resp3)?
            .into_iter()
            .map(|(name, value)| {
                let value = match value {
                    Value::Int(i) => StatValue::Int(*i),
                    Value::Double(x) if resp3 => StatValue::Double(*x),
                    Value::BulkString(b) if !resp3 => {
                        StatValue::Double(std::str::from_utf8(b).ok()?.parse().ok()?)
                    }
                    nested => StatValue::Map(
                        pairs(nested, resp3)?
                            .into_iter()
                            .map(|(k, v)| match v {
                                Value::Int(i) => Some((k, *i)),
                                _ => None,
                            })
                            .collect::<Option<_>>()?,
                    ),
                };
                Some((name, value))
            })
            .collect::<Option<_>>()
            .map(Stats)
    }

    /// The field names, in reply order.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|(name, _)| name.as_str()).collect()
    }

    fn get(&self, name: &str) -> &StatValue {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {name} in {self:?}"))
    }

    /// An integer field.
    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            StatValue::Int(i) => *i,
            other => panic!("{name} is not an integer: {other:?}"),
        }
    }

    /// A double field.
    pub fn double(&self, name: &str) -> f64 {
        match self.get(name) {
            StatValue::Double(x) => *x,
            other => panic!("{name} is not a double: {other:?}"),
        }
    }

    /// A map field.
    pub fn map(&self, name: &str) -> Vec<(String, i64)> {
        match self.get(name) {
            StatValue::Map(m) => m.clone(),
            other => panic!("{name} is not a map: {other:?}"),
        }
    }

    /// Every integer field with its value, in reply order.
    pub fn ints(&self) -> Vec<(String, i64)> {
        self.0
            .iter()
            .filter_map(|(name, v)| match v {
                StatValue::Int(i) => Some((name.clone(), *i)),
                _ => None,
            })
            .collect()
    }
}

/// The entries of a map reply: a RESP3 map, or a flat name/value array under RESP2. Names are bulk strings.
pub(crate) fn pairs(v: &Value, resp3: bool) -> Option<Vec<(String, &Value)>> {
    let name = |k: &Value| match k {
        Value::BulkString(b) => String::from_utf8(b.clone()).ok(),
        _ => None,
    };
    match v {
        Value::Map(entries) if resp3 => entries.iter().map(|(k, v)| Some((name(k)?, v))).collect(),
        Value::Array(flat) if !resp3 && flat.len() % 2 == 0 => flat
            .chunks(2)
            .map(|kv| Some((name(&kv[0])?, &kv[1])))
            .collect(),
        _ => None,
    }
}
