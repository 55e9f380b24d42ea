//! Center-wide v1 routes: queue, dispatch, statistics, configuration, open/close, audit and
//! wait estimate (`ACD.QUEUE`, `ACD.DISPATCH`, `ACD.STATS`, `ACD.CONFIG`, `ACD.OPEN`,
//! `ACD.CLOSE`, `ACD.CHECK`, `ACD.ESTIMATE`).
//!
//! Configuration names and values are checked by the core grammar itself ([`Command::parse`]),
//! so the rules and messages are the module's.

use acd_core::command::{Config, ConfigParam, ConfigValue};
use acd_core::Command;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::model::{
    skill_list, CheckDoc, ConfigEntry, ConfigMap, ConfigUpdate, ConfigValueDoc, Dispatched,
    EstimateDoc, EstimateRequest, Limit, QueueDoc, StatsDoc,
};
use super::paths::{CenterPath, ConfigPath};
use crate::rest::extract::{Body, Params};
use crate::rest::openapi::{BadRequest, NotFound, Unavailable};
use crate::rest::problem::ApiError;
use crate::rest::state::AppState;

/// Queued contact ids in routing order.
#[utoipa::path(get, path = "/v1/centers/{center}/queue", tag = "center",
    params(CenterPath, Limit),
    responses(
        (status = 200, description = "The queue", body = QueueDoc),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Params(limit): Params<Limit>,
) -> Result<Json<QueueDoc>, ApiError> {
    let mut request = state.center(&path.center)?.queue();
    if let Some(count) = limit.count {
        request = request.count(count);
    }
    Ok(Json(QueueDoc {
        contacts: request.await?,
    }))
}

