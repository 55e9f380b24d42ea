//! [`Request`]: one `ACD.*` call being built. The [`crate::Center`] methods return one with
//! the required arguments set; optional ones are chained setters (`.priority(5)`,
//! `.at(ms)`, ...); awaiting it sends the command and reads the reply as [`Call::Output`].
//!
//! The request holds the core grammar's own struct for the command (for example
//! [`acd_core::command::Enqueue`]), so the arguments on the wire come from
//! [`acd_core::Command::encode`], the same code the module parses with.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use acd_core::command::{Accept, AgentAt, ContactAt};
use acd_core::command::{
    AgentAdd, AgentDel, AgentGet, AgentGrant, AgentMeta, AgentRevoke, Agents, Check, Close,
    Complete, Config, ConfigParam, ConfigValue, ContactGet, Dispatch, Enqueue, Estimate, Events,
    NotReady, Open, Queue, Ready, Reject, Relaxation, SkillDel, Stats, Tick,
};
use acd_core::{AgentState, Capacity, Command, ContactState, Event, Skill};
use redis::Value;
use serde::Serialize;

use crate::center::Center;
use crate::decode;
use crate::error::AcdClientError;
use crate::model::{Agent, Assignment, Contact};

/// A command this client can send, with the type its reply is read as. Implemented for the
/// core grammar's command structs (and [`ConfigGet`]/[`ConfigAll`]/[`ConfigSet`]); sealed.
pub trait Call: sealed::Sealed + Clone + Send + 'static {
    /// The typed reply.
    type Output: Send + 'static;

    /// The command, as the core grammar holds it.
    #[doc(hidden)]
    fn command(&self) -> Command;

    /// Reads the reply; `Err` describes a reply of the wrong shape.
    #[doc(hidden)]
    fn decode(&self, reply: Value) -> Result<Self::Output, String>;
}

/// A write that takes `AT ms` (its event time in Unix ms); sealed.
pub trait Stamped: Call {
    /// The `AT` slot.
    #[doc(hidden)]
    fn at_slot(&mut self) -> &mut Option<i64>;
}

mod sealed {
    pub trait Sealed {}
}

/// `ACD.CONFIG.GET key param`: answers the parameter's value (a read: replicas answer it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigGet(pub ConfigParam);

/// `ACD.CONFIG.GET key`: answers every parameter's value, in [`ConfigParam::ALL`]'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigAll;

/// `ACD.CONFIG key SET param value [AT ms]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigSet {
    /// The parameter and its new value.
    pub value: ConfigValue,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

macro_rules! calls {
    ($($ty:ty => $variant:ident: $out:ty = $decode:path;)*) => {$(
        impl sealed::Sealed for $ty {}
        impl Call for $ty {
            type Output = $out;
            fn command(&self) -> Command {
                Command::$variant(self.clone())
            }
            fn decode(&self, reply: Value) -> Result<$out, String> {
                $decode(reply)
            }
        }
    )*};
}

calls! {
    AgentAdd => AgentAdd: () = decode::ok;
    AgentDel => AgentDel: () = decode::ok;
    AgentGet => AgentGet: Agent = decode::json;
    AgentMeta => AgentMeta: () = decode::ok;
    AgentGrant => AgentGrant: () = decode::ok;
    AgentRevoke => AgentRevoke: () = decode::ok;
    SkillDel => SkillDel: u64 = decode::count;
    Ready => Ready: Option<String> = decode::optional_text;
    NotReady => NotReady: () = decode::ok;
    Agents => Agents: Vec<String> = decode::texts;
    Enqueue => Enqueue: Option<String> = decode::optional_text;
    Dispatch => Dispatch: Vec<Assignment> = decode::assignments;
    Complete => Complete: ContactState = decode::end_state;
    Accept => Accept: () = decode::ok;
    Reject => Reject: () = decode::ok;
    ContactGet => ContactGet: Contact = decode::json;
    Queue => Queue: Vec<String> = decode::texts;
    Open => Open: () = decode::ok;
    Close => Close: () = decode::ok;
    Stats => Stats: acd_core::StatsView = decode::stats;
    Tick => Tick: u64 = decode::count;
    Events => Events: Vec<Event> = decode::events;
    Check => Check: Vec<String> = decode::violations;
    Estimate => Estimate: Option<u64> = decode::optional_count;
}

