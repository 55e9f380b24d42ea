//! [`Center`]: the handle on one contact center (one Redis key), with one method per
//! `ACD.*` command. Each method returns a [`Request`] holding the required arguments;
//! optional arguments are setters on it, and awaiting it sends the command.

use std::sync::Arc;

use acd_core::command::{
    Accept, AgentAdd, AgentDel, AgentGet, AgentGrant, AgentMeta, AgentRevoke, Agents, Check, Close,
    Complete, ConfigParam, ConfigValue, ContactGet, Dispatch, Enqueue, Estimate, Events, NotReady,
    Open, Queue, Ready, Reject, SkillDel, Stats, Tick,
};
use acd_core::{Command, Skill};
use redis::aio::ConnectionLike;
use redis::{Cmd, Value};
use serde::Serialize;

use crate::client::Connection;
use crate::error::AcdClientError;
use crate::request::{
    agent_at, contact_at, meta_text, Call, ConfigAll, ConfigGet, ConfigSet, Request,
};

/// One contact center: the key every command of this handle addresses. Cheap to clone.
///
/// The methods mirror the commands; see the README's command reference for each one's
/// semantics, complexity and errors.
#[derive(Clone)]
pub struct Center {
    connection: Connection,
    key: Arc<str>,
}

impl Center {
    pub(crate) fn new(connection: Connection, key: String) -> Center {
        Center {
            connection,
            key: key.into(),
        }
    }

    /// The center's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// A request for any command of the core grammar, built by the caller.
    pub fn request<C: Call>(&self, call: C) -> Request<C> {
        Request::new(self.clone(), call)
    }

    /// Sends `command` on this center's key and returns the raw reply; an error reply is
    /// mapped to its [`AcdClientError`] variant.
    pub async fn execute(&self, command: &Command) -> Result<Value, AcdClientError> {
        let mut connection = self.connection.clone();
        self.cmd(command)
            .query_async::<Value>(&mut connection)
            .await
            .map_err(AcdClientError::from_redis)
    }

    /// Sends two commands in one round trip (a pipeline: the second runs right after the
    /// first on this connection); answers both raw replies, each an error of its own.
    pub(crate) async fn execute_pair(
        &self,
        first: &Command,
        second: &Command,
    ) -> Result<[Result<Value, AcdClientError>; 2], AcdClientError> {
        let mut pipe = redis::pipe();
        pipe.add_command(self.cmd(first))
            .add_command(self.cmd(second));
        let mut connection = self.connection.clone();
        let replies = connection
            .req_packed_commands(&pipe, 0, 2)
            .await
            .map_err(AcdClientError::from_redis)?;
        let mut replies = replies.into_iter().map(|reply| match reply {
            Value::ServerError(err) => Err(AcdClientError::from_redis(err.into())),
            other => Ok(other),
        });
        let missing = || AcdClientError::UnexpectedReply {
            command: second.name(),
            detail: "the pipeline answered fewer than two replies".to_owned(),
        };
        let a = replies.next().ok_or_else(missing)?;
        let b = replies.next().ok_or_else(missing)?;
        Ok([a, b])
    }

    /// The command line: name, this center's key, then the arguments.
    fn cmd(&self, command: &Command) -> Cmd {
        let mut cmd = redis::cmd(command.name());
        cmd.arg(self.key.as_bytes());
        for arg in command.encode() {
            cmd.arg(arg);
        }
        cmd
    }

    /// `ACD.AGENT.ADD key agent SKILLS n skill... [CAPACITY channel=n...] [META json] [AT ms]`:
    /// adds a not-ready agent (capacity `voice=1` unless [`Request::capacity`] is given).
    /// `EXISTS` if the id is taken.
    pub fn agent_add(
        &self,
        agent: impl Into<String>,
        skills: impl IntoIterator<Item = Skill>,
    ) -> Request<AgentAdd> {
        self.request(AgentAdd {
            agent: agent.into(),
            skills: skills.into_iter().collect(),
            capacity: None,
            meta: None,
            at: None,
        })
    }

