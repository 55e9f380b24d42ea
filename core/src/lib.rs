//! `acd-core`: the contact-center routing engine and the `ACD.*` command grammar.
//!
//! Pure and deterministic: no Redis, no clock, no randomness. Time comes in as `now_ms`
//! arguments; assignments and events come out as values. The Redis module parses with
//! [`Command::parse`], runs [`Center::execute`], and turns the [`Reply`] into RESP; the client
//! builds the same commands with [`Command::encode`].
//!
//! Start with [`Center`] (engine), then [`command`] (grammar).

#![warn(missing_docs, unreachable_pub)]

mod channel;
pub mod command;
mod engine;
mod error;
mod reply;
mod skill;
mod state;
mod view;

pub use channel::{Capacity, MAX_CAPACITY, VOICE};
pub use command::{Access, Command, COMMANDS};
pub use engine::{
    Center, Event, EventKind, Events, Execution, DEFAULT_RETENTION_S, ENCODING_VERSION,
};
pub use error::{AcdError, ErrorCode};
pub use reply::Reply;
pub use skill::{Skill, MAX_LEVEL, MIN_LEVEL};
pub use state::{AgentState, Clock, ContactState, Mode, Strategy};
pub use view::{AgentView, ContactView, StatsView};
