//! The old FastAPI server's routes, unchanged, on the default center (`ACD_CENTER`).
//!
//! Bodies, statuses and replies are the old ones: numeric states, `fname`/`lname` (kept in
//! the agent's meta object), contact keys `contact:<uuid4>`, and 400 `{"detail": ...}` for
//! every refusal, a missing agent or contact included; only the message is now precise (the
//! module's). Skills carry no levels here: they are granted and required at level 1.

use acd_core::{ContactState, Skill};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::extract::LegacyBody;
use super::openapi::LegacyBadRequest;
use super::problem::{ApiError, LegacyError};
use super::state::AppState;
use super::v1::model::skill;

type Reply<T> = Result<(StatusCode, Json<T>), LegacyError>;

/// `POST /acd`: 1 opens the center, 0 closes it.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub(crate) struct LegacyAcdState {
    /// 1 open, 0 closed.
    pub(crate) state: u8,
}

/// The center's new state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LegacyAcdStateReply {
    /// 1 open, 0 closed.
    pub(crate) acd_state: u8,
}

/// `POST /contact`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LegacyNewContact {
    /// Skills the contact needs.
    pub(crate) skills: Vec<String>,
}

/// A contact key.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LegacyContactKey {
    /// `contact:<uuid4>`.
    pub(crate) contact_key: String,
}

/// A contact, old style.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LegacyContact {
    /// Skills it needs, by name.
    pub(crate) skills: Vec<String>,
    /// 1 queued (or being offered), 2 assigned, 3 ended (completed, abandoned or timed out).
    pub(crate) state: u8,
    /// Its agent while assigned or after completion.
    pub(crate) agent: Option<String>,
}

/// `POST /agent/{key}`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LegacyNewAgent {
    /// First name.
    pub(crate) fname: String,
    /// Last name.
    pub(crate) lname: String,
    /// Skills, by name.
    pub(crate) skills: Vec<String>,
}

/// `PATCH /agent/{key}`: either name may be left out.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LegacyAgentNames {
    /// First name.
    pub(crate) fname: Option<String>,
    /// Last name.
    pub(crate) lname: Option<String>,
}

/// An agent key.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LegacyAgentKey {
    /// The key the client chose, e.g. `agent:7`.
    pub(crate) agent_key: String,
}

/// `PATCH /agent/{key}/state`: 1 available, 0 unavailable.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LegacyAgentState {
    /// 1 available, 0 unavailable.
    pub(crate) state: u8,
}

/// `PATCH /agent/{key}/skill`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LegacySkillName {
    /// The skill to add.
    pub(crate) skill: String,
}

/// A skill name.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LegacySkillReply {
    /// The skill.
    pub(crate) skill: String,
}

fn level_one(names: &[String]) -> Result<Vec<Skill>, LegacyError> {
    Ok(names
        .iter()
        .map(|name| skill(name, 1))
        .collect::<Result<_, _>>()?)
}

/// Opens (1) or closes (0) the center.
#[utoipa::path(post, path = "/acd", tag = "legacy", operation_id = "legacy_set_acd_state", request_body = LegacyAcdState,
    responses((status = 201, body = LegacyAcdStateReply), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn set_acd_state(
    State(state): State<AppState>,
    LegacyBody(body): LegacyBody<LegacyAcdState>,
) -> Reply<LegacyAcdStateReply> {
    let center = state.center(state.default_center())?;
    match body.state {
        1 => center.open().await?,
        0 => center.close().await?,
        other => {
            return Err(ApiError::invalid(format!(
                "state must be 1 (open) or 0 (closed), not {other}"
            ))
            .into())
        }
    }
    Ok((
        StatusCode::CREATED,
        Json(LegacyAcdStateReply {
            acd_state: body.state,
        }),
    ))
}

/// Enqueues a contact needing these skills.
#[utoipa::path(post, path = "/contact", tag = "legacy", operation_id = "legacy_add_contact", request_body = LegacyNewContact,
    responses((status = 201, body = LegacyContactKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn add_contact(
    State(state): State<AppState>,
    LegacyBody(body): LegacyBody<LegacyNewContact>,
) -> Reply<LegacyContactKey> {
    let key = format!("contact:{}", uuid::Uuid::new_v4());
    state
        .center(state.default_center())?
        .enqueue(key.clone(), level_one(&body.skills)?)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LegacyContactKey { contact_key: key }),
    ))
}

