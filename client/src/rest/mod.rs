//! The REST shim behind the `acd-rest` binary: axum on tokio, over the client library.
//!
//! Environment ([`config`]): `REDIS_URL` (default `redis://127.0.0.1:6379`), `ACD_CENTER` (the
//! default center key, default `acd`), `ACD_BIND` (default `0.0.0.0:8000`), `ACD_LOG_FORMAT`
//! (`json` or `text`) and `RUST_LOG` (default `info`).
//!
//! Routes: the old API on the default center ([`legacy`]), the v1 API ([`v1`]), live event
//! streams ([`events`], fed by one reader per center: [`feed`]), `GET /wallboard`
//! ([`wallboard`]), `GET /health` ([`health`]) and `GET /openapi.json` ([`openapi`]). Errors:
//! [`problem`].
//!
//! The shim keeps no state of its own between requests (the feeds only relay the log), so
//! instances behind a load balancer are interchangeable. SIGTERM or Ctrl-C stops accepting connections, ends the event
//! streams, lets requests in flight finish (for at most [`DRAIN`]) and exits 0.
//!
//! Start at [`main`] and [`app`].

mod config;
mod cursor;
mod events;
mod extract;
mod feed;
mod health;
mod legacy;
mod logging;
mod openapi;
mod problem;
mod state;
mod v1;
mod wallboard;

use std::future::IntoFuture;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::{Extension, Router};
use tokio::sync::watch;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use config::Config;
use problem::ApiError;
use state::AppState;

/// How long requests in flight may take to finish after a shutdown signal.
const DRAIN: Duration = Duration::from_secs(10);

/// Runs the server until SIGTERM or Ctrl-C.
pub(crate) fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("acd-rest: {err}");
            return ExitCode::from(2);
        }
    };
    logging::init(config.log_json);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!(error = %err, "cannot start the tokio runtime");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "acd-rest stopped");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let (stop, stopped) = watch::channel(false);
    let state = AppState::new(config, stopped);
    tokio::spawn(state.clone().supervise());
    tracing::info!(
        bind = %listener.local_addr()?,
        center = state.default_center(),
        "acd-rest listening"
    );
    let server = axum::serve(listener, app(state)).with_graceful_shutdown(async move {
        signal().await;
        tracing::info!("shutting down");
        // Ends the event streams, which would otherwise hold the drain open.
        let _ = stop.send(true);
    });
    let server = server.into_future();
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => result,
        _ = async { signal().await; tokio::time::sleep(DRAIN).await } => {
            tracing::warn!("requests still running after {DRAIN:?}; exiting");
            Ok(())
        }
    }
}

/// Resolves at the first SIGTERM or Ctrl-C.
async fn signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Every route, with the OpenAPI document built from the same registrations.
fn app(state: AppState) -> Router {
    let (api, document) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(legacy::set_acd_state))
        .routes(routes!(legacy::add_contact))
        .routes(routes!(legacy::get_contact, legacy::complete_contact))
        .routes(routes!(
            legacy::add_agent,
            legacy::delete_agent,
            legacy::rename_agent
        ))
        .routes(routes!(legacy::set_agent_state))
        .routes(routes!(legacy::grant_skill))
        .routes(routes!(legacy::revoke_skill))
        .routes(routes!(legacy::delete_skill))
        .merge(v1::routes())
        .routes(routes!(events::center_events))
        .routes(routes!(events::agent_events))
        .routes(routes!(wallboard::wallboard))
        .routes(routes!(openapi::openapi_json))
        .split_for_parts();
    // Balancers check health every few seconds: documented, but kept out of the request log.
    let (health, health_document) = OpenApiRouter::new()
        .routes(routes!(health::health))
        .split_for_parts();
    let mut document = document;
    document.merge(health_document);
    logging::layer(api.fallback(not_found))
        .merge(health)
        .layer(Extension(Arc::new(document)))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!("no route for {}", uri.path()))
}
