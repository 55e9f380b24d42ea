//! [`Conn`]: a synchronous connection with helpers that send one command and check the shape of its reply.
//!
//! Commands are written either as one string split on whitespace (`"ACD.READY center a1 AT 5"`), or as a slice
//! or vector of arguments when one contains spaces or is empty (`&["ACD.AGENT.ADD", "center", "", "SKILLS",
//! "0"]`); see [`Args`]. Every helper panics with the command and the actual reply when the reply has another
//! type, so a test reads as a list of expectations.

use std::time::Duration;

use redis::{ConnectionLike, Value};

use crate::events::Event;
use crate::stats::Stats;

/// Arguments of one command.
pub trait Args {
    /// The arguments, command name first.
    fn to_args(&self) -> Vec<Vec<u8>>;
}

impl Args for str {
    /// Splits on whitespace.
    fn to_args(&self) -> Vec<Vec<u8>> {
        self.split_whitespace()
            .map(|a| a.as_bytes().to_vec())
            .collect()
    }
}

impl Args for String {
    fn to_args(&self) -> Vec<Vec<u8>> {
        self.as_str().to_args()
    }
}

impl<S: AsRef<[u8]>> Args for [S] {
    fn to_args(&self) -> Vec<Vec<u8>> {
        self.iter().map(|a| a.as_ref().to_vec()).collect()
    }
}

impl<S: AsRef<[u8]>, const N: usize> Args for [S; N] {
    fn to_args(&self) -> Vec<Vec<u8>> {
        self.as_slice().to_args()
    }
}

impl<S: AsRef<[u8]>> Args for Vec<S> {
    fn to_args(&self) -> Vec<Vec<u8>> {
        self.as_slice().to_args()
    }
}

impl<A: Args + ?Sized> Args for &A {
    fn to_args(&self) -> Vec<Vec<u8>> {
        (**self).to_args()
    }
}

