//! A center's configuration (`ACD.CONFIG`), with its defaults.

use crate::command::{ConfigParam, ConfigValue};
use crate::reply::Reply;
use crate::state::{Clock, Mode};

/// Default seconds an ended contact stays readable.
pub const DEFAULT_RETENTION_S: u64 = 3600;
/// Default event log length.
pub(crate) const DEFAULT_EVENTS_MAX: u64 = 10_000;
/// Default service-level threshold (ms).
pub(crate) const DEFAULT_SLA_MS: u64 = 20_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) mode: Mode,
    pub(crate) clock: Clock,
    pub(crate) retention_s: u64,
    pub(crate) offer_timeout_ms: u64,
    pub(crate) max_no_answer: u64,
    pub(crate) wrapup_ms: u64,
    pub(crate) max_wait_ms: u64,
    pub(crate) max_queue: u64,
    pub(crate) events_max: u64,
    pub(crate) sla_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Auto,
            clock: Clock::Server,
            retention_s: DEFAULT_RETENTION_S,
            offer_timeout_ms: 0,
            max_no_answer: 1,
            wrapup_ms: 0,
            max_wait_ms: 0,
            max_queue: 0,
            events_max: DEFAULT_EVENTS_MAX,
            sla_ms: DEFAULT_SLA_MS,
        }
    }
}

impl Settings {
    fn number_mut(&mut self, param: ConfigParam) -> Option<&mut u64> {
        Some(match param {
            ConfigParam::Mode | ConfigParam::Clock => return None,
            ConfigParam::Retention => &mut self.retention_s,
            ConfigParam::OfferTimeout => &mut self.offer_timeout_ms,
            ConfigParam::MaxNoAnswer => &mut self.max_no_answer,
            ConfigParam::WrapUp => &mut self.wrapup_ms,
            ConfigParam::MaxWait => &mut self.max_wait_ms,
            ConfigParam::MaxQueue => &mut self.max_queue,
            ConfigParam::EventsMax => &mut self.events_max,
            ConfigParam::SlaThreshold => &mut self.sla_ms,
        })
    }

    pub(crate) fn get(&self, param: ConfigParam) -> Reply {
        match (param, self.clone().number_mut(param)) {
            (_, Some(v)) => Reply::Int(*v as i64),
            (ConfigParam::Clock, None) => Reply::Bulk(self.clock.as_str().to_owned()),
            (_, None) => Reply::Bulk(self.mode.as_str().to_owned()),
        }
    }

    pub(crate) fn set(&mut self, value: ConfigValue) {
        match value {
            ConfigValue::Mode(mode) => self.mode = mode,
            ConfigValue::Clock(clock) => self.clock = clock,
            ConfigValue::Number(param, v) => {
                if let Some(slot) = self.number_mut(param) {
                    *slot = v;
                }
            }
        }
    }

    /// The numeric parameters in a fixed order, for the encoding.
    pub(crate) fn numbers(&self) -> [u64; 8] {
        [
            self.retention_s,
            self.offer_timeout_ms,
            self.max_no_answer,
            self.wrapup_ms,
            self.max_wait_ms,
            self.max_queue,
            self.events_max,
            self.sla_ms,
        ]
    }

    pub(crate) fn from_numbers(mode: Mode, clock: Clock, n: [u64; 8]) -> Settings {
        Settings {
            mode,
            clock,
            retention_s: n[0],
            offer_timeout_ms: n[1],
            max_no_answer: n[2],
            wrapup_ms: n[3],
            max_wait_ms: n[4],
            max_queue: n[5],
            events_max: n[6],
            sla_ms: n[7],
        }
    }

    pub(crate) fn retention_ms(&self) -> i64 {
        (self.retention_s as i64).saturating_mul(1000)
    }
}
