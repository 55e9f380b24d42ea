//! Live events: `GET /v1/centers/{center}/events` and `.../agents/{agent}/events` stream the
//! center's event log as Server-Sent Events, as entries are appended.
//!
//! The entries come from the center's feed ([`super::feed`]): one blocked `ACD.EVENTS key SINCE
//! id BLOCK ms` per center and process, whatever the number of streams, so an entry reaches
//! the browser as soon as the module logs it. A stream reads the log itself (pages, never
//! blocking) to catch up: from its starting id, and whenever the feed's messages leave a hole
//! after the last entry it sent. The SSE `id:` of each message is the log id:
//! a client that reconnects sends it back as `Last-Event-ID` and continues after it, missing
//! nothing the log still holds. When the log no longer holds the entries right after that id
//! (trimmed to `events-max`), the stream first sends an `event: gap` message, so the client
//! knows to re-read current state. Messages have the default type (`message`) and carry the
//! entry as JSON, including its `type` (`acd.assign`, ...). The agent stream sends only the
//! entries naming that agent.
//!
//! If Redis fails mid-stream the stream stays open (keep-alive comments continue) and resumes
//! from the last id once Redis answers again. Shutdown ends every stream.
//!
//! With `Accept: application/json` (and not `text/event-stream`), the center route answers one
//! page of the log instead, for clients that poll.

use std::convert::Infallible;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::stream::{self, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};

use super::cursor::Cursor;
use super::feed::{log_end, Batch, Entry, BATCH, RETRY};
use super::openapi::{BadRequest, Unavailable};
use super::problem::ApiError;
use super::state::AppState;
use super::v1::model::{EventDoc, EventPage, EventsQuery};
use super::v1::paths::{AgentPath, CenterPath};
use crate::rest::extract::Params;

/// The center's events: a live SSE stream, or one JSON page with `Accept: application/json`.
#[utoipa::path(get, path = "/v1/centers/{center}/events", tag = "events",
    params(
        CenterPath,
        EventsQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event id (sent by EventSource on reconnect)"),
    ),
    responses(
        (status = 200, description = "An SSE stream of log entries (each `data:` an EventDoc, `id:` its id), or one page of them",
            content(
                (String = "text/event-stream"),
                (EventPage = "application/json"),
            )),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn center_events(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Params(query): Params<EventsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if wants_json(&headers) {
        let mut request = state.center(&path.center)?.events();
        if let Some(since) = query.since {
            request = request.since(since);
        }
        if let Some(count) = query.count {
            request = request.count(count);
        }
        let events = request.await?.into_iter().map(EventDoc::from).collect();
        return Ok(Json(EventPage { events }).into_response());
    }
    let since = last_event_id(&headers)?.or(query.since);
    stream(state, path.center, None, since).await
}

/// The events naming one agent (offers, assignments, state changes), as an SSE stream.
#[utoipa::path(get, path = "/v1/centers/{center}/agents/{agent}/events", tag = "events",
    params(
        AgentPath,
        EventsQuery,
        ("Last-Event-ID" = Option<u64>, Header, description = "Resume after this event id (sent by EventSource on reconnect)"),
    ),
    responses(
        (status = 200, description = "An SSE stream of the agent's log entries (each `data:` an EventDoc, `id:` its id)",
            content_type = "text/event-stream", body = String),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn agent_events(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
    Params(query): Params<EventsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let since = last_event_id(&headers)?.or(query.since);
    stream(state, path.center, Some(path.agent), since).await
}

fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    accept.contains("application/json") && !accept.contains("text/event-stream")
}

fn last_event_id(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| ApiError::invalid(format!("Last-Event-ID {text:?} is not an event id")))
}

/// Opens the stream: a subscription to the center's feed, the starting id (the log's end when
/// the client gave none), then the tail loop, which first catches up from that id.
async fn stream(
    state: AppState,
    key: String,
    agent: Option<String>,
    since: Option<u64>,
) -> Result<Response, ApiError> {
    // Subscribed before the starting point is fixed: whatever the log gains after it, the feed
    // or the catch-up delivers.
    let feed = state.subscribe(&key);
    let since = match since {
        Some(id) => id,
        None => log_end(&state.center(&key)?).await?,
    };
    tracing::info!(center = %key, agent = agent.as_deref(), since, "event stream opened");
    let tail = Tail {
        shutdown: state.shutdown(),
        state,
        key,
        feed,
        cursor: Cursor::new(agent, since),
    };
    let hello = SseEvent::default().comment("connected").retry(RETRY);
    let events = stream::once(async move { hello })
        .chain(stream::unfold(tail, |mut tail| async move {
            tail.next().await.map(|event| (event, tail))
        }))
        .map(Ok::<_, Infallible>);
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// One stream: its cursor, fed from the log while behind and from the feed otherwise.
struct Tail {
    state: AppState,
    key: String,
    feed: broadcast::Receiver<Batch>,
    cursor: Cursor,
    shutdown: watch::Receiver<bool>,
}

impl Tail {
    /// The next message, or `None` at shutdown.
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(event) = self.cursor.pop() {
                return Some(event);
            }
            if self.cursor.behind() {
                let read = read_page(&self.state, &self.key, self.cursor.since());
                let page = tokio::select! {
                    _ = self.shutdown.wait_for(|stop| *stop) => return None,
                    page = read => page,
                };
                match page {
                    Ok(entries) => self.cursor.take_page(&entries),
                    Err(err) => {
                        tracing::warn!(center = %self.key, error = %err, "event stream read failed");
                        tokio::select! {
                            _ = self.shutdown.wait_for(|stop| *stop) => return None,
                            _ = tokio::time::sleep(RETRY) => {}
                        }
                    }
                }
                continue;
            }
            let received = tokio::select! {
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
                received = self.feed.recv() => received,
            };
            match received {
                Ok(batch) => self.cursor.take_fed(&batch),
                // Messages were dropped while this stream was slow: read them from the log.
                Err(RecvError::Lagged(_)) => self.cursor.fell_behind(),
                // The feed ended (not while it has subscribers, but a new one is cheap).
                Err(RecvError::Closed) => {
                    self.feed = self.state.subscribe(&self.key);
                    self.cursor.fell_behind();
                }
            }
        }
    }
}

/// One page of `key`'s log after `since`, on the shared connection (never blocking).
async fn read_page(state: &AppState, key: &str, since: u64) -> Result<Vec<Entry>, ApiError> {
    let page = state
        .center(key)?
        .events()
        .since(since)
        .count(BATCH)
        .await?;
    Ok(page.into_iter().map(Entry::from).collect())
}

impl Drop for Tail {
    fn drop(&mut self) {
        tracing::info!(center = %self.key, agent = self.cursor.agent(), last = self.cursor.since(), "event stream closed");
    }
}