/// Renders a command for failure messages (empty arguments and ones with spaces quoted).
pub fn show(args: impl Args) -> String {
    args.to_args()
        .iter()
        .map(|a| {
            let s = String::from_utf8_lossy(a);
            if s.is_empty() || s.contains(' ') {
                format!("{s:?}")
            } else {
                s.into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of an error reply as the server sent it (`CODE detail`), or None for any other reply.
pub fn error_text(reply: &Value) -> Option<String> {
    match reply {
        Value::ServerError(e) => Some(match e.details() {
            Some(detail) => format!("{} {detail}", e.code()),
            None => e.code().to_string(),
        }),
        _ => None,
    }
}

/// A synchronous RESP2 or RESP3 connection.
pub struct Conn {
    con: redis::Connection,
    resp3: bool,
}

impl Conn {
    /// Connects to `url` (`redis://127.0.0.1:PORT/`, add `?protocol=resp3` for RESP3).
    pub fn open(url: &str) -> Self {
        let client = redis::Client::open(url).unwrap_or_else(|e| panic!("bad URL {url}: {e}"));
        let con = client
            .get_connection_with_timeout(Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
        con.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("set read timeout");
        let resp3 = client.get_connection_info().redis.protocol != redis::ProtocolVersion::RESP2;
        Conn { con, resp3 }
    }

    /// The underlying `redis` connection, for binary replies (DUMP) and Pub/Sub.
    pub fn inner(&mut self) -> &mut redis::Connection {
        &mut self.con
    }

    /// Sends a command and returns its reply; an error reply is `Value::ServerError`. Panics on I/O errors.
    pub fn call(&mut self, args: impl Args) -> Value {
        let args = args.to_args();
        let mut cmd = redis::Cmd::new();
        for a in &args {
            cmd.arg(a.as_slice());
        }
        self.con
            .req_command(&cmd)
            .unwrap_or_else(|e| panic!("`{}`: connection error: {e}", show(&args)))
    }

    fn expect<T>(&mut self, args: impl Args, what: &str, f: impl FnOnce(&Value) -> Option<T>) -> T {
        let args = args.to_args();
        let reply = self.call(&args);
        f(&reply).unwrap_or_else(|| panic!("`{}`: expected {what}, got {reply:?}", show(&args)))
    }

    /// Expects `+OK`.
    pub fn ok(&mut self, args: impl Args) {
        self.expect(args, "+OK", |v| match v {
            Value::Okay => Some(()),
            Value::SimpleString(s) if s == "OK" => Some(()),
            _ => None,
        })
    }

    /// Expects an error reply and returns its full text (`CODE detail`).
    pub fn err(&mut self, args: impl Args) -> String {
        self.expect(args, "an error reply", error_text)
    }

    /// Expects a simple-string (status) reply other than OK, e.g. `+completed`.
    pub fn status(&mut self, args: impl Args) -> String {
        self.expect(args, "a status reply", |v| match v {
            Value::SimpleString(s) => Some(s.clone()),
            Value::Okay => Some("OK".into()),
            _ => None,
        })
    }

    /// Expects a bulk string or nil.
    pub fn bulk(&mut self, args: impl Args) -> Option<String> {
        self.expect(args, "a bulk string or nil", |v| match v {
            Value::Nil => Some(None),
            Value::BulkString(b) => Some(Some(String::from_utf8_lossy(b).into_owned())),
            _ => None,
        })
    }

    /// Runs a command line whose `@n` words become `AT <base + n>` (see [`crate::at`]) and
    /// expects a bulk string or nil.
    pub fn bulk_at(&mut self, command: &str) -> Option<String> {
        self.bulk(crate::at(command))
    }

    /// Expects an integer.
    pub fn int(&mut self, args: impl Args) -> i64 {
        self.expect(args, "an integer", |v| match v {
            Value::Int(i) => Some(*i),
            _ => None,
        })
    }

    /// Expects an array of bulk strings.
    pub fn strings(&mut self, args: impl Args) -> Vec<String> {
        self.expect(args, "an array of bulk strings", |v| match v {
            Value::Array(items) => items.iter().map(bulk_text).collect(),
            _ => None,
        })
    }

    /// Expects a bulk string holding JSON and parses it.
    pub fn json(&mut self, args: impl Args) -> serde_json::Value {
        self.expect(args, "a bulk string of JSON", |v| match v {
            Value::BulkString(b) => serde_json::from_slice(b).ok(),
            _ => None,
        })
    }

    /// Expects an array of `[contact, agent]` arrays (the ACD.DISPATCH reply).
    pub fn pairs(&mut self, args: impl Args) -> Vec<(String, String)> {
        self.expect(args, "an array of 2-element arrays", |v| match v {
            Value::Array(items) => items
                .iter()
                .map(|pair| match pair {
                    Value::Array(p) if p.len() == 2 => Some((bulk_text(&p[0])?, bulk_text(&p[1])?)),
                    _ => None,
                })
                .collect(),
            _ => None,
        })
    }

    /// Expects a map reply (a RESP3 map, or a flat name/value array under RESP2): its entries, in order.
    pub fn map(&mut self, args: impl Args) -> Vec<(String, Value)> {
        let resp3 = self.is_resp3();
        self.expect(args, "a map", |v| {
            let entries = crate::stats::pairs(v, resp3)?;
            Some(entries.into_iter().map(|(k, v)| (k, v.clone())).collect())
        })
    }

    /// Expects an `ACD.STATS` reply in this connection's protocol encoding (see [`Stats`]).
    pub fn stats(&mut self, args: impl Args) -> Stats {
        let resp3 = self.is_resp3();
        self.expect(args, "an ACD.STATS map", |v| Stats::parse(v, resp3))
    }

    /// Expects an array of `ACD.EVENTS` entries (see [`Event`]).
    pub fn events(&mut self, args: impl Args) -> Vec<Event> {
        let resp3 = self.is_resp3();
        self.expect(args, "an array of ACD.EVENTS entries", |v| {
            Event::parse_list(v, resp3)
        })
    }

    /// Expects an `ACD.EVENTS ... BLOCK` reply: nil (timed out) or an array of entries.
    pub fn events_or_nil(&mut self, args: impl Args) -> Option<Vec<Event>> {
        let resp3 = self.is_resp3();
        self.expect(args, "nil or an array of ACD.EVENTS entries", |v| {
            Event::parse_reply(v, resp3)
        })
    }

    /// True for a RESP3 connection.
    pub fn is_resp3(&self) -> bool {
        self.resp3
    }

    /// Expects PONG: the server is alive after whatever the test just sent.
    pub fn ping(&mut self) {
        self.expect("PING", "PONG", |v| match v {
            Value::SimpleString(s) if s == "PONG" => Some(()),
            _ => None,
        })
    }

    /// `EXISTS key`.
    pub fn exists(&mut self, key: &str) -> bool {
        self.int(["EXISTS", key]) == 1
    }

    /// `DEBUG DIGEST-VALUE key` as hex.
    pub fn digest_value(&mut self, key: &str) -> String {
        self.expect(["DEBUG", "DIGEST-VALUE", key], "one digest", |v| match v {
            Value::Array(items) if items.len() == 1 => text(&items[0]),
            _ => None,
        })
    }

    /// `DEBUG DIGEST` (the whole dataset) as hex.
    pub fn digest(&mut self) -> String {
        self.expect("DEBUG DIGEST", "a digest", text)
    }

    /// `BGREWRITEAOF`, waiting until the rewrite finished, and checking it succeeded.
    pub fn rewrite_aof(&mut self) {
        self.call("BGREWRITEAOF");
        crate::wait_for(Duration::from_secs(20), "the AOF rewrite to finish", || {
            self.info_field("persistence", "aof_rewrite_in_progress")
                .as_deref()
                == Some("0")
                && self
                    .info_field("persistence", "aof_rewrite_scheduled")
                    .as_deref()
                    == Some("0")
        });
        assert_eq!(
            self.info_field("persistence", "aof_last_bgrewrite_status")
                .as_deref(),
            Some("ok"),
            "BGREWRITEAOF failed"
        );
    }

    /// One `field:value` line of `INFO section`.
    pub fn info_field(&mut self, section: &str, field: &str) -> Option<String> {
        let info = self.expect(["INFO", section], "INFO text", text);
        info.lines().find_map(|line| {
            let (name, value) = line.trim_end().split_once(':')?;
            (name == field).then(|| value.to_string())
        })
    }
}

/// A bulk or simple string as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::SimpleString(s) => Some(s.clone()),
        Value::VerbatimString { text, .. } => Some(text.clone()),
        Value::Okay => Some("OK".into()),
        _ => None,
    }
}

/// A bulk string (only) as text.
fn bulk_text(v: &Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}