impl sealed::Sealed for ConfigGet {}
impl Call for ConfigGet {
    type Output = ConfigValue;
    fn command(&self) -> Command {
        Command::ConfigGet(acd_core::command::ConfigGet {
            param: Some(self.0),
        })
    }
    fn decode(&self, reply: Value) -> Result<ConfigValue, String> {
        decode::config_value(self.0, reply)
    }
}

impl sealed::Sealed for ConfigAll {}
impl Call for ConfigAll {
    type Output = Vec<ConfigValue>;
    fn command(&self) -> Command {
        Command::ConfigGet(acd_core::command::ConfigGet { param: None })
    }
    fn decode(&self, reply: Value) -> Result<Vec<ConfigValue>, String> {
        decode::config_values(reply)
    }
}

impl sealed::Sealed for ConfigSet {}
impl Call for ConfigSet {
    type Output = ();
    fn command(&self) -> Command {
        Command::Config(Config::Set {
            value: self.value,
            at: self.at,
        })
    }
    fn decode(&self, reply: Value) -> Result<(), String> {
        decode::ok(reply)
    }
}

macro_rules! stamped {
    ($($ty:ty => |$c:ident| $slot:expr;)*) => {$(
        impl Stamped for $ty {
            fn at_slot(&mut self) -> &mut Option<i64> {
                let $c = self;
                $slot
            }
        }
    )*};
}

stamped! {
    AgentAdd => |c| &mut c.at;
    AgentDel => |c| &mut c.0.at;
    AgentMeta => |c| &mut c.at;
    AgentGrant => |c| &mut c.at;
    AgentRevoke => |c| &mut c.at;
    SkillDel => |c| &mut c.at;
    Ready => |c| &mut c.0.at;
    NotReady => |c| &mut c.at;
    Enqueue => |c| &mut c.at;
    Dispatch => |c| &mut c.at;
    Complete => |c| &mut c.0.at;
    Accept => |c| &mut c.0.at;
    Reject => |c| &mut c.0.at;
    Open => |c| &mut c.at;
    Close => |c| &mut c.at;
    Stats => |c| &mut c.at;
    Tick => |c| &mut c.at;
    Estimate => |c| &mut c.at;
    ConfigSet => |c| &mut c.at;
}

/// An agent id with no event time yet.
pub(crate) fn agent_at(agent: impl Into<String>) -> AgentAt {
    AgentAt {
        agent: agent.into(),
        at: None,
    }
}

/// A contact id with no event time yet.
pub(crate) fn contact_at(contact: impl Into<String>) -> ContactAt {
    ContactAt {
        contact: contact.into(),
        at: None,
    }
}

/// Serializes a meta value to the JSON text the command carries.
pub(crate) fn meta_text<M: Serialize + ?Sized>(meta: &M) -> Result<String, AcdClientError> {
    serde_json::to_string(meta).map_err(AcdClientError::Meta)
}

/// One call being built; await it (or call [`Request::send`]) to send it.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<C: Call> {
    center: Center,
    call: C,
    /// An argument that could not be encoded (a meta value serde refused): reported when
    /// the request is sent, so setters chain.
    error: Option<AcdClientError>,
}

impl<C: Call> Request<C> {
    pub(crate) fn new(center: Center, call: C) -> Request<C> {
        Request {
            center,
            call,
            error: None,
        }
    }

    /// The command as it will be sent (name and arguments via [`Command::name`] and
    /// [`Command::encode`]).
    pub fn command(&self) -> Command {
        self.call.command()
    }

    /// Sends the command and reads the reply.
    pub async fn send(self) -> Result<C::Output, AcdClientError> {
        if let Some(err) = self.error {
            return Err(err);
        }
        let command = self.call.command();
        let reply = self.center.execute(&command).await?;
        self.call
            .decode(reply)
            .map_err(|detail| AcdClientError::UnexpectedReply {
                command: command.name(),
                detail,
            })
    }

