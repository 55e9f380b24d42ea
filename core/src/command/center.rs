//! Center-wide commands: open/close, statistics, configuration and state loading.

use super::args::{parse_count, set_once, ArgWriter, Args};
use super::{at_only, Spec};
use crate::error::AcdError;
use crate::state::{Clock, Mode, Strategy};

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
    /// `offer-timeout`: ms an agent has to accept an offer; 0 assigns directly.
    OfferTimeout,
    /// `max-no-answer`: consecutive missed offers after which an agent is made not ready
    /// (0: never; it goes back to the end of the ready line instead).
    MaxNoAnswer,
    /// `wrapup`: ms of after-contact work before an agent is ready again.
    WrapUp,
    /// `max-wait`: ms a contact may wait in the queue before it ends as `timeout` (0: no limit).
    MaxWait,
    /// `max-queue`: contacts that may wait at once (0: no limit).
    MaxQueue,
    /// `events-max`: entries kept in the event log.
    EventsMax,
    /// `sla-threshold`: ms within which an answer counts toward the service level.
    SlaThreshold,
    /// `clock`: `server` (timers apply deadlines) or `client` (only commands' `AT` does).
    Clock,
    /// `priority-age`: ms of waiting worth one priority point (0: priorities never age).
    PriorityAge,
    /// `strategy`: how an agent is picked among the eligible ready ones.
    Strategy,
    /// `occupancy-window`: ms of busy time history `least-occupied` compares (0: none).
    OccupancyWindow,
    /// `voice-blocks`: `yes` makes an agent holding a voice contact ineligible on every other
    /// channel; `no` (default) lets channels mix up to each one's capacity.
    VoiceBlocks,
}

/// Name, largest value and unit of each numeric parameter.
const NUMERIC: [(ConfigParam, &str, u64, &str); 10] = [
    (
        ConfigParam::Retention,
        "retention",
        i64::MAX as u64 / 1000,
        " (seconds)",
    ),
    (
        ConfigParam::OfferTimeout,
        "offer-timeout",
        i64::MAX as u64 / 2,
        " (ms)",
    ),
    (
        ConfigParam::MaxNoAnswer,
        "max-no-answer",
        u32::MAX as u64,
        "",
    ),
    (ConfigParam::WrapUp, "wrapup", i64::MAX as u64 / 2, " (ms)"),
    (
        ConfigParam::MaxWait,
        "max-wait",
        i64::MAX as u64 / 2,
        " (ms)",
    ),
    (ConfigParam::MaxQueue, "max-queue", u32::MAX as u64, ""),
    (ConfigParam::EventsMax, "events-max", 10_000_000, ""),
    (
        ConfigParam::SlaThreshold,
        "sla-threshold",
        i64::MAX as u64 / 2,
        " (ms)",
    ),
    (
        ConfigParam::PriorityAge,
        "priority-age",
        i64::MAX as u64 / 2,
        " (ms)",
    ),
    (
        ConfigParam::OccupancyWindow,
        "occupancy-window",
        i64::MAX as u64 / 2,
        " (ms)",
    ),
];

impl ConfigParam {
    /// Every parameter, in documentation order.
    pub const ALL: [ConfigParam; 14] = [
        ConfigParam::Mode,
        ConfigParam::Retention,
        ConfigParam::OfferTimeout,
        ConfigParam::MaxNoAnswer,
        ConfigParam::WrapUp,
        ConfigParam::MaxWait,
        ConfigParam::MaxQueue,
        ConfigParam::EventsMax,
        ConfigParam::SlaThreshold,
        ConfigParam::Clock,
        ConfigParam::PriorityAge,
        ConfigParam::Strategy,
        ConfigParam::OccupancyWindow,
        ConfigParam::VoiceBlocks,
    ];

    fn parse(text: &str) -> Result<ConfigParam, AcdError> {
        let lower = text.to_ascii_lowercase();
        ConfigParam::ALL
            .into_iter()
            .find(|p| p.as_str() == lower)
            .ok_or_else(|| AcdError::InvalidValue(format!("unknown config parameter '{text}'")))
    }

    /// Whether the value is a number (`GET` answers an integer) rather than a word.
    pub fn is_numeric(self) -> bool {
        NUMERIC.iter().any(|(p, ..)| *p == self)
    }

    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigParam::Mode => "mode",
            ConfigParam::Clock => "clock",
            ConfigParam::Strategy => "strategy",
            ConfigParam::VoiceBlocks => "voice-blocks",
            other => NUMERIC
                .iter()
                .find(|(p, ..)| *p == other)
                .map_or("", |(_, name, ..)| name),
        }
    }
}

/// A configuration value to set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigValue {
    /// New routing mode.
    Mode(Mode),
    /// New clock source.
    Clock(Clock),
    /// New routing strategy.
    Strategy(Strategy),
    /// Whether a voice contact blocks an agent's other channels.
    VoiceBlocks(bool),
    /// New value of a numeric parameter (in its unit).
    Number(ConfigParam, u64),
}

