//! A naive reference model of the routing rules: plain maps, full scans, no indexes. The
//! property tests run the same operations on it and on the engine and compare every reply.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::{ContactState, Mode, Reply};

#[derive(Clone, Debug, PartialEq)]
enum AgentSt {
    NotReady(Option<String>),
    Ready,
    Busy(String),
}

#[derive(Clone, Debug)]
struct Agent {
    skills: BTreeMap<String, u8>,
    st: AgentSt,
    since: i64,
    seq: u64,
}

#[derive(Clone, Debug)]
struct Contact {
    reqs: BTreeMap<String, u8>,
    priority: i64,
    st: ContactState,
    agent: Option<String>,
    enq: i64,
    seq: u64,
    ended: Option<i64>,
}

/// Reference center. Errors are reported by code only.
#[derive(Clone, Debug)]
pub(super) struct Model {
    mode: Mode,
    open: bool,
    retention_s: i64,
    seq: u64,
    agents: BTreeMap<String, Agent>,
    contacts: BTreeMap<String, Contact>,
    pub(super) enqueued: i64,
    pub(super) assigned: i64,
    pub(super) completed: i64,
    pub(super) abandoned: i64,
    wait: i64,
}

pub(super) type Res = Result<Reply, &'static str>;

/// Busy (agent, contact) pairs and (contact, state) of every live contact.
pub(super) type Snapshot = (Vec<(String, String)>, Vec<(String, &'static str)>);

fn eligible(a: &Agent, reqs: &BTreeMap<String, u8>) -> bool {
    reqs.iter()
        .all(|(s, l)| a.skills.get(s).is_some_and(|have| have >= l))
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.to_owned())
}

impl Model {
    pub(super) fn new() -> Model {
        Model {
            mode: Mode::Auto,
            open: true,
            retention_s: 3600,
            seq: 0,
            agents: BTreeMap::new(),
            contacts: BTreeMap::new(),
            enqueued: 0,
            assigned: 0,
            completed: 0,
            abandoned: 0,
            wait: 0,
        }
    }

    fn expired(&self, c: &Contact, now: i64) -> bool {
        c.ended.is_some_and(|e| e + self.retention_s * 1000 <= now)
    }

    fn live(&self, id: &str, now: i64) -> bool {
        self.contacts.get(id).is_some_and(|c| !self.expired(c, now))
    }

    /// Applies due retention: like the engine, before every write, failed or not.
    pub(super) fn settle(&mut self, now: i64) {
        let gone: Vec<String> = self
            .contacts
            .iter()
            .filter(|(_, c)| self.expired(c, now))
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.contacts.remove(&id);
        }
    }

    fn laa(&self, reqs: &BTreeMap<String, u8>) -> Option<String> {
        self.agents
            .iter()
            .filter(|(_, a)| a.st == AgentSt::Ready && eligible(a, reqs))
            .min_by_key(|(_, a)| (a.since, a.seq))
            .map(|(id, _)| id.clone())
    }

    fn queued_in_order(&self) -> Vec<String> {
        let mut q: Vec<(&String, &Contact)> = self
            .contacts
            .iter()
            .filter(|(_, c)| c.st == ContactState::Queued)
            .collect();
        q.sort_by_key(|(_, c)| (Reverse(c.priority), c.enq, c.seq));
        q.into_iter().map(|(id, _)| id.clone()).collect()
    }

    fn assign(&mut self, c: &str, a: &str, now: i64) {
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Assigned;
        contact.agent = Some(a.to_owned());
        self.wait += (now - contact.enq).max(0);
        self.assigned += 1;
        let agent = self.agents.get_mut(a).unwrap();
        agent.st = AgentSt::Busy(c.to_owned());
        agent.since = now;
    }

    fn make_available(&mut self, a: &str, now: i64) -> Option<String> {
        if self.mode == Mode::Auto {
            let agent = &self.agents[a];
            let first = self
                .queued_in_order()
                .into_iter()
                .find(|c| eligible(agent, &self.contacts[c].reqs));
            if let Some(c) = first {
                self.assign(&c, a, now);
                return Some(c);
            }
        }
        self.seq += 1;
        let agent = self.agents.get_mut(a).unwrap();
        agent.st = AgentSt::Ready;
        agent.since = now;
        agent.seq = self.seq;
        None
    }

    fn route(&mut self, c: &str, now: i64) -> Option<String> {
        if self.mode != Mode::Auto {
            return None;
        }
        let a = self.laa(&self.contacts[c].reqs)?;
        self.assign(c, &a, now);
        Some(a)
    }

    pub(super) fn add(&mut self, a: &str, skills: &[(String, u8)], now: i64) -> Res {
        if self.agents.contains_key(a) {
            return Err("EXISTS");
        }
        self.settle(now);
        let agent = Agent {
            skills: skills.iter().cloned().collect(),
            st: AgentSt::NotReady(None),
            since: now,
            seq: 0,
        };
        self.agents.insert(a.to_owned(), agent);
        Ok(Reply::Ok)
    }

    pub(super) fn del(&mut self, a: &str, now: i64) -> Res {
        let agent = self.agents.get(a).ok_or("NOAGENT")?.clone();
        self.settle(now);
        self.agents.remove(a);
        if let AgentSt::Busy(c) = agent.st {
            let contact = self.contacts.get_mut(&c).unwrap();
            contact.st = ContactState::Queued;
            contact.agent = None;
            self.route(&c, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn grant(&mut self, a: &str, skills: &[(String, u8)], now: i64) -> Res {
        if !self.agents.contains_key(a) {
            return Err("NOAGENT");
        }
        self.settle(now);
        let agent = self.agents.get_mut(a).unwrap();
        for (s, l) in skills {
            agent.skills.insert(s.clone(), *l);
        }
        if agent.st == AgentSt::Ready && self.mode == Mode::Auto {
            let agent = &self.agents[a];
            let first = self
                .queued_in_order()
                .into_iter()
                .find(|c| eligible(agent, &self.contacts[c].reqs));
            if let Some(c) = first {
                self.assign(&c, a, now);
            }
        }
        Ok(Reply::Ok)
    }

    pub(super) fn revoke(&mut self, a: &str, skills: &[String], now: i64) -> Res {
        if !self.agents.contains_key(a) {
            return Err("NOAGENT");
        }
        self.settle(now);
        let agent = self.agents.get_mut(a).unwrap();
        for s in skills {
            agent.skills.remove(s);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn skill_del(&mut self, s: &str, now: i64) -> Res {
        self.settle(now);
        let mut n = 0;
        for agent in self.agents.values_mut() {
            n += i64::from(agent.skills.remove(s).is_some());
        }
        Ok(Reply::Int(n))
    }

    pub(super) fn ready(&mut self, a: &str, now: i64) -> Res {
        let st = self.agents.get(a).ok_or("NOAGENT")?.st.clone();
        if !self.open {
            return Err("CLOSED");
        }
        match st {
            AgentSt::Busy(_) => Err("BUSYAGENT"),
            AgentSt::Ready => {
                self.settle(now);
                Ok(Reply::Nil)
            }
            AgentSt::NotReady(_) => {
                self.settle(now);
                Ok(self.make_available(a, now).map_or(Reply::Nil, |c| bulk(&c)))
            }
        }
    }

    pub(super) fn not_ready(&mut self, a: &str, reason: Option<&str>, now: i64) -> Res {
        let st = self.agents.get(a).ok_or("NOAGENT")?.st.clone();
        if let AgentSt::Busy(_) = st {
            return Err("BUSYAGENT");
        }
        self.settle(now);
        let new = AgentSt::NotReady(reason.map(str::to_owned));
        let agent = self.agents.get_mut(a).unwrap();
        if agent.st != new {
            agent.st = new;
            agent.since = now;
        }
        Ok(Reply::Ok)
    }

    pub(super) fn enqueue(&mut self, c: &str, reqs: &[(String, u8)], prio: i64, now: i64) -> Res {
        if self.live(c, now) {
            return Err("EXISTS");
        }
        if !self.open {
            return Err("CLOSED");
        }
        self.settle(now);
        self.seq += 1;
        let contact = Contact {
            reqs: reqs.iter().cloned().collect(),
            priority: prio,
            st: ContactState::Queued,
            agent: None,
            enq: now,
            seq: self.seq,
            ended: None,
        };
        self.contacts.insert(c.to_owned(), contact);
        self.enqueued += 1;
        Ok(self.route(c, now).map_or(Reply::Nil, |a| bulk(&a)))
    }

    pub(super) fn dispatch(&mut self, limit: usize, now: i64) -> Res {
        self.settle(now);
        Ok(Reply::Array(self.dispatch_pairs(limit, now)))
    }

    fn dispatch_pairs(&mut self, limit: usize, now: i64) -> Vec<Reply> {
        let mut made = Vec::new();
        for c in self.queued_in_order() {
            if made.len() == limit {
                break;
            }
            if let Some(a) = self.laa(&self.contacts[&c].reqs) {
                self.assign(&c, &a, now);
                made.push(Reply::Array(vec![bulk(&c), bulk(&a)]));
            }
        }
        made
    }

    pub(super) fn complete(&mut self, c: &str, now: i64) -> Res {
        if !self.live(c, now) {
            return Err("NOCONTACT");
        }
        self.settle(now);
        let contact = self.contacts.get_mut(c).unwrap();
        match contact.st {
            ContactState::Completed
            | ContactState::Abandoned
            | ContactState::Timeout
            | ContactState::Offered => {}
            ContactState::Queued => {
                contact.st = ContactState::Abandoned;
                contact.ended = Some(now);
                self.abandoned += 1;
            }
            ContactState::Assigned => {
                contact.st = ContactState::Completed;
                contact.ended = Some(now);
                let a = contact.agent.clone().unwrap();
                self.completed += 1;
                if self.open {
                    self.make_available(&a, now);
                } else {
                    let agent = self.agents.get_mut(&a).unwrap();
                    agent.st = AgentSt::NotReady(Some("closed".into()));
                    agent.since = now;
                }
            }
        }
        Ok(Reply::Status(self.contacts[c].st.as_str()))
    }

    pub(super) fn open(&mut self, now: i64) -> Res {
        self.settle(now);
        self.open = true;
        let waiting: Vec<String> = self
            .agents
            .iter()
            .filter(|(_, a)| matches!(a.st, AgentSt::NotReady(_)))
            .map(|(id, _)| id.clone())
            .collect();
        for a in waiting {
            self.make_available(&a, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn close(&mut self, now: i64) -> Res {
        self.settle(now);
        self.open = false;
        for agent in self.agents.values_mut() {
            if agent.st == AgentSt::Ready {
                agent.st = AgentSt::NotReady(Some("closed".into()));
                agent.since = now;
            }
        }
        Ok(Reply::Ok)
    }

    pub(super) fn set_mode(&mut self, mode: Mode, now: i64) -> Res {
        let was = std::mem::replace(&mut self.mode, mode);
        self.settle(now);
        if was == Mode::Manual && mode == Mode::Auto {
            self.dispatch_pairs(usize::MAX, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn set_retention(&mut self, seconds: i64, now: i64) -> Res {
        self.retention_s = seconds;
        self.settle(now);
        Ok(Reply::Ok)
    }

    /// Queue ids in routing order.
    pub(super) fn queue(&self) -> Vec<String> {
        self.queued_in_order()
    }

    /// Ready ids in longest-available order.
    pub(super) fn ready_line(&self) -> Vec<String> {
        let mut ready: Vec<(&String, &Agent)> = self
            .agents
            .iter()
            .filter(|(_, a)| a.st == AgentSt::Ready)
            .collect();
        ready.sort_by_key(|(_, a)| (a.since, a.seq));
        ready.into_iter().map(|(id, _)| id.clone()).collect()
    }

    /// Who each busy agent handles, and each live contact's state.
    pub(super) fn snapshot(&self) -> Snapshot {
        let busy = self
            .agents
            .iter()
            .filter_map(|(id, a)| match &a.st {
                AgentSt::Busy(c) => Some((id.clone(), c.clone())),
                _ => None,
            })
            .collect();
        let contacts = self
            .contacts
            .iter()
            .map(|(id, c)| (id.clone(), c.st.as_str()))
            .collect();
        (busy, contacts)
    }

    pub(super) fn avg_wait(&self) -> i64 {
        if self.assigned == 0 {
            0
        } else {
            self.wait.div_euclid(self.assigned)
        }
    }
}
