//! [`Config`]: the settings `acd-rest` reads from its environment, once, at start.

use std::net::SocketAddr;

/// `REDIS_URL` when unset.
const DEFAULT_REDIS_URL: &str = "redis://127.0.0.1:6379";
/// `ACD_CENTER` when unset.
const DEFAULT_CENTER: &str = "acd";
/// `ACD_BIND` when unset.
const DEFAULT_BIND: &str = "0.0.0.0:8000";

/// How the shim runs. Nothing else is kept between requests, so any number of instances with
/// the same settings are interchangeable behind a load balancer.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// `REDIS_URL`: the server with the module (`redis://host:port`, `?protocol=resp3` allowed).
    pub(crate) redis_url: String,
    /// `ACD_CENTER`: the center key that the old API and `/wallboard` without `?center=` use.
    pub(crate) default_center: String,
    /// `ACD_BIND`: the address to listen on.
    pub(crate) bind: SocketAddr,
    /// `ACD_LOG_FORMAT`: `json` (default) or `text`.
    pub(crate) log_json: bool,
}

impl Config {
    /// Reads the environment; an unparsable value is an error naming the variable.
    pub(crate) fn from_env() -> Result<Config, String> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let get = |name: &str, default: &str| {
            var(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let bind = get("ACD_BIND", DEFAULT_BIND);
        let bind = bind
            .parse()
            .map_err(|e| format!("ACD_BIND={bind:?} is not an address like 0.0.0.0:8000: {e}"))?;
        let log_json = match get("ACD_LOG_FORMAT", "json").as_str() {
            "json" => true,
            "text" => false,
            other => return Err(format!("ACD_LOG_FORMAT={other:?} must be json or text")),
        };
        Ok(Config {
            redis_url: get("REDIS_URL", DEFAULT_REDIS_URL),
            default_center: get("ACD_CENTER", DEFAULT_CENTER),
            bind,
            log_json,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let config = Config::from_lookup(|_| None).expect("defaults");
        assert_eq!(config.redis_url, DEFAULT_REDIS_URL);
        assert_eq!(config.default_center, DEFAULT_CENTER);
        assert_eq!(config.bind.to_string(), DEFAULT_BIND);
        assert!(config.log_json);

        let config = Config::from_lookup(|name| match name {
            "ACD_BIND" => Some("127.0.0.1:9000".into()),
            "ACD_CENTER" => Some("center:eu".into()),
            "ACD_LOG_FORMAT" => Some("text".into()),
            _ => None,
        })
        .expect("overrides");
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.default_center, "center:eu");
        assert!(!config.log_json);

        let err = Config::from_lookup(|name| (name == "ACD_BIND").then(|| "nowhere".into()));
        assert!(err.unwrap_err().starts_with("ACD_BIND="));
    }
}
