//! The OpenAPI document: its root ([`ApiDoc`]), the reusable error responses the route
//! annotations name, and `GET /openapi.json`. The paths themselves come from the handlers'
//! `#[utoipa::path]` annotations as the router registers them, so the document and the
//! routes cannot drift apart.
//!
//! The response structs below are never built: they only name a [`Problem`] response for the
//! document, hence their `allow(dead_code)`.

use std::sync::Arc;

use axum::{Extension, Json};
use utoipa::openapi::OpenApi as Document;
use utoipa::{OpenApi, ToResponse};

use super::problem::{Detail, Problem};

/// The document's root: title, tags and the shared components.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Redis ACD REST API",
        description = "Skills-based contact routing inside Redis. The v1 API (under `/v1/centers/{center}`) \
            maps every ACD.* command; errors are RFC 7807 problem documents (400 bad argument, 404 unknown \
            agent/contact, 409 conflicting state, 423 center closed, 429 queue full, 503 Redis unavailable). \
            The routes tagged `legacy` are the old API on the default center, unchanged."
    ),
    tags(
        (name = "agents", description = "Agents, skills and ready state"),
        (name = "contacts", description = "Contacts"),
        (name = "center", description = "Queue, dispatch, statistics, configuration, open/close"),
        (name = "events", description = "Live event streams (Server-Sent Events)"),
        (name = "legacy", description = "The old API, on the default center"),
        (name = "service", description = "Health, this document and the wallboard"),
    ),
    components(
        schemas(Problem, Detail),
        responses(BadRequest, NotFound, Conflict, Locked, QueueFull, Unavailable, LegacyBadRequest)
    )
)]
pub(crate) struct ApiDoc;

/// The request was refused: a bad argument or body (module code `ERR`).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct BadRequest(Problem);

/// No such agent, contact or configuration parameter (`NOAGENT`, `NOCONTACT`).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct NotFound(Problem);

/// The request conflicts with the current state (`EXISTS`, `BUSYAGENT`, `NOTOFFERED`,
/// `WRONGTYPE`).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct Conflict(Problem);

/// The center is closed (`CLOSED`).
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct Locked(Problem);

/// `max-queue` contacts already wait and nobody can take this one now (`QUEUEFULL`): try
/// later.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct QueueFull(Problem);

/// Redis is unreachable, or answered something unreadable.
#[derive(ToResponse)]
#[response(content_type = "application/problem+json")]
#[allow(dead_code)]
pub(crate) struct Unavailable(Problem);

/// The old API's refusal, missing resources included.
#[derive(ToResponse)]
#[allow(dead_code)]
pub(crate) struct LegacyBadRequest(Detail);

/// The OpenAPI 3 document of this server.
#[utoipa::path(get, path = "/openapi.json", tag = "service",
    responses((status = 200, description = "OpenAPI document", content_type = "application/json", body = Object)))]
pub(crate) async fn openapi_json(Extension(doc): Extension<Arc<Document>>) -> Json<Document> {
    Json(Document::clone(&doc))
}
