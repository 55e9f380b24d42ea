//! Errors of the command grammar and of the engine, with the reply code each one maps to.
//!
//! The code (`ERR`, `NOAGENT`, ...) is part of the command contract: the module sends
//! `"{code} {message}"` and the client maps the code back to a typed error, both through
//! [`AcdError::code`] and [`ErrorCode::parse`].

use thiserror::Error;

/// Every way an `ACD.*` command can fail. A failed command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AcdError {
    /// Too few (or, for fixed-arity commands, too many) arguments.
    #[error("wrong number of arguments for '{0}' command")]
    WrongArity(String),
    /// Unknown, duplicated or leftover argument, or a list shorter than its count.
    #[error("syntax error")]
    Syntax,
    /// A value that does not parse; the text says what it must be.
    #[error("{0}")]
    InvalidValue(String),
    /// The agent id is unknown in this center.
    #[error("no such agent '{0}'")]
    NoAgent(String),
    /// The contact id is unknown (or no longer retained) in this center.
    #[error("no such contact '{0}'")]
    NoContact(String),
    /// The id is already taken by an agent or by an active or retained contact.
    #[error("{kind} '{id}' already exists")]
    Exists {
        /// `agent` or `contact`.
        kind: &'static str,
        /// The id that is taken.
        id: String,
    },
    /// The agent is handling a contact, so it cannot change state this way.
    #[error("agent '{agent}' is handling contact '{contact}'")]
    BusyAgent {
        /// The busy agent.
        agent: String,
        /// The contact it handles.
        contact: String,
    },
    /// The center is closed: agents cannot become ready and contacts cannot be enqueued.
    #[error("center is closed")]
    Closed,
    /// `max-queue` contacts are already waiting and nobody can take this one now.
    #[error("queue is full ({0} contacts waiting)")]
    QueueFull(usize),
    /// `ACD.ACCEPT`/`ACD.REJECT` on a contact that is not being offered.
    #[error("contact '{contact}' is {state}, not offered")]
    NotOffered {
        /// The contact.
        contact: String,
        /// Its current state.
        state: &'static str,
    },
    /// A serialized center that cannot be decoded.
    #[error("invalid serialized center: {0}")]
    Corrupt(String),
}

/// The upper-case code that leads a reply error; stable across versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// `ERR`: arity, syntax, bad values.
    Err,
    /// `NOAGENT`.
    NoAgent,
    /// `NOCONTACT`.
    NoContact,
    /// `EXISTS`.
    Exists,
    /// `BUSYAGENT`.
    BusyAgent,
    /// `CLOSED`.
    Closed,
    /// `QUEUEFULL`.
    QueueFull,
    /// `NOTOFFERED`.
    NotOffered,
}

impl ErrorCode {
    /// The code as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Err => "ERR",
            ErrorCode::NoAgent => "NOAGENT",
            ErrorCode::NoContact => "NOCONTACT",
            ErrorCode::Exists => "EXISTS",
            ErrorCode::BusyAgent => "BUSYAGENT",
            ErrorCode::Closed => "CLOSED",
            ErrorCode::QueueFull => "QUEUEFULL",
            ErrorCode::NotOffered => "NOTOFFERED",
        }
    }

    /// The domain code a reply error starts with, if it is one of ours.
    pub fn parse(code: &str) -> Option<ErrorCode> {
        Some(match code {
            "ERR" => ErrorCode::Err,
            "NOAGENT" => ErrorCode::NoAgent,
            "NOCONTACT" => ErrorCode::NoContact,
            "EXISTS" => ErrorCode::Exists,
            "BUSYAGENT" => ErrorCode::BusyAgent,
            "CLOSED" => ErrorCode::Closed,
            "QUEUEFULL" => ErrorCode::QueueFull,
            "NOTOFFERED" => ErrorCode::NotOffered,
            _ => return None,
        })
    }
}

impl AcdError {
    /// The reply code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            AcdError::WrongArity(_)
            | AcdError::Syntax
            | AcdError::InvalidValue(_)
            | AcdError::Corrupt(_) => ErrorCode::Err,
            AcdError::NoAgent(_) => ErrorCode::NoAgent,
            AcdError::NoContact(_) => ErrorCode::NoContact,
            AcdError::Exists { .. } => ErrorCode::Exists,
            AcdError::BusyAgent { .. } => ErrorCode::BusyAgent,
            AcdError::Closed => ErrorCode::Closed,
            AcdError::QueueFull(_) => ErrorCode::QueueFull,
            AcdError::NotOffered { .. } => ErrorCode::NotOffered,
        }
    }

    /// The full reply line: code, space, message.
    pub fn reply_text(&self) -> String {
        format!("{} {}", self.code().as_str(), self)
    }

    pub(crate) fn invalid(text: &str) -> AcdError {
        AcdError::InvalidValue(text.to_owned())
    }
}