    /// Sends this request and then `next` in one round trip (a pipeline): `next` runs right
    /// after this one on the same connection. Both must address the same center (in a
    /// cluster, keys of the same slot). Both are sent even if one fails; the first error is
    /// returned.
    pub async fn send_with<D: Call>(
        self,
        next: Request<D>,
    ) -> Result<(C::Output, D::Output), AcdClientError> {
        if let Some(err) = self.error.or(next.error) {
            return Err(err);
        }
        let (first, second) = (self.call.command(), next.call.command());
        let [a, b] = self.center.execute_pair(&first, &second).await?;
        let unexpected = |command: &Command| {
            let name = command.name();
            move |detail| AcdClientError::UnexpectedReply {
                command: name,
                detail,
            }
        };
        let a = a.and_then(|v| self.call.decode(v).map_err(unexpected(&first)));
        let b = b.and_then(|v| next.call.decode(v).map_err(unexpected(&second)));
        Ok((a?, b?))
    }

    fn with_meta<M: Serialize + ?Sized>(
        mut self,
        meta: &M,
        slot: impl FnOnce(&mut C) -> &mut Option<String>,
    ) -> Self {
        match meta_text(meta) {
            Ok(text) => *slot(&mut self.call) = Some(text),
            Err(err) => self.error = Some(err),
        }
        self
    }

    pub(crate) fn failed(mut self, error: Option<AcdClientError>) -> Self {
        self.error = error;
        self
    }
}

impl<C: Stamped> Request<C> {
    /// Sets the event time (`AT ms`, Unix ms). Without it the module uses the server's
    /// clock (and replicates the time it used).
    pub fn at(mut self, ms: i64) -> Self {
        *self.call.at_slot() = Some(ms);
        self
    }
}

impl<C: Call> IntoFuture for Request<C> {
    type Output = Result<C::Output, AcdClientError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Request<AgentAdd> {
    /// `META json`: a JSON object (any value that serializes to one) kept verbatim.
    pub fn meta<M: Serialize + ?Sized>(self, meta: &M) -> Self {
        self.with_meta(meta, |c| &mut c.meta)
    }

    /// `CAPACITY channel=n...`: up to `slots` contacts of `channel` at once (0..=1000; the
    /// server refuses more). Call once per channel; the last call for a channel wins. Once
    /// set, channels not given have capacity 0, `voice` included (the default is `voice=1`).
    pub fn capacity(mut self, channel: impl Into<String>, slots: u32) -> Self {
        let entry = Capacity::new(channel, slots);
        let list = self.call.capacity.get_or_insert_with(Vec::new);
        list.retain(|c| c.channel != entry.channel);
        let at = list.partition_point(|c| c.channel < entry.channel);
        list.insert(at, entry);
        self
    }
}

impl Request<Enqueue> {
    /// `PRIORITY p`: higher is served first (default 0).
    pub fn priority(mut self, priority: i64) -> Self {
        self.call.priority = Some(priority);
        self
    }

    /// `CHANNEL name`: the channel the contact arrives on (default `voice`).
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.call.channel = Some(channel.into());
        self
    }

    /// `META json`: a JSON object (any value that serializes to one) kept verbatim.
    pub fn meta<M: Serialize + ?Sized>(self, meta: &M) -> Self {
        self.with_meta(meta, |c| &mut c.meta)
    }

    /// `THEN ms SKILLS n skill...`: after waiting `after_ms`, the contact needs these skills
    /// instead (steps in increasing time order).
    pub fn then(mut self, after_ms: u64, skills: impl IntoIterator<Item = Skill>) -> Self {
        self.call.relax.push(Relaxation {
            after_ms,
            skills: skills.into_iter().collect(),
        });
        self
    }
}

impl Request<NotReady> {
    /// `REASON text`: why the agent is not ready.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.call.reason = Some(reason.into());
        self
    }
}

impl Request<Agents> {
    /// `STATE s`: only agents in this state.
    pub fn state(mut self, state: AgentState) -> Self {
        self.call.state = Some(state);
        self
    }
}

impl Request<Dispatch> {
    /// `COUNT n`: at most this many assignments (positive).
    pub fn count(mut self, count: usize) -> Self {
        self.call.count = Some(count);
        self
    }
}

impl Request<Queue> {
    /// `COUNT n`: at most this many ids (positive).
    pub fn count(mut self, count: usize) -> Self {
        self.call.count = Some(count);
        self
    }
}

impl Request<Events> {
    /// `SINCE id`: only entries after this event id.
    pub fn since(mut self, id: u64) -> Self {
        self.call.since = Some(id);
        self
    }

    /// `COUNT n`: at most this many entries (default 100).
    pub fn count(mut self, count: usize) -> Self {
        self.call.count = Some(count);
        self
    }

