//! [`Feeds`]: one reader of each center's event log per process, shared by every live stream
//! on that center ([`super::events`]).
//!
//! A blocked `ACD.EVENTS ... BLOCK` read is a blocked client inside Redis, and every entry the
//! module logs wakes each one on the thread that routes. With a connection per stream, fifty
//! open wallboards cost the server fifty wake-ups per assignment. Here the first stream on a
//! center starts a feed: one task, one dedicated connection, one blocked read. It turns each
//! entry into its JSON once and broadcasts it to the streams subscribed.
//!
//! A stream reads the log itself, in pages on the shared connection that never block, only to
//! catch up: from its starting id, after a hole in what the feed sent it (it subscribed while
//! the feed was starting, or fell so far behind that the channel dropped messages). So it misses
//! nothing the log still holds however the two overlap. A feed ends once no stream listens
//! (checked after each read, so at most [`BLOCK_MS`] later) or at shutdown; the next stream
//! starts a new one.

use std::collections::HashMap;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use acd_client::Center;
use acd_core::Event;
use tokio::sync::broadcast;

use super::problem::ApiError;
use super::state::AppState;
use super::v1::model::EventDoc;

/// How long one blocking read waits before it is renewed (bounds how late a dead connection,
/// or a feed no stream listens to any more, is noticed).
const BLOCK_MS: u64 = 10_000;
/// Entries read per call, by the feed and by a stream catching up.
pub(crate) const BATCH: usize = 500;
/// Batches a subscriber may fall behind before it misses some (and catches up from the log).
const CAPACITY: usize = 256;
/// The pause before reopening a failed Redis connection.
pub(crate) const RETRY: Duration = Duration::from_secs(1);

/// One log entry as the streams send it: its JSON is made once, by the first stream that
/// sends it (agent streams skip most entries).
#[derive(Debug)]
pub(crate) struct Entry {
    event: Event,
    json: OnceLock<String>,
}

impl Entry {
    /// The log id (the SSE `id:`).
    pub(crate) fn id(&self) -> u64 {
        self.event.id
    }

    /// The agent it names, for the agent streams' filter.
    pub(crate) fn agent(&self) -> Option<&str> {
        self.event.agent.as_deref()
    }

    /// The [`EventDoc`] as JSON (the SSE `data:`).
    pub(crate) fn json(&self) -> &str {
        self.json.get_or_init(|| {
            serde_json::to_string(&EventDoc::from(self.event.clone())).unwrap_or_default()
        })
    }
}

impl From<Event> for Entry {
    fn from(event: Event) -> Entry {
        Entry {
            event,
            json: OnceLock::new(),
        }
    }
}

/// Consecutive entries of one read, shared by every subscriber.
pub(crate) type Batch = Arc<[Entry]>;

/// The feeds running in this process, by center key.
#[derive(Default)]
pub(crate) struct Feeds {
    running: Mutex<HashMap<String, broadcast::Sender<Batch>>>,
}

impl Feeds {
    /// A subscription to `key`'s entries from now on, starting its feed if none runs.
    pub(crate) fn subscribe(&self, state: &AppState, key: &str) -> broadcast::Receiver<Batch> {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(sender) = running.get(key) {
            return sender.subscribe();
        }
        let (sender, receiver) = broadcast::channel(CAPACITY);
        running.insert(key.to_owned(), sender.clone());
        tokio::spawn(run(state.clone(), key.to_owned(), sender));
        receiver
    }

    /// Whether `key`'s feed has no subscriber left; if so it is forgotten, under the same lock
    /// [`Feeds::subscribe`] takes, so no stream subscribes to a feed that is ending.
    fn retire_if_unused(&self, key: &str) -> bool {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let unused = running
            .get(key)
            .is_none_or(|sender| sender.receiver_count() == 0);
        if unused {
            running.remove(key);
        }
        unused
    }
}

/// The feed's loop: blocked reads after the last id seen, each batch broadcast; a failed
/// connection is reopened after [`RETRY`].
async fn run(state: AppState, key: String, sender: broadcast::Sender<Batch>) {
    let mut shutdown = state.shutdown();
    let mut connection: Option<Center> = None;
    let mut since: Option<u64> = None;
    tracing::info!(center = %key, "event feed started");
    while !state.feeds().retire_if_unused(&key) {
        let read = async {
            let center = match connection.take() {
                Some(center) => center,
                None => state.dedicated_center(&key).await?,
            };
            let after = match since {
                Some(id) => id,
                None => log_end(&center).await?,
            };
            let read = center.events().since(after).count(BATCH).block(BLOCK_MS);
            let batch = read.into_future().await?;
            Ok::<_, ApiError>((center, after, batch))
        };
        let result = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            result = read => result,
        };
        match result {
            Ok((center, after, batch)) => {
                connection = Some(center);
                since = Some(batch.last().map_or(after, |event| event.id));
                if !batch.is_empty() {
                    let batch: Batch = batch.into_iter().map(Entry::from).collect();
                    // No subscriber left is not an error: the loop's check ends the feed.
                    let _ = sender.send(batch);
                }
            }
            Err(err) => {
                tracing::warn!(center = %key, error = %err, "event feed read failed");
                tokio::select! {
                    _ = shutdown.wait_for(|stop| *stop) => break,
                    _ = tokio::time::sleep(RETRY) => {}
                }
            }
        }
    }
    tracing::info!(center = %key, last = since, "event feed ended");
}

/// The id of the last entry in the log (0 when empty), by paging to its end.
pub(crate) async fn log_end(center: &Center) -> Result<u64, ApiError> {
    let mut last = 0;
    loop {
        let page = center.events().since(last).count(BATCH).await?;
        match page.last() {
            Some(entry) => last = entry.id,
            None => return Ok(last),
        }
        if page.len() < BATCH {
            return Ok(last);
        }
    }
}
