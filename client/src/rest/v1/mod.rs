//! The v1 API: resource routes under `/v1/centers/{center}/...`, one per `ACD.*` capability,
//! with JSON bodies ([`model`]), problem+json errors and OpenAPI annotations.
//!
//! | route | command |
//! |---|---|
//! | `GET/POST /agents`, `GET/DELETE /agents/{agent}` | `ACD.AGENTS`, `ACD.AGENT.ADD/GET/DEL` |
//! | `PUT /agents/{agent}/meta` | `ACD.AGENT.META` |
//! | `POST /agents/{agent}/skills`, `DELETE /agents/{agent}/skills/{skill}` | `ACD.AGENT.GRANT/REVOKE` |
//! | `POST /agents/{agent}/ready`, `/notready` | `ACD.READY`, `ACD.NOTREADY` |
//! | `DELETE /skills/{skill}` | `ACD.SKILL.DEL` |
//! | `POST /contacts`, `GET /contacts/{contact}` | `ACD.ENQUEUE`, `ACD.CONTACT.GET` |
//! | `POST /contacts/{contact}/complete`, `/accept`, `/reject` | `ACD.COMPLETE/ACCEPT/REJECT` |
//! | `GET /queue`, `POST /dispatch`, `GET /stats` | `ACD.QUEUE`, `ACD.DISPATCH`, `ACD.STATS` |
//! | `GET /config`, `GET/PUT /config/{param}` | `ACD.CONFIG` |
//! | `POST /open`, `/close`, `GET /check`, `POST /estimate` | `ACD.OPEN/CLOSE/CHECK/ESTIMATE` |
//! | `GET /events`, `GET /agents/{agent}/events` | `ACD.EVENTS` (see [`crate::rest::events`]) |

mod agents;
mod center;
mod contacts;
pub(crate) mod model;
pub(crate) mod paths;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::state::AppState;

/// Every v1 route except the event streams.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(agents::list_agents, agents::add_agent))
        .routes(routes!(agents::get_agent, agents::delete_agent))
        .routes(routes!(agents::put_agent_meta))
        .routes(routes!(agents::grant_skills))
        .routes(routes!(agents::revoke_skill))
        .routes(routes!(agents::set_ready))
        .routes(routes!(agents::set_not_ready))
        .routes(routes!(agents::delete_skill))
        .routes(routes!(contacts::enqueue))
        .routes(routes!(contacts::get_contact))
        .routes(routes!(contacts::complete_contact))
        .routes(routes!(contacts::accept_offer))
        .routes(routes!(contacts::reject_offer))
        .routes(routes!(center::queue))
        .routes(routes!(center::dispatch))
        .routes(routes!(center::stats))
        .routes(routes!(center::config_all))
        .routes(routes!(center::config_get, center::config_set))
        .routes(routes!(center::open))
        .routes(routes!(center::close))
        .routes(routes!(center::check))
        .routes(routes!(center::estimate))
}
