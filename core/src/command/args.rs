//! Reading and writing command arguments: the cursor every command parser uses and the
//! writer every encoder uses, so that keyword, number and list rules are defined once.

use crate::channel::{self, Capacity};
use crate::error::AcdError;
use crate::skill::{reject_duplicates, Skill};

/// An upper-cased keyword, without allocating: every keyword is short, and a longer
/// argument reads as the empty keyword, which none matches.
pub(crate) struct Keyword {
    bytes: [u8; Keyword::MAX],
    len: usize,
}

impl Keyword {
    const MAX: usize = 16;

    fn new(text: &str) -> Keyword {
        let mut keyword = Keyword {
            bytes: [0; Keyword::MAX],
            len: 0,
        };
        if text.len() <= Keyword::MAX {
            keyword.bytes[..text.len()].copy_from_slice(text.as_bytes());
            keyword.bytes[..text.len()].make_ascii_uppercase();
            keyword.len = text.len();
        }
        keyword
    }

    pub(crate) fn as_str(&self) -> &str {
        // Upper-casing ASCII letters keeps UTF-8 valid.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// A cursor over the arguments that follow the center key.
pub(crate) struct Args<'a> {
    command: &'static str,
    items: &'a [&'a [u8]],
    pos: usize,
}

impl<'a> Args<'a> {
    pub(crate) fn new(command: &'static str, items: &'a [&'a [u8]]) -> Args<'a> {
        Args {
            command,
            items,
            pos: 0,
        }
    }

    fn arity(&self) -> AcdError {
        AcdError::WrongArity(self.command.to_ascii_lowercase())
    }

    /// Fails with the arity error unless between `min` and `max` arguments remain.
    pub(crate) fn expect_count(&self, min: usize, max: usize) -> Result<(), AcdError> {
        let n = self.items.len() - self.pos;
        if n < min || n > max {
            return Err(self.arity());
        }
        Ok(())
    }

    fn take(&mut self) -> Option<&'a [u8]> {
        let item = self.items.get(self.pos)?;
        self.pos += 1;
        Some(item)
    }

    /// A required positional argument; missing is an arity error.
    pub(crate) fn positional(&mut self) -> Result<&'a str, AcdError> {
        utf8(self.positional_raw()?)
    }

    /// A required positional argument as raw bytes.
    pub(crate) fn positional_raw(&mut self) -> Result<&'a [u8], AcdError> {
        self.take().ok_or_else(|| self.arity())
    }

    /// A required agent or contact id.
    pub(crate) fn id(&mut self) -> Result<String, AcdError> {
        let id = self.positional()?;
        if id.is_empty() {
            return Err(AcdError::invalid("id must be non-empty"));
        }
        Ok(id.to_owned())
    }

    /// The value after a keyword; missing is a syntax error.
    pub(crate) fn value(&mut self) -> Result<&'a str, AcdError> {
        utf8(self.take().ok_or(AcdError::Syntax)?)
    }

    /// The value after a keyword, as raw bytes.
    pub(crate) fn raw_value(&mut self) -> Result<&'a [u8], AcdError> {
        self.take().ok_or(AcdError::Syntax)
    }

    /// The next optional keyword, upper-cased, or `None` at the end.
    pub(crate) fn keyword(&mut self) -> Result<Option<Keyword>, AcdError> {
        match self.take() {
            None => Ok(None),
            Some(raw) => Ok(Some(Keyword::new(utf8(raw)?))),
        }
    }

    /// How many arguments are left.
    pub(crate) fn remaining(&self) -> usize {
        self.items.len() - self.pos
    }

    /// Peeks at the argument `ahead` positions from the cursor.
    pub(crate) fn peek(&self, ahead: usize) -> Option<&'a [u8]> {
        self.items.get(self.pos + ahead).copied()
    }

    /// `SKILLS n skill...` after the keyword: a count, then exactly that many tokens.
    pub(crate) fn skill_list(&mut self) -> Result<Vec<Skill>, AcdError> {
        let count = self
            .value()?
            .parse::<usize>()
            .map_err(|_| AcdError::invalid("skill count must be a non-negative integer"))?;
        if count > self.remaining() {
            return Err(AcdError::Syntax);
        }
        let skills = (0..count)
            .map(|_| Skill::parse(self.value()?))
            .collect::<Result<Vec<_>, _>>()?;
        reject_duplicates(skills.iter().map(|s| s.name.as_str()))?;
        Ok(skills)
    }
}

