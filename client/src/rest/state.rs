//! [`AppState`]: what every handler shares: the connection to Redis (kept alive by a
//! supervisor task), the default center, the event feeds and the shutdown signal.
//!
//! The client library's connection does not reconnect by itself, so the supervisor pings it
//! every [`PROBE_EVERY`] and replaces it when the server stops answering (restart, failover
//! behind a proxy). Requests made while no connection is up answer 503 at once instead of
//! waiting. Nothing here is per-client state: instances are interchangeable.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use acd_client::{Center, Client};
use tokio::sync::{broadcast, watch};

use super::config::Config;
use super::feed::{Batch, Feeds};
use super::problem::ApiError;

/// How often the supervisor checks the shared connection.
const PROBE_EVERY: Duration = Duration::from_secs(1);
/// How long a connect or a probe may take before the server counts as unreachable.
pub(crate) const REDIS_DEADLINE: Duration = Duration::from_secs(3);

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    /// `None` while Redis cannot be reached.
    client: RwLock<Option<Client>>,
    feeds: Feeds,
    shutdown: watch::Receiver<bool>,
}

impl AppState {
    /// State with no connection yet; [`AppState::supervise`] makes and keeps one.
    pub(crate) fn new(config: Config, shutdown: watch::Receiver<bool>) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                config,
                client: RwLock::new(None),
                feeds: Feeds::default(),
                shutdown,
            }),
        }
    }

    /// The center key the old API and the wallboard use by default.
    pub(crate) fn default_center(&self) -> &str {
        &self.inner.config.default_center
    }

    /// A receiver that turns `true` when the server is shutting down (long streams end then).
    pub(crate) fn shutdown(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.clone()
    }

    fn client(&self) -> Result<Client, ApiError> {
        self.inner
            .client
            .read()
            .ok()
            .and_then(|guard| guard.clone())
            .ok_or_else(|| ApiError::unavailable("redis is not reachable"))
    }

    /// A handle on `key` over the shared connection.
    pub(crate) fn center(&self, key: &str) -> Result<Center, ApiError> {
        Ok(self.client()?.center(key))
    }

    /// The feeds of the centers' event logs running in this process.
    pub(crate) fn feeds(&self) -> &Feeds {
        &self.inner.feeds
    }

    /// A subscription to `key`'s event log entries from now on (see [`Feeds`]).
    pub(crate) fn subscribe(&self, key: &str) -> broadcast::Receiver<Batch> {
        self.inner.feeds.subscribe(self, key)
    }

    /// A handle on `key` over a new connection of its own, for blocking reads.
    pub(crate) async fn dedicated_center(&self, key: &str) -> Result<Center, ApiError> {
        let client = self.client()?;
        match tokio::time::timeout(REDIS_DEADLINE, client.dedicated()).await {
            Ok(Ok(client)) => Ok(client.center(key)),
            Ok(Err(err)) => Err(err.into()),
            Err(_) => Err(ApiError::unavailable("redis did not accept a connection")),
        }
    }

    /// Connects, then keeps the connection alive until shutdown: a failed probe replaces it.
    pub(crate) async fn supervise(self) {
        let mut shutdown = self.shutdown();
        loop {
            if !self.probe().await {
                self.reconnect().await;
            }
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tokio::time::sleep(PROBE_EVERY) => {}
            }
        }
    }

    /// Whether the shared connection answers a PING in time.
    async fn probe(&self) -> bool {
        let Ok(client) = self.client() else {
            return false;
        };
        let mut connection = client.connection();
        let ping = redis::cmd("PING");
        let reply = ping.query_async::<String>(&mut connection);
        matches!(tokio::time::timeout(REDIS_DEADLINE, reply).await, Ok(Ok(_)))
    }

    async fn reconnect(&self) {
        let url = &self.inner.config.redis_url;
        let fresh = match tokio::time::timeout(REDIS_DEADLINE, Client::connect(url)).await {
            Ok(Ok(client)) => Some(client),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "redis connection failed");
                None
            }
            Err(_) => {
                tracing::warn!("redis connection timed out");
                None
            }
        };
        let was_up = self.client().is_ok();
        if let Ok(mut slot) = self.inner.client.write() {
            if fresh.is_some() {
                tracing::info!(redis = %redacted(url), "connected to redis");
            } else if was_up {
                tracing::warn!("lost the redis connection");
            }
            *slot = fresh;
        }
    }
}

/// The URL without its password, for logs.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_stay_out_of_logs() {
        assert_eq!(redacted("redis://u:secret@h:1/0"), "redis://***@h:1/0");
        assert_eq!(redacted("redis://h:1"), "redis://h:1");
    }
}
