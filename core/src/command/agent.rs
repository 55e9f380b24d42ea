//! Agent commands: add, delete, read, metadata, skills, and the ready/not-ready state.

use super::args::{parse_at, parse_meta, set_once, ArgWriter, Args};
use super::{at_only, Spec};
use crate::channel::Capacity;
use crate::error::AcdError;
use crate::skill::{reject_duplicates, validate_name, Skill};
use crate::AgentState;

/// `ACD.AGENT.ADD key agent SKILLS n skill... [CAPACITY channel=n...] [META json] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentAdd {
    /// New agent id.
    pub agent: String,
    /// Skills with proficiency levels.
    pub skills: Vec<Skill>,
    /// Contacts it can hold at once per channel, sorted by channel (`None`: `voice=1`).
    pub capacity: Option<Vec<Capacity>>,
    /// JSON object kept verbatim.
    pub meta: Option<String>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for AgentAdd {
    const NAME: &'static str = "ACD.AGENT.ADD";

    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let agent = args.id()?;
        let (mut skills, mut capacity, mut meta, mut at) = (None, None, None, None);
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "SKILLS" => set_once(&mut skills, args.skill_list()?)?,
                "CAPACITY" => set_once(&mut capacity, args.capacity_list()?)?,
                "META" => set_once(&mut meta, parse_meta(args.raw_value()?)?)?,
                "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        let skills = skills.ok_or(AcdError::Syntax)?;
        Ok(AgentAdd {
            agent,
            skills,
            capacity,
            meta,
            at,
        })
    }

    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent)
            .skills(&self.skills)
            .capacity(self.capacity.as_ref())
            .option("META", self.meta.as_ref())
            .option("AT", self.at);
    }
}

/// An agent id and an optional event time: `ACD.AGENT.DEL` and `ACD.READY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentAt {
    /// Agent id.
    pub agent: String,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl AgentAt {
    fn parse_with(args: &mut Args) -> Result<Self, AcdError> {
        let agent = args.id()?;
        Ok(AgentAt {
            agent,
            at: at_only(args)?,
        })
    }

    fn encode_with(&self, w: &mut ArgWriter) {
        w.push(&self.agent).option("AT", self.at);
    }
}

/// `ACD.AGENT.DEL key agent [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentDel(pub AgentAt);

impl Spec for AgentDel {
    const NAME: &'static str = "ACD.AGENT.DEL";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        AgentAt::parse_with(args).map(AgentDel)
    }
    fn encode(&self, w: &mut ArgWriter) {
        self.0.encode_with(w)
    }
}

/// `ACD.READY key agent [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ready(pub AgentAt);

impl Spec for Ready {
    const NAME: &'static str = "ACD.READY";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        AgentAt::parse_with(args).map(Ready)
    }
    fn encode(&self, w: &mut ArgWriter) {
        self.0.encode_with(w)
    }
}

/// `ACD.AGENT.GET key agent`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentGet {
    /// Agent id.
    pub agent: String,
}

impl Spec for AgentGet {
    const NAME: &'static str = "ACD.AGENT.GET";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(1, 1)?;
        Ok(AgentGet { agent: args.id()? })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent);
    }
}

/// `ACD.AGENT.META key agent json [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMeta {
    /// Agent id.
    pub agent: String,
    /// JSON object kept verbatim, replacing the previous one.
    pub meta: String,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for AgentMeta {
    const NAME: &'static str = "ACD.AGENT.META";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let agent = args.id()?;
        let meta = parse_meta(args.positional_raw()?)?;
        Ok(AgentMeta {
            agent,
            meta,
            at: at_only(args)?,
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent).push(&self.meta).option("AT", self.at);
    }
}

