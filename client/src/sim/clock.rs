//! [`SimClock`]: the time a run lives on. Real time takes the server's clock (commands carry
//! no `AT`); simulated time runs `speed` times faster than real time from the moment the
//! run starts and stamps every write with `AT`, so the server sees exactly the times the
//! agenda chose, whatever the network and scheduling delays.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The clock of a run; times are Unix ms.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SimClock {
    /// Simulated time: `epoch_ms` at `start`, then `speed` ms per real ms.
    Simulated {
        epoch_ms: i64,
        start: Instant,
        speed: f64,
    },
    /// The wall clock (and the server's).
    Real,
}

impl SimClock {
    /// Simulated time at `speed` starting now, or real time.
    pub(crate) fn new(speed: Option<f64>) -> SimClock {
        match speed {
            Some(speed) => SimClock::Simulated {
                epoch_ms: wall_ms(),
                start: Instant::now(),
                speed,
            },
            None => SimClock::Real,
        }
    }

    /// The current time.
    pub(crate) fn now_ms(&self) -> i64 {
        match *self {
            SimClock::Simulated {
                epoch_ms,
                start,
                speed,
            } => epoch_ms + (start.elapsed().as_secs_f64() * 1000.0 * speed) as i64,
            SimClock::Real => wall_ms(),
        }
    }

    /// The `AT` a write at `at_ms` carries: the time itself when simulated, none (the
    /// server's clock) when real.
    pub(crate) fn stamp(&self, at_ms: i64) -> Option<i64> {
        match self {
            SimClock::Simulated { .. } => Some(at_ms),
            SimClock::Real => None,
        }
    }

    /// Whether commands carry their time (simulated time).
    pub(crate) fn is_simulated(&self) -> bool {
        matches!(self, SimClock::Simulated { .. })
    }

    /// Sleeps until the clock reads `at_ms` (at once if it already does).
    pub(crate) async fn sleep_until(&self, at_ms: i64) {
        let due = match *self {
            SimClock::Simulated {
                epoch_ms,
                start,
                speed,
            } => start + Duration::from_secs_f64((at_ms - epoch_ms).max(0) as f64 / speed / 1000.0),
            SimClock::Real => {
                Instant::now() + Duration::from_millis((at_ms - wall_ms()).max(0) as u64)
            }
        };
        if due > Instant::now() {
            tokio::time::sleep_until(due.into()).await;
        }
    }
}

fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
