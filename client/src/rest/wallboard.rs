//! `GET /wallboard?center=...`: one self-contained HTML page (`wallboard.html`, inline CSS
//! and JS, no build step) showing a center live: queue depth, longest wait, agents by state,
//! service level and throughput. It follows the center's event stream (EventSource) and
//! re-reads `/stats` after each burst of events and every 2 s; the longest wait ticks between
//! reads. Every figure also sits in a `data-value` attribute, for scripts and tests.

use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::Params;
use super::openapi::BadRequest;
use super::problem::ApiError;
use super::state::AppState;

const PAGE: &str = include_str!("wallboard.html");
/// Where the page template takes the center key (a JS string literal).
const CENTER_SLOT: &str = "/*CENTER*/\"\"";

/// `GET /wallboard` query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct WallboardQuery {
    /// The center key (default: the server's default center).
    pub(crate) center: Option<String>,
}

/// A live wallboard page for one center.
#[utoipa::path(get, path = "/wallboard", tag = "service",
    params(WallboardQuery),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 400, response = BadRequest),
    ))]
pub(crate) async fn wallboard(
    State(state): State<AppState>,
    Params(query): Params<WallboardQuery>,
) -> Result<Html<String>, ApiError> {
    let center = query
        .center
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| state.default_center().to_owned());
    Ok(Html(PAGE.replacen(CENTER_SLOT, &js_string(&center), 1)))
}

/// `text` as a JS string literal that is also safe inside a `<script>` element.
fn js_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned())
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_one_center_slot() {
        assert_eq!(PAGE.matches(CENTER_SLOT).count(), 1);
    }

    #[test]
    fn center_keys_cannot_break_out_of_the_script() {
        let literal = js_string("</script><b>\"x\"");
        assert_eq!(literal, r#""\u003c/script\u003e\u003cb\u003e\"x\"""#);
    }
}
