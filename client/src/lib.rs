//! `acd-client`: a typed async client for the ACD Redis module's `ACD.*` commands, and the
//! contact-center simulator behind the `acd-sim` binary ([`sim`]).
//!
//! Start at [`Client`] (connect to one server with [`Client::connect`] or to a Redis Cluster
//! with [`Client::connect_cluster`]), then [`Client::center`] for a [`Center`] handle with
//! one method per command. A method returns a [`Request`]: chain the optional arguments,
//! then `.await` it for the typed reply ([`Agent`], [`Contact`], [`Stats`], [`Assignment`],
//! ids, counts). Arguments are encoded by the core crate's grammar
//! ([`acd_core::Command::encode`]), the same code the module parses with, so the syntax is
//! defined once. Errors are an [`AcdClientError`].
//!
//! ```no_run
//! use acd_client::{AcdClientError, Client, Skill};
//!
//! # async fn demo() -> Result<(), AcdClientError> {
//! let client = Client::connect("redis://127.0.0.1:6379").await?;
//! let sales = client.center("sales");
//!
//! sales
//!     .agent_add("ana", [Skill::new("english", 5), Skill::new("billing", 1)])
//!     .meta(&serde_json::json!({"name": "Ana Pérez"}))
//!     .await?;
//! sales.ready("ana").await?;
//!
//! // Routed at once: the reply is the agent that got the contact.
//! let agent = sales
//!     .enqueue("call-1", [Skill::new("english", 3)])
//!     .priority(5)
//!     .await?;
//! assert_eq!(agent.as_deref(), Some("ana"));
//!
//! let contact = sales.contact_get("call-1").await?;
//! println!("{} waited {:?} ms", contact.id, contact.assigned_at.map(|t| t - contact.enqueued_at));
//! sales.complete("call-1").await?;
//!
//! match sales.agent_get("bob").await {
//!     Err(AcdClientError::NoAgent(message)) => println!("{message}"),
//!     other => println!("{other:?}"),
//! }
//! let stats = sales.stats().await?;
//! println!("{} handled, occupancy {:.0}%", stats.completed_total, stats.occupancy * 100.0);
//! # Ok(())
//! # }
//! ```
//!
//! # Errors and retries
//!
//! A reply error with an ACD code becomes its variant ([`AcdClientError::NoAgent`],
//! [`AcdClientError::Exists`], ...; `ERR` replies are [`AcdClientError::Syntax`] or
//! [`AcdClientError::InvalidArgument`]): the command was refused and changed nothing.
//! Everything else stays an [`AcdClientError::Redis`]; ask it
//! [`AcdClientError::is_connection_error`] (the command may or may not have been applied),
//! [`AcdClientError::is_try_again`], [`AcdClientError::is_redirect`] or
//! [`AcdClientError::is_transient`] (not applied; the same call may succeed later). Against
//! a cluster, the `redis` crate already follows `MOVED`/`ASK` and retries `TRYAGAIN` a few
//! times before it reports them.
//!
//! ## Retrying `ACD.ENQUEUE` after a lost reply
//!
//! When an enqueue fails with a connection error, the caller cannot tell whether the
//! server applied it. Retry the same call with the same contact id: the id makes it
//! idempotent. If the retry answers [`AcdClientError::Exists`], the first attempt was applied
//! (the contact is queued or already assigned) and [`Center::contact_get`] tells where it is
//! now, including the agent the lost reply would have named. To keep the enqueue time of a
//! retried contact the time of the first attempt, set it explicitly with `.at(ms)` and send
//! the same value every time. This holds while the contact id is retained: an ended contact
//! keeps its id taken for the center's `retention` (one hour by default), so retry within
//! that window, and never reuse contact ids.
//!
//! ```no_run
//! use acd_client::{AcdClientError, Center, Skill};
//!
//! /// Enqueues `id` exactly once, however many replies are lost; answers its agent if any.
//! async fn enqueue_once(sales: &Center, id: &str, at_ms: i64) -> Result<Option<String>, AcdClientError> {
//!     loop {
//!         match sales.enqueue(id, [Skill::new("english", 1)]).at(at_ms).await {
//!             Ok(agent) => return Ok(agent),
//!             // Applied by an earlier attempt whose reply was lost.
//!             Err(AcdClientError::Exists(_)) => return Ok(sales.contact_get(id).await?.agent),
//!             Err(e) if e.is_connection_error() || e.is_transient() => continue,
//!             Err(e) => return Err(e),
//!         }
//!     }
//! }
//! ```
//!
//! The other writes need less care: `ACD.COMPLETE` on a contact that already ended answers
//! its end state again, `ACD.READY` on a ready agent keeps its place in line, and
//! `ACD.AGENT.ADD` answers `EXISTS` once applied.
//!
//! `ACD.STATE.LOAD` (the module's internal AOF-rewrite command, which replaces a whole
//! center) has no method; [`Center::execute`] sends any command of the grammar.
#![warn(missing_docs, unreachable_pub)]

mod center;
mod client;
mod decode;
mod error;
mod model;
mod request;
pub mod sim;

pub use center::Center;
pub use client::{Client, Connection};
pub use error::AcdClientError;
pub use model::{Agent, Assignment, Contact, Meta, Stats};
pub use request::{Call, ConfigAll, ConfigGet, ConfigSet, Request, Stamped};

/// The core types that appear in this client's arguments and replies.
pub use acd_core::{
    command::{ConfigParam, ConfigValue},
    AgentState, Clock, ContactState, ErrorCode, Event, EventKind, Mode, Skill, Strategy,
};