/// Routes the queue now (for centers in `manual` mode); answers the assignments made.
#[utoipa::path(post, path = "/v1/centers/{center}/dispatch", tag = "center",
    params(CenterPath, Limit),
    responses(
        (status = 200, description = "Assignments made", body = Dispatched),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn dispatch(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Params(limit): Params<Limit>,
) -> Result<Json<Dispatched>, ApiError> {
    let mut request = state.center(&path.center)?.dispatch();
    if let Some(count) = limit.count {
        request = request.count(count);
    }
    let assignments = request.await?.into_iter().map(Into::into).collect();
    Ok(Json(Dispatched { assignments }))
}

/// Counters and live metrics (waits measured now).
#[utoipa::path(get, path = "/v1/centers/{center}/stats", tag = "center",
    params(CenterPath),
    responses(
        (status = 200, description = "Statistics", body = StatsDoc),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
) -> Result<Json<StatsDoc>, ApiError> {
    Ok(Json(state.center(&path.center)?.stats().await?.into()))
}

/// Every configuration parameter with its value.
#[utoipa::path(get, path = "/v1/centers/{center}/config", tag = "center",
    params(CenterPath),
    responses(
        (status = 200, description = "Parameter name to value", body = ConfigMap),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn config_all(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
) -> Result<Json<ConfigMap>, ApiError> {
    let values = state.center(&path.center)?.config_all().await?;
    Ok(Json(ConfigMap(
        values
            .into_iter()
            .map(|v| (v.param().as_str().to_owned(), value_doc(v)))
            .collect(),
    )))
}

/// One configuration parameter.
#[utoipa::path(get, path = "/v1/centers/{center}/config/{param}", tag = "center",
    params(ConfigPath),
    responses(
        (status = 200, description = "Its value", body = ConfigEntry),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn config_get(
    State(state): State<AppState>,
    Path(path): Path<ConfigPath>,
) -> Result<Json<ConfigEntry>, ApiError> {
    let param = parse_param(&path.param)?;
    let value = state.center(&path.center)?.config_get(param).await?;
    Ok(Json(entry(value)))
}

/// Sets a configuration parameter (a word for `mode`, `clock` and `strategy`, a number
/// otherwise).
#[utoipa::path(put, path = "/v1/centers/{center}/config/{param}", tag = "center",
    params(ConfigPath),
    request_body = ConfigUpdate,
    responses(
        (status = 200, description = "The new value", body = ConfigEntry),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn config_set(
    State(state): State<AppState>,
    Path(path): Path<ConfigPath>,
    Body(body): Body<ConfigUpdate>,
) -> Result<Json<ConfigEntry>, ApiError> {
    let param = parse_param(&path.param)?;
    let text = match body.value {
        ConfigValueDoc::Number(n) => n.to_string(),
        ConfigValueDoc::Word(word) => word,
    };
    let args: [&[u8]; 3] = [b"SET", param.as_str().as_bytes(), text.as_bytes()];
    let value = match Command::parse("ACD.CONFIG", &args) {
        Ok(Command::Config(Config::Set { value, .. })) => value,
        Ok(other) => return Err(ApiError::invalid(format!("unexpected {other:?}"))),
        Err(err) => return Err(ApiError::invalid(err.to_string())),
    };
    state.center(&path.center)?.config_set(value).await?;
    Ok(Json(entry(value)))
}

fn parse_param(name: &str) -> Result<ConfigParam, ApiError> {
    let args: [&[u8]; 2] = [b"GET", name.as_bytes()];
    match Command::parse("ACD.CONFIG", &args) {
        Ok(Command::Config(Config::Get(param))) => Ok(param),
        Ok(_) => Err(ApiError::not_found(format!(
            "unknown config parameter '{name}'"
        ))),
        Err(err) => Err(ApiError::not_found(err.to_string())),
    }
}

fn value_doc(value: ConfigValue) -> ConfigValueDoc {
    match value {
        ConfigValue::Mode(mode) => ConfigValueDoc::Word(mode.as_str().to_owned()),
        ConfigValue::Clock(clock) => ConfigValueDoc::Word(clock.as_str().to_owned()),
        ConfigValue::Strategy(strategy) => ConfigValueDoc::Word(strategy.as_str().to_owned()),
        ConfigValue::VoiceBlocks(on) => {
            ConfigValueDoc::Word(if on { "yes" } else { "no" }.to_owned())
        }
        ConfigValue::Number(_, n) => ConfigValueDoc::Number(n),
    }
}

fn entry(value: ConfigValue) -> ConfigEntry {
    ConfigEntry {
        param: value.param().as_str().to_owned(),
        value: value_doc(value),
    }
}

/// Opens the center: every not-ready agent becomes ready, and routing runs.
#[utoipa::path(post, path = "/v1/centers/{center}/open", tag = "center",
    params(CenterPath),
    responses(
        (status = 204, description = "Open"),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn open(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
) -> Result<StatusCode, ApiError> {
    state.center(&path.center)?.open().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes the center: agents go not ready as they are freed; enqueue and ready answer 423.
#[utoipa::path(post, path = "/v1/centers/{center}/close", tag = "center",
    params(CenterPath),
    responses(
        (status = 204, description = "Closed"),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn close(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
) -> Result<StatusCode, ApiError> {
    state.center(&path.center)?.close().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Audits every invariant of the center.
#[utoipa::path(get, path = "/v1/centers/{center}/check", tag = "center",
    params(CenterPath),
    responses(
        (status = 200, description = "Audit result", body = CheckDoc),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn check(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
) -> Result<Json<CheckDoc>, ApiError> {
    let violations = state.center(&path.center)?.check().await?;
    Ok(Json(CheckDoc {
        ok: violations.is_empty(),
        violations,
    }))
}

/// The expected wait of a new contact with these requirements.
#[utoipa::path(post, path = "/v1/centers/{center}/estimate", tag = "center",
    params(CenterPath),
    request_body = EstimateRequest,
    responses(
        (status = 200, description = "Estimated wait", body = EstimateDoc),
        (status = 400, response = BadRequest),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn estimate(
    State(state): State<AppState>,
    Path(path): Path<CenterPath>,
    Body(body): Body<EstimateRequest>,
) -> Result<Json<EstimateDoc>, ApiError> {
    let mut request = state
        .center(&path.center)?
        .estimate(skill_list(&body.skills)?);
    if let Some(channel) = &body.channel {
        request = request.channel(channel.clone());
    }
    if let Some(priority) = body.priority {
        request = request.priority(priority);
    }
    Ok(Json(EstimateDoc {
        wait_ms: request.await?,
    }))
}
