//! [`AcdClientError`]: every way a call can fail, with the reply's error code mapped to a
//! variant in one place ([`AcdClientError::from_redis`], through [`ErrorCode::parse`]).
//!
//! Domain errors (`NOAGENT`, `EXISTS`, ...) and argument errors (`ERR ...`) mean the command
//! was refused and changed nothing; retrying it unchanged gives the same answer. Everything
//! the `redis` crate reports otherwise (connection loss, `MOVED`, `TRYAGAIN`, `CLUSTERDOWN`,
//! `LOADING`, `READONLY`, timeouts) stays a [`AcdClientError::Redis`], with the original error
//! inside and the predicates below to tell the retryable cases apart.

use acd_core::ErrorCode;
use redis::{ErrorKind, RedisError};
use thiserror::Error;

/// A failed `ACD.*` call. The domain variants hold the server's message (`no such agent 'a1'`).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum AcdClientError {
    /// `NOAGENT`: the agent id is unknown in this center.
    #[error("{0}")]
    NoAgent(String),
    /// `NOCONTACT`: the contact id is unknown, or no longer retained.
    #[error("{0}")]
    NoContact(String),
    /// `EXISTS`: the agent or contact id is taken. After a lost `ACD.ENQUEUE` reply this
    /// means the first attempt was applied (see the crate docs on retries).
    #[error("{0}")]
    Exists(String),
    /// `BUSYAGENT`: an offer to the agent is pending (READY and NOTREADY wait for its answer).
    #[error("{0}")]
    BusyAgent(String),
    /// `CLOSED`: the center is closed; READY and ENQUEUE are refused until it opens.
    #[error("{0}")]
    Closed(String),
    /// `QUEUEFULL`: `max-queue` contacts wait and nobody can take this one now.
    #[error("{0}")]
    QueueFull(String),
    /// `NOTOFFERED`: ACCEPT or REJECT on a contact that is not being offered.
    #[error("{0}")]
    NotOffered(String),
    /// `ERR syntax error` or `ERR wrong number of arguments ...`: the command was malformed.
    #[error("{0}")]
    Syntax(String),
    /// `ERR <what> must be ...`: a value was out of range or badly formed (a level, an id,
    /// a count, the meta object, ...).
    #[error("{0}")]
    InvalidArgument(String),
    /// `WRONGTYPE`: the center key holds another type of value.
    #[error("{0}")]
    WrongType(String),
    /// The meta value could not be serialized to JSON.
    #[error("meta is not serializable to JSON: {0}")]
    Meta(#[source] serde_json::Error),
    /// The server answered with a reply this client cannot read as the command's result
    /// (a module of another version, or another command behind the name).
    #[error("unexpected reply to {command}: {detail}")]
    UnexpectedReply {
        /// The command name, e.g. `ACD.STATS`.
        command: &'static str,
        /// What was expected and what came.
        detail: String,
    },
    /// Anything else the `redis` crate reports: I/O and connection errors, timeouts, cluster
    /// redirections it gave up on (`MOVED`, `ASK`), `TRYAGAIN`, `CLUSTERDOWN`, `LOADING`,
    /// `READONLY`, an unknown command (module not loaded), ...
    #[error(transparent)]
    Redis(#[from] RedisError),
}

/// The code of an `ERR` reply whose detail is a malformed command rather than a bad value.
const SYNTAX_DETAILS: [&str; 2] = ["syntax error", "wrong number of arguments"];

impl AcdClientError {
    /// Maps an error from the `redis` crate: a reply error with one of the ACD codes becomes
    /// its variant; everything else is kept as [`AcdClientError::Redis`].
    pub fn from_redis(err: RedisError) -> AcdClientError {
        let detail = err.detail().unwrap_or_default().to_owned();
        let Some(code) = err.code() else {
            return AcdClientError::Redis(err);
        };
        if code == "WRONGTYPE" {
            return AcdClientError::WrongType(detail);
        }
        match ErrorCode::parse(code) {
            Some(ErrorCode::NoAgent) => AcdClientError::NoAgent(detail),
            Some(ErrorCode::NoContact) => AcdClientError::NoContact(detail),
            Some(ErrorCode::Exists) => AcdClientError::Exists(detail),
            Some(ErrorCode::BusyAgent) => AcdClientError::BusyAgent(detail),
            Some(ErrorCode::Closed) => AcdClientError::Closed(detail),
            Some(ErrorCode::QueueFull) => AcdClientError::QueueFull(detail),
            Some(ErrorCode::NotOffered) => AcdClientError::NotOffered(detail),
            // An unknown command is a deployment problem (module not loaded), not a bad
            // argument: keep the redis error.
            Some(ErrorCode::Err) if detail.starts_with("unknown command") => {
                AcdClientError::Redis(err)
            }
            Some(ErrorCode::Err) if SYNTAX_DETAILS.iter().any(|s| detail.starts_with(s)) => {
                AcdClientError::Syntax(detail)
            }
            Some(ErrorCode::Err) => AcdClientError::InvalidArgument(detail),
            None => AcdClientError::Redis(err),
        }
    }

    /// The ACD reply code of a refused command (`ERR` for syntax and argument errors), or
    /// `None` for every other error.
    pub fn code(&self) -> Option<ErrorCode> {
        Some(match self {
            AcdClientError::NoAgent(_) => ErrorCode::NoAgent,
            AcdClientError::NoContact(_) => ErrorCode::NoContact,
            AcdClientError::Exists(_) => ErrorCode::Exists,
            AcdClientError::BusyAgent(_) => ErrorCode::BusyAgent,
            AcdClientError::Closed(_) => ErrorCode::Closed,
            AcdClientError::QueueFull(_) => ErrorCode::QueueFull,
            AcdClientError::NotOffered(_) => ErrorCode::NotOffered,
            AcdClientError::Syntax(_) | AcdClientError::InvalidArgument(_) => ErrorCode::Err,
            _ => return None,
        })
    }

    /// The underlying `redis` error, for [`AcdClientError::Redis`].
    pub fn redis(&self) -> Option<&RedisError> {
        match self {
            AcdClientError::Redis(err) => Some(err),
            _ => None,
        }
    }

    /// The connection failed or was lost (refused, reset, closed, timed out): the command
    /// may or may not have been applied.
    pub fn is_connection_error(&self) -> bool {
        self.redis().is_some_and(|e| {
            e.is_io_error()
                || e.is_connection_dropped()
                || e.is_connection_refusal()
                || e.is_timeout()
                || e.kind() == ErrorKind::ClusterConnectionNotFound
        })
    }

    /// `MOVED` or `ASK`: the key lives on another cluster node (the cluster client follows
    /// these itself; seeing one means it gave up). The command was not applied.
    pub fn is_redirect(&self) -> bool {
        self.redis()
            .is_some_and(|e| matches!(e.kind(), ErrorKind::Moved | ErrorKind::Ask))
    }

    /// `TRYAGAIN`: the key's slot is being migrated. The command was not applied.
    pub fn is_try_again(&self) -> bool {
        self.redis()
            .is_some_and(|e| e.kind() == ErrorKind::TryAgain)
    }

    /// The server refused for a transient reason (`TRYAGAIN`, `CLUSTERDOWN`, `MASTERDOWN`,
    /// `LOADING`, `MOVED`/`ASK`): the command was not applied, and the same call may succeed
    /// later.
    pub fn is_transient(&self) -> bool {
        self.redis().is_some_and(|e| {
            matches!(
                e.kind(),
                ErrorKind::TryAgain
                    | ErrorKind::ClusterDown
                    | ErrorKind::MasterDown
                    | ErrorKind::BusyLoadingError
                    | ErrorKind::Moved
                    | ErrorKind::Ask
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(code: &str, detail: &str) -> RedisError {
        let known = match code {
            "ERR" => Some(ErrorKind::ResponseError),
            "MOVED" => Some(ErrorKind::Moved),
            "ASK" => Some(ErrorKind::Ask),
            "TRYAGAIN" => Some(ErrorKind::TryAgain),
            "CLUSTERDOWN" => Some(ErrorKind::ClusterDown),
            "LOADING" => Some(ErrorKind::BusyLoadingError),
            "READONLY" => Some(ErrorKind::ReadOnly),
            _ => None,
        };
        match known {
            Some(kind) => RedisError::from((kind, "server error", detail.to_owned())),
            None => redis::make_extension_error(code.to_owned(), Some(detail.to_owned())),
        }
    }

    /// Reply code, detail, what the error must be, and the ACD code it must report.
    type Case = (
        &'static str,
        &'static str,
        fn(&AcdClientError) -> bool,
        Option<ErrorCode>,
    );

    #[test]
    fn each_code_maps_to_its_variant_with_the_message() {
        let cases: &[Case] = &[
            (
                "NOAGENT",
                "no such agent 'a1'",
                |e| matches!(e, AcdClientError::NoAgent(m) if m == "no such agent 'a1'"),
                Some(ErrorCode::NoAgent),
            ),
            (
                "NOCONTACT",
                "no such contact 'c1'",
                |e| matches!(e, AcdClientError::NoContact(_)),
                Some(ErrorCode::NoContact),
            ),
            (
                "EXISTS",
                "contact 'c1' already exists",
                |e| matches!(e, AcdClientError::Exists(_)),
                Some(ErrorCode::Exists),
            ),
            (
                "BUSYAGENT",
                "agent 'a1' is handling contact 'c1'",
                |e| matches!(e, AcdClientError::BusyAgent(_)),
                Some(ErrorCode::BusyAgent),
            ),
            (
                "CLOSED",
                "center is closed",
                |e| matches!(e, AcdClientError::Closed(_)),
                Some(ErrorCode::Closed),
            ),
            (
                "QUEUEFULL",
                "queue is full (3 contacts waiting)",
                |e| matches!(e, AcdClientError::QueueFull(_)),
                Some(ErrorCode::QueueFull),
            ),
            (
                "NOTOFFERED",
                "contact 'c1' is queued, not offered",
                |e| matches!(e, AcdClientError::NotOffered(_)),
                Some(ErrorCode::NotOffered),
            ),
            (
                "ERR",
                "syntax error",
                |e| matches!(e, AcdClientError::Syntax(m) if m == "syntax error"),
                Some(ErrorCode::Err),
            ),
            (
                "ERR",
                "wrong number of arguments for 'acd.ready' command",
                |e| matches!(e, AcdClientError::Syntax(_)),
                Some(ErrorCode::Err),
            ),
            (
                "ERR",
                "priority must be an integer",
                |e| matches!(e, AcdClientError::InvalidArgument(m) if m == "priority must be an integer"),
                Some(ErrorCode::Err),
            ),
            (
                "WRONGTYPE",
                "Operation against a key holding the wrong kind of value",
                |e| matches!(e, AcdClientError::WrongType(_)),
                None,
            ),
            (
                "ERR",
                "unknown command 'ACD.READY', with args beginning with: ",
                |e| matches!(e, AcdClientError::Redis(_)),
                None,
            ),
            (
                "MOVED",
                "3999 127.0.0.1:6381",
                |e| e.is_redirect() && e.is_transient(),
                None,
            ),
            ("ASK", "3999 127.0.0.1:6381", |e| e.is_redirect(), None),
            (
                "TRYAGAIN",
                "Multiple keys request during rehashing of slot",
                |e| e.is_try_again() && e.is_transient() && !e.is_redirect(),
                None,
            ),
            (
                "CLUSTERDOWN",
                "The cluster is down",
                |e| e.is_transient(),
                None,
            ),
            (
                "LOADING",
                "Redis is loading the dataset in memory",
                |e| e.is_transient(),
                None,
            ),
            (
                "READONLY",
                "You can't write against a read only replica.",
                |e| matches!(e, AcdClientError::Redis(_)) && !e.is_transient(),
                None,
            ),
        ];
        for (code, detail, check, want_code) in cases {
            let err = AcdClientError::from_redis(reply(code, detail));
            assert!(check(&err), "{code} {detail} became {err:?}");
            assert_eq!(err.code(), *want_code, "{code} {detail}");
            assert!(
                !err.is_connection_error(),
                "{code} is a reply, not a connection error"
            );
        }
    }

    #[test]
    fn io_errors_are_connection_errors() {
        for kind in [
            std::io::ErrorKind::ConnectionRefused,
            std::io::ErrorKind::ConnectionReset,
            std::io::ErrorKind::BrokenPipe,
            std::io::ErrorKind::TimedOut,
        ] {
            let err = AcdClientError::from_redis(std::io::Error::from(kind).into());
            assert!(err.is_connection_error(), "{kind:?}");
            assert!(!err.is_transient() && !err.is_redirect() && err.code().is_none());
        }
    }

    #[test]
    fn messages_are_the_servers() {
        let err = AcdClientError::from_redis(reply("NOAGENT", "no such agent 'a1'"));
        assert_eq!(err.to_string(), "no such agent 'a1'");
    }
}
