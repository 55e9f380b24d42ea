//! The `acd-sim` flags ([`Args`]) and the run settings they resolve to ([`Config`]),
//! including the `MIN..MAX` duration ranges ([`Span`]).

use std::fmt;
use std::str::FromStr;

use acd_core::MAX_CAPACITY;
use clap::Parser;
use thiserror::Error;

/// Simulates a contact center against the ACD module: agents with random names and skills,
/// contacts (calls, and chats with --chat-share) arriving at a steady pace, each needing one
/// language and one expertise, handled or abandoned; then prints a report that agrees with
/// ACD.STATS.
#[derive(Debug, Clone, Parser)]
#[command(name = "acd-sim", version)]
pub struct Args {
    /// Server to run against.
    #[arg(long, value_name = "URL", default_value = "redis://127.0.0.1:6379")]
    pub redis: String,
    /// Center key to create (it must not exist yet, unless --reset).
    #[arg(long, value_name = "KEY", default_value = "acd-sim")]
    pub center: String,
    /// Number of agents.
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub agents: usize,
    /// Number of contacts.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub contacts: usize,
    /// Time between contact arrivals, in ms: a fixed `MS` or a uniform `MIN..MAX`.
    #[arg(long, value_name = "MS", default_value = "500")]
    pub arrival_ms: Span,
    /// How long an agent handles a contact, in ms (`MIN..MAX`, uniform).
    #[arg(long, value_name = "MIN..MAX", default_value = "1000..3000")]
    pub handle_ms: Span,
    /// How long a contact waits for an agent before abandoning, in ms (`MIN..MAX`, uniform).
    #[arg(long, value_name = "MIN..MAX", default_value = "1000..3000")]
    pub patience_ms: Span,
    /// Share of contacts that are chats (channel `chat`), 0 to 1; the others are calls
    /// (channel `voice`). With chats, every agent takes one call or up to --chat-capacity
    /// chats at once.
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub chat_share: f64,
    /// Chats an agent handles at once (with --chat-share above 0).
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CAPACITY)))]
    pub chat_capacity: u32,
    /// Run on simulated time, X times faster than real time, stamping every command with
    /// `AT` (the center's clock is set to `client`): the run is then deterministic for a
    /// given --seed. Without it the run takes real time on the server's clock.
    #[arg(long, value_name = "X")]
    pub speed: Option<f64>,
    /// Seed of the random names, skills, arrivals, patience and handle times (default:
    /// random, shown in the report).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Delete the center key first if it exists.
    #[arg(long)]
    pub reset: bool,
}

/// A flag value that parses but cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `--speed` must be a positive finite number.
    #[error("--speed must be a positive number, got {0}")]
    Speed(String),
    /// `--chat-share` must be a share, 0 to 1.
    #[error("--chat-share must be between 0 and 1, got {0}")]
    ChatShare(String),
}

/// What one run does: the flags, checked, with the seed chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Server URL.
    pub redis: String,
    /// Center key.
    pub center: String,
    /// Number of agents.
    pub agents: usize,
    /// Number of contacts.
    pub contacts: usize,
    /// Time between arrivals (ms).
    pub arrival_ms: Span,
    /// Handle time (ms).
    pub handle_ms: Span,
    /// Patience (ms).
    pub patience_ms: Span,
    /// Share of contacts that are chats (0: calls only, and agents with the default capacity).
    pub chat_share: f64,
    /// Chats an agent handles at once.
    pub chat_capacity: u32,
    /// Simulated time at this speed (deterministic), or real time when `None`.
    pub speed: Option<f64>,
    /// Random seed.
    pub seed: u64,
    /// Delete the center key first.
    pub reset: bool,
}

impl Args {
    /// Checks the flags and picks a seed when none was given.
    pub fn into_config(self) -> Result<Config, ConfigError> {
        if let Some(speed) = self.speed {
            if !(speed.is_finite() && speed > 0.0) {
                return Err(ConfigError::Speed(speed.to_string()));
            }
        }
        if !(0.0..=1.0).contains(&self.chat_share) {
            return Err(ConfigError::ChatShare(self.chat_share.to_string()));
        }
        Ok(Config {
            redis: self.redis,
            center: self.center,
            agents: self.agents,
            contacts: self.contacts,
            arrival_ms: self.arrival_ms,
            handle_ms: self.handle_ms,
            patience_ms: self.patience_ms,
            chat_share: self.chat_share,
            chat_capacity: self.chat_capacity,
            speed: self.speed,
            seed: self.seed.unwrap_or_else(rand::random),
            reset: self.reset,
        })
    }
}

