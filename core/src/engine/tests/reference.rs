//! A naive reference model of the routing rules: plain maps, full scans, no indexes, and
//! deadlines recomputed from the records on every step. The property tests run the same
//! operations on it and on the engine and compare every reply and the observable state.
//! Strategies pick by scanning every ready agent (`pick`); busy time is kept as the list of
//! every busy stay and summed over the bucketed window on demand (`busy_in_window`).

use std::cmp::Reverse;
use std::collections::BTreeMap;

use crate::{ContactState, Mode, Reply, Strategy};

#[derive(Clone, Debug, PartialEq)]
enum AgentSt {
    NotReady(Option<String>),
    Ready,
    Busy(String),
    Offered(String, i64),
    WrapUp(i64, u64),
}

impl AgentSt {
    fn holds(&self) -> Option<&String> {
        match self {
            AgentSt::Busy(c) | AgentSt::Offered(c, _) => Some(c),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Agent {
    skills: BTreeMap<String, u8>,
    st: AgentSt,
    since: i64,
    seq: u64,
    misses: u64,
    /// Registration sequence number: the round-robin cycle order.
    order: u64,
    /// Every busy stay `[from, to)` that has ended.
    stays: Vec<(i64, i64)>,
}

type Reqs = BTreeMap<String, u8>;

#[derive(Clone, Debug)]
struct Contact {
    reqs: Reqs,
    /// Relaxation steps still to come: (ms after enqueue, requirement).
    steps: Vec<(i64, Reqs)>,
    priority: i64,
    st: ContactState,
    agent: Option<String>,
    enq: i64,
    seq: u64,
    ended: Option<i64>,
}

/// Settings the operations can change.
#[derive(Clone, Copy, Debug)]
pub(super) enum Setting {
    Retention(i64),
    OfferTimeout(i64),
    Wrapup(i64),
    MaxWait(i64),
    MaxNoAnswer(u64),
    PriorityAge(i64),
    Strategy(Strategy),
    OccupancyWindow(i64),
}

/// Reference center. Errors are reported by code only.
#[derive(Clone, Debug)]
pub(super) struct Model {
    mode: Mode,
    open: bool,
    retention_s: i64,
    offer_timeout: i64,
    wrapup: i64,
    max_wait: i64,
    max_no_answer: u64,
    priority_age: i64,
    strategy: Strategy,
    occupancy_window: i64,
    /// Latest time an agent was picked or a busy stay ended.
    clock: i64,
    /// Registration order of the last agent given a contact.
    last_assigned: Option<u64>,
    seq: u64,
    agents: BTreeMap<String, Agent>,
    contacts: BTreeMap<String, Contact>,
    pub(super) enqueued: i64,
    pub(super) assigned: i64,
    pub(super) completed: i64,
    pub(super) abandoned: i64,
    pub(super) timeout: i64,
    wait: i64,
}

pub(super) type Res = Result<Reply, &'static str>;

/// Busy or offered (agent, contact) pairs and (contact, state, requirement) of every live
/// contact.
pub(super) type Snapshot = (
    Vec<(String, String)>,
    Vec<(String, &'static str, BTreeMap<String, u8>)>,
);

fn eligible(a: &Agent, reqs: &Reqs) -> bool {
    reqs.iter()
        .all(|(s, l)| a.skills.get(s).is_some_and(|have| have >= l))
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.to_owned())
}

/// Something due: (time, class, kind, seq) orders them like the engine.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Due {
    Offer(String, String),
    WrapUp(String),
    Relax(String),
    MaxWait(String),
    Purge(String),
}

/// `ceil(a / b)` for positive numbers.
fn div_ceil(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

impl Model {
    pub(super) fn new() -> Model {
        Model {
            mode: Mode::Auto,
            open: true,
            retention_s: 3600,
            offer_timeout: 0,
            wrapup: 0,
            max_wait: 0,
            max_no_answer: 1,
            priority_age: 0,
            strategy: Strategy::LongestAvailable,
            occupancy_window: 3_600_000,
            clock: 0,
            last_assigned: None,
            seq: 0,
            agents: BTreeMap::new(),
            contacts: BTreeMap::new(),
            enqueued: 0,
            assigned: 0,
            completed: 0,
            abandoned: 0,
            timeout: 0,
            wait: 0,
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The earliest due item at or before `now`, in the engine's order.
    fn first_due(&self, now: i64) -> Option<(i64, Due)> {
        let mut all: Vec<((i64, u8, u8, u64), Due)> = Vec::new();
        for (id, a) in &self.agents {
            match &a.st {
                AgentSt::Offered(c, until) => all.push((
                    (*until, 0, 0, self.contacts[c].seq),
                    Due::Offer(id.clone(), c.clone()),
                )),
                AgentSt::WrapUp(until, seq) => {
                    all.push(((*until, 0, 1, *seq), Due::WrapUp(id.clone())))
                }
                _ => {}
            }
        }
        for (id, c) in &self.contacts {
            if let (ContactState::Queued, Some((after, _))) = (c.st, c.steps.first()) {
                all.push(((c.enq + after, 0, 2, c.seq), Due::Relax(id.clone())));
            }
            if c.st == ContactState::Queued && self.max_wait > 0 {
                all.push((
                    (c.enq + self.max_wait, 0, 3, c.seq),
                    Due::MaxWait(id.clone()),
                ));
            }
            if let Some(ended) = c.ended {
                all.push((
                    (ended + self.retention_s * 1000, 1, 0, c.seq),
                    Due::Purge(id.clone()),
                ));
            }
        }
        all.into_iter()
            .filter(|(k, _)| k.0 <= now)
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|(k, d)| (k.0, d))
    }

    /// Applies everything due: like the engine, before every write, failed or not.
    pub(super) fn settle(&mut self, now: i64) {
        self.settle_from(i64::MIN, now);
    }

    /// Applies everything due, nothing earlier than `floor` nor than what came before.
    pub(super) fn settle_from(&mut self, mut floor: i64, now: i64) {
        while let Some((due_at, due)) = self.first_due(now) {
            if !matches!(due, Due::Purge(_)) {
                floor = floor.max(due_at);
            }
            let at = floor;
            match due {
                Due::Offer(a, c) => self.missed(&c, &a, "no-answer", at),
                Due::WrapUp(a) => self.release(&a, at),
                Due::Relax(c) => {
                    let contact = self.contacts.get_mut(&c).unwrap();
                    contact.reqs = contact.steps.remove(0).1;
                    self.route(&c, at);
                }
                Due::MaxWait(c) => {
                    let contact = self.contacts.get_mut(&c).unwrap();
                    contact.st = ContactState::Timeout;
                    contact.ended = Some(at);
                    contact.steps.clear();
                    self.timeout += 1;
                }
                Due::Purge(c) => {
                    self.contacts.remove(&c);
                }
            }
        }
    }

    /// Busy ms of an agent in the window: buckets of `ceil(window / 60)` ms, the last
    /// `ceil(window / width)` of them up to the clock's.
    fn busy_in_window(&self, a: &Agent) -> i64 {
        if self.occupancy_window == 0 {
            return 0;
        }
        let width = div_ceil(self.occupancy_window, 60);
        let count = div_ceil(self.occupancy_window, width);
        let start = (self.clock.div_euclid(width) - count + 1) * width;
        a.stays
            .iter()
            .map(|&(from, to)| (to - from.max(start)).max(0))
            .sum()
    }

    /// The ready eligible agent the strategy picks, by scanning them all.
    fn pick(&mut self, reqs: &Reqs, now: i64) -> Option<String> {
        self.clock = self.clock.max(now);
        let candidates = self
            .agents
            .iter()
            .filter(|(_, a)| a.st == AgentSt::Ready && eligible(a, reqs));
        let laa = |a: &Agent| (a.since, a.seq);
        let chosen = match self.strategy {
            Strategy::LongestAvailable => candidates.min_by_key(|(_, a)| laa(a)),
            Strategy::MostSkilled => candidates.min_by_key(|(_, a)| {
                let total: i64 = reqs.keys().map(|s| i64::from(a.skills[s])).sum();
                (Reverse(total), laa(a))
            }),
            Strategy::RoundRobin => {
                let last = self.last_assigned;
                candidates.min_by_key(|(_, a)| (last.is_some_and(|l| a.order <= l), a.order))
            }
            Strategy::LeastOccupied => {
                candidates.min_by_key(|(_, a)| (self.busy_in_window(a), laa(a)))
            }
        };
        chosen.map(|(id, _)| id.clone())
    }

    fn queued_in_order(&self) -> Vec<String> {
        let mut q: Vec<(&String, &Contact)> = self
            .contacts
            .iter()
            .filter(|(_, c)| c.st == ContactState::Queued)
            .collect();
        // With ageing, the effective priority p + wait / age, compared at any one instant
        // (scaled by age, instant dropped); ties: earlier enqueue, then earlier sequence.
        let age = i128::from(self.priority_age);
        q.sort_by_key(|(_, c)| {
            let effective = match age {
                0 => i128::from(c.priority),
                _ => i128::from(c.priority) * age - i128::from(c.enq),
            };
            (Reverse(effective), c.enq, c.seq)
        });
        q.into_iter().map(|(id, _)| id.clone()).collect()
    }

    fn first_contact_for(&self, a: &str) -> Option<String> {
        let agent = &self.agents[a];
        self.queued_in_order()
            .into_iter()
            .find(|c| eligible(agent, &self.contacts[c].reqs))
    }

    fn set(&mut self, a: &str, st: AgentSt, now: i64) {
        let agent = self.agents.get_mut(a).unwrap();
        if let AgentSt::Busy(_) = agent.st {
            agent.stays.push((agent.since, now));
            self.clock = self.clock.max(now);
        }
        agent.st = st;
        agent.since = now;
    }

    fn assign(&mut self, c: &str, a: &str, now: i64) {
        self.last_assigned = Some(self.agents[a].order);
        if self.offer_timeout > 0 {
            let contact = self.contacts.get_mut(c).unwrap();
            contact.st = ContactState::Offered;
            contact.agent = Some(a.to_owned());
            let until = now + self.offer_timeout;
            self.set(a, AgentSt::Offered(c.to_owned(), until), now);
        } else {
            self.connect(c, a, now);
        }
    }

    fn connect(&mut self, c: &str, a: &str, now: i64) {
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Assigned;
        contact.agent = Some(a.to_owned());
        self.wait += (now - contact.enq).max(0);
        self.assigned += 1;
        self.set(a, AgentSt::Busy(c.to_owned()), now);
        self.agents.get_mut(a).unwrap().misses = 0;
    }

    fn make_available(&mut self, a: &str, now: i64) -> Option<String> {
        if self.mode == Mode::Auto {
            if let Some(c) = self.first_contact_for(a) {
                self.assign(&c, a, now);
                return Some(c);
            }
        }
        let seq = self.next_seq();
        self.set(a, AgentSt::Ready, now);
        self.agents.get_mut(a).unwrap().seq = seq;
        None
    }

    fn release(&mut self, a: &str, now: i64) {
        if self.open {
            self.make_available(a, now);
        } else {
            self.set(a, AgentSt::NotReady(Some("closed".into())), now);
        }
    }

    fn route(&mut self, c: &str, now: i64) -> Option<String> {
        if self.mode != Mode::Auto {
            return None;
        }
        let reqs = self.contacts[c].reqs.clone();
        let a = self.pick(&reqs, now)?;
        self.assign(c, &a, now);
        Some(a)
    }

    fn requeue(&mut self, c: &str, now: i64) {
        let contact = self.contacts.get_mut(c).unwrap();
        contact.st = ContactState::Queued;
        contact.agent = None;
        self.route(c, now);
    }

    fn missed(&mut self, c: &str, a: &str, reason: &str, now: i64) {
        self.agents.get_mut(a).unwrap().misses += 1;
        self.set(a, AgentSt::NotReady(Some(reason.to_owned())), now);
        self.requeue(c, now);
        let misses = self.agents[a].misses;
        if self.max_no_answer == 0 || misses < self.max_no_answer {
            self.release(a, now);
        }
    }

    pub(super) fn add(&mut self, a: &str, skills: &[(String, u8)], now: i64) -> Res {
        if self.agents.contains_key(a) {
            return Err("EXISTS");
        }
        let order = self.next_seq();
        let agent = Agent {
            skills: skills.iter().cloned().collect(),
            st: AgentSt::NotReady(None),
            since: now,
            seq: 0,
            misses: 0,
            order,
            stays: Vec::new(),
        };
        self.agents.insert(a.to_owned(), agent);
        Ok(Reply::Ok)
    }

    pub(super) fn del(&mut self, a: &str, now: i64) -> Res {
        let agent = self.agents.remove(a).ok_or("NOAGENT")?;
        if let AgentSt::Busy(_) = agent.st {
            self.clock = self.clock.max(now);
        }
        if let Some(c) = agent.st.holds() {
            self.requeue(c, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn grant(&mut self, a: &str, skills: &[(String, u8)], now: i64) -> Res {
        let agent = self.agents.get_mut(a).ok_or("NOAGENT")?;
        for (s, l) in skills {
            agent.skills.insert(s.clone(), *l);
        }
        if agent.st == AgentSt::Ready && self.mode == Mode::Auto {
            if let Some(c) = self.first_contact_for(a) {
                self.assign(&c, a, now);
            }
        }
        Ok(Reply::Ok)
    }

    pub(super) fn revoke(&mut self, a: &str, skills: &[String]) -> Res {
        let agent = self.agents.get_mut(a).ok_or("NOAGENT")?;
        for s in skills {
            agent.skills.remove(s);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn skill_del(&mut self, s: &str) -> Res {
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
            AgentSt::Busy(_) | AgentSt::Offered(..) => Err("BUSYAGENT"),
            AgentSt::Ready => Ok(Reply::Nil),
            AgentSt::NotReady(_) | AgentSt::WrapUp(..) => {
                self.agents.get_mut(a).unwrap().misses = 0;
                Ok(self.make_available(a, now).map_or(Reply::Nil, |c| bulk(&c)))
            }
        }
    }

    pub(super) fn not_ready(&mut self, a: &str, reason: Option<&str>, now: i64) -> Res {
        let st = self.agents.get(a).ok_or("NOAGENT")?.st.clone();
        if st.holds().is_some() {
            return Err("BUSYAGENT");
        }
        let new = AgentSt::NotReady(reason.map(str::to_owned));
        if st != new {
            self.set(a, new, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn enqueue(
        &mut self,
        c: &str,
        reqs: &[(String, u8)],
        steps: &[(i64, Vec<(String, u8)>)],
        prio: i64,
        now: i64,
    ) -> Res {
        if self.contacts.contains_key(c) {
            return Err("EXISTS");
        }
        if !self.open {
            return Err("CLOSED");
        }
        let seq = self.next_seq();
        let contact = Contact {
            reqs: reqs.iter().cloned().collect(),
            steps: steps
                .iter()
                .map(|(after, reqs)| (*after, reqs.iter().cloned().collect()))
                .collect(),
            priority: prio,
            st: ContactState::Queued,
            agent: None,
            enq: now,
            seq,
            ended: None,
        };
        self.contacts.insert(c.to_owned(), contact);
        self.enqueued += 1;
        Ok(self.route(c, now).map_or(Reply::Nil, |a| bulk(&a)))
    }

    pub(super) fn dispatch(&mut self, limit: usize, now: i64) -> Res {
        Ok(Reply::Array(self.dispatch_pairs(limit, now)))
    }

    fn dispatch_pairs(&mut self, limit: usize, now: i64) -> Vec<Reply> {
        self.clock = self.clock.max(now);
        let mut made = Vec::new();
        for c in self.queued_in_order() {
            if made.len() == limit {
                break;
            }
            let reqs = self.contacts[&c].reqs.clone();
            if let Some(a) = self.pick(&reqs, now) {
                self.assign(&c, &a, now);
                made.push(Reply::Array(vec![bulk(&c), bulk(&a)]));
            }
        }
        made
    }

    pub(super) fn complete(&mut self, c: &str, now: i64) -> Res {
        let contact = self.contacts.get(c).ok_or("NOCONTACT")?.clone();
        let end = |m: &mut Model, st| {
            let contact = m.contacts.get_mut(c).unwrap();
            contact.st = st;
            contact.ended = Some(now);
            contact.steps.clear();
            contact.agent.take()
        };
        match contact.st {
            ContactState::Queued => {
                end(self, ContactState::Abandoned);
                self.abandoned += 1;
            }
            ContactState::Offered => {
                let a = end(self, ContactState::Abandoned).unwrap();
                self.abandoned += 1;
                self.release(&a, now);
            }
            ContactState::Assigned => {
                let a = contact.agent.clone().unwrap();
                end(self, ContactState::Completed);
                self.completed += 1;
                if self.wrapup > 0 {
                    let seq = self.next_seq();
                    self.set(&a, AgentSt::WrapUp(now + self.wrapup, seq), now);
                } else {
                    self.release(&a, now);
                }
            }
            _ => {}
        }
        Ok(Reply::Status(self.contacts[c].st.as_str()))
    }

    fn offered(&self, c: &str) -> Result<String, &'static str> {
        let contact = self.contacts.get(c).ok_or("NOCONTACT")?;
        match (&contact.st, &contact.agent) {
            (ContactState::Offered, Some(a)) => Ok(a.clone()),
            _ => Err("NOTOFFERED"),
        }
    }

    pub(super) fn accept(&mut self, c: &str, now: i64) -> Res {
        let a = self.offered(c)?;
        self.connect(c, &a, now);
        Ok(Reply::Ok)
    }

    pub(super) fn reject(&mut self, c: &str, now: i64) -> Res {
        let a = self.offered(c)?;
        self.missed(c, &a, "rejected", now);
        Ok(Reply::Ok)
    }

    pub(super) fn open(&mut self, now: i64) -> Res {
        self.open = true;
        let waiting: Vec<String> = self
            .agents
            .iter()
            .filter(|(_, a)| matches!(a.st, AgentSt::NotReady(_)))
            .map(|(id, _)| id.clone())
            .collect();
        for a in waiting {
            self.agents.get_mut(&a).unwrap().misses = 0;
            self.make_available(&a, now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn close(&mut self, now: i64) -> Res {
        self.open = false;
        let ready: Vec<String> = self.ready_line();
        for a in ready {
            self.set(&a, AgentSt::NotReady(Some("closed".into())), now);
        }
        Ok(Reply::Ok)
    }

    pub(super) fn set_mode(&mut self, mode: Mode, now: i64) -> Res {
        let was = std::mem::replace(&mut self.mode, mode);
        if was == Mode::Manual && mode == Mode::Auto {
            self.dispatch_pairs(usize::MAX, now);
        }
        self.settle_from(now, now);
        Ok(Reply::Ok)
    }

    pub(super) fn configure(&mut self, setting: Setting, now: i64) -> Res {
        match setting {
            Setting::Retention(s) => self.retention_s = s,
            Setting::OfferTimeout(ms) => self.offer_timeout = ms,
            Setting::Wrapup(ms) => self.wrapup = ms,
            Setting::MaxWait(ms) => self.max_wait = ms,
            Setting::MaxNoAnswer(n) => self.max_no_answer = n,
            Setting::PriorityAge(ms) => self.priority_age = ms,
            Setting::Strategy(strategy) => self.strategy = strategy,
            Setting::OccupancyWindow(ms) => {
                if ms != self.occupancy_window {
                    for agent in self.agents.values_mut() {
                        agent.stays.clear();
                    }
                }
                self.occupancy_window = ms;
            }
        }
        self.settle_from(now, now);
        Ok(Reply::Ok)
    }

    /// Whether a contact id is taken (live or retained).
    pub(super) fn has_contact(&self, c: &str) -> bool {
        self.contacts.contains_key(c)
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

    /// Who each busy or offered agent holds, and each live contact's state and current
    /// requirement.
    pub(super) fn snapshot(&self) -> Snapshot {
        let held = self
            .agents
            .iter()
            .filter_map(|(id, a)| a.st.holds().map(|c| (id.clone(), c.clone())))
            .collect();
        let contacts = self
            .contacts
            .iter()
            .map(|(id, c)| (id.clone(), c.st.as_str(), c.reqs.clone()))
            .collect();
        (held, contacts)
    }

    pub(super) fn avg_wait(&self) -> i64 {
        if self.assigned == 0 {
            0
        } else {
            self.wait.div_euclid(self.assigned)
        }
    }
}
