//! `GET /health`, for load-balancer checks: 200 when Redis answers an `ACD.STATS` on the
//! default center in time (so the module is loaded and the command is allowed), 503 otherwise.
//! `ACD.STATS` rather than `MODULE LIST`: an application's ACL user is usually not allowed
//! admin commands, and this proves the command path the shim actually uses.

use std::future::IntoFuture;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::openapi::Unavailable;
use super::problem::ApiError;
use super::state::{AppState, REDIS_DEADLINE};

/// A healthy shim.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub(crate) status: &'static str,
    /// The default center that was probed.
    pub(crate) center: String,
}

/// Whether Redis with the ACD module answers.
#[utoipa::path(get, path = "/health", tag = "service",
    responses(
        (status = 200, description = "Redis and the module answer", body = Health),
        (status = 503, response = Unavailable),
    ))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let center = state.default_center().to_owned();
    let probe = state.center(&center)?.stats().into_future();
    match tokio::time::timeout(REDIS_DEADLINE, probe).await {
        Ok(Ok(_)) => Ok(Json(Health {
            status: "ok",
            center,
        })),
        Ok(Err(err)) => Err(ApiError::unavailable(format!("ACD.STATS failed: {err}"))),
        Err(_) => Err(ApiError::unavailable(format!(
            "ACD.STATS did not answer within {REDIS_DEADLINE:?}"
        ))),
    }
}
