//! Contact commands: enqueue, dispatch, complete, read, and the queue listing.

use super::args::{parse_at, parse_count, parse_meta, set_once, ArgWriter, Args, Keyword};
use super::{at_only, Spec};
use crate::error::AcdError;
use crate::skill::Skill;

/// `ACD.ENQUEUE key contact SKILLS n skill... [THEN ms SKILLS n skill...]... [CHANNEL name]
/// [PRIORITY p] [META json] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enqueue {
    /// New contact id.
    pub contact: String,
    /// Required skills with minimum levels (empty: any agent).
    pub skills: Vec<Skill>,
    /// Later requirements, each replacing the previous one once the contact has waited
    /// `after_ms`; times strictly increasing.
    pub relax: Vec<Relaxation>,
    /// The channel it arrives on (`None`: `voice`).
    pub channel: Option<String>,
    /// Higher is served first; default 0.
    pub priority: Option<i64>,
    /// JSON object kept verbatim.
    pub meta: Option<String>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Enqueue {
    const NAME: &'static str = "ACD.ENQUEUE";

    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let contact = args.id()?;
        let (mut skills, mut channel, mut priority, mut meta, mut at) =
            (None, None, None, None, None);
        let mut relax: Vec<Relaxation> = Vec::new();
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "SKILLS" => set_once(&mut skills, args.skill_list()?)?,
                "THEN" if skills.is_some() => relax.push(Relaxation::parse_after(args, &relax)?),
                "CHANNEL" => set_once(&mut channel, args.channel()?)?,
                "PRIORITY" => set_once(&mut priority, parse_priority(args.value()?)?)?,
                "META" => set_once(&mut meta, parse_meta(args.raw_value()?)?)?,
                "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Enqueue {
            contact,
            skills: skills.ok_or(AcdError::Syntax)?,
            relax,
            channel,
            priority,
            meta,
            at,
        })
    }

    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.contact).skills(&self.skills);
        for step in &self.relax {
            w.push("THEN")
                .push(step.after_ms.to_string())
                .skills(&step.skills);
        }
        w.option("CHANNEL", self.channel.as_ref())
            .option("PRIORITY", self.priority)
            .option("META", self.meta.as_ref())
            .option("AT", self.at);
    }
}

/// One `THEN ms SKILLS n skill...` step of [`Enqueue`]: after waiting `after_ms` (from
/// enqueue), the contact needs these skills instead, keeping its place in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxation {
    /// Wait (ms since enqueue) after which this requirement applies; positive.
    pub after_ms: u64,
    /// The requirement from then on (empty: any agent).
    pub skills: Vec<Skill>,
}

impl Relaxation {
    /// `ms SKILLS n skill...` after `THEN`; `ms` must exceed every earlier step's.
    fn parse_after(args: &mut Args, earlier: &[Relaxation]) -> Result<Relaxation, AcdError> {
        let after_ms = args
            .value()?
            .parse::<u64>()
            .ok()
            .filter(|ms| (1..=i64::MAX as u64 / 2).contains(ms))
            .ok_or_else(|| AcdError::invalid("THEN must be a positive integer (ms)"))?;
        if earlier.last().is_some_and(|step| after_ms <= step.after_ms) {
            return Err(AcdError::invalid("THEN times must be strictly increasing"));
        }
        if args.keyword()?.as_ref().map(Keyword::as_str) != Some("SKILLS") {
            return Err(AcdError::Syntax);
        }
        Ok(Relaxation {
            after_ms,
            skills: args.skill_list()?,
        })
    }
}

/// `ACD.DISPATCH key [COUNT n] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    /// At most this many assignments.
    pub count: Option<usize>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Dispatch {
    const NAME: &'static str = "ACD.DISPATCH";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let (mut count, mut at) = (None, None);
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "COUNT" => set_once(&mut count, parse_count(args.value()?)?)?,
                "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Dispatch { count, at })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("COUNT", self.count).option("AT", self.at);
    }
}

/// `ACD.COMPLETE key contact [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complete(pub ContactAt);

impl Spec for Complete {
    const NAME: &'static str = "ACD.COMPLETE";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        ContactAt::parse_with(args).map(Complete)
    }
    fn encode(&self, w: &mut ArgWriter) {
        self.0.encode_with(w)
    }
}

/// A contact id and an optional event time: `ACD.COMPLETE`, `ACD.ACCEPT`, `ACD.REJECT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactAt {
    /// Contact id.
    pub contact: String,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl ContactAt {
    fn parse_with(args: &mut Args) -> Result<Self, AcdError> {
        let contact = args.id()?;
        Ok(ContactAt {
            contact,
            at: at_only(args)?,
        })
    }

    fn encode_with(&self, w: &mut ArgWriter) {
        w.push(&self.contact).option("AT", self.at);
    }
}

/// `ACD.ACCEPT key contact [AT ms]`: the offered agent takes the contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accept(pub ContactAt);

impl Spec for Accept {
    const NAME: &'static str = "ACD.ACCEPT";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        ContactAt::parse_with(args).map(Accept)
    }
    fn encode(&self, w: &mut ArgWriter) {
        self.0.encode_with(w)
    }
}

/// `ACD.REJECT key contact [AT ms]`: the offered agent declines; the contact goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject(pub ContactAt);

impl Spec for Reject {
    const NAME: &'static str = "ACD.REJECT";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        ContactAt::parse_with(args).map(Reject)
    }
    fn encode(&self, w: &mut ArgWriter) {
        self.0.encode_with(w)
    }
}

/// `ACD.ESTIMATE key SKILLS n skill... [CHANNEL name] [PRIORITY p] [AT ms]`: estimated wait
/// for a new contact with these requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// Required skills with minimum levels.
    pub skills: Vec<Skill>,
    /// The channel it would arrive on (`None`: `voice`).
    pub channel: Option<String>,
    /// Priority the contact would have.
    pub priority: Option<i64>,
    /// Time to estimate at (Unix ms).
    pub at: Option<i64>,
}

impl Spec for Estimate {
    const NAME: &'static str = "ACD.ESTIMATE";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let (mut skills, mut channel, mut priority, mut at) = (None, None, None, None);
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "SKILLS" => set_once(&mut skills, args.skill_list()?)?,
                "CHANNEL" => set_once(&mut channel, args.channel()?)?,
                "PRIORITY" => set_once(&mut priority, parse_priority(args.value()?)?)?,
                "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Estimate {
            skills: skills.ok_or(AcdError::Syntax)?,
            channel,
            priority,
            at,
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.skills(&self.skills)
            .option("CHANNEL", self.channel.as_ref())
            .option("PRIORITY", self.priority)
            .option("AT", self.at);
    }
}

fn parse_priority(text: &str) -> Result<i64, AcdError> {
    text.parse::<i64>()
        .map_err(|_| AcdError::invalid("priority must be an integer"))
}

/// `ACD.CONTACT.GET key contact`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactGet {
    /// Contact id.
    pub contact: String,
}

impl Spec for ContactGet {
    const NAME: &'static str = "ACD.CONTACT.GET";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(1, 1)?;
        Ok(ContactGet {
            contact: args.id()?,
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.contact);
    }
}

/// `ACD.QUEUE key [COUNT n]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// At most this many ids.
    pub count: Option<usize>,
}

impl Spec for Queue {
    const NAME: &'static str = "ACD.QUEUE";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let mut count = None;
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "COUNT" => set_once(&mut count, parse_count(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Queue { count })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("COUNT", self.count);
    }
}