    /// `BLOCK ms`: when nothing is new, wait up to `ms` (0: forever) for an entry; a timeout
    /// answers an empty list. Send it on a [`crate::Client::dedicated`] connection.
    pub fn block(mut self, ms: u64) -> Self {
        self.call.block = Some(ms);
        self
    }
}

impl Request<Estimate> {
    /// `PRIORITY p`: the priority the contact would have.
    pub fn priority(mut self, priority: i64) -> Self {
        self.call.priority = Some(priority);
        self
    }

    /// `CHANNEL name`: the channel it would arrive on (default `voice`).
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.call.channel = Some(channel.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills() -> Vec<Skill> {
        vec![Skill::new("english", 3), Skill::new("billing", 1)]
    }

    /// Every call the client builds parses back to itself with the module's parser.
    #[test]
    fn every_call_round_trips_through_the_grammar() {
        let calls: Vec<Command> = vec![
            AgentAdd {
                agent: "a1".into(),
                skills: skills(),
                capacity: Some(vec![Capacity::new("chat", 3), Capacity::new("voice", 1)]),
                meta: Some(r#"{"name":"Ana"}"#.into()),
                at: Some(5),
            }
            .command(),
            AgentDel(agent_at("a1")).command(),
            AgentGet { agent: "a1".into() }.command(),
            AgentMeta {
                agent: "a1".into(),
                meta: "{}".into(),
                at: None,
            }
            .command(),
            AgentGrant {
                agent: "a1".into(),
                skills: skills(),
                at: Some(1),
            }
            .command(),
            AgentRevoke {
                agent: "a1".into(),
                skills: vec!["english".into()],
                at: None,
            }
            .command(),
            SkillDel {
                skill: "english".into(),
                at: None,
            }
            .command(),
            Ready(agent_at("a1")).command(),
            NotReady {
                agent: "a1".into(),
                reason: Some("lunch break".into()),
                at: Some(9),
            }
            .command(),
            Agents {
                state: Some(AgentState::WrapUp),
            }
            .command(),
            Enqueue {
                contact: "c1".into(),
                skills: skills(),
                relax: vec![Relaxation {
                    after_ms: 30_000,
                    skills: vec![],
                }],
                channel: Some("chat".into()),
                priority: Some(-2),
                meta: Some("{}".into()),
                at: Some(3),
            }
            .command(),
            Dispatch {
                count: Some(2),
                at: None,
            }
            .command(),
            Complete(contact_at("c1")).command(),
            Accept(contact_at("c1")).command(),
            Reject(contact_at("c1")).command(),
            ContactGet {
                contact: "c1".into(),
            }
            .command(),
            Queue { count: None }.command(),
            Open { at: Some(1) }.command(),
            Close { at: None }.command(),
            Stats { at: Some(2) }.command(),
            ConfigGet(ConfigParam::SlaThreshold).command(),
            ConfigAll.command(),
            ConfigSet {
                value: ConfigValue::Number(ConfigParam::MaxWait, 60_000),
                at: Some(4),
            }
            .command(),
            ConfigSet {
                value: ConfigValue::VoiceBlocks(true),
                at: None,
            }
            .command(),
            Tick { at: None }.command(),
            Events {
                since: Some(3),
                count: Some(10),
                block: Some(0),
            }
            .command(),
            Check.command(),
            Estimate {
                skills: skills(),
                channel: Some("email".into()),
                priority: Some(1),
                at: None,
            }
            .command(),
        ];
        for command in calls {
            let args = command.encode();
            let refs: Vec<&[u8]> = args.iter().map(Vec::as_slice).collect();
            assert_eq!(
                Command::parse(command.name(), &refs),
                Ok(command.clone()),
                "{} {:?}",
                command.name(),
                args
            );
        }
    }

    #[test]
    fn meta_serializes_user_types() {
        #[derive(Serialize)]
        struct Person<'a> {
            name: &'a str,
            tier: u8,
        }
        let text = meta_text(&Person {
            name: "Ana",
            tier: 2,
        })
        .expect("serializable");
        assert_eq!(text, r#"{"name":"Ana","tier":2}"#);
        let map: std::collections::HashMap<Vec<u8>, u8> = [(vec![1u8], 1u8)].into();
        assert!(matches!(meta_text(&map), Err(AcdClientError::Meta(_))));
    }
}
