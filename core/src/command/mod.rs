//! The `ACD.*` command grammar, shared by the module (parsing) and the client (encoding).
//!
//! Each command is one struct whose `parse` and `encode` sit side by side (see [`Spec`]), so
//! the syntax is defined once. [`Command`] is the sum of them: [`Command::parse`] takes the
//! command name and the arguments after the center key; [`Command::encode`] gives them back.
//! Every write takes an optional `AT ms`; the module fills it in before replicating, so
//! replicas and AOF replay see the primary's time.

mod agent;
mod args;
mod center;
mod contact;

pub use agent::{
    AgentAdd, AgentAt, AgentDel, AgentGet, AgentGrant, AgentMeta, AgentRevoke, Agents, NotReady,
    Ready, SkillDel,
};
pub use center::{
    Check, Close, Config, ConfigGet, ConfigParam, ConfigValue, Events, Open, StateLoad, Stats, Tick,
};
pub use contact::{
    Accept, Complete, ContactAt, ContactGet, Dispatch, Enqueue, Estimate, Queue, Reject, Relaxation,
};

use crate::error::AcdError;
use args::{parse_at, set_once, ArgWriter, Args};
pub(crate) use center::yes_no;

/// One command's name, parser and encoder.
pub(crate) trait Spec: Sized {
    /// Upper-case command name, e.g. `ACD.ENQUEUE`.
    const NAME: &'static str;
    /// Parses the arguments after the center key.
    fn parse(args: &mut Args) -> Result<Self, AcdError>;
    /// Writes the arguments after the center key.
    fn encode(&self, w: &mut ArgWriter);
}

/// Only `[AT ms]` may follow; anything else is a syntax error.
pub(crate) fn at_only(args: &mut Args) -> Result<Option<i64>, AcdError> {
    let mut at = None;
    while let Some(keyword) = args.keyword()? {
        match keyword.as_str() {
            "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
            _ => return Err(AcdError::Syntax),
        }
    }
    Ok(at)
}

/// Whether a command changes the center (and so is replicated) or only reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Changes state; replicated with its event time.
    Write,
    /// Reads state only.
    Read,
}

macro_rules! commands {
    ($($variant:ident($ty:ty) = $access:ident),* $(,)?) => {
        /// A parsed `ACD.*` command (the arguments after the center key).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Command {
            $(
                #[doc = concat!("`", stringify!($variant), "`")]
                $variant($ty),
            )*
        }

        /// Every command name with its access, for registration.
        pub const COMMANDS: &[(&str, Access)] = &[$((<$ty as Spec>::NAME, Access::$access)),*];

        impl Command {
            /// Parses `args` (after the key) for the command `name` (any case).
            pub fn parse(name: &str, args: &[&[u8]]) -> Result<Command, AcdError> {
                $(
                    if name.eq_ignore_ascii_case(<$ty as Spec>::NAME) {
                        let mut cursor = Args::new(<$ty as Spec>::NAME, args);
                        return <$ty as Spec>::parse(&mut cursor).map(Command::$variant);
                    }
                )*
                Err(AcdError::InvalidValue(format!("unknown command '{name}'")))
            }

            /// The upper-case command name.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant(_) => <$ty as Spec>::NAME,)*
                }
            }

            /// The arguments that follow the center key.
            pub fn encode(&self) -> Vec<Vec<u8>> {
                let mut w = ArgWriter::default();
                match self {
                    $(Command::$variant(c) => c.encode(&mut w),)*
                }
                w.items
            }

            /// Whether the command writes.
            pub fn access(&self) -> Access {
                match self {
                    $(Command::$variant(_) => Access::$access,)*
                }
            }
        }
    };
}

commands! {
    AgentAdd(AgentAdd) = Write,
    AgentDel(AgentDel) = Write,
    AgentGet(AgentGet) = Read,
    AgentMeta(AgentMeta) = Write,
    AgentGrant(AgentGrant) = Write,
    AgentRevoke(AgentRevoke) = Write,
    SkillDel(SkillDel) = Write,
    Ready(Ready) = Write,
    NotReady(NotReady) = Write,
    Agents(Agents) = Read,
    Enqueue(Enqueue) = Write,
    Dispatch(Dispatch) = Write,
    Complete(Complete) = Write,
    Accept(Accept) = Write,
    Reject(Reject) = Write,
    ContactGet(ContactGet) = Read,
    Queue(Queue) = Read,
    Open(Open) = Write,
    Close(Close) = Write,
    Stats(Stats) = Read,
    Config(Config) = Write,
    ConfigGet(ConfigGet) = Read,
    Tick(Tick) = Write,
    Events(Events) = Read,
    Check(Check) = Read,
    Estimate(Estimate) = Read,
    StateLoad(StateLoad) = Write,
}

/// The `AT` field of a command that has one, borrowed shared or (with `mut`) exclusively: one
/// definition for [`Command::at`] and [`Command::at_mut`].
macro_rules! at_slot {
    ($cmd:expr $(, $mut:tt)?) => {
        Some(match $cmd {
            Command::AgentAdd(c) => &$($mut)? c.at,
            Command::AgentDel(AgentDel(c)) | Command::Ready(Ready(c)) => &$($mut)? c.at,
            Command::AgentMeta(c) => &$($mut)? c.at,
            Command::AgentGrant(c) => &$($mut)? c.at,
            Command::AgentRevoke(c) => &$($mut)? c.at,
            Command::SkillDel(c) => &$($mut)? c.at,
            Command::NotReady(c) => &$($mut)? c.at,
            Command::Enqueue(c) => &$($mut)? c.at,
            Command::Dispatch(c) => &$($mut)? c.at,
            Command::Complete(Complete(c))
            | Command::Accept(Accept(c))
            | Command::Reject(Reject(c)) => &$($mut)? c.at,
            Command::Tick(c) => &$($mut)? c.at,
            Command::Estimate(c) => &$($mut)? c.at,
            Command::Open(c) => &$($mut)? c.at,
            Command::Close(c) => &$($mut)? c.at,
            Command::Stats(c) => &$($mut)? c.at,
            Command::Config(Config::Set { at, .. }) => at,
            Command::Config(Config::Get(_))
            | Command::ConfigGet(_)
            | Command::AgentGet(_)
            | Command::Agents(_)
            | Command::ContactGet(_)
            | Command::Queue(_)
            | Command::Events(_)
            | Command::Check(_)
            | Command::StateLoad(_) => return None,
        })
    };
}

impl Command {
    /// The event time slot of a write that carries one (`None` for reads and state loads).
    pub fn at_mut(&mut self) -> Option<&mut Option<i64>> {
        at_slot!(self, mut)
    }

    /// The event time the command carries, if any.
    pub fn at(&self) -> Option<i64> {
        let slot: Option<&Option<i64>> = at_slot!(self);
        slot.copied().flatten()
    }

    /// Whether the command writes. `ACD.CONFIG GET` is the one read among writes.
    pub fn is_write(&self) -> bool {
        self.access() == Access::Write && !matches!(self, Command::Config(Config::Get(_)))
    }
}

#[cfg(test)]
mod tests;