impl ConfigValue {
    /// Parses a value of `param` as `ACD.CONFIG SET` takes it (and `GET` answers it).
    pub fn parse(param: ConfigParam, text: &str) -> Result<ConfigValue, AcdError> {
        let Some(&(_, name, max, unit)) = NUMERIC.iter().find(|(p, ..)| *p == param) else {
            return match param {
                ConfigParam::Clock => Clock::parse(text).map(ConfigValue::Clock),
                ConfigParam::Strategy => Strategy::parse(text).map(ConfigValue::Strategy),
                ConfigParam::VoiceBlocks => parse_yes_no(text).map(ConfigValue::VoiceBlocks),
                _ => Mode::parse(text).map(ConfigValue::Mode),
            };
        };
        text.parse::<u64>()
            .ok()
            .filter(|v| *v <= max)
            .map(|v| ConfigValue::Number(param, v))
            .ok_or_else(|| {
                AcdError::InvalidValue(format!("{name} must be a non-negative integer{unit}"))
            })
    }

    /// The parameter this value sets.
    pub fn param(self) -> ConfigParam {
        match self {
            ConfigValue::Mode(_) => ConfigParam::Mode,
            ConfigValue::Clock(_) => ConfigParam::Clock,
            ConfigValue::Strategy(_) => ConfigParam::Strategy,
            ConfigValue::VoiceBlocks(_) => ConfigParam::VoiceBlocks,
            ConfigValue::Number(param, _) => param,
        }
    }

    fn text(self) -> String {
        match self {
            ConfigValue::Mode(mode) => mode.as_str().to_owned(),
            ConfigValue::Clock(clock) => clock.as_str().to_owned(),
            ConfigValue::Strategy(strategy) => strategy.as_str().to_owned(),
            ConfigValue::VoiceBlocks(on) => yes_no(on).to_owned(),
            ConfigValue::Number(_, v) => v.to_string(),
        }
    }
}

/// The wire form of a flag.
pub(crate) fn yes_no(on: bool) -> &'static str {
    if on {
        "yes"
    } else {
        "no"
    }
}

fn parse_yes_no(text: &str) -> Result<bool, AcdError> {
    match text.to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(AcdError::invalid("voice-blocks must be yes or no")),
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

/// `ACD.CONFIG.GET key [param]`: one parameter, or every one in [`ConfigParam::ALL`]'s order.
/// The read-only twin of `ACD.CONFIG key GET param`: it runs on read-only replicas and can be
/// granted without the right to change anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigGet {
    /// The parameter (`None`: all of them, as a map).
    pub param: Option<ConfigParam>,
}

impl Spec for ConfigGet {
    const NAME: &'static str = "ACD.CONFIG.GET";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let param = match args.remaining() {
            0 => None,
            1 => Some(ConfigParam::parse(args.positional()?)?),
            _ => return Err(AcdError::Syntax),
        };
        Ok(ConfigGet { param })
    }
    fn encode(&self, w: &mut ArgWriter) {
        if let Some(param) = self.param {
            w.push(param.as_str());
        }
    }
}

/// `ACD.TICK key [AT ms]`: applies the deadlines due at the given time (offer timeouts,
/// wrap-up ends, queue timeouts, retention). The module's timers send it; so may simulations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Tick {
    const NAME: &'static str = "ACD.TICK";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        Ok(Tick { at: at_only(args)? })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("AT", self.at);
    }
}

/// `ACD.EVENTS key [SINCE id] [COUNT n] [BLOCK ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Events {
    /// Only entries with a larger id (default 0: every retained entry).
    pub since: Option<u64>,
    /// At most this many entries (default 100).
    pub count: Option<usize>,
    /// Wait up to this many ms for a first entry (0: forever); the module handles it.
    pub block: Option<u64>,
}

impl Spec for Events {
    const NAME: &'static str = "ACD.EVENTS";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let (mut since, mut count, mut block) = (None, None, None);
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "SINCE" => {
                    let id = args.value()?.parse::<u64>().map_err(|_| {
                        AcdError::invalid("SINCE must be a non-negative integer (event id)")
                    })?;
                    set_once(&mut since, id)?
                }
                "COUNT" => set_once(&mut count, parse_count(args.value()?)?)?,
                "BLOCK" => {
                    let ms = args.value()?.parse::<u64>().map_err(|_| {
                        AcdError::invalid("BLOCK must be a non-negative integer (ms)")
                    })?;
                    set_once(&mut block, ms)?
                }
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Events {
            since,
            count,
            block,
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("SINCE", self.since)
            .option("COUNT", self.count)
            .option("BLOCK", self.block);
    }
}

/// `ACD.CHECK key`: audits every invariant of the center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check;

impl Spec for Check {
    const NAME: &'static str = "ACD.CHECK";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(0, 0)?;
        Ok(Check)
    }
    fn encode(&self, _w: &mut ArgWriter) {}
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
