//! Channels (`voice`, `chat`, `email`, ...) and agent capacity tokens: `channel=n`.
//!
//! A contact arrives on one channel (`ACD.ENQUEUE ... CHANNEL name`, default [`VOICE`]); an
//! agent can hold up to `n` contacts at once on each channel it has capacity on
//! (`ACD.AGENT.ADD ... CAPACITY voice=1 chat=3`, default `voice=1`).

use crate::error::AcdError;

/// The default channel, and the one `voice-blocks` is about.
pub const VOICE: &str = "voice";
/// Largest capacity an agent can have on one channel.
pub const MAX_CAPACITY: u32 = 1000;

/// How many contacts of a channel an agent can hold at once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Capacity {
    /// Channel name: non-empty, without `=`.
    pub channel: String,
    /// Contacts at once, `0..=MAX_CAPACITY`.
    pub slots: u32,
}

impl Capacity {
    /// A capacity; the caller guarantees the name and count are valid.
    pub fn new(channel: impl Into<String>, slots: u32) -> Capacity {
        Capacity {
            channel: channel.into(),
            slots,
        }
    }

    /// The capacity of an agent added without `CAPACITY`: one voice contact.
    pub fn default_set() -> Vec<Capacity> {
        vec![Capacity::new(VOICE, 1)]
    }

    /// Parses `channel=n`.
    pub fn parse(token: &str) -> Result<Capacity, AcdError> {
        let (channel, slots) = token.split_once('=').ok_or(AcdError::Syntax)?;
        let channel = validate_channel(channel)?;
        let slots = slots
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= MAX_CAPACITY)
            .ok_or_else(|| AcdError::invalid("capacity must be an integer from 0 to 1000"))?;
        Ok(Capacity::new(channel, slots))
    }

    /// The token form, `channel=n`.
    pub fn token(&self) -> String {
        format!("{}={}", self.channel, self.slots)
    }
}

/// Checks a channel name (the skill-name rule).
pub(crate) fn validate_channel(name: &str) -> Result<&str, AcdError> {
    crate::skill::validate_label(name, "channel")
}

/// Sorts a capacity list by channel name, rejecting a channel named twice.
pub(crate) fn sorted_unique(mut list: Vec<Capacity>) -> Result<Vec<Capacity>, AcdError> {
    list.sort_unstable();
    match list.windows(2).find(|w| w[0].channel == w[1].channel) {
        Some(w) => Err(AcdError::InvalidValue(format!(
            "duplicate channel '{}'",
            w[0].channel
        ))),
        None => Ok(list),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tokens() {
        let name = "channel name must be non-empty and must not contain '='";
        let count = "capacity must be an integer from 0 to 1000";
        let cases: &[(&str, Result<Capacity, &str>)] = &[
            ("chat=3", Ok(Capacity::new("chat", 3))),
            ("voice=0", Ok(Capacity::new("voice", 0))),
            ("email=1000", Ok(Capacity::new("email", 1000))),
            ("email=1001", Err(count)),
            ("chat=-1", Err(count)),
            ("chat=x", Err(count)),
            ("chat=", Err(count)),
            ("=3", Err(name)),
            ("chat", Err("syntax error")),
        ];
        for (token, want) in cases {
            let got = Capacity::parse(token).map_err(|e| e.to_string());
            assert_eq!(got, want.clone().map_err(str::to_owned), "token {token:?}");
        }
    }

    #[test]
    fn lists_are_sorted_and_unique() {
        let list = vec![Capacity::new("voice", 1), Capacity::new("chat", 2)];
        let sorted = sorted_unique(list).unwrap();
        assert_eq!(sorted[0].channel, "chat");
        let twice = vec![Capacity::new("chat", 1), Capacity::new("chat", 2)];
        assert_eq!(
            sorted_unique(twice).unwrap_err().to_string(),
            "duplicate channel 'chat'"
        );
    }
}
