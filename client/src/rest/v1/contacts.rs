//! `/v1/centers/{center}/contacts/...`: contacts (`ACD.ENQUEUE`, `ACD.CONTACT.GET`,
//! `ACD.COMPLETE`, `ACD.ACCEPT`, `ACD.REJECT`).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use super::model::{skill_list, Completed, ContactDoc, ContactStateName, Enqueued, NewContact};
use super::paths::{location, CenterPath, ContactPath};
use crate::rest::extract::Body;
use crate::rest::openapi::{BadRequest, Conflict, Locked, NotFound, QueueFull, Unavailable};
use crate::rest::problem::ApiError;
use crate::rest::state::AppState;

/// Enqueues a contact; it is routed at once when an eligible agent is ready. Answers its id
/// (a new UUID when the body names none) and the agent it got, if any.
///
/// Retrying after a lost reply is safe with an explicit `id`: a second attempt answers 409.
#[utoipa::path(post, path = "/v1/centers/{center}/contacts", tag = "contacts",
    params(CenterPath),
    request_body = NewContact,
    responses(
        (status = 201, description = "Enqueued (and maybe assigned)", body = Enqueued),
        (status = 400, response = BadRequest),
        (status = 409, response = Conflict),
        (status = 423, response = Locked),
        (status = 429, response = QueueFull),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn enqueue(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Body(body): Body<NewContact>,
) -> Result<impl IntoResponse, ApiError> {
    let id = body
        .id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let mut request = state
        .center(&path.center)?
        .enqueue(id.clone(), skill_list(&body.skills)?);
    if let Some(channel) = &body.channel {
        request = request.channel(channel.clone());
    }
    if let Some(priority) = body.priority {
        request = request.priority(priority);
    }
    if let Some(meta) = &body.meta {
        request = request.meta(meta);
    }
    for step in &body.then {
        request = request.then(step.after_ms, skill_list(&step.skills)?);
    }
    let agent = request.await?;
    let location = location(&path.center, "contacts", &id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(Enqueued { id, agent }),
    ))
}

/// One contact (ended contacts stay readable for the center's `retention`).
#[utoipa::path(get, path = "/v1/centers/{center}/contacts/{contact}", tag = "contacts",
    params(ContactPath),
    responses(
        (status = 200, description = "The contact", body = ContactDoc),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn get_contact(
    State(state): State<AppState>,
    Path(path): Path<ContactPath>,
) -> Result<Json<ContactDoc>, ApiError> {
    let contact = state
        .center(&path.center)?
        .contact_get(path.contact)
        .await?;
    Ok(Json(contact.into()))
}

/// Ends a contact: `completed` when it had an agent, `abandoned` when it was still waiting.
/// Idempotent: an ended contact answers its end state again.
#[utoipa::path(post, path = "/v1/centers/{center}/contacts/{contact}/complete", tag = "contacts",
    params(ContactPath),
    responses(
        (status = 200, description = "Its end state", body = Completed),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn complete_contact(
    State(state): State<AppState>,
    Path(path): Path<ContactPath>,
) -> Result<Json<Completed>, ApiError> {
    let end = state
        .center(&path.center)?
        .complete(path.contact.clone())
        .await?;
    Ok(Json(Completed {
        id: path.contact,
        state: ContactStateName::from_core(end),
    }))
}

/// The agent offered the contact takes it.
#[utoipa::path(post, path = "/v1/centers/{center}/contacts/{contact}/accept", tag = "contacts",
    params(ContactPath),
    responses(
        (status = 204, description = "Assigned"),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn accept_offer(
    State(state): State<AppState>,
    Path(path): Path<ContactPath>,
) -> Result<StatusCode, ApiError> {
    state.center(&path.center)?.accept(path.contact).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The agent offered the contact declines it; the contact goes back to its queue place.
#[utoipa::path(post, path = "/v1/centers/{center}/contacts/{contact}/reject", tag = "contacts",
    params(ContactPath),
    responses(
        (status = 204, description = "Rejected"),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn reject_offer(
    State(state): State<AppState>,
    Path(path): Path<ContactPath>,
) -> Result<StatusCode, ApiError> {
    state.center(&path.center)?.reject(path.contact).await?;
    Ok(StatusCode::NO_CONTENT)
}
