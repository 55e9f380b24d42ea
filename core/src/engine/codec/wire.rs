//! Wire primitives of the center encoding: a [`Writer`] and a bounds-checked [`Reader`] for
//! little-endian integers, length-prefixed UTF-8 strings, optional values and skill lists.
//! The reader never panics on malformed input: every shortfall is an [`AcdError::Corrupt`].

use crate::error::AcdError;
use crate::skill::{validate_name, Skill, MAX_LEVEL, MIN_LEVEL};

#[derive(Default)]
pub(super) struct Writer(pub(super) Vec<u8>);

impl Writer {
    pub(super) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(super) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn str(&mut self, v: &str) {
        self.0.extend_from_slice(&(v.len() as u32).to_le_bytes());
        self.0.extend_from_slice(v.as_bytes());
    }
    pub(super) fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }
    pub(super) fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.i64(x);
            }
        }
    }
    pub(super) fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                self.u64(x);
            }
        }
    }
    pub(super) fn skills(&mut self, mut skills: Vec<(&str, u8)>) {
        skills.sort_unstable();
        self.u64(skills.len() as u64);
        for (name, level) in skills {
            self.str(name);
            self.u8(level);
        }
    }
}

pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
}

pub(super) fn corrupt(what: &str) -> AcdError {
    AcdError::Corrupt(what.to_owned())
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], AcdError> {
        if self.bytes.len() < n {
            return Err(corrupt("truncated"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], AcdError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    pub(super) fn u8(&mut self) -> Result<u8, AcdError> {
        Ok(self.take(1)?[0])
    }
    pub(super) fn u64(&mut self) -> Result<u64, AcdError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub(super) fn i64(&mut self) -> Result<i64, AcdError> {
        Ok(i64::from_le_bytes(self.array()?))
    }
    pub(super) fn i128(&mut self) -> Result<i128, AcdError> {
        Ok(i128::from_le_bytes(self.array()?))
    }
    pub(super) fn flag(&mut self) -> Result<bool, AcdError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(corrupt("bad flag")),
        }
    }
    pub(super) fn str(&mut self) -> Result<String, AcdError> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        let raw = self.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|_| corrupt("string is not UTF-8"))
    }
    pub(super) fn id(&mut self) -> Result<String, AcdError> {
        let id = self.str()?;
        if id.is_empty() {
            return Err(corrupt("empty id"));
        }
        Ok(id)
    }
    pub(super) fn opt_str(&mut self) -> Result<Option<String>, AcdError> {
        if self.flag()? {
            Ok(Some(self.str()?))
        } else {
            Ok(None)
        }
    }
    pub(super) fn opt_i64(&mut self) -> Result<Option<i64>, AcdError> {
        if self.flag()? {
            Ok(Some(self.i64()?))
        } else {
            Ok(None)
        }
    }
    pub(super) fn opt_u64(&mut self) -> Result<Option<u64>, AcdError> {
        if self.flag()? {
            Ok(Some(self.u64()?))
        } else {
            Ok(None)
        }
    }
    pub(super) fn meta(&mut self) -> Result<Option<String>, AcdError> {
        let meta = self.opt_str()?;
        if let Some(text) = &meta {
            if !matches!(serde_json::from_str(text), Ok(serde_json::Value::Object(_))) {
                return Err(corrupt("meta is not a JSON object"));
            }
        }
        Ok(meta)
    }
    /// A count, bounded by the bytes left (each element takes at least `min_size`).
    pub(super) fn count(&mut self, min_size: usize) -> Result<usize, AcdError> {
        let n = self.u64()?;
        if n > (self.bytes.len() / min_size) as u64 {
            return Err(corrupt("count exceeds payload"));
        }
        Ok(n as usize)
    }
    pub(super) fn skills(&mut self) -> Result<Vec<Skill>, AcdError> {
        let n = self.count(5)?;
        let mut skills = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            validate_name(&name).map_err(|_| corrupt("bad skill name"))?;
            let level = self.u8()?;
            if !(MIN_LEVEL..=MAX_LEVEL).contains(&level) {
                return Err(corrupt("bad skill level"));
            }
            if skills.last().is_some_and(|s: &Skill| s.name >= name) {
                return Err(corrupt("skills not sorted and unique"));
            }
            skills.push(Skill::new(name, level));
        }
        Ok(skills)
    }
}

impl Reader<'_> {
    /// A channel name (as the grammar accepts it).
    pub(super) fn channel(&mut self) -> Result<String, AcdError> {
        let name = self.str()?;
        crate::channel::validate_channel(&name).map_err(|_| corrupt("bad channel name"))?;
        Ok(name)
    }
}