/// Splits `token... [AT ms]`: a trailing `AT <value>` pair is the event time.
fn tokens_then_at<'a>(args: &mut Args<'a>) -> Result<(Vec<&'a str>, Option<i64>), AcdError> {
    let n = args.remaining();
    let has_at = n >= 3 && matches!(args.peek(n - 2), Some(t) if t.eq_ignore_ascii_case(b"AT"));
    let token_count = if has_at { n - 2 } else { n };
    let tokens = (0..token_count)
        .map(|_| args.value())
        .collect::<Result<Vec<_>, _>>()?;
    let at = if has_at {
        args.value()?;
        Some(parse_at(args.value()?)?)
    } else {
        None
    };
    Ok((tokens, at))
}

/// `ACD.AGENT.GRANT key agent skill [skill ...] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentGrant {
    /// Agent id.
    pub agent: String,
    /// Skills to add, or whose level to change.
    pub skills: Vec<Skill>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for AgentGrant {
    const NAME: &'static str = "ACD.AGENT.GRANT";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(2, usize::MAX)?;
        let agent = args.id()?;
        let (tokens, at) = tokens_then_at(args)?;
        let skills = tokens
            .into_iter()
            .map(Skill::parse)
            .collect::<Result<Vec<_>, _>>()?;
        reject_duplicates(skills.iter().map(|s| s.name.as_str()))?;
        Ok(AgentGrant { agent, skills, at })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent);
        for skill in &self.skills {
            w.push(skill.token());
        }
        w.option("AT", self.at);
    }
}

/// `ACD.AGENT.REVOKE key agent skill [skill ...] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRevoke {
    /// Agent id.
    pub agent: String,
    /// Skill names to remove.
    pub skills: Vec<String>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for AgentRevoke {
    const NAME: &'static str = "ACD.AGENT.REVOKE";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        args.expect_count(2, usize::MAX)?;
        let agent = args.id()?;
        let (tokens, at) = tokens_then_at(args)?;
        let skills = tokens
            .into_iter()
            .map(|t| validate_name(t).map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()?;
        reject_duplicates(skills.iter().map(String::as_str))?;
        Ok(AgentRevoke { agent, skills, at })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent);
        for skill in &self.skills {
            w.push(skill);
        }
        w.option("AT", self.at);
    }
}

/// `ACD.SKILL.DEL key skill [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillDel {
    /// Skill name to remove from every agent.
    pub skill: String,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for SkillDel {
    const NAME: &'static str = "ACD.SKILL.DEL";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let skill = validate_name(args.positional()?)?.to_owned();
        Ok(SkillDel {
            skill,
            at: at_only(args)?,
        })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.skill).option("AT", self.at);
    }
}

/// `ACD.NOTREADY key agent [REASON text] [AT ms]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotReady {
    /// Agent id.
    pub agent: String,
    /// Free-text reason code.
    pub reason: Option<String>,
    /// Event time (Unix ms).
    pub at: Option<i64>,
}

impl Spec for NotReady {
    const NAME: &'static str = "ACD.NOTREADY";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let agent = args.id()?;
        let (mut reason, mut at) = (None, None);
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "REASON" => set_once(&mut reason, args.value()?.to_owned())?,
                "AT" => set_once(&mut at, parse_at(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(NotReady { agent, reason, at })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.push(&self.agent)
            .option("REASON", self.reason.as_ref())
            .option("AT", self.at);
    }
}

/// `ACD.AGENTS key [STATE ready|notready|busy]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agents {
    /// Only agents in this state.
    pub state: Option<AgentState>,
}

impl Spec for Agents {
    const NAME: &'static str = "ACD.AGENTS";
    fn parse(args: &mut Args) -> Result<Self, AcdError> {
        let mut state = None;
        while let Some(keyword) = args.keyword()? {
            match keyword.as_str() {
                "STATE" => set_once(&mut state, AgentState::parse(args.value()?)?)?,
                _ => return Err(AcdError::Syntax),
            }
        }
        Ok(Agents { state })
    }
    fn encode(&self, w: &mut ArgWriter) {
        w.option("STATE", self.state.map(AgentState::as_str));
    }
}
