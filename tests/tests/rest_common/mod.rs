//! Shared by the `rest_*` tests: a redis-server with the module plus an `acd-rest` in front of it, and [`Api`], a
//! blocking HTTP client whose calls answer a [`Reply`] (status, JSON body, headers) to assert on.

#![allow(dead_code)] // each test binary uses its own subset

use acd_tests::rest::RestServer;
use acd_tests::RedisServer;
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::Method;
use serde_json::Value;

/// The default center of the shims these tests start.
pub const CENTER: &str = "center:test";

/// A redis-server and one shim in front of it.
pub fn start() -> (RedisServer, RestServer, Api) {
    let redis = RedisServer::start();
    let rest = RestServer::start(&redis, CENTER);
    let api = Api::new(&rest);
    (redis, rest, api)
}

/// One HTTP answer.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The body as JSON (`Null` when empty; a string when it is not JSON).
    pub body: Value,
    /// The `content-type` header.
    pub content_type: String,
    /// The `location` header.
    pub location: Option<String>,
}

impl Reply {
    /// Asserts the status and answers the body.
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }

    /// Asserts an RFC 7807 problem with this status and module code; answers its detail.
    pub fn problem(self, status: u16, code: Option<&str>) -> String {
        assert_eq!(
            self.content_type, "application/problem+json",
            "not a problem document: {self:?}"
        );
        let body = self.expect(status);
        assert_eq!(body["status"], status, "{body}");
        assert!(
            body["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("urn:acd:problem:")),
            "{body}"
        );
        assert!(body["title"].is_string(), "{body}");
        assert_eq!(body["code"].as_str(), code, "{body}");
        body["detail"].as_str().expect("a detail").to_owned()
    }

    /// Asserts the old API's 400 `{"detail": ...}`; answers the detail.
    pub fn legacy_error(self) -> String {
        let body = self.expect(400);
        let object = body.as_object().expect("an object");
        assert_eq!(object.len(), 1, "only a detail: {body}");
        body["detail"].as_str().expect("a detail").to_owned()
    }
}

/// A blocking HTTP client for one shim.
pub struct Api {
    base: String,
    http: Client,
}

impl Api {
    /// A client for `rest`.
    pub fn new(rest: &RestServer) -> Api {
        Api {
            base: rest.url(""),
            http: Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// Sends `method path` with an optional JSON body.
    pub fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        send(request)
    }

    /// Sends raw text as a JSON body (for malformed-body tests).
    pub fn raw(&self, method: Method, path: &str, body: &'static str) -> Reply {
        let request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        send(request)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None)
    }

    /// `POST path` with a JSON body.
    pub fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body))
    }

    /// `POST path` without a body.
    pub fn post_empty(&self, path: &str) -> Reply {
        self.call(Method::POST, path, None)
    }

    /// `PUT path` with a JSON body.
    pub fn put(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(body))
    }

    /// `PATCH path` with an optional JSON body.
    pub fn patch(&self, path: &str, body: Option<Value>) -> Reply {
        self.call(Method::PATCH, path, body)
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None)
    }
}

fn send(request: RequestBuilder) -> Reply {
    let response = request.send().expect("an HTTP response");
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let text = response.text().expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Reply {
        status,
        body,
        content_type,
        location,
    }
}

/// `/v1/centers/<CENTER><rest>`, with the center key percent-encoded as a browser would.
pub fn v1(rest: &str) -> String {
    format!("/v1/centers/center%3Atest{rest}")
}

/// One Server-Sent Events message, with the moment it was read.
#[derive(Debug, Clone)]
pub struct Message {
    /// `id:`.
    pub id: Option<u64>,
    /// `event:` (`None` for the default type).
    pub event: Option<String>,
    /// `data:` parsed as JSON.
    pub data: Value,
    /// When its last line arrived.
    pub at: std::time::Instant,
}

/// An open event stream, read by a thread; messages arrive on a channel.
pub struct EventStream {
    messages: std::sync::mpsc::Receiver<Message>,
}

impl EventStream {
    /// Opens `url` (optionally resuming after `last_event_id`) and waits for the server's first comment, so the
    /// stream's starting point is fixed when this returns.
    pub fn open(url: &str, last_event_id: Option<u64>) -> EventStream {
        use std::io::BufRead;
        let mut request = Client::builder()
            .timeout(None)
            .build()
            .expect("an HTTP client")
            .get(url)
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().expect("an event stream");
        assert_eq!(response.status().as_u16(), 200, "GET {url}");
        let content_type = response.headers().get("content-type").cloned();
        assert_eq!(
            content_type.as_ref().and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
        let mut reader = std::io::BufReader::new(response);
        let mut first = String::new();
        reader.read_line(&mut first).expect("the first line");
        assert_eq!(
            first.trim_end(),
            ": connected",
            "the stream opens with a comment"
        );
        let (send, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut id, mut event, mut data) = (None, None, String::new());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !data.is_empty() {
                        let message = Message {
                            id: id.take(),
                            event: event.take(),
                            data: serde_json::from_str(&data).expect("JSON data"),
                            at: std::time::Instant::now(),
                        };
                        if send.send(message).is_err() {
                            return;
                        }
                    }
                    data.clear();
                } else if let Some(v) = line.strip_prefix("id: ") {
                    id = v.parse().ok();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    event = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data.push_str(v);
                }
            }
        });
        EventStream { messages }
    }

    /// The next message, or `None` if none comes within `timeout` (or the stream ended).
    pub fn next(&self, timeout: std::time::Duration) -> Option<Message> {
        self.messages.recv_timeout(timeout).ok()
    }

    /// The next message of type `kind` (`data.type`), skipping others; panics after `timeout`.
    pub fn next_of(&self, kind: &str, timeout: std::time::Duration) -> Message {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let message = self
                .next(left)
                .unwrap_or_else(|| panic!("no {kind} event within {timeout:?}"));
            if message.data["type"] == kind {
                return message;
            }
        }
    }

    /// Whether the stream has ended (the server closed it) within `timeout`.
    pub fn ends_within(&self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(_) => continue,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return true,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return false,
            }
        }
    }
}