    /// `ACD.AGENT.DEL key agent [AT ms]`: removes an agent; a contact it was handling goes
    /// back to the queue at its original place.
    pub fn agent_del(&self, agent: impl Into<String>) -> Request<AgentDel> {
        self.request(AgentDel(agent_at(agent)))
    }

    /// `ACD.AGENT.GET key agent`: the agent record.
    pub fn agent_get(&self, agent: impl Into<String>) -> Request<AgentGet> {
        self.request(AgentGet {
            agent: agent.into(),
        })
    }

    /// `ACD.AGENT.META key agent json [AT ms]`: replaces the agent's meta object with
    /// `meta` serialized to JSON (it must serialize to an object).
    pub fn agent_meta<M: Serialize + ?Sized>(
        &self,
        agent: impl Into<String>,
        meta: &M,
    ) -> Request<AgentMeta> {
        let (meta, error) = match meta_text(meta) {
            Ok(text) => (text, None),
            Err(err) => (String::new(), Some(err)),
        };
        self.request(AgentMeta {
            agent: agent.into(),
            meta,
            at: None,
        })
        .failed(error)
    }

    /// `ACD.AGENT.GRANT key agent skill... [AT ms]`: adds skills or changes their levels.
    pub fn agent_grant(
        &self,
        agent: impl Into<String>,
        skills: impl IntoIterator<Item = Skill>,
    ) -> Request<AgentGrant> {
        self.request(AgentGrant {
            agent: agent.into(),
            skills: skills.into_iter().collect(),
            at: None,
        })
    }

    /// `ACD.AGENT.REVOKE key agent skill... [AT ms]`: removes skills by name.
    pub fn agent_revoke<S: Into<String>>(
        &self,
        agent: impl Into<String>,
        skills: impl IntoIterator<Item = S>,
    ) -> Request<AgentRevoke> {
        self.request(AgentRevoke {
            agent: agent.into(),
            skills: skills.into_iter().map(Into::into).collect(),
            at: None,
        })
    }

    /// `ACD.SKILL.DEL key skill [AT ms]`: removes a skill from every agent; answers how
    /// many lost it.
    pub fn skill_del(&self, skill: impl Into<String>) -> Request<SkillDel> {
        self.request(SkillDel {
            skill: skill.into(),
            at: None,
        })
    }

    /// `ACD.READY key agent [AT ms]`: the agent becomes ready; answers the contact it was
    /// given at once, if any.
    pub fn ready(&self, agent: impl Into<String>) -> Request<Ready> {
        self.request(Ready(agent_at(agent)))
    }

    /// `ACD.NOTREADY key agent [REASON text] [AT ms]`.
    pub fn not_ready(&self, agent: impl Into<String>) -> Request<NotReady> {
        self.request(NotReady {
            agent: agent.into(),
            reason: None,
            at: None,
        })
    }

    /// `ACD.AGENTS key [STATE s]`: agent ids (ready ones in longest-available order).
    pub fn agents(&self) -> Request<Agents> {
        self.request(Agents { state: None })
    }

    /// `ACD.ENQUEUE key contact SKILLS n skill... [THEN ...] [CHANNEL name] [PRIORITY p]
    /// [META json] [AT ms]`: queues a contact (on `voice` unless [`Request::channel`] is
    /// given); answers the agent it was given at once, if any. See the crate docs for
    /// retrying it safely.
    pub fn enqueue(
        &self,
        contact: impl Into<String>,
        skills: impl IntoIterator<Item = Skill>,
    ) -> Request<Enqueue> {
        self.request(Enqueue {
            contact: contact.into(),
            skills: skills.into_iter().collect(),
            relax: Vec::new(),
            channel: None,
            priority: None,
            meta: None,
            at: None,
        })
    }

