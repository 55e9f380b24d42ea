//! Center-wide commands: open/close, statistics, configuration and state loading.

use super::args::{ArgWriter, Args};
use super::{at_only, Spec};
use crate::error::AcdError;
use crate::state::Mode;

/// `ACD.OPEN key [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Open {
    const NAME: &'static str = "ACD.OPEN";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        Ok(Open { at: at_only(args)? })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("AT", self.at);
    }
}

/// `ACD.CLOSE key [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Close {
    const NAME: &'static str = "ACD.CLOSE";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        Ok(Close { at: at_only(args)? })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("AT", self.at);
    }
}

/// `ACD.STATS key [AT ms]` (AT is the "now" that `longest_wait_ms` is measured against).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Time to measure waits against (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Stats {
    const NAME: &'static str = "ACD.STATS";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        Ok(Stats { at: at_only(args)? })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("AT", self.at);
    }
}

/// A configuration parameter of a center.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigParam {
    /// `mode`: `auto` or `manual`.
    Mode,
    /// `retention`: seconds an ended contact stays readable.
    Retention,
}

impl ConfigParam {
    fn parse(text: &str) -> Result<ConfigParam, AcdError> {
        match text.to_ascii_lowercase().as_str() {
            "mode" => Ok(ConfigParam::Mode),
            "retention" => Ok(ConfigParam::Retention),
            _ => Err(AcdError::InvalidValue(format!(
                "unknown config parameter '{text}'"
            ))),
        }
    }

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigParam::Mode => "mode",
            ConfigParam::Retention => "retention",
        }
    }
}

/// A configuration value to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigValue {
    /// New routing mode.
    Mode(Mode),
    /// New retention in seconds.
    Retention(u64),
}

impl ConfigValue {
    fn parse(param: ConfigParam, text: &str) -> Result<ConfigValue, AcdError> {
        match param {
            ConfigParam::Mode => Mode::parse(text).map(ConfigValue::Mode),
            ConfigParam::Retention => text
                .parse::<u64>()
                .ok()
                .filter(|s| *s <= i64::MAX as u64 / 1000)
                .map(ConfigValue::Retention)
                .ok_or_else(|| {
                    AcdError::invalid("retention must be a non-negative integer (seconds)")
                }),
        }
    }

    /// The parameter this value sets.
    pub fn param(self) -> ConfigParam {
        match self {
            ConfigValue::Mode(_) => ConfigParam::Mode,
            ConfigValue::Retention(_) => ConfigParam::Retention,
        }
    }

    fn text(self) -> String {
        match self {
            ConfigValue::Mode(mode) => mode.as_str().to_owned(),
            ConfigValue::Retention(seconds) => seconds.to_string(),
        }
    }
}

/// `ACD.CONFIG key GET param` / `ACD.CONFIG key SET param value [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Config {
    /// Read a parameter.
    Get(ConfigParam),
    /// Change a parameter.
    Set {
        /// The new value.
        value: ConfigValue,
        /// Event time (Unix ms).
        at: Option<i64>,
    },
}

impl Spec for Config {
    const NAME: &'static str = "ACD.CONFIG";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let action = args.positional()?.to_ascii_uppercase();
        let param = ConfigParam::parse(args.positional()?);
        match action.as_str() {
            "GET" => {
                if args.remaining() > 0 {
                    return Err(AcdError::Syntax);
                }
                Ok(Config::Get(param?))
            }
            "SET" => {
                let text = args.positional()?;
                let value = ConfigValue::parse(param?, text)?;
                Ok(Config::Set {
                    value,
                    at: at_only(args)?,
                })
            }
            _ => Err(AcdError::Syntax),
        }
    }
    fn encode(&self, w: &mut ArgWriter) {
        match self {
            Config::Get(param) => {
                w.push("GET").push(param.as_str());
            }
            Config::Set { value, at } => {
                w.push("SET")
                    .push(value.param().as_str())
                    .push(value.text())
                    .option("AT", *at);
            }
        }
    }
}

/// `ACD.STATE.LOAD key payload`: replaces the center with a serialized state. Internal: the
/// module emits it when rewriting the AOF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateLoad {
    /// Bytes produced by [`crate::Center::encode`].
    pub payload: Vec<u8>,
}

impl Spec for StateLoad {
    const NAME: &'static str = "ACD.STATE.LOAD";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(1, 1)?;
        Ok(StateLoad {
            payload: args.raw_value()?.to_vec(),
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.payload);
    }
}
