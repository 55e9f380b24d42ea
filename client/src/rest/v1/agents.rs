//! `/v1/centers/{center}/agents/...` and `/skills/{skill}`: agents, their skills and their
//! ready state (`ACD.AGENT.*`, `ACD.AGENTS`, `ACD.READY`, `ACD.NOTREADY`, `ACD.SKILL.DEL`).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use super::model::{
    capacity_list, skill_list, AgentDoc, AgentFilter, AgentList, NewAgent, NotReadyBody,
    ReadyResult, SkillDeleted, SkillGrant,
};
use super::paths::{location, AgentPath, AgentSkillPath, CenterPath, SkillPath};
use crate::rest::extract::{Body, Params};
use crate::rest::openapi::{BadRequest, Conflict, NotFound, Unavailable};
use crate::rest::problem::ApiError;
use crate::rest::state::AppState;

/// Agent ids, optionally only those in one state.
#[utoipa::path(get, path = "/v1/centers/{center}/agents", tag = "agents",
    params(CenterPath, AgentFilter),
    responses(
        (status = 200, description = "Agent ids", body = AgentList),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn list_agents(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Params(filter): Params<AgentFilter>,
) -> Result<Json<AgentList>, ApiError> {
    let mut request = state.center(&path.center)?.agents();
    if let Some(s) = filter.state {
        request = request.state(s.core());
    }
    Ok(Json(AgentList {
        agents: request.await?,
    }))
}

/// Adds an agent (not ready). Answers the agent and its URL in `Location`.
#[utoipa::path(post, path = "/v1/centers/{center}/agents", tag = "agents",
    params(CenterPath),
    request_body = NewAgent,
    responses(
        (status = 201, description = "Added", body = AgentDoc),
        (status = 400, response = BadRequest),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn add_agent(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Body(body): Body<NewAgent>,
) -> Result<impl IntoResponse, ApiError> {
    let center = state.center(&path.center)?;
    let mut request = center.agent_add(body.id.clone(), skill_list(&body.skills)?);
    if let Some(capacity) = &body.capacity {
        for (channel, slots) in capacity_list(capacity)? {
            request = request.capacity(channel, slots);
        }
    }
    if let Some(meta) = &body.meta {
        request = request.meta(meta);
    }
    request.await?;
    let agent = AgentDoc::from(center.agent_get(body.id.clone()).await?);
    let location = location(&path.center, "agents", &body.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(agent),
    ))
}

/// One agent.
#[utoipa::path(get, path = "/v1/centers/{center}/agents/{agent}", tag = "agents",
    params(AgentPath),
    responses(
        (status = 200, description = "The agent", body = AgentDoc),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn get_agent(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
) -> Result<Json<AgentDoc>, ApiError> {
    let agent = state.center(&path.center)?.agent_get(path.agent).await?;
    Ok(Json(agent.into()))
}

/// Deletes an agent; a contact it was handling goes back to the queue at its place.
#[utoipa::path(delete, path = "/v1/centers/{center}/agents/{agent}", tag = "agents",
    params(AgentPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn delete_agent(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
) -> Result<StatusCode, ApiError> {
    state.center(&path.center)?.agent_del(path.agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the agent's metadata object.
#[utoipa::path(put, path = "/v1/centers/{center}/agents/{agent}/meta", tag = "agents",
    params(AgentPath),
    request_body(content = Object, description = "Any JSON object"),
    responses(
        (status = 200, description = "The updated agent", body = AgentDoc),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn put_agent_meta(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
    Body(meta): Body<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<AgentDoc>, ApiError> {
    let center = state.center(&path.center)?;
    center.agent_meta(path.agent.clone(), &meta).await?;
    Ok(Json(center.agent_get(path.agent).await?.into()))
}

/// Adds skills to the agent or changes their levels (a ready agent may be routed at once).
#[utoipa::path(post, path = "/v1/centers/{center}/agents/{agent}/skills", tag = "agents",
    params(AgentPath),
    request_body = SkillGrant,
    responses(
        (status = 200, description = "The updated agent", body = AgentDoc),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn grant_skills(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
    Body(body): Body<SkillGrant>,
) -> Result<Json<AgentDoc>, ApiError> {
    if body.skills.is_empty() {
        return Err(ApiError::invalid("skills must name at least one skill"));
    }
    let center = state.center(&path.center)?;
    center
        .agent_grant(path.agent.clone(), skill_list(&body.skills)?)
        .await?;
    Ok(Json(center.agent_get(path.agent).await?.into()))
}

/// Removes a skill from the agent (no error if it lacks it).
#[utoipa::path(delete, path = "/v1/centers/{center}/agents/{agent}/skills/{skill}", tag = "agents",
    params(AgentSkillPath),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn revoke_skill(
    State(state): State<AppState>,
    Path(path): Path<AgentSkillPath>,
) -> Result<StatusCode, ApiError> {
    state
        .center(&path.center)?
        .agent_revoke(path.agent, [path.skill])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes the agent ready; answers the contact it was given at once, if any.
#[utoipa::path(post, path = "/v1/centers/{center}/agents/{agent}/ready", tag = "agents",
    params(AgentPath),
    responses(
        (status = 200, description = "Ready", body = ReadyResult),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 423, response = crate::rest::openapi::Locked),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn set_ready(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
) -> Result<Json<ReadyResult>, ApiError> {
    let contact = state.center(&path.center)?.ready(path.agent).await?;
    Ok(Json(ReadyResult { contact }))
}

/// Makes the agent not ready, with an optional reason (the body may be left out).
#[utoipa::path(post, path = "/v1/centers/{center}/agents/{agent}/notready", tag = "agents",
    params(AgentPath),
    request_body(content = Option<NotReadyBody>),
    responses(
        (status = 204, description = "Not ready"),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn set_not_ready(
    State(state): State<AppState>,
    Path(path): Path<AgentPath>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    let reason = if body.is_empty() {
        None
    } else {
        serde_json::from_slice::<NotReadyBody>(&body)
            .map_err(|e| ApiError::invalid(format!("invalid JSON body: {e}")))?
            .reason
    };
    let mut request = state.center(&path.center)?.not_ready(path.agent);
    if let Some(reason) = reason {
        request = request.reason(reason);
    }
    request.await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a skill from every agent of the center.
#[utoipa::path(delete, path = "/v1/centers/{center}/skills/{skill}", tag = "agents",
    params(SkillPath),
    responses(
        (status = 200, description = "How many agents lost it", body = SkillDeleted),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn delete_skill(
    State(state): State<AppState>,
    Path(path): Path<SkillPath>,
) -> Result<Json<SkillDeleted>, ApiError> {
    let agents = state
        .center(&path.center)?
        .skill_del(path.skill.clone())
        .await?;
    Ok(Json(SkillDeleted {
        skill: path.skill,
        agents,
    }))
}