/// A duration range in ms, `MIN..MAX` (inclusive) or a single fixed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Shortest value.
    pub min: u64,
    /// Longest value.
    pub max: u64,
}

/// A range flag that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpanError {
    /// Not `N` or `MIN..MAX` with non-negative integers.
    #[error("expected MS or MIN..MAX in whole milliseconds, got '{0}'")]
    Format(String),
    /// `MIN` is above `MAX`.
    #[error("MIN must not exceed MAX in '{0}'")]
    Order(String),
}

impl FromStr for Span {
    type Err = SpanError;

    fn from_str(text: &str) -> Result<Span, SpanError> {
        let number = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| SpanError::Format(text.to_owned()))
        };
        let (min, max) = match text.split_once("..") {
            Some((min, max)) => (number(min)?, number(max)?),
            None => {
                let v = number(text)?;
                (v, v)
            }
        };
        if min > max {
            return Err(SpanError::Order(text.to_owned()));
        }
        Ok(Span { min, max })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}..{}", self.min, self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("acd-sim").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_match_the_old_simulator() {
        let args = parse(&[]).expect("no flags");
        assert_eq!(args.redis, "redis://127.0.0.1:6379");
        assert_eq!(args.agents, 40);
        assert_eq!(args.contacts, 100);
        assert_eq!(args.arrival_ms, Span { min: 500, max: 500 });
        assert_eq!(
            args.handle_ms,
            Span {
                min: 1000,
                max: 3000
            }
        );
        assert_eq!(
            args.patience_ms,
            Span {
                min: 1000,
                max: 3000
            }
        );
        assert_eq!(args.speed, None);
        assert_eq!((args.chat_share, args.chat_capacity), (0.0, 3));
        assert!(!args.json);
    }

    #[test]
    fn every_flag_parses() {
        let args = parse(&[
            "--redis",
            "redis://h:1",
            "--center",
            "c",
            "--agents",
            "3",
            "--contacts",
            "7",
            "--arrival-ms",
            "100..200",
            "--handle-ms",
            "5",
            "--patience-ms",
            "0..10",
            "--chat-share",
            "0.25",
            "--chat-capacity",
            "4",
            "--speed",
            "60",
            "--seed",
            "9",
            "--json",
            "--reset",
        ])
        .expect("flags");
        let config = args.into_config().expect("valid");
        assert_eq!(config.center, "c");
        assert_eq!(config.arrival_ms, Span { min: 100, max: 200 });
        assert_eq!(config.handle_ms, Span { min: 5, max: 5 });
        assert_eq!(config.speed, Some(60.0));
        assert_eq!((config.chat_share, config.chat_capacity), (0.25, 4));
        assert_eq!(config.seed, 9);
        assert!(config.reset);
    }

    #[test]
    fn bad_values_are_refused() {
        for bad in [
            &["--handle-ms", "3..1"][..],
            &["--patience-ms", "a..b"],
            &["--arrival-ms", "-5"],
            &["--agents", "-1"],
            &["--chat-capacity", "0"],
            &["--chat-capacity", "1001"],
            &["--bogus"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        for speed in ["0", "-2", "inf", "NaN"] {
            let flag = format!("--speed={speed}");
            let args = parse(&[flag.as_str()]).expect("parses as a number");
            assert!(args.into_config().is_err(), "speed {speed}");
        }
        for share in ["-0.1", "1.5", "NaN"] {
            let flag = format!("--chat-share={share}");
            let args = parse(&[flag.as_str()]).expect("parses as a number");
            assert!(args.into_config().is_err(), "chat share {share}");
        }
    }

    #[test]
    fn span_round_trips() {
        for text in ["0", "500", "1000..3000"] {
            assert_eq!(
                text.parse::<Span>().map(|s| s.to_string()),
                Ok(text.to_owned())
            );
        }
        assert_eq!(
            "3..1".parse::<Span>(),
            Err(SpanError::Order("3..1".to_owned()))
        );
    }
}
