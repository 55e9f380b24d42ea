//! The engine's reply values, a small tree the module maps to RESP in one place.

/// A command's successful reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `+OK`.
    Ok,
    /// Null (no assignment, for example).
    Nil,
    /// A status word such as `completed`.
    Status(&'static str),
    /// A bulk string: an id, or a JSON document.
    Bulk(String),
    /// An integer.
    Int(i64),
    /// A floating-point number (RESP3 double; a bulk string under RESP2).
    Double(f64),
    /// An array.
    Array(Vec<Reply>),
    /// An ordered map (RESP3 map, RESP2 flat array), keys in a stable order.
    Map(Vec<(String, Reply)>),
}
