//! Skill tokens: `name` or `name=level`, with levels 1..=10.
//!
//! For an agent the level is its proficiency; for a contact it is the minimum proficiency
//! an agent needs. The same token syntax serves both.

use crate::error::AcdError;

/// Lowest skill level.
pub const MIN_LEVEL: u8 = 1;
/// Highest skill level.
pub const MAX_LEVEL: u8 = 10;

/// A skill with a level: an agent's proficiency, or a contact's minimum requirement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Skill {
    /// Skill name: non-empty, without `=`.
    pub name: String,
    /// Level in `MIN_LEVEL..=MAX_LEVEL`.
    pub level: u8,
}

impl Skill {
    /// A skill at `level`; the caller guarantees the name and level are valid.
    pub fn new(name: impl Into<String>, level: u8) -> Skill {
        Skill {
            name: name.into(),
            level,
        }
    }

    /// Parses `name` (level 1) or `name=level`.
    pub fn parse(token: &str) -> Result<Skill, AcdError> {
        match token.split_once('=') {
            None => Ok(Skill::new(validate_name(token)?, MIN_LEVEL)),
            Some((name, level)) => {
                let name = validate_name(name)?;
                let level = level
                    .parse::<u8>()
                    .ok()
                    .filter(|l| (MIN_LEVEL..=MAX_LEVEL).contains(l))
                    .ok_or_else(|| AcdError::invalid("level must be an integer from 1 to 10"))?;
                Ok(Skill::new(name, level))
            }
        }
    }

    /// The token form: `name` at level 1, `name=level` otherwise.
    pub fn token(&self) -> String {
        if self.level == MIN_LEVEL {
            self.name.clone()
        } else {
            format!("{}={}", self.name, self.level)
        }
    }
}

/// Checks a bare skill name (no level).
pub(crate) fn validate_name(name: &str) -> Result<&str, AcdError> {
    validate_label(name, "skill")
}

/// Checks the name of a `kind` (skill, channel) used in `name=value` tokens: non-empty and
/// without `=`.
pub(crate) fn validate_label<'a>(name: &'a str, kind: &str) -> Result<&'a str, AcdError> {
    if name.is_empty() || name.contains('=') {
        return Err(AcdError::InvalidValue(format!(
            "{kind} name must be non-empty and must not contain '='"
        )));
    }
    Ok(name)
}

/// Rejects a list that names the same skill twice.
pub(crate) fn reject_duplicates<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<(), AcdError> {
    // Lists are short (a contact needs a few skills): up to 16 names pairwise, no allocation.
    let duplicate = if names.clone().nth(16).is_none() {
        names
            .clone()
            .enumerate()
            .find(|&(i, name)| names.clone().skip(i + 1).any(|other| other == name))
            .map(|(_, name)| name)
    } else {
        let mut seen: Vec<&str> = names.collect();
        seen.sort_unstable();
        seen.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    };
    match duplicate {
        Some(name) => Err(AcdError::InvalidValue(format!("duplicate skill '{name}'"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tokens() {
        let cases: &[(&str, Result<Skill, &str>)] = &[
            ("english", Ok(Skill::new("english", 1))),
            ("english=10", Ok(Skill::new("english", 10))),
            ("english=0", Err("level must be an integer from 1 to 10")),
            ("english=11", Err("level must be an integer from 1 to 10")),
            ("english=x", Err("level must be an integer from 1 to 10")),
            ("english=", Err("level must be an integer from 1 to 10")),
            (
                "=3",
                Err("skill name must be non-empty and must not contain '='"),
            ),
            (
                "",
                Err("skill name must be non-empty and must not contain '='"),
            ),
            ("a=1=2", Err("level must be an integer from 1 to 10")),
        ];
        for (token, want) in cases {
            let got = Skill::parse(token).map_err(|e| e.to_string());
            assert_eq!(got, want.clone().map_err(str::to_owned), "token {token:?}");
        }
    }

    #[test]
    fn token_round_trips() {
        for token in ["billing", "billing=7"] {
            assert_eq!(Skill::parse(token).unwrap().token(), token);
        }
    }

    #[test]
    fn duplicates_are_named() {
        let err = reject_duplicates(["a", "b", "a"].into_iter()).unwrap_err();
        assert_eq!(err.to_string(), "duplicate skill 'a'");
        assert!(reject_duplicates(["a", "b"].into_iter()).is_ok());
        // Past 16 names the list is sorted instead of compared pairwise.
        let mut long: Vec<String> = (0..30).map(|i| format!("s{i}")).collect();
        assert!(reject_duplicates(long.iter().map(String::as_str)).is_ok());
        long.push("s7".into());
        let err = reject_duplicates(long.iter().map(String::as_str)).unwrap_err();
        assert_eq!(err.to_string(), "duplicate skill 's7'");
    }
}
