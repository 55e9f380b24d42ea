//! A center's configuration (`ACD.CONFIG`), with its defaults.

use crate::command::{yes_no, ConfigParam, ConfigValue};
use crate::reply::Reply;
use crate::state::{Clock, Mode, Strategy};

/// Default seconds an ended contact stays readable.
pub const DEFAULT_RETENTION_S: u64 = 3600;
/// Default event log length.
pub(crate) const DEFAULT_EVENTS_MAX: u64 = 10_000;
/// Default service-level threshold (ms).
pub(crate) const DEFAULT_SLA_MS: u64 = 20_000;
/// Default busy-time history that `least-occupied` compares (ms): one hour.
pub(crate) const DEFAULT_OCCUPANCY_WINDOW_MS: u64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) mode: Mode,
    pub(crate) clock: Clock,
    pub(crate) strategy: Strategy,
    pub(crate) retention_s: u64,
    pub(crate) offer_timeout_ms: u64,
    pub(crate) max_no_answer: u64,
    pub(crate) wrapup_ms: u64,
    pub(crate) max_wait_ms: u64,
    pub(crate) max_queue: u64,
    pub(crate) events_max: u64,
    pub(crate) sla_ms: u64,
    pub(crate) priority_age_ms: u64,
    pub(crate) occupancy_window_ms: u64,
    /// A voice contact makes its agent ineligible on other channels.
    pub(crate) voice_blocks: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Auto,
            clock: Clock::Server,
            strategy: Strategy::LongestAvailable,
            retention_s: DEFAULT_RETENTION_S,
            offer_timeout_ms: 0,
            max_no_answer: 1,
            wrapup_ms: 0,
            max_wait_ms: 0,
            max_queue: 0,
            events_max: DEFAULT_EVENTS_MAX,
            sla_ms: DEFAULT_SLA_MS,
            priority_age_ms: 0,
            occupancy_window_ms: DEFAULT_OCCUPANCY_WINDOW_MS,
            voice_blocks: false,
        }
    }
}

impl Settings {
    fn number_mut(&mut self, param: ConfigParam) -> Option<&mut u64> {
        Some(match param {
            ConfigParam::Mode
            | ConfigParam::Clock
            | ConfigParam::Strategy
            | ConfigParam::VoiceBlocks => return None,
            ConfigParam::Retention => &mut self.retention_s,
            ConfigParam::OfferTimeout => &mut self.offer_timeout_ms,
            ConfigParam::MaxNoAnswer => &mut self.max_no_answer,
            ConfigParam::WrapUp => &mut self.wrapup_ms,
            ConfigParam::MaxWait => &mut self.max_wait_ms,
            ConfigParam::MaxQueue => &mut self.max_queue,
            ConfigParam::EventsMax => &mut self.events_max,
            ConfigParam::SlaThreshold => &mut self.sla_ms,
            ConfigParam::PriorityAge => &mut self.priority_age_ms,
            ConfigParam::OccupancyWindow => &mut self.occupancy_window_ms,
        })
    }

    pub(crate) fn get(&self, param: ConfigParam) -> Reply {
        let word = match param {
            ConfigParam::Mode => self.mode.as_str(),
            ConfigParam::Clock => self.clock.as_str(),
            ConfigParam::Strategy => self.strategy.as_str(),
            ConfigParam::VoiceBlocks => yes_no(self.voice_blocks),
            _ => {
                let number = self.clone().number_mut(param).map_or(0, |v| *v);
                return Reply::Int(number as i64);
            }
        };
        Reply::Bulk(word.to_owned())
    }

    /// Every parameter with its value, in [`ConfigParam::ALL`]'s order (`ACD.CONFIG.GET key`).
    pub(crate) fn all(&self) -> Reply {
        let values = ConfigParam::ALL.map(|param| (param.as_str().to_owned(), self.get(param)));
        Reply::Map(values.into())
    }

    pub(crate) fn set(&mut self, value: ConfigValue) {
        match value {
            ConfigValue::Mode(mode) => self.mode = mode,
            ConfigValue::Clock(clock) => self.clock = clock,
            ConfigValue::Strategy(strategy) => self.strategy = strategy,
            ConfigValue::VoiceBlocks(on) => self.voice_blocks = on,
            ConfigValue::Number(param, v) => {
                if let Some(slot) = self.number_mut(param) {
                    *slot = v;
                }
            }
        }
    }

    /// The numeric parameters in a fixed order, for the encoding (version 2 stored the
    /// first eight).
    pub(crate) fn numbers(&self) -> [u64; 10] {
        [
            self.retention_s,
            self.offer_timeout_ms,
            self.max_no_answer,
            self.wrapup_ms,
            self.max_wait_ms,
            self.max_queue,
            self.events_max,
            self.sla_ms,
            self.priority_age_ms,
            self.occupancy_window_ms,
        ]
    }

    pub(crate) fn from_numbers(
        mode: Mode,
        clock: Clock,
        strategy: Strategy,
        n: [u64; 10],
    ) -> Settings {
        Settings {
            mode,
            clock,
            strategy,
            retention_s: n[0],
            offer_timeout_ms: n[1],
            max_no_answer: n[2],
            wrapup_ms: n[3],
            max_wait_ms: n[4],
            max_queue: n[5],
            events_max: n[6],
            sla_ms: n[7],
            priority_age_ms: n[8],
            occupancy_window_ms: n[9],
            voice_blocks: false,
        }
    }

    pub(crate) fn retention_ms(&self) -> i64 {
        (self.retention_s as i64).saturating_mul(1000)
    }

    /// A queued contact's rank: lower is served first. Without ageing it is `-priority`;
    /// with `priority-age` it is `enqueued_at - priority × age`, because the effective
    /// priority `priority + wait / age` at any instant orders contacts exactly as this static
    /// value does (the instant cancels out), so the queue never needs re-sorting as time
    /// passes and long waiters still overtake higher priorities.
    pub(crate) fn rank(&self, priority: i64, enqueued_at: i64) -> i128 {
        match self.priority_age_ms {
            0 => -i128::from(priority),
            age => i128::from(enqueued_at) - i128::from(priority) * i128::from(age),
        }
    }
}
