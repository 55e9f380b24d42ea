//! Path parameters of the v1 routes, declared once with their OpenAPI descriptions, and the
//! URLs of created resources (`Location`).

use serde::Deserialize;
use utoipa::IntoParams;

/// `/v1/centers/{center}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct CenterPath {
    /// The center's Redis key.
    pub(crate) center: String,
}

/// `/v1/centers/{center}/agents/{agent}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct AgentPath {
    /// The center's Redis key.
    pub(crate) center: String,
    /// Agent id.
    pub(crate) agent: String,
}

/// `/v1/centers/{center}/agents/{agent}/skills/{skill}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct AgentSkillPath {
    /// The center's Redis key.
    pub(crate) center: String,
    /// Agent id.
    pub(crate) agent: String,
    /// Skill name.
    pub(crate) skill: String,
}

/// `/v1/centers/{center}/skills/{skill}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct SkillPath {
    /// The center's Redis key.
    pub(crate) center: String,
    /// Skill name.
    pub(crate) skill: String,
}

/// `/v1/centers/{center}/contacts/{contact}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct ContactPath {
    /// The center's Redis key.
    pub(crate) center: String,
    /// Contact id.
    pub(crate) contact: String,
}

/// `/v1/centers/{center}/config/{param}`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct ConfigPath {
    /// The center's Redis key.
    pub(crate) center: String,
    /// Parameter name, e.g. `mode`, `offer-timeout`, `max-queue`.
    pub(crate) param: String,
}

/// `/v1/centers/{center}/{collection}/{id}` with each segment percent-encoded (ids may hold any
/// text; a header may not).
pub(crate) fn location(center: &str, collection: &str, id: &str) -> String {
    format!(
        "/v1/centers/{}/{collection}/{}",
        encode_segment(center),
        encode_segment(id)
    )
}

/// Percent-encodes every byte that RFC 3986 does not allow as-is in a path segment.
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let allowed = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte);
        if allowed {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::location;

    #[test]
    fn locations_are_valid_paths() {
        assert_eq!(
            location("center:eu", "agents", "ana"),
            "/v1/centers/center:eu/agents/ana"
        );
        assert_eq!(
            location("c", "contacts", "a b/ü\n"),
            "/v1/centers/c/contacts/a%20b%2F%C3%BC%0A"
        );
    }
}
