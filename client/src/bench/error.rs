//! Why a bench run failed.

/// Anything that stops a run; the binary prints it and exits non-zero.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BenchError {
    /// The server refused a command or the connection broke.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// Starting the server, copying the module or reading a file failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The server could not be started or is not usable (no module, not answering).
    #[error("server: {0}")]
    Server(String),
    /// A reply or an end state that the workload cannot produce when routing is correct.
    #[error("check failed: {0}")]
    Check(String),
}

pub(crate) type Result<T> = std::result::Result<T, BenchError>;