/// A contact's skills, state and agent.
#[utoipa::path(get, path = "/contact/{key}", tag = "legacy", operation_id = "legacy_get_contact", params(("key" = String, Path)),
    responses((status = 200, body = LegacyContact), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn get_contact(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Reply<LegacyContact> {
    let contact = state
        .center(state.default_center())?
        .contact_get(key)
        .await?;
    let (number, agent) = match contact.state {
        ContactState::Queued | ContactState::Offered => (1, None),
        ContactState::Assigned => (2, contact.agent),
        ContactState::Completed | ContactState::Abandoned | ContactState::Timeout => {
            (3, contact.agent)
        }
    };
    Ok((
        StatusCode::OK,
        Json(LegacyContact {
            skills: contact.skills.into_keys().collect(),
            state: number,
            agent,
        }),
    ))
}

/// Completes a contact (one still waiting is abandoned).
#[utoipa::path(patch, path = "/contact/{key}", tag = "legacy", operation_id = "legacy_complete_contact", params(("key" = String, Path)),
    responses((status = 200, body = LegacyContactKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn complete_contact(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Reply<LegacyContactKey> {
    state
        .center(state.default_center())?
        .complete(key.clone())
        .await?;
    Ok((StatusCode::OK, Json(LegacyContactKey { contact_key: key })))
}

/// Adds an agent (unavailable until its state is set to 1).
#[utoipa::path(post, path = "/agent/{key}", tag = "legacy", operation_id = "legacy_add_agent", params(("key" = String, Path)),
    request_body = LegacyNewAgent,
    responses((status = 201, body = LegacyAgentKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn add_agent(
    State(state): State<AppState>,
    Path(key): Path<String>,
    LegacyBody(body): LegacyBody<LegacyNewAgent>,
) -> Reply<LegacyAgentKey> {
    let meta = serde_json::json!({"fname": body.fname, "lname": body.lname});
    state
        .center(state.default_center())?
        .agent_add(key.clone(), level_one(&body.skills)?)
        .meta(&meta)
        .await?;
    Ok((StatusCode::CREATED, Json(LegacyAgentKey { agent_key: key })))
}

/// Deletes an agent.
#[utoipa::path(delete, path = "/agent/{key}", tag = "legacy", operation_id = "legacy_delete_agent", params(("key" = String, Path)),
    responses((status = 200, body = LegacyAgentKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn delete_agent(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Reply<LegacyAgentKey> {
    state
        .center(state.default_center())?
        .agent_del(key.clone())
        .await?;
    Ok((StatusCode::OK, Json(LegacyAgentKey { agent_key: key })))
}

/// Makes an agent available (1) or unavailable (0).
#[utoipa::path(patch, path = "/agent/{key}/state", tag = "legacy", operation_id = "legacy_set_agent_state", params(("key" = String, Path)),
    request_body = LegacyAgentState,
    responses((status = 200, body = LegacyAgentKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn set_agent_state(
    State(state): State<AppState>,
    Path(key): Path<String>,
    LegacyBody(body): LegacyBody<LegacyAgentState>,
) -> Reply<LegacyAgentKey> {
    let center = state.center(state.default_center())?;
    match body.state {
        1 => {
            center.ready(key.clone()).await?;
        }
        0 => center.not_ready(key.clone()).await?,
        other => {
            return Err(ApiError::invalid(format!(
                "state must be 1 (available) or 0 (unavailable), not {other}"
            ))
            .into())
        }
    }
    Ok((StatusCode::OK, Json(LegacyAgentKey { agent_key: key })))
}

/// Changes an agent's first and/or last name. The names live in the agent's meta object,
/// which is read, changed and written back (the last of two concurrent renames wins).
#[utoipa::path(patch, path = "/agent/{key}", tag = "legacy", operation_id = "legacy_rename_agent", params(("key" = String, Path)),
    request_body = LegacyAgentNames,
    responses((status = 200, body = LegacyAgentKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn rename_agent(
    State(state): State<AppState>,
    Path(key): Path<String>,
    LegacyBody(body): LegacyBody<LegacyAgentNames>,
) -> Reply<LegacyAgentKey> {
    let center = state.center(state.default_center())?;
    let agent = center.agent_get(key.clone()).await?;
    let mut meta: Map<String, Value> = agent
        .meta
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default();
    for (field, value) in [("fname", body.fname), ("lname", body.lname)] {
        if let Some(value) = value {
            meta.insert(field.to_owned(), Value::String(value));
        }
    }
    center.agent_meta(key.clone(), &meta).await?;
    Ok((StatusCode::OK, Json(LegacyAgentKey { agent_key: key })))
}

/// Gives an agent a skill.
#[utoipa::path(patch, path = "/agent/{key}/skill", tag = "legacy", operation_id = "legacy_grant_skill", params(("key" = String, Path)),
    request_body = LegacySkillName,
    responses((status = 200, body = LegacyAgentKey), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn grant_skill(
    State(state): State<AppState>,
    Path(key): Path<String>,
    LegacyBody(body): LegacyBody<LegacySkillName>,
) -> Reply<LegacyAgentKey> {
    state
        .center(state.default_center())?
        .agent_grant(key.clone(), level_one(&[body.skill])?)
        .await?;
    Ok((StatusCode::OK, Json(LegacyAgentKey { agent_key: key })))
}

/// Takes a skill from an agent.
#[utoipa::path(delete, path = "/agent/{key}/skill/{skill}", tag = "legacy", operation_id = "legacy_revoke_skill",
    params(("key" = String, Path), ("skill" = String, Path)),
    responses((status = 200, body = LegacySkillReply), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn revoke_skill(
    State(state): State<AppState>,
    Path((key, skill)): Path<(String, String)>,
) -> Reply<LegacySkillReply> {
    state
        .center(state.default_center())?
        .agent_revoke(key, [skill.clone()])
        .await?;
    Ok((StatusCode::OK, Json(LegacySkillReply { skill })))
}

/// Takes a skill from every agent.
#[utoipa::path(delete, path = "/skill/{skill}", tag = "legacy", operation_id = "legacy_delete_skill", params(("skill" = String, Path)),
    responses((status = 200, body = LegacySkillReply), (status = 400, response = LegacyBadRequest)))]
pub(crate) async fn delete_skill(
    State(state): State<AppState>,
    Path(skill): Path<String>,
) -> Reply<LegacySkillReply> {
    state
        .center(state.default_center())?
        .skill_del(skill.clone())
        .await?;
    Ok((StatusCode::OK, Json(LegacySkillReply { skill })))
}