    /// `ACD.DISPATCH key [COUNT n] [AT ms]`: routes the queue (manual mode); answers the
    /// assignments made.
    pub fn dispatch(&self) -> Request<Dispatch> {
        self.request(Dispatch {
            count: None,
            at: None,
        })
    }

    /// `ACD.COMPLETE key contact [AT ms]`: ends a contact; answers
    /// [`acd_core::ContactState::Completed`] when it had an agent, `Abandoned` when it was
    /// still waiting (or its end state again, when it had already ended).
    pub fn complete(&self, contact: impl Into<String>) -> Request<Complete> {
        self.request(Complete(contact_at(contact)))
    }

    /// `ACD.ACCEPT key contact [AT ms]`: the agent offered the contact takes it.
    pub fn accept(&self, contact: impl Into<String>) -> Request<Accept> {
        self.request(Accept(contact_at(contact)))
    }

    /// `ACD.REJECT key contact [AT ms]`: the agent offered the contact declines it.
    pub fn reject(&self, contact: impl Into<String>) -> Request<Reject> {
        self.request(Reject(contact_at(contact)))
    }

    /// `ACD.CONTACT.GET key contact`: the contact record.
    pub fn contact_get(&self, contact: impl Into<String>) -> Request<ContactGet> {
        self.request(ContactGet {
            contact: contact.into(),
        })
    }

    /// `ACD.QUEUE key [COUNT n]`: queued contact ids in routing order.
    pub fn queue(&self) -> Request<Queue> {
        self.request(Queue { count: None })
    }

    /// `ACD.OPEN key [AT ms]`: opens the center; every not-ready agent becomes ready.
    pub fn open(&self) -> Request<Open> {
        self.request(Open { at: None })
    }

    /// `ACD.CLOSE key [AT ms]`: closes the center; agents go not ready as they are freed.
    pub fn close(&self) -> Request<Close> {
        self.request(Close { at: None })
    }

    /// `ACD.STATS key [AT ms]`: the statistics, with waits measured at `AT` (or now).
    pub fn stats(&self) -> Request<Stats> {
        self.request(Stats { at: None })
    }

    /// `ACD.CONFIG.GET key param` (a read: replicas and read-only ACL users may send it).
    pub fn config_get(&self, param: ConfigParam) -> Request<ConfigGet> {
        self.request(ConfigGet(param))
    }

    /// `ACD.CONFIG.GET key`: every parameter, in [`ConfigParam::ALL`]'s order.
    pub fn config_all(&self) -> Request<ConfigAll> {
        self.request(ConfigAll)
    }

    /// `ACD.CONFIG key SET param value [AT ms]`.
    pub fn config_set(&self, value: ConfigValue) -> Request<ConfigSet> {
        self.request(ConfigSet { value, at: None })
    }

    /// `ACD.TICK key [AT ms]`: applies the deadlines due; answers how many.
    pub fn tick(&self) -> Request<Tick> {
        self.request(Tick { at: None })
    }

    /// `ACD.EVENTS key [SINCE id] [COUNT n] [BLOCK ms]`: event log entries, oldest first.
    pub fn events(&self) -> Request<Events> {
        self.request(Events {
            since: None,
            count: None,
            block: None,
        })
    }

    /// `ACD.CHECK key`: the invariant violations found (empty when the center is sound).
    pub fn check(&self) -> Request<Check> {
        self.request(Check)
    }

    /// `ACD.ESTIMATE key SKILLS n skill... [CHANNEL name] [PRIORITY p] [AT ms]`: the expected
    /// wait (ms) of a new contact needing these skills; `None` when nobody staffed could serve it or no
    /// handle time is known yet.
    pub fn estimate(&self, skills: impl IntoIterator<Item = Skill>) -> Request<Estimate> {
        self.request(Estimate {
            skills: skills.into_iter().collect(),
            channel: None,
            priority: None,
            at: None,
        })
    }
}