impl Args<'_> {
    /// `CAPACITY channel=n...` after the keyword: every following token that holds `=`,
    /// at least one; sorted by channel name.
    pub(crate) fn capacity_list(&mut self) -> Result<Vec<Capacity>, AcdError> {
        let mut list = Vec::new();
        while self.peek(0).is_some_and(|item| item.contains(&b'=')) {
            list.push(Capacity::parse(self.value()?)?);
        }
        if list.is_empty() {
            return Err(AcdError::Syntax);
        }
        channel::sorted_unique(list)
    }

    /// `CHANNEL name` after the keyword.
    pub(crate) fn channel(&mut self) -> Result<String, AcdError> {
        Ok(channel::validate_channel(self.value()?)?.to_owned())
    }
}

/// Fails with a syntax error if `slot` was already set by an earlier keyword.
pub(crate) fn set_once<T>(slot: &mut Option<T>, value: T) -> Result<(), AcdError> {
    if slot.is_some() {
        return Err(AcdError::Syntax);
    }
    *slot = Some(value);
    Ok(())
}

pub(crate) fn utf8(raw: &[u8]) -> Result<&str, AcdError> {
    std::str::from_utf8(raw).map_err(|_| AcdError::invalid("arguments must be valid UTF-8"))
}

/// `AT ms`: a non-negative Unix time in milliseconds.
pub(crate) fn parse_at(text: &str) -> Result<i64, AcdError> {
    text.parse::<i64>()
        .ok()
        .filter(|v| *v >= 0)
        .ok_or_else(|| AcdError::invalid("AT must be a non-negative integer (Unix ms)"))
}

/// `COUNT n`: a positive integer.
pub(crate) fn parse_count(text: &str) -> Result<usize, AcdError> {
    text.parse::<usize>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| AcdError::invalid("COUNT must be a positive integer"))
}

/// `META json`: must be a JSON object (so UTF-8 text); kept verbatim.
pub(crate) fn parse_meta(raw: &[u8]) -> Result<String, AcdError> {
    match serde_json::from_slice::<serde_json::Value>(raw) {
        Ok(serde_json::Value::Object(_)) => Ok(String::from_utf8_lossy(raw).into_owned()),
        _ => Err(AcdError::invalid("meta must be a JSON object")),
    }
}

/// Builds an argument list, the inverse of [`Args`].
#[derive(Debug, Default)]
pub(crate) struct ArgWriter {
    pub(crate) items: Vec<Vec<u8>>,
}

impl ArgWriter {
    pub(crate) fn push(&mut self, item: impl AsRef<[u8]>) -> &mut Self {
        self.items.push(item.as_ref().to_vec());
        self
    }

    /// `KEYWORD value` when the value is present.
    pub(crate) fn option(&mut self, keyword: &str, value: Option<impl ToString>) -> &mut Self {
        if let Some(value) = value {
            self.push(keyword).push(value.to_string());
        }
        self
    }

    /// `CAPACITY channel=n...`, left out when it is the default (`voice=1`).
    pub(crate) fn capacity(&mut self, list: Option<&Vec<Capacity>>) -> &mut Self {
        if let Some(list) = list.filter(|l| **l != Capacity::default_set()) {
            self.push("CAPACITY");
            for entry in list {
                self.push(entry.token());
            }
        }
        self
    }

    /// `SKILLS n skill...`.
    pub(crate) fn skills(&mut self, skills: &[Skill]) -> &mut Self {
        self.push("SKILLS").push(skills.len().to_string());
        for skill in skills {
            self.push(skill.token());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Keyword;

    #[test]
    fn keywords_are_upper_cased_and_long_arguments_match_none() {
        assert_eq!(Keyword::new("skills").as_str(), "SKILLS");
        assert_eq!(Keyword::new("Priorité").as_str(), "PRIORITé");
        assert_eq!(
            Keyword::new("sixteen-bytes-xy").as_str(),
            "SIXTEEN-BYTES-XY"
        );
        assert_eq!(Keyword::new("seventeen-bytes-x").as_str(), "");
    }
}
