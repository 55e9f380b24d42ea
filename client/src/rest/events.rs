//! Live events: `GET /v1/centers/{center}/events` and `.../agents/{agent}/events` stream the
//! center's event log as Server-Sent Events, as entries are appended.
//!
//! Each stream reads `ACD.EVENTS key SINCE id BLOCK ms` in a loop on a connection of its own
//! (a blocking read would hold up every request sharing a connection), so an entry reaches
//! the browser as soon as the module logs it. The SSE `id:` of each message is the log id:
//! a client that reconnects sends it back as `Last-Event-ID` and continues after it, missing
//! nothing the log still holds. When the log no longer holds the entries right after that id
//! (trimmed to `events-max`), the stream first sends an `event: gap` message, so the client
//! knows to re-read current state. Messages have the default type (`message`) and carry the
//! entry as JSON, including its `type` (`acd.assign`, ...). The agent stream sends only the
//! entries naming that agent.
//!
//! If Redis fails mid-stream the stream stays open (keep-alive comments continue) and resumes
//! from the last id once a new connection is up. Shutdown ends every stream.
//!
//! With `Accept: application/json` (and not `text/event-stream`), the center route answers one
//! page of the log instead, for clients that poll.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::IntoFuture;
use std::time::Duration;

use acd_client::Center;
use acd_core::Event;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::stream::{self, StreamExt};
use tokio::sync::watch;

use super::openapi::{BadRequest, Unavailable};
use super::problem::ApiError;
use super::state::AppState;
use super::v1::model::{EventDoc, EventPage, EventsQuery};
use super::v1::paths::{AgentPath, CenterPath};
use crate::rest::extract::Params;

/// How long one blocking read waits before it is renewed (bounds how late a dead
/// connection is noticed).
const BLOCK_MS: u64 = 10_000;
/// Entries read per call.
const BATCH: usize = 500;
/// The reconnection delay suggested to browsers, and the pause before reopening a failed
/// Redis connection.
const RETRY: Duration = Duration::from_secs(1);

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

/// Opens the stream: a dedicated connection, the starting id (the log's end when the client
/// gave none), then the tail loop.
async fn stream(
    state: AppState,
    key: String,
    agent: Option<String>,
    since: Option<u64>,
) -> Result<Response, ApiError> {
    let center = state.dedicated_center(&key).await?;
    let since = match since {
        Some(id) => id,
        None => log_end(&center).await?,
    };
    tracing::info!(center = %key, agent = agent.as_deref(), since, "event stream opened");
    let tail = Tail {
        shutdown: state.shutdown(),
        state,
        key,
        center,
        agent,
        since,
        pending: VecDeque::new(),
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

/// The id of the last entry in the log (0 when empty), by paging to its end.
async fn log_end(center: &Center) -> Result<u64, ApiError> {
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

/// One stream's position in the log.
struct Tail {
    state: AppState,
    key: String,
    center: Center,
    agent: Option<String>,
    /// The last id read.
    since: u64,
    /// Messages read but not yet sent.
    pending: VecDeque<SseEvent>,
    shutdown: watch::Receiver<bool>,
}

impl Tail {
    /// The next message, or `None` at shutdown.
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let read = self
                .center
                .events()
                .since(self.since)
                .count(BATCH)
                .block(BLOCK_MS)
                .into_future();
            let result = tokio::select! {
                _ = self.shutdown.wait_for(|stop| *stop) => return None,
                result = read => result,
            };
            match result {
                Ok(batch) => self.take(batch),
                Err(err) => {
                    tracing::warn!(center = %self.key, error = %err, "event stream read failed");
                    tokio::select! {
                        _ = self.shutdown.wait_for(|stop| *stop) => return None,
                        _ = tokio::time::sleep(RETRY) => {}
                    }
                    if let Ok(center) = self.state.dedicated_center(&self.key).await {
                        self.center = center;
                    }
                }
            }
        }
    }

    fn take(&mut self, batch: Vec<Event>) {
        if let Some(first) = batch.first() {
            if self.since > 0 && first.id > self.since + 1 {
                let gap = serde_json::json!({"after": self.since, "next": first.id});
                self.pending
                    .push_back(SseEvent::default().event("gap").data(gap.to_string()));
            }
        }
        for event in batch {
            self.since = event.id;
            if self
                .agent
                .as_ref()
                .is_some_and(|a| event.agent.as_ref() != Some(a))
            {
                continue;
            }
            let id = event.id.to_string();
            let data = serde_json::to_string(&EventDoc::from(event)).unwrap_or_default();
            self.pending
                .push_back(SseEvent::default().id(id).data(data));
        }
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        tracing::info!(center = %self.key, agent = self.agent.as_deref(), last = self.since, "event stream closed");
    }
}
