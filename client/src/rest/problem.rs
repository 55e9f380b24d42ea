//! [`ApiError`]: every way a request fails, mapped in one place from the client library's
//! [`AcdClientError`] to an HTTP status, and written as RFC 7807 `application/problem+json`
//! ([`Problem`]) by the v1 API, or as `{"detail": ...}` by the old API ([`LegacyError`]).
//!
//! Statuses: 400 bad argument or body (`ERR`), 404 unknown agent, contact or resource
//! (`NOAGENT`, `NOCONTACT`), 409 conflicting state (`EXISTS`, `BUSYAGENT`, `NOTOFFERED`,
//! `WRONGTYPE`), 423 center closed (`CLOSED`), 429 queue full (`QUEUEFULL`: a normal business
//! condition the caller should back off from, not a fault of the service, so it is not a 5xx
//! that would page operators or make a proxy retry the enqueue elsewhere), 502 a reply the shim
//! cannot read, 503 Redis unreachable or refusing for a transient reason.

use acd_client::AcdClientError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of [`Problem`] bodies.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 7807 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:acd:problem:no-agent`.
    #[serde(rename = "type")]
    #[schema(example = "urn:acd:problem:no-agent")]
    pub(crate) kind: String,
    /// A short summary of the kind of problem.
    #[schema(example = "No such agent")]
    pub(crate) title: &'static str,
    /// The HTTP status.
    #[schema(example = 404)]
    pub(crate) status: u16,
    /// What happened in this case (the module's message where there is one).
    #[schema(example = "no such agent 'a1'")]
    pub(crate) detail: String,
    /// The module's error code (`NOAGENT`, `ERR`, ...) when the module refused the command.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "NOAGENT")]
    pub(crate) code: Option<&'static str>,
}

/// A failed request: status, kind and message.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    kind: &'static str,
    title: &'static str,
    code: Option<&'static str>,
    detail: String,
}

/// For the logs: the title and the detail.
impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.title, self.detail)
    }
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, title: &'static str, detail: String) -> Self {
        ApiError {
            status,
            kind,
            title,
            code: None,
            detail,
        }
    }

    fn coded(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// 400: a request the shim itself refuses (bad body, bad query, bad value).
    pub(crate) fn invalid(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Invalid request",
            detail.into(),
        )
    }

    /// 404: no such resource.
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            detail.into(),
        )
    }

    /// 503: Redis is not reachable.
    pub(crate) fn unavailable(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Redis unavailable",
            detail.into(),
        )
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The RFC 7807 document.
    pub(crate) fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:acd:problem:{}", self.kind),
            title: self.title,
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            code: self.code,
        }
    }
}

impl From<AcdClientError> for ApiError {
    fn from(err: AcdClientError) -> Self {
        let detail = err.to_string();
        let (status, kind, title) = match &err {
            AcdClientError::NoAgent(_) => (StatusCode::NOT_FOUND, "no-agent", "No such agent"),
            AcdClientError::NoContact(_) => {
                (StatusCode::NOT_FOUND, "no-contact", "No such contact")
            }
            AcdClientError::Exists(_) => (StatusCode::CONFLICT, "exists", "Already exists"),
            AcdClientError::BusyAgent(_) => (StatusCode::CONFLICT, "busy-agent", "Agent is busy"),
            AcdClientError::NotOffered(_) => (
                StatusCode::CONFLICT,
                "not-offered",
                "Contact is not offered",
            ),
            AcdClientError::Closed(_) => (StatusCode::LOCKED, "closed", "Center is closed"),
            AcdClientError::QueueFull(_) => {
                (StatusCode::TOO_MANY_REQUESTS, "queue-full", "Queue is full")
            }
            AcdClientError::Syntax(_)
            | AcdClientError::InvalidArgument(_)
            | AcdClientError::Meta(_) => (StatusCode::BAD_REQUEST, "invalid", "Invalid request"),
            AcdClientError::WrongType(_) => (
                StatusCode::CONFLICT,
                "wrong-type",
                "Key holds another type of value",
            ),
            AcdClientError::UnexpectedReply { .. } => (
                StatusCode::BAD_GATEWAY,
                "unexpected-reply",
                "Unexpected reply from Redis",
            ),
            _ => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Redis unavailable",
            ),
        };
        let error = ApiError::new(status, kind, title, detail);
        match err.code() {
            Some(code) => error.coded(code.as_str()),
            None if matches!(err, AcdClientError::WrongType(_)) => error.coded("WRONGTYPE"),
            None => error,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::invalid(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::invalid(rejection.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log(&self);
        let mut response = (self.status, Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static(PROBLEM_JSON),
        );
        response
    }
}

/// Server-side failures are logged here; refusals are the caller's business and only show in
/// the request log's status.
fn log(error: &ApiError) {
    if error.status.is_server_error() {
        tracing::error!(status = error.status.as_u16(), detail = %error.detail, "request failed");
    }
}

/// The old API's error: `{"detail": "..."}` with status 400 for every refusal (as the old
/// server answered, missing resources included), and the 5xx status when Redis failed.
#[derive(Debug)]
pub(crate) struct LegacyError(pub(crate) ApiError);

/// The old API's error body.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Detail {
    /// What went wrong.
    #[schema(example = "no such agent 'agent:7'")]
    pub(crate) detail: String,
}

impl<E: Into<ApiError>> From<E> for LegacyError {
    fn from(err: E) -> Self {
        LegacyError(err.into())
    }
}

impl IntoResponse for LegacyError {
    fn into_response(self) -> Response {
        log(&self.0);
        let status = if self.0.status().is_server_error() {
            self.0.status()
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = Detail {
            detail: self.0.detail,
        };
        (status, Json(body)).into_response()
    }
}
